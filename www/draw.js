// Drawing what the core computed on the 2-D view: the heatmap (one putImageData of Rust's RGBA
// buffer, cached in its own canvas), labelled contour lines, critical-point markers, the
// Taylor model of an inspected point, and the runs' paths. Only pixels here, no math.

import { fitToBox, RUN_COLORS } from './common/charts.js';
import { levelText } from './common/format.js';

export { fitToBox, levelText, RUN_COLORS };

/** One marker shape and colour per kind of critical point. */
export const KINDS = {
  minimum: { shape: 'circle', color: '#56B4E9' },
  maximum: { shape: 'triangle', color: '#D55E00' },
  saddle: { shape: 'diamond', color: '#F0E442' },
  degenerate: { shape: 'square', color: '#FFFFFF' },
};

/**
 * Fills `canvas` with the lab's heatmap at `side` × `side`. The bytes are read through a view
 * of wasm memory made *after* `render_heatmap`, which may grow (and so detach) the memory.
 */
export function drawHeatmap(canvas, lab, memory, side) {
  const length = lab.render_heatmap(side, side);
  const rgba = new Uint8ClampedArray(memory.buffer, lab.heatmap_ptr(), length);
  if (canvas.width !== side) canvas.width = side;
  if (canvas.height !== side) canvas.height = side;
  canvas.getContext('2d').putImageData(new ImageData(rgba, side, side), 0, 0);
}

/**
 * Strokes contour segments (`[level, x0, y0, x1, y1, ...]`) and, when `levels` is given,
 * labels about every other level where there is room.
 */
export function drawContours(ctx, segments, viewport, dpr, { levels = null, color = 'rgba(255,255,255,0.45)', dash = null, width = 1, avoid = [] } = {}) {
  ctx.save();
  ctx.beginPath();
  // `viewport.toCanvas` written out (the same arithmetic): the first picture draws some 10,000
  // segments before the page's code is optimized, where a call and an array per point made
  // this loop ten times slower than it is once warm.
  const { x0, x1, y0, y1, width: w, height: h } = viewport;
  const [dx, dy] = [x1 - x0, y1 - y0];
  for (let i = 0; i + 4 < segments.length; i += 5) {
    ctx.moveTo(((segments[i + 1] - x0) / dx) * w, ((y1 - segments[i + 2]) / dy) * h);
    ctx.lineTo(((segments[i + 3] - x0) / dx) * w, ((y1 - segments[i + 4]) / dy) * h);
  }
  ctx.lineWidth = width * dpr;
  ctx.strokeStyle = color;
  if (dash) ctx.setLineDash(dash.map((d) => d * dpr));
  ctx.stroke();
  ctx.restore();
  if (levels) labelContours(ctx, segments, levels, viewport, dpr, avoid);
}

/** Labels contour levels where there is room (away from each other and from `avoid`). */
function labelContours(ctx, segments, levels, viewport, dpr, avoid) {
  const placed = avoid.map(([x, y]) => viewport.toCanvas(x, y));
  const minGap = 70 * dpr;
  const margin = 24 * dpr;
  ctx.save();
  ctx.font = `${11 * dpr}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.lineJoin = 'round';
  const byLevel = new Map();
  for (let i = 0; i + 4 < segments.length; i += 5) {
    const level = segments[i];
    if (!byLevel.has(level)) byLevel.set(level, []);
    byLevel.get(level).push(i);
  }
  for (const [level, idx] of byLevel) {
    if (level % 2 === 1 || idx.length < 6) continue;
    // Try a few places along the line, from its middle outwards.
    for (const f of [0.5, 0.25, 0.75, 0.1, 0.9]) {
      const i = idx[Math.floor(f * (idx.length - 1))];
      const [ax, ay] = viewport.toCanvas(segments[i + 1], segments[i + 2]);
      const [bx, by] = viewport.toCanvas(segments[i + 3], segments[i + 4]);
      const x = (ax + bx) / 2;
      const y = (ay + by) / 2;
      if (x < margin || y < margin || x > ctx.canvas.width - margin || y > ctx.canvas.height - margin) continue;
      if (placed.some(([px, py]) => Math.hypot(px - x, py - y) < minGap)) continue;
      placed.push([x, y]);
      const text = levelText(levels[level]);
      ctx.lineWidth = 3 * dpr;
      ctx.strokeStyle = 'rgba(20, 16, 40, 0.75)';
      ctx.strokeText(text, x, y);
      ctx.fillStyle = '#ffffff';
      ctx.fillText(text, x, y);
      break;
    }
  }
  ctx.restore();
}

/** The path of a marker shape of radius `r` around (x, y). */
export function markerPath(ctx, shape, x, y, r) {
  ctx.beginPath();
  if (shape === 'circle') ctx.arc(x, y, r, 0, 2 * Math.PI);
  else if (shape === 'triangle') {
    ctx.moveTo(x, y - r * 1.15);
    ctx.lineTo(x + r * 1.05, y + r * 0.75);
    ctx.lineTo(x - r * 1.05, y + r * 0.75);
    ctx.closePath();
  } else if (shape === 'diamond') {
    ctx.moveTo(x, y - r * 1.25);
    ctx.lineTo(x + r * 1.05, y);
    ctx.lineTo(x, y + r * 1.25);
    ctx.lineTo(x - r * 1.05, y);
    ctx.closePath();
  } else ctx.rect(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8);
}

/** Draws the critical points (`[{x, y, kind}]`), each with its kind's marker. */
export function drawCritical(ctx, points, viewport, dpr) {
  for (const p of points) {
    const kind = KINDS[p.kind] ?? KINDS.degenerate;
    const [x, y] = viewport.toCanvas(p.x, p.y);
    markerPath(ctx, kind.shape, x, y, 6 * dpr);
    ctx.fillStyle = kind.color;
    ctx.fill();
    ctx.lineWidth = 2 * dpr;
    ctx.strokeStyle = '#15111f';
    ctx.stroke();
  }
}

/** The inspected point: its Taylor model's contours (dashed) and its eigenvector axes. */
export function drawInspection(ctx, inspection, taylor, viewport, dpr) {
  drawContours(ctx, taylor, viewport, dpr, { color: 'rgba(255, 255, 255, 0.95)', dash: [5, 4], width: 1.4 });
  const [cx, cy] = viewport.toCanvas(inspection.x, inspection.y);
  const len = Math.min(ctx.canvas.width, ctx.canvas.height) * 0.18;
  ctx.save();
  ctx.lineCap = 'round';
  inspection.eigenvectors.forEach((v, k) => {
    const lambda = inspection.eigenvalues[k];
    // Screen y grows downwards.
    const dx = v[0] * len;
    const dy = -v[1] * len;
    for (const [w, c] of [[5, 'rgba(20,16,40,0.8)'], [2.5, lambda < 0 ? '#F0E442' : '#56B4E9']]) {
      ctx.beginPath();
      ctx.moveTo(cx - dx, cy - dy);
      ctx.lineTo(cx + dx, cy + dy);
      ctx.lineWidth = w * dpr;
      ctx.strokeStyle = c;
      ctx.stroke();
    }
    ctx.font = `600 ${12 * dpr}px system-ui, sans-serif`;
    ctx.lineWidth = 3 * dpr;
    ctx.strokeStyle = 'rgba(20,16,40,0.85)';
    ctx.fillStyle = '#fff';
    const label = `λ${k === 0 ? '₁' : '₂'}`;
    ctx.strokeText(label, cx + dx * 1.08 + 4 * dpr, cy + dy * 1.08);
    ctx.fillText(label, cx + dx * 1.08 + 4 * dpr, cy + dy * 1.08);
  });
  ctx.beginPath();
  ctx.arc(cx, cy, 5 * dpr, 0, 2 * Math.PI);
  ctx.fillStyle = '#fff';
  ctx.fill();
  ctx.lineWidth = 2 * dpr;
  ctx.strokeStyle = '#15111f';
  ctx.stroke();
  ctx.restore();
}

/** Dark colours get a light halo, light ones a dark halo. */
export function haloFor(hex) {
  const n = parseInt(hex.slice(1), 16);
  const lum = 0.2126 * ((n >> 16) & 255) + 0.7152 * ((n >> 8) & 255) + 0.0722 * (n & 255);
  return lum < 90 ? 'rgba(255, 255, 255, 0.85)' : 'rgba(16, 12, 28, 0.6)';
}

/**
 * Draws every run's path up to step `upto` (each stops at its last finite point, marked with a
 * cross when it diverged there), its current point, and the shared start ring.
 * `points(run)` gives the run's canvas points as a flat array [px0, py0, ...].
 */
export function drawRuns(ctx, runs, upto, points, dpr, selected) {
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  const order = runs.map((_, i) => i).filter((i) => i !== selected).concat(runs[selected] ? [selected] : []);
  for (const i of order) {
    const run = runs[i];
    const p = points(run, i);
    const n = Math.min(upto + 1, p.length / 2);
    if (n <= 0) continue;
    const color = RUN_COLORS[i % RUN_COLORS.length];
    ctx.beginPath();
    ctx.moveTo(p[0], p[1]);
    for (let k = 1; k < n; k++) ctx.lineTo(p[2 * k], p[2 * k + 1]);
    ctx.strokeStyle = haloFor(color);
    ctx.lineWidth = (i === selected ? 5.5 : 4.5) * dpr;
    ctx.stroke();
    ctx.strokeStyle = color;
    ctx.lineWidth = (i === selected ? 2.6 : 2) * dpr;
    ctx.stroke();
    const cx = p[2 * (n - 1)];
    const cy = p[2 * (n - 1) + 1];
    if (run.divergence && n === p.length / 2 && upto >= n - 1) {
      // The last finite point may lie far outside the view: mark it at the edge it left by.
      const m = 10 * dpr;
      cross(ctx, Math.min(Math.max(cx, m), ctx.canvas.width - m), Math.min(Math.max(cy, m), ctx.canvas.height - m), 7 * dpr, color, dpr);
    } else {
      ctx.beginPath();
      ctx.arc(cx, cy, 5.5 * dpr, 0, 2 * Math.PI);
      ctx.fillStyle = color;
      ctx.fill();
      ctx.lineWidth = 2 * dpr;
      ctx.strokeStyle = haloFor(color) === 'rgba(16, 12, 28, 0.6)' ? '#ffffff' : '#15111f';
      ctx.stroke();
    }
  }
}

/** The shared start point: a white ring on a dark halo (of opacity `halo`). */
export function drawStart(ctx, x, y, dpr, halo = 0.6) {
  ctx.beginPath();
  ctx.arc(x, y, 7 * dpr, 0, 2 * Math.PI);
  ctx.lineWidth = 5 * dpr;
  ctx.strokeStyle = `rgba(16, 12, 28, ${halo})`;
  ctx.stroke();
  ctx.lineWidth = 2.5 * dpr;
  ctx.strokeStyle = '#ffffff';
  ctx.stroke();
}

function cross(ctx, x, y, r, color, dpr) {
  ctx.beginPath();
  ctx.moveTo(x - r, y - r);
  ctx.lineTo(x + r, y + r);
  ctx.moveTo(x + r, y - r);
  ctx.lineTo(x - r, y + r);
  ctx.lineWidth = 6 * dpr;
  ctx.strokeStyle = '#ffffff';
  ctx.stroke();
  ctx.lineWidth = 3 * dpr;
  ctx.strokeStyle = color === '#F0E442' ? '#b3261e' : color;
  ctx.stroke();
}
