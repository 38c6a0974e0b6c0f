// Peer for "512×512 grid evaluation of the typed Rosenbrock formula":
//   node www/bench/grid.mjs wasm|js|js-loop|mathjs
// prints {"name","value","unit"} with the median milliseconds per grid.

import { ROSENBROCK, SIDE, VIEW, loadFormulaWasm, report, rosenbrock, time } from './common.mjs';

const [x0, x1, y0, y1] = VIEW;
const dx = (x1 - x0) / (SIDE - 1);
const dy = (y1 - y0) / (SIDE - 1);
const peer = process.argv[2];

if (peer === 'wasm') {
  // The surface lab's own build, the one its page runs (the formula itself is compiled to
  // wasm at run time, whatever the build's opt-level).
  const { Lab } = await loadFormulaWasm('pkg-lab');
  const lab = new Lab();
  lab.set_surface(ROSENBROCK);
  lab.set_view(x0, x1, y0, y1);
  let centre = 0;
  const ms = time(() => {
    centre = lab.eval_grid(SIDE, SIDE);
  });
  report('grid_512_wasm', ms, 'ms', { check: centre });
} else if (peer === 'js') {
  const out = new Float64Array(SIDE * SIDE);
  const ms = time(() => {
    for (let j = 0; j < SIDE; j++) {
      const y = y0 + j * dy;
      for (let i = 0; i < SIDE; i++) out[j * SIDE + i] = rosenbrock(x0 + i * dx, y);
    }
  });
  report('grid_512_js_closure', ms, 'ms', { check: out[(SIDE >> 1) * SIDE + (SIDE >> 1)] });
} else if (peer === 'js-loop') {
  // What a performance-minded teacher writes: the formula inlined in one loop over a
  // preallocated Float64Array, x stepped, no call per point.
  const out = new Float64Array(SIDE * SIDE);
  const ms = time(() => {
    let k = 0;
    for (let j = 0; j < SIDE; j++) {
      const y = y0 + j * dy;
      for (let i = 0; i < SIDE; i++) {
        const x = x0 + i * dx;
        const a = 1 - x;
        const b = y - x * x;
        out[k++] = a * a + 100 * b * b;
      }
    }
  });
  report('grid_512_js_loop', ms, 'ms', { check: out[(SIDE >> 1) * SIDE + (SIDE >> 1)] });
} else if (peer === 'mathjs') {
  const { compile } = await import('mathjs');
  const code = compile(ROSENBROCK);
  const out = new Float64Array(SIDE * SIDE);
  const scope = { x: 0, y: 0 };
  const ms = time(
    () => {
      for (let j = 0; j < SIDE; j++) {
        scope.y = y0 + j * dy;
        for (let i = 0; i < SIDE; i++) {
          scope.x = x0 + i * dx;
          out[j * SIDE + i] = code.evaluate(scope);
        }
      }
    },
    { warmup: 1, minReps: 3, minMs: 1000 },
  );
  report('grid_512_mathjs', ms, 'ms', { check: out[(SIDE >> 1) * SIDE + (SIDE >> 1)] });
} else {
  console.error('usage: node www/bench/grid.mjs wasm|js|js-loop|mathjs');
  process.exit(2);
}
