// The scene index (scenes.html): one card per lecture scene in lecture order, with its title,
// its claim in one line, a live thumbnail (the surface's heatmap and contours with the runs'
// paths, all from the core; for classifier scenes the scene's network drawn from its config)
// and a link into the lab. Language and theme come from the hash and travel on in the links.

import { showError } from '../common/banner.js';
import { language, t, translate } from '../common/i18n.js';
import { pick, sceneHref } from '../common/scene-card.js';
import { ScenePage, startPage, toHash } from './page.js';
import { drawThumb, firstSentence, THUMB_H, THUMB_W } from './thumbs.js';

const $ = (id) => document.getElementById(id);

class Index extends ScenePage {
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

startPage(Index, 'optiscapeScenes');
