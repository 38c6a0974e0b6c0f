//! The thin wasm-bindgen API of the app (wasm32 only): a long-lived `Lab` handle owned by
//! Rust and driven by JS (surface, view, critical points, up to eight runs, the 3-D view), and
//! the catalogs. No math here: every number comes from the core or `render`.
//!
//! Errors reach JS as thrown `Error`s carrying the core error as data (`kind`, `field`, `value`,
//! `expected`, `span`...; see `error.rs`, the one conversion); formula errors are `Error`s
//! named `FormulaError` with the byte span of the offending text also as `start` and `end`. A
//! panic hook logs Rust panics to the console, where the page's banner picks them up.
//!
//! Three cargo features, all on by default, choose the rest: `lab` adds the surface lab's `Lab`
//! (formulas, runs, the 3-D view of a formula), phase diagram, PyTorch script and the
//! benchmarks' `final_point` (`lab-first`, which `lab` implies, is what the lab's first picture
//! needs of it: `Lab`'s surface, heatmap, contours and runs, and the catalogs), `classifier`
//! the classifier's bindings (trainer, sweep, WebGPU hand-over, Hessian jobs, the benchmark
//! entries), `scenes` (implies both) the lecture scenes' list, JSON and checks. `cargo xtask
//! build` builds the wasm five times: with `lab-first` for the surface lab's first picture
//! (`www/pkg-lab-first/`, smallest), with `lab` for the rest of the surface lab and the scene
//! index (`www/pkg-lab/`, small), with `classifier` for the classifier page and the workers that
//! train (`www/pkg/`, twice: baseline and SIMD), with all three for the scene worker that
//! measures claims (`www/pkg-scenes/`).
//! The pages read the scenes as data (`www/scenes/scenes.json`), so only that worker's wasm
//! carries the scene code and texts.

#[cfg(feature = "lab")]
mod bench;
mod catalog;
#[cfg(feature = "classifier")]
mod classifier_bench;
#[cfg(feature = "classifier")]
mod classifier_catalog;
#[cfg(feature = "classifier")]
mod classifier_sweep;
mod error;
#[cfg(feature = "lab")]
mod export_code;
#[cfg(feature = "classifier")]
mod gpu;
#[cfg(feature = "classifier")]
mod hessian;
#[cfg(feature = "lab-first")]
mod lab;
#[cfg(feature = "classifier")]
mod landscape_view;
#[cfg(feature = "lab")]
mod phase;
mod picture;
#[cfg(feature = "lab-first")]
mod runs;
#[cfg(feature = "scenes")]
mod scenes;
#[cfg(feature = "classifier")]
mod trainer;
#[cfg(any(feature = "lab", feature = "classifier"))]
mod view3d;

#[cfg(feature = "lab")]
pub use bench::final_point;
#[cfg(feature = "lab-first")]
pub use catalog::{check_optimizer, optimizers, presets, schedule_lrs, schedules};
pub use catalog::{log_ticks, ticks};
#[cfg(feature = "classifier")]
pub use classifier_bench::train_summary;
#[cfg(feature = "classifier")]
pub use classifier_catalog::{
    classifier_catalog, classifier_check, classifier_link_check, digits_loaded, provide_digits,
};
#[cfg(feature = "classifier")]
pub use classifier_sweep::Sweep;
#[cfg(feature = "lab")]
pub use export_code::torch_code;
#[cfg(feature = "classifier")]
pub use hessian::{HessianJob, LandscapeRun, RatioJob, WeightTrail};
#[cfg(feature = "lab-first")]
pub use lab::Lab;
#[cfg(feature = "classifier")]
pub use landscape_view::LandscapeView;
#[cfg(feature = "lab")]
pub use phase::{
    phase_axes, phase_axis_fraction, phase_check, phase_colorbar, phase_target, PhaseSweep,
};
#[cfg(feature = "lab-first")]
pub use runs::MAX_RUNS;
#[cfg(feature = "scenes")]
pub use scenes::{scene_check, scene_json, scene_list};
#[cfg(feature = "classifier")]
pub use trainer::{PerformanceClock, Trainer};

#[cfg(any(feature = "lab", feature = "classifier"))]
use crate::work::Resumable;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `performance.now()` in milliseconds: the page's, the worker's or node's clock.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// The page's (or worker's) clock in milliseconds.
#[cfg(feature = "classifier")]
pub(crate) fn now_ms() -> f64 {
    performance_now()
}

/// Advances `job` for about `budget_ms` milliseconds of the page's clock (at least one piece
/// while work is left); returns whether it is done. Every long job a page runs in its worker
/// (phase diagram, batch-size sweep, Hessian spectrum, minimum ratios, loss landscape) goes
/// through here, a budget at a time, so a click can stop it between two calls.
#[cfg(any(feature = "lab", feature = "classifier"))]
pub(crate) fn advance_for<R: Resumable + ?Sized>(
    job: &mut R,
    budget_ms: f64,
) -> Result<bool, JsValue> {
    let start = performance_now();
    job.advance(&mut || performance_now() - start >= budget_ms)
        .map_err(error::to_js)
}

/// Panics on purpose. Only the recovery test (`tests/e2e/errors.test.mjs`) calls it, to force
/// the trap a bug would cause and check that the page restarts (`www/common/recovery.js`);
/// no page does.
#[wasm_bindgen]
pub fn test_panic() {
    panic!("a panic forced by the recovery test");
}

/// Runs once when the module is instantiated: route Rust panics to `console.error`.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}
