// How numbers are shown to a student, on every page: one formatter, one set of thresholds
// (plain digits from 10⁻³ up to 10⁵, exponent form outside), short and the same everywhere.
// Text only; the numbers themselves come from the core.

const SMALL = 1e-3;
const LARGE = 1e5;

/**
 * `v` in `digits` significant digits: plain between 10⁻³ and 10⁵, else exponent form. With
 * `trim` (the default) trailing zeros go and the exponent is the shortest (`2.5e-7`, `1e5`);
 * without, every digit stays (`1.000`, `1.000e+5`). NaN and ±∞ are their words.
 */
export function formatNumber(v, { digits = 4, trim = true } = {}) {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  const far = a !== 0 && (a < SMALL || a >= LARGE);
  if (!trim) return far ? v.toExponential(digits - 1) : v.toPrecision(digits);
  const r = Number(v.toPrecision(digits));
  return far ? r.toExponential().replace('e+', 'e') : String(r);
}

const none = (v) => v === null || v === undefined;

/** A learning rate or other positive setting: three significant digits, no trailing zeros. */
export const formatRate = (v) => String(Number(v.toPrecision(3)));

/** A coordinate: fixed three decimals. */
export const formatCoord = (v) => (Number.isFinite(v) ? v.toFixed(3) : String(v));

/** A point `(x, y)`. */
export const formatPoint = ([x, y]) => `(${formatCoord(x)}, ${formatCoord(y)})`;

/** A loss: four significant digits; "—" for nothing. */
export const formatLoss = (v) => (none(v) ? '—' : formatNumber(v, { trim: false }));

/** A label on a chart or a contour: three significant digits, shortest form. */
export const levelText = (v) => formatNumber(v, { digits: 3 });

/** An accuracy in [0, 1] as a percentage with one decimal. */
export function formatPercent(v) {
  if (none(v) || !Number.isFinite(v)) return '—';
  return `${(v * 100).toFixed(1)}%`;
}

/** Seconds as µs, ms or s with three significant digits. */
export function formatSeconds(s) {
  if (none(s) || !Number.isFinite(s)) return '—';
  if (s < 1e-3) return `${formatRate(s * 1e6)} µs`;
  if (s < 1) return `${formatRate(s * 1e3)} ms`;
  return `${formatRate(s)} s`;
}

/** A count with thousands separators for the page's language. */
export const formatCount = (n, lang) => Number(n).toLocaleString(lang === 'zh-CN' ? 'zh-CN' : 'en-US');

/** A small positive quantity (gradient noise): three significant digits. */
export const formatSmall = (v) => (none(v) || !Number.isFinite(v) ? '—' : levelText(v));
