//! Scene 8: batch size and minima. On a surface with a sharp and a flat minimum of equal
//! depth, many seeded noisy runs start in the sharp one: with small batches (large gradient
//! noise) most escape and end in the flat basin; with large batches they stay.

use super::{preset_panel, run_config, Check, Claim, LabKind, Scene, SceneDef, SceneRun, Text};
use crate::config::{NoiseConfig, RunConfig};
use crate::error::Result;
use crate::sim::simulate;
use serde_json::json;

pub const DEF: SceneDef = SceneDef {
    id: "batch_minima",
    build,
    check,
};

const SURFACE: &str = "sharp_flat";
/// The sharp minimum.
const START: [f64; 2] = [-1.5, 0.0];
const STEPS: usize = 1500;
const LR: f64 = 0.05;
const SCALE: f64 = 3.0;
pub const RUNS: u64 = 200;
pub const SMALL: usize = 1;
pub const LARGE: usize = 64;

fn noisy(batch: usize, seed: u64) -> Result<RunConfig> {
    let mut cfg = run_config(SURFACE, START, STEPS, json!({"name": "sgd", "lr": LR}))?;
    cfg.noise = Some(NoiseConfig {
        batch_size: batch,
        scale: SCALE,
        seed,
    });
    Ok(cfg)
}

fn build() -> Result<Scene> {
    Ok(Scene {
        id: DEF.id,
        version: 1,
        lab: LabKind::Surface,
        title: Text::new("Small batches find flat minima", "小批量找到平坦的最小值"),
        explanation: Text::new("A minibatch gradient is the full gradient plus noise whose variance falls as 1/B. Both minima here have loss 0, but the left one is sharp (curvature ≈ 16) and the right one flat (≈ 1). Runs start in the sharp minimum. With B = 1 the noise kicks most of them out, and once in the wide flat basin they stay; with B = 64 they never leave. Flat minima are also the ones that generalize better when the test loss is a shifted copy of the training loss.", "小批量梯度等于完整梯度加上噪声，噪声方差随 1/B 减小。这里两个最小值的损失都是 0，但左边的尖锐（曲率 ≈ 16），右边的平坦（≈ 1）。所有运行都从尖锐的最小值出发。B = 1 时噪声把大多数运行踢出去，一旦进入宽阔的平坦盆地就留在那里；B = 64 时它们从不离开。当测试损失是训练损失的平移时，平坦的最小值泛化得也更好。"),
        formula_mathml: "<math display=\"block\"><msub><mi>g</mi><mi>B</mi></msub><mo>=</mo><mi>∇</mi><mi>L</mi><mo>(</mo><mi>θ</mi><mo>)</mo><mo>+</mo><mi>ε</mi><mo>,</mo><mspace width=\"1em\"/><mi>ε</mi><mo>∼</mo><mi mathvariant=\"script\">N</mi><mo>(</mo><mn>0</mn><mo>,</mo><mfrac><msup><mi>s</mi><mn>2</mn></msup><mi>B</mi></mfrac><mi>I</mi><mo>)</mo></math>",
        claim: Text::new("Of 200 seeded runs from the sharp minimum, more than half end in the flat basin with B = 1, and fewer than 5% with B = 64 (the basin is where gradient descent from the final point settles).", "从尖锐最小值出发的 200 次带种子运行中，B = 1 时超过一半最终落在平坦盆地，B = 64 时不到 5%（盆地由从终点出发的梯度下降最终停下的位置决定）。"),
        panels: vec![preset_panel(
            SURFACE,
            vec![
                SceneRun { label: Text::new("Small batch, B = 1", "小批量，B = 1"), config: noisy(SMALL, 1)? },
                SceneRun { label: Text::new("Large batch, B = 64", "大批量，B = 64"), config: noisy(LARGE, 1)? },
            ],
        )?],
        classifier: Vec::new(),
    })
}

/// The basin a point belongs to: where plain gradient descent from it settles (x < 0: sharp).
fn ends_flat(p: [f64; 2]) -> Result<bool> {
    let tr = simulate(&run_config(
        SURFACE,
        p,
        3000,
        json!({"name": "sgd", "lr": LR}),
    )?)?;
    Ok(*tr.x.last().unwrap_or(&f64::NAN) > 0.0)
}

/// How many of `RUNS` seeded runs with this batch size end in the flat basin.
pub fn flat_count(batch: usize) -> Result<u64> {
    let mut flat = 0;
    for seed in 0..RUNS {
        let tr = simulate(&noisy(batch, seed)?)?;
        let end = [
            *tr.x.last().unwrap_or(&f64::NAN),
            *tr.y.last().unwrap_or(&f64::NAN),
        ];
        flat += u64::from(ends_flat(end)?);
    }
    Ok(flat)
}

fn check() -> Result<Check> {
    let mut c = Claim::default();
    let (small, large) = (flat_count(SMALL)?, flat_count(LARGE)?);
    let n = RUNS as f64;
    c.greater(
        "B = 1: fraction of runs ending in the flat basin",
        small as f64 / n,
        0.5,
    );
    c.less(
        "B = 64: fraction of runs ending in the flat basin",
        large as f64 / n,
        0.05,
    );
    c.measure("runs per batch size", RUNS);
    c.measure("B = 1 basins [sharp, flat]", [RUNS - small, small]);
    c.measure("B = 64 basins [sharp, flat]", [RUNS - large, large]);
    Ok(c.finish(DEF.id))
}
