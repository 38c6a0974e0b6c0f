//! Unit and property tests of the optimizers, schedules and configs (the torch reference
//! trajectories are in tests/optim_refs.rs).

use proptest::prelude::*;
use serde_json::{json, Value};

use super::*;
use crate::Error;

fn opt(v: Value) -> OptimizerConfig {
    OptimizerConfig::from_json(&v).unwrap_or_else(|e| panic!("{v}: {e}"))
}

fn sched(v: Value) -> ScheduleConfig {
    ScheduleConfig::from_json(&v).unwrap_or_else(|e| panic!("{v}: {e}"))
}

fn field_of(e: &Error) -> Option<&str> {
    match e {
        Error::InvalidValue { field, .. } => Some(field),
        _ => None,
    }
}

// ---------------------------------------------------------------- strategies

/// Valid schedules whose lr stays > 0 (eta_min > 0, end_factor > 0, ...); polynomial is
/// left out (it reaches 0 by design) and tested on its own.
fn positive_schedule() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        (5usize..40, 0.3f64..1.5)
            .prop_map(|(s, g)| json!({"name": "step", "step_size": s, "gamma": g})),
        (prop::collection::btree_set(1usize..300, 0..5), 0.05f64..1.5).prop_map(|(m, g)| {
            let m: Vec<usize> = m.into_iter().collect();
            json!({"name": "multistep", "milestones": m, "gamma": g})
        }),
        (0.5f64..1.05).prop_map(|g| json!({"name": "exponential", "gamma": g})),
        (1usize..120, 1e-5f64..1e-2)
            .prop_map(|(t, e)| json!({"name": "cosine", "t_max": t, "eta_min": e})),
        (1usize..50, 1usize..4, 1e-5f64..1e-2).prop_map(|(t, m, e)| {
            json!({"name": "cosine_warm_restarts", "t_0": t, "t_mult": m, "eta_min": e})
        }),
        (0.01f64..=1.0, 0.01f64..=1.0, 1usize..120).prop_map(|(s, e, n)| {
            json!({"name": "linear", "start_factor": s, "end_factor": e, "total_iters": n})
        }),
        (0.01f64..=1.0, 1usize..120)
            .prop_map(|(f, n)| json!({"name": "constant", "factor": f, "total_iters": n})),
    ];
    let seq = (leaf.clone(), leaf.clone(), 1usize..150).prop_map(
        |(a, b, m)| json!({"name": "sequential", "schedulers": [a, b], "milestones": [m]}),
    );
    let onecycle = (
        1e-3f64..2.0,
        20usize..400,
        0.1f64..0.9,
        any::<bool>(),
        any::<bool>(),
        1.0f64..100.0,
        1.0f64..1e4,
    )
        .prop_map(|(max_lr, total, pct, linear, three, div, fdiv)| {
            json!({"name": "onecycle", "max_lr": max_lr, "total_steps": total, "pct_start": pct,
                   "anneal_strategy": if linear { "linear" } else { "cos" },
                   "three_phase": three, "div_factor": div, "final_div_factor": fdiv})
        });
    prop_oneof![4 => leaf, 1 => seq, 1 => onecycle]
}

/// Valid optimizers without weight decay.
fn optimizer() -> impl Strategy<Value = Value> {
    let lr = 1e-4f64..1.0;
    let beta = (0.0f64..0.99, 0.5f64..0.9999);
    prop_oneof![
        (lr.clone(), 0.0f64..0.99, 0.0f64..0.9, any::<bool>()).prop_map(|(lr, m, d, n)| {
            let (m, d) = if n { (m.max(0.1), 0.0) } else { (m, d) };
            json!({"name": "sgd", "lr": lr, "momentum": m, "dampening": d, "nesterov": n})
        }),
        (lr.clone(), 0.0f64..0.1, 0.0f64..1.0, 1e-12f64..1e-6).prop_map(|(lr, d, a, e)| {
            json!({"name": "adagrad", "lr": lr, "lr_decay": d, "initial_accumulator_value": a,
                   "eps": e})
        }),
        (
            lr.clone(),
            0.5f64..0.999,
            1e-10f64..1e-6,
            0.0f64..0.95,
            any::<bool>()
        )
            .prop_map(|(lr, a, e, m, c)| {
                json!({"name": "rmsprop", "lr": lr, "alpha": a, "eps": e, "momentum": m,
                       "centered": c})
            }),
        (
            lr.clone(),
            beta.clone(),
            1e-10f64..1e-6,
            any::<bool>(),
            any::<bool>()
        )
            .prop_map(|(lr, (b1, b2), e, ams, w)| {
                json!({"name": if w { "adamw" } else { "adam" }, "lr": lr, "betas": [b1, b2],
                       "eps": e, "amsgrad": ams, "weight_decay": 0.0})
            }),
        (lr.clone(), beta.clone(), 0.0f64..0.1).prop_map(|(lr, (b1, b2), md)| {
            json!({"name": "nadam", "lr": lr, "betas": [b1, b2], "momentum_decay": md})
        }),
        (lr.clone(), beta.clone())
            .prop_map(|(lr, (b1, b2))| json!({"name": "radam", "lr": lr, "betas": [b1, b2]})),
        (lr.clone(), beta)
            .prop_map(|(lr, (b1, b2))| json!({"name": "adamax", "lr": lr, "betas": [b1, b2]})),
        (lr.clone(), 0.0f64..=1.0, 1e-8f64..1e-4).prop_map(|(lr, rho, e)| {
            json!({"name": "adadelta", "lr": lr, "rho": rho, "eps": e})
        }),
        lr.clone()
            .prop_map(|lr| json!({"name": "adagrad", "variant": "lecture", "lr": lr})),
        (lr, 0.0f64..=1.0).prop_map(|(lr, a)| {
            json!({"name": "rmsprop", "variant": "lecture", "lr": lr, "alpha": a})
        }),
    ]
}

fn point(n: usize) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-10.0f64..10.0, n)
}

// ---------------------------------------------------------------- schedule properties

proptest! {
    #[test]
    fn schedules_are_finite_and_positive(s in positive_schedule(), base in 1e-6f64..10.0) {
        let cfg = ScheduleConfig::from_json(&s);
        prop_assume!(cfg.is_ok()); // a one-cycle pct_start may give a zero-length phase
        let cfg = cfg.unwrap();
        let n = match &cfg { ScheduleConfig::OneCycle(c) => c.total_steps, _ => 300 };
        let lrs = cfg.lrs(base, n).unwrap();
        for (t, lr) in lrs.iter().enumerate() {
            prop_assert!(lr.is_finite() && *lr > 0.0, "{s}: lr[{t}] = {lr}");
        }
    }

    #[test]
    fn polynomial_decays_to_zero_and_stays(total in 1usize..100, power in 0.1f64..4.0,
                                           base in 1e-6f64..10.0) {
        let cfg = sched(json!({"name": "polynomial", "total_iters": total, "power": power}));
        let lrs = cfg.lrs(base, total + 20).unwrap();
        for (t, lr) in lrs.iter().enumerate() {
            prop_assert!(lr.is_finite());
            if t < total { prop_assert!(*lr > 0.0, "lr[{t}] = {lr}"); }
            else { prop_assert_eq!(*lr, 0.0); }
        }
    }

    /// torch's recursive forms stay within rounding of the closed forms.
    #[test]
    fn recursive_forms_follow_the_closed_forms(s in positive_schedule(), base in 1e-3f64..10.0) {
        let cfg = ScheduleConfig::from_json(&s);
        prop_assume!(cfg.is_ok());
        let cfg = cfg.unwrap();
        let lrs = match &cfg {
            ScheduleConfig::OneCycle(_) | ScheduleConfig::Sequential(_) => return Ok(()),
            c => c.lrs(base, 300).unwrap(),
        };
        for (t, lr) in lrs.iter().enumerate() {
            let want = closed_form(&cfg, base, t);
            prop_assert!((lr - want).abs() <= 1e-12 * want.abs().max(base),
                         "{s}: t={t}: {lr} vs {want}");
        }
    }

    #[test]
    fn zero_gradient_means_no_move(o in optimizer(), p0 in point(3), steps in 1usize..20) {
        let mut o = Optimizer::new(&opt(o), None, 3).unwrap();
        let mut p = p0.clone();
        for _ in 0..steps {
            o.step(&mut p, &[0.0; 3]);
            prop_assert_eq!(&p, &p0);
            prop_assert!(o.anatomy().update.iter().all(|u| *u == 0.0));
        }
    }

    /// `maximize` is minimizing the negated gradient, bit for bit.
    #[test]
    fn maximize_negates_the_gradient(o in optimizer(), p0 in point(2),
                                     grads in prop::collection::vec(point(2), 1..10)) {
        let min_cfg = opt(o.clone());
        let mut max_json = o;
        max_json["maximize"] = json!(true);
        let (mut a, mut b) = (Optimizer::new(&min_cfg, None, 2).unwrap(),
                              Optimizer::new(&opt(max_json), None, 2).unwrap());
        let (mut pa, mut pb) = (p0.clone(), p0);
        for g in grads {
            a.step(&mut pa, &g);
            b.step(&mut pb, &[-g[0], -g[1]]);
            prop_assert_eq!(&pa, &pb);
        }
    }

    /// Where the anatomy says `exact`, the update is −(η/σ)·m up to rounding.
    #[test]
    fn anatomy_reconstructs_the_update(o in optimizer(), p0 in point(2),
                                       grads in prop::collection::vec(point(2), 1..12)) {
        let mut o = Optimizer::new(&opt(o), None, 2).unwrap();
        let mut p = p0;
        for g in grads {
            o.step(&mut p, &g);
            let an = o.anatomy();
            if !an.exact { continue; }
            for (i, pi) in p.iter().enumerate() {
                if an.sigma[i] == 0.0 {
                    prop_assert_eq!(an.update[i], 0.0);
                    continue;
                }
                let want = -(an.lr / an.sigma[i]) * an.direction[i];
                let slack = 1e-9 * (want.abs() + an.update[i].abs()) + 1e-13 * pi.abs().max(1.0);
                prop_assert!((an.update[i] - want).abs() <= slack,
                             "update {} vs -(lr/sigma)*m {}", an.update[i], want);
            }
        }
    }
}

/// The documented closed forms (torch's `_get_closed_form_lr`).
fn closed_form(cfg: &ScheduleConfig, base: f64, t: usize) -> f64 {
    use std::f64::consts::PI;
    use ScheduleConfig as S;
    match cfg {
        S::Step(c) => base * c.gamma.powi((t / c.step_size) as i32),
        S::MultiStep(c) => {
            base * c
                .gamma
                .powi(c.milestones.iter().filter(|&&m| m <= t).count() as i32)
        }
        S::Exponential(c) => base * c.gamma.powi(t as i32),
        S::Cosine(c) => {
            c.eta_min + (base - c.eta_min) * (1.0 + (PI * t as f64 / c.t_max as f64).cos()) / 2.0
        }
        S::CosineWarmRestarts(c) => {
            let (mut cur, mut ti) = (t, c.t_0);
            while cur >= ti {
                cur -= ti;
                ti *= c.t_mult;
            }
            c.eta_min + (base - c.eta_min) * (1.0 + (PI * cur as f64 / ti as f64).cos()) / 2.0
        }
        S::Linear(c) => {
            let k = t.min(c.total_iters) as f64 / c.total_iters as f64;
            base * (c.start_factor + (c.end_factor - c.start_factor) * k)
        }
        S::Constant(c) => base * if t < c.total_iters { c.factor } else { 1.0 },
        S::Polynomial(c) => {
            base * (1.0 - t.min(c.total_iters) as f64 / c.total_iters as f64).powf(c.power)
        }
        S::Sequential(_) | S::OneCycle(_) => unreachable!(),
    }
}

// ---------------------------------------------------------------- schedule semantics

#[test]
fn step_lr_first_decay_hits_step_size() {
    let lrs = sched(json!({"name": "step", "step_size": 3, "gamma": 0.5}))
        .lrs(1.0, 7)
        .unwrap();
    assert_eq!(lrs, [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25]);
}

#[test]
fn cosine_is_periodic_past_t_max() {
    let lrs = sched(json!({"name": "cosine", "t_max": 10}))
        .lrs(1.0, 21)
        .unwrap();
    assert_eq!(lrs[10], 0.0);
    assert!(lrs[15] > 0.4 && (lrs[20] - 1.0).abs() < 1e-12, "{lrs:?}");
}

#[test]
fn sequential_restarts_from_the_closed_form_at_milestones() {
    let cfg = sched(json!({"name": "sequential", "milestones": [3],
        "schedulers": [{"name": "exponential", "gamma": 0.5},
                       {"name": "step", "step_size": 2, "gamma": 0.1}]}));
    let lrs = cfg.lrs(1.0, 7).unwrap();
    // exponential 1, .5, .25, then step restarts at base (not .125) and counts from 3.
    assert_eq!(lrs[..4], [1.0, 0.5, 0.25, 1.0]);
    assert_eq!(lrs[4], 1.0);
    assert!((lrs[5] - 0.1).abs() < 1e-15 && (lrs[6] - 0.1).abs() < 1e-15);
    let linear = sched(json!({"name": "sequential", "milestones": [2],
        "schedulers": [{"name": "constant", "factor": 0.5, "total_iters": 10},
                       {"name": "linear", "start_factor": 0.25, "total_iters": 4}]}));
    assert_eq!(linear.lrs(2.0, 3).unwrap(), [1.0, 1.0, 0.5]);
}

#[test]
fn onecycle_overwrites_lr_and_cycles_momentum() {
    let cfg = sched(json!({"name": "onecycle", "max_lr": 0.02, "total_steps": 200}));
    let zero_momentum = opt(json!({"name": "sgd", "lr": 0.5, "momentum": 0}));
    let o = Optimizer::new(&zero_momentum, Some(&cfg), 2).unwrap();
    assert!((o.lr() - 0.0008).abs() < 1e-15 && o.lr() != 0.5);
    let m = o
        .momentum()
        .expect("SGD built with momentum 0 silently gets momentum");
    assert!((m - 0.95).abs() < 1e-15);
    let adam = Optimizer::new(&opt(json!({"name": "adam"})), Some(&cfg), 2).unwrap();
    assert!(adam.momentum().is_some(), "beta1 is cycled");
    let no_cycle = sched(
        json!({"name": "onecycle", "max_lr": 0.02, "total_steps": 200,
                                "cycle_momentum": false}),
    );
    let o = Optimizer::new(&zero_momentum, Some(&no_cycle), 2).unwrap();
    assert_eq!(o.momentum(), None);
}

#[test]
fn onecycle_momentum_needs_momentum_or_beta1() {
    let cycle = sched(json!({"name": "onecycle", "max_lr": 0.1, "total_steps": 10}));
    for name in [
        json!({"name": "adagrad"}),
        json!({"name": "adadelta"}),
        json!({"name": "rmsprop", "variant": "lecture"}),
    ] {
        let e = Optimizer::new(&opt(name.clone()), Some(&cycle), 2).unwrap_err();
        assert_eq!(field_of(&e), Some("cycle_momentum"), "{name}: {e}");
    }
    let off = sched(json!({"name": "onecycle", "max_lr": 0.1, "total_steps": 10,
                           "cycle_momentum": false}));
    assert!(Optimizer::new(&opt(json!({"name": "adagrad"})), Some(&off), 2).is_ok());
}

#[test]
fn onecycle_cannot_step_past_total_steps() {
    let cfg = sched(json!({"name": "onecycle", "max_lr": 0.1, "total_steps": 5}));
    let mut s = Schedule::new(&cfg, 0.01, MomentumSlot::Momentum).unwrap();
    for _ in 0..5 {
        s.step().unwrap();
    }
    let e = s.step().unwrap_err();
    assert_eq!(field_of(&e), Some("total_steps"));
    assert_eq!(s.epoch(), 5);
    assert!(cfg.lrs(0.01, 6).is_ok() && cfg.lrs(0.01, 7).is_err());

    let mut o = Optimizer::new(&opt(json!({"name": "sgd"})), Some(&cfg), 1).unwrap();
    assert_eq!(o.max_steps(), Some(5));
    let mut p = [1.0];
    for _ in 0..5 {
        o.try_step(&mut p, &[1.0]).unwrap();
    }
    let before = p;
    assert_eq!(
        field_of(&o.try_step(&mut p, &[1.0]).unwrap_err()),
        Some("total_steps")
    );
    assert_eq!(p, before);
    o.step(&mut p, &[1.0]); // no panic: the step is taken, the lr held
    o.step(&mut p, &[1.0]);
    assert_eq!(o.steps_taken(), 7);
    assert!(o.lr().is_finite());
}

#[test]
fn onecycle_zero_length_phase_is_rejected() {
    // pct_start·total_steps − 1 == 0: torch divides 0 by 0 in its constructor.
    let e = ScheduleConfig::from_json(&json!({"name": "onecycle", "max_lr": 0.1,
        "total_steps": 10, "pct_start": 0.1}))
    .unwrap_err();
    assert_eq!(field_of(&e), Some("pct_start"), "{e}");
    let e = ScheduleConfig::from_json(&json!({"name": "onecycle", "max_lr": 0.1,
        "total_steps": 10, "pct_start": 1.0}))
    .unwrap_err();
    assert_eq!(field_of(&e), Some("pct_start"), "{e}");
}

// ---------------------------------------------------------------- optimizer semantics

#[test]
fn lecture_rmsprop_first_step_is_exactly_lr() {
    let cfg = opt(json!({"name": "rmsprop", "variant": "lecture", "lr": 0.1}));
    let mut o = Optimizer::new(&cfg, None, 3).unwrap();
    let mut p = [1.0, 2.0, 3.0];
    o.step(&mut p, &[5.0, -0.001, 0.0]);
    let update = &o.anatomy().update;
    assert!(
        (update[0] + 0.1).abs() < 1e-15 && (update[1] - 0.1).abs() < 1e-15,
        "{update:?}"
    );
    assert_eq!(p[2], 3.0);
}

#[test]
fn torch_rmsprop_first_step_is_lr_over_root_one_minus_alpha() {
    let cfg = opt(json!({"name": "rmsprop", "lr": 0.001, "alpha": 0.99}));
    let mut o = Optimizer::new(&cfg, None, 1).unwrap();
    let mut p = [0.0];
    o.step(&mut p, &[3.0]);
    assert!((p[0] + 0.001 / 0.1).abs() < 1e-9, "{p:?}");
}

#[test]
fn inexact_forms_are_flagged() {
    let cases = [
        (json!({"name": "rmsprop", "momentum": 0.9}), false),
        (json!({"name": "adamw"}), false),
        (
            json!({"name": "adam", "weight_decay": 0.1, "decoupled_weight_decay": true}),
            false,
        ),
        (json!({"name": "adamw", "weight_decay": 0}), true),
        (json!({"name": "rmsprop"}), true),
        (json!({"name": "adam", "weight_decay": 0.1}), true),
    ];
    for (cfg, exact) in cases {
        let mut o = Optimizer::new(&opt(cfg.clone()), None, 2).unwrap();
        o.step(&mut [1.0, -1.0], &[0.5, 0.25]);
        assert_eq!(o.anatomy().exact, exact, "{cfg}");
    }
}

#[test]
fn sgd_anatomy_has_unit_sigma_and_the_momentum_direction() {
    let cfg = opt(json!({"name": "sgd", "lr": 0.1, "momentum": 0.5}));
    let mut o = Optimizer::new(&cfg, None, 1).unwrap();
    let mut p = [0.0];
    o.step(&mut p, &[1.0]);
    o.step(&mut p, &[1.0]);
    let an = o.anatomy();
    assert_eq!((an.lr, an.sigma[0], an.direction[0]), (0.1, 1.0, 1.5));
    assert!((an.update[0] + 0.15).abs() < 1e-15);
    assert_eq!(o.steps_taken(), 2);
}

#[test]
fn adagrad_anatomy_reports_the_decayed_lr() {
    let cfg = opt(json!({"name": "adagrad", "lr": 1.0, "lr_decay": 0.5}));
    let mut o = Optimizer::new(&cfg, None, 1).unwrap();
    o.step(&mut [0.0], &[1.0]);
    o.step(&mut [0.0], &[1.0]);
    assert_eq!(o.anatomy().lr, 1.0 / 1.5);
    assert_eq!(o.lr(), 1.0);
}

// ---------------------------------------------------------------- configs

#[test]
fn torch_defaults() {
    let d = |n: &str| OptimizerConfig::with_defaults(n).unwrap();
    assert_eq!(d("sgd"), OptimizerConfig::Sgd(SgdConfig::default()));
    assert_eq!(d("sgd").lr(), 1e-3);
    let OptimizerConfig::AdamW(w) = d("adamw") else {
        panic!()
    };
    assert_eq!((w.weight_decay, w.eps, w.betas), (0.01, 1e-8, [0.9, 0.999]));
    let OptimizerConfig::Adam(a) = d("adam") else {
        panic!()
    };
    assert_eq!((a.weight_decay, a.decoupled_weight_decay), (0.0, false));
    let OptimizerConfig::Adagrad(a) = d("adagrad") else {
        panic!()
    };
    assert_eq!((a.lr, a.eps), (1e-2, 1e-10));
    let OptimizerConfig::NAdam(n) = d("nadam") else {
        panic!()
    };
    assert_eq!((n.lr, n.momentum_decay), (2e-3, 4e-3));
    assert_eq!(d("adadelta").lr(), 1.0);
    let OptimizerConfig::LectureRmsprop(l) = d("rmsprop/lecture") else {
        panic!()
    };
    assert_eq!((l.lr, l.alpha), (0.01, 0.99));
    let ScheduleConfig::Linear(l) = sched(json!({"name": "linear"})) else {
        panic!()
    };
    assert_eq!(
        (l.start_factor, l.end_factor, l.total_iters),
        (1.0 / 3.0, 1.0, 5)
    );
    let ScheduleConfig::OneCycle(c) =
        sched(json!({"name": "onecycle", "max_lr": 1, "total_steps": 9}))
    else {
        panic!()
    };
    assert_eq!(
        (c.pct_start, c.div_factor, c.final_div_factor),
        (0.3, 25.0, 1e4)
    );
    assert_eq!(c.anneal_strategy, AnnealStrategy::Cos);
    assert_eq!(OptimizerConfig::default().lr(), 0.01);
}

#[test]
fn every_spec_reads_with_defaults_and_round_trips() {
    for s in optimizer_specs() {
        let mut v = json!({"name": s.name});
        if let Some(variant) = s.variant {
            v["variant"] = json!(variant);
        }
        let cfg = opt(v);
        assert_eq!(cfg.spec(), s);
        let json = cfg.to_json();
        for p in s.params {
            assert!(json.get(p.name).is_some(), "{} lacks {}", s.name, p.name);
        }
        assert_eq!(opt(json), cfg);
        assert_eq!(opt(serde_json::to_value(&cfg).unwrap()), cfg);
    }
    assert_eq!(schedule_specs().len(), 10);
    let text = serde_json::to_string(optimizer_specs()).unwrap();
    assert!(text.contains("\"momentum_decay\""));
}

#[test]
fn bookkeeping_keys_are_accepted() {
    let keys = json!({"foreach": false, "capturable": false, "differentiable": false,
                      "fused": null, "maximize": false});
    for s in optimizer_specs().iter().filter(|s| s.variant.is_none()) {
        let mut v = keys.clone();
        v["name"] = json!(s.name);
        assert!(OptimizerConfig::from_json(&v).is_ok(), "{v}");
    }
    for name in ["adam", "nadam", "radam"] {
        assert!(OptimizerConfig::from_json(
            &json!({"name": name, "decoupled_weight_decay": false, "foreach": false})
        )
        .is_ok());
    }
    assert!(
        OptimizerConfig::from_json(&json!({"name": "adamw", "decoupled_weight_decay": true}))
            .is_ok()
    );
    let e = OptimizerConfig::from_json(&json!({"name": "adamw", "decoupled_weight_decay": false}))
        .unwrap_err();
    assert_eq!(field_of(&e), Some("decoupled_weight_decay"));
    sched(
        json!({"name": "onecycle", "max_lr": 0.1, "total_steps": 10, "torch": "OneCycleLR",
                 "derived": {"initial_lr": 0.004, "min_lr": 4e-7}}),
    );
    sched(json!({"name": "cosine", "t_max": 10, "torch": "CosineAnnealingLR"}));
}

#[test]
fn unknown_keys_are_rejected_by_name() {
    let e = OptimizerConfig::from_json(&json!({"name": "adam", "lrr": 0.1})).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, Error::Config(_)), "{e:?}");
    assert!(
        msg.contains("`lrr`") && msg.contains("`adam`") && msg.contains("`betas`"),
        "{msg}"
    );
    // a key of another optimizer is unknown here too
    let e = OptimizerConfig::from_json(&json!({"name": "sgd", "betas": [0.9, 0.9]})).unwrap_err();
    assert!(e.to_string().contains("`betas`"), "{e}");
    let e = OptimizerConfig::from_json(&json!({"name": "sgd", "decoupled_weight_decay": true}))
        .unwrap_err();
    assert!(e.to_string().contains("`decoupled_weight_decay`"), "{e}");
    let e =
        ScheduleConfig::from_json(&json!({"name": "cosine", "t_max": 5, "tmax": 3})).unwrap_err();
    assert!(e.to_string().contains("`tmax`"), "{e}");
    let e = ScheduleConfig::from_json(&json!({"name": "sequential", "milestones": [2],
        "schedulers": [{"name": "constant"}, {"name": "step", "step_size": 2, "gama": 1}]}))
    .unwrap_err();
    assert!(e.to_string().contains("`gama`"), "{e}");
}

#[test]
fn unknown_names_and_shapes_are_errors() {
    let e = OptimizerConfig::from_json(&json!({"name": "adamm"})).unwrap_err();
    assert!(
        matches!(&e, Error::UnknownName { name, .. } if name == "adamm"),
        "{e:?}"
    );
    assert!(e.to_string().contains("adamw"));
    let e = ScheduleConfig::from_json(&json!({"name": "cosin"})).unwrap_err();
    assert!(
        matches!(&e, Error::UnknownName { name, .. } if name == "cosin"),
        "{e:?}"
    );
    let e = OptimizerConfig::from_json(&json!({"name": "adam", "variant": "lecture"})).unwrap_err();
    assert_eq!(field_of(&e), Some("variant"));
    assert!(OptimizerConfig::from_json(&json!({"lr": 0.1})).is_err());
    assert!(OptimizerConfig::from_json(&json!("adam")).is_err());
    let e = OptimizerConfig::from_json(&json!({"name": "adam", "lr": "fast"})).unwrap_err();
    assert_eq!(field_of(&e), Some("lr"));
    let e = OptimizerConfig::from_json(&json!({"name": "adam", "betas": [0.9]})).unwrap_err();
    assert_eq!(field_of(&e), Some("betas"));
    let e = ScheduleConfig::from_json(&json!({"name": "cosine"})).unwrap_err();
    assert!(e.to_string().contains("`t_max`"), "{e}");
    let e = ScheduleConfig::from_json(&json!({"name": "step", "step_size": 2.5})).unwrap_err();
    assert_eq!(field_of(&e), Some("step_size"));
}

/// Out-of-range values for every numeric parameter in the spec tables, by name.
#[test]
fn every_validation_error_names_its_field() {
    let required = json!({"step_size": 10, "gamma": 0.5, "t_max": 10, "t_0": 10,
        "milestones": [5], "max_lr": 0.1, "total_steps": 100,
        "schedulers": [{"name": "constant"}, {"name": "constant"}]});
    let mut checked = 0;
    let tables = optimizer_specs()
        .iter()
        .map(|s| (s, true))
        .chain(schedule_specs().iter().map(|s| (s, false)));
    for (s, is_optimizer) in tables {
        for p in s.params {
            let bad: Vec<Value> = match p.kind {
                ParamKind::Number => {
                    let r = p.range;
                    let mut v = vec![];
                    if let Some(lo) = r.min {
                        v.push(json!(if r.min_inclusive { lo - 0.5 } else { lo }));
                    }
                    if let Some(hi) = r.max {
                        v.push(json!(if r.max_inclusive { hi + 0.5 } else { hi }));
                    }
                    v
                }
                ParamKind::Integer => vec![json!(0), json!(-3)],
                ParamKind::Betas => vec![json!([1.0, 0.9]), json!([0.9, -0.1])],
                ParamKind::Bool => vec![json!(1)],
                ParamKind::Choice => vec![json!("cosine")],
                ParamKind::IntegerList => vec![json!([3, 3]), json!([0])],
                ParamKind::ScheduleList => vec![json!([])],
            };
            for b in bad {
                let mut v = json!({"name": s.name});
                if let Some(variant) = s.variant {
                    v["variant"] = json!(variant);
                }
                if !is_optimizer {
                    for q in s.params.iter().filter(|q| q.default.is_none()) {
                        v[q.name] = required[q.name].clone();
                    }
                }
                v[p.name] = b.clone();
                let e = if is_optimizer {
                    OptimizerConfig::from_json(&v).map(|_| ()).unwrap_err()
                } else {
                    ScheduleConfig::from_json(&v).map(|_| ()).unwrap_err()
                };
                let field = field_of(&e).unwrap_or_else(|| panic!("{v}: {e:?}"));
                assert!(field.starts_with(p.name), "{v}: error names `{field}`: {e}");
                assert!(e.to_string().contains(p.name), "{e}");
                checked += 1;
            }
        }
    }
    assert!(checked > 80, "{checked}");
}

#[test]
fn non_finite_numbers_and_cross_field_rules_are_errors() {
    let sgd = |lr: f64| {
        OptimizerConfig::Sgd(SgdConfig {
            lr,
            ..SgdConfig::default()
        })
    };
    for bad in [f64::NAN, f64::INFINITY, -1.0] {
        let e = Optimizer::new(&sgd(bad), None, 2).unwrap_err();
        assert_eq!(field_of(&e), Some("lr"), "{e}");
    }
    let adam = OptimizerConfig::Adam(AdamConfig {
        eps: f64::NAN,
        ..AdamConfig::default()
    });
    assert_eq!(field_of(&adam.validate().unwrap_err()), Some("eps"));
    for v in [
        json!({"name": "sgd", "nesterov": true}),
        json!({"name": "sgd", "nesterov": true, "momentum": 0.9, "dampening": 0.1}),
    ] {
        let e = OptimizerConfig::from_json(&v).unwrap_err();
        assert_eq!(field_of(&e), Some("nesterov"), "{e}");
    }
    assert!(
        OptimizerConfig::from_json(&json!({"name": "sgd", "nesterov": true, "momentum": 0.9}))
            .is_ok()
    );
    let e = ScheduleConfig::from_json(&json!({"name": "sequential", "milestones": [2, 4],
        "schedulers": [{"name": "constant"}, {"name": "constant"}]}))
    .unwrap_err();
    assert_eq!(field_of(&e), Some("milestones"));
    let e = ScheduleConfig::from_json(&json!({"name": "sequential", "milestones": [2],
        "schedulers": [{"name": "constant"}, {"name": "onecycle", "max_lr": 1, "total_steps": 9}]}))
    .unwrap_err();
    assert_eq!(field_of(&e), Some("schedulers"));
    let e = Schedule::new(
        &sched(json!({"name": "constant"})),
        f64::NAN,
        MomentumSlot::None,
    )
    .unwrap_err();
    assert_eq!(field_of(&e), Some("lr"));
}

/// The configs work inside a larger `deny_unknown_fields` struct such as the run config.
#[test]
fn configs_nest_in_a_strict_struct() {
    #[derive(serde::Deserialize, serde::Serialize)]
    #[serde(deny_unknown_fields)]
    struct Run {
        steps: usize,
        optimizer: OptimizerConfig,
        schedule: Option<ScheduleConfig>,
    }
    let r: Run =
        serde_json::from_str(r#"{"steps": 3, "optimizer": {"name": "adam", "lr": 0.1}}"#).unwrap();
    assert!(r.schedule.is_none() && r.optimizer.lr() == 0.1);
    let r: Run = serde_json::from_str(
        r#"{"steps": 3, "optimizer": {"name": "sgd"},
            "schedule": {"name": "exponential", "gamma": 0.9}}"#,
    )
    .unwrap();
    let echo = serde_json::to_string(&r).unwrap();
    assert!(
        echo.starts_with(r#"{"steps":3,"optimizer":{"name":"sgd","lr":0.001"#),
        "{echo}"
    );
    let back: Run = serde_json::from_str(&echo).unwrap();
    assert_eq!(back.schedule, r.schedule);
    let e = serde_json::from_str::<Run>(r#"{"steps": 3, "optimizer": {"name": "adam", "lrr": 1}}"#)
        .err()
        .unwrap();
    assert!(
        e.to_string()
            .contains("unknown field `lrr` in optimizer `adam`"),
        "{e}"
    );
    let e =
        serde_json::from_str::<Run>(r#"{"steps": 3, "optimizer": {"name": "sgd"}, "extra": 1}"#)
            .err()
            .unwrap();
    assert!(e.to_string().contains("extra"), "{e}");
}

// ------------------------------------------- saturated bias corrections (long runs)

/// Past underflow (0.9^t at t ≈ 7070) the running power stays 0 without its refreshes, and
/// is then what a refresh gives: at every refresh step it equals `pow_int` bit for bit.
#[test]
fn beta_power_after_underflow_is_the_refreshed_power() {
    for (beta, steps) in [(0.9, 20_000u64), (0.5, 3_000), (0.99, 80_000)] {
        let mut power = rules::BetaPower::new();
        let mut zero_from = None;
        for t in 1..=steps {
            let v = power.at(beta, t);
            if t % rules::BetaPower::REFRESH == 0 {
                assert_eq!(v.to_bits(), pow::pow_int(beta, t).to_bits(), "{beta}^{t}");
            }
            if v == 0.0 && zero_from.is_none() {
                zero_from = Some(t);
            }
        }
        assert!(
            zero_from.is_some(),
            "{beta}^t never underflowed in {steps} steps"
        );
    }
}

/// Adam written out with every division, as torch computes it: the optimizer's paths for
/// saturated bias corrections (1 − 0.9ᵗ is exactly 1 past ~350 steps, 1 − 0.999ᵗ past
/// ~37,000) must give the same bits, for the parameters and the anatomy's direction.
#[test]
fn adam_with_saturated_bias_corrections_is_the_dividing_formula() {
    let (b1, b2, eps, lr) = (0.9, 0.999, 1e-8, 1e-3);
    let mut o = Optimizer::new(&opt(json!({"name": "adam", "lr": lr})), None, 2).unwrap();
    let grad = |p: &[f64; 2]| {
        let r = p[1] - p[0] * p[0];
        [-2.0 * (1.0 - p[0]) - 400.0 * p[0] * r, 200.0 * r]
    };
    let (mut p, mut q) = ([-1.5, 2.0], [-1.5, 2.0]);
    let (mut m, mut v) = ([0.0; 2], [0.0; 2]);
    let (mut pow1, mut pow2) = (rules::BetaPower::new(), rules::BetaPower::new());
    for t in 1..=45_000u64 {
        let g = grad(&p);
        o.step(&mut p, &g);
        let g = grad(&q);
        let bc1 = 1.0 - pow1.at(b1, t);
        let bc2 = 1.0 - pow2.at(b2, t);
        let step_size = lr / bc1;
        let mut direction = [0.0; 2];
        for i in 0..2 {
            m[i] = momentum::lerp(m[i], g[i], 1.0 - b1);
            v[i] = v[i] * b2 + (1.0 - b2) * g[i] * g[i];
            let sigma = v[i].sqrt() / bc2.sqrt() + eps;
            q[i] += -step_size * m[i] / sigma;
            direction[i] = m[i] / bc1;
        }
        assert_eq!(p.map(f64::to_bits), q.map(f64::to_bits), "step {t}");
        assert_eq!(o.anatomy().direction, direction, "step {t}");
        if t == 45_000 {
            assert_eq!(
                (bc1, bc2),
                (1.0, 1.0),
                "the run must reach both saturations"
            );
        }
    }
}

/// A config's JSON object built by insertion is the collected one: the same keys in the same
/// order, a repeated key keeping its last value.
#[test]
fn an_object_by_insertion_is_the_collected_object() {
    let entries = vec![
        ("lr", json!(0.1)),
        ("betas", json!([0.9, 0.99])),
        ("lr", json!(0.2)),
    ];
    let collected: serde_json::Map<String, Value> = entries
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    let built = json::object(entries);
    assert_eq!(built, Value::Object(collected));
    assert_eq!(built.to_string(), r#"{"betas":[0.9,0.99],"lr":0.2}"#);
}
