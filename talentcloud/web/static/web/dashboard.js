// Draws the dashboard's charts with ECharts from the JSON blocks the page carries (no inline script: CSP).
(function () {
  function option(kind, data) {
    var names = data.names || {};
    var series = Object.keys(data.series).map(function (key) {
      if (kind === "pie") {
        return { name: names[key] || key, type: "pie", radius: ["35%", "65%"],
          data: data.labels.map(function (label, i) { return { name: label, value: data.series[key][i] }; }) };
      }
      return { name: names[key] || key, type: kind, data: data.series[key], smooth: kind === "line" };
    });
    if (kind === "pie") { return { tooltip: { trigger: "item" }, legend: { bottom: 0, type: "scroll" }, series: series }; }
    return {
      tooltip: { trigger: "axis" }, legend: { bottom: 0 },
      grid: { left: 40, right: 16, top: 16, bottom: 70, containLabel: true },
      xAxis: { type: "category", data: data.labels, axisLabel: { rotate: data.labels.length > 8 ? 40 : 0 } },
      yAxis: { type: "value", minInterval: 1 }, series: series
    };
  }
  function draw() {
    if (!window.echarts) { return; }
    document.querySelectorAll(".chart[data-source]").forEach(function (el) {
      var source = document.getElementById(el.dataset.source);
      if (!source) { return; }
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option(el.dataset.kind, JSON.parse(source.textContent)));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
