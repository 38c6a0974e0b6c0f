// The small charts under the surface: loss (log y), η(t) and |∇f| against the step, one line
// per run. Curves are drawn once per change; the animation only moves a cursor element.

import { fitToBox, levelText, RUN_COLORS } from './draw.js';

const PAD = { left: 46, right: 14, top: 6, bottom: 20 };

/**
 * Draws `series` (`[{values, index}]`, x = step) on `canvas`; `ticks(lo, hi)` picks y ticks.
 * `size` (`{width, height, dpr}`, CSS pixels) draws off screen at that size and scale (the PNG
 * export) instead of fitting the canvas to its box.
 */
export function drawChart(canvas, series, { log = false, maxStep = 1, ticks, logTicks, colors, size = null }) {
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
  const left = PAD.left * dpr;
  const right = width - PAD.right * dpr;
  const top = PAD.top * dpr;
  const bottom = height - PAD.bottom * dpr;
  let lo = Infinity;
  let hi = -Infinity;
  for (const { values } of series) {
    for (const v of values) {
      if (!Number.isFinite(v) || (log && v <= 0)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  ctx.font = `${10.5 * dpr}px system-ui, sans-serif`;
  ctx.fillStyle = colors.muted;
  ctx.strokeStyle = colors.line;
  ctx.lineWidth = dpr;
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
    ctx.beginPath();
    let pen = false;
    // At most ~2 points per pixel column.
    const stride = Math.max(1, Math.floor(values.length / ((right - left) * 2)));
    for (let k = 0; k < values.length; k += stride) {
      const v = values[k];
      if (!Number.isFinite(v) || (log && v <= 0)) {
        pen = false;
        continue;
      }
      const x = sx(k);
      const y = sy(v);
      if (pen) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      pen = true;
    }
    ctx.strokeStyle = RUN_COLORS[index % RUN_COLORS.length];
    ctx.lineWidth = 1.6 * dpr;
    ctx.stroke();
  }
  ctx.restore();
}

/** Moves the cursor line of a chart to step `t` of `maxStep`. */
export function moveCursor(canvas, t, maxStep) {
  const cursor = canvas.nextElementSibling;
  const w = canvas.clientWidth - PAD.left - PAD.right;
  const x = PAD.left + (Math.min(t, maxStep) / Math.max(1, maxStep)) * w;
  cursor.style.transform = `translateX(${x.toFixed(1)}px)`;
}
