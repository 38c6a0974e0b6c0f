//! Scene 2: on the asymmetric double well, gradient descent stops in the local minimum it
//! starts above; momentum with a large enough β carries the run over the hump to the global one.

use super::{
    preset_panel, run_config, wells, Check, Claim, LabKind, Scene, SceneDef, SceneRun, Text,
};
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
/// A final loss this close to a minimum's counts as ending there.
const AT: f64 = 1e-3;

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
    let w = wells(SURFACE, preset_panel(SURFACE, Vec::new())?.view)?;
    let (hump, local, global) = (w.hump_x, w.local.1, w.global.1);
    Ok(Scene {
        id: DEF.id,
        version: 2,
        lab: LabKind::Surface,
        title: Text::new("Momentum rolls past a local minimum", "动量越过局部最小值"),
        explanation: Text::new("Momentum adds the previous movement to the negative gradient. Like a ball with inertia, the run keeps moving where the gradient is zero: with β = 0.9 it rolls over the small hump and settles in the deeper, global minimum; plain gradient descent, and momentum with a small β, stop in the local one.", "动量把上一步的移动加到负梯度上。就像有惯性的小球，梯度为零时它仍会继续前进：β = 0.9 时它越过小坡，停在更深的全局最小值；普通梯度下降以及 β 较小的动量则停在局部最小值。"),
        formula_mathml: "<math display=\"block\"><msup><mi>m</mi><mi>t</mi></msup><mo>=</mo><mi>λ</mi><msup><mi>m</mi><mrow><mi>t</mi><mo>−</mo><mn>1</mn></mrow></msup><mo>−</mo><mi>η</mi><msup><mi>g</mi><mrow><mi>t</mi><mo>−</mo><mn>1</mn></mrow></msup><mo>,</mo><mspace width=\"1em\"/><msup><mi>θ</mi><mi>t</mi></msup><mo>=</mo><msup><mi>θ</mi><mrow><mi>t</mi><mo>−</mo><mn>1</mn></mrow></msup><mo>+</mo><msup><mi>m</mi><mi>t</mi></msup></math>",
        claim: Text::owned(
            format!("GD and momentum β = 0.5 end in the local minimum (x > {hump:.2}, the hump; loss within {AT:e} of {local:.3}); momentum β = 0.9 ends in the global minimum (x < {hump:.2}; loss within {AT:e} of {global:.3})."),
            format!("梯度下降和 β = 0.5 的动量停在局部最小值（x > {hump:.2}，即小坡；损失与 {local:.3} 相差不到 {AT:e}）；β = 0.9 的动量停在全局最小值（x < {hump:.2}；损失与 {global:.3} 相差不到 {AT:e}）。"),
        ),
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
    let w = wells(SURFACE, preset_panel(SURFACE, Vec::new())?.view)?;
    c.greater(
        "GD: final x − the hump's x (> 0: the local basin)",
        ends[0].0 - w.hump_x,
        0.0,
    );
    c.greater(
        "momentum 0.5: final x − the hump's x (> 0: the local basin)",
        ends[1].0 - w.hump_x,
        0.0,
    );
    c.less(
        "momentum 0.9: final x − the hump's x (< 0: the global basin)",
        ends[2].0 - w.hump_x,
        0.0,
    );
    c.less(
        "GD: |final loss − the local minimum's|",
        (ends[0].1 - w.local.1).abs(),
        AT,
    );
    c.less(
        "momentum 0.9: |final loss − the global minimum's|",
        (ends[2].1 - w.global.1).abs(),
        AT,
    );
    c.measure("local minimum (x, loss)", [w.local.0, w.local.1]);
    c.measure("global minimum (x, loss)", [w.global.0, w.global.1]);
    Ok(c.finish(DEF.id))
}
