// The anatomy panel: for the selected run at the current step, the lecture's update
// θ(t+1) = θ(t) − (η(t)/σ(t))·m(t) typeset in MathML with the live numbers, η(t), σ(t) and m(t)
// per coordinate, the update, and the lecture variants' slide formulas. Numbers from Rust.

import { formatNumber } from './common/format.js';
import { t } from './common/i18n.js';
import { column, frac, m, math, mi, mn, mo, of, row, sqrt, sub, sup } from './mathml.js';

const $ = (id) => document.getElementById(id);

/** A number for the formula: 4 significant digits, exponent form when far from 1. */
export function num(v) {
  if (v === null || v === undefined) return '—';
  return formatNumber(v).replace('e', '·10^').replace('^-', '^−');
}

/** `[term, value]` pairs as the `<div><dt/><dd/></div>` rows of a `<dl>` (text only). */
export function termRows(entries) {
  return entries.map(([k, v]) => {
    const div = document.createElement('div');
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    div.append(dt, dd);
    return div;
  });
}

const SUPERSCRIPT = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '−': '⁻' };

/** A number as plain text: 1.2·10^−5 becomes 1.2×10⁻⁵. */
export function text(v) {
  const s = num(v);
  const i = s.indexOf('·10^');
  if (i < 0) return s;
  return `${s.slice(0, i)}×10${[...s.slice(i + 4)].map((c) => SUPERSCRIPT[c] ?? c).join('')}`;
}

/** A number as MathML: `1.2·10^-5` becomes 1.2·10⁻⁵ with a real superscript. */
export function mnum(v) {
  const s = num(v);
  const i = s.indexOf('·10^');
  if (i < 0) return mn(s);
  return row(mn(s.slice(0, i)), mo('·'), sup(mn('10'), mn(s.slice(i + 4))));
}

export class Anatomy {
  constructor(app) {
    this.app = app;
    this.key = '';
  }

  /** Redraws when the run, the step or the language changed. */
  render() {
    const app = this.app;
    const i = app.state.sel;
    const step = app.lab.step();
    const run = app.state.runs[i];
    const data = app.runs[i];
    const key = `${i}:${step}:${document.documentElement.lang}:${data?.x.length}:${data?.x[data.x.length - 1]}`;
    if (key === this.key) return;
    this.key = key;
    const caption = $('anatomy-caption');
    const box = $('anatomy-math');
    const values = $('anatomy-values');
    const note = $('anatomy-note');
    const slide = $('anatomy-slide');
    if (!run || !data) return;
    // The step shown: p_t → p_{t+1}; at the end, the last step taken.
    const t0 = Math.min(step, Math.max(0, data.x.length - 2));
    const json = app.lab.run_anatomy(i, t0);
    if (!json) {
      caption.textContent = data.error ? t('run.invalid') : t('anatomy.none');
      box.replaceChildren();
      values.replaceChildren();
      note.hidden = true;
      slide.hidden = true;
      return;
    }
    const a = JSON.parse(json);
    caption.textContent = t('anatomy.caption', { run: i + 1, step: a.step });
    const { point: theta, next } = a;
    const general = row(
      sub(mi('θ'), row(mi('t'), mo('+'), mn('1'))), mo('='), of('θ'), mo('−'),
      frac(of('η'), of('σ')), mo('⊙'), of('m'),
    );
    const live = row(
      column(next.map(mnum)), mo('='), column(theta.map(mnum)), mo('−'),
      frac(mnum(a.lr), column(a.sigma.map(mnum))), mo('⊙'), column(a.direction.map(mnum)),
    );
    box.replaceChildren(
      math([general], t('anatomy.formulaLabel')),
      math([live], t('anatomy.liveLabel', { lr: num(a.lr) })),
    );
    const entries = [
      [t('anatomy.lr'), text(a.lr)],
      [t('anatomy.sigma'), `(${a.sigma.map(text).join(', ')})`],
      [t('anatomy.m'), `(${a.direction.map(text).join(', ')})`],
      [t('anatomy.update'), `(${a.update.map(text).join(', ')})`],
      [t('anatomy.gradient'), `(${a.gradient.map(text).join(', ')})`],
    ];
    values.replaceChildren(...termRows(entries));
    note.hidden = a.exact;
    note.textContent = a.exact ? '' : t('anatomy.inexact');
    this.showSlide(run.opt);
  }

  /** The lecture variants' own formulas for σ(t), as on the slides. */
  showSlide(opt) {
    const slide = $('anatomy-slide');
    let formula = null;
    if (opt === 'adagrad.lecture') {
      formula = row(
        of('σ'), mo('='),
        sqrt(row(frac(mn('1'), row(mi('t'), mo('+'), mn('1'))), m('munderover', [mo('∑'), row(mi('i'), mo('='), mn('0')), mi('t')]), sup(sub(mi('g'), mi('i')), mn('2')))),
      );
    } else if (opt === 'rmsprop.lecture') {
      formula = row(
        of('σ'), mo('='),
        sqrt(row(mi('α'), sup(of('σ', 't−1'), mn('2')), mo('+'), row(mo('('), mn('1'), mo('−'), mi('α'), mo(')')), sup(sub(mi('g'), mi('t')), mn('2')))),
        mo(','), sub(mi('σ'), mn('0')), mo('='), row(mo('|'), sub(mi('g'), mn('0')), mo('|')),
      );
    }
    slide.hidden = !formula;
    if (formula) {
      const p = document.createElement('p');
      p.className = 'muted';
      p.textContent = t('anatomy.slide');
      slide.replaceChildren(p, math([formula], t('anatomy.slide')));
    } else {
      slide.replaceChildren();
    }
  }
}
