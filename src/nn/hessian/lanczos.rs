//! Extreme eigenvalues of a symmetric operator known only through products `H·v`: the
//! Lanczos iteration with full reorthogonalization, from a seeded random start vector.
//!
//! After `m` steps the eigenvalues of the m × m tridiagonal `T` (the Ritz values) approximate
//! those of `H`, the extreme ones first; each comes with a residual `r` such that
//! `[θ − r, θ + r]` holds an eigenvalue of `H` (Golub & Van Loan, *Matrix Computations*, 4th
//! ed., §10.1). Reorthogonalizing against every earlier vector (twice, "twice is enough")
//! keeps the basis orthonormal, so no spurious copies of converged values appear.

use crate::error::{Error, Result};
use crate::rng::Rng;
use nalgebra::{DMatrix, SymmetricEigen};
use serde::{Deserialize, Serialize};

/// The stream of the start vector ([`Rng::stream`] salt).
const START_SALT: u64 = 20;

/// The most Lanczos steps one run may take.
pub const MAX_LANCZOS_STEPS: usize = 1000;

/// How far the iteration goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LanczosOptions {
    /// Krylov dimension: products `H·v` to take (at most n; default 80).
    pub steps: usize,
    /// Seed of the random start vector (default 0).
    pub seed: u64,
}

impl Default for LanczosOptions {
    fn default() -> Self {
        LanczosOptions { steps: 80, seed: 0 }
    }
}

/// What the iteration found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Lanczos {
    /// The Ritz values, ascending. A repeated eigenvalue of `H` shows once.
    pub ritz_values: Vec<f64>,
    /// `|β_m · s_m,i|` for each Ritz value: an eigenvalue of `H` lies within this distance.
    pub residuals: Vec<f64>,
    /// Steps taken (products `H·v`).
    pub steps: usize,
    /// The Krylov space became invariant (β ≈ 0): the Ritz values are eigenvalues of `H`.
    pub invariant: bool,
}

impl Lanczos {
    /// The `k` smallest Ritz values, ascending.
    pub fn smallest(&self, k: usize) -> Vec<f64> {
        self.ritz_values.iter().take(k).copied().collect()
    }

    /// The `k` largest Ritz values, descending.
    pub fn largest(&self, k: usize) -> Vec<f64> {
        self.ritz_values.iter().rev().take(k).copied().collect()
    }
}

/// Run the iteration for an `n`-dimensional symmetric operator given by
/// `hvp(v, out)` (`out ← H·v`); `progress(steps done, steps planned)` after each step.
pub fn lanczos(
    n: usize,
    options: &LanczosOptions,
    mut hvp: impl FnMut(&[f64], &mut [f64]) -> Result<()>,
    mut progress: impl FnMut(usize, usize),
) -> Result<Lanczos> {
    let mut run = LanczosRun::new(n, options)?;
    while !run.step(&mut hvp)? {
        progress(run.steps_done(), run.steps_planned());
    }
    progress(run.steps_done(), run.steps_planned());
    run.finish()
}

/// The iteration one product `H·v` at a time, so that a caller (the app's worker) can stop
/// between steps to report progress or be cancelled; [`lanczos()`] runs it to the end.
#[derive(Clone, Debug)]
pub struct LanczosRun {
    n: usize,
    m_max: usize,
    basis: Vec<Vec<f64>>,
    alpha: Vec<f64>,
    beta: Vec<f64>,
    w: Vec<f64>,
    scale: f64,
    /// `Some(invariant)` once the iteration has ended.
    ended: Option<bool>,
}

impl LanczosRun {
    /// Check the options and draw the seeded random start vector.
    pub fn new(n: usize, options: &LanczosOptions) -> Result<LanczosRun> {
        if n == 0 {
            return Err(Error::invalid("n", 0, "at least 1 dimension"));
        }
        if !(1..=MAX_LANCZOS_STEPS).contains(&options.steps) {
            return Err(Error::invalid(
                "lanczos.steps",
                options.steps,
                &format!("1..={MAX_LANCZOS_STEPS} products H·v"),
            ));
        }
        let m_max = options.steps.min(n);
        let mut rng = Rng::stream(options.seed, START_SALT);
        let mut q: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        let norm = dot(&q, &q).sqrt();
        q.iter_mut().for_each(|v| *v /= norm);
        Ok(LanczosRun {
            n,
            m_max,
            basis: vec![q],
            alpha: Vec::with_capacity(m_max),
            beta: Vec::with_capacity(m_max),
            w: vec![0.0; n],
            scale: 0.0,
            ended: None,
        })
    }

    /// Products `H·v` taken so far.
    pub fn steps_done(&self) -> usize {
        self.alpha.len()
    }

    /// Products the iteration takes at most (`min(steps, n)`).
    pub fn steps_planned(&self) -> usize {
        self.m_max
    }

    /// Whether the iteration has ended (all steps taken, or the Krylov space is invariant).
    pub fn is_done(&self) -> bool {
        self.ended.is_some()
    }

    /// One product `H·v` and the orthogonalization after it; returns whether the iteration
    /// has ended (a step after the end does nothing).
    pub fn step(&mut self, hvp: &mut impl FnMut(&[f64], &mut [f64]) -> Result<()>) -> Result<bool> {
        if self.ended.is_some() {
            return Ok(true);
        }
        let j = self.basis.len() - 1;
        let w = &mut self.w;
        hvp(&self.basis[j], w)?;
        if let Some(k) = w.iter().position(|v| !v.is_finite()) {
            return Err(Error::invalid(
                &format!("H·v[{k}]"),
                w[k],
                "a finite number (the loss overflowed at these weights)",
            ));
        }
        let a = dot(&self.basis[j], w);
        self.alpha.push(a);
        for _ in 0..2 {
            for b in &self.basis {
                let c = dot(b, w);
                w.iter_mut().zip(b).for_each(|(w, &b)| *w -= c * b);
            }
        }
        let b = dot(w, w).sqrt();
        self.scale = self.scale.max(a.abs()).max(b);
        if b <= 1e-12 * self.scale {
            self.beta.push(0.0);
            self.ended = Some(true);
            return Ok(true);
        }
        self.beta.push(b);
        if self.alpha.len() == self.m_max {
            self.ended = Some(self.m_max == self.n);
            return Ok(true);
        }
        self.basis.push(w.iter().map(|v| v / b).collect());
        Ok(false)
    }

    /// The Ritz values and residuals of the steps taken (an error before the first step).
    pub fn finish(&self) -> Result<Lanczos> {
        if self.alpha.is_empty() {
            return Err(Error::invalid(
                "lanczos",
                "0 steps",
                "at least one product H·v before the Ritz values",
            ));
        }
        ritz(&self.alpha, &self.beta, self.ended.unwrap_or(false))
    }
}

/// Eigenvalues of the tridiagonal `T` (diagonal `alpha`, off-diagonal `beta[..m−1]`) with
/// residuals `|β_m · s_m,i|` (`beta[m−1]` is the last β).
fn ritz(alpha: &[f64], beta: &[f64], invariant: bool) -> Result<Lanczos> {
    let m = alpha.len();
    let t = DMatrix::from_fn(m, m, |i, j| {
        if i == j {
            alpha[i]
        } else if i + 1 == j || j + 1 == i {
            beta[i.min(j)]
        } else {
            0.0
        }
    });
    let eig = SymmetricEigen::try_new(t, f64::EPSILON, 1000 + 100 * m).ok_or_else(|| {
        Error::invalid(
            "lanczos",
            "no convergence",
            "a tridiagonal eigen decomposition that converges",
        )
    })?;
    let last = if invariant { 0.0 } else { beta[m - 1] };
    let values: Vec<f64> = (0..m).map(|i| eig.eigenvalues[i]).collect();
    let pairs: Vec<(f64, f64)> = crate::order::ascending(&values)
        .into_iter()
        .map(|i| (values[i], (last * eig.eigenvectors[(m - 1, i)]).abs()))
        .collect();
    Ok(Lanczos {
        ritz_values: pairs.iter().map(|p| p.0).collect(),
        residuals: pairs.iter().map(|p| p.1).collect(),
        steps: m,
        invariant,
    })
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A diagonal operator: the extremes are its smallest and largest entries.
    #[test]
    fn finds_the_extremes_of_a_diagonal_operator() {
        let d: Vec<f64> = (0..200).map(|i| (i as f64 - 20.0) * 0.1).collect();
        let mut hvp = |v: &[f64], out: &mut [f64]| {
            out.iter_mut()
                .zip(v)
                .zip(&d)
                .for_each(|((o, v), d)| *o = v * d);
            Ok(())
        };
        let opts = LanczosOptions { steps: 60, seed: 1 };
        let l = lanczos(200, &opts, &mut hvp, |_, _| {}).unwrap();
        // The true extremes lie within the residual bounds, which are small.
        let (top, r_top) = (l.largest(1)[0], l.residuals[l.steps - 1]);
        let (bottom, r_bottom) = (l.smallest(1)[0], l.residuals[0]);
        assert!(
            (top - 17.9).abs() <= r_top && r_top < 1e-3,
            "{top} ± {r_top}"
        );
        assert!(
            (bottom + 2.0).abs() <= r_bottom && r_bottom < 1e-3,
            "{bottom} ± {r_bottom}"
        );
        let full = LanczosOptions {
            steps: 1000,
            seed: 1,
        };
        let l = lanczos(200, &full, &mut hvp, |_, _| {}).unwrap();
        assert!(l.invariant && l.steps <= 200);
    }
}
