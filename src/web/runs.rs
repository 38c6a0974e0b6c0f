//! The lab's runs: up to eight configs simulated together (with the anatomy of every step),
//! read back as arrays, the shared animation step, and the export of all runs (JSON, CSV).

use super::lab::{Lab, Run};
use crate::budget::{Cost, Limits, Raise};
use crate::config::RunConfig;
use crate::error::{Error, Expected};
use crate::sim::{self, RunOptions, Trajectory};
use serde_json::json;
use wasm_bindgen::prelude::*;

/// The most runs one lab holds.
pub const MAX_RUNS: usize = 8;

/// Bytes one recorded point of a run takes in the lab: its trajectory values and its anatomy
/// (η, σ, m and the update, three small vectors), counted generously.
const BYTES_PER_POINT: f64 = 256.0;

#[wasm_bindgen]
impl Lab {
    /// Sets the runs from a JSON array of run configs (at most 8) on the current surface and
    /// simulates each, recording the anatomy of every step. A config that is not valid does
    /// not stop the others: the answer is a JSON array with, per config, `{"ok": true,
    /// "points": N}` or `{"ok": false, "error": "..."}` (that run is then empty). Resets the
    /// animation step to 0. Runs that would hold more than `Limits::LINK.bytes` (64 MiB: about
    /// 260 000 points in all) are refused as a whole with `too_much_work`.
    pub fn set_runs(&mut self, configs_json: &str) -> Result<String, JsValue> {
        let values: Vec<serde_json::Value> =
            serde_json::from_str(configs_json).map_err(|e| Error::parse("runs", e))?;
        if values.len() > MAX_RUNS {
            return Err(Error::invalid_as(
                "runs",
                format!("{} runs", values.len()),
                Expected::Count {
                    min: 0,
                    max: MAX_RUNS,
                    unit: "runs".into(),
                },
            )
            .into());
        }
        // What the runs will hold (every point with its anatomy) is counted before any run:
        // a page keeps it in wasm memory and exports it as CSV or JSON.
        let points: f64 = values
            .iter()
            .map(|v| {
                v.get("steps")
                    .and_then(|s| s.as_f64())
                    .unwrap_or(0.0)
                    .max(0.0)
                    + 1.0
            })
            .sum();
        Limits::LINK
            .check(
                &Cost::output(
                    "runs",
                    points * BYTES_PER_POINT,
                    format!("{points} recorded points × {BYTES_PER_POINT} B"),
                ),
                Raise::Smaller,
            )
            .map_err(super::error::to_js)?;
        let mut runs = Vec::with_capacity(values.len());
        let mut status = Vec::with_capacity(values.len());
        for value in values {
            match self.simulate(&value) {
                Ok(run) => {
                    status.push(json!({"ok": true, "points": run.trajectory.x.len()}));
                    runs.push(run);
                }
                Err(message) => {
                    status.push(json!({"ok": false, "error": message}));
                    runs.push(Run {
                        config: RunConfig {
                            surface: self.spec.clone(),
                            start: self.start,
                            steps: 0,
                            optimizer: Default::default(),
                            schedule: None,
                            noise: None,
                            bound: None,
                            id: None,
                            note: None,
                            expect_diverge: None,
                        },
                        trajectory: Trajectory::default(),
                    });
                }
            }
        }
        self.runs = runs;
        self.cursor = 0;
        Ok(crate::json_text::text(&serde_json::Value::from(status)))
    }

    /// How many runs are set.
    pub fn run_count(&self) -> usize {
        self.runs.len()
    }

    /// x of the recorded points of run `i` (empty for a bad index).
    pub fn run_x(&self, i: usize) -> Vec<f64> {
        self.with_run(i, |t| t.x.clone())
    }

    /// y of the recorded points of run `i`.
    pub fn run_y(&self, i: usize) -> Vec<f64> {
        self.with_run(i, |t| t.y.clone())
    }

    /// The loss at the recorded points of run `i`.
    pub fn run_loss(&self, i: usize) -> Vec<f64> {
        self.with_run(i, |t| t.loss.clone())
    }

    /// η(t) of each step of run `i`.
    pub fn run_lr(&self, i: usize) -> Vec<f64> {
        self.with_run(i, |t| t.lr.clone())
    }

    /// |∇f| at the recorded points of run `i` (the noisy gradient in the stochastic mode).
    pub fn run_grad_norm(&self, i: usize) -> Vec<f64> {
        self.with_run(i, |t| {
            t.gx.iter().zip(&t.gy).map(|(a, b)| a.hypot(*b)).collect()
        })
    }

    /// Why run `i` stopped early, as the core's JSON (`{"step", "cause": "non_finite" |
    /// "left_bound", "lr", "start_lambda_max", "stable_lr_bound"}`), or `""` if it did not.
    pub fn run_divergence(&self, i: usize) -> String {
        self.runs
            .get(i)
            .and_then(|r| r.trajectory.divergence)
            .and_then(|d| crate::json_text::to_string(&d).ok())
            .unwrap_or_default()
    }

    /// The anatomy of step `t` of run `i` (p_t → p_{t+1}) as JSON: `{"step", "lr", "sigma",
    /// "direction", "update", "exact", "gradient", "point", "next"}` (`next`: p_{t+1}, the point
    /// the update reached); `""` when there is no such step.
    pub fn run_anatomy(&self, i: usize, t: usize) -> String {
        let Some(run) = self.runs.get(i) else {
            return String::new();
        };
        let tr = &run.trajectory;
        let Some(a) = tr.anatomy.get(t) else {
            return String::new();
        };
        crate::json_text::text(&json!({
            "step": t,
            "lr": a.lr,
            "sigma": a.sigma,
            "direction": a.direction,
            "update": a.update,
            "exact": a.exact,
            "gradient": [tr.gx[t], tr.gy[t]],
            "point": [tr.x[t], tr.y[t]],
            "next": match (tr.x.get(t + 1), tr.y.get(t + 1)) {
                (Some(x), Some(y)) => [*x, *y],
                _ => [tr.x[t] + a.update[0], tr.y[t] + a.update[1]],
            },
        }))
    }

    /// The longest run's number of steps (the animation's end).
    pub fn max_step(&self) -> usize {
        self.runs
            .iter()
            .map(|r| r.trajectory.x.len().saturating_sub(1))
            .max()
            .unwrap_or(0)
    }

    /// The animation step shared by all runs.
    pub fn step(&self) -> usize {
        self.cursor
    }

    /// Sets the animation step (clamped to the longest run).
    pub fn set_step(&mut self, t: usize) -> usize {
        self.cursor = t.min(self.max_step());
        self.cursor
    }

    /// Advances the animation by `n` steps (clamped); returns the new step.
    pub fn advance(&mut self, n: usize) -> usize {
        self.set_step(self.cursor.saturating_add(n))
    }
}

/// The runs' exports (JSON and CSV files): the whole build only (see `lab.rs`).
#[cfg(feature = "lab")]
#[wasm_bindgen]
impl Lab {
    /// Every run as JSON: `[{"config": RunConfig, "trajectory": Trajectory}]` (the anatomy
    /// left out; non-finite numbers are `null`).
    pub fn runs_json(&self) -> Result<String, JsValue> {
        let all: Vec<serde_json::Value> = self
            .runs
            .iter()
            .map(|r| {
                let mut tr = serde_json::to_value(Trajectory {
                    anatomy: Vec::new(),
                    ..r.trajectory.clone()
                })
                .unwrap_or_default();
                if let Some(obj) = tr.as_object_mut() {
                    obj.remove("anatomy");
                }
                json!({"config": r.config, "trajectory": tr})
            })
            .collect();
        crate::json_text::to_string_pretty(&all).map_err(|e| Error::internal(e).into())
    }

    /// Every recorded point of every run as CSV: `run,optimizer,step,x,y,loss,grad_x,grad_y,lr`
    /// (`lr` empty on the last point, which takes no step).
    pub fn runs_csv(&self) -> String {
        let mut out = String::from("run,optimizer,step,x,y,loss,grad_x,grad_y,lr\n");
        for (k, r) in self.runs.iter().enumerate() {
            let t = &r.trajectory;
            let name = match r.config.optimizer.variant() {
                Some(v) => format!("{}:{v}", r.config.optimizer.name()),
                None => r.config.optimizer.name().to_string(),
            };
            for s in 0..t.x.len() {
                let lr = t.lr.get(s).map(|v| v.to_string()).unwrap_or_default();
                out.push_str(&format!(
                    "{},{name},{s},{},{},{},{},{},{lr}\n",
                    k + 1,
                    t.x[s],
                    t.y[s],
                    t.loss[s],
                    t.gx[s],
                    t.gy[s]
                ));
            }
        }
        out
    }
}

impl Lab {
    fn with_run(&self, i: usize, f: impl Fn(&Trajectory) -> Vec<f64>) -> Vec<f64> {
        self.runs
            .get(i)
            .map(|r| f(&r.trajectory))
            .unwrap_or_default()
    }

    /// Checks one config and runs it on the lab's surface with the anatomy recorded.
    fn simulate(&self, value: &serde_json::Value) -> Result<Run, String> {
        let mut config: RunConfig =
            serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
        config.validate().map_err(|e| e.to_string())?;
        config.surface = self.spec.clone();
        let opt = config.optimizer_for_run().map_err(|e| e.to_string())?;
        let options = RunOptions {
            record_anatomy: true,
            ..RunOptions::from_config(&config)
        };
        let trajectory = sim::run(&self.formula, config.start, config.steps, opt, &options);
        Ok(Run { config, trajectory })
    }
}
