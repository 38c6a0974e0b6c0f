//! NAdam (see [`NAdamConfig`]).

use super::{prepare, Hyper, Slots, Used};
use crate::optim::config::NAdamConfig;
use crate::optim::momentum::Ema;
use crate::optim::precond::SquareAverage;

/// `torch.optim.NAdam`: σ = √(v/(1−β2ᵗ)) + eps; m(t) is the Nesterov blend of d and the
/// first moment with the μ_t schedule. torch applies the two terms as two `addcdiv`s; the
/// three-slot form equals their sum up to rounding.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct NAdam {
    cfg: NAdamConfig,
    first: Ema,
    square: SquareAverage,
    mu_product: f64,
    t: u64,
}

impl NAdam {
    pub(crate) fn new(cfg: NAdamConfig, n: usize) -> Self {
        NAdam {
            cfg,
            first: Ema::new(n),
            square: SquareAverage::new(n),
            mu_product: 1.0,
            t: 0,
        }
    }

    pub(crate) fn step(&mut self, h: Hyper, p: &mut [f64], g: &[f64], s: Slots<'_>) -> Used {
        let c = &self.cfg;
        self.t += 1;
        let t = self.t as f64;
        let beta1 = h.momentum.unwrap_or(c.betas[0]);
        let beta2 = c.betas[1];
        let lr = h.lr;
        let bc2 = 1.0 - crate::optim::pow::pow_int(beta2, self.t);
        let d = s.direction;
        let decoupled = c.decoupled_weight_decay;
        prepare(d, p, g, c.maximize, c.weight_decay, decoupled, lr);
        let mu = beta1 * (1.0 - 0.5 * 0.96f64.powf(t * c.momentum_decay));
        let mu_next = beta1 * (1.0 - 0.5 * 0.96f64.powf((t + 1.0) * c.momentum_decay));
        self.mu_product *= mu;
        let m = self.first.push(d, beta1);
        let v = self.square.push(d, beta2);
        let mu_product_next = self.mu_product * mu_next;
        let grad_coef = -lr * (1.0 - mu) / (1.0 - self.mu_product);
        let moment_coef = (-lr * mu_next) / (1.0 - mu_product_next);
        let (wg, wm) = (
            (1.0 - mu) / (1.0 - self.mu_product),
            mu_next / (1.0 - mu_product_next),
        );
        for i in 0..p.len() {
            let denom = (v[i] / bc2).sqrt() + c.eps;
            s.sigma[i] = denom;
            p[i] += grad_coef * d[i] / denom;
            p[i] += moment_coef * m[i] / denom;
            d[i] = wg * d[i] + wm * m[i];
        }
        let exact = !(decoupled && lr * c.weight_decay != 0.0);
        Used { lr, exact }
    }
}
