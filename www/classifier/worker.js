// The classifier's trainer, off the main thread: it owns the wasm `Trainer` (and, for the
// experiments, a `Sweep` or two more trainers), steps them in chunks that fit a time budget,
// and posts metrics and (throttled) pictures back. The page only draws what arrives here.
// The run trains on WebGPU when it can (gpu/backend.js), the wasm trainer keeping the books.
//
// Messages in:  build {config, dark, forceCpu}, play, pause, speed {epochsPerSecond|null},
//               step, epoch, reset, shade {dark}, motion {reduced}, sweep {config}, compare
//               {config, epochs}, cancel, backend {forceCpu}, gpu-lose (simulates a lost
//               device).
// Messages out: ready {info, points...}, progress {report}, boundary {side, pixels},
//               digits {predictions, confusion}, state {playing}, stopped {message},
//               backend {backend, adapter, reason, fallback},
//               config-error {message}, sweep-progress / sweep-done {rows, gpu} / sweep-cancelled,
//               compare-progress / compare-done / compare-cancelled, error {message};
//               and the curvature panel's curv-* messages (curvature-jobs.js).

import init, { Sweep, Trainer, provide_digits as provideDigits } from '../pkg/optiscape.js';
import { loadDigits } from './digits.js';
import * as curvature from './curvature-jobs.js';
import { errorData } from '../common/errors.js';
import { Backends, SWEEP_MIN_UPDATES, SWEEP_ROUND } from './gpu/backend.js';

/** Milliseconds of training per chunk before the worker looks at its mailbox again. */
const CHUNK_MS = 24;
/** At most this often a new picture while training (ms); more often pictures cost more than they show. */
const PICTURE_MS = 100;
const BOUNDARY_SIDE = 160;
const COMPARE_SIDE = 72;
const DIGITS_SHOWN = 60;
const DIGITS_COLS = 12;

let memory;
let trainer = null;
let config = null;
let info = null;
let playing = false;
let rate = 60; // epochs per second; null: as fast as possible
let dark = false;
let budget = 0; // updates allowed by the rate limit
let lastTick = 0;
let lastPicture = 0;
let scheduled = false;
let sweep = null;
let compare = null;
let pictureMs = PICTURE_MS;
/** True while a run is being (re)built: no training tick may touch the trainer then. */
let building = false;
/** The GPU part of the batch-size experiment in progress: {cancelled}. */
let sweepGpu = null;

const ready = init().then(async (wasm) => {
  memory = wasm.memory;
  await loadDigits(provideDigits);
});

const post = (msg, transfer = []) => self.postMessage(msg, transfer);

/** Which engine trains: WebGPU (gpu/) or the wasm CPU core; see gpu/backend.js. */
const backends = new Backends(post, () => trainer);
backends.onHandover = (json) => {
  report(json);
  picture();
  if (playing) schedule();
};

function fail(error) {
  post({ type: 'error', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
}

/** Runs `tick` again soon, after the mailbox had its turn (a message channel does not clamp). */
const channel = new MessageChannel();
channel.port1.onmessage = () => {
  scheduled = false;
  try {
    tick();
  } catch (e) {
    playing = false;
    fail(e);
  }
};
function schedule() {
  if (!scheduled) {
    scheduled = true;
    channel.port2.postMessage(null);
  }
}

async function build(cfg) {
  building = true;
  await backends.detach();
  building = false;
  trainer?.free();
  trainer = null;
  config = cfg;
  budget = 0;
  curvature.built(null, post);
  try {
    trainer = new Trainer(JSON.stringify(cfg));
  } catch (e) {
    playing = false;
    post({ type: 'config-error', message: e.message, error: errorData(e) });
    post({ type: 'state', playing });
    return;
  }
  info = JSON.parse(trainer.info());
  curvature.trained(trainer);
  const msg = {
    type: 'ready',
    info,
    trainPoints: trainer.train_points(),
    trainLabels: trainer.train_labels(),
    testPoints: trainer.test_points(),
    testLabels: trainer.test_labels(),
  };
  if (!info.plane) {
    const [w, h] = trainer.render_digits(DIGITS_SHOWN, DIGITS_COLS, dark);
    msg.sheet = { width: w, height: h, pixels: copyBytes(trainer.sheet_ptr(), w * h * 4) };
  }
  post(msg);
  picture();
  building = true;
  await backends.attach();
  building = false;
  if (playing) schedule();
}

function copyBytes(ptr, length) {
  return new Uint8ClampedArray(memory.buffer, ptr, length).slice();
}

/** Posts the current picture: the decision boundary (2-D sets) or predictions (digits). */
function picture() {
  if (!trainer) return;
  lastPicture = performance.now();
  if (info.plane) {
    const length = trainer.render_boundary(BOUNDARY_SIDE, dark);
    const pixels = copyBytes(trainer.boundary_ptr(), length);
    post({ type: 'boundary', side: BOUNDARY_SIDE, pixels }, [pixels.buffer]);
  } else {
    const predictions = trainer.test_predictions();
    const confusion = trainer.confusion();
    post({ type: 'digits', predictions, confusion }, [predictions.buffer, confusion.buffer]);
  }
}

function report(json) {
  const r = JSON.parse(json);
  // On the GPU the wasm trainer has the weights only when they came back (below).
  if (!backends.active) curvature.trained(trainer);
  post({ type: 'progress', report: r });
  if (r.diverged) {
    playing = false;
    post({ type: 'stopped', reason: 'diverged' });
    post({ type: 'state', playing });
  }
  return r;
}

/** One chunk of the running job: the batch-size sweep, the comparison, or training. */
function tick() {
  if (curvature.busy()) {
    if (curvature.tick(post, CHUNK_MS)) schedule();
    return undefined;
  }
  if (sweep) return sweepTick();
  if (compare) return compareTick();
  if (!playing || !trainer || building || backends.busy) return;
  const now = performance.now();
  let max = 1e9;
  if (rate !== null) {
    const dt = Math.min(0.25, (now - (lastTick || now)) / 1e3);
    budget = Math.min(budget + rate * info.steps_per_epoch * dt, Math.max(1, rate * info.steps_per_epoch * 0.25));
    max = Math.floor(budget);
  }
  lastTick = now;
  if (backends.active) return gpuTick(max);
  if (max >= 1) {
    let r;
    try {
      r = report(trainer.run(CHUNK_MS, max, false));
    } catch (e) {
      playing = false;
      post({ type: 'stopped', reason: 'error', message: e.message, error: errorData(e) });
      post({ type: 'state', playing });
      picture();
      return undefined;
    }
    if (rate !== null) budget -= r.steps;
  }
  if (performance.now() - lastPicture >= pictureMs) picture();
  if (playing) {
    if (rate !== null && max < 1) setTimeout(schedule, 8);
    else schedule();
  }
  return undefined;
}

/** A chunk of updates on the GPU: the same rate limit, pictures and stops as `tick`. */
function gpuTick(max) {
  if (max < 1) {
    if (playing) setTimeout(schedule, 8);
    return;
  }
  const wantState = performance.now() - lastPicture >= pictureMs;
  backends
    .run(max, { wantState })
    .then((json) => {
      if (json !== null) {
        const r = report(json);
        if (rate !== null) budget -= r.steps;
        if (wantState) curvature.trained(trainer);
      }
      if (wantState || !backends.active) picture();
    })
    .catch((e) => {
      playing = false;
      post({ type: 'stopped', reason: 'error', message: e.message, error: errorData(e) });
      post({ type: 'state', playing });
      picture();
    })
    .finally(() => {
      if (playing) schedule();
    });
}

/** One update or one epoch on the GPU, then a picture; the CPU finishes what a failure left. */
async function singleGpu(toEpochEnd) {
  try {
    while (backends.active) {
      const json = await backends.run(1, { toEpochEnd, wantState: true });
      if (json === null) break;
      const r = report(json);
      curvature.trained(trainer);
      if (!toEpochEnd || r.epochs.length > 0 || r.diverged) {
        picture();
        return;
      }
    }
    if (toEpochEnd && !trainer.diverged()) report(trainer.run(1e9, 1e9, true));
  } catch (e) {
    post({ type: 'stopped', reason: 'error', message: e.message, error: errorData(e) });
  }
  picture();
}

/** One update or one epoch, then a picture. */
async function single(toEpochEnd) {
  if (!trainer || sweep || compare) return;
  if (backends.active) {
    await singleGpu(toEpochEnd);
    return;
  }
  try {
    report(trainer.run(1e9, toEpochEnd ? 1e9 : 1, toEpochEnd));
  } catch (e) {
    post({ type: 'stopped', reason: 'error', message: e.message, error: errorData(e) });
  }
  picture();
}

// ---- the batch-size experiment ------------------------------------------------------------

/**
 * The batch-size experiment's second half: the same sizes timed on the GPU (when there is
 * one), so the chart shows time per update against batch size for each backend.
 */
async function sweepOnGpu(rows) {
  const job = { cancelled: false, cfg: sweepConfig };
  sweepGpu = job;
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
  if (sweepGpu !== job) return;
  sweepGpu = null;
  post({ type: 'sweep-done', rows, gpu: gpuRows ? { adapter: adapter(), rows: gpuRows, minUpdates: SWEEP_MIN_UPDATES, round: SWEEP_ROUND } : null });
}

let sweepConfig = null;

function startSweep(cfg) {
  cancelJobs();
  sweepConfig = cfg;
  try {
    sweep = new Sweep(JSON.stringify(cfg));
  } catch (e) {
    post({ type: 'sweep-error', message: e.message, error: errorData(e) });
    return;
  }
  post({ type: 'sweep-progress', progress: 0, current: sweep.current_batch_size() ?? null, rows: [] });
  schedule();
}

function sweepTick() {
  let done;
  try {
    done = sweep.advance(CHUNK_MS);
  } catch (e) {
    sweep.free();
    sweep = null;
    post({ type: 'sweep-error', message: e.message, error: errorData(e) });
    return;
  }
  const rows = JSON.parse(sweep.rows());
  if (done) {
    sweep.free();
    sweep = null;
    sweepOnGpu(rows);
    return;
  }
  post({ type: 'sweep-progress', progress: sweep.progress(), current: sweep.current_batch_size() ?? null, rows });
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
    compare = { ce, mse, epochs, plane, lastPicture: 0 };
  } catch (e) {
    post({ type: 'compare-error', message: e.message });
    return;
  }
  comparePicture(true);
  schedule();
}

function comparePicture(force) {
  const c = compare;
  if (!force && performance.now() - c.lastPicture < pictureMs) return;
  c.lastPicture = performance.now();
  if (!c.plane) return;
  for (const key of ['ce', 'mse']) {
    const length = c[key].render_boundary(COMPARE_SIDE, dark);
    const pixels = copyBytes(c[key].boundary_ptr(), length);
    post({ type: 'compare-boundary', key, side: COMPARE_SIDE, pixels }, [pixels.buffer]);
  }
}

function compareTick() {
  const c = compare;
  const out = { ce: [], mse: [] };
  const start = performance.now();
  let stopped = null;
  try {
    // An epoch of each in turn, so both see the same number of epochs at every moment.
    while (performance.now() - start < CHUNK_MS && c.ce.epochs_done() < c.epochs) {
      for (const key of ['ce', 'mse']) {
        const r = JSON.parse(c[key].run(1e9, 1e9, true));
        out[key].push(...r.epochs);
        if (r.diverged) stopped = key;
      }
      if (stopped) break;
    }
  } catch (e) {
    stopped = e.message;
  }
  const done = c.ce.epochs_done() >= c.epochs || stopped !== null;
  post({ type: 'compare-progress', ce: out.ce, mse: out.mse, epochs: c.ce.epochs_done(), total: c.epochs });
  comparePicture(done);
  if (done) {
    c.ce.free();
    c.mse.free();
    compare = null;
    post({ type: 'compare-done', stopped });
    return;
  }
  schedule();
}

function cancelJobs() {
  if (sweepGpu) {
    sweepGpu.cancelled = true;
    sweepGpu = null;
    post({ type: 'sweep-cancelled' });
  }
  if (sweep) {
    sweep.free();
    sweep = null;
    post({ type: 'sweep-cancelled' });
  }
  if (compare) {
    compare.ce.free();
    compare.mse.free();
    compare = null;
    post({ type: 'compare-cancelled' });
  }
}

// ---- the mailbox ------------------------------------------------------------------------------

// Messages are handled one after the other (a build waits for the GPU chunk in flight).
let mailbox = Promise.resolve();
self.onmessage = (e) => {
  mailbox = mailbox.then(() => handle(e.data));
};

async function handle(msg) {
  await ready;
  try {
    switch (msg.type) {
      case 'build':
        if (msg.dark !== undefined) dark = msg.dark;
        if (msg.forceCpu !== undefined) backends.forceCpu = msg.forceCpu;
        await build(msg.config);
        break;
      case 'play':
        if (!trainer || sweep || sweepGpu || compare) break;
        playing = true;
        lastTick = 0;
        budget = 0;
        post({ type: 'state', playing });
        schedule();
        break;
      case 'pause': {
        playing = false;
        post({ type: 'state', playing });
        const handedOver = await backends.pull();
        if (handedOver) report(handedOver);
        picture();
        break;
      }
      case 'backend': {
        // "Force CPU" switched: the run moves to the other engine with its weights.
        const json = await backends.setForceCpu(Boolean(msg.forceCpu));
        if (json) report(json);
        if (playing) schedule();
        break;
      }
      case 'gpu-lose':
        // Simulates a lost GPU device (the fallback test; a driver reset does the same).
        backends.gpu?.device.destroy();
        break;
      case 'speed':
        rate = msg.epochsPerSecond;
        budget = 0;
        break;
      case 'step':
        await single(false);
        break;
      case 'epoch':
        await single(true);
        break;
      case 'reset':
        if (config) await build(config);
        break;
      case 'shade':
        dark = msg.dark;
        if (trainer && !info.plane) {
          const [w, h] = trainer.render_digits(DIGITS_SHOWN, DIGITS_COLS, dark);
          post({ type: 'sheet', sheet: { width: w, height: h, pixels: copyBytes(trainer.sheet_ptr(), w * h * 4) } });
        }
        picture();
        if (compare) comparePicture(true);
        break;
      case 'sweep':
        playing = false;
        post({ type: 'state', playing });
        startSweep(msg.config);
        break;
      case 'compare':
        playing = false;
        post({ type: 'state', playing });
        startCompare(msg.config, msg.epochs);
        break;
      case 'motion':
        // Fewer new pictures for people who asked for less motion.
        pictureMs = msg.reduced ? 1000 : PICTURE_MS;
        break;
      case 'cancel':
        cancelJobs();
        break;
      default:
        // The curvature panel's jobs (curvature-jobs.js); training pauses while they run.
        if (curvature.handles(msg)) {
          if (playing && msg.type !== 'curv-cancel') {
            playing = false;
            post({ type: 'state', playing });
          }
          const handedOver = await backends.pull();
          if (handedOver) report(handedOver);
          curvature.handle(msg, trainer, post);
          if (curvature.busy()) schedule();
        }
        break;
    }
  } catch (err) {
    fail(err);
  }
}
