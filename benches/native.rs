//! The native peer of `cargo xtask bench` (run as `cargo bench --bench native`): the same
//! 512×512 grid of the typed Rosenbrock formula, the same 10^7 Adam steps the wasm peers
//! run, and the 64×64 phase diagram the browser peer sweeps, timed in this process. Prints one
//! JSON line per result.

use optiscape::optim::{Optimizer, OptimizerConfig};
use optiscape::surface;
use std::time::Instant;

const ROSENBROCK: &str = "(1-x)^2+100*(y-x^2)^2";
const STEPS: usize = 10_000_000;

fn main() {
    let f = surface::resolve(ROSENBROCK).expect("the Rosenbrock formula parses");

    let mut grid = Vec::new();
    let mut samples = Vec::new();
    let begin = Instant::now();
    while samples.len() < 5 || begin.elapsed().as_secs_f64() < 1.5 {
        let t0 = Instant::now();
        f.eval_grid([-2.0, 2.0], [-1.0, 3.0], 512, 512, &mut grid);
        samples.push(t0.elapsed().as_secs_f64() * 1e3);
    }
    report("grid_512_native", &mut samples, "ms");

    critical_points();
    hessian();

    let cfg: OptimizerConfig =
        serde_json::from_str(r#"{"name":"adam","lr":0.001}"#).expect("adam config");
    let mut samples = Vec::new();
    let mut p = [-1.5, 2.0];
    for _ in 0..5 {
        let mut opt = Optimizer::new(&cfg, None, 2).expect("adam");
        p = [-1.5, 2.0];
        let t0 = Instant::now();
        for _ in 0..STEPS {
            let (_, g) = f.gradient(p[0], p[1]);
            opt.step(&mut p, &g);
        }
        samples.push(t0.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        r#"{{"name":"adam_1e7_native","value":{},"unit":"ms","end":[{},{}]}}"#,
        spread(&mut samples),
        p[0],
        p[1]
    );

    // The phase diagram of www/bench/phase-sweep.json: 64×64 runs of 500 Adam steps.
    let sweep: optiscape::phase::SweepConfig =
        serde_json::from_str(include_str!("../www/bench/phase-sweep.json")).expect("sweep");
    let mut samples = Vec::new();
    let mut diverged = 0;
    let begin = Instant::now();
    while samples.len() < 3 || begin.elapsed().as_secs_f64() < 1.5 {
        let t0 = Instant::now();
        let s = optiscape::phase::sweep(&sweep).expect("the bench sweep runs");
        samples.push(t0.elapsed().as_secs_f64() * 1e3);
        diverged = s.diverged_at.iter().flatten().count();
    }
    println!(
        r#"{{"name":"phase_64_native","value":{},"unit":"ms","diverged":{diverged}}}"#,
        spread(&mut samples)
    );
}

/// Every critical point of every preset in its own view box (`critical::find`, as the lab and
/// `optiscape critical` call it): the slowest preset's median time, and the sum over presets.
fn critical_points() {
    let mut slowest = ("", 0.0f64);
    let mut total = 0.0;
    for p in surface::presets() {
        let f = surface::resolve(p.formula).expect("a preset parses");
        let mut samples = Vec::new();
        let begin = Instant::now();
        while samples.len() < 5 || begin.elapsed().as_secs_f64() < 0.2 {
            let t0 = Instant::now();
            let found = optiscape::critical::find(&f, p.view);
            samples.push(t0.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box(found.points.len());
        }
        samples.sort_by(f64::total_cmp);
        let median = samples[samples.len() / 2];
        total += median;
        if median > slowest.1 {
            slowest = (p.id, median);
        }
    }
    println!(
        r#"{{"name":"critical_find_slowest_preset_native","value":{},"unit":"ms","preset":"{}","all_presets_ms":{total}}}"#,
        slowest.1, slowest.0
    );
}

/// The Hessian benchmarks of www/bench/hessian.mjs with the same configs
/// (www/bench/hessian.json): (a) the full spectrum of a 2-8-8-2 tanh net at its initial
/// weights over 250 spiral rows; (b) the Lanczos extremes (80 products) of the digits net.
fn hessian() {
    use optiscape::nn::hessian::{hessian_spectrum, SpectrumMethod, SpectrumOptions};
    let configs: serde_json::Value =
        serde_json::from_str(include_str!("../www/bench/hessian.json")).expect("hessian.json");
    for (key, method, name) in [
        ("spiral", SpectrumMethod::Exact, "hessian_2882_native"),
        (
            "digits",
            SpectrumMethod::Lanczos,
            "hessian_lanczos_digits_native",
        ),
    ] {
        let cfg: optiscape::nn::TrainConfig =
            serde_json::from_value(configs[key].clone()).expect("a training config");
        let session = cfg.build().expect("the bench config builds");
        let options = SpectrumOptions {
            method,
            ..Default::default()
        };
        let mut samples = Vec::new();
        let mut n = 0;
        let begin = Instant::now();
        while samples.len() < 5 || begin.elapsed().as_secs_f64() < 2.0 {
            let t0 = Instant::now();
            let s = hessian_spectrum(&session, &options).expect("the spectrum");
            samples.push(t0.elapsed().as_secs_f64() * 1e3);
            n = s.n_params;
        }
        println!(
            r#"{{"name":"{name}","value":{},"unit":"ms","n_params":{n}}}"#,
            spread(&mut samples)
        );
    }
}

/// The median of `samples` and their spread, `"lo"` and `"hi"`: the interquartile range (with
/// fewer than 4 samples, the lowest and the highest), as www/bench/common.mjs `Timing` gives it;
/// as JSON fields after `"value":`.
fn spread(samples: &mut [f64]) -> String {
    samples.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let at = (samples.len() - 1) as f64 * p;
        let (lo, hi) = (
            at.floor() as usize,
            (at.floor() as usize + 1).min(samples.len() - 1),
        );
        samples[lo] + (samples[hi] - samples[lo]) * (at - at.floor())
    };
    let (lo, hi) = if samples.len() < 4 {
        (samples[0], samples[samples.len() - 1])
    } else {
        (q(0.25), q(0.75))
    };
    format!(r#"{},"lo":{lo},"hi":{hi},"n":{}"#, q(0.5), samples.len())
}

fn report(name: &str, samples: &mut [f64], unit: &str) {
    println!(
        r#"{{"name":"{name}","value":{},"unit":"{unit}"}}"#,
        spread(samples)
    );
}
