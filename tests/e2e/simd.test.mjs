// The classifier's two wasm builds (www/pkg/): the SIMD build holds SIMD code, the baseline
// none, and both train to the same numbers bit for bit (the compiler vectorizes lane by lane,
// without reassociating). Node only: both builds in one process, same glue.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const PKG = new URL('../../www/pkg/', import.meta.url);
const bytes = (name) => readFileSync(new URL(name, PKG));

/** How many f64x2.mul and f64x2.add instructions (0xfd-prefixed opcodes) a binary holds. */
function f64x2Ops(wasm) {
  let n = 0;
  for (let i = 0; i + 2 < wasm.length; i++) {
    if (wasm[i] === 0xfd && (wasm[i + 1] === 0xf2 || wasm[i + 1] === 0xf0) && wasm[i + 2] === 0x01) n++;
  }
  return n;
}

/** A fresh instance of the glue over `wasm` (the glue module is imported once per build). */
async function instance(wasm, tag) {
  const glue = await import(new URL(`optiscape.js?build=${tag}`, PKG));
  glue.initSync({ module: wasm });
  glue.provide_digits(readFileSync(new URL('../../data/digits.bin', import.meta.url)));
  return glue;
}

test('the SIMD build holds SIMD code and the baseline build none', () => {
  assert.equal(f64x2Ops(bytes('optiscape_bg.wasm')), 0);
  assert.ok(f64x2Ops(bytes('optiscape_simd_bg.wasm')) > 100);
});

test('both builds train the spiral and the digits to the same numbers, bit for bit', async () => {
  const base = await instance(bytes('optiscape_bg.wasm'), 'baseline');
  const simd = await instance(bytes('optiscape_simd_bg.wasm'), 'simd');
  const runs = [
    { data: { name: 'spiral', n: 300, classes: 2, noise: 0.1, seed: 3, train_fraction: 0.8 }, hidden: [8, 8], activation: 'tanh', loss: 'cross_entropy', normalize_features: false, optimizer: { name: 'sgd', lr: 0.03, momentum: 0.9 }, batch_size: 10, epochs: 6, shuffle: true, seed: 0, noise_batches: 0 },
    { data: { name: 'digits' }, hidden: [32], activation: 'relu', loss: 'cross_entropy', normalize_features: true, optimizer: { name: 'adam', lr: 1e-3 }, batch_size: 32, epochs: 2, shuffle: true, seed: 1, noise_batches: 0 },
    { data: { name: 'circle', n: 200, noise: 0.2, seed: 5, train_fraction: 0.75 }, hidden: [16], activation: 'relu', loss: 'mse', normalize_features: false, optimizer: { name: 'rmsprop', lr: 0.01 }, batch_size: 16, epochs: 5, shuffle: true, seed: 2, noise_batches: 0 },
  ];
  for (const run of runs) {
    const json = JSON.stringify(run);
    const [a, b] = [base.train_summary(json), simd.train_summary(json)];
    assert.equal(b, a, run.data.name);
    assert.ok(JSON.parse(a).train_loss > 0, a);
  }
});
