//! Feature standardization exactly as the reference: per column, the mean and the population
//! std (ddof = 0) of the training data; a constant column (min == max) keeps std 1.
//!
//! Constancy is tested with min == max, not std == 0: the float mean of 40 × 0.1 is
//! 0.10000000000000005, so such a column has a std of 4e-17 and would blow up to ±1.

use super::matrix::Matrix;
use crate::error::{Error, Result};
use serde::Serialize;

/// The statistics of a training set, to apply to it and to any other data.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Standardizer {
    pub mean: Vec<f64>,
    /// sqrt(mean((x − mean)²)), as computed, even for constant columns.
    pub std_raw: Vec<f64>,
    /// `std_raw`, with 1 for constant columns: the divisor.
    pub std: Vec<f64>,
    /// Indices of the columns whose values are all equal.
    pub constant_features: Vec<usize>,
}

impl Standardizer {
    /// Fit on `x` (at least one row, finite values). Sums run down the rows in order, as
    /// numpy does along axis 0.
    pub fn fit(x: &Matrix) -> Result<Standardizer> {
        if x.rows() == 0 {
            return Err(Error::invalid(
                "X",
                "0 rows",
                "at least 1 row to standardize",
            ));
        }
        x.check_finite("X")?;
        let (n, d) = (x.rows(), x.cols());
        let mut mean = vec![0.0; d];
        let mut lo = vec![f64::INFINITY; d];
        let mut hi = vec![f64::NEG_INFINITY; d];
        for i in 0..n {
            for (j, &v) in x.row(i).iter().enumerate() {
                mean[j] += v;
                lo[j] = lo[j].min(v);
                hi[j] = hi[j].max(v);
            }
        }
        mean.iter_mut().for_each(|m| *m /= n as f64);
        let mut var = vec![0.0; d];
        for i in 0..n {
            for (j, &v) in x.row(i).iter().enumerate() {
                var[j] += (v - mean[j]) * (v - mean[j]);
            }
        }
        let std_raw: Vec<f64> = var.iter().map(|v| (v / n as f64).sqrt()).collect();
        let constant_features: Vec<usize> = (0..d).filter(|&j| lo[j] == hi[j]).collect();
        let mut std = std_raw.clone();
        constant_features.iter().for_each(|&j| std[j] = 1.0);
        Ok(Standardizer {
            mean,
            std_raw,
            std,
            constant_features,
        })
    }

    /// `(x − mean) / std` with these statistics; `x` must have as many columns.
    pub fn apply(&self, x: &Matrix) -> Result<Matrix> {
        if x.cols() != self.mean.len() {
            return Err(Error::invalid(
                "X",
                format!("{} columns", x.cols()),
                &format!(
                    "{} columns, as the data the statistics came from",
                    self.mean.len()
                ),
            ));
        }
        x.check_finite("X")?;
        let mut z = x.clone();
        for i in 0..z.rows() {
            for (j, v) in z.row_mut(i).iter_mut().enumerate() {
                *v = (*v - self.mean[j]) / self.std[j];
            }
        }
        Ok(z)
    }
}
