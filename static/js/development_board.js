// Development board: drag a card onto another status column to move it (htmx partial update).
// The buttons on each card do the same without dragging. The server checks the move and the
// card's version; the refreshed board comes back with a message (moved, refused, or conflict).
(function () {
  "use strict";
  var dragged = null;

  function columnOf(el) { return el && el.closest ? el.closest(".dev-column") : null; }
  function allowed(card, status) { return (card.dataset.allowed || "").split(" ").indexOf(status) !== -1; }
  function clearMarks() {
    document.querySelectorAll(".dev-column").forEach(function (c) { c.classList.remove("dev-drop-ok", "dev-drop-no"); });
  }
  function csrfHeaders() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}"); } catch (e) { return {}; }
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".dev-card[draggable=true]");
    if (!card) { return; }
    dragged = card;
    card.classList.add("dev-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.item);
    document.querySelectorAll(".dev-column").forEach(function (c) {
      if (columnOf(card) === c) { return; }
      c.classList.add(allowed(card, c.dataset.status) ? "dev-drop-ok" : "dev-drop-no");
    });
  });

  document.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dev-dragging"); }
    dragged = null;
    clearMarks();
  });

  document.addEventListener("dragover", function (event) {
    var column = columnOf(event.target);
    if (dragged && column && column !== columnOf(dragged) && allowed(dragged, column.dataset.status)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
    }
  });

  document.addEventListener("drop", function (event) {
    var column = columnOf(event.target);
    if (!dragged || !column) { return; }
    event.preventDefault();
    var card = dragged;
    clearMarks();
    if (column === columnOf(card) || !allowed(card, column.dataset.status)) { return; }
    htmx.ajax("POST", card.dataset.moveUrl, {
      target: "#board",
      swap: "outerHTML",
      source: card,
      headers: csrfHeaders(),
      values: {to_status: column.dataset.status, version: card.dataset.version}
    });
  });
})();
