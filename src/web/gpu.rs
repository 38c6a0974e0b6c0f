//! The classifier `Trainer`'s side of the WebGPU backend (www/classifier/gpu/): what the GPU
//! needs to train the very run the CPU would (layout, initial weights, standardized data, the
//! batch order and lrs), and the bookkeeping of what it did (losses, eval passes, weights read
//! back), so the CPU can take over at any step. The GPU runs the math; no math here.

use super::error::{to_js, to_json};
use super::trainer::Trainer;
use crate::error::Error;
use crate::nn::{Activation, Evaluation, LossKind};
use crate::optim::{FlatState, OptimizerConfig};
use serde::Serialize;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

/// One layer as the shaders address it: offsets into the flat parameter buffer.
#[derive(Serialize)]
struct GpuLayer {
    fan_in: usize,
    out: usize,
    w: usize,
    b: usize,
    /// Offset of gamma (then beta) for a layer with batch norm.
    bn: Option<usize>,
    /// Offset of the running mean (then the variance) after the trainable parameters.
    running: Option<usize>,
    activation: &'static str,
}

/// The optimizers the shaders implement (those with a `gpu` row in the spec table), with
/// torch's hyper-parameters (the lr comes per step) and the table's kernel number and state
/// slots, or why the run stays on the CPU.
fn gpu_optimizer(cfg: &OptimizerConfig) -> Result<Value, &'static str> {
    use OptimizerConfig as O;
    let spec = cfg.spec();
    let Some(state) = spec.gpu else {
        return Err(if spec.variant.is_some() {
            "variant"
        } else {
            "optimizer"
        });
    };
    let mut value = match cfg {
        O::Sgd(c) => json!({"kind": "sgd", "momentum": c.momentum, "dampening": c.dampening,
            "nesterov": c.nesterov, "weight_decay": c.weight_decay, "maximize": c.maximize}),
        O::Adam(c) => json!({"kind": "adam", "beta1": c.betas[0], "beta2": c.betas[1],
            "eps": c.eps, "weight_decay": c.weight_decay, "decoupled": c.decoupled_weight_decay,
            "amsgrad": c.amsgrad, "maximize": c.maximize}),
        O::AdamW(c) => json!({"kind": "adam", "beta1": c.betas[0], "beta2": c.betas[1],
            "eps": c.eps, "weight_decay": c.weight_decay, "decoupled": true,
            "amsgrad": c.amsgrad, "maximize": c.maximize}),
        O::Rmsprop(c) => json!({"kind": "rmsprop", "alpha": c.alpha, "eps": c.eps,
            "weight_decay": c.weight_decay, "momentum": c.momentum, "centered": c.centered,
            "maximize": c.maximize}),
        O::Adagrad(c) => json!({"kind": "adagrad", "lr_decay": c.lr_decay,
            "weight_decay": c.weight_decay, "initial": c.initial_accumulator_value,
            "eps": c.eps, "maximize": c.maximize}),
        // A row with `gpu` set whose hyper-parameters are not passed here: a table error,
        // caught by `every_gpu_row_has_a_kernel` (tests/web_classifier.rs); the run stays on the CPU.
        _ => return Err("optimizer"),
    };
    value["kernel"] = json!(state.kernel);
    value["slots"] = json!(state.slots);
    Ok(value)
}

fn activation(a: Activation) -> &'static str {
    a.name()
}

fn evaluation(loss: f64, correct: f64, n: usize) -> Evaluation {
    let correct = correct.max(0.0).round() as usize;
    Evaluation {
        loss,
        correct,
        accuracy: correct as f64 / n.max(1) as f64,
    }
}

#[wasm_bindgen]
impl Trainer {
    /// What the GPU backend needs to know: `{supported, reason, optimizer_name, n_params,
    /// n_running, layers, loss, bn_eps, bn_momentum, features, classes, n_train, n_test,
    /// max_batch, optimizer}`. `reason` says why a run stays on the CPU: `"optimizer"`
    /// (not ported), `"variant"` (the lecture variants) or `"cycled-momentum"` (one-cycle
    /// cycling momentum/β1).
    pub fn gpu_plan(&self) -> Result<String, JsValue> {
        let t = &self.session.trainer;
        let net = t.network();
        let spec = net.spec();
        let n_params = net.n_params();
        let mut running_at = n_params;
        let layers: Vec<GpuLayer> = net
            .layout()
            .layers
            .iter()
            .zip(&spec.layers)
            .map(|(s, l)| {
                let running = s.bn.map(|_| {
                    let r = running_at;
                    running_at += 2 * s.out;
                    r
                });
                GpuLayer {
                    fan_in: s.fan_in,
                    out: s.out,
                    w: s.w,
                    b: s.b,
                    bn: s.bn,
                    running,
                    activation: activation(l.activation),
                }
            })
            .collect();
        let opt = gpu_optimizer(&self.config.optimizer);
        let reason = match (&opt, t.optimizer().momentum()) {
            (Err(r), _) => Some(*r),
            (Ok(_), Some(_)) => Some("cycled-momentum"),
            _ => None,
        };
        let value = json!({
            "supported": reason.is_none(),
            "reason": reason,
            "optimizer_name": self.config.optimizer.name(),
            "n_params": n_params,
            "n_running": running_at - n_params,
            "layers": layers,
            "loss": match spec.loss { LossKind::CrossEntropy => "cross_entropy", LossKind::Mse => "mse" },
            "bn_eps": spec.bn.eps,
            "bn_momentum": spec.bn.momentum,
            "features": spec.input_dim,
            "classes": spec.classes(),
            "n_train": t.train_data().len(),
            "n_test": t.test_data().map_or(0, |d| d.len()),
            "max_batch": t.batch_sizes().into_iter().max().unwrap_or(0),
            "optimizer": opt.unwrap_or(Value::Null),
        });
        to_json(&value)
    }

    /// The current trainable parameters (flat layout) followed by the running statistics
    /// (each batch-norm layer's mean then variance): the GPU's starting point.
    pub fn gpu_params(&self) -> Vec<f64> {
        let t = &self.session.trainer;
        let mut p = t.network().params().to_vec();
        p.extend(t.running_flat());
        p
    }

    /// The standardized features the network trains on (row-major, f32), of the training
    /// set or, with `test`, of the test set (empty without one).
    pub fn gpu_features(&self, test: bool) -> Vec<f32> {
        let t = &self.session.trainer;
        let d = if test {
            t.test_data()
        } else {
            Some(t.train_data())
        };
        d.map_or(Vec::new(), |d| {
            d.x.data().iter().map(|&v| v as f32).collect()
        })
    }

    /// The labels of the training set or, with `test`, of the test set.
    pub fn gpu_labels(&self, test: bool) -> Vec<u32> {
        let t = &self.session.trainer;
        let d = if test {
            t.test_data()
        } else {
            Some(t.train_data())
        };
        d.map_or(Vec::new(), |d| d.y.iter().map(|&c| c as u32).collect())
    }

    /// Plans up to `max_steps` updates, never past the end of the current epoch, and counts
    /// them as taken: `{order, steps: [{batch, start, end, lr}], ends_epoch}`. `order` (the
    /// epoch's row order) is sent with an epoch's first batch, `null` otherwise. Throws when
    /// the previous epoch's metrics were not recorded or one-cycle is past its end.
    pub fn gpu_next(&mut self, max_steps: usize) -> Result<String, JsValue> {
        let mut steps = Vec::new();
        let mut order = Value::Null;
        let mut ends_epoch = false;
        while steps.len() < max_steps.max(1)
            && !ends_epoch
            && self.session.trainer.diverged_at().is_none()
        {
            let planned = match self.session.trainer.plan_external_step() {
                Ok(p) => p,
                Err(e) if steps.is_empty() => return Err(to_js(e)),
                Err(_) => break,
            };
            if planned.new_epoch {
                order = json!(self.session.trainer.order());
            }
            ends_epoch = planned.ends_epoch;
            self.last_lr = Some(planned.lr);
            steps.push(planned);
        }
        let value = json!({"order": order, "steps": steps, "ends_epoch": ends_epoch});
        to_json(&value)
    }

    /// Records a chunk of GPU updates and returns `run`'s report: `losses` are the batch
    /// losses from batch `first_batch` of the epoch on; `state` (may be empty) the weights
    /// read back (as [`Trainer::gpu_params`] lays them out); `eval` (empty unless the chunk
    /// ended an epoch) `[train_loss, train_correct]` plus `[test_loss, test_correct]` with a
    /// test set, then the epoch's update seconds as the last number (NaN: not measured).
    pub fn gpu_chunk(
        &mut self,
        first_batch: usize,
        losses: Vec<f64>,
        state: Vec<f64>,
        eval: Vec<f64>,
    ) -> Result<String, JsValue> {
        let t = &mut self.session.trainer;
        t.record_external_losses(first_batch, &losses)
            .map_err(to_js)?;
        if let Some(&l) = losses.last() {
            self.last_loss = Some(l);
        }
        if !state.is_empty() {
            let n = t.network().n_params();
            if state.len() < n {
                return Err(Error::invalid(
                    "gpu_chunk.state",
                    format!("{} numbers", state.len()),
                    &format!("{n} parameters and the running statistics"),
                )
                .into());
            }
            t.set_state(&state[..n], &state[n..]).map_err(to_js)?;
        }
        let mut epochs = Vec::new();
        if !eval.is_empty() {
            let has_test = t.test_data().is_some();
            let want = if has_test { 5 } else { 3 };
            if eval.len() != want {
                return Err(Error::invalid(
                    "gpu_chunk.eval",
                    format!("{} numbers", eval.len()),
                    &format!("{want} numbers"),
                )
                .into());
            }
            if state.is_empty() {
                return Err(Error::Unavailable(
                    "gpu_chunk: an epoch's end needs the weights read back".into(),
                )
                .into());
            }
            let train = evaluation(eval[0], eval[1], t.train_data().len());
            let test = t.test_data().map(|d| evaluation(eval[2], eval[3], d.len()));
            let seconds = eval[want - 1];
            let seconds = seconds.is_finite().then_some(seconds);
            let m = t
                .finish_external_epoch(train, test, seconds)
                .map_err(to_js)?;
            epochs.push(self.epoch_report(m));
        }
        self.report(losses.len(), &epochs)
    }

    /// The optimizer's state for the GPU to continue from: `[t, slots...]` as
    /// [`FlatState`] lays it out (empty for an optimizer the GPU lacks).
    pub fn gpu_optimizer_state(&self) -> Vec<f64> {
        self.session
            .trainer
            .optimizer_state()
            .map_or(Vec::new(), |s| {
                let mut v = vec![s.t as f64];
                v.extend(s.slots);
                v
            })
    }

    /// Hands the run back to the CPU (after a GPU failure or "Force CPU"): the weights in
    /// `state` (the last ones read back; empty: keep the CPU's copy) go into the network, the
    /// optimizer continues from `optimizer` (`[t, slots...]` read back with those weights;
    /// empty: a fresh state), and an epoch that ended without metrics is evaluated on the
    /// CPU. Returns `run`'s report (with that epoch, if any).
    pub fn gpu_handover(
        &mut self,
        state: Vec<f64>,
        optimizer: Vec<f64>,
    ) -> Result<String, JsValue> {
        let t = &mut self.session.trainer;
        if !state.is_empty() {
            let n = t.network().n_params();
            if state.len() < n {
                return Err(Error::invalid(
                    "gpu_handover.state",
                    format!("{} numbers", state.len()),
                    &format!("at least {n} numbers, one per parameter"),
                )
                .into());
            }
            t.set_state(&state[..n], &state[n..]).map_err(to_js)?;
        }
        let mut epochs = Vec::new();
        let flat = optimizer.split_first().map(|(&t, slots)| FlatState {
            t: t.max(0.0) as u64,
            slots: slots.to_vec(),
        });
        if let Some(m) = t.resume_after_external(flat.as_ref()).map_err(to_js)? {
            epochs.push(self.epoch_report(m));
        }
        self.report(0, &epochs)
    }
}
