// A table wider than its column scrolls inside its wrapper. Only then is the wrapper a tab
// stop, so that keyboard users can scroll it (WCAG 2.1.1) and nobody meets a stop that does
// nothing; without script, the tables stack on narrow screens and need no scrolling.
(function () {
  "use strict";
  function markScrollingTables() {
    document.querySelectorAll(".table-scroll").forEach(function (wrapper) {
      if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
        wrapper.setAttribute("tabindex", "0");
      } else {
        wrapper.removeAttribute("tabindex");
      }
    });
  }
  markScrollingTables();
  window.addEventListener("resize", markScrollingTables);
})();
