//! The command line as a user runs it: real processes, real exit codes, real output.
#![cfg(not(target_arch = "wasm32"))]

use serde_json::Value;
use std::process::{Command, Output};

mod common;
use common::optiscape;

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

#[test]
fn trajectory_of_a_reference_case_from_stdin() {
    let data: Value = serde_json::from_str(include_str!("refs/optim_trajectories.json")).unwrap();
    let case = &data["cases"][36]; // s37: onecycle with cycled momentum
    assert_eq!(
        case["case"]["id"],
        "s37_sched_onecycle_sgd_momentum_himmelblau"
    );
    let out = json(&optiscape(
        &["trajectory", "--config", "-"],
        &case["case"].to_string(),
    ));
    for key in ["x", "y", "loss", "gx", "gy", "lr", "momentum"] {
        assert_eq!(
            out[key].as_array().unwrap().len(),
            case[key].as_array().unwrap().len(),
            "{key}"
        );
    }
    assert_eq!(out["diverged_at"], Value::Null);
    let (a, b) = (
        out["x"][200].as_f64().unwrap(),
        case["x"][200].as_f64().unwrap(),
    );
    assert!((a - b).abs() <= 1e-10 * b.abs().max(1.0));
}

#[test]
fn a_diverging_run_reports_its_step_and_omits_momentum() {
    let cfg = r#"{"surface":"(1-x)^2+100*(y-x^2)^2","start":[-2,2],"steps":100,"optimizer":{"name":"sgd","lr":0.01}}"#;
    let out = json(&optiscape(&["trajectory", "--config", "-"], cfg));
    assert_eq!(out["diverged_at"], 5);
    assert_eq!(out["x"].as_array().unwrap().len(), 5);
    assert!(out.get("momentum").is_none());
}

#[test]
fn csv_has_one_row_per_state() {
    let cfg = r#"{"surface":"bowl","start":[1,1],"steps":3,"optimizer":{"name":"sgd","lr":0.1}}"#;
    let out = optiscape(&["trajectory", "--config", "-", "--format", "csv"], cfg);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "step,x,y,loss,gx,gy,lr");
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[1], "0,1,1,2,2,2,0.1");
    assert!(
        lines[4].ends_with(','),
        "the last state has no step: {}",
        lines[4]
    );
}

#[test]
fn bad_configs_exit_non_zero_with_one_line() {
    let cases = [
        (
            r#"{"surface":"bowl","start":[0,0],"steps":10,"optimizer":{"name":"adamm"}}"#,
            "adamm",
        ),
        (
            r#"{"surface":"bowl","start":[0,0],"steps":"ten","optimizer":{"name":"adam"}}"#,
            "invalid type",
        ),
        (
            r#"{"surface":"bowl","start":[NaN,0],"steps":10,"optimizer":{"name":"adam"}}"#,
            "invalid config",
        ),
        (
            r#"{"surface":"bowl","start":[0,0],"steps":20000000,"optimizer":{"name":"adam"}}"#,
            "steps",
        ),
        (
            r#"{"surface":"sni(x)","start":[0,0],"steps":10,"optimizer":{"name":"adam"}}"#,
            "did you mean `sin`",
        ),
        ("not json", "invalid config"),
    ];
    for (cfg, needle) in cases {
        let out = optiscape(&["trajectory", "--config", "-"], cfg);
        assert_eq!(out.status.code(), Some(2), "{cfg}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains(needle), "{cfg}: {err}");
    }
    let out = optiscape(&["trajectory", "--config", "/no/such/file.json"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/file.json"));
}

#[test]
fn critical_points_of_a_preset_and_a_formula() {
    let out = json(&optiscape(&["critical", "--surface", "himmelblau"], ""));
    let points = out["points"].as_array().unwrap();
    assert_eq!(points.len(), 9);
    let kinds = |k: &str| points.iter().filter(|p| p["kind"] == k).count();
    assert_eq!(
        (kinds("minimum"), kinds("saddle"), kinds("maximum")),
        (4, 4, 1)
    );
    for key in [
        "x",
        "y",
        "f",
        "gradient",
        "hessian",
        "eigenvalues",
        "eigenvectors",
        "kind",
        "tol",
        "critical",
        "gradient_tol",
    ] {
        assert!(points[0].get(key).is_some(), "{key}");
    }
    let out = json(&optiscape(
        &["critical", "--surface", "x^2-y^2", "--region", "-1,1,-1,1"],
        "",
    ));
    assert_eq!(out["region"]["x"], serde_json::json!([-1.0, 1.0]));
    assert_eq!(out["points"][0]["kind"], "saddle");
    let bad = optiscape(
        &["critical", "--surface", "bowl", "--region", "1,0,0,1"],
        "",
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("x0 < x1"));
}

#[test]
fn inspect_a_saddle() {
    let out = json(&optiscape(
        &["inspect", "--surface", "saddle", "--at", "0,0"],
        "",
    ));
    assert_eq!(out["kind"], "saddle");
    assert_eq!(out["critical"], true);
    assert_eq!(out["eigenvalues"], serde_json::json!([-2.0, 2.0]));
    assert_eq!(out["escape_direction"], serde_json::json!([0.0, 1.0]));
    let bad = optiscape(&["inspect", "--surface", "saddle", "--at", "0,zero"], "");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("`zero` is not a finite number"));
}

fn mlp_case(id: &str) -> Value {
    let data: Value = serde_json::from_str(include_str!("refs/mlp.json")).unwrap();
    data["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
        .clone()
}

#[test]
fn mlp_cases_through_the_cli() {
    let fb = mlp_case("fb03_train_n2_tanh_bn_ce_c2");
    let out = json(&optiscape(&["forward", "--config", "-"], &fb.to_string()));
    let (a, b) = (
        out["loss"].as_f64().unwrap(),
        fb["expect"]["loss"].as_f64().unwrap(),
    );
    assert!((a - b).abs() <= 1e-10 * b.abs().max(1.0));
    let err = json(&optiscape(
        &["forward", "--config", "-"],
        &mlp_case("fb02_train_n1_bn_error").to_string(),
    ));
    assert!(err["error"]
        .as_str()
        .unwrap()
        .starts_with("Expected more than 1 value per channel"));
    let ts = mlp_case("ts01_spiral_2-8-8-2_tanh_ce_sgd_cosine");
    let out = json(&optiscape(&["train", "--config", "-"], &ts.to_string()));
    assert_eq!(out["epoch_correct"], ts["expect"]["epoch_correct"]);
    let fnorm = mlp_case("fn01_mixed_with_constant_columns");
    let out = json(&optiscape(
        &["normalize", "--config", "-"],
        &fnorm.to_string(),
    ));
    assert_eq!(
        out["constant_features"],
        fnorm["expect"]["constant_features"]
    );
    let wrong = optiscape(&["forward", "--config", "-"], &ts.to_string());
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("takes a `forward_backward` case"));
}

#[test]
fn train_a_config_as_csv() {
    let cfg = r#"{"data":{"name":"xor","n":120,"classes":2,"noise":0.1,"seed":3},"hidden":[6],
        "activation":"tanh","loss":"cross_entropy","optimizer":{"name":"adam","lr":0.02},
        "batch_size":10,"epochs":2}"#;
    let out = optiscape(&["train", "--config", "-", "--format", "csv"], cfg);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("epoch,"));
    assert_eq!(
        text.lines().count(),
        4,
        "header, before training, 2 epochs:\n{text}"
    );
    let bad = optiscape(
        &["train", "--config", "-"],
        r#"{"data":{"name":"spiral"},"hidden":[4],"batch_size":0,"epochs":1}"#,
    );
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn training_stops_where_the_loss_stops_being_finite_and_says_at_which_update() {
    // The page's rule, in the core: the first update with a non-finite loss ends training.
    let cfg = r#"{"data":{"name":"xor","n":120,"classes":2,"noise":0.1,"seed":3},"hidden":[6],
        "activation":"relu","loss":"cross_entropy","optimizer":{"name":"sgd","lr":1e200},
        "batch_size":10,"epochs":5}"#;
    let out = optiscape(&["train", "--config", "-"], cfg);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).expect("the report up to the stop");
    let at = report["diverged_at"].as_u64().expect("diverged_at");
    assert!(at >= 1, "{report}");
    assert_eq!(report["step_loss"].as_array().unwrap().len() as u64, at);
    assert!(!report["step_loss"][at as usize - 1]
        .as_f64()
        .is_some_and(f64::is_finite));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains(&format!("not finite at update {at} (epoch 1)")),
        "{said}"
    );
    // A learning rate that keeps it finite: no stop, no message.
    let fine = optiscape(&["train", "--config", "-"], &cfg.replace("1e200", "0.05"));
    assert!(fine.status.success());
    assert!(json(&fine)["diverged_at"].is_null());
}

#[test]
fn scenes_list_check_and_show() {
    let out = optiscape(&["scene", "--list"], "");
    assert!(out.status.success());
    let list = String::from_utf8(out.stdout).unwrap();
    assert!(list.lines().any(|l| l == "saddle"));
    let check = json(&optiscape(&["scene", "saddle", "--check"], ""));
    assert_eq!(check["pass"], true);
    assert!(check["conditions"][0]["value"].is_number());
    let scene = json(&optiscape(&["scene", "ce_vs_mse"], ""));
    assert_eq!(scene["panels"].as_array().unwrap().len(), 2);
    assert!(scene["title"]["zh-CN"].as_str().unwrap().contains("交叉熵"));
    let bad = optiscape(&["scene", "sadle", "--check"], "");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("saddle"));
    let all = json(&optiscape(&["scene", "--all"], ""));
    let ids: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, list.lines().collect::<Vec<_>>());
    assert!(!optiscape(&["scene", "saddle", "--all"], "")
        .status
        .success());
}

#[test]
fn torch_code_is_valid_python_for_every_reference_case_and_noise() {
    let data: Value = serde_json::from_str(include_str!("refs/optim_trajectories.json")).unwrap();
    let dir = std::env::temp_dir().join(format!("optiscape-torch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut configs: Vec<String> = data["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["case"].to_string())
        .collect();
    configs.push(
        r#"{"surface":"max(sigmoid(x), softplus(y)) + atan(x*y) + 2","start":[0.5,-1],"steps":20,
        "optimizer":{"name":"sgd","lr":0.1},"noise":{"batch_size":4,"seed":3},"bound":100}"#
            .into(),
    );
    for (i, cfg) in configs.iter().enumerate() {
        let out = optiscape(&["torch-code", "--config", "-"], cfg);
        assert!(
            out.status.success(),
            "{cfg}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let path = dir.join(format!("run{i}.py"));
        std::fs::write(&path, &out.stdout).unwrap();
        let compiled = Command::new("python3")
            .args(["-m", "py_compile"])
            .arg(&path)
            .output()
            .expect("python3 runs");
        assert!(
            compiled.status.success(),
            "{cfg}: {}",
            String::from_utf8_lossy(&compiled.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn phase_diagram_from_the_cli() {
    let cfg = r#"{"run":{"surface":"ravine","start":[-4,1.5],"steps":100,"bound":1e6,"optimizer":{"name":"sgd","lr":0.01}},
        "x":{"path":"optimizer.lr","min":0.001,"max":0.2,"n":5,"log":true},
        "y":{"path":"optimizer.momentum","min":0,"max":0.9,"n":3},"target_loss":0.01}"#;
    let out = json(&optiscape(&["phase", "--config", "-"], cfg));
    assert_eq!(out["final_loss"].as_array().unwrap().len(), 15);
    assert_eq!(out["x_values"].as_array().unwrap().len(), 5);
    let bad = optiscape(&["phase", "--config", "-"], r#"{"run":{}}"#);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn landscape_of_a_trained_network_to_a_file() {
    let cfg = r#"{"data":{"name":"spiral","n":120,"noise":0.1,"seed":1},"hidden":[6],
        "optimizer":{"name":"adam","lr":0.02},"batch_size":16,"epochs":4,
        "landscape":{"method":"pca","grid":9}}"#;
    let path = std::env::temp_dir().join(format!("optiscape-plane-{}.json", std::process::id()));
    let out = optiscape(
        &[
            "landscape",
            "--config",
            "-",
            "--out",
            path.to_str().unwrap(),
        ],
        cfg,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let plane: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let _ = std::fs::remove_file(&path);
    let text = plane.to_string();
    assert!(text.contains("\"values\""), "{text:.300}");
    let bad = optiscape(
        &["landscape", "--config", "-"],
        r#"{"data":{"name":"spiral"},"hidden":[4],"landscape":{"grid":0}}"#,
    );
    assert_eq!(bad.status.code(), Some(2));
}

/// The stderr of a refused command: exit 2 and one line.
fn refusal(out: &Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "stderr: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    err
}

#[test]
fn work_over_a_budget_is_refused_up_front_naming_the_flag_that_raises_it() {
    // A 256 × 256 phase sweep of 20000 steps: 1.31e9 steps, over the default 1e8.
    let sweep = r#"{"run":{"surface":"bowl","start":[1,1],"steps":20000,"optimizer":{"name":"adam"}},"target_loss":0.1,"x":{"path":"optimizer.lr","min":0.001,"max":1,"n":256,"log":true},"y":{"path":"optimizer.eps","min":1e-8,"max":1e-6,"n":256,"log":true}}"#;
    let started = std::time::Instant::now();
    let err = refusal(&optiscape(&["phase", "--config", "-"], sweep));
    assert!(started.elapsed().as_secs() < 10, "refused before any work");
    assert!(err.contains("1.31e9 optimizer steps"), "{err}");
    assert!(err.contains("65536 cells × 20000 steps"), "{err}");
    assert!(err.contains("--max-steps"), "{err}");

    // A trajectory of 10^7 steps would print about 2 GB: over --max-output.
    let long =
        r#"{"surface":"bowl","start":[1,1],"steps":10000000,"optimizer":{"name":"sgd","lr":0.01}}"#;
    let err = refusal(&optiscape(&["trajectory", "--config", "-"], long));
    assert!(err.contains("--max-output"), "{err}");

    // A network of 8 × 1024 units on 100000 points for 100 epochs: over --max-work.
    let heavy = r#"{"data":{"name":"spiral","n":100000},"hidden":[1024,1024,1024,1024,1024,1024,1024,1024],"epochs":100}"#;
    let err = refusal(&optiscape(&["train", "--config", "-"], heavy));
    assert!(
        err.contains("multiply-adds") && err.contains("--max-work"),
        "{err}"
    );

    // A `train_steps` case of the PyTorch references asking for 10^15 epochs: over --max-work
    // before its first step (the case as stored runs: tests/mlp_refs.rs).
    let refs: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/refs/mlp.json"))
            .unwrap(),
    )
    .unwrap();
    let mut case = refs["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "train_steps")
        .expect("a train_steps case")
        .clone();
    case["epochs"] = serde_json::json!(1_000_000_000_000_000u64);
    let started = std::time::Instant::now();
    let err = refusal(&optiscape(&["train", "--config", "-"], &case.to_string()));
    assert!(started.elapsed().as_secs() < 10, "refused before any work");
    assert!(
        err.contains("× 1000000000000000 epochs") && err.contains("--max-work"),
        "{err}"
    );

    // The flags lower the limits, so the same check refuses a small run (the negative
    // control: with the defaults it runs).
    let small =
        r#"{"surface":"bowl","start":[1,1],"steps":10,"optimizer":{"name":"sgd","lr":0.1}}"#;
    json(&optiscape(&["trajectory", "--config", "-"], small));
    let err = refusal(&optiscape(
        &["trajectory", "--config", "-", "--max-steps", "5"],
        small,
    ));
    assert!(
        err.contains("10 optimizer steps") && err.contains("--max-steps"),
        "{err}"
    );
    let out = optiscape(&["--max-steps", "abc", "presets"], "");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("`abc` is not a number > 0"), "{err}");
}

#[test]
fn output_past_max_output_is_cut_with_an_error() {
    // Up front: 100 points may take up to 20000 bytes, over a 100-byte limit.
    let cfg = r#"{"surface":"bowl","start":[1,1],"steps":99,"optimizer":{"name":"sgd","lr":0.1}}"#;
    let err = refusal(&optiscape(
        &["trajectory", "--config", "-", "--max-output", "100"],
        cfg,
    ));
    assert!(err.contains("--max-output"), "{err}");
    // While writing: the presets' JSON (kilobytes; no estimate up front) is cut at 500 bytes.
    let out = optiscape(&["presets", "--max-output", "500"], "");
    let err = refusal(&out);
    assert!(err.contains("passed --max-output"), "{err}");
    assert!(out.stdout.len() <= 500);
}

#[test]
fn a_figure_takes_a_bounded_number_of_runs() {
    let one = r#"{"surface":"bowl","start":[1,1],"steps":5,"optimizer":{"name":"sgd","lr":0.1}}"#;
    let many = format!("[{}]", vec![one; 65].join(","));
    let out_path = std::env::temp_dir().join("optiscape-many-runs.svg");
    let err = refusal(&optiscape(
        &[
            "render",
            "--config",
            "-",
            "--out",
            out_path.to_str().unwrap(),
        ],
        &many,
    ));
    assert!(err.contains("65 runs; a figure draws 1 to 64"), "{err}");
}

#[test]
fn control_characters_in_input_are_escaped_in_messages() {
    // An escape sequence (ESC [ 31 m) and a right-to-left override in a formula.
    let cfg =
        r#"{"surface":"bo\u001b[31mwl\u202e","start":[1,1],"steps":10,"optimizer":{"name":"sgd"}}"#;
    let out = optiscape(&["trajectory", "--config", "-"], cfg);
    let err = refusal(&out);
    assert!(
        !out.stderr.contains(&0x1b),
        "a raw ESC reached the terminal: {err}"
    );
    assert!(err.contains("\\u{1b}"), "{err}");
}
