// The classifier's pictures: the decision boundary (an RGBA image filled in Rust, put on a
// canvas once and scaled) with the data points on top, the grid of test digits with the
// network's predictions, and the confusion matrix. Only drawing here.

import { fitToBox } from '../common/charts.js';

const rgb = ([r, g, b]) => `rgb(${r} ${g} ${b})`;

/** A canvas holding an RGBA image, for drawing it scaled. */
export function imageCanvas(pixels, width, height, reuse) {
  const c = reuse ?? document.createElement('canvas');
  if (c.width !== width) c.width = width;
  if (c.height !== height) c.height = height;
  c.getContext('2d').putImageData(new ImageData(pixels, width, height), 0, 0);
  return c;
}

/**
 * The boundary picture scaled to `canvas`, then the points: training points filled, test
 * points hollow, in their class colours. `plane` is `[x0, x1, y0, y1]`; `points` has
 * `{trainPoints, trainLabels, testPoints, testLabels}` (x, y interleaved).
 */
export function drawBoundary(canvas, image, plane, points, classColors, colors, { radius = 3.2, empty = '' } = {}) {
  const dpr = fitToBox(canvas);
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  if (!image && empty) {
    ctx.fillStyle = colors.muted;
    ctx.font = `${12 * dpr}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(empty, width / 2, height / 2);
  }
  if (image) {
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(image, 0, 0, width, height);
  }
  if (!plane || !points) return;
  const [x0, x1, y0, y1] = plane;
  const sx = width / (x1 - x0);
  const sy = height / (y1 - y0);
  const r = radius * dpr * Math.min(1.4, Math.max(0.7, width / (480 * dpr)));
  const draw = (xy, labels, hollow) => {
    for (let i = 0; i < labels.length; i += 1) {
      const x = (xy[2 * i] - x0) * sx;
      const y = (y1 - xy[2 * i + 1]) * sy;
      const color = rgb(classColors[labels[i] % classColors.length]);
      ctx.beginPath();
      ctx.arc(x, y, r, 0, 2 * Math.PI);
      // A light halo first, so that a point stands out on a background of its own colour.
      ctx.lineWidth = (hollow ? 3.6 : 2.6) * dpr;
      ctx.strokeStyle = colors.halo;
      ctx.stroke();
      if (hollow) {
        ctx.fillStyle = colors.halo;
        ctx.fill();
        ctx.lineWidth = 1.8 * dpr;
        ctx.strokeStyle = color;
        ctx.stroke();
      } else {
        ctx.fillStyle = color;
        ctx.fill();
      }
    }
  };
  draw(points.testPoints, points.testLabels, true);
  draw(points.trainPoints, points.trainLabels, false);
}

/**
 * The first test digits (a sprite sheet of 8 × 8 images, `cols` per line) with the network's
 * prediction under each; wrong ones framed and labelled in the error colour. Returns how
 * many of the shown ones are right.
 */
export function drawDigits(canvas, sheet, cols, predictions, labels, colors) {
  const dpr = window.devicePixelRatio || 1;
  const count = Math.min(labels.length, (sheet.height / 8) * cols);
  const lines = Math.ceil(count / cols);
  const cssWidth = Math.max(120, canvas.clientWidth);
  const cell = cssWidth / cols;
  const labelH = 15;
  canvas.style.height = `${Math.round(lines * (cell + labelH))}px`;
  fitToBox(canvas);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, cssWidth, lines * (cell + labelH));
  ctx.imageSmoothingEnabled = false;
  ctx.font = '600 12px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  let right = 0;
  for (let i = 0; i < count; i += 1) {
    const cx = (i % cols) * cell;
    const cy = Math.floor(i / cols) * (cell + labelH);
    const pad = cell * 0.08;
    const size = cell - 2 * pad;
    ctx.drawImage(sheet.canvas, (i % cols) * 8, Math.floor(i / cols) * 8, 8, 8, cx + pad, cy + pad, size, size);
    const p = predictions ? predictions[i] : undefined;
    const ok = p === labels[i];
    if (ok) right += 1;
    ctx.lineWidth = ok || p === undefined ? 1 : 2.5;
    ctx.strokeStyle = ok || p === undefined ? colors.line : colors.error;
    ctx.strokeRect(cx + pad, cy + pad, size, size);
    if (p !== undefined) {
      ctx.fillStyle = ok ? colors.muted : colors.error;
      ctx.fillText(ok ? String(p) : `${p} ✗`, cx + cell / 2, cy + cell - pad + 1);
    }
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  return { right, count };
}

/** The confusion matrix: rows the true class, columns the prediction; counts in the cells. */
export function drawConfusion(canvas, matrix, classes, colors, { truthLabel, predictedLabel }) {
  const dpr = window.devicePixelRatio || 1;
  const cssWidth = Math.max(160, canvas.clientWidth);
  canvas.style.height = `${Math.round(cssWidth)}px`;
  fitToBox(canvas);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, cssWidth, cssWidth);
  const margin = 34;
  const cell = (cssWidth - margin - 4) / classes;
  let rowMax = 1;
  for (let t = 0; t < classes; t += 1) {
    let s = 0;
    for (let p = 0; p < classes; p += 1) s += matrix[t * classes + p];
    rowMax = Math.max(rowMax, s);
  }
  ctx.font = `${Math.min(12, cell * 0.45)}px ui-monospace, monospace`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (let t = 0; t < classes; t += 1) {
    for (let p = 0; p < classes; p += 1) {
      const v = matrix[t * classes + p];
      const x = margin + p * cell;
      const y = margin + t * cell;
      const share = v / rowMax;
      ctx.globalAlpha = v === 0 ? 1 : 0.15 + 0.85 * Math.sqrt(share);
      ctx.fillStyle = v === 0 ? colors.bg : t === p ? colors.a : colors.b;
      ctx.fillRect(x + 0.5, y + 0.5, cell - 1, cell - 1);
      ctx.globalAlpha = 1;
      if (v > 0) {
        ctx.fillStyle = share > 0.45 ? '#fff' : colors.text;
        ctx.fillText(String(v), x + cell / 2, y + cell / 2);
      }
    }
  }
  ctx.fillStyle = colors.muted;
  ctx.font = '11px system-ui, sans-serif';
  for (let k = 0; k < classes; k += 1) {
    ctx.fillText(String(k), margin + (k + 0.5) * cell, margin - 8);
    ctx.fillText(String(k), margin - 9, margin + (k + 0.5) * cell);
  }
  ctx.textAlign = 'left';
  ctx.fillText(predictedLabel, margin, 8);
  ctx.save();
  ctx.translate(8, margin);
  ctx.rotate(Math.PI / 2);
  ctx.fillText(truthLabel, 0, 0);
  ctx.restore();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
}
