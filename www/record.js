// "Record video": replays the runs from step 0 to the end while a MediaRecorder records an
// off-screen canvas on which every frame composites the surface view (heatmap, contours,
// markers and paths; the 3-D view when only it is shown) with the step written in a corner.
// Progress (step k of n) and Cancel; the result is offered as optiscape-<surface>.webm.
// Where MediaRecorder or WebM is missing the button is disabled and its tooltip says why.

import { download } from './export.js';
import { t } from './common/i18n.js';

const $ = (id) => document.getElementById(id);

/** About this many frames per second in the video (one animation step each). */
const FPS = 30;
/** The last picture stays this long at the end of the video. */
const HOLD_MS = 800;

/** The first WebM type this browser records, or null. */
export function webmType() {
  if (typeof MediaRecorder === 'undefined' || !HTMLCanvasElement.prototype.captureStream) return null;
  return ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm']
    .find((type) => MediaRecorder.isTypeSupported(type)) ?? null;
}

export class Recorder {
  constructor(app) {
    this.app = app;
    this.job = null;
    this.type = webmType();
    $('record').addEventListener('click', () => this.start());
    $('record-cancel').addEventListener('click', () => this.cancel());
    this.render();
  }

  /** The button's state and tooltip (after a language change too). */
  render() {
    const button = $('record');
    button.disabled = !this.type || !!this.job;
    if (this.type) {
      button.removeAttribute('title');
      $('record-why').textContent = '';
    } else {
      button.title = t('record.unsupported');
      $('record-why').textContent = t('record.unsupported');
    }
  }

  /** The canvases of the picture being recorded, bottom layer first. */
  layers() {
    const ids = this.app.state.mode === '3d' ? ['view3d', 'view3d-runs'] : ['heatmap', 'contours', 'overlay'];
    return ids.map((id) => $(id));
  }

  async start() {
    if (!this.type || this.job) return;
    const app = this.app;
    app.pause();
    const top = this.layers().at(-1);
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(2, top.width - (top.width % 2));
    canvas.height = Math.max(2, top.height - (top.height % 2));
    const ctx = canvas.getContext('2d');
    const stream = canvas.captureStream(FPS);
    const recorder = new MediaRecorder(stream, { mimeType: this.type, videoBitsPerSecond: 4_000_000 });
    const chunks = [];
    recorder.addEventListener('dataavailable', (e) => {
      if (e.data.size > 0) chunks.push(e.data);
    });
    const job = { cancelled: false, recorder, stream };
    this.job = job;
    this.render();
    $('record-progress').hidden = false;
    const max = app.lab.max_step();
    const stride = app.speed();
    const paint = (step) => {
      app.lab.set_step(step);
      app.drawFrame();
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      for (const layer of this.layers()) ctx.drawImage(layer, 0, 0, canvas.width, canvas.height);
      this.label(ctx, step, max);
      this.progress(step, max);
    };
    paint(0);
    recorder.start(250);
    const frame = () => new Promise((resolve) => setTimeout(resolve, 1000 / FPS));
    for (let step = 0; step < max && !job.cancelled;) {
      await frame();
      step = Math.min(max, step + stride);
      paint(step);
    }
    if (!job.cancelled) await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    const stopped = new Promise((resolve) => recorder.addEventListener('stop', resolve, { once: true }));
    recorder.stop();
    await stopped;
    for (const track of stream.getTracks()) track.stop();
    this.job = null;
    $('record-progress').hidden = true;
    this.render();
    if (job.cancelled) {
      $('record-status').textContent = t('record.cancelled');
      return;
    }
    const blob = new Blob(chunks, { type: 'video/webm' });
    const preset = app.catalog.presets.find((p) => p.id === app.state.surface.trim());
    download(blob, `optiscape-${preset ? preset.id : 'custom'}.webm`);
    $('record-status').textContent = t('record.done', { size: (blob.size / 1024).toFixed(0) });
  }

  cancel() {
    if (this.job) this.job.cancelled = true;
  }

  /** "step k / n" in the lower left corner, white on a dark halo. */
  label(ctx, step, max) {
    const s = Math.max(1, ctx.canvas.width / 600);
    ctx.save();
    ctx.font = `600 ${14 * s}px system-ui, sans-serif`;
    ctx.textBaseline = 'bottom';
    ctx.lineJoin = 'round';
    ctx.lineWidth = 4 * s;
    ctx.strokeStyle = 'rgba(16, 12, 28, 0.8)';
    ctx.fillStyle = '#ffffff';
    const text = t('record.frame', { k: step, n: max });
    ctx.strokeText(text, 10 * s, ctx.canvas.height - 8 * s);
    ctx.fillText(text, 10 * s, ctx.canvas.height - 8 * s);
    ctx.restore();
  }

  progress(step, max) {
    const bar = $('record-bar');
    bar.max = Math.max(1, max);
    bar.value = step;
    $('record-text').textContent = t('record.progress', { k: step, n: max });
  }
}
