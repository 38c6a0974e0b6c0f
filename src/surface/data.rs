//! Surfaces built from data, generated as formulas so every tool (gradient, Hessian, critical
//! points, heatmap, 3-D) works on them unchanged: a linear model's loss over its two weights,
//! with or without feature standardization, and softmax + cross-entropy or MSE over two logits.

use crate::error::Result;
use crate::expr::Formula;
use crate::rng::Rng;
use serde::{Deserialize, Serialize};

/// A data set for a linear model y ≈ w1·x1 + w2·x2 (no bias: the data are centred).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinearData {
    pub features: Vec<[f64; 2]>,
    pub targets: Vec<f64>,
}

impl LinearData {
    /// Two centred features of very different scale (standard deviations `scales`), targets
    /// `w_true·x + noise`, reproducible from `seed`.
    pub fn synthetic(n: usize, scales: [f64; 2], w_true: [f64; 2], noise: f64, seed: u64) -> Self {
        let mut rng = Rng::stream(seed, 31);
        let mut features: Vec<[f64; 2]> = (0..n)
            .map(|_| [scales[0] * rng.normal(), scales[1] * rng.normal()])
            .collect();
        for k in 0..2 {
            let mean = features.iter().map(|f| f[k]).sum::<f64>() / n as f64;
            features.iter_mut().for_each(|f| f[k] -= mean);
        }
        let mut targets: Vec<f64> = features
            .iter()
            .map(|f| w_true[0] * f[0] + w_true[1] * f[1] + noise * rng.normal())
            .collect();
        let mean = targets.iter().sum::<f64>() / n as f64;
        targets.iter_mut().for_each(|t| *t -= mean);
        LinearData { features, targets }
    }

    /// Each feature divided by its population standard deviation (the lecture's feature
    /// normalization; the data are already centred).
    pub fn standardized(&self) -> Self {
        let n = self.features.len() as f64;
        let std: Vec<f64> = (0..2)
            .map(|k| {
                let s = (self.features.iter().map(|f| f[k] * f[k]).sum::<f64>() / n).sqrt();
                if s > 0.0 {
                    s
                } else {
                    1.0
                }
            })
            .collect();
        LinearData {
            features: self
                .features
                .iter()
                .map(|f| [f[0] / std[0], f[1] / std[1]])
                .collect(),
            targets: self.targets.clone(),
        }
    }

    /// The mean squared error ½·mean((w1·x1 + w2·x2 − y)²) as a formula in (x, y) = (w1, w2):
    /// the quadratic a·x² + b·x·y + c·y² + d·x + e·y + f with coefficients from the data.
    pub fn loss_formula(&self) -> Result<Formula> {
        let n = self.features.len().max(1) as f64;
        let (mut s11, mut s12, mut s22, mut s1y, mut s2y, mut syy) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        for (f, y) in self.features.iter().zip(&self.targets) {
            s11 += f[0] * f[0];
            s12 += f[0] * f[1];
            s22 += f[1] * f[1];
            s1y += f[0] * y;
            s2y += f[1] * y;
            syy += y * y;
        }
        let c = |v: f64| format!("({v:e})");
        Formula::parse(&format!(
            "{}*x^2 + {}*x*y + {}*y^2 + {}*x + {}*y + {}",
            c(0.5 * s11 / n),
            c(s12 / n),
            c(0.5 * s22 / n),
            c(-s1y / n),
            c(-s2y / n),
            c(0.5 * syy / n)
        ))
    }
}

/// The loss of a softmax classifier on one example.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogitLoss {
    CrossEntropy,
    Mse,
}

/// The loss over two logits (x, y) = (z1, z2) of a 3-class softmax whose third logit is fixed
/// at `third`, for an example of class 1 (the one whose logit is x): cross-entropy
/// `log(e^x + e^y + e^c) − x`, or MSE `(p1 − 1)² + p2² + p3²` (sum over classes, as torch's
/// `((softmax − onehot)²).sum()`).
pub fn logit_loss(loss: LogitLoss, third: f64) -> Result<Formula> {
    let z = format!("(exp(x) + exp(y) + exp({third:e}))");
    let text = match loss {
        LogitLoss::CrossEntropy => format!("log{z} - x"),
        LogitLoss::Mse => {
            format!("(exp(x)/{z} - 1)^2 + (exp(y)/{z})^2 + (exp({third:e})/{z})^2")
        }
    };
    Formula::parse(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_linear_loss_formula_equals_the_direct_mean() {
        let d = LinearData::synthetic(50, [1.0, 30.0], [2.0, 0.05], 0.1, 3);
        let f = d.loss_formula().unwrap();
        for w in [[0.0, 0.0], [1.5, -0.2], [2.0, 0.05]] {
            let direct = d
                .features
                .iter()
                .zip(&d.targets)
                .map(|(x, y)| (w[0] * x[0] + w[1] * x[1] - y).powi(2))
                .sum::<f64>()
                / 100.0;
            assert!((f.value(w[0], w[1]) - direct).abs() < 1e-9 * direct.max(1.0));
        }
    }

    #[test]
    fn logit_losses_match_softmax_by_hand() {
        let (x, y, c): (f64, f64, f64) = (0.3, -1.2, 0.5);
        let s = x.exp() + y.exp() + c.exp();
        let p = [x.exp() / s, y.exp() / s, c.exp() / s];
        let ce = logit_loss(LogitLoss::CrossEntropy, c).unwrap().value(x, y);
        assert!((ce - -p[0].ln()).abs() < 1e-14);
        let mse = logit_loss(LogitLoss::Mse, c).unwrap().value(x, y);
        assert!((mse - ((p[0] - 1.0).powi(2) + p[1] * p[1] + p[2] * p[2])).abs() < 1e-14);
    }
}
