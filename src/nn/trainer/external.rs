//! Training where another engine (the browser's WebGPU backend) runs the passes and the
//! update: the trainer keeps the batch order, the schedule, the counters and the epoch metrics,
//! so both engines see the same batches and lrs and a run can move from one to the other.

use super::{EpochMetrics, Trainer};
use crate::error::{Error, Result};
use crate::nn::backend::{Backend, Evaluation};
use crate::nn::noise::gradient_noise;
use crate::optim::FlatState;
use serde::Serialize;

/// One update planned for an outside engine.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlannedStep {
    /// The batch's index within its epoch (0-based).
    pub batch: usize,
    /// The batch is `order[start..end]` (see [`Trainer::order`]).
    pub start: usize,
    pub end: usize,
    /// The lr of this update (the schedule's value before its step).
    pub lr: f64,
    /// This is the epoch's first batch: the order was drawn anew.
    pub new_epoch: bool,
    /// This is the epoch's last batch: record its metrics with
    /// [`Trainer::finish_external_epoch`] before planning further.
    pub ends_epoch: bool,
}

impl<B: Backend> Trainer<B> {
    /// Plans the next update for an outside engine and counts it as taken: the same batch
    /// and lr [`Trainer::step`] would use, the schedule stepped, the optimizer's own state
    /// untouched. Its loss is filled in later by [`Trainer::record_external_losses`].
    pub fn plan_external_step(&mut self) -> Result<PlannedStep> {
        if self.epochs_recorded < self.epochs_done {
            return Err(Error::invalid(
                "external step",
                format!("epoch {}", self.epochs_done),
                "its metrics recorded (finish_external_epoch) before the next update",
            ));
        }
        let new_epoch = self.batch == 0;
        if new_epoch {
            self.order.iter_mut().enumerate().for_each(|(i, o)| *o = i);
            if self.options.shuffle {
                self.shuffle_rng.shuffle(&mut self.order);
            }
            self.losses.clear();
            self.seconds = Some(0.0);
        }
        let lr = self.opt.lr();
        self.opt.skip_step()?;
        let batch = self.batch;
        let (start, end) = self.bounds[batch];
        self.losses.push((f64::NAN, end - start));
        self.batch += 1;
        self.steps_done += 1;
        let ends_epoch = self.batch == self.bounds.len();
        if ends_epoch {
            self.batch = 0;
            self.epochs_done += 1;
        }
        Ok(PlannedStep {
            batch,
            start,
            end,
            lr,
            new_epoch,
            ends_epoch,
        })
    }

    /// The batch losses of planned updates of the current (or just ended) epoch, from batch
    /// `first_batch` on.
    pub fn record_external_losses(&mut self, first_batch: usize, losses: &[f64]) -> Result<()> {
        // Checked: a `first_batch` near usize::MAX (from JS) must not wrap around.
        let end = first_batch.saturating_add(losses.len());
        if end > self.losses.len() {
            return Err(Error::invalid(
                "losses",
                format!("batches {first_batch}..{end}"),
                &format!("planned batches of this epoch (0..{})", self.losses.len()),
            ));
        }
        for (slot, &l) in self.losses[first_batch..end].iter_mut().zip(losses) {
            slot.0 = l;
        }
        // The epoch's updates so far end at `steps_done`; batch k of them is update
        // steps_done − (planned − k) + 1.
        let planned = self.losses.len();
        for (k, &l) in (first_batch..end).zip(losses) {
            let update = self.steps_done + 1 + k - planned;
            self.note_loss(update, l);
        }
        Ok(())
    }

    /// Ends an epoch whose updates ran outside: `train` and `test` are the outside engine's
    /// eval-mode passes, `seconds` the wall time of the epoch's updates; the parameters must
    /// have been copied back ([`Trainer::set_state`]) for the gradient-noise estimate.
    pub fn finish_external_epoch(
        &mut self,
        train: Evaluation,
        test: Option<Evaluation>,
        seconds: Option<f64>,
    ) -> Result<EpochMetrics> {
        if self.epochs_recorded + 1 != self.epochs_done || self.batch != 0 {
            return Err(Error::invalid(
                "finish_external_epoch",
                format!(
                    "{} epochs recorded of {}",
                    self.epochs_recorded, self.epochs_done
                ),
                "an epoch whose last update was planned and not yet recorded",
            ));
        }
        if self.test.is_some() != test.is_some() {
            return Err(Error::invalid(
                "test evaluation",
                if test.is_some() { "given" } else { "missing" },
                "one exactly when the run has a test set",
            ));
        }
        self.seconds = seconds;
        let k = self.losses.len();
        let rows: usize = self.losses.iter().map(|l| l.1).sum();
        let train_loss = self.losses.iter().map(|l| l.0).sum::<f64>() / k as f64;
        let train_loss_weighted =
            self.losses.iter().map(|&(l, n)| l * n as f64).sum::<f64>() / rows as f64;
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
        let m = EpochMetrics {
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
        };
        self.record_epoch(&m);
        Ok(m)
    }

    /// Takes a run back from an outside engine: planned updates whose loss never arrived are
    /// forgotten (the epoch's mean covers the recorded ones), the optimizer continues from
    /// the engine's `state` (moments, sums) or, without one, restarts it fresh, and an epoch
    /// that ended without its metrics is evaluated here. Returns that epoch's metrics, if any.
    pub fn resume_after_external(
        &mut self,
        state: Option<&FlatState>,
    ) -> Result<Option<EpochMetrics>> {
        match state {
            Some(s) => self.opt.import_state(s)?,
            None => self.opt.reset_state(),
        }
        self.losses.retain(|l| !l.0.is_nan());
        if self.epochs_recorded < self.epochs_done {
            if self.losses.is_empty() {
                self.seconds = None;
            }
            let m = self.finish_epoch()?;
            self.record_epoch(&m);
            return Ok(Some(m));
        }
        Ok(None)
    }

    /// Sets the trainable parameters (flat layout) and the running statistics (each
    /// batch-norm layer's mean then variance, layer after layer), e.g. from the GPU.
    pub fn set_state(&mut self, params: &[f64], running: &[f64]) -> Result<()> {
        let n = self.net.n_params();
        if params.len() != n {
            return Err(Error::invalid(
                "params",
                format!("{} numbers", params.len()),
                &format!("{n} (one per parameter)"),
            ));
        }
        let want: usize = self
            .net
            .running
            .iter()
            .flatten()
            .map(|r| 2 * r.running_mean.len())
            .sum();
        if running.len() != want {
            return Err(Error::invalid(
                "running statistics",
                format!("{} numbers", running.len()),
                &format!("{want} (mean and variance of every batch-norm unit)"),
            ));
        }
        self.net.params_mut().copy_from_slice(params);
        let mut at = 0;
        for rs in self.net.running.iter_mut().flatten() {
            let h = rs.running_mean.len();
            rs.running_mean.copy_from_slice(&running[at..at + h]);
            rs.running_var.copy_from_slice(&running[at + h..at + 2 * h]);
            at += 2 * h;
        }
        Ok(())
    }

    /// The optimizer's state for an outside engine to continue from (see
    /// [`crate::optim::Optimizer::export_state`]).
    pub fn optimizer_state(&self) -> Option<FlatState> {
        self.opt.export_state()
    }

    /// The running statistics in [`Trainer::set_state`]'s layout.
    pub fn running_flat(&self) -> Vec<f64> {
        let mut out = Vec::new();
        for rs in self.net.running.iter().flatten() {
            out.extend_from_slice(&rs.running_mean);
            out.extend_from_slice(&rs.running_var);
        }
        out
    }
}
