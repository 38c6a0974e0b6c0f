//! What the app offers, as JSON for the pickers: the preset surfaces and the optimizers with
//! their parameters, names and defaults as the core defines them.

use wasm_bindgen::prelude::*;

/// Every preset surface: `[{id, name_en, name_zh, formula, view: {x, y}, start, description_en,
/// description_zh}]`.
#[wasm_bindgen]
pub fn presets() -> Result<String, JsError> {
    serde_json::to_string(crate::surface::presets()).map_err(|e| JsError::new(&e.to_string()))
}

/// Every optimizer: `[{name, variant, params: [{name, kind, default, ...}]}]`.
#[wasm_bindgen]
pub fn optimizers() -> Result<String, JsError> {
    serde_json::to_string(crate::optim::optimizer_specs()).map_err(|e| JsError::new(&e.to_string()))
}
