// The first live page: one surface (preset or typed formula) as a heatmap with contours, one
// optimizer run animating on it, and the controls that change them. JS asks the core (wasm)
// and draws what it gets; it does no math of its own.

import init, { Lab, presets as listPresets, optimizers as listOptimizers } from './pkg/optiscape.js';
import { installErrorBanner, showError } from './banner.js';
import { drawContours, drawHeatmap, drawRun, fitToBox } from './draw.js';
import { formatLoss, formatPoint, formatRate } from './format.js';
import { showFormulaError } from './formula.js';
import { DEFAULTS, readHash, writeHash } from './state.js';
import { Viewport } from './viewport.js';

const HEATMAP_SIDE = 480;
const CONTOUR_GRID = 240;
const CONTOUR_LEVELS = 18;
/** About this many animation frames per run, whatever its length. */
const ANIMATION_FRAMES = 150;

const OPTIMIZER_NAMES = {
  sgd: 'SGD', adagrad: 'Adagrad', rmsprop: 'RMSprop', adam: 'Adam', adamw: 'AdamW',
  nadam: 'NAdam', radam: 'RAdam', adamax: 'Adamax', adadelta: 'Adadelta',
};

const $ = (id) => document.getElementById(id);

/** An optimizer's key in the picker and the URL: `adam`, or `adagrad:lecture`. */
const optimizerKey = (spec) => (spec.variant ? `${spec.name}:${spec.variant}` : spec.name);

class App {
  constructor(memory) {
    this.memory = memory;
    this.lab = new Lab();
    this.presets = JSON.parse(listPresets());
    this.optimizers = JSON.parse(listOptimizers());
    this.state = { ...DEFAULTS, ...readHash(location.hash) };
    this.run = { x: new Float64Array(0), y: new Float64Array(0), loss: new Float64Array(0) };
    this.contours = new Float64Array(0);
    this.frame = 0;
    this.upto = 0;
  }

  start() {
    this.fillPickers();
    this.bindControls();
    const ok = this.setSurface(this.state.surface, { keepStart: this.state.start !== null });
    if (!ok) this.setSurface(DEFAULTS.surface, { keepStart: false });
    new ResizeObserver(() => this.redrawOverlays()).observe($('plot'));
  }

  fillPickers() {
    const presetSelect = $('preset');
    for (const p of this.presets) presetSelect.add(new Option(p.name_en, p.id));
    presetSelect.add(new Option('Custom formula', 'custom'));
    const optimizerSelect = $('optimizer');
    for (const spec of this.optimizers) {
      const name = OPTIMIZER_NAMES[spec.name] ?? spec.name;
      optimizerSelect.add(new Option(spec.variant ? `${name} (${spec.variant})` : name, optimizerKey(spec)));
    }
    if (!this.optimizers.some((s) => optimizerKey(s) === this.state.optimizer)) {
      this.state.optimizer = DEFAULTS.optimizer;
    }
    optimizerSelect.value = this.state.optimizer;
    $('steps').value = String(this.state.steps);
    if ($('steps').value !== String(this.state.steps)) $('steps').add(new Option(String(this.state.steps), String(this.state.steps), true, true));
    $('lr').value = String(Math.log10(this.state.lr));
    this.showRate();
  }

  /** The slider moves on a log scale; people see (and screen readers say) the rate itself. */
  showRate() {
    const text = formatRate(this.state.lr);
    $('lr-value').textContent = text;
    $('lr').setAttribute('aria-valuetext', text);
  }

  bindControls() {
    $('preset').addEventListener('change', (e) => {
      if (e.target.value === 'custom') {
        $('formula').focus();
        return;
      }
      this.setSurface(e.target.value, { keepStart: false });
    });
    $('formula').addEventListener('input', (e) => this.setSurface(e.target.value, { keepStart: true, typing: true }));
    $('optimizer').addEventListener('change', (e) => {
      this.state.optimizer = e.target.value;
      this.rerun();
    });
    $('lr').addEventListener('input', (e) => {
      this.state.lr = Number((10 ** Number(e.target.value)).toPrecision(3));
      this.showRate();
      this.rerun();
    });
    $('steps').addEventListener('change', (e) => {
      this.state.steps = Number(e.target.value);
      this.rerun();
    });
    $('overlay').addEventListener('click', (e) => {
      const box = e.currentTarget.getBoundingClientRect();
      const viewport = new Viewport(this.lab.view(), box.width, box.height);
      this.state.start = viewport.toSurface(e.clientX - box.left, e.clientY - box.top);
      this.rerun();
    });
  }

  /** Sets the surface; a bad formula is shown inline and changes nothing else. */
  setSurface(spec, { keepStart, typing = false }) {
    try {
      this.lab.set_surface(spec);
    } catch (error) {
      if (error?.name !== 'FormulaError') throw error;
      if (typing) showFormulaError(spec, error);
      return false;
    }
    showFormulaError(spec, null);
    this.state.surface = spec;
    const preset = this.presets.find((p) => p.id === spec.trim());
    $('preset').value = preset ? preset.id : 'custom';
    $('description').textContent = preset ? preset.description_en : 'Your own formula in x and y.';
    if (!typing) $('formula').value = this.lab.formula();
    if (!keepStart || !this.state.start) this.state.start = Array.from(this.lab.preset_start());
    this.redrawSurface();
    this.rerun();
    return true;
  }

  redrawSurface() {
    drawHeatmap($('heatmap'), this.lab, this.memory, HEATMAP_SIDE);
    this.contours = this.lab.contours(CONTOUR_GRID, CONTOUR_GRID, CONTOUR_LEVELS);
    const [x0, x1, y0, y1] = this.lab.view();
    $('x-min').textContent = String(x0);
    $('x-max').textContent = String(x1);
    $('y-min').textContent = String(y0);
    $('y-max').textContent = String(y1);
    this.redrawOverlays();
  }

  redrawOverlays() {
    const contours = $('contours');
    const dpr = fitToBox(contours);
    drawContours(contours.getContext('2d'), this.contours, this.viewport(contours), dpr);
    this.drawFrame();
  }

  viewport(canvas) {
    return new Viewport(this.lab.view(), canvas.width, canvas.height);
  }

  optimizerConfig() {
    const [name, variant] = this.state.optimizer.split(':');
    return variant ? { name, variant, lr: this.state.lr } : { name, lr: this.state.lr };
  }

  /** Re-runs the optimizer with the current settings and restarts the animation. */
  rerun() {
    const config = {
      surface: this.state.surface,
      start: this.state.start,
      steps: this.state.steps,
      optimizer: this.optimizerConfig(),
    };
    const points = this.lab.set_run(JSON.stringify(config));
    this.run = {
      x: this.lab.trajectory_x(),
      y: this.lab.trajectory_y(),
      loss: this.lab.trajectory_loss(),
      divergedAt: this.lab.diverged_at(),
    };
    this.showReadout(points);
    writeHash(this.state);
    this.animate();
  }

  showReadout(points) {
    const { x, y, loss, divergedAt } = this.run;
    const last = points - 1;
    const overlay = $('overlay');
    overlay.dataset.points = String(points);
    overlay.dataset.lr = String(this.state.lr);
    overlay.dataset.endX = last >= 0 ? String(x[last]) : '';
    overlay.dataset.endY = last >= 0 ? String(y[last]) : '';
    $('start').textContent = formatPoint(this.state.start);
    $('end').textContent = last >= 0 ? formatPoint([x[last], y[last]]) : '—';
    $('loss').textContent = last >= 0 ? formatLoss(loss[last]) : '—';
    $('status').textContent = divergedAt !== undefined
      ? `diverged at step ${divergedAt}`
      : `${points - 1} steps`;
  }

  animate() {
    cancelAnimationFrame(this.frame);
    const n = this.run.x.length;
    const stride = Math.max(1, Math.ceil(n / ANIMATION_FRAMES));
    this.upto = 0;
    const tick = () => {
      this.drawFrame();
      if (this.upto < n - 1) {
        this.upto = Math.min(n - 1, this.upto + stride);
        this.frame = requestAnimationFrame(tick);
      }
    };
    this.frame = requestAnimationFrame(tick);
  }

  drawFrame() {
    const overlay = $('overlay');
    const dpr = fitToBox(overlay);
    drawRun(overlay.getContext('2d'), this.run, this.upto, this.viewport(overlay), dpr);
  }
}

async function main() {
  installErrorBanner();
  const wasm = await init();
  const app = new App(wasm.memory);
  app.start();
  window.optiscape = app;
  // A link pasted into this tab: start again from its state.
  window.addEventListener('hashchange', () => location.reload());
  document.body.dataset.ready = 'true';
}

main().catch(showError);
