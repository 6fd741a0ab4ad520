// Marks feed posts as read once they have been on screen, in small batches.
(function () {
  "use strict";
  var feed = document.getElementById("feed");
  if (!feed || !("IntersectionObserver" in window)) return;
  var url = feed.dataset.markReadUrl;
  var csrf = feed.dataset.csrf;
  var pending = new Set();
  var timer = null;

  function flush() {
    timer = null;
    if (!pending.size) return;
    var ids = Array.from(pending);
    pending.clear();
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ ids: ids }),
    });
  }

  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      var item = entry.target;
      observer.unobserve(item);
      pending.add(Number(item.dataset.postId));
      item.removeAttribute("data-unread");
      if (!timer) timer = setTimeout(flush, 1000);
    });
  }, { threshold: 0.6 });

  function watch(root) {
    root.querySelectorAll("[data-post-id][data-unread]").forEach(function (item) {
      observer.observe(item);
    });
  }

  watch(feed);
  // Older posts arrive through htmx; watch them too.
  document.body.addEventListener("htmx:afterSwap", function () { watch(feed); });
  window.addEventListener("pagehide", flush);
})();
