// The client page's outcome charts: one line per questionnaire, from json_script data.
(function () {
  "use strict";
  var source = document.getElementById("outcome-series");
  if (!source || typeof Chart === "undefined") return;
  JSON.parse(source.textContent).forEach(function (series) {
    var canvas = document.getElementById("outcome-chart-" + series.key);
    if (!canvas) return;
    new Chart(canvas, {
      type: "line",
      data: {
        labels: series.labels,
        datasets: [
          { label: series.name, data: series.scores, borderColor: "#0a58ca", backgroundColor: "#0a58ca", pointStyle: "circle", pointRadius: 5, tension: 0.2 }
        ]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { min: series.min, max: series.max, title: { display: true, text: series.higher_is_better ? "Score (higher is better)" : "Score (lower is better)" } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  });
})();
