//! The lecture's batch-size experiment: the same network, data and initialization trained for
//! the same number of epochs at several batch sizes, one row of measurements per size (time
//! per update, time per epoch, gradient noise, final train and test accuracy).
//!
//! The sweep is stepped a few updates at a time ([`BatchSweep::advance`]) so that a worker can
//! report progress and stop when asked.
//!
//! Timing for a coarse, shared clock (a browser rounds `performance.now()` to 0.1 ms and may
//! pause the worker): each epoch's updates are timed as one stretch of consecutive updates
//! (the evaluation after the epoch left out), and the slowest fifth of the epochs is left out
//! of the means ([`trimmed_timing`]).

use super::batches::{batch_bounds, has_single_row_batch};
use super::clock::{Clock, NoClock};
use super::config::{TrainConfig, MAX_EPOCHS};
use super::trainer::Trainer;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// The most batch sizes one sweep may try.
pub const MAX_SIZES: usize = 12;

/// What to sweep: a base run, the batch sizes (a size of at least the training set's rows is
/// full-batch) and the epochs each size trains for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepConfig {
    pub base: TrainConfig,
    pub batch_sizes: Vec<usize>,
    pub epochs: usize,
}

/// The measurements of one batch size.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SweepRow {
    /// The size asked for.
    pub requested: usize,
    /// The size used: `min(requested, rows)`.
    pub batch_size: usize,
    /// Whether one batch holds the whole training set.
    pub full_batch: bool,
    pub steps_per_epoch: usize,
    /// Epochs trained (the sweep's epochs, unless skipped).
    pub epochs: usize,
    /// Wall time of one update: the kept epochs' time over their updates, if measured.
    pub seconds_per_update: Option<f64>,
    /// Mean wall time of one epoch's updates over the kept epochs, if measured.
    pub seconds_per_epoch: Option<f64>,
    /// `E‖g_B − g‖²` averaged over the epochs' samples (0 for the full batch).
    pub grad_noise: Option<f64>,
    /// Eval-mode accuracy after the last epoch.
    pub train_accuracy: Option<f64>,
    pub test_accuracy: Option<f64>,
    /// Eval-mode losses after each epoch, for the chart.
    pub train_loss: Vec<f64>,
    pub test_loss: Vec<f64>,
    /// Why this size was not trained (batch norm with a batch of one row).
    pub skipped: Option<String>,
}

/// A sweep in progress.
pub struct BatchSweep {
    cfg: SweepConfig,
    n_train: usize,
    clock: Box<dyn Fn() -> Box<dyn Clock>>,
    /// The sweep's own clock, for the stretches of updates.
    now: Box<dyn Clock>,
    /// When the current stretch of updates began, and the epoch's time before it.
    stretch: Option<f64>,
    epoch_seconds: f64,
    /// `(seconds, updates)` of every finished epoch of the current size.
    epoch_times: Vec<(f64, usize)>,
    /// Index of the size being trained and its trainer.
    current: Option<(usize, Trainer)>,
    next: usize,
    rows: Vec<SweepRow>,
    updates_done: usize,
    updates_total: usize,
}

impl BatchSweep {
    /// Check the config and count the updates ahead; nothing is trained yet. Timings are not
    /// measured until [`BatchSweep::with_clock`].
    pub fn new(cfg: SweepConfig) -> Result<BatchSweep> {
        if cfg.batch_sizes.is_empty() || cfg.batch_sizes.len() > MAX_SIZES {
            return Err(Error::invalid(
                "batch_sizes",
                format!("{} sizes", cfg.batch_sizes.len()),
                &format!("1 to {MAX_SIZES} batch sizes"),
            ));
        }
        if let Some(&b) = cfg.batch_sizes.iter().find(|&&b| b == 0) {
            return Err(Error::invalid("batch_sizes", b, "sizes of at least 1 row"));
        }
        if cfg.epochs == 0 || cfg.epochs > MAX_EPOCHS {
            return Err(Error::invalid(
                "epochs",
                cfg.epochs,
                &format!("1 to {MAX_EPOCHS} epochs per batch size"),
            ));
        }
        cfg.base.validate()?;
        let (train, _) = cfg.base.data.load()?;
        let n_train = train.len();
        let updates_total = cfg
            .batch_sizes
            .iter()
            .filter(|&&b| !skip(&cfg.base, n_train, b))
            .map(|&b| batch_bounds(n_train, b, cfg.base.drop_last).len() * cfg.epochs)
            .sum();
        Ok(BatchSweep {
            cfg,
            n_train,
            clock: Box::new(|| Box::new(NoClock)),
            now: Box::new(NoClock),
            stretch: None,
            epoch_seconds: 0.0,
            epoch_times: Vec::new(),
            current: None,
            next: 0,
            rows: Vec::new(),
            updates_done: 0,
            updates_total,
        })
    }

    /// Time every run with a fresh clock from `make`.
    pub fn with_clock(mut self, make: Box<dyn Fn() -> Box<dyn Clock>>) -> Self {
        self.now = make();
        self.clock = make;
        self
    }

    /// Run at most `max_updates` updates, or until `stop()` says so (asked after every
    /// update); returns whether the sweep is finished.
    pub fn advance(&mut self, max_updates: usize, stop: &mut dyn FnMut() -> bool) -> Result<bool> {
        let mut done = 0;
        while done < max_updates {
            if self.current.is_none() && !self.start_next()? {
                return Ok(true);
            }
            let Some((i, trainer)) = self.current.as_mut() else {
                continue;
            };
            let before = self.now.now_seconds();
            if self.stretch.is_none() {
                self.stretch = before;
            }
            let record = trainer.step()?;
            done += 1;
            self.updates_done += 1;
            if let Some(m) = &record.epoch_end {
                // The stretch up to the last update, plus the last update as the trainer timed
                // it (without the evaluation that followed).
                if let (Some(a), Some(b), Some(last)) = (self.stretch, before, record.seconds) {
                    self.epoch_seconds += b - a + last;
                    self.epoch_times.push((self.epoch_seconds, m.steps));
                }
                self.stretch = None;
                self.epoch_seconds = 0.0;
            }
            if record.epoch_end.is_some() && trainer.epochs_done() >= self.cfg.epochs {
                let timing = trimmed_timing(&self.epoch_times);
                let row = finished_row(self.cfg.batch_sizes[*i], self.n_train, trainer, timing);
                self.rows.push(row);
                self.current = None;
                self.epoch_times.clear();
            }
            if stop() {
                break;
            }
        }
        // A stretch cut by the caller ends here; the epoch goes on at the next call.
        if let (Some(a), Some(b)) = (self.stretch.take(), self.now.now_seconds()) {
            self.epoch_seconds += b - a;
        }
        Ok(self.is_done())
    }

    /// Begin the next size that can be trained (recording skipped ones); false when none is left.
    fn start_next(&mut self) -> Result<bool> {
        while self.next < self.cfg.batch_sizes.len() {
            let i = self.next;
            self.next += 1;
            let b = self.cfg.batch_sizes[i];
            if skip(&self.cfg.base, self.n_train, b) {
                self.rows.push(skipped_row(b, self.n_train, &self.cfg.base));
                continue;
            }
            let mut run = self.cfg.base.clone();
            run.batch_size = b;
            run.epochs = self.cfg.epochs;
            let trainer = run.build()?.trainer.with_clock((self.clock)());
            self.current = Some((i, trainer));
            self.stretch = None;
            self.epoch_seconds = 0.0;
            self.epoch_times.clear();
            return Ok(true);
        }
        Ok(false)
    }

    /// Whether every size has its row.
    pub fn is_done(&self) -> bool {
        self.rows.len() == self.cfg.batch_sizes.len()
    }

    /// Updates done over updates in the whole sweep, in [0, 1].
    pub fn progress(&self) -> f64 {
        if self.updates_total == 0 {
            return if self.is_done() { 1.0 } else { 0.0 };
        }
        (self.updates_done as f64 / self.updates_total as f64).min(1.0)
    }

    /// The batch size being trained now, if any.
    pub fn current_batch_size(&self) -> Option<usize> {
        self.current.as_ref().map(|(i, _)| self.cfg.batch_sizes[*i])
    }

    /// The finished rows, in the order of the sizes.
    pub fn rows(&self) -> &[SweepRow] {
        &self.rows
    }

    /// Rows in the training set.
    pub fn n_train(&self) -> usize {
        self.n_train
    }

    pub fn config(&self) -> &SweepConfig {
        &self.cfg
    }
}

fn skip(base: &TrainConfig, n_train: usize, b: usize) -> bool {
    base.batchnorm && has_single_row_batch(n_train, b, base.drop_last)
}

fn skipped_row(requested: usize, n_train: usize, base: &TrainConfig) -> SweepRow {
    let b = requested.min(n_train);
    SweepRow {
        requested,
        batch_size: b,
        full_batch: b == n_train,
        steps_per_epoch: batch_bounds(n_train, b, base.drop_last).len(),
        epochs: 0,
        seconds_per_update: None,
        seconds_per_epoch: None,
        grad_noise: None,
        train_accuracy: None,
        test_accuracy: None,
        train_loss: Vec::new(),
        test_loss: Vec::new(),
        skipped: Some(format!(
            "batch norm cannot train with a batch of one row (batch size {b}, {n_train} rows)"
        )),
    }
}

/// Seconds per update and per epoch from `(seconds, updates)` per epoch, leaving out the
/// slowest fifth of the epochs (rounded down; none of fewer than five), where a busy machine
/// paused the training: `(Σ seconds / Σ updates, Σ seconds / epochs)` over the rest.
pub fn trimmed_timing(epochs: &[(f64, usize)]) -> Option<(f64, f64)> {
    if epochs.is_empty() {
        return None;
    }
    let sorted = crate::order::sorted_by(epochs, |e| e.0);
    let keep = &sorted[..sorted.len() - sorted.len() / 5];
    let seconds: f64 = keep.iter().map(|e| e.0).sum();
    let updates: usize = keep.iter().map(|e| e.1).sum();
    Some((seconds / updates.max(1) as f64, seconds / keep.len() as f64))
}

fn finished_row(
    requested: usize,
    n_train: usize,
    t: &Trainer,
    timing: Option<(f64, f64)>,
) -> SweepRow {
    let h = t.history();
    let epochs = h.len();
    let mean = |v: Vec<Option<f64>>| -> Option<f64> {
        let v: Option<Vec<f64>> = v.into_iter().collect();
        v.filter(|v| !v.is_empty())
            .map(|v| v.iter().sum::<f64>() / v.len() as f64)
    };
    let last = h.last();
    let b = requested.min(n_train);
    SweepRow {
        requested,
        batch_size: b,
        full_batch: b == n_train,
        steps_per_epoch: t.steps_per_epoch(),
        epochs,
        seconds_per_update: timing.map(|t| t.0),
        seconds_per_epoch: timing.map(|t| t.1),
        grad_noise: mean(h.iter().map(|e| e.grad_noise).collect()),
        train_accuracy: last.map(|e| e.train.accuracy),
        test_accuracy: last.and_then(|e| e.test.map(|t| t.accuracy)),
        train_loss: h.iter().map(|e| e.train.loss).collect(),
        test_loss: h.iter().filter_map(|e| e.test.map(|t| t.loss)).collect(),
        skipped: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(batchnorm: bool) -> TrainConfig {
        TrainConfig::from_json(&format!(
            r#"{{"data": {{"name": "gauss", "n": 40, "seed": 3}}, "hidden": [4],
                "batchnorm": {batchnorm}, "optimizer": {{"name": "adam", "lr": 0.01}}}}"#
        ))
        .unwrap()
    }

    #[test]
    fn every_size_gets_a_row_and_the_progress_reaches_one() {
        let cfg = SweepConfig {
            base: base(false),
            batch_sizes: vec![1, 8, 20],
            epochs: 3,
        };
        let mut s = BatchSweep::new(cfg).unwrap();
        assert_eq!(s.n_train(), 20);
        let mut calls = 0;
        while !s.advance(7, &mut || false).unwrap() {
            calls += 1;
            assert!(s.progress() < 1.0);
        }
        assert!(calls > 3);
        assert_eq!(s.progress(), 1.0);
        let rows = s.rows();
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows.iter().map(|r| r.steps_per_epoch).collect::<Vec<_>>(),
            vec![20, 3, 1]
        );
        assert!(rows
            .iter()
            .all(|r| r.epochs == 3 && r.train_loss.len() == 3));
        assert!(rows[2].full_batch);
        assert_eq!(rows[2].grad_noise, Some(0.0));
        assert!(rows[0].grad_noise.unwrap() > rows[1].grad_noise.unwrap());
        assert!(rows[0].test_accuracy.is_some());
        assert_eq!(rows[0].seconds_per_update, None, "no clock, no timings");
    }

    #[test]
    fn batch_norm_skips_sizes_that_leave_a_single_row() {
        let cfg = SweepConfig {
            base: base(true),
            batch_sizes: vec![1, 19, 4],
            epochs: 1,
        };
        let mut s = BatchSweep::new(cfg).unwrap();
        while !s.advance(100, &mut || false).unwrap() {}
        let rows = s.rows();
        assert!(rows[0].skipped.is_some());
        assert!(rows[1].skipped.is_some(), "20 rows in 19s leave one row");
        assert!(rows[2].skipped.is_none());
        assert_eq!(rows[2].epochs, 1);
    }

    #[test]
    fn the_slowest_fifth_of_the_epochs_is_left_out() {
        let e = [(1.0, 10), (1.0, 10), (9.0, 10), (1.0, 10), (1.0, 10)];
        assert_eq!(trimmed_timing(&e), Some((0.1, 1.0)));
        assert_eq!(trimmed_timing(&e[..2]), Some((0.1, 1.0)));
        assert_eq!(trimmed_timing(&[]), None);
    }

    /// A clock that moves 1 ms every time it is read.
    struct Ticks(std::cell::Cell<f64>);
    impl Clock for Ticks {
        fn now_seconds(&self) -> Option<f64> {
            let t = self.0.get() + 1e-3;
            self.0.set(t);
            Some(t)
        }
    }

    #[test]
    fn a_clock_times_every_size() {
        let cfg = SweepConfig {
            base: base(false),
            batch_sizes: vec![4, 20],
            epochs: 2,
        };
        let mut s = BatchSweep::new(cfg)
            .unwrap()
            .with_clock(Box::new(|| Box::new(Ticks(Default::default()))));
        while !s.advance(3, &mut || true).unwrap() {}
        for r in s.rows() {
            assert!(r.seconds_per_update.unwrap() > 0.0);
            let per_epoch = r.seconds_per_epoch.unwrap();
            let expected = r.seconds_per_update.unwrap() * r.steps_per_epoch as f64;
            assert!((per_epoch - expected).abs() < 1e-12);
        }
    }

    #[test]
    fn the_same_sizes_give_the_same_rows() {
        let cfg = SweepConfig {
            base: base(false),
            batch_sizes: vec![5],
            epochs: 2,
        };
        let run = || {
            let mut s = BatchSweep::new(cfg.clone()).unwrap();
            while !s.advance(1, &mut || true).unwrap() {}
            s.rows().to_vec()
        };
        assert_eq!(run(), run());
        assert!(BatchSweep::new(SweepConfig {
            batch_sizes: vec![],
            ..cfg.clone()
        })
        .is_err());
        assert!(BatchSweep::new(SweepConfig { epochs: 0, ..cfg }).is_err());
    }
}
