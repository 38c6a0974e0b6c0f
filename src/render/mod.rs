//! Drawing a surface for people: a perceptually uniform colormap, the RGBA heatmap fill, contour
//! levels that show structure near minima, marching-squares contour lines, axis ticks, and the
//! 3-D view (plotters, generic over `DrawingBackend`, so the browser and the CLI draw alike).
//!
//! A [`Field`] is a grid of values over a view box, laid out as the core's `eval_grid` lays it
//! out (row-major, row `j` at `y[0] + j*dy`, so row 0 is the *bottom* of the picture).

pub mod chart;
pub mod colormap;
#[cfg(not(target_arch = "wasm32"))]
pub mod compose;
pub mod contour;
pub mod export;
pub mod field;
pub mod figure;
#[cfg(not(target_arch = "wasm32"))]
pub mod fonts;
pub mod header;
pub mod heatmap;
pub mod lang;
pub mod legend;
pub mod levels;
pub mod logscale;
pub mod look;
pub mod marks;
pub mod polyline;
pub mod surface3d;
pub mod surface_view;
pub mod ticks;
#[cfg(not(target_arch = "wasm32"))]
pub mod typeset;

pub use colormap::viridis;
pub use contour::{contour_segments, Segment};
pub use field::Field;
pub use heatmap::{fill_rgba, fill_rgba_by};
pub use levels::{contour_levels, log_levels, quantile_levels, ColorScale};
pub use logscale::LogScale;
pub use surface3d::{draw_surface, height_range, Camera, Projection, Scene, Theme};
pub use ticks::{log_ticks, nice_ticks};
