//! Scene: saddle points outnumber local minima, the lecture's experiment. Small networks of two
//! sizes are trained from many initializations, each is driven to a genuine critical point
//! (‖∇L‖ ≤ 10⁻⁹, damped Newton on the exact Hessian), and only there the minimum ratio is read.

use super::{train_config, Check, Claim, ClassifierRun, LabKind, Scene, SceneDef, Text};
use crate::error::Result;
use crate::nn::hessian::{seek_critical_point, BatchLoss, CriticalSearchOptions};
use crate::nn::{Mode, TrainConfig};
use serde::Serialize;
use serde_json::json;

pub const DEF: SceneDef = SceneDef {
    id: "saddles_outnumber",
    build,
    check,
};

/// The hidden layers of the two network sizes.
const SIZES: [&[usize]; 2] = [&[3], &[5]];
/// Initializations per size.
const SEEDS: u64 = 6;
/// Epochs of full-batch Adam before each search: stops early and late in training.
const STOPS: [usize; 4] = [15, 30, 60, 120];
/// The search stops at this gradient norm; a point counts only below [`CRITICAL`].
const OPTIONS: CriticalSearchOptions = CriticalSearchOptions {
    gradient_tolerance: 1e-9,
    max_iterations: 30,
    zero_tolerance: 1e-7,
    l2: L2,
};
/// The L2 penalty of the training loss (Adam's `weight_decay`), also in the search.
const L2: f64 = 1e-3;
/// The largest ‖∇L‖ of a point that counts as critical.
const CRITICAL: f64 = 1e-6;
/// At most this fraction of the critical points may be local minima ("few").
const FEW_MINIMA: f64 = 0.5;
/// The rank correlation of loss and minimum ratio must be below this (low loss, high ratio).
const CORRELATION: f64 = -0.3;
/// At least this many critical points.
const MIN_POINTS: usize = 20;

/// Noisy XOR, 60 points: the classes overlap, so no small network separates them.
fn config(hidden: &[usize], seed: u64, epochs: usize) -> Result<TrainConfig> {
    train_config(json!({
        "data": {"name": "xor", "n": ROWS, "classes": 2, "noise": 0.5, "seed": 1},
        "hidden": hidden, "activation": "tanh", "loss": "cross_entropy",
        "normalize_features": true,
        "optimizer": {"name": "adam", "lr": 0.05, "weight_decay": L2},
        "batch_size": ROWS, "epochs": epochs, "seed": seed, "noise_batches": 0
    }))
}

const ROWS: usize = 100;

/// One critical point reached: the lecture's scatter is `loss` against `minimum_ratio`.
#[derive(Debug, Clone, Serialize)]
pub struct CriticalPointSample {
    /// The network's hidden widths and initialization.
    pub hidden: Vec<usize>,
    pub seed: u64,
    pub loss: f64,
    pub grad_norm: f64,
    /// `positive / (positive + negative)`: zero eigenvalues (flat directions) are left out.
    pub minimum_ratio: f64,
    pub positive: usize,
    pub negative: usize,
    pub zero: usize,
    pub parameters: usize,
}

/// Train every size and seed of `configs`, drive each to a critical point and keep those
/// reached (‖∇L‖ ≤ [`CRITICAL`]); also returns how many searches did not get there.
pub fn critical_points(configs: &[TrainConfig]) -> Result<(Vec<CriticalPointSample>, usize)> {
    let mut points = Vec::new();
    let mut missed = 0;
    for cfg in configs {
        let mut session = cfg.build()?;
        for _ in 0..cfg.epochs {
            session.trainer.run_epoch()?;
        }
        let net = session.trainer.network();
        let data = session.trainer.train_data();
        let mut loss = BatchLoss::new(net, &data.x, &data.y, Mode::Train)?;
        let found = seek_critical_point(&mut loss, net.params(), &OPTIONS)?;
        let ratio = found.minimum_ratio();
        match ratio {
            Some(ratio) if found.gradient_norm <= CRITICAL => points.push(CriticalPointSample {
                hidden: cfg.hidden.clone(),
                seed: cfg.seed,
                loss: found.loss,
                grad_norm: found.gradient_norm,
                minimum_ratio: ratio,
                positive: found.signs.positive,
                negative: found.signs.negative,
                zero: found.signs.zero,
                parameters: net.n_params(),
            }),
            _ => missed += 1,
        }
    }
    Ok((points, missed))
}

/// Spearman's rank correlation (average ranks for ties); NaN when either side is constant.
pub fn rank_correlation(a: &[f64], b: &[f64]) -> f64 {
    fn ranks(v: &[f64]) -> Vec<f64> {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by(|&i, &j| v[i].total_cmp(&v[j]));
        let mut r = vec![0.0; v.len()];
        let mut i = 0;
        while i < idx.len() {
            let mut j = i;
            while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
                j += 1;
            }
            let avg = (i + j) as f64 / 2.0;
            for &k in &idx[i..=j] {
                r[k] = avg;
            }
            i = j + 1;
        }
        r
    }
    let (ra, rb) = (ranks(a), ranks(b));
    let n = ra.len() as f64;
    let mean = (n - 1.0) / 2.0;
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in ra.iter().zip(&rb) {
        sab += (x - mean) * (y - mean);
        saa += (x - mean) * (x - mean);
        sbb += (y - mean) * (y - mean);
    }
    sab / (saa * sbb).sqrt()
}

/// The lecture's claim over a set of critical points (the scene's and the negative control's).
pub fn judge(points: &[CriticalPointSample], missed: usize) -> Check {
    let mut c = Claim::default();
    let n = points.len();
    c.greater(
        &format!("critical points reached (‖∇L‖ ≤ {CRITICAL:e})"),
        n as f64,
        MIN_POINTS as f64 - 0.5,
    );
    let minima = points.iter().filter(|p| p.negative == 0).count();
    c.less(
        "fraction of the critical points that are local minima (no negative eigenvalue)",
        minima as f64 / n as f64,
        FEW_MINIMA,
    );
    let loss: Vec<f64> = points.iter().map(|p| p.loss).collect();
    let ratio: Vec<f64> = points.iter().map(|p| p.minimum_ratio).collect();
    c.less(
        "rank correlation of loss and minimum ratio (lower loss, higher ratio)",
        rank_correlation(&loss, &ratio),
        CORRELATION,
    );
    c.measure("searches that did not reach ‖∇L‖ ≤ 1e-6", missed);
    c.measure("local minima", minima);
    c.measure(
        "zero eigenvalue tolerance (relative to max |λ|)",
        OPTIONS.zero_tolerance,
    );
    c.table("points", points);
    c.finish(DEF.id)
}

fn configs() -> Result<Vec<TrainConfig>> {
    let mut out = Vec::new();
    for hidden in SIZES {
        for seed in 0..SEEDS {
            for epochs in STOPS {
                out.push(config(hidden, seed, epochs)?);
            }
        }
    }
    Ok(out)
}

/// The networks as the text names them, from the built sessions: "2-3-2 (17 parameters) and
/// 2-5-2 (27 parameters)" in both languages, and the number of training rows they see.
fn sizes_text() -> Result<(String, String, usize)> {
    let mut en = Vec::new();
    let mut zh = Vec::new();
    let mut rows = 0;
    for hidden in SIZES {
        let session = config(hidden, 0, STOPS[0])?.build()?;
        let net = session.trainer.network();
        let n = net.n_params();
        let shape: Vec<String> = std::iter::once(net.spec().input_dim)
            .chain(hidden.iter().copied())
            .chain(std::iter::once(net.spec().classes()))
            .map(|w| w.to_string())
            .collect();
        en.push(format!("{} ({n} parameters)", shape.join("-")));
        zh.push(format!("{}（{n} 个参数）", shape.join("-")));
        rows = session.trainer.train_data().len();
    }
    Ok((en.join(" and "), zh.join(" 和 "), rows))
}

fn build() -> Result<Scene> {
    let classifier = SIZES
        .iter()
        .map(|hidden| {
            let (shape_en, shape_zh) = (format!("{hidden:?}"), format!("{hidden:?}"));
            Ok(ClassifierRun {
                label: Text::owned(
                    format!("hidden {shape_en}, seed 0"),
                    format!("隐藏层 {shape_zh}，种子 0"),
                ),
                config: config(hidden, 0, STOPS[STOPS.len() - 1])?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let (sizes_en, sizes_zh, train) = sizes_text()?;
    let runs = SIZES.len() * SEEDS as usize * STOPS.len();
    let stops = STOPS.map(|s| s.to_string()).join(", ");
    let few = FEW_MINIMA * 100.0;
    Ok(Scene {
        id: DEF.id,
        version: 2,
        lab: LabKind::Classifier,
        title: Text::new("Saddle points outnumber local minima", "鞍点比局部最小值多"),
        explanation: Text::owned(
            format!(
                "At a critical point the gradient is zero and the Hessian decides: all eigenvalues positive ⇒ a local minimum, all negative ⇒ a local maximum, some positive and some negative ⇒ a saddle point. The lecture's experiment: train a network until the gradient is really small, then count. Here networks of two sizes, {sizes_en}, are trained on the {train} training points of a {ROWS}-point noisy XOR from {SEEDS} initializations each, stopped after {stops} epochs of full-batch Adam ({runs} runs), and each is then driven to a point where ‖∇L‖ ≤ {CRITICAL:e} by damped Newton steps on the exact Hessian. The loss carries a small L2 penalty ({L2:e}·‖θ‖²/2, Adam's weight decay), so every critical point lies at a finite distance. Only there is the minimum ratio read: positive eigenvalues over all eigenvalues that are not zero (|λ| ≤ {:e}·max|λ| counts as zero, a flat direction; the L2 penalty leaves few or none). Run the check to plot loss against minimum ratio."
                , OPTIONS.zero_tolerance
            ),
            format!(
                "在临界点上梯度为零，由海森矩阵决定类型：特征值全为正 ⇒ 局部最小值，全为负 ⇒ 局部最大值，有正有负 ⇒ 鞍点。课上的实验：把网络训练到梯度真的很小，再数特征值。这里在 {ROWS} 个带噪声的 XOR 点中的 {train} 个训练点上训练两种大小的网络 {sizes_zh}，各从 {SEEDS} 个初始化出发，全批量 Adam 分别训练 {stops} 个轮次后停下（共 {runs} 次），再用基于精确海森矩阵的阻尼牛顿步把每个网络推到 ‖∇L‖ ≤ {CRITICAL:e} 的点。损失带一个小的 L2 惩罚（{L2:e}·‖θ‖²/2，即 Adam 的权重衰减），所以每个临界点都在有限远处。只在那里读取最小值比例：正特征值个数除以非零特征值个数（|λ| ≤ {:e}·max|λ| 视为零，即平坦方向；有了 L2 惩罚，这样的方向很少或没有）。运行检验即可画出损失与最小值比例的散点图。"
                , OPTIONS.zero_tolerance
            ),
        ),
        formula_mathml: "<math display=\"block\"><mi>Minimum ratio</mi><mo>=</mo><mfrac><mrow><mi>Number of positive eigenvalues</mi></mrow><mrow><mi>Number of non-zero eigenvalues</mi></mrow></mfrac></math>",
        claim: Text::owned(
            format!(
                "Of the critical points reached (at least {MIN_POINTS}, every one with ‖∇L‖ ≤ {CRITICAL:e}), fewer than {few}% are local minima, and the ones with the lowest loss have the highest minimum ratios (rank correlation of loss and ratio below {CORRELATION})."
            ),
            format!(
                "在到达的临界点中（至少 {MIN_POINTS} 个，每个的 ‖∇L‖ ≤ {CRITICAL:e}），局部最小值不到 {few}%，而损失最低的点最小值比例最高（损失与比例的秩相关系数低于 {CORRELATION}）。"
            ),
        ),
        panels: Vec::new(),
        classifier,
    })
}

fn check() -> Result<Check> {
    let (points, missed) = critical_points(&configs()?)?;
    Ok(judge(&points, missed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_correlation_of_monotone_and_constant_series() {
        assert!((rank_correlation(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
        assert!((rank_correlation(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]) - 1.0).abs() < 1e-12);
        assert!(rank_correlation(&[1.0, 2.0, 3.0], &[1.0, 1.0, 1.0]).is_nan());
    }

    #[test]
    fn negative_control_softmax_regression_has_only_minima_and_the_claim_fails() {
        // Softmax regression (no hidden layer) is convex: every search ends at its minimum,
        // ratio 1 apart from the zero modes, so "few are local minima" is false.
        let configs: Vec<TrainConfig> = (0..MIN_POINTS as u64)
            .map(|seed| config(&[], seed, STOPS[(seed % 4) as usize]))
            .collect::<Result<_>>()
            .unwrap();
        let (points, missed) = critical_points(&configs).unwrap();
        assert_eq!(missed, 0);
        assert!(points
            .iter()
            .all(|p| p.minimum_ratio == 1.0 && p.negative == 0));
        assert!(points
            .iter()
            .all(|p| p.positive + p.negative + p.zero == p.parameters));
        let check = judge(&points, missed);
        assert!(!check.pass, "{check:?}");
        let minima = &check.conditions[1];
        assert!(!minima.pass && minima.value == 1.0, "{minima:?}");
    }
}
