/* Memo AI Coach: progress for slow form posts (chat). Plain script, served by the app; pages work without it. */
(function () {
  "use strict";
  var timers = [];

  function startProgress(form) {
    var box = form.querySelector("[data-progress-text]");
    var button = form.querySelector("button[type=submit]");
    if (button) { window.setTimeout(function () { button.disabled = true; }, 0); }
    if (!box) { return; }
    var started = Date.now();
    var seconds = box.querySelector("[data-elapsed]");
    box.hidden = false;
    timers.push(window.setInterval(function () {
      seconds.textContent = String(Math.floor((Date.now() - started) / 1000));
    }, 1000));
  }

  // Coming back through the history cache must not leave a form stuck in "answering".
  window.addEventListener("pageshow", function () {
    timers.forEach(window.clearInterval);
    timers = [];
    document.querySelectorAll("form[data-progress]").forEach(function (form) {
      var box = form.querySelector("[data-progress-text]");
      var button = form.querySelector("button[type=submit]");
      if (box) { box.hidden = true; }
      if (button) { button.disabled = false; }
    });
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches && form.matches("form[data-progress]")) { startProgress(form); }
  });

  // Escape closes an open info bubble (hover or focus) for keyboard users.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && document.activeElement && document.activeElement.classList.contains("info-button")) {
      document.activeElement.blur();
    }
  });
})();
