//! RMSprop, plain, centered and with momentum (see [`RmspropConfig`]).

use super::{prepare, Hyper, Slots, Used};
use crate::optim::config::RmspropConfig;
use crate::optim::momentum::HeavyBall;
use crate::optim::precond::RootMeanSquare;

/// `torch.optim.RMSprop`: σ = √v + eps, m = d; with momentum torch accumulates `d/σ`
/// (divides before it accumulates), so the anatomy reports m = that buffer, `exact = false`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Rmsprop {
    cfg: RmspropConfig,
    pub(super) scale: RootMeanSquare,
    pub(super) momentum: HeavyBall,
}

impl Rmsprop {
    pub(crate) fn new(cfg: RmspropConfig, n: usize) -> Self {
        let scale = RootMeanSquare::new(n, cfg.centered);
        Rmsprop {
            cfg,
            scale,
            momentum: HeavyBall::new(n),
        }
    }

    pub(crate) fn step(&mut self, h: Hyper, p: &mut [f64], g: &[f64], s: Slots<'_>) -> Used {
        let c = &self.cfg;
        let mu = h.momentum.unwrap_or(c.momentum);
        let d = s.direction;
        prepare(d, p, g, c.maximize, c.weight_decay, false, h.lr);
        self.scale.push(d, c.alpha, c.eps, s.sigma);
        if mu > 0.0 {
            // torch: buf.mul_(μ).addcdiv_(d, σ); θ.add_(buf, alpha=-lr)
            for i in 0..d.len() {
                d[i] /= s.sigma[i];
            }
            let buf = self.momentum.push(d, mu, 0.0);
            super::copy_small(d, buf);
            for i in 0..p.len() {
                p[i] += -h.lr * d[i];
            }
            Used {
                lr: h.lr,
                exact: false,
            }
        } else {
            for i in 0..p.len() {
                p[i] += -h.lr * d[i] / s.sigma[i];
            }
            Used {
                lr: h.lr,
                exact: true,
            }
        }
    }
}
