// Wide tables scroll sideways inside their own box, with a visible hint, instead of widening the
// page or hiding their last columns: each table is wrapped once, and the hint shows only while
// the table is wider than its box (checked again when the window changes size).
(function () {
  "use strict";

  function wrap(table) {
    if (table.closest("[data-scroll-hint]")) return;
    var box = document.createElement("div");
    box.className = "table-scroll";
    box.setAttribute("data-scroll-hint", "");
    var hint = document.createElement("p");
    hint.className = "scroll-hint";
    hint.textContent = "Scroll sideways to see every column →";
    var scroller = document.createElement("div");
    scroller.className = "table-scroller";
    scroller.tabIndex = 0; // keyboard users scroll it with the arrow keys
    scroller.setAttribute("role", "region");
    var caption = table.querySelector("caption");
    scroller.setAttribute("aria-label", (caption ? caption.textContent.trim() : "Table") + " (scrolls sideways)");
    table.parentNode.insertBefore(box, table);
    box.appendChild(hint);
    box.appendChild(scroller);
    scroller.appendChild(table);
  }

  function mark() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      var scroller = box.querySelector(".table-scroller");
      box.classList.toggle("overflows", scroller.scrollWidth > scroller.clientWidth + 1);
    });
  }

  function start() {
    document.querySelectorAll("table").forEach(wrap);
    mark();
    window.addEventListener("resize", mark);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
