// What the scene index (main.js) and the teacher's page (teaching.js) share: their link (theme
// and language), the scenes and a wasm `Lab` for the thumbnails, the language and theme
// switches, and start-up. A page subclasses ScenePage with its own `render()`.

import init, { Lab } from '../pkg-lab/optiscape.js';
import { installErrorBanner, showError } from '../common/banner.js';
import { hashCodec, LANG_FIELD, THEME_FIELD } from '../common/hash.js';
import { language, pickLanguage, setLanguage } from '../common/i18n.js';
import { loadScenes } from '../scene-data.js';
import { registerOffline } from '../common/offline.js';

const $ = (id) => document.getElementById(id);

/** The pages' link: `#v=1&theme=dark&lang=zh-CN` (the fields the other pages share). */
export const { readHash, toHash } = hashCodec({
  version: 1,
  versionless: true,
  fields: [THEME_FIELD, { ...LANG_FIELD, always: true }],
});

export class ScenePage {
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
}

/** Starts page class `Page` (a ScenePage) as `window[name]`; the body is ready a frame later. */
export function startPage(Page, name) {
  const main = async () => {
    installErrorBanner();
    const { lang, theme } = readHash(location.hash, {}).state;
    const [wasm, , data] = await Promise.all([init(), setLanguage(pickLanguage(lang)), loadScenes()]);
    const page = new Page(wasm.memory, theme, data);
    window[name] = page;
    page.start();
    requestAnimationFrame(() => {
      document.body.dataset.ready = 'true';
      registerOffline();
    });
  };
  main().catch(showError);
}
