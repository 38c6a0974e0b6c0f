//! Which hyper-parameters of a run a phase diagram can sweep, with a sensible default range
//! for each (log ranges for learning rates and eps), and a default target loss.

use crate::config::RunConfig;
use crate::critical;
use crate::optim::{optimizer_specs, schedule_specs, ParamKind, ParamSpec, Range};
use crate::surface::{Surface, ViewBox};
use serde::Serialize;
use serde_json::Value;

/// One parameter a sweep can put on an axis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AxisChoice {
    /// The dotted path into the run config (`optimizer.lr`, `optimizer.betas.0`,
    /// `schedule.gamma`), as [`super::Axis::path`] takes it.
    pub path: String,
    /// `optimizer` or `schedule`.
    pub group: &'static str,
    /// torch's name of the parameter (`lr`, `betas`, `gamma`...).
    pub name: &'static str,
    /// The index into a pair (`betas`: 0 for β1, 1 for β2).
    pub index: Option<usize>,
    /// The run's current value.
    pub value: f64,
    /// The default range and spacing of the axis.
    pub min: f64,
    pub max: f64,
    pub log: bool,
}

/// Parameters that span decades: swept on a log axis.
const LOG_NAMES: &[&str] = &["lr", "max_lr", "eps", "eta_min", "weight_decay", "lr_decay"];

/// Factors in [0, 1) (momentum-like): swept linearly from 0 to 0.99.
const UNIT_NAMES: &[&str] = &[
    "momentum",
    "dampening",
    "alpha",
    "rho",
    "base_momentum",
    "max_momentum",
];

/// A default range around `value` inside the spec's `range`.
fn default_range(name: &str, index: Option<usize>, value: f64, range: &Range) -> (f64, f64, bool) {
    let (lo, hi, log) = match (name, index) {
        ("lr" | "max_lr", _) if value > 0.0 => (value / 100.0, value * 10.0, true),
        ("lr" | "max_lr", _) => (1e-5, 1.0, true),
        ("eps", _) => (1e-10, 1.0, true),
        ("betas", Some(1)) => (0.9, 0.9999, false),
        ("gamma", _) if value > 0.5 && value <= 1.0 => (0.9, 1.0, false),
        (n, _) if UNIT_NAMES.contains(&n) => (0.0, 0.99, false),
        _ if range.max == Some(1.0) => (0.0, 0.99, false),
        (n, _) if LOG_NAMES.contains(&n) && value > 0.0 => (value / 10.0, value * 10.0, true),
        (n, _) if LOG_NAMES.contains(&n) => (1e-4, 1.0, true),
        _ if value > 0.0 => (value / 10.0, value * 10.0, true),
        _ => (0.0, 1.0, false),
    };
    // Keep both ends inside what the parameter accepts.
    let inside = |v: f64| {
        let mut v = v;
        if let Some(m) = range.min {
            if v < m || (v == m && !range.min_inclusive) {
                v = if m == 0.0 { 1e-3 } else { m * (1.0 + 1e-9) };
            }
        }
        if let Some(m) = range.max {
            if v > m || (v == m && !range.max_inclusive) {
                v = m * (1.0 - 1e-3);
            }
        }
        v
    };
    (inside(lo), inside(hi), log)
}

fn push_params(
    out: &mut Vec<AxisChoice>,
    group: &'static str,
    params: &[ParamSpec],
    values: &Value,
) {
    for p in params {
        let current = values.get(p.name);
        match p.kind {
            ParamKind::Number => {
                let value = current.and_then(Value::as_f64).unwrap_or(f64::NAN);
                let (min, max, log) = default_range(p.name, None, value, &p.range);
                out.push(AxisChoice {
                    path: format!("{group}.{}", p.name),
                    group,
                    name: p.name,
                    index: None,
                    value,
                    min,
                    max,
                    log,
                });
            }
            ParamKind::Betas => {
                for index in 0..2 {
                    let value = current
                        .and_then(|v| v.get(index))
                        .and_then(Value::as_f64)
                        .unwrap_or(f64::NAN);
                    let (min, max, log) = default_range(p.name, Some(index), value, &p.range);
                    out.push(AxisChoice {
                        path: format!("{group}.{}.{index}", p.name),
                        group,
                        name: p.name,
                        index: Some(index),
                        value,
                        min,
                        max,
                        log,
                    });
                }
            }
            _ => {}
        }
    }
}

/// Every numeric hyper-parameter of the run's optimizer and schedule, the learning rate first.
/// (Whole-number parameters such as `t_max` are left out: a grid of them is a list, not a
/// range.)
pub fn choices(run: &RunConfig) -> Vec<AxisChoice> {
    let mut out = Vec::new();
    let opt = run.optimizer.to_json();
    if let Some(spec) = optimizer_specs()
        .iter()
        .find(|s| s.name == run.optimizer.name() && s.variant == run.optimizer.variant())
    {
        push_params(&mut out, "optimizer", spec.params, &opt);
    }
    if let Some(sched) = &run.schedule {
        let json = sched.to_json();
        let name = json.get("name").and_then(Value::as_str).unwrap_or("");
        if let Some(spec) = schedule_specs().iter().find(|s| s.name == name) {
            push_params(&mut out, "schedule", spec.params, &json);
        }
    }
    out.sort_by_key(|c| c.name != "lr");
    out
}

/// A target loss for "steps to target": a little above the lowest minimum in `region`
/// (1e-3 · max(1, |f|) above it); without a minimum there, 1e-3 of the start's loss.
pub fn suggested_target<S: Surface + ?Sized>(surface: &S, region: ViewBox, start: [f64; 2]) -> f64 {
    let lowest = critical::find(surface, region)
        .points
        .iter()
        .filter(|p| p.kind == critical::Kind::Minimum && p.f.is_finite())
        .map(|p| p.f)
        .fold(f64::INFINITY, f64::min);
    if lowest.is_finite() {
        lowest + 1e-3 * lowest.abs().max(1.0)
    } else {
        let f0 = surface.value(start);
        if f0.is_finite() && f0 > 0.0 {
            f0 * 1e-3
        } else {
            f0 - 1.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adam_offers_lr_first_then_both_betas_and_eps() {
        let run = RunConfig::from_json(
            r#"{"surface":"bowl","start":[1,1],"steps":10,"optimizer":{"name":"adam","lr":0.01},
                "schedule":{"name":"exponential","gamma":0.99}}"#,
        )
        .unwrap();
        let c = choices(&run);
        assert_eq!(c[0].path, "optimizer.lr");
        assert!(c[0].log && (c[0].min - 1e-4).abs() < 1e-15 && (c[0].max - 0.1).abs() < 1e-15);
        let paths: Vec<&str> = c.iter().map(|c| c.path.as_str()).collect();
        for p in [
            "optimizer.betas.0",
            "optimizer.betas.1",
            "optimizer.eps",
            "schedule.gamma",
        ] {
            assert!(paths.contains(&p), "{p} missing from {paths:?}");
        }
        let beta1 = c.iter().find(|c| c.path == "optimizer.betas.0").unwrap();
        assert_eq!(
            (beta1.value, beta1.min, beta1.max, beta1.log),
            (0.9, 0.0, 0.99, false)
        );
        let eps = c.iter().find(|c| c.path == "optimizer.eps").unwrap();
        assert!(eps.log && eps.min > 0.0);
        let sgd = RunConfig::from_json(
            r#"{"surface":"bowl","start":[1,1],"steps":10,"optimizer":{"name":"sgd","lr":0.1,"momentum":0.9}}"#,
        )
        .unwrap();
        let momentum = choices(&sgd)
            .into_iter()
            .find(|c| c.path == "optimizer.momentum")
            .unwrap();
        assert_eq!(
            (momentum.min, momentum.max, momentum.log),
            (0.0, 0.99, false)
        );
        // every default range is a valid axis
        for ch in &c {
            let axis = super::super::Axis {
                path: ch.path.clone(),
                min: ch.min,
                max: ch.max,
                n: 4,
                log: ch.log,
            };
            axis.validate("x")
                .unwrap_or_else(|e| panic!("{}: {e}", ch.path));
        }
    }

    #[test]
    fn the_target_sits_just_above_the_lowest_minimum() {
        let f = crate::surface::resolve("x^2+y^2-2").unwrap();
        let region = ViewBox {
            x: [-1.0, 1.0],
            y: [-1.0, 1.0],
        };
        let t = suggested_target(&f, region, [1.0, 1.0]);
        assert!((t - (-2.0 + 2e-3)).abs() < 1e-9, "{t}");
        // no minimum (a plane): a thousandth of the start's loss
        let plane = crate::surface::resolve("x+y+10").unwrap();
        assert!((suggested_target(&plane, region, [0.0, 0.0]) - 0.01).abs() < 1e-12);
    }
}
