// The curvature jobs of the classifier's worker: it records the run's weights along training
// (a wasm `WeightTrail`), and on request computes the Hessian spectrum at the current weights
// (`HessianJob`, a block of columns or a Lanczos step per slice of time, so progress is posted
// and a cancel is heard), the minimum ratio at recorded weights (`RatioJob`), and the loss
// landscape of the trail (`LandscapeRun`, a grid row per slice). worker.js hands over.
//
// Messages in:  curv-spectrum, curv-ratio {count}, curv-landscape {method, grid},
//               curv-cancel.
// Messages out: curv-progress {kind, done, planned}, curv-spectrum {result},
//               curv-ratio {samples, done}, curv-landscape {plane}, curv-error {kind, error (the core's error as data) or key (a catalog key)},
//               curv-cancelled {kind}.

import { errorData } from '../common/errors.js';
import { HessianJob, WeightTrail } from '../pkg/optiscape.js';

/** Recorded weights kept per run (thinned evenly beyond). */
const TRAIL_POINTS = 200;

/** The panel's state, kept in the worker's one state object: `{trail, job}`. */
export const create = () => ({ trail: null, job: null /* { kind: 'spectrum' | 'ratio' | 'landscape', handle } */ });

/** Whether `msg` is one of ours. */
export const handles = (msg) => typeof msg.type === 'string' && msg.type.startsWith('curv-');

/** Whether a job wants time slices. */
export const busy = (c) => c.job !== null;

function stop(c, post, type) {
  if (!c.job) return;
  const kind = c.job.kind;
  c.job.handle.free();
  c.job = null;
  if (type) post({ type, kind });
}

/** A new run was built: forget the old trail and job, record the initial weights. */
export function built(c, trainer, post) {
  stop(c, post, 'curv-cancelled');
  c.trail ??= new WeightTrail(TRAIL_POINTS);
  c.trail.clear();
  if (trainer) c.trail.record(trainer);
}

/** The run trained: record its weights when an epoch is due. */
export function trained(c, trainer) {
  if (trainer && c.trail) c.trail.record(trainer);
}

/** Starts (or cancels) a job. */
export function handle(c, msg, trainer, post) {
  if (msg.type === 'curv-cancel') {
    stop(c, post, 'curv-cancelled');
    return;
  }
  const kind = msg.type.slice('curv-'.length);
  if (!trainer) {
    post({ type: 'curv-error', kind, key: 'curv.noNetwork' });
    return;
  }
  stop(c, post, 'curv-cancelled');
  try {
    if (kind === 'spectrum') {
      c.job = { kind, handle: new HessianJob(trainer, '{}') };
      const [done, planned] = c.job.handle.progress();
      post({ type: 'curv-progress', kind, done, planned, method: c.job.handle.method() });
    } else if (kind === 'ratio') {
      c.trail.record(trainer);
      c.job = { kind, handle: c.trail.ratio_job(trainer, msg.count, '{}') };
      post({ type: 'curv-progress', kind, done: 0, planned: 1 });
    } else if (kind === 'landscape') {
      const options = JSON.stringify({ method: msg.method, grid: msg.grid });
      c.job = { kind, handle: c.trail.landscape_job(trainer, options), points: c.trail.len() };
      const [done, planned] = c.job.handle.progress();
      post({ type: 'curv-progress', kind, done, planned });
    }
  } catch (e) {
    if (c.job) stop(c, post, null);
    post({ type: 'curv-error', kind, error: errorData(e) });
  }
}

/** One slice of the running job; returns whether it still wants time. */
export function tick(c, post, budgetMs) {
  if (!c.job) return false;
  const { kind, handle: h } = c.job;
  let done;
  try {
    done = h.advance(budgetMs);
  } catch (e) {
    stop(c, post, null);
    post({ type: 'curv-error', kind, error: errorData(e) });
    return false;
  }
  if (kind === 'spectrum') {
    if (done) {
      const result = h.result();
      stop(c, post, null);
      post({ type: 'curv-spectrum', result });
      return false;
    }
    const [d, planned] = h.progress();
    post({ type: 'curv-progress', kind, done: d, planned, method: h.method() });
    return true;
  }
  if (kind === 'landscape') {
    if (done) {
      const plane = h.result();
      const { points } = c.job;
      stop(c, post, null);
      post({ type: 'curv-landscape', plane, points });
      return false;
    }
    const [d, planned] = h.progress();
    post({ type: 'curv-progress', kind, done: d, planned });
    return true;
  }
  const samples = h.samples();
  if (done) {
    stop(c, post, null);
    post({ type: 'curv-ratio', samples, done: true });
    return false;
  }
  post({ type: 'curv-progress', kind, done: h.progress(), planned: 1 });
  post({ type: 'curv-ratio', samples, done: false });
  return true;
}
