// breachd console: live countdowns. Every element with a data-due time
// (RFC 3339) shows the time left to it, each second, and OVERDUE past it.
// No markup is written: textContent only.
(function () {
  "use strict";
  function left(ms) {
    var s = Math.floor(Math.abs(ms) / 1000);
    var d = Math.floor(s / 86400), h = Math.floor(s / 3600) % 24, m = Math.floor(s / 60) % 60;
    var out = (d ? d + "d " : "") + ((d || h) ? h + "h " : "") + m + "m " + (s % 60) + "s";
    return ms <= 0 ? "OVERDUE " + out : out;
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var due = Date.parse(el.getAttribute("data-due"));
      if (isNaN(due)) { return; }
      el.textContent = left(due - now);
      var row = el.closest("tr");
      if (row && due - now <= 0) { row.classList.add("overdue"); }
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);
})();
