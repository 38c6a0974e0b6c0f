//! The spectrum as a job, one block of Hessian columns (or one Lanczos step) at a time, so
//! that the app's worker can report progress and be cancelled between blocks.
//!
//! [`super::spectrum()`] runs a job to its end; the wasm `HessianJob` advances one for a time
//! budget per call. The job owns a copy of the network and of the rows, so training may go on
//! (or the page may rebuild its run) while it works: it is the spectrum of the weights it was
//! started with.

use super::batch_loss::BatchLoss;
use super::dual::DualVec;
use super::exact::{Hessian, BLOCK, MAX_EXACT_PARAMS};
use super::lanczos::LanczosRun;
use super::spectrum::{
    minimum_ratio, sign_counts, zero_tolerance, Spectrum, SpectrumMethod, SpectrumOptions,
    AUTO_EXACT_LIMIT,
};
use crate::error::{Error, Result};
use crate::nn::matrix::Matrix;
use crate::nn::params::Network;
use crate::nn::pass::{Mode, Workspace};

/// What is left to do.
enum Work {
    /// Columns `0..done` of the full Hessian are assembled.
    Exact {
        columns: Vec<f64>,
        done: usize,
        ws: Box<Workspace<DualVec<BLOCK>>>,
    },
    Lanczos(LanczosRun),
}

/// A spectrum being computed at fixed weights over fixed rows.
pub struct SpectrumJob {
    net: Network,
    x: Matrix,
    y: Vec<usize>,
    mode: Mode,
    extremes: usize,
    method: SpectrumMethod,
    loss: f64,
    gradient_norm: f64,
    work: Work,
}

impl SpectrumJob {
    /// What one piece of a job with `options` costs on a network of `params` parameters over
    /// `rows` rows ([`crate::budget`]): a block of columns (exact) or one product (Lanczos).
    /// A page does not start a job whose pieces it could not stop between in time.
    pub fn piece_cost(
        params: usize,
        rows: usize,
        options: &SpectrumOptions,
    ) -> crate::budget::Cost {
        let rows = options.max_rows.map_or(rows, |k| k.min(rows));
        let exact = match options.method {
            SpectrumMethod::Auto => params <= AUTO_EXACT_LIMIT,
            SpectrumMethod::Exact => true,
            SpectrumMethod::Lanczos => false,
        };
        crate::budget::Cost::curvature_piece(params, rows, if exact { BLOCK } else { 1 })
    }

    /// Check the rows against the network and the options (the first `max_rows` rows only,
    /// when given), take the loss and gradient at the network's weights and plan the work:
    /// `n` columns (exact) or `lanczos.steps` products (Lanczos).
    pub fn new(
        net: &Network,
        x: &Matrix,
        y: &[usize],
        options: &SpectrumOptions,
    ) -> Result<SpectrumJob> {
        let (x, y) = match options.max_rows {
            Some(0) => return Err(Error::invalid("max_rows", 0, "at least 1 row")),
            Some(k) if k < x.rows() => {
                let idx: Vec<usize> = (0..k).collect();
                (x.select_rows(&idx), y[..k.min(y.len())].to_vec())
            }
            _ => (x.clone(), y.to_vec()),
        };
        let theta = net.params();
        let n = theta.len();
        let mut grad = vec![0.0; n];
        let loss = BatchLoss::new(net, &x, &y, options.mode)?.gradient(theta, &mut grad)?;
        let gradient_norm = grad.iter().map(|g| g * g).sum::<f64>().sqrt();
        let method = match options.method {
            SpectrumMethod::Auto if n <= AUTO_EXACT_LIMIT => SpectrumMethod::Exact,
            SpectrumMethod::Auto => SpectrumMethod::Lanczos,
            m => m,
        };
        let work = if method == SpectrumMethod::Exact {
            if n > MAX_EXACT_PARAMS {
                return Err(Error::invalid(
                    "hessian",
                    format!("{n} parameters"),
                    &format!(
                        "at most {MAX_EXACT_PARAMS} for the full Hessian; use the Lanczos \
                         extremes for larger networks"
                    ),
                ));
            }
            Work::Exact {
                columns: vec![0.0; n * n],
                done: 0,
                ws: Box::default(),
            }
        } else {
            Work::Lanczos(LanczosRun::new(n, &options.lanczos)?)
        };
        Ok(SpectrumJob {
            net: net.clone(),
            x,
            y,
            mode: options.mode,
            extremes: options.extremes,
            method,
            loss,
            gradient_norm,
            work,
        })
    }

    /// `exact` or `lanczos`.
    pub fn method(&self) -> SpectrumMethod {
        self.method
    }

    /// The number of parameters.
    pub fn n_params(&self) -> usize {
        self.net.n_params()
    }

    /// `(done, planned)`: Hessian columns (exact) or products `H·v` (Lanczos).
    pub fn progress(&self) -> (usize, usize) {
        match &self.work {
            Work::Exact { done, .. } => (*done, self.net.n_params()),
            Work::Lanczos(run) => (run.steps_done(), run.steps_planned()),
        }
    }

    /// Whether all the planned work is done ([`SpectrumJob::finish`] may be called).
    pub fn is_done(&self) -> bool {
        match &self.work {
            Work::Exact { done, .. } => *done >= self.net.n_params(),
            Work::Lanczos(run) => run.is_done(),
        }
    }

    /// Compute blocks of 8 columns (or Lanczos steps) until the job is done or
    /// `should_stop()`, asked after each block, says so; returns whether the job is done.
    pub fn advance(&mut self, should_stop: &mut dyn FnMut() -> bool) -> Result<bool> {
        let mut f = BatchLoss::new(&self.net, &self.x, &self.y, self.mode)?;
        let theta = self.net.params();
        let n = theta.len();
        loop {
            let done = match &mut self.work {
                Work::Exact { columns, done, ws } => {
                    if *done < n {
                        let end = (*done + BLOCK).min(n);
                        f.hessian_columns(theta, *done, ws, &mut columns[*done * n..end * n])?;
                        *done = end;
                    }
                    *done >= n
                }
                Work::Lanczos(run) => run.step(&mut |v, out| f.hvp(theta, v, out).map(|_| ()))?,
            };
            if done {
                return Ok(true);
            }
            if should_stop() {
                return Ok(false);
            }
        }
    }

    /// The spectrum (an error before the work is done).
    pub fn finish(self) -> Result<Spectrum> {
        if !self.is_done() {
            let (done, planned) = self.progress();
            return Err(Error::invalid(
                "spectrum",
                format!("{done} of {planned} steps done"),
                "a finished job (advance it until it is done)",
            ));
        }
        let n = self.net.n_params();
        let mut s = Spectrum {
            method: self.method,
            mode: self.mode,
            n_params: n,
            rows: self.x.rows(),
            loss: self.loss,
            gradient_norm: self.gradient_norm,
            eigenvalues: Vec::new(),
            residuals: None,
            smallest: Vec::new(),
            largest: Vec::new(),
            signs: None,
            minimum_ratio: None,
            max_asymmetry: None,
            hessian_vector_products: 0,
        };
        match self.work {
            Work::Exact { columns, .. } => {
                let h = Hessian::from_columns(n, columns)?;
                let ev = h.eigenvalues()?;
                let tol = zero_tolerance(&ev);
                s.signs = Some(sign_counts(&ev, tol));
                s.minimum_ratio = minimum_ratio(&ev, tol);
                s.max_asymmetry = Some(h.max_asymmetry());
                s.hessian_vector_products = n;
                s.eigenvalues = ev;
            }
            Work::Lanczos(run) => {
                let l = run.finish()?;
                s.hessian_vector_products = l.steps;
                s.eigenvalues = l.ritz_values;
                s.residuals = Some(l.residuals);
            }
        }
        let k = self.extremes;
        s.smallest = s.eigenvalues.iter().take(k).copied().collect();
        s.largest = s.eigenvalues.iter().rev().take(k).copied().collect();
        Ok(s)
    }
}
