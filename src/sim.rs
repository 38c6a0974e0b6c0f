//! Run an optimizer on a surface into a trajectory, exactly as the reference loop does;
//! divergence (a non-finite position, loss or gradient) is recorded as data, never a panic.

use crate::config::RunConfig;
use crate::error::{Error, Result};
use crate::optim::{Anatomy, Optimizer};
use crate::surface::{self, Surface};
use serde::Serialize;

/// The states p_0 … p_N of a run, with the gradient at each and the lr of each step.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Trajectory {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    pub loss: Vec<f64>,
    pub gx: Vec<f64>,
    pub gy: Vec<f64>,
    /// The lr used by step t (p_t → p_{t+1}); one shorter than `x` unless the run diverged.
    pub lr: Vec<f64>,
    /// The momentum (or beta1) used by step t, only when a one-cycle schedule cycles it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub momentum: Option<Vec<f64>>,
    /// The first t at which the position, loss or gradient was not finite (not recorded).
    pub diverged_at: Option<usize>,
    /// η(t), σ(t), m(t) and the update of each step, when asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub anatomy: Vec<Anatomy>,
}

/// Build the surface and the optimizer of `cfg` and run it.
pub fn simulate(cfg: &RunConfig) -> Result<Trajectory> {
    cfg.validate()?;
    let f = surface::resolve(&cfg.surface)?;
    let opt = Optimizer::new(&cfg.optimizer, cfg.schedule.as_ref(), 2)?;
    if let Some(max) = opt.max_steps() {
        if cfg.steps > max {
            return Err(Error::invalid(
                "steps",
                cfg.steps,
                &format!("at most the schedule's total_steps = {max} (torch's OneCycleLR cannot step past it)"),
            ));
        }
    }
    Ok(run(&f, cfg.start, cfg.steps, opt, false))
}

/// The reference loop: for t in 0..=N, evaluate loss and gradient at p_t; stop at the first
/// non-finite value (recording `diverged_at = t`); record; take a step unless t = N.
pub fn run<S: Surface + ?Sized>(
    surface: &S,
    start: [f64; 2],
    steps: usize,
    mut opt: Optimizer,
    record_anatomy: bool,
) -> Trajectory {
    let cap = steps.saturating_add(1).min(1 << 20);
    let mut tr = Trajectory {
        x: Vec::with_capacity(cap),
        y: Vec::with_capacity(cap),
        loss: Vec::with_capacity(cap),
        gx: Vec::with_capacity(cap),
        gy: Vec::with_capacity(cap),
        lr: Vec::with_capacity(cap),
        ..Default::default()
    };
    let mut p = start;
    for t in 0..=steps {
        let (loss, g) = surface.gradient(p);
        if ![p[0], p[1], loss, g[0], g[1]].iter().all(|v| v.is_finite()) {
            tr.diverged_at = Some(t);
            break;
        }
        tr.x.push(p[0]);
        tr.y.push(p[1]);
        tr.loss.push(loss);
        tr.gx.push(g[0]);
        tr.gy.push(g[1]);
        if t == steps {
            break;
        }
        tr.lr.push(opt.lr());
        if let Some(m) = opt.momentum() {
            tr.momentum.get_or_insert_with(Vec::new).push(m);
        }
        opt.step(&mut p, &g);
        if record_anatomy {
            tr.anatomy.push(opt.anatomy().clone());
        }
    }
    tr
}
