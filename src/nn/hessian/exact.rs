//! The full Hessian of a batch loss, assembled column by column from exact Hessian-vector
//! products with unit vectors, and its eigenvalues (nalgebra's symmetric eigen decomposition).

use super::batch_loss::BatchLoss;
use super::dual::DualVec;
use crate::error::{Error, Result};
use crate::nn::pass::Workspace;
use nalgebra::DMatrix;

/// The most parameters for a full Hessian (n² numbers, an O(n³) eigen decomposition);
/// larger networks get their extreme eigenvalues by [`super::lanczos()`].
pub const MAX_EXACT_PARAMS: usize = 2048;

/// Unit tangents per dual pass: 8 columns share one value computation.
pub(super) const BLOCK: usize = 8;

/// An n × n Hessian, column `j` = `H·e_j` as computed (so `H_ij` and `H_ji` come from
/// different passes and agree up to rounding; see [`Hessian::symmetrized`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Hessian {
    n: usize,
    columns: Vec<f64>,
}

impl Hessian {
    /// Wrap `n · n` numbers, column after column.
    pub fn from_columns(n: usize, columns: Vec<f64>) -> Result<Hessian> {
        if n.checked_mul(n) != Some(columns.len()) {
            return Err(Error::invalid(
                "hessian",
                format!("{} numbers", columns.len()),
                &format!("{n} × {n}"),
            ));
        }
        Ok(Hessian { n, columns })
    }

    /// The number of parameters.
    pub fn n(&self) -> usize {
        self.n
    }

    /// `H_ij = ∂²L/∂θ_i∂θ_j`, row `i` of column `j` (`None` outside the matrix).
    pub fn get(&self, i: usize, j: usize) -> Option<f64> {
        (i < self.n && j < self.n).then(|| self.columns[j * self.n + i])
    }

    /// Column `j`, `H·e_j` (`None` outside the matrix).
    pub fn column(&self, j: usize) -> Option<&[f64]> {
        (j < self.n).then(|| &self.columns[j * self.n..(j + 1) * self.n])
    }

    /// All numbers, column after column.
    pub fn column_major(&self) -> &[f64] {
        &self.columns
    }

    /// `max |H_ij − H_ji|`: the rounding left by the column-by-column assembly.
    pub fn max_asymmetry(&self) -> f64 {
        let n = self.n;
        let mut worst = 0.0_f64;
        for j in 0..n {
            for i in j + 1..n {
                worst = worst.max((self.columns[j * n + i] - self.columns[i * n + j]).abs());
            }
        }
        worst
    }

    /// `(H + Hᵀ)/2`. The exact Hessian is symmetric; the assembled one is only up to rounding
    /// (each column is its own pass). The average is the nearest symmetric matrix (Frobenius
    /// norm) and moves no eigenvalue by more than `n · max_asymmetry / 2` (Weyl), far less
    /// than the rounding of the entries themselves; it lets the symmetric solver use both
    /// triangles instead of trusting one.
    pub fn symmetrized(&self) -> Hessian {
        let n = self.n;
        let mut c = self.columns.clone();
        for j in 0..n {
            for i in j + 1..n {
                let m = 0.5 * (c[j * n + i] + c[i * n + j]);
                c[j * n + i] = m;
                c[i * n + j] = m;
            }
        }
        Hessian { n, columns: c }
    }

    /// The first entry that is NaN or infinite, as an error.
    pub(super) fn check_finite(&self) -> Result<()> {
        match self.columns.iter().position(|v| !v.is_finite()) {
            None => Ok(()),
            Some(k) => Err(Error::invalid(
                &format!("hessian[{}][{}]", k % self.n, k / self.n),
                self.columns[k],
                "a finite number (the loss overflowed at these weights)",
            )),
        }
    }

    /// The eigenvalues of the symmetrized Hessian, ascending.
    pub fn eigenvalues(&self) -> Result<Vec<f64>> {
        self.check_finite()?;
        if self.n == 0 {
            return Ok(Vec::new());
        }
        let s = self.symmetrized();
        let m = DMatrix::from_column_slice(self.n, self.n, &s.columns);
        let mut ev: Vec<f64> = m.symmetric_eigenvalues().iter().copied().collect();
        crate::order::sort(&mut ev);
        Ok(ev)
    }
}

impl BatchLoss<'_> {
    /// The full Hessian `∇²L(θ)`, `n / 8` dual passes with 8 unit tangents each.
    pub fn hessian(&mut self, theta: &[f64]) -> Result<Hessian> {
        self.hessian_with_progress(theta, &mut |_, _| {})
    }

    /// [`BatchLoss::hessian`], calling `progress(columns done, n)` after each pass.
    pub fn hessian_with_progress(
        &mut self,
        theta: &[f64],
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Hessian> {
        self.check("theta", theta)?;
        let n = theta.len();
        if n > MAX_EXACT_PARAMS {
            return Err(Error::invalid(
                "hessian",
                format!("{n} parameters"),
                &format!(
                    "at most {MAX_EXACT_PARAMS} for the full Hessian; use the Lanczos extremes \
                     for larger networks"
                ),
            ));
        }
        let mut columns = vec![0.0; n * n];
        let mut ws = Workspace::<DualVec<BLOCK>>::default();
        for (b, block) in columns.chunks_mut(BLOCK * n.max(1)).enumerate() {
            let first = b * BLOCK;
            self.hessian_columns(theta, first, &mut ws, block)?;
            progress((first + BLOCK).min(n), n);
        }
        Hessian::from_columns(n, columns)
    }
}
