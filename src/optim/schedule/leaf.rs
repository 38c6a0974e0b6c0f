//! The single schedules (all but sequential and onecycle), in torch's recursive form
//! (`get_lr`, from the optimizer's current lr) and closed form (`_get_closed_form_lr`).

use crate::optim::pow::pow_int;
use std::f64::consts::PI;

use super::config::ScheduleConfig;

#[derive(Clone, Debug, PartialEq)]
enum Rule {
    Step {
        step_size: usize,
        gamma: f64,
    },
    MultiStep {
        milestones: Vec<usize>,
        gamma: f64,
    },
    Exponential {
        gamma: f64,
    },
    Cosine {
        t_max: usize,
        eta_min: f64,
    },
    WarmRestarts {
        t_0: usize,
        t_mult: usize,
        eta_min: f64,
        t_cur: usize,
        t_i: usize,
    },
    Linear {
        start: f64,
        end: f64,
        total: usize,
    },
    Constant {
        factor: f64,
        total: usize,
    },
    Polynomial {
        total: usize,
        power: f64,
    },
}

/// One torch scheduler: its rule, its `base_lr` and its own `last_epoch`.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Leaf {
    rule: Rule,
    base: f64,
    last_epoch: usize,
}

impl Leaf {
    /// `None` for `sequential` and `onecycle`, which are not single schedules.
    pub(super) fn new(cfg: &ScheduleConfig, base: f64) -> Option<Self> {
        use ScheduleConfig as S;
        let rule = match cfg {
            S::Step(c) => Rule::Step {
                step_size: c.step_size,
                gamma: c.gamma,
            },
            S::MultiStep(c) => Rule::MultiStep {
                milestones: c.milestones.clone(),
                gamma: c.gamma,
            },
            S::Exponential(c) => Rule::Exponential { gamma: c.gamma },
            S::Cosine(c) => Rule::Cosine {
                t_max: c.t_max,
                eta_min: c.eta_min,
            },
            S::CosineWarmRestarts(c) => Rule::WarmRestarts {
                t_0: c.t_0,
                t_mult: c.t_mult,
                eta_min: c.eta_min,
                t_cur: 0,
                t_i: c.t_0,
            },
            S::Linear(c) => Rule::Linear {
                start: c.start_factor,
                end: c.end_factor,
                total: c.total_iters,
            },
            S::Constant(c) => Rule::Constant {
                factor: c.factor,
                total: c.total_iters,
            },
            S::Polynomial(c) => Rule::Polynomial {
                total: c.total_iters,
                power: c.power,
            },
            S::Sequential(_) | S::OneCycle(_) => return None,
        };
        Some(Leaf {
            rule,
            base,
            last_epoch: 0,
        })
    }

    /// The constructor's "step 0": `get_lr()` at epoch 0 with the group lr at `base`.
    pub(super) fn start(&mut self) -> f64 {
        self.last_epoch = 0;
        self.get_lr(self.base)
    }

    /// `scheduler.step()`: the next epoch, recursively from the current lr.
    pub(super) fn advance(&mut self, lr: f64) -> f64 {
        self.last_epoch += 1;
        self.get_lr(lr)
    }

    /// `scheduler.step(0)` as SequentialLR calls it at a milestone: epoch 0 from the closed form.
    pub(super) fn restart(&mut self) -> f64 {
        self.last_epoch = 0;
        if let Rule::WarmRestarts {
            t_0, t_cur, t_i, ..
        } = &mut self.rule
        {
            *t_cur = 0;
            *t_i = *t_0;
        }
        self.closed_form(0)
    }

    /// torch's `get_lr()` at `self.last_epoch` given the optimizer's current `lr`, with
    /// Python's operation order.
    fn get_lr(&mut self, lr: f64) -> f64 {
        let e = self.last_epoch;
        let base = self.base;
        match &mut self.rule {
            Rule::Step { step_size, gamma } => {
                if e == 0 || e % *step_size != 0 {
                    lr
                } else {
                    lr * *gamma
                }
            }
            Rule::MultiStep { milestones, gamma } => {
                if milestones.contains(&e) {
                    lr * *gamma
                } else {
                    lr
                }
            }
            Rule::Exponential { gamma } => {
                if e == 0 {
                    lr
                } else {
                    lr * *gamma
                }
            }
            Rule::Cosine { t_max, eta_min } => {
                let (t, eta) = (*t_max as f64, *eta_min);
                let restart = (e as i128 - 1 - *t_max as i128).rem_euclid(2 * *t_max as i128) == 0;
                if e == 0 {
                    lr
                } else if restart {
                    lr + (base - eta) * (1.0 - (PI / t).cos()) / 2.0
                } else {
                    let ratio =
                        (1.0 + (PI * e as f64 / t).cos()) / (1.0 + (PI * (e - 1) as f64 / t).cos());
                    ratio * (lr - eta) + eta
                }
            }
            Rule::WarmRestarts {
                t_0,
                t_mult,
                eta_min,
                t_cur,
                t_i,
            } => {
                if e == 0 {
                    *t_cur = 0;
                    *t_i = *t_0;
                } else {
                    *t_cur += 1;
                    if *t_cur >= *t_i {
                        *t_cur -= *t_i;
                        *t_i = t_i.saturating_mul(*t_mult);
                    }
                }
                warm_restart_lr(base, *eta_min, *t_cur, *t_i)
            }
            Rule::Linear { start, end, total } => {
                if e == 0 {
                    lr * *start
                } else if e > *total {
                    lr
                } else {
                    let slope = *end - *start;
                    lr * (1.0 + slope / (*total as f64 * *start + (e - 1) as f64 * slope))
                }
            }
            Rule::Constant { factor, total } => {
                if e == 0 {
                    lr * *factor
                } else if e != *total {
                    lr
                } else {
                    lr * (1.0 / *factor)
                }
            }
            Rule::Polynomial { total, power } => {
                if e == 0 || e > *total {
                    lr
                } else {
                    let t = *total as f64;
                    let decay = ((1.0 - e as f64 / t) / (1.0 - (e - 1) as f64 / t)).powf(*power);
                    lr * decay
                }
            }
        }
    }

    /// torch's `_get_closed_form_lr()` at epoch `e` (for CosineAnnealingWarmRestarts: its
    /// `step(epoch)` path).
    pub(super) fn closed_form(&self, e: usize) -> f64 {
        let base = self.base;
        match &self.rule {
            Rule::Step { step_size, gamma } => base * pow_int(*gamma, (e / step_size) as u64),
            Rule::MultiStep { milestones, gamma } => {
                let passed = milestones.partition_point(|&m| m <= e);
                base * pow_int(*gamma, passed as u64)
            }
            Rule::Exponential { gamma } => base * pow_int(*gamma, e as u64),
            Rule::Cosine { t_max, eta_min } => {
                eta_min + (base - eta_min) * (1.0 + (PI * e as f64 / *t_max as f64).cos()) / 2.0
            }
            Rule::WarmRestarts {
                t_0,
                t_mult,
                eta_min,
                ..
            } => {
                let (mut t_cur, mut t_i) = (e, *t_0);
                while t_cur >= t_i {
                    t_cur -= t_i;
                    t_i = t_i.saturating_mul(*t_mult);
                }
                warm_restart_lr(base, *eta_min, t_cur, t_i)
            }
            Rule::Linear { start, end, total } => {
                let done = e.min(*total) as f64;
                base * (start + (end - start) * done / *total as f64)
            }
            Rule::Constant { factor, total } => {
                let after = if e >= *total { 1.0 } else { 0.0 };
                base * (factor + after * (1.0 - factor))
            }
            Rule::Polynomial { total, power } => {
                let done = e.min(*total) as f64;
                base * (1.0 - done / *total as f64).powf(*power)
            }
        }
    }
}

fn warm_restart_lr(base: f64, eta_min: f64, t_cur: usize, t_i: usize) -> f64 {
    eta_min + (base - eta_min) * (1.0 + (PI * t_cur as f64 / t_i as f64).cos()) / 2.0
}
