// Reports this page's load time (route template and milliseconds, nothing else) once it has loaded.
(function () {
  var script = document.currentScript;
  if (!script || !navigator.sendBeacon) return;
  window.addEventListener("load", function () {
    setTimeout(function () {
      var nav = performance.getEntriesByType("navigation")[0];
      var ms = nav && nav.loadEventEnd > 0 ? nav.loadEventEnd - nav.startTime : performance.now();
      var form = new FormData();
      form.append("page", script.dataset.page);
      form.append("ms", String(Math.round(ms)));
      form.append("csrf_token", script.dataset.csrf);
      navigator.sendBeacon("/telemetry/page-load", form);
    }, 0);
  });
})();
