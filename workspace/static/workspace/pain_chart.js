// The client page's pain chart: pain before and after each session, from json_script data.
(function () {
  "use strict";
  var source = document.getElementById("pain-series");
  var canvas = document.getElementById("pain-chart");
  if (!source || !canvas || typeof Chart === "undefined") return;
  var series = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "line",
    data: {
      labels: series.labels,
      datasets: [
        { label: "Pain before the session", data: series.before, borderColor: "#b02a37", backgroundColor: "#b02a37", pointStyle: "rectRot", pointRadius: 5, tension: 0.2 },
        { label: "Pain after the session", data: series.after, borderColor: "#146c43", backgroundColor: "#146c43", borderDash: [6, 4], pointStyle: "circle", pointRadius: 5, tension: 0.2 }
      ]
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { min: 0, max: 10, ticks: { stepSize: 1 }, title: { display: true, text: "Pain (0 to 10)" } } },
      plugins: { legend: { position: "bottom" } }
    }
  });
})();
