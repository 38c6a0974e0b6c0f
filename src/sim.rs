//! Run an optimizer on a surface into a trajectory, exactly as the reference loop does;
//! divergence (a non-finite position, loss or gradient) is recorded as data, never a panic.

use crate::config::{NoiseConfig, RunConfig};
use crate::error::Result;
use crate::optim::{Anatomy, Optimizer};
use crate::rng::Rng;
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
    /// The first t at which the position, loss or gradient was not finite, or the position
    /// left the config's `bound` (that state is not recorded).
    pub diverged_at: Option<usize>,
    /// Why and how the run diverged, in numbers the app puts into words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub divergence: Option<Divergence>,
    /// η(t), σ(t), m(t) and the update of each step, when asked for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub anatomy: Vec<Anatomy>,
}

/// What made a run stop early.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// The position, the loss or the gradient became infinite or NaN.
    NonFinite,
    /// The position left the box |x|, |y| ≤ bound.
    LeftBound,
}

/// The facts behind a divergence: the step, the cause, the lr of the last step taken, and
/// (where the start point has positive curvature) the gradient-descent stability bound
/// 2/λmax of the Hessian at the start, so the app can say "lr = … > 2/λmax = …".
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Divergence {
    pub step: usize,
    pub cause: Cause,
    pub lr: Option<f64>,
    pub start_lambda_max: f64,
    pub stable_lr_bound: Option<f64>,
}

/// Options of [`run`] beyond the optimizer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunOptions {
    pub noise: Option<NoiseConfig>,
    pub bound: Option<f64>,
    pub record_anatomy: bool,
}

impl RunOptions {
    /// The options a config asks for.
    pub fn from_config(cfg: &RunConfig) -> Self {
        RunOptions {
            noise: cfg.noise.clone(),
            bound: cfg.bound,
            record_anatomy: false,
        }
    }
}

/// Build the surface and the optimizer of `cfg` and run it.
pub fn simulate(cfg: &RunConfig) -> Result<Trajectory> {
    simulate_recording(cfg, false)
}

/// [`simulate`] with the anatomy (η, σ, m, update) of every step recorded.
pub fn simulate_with_anatomy(cfg: &RunConfig) -> Result<Trajectory> {
    simulate_recording(cfg, true)
}

fn simulate_recording(cfg: &RunConfig, record_anatomy: bool) -> Result<Trajectory> {
    cfg.validate()?;
    let f = surface::resolve(&cfg.surface)?;
    let opt = cfg.optimizer_for_run()?;
    let options = RunOptions {
        record_anatomy,
        ..RunOptions::from_config(cfg)
    };
    Ok(run(&f, cfg.start, cfg.steps, opt, &options))
}

/// Why the run loop stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Termination {
    /// Every step asked for was taken.
    StepsDone,
    /// The position, loss or gradient at step `t` was not finite.
    NonFinite,
    /// The position left the box |x|, |y| ≤ bound.
    LeftBound,
    /// The schedule cannot be stepped further (one-cycle past `total_steps`, as torch raises).
    ScheduleEnded,
    /// An observer asked to stop (e.g. "steps to target" needs no more).
    Stopped,
}

/// What a caller records while the loop runs (argmin-style observers): the full trajectory,
/// one phase-diagram cell, the anatomy of each step.
pub trait Observer {
    /// The state at step `t` (finite, inside the bound), before the step from it is taken.
    /// Return `false` to stop here.
    fn visit(&mut self, t: usize, p: [f64; 2], loss: f64, g: [f64; 2]) -> bool;
    /// Just before the step from `t`, with the optimizer as it will step.
    fn before_step(&mut self, _opt: &Optimizer) {}
    /// Just after a step was taken.
    fn after_step(&mut self, _opt: &Optimizer) {}
}

/// The one run loop: for t in 0..=N, evaluate loss and gradient at p_t (plus the config's
/// noise); stop at the first non-finite value or, with a bound, at leaving the box; show the
/// state to `observer`; take a step unless t = N. Returns why it stopped and at which t.
pub fn run_loop<S: Surface + ?Sized>(
    surface: &S,
    start: [f64; 2],
    steps: usize,
    opt: &mut Optimizer,
    options: &RunOptions,
    observer: &mut dyn Observer,
) -> (Termination, usize) {
    let mut rng = options.noise.as_ref().map(|n| (Rng::new(n.seed), n.std()));
    let bound = options.bound.unwrap_or(f64::INFINITY);
    let mut p = start;
    for t in 0..=steps {
        let (loss, mut g) = surface.gradient(p);
        if let Some((rng, std)) = rng.as_mut() {
            g = [g[0] + *std * rng.normal(), g[1] + *std * rng.normal()];
        }
        if ![p[0], p[1], loss, g[0], g[1]].iter().all(|v| v.is_finite()) {
            return (Termination::NonFinite, t);
        }
        if p[0].abs() > bound || p[1].abs() > bound {
            return (Termination::LeftBound, t);
        }
        if !observer.visit(t, p, loss, g) {
            return (Termination::Stopped, t);
        }
        if t == steps {
            break;
        }
        observer.before_step(opt);
        if opt.try_step(&mut p, &g).is_err() {
            return (Termination::ScheduleEnded, t);
        }
        observer.after_step(opt);
    }
    (Termination::StepsDone, steps)
}

/// Records the whole trajectory (and, when asked, the anatomy of every step).
struct Recorder {
    tr: Trajectory,
    anatomy: bool,
}

impl Observer for Recorder {
    fn visit(&mut self, _t: usize, p: [f64; 2], loss: f64, g: [f64; 2]) -> bool {
        let tr = &mut self.tr;
        tr.x.push(p[0]);
        tr.y.push(p[1]);
        tr.loss.push(loss);
        tr.gx.push(g[0]);
        tr.gy.push(g[1]);
        true
    }

    fn before_step(&mut self, opt: &Optimizer) {
        self.tr.lr.push(opt.lr());
        if let Some(m) = opt.momentum() {
            self.tr.momentum.get_or_insert_with(Vec::new).push(m);
        }
    }

    fn after_step(&mut self, opt: &Optimizer) {
        if self.anatomy {
            self.tr.anatomy.push(opt.anatomy().clone());
        }
    }
}

/// Runs the one loop with a [`Recorder`]: the trajectory, with the divergence explained.
/// With noise, the recorded gradient is the noisy one the step used; with a bound, leaving
/// the box counts as divergence too.
pub fn run<S: Surface + ?Sized>(
    surface: &S,
    start: [f64; 2],
    steps: usize,
    mut opt: Optimizer,
    options: &RunOptions,
) -> Trajectory {
    let cap = steps.saturating_add(1).min(1 << 20);
    let mut rec = Recorder {
        tr: Trajectory {
            x: Vec::with_capacity(cap),
            y: Vec::with_capacity(cap),
            loss: Vec::with_capacity(cap),
            gx: Vec::with_capacity(cap),
            gy: Vec::with_capacity(cap),
            lr: Vec::with_capacity(cap),
            ..Default::default()
        },
        anatomy: options.record_anatomy,
    };
    let (end, t) = run_loop(surface, start, steps, &mut opt, options, &mut rec);
    let mut tr = rec.tr;
    let cause = match end {
        Termination::NonFinite => Some(Cause::NonFinite),
        Termination::LeftBound => Some(Cause::LeftBound),
        _ => None,
    };
    if let Some(cause) = cause {
        tr.diverged_at = Some(t);
        tr.divergence = Some(explain(surface, start, t, cause, tr.lr.last().copied()));
    }
    tr
}

/// The numbers behind a divergence (see [`Divergence`]).
fn explain<S: Surface + ?Sized>(
    surface: &S,
    start: [f64; 2],
    step: usize,
    cause: Cause,
    lr: Option<f64>,
) -> Divergence {
    let (_, _, h) = surface.hessian(start);
    let lambda_max = crate::critical::eigen(h).values[1];
    Divergence {
        step,
        cause,
        lr,
        start_lambda_max: lambda_max,
        stable_lr_bound: (lambda_max.is_finite() && lambda_max > 0.0).then(|| 2.0 / lambda_max),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(json: &str) -> RunConfig {
        RunConfig::from_json(json).unwrap()
    }

    #[test]
    fn a_too_large_lr_diverges_with_the_stability_bound_named() {
        let c = cfg(
            r#"{"surface":"x^2+10*y^2","start":[0.1,0.1],"steps":2000,"bound":1e6,
                      "optimizer":{"name":"sgd","lr":0.11}}"#,
        );
        let tr = simulate(&c).unwrap();
        let d = tr.divergence.expect("diverges");
        assert_eq!(d.cause, Cause::LeftBound);
        assert_eq!(d.lr, Some(0.11));
        assert_eq!(d.stable_lr_bound, Some(0.1));
        assert_eq!(tr.x.len(), d.step);
        assert!(tr.y.iter().all(|v| v.abs() <= 1e6));
    }

    #[test]
    fn noise_is_reproducible_and_shrinks_with_the_batch_size() {
        let spread = |batch: usize, seed: u64| {
            let c = cfg(&format!(
                r#"{{"surface":"bowl","start":[0,0],"steps":400,"optimizer":{{"name":"sgd","lr":0.05}},
                   "noise":{{"batch_size":{batch},"seed":{seed}}}}}"#
            ));
            let tr = simulate(&c).unwrap();
            tr.x[100..].iter().map(|v| v * v).sum::<f64>() / 300.0
        };
        assert_eq!(spread(4, 1), spread(4, 1));
        assert_ne!(spread(4, 1), spread(4, 2));
        let (small, large) = (spread(1, 3), spread(64, 3));
        assert!(small > 10.0 * large, "{small} vs {large}");
    }

    #[test]
    fn zero_gradient_means_no_move() {
        let c = cfg(
            r#"{"surface":"bowl","start":[0,0],"steps":5,"optimizer":{"name":"adam","lr":0.1}}"#,
        );
        let tr = simulate(&c).unwrap();
        assert!(tr.x.iter().chain(&tr.y).all(|&v| v == 0.0));
    }

    #[test]
    fn bad_noise_and_bound_are_named() {
        for (json, field) in [
            (
                r#"{"surface":"bowl","start":[0,0],"steps":5,"optimizer":{"name":"sgd"},"noise":{"batch_size":0}}"#,
                "noise.batch_size",
            ),
            (
                r#"{"surface":"bowl","start":[0,0],"steps":5,"optimizer":{"name":"sgd"},"noise":{"batch_size":2,"scale":-1}}"#,
                "noise.scale",
            ),
            (
                r#"{"surface":"bowl","start":[0,0],"steps":5,"optimizer":{"name":"sgd"},"bound":0}"#,
                "bound",
            ),
        ] {
            let e = RunConfig::from_json(json).unwrap_err().to_string();
            assert!(e.contains(field), "{e}");
        }
    }
}
