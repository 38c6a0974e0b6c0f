// The URL-hash codec every page builds its state from: one table of fields per page, each
// field declared once (its key, default, parse and serialization). A hash is `#v=1&key=value…`;
// pairs and lists inside a value use `_` (`betas=0.9_0.999`), a schedule is
// `name;key=value;...`. ONE rule for bad fields on every page: a bad or unknown field is
// ignored and named in the page's notice, the rest of the link applies. Inside a compound
// value (an optimizer's `key=value` list) a bad key is ignored the same way (`opt.lr`,
// `run.lr`); a schedule with any bad parameter is ignored as a whole. Nothing read here is
// ever executed or inserted as HTML.

import { LANGS } from './i18n.js';

/**
 * @typedef {object} FieldContext
 * @property {object} catalog the core's catalog (optimizers, schedules, scenes, ...)
 * @property {string[]} ignored names of ignored fields, for the notice
 * @property {object} state the state read so far
 */

/**
 * @typedef {object} Field
 * @property {string} key the name in the link
 * @property {string} [prop] the state property (the key when left out)
 * @property {*} default the value when the link has none (cloned for every state)
 * @property {(text: string, ctx: FieldContext) => *} parse the value, or `undefined` if bad
 * @property {(value: *, state: object) => string} write the value as link text
 * @property {boolean} [always] written even when it is the default
 * @property {(state: object) => boolean} [when] written exactly when this holds (and it is set)
 * @property {number} [repeat] the field may stand several times, up to this many (an array)
 */

/** How a page is embedded (`embed=` in a link, `controls=` of <optiscape-lab>). */
export const EMBED_MODES = Object.freeze(['full', 'minimal', 'none']);

const MAX_TEXT = 300;
const MAX_KEY = 20;

export const finite = (v) => typeof v === 'number' && Number.isFinite(v);
/** A number as written in a link (no hex, no `Infinity`); NaN otherwise. */
export const num = (s) => (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s) ? Number(s) : NaN);
/** An integer in `[lo, hi]`, or `undefined`. */
export const int = (s, lo, hi) => {
  const v = num(s);
  return Number.isInteger(v) && v >= lo && v <= hi ? v : undefined;
};
/** `n` comma-separated finite numbers no larger than `max` in size, or `undefined`. */
export const numbers = (s, n, max = 1e6) => {
  const parts = String(s).split(',').map(num);
  return parts.length === n && parts.every((v) => finite(v) && Math.abs(v) <= max) ? parts : undefined;
};
/** A number in six significant digits, for links. */
export const short = (v) => String(Number(v.toPrecision(6)));
/** One of `values`, or `undefined`. */
export const oneOf = (values) => (text) => (values.includes(text) ? text : undefined);

/** The page language (null: the browser's), a field of every page. */
export const LANG_FIELD = Object.freeze({ key: 'lang', default: null, write: String, parse: oneOf(LANGS) });

/** The page theme, a field of every page. */
export const THEME_FIELD = Object.freeze({ key: 'theme', default: 'auto', write: String, parse: oneOf(['auto', 'light', 'dark']) });

/** At most this many entries in an `origins` list. */
export const MAX_ORIGINS = 8;

/**
 * `text` when it is an http(s) origin exactly as `location.origin` writes it (`https://a.example`,
 * `http://127.0.0.1:8080`: lower case, a port only when not the scheme's default, no path, no
 * `/` at the end), else `undefined`.
 */
export function serializedOrigin(text) {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === text ? text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The parent pages an embedded page talks to, a field of every page that can be framed:
 * `origins=https://a.example,https://b.example` (see embed-api.js). `*` is not an origin (leave
 * the field out instead). A bad entry, or one past MAX_ORIGINS, is left out and `origins`
 * named in the notice; with no good entry the field is ignored as a whole.
 */
export const ORIGINS_FIELD = Object.freeze({
  key: 'origins',
  default: null,
  write: (list) => list.join(','),
  parse: (text, { ignored }) => {
    const items = text.split(',');
    const good = items.slice(0, MAX_ORIGINS).map(serializedOrigin).filter(Boolean);
    if (good.length === 0) return undefined;
    if (good.length < items.length) ignored.push('origins');
    return [...new Set(good)];
  },
});

/** An optimizer's key in pickers and links: `adam`, or `rmsprop.lecture`. */
export const optimizerKey = (spec) => (spec.variant ? `${spec.name}.${spec.variant}` : spec.name);

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

/** Writes a parameter value as link text. */
export const writeParam = (value) => (Array.isArray(value) ? value.map(String).join('_') : String(value));

/** `key=value` → `[key, value]` (a pair without `=` has the value ''). */
export const splitPair = (pair) => {
  const eq = pair.indexOf('=');
  return eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
};

/**
 * Reads `key=value` pairs against a spec's params into `params`; a bad or unknown key is
 * named in `bad` and left out. `other(key, value)` may take keys of its own (true if taken).
 */
export function readParams(pairs, spec, params, bad, other = () => false) {
  for (const pair of pairs) {
    const [key, value] = splitPair(pair);
    if (other(key, value)) continue;
    const param = spec.params.find((p) => p.name === key);
    const v = param ? readParam(param, value) : undefined;
    if (v === undefined) bad.push(key);
    else params[key] = v;
  }
  return params;
}

/** `name[.variant],key=value,...` against the catalog's optimizers; `null` if unknown. */
export function readOptimizer(text, optimizers, bad, other) {
  const [head, ...pairs] = text.split(',');
  const spec = optimizers.find((s) => optimizerKey(s) === head);
  if (!spec) return null;
  return { key: head, params: readParams(pairs, spec, {}, bad, other) };
}

/**
 * `name;key=value;...` against the catalog's schedules; `null` if unknown, if any key is bad,
 * or if a parameter without a default (the catalog's `default: null`, e.g. cosine's `t_max`)
 * is missing.
 */
export function readSchedule(text, schedules) {
  const [name, ...pairs] = text.split(';');
  const spec = schedules.find((s) => s.name === name && s.name !== 'sequential');
  if (!spec) return null;
  const bad = [];
  const params = readParams(pairs, spec, {}, bad);
  const missing = spec.params.some((p) => p.default === null && !(p.name in params));
  return bad.length || missing ? null : { name, params };
}

/**
 * One rule across an optimizer and its schedule: a one-cycle schedule cycles the momentum by
 * default, which an optimizer with neither `momentum` nor `betas` (the core's catalog says
 * which) does not have. For such an optimizer (`spec`, from the catalog) the
 * schedule gets `cycle_momentum=false`; a link that asks for `true` gets `null` (its schedule
 * is then ignored, named in the notice), so a link never opens a state the core refuses.
 */
export function fitSchedule(sched, spec) {
  if (sched?.name !== 'onecycle' || !spec) return sched;
  if (spec.params.some((p) => p.name === 'momentum' || p.name === 'betas')) return sched;
  if (sched.params.cycle_momentum === true) return null;
  return { ...sched, params: { ...sched.params, cycle_momentum: false } };
}

/** `key=value` items of a params object. */
export const writeParams = (params) => Object.entries(params).map(([k, v]) => `${k}=${writeParam(v)}`);
/** A schedule as link text. */
export const writeSchedule = (sched) => [sched.name, ...writeParams(sched.params)].join(';');

/** Splits a hash into `[key, value]` pairs (values URI-decoded; undecodable ones kept raw). */
export function hashPairs(hash) {
  const out = [];
  for (const part of hash.replace(/^#/, '').split('&')) {
    if (!part) continue;
    out.push(splitPair(part).map((s) => {
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
 * A page's hash codec from its field table. `legacy(list, state, ignored, catalog)` reads links
 * without a version (else they are ignored as a whole); `finish(state, ignored)` fixes what
 * depends on several fields; `versionless` reads a link without `v` as the current version.
 * @param {{version: number, fields: Field[], legacy?: Function, versionless?: boolean, finish?: Function}} spec
 */
export function hashCodec({ version, fields, legacy = null, versionless = false, finish = () => {} }) {
  const prop = (f) => f.prop ?? f.key;
  const byKey = new Map(fields.map((f) => [f.key, f]));

  /** A fresh state with every field at its default. */
  function defaults() {
    const state = {};
    for (const f of fields) state[prop(f)] = structuredClone(f.default);
    return state;
  }

  /**
   * Reads a hash into `{state, ignored}`: the state (defaults where a field is missing or
   * bad) and the names of the fields that were ignored (shortened, for the notice).
   */
  function readHash(hash, catalog) {
    const state = defaults();
    const ignored = [];
    const list = hashPairs(hash);
    if (list.length === 0) return { state, ignored };
    const v = list.find(([k]) => k === 'v');
    if (!v && legacy) return legacy(list, state, ignored, catalog);
    if (v ? v[1] !== String(version) : !versionless) {
      ignored.push('v');
      return { state, ignored };
    }
    const ctx = { catalog, ignored, state };
    const repeated = new Map();
    for (const [key, value] of list) {
      if (key === 'v') continue;
      const f = byKey.get(key);
      if (key.length > MAX_KEY || value.length > MAX_TEXT) {
        ignored.push(key.slice(0, MAX_KEY));
        continue;
      }
      const parsed = f ? f.parse(value, ctx) : undefined;
      if (parsed === undefined) ignored.push(key);
      else if (f.repeat) repeated.set(f, [...(repeated.get(f) ?? []), parsed]);
      else state[prop(f)] = parsed;
    }
    for (const [f, items] of repeated) {
      state[prop(f)] = items.slice(0, f.repeat);
      if (items.length > f.repeat) ignored.push(`${f.key}×${items.length - f.repeat}`);
    }
    finish(state, ignored);
    return { state, ignored };
  }

  /** The hash for a state (besides the version, only what differs from the defaults). */
  function toHash(state) {
    const parts = [`v=${version}`];
    for (const f of fields) {
      const value = state[prop(f)];
      if (value === null || value === undefined) continue;
      const same = !f.always && f.default !== null && f.write(value, state) === f.write(f.default, state);
      if (f.when ? !f.when(state) : same) continue;
      // A `+` written (`1e+200`) would read back as a space: it goes as `%2B`.
      for (const item of f.repeat ? value : [value]) parts.push(`${f.key}=${String(f.write(item, state)).replace(/\+/g, '%2B')}`);
    }
    return `#${parts.join('&')}`;
  }

  /** Writes the state into the URL without a history entry. */
  const writeHash = (state) => history.replaceState(null, '', toHash(state));

  return { defaults, readHash, toHash, writeHash };
}
