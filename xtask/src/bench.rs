//! `cargo xtask bench`: each peer in its own process, side by side in one run: the wasm core
//! in node, a hand-written JS closure, mathjs, and the native core; then the app itself in
//! headless Chromium (load to first frame, main-thread ms per frame with 8 runs animating,
//! gzipped size, a 64×64 phase diagram in the lab's worker). Prints a table and writes `target/bench/results.json` (results plus ratios
//! and targets).

use crate::{app, serve, setup, util};
use serde_json::{json, Value};

/// A ratio between two results, with the target it is held to (`at_most` the ratio may be).
struct Ratio {
    name: &'static str,
    numerator: &'static str,
    denominator: &'static str,
    at_most: Option<f64>,
    at_least: Option<f64>,
}

const RATIOS: &[Ratio] = &[
    Ratio {
        name: "grid: wasm / JS closure",
        numerator: "grid_512_wasm",
        denominator: "grid_512_js_closure",
        at_most: Some(3.0),
        at_least: None,
    },
    Ratio {
        name: "grid: mathjs / wasm (speed-up)",
        numerator: "grid_512_mathjs",
        denominator: "grid_512_wasm",
        at_most: None,
        at_least: Some(30.0),
    },
    Ratio {
        name: "grid: wasm / native",
        numerator: "grid_512_wasm",
        denominator: "grid_512_native",
        at_most: None,
        at_least: None,
    },
    Ratio {
        name: "Adam 10^7: wasm / JS",
        numerator: "adam_1e7_wasm",
        denominator: "adam_1e7_js",
        at_most: Some(2.0),
        at_least: None,
    },
    Ratio {
        name: "Adam 10^7: wasm / native",
        numerator: "adam_1e7_wasm",
        denominator: "adam_1e7_native",
        at_most: None,
        at_least: None,
    },
    // The classifier (issue 5): (a) the spiral, (b) the digits; see www/bench/mlp.mjs.
    Ratio {
        name: "MLP (a) spiral: JS / wasm (speed-up)",
        numerator: "mlp_spiral_js",
        denominator: "mlp_spiral_wasm",
        at_most: None,
        at_least: Some(1.0),
    },
    Ratio {
        name: "MLP (a) spiral: tfjs cpu / wasm (speed-up)",
        numerator: "mlp_spiral_tfjs_cpu",
        denominator: "mlp_spiral_wasm",
        at_most: None,
        at_least: Some(30.0),
    },
    Ratio {
        name: "MLP (a) spiral: tfjs wasm / wasm (speed-up)",
        numerator: "mlp_spiral_tfjs_wasm",
        denominator: "mlp_spiral_wasm",
        at_most: None,
        at_least: None,
    },
    Ratio {
        name: "MLP (b) digits: tfjs wasm / wasm (speed-up)",
        numerator: "mlp_digits_tfjs_wasm",
        denominator: "mlp_digits_wasm",
        at_most: None,
        at_least: Some(3.0),
    },
    Ratio {
        name: "MLP (b) digits: tfjs cpu / wasm (speed-up)",
        numerator: "mlp_digits_tfjs_cpu",
        denominator: "mlp_digits_wasm",
        at_most: None,
        at_least: None,
    },
    Ratio {
        name: "MLP (b) digits: JS / wasm (speed-up)",
        numerator: "mlp_digits_js",
        denominator: "mlp_digits_wasm",
        at_most: None,
        at_least: None,
    },
    // The classifier's curvature panel (issue 6): see www/bench/hessian.mjs.
    Ratio {
        name: "Hessian spectrum 2-8-8-2: wasm / native",
        numerator: "hessian_2882_wasm",
        denominator: "hessian_2882_native",
        at_most: None,
        at_least: None,
    },
    Ratio {
        name: "Lanczos digits 64-32-10: wasm / native",
        numerator: "hessian_lanczos_digits_wasm",
        denominator: "hessian_lanczos_digits_native",
        at_most: None,
        at_least: None,
    },
    // The phase diagram (issue 7): 64×64 runs of 500 steps, www/bench/phase-sweep.json.
    Ratio {
        name: "phase 64x64: browser / native",
        numerator: "phase_64_browser",
        denominator: "phase_64_native",
        at_most: None,
        at_least: None,
    },
];

/// Absolute targets (the app, issues 4 and 7; critical points, issue 3): the result may be at
/// most this much.
const TARGETS: &[(&str, f64)] = &[
    ("app_first_frame", 500.0),
    ("app_frame_p95", 6.0),
    ("app_wasm_js_gzip", 300.0),
    ("phase_64_browser", 2000.0),
    // Issue 3: every critical point of any preset "in well under a second".
    ("critical_find_slowest_preset_native", 1000.0),
];

pub fn run() -> Result<(), String> {
    setup::npm_packages()?;
    setup::chromium()?;
    app::build()?;
    let mut results: Vec<Value> = Vec::new();
    for (script, peer) in [
        ("grid", "wasm"),
        ("grid", "js"),
        ("grid", "mathjs"),
        ("adam", "wasm"),
        ("adam", "js"),
        ("mlp", "wasm"),
        ("mlp", "js"),
        ("mlp", "tfjs-cpu"),
        ("mlp", "tfjs-wasm"),
        ("hessian", "wasm"),
    ] {
        eprintln!("bench: {script} {peer}");
        let path = format!("www/bench/{script}.mjs");
        results.extend(json_lines(util::cmd("node").args([path.as_str(), peer]))?);
    }
    eprintln!("bench: native (cargo bench --bench native)");
    results.extend(json_lines(app::cargo().args([
        "bench",
        "--package",
        "optiscape",
        "--bench",
        "native",
    ]))?);

    eprintln!("bench: the app in headless Chromium (www/bench/app.mjs)");
    let url = serve::spawn(util::root())?;
    results.extend(json_lines(util::cmd("node").args([
        "www/bench/app.mjs",
        url.as_str(),
        setup::CHROMIUM,
    ]))?);
    eprintln!("bench: the phase diagram in headless Chromium (www/bench/phase.mjs)");
    results.extend(json_lines(util::cmd("node").args([
        "www/bench/phase.mjs",
        url.as_str(),
        setup::CHROMIUM,
    ]))?);

    eprintln!("bench: the classifier's CPU and WebGPU backends (www/bench/webgpu.mjs)");
    results.extend(json_lines(util::cmd("node").args([
        "www/bench/webgpu.mjs",
        url.as_str(),
        setup::CHROMIUM,
    ]))?);

    let value = |name: &str| {
        results
            .iter()
            .find(|r| r["name"] == name)
            .and_then(|r| r["value"].as_f64())
            .ok_or(format!("no result named {name}"))
    };
    let mut ratios = Vec::new();
    for r in RATIOS {
        let v = value(r.numerator)? / value(r.denominator)?;
        let met = r.at_most.is_none_or(|m| v <= m) && r.at_least.is_none_or(|m| v >= m);
        ratios.push(json!({
            "name": r.name, "value": v, "unit": "ratio",
            "numerator": r.numerator, "denominator": r.denominator,
            "at_most": r.at_most, "at_least": r.at_least, "met": met,
        }));
    }
    let mut targets = Vec::new();
    for (name, at_most) in TARGETS {
        let v = value(name)?;
        targets.push(json!({"name": name, "value": v, "at_most": at_most, "met": v <= *at_most}));
    }
    print_table(&results, &ratios);
    println!("\n{:<32} {:>8}   target", "app target", "value");
    for t in &targets {
        println!(
            "{:<32} {:>8.2}   <= {}  {}",
            t["name"].as_str().unwrap_or("?"),
            t["value"].as_f64().unwrap_or(f64::NAN),
            t["at_most"],
            if t["met"] == true { "met" } else { "NOT MET" }
        );
    }
    let out = util::root().join("target/bench");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let file = out.join("results.json");
    let doc = json!({ "results": results, "ratios": ratios, "targets": targets });
    std::fs::write(
        &file,
        serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?,
    )
    .map_err(|e| format!("writing {}: {e}", file.display()))?;
    println!("\nwritten to {}", file.display());
    Ok(())
}

/// Runs a peer and collects the JSON objects it prints, one a line.
fn json_lines(c: &mut std::process::Command) -> Result<Vec<Value>, String> {
    eprintln!("$ {}", util::show(c));
    let out = c
        .output()
        .map_err(|e| format!("could not start `{}`: {e}", util::show(c)))?;
    if !out.status.success() {
        return Err(format!(
            "`{}` failed ({}):\n{}",
            util::show(c),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l.trim()).ok())
        .filter(|v| v.get("name").is_some() && v.get("value").is_some())
        .collect())
}

fn print_table(results: &[Value], ratios: &[Value]) {
    println!("\n{:<28} {:>14}", "benchmark", "time");
    for r in results {
        let unit = r["unit"].as_str().unwrap_or("");
        println!(
            "{:<28} {:>11.3} {unit}",
            r["name"].as_str().unwrap_or("?"),
            r["value"].as_f64().unwrap_or(f64::NAN)
        );
    }
    println!("\n{:<32} {:>8}   target", "ratio", "value");
    for r in ratios {
        let target = match (r["at_most"].as_f64(), r["at_least"].as_f64()) {
            (Some(m), _) => format!(
                "<= {m}  {}",
                if r["met"] == true { "met" } else { "NOT MET" }
            ),
            (_, Some(m)) => format!(
                ">= {m}  {}",
                if r["met"] == true { "met" } else { "NOT MET" }
            ),
            _ => "-".to_string(),
        };
        println!(
            "{:<32} {:>8.2}   {target}",
            r["name"].as_str().unwrap_or("?"),
            r["value"].as_f64().unwrap_or(f64::NAN)
        );
    }
}
