//! Optimizers and learning-rate schedules as the lecture's update rule
//! θ(t+1) = θ(t) − (η(t)/σ(t))·m(t), with PyTorch's exact float64 arithmetic.
//!
//! - [`schedule`]: η(t), torch's `lr_scheduler` semantics ([`ScheduleConfig`], [`Schedule`]).
//! - `precond`: σ(t), the preconditioners (Adagrad's sum, RMSprop's and Adam's averages...).
//! - `momentum`: m(t), the momentum rules (heavy ball, exponential moving average).
//! - `rules`: the torch optimizers and the lecture variants as named combinations.
//! - [`config`]: the torch-named configs with torch's defaults and validation.
//!
//! Everything works elementwise on flat `&mut [f64]` parameters, so the same code moves a
//! point on a surface and trains a network. [`Optimizer`] is the driver: one `opt.step()`
//! followed by one `sched.step()`, reporting the three slots in an [`Anatomy`].

pub mod config;
mod json;
mod momentum;
mod pow;
mod precond;
mod rules;
pub mod schedule;
mod spec;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

pub use config::{
    AdadeltaConfig, AdagradConfig, AdamConfig, AdamWConfig, AdamaxConfig, LectureAdagradConfig,
    LectureRmspropConfig, MomentumSlot, NAdamConfig, OptimizerConfig, RAdamConfig, RmspropConfig,
    SgdConfig,
};
pub use schedule::{AnnealStrategy, Schedule, ScheduleConfig};
pub use spec::{optimizer_specs, schedule_specs, DefaultValue, ParamKind, ParamSpec, Range, Spec};

pub use self::rules::FlatState;
use self::rules::{Hyper, Rule, Slots};
use crate::{Error, Result};

/// The lecture's three quantities for the last step, per parameter (before the first
/// step: lr 0, σ 1, m and update 0).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Anatomy {
    /// η(t) as used (Adagrad: including its `lr_decay`).
    pub lr: f64,
    /// σ(t): the adaptive scale (1 where the optimizer has none).
    pub sigma: Vec<f64>,
    /// m(t): the direction from past gradients (after `maximize` and weight decay).
    pub direction: Vec<f64>,
    /// The actual change of the parameters, new − old.
    pub update: Vec<f64>,
    /// True when `update == −(lr/sigma)·direction` up to rounding. False where torch's
    /// arithmetic leaves the three-slot form: RMSprop with momentum (it accumulates d/σ, so
    /// `update = −η·direction`) and decoupled weight decay (AdamW, or `decoupled_weight_decay`
    /// on Adam, NAdam, RAdam), whose `θ·η·wd` term is outside the slots.
    pub exact: bool,
}

/// An optimizer with its optional schedule: one call to [`Optimizer::step`] is torch's
/// `opt.step(); sched.step()`.
#[derive(Clone, Debug, PartialEq)]
pub struct Optimizer {
    config: OptimizerConfig,
    rule: Rule,
    schedule: Option<Schedule>,
    anatomy: Anatomy,
    steps: usize,
    n_params: usize,
}

impl Optimizer {
    /// Validate `cfg` (and `schedule`) and build an optimizer over `n_params` parameters.
    /// The schedule's constructor step has been applied: [`Self::lr`] is the first step's lr.
    pub fn new(
        cfg: &OptimizerConfig,
        schedule: Option<&ScheduleConfig>,
        n_params: usize,
    ) -> Result<Self> {
        cfg.validate()?;
        let schedule = schedule
            .map(|s| Schedule::new(s, cfg.lr(), cfg.momentum_slot()))
            .transpose()
            .map_err(|e| match e {
                Error::InvalidValue {
                    field,
                    value,
                    expected,
                } if field == "cycle_momentum" => Error::InvalidValue {
                    field,
                    value,
                    expected: format!("{expected}; `{}` has neither", cfg.name()).into(),
                },
                other => other,
            })?;
        let anatomy = Anatomy {
            lr: 0.0,
            sigma: vec![1.0; n_params],
            direction: vec![0.0; n_params],
            update: vec![0.0; n_params],
            exact: true,
        };
        Ok(Optimizer {
            config: cfg.clone(),
            rule: Rule::new(cfg, n_params),
            schedule,
            anatomy,
            steps: 0,
            n_params,
        })
    }

    /// The lr the next step uses (torch: `param_groups[0]["lr"]` before `opt.step()`).
    pub fn lr(&self) -> f64 {
        match &self.schedule {
            Some(s) => s.lr(),
            None => self.config.lr(),
        }
    }

    /// The momentum (SGD, RMSprop) or β1 (Adam family) the next step uses, only when a
    /// one-cycle schedule cycles it.
    pub fn momentum(&self) -> Option<f64> {
        self.schedule.as_ref().and_then(Schedule::momentum)
    }

    /// One `opt.step()` then `sched.step()`, in place on `params`.
    ///
    /// Past a one-cycle schedule's `total_steps` torch raises; here the step is still taken
    /// and the lr stays at its last value. Use [`Self::try_step`] or [`Self::max_steps`] to
    /// treat that as an error.
    ///
    /// # Panics
    /// If `params` or `grad` does not have `n_params` entries (a programming error).
    pub fn step(&mut self, params: &mut [f64], grad: &[f64]) {
        assert_eq!(params.len(), self.n_params, "params length");
        assert_eq!(grad.len(), self.n_params, "grad length");
        let hyper = Hyper {
            lr: self.lr(),
            momentum: self.momentum(),
        };
        let an = &mut self.anatomy;
        rules::copy_small(&mut an.update, params);
        let slots = Slots {
            sigma: &mut an.sigma,
            direction: &mut an.direction,
        };
        let used = self.rule.step(hyper, params, grad, slots);
        for (u, p) in an.update.iter_mut().zip(params.iter()) {
            *u = p - *u;
        }
        an.lr = used.lr;
        an.exact = used.exact;
        if let Some(s) = &mut self.schedule {
            // Only one-cycle can fail, past total_steps; it then keeps its last lr.
            let _ = s.step();
        }
        self.steps += 1;
    }

    /// Like [`Self::step`], but refuses (and changes nothing) when the schedule cannot be
    /// stepped afterwards, as torch's `sched.step()` raises past one-cycle's `total_steps`.
    pub fn try_step(&mut self, params: &mut [f64], grad: &[f64]) -> Result<()> {
        if let Some(max) = self.max_steps() {
            if self.steps >= max {
                return Err(Error::invalid(
                    "total_steps",
                    max,
                    &format!(
                        "at least {} (onecycle was stepped past its end)",
                        self.steps + 1
                    ),
                ));
            }
        }
        self.step(params, grad);
        Ok(())
    }

    /// Counts a step that another engine took (the browser's GPU backend runs the update
    /// rule itself): the schedule advances as after [`Self::try_step`], with the same refusal
    /// past one-cycle's end, but this optimizer's own state (moments, sums) is not touched.
    pub fn skip_step(&mut self) -> Result<()> {
        if let Some(max) = self.max_steps() {
            if self.steps >= max {
                return Err(Error::invalid(
                    "total_steps",
                    max,
                    &format!(
                        "at least {} (onecycle was stepped past its end)",
                        self.steps + 1
                    ),
                ));
            }
        }
        if let Some(s) = &mut self.schedule {
            let _ = s.step();
        }
        self.steps += 1;
        Ok(())
    }

    /// Forgets the update rule's state (moments, sums, momentum buffers) as a fresh optimizer
    /// has it; the schedule and the step count stay. Used when a run comes back from another
    /// engine whose state could not be copied.
    pub fn reset_state(&mut self) {
        self.rule = Rule::new(&self.config, self.n_params);
    }

    /// The update rule's state as a [`FlatState`] (SGD, Adam/AdamW, RMSprop, Adagrad: the
    /// rules the GPU backend ports), for another engine to continue from.
    pub fn export_state(&self) -> Option<FlatState> {
        self.rule.export_flat()
    }

    /// Continues from another engine's [`FlatState`] (see [`Self::export_state`]).
    pub fn import_state(&mut self, state: &FlatState) -> Result<()> {
        if self.rule.import_flat(state, self.n_params) {
            Ok(())
        } else {
            Err(Error::invalid(
                "optimizer state",
                format!("{} numbers for {}", state.slots.len(), self.config.name()),
                &format!(
                    "the slots of sgd (1), adam or adamw (3), rmsprop (3) or adagrad (1) times {} parameters",
                    self.n_params
                ),
            ))
        }
    }

    /// How many steps the schedule allows (one-cycle's `total_steps`), if limited.
    pub fn max_steps(&self) -> Option<usize> {
        self.schedule.as_ref().and_then(Schedule::last_epoch)
    }

    /// The lecture's η, σ, m and the actual update of the last step.
    pub fn anatomy(&self) -> &Anatomy {
        &self.anatomy
    }

    /// How many steps have been taken.
    pub fn steps_taken(&self) -> usize {
        self.steps
    }

    /// The optimizer's config.
    pub fn config(&self) -> &OptimizerConfig {
        &self.config
    }

    /// The running schedule, if any.
    pub fn schedule(&self) -> Option<&Schedule> {
        self.schedule.as_ref()
    }
}
