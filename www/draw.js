// Drawing what the core computed: the heatmap (one putImageData of Rust's RGBA buffer), the
// contour segments, and the optimizer's path with its moving point.

/**
 * Fills `canvas` with the lab's heatmap at `side` × `side`. The bytes are read through a view
 * of wasm memory made *after* `render_heatmap`, which may grow (and so detach) the memory.
 */
export function drawHeatmap(canvas, lab, memory, side) {
  const length = lab.render_heatmap(side, side);
  const rgba = new Uint8ClampedArray(memory.buffer, lab.heatmap_ptr(), length);
  canvas.width = side;
  canvas.height = side;
  canvas.getContext('2d').putImageData(new ImageData(rgba, side, side), 0, 0);
}

/** Sizes a canvas to its box in device pixels; returns the device pixel ratio. */
export function fitToBox(canvas) {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(canvas.clientWidth * dpr));
  const h = Math.max(1, Math.round(canvas.clientHeight * dpr));
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  return dpr;
}

/** Strokes the contour segments (`[level, x0, y0, x1, y1, ...]`) in one path. */
export function drawContours(ctx, segments, viewport, dpr) {
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.beginPath();
  for (let i = 0; i + 4 < segments.length; i += 5) {
    const [ax, ay] = viewport.toCanvas(segments[i + 1], segments[i + 2]);
    const [bx, by] = viewport.toCanvas(segments[i + 3], segments[i + 4]);
    ctx.moveTo(ax, ay);
    ctx.lineTo(bx, by);
  }
  ctx.lineWidth = dpr;
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.42)';
  ctx.stroke();
}

const PATH = '#ffffff';
const HALO = 'rgba(16, 12, 28, 0.55)';
const POINT = '#ff6b3d';

/** Draws the run's points 0..=upto: the path, the start ring and the current point. */
export function drawRun(ctx, run, upto, viewport, dpr) {
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  const n = Math.min(upto + 1, run.x.length);
  if (n === 0) return;
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  ctx.beginPath();
  for (let i = 0; i < n; i++) {
    const [px, py] = viewport.toCanvas(run.x[i], run.y[i]);
    if (i === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  }
  ctx.strokeStyle = HALO;
  ctx.lineWidth = 4.5 * dpr;
  ctx.stroke();
  ctx.strokeStyle = PATH;
  ctx.lineWidth = 2 * dpr;
  ctx.stroke();

  const [sx, sy] = viewport.toCanvas(run.x[0], run.y[0]);
  ring(ctx, sx, sy, 6 * dpr, PATH, HALO, dpr);
  const [cx, cy] = viewport.toCanvas(run.x[n - 1], run.y[n - 1]);
  ctx.beginPath();
  ctx.arc(cx, cy, 6 * dpr, 0, 2 * Math.PI);
  ctx.fillStyle = POINT;
  ctx.fill();
  ctx.lineWidth = 2 * dpr;
  ctx.strokeStyle = PATH;
  ctx.stroke();
}

function ring(ctx, x, y, r, color, halo, dpr) {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.lineWidth = 4.5 * dpr;
  ctx.strokeStyle = halo;
  ctx.stroke();
  ctx.lineWidth = 2 * dpr;
  ctx.strokeStyle = color;
  ctx.stroke();
}
