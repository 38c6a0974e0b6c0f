// The error banner: uncaught errors, rejected promises and Rust panics (which the panic hook
// logs and which then surface as a wasm `RuntimeError`) all end up here, visible to the student.

import { errorText } from './common/errors.js';
import { t } from './i18n.js';

const banner = () => document.getElementById('banner');

/** Shows `error` in the banner (and keeps the first message in `data-error` for tests). */
export function showError(error) {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const el = banner();
  if (!el) return;
  // A core error in the page's language; `data-error` keeps the English text.
  document.getElementById('banner-text').textContent = typeof error?.kind === 'string' ? errorText(error, t) : text;
  el.hidden = false;
  if (!document.body.dataset.error) document.body.dataset.error = text;
}

/** Routes every uncaught error to the banner. */
export function installErrorBanner() {
  window.addEventListener('error', (e) => showError(e.error ?? e.message));
  window.addEventListener('unhandledrejection', (e) => showError(e.reason));
  document.getElementById('banner-reload')?.addEventListener('click', () => location.reload());
}
