// The 3-D view: Rust draws the surface with plotters on a canvas (redrawn only when the surface,
// the view, the colours or the camera change); the runs' projected points come from Rust and
// are stroked here on a second canvas once per frame. Drag or arrow keys rotate.

import { drawRuns, fitToBox } from './draw.js';

export class View3d {
  constructor(app, canvas, runsCanvas) {
    this.app = app;
    this.canvas = canvas;
    this.runsCanvas = runsCanvas;
    this.points = [];
    this.pending = false;
    this.bind();
  }

  get visible() {
    return this.canvas.offsetParent !== null && this.canvas.clientWidth > 0;
  }

  bind() {
    let last = null;
    this.canvas.addEventListener('pointerdown', (e) => {
      last = [e.clientX, e.clientY];
      this.canvas.setPointerCapture(e.pointerId);
    });
    this.canvas.addEventListener('pointermove', (e) => {
      if (!last) return;
      const [dx, dy] = [e.clientX - last[0], e.clientY - last[1]];
      last = [e.clientX, e.clientY];
      this.rotate(dx * 0.01, dy * 0.01);
    });
    const end = () => {
      if (last) this.app.saveState();
      last = null;
    };
    this.canvas.addEventListener('pointerup', end);
    this.canvas.addEventListener('pointercancel', end);
    this.canvas.addEventListener('keydown', (e) => {
      const d = e.shiftKey ? 0.25 : 0.08;
      const moves = { ArrowLeft: [-d, 0], ArrowRight: [d, 0], ArrowUp: [0, -d], ArrowDown: [0, d] };
      if (!moves[e.key]) return;
      e.preventDefault();
      this.rotate(...moves[e.key]);
      this.app.saveState();
    });
  }

  rotate(dyaw, dpitch) {
    const cam = this.app.state.cam;
    cam[0] = ((cam[0] + dyaw + Math.PI) % (2 * Math.PI) + 2 * Math.PI) % (2 * Math.PI) - Math.PI;
    cam[1] = Math.max(-0.1, Math.min(1.45, cam[1] + dpitch));
    this.schedule();
  }

  /** Redraws on the next animation frame (coalesces many drag events into one draw). */
  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.render();
    });
  }

  /** Draws the surface (Rust, plotters) and caches the runs' projected points. */
  render() {
    if (!this.visible) return;
    const dpr = fitToBox(this.canvas);
    fitToBox(this.runsCanvas);
    const { lab, state } = this.app;
    // The surface lab's first build has no 3-D view; the page schedules it again once its lab
    // is on the whole build (main.js adoptWholeLab).
    if (!lab?.render_3d) {
      this.points = [];
      return;
    }
    try {
      lab.render_3d(this.canvas, state.cam[0], state.cam[1], this.app.isDark(), dpr);
    } catch {
      this.points = [];
      return;
    }
    this.points = this.app.runs.map((_, i) => lab.project_run_3d(i));
    this.drawRuns();
  }

  /** The runs up to the current step, over the surface. */
  drawRuns() {
    if (!this.visible || this.points.length === 0) return;
    const ctx = this.runsCanvas.getContext('2d');
    ctx.clearRect(0, 0, this.runsCanvas.width, this.runsCanvas.height);
    const dpr = window.devicePixelRatio || 1;
    drawRuns(ctx, this.app.runs, this.app.lab.step(), (_, i) => this.points[i] ?? [], dpr, this.app.state.sel);
  }
}
