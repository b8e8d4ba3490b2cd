// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Bring the error summary into view and focus so screen readers announce it.
    var summary = document.querySelector("[data-autofocus]");
    if (summary) { summary.focus(); }
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
