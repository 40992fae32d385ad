// The print button of console slips: the console's pages run no inline script (CSP script-src 'self').
document.addEventListener("DOMContentLoaded", function () {
  var b = document.getElementById("print");
  if (b) b.addEventListener("click", function () { window.print(); });
});
