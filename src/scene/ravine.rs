//! Scene 3: the lecture's convex error surface, a ravine with condition number 100. A large
//! lr bounces across it, a small lr crawls, the lecture's Adagrad reaches the bottom and then
//! bursts sideways, and learning-rate decay settles it.

use super::{preset_panel, run_config, Check, Claim, LabKind, Scene, SceneDef, SceneRun, Text};
use crate::error::Result;
use crate::sim::{simulate, Trajectory};
use serde_json::json;

pub const DEF: SceneDef = SceneDef {
    id: "ravine",
    build,
    check,
};

const SURFACE: &str = "ravine_steep";
const START: [f64; 2] = [4.0, 1.0];
const STEPS: usize = 300;

fn runs() -> Result<Vec<SceneRun>> {
    let mut decayed = run_config(
        SURFACE,
        START,
        STEPS,
        json!({"name": "adagrad", "variant": "lecture", "lr": 0.5}),
    )?;
    decayed.schedule = Some(
        serde_json::from_value(json!({"name": "exponential", "gamma": 0.98}))
            .map_err(|e| crate::Error::Config(e.to_string()))?,
    );
    Ok(vec![
        SceneRun {
            label: Text::new(
                "GD, large lr 0.199 (2/λmax = 0.2)",
                "梯度下降，大学习率 0.199（2/λmax = 0.2）",
            ),
            config: run_config(SURFACE, START, STEPS, json!({"name": "sgd", "lr": 0.199}))?,
        },
        SceneRun {
            label: Text::new("GD, small lr 0.01", "梯度下降，小学习率 0.01"),
            config: run_config(SURFACE, START, STEPS, json!({"name": "sgd", "lr": 0.01}))?,
        },
        SceneRun {
            label: Text::new("Adagrad (lecture), η 0.5", "Adagrad（课程版），η 0.5"),
            config: run_config(
                SURFACE,
                START,
                STEPS,
                json!({"name": "adagrad", "variant": "lecture", "lr": 0.5}),
            )?,
        },
        SceneRun {
            label: Text::new(
                "Adagrad + decay η(t) = 0.5·0.98ᵗ",
                "Adagrad + 衰减 η(t) = 0.5·0.98ᵗ",
            ),
            config: decayed,
        },
    ])
}

fn build() -> Result<Scene> {
    Ok(Scene {
        id: DEF.id,
        version: 1,
        lab: LabKind::Surface,
        title: Text::new("Adaptive learning rates in a ravine", "峡谷中的自适应学习率"),
        explanation: Text::new("The loss 0.05x² + 5y² is convex, yet hard: the curvature across the valley is 100 times the curvature along it. With one learning rate for both, a large one bounces from wall to wall (the loss stalls while the gradient stays large) and a small one crawls along the floor. The lecture's Adagrad divides by the root mean square of past gradients per parameter and reaches the bottom fast — but as σ shrinks the steps grow and it bursts sideways. Decaying η(t) settles it.", "损失 0.05x² + 5y² 是凸的，却很难优化：横跨山谷的曲率是沿山谷方向的 100 倍。两个方向共用一个学习率时，大学习率在谷壁间来回反弹（梯度仍很大，损失却停滞），小学习率则沿谷底缓慢爬行。课程版 Adagrad 按每个参数过去梯度的均方根来缩放，很快到达谷底——但随着 σ 变小，步长变大，它会向侧面爆发。让 η(t) 随时间衰减就能稳定下来。"),
        formula_mathml: "<math display=\"block\"><msubsup><mi>θ</mi><mi>i</mi><mrow><mi>t</mi><mo>+</mo><mn>1</mn></mrow></msubsup><mo>←</mo><msubsup><mi>θ</mi><mi>i</mi><mi>t</mi></msubsup><mo>−</mo><mfrac><msup><mi>η</mi><mi>t</mi></msup><msubsup><mi>σ</mi><mi>i</mi><mi>t</mi></msubsup></mfrac><msubsup><mi>g</mi><mi>i</mi><mi>t</mi></msubsup><mo>,</mo><mspace width=\"1em\"/><msubsup><mi>σ</mi><mi>i</mi><mi>t</mi></msubsup><mo>=</mo><msqrt><mrow><mfrac><mn>1</mn><mrow><mi>t</mi><mo>+</mo><mn>1</mn></mrow></mfrac><munderover><mo>∑</mo><mrow><mi>k</mi><mo>=</mo><mn>0</mn></mrow><mi>t</mi></munderover><msup><mrow><mo>(</mo><msubsup><mi>g</mi><mi>i</mi><mi>k</mi></msubsup><mo>)</mo></mrow><mn>2</mn></msup></mrow></msqrt></math>",
        claim: Text::new("Large lr: y changes sign at ≥ 95% of the first 100 steps and after 100 steps the loss is still > 0.3 with |∇L| > 1; small lr: x is still > 2.5 after 300 steps; lecture Adagrad reaches loss < 10⁻⁶ and later bursts to loss > 1; with decay the loss never climbs above 10⁻³ once below 10⁻⁶ and ends < 10⁻¹⁰.", "大学习率：前 100 步中 ≥ 95% 的步 y 变号，100 步后损失仍 > 0.3 且 |∇L| > 1；小学习率：300 步后 x 仍 > 2.5；课程版 Adagrad 损失降到 < 10⁻⁶ 后又爆发到 > 1；加上衰减后，损失一旦低于 10⁻⁶ 就不再超过 10⁻³，最终 < 10⁻¹⁰。"),
        panels: vec![preset_panel(SURFACE, runs()?)?],
        classifier: Vec::new(),
    })
}

/// The largest loss after the run first gets below `low` (None if it never does).
fn after_low(tr: &Trajectory, low: f64) -> Option<(usize, f64)> {
    let first = tr.loss.iter().position(|&l| l < low)?;
    Some((
        first,
        tr.loss[first..]
            .iter()
            .cloned()
            .fold(f64::NEG_INFINITY, f64::max),
    ))
}

fn check() -> Result<Check> {
    let mut c = Claim::default();
    let runs = runs()?;
    let tr: Vec<Trajectory> = runs
        .iter()
        .map(|r| simulate(&r.config))
        .collect::<Result<_>>()?;
    let big = &tr[0];
    let flips = (1..=100).filter(|&t| big.y[t] * big.y[t - 1] < 0.0).count() as f64 / 100.0;
    c.greater(
        "large lr: fraction of the first 100 steps where y changes sign",
        flips,
        0.95,
    );
    c.greater("large lr: loss after 100 steps", big.loss[100], 0.3);
    c.greater(
        "large lr: |gradient| after 100 steps",
        big.gx[100].hypot(big.gy[100]),
        1.0,
    );
    c.greater(
        "small lr: x after 300 steps",
        *tr[1].x.last().unwrap_or(&f64::NAN),
        2.5,
    );
    let (first, peak) = after_low(&tr[2], 1e-6).unwrap_or((0, f64::NAN));
    c.measure("Adagrad: first step with loss < 1e-6", first);
    c.greater(
        "Adagrad: largest loss after first reaching 1e-6 (the burst)",
        peak,
        1.0,
    );
    let (_, settled) = after_low(&tr[3], 1e-6).unwrap_or((0, f64::NAN));
    c.less(
        "Adagrad + decay: largest loss after first reaching 1e-6",
        settled,
        1e-3,
    );
    c.less(
        "Adagrad + decay: final loss",
        *tr[3].loss.last().unwrap_or(&f64::NAN),
        1e-10,
    );
    Ok(c.finish(DEF.id))
}
