//! The classifier's benchmark entry: a whole training run in one call (the CLI's `train` path,
//! no clock), so that node can time it against other peers without crossing into JS per step.

use super::error::to_js;
use crate::nn::{train_config, TrainConfig};
use serde_json::json;
use wasm_bindgen::prelude::*;

/// Trains `config_json` for its epochs; returns `{updates, epochs, train_loss,
/// train_accuracy}` after the last epoch.
#[wasm_bindgen]
pub fn train_summary(config_json: &str) -> Result<String, JsValue> {
    let cfg = TrainConfig::from_json(config_json).map_err(to_js)?;
    let report = train_config(&cfg).map_err(to_js)?;
    let last = report.epochs.last();
    Ok(crate::json_text::text(&json!({
        "updates": report.step_loss.len(),
        "epochs": report.epochs.len(),
        "train_loss": last.map(|e| e.train.loss),
        "train_accuracy": last.map(|e| e.train.accuracy),
    })))
}
