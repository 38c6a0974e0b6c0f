//! wasm-bindgen tests of the export and phase-diagram bindings (`src/web/export_code.rs`,
//! `src/web/phase.rs`), run by `cargo xtask test` in node and in headless Chromium: the PyTorch
//! script of a run, what a phase diagram can sweep, a sweep advanced in chunks to its image and
//! scale, and the errors JS sees for bad input.
#![cfg(target_arch = "wasm32")]

use optiscape::web::{
    phase_axes, phase_axis_fraction, phase_colorbar, phase_target, torch_code, PhaseSweep,
};
use wasm_bindgen_test::*;

mod common;
use common::web::{json, message};

const RUN: &str = r#"{"surface":"bowl","start":[1,1],"steps":100,"bound":1e6,
    "optimizer":{"name":"sgd","lr":0.1,"momentum":0.5}}"#;

#[wasm_bindgen_test]
fn the_torch_script_is_the_cli_script_with_the_runs_lr() {
    let code = torch_code(
        r#"{"surface":"rosenbrock","start":[-1.5,2],"steps":300,"optimizer":{"name":"adam","lr":0.02},
            "schedule":{"name":"cosine","t_max":300}}"#,
    )
    .unwrap();
    assert!(code.contains("torch.optim.Adam([p]"), "{code}");
    assert!(code.contains("lr=0.02"));
    assert!(code.contains("torch.optim.lr_scheduler.CosineAnnealingLR(opt"));
    assert!(code.contains("print(json.dumps(out))"));
    let cfg = optiscape::config::RunConfig::from_json(
        r#"{"surface":"rosenbrock","start":[-1.5,2],"steps":300,"optimizer":{"name":"adam","lr":0.02},
            "schedule":{"name":"cosine","t_max":300}}"#,
    )
    .unwrap();
    assert_eq!(code, optiscape::export::torch_code(&cfg).unwrap());
}

#[wasm_bindgen_test]
fn a_bad_run_names_the_field() {
    let e = message(
        torch_code(
            r#"{"surface":"bowl","start":[1,1],"steps":10,"optimizer":{"name":"sgd","lr":-1}}"#,
        )
        .unwrap_err(),
    );
    assert!(e.contains("lr"), "{e}");
    let e = message(torch_code("{").unwrap_err());
    assert!(e.contains("invalid config"), "{e}");
}

#[wasm_bindgen_test]
fn the_axes_offer_lr_first_and_momentum_with_ranges() {
    let axes = json(&phase_axes(RUN).unwrap());
    let axes = axes.as_array().unwrap();
    assert_eq!(axes[0]["path"], "optimizer.lr");
    assert_eq!(axes[0]["log"], true);
    assert_eq!(axes[0]["value"], 0.1);
    let m = axes
        .iter()
        .find(|a| a["path"] == "optimizer.momentum")
        .unwrap();
    assert_eq!(
        (m["min"].as_f64(), m["max"].as_f64()),
        (Some(0.0), Some(0.99))
    );
    assert_eq!(m["value"], 0.5);
    // bowl: f = x² + y², minimum 0 → target 1e-3 above it
    let t = phase_target(RUN, -2.0, 2.0, -2.0, 2.0).unwrap();
    assert!((t - 1e-3).abs() < 1e-9, "{t}");
}

#[wasm_bindgen_test]
fn a_sweep_runs_in_chunks_to_its_image_and_scale() {
    let run = RUN.replace(r#""steps":100"#, r#""steps":200"#);
    let cfg = format!(
        r#"{{"run":{run},"x":{{"path":"optimizer.lr","min":0.01,"max":3,"n":12,"log":true}},
            "y":{{"path":"optimizer.momentum","min":0,"max":0.9,"n":4}},"target_loss":1e-6}}"#
    );
    let mut s = PhaseSweep::new(&cfg).unwrap();
    assert_eq!((s.cols(), s.rows(), s.rows_done()), (12, 4, 0));
    // a zero budget still runs one row per call
    assert!(!s.advance(0.0).unwrap());
    assert_eq!(s.rows_done(), 1);
    s.finish().unwrap();
    assert_eq!(s.rows_done(), 4);
    assert!(s.advance(10.0).unwrap());
    let diverged = s.diverged_at();
    assert_eq!(diverged.len(), 48);
    // GD with momentum β on x² + y² is stable for lr < 1 + β
    let (xs, ys) = (s.x_values(), s.y_values());
    for j in 0..4 {
        for i in 0..12 {
            assert_eq!(diverged[j * 12 + i] >= 0.0, xs[i] > 1.0 + ys[j] + 1e-9);
        }
    }
    let rgba = s.render("final_loss").unwrap();
    assert_eq!(rgba.len(), 48 * 4);
    let scale = json(&s.scale_json().unwrap());
    assert_eq!(scale["cells"], 48);
    assert_eq!(
        scale["diverged"].as_u64().unwrap() as usize,
        diverged.iter().filter(|d| **d >= 0.0).count()
    );
    assert_eq!(scale["log"], true);
    // the top-right cell (largest lr and momentum) diverged: vermillion
    assert_eq!(&rgba[11 * 4..12 * 4], &[213, 94, 0, 255]);
    let steps = s.steps_to_target();
    assert_eq!(
        steps[0], -1.0,
        "lr 0.01 without momentum never reaches 1e-6 in 200 steps"
    );
    assert!(steps.iter().any(|k| (0.0..20.0).contains(k)));
    assert!(s.render("nope").is_err());
    // the marker of lr = 0.01 sits at the centre of the first cell
    assert!((phase_axis_fraction(0.01, 3.0, 12, true, 0.01) - 0.5 / 12.0).abs() < 1e-12);
    assert_eq!(phase_colorbar(16).len(), 64);
}

#[wasm_bindgen_test]
fn bad_sweeps_are_refused_with_the_field_named() {
    for (axes, needle) in [
        (
            r#""x":{"path":"optimizer.lr","min":1,"max":0.1,"n":4},"y":{"path":"optimizer.momentum","min":0,"max":0.9,"n":4}"#,
            "x.min/max",
        ),
        (
            r#""x":{"path":"optimizer.lr","min":0.1,"max":1,"n":4},"y":{"path":"optimizer.lr","min":0.1,"max":1,"n":4}"#,
            "y.path",
        ),
        (
            r#""x":{"path":"optimizer.lrr","min":0.1,"max":1,"n":4},"y":{"path":"optimizer.momentum","min":0,"max":0.9,"n":4}"#,
            "lrr",
        ),
    ] {
        let cfg = format!(r#"{{"run":{RUN},{axes},"target_loss":0.1}}"#);
        let e = PhaseSweep::new(&cfg).err().map(message).unwrap_or_default();
        assert!(e.contains(needle), "{needle}: {e}");
    }
    let e = PhaseSweep::new("[]").err().map(message).unwrap_or_default();
    assert!(e.contains("invalid sweep config"), "{e}");
}
