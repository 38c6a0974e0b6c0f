// Offline after the first visit: on a site written by `cargo xtask dist` (its pages carry
// `<meta name="optiscape-site" content="www-<hash>">`), each page registers the site's service
// worker (`sw.js`, beside the pages; www/offline/sw.js is its source), which keeps the whole
// versioned site in the browser's cache. In the repo's dev server there is no such tag and no
// worker: a developer always sees the files as they are. A browser that refuses a worker (a
// private window, a frame whose storage is partitioned) just runs the page online.
//
// Each page registers it once it is ready, not before: on a first visit the worker installs by
// fetching the whole versioned site (three wasm builds among it), which on a 2-core machine
// delayed the surface lab's first picture by a third (287 → 411 ms, median of 7 loads).

/** Registers the site's service worker (a page calls this once its first picture is up). */
export function registerOffline() {
  const site = document.querySelector('meta[name="optiscape-site"]')?.content;
  if (!site || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register(new URL('sw.js', document.baseURI), { updateViaCache: 'none' }).catch(() => {});
}

