//! `PhaseSweep`: a phase diagram (two hyper-parameters of a run swept over a grid) owned by
//! Rust and advanced by the lab's worker (`www/phase-worker.js`) a time budget at a time; its
//! image (RGBA, one pixel per cell) and colour scale come from `phase::image`.

use super::error::{to_js, to_json};
use crate::config::RunConfig;
use crate::phase::{self, Axis, Coloring, Job, Scale, SweepConfig};
use crate::surface::{self, ViewBox};
use wasm_bindgen::prelude::*;

/// A phase-diagram sweep in progress.
#[wasm_bindgen]
pub struct PhaseSweep {
    job: Job,
    scale: Option<Scale>,
}

#[wasm_bindgen]
impl PhaseSweep {
    /// `{"run": <run config>, "x": {"path", "min", "max", "n", "log"}, "y": {...},
    /// "target_loss"}`; throws a message naming the field for a bad sweep.
    #[wasm_bindgen(constructor)]
    pub fn new(config_json: &str) -> Result<PhaseSweep, JsValue> {
        let cfg = SweepConfig::from_json(config_json)?;
        Ok(PhaseSweep {
            job: Job::new(cfg).map_err(to_js)?,
            scale: None,
        })
    }

    /// Runs rows until about `budget_ms` milliseconds have passed (at least one row); returns
    /// whether the sweep is finished.
    pub fn advance(&mut self, budget_ms: f64) -> Result<bool, JsValue> {
        super::advance_for(&mut self.job, budget_ms)
    }

    /// Runs every remaining row.
    pub fn finish(&mut self) -> Result<(), JsValue> {
        crate::work::finish(&mut self.job).map_err(to_js)
    }

    pub fn rows_done(&self) -> usize {
        self.job.rows_done()
    }

    pub fn rows(&self) -> usize {
        self.job.config().y.n
    }

    pub fn cols(&self) -> usize {
        self.job.config().x.n
    }

    pub fn x_values(&self) -> Vec<f64> {
        self.job.sweep().x_values.clone()
    }

    pub fn y_values(&self) -> Vec<f64> {
        self.job.sweep().y_values.clone()
    }

    /// The final loss of each measured cell, row-major from the smallest y value.
    pub fn final_loss(&self) -> Vec<f64> {
        self.job.sweep().final_loss.clone()
    }

    /// The first step at or below the target loss, −1 where never.
    pub fn steps_to_target(&self) -> Vec<f64> {
        let s = self.job.sweep();
        s.steps_to_target
            .iter()
            .map(|v| v.map_or(-1.0, |k| k as f64))
            .collect()
    }

    /// The step at which each cell diverged, −1 where it did not.
    pub fn diverged_at(&self) -> Vec<f64> {
        let s = self.job.sweep();
        s.diverged_at
            .iter()
            .map(|v| v.map_or(-1.0, |k| k as f64))
            .collect()
    }

    /// The RGBA image (cols × rows × 4, row 0 the largest y) in `coloring` (`final_loss`,
    /// `steps_to_target` or `diverged`); its scale is then `scale_json()`.
    pub fn render(&mut self, coloring: &str) -> Result<Vec<u8>, JsValue> {
        let coloring = Coloring::parse(coloring).map_err(to_js)?;
        let img = phase::image::image(self.job.sweep(), coloring, self.job.config().run.steps);
        self.scale = Some(img.scale);
        Ok(img.rgba)
    }

    /// The colour scale of the last `render`: `{coloring, lo, hi, log, ticks, tick_positions,
    /// diverged, not_reached, reached, cells}`.
    pub fn scale_json(&self) -> Result<String, JsValue> {
        to_json(&self.scale)
    }
}

/// What a phase diagram can sweep for the run `run_json`:
/// `[{path, group, name, index, value, min, max, log}]`, the learning rate first.
#[wasm_bindgen]
pub fn phase_axes(run_json: &str) -> Result<String, JsValue> {
    let run = RunConfig::from_json(run_json).map_err(to_js)?;
    to_json(&phase::choices(&run))
}

/// Checks a sweep config (`PhaseSweep`'s JSON) as the sweep does before it starts: throws the
/// core's error naming the field (`run.steps`, `x.min/max`, `y.n`, `y.path`...).
#[wasm_bindgen]
pub fn phase_check(config_json: &str) -> Result<(), JsValue> {
    let cfg = SweepConfig::from_json(config_json)?;
    phase::prepare(&cfg)?;
    Ok(())
}

/// A target loss for "steps to target": just above the lowest minimum of the run's surface in
/// the view `x0..x1 × y0..y1` (without one there, a thousandth of the start's loss).
#[wasm_bindgen]
pub fn phase_target(run_json: &str, x0: f64, x1: f64, y0: f64, y1: f64) -> Result<f64, JsValue> {
    let run = RunConfig::from_json(run_json).map_err(to_js)?;
    let f = surface::resolve(&run.surface).map_err(to_js)?;
    let region = ViewBox::new([x0, x1], [y0, y1])?;
    Ok(phase::suggested_target(&f, region, run.start))
}

/// Where the value `v` sits across an axis image (0 to 1; cell k spans k/n to (k+1)/n), for
/// ticks and the current run's marker.
#[wasm_bindgen]
pub fn phase_axis_fraction(min: f64, max: f64, n: usize, log: bool, v: f64) -> f64 {
    Axis {
        path: String::new(),
        min,
        max,
        n,
        log,
    }
    .image_fraction(v)
}

/// `n` viridis RGBA pixels, low to high, for the colour bar.
#[wasm_bindgen]
pub fn phase_colorbar(n: usize) -> Vec<u8> {
    phase::colorbar_rgba(n)
}
