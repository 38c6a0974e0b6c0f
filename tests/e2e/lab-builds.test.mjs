// The surface lab's two builds, in node (the built wasm from `cargo xtask build`):
// www/pkg-lab-first/ draws the first picture and www/pkg-lab/ the rest; the page moves its lab
// from the first to the whole build after its first frame (www/main.js `adoptWholeLab`), giving
// the new lab the same surface, view, colour scale, runs and step. That is only right if both
// builds give the same numbers for the same calls: checked here bit for bit (heatmap bytes,
// contours, every run's points, losses, learning rates and gradient norms, the anatomy of a
// step) over presets, typed formulas and optimizers of every family. Also checked: the first
// build really leaves out what the first picture does not need (else it would not be smaller).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as first from '../../www/pkg-lab-first/optiscape.js';
import * as whole from '../../www/pkg-lab/optiscape.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const firstMemory = first.initSync({ module: readFileSync(`${ROOT}www/pkg-lab-first/optiscape_bg.wasm`) }).memory;
const wholeMemory = whole.initSync({ module: readFileSync(`${ROOT}www/pkg-lab/optiscape_bg.wasm`) }).memory;

/** What only the whole build has: what the page waits for (`whenWhole`) or loads later. */
const WHOLE_ONLY = ['critical_points', 'inspect', 'taylor_contours', 'compare_runs', 'runs_json', 'runs_csv', 'render_3d', 'project_run_3d'];
/** What the first picture asks of the lab (main.js, draw.js, anatomy.js, runs.js). */
const FIRST_NEEDS = [
  'set_surface', 'surface', 'formula', 'view', 'set_view', 'preset_start', 'set_color_scale', 'render_heatmap',
  'heatmap_ptr', 'contours', 'contour_levels', 'set_runs', 'run_x', 'run_y', 'run_loss', 'run_lr', 'run_grad_norm',
  'run_divergence', 'run_anatomy', 'max_step', 'step', 'set_step', 'advance',
];

const CASES = [
  {
    surface: 'rosenbrock', view: null, scale: 'equalized',
    runs: [
      { name: 'sgd', lr: 0.0005, momentum: 0.9, nesterov: true },
      { name: 'adam', lr: 0.05 },
      { name: 'rmsprop', lr: 0.005 },
      { name: 'nadam', lr: 0.05 },
    ],
  },
  {
    surface: 'x^2 - y^2 + 0.1*sin(3*x)*y^3', view: [-2, 2, -1.5, 1.5], scale: 'log',
    runs: [
      { name: 'adagrad', lr: 0.5 },
      { name: 'radam', lr: 0.05 },
      { name: 'adamw', lr: 0.05, weight_decay: 0.01 },
      { name: 'adadelta', lr: 1 },
      { name: 'adamax', lr: 0.02 },
    ],
  },
  {
    surface: 'himmelblau', view: null, scale: 'equalized',
    runs: [
      { name: 'sgd', lr: 0.01 },
      { name: 'adam', lr: 0.1, schedule: { name: 'cosine', t_max: 300 } },
    ],
    noise: { batch_size: 4, scale: 0.5, seed: 3 },
  },
];

/** Everything the page reads from a lab for one case, as plain arrays (heatmap bytes too). */
function readings(glue, memory, c) {
  const lab = new glue.Lab();
  lab.set_surface(c.surface);
  if (c.view) lab.set_view(...c.view);
  lab.set_color_scale(c.scale);
  const start = Array.from(lab.preset_start());
  const configs = c.runs.map((optimizer) => {
    const { schedule, ...opt } = optimizer;
    return {
      surface: c.surface, start, steps: 300, optimizer: opt, schedule: schedule ?? null, bound: 1e6,
      ...(c.noise ? { noise: c.noise } : {}),
    };
  });
  const statuses = JSON.parse(lab.set_runs(JSON.stringify(configs)));
  const len = lab.render_heatmap(160, 160);
  const heatmap = Array.from(new Uint8Array(memory.buffer, lab.heatmap_ptr(), len));
  const out = {
    statuses,
    formula: lab.formula(),
    view: Array.from(lab.view()),
    heatmap,
    contours: Array.from(lab.contours(120, 120, 18)),
    levels: Array.from(lab.contour_levels()),
    runs: c.runs.map((_, i) => ({
      x: Array.from(lab.run_x(i)),
      y: Array.from(lab.run_y(i)),
      loss: Array.from(lab.run_loss(i)),
      lr: Array.from(lab.run_lr(i)),
      grad: Array.from(lab.run_grad_norm(i)),
      divergence: lab.run_divergence(i),
      anatomy: [0, 1, 150, 298].map((t) => lab.run_anatomy(i, t)),
    })),
    max: lab.max_step(),
  };
  lab.free();
  return out;
}

/** Float arrays compared bit for bit (NaN equal to NaN, 0 apart from -0). */
function sameBits(a, b, what) {
  assert.equal(a.length, b.length, `${what}: lengths`);
  const fa = new Float64Array(a);
  const fb = new Float64Array(b);
  const ua = new BigUint64Array(fa.buffer);
  const ub = new BigUint64Array(fb.buffer);
  for (let i = 0; i < ua.length; i++) {
    if (ua[i] !== ub[i]) assert.fail(`${what}[${i}]: ${fa[i]} against ${fb[i]}`);
  }
}

test('the first build leaves out what the first picture does not need, and has what it does', () => {
  const a = new first.Lab();
  const b = new whole.Lab();
  for (const name of FIRST_NEEDS) {
    assert.equal(typeof a[name], 'function', `first build: ${name}`);
    assert.equal(typeof b[name], 'function', `whole build: ${name}`);
  }
  for (const name of WHOLE_ONLY) {
    assert.equal(a[name], undefined, `the first build has ${name}`);
    assert.equal(typeof b[name], 'function', `whole build: ${name}`);
  }
  for (const name of ['presets', 'optimizers', 'schedules', 'ticks', 'log_ticks', 'check_optimizer', 'schedule_lrs', 'schedule_start']) {
    assert.equal(typeof first[name], 'function', `first build: ${name}`);
  }
  for (const name of ['torch_code', 'phase_axes', 'final_point']) assert.equal(first[name], undefined, `first build: ${name}`);
  a.free();
  b.free();
  assert.equal(first.presets(), whole.presets());
  assert.equal(first.optimizers(), whole.optimizers());
  assert.equal(first.schedules(), whole.schedules());
});

for (const c of CASES) {
  test(`both builds give the same numbers: ${c.surface}`, () => {
    const a = readings(first, firstMemory, c);
    const b = readings(whole, wholeMemory, c);
    assert.deepEqual(a.statuses, b.statuses);
    assert.ok(a.statuses.every((s) => s.ok), JSON.stringify(a.statuses));
    assert.equal(a.formula, b.formula);
    sameBits(a.view, b.view, 'view');
    assert.ok(a.heatmap.length > 0);
    assert.deepEqual(a.heatmap, b.heatmap, 'heatmap bytes');
    sameBits(a.contours, b.contours, 'contours');
    assert.ok(a.contours.length > 0);
    sameBits(a.levels, b.levels, 'levels');
    assert.equal(a.max, b.max);
    a.runs.forEach((ra, i) => {
      const rb = b.runs[i];
      for (const key of ['x', 'y', 'loss', 'lr', 'grad']) sameBits(ra[key], rb[key], `run ${i} ${key}`);
      assert.ok(ra.x.length > 1, `run ${i} moved`);
      assert.equal(ra.divergence, rb.divergence);
      assert.deepEqual(ra.anatomy, rb.anatomy);
    });
  });
}

test('the comparison can fail: another learning rate gives other numbers', () => {
  const c = CASES[0];
  const a = readings(first, firstMemory, c);
  const b = readings(whole, wholeMemory, { ...c, runs: [{ ...c.runs[0], lr: 0.0006 }, ...c.runs.slice(1)] });
  assert.throws(() => sameBits(a.runs[0].x, b.runs[0].x, 'run 0 x'));
  sameBits(a.runs[1].x, b.runs[1].x, 'run 1 x');
});
