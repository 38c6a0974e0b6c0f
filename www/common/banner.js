// The error banner: uncaught errors, rejected promises and Rust panics (which the panic hook
// logs and which then surface as a wasm `RuntimeError`) all end up here, visible to the student.
// A panic first restarts the page from its last good link (recovery.js); only when that keeps
// failing does the banner show it.

import { errorLine, errorText } from './errors.js';
import { t } from './i18n.js';
import { isTrap, recover } from './recovery.js';

const $ = (id) => document.getElementById(id);

/** Shows `error` in the banner (and keeps the first message in `data-error` for tests). */
export function showError(error) {
  if (isTrap(error) && recover(error)) return;
  const text = errorLine(error);
  const el = $('banner');
  if (!el) return;
  // A core error in the page's language; `data-error` keeps the English text.
  $('banner-text').textContent = typeof error?.kind === 'string' ? errorText(error, t) : text;
  el.hidden = false;
  if (!document.body.dataset.error) document.body.dataset.error = text;
}

/** Routes every uncaught error to the banner (and wires the reload button). */
export function installErrorBanner() {
  window.addEventListener('error', (e) => showError(e.error ?? e.message));
  window.addEventListener('unhandledrejection', (e) => showError(e.reason));
  $('banner-reload')?.addEventListener('click', () => location.reload());
}
