//! torch's `OneCycleLR` as a function of the step: phases, annealing and the cycled momentum.
//! It is a closed form (no recursion); only stepping past `total_steps` is an error.

use std::f64::consts::PI;

use super::config::{AnnealStrategy, OneCycleConfig};
use crate::{Error, Result};

/// One phase: from `start_*` at the previous phase's end step to `end_*` at `end_step`.
#[derive(Clone, Debug, PartialEq)]
struct Phase {
    end_step: f64,
    start_lr: f64,
    end_lr: f64,
    start_momentum: f64,
    end_momentum: f64,
}

/// The phases of a one-cycle schedule, as torch builds them in its constructor.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct OneCycle {
    phases: Vec<Phase>,
    anneal: AnnealStrategy,
    total_steps: usize,
}

impl OneCycle {
    pub(super) fn new(c: &OneCycleConfig) -> Self {
        let initial_lr = c.max_lr / c.div_factor;
        let min_lr = initial_lr / c.final_div_factor;
        let (max_m, base_m) = (c.max_momentum, c.base_momentum);
        let t = c.total_steps as f64;
        let phase = |end_step, start_lr, end_lr, start_momentum, end_momentum| Phase {
            end_step,
            start_lr,
            end_lr,
            start_momentum,
            end_momentum,
        };
        let phases = if c.three_phase {
            vec![
                phase(c.pct_start * t - 1.0, initial_lr, c.max_lr, max_m, base_m),
                phase(
                    2.0 * c.pct_start * t - 2.0,
                    c.max_lr,
                    initial_lr,
                    base_m,
                    max_m,
                ),
                phase(t - 1.0, initial_lr, min_lr, max_m, max_m),
            ]
        } else {
            vec![
                phase(c.pct_start * t - 1.0, initial_lr, c.max_lr, max_m, base_m),
                phase(t - 1.0, c.max_lr, min_lr, base_m, max_m),
            ]
        };
        OneCycle {
            phases,
            anneal: c.anneal_strategy,
            total_steps: c.total_steps,
        }
    }

    pub(super) fn total_steps(&self) -> usize {
        self.total_steps
    }

    /// `(lr, momentum)` at `step` (torch's `last_epoch`), exactly as torch's `get_lr`.
    pub(super) fn at(&self, step: usize) -> Result<(f64, f64)> {
        if step > self.total_steps {
            return Err(Error::invalid(
                "total_steps",
                self.total_steps,
                &format!("at least {step}: the onecycle schedule was stepped past its end"),
            ));
        }
        let s = step as f64;
        let mut start_step = 0.0;
        let last = self.phases.len() - 1;
        for (i, p) in self.phases.iter().enumerate() {
            if s <= p.end_step || i == last {
                let length = p.end_step - start_step;
                if length == 0.0 {
                    return Err(Error::invalid(
                        "pct_start",
                        "(this value)",
                        &format!("a value that gives step {step}'s phase a nonzero length"),
                    ));
                }
                let pct = (s - start_step) / length;
                let lr = self.anneal(p.start_lr, p.end_lr, pct);
                let momentum = self.anneal(p.start_momentum, p.end_momentum, pct);
                return Ok((lr, momentum));
            }
            start_step = p.end_step;
        }
        unreachable!("the last phase always matches")
    }

    fn anneal(&self, start: f64, end: f64, pct: f64) -> f64 {
        match self.anneal {
            AnnealStrategy::Cos => {
                let cos_out = (PI * pct).cos() + 1.0;
                end + (start - end) / 2.0 * cos_out
            }
            AnnealStrategy::Linear => (end - start) * pct + start,
        }
    }
}

/// Reject a `pct_start` that puts some step 0..=total_steps into a phase of length 0 (torch
/// raises ZeroDivisionError there). The chosen phase only changes at phase ends, so checking
/// the steps next to each end covers every step.
pub(crate) fn check_phases(c: &OneCycleConfig) -> Result<()> {
    let oc = OneCycle::new(c);
    let mut candidates = vec![0, c.total_steps];
    for p in &oc.phases {
        let f = p.end_step.floor();
        if f >= 0.0 && f < c.total_steps as f64 {
            candidates.push(f as usize);
            candidates.push(f as usize + 1);
        }
    }
    for s in candidates {
        if oc.at(s).is_err() {
            return Err(Error::invalid(
                "pct_start",
                c.pct_start,
                &format!(
                    "a value that gives every phase a nonzero length (total_steps {}, \
                     three_phase {})",
                    c.total_steps, c.three_phase
                ),
            ));
        }
    }
    Ok(())
}
