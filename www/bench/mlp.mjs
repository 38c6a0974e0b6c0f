// Peers for the classifier benchmarks (run by `cargo xtask bench`, one node process per peer):
//   node www/bench/mlp.mjs wasm|wasm-baseline|js|js-plain|tfjs-cpu|tfjs-wasm
// (a) spiral: 2-8-8-2 tanh, softmax + CE, SGD lr 0.03, batch 10, 500 points, 50 epochs;
// (b) digits: 64-32-10 relu, Adam lr 1e-3, batch 32, digits / 16 (1437 training images), 20
//     epochs.
// Every peer trains the same data with the same loop: an eval pass over the training data
// before and after every epoch, a fresh shuffle per epoch, the last partial batch kept. Prints
// {"name","value","unit"} lines: microseconds per update (the whole run over its updates, the
// eval passes included: the JS peers make them as the wasm peer does).
//   wasm:     the core, SIMD build (as the classifier page runs it; results mlp_*_wasm);
//   wasm-baseline: the core, baseline build (results mlp_*_wasm_baseline);
//   js:       mlp_fast.mjs, flat Float64Arrays allocated once, one loop nest per layer per
//             batch (results mlp_*_js);
//   js-plain: mlp_plain.mjs, the Playground-style one: a model object with an array per layer,
//             the optimizers as closures over its slots (results mlp_*_js_plain).
// The JS peers get the core's data from a worker thread, so that their own thread never runs
// the wasm: growing a wasm memory detaches its ArrayBuffer, and after any detach V8 checks
// every typed-array access in the isolate for it (≈ 20 % slower loops); a JS-only app has none.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { loadWasm, report, time } from './common.mjs';
import { train as trainFast } from './mlp_fast.mjs';
import { train as trainPlain } from './mlp_plain.mjs';

const TASKS = {
  spiral: {
    config: {
      data: { name: 'spiral', n: 500, classes: 2, noise: 0, seed: 1, train_fraction: 1.0 },
      hidden: [8, 8], activation: 'tanh', loss: 'cross_entropy', normalize_features: false,
      optimizer: { name: 'sgd', lr: 0.03 }, batch_size: 10, epochs: 50, shuffle: true, seed: 0,
      noise_batches: 0,
    },
    sizes: [2, 8, 8, 2], activation: 'tanh', optimizer: 'sgd', lr: 0.03, batch: 10, epochs: 50,
  },
  digits: {
    config: {
      data: { name: 'digits' }, hidden: [32], activation: 'relu', loss: 'cross_entropy',
      normalize_features: false, optimizer: { name: 'adam', lr: 1e-3 }, batch_size: 32,
      epochs: 20, shuffle: true, seed: 0, noise_batches: 0,
    },
    sizes: [64, 32, 10], activation: 'relu', optimizer: 'adam', lr: 1e-3, batch: 32, epochs: 20,
  },
};
const NAMES = { spiral: 'mlp_spiral', digits: 'mlp_digits' };
const peer = isMainThread ? process.argv[2] : workerData;

/** The training data of a task, as the core makes it (digits already divided by 16). */
function data(glue, task) {
  const t = new glue.Trainer(JSON.stringify(task.config));
  const x = t.train_points();
  const y = Int32Array.from(t.train_labels());
  t.free();
  return { x, y, features: task.sizes[0] };
}

const updatesOf = (task, n) => Math.ceil(n / task.batch) * task.epochs;

/** The core in wasm: the SIMD build (as the classifier page runs it), or the baseline build. */
async function runWasm(simd = true) {
  const glue = await loadWasm({ simd });
  const suffix = simd ? 'wasm' : 'wasm_baseline';
  for (const [key, task] of Object.entries(TASKS)) {
    const json = JSON.stringify(task.config);
    let summary;
    const ms = time(() => {
      summary = JSON.parse(glue.train_summary(json));
    }, { warmup: 2, minReps: 5, minMs: 1500 });
    report(`${NAMES[key]}_${suffix}`, ms.scale(1e3 / summary.updates), 'us/update', {
      updates: summary.updates, ms: ms.median, train_accuracy: summary.train_accuracy,
    });
  }
}

/**
 * Every task's data, made by the core in a worker thread (this thread loads no wasm); resolves
 * once the worker has ended, so that it costs nothing while the timing runs.
 */
function dataFromWorker() {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: 'data' });
    let all = null;
    worker.once('message', (message) => {
      all = message;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code === 0 && all) resolve(all);
      else reject(new Error(`the data worker exited with ${code}`));
    });
  });
}

/** The worker's side: the data of every task, copied to the main thread. */
async function sendData() {
  const glue = await loadWasm();
  parentPort.postMessage(Object.fromEntries(Object.keys(TASKS).map((key) => [key, data(glue, TASKS[key])])));
}

/** `train`: mlp_fast.mjs's or mlp_plain.mjs's; `suffix`: the results' peer name. */
async function runJs(train, suffix) {
  const all = await dataFromWorker();
  for (const [key, task] of Object.entries(TASKS)) {
    const d = all[key];
    let out;
    const ms = time(() => {
      out = train({ ...d, ...task, seed: 1 });
    }, { warmup: 2, minReps: 5, minMs: 1500 });
    report(`${NAMES[key]}_${suffix}`, ms.scale(1e3 / out.updates), 'us/update', {
      updates: out.updates, ms: ms.median, train_accuracy: out.accuracy,
    });
    if (out.updates !== updatesOf(task, d.y.length)) throw new Error(`${out.updates} updates`);
  }
}

/**
 * TensorFlow.js in its fastest plain form: variables, a loss closure, `tf.variableGrads` and
 * `optimizer.applyGradients` per batch (float32, as tfjs computes).
 */
async function runTfjs(backend) {
  const glue = await loadWasm();
  const tf = await import('@tensorflow/tfjs');
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const require = createRequire(import.meta.url);
    const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
    wasm.setWasmPaths(`${join(dist, '/')}`);
    // One thread, as the core runs (SIMD stays on where the CPU has it).
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  }
  await tf.setBackend(backend);
  await tf.ready();
  const simd = backend === 'wasm' ? await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') : null;
  for (const [key, task] of Object.entries(TASKS)) {
    const d = data(glue, task);
    const n = d.y.length;
    const X = tf.tensor2d(Float32Array.from(d.x), [n, d.features]);
    const Y = tf.oneHot(tf.tensor1d(d.y, 'int32'), task.sizes.at(-1)).toFloat();
    const run = (epochs) => {
      const vars = [];
      for (let l = 0; l + 1 < task.sizes.length; l += 1) {
        const bound = 1 / Math.sqrt(task.sizes[l]);
        vars.push(tf.variable(tf.randomUniform([task.sizes[l], task.sizes[l + 1]], -bound, bound)));
        vars.push(tf.variable(tf.randomUniform([task.sizes[l + 1]], -bound, bound)));
      }
      const act = task.activation === 'relu' ? tf.relu : tf.tanh;
      const logits = (x) => {
        let a = x;
        for (let l = 0; l < vars.length; l += 2) {
          a = tf.add(tf.matMul(a, vars[l]), vars[l + 1]);
          if (l + 2 < vars.length) a = act(a);
        }
        return a;
      };
      const optimizer = task.optimizer === 'adam' ? tf.train.adam(task.lr) : tf.train.sgd(task.lr);
      const evaluate = () => tf.tidy(() => {
        const z = logits(X);
        const loss = tf.losses.softmaxCrossEntropy(Y, z).dataSync()[0];
        const right = tf.equal(tf.argMax(z, 1), tf.argMax(Y, 1)).sum().dataSync()[0];
        return { loss, accuracy: right / n };
      });
      let last = evaluate();
      let updates = 0;
      const order = new Int32Array(n).map((_, i) => i);
      for (let e = 0; e < epochs; e += 1) {
        tf.util.shuffle(order);
        for (let s = 0; s < n; s += task.batch) {
          const idx = tf.tensor1d(order.subarray(s, Math.min(n, s + task.batch)), 'int32');
          const xb = tf.gather(X, idx);
          const yb = tf.gather(Y, idx);
          const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(yb, logits(xb)));
          optimizer.applyGradients(grads);
          tf.dispose([idx, xb, yb, value, ...Object.values(grads)]);
          updates += 1;
        }
        last = evaluate();
      }
      optimizer.dispose();
      tf.dispose(vars);
      return { ...last, updates };
    };
    run(2);
    let out;
    const ms = time(() => {
      out = run(task.epochs);
    }, { warmup: 0, minReps: 1, minMs: 3000 });
    X.dispose();
    Y.dispose();
    report(`${NAMES[key]}_tfjs_${backend}`, ms.scale(1e3 / out.updates), 'us/update', {
      updates: out.updates, ms: ms.median, train_accuracy: out.accuracy, simd, tensors: tf.memory().numTensors,
    });
    if (out.updates !== updatesOf(task, n)) throw new Error(`${out.updates} updates`);
  }
}

if (peer === 'data') await sendData();
else if (peer === 'wasm') await runWasm();
else if (peer === 'wasm-baseline') await runWasm(false);
else if (peer === 'js') await runJs(trainFast, 'js');
else if (peer === 'js-plain') await runJs(trainPlain, 'js_plain');
else if (peer === 'tfjs-cpu') await runTfjs('cpu');
else if (peer === 'tfjs-wasm') await runTfjs('wasm');
else {
  console.error('usage: node www/bench/mlp.mjs wasm|wasm-baseline|js|js-plain|tfjs-cpu|tfjs-wasm');
  process.exit(2);
}
