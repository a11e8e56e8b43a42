// Keeps a page region current without a reload: fetches its content every few seconds and
// swaps it in when it changed. The region is aria-live="polite", so a screen reader hears
// what changed without losing its place. Without JavaScript the page still works (reload).
(function () {
  const region = document.querySelector("[data-live]");
  if (!region) return;
  const url = region.dataset.live;
  let last = null;
  async function refresh() {
    try {
      const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
      if (response.ok) {
        const html = await response.text();
        const body = html.replace(/<p class="small muted">[^<]*<\/p>\s*$/, "");
        if (last !== null && body !== last) region.innerHTML = html;
        last = body;
      } else if (response.status === 401 || response.redirected) {
        window.location.reload();
      }
    } catch (error) {
      // The server is restarting or the network is down: try again at the next tick.
    }
  }
  refresh();
  window.setInterval(refresh, 4000);
})();
