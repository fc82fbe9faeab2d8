// Renders the plan's Gantt chart (frappe-gantt) from <script id="gantt-data">.
(function () {
  "use strict";
  var source = document.getElementById("gantt-data");
  var target = document.getElementById("gantt");
  if (!source || !target || typeof Gantt === "undefined") { return; }
  var tasks = JSON.parse(source.textContent).map(function (t) {
    return {id: String(t.id), name: t.name, start: t.start, end: t.end, progress: t.progress,
            dependencies: t.deps.map(String).join(","), custom_class: "phase-" + t.phase};
  });
  if (!tasks.length) { return; }
  new Gantt(target, tasks, {view_mode: "Week", readonly: true, popup_on: "hover"});
})();
