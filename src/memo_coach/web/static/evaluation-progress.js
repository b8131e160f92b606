/* Memo AI Coach: a pending evaluation's page. Progress arrives by server-sent events; where EventSource
   is missing or fails, the same URL is polled for JSON. Once the evaluation is finished, the page's
   content is replaced by the finished page's, without a reload. Without this script a note asks to reload. */
(function () {
  "use strict";
  var box = document.getElementById("evaluation-progress");
  if (!box || !window.fetch) { return; }
  var url = box.dataset.progressUrl;
  var elapsed = box.querySelector("[data-elapsed]");
  var errorBox = document.getElementById("progress-error");
  var POLL_MS = 1000;
  var done = false;
  var source = null;

  function show(state) {
    if (done) { return; }
    elapsed.textContent = String(Math.floor(state.elapsed_seconds));
    if (state.status !== "pending") { finish(); }
  }

  function finish() {
    done = true;
    if (source) { source.close(); }
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var main = fresh.getElementById("main");
        if (!main) { throw new Error("no content"); }
        document.getElementById("main").replaceChildren.apply(document.getElementById("main"), Array.from(main.childNodes));
        document.title = fresh.title;
      })
      .catch(function () {
        errorBox.textContent = errorBox.dataset.message || "The evaluation is finished, but this page could not load it. Reload the page to see it.";
        errorBox.hidden = false;
      });
  }

  function poll() {
    if (done) { return; }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) { if (state) { show(state); } })
      .catch(function () { /* offline for a moment: the next poll tries again */ })
      .then(function () { if (!done) { window.setTimeout(poll, POLL_MS); } });
  }

  if (!window.EventSource) { poll(); return; }
  source = new EventSource(url);
  source.addEventListener("progress", function (event) { show(JSON.parse(event.data)); });
  source.onerror = function () {
    if (done) { return; }
    source.close(); // the stream ended early or never started: fall back to polling
    poll();
  };
})();
