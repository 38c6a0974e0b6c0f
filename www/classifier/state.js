// The classifier page's whole state in the URL hash, readable and versioned:
//   #v=1&data=spiral&classes=2&n=500&noise=0.1&train=0.5&hidden=8,8&act=tanh&loss=ce
//    &batch=10&opt=adam,lr=0.01&sched=cosine;t_max=2500&seed=0
// An optimizer is `name[.variant][,key=value...]` with torch's keys; pairs and lists use `_`
// (`betas=0.9_0.999`); a schedule is `name;key=value;...`. One field table; the codec and its
// one rule for bad fields (ignored and named, the rest applies) are in common/hash.js.

import { fitSchedule, hashCodec, LANG_FIELD, ORIGINS_FIELD, THEME_FIELD, int, num, oneOf, optimizerKey, readOptimizer, readSchedule, short, writeParams, writeSchedule } from '../common/hash.js';

export { inRange, optimizerKey, readParam } from '../common/hash.js';

const MAX_SEED = 4294967295;
export const POINTS = [100, 200, 500, 1000, 2000];
export const SPEEDS = ['1', '10', '60', 'max'];
/** A batch size this large means "the whole training set" in a training config. */
export const FULL_BATCH = 1_000_000;

/** Batch sizes as in a link or the sweep's text field: `1_8_32_full` or `1, 8, 32, full`. */
export function readSizes(text) {
  const parts = text.split(/[_,\s]+/).filter(Boolean);
  if (parts.length === 0 || parts.length > 12) return undefined;
  const sizes = [];
  for (const p of parts) {
    if (/^full$/i.test(p) || p === '全部') sizes.push('full');
    else {
      const v = int(p, 1, 100000);
      if (v === undefined) return undefined;
      sizes.push(v);
    }
  }
  return sizes;
}

const text = String;
const within = (lo, hi) => (value) => {
  const v = num(value);
  return v >= lo && v <= hi ? v : undefined;
};
const flag = (prop) => ({ key: prop === 'forceCpu' ? 'cpu' : prop, prop, write: (v) => (v ? '1' : '0'), parse: (v) => (v === '1' ? true : v === '0' ? false : undefined) });
const notDigits = (s) => s.data !== 'digits';

/** The classifier's fields, in the order links write them. */
const FIELDS = [
  {
    // A lecture scene of this lab (its card; the config itself is in the other fields).
    key: 'scene', default: null, write: text,
    parse: (v, { catalog }) => ((catalog.scenes ?? []).some((s) => s.id === v && s.lab === 'classifier') ? v : undefined),
  },
  { key: 'data', default: 'spiral', always: true, write: text, parse: (v, { catalog }) => oneOf(catalog.datasets)(v) },
  { key: 'classes', default: 2, when: notDigits, write: text, parse: (v) => int(v, 2, 3) },
  // Any count within the picker's range (a scene may use one the picker does not list).
  { key: 'n', default: 500, when: notDigits, write: text, parse: (v) => int(v, POINTS[0], POINTS.at(-1)) },
  { key: 'noise', default: 0, when: notDigits, write: short, parse: within(0, 0.5) },
  { key: 'train', prop: 'ratio', default: 0.5, write: short, parse: within(0.1, 0.9) },
  { key: 'dseed', default: 1, write: text, parse: (v) => int(v, 0, MAX_SEED) },
  {
    key: 'hidden', default: [8, 8], always: true,
    write: (v) => (v.length ? v.join(',') : 'none'),
    parse: (value, { catalog }) => {
      if (value === 'none') return [];
      const v = value.split(/[_,]/).map((s) => int(s, 1, catalog.limits.max_width));
      return v.length > catalog.limits.max_hidden_layers || v.some((w) => w === undefined) ? undefined : v;
    },
  },
  { key: 'act', default: 'tanh', always: true, write: text, parse: (v, { catalog }) => oneOf(catalog.activations)(v) },
  {
    key: 'loss', default: 'cross_entropy', always: true,
    write: (v) => (v === 'mse' ? 'mse' : 'ce'),
    parse: (v) => (v === 'ce' ? 'cross_entropy' : v === 'mse' ? 'mse' : undefined),
  },
  { ...flag('bn'), default: false },
  { ...flag('norm'), default: true },
  { key: 'batch', default: 10, always: true, write: text, parse: (v) => (v === 'full' ? 'full' : int(v, 1, 100000)) },
  { ...flag('shuffle'), default: true },
  {
    key: 'opt', default: { key: 'sgd', params: { lr: 0.03 } }, always: true,
    write: (opt) => encodeURI([opt.key, ...writeParams(opt.params)].join(',')),
    parse: (value, { catalog, ignored }) => {
      const bad = [];
      const opt = readOptimizer(value, catalog.optimizers, bad);
      for (const b of bad) ignored.push(`opt.${b}`);
      return opt ?? undefined;
    },
  },
  {
    key: 'sched', default: null, write: (v) => encodeURI(writeSchedule(v)),
    parse: (v, { catalog }) => (v === 'none' ? null : readSchedule(v, catalog.schedules) ?? undefined),
  },
  { key: 'seed', default: 0, always: true, write: text, parse: (v) => int(v, 0, MAX_SEED) },
  { key: 'speed', default: '60', write: text, parse: oneOf(SPEEDS) },
  { key: 'sizes', default: [1, 8, 32, 128, 'full'], write: (v) => v.join('_'), parse: readSizes },
  { key: 'sweep', prop: 'sweepEpochs', default: 20, write: text, parse: (v) => int(v, 1, 1000) },
  { key: 'compare', prop: 'compareEpochs', default: 100, write: text, parse: (v) => int(v, 1, 2000) },
  THEME_FIELD,
  { ...flag('forceCpu'), default: false },
  LANG_FIELD,
  ORIGINS_FIELD,
];

const codec = hashCodec({ version: 1, fields: FIELDS });
export const { defaults, toHash, writeHash } = codec;

/**
 * Reads a classifier hash (see hashCodec), with the one rule that spans two fields
 * (`fitSchedule`: a one-cycle schedule on an optimizer without momentum).
 */
export function readHash(hash, catalog) {
  const read = codec.readHash(hash, catalog);
  const { state, ignored } = read;
  if (state.sched) {
    const fitted = fitSchedule(state.sched, catalog.optimizers?.find((o) => optimizerKey(o) === state.opt?.key));
    if (!fitted) ignored.push('sched');
    state.sched = fitted;
  }
  return read;
}

/** The state for a training config (the core's `TrainConfig`; the inverse of `trainConfig`). */
export function stateFromConfig(config, s = defaults()) {
  const d = config.data;
  s.data = d.name;
  if (d.name !== 'digits') {
    Object.assign(s, { classes: d.classes, n: d.n, noise: d.noise });
    if (d.seed !== undefined) s.dseed = d.seed;
    if (d.train_fraction !== undefined) s.ratio = d.train_fraction;
  }
  s.hidden = [...config.hidden];
  s.act = config.activation;
  s.loss = config.loss === 'mse' ? 'mse' : 'cross_entropy';
  s.bn = Boolean(config.batchnorm);
  s.norm = Boolean(config.normalize_features);
  s.batch = config.batch_size >= FULL_BATCH ? 'full' : config.batch_size;
  s.shuffle = Boolean(config.shuffle);
  const { name, variant, ...params } = config.optimizer;
  s.opt = { key: variant ? `${name}.${variant}` : name, params };
  if (config.schedule) {
    const { name: sname, ...sparams } = config.schedule;
    s.sched = { name: sname, params: sparams };
  } else {
    s.sched = null;
  }
  s.seed = config.seed;
  return s;
}

/**
 * The training config (the core's `TrainConfig`) for a state. The optimizer carries its
 * variant; `batch: 'full'` becomes a size larger than any training set.
 */
export function trainConfig(state) {
  const [name, variant] = state.opt.key.split('.');
  const optimizer = { name, ...(variant ? { variant } : {}), ...state.opt.params };
  const data = state.data === 'digits'
    ? { name: 'digits' }
    : { name: state.data, n: state.n, classes: state.classes, noise: state.noise, seed: state.dseed, train_fraction: state.ratio };
  return {
    data,
    hidden: state.hidden,
    activation: state.act,
    loss: state.loss,
    batchnorm: state.bn,
    normalize_features: state.norm,
    optimizer,
    schedule: state.sched ? { name: state.sched.name, ...state.sched.params } : null,
    batch_size: state.batch === 'full' ? FULL_BATCH : state.batch,
    shuffle: state.shuffle,
    seed: state.seed,
  };
}
