//! Scene: batch normalization at test time. In train mode BN standardizes with the current
//! batch's mean and variance, so a row's prediction depends on the other rows of its batch; in
//! eval (inference) mode it uses the running averages kept during training, so a row's
//! prediction is its own, the same in any batch and alone.

use super::{Check, Claim, ClassifierRun, LabKind, Scene, SceneDef, Text};
use crate::error::Result;
use crate::nn::loss::softmax;
use crate::nn::pass::{forward, Mode, Workspace};
use crate::nn::{Matrix, TrainConfig};

pub const DEF: SceneDef = SceneDef {
    id: "batchnorm_eval",
    build,
    check,
};

/// Rows in the batch of the measurement (the run's batch size).
const ROWS: usize = 32;
/// Epochs trained before measuring, so the running averages have moved from their start.
const EPOCHS: usize = 1;
/// In train mode the row's outputs must move by more than this when the other rows change.
pub const TRAIN_MIN: f64 = 1e-3;
/// In eval mode they may move by no more than this (rounding only; it is exactly 0).
pub const EVAL_MAX: f64 = 1e-12;

fn config(batchnorm: bool) -> Result<TrainConfig> {
    let mut c = super::batchnorm::config(batchnorm)?;
    c.batch_size = ROWS;
    Ok(c)
}

fn build() -> Result<Scene> {
    let (rows, t, e) = (ROWS, TRAIN_MIN, EVAL_MAX);
    Ok(Scene {
        id: DEF.id,
        version: 1,
        lab: LabKind::Classifier,
        title: Text::new("Batch normalization at test time", "测试时的批量归一化"),
        explanation: Text::owned(
            format!("In training, batch normalization standardizes each layer with the mean μ and standard deviation σ of the current batch, so one example's output depends on which other examples share its batch. At test time there may be no batch (one example arrives at a time), and a prediction should not depend on its neighbours. So in inference mode BN uses the moving averages μ̄ and σ̄ computed during training instead (torch's model.eval()). Here a network with BN is trained for {EPOCHS} epoch on the digits; then one example is put in a batch of {rows} rows twice, with different other rows. The accuracies this lab reports after each epoch are measured in inference mode."),
            format!("训练时，批量归一化用当前批量的均值 μ 和标准差 σ 来标准化每一层，所以一个样本的输出取决于同一批量里还有哪些样本。测试时可能没有批量（样本一个一个到来），而且预测不应取决于它的“邻居”。所以在推理模式下，批量归一化改用训练中计算的移动平均 μ̄ 和 σ̄（即 torch 的 model.eval()）。这里一个带批量归一化的网络在 digits 数据上训练 {EPOCHS} 个轮次；然后把同一个样本两次放进 {rows} 行的批量，其余各行不同。本实验每个轮次后报告的准确率是在推理模式下测量的。"),
        ),
        formula_mathml: "<math display=\"block\"><mtext>train:</mtext><mspace width=\"0.5em\"/><msup><mover><mi>z</mi><mo>~</mo></mover><mi>i</mi></msup><mo>=</mo><mfrac><mrow><msup><mi>z</mi><mi>i</mi></msup><mo>−</mo><mi>μ</mi></mrow><mi>σ</mi></mfrac><mo>,</mo><mspace width=\"2em\"/><mtext>test:</mtext><mspace width=\"0.5em\"/><mover><mi>z</mi><mo>~</mo></mover><mo>=</mo><mfrac><mrow><mi>z</mi><mo>−</mo><mover><mi>μ</mi><mo>¯</mo></mover></mrow><mover><mi>σ</mi><mo>¯</mo></mover></mfrac><mo>,</mo><mspace width=\"1em\"/><mover><mi>μ</mi><mo>¯</mo></mover><mo>←</mo><mi>p</mi><mover><mi>μ</mi><mo>¯</mo></mover><mo>+</mo><mo>(</mo><mn>1</mn><mo>−</mo><mi>p</mi><mo>)</mo><mi>μ</mi></math>",
        claim: Text::owned(
            format!("Put one example in a batch of {rows} rows, then change the other {} rows: in train mode its softmax outputs change by more than {t:e}; in inference mode (moving averages) by at most {e:e} — not at all but for rounding — and they equal its outputs when it is predicted alone. A network without batch normalization shows no such dependence in train mode.", rows - 1),
            format!("把一个样本放进 {rows} 行的批量，再换掉其余 {} 行：在训练模式下它的 softmax 输出变化超过 {t:e}；在推理模式下（移动平均）变化至多 {e:e}——除舍入误差外完全不变——并且与它单独预测时的输出相同。不带批量归一化的网络在训练模式下没有这种依赖。", rows - 1),
        ),
        panels: Vec::new(),
        classifier: vec![
            ClassifierRun { label: Text::new("with batch normalization", "带批量归一化"), config: config(true)? },
            ClassifierRun { label: Text::new("without batch normalization", "不带批量归一化"), config: config(false)? },
        ],
    })
}

/// The softmax outputs of row 0 of `x` in `mode` (running statistics untouched).
fn row0(net: &crate::nn::Network, x: &Matrix, mode: Mode) -> Result<Vec<f64>> {
    let mut ws = Workspace::default();
    forward(net, x, mode, &mut ws)?;
    let mut p = Matrix::default();
    softmax(ws.logits(), &mut p);
    Ok(p.row(0).to_vec())
}

fn largest_change(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

/// The measurement on a network with or without batch norm.
pub fn measure(batchnorm: bool) -> Result<Claim> {
    let mut c = Claim::default();
    let mut session = config(batchnorm)?.build()?;
    for _ in 0..EPOCHS {
        session.trainer.run_epoch()?;
    }
    let net = session.trainer.network();
    let data = session.trainer.train_data();
    // Row 0 with rows 1..ROWS, then with rows ROWS..2·ROWS−1.
    let first: Vec<usize> = (0..ROWS).collect();
    let second: Vec<usize> = std::iter::once(0).chain(ROWS..2 * ROWS - 1).collect();
    let (a, b) = (data.x.select_rows(&first), data.x.select_rows(&second));
    let alone = data.x.select_rows(&[0]);
    let train = largest_change(&row0(net, &a, Mode::Train)?, &row0(net, &b, Mode::Train)?);
    let eval_a = row0(net, &a, Mode::Eval)?;
    let eval = largest_change(&eval_a, &row0(net, &b, Mode::Eval)?);
    let single = largest_change(&eval_a, &row0(net, &alone, Mode::Eval)?);
    c.measure("batch norm", batchnorm);
    c.measure("rows in the batch", ROWS);
    c.greater(
        "train mode: largest change of the row's outputs when the other rows change",
        train,
        TRAIN_MIN,
    );
    c.less(
        "inference mode: largest change of the row's outputs when the other rows change",
        eval,
        EVAL_MAX,
    );
    c.less(
        "inference mode: largest difference between the row in the batch and alone",
        single,
        EVAL_MAX,
    );
    Ok(c)
}

fn check() -> Result<Check> {
    Ok(measure(true)?.finish(DEF.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_batch_norm_the_train_mode_dependence_fails() {
        let check = measure(false).unwrap().finish("control");
        assert!(!check.pass);
        assert!(!check.conditions[0].pass, "{:?}", check.conditions[0]);
        assert_eq!(check.conditions[0].value, 0.0);
        assert!(check.conditions[1].pass && check.conditions[2].pass);
    }
}
