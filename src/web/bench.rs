//! A run that keeps only its last point, for long runs (benchmarks: 10^7 Adam steps) where a
//! recorded trajectory would not fit in memory. The same loop as `sim::run`, minus recording.

use super::error::to_js;
use crate::error::Error;
use crate::optim::{Optimizer, OptimizerConfig};
use crate::surface;
use wasm_bindgen::prelude::*;

/// Runs `optimizer_json` (e.g. `{"name": "adam", "lr": 0.001}`) for `steps` steps on the
/// surface `spec` from (x0, y0); returns the final `[x, y, loss]`.
#[wasm_bindgen]
pub fn final_point(
    spec: &str,
    optimizer_json: &str,
    x0: f64,
    y0: f64,
    steps: usize,
) -> Result<Vec<f64>, JsValue> {
    let f = surface::resolve(spec).map_err(to_js)?;
    let cfg: OptimizerConfig =
        serde_json::from_str(optimizer_json).map_err(|e| Error::parse("optimizer", e))?;
    let mut opt = Optimizer::new(&cfg, None, 2).map_err(to_js)?;
    let mut p = [x0, y0];
    for _ in 0..steps {
        let (_, g) = f.gradient(p[0], p[1]);
        opt.step(&mut p, &g);
    }
    Ok(vec![p[0], p[1], f.value(p[0], p[1])])
}
