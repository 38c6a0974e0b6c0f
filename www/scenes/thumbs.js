// The scene thumbnails of the scene index and the teacher's page: a surface scene's first panel
// (the surface's heatmap and contours with the runs' paths, all from the core), or a classifier
// scene's network drawn from its config; and a claim's first sentence.

import { drawContours, drawRuns, RUN_COLORS } from '../draw.js';
import { Viewport } from '../viewport.js';

export const THUMB_W = 320;
export const THUMB_H = 240;
const HEATMAP_SIDE = 160;

/** The first sentence of a claim (a card shows one line; the lab shows it whole). */
export const firstSentence = (s) => {
  const m = /^(.+?[.;。；])(\s|$)/u.exec(s);
  if (!m) return s;
  return /[;；]$/u.test(m[1]) ? `${m[1].slice(0, -1)} …` : m[1];
};

/** Draws scene `scene` (from scene-data.js) on `canvas` with the wasm `Lab` `lab`. */
export function drawThumb(canvas, scene, lab, memory) {
  if (scene.panels?.length) drawSurface(canvas, scene.panels[0], lab, memory);
  else drawNetwork(canvas, scene.classifier[0].config);
  canvas.dataset.drawn = 'true';
}

/** The panel's surface (heatmap and contours) with its runs' paths. */
export function drawSurface(canvas, panel, lab, memory) {
  lab.set_surface(panel.surface);
  lab.set_view(panel.view.x[0], panel.view.x[1], panel.view.y[0], panel.view.y[1]);
  const length = lab.render_heatmap(HEATMAP_SIDE, HEATMAP_SIDE);
  const rgba = new Uint8ClampedArray(memory.buffer, lab.heatmap_ptr(), length);
  const image = document.createElement('canvas');
  image.width = HEATMAP_SIDE;
  image.height = HEATMAP_SIDE;
  image.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(rgba), HEATMAP_SIDE, HEATMAP_SIDE), 0, 0);
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
  const viewport = new Viewport(lab.view(), canvas.width, canvas.height);
  drawContours(ctx, lab.contours(80, 80, 12), viewport, 1, { width: 0.8 });
  const configs = panel.runs.map((r) => ({ ...r.config, bound: 1e6 }));
  lab.set_runs(JSON.stringify(configs));
  const runs = configs.map((_, i) => {
    const x = lab.run_x(i);
    const y = lab.run_y(i);
    const px = new Float32Array(2 * x.length);
    for (let k = 0; k < x.length; k++) [px[2 * k], px[2 * k + 1]] = viewport.toCanvas(x[k], y[k]);
    return { px, divergence: null };
  });
  drawRuns(ctx, runs, Number.MAX_SAFE_INTEGER, (run) => run.px, 0.6, -1);
}

/** A classifier scene's own picture: its network, layer by layer, from the config. */
export function drawNetwork(canvas, config) {
  const css = getComputedStyle(document.documentElement);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = css.getPropertyValue('--panel').trim() || '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const inputs = config.data.name === 'digits' ? 64 : 2;
  // The digits have ten classes whatever `classes` says (it is for the generated sets).
  const classes = config.data.name === 'digits' ? 10 : config.data.classes;
  const layers = [inputs, ...config.hidden, classes];
  const shown = (n) => Math.min(n, 8);
  const xs = layers.map((_, i) => 30 + (i * (canvas.width - 60)) / (layers.length - 1));
  const ys = (n, i) => canvas.height / 2 + (i - (shown(n) - 1) / 2) * 22;
  ctx.strokeStyle = css.getPropertyValue('--line').trim() || '#ccc';
  ctx.lineWidth = 0.7;
  for (let l = 0; l + 1 < layers.length; l++) {
    for (let a = 0; a < shown(layers[l]); a++) {
      for (let b = 0; b < shown(layers[l + 1]); b++) {
        ctx.beginPath();
        ctx.moveTo(xs[l], ys(layers[l], a));
        ctx.lineTo(xs[l + 1], ys(layers[l + 1], b));
        ctx.stroke();
      }
    }
  }
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'center';
  layers.forEach((n, l) => {
    const color = l === 0 ? RUN_COLORS[1] : l === layers.length - 1 ? RUN_COLORS[0] : RUN_COLORS[2];
    for (let k = 0; k < shown(n); k++) {
      ctx.beginPath();
      ctx.arc(xs[l], ys(n, k), 6, 0, 2 * Math.PI);
      ctx.fillStyle = color;
      ctx.fill();
    }
    ctx.fillStyle = css.getPropertyValue('--muted').trim() || '#555';
    ctx.fillText(String(n), xs[l], ys(n, shown(n) - 1) + 24);
  });
  if (config.batchnorm) {
    ctx.fillStyle = css.getPropertyValue('--accent').trim() || '#1f6f84';
    ctx.fillText('BN', canvas.width / 2, 20);
  }
}
