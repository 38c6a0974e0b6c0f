//! The one config type that describes a run on a surface; the URL hash, the CLI and the tests
//! all use it, and every `case` object of the reference trajectories is a valid config.

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
    /// Descriptive keys of the reference cases: accepted, kept only for display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_diverge: Option<bool>,
}

impl RunConfig {
    /// Read a config from JSON and check it.
    pub fn from_json(s: &str) -> Result<RunConfig> {
        let cfg: RunConfig = serde_json::from_str(s).map_err(|e| Error::Config(e.to_string()))?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// Check the values serde cannot: a finite start and a bounded number of steps.
    /// (The surface and the optimizer are checked when they are built.)
    pub fn validate(&self) -> Result<()> {
        for (i, v) in self.start.iter().enumerate() {
            if !v.is_finite() {
                return Err(Error::invalid(&format!("start[{i}]"), v, "a finite number"));
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
