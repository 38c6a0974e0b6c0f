// <optiscape-lab scene="saddle" lang="zh-CN" controls="minimal|full|none" height="480"
// origins="https://a.example"> — the surface lab embedded in any page: an iframe onto the same
// static files, its hash carrying the scene (or a whole state in `hash="#v=1&..."`), the
// language, the embed mode and the `origins` list (the attribute's origins, by default this
// page's own: the lab then takes commands from this page only and posts its events only to
// it). The element forwards the lab's events (`ready`, `step`, `divergence`, `error`) as DOM
// CustomEvents whose `detail` is the lab's message, and offers play(), pause(), reset() and
// setState(sceneIdOrHash). Hidden (on a slide not shown, in a hidden tab) the lab pauses and
// keeps its state, and goes on when shown again. Nothing here is inserted as HTML; styles are set from JS. The
// snippet's text inside the element shows while this module has not run (a host without CORS,
// say) and is replaced when it runs; when the lab does not answer within 15 s, the element says
// so.

import { EMBED_MODES, MAX_ORIGINS, serializedOrigin } from '../common/hash.js';
import { LANGS } from '../common/i18n.js';

const APP = new URL('../../index.html', import.meta.url);
const EVENTS = ['ready', 'step', 'divergence', 'error'];
const SCENE_ID = /^[a-z0-9_]{1,40}$/;
/** How long the lab may take to say `ready` before the element says it did not. */
const READY_MS = 15_000;

class OptiscapeLab extends HTMLElement {
  static get observedAttributes() {
    return ['scene', 'hash', 'lang', 'controls', 'height', 'origins'];
  }

  constructor() {
    super();
    this.frame = null;
    this.ready = false;
    this.queue = [];
    this.onMessage = (e) => this.receive(e);
  }

  connectedCallback() {
    if (!this.frame) {
      this.frame = document.createElement('iframe');
      this.frame.style.width = '100%';
      this.frame.style.border = '0';
      this.frame.style.display = 'block';
      this.frame.setAttribute('allow', 'clipboard-write');
      this.note = document.createElement('p');
      this.note.setAttribute('role', 'status');
      this.note.hidden = true;
      // The snippet's fallback text (shown while the module has not run) goes.
      this.replaceChildren(this.frame, this.note);
    }
    this.style.display = 'block';
    window.addEventListener('message', this.onMessage);
    this.watchVisibility();
    this.update();
  }

  disconnectedCallback() {
    clearTimeout(this.watchdog);
    window.removeEventListener('message', this.onMessage);
    this.styled?.disconnect();
    document.removeEventListener('visibilitychange', this.onVisibility);
    document.removeEventListener('transitionend', this.onVisibility, true);
  }

  /**
   * Tells the lab when it is hidden and when it is shown again (it stops animating or training
   * meanwhile, and keeps its state): on a slide not shown (reveal.js hides slides with classes,
   * `hidden` and styles on their sections), in a hidden tab, or hidden by the page. A lab merely
   * scrolled out of view goes on (a course page may play it from a button elsewhere).
   */
  watchVisibility() {
    this.shown = true;
    this.onVisibility = () => this.checkShown();
    this.styled = new MutationObserver(this.onVisibility);
    this.styled.observe(document.documentElement, { subtree: true, attributes: true, attributeFilter: ['class', 'hidden', 'style', 'aria-hidden'] });
    document.addEventListener('visibilitychange', this.onVisibility);
    // A slide fades out (opacity 0 at the end of its transition, after the class changed).
    document.addEventListener('transitionend', this.onVisibility, true);
  }

  checkShown() {
    const styledVisible = typeof this.checkVisibility !== 'function'
      || this.checkVisibility({ opacityProperty: true, visibilityProperty: true, checkOpacity: true, checkVisibilityCSS: true });
    const shown = styledVisible && document.visibilityState !== 'hidden';
    if (shown === this.shown) return;
    this.shown = shown;
    this.send({ action: 'visibility', visible: shown });
  }

  attributeChangedCallback() {
    if (this.frame) this.update();
  }

  /**
   * The origins the lab may talk to: those of the `origins` attribute (separated by commas or
   * spaces; an entry that is not an http(s) origin is left out), else this page's own, else
   * none (a page with an opaque origin, such as a file, cannot be named).
   */
  origins() {
    const listed = (this.getAttribute('origins') ?? '').split(/[\s,]+/).map(serializedOrigin).filter(Boolean);
    const own = serializedOrigin(location.origin);
    return listed.length ? [...new Set(listed)].slice(0, MAX_ORIGINS) : own ? [own] : [];
  }

  /** The lab's address for the current attributes. */
  src() {
    const controls = EMBED_MODES.includes(this.getAttribute('controls')) ? this.getAttribute('controls') : 'minimal';
    const lang = LANGS.includes(this.getAttribute('lang')) ? this.getAttribute('lang') : null;
    const hash = this.getAttribute('hash');
    const scene = this.getAttribute('scene');
    let parts;
    if (hash && hash.length <= 4000) {
      parts = hash.replace(/^#/, '').split('&').filter((p) => p && !/^(embed|lang|origins)=/.test(p));
    } else {
      parts = ['v=1'];
      if (scene && SCENE_ID.test(scene)) parts.push(`scene=${scene}`);
    }
    if (lang) parts.push(`lang=${lang}`);
    parts.push(`embed=${controls}`);
    const origins = this.origins();
    if (origins.length) parts.push(`origins=${origins.join(',')}`);
    return `${APP.href}#${parts.join('&')}`;
  }

  update() {
    const height = Number(this.getAttribute('height'));
    this.frame.style.height = `${Number.isFinite(height) && height >= 120 && height <= 4000 ? height : 480}px`;
    this.frame.title = this.getAttribute('title') || `optiscape${this.getAttribute('scene') ? `: ${this.getAttribute('scene')}` : ''}`;
    const src = this.src();
    if (this.frame.src !== src) {
      this.ready = false;
      this.frame.src = src;
      this.watch();
    }
  }

  /** Says so in the element when the lab has not answered within READY_MS of loading. */
  watch() {
    clearTimeout(this.watchdog);
    this.note.hidden = true;
    this.watchdog = setTimeout(() => {
      if (this.ready) return;
      const zh = this.getAttribute('lang') === 'zh-CN';
      const seconds = READY_MS / 1000;
      this.note.textContent = zh
        ? `${APP.origin} 上的实验室在 ${seconds} 秒内没有回应。请检查地址，以及本页能否访问它。`
        : `The lab at ${APP.origin} did not answer within ${seconds} s. Check the address, and that this page can reach it.`;
      this.note.hidden = false;
    }, READY_MS);
  }

  receive(e) {
    if (!this.frame || e.source !== this.frame.contentWindow || e.origin !== APP.origin) return;
    const msg = e.data;
    if (!msg || typeof msg !== 'object' || msg.type !== 'optiscape' || !EVENTS.includes(msg.event)) return;
    // The lab (re)started, or refused a setState: it takes messages again.
    if (msg.event === 'ready' || (msg.event === 'error' && msg.action === 'setState')) {
      this.ready = true;
      this.note.hidden = true;
      this.flush();
    }
    this.dispatchEvent(new CustomEvent(msg.event, { detail: msg }));
  }

  /** Sends queued messages; after a setState the lab reloads, so the rest waits for `ready`. */
  flush() {
    while (this.ready && this.queue.length) {
      const msg = this.queue.shift();
      this.frame.contentWindow.postMessage({ type: 'optiscape', ...msg }, APP.origin);
      if (msg.action === 'setState') this.ready = false;
    }
  }

  send(msg) {
    this.queue.push(msg);
    this.flush();
  }

  play() {
    this.send({ action: 'play' });
  }

  pause() {
    this.send({ action: 'pause' });
  }

  reset() {
    this.send({ action: 'reset' });
  }

  /** A scene id (`'ravine'`) or a whole state hash (`'#v=1&s=rosenbrock&...'`). */
  setState(target) {
    if (typeof target !== 'string') throw new TypeError('setState takes a scene id or a state hash');
    const isHash = target.startsWith('#') || target.startsWith('v=');
    this.send(isHash ? { action: 'setState', hash: target } : { action: 'setState', scene: target });
  }
}

if (!customElements.get('optiscape-lab')) customElements.define('optiscape-lab', OptiscapeLab);
