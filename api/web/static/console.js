// The console's only script, and only an enhancement: every page works without it.
(function () {
  'use strict';
  // The desk's scan field keeps the focus, so a USB scanner (it types like a keyboard, then Enter)
  // always lands there; what was there before is selected, so the next scan replaces it.
  var scan = document.querySelector('[data-scan]');
  if (scan) {
    scan.select();
    document.addEventListener('keydown', function (e) {
      var t = e.target;
      var typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT');
      if (!typing && e.key.length === 1 && !e.ctrlKey && !e.altKey && !e.metaKey) {
        scan.value = '';
        scan.focus();
      }
    });
  }
  // "打印本页" buttons (the page with an API key shown once).
  document.querySelectorAll('[data-print]').forEach(function (b) {
    b.addEventListener('click', function () { window.print(); });
  });
  // A second click on a form's button while the first post is under way must not post twice.
  document.querySelectorAll('form[method=post]').forEach(function (f) {
    f.addEventListener('submit', function () {
      var b = f.querySelector('button[type=submit]');
      if (b) { setTimeout(function () { b.disabled = true; }, 0); }
    });
  });
})();
// Coming back to a page from the history must find its buttons working again.
window.addEventListener('pageshow', function () {
  document.querySelectorAll('button[disabled]').forEach(function (b) { b.disabled = false; });
});
