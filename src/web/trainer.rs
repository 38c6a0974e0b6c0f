//! `Trainer`: one classifier run owned by Rust (config, data, network, optimizer), stepped by
//! the classifier's worker within a time budget. Pictures (the decision boundary, the digit
//! sheet) are RGBA buffers read through views of wasm memory; metrics come back as JSON.

use super::error::{to_js, to_json};
use crate::error::Error;
use crate::nn::boundary::{self, Shade};
use crate::nn::clock::recent_timing;
use crate::nn::confusion::{confusion_matrix, predicted_classes};
use crate::nn::digit_sprites::digit_sheet;
use crate::nn::{Clock, Dataset, EpochMetrics, Session, TrainConfig};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The clock of the page (or worker): `performance.now()` in seconds.
#[derive(Clone, Copy, Debug, Default)]
pub struct PerformanceClock;

impl Clock for PerformanceClock {
    fn now_seconds(&self) -> Option<f64> {
        Some(super::now_ms() / 1e3)
    }
}

/// What `run` did.
#[derive(Serialize)]
struct RunReport<'a> {
    /// Updates taken by this call.
    steps: usize,
    /// Updates and epochs done so far.
    steps_done: usize,
    epochs_done: usize,
    /// The last update's batch loss and lr (null before the first update).
    loss: Option<f64>,
    lr: Option<f64>,
    /// Epochs that ended during this call.
    epochs: &'a [EpochReport],
    /// The loss stopped being a finite number; the run stops.
    diverged: bool,
    /// The update (1-based) whose loss was not finite (the core's rule, as the CLI's).
    diverged_at: Option<usize>,
}

/// Epochs over which the page's timings are averaged (the browser's clock is coarse).
pub const TIMING_WINDOW: usize = 20;

/// The epochs of history a browser trainer keeps (at least; fewer than twice as many).
pub const HISTORY_KEPT: usize = 256;

/// An epoch's metrics and the mean timings of the epochs up to it.
#[derive(Serialize)]
pub(super) struct EpochReport {
    #[serde(flatten)]
    metrics: EpochMetrics,
    /// Mean seconds per update and per epoch over the last [`TIMING_WINDOW`] epochs.
    recent_seconds_per_update: Option<f64>,
    recent_seconds_per_epoch: Option<f64>,
}

/// Sizes of a built run, for the page.
#[derive(Serialize)]
struct Info<'a> {
    dataset: &'a str,
    n_train: usize,
    n_test: usize,
    features: usize,
    classes: usize,
    n_params: usize,
    steps_per_epoch: usize,
    /// Rows per update as used (`min(batch_size, n_train)`).
    batch_size: usize,
    /// `[x0, x1, y0, y1]` of the decision-boundary picture (2-D sets only).
    plane: Option<[f64; 4]>,
    constant_features: &'a [usize],
}

/// One classifier run.
#[wasm_bindgen]
pub struct Trainer {
    pub(super) config: TrainConfig,
    pub(super) session: Session,
    /// The data as generated (before feature standardization), for drawing.
    raw_train: Dataset,
    raw_test: Option<Dataset>,
    boundary: Vec<u8>,
    /// The decision boundary being painted a piece at a time, and the side of the last one.
    painter: Option<boundary::Painter>,
    painted_side: usize,
    sheet: Vec<u8>,
    pub(super) last_loss: Option<f64>,
    pub(super) last_lr: Option<f64>,
}

impl Trainer {
    /// An epoch's metrics with the mean timings of the last epochs, as `run` reports them.
    pub(super) fn epoch_report(&self, metrics: EpochMetrics) -> EpochReport {
        let (per_update, per_epoch) = recent_timing(self.session.trainer.history(), TIMING_WINDOW);
        EpochReport {
            metrics,
            recent_seconds_per_update: per_update,
            recent_seconds_per_epoch: per_epoch,
        }
    }

    /// `run`'s JSON report after `steps` updates in which `epochs` ended.
    pub(super) fn report(&self, steps: usize, epochs: &[EpochReport]) -> Result<String, JsValue> {
        let t = &self.session.trainer;
        json(&RunReport {
            steps,
            steps_done: t.steps_done(),
            epochs_done: t.epochs_done(),
            loss: self.last_loss,
            lr: self.last_lr,
            epochs,
            diverged: self.session.trainer.diverged_at().is_some(),
            diverged_at: self.session.trainer.diverged_at(),
        })
    }
}

fn shade(dark: bool) -> Shade {
    if dark {
        Shade::Dark
    } else {
        Shade::Light
    }
}

fn json<T: Serialize>(v: &T) -> Result<String, JsValue> {
    to_json(v)
}

#[wasm_bindgen]
impl Trainer {
    /// Builds a run from a training config (the CLI's `train` config); throws the core's
    /// message (naming the field) for a bad one, batch norm with a batch of one row included.
    #[wasm_bindgen(constructor)]
    pub fn new(config_json: &str) -> Result<Trainer, JsValue> {
        let config = TrainConfig::from_json(config_json).map_err(to_js)?;
        let (raw_train, raw_test) = config.data.load().map_err(to_js)?;
        let mut session = config.build().map_err(to_js)?;
        session.trainer = session.trainer.with_clock(Box::new(PerformanceClock));
        // The page keeps the series it draws from the epochs `run` sends; here only the recent
        // ones are needed (the timings), so a long run's memory stays flat.
        session.trainer.keep_history(HISTORY_KEPT);
        Ok(Trainer {
            config,
            session,
            raw_train,
            raw_test,
            boundary: Vec::new(),
            painter: None,
            painted_side: 0,
            sheet: Vec::new(),
            last_loss: None,
            last_lr: None,
        })
    }

    /// `{dataset, n_train, n_test, features, classes, n_params, steps_per_epoch, batch_size,
    /// plane, constant_features}`.
    pub fn info(&self) -> Result<String, JsValue> {
        let t = &self.session.trainer;
        let net = t.network();
        let name = serde_json::to_value(self.config.data.name)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        json(&Info {
            dataset: &name,
            n_train: t.train_data().len(),
            n_test: t.test_data().map_or(0, Dataset::len),
            features: net.spec().input_dim,
            classes: net.spec().classes(),
            n_params: net.n_params(),
            steps_per_epoch: t.steps_per_epoch(),
            batch_size: t.batch_sizes().first().copied().unwrap_or(0),
            plane: boundary::plane_of(self.config.data.name),
            constant_features: self
                .session
                .standardizer
                .as_ref()
                .map_or(&[][..], |s| &s.constant_features),
        })
    }

    /// Trains until `budget_ms` milliseconds have passed (checked after every update),
    /// `max_steps` updates were taken, or, with `to_epoch_end`, an epoch ended. Returns
    /// `{steps, steps_done, epochs_done, loss, lr, epochs, diverged}`: `epochs` holds the
    /// metrics of each epoch that ended, plus `recent_seconds_per_update` and
    /// `recent_seconds_per_epoch` (means over the last epochs). A diverged run (the loss is
    /// not finite) takes no more steps.
    pub fn run(
        &mut self,
        budget_ms: f64,
        max_steps: usize,
        to_epoch_end: bool,
    ) -> Result<String, JsValue> {
        let start = super::now_ms();
        let mut epochs = Vec::new();
        let mut steps = 0;
        while steps < max_steps && self.session.trainer.diverged_at().is_none() {
            let r = self.session.trainer.step().map_err(to_js)?;
            steps += 1;
            self.last_loss = Some(r.loss);
            self.last_lr = Some(r.lr);
            let ended = r.epoch_end.is_some();
            if let Some(metrics) = r.epoch_end {
                let (per_update, per_epoch) =
                    recent_timing(self.session.trainer.history(), TIMING_WINDOW);
                epochs.push(EpochReport {
                    metrics,
                    recent_seconds_per_update: per_update,
                    recent_seconds_per_epoch: per_epoch,
                });
            }
            if (ended && to_epoch_end) || super::now_ms() - start >= budget_ms {
                break;
            }
        }
        let t = &self.session.trainer;
        json(&RunReport {
            steps,
            steps_done: t.steps_done(),
            epochs_done: t.epochs_done(),
            loss: self.last_loss,
            lr: self.last_lr,
            epochs: &epochs,
            diverged: self.session.trainer.diverged_at().is_some(),
            diverged_at: self.session.trainer.diverged_at(),
        })
    }

    /// The metrics of the last finished epochs (at least the last `HISTORY_KEPT` = 256, or
    /// every one of a shorter run), as JSON.
    pub fn history(&self) -> Result<String, JsValue> {
        json(&self.session.trainer.history())
    }

    pub fn steps_done(&self) -> usize {
        self.session.trainer.steps_done()
    }

    pub fn epochs_done(&self) -> usize {
        self.session.trainer.epochs_done()
    }

    pub fn diverged(&self) -> bool {
        self.session.trainer.diverged_at().is_some()
    }

    /// Fills the decision-boundary picture (2-D sets) at once, `boundary_side(side)` pixels a
    /// side (its side is then `painted_side`; a side past 1024 is an error), through the same
    /// painter as [`Trainer::paint_start`]; returns its length in bytes. Read it through
    /// `new Uint8ClampedArray(memory.buffer, boundary_ptr(), len)` made after this call (it may
    /// grow memory). Drops a painting in progress.
    pub fn render_boundary(&mut self, side: usize, dark: bool) -> Result<usize, JsValue> {
        // The painter, to the end in one call: the same checks, pieces and picture.
        self.paint_start(side, dark)?;
        while !self.paint(f64::INFINITY)? {}
        Ok(self.boundary.len())
    }

    pub fn boundary_ptr(&self) -> usize {
        self.boundary.as_ptr() as usize
    }

    /// The side of the decision-boundary picture this network gets when `wanted` pixels are
    /// asked for: less for a large network (`boundary::side_for`), so one picture stays within
    /// `boundary::PICTURE_WORK` multiply-adds.
    pub fn boundary_side(&self, wanted: usize) -> usize {
        boundary::side_for(self.session.trainer.network().n_params(), wanted)
    }

    /// Starts painting the decision boundary (2-D sets) at [`Trainer::boundary_side`] of
    /// `wanted` a piece at a time, dropping a painting in progress; [`Trainer::paint`] goes on.
    pub fn paint_start(&mut self, wanted: usize, dark: bool) -> Result<(), JsValue> {
        let Some(view) = boundary::plane_of(self.config.data.name) else {
            return Err(Error::Unavailable(
                "the digits have no plane to draw a boundary on".into(),
            )
            .into());
        };
        let params = self.session.trainer.network().n_params();
        let side = boundary::checked_side(params, wanted).map_err(to_js)?;
        self.painter =
            Some(boundary::Painter::new(view, side, shade(dark), params).map_err(to_js)?);
        Ok(())
    }

    /// Paints for about `budget_ms` (at least one piece); returns whether the picture is done.
    /// Then it is read as after `render_boundary` (its side is `painted_side`). The network must
    /// not train between `paint_start` and the end.
    pub fn paint(&mut self, budget_ms: f64) -> Result<bool, JsValue> {
        let Some(painter) = self.painter.as_mut() else {
            return Err(Error::Unavailable("no painting was started".into()).into());
        };
        let start = super::now_ms();
        let done = painter.paint(&mut self.session, &mut || {
            super::now_ms() - start >= budget_ms
        });
        // A painting that failed is over (it is not tried again on the next call).
        let done = done.map_err(|e| {
            self.painter = None;
            to_js(e)
        })?;
        if done {
            let painter = self.painter.take().expect("painting");
            self.painted_side = painter.side();
            self.boundary = painter.into_image();
        }
        Ok(done)
    }

    /// The painting's progress in [0, 1] (1 when none is in progress).
    pub fn paint_progress(&self) -> f64 {
        self.painter.as_ref().map_or(1.0, |p| p.progress())
    }

    /// Whether a painting is in progress.
    pub fn painting(&self) -> bool {
        self.painter.is_some()
    }

    /// The side of the last picture `paint` finished.
    pub fn painted_side(&self) -> usize {
        self.painted_side
    }

    /// The training points as generated, `[x0, y0, x1, y1, ...]` (2-D sets).
    pub fn train_points(&self) -> Vec<f64> {
        self.raw_train.x.data().to_vec()
    }

    pub fn train_labels(&self) -> Vec<u32> {
        self.raw_train.y.iter().map(|&c| c as u32).collect()
    }

    /// The test points as generated (empty without a test set).
    pub fn test_points(&self) -> Vec<f64> {
        self.raw_test
            .as_ref()
            .map_or(Vec::new(), |d| d.x.data().to_vec())
    }

    pub fn test_labels(&self) -> Vec<u32> {
        self.raw_test
            .as_ref()
            .map_or(Vec::new(), |d| d.y.iter().map(|&c| c as u32).collect())
    }

    /// The predicted class of every test row (eval mode), or of every training row when
    /// there is no test set.
    pub fn test_predictions(&mut self) -> Result<Vec<u32>, JsValue> {
        let t = &mut self.session.trainer;
        let x = match t.test_data() {
            Some(d) => d.x.clone(),
            None => t.train_data().x.clone(),
        };
        let probs = t.predict_proba(&x).map_err(to_js)?;
        Ok(predicted_classes(&probs)
            .into_iter()
            .map(|c| c as u32)
            .collect())
    }

    /// The confusion matrix of the test set (the training set without one): `classes²`
    /// counts, row = true class, column = predicted class.
    pub fn confusion(&mut self) -> Result<Vec<u32>, JsValue> {
        let predicted: Vec<usize> = self
            .test_predictions()?
            .into_iter()
            .map(|c| c as usize)
            .collect();
        let t = &self.session.trainer;
        let data = t.test_data().unwrap_or(t.train_data());
        Ok(confusion_matrix(&predicted, &data.y, data.classes))
    }

    /// Lays the first `count` test images (training images without a test set) out `cols`
    /// per line (digits only); returns `[width, height]` of the sheet, read through
    /// `sheet_ptr()` as `width · height · 4` bytes.
    pub fn render_digits(
        &mut self,
        count: usize,
        cols: usize,
        dark: bool,
    ) -> Result<Vec<u32>, JsValue> {
        let data = self.raw_test.as_ref().unwrap_or(&self.raw_train);
        let rows: Vec<usize> = (0..count.min(data.len())).collect();
        let (w, h) =
            digit_sheet(&data.x, &rows, cols, shade(dark), &mut self.sheet).map_err(to_js)?;
        Ok(vec![w as u32, h as u32])
    }

    pub fn sheet_ptr(&self) -> usize {
        self.sheet.as_ptr() as usize
    }
}

impl Trainer {
    /// The run's session (network, data, optimizer), for the other bindings (`hessian.rs`).
    pub(super) fn session(&self) -> &Session {
        &self.session
    }
}
