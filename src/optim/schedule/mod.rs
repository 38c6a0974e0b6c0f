//! Learning-rate schedules η(t): torch's `lr_scheduler` semantics in float64, stepped once
//! after each optimizer step. The constructor performs torch's "step 0".

mod config;
mod leaf;
mod onecycle;

pub use config::{
    AnnealStrategy, ConstantConfig, CosineConfig, CosineWarmRestartsConfig, ExponentialConfig,
    LinearConfig, MultiStepConfig, OneCycleConfig, PolynomialConfig, ScheduleConfig,
    SequentialConfig, StepConfig,
};

use self::leaf::Leaf;
use self::onecycle::OneCycle;
use super::config::MomentumSlot;
use crate::{Error, Result};

#[derive(Clone, Debug, PartialEq)]
enum State {
    Single(Leaf),
    Sequential {
        subs: Vec<Leaf>,
        milestones: Vec<usize>,
    },
    OneCycle {
        schedule: OneCycle,
        cycle_momentum: bool,
    },
}

/// A running schedule: the lr (and, for one-cycle, momentum) the next optimizer step uses.
///
/// `lr()` at epoch t equals torch's `param_groups[0]["lr"]` after the constructor and t
/// calls of `sched.step()`. Single schedules follow torch's recursive (chainable) form, so
/// they match torch to the last bit of its arithmetic rather than the closed form.
#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    lr: f64,
    momentum: Option<f64>,
    epoch: usize,
    state: State,
}

impl Schedule {
    /// Build `cfg` over an optimizer whose lr is `base_lr` and that may have its
    /// `momentum_slot` cycled by one-cycle. Performs torch's constructor step (epoch 0).
    pub fn new(cfg: &ScheduleConfig, base_lr: f64, momentum_slot: MomentumSlot) -> Result<Self> {
        cfg.validate()?;
        if !(base_lr.is_finite() && base_lr >= 0.0) {
            return Err(Error::invalid("lr", base_lr, "a finite number >= 0"));
        }
        let (state, lr, momentum) = match cfg {
            ScheduleConfig::Sequential(c) => {
                let mut subs: Vec<Leaf> = c
                    .schedulers
                    .iter()
                    .map(|s| Leaf::new(s, base_lr).expect("validated: single schedules"))
                    .collect();
                let lr = subs[0].start();
                let milestones = c.milestones.clone();
                (State::Sequential { subs, milestones }, lr, None)
            }
            ScheduleConfig::OneCycle(c) => {
                if c.cycle_momentum && momentum_slot == MomentumSlot::None {
                    return Err(Error::invalid(
                        "cycle_momentum",
                        true,
                        "false for an optimizer with neither `momentum` nor `betas` \
                         (adagrad, adadelta, the lecture variants)",
                    ));
                }
                let schedule = OneCycle::new(c);
                let (lr, m) = schedule.at(0)?;
                let momentum = c.cycle_momentum.then_some(m);
                let state = State::OneCycle {
                    schedule,
                    cycle_momentum: c.cycle_momentum,
                };
                (state, lr, momentum)
            }
            single => {
                let mut leaf = Leaf::new(single, base_lr).expect("a single schedule");
                let lr = leaf.start();
                (State::Single(leaf), lr, None)
            }
        };
        Ok(Schedule {
            lr,
            momentum,
            epoch: 0,
            state,
        })
    }

    /// The lr the next optimizer step uses.
    pub fn lr(&self) -> f64 {
        self.lr
    }

    /// One-cycle's momentum (or β1) for the next step, when it cycles momentum.
    pub fn momentum(&self) -> Option<f64> {
        self.momentum
    }

    /// torch's `last_epoch`: how many times [`Self::step`] has succeeded.
    pub fn epoch(&self) -> usize {
        self.epoch
    }

    /// The last epoch the schedule can reach (one-cycle's `total_steps`), if bounded.
    pub fn last_epoch(&self) -> Option<usize> {
        match &self.state {
            State::OneCycle { schedule, .. } => Some(schedule.total_steps()),
            _ => None,
        }
    }

    /// torch's `sched.step()`. Errors (and changes nothing) past one-cycle's `total_steps`.
    pub fn step(&mut self) -> Result<()> {
        let e = self.epoch + 1;
        match &mut self.state {
            State::Single(leaf) => self.lr = leaf.advance(self.lr),
            State::Sequential { subs, milestones } => {
                // torch: idx = bisect_right(milestones, epoch); restart at a milestone.
                let idx = milestones.partition_point(|&m| m <= e);
                self.lr = if idx > 0 && milestones[idx - 1] == e {
                    subs[idx].restart()
                } else {
                    subs[idx].advance(self.lr)
                };
            }
            State::OneCycle {
                schedule,
                cycle_momentum,
            } => {
                let (lr, m) = schedule.at(e)?;
                self.lr = lr;
                self.momentum = cycle_momentum.then_some(m);
            }
        }
        self.epoch = e;
        Ok(())
    }
}
