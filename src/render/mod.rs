//! Drawing a surface for people: a perceptually uniform colormap, the RGBA heatmap fill, contour
//! levels that show structure near minima, and marching-squares contour lines. Pure Rust.
//!
//! A [`Field`] is a grid of values over a view box, laid out as the core's `eval_grid` lays it
//! out (row-major, row `j` at `y[0] + j*dy`, so row 0 is the *bottom* of the picture).

pub mod colormap;
pub mod contour;
pub mod field;
pub mod heatmap;
pub mod levels;

pub use colormap::viridis;
pub use contour::{contour_segments, Segment};
pub use field::Field;
pub use heatmap::fill_rgba;
pub use levels::{contour_levels, log_levels, quantile_levels, ColorScale};
