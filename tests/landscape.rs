//! The network's loss landscape: the PCA plane passes through the final weights and projects
//! the trajectory right, the grid has `Formula::eval_grid`'s layout and its values are the
//! loss at those weights, filter normalization gives every row its norm, the seed decides.
#![cfg(not(target_arch = "wasm32"))]

use optiscape::expr::Formula;
use optiscape::landscape::{
    evenly_spaced, landscape, landscape_from_config, pca_basis, random_basis, record_trajectory,
    BiasBn, LandscapeOptions, Method, Record,
};
use optiscape::nn::{Backend, CpuBackend, Mode, Network, Rng, Session, TrainConfig};
use serde_json::{json, Value};

fn config(hidden: &str, batchnorm: bool, epochs: usize) -> Value {
    serde_json::from_str(&format!(
        r#"{{"data": {{"name": "spiral", "n": 160, "noise": 0.1, "seed": 3}},
            "hidden": {hidden}, "batchnorm": {batchnorm}, "epochs": {epochs}, "batch_size": 16,
            "optimizer": {{"name": "adam", "lr": 0.02}}, "noise_batches": 0}}"#
    ))
    .unwrap()
}

fn session(cfg: &Value) -> Session {
    TrainConfig::from_json(&cfg.to_string())
        .unwrap()
        .build()
        .unwrap()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).powi(2))
        .sum::<f64>()
        .sqrt()
}

/// The backend's loss at weights `theta` (the reference the plane is checked against).
fn backend_loss(net: &Network, theta: &[f64], s: &Session, mode: Mode) -> f64 {
    let mut net = net.clone();
    net.params_mut().copy_from_slice(theta);
    let d = s.trainer.train_data();
    let mut g = vec![0.0; net.n_params()];
    CpuBackend::new()
        .loss_and_gradient(&mut net, &d.x, &d.y, mode, false, &mut g)
        .unwrap()
}

#[test]
fn pca_plane_passes_through_the_final_weights_and_projects_the_path() {
    let epochs = 12;
    let mut s = session(&config("[8, 8]", false, epochs));
    let traj = record_trajectory(&mut s.trainer, epochs, Record::Epoch, 500).unwrap();
    assert_eq!(traj.len(), epochs + 1);
    assert_eq!(traj.last().unwrap(), s.trainer.network().params());
    let fresh = session(&config("[8, 8]", false, epochs));
    assert_eq!(traj[0], fresh.trainer.network().params());
    let net = s.trainer.network().clone();
    let data = s.trainer.train_data().clone();
    let opts = LandscapeOptions {
        grid: 11,
        ..Default::default()
    };
    let l = landscape(&net, &data.x, &data.y, &traj, &opts).unwrap();
    let (p, b) = (&l.plane, &l.basis);
    // Centered at the final weights; orthonormal directions.
    assert_eq!(&b.center, traj.last().unwrap());
    let g = b.gram();
    assert!(
        (g[0][0] - 1.0).abs() < 1e-12 && (g[1][1] - 1.0).abs() < 1e-12 && g[0][1].abs() < 1e-12
    );
    assert_eq!(
        (p.direction_norms, p.method),
        ([g[0][0].sqrt(), g[1][1].sqrt()], Method::Pca)
    );
    let last = p.path.last().unwrap();
    assert!(
        last.x.abs() < 1e-12 && last.y.abs() < 1e-12 && last.off_plane < 1e-12,
        "{last:?}"
    );
    assert_eq!(last.loss_true, p.center_loss);
    assert!((last.loss - p.center_loss).abs() < 1e-12);
    // The grid's middle point (odd grid, symmetric view) is the center.
    assert!((p.values[5 * 11 + 5] - p.center_loss).abs() < 1e-12);
    // Every projection is the least-squares one: the rest is orthogonal to both directions
    // and as long as `off_plane`; the path starts in the lower left.
    for (t, q) in traj.iter().zip(&p.path) {
        let on = b.point(q.x, q.y);
        let rest: Vec<f64> = t.iter().zip(&on).map(|(a, b)| a - b).collect();
        let r = dist(t, &b.center).max(1e-300);
        assert!(dot(&rest, &b.directions[0]).abs() < 1e-10 * r);
        assert!(dot(&rest, &b.directions[1]).abs() < 1e-10 * r);
        assert!((dist(t, &on) - q.off_plane).abs() < 1e-10 * r);
        // The recorded weights are what the trainer had: eval-mode loss after each epoch.
        assert_eq!(q.loss_true, backend_loss(&net, t, &s, Mode::Eval));
    }
    assert!(p.path[0].x <= 0.0 && p.path[0].y <= 0.0);
    for (e, q) in s.trainer.history().iter().zip(&p.path[1..]) {
        assert_eq!(q.loss_true, e.train.loss, "epoch {}", e.epoch);
    }
    let [v1, v2] = p.explained_variance.unwrap();
    assert!(v1 >= v2 && v2 >= 0.0 && v1 + v2 <= 1.0 + 1e-12, "{v1} {v2}");
    assert!(p.description.contains("PCA"));
}

/// Points that lie in a plane through the final weights come back exactly.
#[test]
fn an_in_plane_trajectory_is_reconstructed_exactly() {
    let mut rng = Rng::new(9);
    let n = 57;
    let center: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
    let (u, w): (Vec<f64>, Vec<f64>) = (0..n).map(|_| (rng.normal(), rng.normal())).unzip();
    let coords = [(3.0, -1.0), (2.0, 0.5), (1.2, 0.9), (0.4, 0.2), (0.0, 0.0)];
    let traj: Vec<Vec<f64>> = coords
        .iter()
        .map(|&(a, b)| (0..n).map(|i| center[i] + a * u[i] + b * w[i]).collect())
        .collect();
    let b = pca_basis(&traj, 0).unwrap();
    let [v1, v2] = b.explained_variance.unwrap();
    assert!((v1 + v2 - 1.0).abs() < 1e-12, "{v1} + {v2}");
    for t in &traj {
        let q = b.project(t).unwrap();
        assert!(q.off_plane < 1e-10, "{q:?}");
        assert!(dist(&b.point(q.x, q.y), t) < 1e-10);
    }
    // Too few points, unequal lengths and a path that never moves are errors.
    assert!(pca_basis(&traj[..1], 0).is_err());
    assert!(pca_basis(&[center.clone(), center[1..].to_vec()], 0).is_err());
    assert!(pca_basis(&[center.clone(), center.clone()], 0).is_err());
    // Two points: d₁ along their difference, d₂ orthogonal to it.
    let b = pca_basis(&traj[3..], 0).unwrap();
    let q = b.project(&traj[3]).unwrap();
    assert!(
        q.off_plane < 1e-10 && q.x < 0.0 && q.y.abs() < 1e-10,
        "{q:?}"
    );
    assert!(b.gram()[0][1].abs() < 1e-12);
}

/// `values[j·nx + i]` is the loss at the grid point of `Formula::eval_grid`'s layout, for
/// both methods, with batch norm in both modes.
#[test]
fn grid_layout_and_values_match_direct_evaluation() {
    let epochs = 4;
    for (method, mode) in [
        (Method::Pca, Mode::Eval),
        (Method::Random, Mode::Eval),
        (Method::Random, Mode::Train),
    ] {
        let mut s = session(&config("[6]", true, epochs));
        let traj = record_trajectory(&mut s.trainer, epochs, Record::Step, 12).unwrap();
        assert_eq!(traj.len(), 12); // 1 + 4 epochs × 5 updates, thinned
        let net = s.trainer.network().clone();
        let d = s.trainer.train_data().clone();
        let opts = LandscapeOptions {
            method,
            mode,
            grid: 7,
            y: Some([-0.3, 0.9]),
            ..Default::default()
        };
        let l = landscape(&net, &d.x, &d.y, &traj, &opts).unwrap();
        let p = &l.plane;
        assert_eq!((p.nx, p.ny, p.values.len(), p.y), (7, 7, 49, [-0.3, 0.9]));
        let (mut fx, mut fy) = (Vec::new(), Vec::new());
        Formula::parse("x")
            .unwrap()
            .eval_grid(p.x, p.y, 7, 7, &mut fx);
        Formula::parse("y")
            .unwrap()
            .eval_grid(p.x, p.y, 7, 7, &mut fy);
        for k in [0, 3, 6, 7, 24, 30, 41, 48] {
            let (i, j) = (k % 7, k / 7);
            assert_eq!(fx[k], p.x[0] + i as f64 * (p.x[1] - p.x[0]) / 6.0);
            assert_eq!(fy[k], p.y[0] + j as f64 * (p.y[1] - p.y[0]) / 6.0);
            let theta = l.basis.point(fx[k], fy[k]);
            let want = backend_loss(&net, &theta, &s, mode);
            assert!(
                (p.values[k] - want).abs() <= 1e-12 * want.abs().max(1.0),
                "{method:?} {mode:?} ({i}, {j}): {} vs {want}",
                p.values[k]
            );
        }
        assert_eq!(p.min, p.values.iter().copied().reduce(f64::min));
    }
}

#[test]
fn filter_normalization_gives_each_row_the_norm_of_the_weights() {
    let s = session(&config("[5, 4]", true, 1));
    let net = s.trainer.network();
    let mut center = net.params().to_vec();
    let layout = net.layout();
    let first = layout.layers[0];
    center[first.w..first.w + first.fan_in].fill(0.0); // a unit with zero weights
    for bias_bn in [BiasBn::Zero, BiasBn::Copy] {
        let b = random_basis(layout, &center, 7, bias_bn).unwrap();
        for d in &b.directions {
            for s in &layout.layers {
                for o in 0..s.out {
                    let at = s.w + o * s.fan_in..s.w + (o + 1) * s.fan_in;
                    let (got, want) = (
                        dot(&d[at.clone()], &d[at.clone()]).sqrt(),
                        dot(&center[at.clone()], &center[at]).sqrt(),
                    );
                    assert!(
                        (got - want).abs() <= 1e-12 * want,
                        "row {o}: {got} vs {want}"
                    );
                }
                let mut one_d: Vec<usize> = (s.b..s.b + s.out).collect();
                if let Some(g) = s.bn {
                    one_d.extend(g..g + 2 * s.out);
                }
                for i in one_d {
                    let want = if bias_bn == BiasBn::Zero {
                        0.0
                    } else {
                        center[i]
                    };
                    assert_eq!(d[i], want);
                }
            }
        }
        assert_ne!(b.directions[0], b.directions[1]);
        // Not orthogonal, yet a point of the plane projects back onto its coordinates.
        let q = b.project(&b.point(0.3, -0.7)).unwrap();
        assert!((q.x - 0.3).abs() < 1e-10 && (q.y + 0.7).abs() < 1e-10 && q.off_plane < 1e-10);
        assert!(b.description.contains("filter-normalized"));
    }
    assert!(random_basis(layout, &center[1..], 7, BiasBn::Zero).is_err());
    assert!(random_basis(layout, &vec![0.0; center.len()], 7, BiasBn::Zero).is_err());
}

#[test]
fn the_plane_is_a_function_of_the_config_and_seed() {
    let with = |landscape: Value| {
        let mut cfg = config("[6]", false, 3);
        cfg["landscape"] = landscape;
        landscape_from_config(&cfg).unwrap()
    };
    let a = with(json!({"method": "random", "grid": 5, "seed": 1}));
    assert_eq!(a, with(json!({"method": "random", "grid": 5, "seed": 1})));
    assert_ne!(
        a["values"],
        with(json!({"method": "random", "grid": 5, "seed": 2}))["values"]
    );
    let b = with(json!({"grid": 5}));
    assert_eq!(b, with(json!({"method": "pca", "grid": 5})));
    assert_ne!(a["values"], b["values"]);
}

#[test]
fn landscape_from_config_gives_the_plane_json() {
    let mut cfg = config("[8, 8]", false, 5);
    cfg["landscape"] = json!({"method": "pca", "grid": 9, "span": 1.5, "record": "step",
                              "max_points": 20});
    let v = landscape_from_config(&cfg).unwrap();
    for key in [
        "x",
        "y",
        "nx",
        "ny",
        "values",
        "path",
        "method",
        "description",
        "explained_variance",
        "loss",
        "mode",
        "n_params",
        "rows",
        "center_loss",
    ] {
        assert!(v.get(key).is_some(), "missing {key}: {v}");
    }
    assert_eq!((v["nx"].as_u64(), v["ny"].as_u64()), (Some(9), Some(9)));
    assert_eq!(v["values"].as_array().unwrap().len(), 81);
    let path = v["path"].as_array().unwrap();
    assert_eq!(path.len(), 20); // 1 + 5 epochs × 5 updates, thinned
    let last = &path[19];
    assert!(last["x"].as_f64().unwrap().abs() < 1e-12);
    // span 1.5 × the largest |x| on the path.
    let max_x = path
        .iter()
        .map(|p| p["x"].as_f64().unwrap().abs())
        .fold(0.0, f64::max);
    assert!((v["x"][1].as_f64().unwrap() - 1.5 * max_x).abs() < 1e-12);
    assert_eq!(v["method"], "pca");
    assert_eq!(v["mode"], "eval");
    // Without a "landscape" key, the defaults.
    let v = landscape_from_config(&config("[4]", false, 2)).unwrap();
    assert_eq!(v["nx"], 41);
    assert_eq!(v["path"].as_array().unwrap().len(), 3);
    // Clear errors.
    let bad = |landscape: Value| {
        let mut cfg = config("[4]", false, 2);
        cfg["landscape"] = landscape;
        landscape_from_config(&cfg).unwrap_err().to_string()
    };
    assert!(bad(json!({"grids": 5})).contains("grids"));
    assert!(bad(json!({"grid": 1})).contains("landscape.grid"));
    assert!(bad(json!({"method": "hessian"})).contains("hessian"));
    assert!(bad(json!({"span": -1.0})).contains("landscape.span"));
    assert!(bad(json!({"x": [1.0, 0.0]})).contains("landscape.x"));
    let mut typo = config("[4]", false, 2);
    typo["epoch"] = json!(3);
    assert!(landscape_from_config(&typo)
        .unwrap_err()
        .to_string()
        .contains("epoch"));
    assert!(landscape_from_config(&json!([1, 2])).is_err());
}

#[test]
fn evenly_spaced_keeps_the_ends() {
    assert_eq!(evenly_spaced(10, 4), vec![0, 3, 6, 9]);
    assert_eq!(evenly_spaced(3, 5), vec![0, 1, 2]);
    assert_eq!(evenly_spaced(7, 1), vec![6]);
    for (total, count) in [(100, 7), (1001, 500), (50, 49)] {
        let k = evenly_spaced(total, count);
        assert_eq!((k.len(), k[0], *k.last().unwrap()), (count, 0, total - 1));
        assert!(k.windows(2).all(|w| w[0] < w[1]));
    }
}
