// The app in a real browser (run by `cargo xtask bench`):
//   node www/bench/app.mjs URL [CHROMIUM]
// - load to first frame: fresh page loads, median ms from navigation start to the mark the app
//   sets in the animation frame after its first complete picture;
// - main-thread ms per animation frame (median and p95) with 8 runs animating over the heatmap;
// - gzipped bytes of what the page loads: the wasm and the JS (and, apart, the en strings).
// Prints {"name","value","unit"} lines.

import { chromium } from 'playwright-core';
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { report } from './common.mjs';

const [url, executablePath = '/usr/bin/chromium'] = process.argv.slice(2);
if (!url) throw new Error('usage: node www/bench/app.mjs URL [CHROMIUM]');

const EIGHT = '#v=1&s=rosenbrock&start=-1.5,2&steps=1000'
  + '&run=sgd,lr=0.0005&run=sgd,lr=0.0005,momentum=0.9&run=sgd,lr=0.0005,momentum=0.9,nesterov=true'
  + '&run=adagrad,lr=0.5&run=rmsprop,lr=0.005&run=adam,lr=0.05&run=adamw,lr=0.05&run=nadam,lr=0.05';

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-timer-throttling'],
});
try {
  // Load to first frame (the first load warms the server's file cache and is dropped).
  const loads = [];
  for (let i = 0; i < 8; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    const ms = await page.evaluate(() => performance.getEntriesByName('optiscape-first-frame')[0]?.startTime);
    if (i > 0) loads.push(ms);
    await context.close();
  }
  report('app_first_frame', median(loads), 'ms', { samples: loads.length, target_at_most: 500 });

  // Frame work with 8 runs animating and the heatmap shown.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(url + EIGHT);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  const runs = await page.evaluate(() => window.optiscape.runs.length);
  if (runs !== 8) throw new Error(`expected 8 runs, got ${runs}`);
  await page.evaluate(() => window.optiscape.measureFrames(30));
  const times = await page.evaluate(() => window.optiscape.measureFrames(400));
  report('app_frame_median', median(times), 'ms', { frames: times.length, runs });
  report('app_frame_p95', quantile(times, 0.95), 'ms', { frames: times.length, runs, target_at_most: 6 });
  await context.close();
} finally {
  await browser.close();
}

// What the page downloads, gzipped (level 9).
const root = new URL('../', import.meta.url);
const js = readdirSync(root).filter((f) => f.endsWith('.js')).map((f) => new URL(f, root));
const files = [new URL('pkg/optiscape_bg.wasm', root), new URL('pkg/optiscape.js', root), ...js];
const gz = (u) => gzipSync(readFileSync(u), { level: 9 }).length;
const wasm = gz(files[0]);
const total = files.reduce((sum, f) => sum + gz(f), 0);
report('app_wasm_gzip', wasm / 1024, 'KiB');
report('app_wasm_js_gzip', total / 1024, 'KiB', { files: files.length, target_at_most: 300 });
report('app_strings_en_gzip', gz(new URL('i18n/en.json', root)) / 1024, 'KiB');
