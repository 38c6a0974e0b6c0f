// The WGSL compute shaders of the WebGPU training backend (f32): the dense layers, batch norm,
// softmax with cross-entropy or MSE, their backward passes, and the optimizers' update rules
// with torch's semantics (as src/optim does them in f64). Sizes and offsets are pipeline
// `override` constants, so one module serves every layer; the per-pass numbers (rows, first
// position in the batch order, the lr, the step count) come in the `Step` uniform.

const HEADER = /* wgsl */ `
struct Step {
  n: u32,      // rows of this pass
  row0: u32,   // first position in ORDER
  slot: u32,   // where the reduction writes in OUT
  train: u32,  // 1: train mode (batch statistics, running update); 0: eval mode
  lr: f32,
  t: f32,      // this engine's update count, 1-based
  pad0: f32,
  pad1: f32,
}
@group(0) @binding(0) var<uniform> st: Step;
@group(1) @binding(0) var<storage, read> X: array<f32>;
@group(1) @binding(1) var<storage, read> Y: array<u32>;
@group(1) @binding(2) var<storage, read> ORDER: array<u32>;
@group(2) @binding(0) var<storage, read_write> P: array<f32>;
@group(2) @binding(1) var<storage, read_write> G: array<f32>;
@group(2) @binding(2) var<storage, read_write> WK: array<f32>;
@group(2) @binding(3) var<storage, read_write> S: array<f32>;
@group(2) @binding(4) var<storage, read_write> OUT: array<f32>;

// 0 relu, 1 tanh, 2 sigmoid, 3 linear
fn act(z: f32, kind: u32) -> f32 {
  switch kind {
    case 0u: { return max(z, 0.0); }
    case 1u: {
      let e = exp(-2.0 * abs(z));
      return sign(z) * (1.0 - e) / (1.0 + e);
    }
    case 2u: {
      if (z >= 0.0) { return 1.0 / (1.0 + exp(-z)); }
      let e = exp(z);
      return e / (1.0 + e);
    }
    default: { return z; }
  }
}

// The derivative in terms of the output a = f(z); relu'(0) = 0 as torch.
fn dact(a: f32, kind: u32) -> f32 {
  switch kind {
    case 0u: { return select(0.0, 1.0, a > 0.0); }
    case 1u: { return 1.0 - a * a; }
    case 2u: { return a * (1.0 - a); }
    default: { return 1.0; }
  }
}

fn flat_id(gid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return gid.x + gid.y * nwg.x * 64u;
}

// Sums over the rows run in parallel: one workgroup of 64 threads per output number, each
// thread striding over the rows, then a tree in workgroup memory (a serial loop per thread
// would make an update's time grow with the batch long before the device is full).
var<workgroup> part: array<f32, 64>;
var<workgroup> part2: array<f32, 64>;

fn group_sum2(li: u32, a: f32, b: f32) -> vec2<f32> {
  part[li] = a;
  part2[li] = b;
  workgroupBarrier();
  for (var k = 32u; k > 0u; k = k >> 1u) {
    if (li < k) {
      part[li] += part[li + k];
      part2[li] += part2[li + k];
    }
    workgroupBarrier();
  }
  let out = vec2<f32>(part[0], part2[0]);
  workgroupBarrier();
  return out;
}
`;

/** z = x·Wᵀ + b (then the activation, unless batch norm comes first), one thread per output. */
const DENSE_FWD = /* wgsl */ `
override FAN_IN: u32 = 1u;
override UNITS: u32 = 1u;
override W_OFF: u32 = 0u;
override B_OFF: u32 = 0u;
override IN_OFF: u32 = 0u;
override OUT_OFF: u32 = 0u;
override FIRST: bool = false;
override ACT: u32 = 3u;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let id = flat_id(gid, nwg);
  if (id >= st.n * UNITS) { return; }
  let r = id / UNITS;
  let o = id % UNITS;
  var z = P[B_OFF + o];
  let w = W_OFF + o * FAN_IN;
  if (FIRST) {
    let row = ORDER[st.row0 + r] * FAN_IN;
    for (var i = 0u; i < FAN_IN; i++) { z += P[w + i] * X[row + i]; }
  } else {
    let row = IN_OFF + r * FAN_IN;
    for (var i = 0u; i < FAN_IN; i++) { z += P[w + i] * WK[row + i]; }
  }
  WK[OUT_OFF + r * UNITS + o] = act(z, ACT);
}
`;

/**
 * Batch-norm statistics, a workgroup per unit: train mode the batch mean and biased variance
 * (and torch's running update with the unbiased one), eval mode the running statistics.
 */
const BN_STATS = /* wgsl */ `
override UNITS: u32 = 1u;
override Z_OFF: u32 = 0u;
override ST_OFF: u32 = 0u;
override RUN_OFF: u32 = 0u;
override EPS: f32 = 1e-5;
override MOMENTUM: f32 = 0.1;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let o = wid.x;
  if (o >= UNITS) { return; }
  let n = st.n;
  if (st.train == 1u) {
    var a = 0.0;
    for (var r = li; r < n; r += 64u) { a += WK[Z_OFF + r * UNITS + o]; }
    let mean = group_sum2(li, a, 0.0).x / f32(n);
    var b = 0.0;
    for (var r = li; r < n; r += 64u) {
      let d = WK[Z_OFF + r * UNITS + o] - mean;
      b += d * d;
    }
    let v = group_sum2(li, b, 0.0).x / f32(n);
    if (li != 0u) { return; }
    WK[ST_OFF + o] = mean;
    WK[ST_OFF + UNITS + o] = 1.0 / sqrt(v + EPS);
    let unbias = f32(n) / (f32(n) - 1.0);
    P[RUN_OFF + o] = (1.0 - MOMENTUM) * P[RUN_OFF + o] + MOMENTUM * mean;
    P[RUN_OFF + UNITS + o] = (1.0 - MOMENTUM) * P[RUN_OFF + UNITS + o] + MOMENTUM * v * unbias;
  } else if (li == 0u) {
    WK[ST_OFF + o] = P[RUN_OFF + o];
    WK[ST_OFF + UNITS + o] = 1.0 / sqrt(P[RUN_OFF + UNITS + o] + EPS);
  }
}
`;

/** x̂ = (z − mean)·inv_std, y = x̂·gamma + beta, then the activation; x̂ kept for backward. */
const BN_APPLY = /* wgsl */ `
override UNITS: u32 = 1u;
override A_OFF: u32 = 0u;
override XH_OFF: u32 = 0u;
override ST_OFF: u32 = 0u;
override GAMMA_OFF: u32 = 0u;
override ACT: u32 = 3u;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let id = flat_id(gid, nwg);
  if (id >= st.n * UNITS) { return; }
  let o = id % UNITS;
  let xh = (WK[A_OFF + id] - WK[ST_OFF + o]) * WK[ST_OFF + UNITS + o];
  WK[XH_OFF + id] = xh;
  WK[A_OFF + id] = act(xh * P[GAMMA_OFF + o] + P[GAMMA_OFF + UNITS + o], ACT);
}
`;

/**
 * Per row: softmax of the logits, the loss (cross-entropy: logsumexp − l[y]; MSE:
 * Σ(p − onehot)²), whether the first maximal logit is the label, and in train mode dL/dlogits
 * of the batch mean.
 */
const LOSS_ROWS = /* wgsl */ `
override CLASSES: u32 = 2u;
override L_OFF: u32 = 0u;
override D_OFF: u32 = 0u;
override RL_OFF: u32 = 0u;
override RC_OFF: u32 = 0u;
override MSE: bool = false;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let r = flat_id(gid, nwg);
  if (r >= st.n) { return; }
  let y = Y[ORDER[st.row0 + r]];
  let l = L_OFF + r * CLASSES;
  var m = WK[l];
  var best = 0u;
  for (var j = 1u; j < CLASSES; j++) {
    if (WK[l + j] > m) { m = WK[l + j]; best = j; }
  }
  var s = 0.0;
  for (var j = 0u; j < CLASSES; j++) { s += exp(WK[l + j] - m); }
  var loss = 0.0;
  var pdot = 0.0;
  let inv_n = 1.0 / f32(st.n);
  if (MSE) {
    for (var j = 0u; j < CLASSES; j++) {
      let p = exp(WK[l + j] - m) / s;
      let e = p - select(0.0, 1.0, j == y);
      loss += e * e;
      pdot += 2.0 * e * inv_n * p;
    }
  } else {
    loss = m + log(s) - WK[l + y];
  }
  WK[RL_OFF + r] = loss;
  WK[RC_OFF + r] = select(0.0, 1.0, best == y);
  if (st.train == 1u) {
    let d = D_OFF + r * CLASSES;
    for (var j = 0u; j < CLASSES; j++) {
      let p = exp(WK[l + j] - m) / s;
      let e = p - select(0.0, 1.0, j == y);
      if (MSE) {
        WK[d + j] = p * (2.0 * e * inv_n - pdot);
      } else {
        WK[d + j] = e * inv_n;
      }
    }
  }
}
`;

/** The batch's mean loss (and in eval mode its count of correct rows) into OUT[slot]. */
const REDUCE = /* wgsl */ `
override RL_OFF: u32 = 0u;
override RC_OFF: u32 = 0u;
var<workgroup> sl: array<f32, 256>;
var<workgroup> sc: array<f32, 256>;

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) li: u32) {
  var a = 0.0;
  var c = 0.0;
  for (var r = li; r < st.n; r += 256u) {
    a += WK[RL_OFF + r];
    c += WK[RC_OFF + r];
  }
  sl[li] = a;
  sc[li] = c;
  workgroupBarrier();
  for (var k = 128u; k > 0u; k = k >> 1u) {
    if (li < k) {
      sl[li] += sl[li + k];
      sc[li] += sc[li + k];
    }
    workgroupBarrier();
  }
  if (li == 0u) {
    OUT[st.slot] = sl[0] / f32(st.n);
    if (st.train == 0u) { OUT[st.slot + 1u] = sc[0]; }
  }
}
`;

/** Batch-norm backward, part 1, a workgroup per unit: Σdy and Σdy·x̂ (dbeta and dgamma). */
const BN_BWD_STATS = /* wgsl */ `
override UNITS: u32 = 1u;
override D_OFF: u32 = 0u;
override XH_OFF: u32 = 0u;
override ST_OFF: u32 = 0u;
override GAMMA_OFF: u32 = 0u;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let o = wid.x;
  if (o >= UNITS) { return; }
  var a = 0.0;
  var b = 0.0;
  for (var r = li; r < st.n; r += 64u) {
    let d = WK[D_OFF + r * UNITS + o];
    a += d;
    b += d * WK[XH_OFF + r * UNITS + o];
  }
  let sums = group_sum2(li, a, b);
  if (li != 0u) { return; }
  let sd = sums.x;
  let sdx = sums.y;
  G[GAMMA_OFF + o] = sdx;
  G[GAMMA_OFF + UNITS + o] = sd;
  WK[ST_OFF + 2u * UNITS + o] = sd;
  WK[ST_OFF + 3u * UNITS + o] = sdx;
}
`;

/** Batch-norm backward, part 2 per element: dz = gamma·inv_std·(dy − Σdy/n − x̂·Σdy·x̂/n). */
const BN_BWD_APPLY = /* wgsl */ `
override UNITS: u32 = 1u;
override D_OFF: u32 = 0u;
override XH_OFF: u32 = 0u;
override ST_OFF: u32 = 0u;
override GAMMA_OFF: u32 = 0u;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let id = flat_id(gid, nwg);
  if (id >= st.n * UNITS) { return; }
  let o = id % UNITS;
  let inv_n = 1.0 / f32(st.n);
  let k = P[GAMMA_OFF + o] * WK[ST_OFF + UNITS + o];
  let sd = WK[ST_OFF + 2u * UNITS + o];
  let sdx = WK[ST_OFF + 3u * UNITS + o];
  WK[D_OFF + id] = k * (WK[D_OFF + id] - sd * inv_n - WK[XH_OFF + id] * inv_n * sdx);
}
`;

/**
 * dL/dW[o][i] = Σ_r d[r][o]·in[r][i] and dL/db[o] = Σ_r d[r][o] (0 before train-mode BN): what
 * the two ways of summing over the rows share, the overrides, the sum of one weight's terms
 * over rows r0, r0 + stride, ... and the store (i = FAN_IN is the bias).
 */
const DENSE_GRAD_COMMON = /* wgsl */ `
override FAN_IN: u32 = 1u;
override UNITS: u32 = 1u;
override W_OFF: u32 = 0u;
override B_OFF: u32 = 0u;
override IN_OFF: u32 = 0u;
override D_OFF: u32 = 0u;
override FIRST: bool = false;
override HAS_BN: bool = false;

fn grad_sum(o: u32, i: u32, r0: u32, stride: u32) -> f32 {
  var g = 0.0;
  if (i == FAN_IN) {
    if (!HAS_BN) {
      for (var r = r0; r < st.n; r += stride) { g += WK[D_OFF + r * UNITS + o]; }
    }
  } else if (FIRST) {
    for (var r = r0; r < st.n; r += stride) {
      g += WK[D_OFF + r * UNITS + o] * X[ORDER[st.row0 + r] * FAN_IN + i];
    }
  } else {
    for (var r = r0; r < st.n; r += stride) {
      g += WK[D_OFF + r * UNITS + o] * WK[IN_OFF + r * FAN_IN + i];
    }
  }
  return g;
}

fn grad_store(o: u32, i: u32, g: f32) {
  if (i == FAN_IN) { G[B_OFF + o] = g; } else { G[W_OFF + o * FAN_IN + i] = g; }
}
`;

/** The weight gradients, a workgroup per weight (and per bias) summing over the rows in parallel. */
const DENSE_GRAD = DENSE_GRAD_COMMON + /* wgsl */ `
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let id = wid.x + wid.y * nwg.x;
  if (id >= UNITS * (FAN_IN + 1u)) { return; }
  let o = id / (FAN_IN + 1u);
  let i = id % (FAN_IN + 1u);
  let total = group_sum2(li, grad_sum(o, i, li, 64u), 0.0).x;
  if (li != 0u) { return; }
  grad_store(o, i, total);
}
`;

/**
 * The same sums with one thread per weight looping over the rows: fewer, longer threads, the
 * better choice for small batches and for software adapters, which run workgroups one after
 * another on the CPU.
 */
const DENSE_GRAD_SERIAL = DENSE_GRAD_COMMON + /* wgsl */ `
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let id = flat_id(gid, nwg);
  if (id >= UNITS * (FAN_IN + 1u)) { return; }
  let o = id / (FAN_IN + 1u);
  let i = id % (FAN_IN + 1u);
  grad_store(o, i, grad_sum(o, i, 0u, 1u));
}
`;

/** dL/d(previous output) = d·W, times the previous activation's derivative. */
const DENSE_DPREV = /* wgsl */ `
override FAN_IN: u32 = 1u;
override UNITS: u32 = 1u;
override W_OFF: u32 = 0u;
override IN_OFF: u32 = 0u;
override D_OFF: u32 = 0u;
override DN_OFF: u32 = 0u;
override PREV_ACT: u32 = 3u;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let id = flat_id(gid, nwg);
  if (id >= st.n * FAN_IN) { return; }
  let r = id / FAN_IN;
  let i = id % FAN_IN;
  var s = 0.0;
  for (var o = 0u; o < UNITS; o++) { s += WK[D_OFF + r * UNITS + o] * P[W_OFF + o * FAN_IN + i]; }
  WK[DN_OFF + id] = s * dact(WK[IN_OFF + id], PREV_ACT);
}
`;

/**
 * One optimizer step per parameter, torch's single-tensor arithmetic (src/optim/rules):
 * KIND 0 SGD (momentum, dampening, Nesterov), 1 Adam/AdamW (amsgrad), 2 RMSprop (centered,
 * momentum divides before it accumulates), 3 Adagrad (lr_decay, initial accumulator).
 * Weight decay is coupled (d += wd·θ) except AdamW's θ ← θ·(1 − η·wd). State in S: N numbers
 * per slot (SGD: buffer; Adam: m, v, v_max; RMSprop: v, ḡ, buffer; Adagrad: the sum), zeros
 * or the CPU's state when the engine starts (src/optim/rules/transfer.rs has the layout);
 * `t` (the rule's count, continued from the CPU's) marks a momentum buffer's first step,
 * Adagrad's initial accumulator and Adam's bias corrections.
 */
const OPTIMIZER = /* wgsl */ `
override N: u32 = 1u;
override KIND: u32 = 0u;
override WD: f32 = 0.0;
override MAXIMIZE: bool = false;
override MU: f32 = 0.0;
override DAMPENING: f32 = 0.0;
override NESTEROV: bool = false;
override BETA1: f32 = 0.9;
override BETA2: f32 = 0.999;
override EPS: f32 = 1e-8;
override DECOUPLED: bool = false;
override AMSGRAD: bool = false;
override ALPHA: f32 = 0.99;
override CENTERED: bool = false;
override LR_DECAY: f32 = 0.0;
override INITIAL: f32 = 0.0;

// torch's lerp: a + w·(b − a) for |w| < 0.5, else b − (b − a)·(1 − w).
fn lerp(a: f32, b: f32, w: f32) -> f32 {
  if (abs(w) < 0.5) { return a + w * (b - a); }
  return b - (b - a) * (1.0 - w);
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = flat_id(gid, nwg);
  if (i >= N) { return; }
  let lr = st.lr;
  let first = st.t == 1.0;
  var d = G[i];
  if (MAXIMIZE) { d = -d; }
  var p = P[i];
  if (WD != 0.0) {
    if (KIND == 1u && DECOUPLED) { p = p * (1.0 - lr * WD); } else { d = d + WD * p; }
  }
  switch KIND {
    case 0u: {
      if (MU != 0.0) {
        var b = d;
        if (!first) { b = S[i] * MU + (1.0 - DAMPENING) * d; }
        S[i] = b;
        if (NESTEROV) { d = d + MU * b; } else { d = b; }
      }
      p = p - lr * d;
    }
    case 1u: {
      let m = lerp(S[i], d, 1.0 - BETA1);
      let v = S[N + i] * BETA2 + (1.0 - BETA2) * d * d;
      S[i] = m;
      S[N + i] = v;
      var vv = v;
      if (AMSGRAD) {
        vv = max(S[2u * N + i], v);
        S[2u * N + i] = vv;
      }
      let bc1 = 1.0 - pow(BETA1, st.t);
      let bc2 = 1.0 - pow(BETA2, st.t);
      let sigma = sqrt(vv) / sqrt(bc2) + EPS;
      p = p + (-(lr / bc1)) * m / sigma;
    }
    case 2u: {
      let v = S[i] * ALPHA + (1.0 - ALPHA) * d * d;
      S[i] = v;
      var sigma = sqrt(v) + EPS;
      if (CENTERED) {
        let gb = lerp(S[N + i], d, 1.0 - ALPHA);
        S[N + i] = gb;
        sigma = sqrt(v - gb * gb) + EPS;
      }
      if (MU > 0.0) {
        var b = d / sigma;
        if (!first) { b = S[2u * N + i] * MU + d / sigma; }
        S[2u * N + i] = b;
        p = p - lr * b;
      } else {
        p = p - lr * d / sigma;
      }
    }
    default: {
      let clr = lr / (1.0 + (st.t - 1.0) * LR_DECAY);
      let s = select(S[i], INITIAL, first) + d * d;
      S[i] = s;
      p = p - clr * d / (sqrt(s) + EPS);
    }
  }
  P[i] = p;
}
`;

const BODIES = {
  denseFwd: DENSE_FWD,
  bnStats: BN_STATS,
  bnApply: BN_APPLY,
  lossRows: LOSS_ROWS,
  reduce: REDUCE,
  bnBwdStats: BN_BWD_STATS,
  bnBwdApply: BN_BWD_APPLY,
  denseGrad: DENSE_GRAD,
  denseGradSerial: DENSE_GRAD_SERIAL,
  denseDprev: DENSE_DPREV,
  optimizer: OPTIMIZER,
};

/** The WGSL source of kernel `name` (a key of the table above). */
export function kernelSource(name) {
  const body = BODIES[name];
  if (!body) throw new Error(`no WGSL kernel named ${name}`);
  return HEADER + body;
}

export const KERNELS = Object.keys(BODIES);
