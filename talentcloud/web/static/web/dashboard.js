// Draws the dashboard's charts with ECharts from the option blocks the page carries (no inline script: CSP).
// The options are built on the server (dashboards/charts.py): every bar labelled, no smoothed lines.
(function () {
  function draw() {
    if (!window.echarts) { return; }
    document.querySelectorAll(".chart[data-source]").forEach(function (el) {
      var source = document.getElementById(el.dataset.source);
      if (!source) { return; }
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(JSON.parse(source.textContent));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
