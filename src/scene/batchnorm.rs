//! Scene 10: batch normalization. The same sigmoid network on the raw digits, with and without
//! BN, from the same initialization: BN trains much faster; it needs batches of more than one
//! row, and it keeps running statistics for inference.

use super::{train_config, Check, Claim, ClassifierRun, LabKind, Scene, SceneDef, Text};
use crate::error::Result;
use crate::nn::{train_config as train, TrainConfig};
use serde_json::json;

pub const DEF: SceneDef = SceneDef {
    id: "batchnorm",
    build,
    check,
};

const EPOCHS: usize = 10;

pub(crate) fn config(batchnorm: bool) -> Result<TrainConfig> {
    train_config(json!({
        "data": {"name": "digits"}, "hidden": [32, 32], "activation": "sigmoid",
        "loss": "cross_entropy", "batchnorm": batchnorm, "normalize_features": false,
        "optimizer": {"name": "sgd", "lr": 0.1}, "batch_size": 32, "epochs": EPOCHS, "seed": 0,
        "noise_batches": 0
    }))
}

fn build() -> Result<Scene> {
    Ok(Scene {
        id: DEF.id,
        version: 1,
        lab: LabKind::Classifier,
        title: Text::new("Batch normalization", "批量归一化"),
        explanation: Text::new("Feature normalization rounds the error surface for the first layer only; the inputs of deeper layers drift as the weights change. Batch normalization standardizes each layer's pre-activations with the mean and variance of the current batch (then scales and shifts them with learned γ and β), which keeps every layer's surface round. It needs a batch large enough to estimate those statistics, and it keeps running averages of them for inference, when there is no batch.", "特征归一化只让第一层的误差曲面变圆；随着权重变化，更深层的输入会漂移。批量归一化用当前批量的均值和方差来标准化每一层的预激活值（再用学到的 γ 和 β 缩放和平移），让每一层的曲面都保持圆润。它需要足够大的批量来估计这些统计量，并为推断时（没有批量）保存它们的移动平均。"),
        formula_mathml: "<math display=\"block\"><msup><mover><mi>z</mi><mo>~</mo></mover><mi>i</mi></msup><mo>=</mo><mfrac><mrow><msup><mi>z</mi><mi>i</mi></msup><mo>−</mo><mi>μ</mi></mrow><msqrt><mrow><msup><mi>σ</mi><mn>2</mn></msup><mo>+</mo><mi>ε</mi></mrow></msqrt></mfrac><mo>,</mo><mspace width=\"1em\"/><msup><mover><mi>z</mi><mo>^</mo></mover><mi>i</mi></msup><mo>=</mo><mi>γ</mi><mo>⊙</mo><msup><mover><mi>z</mi><mo>~</mo></mover><mi>i</mi></msup><mo>+</mo><mi>β</mi><mo>,</mo><mspace width=\"1em\"/><mover><mi>μ</mi><mo>¯</mo></mover><mo>←</mo><mi>p</mi><mover><mi>μ</mi><mo>¯</mo></mover><mo>+</mo><mo>(</mo><mn>1</mn><mo>−</mo><mi>p</mi><mo>)</mo><mi>μ</mi></math>",
        claim: Text::new("After 4 epochs the network with BN has train accuracy > 90% while the one without is below 50%; its training loss after 10 epochs is less than half; a training batch of one row with BN is refused; the running means have moved away from their start at 0.", "4 轮后，带 BN 的网络训练准确率 > 90%，不带 BN 的低于 50%；10 轮后带 BN 的训练损失不到一半；带 BN 时只有一行的训练批量会被拒绝；滑动均值已离开初始值 0。"),
        panels: Vec::new(),
        classifier: vec![
            ClassifierRun { label: Text::new("without BN", "不带 BN"), config: config(false)? },
            ClassifierRun { label: Text::new("with BN", "带 BN"), config: config(true)? },
        ],
    })
}

fn check() -> Result<Check> {
    let mut c = Claim::default();
    let (plain, bn) = (train(&config(false)?)?, train(&config(true)?)?);
    let acc = |r: &crate::nn::TrainReport, e: usize| {
        r.epochs.get(e - 1).map_or(f64::NAN, |m| m.train.accuracy)
    };
    let loss = |r: &crate::nn::TrainReport| r.epochs.last().map_or(f64::NAN, |m| m.train.loss);
    c.greater("with BN: train accuracy after 4 epochs", acc(&bn, 4), 0.9);
    c.less(
        "without BN: train accuracy after 4 epochs",
        acc(&plain, 4),
        0.5,
    );
    c.less(
        "train loss after 10 epochs, with BN / without",
        loss(&bn) / loss(&plain),
        0.5,
    );
    let mut one = config(true)?;
    one.batch_size = 1;
    let refused = one.build().is_err();
    c.greater(
        "a batch of one row with BN is refused (1 = yes)",
        f64::from(u8::from(refused)),
        0.5,
    );
    let mut session = config(true)?.build()?;
    session.trainer.run_epoch()?;
    let moved = session
        .trainer
        .network()
        .running()
        .iter()
        .flatten()
        .flat_map(|r| r.running_mean.iter())
        .fold(0.0f64, |m, v| m.max(v.abs()));
    c.greater("largest |running mean| after one epoch", moved, 1e-3);
    c.measure(
        "train accuracy per epoch, without BN",
        plain
            .epochs
            .iter()
            .map(|m| m.train.accuracy)
            .collect::<Vec<_>>(),
    );
    c.measure(
        "train accuracy per epoch, with BN",
        bn.epochs
            .iter()
            .map(|m| m.train.accuracy)
            .collect::<Vec<_>>(),
    );
    Ok(c.finish(DEF.id))
}
