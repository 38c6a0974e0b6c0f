// The whole app state in the URL hash, readable and versioned:
//   #v=1&s=rosenbrock&start=-1.5,2&steps=1000&run=adam,lr=0.01&run=sgd,lr=0.001,momentum=0.9
// A run is `optimizer[,key=value...]` with torch's keys; pairs and lists use `_`
// (`betas=0.9_0.999`), a schedule is `sched=name;key=value;...`. Every field is checked on its
// own against the core's specs: a bad or unknown one is dropped (and named in a notice), the
// rest still applies. Nothing read here is ever executed or inserted as HTML.

export const VERSION = 1;
export const MAX_RUNS = 8;
export const MAX_STEPS = 5000;
const MAX_COORD = 1e6;
const MAX_TEXT = 300;

export const DEFAULT_RUN = Object.freeze({ opt: 'adam', params: { lr: 0.01 }, sched: null });

export function defaults() {
  return {
    surface: 'rosenbrock',
    view: null,
    start: null,
    steps: 1000,
    at: null,
    mode: '2d',
    click: 'start',
    scale: 'equalized',
    noise: null,
    lang: null,
    theme: 'auto',
    sel: 0,
    inspect: null,
    cam: [0.7, 0.45],
    runs: [structuredClone(DEFAULT_RUN)],
    scene: null,
    panel: 0,
    embed: null,
  };
}

/** An optimizer's key in pickers and links: `adam`, or `rmsprop.lecture`. */
export const optimizerKey = (spec) => (spec.variant ? `${spec.name}.${spec.variant}` : spec.name);

const finite = (v) => typeof v === 'number' && Number.isFinite(v);
const num = (s) => (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s) ? Number(s) : NaN);
const numbers = (s, n) => {
  const parts = String(s).split(',').map(num);
  return parts.length === n && parts.every((v) => finite(v) && Math.abs(v) <= MAX_COORD) ? parts : null;
};

/** Whether `v` lies in a spec's range (`{min, min_inclusive, max, max_inclusive}`). */
export function inRange(range, v) {
  if (!finite(v)) return false;
  if (range.min !== null && (range.min_inclusive ? v < range.min : v <= range.min)) return false;
  if (range.max !== null && (range.max_inclusive ? v > range.max : v >= range.max)) return false;
  return true;
}

/** Reads one parameter value of kind `param.kind` from link text; `undefined` if invalid. */
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
      const v = text.split('_').map(num);
      const ok = v.length > 0 && v.length <= 50 && v.every((x, i) => Number.isInteger(x) && x >= 1 && x <= 1e9 && (i === 0 || x > v[i - 1]));
      return ok ? v : undefined;
    }
    default:
      return undefined;
  }
}

/** Writes a parameter value as link text. */
export function writeParam(value) {
  if (Array.isArray(value)) return value.map(String).join('_');
  return String(value);
}

/** Reads one `run=` value; returns `{run, bad: [...]}` or `null` when the optimizer is unknown. */
export function readRun(text, optimizers, schedules) {
  const [head, ...pairs] = text.split(',');
  const spec = optimizers.find((s) => optimizerKey(s) === head);
  if (!spec) return null;
  const run = { opt: head, params: {}, sched: null };
  const bad = [];
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? '' : pair.slice(eq + 1);
    if (key === 'start' || key === 'noise') {
      const v = key === 'start' ? readRunStart(value) : readRunNoise(value);
      if (v) run[key] = v;
      else bad.push(key);
      continue;
    }
    if (key === 'sched') {
      const sched = readSchedule(value, schedules);
      if (sched) run.sched = sched;
      else bad.push('sched');
      continue;
    }
    const param = spec.params.find((p) => p.name === key);
    const v = param ? readParam(param, value) : undefined;
    if (v === undefined) bad.push(key);
    else run.params[key] = v;
  }
  return { run, bad };
}

/** A run's own start (`start=x_y`, scenes whose runs start apart). */
function readRunStart(text) {
  const v = text.split('_').map(num);
  return v.length === 2 && v.every((x) => finite(x) && Math.abs(x) <= MAX_COORD) ? v : null;
}

/** A run's own gradient noise (`noise=batch_seed_scale`), as the `noise` field of the hash. */
function readRunNoise(text) {
  const [batch, seed, scale = 1] = text.split('_').map(num);
  const ok = Number.isInteger(batch) && batch >= 1 && batch <= 1024
    && Number.isInteger(seed) && seed >= 0 && seed <= 2 ** 32 && finite(scale) && scale >= 0 && scale <= 1e6;
  return ok ? { batch, seed, scale } : null;
}

function readSchedule(text, schedules) {
  const [name, ...pairs] = text.split(';');
  const spec = schedules.find((s) => s.name === name && s.name !== 'sequential');
  if (!spec) return null;
  const params = {};
  for (const pair of pairs) {
    const [key, value = ''] = pair.split('=');
    const param = spec.params.find((p) => p.name === key);
    const v = param ? readParam(param, value) : undefined;
    if (v === undefined) return null;
    params[key] = v;
  }
  return { name, params };
}

export function writeRun(run) {
  const parts = [run.opt];
  for (const [k, v] of Object.entries(run.params)) parts.push(`${k}=${writeParam(v)}`);
  if (run.sched) {
    const s = [run.sched.name];
    for (const [k, v] of Object.entries(run.sched.params)) s.push(`${k}=${writeParam(v)}`);
    parts.push(`sched=${s.join(';')}`);
  }
  if (run.start) parts.push(`start=${run.start.map(short).join('_')}`);
  if (run.noise) parts.push(`noise=${[run.noise.batch, run.noise.seed, short(run.noise.scale)].join('_')}`);
  return parts.join(',');
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

const ONE_OF = {
  mode: ['2d', '3d', 'both'],
  click: ['start', 'inspect'],
  scale: ['equalized', 'log'],
  theme: ['auto', 'light', 'dark'],
  lang: ['en', 'zh-CN'],
  embed: ['full', 'minimal', 'none'],
};

/**
 * Reads a hash into `{state, ignored}`: the state (defaults where a field is missing or bad)
 * and the names of the fields that were ignored. `catalog` has the core's `optimizers`,
 * `schedules` and `presets`.
 */
export function readHash(hash, catalog) {
  const state = defaults();
  const ignored = [];
  const list = pairs(hash);
  if (list.length === 0) return { state, ignored };
  const version = list.find(([k]) => k === 'v');
  if (!version) return readLegacy(list, state, ignored, catalog);
  if (version[1] !== String(VERSION)) {
    ignored.push('v');
    return { state, ignored };
  }
  const runs = [];
  for (const [key, value] of list) {
    if (value.length > MAX_TEXT) {
      ignored.push(key);
      continue;
    }
    const ok = readField(state, key, value, catalog, runs, ignored);
    if (!ok) ignored.push(key);
  }
  if (runs.length > 0) state.runs = runs.slice(0, MAX_RUNS);
  if (runs.length > MAX_RUNS) ignored.push(`run×${runs.length - MAX_RUNS}`);
  if (state.sel >= state.runs.length) state.sel = 0;
  return { state, ignored };
}

function readField(state, key, value, catalog, runs, ignored) {
  switch (key) {
    case 'v':
      return true;
    case 's':
      if (!value.trim()) return false;
      state.surface = value;
      return true;
    case 'view': {
      const v = numbers(value, 4);
      if (!v || !(v[0] < v[1] && v[2] < v[3]) || v[1] - v[0] < 1e-9 || v[3] - v[2] < 1e-9) return false;
      state.view = v;
      return true;
    }
    case 'start': {
      const v = numbers(value, 2);
      if (!v) return false;
      state.start = v;
      return true;
    }
    case 'steps': {
      const v = num(value);
      if (!Number.isInteger(v) || v < 1 || v > MAX_STEPS) return false;
      state.steps = v;
      return true;
    }
    case 'at': {
      const v = num(value);
      if (!Number.isInteger(v) || v < 0 || v > MAX_STEPS) return false;
      state.at = v;
      return true;
    }
    case 'sel': {
      const v = num(value);
      if (!Number.isInteger(v) || v < 0 || v >= MAX_RUNS) return false;
      state.sel = v;
      return true;
    }
    case 'inspect': {
      const v = numbers(value, 2);
      if (!v) return false;
      state.inspect = v;
      return true;
    }
    case 'cam': {
      const v = numbers(value, 2);
      if (!v || Math.abs(v[0]) > 100 || Math.abs(v[1]) > 1.5) return false;
      state.cam = v;
      return true;
    }
    case 'noise': {
      const [batch, seed, scale = 1] = value.split(',').map(num);
      const ok = Number.isInteger(batch) && batch >= 1 && batch <= 1024
        && Number.isInteger(seed) && seed >= 0 && seed <= 2 ** 32 && finite(scale) && scale >= 0 && scale <= 1e6;
      if (!ok) return false;
      state.noise = { batch, seed, scale };
      return true;
    }
    case 'scene':
      if (!(catalog.scenes ?? []).some((sc) => sc.id === value)) return false;
      state.scene = value;
      return true;
    case 'panel': {
      const v = num(value);
      if (!Number.isInteger(v) || v < 0 || v > 3) return false;
      state.panel = v;
      return true;
    }
    case 'run': {
      const read = readRun(value, catalog.optimizers, catalog.schedules);
      if (!read) return false;
      runs.push(read.run);
      for (const b of read.bad) ignored.push(`run.${b}`);
      return true;
    }
    default:
      if (ONE_OF[key]) {
        if (!ONE_OF[key].includes(value)) return false;
        state[key] = value;
        return true;
      }
      return false;
  }
}

/** Links of the first page (`#surface=...&optimizer=adam&lr=...&steps=...&start=...`). */
function readLegacy(list, state, ignored, catalog) {
  const get = (k) => list.find(([key]) => key === k)?.[1];
  const known = ['surface', 'optimizer', 'lr', 'steps', 'start'];
  for (const [k] of list) if (!known.includes(k)) ignored.push(k);
  const surface = get('surface');
  if (surface && surface.length <= MAX_TEXT) state.surface = surface;
  const run = { opt: 'adam', params: { lr: 0.01 }, sched: null };
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
  const steps = get('steps');
  if (steps !== undefined) {
    const v = num(steps);
    if (Number.isInteger(v) && v >= 1 && v <= MAX_STEPS) state.steps = v;
    else ignored.push('steps');
  }
  const start = get('start');
  if (start !== undefined) {
    const v = numbers(start, 2);
    if (v) state.start = v;
    else ignored.push('start');
  }
  state.runs = [run];
  return { state, ignored };
}

const short = (v) => String(Number(v.toPrecision(6)));

/** The hash for a state (only what differs from the defaults, besides the version). */
export function toHash(state) {
  const d = defaults();
  const parts = [`v=${VERSION}`];
  const add = (k, v) => parts.push(`${k}=${v}`);
  if (state.scene) add('scene', state.scene);
  if (state.scene && state.panel) add('panel', state.panel);
  if (state.embed) add('embed', state.embed);
  add('s', encodeURIComponent(state.surface).replace(/%5E/g, '^').replace(/%2C/g, ','));
  if (state.view) add('view', state.view.map(short).join(','));
  if (state.start) add('start', state.start.map(short).join(','));
  add('steps', state.steps);
  if (state.at !== null && state.at !== undefined) add('at', state.at);
  for (const k of ['mode', 'click', 'scale', 'theme']) if (state[k] !== d[k]) add(k, state[k]);
  if (state.lang) add('lang', state.lang);
  if (state.noise) add('noise', [state.noise.batch, state.noise.seed, short(state.noise.scale)].join(','));
  if (state.sel) add('sel', state.sel);
  if (state.inspect) add('inspect', state.inspect.map(short).join(','));
  if (state.mode !== '2d') add('cam', state.cam.map((v) => v.toFixed(2)).join(','));
  for (const run of state.runs) add('run', encodeURI(writeRun(run)));
  return `#${parts.join('&')}`;
}

/** Writes the state into the URL without a history entry. */
export function writeHash(state) {
  history.replaceState(null, '', toHash(state));
}
