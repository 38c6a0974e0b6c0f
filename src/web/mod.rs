//! The thin wasm-bindgen API of the app (wasm32 only): a long-lived [`Lab`] handle owned by
//! Rust and driven by JS. No math here: every number comes from the core or `render`.
//!
//! Errors reach JS as thrown `Error`s (`Result<_, JsError>`); formula errors are `Error`s named
//! `FormulaError` with the byte span of the offending text as `start` and `end`. A panic hook
//! logs Rust panics to the console, where the page's banner picks them up.

mod bench;
mod catalog;
mod error;
mod lab;

pub use bench::final_point;
pub use catalog::{optimizers, presets};
pub use lab::Lab;

use wasm_bindgen::prelude::*;

/// Runs once when the module is instantiated: route Rust panics to `console.error`.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}
