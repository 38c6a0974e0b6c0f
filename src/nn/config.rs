//! The one config of a classifier run (serde, unknown keys refused): data set, network,
//! loss, normalization, optimizer, schedule and batching; [`train_config`] runs it into
//! per-epoch metrics. The CLI, the scenes, the wasm `Trainer` and the tests use this type.
//! The classifier page's URL hash has its own compact format, written and read in JS
//! (`www/classifier/state.js`, e.g. `data=spiral&opt=adam,lr=0.01`); the page builds this
//! config from it (`trainConfig()`) and the core checks it.
//!
//! ```json
//! { "data": {"name": "spiral", "n": 500, "classes": 2, "noise": 0.1, "seed": 1,
//!            "train_fraction": 0.8},
//!   "hidden": [8, 8], "activation": "tanh", "loss": "cross_entropy", "batchnorm": false,
//!   "normalize_features": true, "optimizer": {"name": "adam", "lr": 0.01},
//!   "schedule": null, "batch_size": 16, "epochs": 50, "shuffle": true, "seed": 0 }
//! ```

use super::backend::Evaluation;
use super::clock::{default_clock, Clock};
use super::data::{self, digits, playground, Dataset, DatasetName};
use super::init::init_network;
use super::matrix::Matrix;
use super::model::{Activation, BnConfig, LossKind, ModelSpec};
use super::standardize::Standardizer;
use super::trainer::{EpochMetrics, TrainOptions, Trainer};
use crate::budget::Cost;
use crate::error::{Error, Result};
use crate::optim::{Optimizer, OptimizerConfig, ScheduleConfig};
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// The most epochs one run may take.
pub const MAX_EPOCHS: usize = 100_000;
/// The most hidden layers, and the widest one.
pub const MAX_HIDDEN_LAYERS: usize = 8;
pub const MAX_WIDTH: usize = 1024;

/// Which data and how it is split.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataConfig {
    /// spiral, xor, circle, gauss or digits.
    pub name: DatasetName,
    /// Points to generate (2-D sets; digits always has 1797).
    #[serde(default = "default_n")]
    pub n: usize,
    /// 2 or 3 (2-D sets; digits always has 10).
    #[serde(default = "default_classes")]
    pub classes: usize,
    /// Noise level in [0, 1] (2-D sets; the Playground's slider goes to 0.5).
    #[serde(default)]
    pub noise: f64,
    /// Seed of the points and of the split.
    #[serde(default)]
    pub seed: u64,
    /// Fraction of the rows to train on, in (0, 1]; the rest is the test set. Default 0.5
    /// for the 2-D sets (the Playground's) and digits' fixed split (first 1437 rows train).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub train_fraction: Option<f64>,
}

fn default_n() -> usize {
    500
}

fn default_classes() -> usize {
    2
}

impl DataConfig {
    /// Generate (or load) the data and split it: (train, test).
    ///
    /// Digits' pixels are divided by 16, so they lie in [0, 1].
    pub fn load(&self) -> Result<(Dataset, Option<Dataset>)> {
        let (n, k, noise, seed) = (self.n, self.classes, self.noise, self.seed);
        let all = match self.name {
            DatasetName::Digits => {
                let scale = |mut d: Dataset| {
                    d.x.data_mut().iter_mut().for_each(|v| *v /= 16.0);
                    d
                };
                if self.train_fraction.is_none() {
                    let (train, test) = digits::digits_split()?;
                    return Ok((scale(train), Some(scale(test))));
                }
                scale(digits::digits()?)
            }
            DatasetName::Spiral => playground::spiral(n, k, noise, seed)?,
            DatasetName::Xor => playground::xor(n, k, noise, seed)?,
            DatasetName::Circle => playground::circle(n, k, noise, seed)?,
            DatasetName::Gauss => playground::gauss(n, k, noise, seed)?,
        };
        data::train_test_split(&all, self.train_fraction.unwrap_or(0.5), seed)
    }
}

/// A classifier run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainConfig {
    pub data: DataConfig,
    /// Widths of the hidden layers (default [8, 8]; [] is softmax regression).
    #[serde(default = "default_hidden")]
    pub hidden: Vec<usize>,
    /// Activation of every hidden layer (default tanh).
    #[serde(default = "default_activation")]
    pub activation: Activation,
    /// cross_entropy (default) or mse.
    #[serde(default = "default_loss")]
    pub loss: LossKind,
    /// BatchNorm1d after every hidden dense layer, before its activation.
    #[serde(default)]
    pub batchnorm: bool,
    /// Batch-norm eps and momentum (torch's defaults).
    #[serde(default)]
    pub bn: BnConfig,
    /// Standardize the features with the training set's mean and population std.
    #[serde(default = "yes")]
    pub normalize_features: bool,
    /// Default SGD with lr 0.01.
    #[serde(default)]
    pub optimizer: OptimizerConfig,
    /// Stepped once per update.
    #[serde(default)]
    pub schedule: Option<ScheduleConfig>,
    /// Rows per update (default 10; more than the training set means full batch).
    #[serde(default = "default_batch_size")]
    pub batch_size: usize,
    #[serde(default = "default_epochs")]
    pub epochs: usize,
    /// A fresh order every epoch (default true).
    #[serde(default = "yes")]
    pub shuffle: bool,
    #[serde(default)]
    pub drop_last: bool,
    /// Seed of the initialization, the shuffling and the noise sampling. The initialization
    /// only depends on it and on the network's shape, so runs that differ in the loss (or the
    /// optimizer) start from the same weights.
    #[serde(default)]
    pub seed: u64,
    /// Random batches that estimate the gradient noise after each epoch (default 4; 0: off).
    #[serde(default = "default_noise_batches")]
    pub noise_batches: usize,
}

fn default_hidden() -> Vec<usize> {
    vec![8, 8]
}
fn default_activation() -> Activation {
    Activation::Tanh
}
fn default_loss() -> LossKind {
    LossKind::CrossEntropy
}
fn yes() -> bool {
    true
}
fn default_batch_size() -> usize {
    10
}
fn default_epochs() -> usize {
    50
}
fn default_noise_batches() -> usize {
    4
}

impl TrainConfig {
    /// Read a config from JSON and check it.
    pub fn from_json(s: &str) -> Result<TrainConfig> {
        let cfg: TrainConfig = serde_json::from_str(s).map_err(|e| Error::Config(e.to_string()))?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// Check what serde cannot (data settings are checked when the data is made).
    pub fn validate(&self) -> Result<()> {
        if self.hidden.len() > MAX_HIDDEN_LAYERS {
            return Err(Error::invalid(
                "hidden",
                format!("{} layers", self.hidden.len()),
                &format!("at most {MAX_HIDDEN_LAYERS} hidden layers"),
            ));
        }
        if let Some(i) = self.hidden.iter().position(|&w| w == 0 || w > MAX_WIDTH) {
            return Err(Error::invalid(
                &format!("hidden[{i}]"),
                self.hidden[i],
                &format!("a width in 1..={MAX_WIDTH}"),
            ));
        }
        if self.batch_size == 0 {
            return Err(Error::invalid("batch_size", 0, "at least 1 row per update"));
        }
        if self.epochs > MAX_EPOCHS {
            return Err(Error::invalid(
                "epochs",
                self.epochs,
                &format!("at most {MAX_EPOCHS}"),
            ));
        }
        if self.noise_batches > 1000 {
            return Err(Error::invalid(
                "noise_batches",
                self.noise_batches,
                "at most 1000",
            ));
        }
        Ok(())
    }

    /// The network's parameters and the training rows, known before any data is made: what
    /// the cost model ([`crate::budget`]) counts.
    pub fn size(&self) -> (usize, usize) {
        let (input, classes, rows) = match self.data.name {
            DatasetName::Digits => {
                let rows = self
                    .data
                    .train_fraction
                    .map_or(digits::DIGITS_TRAIN_ROWS, |f| {
                        split_rows(digits::DIGITS_ROWS, f)
                    });
                (digits::DIGITS_PIXELS, 10, rows)
            }
            _ => {
                let f = self.data.train_fraction.unwrap_or(0.5);
                (2, self.data.classes, split_rows(self.data.n, f))
            }
        };
        let spec = ModelSpec::mlp(
            input,
            &self.hidden,
            self.activation,
            self.batchnorm,
            classes,
            self.loss,
            self.bn,
        );
        (spec.n_params(), rows)
    }

    /// The work of the whole run: three multiply-adds per parameter, row and epoch.
    pub fn cost(&self) -> Cost {
        let (params, rows) = self.size();
        Cost::training(params, rows, self.epochs)
    }

    /// What opening this network on a page costs before anyone presses a button: one epoch
    /// (three multiply-adds per parameter and row) and, for a 2-D set, its first decision
    /// boundary of up to `boundary_side`² pixels (one per parameter and pixel, the side cut by
    /// [`super::boundary::side_for`]). What a link may ask for ([`crate::budget::Limits::LINK`]).
    pub fn first_look_cost(&self, boundary_side: usize) -> Cost {
        let (params, rows) = self.size();
        let epoch = 3.0 * params as f64 * rows as f64;
        let (picture, words) = match super::boundary::plane_of(self.data.name) {
            Some(_) => {
                let side = super::boundary::side_for(params, boundary_side);
                (
                    params as f64 * (side * side) as f64,
                    format!(" + {params} parameters × {side}² pixels"),
                )
            }
            None => (0.0, String::new()),
        };
        Cost {
            what: "classifier",
            unit: crate::budget::Unit::MultiplyAdds,
            amount: epoch + picture,
            breakdown: format!("3 × {params} parameters × {rows} rows{words}"),
        }
    }

    /// Make the data, the standardizer, the network and the optimizer: a ready [`Session`].
    pub fn build(&self) -> Result<Session> {
        self.validate()?;
        let (mut train, mut test) = self.data.load()?;
        let standardizer = if self.normalize_features {
            let s = Standardizer::fit(&train.x)?;
            train.x = s.apply(&train.x)?;
            if let Some(t) = &mut test {
                t.x = s.apply(&t.x)?;
            }
            Some(s)
        } else {
            None
        };
        let spec = ModelSpec::mlp(
            train.x.cols(),
            &self.hidden,
            self.activation,
            self.batchnorm,
            train.classes,
            self.loss,
            self.bn,
        );
        let net = init_network(&spec, self.seed)?;
        let opt = Optimizer::new(&self.optimizer, self.schedule.as_ref(), net.n_params())?;
        let options = TrainOptions {
            batch_size: self.batch_size,
            shuffle: self.shuffle,
            drop_last: self.drop_last,
            seed: self.seed,
            noise_batches: self.noise_batches,
        };
        Ok(Session {
            trainer: Trainer::new(net, opt, train, test, options)?,
            standardizer,
        })
    }
}

/// The training rows of `n` split at fraction `f`, as `data::train_test_split` takes them.
fn split_rows(n: usize, f: f64) -> usize {
    ((f * n as f64).round() as usize).clamp(1, n.max(1))
}

/// A built run: the trainer (on standardized data) and the standardizer that maps raw
/// features (e.g. a grid over the plane) into the network's input.
pub struct Session {
    pub trainer: Trainer,
    pub standardizer: Option<Standardizer>,
}

impl Session {
    /// Eval-mode class probabilities for raw (unstandardized) rows.
    pub fn predict_proba_raw(&mut self, x: &Matrix) -> Result<Matrix> {
        match &self.standardizer {
            Some(s) => {
                let z = s.apply(x)?;
                self.trainer.predict_proba(&z)
            }
            None => self.trainer.predict_proba(x),
        }
    }
}

/// Where the model stands before training.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InitialMetrics {
    pub train: Evaluation,
    pub test: Option<Evaluation>,
}

/// The outcome of [`train_config`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrainReport {
    pub n_train: usize,
    pub n_test: usize,
    pub features: usize,
    pub classes: usize,
    pub n_params: usize,
    pub steps_per_epoch: usize,
    /// Columns that were constant in the training data (standardization keeps them at 0).
    pub constant_features: Vec<usize>,
    pub initial: InitialMetrics,
    pub epochs: Vec<EpochMetrics>,
    /// The loss and lr of every update.
    pub step_loss: Vec<f64>,
    pub step_lr: Vec<f64>,
    /// The update (1-based) whose loss was not finite: training stopped there, as the page
    /// stops (`epochs` then holds only the epochs that ended before it).
    pub diverged_at: Option<usize>,
}

impl TrainReport {
    /// "training stopped: the loss was not finite at update N (epoch E)" for a diverged run.
    pub fn divergence_message(&self) -> Option<String> {
        self.diverged_at.map(|u| {
            let epoch = (u - 1) / self.steps_per_epoch.max(1) + 1;
            format!(
                "training stopped: the loss was not finite at update {u} (epoch {epoch}); \
                 a smaller learning rate may keep it finite"
            )
        })
    }
}

impl TrainReport {
    /// One CSV row per epoch (epoch 0: before training; empty cells: not measured).
    pub fn to_csv(&self) -> String {
        let mut s = String::from(
            "epoch,steps,train_loss,train_loss_weighted,train_eval_loss,train_correct,\
             train_accuracy,test_loss,test_correct,test_accuracy,lr,seconds_per_update,\
             seconds_per_epoch,grad_noise\n",
        );
        let opt = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
        let test = |t: Option<Evaluation>| match t {
            Some(t) => format!("{},{},{}", t.loss, t.correct, t.accuracy),
            None => ",,".into(),
        };
        let i = &self.initial;
        let _ = writeln!(
            s,
            "0,0,,,{},{},{},{},,,,",
            i.train.loss,
            i.train.correct,
            i.train.accuracy,
            test(i.test)
        );
        for e in &self.epochs {
            let _ = writeln!(
                s,
                "{},{},{},{},{},{},{},{},{},{},{},{}",
                e.epoch,
                e.steps,
                e.train_loss,
                e.train_loss_weighted,
                e.train.loss,
                e.train.correct,
                e.train.accuracy,
                test(e.test),
                e.lr,
                opt(e.seconds_per_update),
                opt(e.seconds_per_epoch),
                opt(e.grad_noise)
            );
        }
        s
    }
}

/// Build `cfg` and train it for `cfg.epochs` epochs, timed with the target's clock.
pub fn train_config(cfg: &TrainConfig) -> Result<TrainReport> {
    train_config_with_clock(cfg, default_clock())
}

/// [`train_config`] with a given clock (the web layer passes `performance.now()`).
pub fn train_config_with_clock(cfg: &TrainConfig, clock: Box<dyn Clock>) -> Result<TrainReport> {
    let Session {
        trainer,
        standardizer,
    } = cfg.build()?;
    let mut t = trainer.with_clock(clock);
    let initial = InitialMetrics {
        train: t.evaluate_train()?,
        test: t.evaluate_test()?,
    };
    let steps = t.steps_per_epoch() * cfg.epochs;
    let (mut step_loss, mut step_lr) = (Vec::with_capacity(steps), Vec::with_capacity(steps));
    let mut epochs = Vec::with_capacity(cfg.epochs);
    while epochs.len() < cfg.epochs && t.diverged_at().is_none() {
        let s = t.step()?;
        step_loss.push(s.loss);
        step_lr.push(s.lr);
        if let Some(m) = s.epoch_end {
            epochs.push(m);
        }
    }
    let net = t.network();
    Ok(TrainReport {
        n_train: t.train_data().len(),
        n_test: t.test_data().map_or(0, Dataset::len),
        features: net.spec().input_dim,
        classes: net.spec().classes(),
        n_params: net.n_params(),
        steps_per_epoch: t.steps_per_epoch(),
        constant_features: standardizer.map_or(Vec::new(), |s| s.constant_features),
        initial,
        epochs,
        step_loss,
        step_lr,
        diverged_at: t.diverged_at(),
    })
}
