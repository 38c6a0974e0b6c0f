// Building MathML with DOM calls (never HTML strings): the lecture's formulas with live numbers.

const NS = 'http://www.w3.org/1998/Math/MathML';

/** An element `tag` with children (strings become text nodes) and attributes. */
export function m(tag, children = [], attrs = {}) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of [].concat(children)) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

export const mi = (s) => m('mi', s);
export const mn = (s) => m('mn', s);
export const mo = (s) => m('mo', s);
export const row = (...c) => m('mrow', c);
export const frac = (a, b) => m('mfrac', [a, b]);
export const sub = (a, b) => m('msub', [a, b]);
export const sup = (a, b) => m('msup', [a, b]);
export const sqrt = (...c) => m('msqrt', c);
/** A symbol with an argument: η(t). */
export const of = (name, arg = 't') => row(mi(name), mo('('), mi(arg), mo(')'));

/** A column vector (formatted strings or MathML nodes), bracketed by CSS (`.vec`). */
export function column(entries) {
  return m('mtable', entries.map((e) => m('mtr', [m('mtd', [typeof e === 'string' ? mn(e) : e])])), { class: 'vec' });
}

/** A matrix (rows of formatted strings or MathML nodes), bracketed by CSS (`.vec`). */
export function matrix(rows) {
  return m('mtable', rows.map((r) => m('mtr', r.map((e) => m('mtd', [typeof e === 'string' ? mn(e) : e])))), { class: 'vec' });
}

/** A `<math display="block">` holding `children`, labelled for screen readers. */
export function math(children, label) {
  return m('math', children, { display: 'block', 'aria-label': label });
}
