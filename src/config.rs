//! The one config type that describes a run on a surface (serde JSON). The CLI, the scenes,
//! the wasm `Lab` (`set_runs`) and the tests use it, and every `case` object of the reference
//! trajectories is a valid config. The URL hash does not: it has its own compact format,
//! written and read in JS (`www/state.js`, e.g. `s=rosenbrock&run=adam,lr=0.01`), which the
//! page turns into these configs before it calls the core, which checks them.

use crate::error::{Error, Result};
use crate::optim::{OptimizerConfig, ScheduleConfig};
use serde::{Deserialize, Serialize};

/// The most steps one run may take.
pub const MAX_STEPS: usize = 10_000_000;

/// One optimizer run on a surface.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunConfig {
    /// A preset id (`rosenbrock`) or a formula in x and y.
    pub surface: String,
    /// The start point (x, y).
    pub start: [f64; 2],
    /// How many optimizer steps to take (at most [`MAX_STEPS`]).
    pub steps: usize,
    pub optimizer: OptimizerConfig,
    #[serde(default)]
    pub schedule: Option<ScheduleConfig>,
    /// Minibatch-style gradient noise (the stochastic mode); none by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noise: Option<NoiseConfig>,
    /// Stop as diverged once |x| or |y| exceeds this (the app's "huge box"); none by default,
    /// which is the reference rule: only non-finite values count as divergence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound: Option<f64>,
    /// Descriptive keys of the reference cases: accepted, kept only for display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_diverge: Option<bool>,
}

/// Gradient noise that mimics a minibatch: each step uses g + ε with ε ~ N(0, scale²/batch_size)
/// per coordinate, so the noise variance falls as 1/batch size. Reproducible from `seed`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoiseConfig {
    /// The batch size B (at least 1): the variance is scale²/B.
    pub batch_size: usize,
    /// The standard deviation of one example's gradient noise.
    #[serde(default = "one")]
    pub scale: f64,
    #[serde(default)]
    pub seed: u64,
}

fn one() -> f64 {
    1.0
}

impl NoiseConfig {
    /// The standard deviation per coordinate, scale/√B.
    pub fn std(&self) -> f64 {
        self.scale / (self.batch_size as f64).sqrt()
    }
}

impl RunConfig {
    /// Read a config from JSON and check it.
    pub fn from_json(s: &str) -> Result<RunConfig> {
        let cfg: RunConfig = serde_json::from_str(s).map_err(|e| Error::Config(e.to_string()))?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// The run's optimizer with its schedule, checked against the run: `steps` may not pass
    /// the schedule's end (one-cycle's `total_steps`: torch's `OneCycleLR` raises past it).
    /// The one place that rule lives (simulator, phase sweep, the lab).
    pub fn optimizer_for_run(&self) -> Result<crate::optim::Optimizer> {
        let opt = crate::optim::Optimizer::new(&self.optimizer, self.schedule.as_ref(), 2)?;
        if let Some(max) = opt.max_steps() {
            if self.steps > max {
                return Err(Error::invalid(
                    "steps",
                    self.steps,
                    &format!(
                        "at most the schedule's total_steps = {max} (torch's OneCycleLR cannot step past it)"
                    ),
                ));
            }
        }
        Ok(opt)
    }

    /// Check the values serde cannot: a finite start and a bounded number of steps.
    /// (The surface and the optimizer are checked when they are built.)
    pub fn validate(&self) -> Result<()> {
        for (i, v) in self.start.iter().enumerate() {
            if !v.is_finite() {
                return Err(Error::invalid(&format!("start[{i}]"), v, "a finite number"));
            }
        }
        if let Some(n) = &self.noise {
            if n.batch_size == 0 {
                return Err(Error::invalid(
                    "noise.batch_size",
                    0,
                    "a batch size of at least 1",
                ));
            }
            if !(n.scale.is_finite() && n.scale >= 0.0) {
                return Err(Error::invalid(
                    "noise.scale",
                    n.scale,
                    "a finite number ≥ 0",
                ));
            }
        }
        if let Some(b) = self.bound {
            if !(b.is_finite() && b > 0.0) {
                return Err(Error::invalid("bound", b, "a finite number > 0"));
            }
        }
        if self.steps > MAX_STEPS {
            return Err(Error::invalid(
                "steps",
                self.steps,
                "at most 10000000 (10^7) steps",
            ));
        }
        Ok(())
    }
}
