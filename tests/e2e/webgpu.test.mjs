// The classifier's WebGPU backend in headless Chromium. With `--enable-unsafe-webgpu`
// Chromium offers a software adapter (SwiftShader) here: the same runs on the GPU (f32) and
// the CPU (wasm, f64) agree within the stated tolerance, the badge names the adapter and says
// "software fallback", "Force CPU" moves a run, and a lost device hands the run back to the
// CPU with a notice. Without the flag (the suite's own browser) the page trains on the CPU
// and says why.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { launch, openApp, screenshot } from './helpers.mjs';

const PATH = 'classifier.html';
/**
 * f32 against f64 after two epochs (~20–40 updates): losses within 2e-4 relative (measured:
 * ~1e-6), accuracies within one row of the set.
 */
const LOSS_TOL = 2e-4;

let gpuBrowser;
let cpuBrowser;
before(async () => {
  const args = JSON.parse(process.env.CHROMIUM_ARGS ?? '[]').filter((a) => !a.startsWith('--user-data-dir') && a !== '--headless');
  gpuBrowser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [...args.filter((a) => a !== '--disable-gpu'), '--enable-unsafe-webgpu'],
    headless: true,
  });
  cpuBrowser = await launch();
});
after(async () => {
  await gpuBrowser?.close();
  await cpuBrowser?.close();
});

const near = (a, b, tol = LOSS_TOL) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

/** The page's own checks after a test: no console error, no banner. */
async function clean(page) {
  assert.deepEqual(page.errors, []);
  assert.equal(await page.locator('#banner').isHidden(), true, await page.locator('#banner-text').textContent());
}

async function badge(page, backend) {
  await page.waitForSelector(`#backend-badge[data-backend="${backend}"]`, { timeout: 30_000 });
  return page.locator('#backend-badge').textContent();
}

/** Presses "One epoch" `n` times, each time until the epoch's metrics arrived. */
async function epochs(page, n) {
  for (let i = 0; i < n; i += 1) {
    const had = await page.evaluate(() => window.classifier.history.trainAcc.length);
    await page.getByRole('button', { name: 'One epoch' }).click();
    await page.waitForFunction((k) => window.classifier.history.trainAcc.length > k, had, { timeout: 30_000 });
  }
  return page.evaluate(() => {
    const h = window.classifier.history;
    return { trainLoss: h.trainLoss, testLoss: h.testLoss, trainAcc: h.trainAcc, testAcc: h.testAcc, steps: window.classifier.stepsDone };
  });
}

const CONFIGS = [
  ['sgd, nesterov momentum, weight decay, tanh', { hidden: [8, 8], activation: 'tanh', optimizer: { name: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true, weight_decay: 1e-3 }, batch_size: 16 }],
  ['adam with amsgrad, batch norm, relu, MSE, 3 classes', { data: { name: 'spiral', n: 200, classes: 3, noise: 0.1, seed: 1 }, hidden: [16], activation: 'relu', batchnorm: true, loss: 'mse', optimizer: { name: 'adam', lr: 0.01, amsgrad: true }, batch_size: 32 }],
  ['centered rmsprop with momentum, sigmoid', { hidden: [8, 8], activation: 'sigmoid', optimizer: { name: 'rmsprop', lr: 0.01, momentum: 0.5, centered: true }, batch_size: 20 }],
  ['adagrad with lr_decay, batch norm', { hidden: [8], activation: 'tanh', batchnorm: true, optimizer: { name: 'adagrad', lr: 0.1, lr_decay: 0.01 }, batch_size: 25 }],
  ['adamw with a cosine schedule, a last partial batch', { hidden: [8], activation: 'tanh', optimizer: { name: 'adamw', lr: 0.01 }, schedule: { name: 'cosine', t_max: 40 }, batch_size: 30 }],
  ['sgd on the digits (64-32-10 relu), batches of 300 (a workgroup per weight gradient)', { data: { name: 'digits' }, hidden: [32], activation: 'relu', optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 }, batch_size: 300 }],
];

test('the GPU backend (WGSL, f32) and the CPU core (f64) train the same runs alike', async () => {
  const page = await openApp(gpuBrowser, { path: PATH });
  const results = await page.evaluate(async (configs) => {
    const pkg = await import('./www/pkg/optiscape.js');
    await pkg.default();
    const { loadDigits } = await import('./www/classifier/digits.js');
    await loadDigits(pkg.provide_digits);
    const { openDevice, GpuTrainer } = await import('./www/classifier/gpu/engine.js');
    const { device, adapter } = await openDevice();
    const out = [];
    for (const [name, partial] of configs) {
      const cfg = { data: { name: 'spiral', n: 200, classes: 2, noise: 0.1, seed: 1 }, seed: 3, ...partial };
      const cpu = new pkg.Trainer(JSON.stringify(cfg));
      const gpu = new pkg.Trainer(JSON.stringify(cfg));
      const engine = await GpuTrainer.create(device, gpu);
      cpu.run(1e9, 1e9, true);
      cpu.run(1e9, 1e9, true);
      let chunks = 0;
      while (gpu.epochs_done() < 2) {
        await engine.chunk(3, { wantState: chunks % 2 === 0 });
        chunks += 1;
      }
      out.push({ name, cpu: JSON.parse(cpu.history()), gpu: JSON.parse(gpu.history()), steps: [cpu.steps_done(), gpu.steps_done()], chunks });
      engine.destroy();
      cpu.free();
      gpu.free();
    }
    return { adapter, out };
  }, CONFIGS);
  assert.equal(results.adapter.fallback, true, 'headless Chromium offers a software adapter');
  for (const { name, cpu, gpu, steps, chunks } of results.out) {
    assert.equal(gpu.length, 2, name);
    assert.deepEqual(steps[0], steps[1], name);
    assert.ok(chunks > 2, `${name}: several chunks per epoch`);
    for (let e = 0; e < 2; e += 1) {
      const [c, g] = [cpu[e], gpu[e]];
      assert.equal(g.steps, c.steps, name);
      assert.ok(near(g.train_loss, c.train_loss), `${name}, epoch ${e + 1}: mean batch loss ${g.train_loss} vs ${c.train_loss}`);
      assert.ok(near(g.train.loss, c.train.loss), `${name}, epoch ${e + 1}: eval loss ${g.train.loss} vs ${c.train.loss}`);
      assert.ok(Math.abs(g.train.correct - c.train.correct) <= 1, `${name}, epoch ${e + 1}: ${g.train.correct} vs ${c.train.correct} right`);
      if (c.test) {
        assert.ok(near(g.test.loss, c.test.loss), `${name}: test loss ${g.test.loss} vs ${c.test.loss}`);
        assert.ok(Math.abs(g.test.correct - c.test.correct) <= 1, name);
      }
      assert.ok(near(g.grad_noise, c.grad_noise, 1e-3), `${name}: gradient noise ${g.grad_noise} vs ${c.grad_noise}`);
      assert.equal(g.lr, c.lr, `${name}: the schedule's lr`);
    }
    // The runs moved: a tolerance this tight cannot be met by two untrained networks.
    assert.notEqual(cpu[1].train.loss, cpu[0].train.loss, name);
  }
  await page.context().close();
});

test('a run moved GPU → CPU → GPU mid-training, weights and optimizer state, matches one left alone', async () => {
  const page = await openApp(gpuBrowser, { path: PATH });
  const out = await page.evaluate(async () => {
    const pkg = await import('./www/pkg/optiscape.js');
    await pkg.default();
    const { openDevice, GpuTrainer } = await import('./www/classifier/gpu/engine.js');
    const { device } = await openDevice();
    const results = [];
    for (const optimizer of [
      { name: 'adam', lr: 0.01, amsgrad: true },
      { name: 'sgd', lr: 0.1, momentum: 0.9 },
      { name: 'rmsprop', lr: 0.01, momentum: 0.3, centered: true },
      { name: 'adagrad', lr: 0.1, initial_accumulator_value: 0.1 },
    ]) {
      const cfg = JSON.stringify({ data: { name: 'spiral', n: 200, classes: 2, noise: 0.1, seed: 1 }, hidden: [8], activation: 'tanh', batchnorm: true, optimizer, batch_size: 20, seed: 5 });
      const alone = new pkg.Trainer(cfg);
      for (let e = 0; e < 3; e += 1) alone.run(1e9, 1e9, true);
      const moved = new pkg.Trainer(cfg);
      let engine = await GpuTrainer.create(device, moved);
      while (moved.epochs_done() < 1) await engine.chunk(4);
      await engine.pull();
      moved.gpu_handover(new Float64Array(0), engine.lastOptimizer);
      engine.destroy();
      moved.run(1e9, 1e9, true);
      engine = await GpuTrainer.create(device, moved);
      while (moved.epochs_done() < 3) await engine.chunk(4);
      engine.destroy();
      results.push({ name: optimizer.name, alone: JSON.parse(alone.history()), moved: JSON.parse(moved.history()) });
      alone.free();
      moved.free();
    }
    return results;
  });
  for (const { name, alone, moved } of out) {
    assert.equal(moved.length, 3, name);
    for (let e = 0; e < 3; e += 1) {
      assert.ok(near(moved[e].train.loss, alone[e].train.loss), `${name}, epoch ${e + 1}: ${moved[e].train.loss} vs ${alone[e].train.loss}`);
      assert.ok(near(moved[e].train_loss, alone[e].train_loss), `${name}, epoch ${e + 1}: batch losses`);
    }
  }
  await page.context().close();
});

test('the page trains on the GPU with a badge naming the adapter, and matches "Force CPU"', async () => {
  const hash = '#v=1&opt=adam,lr=0.01&seed=2';
  const page = await openApp(gpuBrowser, { path: PATH, hash });
  const text = await badge(page, 'software');
  assert.match(text, /software fallback adapter, not a real GPU/);
  assert.match(text, /swiftshader/i);
  assert.equal(await page.getByLabel('Force CPU').isChecked(), false);
  const gpu = await epochs(page, 4);
  await screenshot(page, 'classifier-webgpu');
  await clean(page);
  await page.context().close();

  const cpuPage = await openApp(gpuBrowser, { path: PATH, hash: `${hash}&cpu=1` });
  assert.match(await badge(cpuPage, 'cpu'), /CPU.*forced by the switch/);
  assert.equal(await cpuPage.getByLabel('Force CPU').isChecked(), true);
  const cpu = await epochs(cpuPage, 4);
  assert.equal(gpu.steps, cpu.steps);
  for (let e = 0; e < 4; e += 1) {
    assert.ok(near(gpu.trainLoss[e], cpu.trainLoss[e], 1e-3), `epoch ${e + 1}: ${gpu.trainLoss[e]} vs ${cpu.trainLoss[e]}`);
    assert.ok(near(gpu.testLoss[e], cpu.testLoss[e], 1e-3), `epoch ${e + 1}: test ${gpu.testLoss[e]} vs ${cpu.testLoss[e]}`);
    assert.ok(Math.abs(gpu.trainAcc[e] - cpu.trainAcc[e]) <= 1 / 250 + 1e-9, `epoch ${e + 1}: ${gpu.trainAcc[e]} vs ${cpu.trainAcc[e]}`);
  }
  // Switching back moves the run to the GPU with its weights and optimizer state: epoch 5
  // there matches epoch 5 of the page that stayed on the GPU.
  await cpuPage.getByLabel('Force CPU').uncheck();
  await badge(cpuPage, 'software');
  assert.doesNotMatch(cpuPage.url(), /cpu=1/);
  const after = await epochs(cpuPage, 1);
  assert.equal(after.trainAcc.length, 5);
  const stayed = await openApp(gpuBrowser, { path: PATH, hash });
  await badge(stayed, 'software');
  const ref = await epochs(stayed, 5);
  assert.ok(near(after.trainLoss[4], ref.trainLoss[4], 1e-3), `epoch 5: ${after.trainLoss[4]} vs ${ref.trainLoss[4]}`);
  await stayed.context().close();
  await clean(cpuPage);
  await cpuPage.context().close();
});

test('a lost GPU device hands the run to the CPU with a notice and keeps its progress', async () => {
  const page = await openApp(gpuBrowser, { path: PATH, hash: '#v=1&opt=adam,lr=0.01' });
  await badge(page, 'software');
  const before = await epochs(page, 3);
  await page.evaluate(() => window.classifier.worker.postMessage({ type: 'gpu-lose' }));
  await badge(page, 'cpu');
  const notice = page.locator('#backend-notice');
  await notice.waitFor({ state: 'visible' });
  assert.match(await notice.textContent(), /The GPU failed \(lost.*Training goes on on the CPU from the weights and the optimizer state \(moments, sums\) read back at update \d+/);
  assert.match(await page.locator('#backend-badge').textContent(), /CPU.*the GPU failed \(lost\)/);
  const after = await epochs(page, 2);
  assert.equal(after.trainAcc.length, 5, 'the epochs go on from the fourth');
  assert.ok(after.steps > before.steps);
  assert.ok(after.trainLoss[4] < 1.5 * before.trainLoss[2], `the loss goes on from where it was: ${after.trainLoss}`);
  await screenshot(page, 'classifier-webgpu-lost');
  await clean(page);
  await page.context().close();
});

test('the batch-size experiment times each size on the CPU and on the GPU, one line each', async () => {
  const page = await openApp(gpuBrowser, { path: PATH, hash: '#v=1&sizes=8_32_128&sweep=2' });
  await badge(page, 'software');
  await page.getByRole('button', { name: 'Run the experiment' }).click();
  await page.waitForSelector('#sweep-section[data-done="true"]', { timeout: 120_000 });
  // The table is drawn in the animation frame after the job ends: wait for its last cells.
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('#sweep-body tr')];
    return rows.length === 3 && rows.every((tr) => !tr.textContent.includes('…'));
  }, null, { timeout: 10_000 });
  const rows = await page.locator('#sweep-body tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  assert.deepEqual(rows.map((r) => r[0]), ['8', '32', '128']);
  for (const r of rows) {
    assert.equal(r.length, 8, r.join(' | '));
    assert.match(r[2], /µs|ms/, 'CPU time per update');
    assert.match(r[3], /µs|ms/, 'GPU time per update');
  }
  // SwiftShader is a software adapter: the GPU column, the line and the note say so, and that
  // its times prove nothing about parallel hardware.
  assert.deepEqual(await page.locator('#sweep-time-legend > span').allTextContents(), ['CPU (wasm)', 'WebGPU, software adapter: google swiftshader']);
  assert.equal(await page.locator('#sweep-col-gpu').textContent(), 'Time per update on WebGPU with a software adapter (not parallel hardware)');
  assert.match(await page.locator('#sweep-backends').textContent(), /GPU column: WebGPU on google swiftshader, a software adapter .*say nothing about parallel hardware/);
  await page.locator('#sweep-time-chart').scrollIntoViewIfNeeded();
  await screenshot(page, 'classifier-webgpu-sweep');
  await clean(page);
  await page.context().close();
});

test('an optimizer the GPU lacks trains on the CPU and the badge says why', async () => {
  const page = await openApp(gpuBrowser, { path: PATH, hash: '#v=1&opt=nadam' });
  assert.match(await badge(page, 'cpu'), /NAdam is not ported to the GPU \(SGD, .*Adam.* are\)/);
  const h = await epochs(page, 1);
  assert.equal(h.trainAcc.length, 1);
  await clean(page);
  await page.context().close();
});

test('without WebGPU the page trains on the CPU and says so, in English and in Chinese', async () => {
  const page = await openApp(cpuBrowser, { path: PATH });
  assert.match(await badge(page, 'cpu'), /CPU \(wasm, f64\): (this browser offers no WebGPU|WebGPU gave no adapter|the GPU device could not be opened)/);
  assert.equal(await page.locator('#backend-notice').isHidden(), true);
  const h = await epochs(page, 2);
  assert.equal(h.trainAcc.length, 2);
  await page.locator('#lang').selectOption('zh-CN');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  assert.match(await page.locator('#backend-badge').textContent(), /在 CPU 上训练/);
  await clean(page);
  await page.context().close();

});
