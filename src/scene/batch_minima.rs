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
/// The flat minimum.
const FLAT: [f64; 2] = [1.5, 0.0];
const STEPS: usize = 1500;
const LR: f64 = 0.05;
const SCALE: f64 = 3.0;
pub const RUNS: u64 = 200;
pub const SMALL: usize = 1;
pub const LARGE: usize = 64;
/// With B = SMALL more than this fraction of the runs ends in the flat basin.
pub const SMALL_FLAT: f64 = 0.5;
/// With B = LARGE fewer than this fraction does.
pub const LARGE_FLAT: f64 = 0.05;

fn noisy(batch: usize, seed: u64) -> Result<RunConfig> {
    let mut cfg = run_config(SURFACE, START, STEPS, json!({"name": "sgd", "lr": LR}))?;
    cfg.noise = Some(NoiseConfig {
        batch_size: batch,
        scale: SCALE,
        seed,
    });
    Ok(cfg)
}

/// The largest curvature (Hessian eigenvalue) of the surface at `p`.
fn curvature(p: [f64; 2]) -> Result<f64> {
    let f = crate::surface::resolve(SURFACE)?;
    let e = crate::critical::inspect(&f, p).eigenvalues;
    Ok(e[0].max(e[1]))
}

fn build() -> Result<Scene> {
    let (small, large, runs) = (SMALL, LARGE, RUNS);
    let (ks, kf) = (curvature(START)?, curvature(FLAT)?);
    let (sf, lf) = (SMALL_FLAT * 100.0, LARGE_FLAT * 100.0);
    Ok(Scene {
        id: DEF.id,
        version: 2,
        lab: LabKind::Surface,
        title: Text::new("Small batches find flat minima", "较小的批量找到平坦的局部最小值"),
        explanation: Text::owned(
            format!("A minibatch gradient is the full gradient plus noise whose variance falls as 1/B. Both minima here have loss 0, but the left one is sharp (curvature ≈ {ks:.0}) and the right one flat (≈ {kf:.0}). Runs start in the sharp minimum. With B = {small} the noise kicks most of them out, and once in the wide flat basin they stay; with B = {large} they never leave. Flat minima are also the ones that generalize better when the test loss is a shifted copy of the training loss. This flat-versus-sharp story is one explanation of why small batches generalize better, not a settled fact: not everyone believes it, and it is still being researched."),
            format!("批量梯度等于完整梯度加上噪声，噪声方差随 1/B 减小。这里两个局部最小值的损失都是 0，但左边的尖锐（曲率 ≈ {ks:.0}），右边的平坦（≈ {kf:.0}）。所有运行都从尖锐的局部最小值出发。B = {small} 时噪声把大多数运行踢出去，一旦进入宽阔的平坦盆地就留在那里；B = {large} 时它们从不离开。当测试损失是训练损失的平移时，平坦的局部最小值泛化得也更好。“平坦与尖锐”的说法只是较小的批量泛化更好的一种解释，而不是定论：并非所有人都相信它，这仍在研究之中。"),
        ),
        formula_mathml: "<math display=\"block\"><msub><mi>g</mi><mi>B</mi></msub><mo>=</mo><mi>∇</mi><mi>L</mi><mo>(</mo><mi>θ</mi><mo>)</mo><mo>+</mo><mi>ε</mi><mo>,</mo><mspace width=\"1em\"/><mi>ε</mi><mo>∼</mo><mi mathvariant=\"script\">N</mi><mo>(</mo><mn>0</mn><mo>,</mo><mfrac><msup><mi>s</mi><mn>2</mn></msup><mi>B</mi></mfrac><mi>I</mi><mo>)</mo></math>",
        claim: Text::owned(
            format!("Of {runs} seeded runs from the sharp minimum, more than {sf}% end in the flat basin with B = {small}, and fewer than {lf}% with B = {large} (the basin is where gradient descent from the final point settles). That small batches end in flat minima is measured here; that flat minima are why small batches generalize better is one explanation, not everyone believes it, and it is still being researched."),
            format!("从尖锐的局部最小值出发的 {runs} 次带种子运行中，B = {small} 时超过 {sf}% 最终落在平坦盆地，B = {large} 时不到 {lf}%（盆地由从终点出发的梯度下降最终停下的位置决定）。这里测量的是较小的批量最终落在平坦的局部最小值；至于平坦的局部最小值是否就是较小的批量泛化更好的原因，这只是一种解释，并非所有人都相信，仍在研究之中。"),
        ),
        panels: vec![preset_panel(
            SURFACE,
            vec![
                SceneRun { label: Text::owned(format!("Small batch, B = {small}"), format!("较小的批量，B = {small}")), config: noisy(SMALL, 1)? },
                SceneRun { label: Text::owned(format!("Large batch, B = {large}"), format!("较大的批量，B = {large}")), config: noisy(LARGE, 1)? },
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
        &format!("B = {SMALL}: fraction of runs ending in the flat basin"),
        small as f64 / n,
        SMALL_FLAT,
    );
    c.less(
        &format!("B = {LARGE}: fraction of runs ending in the flat basin"),
        large as f64 / n,
        LARGE_FLAT,
    );
    c.measure("runs per batch size", RUNS);
    c.measure("largest curvature at the sharp minimum", curvature(START)?);
    c.measure("largest curvature at the flat minimum", curvature(FLAT)?);
    c.measure(
        &format!("B = {SMALL} basins [sharp, flat]"),
        [RUNS - small, small],
    );
    c.measure(
        &format!("B = {LARGE} basins [sharp, flat]"),
        [RUNS - large, large],
    );
    Ok(c.finish(DEF.id))
}
