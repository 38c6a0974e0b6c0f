// Shared set-up of the browser end-to-end tests: Debian's Chromium driven by playwright-core,
// the app served by `cargo xtask test` (OPTISCAPE_URL), screenshots under target/e2e/.

import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const URL = process.env.OPTISCAPE_URL ?? 'http://127.0.0.1:8080/';
export const OUT = process.env.E2E_OUT ?? 'target/e2e';

/** Chromium with the flags xtask passes (playwright brings its own headless mode and profile). */
export async function launch() {
  const args = JSON.parse(process.env.CHROMIUM_ARGS ?? '[]').filter(
    (a) => !a.startsWith('--user-data-dir') && a !== '--headless',
  );
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args, headless: true });
}

/**
 * Opens the app (or the page `path`, e.g. `classifier.html`; from `base`, by default the app's
 * server) in a fresh page and, with `ready`, waits until the wasm has started (`data-ready`).
 * Every console error, uncaught page error, failed request and HTTP error is collected in
 * `page.errors`.
 */
export async function openApp(browser, { hash = '', colorScheme = 'light', width = 1280, height = 900, locale = 'en-US', path = '', base = URL, ready = true } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, locale });
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') page.errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => page.errors.push(`page: ${err.message}`));
  page.on('requestfailed', (req) => page.errors.push(`request failed: ${req.url()}`));
  page.on('response', (res) => {
    if (res.status() >= 400) page.errors.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  await page.goto(base + path + hash);
  if (ready) await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return page;
}

/** Saves a screenshot as target/e2e/NAME.png. */
export async function screenshot(page, name) {
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
}

/** The end point of the drawn run, as the page exports it on the path canvas. */
export async function runEnd(page) {
  return page.locator('#overlay').evaluate((el) => [el.dataset.endX, el.dataset.endY, el.dataset.points]);
}

/** A hash of the pixels of the path canvas (changes when the drawn path changes). */
export async function pathPixels(page) {
  return page.locator('#overlay').evaluate((canvas) => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let h = 2166136261;
    for (let i = 0; i < data.length; i += 1) h = Math.imul(h ^ data[i], 16777619) >>> 0;
    return h;
  });
}

/** Waits until the path animation has drawn every run to its end. */
export async function animationDone(page) {
  await page.waitForFunction(() => {
    const app = window.optiscape;
    return app && !app.playing && app.lab.step() >= app.lab.max_step();
  });
}

/** The texts of the runs' legend entries. */
export async function legend(page) {
  return page.locator('#legend li').allTextContents();
}

/** Switches the page's language with its switch and waits for the strings. */
export async function switchLanguage(page, lang) {
  await page.locator('#lang').selectOption(lang);
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}
