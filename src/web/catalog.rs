//! What the app offers, as JSON for the pickers: the preset surfaces, the optimizers and the
//! schedules with their parameters, names, defaults and ranges as the core defines them, plus
//! the checks and the η(t) preview the per-run controls use. All but the ticks and
//! `schedule_start` are the surface lab's, from its first build on (feature `lab-first`): the classifier reads its own catalog
//! (`classifier_catalog`).

use super::error::{to_js, to_json};
#[cfg(feature = "lab-first")]
use crate::error::Error;
#[cfg(feature = "lab-first")]
use crate::optim::{OptimizerConfig, ScheduleConfig};
use wasm_bindgen::prelude::*;

/// Every preset surface: `[{id, name_en, name_zh, formula, view: {x, y}, start, description_en,
/// description_zh}]`.
#[cfg(feature = "lab-first")]
#[wasm_bindgen]
pub fn presets() -> Result<String, JsValue> {
    to_json(crate::surface::presets())
}

/// Every optimizer: `[{name, variant, params: [{name, kind, default, range, choices}]}]`.
#[cfg(feature = "lab-first")]
#[wasm_bindgen]
pub fn optimizers() -> Result<String, JsValue> {
    to_json(crate::optim::optimizer_specs())
}

/// Every learning-rate schedule, in the same form as `optimizers` (`default: null`: required).
#[cfg(feature = "lab-first")]
#[wasm_bindgen]
pub fn schedules() -> Result<String, JsValue> {
    to_json(crate::optim::schedule_specs())
}

/// Checks an optimizer config (`{"name": "sgd", "lr": 0.1, "nesterov": true}`); throws the
/// core's message naming the field when it is not valid.
#[cfg(feature = "lab-first")]
#[wasm_bindgen]
pub fn check_optimizer(json: &str) -> Result<(), JsValue> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| Error::parse("JSON", e))?;
    OptimizerConfig::from_json(&value)
        .map(|_| ())
        .map_err(to_js)
}

/// η(t) for the first `n` steps (at most 100000) of a schedule (`{"name": "cosine", "t_max":
/// 100}`) on base lr `base_lr`; throws the core's message for a bad schedule.
#[cfg(feature = "lab-first")]
#[wasm_bindgen]
pub fn schedule_lrs(json: &str, base_lr: f64, n: usize) -> Result<Vec<f64>, JsValue> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| Error::parse("JSON", e))?;
    let schedule = ScheduleConfig::from_json(&value).map_err(to_js)?;
    schedule.lrs(base_lr, n.min(100_000)).map_err(to_js)
}

/// The settings the lab's editor starts schedule `name` with for a run of `steps` steps at
/// base lr `lr` (`{"step_size": 25}`; `{}` where torch's defaults serve); throws for an
/// unknown schedule.
#[wasm_bindgen]
pub fn schedule_start(name: &str, steps: usize, lr: f64) -> Result<String, JsValue> {
    to_json(&crate::compare::schedule_start(name, steps, lr).map_err(to_js)?)
}

/// About `n` nice tick values in `[lo, hi]` (steps of 1, 2, 5 × 10^k).
#[wasm_bindgen]
pub fn ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    crate::render::nice_ticks(lo, hi, n)
}

/// The decades in `[lo, hi]` for a log axis.
#[wasm_bindgen]
pub fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    crate::render::log_ticks(lo, hi)
}
