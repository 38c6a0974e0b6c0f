//! Scene 6: cross-entropy vs MSE for softmax. Over two logits (the third fixed), MSE has a flat
//! plateau where a confidently wrong prediction gets almost no gradient; cross-entropy keeps a
//! slope there. The classifier agrees: from the same initialization CE trains faster.

use super::{run_config, Check, Claim, LabKind, Panel, Scene, SceneDef, SceneRun, Text};
use crate::error::Result;
use crate::expr::Formula;
use crate::nn::{train_config, TrainConfig};
use crate::sim::simulate;
use crate::surface::{logit_loss, LogitLoss, ViewBox};
use serde_json::json;

pub const DEF: SceneDef = SceneDef {
    id: "ce_vs_mse",
    build,
    check,
};

/// A confidently wrong prediction: the true class's logit is −5, another's is 5.
const START: [f64; 2] = [-5.0, 5.0];
const STEPS: usize = 100;

fn panel(loss: LogitLoss) -> Result<Panel> {
    let f = logit_loss(loss, 0.0)?;
    let (title, label) = match loss {
        LogitLoss::CrossEntropy => (
            Text::new("softmax + cross-entropy", "softmax + 交叉熵"),
            Text::new("GD on cross-entropy (η = 1)", "交叉熵上的梯度下降（η = 1）"),
        ),
        LogitLoss::Mse => (
            Text::new("softmax + MSE", "softmax + 均方误差"),
            Text::new("GD on MSE (η = 1)", "均方误差上的梯度下降（η = 1）"),
        ),
    };
    Ok(Panel {
        title,
        surface: f.source().to_string(),
        view: ViewBox {
            x: [-8.0, 8.0],
            y: [-8.0, 8.0],
        },
        runs: vec![SceneRun {
            label,
            config: run_config(f.source(), START, STEPS, json!({"name": "sgd", "lr": 1.0}))?,
        }],
        inspect: None,
    })
}

fn classifier(loss: &str) -> Result<TrainConfig> {
    TrainConfig::from_json(&crate::json_text::text(&json!({
        "data": {"name": "circle", "n": 400, "classes": 3, "noise": 0.05, "seed": 1},
        "hidden": [16, 16], "activation": "tanh", "loss": loss, "normalize_features": true,
        "optimizer": {"name": "sgd", "lr": 0.1}, "batch_size": 16, "epochs": 40, "seed": 0
    })))
}

fn build() -> Result<Scene> {
    Ok(Scene {
        id: DEF.id,
        version: 1,
        lab: LabKind::Surface,
        title: Text::new("Cross-entropy vs MSE", "交叉熵与均方误差"),
        explanation: Text::new("Both surfaces are the loss of one example of class 1 as a function of two logits (the third is 0). Minimizing cross-entropy is maximizing the likelihood of the right class, and its slope stays large when the prediction is confidently wrong. MSE between the softmax output and the one-hot label flattens out there: the gradient nearly vanishes and training stalls on a plateau.", "两个曲面都是一个第 1 类样本的损失，自变量是两个 logit（第三个固定为 0）。最小化交叉熵就是最大化正确类别的似然，当预测自信地出错时它的斜率仍然很大。softmax 输出与独热编码的标签之间的均方误差在那里变得平坦：梯度趋于零，训练停滞在高原上。"),
        formula_mathml: "<math display=\"block\"><mi>e</mi><mo>=</mo><mo>−</mo><munder><mo>∑</mo><mi>i</mi></munder><msub><mover><mi>y</mi><mo>^</mo></mover><mi>i</mi></msub><mi>ln</mi><msubsup><mi>y</mi><mi>i</mi><mo>′</mo></msubsup><mspace width=\"2em\"/><mi>e</mi><mo>=</mo><munder><mo>∑</mo><mi>i</mi></munder><msup><mrow><mo>(</mo><msub><mover><mi>y</mi><mo>^</mo></mover><mi>i</mi></msub><mo>−</mo><msubsup><mi>y</mi><mi>i</mi><mo>′</mo></msubsup><mo>)</mo></mrow><mn>2</mn></msup></math>",
        claim: Text::new("At the confidently wrong start (−5, 5) the MSE gradient is < 5% of the cross-entropy gradient; after 100 GD steps cross-entropy is below 0.05 while MSE is still above 1. The classifier agrees: from the same initialization, cross-entropy reaches 90% training accuracy in fewer epochs than MSE.", "在自信出错的起点 (−5, 5)，均方误差的梯度不到交叉熵梯度的 5%；梯度下降 100 步后交叉熵低于 0.05，而均方误差仍高于 1。分类器也印证了这一点：从相同的初始化出发，交叉熵比均方误差更少的轮数达到 90% 的训练准确率。"),
        panels: vec![panel(LogitLoss::CrossEntropy)?, panel(LogitLoss::Mse)?],
        classifier: Vec::new(),
    })
}

fn epochs_to(report: &crate::nn::TrainReport, accuracy: f64) -> f64 {
    report
        .epochs
        .iter()
        .find(|e| e.train.accuracy >= accuracy)
        .map_or(f64::INFINITY, |e| e.epoch as f64)
}

fn check() -> Result<Check> {
    let mut c = Claim::default();
    let (ce, mse) = (
        logit_loss(LogitLoss::CrossEntropy, 0.0)?,
        logit_loss(LogitLoss::Mse, 0.0)?,
    );
    let norm = |f: &Formula| {
        let (_, g) = f.gradient(START[0], START[1]);
        g[0].hypot(g[1])
    };
    c.less("|∇MSE| / |∇CE| at the start", norm(&mse) / norm(&ce), 0.05);
    let end = |f: &Formula| -> Result<f64> {
        let tr = simulate(&run_config(
            f.source(),
            START,
            STEPS,
            json!({"name": "sgd", "lr": 1.0}),
        )?)?;
        Ok(*tr.loss.last().unwrap_or(&f64::NAN))
    };
    c.less("cross-entropy after 100 steps", end(&ce)?, 0.05);
    c.greater("MSE after 100 steps", end(&mse)?, 1.0);
    let (rc, rm) = (
        train_config(&classifier("cross_entropy")?)?,
        train_config(&classifier("mse")?)?,
    );
    let (ec, em) = (epochs_to(&rc, 0.9), epochs_to(&rm, 0.9));
    c.measure(
        "classifier (3-class circle, SGD 0.1): epochs to 90% train accuracy, CE",
        ec,
    );
    c.measure("classifier: epochs to 90% train accuracy, MSE", em);
    c.greater("classifier: epochs to 90% (MSE) minus (CE)", em - ec, 0.0);
    c.less("classifier: epochs to 90% with cross-entropy", ec, 40.0);
    Ok(c.finish(DEF.id))
}
