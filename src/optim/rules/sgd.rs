//! SGD with optional heavy-ball or Nesterov momentum (see [`SgdConfig`]).

use super::{prepare, Hyper, Slots, Used};
use crate::optim::config::SgdConfig;
use crate::optim::momentum::HeavyBall;

/// `torch.optim.SGD`: σ = 1, m = the (momentum) direction, `θ ← θ − η·m`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Sgd {
    cfg: SgdConfig,
    pub(super) momentum: HeavyBall,
}

impl Sgd {
    pub(crate) fn new(cfg: SgdConfig, n: usize) -> Self {
        Sgd {
            cfg,
            momentum: HeavyBall::new(n),
        }
    }

    pub(crate) fn step(&mut self, h: Hyper, p: &mut [f64], g: &[f64], s: Slots<'_>) -> Used {
        let c = &self.cfg;
        let mu = h.momentum.unwrap_or(c.momentum);
        let d = s.direction;
        prepare(d, p, g, c.maximize, c.weight_decay, false, h.lr);
        if mu != 0.0 {
            let buf = self.momentum.push(d, mu, c.dampening);
            for i in 0..d.len() {
                d[i] = if c.nesterov {
                    d[i] + mu * buf[i]
                } else {
                    buf[i]
                };
            }
        }
        s.sigma.fill(1.0);
        for i in 0..p.len() {
            p[i] += -h.lr * d[i];
        }
        Used {
            lr: h.lr,
            exact: true,
        }
    }
}
