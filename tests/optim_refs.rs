//! The optimizers and schedules against PyTorch float64 reference trajectories
//! (tests/refs/optim_trajectories.json), independently of the formula engine: every step
//! starts from the reference point with the reference gradient.
//! Native and wasm32 alike (`cargo xtask test` runs it in node for the baseline and the SIMD
//! builds of the wasm).

use optiscape::optim::{Optimizer, OptimizerConfig, ScheduleConfig};
use serde::Deserialize;

#[derive(Deserialize)]
struct File {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    case: Setup,
    x: Vec<f64>,
    y: Vec<f64>,
    gx: Vec<f64>,
    gy: Vec<f64>,
    lr: Vec<f64>,
    momentum: Option<Vec<f64>>,
    diverged_at: Option<usize>,
}

/// The `case` object as it stands; the optimizer and schedule go through their own serde impls.
#[derive(Deserialize)]
#[allow(dead_code)]
struct Setup {
    id: String,
    surface: String,
    start: [f64; 2],
    steps: usize,
    optimizer: OptimizerConfig,
    schedule: Option<ScheduleConfig>,
    expect_diverge: bool,
    note: String,
}

const TOL: f64 = 1e-10;

fn close(got: f64, want: f64) -> bool {
    (got - want).abs() <= TOL * want.abs().max(1.0)
}

fn load() -> Vec<Case> {
    let text = include_str!("refs/optim_trajectories.json");
    let file: File = serde_json::from_str(text).expect("parse optim_trajectories.json");
    file.cases
}

/// Replay one case; returns the first mismatch as text.
fn replay(c: &Case) -> Result<(), String> {
    let id = &c.case.id;
    let mut opt = Optimizer::new(&c.case.optimizer, c.case.schedule.as_ref(), 2)
        .map_err(|e| format!("{id}: Optimizer::new failed: {e}"))?;
    let points = c.x.len();
    if let Some(d) = c.diverged_at {
        assert_eq!(points, d, "{id}: a diverged run records diverged_at points");
        assert_eq!(
            c.lr.len(),
            d,
            "{id}: a diverged run records diverged_at lrs"
        );
    } else {
        assert_eq!(points, c.case.steps + 1, "{id}: N+1 points");
        assert_eq!(c.lr.len(), c.case.steps, "{id}: N lrs");
    }
    for t in 0..c.lr.len() {
        if !close(opt.lr(), c.lr[t]) {
            return Err(format!(
                "{id}: lr[{t}] = {:e}, torch {:e}",
                opt.lr(),
                c.lr[t]
            ));
        }
        match (&c.momentum, opt.momentum()) {
            (Some(m), Some(got)) if !close(got, m[t]) => {
                return Err(format!("{id}: momentum[{t}] = {got}, torch {}", m[t]));
            }
            (Some(_), None) => return Err(format!("{id}: momentum() is None at {t}")),
            (None, Some(got)) => return Err(format!("{id}: momentum() = {got}, none expected")),
            _ => {}
        }
        if t + 1 >= points {
            break; // diverged: the next point was not finite
        }
        let mut p = [c.x[t], c.y[t]];
        opt.step(&mut p, &[c.gx[t], c.gy[t]]);
        let (want_x, want_y) = (c.x[t + 1], c.y[t + 1]);
        if !close(p[0], want_x) || !close(p[1], want_y) {
            return Err(format!(
                "{id}: step {t}: ({}, {}), torch ({want_x}, {want_y}); diff ({:e}, {:e})",
                p[0],
                p[1],
                p[0] - want_x,
                p[1] - want_y
            ));
        }
    }
    Ok(())
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn all_43_cases_match_torch() {
    let cases = load();
    assert_eq!(cases.len(), 43);
    let failures: Vec<String> = cases.iter().filter_map(|c| replay(c).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from torch:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn every_optimizer_and_schedule_kind_is_covered() {
    let cases = load();
    let mut names: Vec<String> = cases
        .iter()
        .map(|c| {
            let o = &c.case.optimizer;
            format!(
                "{}{}",
                o.name(),
                o.variant().map(|v| format!("/{v}")).unwrap_or_default()
            )
        })
        .collect();
    names.sort();
    names.dedup();
    for want in [
        "sgd",
        "adagrad",
        "rmsprop",
        "adam",
        "adamw",
        "nadam",
        "radam",
        "adamax",
        "adadelta",
        "adagrad/lecture",
        "rmsprop/lecture",
    ] {
        assert!(
            names.iter().any(|n| n == want),
            "no reference case for {want}"
        );
    }
    let schedules: Vec<&str> = cases
        .iter()
        .filter_map(|c| c.case.schedule.as_ref().map(|s| s.name()))
        .collect();
    for want in [
        "step",
        "exponential",
        "cosine",
        "linear",
        "sequential",
        "onecycle",
    ] {
        assert!(
            schedules.contains(&want),
            "no reference case for schedule {want}"
        );
    }
}

/// The configs echo (Serialize) and read back to the same value.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn reference_configs_round_trip_through_json() {
    for c in load() {
        let o = &c.case.optimizer;
        let back: OptimizerConfig = serde_json::from_value(serde_json::to_value(o).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", c.case.id));
        assert_eq!(&back, o, "{}", c.case.id);
        if let Some(s) = &c.case.schedule {
            let text = serde_json::to_string(s).unwrap();
            let back: ScheduleConfig = serde_json::from_str(&text).unwrap();
            assert_eq!(&back, s, "{}", c.case.id);
        }
    }
}

/// The test can fail: a slightly different lr moves the trajectory out of tolerance.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn a_perturbed_config_is_detected() {
    let cases = load();
    let c = cases
        .iter()
        .find(|c| c.case.id.starts_with("s18_"))
        .expect("s18 exists");
    let mut value = serde_json::to_value(&c.case.optimizer).unwrap();
    value["lr"] = serde_json::json!(0.05 * (1.0 + 1e-8));
    let perturbed = Case {
        case: Setup {
            optimizer: OptimizerConfig::from_json(&value).unwrap(),
            schedule: None,
            id: c.case.id.clone(),
            surface: String::new(),
            start: c.case.start,
            steps: c.case.steps,
            expect_diverge: false,
            note: String::new(),
        },
        x: c.x.clone(),
        y: c.y.clone(),
        gx: c.gx.clone(),
        gy: c.gy.clone(),
        lr: c.lr.clone(),
        momentum: None,
        diverged_at: None,
    };
    assert!(replay(&perturbed).is_err());
}

/// The MLP training runs (tests/refs/mlp.json) record the lr of every step; their optimizer
/// and schedule objects read as they stand and the schedules match torch.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn mlp_training_lrs_match_torch() {
    let text = include_str!("refs/mlp.json");
    let file: serde_json::Value = serde_json::from_str(text).expect("parse mlp.json");
    let mut checked = 0;
    for c in file["cases"].as_array().expect("cases") {
        if c["kind"] != "train_steps" {
            continue;
        }
        let id = c["id"].as_str().unwrap_or("?");
        let opt_cfg = OptimizerConfig::from_json(&c["optimizer"]).expect(id);
        let sched = match &c["schedule"] {
            serde_json::Value::Null => None,
            s => Some(ScheduleConfig::from_json(s).expect(id)),
        };
        let mut opt = Optimizer::new(&opt_cfg, sched.as_ref(), 1).expect(id);
        let want: Vec<f64> = serde_json::from_value(c["expect"]["lr"].clone()).expect(id);
        for (t, w) in want.iter().enumerate() {
            assert!(
                close(opt.lr(), *w),
                "{id}: lr[{t}] = {}, torch {w}",
                opt.lr()
            );
            opt.step(&mut [0.5], &[0.25]);
        }
        if let Some(s) = &sched {
            let lrs = s.lrs(opt_cfg.lr(), want.len()).expect(id);
            assert!(
                lrs.iter().zip(&want).all(|(a, b)| close(*a, *b)),
                "{id}: lrs()"
            );
        }
        checked += 1;
    }
    assert!(
        checked >= 4,
        "expected the train_steps cases, found {checked}"
    );
}
