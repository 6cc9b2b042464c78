// annalist: the month strip of a list page as one tab stop. The page marks every bar
// but the first with tabindex="-1" (so that without this script the bars cost one Tab
// press, and stay links for a pointer); here the arrow keys move among the bars, Home
// and End go to the first and the last, Page Up and Page Down a year back or on, and
// the bar last reached keeps the tab stop.
(function () {
  'use strict';
  var STEP = { ArrowLeft: -1, ArrowUp: -1, ArrowRight: 1, ArrowDown: 1, PageUp: -12, PageDown: 12 };

  Array.prototype.forEach.call(document.querySelectorAll('figure.strip svg'), function (svg) {
    var bars = Array.prototype.slice.call(svg.querySelectorAll('a'));
    if (bars.length < 2) return;

    function move(to) {
      bars.forEach(function (b) {
        b.setAttribute('tabindex', '-1');
      });
      bars[to].setAttribute('tabindex', '0');
      bars[to].focus();
    }

    svg.addEventListener('keydown', function (e) {
      if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      var at = bars.indexOf(e.target.closest ? e.target.closest('a') : null);
      if (at < 0) return;
      var to;
      if (e.key === 'Home') to = 0;
      else if (e.key === 'End') to = bars.length - 1;
      else if (STEP[e.key]) to = Math.max(0, Math.min(bars.length - 1, at + STEP[e.key]));
      else return;
      e.preventDefault();
      move(to);
    });
  });
})();
