// The classifier page's whole state in the URL hash, readable and versioned:
//   #v=1&data=spiral&classes=2&n=500&noise=0.1&train=0.5&hidden=8,8&act=tanh&loss=ce
//    &batch=10&opt=adam,lr=0.01&sched=cosine;t_max=2500&seed=0
// An optimizer is `name[.variant][,key=value...]` with torch's keys; pairs and lists use `_`
// (`betas=0.9_0.999`); a schedule is `name;key=value;...`. Every field is checked on its own
// (names against the core's catalog, numbers against the specs' ranges): a bad or unknown one
// is dropped and named in a notice, the rest still applies. Nothing read here is executed or
// inserted as HTML.

export const VERSION = 1;
const MAX_TEXT = 300;
const MAX_SEED = 4294967295;
export const POINTS = [100, 200, 500, 1000, 2000];
export const SPEEDS = ['1', '10', '60', 'max'];
/** A batch size this large means "the whole training set" in a training config. */
export const FULL_BATCH = 1_000_000;

export function defaults() {
  return {
    data: 'spiral',
    classes: 2,
    n: 500,
    noise: 0,
    ratio: 0.5,
    dseed: 1,
    hidden: [8, 8],
    act: 'tanh',
    loss: 'cross_entropy',
    bn: false,
    norm: true,
    batch: 10,
    shuffle: true,
    opt: { key: 'sgd', params: { lr: 0.03 } },
    sched: null,
    seed: 0,
    speed: '60',
    sizes: [1, 8, 32, 128, 'full'],
    sweepEpochs: 20,
    compareEpochs: 100,
    lang: null,
    theme: 'auto',
    scene: null,
    forceCpu: false,
  };
}

/** An optimizer's key in pickers and links: `adam`, or `rmsprop.lecture`. */
export const optimizerKey = (spec) => (spec.variant ? `${spec.name}.${spec.variant}` : spec.name);

const finite = (v) => typeof v === 'number' && Number.isFinite(v);
const num = (s) => (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s) ? Number(s) : NaN);
const int = (s, lo, hi) => {
  const v = num(s);
  return Number.isInteger(v) && v >= lo && v <= hi ? v : undefined;
};

/** Whether `v` lies in a spec's range (`{min, min_inclusive, max, max_inclusive}`). */
export function inRange(range, v) {
  if (!finite(v)) return false;
  if (range.min !== null && (range.min_inclusive ? v < range.min : v <= range.min)) return false;
  if (range.max !== null && (range.max_inclusive ? v > range.max : v >= range.max)) return false;
  return true;
}

/** Reads one parameter value of kind `param.kind` from text; `undefined` if invalid. */
export function readParam(param, text) {
  switch (param.kind) {
    case 'number': {
      const v = num(text);
      return inRange(param.range, v) ? v : undefined;
    }
    case 'integer': {
      const v = num(text);
      return Number.isInteger(v) && v <= 1e9 && inRange(param.range, v) ? v : undefined;
    }
    case 'bool':
      return text === 'true' ? true : text === 'false' ? false : undefined;
    case 'betas': {
      const v = text.split('_').map(num);
      return v.length === 2 && v.every((x) => inRange(param.range, x)) ? v : undefined;
    }
    case 'choice':
      return param.choices.includes(text) ? text : undefined;
    case 'integer_list': {
      const v = text.split(/[_,\s]+/).filter(Boolean).map(num);
      const ok = v.length > 0 && v.length <= 50
        && v.every((x, i) => Number.isInteger(x) && x >= 1 && x <= 1e9 && (i === 0 || x > v[i - 1]));
      return ok ? v : undefined;
    }
    default:
      return undefined;
  }
}

const writeParam = (value) => (Array.isArray(value) ? value.map(String).join('_') : String(value));

function readOptimizer(text, optimizers, ignored) {
  const [head, ...pairs] = text.split(',');
  const spec = optimizers.find((s) => optimizerKey(s) === head);
  if (!spec) return null;
  const opt = { key: head, params: {} };
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const param = spec.params.find((p) => p.name === key);
    const v = param ? readParam(param, eq < 0 ? '' : pair.slice(eq + 1)) : undefined;
    if (v === undefined) ignored.push(`opt.${key}`);
    else opt.params[key] = v;
  }
  return opt;
}

function readSchedule(text, schedules, ignored) {
  if (text === 'none') return null;
  const [name, ...pairs] = text.split(';');
  const spec = schedules.find((s) => s.name === name && s.name !== 'sequential');
  if (!spec) return undefined;
  const sched = { name, params: {} };
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const param = spec.params.find((p) => p.name === key);
    const v = param ? readParam(param, eq < 0 ? '' : pair.slice(eq + 1)) : undefined;
    if (v === undefined) ignored.push(`sched.${key}`);
    else sched.params[key] = v;
  }
  return sched;
}

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

const ONE_OF = {
  data: ['spiral', 'xor', 'circle', 'gauss', 'digits'],
  act: ['relu', 'tanh', 'sigmoid', 'linear'],
  speed: SPEEDS,
  theme: ['auto', 'light', 'dark'],
  lang: ['en', 'zh-CN'],
};
const FLAGS = { bn: 'bn', norm: 'norm', shuffle: 'shuffle', cpu: 'forceCpu' };

function readField(state, key, value, catalog, ignored) {
  switch (key) {
    case 'v':
      return true;
    case 'scene':
      // A lecture scene of this lab (its card; the config itself is in the other fields).
      if (!(catalog.scenes ?? []).some((s) => s.id === value && s.lab === 'classifier')) return false;
      state.scene = value;
      return true;
    case 'classes': {
      const v = int(value, 2, 3);
      if (v === undefined) return false;
      state.classes = v;
      return true;
    }
    case 'n': {
      // Any count within the picker's range (a scene may use one the picker does not list).
      const v = int(value, POINTS[0], POINTS.at(-1));
      if (v === undefined) return false;
      state.n = v;
      return true;
    }
    case 'noise': {
      const v = num(value);
      if (!(v >= 0 && v <= 0.5)) return false;
      state.noise = v;
      return true;
    }
    case 'train': {
      const v = num(value);
      if (!(v >= 0.1 && v <= 0.9)) return false;
      state.ratio = v;
      return true;
    }
    case 'dseed':
    case 'seed': {
      const v = int(value, 0, MAX_SEED);
      if (v === undefined) return false;
      state[key] = v;
      return true;
    }
    case 'hidden': {
      if (value === 'none') {
        state.hidden = [];
        return true;
      }
      const v = value.split(/[_,]/).map((s) => int(s, 1, catalog.limits.max_width));
      if (v.length > catalog.limits.max_hidden_layers || v.some((w) => w === undefined)) return false;
      state.hidden = v;
      return true;
    }
    case 'loss':
      if (value !== 'ce' && value !== 'mse') return false;
      state.loss = value === 'ce' ? 'cross_entropy' : 'mse';
      return true;
    case 'batch': {
      if (value === 'full') {
        state.batch = 'full';
        return true;
      }
      const v = int(value, 1, 100000);
      if (v === undefined) return false;
      state.batch = v;
      return true;
    }
    case 'opt': {
      const opt = readOptimizer(value, catalog.optimizers, ignored);
      if (!opt) return false;
      state.opt = opt;
      return true;
    }
    case 'sched': {
      const sched = readSchedule(value, catalog.schedules, ignored);
      if (sched === undefined) return false;
      state.sched = sched;
      return true;
    }
    case 'sizes': {
      const v = readSizes(value);
      if (!v) return false;
      state.sizes = v;
      return true;
    }
    case 'sweep': {
      const v = int(value, 1, 1000);
      if (v === undefined) return false;
      state.sweepEpochs = v;
      return true;
    }
    case 'compare': {
      const v = int(value, 1, 2000);
      if (v === undefined) return false;
      state.compareEpochs = v;
      return true;
    }
    default:
      if (FLAGS[key]) {
        if (value !== '0' && value !== '1') return false;
        state[FLAGS[key]] = value === '1';
        return true;
      }
      if (ONE_OF[key]) {
        if (!ONE_OF[key].includes(value)) return false;
        state[key] = value;
        return true;
      }
      return false;
  }
}

/** Splits a hash into `[key, value]` pairs (values URI-decoded; undecodable ones kept raw). */
function pairs(hash) {
  const out = [];
  for (const part of hash.replace(/^#/, '').split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const raw = [eq < 0 ? part : part.slice(0, eq), eq < 0 ? '' : part.slice(eq + 1)];
    out.push(raw.map((s) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, '%20'));
      } catch {
        return s;
      }
    }));
  }
  return out;
}

/**
 * Reads a hash into `{state, ignored}`: the state (defaults where a field is missing or bad)
 * and the names of the fields that were ignored (shortened, for the notice). `catalog` is the
 * core's `classifier_catalog()`.
 */
export function readHash(hash, catalog) {
  const state = defaults();
  const ignored = [];
  const list = pairs(hash);
  if (list.length === 0) return { state, ignored };
  const version = list.find(([k]) => k === 'v');
  if (!version || version[1] !== String(VERSION)) {
    ignored.push('v');
    return { state, ignored };
  }
  for (const [key, value] of list) {
    if (key.length > 20 || value.length > MAX_TEXT) {
      ignored.push(key.slice(0, 20));
      continue;
    }
    if (!readField(state, key, value, catalog, ignored)) ignored.push(key);
  }
  return { state, ignored };
}

const short = (v) => String(Number(v.toPrecision(6)));

/** The hash for a state (besides the version, only what differs from the defaults). */
export function toHash(state) {
  const d = defaults();
  const parts = [`v=${VERSION}`];
  const add = (k, v) => parts.push(`${k}=${v}`);
  if (state.scene) add('scene', state.scene);
  add('data', state.data);
  if (state.data !== 'digits') {
    add('classes', state.classes);
    add('n', state.n);
    add('noise', short(state.noise));
  }
  if (state.ratio !== d.ratio) add('train', short(state.ratio));
  if (state.dseed !== d.dseed) add('dseed', state.dseed);
  add('hidden', state.hidden.length ? state.hidden.join(',') : 'none');
  add('act', state.act);
  add('loss', state.loss === 'mse' ? 'mse' : 'ce');
  if (state.bn) add('bn', 1);
  if (!state.norm) add('norm', 0);
  add('batch', state.batch);
  if (!state.shuffle) add('shuffle', 0);
  const opt = [state.opt.key, ...Object.entries(state.opt.params).map(([k, v]) => `${k}=${writeParam(v)}`)];
  add('opt', encodeURI(opt.join(',')));
  if (state.sched) {
    const s = [state.sched.name, ...Object.entries(state.sched.params).map(([k, v]) => `${k}=${writeParam(v)}`)];
    add('sched', encodeURI(s.join(';')));
  }
  add('seed', state.seed);
  if (state.speed !== d.speed) add('speed', state.speed);
  if (state.sizes.join('_') !== d.sizes.join('_')) add('sizes', state.sizes.join('_'));
  if (state.sweepEpochs !== d.sweepEpochs) add('sweep', state.sweepEpochs);
  if (state.compareEpochs !== d.compareEpochs) add('compare', state.compareEpochs);
  if (state.theme !== d.theme) add('theme', state.theme);
  if (state.forceCpu) add('cpu', 1);
  if (state.lang) add('lang', state.lang);
  return `#${parts.join('&')}`;
}

/** Writes the state into the URL without a history entry. */
export function writeHash(state) {
  history.replaceState(null, '', toHash(state));
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
