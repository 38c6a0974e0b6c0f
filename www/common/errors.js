// The one place an error becomes words for the student: every banner, status line and notice
// that shows an error (from JS or from a wasm call) goes through `errorText`. Today that is the
// error's message; errors of the core may later be translated here by their `kind` with `t`.
// No DOM here: workers use it too.

/**
 * The text to show for `e` (an Error, an error object of the core `{kind, message, ...}`, or
 * anything thrown); `t` is the page's translator, when there is one.
 * @param {unknown} e
 * @param {(key: string, vars?: object) => string} [t]
 * @returns {string}
 */
// eslint-disable-next-line no-unused-vars
export function errorText(e, t) {
  if (e && typeof e === 'object' && typeof e.message === 'string') return e.message;
  return String(e);
}

/** The text with the error's class in front (`TypeError: …`), for the banner. */
export const errorLine = (e, t) => (e instanceof Error ? `${e.name}: ${errorText(e, t)}` : errorText(e, t));
