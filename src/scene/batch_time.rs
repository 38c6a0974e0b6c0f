//! Scene 9: batch size and time — the lecture's small-vs-large table, measured by training the
//! same network from the same initialization at several batch sizes.
//!
//! The check asserts what does not depend on the machine (updates per epoch, the gradient
//! noise falling with the batch size, the full batch being noise-free); the wall times are
//! measured and reported, never judged: a test must not depend on how busy a machine is.

use super::{train_config, Check, Claim, ClassifierRun, LabKind, Scene, SceneDef, Text};
use crate::error::Result;
use crate::nn::{default_clock, BatchSweep, SweepConfig};
use serde_json::json;

pub const DEF: SceneDef = SceneDef {
    id: "batch_time",
    build,
    check,
};

pub const BATCH_SIZES: [usize; 5] = [1, 8, 32, 128, 200];
const EPOCHS: usize = 5;

fn base() -> Result<crate::nn::TrainConfig> {
    train_config(json!({
        "data": {"name": "spiral", "n": 400, "classes": 2, "noise": 0.05, "seed": 1},
        "hidden": [16, 16], "activation": "tanh", "loss": "cross_entropy",
        "normalize_features": true, "optimizer": {"name": "adam", "lr": 0.01},
        "batch_size": 32, "epochs": EPOCHS, "seed": 0, "noise_batches": 16
    }))
}

fn build() -> Result<Scene> {
    let mut classifier = Vec::new();
    for (b, label) in BATCH_SIZES.iter().zip([
        Text::new("B = 1", "B = 1"),
        Text::new("B = 8", "B = 8"),
        Text::new("B = 32", "B = 32"),
        Text::new("B = 128", "B = 128"),
        Text::new("B = 200 (full batch)", "B = 200（全批量）"),
    ]) {
        let mut config = base()?;
        config.batch_size = *b;
        classifier.push(ClassifierRun { label, config });
    }
    Ok(Scene {
        id: DEF.id,
        version: 1,
        lab: LabKind::Classifier,
        title: Text::new("Small batch vs large batch", "小批量与大批量"),
        explanation: Text::new("One epoch sees every training example once, in N/B updates. A small batch takes many cheap, noisy updates per epoch; a large batch takes few, stable ones. Without parallel hardware an update costs time in proportion to B, so an epoch costs about the same either way; with parallel hardware a larger batch costs about the same per update until the device is full, so an epoch gets faster. The table is measured in your browser.", "一个 epoch 把每个训练样本看一遍，共 N/B 次更新。小批量每个 epoch 有许多廉价而嘈杂的更新；大批量更新少而稳定。没有并行硬件时，一次更新的耗时与 B 成正比，所以一个 epoch 的耗时大致相同；有并行硬件时，在设备满载之前更大的批量每次更新耗时几乎不变，于是一个 epoch 变快了。表中数据是在你的浏览器里实测的。"),
        formula_mathml: "<math display=\"block\"><msub><mi>g</mi><mi>B</mi></msub><mo>=</mo><mfrac><mn>1</mn><mi>B</mi></mfrac><munder><mo>∑</mo><mrow><mi>n</mi><mo>∈</mo><mi>batch</mi></mrow></munder><mi>∇</mi><msub><mi>e</mi><mi>n</mi></msub><mo>,</mo><mspace width=\"1em\"/><mi>E</mi><msup><mrow><mo>‖</mo><msub><mi>g</mi><mi>B</mi></msub><mo>−</mo><mi>g</mi><mo>‖</mo></mrow><mn>2</mn></msup><mo>∝</mo><mfrac><mrow><mi>N</mi><mo>−</mo><mi>B</mi></mrow><mrow><mi>B</mi><mo>(</mo><mi>N</mi><mo>−</mo><mn>1</mn><mo>)</mo></mrow></mfrac></math>",
        claim: Text::new("An epoch has ⌈N/B⌉ updates; the gradient noise E‖g_B − g‖² at B = 1 is more than 20 times that at B = 128, and the full batch has none. Time per update and per epoch are measured and shown, not judged.", "一个 epoch 有 ⌈N/B⌉ 次更新；B = 1 时的梯度噪声 E‖g_B − g‖² 是 B = 128 时的 20 倍以上，全批量则没有噪声。每次更新和每个 epoch 的耗时会被测量并显示，但不作为判断依据。"),
        panels: Vec::new(),
        classifier,
    })
}

fn check() -> Result<Check> {
    let mut c = Claim::default();
    let cfg = SweepConfig {
        base: base()?,
        batch_sizes: BATCH_SIZES.to_vec(),
        epochs: EPOCHS,
    };
    let mut sweep = BatchSweep::new(cfg)?.with_clock(Box::new(default_clock));
    while !sweep.advance(usize::MAX, &mut || false)? {}
    let n = sweep.n_train() as f64;
    let rows = sweep.rows();
    let noise = |b: usize| {
        rows.iter()
            .find(|r| r.requested == b)
            .and_then(|r| r.grad_noise)
            .unwrap_or(f64::NAN)
    };
    for r in rows {
        let expected = (n / r.batch_size as f64).ceil();
        c.less(
            &format!("B = {}: |updates per epoch − ⌈N/B⌉|", r.requested),
            (r.steps_per_epoch as f64 - expected).abs(),
            0.5,
        );
        c.measure(
            &format!("B = {}: seconds per update", r.requested),
            r.seconds_per_update,
        );
        c.measure(
            &format!("B = {}: seconds per epoch", r.requested),
            r.seconds_per_epoch,
        );
        c.measure(
            &format!("B = {}: gradient noise", r.requested),
            r.grad_noise,
        );
        c.measure(
            &format!("B = {}: train / test accuracy", r.requested),
            [r.train_accuracy, r.test_accuracy],
        );
    }
    c.greater(
        "gradient noise B = 1 / B = 128",
        noise(1) / noise(128),
        20.0,
    );
    c.less("gradient noise of the full batch", noise(200), 1e-20);
    Ok(c.finish(DEF.id))
}
