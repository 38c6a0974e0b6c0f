//! `Sweep`: the batch-size experiment owned by Rust and advanced by the classifier's worker a
//! time budget at a time; its rows (time per update and per epoch, gradient noise, final
//! accuracies, loss curves) come back as JSON.

use super::error::{to_js, to_json};
use super::trainer::PerformanceClock;
use crate::error::Error;
use crate::nn::{BatchSweep, SweepConfig};
use wasm_bindgen::prelude::*;

/// A batch-size sweep in progress.
#[wasm_bindgen]
pub struct Sweep {
    inner: BatchSweep,
}

#[wasm_bindgen]
impl Sweep {
    /// `{"base": <training config>, "batch_sizes": [1, 8, 32, 128, 400], "epochs": 20}`; a
    /// size of at least the training rows is full-batch. Throws for a bad config.
    #[wasm_bindgen(constructor)]
    pub fn new(config_json: &str) -> Result<Sweep, JsValue> {
        let cfg: SweepConfig =
            serde_json::from_str(config_json).map_err(|e| Error::parse("sweep config", e))?;
        let inner = BatchSweep::new(cfg)
            .map_err(to_js)?
            .with_clock(Box::new(|| Box::new(PerformanceClock)));
        Ok(Sweep { inner })
    }

    /// Trains for about `budget_ms` milliseconds (checked after every update); returns
    /// whether the sweep is finished.
    pub fn advance(&mut self, budget_ms: f64) -> Result<bool, JsValue> {
        super::advance_for(&mut self.inner, budget_ms)
    }

    /// Updates done over all updates of the sweep, in [0, 1].
    pub fn progress(&self) -> f64 {
        self.inner.progress()
    }

    /// The batch size being trained now, if any.
    pub fn current_batch_size(&self) -> Option<usize> {
        self.inner.current_batch_size()
    }

    pub fn is_done(&self) -> bool {
        self.inner.is_done()
    }

    pub fn n_train(&self) -> usize {
        self.inner.n_train()
    }

    /// The finished rows as JSON: `[{requested, batch_size, full_batch, steps_per_epoch,
    /// epochs, seconds_per_update, seconds_per_epoch, grad_noise, train_accuracy,
    /// test_accuracy, train_loss, test_loss, skipped}]`.
    pub fn rows(&self) -> Result<String, JsValue> {
        to_json(self.inner.rows())
    }
}
