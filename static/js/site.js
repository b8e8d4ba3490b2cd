// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  var lang = document.documentElement.lang === "en" ? "en" : "fr";
  var words = {
    fr: {
      count: function (n, max) { return n + " / " + max + " caractères"; },
      over: function (n) { return n + (n > 1 ? " caractères de trop" : " caractère de trop"); },
      bold: "Gras", list: "Liste", tools: "Mise en forme"
    },
    en: {
      count: function (n, max) { return n + " / " + max + " characters"; },
      over: function (n) { return n + (n === 1 ? " character too many" : " characters too many"); },
      bold: "Bold", list: "List", tools: "Formatting"
    }
  }[lang];

  // A live counter under each field with a length limit: what maxlength would have cut
  // silently is shown, and the form's own error says it again on sending.
  function counter(field) {
    var out = document.getElementById(field.id + "-count");
    var max = parseInt(field.getAttribute("data-max"), 10);
    if (!out || !max) { return; }
    var update = function () {
      var n = field.value.length;
      out.hidden = n < max * 0.8;
      out.textContent = n > max ? words.over(n - max) : words.count(n, max);
      out.classList.toggle("char-count-over", n > max);
    };
    field.addEventListener("input", update);
    update();
  }

  // Bold and list, for people who never heard of Markdown: the buttons write it for them.
  function toolbar(area) {
    var bar = document.createElement("div");
    bar.className = "editor-tools";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", words.tools);
    bar.setAttribute("aria-controls", area.id);
    var add = function (label, action) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-small";
      button.textContent = label;
      button.addEventListener("click", function () { action(); area.focus(); });
      bar.appendChild(button);
    };
    add(words.bold, function () {
      var s = area.selectionStart, e = area.selectionEnd, v = area.value;
      var picked = v.slice(s, e) || (lang === "en" ? "text" : "texte");
      area.value = v.slice(0, s) + "**" + picked + "**" + v.slice(e);
      area.setSelectionRange(s + 2, s + 2 + picked.length);
      area.dispatchEvent(new Event("input"));
    });
    add(words.list, function () {
      var s = area.selectionStart, e = area.selectionEnd, v = area.value;
      var start = v.lastIndexOf("\n", s - 1) + 1;
      var lines = v.slice(start, e).split("\n").map(function (line) {
        return line.indexOf("- ") === 0 ? line : "- " + line;
      });
      var block = lines.join("\n");
      area.value = v.slice(0, start) + block + v.slice(e);
      area.setSelectionRange(start + block.length, start + block.length);
      area.dispatchEvent(new Event("input"));
    });
    area.parentNode.insertBefore(bar, area);
  }

  // The menu (a <details> in base.html) works by itself; on a wide screen it fits on one
  // line, so it is shown open there. Escape closes it on a phone and gives the focus back.
  function menu(details) {
    var wide = window.matchMedia ? window.matchMedia("(min-width: 48rem)") : null;
    var fit = function () { details.open = !!(wide && wide.matches); };
    fit();
    if (wide && wide.addEventListener) { wide.addEventListener("change", fit); }
    details.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && details.open && !(wide && wide.matches)) {
        details.open = false;
        details.querySelector("summary").focus();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details[data-menu]"), menu);
    // Bring the error summary into view and focus so screen readers announce it.
    var summary = document.querySelector("[data-autofocus]");
    if (summary) { summary.focus(); }
    Array.prototype.forEach.call(document.querySelectorAll("[data-max]"), counter);
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-editor]"), toolbar);
    // "Imprimer la liste" (the attendance list): the browser's own print, no inline script.
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    // A photo over the limit is refused here, before minutes of upload; the server
    // checks again (and keeps the text) when this file does not run.
    Array.prototype.forEach.call(document.querySelectorAll("input[type=file][data-max-bytes]"), function (input) {
      input.addEventListener("change", function () {
        var max = parseInt(input.getAttribute("data-max-bytes"), 10);
        var file = input.files && input.files[0];
        var note = document.getElementById(input.id + "-size-error");
        if (!note) {
          note = document.createElement("p");
          note.id = input.id + "-size-error";
          note.className = "error-message";
          note.setAttribute("role", "alert");
          input.parentNode.insertBefore(note, input);
        }
        if (file && file.size > max) {
          note.textContent = document.documentElement.lang === "en"
            ? "This photo is too heavy: " + Math.round(max / 1048576) + " MB at most. Choose another one."
            : "La photo est trop lourde : " + Math.round(max / 1048576) + " Mo au plus. Choisissez-en une autre.";
          input.value = "";
        } else {
          note.textContent = "";
        }
      });
    });
  });
})();
