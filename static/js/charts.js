// Draws every <canvas data-chart-source="ID"> from the JSON in <script id="ID">:
// {"labels": [...], "datasets": [{"label": ..., "data": [...]}], "max": 100}
(function () {
  "use strict";
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chartSource);
    if (!source || typeof Chart === "undefined") { return; }
    var spec = JSON.parse(source.textContent);
    var options = {responsive: true, maintainAspectRatio: false, plugins: {legend: {position: "bottom"}}};
    if (spec.max) { options.scales = {y: {min: 0, max: spec.max}}; }
    if (spec.horizontal) { options.indexAxis = "y"; options.scales = {x: {min: 0, max: spec.max || undefined}}; }
    new Chart(canvas, {type: canvas.dataset.chartType || "bar", data: {labels: spec.labels, datasets: spec.datasets}, options: options});
  }
  document.querySelectorAll("canvas[data-chart-source]").forEach(draw);
})();
