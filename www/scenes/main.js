// The scene index (scenes.html): one card per lecture scene in lecture order, with its title,
// its claim in one line, a live thumbnail (the surface's heatmap and contours with the runs'
// paths, all from the core; for classifier scenes the scene's network drawn from its config)
// and a link into the lab. Language and theme come from the hash and travel on in the links.

import init, { Lab } from '../pkg-lab/optiscape.js';
import { installErrorBanner, showError } from '../common/banner.js';
import { hashCodec, LANG_FIELD, THEME_FIELD } from '../common/hash.js';
import { language, pickLanguage, setLanguage, t, translate } from '../common/i18n.js';
import { pick, sceneHref } from '../common/scene-card.js';
import { loadScenes } from '../scene-data.js';
import { drawThumb, firstSentence, THUMB_H, THUMB_W } from './thumbs.js';
import '../common/offline.js';

const $ = (id) => document.getElementById(id);

/** The scene index's link: `#v=1&theme=dark&lang=zh-CN` (the fields the other pages share). */
const { readHash, toHash } = hashCodec({
  version: 1,
  versionless: true,
  fields: [THEME_FIELD, { ...LANG_FIELD, always: true }],
});

class Index {
  constructor(memory, theme, data) {
    this.memory = memory;
    this.theme = theme;
    this.list = data.list;
    this.scenes = this.list.map((s) => data.get(s.id));
    this.lab = new Lab();
  }

  start() {
    $('lang').value = language();
    $('theme').value = this.theme;
    document.documentElement.dataset.theme = this.theme;
    $('lang').addEventListener('change', async (e) => {
      await setLanguage(e.target.value);
      this.render();
    });
    $('theme').addEventListener('change', (e) => {
      this.theme = e.target.value;
      document.documentElement.dataset.theme = this.theme;
      this.render();
    });
    this.render();
  }

  hash() {
    return toHash({ theme: this.theme, lang: language() });
  }

  render() {
    translate();
    document.title = t('scenes.title');
    history.replaceState(null, '', this.hash());
    $('tab-surfaces').href = `index.html${this.hash()}`;
    $('tab-classifier').href = `classifier.html${this.hash()}`;
    const lang = language();
    const grid = $('scene-grid');
    grid.replaceChildren();
    this.list.forEach((entry, i) => {
      const scene = this.scenes[i];
      const li = document.createElement('li');
      li.className = 'scene-tile card';
      li.dataset.scene = entry.id;
      const href = sceneHref(entry, { lang, theme: this.theme });
      const thumbLink = document.createElement('a');
      thumbLink.href = href;
      thumbLink.tabIndex = -1;
      thumbLink.setAttribute('aria-hidden', 'true');
      const canvas = document.createElement('canvas');
      canvas.className = 'scene-thumb';
      canvas.width = THUMB_W;
      canvas.height = THUMB_H;
      thumbLink.append(canvas);
      const number = document.createElement('span');
      number.className = 'scene-number';
      number.textContent = t('scene.kicker', { n: i + 1, total: this.list.length });
      const h2 = document.createElement('h2');
      const a = document.createElement('a');
      a.href = href;
      a.textContent = pick(entry.title, lang);
      h2.append(a);
      const claim = document.createElement('p');
      claim.textContent = firstSentence(pick(entry.claim, lang));
      const lab = document.createElement('span');
      lab.className = 'scene-lab';
      lab.textContent = entry.lab === 'classifier' ? t('scenes.inClassifier') : t('scenes.inSurfaces');
      li.append(number, h2, thumbLink, claim, lab);
      grid.append(li);
      try {
        drawThumb(canvas, scene, this.lab, this.memory);
      } catch (e) {
        showError(e);
      }
    });
  }
}

async function main() {
  installErrorBanner();
  const { lang, theme } = readHash(location.hash, {}).state;
  const [wasm, , data] = await Promise.all([init(), setLanguage(pickLanguage(lang)), loadScenes()]);
  const index = new Index(wasm.memory, theme, data);
  window.optiscapeScenes = index;
  index.start();
  requestAnimationFrame(() => {
    document.body.dataset.ready = 'true';
  });
}

main().catch(showError);
