// The optimizer lab: one surface (preset or typed formula) as a heatmap with labelled contours
// and its critical points, up to eight optimizer runs animating on it, a 3-D view, charts, the
// anatomy of a step and an inspector for any point. JS asks the core (wasm) and draws what it
// gets; it does no math of its own. The whole state lives in the URL hash (state.js).

import init, {
  Lab, presets as listPresets, optimizers as listOptimizers, schedules as listSchedules,
  ticks, log_ticks as logTicks,
} from './pkg-lab-first/optiscape.js';
import { installErrorBanner, showError } from './common/banner.js';
import { markGood, restarted } from './common/recovery.js';
import { chartColors, drawStepChart as drawChart, moveCursor } from './common/charts.js';
import {
  drawContours, drawCritical, drawHeatmap, drawInspection, drawRuns, drawStart, fitToBox,
} from './draw.js';
import { formatLoss, formatPoint, formatRate } from './common/format.js';
import { showFormulaError } from './formula.js';
import { copyText, installPhoneStrip, linkTabs } from './common/controls.js';
import { language, pickLanguage, setLanguage, switchLanguage, t, translate } from './common/i18n.js';
import { Anatomy } from './anatomy.js';
import { Inspector } from './inspector.js';
import { RunsPanel } from './runs.js';
import { exportCsv, exportJson, exportPng } from './export.js';
import { MAX_RUNS, readHash, toHash, writeHash } from './state.js';
import { View3d } from './view3d.js';
import { Viewport } from './viewport.js';
import { installKindsLegend, installPlotInput } from './plot-input.js';
import { ScenePanel } from './scene.js';
import { loadScenes } from './scene-data.js';
import { registerOffline } from './common/offline.js';

const HEATMAP_SIDE = 480;
const CONTOUR_GRID = 200;
const CONTOUR_LEVELS = 18;
const TAYLOR_GRID = 120;
/** About this many animation frames per run on "auto" speed. */
const ANIMATION_FRAMES = 150;
/** The huge box: a run whose |x| or |y| exceeds this has diverged. */
const BOUND = 1e6;

const $ = (id) => document.getElementById(id);
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
const darkScheme = matchMedia('(prefers-color-scheme: dark)');

class App {
  constructor(memory, scenes) {
    this.memory = memory;
    this.sceneData = scenes;
    this.lab = new Lab();
    this.catalog = {
      presets: JSON.parse(listPresets()),
      optimizers: JSON.parse(listOptimizers()),
      schedules: JSON.parse(listSchedules()),
      scenes: scenes.list,
    };
    const { state, ignored } = readHash(location.hash, this.catalog);
    this.state = state;
    this.ignored = ignored;
    this.runs = [];
    this.contours = new Float64Array(0);
    this.levels = [];
    this.critical = [];
    this.inspection = null;
    this.taylor = new Float64Array(0);
    this.playing = false;
    this.frame = 0;
    this.homeView = null;
    this.announced = new Set();
    this.frameTimes = null;
  }

  async start() {
    this.chartsWait = true;
    if (language() !== pickLanguage(this.state.lang)) await setLanguage(pickLanguage(this.state.lang));
    this.applyTheme();
    this.fillPresets();
    this.runsPanel = new RunsPanel(this);
    installPhoneStrip($('phone-strip'), $('params'), '#lr');
    this.anatomy = new Anatomy(this);
    this.inspector = new Inspector(this);
    this.view3d = new View3d(this, $('view3d'), $('view3d-runs'));
    this.bindControls();
    installPlotInput(this, $('overlay'));
    translate();
    this.scenes = new ScenePanel(this);
    this.scenes.applyLinked();
    document.body.dataset.embed = this.state.embed ?? '';
    this.syncControls();
    const linked = this.state.surface;
    const inspect = this.state.inspect;
    // The critical points come a moment after the first picture.
    const first = { keepStart: this.state.start !== null, keepView: this.state.view !== null, critical: 'later' };
    if (!this.setSurface(linked, first)) {
      this.ignored.push('s');
      this.state.view = null;
      this.setSurface('rosenbrock', { keepStart: false, critical: 'later' });
    }
    if (inspect) this.inspect(...inspect, { snap: false });
    this.scenes.render();
    this.showNotice();
    this.drawDeferred();
    new ResizeObserver(() => this.layoutChanged()).observe($('plot'));
    new ResizeObserver(() => this.view3d.schedule()).observe($('plot3d-wrap'));
    darkScheme.addEventListener('change', () => this.applyTheme());
    window.addEventListener('hashchange', () => {
      if (location.hash !== toHash(this.state)) location.reload();
    });
  }

  /**
   * What the first picture does not need loads after it: the whole lab (below), the code dialog,
   * the chart PNG buttons, recording, the phase diagram and the embed dialog and API (their
   * buttons wait until then).
   */
  async installLater() {
    await this.adoptWholeLab();
    const [code, charts, record, phase, embed] = await Promise.all([
      import('./code-dialog.js'), import('./chart-png.js'), import('./record.js'), import('./phase.js'),
      import('./embed-api.js'),
    ]);
    this.codeDialog = new code.CodeDialog(this);
    charts.installChartButtons(this);
    this.recorder = new record.Recorder(this);
    this.phase = new phase.PhasePanel(this);
    this.embedDialog = new embed.EmbedDialog(this);
    this.phase.render();
    embed.installEmbedApi(this);
  }

  /**
   * The first picture comes from the lab's first build (www/pkg-lab-first/: the surface, its
   * heatmap and contours, the runs); the whole build (www/pkg-lab/: also the critical points, the
   * inspector, the compare sets, the 3-D view and the exports) loads after it, and the lab moves
   * there: a Lab of the whole build given the same surface, view, colour scale, runs and step.
   * Both builds compile the same core, so the new lab holds the same numbers (tests/e2e/lab-builds).
   * Until then, what needs the whole lab waits for it (`whenWhole`).
   */
  async adoptWholeLab() {
    const whole = await import('./pkg-lab/optiscape.js');
    const { memory } = await whole.default();
    const first = this.lab;
    const lab = new whole.Lab();
    lab.set_surface(first.surface());
    lab.set_view(...first.view());
    lab.set_color_scale(this.state.scale);
    if (this.runsJson) lab.set_runs(this.runsJson);
    lab.set_step(first.step());
    this.lab = lab;
    this.memory = memory;
    this.whole = true;
    first.free();
    // The picture on screen already holds these numbers (the same core), so the heatmap and the
    // frame are not drawn again; the new lab only needs its contour levels (the Taylor model's
    // contours use them), then the critical points are found and drawn.
    this.contours = lab.contours(CONTOUR_GRID, CONTOUR_GRID, CONTOUR_LEVELS);
    this.findCritical();
    this.view3d.schedule();
    const waiting = this.waiting ?? [];
    this.waiting = null;
    for (const fn of waiting) fn();
  }

  /** Runs `fn` now if the lab is on its whole build, else as soon as it is (`adoptWholeLab`). */
  whenWhole(fn) {
    if (this.whole) fn();
    else (this.waiting ??= []).push(fn);
  }

  // ---- language, theme, notices -------------------------------------------------------

  isDark() {
    return this.state.theme === 'dark' || (this.state.theme === 'auto' && darkScheme.matches);
  }

  applyTheme() {
    document.documentElement.dataset.theme = this.state.theme;
    this.updateTabs();
    if (this.view3d) this.view3d.schedule();
    if (this.runs.length) this.drawCharts();
  }

  /** The classifier tab keeps the language and theme chosen here. */
  updateTabs() {
    linkTabs({ 'tab-classifier': 'classifier.html', 'tab-lecture': 'scenes.html' }, { lang: language(), theme: this.state.theme });
  }

  async setLang(lang) {
    await switchLanguage(lang);
    this.state.lang = lang;
    this.updateTabs();
    this.fillPresets();
    this.runsPanel.render();
    this.syncControls();
    this.showDescription();
    this.showCriticalList();
    this.showRunStatus();
    this.inspector.render();
    this.anatomy.render();
    this.recorder?.render();
    this.phase?.render();
    this.showNotice();
    this.scenes.fillPicker();
    this.scenes.render();
    this.saveState();
  }

  /**
   * The notice: that the page restarted after an internal error, and the fields of the link
   * that were ignored (as text, never HTML).
   */
  showNotice() {
    const parts = [];
    // After a panic the page restarted (common/recovery.js): say so until dismissed.
    if (this.restart) parts.push(t(this.restart.tries > 1 ? 'notice.restartedFresh' : 'notice.restarted', { message: this.restart.message }));
    if (this.ignored.length) {
      const names = [...new Set(this.ignored)].map((n) => (n.length > 40 ? `${n.slice(0, 40)}…` : n));
      parts.push(t('notice.ignored', { fields: names.join(', ') }));
    }
    $('notice').hidden = parts.length === 0;
    if (parts.length) $('notice-text').textContent = parts.join(' ');
  }

  // ---- pickers and controls -----------------------------------------------------------

  fillPresets() {
    const select = $('preset');
    const value = select.value;
    select.replaceChildren();
    const zh = language() === 'zh-CN';
    for (const p of this.catalog.presets) select.add(new Option(zh ? p.name_zh : p.name_en, p.id));
    select.add(new Option(t('surface.custom'), 'custom'));
    if (value) select.value = value;
  }

  syncControls() {
    const s = this.state;
    $('lang').value = language();
    $('theme').value = s.theme;
    $('color-scale').value = s.scale;
    for (const r of document.querySelectorAll('input[name="mode"]')) r.checked = r.value === s.mode;
    for (const r of document.querySelectorAll('input[name="click"]')) r.checked = r.value === s.click;
    $('views').dataset.mode = s.mode;
    $('plot').dataset.click = s.click;
    $('steps').value = String(s.steps);
    $('noise-on').checked = !!s.noise;
    $('noise-box').hidden = !s.noise;
    const noise = s.noise ?? { batch: 8, seed: 1, scale: 1 };
    $('batch').value = String(Math.round(Math.log2(noise.batch)));
    $('batch-value').textContent = String(noise.batch);
    $('batch').setAttribute('aria-valuetext', String(noise.batch));
    $('seed').value = String(noise.seed);
    $('noise-scale').value = String(noise.scale);
    this.lab.set_color_scale(s.scale);
    this.updatePlayButton();
  }

  bindControls() {
    $('lang').addEventListener('change', (e) => this.setLang(e.target.value).catch(showError));
    $('theme').addEventListener('change', (e) => {
      this.state.theme = e.target.value;
      this.applyTheme();
      this.saveState();
    });
    $('notice-close').addEventListener('click', () => {
      this.restart = null;
      $('notice').hidden = true;
    });
    $('copy-link').addEventListener('click', () => this.copyLink());
    $('preset').addEventListener('change', (e) => {
      if (e.target.value === 'custom') {
        $('formula').focus();
        return;
      }
      this.state.view = null;
      this.setSurface(e.target.value, { keepStart: false });
    });
    $('formula').addEventListener('input', (e) => this.setSurface(e.target.value, { keepStart: true, typing: true, keepView: true }));
    for (const r of document.querySelectorAll('input[name="mode"]')) {
      r.addEventListener('change', () => {
        this.state.mode = r.value;
        $('views').dataset.mode = r.value;
        this.layoutChanged();
        this.view3d.schedule();
        this.saveState();
      });
    }
    for (const r of document.querySelectorAll('input[name="click"]')) {
      r.addEventListener('change', () => this.setClickMode(r.value));
    }
    $('color-scale').addEventListener('change', (e) => {
      this.state.scale = e.target.value;
      this.lab.set_color_scale(this.state.scale);
      this.redrawSurface();
      this.saveState();
    });
    $('fit-view').addEventListener('click', () => this.fitView());
    $('steps').addEventListener('change', (e) => {
      this.state.steps = Number(e.target.value);
      this.rerun();
    });
    $('noise-on').addEventListener('change', (e) => {
      this.state.noise = e.target.checked ? this.noiseFromControls() : null;
      $('noise-box').hidden = !e.target.checked;
      this.rerun();
    });
    $('batch').addEventListener('input', () => {
      const batch = 2 ** Number($('batch').value);
      $('batch-value').textContent = String(batch);
      $('batch').setAttribute('aria-valuetext', String(batch));
      if (this.state.noise) {
        this.state.noise = this.noiseFromControls();
        this.rerun();
      }
    });
    for (const id of ['seed', 'noise-scale']) {
      $(id).addEventListener('change', () => {
        const next = this.noiseFromControls();
        const ok = Number.isInteger(next.seed) && next.seed >= 0 && Number.isFinite(next.scale) && next.scale >= 0;
        $(id).setAttribute('aria-invalid', String(!ok));
        if (ok && this.state.noise) {
          this.state.noise = next;
          this.rerun();
        }
      });
    }
    $('play').addEventListener('click', () => (this.playing ? this.pause() : this.play()));
    $('step-once').addEventListener('click', () => {
      this.pause();
      this.lab.advance(1);
      this.drawFrame();
      this.saveState();
    });
    $('reset').addEventListener('click', () => {
      this.pause();
      this.lab.set_step(0);
      this.drawFrame();
      this.saveState();
    });
    $('scrub').addEventListener('input', (e) => {
      this.pause();
      this.lab.set_step(Number(e.target.value));
      this.drawFrame();
    });
    $('scrub').addEventListener('change', () => this.saveState());
    $('export-png').addEventListener('click', () => exportPng(this));
    $('export-csv').addEventListener('click', () => exportCsv(this));
    $('export-json').addEventListener('click', () => exportJson(this));
    reducedMotion.addEventListener('change', () => {
      if (reducedMotion.matches) this.pause();
    });
  }

  noiseFromControls() {
    return {
      batch: 2 ** Number($('batch').value),
      seed: Math.round(Number($('seed').value)),
      scale: Number($('noise-scale').value),
    };
  }

  setClickMode(mode) {
    this.state.click = mode;
    $('plot').dataset.click = mode;
    for (const r of document.querySelectorAll('input[name="click"]')) r.checked = r.value === mode;
    this.saveState();
  }

  async copyLink() {
    this.saveState({ now: true });
    const url = location.href;
    const ok = await copyText(url);
    $('link-status').textContent = ok ? t('link.copied') : t('link.failed');
    $('copy-link').dataset.link = url;
    clearTimeout(this.linkTimer);
    this.linkTimer = setTimeout(() => {
      $('link-status').textContent = '';
    }, 4000);
  }

  // ---- surface and view ---------------------------------------------------------------

  /** Sets the surface; a bad formula is shown inline and changes nothing else. */
  setSurface(spec, { keepStart, typing = false, keepView = false, critical = 'now' }) {
    const view = this.state.view;
    try {
      this.lab.set_surface(spec);
    } catch (error) {
      if (error?.name !== 'FormulaError') throw error;
      if (typing) showFormulaError(spec, error);
      return false;
    }
    showFormulaError(spec, null);
    if (spec !== this.state.surface) this.scenes?.leave();
    this.state.surface = spec;
    const preset = this.catalog.presets.find((p) => p.id === spec.trim());
    if (preset) this.homeView = this.lab.view();
    else if (!this.homeView) this.homeView = this.lab.view();
    if (keepView && view) this.lab.set_view(...view);
    else this.state.view = null;
    $('preset').value = preset ? preset.id : 'custom';
    this.showDescription();
    if (!typing) $('formula').value = this.lab.formula();
    if (!keepStart || !this.state.start) this.state.start = Array.from(this.lab.preset_start());
    this.closeInspector();
    this.redrawSurface({ critical });
    this.rerun();
    return true;
  }

  showDescription() {
    const preset = this.catalog.presets.find((p) => p.id === this.state.surface.trim());
    const zh = language() === 'zh-CN';
    $('description').textContent = preset ? (zh ? preset.description_zh : preset.description_en) : t('surface.customHelp');
  }

  /** Sets the view box (zoom, pan, fit); redraws the picture on the next frame. */
  setView(view) {
    try {
      this.lab.set_view(...view);
    } catch {
      return;
    }
    this.state.view = view;
    if (this.viewPending) return;
    this.viewPending = true;
    requestAnimationFrame(() => {
      this.viewPending = false;
      this.redrawSurface({ critical: 'later' });
      this.projectRuns();
      this.drawFrame();
      this.view3d.schedule();
      this.saveState();
    });
  }

  fitView() {
    if (this.homeView) this.setView([...this.homeView]);
    this.state.view = null;
  }

  /** The view's mapping to canvas pixels (device pixels of `canvas`). */
  viewport(canvas = $('overlay')) {
    return new Viewport(this.lab.view(), canvas.width, canvas.height);
  }

  /** Redraws the heatmap (cached in its canvas), the contours, the axes and the markers. */
  redrawSurface({ critical = 'now' } = {}) {
    drawHeatmap($('heatmap'), this.lab, this.memory, HEATMAP_SIDE);
    this.contours = this.lab.contours(CONTOUR_GRID, CONTOUR_GRID, CONTOUR_LEVELS);
    this.levels = this.lab.contour_levels();
    if (this.inspection) this.taylor = this.lab.taylor_contours(this.inspection.x, this.inspection.y, TAYLOR_GRID, TAYLOR_GRID);
    this.drawAxes();
    if (critical === 'now') this.findCritical();
    else {
      clearTimeout(this.criticalTimer);
      this.criticalTimer = setTimeout(() => this.findCritical(), critical === 'later' ? 0 : 180);
    }
    this.drawStatic();
  }

  findCritical() {
    // The first build has no critical points: the whole one finds them (adoptWholeLab).
    if (!this.whole) return;
    try {
      const search = JSON.parse(this.lab.critical_points());
      this.critical = search.points;
    } catch {
      this.critical = [];
    }
    this.showCriticalList();
    this.drawStatic();
    document.body.dataset.critical = String(this.critical.length);
  }

  showCriticalList() {
    const list = $('critical-list');
    list.replaceChildren();
    const counts = {};
    for (const p of this.critical) counts[p.kind] = (counts[p.kind] ?? 0) + 1;
    $('critical-summary').textContent = this.critical.length === 0
      ? t('critical.none')
      : t('critical.summary', { n: this.critical.length });
    for (const p of this.critical.slice(0, 30)) {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'link-button';
      b.textContent = `${t(`kind.${p.kind}`)} ${formatPoint([p.x, p.y])}, f = ${formatLoss(p.f)}`;
      b.addEventListener('click', () => this.inspect(p.x, p.y, { snap: false }));
      li.append(b);
      list.append(li);
    }
    installKindsLegend($('kinds-legend'), counts);
  }

  drawAxes() {
    const [x0, x1, y0, y1] = this.lab.view();
    const place = (el, values, lo, hi, vertical) => {
      el.replaceChildren();
      for (const v of values) {
        const span = document.createElement('span');
        span.textContent = String(Number(v.toPrecision(4)));
        const f = (v - lo) / (hi - lo);
        if (vertical) span.style.top = `${(1 - f) * 100}%`;
        else span.style.left = `${f * 100}%`;
        el.append(span);
      }
    };
    place($('ticks-x'), ticks(x0, x1, 5), x0, x1, false);
    place($('ticks-y'), ticks(y0, y1, 5), y0, y1, true);
  }

  /** The layer that changes only with the surface, the view or the inspection. */
  drawStatic() {
    const canvas = $('contours');
    const dpr = fitToBox(canvas);
    const ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const viewport = this.viewport(canvas);
    const avoid = this.critical.map((p) => [p.x, p.y]);
    if (this.state.start) avoid.push(this.state.start);
    drawContours(ctx, this.contours, viewport, dpr, { levels: this.levels, avoid });
    drawCritical(ctx, this.critical, viewport, dpr);
    if (this.inspection) drawInspection(ctx, this.inspection, this.taylor, viewport, dpr);
  }

  layoutChanged() {
    fitToBox($('overlay'));
    this.drawStatic();
    this.projectRuns();
    this.drawCharts();
    this.drawFrame();
  }

  // ---- inspector ----------------------------------------------------------------------

  /** Inspects the surface at (x, y), snapping to a critical point within a few pixels. */
  inspect(x, y, { snap = true } = {}) {
    if (!this.whole) {
      this.whenWhole(() => this.inspect(x, y, { snap }));
      return;
    }
    if (snap) {
      const vp = this.viewport();
      const [px, py] = vp.toCanvas(x, y);
      const dpr = window.devicePixelRatio || 1;
      let best = null;
      for (const p of this.critical) {
        const [qx, qy] = vp.toCanvas(p.x, p.y);
        const d = Math.hypot(qx - px, qy - py);
        if (d < 14 * dpr && (!best || d < best.d)) best = { p, d };
      }
      if (best) [x, y] = [best.p.x, best.p.y];
    }
    try {
      this.inspection = JSON.parse(this.lab.inspect(x, y));
      this.taylor = this.lab.taylor_contours(x, y, TAYLOR_GRID, TAYLOR_GRID);
    } catch {
      return;
    }
    this.state.inspect = [x, y];
    this.inspector.render();
    this.drawStatic();
    this.saveState();
  }

  closeInspector() {
    this.inspection = null;
    this.state.inspect = null;
    this.inspector?.render();
  }

  /** Starts every run just off the inspected saddle, along its escape direction. */
  escape() {
    const i = this.inspection;
    if (!i?.escape_start) return;
    this.state.start = i.escape_start;
    this.setClickMode('start');
    this.rerun({ autoplay: true });
  }

  // ---- runs ---------------------------------------------------------------------------

  configFor(run) {
    const [name, variant] = run.opt.split('.');
    const optimizer = { name, ...(variant ? { variant } : {}), ...run.params };
    const config = {
      surface: this.state.surface,
      start: run.start ?? this.state.start,
      steps: this.state.steps,
      optimizer,
      schedule: run.sched ? { name: run.sched.name, ...run.sched.params } : null,
      bound: BOUND,
    };
    const noise = run.noise ?? this.state.noise;
    if (noise) config.noise = { batch_size: noise.batch, scale: noise.scale, seed: noise.seed };
    return config;
  }

  /** Re-simulates every run (in Rust) and restarts the animation. */
  rerun({ autoplay = true } = {}) {
    this.state.runs = this.state.runs.slice(0, MAX_RUNS);
    if (this.state.sel >= this.state.runs.length) this.state.sel = 0;
    this.runsJson = JSON.stringify(this.state.runs.map((r) => this.configFor(r)));
    const statuses = JSON.parse(this.lab.set_runs(this.runsJson));
    this.runs = statuses.map((status, i) => {
      const divergence = this.lab.run_divergence(i);
      return {
        error: status.ok ? null : status.error,
        x: this.lab.run_x(i),
        y: this.lab.run_y(i),
        loss: this.lab.run_loss(i),
        lr: this.lab.run_lr(i),
        grad: this.lab.run_grad_norm(i),
        divergence: divergence ? JSON.parse(divergence) : null,
      };
    });
    this.projectRuns();
    this.runsPanel.render();
    this.showRunStatus();
    this.announceDivergence();
    this.embed?.runsChanged();
    this.drawCharts();
    const max = this.lab.max_step();
    $('scrub').max = String(max);
    const linked = this.state.at;
    if (linked !== null && linked !== undefined) {
      this.state.at = null;
      this.lab.set_step(linked);
      this.pause();
    } else if (reducedMotion.matches || !autoplay) {
      this.lab.set_step(max);
      this.pause();
    } else {
      this.lab.set_step(0);
      this.play();
    }
    this.drawFrame();
    this.view3d.schedule();
    this.saveState();
  }

  /** Canvas pixels of every run's points (recomputed when the runs, view or size change). */
  projectRuns() {
    const overlay = $('overlay');
    fitToBox(overlay);
    const vp = this.viewport(overlay);
    for (const run of this.runs) {
      const n = run.x.length;
      const px = new Float32Array(2 * n);
      for (let k = 0; k < n; k++) {
        const [a, b] = vp.toCanvas(run.x[k], run.y[k]);
        px[2 * k] = a;
        px[2 * k + 1] = b;
      }
      run.px = px;
    }
  }

  /** The selected run's numbers on the overlay (tests read these) and in the readout. */
  showRunStatus() {
    const i = this.state.sel;
    const run = this.runs[i];
    const overlay = $('overlay');
    $('start').textContent = formatPoint(this.state.start);
    this.phase?.runChanged();
    if (!run) return;
    const last = run.x.length - 1;
    overlay.dataset.points = String(run.x.length);
    overlay.dataset.lr = String(this.state.runs[i]?.params.lr ?? '');
    overlay.dataset.endX = last >= 0 ? String(run.x[last]) : '';
    overlay.dataset.endY = last >= 0 ? String(run.y[last]) : '';
    $('end').textContent = last >= 0 ? formatPoint([run.x[last], run.y[last]]) : '—';
    $('loss').textContent = last >= 0 ? formatLoss(run.loss[last]) : '—';
    $('status').textContent = this.statusText(run);
  }

  /** "diverged at step k: lr = … > 2/λmax = …", "1000 steps" or the run's error. */
  statusText(run) {
    if (run.error) return t('run.invalid');
    const d = run.divergence;
    if (!d) return t('run.steps', { n: run.x.length - 1 });
    let reason;
    if (d.stable_lr_bound !== null && d.lr !== null && d.lr > d.stable_lr_bound) {
      reason = t('diverge.lr', { lr: formatRate(d.lr), bound: formatRate(d.stable_lr_bound) });
    } else if (d.cause === 'left_bound') {
      reason = t('diverge.bound');
    } else {
      reason = t('diverge.nonFinite');
    }
    return t('run.diverged', { step: d.step, reason });
  }

  announceDivergence() {
    const now = new Set();
    const lines = [];
    this.runs.forEach((run, i) => {
      if (!run.divergence) return;
      const key = `${i}:${run.divergence.step}`;
      now.add(key);
      if (!this.announced.has(key)) lines.push(`${t('run.name', { n: i + 1 })}: ${this.statusText(run)}`);
    });
    this.announced = now;
    if (lines.length) $('run-announce').textContent = lines.join('. ');
  }

  chartColors() {
    return chartColors();
  }

  drawCharts() {
    const maxStep = Math.max(1, this.lab.max_step());
    const colors = this.chartColors();
    const opts = { maxStep, ticks, logTicks, colors };
    const series = (key) => this.runs.map((r, index) => ({ values: r[key], index }));
    // Kept for the charts' PNG export (chart-png.js), which draws them again at 2x.
    this.chartData = {
      'chart-loss': [series('loss'), { ...opts, log: true }],
      'chart-lr': [series('lr'), opts],
      'chart-grad': [series('grad'), { ...opts, log: true }],
    };
    // Until the first picture is on screen, the charts wait when they may lie below the fold
    // (`drawDeferred`): drawing them then, cold, is about a tenth of the first frame.
    if (this.chartsWait) {
      this.chartsPending = true;
      return;
    }
    for (const [id, [data, options]] of Object.entries(this.chartData)) drawChart($(id), data, options);
  }

  /**
   * At the end of `start`, and again once the first frame is on screen: the charts wait for
   * the second call only while they lie wholly below the window (a 1280×800 window shows the
   * surface, not the charts under it); otherwise they are drawn now, in the first frame.
   */
  drawDeferred({ firstFrameShown = false } = {}) {
    if (!this.chartsPending) {
      this.chartsWait = false;
      return;
    }
    if (!firstFrameShown && $('chart-loss').getBoundingClientRect().top < window.innerHeight) firstFrameShown = true;
    if (!firstFrameShown) return;
    this.chartsWait = false;
    this.chartsPending = false;
    this.drawCharts();
  }

  // ---- animation ----------------------------------------------------------------------

  play() {
    if (this.lab.step() >= this.lab.max_step()) this.lab.set_step(0);
    this.playing = true;
    this.updatePlayButton();
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.tick());
  }

  pause() {
    this.playing = false;
    cancelAnimationFrame(this.frame);
    this.updatePlayButton();
  }

  updatePlayButton() {
    $('play').textContent = this.playing ? t('play.pause') : t('play.play');
    $('play').setAttribute('aria-pressed', String(this.playing));
  }

  speed() {
    const v = $('speed').value;
    if (v === 'auto') return Math.max(1, Math.ceil(this.lab.max_step() / ANIMATION_FRAMES));
    return Number(v);
  }

  tick() {
    if (!this.playing) return;
    const t0 = performance.now();
    const step = this.lab.advance(this.speed());
    this.drawFrame();
    if (this.frameTimes) this.frameTimes.push(performance.now() - t0);
    if (step >= this.lab.max_step() && !this.loopForever) {
      this.pause();
      this.saveState();
      return;
    }
    if (step >= this.lab.max_step()) this.lab.set_step(0);
    this.frame = requestAnimationFrame(() => this.tick());
  }

  /** One frame: the runs up to the current step, the chart cursors, the anatomy. */
  drawFrame() {
    const overlay = $('overlay');
    const ctx = overlay.getContext('2d');
    ctx.clearRect(0, 0, overlay.width, overlay.height);
    const dpr = window.devicePixelRatio || 1;
    const step = this.lab.step();
    drawRuns(ctx, this.runs, step, (run) => run.px ?? [], dpr, this.state.sel);
    if (this.state.start) {
      const [sx, sy] = this.viewport(overlay).toCanvas(...this.state.start);
      drawStart(ctx, sx, sy, dpr);
    }
    this.upto = step;
    const maxStep = Math.max(1, this.lab.max_step());
    for (const id of ['chart-loss', 'chart-lr', 'chart-grad']) moveCursor($(id), step, maxStep);
    $('scrub').value = String(step);
    $('step-value').textContent = `${step} / ${this.lab.max_step()}`;
    if (this.state.mode !== '2d') this.view3d.drawRuns();
    this.anatomy.render();
    this.embed?.stepped(step);
  }

  /**
   * Writes the state into the URL: at once when the last write is a while ago, else once the
   * burst ends (browsers throttle `history.replaceState` called on every frame of a drag).
   */
  saveState({ now = false } = {}) {
    const since = performance.now() - (this.lastSave ?? -1e9);
    clearTimeout(this.saveTimer);
    if (now || since > 250) {
      this.lastSave = performance.now();
      this.writeState();
    } else {
      this.saveTimer = setTimeout(() => this.saveState({ now: true }), 250 - since);
    }
  }

  /** Writes the state (with the step when paused mid-run) into the URL. */
  writeState() {
    const step = this.lab.step();
    const paused = !this.playing && step < this.lab.max_step();
    const at = this.state.at;
    if (paused) this.state.at = step;
    writeHash(this.state);
    this.state.at = at;
    markGood();
  }

  // ---- benchmark hooks (cargo xtask bench) ----------------------------------------------

  /** Plays `frames` frames with the runs looping and returns each frame's main-thread ms. */
  async measureFrames(frames) {
    this.frameTimes = [];
    this.loopForever = true;
    $('speed').value = '5';
    this.play();
    await new Promise((resolve) => {
      const check = () => (this.frameTimes.length >= frames ? resolve() : setTimeout(check, 50));
      check();
    });
    this.pause();
    this.loopForever = false;
    const times = this.frameTimes;
    this.frameTimes = null;
    return times;
  }
}

async function main() {
  installErrorBanner();
  // The strings and the scenes load while the wasm compiles.
  const lang = /(?:^#|&)lang=([\w-]+)/.exec(location.hash)?.[1];
  const [wasm, , scenes] = await Promise.all([init(), setLanguage(pickLanguage(lang)), loadScenes()]);
  const app = new App(wasm.memory, scenes);
  app.restart = restarted();
  window.optiscape = app;
  await app.start();
  // The first complete picture is on screen once the browser paints this frame; the rest of the
  // page loads after it, and the page is ready when that is in place too.
  await new Promise((resolve) => requestAnimationFrame(resolve));
  performance.mark('optiscape-first-frame');
  app.drawDeferred({ firstFrameShown: true });
  await app.installLater();
  document.body.dataset.ready = 'true';
  markGood();
  registerOffline();
}

main().catch(showError);
