//! Scene 7: feature normalization. A linear model on two features of very different scale has
//! a long ravine as its loss over (w1, w2); standardizing the features makes it round, and
//! gradient descent with its best fixed learning rate converges in far fewer steps.

use super::{run_config, Check, Claim, LabKind, Panel, Scene, SceneDef, SceneRun, Text};
use crate::critical::inspect;
use crate::error::Result;
use crate::expr::Formula;
use crate::sim::simulate;
use crate::surface::{LinearData, ViewBox};
use serde_json::json;

pub const DEF: SceneDef = SceneDef {
    id: "normalization",
    build,
    check,
};

const STEPS: usize = 1500;

/// Features with standard deviations 1 and 10; y = 2·x1 + 0.3·x2 + noise.
fn data() -> LinearData {
    LinearData::synthetic(200, [1.0, 10.0], [2.0, 0.3], 0.5, 7)
}

/// The surface, its minimum, its condition number and GD's lr = 1/λmax.
struct Setup {
    formula: Formula,
    minimum: [f64; 2],
    condition: f64,
    lr: f64,
}

fn setup(d: &LinearData) -> Result<Setup> {
    let formula = d.loss_formula()?;
    let at0 = inspect(&formula, [0.0, 0.0]);
    let h = at0.hessian;
    let g = at0.gradient;
    let det = h[0][0] * h[1][1] - h[0][1] * h[1][0];
    let minimum = [
        -(h[1][1] * g[0] - h[0][1] * g[1]) / det,
        -(-h[1][0] * g[0] + h[0][0] * g[1]) / det,
    ];
    Ok(Setup {
        condition: at0.condition_number,
        lr: 1.0 / at0.eigenvalues[1],
        formula,
        minimum,
    })
}

/// A square view around the start (the origin) and the minimum.
fn view(min: [f64; 2]) -> ViewBox {
    let c = [min[0] / 2.0, min[1] / 2.0];
    let half = 0.5 * min[0].abs().max(min[1].abs()) + 1.5;
    ViewBox {
        x: [c[0] - half, c[0] + half],
        y: [c[1] - half, c[1] + half],
    }
}

fn panel(d: &LinearData, title: Text) -> Result<Panel> {
    let s = setup(d)?;
    let label = Text::new(
        "GD, η = 1/λmax, from w = 0",
        "梯度下降，η = 1/λmax，从 w = 0 出发",
    );
    Ok(Panel {
        title,
        surface: s.formula.source().to_string(),
        view: view(s.minimum),
        runs: vec![SceneRun {
            label,
            config: run_config(
                s.formula.source(),
                [0.0, 0.0],
                STEPS,
                json!({"name": "sgd", "lr": s.lr}),
            )?,
        }],
        inspect: Some(s.minimum),
    })
}

fn build() -> Result<Scene> {
    let raw = data();
    Ok(Scene {
        id: DEF.id,
        version: 1,
        lab: LabKind::Surface,
        title: Text::new("Feature normalization rounds the error surface", "特征归一化让误差曲面变圆"),
        explanation: Text::new("A linear model y = w1·x1 + w2·x2 whose second feature is 10 times larger than the first: a small change of w2 changes the loss 100 times more than the same change of w1, so the error surface is a long, narrow ravine and gradient descent needs a tiny learning rate. Standardizing each feature (subtract the mean, divide by the standard deviation) makes the surface round: the same descent converges in a few steps.", "线性模型 y = w1·x1 + w2·x2，第二个特征比第一个大 10 倍：w2 的微小变化对损失的影响是 w1 同样变化的 100 倍，误差曲面成了又长又窄的山谷，梯度下降只能用很小的学习率。对每个特征做标准化（减去均值、除以标准差）后曲面变圆：同样的梯度下降几步就能收敛。"),
        formula_mathml: "<math display=\"block\"><msubsup><mover><mi>x</mi><mo>~</mo></mover><mi>i</mi><mi>r</mi></msubsup><mo>←</mo><mfrac><mrow><msubsup><mi>x</mi><mi>i</mi><mi>r</mi></msubsup><mo>−</mo><msub><mi>m</mi><mi>i</mi></msub></mrow><msub><mi>σ</mi><mi>i</mi></msub></mfrac></math>",
        claim: Text::new("The raw features give a condition number > 50 and the standardized ones < 2; gradient descent with η = 1/λmax needs more than 20 times as many steps on the raw features to get within 10⁻⁶ of the minimum loss.", "原始特征的条件数 > 50，标准化后 < 2；使用 η = 1/λmax 的梯度下降在原始特征上要接近最小损失到 10⁻⁶ 以内，所需步数是标准化后的 20 倍以上。"),
        panels: vec![
            panel(&raw, Text::new("raw features", "原始特征"))?,
            panel(&raw.standardized(), Text::new("standardized features", "标准化后的特征"))?,
        ],
        classifier: Vec::new(),
    })
}

/// Steps until the loss is within `tol`·(L0 − L*) of the minimum L*.
fn steps_to_converge(s: &Setup, tol: f64) -> Result<f64> {
    let best = s.formula.value(s.minimum[0], s.minimum[1]);
    let tr = simulate(&run_config(
        s.formula.source(),
        [0.0, 0.0],
        STEPS,
        json!({"name": "sgd", "lr": s.lr}),
    )?)?;
    let gap0 = tr.loss[0] - best;
    Ok(tr
        .loss
        .iter()
        .position(|l| l - best <= tol * gap0)
        .map_or(f64::INFINITY, |t| t as f64))
}

fn check() -> Result<Check> {
    let mut c = Claim::default();
    let raw = data();
    let (a, b) = (setup(&raw)?, setup(&raw.standardized())?);
    c.greater("condition number, raw features", a.condition, 50.0);
    c.less("condition number, standardized features", b.condition, 2.0);
    let (na, nb) = (steps_to_converge(&a, 1e-6)?, steps_to_converge(&b, 1e-6)?);
    c.measure("steps to converge, raw", na);
    c.measure("steps to converge, standardized", nb);
    c.greater("steps raw / steps standardized", na / nb.max(1.0), 20.0);
    c.less("steps to converge, raw (within the run)", na, STEPS as f64);
    Ok(c.finish(DEF.id))
}
