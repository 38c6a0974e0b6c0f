// The WebGPU training backend's host: buffers, pipelines and command encoding for one run.
// The wasm `Trainer` stays the bookkeeper (batch order, lrs, counters, epoch metrics) and
// supplies the initial weights and the standardized data; the shaders in kernels.js do the
// math. Weights, gradients and optimizer state live on the GPU; a chunk of updates reads back
// only its batch losses, plus the eval metrics and the weights at an epoch's end (the weights
// also when the page wants a new picture).

import { kernelSource } from './kernels.js';

const ACT = { relu: 0, tanh: 1, sigmoid: 2, linear: 3 };
/** Bytes between two `Step` records of the uniform buffer (minUniformBufferOffsetAlignment). */
const STRIDE = 256;
/**
 * How weight gradients sum over the batch's rows (kernels.js): on a hardware adapter a
 * workgroup per weight (on an H100 as fast as a thread per weight at 8 rows, 3× faster at 128,
 * 23× at 16384), on a software adapter a thread per weight (it runs workgroups one after
 * another on the CPU: 3–5× faster there). Batches above this many rows use the workgroups.
 */
const SERIAL_GRAD_ROWS = { hardware: 0, software: Infinity };
/** The most updates one chunk encodes. */
export const MAX_CHUNK_STEPS = 256;

/** A GPU problem the page must react to by going back to the CPU. */
export class GpuFailure extends Error {
  /** `kind`: no-webgpu, no-adapter, device, unsupported, lost, validation, out-of-memory, internal. */
  constructor(kind, message) {
    super(message);
    this.name = 'GpuFailure';
    this.kind = kind;
  }
}

/** What the badge says about an adapter. */
function describe(adapter) {
  const info = adapter.info ?? {};
  const vendor = info.vendor ?? '';
  const architecture = info.architecture ?? '';
  const description = info.description ?? '';
  const software = /swiftshader|llvmpipe|lavapipe|warp|software/i.test(`${vendor} ${architecture} ${description}`);
  const fallback = Boolean(adapter.isFallbackAdapter || info.isFallbackAdapter || software);
  return { vendor, architecture, description, fallback };
}

/** Asks the browser for a WebGPU device: `{device, adapter}` or a GpuFailure saying why not. */
export async function openDevice() {
  const gpu = globalThis.navigator?.gpu;
  if (!gpu) throw new GpuFailure('no-webgpu', 'this browser offers no WebGPU here (navigator.gpu is missing)');
  let adapter;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    throw new GpuFailure('no-adapter', `requestAdapter failed: ${e.message}`);
  }
  if (!adapter) throw new GpuFailure('no-adapter', 'navigator.gpu.requestAdapter() gave no adapter');
  let device;
  try {
    device = await adapter.requestDevice();
  } catch (e) {
    throw new GpuFailure('device', `requestDevice failed: ${e.message}`);
  }
  return { device, adapter: describe(adapter) };
}

function dispatch(pass, pipeline, threads, size = 64) {
  const g = Math.ceil(threads / size);
  if (g === 0) return;
  pass.setPipeline(pipeline);
  if (g <= 65535) pass.dispatchWorkgroups(g);
  else pass.dispatchWorkgroups(65535, Math.ceil(g / 65535));
}

/** One run's GPU side; make it with `GpuTrainer.create(device, trainer)`. */
export class GpuTrainer {
  /**
   * Uploads the run of the wasm `trainer` (its current weights, data and optimizer settings)
   * and compiles the pipelines; `software`: the adapter is a software one (openDevice's
   * `adapter.fallback`). Throws a GpuFailure ('unsupported' with the plan's reason when the
   * optimizer or schedule is not ported).
   */
  static async create(device, trainer, { software = false } = {}) {
    const plan = JSON.parse(trainer.gpu_plan());
    if (!plan.supported) throw new GpuFailure('unsupported', plan.reason);
    const info = JSON.parse(trainer.info());
    const engine = new GpuTrainer(device, trainer, plan, info.steps_per_epoch);
    engine.serialRows = software ? SERIAL_GRAD_ROWS.software : SERIAL_GRAD_ROWS.hardware;
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let thrown = null;
    try {
      engine.allocate();
      await engine.compile();
    } catch (e) {
      thrown = e;
    }
    const validation = await device.popErrorScope();
    const memory = await device.popErrorScope();
    if (thrown || validation || memory) {
      engine.destroy();
      if (validation) throw new GpuFailure('validation', validation.message);
      if (memory) throw new GpuFailure('out-of-memory', memory.message);
      throw new GpuFailure('internal', thrown.message);
    }
    return engine;
  }

  constructor(device, trainer, plan, stepsPerEpoch) {
    this.device = device;
    this.trainer = trainer;
    this.plan = plan;
    this.stepsPerEpoch = stepsPerEpoch;
    /** The update rule's count t: the CPU optimizer's (see `gpu_optimizer_state`), then ours. */
    this.t = 0;
    this.epochSeconds = 0;
    /** The weights last read back, and the update count they belong to. */
    this.lastState = null;
    this.lastStateStep = trainer.steps_done();
    /** The optimizer state read back with `lastState`: `[t, slots...]` (empty: none yet). */
    this.lastOptimizer = new Float64Array(0);
    this.buffers = [];
  }

  buffer(size, usage, data) {
    const b = this.device.createBuffer({ size: Math.max(16, Math.ceil(size / 4) * 4), usage, mappedAtCreation: Boolean(data) });
    if (data) {
      new data.constructor(b.getMappedRange(0, data.byteLength)).set(data);
      b.unmap();
    }
    this.buffers.push(b);
    return b;
  }

  allocate() {
    const { plan, device } = this;
    const U = GPUBufferUsage;
    const L = plan.layers;
    const maxN = Math.max(plan.max_batch, plan.n_train, plan.n_test, 1);
    this.maxN = maxN;
    // The work buffer: per layer its output, and with batch norm x̂ and 4 numbers per unit
    // (mean, inv_std, Σdy, Σdy·x̂); two gradient buffers taking turns; per-row loss and hit.
    let off = 0;
    const take = (n) => {
      const at = off;
      off += n;
      return at;
    };
    this.work = L.map((l) => ({
      a: take(maxN * l.out),
      xh: l.bn !== null ? take(maxN * l.out) : 0,
      st: l.bn !== null ? take(4 * l.out) : 0,
    }));
    const width = Math.max(...L.map((l) => l.out));
    this.d = [take(maxN * width), take(maxN * width)];
    this.rowLoss = take(maxN);
    this.rowHit = take(maxN);
    const storage = U.STORAGE | U.COPY_DST | U.COPY_SRC;
    this.nState = plan.n_params + plan.n_running;
    this.P = this.buffer(this.nState * 4, storage, Float32Array.from(this.trainer.gpu_params()));
    this.G = this.buffer(plan.n_params * 4, storage);
    this.WK = this.buffer(off * 4, storage);
    // The optimizer continues from the CPU's state (moments, sums), zeros for a fresh one.
    this.nSlots = plan.optimizer.slots * plan.n_params;
    const start = this.trainer.gpu_optimizer_state();
    const carried = start.length === this.nSlots + 1;
    if (carried) this.t = start[0];
    this.lastOptimizer = carried ? start : new Float64Array(0);
    this.S = this.buffer(this.nSlots * 4, storage, carried ? Float32Array.from(start.subarray(1)) : undefined);
    this.evalSlot = this.stepsPerEpoch;
    this.nOut = this.stepsPerEpoch + 4;
    this.OUT = this.buffer(this.nOut * 4, storage);
    const xTrain = this.buffer(plan.n_train * plan.features * 4, storage, this.trainer.gpu_features(false));
    const yTrain = this.buffer(plan.n_train * 4, storage, this.trainer.gpu_labels(false));
    this.order = this.buffer(plan.n_train * 4, storage);
    const ident = this.buffer(maxN * 4, storage, Uint32Array.from({ length: maxN }, (_, i) => i));
    this.uniform = this.buffer((MAX_CHUNK_STEPS + 2) * STRIDE, U.UNIFORM | U.COPY_DST);
    this.staging = this.buffer((this.nOut + this.nState + this.nSlots) * 4, U.MAP_READ | U.COPY_DST);

    const ro = { type: 'read-only-storage' };
    const rw = { type: 'storage' };
    const C = GPUShaderStage.COMPUTE;
    this.layouts = [
      device.createBindGroupLayout({ entries: [{ binding: 0, visibility: C, buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: 32 } }] }),
      device.createBindGroupLayout({ entries: [0, 1, 2].map((binding) => ({ binding, visibility: C, buffer: ro })) }),
      device.createBindGroupLayout({ entries: [0, 1, 2, 3, 4].map((binding) => ({ binding, visibility: C, buffer: rw })) }),
    ];
    this.pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: this.layouts });
    this.bgStep = device.createBindGroup({ layout: this.layouts[0], entries: [{ binding: 0, resource: { buffer: this.uniform, size: 32 } }] });
    const data = (x, y, order) => device.createBindGroup({
      layout: this.layouts[1],
      entries: [x, y, order].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    this.bgTrain = data(xTrain, yTrain, this.order);
    this.bgEvalTrain = data(xTrain, yTrain, ident);
    if (plan.n_test > 0) {
      const xTest = this.buffer(plan.n_test * plan.features * 4, storage, this.trainer.gpu_features(true));
      const yTest = this.buffer(plan.n_test * 4, storage, this.trainer.gpu_labels(true));
      this.bgEvalTest = data(xTest, yTest, ident);
    }
    this.bgState = device.createBindGroup({
      layout: this.layouts[2],
      entries: [this.P, this.G, this.WK, this.S, this.OUT].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
  }

  /** The gradient buffer layer `l` reads its dL/dz from (the logits' one is d[0]). */
  dOf(l) {
    return this.d[(this.plan.layers.length - 1 - l) % 2];
  }

  async compile() {
    const { plan, device } = this;
    const modules = new Map();
    const pipeline = (name, constants) => {
      if (!modules.has(name)) modules.set(name, device.createShaderModule({ code: kernelSource(name), label: name }));
      return device.createComputePipelineAsync({
        label: name,
        layout: this.pipelineLayout,
        compute: { module: modules.get(name), entryPoint: 'main', constants },
      });
    };
    const L = plan.layers;
    const last = L.length - 1;
    const jobs = L.map(async (l, i) => {
      const w = this.work[i];
      const input = i > 0 ? this.work[i - 1].a : 0;
      const bn = l.bn !== null;
      const p = {};
      p.fwd = pipeline('denseFwd', {
        FAN_IN: l.fan_in, UNITS: l.out, W_OFF: l.w, B_OFF: l.b, IN_OFF: input, OUT_OFF: w.a,
        FIRST: i === 0 ? 1 : 0, ACT: bn ? ACT.linear : ACT[l.activation],
      });
      if (bn) {
        p.bnStats = pipeline('bnStats', { UNITS: l.out, Z_OFF: w.a, ST_OFF: w.st, RUN_OFF: l.running, EPS: plan.bn_eps, MOMENTUM: plan.bn_momentum });
        p.bnApply = pipeline('bnApply', { UNITS: l.out, A_OFF: w.a, XH_OFF: w.xh, ST_OFF: w.st, GAMMA_OFF: l.bn, ACT: ACT[l.activation] });
        const b = { UNITS: l.out, D_OFF: this.dOf(i), XH_OFF: w.xh, ST_OFF: w.st, GAMMA_OFF: l.bn };
        p.bnBwdStats = pipeline('bnBwdStats', b);
        p.bnBwdApply = pipeline('bnBwdApply', b);
      }
      const grad = {
        FAN_IN: l.fan_in, UNITS: l.out, W_OFF: l.w, B_OFF: l.b, IN_OFF: input, D_OFF: this.dOf(i),
        FIRST: i === 0 ? 1 : 0, HAS_BN: bn ? 1 : 0,
      };
      p.gradSerial = pipeline('denseGradSerial', grad);
      if (plan.max_batch > this.serialRows) p.grad = pipeline('denseGrad', grad);
      if (i > 0) {
        p.dprev = pipeline('denseDprev', {
          FAN_IN: l.fan_in, UNITS: l.out, W_OFF: l.w, IN_OFF: input, D_OFF: this.dOf(i), DN_OFF: this.dOf(i - 1),
          PREV_ACT: ACT[L[i - 1].activation],
        });
      }
      const keys = Object.keys(p);
      const done = await Promise.all(keys.map((k) => p[k]));
      return Object.fromEntries(keys.map((k, j) => [k, done[j]]));
    });
    const o = plan.optimizer;
    const optConstants = {
      N: plan.n_params, KIND: o.kernel, WD: o.weight_decay, MAXIMIZE: o.maximize ? 1 : 0,
    };
    if (o.kind === 'sgd') Object.assign(optConstants, { MU: o.momentum, DAMPENING: o.dampening, NESTEROV: o.nesterov ? 1 : 0 });
    if (o.kind === 'adam') Object.assign(optConstants, { BETA1: o.beta1, BETA2: o.beta2, EPS: o.eps, DECOUPLED: o.decoupled ? 1 : 0, AMSGRAD: o.amsgrad ? 1 : 0 });
    if (o.kind === 'rmsprop') Object.assign(optConstants, { ALPHA: o.alpha, EPS: o.eps, MU: o.momentum, CENTERED: o.centered ? 1 : 0 });
    if (o.kind === 'adagrad') Object.assign(optConstants, { EPS: o.eps, LR_DECAY: o.lr_decay, INITIAL: o.initial });
    const [layers, lossRows, reduce, optimizer] = await Promise.all([
      Promise.all(jobs),
      pipeline('lossRows', {
        CLASSES: plan.classes, L_OFF: this.work[last].a, D_OFF: this.d[0], RL_OFF: this.rowLoss, RC_OFF: this.rowHit,
        MSE: plan.loss === 'mse' ? 1 : 0,
      }),
      pipeline('reduce', { RL_OFF: this.rowLoss, RC_OFF: this.rowHit }),
      pipeline('optimizer', optConstants),
    ]);
    this.pipes = { layers, lossRows, reduce, optimizer };
  }

  /** Forward pass (train or eval mode, per the `Step` record `k`), softmax, loss and its reduction. */
  encodeForward(pass, k, n, data) {
    pass.setBindGroup(0, this.bgStep, [k * STRIDE]);
    pass.setBindGroup(1, data);
    pass.setBindGroup(2, this.bgState);
    this.plan.layers.forEach((l, i) => {
      const p = this.pipes.layers[i];
      dispatch(pass, p.fwd, n * l.out);
      if (p.bnStats) {
        dispatch(pass, p.bnStats, l.out * 64); // a workgroup per unit
        dispatch(pass, p.bnApply, n * l.out);
      }
    });
    dispatch(pass, this.pipes.lossRows, n);
    dispatch(pass, this.pipes.reduce, 1, 1);
  }

  /** Backward pass of the last train-mode forward, then the optimizer's update. */
  encodeBackward(pass, n) {
    const L = this.plan.layers;
    for (let i = L.length - 1; i >= 0; i -= 1) {
      const l = L[i];
      const p = this.pipes.layers[i];
      if (p.bnBwdStats) {
        dispatch(pass, p.bnBwdStats, l.out * 64); // a workgroup per unit
        dispatch(pass, p.bnBwdApply, n * l.out);
      }
      if (n > this.serialRows) dispatch(pass, p.grad, l.out * (l.fan_in + 1) * 64); // a workgroup per weight
      else dispatch(pass, p.gradSerial, l.out * (l.fan_in + 1));
      if (p.dprev) dispatch(pass, p.dprev, n * l.fan_in);
    }
    dispatch(pass, this.pipes.optimizer, this.plan.n_params);
  }

  /**
   * Runs up to `maxSteps` updates (never past an epoch's end) and records them in the wasm
   * trainer. With `wantState` (or at an epoch's end) the weights come back too. Returns
   * `{report, steps, seconds}`: `run`'s JSON report, the updates taken and the wall time
   * from their submission until the GPU finished them.
   */
  async chunk(maxSteps, { wantState = false } = {}) {
    const { device, plan } = this;
    const queue = device.queue;
    const next = JSON.parse(this.trainer.gpu_next(Math.min(Math.max(1, maxSteps), MAX_CHUNK_STEPS)));
    const steps = next.steps;
    if (steps.length === 0) return { report: this.trainer.gpu_chunk(0, new Float64Array(0), new Float64Array(0), new Float64Array(0)), steps: 0, seconds: 0 };
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let failure = null;
    let seconds = 0;
    let out;
    let state = null;
    let optimizer = null;
    try {
      if (next.order) queue.writeBuffer(this.order, 0, Uint32Array.from(next.order));
      const records = new ArrayBuffer((steps.length + 2) * STRIDE);
      const u32 = new Uint32Array(records);
      const f32 = new Float32Array(records);
      const put = (k, n, row0, slot, train, lr, t) => {
        const o = (k * STRIDE) / 4;
        u32[o] = n;
        u32[o + 1] = row0;
        u32[o + 2] = slot;
        u32[o + 3] = train;
        f32[o + 4] = lr;
        f32[o + 5] = t;
      };
      steps.forEach((s, k) => {
        this.t += 1;
        put(k, s.end - s.start, s.start, s.batch, 1, s.lr, this.t);
      });
      const k0 = steps.length;
      if (next.ends_epoch) {
        put(k0, plan.n_train, 0, this.evalSlot, 0, 0, 0);
        if (this.bgEvalTest) put(k0 + 1, plan.n_test, 0, this.evalSlot + 2, 0, 0, 0);
      }
      queue.writeBuffer(this.uniform, 0, records);
      const t0 = performance.now();
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      steps.forEach((s, k) => {
        this.encodeForward(pass, k, s.end - s.start, this.bgTrain);
        this.encodeBackward(pass, s.end - s.start);
      });
      pass.end();
      queue.submit([enc.finish()]);
      await queue.onSubmittedWorkDone();
      seconds = (performance.now() - t0) / 1e3;
      this.epochSeconds += seconds;
      const withState = wantState || next.ends_epoch;
      const enc2 = device.createCommandEncoder();
      if (next.ends_epoch) {
        const p2 = enc2.beginComputePass();
        this.encodeForward(p2, k0, plan.n_train, this.bgEvalTrain);
        if (this.bgEvalTest) this.encodeForward(p2, k0 + 1, plan.n_test, this.bgEvalTest);
        p2.end();
      }
      enc2.copyBufferToBuffer(this.OUT, 0, this.staging, 0, this.nOut * 4);
      if (withState) this.copyState(enc2);
      queue.submit([enc2.finish()]);
      await this.staging.mapAsync(GPUMapMode.READ);
      const all = new Float32Array(this.staging.getMappedRange());
      out = all.slice(0, this.nOut);
      if (withState) {
        state = all.slice(this.nOut, this.nOut + this.nState);
        optimizer = this.optimizerOf(all);
      }
      this.staging.unmap();
    } catch (e) {
      failure = e;
    }
    const validation = await device.popErrorScope();
    const memory = await device.popErrorScope();
    if (validation) throw new GpuFailure('validation', validation.message);
    if (memory) throw new GpuFailure('out-of-memory', memory.message);
    if (failure) throw new GpuFailure('internal', failure.message);
    const first = steps[0].batch;
    const losses = Float64Array.from(out.subarray(first, first + steps.length));
    let evals = new Float64Array(0);
    if (next.ends_epoch) {
      const e = this.evalSlot;
      evals = Float64Array.from(this.bgEvalTest ? [out[e], out[e + 1], out[e + 2], out[e + 3], this.epochSeconds] : [out[e], out[e + 1], this.epochSeconds]);
      this.epochSeconds = 0;
    }
    const report = this.trainer.gpu_chunk(first, losses, state ? Float64Array.from(state) : new Float64Array(0), evals);
    if (state) {
      this.lastState = state;
      this.lastOptimizer = optimizer;
      this.lastStateStep = this.trainer.steps_done();
    }
    return { report, steps: steps.length, seconds };
  }

  /** Copies the weights and the optimizer state behind OUT in the staging buffer. */
  copyState(enc) {
    enc.copyBufferToBuffer(this.P, 0, this.staging, this.nOut * 4, this.nState * 4);
    enc.copyBufferToBuffer(this.S, 0, this.staging, (this.nOut + this.nState) * 4, this.nSlots * 4);
  }

  /** `[t, slots...]` from a mapped staging buffer (see `copyState`). */
  optimizerOf(all) {
    const o = new Float64Array(this.nSlots + 1);
    o[0] = this.t;
    o.set(all.subarray(this.nOut + this.nState, this.nOut + this.nState + this.nSlots), 1);
    return o;
  }

  /**
   * Times `k` updates on the run's first batch (its rows, size and lr), encoded in one submission
   * with one wait for the GPU at the end: the device's cost of an update at this batch size,
   * the per-chunk round trip amortized over `k`. No losses or metrics are recorded (for the
   * batch-size experiment and the benchmark, on a throwaway run). Returns seconds.
   */
  async timeUpdates(k) {
    const { device } = this;
    const queue = device.queue;
    if (!this.timing) {
      // The run's first batch, planned once (the run is not advanced any further).
      const next = JSON.parse(this.trainer.gpu_next(1));
      queue.writeBuffer(this.order, 0, Uint32Array.from(next.order));
      this.timing = next.steps[0];
    }
    const s = this.timing;
    const n = s.end - s.start;
    const records = new ArrayBuffer(STRIDE);
    const u32 = new Uint32Array(records);
    const f32 = new Float32Array(records);
    u32.set([n, s.start, s.batch, 1]);
    f32[4] = s.lr;
    f32[5] = 1;
    queue.writeBuffer(this.uniform, 0, records);
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    const t0 = performance.now();
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    for (let i = 0; i < k; i += 1) {
      this.encodeForward(pass, 0, n, this.bgTrain);
      this.encodeBackward(pass, n);
    }
    pass.end();
    queue.submit([enc.finish()]);
    await queue.onSubmittedWorkDone();
    const seconds = (performance.now() - t0) / 1e3;
    const validation = await device.popErrorScope();
    const memory = await device.popErrorScope();
    if (validation) throw new GpuFailure('validation', validation.message);
    if (memory) throw new GpuFailure('out-of-memory', memory.message);
    return seconds;
  }

  /**
   * Reads the weights back into the wasm trainer (for pictures, or before a hand-over), and
   * the optimizer state into `lastOptimizer`.
   */
  async pull() {
    const { device } = this;
    const enc = device.createCommandEncoder();
    this.copyState(enc);
    device.queue.submit([enc.finish()]);
    await this.staging.mapAsync(GPUMapMode.READ);
    const all = new Float32Array(this.staging.getMappedRange());
    const state = all.slice(this.nOut, this.nOut + this.nState);
    this.lastOptimizer = this.optimizerOf(all);
    this.staging.unmap();
    this.trainer.gpu_chunk(0, new Float64Array(0), Float64Array.from(state), new Float64Array(0));
    this.lastState = state;
    this.lastStateStep = this.trainer.steps_done();
    return state;
  }

  destroy() {
    for (const b of this.buffers) b.destroy();
    this.buffers = [];
  }
}
