//! The gradient-noise level of the lecture's batch-size table: the mean squared distance
//! `E‖g_B − g‖²` between mini-batch gradients g_B and the full-batch gradient g, sampled.

use super::backend::Backend;
use super::data::Dataset;
use super::matrix::Matrix;
use super::params::Network;
use super::pass::Mode;
use crate::error::Result;
use crate::rng::Rng;

/// Estimate `E‖g_B − g‖²` at the current parameters from `samples` random batches of
/// `batch_size` distinct rows. Both gradients are train-mode (batch statistics, as training
/// sees them) without touching the running statistics. A batch of all rows gives 0.
pub fn gradient_noise<B: Backend + ?Sized>(
    backend: &mut B,
    net: &mut Network,
    data: &Dataset,
    batch_size: usize,
    samples: usize,
    rng: &mut Rng,
) -> Result<f64> {
    let n = data.len();
    if batch_size >= n || samples == 0 {
        return Ok(0.0);
    }
    let mut full = vec![0.0; net.n_params()];
    backend.loss_and_gradient(net, &data.x, &data.y, Mode::Train, false, &mut full)?;
    let mut g = vec![0.0; net.n_params()];
    let mut idx: Vec<usize> = (0..n).collect();
    let mut xb = Matrix::default();
    let mut total = 0.0;
    for _ in 0..samples {
        // A partial Fisher–Yates shuffle draws batch_size distinct rows.
        for i in 0..batch_size {
            let j = i + rng.below(n - i);
            idx.swap(i, j);
        }
        let rows = &idx[..batch_size];
        xb.gather(&data.x, rows);
        let yb: Vec<usize> = rows.iter().map(|&i| data.y[i]).collect();
        backend.loss_and_gradient(net, &xb, &yb, Mode::Train, false, &mut g)?;
        total += g
            .iter()
            .zip(&full)
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f64>();
    }
    Ok(total / samples as f64)
}
