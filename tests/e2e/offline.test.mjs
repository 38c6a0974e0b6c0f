// Offline after the first visit (www/offline/sw.js, registered by www/common/offline.js on a
// site `cargo xtask dist` wrote): a copy of the dist site under a sub-path of its server
// (OPTISCAPE_DIST_DIR, served at OPTISCAPE_DIST_URL) is opened once online; with the browser
// then set offline, the labs still load and run. An update of the site (a new versioned folder,
// new pages, a new sw.js) replaces the cache on the next online visit. The negative control: a
// browser that blocks service workers cannot reload the page offline, so the offline switch
// does cut the network and the worker is what keeps the site.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, screenshot } from './helpers.mjs';

const DIST = process.env.OPTISCAPE_DIST_URL;
const DIR = process.env.OPTISCAPE_DIST_DIR;
const skip = !(DIST && DIR) && 'OPTISCAPE_DIST_URL and OPTISCAPE_DIST_DIR are not set';
/** The copy's folder under the dist site: a sub-path, as a course server would host it. */
const SUB = 'offline-copy';

let browser;
before(async () => {
  if (skip) return;
  rmSync(join(DIR, SUB), { recursive: true, force: true });
  const entries = readdirSync(DIR).filter((n) => n !== SUB);
  for (const name of entries) cpSync(join(DIR, name), join(DIR, SUB, name), { recursive: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  if (!skip) rmSync(join(DIR, SUB), { recursive: true, force: true });
});

const versionOf = (dir) => readdirSync(dir).find((n) => /^www-[0-9a-f]{12}$/.test(n));

/** Polls `fn` in the page (awaited, unlike waitForFunction's predicate) until it returns true. */
async function until(page, fn, arg, what) {
  const t0 = Date.now();
  while (!(await page.evaluate(fn, arg))) {
    if (Date.now() - t0 > 30_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Waits until the page is controlled by the service worker and its cache holds every file. */
async function offlineReady(page) {
  await until(
    page,
    async () => {
      if (!navigator.serviceWorker.controller) return false;
      const keys = await caches.keys();
      if (keys.length !== 1) return false;
      const cached = await (await caches.open(keys[0])).keys();
      const site = document.querySelector('meta[name="optiscape-site"]').content;
      return keys[0] === `optiscape-${site}` && cached.length > 60;
    },
    null,
    'the service worker and its cache',
  );
}

/** Opens `path` and waits for the lab to start; returns the page's uncaught errors. */
async function openReady(page, path) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${DIST}${SUB}/${path}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return errors;
}

test('after one visit the labs load and run with the network off', { skip }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await openReady(page, 'index.html#v=1&scene=saddle&lang=en');
  await offlineReady(page);

  await context.setOffline(true);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  // It runs: play moves the runs.
  await page.evaluate(() => window.optiscape.play());
  await page.waitForFunction(() => window.optiscape.lab.step() > 10, null, { timeout: 30_000 });
  await screenshot(page, 'offline-lab');
  // The classifier, never opened before, is in the cache too; its worker trains offline.
  await page.goto(`${DIST}${SUB}/classifier.html#v=1&lang=en`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  await page.getByRole('button', { name: 'One epoch' }).click();
  await page.waitForFunction(() => document.getElementById('epoch-value').textContent === '1', null, { timeout: 30_000 });
  await screenshot(page, 'offline-classifier');
  assert.deepEqual(errors, []);
  await context.close();
});

test('negative control: without the service worker, the page does not load offline', { skip }, async () => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await openReady(page, 'index.html#v=1&scene=saddle&lang=en');
  await context.setOffline(true);
  await assert.rejects(page.reload(), /ERR_INTERNET_DISCONNECTED/);
  await context.close();
});

test('an update of the site replaces the cache on the next online visit', { skip }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await openReady(page, 'index.html#v=1&scene=saddle&lang=en');
  await offlineReady(page);
  const dir = join(DIR, SUB);
  const old = versionOf(dir);

  // The site is published again with a change: a new versioned folder, pages and sw.js.
  const next = `www-${(BigInt(`0x${old.slice(4)}`) ^ 1n).toString(16).padStart(12, '0')}`;
  renameSync(join(dir, old), join(dir, next));
  for (const name of readdirSync(dir).filter((n) => /\.(html|js)$/.test(n) || n === '_headers')) {
    writeFileSync(join(dir, name), readFileSync(join(dir, name), 'utf8').replaceAll(old, next));
  }

  await page.reload();
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  assert.equal(await page.locator('meta[name="optiscape-site"]').getAttribute('content'), next);
  await until(page, async (want) => JSON.stringify(await caches.keys()) === JSON.stringify([`optiscape-${want}`]), next, 'the new cache alone');
  await offlineReady(page);

  // Offline, the new version is what loads.
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  const scripts = await page.evaluate(() => [...document.querySelectorAll('script[src]')].map((s) => s.getAttribute('src')));
  assert.ok(scripts.every((s) => s.startsWith(`${next}/`)), scripts.join(' '));
  await context.close();
});
