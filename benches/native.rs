//! The native peer of `cargo xtask bench` (run as `cargo bench --bench native`): the same
//! 512×512 grid of the typed Rosenbrock formula and the same 10^7 Adam steps the wasm peers
//! run, timed in this process. Prints one JSON line per result.

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
    samples.sort_by(f64::total_cmp);
    report("grid_512_native", samples[samples.len() / 2], "ms");

    let cfg: OptimizerConfig =
        serde_json::from_str(r#"{"name":"adam","lr":0.001}"#).expect("adam config");
    let mut opt = Optimizer::new(&cfg, None, 2).expect("adam");
    let mut p = [-1.5, 2.0];
    let t0 = Instant::now();
    for _ in 0..STEPS {
        let (_, g) = f.gradient(p[0], p[1]);
        opt.step(&mut p, &g);
    }
    let ms = t0.elapsed().as_secs_f64() * 1e3;
    println!(
        r#"{{"name":"adam_1e7_native","value":{ms},"unit":"ms","end":[{},{}]}}"#,
        p[0], p[1]
    );
}

fn report(name: &str, value: f64, unit: &str) {
    println!(r#"{{"name":"{name}","value":{value},"unit":"{unit}"}}"#);
}
