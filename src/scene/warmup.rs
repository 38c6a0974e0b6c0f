//! Scene: warm-up, as the lecture draws it — η(t) rises first, then decays. Adam's first steps
//! are about η in every coordinate whatever the gradient (m̂/√v̂ ≈ ±1 from one sample): at a
//! large peak η they throw the run out of its basin. Warming up first keeps it there, and so
//! does RAdam (its own warm-up: plain momentum steps until its variance estimate is reliable).

use super::{run_config, Check, Claim, LabKind, Panel, Scene, SceneDef, SceneRun, Text};
use crate::error::{Error, Result};
use crate::sim::simulate;
use crate::surface::ViewBox;
use serde_json::json;

pub const DEF: SceneDef = SceneDef {
    id: "warmup",
    build,
    check,
};

/// The asymmetric double well, scaled down so that gradients are small (≈ 0.1): plain momentum
/// steps (RAdam's start) are short, while Adam's normalized first steps are still ≈ η.
const SURFACE: &str = "0.05*(x^4 - 3*x^2 + x + y^2)";
const VIEW: ViewBox = ViewBox {
    x: [-2.5, 2.5],
    y: [-2.0, 2.0],
};
/// Next to the global minimum (−1.30, 0).
const START: [f64; 2] = [-1.1, 0.5];
const STEPS: usize = 300;
/// The peak learning rate of every run.
const PEAK: f64 = 1.0;
/// Warm-up steps (linear from 1 % of the peak), then cosine decay to 0 over the rest.
const WARMUP: usize = 100;
/// The first steps whose length is judged.
const FIRST: usize = 10;

fn schedule(value: serde_json::Value) -> Result<crate::optim::schedule::ScheduleConfig> {
    serde_json::from_value(value).map_err(|e| Error::Config(e.to_string()))
}

/// Adam without warm-up (cosine decay only), Adam with warm-up then cosine decay, and RAdam,
/// all at the peak `peak`.
fn runs(peak: f64) -> Result<Vec<SceneRun>> {
    let mut cold = run_config(SURFACE, START, STEPS, json!({"name": "adam", "lr": peak}))?;
    cold.schedule = Some(schedule(json!({"name": "cosine", "t_max": STEPS}))?);
    let mut warm = run_config(SURFACE, START, STEPS, json!({"name": "adam", "lr": peak}))?;
    warm.schedule = Some(schedule(json!({
        "name": "sequential",
        "schedulers": [
            {"name": "linear", "start_factor": 0.01, "end_factor": 1.0, "total_iters": WARMUP},
            {"name": "cosine", "t_max": STEPS - WARMUP}
        ],
        "milestones": [WARMUP]
    }))?);
    let radam = run_config(SURFACE, START, STEPS, json!({"name": "radam", "lr": peak}))?;
    Ok(vec![
        SceneRun {
            label: Text::owned(
                format!("Adam, η = {peak}, cosine decay, no warm-up"),
                format!("Adam，η = {peak}，余弦衰减，无预热"),
            ),
            config: cold,
        },
        SceneRun {
            label: Text::owned(
                format!("Adam, η warmed up over {WARMUP} steps to {peak}, then cosine decay"),
                format!("Adam，η 在 {WARMUP} 步内预热到 {peak}，再余弦衰减"),
            ),
            config: warm,
        },
        SceneRun {
            label: Text::owned(format!("RAdam, η = {peak}"), format!("RAdam，η = {peak}")),
            config: radam,
        },
    ])
}

/// A loss this close to the global minimum's counts as having reached it.
const REACHED: f64 = 1e-6;

fn build() -> Result<Scene> {
    let first = FIRST;
    Ok(Scene {
        id: DEF.id,
        version: 3,
        lab: LabKind::Surface,
        title: Text::new("Warm-up: small steps first", "预热：先迈小步"),
        explanation: Text::owned(
            format!("At the start an adaptive optimizer knows little: σ comes from one or two gradients, so Adam's first steps are about η in each coordinate, however small the gradient. The lecture's schedule therefore first increases η(t) and then decreases it. Here every run peaks at η = {PEAK}, started next to the global minimum of a gently sloped double well: Adam with only the decay is thrown over the hump into the worse basin; Adam warmed up over {WARMUP} steps (from 1% of η) and then decayed by a cosine stays; RAdam, which builds warm-up in (plain momentum steps until its estimate of σ is reliable), stays too."),
            format!("刚开始时自适应优化器所知甚少：σ 只来自一两个梯度，所以无论梯度多小，Adam 最初每个坐标都迈出约 η 的一步。因此课上的学习率调度先让 η(t) 增大，再让它减小。这里每次运行的峰值都是 η = {PEAK}，起点在一个坡度平缓的双势阱的全局最小值旁：只有衰减的 Adam 被甩过小坡，落入更差的盆地；先用 {WARMUP} 步预热（从 η 的 1% 开始）再余弦衰减的 Adam 留在原处；自带预热的 RAdam（在 σ 的估计可靠之前采用普通的动量步）也留在原处。"),
        ),
        formula_mathml: "<math display=\"block\"><msup><mi>η</mi><mi>t</mi></msup><mo>=</mo><mrow><mo>{</mo><mtable><mtr><mtd><mi>η</mi><mo>·</mo><mo>(</mo><mn>0.01</mn><mo>+</mo><mn>0.99</mn><mfrac><mi>t</mi><mn>100</mn></mfrac><mo>)</mo><mo>,</mo></mtd><mtd><mi>t</mi><mo>&lt;</mo><mn>100</mn></mtd></mtr><mtr><mtd><mi>η</mi><mo>·</mo><mfrac><mrow><mn>1</mn><mo>+</mo><mi>cos</mi><mo>(</mo><mi>π</mi><mfrac><mrow><mi>t</mi><mo>−</mo><mn>100</mn></mrow><mn>200</mn></mfrac><mo>)</mo></mrow><mn>2</mn></mfrac><mo>,</mo></mtd><mtd><mi>t</mi><mo>≥</mo><mn>100</mn></mtd></mtr></mtable></mrow></math>",
        claim: Text::owned(
            format!("At the same peak η = {PEAK}: the warm-up schedule rises to its peak and falls back below 1% of it; without warm-up the longest of Adam's first {first} steps is > 0.9 and the run ends in the other basin (past the hump); with warm-up the longest is < 0.2 and Adam ends at the global minimum (loss within {REACHED:e} of it); RAdam ends there too."),
            format!("在相同的峰值 η = {PEAK} 下：预热调度先升到峰值，再降回峰值的 1% 以下；无预热时 Adam 前 {first} 步中最长的一步 > 0.9，最终落入另一个盆地（越过小坡）；有预热时最长一步 < 0.2，Adam 最终到达全局最小值（损失与其相差不到 {REACHED:e}）；RAdam 也到达那里。"),
        ),
        panels: vec![Panel {
            title: Text::new("A gently sloped double well", "坡度平缓的双势阱"),
            surface: SURFACE.into(),
            view: VIEW,
            runs: runs(PEAK)?,
            inspect: None,
        }],
        classifier: Vec::new(),
    })
}

/// The claim at peak learning rate `peak` (the scene's is [`PEAK`]).
fn judge(peak: f64) -> Result<Check> {
    let mut c = Claim::default();
    let marks = super::wells(SURFACE, VIEW)?;
    let runs = runs(peak)?;
    let tr: Vec<_> = runs
        .iter()
        .map(|r| simulate(&r.config))
        .collect::<Result<_>>()?;
    let longest = |k: usize| {
        (1..=FIRST.min(tr[k].x.len() - 1))
            .map(|t| (tr[k].x[t] - tr[k].x[t - 1]).hypot(tr[k].y[t] - tr[k].y[t - 1]))
            .fold(0.0, f64::max)
    };
    let end_x = |k: usize| *tr[k].x.last().unwrap_or(&f64::NAN);
    let gap = |k: usize| tr[k].loss.last().map_or(f64::NAN, |l| l - marks.global.1);
    let lr = &tr[1].lr;
    let top = lr.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let rise = lr.first().map_or(f64::NAN, |&l| l / top);
    let fall = lr.last().map_or(f64::NAN, |&l| l / top);
    c.less("warm-up schedule: η(0) / peak η (it rises)", rise, 0.1);
    c.less(
        "warm-up schedule: η(last step) / peak η (it falls)",
        fall,
        0.01,
    );
    c.greater(
        &format!("no warm-up: longest of the first {FIRST} steps"),
        longest(0),
        0.9,
    );
    c.greater(
        "no warm-up: final x minus the hump's x (> 0: the other basin)",
        end_x(0) - marks.hump_x,
        0.0,
    );
    c.less(
        &format!("warm-up: longest of the first {FIRST} steps"),
        longest(1),
        0.2,
    );
    c.less("warm-up: final loss − global minimum", gap(1), REACHED);
    c.less("RAdam: final loss − global minimum", gap(2), REACHED);
    c.measure("global minimum (x, loss)", [marks.global.0, marks.global.1]);
    c.measure("hump x", marks.hump_x);
    c.measure("RAdam: longest of the first steps", longest(2));
    Ok(c.finish(DEF.id))
}

fn check() -> Result<Check> {
    judge(PEAK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_formula_shows_the_schedule_the_runs_use() {
        // The MathML is written out: it must name this scene's warm-up length and decay span.
        let f = build().unwrap().formula_mathml;
        assert!(f.contains(&format!("<mn>{WARMUP}</mn>")), "{f}");
        assert!(f.contains(&format!("<mn>{}</mn>", STEPS - WARMUP)), "{f}");
    }

    #[test]
    fn negative_control_at_a_small_peak_adam_needs_no_warm_up_and_the_claim_fails() {
        // At η = 0.1 Adam's first steps are short and it stays in its basin without warm-up:
        // the claim that warm-up is needed must then fail.
        let check = judge(0.1).unwrap();
        assert!(!check.pass);
        let basin = check
            .conditions
            .iter()
            .find(|c| c.name.starts_with("no warm-up: final x"))
            .unwrap();
        assert!(!basin.pass, "{basin:?}");
    }
}
