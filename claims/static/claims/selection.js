// The article page: claims from a selection of the text, and the suggestions tied to it.
//
// Offsets count Unicode code points, as Python does, not the UTF-16 units of JavaScript
// strings; the text of #article-body is the article body exactly (the template writes no
// whitespace between its tags). Listeners sit on the document: the body and the forms are
// swapped in by htmx (an import finishing, a claim added in place).
(function () {
  "use strict";

  function codePoints(text) {
    return Array.from(text).length;
  }

  function parts() {
    var form = document.getElementById("selection-form");
    return {
      body: document.getElementById("article-body"),
      form: form,
      quote: form && form.querySelector("[name='selection-quote']"),
      start: form && form.querySelector("[name='selection-start']"),
      note: form && form.querySelector("[data-selection-note]"),
      pop: document.getElementById("selection-pop"),
    };
  }

  function words(text) {
    return text.split(/\s+/).filter(Boolean).length;
  }

  function hidePop() {
    var p = parts();
    if (p.pop) p.pop.hidden = true;
  }

  // The selection inside the body as {quote, start}, or null.
  function selected(p) {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    var range = selection.getRangeAt(0);
    if (!p.body.contains(range.startContainer) || !p.body.contains(range.endContainer)) return null;
    var before = document.createRange();
    before.selectNodeContents(p.body);
    before.setEnd(range.startContainer, range.startOffset);
    var prefix = before.toString();
    var text = range.toString();
    var lead = text.length - text.replace(/^\s+/, "").length;
    prefix += text.slice(0, lead);
    text = text.trim();
    if (!text) return null;
    return { quote: text, start: codePoints(prefix), range: range };
  }

  function take() {
    var p = parts();
    if (!p.body || !p.quote) return;
    var found = selected(p);
    if (!found) {
      hidePop();
      return;
    }
    p.quote.value = found.quote;
    p.start.value = found.start;
    var shown = found.quote.length > 60 ? found.quote.slice(0, 57) + "…" : found.quote;
    var n = words(found.quote);
    p.note.textContent = "Selected " + n + " word" + (n === 1 ? "" : "s") + ": “" + shown + "”";
    // A small button at the selection: claim it without going to the form.
    if (p.pop) {
      var box = found.range.getBoundingClientRect();
      var host = p.pop.offsetParent || document.body;
      var origin = host.getBoundingClientRect();
      p.pop.style.top = box.bottom - origin.top + 6 + "px";
      p.pop.style.left = Math.max(0, Math.min(box.left - origin.left, origin.width - 180)) + "px";
      p.pop.hidden = false;
    }
  }

  document.addEventListener("mouseup", take);
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Escape") take();
  });

  // Words typed by hand are looked up in the text instead.
  document.addEventListener("input", function (event) {
    var p = parts();
    if (event.isTrusted && p.quote && event.target === p.quote) {
      p.start.value = "";
      p.note.textContent = "";
    }
  });

  document.addEventListener("click", function (event) {
    // "Claim the selection": the side form, filled, posts itself (in place with htmx).
    if (event.target.closest("#claim-selection")) {
      var p = parts();
      if (p.form && p.quote.value) {
        hidePop();
        p.form.requestSubmit();
      }
      return;
    }
    // "Show in text": scroll to the sentence and light it; "a" now adds that one.
    var show = event.target.closest("[data-show]");
    if (show) {
      event.preventDefault();
      light(show.getAttribute("data-show"));
    }
  });

  function light(start) {
    document.querySelectorAll(".sent.lit, .suggestion.lit").forEach(function (node) {
      node.classList.remove("lit");
    });
    var spans = document.querySelectorAll(".sent[data-sent='" + start + "']");
    spans.forEach(function (node) {
      node.classList.add("lit");
    });
    var card = document.querySelector(".suggestion[data-sent='" + start + "']");
    if (card) card.classList.add("lit");
    if (spans.length) spans[0].scrollIntoView({ block: "center", behavior: "smooth" });
    var add = card && card.querySelector("button[type='submit']");
    if (add) {
      document.querySelectorAll(".suggestion [data-key='a']").forEach(function (b) {
        b.removeAttribute("data-key");
      });
      add.setAttribute("data-key", "a");
    }
  }

  // Keyboard: with the body focused, arrows move a caret and Shift+arrows select
  // (Ctrl/Alt with them: a word at a time); Escape clears the selection.
  var MOVES = {
    ArrowRight: ["forward", "character"],
    ArrowLeft: ["backward", "character"],
    ArrowDown: ["forward", "line"],
    ArrowUp: ["backward", "line"],
    Home: ["backward", "lineboundary"],
    End: ["forward", "lineboundary"],
  };

  document.addEventListener("focusin", function (event) {
    if (event.target.id !== "article-body") return;
    var selection = window.getSelection();
    if (selection.rangeCount && event.target.contains(selection.anchorNode)) return;
    var walker = document.createTreeWalker(event.target, NodeFilter.SHOW_TEXT);
    var first = walker.nextNode();
    if (first) selection.collapse(first, 0);
  });

  document.addEventListener("keydown", function (event) {
    if (event.target.id !== "article-body") return;
    if (event.key === "Escape") {
      window.getSelection().collapseToEnd();
      hidePop();
      return;
    }
    var move = MOVES[event.key];
    var selection = window.getSelection();
    if (!move || !selection.modify) return;
    event.preventDefault();
    var unit = event.ctrlKey || event.altKey ? "word" : move[1];
    selection.modify(event.shiftKey ? "extend" : "move", move[0], unit);
  });

  // After a claim is added in place, the reader's selection and focus stay with the text.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "article-work") {
      var body = document.getElementById("article-body");
      if (body && event.detail.requestConfig && event.detail.requestConfig.elt.id === "selection-form") {
        body.focus({ preventScroll: true });
      }
    }
  });
})();
