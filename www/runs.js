// The runs panel: the legend (one entry per run, its colour, its status in words), add /
// duplicate / remove, the "compare" presets, and the editor of the selected run, built from the
// core's specs: every hyper-parameter of its optimizer (log sliders for lr and eps) and a
// schedule editor with a small η(t) plot.

import { errorText } from './common/errors.js';
import { showError } from './common/banner.js';
import { check_optimizer as checkOptimizer, schedule_lrs as scheduleLrs, schedule_start as scheduleStart, ticks, log_ticks as logTicks } from './pkg-lab-first/optiscape.js';
import { drawStepChart as drawChart } from './common/charts.js';
import { RUN_COLORS } from './draw.js';
import { formatLoss, formatRate } from './common/format.js';
import { logSlider } from './common/controls.js';
import { t } from './common/i18n.js';
import { optimizerLabel } from './common/optimizers.js';
import { inRange, MAX_RUNS, optimizerKey } from './state.js';

const $ = (id) => document.getElementById(id);

/** Log sliders: exponent ranges for the parameters that span decades (lr reaches the ravine scene's 10⁻⁷). */
const LOG_SLIDERS = { lr: [-7, 1], eps: [-12, 0], max_lr: [-5, 1] };



let uid = 0;

export class RunsPanel {
  constructor(app) {
    this.app = app;
    this.editorFor = null;
    $('add-run').addEventListener('click', () => this.add());
    $('dup-run').addEventListener('click', () => this.duplicate());
    $('remove-run').addEventListener('click', () => this.remove());
    for (const b of document.querySelectorAll('[data-compare]')) {
      b.addEventListener('click', () => this.compare(b.dataset.compare));
    }
    $('optimizer').addEventListener('change', (e) => this.setOptimizer(e.target.value));
    $('schedule').addEventListener('change', (e) => this.setSchedule(e.target.value));
  }

  get runs() {
    return this.app.state.runs;
  }

  get selected() {
    return this.runs[this.app.state.sel];
  }

  spec(key) {
    return this.app.catalog.optimizers.find((s) => optimizerKey(s) === key);
  }

  /** Redraws the legend; rebuilds the editor only when another run or optimizer is shown. */
  render() {
    this.renderLegend();
    const sel = this.app.state.sel;
    const key = `${sel}:${this.selected?.opt}:${document.documentElement.lang}:${this.selected?.sched?.name ?? ''}`;
    if (key !== this.editorFor) {
      this.editorFor = key;
      this.renderEditor();
    }
    this.showRunError();
    this.drawSchedule();
    $('add-run').disabled = this.runs.length >= MAX_RUNS;
    $('dup-run').disabled = this.runs.length >= MAX_RUNS;
    $('remove-run').disabled = this.runs.length <= 1;
  }

  renderLegend() {
    const legend = $('legend');
    const focused = document.activeElement?.closest?.('#legend') ? document.activeElement.dataset.run : null;
    legend.replaceChildren();
    this.runs.forEach((run, i) => {
      const li = document.createElement('li');
      li.className = 'legend-item';
      li.style.setProperty('--run', RUN_COLORS[i % RUN_COLORS.length]);
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'legend-select';
      button.dataset.run = String(i);
      button.setAttribute('aria-pressed', String(i === this.app.state.sel));
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.setAttribute('aria-hidden', 'true');
      const name = document.createElement('span');
      name.className = 'legend-name';
      const lr = run.params.lr !== undefined ? `, lr ${formatRate(run.params.lr)}` : '';
      const extra = run.params.momentum ? `, μ ${run.params.momentum}` : '';
      const sched = run.sched ? `, ${t(`schedule.${run.sched.name}`)}` : '';
      const label = this.app.scenes?.runLabel(i);
      name.textContent = label ? `${i + 1}. ${label}` : `${i + 1}. ${optimizerLabel(this.app.catalog.optimizers, run.opt)}${lr}${extra}${sched}`;
      const status = document.createElement('span');
      const data = this.app.runs[i];
      status.className = data?.divergence || data?.error ? 'legend-status bad' : 'legend-status';
      status.textContent = data
        ? (data.divergence || data.error ? this.app.statusText(data) : `${t('run.final')} ${formatLoss(data.loss[data.loss.length - 1])}`)
        : '';
      button.append(swatch, name, status);
      button.addEventListener('click', () => this.select(i));
      li.append(button);
      legend.append(li);
    });
    if (focused !== null) legend.querySelector(`[data-run="${focused}"]`)?.focus();
  }

  select(i) {
    this.app.state.sel = i;
    this.render();
    this.app.showRunStatus();
    this.app.drawFrame();
    this.app.saveState();
  }

  add() {
    if (this.runs.length >= MAX_RUNS) return;
    this.runs.push({ opt: 'sgd', params: { lr: this.selected?.params.lr ?? 0.01, momentum: 0.9 }, sched: null });
    this.app.state.sel = this.runs.length - 1;
    this.app.rerun();
  }

  duplicate() {
    if (this.runs.length >= MAX_RUNS) return;
    this.runs.push(structuredClone(this.selected));
    this.app.state.sel = this.runs.length - 1;
    this.app.rerun();
  }

  remove() {
    if (this.runs.length <= 1) return;
    this.runs.splice(this.app.state.sel, 1);
    this.app.state.sel = Math.max(0, this.app.state.sel - 1);
    this.app.rerun();
  }

  /** Side-by-side runs with the settings the core picks for the current view and start. */
  compare(kind) {
    if (!this.app.whole) {
      this.app.whenWhole(() => this.compare(kind));
      return;
    }
    const sel = this.selected;
    let runs;
    try {
      const selected = sel ? JSON.stringify({ opt: sel.opt, params: sel.params }) : '';
      runs = JSON.parse(this.app.lab.compare_runs(kind, ...this.app.state.start, selected));
    } catch (e) {
      showError(e);
      return;
    }
    this.app.state.runs = runs.map((r) => ({ sched: null, ...r }));
    this.app.state.sel = 0;
    this.app.rerun();
  }

  setOptimizer(key) {
    const run = this.selected;
    const spec = this.spec(key);
    if (!run || !spec) return;
    const keep = {};
    if (run.params.lr !== undefined) keep.lr = run.params.lr;
    run.opt = key;
    run.params = keep;
    this.app.rerun();
  }

  setSchedule(name) {
    const run = this.selected;
    if (!run) return;
    run.sched = name === 'none' ? null : { name, params: JSON.parse(scheduleStart(name, this.app.state.steps, run.params.lr ?? 0.01)) };
    this.app.rerun();
  }

  /** The selected run's editor: optimizer, every parameter, the schedule. */
  renderEditor() {
    const run = this.selected;
    $('editor-swatch').style.background = RUN_COLORS[this.app.state.sel % RUN_COLORS.length];
    const select = $('optimizer');
    select.replaceChildren();
    for (const spec of this.app.catalog.optimizers) {
      select.add(new Option(optimizerLabel(this.app.catalog.optimizers, optimizerKey(spec)), optimizerKey(spec)));
    }
    if (!run) return;
    select.value = run.opt;
    const spec = this.spec(run.opt);
    const box = $('params');
    box.replaceChildren(...spec.params.map((p) => this.control(p, run.params, () => this.paramsChanged(), 'p')));
    const sched = $('schedule');
    sched.replaceChildren(new Option(t('schedule.none'), 'none'));
    for (const s of this.app.catalog.schedules) {
      if (s.name !== 'sequential') sched.add(new Option(t(`schedule.${s.name}`), s.name));
    }
    sched.value = run.sched?.name ?? 'none';
    const sbox = $('schedule-params');
    if (run.sched) {
      const sspec = this.app.catalog.schedules.find((s) => s.name === run.sched.name);
      sbox.replaceChildren(...sspec.params.map((p) => this.control(p, run.sched.params, () => this.paramsChanged(), 's')));
      $('schedule-box').open = true;
    } else {
      sbox.replaceChildren();
    }
  }

  /** One labelled control for a parameter spec, writing into `values`. */
  control(param, values, changed, prefix) {
    const id = `${prefix}-${param.name}`;
    const wrap = document.createElement('div');
    wrap.className = 'field';
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = t(`param.${param.name}`);
    const code = document.createElement('code');
    code.className = 'param-key';
    code.textContent = param.name;
    code.setAttribute('aria-hidden', 'true');
    const current = values[param.name] ?? param.default;
    const set = (v) => {
      values[param.name] = v;
      changed();
    };
    const log = LOG_SLIDERS[param.name];
    if (param.kind === 'number' && log) {
      const start = current > 0 ? Math.log10(current) : log[0];
      const { row, out, input } = logSlider({
        id: id === 'p-lr' ? 'lr' : id, outFor: id, range: log,
        start: Math.max(log[0], Math.min(log[1], start)), shown: current, onValue: set,
      });
      label.htmlFor = input.id;
      if (input.id === 'lr') out.id = 'lr-value';
      row.append(label, code, out);
      wrap.append(row, input);
      return wrap;
    }
    if (param.kind === 'bool') {
      wrap.className = 'check';
      const input = document.createElement('input');
      input.type = 'checkbox';
      input.id = id;
      input.checked = !!current;
      input.addEventListener('change', () => set(input.checked));
      wrap.append(input, label, code);
      return wrap;
    }
    if (param.kind === 'choice') {
      const input = document.createElement('select');
      input.id = id;
      for (const c of param.choices) input.add(new Option(c, c));
      input.value = current ?? param.choices[0];
      input.addEventListener('change', () => set(input.value));
      const row = document.createElement('div');
      row.className = 'label-row';
      row.append(label, code);
      wrap.append(row, input);
      return wrap;
    }
    const row = document.createElement('div');
    row.className = 'label-row';
    row.append(label, code);
    wrap.append(row);
    const number = (value, ariaLabel, onValue, integer = false) => {
      const input = document.createElement('input');
      input.type = 'number';
      input.step = integer ? '1' : 'any';
      if (param.range.min !== null) input.min = String(param.range.min);
      if (param.range.max !== null && param.range.max_inclusive) input.max = String(param.range.max);
      input.value = value === undefined || value === null ? '' : String(value);
      if (ariaLabel) input.setAttribute('aria-label', ariaLabel);
      input.addEventListener('change', () => {
        const v = Number(input.value);
        const ok = input.value.trim() !== '' && inRange(param.range, v) && (!integer || Number.isInteger(v));
        input.setAttribute('aria-invalid', String(!ok));
        if (ok) onValue(v);
      });
      return input;
    };
    if (param.kind === 'betas') {
      const pair = [...(current ?? [0.9, 0.999])];
      const two = document.createElement('div');
      two.className = 'two';
      const a = number(pair[0], `${t(`param.${param.name}`)} β1`, (v) => { pair[0] = v; set([...pair]); });
      a.id = id;
      const b = number(pair[1], `${t(`param.${param.name}`)} β2`, (v) => { pair[1] = v; set([...pair]); });
      two.append(a, b);
      wrap.append(two);
      return wrap;
    }
    if (param.kind === 'integer_list') {
      const input = document.createElement('input');
      input.type = 'text';
      input.id = id;
      input.value = (current ?? []).join(', ');
      input.addEventListener('change', () => {
        const v = input.value.split(/[ ,]+/).filter(Boolean).map(Number);
        const ok = v.length > 0 && v.every((x, k) => Number.isInteger(x) && x >= 1 && (k === 0 || x > v[k - 1]));
        input.setAttribute('aria-invalid', String(!ok));
        if (ok) set(v);
      });
      wrap.append(input);
      return wrap;
    }
    const input = number(current, null, set, param.kind === 'integer');
    input.id = id;
    wrap.append(input);
    return wrap;
  }

  paramsChanged() {
    this.app.rerun();
  }

  /** Shows why the selected run cannot run (the core's message), if it cannot. */
  showRunError() {
    const run = this.selected;
    const data = this.app.runs[this.app.state.sel];
    let message = data?.error ?? '';
    if (!message && run) {
      try {
        const [name, variant] = run.opt.split('.');
        checkOptimizer(JSON.stringify({ name, ...(variant ? { variant } : {}), ...run.params }));
      } catch (e) {
        message = errorText(e);
      }
    }
    $('run-error').hidden = !message;
    $('run-error').textContent = message ? t('run.error', { message }) : '';
  }

  /** The small η(t) plot of the selected run's schedule. */
  drawSchedule() {
    const run = this.selected;
    const canvas = $('schedule-plot');
    const error = $('schedule-error');
    error.hidden = true;
    if (!run?.sched) {
      canvas.hidden = true;
      return;
    }
    canvas.hidden = false;
    const n = this.app.state.steps;
    let values = [];
    try {
      const json = JSON.stringify({ name: run.sched.name, ...run.sched.params });
      values = scheduleLrs(json, run.params.lr ?? this.spec(run.opt).params.find((p) => p.name === 'lr').default, n);
    } catch (e) {
      error.hidden = false;
      error.textContent = t('run.error', { message: errorText(e) });
    }
    drawChart(canvas, [{ values, index: this.app.state.sel }], {
      maxStep: n, ticks, logTicks, colors: this.app.chartColors(),
    });
  }
}

export const nextId = () => ++uid;
