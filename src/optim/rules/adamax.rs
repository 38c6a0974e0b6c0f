//! Adamax (see [`AdamaxConfig`]).

use super::{prepare, BetaPower, Hyper, Slots, Used};
use crate::optim::config::AdamaxConfig;
use crate::optim::momentum::Ema;
use crate::optim::precond::InfinityNorm;

/// `torch.optim.Adamax`: σ = u = max(β2·u, |d| + eps), m = m/(1−β1ᵗ).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Adamax {
    cfg: AdamaxConfig,
    first: Ema,
    norm: InfinityNorm,
    t: u64,
    pow1: BetaPower,
}

impl Adamax {
    pub(crate) fn new(cfg: AdamaxConfig, n: usize) -> Self {
        Adamax {
            cfg,
            first: Ema::new(n),
            norm: InfinityNorm::new(n),
            t: 0,
            pow1: BetaPower::new(),
        }
    }

    pub(crate) fn step(&mut self, h: Hyper, p: &mut [f64], g: &[f64], s: Slots<'_>) -> Used {
        let c = &self.cfg;
        self.t += 1;
        let beta1 = h.momentum.unwrap_or(c.betas[0]);
        let d = s.direction;
        prepare(d, p, g, c.maximize, c.weight_decay, false, h.lr);
        let m = self.first.push(d, beta1);
        self.norm.push(d, c.betas[1], c.eps, s.sigma);
        let bc = 1.0 - self.pow1.at(beta1, self.t);
        let clr = h.lr / bc;
        for i in 0..p.len() {
            p[i] += -clr * m[i] / s.sigma[i];
            d[i] = m[i] / bc;
        }
        Used {
            lr: h.lr,
            exact: true,
        }
    }
}
