//! Scene 4: Adam = RMSProp + momentum. The three runs side by side, and a measured identity:
//! Adam's σ(t) is RMSProp's root mean square (with β2 as α, bias-corrected) and its m(t) is the
//! momentum average of the same gradients (bias-corrected).

use super::{preset_panel, run_config, Check, Claim, LabKind, Scene, SceneDef, SceneRun, Text};
use crate::error::Result;
use crate::optim::{Optimizer, OptimizerConfig};
use crate::sim::{simulate, simulate_with_anatomy};
use serde_json::json;

pub const DEF: SceneDef = SceneDef {
    id: "adam",
    build,
    check,
};

const SURFACE: &str = "ravine";
const START: [f64; 2] = [-4.0, 1.5];
const STEPS: usize = 200;
const BETAS: [f64; 2] = [0.9, 0.999];

fn runs() -> Result<Vec<SceneRun>> {
    Ok(vec![
        SceneRun {
            label: Text::new("Momentum (β = 0.9)", "动量（β = 0.9）"),
            config: run_config(
                SURFACE,
                START,
                STEPS,
                json!({"name": "sgd", "lr": 0.01, "momentum": 0.9}),
            )?,
        },
        SceneRun {
            label: Text::new("RMSProp (α = 0.999)", "RMSProp（α = 0.999）"),
            config: run_config(
                SURFACE,
                START,
                STEPS,
                json!({"name": "rmsprop", "lr": 0.05, "alpha": BETAS[1]}),
            )?,
        },
        SceneRun {
            label: Text::new(
                "Adam (β1 = 0.9, β2 = 0.999)",
                "Adam（β1 = 0.9，β2 = 0.999）",
            ),
            config: run_config(
                SURFACE,
                START,
                STEPS,
                json!({"name": "adam", "lr": 0.2, "betas": BETAS}),
            )?,
        },
    ])
}

fn build() -> Result<Scene> {
    Ok(Scene {
        id: DEF.id,
        version: 1,
        lab: LabKind::Surface,
        title: Text::new("Adam = RMSProp + Momentum", "Adam = RMSProp + 动量"),
        explanation: Text::new("Every optimizer of the lecture is one rule, θ ← θ − (η/σ)·m. Momentum supplies m(t), the moving average of past gradients; RMSProp supplies σ(t), the root of the moving average of squared gradients; Adam uses both, each corrected for its start at zero. Open the anatomy panel on the Adam run to see η(t), σ(t) and m(t) at every step.", "课上所有优化器都是同一条规则：θ ← θ − (η/σ)·m。动量提供 m(t)，即过去梯度的移动平均；RMSProp 提供 σ(t)，即梯度平方移动平均的平方根；Adam 两者兼用，并各自修正从零开始带来的偏差。在 Adam 的运行上打开“剖析”面板，可以看到每一步的 η(t)、σ(t) 和 m(t)。"),
        formula_mathml: "<math display=\"block\"><msup><mi>θ</mi><mrow><mi>t</mi><mo>+</mo><mn>1</mn></mrow></msup><mo>←</mo><msup><mi>θ</mi><mi>t</mi></msup><mo>−</mo><mfrac><mi>η</mi><mrow><msqrt><msup><mover><mi>v</mi><mo>^</mo></mover><mi>t</mi></msup></msqrt><mo>+</mo><mi>ε</mi></mrow></mfrac><msup><mover><mi>m</mi><mo>^</mo></mover><mi>t</mi></msup><mo>,</mo><mspace width=\"1em\"/><msup><mover><mi>m</mi><mo>^</mo></mover><mi>t</mi></msup><mo>=</mo><mfrac><msup><mi>m</mi><mi>t</mi></msup><mrow><mn>1</mn><mo>−</mo><msubsup><mi>β</mi><mn>1</mn><mi>t</mi></msubsup></mrow></mfrac><mo>,</mo><mspace width=\"1em\"/><msup><mover><mi>v</mi><mo>^</mo></mover><mi>t</mi></msup><mo>=</mo><mfrac><msup><mi>v</mi><mi>t</mi></msup><mrow><mn>1</mn><mo>−</mo><msubsup><mi>β</mi><mn>2</mn><mi>t</mi></msubsup></mrow></mfrac></math>",
        claim: Text::new("At every step of the Adam run, σ(t) equals √(v/(1−β2ᵗ)) + ε with v from an RMSProp (α = β2) fed the same gradients, m(t) equals the β1-average of those gradients over (1−β1ᵗ), and the update equals −(η/σ)·m — each to 10⁻¹² relative.", "Adam 运行的每一步中：σ(t) 等于 √(v/(1−β2ᵗ)) + ε，其中 v 来自输入相同梯度的 RMSProp（α = β2）；m(t) 等于这些梯度的 β1 移动平均除以 (1−β1ᵗ)；更新量等于 −(η/σ)·m——相对误差均在 10⁻¹² 以内。"),
        panels: vec![preset_panel(SURFACE, runs()?)?],
        classifier: Vec::new(),
    })
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(1e-300)
}

fn check() -> Result<Check> {
    let mut c = Claim::default();
    let runs = runs()?;
    let tr = simulate_with_anatomy(&runs[2].config)?;
    let rms_cfg: OptimizerConfig = serde_json::from_value(
        json!({"name": "rmsprop", "lr": 1.0, "alpha": BETAS[1], "eps": 1e-8}),
    )
    .map_err(|e| crate::Error::Config(e.to_string()))?;
    let mut rms = Optimizer::new(&rms_cfg, None, 2)?;
    let mut dummy = [0.0; 2];
    let mut m = [0.0; 2];
    let (mut err_sigma, mut err_m, mut err_update) = (0.0f64, 0.0f64, 0.0f64);
    for (t, an) in tr.anatomy.iter().enumerate() {
        let g = [tr.gx[t], tr.gy[t]];
        rms.step(&mut dummy, &g);
        let k = (t + 1) as i32;
        for i in 0..2 {
            let root_v = rms.anatomy().sigma[i] - 1e-8;
            let sigma = root_v / (1.0 - BETAS[1].powi(k)).sqrt() + 1e-8;
            m[i] = BETAS[0] * m[i] + (1.0 - BETAS[0]) * g[i];
            let m_hat = m[i] / (1.0 - BETAS[0].powi(k));
            err_sigma = err_sigma.max(rel(an.sigma[i], sigma));
            err_m = err_m.max(rel(an.direction[i], m_hat));
            err_update =
                err_update.max(rel(an.update[i], -(an.lr / an.sigma[i]) * an.direction[i]));
        }
    }
    c.less(
        "max relative difference: Adam's σ(t) vs RMSProp's √v̂ + ε",
        err_sigma,
        1e-12,
    );
    c.less(
        "max relative difference: Adam's m(t) vs the bias-corrected momentum average",
        err_m,
        1e-12,
    );
    c.less(
        "max relative difference: update vs −(η/σ)·m",
        err_update,
        1e-12,
    );
    c.greater("steps compared", tr.anatomy.len() as f64, 100.0);
    for r in &runs {
        let tr = simulate(&r.config)?;
        c.measure(
            &format!("{}: final loss", r.label.en),
            tr.loss.last().copied(),
        );
    }
    Ok(c.finish(DEF.id))
}
