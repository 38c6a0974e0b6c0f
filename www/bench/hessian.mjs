// The wasm peer of the Hessian benchmarks (run by `cargo xtask bench`; the native peer is in
// benches/native.rs, with the same configs from www/bench/hessian.json):
//   node www/bench/hessian.mjs wasm
// (a) the full Hessian spectrum (every eigenvalue) of a 2-8-8-2 tanh net (114 parameters) at
//     its initial weights over the 250 training rows of a 500-point spiral, as the classifier's
//     "Compute Hessian spectrum" runs it (`HessianJob`, exact); milliseconds (median).
// (b) the Lanczos extremes (80 Hessian-vector products) of the digits net 64-32-10 relu (2410
//     parameters) over its 1437 training images; milliseconds (median).

import { readFileSync } from 'node:fs';
import { loadWasm, report, time } from './common.mjs';

const CONFIGS = JSON.parse(readFileSync(new URL('./hessian.json', import.meta.url)));
const glue = await loadWasm();

function spectrum(config, options) {
  const trainer = new glue.Trainer(JSON.stringify(config));
  let job = null;
  let result = null;
  const ms = time(() => {
    job = new glue.HessianJob(trainer, JSON.stringify(options));
    while (!job.advance(1e12));
    result = JSON.parse(job.result());
    job.free();
  }, { warmup: 1, minReps: 5, minMs: 2000 });
  trainer.free();
  return { ms, result };
}

const a = spectrum(CONFIGS.spiral, { method: 'exact' });
report('hessian_2882_wasm', a.ms, 'ms', { n_params: a.result.spectrum.n_params, rows: a.result.spectrum.rows, minimum_ratio: a.result.spectrum.minimum_ratio });
const b = spectrum(CONFIGS.digits, { method: 'lanczos' });
report('hessian_lanczos_digits_wasm', b.ms, 'ms', { n_params: b.result.spectrum.n_params, steps: b.result.spectrum.hessian_vector_products, lambda_max: b.result.lambda_max });
