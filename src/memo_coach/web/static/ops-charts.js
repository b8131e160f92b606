// The console's trend charts, drawn with uPlot (vendored in static/vendor/uplot) from /ops/charts/NAME.json:
// axes with units, times in UTC, and the value under the cursor in the legend. Without this
// script, or while a chart has no data, the server-drawn SVG stays in place.
(function () {
  "use strict";
  if (typeof uPlot === "undefined") return;

  var FONT = "13px system-ui, sans-serif";
  var BYTES = [[1e12, "TB"], [1e9, "GB"], [1e6, "MB"], [1e3, "kB"]];

  // Same rules as observability/units.py.
  function trim(n) {
    var text = Number(n.toPrecision(3)).toString();
    return text.indexOf("e") < 0 ? text : Math.round(n).toString();
  }

  function human(value, unit, perUnit) {
    if (value === null || value === undefined) return "–";
    if (unit === "seconds") return Math.abs(value) < 1 ? trim(value * 1000) + " ms" : trim(value) + " s";
    if (unit === "ratio") return trim(value * 100) + "%";
    if (unit === "bytes") {
      for (var i = 0; i < BYTES.length; i++) {
        if (Math.abs(value) >= BYTES[i][0]) return trim(value / BYTES[i][0]) + " " + BYTES[i][1];
      }
      return Math.round(value) + " B";
    }
    if (unit === "rate") {
      // One time unit for the whole chart (the server's `per`), so an axis never mixes "/s" and "/min".
      var per = perUnit || ratePer([value]);
      return trim(value * RATE_FACTORS[per]) + "/" + per;
    }
    return trim(value);
  }

  var RATE_FACTORS = { s: 1, min: 60, h: 3600 };
  function ratePer(values) {
    var peak = 0;
    values.forEach(function (v) { if (v !== null && Math.abs(v) > peak) peak = Math.abs(v); });
    if (peak >= 1) return "s";
    if (peak * 60 >= 1 || peak === 0) return "min";
    return "h";
  }

  var utc = function (ts) { return uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"); };
  var stamp = uPlot.fmtDate("{D} {MMM} {HH}:{mm} UTC");
  var clock = uPlot.fmtDate("{HH}:{mm}");
  var day = uPlot.fmtDate("{D} {MMM}");

  // 24-hour UTC clock times within a day or two, dates beyond: "14:00", "3 Dec". The x scale is the
  // window itself (see options), so the span is 1 h, 24 h, 7 d or 30 d however few points there are.
  function timeLabels(u, splits) {
    var span = u.scales.x.max - u.scales.x.min;
    var format = span > 2 * 86400 ? day : clock;
    return describe(u, "x", splits.map(function (ts) { return format(utc(ts)); }));
  }

  // The axes are drawn on a canvas: their labels are also the chart's accessible name.
  function describe(u, axis, labels) {
    var data = u.root.dataset, canvas = u.ctx.canvas;
    data[axis + "Labels"] = labels.join(", ");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", "time axis (UTC): " + (data.xLabels || "") + "; values: " + (data.yLabels || ""));
    return labels;
  }

  function options(figure, width, body) {
    var unit = figure.dataset.unit;
    var per = body.per;
    var start = Date.parse(body.start) / 1000, end = Date.parse(body.end) / 1000;
    var axis = { font: FONT, stroke: "#5b6475", grid: { stroke: "#e6e9ef" }, ticks: { stroke: "#d9dde5" } };
    return {
      width: width,
      height: 200,
      tzDate: utc,
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: true, range: function () { return [start, end]; } },
        y: { range: function (u, min, max) { return [Math.min(0, min), max > 0 ? max * 1.1 : 1]; } },
      },
      axes: [
        Object.assign({}, axis, { values: timeLabels }),
        Object.assign({}, axis, { size: 72, values: function (u, splits) { return describe(u, "y", splits.map(function (v) { return human(v, unit, per); })); } }),
      ],
      series: [
        { label: "time", value: function (u, ts) { return ts === null ? "–" : stamp(utc(ts)); } },
        {
          label: figure.dataset.title,
          stroke: "#1f5fbf",
          width: 2,
          fill: "rgba(31, 95, 191, 0.08)",
          value: function (u, v) { return human(v, unit, per); },
        },
      ],
    };
  }

  function draw(figure) {
    var box = figure.querySelector(".chart-box");
    var url = "/ops/charts/" + encodeURIComponent(figure.dataset.series) + ".json?window=" + encodeURIComponent(figure.dataset.window);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (body) {
        var points = body.points;
        if (!points.length) return;
        var data = [points.map(function (p) { return Date.parse(p[0]) / 1000; }), points.map(function (p) { return p[1]; })];
        box.textContent = "";
        var plot = new uPlot(options(figure, box.clientWidth, body), data, box);
        figure.classList.add("drawn");
        new ResizeObserver(function () { plot.setSize({ width: box.clientWidth, height: 200 }); }).observe(box);
      })
      .catch(function () { /* the server-drawn chart stays */ });
  }

  function start() { document.querySelectorAll(".ops-chart[data-series]").forEach(draw); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
