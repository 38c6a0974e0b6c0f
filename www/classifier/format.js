// How the classifier page shows numbers: short, and the same everywhere. Text only; the
// numbers themselves come from the core.

/** A setting such as a learning rate: three significant digits, no trailing zeros. */
export function formatRate(v) {
  return String(Number(v.toPrecision(3)));
}

/** A loss: exponent form when far from 1; "—" for nothing, the word for NaN/∞. */
export function formatLoss(v) {
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : v.toPrecision(4);
}

/** An accuracy in [0, 1] as a percentage with one decimal. */
export function formatPercent(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${(v * 100).toFixed(1)}%`;
}

/** Seconds as µs, ms or s with three significant digits. */
export function formatSeconds(s) {
  if (s === null || s === undefined || !Number.isFinite(s)) return '—';
  if (s < 1e-3) return `${Number((s * 1e6).toPrecision(3))} µs`;
  if (s < 1) return `${Number((s * 1e3).toPrecision(3))} ms`;
  return `${Number(s.toPrecision(3))} s`;
}

/** A count with thousands separators for the page's language. */
export function formatCount(n, lang) {
  return Number(n).toLocaleString(lang === 'zh-CN' ? 'zh-CN' : 'en-US');
}

/** A small positive quantity (gradient noise): three significant digits. */
export function formatSmall(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v === 0) return '0';
  return v >= 1e-3 && v < 1e4 ? String(Number(v.toPrecision(3))) : v.toExponential(2);
}
