// The app in a real browser (run by `cargo xtask bench`):
//   node www/bench/app.mjs URL [CHROMIUM]
// - load to first frame: fresh page loads, median ms from navigation start to the mark the app
//   sets in the animation frame after its first complete picture;
// - main-thread ms per animation frame (median and p95) with 8 runs animating over the heatmap;
// - gzipped bytes of what the page fetched before its first frame: wasm + JS, and the data
//   (strings, scenes) apart and in a total.
// Prints {"name","value","unit"} lines.

import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { Timing, report } from './common.mjs';

const [url, executablePath = '/usr/bin/chromium'] = process.argv.slice(2);
if (!url) throw new Error('usage: node www/bench/app.mjs URL [CHROMIUM]');

const EIGHT = '#v=1&s=rosenbrock&start=-1.5,2&steps=1000'
  + '&run=sgd,lr=0.0005&run=sgd,lr=0.0005,momentum=0.9&run=sgd,lr=0.0005,momentum=0.9,nesterov=true'
  + '&run=adagrad,lr=0.5&run=rmsprop,lr=0.005&run=adam,lr=0.05&run=adamw,lr=0.05&run=nadam,lr=0.05';

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-timer-throttling'],
});
const fetched = new Map();
const bodies = [];
let early = [];
try {
  // Load to first frame (the first load warms the server's file cache and is dropped; it also
  // records every file the page fetched until its first frame, for the sizes below).
  const loads = [];
  for (let i = 0; i < 8; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    if (i === 0) {
      page.on('response', (r) => {
        if (!r.ok()) return;
        bodies.push(r.body().then((b) => fetched.set(new URL(r.url()).pathname, b), () => {}));
      });
    }
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    const ms = await page.evaluate(() => performance.getEntriesByName('optiscape-first-frame')[0]?.startTime);
    if (i > 0) loads.push(ms);
    else {
      early = await page.evaluate((mark) => performance.getEntriesByType('resource')
        .filter((e) => e.startTime < mark).map((e) => new URL(e.name).pathname), ms);
      page.removeAllListeners('response');
      await Promise.all(bodies);
    }
    await context.close();
  }
  report('app_first_frame', new Timing(loads), 'ms', { samples: loads.length, target_at_most: 300 });

  // Frame work with 8 runs animating and the heatmap shown.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(url + EIGHT);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  const runs = await page.evaluate(() => window.optiscape.runs.length);
  if (runs !== 8) throw new Error(`expected 8 runs, got ${runs}`);
  await page.evaluate(() => window.optiscape.measureFrames(30));
  const times = await page.evaluate(() => window.optiscape.measureFrames(400));
  report('app_frame_median', new Timing(times), 'ms', { frames: times.length, runs });
  report('app_frame_p95', quantile(times, 0.95), 'ms', { frames: times.length, runs, target_at_most: 6 });
  await context.close();
} finally {
  await browser.close();
}

// What the page fetched before its first frame, gzipped (level 9): the wasm and the JS modules
// (the modules it imports after its first frame are counted in the total of everything), and apart
// the data files (strings, scenes).
const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
const isWasm = (p) => p.endsWith('.wasm');
const isJs = (p) => p.endsWith('.js') || p.endsWith('.mjs');
const isData = (p) => p.endsWith('.json');
const isCode = (p) => isWasm(p) || isJs(p);
const sum = (paths) => paths.reduce((n, p) => n + gz(fetched.get(p) ?? Buffer.alloc(0)), 0);
const before = early.filter((p) => fetched.has(p));
const all = [...fetched.keys()];
if (!before.some(isWasm)) throw new Error(`the page fetched no wasm before its first frame: ${before.join(', ')}`);
const br = (bytes) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const sumBr = (paths) => paths.reduce((n, p) => n + br(fetched.get(p) ?? Buffer.alloc(0)), 0);
report('app_wasm_gzip', sum(before.filter(isWasm)) / 1024, 'KiB', { files: before.filter(isWasm) });
report('app_wasm_js_gzip', sum(before.filter(isCode)) / 1024, 'KiB', {
  files: before.filter(isCode).length,
  target_at_most: 200,
});
report('app_wasm_js_brotli', sumBr(before.filter(isCode)) / 1024, 'KiB', { files: before.filter(isCode).length });
// The classifier page's wasm (www/pkg/): the SIMD build, the one a browser with SIMD fetches
// (www/common/wasm-build.js), and the baseline build the others fetch.
const classifierWasm = readFileSync(new URL('../pkg/optiscape_simd_bg.wasm', import.meta.url));
report('classifier_wasm_gzip', gz(classifierWasm) / 1024, 'KiB', { target_at_most: 300, file: 'optiscape_simd_bg.wasm' });
report('classifier_wasm_brotli', br(classifierWasm) / 1024, 'KiB', { file: 'optiscape_simd_bg.wasm' });
const baselineWasm = readFileSync(new URL('../pkg/optiscape_bg.wasm', import.meta.url));
report('classifier_wasm_baseline_gzip', gz(baselineWasm) / 1024, 'KiB', { file: 'optiscape_bg.wasm' });
report('classifier_wasm_baseline_brotli', br(baselineWasm) / 1024, 'KiB', { file: 'optiscape_bg.wasm' });
report('app_data_gzip', sum(before.filter(isData)) / 1024, 'KiB', { files: before.filter(isData) });
report('app_everything_gzip', sum(all.filter((p) => isCode(p) || isData(p))) / 1024, 'KiB', {
  files: all.filter((p) => isCode(p) || isData(p)).length,
  note: 'wasm, JS and data the page loads until it is ready, the modules imported after the first frame included',
});
