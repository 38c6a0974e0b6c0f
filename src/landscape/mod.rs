//! The network's own loss landscape: the training loss over a 2-D plane in weight space (PCA
//! of the weight trajectory, or filter-normalized random directions; Li et al. 2018), on the
//! grid of a formula surface, with the trajectory projected onto it.
//!
//! The plane is centered at the final weights θ_c: `θ(x, y) = θ_c + x·d₁ + y·d₂`. Its
//! [`Plane`] has the layout of `Formula::eval_grid` and `render::Field` (`x`, `y`, `nx`, `ny`,
//! `values` row-major from the bottom row), so the app shows it with the same heatmap,
//! contours and 3-D view as a formula. Batch norm is evaluated in eval mode by default, with
//! the final running statistics held fixed, so that the surface depends on the trainable
//! parameters only ([`LandscapeOptions::mode`]).
//!
//! Reference: H. Li, Z. Xu, G. Taylor, C. Studer, T. Goldstein, "Visualizing the Loss
//! Landscape of Neural Nets", NeurIPS 2018 (§4 filter normalization, §7 trajectories).

mod basis;
mod config;
mod options;
mod pca;
mod plane;
mod random;
mod trail;
mod trajectory;

pub use basis::{Basis, Projection};
pub use config::{landscape_from_config, parse_config, session_landscape};
pub use options::{LandscapeOptions, Method, MAX_GRID, MAX_POINTS};
pub use pca::pca_basis;
pub use plane::{
    grid_axis, landscape, landscape_with_progress, Landscape, LandscapeJob, PathPoint, Plane,
};
pub use random::{random_basis, BiasBn};
pub use trail::{TrailPoint, WeightTrail};
pub use trajectory::{evenly_spaced, record_trajectory, Record};
