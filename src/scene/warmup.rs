//! Scene 5: warm-up. Adam's first steps are about η in every coordinate whatever the gradient
//! (m̂/√v̂ ≈ ±1 from a single sample): with a large η they throw the run out of the basin it
//! starts in. Warming η up from a small value, or a smaller η as RAdam's safe start needs,
//! keeps it there.

use super::{preset_panel, run_config, Check, Claim, LabKind, Scene, SceneDef, SceneRun, Text};
use crate::error::{Error, Result};
use crate::sim::simulate;
use serde_json::json;

pub const DEF: SceneDef = SceneDef {
    id: "warmup",
    build,
    check,
};

const SURFACE: &str = "double_well";
/// Near the global minimum (−1.30, 0).
const START: [f64; 2] = [-1.1, 0.5];
const STEPS: usize = 300;
const HUMP_X: f64 = 0.1699;

fn runs() -> Result<Vec<SceneRun>> {
    let mut warm = run_config(SURFACE, START, STEPS, json!({"name": "adam", "lr": 1.0}))?;
    warm.schedule = Some(
        serde_json::from_value(
            json!({"name": "linear", "start_factor": 0.01, "end_factor": 1.0, "total_iters": 100}),
        )
        .map_err(|e| Error::Config(e.to_string()))?,
    );
    Ok(vec![
        SceneRun {
            label: Text::new("Adam, η = 1, no warm-up", "Adam，η = 1，无预热"),
            config: run_config(SURFACE, START, STEPS, json!({"name": "adam", "lr": 1.0}))?,
        },
        SceneRun {
            label: Text::new(
                "Adam, η warmed up 0.01 → 1 over 100 steps",
                "Adam，η 在 100 步内从 0.01 预热到 1",
            ),
            config: warm,
        },
        SceneRun {
            label: Text::new("RAdam, η = 0.2", "RAdam，η = 0.2"),
            config: run_config(SURFACE, START, STEPS, json!({"name": "radam", "lr": 0.2}))?,
        },
    ])
}

fn build() -> Result<Scene> {
    Ok(Scene {
        id: DEF.id,
        version: 1,
        lab: LabKind::Surface,
        title: Text::new("Warm-up: small steps first", "预热：先迈小步"),
        explanation: Text::new("At the start an adaptive optimizer knows little: σ comes from one or two gradients, so Adam's first steps are about η in each coordinate, however small the gradient. Started next to the global minimum, Adam with η = 1 is thrown over the hump into the worse basin. Warm-up lets η grow from 1% of its value while σ becomes a reliable average; RAdam takes plain momentum steps until its variance estimate is trustworthy (which needs a modest η here).", "刚开始时自适应优化器所知甚少：σ 只来自一两个梯度，所以无论梯度多小，Adam 最初每个坐标都迈出约 η 的一步。从全局最小值旁出发，η = 1 的 Adam 被甩过小坡，落入更差的盆地。预热让 η 从 1% 开始增长，等 σ 成为可靠的平均；RAdam 在方差估计可信之前采用普通的动量步（这里需要适中的 η）。"),
        formula_mathml: "<math display=\"block\"><msup><mi>θ</mi><mrow><mi>t</mi><mo>+</mo><mn>1</mn></mrow></msup><mo>←</mo><msup><mi>θ</mi><mi>t</mi></msup><mo>−</mo><mfrac><msup><mi>η</mi><mi>t</mi></msup><msup><mi>σ</mi><mi>t</mi></msup></mfrac><msup><mi>m</mi><mi>t</mi></msup><mo>,</mo><mspace width=\"1em\"/><msup><mi>η</mi><mi>t</mi></msup><mo>=</mo><mi>η</mi><mo>·</mo><mo>min</mo><mo>(</mo><mn>1</mn><mo>,</mo><mn>0.01</mn><mo>+</mo><mn>0.99</mn><mfrac><mi>t</mi><mn>100</mn></mfrac><mo>)</mo></math>",
        claim: Text::new("Without warm-up the longest of Adam's first 10 steps is > 0.9 and the run ends in the local basin (x > 0.17); with warm-up the longest is < 0.2 and it ends in the global minimum (loss < −3.5); RAdam with η = 0.2 ends there too.", "无预热时，Adam 前 10 步中最长的一步 > 0.9，最终落入局部盆地（x > 0.17）；有预热时最长一步 < 0.2，最终到达全局最小值（损失 < −3.5）；η = 0.2 的 RAdam 也到达那里。"),
        panels: vec![preset_panel(SURFACE, runs()?)?],
        classifier: Vec::new(),
    })
}

fn check() -> Result<Check> {
    let mut c = Claim::default();
    let runs = runs()?;
    let tr: Vec<_> = runs
        .iter()
        .map(|r| simulate(&r.config))
        .collect::<Result<_>>()?;
    let longest = |k: usize| {
        (1..=10)
            .map(|t| (tr[k].x[t] - tr[k].x[t - 1]).hypot(tr[k].y[t] - tr[k].y[t - 1]))
            .fold(0.0, f64::max)
    };
    let end_x = |k: usize| *tr[k].x.last().unwrap_or(&f64::NAN);
    let end_loss = |k: usize| *tr[k].loss.last().unwrap_or(&f64::NAN);
    c.greater("no warm-up: longest of the first 10 steps", longest(0), 0.9);
    c.greater("no warm-up: final x (local basin)", end_x(0), HUMP_X);
    c.less("warm-up: longest of the first 10 steps", longest(1), 0.2);
    c.less(
        "warm-up: final loss (global minimum −3.514)",
        end_loss(1),
        -3.5,
    );
    c.less("RAdam: final loss", end_loss(2), -3.5);
    c.measure("RAdam: longest of the first 10 steps", longest(2));
    Ok(c.finish(DEF.id))
}
