// The classifier page's per-epoch series (the loss, accuracy and timing charts, the readouts),
// bounded so that a long run's memory stays flat.

/** The per-epoch series the charts draw. */
export const SERIES = ['trainLoss', 'testLoss', 'trainAcc', 'testAcc', 'perUpdate', 'perEpoch', 'noise'];
/**
 * A series keeps fewer than 2·SERIES_CAP points however long a run trains: at that length
 * every second point goes and the series keeps one point every `stride` epochs from then on
 * (the chart has far fewer pixels), so the page's memory stays flat. `epochs` counts them
 * all; `last` is the last epoch's row (the readouts).
 */
export const SERIES_CAP = 2048;

export function emptyHistory() {
  return { ...Object.fromEntries(SERIES.map((k) => [k, []])), epochs: 0, stride: 1, last: null };
}

/** Adds one epoch's row (`{trainLoss, …}`) to history `h`. */
export function addEpoch(h, row) {
  h.epochs += 1;
  h.last = row;
  if (h.epochs % h.stride !== 0) return;
  for (const k of SERIES) h[k].push(row[k]);
  if (h.trainLoss.length >= 2 * SERIES_CAP) {
    for (const k of SERIES) h[k] = h[k].filter((_, i) => i % 2 === 1);
    h.stride *= 2;
  }
}
