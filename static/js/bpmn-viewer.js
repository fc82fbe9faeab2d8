// Draws every <div data-bpmn-source="ID"> with bpmn-js (NavigatedViewer: pan and zoom) from
// the BPMN 2.0 XML string in <script id="ID" type="application/json">. The library comes
// from npm (node_modules/bpmn-js/dist), served under /static/vendor/bpmn-js/.
(function () {
  "use strict";
  function render(container) {
    var source = document.getElementById(container.dataset.bpmnSource);
    if (!source || typeof BpmnJS === "undefined") { return; }
    var viewer = new BpmnJS({container: container});
    viewer.importXML(JSON.parse(source.textContent)).then(function (result) {
      viewer.get("canvas").zoom("fit-viewport");
      container.dataset.bpmnRendered = "true";
      if (result.warnings && result.warnings.length) {
        container.dataset.bpmnWarnings = String(result.warnings.length);
      }
    }).catch(function (err) {
      container.dataset.bpmnRendered = "error";
      container.textContent = container.dataset.errorMessage || "The diagram could not be drawn.";
      console.error(err);
    });
  }
  document.querySelectorAll("[data-bpmn-source]").forEach(render);
})();
