// Which engine trains the worker's run: WebGPU when the browser gives an adapter (and the
// run's optimizer and schedule are ported), the wasm CPU core otherwise or when the page
// forces it. Any GPU failure (no adapter, device lost, a validation or out-of-memory error)
// hands the run back to the CPU trainer with the weights last read back, and says so.
//
// Posts: backend {backend: 'gpu'|'cpu', adapter, reason, fallback}. `reason` says why the
// CPU trains ({kind, message}: forced, no-webgpu, no-adapter, device, unsupported (message:
// optimizer | variant | cycled-momentum), lost, validation, out-of-memory, internal);
// `fallback` is set once when a GPU run was handed back: {kind, message, step, at}.

import { GpuFailure, GpuTrainer, MAX_CHUNK_STEPS, openDevice } from './engine.js';

/** Updates of each batch size the GPU part of the batch-size experiment times, at least. */
export const SWEEP_MIN_UPDATES = 120;
/** ... and for about this long (ms) after the minimum, at most the sweep's epochs times it. */
const SWEEP_MS = 1500;
/** Updates per submission (one wait for the GPU each). */
export const SWEEP_ROUND = 24;

export class Backends {
  /** `post` sends a message to the page; `current()` gives the worker's wasm Trainer. */
  constructor(post, current) {
    this.post = post;
    this.current = current;
    this.forceCpu = false;
    this.gpu = null; // {device, adapter}
    this.broken = null; // why the GPU is not used any more this session
    this.engine = null;
    this.inflight = null;
    this.lastReason = null;
    this.pending = null;
    /** Called with `run`'s JSON report when a failure outside a chunk handed the run back. */
    this.onHandover = () => {};
  }

  get active() {
    return this.engine !== null;
  }

  get busy() {
    return this.inflight !== null;
  }

  /** Waits for the chunk in flight, if any. */
  async idle() {
    while (this.inflight) await this.inflight.catch(() => {});
  }

  announce(reason = null, fallback = null) {
    this.lastReason = reason;
    this.post({
      type: 'backend',
      backend: this.engine ? 'gpu' : 'cpu',
      adapter: this.gpu?.adapter ?? null,
      reason,
      fallback,
    });
  }

  /** A device for this session (opened once), or a GpuFailure. */
  async device() {
    if (this.broken) throw new GpuFailure(this.broken.kind, this.broken.message);
    if (!this.gpu) {
      const gpu = await openDevice();
      gpu.device.lost.then((info) => {
        if (this.gpu === gpu) this.gpu = null;
        this.failed('lost', info.message || `the GPU device was lost (${info.reason ?? 'unknown'})`);
      });
      gpu.device.addEventListener('uncapturederror', (e) => this.failed('validation', e.error.message));
      this.gpu = gpu;
    }
    return this.gpu.device;
  }

  /** Frees the GPU side of the current run (before the worker frees the trainer). */
  async detach() {
    await this.idle();
    this.engine?.destroy();
    this.engine = null;
  }

  /** Puts the worker's current run on the GPU when allowed and possible; says which engine trains. */
  async attach() {
    await this.detach();
    const trainer = this.current();
    if (!trainer) return;
    if (this.forceCpu) {
      this.announce({ kind: 'forced', message: '' });
      return;
    }
    try {
      const device = await this.device();
      const engine = await GpuTrainer.create(device, trainer, { software: this.gpu?.adapter.fallback });
      if (this.current() !== trainer) {
        engine.destroy();
        return;
      }
      this.engine = engine;
      this.announce();
    } catch (e) {
      const f = e instanceof GpuFailure ? e : new GpuFailure('internal', e.message);
      if (f.kind !== 'unsupported') this.broken = { kind: f.kind, message: f.message };
      this.announce({ kind: f.kind, message: f.message });
    }
  }

  /** "Force CPU" on or off: the run moves with its weights and its optimizer state. */
  async setForceCpu(on) {
    this.forceCpu = on;
    if (on && this.engine) {
      await this.idle();
      const engine = this.engine;
      try {
        await engine.pull();
      } catch {
        // The weights and state of the last read-back stay (as after a failure).
      }
      const json = this.current().gpu_handover(new Float64Array(0), engine.lastOptimizer);
      engine.destroy();
      this.engine = null;
      this.announce({ kind: 'forced', message: '' });
      return json;
    }
    if (!on && !this.engine) await this.attach();
    return null;
  }

  /**
   * A GPU failure: the GPU is not used again this session, and a run on it goes back to the
   * CPU trainer with the weights and optimizer state last read back (the CPU already holds
   * those weights). Returns the hand-over's report.
   */
  failed(kind, message, keep = false) {
    if (!this.broken) this.broken = { kind, message };
    const engine = this.engine;
    if (!engine) return null;
    this.engine = null;
    const trainer = this.current();
    const json = trainer.gpu_handover(new Float64Array(0), engine.lastOptimizer);
    this.announce({ kind, message }, { kind, message, step: engine.lastStateStep, at: trainer.steps_done() });
    try {
      engine.destroy();
    } catch {
      // The device is gone; its buffers went with it.
    }
    if (keep || this.inflight) this.pending = json;
    else this.onHandover(json);
    return json;
  }

  /**
   * Up to `maxSteps` updates on the GPU (to the epoch's end with `toEpochEnd`); with
   * `wantState` the weights come back for a picture. Returns `run`'s JSON report (the
   * hand-over's after a failure), or null when no GPU run is active.
   */
  async run(maxSteps, { toEpochEnd = false, wantState = false } = {}) {
    if (!this.engine) return null;
    const engine = this.engine;
    const job = engine.chunk(toEpochEnd ? MAX_CHUNK_STEPS : Math.min(maxSteps, MAX_CHUNK_STEPS), { wantState });
    this.inflight = job;
    try {
      const { report } = await job;
      return report;
    } catch (e) {
      if (e instanceof GpuFailure && this.engine === engine) this.failed(e.kind, e.message, true);
      return this.takePending(e);
    } finally {
      if (this.inflight === job) this.inflight = null;
      // A failure reported while the chunk still finished: its hand-over comes after it.
      if (this.pending) {
        const json = this.pending;
        this.pending = null;
        queueMicrotask(() => this.onHandover(json));
      }
    }
  }

  /**
   * Brings the GPU's weights into the CPU trainer (for a picture); no-op on the CPU. Returns
   * the hand-over's report when the GPU failed meanwhile, else null.
   */
  async pull() {
    await this.idle();
    if (!this.engine) return null;
    const engine = this.engine;
    const job = engine.pull();
    this.inflight = job;
    try {
      await job;
      return null;
    } catch (e) {
      if (this.engine === engine) this.failed(e instanceof GpuFailure ? e.kind : 'internal', e.message, true);
      return this.takePending(e);
    } finally {
      if (this.inflight === job) this.inflight = null;
    }
  }

  /** The hand-over report a failure during a chunk left, or `error` thrown on. */
  takePending(error) {
    const json = this.pending;
    this.pending = null;
    if (json) return json;
    throw error;
  }

  /** Whether the GPU could train `trainer`'s run now (for the batch-size experiment). */
  usable() {
    return !this.forceCpu && !this.broken;
  }

  /**
   * The GPU part of the batch-size experiment: time per update of each size in `sizes` (the
   * sizes the CPU part used) for the sweep's base run, in rounds of SWEEP_ROUND updates per
   * submission (`epochs` scales how long it may take). `Trainer` is the wasm class;
   * `cancelled()` stops it; `onRow` gets the rows so far. Returns the rows
   * `[{batch_size, seconds_per_update, updates}]`, or null when the GPU cannot run it.
   */
  async timeSizes(Trainer, base, sizes, epochs, cancelled, onRow) {
    if (!this.usable()) return null;
    let device;
    try {
      device = await this.device();
    } catch {
      return null;
    }
    const rows = [];
    for (const b of sizes) {
      if (cancelled()) return rows;
      const trainer = new Trainer(JSON.stringify({ ...base, batch_size: b, noise_batches: 0 }));
      let engine = null;
      try {
        engine = await GpuTrainer.create(device, trainer, { software: this.gpu?.adapter.fallback });
        // One round first: pipelines and buffers warm up outside the measurement.
        await engine.timeUpdates(4);
        let steps = 0;
        let seconds = 0;
        const start = performance.now();
        while (!cancelled() && (steps < SWEEP_MIN_UPDATES || (performance.now() - start < SWEEP_MS && steps < SWEEP_MIN_UPDATES * epochs))) {
          seconds += await engine.timeUpdates(SWEEP_ROUND);
          steps += SWEEP_ROUND;
        }
        if (steps > 0) rows.push({ batch_size: b, seconds_per_update: seconds / steps, updates: steps });
      } catch (e) {
        if (e instanceof GpuFailure && e.kind !== 'unsupported') {
          this.broken = { kind: e.kind, message: e.message };
          this.announce(this.lastReason, null);
        }
        return rows.length ? rows : null;
      } finally {
        engine?.destroy();
        trainer.free();
      }
      onRow(rows);
    }
    return rows;
  }
}
