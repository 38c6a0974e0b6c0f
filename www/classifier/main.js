// The classifier page: the controls, the URL state and the drawing. Training runs in a module
// worker (worker.js) over the same wasm; this thread only checks settings with the core, sends
// them to the worker and draws what comes back, once per animation frame.

import init, { classifier_catalog as catalogJson, classifier_check as checkConfig, classifier_link_check as linkCheck, log_ticks, provide_digits as provideDigits, schedule_start as scheduleStart, ticks } from '../pkg/optiscape.js';
import { fullWasmUrl } from '../common/wasm-build.js';
import { loadDigits } from './digits.js';
import { chartColors, drawEpochChart as drawChart, useTicks } from '../common/charts.js';
import { Curvature } from './curvature.js';
import { formatCount, formatLoss, formatNumber, formatPercent, formatSeconds } from '../common/format.js';
import { language, pickLanguage, setLanguage, switchLanguage, t, translate, useCatalogs } from '../common/i18n.js';
import { buildParams } from './params.js';
import { installErrorBanner, showError } from '../common/banner.js';
import { isTrap, markGood, restarted } from '../common/recovery.js';
import { copyText, installPhoneStrip, linkTabs } from '../common/controls.js';
import { errorFromData, errorText } from '../common/errors.js';
import { gpuOptimizers, lrCarriesOver, optimizerLabel, optimizerSpec } from '../common/optimizers.js';
import { BOUNDARY_SIDE, TRAINER_OUT } from '../common/protocol.js';
import { drawBoundary, drawConfusion, drawDigits, imageCanvas } from './pictures.js';
import { defaults, FULL_BATCH, optimizerKey, readHash, readSizes, trainConfig, writeHash } from './state.js';
import { drawSweepChart, fillTable } from './sweep.js';
import { badgeText, drawTimeChart, gpuColumnName, showBackend } from './backend_view.js';
import { SceneCard, sceneHash } from './scene.js';
import { loadScenes } from '../scene-data.js';
import { installEmbedApi } from './embed.js';
import { addEpoch, emptyHistory } from './history.js';
import { registerOffline } from '../common/offline.js';

const $ = (id) => document.getElementById(id);
useCatalogs(new URL('./i18n/', import.meta.url));

const DIGITS_COLS = 12;
/** Batch sizes the slider offers below the full batch (a log-like scale). */
const BATCH_STEPS = [1, 2, 4, 5, 8, 10, 16, 20, 25, 32, 50, 64, 100, 128, 200, 256, 500, 512, 1000, 1024, 2000];
const darkScheme = matchMedia('(prefers-color-scheme: dark)');
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');

// ---- error banner and notices ---------------------------------------------------------------

function installBanners() {
  installErrorBanner();
  $('notice-close').addEventListener('click', () => {
    $('notice').hidden = true;
  });
}

class App {
  constructor(catalog, state) {
    this.catalog = catalog;
    this.state = state;
    this.history = emptyHistory();
    this.info = null;
    this.check = null;
    this.points = null;
    this.boundary = null; // canvas with the latest boundary image
    this.sheet = null;
    this.predictions = null;
    this.confusion = null;
    this.playing = false;
    this.stepsDone = 0;
    this.lastBatchLoss = null;
    this.status = { key: null, vars: {}, bad: false };
    this.job = null; // 'sweep' | 'compare' while an experiment runs
    this.sweep = { rows: [], current: undefined, sizes: state.sizes, progress: 0 };
    this.compare = { ce: emptyHistory(), mse: emptyHistory(), images: {}, epochs: 0, total: 0, stopped: null };
    this.frames = 0;
    this.dirty = new Set(['charts', 'picture', 'sweep', 'compare']);
    this.ready = false;
    this.palette = catalog.class_colors;
  }

  // ---- start-up ---------------------------------------------------------------------------

  start() {
    this.applyTheme();
    this.fillPickers();
    this.bindControls();
    this.syncControls();
    // On a phone the learning rate sits under the play bar, beside the picture it changes.
    installPhoneStrip($('phone-strip'), $('opt-params'), '[id^="param-lr-"]');
    translate();
    this.refreshText();
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e) => this.onWorker(e.data);
    this.worker.onerror = (e) => showError(e.message ?? 'the training worker failed');
    this.curvature = new Curvature(this);
    this.post({ type: 'speed', epochsPerSecond: this.rate() });
    this.post({ type: 'motion', reduced: reducedMotion.matches });
    this.apply();
    const loop = () => {
      this.frames += 1;
      this.draw();
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
    new ResizeObserver(() => this.dirty.add('all')).observe($('views'));
  }

  /** Sends the training worker one message of the protocol. */
  post(/** @type {import('../common/protocol.js').TrainerMessage} */ msg) {
    this.worker.postMessage(msg);
  }

  rate() {
    return this.state.speed === 'max' ? null : Number(this.state.speed);
  }

  dark() {
    return this.state.theme === 'dark' || (this.state.theme === 'auto' && darkScheme.matches);
  }

  applyTheme() {
    document.documentElement.dataset.theme = this.state.theme;
  }

  fillPickers() {
    // The data sets, activations and losses the core's enums list, named by the catalogs.
    const named = (id, names, prefix) => $(id).replaceChildren(...names.map((name) => {
      const option = new Option(t(`${prefix}.${name}`), name);
      option.dataset.i18n = `${prefix}.${name}`;
      return option;
    }));
    named('dataset', this.catalog.datasets, 'data');
    named('activation', this.catalog.activations, 'net.act');
    named('loss', this.catalog.losses, 'net.loss');
    const opt = $('optimizer');
    for (const spec of this.catalog.optimizers) {
      opt.add(new Option(optimizerLabel(this.catalog.optimizers, optimizerKey(spec)), optimizerKey(spec)));
    }
    const sched = $('schedule');
    sched.add(new Option('—', 'none'));
    for (const spec of this.catalog.schedules) {
      if (spec.name !== 'sequential') sched.add(new Option(spec.name, spec.name));
    }
    $('digits-credit').textContent = this.catalog.digits_credit;
  }

  /** Puts the state into every control (after start-up or a language change). */
  syncControls() {
    const s = this.state;
    $('dataset').value = s.data;
    $('classes').value = String(s.classes);
    const points = $('points');
    if (![...points.options].some((o) => Number(o.value) === s.n)) {
      const after = [...points.options].find((o) => Number(o.value) > s.n);
      points.add(new Option(String(s.n), String(s.n)), after ?? null);
    }
    points.value = String(s.n);
    $('noise').value = String(s.noise);
    $('ratio').value = String(s.ratio);
    $('data-seed').value = String(s.dseed);
    $('activation').value = s.act;
    $('loss').value = s.loss;
    $('batchnorm').checked = s.bn;
    $('force-cpu').checked = s.forceCpu;
    $('normalize').checked = s.norm;
    $('shuffle').checked = s.shuffle;
    $('optimizer').value = s.opt.key;
    $('schedule').value = s.sched ? s.sched.name : 'none';
    $('seed').value = String(s.seed);
    $('speed').value = s.speed;
    $('lang').value = language();
    $('theme').value = s.theme;
    $('sweep-sizes').value = s.sizes.join(', ');
    $('sweep-epochs').value = String(s.sweepEpochs);
    $('compare-epochs').value = String(s.compareEpochs);
    this.buildWidths();
    this.buildOptimizer();
    this.buildSchedule();
  }

  buildWidths() {
    const box = $('widths');
    box.replaceChildren();
    this.state.hidden.forEach((w, i) => {
      const label = document.createElement('label');
      const input = document.createElement('input');
      input.type = 'number';
      input.min = '1';
      input.max = String(this.catalog.limits.max_width);
      input.step = '1';
      input.value = String(w);
      input.id = `width-${i}`;
      label.append(document.createTextNode(t('net.layer', { k: i + 1 })), input);
      input.addEventListener('change', () => {
        const v = Number(input.value);
        const ok = Number.isInteger(v) && v >= 1 && v <= this.catalog.limits.max_width;
        input.setAttribute('aria-invalid', String(!ok));
        if (!ok) return;
        this.state.hidden[i] = v;
        this.apply();
      });
      box.append(label);
    });
    $('layers-value').textContent = String(this.state.hidden.length);
    $('layer-remove').disabled = this.state.hidden.length === 0;
    $('layer-add').disabled = this.state.hidden.length >= this.catalog.limits.max_hidden_layers;
  }

  optimizerSpec() {
    return optimizerSpec(this.catalog.optimizers, this.state.opt.key);
  }

  /** For the backend badge: the run's optimizer and the optimizers the GPU runs, as people write them. */
  backendNames() {
    const specs = this.catalog.optimizers;
    return { optimizer: optimizerLabel(specs, this.state.opt.key), ported: gpuOptimizers(specs) };
  }

  buildOptimizer() {
    buildParams($('opt-params'), this.optimizerSpec(), this.state.opt.params, (name, value) => {
      this.state.opt.params[name] = value;
      this.apply();
    });
  }

  /** The core's starting values of schedule `sched`, for a run of about 100 epochs. */
  scheduleStart(sched) {
    const steps = (this.check?.steps_per_epoch ?? 25) * 100;
    return JSON.parse(scheduleStart(sched, steps, this.state.opt.params.lr ?? 0.01));
  }

  buildSchedule() {
    const box = $('schedule-params');
    const sched = this.state.sched;
    if (!sched) {
      box.replaceChildren();
      return;
    }
    const spec = this.catalog.schedules.find((s) => s.name === sched.name);
    buildParams(box, spec, sched.params, (name, value) => {
      sched.params[name] = value;
      this.apply();
    }, (name) => this.scheduleStart(sched.name)[name]);
    $('schedule-box').open = true;
  }

  // ---- controls ---------------------------------------------------------------------------

  bindControls() {
    const s = this.state;
    const on = (id, event, fn) => $(id).addEventListener(event, fn);
    on('dataset', 'change', (e) => {
      s.data = e.target.value;
      if (s.data === 'digits' && s.hidden.length > 0 && s.hidden.every((w) => w <= 8)) {
        s.hidden = [32];
        this.buildWidths();
      }
      this.apply();
    });
    on('classes', 'change', (e) => { s.classes = Number(e.target.value); this.apply(); });
    on('points', 'change', (e) => { s.n = Number(e.target.value); this.apply(); });
    on('noise', 'input', (e) => { s.noise = Number(e.target.value); this.refreshText(); this.apply(); });
    on('ratio', 'input', (e) => { s.ratio = Number(e.target.value); this.refreshText(); this.apply(); });
    on('data-seed', 'change', (e) => this.seedField(e.target, 'dseed'));
    on('seed', 'change', (e) => this.seedField(e.target, 'seed'));
    on('layer-add', 'click', () => {
      if (s.hidden.length >= this.catalog.limits.max_hidden_layers) return;
      s.hidden.push(s.hidden.at(-1) ?? 8);
      this.buildWidths();
      this.apply();
    });
    on('layer-remove', 'click', () => {
      s.hidden.pop();
      this.buildWidths();
      this.apply();
    });
    on('activation', 'change', (e) => { s.act = e.target.value; this.apply(); });
    on('loss', 'change', (e) => { s.loss = e.target.value; this.apply(); });
    on('batchnorm', 'change', (e) => { s.bn = e.target.checked; this.apply(); });
    on('normalize', 'change', (e) => { s.norm = e.target.checked; this.apply(); });
    on('shuffle', 'change', (e) => { s.shuffle = e.target.checked; this.apply(); });
    on('batch', 'input', (e) => {
      s.batch = this.batchSizes[Number(e.target.value)] ?? s.batch;
      this.showBatch();
      this.apply();
    });
    on('bn-fix', 'click', () => {
      if (this.check?.bn_batch_size) s.batch = this.check.bn_batch_size;
      this.apply();
      $('batch').focus();
    });
    on('bn-off', 'click', () => {
      s.bn = false;
      $('batchnorm').checked = false;
      this.apply();
      $('batchnorm').focus();
    });
    on('optimizer', 'change', (e) => {
      const old = s.opt;
      const spec = optimizerSpec(this.catalog.optimizers, e.target.value);
      const keepLr = old.params.lr !== undefined && lrCarriesOver(optimizerSpec(this.catalog.optimizers, old.key), spec);
      s.opt = { key: e.target.value, params: keepLr ? { lr: old.params.lr } : {} };
      if (s.opt.params.lr === undefined) {
        const lr = spec.params.find((p) => p.name === 'lr');
        if (lr) s.opt.params.lr = lr.default;
      }
      this.buildOptimizer();
      this.apply();
    });
    on('schedule', 'change', (e) => {
      const name = e.target.value;
      if (name === 'none') s.sched = null;
      else {
        const spec = this.catalog.schedules.find((x) => x.name === name);
        const start = this.scheduleStart(name);
        const params = {};
        for (const p of spec.params) if (p.default === null && start[p.name] !== undefined) params[p.name] = start[p.name];
        s.sched = { name, params };
      }
      this.buildSchedule();
      this.apply();
    });
    on('speed', 'change', (e) => {
      s.speed = e.target.value;
      this.post({ type: 'speed', epochsPerSecond: this.rate() });
      writeHash(s);
    });
    on('play', 'click', () => this.togglePlay());
    on('step-once', 'click', () => this.post({ type: 'step' }));
    on('force-cpu', 'change', (e) => {
      s.forceCpu = e.target.checked;
      writeHash(s);
      this.post({ type: 'backend', forceCpu: s.forceCpu });
    });
    on('epoch-once', 'click', () => this.post({ type: 'epoch' }));
    on('reset', 'click', () => {
      this.clearRun();
      this.post({ type: 'reset' });
    });
    on('lang', 'change', (e) => this.setLang(e.target.value).catch(showError));
    on('theme', 'change', (e) => {
      s.theme = e.target.value;
      this.themeChanged();
    });
    darkScheme.addEventListener('change', () => this.themeChanged());
    reducedMotion.addEventListener('change', () => this.post({ type: 'motion', reduced: reducedMotion.matches }));
    on('copy-link', 'click', () => this.copyLink());
    on('sweep-run', 'click', () => this.runSweep());
    on('sweep-cancel', 'click', () => this.post({ type: 'cancel' }));
    on('compare-run', 'click', () => this.runCompare());
    on('compare-cancel', 'click', () => this.post({ type: 'cancel' }));
    on('sweep-sizes', 'change', (e) => {
      const sizes = readSizes(e.target.value);
      e.target.setAttribute('aria-invalid', String(!sizes));
      if (sizes) {
        s.sizes = sizes;
        writeHash(s);
      }
    });
    on('sweep-epochs', 'change', (e) => this.intField(e.target, 'sweepEpochs', 1000));
    on('compare-epochs', 'change', (e) => this.intField(e.target, 'compareEpochs', 2000));
    document.addEventListener('keydown', (e) => {
      const typing = e.target.closest?.('input, select, textarea, button, a, summary, [contenteditable]');
      if (e.key === ' ' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        this.togglePlay();
      }
    });
    window.addEventListener('hashchange', () => location.reload());
  }

  seedField(input, key) {
    const v = Number(input.value);
    const ok = Number.isInteger(v) && v >= 0 && v <= 4294967295;
    input.setAttribute('aria-invalid', String(!ok));
    if (!ok) return;
    this.state[key] = v;
    this.apply();
  }

  intField(input, key, max) {
    const v = Number(input.value);
    const ok = Number.isInteger(v) && v >= 1 && v <= max;
    input.setAttribute('aria-invalid', String(!ok));
    if (!ok) return;
    this.state[key] = v;
    writeHash(this.state);
  }

  togglePlay() {
    if (this.job || $('play').disabled) return;
    this.post({ type: this.playing ? 'pause' : 'play' });
  }

  themeChanged() {
    this.applyTheme();
    this.post({ type: 'shade', dark: this.dark() });
    this.dirty.add('all');
    this.updateTabs();
    writeHash(this.state);
  }

  async setLang(lang) {
    await switchLanguage(lang);
    this.state.lang = lang;
    this.buildWidths();
    this.buildOptimizer();
    this.buildSchedule();
    this.refreshText();
    this.dirty.add('all');
    writeHash(this.state);
  }

  async copyLink() {
    writeHash(this.state);
    $('link-status').textContent = t((await copyText(location.href)) ? 'link.copied' : 'link.failed');
  }

  updateTabs() {
    linkTabs({ 'tab-surfaces': 'index.html', 'tab-lecture': 'scenes.html' }, { lang: language(), theme: this.state.theme });
  }

  // ---- the settings into a run ----------------------------------------------------------------

  /** Checks the settings with the core and (re)builds the run in the worker. */
  apply() {
    const s = this.state;
    const config = trainConfig(s);
    writeHash(s);
    this.clearRun();
    $('config-error').hidden = true;
    let check;
    try {
      check = JSON.parse(checkConfig(JSON.stringify(config), BOUNDARY_SIDE));
    } catch (e) {
      this.check = null;
      this.showConfigError(errorText(e, t));
      this.post({ type: 'pause' });
      this.refreshText();
      this.markReady();
      return;
    }
    this.check = check;
    this.painting = null;
    this.setupBatchSlider();
    this.refreshText();
    if (check.bn_single_row) {
      // Nothing trains until the batch size suits batch norm; the picture still shows the data
      // and the untrained network (built with the batch size the explanation proposes).
      this.post({ type: 'pause' });
      this.enableRun(false);
      if (check.bn_batch_size) this.post({ type: 'build', config: { ...config, batch_size: check.bn_batch_size }, dark: this.dark(), forceCpu: this.state.forceCpu });
      else this.markReady();
      return;
    }
    this.enableRun(true);
    this.post({ type: 'build', config, dark: this.dark(), forceCpu: this.state.forceCpu });
  }

  showConfigError(message) {
    $('config-error').textContent = t('config.error', { message });
    $('config-error').hidden = false;
    this.enableRun(false);
  }

  enableRun(ok) {
    this.runnable = ok;
    for (const id of ['play', 'step-once', 'epoch-once', 'reset', 'compare-run']) $(id).disabled = !ok || this.job !== null;
    $('sweep-run').disabled = this.job !== null || !this.check;
  }

  clearRun() {
    this.history = emptyHistory();
    this.stepsDone = 0;
    this.lastBatchLoss = null;
    this.setStatus(null);
    this.dirty.add('charts');
    this.showStats();
  }

  setupBatchSlider() {
    const n = this.check.n_train;
    const sizes = BATCH_STEPS.filter((b) => b < n);
    const b = this.state.batch;
    if (typeof b === 'number' && b < n && !sizes.includes(b)) {
      sizes.push(b);
      sizes.sort((x, y) => x - y);
    }
    sizes.push('full');
    this.batchSizes = sizes;
    const slider = $('batch');
    slider.max = String(sizes.length - 1);
    const at = b === 'full' || b >= n ? sizes.length - 1 : sizes.indexOf(b);
    slider.value = String(Math.max(0, at));
    this.showBatch();
  }

  showBatch() {
    const n = this.check?.n_train;
    const b = this.state.batch;
    const text = b === 'full' || (n && b >= n) ? t('train.full', { n: n ?? '' }) : String(b);
    $('batch-value').textContent = text;
    $('batch').setAttribute('aria-valuetext', text);
  }

  /** Every text that depends on the settings, the language or the check. */
  /**
   * Above what a link may open, a network built with the page's own controls is allowed, and
   * the page says what it costs (the core's count: one epoch and the first picture).
   */
  showWork() {
    const w = this.check?.work;
    $('work-warning').hidden = !w?.over_link;
    if (w?.over_link) $('work-warning').textContent = t('work.heavy', { amount: formatNumber(w.first_look, { digits: 3 }), limit: formatNumber(w.link_limit, { digits: 3 }) });
  }

  /** While the worker paints a large network's boundary: how far; after, when it is coarse. */
  showBoundaryStatus() {
    const p = this.painting;
    const side = p?.side ?? this.boundarySide ?? BOUNDARY_SIDE;
    const el = $('boundary-status');
    const params = formatCount(p?.params ?? this.info?.n_params ?? 0, language());
    el.hidden = !p && side >= BOUNDARY_SIDE;
    if (p) el.textContent = t('boundary.painting', { params, side, pct: formatPercent(p.progress) });
    else if (!el.hidden) el.textContent = t('boundary.coarse', { params, side });
  }

  refreshText() {
    this.showWork();
    this.showBoundaryStatus();
    const s = this.state;
    const digits = s.data === 'digits';
    $('noise-value').textContent = String(s.noise);
    $('ratio-value').textContent = `${Math.round(s.ratio * 100)}%`;
    $('plane-options').hidden = digits;
    $('noise-field').hidden = digits;
    $('ratio').disabled = digits;
    $('data-seed').disabled = digits;
    $('boundary-view').hidden = digits;
    $('digits-view').hidden = !digits;
    for (const v of document.querySelectorAll('.compare-view')) v.hidden = digits;
    const c = this.check;
    const lang = language();
    $('split-text').textContent = c
      ? t(digits ? 'data.splitDigits' : 'data.split', { train: formatCount(c.n_train, lang), test: formatCount(c.n_test, lang) })
      : '';
    const bn = c?.bn_single_row;
    $('bn-help').hidden = !bn;
    if (bn) {
      $('bn-text').textContent = t('bn.explain', { n: formatCount(c.n_train, lang), b: c.batch_size });
      $('bn-fix').hidden = !c.bn_batch_size;
      $('bn-fix').textContent = t('bn.fix', { b: c.bn_batch_size ?? '' });
    }
    this.showBatch();
    this.showNet();
    this.showStats();
    this.showStatus();
    this.updateTabs();
    $('play').textContent = t(this.playing ? 'play.pause' : 'play.play');
    this.dirty.add('sweep');
    this.dirty.add('compare');
  }

  showNet() {
    const i = this.info;
    const c = this.check;
    if (!c) {
      $('net-summary').textContent = '';
      return;
    }
    const shape = [c.features, ...this.state.hidden, c.classes].join(' → ');
    $('net-summary').textContent = i && i.features === c.features && i.classes === c.classes
      ? t('net.summary', { shape, params: formatCount(i.n_params, language()) })
      : shape;
  }

  showStats() {
    const h = this.history;
    const e = h.epochs;
    const last = h.last;
    const lang = language();
    $('epoch-value').textContent = formatCount(e, lang);
    $('updates-value').textContent = formatCount(this.stepsDone, lang);
    $('train-loss').textContent = e ? formatLoss(last.trainLoss) : '—';
    $('test-loss').textContent = e ? formatLoss(last.testLoss) : '—';
    $('train-acc').textContent = e ? formatPercent(last.trainAcc) : '—';
    $('test-acc').textContent = e ? formatPercent(last.testAcc) : '—';
    $('time-update').textContent = e ? formatSeconds(last.perUpdate) : '—';
    $('time-epoch').textContent = e ? formatSeconds(last.perEpoch) : '—';
  }

  setStatus(key, vars = {}, bad = false) {
    this.status = { key, vars, bad };
    this.showStatus();
  }

  showStatus() {
    const el = $('run-status');
    const { key, vars, bad } = this.status;
    if (key) el.textContent = t(key, vars);
    else if (this.stepsDone > 0 && this.lastBatchLoss !== null) {
      el.textContent = t('status.batch', { step: formatCount(this.stepsDone, language()), loss: formatLoss(this.lastBatchLoss) });
    } else el.textContent = this.check?.bn_single_row ? t('status.bn') : t('status.idle');
    el.classList.toggle('bad', bad);
  }

  markReady() {
    markGood();
    if (this.ready) return;
    this.ready = true;
    document.body.dataset.ready = 'true';
    registerOffline();
    this.embed?.ready();
  }

  // ---- what the worker says -------------------------------------------------------------------

  onWorker(/** @type {import('../common/protocol.js').TrainerReply} */ msg) {
    if (!TRAINER_OUT.includes(msg?.type)) return;
    // A panic trapped the worker's wasm instance: the page restarts (common/recovery.js).
    if (msg.error && isTrap(msg.error)) {
      showError(errorFromData(msg.error));
      return;
    }
    switch (msg.type) {
      case 'ready': {
        this.info = msg.info;
        this.points = msg;
        if (msg.sheet) this.sheet = { ...msg.sheet, canvas: imageCanvas(msg.sheet.pixels, msg.sheet.width, msg.sheet.height) };
        this.predictions = null;
        this.confusion = null;
        this.showNet();
        this.curvature.onReady();
        this.dirty.add('picture');
        break;
      }
      case 'sheet':
        this.sheet = { ...msg.sheet, canvas: imageCanvas(msg.sheet.pixels, msg.sheet.width, msg.sheet.height, this.sheet?.canvas) };
        this.dirty.add('picture');
        break;
      case 'boundary-progress':
        this.painting = msg;
        this.showBoundaryStatus();
        break;
      case 'boundary':
        this.painting = null;
        this.boundarySide = msg.side;
        this.showBoundaryStatus();
        this.boundary = imageCanvas(msg.pixels, msg.side, msg.side, this.boundary);
        this.dirty.add('picture');
        this.markReady();
        break;
      case 'digits':
        this.predictions = msg.predictions;
        this.confusion = msg.confusion;
        this.dirty.add('picture');
        this.markReady();
        break;
      case 'progress':
        this.progress(msg.report);
        this.embed?.stepped();
        break;
      case 'backend':
        this.backend = msg;
        showBackend(msg, this.backendNames());
        this.dirty.add('sweep');
        break;
      case 'state':
        this.playing = msg.playing;
        $('play').textContent = t(this.playing ? 'play.pause' : 'play.play');
        $('play').setAttribute('aria-pressed', String(this.playing));
        if (this.playing && this.status.key === 'status.paused') this.setStatus(null);
        if (!this.playing) this.embed?.stepped(true);
        break;
      case 'stopped':
        this.embed?.stopped(msg);
        if (msg.reason === 'diverged') this.setStatus('status.diverged', {}, true);
        else this.setStatus('status.error', { message: errorText(msg.error ?? msg, t) }, true);
        break;
      case 'config-error':
        this.showConfigError(errorText(msg.error ?? msg, t));
        this.markReady();
        break;
      case 'sweep-progress':
      case 'sweep-done':
      case 'sweep-cancelled':
      case 'sweep-error':
        this.onSweep(msg);
        break;
      case 'compare-progress':
      case 'compare-boundary':
      case 'compare-done':
      case 'compare-cancelled':
      case 'compare-error':
        this.onCompare(msg);
        break;
      case 'error':
        // A trap (a panic in the worker's wasm) restarts the page (common/recovery.js).
        showError(msg.error ? errorFromData(msg.error) : new Error(msg.message));
        break;
      default:
        if (msg.type.startsWith('curv-')) this.curvature.onWorker(msg);
        break;
    }
  }

  progress(r) {
    this.stepsDone = r.steps_done;
    if (r.loss !== null) this.lastBatchLoss = r.loss;
    const h = this.history;
    for (const e of r.epochs) {
      addEpoch(h, {
        trainLoss: e.train.loss ?? NaN,
        testLoss: e.test ? e.test.loss ?? NaN : null,
        trainAcc: e.train.accuracy,
        testAcc: e.test ? e.test.accuracy : null,
        perUpdate: e.recent_seconds_per_update,
        perEpoch: e.recent_seconds_per_epoch,
        noise: e.grad_noise,
      });
    }
    if (r.epochs.length) this.dirty.add('charts');
    this.dirty.add('stats');
  }

  // ---- the experiments --------------------------------------------------------------------

  setJob(job) {
    this.job = job;
    $('sweep-cancel').hidden = job !== 'sweep';
    $('compare-cancel').hidden = job !== 'compare';
    $('sweep-run').disabled = job !== null;
    $('compare-run').disabled = job !== null || !this.runnable;
    for (const id of ['play', 'step-once', 'epoch-once', 'reset']) $(id).disabled = job !== null || !this.runnable;
    for (const id of ['sweep-sizes', 'sweep-epochs', 'compare-epochs']) $(id).disabled = job !== null;
    this.curvature?.enable();
  }

  runSweep() {
    const sizes = readSizes($('sweep-sizes').value);
    const err = $('sweep-error');
    if (!sizes) {
      err.textContent = t('sweep.badSizes');
      err.hidden = false;
      $('sweep-sizes').setAttribute('aria-invalid', 'true');
      return;
    }
    err.hidden = true;
    this.state.sizes = sizes;
    writeHash(this.state);
    const config = {
      base: trainConfig(this.state),
      batch_sizes: sizes.map((b) => (b === 'full' ? FULL_BATCH : b)),
      epochs: this.state.sweepEpochs,
    };
    this.sweep = { rows: [], current: null, sizes, progress: 0 };
    $('sweep-progress-row').hidden = false;
    $('sweep-progress').value = 0;
    this.setJob('sweep');
    this.post({ type: 'sweep', config });
    this.dirty.add('sweep');
  }

  onSweep(msg) {
    const sw = this.sweep;
    if (msg.gpu !== undefined) sw.gpu = msg.gpu;
    if (msg.type === 'sweep-progress') {
      sw.rows = msg.rows;
      sw.current = msg.current;
      sw.progress = msg.progress;
    } else if (msg.type === 'sweep-done') {
      sw.rows = msg.rows;
      sw.current = undefined;
      sw.progress = 1;
      $('sweep-progress-row').hidden = true;
      $('sweep-section').dataset.done = 'true';
      this.setJob(null);
    } else {
      sw.current = undefined;
      $('sweep-progress-row').hidden = true;
      this.setJob(null);
      if (msg.type === 'sweep-error') {
        $('sweep-error').textContent = t('config.error', { message: errorText(msg.error ?? msg, t) });
        $('sweep-error').hidden = false;
      }
      if (msg.type === 'sweep-cancelled') sw.rows = sw.rows.slice();
    }
    this.dirty.add('sweep');
  }

  runCompare() {
    const config = trainConfig(this.state);
    this.compare = { ce: emptyHistory(), mse: emptyHistory(), images: {}, epochs: 0, total: this.state.compareEpochs, stopped: null };
    this.setJob('compare');
    this.post({ type: 'compare', config, epochs: this.state.compareEpochs });
    this.dirty.add('compare');
  }

  onCompare(msg) {
    const c = this.compare;
    if (msg.type === 'compare-progress') {
      for (const key of ['ce', 'mse']) {
        for (const e of msg[key]) {
          c[key].trainLoss.push(e.train.loss ?? NaN);
          c[key].trainAcc.push(e.train.accuracy);
          c[key].testAcc.push(e.test ? e.test.accuracy : null);
        }
      }
      c.epochs = msg.epochs;
    } else if (msg.type === 'compare-boundary') {
      c.images[msg.key] = imageCanvas(msg.pixels, msg.side, msg.side, c.images[msg.key]);
    } else {
      this.setJob(null);
      if (msg.type === 'compare-done') {
        c.stopped = msg.stopped;
        $('compare-section').dataset.done = 'true';
      }
      if (msg.type === 'compare-error') c.stopped = { error: msg.error };
      if (msg.type === 'compare-cancelled') c.stopped = 'cancelled';
    }
    this.dirty.add('compare');
  }

  // ---- drawing, once per frame ------------------------------------------------------------------

  draw() {
    const all = this.dirty.has('all');
    if (this.dirty.size === 0) return;
    const colors = { ...chartColors(), error: getComputedStyle(document.documentElement).getPropertyValue('--error').trim() || '#b3261e', bg: getComputedStyle(document.documentElement).getPropertyValue('--bg').trim() };
    if (all || this.dirty.has('stats') || this.dirty.has('charts')) {
      this.showStats();
      this.showStatus();
    }
    if (all || this.dirty.has('charts')) this.drawCharts(colors);
    if (all || this.dirty.has('picture')) this.drawPicture(colors);
    if (all || this.dirty.has('sweep')) this.drawSweep(colors);
    if (all || this.dirty.has('compare')) this.drawCompare(colors);
    if (all || this.dirty.has('curvature')) this.curvature.draw(colors);
    this.dirty.clear();
  }

  drawCharts(colors) {
    const h = this.history;
    const empty = t('chart.empty');
    const test = h.testLoss.some((v) => v !== null);
    const micro = h.perUpdate.map((v) => (v === null ? null : v * 1e6));
    const milli = h.perEpoch.map((v) => (v === null ? null : v * 1e3));
    const xStride = h.stride;
    drawChart($('chart-loss'), [
      { values: h.trainLoss, color: colors.a },
      ...(test ? [{ values: h.testLoss, color: colors.b, dash: [5, 3] }] : []),
    ], { log: true, colors, empty, xStride });
    drawChart($('chart-accuracy'), [
      { values: h.trainAcc, color: colors.a },
      ...(test ? [{ values: h.testAcc, color: colors.b, dash: [5, 3] }] : []),
    ], { yMin: 0, yMax: 1, format: (v) => `${Math.round(v * 100)}%`, colors, empty, xStride });
    drawChart($('chart-update'), [{ values: micro, color: colors.a }], { yMin: 0, colors, empty, xStride });
    drawChart($('chart-epoch'), [{ values: milli, color: colors.a }], { yMin: 0, colors, empty, xStride });
  }

  drawPicture(colors) {
    if (this.state.data === 'digits') {
      if (!this.sheet || !this.points) return;
      const shown = this.points.testLabels.length ? this.points.testLabels : this.points.trainLabels;
      const { right, count } = drawDigits($('digits'), this.sheet, DIGITS_COLS, this.predictions, shown, colors);
      $('digits-summary').textContent = this.predictions ? t('digits.summary', { right, count }) : '';
      $('digits').setAttribute('aria-label', this.predictions ? `${t('digits.label')} ${t('digits.summary', { right, count })}` : t('digits.label'));
      if (this.confusion) {
        drawConfusion($('confusion'), this.confusion, 10, colors, { truthLabel: t('confusion.truth'), predictedLabel: t('confusion.predicted') });
        $('confusion').dataset.total = String(this.confusion.reduce((a, b) => a + b, 0));
      }
      return;
    }
    const plane = this.info?.plane ?? this.catalog.plane;
    drawBoundary($('boundary'), this.boundary, plane, this.points, this.palette, colors);
    this.drawLegend();
  }

  drawLegend() {
    const box = $('class-legend');
    box.replaceChildren();
    const k = this.info?.classes ?? this.state.classes;
    for (let c = 0; c < k; c += 1) {
      const item = document.createElement('span');
      item.className = 'class-item';
      const dot = document.createElement('span');
      dot.className = 'dot';
      dot.style.background = `rgb(${this.palette[c].join(' ')})`;
      item.append(dot, document.createTextNode(t('legend.class', { k: c + 1 })));
      box.append(item);
    }
    const hollow = document.createElement('span');
    hollow.className = 'class-item';
    const ring = document.createElement('span');
    ring.className = 'dot hollow';
    hollow.append(ring, document.createTextNode(t('legend.testPoints')));
    const filled = document.createElement('span');
    filled.className = 'class-item muted';
    filled.textContent = t('legend.shading');
    box.append(hollow, filled);
  }

  drawSweep(colors) {
    const sw = this.sweep;
    fillTable($('sweep-body'), sw.rows, sw.sizes, sw.current === undefined && this.job !== 'sweep' ? undefined : sw.current, sw.gpu ?? null);
    drawSweepChart($('sweep-chart'), $('sweep-legend'), sw.rows, this.palette, colors);
    const why = this.backend ? badgeText({ ...this.backend, ...this.backendNames() }) : null;
    $('sweep-col-gpu').textContent = gpuColumnName(sw.gpu ?? null);
    drawTimeChart($('sweep-time-chart'), $('sweep-time-legend'), $('sweep-backends'), sw.rows, sw.gpu ?? null, why, this.palette, colors);
    if (this.backend && this.dirty.has('all')) showBackend(this.backend, this.backendNames());
    $('sweep-progress').value = sw.progress;
    const pct = `${Math.round(sw.progress * 100)}%`;
    $('sweep-progress-text').textContent = sw.current ? t('sweep.progressText', { b: sw.current >= FULL_BATCH ? t('sweep.fullShort') : sw.current, pct }) : pct;
  }

  drawCompare(colors) {
    const c = this.compare;
    const empty = t('chart.empty');
    drawChart($('compare-loss'), [
      { values: c.ce.trainLoss, color: colors.a },
      { values: c.mse.trainLoss, color: colors.b },
    ], { log: true, colors, empty });
    drawChart($('compare-acc'), [
      { values: c.ce.trainAcc, color: colors.a },
      { values: c.mse.trainAcc, color: colors.b },
    ], { yMin: 0, yMax: 1, format: (v) => `${Math.round(v * 100)}%`, colors, empty });
    const plane = this.info?.plane ?? this.catalog.plane;
    for (const key of ['ce', 'mse']) {
      const canvas = $(`compare-${key}`);
      drawBoundary(canvas, c.images[key] ?? null, plane, this.job === 'compare' || c.images[key] ? this.points : null, this.palette, colors, { radius: 1.8, empty: t('compare.empty') });
      const acc = c[key].trainAcc.at(-1);
      $(`compare-${key}-acc`).textContent = acc === undefined ? '' : t('compare.acc', { acc: formatPercent(acc) });
    }
    const status = $('compare-status');
    if (this.job === 'compare') status.textContent = t('compare.running', { e: c.epochs, n: c.total });
    else if (c.stopped === 'cancelled') status.textContent = t('compare.cancelled', { e: c.epochs });
    else if (c.stopped) {
      // A loss that diverged, or the core's error in the page's language.
      const which = c.stopped.error
        ? errorText(c.stopped.error, t)
        : t('compare.diverged', { loss: t(`net.loss.${c.stopped.loss === 'ce' ? 'cross_entropy' : 'mse'}`) });
      status.textContent = t('compare.stopped', { e: c.epochs, which });
    }
    else status.textContent = c.epochs ? t('compare.done', { e: c.epochs }) : '';
  }
}

async function main() {
  installBanners();
  const [, scenes] = await Promise.all([init({ module_or_path: fullWasmUrl(new URL('../pkg/', import.meta.url)) }), loadScenes()]);
  await loadDigits(provideDigits);
  useTicks(ticks, log_ticks);
  const catalog = JSON.parse(catalogJson());
  catalog.scenes = scenes.list;
  const read = readHash(sceneHash(location.hash, scenes), catalog);
  const { ignored } = read;
  let { state } = read;
  await setLanguage(pickLanguage(state.lang));
  // A link (or an embedding page) may not open more work than a page answers in a second or
  // two: the core counts it before anything is built; over the limit the page opens with its
  // starting settings (keeping how it looks and who embeds it) and says why.
  let refused = null;
  try {
    linkCheck(JSON.stringify(trainConfig(state)), BOUNDARY_SIDE);
  } catch (e) {
    // Anything else wrong with the link is the config check's to show (apply()).
    if (e?.kind === 'too_much_work') refused = e;
  }
  if (refused) {
    const keep = ['lang', 'theme', 'origins', 'forceCpu'];
    state = { ...defaults(), ...Object.fromEntries(keep.map((k) => [k, state[k]])) };
    writeHash(state);
  }
  const app = new App(catalog, state);
  window.classifier = app;
  app.embed = installEmbedApi(app);
  app.start();
  if (state.scene) new SceneCard(state.scene, scenes).render();
  const notices = [];
  // After a panic the page restarted (common/recovery.js).
  const restart = restarted();
  if (restart) notices.push(t(restart.tries > 1 ? 'notice.restartedFresh' : 'notice.restarted', { message: restart.message }));
  if (refused) notices.push(t('notice.refused', { reason: errorText(refused, t) }));
  if (ignored.length) notices.push(t('notice.ignored', { fields: ignored.join(', ') }));
  if (notices.length) {
    $('notice-text').textContent = notices.join(' ');
    $('notice').hidden = false;
  }
}

main().catch(showError);
