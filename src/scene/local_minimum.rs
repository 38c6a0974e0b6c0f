//! Scene 2: on the asymmetric double well, gradient descent stops in the local minimum it
//! starts above; momentum with a large enough β carries the run over the hump to the global one.

use super::{preset_panel, run_config, Check, Claim, LabKind, Scene, SceneDef, SceneRun, Text};
use crate::error::Result;
use crate::sim::simulate;
use serde_json::json;

pub const DEF: SceneDef = SceneDef {
    id: "local_minimum",
    build,
    check,
};

const SURFACE: &str = "double_well";
const START: [f64; 2] = [2.0, 1.5];
const STEPS: usize = 500;
/// The hump between the wells: the saddle of x⁴ − 3x² + x + y² at x ≈ 0.1699.
const HUMP_X: f64 = 0.1699;

fn runs() -> Result<Vec<SceneRun>> {
    Ok(vec![
        SceneRun {
            label: Text::new("GD (lr 0.01)", "梯度下降（lr 0.01）"),
            config: run_config(SURFACE, START, STEPS, json!({"name": "sgd", "lr": 0.01}))?,
        },
        SceneRun {
            label: Text::new("Momentum β = 0.5", "动量 β = 0.5"),
            config: run_config(
                SURFACE,
                START,
                STEPS,
                json!({"name": "sgd", "lr": 0.01, "momentum": 0.5}),
            )?,
        },
        SceneRun {
            label: Text::new("Momentum β = 0.9", "动量 β = 0.9"),
            config: run_config(
                SURFACE,
                START,
                STEPS,
                json!({"name": "sgd", "lr": 0.01, "momentum": 0.9}),
            )?,
        },
    ])
}

fn build() -> Result<Scene> {
    Ok(Scene {
        id: DEF.id,
        version: 1,
        lab: LabKind::Surface,
        title: Text::new("Momentum rolls past a local minimum", "动量越过局部最小值"),
        explanation: Text::new("Momentum adds the previous movement to the negative gradient. Like a ball with inertia, the run keeps moving where the gradient is zero: with β = 0.9 it rolls over the small hump and settles in the deeper, global minimum; plain gradient descent, and momentum with a small β, stop in the local one.", "动量把上一步的移动加到负梯度上。就像有惯性的小球，梯度为零时它仍会继续前进：β = 0.9 时它越过小坡，停在更深的全局最小值；普通梯度下降以及 β 较小的动量则停在局部最小值。"),
        formula_mathml: "<math display=\"block\"><msup><mi>m</mi><mi>t</mi></msup><mo>=</mo><mi>λ</mi><msup><mi>m</mi><mrow><mi>t</mi><mo>−</mo><mn>1</mn></mrow></msup><mo>−</mo><mi>η</mi><msup><mi>g</mi><mrow><mi>t</mi><mo>−</mo><mn>1</mn></mrow></msup><mo>,</mo><mspace width=\"1em\"/><msup><mi>θ</mi><mi>t</mi></msup><mo>=</mo><msup><mi>θ</mi><mrow><mi>t</mi><mo>−</mo><mn>1</mn></mrow></msup><mo>+</mo><msup><mi>m</mi><mi>t</mi></msup></math>",
        claim: Text::new("GD and momentum β = 0.5 end in the local minimum (x > 0.17, loss ≈ −1.07); momentum β = 0.9 ends in the global minimum (x < 0.17, loss ≈ −3.51).", "梯度下降和 β = 0.5 的动量停在局部最小值（x > 0.17，损失 ≈ −1.07）；β = 0.9 的动量停在全局最小值（x < 0.17，损失 ≈ −3.51）。"),
        panels: vec![preset_panel(SURFACE, runs()?)?],
        classifier: Vec::new(),
    })
}

fn check() -> Result<Check> {
    let mut c = Claim::default();
    let runs = runs()?;
    let mut ends = Vec::new();
    for r in &runs {
        let tr = simulate(&r.config)?;
        let (x, loss) = (
            *tr.x.last().unwrap_or(&f64::NAN),
            *tr.loss.last().unwrap_or(&f64::NAN),
        );
        ends.push((x, loss));
        c.measure(&format!("{}: end x, loss", r.label.en), [x, loss]);
    }
    c.greater(
        "GD: final x (right of the hump = local basin)",
        ends[0].0,
        HUMP_X,
    );
    c.greater("momentum 0.5: final x (local basin)", ends[1].0, HUMP_X);
    c.less(
        "momentum 0.9: final x (left of the hump = global basin)",
        ends[2].0,
        HUMP_X,
    );
    c.less(
        "momentum 0.9: final loss (global minimum −3.514)",
        ends[2].1,
        -3.5,
    );
    c.greater("GD: final loss (local minimum −1.070)", ends[0].1, -1.1);
    Ok(c.finish(DEF.id))
}
