// How numbers are shown to a student: short, and the same everywhere.

/** A learning rate or other positive setting: three significant digits, no trailing zeros. */
export function formatRate(v) {
  return String(Number(v.toPrecision(3)));
}

/** A coordinate: fixed three decimals. */
export function formatCoord(v) {
  return Number.isFinite(v) ? v.toFixed(3) : String(v);
}

/** A loss: exponent form when far from 1. */
export function formatLoss(v) {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : v.toPrecision(4);
}

/** A point `(x, y)`. */
export function formatPoint([x, y]) {
  return `(${formatCoord(x)}, ${formatCoord(y)})`;
}
