//! The lecture scenes for the app: the list in lecture order, one scene's JSON (texts, formula,
//! panels with their runs, classifier runs) and its measured claim. No math here.

use super::error::{to_js, to_json};
use crate::scene;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// One line of the scene list.
#[derive(Serialize)]
struct Entry {
    id: &'static str,
    version: u32,
    lab: scene::LabKind,
    title: scene::Text,
    claim: scene::Text,
    panels: usize,
}

/// Every scene in lecture order: `[{id, version, lab: "surface"|"classifier", title: {en,
/// "zh-CN"}, claim: {en, "zh-CN"}, panels}]`.
#[wasm_bindgen]
pub fn scene_list() -> Result<String, JsValue> {
    let mut out = Vec::new();
    for def in scene::scenes() {
        let s = (def.build)().map_err(to_js)?;
        out.push(Entry {
            id: s.id,
            version: s.version,
            lab: s.lab,
            title: s.title,
            claim: s.claim,
            panels: s.panels.len(),
        });
    }
    to_json(&out)
}

/// One scene as JSON (the schema of `optiscape scene ID`); throws naming the known ids when
/// `id` is not one of them.
#[wasm_bindgen]
pub fn scene_json(id: &str) -> Result<String, JsValue> {
    let def = scene::scene(id).map_err(to_js)?;
    let s = (def.build)().map_err(to_js)?;
    to_json(&s)
}

/// Measures a scene's claim: `{scene, pass, conditions: [{name, value, op, threshold, pass}],
/// measured: {...}}` (the schema of `optiscape scene ID --check`). Some take seconds: call it
/// from a worker. Classifier scenes on the digits need `provide_digits` first.
#[wasm_bindgen]
pub fn scene_check(id: &str) -> Result<String, JsValue> {
    let def = scene::scene(id).map_err(to_js)?;
    // A check that times training (batch_time) reads `performance.now()`.
    crate::nn::clock::set_default_clock(|| Box::new(super::trainer::PerformanceClock));
    let check = (def.check)().map_err(to_js)?;
    to_json(&check)
}
