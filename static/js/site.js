// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Bring the error summary into view and focus so screen readers announce it.
    var summary = document.querySelector("[data-autofocus]");
    if (summary) { summary.focus(); }
  });
})();
