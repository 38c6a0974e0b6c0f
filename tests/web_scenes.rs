//! wasm-bindgen tests of the scene bindings (`src/web/scenes.rs`), run by `cargo xtask test`:
//! the list in lecture order, one scene's JSON, a measured claim, and the error for a bad id.
#![cfg(target_arch = "wasm32")]

use optiscape::web::{scene_check, scene_json, scene_list};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod common;
use common::web::json;

#[wasm_bindgen_test]
fn the_list_has_every_scene_in_lecture_order_with_both_languages() {
    let list = json(&scene_list().unwrap());
    let list = list.as_array().unwrap();
    let ids: Vec<&str> = list.iter().map(|s| s["id"].as_str().unwrap()).collect();
    let core: Vec<&str> = optiscape::scene::scenes().iter().map(|s| s.id).collect();
    assert_eq!(ids, core);
    assert_eq!(ids.len(), 16);
    assert_eq!(ids[0], "saddle");
    for s in list {
        assert!(s["title"]["en"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(s["title"]["zh-CN"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(s["lab"] == "surface" || s["lab"] == "classifier", "{s}");
    }
    for id in ["softmax", "batch_time", "batchnorm", "batchnorm_eval"] {
        let s = list.iter().find(|s| s["id"] == id).unwrap();
        assert_eq!(s["lab"], "classifier", "{id}");
    }
}

#[wasm_bindgen_test]
fn a_scene_carries_its_panels_runs_and_formula() {
    let s = json(&scene_json("saddle").unwrap());
    assert_eq!(s["lab"], "surface");
    assert!(s["formula_mathml"].as_str().unwrap().starts_with("<math"));
    let panel = &s["panels"][0];
    assert_eq!(panel["runs"].as_array().unwrap().len(), 3);
    assert_eq!(panel["inspect"], serde_json::json!([0.0, 0.0]));
    assert!(panel["runs"][0]["label"]["en"].is_string());
    assert_eq!(
        json(&scene_json("ce_vs_mse").unwrap())["panels"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[wasm_bindgen_test]
fn the_saddle_claim_is_measured_and_holds() {
    let c = json(&scene_check("saddle").unwrap());
    assert_eq!(c["scene"], "saddle");
    assert_eq!(c["pass"], true, "{c}");
    let conditions = c["conditions"].as_array().unwrap();
    assert!(!conditions.is_empty());
    assert!(conditions
        .iter()
        .all(|k| k["pass"] == true && k["value"].is_number()));
}

#[wasm_bindgen_test]
fn an_unknown_scene_is_an_error_that_lists_the_known_ones() {
    for bad in ["sadle", "", "../saddle"] {
        let e = scene_json(bad).unwrap_err();
        let message: String = e.dyn_into::<js_sys::Error>().unwrap().message().into();
        assert!(
            message.contains("sadle") || message.contains("scene"),
            "{message}"
        );
        assert!(message.contains("saddle, local_minimum"), "{message}");
        assert!(scene_check(bad).is_err());
    }
}
