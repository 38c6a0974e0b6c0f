//! Adadelta (see [`AdadeltaConfig`]).

use super::{prepare, Hyper, Slots, Used};
use crate::optim::config::AdadeltaConfig;
use crate::optim::precond::DeltaRatio;

/// `torch.optim.Adadelta`: σ = √(v+eps)/√(a+eps), m = d, `θ ← θ − η·Δ`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Adadelta {
    cfg: AdadeltaConfig,
    ratio: DeltaRatio,
    delta: Vec<f64>,
}

impl Adadelta {
    pub(crate) fn new(cfg: AdadeltaConfig, n: usize) -> Self {
        Adadelta {
            cfg,
            ratio: DeltaRatio::new(n),
            delta: vec![0.0; n],
        }
    }

    pub(crate) fn step(&mut self, h: Hyper, p: &mut [f64], g: &[f64], s: Slots<'_>) -> Used {
        let c = &self.cfg;
        let d = s.direction;
        prepare(d, p, g, c.maximize, c.weight_decay, false, h.lr);
        self.ratio.push(d, c.rho, c.eps, s.sigma, &mut self.delta);
        for i in 0..p.len() {
            p[i] += -h.lr * self.delta[i];
        }
        Used {
            lr: h.lr,
            exact: true,
        }
    }
}
