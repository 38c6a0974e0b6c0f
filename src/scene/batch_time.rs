//! Scene 9: batch size and time — the lecture's small-vs-large table, measured by training the
//! same network from the same initialization at several batch sizes.
//!
//! The check measures the table's rows on the CPU backend: the time of one update and of one
//! epoch at each batch size (medians of repeated timings, the sizes interleaved so that a busy
//! moment of the machine touches them all alike) and the gradient noise `E‖g_B − g‖²` (the
//! spread of minibatch gradients around the full gradient). The timing conditions leave a wide
//! margin for noise. The lecture's "with parallel hardware" row is not measured here: the CPU
//! backend runs on one core, and the check says so; the classifier page times the GPU column.

use super::{train_config, Check, Claim, ClassifierRun, LabKind, Scene, SceneDef, Text};
use crate::error::Result;
use crate::nn::noise::gradient_noise;
use crate::nn::{default_clock, Clock, CpuBackend, Rng, TrainConfig, Trainer};
use serde_json::json;

pub const DEF: SceneDef = SceneDef {
    id: "batch_time",
    build,
    check,
};

/// The sizes of the runs and of the check; the last is the whole training set.
pub const BATCH_SIZES: [usize; 5] = [1, 8, 32, 128, 200];
const EPOCHS: usize = 5;
/// Rounds of timing; each times one sample of every batch size.
const ROUNDS: usize = 15;
/// A sample is as many epochs as last about this long (at most `MAX_SAMPLE_EPOCHS`), so that a
/// browser's clock, rounded to 0.1 ms, still reads it to about 2%.
const SAMPLE_SECONDS: f64 = 0.006;
const MAX_SAMPLE_EPOCHS: usize = 256;
/// Minibatches drawn per batch size for the gradient noise.
const NOISE_SAMPLES: usize = 64;
/// Time per update at the full batch over time per update at B = 1 must exceed this.
pub const UPDATE_GROWTH: f64 = 5.0;
/// Time per epoch at B = 1 over time per epoch at the full batch must exceed this.
pub const EPOCH_FALL: f64 = 1.5;
/// Time per epoch at B = 1 over time per epoch at every larger size must exceed this.
pub const EPOCH_SLOWEST: f64 = 1.1;
/// Tolerance for timing noise between neighbouring sizes: the next size's time per update may
/// not fall below `1 − NEIGHBOUR_TOL` of this one's.
pub const NEIGHBOUR_TOL: f64 = 0.25;
/// Gradient noise at B = 1 over gradient noise at B = 128 must exceed this.
pub const NOISE_RATIO: f64 = 20.0;
/// What the check says about the "with parallel hardware" row.
pub const PARALLEL: &str = "not measured: no hardware GPU adapter (the check trains on the CPU backend, one core; the classifier page times a GPU column when WebGPU offers an adapter, and says when it is a software one)";

fn base() -> Result<TrainConfig> {
    train_config(json!({
        "data": {"name": "spiral", "n": 400, "classes": 2, "noise": 0.05, "seed": 1},
        "hidden": [16, 16], "activation": "tanh", "loss": "cross_entropy",
        "normalize_features": true, "optimizer": {"name": "adam", "lr": 0.01},
        "batch_size": 32, "epochs": EPOCHS, "seed": 0, "noise_batches": 16
    }))
}

fn build() -> Result<Scene> {
    let last = BATCH_SIZES.len() - 1;
    let (one, n, big) = (BATCH_SIZES[0], BATCH_SIZES[last], BATCH_SIZES[last - 1]);
    let mut classifier = Vec::new();
    for b in BATCH_SIZES {
        let mut config = base()?;
        config.batch_size = b;
        let label = if b == n {
            Text::owned(
                format!("B = {b} (full batch)"),
                format!("B = {b}（全批量）"),
            )
        } else {
            Text::owned(format!("B = {b}"), format!("B = {b}"))
        };
        classifier.push(ClassifierRun { label, config });
    }
    let (g, f, sl, tol, r) = (
        UPDATE_GROWTH,
        EPOCH_FALL,
        EPOCH_SLOWEST,
        NEIGHBOUR_TOL * 100.0,
        NOISE_RATIO,
    );
    Ok(Scene {
        id: DEF.id,
        version: 2,
        lab: LabKind::Classifier,
        title: Text::new("Small batch vs large batch", "较小的批量与较大的批量"),
        explanation: Text::new("One epoch sees every training example once, in N/B updates. A small batch takes many cheap, noisy updates per epoch; a large batch takes few, steady ones. Without parallelism (this page's CPU backend, and the check) an update costs more the larger B is, yet an epoch costs less, because the fixed cost of each update is paid fewer times. The lecture's other row, that with parallel hardware the time per update stays about the same until B is large, needs a GPU: the CPU check cannot show it. The batch-size experiment below times a GPU column when WebGPU offers an adapter; a software adapter (such as SwiftShader) runs on the CPU and proves nothing about parallel hardware, and the page says so.", "一个轮次把每个训练样本看一遍，共 N/B 次更新。较小的批量每个轮次有许多廉价而嘈杂的更新；较大的批量更新少而稳定。没有并行时（本页的 CPU 后端，以及这个检验），B 越大一次更新越慢，但一个轮次反而更快，因为每次更新的固定开销付的次数更少。讲义的另一行——有并行硬件时，在 B 很大之前每次更新的耗时几乎不变——需要 GPU：CPU 上的检验无法显示它。下面的批量大小实验在 WebGPU 提供适配器时会测出 GPU 一列；软件适配器（如 SwiftShader）运行在 CPU 上，不能证明任何关于并行硬件的事，页面会明确说明。"),
        formula_mathml: "<math display=\"block\"><msub><mi>g</mi><mi>B</mi></msub><mo>=</mo><mfrac><mn>1</mn><mi>B</mi></mfrac><munder><mo>∑</mo><mrow><mi>n</mi><mo>∈</mo><mi>batch</mi></mrow></munder><mi>∇</mi><msub><mi>e</mi><mi>n</mi></msub><mo>,</mo><mspace width=\"1em\"/><mi>E</mi><msup><mrow><mo>‖</mo><msub><mi>g</mi><mi>B</mi></msub><mo>−</mo><mi>g</mi><mo>‖</mo></mrow><mn>2</mn></msup><mo>∝</mo><mfrac><mrow><mi>N</mi><mo>−</mo><mi>B</mi></mrow><mrow><mi>B</mi><mo>(</mo><mi>N</mi><mo>−</mo><mn>1</mn><mo>)</mo></mrow></mfrac></math>",
        claim: Text::owned(
            format!("Measured on the CPU backend (each number the median over repeated rounds that time every batch size side by side): the time per update at B = {n} (the full batch) is more than {g} times that at B = {one}, and it never falls by more than {tol}% from one batch size to the next; the time per epoch at B = {one} is more than {f} times that at B = {n} and more than {sl} times that at every larger batch size (at the large sizes it levels off, where the fixed cost of an update no longer counts); the gradient noise E‖g_B − g‖² falls at every step from B = {one} to B = {big} and is more than {r} times larger at B = {one} than at B = {big}. Time per update on parallel hardware is not measured by this check."),
            format!("在 CPU 后端上测量（每个数都是多轮计时的中位数，每轮依次测量所有批量大小）：B = {n}（全批量）时每次更新的耗时是 B = {one} 时的 {g} 倍以上，且从一个批量大小到下一个下降不超过 {tol}%；B = {one} 时每个轮次的耗时是 B = {n} 时的 {f} 倍以上，也是任何更较大的批量大小时的 {sl} 倍以上（批量较大时趋于平稳，因为每次更新的固定开销已不再重要）；梯度噪声 E‖g_B − g‖² 从 B = {one} 到 B = {big} 每一步都在减小，B = {one} 时是 B = {big} 时的 {r} 倍以上。并行硬件上每次更新的耗时不由这个检验测量。"),
        ),
        panels: Vec::new(),
        classifier,
    })
}

/// The median of `v` (NaN for none).
fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        0.5 * (v[m - 1] + v[m])
    }
}

/// Timings of every batch size, measured side by side: round after round, one sample of each
/// size, so that a busy moment of the machine touches all sizes of a round alike.
pub struct Timings {
    /// `update[i][r]`: seconds per update of size `i` in round `r`.
    pub update: Vec<Vec<f64>>,
    /// `epoch[i][r]`: seconds per epoch of size `i` in round `r`.
    pub epoch: Vec<Vec<f64>>,
}

impl Timings {
    /// The median over the rounds of `f(update, epoch)`, a number from one round's timings.
    pub fn median_over_rounds(&self, f: impl Fn(&[f64], &[f64]) -> f64) -> f64 {
        let rounds = self.epoch.first().map_or(0, Vec::len);
        let mut v: Vec<f64> = (0..rounds)
            .map(|r| {
                let u: Vec<f64> = self.update.iter().map(|s| s[r]).collect();
                let e: Vec<f64> = self.epoch.iter().map(|s| s[r]).collect();
                f(&u, &e)
            })
            .collect();
        median(&mut v)
    }
}

/// `epochs` epochs of `t`, their updates timed as stretches of consecutive updates (the
/// evaluation after each epoch left out, as the classifier page's sweep times them, so that a
/// coarse clock such as a browser's `performance.now()` still reads them): `(seconds, updates)`.
fn time_epochs(t: &mut Trainer, clock: &dyn Clock, epochs: usize) -> Result<(f64, usize)> {
    let (mut seconds, mut updates, mut done) = (0.0, 0, 0);
    let mut start = None;
    while done < epochs {
        let before = clock.now_seconds();
        if start.is_none() {
            start = before;
        }
        let r = t.step()?;
        updates += 1;
        if r.epoch_end.is_some() {
            // The stretch up to this update, plus this update as the trainer timed it.
            seconds += match (start, before, r.seconds) {
                (Some(a), Some(b), Some(last)) => b - a + last,
                _ => f64::NAN,
            };
            start = None;
            done += 1;
        }
    }
    Ok((seconds, updates))
}

/// Time updates and epochs at each batch size on the CPU backend: a warm-up that finds how many
/// epochs last `SAMPLE_SECONDS`, then `ROUNDS` rounds of one sample a size.
pub fn timings(sizes: &[usize]) -> Result<Timings> {
    let clock = default_clock();
    let mut runs = Vec::new();
    for &b in sizes {
        let mut cfg = base()?;
        cfg.batch_size = b;
        cfg.noise_batches = 0;
        let mut t = cfg.build()?.trainer.with_clock(default_clock());
        // Double the epochs until they last a quarter of a sample, then scale to a sample.
        let mut epochs = 1;
        let seconds = loop {
            let s = time_epochs(&mut t, clock.as_ref(), epochs)?.0;
            if s >= SAMPLE_SECONDS / 4.0 || epochs >= MAX_SAMPLE_EPOCHS {
                break s;
            }
            epochs *= 2;
        };
        let scaled = (epochs as f64 * SAMPLE_SECONDS / seconds).ceil();
        let epochs = if scaled.is_finite() {
            (scaled as usize).clamp(1, MAX_SAMPLE_EPOCHS)
        } else {
            MAX_SAMPLE_EPOCHS
        };
        runs.push((t, epochs));
    }
    let mut out = Timings {
        update: vec![Vec::new(); sizes.len()],
        epoch: vec![Vec::new(); sizes.len()],
    };
    for _ in 0..ROUNDS {
        for (i, (t, epochs)) in runs.iter_mut().enumerate() {
            let (seconds, updates) = time_epochs(t, clock.as_ref(), *epochs)?;
            out.update[i].push(seconds / updates as f64);
            out.epoch[i].push(seconds / *epochs as f64);
        }
    }
    Ok(out)
}

/// `E‖g_B − g‖²` at the initial weights for each batch size, from `NOISE_SAMPLES` minibatches.
pub fn noise(sizes: &[usize]) -> Result<Vec<f64>> {
    let session = base()?.build()?;
    let mut net = session.trainer.network().clone();
    let data = session.trainer.train_data();
    let mut backend = CpuBackend::new();
    let mut rng = Rng::new(7);
    sizes
        .iter()
        .map(|&b| gradient_noise(&mut backend, &mut net, data, b, NOISE_SAMPLES, &mut rng))
        .collect()
}

fn check() -> Result<Check> {
    let mut c = Claim::default();
    let n_train = base()?.build()?.trainer.train_data().len();
    let times = timings(&BATCH_SIZES)?;
    let last = BATCH_SIZES.len() - 1;
    for (i, b) in BATCH_SIZES.iter().enumerate() {
        c.measure(
            &format!("B = {b}: seconds per update (median over the rounds)"),
            times.median_over_rounds(|u, _| u[i]),
        );
        c.measure(
            &format!("B = {b}: seconds per epoch (median over the rounds)"),
            times.median_over_rounds(|_, e| e[i]),
        );
        c.measure(&format!("B = {b}: updates per epoch"), n_train.div_ceil(*b));
    }
    c.greater(
        &format!(
            "time per update, B = {} / B = {} (median over the rounds)",
            BATCH_SIZES[last], BATCH_SIZES[0]
        ),
        times.median_over_rounds(|u, _| u[last] / u[0]),
        UPDATE_GROWTH,
    );
    let rise = (0..last)
        .map(|i| times.median_over_rounds(|u, _| u[i + 1] / u[i]))
        .fold(f64::INFINITY, f64::min);
    c.greater(
        "time per update: smallest ratio of the next batch size's to this one's (medians over the rounds)",
        rise,
        1.0 - NEIGHBOUR_TOL,
    );
    c.greater(
        &format!(
            "time per epoch, B = {} / B = {} (median over the rounds)",
            BATCH_SIZES[0], BATCH_SIZES[last]
        ),
        times.median_over_rounds(|_, e| e[0] / e[last]),
        EPOCH_FALL,
    );
    let slowest = (1..=last)
        .map(|i| times.median_over_rounds(|_, e| e[0] / e[i]))
        .fold(f64::INFINITY, f64::min);
    c.greater(
        &format!(
            "time per epoch: smallest ratio of B = {}'s to a larger batch size's (medians over the rounds)",
            BATCH_SIZES[0]
        ),
        slowest,
        EPOCH_SLOWEST,
    );
    c.measure(
        "time per epoch: largest ratio of the next batch size's to this one's (medians over the rounds)",
        (0..last)
            .map(|i| times.median_over_rounds(|_, e| e[i + 1] / e[i]))
            .fold(f64::NEG_INFINITY, f64::max),
    );
    let sizes = &BATCH_SIZES[..last];
    let noise = noise(sizes)?;
    for (b, g) in sizes.iter().zip(&noise) {
        c.measure(&format!("B = {b}: gradient noise E‖g_B − g‖²"), g);
    }
    let steepest = noise
        .windows(2)
        .map(|w| w[1] / w[0])
        .fold(f64::NEG_INFINITY, f64::max);
    c.less(
        "gradient noise: largest ratio of the next batch size's to this one's",
        steepest,
        1.0,
    );
    c.greater(
        &format!(
            "gradient noise, B = {} / B = {}",
            sizes[0],
            sizes[sizes.len() - 1]
        ),
        noise[0] / noise[noise.len() - 1],
        NOISE_RATIO,
    );
    let theory = |b: usize| (n_train - b) as f64 / (b as f64 * (n_train - 1) as f64);
    c.measure(
        &format!(
            "gradient noise B = {} / B = {} in theory, (N − B)/(B(N − 1)) at both",
            sizes[0],
            sizes[sizes.len() - 1]
        ),
        theory(sizes[0]) / theory(sizes[sizes.len() - 1]),
    );
    c.measure("minibatches per batch size for the noise", NOISE_SAMPLES);
    c.measure("timing rounds", ROUNDS);
    c.measure("time per update on parallel hardware", PARALLEL);
    Ok(c.finish(DEF.id))
}
