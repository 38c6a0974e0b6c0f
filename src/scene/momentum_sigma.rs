//! Scene: momentum and σ do not cancel. In θ ← θ − (η/σ)·m, m carries the direction (the sign)
//! of past gradients and σ only their size, so dividing by σ never turns a step around.

use super::{preset_panel, run_config, Check, Claim, LabKind, Scene, SceneDef, SceneRun, Text};
use crate::config::RunConfig;
use crate::error::Result;
use crate::sim::simulate_with_anatomy;
use serde_json::json;

pub const DEF: SceneDef = SceneDef {
    id: "momentum_sigma",
    build,
    check,
};

const SURFACE: &str = "rosenbrock";
const START: [f64; 2] = [-1.5, 2.0];
const STEPS: usize = 400;
const LR: f64 = 0.05;
/// At least this fraction of the steps must have m pointing against the current gradient in
/// some coordinate (momentum's memory at work).
const AGAINST: f64 = 0.05;

fn adam() -> Result<RunConfig> {
    run_config(SURFACE, START, STEPS, json!({"name": "adam", "lr": LR}))
}

fn build() -> Result<Scene> {
    Ok(Scene {
        id: DEF.id,
        version: 1,
        lab: LabKind::Surface,
        title: Text::new("Momentum and σ do not cancel", "动量与 σ 不会相互抵消"),
        explanation: Text::owned(
            format!("Adam divides momentum by σ, both built from past gradients, and one might think they cancel. They do not: m(t) is a weighted sum of the gradients with their signs, so it keeps the direction of past movement, even where the current gradient points back; σ(t) is a root mean square, always positive, so it only sets the size of the step. Open the anatomy panel on this Adam run (η = {LR}) and step through: where the gradient has turned, m still points the old way, and the update follows m."),
            format!("Adam 用 σ 去除动量，两者都来自过去的梯度，看起来好像会相互抵消。其实不会：m(t) 是带符号的梯度加权和，保留了过去移动的方向，即使当前梯度已经指向反方向；σ(t) 是均方根，总是正的，只决定步长的大小。在这次 Adam 运行（η = {LR}）上打开“剖析”面板逐步查看：梯度已经转向的地方，m 仍指向原来的方向，更新量跟随 m。"),
        ),
        formula_mathml: "<math display=\"block\"><msubsup><mi>θ</mi><mi>i</mi><mrow><mi>t</mi><mo>+</mo><mn>1</mn></mrow></msubsup><mo>←</mo><msubsup><mi>θ</mi><mi>i</mi><mi>t</mi></msubsup><mo>−</mo><mfrac><msup><mi>η</mi><mi>t</mi></msup><msubsup><mi>σ</mi><mi>i</mi><mi>t</mi></msubsup></mfrac><msubsup><mi>m</mi><mi>i</mi><mi>t</mi></msubsup><mo>,</mo><mspace width=\"1em\"/><msubsup><mi>σ</mi><mi>i</mi><mi>t</mi></msubsup><mo>&gt;</mo><mn>0</mn></math>",
        claim: Text::owned(
            format!("In the anatomy of all {STEPS} steps of the Adam run: σ > 0 in every coordinate, every update has the sign of −m (none is turned around by σ), and in more than {}% of the steps m points against the current gradient in some coordinate.", AGAINST * 100.0),
            format!("在 Adam 运行全部 {STEPS} 步的剖析数据中：每个坐标的 σ > 0，每一步更新量的符号都与 −m 相同（没有一步被 σ 反转），并且超过 {}% 的步中，m 在某个坐标上与当前梯度方向相反。", AGAINST * 100.0),
        ),
        panels: vec![preset_panel(
            SURFACE,
            vec![SceneRun {
                label: Text::owned(format!("Adam, η = {LR}"), format!("Adam，η = {LR}")),
                config: adam()?,
            }],
        )?],
        classifier: Vec::new(),
    })
}

/// The claim over the anatomy of `config`'s run (the scene's is Adam).
fn judge(config: &RunConfig) -> Result<Check> {
    let tr = simulate_with_anatomy(config)?;
    let (mut sigma_min, mut turned, mut against) = (f64::INFINITY, 0usize, 0usize);
    for (t, a) in tr.anatomy.iter().enumerate() {
        let g = [tr.gx[t], tr.gy[t]];
        let mut this_against = false;
        for (((&sigma, &m), &update), &g) in a.sigma.iter().zip(&a.direction).zip(&a.update).zip(&g)
        {
            sigma_min = sigma_min.min(sigma);
            if m != 0.0 && update * m > 0.0 {
                turned += 1;
            }
            if m * g < 0.0 {
                this_against = true;
            }
        }
        against += usize::from(this_against);
    }
    let steps = tr.anatomy.len();
    let mut c = Claim::default();
    c.greater("steps in the anatomy", steps as f64, STEPS as f64 - 0.5);
    c.greater("smallest σ over all steps and coordinates", sigma_min, 0.0);
    c.less(
        "updates whose sign is not that of −m (turned by σ)",
        turned as f64,
        0.5,
    );
    c.greater(
        "fraction of steps where m points against the current gradient",
        against as f64 / steps.max(1) as f64,
        AGAINST,
    );
    Ok(c.finish(DEF.id))
}

fn check() -> Result<Check> {
    judge(&adam()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_control_without_momentum_m_is_the_gradient_and_the_claim_fails() {
        // RMSProp without momentum: m(t) is the current gradient, never against it.
        let config =
            run_config(SURFACE, START, STEPS, json!({"name": "rmsprop", "lr": LR})).unwrap();
        let check = judge(&config).unwrap();
        assert!(!check.pass);
        assert!(!check.conditions[3].pass, "{:?}", check.conditions[3]);
    }
}
