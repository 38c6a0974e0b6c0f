//! The settings of a loss-landscape computation: the `"landscape"` object of a config
//! (serde, unknown keys refused, every field optional).

use super::random::BiasBn;
use super::trajectory::Record;
use crate::error::{Error, Result};
use crate::nn::Mode;
use serde::{Deserialize, Serialize};

/// The most grid points per axis.
pub const MAX_GRID: usize = 401;
/// The most trajectory points kept.
pub const MAX_POINTS: usize = 10_000;

/// How the plane's two directions are chosen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// The top two principal directions of the trajectory (default).
    #[default]
    Pca,
    /// Two filter-normalized random directions.
    Random,
}

/// What plane, which grid over it and which loss.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LandscapeOptions {
    /// `pca` (default) or `random`.
    pub method: Method,
    /// Grid points per axis (default 41; the grid is `grid × grid`).
    pub grid: usize,
    /// Half-width of the view around the final weights. `random`: in units of the directions
    /// (default 1.0, the paper's [−1, 1]). `pca`: per axis, a multiple of the path's largest
    /// |coordinate| along it (default 1.2, so the whole path shows with a margin).
    pub span: Option<f64>,
    /// An explicit x range `[x0, x1]`, overriding `span` for x.
    pub x: Option<[f64; 2]>,
    /// An explicit y range `[y0, y1]`, overriding `span` for y.
    pub y: Option<[f64; 2]>,
    /// Seed of the random directions (and of PCA's fallback direction).
    pub seed: u64,
    /// Record the weights every `epoch` (default) or every `step`.
    pub record: Record,
    /// Keep at most this many trajectory points, evenly spaced (default 500).
    pub max_points: usize,
    /// The loss on the plane: `eval` (default: batch norm with the final running
    /// statistics, so the surface is a function of the weights alone) or `train` (the whole
    /// training set as one batch, normalized with its own statistics).
    pub mode: Mode,
    /// `random` only: biases and batch-norm parameters `zero` (default) or `copy`.
    pub bias_bn: BiasBn,
}

impl Default for LandscapeOptions {
    fn default() -> Self {
        LandscapeOptions {
            method: Method::Pca,
            grid: 41,
            span: None,
            x: None,
            y: None,
            seed: 0,
            record: Record::Epoch,
            max_points: 500,
            mode: Mode::Eval,
            bias_bn: BiasBn::Zero,
        }
    }
}

impl LandscapeOptions {
    /// The span in effect: the given one, or the method's default.
    pub fn span(&self) -> f64 {
        self.span.unwrap_or(match self.method {
            Method::Pca => 1.2,
            Method::Random => 1.0,
        })
    }

    /// Check every field.
    pub fn validate(&self) -> Result<()> {
        if !(2..=MAX_GRID).contains(&self.grid) {
            return Err(Error::invalid(
                "landscape.grid",
                self.grid,
                &format!("2..={MAX_GRID} points per axis"),
            ));
        }
        let span = self.span();
        if !(span.is_finite() && span > 0.0) {
            return Err(Error::invalid("landscape.span", span, "a number > 0"));
        }
        for (name, r) in [("landscape.x", self.x), ("landscape.y", self.y)] {
            if let Some([a, b]) = r {
                if !(a.is_finite() && b.is_finite() && a < b) {
                    return Err(Error::invalid(
                        name,
                        format!("[{a}, {b}]"),
                        "finite [lo, hi] with lo < hi",
                    ));
                }
            }
        }
        if !(2..=MAX_POINTS).contains(&self.max_points) {
            return Err(Error::invalid(
                "landscape.max_points",
                self.max_points,
                &format!("2..={MAX_POINTS}"),
            ));
        }
        Ok(())
    }
}
