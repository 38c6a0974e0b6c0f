// The scene card and what the surface lab, the classifier lab and the scene index share about
// lecture scenes: the scene's text in the current language, its MathML formula turned into DOM
// nodes (parsed as XML and rebuilt from an allow-list, never inserted as HTML), the links into
// the labs, the card's texts and buttons, and "Measure the claim", which runs the core's check
// in a Web Worker (the client, `measure.js`, is imported when a page first measures: the
// surface lab's first frame does not wait for it).

import { errorText } from './errors.js';
import { formatLoss } from './format.js';
import { t } from './i18n.js';

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

/**
 * Runs scene checks in the scene worker, one at a time; the latest ask wins. The worker's client
 * (`measure.js`, with the worker protocol) is imported on the first `measure`.
 */
export class MeasureClient {
  constructor() {
    this.loading = null;
    this.inner = null;
  }

  /** Resolves with the check (`{scene, pass, conditions, measured}`); rejects with a message. */
  async measure(scene, lab) {
    this.loading ??= import('./measure.js').then((m) => {
      this.inner = new m.MeasureClient();
      return this.inner;
    });
    return (await this.loading).measure(scene, lab);
  }

  /** Stops a running check (a new scene was opened). */
  cancel() {
    this.inner?.cancel();
  }
}

const $ = (id) => document.getElementById(id);

/**
 * Fills the scene card (`#scene-card`) with scene `s`, number `index` of `total`, in language
 * `lang`; `buttons` (`[{text, onClick, panel?, pressed?}]`) become the run or panel switcher,
 * shown when there are two or more.
 */
export function fillCard(s, index, total, lang, buttons) {
  $('scene-card').hidden = false;
  $('scene-kicker').textContent = t('scene.kicker', { n: index + 1, total });
  $('scene-title').textContent = pick(s.title, lang);
  $('scene-explanation').textContent = pick(s.explanation, lang);
  $('scene-claim').textContent = pick(s.claim, lang);
  const math = mathFromString(s.formula_mathml, t('scene.formula'));
  $('scene-formula').replaceChildren(...(math ? [math] : []));
  $('scene-prev').disabled = index <= 0;
  $('scene-next').disabled = index >= total - 1;
  const row = $('scene-panels');
  row.replaceChildren();
  row.hidden = buttons.length < 2;
  for (const { text, onClick, panel, pressed } of buttons) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'button';
    if (panel !== undefined) b.dataset.panel = String(panel);
    if (pressed !== undefined) b.setAttribute('aria-pressed', String(pressed));
    b.textContent = text;
    b.addEventListener('click', onClick);
    row.append(b);
  }
}

/**
 * "Measure the claim" for scene `id` of `lab` on the card: busy button, status line, the
 * check's table. Resolves with the check, or null when it failed, was superseded or
 * `current()` says the card shows another scene by now.
 */
export async function measureOnCard(client, id, lab, current = () => true) {
  const button = $('scene-measure');
  const status = $('scene-measure-status');
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  status.textContent = t('scene.measuring');
  $('scene-check').replaceChildren();
  try {
    const check = await client.measure(id, lab);
    if (!current()) return null;
    status.textContent = '';
    renderCheck($('scene-check'), check, t);
    return check;
  } catch (e) {
    // Superseded: another scene was opened (or the scene was left); its card starts unmeasured.
    if (e.message === 'superseded') {
      if (!current()) status.textContent = '';
    } else {
      status.textContent = t('scene.measureFailed', { message: errorText(e) });
    }
    return null;
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

const shown = (v) => (typeof v === 'number' ? formatLoss(v) : Array.isArray(v) ? `[${v.map(shown).join(', ')}]` : String(v));

/**
 * The lecture's scatter of a check's critical points: loss (y) against minimum ratio (x), local
 * minima (no negative eigenvalue) filled, saddles hollow. Keys `scene.scatterLabel`,
 * `scene.axisRatio`, `scene.axisLoss`, `scene.legendMinimum`, `scene.legendSaddle`.
 */
function pointsScatter(points, t) {
  const figure = document.createElement('figure');
  figure.className = 'scene-scatter';
  const canvas = document.createElement('canvas');
  const minima = points.filter((p) => p.negative === 0).length;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', t('scene.scatterLabel', { n: points.length, minima }));
  canvas.dataset.points = String(points.length);
  const [w, h] = [340, 220];
  const dpr = globalThis.devicePixelRatio || 1;
  canvas.width = w * dpr;
  canvas.height = h * dpr;
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  const caption = document.createElement('figcaption');
  caption.textContent = `● ${t('scene.legendMinimum')}   ○ ${t('scene.legendSaddle')}`;
  figure.append(canvas, caption);
  const ctx = canvas.getContext('2d');
  ctx.scale(dpr, dpr);
  const style = getComputedStyle(document.body);
  const text = style.getPropertyValue('--text').trim() || '#222';
  const accent = style.getPropertyValue('--accent').trim() || '#1a7f64';
  const pad = { left: 52, right: 12, top: 10, bottom: 38 };
  const losses = points.map((p) => p.loss);
  let [lo, hi] = [Math.min(...losses), Math.max(...losses)];
  if (!(hi > lo)) [lo, hi] = [lo - 0.5, hi + 0.5];
  const ratios = points.map((p) => p.minimum_ratio);
  const r0 = Math.max(0, Math.floor(Math.min(...ratios) * 10) / 10);
  const px = (r) => pad.left + ((r - r0) / (1 - r0 || 1)) * (w - pad.left - pad.right);
  const py = (v) => h - pad.bottom - ((v - lo) / (hi - lo)) * (h - pad.top - pad.bottom);
  ctx.strokeStyle = text;
  ctx.fillStyle = text;
  ctx.lineWidth = 1;
  ctx.font = '11px system-ui, sans-serif';
  ctx.beginPath();
  ctx.moveTo(pad.left, pad.top);
  ctx.lineTo(pad.left, h - pad.bottom);
  ctx.lineTo(w - pad.right, h - pad.bottom);
  ctx.stroke();
  ctx.textAlign = 'center';
  for (const r of [r0, (r0 + 1) / 2, 1]) ctx.fillText(formatLoss(r), px(r), h - pad.bottom + 14);
  ctx.fillText(t('scene.axisRatio'), (pad.left + w - pad.right) / 2, h - 6);
  ctx.textAlign = 'right';
  for (const v of [lo, (lo + hi) / 2, hi]) ctx.fillText(formatLoss(v), pad.left - 4, py(v) + 4);
  ctx.save();
  ctx.translate(12, (pad.top + h - pad.bottom) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText(t('scene.axisLoss'), 0, 0);
  ctx.restore();
  ctx.strokeStyle = accent;
  ctx.fillStyle = accent;
  ctx.lineWidth = 1.5;
  for (const p of points) {
    ctx.beginPath();
    ctx.arc(px(p.minimum_ratio), py(p.loss), 4, 0, 2 * Math.PI);
    if (p.negative === 0) ctx.fill();
    else ctx.stroke();
  }
  return figure;
}

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
  if (Array.isArray(check.points) && check.points.length) box.append(pointsScatter(check.points, t));
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
