// Renders the plan's Gantt chart (frappe-gantt) from <script id="gantt-data">.
// The page's language names the months (Intl, through frappe-gantt's `language`); the words
// the library writes in English ("Today", the popup's days and progress) come translated from
// the template's data-* attributes. Task names are escaped: the library writes them as HTML.
(function () {
  "use strict";
  var source = document.getElementById("gantt-data");
  var target = document.getElementById("gantt");
  if (!source || !target || typeof Gantt === "undefined") { return; }
  var labels = target.dataset;
  var language = labels.language || document.documentElement.lang || "en";

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"}[c];
    });
  }

  var tasks = JSON.parse(source.textContent).map(function (t) {
    return {id: String(t.id), name: escapeHtml(t.name), start: t.start, end: t.end, progress: t.progress,
            dependencies: t.deps.map(String).join(","), custom_class: "phase-" + t.phase};
  });
  if (!tasks.length) { return; }

  var day = new Intl.DateTimeFormat(language, {day: "numeric", month: "short"});
  function popup(ctx) {
    var task = ctx.task;
    var last = new Date(task._end.getTime() - 1000);
    var days = task.actual_duration === 1 ? labels.day : labels.days;
    ctx.set_title(task.name);  // escaped above
    ctx.set_subtitle("");
    ctx.set_details(escapeHtml(day.format(task._start) + " – " + day.format(last) + " (" + task.actual_duration + " " + days + ")") +
                    "<br>" + escapeHtml(labels.progress + ": " + Math.round(task.progress) + "%"));
  }

  // The library writes "Today" each time it draws the header (again when the chart scrolls
  // past its dates): translate it there.
  var drawSideHeader = Gantt.prototype.make_side_header;
  Gantt.prototype.make_side_header = function () {
    drawSideHeader.apply(this, arguments);
    if (this.$today_button && labels.today) { this.$today_button.textContent = labels.today; }
  };
  new Gantt(target, tasks, {view_mode: "Week", readonly: true, popup_on: "hover", language: language, popup: popup});
})();
