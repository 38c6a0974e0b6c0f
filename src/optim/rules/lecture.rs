//! The lecture's Adagrad and RMSProp (see [`LectureAdagradConfig`], [`LectureRmspropConfig`]).

use super::{signed_gradient, Hyper, Slots, Used};
use crate::optim::config::{LectureAdagradConfig, LectureRmspropConfig};
use crate::optim::precond::{LectureAdagradScale, LectureRmsScale};

/// The slide's Adagrad: σ_t = √(mean of g²), m = g.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LectureAdagrad {
    cfg: LectureAdagradConfig,
    scale: LectureAdagradScale,
}

impl LectureAdagrad {
    pub(crate) fn new(cfg: LectureAdagradConfig, n: usize) -> Self {
        LectureAdagrad {
            cfg,
            scale: LectureAdagradScale::new(n),
        }
    }

    pub(crate) fn step(&mut self, h: Hyper, p: &mut [f64], g: &[f64], s: Slots<'_>) -> Used {
        signed_gradient(s.direction, g, self.cfg.maximize);
        self.scale.push(s.direction, s.sigma);
        apply(h.lr, p, s)
    }
}

/// The slide's RMSProp: σ_0 = |g_0|, σ_t = √(α·σ_{t−1}² + (1−α)·g_t²), m = g.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct LectureRmsprop {
    cfg: LectureRmspropConfig,
    scale: LectureRmsScale,
}

impl LectureRmsprop {
    pub(crate) fn new(cfg: LectureRmspropConfig, n: usize) -> Self {
        LectureRmsprop {
            cfg,
            scale: LectureRmsScale::new(n),
        }
    }

    pub(crate) fn step(&mut self, h: Hyper, p: &mut [f64], g: &[f64], s: Slots<'_>) -> Used {
        signed_gradient(s.direction, g, self.cfg.maximize);
        self.scale.push(s.direction, self.cfg.alpha, s.sigma);
        apply(h.lr, p, s)
    }
}

/// `θ ← θ − (η/σ)·g`, and no move where σ == 0 exactly (no eps in the lecture's form).
fn apply(lr: f64, p: &mut [f64], s: Slots<'_>) -> Used {
    for i in 0..p.len() {
        if s.sigma[i] != 0.0 {
            p[i] -= (lr / s.sigma[i]) * s.direction[i];
        }
    }
    Used { lr, exact: true }
}
