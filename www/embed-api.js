// Embedding the surface lab in a course page: the "Copy embed code" dialog (an iframe snippet and
// an <optiscape-lab> snippet for the current state) and, when the lab runs inside a frame, the
// postMessage API. The parent sends `{type: 'optiscape', action: 'play' | 'pause' | 'reset' |
// 'setState', scene?, hash?}`; the lab posts `{type: 'optiscape', event: 'ready' | 'step' |
// 'divergence', ...}`. Messages of any other shape, or from another window, are ignored.

import { language, t } from './common/i18n.js';
import { readHash, toHash } from './state.js';

const $ = (id) => document.getElementById(id);
const MAX_HASH = 4000;
/** At most this many `step` events a second while playing. */
const STEP_EVENTS_PER_SECOND = 10;

const escapeAttr = (s) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The folder the lab's files are served from (where index.html lives). */
function base() {
  return new URL('.', location.href).href;
}

/** The two snippets for the lab's current state: `{iframe, element}`. */
export function snippets(app, { controls = 'minimal', height = 480 } = {}) {
  const state = { ...app.state, embed: controls, lang: language(), at: null };
  // A scene as it opened travels as its id; anything else as the whole state.
  const asScene = app.state.scene && app.state.runs.every((_, i) => app.scenes.runLabel(i) !== null)
    && app.state.runs.length === app.scenes.labels.length;
  const hash = asScene
    ? `#v=1&scene=${app.state.scene}${app.state.panel ? `&panel=${app.state.panel}` : ''}&lang=${language()}&embed=${controls}`
    : toHash(state);
  const title = app.scenes?.scene ? `optiscape: ${document.getElementById('scene-title').textContent}` : 'optiscape';
  const iframe = `<iframe src="${escapeAttr(`${base()}index.html${hash}`)}" title="${escapeAttr(title)}" width="100%" height="${height}" loading="lazy"></iframe>`;
  const script = `<script type="module" src="${escapeAttr(`${base()}www/embed/optiscape-lab.js`)}"></script>`;
  const which = asScene && !app.state.panel
    ? `scene="${escapeAttr(app.state.scene)}"`
    : `hash="${escapeAttr(toHash({ ...app.state, embed: null, lang: null, at: null }))}"`;
  const element = `${script}\n<optiscape-lab ${which} lang="${language()}" controls="${controls}" height="${height}"></optiscape-lab>`;
  return { iframe, element };
}

/** The "Copy embed code" button and its dialog. */
export class EmbedDialog {
  constructor(app) {
    this.app = app;
    $('embed-open').addEventListener('click', () => this.open());
    $('embed-close').addEventListener('click', () => $('embed-dialog').close());
    $('embed-controls').addEventListener('change', () => this.fill());
    for (const which of ['iframe', 'element']) {
      $(`embed-copy-${which}`).addEventListener('click', () => this.copy(which));
    }
  }

  fill() {
    const s = snippets(this.app, { controls: $('embed-controls').value });
    $('embed-iframe').value = s.iframe;
    $('embed-element').value = s.element;
    $('embed-status').textContent = '';
  }

  open() {
    this.app.saveState({ now: true });
    this.fill();
    $('embed-dialog').showModal();
  }

  async copy(which) {
    const text = $(`embed-${which}`).value;
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch {
      $(`embed-${which}`).select();
    }
    $('embed-status').textContent = ok ? t('embed.copied') : t('embed.copyFailed');
  }
}

/** Reads a `setState` message's target: the new hash, or null when it is not valid. */
function targetHash(app, msg) {
  const keep = { embed: app.state.embed, lang: app.state.lang ?? language(), theme: app.state.theme };
  if (typeof msg.scene === 'string') {
    if (!app.catalog.scenes.some((s) => s.id === msg.scene)) return null;
    const parts = ['v=1', `scene=${msg.scene}`, `lang=${keep.lang}`];
    if (keep.embed) parts.push(`embed=${keep.embed}`);
    if (keep.theme !== 'auto') parts.push(`theme=${keep.theme}`);
    return `#${parts.join('&')}`;
  }
  if (typeof msg.hash === 'string' && msg.hash.length <= MAX_HASH) {
    const { state, ignored } = readHash(msg.hash.startsWith('#') ? msg.hash : `#${msg.hash}`, app.catalog);
    if (ignored.length) return null;
    if (!state.embed) state.embed = keep.embed;
    if (!state.lang) state.lang = keep.lang;
    return toHash(state);
  }
  return null;
}

/** When the lab is framed: answers the parent's messages and tells it what happens. */
export function installEmbedApi(app) {
  if (window.parent === window) return;
  const post = (msg) => window.parent.postMessage({ type: 'optiscape', ...msg }, '*');
  let lastStep = -1;
  let lastPost = 0;
  app.embed = {
    stepped(step) {
      const now = performance.now();
      const max = app.lab.max_step();
      if (step === lastStep) return;
      if (app.playing && step !== max && now - lastPost < 1000 / STEP_EVENTS_PER_SECOND) return;
      lastStep = step;
      lastPost = now;
      post({ event: 'step', step, max, playing: app.playing });
    },
    runsChanged() {
      app.runs.forEach((r, i) => {
        if (r.divergence) post({ event: 'divergence', run: i, step: r.divergence.step, cause: r.divergence.cause });
      });
    },
  };
  window.addEventListener('message', (e) => {
    if (e.source !== window.parent) return;
    const msg = e.data;
    if (!msg || typeof msg !== 'object' || msg.type !== 'optiscape' || typeof msg.action !== 'string') return;
    switch (msg.action) {
      case 'play':
        app.play();
        break;
      case 'pause':
        app.pause();
        app.embed.stepped(app.lab.step());
        app.saveState();
        break;
      case 'reset':
        app.pause();
        app.lab.set_step(0);
        app.drawFrame();
        app.saveState();
        break;
      case 'setState': {
        const hash = targetHash(app, msg);
        if (hash === null) post({ event: 'error', action: 'setState', message: 'setState takes a known scene id or a valid state hash' });
        else if (hash !== location.hash) location.hash = hash;
        else post({ event: 'ready', scene: app.state.scene, hash: toHash(app.state), max: app.lab.max_step() });
        break;
      }
      default:
        break;
    }
  });
  post({ event: 'ready', scene: app.state.scene, hash: toHash(app.state), max: app.lab.max_step() });
  app.embed.runsChanged();
}
