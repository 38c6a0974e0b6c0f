//! The classifier's curvature bindings, stepped by its worker: `HessianJob` (the spectrum of
//! the Hessian at a run's current weights, a block of columns or a Lanczos step at a time),
//! `WeightTrail` (the run's weights recorded along training), `RatioJob` (the minimum ratio
//! and the loss at recorded weights) and `LandscapeRun` (the loss landscape of the recorded
//! trajectory, a grid row at a time). Results come back as JSON.

use super::error::{to_js, to_json};
use super::trainer::Trainer;
use crate::budget::{Cost, Limits, Raise};
use crate::error::Error;
use crate::landscape::{LandscapeJob, LandscapeOptions, WeightTrail as Trail};
use crate::nn::hessian::{
    spectrum_chart, verdict, RatioSweep, SignCounts, Spectrum, SpectrumChart, SpectrumJob,
    SpectrumMethod, SpectrumOptions, VerdictKind,
};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Bins of the eigenvalue histogram.
const CHART_BINS: usize = 40;

fn json<T: Serialize>(v: &T) -> Result<String, JsValue> {
    to_json(v)
}

/// Shares of the eigenvalues by sign (exact spectra only).
#[derive(Serialize)]
struct Fractions {
    negative: f64,
    zero: f64,
    positive: f64,
}

/// The JSON of a finished `HessianJob`.
#[derive(Serialize)]
struct SpectrumReport<'a> {
    spectrum: &'a Spectrum,
    /// The histogram (exact spectra only: Ritz values are extremes, not a distribution).
    chart: Option<SpectrumChart>,
    counts: Option<SignCounts>,
    fractions: Option<Fractions>,
    lambda_min: Option<f64>,
    lambda_max: Option<f64>,
    /// The sentence key (the core's `VerdictKind`): a kind of point only where `critical`.
    verdict: VerdictKind,
    /// ‖∇L‖ ≤ `gradient_tolerance`: the core's decision, shown with its tolerance.
    critical: bool,
    gradient_tolerance: f64,
}

fn report(s: &Spectrum) -> Result<String, JsValue> {
    let (chart, fractions) = match (s.method, s.signs) {
        (SpectrumMethod::Exact, Some(c)) => {
            let n = s.eigenvalues.len().max(1) as f64;
            (
                Some(spectrum_chart(&s.eigenvalues, c.tolerance, CHART_BINS).map_err(to_js)?),
                Some(Fractions {
                    negative: c.negative as f64 / n,
                    zero: c.zero as f64 / n,
                    positive: c.positive as f64 / n,
                }),
            )
        }
        _ => (None, None),
    };
    let v = verdict(s);
    json(&SpectrumReport {
        spectrum: s,
        chart,
        counts: s.signs,
        fractions,
        lambda_min: s.eigenvalues.first().copied(),
        lambda_max: s.eigenvalues.last().copied(),
        verdict: v.kind,
        critical: v.critical,
        gradient_tolerance: v.gradient_tolerance,
    })
}

/// The spectrum of the Hessian of the training loss at a run's weights, in progress.
#[wasm_bindgen]
pub struct HessianJob {
    job: Option<SpectrumJob>,
    result: Option<String>,
}

#[wasm_bindgen]
impl HessianJob {
    /// Starts at the trainer's current weights over its (standardized) training data.
    /// `options_json` is the core's `SpectrumOptions` (`{}` for the defaults: the full
    /// spectrum up to 1000 parameters, the Lanczos extremes above); throws for bad options.
    #[wasm_bindgen(constructor)]
    pub fn new(trainer: &Trainer, options_json: &str) -> Result<HessianJob, JsValue> {
        let options: SpectrumOptions =
            serde_json::from_str(options_json).map_err(|e| Error::parse("spectrum options", e))?;
        let t = &trainer.session().trainer;
        let data = t.train_data();
        // Pieces a Cancel can come between (the cost model's PIECE limit).
        Limits::PIECE
            .check(
                &SpectrumJob::piece_cost(t.network().n_params(), data.len(), &options),
                Raise::Smaller,
            )
            .map_err(to_js)?;
        let job = SpectrumJob::new(t.network(), &data.x, &data.y, &options).map_err(to_js)?;
        Ok(HessianJob {
            job: Some(job),
            result: None,
        })
    }

    /// Computes for about `budget_ms` milliseconds (checked after each block of 8 columns or
    /// each Lanczos step); returns whether the spectrum is ready (`result`).
    pub fn advance(&mut self, budget_ms: f64) -> Result<bool, JsValue> {
        let Some(job) = self.job.as_mut() else {
            return Ok(self.result.is_some());
        };
        if !super::advance_for(job, budget_ms)? {
            return Ok(false);
        }
        let Some(job) = self.job.take() else {
            return Ok(false);
        };
        let s = job.finish().map_err(to_js)?;
        self.result = Some(report(&s)?);
        Ok(true)
    }

    /// `[done, planned]`: Hessian columns (exact) or products `H·v` (Lanczos).
    pub fn progress(&self) -> Vec<f64> {
        match &self.job {
            Some(j) => {
                let (d, p) = j.progress();
                vec![d as f64, p as f64]
            }
            None => vec![1.0, 1.0],
        }
    }

    /// `"exact"` or `"lanczos"` (`""` once finished: see `result`).
    pub fn method(&self) -> String {
        match self.job.as_ref().map(SpectrumJob::method) {
            Some(SpectrumMethod::Lanczos) => "lanczos".into(),
            Some(_) => "exact".into(),
            None => String::new(),
        }
    }

    /// The finished spectrum as JSON: `{spectrum: {method, n_params, rows, loss,
    /// gradient_norm, eigenvalues, residuals, smallest, largest, signs, minimum_ratio, ...},
    /// chart: {scale, linear_threshold, range, bins: [{t, lambda, negative, zero, positive}],
    /// ticks: [{t, value}], max_count, tolerance} | null, counts, fractions, lambda_min,
    /// lambda_max, verdict, critical, gradient_tolerance}` (`verdict` is the core's
    /// `VerdictKind` in snake case); throws before it is finished.
    pub fn result(&self) -> Result<String, JsValue> {
        self.result.clone().ok_or_else(|| {
            Error::Unavailable(
                "the spectrum is not finished: call advance until it returns true".into(),
            )
            .into()
        })
    }
}

/// A run's weights recorded along training (before training and after epochs), at most
/// `capacity` of them, evenly thinned.
#[wasm_bindgen]
pub struct WeightTrail {
    trail: Trail,
}

#[wasm_bindgen]
impl WeightTrail {
    /// An empty trail of at most `capacity` (≥ 4) points.
    #[wasm_bindgen(constructor)]
    pub fn new(capacity: usize) -> Result<WeightTrail, JsValue> {
        Ok(WeightTrail {
            trail: Trail::new(capacity).map_err(to_js)?,
        })
    }

    /// Records the trainer's weights when an epoch is due (the first call always records; a
    /// trainer back at epoch 0 starts the trail again); returns whether it recorded.
    pub fn record(&mut self, trainer: &Trainer) -> bool {
        let t = &trainer.session().trainer;
        self.trail
            .record(t.epochs_done(), t.steps_done(), t.network().params())
    }

    pub fn clear(&mut self) {
        self.trail.clear();
    }

    /// Recorded points.
    pub fn len(&self) -> usize {
        self.trail.len()
    }

    pub fn is_empty(&self) -> bool {
        self.trail.is_empty()
    }

    /// The epochs of the recorded points.
    pub fn epochs(&self) -> Vec<u32> {
        self.trail.points().iter().map(|p| p.epoch as u32).collect()
    }

    /// The network's loss landscape over the trail plus the trainer's current weights (the
    /// plane's center), as a job: `options_json` is the core's `LandscapeOptions` (`{"method":
    /// "pca" | "random", "grid": 41, ...}`); the trajectory is projected here, the grid is
    /// computed by `advance`. Throws for bad options or a trajectory of one point.
    pub fn landscape_job(
        &self,
        trainer: &Trainer,
        options_json: &str,
    ) -> Result<LandscapeRun, JsValue> {
        let options: LandscapeOptions =
            serde_json::from_str(options_json).map_err(|e| Error::parse("landscape options", e))?;
        let t = &trainer.session().trainer;
        let trajectory = self.trail.trajectory(t.steps_done(), t.network().params());
        if trajectory.len() < 2 {
            return Err(Error::Unavailable(
                "the trajectory has one point: train for at least one update first".into(),
            )
            .into());
        }
        let data = t.train_data();
        Limits::PIECE
            .check(
                &Cost::landscape_piece(t.network().n_params(), data.len()),
                Raise::Smaller,
            )
            .map_err(to_js)?;
        let job = LandscapeJob::new(t.network(), &data.x, &data.y, &trajectory, &options)
            .map_err(to_js)?;
        Ok(LandscapeRun {
            job: Some(job),
            result: None,
        })
    }

    /// A `RatioJob` over at most `count` evenly spaced recorded points (the first and the
    /// last included) with the trainer's network and training data; `options_json` is the
    /// core's `SpectrumOptions` (its method is exact). Throws above 1000 parameters.
    pub fn ratio_job(
        &self,
        trainer: &Trainer,
        count: usize,
        options_json: &str,
    ) -> Result<RatioJob, JsValue> {
        let options: SpectrumOptions =
            serde_json::from_str(options_json).map_err(|e| Error::parse("spectrum options", e))?;
        let t = &trainer.session().trainer;
        let data = t.train_data();
        let inner = RatioSweep::new(
            t.network(),
            &data.x,
            &data.y,
            self.trail.sample(count.max(1)),
            &options,
        )
        .map_err(to_js)?;
        // Each sample is an exact spectrum, a block of columns per piece (checked after the
        // sweep's own limits, which say more: at most 1000 parameters).
        let exact = SpectrumOptions {
            method: SpectrumMethod::Exact,
            ..options.clone()
        };
        Limits::PIECE
            .check(
                &SpectrumJob::piece_cost(t.network().n_params(), data.len(), &exact),
                Raise::Smaller,
            )
            .map_err(to_js)?;
        Ok(RatioJob { inner })
    }
}

/// The minimum ratio and the loss at recorded weights, in progress.
#[wasm_bindgen]
pub struct RatioJob {
    inner: RatioSweep,
}

#[wasm_bindgen]
impl RatioJob {
    /// Computes for about `budget_ms` milliseconds; returns whether every point is done.
    pub fn advance(&mut self, budget_ms: f64) -> Result<bool, JsValue> {
        super::advance_for(&mut self.inner, budget_ms)
    }

    /// Work done over all work, in [0, 1].
    pub fn progress(&self) -> f64 {
        self.inner.progress()
    }

    /// Points planned.
    pub fn len(&self) -> usize {
        self.inner.len()
    }

    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// The finished points as JSON: `[{epoch, loss, gradient_norm, minimum_ratio, signs:
    /// {positive, negative, zero, tolerance}, lambda_min, lambda_max}]`.
    pub fn samples(&self) -> Result<String, JsValue> {
        json(&self.inner.samples())
    }
}

/// A loss landscape in progress (a grid row at a time).
#[wasm_bindgen]
pub struct LandscapeRun {
    job: Option<LandscapeJob>,
    result: Option<String>,
}

#[wasm_bindgen]
impl LandscapeRun {
    /// Computes grid rows for about `budget_ms` milliseconds (checked after each row); returns
    /// whether the plane is ready (`result`).
    pub fn advance(&mut self, budget_ms: f64) -> Result<bool, JsValue> {
        let Some(job) = self.job.as_mut() else {
            return Ok(self.result.is_some());
        };
        if !super::advance_for(job, budget_ms)? {
            return Ok(false);
        }
        let Some(job) = self.job.take() else {
            return Ok(false);
        };
        self.result = Some(json(&job.finish().map_err(to_js)?.plane)?);
        Ok(true)
    }

    /// `[losses done, losses planned]`.
    pub fn progress(&self) -> Vec<f64> {
        match &self.job {
            Some(j) => {
                let (d, p) = j.progress();
                vec![d as f64, p as f64]
            }
            None => vec![1.0, 1.0],
        }
    }

    /// The core's `landscape::Plane` as JSON (`{x, y, nx, ny, values, min, max, path: [{x, y,
    /// loss, loss_true, off_plane}], method, description, explained_variance,
    /// direction_norms, direction_cosine, n_params, rows, center_loss, ...}`); throws before
    /// it is finished.
    pub fn result(&self) -> Result<String, JsValue> {
        self.result.clone().ok_or_else(|| {
            Error::Unavailable(
                "the landscape is not finished: call advance until it returns true".into(),
            )
            .into()
        })
    }
}
