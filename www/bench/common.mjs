// Shared by the benchmark peers (run by `cargo xtask bench`, one node process per peer):
// the typed Rosenbrock formula, its hand-written JS twin, the grid, timing, and loading the wasm.

import { readFileSync } from 'node:fs';
import { fullWasmUrl, hasSimd } from '../common/wasm-build.js';

export const ROSENBROCK = '(1-x)^2+100*(y-x^2)^2';
/** The same function, written by hand in JS (the fastest JS can be). */
export const rosenbrock = (x, y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
export const VIEW = [-2, 2, -1, 3];
export const SIDE = 512;

/**
 * Loads the classifier's wasm (www/pkg, built by `cargo xtask build`) synchronously in node:
 * the SIMD build where node has SIMD, as the classifier page does (www/common/wasm-build.js),
 * or the baseline build with `{ simd: false }`.
 */
export async function loadWasm({ simd = hasSimd() } = {}) {
  const glue = await import('../pkg/optiscape.js');
  glue.initSync({ module: readFileSync(fullWasmUrl(new URL('../pkg/', import.meta.url), simd)) });
  glue.provide_digits(readFileSync(new URL('../../data/digits.bin', import.meta.url)));
  return glue;
}

/**
 * Loads a build that runs formulas (the classifier's has none): `'pkg-lab'`, the surface lab's
 * own (compiled for size), or `'pkg-scenes'`, every binding at the release profile's
 * opt-level 3 (the scene worker's).
 */
export async function loadFormulaWasm(pkg) {
  if (pkg !== 'pkg-lab' && pkg !== 'pkg-scenes') throw new Error(`no formula build ${pkg}`);
  const glue = await import(`../${pkg}/optiscape.js`);
  glue.initSync({ module: readFileSync(new URL(`../${pkg}/optiscape_bg.wasm`, import.meta.url)) });
  return glue;
}

/** The `p`-quantile (0..1) of sorted numbers, interpolated between neighbours. */
export function quantile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/**
 * What a figure is over its repetitions: the median and the spread, the interquartile range
 * [lo, hi] (with fewer than 4 repetitions, the lowest and the highest), and `n`. Arithmetic on
 * it uses the median; `scale(k)` scales all three (ms per run to µs per update, say).
 */
export class Timing {
  constructor(samples) {
    const sorted = [...samples].sort((a, b) => a - b);
    this.n = sorted.length;
    this.median = quantile(sorted, 0.5);
    this.lo = sorted.length < 4 ? sorted[0] : quantile(sorted, 0.25);
    this.hi = sorted.length < 4 ? sorted[sorted.length - 1] : quantile(sorted, 0.75);
  }

  valueOf() {
    return this.median;
  }

  scale(k) {
    const t = Object.create(Timing.prototype);
    Object.assign(t, { n: this.n, median: this.median * k, lo: this.lo * k, hi: this.hi * k });
    return t;
  }
}

/**
 * Times `fn` (warm-up first), repeating until `minMs` have passed and at least `minReps`
 * runs were made; returns the milliseconds per call as a Timing (median and spread).
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
  return new Timing(samples);
}

/** Prints one result line that xtask reads (a Timing gives its median, spread and count). */
export function report(name, value, unit, extra = {}) {
  if (value instanceof Timing) {
    console.log(JSON.stringify({ name, value: value.median, lo: value.lo, hi: value.hi, n: value.n, unit, ...extra }));
  } else {
    console.log(JSON.stringify({ name, value, unit, ...extra }));
  }
}
