//! The trainer's bookkeeping for an outside engine (the browser's WebGPU backend): planned
//! updates see the batches and lrs `step()` would use, recorded losses and evaluations make
//! the same epoch metrics, weights copied in evaluate as the trainer's own, and a hand-back
//! goes on training on the CPU.

use optiscape::nn::TrainConfig;

fn config(schedule: bool) -> TrainConfig {
    let sched = if schedule {
        r#","schedule":{"name":"cosine","t_max":30}"#
    } else {
        ""
    };
    TrainConfig::from_json(&format!(
        r#"{{"data":{{"name":"spiral","n":120,"classes":2,"noise":0.1,"seed":4}},
            "hidden":[6],"activation":"tanh","batchnorm":true,
            "optimizer":{{"name":"adam","lr":0.01}},"batch_size":16,"seed":7,
            "noise_batches":0{sched}}}"#
    ))
    .unwrap()
}

#[test]
fn planned_updates_follow_the_trainers_batches_lrs_and_metrics() {
    let cfg = config(true);
    let mut cpu = cfg.build().unwrap().trainer;
    let mut ext = cfg.build().unwrap().trainer;
    for epoch in 0..3 {
        let mut losses = Vec::new();
        loop {
            let rec = cpu.step().unwrap();
            let plan = ext.plan_external_step().unwrap();
            assert_eq!(plan.new_epoch, plan.batch == 0);
            assert_eq!(cpu.order(), ext.order(), "epoch {epoch}: the same shuffle");
            assert_eq!(plan.lr, rec.lr, "the schedule's lr");
            assert_eq!(plan.end - plan.start, rec.batch_size);
            losses.push(rec.loss);
            assert_eq!(plan.ends_epoch, rec.epoch_end.is_some());
            if let Some(m) = rec.epoch_end {
                // Planning on before the epoch's metrics are recorded is refused.
                assert!(ext.plan_external_step().is_err());
                ext.record_external_losses(0, &losses).unwrap();
                let running = cpu.running_flat();
                ext.set_state(cpu.network().params(), &running).unwrap();
                assert_eq!(ext.evaluate_train().unwrap(), m.train);
                let got = ext
                    .finish_external_epoch(m.train, m.test, m.seconds_per_epoch)
                    .unwrap();
                assert_eq!(got, m);
                break;
            }
        }
    }
    assert_eq!(ext.steps_done(), cpu.steps_done());
    assert_eq!(ext.history(), cpu.history());
}

#[test]
fn bad_external_input_is_an_error_naming_it() {
    let mut t = config(false).build().unwrap().trainer;
    let n = t.network().n_params();
    let e = t
        .set_state(&vec![0.0; n - 1], &t.running_flat())
        .unwrap_err();
    assert!(e.to_string().contains("params"), "{e}");
    let e = t.set_state(&vec![0.0; n], &[1.0]).unwrap_err();
    assert!(e.to_string().contains("running statistics"), "{e}");
    t.plan_external_step().unwrap();
    let e = t.record_external_losses(0, &[0.5, 0.4]).unwrap_err();
    assert!(e.to_string().contains("losses"), "{e}");
    let ev = t.evaluate_train().unwrap();
    let e = t.finish_external_epoch(ev, None, None).unwrap_err();
    assert!(e.to_string().contains("finish_external_epoch"), "{e}");
}

#[test]
fn a_run_handed_back_mid_epoch_goes_on_on_the_cpu() {
    let mut t = config(false).build().unwrap().trainer;
    let per_epoch = t.steps_per_epoch();
    // Two planned updates, one loss recorded (the other was lost with the device).
    t.plan_external_step().unwrap();
    t.plan_external_step().unwrap();
    t.record_external_losses(0, &[0.7]).unwrap();
    assert_eq!(t.resume_after_external(None).unwrap(), None);
    let m = t.run_epoch().unwrap();
    assert_eq!(m.epoch, 1);
    assert_eq!(
        m.steps,
        per_epoch - 1,
        "the lost update's loss is left out of the mean"
    );
    assert!(m.train_loss.is_finite());
    assert_eq!(t.steps_done(), per_epoch);

    // An epoch that ended on the GPU without its metrics is evaluated on the CPU.
    for _ in 0..per_epoch {
        t.plan_external_step().unwrap();
    }
    let m = t
        .resume_after_external(None)
        .unwrap()
        .expect("the pending epoch");
    assert_eq!(m.epoch, 2);
    assert_eq!(t.history().len(), 2);
    assert_eq!(t.run_epoch().unwrap().epoch, 3);
}

#[test]
fn the_optimizer_state_moves_to_another_engine_and_back_unchanged() {
    use optiscape::optim::FlatState;
    for opt in [
        r#"{"name":"sgd","lr":0.1,"momentum":0.9,"nesterov":true}"#,
        r#"{"name":"adam","lr":0.01,"amsgrad":true}"#,
        r#"{"name":"adamw","lr":0.01}"#,
        r#"{"name":"rmsprop","lr":0.01,"momentum":0.5,"centered":true}"#,
        r#"{"name":"adagrad","lr":0.1,"initial_accumulator_value":0.1}"#,
    ] {
        let cfg = TrainConfig::from_json(&format!(
            r#"{{"data":{{"name":"xor","n":80,"seed":2}},"hidden":[5],"optimizer":{opt},
                "batch_size":10,"seed":1,"noise_batches":0}}"#
        ))
        .unwrap();
        // a trains 3 epochs straight. b trains 1, its optimizer state goes out (as to the
        // GPU), b's own is wiped, the state comes back, and b trains 2 more: a's weights.
        let mut a = cfg.build().unwrap().trainer;
        let mut b = cfg.build().unwrap().trainer;
        for _ in 0..3 {
            a.run_epoch().unwrap();
        }
        b.run_epoch().unwrap();
        let state: FlatState = b.optimizer_state().expect("a ported optimizer");
        assert!(state.t >= 1, "{opt}");
        b.resume_after_external(None).unwrap();
        assert_ne!(b.optimizer_state().unwrap(), state, "{opt}: wiped");
        b.resume_after_external(Some(&state)).unwrap();
        for _ in 0..2 {
            b.run_epoch().unwrap();
        }
        // Equal up to rounding: Adam's β^t restarts from powf instead of its running product.
        let close = |x: &[f64], y: &[f64]| {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| (p - q).abs() <= 1e-12)
        };
        assert!(close(b.network().params(), a.network().params()), "{opt}");
        let (sb, sa) = (b.optimizer_state().unwrap(), a.optimizer_state().unwrap());
        assert_eq!(sb.t, sa.t, "{opt}");
        assert!(close(&sb.slots, &sa.slots), "{opt}");
        // A wrong size is refused with the reason.
        let bad = FlatState {
            t: 1,
            slots: vec![0.0; 3],
        };
        let e = b.resume_after_external(Some(&bad)).unwrap_err();
        assert!(e.to_string().contains("optimizer state"), "{e}");
    }
}

/// A trainer that keeps only its last epochs (the browser's, `keep_history`) trains and hands
/// over as one that keeps them all: its history is the tail of the full one, never more than
/// twice the limit, and the outside engine's bookkeeping still sees every epoch recorded.
#[test]
fn a_trainer_keeping_a_short_history_trains_and_hands_over_as_one_keeping_all() {
    let cfg = config(false);
    let mut all = cfg.build().unwrap().trainer;
    let mut short = cfg.build().unwrap().trainer;
    short.keep_history(3);
    let mut longest = 0;
    for _ in 0..20 {
        loop {
            let a = all.step().unwrap();
            let b = short.step().unwrap();
            assert_eq!(a.loss, b.loss);
            longest = longest.max(short.history().len());
            if a.epoch_end.is_some() {
                break;
            }
        }
    }
    assert!(longest < 6, "{longest} epochs kept");
    let tail = &all.history()[all.history().len() - short.history().len()..];
    assert_eq!(short.history(), tail);
    assert!(short.history().len() >= 3);
    // The outside engine's epochs are recorded past the limit too.
    let mut ext = cfg.build().unwrap().trainer;
    ext.keep_history(2);
    let mut cpu = cfg.build().unwrap().trainer;
    for _ in 0..6 {
        let mut losses = Vec::new();
        loop {
            let rec = cpu.step().unwrap();
            ext.plan_external_step().unwrap();
            losses.push(rec.loss);
            if let Some(m) = rec.epoch_end {
                ext.record_external_losses(0, &losses).unwrap();
                ext.set_state(cpu.network().params(), &cpu.running_flat())
                    .unwrap();
                let got = ext
                    .finish_external_epoch(m.train, m.test, m.seconds_per_epoch)
                    .unwrap();
                assert_eq!(got, m);
                break;
            }
        }
    }
    assert_eq!(ext.epochs_done(), 6);
    assert!(ext.history().len() < 4);
    assert_eq!(ext.history().last(), cpu.history().last());
}
