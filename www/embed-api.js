// Embedding the surface lab in a course page: the "Copy embed code" dialog (an iframe snippet and
// an <optiscape-lab> snippet for the current state) and, when the lab runs inside a frame, the
// postMessage API. The parent sends `{type: 'optiscape', action: 'play' | 'pause' | 'reset' |
// 'setState' | 'visibility', scene?, hash?, visible?}`; the lab posts `{type: 'optiscape', event: 'ready' | 'step' |
// 'divergence' | 'error', ...}`. Messages of any other shape, or from another window, are
// ignored. Who may talk to the lab is the link's `origins` field (parentLink below; both labs
// use it); docs/embedding.md, "What a parent page can do", has the whole API.

import { onTrap } from './common/recovery.js';
import { serializedOrigin } from './common/hash.js';
import { elementSnippet, escapeAttr, iframeSnippet, scriptOrigin } from './common/snippets.js';
import { language, t } from './common/i18n.js';
import { readHash, toHash } from './state.js';

const $ = (id) => document.getElementById(id);
const MAX_HASH = 4000;
/** At most this many `step` events a second while playing. */
const STEP_EVENTS_PER_SECOND = 10;

/**
 * The two snippets for the lab's current state: `{iframe, element}`. They carry no `origins`:
 * the course page's origin is not known here (the element passes its page's own).
 */
export function snippets(app, { controls = 'minimal', height = 480 } = {}) {
  const state = { ...app.state, embed: controls, lang: language(), at: null, origins: null };
  // A scene as it opened travels as its id; anything else as the whole state.
  const asScene = app.state.scene && app.state.runs.every((_, i) => app.scenes.runLabel(i) !== null)
    && app.state.runs.length === app.scenes.labels.length;
  const hash = asScene
    ? `#v=1&scene=${app.state.scene}${app.state.panel ? `&panel=${app.state.panel}` : ''}&lang=${language()}&embed=${controls}`
    : toHash(state);
  const title = app.scenes?.scene ? `optiscape: ${document.getElementById('scene-title').textContent}` : 'optiscape';
  // What the lab needs of its frame and no more (docs/embedding.md, "The iframe's attributes").
  const iframe = iframeSnippet(`index.html${hash}`, { title, height });
  const which = asScene && !app.state.panel
    ? `scene="${escapeAttr(app.state.scene)}"`
    : `hash="${escapeAttr(toHash({ ...app.state, embed: null, lang: null, at: null, origins: null }))}"`;
  // What the course page shows when the module does not run (the element replaces it).
  const fallback = t('embed.fallback', { origin: scriptOrigin() });
  const element = elementSnippet(which, { lang: language(), controls, height, fallback });
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

/** `text` as an http(s) origin, or null (`'null'`, an opaque origin, is none). */
const originOf = (text) => {
  try {
    return serializedOrigin(new URL(text).origin) ?? null;
  } catch {
    return null;
  }
};

/**
 * The parent window's origin as a framed page can tell it before any message: the first of
 * `location.ancestorOrigins` (Chromium, Safari), the parent's own when it is on this page's
 * origin (readable), else the origin of `document.referrer` unless that is this page's origin
 * (then the page came from one of the lab's own pages: a reload, a setState, a move between
 * the labs); null when none of them tells.
 */
function parentOrigin() {
  const ancestor = originOf(location.ancestorOrigins?.[0] ?? '');
  if (ancestor) return ancestor;
  try {
    return originOf(window.parent.location.origin);
  } catch {
    // The parent is on another origin: its location cannot be read.
  }
  const referrer = originOf(document.referrer);
  return referrer !== location.origin ? referrer : null;
}

/**
 * A framed page's line to its parent window (the surface lab and the classifier). `allowed` is
 * the link's `origins` list, or null. A message is taken only from `window.parent` and, with a
 * list, only when its origin is listed; the origin of a message taken is the parent's. Events
 * go to the parent's origin when it is known, and with a list only when it is listed (else
 * nowhere); while it is unknown, to each listed origin (the browser delivers only where it
 * matches), or to `'*'` without a list.
 */
export function parentLink(allowed) {
  let parent = parentOrigin();
  const allows = (origin) => !allowed || allowed.includes(origin);
  return {
    /** Whether message event `e` may be taken. */
    accepts(e) {
      if (e.source !== window.parent || !allows(e.origin)) return false;
      parent = originOf(e.origin) ?? parent;
      return true;
    },
    /** Posts `msg` to the parent where the rules above let it go. */
    post(msg) {
      const targets = parent ? (allows(parent) ? [parent] : []) : allowed ?? ['*'];
      for (const target of targets) window.parent.postMessage(msg, target);
    },
    /**
     * The list a page this frame moves to (after a setState) keeps: the page's own, else the
     * parent's origin once known (a frame's parent cannot change), else none.
     */
    keep() {
      return allowed ?? (parent ? [parent] : null);
    },
  };
}

/** Reads a `setState` message's target: the new hash, or null when it is not valid. */
function targetHash(app, msg, origins) {
  const keep = { embed: app.state.embed, lang: app.state.lang ?? language(), theme: app.state.theme };
  if (typeof msg.scene === 'string') {
    if (!app.catalog.scenes.some((s) => s.id === msg.scene)) return null;
    const parts = ['v=1', `scene=${msg.scene}`, `lang=${keep.lang}`];
    if (keep.embed) parts.push(`embed=${keep.embed}`);
    if (keep.theme !== 'auto') parts.push(`theme=${keep.theme}`);
    if (origins) parts.push(`origins=${origins.join(',')}`);
    return `#${parts.join('&')}`;
  }
  if (typeof msg.hash === 'string' && msg.hash.length <= MAX_HASH) {
    const { state, ignored } = readHash(msg.hash.startsWith('#') ? msg.hash : `#${msg.hash}`, app.catalog);
    if (ignored.length) return null;
    if (!state.embed) state.embed = keep.embed;
    if (!state.lang) state.lang = keep.lang;
    // The parent cannot widen who talks to the lab: the message's own `origins` is replaced.
    state.origins = origins;
    return toHash(state);
  }
  return null;
}

/** When the lab is framed: answers the parent's messages and tells it what happens. */
export function installEmbedApi(app) {
  if (window.parent === window) return;
  const link = parentLink(app.state.origins);
  const post = (msg) => link.post({ type: 'optiscape', ...msg });
  // A panic restarts the page (common/recovery.js): the parent hears it, then `ready` again.
  onTrap((e) => post({ event: 'error', action: 'restart', message: `the lab hit an internal error and restarts: ${e?.message ?? e}` }));
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
  // Hidden (on a slide not shown: the element's `visibility` message) the animation stops, and
  // it goes on when the lab is shown again; nothing else changes.
  let hiddenWhilePlaying = null;
  const shown = (visible) => {
    if (visible === false && hiddenWhilePlaying === null) {
      hiddenWhilePlaying = app.playing;
      if (app.playing) app.pause();
    } else if (visible === true && hiddenWhilePlaying !== null) {
      if (hiddenWhilePlaying && !app.playing) app.play();
      hiddenWhilePlaying = null;
    }
  };
  window.addEventListener('message', (e) => {
    if (!link.accepts(e)) return;
    const msg = e.data;
    if (!msg || typeof msg !== 'object' || msg.type !== 'optiscape' || typeof msg.action !== 'string') return;
    // While hidden, play and pause say what happens when it is shown again.
    if (hiddenWhilePlaying !== null && (msg.action === 'play' || msg.action === 'pause' || msg.action === 'reset')) {
      hiddenWhilePlaying = msg.action === 'play';
      if (msg.action === 'play') return;
    }
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
      case 'visibility':
        shown(msg.visible);
        break;
      case 'setState': {
        const hash = targetHash(app, msg, link.keep());
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
