// The classifier page's per-epoch series (www/classifier/history.js), in node: a short run keeps
// every epoch; a long one keeps fewer than 2·SERIES_CAP points, one every `stride` epochs, point
// i being epoch (i + 1)·stride, and the readouts show the last epoch.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SERIES, SERIES_CAP, addEpoch, emptyHistory } from '../../www/classifier/history.js';

const row = (e) => Object.fromEntries(SERIES.map((k) => [k, e]));

test('a short run keeps every epoch', () => {
  const h = emptyHistory();
  for (let e = 1; e <= 100; e += 1) addEpoch(h, row(e));
  assert.equal(h.epochs, 100);
  assert.equal(h.stride, 1);
  assert.deepEqual(h.trainLoss, Array.from({ length: 100 }, (_, i) => i + 1));
  assert.deepEqual(h.last, row(100));
});

test('a long run keeps fewer than 2·SERIES_CAP points, evenly spaced, and the last epoch for the readouts', () => {
  const h = emptyHistory();
  const epochs = 50 * SERIES_CAP + 7;
  let most = 0;
  for (let e = 1; e <= epochs; e += 1) {
    addEpoch(h, row(e));
    most = Math.max(most, h.trainLoss.length);
  }
  assert.ok(most < 2 * SERIES_CAP, `${most} points`);
  assert.equal(h.epochs, epochs);
  assert.ok(h.stride > 1);
  for (const k of SERIES) {
    assert.equal(h[k].length, h.trainLoss.length);
    h[k].forEach((v, i) => assert.equal(v, (i + 1) * h.stride, `${k}[${i}]`));
  }
  assert.ok(h.trainLoss.at(-1) > epochs - h.stride);
  assert.deepEqual(h.last, row(epochs));
});
