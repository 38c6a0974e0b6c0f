//! Phase diagrams: sweep two hyper-parameters of a run over a grid and measure each cell (final
//! loss, steps to reach a target loss, divergence), so a student sees where a learning rate and
//! a momentum, say, work together and where they blow up.

use crate::config::RunConfig;
use crate::error::{Error, Expected, Result};
use crate::expr::Formula;
use crate::sim::{run_loop, Observer, RunOptions, Termination};
use crate::surface::{resolve, Surface};
use serde::{Deserialize, Serialize};
use serde_json::Value;

mod axes;
pub mod image;

pub use axes::{choices, suggested_target, AxisChoice};
pub use image::{colorbar_rgba, Coloring, Image, Scale};

/// One swept parameter: a dotted path into the run config (`optimizer.lr`,
/// `optimizer.momentum`, `optimizer.betas.0`, `schedule.gamma`, `start.1`...) and its values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Axis {
    pub path: String,
    /// `null` (what JSON makes of NaN) reads as NaN, which [`prepare`] names as a bad range.
    #[serde(deserialize_with = "number_or_null")]
    pub min: f64,
    #[serde(deserialize_with = "number_or_null")]
    pub max: f64,
    pub n: usize,
    /// Log-spaced values (min and max > 0) instead of linear ones.
    #[serde(default)]
    pub log: bool,
}

impl Axis {
    /// The swept values, min to max.
    pub fn values(&self) -> Vec<f64> {
        let n = self.n.max(1);
        (0..n)
            .map(|i| {
                let f = if n == 1 {
                    0.0
                } else {
                    i as f64 / (n - 1) as f64
                };
                if self.log {
                    (self.min.ln() + f * (self.max.ln() - self.min.ln())).exp()
                } else {
                    self.min + f * (self.max - self.min)
                }
            })
            .collect()
    }

    fn validate(&self, name: &str) -> Result<()> {
        if !(self.min.is_finite() && self.max.is_finite() && self.min < self.max) {
            return Err(Error::invalid_as(
                &format!("{name}.min/max"),
                format!("{}..{}", self.min, self.max),
                Expected::Ordered,
            ));
        }
        if self.log && self.min <= 0.0 {
            return Err(Error::invalid_as(
                &format!("{name}.min"),
                self.min,
                Expected::PositiveOnLog,
            ));
        }
        if self.n == 0 || self.n > MAX_AXIS_VALUES {
            return Err(Error::invalid_as(
                &format!("{name}.n"),
                self.n,
                Expected::Count {
                    min: 1,
                    max: MAX_AXIS_VALUES,
                    unit: "values".into(),
                },
            ));
        }
        Ok(())
    }
}

/// The most values on one axis.
pub const MAX_AXIS_VALUES: usize = 256;
/// The most steps of one cell's run.
pub const MAX_SWEEP_STEPS: usize = 20_000;

fn number_or_null<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

/// A sweep: the base run, the two axes and the target loss for "steps to target".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepConfig {
    pub run: RunConfig,
    pub x: Axis,
    pub y: Axis,
    /// A run "arrives" at the first step whose loss is ≤ this.
    pub target_loss: f64,
}

impl SweepConfig {
    /// Reads a sweep config from JSON. A `run.steps` that is no whole number from 1 to
    /// [`MAX_SWEEP_STEPS`] is an error naming `run.steps` (not serde's words); other shapes
    /// that are not a sweep config are an [`Error::Parse`].
    pub fn from_json(text: &str) -> Result<SweepConfig> {
        let v: Value = serde_json::from_str(text).map_err(|e| Error::parse("sweep config", e))?;
        if let Some(steps) = v.get("run").and_then(|run| run.get("steps")) {
            let whole = steps.as_u64().map(|s| s as usize);
            if !whole.is_some_and(|s| (1..=MAX_SWEEP_STEPS).contains(&s)) {
                return Err(steps_error(crate::json_text::Shown(steps)));
            }
        }
        serde_json::from_value(v).map_err(|e| Error::parse("sweep config", e))
    }
}

fn steps_error(value: impl std::fmt::Display) -> Error {
    Error::invalid_as(
        "run.steps",
        value,
        Expected::Count {
            min: 1,
            max: MAX_SWEEP_STEPS,
            unit: "steps".into(),
        },
    )
}

/// The measured grid, row-major like `Formula::eval_grid` (row j is the j-th y value).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sweep {
    pub x_values: Vec<f64>,
    pub y_values: Vec<f64>,
    /// Final loss of each cell (the last finite loss for a diverged run).
    pub final_loss: Vec<f64>,
    /// First step with loss ≤ target, or `None` (never reached).
    pub steps_to_target: Vec<Option<usize>>,
    /// The step at which the run diverged, or `None`.
    pub diverged_at: Vec<Option<usize>>,
}

/// Set a dotted path in a JSON config (array indices are numbers).
fn set_path(root: &mut Value, path: &str, v: f64) -> Result<()> {
    let mut node = root;
    let parts: Vec<&str> = path.split('.').collect();
    for (k, part) in parts.iter().enumerate() {
        let last = k + 1 == parts.len();
        node =
            match (node, part.parse::<usize>()) {
                (Value::Array(items), Ok(i)) if i < items.len() => &mut items[i],
                (Value::Object(map), _) if map.contains_key(*part) || last => {
                    map.entry(part.to_string()).or_insert(Value::Null)
                }
                _ => return Err(Error::invalid(
                    "path",
                    path,
                    "a path to a number in the run config, e.g. optimizer.lr or optimizer.betas.0",
                )),
            };
    }
    *node = serde_json::Number::from_f64(v)
        .map(Value::Number)
        .ok_or_else(|| Error::invalid(path, v, "a finite number"))?;
    Ok(())
}

/// The run config of one cell.
pub fn cell_config(base: &Value, x_path: &str, x: f64, y_path: &str, y: f64) -> Result<RunConfig> {
    let mut cfg = base.clone();
    set_path(&mut cfg, x_path, x)?;
    set_path(&mut cfg, y_path, y)?;
    serde_json::from_value(cfg).map_err(|e| Error::Config(e.to_string()))
}

/// What one cell's run did, all that the colourings need (no trajectory is kept).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    /// The last finite loss.
    pub final_loss: f64,
    /// The first step with loss ≤ the target.
    pub steps_to_target: Option<usize>,
    /// The step at which the run diverged.
    pub diverged_at: Option<usize>,
}

/// Runs `run` on `surface` with the loop of [`crate::sim::run`] (same divergence rule, same
/// noise), keeping only the final loss, the first step at or below `target` and the step of
/// divergence. The surface is compiled once by the caller and reused for every cell.
pub fn measure<S: Surface + ?Sized>(surface: &S, run: &RunConfig, target: f64) -> Result<Cell> {
    run.validate()?;
    let mut opt = run.optimizer_for_run()?;
    let mut cell = CellObserver {
        cell: Cell {
            final_loss: f64::NAN,
            steps_to_target: None,
            diverged_at: None,
        },
        target,
    };
    let (end, t) = run_loop(
        surface,
        run.start,
        run.steps,
        &mut opt,
        &RunOptions::from_config(run),
        &mut cell,
    );
    if matches!(end, Termination::NonFinite | Termination::LeftBound) {
        cell.cell.diverged_at = Some(t);
    }
    Ok(cell.cell)
}

/// The observer of one phase-diagram cell: the last finite loss and the first step at or
/// below the target.
struct CellObserver {
    cell: Cell,
    target: f64,
}

impl Observer for CellObserver {
    fn visit(&mut self, t: usize, _p: [f64; 2], loss: f64, _g: [f64; 2]) -> bool {
        self.cell.final_loss = loss;
        if self.cell.steps_to_target.is_none() && loss <= self.target {
            self.cell.steps_to_target = Some(t);
        }
        true
    }
}

/// A sweep in progress, one row at a time (the browser's worker reports progress between
/// rows and stops when asked). The surface is compiled once for all cells.
pub struct Job {
    cfg: SweepConfig,
    base: Value,
    surface: Formula,
    out: Sweep,
    row: usize,
}

impl Job {
    /// Checks the sweep (axes, run, corners) and compiles the surface.
    pub fn new(cfg: SweepConfig) -> Result<Job> {
        let (base, out) = prepare(&cfg)?;
        let surface = resolve(&cfg.run.surface)?;
        if cfg.target_loss.is_nan() {
            return Err(Error::invalid_as(
                "target_loss",
                cfg.target_loss,
                Expected::Number,
            ));
        }
        Ok(Job {
            cfg,
            base,
            surface,
            out,
            row: 0,
        })
    }

    /// Runs the next row (the next y value); `false` once every row is done.
    pub fn step_row(&mut self) -> Result<bool> {
        if self.done() {
            return Ok(false);
        }
        let j = self.row;
        sweep_row_with(&self.surface, &self.cfg, &self.base, j, &mut self.out)?;
        self.row += 1;
        Ok(true)
    }

    pub fn done(&self) -> bool {
        self.row >= self.out.y_values.len()
    }

    /// Rows finished so far.
    pub fn rows_done(&self) -> usize {
        self.row
    }

    pub fn config(&self) -> &SweepConfig {
        &self.cfg
    }

    /// The cells measured so far (rows `0..rows_done()`).
    pub fn sweep(&self) -> &Sweep {
        &self.out
    }

    pub fn into_sweep(self) -> Sweep {
        self.out
    }
}

fn sweep_row_with(
    surface: &Formula,
    cfg: &SweepConfig,
    base: &Value,
    j: usize,
    out: &mut Sweep,
) -> Result<()> {
    let y = out.y_values[j];
    for i in 0..out.x_values.len() {
        let run = cell_config(base, &cfg.x.path, out.x_values[i], &cfg.y.path, y)?;
        let cell = measure(surface, &run, cfg.target_loss)?;
        out.final_loss.push(cell.final_loss);
        out.steps_to_target.push(cell.steps_to_target);
        out.diverged_at.push(cell.diverged_at);
    }
    Ok(())
}

/// One row of the sweep (the j-th y value), so a caller can report progress between rows.
pub fn sweep_row(cfg: &SweepConfig, base: &Value, j: usize, out: &mut Sweep) -> Result<()> {
    let surface = resolve(&cfg.run.surface)?;
    sweep_row_with(&surface, cfg, base, j, out)
}

/// Check the sweep and make its empty result.
pub fn prepare(cfg: &SweepConfig) -> Result<(Value, Sweep)> {
    cfg.x.validate("x")?;
    cfg.y.validate("y")?;
    if !(1..=MAX_SWEEP_STEPS).contains(&cfg.run.steps) {
        return Err(steps_error(cfg.run.steps));
    }
    cfg.run.validate()?;
    if cfg.x.path == cfg.y.path {
        return Err(Error::invalid_as(
            "y.path",
            &cfg.y.path,
            Expected::DifferentFrom {
                other: "x.path".into(),
            },
        ));
    }
    let base = serde_json::to_value(&cfg.run).map_err(|e| Error::Config(e.to_string()))?;
    let (xs, ys) = (cfg.x.values(), cfg.y.values());
    // Fail early, with the path named, if a corner does not make a valid run.
    for (x, y) in [(xs[0], ys[0]), (xs[xs.len() - 1], ys[ys.len() - 1])] {
        cell_config(&base, &cfg.x.path, x, &cfg.y.path, y)?.optimizer_for_run()?;
    }
    let cells = xs.len() * ys.len();
    let sweep = Sweep {
        x_values: xs,
        y_values: ys,
        final_loss: Vec::with_capacity(cells),
        steps_to_target: Vec::with_capacity(cells),
        diverged_at: Vec::with_capacity(cells),
    };
    Ok((base, sweep))
}

/// The whole sweep.
pub fn sweep(cfg: &SweepConfig) -> Result<Sweep> {
    let mut job = Job::new(cfg.clone())?;
    while job.step_row()? {}
    Ok(job.into_sweep())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(json: &str) -> SweepConfig {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn lr_by_momentum_on_a_bowl_diverges_past_the_stability_bound() {
        // f = x² + y²: λ = 2, GD is stable for lr < 1 (momentum β: lr < 2(1+β)/λ = 1 + β).
        let s = sweep(&cfg(
            r#"{"run":{"surface":"bowl","start":[1,1],"steps":200,"bound":1e6,
            "optimizer":{"name":"sgd","lr":0.1,"momentum":0.0}},
            "x":{"path":"optimizer.lr","min":0.01,"max":3,"n":12,"log":true},
            "y":{"path":"optimizer.momentum","min":0,"max":0.9,"n":4},"target_loss":1e-6}"#,
        ))
        .unwrap();
        assert_eq!(s.final_loss.len(), 48);
        for (j, beta) in s.y_values.iter().enumerate() {
            for (i, lr) in s.x_values.iter().enumerate() {
                let diverged = s.diverged_at[j * 12 + i].is_some();
                assert_eq!(diverged, *lr > 1.0 + beta + 1e-9, "lr {lr} beta {beta}");
            }
        }
        // the smallest lr never reaches the target in 200 steps; a good one does
        assert_eq!(s.steps_to_target[0], None);
        assert!(s.steps_to_target.iter().any(|s| s.is_some_and(|t| t < 20)));
    }

    #[test]
    fn a_cell_measures_what_the_full_simulation_records() {
        // The lean loop of `measure` must agree with `sim::simulate` cell by cell: noise,
        // schedules, the bound and non-finite divergence included.
        for json in [
            r#"{"surface":"rosenbrock","start":[-1.5,2],"steps":500,"bound":1e6,"optimizer":{"name":"adam","lr":0.05}}"#,
            r#"{"surface":"bowl","start":[1,1],"steps":300,"bound":1e6,"optimizer":{"name":"sgd","lr":1.2}}"#,
            r#"{"surface":"log(x)+y^2","start":[1,1],"steps":300,"optimizer":{"name":"sgd","lr":3}}"#,
            r#"{"surface":"himmelblau","start":[0,0],"steps":400,"optimizer":{"name":"sgd","lr":0.01,"momentum":0.9},
                "schedule":{"name":"cosine","t_max":400},"noise":{"batch_size":4,"scale":2,"seed":7}}"#,
        ] {
            let run = RunConfig::from_json(json).unwrap();
            let tr = crate::sim::simulate(&run).unwrap();
            let f = resolve(&run.surface).unwrap();
            let target = tr.loss[tr.loss.len() / 2];
            let cell = measure(&f, &run, target).unwrap();
            assert_eq!(cell.diverged_at, tr.diverged_at, "{json}");
            assert_eq!(
                cell.final_loss.to_bits(),
                tr.loss.last().unwrap().to_bits(),
                "{json}"
            );
            assert_eq!(
                cell.steps_to_target,
                tr.loss.iter().position(|&l| l <= target),
                "{json}"
            );
        }
    }

    #[test]
    fn a_schedule_parameter_can_be_swept_against_the_lr() {
        // Exponential decay η(t) = lr·γ^t: with γ small the steps die out before the target.
        let s = sweep(&cfg(
            r#"{"run":{"surface":"bowl","start":[1,1],"steps":200,"bound":1e6,
            "optimizer":{"name":"sgd","lr":0.1},"schedule":{"name":"exponential","gamma":0.99}},
            "x":{"path":"optimizer.lr","min":0.01,"max":0.5,"n":6,"log":true},
            "y":{"path":"schedule.gamma","min":0.5,"max":1.0,"n":6},"target_loss":1e-8}"#,
        ))
        .unwrap();
        assert_eq!(s.final_loss.len(), 36);
        // γ = 0.5 (row 0): lr < 0.5 never reaches 1e-8; lr = 0.5 lands on the minimum in one
        // step (p − 0.5·2p = 0) whatever γ
        assert!(s.steps_to_target[..5].iter().all(Option::is_none));
        assert_eq!(s.steps_to_target[5], Some(1));
        assert_eq!(s.steps_to_target[35], Some(1));
        // below that, the final loss falls as γ grows
        for i in 0..5 {
            assert!(s.final_loss[30 + i] < s.final_loss[i], "lr column {i}");
        }
    }

    #[test]
    fn bad_axes_and_paths_are_named() {
        let base = r#""run":{"surface":"bowl","start":[1,1],"steps":5,"optimizer":{"name":"adam"}},"target_loss":0.1"#;
        for (axes, needle) in [
            (
                r#""x":{"path":"optimizer.lr","min":1,"max":0.1,"n":4},"y":{"path":"optimizer.eps","min":1e-8,"max":1e-6,"n":4}"#,
                "x.min/max",
            ),
            (
                r#""x":{"path":"optimizer.lr","min":0,"max":1,"n":4,"log":true},"y":{"path":"optimizer.eps","min":1e-8,"max":1e-6,"n":4}"#,
                "x.min",
            ),
            (
                r#""x":{"path":"optimizer.lr","min":0.1,"max":1,"n":1000},"y":{"path":"optimizer.eps","min":1e-8,"max":1e-6,"n":4}"#,
                "x.n",
            ),
            (
                r#""x":{"path":"optimizer.nope.3","min":0.1,"max":1,"n":4},"y":{"path":"optimizer.eps","min":1e-8,"max":1e-6,"n":4}"#,
                "optimizer.nope.3",
            ),
            (
                r#""x":{"path":"optimizer.lrr","min":0.1,"max":1,"n":4},"y":{"path":"optimizer.eps","min":1e-8,"max":1e-6,"n":4}"#,
                "lrr",
            ),
        ] {
            let e = sweep(&cfg(&format!("{{{base},{axes}}}")))
                .unwrap_err()
                .to_string();
            assert!(e.contains(needle), "{e}");
        }
    }

    #[test]
    fn from_json_names_the_steps_and_reads_a_null_bound_as_a_bad_range() {
        let text = |steps: &str, min: &str| {
            format!(
                r#"{{"run":{{"surface":"bowl","start":[1,1],"steps":{steps},"optimizer":{{"name":"adam"}}}},"target_loss":0.1,"x":{{"path":"optimizer.lr","min":{min},"max":1,"n":4}},"y":{{"path":"optimizer.eps","min":1e-8,"max":1e-6,"n":4}}}}"#
            )
        };
        for steps in ["0", "2.5", "null", "20001", "\"x\""] {
            let e = SweepConfig::from_json(&text(steps, "0.1")).unwrap_err();
            let d = e.data();
            assert_eq!(
                (d["kind"].as_str(), d["field"].as_str()),
                (Some("invalid_value"), Some("run.steps")),
                "{steps}: {e}"
            );
            assert_eq!(d["expected"]["max"], MAX_SWEEP_STEPS);
        }
        let cfg = SweepConfig::from_json(&text("5", "null")).unwrap();
        let e = prepare(&cfg).unwrap_err();
        assert_eq!(e.data()["field"], "x.min/max");
        assert_eq!(e.data()["expected"]["kind"], "ordered");
        assert!(
            e.to_string().contains("finite numbers with min < max"),
            "{e}"
        );
        assert_eq!(SweepConfig::from_json("{").unwrap_err().kind(), "parse");
    }
}
