//! The loss of one batch as a function of the flat parameters θ, `L(θ)`: its value, its
//! gradient and exact Hessian-vector products `H·v`, all through the one generic pass.
//!
//! Nothing of the network changes: the running statistics are read in eval mode and left
//! alone in train mode (which normalizes with the batch's own mean and variance).

use super::dual::DualVec;
use crate::error::{Error, Result};
use crate::nn::loss::check_labels;
use crate::nn::matrix::Matrix;
use crate::nn::params::Network;
use crate::nn::pass::{self, Mode, Workspace};

/// `L(θ)` for a fixed network shape, batch `(x, y)` and mode, with the buffers of its passes.
pub struct BatchLoss<'a> {
    net: &'a Network,
    x: &'a Matrix,
    y: &'a [usize],
    mode: Mode,
    ws: Workspace,
    ws_dual: Workspace<DualVec<1>>,
    theta_dual: Vec<DualVec<1>>,
    grad_dual: Vec<DualVec<1>>,
}

impl<'a> BatchLoss<'a> {
    /// Check the batch against the network: at least one row (two in train mode with batch
    /// norm), `input_dim` finite columns, one label in `0..classes` per row.
    pub fn new(net: &'a Network, x: &'a Matrix, y: &'a [usize], mode: Mode) -> Result<Self> {
        let spec = net.spec();
        if x.rows() == 0 {
            return Err(Error::invalid("X", "0 rows", "at least 1 row"));
        }
        if x.cols() != spec.input_dim {
            return Err(Error::invalid(
                "X",
                format!("{} columns", x.cols()),
                &format!("input_dim = {} columns", spec.input_dim),
            ));
        }
        x.check_finite("X")?;
        check_labels(y, x.rows(), spec.classes())?;
        if mode == Mode::Train && spec.has_batchnorm() && x.rows() < 2 {
            return Err(Error::invalid(
                "X",
                "1 row",
                "at least 2 rows for a train-mode loss through batch norm (it normalizes \
                 with the batch mean and variance); use eval mode for a single row",
            ));
        }
        Ok(BatchLoss {
            net,
            x,
            y,
            mode,
            ws: Workspace::default(),
            ws_dual: Workspace::default(),
            theta_dual: Vec::new(),
            grad_dual: Vec::new(),
        })
    }

    /// The number of parameters, the length of θ.
    pub fn n_params(&self) -> usize {
        self.net.n_params()
    }

    /// The network's own parameters.
    pub fn params(&self) -> &'a [f64] {
        self.net.params()
    }

    pub fn network(&self) -> &'a Network {
        self.net
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Rows in the batch.
    pub fn rows(&self) -> usize {
        self.x.rows()
    }

    /// `L(θ)`.
    pub fn loss(&mut self, theta: &[f64]) -> Result<f64> {
        self.check("theta", theta)?;
        Ok(pass::loss_at(
            self.net,
            theta,
            self.x,
            self.y,
            self.mode,
            &mut self.ws,
            None,
        )?)
    }

    /// `L(θ)`, and `∇L(θ)` into `grad`.
    pub fn gradient(&mut self, theta: &[f64], grad: &mut [f64]) -> Result<f64> {
        self.check("theta", theta)?;
        self.check_out("grad", grad)?;
        Ok(pass::loss_at(
            self.net,
            theta,
            self.x,
            self.y,
            self.mode,
            &mut self.ws,
            Some(grad),
        )?)
    }

    /// `H(θ)·v` into `hv`, exact up to rounding (one dual pass); returns `L(θ)`.
    pub fn hvp(&mut self, theta: &[f64], v: &[f64], hv: &mut [f64]) -> Result<f64> {
        self.check("theta", theta)?;
        self.check("v", v)?;
        self.check_out("hv", hv)?;
        self.theta_dual.clear();
        self.theta_dual
            .extend(theta.iter().zip(v).map(|(&t, &v)| DualVec::new(t, [v])));
        self.grad_dual.resize(theta.len(), DualVec::default());
        let l = pass::loss_at(
            self.net,
            &self.theta_dual,
            self.x,
            self.y,
            self.mode,
            &mut self.ws_dual,
            Some(&mut self.grad_dual),
        )?;
        for (h, g) in hv.iter_mut().zip(&self.grad_dual) {
            *h = g.eps[0];
        }
        Ok(l.re)
    }

    /// Columns `first..first + N` of `H(θ)` (fewer at the end), one dual pass with `N`
    /// unit tangents; `out` gets column `first + k` at `out[k·n..(k + 1)·n]`.
    pub(crate) fn hessian_columns<const N: usize>(
        &mut self,
        theta: &[f64],
        first: usize,
        ws: &mut Workspace<DualVec<N>>,
        out: &mut [f64],
    ) -> Result<()> {
        let n = theta.len();
        let mut params: Vec<DualVec<N>> = theta.iter().map(|&t| DualVec::from(t)).collect();
        for (k, p) in params.iter_mut().skip(first).take(N).enumerate() {
            p.eps[k] = 1.0;
        }
        let mut grads = vec![DualVec::<N>::default(); n];
        pass::loss_at(
            self.net,
            &params,
            self.x,
            self.y,
            self.mode,
            ws,
            Some(&mut grads),
        )?;
        for (k, col) in out.chunks_exact_mut(n).enumerate() {
            for (c, g) in col.iter_mut().zip(&grads) {
                *c = g.eps[k];
            }
        }
        Ok(())
    }

    /// A vector argument must have one finite number per parameter.
    pub(crate) fn check(&self, field: &str, v: &[f64]) -> Result<()> {
        self.check_out(field, v)?;
        if let Some(k) = v.iter().position(|x| !x.is_finite()) {
            return Err(Error::invalid(
                &format!("{field}[{k}]"),
                v[k],
                "a finite number",
            ));
        }
        Ok(())
    }

    fn check_out(&self, field: &str, v: &[f64]) -> Result<()> {
        if v.len() != self.n_params() {
            return Err(Error::invalid(
                field,
                format!("{} numbers", v.len()),
                &format!("{} (one per parameter)", self.n_params()),
            ));
        }
        Ok(())
    }
}
