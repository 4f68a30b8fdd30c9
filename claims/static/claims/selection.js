// Fill the "claim from the text" form from words selected in the article body.
// The server checks the quote against the body at the offset; offsets count
// Unicode code points, as Python does, not the UTF-16 units of JavaScript strings.
// Listeners sit on the document: the body and the form may arrive later (htmx swaps
// them in when an import finishes).
(function () {
  "use strict";

  function codePoints(text) {
    return Array.from(text).length;
  }

  function parts() {
    var form = document.getElementById("selection-form");
    return {
      body: document.getElementById("article-body"),
      quote: form && form.querySelector("[name='selection-quote']"),
      start: form && form.querySelector("[name='selection-start']"),
      note: form && form.querySelector("[data-selection-note]"),
    };
  }

  function take() {
    var p = parts();
    if (!p.body || !p.quote) return;
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    var range = selection.getRangeAt(0);
    if (!p.body.contains(range.startContainer) || !p.body.contains(range.endContainer)) return;
    var before = document.createRange();
    before.selectNodeContents(p.body);
    before.setEnd(range.startContainer, range.startOffset);
    var prefix = before.toString();
    var words = range.toString();
    var lead = words.length - words.replace(/^\s+/, "").length;
    prefix += words.slice(0, lead);
    words = words.trim();
    if (!words) return;
    p.quote.value = words;
    p.start.value = codePoints(prefix);
    p.note.textContent =
      "Selected " + codePoints(words) + " characters from position " + p.start.value + ".";
  }

  document.addEventListener("mouseup", take);
  document.addEventListener("keyup", take);
  // Words typed by hand are looked up in the text instead.
  document.addEventListener("input", function (event) {
    var p = parts();
    if (event.isTrusted && p.quote && event.target === p.quote) {
      p.start.value = "";
      p.note.textContent = "";
    }
  });
})();
