// The phase-diagram panel: sweep two hyper-parameters of the selected run over a grid (the
// core's `PhaseSweep`, in the worker www/phase-worker.js) and draw the result as a heatmap with
// axes, a colour bar, the diverged cells in vermillion (legend entries with counts), the
// current run's position, and a hover / keyboard readout; a click (or Enter) on a cell loads
// its values into the selected run. JS only draws: the values, colours, scales and positions
// come from the core.

import { chartColors } from './common/charts.js';
import { errorText } from './common/errors.js';
import { WorkerClient } from './common/protocol.js';
import {
  phase_axes as phaseAxes, phase_axis_fraction as axisFraction, phase_colorbar as colorbar,
  phase_check as phaseCheck, phase_target as phaseTarget, ticks, log_ticks as logTicks,
} from './pkg-lab/optiscape.js';
import { formatLoss, formatNumber } from './common/format.js';
import { drawStart } from './draw.js';
import { t } from './common/i18n.js';

const $ = (id) => document.getElementById(id);

/** Margins of the plot inside the canvas (CSS pixels). */
const M = { left: 64, right: 92, top: 12, bottom: 46 };
/** The preferred second axis, by the optimizer's parameters. */
const Y_PREFERRED = ['optimizer.momentum', 'optimizer.betas.0', 'optimizer.alpha', 'optimizer.rho', 'optimizer.eps'];
const DIVERGED = '#D55E00';
/** A tick label: plain digits near 1, else the shortest exponent form (1e-5, 2.5e-7). */
const levelText = (v, digits = 3) => formatNumber(v, { digits });
const NOT_REACHED = '#B0B0B8';
const REACHED = '#009E73';

export class PhasePanel {
  constructor(app) {
    this.app = app;
    this.client = new WorkerClient(new URL('./phase-worker.js', import.meta.url), () => t('phase.workerFailed'));
    this.choices = [];
    this.choicesFor = null;
    this.result = null;
    this.cursor = null;
    this.bar = null;
    this.targetFor = null;
    $('phase-run').addEventListener('click', () => this.run());
    $('phase-cancel').addEventListener('click', () => this.cancel());
    $('phase-color').addEventListener('change', () => this.draw());
    for (const axis of ['x', 'y']) {
      $(`phase-${axis}`).addEventListener('change', () => this.resetRange(axis));
    }
    const canvas = $('phase-canvas');
    canvas.addEventListener('mousemove', (e) => this.hover(e));
    canvas.addEventListener('mouseleave', () => {
      this.hovered = null;
      this.draw();
      this.readout(this.cursor);
    });
    canvas.addEventListener('click', (e) => {
      const cell = this.cellAt(e);
      if (cell) this.load(cell);
    });
    canvas.addEventListener('keydown', (e) => this.key(e));
    new ResizeObserver(() => this.draw()).observe($('phase-figure'));
  }

  // ---- the worker ---------------------------------------------------------------------

  /**
   * Sweeps `config` (a sweep config object) in the worker; resolves with the worker's `done`
   * message (and `wall`, the ms from posting to its arrival), or null when cancelled.
   */
  sweep(config, onProgress = () => {}) {
    const body = { config: JSON.stringify(config), coloring: $('phase-color').value };
    return this.client.request(body, (msg) => onProgress(msg.rows_done, msg.rows, msg));
  }

  // ---- controls -----------------------------------------------------------------------

  /** The selected run changed: refresh the parameter pickers (when its kind changed) and the marker. */
  runChanged() {
    const run = this.app.state.runs[this.app.state.sel];
    if (!run) return;
    let choices;
    try {
      choices = JSON.parse(phaseAxes(JSON.stringify(this.app.configFor(run))));
    } catch {
      choices = [];
    }
    // The automatic target belongs to its surface: another surface gets its own.
    if (this.targetFor && this.targetFor !== this.app.state.surface) {
      $('phase-target').value = '';
      this.targetFor = null;
    }
    const key = `${run.opt}|${run.sched?.name ?? ''}|${document.documentElement.lang}`;
    this.choices = choices;
    if (key !== this.choicesFor) {
      this.choicesFor = key;
      this.fillPickers();
    }
    this.draw();
  }

  label(choice) {
    if (!choice) return '';
    const base = t(`param.${choice.name}`);
    const name = choice.index === null ? base : `${base} β${choice.index + 1}`;
    return choice.group === 'schedule' ? `${name} (${t('phase.schedule')})` : name;
  }

  choice(axis) {
    return this.choices.find((c) => c.path === $(`phase-${axis}`).value);
  }

  fillPickers() {
    const previous = { x: $('phase-x').value, y: $('phase-y').value };
    for (const axis of ['x', 'y']) {
      const select = $(`phase-${axis}`);
      select.replaceChildren();
      for (const c of this.choices) select.add(new Option(`${this.label(c)} · ${c.path.replace(/^\w+\./, '')}`, c.path));
    }
    const has = (p) => this.choices.some((c) => c.path === p);
    const x = has(previous.x) ? previous.x : this.choices[0]?.path;
    const y = has(previous.y) && previous.y !== x
      ? previous.y
      : Y_PREFERRED.find((p) => has(p) && p !== x) ?? this.choices.find((c) => c.path !== x)?.path;
    const changed = { x: x !== previous.x, y: y !== previous.y };
    if (x) $('phase-x').value = x;
    if (y) $('phase-y').value = y;
    for (const axis of ['x', 'y']) if (changed[axis]) this.resetRange(axis);
    $('phase-run').disabled = this.choices.length < 2;
  }

  /** The core's default range for the axis's parameter. */
  resetRange(axis) {
    const c = this.choice(axis);
    if (!c) return;
    $(`phase-${axis}-min`).value = String(Number(c.min.toPrecision(4)));
    $(`phase-${axis}-max`).value = String(Number(c.max.toPrecision(4)));
    $(`phase-${axis}-log`).checked = c.log;
  }

  /**
   * The sweep config from the controls, or an error message. The core checks the values (the
   * steps, each axis's range, two different parameters) when the sweep starts: see `errorText`.
   */
  config() {
    const run = this.app.state.runs[this.app.state.sel];
    const n = Number($('phase-n').value);
    const steps = Number($('phase-steps').value);
    const axes = {};
    for (const axis of ['x', 'y']) {
      const c = this.choice(axis);
      const min = Number($(`phase-${axis}-min`).value);
      const max = Number($(`phase-${axis}-max`).value);
      const log = $(`phase-${axis}-log`).checked;
      if (!c) return { error: t('phase.noParam') };
      axes[axis] = { path: c.path, min, max, n, log };
    }
    const base = { ...this.app.configFor(run), steps };
    let target = Number($('phase-target').value);
    const auto = $('phase-target').value.trim() === '' || !Number.isFinite(target);
    try {
      phaseCheck(JSON.stringify({ run: base, x: axes.x, y: axes.y, target_loss: auto ? 0 : target }));
    } catch (e) {
      return { error: this.errorText(e) };
    }
    if (auto) {
      try {
        target = phaseTarget(JSON.stringify(base), ...this.app.lab.view());
      } catch (e) {
        return { error: this.errorText(e) };
      }
      $('phase-target').value = String(Number(target.toPrecision(4)));
      this.targetFor = this.app.state.surface;
    }
    return { config: { run: base, x: axes.x, y: axes.y, target_loss: target } };
  }

  async run() {
    const { config, error } = this.config();
    this.showError(error);
    if (!config) return;
    $('phase-run').disabled = true;
    $('phase-cancel').hidden = false;
    $('phase-progress').hidden = false;
    this.progress(0, config.y.n);
    let result = null;
    // The rows measured so far are drawn as they arrive (hover and clicks wait for the end).
    const preview = (k, n, msg) => {
      this.progress(k, n);
      if (!msg.preview) return;
      this.result = {
        partial: true, config, cols: msg.cols, rows: msg.rows, images: { [msg.preview.coloring]: msg.preview },
      };
      this.hovered = null;
      this.cursor = null;
      $('phase-figure').hidden = false;
      this.draw();
    };
    try {
      result = await this.sweep(config, preview);
    } catch (e) {
      this.showError(this.errorText(e));
    }
    $('phase-run').disabled = false;
    $('phase-cancel').hidden = true;
    if (result) {
      this.progress(result.rows, result.rows);
      this.result = { ...result, config };
      this.cursor = null;
      $('phase-figure').hidden = false;
      $('phase-status').textContent = t('phase.done', { cells: result.cols * result.rows, seconds: (result.wall / 1000).toFixed(2) });
      this.draw();
      this.readout(null);
    } else if (!$('phase-error').textContent) {
      $('phase-status').textContent = t('phase.cancelled');
    }
    document.body.dataset.phase = result ? 'done' : 'stopped';
  }

  cancel() {
    this.client.cancelRunning();
  }

  progress(k, n) {
    const bar = $('phase-bar');
    bar.max = n;
    bar.value = k;
    const pct = Math.round((100 * k) / Math.max(1, n));
    bar.setAttribute('aria-valuetext', `${pct} %`);
    $('phase-progress-text').textContent = t('phase.progress', { k, n, pct });
    $('phase-status').textContent = '';
  }

  /** A core error in the page's language, its fields named by the controls' labels. */
  errorText(e) {
    const field = (name) => {
      if (name === 'run.steps') return t('phase.steps');
      const axis = name.split('.')[0];
      const c = (axis === 'x' || axis === 'y') && this.choice(axis);
      return c ? this.label(c) : name;
    };
    return errorText(e, t, { field });
  }

  showError(message) {
    $('phase-error').hidden = !message;
    $('phase-error').textContent = message ? t('run.error', { message }) : '';
  }

  // ---- the diagram --------------------------------------------------------------------

  /** Plot geometry in device pixels. */
  geometry(canvas) {
    const dpr = window.devicePixelRatio || 1;
    const width = Math.max(240, canvas.clientWidth);
    const height = Math.round(Math.min(520, Math.max(220, width * 0.72)));
    canvas.style.height = `${height}px`;
    if (canvas.width !== Math.round(width * dpr)) canvas.width = Math.round(width * dpr);
    if (canvas.height !== Math.round(height * dpr)) canvas.height = Math.round(height * dpr);
    const narrow = width < 420;
    const right = narrow ? 66 : M.right;
    return {
      dpr,
      left: M.left * dpr,
      top: M.top * dpr,
      w: (width - M.left - right) * dpr,
      h: (height - M.top - M.bottom) * dpr,
      right: right * dpr,
    };
  }

  colors() {
    return chartColors();
  }

  draw() {
    const r = this.result;
    const canvas = $('phase-canvas');
    if (!r || $('phase-figure').hidden) return;
    const g = this.geometry(canvas);
    const { dpr, left, top, w, h } = g;
    const ctx = canvas.getContext('2d');
    const col = this.colors();
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const coloring = $('phase-color').value;
    if (!r.images[coloring]) return;
    const { rgba, scale } = r.images[coloring];
    // The cells, one pixel each, scaled up without smoothing.
    const cells = document.createElement('canvas');
    cells.width = r.cols;
    cells.height = r.rows;
    cells.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(rgba), r.cols, r.rows), 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(cells, left, top, w, h);
    ctx.imageSmoothingEnabled = true;
    ctx.strokeStyle = col.line;
    ctx.lineWidth = dpr;
    ctx.strokeRect(left, top, w, h);
    // Axes: ticks where the core puts them, the parameters' names.
    ctx.font = `${11 * dpr}px system-ui, sans-serif`;
    ctx.fillStyle = col.muted;
    const { x, y } = r.config;
    const axisTicks = (a) => (a.log ? logTicks(a.min, a.max) : ticks(a.min, a.max, 5));
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const v of axisTicks(x)) {
      const f = axisFraction(x.min, x.max, x.n, x.log, v);
      if (f < 0 || f > 1) continue;
      const px = left + f * w;
      ctx.fillRect(px - dpr / 2, top + h, dpr, 4 * dpr);
      ctx.fillText(levelText(v), px, top + h + 6 * dpr);
    }
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const v of axisTicks(y)) {
      const f = axisFraction(y.min, y.max, y.n, y.log, v);
      if (f < 0 || f > 1) continue;
      const py = top + (1 - f) * h;
      ctx.fillRect(left - 4 * dpr, py - dpr / 2, 4 * dpr, dpr);
      ctx.fillText(levelText(v), left - 6 * dpr, py);
    }
    ctx.fillStyle = col.text;
    ctx.font = `600 ${12 * dpr}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    const xc = this.choices.find((c) => c.path === x.path) ?? { name: x.path, index: null, group: '' };
    const yc = this.choices.find((c) => c.path === y.path) ?? { name: y.path, index: null, group: '' };
    ctx.fillText(`${this.label(xc)}${x.log ? ` (${t('phase.logAxis')})` : ''}`, left + w / 2, canvas.height - 4 * dpr);
    ctx.save();
    ctx.translate(14 * dpr, top + h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'middle';
    ctx.fillText(`${this.label(yc)}${y.log ? ` (${t('phase.logAxis')})` : ''}`, 0, 0);
    ctx.restore();
    this.drawColorbar(ctx, g, scale, col);
    this.drawMarker(ctx, g);
    const cell = this.hovered ?? this.cursor;
    if (cell) {
      const cw = w / r.cols;
      const ch = h / r.rows;
      const cx = left + cell.i * cw;
      const cy = top + (r.rows - 1 - cell.j) * ch;
      ctx.lineWidth = 2 * dpr;
      ctx.strokeStyle = '#ffffff';
      ctx.strokeRect(cx, cy, cw, ch);
      ctx.lineWidth = dpr;
      ctx.strokeStyle = '#15111f';
      ctx.strokeRect(cx - dpr, cy - dpr, cw + 2 * dpr, ch + 2 * dpr);
    }
    this.legend(scale, coloring);
    canvas.dataset.cells = String(scale.cells);
    canvas.dataset.diverged = String(scale.diverged);
  }

  drawColorbar(ctx, g, scale, col) {
    if (scale.lo === null) return;
    const { dpr, left, top, w, h } = g;
    if (!this.bar) {
      const strip = colorbar(256);
      this.bar = document.createElement('canvas');
      this.bar.width = 1;
      this.bar.height = 256;
      const img = new ImageData(1, 256);
      // Top of the bar is the high end.
      for (let k = 0; k < 256; k++) img.data.set(strip.subarray(4 * (255 - k), 4 * (256 - k)), 4 * k);
      this.bar.getContext('2d').putImageData(img, 0, 0);
    }
    const bx = left + w + 16 * dpr;
    const bw = 12 * dpr;
    ctx.drawImage(this.bar, bx, top, bw, h);
    ctx.strokeStyle = col.line;
    ctx.lineWidth = dpr;
    ctx.strokeRect(bx, top, bw, h);
    ctx.fillStyle = col.muted;
    ctx.font = `${10.5 * dpr}px system-ui, sans-serif`;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    scale.ticks.forEach((v, k) => {
      const py = top + (1 - scale.tick_positions[k]) * h;
      ctx.fillRect(bx + bw, py - dpr / 2, 4 * dpr, dpr);
      ctx.fillText(levelText(v), bx + bw + 6 * dpr, py);
    });
  }

  /** The selected run's own values: a white ring (dashed and at the edge when outside the ranges). */
  drawMarker(ctx, g) {
    const { x, y } = this.result.config;
    const vx = this.choices.find((c) => c.path === x.path)?.value;
    const vy = this.choices.find((c) => c.path === y.path)?.value;
    if (!Number.isFinite(vx) || !Number.isFinite(vy)) return;
    const { dpr, left, top, w, h } = g;
    const fx = axisFraction(x.min, x.max, x.n, x.log, vx);
    const fy = axisFraction(y.min, y.max, y.n, y.log, vy);
    const inside = fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1;
    const clamp = (f) => Math.min(1, Math.max(0, Number.isFinite(f) ? f : 0));
    const px = left + clamp(fx) * w;
    const py = top + (1 - clamp(fy)) * h;
    ctx.save();
    if (!inside) ctx.setLineDash([3 * dpr, 3 * dpr]);
    drawStart(ctx, px, py, dpr, 0.75);
    ctx.restore();
    $('phase-canvas').dataset.marker = `${px / dpr},${py / dpr}`;
  }

  legend(scale, coloring) {
    const box = $('phase-legend');
    box.replaceChildren();
    const item = (color, text, gradient = false) => {
      const span = document.createElement('span');
      span.className = 'phase-key';
      const sw = document.createElement('span');
      sw.className = gradient ? 'phase-swatch phase-swatch-bar' : 'phase-swatch';
      if (!gradient) sw.style.background = color;
      sw.setAttribute('aria-hidden', 'true');
      span.append(sw, document.createTextNode(text));
      box.append(span);
    };
    if (coloring === 'final_loss') item(null, t(scale.log ? 'phase.keyLossLog' : 'phase.keyLoss'), true);
    if (coloring === 'steps_to_target') item(null, t('phase.keySteps'), true);
    if (coloring === 'diverged') item(REACHED, t('phase.keyReached', { n: scale.reached }));
    item(DIVERGED, t('phase.keyDiverged', { n: scale.diverged }));
    if (coloring !== 'final_loss') item(NOT_REACHED, t('phase.keyNever', { n: scale.not_reached }));
    const ring = document.createElement('span');
    ring.className = 'phase-key';
    const mark = document.createElement('span');
    mark.className = 'phase-ring';
    mark.setAttribute('aria-hidden', 'true');
    ring.append(mark, document.createTextNode(t('phase.keyCurrent')));
    box.append(ring);
  }

  // ---- pointing at cells --------------------------------------------------------------

  cellAt(event) {
    const r = this.result;
    if (!r || r.partial) return null;
    const canvas = $('phase-canvas');
    const rect = canvas.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    const g = this.geometry(canvas);
    const fx = ((event.clientX - rect.left) * dpr - g.left) / g.w;
    const fy = ((event.clientY - rect.top) * dpr - g.top) / g.h;
    if (fx < 0 || fx >= 1 || fy < 0 || fy >= 1) return null;
    return { i: Math.floor(fx * r.cols), j: r.rows - 1 - Math.floor(fy * r.rows) };
  }

  hover(event) {
    const cell = this.cellAt(event);
    this.hovered = cell;
    this.draw();
    this.readout(cell ?? this.cursor);
  }

  key(event) {
    const r = this.result;
    if (!r || r.partial) return;
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    if (moves[event.key]) {
      event.preventDefault();
      const c = this.cursor ?? { i: Math.floor(r.cols / 2), j: Math.floor(r.rows / 2) };
      const [di, dj] = moves[event.key];
      const step = event.shiftKey ? 8 : 1;
      this.cursor = {
        i: Math.min(r.cols - 1, Math.max(0, c.i + di * step)),
        j: Math.min(r.rows - 1, Math.max(0, c.j + dj * step)),
      };
      this.draw();
      this.readout(this.cursor);
    } else if ((event.key === 'Enter' || event.key === ' ') && this.cursor) {
      event.preventDefault();
      this.load(this.cursor);
    }
  }

  /** "lr = …, β1 = …: final loss …, reached the target at step k" for a cell. */
  readout(cell) {
    const out = $('phase-readout');
    const r = this.result;
    if (!r || r.partial || !cell) {
      out.textContent = r && !r.partial ? t('phase.hoverHelp') : '';
      return;
    }
    const k = cell.j * r.cols + cell.i;
    const { x, y } = r.config;
    const name = (path) => this.label(this.choices.find((c) => c.path === path) ?? { name: path, index: null });
    const values = `${name(x.path)} = ${levelText(r.x_values[cell.i], 4)}, ${name(y.path)} = ${levelText(r.y_values[cell.j], 4)}`;
    let what;
    if (r.diverged_at[k] >= 0) what = t('phase.cellDiverged', { step: r.diverged_at[k] });
    else {
      const reached = r.steps_to_target[k] >= 0
        ? t('phase.cellReached', { step: r.steps_to_target[k], target: levelText(r.config.target_loss, 4) })
        : t('phase.cellNever', { target: levelText(r.config.target_loss, 4) });
      what = `${t('phase.cellLoss', { loss: formatLoss(r.final_loss[k]) })}, ${reached}`;
    }
    out.textContent = `${values}: ${what}`;
  }

  /** Puts the cell's two values into the selected run and re-runs it. */
  load(cell) {
    const r = this.result;
    const run = this.app.state.runs[this.app.state.sel];
    if (!r || r.partial || !run) return;
    const set = (path, v) => {
      const choice = this.choices.find((c) => c.path === path);
      if (!choice) return false;
      const value = Number(v.toPrecision(6));
      if (choice.group === 'schedule') {
        if (!run.sched) return false;
        run.sched.params[choice.name] = value;
      } else if (choice.index !== null) {
        const pair = run.params[choice.name] ?? this.choices.filter((c) => c.name === choice.name).map((c) => c.value);
        const next = [...pair];
        next[choice.index] = value;
        run.params[choice.name] = next;
      } else {
        run.params[choice.name] = value;
      }
      return true;
    };
    const ok = set(r.config.x.path, r.x_values[cell.i]) && set(r.config.y.path, r.y_values[cell.j]);
    if (!ok) {
      this.showError(t('phase.stale'));
      return;
    }
    this.cursor = cell;
    this.runsPanelRefresh();
    this.app.rerun();
    $('phase-status').textContent = t('phase.loaded');
  }

  runsPanelRefresh() {
    // The editor shows the new values once it is rebuilt.
    if (this.app.runsPanel) this.app.runsPanel.editorFor = null;
  }

  /** Relabels after a language change. */
  render() {
    this.choicesFor = null;
    this.runChanged();
    if (this.result) this.readout(this.cursor);
  }

  // ---- benchmark hook (cargo xtask bench) ---------------------------------------------

  /** Sweeps `config` in the worker; resolves with {wall, ms, diverged} (ms: inside the worker). */
  async measure(config) {
    const r = await this.sweep(config);
    return { wall: r.wall, ms: r.ms, cells: r.cols * r.rows, diverged: r.images.diverged.scale.diverged };
  }
}
