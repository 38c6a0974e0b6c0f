//! The network's Hessian: exact (forward-over-reverse) against central differences of the
//! exact gradient, symmetric to rounding, a closed-form case (softmax regression), Lanczos
//! extremes against the full spectrum, the spectrum of a session, clear errors. (Its timing is
//! `hessian_2882_native` in benches/native.rs.)
#![cfg(not(target_arch = "wasm32"))]

use optiscape::nn::hessian::{
    hessian_spectrum, lanczos, minimum_ratio, spectrum, BatchLoss, LanczosOptions, SpectrumMethod,
    SpectrumOptions,
};
use optiscape::nn::{
    init_network, Activation, Backend, BnConfig, CpuBackend, LossKind, Matrix, Mode, ModelSpec,
    Network, Rng, TrainConfig,
};
use proptest::prelude::*;

mod common;
use common::{close, random_net};

fn random_batch(n: usize, d: usize, c: usize, rng: &mut Rng) -> (Matrix, Vec<usize>) {
    let x = Matrix::from_vec(n, d, (0..n * d).map(|_| rng.range(-2.0, 2.0)).collect()).unwrap();
    let y = (0..n).map(|_| rng.below(c)).collect();
    (x, y)
}

/// How far the weights are from where differences mislead (computed here independently of
/// the library's pass): the smallest |pre-activation| of any relu unit over the batch (its
/// kink), and the smallest train-mode batch variance of any batch-norm unit (near 0, the
/// normalization's derivatives blow up).
fn margins(net: &Network, x: &Matrix, mode: Mode) -> (f64, f64) {
    let (spec, p) = (net.spec(), net.params());
    let mut input: Vec<Vec<f64>> = (0..x.rows()).map(|i| x.row(i).to_vec()).collect();
    let mut margin = f64::INFINITY;
    let mut min_var = f64::INFINITY;
    for (l, (s, ls)) in net.layout().layers.iter().zip(&spec.layers).enumerate() {
        let mut z: Vec<Vec<f64>> = input
            .iter()
            .map(|xi| {
                (0..s.out)
                    .map(|o| {
                        let w = &p[s.w + o * s.fan_in..s.w + (o + 1) * s.fan_in];
                        p[s.b + o] + w.iter().zip(xi).map(|(a, b)| a * b).sum::<f64>()
                    })
                    .collect()
            })
            .collect();
        if let Some(g) = s.bn {
            for o in 0..s.out {
                let (mean, var) = match mode {
                    Mode::Train => {
                        let n = z.len() as f64;
                        let m = z.iter().map(|r| r[o]).sum::<f64>() / n;
                        let v = z.iter().map(|r| (r[o] - m).powi(2)).sum::<f64>() / n;
                        min_var = min_var.min(v);
                        (m, v)
                    }
                    Mode::Eval => {
                        let rs = net.running()[l].as_ref().unwrap();
                        (rs.running_mean[o], rs.running_var[o])
                    }
                };
                for r in &mut z {
                    r[o] = (r[o] - mean) / (var + spec.bn.eps).sqrt() * p[g + o] + p[g + s.out + o];
                }
            }
        }
        let f: fn(f64) -> f64 = match ls.activation {
            Activation::Relu => {
                margin = z.iter().flatten().fold(margin, |m, v| m.min(v.abs()));
                |v| v.max(0.0)
            }
            Activation::Tanh => f64::tanh,
            Activation::Sigmoid => |v| 1.0 / (1.0 + (-v).exp()),
            Activation::Linear => |v| v,
        };
        input = z
            .into_iter()
            .map(|r| r.into_iter().map(f).collect())
            .collect();
    }
    (margin, min_var)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Column j of the exact Hessian equals differences of the exact gradient along e_j, for random
    /// small nets with and without batch norm, both losses, both modes, every activation
    /// (relu only where no pre-activation is near its kink, batch norm only where no batch
    /// variance is near 0).
    #[test]
    fn hessian_matches_central_differences_of_the_gradient(
        seed in any::<u64>(),
        d in 1usize..4,
        hidden in prop::collection::vec(1usize..5, 0..3),
        c in 2usize..4,
        n in 2usize..6,
        act in prop::sample::select(vec![
            Activation::Tanh, Activation::Sigmoid, Activation::Linear, Activation::Relu,
        ]),
        bn in any::<bool>(),
        mse in any::<bool>(),
        train in any::<bool>(),
    ) {
        let mut rng = Rng::new(seed);
        let loss_kind = if mse { LossKind::Mse } else { LossKind::CrossEntropy };
        let mode = if train { Mode::Train } else { Mode::Eval };
        let dims: Vec<usize> = std::iter::once(d).chain(hidden).chain(std::iter::once(c)).collect();
        let net = random_net(&dims, act, bn, loss_kind, &mut rng);
        let (x, y) = random_batch(n, d, c, &mut rng);
        let (relu, var) = margins(&net, &x, mode);
        prop_assume!(relu > 1e-3 && var > 1e-2);
        let mut f = BatchLoss::new(&net, &x, &y, mode).unwrap();
        let theta = net.params().to_vec();
        let h = f.hessian(&theta).unwrap();
        let np = theta.len();
        // Central differences at h and h/2, Richardson-extrapolated: (4·D(h/2) − D(h))/3 has
        // error O(h⁴). (A plain central difference, O(h²), is not enough where train-mode batch
        // norm over two rows has a tiny variance and huge third derivatives.)
        let step = 1e-4;
        let mut central = |j: usize, s: f64| {
            let (mut up, mut down) = (vec![0.0; np], vec![0.0; np]);
            let mut t = theta.clone();
            t[j] = theta[j] + s;
            f.gradient(&t, &mut up).unwrap();
            t[j] = theta[j] - s;
            f.gradient(&t, &mut down).unwrap();
            up.iter().zip(&down).map(|(u, d)| (u - d) / (2.0 * s)).collect::<Vec<f64>>()
        };
        for j in 0..np {
            let (coarse, fine) = (central(j, step), central(j, step / 2.0));
            for i in 0..np {
                let fd = (4.0 * fine[i] - coarse[i]) / 3.0;
                let exact = h.get(i, j).unwrap();
                prop_assert!(close(exact, fd, 1e-7), "H[{}][{}]: exact {} vs fd {}", i, j, exact, fd);
            }
        }
        // The library's loss is the backend's loss.
        let mut g = vec![0.0; np];
        let want = CpuBackend::new()
            .loss_and_gradient(&mut net.clone(), &x, &y, mode, false, &mut g)
            .unwrap();
        prop_assert_eq!(f.loss(&theta).unwrap(), want);
    }

    /// The assembled Hessian is symmetric to rounding (where batch norm is well conditioned),
    /// and a single H·v is the same linear combination of its columns.
    #[test]
    fn hessian_is_symmetric_and_agrees_with_single_products(
        seed in any::<u64>(),
        act in prop::sample::select(vec![Activation::Tanh, Activation::Sigmoid]),
        bn in any::<bool>(),
        mse in any::<bool>(),
        train in any::<bool>(),
    ) {
        let mut rng = Rng::new(seed);
        let loss_kind = if mse { LossKind::Mse } else { LossKind::CrossEntropy };
        let mode = if train { Mode::Train } else { Mode::Eval };
        let net = random_net(&[3, 5, 4, 3], act, bn, loss_kind, &mut rng);
        let (x, y) = random_batch(7, 3, 3, &mut rng);
        prop_assume!(margins(&net, &x, mode).1 > 1e-2);
        let mut f = BatchLoss::new(&net, &x, &y, mode).unwrap();
        let h = f.hessian(net.params()).unwrap();
        let scale = h.column_major().iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        prop_assert!(h.max_asymmetry() <= 1e-12 * scale.max(1.0), "asymmetry {} of {}", h.max_asymmetry(), scale);
        let np = h.n();
        let v: Vec<f64> = (0..np).map(|_| rng.normal()).collect();
        let mut hv = vec![0.0; np];
        f.hvp(net.params(), &v, &mut hv).unwrap();
        for (i, &hvi) in hv.iter().enumerate() {
            let want: f64 = (0..np).map(|j| h.get(i, j).unwrap() * v[j]).sum();
            prop_assert!(close(hvi, want, 1e-12), "(Hv)[{}]: {} vs {}", i, hvi, want);
        }
    }
}

/// Softmax regression (no hidden layer) with cross-entropy: per row the Hessian of the loss
/// in the logits is `A = diag(p) − p·pᵀ`, so with x̃ = (x, 1)
///
///   ∂²L/∂W[o][k]∂W[o'][k'] = (1/n) Σ_i A_i[o][o'] x̃_ik x̃_ik'   (b[o] is the column k = d),
///
/// i.e. `H = (1/n) Σ_i A_i ⊗ x̃_i x̃_iᵀ` up to the order of the parameters. At θ = 0 every
/// `p = 1/C`, `A = I/C − 11ᵀ/C²` (eigenvalues 1/C, C − 1 times, and 0), and
/// `H = A ⊗ S` with `S = (1/n) Σ x̃ x̃ᵀ`: its eigenvalues are `s_j / C`, each C − 1 times,
/// and d + 1 zeros.
#[test]
fn softmax_regression_has_the_closed_form_hessian() {
    let (d, c, n) = (3, 4, 9);
    let spec = ModelSpec::mlp(
        d,
        &[],
        Activation::Tanh,
        false,
        c,
        LossKind::CrossEntropy,
        BnConfig::default(),
    );
    let mut rng = Rng::new(5);
    let (x, y) = random_batch(n, d, c, &mut rng);
    let xt = |i: usize, k: usize| if k == d { 1.0 } else { x.row(i)[k] };
    // θ = 0: eigenvalues s_j / C (C − 1 times each) and d + 1 zeros.
    let zero = Network::zeros(&spec).unwrap();
    let s = optiscape::nn::hessian::spectrum(
        &zero,
        &x,
        &y,
        &SpectrumOptions {
            method: SpectrumMethod::Exact,
            ..Default::default()
        },
    )
    .unwrap();
    let sm = nalgebra::DMatrix::from_fn(d + 1, d + 1, |a, b| {
        (0..n).map(|i| xt(i, a) * xt(i, b)).sum::<f64>() / n as f64
    });
    let mut want: Vec<f64> = sm
        .symmetric_eigenvalues()
        .iter()
        .flat_map(|&sj| std::iter::repeat_n(sj / c as f64, c - 1))
        .chain(std::iter::repeat_n(0.0, d + 1))
        .collect();
    want.sort_by(f64::total_cmp);
    assert_eq!(s.eigenvalues.len(), want.len());
    for (got, want) in s.eigenvalues.iter().zip(&want) {
        assert!((got - want).abs() < 1e-14, "{got} vs {want}");
    }
    let signs = s.signs.unwrap();
    assert_eq!((signs.zero, signs.negative), (d + 1, 0), "{signs:?}");
    assert_eq!(
        s.minimum_ratio,
        Some((c - 1) as f64 * (d + 1) as f64 / ((d + 1) * c) as f64)
    );
    // Any θ: entry by entry.
    let net = random_net(
        &[d, c],
        Activation::Tanh,
        false,
        LossKind::CrossEntropy,
        &mut rng,
    );
    let p = net.params();
    let idx = |o: usize, k: usize| if k == d { c * d + o } else { o * d + k };
    let mut h_want = vec![vec![0.0; p.len()]; p.len()];
    for i in 0..n {
        let z: Vec<f64> = (0..c)
            .map(|o| (0..=d).map(|k| p[idx(o, k)] * xt(i, k)).sum())
            .collect();
        let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let e: Vec<f64> = z.iter().map(|v| (v - m).exp()).collect();
        let pr: Vec<f64> = e.iter().map(|v| v / e.iter().sum::<f64>()).collect();
        for (o, &po) in pr.iter().enumerate() {
            for (o2, &po2) in pr.iter().enumerate() {
                let a = if o == o2 { po - po * po2 } else { -po * po2 };
                for k in 0..=d {
                    for k2 in 0..=d {
                        h_want[idx(o, k)][idx(o2, k2)] += a * xt(i, k) * xt(i, k2) / n as f64;
                    }
                }
            }
        }
    }
    let h = BatchLoss::new(&net, &x, &y, Mode::Train)
        .unwrap()
        .hessian(p)
        .unwrap();
    for (i, row) in h_want.iter().enumerate() {
        for (j, want) in row.iter().enumerate() {
            let got = h.get(i, j).unwrap();
            assert!((got - want).abs() < 1e-14, "H[{i}][{j}] {got} vs {want}");
        }
    }
}

/// Lanczos on Hessian-vector products finds the extreme eigenvalues of the full spectrum of a
/// mid-size net (5-16-16-3 with batch norm, 483 parameters), each within its residual bound.
#[test]
fn lanczos_extremes_match_the_full_spectrum() {
    let mut rng = Rng::new(17);
    let spec = ModelSpec::mlp(
        5,
        &[16, 16],
        Activation::Tanh,
        true,
        3,
        LossKind::CrossEntropy,
        BnConfig::default(),
    );
    let net = init_network(&spec, 3).unwrap();
    let (x, y) = random_batch(40, 5, 3, &mut rng);
    let mut f = BatchLoss::new(&net, &x, &y, Mode::Train).unwrap();
    let theta = net.params();
    let full = f.hessian(theta).unwrap().eigenvalues().unwrap();
    let n = full.len();
    assert_eq!(n, 483);
    let opts = LanczosOptions {
        steps: 150,
        seed: 4,
    };
    let l = lanczos(
        n,
        &opts,
        |v: &[f64], out: &mut [f64]| f.hvp(theta, v, out).map(|_| ()),
        |_, _| {},
    )
    .unwrap();
    let scale = full[n - 1].abs().max(full[0].abs());
    for k in 0..3 {
        let (top, bottom) = (l.largest(3)[k], l.smallest(3)[k]);
        let (r_top, r_bottom) = (l.residuals[l.steps - 1 - k], l.residuals[k]);
        assert!(
            (top - full[n - 1 - k]).abs() <= 1e-8 * scale,
            "top {k}: {top} ± {r_top} vs {}",
            full[n - 1 - k]
        );
        assert!(
            (bottom - full[k]).abs() <= 1e-8 * scale,
            "bottom {k}: {bottom} ± {r_bottom} vs {}",
            full[k]
        );
    }
    // The same seed gives the same numbers.
    let again = lanczos(
        n,
        &opts,
        |v: &[f64], out: &mut [f64]| f.hvp(theta, v, out).map(|_| ()),
        |_, _| {},
    )
    .unwrap();
    assert_eq!(again, l);
}

fn small_config(hidden: &str, batchnorm: bool) -> TrainConfig {
    TrainConfig::from_json(&format!(
        r#"{{"data": {{"name": "spiral", "n": 120, "noise": 0.1, "seed": 2}},
            "hidden": {hidden}, "batchnorm": {batchnorm}, "epochs": 3, "batch_size": 16,
            "optimizer": {{"name": "adam", "lr": 0.01}}}}"#
    ))
    .unwrap()
}

/// The spectrum of a session: exact for a small net (all n eigenvalues, signs that add up),
/// Lanczos for one above the exact limit; progress is reported.
#[test]
fn session_spectrum_is_exact_when_small_and_lanczos_when_large() {
    let mut session = small_config("[8, 8]", true).build().unwrap();
    for _ in 0..3 {
        session.trainer.run_epoch().unwrap();
    }
    let s = hessian_spectrum(&session, &SpectrumOptions::default()).unwrap();
    assert_eq!(s.method, SpectrumMethod::Exact);
    assert_eq!(s.eigenvalues.len(), s.n_params);
    let signs = s.signs.unwrap();
    assert_eq!(signs.positive + signs.negative + signs.zero, s.n_params);
    // Train-mode batch norm cancels the biases before it: 16 exactly flat directions.
    assert!(signs.zero >= 16, "{signs:?}");
    let r = s.minimum_ratio.unwrap();
    assert!((0.0..=1.0).contains(&r));
    assert_eq!(Some(r), minimum_ratio(&s.eigenvalues, signs.tolerance));
    assert!(s.eigenvalues.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(s.largest[0], s.eigenvalues[s.n_params - 1]);
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(
        (json["method"].as_str(), json["mode"].as_str()),
        (Some("exact"), Some("train"))
    );
    assert_eq!(json["minimum_ratio"].as_f64(), Some(r));

    let big = small_config("[40, 24]", false).build().unwrap();
    let mut calls = 0;
    let opts = SpectrumOptions {
        extremes: 3,
        ..Default::default()
    };
    let s = optiscape::nn::hessian::spectrum_with_progress(
        big.trainer.network(),
        &big.trainer.train_data().x,
        &big.trainer.train_data().y,
        &opts,
        &mut |_, _| calls += 1,
    )
    .unwrap();
    assert_eq!(s.method, SpectrumMethod::Lanczos);
    assert!(s.n_params > 1000 && s.signs.is_none() && s.minimum_ratio.is_none());
    assert_eq!((s.largest.len(), s.smallest.len()), (3, 3));
    assert_eq!(calls, s.hessian_vector_products);
}

#[test]
fn bad_input_gets_a_clear_error() {
    let mut rng = Rng::new(1);
    let net = random_net(
        &[2, 3, 2],
        Activation::Tanh,
        true,
        LossKind::CrossEntropy,
        &mut rng,
    );
    let (x, y) = random_batch(4, 2, 2, &mut rng);
    let one = Matrix::from_vec(1, 2, vec![0.1, 0.2]).unwrap();
    let e = BatchLoss::new(&net, &one, &[0], Mode::Train)
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("at least 2 rows"), "{e}");
    assert!(BatchLoss::new(&net, &one, &[0], Mode::Eval).is_ok());
    assert!(BatchLoss::new(&net, &x, &y[..3], Mode::Eval).is_err());
    assert!(BatchLoss::new(&net, &x, &[0, 1, 2, 0], Mode::Eval).is_err());
    let mut f = BatchLoss::new(&net, &x, &y, Mode::Eval).unwrap();
    let np = f.n_params();
    let e = f.hessian(&vec![0.0; np - 1]).err().unwrap().to_string();
    assert!(e.contains("theta") && e.contains(&np.to_string()), "{e}");
    let mut v = vec![0.0; np];
    v[3] = f64::NAN;
    let e = f
        .hvp(net.params(), &v, &mut vec![0.0; np])
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("v[3]"), "{e}");
    let wide = ModelSpec::mlp(
        64,
        &[40],
        Activation::Tanh,
        false,
        10,
        LossKind::Mse,
        BnConfig::default(),
    );
    let wide = init_network(&wide, 0).unwrap();
    let xw = Matrix::zeros(2, 64);
    let mut f = BatchLoss::new(&wide, &xw, &[0, 1], Mode::Eval).unwrap();
    let e = f.hessian(wide.params()).err().unwrap().to_string();
    assert!(e.contains("Lanczos"), "{e}");
    let opts = SpectrumOptions {
        max_rows: Some(0),
        ..Default::default()
    };
    assert!(spectrum(&net, &x, &y, &opts).is_err());
    let opts = SpectrumOptions {
        method: SpectrumMethod::Lanczos,
        lanczos: LanczosOptions { steps: 0, seed: 0 },
        ..Default::default()
    };
    assert!(spectrum(&net, &x, &y, &opts).is_err());
}
