/* Memo AI Coach: the submit page. Live character count, a draft kept in localStorage until the
   evaluation is stored, and submission by fetch with progress, so a failed request loses nothing.
   Without this script the form posts normally and the server redirects to the evaluation. */
(function () {
  "use strict";
  var form = document.getElementById("submit-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var area = form.querySelector("textarea");
  var max = Number(form.dataset.max);
  var key = "memo-coach-draft:" + form.dataset.draftKey;
  var used = document.getElementById("char-used");
  var over = document.getElementById("char-over");
  var counter = document.getElementById("char-count");
  var errorBox = document.getElementById("submit-error");
  var button = document.getElementById("submit-button");
  var progress = form.querySelector("[data-progress-text]");
  var elapsed = form.querySelector("[data-elapsed]");
  var timer = null;
  // The page's language: its words come from the server's catalogue (the JSON in #submit-words).
  var lang = document.documentElement.lang || "en";
  var wordsNode = document.getElementById("submit-words");
  var words = wordsNode ? JSON.parse(wordsNode.textContent) : {};
  function say(name, fallback, figure) { return (words[name] || fallback).replace("{n}", figure); }

  function length() { return Array.from(area.value).length; } // code points, as the server counts

  function count() {
    var n = length();
    used.textContent = n.toLocaleString(lang);
    counter.classList.toggle("over", n > max);
    over.textContent = n > max ? " (" + say("over", "{n} over the limit: shorten the memo", (n - max).toLocaleString(lang)) + ")" : "";
  }

  function saveDraft() {
    try { window.localStorage.setItem(key, area.value); } catch (e) { /* private mode: nothing to keep */ }
  }

  function loadDraft() {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }

  function clearDraft() {
    try { window.localStorage.removeItem(key); } catch (e) { /* nothing stored */ }
  }

  function showError(message) {
    errorBox.textContent = "";
    var strong = document.createElement("strong");
    strong.textContent = say("not_submitted", "Not submitted:") + " ";
    errorBox.appendChild(strong);
    errorBox.appendChild(document.createTextNode(message));
    errorBox.hidden = false;
  }

  function busy(on) {
    button.disabled = on;
    area.readOnly = on;
    progress.hidden = !on;
    if (timer) { window.clearInterval(timer); timer = null; }
    if (on) {
      var started = Date.now();
      elapsed.textContent = "0";
      timer = window.setInterval(function () {
        elapsed.textContent = String(Math.floor((Date.now() - started) / 1000));
      }, 1000);
    }
  }

  function problemWith(response) {
    if (response.redirected && new URL(response.url).pathname === "/login") {
      return say("expired", "your session has expired. Your draft is saved in this browser: sign in again and submit it.");
    }
    if (response.status === 403) {
      return say("forbidden", "the form expired (or came from another site). Your draft is saved: reload the page and submit again.");
    }
    return say("http", "the server answered with an error (HTTP {n}). Your draft is saved; try again in a moment.", response.status);
  }

  function submit(event) {
    event.preventDefault();
    errorBox.hidden = true;
    if (!area.value.trim()) { showError(say("empty", "the memo is empty.")); area.focus(); return; }
    if (length() > max) { showError(say("long", "the memo is longer than {n} characters.", max.toLocaleString(lang))); area.focus(); return; }
    saveDraft();
    busy(true);
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      var type = response.headers.get("content-type") || "";
      if (type.indexOf("application/json") === -1) { throw new Error(problemWith(response)); }
      return response.json().then(function (body) {
        if (!response.ok) { throw new Error((body.error || problemWith(response)) + " " + say("saved", "Your draft is saved.")); }
        clearDraft(); // stored on the server: only now is the draft no longer needed
        window.location.assign(body.location);
      });
    }).catch(function (error) {
      busy(false);
      var message = error instanceof TypeError
        ? say("offline", "the server could not be reached. Your draft is saved in this browser; try again when the connection is back.")
        : error.message;
      showError(message);
    });
  }

  var draft = loadDraft();
  if (draft && draft !== area.value) {
    area.value = draft;
    document.getElementById("draft-note").hidden = false;
  }
  document.getElementById("discard-draft").addEventListener("click", function () {
    clearDraft();
    area.value = area.defaultValue;
    document.getElementById("draft-note").hidden = true;
    count();
    area.focus();
  });
  area.addEventListener("input", function () { count(); saveDraft(); });
  form.addEventListener("submit", submit);
  count();
})();
