// Confirmation before anything destructive: <form data-confirm="Delete this?">.
// The question is read from the attribute (escaped by the template like any attribute),
// so a translation holding an apostrophe or a quote cannot break the page's script.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
  if (!window.confirm(form.dataset.confirm)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);
