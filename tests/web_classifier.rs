//! wasm-bindgen tests of the classifier's web bindings (`src/web/trainer.rs`,
//! `classifier_*.rs`), run by `cargo xtask test` in node and in headless Chromium: what the
//! classifier page and its worker see of the `Trainer`, the `Sweep`, the catalog and the check.
#![cfg(target_arch = "wasm32")]

use optiscape::web::{
    classifier_catalog, classifier_check, classifier_link_check, digits_loaded, provide_digits,
    train_summary, Sweep, Trainer,
};
use wasm_bindgen_test::*;

mod common;
use common::web::{json, message, SPIRAL};

#[wasm_bindgen_test]
fn the_catalog_lists_what_the_page_offers() {
    let c = json(&classifier_catalog().unwrap());
    assert_eq!(c["datasets"].as_array().unwrap().len(), 5);
    assert!(c["optimizers"].as_array().unwrap().len() >= 9);
    assert!(c["schedules"].as_array().unwrap().len() >= 8);
    assert_eq!(c["class_colors"].as_array().unwrap().len(), 8);
    assert!(c["digits_credit"]
        .as_str()
        .unwrap()
        .contains("10.24432/C50P49"));
    assert_eq!(c["limits"]["max_hidden_layers"], 8);
}

#[wasm_bindgen_test]
fn the_check_explains_batch_norm_with_a_batch_of_one_row_instead_of_failing() {
    let bn = SPIRAL
        .replace("\"batch_size\": 10", "\"batch_size\": 1")
        .replace("\"seed\": 0}", "\"seed\": 0, \"batchnorm\": true}");
    let c = json(&classifier_check(&bn, 160).unwrap());
    assert_eq!(c["n_train"], 100);
    assert_eq!(c["bn_single_row"], true);
    assert_eq!(c["bn_batch_size"], 2);
    // Training it is refused with torch's reason.
    let err = Trainer::new(&bn).err().expect("an error");
    assert!(message(err).contains("batch norm"));
    let ok = json(&classifier_check(SPIRAL, 160).unwrap());
    assert_eq!(ok["bn_single_row"], false);
    assert_eq!(ok["steps_per_epoch"], 10);
    assert!(classifier_check(r#"{"data": {"name": "moons"}}"#, 160).is_err());
}

/// A link may open the default network; eight hidden layers of 1024 units are refused before
/// anything is built, with the reason as data (`too_much_work`, raised by the page's controls),
/// and the check tells the page's controls that they go over the link limit.
#[wasm_bindgen_test]
fn a_link_to_a_huge_network_is_refused_with_the_reason_before_anything_is_built() {
    classifier_link_check(SPIRAL, 160).unwrap();
    let huge = r#"{"data": {"name": "spiral", "n": 2000}, "hidden": [1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024], "activation": "relu"}"#;
    let started = js_sys::Date::now();
    let e = classifier_link_check(huge, 160).unwrap_err();
    assert!(js_sys::Date::now() - started < 2000.0);
    let get = |k: &str| js_sys::Reflect::get(&e, &k.into()).unwrap().as_string();
    assert_eq!(get("kind").as_deref(), Some("too_much_work"));
    assert_eq!(get("field").as_deref(), Some("classifier"));
    assert_eq!(get("unit").as_deref(), Some("multiply_adds"));
    assert_eq!(get("raise").as_deref(), Some("controls"));
    let c = json(&classifier_check(huge, 160).unwrap());
    assert_eq!(c["work"]["over_link"], true);
    assert!(c["work"]["n_params"].as_u64().unwrap() > 7_000_000);
    assert_eq!(
        json(&classifier_check(SPIRAL, 160).unwrap())["work"]["over_link"],
        false
    );
}

#[wasm_bindgen_test]
fn a_trainer_steps_within_its_limits_and_reports_epochs() {
    let mut t = Trainer::new(SPIRAL).unwrap();
    let info = json(&t.info().unwrap());
    assert_eq!(
        (info["n_train"].as_u64(), info["steps_per_epoch"].as_u64()),
        (Some(100), Some(10))
    );
    assert_eq!(info["plane"], serde_json::json!([-6.0, 6.0, -6.0, 6.0]));
    let one = json(&t.run(1e9, 1, false).unwrap());
    assert_eq!(
        (one["steps"].as_u64(), one["epochs_done"].as_u64()),
        (Some(1), Some(0))
    );
    let epoch = json(&t.run(1e9, 1_000_000, true).unwrap());
    assert_eq!(epoch["steps"], 9);
    let m = &epoch["epochs"][0];
    assert_eq!(m["epoch"], 1);
    assert!(m["train"]["accuracy"].as_f64().unwrap() <= 1.0);
    assert!(
        m["seconds_per_update"].as_f64().unwrap() >= 0.0,
        "timed with performance.now()"
    );
    assert!(m["recent_seconds_per_epoch"].as_f64().is_some());
    // A tiny budget still takes at least one update.
    let r = json(&t.run(0.0, 1_000_000, false).unwrap());
    assert_eq!(r["steps"], 1);
    assert_eq!(json(&t.history().unwrap()).as_array().unwrap().len(), 1);
}

#[wasm_bindgen_test]
fn training_learns_two_gaussians() {
    let cfg = SPIRAL.replace("spiral", "gauss");
    let mut t = Trainer::new(&cfg).unwrap();
    let mut last = serde_json::Value::Null;
    for _ in 0..20 {
        let r = json(&t.run(1e9, 1_000_000, true).unwrap());
        last = r["epochs"][0].clone();
    }
    assert!(last["train"]["accuracy"].as_f64().unwrap() > 0.9, "{last}");
}

#[wasm_bindgen_test]
fn pictures_have_their_sizes() {
    let mut t = Trainer::new(SPIRAL).unwrap();
    assert_eq!(t.render_boundary(32, false).unwrap(), 32 * 32 * 4);
    assert_ne!(t.boundary_ptr(), 0);
    assert!(t.render_boundary(0, true).is_err());
    assert_eq!(t.train_points().len(), 200);
    assert_eq!(t.test_labels().len(), 100);
    assert!(
        t.render_digits(10, 5, false).is_err(),
        "no digits in a spiral"
    );

    provide_digits(include_bytes!("../data/digits.bin").to_vec()).unwrap();
    let mut d = Trainer::new(r#"{"data": {"name": "digits"}, "hidden": [16]}"#).unwrap();
    assert!(d.render_boundary(32, false).is_err(), "no plane for digits");
    assert_eq!(d.render_digits(60, 12, true).unwrap(), vec![96, 40]);
    let p = d.test_predictions().unwrap();
    assert_eq!(p.len(), 360);
    let c = d.confusion().unwrap();
    assert_eq!(c.len(), 100);
    assert_eq!(c.iter().sum::<u32>(), 360);
}

#[wasm_bindgen_test]
fn a_large_learning_rate_diverges_as_data() {
    let cfg = SPIRAL
        .replace("\"adam\", \"lr\": 0.01", "\"sgd\", \"lr\": 1e300")
        .replace("\"hidden\"", "\"activation\": \"linear\", \"hidden\"");
    let mut t = Trainer::new(&cfg).unwrap();
    let mut diverged = false;
    for _ in 0..20 {
        diverged = json(&t.run(1e9, 100, false).unwrap())["diverged"] == true;
        if diverged {
            break;
        }
    }
    assert!(diverged && t.diverged());
    assert_eq!(json(&t.run(1e9, 10, false).unwrap())["steps"], 0);
}

#[wasm_bindgen_test]
fn the_sweep_fills_one_row_per_size() {
    let cfg = format!(r#"{{"base": {SPIRAL}, "batch_sizes": [1, 10, 1000000], "epochs": 2}}"#);
    let mut s = Sweep::new(&cfg).unwrap();
    assert_eq!(s.n_train(), 100);
    while !s.advance(5.0).unwrap() {
        assert!(s.progress() < 1.0);
    }
    assert!(s.is_done());
    let rows = json(&s.rows().unwrap());
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2]["full_batch"], true);
    assert_eq!(rows[2]["grad_noise"], 0.0);
    assert_eq!(rows[0]["steps_per_epoch"], 100);
    assert!(rows[0]["seconds_per_update"].as_f64().is_some());
    assert!(Sweep::new(r#"{"base": {}, "batch_sizes": [], "epochs": 1}"#).is_err());
}

#[wasm_bindgen_test]
fn the_bench_entry_trains_a_whole_run() {
    let cfg = SPIRAL.replace(
        "\"seed\": 0}",
        "\"seed\": 0, \"epochs\": 3, \"noise_batches\": 0}",
    );
    let s = json(&train_summary(&cfg).unwrap());
    assert_eq!(
        (s["updates"].as_u64(), s["epochs"].as_u64()),
        (Some(30), Some(3))
    );
}

#[wasm_bindgen_test]
fn the_digits_come_from_the_page_and_are_checked() {
    assert!(provide_digits(b"DGT1 but not really".to_vec()).is_err());
    assert!(provide_digits(Vec::new()).is_err());
    provide_digits(include_bytes!("../data/digits.bin").to_vec()).unwrap();
    assert!(digits_loaded());
    let c =
        json(&classifier_check(r#"{"data": {"name": "digits"}, "hidden": [16]}"#, 160).unwrap());
    assert_eq!(c["n_train"], 1437);
    assert_eq!(c["n_test"], 360);
}

// ---- the WebGPU backend's side of the Trainer (src/web/gpu.rs) ------------------------------

#[wasm_bindgen_test]
fn the_gpu_plan_lays_the_network_out_and_says_what_stays_on_the_cpu() {
    let cfg = SPIRAL.replace(
        "\"hidden\": [8, 8]",
        "\"hidden\": [8, 8], \"batchnorm\": true",
    );
    let t = Trainer::new(&cfg).unwrap();
    let p = json(&t.gpu_plan().unwrap());
    assert_eq!(p["supported"], true);
    assert_eq!(p["optimizer"]["kind"], "adam");
    let layers = p["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 3);
    // 2-8-8-2 with batch norm on the hidden layers: (2+1+2)·8 + (8+1+2)·8 + (8+1)·2.
    assert_eq!(p["n_params"], 146);
    assert_eq!(p["n_running"], 32);
    assert_eq!(layers[1]["running"], 146 + 16);
    assert_eq!(layers[2]["bn"], serde_json::Value::Null);
    assert_eq!(t.gpu_params().len(), 146 + 32);
    assert_eq!(t.gpu_features(false).len(), 2 * 100);
    assert_eq!(t.gpu_labels(true).len(), 100);
    // Adam before its first step: t = 0 and three zero slots.
    assert_eq!(t.gpu_optimizer_state(), vec![0.0; 1 + 3 * 146]);
    for (opt, reason) in [
        (r#"{"name": "nadam"}"#, "optimizer"),
        (r#"{"name": "rmsprop", "variant": "lecture"}"#, "variant"),
    ] {
        let c = SPIRAL.replace(r#"{"name": "adam", "lr": 0.01}"#, opt);
        let p = json(&Trainer::new(&c).unwrap().gpu_plan().unwrap());
        assert_eq!(
            (p["supported"].as_bool(), p["reason"].as_str()),
            (Some(false), Some(reason))
        );
    }
}

/// The spec table's `gpu` column decides: every row with one is planned for the shaders with
/// the table's kernel and state slots (and that many slots of state come back); every row
/// without one stays on the CPU.
#[wasm_bindgen_test]
fn every_gpu_row_has_a_kernel() {
    let c = json(&classifier_catalog().unwrap());
    for row in c["optimizers"].as_array().unwrap() {
        let mut opt = serde_json::json!({"name": row["name"]});
        if !row["variant"].is_null() {
            opt["variant"] = row["variant"].clone();
        }
        if row["lr_role"] == "factor" {
            opt["lr"] = serde_json::json!(1.0);
        }
        let cfg = SPIRAL.replace(r#"{"name": "adam", "lr": 0.01}"#, &opt.to_string());
        let t = Trainer::new(&cfg).unwrap();
        let p = json(&t.gpu_plan().unwrap());
        if row["gpu"].is_null() {
            assert_eq!(p["supported"], false, "{row}");
        } else {
            assert_eq!(p["supported"], true, "{row}");
            assert_eq!(p["optimizer"]["kernel"], row["gpu"]["kernel"], "{row}");
            assert_eq!(p["optimizer"]["slots"], row["gpu"]["slots"], "{row}");
            let slots = row["gpu"]["slots"].as_u64().unwrap() as usize;
            let n = p["n_params"].as_u64().unwrap() as usize;
            assert_eq!(t.gpu_optimizer_state().len(), 1 + slots * n, "{row}");
        }
    }
}

#[wasm_bindgen_test]
fn gpu_chunks_are_recorded_as_the_cpus_updates_are() {
    let mut t = Trainer::new(SPIRAL).unwrap();
    let next = json(&t.gpu_next(3).unwrap());
    assert_eq!(next["order"].as_array().unwrap().len(), 100);
    assert_eq!(next["steps"].as_array().unwrap().len(), 3);
    assert_eq!(next["steps"][2]["start"], 20);
    let r = json(&t.gpu_chunk(0, vec![0.7, 0.6, 0.5], vec![], vec![]).unwrap());
    assert_eq!(
        (r["steps"].as_u64(), r["steps_done"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(r["loss"], 0.5);
    // The rest of the epoch (10 batches of 10), its eval passes and the weights.
    let next = json(&t.gpu_next(100).unwrap());
    assert_eq!(next["steps"].as_array().unwrap().len(), 7);
    assert_eq!(next["ends_epoch"], true);
    assert_eq!(next["order"], serde_json::Value::Null);
    let state = t.gpu_params();
    let r = json(
        &t.gpu_chunk(
            3,
            vec![0.4; 7],
            state.clone(),
            vec![0.5, 80.0, 0.6, 70.0, 0.001],
        )
        .unwrap(),
    );
    let e = &r["epochs"][0];
    assert_eq!(
        (
            e["train"]["correct"].as_u64(),
            e["test"]["correct"].as_u64()
        ),
        (Some(80), Some(70))
    );
    assert_eq!(e["train"]["accuracy"], 0.8);
    assert!((e["train_loss"].as_f64().unwrap() - (0.7 + 0.6 + 0.5 + 2.8) / 10.0).abs() < 1e-12);
    assert_eq!(e["seconds_per_epoch"], 0.001);
    // Bad input is refused with what was expected.
    let m = message(t.gpu_chunk(0, vec![0.1; 20], vec![], vec![]).unwrap_err());
    assert!(m.contains("losses"), "{m}");
    t.gpu_next(1).unwrap();
    let m = message(t.gpu_chunk(0, vec![0.3], vec![1.0; 3], vec![]).unwrap_err());
    assert!(m.contains("state"), "{m}");
    let m = message(t.gpu_handover(vec![], vec![1.0, 2.0]).unwrap_err());
    assert!(m.contains("optimizer state"), "{m}");
    // A non-finite loss from the GPU stops the run as on the CPU.
    let r = json(&t.gpu_chunk(0, vec![f64::NAN], vec![], vec![]).unwrap());
    assert_eq!(r["diverged"], true);
    let r = json(&t.gpu_handover(state, vec![]).unwrap());
    assert_eq!(r["steps_done"], 11);
}

/// A wide network's boundary is painted in pieces (the fuzzer's capacity overflow: a large
/// picture through 1024 units at once was gigabytes of activations), at most at the side its
/// picture budget allows; a side past the largest is an error.
#[wasm_bindgen_test]
fn a_wide_network_paints_its_boundary_in_bounded_pieces() {
    let mut t = Trainer::new(r#"{"data": {"name": "xor", "n": 100}, "hidden": [1024]}"#).unwrap();
    // 5122 parameters: the picture budget (2e9 multiply-adds) gives at most 624² pixels.
    assert_eq!(t.boundary_side(8193), 624);
    assert_eq!(t.render_boundary(40, false).unwrap(), 40 * 40 * 4);
    assert_eq!(t.painted_side(), 40);
    assert!(t.render_boundary(8193, false).is_err());
}
