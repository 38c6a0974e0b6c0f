// The classifier's two training backends in headless Chromium (run by `cargo xtask bench`):
//   node www/bench/webgpu.mjs URL [CHROMIUM]
// µs per update of the digits net (64-32-10 relu, Adam, cross-entropy; drop_last, so every
// batch is full) at batch sizes 8, 32, 128, 512 and 1024, in one page and one run:
// - cpu: the wasm core's Trainer training, its own per-update clock (epochs' update time over
//   their updates; evaluation excluded), as the page's time per update;
// - gpu: the WebGPU backend (www/classifier/gpu/) on the adapter Chromium offers with
//   `--enable-unsafe-webgpu` (here: SwiftShader, a software adapter on the CPU), rounds of 32
//   updates per submission with one wait for the device each (GpuTrainer.timeUpdates).
// Prints {"name","value","unit"} lines: mlp_update_cpu_bN, mlp_update_gpu_bN (µs) and
// mlp_update_gpu_over_cpu_bN (ratio); without an adapter only the CPU lines and a note.

import { chromium } from 'playwright-core';
import { report } from './common.mjs';

const [url, executablePath = '/usr/bin/chromium'] = process.argv.slice(2);
if (!url) throw new Error('usage: node www/bench/webgpu.mjs URL [CHROMIUM]');

const SIZES = [8, 32, 128, 512, 1024];

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-timer-throttling', '--enable-unsafe-webgpu'],
});
try {
  const page = await browser.newPage();
  await page.goto(new URL('classifier.html', url).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  const out = await page.evaluate(async (sizes) => {
    const pkg = await import('./www/pkg/optiscape.js');
    await pkg.default();
    const { loadDigits } = await import('./www/classifier/digits.js');
    await loadDigits(pkg.provide_digits);
    const { openDevice, GpuTrainer } = await import('./www/classifier/gpu/engine.js');
    const config = (b) => JSON.stringify({
      data: { name: 'digits' }, hidden: [32], activation: 'relu', loss: 'cross_entropy',
      optimizer: { name: 'adam', lr: 0.001 }, batch_size: b, drop_last: true, seed: 1, noise_batches: 0,
    });
    let gpu = null;
    try {
      gpu = await openDevice();
    } catch (e) {
      gpu = { error: e.message };
    }
    const rows = [];
    for (const b of sizes) {
      // CPU: whole epochs until at least 1.5 s and 300 updates (after one warm-up epoch).
      const cpu = new pkg.Trainer(config(b));
      cpu.run(1e9, 1e9, true);
      const t0 = performance.now();
      let updates = 0;
      let seconds = 0;
      while (performance.now() - t0 < 1500 || updates < 300) {
        const r = JSON.parse(cpu.run(1e9, 1e9, true));
        for (const e of r.epochs) {
          updates += e.steps;
          seconds += e.seconds_per_epoch;
        }
      }
      cpu.free();
      const row = { b, cpu_us: (seconds / updates) * 1e6, cpu_updates: updates };
      if (gpu.device) {
        const trainer = new pkg.Trainer(config(b));
        const engine = await GpuTrainer.create(gpu.device, trainer, { software: gpu.adapter.fallback });
        await engine.timeUpdates(8);
        let gs = 0;
        let gu = 0;
        const g0 = performance.now();
        while (gu < 64 || (performance.now() - g0 < 2000 && gu < 640)) {
          gs += await engine.timeUpdates(32);
          gu += 32;
        }
        engine.destroy();
        trainer.free();
        row.gpu_us = (gs / gu) * 1e6;
        row.gpu_updates = gu;
      }
      rows.push(row);
    }
    return { rows, adapter: gpu.adapter ?? null, error: gpu.error ?? null };
  }, SIZES);
  const adapter = out.adapter ? [out.adapter.vendor, out.adapter.architecture, out.adapter.description].filter(Boolean).join(' ') : null;
  for (const r of out.rows) {
    report(`mlp_update_cpu_b${r.b}`, r.cpu_us, 'µs', { backend: 'wasm', updates: r.cpu_updates });
    if (r.gpu_us !== undefined) {
      report(`mlp_update_gpu_b${r.b}`, r.gpu_us, 'µs', { backend: 'webgpu', adapter, fallback_adapter: out.adapter.fallback, updates: r.gpu_updates });
      report(`mlp_update_gpu_over_cpu_b${r.b}`, r.gpu_us / r.cpu_us, 'ratio', { adapter });
    }
  }
  if (out.error) console.error(`webgpu bench: no GPU timings (${out.error})`);
} finally {
  await browser.close();
}
