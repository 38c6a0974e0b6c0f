// The plain-JS peer of the classifier benchmarks: a small MLP written by hand over flat
// Float64Arrays, in the spirit of TensorFlow Playground's nn.ts (forward, backward and the
// update as plain loops) but batched and allocation-free in the loop, as a careful JS
// programmer would write it. Softmax + cross-entropy; SGD, or Adam as torch computes it.

/** A deterministic PRNG (mulberry32) for the initialization and the shuffling. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Mlp {
  /**
   * `sizes`: [inputs, hidden..., classes]; `activation`: 'tanh' or 'relu' (hidden layers);
   * `maxRows`: the largest batch (buffers are sized once).
   */
  constructor(sizes, activation, maxRows, seed = 1) {
    this.sizes = sizes;
    this.relu = activation === 'relu';
    const random = rng(seed);
    this.W = [];
    this.b = [];
    this.gW = [];
    this.gb = [];
    for (let l = 0; l + 1 < sizes.length; l += 1) {
      const [fanIn, out] = [sizes[l], sizes[l + 1]];
      const bound = 1 / Math.sqrt(fanIn); // torch's nn.Linear default range
      this.W.push(Float64Array.from({ length: out * fanIn }, () => (2 * random() - 1) * bound));
      this.b.push(Float64Array.from({ length: out }, () => (2 * random() - 1) * bound));
      this.gW.push(new Float64Array(out * fanIn));
      this.gb.push(new Float64Array(out));
    }
    this.resize(maxRows);
  }

  resize(rows) {
    this.rows = rows;
    this.acts = this.sizes.map((d) => new Float64Array(rows * d));
    this.deltas = this.sizes.map((d) => new Float64Array(rows * d));
  }

  /** Forward over `n` rows of `x` (row-major); the logits end in acts[last]. */
  forward(x, n) {
    if (n > this.rows) this.resize(n);
    const L = this.W.length;
    this.acts[0].set(x.subarray(0, n * this.sizes[0]));
    for (let l = 0; l < L; l += 1) {
      const fanIn = this.sizes[l];
      const out = this.sizes[l + 1];
      const a = this.acts[l];
      const z = this.acts[l + 1];
      const W = this.W[l];
      const b = this.b[l];
      const hidden = l + 1 < L;
      for (let i = 0; i < n; i += 1) {
        const ai = i * fanIn;
        for (let o = 0; o < out; o += 1) {
          let s = b[o];
          const wo = o * fanIn;
          for (let k = 0; k < fanIn; k += 1) s += a[ai + k] * W[wo + k];
          if (hidden) s = this.relu ? (s > 0 ? s : 0) : Math.tanh(s);
          z[i * out + o] = s;
        }
      }
    }
  }

  /** Softmax cross-entropy of the last forward; with `backward`, dL/dlogits into deltas. */
  loss(y, n, backward) {
    const L = this.W.length;
    const k = this.sizes[L];
    const logits = this.acts[L];
    const d = this.deltas[L];
    let total = 0;
    let correct = 0;
    for (let i = 0; i < n; i += 1) {
      let max = -Infinity;
      let arg = 0;
      for (let j = 0; j < k; j += 1) {
        const v = logits[i * k + j];
        if (v > max) {
          max = v;
          arg = j;
        }
      }
      let sum = 0;
      for (let j = 0; j < k; j += 1) sum += Math.exp(logits[i * k + j] - max);
      total += Math.log(sum) + max - logits[i * k + y[i]];
      if (arg === y[i]) correct += 1;
      if (backward) {
        for (let j = 0; j < k; j += 1) {
          const p = Math.exp(logits[i * k + j] - max) / sum;
          d[i * k + j] = (p - (j === y[i] ? 1 : 0)) / n;
        }
      }
    }
    return { loss: total / n, correct };
  }

  /** Gradients of every weight and bias from the deltas of the last layer. */
  backward(n) {
    for (let l = this.W.length - 1; l >= 0; l -= 1) {
      const fanIn = this.sizes[l];
      const out = this.sizes[l + 1];
      const d = this.deltas[l + 1];
      const a = this.acts[l];
      const gW = this.gW[l];
      const gb = this.gb[l];
      gW.fill(0);
      gb.fill(0);
      for (let i = 0; i < n; i += 1) {
        for (let o = 0; o < out; o += 1) {
          const g = d[i * out + o];
          gb[o] += g;
          const wo = o * fanIn;
          const ai = i * fanIn;
          for (let k = 0; k < fanIn; k += 1) gW[wo + k] += g * a[ai + k];
        }
      }
      if (l === 0) break;
      const W = this.W[l];
      const dp = this.deltas[l];
      for (let i = 0; i < n; i += 1) {
        for (let k = 0; k < fanIn; k += 1) {
          let s = 0;
          for (let o = 0; o < out; o += 1) s += d[i * out + o] * W[o * fanIn + k];
          const av = a[i * fanIn + k];
          dp[i * fanIn + k] = this.relu ? (av > 0 ? s : 0) : s * (1 - av * av);
        }
      }
    }
  }

  /** Every parameter array with its gradient, for the optimizers. */
  slots() {
    return this.W.flatMap((w, l) => [[w, this.gW[l]], [this.b[l], this.gb[l]]]);
  }
}

/** SGD: θ ← θ − lr·g. */
export function sgd(model, lr) {
  const slots = model.slots();
  return () => {
    for (const [p, g] of slots) for (let i = 0; i < p.length; i += 1) p[i] -= lr * g[i];
  };
}

/** Adam as torch.optim.Adam (defaults betas (0.9, 0.999), eps 1e-8), bias corrections each step. */
export function adam(model, lr, b1 = 0.9, b2 = 0.999, eps = 1e-8) {
  const slots = model.slots().map(([p, g]) => [p, g, new Float64Array(p.length), new Float64Array(p.length)]);
  let t = 0;
  return () => {
    t += 1;
    const step = lr / (1 - b1 ** t);
    const bc2 = Math.sqrt(1 - b2 ** t);
    for (const [p, g, m, v] of slots) {
      for (let i = 0; i < p.length; i += 1) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        p[i] -= (step * m[i]) / (Math.sqrt(v[i]) / bc2 + eps);
      }
    }
  };
}

/**
 * Trains like the core's training loop: an eval pass before, then per epoch a fresh shuffle,
 * mini-batches (the last partial one kept), one update each, and an eval pass over the training
 * data. Returns the last eval `{loss, accuracy, updates}`.
 */
export function train({ x, y, features, sizes, activation, optimizer, lr, batch, epochs, seed = 1 }) {
  const n = y.length;
  const model = new Mlp(sizes, activation, Math.max(batch, n), seed);
  const update = optimizer === 'adam' ? adam(model, lr) : sgd(model, lr);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const xb = new Float64Array(batch * features);
  const yb = new Int32Array(batch);
  const random = rng(seed + 1);
  const evaluate = () => {
    model.forward(x, n);
    const { loss, correct } = model.loss(y, n, false);
    return { loss, accuracy: correct / n };
  };
  let last = evaluate();
  let updates = 0;
  for (let e = 0; e < epochs; e += 1) {
    for (let i = n - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      const tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    for (let s = 0; s < n; s += batch) {
      const m = Math.min(batch, n - s);
      for (let r = 0; r < m; r += 1) {
        const row = order[s + r];
        xb.set(x.subarray(row * features, (row + 1) * features), r * features);
        yb[r] = y[row];
      }
      model.forward(xb, m);
      model.loss(yb, m, true);
      model.backward(m);
      update();
      updates += 1;
    }
    last = evaluate();
  }
  return { ...last, updates };
}
