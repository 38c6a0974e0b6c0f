//! wasm-bindgen tests of the web bindings (`src/web/`), run by `cargo xtask test` in node and
//! in headless Chromium: what JS sees of the `Lab`, the catalogs and the errors.
#![cfg(target_arch = "wasm32")]

use optiscape::web::{final_point, optimizers, presets, Lab};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

fn prop(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &key.into()).expect("an object")
}

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).expect("valid JSON")
}

#[wasm_bindgen_test]
fn presets_are_listed_with_views() {
    let list = json(&presets().unwrap());
    let list = list.as_array().unwrap();
    assert!(list.len() >= 14);
    let rosenbrock = list
        .iter()
        .find(|p| p["id"] == "rosenbrock")
        .expect("rosenbrock");
    assert!(rosenbrock["name_en"].is_string());
    assert_eq!(rosenbrock["view"]["x"].as_array().unwrap().len(), 2);
}

#[wasm_bindgen_test]
fn optimizers_are_listed() {
    let list = json(&optimizers().unwrap());
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    for name in [
        "sgd", "adagrad", "rmsprop", "adam", "adamw", "nadam", "radam", "adamax", "adadelta",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
}

#[wasm_bindgen_test]
fn a_preset_sets_its_view_and_start() {
    let mut lab = Lab::new().unwrap();
    lab.set_surface("rosenbrock").unwrap();
    let p = optiscape::surface::preset("rosenbrock").unwrap();
    assert_eq!(
        lab.view(),
        vec![p.view.x[0], p.view.x[1], p.view.y[0], p.view.y[1]]
    );
    assert_eq!(lab.preset_start(), p.start.to_vec());
    assert_eq!(lab.formula(), p.formula);
    assert_eq!(lab.value(1.0, 1.0), 0.0);
}

#[wasm_bindgen_test]
fn a_bad_formula_throws_a_formula_error_with_its_span() {
    let mut lab = Lab::new().unwrap();
    let before = lab.formula();
    let err = lab.set_surface("2x+").err().expect("an error");
    assert_eq!(prop(&err, "name"), "FormulaError");
    let message = prop(&err, "message").as_string().unwrap();
    assert!(!message.is_empty());
    let (start, end) = (
        prop(&err, "start").as_f64().unwrap(),
        prop(&err, "end").as_f64().unwrap(),
    );
    assert!(start <= end && end <= 3.0, "span {start}..{end}");
    // A failed edit leaves the surface as it was.
    assert_eq!(lab.formula(), before);
}

#[wasm_bindgen_test]
fn the_heatmap_is_rgba_of_the_asked_size() {
    let mut lab = Lab::new().unwrap();
    lab.set_surface("x^2 + y^2").unwrap();
    assert_eq!(lab.render_heatmap(64, 32).unwrap(), 64 * 32 * 4);
    assert_ne!(lab.heatmap_ptr(), 0);
    assert!(lab.render_heatmap(0, 10).is_err());
    assert!(lab.render_heatmap(10, 1 << 20).is_err());
}

#[wasm_bindgen_test]
fn contours_are_flat_segments_inside_the_view() {
    let mut lab = Lab::new().unwrap();
    lab.set_surface("rosenbrock").unwrap();
    let segments = lab.contours(64, 64, 10).unwrap();
    assert!(!segments.is_empty());
    assert_eq!(segments.len() % 5, 0);
    let v = lab.view();
    for s in segments.chunks(5) {
        assert!((0.0..10.0).contains(&s[0]));
        for p in [[s[1], s[2]], [s[3], s[4]]] {
            assert!(
                p[0] >= v[0] - 1e-9
                    && p[0] <= v[1] + 1e-9
                    && p[1] >= v[2] - 1e-9
                    && p[1] <= v[3] + 1e-9
            );
        }
    }
}

fn run(lab: &mut Lab, lr: f64) -> usize {
    let cfg = format!(
        r#"{{"surface":"rosenbrock","start":[-1.5,2.0],"steps":200,"optimizer":{{"name":"adam","lr":{lr}}}}}"#
    );
    lab.set_run(&cfg).unwrap()
}

#[wasm_bindgen_test]
fn a_run_gives_a_trajectory_that_depends_on_the_learning_rate() {
    let mut lab = Lab::new().unwrap();
    assert_eq!(run(&mut lab, 0.01), 201);
    let (x, y, loss) = (
        lab.trajectory_x(),
        lab.trajectory_y(),
        lab.trajectory_loss(),
    );
    assert_eq!(
        (x.len(), y.len(), loss.len(), lab.trajectory_lr().len()),
        (201, 201, 201, 200)
    );
    assert_eq!((x[0], y[0]), (-1.5, 2.0));
    assert_eq!(lab.diverged_at(), None);
    run(&mut lab, 0.1);
    assert_ne!(lab.trajectory_x()[200], x[200]);
}

#[wasm_bindgen_test]
fn bad_configs_and_views_are_errors_not_panics() {
    let mut lab = Lab::new().unwrap();
    assert!(lab.set_run("{").is_err());
    assert!(lab
        .set_run(r#"{"surface":"x^2","start":[0,0],"steps":5,"optimizer":{"name":"nope"}}"#)
        .is_err());
    assert!(lab
        .set_run(r#"{"surface":"x^2","start":[0,0],"steps":5,"optimizer":{"name":"sgd","lr":-1}}"#)
        .is_err());
    assert!(lab.set_view(1.0, 0.0, 0.0, 1.0).is_err());
    assert!(lab.set_view(0.0, f64::NAN, 0.0, 1.0).is_err());
    assert!(lab.set_view(-1.0, 1.0, -2.0, 2.0).is_ok());
}

#[wasm_bindgen_test]
fn a_long_run_keeps_only_its_end() {
    let end = final_point("x^2 + y^2", r#"{"name":"sgd","lr":0.1}"#, 1.0, -1.0, 100).unwrap();
    assert_eq!(end.len(), 3);
    // Plain gradient descent on x²+y² with lr 0.1 shrinks the point by 0.8 per step.
    assert!((end[0] - 0.8f64.powi(100)).abs() < 1e-15);
    assert!(final_point("2x", r#"{"name":"sgd"}"#, 0.0, 0.0, 1).is_err());
}
