//! The optimizers as named combinations of a preconditioner σ and a momentum rule m, each
//! applying its update in torch's exact operation order (foreach=False, float64).
// The elementwise kernels index several equally long slices at once.
#![allow(clippy::needless_range_loop)]

mod adadelta;
mod adagrad;
mod adam;
mod adamax;
mod lecture;
mod nadam;
mod radam;
mod rmsprop;
mod sgd;
mod transfer;

pub use transfer::FlatState;

use super::config::OptimizerConfig;

/// What a step may take from the schedule: the lr and one-cycle's momentum/β1 override.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Hyper {
    pub lr: f64,
    pub momentum: Option<f64>,
}

/// Where a rule writes the lecture's σ(t) and m(t) for the anatomy.
pub(crate) struct Slots<'a> {
    pub sigma: &'a mut [f64],
    pub direction: &'a mut [f64],
}

/// What a step reports besides the slots: η as used and whether the three-slot form is exact.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Used {
    pub lr: f64,
    pub exact: bool,
}

/// One optimizer with its state.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Rule {
    Sgd(sgd::Sgd),
    Adagrad(adagrad::Adagrad),
    Rmsprop(rmsprop::Rmsprop),
    Adam(adam::Adam),
    NAdam(nadam::NAdam),
    RAdam(radam::RAdam),
    Adamax(adamax::Adamax),
    Adadelta(adadelta::Adadelta),
    LectureAdagrad(lecture::LectureAdagrad),
    LectureRmsprop(lecture::LectureRmsprop),
}

impl Rule {
    pub(crate) fn new(cfg: &OptimizerConfig, n: usize) -> Self {
        use OptimizerConfig as O;
        match cfg {
            O::Sgd(c) => Rule::Sgd(sgd::Sgd::new(c.clone(), n)),
            O::Adagrad(c) => Rule::Adagrad(adagrad::Adagrad::new(c.clone(), n)),
            O::Rmsprop(c) => Rule::Rmsprop(rmsprop::Rmsprop::new(c.clone(), n)),
            O::Adam(c) => Rule::Adam(adam::Adam::new(c.clone(), n)),
            O::AdamW(c) => Rule::Adam(adam::Adam::new(
                super::config::AdamConfig {
                    lr: c.lr,
                    betas: c.betas,
                    eps: c.eps,
                    weight_decay: c.weight_decay,
                    amsgrad: c.amsgrad,
                    maximize: c.maximize,
                    decoupled_weight_decay: true,
                },
                n,
            )),
            O::NAdam(c) => Rule::NAdam(nadam::NAdam::new(c.clone(), n)),
            O::RAdam(c) => Rule::RAdam(radam::RAdam::new(c.clone(), n)),
            O::Adamax(c) => Rule::Adamax(adamax::Adamax::new(c.clone(), n)),
            O::Adadelta(c) => Rule::Adadelta(adadelta::Adadelta::new(c.clone(), n)),
            O::LectureAdagrad(c) => {
                Rule::LectureAdagrad(lecture::LectureAdagrad::new(c.clone(), n))
            }
            O::LectureRmsprop(c) => {
                Rule::LectureRmsprop(lecture::LectureRmsprop::new(c.clone(), n))
            }
        }
    }

    /// One `opt.step()` on `p` with gradient `g`.
    pub(crate) fn step(&mut self, h: Hyper, p: &mut [f64], g: &[f64], s: Slots<'_>) -> Used {
        match self {
            Rule::Sgd(r) => r.step(h, p, g, s),
            Rule::Adagrad(r) => r.step(h, p, g, s),
            Rule::Rmsprop(r) => r.step(h, p, g, s),
            Rule::Adam(r) => r.step(h, p, g, s),
            Rule::NAdam(r) => r.step(h, p, g, s),
            Rule::RAdam(r) => r.step(h, p, g, s),
            Rule::Adamax(r) => r.step(h, p, g, s),
            Rule::Adadelta(r) => r.step(h, p, g, s),
            Rule::LectureAdagrad(r) => r.step(h, p, g, s),
            Rule::LectureRmsprop(r) => r.step(h, p, g, s),
        }
    }
}

/// β^t for a bias correction, as a running product while β stays the same: one multiply a
/// step instead of a `powf` (which wasm computes in software, ~4× the cost of the rest of an
/// Adam step). It is recomputed with `powf` when β changes (one-cycle cycles β1), when t does
/// not follow on, and every [`BetaPower::REFRESH`] steps, so it stays within 64 ulps of
/// torch's `β ** t`: at most ~1e-14 relative in `1 − β^t` for β = 0.999.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct BetaPower {
    beta: f64,
    t: u64,
    value: f64,
}

impl BetaPower {
    pub(crate) const REFRESH: u64 = 64;

    pub(crate) fn new() -> Self {
        BetaPower {
            beta: f64::NAN,
            t: 0,
            value: 1.0,
        }
    }

    /// β^t. Once β^t has underflowed to 0 (0.9^t past t ≈ 7070, 0.999^t past t ≈ 744,000) a
    /// refresh would give 0 again (`pow_int`'s `powf` fallback), so it is skipped: long runs
    /// stop paying for one.
    pub(crate) fn at(&mut self, beta: f64, t: u64) -> f64 {
        let follows = beta == self.beta && t == self.t + 1;
        self.value = if follows && (t % Self::REFRESH != 0 || self.value == 0.0) {
            self.value * beta
        } else {
            super::pow::pow_int(beta, t)
        };
        self.beta = beta;
        self.t = t;
        self.value
    }
}

/// `d = g`, or `−g` with `maximize` (torch negates the gradient first).
pub(crate) fn signed_gradient(d: &mut [f64], g: &[f64], maximize: bool) {
    let sign = if maximize { -1.0 } else { 1.0 };
    copy_scaled(d, g, std::hint::black_box(sign));
}

/// `dst = src` for the optimizer's few numbers, as a multiply by 1 (exact: the same bits).
pub(crate) fn copy_small(dst: &mut [f64], src: &[f64]) {
    copy_scaled(dst, src, std::hint::black_box(1.0));
}

/// `dst = sign·src` with `sign` ±1 (exact). Not a plain copy loop on purpose: the compiler
/// turns one into `memcpy`, which in wasm is `memory.copy`, and V8 runs that through a call
/// into its runtime, several times the cost of copying two numbers (measured: 7 % of an Adam
/// step on a surface). `sign` comes through `black_box` so that a known 1.0 is not folded
/// back into a copy.
fn copy_scaled(dst: &mut [f64], src: &[f64], sign: f64) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d = s * sign;
    }
}

/// Coupled (L2) weight decay `d ← d + wd·θ` (torch: `grad.add(param, alpha=wd)`).
pub(crate) fn add_weight_decay(d: &mut [f64], p: &[f64], wd: f64) {
    if wd != 0.0 {
        for (di, pi) in d.iter_mut().zip(p) {
            *di += wd * pi;
        }
    }
}

/// Decoupled weight decay `θ ← θ·(1 − η·wd)` (AdamW; torch: `param.mul_(1 - lr*wd)`).
pub(crate) fn decay_weights(p: &mut [f64], lr: f64, wd: f64) {
    let keep = 1.0 - lr * wd;
    for pi in p.iter_mut() {
        *pi *= keep;
    }
}

/// The start of every torch step: `d = ±g`, then coupled or decoupled weight decay.
pub(crate) fn prepare(
    d: &mut [f64],
    p: &mut [f64],
    g: &[f64],
    maximize: bool,
    weight_decay: f64,
    decoupled: bool,
    lr: f64,
) {
    signed_gradient(d, g, maximize);
    if weight_decay != 0.0 {
        if decoupled {
            decay_weights(p, lr, weight_decay);
        } else {
            add_weight_decay(d, p, weight_decay);
        }
    }
}
