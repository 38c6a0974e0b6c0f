// The plain-JS peer of the classifier benchmarks, written for speed: the whole model lives in
// a few flat Float64Arrays allocated once (every weight and bias in one array, the gradients in
// a second, Adam's moments in two more, the activations and deltas of one block of rows per
// layer), and a training step is one loop nest per layer over the batch, with the index
// arithmetic written out: no objects per node or per sample, no closures or iterators in the
// loops, nothing allocated after the start. Plain JS (no SIMD, no wasm).
//
// It does the work of mlp_plain.mjs (the Playground-style peer) with the same initialization
// (torch's nn.Linear range, drawn in the same order from the same mulberry32 stream), the same
// shuffle, softmax + cross-entropy, SGD or Adam as torch computes it, and the same loop: an
// eval pass over the training data before and after every epoch, a fresh shuffle per epoch,
// the last partial batch kept. The loops take four rows of the batch at a time (each weight
// and gradient loaded once for the four, four independent chains of adds), but every sum
// still runs in the same order as there, so both peers compute the same numbers, bit for bit.

import { rng } from './mlp_plain.mjs';

/** Rows per block in the eval pass (the buffers hold max(batch, EVAL_ROWS) rows). */
const EVAL_ROWS = 128;

/**
 * z[i·out + o] = b[o] + Σ_k a[aOff + i·fanIn + k] · W[o·fanIn + k] for `rows` rows, W
 * row-major (out × fanIn) at P[wOff], b right after it. Four rows at a time: each weight is
 * loaded once for the four, and the four sums are four independent chains of adds (a single
 * dot product waits on its own adds); each sum still runs in k order from b[o].
 */
function forwardLayer(a, aOff, fanIn, P, wOff, out, z, rows) {
  const bOff = wOff + out * fanIn;
  let i = 0;
  for (; i + 3 < rows; i += 4) {
    const a0 = aOff + i * fanIn;
    const a1 = a0 + fanIn;
    const a2 = a1 + fanIn;
    const a3 = a2 + fanIn;
    const z0 = i * out;
    let wo = wOff;
    for (let o = 0; o < out; o += 1) {
      const bias = P[bOff + o];
      let s0 = bias;
      let s1 = bias;
      let s2 = bias;
      let s3 = bias;
      for (let k = 0; k < fanIn; k += 1) {
        const w = P[wo + k];
        s0 += a[a0 + k] * w;
        s1 += a[a1 + k] * w;
        s2 += a[a2 + k] * w;
        s3 += a[a3 + k] * w;
      }
      z[z0 + o] = s0;
      z[z0 + out + o] = s1;
      z[z0 + 2 * out + o] = s2;
      z[z0 + 3 * out + o] = s3;
      wo += fanIn;
    }
  }
  for (; i < rows; i += 1) {
    const ai = aOff + i * fanIn;
    const zi = i * out;
    let wo = wOff;
    for (let o = 0; o < out; o += 1) {
      let s = P[bOff + o];
      for (let k = 0; k < fanIn; k += 1) s += a[ai + k] * P[wo + k];
      z[zi + o] = s;
      wo += fanIn;
    }
  }
}

function tanhInPlace(z, len) {
  for (let j = 0; j < len; j += 1) z[j] = Math.tanh(z[j]);
}

function reluInPlace(z, len) {
  for (let j = 0; j < len; j += 1) if (z[j] < 0) z[j] = 0;
}

/**
 * Softmax cross-entropy of `rows` rows of logits z (k classes), labels y[yOff + i]. Adds each
 * row's loss to stats[0] and the right answers to stats[1]; with `d` (training),
 * writes dL/dlogits of the batch mean into d.
 */
function softmaxLoss(z, k, y, yOff, rows, d, stats) {
  let total = stats[0];
  let correct = stats[1];
  let zi = 0;
  for (let i = 0; i < rows; i += 1) {
    let max = z[zi];
    let arg = 0;
    for (let j = 1; j < k; j += 1) {
      const v = z[zi + j];
      if (v > max) {
        max = v;
        arg = j;
      }
    }
    const label = y[yOff + i];
    let sum = 0;
    if (d === null) {
      for (let j = 0; j < k; j += 1) sum += Math.exp(z[zi + j] - max);
    } else {
      for (let j = 0; j < k; j += 1) {
        const e = Math.exp(z[zi + j] - max);
        d[zi + j] = e;
        sum += e;
      }
      for (let j = 0; j < k; j += 1) d[zi + j] = (d[zi + j] / sum - (j === label ? 1 : 0)) / rows;
    }
    total += Math.log(sum) + max - z[zi + label];
    if (arg === label) correct += 1;
    zi += k;
  }
  stats[0] = total;
  stats[1] = correct;
}

/**
 * Adds the gradients of a layer (W at P[wOff], fanIn → out) from its output deltas d and its
 * inputs a into G; with `dp`, also the deltas of its inputs (through the hidden activation's
 * derivative, from the activations a themselves).
 */
function backwardLayer(d, out, a, fanIn, P, G, wOff, rows, dp, relu) {
  const bOff = wOff + out * fanIn;
  const hidden = dp !== null;
  if (hidden) dp.fill(0, 0, rows * fanIn);
  let i = 0;
  // Four rows at a time: each gradient entry is loaded and stored once for the four (its sum
  // still runs row by row), each weight loaded once.
  for (; i + 3 < rows; i += 4) {
    const a0 = i * fanIn;
    const a1 = a0 + fanIn;
    const a2 = a1 + fanIn;
    const a3 = a2 + fanIn;
    const d0 = i * out;
    let wo = wOff;
    for (let o = 0; o < out; o += 1) {
      const g0 = d[d0 + o];
      const g1 = d[d0 + out + o];
      const g2 = d[d0 + 2 * out + o];
      const g3 = d[d0 + 3 * out + o];
      G[bOff + o] = G[bOff + o] + g0 + g1 + g2 + g3;
      if (hidden) {
        for (let k = 0; k < fanIn; k += 1) {
          G[wo + k] = G[wo + k] + g0 * a[a0 + k] + g1 * a[a1 + k] + g2 * a[a2 + k] + g3 * a[a3 + k];
          const w = P[wo + k];
          dp[a0 + k] += g0 * w;
          dp[a1 + k] += g1 * w;
          dp[a2 + k] += g2 * w;
          dp[a3 + k] += g3 * w;
        }
      } else {
        for (let k = 0; k < fanIn; k += 1) {
          G[wo + k] = G[wo + k] + g0 * a[a0 + k] + g1 * a[a1 + k] + g2 * a[a2 + k] + g3 * a[a3 + k];
        }
      }
      wo += fanIn;
    }
  }
  for (; i < rows; i += 1) {
    const ai = i * fanIn;
    const di = i * out;
    let wo = wOff;
    for (let o = 0; o < out; o += 1) {
      const g = d[di + o];
      G[bOff + o] += g;
      if (hidden) {
        for (let k = 0; k < fanIn; k += 1) {
          G[wo + k] += g * a[ai + k];
          dp[ai + k] += g * P[wo + k];
        }
      } else {
        for (let k = 0; k < fanIn; k += 1) G[wo + k] += g * a[ai + k];
      }
      wo += fanIn;
    }
  }
  if (!hidden) return;
  const len = rows * fanIn;
  if (relu) {
    for (let j = 0; j < len; j += 1) if (!(a[j] > 0)) dp[j] = 0;
  } else {
    for (let j = 0; j < len; j += 1) {
      const v = a[j];
      dp[j] *= 1 - v * v;
    }
  }
}

function sgdStep(P, G, lr) {
  const len = P.length;
  for (let i = 0; i < len; i += 1) P[i] -= lr * G[i];
}

/** torch.optim.Adam (betas (0.9, 0.999), eps 1e-8), bias corrections each step `t` (from 1). */
function adamStep(P, G, M, V, lr, t) {
  const b1 = 0.9;
  const b2 = 0.999;
  const eps = 1e-8;
  const step = lr / (1 - b1 ** t);
  const bc2 = Math.sqrt(1 - b2 ** t);
  const len = P.length;
  for (let i = 0; i < len; i += 1) {
    const g = G[i];
    const m = b1 * M[i] + (1 - b1) * g;
    const v = b2 * V[i] + (1 - b2) * g * g;
    M[i] = m;
    V[i] = v;
    P[i] -= (step * m) / (Math.sqrt(v) / bc2 + eps);
  }
}

/**
 * Trains like the core's training loop: an eval pass before, then per epoch a fresh shuffle,
 * mini-batches (the last partial one kept), one update each, and an eval pass over the training
 * data. Returns the last eval `{loss, accuracy, updates}` (as mlp_plain.mjs's `train`).
 */
export function train({ x, y, features, sizes, activation, optimizer, lr, batch, epochs, seed = 1 }) {
  const n = y.length;
  const L = sizes.length - 1;
  const relu = activation === 'relu';
  const adam = optimizer === 'adam';
  if (sizes[0] !== features) throw new Error(`${features} features for ${sizes[0]} inputs`);

  // Every parameter in one array: layer l's W (out × fanIn, row-major) at wOff[l], its b after.
  const wOff = new Int32Array(L);
  let count = 0;
  for (let l = 0; l < L; l += 1) {
    wOff[l] = count;
    count += sizes[l + 1] * sizes[l] + sizes[l + 1];
  }
  const P = new Float64Array(count);
  const G = new Float64Array(count);
  const M = new Float64Array(adam ? count : 0);
  const V = new Float64Array(adam ? count : 0);
  const random = rng(seed);
  for (let l = 0; l < L; l += 1) {
    const bound = 1 / Math.sqrt(sizes[l]); // torch's nn.Linear default range
    const end = wOff[l] + sizes[l + 1] * sizes[l] + sizes[l + 1];
    for (let i = wOff[l]; i < end; i += 1) P[i] = (2 * random() - 1) * bound;
  }

  // acts[l]: layer l's values for a block of rows (acts[0], the gathered inputs of a batch);
  // deltas[l]: dL/d(acts[l]) for l ≥ 1 (deltas[L], dL/dlogits).
  const rowsMax = Math.max(batch, EVAL_ROWS);
  const acts = [];
  const deltas = [];
  for (let l = 0; l <= L; l += 1) {
    acts.push(new Float64Array(rowsMax * sizes[l]));
    deltas.push(new Float64Array(l === 0 ? 0 : rowsMax * sizes[l]));
  }
  const yb = new Int32Array(batch);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i += 1) order[i] = i;
  const stats = new Float64Array(2);
  const shuffle = rng(seed + 1);

  /** The eval pass over the training data, in blocks of EVAL_ROWS rows. */
  const evaluate = () => {
    stats[0] = 0;
    stats[1] = 0;
    for (let s = 0; s < n; s += EVAL_ROWS) {
      const rows = Math.min(EVAL_ROWS, n - s);
      let a = x;
      let aOff = s * features;
      for (let l = 0; l < L; l += 1) {
        const z = acts[l + 1];
        forwardLayer(a, aOff, sizes[l], P, wOff[l], sizes[l + 1], z, rows);
        if (l + 1 < L) {
          if (relu) reluInPlace(z, rows * sizes[l + 1]);
          else tanhInPlace(z, rows * sizes[l + 1]);
        }
        a = z;
        aOff = 0;
      }
      softmaxLoss(acts[L], sizes[L], y, s, rows, null, stats);
    }
    return { loss: stats[0] / n, accuracy: stats[1] / n };
  };

  let last = evaluate();
  let updates = 0;
  const xb = acts[0];
  for (let e = 0; e < epochs; e += 1) {
    for (let i = n - 1; i > 0; i -= 1) {
      const j = Math.floor(shuffle() * (i + 1));
      const tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    for (let s = 0; s < n; s += batch) {
      const rows = Math.min(batch, n - s);
      // Gather the batch.
      for (let r = 0; r < rows; r += 1) {
        const row = order[s + r];
        const src = row * features;
        const dst = r * features;
        for (let k = 0; k < features; k += 1) xb[dst + k] = x[src + k];
        yb[r] = y[row];
      }
      // Forward.
      for (let l = 0; l < L; l += 1) {
        const z = acts[l + 1];
        forwardLayer(acts[l], 0, sizes[l], P, wOff[l], sizes[l + 1], z, rows);
        if (l + 1 < L) {
          if (relu) reluInPlace(z, rows * sizes[l + 1]);
          else tanhInPlace(z, rows * sizes[l + 1]);
        }
      }
      softmaxLoss(acts[L], sizes[L], yb, 0, rows, deltas[L], stats);
      // Backward.
      G.fill(0);
      for (let l = L - 1; l >= 0; l -= 1) {
        backwardLayer(deltas[l + 1], sizes[l + 1], acts[l], sizes[l], P, G, wOff[l], rows,
          l === 0 ? null : deltas[l], relu);
      }
      // Update.
      updates += 1;
      if (adam) adamStep(P, G, M, V, lr, updates);
      else sgdStep(P, G, lr);
    }
    last = evaluate();
  }
  return { ...last, updates };
}
