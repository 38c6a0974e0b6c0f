// Lecture scenes in the surface lab: the scene picker, the scene card (title, explanation, the
// lecture's formula, the claim and "Measure the claim", which runs the core's check in a
// worker), the panel switcher and previous / next through the lecture. A scene fills the lab's
// state (surface, view, runs with their labels, inspector point); its id stays in the URL until
// the user changes the surface.

import { language, t } from './common/i18n.js';
import { fillCard, MeasureClient, measureOnCard, pick, renderCheck, sceneHref } from './common/scene-card.js';
import { optimizerKey, writeRun } from './state.js';

const $ = (id) => document.getElementById(id);

/** Keeps a spec's parameters that differ from torch's defaults (the link stays short). */
function params(spec, values) {
  const out = {};
  for (const p of spec?.params ?? []) {
    if (!(p.name in values)) continue;
    if (JSON.stringify(values[p.name]) !== JSON.stringify(p.default)) out[p.name] = values[p.name];
  }
  return out;
}

export class ScenePanel {
  constructor(app) {
    this.app = app;
    this.list = app.catalog.scenes;
    this.scene = null;
    this.labels = [];
    this.client = new MeasureClient();
    this.fillPicker();
    $('scene-picker').addEventListener('change', (e) => {
      if (e.target.value) this.open(e.target.value);
    });
    $('scene-prev').addEventListener('click', () => this.step(-1));
    $('scene-next').addEventListener('click', () => this.step(1));
    $('scene-measure').addEventListener('click', () => this.measure());
  }

  get index() {
    return this.list.findIndex((s) => s.id === this.scene?.id);
  }

  fillPicker() {
    const select = $('scene-picker');
    select.replaceChildren(new Option(t('scene.none'), ''));
    this.list.forEach((s, i) => select.add(new Option(`${i + 1}. ${pick(s.title, language())}`, s.id)));
    select.value = this.app.state.scene ?? '';
  }

  /** At start-up: the linked scene fills the state unless the link carries a surface too. */
  applyLinked() {
    const id = this.app.state.scene;
    if (!id) return;
    const entry = this.list.find((s) => s.id === id);
    if (entry.lab === 'classifier') {
      // Framed, it stays framed and keeps who may talk to it.
      const embed = this.app.state.embed ? `&embed=${this.app.state.embed}` : '';
      const origins = this.app.state.origins ? `&origins=${this.app.state.origins.join(',')}` : '';
      location.replace(sceneHref(entry, { lang: language(), theme: this.app.state.theme }) + embed + origins);
      return;
    }
    this.scene = this.app.sceneData.get(id);
    if (this.app.state.panel >= this.scene.panels.length) this.app.state.panel = 0;
    if (/(?:^#|&)s=/.test(location.hash)) this.rememberLabels(this.app.state.panel);
    else this.fillState(this.app.state.panel);
    this.ensureSteps(this.app.state.steps);
  }

  /** The run `{opt, params, sched, start?, noise?}` for a scene run's config. */
  runFor(config, start) {
    const { name, variant, ...values } = config.optimizer;
    const opt = variant ? `${name}.${variant}` : name;
    const spec = this.app.catalog.optimizers.find((s) => optimizerKey(s) === opt);
    const run = { opt, params: params(spec, values), sched: null };
    if (values.lr !== undefined) run.params.lr = values.lr;
    if (config.schedule) {
      const { name: sname, ...svalues } = config.schedule;
      const sspec = this.app.catalog.schedules.find((s) => s.name === sname);
      run.sched = { name: sname, params: params(sspec, svalues) };
    }
    if (config.start[0] !== start[0] || config.start[1] !== start[1]) run.start = [...config.start];
    if (config.noise) run.noise = { batch: config.noise.batch_size, seed: config.noise.seed, scale: config.noise.scale };
    return run;
  }

  /** Puts panel `i` of the scene into the lab's state (not yet on screen). */
  fillState(i) {
    const s = this.app.state;
    const panel = this.scene.panels[i];
    const start = panel.runs[0].config.start;
    s.panel = i;
    s.surface = panel.surface;
    s.view = [panel.view.x[0], panel.view.x[1], panel.view.y[0], panel.view.y[1]];
    s.start = [...start];
    s.steps = panel.runs[0].config.steps;
    s.inspect = panel.inspect ? [...panel.inspect] : null;
    s.noise = null;
    s.sel = 0;
    s.at = null;
    s.runs = panel.runs.map((r) => this.runFor(r.config, start));
    this.rememberLabels(i);
  }

  rememberLabels(i) {
    const panel = this.scene.panels[i];
    const start = panel.runs[0].config.start;
    this.labels = panel.runs.map((r) => ({ text: writeRun(this.runFor(r.config, start)), label: r.label }));
  }

  /** The scene's label of run `i` while that run is as the scene set it. */
  runLabel(i) {
    const l = this.labels[i];
    const run = this.app.state.runs[i];
    if (!this.app.state.scene || !l || !run || writeRun(run) !== l.text) return null;
    return pick(l.label, language());
  }

  /** The steps picker offers the scene's step count. */
  ensureSteps(n) {
    const select = $('steps');
    if ([...select.options].some((o) => Number(o.value) === n)) return;
    const option = new Option(String(n), String(n));
    const after = [...select.options].find((o) => Number(o.value) > n);
    select.add(option, after ?? null);
  }

  /** Opens scene `id` (classifier scenes open the classifier lab). */
  open(id, panel = 0) {
    const entry = this.list.find((s) => s.id === id);
    if (!entry) return false;
    if (entry.lab === 'classifier') {
      const embed = this.app.state.embed ? `&embed=${this.app.state.embed}` : '';
      location.assign(sceneHref(entry, { lang: language(), theme: this.app.state.theme }) + embed);
      return true;
    }
    this.client.cancel();
    this.scene = this.app.sceneData.get(id);
    this.app.state.scene = id;
    this.showPanel(Math.min(panel, this.scene.panels.length - 1));
    return true;
  }

  showPanel(i) {
    const app = this.app;
    this.fillState(i);
    this.ensureSteps(app.state.steps);
    const inspect = app.state.inspect;
    app.pause();
    this.loading = true;
    try {
      app.setSurface(app.state.surface, { keepStart: true, keepView: true });
    } finally {
      this.loading = false;
    }
    app.syncControls();
    if (inspect) app.inspect(...inspect, { snap: false });
    this.render();
    app.saveState({ now: true });
  }

  step(delta) {
    const next = this.list[this.index + delta];
    if (next) this.open(next.id);
  }

  /** The user changed the surface: the lab is no longer the scene. */
  leave() {
    if (this.loading || !this.app.state.scene) return;
    this.client.cancel();
    this.app.state.scene = null;
    this.app.state.panel = 0;
    this.scene = null;
    this.labels = [];
    this.render();
  }

  async measure() {
    if (!this.scene) return;
    const id = this.scene.id;
    const check = await measureOnCard(this.client, id, this.scene.lab, () => this.scene?.id === id);
    if (check) this.check = check;
  }

  /** Shows the card of the current scene (or hides it), in the current language. */
  render() {
    const card = $('scene-card');
    $('scene-picker').value = this.app.state.scene ?? '';
    document.body.dataset.scene = this.app.state.scene ?? '';
    if (!this.scene || !this.app.state.scene) {
      card.hidden = true;
      this.check = null;
      return;
    }
    const lang = language();
    const s = this.scene;
    fillCard(s, this.index, this.list.length, lang, s.panels.map((p, i) => ({
      text: pick(p.title, lang),
      panel: i,
      pressed: i === this.app.state.panel,
      onClick: () => {
        if (i !== this.app.state.panel) this.showPanel(i);
      },
    })));
    if (this.check?.scene === s.id) renderCheck($('scene-check'), this.check, t);
    else if (!$('scene-measure').disabled) $('scene-check').replaceChildren();
  }
}
