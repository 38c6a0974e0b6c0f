// Shared by the benchmark peers (run by `cargo xtask bench`, one node process per peer):
// the typed Rosenbrock formula, its hand-written JS twin, the grid, timing, and loading the wasm.

import { readFileSync } from 'node:fs';

export const ROSENBROCK = '(1-x)^2+100*(y-x^2)^2';
/** The same function, written by hand in JS (the fastest JS can be). */
export const rosenbrock = (x, y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
export const VIEW = [-2, 2, -1, 3];
export const SIDE = 512;

/** Loads the app's wasm (www/pkg, built by `cargo xtask build`) synchronously in node. */
export async function loadWasm() {
  const glue = await import('../pkg/optiscape.js');
  glue.initSync({ module: readFileSync(new URL('../pkg/optiscape_bg.wasm', import.meta.url)) });
  glue.provide_digits(readFileSync(new URL('../../data/digits.bin', import.meta.url)));
  return glue;
}

/**
 * Times `fn` (warm-up first), repeating until `minMs` have passed and at least `minReps`
 * runs were made; returns the median milliseconds per call.
 */
export function time(fn, { warmup = 3, minReps = 5, minMs = 1500 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const samples = [];
  const begin = performance.now();
  while (samples.length < minReps || performance.now() - begin < minMs) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1];
}

/** Prints one result line that xtask reads. */
export function report(name, value, unit, extra = {}) {
  console.log(JSON.stringify({ name, value, unit, ...extra }));
}
