// The notification centre: when htmx marks one notice read, lower the header's unread badge
// and the page's count without reloading. A file, not inline script, for the strict CSP.
(function () {
  "use strict";
  document.body.addEventListener("notificationsChanged", function () {
    var summary = document.querySelector("[data-unread-count]");
    if (summary) {
      summary.textContent = summary.textContent.replace(/\d+/, function (n) {
        return String(Math.max(parseInt(n, 10) - 1, 0));
      });
    }
    var badge = document.querySelector('.site-nav a[href$="/notifications/"] .badge');
    if (!badge || !badge.firstChild) {
      return;
    }
    var count = parseInt(badge.firstChild.textContent, 10) - 1;
    if (isNaN(count) || count <= 0) {
      badge.remove();
      return;
    }
    badge.firstChild.textContent = String(count);
  });
})();
