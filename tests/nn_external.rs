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
    assert_eq!(t.resume_after_external().unwrap(), None);
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
        .resume_after_external()
        .unwrap()
        .expect("the pending epoch");
    assert_eq!(m.epoch, 2);
    assert_eq!(t.history().len(), 2);
    assert_eq!(t.run_epoch().unwrap().epoch, 3);
}
