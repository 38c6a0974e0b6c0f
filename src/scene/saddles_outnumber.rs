//! Scene 11: saddles outnumber minima. Train a small network from several initializations and,
//! at the end of every epoch, compute the exact Hessian spectrum: where training slows down,
//! the Hessian still has negative eigenvalues — the point is a saddle, not a minimum — and the
//! "minimum ratio" (the fraction of positive eigenvalues) sits below 1.

use super::{train_config, Check, Claim, ClassifierRun, LabKind, Scene, SceneDef, Text};
use crate::error::Result;
use crate::nn::hessian::{hessian_spectrum, SpectrumOptions};
use crate::nn::TrainConfig;
use serde::Serialize;
use serde_json::json;

pub const DEF: SceneDef = SceneDef {
    id: "saddles_outnumber",
    build,
    check,
};

const SEEDS: u64 = 4;
const EPOCHS: usize = 12;

fn config(seed: u64) -> Result<TrainConfig> {
    train_config(json!({
        "data": {"name": "spiral", "n": 200, "classes": 2, "noise": 0.05, "seed": 1},
        "hidden": [8, 8], "activation": "tanh", "loss": "cross_entropy",
        "normalize_features": true, "optimizer": {"name": "adam", "lr": 0.02},
        "batch_size": 20, "epochs": EPOCHS, "seed": seed, "noise_batches": 0
    }))
}

/// One sampled point of the scatter: the loss, the gradient norm and the Hessian's signs.
#[derive(Debug, Clone, Serialize)]
pub struct SpectrumPoint {
    pub seed: u64,
    pub epoch: usize,
    pub loss: f64,
    pub gradient_norm: f64,
    pub minimum_ratio: f64,
    pub negative: usize,
    pub lambda_min: f64,
    pub lambda_max: f64,
}

/// The scatter: every seed, every epoch.
pub fn scatter() -> Result<Vec<SpectrumPoint>> {
    let mut out = Vec::new();
    for seed in 0..SEEDS {
        let mut session = config(seed)?.build()?;
        for epoch in 1..=EPOCHS {
            session.trainer.run_epoch()?;
            let s = hessian_spectrum(&session, &SpectrumOptions::default())?;
            let negative = s.signs.map_or(0, |c| c.negative);
            out.push(SpectrumPoint {
                seed,
                epoch,
                loss: s.loss,
                gradient_norm: s.gradient_norm,
                minimum_ratio: s.minimum_ratio.unwrap_or(f64::NAN),
                negative,
                lambda_min: s.smallest.first().copied().unwrap_or(f64::NAN),
                lambda_max: s.largest.first().copied().unwrap_or(f64::NAN),
            });
        }
    }
    Ok(out)
}

fn build() -> Result<Scene> {
    let classifier = (0..SEEDS)
        .map(|seed| {
            Ok(ClassifierRun {
                label: Text::owned(format!("seed {seed}"), format!("种子 {seed}")),
                config: config(seed)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Scene {
        id: DEF.id,
        version: 1,
        lab: LabKind::Classifier,
        title: Text::new("Saddle points outnumber minima", "鞍点比最小值多"),
        explanation: Text::new("In a space of hundreds of parameters, a critical point is a minimum only if all eigenvalues of the Hessian are positive — one negative direction makes it a saddle. Here a 2-8-8-2 network (107 parameters) is trained from four initializations and the exact Hessian is computed after every epoch. The minimum ratio, the fraction of positive eigenvalues, is plotted against the loss: even where the loss levels off, negative eigenvalues remain.", "在数百个参数的空间里，临界点只有在海森矩阵所有特征值都为正时才是最小值——只要有一个负方向，它就是鞍点。这里用四个初始化训练一个 2-8-8-2 网络（107 个参数），每个 epoch 后计算精确的海森矩阵。把最小值比例（正特征值所占的比例）对损失作图：即使损失趋于平稳，负特征值仍然存在。"),
        formula_mathml: "<math display=\"block\"><mi>Minimum ratio</mi><mo>=</mo><mfrac><mrow><mi>Number of positive eigenvalues</mi></mrow><mrow><mi>Number of eigenvalues</mi></mrow></mfrac></math>",
        claim: Text::new("At most of the sampled points (every epoch of 4 runs) the Hessian has at least one clearly negative eigenvalue, and the minimum ratio never reaches 1.", "在大多数采样点（4 次运行的每个 epoch）上，海森矩阵至少有一个明显为负的特征值，最小值比例从未达到 1。"),
        panels: Vec::new(),
        classifier,
    })
}

fn check() -> Result<Check> {
    let mut c = Claim::default();
    let points = scatter()?;
    let n = points.len() as f64;
    let with_negative = points
        .iter()
        .filter(|p| p.lambda_min < -1e-6 * p.lambda_max.abs())
        .count() as f64;
    let best_ratio = points
        .iter()
        .map(|p| p.minimum_ratio)
        .fold(f64::NEG_INFINITY, f64::max);
    c.greater(
        "fraction of sampled points with λmin < −10⁻⁶·λmax",
        with_negative / n,
        0.5,
    );
    c.less("largest minimum ratio", best_ratio, 1.0);
    c.measure("points", points);
    Ok(c.finish(DEF.id))
}
