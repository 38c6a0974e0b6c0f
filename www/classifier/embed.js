// The classifier lab when it is framed (an <optiscape-lab> or an iframe onto a classifier
// scene): the message API of the surface lab (www/embed-api.js). It answers `play`, `pause`,
// `reset`, `visibility` (hidden it pauses; shown again it goes on) and `setState` (a scene id of either lab, or a classifier state hash) and tells the
// parent `ready`, `step` (updates and epochs done; at most ten a second while it trains, and
// once more when it stops), `divergence` (the training loss turned non-finite) and `error`.
// Who may talk to it is the link's `origins` field, with the surface lab's rules (parentLink).

import { onTrap } from '../common/recovery.js';
import { sceneHref } from '../common/scene-card.js';
import { language } from '../common/i18n.js';
import { parentLink } from '../embed-api.js';
import { classifier_link_check as linkCheck } from '../pkg/optiscape.js';
import { BOUNDARY_SIDE } from '../common/protocol.js';
import { readHash, trainConfig } from './state.js';

const STEP_EVENTS_PER_SECOND = 10;
const MAX_HASH = 4000;

/**
 * The page a `setState` message asks for, keeping the language, the theme, the embed mode
 * (`embed`: the page's, '' when framed without one) and the `origins` list (`origins`, or
 * null; a list in the message's hash is replaced), or null; throws the core's `too_much_work`
 * for a hash that asks for more than a link may.
 */
function target(app, msg, embed, origins) {
  const keep = `${embed ? `&embed=${embed}` : ''}${origins ? `&origins=${origins.join(',')}` : ''}`;
  if (typeof msg.scene === 'string') {
    const entry = app.catalog.scenes.find((s) => s.id === msg.scene);
    return entry ? sceneHref(entry, { lang: language(), theme: app.state.theme }) + keep : null;
  }
  if (typeof msg.hash === 'string' && msg.hash.length <= MAX_HASH) {
    const hash = msg.hash.startsWith('#') ? msg.hash : `#${msg.hash}`;
    const { state, ignored } = readHash(hash, app.catalog);
    if (ignored.length) return null;
    // A parent may not ask for more work than a link may (throws the core's too_much_work).
    linkCheck(JSON.stringify(trainConfig(state)), BOUNDARY_SIDE);
    const clean = `#${hash.slice(1).split('&').filter((p) => !/^(embed|origins)=/.test(p)).join('&')}`;
    return `classifier.html${clean}${/(?:^#|&)lang=/.test(clean) ? '' : `&lang=${language()}`}${keep}`;
  }
  return null;
}

/** Installs the API when the page is framed; returns the hooks main.js calls, or null. */
export function installEmbedApi(app) {
  if (window.parent === window) return null;
  const embed = document.body.dataset.embed ?? '';
  // A bare scene link is rewritten into the scene's run before the state is read (scene.js),
  // which leaves the list out: read it from the link as it was opened (nothing has written the
  // hash yet), so that the state, and every hash the page writes, keeps it.
  app.state.origins ??= readHash(location.hash, app.catalog).state.origins;
  const link = parentLink(app.state.origins);
  const post = (msg) => link.post({ type: 'optiscape', lab: 'classifier', ...msg });
  // A panic restarts the page (common/recovery.js): the parent hears it, then `ready` again.
  onTrap((e) => post({ event: 'error', action: 'restart', message: `the lab hit an internal error and restarts: ${e?.message ?? e}` }));
  let lastStep = -1;
  let lastPost = 0;
  const hooks = {
    ready() {
      post({ event: 'ready', scene: app.state.scene, hash: location.hash, step: app.stepsDone });
    },
    /** After the worker's progress report, or with `force` when training stops. */
    stepped(force = false) {
      const step = app.stepsDone;
      const now = performance.now();
      if (step === lastStep && !force) return;
      if (!force && app.playing && now - lastPost < 1000 / STEP_EVENTS_PER_SECOND) return;
      lastStep = step;
      lastPost = now;
      post({ event: 'step', step, epoch: app.history.epochs, playing: app.playing });
    },
    stopped(msg) {
      if (msg.reason === 'diverged') {
        post({ event: 'divergence', run: 0, step: app.stepsDone, cause: 'the training loss is not finite' });
      }
    },
  };
  // Hidden (on a slide not shown: the element's `visibility` message) training pauses, and it
  // goes on when the lab is shown again; while hidden, play and pause say what happens then.
  let hiddenWhilePlaying = null;
  window.addEventListener('message', (e) => {
    if (!link.accepts(e)) return;
    const msg = e.data;
    if (!msg || typeof msg !== 'object' || msg.type !== 'optiscape' || typeof msg.action !== 'string') return;
    const refused = (why) => post({ event: 'error', action: msg.action, message: why });
    if (msg.action === 'visibility') {
      if (msg.visible === false && hiddenWhilePlaying === null) {
        hiddenWhilePlaying = app.playing;
        if (app.playing) app.togglePlay();
      } else if (msg.visible === true && hiddenWhilePlaying !== null) {
        const resume = hiddenWhilePlaying;
        hiddenWhilePlaying = null;
        if (resume && !app.playing && !app.job && !document.getElementById('play').disabled) app.togglePlay();
      }
      return;
    }
    if (hiddenWhilePlaying !== null && (msg.action === 'play' || msg.action === 'pause' || msg.action === 'reset')) {
      hiddenWhilePlaying = msg.action === 'play';
      if (msg.action === 'play') return;
    }
    switch (msg.action) {
      case 'play':
        if (app.playing) break;
        if (app.job || document.getElementById('play').disabled) refused('the lab cannot train now (an experiment runs, or the configuration is invalid)');
        else app.togglePlay();
        break;
      case 'pause':
        if (app.playing) app.togglePlay();
        break;
      case 'reset':
        if (document.getElementById('reset').disabled) refused('the lab cannot reset while an experiment runs');
        else document.getElementById('reset').click();
        break;
      case 'setState': {
        let url;
        try {
          url = target(app, msg, embed, link.keep());
        } catch (e) {
          refused(`setState: ${e?.message ?? e}`);
          break;
        }
        if (url === null) refused('setState takes a known scene id or a valid classifier state hash');
        else if (new URL(url, location.href).href === location.href) hooks.ready();
        else location.replace(url);
        break;
      }
      default:
        break;
    }
  });
  return hooks;
}
