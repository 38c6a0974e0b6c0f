//! Mini-batch training as torch's loop does it: per batch a train-mode forward (running
//! statistics updated), backward, `opt.step()` and `sched.step()`; after each epoch an
//! eval-mode pass over the training (and test) data, timings and the gradient-noise level.
//!
//! The trainer is stepped one update at a time, so the app can run a few updates per
//! animation frame; [`Trainer::run_epoch`] runs a whole epoch.

use super::backend::{Backend, CpuBackend, Evaluation};
use super::batches::batch_bounds;
use super::clock::{Clock, NoClock};
use super::data::Dataset;
use super::matrix::Matrix;
use super::noise::gradient_noise;
use super::params::Network;
use crate::error::{Error, Result};
use crate::optim::Optimizer;
use crate::rng::Rng;
use serde::{Deserialize, Serialize};

mod external;
pub use external::PlannedStep;

/// How the data is fed to the optimizer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainOptions {
    /// Rows per update (≥ 1; more than the data means one full batch).
    pub batch_size: usize,
    /// Draw a fresh permutation of the rows every epoch (from `seed`); otherwise stored order.
    pub shuffle: bool,
    /// Drop the last partial batch of every epoch (torch's `drop_last`).
    pub drop_last: bool,
    /// Seed of the shuffling and of the gradient-noise sampling (separate streams).
    pub seed: u64,
    /// How many random batches estimate the gradient noise after each epoch (0: not measured).
    pub noise_batches: usize,
}

/// One update.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StepRecord {
    /// The epoch this update belongs to (1-based).
    pub epoch: usize,
    /// Updates taken so far, this one included.
    pub step: usize,
    pub batch_size: usize,
    /// The batch's train-mode loss (before the step).
    pub loss: f64,
    /// The lr this update used.
    pub lr: f64,
    /// Wall time of the update (batch gathering, passes and optimizer step), if measured.
    pub seconds: Option<f64>,
    /// The epoch's metrics when this update ended an epoch.
    pub epoch_end: Option<EpochMetrics>,
}

/// What one epoch did and where it left the model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EpochMetrics {
    /// 1-based.
    pub epoch: usize,
    /// Updates in the epoch.
    pub steps: usize,
    /// Unweighted mean of the epoch's batch losses (each batch counts once).
    pub train_loss: f64,
    /// `Σ loss_b · n_b / Σ n_b`.
    pub train_loss_weighted: f64,
    /// Eval-mode pass over the training data after the epoch.
    pub train: Evaluation,
    /// Eval-mode pass over the test data, when there is one.
    pub test: Option<Evaluation>,
    /// The lr of the next update.
    pub lr: f64,
    /// Mean wall time of one update, if measured.
    pub seconds_per_update: Option<f64>,
    /// Wall time of the epoch's updates (evaluation not included), if measured.
    pub seconds_per_epoch: Option<f64>,
    /// `E‖g_B − g‖²` after the epoch (see [`super::noise`]), when sampled.
    pub grad_noise: Option<f64>,
}

/// A network, its optimizer, its data and where the training stands.
pub struct Trainer<B: Backend = CpuBackend> {
    net: Network,
    opt: Optimizer,
    backend: B,
    train: Dataset,
    test: Option<Dataset>,
    options: TrainOptions,
    bounds: Vec<(usize, usize)>,
    order: Vec<usize>,
    shuffle_rng: Rng,
    noise_rng: Rng,
    clock: Box<dyn Clock>,
    /// Batches done in the current epoch.
    batch: usize,
    epochs_done: usize,
    steps_done: usize,
    losses: Vec<(f64, usize)>,
    seconds: Option<f64>,
    grads: Vec<f64>,
    xb: Matrix,
    yb: Vec<usize>,
    history: Vec<EpochMetrics>,
    /// With `Some(n)`, only the last epochs of the history are kept (between `n` and `2n` of
    /// them: see [`Trainer::keep_history`]).
    history_limit: Option<usize>,
    /// Epochs whose metrics were recorded (the history's length, had it kept them all).
    epochs_recorded: usize,
    /// The first update whose loss was not finite (1-based), if any.
    diverged_at: Option<usize>,
}

impl Trainer<CpuBackend> {
    /// A trainer on the CPU backend without a clock (see [`Trainer::with_clock`]).
    pub fn new(
        net: Network,
        opt: Optimizer,
        train: Dataset,
        test: Option<Dataset>,
        options: TrainOptions,
    ) -> Result<Self> {
        Trainer::with_backend(CpuBackend::new(), net, opt, train, test, options)
    }
}

impl<B: Backend> Trainer<B> {
    /// Check the data against the network and the batches against batch norm.
    pub fn with_backend(
        backend: B,
        net: Network,
        opt: Optimizer,
        train: Dataset,
        test: Option<Dataset>,
        options: TrainOptions,
    ) -> Result<Self> {
        if options.batch_size == 0 {
            return Err(Error::invalid("batch_size", 0, "at least 1 row per update"));
        }
        let spec = net.spec();
        for (name, d) in [("train", Some(&train)), ("test", test.as_ref())] {
            let Some(d) = d else { continue };
            if d.is_empty() {
                return Err(Error::invalid(name, "0 rows", "at least 1 row"));
            }
            if d.x.cols() != spec.input_dim {
                return Err(Error::invalid(
                    &format!("{name}.X"),
                    format!("{} columns", d.x.cols()),
                    &format!("input_dim = {}", spec.input_dim),
                ));
            }
            super::loss::check_labels(&d.y, d.x.rows(), spec.classes())?;
        }
        let bounds = batch_bounds(train.len(), options.batch_size, options.drop_last);
        if bounds.is_empty() {
            return Err(Error::invalid(
                "batch_size",
                options.batch_size,
                &format!(
                    "at most {} rows with drop_last (no full batch is left otherwise)",
                    train.len()
                ),
            ));
        }
        if spec.has_batchnorm() && bounds.iter().any(|&(s, e)| e - s == 1) {
            return Err(Error::invalid(
                "batch_size",
                options.batch_size,
                &format!(
                    "a size that leaves no batch of a single row ({} training rows): batch \
                     norm normalizes with the batch mean and variance, which one row does not \
                     have (torch raises \"Expected more than 1 value per channel when \
                     training\"); use a larger batch, drop_last, or turn batch norm off",
                    train.len()
                ),
            ));
        }
        let n_params = net.n_params();
        Ok(Trainer {
            order: (0..train.len()).collect(),
            shuffle_rng: Rng::stream(options.seed, 3),
            noise_rng: Rng::stream(options.seed, 4),
            clock: Box::new(NoClock),
            batch: 0,
            epochs_done: 0,
            steps_done: 0,
            losses: Vec::with_capacity(bounds.len()),
            seconds: Some(0.0),
            grads: vec![0.0; n_params],
            xb: Matrix::default(),
            yb: Vec::new(),
            history: Vec::new(),
            history_limit: None,
            epochs_recorded: 0,
            diverged_at: None,
            bounds,
            net,
            opt,
            backend,
            train,
            test,
            options,
        })
    }

    /// Measure update and epoch times with `clock`.
    pub fn with_clock(mut self, clock: Box<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// One update on the next batch; the last batch of an epoch also evaluates the epoch.
    pub fn step(&mut self) -> Result<StepRecord> {
        if self.batch == 0 {
            self.order.iter_mut().enumerate().for_each(|(i, o)| *o = i);
            if self.options.shuffle {
                self.shuffle_rng.shuffle(&mut self.order);
            }
            self.losses.clear();
            self.seconds = Some(0.0);
        }
        let t0 = self.clock.now_seconds();
        let (s, e) = self.bounds[self.batch];
        let rows = &self.order[s..e];
        self.xb.gather(&self.train.x, rows);
        self.yb.clear();
        self.yb.extend(rows.iter().map(|&i| self.train.y[i]));
        let lr = self.opt.lr();
        let loss = self.backend.train_step(
            &mut self.net,
            &mut self.opt,
            &self.xb,
            &self.yb,
            &mut self.grads,
        )?;
        let seconds = match (t0, self.clock.now_seconds()) {
            (Some(a), Some(b)) => Some(b - a),
            _ => None,
        };
        self.seconds = self.seconds.zip(seconds).map(|(a, b)| a + b);
        self.losses.push((loss, e - s));
        self.batch += 1;
        self.steps_done += 1;
        self.note_loss(self.steps_done, loss);
        let epoch = self.epochs_done + 1;
        let epoch_end = if self.batch == self.bounds.len() {
            self.batch = 0;
            self.epochs_done += 1;
            let m = self.finish_epoch()?;
            self.record_epoch(&m);
            Some(m)
        } else {
            None
        };
        Ok(StepRecord {
            epoch,
            step: self.steps_done,
            batch_size: e - s,
            loss,
            lr,
            seconds,
            epoch_end,
        })
    }

    /// The divergence rule of every caller (the page, the CLI, the GPU path): the first update
    /// whose loss is not finite. The network's numbers are then meaningless; callers take no
    /// more steps.
    pub(crate) fn note_loss(&mut self, update: usize, loss: f64) {
        if !loss.is_finite() && self.diverged_at.is_none() {
            self.diverged_at = Some(update);
        }
    }

    /// The first update (1-based) whose loss was not finite: training has diverged.
    pub fn diverged_at(&self) -> Option<usize> {
        self.diverged_at
    }

    /// Run updates up to the end of the current epoch.
    pub fn run_epoch(&mut self) -> Result<EpochMetrics> {
        loop {
            if let Some(m) = self.step()?.epoch_end {
                return Ok(m);
            }
        }
    }

    fn finish_epoch(&mut self) -> Result<EpochMetrics> {
        let k = self.losses.len();
        let rows: usize = self.losses.iter().map(|l| l.1).sum();
        let train_loss = self.losses.iter().map(|l| l.0).sum::<f64>() / k as f64;
        let train_loss_weighted =
            self.losses.iter().map(|&(l, n)| l * n as f64).sum::<f64>() / rows as f64;
        let train = self.evaluate_train()?;
        let test = self.evaluate_test()?;
        let grad_noise = if self.options.noise_batches > 0 {
            Some(gradient_noise(
                &mut self.backend,
                &mut self.net,
                &self.train,
                self.options.batch_size,
                self.options.noise_batches,
                &mut self.noise_rng,
            )?)
        } else {
            None
        };
        Ok(EpochMetrics {
            epoch: self.epochs_done,
            steps: k,
            train_loss,
            train_loss_weighted,
            train,
            test,
            lr: self.opt.lr(),
            seconds_per_update: self.seconds.map(|s| s / k as f64),
            seconds_per_epoch: self.seconds,
            grad_noise,
        })
    }

    /// Eval-mode loss and accuracy on the training data.
    pub fn evaluate_train(&mut self) -> Result<Evaluation> {
        self.backend
            .evaluate(&self.net, &self.train.x, &self.train.y)
    }

    /// Eval-mode loss and accuracy on the test data, if any.
    pub fn evaluate_test(&mut self) -> Result<Option<Evaluation>> {
        match &self.test {
            Some(t) => self.backend.evaluate(&self.net, &t.x, &t.y).map(Some),
            None => Ok(None),
        }
    }

    /// Eval-mode class probabilities for any rows (e.g. a grid for the decision boundary).
    pub fn predict_proba(&mut self, x: &Matrix) -> Result<Matrix> {
        self.backend.predict_proba(&self.net, x)
    }

    /// The size of each batch of an epoch.
    pub fn batch_sizes(&self) -> Vec<usize> {
        self.bounds.iter().map(|&(s, e)| e - s).collect()
    }

    pub fn steps_per_epoch(&self) -> usize {
        self.bounds.len()
    }

    /// Completed epochs.
    pub fn epochs_done(&self) -> usize {
        self.epochs_done
    }

    /// Updates taken.
    pub fn steps_done(&self) -> usize {
        self.steps_done
    }

    /// The metrics of every completed epoch.
    pub fn history(&self) -> &[EpochMetrics] {
        &self.history
    }

    /// Keeps only the last epochs of the history from now on: at least `epochs` (at least 1)
    /// and fewer than twice as many (the oldest half is dropped when `2·epochs` are reached, so
    /// the memory stays flat however long a run trains). The browser's trainer keeps a few (the
    /// page draws its charts from the epochs it was sent); by default every epoch is kept.
    pub fn keep_history(&mut self, epochs: usize) {
        self.history_limit = Some(epochs.max(1));
        self.trim_history();
    }

    /// Records an epoch's metrics in the history.
    pub(super) fn record_epoch(&mut self, m: &EpochMetrics) {
        self.history.push(m.clone());
        self.epochs_recorded += 1;
        self.trim_history();
    }

    fn trim_history(&mut self) {
        if let Some(n) = self.history_limit {
            if self.history.len() >= 2 * n {
                self.history.drain(..self.history.len() - n);
            }
        }
    }

    /// The row order of the current epoch (a permutation of the training rows).
    pub fn order(&self) -> &[usize] {
        &self.order
    }

    pub fn network(&self) -> &Network {
        &self.net
    }

    pub fn optimizer(&self) -> &Optimizer {
        &self.opt
    }

    pub fn train_data(&self) -> &Dataset {
        &self.train
    }

    pub fn test_data(&self) -> Option<&Dataset> {
        self.test.as_ref()
    }

    pub fn options(&self) -> &TrainOptions {
        &self.options
    }

    pub fn backend(&self) -> &B {
        &self.backend
    }
}
