//! Drive a network's weights to a genuine critical point of its training loss, as the lecture's
//! experiment did ("train until the gradient is really small"), then read the Hessian's signs.
//!
//! The search is Levenberg–Marquardt on `½‖∇L(θ)‖²`: with the exact Hessian `H = QΛQᵀ` and
//! `c = Qᵀ∇L`, the step is `δ = −Σᵢ λᵢcᵢ / (λᵢ² + μ) · qᵢ`, the minimizer of
//! `‖∇L + Hδ‖² + μ‖δ‖²`. Small μ is Newton's step toward the nearest point where the gradient
//! vanishes (whatever its kind: minimum, saddle or maximum); large μ a short step down
//! `‖∇L‖²`. Directions with λᵢ = 0 (the network's symmetries) are never moved along. μ shrinks
//! after a step that lowers ‖∇L‖ and grows until one does.

use super::batch_loss::BatchLoss;
use super::spectrum::{sign_counts, SignCounts};
use crate::error::Result;
use nalgebra::{DMatrix, DVector, SymmetricEigen};
use serde::Serialize;

/// When the search stops.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CriticalSearchOptions {
    /// Stop once `‖∇L‖ ≤ gradient_tolerance` (default 1e-9).
    pub gradient_tolerance: f64,
    /// Give up after this many accepted or refused Hessians (default 60).
    pub max_iterations: usize,
    /// An eigenvalue with `|λ| ≤ zero_tolerance · max|λ|` counts as zero (default 1e-7): a flat
    /// direction such as shifting every output logit by the same amount.
    pub zero_tolerance: f64,
    /// The L2 penalty `l2/2·‖θ‖²` added to the loss (default 0), the loss an optimizer with
    /// `weight_decay = l2` minimizes: it keeps every critical point at a finite distance.
    pub l2: f64,
}

impl Default for CriticalSearchOptions {
    fn default() -> Self {
        CriticalSearchOptions {
            gradient_tolerance: 1e-9,
            max_iterations: 60,
            zero_tolerance: 1e-7,
            l2: 0.0,
        }
    }
}

/// Where the search ended.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CriticalPointFound {
    /// The weights reached.
    #[serde(skip)]
    pub theta: Vec<f64>,
    pub loss: f64,
    /// `‖∇L‖` at `theta`.
    pub gradient_norm: f64,
    /// `‖∇L‖ ≤ gradient_tolerance`.
    pub converged: bool,
    /// Hessians computed.
    pub iterations: usize,
    /// The Hessian's eigenvalues at `theta`, ascending.
    #[serde(skip)]
    pub eigenvalues: Vec<f64>,
    /// Their signs, with `|λ| ≤ zero_tolerance · max|λ|` as zero.
    pub signs: SignCounts,
}

impl CriticalPointFound {
    /// The lecture's minimum ratio over the eigenvalues that are not zero:
    /// `positive / (positive + negative)` (1 where nothing curves down; `None` if all are zero).
    pub fn minimum_ratio(&self) -> Option<f64> {
        let s = self.signs;
        let curved = s.positive + s.negative;
        (curved > 0).then(|| s.positive as f64 / curved as f64)
    }
}

/// The eigen decomposition of the (symmetrized) exact Hessian at `theta`.
fn eigen(
    loss: &mut BatchLoss,
    l2: f64,
    theta: &[f64],
) -> Result<SymmetricEigen<f64, nalgebra::Dyn>> {
    let h = loss.hessian(theta)?.symmetrized();
    h.check_finite()?;
    let n = h.n();
    let mut e = DMatrix::from_column_slice(n, n, h.column_major()).symmetric_eigen();
    e.eigenvalues.iter_mut().for_each(|l| *l += l2);
    Ok(e)
}

/// Halvings of Newton's step tried before damping it.
const NEWTON_HALVINGS: usize = 12;
/// Levenberg–Marquardt μ values tried (10⁻⁸ to 10⁵ times max λ²).
const LM_TRIALS: usize = 14;

/// The penalized loss and its gradient at `theta`.
fn gradient(loss: &mut BatchLoss, l2: f64, theta: &[f64], grad: &mut [f64]) -> Result<f64> {
    let mut v = loss.gradient(theta, grad)?;
    if l2 != 0.0 {
        for (g, &t) in grad.iter_mut().zip(theta) {
            *g += l2 * t;
        }
        v += 0.5 * l2 * theta.iter().map(|t| t * t).sum::<f64>();
    }
    Ok(v)
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// Search from `start` for a point where `∇L = 0` (see the module doc); never fails for lack of
/// convergence: the result says whether it got there.
pub fn seek_critical_point(
    loss: &mut BatchLoss,
    start: &[f64],
    options: &CriticalSearchOptions,
) -> Result<CriticalPointFound> {
    let n = loss.n_params();
    let mut theta = start.to_vec();
    let mut grad = vec![0.0; n];
    let mut trial = vec![0.0; n];
    let mut trial_grad = vec![0.0; n];
    let mut value = gradient(loss, options.l2, &theta, &mut grad)?;
    let mut gnorm = norm(&grad);
    let mut iterations = 0;
    while gnorm > options.gradient_tolerance && iterations < options.max_iterations {
        let e = eigen(loss, options.l2, &theta)?;
        iterations += 1;
        let lam = &e.eigenvalues;
        let big = lam.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        if big == 0.0 {
            break;
        }
        let c = e.eigenvectors.tr_mul(&DVector::from_column_slice(&grad));
        let flat = options.zero_tolerance * big;
        // Newton's step on the curved directions, shortened until ‖∇L‖ falls; then, if none
        // does, Levenberg–Marquardt steps with a growing μ.
        let newton = (0..=NEWTON_HALVINGS).map(|k| (0.0, 0.5_f64.powi(k as i32)));
        let damped = (0..LM_TRIALS).map(|k| (big * big * 1e-8 * 10f64.powi(k as i32), 1.0));
        let mut accepted = false;
        for (mu, alpha) in newton.chain(damped) {
            let coef = DVector::from_iterator(
                n,
                lam.iter().zip(c.iter()).map(|(&l, &ci)| {
                    if l.abs() <= flat {
                        0.0
                    } else {
                        -alpha * l * ci / (l * l + mu)
                    }
                }),
            );
            let step = &e.eigenvectors * coef;
            for ((t, &th), &s) in trial.iter_mut().zip(&theta).zip(step.iter()) {
                *t = th + s;
            }
            let v = gradient(loss, options.l2, &trial, &mut trial_grad)?;
            let tn = norm(&trial_grad);
            if tn.is_finite() && tn < gnorm {
                std::mem::swap(&mut theta, &mut trial);
                std::mem::swap(&mut grad, &mut trial_grad);
                value = v;
                gnorm = tn;
                accepted = true;
                break;
            }
        }
        if !accepted {
            break;
        }
    }
    let e = eigen(loss, options.l2, &theta)?;
    let mut eigenvalues: Vec<f64> = e.eigenvalues.iter().copied().collect();
    crate::order::sort(&mut eigenvalues);
    let big = eigenvalues.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    let signs = sign_counts(&eigenvalues, options.zero_tolerance * big);
    Ok(CriticalPointFound {
        theta,
        loss: value,
        gradient_norm: gnorm,
        converged: gnorm <= options.gradient_tolerance,
        iterations,
        eigenvalues,
        signs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::{init_network, Activation, BnConfig, LossKind, Matrix, Mode, ModelSpec};

    fn data() -> (Matrix, Vec<usize>) {
        let x = Matrix::from_vec(
            6,
            2,
            vec![
                0.5, -1.0, 1.5, 0.2, -0.3, 0.8, -1.2, -0.4, 0.9, 1.1, 0.1, -0.7,
            ],
        )
        .unwrap();
        (x, vec![0, 1, 0, 1, 1, 0])
    }

    #[test]
    fn softmax_regression_reaches_its_minimum_with_flat_shift_directions() {
        // Softmax regression (no hidden layer) on non-separable data is convex: its critical
        // point is a minimum, with one flat direction per input weight and bias shared by
        // both logits (3 of 6 parameters).
        let spec = ModelSpec::mlp(
            2,
            &[],
            Activation::Tanh,
            false,
            2,
            LossKind::CrossEntropy,
            BnConfig::default(),
        );
        let net = init_network(&spec, 3).unwrap();
        let (x, y) = data();
        let mut l = BatchLoss::new(&net, &x, &y, Mode::Train).unwrap();
        let found =
            seek_critical_point(&mut l, net.params(), &CriticalSearchOptions::default()).unwrap();
        assert!(found.converged, "{found:?}");
        assert_eq!(found.signs.negative, 0, "{found:?}");
        assert_eq!(found.signs.zero, 3, "{:?}", found.eigenvalues);
        assert_eq!(found.minimum_ratio(), Some(1.0));
        let mut g = vec![0.0; 6];
        l.gradient(&found.theta, &mut g).unwrap();
        assert!(norm(&g) <= 1e-9);
    }

    #[test]
    fn a_hidden_layer_can_end_at_a_saddle_the_search_reports_its_negative_directions() {
        // All weights zero: a tanh network's hidden units are dead, the gradient of the hidden
        // weights vanishes by symmetry, and the point is a critical point with directions that
        // curve down (a saddle) for this data.
        let spec = ModelSpec::mlp(
            2,
            &[2],
            Activation::Tanh,
            false,
            2,
            LossKind::CrossEntropy,
            BnConfig::default(),
        );
        let mut net = init_network(&spec, 0).unwrap();
        net.params_mut().iter_mut().for_each(|p| *p = 0.0);
        let (x, y) = data();
        let mut l = BatchLoss::new(&net, &x, &y, Mode::Train).unwrap();
        let found =
            seek_critical_point(&mut l, net.params(), &CriticalSearchOptions::default()).unwrap();
        assert!(found.converged, "{found:?}");
        assert_eq!(found.iterations, 0, "already critical: {found:?}");
        assert!(found.signs.negative > 0, "{:?}", found.eigenvalues);
        assert!(found.minimum_ratio().unwrap() < 1.0);
        assert_eq!(
            found.signs.positive + found.signs.negative + found.signs.zero,
            net.n_params()
        );
    }
}
