//! `cargo xtask bench`: each peer in its own process, side by side in one run: the wasm core
//! in node, a hand-written JS closure, mathjs, and the native core; then the app itself in
//! headless Chromium (load to first frame, main-thread ms per frame with 8 runs animating,
//! gzipped size: on the site `cargo xtask dist` writes, as a visitor gets it; a 64×64 phase
//! diagram in the lab's worker). Every figure is the median of its
//! repetitions with its spread (the interquartile range); a ratio's spread is the range its
//! parts' spreads allow, and a target inside it is reported "within spread", not "met". Prints
//! the machine's CPU, a table, and writes `target/bench/results.json` (results, ratios, targets).

use crate::{app, dist, serve, setup, util};
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
    // Issue 16, 1: typed formulas as fast as hand-written JS.
    Ratio {
        name: "grid: wasm / JS one loop",
        numerator: "grid_512_wasm",
        denominator: "grid_512_js_loop",
        at_most: Some(1.0),
        at_least: None,
    },
    Ratio {
        name: "grid: wasm / JS closure",
        numerator: "grid_512_wasm",
        denominator: "grid_512_js_closure",
        at_most: Some(1.0),
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
        name: "Adam 10^7: wasm / JS Adam class",
        numerator: "adam_1e7_wasm",
        denominator: "adam_1e7_js_class",
        at_most: Some(1.0),
        at_least: None,
    },
    Ratio {
        name: "Adam 10^7: wasm / JS loop",
        numerator: "adam_1e7_wasm",
        denominator: "adam_1e7_js",
        at_most: Some(1.0),
        at_least: None,
    },
    Ratio {
        name: "Adam 10^7: the lab's own build (opt-level z) / JS Adam class",
        numerator: "adam_1e7_wasm_lab",
        denominator: "adam_1e7_js_class",
        at_most: None,
        at_least: None,
    },
    Ratio {
        name: "Adam 10^7: wasm / native",
        numerator: "adam_1e7_wasm",
        denominator: "adam_1e7_native",
        at_most: None,
        at_least: None,
    },
    // Issue 16, 2: the classifier (a) the spiral, (b) the digits; see www/bench/mlp.mjs.
    Ratio {
        name: "MLP (a) spiral: JS / wasm (speed-up)",
        numerator: "mlp_spiral_js",
        denominator: "mlp_spiral_wasm",
        at_most: None,
        at_least: Some(2.0),
    },
    Ratio {
        name: "MLP (a) spiral: JS Playground-style / wasm",
        numerator: "mlp_spiral_js_plain",
        denominator: "mlp_spiral_wasm",
        at_most: None,
        at_least: None,
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
        at_least: Some(6.0),
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
    Ratio {
        name: "MLP (b) digits: JS Playground-style / wasm",
        numerator: "mlp_digits_js_plain",
        denominator: "mlp_digits_wasm",
        at_most: None,
        at_least: None,
    },
    Ratio {
        name: "MLP (a) spiral: baseline wasm / SIMD wasm",
        numerator: "mlp_spiral_wasm_baseline",
        denominator: "mlp_spiral_wasm",
        at_most: None,
        at_least: None,
    },
    Ratio {
        name: "MLP (b) digits: baseline wasm / SIMD wasm",
        numerator: "mlp_digits_wasm_baseline",
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
    // Issue 16, 3: a lighter first load.
    ("app_first_frame", 300.0),
    ("app_frame_p95", 6.0),
    ("app_wasm_js_gzip", 200.0),
    ("classifier_wasm_gzip", 300.0),
    ("phase_64_browser", 2000.0),
    // Issue 15, 8: memory stays flat over long use (MiB of growth after a warm-up).
    ("soak_lab_js_heap_growth", 1.0),
    ("soak_lab_wasm_growth", 0.0),
    ("soak_classifier_js_heap_growth", 1.0),
    ("soak_classifier_worker_wasm_growth", 0.0),
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
        ("grid", "js-loop"),
        ("grid", "mathjs"),
        ("adam", "wasm"),
        ("adam", "wasm-lab"),
        ("adam", "js"),
        ("adam", "js-class"),
        ("mlp", "wasm"),
        ("mlp", "wasm-baseline"),
        ("mlp", "js"),
        ("mlp", "js-plain"),
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

    // The surface lab as a visitor gets it: the site `cargo xtask dist` writes (its JS minified,
    // its service worker registered once the page is ready), from this build.
    let site = util::root().join("target/bench-site");
    dist::write(&util::root(), &site)?;
    let site_url = serve::spawn(site)?;
    eprintln!(
        "bench: the app in headless Chromium (www/bench/app.mjs), the dist site at {site_url}"
    );
    results.extend(json_lines(util::cmd("node").args([
        "www/bench/app.mjs",
        site_url.as_str(),
        setup::CHROMIUM,
    ]))?);
    let url = serve::spawn(util::root())?;
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

    eprintln!("bench: soak, memory over long use (www/bench/soak.mjs)");
    results.extend(json_lines(util::cmd("node").args([
        "www/bench/soak.mjs",
        url.as_str(),
        setup::CHROMIUM,
    ]))?);

    // Each result as (median, lo, hi); a result with no spread (one run) has lo = hi = median.
    let figure = |name: &str| {
        let r = results
            .iter()
            .find(|r| r["name"] == name)
            .ok_or(format!("no result named {name}"))?;
        let v = r["value"].as_f64().ok_or(format!("{name} has no value"))?;
        Ok::<_, String>((
            v,
            r["lo"].as_f64().unwrap_or(v),
            r["hi"].as_f64().unwrap_or(v),
        ))
    };
    let mut ratios = Vec::new();
    for r in RATIOS {
        let (n, n_lo, n_hi) = figure(r.numerator)?;
        let (d, d_lo, d_hi) = figure(r.denominator)?;
        let (v, lo, hi) = (n / d, n_lo / d_hi, n_hi / d_lo);
        ratios.push(json!({
            "name": r.name, "value": v, "lo": lo, "hi": hi, "unit": "ratio",
            "numerator": r.numerator, "denominator": r.denominator,
            "at_most": r.at_most, "at_least": r.at_least,
            "verdict": verdict(lo, hi, r.at_most, r.at_least),
        }));
    }
    let mut targets = Vec::new();
    for (name, at_most) in TARGETS {
        let (v, lo, hi) = figure(name)?;
        targets.push(json!({
            "name": name, "value": v, "lo": lo, "hi": hi, "at_most": at_most,
            "verdict": verdict(lo, hi, Some(*at_most), None),
        }));
    }
    let cpu = cpu_model();
    println!(
        "\nmachine: {cpu}, {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    print_table(&results, &ratios);
    println!(
        "\n{:<32} {:>9} {:>21}   target",
        "app target", "median", "spread"
    );
    for t in &targets {
        println!(
            "{:<32} {:>9.2} {:>21}   <= {}  {}",
            t["name"].as_str().unwrap_or("?"),
            t["value"].as_f64().unwrap_or(f64::NAN),
            spread_text(t),
            t["at_most"],
            t["verdict"].as_str().unwrap_or("?")
        );
    }
    let out = util::root().join("target/bench");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let file = out.join("results.json");
    let doc = json!({ "machine": cpu, "results": results, "ratios": ratios, "targets": targets });
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

/// "met" when the whole spread [lo, hi] is on the target's side, "NOT MET" when the whole spread
/// is on the other side, "within spread" when the target lies inside it: a ratio whose spread
/// reaches the target is not reported as met.
fn verdict(lo: f64, hi: f64, at_most: Option<f64>, at_least: Option<f64>) -> &'static str {
    let (ok, bad) = match (at_most, at_least) {
        (Some(m), _) => (hi <= m, lo > m),
        (_, Some(m)) => (lo >= m, hi < m),
        _ => return "-",
    };
    if ok {
        "met"
    } else if bad {
        "NOT MET"
    } else {
        "within spread"
    }
}

/// `[lo – hi]`, or nothing for a figure without spread.
fn spread_text(r: &Value) -> String {
    match (r["lo"].as_f64(), r["hi"].as_f64()) {
        (Some(lo), Some(hi)) => format!("[{lo:.3} – {hi:.3}]"),
        _ => String::new(),
    }
}

/// The CPU's model name (Linux), or what is known.
fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_string())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_string())
}

fn print_table(results: &[Value], ratios: &[Value]) {
    println!(
        "\n{:<34} {:>12} {:>23}  unit (n)",
        "benchmark", "median", "spread (IQR)"
    );
    for r in results {
        let unit = r["unit"].as_str().unwrap_or("");
        let n = r["n"]
            .as_u64()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        println!(
            "{:<34} {:>12.3} {:>23}  {unit}{n}",
            r["name"].as_str().unwrap_or("?"),
            r["value"].as_f64().unwrap_or(f64::NAN),
            spread_text(r)
        );
    }
    println!(
        "\n{:<42} {:>8} {:>21}   target",
        "ratio", "median", "spread"
    );
    for r in ratios {
        let target = match (r["at_most"].as_f64(), r["at_least"].as_f64()) {
            (Some(m), _) => format!("<= {m}  {}", r["verdict"].as_str().unwrap_or("?")),
            (_, Some(m)) => format!(">= {m}  {}", r["verdict"].as_str().unwrap_or("?")),
            _ => "-".to_string(),
        };
        println!(
            "{:<42} {:>8.2} {:>21}   {target}",
            r["name"].as_str().unwrap_or("?"),
            r["value"].as_f64().unwrap_or(f64::NAN),
            spread_text(r)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ratio_whose_spread_reaches_the_target_is_not_met() {
        assert_eq!(verdict(0.8, 0.95, Some(1.0), None), "met");
        assert_eq!(verdict(0.9, 1.1, Some(1.0), None), "within spread");
        assert_eq!(verdict(1.2, 1.5, Some(1.0), None), "NOT MET");
        assert_eq!(verdict(2.1, 2.5, None, Some(2.0)), "met");
        assert_eq!(verdict(1.9, 2.5, None, Some(2.0)), "within spread");
        assert_eq!(verdict(1.1, 1.5, None, Some(2.0)), "NOT MET");
        assert_eq!(verdict(1.0, 1.0, None, None), "-");
    }
}
