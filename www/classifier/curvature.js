// The classifier's curvature panel. It asks the worker (curvature-jobs.js) for the Hessian
// spectrum at the current weights (histogram, counts, λmin, λmax, minimum ratio and a sentence
// in words), for the minimum ratio at weights recorded along training (a scatter against the
// loss), and for the network's own loss landscape, drawn with the surface lab's tools (draw.js,
// view3d.js) over a wasm `LandscapeView`. Only pixels and text here: every number comes from
// the core.

import { errorText } from '../common/errors.js';
import init, { LandscapeView, log_ticks as logTicks, ticks as niceTicks } from '../pkg/optiscape.js';
import { fullWasmUrl } from '../common/wasm-build.js';
import { drawContours, drawHeatmap, drawRuns, drawStart, levelText } from '../draw.js';
import { View3d } from '../view3d.js';
import { fitToBox } from '../common/charts.js';
import { formatCount, formatLoss, formatPercent } from '../common/format.js';
import { language, t } from '../common/i18n.js';

const $ = (id) => document.getElementById(id);
/** Grid points per side of the loss landscape (above 1000 parameters: the large one). */
const LAND_GRID = 41;
const LAND_GRID_LARGE = 31;
/** Heatmap pixels per side (the grid is interpolated bilinearly in Rust). */
const HEAT_SIDE = 360;
const CONTOUR_LEVELS = 14;

function cssColor(name, fallback) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** An eigenvalue or a small quantity, short. */
function formatValue(v) {
  if (v === null || v === undefined) return '—';
  return levelText(v);
}

/** A horizontal grid line at `y` across the plot box and its label left of the box. */
function gridLine(ctx, pad, width, y, label, dpr) {
  const yy = Math.round(y) + 0.5;
  ctx.beginPath();
  ctx.moveTo(pad.left, yy);
  ctx.lineTo(width - pad.right, yy);
  ctx.stroke();
  ctx.fillText(label, pad.left - 5 * dpr, yy);
}

/** The pen for a chart's y axis: small muted labels right-aligned, grid-coloured lines. */
function axisStyle(ctx, dpr, colors) {
  ctx.font = `${10.5 * dpr}px system-ui, sans-serif`;
  ctx.lineWidth = dpr;
  ctx.strokeStyle = colors.grid;
  ctx.fillStyle = colors.muted;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
}

export class Curvature {
  constructor(app) {
    this.app = app;
    this.running = null; // 'spectrum' | 'ratio' | 'landscape'
    this.progress = null;
    this.error = null;
    this.spectrum = null; // the worker's result, parsed
    this.samples = [];
    this.ratioDone = false;
    this.plane = null;
    this.land = null; // the wasm LandscapeView
    this.memory = null;
    this.cam = [0.7, 0.45];
    this.view3d = new View3d(
      {
        state: { cam: this.cam, sel: 0 },
        get lab() { return this.owner.land; },
        owner: this,
        runs: [{ divergence: null }],
        isDark: () => app.dark(),
        saveState: () => {},
      },
      $('curv-land3d'),
      $('curv-land3d-runs'),
    );
    this.bind();
    this.enable();
  }

  bind() {
    $('curv-spectrum-run').addEventListener('click', () => this.start('spectrum'));
    $('curv-ratio-run').addEventListener('click', () => {
      const input = $('curv-ratio-count');
      const count = Math.round(Number(input.value));
      if (!(count >= 2 && count <= 40)) {
        input.setAttribute('aria-invalid', 'true');
        this.showError(t('curv.badCount'));
        return;
      }
      input.removeAttribute('aria-invalid');
      this.start('ratio', { count });
    });
    $('curv-land-run').addEventListener('click', () => {
      // A coarser grid for the digits-sized nets: each loss there is ~20× dearer.
      const grid = (this.app.info?.n_params ?? 0) > 1000 ? LAND_GRID_LARGE : LAND_GRID;
      this.start('landscape', { method: $('curv-land-method').value, grid });
    });
    $('curv-cancel').addEventListener('click', () => this.app.post({ type: 'curv-cancel' }));
    $('curv-land-view').addEventListener('change', () => this.showLandView());
    $('curv-land-colors').addEventListener('change', () => {
      this.land?.set_color_scale($('curv-land-colors').value);
      this.app.dirty.add('curvature');
    });
  }

  /** The buttons, by what runs (ours or the page's other experiments). */
  enable() {
    const other = this.app.job !== null && this.app.job !== 'curvature';
    const ready = this.app.info !== null;
    for (const id of ['curv-spectrum-run', 'curv-ratio-run', 'curv-land-run']) $(id).disabled = other || this.running !== null || !ready;
    $('curv-cancel').hidden = this.running === null;
  }

  start(kind, extra = {}) {
    if (this.running) return;
    this.running = kind;
    this.error = null;
    this.progress = { done: 0, planned: 1 };
    if (kind === 'spectrum') this.spectrum = null;
    if (kind === 'ratio') {
      this.samples = [];
      this.ratioDone = false;
    }
    $('curv-error').hidden = true;
    this.app.setJob('curvature');
    this.app.post({ type: `curv-${kind}`, ...extra });
    this.changed();
  }

  finish() {
    this.running = null;
    this.progress = null;
    this.app.setJob(null);
    this.changed();
  }

  changed() {
    this.enable();
    this.app.dirty.add('curvature');
  }

  /** The job failed: its message in the panel, the controls back. */
  failed(message) {
    this.showError(message);
    this.finish();
  }

  showError(message) {
    $('curv-error').textContent = t('curv.error', { message });
    $('curv-error').hidden = false;
  }

  /** A new run was built: results of the old one are gone. */
  onReady() {
    if (this.running) this.finish();
    this.spectrum = null;
    this.samples = [];
    this.ratioDone = false;
    this.plane = null;
    this.land?.free();
    this.land = null;
    $('curv-section').dataset.spectrum = '';
    $('curv-section').dataset.landscape = '';
    this.changed();
  }

  onWorker(msg) {
    switch (msg.type) {
      case 'curv-progress':
        this.progress = { done: msg.done, planned: msg.planned, method: msg.method };
        break;
      case 'curv-spectrum':
        // `data-spectrum="done"` is set when the result is on screen (drawSpectrum).
        this.spectrum = JSON.parse(msg.result);
        this.finish();
        break;
      case 'curv-ratio':
        this.samples = JSON.parse(msg.samples);
        if (msg.done) {
          this.ratioDone = true;
          this.finish();
        }
        break;
      case 'curv-landscape':
        this.showLandscape(msg.plane, msg.points).catch((e) => this.showError(errorText(e, t)));
        this.finish();
        break;
      case 'curv-error':
        this.failed(msg.error ? errorText(msg.error, t) : t(msg.key));
        break;
      case 'curv-cancelled':
        if (this.running) this.finish();
        break;
      default:
        break;
    }
    this.app.dirty.add('curvature');
  }

  async showLandscape(planeJson, points) {
    this.memory ??= (await init({ module_or_path: fullWasmUrl(new URL('../pkg/', import.meta.url)) })).memory;
    this.land?.free();
    this.land = new LandscapeView(planeJson);
    this.land.set_color_scale($('curv-land-colors').value);
    this.plane = JSON.parse(planeJson);
    this.plane.recorded = points;
    $('curv-section').dataset.landscape = 'done';
    this.app.dirty.add('curvature');
  }

  showLandView() {
    const three = $('curv-land-view').value === '3d';
    $('curv-land-2d').hidden = three;
    $('curv-land-3d').hidden = !three;
    this.app.dirty.add('curvature');
  }

  // ---- drawing ----------------------------------------------------------------------------

  draw(colors) {
    this.enable();
    this.drawProgress();
    this.drawSpectrum(colors);
    this.drawScatter(colors);
    this.drawLandscape(colors);
  }

  drawProgress() {
    const p = this.progress;
    $('curv-progress-row').hidden = !p;
    if (!p) return;
    $('curv-progress').value = p.planned > 0 ? p.done / p.planned : 0;
    const lang = language();
    let text;
    if (this.running === 'spectrum') {
      text = t(p.method === 'lanczos' ? 'curv.progressLanczos' : 'curv.progressExact', { done: formatCount(p.done, lang), n: formatCount(p.planned, lang) });
    } else if (this.running === 'ratio') {
      text = t('curv.progressRatio', { pct: formatPercent(p.done / Math.max(p.planned, 1e-300)) });
    } else {
      text = t('curv.progressLandscape', { done: formatCount(p.done, lang), n: formatCount(p.planned, lang) });
    }
    $('curv-progress-text').textContent = text;
  }

  drawSpectrum(colors) {
    const s = this.spectrum;
    const canvas = $('curv-histogram');
    const dpr = fitToBox(canvas);
    const ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const lang = language();
    $('curv-stats').hidden = !s;
    if (!s) {
      $('curv-hist-legend').hidden = false;
      $('curv-verdict').textContent = '';
      $('curv-section').dataset.spectrum = '';
      $('curv-hist-caption').textContent = t('curv.histCaption');
      this.message(ctx, canvas, dpr, colors, t(this.running === 'spectrum' ? 'curv.computing' : 'curv.histEmpty'));
      return;
    }
    const sp = s.spectrum;
    const n = sp.n_params;
    const count = (k) => (s.counts ? `${formatCount(s.counts[k], lang)} (${formatPercent(s.fractions[k])})` : '—');
    $('curv-negative').textContent = count('negative');
    $('curv-zero').textContent = count('zero');
    $('curv-positive').textContent = count('positive');
    $('curv-lmin').textContent = formatValue(s.lambda_min);
    $('curv-lmax').textContent = formatValue(s.lambda_max);
    $('curv-ratio').textContent = sp.minimum_ratio === null ? t('curv.needsFull') : formatPercent(sp.minimum_ratio);
    $('curv-grad').textContent = formatValue(sp.gradient_norm);
    $('curv-loss').textContent = formatLoss(sp.loss);
    $('curv-hist-caption').textContent = s.chart
      ? t(s.chart.scale === 'symlog' ? 'curv.histCaptionSymlog' : 'curv.histCaption')
      : t('curv.extremesCaption', { k: formatCount(sp.hessian_vector_products, lang) });
    $('curv-verdict').textContent = this.verdict(s);
    $('curv-section').dataset.spectrum = 'done';
    $('curv-hist-legend').hidden = !s.chart;
    if (s.chart) this.histogram(ctx, canvas, dpr, colors, s.chart, n);
    else this.extremes(ctx, canvas, dpr, colors, sp);
  }

  /**
   * The sentence that says what the spectrum means. The core decides whether the weights are
   * a critical point (‖∇L‖ within its tolerance) and which sentence applies; a kind of point
   * (saddle, local minimum, local maximum) is named only there.
   */
  verdict(s) {
    const sp = s.spectrum;
    const lang = language();
    const vars = {
      n: formatCount(sp.n_params, lang),
      grad: formatValue(sp.gradient_norm),
      tol: formatValue(s.gradient_tolerance),
      min: formatValue(s.lambda_min),
      k: formatCount(sp.hessian_vector_products, lang),
    };
    if (s.fractions && s.counts) {
      Object.assign(vars, {
        up: formatPercent(s.fractions.positive),
        down: formatPercent(s.fractions.negative),
        flat: formatPercent(s.fractions.zero),
        nUp: formatCount(s.counts.positive, lang),
        nDown: formatCount(s.counts.negative, lang),
        nFlat: formatCount(s.counts.zero, lang),
      });
    }
    const where = t(s.critical ? 'curv.critical' : 'curv.notCritical', vars);
    return [where, t(`curv.verdict.${s.verdict}`, vars)].join(lang.startsWith('zh') ? '' : ' ');
  }

  message(ctx, canvas, dpr, colors, text) {
    ctx.fillStyle = colors.muted;
    ctx.font = `${12 * dpr}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(text, canvas.width / 2, canvas.height / 2, canvas.width - 16 * dpr);
  }

  /** Stacked bars per bin: negative, near zero, positive; the axis from the core's chart. */
  histogram(ctx, canvas, dpr, colors, chart, n) {
    const pad = { left: 40 * dpr, right: 10 * dpr, top: 8 * dpr, bottom: 34 * dpr };
    const { width, height } = canvas;
    const [t0, t1] = chart.range;
    const px = (v) => pad.left + ((v - t0) / (t1 - t0)) * (width - pad.left - pad.right);
    const bottom = height - pad.bottom;
    const top = pad.top;
    const max = Math.max(1, chart.max_count);
    const py = (c) => bottom - (c / max) * (bottom - top);
    axisStyle(ctx, dpr, colors);
    for (const c of niceTicks(0, max, 4)) {
      if (!Number.isInteger(c) || c > max) continue;
      gridLine(ctx, pad, width, py(c), String(c), dpr);
    }
    const fill = { negative: cssColor('--curv-neg', '#d55e00'), zero: cssColor('--curv-zero', '#8a93a5'), positive: cssColor('--curv-pos', '#0072b2') };
    for (const b of chart.bins) {
      const x0 = px(b.t[0]) + 0.5 * dpr;
      const w = Math.max(dpr, px(b.t[1]) - px(b.t[0]) - dpr);
      let c = 0;
      for (const key of ['negative', 'zero', 'positive']) {
        if (b[key] === 0) continue;
        const y0 = py(c);
        const y1 = py(c + b[key]);
        ctx.fillStyle = fill[key];
        // At least a pixel, so a bin holding one eigenvalue of hundreds shows.
        ctx.fillRect(x0, Math.min(y1, y0 - dpr), w, Math.max(dpr, y0 - y1));
        c += b[key];
      }
    }
    ctx.strokeStyle = colors.line;
    ctx.beginPath();
    ctx.moveTo(pad.left, top);
    ctx.lineTo(pad.left, bottom);
    ctx.lineTo(width - pad.right, bottom);
    ctx.stroke();
    ctx.fillStyle = colors.muted;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    let lastRight = -Infinity;
    for (const tick of chart.ticks) {
      const x = px(tick.t);
      const text = levelText(tick.value).replace('.0e', 'e');
      const w = ctx.measureText(text).width;
      if (x - w / 2 < lastRight + 6 * dpr) continue;
      lastRight = x + w / 2;
      ctx.beginPath();
      ctx.moveTo(x, bottom);
      ctx.lineTo(x, bottom + 3 * dpr);
      ctx.strokeStyle = colors.line;
      ctx.stroke();
      ctx.fillText(text, x, bottom + 4 * dpr);
    }
    ctx.fillText(t(chart.scale === 'symlog' ? 'curv.axisSymlog' : 'curv.axis', { n: formatCount(n, language()) }), (pad.left + width - pad.right) / 2, bottom + 18 * dpr);
  }

  /** Lanczos: the extreme eigenvalues as labelled lines on a symmetric scale. */
  extremes(ctx, canvas, dpr, colors, sp) {
    const { width, height } = canvas;
    const lines = [
      [t('curv.smallest'), sp.smallest],
      [t('curv.largest'), sp.largest],
    ];
    ctx.font = `${12 * dpr}px system-ui, sans-serif`;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    let y = 14 * dpr;
    const neg = cssColor('--curv-neg', '#d55e00');
    const pos = cssColor('--curv-pos', '#0072b2');
    for (const [title, values] of lines) {
      ctx.fillStyle = colors.text;
      ctx.fillText(title, 12 * dpr, y, width - 24 * dpr);
      y += 18 * dpr;
      let x = 12 * dpr;
      for (const v of values) {
        const text = formatValue(v);
        const w = ctx.measureText(text).width + 14 * dpr;
        if (x + w > width - 8 * dpr) {
          x = 12 * dpr;
          y += 18 * dpr;
        }
        ctx.fillStyle = v < 0 ? neg : pos;
        ctx.fillText(text, x, y);
        x += w;
      }
      y += 26 * dpr;
    }
    if (y < height - 20 * dpr) {
      ctx.fillStyle = colors.muted;
      ctx.fillText(t('curv.lanczosNote', { n: formatCount(sp.n_params, language()) }), 12 * dpr, y, width - 24 * dpr);
    }
  }

  /** Loss (log y) against the minimum ratio (x in [0, 1]); the latest point ringed. */
  drawScatter(colors) {
    const canvas = $('curv-scatter');
    const dpr = fitToBox(canvas);
    const ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const pts = this.samples.filter((p) => Number.isFinite(p.loss) && p.loss > 0);
    const lang = language();
    const status = $('curv-ratio-status');
    if (this.running === 'ratio') status.textContent = t('curv.ratioRunning', { k: formatCount(this.samples.length, lang) });
    else if (this.ratioDone && this.samples.length) {
      const below = this.samples.filter((p) => p.minimum_ratio < 1).length;
      status.textContent = t('curv.ratioDone', { k: formatCount(this.samples.length, lang), below: formatCount(below, lang) });
    } else status.textContent = '';
    if (pts.length === 0) {
      this.message(ctx, canvas, dpr, colors, t(this.running === 'ratio' ? 'curv.computing' : 'curv.scatterEmpty'));
      return;
    }
    const pad = { left: 48 * dpr, right: 22 * dpr, top: 10 * dpr, bottom: 34 * dpr };
    const { width, height } = canvas;
    let lo = Math.min(...pts.map((p) => p.loss));
    let hi = Math.max(...pts.map((p) => p.loss));
    if (!(hi > lo)) {
      lo /= 2;
      hi *= 2;
    }
    const [l0, l1] = [Math.log10(lo), Math.log10(hi)];
    const padY = 0.06 * (l1 - l0);
    const [y0, y1] = [l0 - padY, l1 + padY];
    const px = (r) => pad.left + r * (width - pad.left - pad.right);
    const py = (v) => height - pad.bottom - ((Math.log10(v) - y0) / (y1 - y0)) * (height - pad.top - pad.bottom);
    axisStyle(ctx, dpr, colors);
    let yt = Array.from(logTicks(10 ** y0, 10 ** y1));
    if (yt.length < 3) yt = Array.from(logTicks(10 ** y0 / 10, 10 ** y1 * 10)).flatMap((d) => [d, 2 * d, 5 * d]).filter((v) => v >= 10 ** y0 && v <= 10 ** y1);
    for (const v of yt) {
      gridLine(ctx, pad, width, py(v), levelText(v), dpr);
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const r of niceTicks(0, 1, 5)) {
      const x = Math.round(px(r)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, pad.top);
      ctx.lineTo(x, height - pad.bottom);
      ctx.stroke();
      ctx.fillText(formatPercent(r).replace('.0%', '%'), x, height - pad.bottom + 4 * dpr);
    }
    ctx.fillText(t('curv.scatterX'), (pad.left + width - pad.right) / 2, height - pad.bottom + 18 * dpr);
    // The minima's line: ratio 1.
    ctx.save();
    ctx.setLineDash([4 * dpr, 4 * dpr]);
    ctx.strokeStyle = colors.muted;
    ctx.beginPath();
    ctx.moveTo(px(1), pad.top);
    ctx.lineTo(px(1), height - pad.bottom);
    ctx.stroke();
    ctx.restore();
    ctx.textAlign = 'right';
    ctx.fillStyle = colors.muted;
    ctx.fillText(t('curv.minimumLine'), px(1) - 4 * dpr, pad.top + 2 * dpr);
    const color = cssColor('--curv-pos', '#0072b2');
    pts.forEach((p, i) => {
      ctx.beginPath();
      ctx.arc(px(p.minimum_ratio), py(p.loss), (i === pts.length - 1 ? 5 : 3.5) * dpr, 0, 2 * Math.PI);
      ctx.fillStyle = color;
      ctx.globalAlpha = 0.35 + (0.65 * (i + 1)) / pts.length;
      ctx.fill();
      ctx.globalAlpha = 1;
      if (i === pts.length - 1) {
        ctx.lineWidth = 2 * dpr;
        ctx.strokeStyle = colors.text;
        ctx.stroke();
      }
    });
    $('curv-scatter').dataset.points = String(pts.length);
  }

  drawLandscape(colors) {
    const info = $('curv-land-info');
    const canvas = $('curv-land');
    if (!this.land) {
      info.textContent = this.running === 'landscape' ? t('curv.computing') : '';
      const dpr = fitToBox(canvas);
      const ctx = canvas.getContext('2d');
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      this.message(ctx, canvas, dpr, colors, t(this.running === 'landscape' ? 'curv.computing' : 'curv.landEmpty'));
      return;
    }
    const p = this.plane;
    const lang = language();
    const axis = (k) => (p.method === 'pca'
      ? t('curv.axisPca', { k: k + 1, pct: formatPercent(p.explained_variance?.[k] ?? null) })
      : t('curv.axisRandom', { k: k + 1 }));
    this.axes = [axis(0), axis(1)];
    info.textContent = t('curv.landInfo', {
      points: formatCount(p.path.length, lang),
      n: formatCount(p.n_params, lang),
      rows: formatCount(p.rows, lang),
      loss: formatLoss(p.center_loss),
      grid: `${p.nx} × ${p.ny}`,
      x: this.axes[0],
      y: this.axes[1],
    });
    if ($('curv-land-view').value === '3d') this.view3d.render();
    else this.draw2d(colors);
  }

  /** The surface lab's 2-D view of the plane: heatmap, labelled contours, the path, axes. */
  draw2d(colors) {
    const canvas = $('curv-land');
    const dpr = fitToBox(canvas);
    const ctx = canvas.getContext('2d');
    const { width, height } = canvas;
    ctx.clearRect(0, 0, width, height);
    const pad = { left: 44 * dpr, right: 8 * dpr, top: 8 * dpr, bottom: 40 * dpr };
    const box = { x: pad.left, y: pad.top, w: width - pad.left - pad.right, h: height - pad.top - pad.bottom };
    const [x0, x1, y0, y1] = Array.from(this.land.view());
    const viewport = {
      toCanvas: (x, y) => [box.x + ((x - x0) / (x1 - x0)) * box.w, box.y + ((y1 - y) / (y1 - y0)) * box.h],
    };
    this.heat ??= document.createElement('canvas');
    drawHeatmap(this.heat, this.land, this.memory, HEAT_SIDE);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.heat, box.x, box.y, box.w, box.h);
    ctx.save();
    ctx.beginPath();
    ctx.rect(box.x, box.y, box.w, box.h);
    ctx.clip();
    const segments = this.land.contours(CONTOUR_LEVELS);
    drawContours(ctx, segments, viewport, dpr, { levels: Array.from(this.land.contour_levels()) });
    const xs = this.land.path_x();
    const ys = this.land.path_y();
    const points = [];
    for (let i = 0; i < xs.length; i += 1) points.push(...viewport.toCanvas(xs[i], ys[i]));
    drawRuns(ctx, [{ divergence: null }], xs.length - 1, () => points, dpr, 0);
    if (points.length >= 2) drawStart(ctx, points[0], points[1], dpr);
    ctx.restore();
    // Axes: ticks from the core, names of the directions.
    ctx.strokeStyle = colors.line;
    ctx.lineWidth = dpr;
    ctx.strokeRect(box.x, box.y, box.w, box.h);
    ctx.fillStyle = colors.muted;
    ctx.font = `${10.5 * dpr}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const v of niceTicks(x0, x1, 5)) {
      const [x] = viewport.toCanvas(v, y0);
      ctx.fillText(levelText(v), x, box.y + box.h + 3 * dpr);
    }
    ctx.fillStyle = colors.text;
    ctx.fillText(this.axes[0], box.x + box.w / 2, box.y + box.h + 18 * dpr, box.w);
    ctx.fillStyle = colors.muted;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const v of niceTicks(y0, y1, 5)) {
      const [, y] = viewport.toCanvas(x0, v);
      ctx.fillText(levelText(v), box.x - 4 * dpr, y);
    }
    ctx.save();
    ctx.translate(11 * dpr, box.y + box.h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillStyle = colors.text;
    ctx.fillText(this.axes[1], 0, 0, box.h);
    ctx.restore();
    canvas.setAttribute('aria-label', t('curv.landLabelDone', { x: this.axes[0], y: this.axes[1], loss: formatLoss(this.plane.center_loss) }));
  }
}
