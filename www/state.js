// The app state that a link shares, kept in the URL hash:
// #surface=rosenbrock&optimizer=adam&lr=0.01&steps=1000&start=-1.5,2
// (a later issue grows this into the full state table).

export const DEFAULTS = Object.freeze({
  surface: 'rosenbrock',
  optimizer: 'adam',
  lr: 0.01,
  steps: 1000,
  start: null,
});

/** Reads the state from a hash like `#surface=...`; unknown or malformed keys are ignored. */
export function readHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const state = {};
  if (params.get('surface')) state.surface = params.get('surface');
  if (params.get('optimizer')) state.optimizer = params.get('optimizer');
  const lr = Number(params.get('lr'));
  if (params.has('lr') && Number.isFinite(lr) && lr > 0) state.lr = lr;
  const steps = Number(params.get('steps'));
  if (Number.isInteger(steps) && steps > 0) state.steps = steps;
  const start = (params.get('start') ?? '').split(',').map(Number);
  if (start.length === 2 && start.every(Number.isFinite) && params.get('start') !== '') state.start = start;
  return state;
}

/** Writes the state into the URL hash without adding a history entry. */
export function writeHash(state) {
  const params = new URLSearchParams();
  params.set('surface', state.surface);
  params.set('optimizer', state.optimizer);
  params.set('lr', String(state.lr));
  params.set('steps', String(state.steps));
  if (state.start) params.set('start', state.start.map((v) => Number(v.toPrecision(6))).join(','));
  history.replaceState(null, '', `#${params}`);
}
