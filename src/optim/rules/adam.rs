//! Adam and AdamW, with amsgrad (see [`AdamConfig`], [`crate::optim::AdamWConfig`]): the one
//! Adam.

use super::{prepare, BetaPower, Hyper, Slots, Used};
use crate::optim::config::AdamConfig;
use crate::optim::momentum::Ema;
use crate::optim::precond::AdamScale;

/// `torch.optim.Adam` (AdamW = decoupled weight decay): σ = √v/√(1−β2ᵗ) + eps,
/// m = m/(1−β1ᵗ), `θ ← θ − η·m̂/σ`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Adam {
    cfg: AdamConfig,
    pub(super) first: Ema,
    pub(super) scale: AdamScale,
    pub(super) t: u64,
    pub(super) pow1: BetaPower,
    pub(super) pow2: BetaPower,
}

impl Adam {
    pub(crate) fn new(cfg: AdamConfig, n: usize) -> Self {
        let scale = AdamScale::new(n, cfg.amsgrad);
        Adam {
            cfg,
            first: Ema::new(n),
            scale,
            t: 0,
            pow1: BetaPower::new(),
            pow2: BetaPower::new(),
        }
    }

    pub(crate) fn step(&mut self, h: Hyper, p: &mut [f64], g: &[f64], s: Slots<'_>) -> Used {
        let c = &self.cfg;
        self.t += 1;
        let beta1 = h.momentum.unwrap_or(c.betas[0]);
        let beta2 = c.betas[1];
        let d = s.direction;
        let decoupled = c.decoupled_weight_decay;
        prepare(d, p, g, c.maximize, c.weight_decay, decoupled, h.lr);
        let m = self.first.push(d, beta1);
        let bc1 = 1.0 - self.pow1.at(beta1, self.t);
        let bc2 = 1.0 - self.pow2.at(beta2, self.t);
        let step_size = h.lr / bc1;
        self.scale.push(d, beta2, c.eps, bc2.sqrt(), s.sigma);
        for i in 0..p.len() {
            p[i] += -step_size * m[i] / s.sigma[i];
        }
        // The direction m̂ = m/(1−β1ᵗ); once the correction is exactly 1 (past ~350 steps at
        // β1 = 0.9) it is m itself, the same bits without a division.
        if bc1 == 1.0 {
            super::copy_small(d, m);
        } else {
            for (di, mi) in d.iter_mut().zip(m) {
                *di = mi / bc1;
            }
        }
        let exact = !(decoupled && h.lr * c.weight_decay != 0.0);
        Used { lr: h.lr, exact }
    }
}
