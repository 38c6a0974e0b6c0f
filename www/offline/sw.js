// The site's service worker (`cargo xtask dist` writes it to `sw.js` beside the pages, with
// VERSION, the versioned folder's name, and FILES, every file of the site, put in front of this
// text). It makes the site work offline after one visit:
//
// - install: every file of this version goes into the cache `optiscape-<VERSION>`;
// - activate: the caches of other versions are deleted, and open pages are taken over;
// - fetch: a versioned file (`www-<hash>/…`, never changed under its name) comes from the
//   cache; a page or a data file is asked of the network first, so an update of the site is
//   seen on the next online visit, and comes from the cache when the network fails.
//
// An update of the site is a new `sw.js` (its VERSION changed): the browser installs it on
// the next online visit, and its activation replaces the old cache.

/* global VERSION, FILES */
const CACHE = `optiscape-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // From the server, not the browser's HTTP cache (which may still hold the old pages).
      const fresh = (file) => new Request(file, { cache: 'reload' });
      await cache.addAll(FILES.map(fresh));
      // The folder's own address, where the host serves index.html for it (not every host does).
      await cache.add(fresh('./')).catch(() => {});
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith('optiscape-') && key !== CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  const scope = new URL(self.registration.scope);
  if (!url.pathname.startsWith(scope.pathname)) return;
  const versioned = url.pathname.slice(scope.pathname.length).startsWith(`${VERSION}/`);
  event.respondWith(versioned ? cacheFirst(request) : networkFirst(request));
});

async function cacheFirst(request) {
  const hit = await caches.match(request, { cacheName: CACHE });
  return hit ?? fetch(request);
}

async function networkFirst(request) {
  try {
    return await fetch(request);
  } catch (error) {
    // Offline: the cached copy (a page's address may carry a query; its hash is never sent).
    const hit = await caches.match(request, { cacheName: CACHE, ignoreSearch: true });
    if (hit) return hit;
    throw error;
  }
}
