//! The thin wasm-bindgen API of the app (wasm32 only): a long-lived [`Lab`] handle owned by
//! Rust and driven by JS (surface, view, critical points, up to eight runs, the 3-D view), and
//! the catalogs. No math here: every number comes from the core or `render`.
//!
//! Errors reach JS as thrown `Error`s (`Result<_, JsError>`); formula errors are `Error`s named
//! `FormulaError` with the byte span of the offending text as `start` and `end`. A panic hook
//! logs Rust panics to the console, where the page's banner picks them up.

mod bench;
mod catalog;
mod classifier_bench;
mod classifier_catalog;
mod classifier_sweep;
mod error;
mod export_code;
mod gpu;
mod hessian;
mod lab;
mod landscape_view;
mod phase;
mod runs;
mod scenes;
mod trainer;
mod view3d;

pub use bench::final_point;
pub use catalog::{
    check_optimizer, log_ticks, optimizers, presets, schedule_lrs, schedules, ticks,
};
pub use classifier_bench::train_summary;
pub use classifier_catalog::{classifier_catalog, classifier_check, digits_loaded, provide_digits};
pub use classifier_sweep::Sweep;
pub use export_code::torch_code;
pub use hessian::{HessianJob, LandscapeRun, RatioJob, WeightTrail};
pub use lab::Lab;
pub use landscape_view::LandscapeView;
pub use phase::{phase_axes, phase_axis_fraction, phase_colorbar, phase_target, PhaseSweep};
pub use runs::MAX_RUNS;
pub use scenes::{scene_check, scene_json, scene_list};
pub use trainer::{PerformanceClock, Trainer};

use wasm_bindgen::prelude::*;

/// Runs once when the module is instantiated: route Rust panics to `console.error`.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}
