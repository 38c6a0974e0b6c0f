//! Fuzzes the wasm entry points (`src/web/`) in node: random arguments (NaN, ±∞, subnormal and
//! huge numbers, zero, huge and odd sizes, garbage and mutated JSON from `fuzz/json.rs`, random
//! strings) to the constructors and methods JS calls: the catalogs and free functions, the
//! `Lab` and its runs, the phase diagram, the classifier's `Trainer` (with its WebGPU
//! hand-over, the batch-size `Sweep`, the Hessian jobs, the weight trail and the
//! `LandscapeView`) and the scenes. Every call must return (`Ok` or `Err`): a Rust panic is a
//! trap that fails the test, after the panic hook has printed the call that caused it.
//!
//! Each target runs for OPTISCAPE_FUZZ_SECONDS (read when the test is compiled; default 3 s)
//! and prints its count of calls. Job budgets are finite (a NaN or infinite budget means "run
//! to the end", which the pages never ask for), and trainers are built only from configs
//! whose one epoch is small, so no call hangs. Run by `cargo xtask test` in node (not in
//! Chromium) and by `cargo xtask fuzz --seconds N`.
#![cfg(target_arch = "wasm32")]

#[path = "../fuzz/json.rs"]
mod json;
#[path = "../fuzz/rng.rs"]
mod rng;

use json::{Corpus, J, LANDSCAPES, PATHS, RUNS, TRAININGS};
use optiscape::budget::{Limits, Raise};
use optiscape::nn::TrainConfig;
use optiscape::web::{
    check_optimizer, classifier_catalog, classifier_check, final_point, log_ticks, phase_axes,
    phase_axis_fraction, phase_check, phase_colorbar, phase_target, presets, scene_json,
    scene_list, schedule_lrs, schedules, ticks, torch_code, train_summary, HessianJob, Lab,
    LandscapeView, PhaseSweep, Sweep, Trainer, WeightTrail,
};
use rng::Rng;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_node_experimental);

#[wasm_bindgen]
extern "C" {
    /// Node's `process.stdout.write` (the test runner keeps console output of passing tests).
    #[wasm_bindgen(js_namespace = ["process", "stdout"], js_name = write)]
    fn stdout_write(text: &str);
}

/// Seconds per target.
fn seconds() -> f64 {
    option_env!("OPTISCAPE_FUZZ_SECONDS")
        .and_then(|s| s.parse().ok())
        .unwrap_or(3.0)
}

thread_local! {
    /// The call in progress, printed by the panic hook.
    static CALL: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Notes the call about to be made (the panic hook says it).
fn call(what: impl FnOnce() -> String) {
    CALL.with(|c| *c.borrow_mut() = what());
}

/// One training epoch of this size is cheap enough for a fuzzed `Trainer`.
const TRAINER_LIMITS: Limits = Limits {
    steps: 0.0,
    multiply_adds: 2e6,
    bytes: 0.0,
};

const F64S: &[f64] = &[
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    0.0,
    -0.0,
    5e-324,
    2.2250738585072014e-308,
    1e-300,
    1e308,
    -1e308,
    f64::MAX,
    1.0,
    -1.0,
    0.5,
    2.0,
    1e-9,
    1e9,
];

const SIZES: &[usize] = &[
    0,
    1,
    2,
    3,
    7,
    64,
    255,
    256,
    257,
    1000,
    1025,
    4096,
    8193,
    65536,
    1 << 20,
    u32::MAX as usize,
    usize::MAX,
];

fn f(rng: &mut Rng) -> f64 {
    if rng.one_in(3) {
        (rng.next() as f64 / u64::MAX as f64 - 0.5) * 10f64.powi(rng.below(12) as i32 - 4)
    } else {
        *rng.pick(F64S)
    }
}

fn size(rng: &mut Rng) -> usize {
    if rng.one_in(2) {
        rng.below(40)
    } else {
        *rng.pick(SIZES)
    }
}

/// A size for a picture or a grid: mostly small, sometimes past every limit.
fn side(rng: &mut Rng) -> usize {
    if rng.one_in(8) {
        *rng.pick(SIZES)
    } else {
        rng.below(48)
    }
}

/// A finite job budget in milliseconds (at most 2 ms; none, negative and subnormal ones too).
fn budget(rng: &mut Rng) -> f64 {
    *rng.pick(&[f64::NEG_INFINITY, -1.0, -0.0, 0.0, 5e-324, 0.3, 2.0])
}

fn text(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => String::new(),
        1 => (0..rng.below(30))
            .map(|_| char::from_u32(rng.below(0x800) as u32).unwrap_or('?'))
            .collect(),
        _ => rng
            .pick(&[
                "rosenbrock",
                "bowl",
                "saddle",
                "x^2+y^2",
                "sni(x)",
                "x^1e308",
                "equalized",
                "log",
                "final_loss",
                "steps_to_target",
                "diverged",
                "escape",
                "lrs",
                "optimizers",
                "cosine",
                "onecycle",
                "saddle_escape",
                "warmup",
                "{}",
                "[]",
                "null",
                "\u{0}",
            ])
            .to_string(),
    }
}

/// Runs `target`'s `step` for the time budget; prints the number of calls.
fn fuzz(target: &str, mut step: impl FnMut(&mut Rng)) {
    let seed = js_sys::Date::now() as u64 | 1;
    let name = target.to_string();
    std::panic::set_hook(Box::new(move |info| {
        let input = CALL.with(|c| c.borrow().clone());
        stdout_write(&format!(
            "FAILED web fuzz {name} (seed {seed}): {info}\n  on the call {input}\n"
        ));
    }));
    let mut rng = Rng(seed);
    let start = js_sys::Date::now();
    let budget = seconds() * 1000.0;
    let mut calls = 0u64;
    while js_sys::Date::now() - start < budget {
        step(&mut rng);
        calls += 1;
    }
    let secs = (js_sys::Date::now() - start) / 1000.0;
    stdout_write(&format!(
        "web fuzz {target}: {calls} inputs in {secs:.1} s ({:.0} inputs/s), no trap\n",
        calls as f64 / secs
    ));
}

fn donors(texts: &[&str]) -> Vec<J> {
    let mut out = Vec::new();
    for t in texts {
        J::from(&serde_json::from_str(t).expect("seed JSON")).subtrees(&mut out);
    }
    out
}

fn corpus(seeds: &[&str], all: &[J]) -> Corpus {
    Corpus::new(seeds.iter().map(|s| s.to_string()).collect(), all)
}

fn all_seeds() -> Vec<&'static str> {
    RUNS.iter()
        .chain(TRAININGS)
        .chain(LANDSCAPES)
        .copied()
        .collect()
}

#[wasm_bindgen_test]
fn fuzz_free_functions() {
    let all = donors(&all_seeds());
    let runs = corpus(RUNS, &all);
    let optimizers: Vec<String> = RUNS
        .iter()
        .map(|r| {
            let v: serde_json::Value = serde_json::from_str(r).unwrap();
            v["optimizer"].to_string()
        })
        .collect();
    let schedule_seeds: Vec<String> = RUNS
        .iter()
        .filter_map(|r| {
            let v: serde_json::Value = serde_json::from_str(r).unwrap();
            v.get("schedule").map(|s| s.to_string())
        })
        .collect();
    let opts = Corpus::new(optimizers, &all);
    let scheds = Corpus::new(schedule_seeds, &all);
    // A positive control: every seed run config is accepted as it is.
    for j in &runs.texts {
        call(|| format!("torch_code({j:?}) of a seed"));
        assert!(torch_code(j).is_ok(), "a seed run config was refused: {j}");
    }
    // The catalogs take no argument (and build every scene): one call is every input they have.
    call(|| "catalogs".into());
    presets()
        .and(schedules())
        .and(classifier_catalog())
        .and(scene_list())
        .expect("the catalogs");
    // `scene_json` is a pure function of its id, and building a scene is slow: an id already
    // built is the same input again, so an id seen before is replaced by a near miss of it.
    let mut scene_ids = std::collections::HashSet::new();
    fuzz("free functions", |rng| {
        let _ = match rng.below(13) {
            0 => {
                let j = json::mutate(rng, &opts);
                call(|| format!("check_optimizer({j:?})"));
                check_optimizer(&j).map(|_| ())
            }
            1 => {
                let (j, lr, n) = (json::mutate(rng, &scheds), f(rng), side(rng));
                call(|| format!("schedule_lrs({j:?}, {lr}, {n})"));
                schedule_lrs(&j, lr, n).map(|_| ())
            }
            3 => {
                let (lo, hi, n) = (f(rng), f(rng), size(rng));
                call(|| format!("ticks({lo}, {hi}, {n})"));
                ticks(lo, hi, n);
                Ok(())
            }
            4 => {
                let (lo, hi) = (f(rng), f(rng));
                call(|| format!("log_ticks({lo}, {hi})"));
                log_ticks(lo, hi);
                Ok(())
            }
            5 => {
                let j = json::mutate(rng, &runs);
                call(|| format!("phase_axes({j:?})"));
                phase_axes(&j).map(|_| ())
            }
            6 => {
                let j = json::mutate(rng, &runs);
                let (x0, x1, y0, y1) = (f(rng), f(rng), f(rng), f(rng));
                call(|| format!("phase_target({j:?}, {x0}, {x1}, {y0}, {y1})"));
                phase_target(&j, x0, x1, y0, y1).map(|_| ())
            }
            7 => {
                let (min, max, n, log, v) = (f(rng), f(rng), size(rng), rng.one_in(2), f(rng));
                call(|| format!("phase_axis_fraction({min}, {max}, {n}, {log}, {v})"));
                phase_axis_fraction(min, max, n, log, v);
                Ok(())
            }
            8 => {
                let n = side(rng);
                call(|| format!("phase_colorbar({n})"));
                phase_colorbar(n);
                Ok(())
            }
            9 => {
                let j = json::mutate(rng, &runs);
                call(|| format!("torch_code({j:?})"));
                torch_code(&j).map(|_| ())
            }
            10 => {
                let j = json::mutate(rng, &runs);
                call(|| format!("phase_check({j:?})"));
                phase_check(&j).map(|_| ())
            }
            11 => {
                let (s, j, steps) = (text(rng), json::mutate(rng, &opts), rng.below(300));
                let (x, y) = (f(rng), f(rng));
                call(|| format!("final_point({s:?}, {j:?}, {x}, {y}, {steps})"));
                final_point(&s, &j, x, y, steps).map(|_| ())
            }
            _ => {
                let mut id = text(rng);
                while !scene_ids.insert(id.clone()) {
                    // Seen: a near miss of it instead (an unknown id, or one not built yet).
                    id.push(char::from_u32(rng.below(0x80) as u32).unwrap_or('?'));
                }
                call(|| format!("scene_json({id:?})"));
                scene_json(&id).map(|_| ())
            }
        };
    });
}

#[wasm_bindgen_test]
fn fuzz_lab() {
    let all = donors(&all_seeds());
    let runs = corpus(RUNS, &all);
    let mut lab = Lab::new().expect("a lab");
    fuzz("Lab", |rng| {
        let _ = match rng.below(18) {
            0 => {
                call(|| "Lab::new()".into());
                Lab::new().map(|l| lab = l)
            }
            1 => {
                let s = text(rng);
                call(|| format!("set_surface({s:?})"));
                lab.set_surface(&s)
            }
            2 => {
                let v = [f(rng), f(rng), f(rng), f(rng)];
                call(|| format!("set_view({v:?})"));
                lab.set_view(v[0], v[1], v[2], v[3])
            }
            3 => {
                let s = text(rng);
                call(|| format!("set_color_scale({s:?})"));
                lab.set_color_scale(&s)
            }
            4 => {
                let (w, h) = (side(rng), side(rng));
                call(|| format!("render_heatmap({w}, {h})"));
                lab.render_heatmap(w, h).map(|_| ())
            }
            5 => {
                let (nx, ny, l) = (side(rng), side(rng), size(rng));
                call(|| format!("contours({nx}, {ny}, {l})"));
                lab.contours(nx, ny, l).map(|_| ())
            }
            6 => {
                let (nx, ny) = (side(rng), side(rng));
                call(|| format!("eval_grid({nx}, {ny})"));
                lab.eval_grid(nx, ny).map(|_| ())
            }
            7 => {
                let (x, y) = (f(rng), f(rng));
                call(|| format!("inspect({x}, {y}) and value, project_3d"));
                lab.value(x, y);
                lab.project_3d(x, y);
                lab.inspect(x, y).map(|_| ())
            }
            8 => {
                let (kind, x, y) = (text(rng), f(rng), f(rng));
                let sel = json::mutate(rng, &runs);
                call(|| format!("compare_runs({kind:?}, {x}, {y}, {sel:?})"));
                lab.compare_runs(&kind, x, y, &sel).map(|_| ())
            }
            9 => {
                let (x, y, nx, ny) = (f(rng), f(rng), side(rng), side(rng));
                call(|| format!("taylor_contours({x}, {y}, {nx}, {ny})"));
                lab.taylor_contours(x, y, nx, ny).map(|_| ())
            }
            10 | 11 => {
                let n = rng.below(10);
                let list: Vec<String> = (0..n).map(|_| json::mutate(rng, &runs)).collect();
                let j = if rng.one_in(10) {
                    json::mutate(rng, &runs)
                } else {
                    format!("[{}]", list.join(","))
                };
                call(|| format!("set_runs({j:?})"));
                lab.set_runs(&j).map(|_| ())
            }
            12 => {
                let (i, t) = (size(rng), size(rng));
                call(|| format!("run arrays and anatomy of run {i} at {t}"));
                lab.run_x(i);
                lab.run_y(i);
                lab.run_loss(i);
                lab.run_lr(i);
                lab.run_grad_norm(i);
                lab.run_divergence(i);
                lab.run_anatomy(i, t);
                lab.project_run_3d(i);
                Ok(())
            }
            13 => {
                let (t, n) = (size(rng), size(rng));
                call(|| format!("set_step({t}), advance({n})"));
                lab.set_step(t);
                lab.advance(n);
                lab.max_step();
                Ok(())
            }
            14 => {
                call(|| "runs_json, runs_csv".into());
                lab.runs_csv();
                lab.runs_json().map(|_| ())
            }
            15 => {
                let j = json::mutate(rng, &runs);
                call(|| format!("set_run({j:?}) and its arrays"));
                let r = lab.set_run(&j).map(|_| ());
                lab.trajectory_x();
                lab.trajectory_loss();
                lab.diverged_at();
                r
            }
            16 => {
                let s = text(rng);
                call(|| format!("check_formula / preset_view({s:?})"));
                Lab::preset_view(&s);
                Lab::check_formula(&s)
            }
            _ => {
                call(|| "contour_levels, view, formula".into());
                lab.contour_levels();
                lab.view();
                lab.formula();
                lab.preset_start();
                Ok(())
            }
        };
    });
}

#[wasm_bindgen_test]
fn fuzz_phase_sweep() {
    let all = donors(&all_seeds());
    let sweeps: Vec<String> = RUNS
        .iter()
        .enumerate()
        .map(|(i, run)| {
            let mut run: serde_json::Value = serde_json::from_str(run).unwrap();
            run["steps"] = serde_json::Value::from(10 + i);
            format!(
                r#"{{"run":{run},"x":{{"path":"optimizer.lr","min":0.001,"max":0.5,"n":4,"log":true}},"y":{{"path":"{}","min":-1,"max":1,"n":3}},"target_loss":0.01}}"#,
                PATHS[i % PATHS.len()]
            )
        })
        .collect();
    let sweeps = Corpus::new(sweeps, &all);
    let mut job: Option<PhaseSweep> = None;
    fuzz("PhaseSweep", |rng| {
        let _ = match (rng.below(6), job.as_mut()) {
            (0 | 1, _) | (_, None) => {
                let j = json::mutate(rng, &sweeps);
                call(|| format!("PhaseSweep::new({j:?})"));
                PhaseSweep::new(&j).map(|s| job = Some(s))
            }
            (2, Some(s)) => {
                let b = budget(rng);
                call(|| format!("advance({b})"));
                s.advance(b).map(|_| ())
            }
            (3, Some(s)) => {
                let c = text(rng);
                call(|| format!("render({c:?})"));
                s.render(&c).map(|_| ())
            }
            (4, Some(s)) => {
                call(|| "arrays and scale_json".into());
                s.rows_done();
                s.x_values();
                s.final_loss();
                s.steps_to_target();
                s.diverged_at();
                s.scale_json().map(|_| ())
            }
            (_, Some(s)) => {
                call(|| "finish() of a small sweep".into());
                if s.rows() * s.cols() <= 16 {
                    s.finish()
                } else {
                    Ok(())
                }
            }
        };
    });
}

#[wasm_bindgen_test]
fn fuzz_trainer() {
    let all = donors(&all_seeds());
    let trainings = corpus(TRAININGS, &all);
    let spectrum = Corpus::new(
        vec![
            r#"{}"#.into(),
            r#"{"method":"exact","mode":"eval","max_rows":50}"#.into(),
            r#"{"method":"lanczos","extremes":2}"#.into(),
        ],
        &all,
    );
    let planes = Corpus::new(
        vec![
            r#"{"method":"pca","grid":5,"span":1.2}"#.into(),
            r#"{"method":"random","grid":3,"seed":2}"#.into(),
        ],
        &all,
    );
    // A plane JSON for `LandscapeView` (the seed of its mutations).
    let plane =
        optiscape::landscape::landscape_from_config(&serde_json::from_str(LANDSCAPES[0]).unwrap())
            .expect("a plane")
            .to_string();
    let views = Corpus::new(vec![plane], &all);
    let sweeps = Corpus::new(
        vec![format!(
            r#"{{"base":{},"batch_sizes":[1,10,1000000],"epochs":2}}"#,
            TRAININGS[0]
        )],
        &all,
    );
    // Regression: a first batch near usize::MAX wrapped `first_batch + losses.len()` around
    // (src/nn/trainer/external.rs) and trapped; it is refused.
    let mut t = Trainer::new(TRAININGS[0]).expect("a seed trainer");
    t.gpu_plan()
        .and(t.gpu_next(2))
        .expect("two planned updates");
    call(|| "gpu_chunk(usize::MAX, [1, 1, 1, 1], [], [])".into());
    assert!(t
        .gpu_chunk(usize::MAX, vec![1.0; 4], vec![], vec![])
        .is_err());
    let mut trainer: Option<Trainer> = Some(t);
    let mut trail = WeightTrail::new(8).expect("a trail");
    let mut view = None;
    fuzz("Trainer", |rng| {
        let Some(t) = trainer.as_mut().filter(|_| !rng.one_in(6)) else {
            let j = json::mutate(rng, &trainings);
            // Only a config whose one epoch is small is trained; the others are refused by
            // the decoder or would only be slow.
            let small = TrainConfig::from_json(&j).map_or(true, |mut c| {
                c.epochs = c.epochs.min(1);
                TRAINER_LIMITS.check(&c.cost(), Raise::Controls).is_ok()
            });
            if small {
                call(|| format!("Trainer::new({j:?})"));
                if let Ok(t) = Trainer::new(&j) {
                    trainer = Some(t);
                    trail.clear();
                }
                let wanted = side(rng);
                call(|| format!("classifier_check({j:?}, {wanted})"));
                let _ = classifier_check(&j, wanted);
            }
            return;
        };
        let mut step = || -> Result<(), JsValue> {
            match rng.below(14) {
                0 | 1 => {
                    let (b, n, end) = (f(rng), rng.below(4), rng.one_in(2));
                    call(|| format!("run({b}, {n}, {end})"));
                    let r = t.run(b, n, end).map(|_| ());
                    trail.record(t);
                    r
                }
                2 => {
                    let (s, dark) = (side(rng), rng.one_in(2));
                    call(|| format!("render_boundary({s}, {dark})"));
                    t.render_boundary(s, dark).map(|_| ())
                }
                3 => {
                    let (count, cols) = (size(rng), size(rng));
                    call(|| format!("render_digits({count}, {cols}, false)"));
                    t.render_digits(count, cols, false).map(|_| ())
                }
                4 => {
                    call(|| "test_predictions, confusion, info, history, points".into());
                    t.train_points();
                    t.test_labels();
                    t.info().and(t.history()).map(|_| ())?;
                    t.test_predictions().map(|_| ())?;
                    t.confusion().map(|_| ())
                }
                5 => {
                    let n = rng.below(4);
                    call(|| format!("gpu_plan, gpu_next({n})"));
                    t.gpu_params();
                    t.gpu_features(rng.one_in(2));
                    t.gpu_labels(rng.one_in(2));
                    t.gpu_plan().and(t.gpu_next(n)).map(|_| ())
                }
                6 => {
                    let first = size(rng);
                    let mut v = || (0..rng.below(6)).map(|_| f(rng)).collect::<Vec<f64>>();
                    let (losses, state, eval) = (v(), v(), v());
                    call(|| format!("gpu_chunk({first}, {losses:?}, {state:?}, {eval:?})"));
                    t.gpu_chunk(first, losses, state, eval).map(|_| ())
                }
                7 => {
                    let mut params = t.gpu_params();
                    let mut opt = t.gpu_optimizer_state();
                    if let Some(p) = params.first_mut() {
                        *p = f(rng);
                    }
                    if rng.one_in(2) {
                        params.push(f(rng));
                    }
                    if rng.one_in(2) {
                        opt.truncate(rng.below(opt.len() + 1));
                    }
                    call(|| format!("gpu_handover({params:?}, {opt:?})"));
                    t.gpu_handover(params, opt).map(|_| ())
                }
                8 => {
                    let j = json::mutate(rng, &spectrum);
                    call(|| format!("HessianJob::new(trainer, {j:?}) and advance"));
                    let mut job = HessianJob::new(t, &j)?;
                    job.advance(budget(rng))?;
                    job.progress();
                    job.result().map(|_| ())
                }
                9 => {
                    let j = json::mutate(rng, &planes);
                    call(|| format!("landscape_job(trainer, {j:?}) and advance"));
                    let mut job = trail.landscape_job(t, &j)?;
                    job.advance(budget(rng))?;
                    job.result().map(|_| ())
                }
                10 => {
                    let (count, j) = (size(rng), json::mutate(rng, &spectrum));
                    call(|| format!("ratio_job(trainer, {count}, {j:?}) and advance"));
                    let mut job = trail.ratio_job(t, count, &j)?;
                    job.advance(budget(rng))?;
                    job.samples().map(|_| ())
                }
                11 => {
                    let cap = size(rng);
                    call(|| format!("WeightTrail::new({cap})"));
                    WeightTrail::new(cap).map(|w| trail = w)
                }
                12 => {
                    let j = json::mutate(rng, &sweeps);
                    call(|| format!("Sweep::new({j:?}) and advance"));
                    let mut s = Sweep::new(&j)?;
                    s.advance(budget(rng))?;
                    s.rows().map(|_| ())
                }
                _ => {
                    let Some(v) = view.as_mut().filter(|_| !rng.one_in(4)) else {
                        let j = json::mutate(rng, &views);
                        call(|| format!("LandscapeView::new({j:?})"));
                        if let Ok(v) = LandscapeView::new(&j) {
                            view = Some(v);
                        }
                        return Ok(());
                    };
                    let (w, h, l, x, y) = (side(rng), side(rng), size(rng), f(rng), f(rng));
                    let c = text(rng);
                    call(|| {
                        format!("LandscapeView: {w}x{h} heatmap, {l} contours at {x},{y}, {c:?}")
                    });
                    let _ = v.set_color_scale(&c);
                    v.value(x, y);
                    v.contours(l);
                    v.project_run_3d(size(rng));
                    v.render_heatmap(w, h).map(|_| ())
                }
            }
        };
        let _ = step();
    });
}

#[wasm_bindgen_test]
fn fuzz_train_summary_refuses_or_answers() {
    // train_summary trains a whole config: only the decoder's refusals are fuzzed here.
    let all = donors(&all_seeds());
    let trainings = corpus(TRAININGS, &all);
    fuzz("train_summary", |rng| {
        let j = json::mutate(rng, &trainings);
        if TrainConfig::from_json(&j).is_err() {
            call(|| format!("train_summary({j:?})"));
            assert!(train_summary(&j).is_err(), "the decoder refused {j:?}");
        }
    });
}
