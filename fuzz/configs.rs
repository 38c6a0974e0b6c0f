//! Fuzzes every JSON config decoder of the core with random and mutated JSON: the run config
//! (`RunConfig::from_json`), the training config (`TrainConfig::from_json`), the phase sweep
//! (`phase::SweepConfig::from_json`), the loss landscape (`landscape::parse_config`) and the
//! lecture scenes as `www/scenes/scenes.json` holds them (the scene id and every run and
//! classifier config in them). Each decoder must answer `Ok` or a typed `Err`, never panic;
//! an accepted config also does a bounded amount of its real work (a few steps, one grid
//! row, a small plane: a clamped copy checked against small [`Limits`] of the cost model), so
//! a value that is accepted but poisons the work is found too. No input may run longer than
//! the harness's hang limit (`fuzz/harness.rs`).
//!
//! The corpus: the reference trajectories' cases (`tests/refs/optim_trajectories.json`), the
//! scenes' configs, and the seed configs of `fuzz/json.rs`, whose mutations work on the JSON
//! tree (drop, duplicate, add and retype keys, extreme and malformed numbers, long and
//! control-character strings, deep nesting, subtrees spliced from other configs) and then on
//! the text's bytes.
//! `cargo test` runs each target for 3 s; `cargo xtask fuzz --seconds N` for longer
//! (OPTISCAPE_FUZZ_SECONDS, OPTISCAPE_FUZZ_SEED, OPTISCAPE_FUZZ_TARGET=run,training,...).

mod harness;
mod json;
mod rng;

use harness::Settings;
use json::{Corpus, J, LANDSCAPES, PATHS, RUNS, TRAININGS};
use optiscape::budget::{Cost, Limits, Raise};
use optiscape::config::RunConfig;
use optiscape::nn::TrainConfig;
use optiscape::{landscape, phase, scene, Error};
use serde_json::Value;

/// What one accepted input may do: far below any real limit, so a long run tries many.
const FUZZ_LIMITS: Limits = Limits {
    steps: 400.0,
    multiply_adds: 4e5,
    bytes: 1e6,
};
/// The most optimizer steps of one run's bounded work.
const RUN_STEPS: usize = 200;
/// The most updates of one training config's bounded work.
const TRAIN_STEPS: usize = 3;

/// The decoders' errors are typed: a panic is the only failure, but an `Err` must say
/// something.
fn typed(e: &Error) -> Result<(), String> {
    if e.to_string().is_empty() {
        return Err(format!("an error without a message: {e:?}"));
    }
    Ok(())
}

/// A run config's bounded work: the trajectory with the anatomy (what the lab records) of at
/// most [`RUN_STEPS`] steps, and its PyTorch script.
fn run_work(cfg: &RunConfig) -> Result<(), String> {
    let mut cfg = cfg.clone();
    cfg.steps = cfg.steps.min(RUN_STEPS);
    FUZZ_LIMITS
        .check(
            &Cost::steps("trajectory", 1, "run", cfg.steps),
            Raise::Controls,
        )
        .map_err(|e| format!("the bounded run is over the fuzz limit: {e}"))?;
    match optiscape::sim::simulate_with_anatomy(&cfg) {
        Ok(tr) => {
            let n = tr.x.len();
            if tr.y.len() != n || tr.loss.len() != n || n > cfg.steps + 1 {
                return Err(format!(
                    "a trajectory of {n} x, {} y, {} losses for {} steps",
                    tr.y.len(),
                    tr.loss.len(),
                    cfg.steps
                ));
            }
        }
        Err(e) => typed(&e)?,
    }
    if let Err(e) = optiscape::export::torch_code(&cfg) {
        typed(&e)?;
    }
    Ok(())
}

fn check_run(text: &str) -> Result<bool, String> {
    match RunConfig::from_json(text) {
        Ok(cfg) => run_work(&cfg).map(|()| true),
        Err(e) => typed(&e).map(|()| false),
    }
}

/// A training config's bounded work, when one epoch of it is within [`FUZZ_LIMITS`]: build
/// the data, the network and the optimizer, take up to [`TRAIN_STEPS`] updates and evaluate.
fn train_work(cfg: &TrainConfig) -> Result<(), String> {
    let mut one = cfg.clone();
    one.epochs = one.epochs.min(1);
    if FUZZ_LIMITS.check(&one.cost(), Raise::Controls).is_err() {
        return Ok(());
    }
    let mut session = match one.build() {
        Ok(s) => s,
        Err(e) => return typed(&e),
    };
    let t = &mut session.trainer;
    for _ in 0..TRAIN_STEPS {
        if t.diverged_at().is_some() {
            break;
        }
        if let Err(e) = t.step() {
            return typed(&e);
        }
    }
    if let Err(e) = t.evaluate_train() {
        typed(&e)?;
    }
    if let Err(e) = t.evaluate_test() {
        typed(&e)?;
    }
    Ok(())
}

fn check_training(text: &str) -> Result<bool, String> {
    match TrainConfig::from_json(text) {
        Ok(cfg) => {
            // The cost of any accepted config is a number the limits can judge.
            let _ = Limits::LINK.check(&cfg.cost(), Raise::Controls);
            train_work(&cfg).map(|()| true)
        }
        Err(e) => typed(&e).map(|()| false),
    }
}

/// A sweep's bounded work: at most 3×3 cells of at most 40 steps, and each colouring's image.
fn check_phase(text: &str) -> Result<bool, String> {
    let mut cfg = match phase::SweepConfig::from_json(text) {
        Ok(cfg) => cfg,
        Err(e) => return typed(&e).map(|()| false),
    };
    cfg.x.n = cfg.x.n.min(3);
    cfg.y.n = cfg.y.n.min(3);
    cfg.run.steps = cfg.run.steps.min(40);
    let cells = cfg.x.n * cfg.y.n;
    FUZZ_LIMITS
        .check(
            &Cost::steps("phase_sweep", cells, "cells", cfg.run.steps),
            Raise::Controls,
        )
        .map_err(|e| format!("the bounded sweep is over the fuzz limit: {e}"))?;
    let steps = cfg.run.steps;
    let mut job = match phase::Job::new(cfg) {
        Ok(job) => job,
        Err(e) => return typed(&e).map(|()| true),
    };
    loop {
        match job.step_row() {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return typed(&e).map(|()| true),
        }
    }
    let sweep = job.into_sweep();
    if sweep.final_loss.len() != cells {
        return Err(format!(
            "{} cells measured of {cells}",
            sweep.final_loss.len()
        ));
    }
    for name in ["final_loss", "steps_to_target", "diverged"] {
        if let Ok(coloring) = phase::Coloring::parse(name) {
            let image = phase::image::image(&sweep, coloring, steps);
            if image.rgba.len() != cells * 4 {
                return Err(format!(
                    "an image of {} bytes for {cells} cells",
                    image.rgba.len()
                ));
            }
        }
    }
    Ok(true)
}

/// A landscape config's bounded work, when one epoch of training and a grid of at most 5×5
/// are within [`FUZZ_LIMITS`]: train, record, and compute the plane.
fn check_landscape(text: &str) -> Result<bool, String> {
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return Ok(false);
    };
    let (cfg, mut options) = match landscape::parse_config(&value) {
        Ok(parsed) => parsed,
        Err(e) => return typed(&e).map(|()| false),
    };
    let mut one = cfg.clone();
    one.epochs = one.epochs.min(1);
    options.grid = options.grid.min(5);
    options.max_points = options.max_points.min(20);
    let (params, rows) = one.size();
    let mut cost = one.cost();
    cost.amount += (options.grid * options.grid) as f64 * params as f64 * rows as f64;
    cost.what = "landscape";
    if FUZZ_LIMITS.check(&cost, Raise::Controls).is_err() {
        return Ok(true);
    }
    let mut session = match one.build() {
        Ok(s) => s,
        Err(e) => return typed(&e).map(|()| true),
    };
    match landscape::session_landscape(&mut session, one.epochs, &options) {
        Ok(l) => {
            let n = options.grid * options.grid;
            if l.plane.values.len() != n {
                return Err(format!(
                    "a plane of {} values for a {}² grid",
                    l.plane.values.len(),
                    options.grid
                ));
            }
            Ok(true)
        }
        Err(e) => typed(&e).map(|()| true),
    }
}

thread_local! {
    /// The scene configs whose bounded work was done (most mutated scenes repeat all but one).
    static DONE: std::cell::RefCell<std::collections::HashMap<String, bool>> = Default::default();
}

/// Checks one config of a scene with `check` unless the same text was checked before.
fn once(text: String, check: fn(&str) -> Result<bool, String>) -> Result<bool, String> {
    if let Some(accepted) = DONE.with(|d| d.borrow().get(&text).copied()) {
        return Ok(accepted);
    }
    let accepted = check(&text)?;
    DONE.with(|d| {
        let mut d = d.borrow_mut();
        if d.len() > 100_000 {
            d.clear();
        }
        d.insert(text, accepted);
    });
    Ok(accepted)
}

/// A scene as `www/scenes/scenes.json` holds it: its id is looked up, and every run config of
/// its panels and every classifier config is decoded and does its bounded work (once per
/// distinct config text).
fn check_scene(text: &str) -> Result<bool, String> {
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return Ok(false);
    };
    let mut accepted = false;
    if let Some(id) = value.get("id").and_then(Value::as_str) {
        match scene::scene(id) {
            Ok(_) => accepted = true,
            Err(e) => typed(&e)?,
        }
    }
    let list = |v: &Value, key: &str| -> Vec<Value> {
        v.get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    for panel in list(&value, "panels") {
        for run in list(&panel, "runs") {
            if let Some(config) = run.get("config") {
                accepted |= once(config.to_string(), check_run)?;
            }
        }
    }
    for run in list(&value, "classifier") {
        if let Some(config) = run.get("config") {
            accepted |= once(config.to_string(), check_training)?;
        }
    }
    Ok(accepted)
}

/// Reads a JSON file of the repository.
fn repo_json(path: &str) -> Value {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The corpora of every target.
struct Corpora {
    runs: Vec<String>,
    trainings: Vec<String>,
    sweeps: Vec<String>,
    landscapes: Vec<String>,
    scenes: Vec<String>,
    donors: Vec<J>,
}

fn corpora() -> Corpora {
    let mut runs: Vec<String> = RUNS.iter().map(|s| s.to_string()).collect();
    let refs = repo_json("tests/refs/optim_trajectories.json");
    for case in refs["cases"].as_array().into_iter().flatten() {
        runs.push(case["case"].to_string());
    }
    let mut trainings: Vec<String> = TRAININGS.iter().map(|s| s.to_string()).collect();
    let mut scenes = Vec::new();
    for s in repo_json("www/scenes/scenes.json")
        .as_array()
        .into_iter()
        .flatten()
    {
        scenes.push(s.to_string());
        for panel in s["panels"].as_array().into_iter().flatten() {
            for run in panel["runs"].as_array().into_iter().flatten() {
                runs.push(run["config"].to_string());
            }
        }
        for run in s["classifier"].as_array().into_iter().flatten() {
            trainings.push(run["config"].to_string());
        }
    }
    let mut sweeps = Vec::new();
    for (i, run) in runs.iter().take(24).enumerate() {
        let mut run: Value = serde_json::from_str(run).expect("a run config");
        run["steps"] = Value::from(20 + i);
        let (x, y) = (PATHS[i % 8], PATHS[(i + 3) % 8]);
        sweeps.push(format!(
            r#"{{"run":{run},"x":{{"path":"{x}","min":0.001,"max":0.5,"n":3,"log":{}}},"y":{{"path":"{y}","min":-1,"max":1,"n":2}},"target_loss":0.01}}"#,
            i % 2 == 0
        ));
    }
    let landscapes: Vec<String> = LANDSCAPES.iter().map(|s| s.to_string()).collect();
    let mut donors = Vec::new();
    for text in runs
        .iter()
        .chain(&trainings)
        .chain(&sweeps)
        .chain(&landscapes)
    {
        J::from(&serde_json::from_str::<Value>(text).expect("corpus JSON parses"))
            .subtrees(&mut donors);
    }
    donors.extend(PATHS.iter().map(|p| J::Str(p.to_string())));
    Corpora {
        runs,
        trainings,
        sweeps,
        landscapes,
        scenes,
        donors,
    }
}

fn target(
    name: &str,
    settings: &Settings,
    texts: &[String],
    donors: &[J],
    check: fn(&str) -> Result<bool, String>,
) -> u64 {
    let corpus = Corpus::new(texts.to_vec(), donors);
    harness::fuzz(
        name,
        settings,
        &corpus.texts,
        |rng| json::mutate(rng, &corpus),
        check,
    )
}

fn main() {
    let c = corpora();
    harness::main_of(
        "the config decoders",
        &[
            ("run", &|s| target("run", s, &c.runs, &c.donors, check_run)),
            ("training", &|s| {
                target("training", s, &c.trainings, &c.donors, check_training)
            }),
            ("phase", &|s| {
                target("phase", s, &c.sweeps, &c.donors, check_phase)
            }),
            ("landscape", &|s| {
                target("landscape", s, &c.landscapes, &c.donors, check_landscape)
            }),
            ("scene", &|s| {
                target("scene", s, &c.scenes, &c.donors, check_scene)
            }),
        ],
    );
}
