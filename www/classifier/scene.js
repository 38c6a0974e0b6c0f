// Lecture scenes in the classifier lab (minimal): `#v=1&scene=batchnorm` without a config of its
// own opens the scene's first run; a card shows the scene's title, explanation, formula and
// claim, buttons for the scene's runs, "Measure the claim" (the core's check in a worker) and
// previous / next through the lecture. Texts follow the page's language.

import { errorText } from '../common/errors.js';
import { scene_json as sceneJson } from '../pkg/optiscape.js';
import { classifierHash, MeasureClient, mathFromString, pick, renderCheck, sceneHref } from '../scene-common.js';
import { language, t } from '../common/i18n.js';

export { scene_list as sceneList } from '../pkg/optiscape.js';

const $ = (id) => document.getElementById(id);
const get = (hash, k) => new RegExp(`(?:^#|&)${k}=([\\w-]+)`).exec(hash)?.[1];

/** The lab's hash for run `run` of classifier scene `id`, keeping the language and theme of `hash`. */
function runHash(id, run, hash) {
  const scene = JSON.parse(sceneJson(id));
  const parts = [classifierHash(scene.classifier[run].config), `scene=${id}`];
  for (const k of ['lang', 'theme', 'embed']) if (get(hash, k)) parts.push(`${k}=${get(hash, k)}`);
  return `#${parts.join('&')}`;
}

const EMBED = ['full', 'minimal', 'none'];

/**
 * The hash to read: a bare scene link becomes the scene's first run, anything else is kept.
 * An `embed=full|minimal|none` field (the page inside an <optiscape-lab> or an iframe) marks
 * the page as embedded (no header; fewer controls) and is taken out.
 */
export function sceneHash(hash, scenes) {
  const embed = get(hash, 'embed');
  document.body.dataset.embed = EMBED.includes(embed) ? embed : '';
  const id = get(hash, 'scene');
  const known = id && scenes.some((s) => s.id === id && s.lab === 'classifier');
  const out = known && !/(?:^#|&)data=/.test(hash) ? runHash(id, 0, hash) : hash;
  return out.replace(/&embed=[\w-]*/g, '');
}

export class SceneCard {
  constructor(id, list) {
    this.list = list;
    this.scene = JSON.parse(sceneJson(id));
    this.client = new MeasureClient();
    this.check = null;
    $('scene-measure').addEventListener('click', () => this.measure());
    $('scene-prev').addEventListener('click', () => this.go(-1));
    $('scene-next').addEventListener('click', () => this.go(1));
    new MutationObserver(() => this.render()).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  }

  get index() {
    return this.list.findIndex((s) => s.id === this.scene.id);
  }

  go(delta) {
    const next = this.list[this.index + delta];
    if (!next) return;
    const theme = get(location.hash, 'theme') ?? 'auto';
    location.assign(sceneHref(next, { lang: language(), theme }));
    if (next.lab === 'classifier') location.reload();
  }

  async measure() {
    const button = $('scene-measure');
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    $('scene-measure-status').textContent = t('scene.measuring');
    $('scene-check').replaceChildren();
    try {
      this.check = await this.client.measure(this.scene.id, 'classifier');
      $('scene-measure-status').textContent = '';
      renderCheck($('scene-check'), this.check, t);
    } catch (e) {
      $('scene-measure-status').textContent = t('scene.measureFailed', { message: errorText(e) });
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  }

  render() {
    const lang = language();
    const s = this.scene;
    $('scene-card').hidden = false;
    document.body.dataset.scene = s.id;
    $('scene-kicker').textContent = t('scene.kicker', { n: this.index + 1, total: this.list.length });
    $('scene-title').textContent = pick(s.title, lang);
    $('scene-explanation').textContent = pick(s.explanation, lang);
    $('scene-claim').textContent = pick(s.claim, lang);
    const math = mathFromString(s.formula_mathml, t('scene.formula'));
    $('scene-formula').replaceChildren(...(math ? [math] : []));
    $('scene-prev').disabled = this.index <= 0;
    $('scene-next').disabled = this.index >= this.list.length - 1;
    const runs = $('scene-panels');
    runs.replaceChildren();
    runs.hidden = s.classifier.length < 2;
    s.classifier.forEach((r, i) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'button';
      b.textContent = pick(r.label, lang);
      const hash = runHash(s.id, i, location.hash);
      b.addEventListener('click', () => {
        location.hash = hash;
      });
      runs.append(b);
    });
    if (this.check) renderCheck($('scene-check'), this.check, t);
  }
}
