//! Preconditioners σ(t): the adaptive scale from past gradient magnitudes, each owning its
//! state. eps placement follows torch per optimizer (outside or inside the root).

use super::momentum::Ema;

/// Moving average of squared gradients, `v ← β·v + (1−β)·d²` from v₀ = 0, no bias
/// correction (RMSprop's `square_avg`, Adam's `exp_avg_sq`, Adadelta's `square_avg`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SquareAverage {
    pub(crate) v: Vec<f64>,
}

impl SquareAverage {
    pub(crate) fn new(n: usize) -> Self {
        SquareAverage { v: vec![0.0; n] }
    }

    /// torch: `v.mul_(β).addcmul_(d, d, value=1-β)`; returns v.
    pub(crate) fn push(&mut self, d: &[f64], beta: f64) -> &[f64] {
        let w = 1.0 - beta;
        for (v, di) in self.v.iter_mut().zip(d) {
            *v = *v * beta + w * di * di;
        }
        &self.v
    }
}

/// Adagrad's σ: `S ← S + d²`, `σ = √S + eps` (eps outside the root).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SumOfSquares {
    pub(crate) sum: Vec<f64>,
}

impl SumOfSquares {
    pub(crate) fn new(n: usize, initial: f64) -> Self {
        SumOfSquares {
            sum: vec![initial; n],
        }
    }

    pub(crate) fn push(&mut self, d: &[f64], eps: f64, sigma: &mut [f64]) {
        for ((s, di), sg) in self.sum.iter_mut().zip(d).zip(sigma) {
            *s += di * di;
            *sg = s.sqrt() + eps;
        }
    }
}

/// RMSprop's σ: `√v + eps`, or centered `√(v − ḡ²) + eps` with `ḡ ← lerp(ḡ, d, 1−α)`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RootMeanSquare {
    pub(crate) square: SquareAverage,
    pub(crate) mean: Option<Ema>,
}

impl RootMeanSquare {
    pub(crate) fn new(n: usize, centered: bool) -> Self {
        RootMeanSquare {
            square: SquareAverage::new(n),
            mean: centered.then(|| Ema::new(n)),
        }
    }

    pub(crate) fn push(&mut self, d: &[f64], alpha: f64, eps: f64, sigma: &mut [f64]) {
        let v = self.square.push(d, alpha);
        match &mut self.mean {
            Some(mean) => {
                let gbar = mean.push(d, alpha);
                for ((sg, vi), gi) in sigma.iter_mut().zip(v).zip(gbar) {
                    *sg = (vi - gi * gi).sqrt() + eps;
                }
            }
            None => {
                for (sg, vi) in sigma.iter_mut().zip(v) {
                    *sg = vi.sqrt() + eps;
                }
            }
        }
    }
}

/// Adam's σ: `√v/√(1−β2ᵗ) + eps` (eps after the bias correction); with amsgrad the running
/// maximum of the raw, uncorrected v replaces v.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct AdamScale {
    pub(crate) square: SquareAverage,
    pub(crate) max: Option<Vec<f64>>,
}

impl AdamScale {
    pub(crate) fn new(n: usize, amsgrad: bool) -> Self {
        AdamScale {
            square: SquareAverage::new(n),
            max: amsgrad.then(|| vec![0.0; n]),
        }
    }

    pub(crate) fn push(
        &mut self,
        d: &[f64],
        beta2: f64,
        eps: f64,
        bc2_sqrt: f64,
        sigma: &mut [f64],
    ) {
        let v = self.square.push(d, beta2);
        let v = match &mut self.max {
            Some(max) => {
                for (m, vi) in max.iter_mut().zip(v) {
                    *m = max_nan(*m, *vi);
                }
                &max[..]
            }
            None => v,
        };
        // Past ~37,000 steps at β2 = 0.999 the bias correction is exactly 1, and a division
        // by 1 is exact: skip it (the same bits, one division less per number).
        if bc2_sqrt == 1.0 {
            for (sg, vi) in sigma.iter_mut().zip(v) {
                *sg = vi.sqrt() + eps;
            }
        } else {
            for (sg, vi) in sigma.iter_mut().zip(v) {
                *sg = vi.sqrt() / bc2_sqrt + eps;
            }
        }
    }
}

/// Adamax's σ: `u ← max(β2·u, |d| + eps)` (eps inside the max), an infinity norm.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct InfinityNorm {
    u: Vec<f64>,
}

impl InfinityNorm {
    pub(crate) fn new(n: usize) -> Self {
        InfinityNorm { u: vec![0.0; n] }
    }

    pub(crate) fn push(&mut self, d: &[f64], beta2: f64, eps: f64, sigma: &mut [f64]) {
        for ((u, di), sg) in self.u.iter_mut().zip(d).zip(sigma) {
            *u = max_nan(*u * beta2, di.abs() + eps);
            *sg = *u;
        }
    }
}

/// Adadelta's σ: `√(v + eps)/√(a + eps)` (eps inside both roots), where v averages squared
/// gradients and `a` squared updates; `a` is updated after the step from the update Δ.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct DeltaRatio {
    square: SquareAverage,
    acc_delta: Vec<f64>,
}

impl DeltaRatio {
    pub(crate) fn new(n: usize) -> Self {
        DeltaRatio {
            square: SquareAverage::new(n),
            acc_delta: vec![0.0; n],
        }
    }

    /// Update v; write torch's `Δ = √(a+eps)/√(v+eps)·d` into `delta` and σ into `sigma`,
    /// then update `a ← ρ·a + (1−ρ)·Δ²`.
    pub(crate) fn push(
        &mut self,
        d: &[f64],
        rho: f64,
        eps: f64,
        sigma: &mut [f64],
        delta: &mut [f64],
    ) {
        let v = self.square.push(d, rho);
        let w = 1.0 - rho;
        for i in 0..d.len() {
            let std = (v[i] + eps).sqrt();
            let rms_delta = (self.acc_delta[i] + eps).sqrt();
            sigma[i] = std / rms_delta;
            delta[i] = rms_delta / std * d[i];
            self.acc_delta[i] = self.acc_delta[i] * rho + w * delta[i] * delta[i];
        }
    }
}

/// The lecture's Adagrad σ: `S ← S + g²`, `σ_t = √(S/(t+1))` (t from 0), no eps.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LectureAdagradScale {
    sum: Vec<f64>,
    t: u64,
}

impl LectureAdagradScale {
    pub(crate) fn new(n: usize) -> Self {
        LectureAdagradScale {
            sum: vec![0.0; n],
            t: 0,
        }
    }

    pub(crate) fn push(&mut self, g: &[f64], sigma: &mut [f64]) {
        let inv = 1.0 / (self.t + 1) as f64;
        for ((s, gi), sg) in self.sum.iter_mut().zip(g).zip(sigma) {
            *s += gi * gi;
            *sg = (inv * *s).sqrt();
        }
        self.t += 1;
    }
}

/// The lecture's RMSProp σ: `σ_0 = |g_0|`, `σ_t = √(α·σ_{t−1}² + (1−α)·g_t²)`, no eps.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LectureRmsScale {
    sigma: Vec<f64>,
    started: bool,
}

impl LectureRmsScale {
    pub(crate) fn new(n: usize) -> Self {
        LectureRmsScale {
            sigma: vec![0.0; n],
            started: false,
        }
    }

    pub(crate) fn push(&mut self, g: &[f64], alpha: f64, out: &mut [f64]) {
        for ((s, gi), o) in self.sigma.iter_mut().zip(g).zip(out) {
            *s = if self.started {
                (alpha * (*s * *s) + (1.0 - alpha) * (gi * gi)).sqrt()
            } else {
                gi.abs()
            };
            *o = *s;
        }
        self.started = true;
    }
}

/// `torch.maximum`: NaN if either side is NaN (Rust's `f64::max` would drop it).
pub(crate) fn max_nan(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.max(b)
    }
}
