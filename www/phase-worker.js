// The phase diagram's sweep, off the main thread: it owns a wasm `PhaseSweep` (the same wasm
// as the page), runs it a time budget at a time, posts progress between chunks (so a cancel
// is seen within one chunk), and at the end the measured cells and the three colourings as
// RGBA images with their scales. The page only draws what arrives here.
//
// Messages in:  run {id, config, coloring}, cancel {id}.
// Messages out: progress {id, rows_done, rows, cols, preview: {rgba, scale}} (the rows so far
//               in the page's colouring), done {id, ...}, cancelled {id},
//               error {id, message}.

import { errorData, errorText } from './common/errors.js';
import { REQUEST } from './common/protocol.js';
import init, { PhaseSweep } from './pkg-lab/optiscape.js';

/** Milliseconds of sweeping per chunk before the worker looks at its mailbox again. */
const CHUNK_MS = 40;
const COLORINGS = ['final_loss', 'steps_to_target', 'diverged'];

const ready = init();
/**
 * The worker's one piece of mutable state: the sweep in flight and the yield's resolver.
 * @type {import('./common/protocol.js').PhaseWorkerState}
 */
const st = { job: null, resume: null };

// A zero-delay yield that browsers do not clamp to 4 ms as they do nested timeouts.
const channel = new MessageChannel();
channel.port1.onmessage = () => st.resume?.();
const yieldNow = () => new Promise((resolve) => {
  st.resume = resolve;
  channel.port2.postMessage(null);
});

self.onmessage = async (event) => {
  const msg = event.data;
  await ready;
  if (msg.type === REQUEST.cancel) {
    if (st.job && st.job.id === msg.id) st.job.cancelled = true;
    return;
  }
  if (msg.type === REQUEST.run) {
    if (st.job) st.job.cancelled = true;
    run(msg.id, msg.config, msg.coloring ?? 'final_loss');
  }
};

async function run(id, config, coloring) {
  let sweep;
  try {
    sweep = new PhaseSweep(config);
  } catch (e) {
    self.postMessage({ type: REQUEST.error, id, message: errorText(e), error: errorData(e) });
    return;
  }
  const me = { id, cancelled: false };
  st.job = me;
  const t0 = performance.now();
  try {
    for (;;) {
      const done = sweep.advance(CHUNK_MS);
      if (done) break;
      const rgba = sweep.render(coloring);
      const preview = { rgba, scale: JSON.parse(sweep.scale_json()), coloring };
      self.postMessage({ type: REQUEST.progress, id, rows_done: sweep.rows_done(), rows: sweep.rows(), cols: sweep.cols(), preview }, [rgba.buffer]);
      await yieldNow();
      if (me.cancelled) {
        self.postMessage({ type: REQUEST.cancelled, id, rows_done: sweep.rows_done(), rows: sweep.rows() });
        return;
      }
    }
    const ms = performance.now() - t0;
    const images = {};
    for (const coloring of COLORINGS) {
      const rgba = sweep.render(coloring);
      images[coloring] = { rgba, scale: JSON.parse(sweep.scale_json()) };
    }
    const out = {
      type: REQUEST.done,
      id,
      ms,
      cols: sweep.cols(),
      rows: sweep.rows(),
      x_values: sweep.x_values(),
      y_values: sweep.y_values(),
      final_loss: sweep.final_loss(),
      steps_to_target: sweep.steps_to_target(),
      diverged_at: sweep.diverged_at(),
      images,
    };
    self.postMessage(out, [out.final_loss.buffer, out.steps_to_target.buffer, out.diverged_at.buffer,
      ...COLORINGS.map((c) => images[c].rgba.buffer)]);
  } catch (e) {
    self.postMessage({ type: REQUEST.error, id, message: errorText(e), error: errorData(e) });
  } finally {
    if (st.job === me) st.job = null;
    sweep.free();
  }
}
