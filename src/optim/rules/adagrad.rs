//! Adagrad (see [`AdagradConfig`]).

use super::{prepare, Hyper, Slots, Used};
use crate::optim::config::AdagradConfig;
use crate::optim::precond::SumOfSquares;

/// `torch.optim.Adagrad`: σ = √S + eps, m = d, η_t = lr/(1 + (t−1)·lr_decay).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Adagrad {
    cfg: AdagradConfig,
    pub(super) sum: SumOfSquares,
    pub(super) t: u64,
}

impl Adagrad {
    pub(crate) fn new(cfg: AdagradConfig, n: usize) -> Self {
        let sum = SumOfSquares::new(n, cfg.initial_accumulator_value);
        Adagrad { cfg, sum, t: 0 }
    }

    pub(crate) fn step(&mut self, h: Hyper, p: &mut [f64], g: &[f64], s: Slots<'_>) -> Used {
        let c = &self.cfg;
        self.t += 1;
        let d = s.direction;
        prepare(d, p, g, c.maximize, c.weight_decay, false, h.lr);
        let clr = h.lr / (1.0 + (self.t - 1) as f64 * c.lr_decay);
        self.sum.push(d, c.eps, s.sigma);
        for i in 0..p.len() {
            p[i] += -clr * d[i] / s.sigma[i];
        }
        Used {
            lr: clr,
            exact: true,
        }
    }
}
