//! Scene: RMSProp reacts to the recent gradients, Adagrad to all of them. The path runs down a
//! steep wall onto a gentle floor; RMSProp's σ follows the change within a few steps, Adagrad's
//! remembers the wall and keeps its steps small.

use super::{run_config, Check, Claim, LabKind, Panel, Scene, SceneDef, SceneRun, Text};
use crate::error::Result;
use crate::sim::{simulate_with_anatomy, Trajectory};
use crate::surface::ViewBox;
use serde_json::json;

pub const DEF: SceneDef = SceneDef {
    id: "rmsprop_reacts",
    build,
    check,
};

/// Slope ≈ 5 for x > 2.5 (a softplus wall), ≈ 0.1·x below x = 1.5 (a gentle floor).
const SURFACE: &str = "0.5*log(1 + exp(10*(x - 2))) + 0.05*x^2 + 0.5*y^2";
const VIEW: ViewBox = ViewBox {
    x: [-1.0, 4.5],
    y: [-1.0, 1.0],
};
const START: [f64; 2] = [4.0, 0.5];
const STEPS: usize = 300;
const LR: f64 = 0.1;
const ALPHA: f64 = 0.9;
/// Where the wall ends and the floor begins (x), and the goal on the floor.
const FLOOR: f64 = 1.5;
const GOAL: f64 = 0.5;
/// Steps on the floor after which σ is compared with the current gradient.
const SETTLE: usize = 20;

fn runs(alpha: f64) -> Result<Vec<SceneRun>> {
    Ok(vec![
        SceneRun {
            label: Text::owned(
                format!("Adagrad (lecture), η = {LR}"),
                format!("Adagrad（课程版），η = {LR}"),
            ),
            config: run_config(
                SURFACE,
                START,
                STEPS,
                json!({"name": "adagrad", "variant": "lecture", "lr": LR}),
            )?,
        },
        SceneRun {
            label: Text::owned(
                format!("RMSProp (lecture), α = {alpha}, η = {LR}"),
                format!("RMSProp（课程版），α = {alpha}，η = {LR}"),
            ),
            config: run_config(
                SURFACE,
                START,
                STEPS,
                json!({"name": "rmsprop", "variant": "lecture", "lr": LR, "alpha": alpha}),
            )?,
        },
    ])
}

fn build() -> Result<Scene> {
    Ok(Scene {
        id: DEF.id,
        version: 1,
        lab: LabKind::Surface,
        title: Text::new("RMSProp reacts, Adagrad remembers", "RMSProp 反应快，Adagrad 记得久"),
        explanation: Text::owned(
            format!("The error surface can be steep in one stretch and gentle in the next, even along one parameter. Adagrad's σ is the root mean square of all past gradients, so after the steep wall it stays large on the gentle floor and the steps there are small. RMSProp's σ is a moving average, σ² ← α·σ² + (1−α)·g² with α = {ALPHA}: the recent gradients weigh most, so σ shrinks once the run is on the floor and the steps grow again. Both runs use η = {LR}."),
            format!("即使沿着同一个参数，误差曲面也可能一段陡峭、一段平缓。Adagrad 的 σ 是过去所有梯度的均方根，所以走下陡峭的谷壁之后，它在平缓的谷底依然很大，步长很小。RMSProp 的 σ 是移动平均 σ² ← α·σ² + (1−α)·g²，α = {ALPHA}：最近的梯度权重最大，所以一到谷底 σ 就开始变小，步长重新变大。两次运行都用 η = {LR}。"),
        ),
        formula_mathml: "<math display=\"block\"><msubsup><mi>σ</mi><mi>i</mi><mi>t</mi></msubsup><mo>=</mo><msqrt><mrow><mi>α</mi><msup><mrow><mo>(</mo><msubsup><mi>σ</mi><mi>i</mi><mrow><mi>t</mi><mo>−</mo><mn>1</mn></mrow></msubsup><mo>)</mo></mrow><mn>2</mn></msup><mo>+</mo><mo>(</mo><mn>1</mn><mo>−</mo><mi>α</mi><mo>)</mo><msup><mrow><mo>(</mo><msubsup><mi>g</mi><mi>i</mi><mi>t</mi></msubsup><mo>)</mo></mrow><mn>2</mn></msup></mrow></msqrt></math>",
        claim: Text::owned(
            format!("{SETTLE} steps after reaching the floor (x < {FLOOR}), Adagrad's σ along x is still more than 10× the current |gradient| and its ratio σ/|g| more than 3× RMSProp's; RMSProp gets from the start to x < {GOAL} in less than half the steps Adagrad needs."),
            format!("到达谷底（x < {FLOOR}）{SETTLE} 步后，Adagrad 沿 x 的 σ 仍超过当前 |梯度| 的 10 倍，其 σ/|g| 超过 RMSProp 的 3 倍；RMSProp 从起点走到 x < {GOAL} 所需的步数不到 Adagrad 的一半。"),
        ),
        panels: vec![Panel {
            title: Text::new("A steep wall onto a gentle floor", "陡峭谷壁下的平缓谷底"),
            surface: SURFACE.into(),
            view: VIEW,
            runs: runs(ALPHA)?,
            inspect: None,
        }],
        classifier: Vec::new(),
    })
}

/// σ along x over |g_x|, [`SETTLE`] steps after the run first reaches the floor.
fn sigma_over_gradient(tr: &Trajectory) -> f64 {
    let Some(t) = tr.x.iter().position(|&x| x < FLOOR).map(|t| t + SETTLE) else {
        return f64::NAN;
    };
    match tr.anatomy.get(t) {
        Some(a) => a.sigma[0] / tr.gx[t].abs(),
        None => f64::NAN,
    }
}

/// The claim with RMSProp's `alpha` (the scene's is [`ALPHA`]).
fn judge(alpha: f64) -> Result<Check> {
    let tr: Vec<Trajectory> = runs(alpha)?
        .iter()
        .map(|r| simulate_with_anatomy(&r.config))
        .collect::<Result<_>>()?;
    let goal = |t: &Trajectory| {
        t.x.iter()
            .position(|&x| x < GOAL)
            .map_or(f64::INFINITY, |s| s as f64)
    };
    let mut c = Claim::default();
    let (adagrad, rmsprop) = (sigma_over_gradient(&tr[0]), sigma_over_gradient(&tr[1]));
    c.greater("Adagrad: σ_x / |g_x| on the floor", adagrad, 10.0);
    c.greater(
        "σ_x / |g_x| on the floor: Adagrad's over RMSProp's",
        adagrad / rmsprop,
        3.0,
    );
    c.measure("RMSProp: σ_x / |g_x| on the floor", rmsprop);
    c.less(
        "steps to the goal: RMSProp / Adagrad",
        goal(&tr[1]) / goal(&tr[0]),
        0.5,
    );
    c.measure("Adagrad: steps to the goal", goal(&tr[0]));
    c.measure("RMSProp: steps to the goal", goal(&tr[1]));
    Ok(c.finish(DEF.id))
}

fn check() -> Result<Check> {
    judge(ALPHA)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_control_a_long_memory_rmsprop_behaves_like_adagrad_and_the_claim_fails() {
        let check = judge(0.999).unwrap();
        assert!(!check.pass, "{check:?}");
    }
}
