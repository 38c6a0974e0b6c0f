// The classifier's trainer, off the main thread: it owns the wasm `Trainer` (and, for the
// experiments, a `Sweep` or two more trainers), steps them in chunks that fit a time budget,
// and posts metrics and (throttled) pictures back. The page only draws what arrives here.
// The run trains on WebGPU when it can (gpu/backend.js), the wasm trainer keeping the books.
//
// The messages in and out are declared in common/protocol.js (TRAINER_IN, TRAINER_OUT); all
// the worker's mutable state is the one object `st`.

import { errorData, errorLine, errorText } from '../common/errors.js';
import { BOUNDARY_SIDE, TRAINER_IN } from '../common/protocol.js';
import init, { Sweep, Trainer, provide_digits as provideDigits } from '../pkg/optiscape.js';
import { fullWasmUrl } from '../common/wasm-build.js';
import { loadDigits } from './digits.js';
import * as curvature from './curvature-jobs.js';
import { Backends, SWEEP_MIN_UPDATES, SWEEP_ROUND } from './gpu/backend.js';

/** Milliseconds of training per chunk before the worker looks at its mailbox again. */
const CHUNK_MS = 24;
/** At most this often a new picture while training (ms); more often pictures cost more than they show. */
const PICTURE_MS = 100;
/** Milliseconds of boundary painting before the worker looks at its mailbox again. */
const PAINT_MS = 40;
/** Picture sizes: boundary and comparison sides (pixels), digits shown and their columns. */
const SIZE = Object.freeze({ boundary: BOUNDARY_SIDE, compare: 72, digits: 60, digitsCols: 12 });

/**
 * The worker's one piece of mutable state (nothing else at module level changes).
 * @type {import('../common/protocol.js').TrainerWorkerState}
 */
const st = {
  memory: null,
  trainer: null,
  config: null,
  info: null,
  playing: false,
  /** Epochs per second; null: as fast as possible. */
  rate: 60,
  dark: false,
  /** Updates allowed by the rate limit. */
  budget: 0,
  lastTick: 0,
  lastPicture: 0,
  scheduled: false,
  sweep: null,
  /** The batch-size experiment's config. */
  sweepConfig: null,
  /** The GPU part of the batch-size experiment in progress: {cancelled}. */
  sweepGpu: null,
  compare: null,
  pictureMs: PICTURE_MS,
  /** True while a run is being (re)built: no training tick may touch the trainer then. */
  building: false,
  /** Messages are handled one after the other (a build waits for the GPU chunk in flight). */
  mailbox: Promise.resolve(),
  /** The curvature panel's trail and job (curvature-jobs.js). */
  curv: curvature.create(),
};

const ready = init({ module_or_path: fullWasmUrl(new URL('../pkg/', import.meta.url)) }).then(async (wasm) => {
  st.memory = wasm.memory;
  // The size of this worker's wasm memory, for the soak benchmark (www/bench/soak.mjs).
  self.optiscapeWasmBytes = () => wasm.memory.buffer.byteLength;
  await loadDigits(provideDigits);
});

/**
 * Sends the page one message of the protocol.
 * @param {import('../common/protocol.js').TrainerReply} msg
 * @param {Transferable[]} [transfer]
 */
const post = (msg, transfer = []) => self.postMessage(msg, transfer);

/** Which engine trains: WebGPU (gpu/) or the wasm CPU core; see gpu/backend.js. */
const backends = new Backends(post, () => st.trainer);
backends.onHandover = (json) => {
  report(json);
  picture();
  if (st.playing) schedule();
};

function fail(error) {
  post({ type: 'error', message: errorLine(error), error: errorData(error) });
}

/** Runs `tick` again soon, after the mailbox had its turn (a message channel does not clamp). */
const channel = new MessageChannel();
channel.port1.onmessage = () => {
  st.scheduled = false;
  try {
    // A picture in progress goes on even while the run attaches to the GPU (it only reads the
    // network); training waits for it.
    if (st.trainer?.painting()) paintMore();
    else tick();
  } catch (e) {
    st.playing = false;
    fail(e);
  }
};
function schedule() {
  if (!st.scheduled) {
    st.scheduled = true;
    channel.port2.postMessage(null);
  }
}

async function build(cfg) {
  st.building = true;
  await backends.detach();
  st.building = false;
  st.trainer?.free();
  st.trainer = null;
  st.config = cfg;
  st.budget = 0;
  curvature.built(st.curv, null, post);
  try {
    st.trainer = new Trainer(JSON.stringify(cfg));
  } catch (e) {
    st.playing = false;
    post({ type: 'config-error', message: errorText(e), error: errorData(e) });
    post({ type: 'state', playing: st.playing });
    return;
  }
  st.info = JSON.parse(st.trainer.info());
  curvature.trained(st.curv, st.trainer);
  const msg = {
    type: 'ready',
    info: st.info,
    trainPoints: st.trainer.train_points(),
    trainLabels: st.trainer.train_labels(),
    testPoints: st.trainer.test_points(),
    testLabels: st.trainer.test_labels(),
  };
  if (!st.info.plane) {
    const [w, h] = st.trainer.render_digits(SIZE.digits, SIZE.digitsCols, st.dark);
    msg.sheet = { width: w, height: h, pixels: copyBytes(st.trainer.sheet_ptr(), w * h * 4) };
  }
  post(msg);
  picture();
  st.building = true;
  await backends.attach();
  st.building = false;
  if (st.playing) schedule();
}

function copyBytes(ptr, length) {
  return new Uint8ClampedArray(st.memory.buffer, ptr, length).slice();
}

/**
 * Posts the current picture: the decision boundary (2-D sets) or predictions (digits). The
 * boundary is painted a piece at a time (paintMore): a large network's picture takes seconds,
 * and messages (Pause, a new run) are answered between the pieces.
 */
function picture() {
  if (!st.trainer) return;
  if (st.info.plane) {
    st.trainer.paint_start(SIZE.boundary, st.dark);
    paintMore();
  } else {
    st.lastPicture = performance.now();
    const predictions = st.trainer.test_predictions();
    const confusion = st.trainer.confusion();
    post({ type: 'digits', predictions, confusion }, [predictions.buffer, confusion.buffer]);
  }
}

/**
 * Paints the boundary for PAINT_MS; posts the picture when it is done, else how far it got
 * (the page says so) and comes back after the mailbox had its turn. Training waits meanwhile
 * (the network must not change under the brush).
 */
function paintMore() {
  if (!st.trainer?.painting()) return;
  if (st.trainer.paint(PAINT_MS)) {
    st.lastPicture = performance.now();
    const side = st.trainer.painted_side();
    const pixels = copyBytes(st.trainer.boundary_ptr(), side * side * 4);
    post({ type: 'boundary', side, pixels }, [pixels.buffer]);
    if (st.playing) schedule();
  } else {
    post({ type: 'boundary-progress', progress: st.trainer.paint_progress(), params: st.info.n_params, side: st.trainer.boundary_side(SIZE.boundary) });
    schedule();
  }
}

function report(json) {
  const r = JSON.parse(json);
  // On the GPU the wasm trainer has the weights only when they came back (below).
  if (!backends.active) curvature.trained(st.curv, st.trainer);
  post({ type: 'progress', report: r });
  if (r.diverged) {
    st.playing = false;
    post({ type: 'stopped', reason: 'diverged' });
    post({ type: 'state', playing: st.playing });
  }
  return r;
}

/** One chunk of the running job: the batch-size sweep, the comparison, or training. */
function tick() {
  if (curvature.busy(st.curv)) {
    if (curvature.tick(st.curv, post, CHUNK_MS)) schedule();
    return undefined;
  }
  if (st.sweep) return sweepTick();
  if (st.compare) return compareTick();
  if (!st.playing || !st.trainer || st.building || backends.busy) return;
  const now = performance.now();
  let max = 1e9;
  if (st.rate !== null) {
    const dt = Math.min(0.25, (now - (st.lastTick || now)) / 1e3);
    st.budget = Math.min(st.budget + st.rate * st.info.steps_per_epoch * dt, Math.max(1, st.rate * st.info.steps_per_epoch * 0.25));
    max = Math.floor(st.budget);
  }
  st.lastTick = now;
  if (backends.active) return gpuTick(max);
  if (max >= 1) {
    let r;
    try {
      r = report(st.trainer.run(CHUNK_MS, max, false));
    } catch (e) {
      st.playing = false;
      post({ type: 'stopped', reason: 'error', message: errorText(e), error: errorData(e) });
      post({ type: 'state', playing: st.playing });
      picture();
      return undefined;
    }
    if (st.rate !== null) st.budget -= r.steps;
  }
  if (performance.now() - st.lastPicture >= st.pictureMs) picture();
  if (st.playing) {
    if (st.rate !== null && max < 1) setTimeout(schedule, 8);
    else schedule();
  }
  return undefined;
}

/** A chunk of updates on the GPU: the same rate limit, pictures and stops as `tick`. */
function gpuTick(max) {
  if (max < 1) {
    if (st.playing) setTimeout(schedule, 8);
    return;
  }
  const wantState = performance.now() - st.lastPicture >= st.pictureMs;
  backends
    .run(max, { wantState })
    .then((json) => {
      if (json !== null) {
        const r = report(json);
        if (st.rate !== null) st.budget -= r.steps;
        if (wantState) curvature.trained(st.curv, st.trainer);
      }
      if (wantState || !backends.active) picture();
    })
    .catch((e) => {
      st.playing = false;
      post({ type: 'stopped', reason: 'error', message: errorText(e), error: errorData(e) });
      post({ type: 'state', playing: st.playing });
      picture();
    })
    .finally(() => {
      if (st.playing) schedule();
    });
}

/** One update or one epoch on the GPU, then a picture; the CPU finishes what a failure left. */
async function singleGpu(toEpochEnd) {
  try {
    while (backends.active) {
      const json = await backends.run(1, { toEpochEnd, wantState: true });
      if (json === null) break;
      const r = report(json);
      curvature.trained(st.curv, st.trainer);
      if (!toEpochEnd || r.epochs.length > 0 || r.diverged) {
        picture();
        return;
      }
    }
    if (toEpochEnd && !st.trainer.diverged()) report(st.trainer.run(1e9, 1e9, true));
  } catch (e) {
    post({ type: 'stopped', reason: 'error', message: errorText(e), error: errorData(e) });
  }
  picture();
}

/** One update or one epoch, then a picture. */
async function single(toEpochEnd) {
  if (!st.trainer || st.sweep || st.compare) return;
  if (backends.active) {
    await singleGpu(toEpochEnd);
    return;
  }
  try {
    report(st.trainer.run(1e9, toEpochEnd ? 1e9 : 1, toEpochEnd));
  } catch (e) {
    post({ type: 'stopped', reason: 'error', message: errorText(e), error: errorData(e) });
  }
  picture();
}

// ---- the batch-size experiment ------------------------------------------------------------

/**
 * The batch-size experiment's second half: the same sizes timed on the GPU (when there is
 * one), so the chart shows time per update against batch size for each backend.
 */
async function sweepOnGpu(rows) {
  const job = { cancelled: false, cfg: st.sweepConfig };
  st.sweepGpu = job;
  const sizes = rows.filter((r) => !r.skipped).map((r) => r.batch_size);
  const adapter = () => backends.gpu?.adapter ?? null;
  let gpuRows = null;
  try {
    gpuRows = await backends.timeSizes(Trainer, job.cfg.base, sizes, job.cfg.epochs, () => job.cancelled, (partial) => {
      if (!job.cancelled) post({ type: 'sweep-progress', progress: 1, current: null, rows, gpu: { adapter: adapter(), rows: partial, running: true, minUpdates: SWEEP_MIN_UPDATES, round: SWEEP_ROUND } });
    });
  } catch (e) {
    gpuRows = null;
  }
  if (st.sweepGpu !== job) return;
  st.sweepGpu = null;
  post({ type: 'sweep-done', rows, gpu: gpuRows ? { adapter: adapter(), rows: gpuRows, minUpdates: SWEEP_MIN_UPDATES, round: SWEEP_ROUND } : null });
}

function startSweep(cfg) {
  cancelJobs();
  st.sweepConfig = cfg;
  try {
    st.sweep = new Sweep(JSON.stringify(cfg));
  } catch (e) {
    post({ type: 'sweep-error', message: errorText(e), error: errorData(e) });
    return;
  }
  post({ type: 'sweep-progress', progress: 0, current: st.sweep.current_batch_size() ?? null, rows: [] });
  schedule();
}

function sweepTick() {
  let done;
  try {
    done = st.sweep.advance(CHUNK_MS);
  } catch (e) {
    st.sweep.free();
    st.sweep = null;
    post({ type: 'sweep-error', message: errorText(e), error: errorData(e) });
    return;
  }
  const rows = JSON.parse(st.sweep.rows());
  if (done) {
    st.sweep.free();
    st.sweep = null;
    sweepOnGpu(rows);
    return;
  }
  post({ type: 'sweep-progress', progress: st.sweep.progress(), current: st.sweep.current_batch_size() ?? null, rows });
  schedule();
}

// ---- cross-entropy vs MSE ---------------------------------------------------------------------

function startCompare(cfg, epochs) {
  cancelJobs();
  try {
    const ce = new Trainer(JSON.stringify({ ...cfg, loss: 'cross_entropy' }));
    let mse;
    try {
      mse = new Trainer(JSON.stringify({ ...cfg, loss: 'mse' }));
    } catch (e) {
      ce.free();
      throw e;
    }
    const plane = JSON.parse(ce.info()).plane;
    st.compare = { ce, mse, epochs, plane, lastPicture: 0 };
  } catch (e) {
    post({ type: 'compare-error', error: errorData(e) });
    return;
  }
  comparePicture(true);
  schedule();
}

function comparePicture(force) {
  const c = st.compare;
  if (!force && performance.now() - c.lastPicture < st.pictureMs) return;
  c.lastPicture = performance.now();
  if (!c.plane) return;
  for (const key of ['ce', 'mse']) {
    const length = c[key].render_boundary(SIZE.compare, st.dark);
    const pixels = copyBytes(c[key].boundary_ptr(), length);
    post({ type: 'compare-boundary', key, side: c[key].painted_side(), pixels }, [pixels.buffer]);
  }
}

function compareTick() {
  const c = st.compare;
  const out = { ce: [], mse: [] };
  const start = performance.now();
  let stopped = null;
  try {
    // An epoch of each in turn, so both see the same number of epochs at every moment.
    while (performance.now() - start < CHUNK_MS && c.ce.epochs_done() < c.epochs) {
      for (const key of ['ce', 'mse']) {
        const r = JSON.parse(c[key].run(1e9, 1e9, true));
        out[key].push(...r.epochs);
        if (r.diverged) stopped = { loss: key };
      }
      if (stopped) break;
    }
  } catch (e) {
    stopped = { error: errorData(e) };
  }
  const done = c.ce.epochs_done() >= c.epochs || stopped !== null;
  post({ type: 'compare-progress', ce: out.ce, mse: out.mse, epochs: c.ce.epochs_done(), total: c.epochs });
  comparePicture(done);
  if (done) {
    c.ce.free();
    c.mse.free();
    st.compare = null;
    post({ type: 'compare-done', stopped });
    return;
  }
  schedule();
}

function cancelJobs() {
  if (st.sweepGpu) {
    st.sweepGpu.cancelled = true;
    st.sweepGpu = null;
    post({ type: 'sweep-cancelled' });
  }
  if (st.sweep) {
    st.sweep.free();
    st.sweep = null;
    post({ type: 'sweep-cancelled' });
  }
  if (st.compare) {
    st.compare.ce.free();
    st.compare.mse.free();
    st.compare = null;
    post({ type: 'compare-cancelled' });
  }
}

// ---- the mailbox ------------------------------------------------------------------------------

self.onmessage = (e) => {
  st.mailbox = st.mailbox.then(() => handle(e.data));
};

async function handle(msg) {
  await ready;
  if (!TRAINER_IN.includes(msg?.type)) return;
  try {
    switch (msg.type) {
      case 'build':
        if (msg.dark !== undefined) st.dark = msg.dark;
        if (msg.forceCpu !== undefined) backends.forceCpu = msg.forceCpu;
        await build(msg.config);
        break;
      case 'play':
        if (!st.trainer || st.sweep || st.sweepGpu || st.compare) break;
        st.playing = true;
        st.lastTick = 0;
        st.budget = 0;
        post({ type: 'state', playing: st.playing });
        schedule();
        break;
      case 'pause': {
        st.playing = false;
        post({ type: 'state', playing: st.playing });
        const handedOver = await backends.pull();
        if (handedOver) report(handedOver);
        picture();
        break;
      }
      case 'backend': {
        // "Force CPU" switched: the run moves to the other engine with its weights.
        const json = await backends.setForceCpu(Boolean(msg.forceCpu));
        if (json) report(json);
        if (st.playing) schedule();
        break;
      }
      case 'gpu-lose':
        // Simulates a lost GPU device (the fallback test; a driver reset does the same).
        backends.gpu?.device.destroy();
        break;
      case 'speed':
        st.rate = msg.epochsPerSecond;
        st.budget = 0;
        break;
      case 'step':
        await single(false);
        break;
      case 'epoch':
        await single(true);
        break;
      case 'reset':
        if (st.config) await build(st.config);
        break;
      case 'shade':
        st.dark = msg.dark;
        if (st.trainer && !st.info.plane) {
          const [w, h] = st.trainer.render_digits(SIZE.digits, SIZE.digitsCols, st.dark);
          post({ type: 'sheet', sheet: { width: w, height: h, pixels: copyBytes(st.trainer.sheet_ptr(), w * h * 4) } });
        }
        picture();
        if (st.compare) comparePicture(true);
        break;
      case 'sweep':
        st.playing = false;
        post({ type: 'state', playing: st.playing });
        startSweep(msg.config);
        break;
      case 'compare':
        st.playing = false;
        post({ type: 'state', playing: st.playing });
        startCompare(msg.config, msg.epochs);
        break;
      case 'motion':
        // Fewer new pictures for people who asked for less motion.
        st.pictureMs = msg.reduced ? 1000 : PICTURE_MS;
        break;
      case 'cancel':
        cancelJobs();
        break;
      default:
        // The curvature panel's jobs (curvature-jobs.js); training pauses while they run.
        if (curvature.handles(msg)) {
          if (st.playing && msg.type !== 'curv-cancel') {
            st.playing = false;
            post({ type: 'state', playing: st.playing });
          }
          const handedOver = await backends.pull();
          if (handedOver) report(handedOver);
          curvature.handle(st.curv, msg, st.trainer, post);
          if (curvature.busy(st.curv)) schedule();
        }
        break;
    }
  } catch (err) {
    fail(err);
  }
}
