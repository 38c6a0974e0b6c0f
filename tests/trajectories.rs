//! Every reference trajectory (PyTorch float64) reproduced from its `case` object as it stands,
//! through the formula engine, the optimizer and the simulation loop.
//! Native and wasm32 alike: in wasm the formulas run as compiled code once in use
//! (`src/expr/jit`), so the references check that code too.

use optiscape::config::RunConfig;
use optiscape::sim::simulate;
use serde_json::Value;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-10 * b.abs().max(1.0)
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect()
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn all_reference_trajectories_match_torch() {
    let data: Value =
        serde_json::from_str(include_str!("refs/optim_trajectories.json")).expect("refs parse");
    let cases = data["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 43);
    let mut failures = Vec::new();
    for c in cases {
        let id = c["case"]["id"].as_str().unwrap().to_string();
        let cfg = match RunConfig::from_json(&c["case"].to_string()) {
            Ok(cfg) => cfg,
            Err(e) => {
                failures.push(format!("{id}: config rejected: {e}"));
                continue;
            }
        };
        let tr = match simulate(&cfg) {
            Ok(tr) => tr,
            Err(e) => {
                failures.push(format!("{id}: {e}"));
                continue;
            }
        };
        let expected_div = c["diverged_at"].as_u64().map(|v| v as usize);
        match (tr.diverged_at, expected_div) {
            (None, None) => {}
            (Some(a), Some(b)) if a.abs_diff(b) <= 1 => {}
            (a, b) => failures.push(format!("{id}: diverged_at {a:?}, torch {b:?}")),
        }
        let n = c["x"].as_array().unwrap().len().min(tr.x.len());
        let fields: [(&str, &Vec<f64>); 6] = [
            ("x", &tr.x),
            ("y", &tr.y),
            ("loss", &tr.loss),
            ("gx", &tr.gx),
            ("gy", &tr.gy),
            ("lr", &tr.lr),
        ];
        for (name, ours) in fields {
            let theirs = floats(&c[name]);
            let len = if name == "lr" { n.min(theirs.len()) } else { n };
            if expected_div.is_none() && ours.len() != theirs.len() {
                failures.push(format!(
                    "{id}: {name} has {} values, torch {}",
                    ours.len(),
                    theirs.len()
                ));
            }
            if let Some(t) = (0..len.min(ours.len())).find(|&t| !close(ours[t], theirs[t])) {
                failures.push(format!(
                    "{id}: {name}[{t}] = {} but torch has {}",
                    ours[t], theirs[t]
                ));
            }
        }
        if let Some(m) = c.get("momentum").filter(|m| !m.is_null()) {
            let theirs = floats(m);
            match &tr.momentum {
                Some(ours) if ours.len() == theirs.len() => {
                    if let Some(t) = (0..ours.len()).find(|&t| !close(ours[t], theirs[t])) {
                        failures.push(format!(
                            "{id}: momentum[{t}] = {} but torch has {}",
                            ours[t], theirs[t]
                        ));
                    }
                }
                other => failures.push(format!(
                    "{id}: momentum {:?} values, torch {}",
                    other.as_ref().map(|m| m.len()),
                    theirs.len()
                )),
            }
        } else if tr.momentum.is_some() {
            failures.push(format!(
                "{id}: records momentum but torch does not cycle it"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn bad_configs_are_clear_errors() {
    let base = r#"{"surface":"rosenbrock","start":[0,0],"steps":10,"optimizer":{"name":"adam"}}"#;
    assert!(RunConfig::from_json(base).is_ok());
    let cases = [
        (
            r#"{"surface":"rosenbrock","start":[0,0],"steps":10,"optimizer":{"name":"adma"}}"#,
            "adma",
        ),
        (
            r#"{"surface":"rosenbrock","start":[0,0],"steps":10,"optimizer":{"name":"adam"},"colour":1}"#,
            "colour",
        ),
        (
            r#"{"surface":"rosenbrock","start":["NaN",0],"steps":10,"optimizer":{"name":"adam"}}"#,
            "invalid type",
        ),
        (
            r#"{"surface":"rosenbrock","start":[0,0],"steps":10000001,"optimizer":{"name":"adam"}}"#,
            "steps",
        ),
        (
            r#"{"surface":"rosenbrock","start":[0,0],"steps":-1,"optimizer":{"name":"adam"}}"#,
            "invalid value",
        ),
        (
            r#"{"surface":"rosenbrock","start":[0,0],"steps":10,"optimizer":{"name":"adam","lr":-1}}"#,
            "lr",
        ),
    ];
    for (json, needle) in cases {
        let err = RunConfig::from_json(json).and_then(|c| simulate(&c).map(|_| c));
        let msg = err.expect_err(json).to_string();
        assert!(msg.contains(needle), "{json}: {msg}");
    }
    let bad_formula = RunConfig::from_json(
        r#"{"surface":"2x","start":[0,0],"steps":10,"optimizer":{"name":"sgd","lr":0.1}}"#,
    )
    .unwrap();
    assert!(simulate(&bad_formula)
        .unwrap_err()
        .to_string()
        .contains("write `2*x`"));
}
