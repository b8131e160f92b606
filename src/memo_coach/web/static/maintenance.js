// "Run now" without a reload: the task starts, the row says it is running with the seconds so far,
// then says how it ended (with the task's own summary or reason). Without this script the form
// posts and the page says the task started.
(function () {
  "use strict";
  var POLL_MS = 1000;
  var GIVE_UP_MS = 15 * 60 * 1000;

  function words(run) {
    var took = run.duration_seconds !== null ? " in " + run.duration_seconds.toFixed(1) + " s" : "";
    var said = run.summary || run.reason || "";
    return run.status.replace("_", " ") + took + (said ? ": " + said : "");
  }

  function follow(form, url, started) {
    var result = form.querySelector(".run-result");
    var button = form.querySelector("button");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (run) {
        if (run.status === "running" && Date.now() - started < GIVE_UP_MS) {
          result.textContent = "running… " + Math.round((Date.now() - started) / 1000) + " s";
          setTimeout(function () { follow(form, url, started); }, POLL_MS);
          return;
        }
        result.textContent = words(run);
        result.className = "run-result status-" + (run.status === "succeeded" ? "healthy" : run.status === "running" ? "degraded" : "unhealthy");
        button.disabled = false;
      })
      .catch(function () {
        result.textContent = "could not read the run's state; reload the page to see it";
        button.disabled = false;
      });
  }

  function start(event) {
    var form = event.currentTarget;
    event.preventDefault();
    var button = form.querySelector("button");
    var result = form.querySelector(".run-result");
    button.disabled = true;
    result.className = "run-result";
    result.textContent = "starting…";
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json().then(function (body) { return { ok: response.ok, body: body }; }); })
      .then(function (answer) {
        if (!answer.ok) {
          result.textContent = "not started: " + answer.body.error;
          button.disabled = false;
          return;
        }
        follow(form, answer.body.follow, Date.now());
      })
      .catch(function () {
        result.textContent = "the server did not answer; nothing was started from here";
        button.disabled = false;
      });
  }

  document.querySelectorAll("form[data-run-now]").forEach(function (form) { form.addEventListener("submit", start); });
})();
