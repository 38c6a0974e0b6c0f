//! The classifier's curvature panel in the core: the spectrum computed in slices (as the
//! worker does, to report progress and hear a cancel) equals the spectrum in one go; the
//! minimum ratio along training equals the spectra at the recorded weights; the histogram
//! holds every eigenvalue once with its sign; the weight trail gives the same landscape as the
//! CLI's recorded trajectory; the grid surface passes through the plane's values.
#![cfg(not(target_arch = "wasm32"))]

use optiscape::landscape::{landscape, record_trajectory, LandscapeOptions, Record, WeightTrail};
use optiscape::nn::hessian::{
    spectrum, spectrum_chart, RatioSweep, SpectrumJob, SpectrumMethod, SpectrumOptions,
};
use optiscape::nn::TrainConfig;
use optiscape::surface::GridSurface;

fn config(hidden: &str, batchnorm: bool) -> TrainConfig {
    TrainConfig::from_json(&format!(
        r#"{{"data": {{"name": "spiral", "n": 160, "noise": 0.1, "seed": 3}},
            "hidden": {hidden}, "batchnorm": {batchnorm}, "epochs": 4, "batch_size": 16,
            "optimizer": {{"name": "adam", "lr": 0.02}}, "seed": 1}}"#
    ))
    .unwrap()
}

#[test]
fn a_spectrum_in_slices_is_the_spectrum_in_one_go() {
    for (hidden, bn, method) in [
        ("[8, 8]", true, SpectrumMethod::Exact),
        ("[6]", false, SpectrumMethod::Exact),
        ("[8, 8]", false, SpectrumMethod::Lanczos),
    ] {
        let mut s = config(hidden, bn).build().unwrap();
        for _ in 0..3 {
            s.trainer.run_epoch().unwrap();
        }
        let (net, data) = (s.trainer.network(), s.trainer.train_data());
        let opts = SpectrumOptions {
            method,
            ..Default::default()
        };
        let whole = spectrum(net, &data.x, &data.y, &opts).unwrap();
        let mut job = SpectrumJob::new(net, &data.x, &data.y, &opts).unwrap();
        assert_eq!(job.method(), method);
        let planned = job.progress().1;
        let mut slices = 0;
        // Stop after every block: one block (or Lanczos step) per call.
        while !job.advance(&mut || true).unwrap() {
            slices += 1;
            assert!(!job.is_done());
            let (done, p) = job.progress();
            assert_eq!(p, planned);
            assert!(done > 0 && done < p, "{done} of {p}");
        }
        let n = net.n_params();
        match method {
            SpectrumMethod::Exact => assert_eq!(slices + 1, n.div_ceil(8), "{hidden}"),
            _ => assert_eq!(slices + 1, whole.hessian_vector_products),
        }
        let sliced = job.finish().unwrap();
        assert_eq!(sliced, whole, "{hidden} bn={bn} {method:?}");
    }
}

#[test]
fn an_unfinished_job_says_so_and_bad_options_are_named() {
    let s = config("[8, 8]", false).build().unwrap();
    let (net, data) = (s.trainer.network(), s.trainer.train_data());
    let mut job = SpectrumJob::new(net, &data.x, &data.y, &SpectrumOptions::default()).unwrap();
    assert!(!job.advance(&mut || true).unwrap());
    let e = job.finish().err().unwrap().to_string();
    assert!(e.contains("8 of 114"), "{e}");
    let bad = SpectrumOptions {
        max_rows: Some(0),
        ..Default::default()
    };
    let e = SpectrumJob::new(net, &data.x, &data.y, &bad).err().unwrap();
    assert!(e.to_string().contains("max_rows"), "{e}");
}

#[test]
fn the_minimum_ratio_along_training_is_the_spectra_at_the_recorded_weights() {
    let mut s = config("[8, 8]", false).build().unwrap();
    let mut trail = WeightTrail::new(50).unwrap();
    let t = &mut s.trainer;
    trail.record(t.epochs_done(), t.steps_done(), t.network().params());
    for _ in 0..6 {
        t.run_epoch().unwrap();
        assert!(trail.record(t.epochs_done(), t.steps_done(), t.network().params()));
    }
    let points = trail.sample(4);
    assert_eq!(
        points.iter().map(|p| p.0).collect::<Vec<_>>(),
        vec![0, 2, 4, 6]
    );
    let (net, data) = (t.network(), t.train_data());
    let opts = SpectrumOptions::default();
    let mut sweep = RatioSweep::new(net, &data.x, &data.y, points.clone(), &opts).unwrap();
    // Interrupted after every block, as the worker's time slices do.
    let mut calls = 0;
    while !sweep.advance(&mut || true).unwrap() {
        calls += 1;
        assert!(sweep.progress() < 1.0);
    }
    assert!(calls >= 4 * 14, "{calls} slices");
    assert_eq!(sweep.progress(), 1.0);
    for (sample, (epoch, w)) in sweep.samples().iter().zip(&points) {
        let mut at = net.clone();
        at.params_mut().copy_from_slice(w);
        let direct = spectrum(&at, &data.x, &data.y, &opts).unwrap();
        assert_eq!(sample.epoch, *epoch);
        assert_eq!(Some(sample.minimum_ratio), direct.minimum_ratio);
        assert_eq!(sample.loss, direct.loss);
        assert_eq!(Some(sample.signs), direct.signs);
        assert_eq!(sample.lambda_min, direct.eigenvalues[0]);
    }
    // Too big for every eigenvalue; weights of another size.
    let big = config("[40, 24]", false).build().unwrap();
    let bn = big.trainer.network();
    let e = RatioSweep::new(bn, &data.x, &data.y, vec![(0, bn.params().to_vec())], &opts);
    assert!(e.err().unwrap().to_string().contains("at most 1000"));
    let e = RatioSweep::new(net, &data.x, &data.y, vec![(0, vec![0.0; 3])], &opts);
    assert!(e.err().unwrap().to_string().contains("points[0]"));
    assert!(RatioSweep::new(net, &data.x, &data.y, Vec::new(), &opts).is_err());
}

#[test]
fn the_histogram_holds_every_eigenvalue_once_with_its_sign() {
    let mut s = config("[8, 8]", true).build().unwrap();
    for _ in 0..4 {
        s.trainer.run_epoch().unwrap();
    }
    let (net, data) = (s.trainer.network(), s.trainer.train_data());
    let sp = spectrum(net, &data.x, &data.y, &SpectrumOptions::default()).unwrap();
    let signs = sp.signs.unwrap();
    let c = spectrum_chart(&sp.eigenvalues, signs.tolerance, 40).unwrap();
    let sum =
        |f: fn(&optiscape::nn::hessian::ChartBin) -> usize| c.bins.iter().map(f).sum::<usize>();
    assert_eq!(sum(|b| b.negative), signs.negative);
    assert_eq!(sum(|b| b.zero), signs.zero);
    assert_eq!(sum(|b| b.positive), signs.positive);
    // Each eigenvalue lies inside its bin's λ range (edges back from the axis).
    for v in &sp.eigenvalues {
        assert!(c
            .bins
            .iter()
            .any(|b| b.lambda[0] <= *v * (1.0 + 1e-9) + 1e-15
                && *v <= b.lambda[1] * (1.0 + 1e-9) + 1e-15));
    }
    assert!(c.bins.windows(2).all(|w| w[0].t[1] == w[1].t[0]));
}

#[test]
fn the_weight_trail_gives_the_landscape_of_the_cli() {
    let cfg = config("[8, 8]", false);
    let mut a = cfg.build().unwrap();
    let mut b = cfg.build().unwrap();
    let options = LandscapeOptions {
        grid: 11,
        ..Default::default()
    };
    // The CLI: record every epoch.
    let recorded = record_trajectory(&mut a.trainer, 5, Record::Epoch, 500).unwrap();
    // The app: a trail fed after every epoch.
    let mut trail = WeightTrail::new(200).unwrap();
    let t = &mut b.trainer;
    trail.record(0, 0, t.network().params());
    for _ in 0..5 {
        t.run_epoch().unwrap();
        trail.record(t.epochs_done(), t.steps_done(), t.network().params());
    }
    let trajectory = trail.trajectory(t.steps_done(), t.network().params());
    assert_eq!(trajectory, recorded, "no duplicate of the last point");
    let data = t.train_data();
    let cli = landscape(a.trainer.network(), &data.x, &data.y, &recorded, &options).unwrap();
    let app = landscape(t.network(), &data.x, &data.y, &trajectory, &options).unwrap();
    assert_eq!(app.plane, cli.plane);
    // The grid surface passes through the plane's values at its nodes.
    let p = &app.plane;
    let g = GridSurface::new(p.x, p.y, p.nx, p.ny, p.values.clone()).unwrap();
    for (j, i) in [(0, 0), (3, 7), (10, 10), (5, 5)] {
        let x = p.x[0] + (p.x[1] - p.x[0]) * i as f64 / (p.nx - 1) as f64;
        let y = p.y[0] + (p.y[1] - p.y[0]) * j as f64 / (p.ny - 1) as f64;
        let v = p.values[j * p.nx + i];
        assert!(
            (g.value(x, y) - v).abs() <= 1e-12 * v.abs().max(1.0),
            "({i}, {j})"
        );
    }
}
