// Expert review pages: move focus to the error summary after a refused save, so keyboard
// and screen-reader users start from the list of what needs fixing.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }
});
