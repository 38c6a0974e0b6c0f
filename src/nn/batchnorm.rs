//! BatchNorm1d with torch's semantics: train mode normalizes with the batch mean and the
//! biased batch variance; eval mode with the running statistics; full backward through both.
//!
//! Running statistics are updated once per train-mode forward with the *unbiased* variance
//! (`var_b · n/(n−1)`), and `momentum` is the weight of the new value (0.1 = 10% new).
//! A train-mode batch of one row is an error, with torch's own message.

use super::params::RunningStats;
use super::scalar::Scalar;
use crate::error::Error;

/// torch's `ValueError` for a train-mode batch of one row through a `width`-unit BN layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SingleRowBatch {
    pub width: usize,
}

impl std::fmt::Display for SingleRowBatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Expected more than 1 value per channel when training, got input size torch.Size([1, {}])",
            self.width
        )
    }
}

impl From<SingleRowBatch> for Error {
    fn from(e: SingleRowBatch) -> Error {
        Error::invalid(
            "batch size",
            1,
            &format!(
                "at least 2 rows in a train-mode batch through batch norm, which needs a batch \
                 mean and variance (torch: {e})"
            ),
        )
    }
}

/// Per-unit statistics of one BN layer from the last forward.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BnCache<T = f64> {
    /// The normalized values x̂ (n × h).
    pub xhat: Vec<T>,
    /// 1 / sqrt(var + eps) per unit (batch variance in train mode, running in eval mode).
    pub inv_std: Vec<T>,
    /// The mean per unit: the batch mean in train mode, the running mean in eval mode.
    pub mean: Vec<T>,
    /// The biased batch variance (train mode only).
    pub var: Vec<T>,
}

/// Train mode: `z` (n × h) becomes `x̂·gamma + beta` with batch statistics.
pub fn forward_train<T: Scalar>(
    z: &mut [T],
    h: usize,
    gamma: &[T],
    beta: &[T],
    eps: f64,
    c: &mut BnCache<T>,
) -> Result<(), SingleRowBatch> {
    let n = z.len() / h;
    if n < 2 {
        return Err(SingleRowBatch { width: h });
    }
    c.mean.clear();
    c.mean.resize(h, T::default());
    c.var.clear();
    c.var.resize(h, T::default());
    for row in z.chunks_exact(h) {
        c.mean.iter_mut().zip(row).for_each(|(m, &x)| *m += x);
    }
    let inv_n = 1.0 / n as f64;
    c.mean.iter_mut().for_each(|m| *m = *m * inv_n);
    for row in z.chunks_exact(h) {
        for ((v, &x), &m) in c.var.iter_mut().zip(row).zip(&c.mean) {
            *v += (x - m) * (x - m);
        }
    }
    c.var.iter_mut().for_each(|v| *v = *v * inv_n);
    c.inv_std.clear();
    let (one, eps) = (T::from(1.0), T::from(eps));
    c.inv_std
        .extend(c.var.iter().map(|&v| one / (v + eps).sqrt()));
    let BnCache {
        xhat,
        inv_std,
        mean,
        ..
    } = c;
    normalize(z, h, gamma, beta, mean, inv_std, xhat);
    Ok(())
}

/// Eval mode: `z` (n × h) becomes `x̂·gamma + beta` with the running statistics.
pub fn forward_eval<T: Scalar>(
    z: &mut [T],
    h: usize,
    gamma: &[T],
    beta: &[T],
    eps: f64,
    rs: &RunningStats,
    c: &mut BnCache<T>,
) {
    c.inv_std.clear();
    c.inv_std.extend(
        rs.running_var
            .iter()
            .map(|&v| T::from(1.0 / (v + eps).sqrt())),
    );
    c.mean.clear();
    c.mean.extend(rs.running_mean.iter().map(|&m| T::from(m)));
    let BnCache {
        xhat,
        inv_std,
        mean,
        ..
    } = c;
    normalize(z, h, gamma, beta, mean, inv_std, xhat);
}

fn normalize<T: Scalar>(
    z: &mut [T],
    h: usize,
    gamma: &[T],
    beta: &[T],
    mean: &[T],
    inv_std: &[T],
    xhat: &mut Vec<T>,
) {
    xhat.clear();
    xhat.resize(z.len(), T::default());
    for (row, xr) in z.chunks_exact_mut(h).zip(xhat.chunks_exact_mut(h)) {
        for j in 0..h {
            let xh = (row[j] - mean[j]) * inv_std[j];
            xr[j] = xh;
            row[j] = xh * gamma[j] + beta[j];
        }
    }
}

/// `running ← (1 − momentum)·running + momentum·batch`, with the unbiased batch variance.
pub fn update_running(rs: &mut RunningStats, c: &BnCache, n: usize, momentum: f64) {
    let unbias = n as f64 / (n as f64 - 1.0);
    for j in 0..rs.running_mean.len() {
        rs.running_mean[j] = (1.0 - momentum) * rs.running_mean[j] + momentum * c.mean[j];
        rs.running_var[j] = (1.0 - momentum) * rs.running_var[j] + momentum * c.var[j] * unbias;
    }
}

/// Backward of train mode: `d` holds dL/dy (n × h) and becomes dL/dz; adds dL/dgamma and
/// dL/dbeta. `dz = inv_std/n · (n·dx̂ − Σdx̂ − x̂·Σ(dx̂·x̂))` with `dx̂ = dy·gamma`.
pub fn backward_train<T: Scalar>(
    d: &mut [T],
    h: usize,
    gamma: &[T],
    c: &BnCache<T>,
    dgamma: &mut [T],
    dbeta: &mut [T],
) {
    let n = d.len() / h;
    // Σ dy and Σ dy·x̂ per unit give dbeta, dgamma and (times gamma) the two sums of dx̂.
    let mut sum_dy = vec![T::default(); h];
    let mut sum_dy_xhat = vec![T::default(); h];
    for (dr, xr) in d.chunks_exact(h).zip(c.xhat.chunks_exact(h)) {
        for j in 0..h {
            sum_dy[j] += dr[j];
            sum_dy_xhat[j] += dr[j] * xr[j];
        }
    }
    for j in 0..h {
        dbeta[j] += sum_dy[j];
        dgamma[j] += sum_dy_xhat[j];
    }
    let inv_n = 1.0 / n as f64;
    for (dr, xr) in d.chunks_exact_mut(h).zip(c.xhat.chunks_exact(h)) {
        for j in 0..h {
            let k = gamma[j] * c.inv_std[j];
            dr[j] = k * (dr[j] - sum_dy[j] * inv_n - xr[j] * inv_n * sum_dy_xhat[j]);
        }
    }
}

/// Backward of eval mode (an affine map per unit): `d` becomes dL/dz; adds dL/dgamma and
/// dL/dbeta (defined in eval mode too).
pub fn backward_eval<T: Scalar>(
    d: &mut [T],
    h: usize,
    gamma: &[T],
    c: &BnCache<T>,
    dgamma: &mut [T],
    dbeta: &mut [T],
) {
    for (dr, xr) in d.chunks_exact_mut(h).zip(c.xhat.chunks_exact(h)) {
        for j in 0..h {
            dbeta[j] += dr[j];
            dgamma[j] += dr[j] * xr[j];
            dr[j] = dr[j] * (gamma[j] * c.inv_std[j]);
        }
    }
}
