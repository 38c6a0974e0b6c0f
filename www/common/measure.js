// The client of the scene worker (../scene-worker.js), which measures a lecture scene's claim.
// Its own module so that a page imports it (and the worker protocol) only when it first
// measures: scene-card.js's `MeasureClient` imports it then.

import { WorkerClient } from './protocol.js';

/** Runs scene checks in a worker (some take seconds), one at a time; the latest ask wins. */
export class MeasureClient extends WorkerClient {
  constructor() {
    super(new URL('../scene-worker.js', import.meta.url), () => 'the measuring worker failed');
  }

  /** A newer ask: the one in flight rejects with 'superseded' (the worker finishes it unheard). */
  superseded() {
    const p = this.pending;
    this.pending = null;
    p.reject(new Error('superseded'));
  }

  /** Resolves with the check (`{scene, pass, conditions, measured}`); rejects with a message. */
  async measure(scene, lab) {
    return (await this.request({ scene, lab })).check;
  }

  /** Stops a running check (a new scene was opened). */
  cancel() {
    if (this.pending) this.fail('superseded');
  }
}
