// Shows a formula error inline: the message, and the formula with the offending bytes marked.
// Spans from the core are byte offsets into the UTF-8 text, so they are cut on bytes.

import { errorText } from './common/errors.js';
import { t } from './common/i18n.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Splits `source` at the byte span into `[before, marked, after]`. */
export function splitAtSpan(source, start, end) {
  const bytes = encoder.encode(source);
  const s = Math.max(0, Math.min(start, bytes.length));
  const e = Math.max(s, Math.min(end, bytes.length));
  return [bytes.subarray(0, s), bytes.subarray(s, e), bytes.subarray(e)].map((b) => decoder.decode(b));
}

/** Shows `error` (a `FormulaError` with `start`/`end`) for `source`, or hides the box. */
export function showFormulaError(source, error) {
  const input = document.getElementById('formula');
  const box = document.getElementById('formula-error');
  const marked = document.getElementById('formula-marked');
  if (!error) {
    box.hidden = true;
    input.removeAttribute('aria-invalid');
    return;
  }
  const message = document.getElementById('formula-message');
  message.textContent = errorText(error, t);
  marked.replaceChildren();
  if (Number.isFinite(error.start)) {
    const [before, span, after] = splitAtSpan(source, error.start, error.end);
    const mark = document.createElement('mark');
    // An empty span (something missing) marks the place where it is missing.
    mark.textContent = span || '\u00a0';
    marked.append(before, mark, after);
    box.dataset.start = String(error.start);
    box.dataset.end = String(error.end);
  }
  box.hidden = false;
  input.setAttribute('aria-invalid', 'true');
}
