// The phase diagram in a real browser (run by `cargo xtask bench`):
//   node www/bench/phase.mjs URL [CHROMIUM]
// The sweep of www/bench/phase-sweep.json (64×64 cells, 500 Adam steps each on Rosenbrock) run
// by the lab's own worker (www/phase-worker.js, the app's wasm) in headless Chromium, timed
// from posting the sweep to the arrival of its result on the main thread (the three coloured
// images included), after one warm-up sweep. The native peer sweeps the same file in
// `cargo bench --bench native`. Prints {"name","value","unit"} lines.

import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { Timing, report } from './common.mjs';

const [url, executablePath = '/usr/bin/chromium'] = process.argv.slice(2);
if (!url) throw new Error('usage: node www/bench/phase.mjs URL [CHROMIUM]');
const config = JSON.parse(readFileSync(new URL('./phase-sweep.json', import.meta.url), 'utf8'));
const REPS = 5;


const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-timer-throttling'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  const runs = await page.evaluate(async ({ config, reps }) => {
    const phase = window.optiscape.phase;
    await phase.measure(config);
    const out = [];
    for (let i = 0; i < reps; i++) out.push(await phase.measure(config));
    return out;
  }, { config, reps: REPS });
  const cells = runs[0].cells;
  if (cells !== 64 * 64) throw new Error(`expected 4096 cells, got ${cells}`);
  report('phase_64_browser', new Timing(runs.map((r) => r.wall)), 'ms', { cells, steps: config.run.steps, reps: REPS, diverged: runs[0].diverged, target_at_most: 2000 });
  report('phase_64_browser_worker', new Timing(runs.map((r) => r.ms)), 'ms', { cells, note: 'inside the worker, without the images and the messages' });
  await context.close();
} finally {
  await browser.close();
}
