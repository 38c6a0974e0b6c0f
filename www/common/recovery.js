// What a page does after a Rust panic (a bug: the core answers bad input with errors, not
// panics). In wasm a panic traps ("RuntimeError: unreachable") and leaves the instance in no
// state to be called again, so the page restarts: a fresh wasm instance, opened at the last
// link that worked (kept in sessionStorage, or the frame's name where that is blocked), with a notice saying what happened; an embedding
// page hears an `error` event first and `ready` after. A second trap soon after falls back to
// the page's starting settings (the last good link may be what fails); a third gives up and
// the banner shows the error, as before. A worker's trap restarts the worker instead
// (WorkerClient in protocol.js).

const KEY = 'optiscape.recovery';
/** Traps closer together than this count as one failing state. */
const AGAIN_MS = 20_000;
/** Fields a restart at the starting settings keeps: the language, the theme and the embedding. */
const KEEP = ['v', 'lang', 'theme', 'embed', 'origins'];

const listeners = [];
/** Set once a restart is under way: nothing is marked good after it. */
let restarting = false;
/** The link last marked good (or being marked). */
let marking = null;

/** Whether `e` is a trapped wasm instance (here or posted by a worker, by its name). */
export const isTrap = (e) => (typeof WebAssembly !== 'undefined' && e instanceof WebAssembly.RuntimeError) || e?.name === 'RuntimeError';

/** `fn(error)` runs before the page restarts after a trap (the embed API posts `error`). */
export function onTrap(fn) {
  listeners.push(fn);
}

/**
 * Where the record lives across the reload: sessionStorage, or, where a page may not use it
 * (a frame on another site than its parent, with third-party storage blocked), the frame's
 * own `window.name`, which a reload keeps.
 */
const NAME_PREFIX = 'optiscape-recovery:';

function nameStore() {
  try {
    return window.name.startsWith(NAME_PREFIX) ? JSON.parse(window.name.slice(NAME_PREFIX.length)) : {};
  } catch {
    return {};
  }
}

function read(key) {
  try {
    return JSON.parse(sessionStorage.getItem(key) ?? 'null');
  } catch {
    return nameStore()[key] ?? null;
  }
}

function write(key, value) {
  try {
    sessionStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    try {
      window.name = NAME_PREFIX + JSON.stringify({ ...nameStore(), [key]: value });
      return true;
    } catch {
      return false;
    }
  }
}

const goodKey = () => `${KEY}.good:${location.pathname}`;

/**
 * Remembers the page's current link as one that worked, two frames from now if nothing trapped
 * by then (so the state the link names has been computed and drawn).
 */
export function markGood() {
  const hash = location.hash;
  // The classifier calls this with every picture: only a link not yet marked costs a write.
  if (hash === marking) return;
  marking = hash;
  requestAnimationFrame(() => requestAnimationFrame(() => {
    if (!restarting && location.hash === hash) write(goodKey(), hash);
    else if (marking === hash) marking = null;
  }));
}

/** `hash` with only the fields in KEEP (and the embed mode of the page, when it has one). */
function startingHash(hash) {
  const parts = hash.replace(/^#/, '').split('&').filter((p) => KEEP.includes(p.split('=')[0]));
  const embed = typeof document !== 'undefined' ? document.body?.dataset.embed : '';
  if (embed && !parts.some((p) => p.startsWith('embed='))) parts.push(`embed=${embed}`);
  if (!parts.some((p) => p.startsWith('v='))) parts.unshift('v=1');
  return `#${parts.join('&')}`;
}

/**
 * After a trap: restarts the page (see the top of this file) and returns true, or returns
 * false when it has tried twice in a short time (the caller then shows the error).
 */
export function recover(error) {
  const now = Date.now();
  const last = read(KEY);
  const recent = last && now - last.at < AGAIN_MS;
  const tries = recent ? last.tries + 1 : 1;
  if (tries > 2) return false;
  const good = read(goodKey()) ?? location.hash;
  const hash = tries === 1 ? good : startingHash(good);
  if (!write(KEY, { at: now, tries, message: `${error?.name ?? 'Error'}: ${error?.message ?? error}`, shown: false })) return false;
  restarting = true;
  for (const fn of listeners) {
    try {
      fn(error);
    } catch {
      // A listener's failure does not stop the restart.
    }
  }
  history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
  location.reload();
  return true;
}

/**
 * Once after a restart: `{tries, message}` (tries 2: it opened at the starting settings), else
 * null. The page turns it into its notice.
 */
export function restarted() {
  const last = read(KEY);
  if (!last || last.shown) return null;
  write(KEY, { ...last, shown: true });
  return { tries: last.tries, message: last.message };
}
