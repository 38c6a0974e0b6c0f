// Line charts of per-epoch metrics: one canvas, a few series, x = epoch, y linear or log.
// Tick values come from the core (`ticks`, `log_ticks`); long series are drawn with at most
// about two points per pixel column.

let niceTicks = (lo, hi) => [lo, hi];
let decades = (lo, hi) => [lo, hi];

/** Hands the chart module the core's tick pickers. */
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

/** Sizes a canvas to its box in device pixels; returns the device pixel ratio. */
export function fitToBox(canvas) {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(canvas.clientWidth * dpr));
  const h = Math.max(1, Math.round(canvas.clientHeight * dpr));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  return dpr;
}

const PAD = { left: 44, right: 8, top: 8, bottom: 18 };

function label(v, log, format) {
  if (format) return format(v);
  if (log) return v >= 1e-2 && v < 1e3 ? String(v) : v.toExponential(0).replace('e', 'e');
  return String(Number(v.toPrecision(4)));
}

/**
 * Draws `series` (`[{values, color, dash?, width?}]`; values[i] belongs to epoch i + 1; null,
 * NaN and, on a log axis, values ≤ 0 are gaps) on `canvas`. `yMin`/`yMax` fix the range
 * (e.g. 0 and 1 for accuracy); `format` labels the y ticks; `empty` is shown with no data;
 * `xLabels` names the points along x (one per index) instead of epoch numbers.
 */
export function drawChart(canvas, series, { log = false, yMin, yMax, format, empty = '', colors = chartColors(), xLabels = null } = {}) {
  const dpr = fitToBox(canvas);
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  const left = PAD.left * dpr;
  const right = width - PAD.right * dpr;
  const top = PAD.top * dpr;
  const bottom = height - PAD.bottom * dpr;
  let n = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const { values } of series) {
    n = Math.max(n, values.length);
    for (const v of values) {
      if (v === null || !Number.isFinite(v) || (log && v <= 0)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  ctx.font = `${10.5 * dpr}px system-ui, sans-serif`;
  ctx.lineWidth = dpr;
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
  const xMax = Math.max(2, n);
  const px = (i) => left + ((i + 1 - 1) / (xMax - 1)) * (right - left);
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
    ctx.fillText(label(v, log, format), left - 5 * dpr, y);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  if (xLabels) {
    // Categories (e.g. batch sizes) at the points instead of epoch numbers.
    xLabels.forEach((text, i) => ctx.fillText(text, px(i), bottom + 4 * dpr));
  } else {
    for (const e of niceTicks(1, xMax, 5)) {
      if (!Number.isInteger(e) || e < 1 || e > xMax) continue;
      const x = px(e - 1);
      ctx.fillText(String(e), x, bottom + 4 * dpr);
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
    ctx.beginPath();
    let pen = false;
    const values = s.values;
    for (let i = 0; i < values.length; i += stride) {
      const v = values[i];
      if (v === null || !Number.isFinite(v) || (log && v <= 0)) {
        pen = false;
        continue;
      }
      const x = px(i);
      const y = py(v);
      if (pen) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      pen = true;
    }
    if (values.length === 1 && Number.isFinite(values[0])) {
      ctx.arc(px(0), py(values[0]), 2 * dpr, 0, 2 * Math.PI);
    }
    ctx.stroke();
  }
  ctx.restore();
}
