// Lecture scenes in the classifier lab (minimal): `#v=1&scene=batchnorm` without a config of its
// own opens the scene's first run; a card shows the scene's title, explanation, formula and
// claim, buttons for the scene's runs, "Measure the claim" (the core's check in a worker) and
// previous / next through the lecture. Texts follow the page's language. The scenes come as data
// (`scenes` is `loadScenes()` of ../scene-data.js: `{list, get}`), not from the page's wasm.

import { fillCard, MeasureClient, measureOnCard, pick, renderCheck, sceneHref } from '../common/scene-card.js';
import { stateFromConfig, toHash } from './state.js';
import { EMBED_MODES } from '../common/hash.js';
import { language, t } from '../common/i18n.js';

const $ = (id) => document.getElementById(id);
const get = (hash, k) => new RegExp(`(?:^#|&)${k}=([\\w-]+)`).exec(hash)?.[1];

/** The hash of the classifier page for a training config (the core's `TrainConfig`), without `#`. */
export const classifierHash = (config) => toHash(stateFromConfig(config)).slice(1);

/** The lab's hash for run `run` of classifier scene `id`, keeping the language and theme of `hash`. */
function runHash(id, run, hash, scenes) {
  const scene = scenes.get(id);
  const parts = [classifierHash(scene.classifier[run].config), `scene=${id}`];
  for (const k of ['lang', 'theme', 'embed']) if (get(hash, k)) parts.push(`${k}=${get(hash, k)}`);
  return `#${parts.join('&')}`;
}


/**
 * The hash to read: a bare scene link becomes the scene's first run, anything else is kept.
 * An `embed=full|minimal|none` field (the page inside an <optiscape-lab> or an iframe) marks
 * the page as embedded (no header; fewer controls) and is taken out.
 */
export function sceneHash(hash, scenes) {
  const embed = get(hash, 'embed');
  document.body.dataset.embed = EMBED_MODES.includes(embed) ? embed : '';
  const id = get(hash, 'scene');
  const known = id && scenes.list.some((s) => s.id === id && s.lab === 'classifier');
  const out = known && !/(?:^#|&)data=/.test(hash) ? runHash(id, 0, hash, scenes) : hash;
  return out.replace(/&embed=[\w-]*/g, '');
}

export class SceneCard {
  constructor(id, scenes) {
    this.scenes = scenes;
    this.list = scenes.list;
    this.scene = scenes.get(id);
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
    this.check = (await measureOnCard(this.client, this.scene.id, 'classifier')) ?? this.check;
  }

  render() {
    const lang = language();
    const s = this.scene;
    document.body.dataset.scene = s.id;
    fillCard(s, this.index, this.list.length, lang, s.classifier.map((r, i) => {
      const hash = runHash(s.id, i, location.hash, this.scenes);
      return {
        text: pick(r.label, lang),
        onClick: () => {
          location.hash = hash;
        },
      };
    }));
    if (this.check) renderCheck($('scene-check'), this.check, t);
  }
}
