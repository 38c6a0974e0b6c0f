// Errors from the wasm core, in the page's language. The core throws JS `Error`s that carry
// data (see src/web/error.rs): a stable snake_case `kind` and, as the kind has them, `field`,
// `value`, `expected` (a string, a list of names, or `{kind, ...}` for the common shapes),
// `identifier` (the catalogs' `{name}`: an `Error` keeps `name` for itself), `suggestion`, `left`, `right`, `max`, `hint`, `span: {start, end}`; `message` is the
// English text. The catalogs translate each kind as `error.<kind>` with those placeholders.
// The one place an error becomes words for the student: every banner, status line and notice
// that shows an error goes through `errorText`. No DOM here: workers use it too.

/** The text of `expected`: a string as is, a list joined, a shape from the catalog. */
function expectedText(expected, t) {
  if (expected == null) return '';
  if (Array.isArray(expected)) return expected.join(', ');
  if (typeof expected !== 'object') return String(expected);
  const vars = { ...expected };
  if (expected.unit) vars.unit = t(`error.unit.${expected.unit.replaceAll(' ', '_')}`);
  return t(`error.expected.${expected.kind}`, vars);
}

/**
 * The translated text of a wasm error `e` (anything with a string `kind` that the catalog
 * knows), or `e.message` for anything else. `t` is the page's `t(key, vars)`; `options.field`
 * may turn a field's code name into a label (the phase diagram names its parameters).
 */
export function errorText(e, t, options = {}) {
  if (e == null) return '';
  const message = e.message ?? String(e);
  if (typeof e.kind !== 'string' || typeof t !== 'function') return message;
  const key = `error.${e.kind}`;
  if (t(key) === key) return message;
  const field = e.field == null ? '' : (options.field?.(e.field) ?? e.field);
  const vars = {
    ...e,
    field,
    name: e.identifier ?? '',
    expected: expectedText(e.expected, t),
    suggestion: e.suggestion ?? '',
    detail: e.detail ?? '',
  };
  if (e.kind === 'too_much_work') {
    // A budget (src/budget.rs): what asked, in which unit, and how to ask for more.
    vars.field = t(`error.work.${e.field}`);
    vars.unit = t(`error.unit.${e.unit}`);
    vars.raise = e.raise === 'controls' || e.raise === 'smaller' ? t(`error.raise.${e.raise}`) : t('error.raise.flag', { raise: e.raise });
  }
  let text = t(e.suggestion ? `${key}.suggest` : key, vars);
  if (e.hint) text += t(`error.hint.${e.hint}`);
  return text;
}

/** A copy of a wasm error's data that a worker can post (`Error`s lose their properties). */
export function errorData(e) {
  if (e == null || typeof e !== 'object') return { message: String(e) };
  return { ...e, name: e.name, message: e.message };
}

/** An `Error` again, with the posted data `d` as its properties. */
export function errorFromData(d) {
  const e = new Error(d?.message ?? String(d));
  return Object.assign(e, d);
}

/** The text with the error's class in front (`TypeError: …`), for the banner. */
export const errorLine = (e, t) => (e instanceof Error ? `${e.name}: ${errorText(e, t)}` : errorText(e, t));
