//! The training loss over a plane in weight space, on the grid layout of a formula surface
//! (`Formula::eval_grid`, `render::Field`), with the weight trajectory projected onto it.

use super::basis::Basis;
use super::options::{LandscapeOptions, Method};
use super::pca::pca_basis;
use super::random::random_basis;
use super::trajectory::evenly_spaced;
use crate::error::{Error, Result};
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
    let mut job = LandscapeJob::new(net, x, y, trajectory, options)?;
    let (done, total) = job.progress();
    progress(done, total);
    while !job.advance(&mut || true)? {
        let (done, total) = job.progress();
        progress(done, total);
    }
    let (done, total) = job.progress();
    progress(done, total);
    job.finish()
}

/// The plane computed a grid row at a time, so that the app's worker can report progress and
/// be cancelled between rows; [`landscape_with_progress`] runs one to the end. The job owns
/// copies of the network and the rows.
pub struct LandscapeJob {
    net: Network,
    x: Matrix,
    y: Vec<usize>,
    options: LandscapeOptions,
    basis: Basis,
    path: Vec<PathPoint>,
    xr: [f64; 2],
    yr: [f64; 2],
    values: Vec<f64>,
    rows_done: usize,
}

impl LandscapeJob {
    /// Check the options, thin the trajectory to `max_points`, choose the directions, project
    /// the trajectory (two losses per point) and plan the grid.
    pub fn new(
        net: &Network,
        x: &Matrix,
        y: &[usize],
        trajectory: &[Vec<f64>],
        options: &LandscapeOptions,
    ) -> Result<LandscapeJob> {
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
        }
        let (xr, yr) = ranges(&path, options);
        Ok(LandscapeJob {
            net: net.clone(),
            x: x.clone(),
            y: y.to_vec(),
            options: options.clone(),
            basis,
            path,
            xr,
            yr,
            values: Vec::with_capacity(options.grid * options.grid),
            rows_done: 0,
        })
    }

    /// `(losses done, losses planned)`: two per trajectory point, then the grid's.
    pub fn progress(&self) -> (usize, usize) {
        let g = self.options.grid;
        let path = 2 * self.path.len();
        (path + self.values.len(), path + g * g)
    }

    /// Whether every grid row is done ([`LandscapeJob::finish`] may be called).
    pub fn is_done(&self) -> bool {
        self.rows_done >= self.options.grid
    }

    /// Compute grid rows until the grid is done or `should_stop()`, asked after each row, says
    /// so; returns whether the grid is done.
    pub fn advance(&mut self, should_stop: &mut dyn FnMut() -> bool) -> Result<bool> {
        let g = self.options.grid;
        let mut f = BatchLoss::new(&self.net, &self.x, &self.y, self.options.mode)?;
        let xs = grid_axis(self.xr, g);
        let ys = grid_axis(self.yr, g);
        let mut theta = vec![0.0; self.basis.n()];
        while self.rows_done < g {
            let b = ys[self.rows_done];
            for &a in &xs {
                self.basis.point_into(a, b, &mut theta);
                self.values.push(f.loss(&theta)?);
            }
            self.rows_done += 1;
            if self.rows_done < g && should_stop() {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The plane (an error before the grid is done).
    pub fn finish(self) -> Result<Landscape> {
        if !self.is_done() {
            return Err(Error::invalid(
                "landscape",
                format!("{} of {} grid rows done", self.rows_done, self.options.grid),
                "a finished job (advance it until it is done)",
            ));
        }
        let g = self.options.grid;
        let mut f = BatchLoss::new(&self.net, &self.x, &self.y, self.options.mode)?;
        let values = self.values;
        let finite = values.iter().copied().filter(|v| v.is_finite());
        let min = finite.clone().reduce(f64::min);
        let max = finite.reduce(f64::max);
        let basis = self.basis;
        let [[g11, g12], [_, g22]] = basis.gram();
        let plane = Plane {
            x: self.xr,
            y: self.yr,
            nx: g,
            ny: g,
            values,
            min,
            max,
            center_loss: f.loss(&basis.center)?,
            path: self.path,
            method: self.options.method,
            description: basis.description.clone(),
            explained_variance: basis.explained_variance,
            direction_norms: [g11.sqrt(), g22.sqrt()],
            direction_cosine: g12 / (g11 * g22).sqrt(),
            loss: self.net.spec().loss,
            mode: self.options.mode,
            n_params: basis.n(),
            rows: self.x.rows(),
        };
        Ok(Landscape { plane, basis })
    }
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
