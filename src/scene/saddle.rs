//! Scene 1: a saddle point stalls plain gradient descent started on its stable manifold; a
//! tiny perturbation or minibatch noise escapes along the negative-curvature direction.

use super::{run_config, Check, Claim, LabKind, Panel, Scene, SceneDef, SceneRun, Text};
use crate::critical::{inspect, Kind};
use crate::error::Result;
use crate::expr::Formula;
use crate::sim::simulate;
use crate::surface::ViewBox;
use serde_json::json;

pub const DEF: SceneDef = SceneDef {
    id: "saddle",
    build,
    check,
};

/// x² − y² with two minima at y = ±1 added far from the saddle, so an escaped run has
/// somewhere to go: the origin is a saddle with eigenvalues −2 and 2.
const SURFACE: &str = "x^2 - y^2 + 0.5*y^4";
const STEPS: usize = 150;

fn runs() -> Result<Vec<SceneRun>> {
    let gd = json!({"name": "sgd", "lr": 0.1});
    let mut noisy = run_config(SURFACE, [1.5, 0.0], STEPS, gd.clone())?;
    noisy.noise = Some(crate::config::NoiseConfig {
        batch_size: 16,
        scale: 0.1,
        seed: 1,
    });
    Ok(vec![
        SceneRun {
            label: Text::new(
                "GD on the stable manifold (y = 0)",
                "在稳定流形上的梯度下降（y = 0）",
            ),
            config: run_config(SURFACE, [1.5, 0.0], STEPS, gd.clone())?,
        },
        SceneRun {
            label: Text::new("GD, start nudged by 10⁻⁶", "梯度下降，起点偏移 10⁻⁶"),
            config: run_config(SURFACE, [1.5, 1e-6], STEPS, gd)?,
        },
        SceneRun {
            label: Text::new("Minibatch noise (B = 16)", "批量噪声（B = 16）"),
            config: noisy,
        },
    ])
}

fn build() -> Result<Scene> {
    Ok(Scene {
        id: DEF.id,
        version: 1,
        lab: LabKind::Surface,
        title: Text::new("Stuck at a saddle point", "卡在鞍点"),
        explanation: Text::new("Where the gradient is zero, gradient descent stops — local minimum or not. At the origin the Hessian has eigenvalues −2 and 2: a saddle. Started exactly on y = 0, gradient descent never sees the downhill direction and stalls as the gradient goes to zero. The eigenvector of the negative eigenvalue, (0, 1), is the way out: a nudge of 10⁻⁶ or minibatch noise is enough to escape.", "梯度为零的地方，梯度下降就会停下——无论是不是局部最小值。原点处海森矩阵的特征值为 −2 和 2：这是一个鞍点。从 y = 0 出发的梯度下降永远看不到下坡方向，梯度趋于零后停滞不前。负特征值对应的特征向量 (0, 1) 就是出路：10⁻⁶ 的扰动或批量噪声就足以逃离。"),
        formula_mathml: "<math display=\"block\"><mi>L</mi><mo>(</mo><mi>θ</mi><mo>)</mo><mo>≈</mo><mi>L</mi><mo>(</mo><msup><mi>θ</mi><mo>′</mo></msup><mo>)</mo><mo>+</mo><mfrac><mn>1</mn><mn>2</mn></mfrac><msup><mrow><mo>(</mo><mi>θ</mi><mo>−</mo><msup><mi>θ</mi><mo>′</mo></msup><mo>)</mo></mrow><mi>T</mi></msup><mi>H</mi><mo>(</mo><mi>θ</mi><mo>−</mo><msup><mi>θ</mi><mo>′</mo></msup><mo>)</mo></math>",
        claim: Text::new("GD on the stable manifold ends at the saddle with |∇L| < 10⁻⁶ and the inspector finds a negative eigenvalue with escape direction (0, ±1); the nudged and the noisy runs both reach a local minimum (loss < −0.45).", "在稳定流形上的梯度下降停在鞍点，|∇L| < 10⁻⁶，检查器给出一个负特征值及逃离方向 (0, ±1)；偏移起点和带噪声的两次运行都到达局部最小值（损失 < −0.45）。"),
        panels: vec![Panel {
            title: Text::new("x² − y² + y⁴/2", "x² − y² + y⁴/2"),
            surface: SURFACE.into(),
            view: ViewBox { x: [-2.0, 2.0], y: [-1.6, 1.6] },
            runs: runs()?,
            inspect: Some([0.0, 0.0]),
        }],
        classifier: Vec::new(),
    })
}

fn check() -> Result<Check> {
    let runs = runs()?;
    let f = Formula::parse(SURFACE)?;
    let mut c = Claim::default();
    let stuck = simulate(&runs[0].config)?;
    let end = [
        *stuck.x.last().unwrap_or(&f64::NAN),
        *stuck.y.last().unwrap_or(&f64::NAN),
    ];
    let at = inspect(&f, end);
    c.less("stalled run: |gradient| at the end", at.gradient_norm, 1e-6);
    c.less(
        "stalled run: |loss| at the end (stuck at the saddle's value 0)",
        at.f.abs(),
        1e-6,
    );
    c.less(
        "inspector at the end: smallest eigenvalue",
        at.eigenvalues[0],
        -1.0,
    );
    let escape_y = at.escape_direction.map_or(0.0, |d| d[1].abs());
    c.greater(
        "inspector: |y component| of the escape direction",
        escape_y,
        0.999,
    );
    c.measure("stalled end point", end);
    c.measure(
        "kind at the end",
        match at.point_kind() {
            Some(Kind::Saddle) => "saddle",
            Some(_) => "not a saddle",
            None => "not a critical point",
        },
    );
    for (i, name) in [(1, "nudged run"), (2, "noisy run")] {
        let tr = simulate(&runs[i].config)?;
        c.less(
            &format!("{name}: final loss"),
            *tr.loss.last().unwrap_or(&f64::NAN),
            -0.45,
        );
    }
    Ok(c.finish(DEF.id))
}
