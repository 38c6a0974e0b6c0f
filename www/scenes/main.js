// The scene index (scenes.html): one card per lecture scene in lecture order, with its title,
// its claim in one line, a live thumbnail (the surface's heatmap and contours with the runs'
// paths, all from the core; for classifier scenes the scene's network drawn from its config)
// and a link into the lab. Language and theme come from the hash and travel on in the links.

import init, { Lab } from '../pkg-lab/optiscape.js';
import { installErrorBanner, showError } from '../common/banner.js';
import { drawContours, drawRuns, RUN_COLORS } from '../draw.js';
import { hashCodec, LANG_FIELD, THEME_FIELD } from '../common/hash.js';
import { language, pickLanguage, setLanguage, t, translate } from '../common/i18n.js';
import { pick, sceneHref } from '../common/scene-card.js';
import { loadScenes } from '../scene-data.js';
import { Viewport } from '../viewport.js';
import '../common/offline.js';

const $ = (id) => document.getElementById(id);
const THUMB_W = 320;
const THUMB_H = 240;
const HEATMAP_SIDE = 160;

/** The first sentence of a claim (the card shows one line; the lab shows it whole). */
const firstSentence = (s) => {
  const m = /^(.+?[.;。；])(\s|$)/u.exec(s);
  if (!m) return s;
  return /[;；]$/u.test(m[1]) ? `${m[1].slice(0, -1)} …` : m[1];
};

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
        if (scene.panels?.length) this.drawSurface(canvas, scene.panels[0]);
        else this.drawNetwork(canvas, scene.classifier[0].config);
        canvas.dataset.drawn = 'true';
      } catch (e) {
        showError(e);
      }
    });
  }

  /** The panel's surface (heatmap and contours) with its runs' paths. */
  drawSurface(canvas, panel) {
    const lab = this.lab;
    lab.set_surface(panel.surface);
    lab.set_view(panel.view.x[0], panel.view.x[1], panel.view.y[0], panel.view.y[1]);
    const length = lab.render_heatmap(HEATMAP_SIDE, HEATMAP_SIDE);
    const rgba = new Uint8ClampedArray(this.memory.buffer, lab.heatmap_ptr(), length);
    const image = document.createElement('canvas');
    image.width = HEATMAP_SIDE;
    image.height = HEATMAP_SIDE;
    image.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(rgba), HEATMAP_SIDE, HEATMAP_SIDE), 0, 0);
    const ctx = canvas.getContext('2d');
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    const viewport = new Viewport(lab.view(), canvas.width, canvas.height);
    drawContours(ctx, lab.contours(80, 80, 12), viewport, 1, { width: 0.8 });
    const configs = panel.runs.map((r) => ({ ...r.config, bound: 1e6 }));
    lab.set_runs(JSON.stringify(configs));
    const runs = configs.map((_, i) => {
      const x = lab.run_x(i);
      const y = lab.run_y(i);
      const px = new Float32Array(2 * x.length);
      for (let k = 0; k < x.length; k++) [px[2 * k], px[2 * k + 1]] = viewport.toCanvas(x[k], y[k]);
      return { px, divergence: null };
    });
    drawRuns(ctx, runs, Number.MAX_SAFE_INTEGER, (run) => run.px, 0.6, -1);
  }

  /** A classifier scene's own picture: its network, layer by layer, from the config. */
  drawNetwork(canvas, config) {
    const css = getComputedStyle(document.documentElement);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = css.getPropertyValue('--panel').trim() || '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    const inputs = config.data.name === 'digits' ? 64 : 2;
    // The digits have ten classes whatever `classes` says (it is for the generated sets).
    const classes = config.data.name === 'digits' ? 10 : config.data.classes;
    const layers = [inputs, ...config.hidden, classes];
    const shown = (n) => Math.min(n, 8);
    const xs = layers.map((_, i) => 30 + (i * (canvas.width - 60)) / (layers.length - 1));
    const ys = (n, i) => canvas.height / 2 + (i - (shown(n) - 1) / 2) * 22;
    ctx.strokeStyle = css.getPropertyValue('--line').trim() || '#ccc';
    ctx.lineWidth = 0.7;
    for (let l = 0; l + 1 < layers.length; l++) {
      for (let a = 0; a < shown(layers[l]); a++) {
        for (let b = 0; b < shown(layers[l + 1]); b++) {
          ctx.beginPath();
          ctx.moveTo(xs[l], ys(layers[l], a));
          ctx.lineTo(xs[l + 1], ys(layers[l + 1], b));
          ctx.stroke();
        }
      }
    }
    ctx.font = '12px system-ui, sans-serif';
    ctx.textAlign = 'center';
    layers.forEach((n, l) => {
      const color = l === 0 ? RUN_COLORS[1] : l === layers.length - 1 ? RUN_COLORS[0] : RUN_COLORS[2];
      for (let k = 0; k < shown(n); k++) {
        ctx.beginPath();
        ctx.arc(xs[l], ys(n, k), 6, 0, 2 * Math.PI);
        ctx.fillStyle = color;
        ctx.fill();
      }
      ctx.fillStyle = css.getPropertyValue('--muted').trim() || '#555';
      ctx.fillText(String(n), xs[l], ys(n, shown(n) - 1) + 24);
    });
    if (config.batchnorm) {
      ctx.fillStyle = css.getPropertyValue('--accent').trim() || '#1f6f84';
      ctx.fillText('BN', canvas.width / 2, 20);
    }
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
