//! Properties of the classifier core: backprop equals central differences (with and without
//! batch norm, both losses, both modes), batch norm refuses a train batch of one row,
//! shuffling permutes, data sets are deterministic, the digits decode exactly.
#![cfg(not(target_arch = "wasm32"))]

use optiscape::nn::data::{digits, playground};
use optiscape::nn::{
    init_network, train_config, train_test_split, Activation, Backend, BnConfig, CpuBackend,
    Dataset, LossKind, Matrix, Mode, ModelSpec, Network, Rng, TrainConfig, TrainOptions, Trainer,
};
use optiscape::optim::{Optimizer, OptimizerConfig};
use proptest::prelude::*;

mod common;
use common::{close, random_net};

/// The loss of `(x, y)` without touching the running statistics.
fn loss(net: &Network, x: &Matrix, y: &[usize], mode: Mode) -> f64 {
    let mut net = net.clone();
    let mut g = vec![0.0; net.n_params()];
    CpuBackend::new()
        .loss_and_gradient(&mut net, x, y, mode, false, &mut g)
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// dL/dθ and dL/dX from backprop equal central differences. relu is left out: its kink
    /// makes a finite difference meaningless where a pre-activation is within h of 0.
    #[test]
    fn backprop_matches_central_differences(
        seed in any::<u64>(),
        d in 1usize..4,
        hidden in prop::collection::vec(1usize..5, 0..3),
        c in 2usize..4,
        n in 2usize..6,
        act in prop::sample::select(vec![Activation::Tanh, Activation::Sigmoid, Activation::Linear]),
        bn in any::<bool>(),
        mse in any::<bool>(),
        train in any::<bool>(),
    ) {
        let mut rng = Rng::new(seed);
        let loss_kind = if mse { LossKind::Mse } else { LossKind::CrossEntropy };
        let mode = if train { Mode::Train } else { Mode::Eval };
        let dims: Vec<usize> = std::iter::once(d).chain(hidden).chain(std::iter::once(c)).collect();
        let net = random_net(&dims, act, bn, loss_kind, &mut rng);
        let x = Matrix::from_vec(n, d, (0..n * d).map(|_| rng.range(-2.0, 2.0)).collect()).unwrap();
        let y: Vec<usize> = (0..n).map(|_| rng.below(c)).collect();
        let r = CpuBackend::new().forward_backward(&mut net.clone(), &x, &y, mode).unwrap();
        prop_assert!(close(r.loss, loss(&net, &x, &y, mode), 1e-12));
        // A central difference is off by O(h²·f‴): where batch norm normalizes a single unit
        // over a few rows the loss curves so sharply that h = 1e-5 misses by ~1e-6 relative
        // (h = 1e-6 agrees to 1e-9). So backprop must match the difference at one of three
        // step sizes; a wrong gradient matches none of them.
        let steps = [1e-4, 1e-5, 1e-6];
        let central = |f: &dyn Fn(f64) -> f64, h: f64| (f(h) - f(-h)) / (2.0 * h);
        for k in 0..net.n_params() {
            let f = |dt: f64| {
                let mut moved = net.clone();
                moved.params_mut()[k] += dt;
                loss(&moved, &x, &y, mode)
            };
            let fd: Vec<f64> = steps.iter().map(|&h| central(&f, h)).collect();
            prop_assert!(fd.iter().any(|&v| close(r.grads[k], v, 1e-6)), "param {}: backprop {} vs fd {:?}", k, r.grads[k], fd);
        }
        for k in 0..n * d {
            let f = |dt: f64| {
                let mut moved = x.clone();
                moved.data_mut()[k] += dt;
                loss(&net, &moved, &y, mode)
            };
            let fd: Vec<f64> = steps.iter().map(|&h| central(&f, h)).collect();
            prop_assert!(fd.iter().any(|&v| close(r.dx.data()[k], v, 1e-6)), "X {}: backprop {} vs fd {:?}", k, r.dx.data()[k], fd);
        }
    }

    /// Every 2-D set is a function of its seed, with the asked shape and classes.
    #[test]
    fn data_sets_are_deterministic_with_the_asked_shape(
        seed in any::<u64>(),
        n in 30usize..300,
        classes in 2usize..4,
        noise in 0.0f64..1.0,
        which in 0usize..4,
    ) {
        let make = |s: u64| match which {
            0 => playground::spiral(n, classes, noise, s),
            1 => playground::xor(n, classes, noise, s),
            2 => playground::circle(n, classes, noise, s),
            _ => playground::gauss(n, classes, noise, s),
        }.unwrap();
        let a = make(seed);
        prop_assert_eq!(&a, &make(seed));
        prop_assert_ne!(&a.x, &make(seed.wrapping_add(1)).x);
        prop_assert_eq!((a.x.rows(), a.x.cols(), a.classes), (n, 2, classes));
        prop_assert!(a.y.iter().all(|&k| k < classes));
        prop_assert!(a.x.data().iter().all(|v| v.is_finite()));
        if which == 0 || which == 3 {
            let counts = a.class_counts();
            prop_assert!(counts.iter().all(|&k| k == n / classes || k == n / classes + 1));
        }
    }

    /// A split is a partition of the rows, of the asked size.
    #[test]
    fn train_test_split_partitions_the_rows(seed in any::<u64>(), n in 2usize..200, f in 0.05f64..1.0) {
        let x = Matrix::from_vec(n, 1, (0..n).map(|i| i as f64).collect()).unwrap();
        let ds = Dataset::new(x, vec![0; n], 1).unwrap();
        let (train, test) = train_test_split(&ds, f, seed).unwrap();
        let n_test = test.as_ref().map_or(0, Dataset::len);
        prop_assert_eq!(train.len() + n_test, n);
        prop_assert_eq!(train.len(), ((f * n as f64).round() as usize).clamp(1, n));
        let mut rows: Vec<f64> = train.x.data().to_vec();
        rows.extend(test.map_or(vec![], |t| t.x.data().to_vec()));
        rows.sort_by(f64::total_cmp);
        prop_assert_eq!(rows, (0..n).map(|i| i as f64).collect::<Vec<_>>());
    }
}

/// The cost model counts the network and the rows before anything is built; they must be the
/// ones the run then has.
#[test]
fn the_cost_model_sizes_the_run_that_is_built() {
    for json in [
        r#"{"data": {"name": "spiral", "n": 333, "classes": 3}, "hidden": [7, 5], "batchnorm": true}"#,
        r#"{"data": {"name": "digits"}, "hidden": [16]}"#,
        r#"{"data": {"name": "digits", "train_fraction": 0.3}, "hidden": []}"#,
        r#"{"data": {"name": "xor", "n": 10, "train_fraction": 0.05}}"#,
    ] {
        let cfg = optiscape::nn::TrainConfig::from_json(json).unwrap();
        let session = cfg.build().unwrap();
        let built = (
            session.trainer.network().n_params(),
            session.trainer.train_data().len(),
        );
        assert_eq!(cfg.size(), built, "{json}");
    }
}

/// A link's first look: the issue's network of eight hidden layers of 1024 units is over the
/// link limit (its epoch alone), the lab's default network far under it.
#[test]
fn a_link_may_open_the_default_network_but_not_eight_layers_of_1024() {
    use optiscape::budget::{Limits, Raise};
    let small =
        optiscape::nn::TrainConfig::from_json(r#"{"data": {"name": "spiral", "n": 500}}"#).unwrap();
    Limits::LINK
        .check(&small.first_look_cost(160), Raise::Controls)
        .unwrap();
    let big = optiscape::nn::TrainConfig::from_json(
        r#"{"data": {"name": "spiral", "n": 2000}, "hidden": [1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024], "activation": "relu"}"#,
    )
    .unwrap();
    let cost = big.first_look_cost(160);
    let e = Limits::LINK.check(&cost, Raise::Controls).unwrap_err();
    assert_eq!(e.kind(), "too_much_work");
    assert!(
        cost.breakdown.contains("× 1000 rows + "),
        "{}",
        cost.breakdown
    );
    // The page's controls may still build it.
    Limits::CONTROLS.check(&cost, Raise::Controls).unwrap();
    // Digits draw no boundary.
    let digits = optiscape::nn::TrainConfig::from_json(r#"{"data": {"name": "digits"}}"#).unwrap();
    assert!(!digits.first_look_cost(160).breakdown.contains('²'));
}

/// A boundary painted in pieces, stopped after every piece, is the picture painted at once.
#[test]
fn a_boundary_painted_in_pieces_is_the_boundary_painted_at_once() {
    use optiscape::nn::boundary::{decision_boundary, Painter, Shade, PLANE};
    let cfg = optiscape::nn::TrainConfig::from_json(
        r#"{"data": {"name": "spiral", "n": 200}, "hidden": [6]}"#,
    )
    .unwrap();
    let mut session = cfg.build().unwrap();
    let mut whole = Vec::new();
    decision_boundary(&mut session, PLANE, 23, Shade::Dark, &mut whole).unwrap();
    assert_eq!(whole.len(), 23 * 23 * 4);
    // A huge parameter count makes pieces of one pixel.
    let mut painter = Painter::new(PLANE, 23, Shade::Dark, usize::MAX).unwrap();
    let mut calls = 0;
    while !painter.paint(&mut session, &mut || true).unwrap() {
        calls += 1;
        assert!(painter.progress() < 1.0);
    }
    assert_eq!(calls, 23 * 23 - 1);
    assert_eq!(painter.progress(), 1.0);
    assert_eq!(painter.into_image(), whole);
    assert!(Painter::new(PLANE, 0, Shade::Light, 1).is_err());
}

#[test]
fn relu_has_zero_derivative_at_zero() {
    let mut d = [1.0, 1.0, 1.0];
    Activation::Relu.backprop(&[0.0, 2.0, 0.0], &mut d);
    assert_eq!(d, [0.0, 1.0, 0.0]);
}

fn bn_net(bn: bool) -> Network {
    let spec = ModelSpec::mlp(
        2,
        &[5],
        Activation::Relu,
        bn,
        3,
        LossKind::CrossEntropy,
        BnConfig::default(),
    );
    init_network(&spec, 7).unwrap()
}

#[test]
fn batchnorm_refuses_a_train_batch_of_one_row() {
    let x = Matrix::from_vec(1, 2, vec![0.5, -1.0]).unwrap();
    let e = CpuBackend::new()
        .forward_backward(&mut bn_net(true), &x, &[1], Mode::Train)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("Expected more than 1 value per channel when training, got input size torch.Size([1, 5])"),
        "{e}"
    );
    assert!(e.contains("batch size"), "{e}");
    // Eval mode and networks without batch norm take one row.
    CpuBackend::new()
        .forward_backward(&mut bn_net(true), &x, &[1], Mode::Eval)
        .unwrap();
    CpuBackend::new()
        .forward_backward(&mut bn_net(false), &x, &[1], Mode::Train)
        .unwrap();
}

fn toy_data(n: usize) -> Dataset {
    playground::gauss(n, 3, 0.1, 5).unwrap()
}

fn trainer(
    net: Network,
    data: Dataset,
    batch_size: usize,
    shuffle: bool,
) -> optiscape::Result<Trainer> {
    let opt = Optimizer::new(&OptimizerConfig::default(), None, net.n_params()).unwrap();
    let options = TrainOptions {
        batch_size,
        shuffle,
        drop_last: false,
        seed: 11,
        noise_batches: 3,
    };
    Trainer::new(net, opt, data, None, options)
}

#[test]
fn a_last_batch_of_one_row_with_batchnorm_is_refused_up_front() {
    let e = trainer(bn_net(true), toy_data(21), 4, true)
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("batch_size") && e.contains("batch norm"), "{e}");
    assert!(trainer(bn_net(true), toy_data(21), 1, true).is_err());
    assert!(trainer(bn_net(true), toy_data(22), 4, true).is_ok());
    assert!(trainer(bn_net(false), toy_data(21), 1, true).is_ok());
    assert!(trainer(bn_net(false), toy_data(21), 0, true).is_err());
}

#[test]
fn shuffling_permutes_the_rows_differently_every_epoch() {
    let mut t = trainer(bn_net(false), toy_data(40), 8, true).unwrap();
    let mut orders = Vec::new();
    for _ in 0..4 {
        t.step().unwrap();
        orders.push(t.order().to_vec());
        t.run_epoch().unwrap();
    }
    for o in &orders {
        let mut s = o.clone();
        s.sort();
        assert_eq!(s, (0..40).collect::<Vec<_>>());
    }
    for i in 1..orders.len() {
        assert_ne!(orders[i - 1], orders[i]);
    }
    // The same seed gives the same orders; no shuffle keeps the stored order.
    let mut t2 = trainer(bn_net(false), toy_data(40), 8, true).unwrap();
    t2.step().unwrap();
    assert_eq!(t2.order(), &orders[0][..]);
    let mut t3 = trainer(bn_net(false), toy_data(40), 8, false).unwrap();
    t3.run_epoch().unwrap();
    t3.step().unwrap();
    assert_eq!(t3.order(), &(0..40).collect::<Vec<_>>()[..]);
}

#[test]
fn an_epoch_keeps_the_last_partial_batch_and_reports_its_metrics() {
    let mut t = trainer(bn_net(true), toy_data(43), 10, true).unwrap();
    assert_eq!(t.batch_sizes(), vec![10, 10, 10, 10, 3]);
    let m = t.run_epoch().unwrap();
    assert_eq!((m.epoch, m.steps), (1, 5));
    assert!(m.train.accuracy >= 0.0 && m.train.accuracy <= 1.0);
    assert!(m.grad_noise.unwrap() > 0.0);
    assert!(m.seconds_per_update.is_none(), "no clock by default");
}

#[test]
fn gradient_noise_falls_with_the_batch_size() {
    let noise = |b: usize| {
        let mut t = trainer(bn_net(false), toy_data(120), b, true).unwrap();
        t.run_epoch().unwrap().grad_noise.unwrap()
    };
    assert_eq!(noise(120), 0.0);
    let (small, large) = (noise(2), noise(60));
    assert!(small > 3.0 * large, "{small} vs {large}");
}

#[test]
fn digits_decode_to_the_csv() {
    let d = digits::digits().unwrap();
    assert_eq!((d.x.rows(), d.x.cols(), d.classes), (1797, 64, 10));
    assert_eq!(
        d.class_counts(),
        vec![178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    );
    let constant: Vec<usize> = (0..64)
        .filter(|&j| (0..1797).all(|i| d.x.row(i)[j] == 0.0))
        .collect();
    assert_eq!(constant, vec![0, 32, 39]);
    assert!(d
        .x
        .data()
        .iter()
        .all(|&v| v.fract() == 0.0 && (0.0..=16.0).contains(&v)));
    // FNV-1a 64 of label then pixels, one byte each, row after row, as
    // data/make_digits_bin.py computes it from digits.csv.
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for i in 0..1797 {
        for v in std::iter::once(d.y[i] as u64).chain(d.x.row(i).iter().map(|&v| v as u64)) {
            h = (h ^ v).wrapping_mul(0x0100_0000_01B3);
        }
    }
    assert_eq!(h, 0xd342_ce09_8b2a_951f);
    // The first row of digits.csv.
    assert_eq!(d.y[0], 0);
    assert_eq!(&d.x.row(0)[..8], &[0.0, 0.0, 5.0, 13.0, 9.0, 1.0, 0.0, 0.0]);
    let (train, test) = digits::digits_split().unwrap();
    assert_eq!((train.len(), test.len()), (1437, 360));
    assert!(!digits::DIGITS_CREDIT.is_empty() && digits::DIGITS_CREDIT.contains("10.24432/C50P49"));
}

/// `data/digits.bin` is `data/digits.csv` (the project's copy of the course's digits) packed
/// by `data/make_digits_bin.py`.
#[test]
fn digits_match_the_csv_they_were_packed_from() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/digits.csv");
    let csv = std::fs::read_to_string(path).unwrap();
    let d = digits::digits().unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 1797);
    for (i, line) in rows.iter().enumerate() {
        let v: Vec<f64> = line.split(',').map(|s| s.parse().unwrap()).collect();
        assert_eq!(v[0] as usize, d.y[i]);
        assert_eq!(&v[1..], d.x.row(i));
    }
}

#[test]
fn a_training_config_learns_the_spiral() {
    let cfg = TrainConfig::from_json(
        r#"{"data": {"name": "spiral", "n": 300, "noise": 0.0, "seed": 3, "train_fraction": 0.8},
            "hidden": [16, 16], "activation": "tanh", "optimizer": {"name": "adam", "lr": 0.02},
            "batch_size": 16, "epochs": 150, "seed": 1}"#,
    )
    .unwrap();
    let r = train_config(&cfg).unwrap();
    assert_eq!(
        (r.n_train, r.n_test, r.features, r.classes),
        (240, 60, 2, 2)
    );
    assert_eq!(r.epochs.len(), 150);
    assert_eq!(r.step_loss.len(), 150 * 15);
    let last = r.epochs.last().unwrap();
    assert!(last.train.accuracy >= 0.95, "{:?}", last.train);
    assert!(last.seconds_per_epoch.is_some());
    assert!(r.to_csv().lines().count() == 152);
}

#[test]
fn training_configs_refuse_bad_input() {
    let err = |s: &str| {
        TrainConfig::from_json(s)
            .and_then(|c| train_config(&c))
            .unwrap_err()
            .to_string()
    };
    let e = err(r#"{"data": {"name": "spiral"}, "activation": "swish"}"#);
    assert!(e.contains("swish"), "{e}");
    let e = err(r#"{"data": {"name": "spiral"}, "batch_size": 0}"#);
    assert!(e.contains("batch_size"), "{e}");
    let e = err(r#"{"data": {"name": "moons"}}"#);
    assert!(e.contains("moons"), "{e}");
    let e = err(r#"{"data": {"name": "spiral"}, "epochs": 1, "lr": 0.1}"#);
    assert!(e.contains("lr"), "{e}");
    let e = err(r#"{"data": {"name": "xor", "classes": 5}}"#);
    assert!(e.contains("classes"), "{e}");
    let e = err(
        r#"{"data": {"name": "gauss", "n": 41, "train_fraction": 1.0}, "batchnorm": true, "batch_size": 4}"#,
    );
    assert!(e.contains("batch norm"), "{e}");
    // NaN in data is refused where data enters.
    let x = Matrix::from_vec(2, 1, vec![1.0, f64::NAN]).unwrap();
    let e = Dataset::new(x, vec![0, 1], 2).unwrap_err().to_string();
    assert!(e.contains("X[1][0]"), "{e}");
}

#[test]
fn runs_differing_in_the_loss_start_from_the_same_weights() {
    let spec = |loss| {
        ModelSpec::mlp(
            2,
            &[8],
            Activation::Tanh,
            false,
            2,
            loss,
            BnConfig::default(),
        )
    };
    let a = init_network(&spec(LossKind::CrossEntropy), 9).unwrap();
    let b = init_network(&spec(LossKind::Mse), 9).unwrap();
    assert_eq!(a.params(), b.params());
}
