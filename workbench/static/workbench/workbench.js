// Behaviour shared by every page; no inline scripts (the Content-Security-Policy allows
// scripts from 'self' only). Everything here degrades: without it the forms still post.
(function () {
  "use strict";

  // Confirmation for forms marked data-confirm (approve, return, remove, dismiss, reopen).
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      var question = form.getAttribute && form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  // Times: the server writes them in its zone with a label; show the reader's own.
  function localise(root) {
    var nodes = (root || document).querySelectorAll("time[data-local]");
    nodes.forEach(function (node) {
      var when = new Date(node.getAttribute("datetime"));
      if (isNaN(when)) return;
      var options = {
        day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit",
        timeZoneName: "short",
      };
      if (node.hasAttribute("data-seconds")) options.second = "2-digit";
      node.title = node.textContent;
      node.textContent = when.toLocaleString(undefined, options);
      node.removeAttribute("data-local");
    });
  }

  // The queue's "add to set" bar shows only once claims are selected.
  function setBar() {
    var bar = document.getElementById("bulk-add");
    if (!bar) return;
    var picked = document.querySelectorAll("input[form='bulk-add'][name='claims']:checked");
    bar.hidden = picked.length === 0;
    var count = bar.querySelector("[data-picked]");
    if (count) count.textContent = picked.length + " selected";
  }
  document.addEventListener("change", function (event) {
    if (event.target.getAttribute("form") === "bulk-add") setBar();
  });

  // Copy buttons (the full sha256 of a capture).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var text = document.getElementById(button.getAttribute("data-copy")).textContent.trim();
    var done = function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy"; }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done);
    } else {
      var range = document.createRange();
      range.selectNodeContents(document.getElementById(button.getAttribute("data-copy")));
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      document.execCommand("copy");
      done();
    }
  });

  // Keyboard shortcuts: an element with data-key="x" is clicked (links, buttons) or
  // focused (form fields) when x is pressed outside a text field. "?" opens the list.
  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable='true']");
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "?") {
      var help = document.getElementById("shortcuts");
      if (help) {
        help.open = true;
        help.querySelector("summary").focus();
        event.preventDefault();
      }
      return;
    }
    var target = document.querySelector("[data-key='" + CSS.escape(event.key) + "']");
    if (!target || target.closest("[hidden]")) return;
    event.preventDefault();
    if (target.matches("a, button")) {
      target.click();
    } else {
      target.focus();
      target.scrollIntoView({ block: "center" });
    }
  });

  function ready() {
    localise(document);
    setBar();
  }
  document.addEventListener("DOMContentLoaded", ready);
  document.addEventListener("htmx:afterSettle", function (event) { localise(event.target); });
})();
