//! wasm-bindgen tests of the classifier's curvature bindings (`src/web/hessian.rs`,
//! `src/web/landscape_view.rs`), run by `cargo xtask test` in node and in headless Chromium:
//! what the classifier's worker and its curvature panel see of `HessianJob`, `WeightTrail`,
//! `RatioJob` and `LandscapeView`.
#![cfg(target_arch = "wasm32")]

use optiscape::web::{HessianJob, LandscapeView, Trainer, WeightTrail};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

mod common;
use common::web::{json, message, SPIRAL};

/// Trains `epochs` epochs, recording the weights after each.
fn trained(epochs: usize) -> (Trainer, WeightTrail) {
    let mut t = Trainer::new(SPIRAL).unwrap();
    let mut trail = WeightTrail::new(100).unwrap();
    assert!(trail.record(&t), "the initial weights are recorded");
    for _ in 0..epochs {
        t.run(1e9, usize::MAX, true).unwrap();
        assert!(trail.record(&t));
    }
    (t, trail)
}

#[wasm_bindgen_test]
fn the_spectrum_comes_in_slices_and_its_counts_add_up_to_the_parameters() {
    let (t, _) = trained(5);
    let mut job = HessianJob::new(&t, "{}").unwrap();
    assert_eq!(job.method(), "exact");
    assert_eq!(job.progress(), vec![0.0, 114.0]);
    assert!(job.result().is_err(), "no result before the end");
    // A zero budget computes one block of 8 columns per call.
    assert!(!job.advance(0.0).unwrap());
    assert_eq!(job.progress(), vec![8.0, 114.0]);
    let mut calls = 1;
    while !job.advance(0.0).unwrap() {
        calls += 1;
    }
    assert_eq!(calls + 1, 114usize.div_ceil(8), "one call per block");
    let r = json(&job.result().unwrap());
    let c = &r["counts"];
    let n = c["negative"].as_u64().unwrap()
        + c["zero"].as_u64().unwrap()
        + c["positive"].as_u64().unwrap();
    assert_eq!(n, 114);
    assert_eq!(r["spectrum"]["eigenvalues"].as_array().unwrap().len(), 114);
    let ratio = r["spectrum"]["minimum_ratio"].as_f64().unwrap();
    assert!((ratio - c["positive"].as_f64().unwrap() / 114.0).abs() < 1e-12);
    // The histogram holds every eigenvalue once, split by sign.
    let bins = r["chart"]["bins"].as_array().unwrap();
    let sum: u64 = bins
        .iter()
        .map(|b| {
            b["negative"].as_u64().unwrap()
                + b["zero"].as_u64().unwrap()
                + b["positive"].as_u64().unwrap()
        })
        .sum();
    assert_eq!(sum, 114);
    // A kind of point only at a critical point, decided by the core with its tolerance.
    let verdict = r["verdict"].as_str().unwrap();
    let negative = c["negative"].as_u64().unwrap();
    let positive = c["positive"].as_u64().unwrap();
    let critical = r["critical"].as_bool().unwrap();
    let gradient_norm = r["spectrum"]["gradient_norm"].as_f64().unwrap();
    assert_eq!(
        critical,
        gradient_norm <= r["gradient_tolerance"].as_f64().unwrap()
    );
    if critical {
        assert_eq!(
            verdict == "saddle",
            negative > 0 && positive > 0,
            "{verdict} with {negative} negative"
        );
    } else {
        assert_eq!(verdict, "not_critical", "‖∇L‖ = {gradient_norm}");
    }
    assert_eq!(r["lambda_min"], r["spectrum"]["eigenvalues"][0]);
}

#[wasm_bindgen_test]
fn bad_options_are_named_and_a_big_network_gets_lanczos() {
    let t = Trainer::new(SPIRAL).unwrap();
    let e = HessianJob::new(&t, r#"{"method": "exact", "bins": 3}"#)
        .err()
        .unwrap();
    assert!(message(e).contains("bins"), "unknown keys are named");
    let e = HessianJob::new(&t, r#"{"max_rows": 0}"#).err().unwrap();
    assert!(message(e).contains("max_rows"));
    let big = SPIRAL.replace("[8, 8]", "[40, 32]");
    let t = Trainer::new(&big).unwrap();
    let mut job = HessianJob::new(&t, r#"{"lanczos": {"steps": 12}}"#).unwrap();
    assert_eq!(job.method(), "lanczos");
    while !job.advance(5.0).unwrap() {}
    let r = json(&job.result().unwrap());
    assert_eq!(r["spectrum"]["method"], "lanczos");
    assert_eq!(
        r["spectrum"]["n_params"],
        2 * 40 + 40 + 40 * 32 + 32 + 32 * 2 + 2
    );
    assert!(r["chart"].is_null() && r["counts"].is_null());
    assert!(r["spectrum"]["minimum_ratio"].is_null());
    assert_eq!(r["spectrum"]["eigenvalues"].as_array().unwrap().len(), 12);
}

#[wasm_bindgen_test]
fn the_minimum_ratio_is_sampled_at_recorded_weights() {
    let (t, trail) = trained(6);
    assert_eq!(trail.len(), 7);
    assert_eq!(trail.epochs(), vec![0, 1, 2, 3, 4, 5, 6]);
    let mut job = trail.ratio_job(&t, 4, "{}").unwrap();
    assert_eq!(job.len(), 4);
    while !job.advance(10.0).unwrap() {}
    assert_eq!(job.progress(), 1.0);
    let s = json(&job.samples().unwrap());
    let s = s.as_array().unwrap();
    let epochs: Vec<u64> = s.iter().map(|p| p["epoch"].as_u64().unwrap()).collect();
    assert_eq!(epochs, vec![0, 2, 4, 6]);
    for p in s {
        let r = p["minimum_ratio"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&r));
        let signs = &p["signs"];
        let n = signs["positive"].as_u64().unwrap()
            + signs["negative"].as_u64().unwrap()
            + signs["zero"].as_u64().unwrap();
        assert_eq!(n, 114);
    }
    assert!(s[3]["loss"].as_f64().unwrap() < s[0]["loss"].as_f64().unwrap());
    // The digits-sized case is refused with the reason.
    let big = SPIRAL.replace("[8, 8]", "[40, 32]");
    let t = Trainer::new(&big).unwrap();
    let mut trail = WeightTrail::new(10).unwrap();
    trail.record(&t);
    let e = trail.ratio_job(&t, 4, "{}").err().unwrap();
    assert!(message(e).contains("at most 1000 parameters"));
}

/// Runs a landscape job to its end a row per call; returns the plane's JSON and the calls.
fn landscape(trail: &WeightTrail, t: &Trainer, options: &str) -> Result<(String, usize), JsValue> {
    let mut job = trail.landscape_job(t, options)?;
    assert!(job.result().is_err(), "no result before the end");
    let mut calls = 1;
    let mut last = job.progress();
    while !job.advance(0.0)? {
        let p = job.progress();
        assert!(p[0] > last[0] && p[1] == last[1], "{p:?} after {last:?}");
        last = p;
        calls += 1;
    }
    Ok((job.result().unwrap(), calls))
}

#[wasm_bindgen_test]
fn the_landscape_of_the_trail_is_drawn_like_a_surface() {
    let (t, trail) = trained(8);
    let (plane, calls) = landscape(&trail, &t, r#"{"method": "pca", "grid": 21}"#).unwrap();
    assert_eq!(calls, 21, "one grid row per call");
    let p = json(&plane);
    assert_eq!((p["nx"].as_u64(), p["ny"].as_u64()), (Some(21), Some(21)));
    assert_eq!(p["path"].as_array().unwrap().len(), 9, "initial + 8 epochs");
    assert!(p["explained_variance"][0].as_f64().unwrap() > 0.5);
    let mut view = LandscapeView::new(&plane).unwrap();
    let v = view.view();
    assert_eq!(v.len(), 4);
    assert!(v[0] < 0.0 && v[1] > 0.0);
    assert_eq!(view.path_x().len(), 9);
    assert_eq!(view.step(), 8);
    // The trajectory ends at the center: the current weights.
    assert_eq!(view.path_x()[8], 0.0);
    assert_eq!(view.path_y()[8], 0.0);
    let center = p["center_loss"].as_f64().unwrap();
    assert!((view.value(0.0, 0.0) - center).abs() < 0.05 * center.abs().max(1e-3));
    assert_eq!(view.render_heatmap(64, 48).unwrap(), 64 * 48 * 4);
    let segments = view.contours(10);
    assert!(!segments.is_empty() && segments.len() % 5 == 0);
    assert!(!view.contour_levels().is_empty());
    assert!(view.project_run_3d(0).is_empty(), "no 3-D view drawn yet");
    assert!(view.set_color_scale("log").is_ok());
    assert!(view.set_color_scale("rainbow").is_err());
    assert!(view.render_heatmap(1, 10).is_err());
    // Random directions name themselves; bad input is named.
    let (r, _) = landscape(&trail, &t, r#"{"method": "random", "grid": 5}"#).unwrap();
    assert_eq!(json(&r)["method"], "random");
    let e = trail.landscape_job(&t, r#"{"grid": 1}"#).err().unwrap();
    assert!(message(e).contains("grid"));
    let e = trail.landscape_job(&t, r#"{"colour": 1}"#).err().unwrap();
    assert!(message(e).contains("colour"));
    assert!(LandscapeView::new("{}").is_err());
}

#[wasm_bindgen_test]
fn a_fresh_run_has_no_trajectory_and_a_new_run_restarts_the_trail() {
    let t = Trainer::new(SPIRAL).unwrap();
    let mut trail = WeightTrail::new(10).unwrap();
    trail.record(&t);
    let e = trail.landscape_job(&t, "{}").err().unwrap();
    assert!(message(e).contains("at least one update"));
    let (t2, mut trail2) = trained(2);
    assert_eq!(trail2.len(), 3);
    let fresh = Trainer::new(SPIRAL).unwrap();
    assert!(trail2.record(&fresh), "epoch 0 again: a new run");
    assert_eq!(trail2.len(), 1);
    drop(t2);
    assert!(WeightTrail::new(2).is_err());
}

/// A job whose pieces a Cancel could not come between in time is not started on the page: the
/// Hessian and the landscape of two hidden layers of 1024 units are refused with the reason as
/// data; the spiral's small network passes the same check (the tests above).
#[wasm_bindgen_test]
fn a_network_too_large_to_stop_between_pieces_is_refused_with_the_reason() {
    let big = r#"{"data": {"name": "spiral", "n": 200, "seed": 1}, "hidden": [1024, 1024], "batch_size": 10, "epochs": 1}"#;
    let mut t = Trainer::new(big).unwrap();
    let mut trail = WeightTrail::new(10).unwrap();
    assert!(trail.record(&t));
    t.run(1e9, 1, false).unwrap();
    let get = |e: &JsValue, k: &str| js_sys::Reflect::get(e, &k.into()).unwrap().as_string();
    let e = HessianJob::new(&t, "{}").err().expect("refused");
    assert_eq!(get(&e, "kind").as_deref(), Some("too_much_work"));
    assert_eq!(get(&e, "field").as_deref(), Some("curvature_piece"));
    assert_eq!(get(&e, "raise").as_deref(), Some("smaller"));
    let e = trail.landscape_job(&t, "{}").err().expect("refused");
    assert_eq!(get(&e, "field").as_deref(), Some("landscape_piece"));
}
