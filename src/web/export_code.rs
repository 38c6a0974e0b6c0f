//! "Show PyTorch code": the complete runnable script of a run config, from the core's
//! generator (`export::torch`), the same text `optiscape torch-code --config FILE` prints.

use super::error::to_js;
use crate::config::RunConfig;
use wasm_bindgen::prelude::*;

/// The Python script (torch.optim + torch.optim.lr_scheduler, float64) that reproduces the run
/// `config_json` and prints its trajectory as JSON; throws the core's message for a bad config.
#[wasm_bindgen]
pub fn torch_code(config_json: &str) -> Result<String, JsValue> {
    let cfg = RunConfig::from_json(config_json).map_err(to_js)?;
    crate::export::torch_code(&cfg).map_err(to_js)
}
