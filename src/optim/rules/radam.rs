//! RAdam (see [`RAdamConfig`]).

use super::{prepare, BetaPower, Hyper, Slots, Used};
use crate::optim::config::RAdamConfig;
use crate::optim::momentum::Ema;
use crate::optim::precond::SquareAverage;

/// `torch.optim.RAdam`: m = m̂; σ = (√v + eps)/(√(1−β2ᵗ)·r_t) when ρ_t > 5, else σ = 1
/// (torch's un-rectified momentum-SGD step).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RAdam {
    cfg: RAdamConfig,
    first: Ema,
    square: SquareAverage,
    t: u64,
    pow1: BetaPower,
    pow2: BetaPower,
}

impl RAdam {
    pub(crate) fn new(cfg: RAdamConfig, n: usize) -> Self {
        RAdam {
            cfg,
            first: Ema::new(n),
            square: SquareAverage::new(n),
            t: 0,
            pow1: BetaPower::new(),
            pow2: BetaPower::new(),
        }
    }

    pub(crate) fn step(&mut self, h: Hyper, p: &mut [f64], g: &[f64], s: Slots<'_>) -> Used {
        let c = &self.cfg;
        self.t += 1;
        let t = self.t as f64;
        let beta1 = h.momentum.unwrap_or(c.betas[0]);
        let beta2 = c.betas[1];
        let lr = h.lr;
        let d = s.direction;
        let decoupled = c.decoupled_weight_decay;
        prepare(d, p, g, c.maximize, c.weight_decay, decoupled, lr);
        let m = self.first.push(d, beta1);
        let v = self.square.push(d, beta2);
        let bc1 = 1.0 - self.pow1.at(beta1, self.t);
        let beta2_t = self.pow2.at(beta2, self.t);
        let bc2 = 1.0 - beta2_t;
        let rho_inf = 2.0 / (1.0 - beta2) - 1.0;
        let rho_t = rho_inf - 2.0 * t * beta2_t / bc2;
        if rho_t > 5.0 {
            let rect = ((rho_t - 4.0) * (rho_t - 2.0) * rho_inf
                / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t))
                .sqrt();
            let bc2_sqrt = bc2.sqrt();
            for i in 0..p.len() {
                let m_hat = m[i] / bc1;
                let root = v[i].sqrt() + c.eps;
                // torch: `scalar / tensor` is `tensor.reciprocal() * scalar`
                let adaptive = (1.0 / root) * bc2_sqrt;
                p[i] -= m_hat * lr * adaptive * rect;
                s.sigma[i] = root / (bc2_sqrt * rect);
                d[i] = m_hat;
            }
        } else {
            for i in 0..p.len() {
                let m_hat = m[i] / bc1;
                p[i] -= m_hat * lr;
                s.sigma[i] = 1.0;
                d[i] = m_hat;
            }
        }
        let exact = !(decoupled && lr * c.weight_decay != 0.0);
        Used { lr, exact }
    }
}
