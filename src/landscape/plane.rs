//! The training loss over a plane in weight space, on the grid layout of a formula surface
//! (`Formula::eval_grid`, `render::Field`), with the weight trajectory projected onto it.

use super::basis::Basis;
use super::options::{LandscapeOptions, Method};
use super::pca::pca_basis;
use super::random::random_basis;
use super::trajectory::evenly_spaced;
use crate::error::Result;
use crate::nn::hessian::BatchLoss;
use crate::nn::{LossKind, Matrix, Mode, Network};
use serde::{Deserialize, Serialize};

/// One trajectory point on the plane.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PathPoint {
    pub x: f64,
    pub y: f64,
    /// The loss at the projection `θ(x, y)`: on the surface, for the 3-D view.
    pub loss: f64,
    /// The loss at the recorded weights themselves.
    pub loss_true: f64,
    /// ‖θ − θ(x, y)‖: how far the recorded weights are from the plane.
    pub off_plane: f64,
}

/// A network's loss surface over a plane: what the app draws as heatmap, contours and 3-D,
/// like a formula's. `values[j·nx + i]` is the loss at `x = x0 + i·(x1 − x0)/(nx − 1)`,
/// `y = y0 + j·(y1 − y0)/(ny − 1)` (row 0 at the bottom), i.e. at `θ_c + x·d₁ + y·d₂`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plane {
    pub x: [f64; 2],
    pub y: [f64; 2],
    pub nx: usize,
    pub ny: usize,
    pub values: Vec<f64>,
    /// The smallest and largest finite value (`None` when there is none).
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// The trajectory, first point first; the final weights are at (0, 0).
    pub path: Vec<PathPoint>,
    pub method: Method,
    /// How the directions were chosen, in words.
    pub description: String,
    /// PCA only: the fraction of the trajectory's variance along x and y.
    pub explained_variance: Option<[f64; 2]>,
    /// ‖d₁‖, ‖d₂‖ (1 for PCA) and their cosine (0 for PCA; near 0 for random directions).
    pub direction_norms: [f64; 2],
    pub direction_cosine: f64,
    pub loss: LossKind,
    pub mode: Mode,
    pub n_params: usize,
    /// Rows the loss is taken over.
    pub rows: usize,
    /// The loss at the center (the final weights).
    pub center_loss: f64,
}

/// A plane with the basis it was computed on (flat vectors, left out of the plane's JSON).
#[derive(Clone, Debug, PartialEq)]
pub struct Landscape {
    pub plane: Plane,
    pub basis: Basis,
}

/// The `n` coordinates of a grid axis over `[lo, hi]`, as `Formula::eval_grid` places them.
pub fn grid_axis(range: [f64; 2], n: usize) -> Vec<f64> {
    let step = if n > 1 {
        (range[1] - range[0]) / (n - 1) as f64
    } else {
        0.0
    };
    (0..n).map(|i| range[0] + i as f64 * step).collect()
}

/// The loss of the batch of `net` (spec and running statistics; data `(x, y)`) over a plane
/// of `trajectory` (weight vectors of `net`'s layout; the last is the center).
pub fn landscape(
    net: &Network,
    x: &Matrix,
    y: &[usize],
    trajectory: &[Vec<f64>],
    options: &LandscapeOptions,
) -> Result<Landscape> {
    landscape_with_progress(net, x, y, trajectory, options, &mut |_, _| {})
}

/// [`landscape`], calling `progress(losses done, losses planned)` as it goes.
pub fn landscape_with_progress(
    net: &Network,
    x: &Matrix,
    y: &[usize],
    trajectory: &[Vec<f64>],
    options: &LandscapeOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Landscape> {
    options.validate()?;
    let trajectory: Vec<Vec<f64>> = evenly_spaced(trajectory.len(), options.max_points)
        .into_iter()
        .map(|i| trajectory[i].clone())
        .collect();
    let mut f = BatchLoss::new(net, x, y, options.mode)?;
    let center = trajectory.last().map_or(&[][..], |t| &t[..]);
    f.check("trajectory's last point", center)?;
    let basis = match options.method {
        Method::Pca => pca_basis(&trajectory, options.seed)?,
        Method::Random => random_basis(net.layout(), center, options.seed, options.bias_bn)?,
    };
    let g = options.grid;
    let total = g * g + 2 * trajectory.len();
    let mut done = 0;
    let mut theta = vec![0.0; basis.n()];
    let mut path = Vec::with_capacity(trajectory.len());
    for t in &trajectory {
        let p = basis.project(t)?;
        basis.point_into(p.x, p.y, &mut theta);
        path.push(PathPoint {
            x: p.x,
            y: p.y,
            loss: f.loss(&theta)?,
            loss_true: f.loss(t)?,
            off_plane: p.off_plane,
        });
        done += 2;
        progress(done, total);
    }
    let (xr, yr) = ranges(&path, options);
    let (xs, ys) = (grid_axis(xr, g), grid_axis(yr, g));
    let mut values = Vec::with_capacity(g * g);
    for &b in &ys {
        for &a in &xs {
            basis.point_into(a, b, &mut theta);
            values.push(f.loss(&theta)?);
        }
        done += g;
        progress(done, total);
    }
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let min = finite.clone().reduce(f64::min);
    let max = finite.reduce(f64::max);
    let [[g11, g12], [_, g22]] = basis.gram();
    let plane = Plane {
        x: xr,
        y: yr,
        nx: g,
        ny: g,
        values,
        min,
        max,
        center_loss: f.loss(&basis.center)?,
        path,
        method: options.method,
        description: basis.description.clone(),
        explained_variance: basis.explained_variance,
        direction_norms: [g11.sqrt(), g22.sqrt()],
        direction_cosine: g12 / (g11 * g22).sqrt(),
        loss: net.spec().loss,
        mode: options.mode,
        n_params: basis.n(),
        rows: x.rows(),
    };
    Ok(Landscape { plane, basis })
}

/// The view: explicit ranges, else `±span` (random) or `±span · max |coordinate|` per axis
/// (PCA; an axis along which the path does not move gets the other axis's half-width).
fn ranges(path: &[PathPoint], o: &LandscapeOptions) -> ([f64; 2], [f64; 2]) {
    let span = o.span();
    let (mut hx, mut hy) = match o.method {
        Method::Random => (span, span),
        Method::Pca => {
            let m = |f: fn(&PathPoint) -> f64| path.iter().map(|p| f(p).abs()).fold(0.0, f64::max);
            (span * m(|p| p.x), span * m(|p| p.y))
        }
    };
    let big = hx.max(hy);
    if big == 0.0 {
        (hx, hy) = (span, span);
    } else {
        if hx < 1e-6 * big {
            hx = big;
        }
        if hy < 1e-6 * big {
            hy = big;
        }
    }
    (o.x.unwrap_or([-hx, hx]), o.y.unwrap_or([-hy, hy]))
}
