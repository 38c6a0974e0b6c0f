// The surface lab's whole state in the URL hash, readable and versioned:
//   #v=1&s=rosenbrock&start=-1.5,2&steps=1000&run=adam,lr=0.01&run=sgd,lr=0.001,momentum=0.9
// A run is `optimizer[,key=value...]` with torch's keys (`sched=name;key=value;...`,
// `start=x_y`, `noise=batch_seed_scale` of its own). One field table; the codec and its one
// rule for bad fields (ignored and named, the rest applies) are in common/hash.js.

import { EMBED_MODES, finite, fitSchedule, hashCodec, LANG_FIELD, ORIGINS_FIELD, THEME_FIELD, int, num, numbers, oneOf, optimizerKey, readOptimizer, readSchedule, short, writeParams, writeSchedule } from './common/hash.js';

export { inRange, optimizerKey } from './common/hash.js';

export const MAX_RUNS = 8;
export const MAX_STEPS = 5000;

export const DEFAULT_RUN = Object.freeze({ opt: 'adam', params: { lr: 0.01 }, sched: null });

/** Gradient noise `batch,seed[,scale]` (the hash's `noise`; a run's own with `_`). */
function readNoise(text, sep) {
  const [batch, seed, scale = 1] = text.split(sep).map(num);
  const ok = Number.isInteger(batch) && batch >= 1 && batch <= 1024
    && Number.isInteger(seed) && seed >= 0 && seed <= 2 ** 32 && finite(scale) && scale >= 0 && scale <= 1e6;
  return ok ? { batch, seed, scale } : undefined;
}
const writeNoise = (n, sep) => [n.batch, n.seed, short(n.scale)].join(sep);

/** Reads one `run=` value; returns `{run, bad: [...]}` or `null` when the optimizer is unknown. */
export function readRun(text, optimizers, schedules) {
  const bad = [];
  const own = {};
  const opt = readOptimizer(text, optimizers, bad, (key, value) => {
    if (key !== 'start' && key !== 'noise' && key !== 'sched') return false;
    const v = key === 'start' ? numbers(value.replace('_', ','), 2) : key === 'noise' ? readNoise(value, '_') : readSchedule(value, schedules);
    if (v) own[key] = v;
    else bad.push(key);
    return true;
  });
  if (!opt) return null;
  if (own.sched) {
    const fitted = fitSchedule(own.sched, optimizers.find((o) => optimizerKey(o) === opt.key));
    if (fitted) own.sched = fitted;
    else {
      delete own.sched;
      bad.push('sched');
    }
  }
  return { run: { opt: opt.key, params: opt.params, sched: own.sched ?? null, ...(own.start ? { start: own.start } : {}), ...(own.noise ? { noise: own.noise } : {}) }, bad };
}

export function writeRun(run) {
  const parts = [run.opt, ...writeParams(run.params)];
  if (run.sched) parts.push(`sched=${writeSchedule(run.sched)}`);
  if (run.start) parts.push(`start=${run.start.map(short).join('_')}`);
  if (run.noise) parts.push(`noise=${writeNoise(run.noise, '_')}`);
  return parts.join(',');
}

const coords = (n) => (text) => numbers(text, n);
const text = String;
const list = (v) => v.map(short).join(',');

/** The lab's fields, in the order links write them. */
const FIELDS = [
  { key: 'scene', default: null, write: text, parse: (v, { catalog }) => ((catalog.scenes ?? []).some((sc) => sc.id === v) ? v : undefined) },
  { key: 'panel', default: 0, write: text, when: (s) => Boolean(s.scene && s.panel), parse: (v) => int(v, 0, 3) },
  { key: 'embed', default: null, write: text, parse: oneOf(EMBED_MODES) },
  {
    key: 's', prop: 'surface', default: 'rosenbrock', always: true,
    // Text a link can carry (a lone surrogate, from a message's hash, cannot be written back).
    parse: (v) => (v.trim() && v.isWellFormed() ? v : undefined),
    write: (v) => encodeURIComponent(v).replace(/%5E/g, '^').replace(/%2C/g, ','),
  },
  {
    key: 'view', default: null, write: list,
    parse: (value) => {
      const v = numbers(value, 4);
      return v && v[0] < v[1] && v[2] < v[3] && v[1] - v[0] >= 1e-9 && v[3] - v[2] >= 1e-9 ? v : undefined;
    },
  },
  { key: 'start', default: null, write: list, parse: coords(2) },
  { key: 'steps', default: 1000, always: true, write: text, parse: (v) => int(v, 1, MAX_STEPS) },
  { key: 'at', default: null, write: text, parse: (v) => int(v, 0, MAX_STEPS) },
  { key: 'mode', default: '2d', write: text, parse: oneOf(['2d', '3d', 'both']) },
  { key: 'click', default: 'start', write: text, parse: oneOf(['start', 'inspect']) },
  { key: 'scale', default: 'equalized', write: text, parse: oneOf(['equalized', 'log']) },
  THEME_FIELD,
  LANG_FIELD,
  { key: 'noise', default: null, write: (n) => writeNoise(n, ','), parse: (v) => readNoise(v, ',') },
  { key: 'sel', default: 0, write: text, parse: (v) => int(v, 0, MAX_RUNS - 1) },
  { key: 'inspect', default: null, write: list, parse: coords(2) },
  {
    key: 'cam', default: [0.7, 0.45], when: (s) => s.mode !== '2d',
    write: (v) => v.map((x) => x.toFixed(2)).join(','),
    parse: (value) => {
      const v = numbers(value, 2);
      return v && Math.abs(v[0]) <= 100 && Math.abs(v[1]) <= 1.5 ? v : undefined;
    },
  },
  {
    key: 'run', prop: 'runs', default: [structuredClone(DEFAULT_RUN)], repeat: MAX_RUNS, always: true,
    write: (run) => encodeURI(writeRun(run)),
    parse: (value, { catalog, ignored }) => {
      const read = readRun(value, catalog.optimizers, catalog.schedules);
      if (!read) return undefined;
      for (const b of read.bad) ignored.push(`run.${b}`);
      return read.run;
    },
  },
  ORIGINS_FIELD,
];

/** Links of the first page (`#surface=...&optimizer=adam&lr=...&steps=...&start=...`). */
function readLegacy(list, state, ignored, catalog) {
  const get = (k) => list.find(([key]) => key === k)?.[1];
  const known = ['surface', 'optimizer', 'lr', 'steps', 'start'];
  for (const [k] of list) if (!known.includes(k)) ignored.push(k);
  const surface = get('surface');
  // The same rule as the `s` field: text a link can carry and write back (no lone surrogate).
  if (surface && surface.length <= 300 && surface.trim() && surface.isWellFormed()) state.surface = surface;
  else if (surface !== undefined) ignored.push('surface');
  const run = structuredClone(DEFAULT_RUN);
  const opt = get('optimizer')?.replace(':', '.');
  if (opt !== undefined) {
    if (catalog.optimizers.some((s) => optimizerKey(s) === opt)) run.opt = opt;
    else ignored.push('optimizer');
  }
  const lr = get('lr');
  if (lr !== undefined) {
    const v = num(lr);
    if (finite(v) && v > 0) run.params.lr = v;
    else ignored.push('lr');
  }
  for (const [key, parse] of [['steps', (v) => int(v, 1, MAX_STEPS)], ['start', coords(2)]]) {
    const value = get(key);
    if (value === undefined) continue;
    const v = parse(value);
    if (v !== undefined) state[key] = v;
    else ignored.push(key);
  }
  state.runs = [run];
  return { state, ignored };
}

export const { defaults, readHash, toHash, writeHash } = hashCodec({
  version: 1,
  fields: FIELDS,
  legacy: readLegacy,
  finish: (state, ignored) => {
    if (state.sel >= state.runs.length) state.sel = 0;
    // A one-cycle schedule cannot step past its total_steps (torch's OneCycleLR): a run whose
    // schedule is shorter than the link's steps has its schedule ignored.
    for (const run of state.runs) {
      if (run.sched?.name === 'onecycle' && !(run.sched.params.total_steps >= state.steps)) {
        run.sched = null;
        ignored.push('run.sched');
      }
    }
  },
});
