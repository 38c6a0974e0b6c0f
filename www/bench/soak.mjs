// Soak (run by `cargo xtask bench`): memory over long use, in headless Chromium.
//   node www/bench/soak.mjs URL [CHROMIUM]
// - the surface lab animating 8 runs of 5000 steps for 10^6 shared steps: frame after frame
//   (the animation's own work, `lab.advance` and `drawFrame`, 100 steps a frame, about 10^4
//   frames, looping from step 0 at the end), without waiting for the screen's refresh;
// - the classifier training the spiral (2-8-8-2, batch 10: 50 updates an epoch) at full speed
//   for 10^5 updates, the page drawing as it trains.
// The JS heap of the page (after a forced garbage collection) and the wasm memory (the lab's;
// the training worker's) are read after a warm-up (the first fifth of the run) and then at
// each further fifth; the result is the growth from the warm-up to the end, and the largest
// reading. Flat memory is a growth near zero. Prints {"name","value","unit"} lines.

import { chromium } from 'playwright-core';
import { report } from './common.mjs';

const [url, executablePath = '/usr/bin/chromium'] = process.argv.slice(2);
if (!url) throw new Error('usage: node www/bench/soak.mjs URL [CHROMIUM]');

const EIGHT = '#v=1&s=rosenbrock&start=-1.5,2&steps=5000'
  + '&run=sgd,lr=0.0005&run=sgd,lr=0.0005,momentum=0.9&run=sgd,lr=0.0005,momentum=0.9,nesterov=true'
  + '&run=adagrad,lr=0.5&run=rmsprop,lr=0.005&run=adam,lr=0.05&run=adamw,lr=0.05&run=nadam,lr=0.05';
const SHARED_STEPS = 1e6;
const UPDATES = Number(process.env.OPTISCAPE_SOAK_UPDATES ?? 1e5);
const MiB = 1024 * 1024;

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-timer-throttling'],
});

/** The page's JS heap after a full garbage collection, in bytes. */
async function heap(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

/** Growth from the first reading to the last, and the largest, in MiB. */
function summary(readings) {
  const first = readings[0];
  const last = readings[readings.length - 1];
  return { growth: (last - first) / MiB, max: Math.max(...readings) / MiB, first: first / MiB, readings: readings.map((r) => +(r / MiB).toFixed(3)) };
}

try {
  // The surface lab.
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await page.goto(url + EIGHT);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    const runs = await page.evaluate(() => window.optiscape.runs.length);
    if (runs !== 8) throw new Error(`expected 8 runs, got ${runs}`);
    /** Animates frames of 100 steps until `target` steps are animated (yielding every 100 frames); returns the steps. */
    const animate = (target) => page.evaluate(async (want) => {
      const app = window.optiscape;
      let steps = 0;
      for (let f = 0; steps < want; f++) {
        if (app.lab.step() >= app.lab.max_step()) app.lab.set_step(0);
        const before = app.lab.step();
        steps += app.lab.advance(100) - before;
        app.drawFrame();
        if (f % 100 === 99) await new Promise((r) => setTimeout(r, 0));
      }
      return steps;
    }, target);
    let steps = await animate(SHARED_STEPS / 5); // warm-up: the first fifth
    const js = [await heap(cdp)];
    const wasm = [await page.evaluate(() => window.optiscape.memory.buffer.byteLength)];
    const t0 = Date.now();
    for (let q = 0; q < 4; q++) {
      steps += await animate(SHARED_STEPS / 5);
      js.push(await heap(cdp));
      wasm.push(await page.evaluate(() => window.optiscape.memory.buffer.byteLength));
    }
    const a = summary(js);
    const b = summary(wasm);
    report('soak_lab_js_heap_growth', a.growth, 'MiB', { steps, runs, seconds: (Date.now() - t0) / 1000, first_mib: a.first, max_mib: a.max, readings_mib: a.readings, target_at_most: 1 });
    report('soak_lab_wasm_growth', b.growth, 'MiB', { steps, first_mib: b.first, max_mib: b.max, readings_mib: b.readings, target_at_most: 0 });
    await context.close();
  }

  // The classifier.
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await page.goto(`${url}classifier.html#v=1&data=spiral&n=500&hidden=8,8&act=tanh&batch=10&opt=sgd,lr=0.03&speed=max&cpu=1`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    const worker = () => page.workers().find((w) => w.url().includes('/classifier/worker.js'));
    const readings = { js: [], wasm: [] };
    const read = async () => {
      readings.js.push(await heap(cdp));
      readings.wasm.push(await worker().evaluate(() => self.optiscapeWasmBytes?.() ?? 0));
    };
    await page.locator('#play').click();
    const t0 = Date.now();
    const until = async (updates) => {
      await page.waitForFunction((u) => Number(document.getElementById('updates-value').textContent.replace(/\D/g, '')) >= u, updates, { timeout: 600_000, polling: 200 });
    };
    await until(UPDATES / 5); // warm-up: the first fifth
    await read();
    for (let q = 2; q <= 5; q++) {
      await until((UPDATES * q) / 5);
      await read();
    }
    const updates = Number((await page.locator('#updates-value').textContent()).replace(/\D/g, ''));
    await page.locator('#play').click();
    const a = summary(readings.js);
    const b = summary(readings.wasm);
    report('soak_classifier_js_heap_growth', a.growth, 'MiB', { updates, seconds: (Date.now() - t0) / 1000, first_mib: a.first, max_mib: a.max, readings_mib: a.readings, target_at_most: 1 });
    report('soak_classifier_worker_wasm_growth', b.growth, 'MiB', { updates, first_mib: b.first, max_mib: b.max, readings_mib: b.readings, target_at_most: 0 });
    await context.close();
  }
} finally {
  await browser.close();
}
