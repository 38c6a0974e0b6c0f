// Offline after the first visit: on a site written by `cargo xtask dist` (its pages carry
// `<meta name="optiscape-site" content="www-<hash>">`), each page registers the site's service
// worker (`sw.js`, beside the pages; www/offline/sw.js is its source), which keeps the whole
// versioned site in the browser's cache. In the repo's dev server there is no such tag and no
// worker: a developer always sees the files as they are. A browser that refuses a worker (a
// private window, a frame whose storage is partitioned) just runs the page online.

export function registerOffline() {
  const site = document.querySelector('meta[name="optiscape-site"]')?.content;
  if (!site || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register(new URL('sw.js', document.baseURI), { updateViaCache: 'none' }).catch(() => {});
}

registerOffline();
