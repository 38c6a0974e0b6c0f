//! Scene: momentum carries the run over a plateau where plain gradient descent stalls. The
//! surface has a flat, degenerate critical point on the way to its minimum; no nudge, no noise.

use super::{run_config, Check, Claim, LabKind, Panel, Scene, SceneDef, SceneRun, Text};
use crate::critical::{find, Kind};
use crate::error::{Error, Result};
use crate::sim::simulate;
use crate::surface::{resolve, ViewBox};
use serde_json::json;

pub const DEF: SceneDef = SceneDef {
    id: "momentum_plateau",
    build,
    check,
};

/// f′(x) = x²(x − 1): a flat point at x = 0 (zero gradient, zero curvature along x: not a
/// minimum) before the minimum at x = 1.
const SURFACE: &str = "0.25*x^4 - x^3/3 + 0.5*y^2";
const VIEW: ViewBox = ViewBox {
    x: [-1.5, 1.7],
    y: [-1.0, 1.0],
};
const START: [f64; 2] = [-1.2, 0.8];
const STEPS: usize = 500;
const LR: f64 = 0.1;
const MOMENTUM: f64 = 0.9;
/// "Stalled": the gradient is this small while the loss is still above the minimum's.
const STALLED_GRADIENT: f64 = 1e-3;
/// "Reached": the final loss is within this of the minimum's.
const REACHED: f64 = 1e-6;

fn runs(momentum: f64) -> Result<Vec<SceneRun>> {
    Ok(vec![
        SceneRun {
            label: Text::owned(
                format!("gradient descent, η = {LR}"),
                format!("梯度下降，η = {LR}"),
            ),
            config: run_config(SURFACE, START, STEPS, json!({"name": "sgd", "lr": LR}))?,
        },
        SceneRun {
            label: Text::owned(
                format!("momentum β = {momentum}, η = {LR}"),
                format!("动量 β = {momentum}，η = {LR}"),
            ),
            config: run_config(
                SURFACE,
                START,
                STEPS,
                json!({"name": "sgd", "lr": LR, "momentum": momentum}),
            )?,
        },
    ])
}

fn build() -> Result<Scene> {
    Ok(Scene {
        id: DEF.id,
        version: 1,
        lab: LabKind::Surface,
        title: Text::new("Momentum rolls over a plateau", "动量越过平坦区"),
        explanation: Text::owned(
            format!("Along this valley the loss flattens out at x = 0: the gradient is zero there, but the point is not a minimum (the loss keeps falling beyond it, to the minimum at x = 1). Gradient descent slows as the gradient shrinks and creeps towards the flat point without ever crossing it. With momentum the update is the negative gradient plus the previous movement, so the speed gathered on the slope carries the run across the plateau. Both start at ({}, {}) with η = {LR}: no nudge, no noise.", START[0], START[1]),
            format!("沿着这条山谷，损失在 x = 0 处变平：那里梯度为零，但它不是局部最小值（越过它损失继续下降，直到 x = 1 处的全局最小值）。梯度下降随梯度变小而变慢，向平坦点缓缓爬去，却永远越不过去。有了动量，更新量是负梯度加上上一步的移动，在斜坡上积累的速度把运行带过平坦区。两者都从 ({}, {}) 出发，η = {LR}：没有推动，也没有噪声。", START[0], START[1]),
        ),
        formula_mathml: "<math display=\"block\"><msup><mi>m</mi><mi>t</mi></msup><mo>=</mo><mi>λ</mi><msup><mi>m</mi><mrow><mi>t</mi><mo>−</mo><mn>1</mn></mrow></msup><mo>−</mo><mi>η</mi><msup><mi>g</mi><mrow><mi>t</mi><mo>−</mo><mn>1</mn></mrow></msup><mo>,</mo><mspace width=\"1em\"/><msup><mi>θ</mi><mi>t</mi></msup><mo>=</mo><msup><mi>θ</mi><mrow><mi>t</mi><mo>−</mo><mn>1</mn></mrow></msup><mo>+</mo><msup><mi>m</mi><mi>t</mi></msup></math>",
        claim: Text::owned(
            format!("After {STEPS} steps gradient descent has stalled before the flat point (x < 0, |∇L| < {STALLED_GRADIENT:e}, loss above the minimum's), while momentum β = {MOMENTUM} has crossed it and ends at the minimum (loss within {REACHED:e} of it)."),
            format!("{STEPS} 步后，梯度下降停滞在平坦点之前（x < 0，|∇L| < {STALLED_GRADIENT:e}，损失高于全局最小值），而动量 β = {MOMENTUM} 越过了它，最终到达局部最小值（损失与其相差不到 {REACHED:e}）。"),
        ),
        panels: vec![Panel {
            title: Text::new("A valley with a plateau", "带平坦区的山谷"),
            surface: SURFACE.into(),
            view: VIEW,
            runs: runs(MOMENTUM)?,
            inspect: Some([0.0, 0.0]),
        }],
        classifier: Vec::new(),
    })
}

/// The claim with momentum `momentum` on the second run (the scene's is [`MOMENTUM`]).
fn judge(momentum: f64) -> Result<Check> {
    let f = resolve(SURFACE)?;
    let minimum = find(&f, VIEW)
        .points
        .into_iter()
        .filter(|p| p.kind == Kind::Minimum)
        .min_by(|a, b| a.f.total_cmp(&b.f))
        .ok_or_else(|| Error::Config("the plateau surface has no minimum in its view".into()))?;
    let tr: Vec<_> = runs(momentum)?
        .iter()
        .map(|r| simulate(&r.config))
        .collect::<Result<_>>()?;
    let last = |k: usize, v: &dyn Fn(&crate::sim::Trajectory) -> &Vec<f64>| {
        v(&tr[k]).last().copied().unwrap_or(f64::NAN)
    };
    let mut c = Claim::default();
    let gd_x = last(0, &|t| &t.x);
    let gd_grad = last(0, &|t| &t.gx).hypot(last(0, &|t| &t.gy));
    c.less(
        "gradient descent: final x (before the flat point at 0)",
        gd_x,
        0.0,
    );
    c.less(
        "gradient descent: final |∇L| (stalled)",
        gd_grad,
        STALLED_GRADIENT,
    );
    c.greater(
        "gradient descent: final loss − the minimum's",
        last(0, &|t| &t.loss) - minimum.f,
        REACHED,
    );
    c.less(
        "momentum: final loss − the minimum's",
        last(1, &|t| &t.loss) - minimum.f,
        REACHED,
    );
    c.measure("minimum (x, y, loss)", [minimum.x, minimum.y, minimum.f]);
    c.measure("momentum: final x", last(1, &|t| &t.x));
    Ok(c.finish(DEF.id))
}

fn check() -> Result<Check> {
    judge(MOMENTUM)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_control_without_momentum_both_runs_stall_and_the_claim_fails() {
        let check = judge(0.0).unwrap();
        assert!(!check.pass);
        assert!(!check.conditions[3].pass, "{:?}", check.conditions[3]);
    }
}
