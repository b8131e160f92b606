// The configuration editor: line numbers beside the text, the lines with problems marked in that
// gutter (the problem as a tooltip), and "line N" links in the problem list that select the line.
// Without this script the page still shows each problem with the lines around it.
(function () {
  "use strict";
  var box = document.querySelector("[data-editor]");
  if (!box) return;
  var area = box.querySelector("textarea");
  var problems = {};
  document.querySelectorAll(".error-list li[data-line]").forEach(function (item) {
    var line = Number(item.dataset.line);
    if (line) problems[line] = (problems[line] ? problems[line] + "\n" : "") + item.textContent.replace(/\s+/g, " ").trim();
  });

  var gutter = document.createElement("div");
  gutter.className = "gutter";
  gutter.setAttribute("aria-hidden", "true");
  box.insertBefore(gutter, area);
  box.classList.add("with-gutter");

  function render() {
    var count = area.value.split("\n").length;
    var parts = [];
    for (var n = 1; n <= count; n++) {
      var problem = problems[n];
      parts.push(problem ? '<span class="bad" title="' + problem.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;") + '">' + n + "</span>" : "<span>" + n + "</span>");
    }
    gutter.innerHTML = parts.join("");
    gutter.scrollTop = area.scrollTop;
  }

  function selectLine(line) {
    var lines = area.value.split("\n");
    var start = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
    area.focus();
    area.setSelectionRange(start, start + (lines[line - 1] || "").length);
    var lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 20;
    area.scrollTop = Math.max(0, (line - 4) * lineHeight);
  }

  area.addEventListener("input", render);
  area.addEventListener("scroll", function () { gutter.scrollTop = area.scrollTop; });
  document.querySelectorAll(".goto-line").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      selectLine(Number(link.dataset.line));
    });
  });
  render();
})();
