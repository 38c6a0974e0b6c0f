// Peer for "Adam on the typed Rosenbrock formula, 10^7 steps":
//   node www/bench/adam.mjs wasm|wasm-lab|js|js-class
// prints {"name","value","unit"} with the milliseconds for the whole run, and the end point.

import { ROSENBROCK, loadFormulaWasm, report, time } from './common.mjs';

export const STEPS = 10_000_000;
export const LR = 1e-3;
const START = [-1.5, 2.0];
const peer = process.argv[2];

/**
 * Adam as torch.optim.Adam computes it (defaults betas (0.9, 0.999), eps 1e-8), by hand: the
 * bias corrections are `1 - beta ** t` each step, as in torch and in the core.
 */
function adamJs(steps) {
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  let [x, y] = START;
  let mx = 0, my = 0, vx = 0, vy = 0;
  for (let t = 1; t <= steps; t++) {
    const r = y - x * x;
    const gx = -2 * (1 - x) - 400 * x * r;
    const gy = 200 * r;
    mx = b1 * mx + (1 - b1) * gx;
    my = b1 * my + (1 - b1) * gy;
    vx = b2 * vx + (1 - b2) * gx * gx;
    vy = b2 * vy + (1 - b2) * gy * gy;
    const step = LR / (1 - b1 ** t);
    const bc2 = Math.sqrt(1 - b2 ** t);
    x -= (step * mx) / (Math.sqrt(vx) / bc2 + eps);
    y -= (step * my) / (Math.sqrt(vy) / bc2 + eps);
  }
  return [x, y];
}

/**
 * A generic Adam as a performance-minded engineer writes it in JS: a class stepping a
 * Float64Array of parameters with its moments in Float64Arrays, torch's arithmetic, the bias
 * corrections from running powers of the betas (no `**` per step).
 */
class Adam {
  constructor(n, lr, b1 = 0.9, b2 = 0.999, eps = 1e-8) {
    Object.assign(this, { lr, b1, b2, eps, p1: 1, p2: 1 });
    this.m = new Float64Array(n);
    this.v = new Float64Array(n);
  }

  step(params, grad) {
    const { b1, b2, eps, m, v } = this;
    this.p1 *= b1;
    this.p2 *= b2;
    const step = this.lr / (1 - this.p1);
    const bc2 = Math.sqrt(1 - this.p2);
    for (let i = 0; i < params.length; i++) {
      const g = grad[i];
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      params[i] -= (step * m[i]) / (Math.sqrt(v[i]) / bc2 + eps);
    }
  }
}

function adamClass(steps) {
  const p = Float64Array.from(START);
  const g = new Float64Array(2);
  const opt = new Adam(2, LR);
  for (let t = 0; t < steps; t++) {
    const r = p[1] - p[0] * p[0];
    g[0] = -2 * (1 - p[0]) - 400 * p[0] * r;
    g[1] = 200 * r;
    opt.step(p, g);
  }
  return [p[0], p[1]];
}

if (peer === 'wasm' || peer === 'wasm-lab') {
  // `wasm`: the build at opt-level 3 that runs the scene worker's trajectories; `wasm-lab`: the
  // surface lab's own, compiled for size (its runs are thousands of steps, not millions).
  const lab = peer === 'wasm-lab';
  const { final_point } = await loadFormulaWasm(lab ? 'pkg-lab' : 'pkg-scenes');
  const config = JSON.stringify({ name: 'adam', lr: LR });
  let end;
  const ms = time(() => {
    end = final_point(ROSENBROCK, config, START[0], START[1], STEPS);
  }, { warmup: 0, minReps: 5, minMs: 0 });
  report(lab ? 'adam_1e7_wasm_lab' : 'adam_1e7_wasm', ms, 'ms', { end: [end[0], end[1]] });
} else if (peer === 'js') {
  adamJs(100_000);
  let end;
  const ms = time(() => {
    end = adamJs(STEPS);
  }, { warmup: 0, minReps: 5, minMs: 0 });
  report('adam_1e7_js', ms, 'ms', { end });
} else if (peer === 'js-class') {
  adamClass(100_000);
  let end;
  const ms = time(() => {
    end = adamClass(STEPS);
  }, { warmup: 0, minReps: 5, minMs: 0 });
  report('adam_1e7_js_class', ms, 'ms', { end });
} else {
  console.error('usage: node www/bench/adam.mjs wasm|wasm-lab|js|js-class');
  process.exit(2);
}
