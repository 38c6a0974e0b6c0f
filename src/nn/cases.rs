//! The reference cases of `mlp.json` as inputs: each `run_*_case` accepts a case object as it
//! stands (its `expect` is ignored) and returns what the case's `expect` holds, as JSON.
//! The CLI's `forward`, `train` and `normalize` commands and the tests call these.

use super::backend::CpuBackend;
use super::batchnorm::SingleRowBatch;
use super::data::Dataset;
use super::matrix::Matrix;
use super::model::ModelSpec;
use super::params::{Network, Params};
use super::pass::Mode;
use super::standardize::Standardizer;
use super::trainer::{TrainOptions, Trainer};
use crate::error::{Error, Result};
use crate::optim::{Optimizer, OptimizerConfig, ScheduleConfig};
use serde::Deserialize;
use serde_json::{json, Value};

/// A `forward_backward` case: one forward on all of `X` in `mode`, the loss and its backward.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForwardCase {
    pub model: ModelSpec,
    pub mode: Mode,
    pub params: Params,
    #[serde(rename = "X")]
    pub x: Vec<Vec<f64>>,
    pub y: Vec<usize>,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub expect: Option<Value>,
    #[serde(default)]
    pub expect_error: Option<Value>,
    #[serde(default)]
    pub expect_error_type: Option<Value>,
}

/// The data of a `train_steps` case, in its stored row order.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseData {
    #[serde(rename = "X")]
    pub x: Vec<Vec<f64>>,
    pub y: Vec<usize>,
    #[serde(default)]
    pub source: Option<String>,
}

/// A `train_steps` case: torch's training loop over fixed data and initial parameters.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainCase {
    pub model: ModelSpec,
    pub params_init: Params,
    pub data: CaseData,
    pub batch_size: usize,
    pub epochs: usize,
    #[serde(default)]
    pub shuffle: bool,
    #[serde(default)]
    pub drop_last: bool,
    pub optimizer: OptimizerConfig,
    #[serde(default)]
    pub schedule: Option<ScheduleConfig>,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub expect: Option<Value>,
}

/// A `feature_norm` case: statistics of `X`, applied to `X` and to `X_apply`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormalizeCase {
    #[serde(rename = "X")]
    pub x: Vec<Vec<f64>>,
    #[serde(rename = "X_apply", default)]
    pub x_apply: Option<Vec<Vec<f64>>>,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub expect: Option<Value>,
}

fn parse<T: serde::de::DeserializeOwned>(case: &Value, kind: &str) -> Result<T> {
    if let Some(k) = case.get("kind").and_then(Value::as_str) {
        if k != kind {
            return Err(Error::invalid("kind", k, &format!("\"{kind}\"")));
        }
    }
    T::deserialize(case).map_err(|e| Error::Config(format!("{kind} case: {e}")))
}

/// Run a `forward_backward` case: `{logits, probs, loss, grads: {layers, X},
/// running_stats_after}`, or `{error, error_type: "ValueError"}` where torch raises (a
/// train-mode batch of one row through batch norm, with torch's message).
pub fn run_forward_case(case: &Value) -> Result<Value> {
    let c: ForwardCase = parse(case, "forward_backward")?;
    let mut net = Network::from_params(&c.model, &c.params)?;
    let x = Matrix::from_rows("X", &c.x, Some(c.model.input_dim))?;
    x.check_finite("X")?;
    // torch raises at the first batch norm before anything else runs: report its ValueError
    // (with torch's message) as the case's outcome.
    if c.mode == Mode::Train && x.rows() == 1 {
        if let Some(l) = c.model.layers.iter().find(|l| l.batchnorm) {
            let e = SingleRowBatch { width: l.out };
            return Ok(json!({"error": e.to_string(), "error_type": "ValueError"}));
        }
    }
    let r = CpuBackend::new().forward_backward(&mut net, &x, &c.y, c.mode)?;
    let stats: Vec<Value> = net
        .running()
        .iter()
        .map(|rs| rs.as_ref().map_or(Value::Null, |rs| json!(rs)))
        .collect();
    Ok(json!({
        "logits": r.logits.to_rows(),
        "probs": r.probs.to_rows(),
        "loss": r.loss,
        "grads": {"layers": net.layout().unflatten(&r.grads).layers, "X": r.dx.to_rows()},
        "running_stats_after": stats,
    }))
}

/// The work of a `train_steps` case before any of it is done (the CLI checks it against
/// `--max-work`): three multiply-adds per parameter, row and epoch.
pub fn train_case_cost(case: &Value) -> Result<crate::budget::Cost> {
    let c: TrainCase = parse(case, "train_steps")?;
    Ok(crate::budget::Cost::training(
        c.model.n_params(),
        c.data.y.len(),
        c.epochs,
    ))
}

/// Run a `train_steps` case (rows in stored order; `shuffle` must be false, since the case
/// replays torch's order): the `expect` fields from `batch_sizes` to `final_params`.
pub fn run_train_case(case: &Value) -> Result<Value> {
    let c: TrainCase = parse(case, "train_steps")?;
    if c.shuffle {
        return Err(Error::invalid(
            "shuffle",
            true,
            "false: a train_steps case replays torch's stored row order (use a training \
             config to shuffle)",
        ));
    }
    let net = Network::from_params(&c.model, &c.params_init)?;
    let x = Matrix::from_rows("data.X", &c.data.x, Some(c.model.input_dim))?;
    let data = Dataset::new(x, c.data.y.clone(), c.model.classes())?;
    let opt = Optimizer::new(&c.optimizer, c.schedule.as_ref(), net.n_params())?;
    let options = TrainOptions {
        batch_size: c.batch_size,
        shuffle: false,
        drop_last: c.drop_last,
        seed: 0,
        noise_batches: 0,
    };
    let mut t = Trainer::new(net, opt, data, None, options)?;
    let eval_before = t.evaluate_train()?;
    let (mut step_loss, mut lr) = (Vec::new(), Vec::new());
    let mut epochs = Vec::with_capacity(c.epochs);
    for _ in 0..c.epochs {
        loop {
            let s = t.step()?;
            step_loss.push(s.loss);
            lr.push(s.lr);
            if let Some(e) = s.epoch_end {
                epochs.push(e);
                break;
            }
        }
    }
    Ok(json!({
        "batch_sizes": t.batch_sizes(),
        "steps_per_epoch": t.steps_per_epoch(),
        "step_loss": step_loss,
        "lr": lr,
        "epoch_mean_loss": epochs.iter().map(|e| e.train_loss).collect::<Vec<_>>(),
        "epoch_mean_loss_weighted": epochs.iter().map(|e| e.train_loss_weighted).collect::<Vec<_>>(),
        "eval_before": eval_before,
        "epoch_eval_loss": epochs.iter().map(|e| e.train.loss).collect::<Vec<_>>(),
        "epoch_correct": epochs.iter().map(|e| e.train.correct).collect::<Vec<_>>(),
        "epoch_accuracy": epochs.iter().map(|e| e.train.accuracy).collect::<Vec<_>>(),
        "final_params": t.network().to_params(),
    }))
}

/// Run a `feature_norm` case: `{mean, std_raw, std, constant_features, Z}` and `Z_apply`
/// when `X_apply` is given.
pub fn run_normalize_case(case: &Value) -> Result<Value> {
    let c: NormalizeCase = parse(case, "feature_norm")?;
    let x = Matrix::from_rows("X", &c.x, None)?;
    let s = Standardizer::fit(&x)?;
    let mut out = json!({
        "mean": s.mean,
        "std_raw": s.std_raw,
        "std": s.std,
        "constant_features": s.constant_features,
        "Z": s.apply(&x)?.to_rows(),
    });
    if let Some(xa) = &c.x_apply {
        let xa = Matrix::from_rows("X_apply", xa, Some(x.cols()))?;
        out["Z_apply"] = json!(s.apply(&xa)?.to_rows());
    }
    Ok(out)
}
