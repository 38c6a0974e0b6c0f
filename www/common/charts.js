// Line charts on every page: the lab's small charts under the surface (x = step; loss on a log
// y, η(t), |∇f|; one line per run in the run colours, a cursor element for the animation) and
// the classifier's per-epoch metrics (x = epoch or a category, series with their own colours).
// Tick values come from the core (`ticks`, `log_ticks`); long series are drawn with at most
// about two points per pixel column; values that are null, NaN or (on a log axis) ≤ 0 are gaps.

import { formatNumber, levelText } from './format.js';

/** Okabe–Ito: eight colours that stay apart for colour-blind eyes (one per run). */
export const RUN_COLORS = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#000000'];

/** Sizes a canvas to its box in device pixels; returns the device pixel ratio. */
export function fitToBox(canvas) {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(canvas.clientWidth * dpr));
  const h = Math.max(1, Math.round(canvas.clientHeight * dpr));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  return dpr;
}

let niceTicks = (lo, hi) => [lo, hi];
let decades = (lo, hi) => [lo, hi];

/** Hands the chart module the core's tick pickers (the epoch charts' defaults). */
export function useTicks(ticks, logTicks) {
  niceTicks = (lo, hi, n) => Array.from(ticks(lo, hi, n));
  decades = (lo, hi) => Array.from(logTicks(lo, hi));
}

/** The page's chart colours, from the CSS variables. */
export function chartColors() {
  const css = getComputedStyle(document.documentElement);
  const v = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text', '#1d2330'),
    muted: v('--muted', '#535c6d'),
    line: v('--line', '#d5dae2'),
    grid: v('--grid', 'rgba(83,92,109,0.16)'),
    a: v('--series-a', '#0072b2'),
    b: v('--series-b', '#d55e00'),
    panel: v('--panel', '#ffffff'),
    halo: v('--panel', '#ffffff'),
  };
}

const gap = (v, log) => v === null || !Number.isFinite(v) || (log && v <= 0);

/** The canvas, cleared, and its plot box (`pad` in CSS pixels); `size` draws off screen. */
function frame(canvas, pad, size = null) {
  let dpr;
  if (size) {
    dpr = size.dpr;
    canvas.width = Math.round(size.width * dpr);
    canvas.height = Math.round(size.height * dpr);
  } else {
    dpr = fitToBox(canvas);
  }
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  ctx.font = `${10.5 * dpr}px system-ui, sans-serif`;
  ctx.lineWidth = dpr;
  return { ctx, dpr, width, height, left: pad.left * dpr, right: width - pad.right * dpr, top: pad.top * dpr, bottom: height - pad.bottom * dpr };
}

/** The smallest and largest drawable value of the series, and the longest length. */
function extent(series, log) {
  let n = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const { values } of series) {
    n = Math.max(n, values.length);
    for (const v of values) {
      if (gap(v, log)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return { n, lo, hi };
}

/** Traces every `stride`-th value as one path (gaps lift the pen); the caller strokes it. */
function trace(ctx, values, stride, log, px, py) {
  ctx.beginPath();
  let pen = false;
  for (let i = 0; i < values.length; i += stride) {
    const v = values[i];
    if (gap(v, log)) {
      pen = false;
      continue;
    }
    const x = px(i);
    const y = py(v);
    if (pen) ctx.lineTo(x, y);
    else ctx.moveTo(x, y);
    pen = true;
  }
}

const STEP_PAD = { left: 46, right: 14, top: 6, bottom: 20 };

/**
 * The lab's chart: draws `series` (`[{values, index}]`, x = step) on `canvas`; `ticks(lo, hi)`
 * picks y ticks. `size` (`{width, height, dpr}`, CSS pixels) draws off screen at that size and
 * scale (the PNG export) instead of fitting the canvas to its box.
 */
export function drawStepChart(canvas, series, { log = false, maxStep = 1, ticks, logTicks, colors, size = null }) {
  const { ctx, dpr, left, right, top, bottom } = frame(canvas, STEP_PAD, size);
  let { lo, hi } = extent(series, log);
  ctx.fillStyle = colors.muted;
  ctx.strokeStyle = colors.line;
  ctx.strokeRect(left, top, right - left, bottom - top);
  if (!(lo <= hi)) return;
  if (hi === lo) {
    const d = log ? lo * 0.5 : Math.abs(lo) * 0.1 || 1;
    lo -= d;
    hi += d;
    if (log && lo <= 0) lo = hi / 10;
  }
  const f = log ? Math.log10 : (v) => v;
  const [flo, fhi] = [f(lo), f(hi)];
  const sx = (t) => left + (t / Math.max(1, maxStep)) * (right - left);
  const sy = (v) => bottom - ((f(v) - flo) / (fhi - flo)) * (bottom - top);
  // y ticks
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const yt = log ? logTicks(lo, hi) : ticks(lo, hi, 3);
  for (const v of yt) {
    const y = sy(v);
    if (y < top - 1 || y > bottom + 1) continue;
    ctx.fillText(levelText(v), left - 4 * dpr, y);
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(right, y);
    ctx.strokeStyle = colors.grid;
    ctx.stroke();
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of ticks(0, maxStep, 4)) ctx.fillText(String(t), sx(t), bottom + 4 * dpr);
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, right - left, bottom - top);
  ctx.clip();
  for (const { values, index } of series) {
    trace(ctx, values, Math.max(1, Math.floor(values.length / ((right - left) * 2))), log, sx, sy);
    ctx.strokeStyle = RUN_COLORS[index % RUN_COLORS.length];
    ctx.lineWidth = 1.6 * dpr;
    ctx.stroke();
  }
  ctx.restore();
}

/** Moves the cursor line of a step chart to step `t` of `maxStep`. */
export function moveCursor(canvas, t, maxStep) {
  const cursor = canvas.nextElementSibling;
  const w = canvas.clientWidth - STEP_PAD.left - STEP_PAD.right;
  const x = STEP_PAD.left + (Math.min(t, maxStep) / Math.max(1, maxStep)) * w;
  cursor.style.transform = `translateX(${x.toFixed(1)}px)`;
}

const EPOCH_PAD = { left: 44, right: 8, top: 8, bottom: 18 };

const label = (v, format) => (format ? format(v) : formatNumber(v));
/**
 * The classifier's chart: draws `series` (`[{values, color, dash?, width?}]`; values[i] belongs
 * to epoch (i + 1)·`xStride`, by default i + 1; null, NaN and, on a log axis, values ≤ 0 are
 * gaps) on `canvas`. `yMin`/`yMax` fix the range (e.g. 0 and 1 for accuracy); `format` labels
 * the y ticks; `empty` is shown with no data; `xLabels` names the points along x (one per
 * index) instead of epoch numbers.
 */
export function drawEpochChart(canvas, series, { log = false, yMin, yMax, format, empty = '', colors = chartColors(), xLabels = null, xStride = 1 } = {}) {
  const { ctx, dpr, width, height, left, right, top, bottom } = frame(canvas, EPOCH_PAD);
  let { n, lo, hi } = extent(series, log);
  if (yMin !== undefined) lo = yMin;
  if (yMax !== undefined) hi = yMax;
  if (n === 0 || !(lo <= hi)) {
    ctx.fillStyle = colors.muted;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(empty, width / 2, height / 2);
    return;
  }
  if (lo === hi) {
    const pad = log ? 2 : Math.abs(lo) * 0.1 || 1;
    lo = log ? lo / pad : lo - pad;
    hi = log ? hi * pad : hi + pad;
  }
  const ylo = log ? Math.log10(lo) : lo;
  const yhi = log ? Math.log10(hi) : hi;
  // Point i is epoch (i + 1)·xStride (a long run's series keeps one point every xStride epochs).
  const xMax = Math.max(2, n * xStride);
  const xAt = (epoch) => left + ((epoch - 1) / (xMax - 1)) * (right - left);
  const px = (i) => xAt((i + 1) * xStride);
  const py = (v) => bottom - (((log ? Math.log10(v) : v) - ylo) / (yhi - ylo)) * (bottom - top);

  // Grid and ticks.
  ctx.strokeStyle = colors.grid;
  ctx.fillStyle = colors.muted;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  let yt = log ? decades(lo, hi) : niceTicks(lo, hi, 4);
  if (log && yt.length < 3) {
    // Less than a few decades: 1, 2 and 5 times each power of ten in the range.
    yt = decades(lo / 10, hi * 10).flatMap((d) => [d, 2 * d, 5 * d]).filter((v) => v >= lo && v <= hi);
    if (yt.length < 2) yt = niceTicks(lo, hi, 3).filter((v) => v > 0);
  }
  for (const v of yt) {
    if (v < lo || v > hi) continue;
    const y = Math.round(py(v)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(right, y);
    ctx.stroke();
    ctx.fillText(label(v, format), left - 5 * dpr, y);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  if (xLabels) {
    // Categories (e.g. batch sizes) at the points instead of epoch numbers.
    xLabels.forEach((text, i) => ctx.fillText(text, px(i), bottom + 4 * dpr));
  } else {
    for (const e of niceTicks(1, xMax, 5)) {
      if (!Number.isInteger(e) || e < 1 || e > xMax) continue;
      ctx.fillText(String(e), xAt(e), bottom + 4 * dpr);
    }
  }
  ctx.strokeStyle = colors.line;
  ctx.beginPath();
  ctx.moveTo(left, top);
  ctx.lineTo(left, bottom);
  ctx.lineTo(right, bottom);
  ctx.stroke();

  // The series, thinned to about two points per pixel column.
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top - dpr, right - left, bottom - top + 2 * dpr);
  ctx.clip();
  const stride = Math.max(1, Math.floor(n / Math.max(1, (right - left) / dpr) / 2));
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = (s.width ?? 1.6) * dpr;
    ctx.setLineDash(s.dash ? s.dash.map((d) => d * dpr) : []);
    const values = s.values;
    trace(ctx, values, stride, log, px, py);
    if (values.length === 1 && Number.isFinite(values[0])) {
      ctx.arc(px(0), py(values[0]), 2 * dpr, 0, 2 * Math.PI);
    }
    ctx.stroke();
  }
  ctx.restore();
}
