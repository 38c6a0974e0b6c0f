// What the surface lab, the classifier lab and the scene index share about lecture scenes: the
// scene's text in the current language, its MathML formula turned into DOM nodes (parsed as XML
// and rebuilt from an allow-list, never inserted as HTML), the links into the labs, and the
// "Measure the claim" client that runs the core's check in a Web Worker.

import { formatLoss } from './format.js';

const MATHML = 'http://www.w3.org/1998/Math/MathML';
const TAGS = new Set([
  'math', 'mi', 'mn', 'mo', 'mtext', 'mspace', 'mrow', 'mfrac', 'msqrt', 'mroot', 'msub', 'msup',
  'msubsup', 'munder', 'mover', 'munderover', 'mtable', 'mtr', 'mtd', 'mstyle', 'mpadded',
]);
const ATTRS = new Set(['display', 'mathvariant', 'stretchy', 'fence', 'separator', 'lspace', 'rspace', 'accent', 'width', 'form']);

/** The text of a `{en, "zh-CN"}` pair in language `lang`. */
export const pick = (text, lang) => (lang === 'zh-CN' ? text['zh-CN'] : text.en);

/**
 * The scene's formula (MathML text from the core) as a `<math>` element: parsed as XML, every
 * element outside MathML's presentation tags and every attribute outside a short allow-list is
 * dropped. Returns null when the text is not well-formed MathML.
 */
export function mathFromString(source, label) {
  const doc = new DOMParser().parseFromString(source, 'application/xml');
  const root = doc.documentElement;
  if (!root || root.localName !== 'math' || doc.getElementsByTagName('parsererror').length) return null;
  const copy = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.textContent);
    if (node.nodeType !== Node.ELEMENT_NODE || !TAGS.has(node.localName)) return null;
    const el = document.createElementNS(MATHML, node.localName);
    for (const a of node.attributes) if (ATTRS.has(a.name)) el.setAttribute(a.name, a.value);
    for (const c of node.childNodes) {
      const k = copy(c);
      if (k) el.append(k);
    }
    return el;
  };
  const math = copy(root);
  if (math && label) math.setAttribute('aria-label', label);
  return math;
}

/** The hash of the classifier page for a training config (the core's `TrainConfig`). */
export function classifierHash(config) {
  const parts = ['v=1'];
  const add = (k, v) => parts.push(`${k}=${v}`);
  const d = config.data;
  add('data', d.name);
  if (d.name !== 'digits') {
    add('classes', d.classes);
    add('n', d.n);
    add('noise', d.noise);
    if (d.seed !== undefined) add('dseed', d.seed);
    if (d.train_fraction !== undefined) add('train', d.train_fraction);
  }
  add('hidden', config.hidden.length ? config.hidden.join(',') : 'none');
  add('act', config.activation);
  add('loss', config.loss === 'mse' ? 'mse' : 'ce');
  if (config.batchnorm) add('bn', 1);
  if (!config.normalize_features) add('norm', 0);
  add('batch', config.batch_size >= 1_000_000 ? 'full' : config.batch_size);
  if (!config.shuffle) add('shuffle', 0);
  const { name, variant, ...params } = config.optimizer;
  const opt = [variant ? `${name}.${variant}` : name];
  for (const [k, v] of Object.entries(params)) opt.push(`${k}=${Array.isArray(v) ? v.join('_') : v}`);
  add('opt', encodeURI(opt.join(',')));
  if (config.schedule) {
    const { name: sname, ...sparams } = config.schedule;
    const s = [sname, ...Object.entries(sparams).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('_') : v}`)];
    add('sched', encodeURI(s.join(';')));
  }
  add('seed', config.seed);
  return parts.join('&');
}

/**
 * The link that opens scene `entry` (`{id, lab}`) from a page at the top level, carrying the
 * language and theme (`prefix` is the path from the page to the top, e.g. '' or '../').
 */
export function sceneHref(entry, { lang = 'en', theme = 'auto', prefix = '' } = {}) {
  const extra = [`scene=${entry.id}`];
  if (theme !== 'auto') extra.push(`theme=${theme}`);
  extra.push(`lang=${lang}`);
  const page = entry.lab === 'classifier' ? 'classifier.html' : 'index.html';
  return `${prefix}${page}#v=1&${extra.join('&')}`;
}

/** Runs scene checks in a worker (some take seconds), one at a time; the latest ask wins. */
export class MeasureClient {
  constructor() {
    this.worker = null;
    this.seq = 0;
    this.pending = null;
  }

  /** Resolves with the check (`{scene, pass, conditions, measured}`); rejects with a message. */
  measure(id, lab) {
    if (!this.worker) {
      this.worker = new Worker(new URL('./scene-worker.js', import.meta.url), { type: 'module' });
      this.worker.addEventListener('message', (e) => this.answer(e.data));
      this.worker.addEventListener('error', (e) => this.fail(e.message || 'the measuring worker failed'));
    }
    this.pending?.reject(new Error('superseded'));
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending = { seq, resolve, reject };
      this.worker.postMessage({ seq, id, lab });
    });
  }

  answer(msg) {
    if (!msg || msg.seq !== this.seq || !this.pending) return;
    const p = this.pending;
    this.pending = null;
    if (msg.ok) p.resolve(msg.check);
    else p.reject(new Error(msg.message));
  }

  fail(message) {
    const p = this.pending;
    this.pending = null;
    this.worker?.terminate();
    this.worker = null;
    p?.reject(new Error(message));
  }

  /** Stops a running check (a new scene was opened). */
  cancel() {
    if (!this.pending) return;
    this.fail('superseded');
  }
}

const shown = (v) => (typeof v === 'number' ? formatLoss(v) : Array.isArray(v) ? `[${v.map(shown).join(', ')}]` : String(v));

/**
 * Shows a check in `box`: a pass/fail line, each condition with its numbers, then the rest;
 * `t` is the page's string lookup (keys `scene.pass`, `scene.fail`, `scene.conditionMet`,
 * `scene.conditionMissed`, `scene.measured`).
 */
export function renderCheck(box, check, t) {
  box.replaceChildren();
  const verdict = document.createElement('p');
  verdict.className = check.pass ? 'verdict pass' : 'verdict fail';
  verdict.dataset.pass = String(check.pass);
  verdict.textContent = check.pass ? t('scene.pass') : t('scene.fail');
  const list = document.createElement('ul');
  list.className = 'conditions';
  for (const c of check.conditions) {
    const li = document.createElement('li');
    li.className = c.pass ? 'pass' : 'fail';
    const mark = document.createElement('span');
    mark.className = 'mark';
    mark.textContent = c.pass ? '✓' : '✗';
    mark.setAttribute('aria-hidden', 'true');
    const said = document.createElement('span');
    said.className = 'visually-hidden';
    said.textContent = `${c.pass ? t('scene.conditionMet') : t('scene.conditionMissed')}: `;
    const text = document.createElement('span');
    text.textContent = `${c.name}: ${shown(c.value)} ${c.op} ${shown(c.threshold)}`;
    li.append(mark, said, text);
    list.append(li);
  }
  box.append(verdict, list);
  const extra = Object.entries(check.measured ?? {});
  if (extra.length) {
    const details = document.createElement('details');
    const summary = document.createElement('summary');
    summary.textContent = t('scene.measured');
    const dl = document.createElement('dl');
    dl.className = 'measured';
    for (const [k, v] of extra.slice(0, 40)) {
      const div = document.createElement('div');
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      const s = typeof v === 'object' && v !== null && !Array.isArray(v) ? JSON.stringify(v) : shown(v);
      dd.textContent = s.length > 200 ? `${s.slice(0, 200)}…` : s;
      div.append(dt, dd);
      dl.append(div);
    }
    details.append(summary, dl);
    box.append(details);
  }
}
