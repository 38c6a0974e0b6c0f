// The typed protocol between the pages and their workers: every message kind is declared
// here once (the `type` field of a message), with JSDoc typedefs for what each carries, and one
// client for request/answer workers (the phase diagram's sweeps, the scene checks). Workers
// keep all their mutable state in one object each (typedefs below).

import { errorFromData } from './errors.js';
import { isTrap } from './recovery.js';

/** Kinds of every request/answer worker: a request, its progress, and how it ends. */
export const REQUEST = Object.freeze({ run: 'run', cancel: 'cancel', progress: 'progress', done: 'done', cancelled: 'cancelled', error: 'error' });

/**
 * @typedef {object} RunRequest  page → worker: start job `id` (a newer run supersedes it)
 * @property {'run'} type
 * @property {number} id
 */
/**
 * @typedef {object} CancelRequest  page → worker: stop job `id`
 * @property {'cancel'} type
 * @property {number} id
 */
/**
 * @typedef {object} Answer  worker → page: `progress` (any number), then one of `done`,
 * `cancelled` or `error` (with `message`, see common/errors.js)
 * @property {'progress'|'done'|'cancelled'|'error'} type
 * @property {number} id
 * @property {string} [message]
 */

/**
 * The phase worker (phase-worker.js): `run {id, config, coloring}`, `cancel {id}`; answers
 * `progress {rows_done, rows, cols, preview}`, `done {ms, cols, rows, x_values, y_values,
 * final_loss, steps_to_target, diverged_at, images}`, `cancelled {rows_done, rows}`, `error`.
 * @typedef {{job: {id: number, cancelled: boolean}|null, resume: Function|null}} PhaseWorkerState
 */

/**
 * The scene worker (scene-worker.js): `run {id, scene, lab}`; answers `done {check}` or `error`.
 * @typedef {{}} SceneWorkerState
 */

/**
 * The side in pixels the classifier asks its decision-boundary picture to have; a large
 * network gets fewer (the core's `boundary::side_for`), and a link is checked with it.
 */
export const BOUNDARY_SIDE = 160;

/** What the classifier page sends its training worker (classifier/worker.js). */
export const TRAINER_IN = Object.freeze(/** @type {const} */ ([
  'build', 'play', 'pause', 'speed', 'step', 'epoch', 'reset', 'shade', 'motion', 'sweep', 'compare', 'cancel', 'backend', 'gpu-lose',
  'curv-spectrum', 'curv-ratio', 'curv-landscape', 'curv-cancel',
]));
/** What the training worker answers. */
export const TRAINER_OUT = Object.freeze(/** @type {const} */ ([
  'ready', 'progress', 'boundary', 'boundary-progress', 'digits', 'sheet', 'state', 'stopped', 'backend', 'config-error', 'error',
  'sweep-progress', 'sweep-done', 'sweep-cancelled', 'sweep-error',
  'compare-progress', 'compare-boundary', 'compare-done', 'compare-cancelled', 'compare-error',
  'curv-progress', 'curv-spectrum', 'curv-ratio', 'curv-landscape', 'curv-cancelled', 'curv-error',
]));

/**
 * @typedef {object} TrainerMessage  page → training worker
 * @property {typeof TRAINER_IN[number]} type
 * @property {object} [config] build, sweep, compare: a training config (classifier/state.js)
 * @property {boolean} [dark] build, shade
 * @property {boolean} [forceCpu] build, backend
 * @property {number|null} [epochsPerSecond] speed
 * @property {boolean} [reduced] motion
 * @property {number} [epochs] compare
 */
/**
 * @typedef {object} TrainerReply  training worker → page
 * @property {typeof TRAINER_OUT[number]} type
 * @property {string} [message] the errors' text (common/errors.js)
 */
/**
 * The training worker's one state object.
 * @typedef {object} TrainerWorkerState
 * @property {WebAssembly.Memory|null} memory
 * @property {object|null} trainer the wasm `Trainer`
 * @property {object|null} config
 * @property {object|null} info
 * @property {boolean} playing
 * @property {number|null} rate
 * @property {boolean} dark
 * @property {number} budget
 * @property {number} lastTick
 * @property {number} lastPicture
 * @property {boolean} scheduled
 * @property {object|null} sweep
 * @property {object|null} sweepConfig
 * @property {{cancelled: boolean}|null} sweepGpu
 * @property {object|null} compare
 * @property {number} pictureMs
 * @property {boolean} building
 * @property {Promise<void>} mailbox
 * @property {{trail: object|null, job: object|null}} curv
 */

/**
 * One request at a time to a request/answer worker, started on first use. A new request
 * supersedes the one in flight (`superseded`: by default the worker is told to cancel it and
 * its promise stays unsettled); `fail` rejects it and restarts the worker on the next request.
 */
export class WorkerClient {
  /** `url`: the worker module; `failText()`: the words when the worker itself fails. */
  constructor(url, failText) {
    this.url = url;
    this.failText = failText;
    this.worker = null;
    this.id = 0;
    this.pending = null;
  }

  /** The worker, started when there is none. */
  ensureWorker() {
    if (this.worker) return this.worker;
    this.worker = new Worker(this.url, { type: 'module' });
    this.worker.addEventListener('message', (e) => this.answer(e.data));
    this.worker.addEventListener('error', (e) => this.fail(e.message || this.failText()));
    return this.worker;
  }

  /** The request in flight is replaced by a newer one. */
  superseded() {
    this.worker.postMessage({ type: REQUEST.cancel, id: this.pending.id });
  }

  /**
   * Posts `body` as a `run`; resolves with the `done` answer (and `wall`, the ms from posting
   * to its arrival), null when cancelled; `onProgress(answer)` sees each `progress`.
   */
  request(body, onProgress = () => {}) {
    if (this.pending) this.superseded();
    const id = ++this.id;
    return new Promise((resolve, reject) => {
      this.pending = { id, resolve, reject, onProgress, t0: performance.now() };
      this.ensureWorker().postMessage({ ...body, type: REQUEST.run, id });
    });
  }

  /** Asks the worker to stop the request in flight (it answers `cancelled`). */
  cancelRunning() {
    if (this.pending) this.worker.postMessage({ type: REQUEST.cancel, id: this.pending.id });
  }

  answer(msg) {
    const p = this.pending;
    if (!msg || !p || msg.id !== p.id) return;
    if (msg.type === REQUEST.progress) {
      p.onProgress(msg);
      return;
    }
    this.pending = null;
    if (msg.type === REQUEST.done) p.resolve({ ...msg, wall: performance.now() - p.t0 });
    else if (msg.type === REQUEST.cancelled) p.resolve(null);
    else {
      const error = errorFromData(msg.error ?? msg);
      // A panic trapped the worker's wasm instance (recovery.js): the next request starts a
      // fresh worker.
      if (isTrap(error)) {
        this.worker?.terminate();
        this.worker = null;
      }
      p.reject(error);
    }
  }

  fail(message) {
    const p = this.pending;
    this.pending = null;
    this.worker?.terminate();
    this.worker = null;
    p?.reject(new Error(message));
  }
}
