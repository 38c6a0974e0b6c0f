//! Scene: one-hot labels and softmax. A classifier outputs one logit per class; softmax turns
//! them into outputs in (0, 1) that sum to 1 and widens the gaps between them, so they can be
//! compared with a one-hot label, which keeps every two classes equally far apart. Measured on
//! the lecture's logits (3, 1, −3) and on a trained three-class classifier's test outputs.

use super::{train_config, Check, Claim, ClassifierRun, LabKind, Scene, SceneDef, Text};
use crate::error::Result;
use crate::nn::loss::softmax;
use crate::nn::{Matrix, TrainConfig};
use serde_json::json;

pub const DEF: SceneDef = SceneDef {
    id: "softmax",
    build,
    check,
};

/// The lecture's logits.
pub const LOGITS: [f64; 3] = [3.0, 1.0, -3.0];
const CLASSES: usize = 3;
const EPOCHS: usize = 20;
/// How far from 1 a sum of outputs may be (rounding only).
pub const SUM_TOL: f64 = 1e-12;

fn config() -> Result<TrainConfig> {
    train_config(json!({
        "data": {"name": "circle", "n": 400, "classes": CLASSES, "noise": 0.05, "seed": 1},
        "hidden": [16, 16], "activation": "tanh", "loss": "cross_entropy",
        "normalize_features": true, "optimizer": {"name": "adam", "lr": 0.01},
        "batch_size": 16, "epochs": EPOCHS, "seed": 0, "noise_batches": 0
    }))
}

/// softmax of one row of logits, by the core's softmax.
pub fn softmax_row(z: &[f64]) -> Vec<f64> {
    let logits = Matrix::from_vec(1, z.len(), z.to_vec()).expect("one row");
    let mut p = Matrix::default();
    softmax(&logits, &mut p);
    p.row(0).to_vec()
}

/// The one-hot label of `class` among `classes`.
pub fn one_hot(class: usize, classes: usize) -> Vec<f64> {
    (0..classes)
        .map(|k| f64::from(u8::from(k == class)))
        .collect()
}

fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f64>()
        .sqrt()
}

/// The two largest values of `v`, largest first.
fn top_two(v: &[f64]) -> (f64, f64) {
    let mut s = v.to_vec();
    s.sort_by(|a, b| b.total_cmp(a));
    (s[0], s[1])
}

/// `v` with `digits` decimals, comma-separated.
fn rounded(v: &[f64], digits: usize) -> String {
    v.iter()
        .map(|x| format!("{x:.digits$}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn build() -> Result<Scene> {
    let z = rounded(&LOGITS, 2).replace("-", "−");
    let p = rounded(&softmax_row(&LOGITS), 3);
    let (z1, z2) = top_two(&LOGITS);
    let (p1, p2) = top_two(&softmax_row(&LOGITS));
    let (zr, pr) = (format!("{:.2}", z1 / z2), format!("{:.2}", p1 / p2));
    let c = CLASSES;
    let numbers = (1..=c)
        .map(|k| k.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let (z1s, z2s) = (format!("{z1:.2}"), format!("{z2:.2}"));
    Ok(Scene {
        id: DEF.id,
        version: 1,
        lab: LabKind::Classifier,
        title: Text::new("Softmax and one-hot labels", "softmax 与独热编码"),
        explanation: Text::owned(
            format!("A classifier outputs one number per class, a logit y_i, which may be any real number. Softmax turns them into outputs y′_i = exp(y_i) / Σ_j exp(y_j): each lies between 0 and 1 and together they sum to 1, so they can be compared with the label written as a one-hot vector ŷ (1 at the true class, 0 elsewhere). One-hot labels keep every two classes equally far apart; numbering the classes {numbers} would make class 1 closer to class 2 than to class {c}. Exponentiating also widens the gaps: the logits ({z}) become ({p}); the two largest logits are in ratio {zr}, their outputs in ratio {pr}. The picture shows the trained network's softmax outputs over the plane, one colour per class."),
            format!("分类器对每个类别输出一个数，即 logit y_i，它可以是任意实数。softmax 把它们变成输出 y′_i = exp(y_i) / Σ_j exp(y_j)：每个都在 0 和 1 之间，总和为 1，于是可以和写成独热编码向量 ŷ 的标签比较（正确类别处为 1，其余为 0）。独热编码让任意两个类别的距离都相等；把类别编号为 {numbers} 则会让第 1 类离第 2 类比离第 {c} 类更近。取指数还会拉大差距：logit ({z}) 变成 ({p})；最大的两个 logit 之比为 {zr}，它们的输出之比为 {pr}。图中是训练后网络在平面上的 softmax 输出，每个类别一种颜色。"),
        ),
        formula_mathml: "<math display=\"block\"><msubsup><mi>y</mi><mi>i</mi><mo>′</mo></msubsup><mo>=</mo><mfrac><mrow><mi>exp</mi><mo>(</mo><msub><mi>y</mi><mi>i</mi></msub><mo>)</mo></mrow><mrow><munder><mo>∑</mo><mi>j</mi></munder><mi>exp</mi><mo>(</mo><msub><mi>y</mi><mi>j</mi></msub><mo>)</mo></mrow></mfrac><mo>,</mo><mspace width=\"1em\"/><mn>0</mn><mo>&lt;</mo><msubsup><mi>y</mi><mi>i</mi><mo>′</mo></msubsup><mo>&lt;</mo><mn>1</mn><mo>,</mo><mspace width=\"1em\"/><munder><mo>∑</mo><mi>i</mi></munder><msubsup><mi>y</mi><mi>i</mi><mo>′</mo></msubsup><mo>=</mo><mn>1</mn><mo>,</mo><mspace width=\"1em\"/><mover><mi>y</mi><mo>^</mo></mover><mo>=</mo><msup><mrow><mo>[</mo><mn>1</mn><mspace width=\"0.3em\"/><mn>0</mn><mspace width=\"0.3em\"/><mn>0</mn><mo>]</mo></mrow><mi>T</mi></msup></math>",
        claim: Text::owned(
            format!("For the logits ({z}) the softmax outputs lie strictly between 0 and 1 and sum to 1 (within {SUM_TOL:e}), and the two largest outputs are in a larger ratio than the two largest logits: exp({z1s} − {z2s}) = {pr} against {z1s} / {z2s} = {zr}. The trained {c}-class classifier's outputs on every test point also lie strictly between 0 and 1, each point's summing to 1 (within {SUM_TOL:e}). The {c} one-hot labels are all the same distance apart."),
            format!("对 logit ({z})，softmax 输出严格位于 0 和 1 之间且总和为 1（误差在 {SUM_TOL:e} 以内），最大的两个输出之比大于最大的两个 logit 之比：exp({z1s} − {z2s}) = {pr}，而 {z1s} / {z2s} = {zr}。训练后的 {c} 类分类器在每个测试点上的输出也都严格位于 0 和 1 之间，每个点的输出总和为 1（误差在 {SUM_TOL:e} 以内）。{c} 个独热编码标签两两之间距离都相等。"),
        ),
        panels: Vec::new(),
        classifier: vec![ClassifierRun {
            label: Text::owned(
                format!("{c} classes, softmax + cross-entropy"),
                format!("{c} 个类别，softmax + 交叉熵"),
            ),
            config: config()?,
        }],
    })
}

/// The conditions on outputs `p` of one row of logits `z` (any normalization of them).
pub fn judge_outputs(c: &mut Claim, what: &str, z: &[f64], p: &[f64]) {
    let min = p.iter().copied().fold(f64::INFINITY, f64::min);
    let max = p.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let sum: f64 = p.iter().sum();
    c.greater(&format!("{what}: smallest output"), min, 0.0);
    c.less(&format!("{what}: largest output"), max, 1.0);
    c.less(
        &format!("{what}: |sum of outputs − 1|"),
        (sum - 1.0).abs(),
        SUM_TOL,
    );
    let (z1, z2) = top_two(z);
    let (p1, p2) = top_two(p);
    c.greater(
        &format!("{what}: ratio of the two largest outputs / ratio of the two largest logits"),
        (p1 / p2) / (z1 / z2),
        1.0,
    );
}

/// The conditions on the one-hot labels of `classes` classes.
pub fn judge_labels(c: &mut Claim, labels: &[Vec<f64>]) {
    let mut d = Vec::new();
    for i in 0..labels.len() {
        for j in i + 1..labels.len() {
            d.push(distance(&labels[i], &labels[j]));
        }
    }
    let max = d.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = d.iter().copied().fold(f64::INFINITY, f64::min);
    c.measure("distances between the labels", &d);
    c.less(
        "labels: largest − smallest distance between two classes",
        max - min,
        1e-12,
    );
    c.greater("labels: smallest distance between two classes", min, 0.0);
}

fn check() -> Result<Check> {
    let mut c = Claim::default();
    let p = softmax_row(&LOGITS);
    c.measure("logits", LOGITS);
    c.measure("softmax outputs", &p);
    judge_outputs(&mut c, "softmax of the logits", &LOGITS, &p);
    let labels: Vec<Vec<f64>> = (0..CLASSES).map(|k| one_hot(k, CLASSES)).collect();
    judge_labels(&mut c, &labels);
    let numbered: Vec<f64> = (1..=CLASSES).map(|k| k as f64).collect();
    c.measure(
        "classes numbered 1, 2, …: distance from class 1 to each other class",
        numbered[1..]
            .iter()
            .map(|k| (k - numbered[0]).abs())
            .collect::<Vec<_>>(),
    );
    let mut session = config()?.build()?;
    for _ in 0..EPOCHS {
        session.trainer.run_epoch()?;
    }
    let test = session.trainer.test_data().expect("a test split").x.clone();
    let probs = session.trainer.predict_proba(&test)?;
    let (mut min, mut max, mut worst) = (f64::INFINITY, f64::NEG_INFINITY, 0.0f64);
    for i in 0..probs.rows() {
        let row = probs.row(i);
        min = row.iter().copied().fold(min, f64::min);
        max = row.iter().copied().fold(max, f64::max);
        worst = worst.max((row.iter().sum::<f64>() - 1.0).abs());
    }
    c.measure("trained classifier: test points", probs.rows());
    c.measure(
        "trained classifier: test accuracy",
        session.trainer.evaluate_test()?.map(|e| e.accuracy),
    );
    c.greater("trained classifier: smallest output", min, 0.0);
    c.less("trained classifier: largest output", max, 1.0);
    c.less(
        "trained classifier: largest |sum of a row's outputs − 1|",
        worst,
        SUM_TOL,
    );
    Ok(c.finish(DEF.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(p: &[f64]) -> Check {
        let mut c = Claim::default();
        judge_outputs(&mut c, "x", &LOGITS, p);
        c.finish("x")
    }

    #[test]
    fn softmax_passes_and_raw_or_sum_normalized_logits_fail() {
        assert!(judged(&softmax_row(&LOGITS)).pass);
        let raw = judged(&LOGITS);
        assert!(!raw.pass);
        assert!(!raw.conditions[0].pass, "a raw logit is negative");
        let sum: f64 = LOGITS.iter().sum();
        let by_sum: Vec<f64> = LOGITS.iter().map(|z| z / sum).collect();
        let c = judged(&by_sum);
        assert!(c.conditions[2].pass, "dividing by the sum sums to 1");
        assert!(!c.conditions[0].pass && !c.conditions[1].pass, "{c:?}");
        assert!(!c.conditions[3].pass, "dividing by the sum keeps the ratio");
    }

    #[test]
    fn numbered_classes_are_not_equally_far_apart() {
        let mut c = Claim::default();
        judge_labels(&mut c, &[vec![1.0], vec![2.0], vec![3.0]]);
        assert!(!c.finish("x").pass);
        let mut c = Claim::default();
        judge_labels(&mut c, &(0..4).map(|k| one_hot(k, 4)).collect::<Vec<_>>());
        assert!(c.finish("x").pass);
    }
}
