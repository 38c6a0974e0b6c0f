//! What one figure shows, computed once for any backend: the surface on a grid over the view,
//! each labelled run's trajectory and losses, and the critical points inside the view
//! (`compose` builds one from run configs or a scene).

use super::lang::Lang;
use super::Field;
use crate::critical::Kind;

/// The side of the grid the surface is evaluated on (the heatmap interpolates between).
pub const GRID: usize = 241;

/// One run as drawn: its label, its points and losses up to where it stopped.
#[derive(Debug, Clone, PartialEq)]
pub struct RunPath {
    pub label: String,
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    pub loss: Vec<f64>,
    /// The step at which the run left the finite numbers (or its bound); that state is not
    /// among the points.
    pub diverged_at: Option<usize>,
}

/// A critical point inside the view.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Marker {
    pub at: [f64; 2],
    pub f: f64,
    pub kind: Kind,
}

/// Everything a surface view or a loss chart of one panel needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub title: String,
    /// A second line under the title (the formula, or a scene's panel title).
    pub subtitle: Option<String>,
    /// The surface on a [`GRID`]² grid over the view box.
    pub field: Field,
    pub runs: Vec<RunPath>,
    pub critical: Vec<Marker>,
    pub lang: Lang,
}
