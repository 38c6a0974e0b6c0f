//! Scene 3: the lecture's demo on a convex error surface. A fixed lr of 10⁻² bounces between the
//! valley walls, 10⁻⁷ has not arrived after 100,000 updates, the lecture's Adagrad (σ = root mean
//! square of past gradients) reaches the bottom and then bursts sideways, and learning-rate decay
//! settles it. The surface is the preset `ravine_walls`, whose walls have a saturating slope
//! (on a pure quadratic a fixed lr either converges or diverges; it cannot keep bouncing).

use super::{preset_panel, run_config, Check, Claim, LabKind, Scene, SceneDef, SceneRun, Text};
use crate::error::Result;
use crate::sim::{simulate, Trajectory};
use serde_json::json;

pub const DEF: SceneDef = SceneDef {
    id: "ravine",
    build,
    check,
};

const SURFACE: &str = "ravine_walls";
const START: [f64; 2] = [4.0, 1.0];
/// The steps of the runs the lab plays (the lab runs every run for the first run's count).
const STEPS: usize = 1000;
/// The lecture's learning rates, as powers of ten: 10⁻² bounces, 10⁻⁷ crawls.
const LR_LARGE_EXP: i32 = -2;
const LR_TINY_EXP: i32 = -7;
/// The lecture: with 10⁻⁷ the parameters "have not reached the minimum after 100,000 updates".
const TINY_STEPS: usize = 100_000;
/// The lecture's Adagrad: η, and the decay η(t) = η·γᵗ (torch's ExponentialLR) that settles it.
const ETA: f64 = 0.1;
const GAMMA: f64 = 0.995;

// The thresholds the claim judges (its words are formatted from these).
/// Bouncing: y (across the valley) changes sign on more than this share of the first steps.
const FLIP_STEPS: usize = 100;
const FLIP_SHARE: f64 = 0.9;
/// Stalling: the loss after `STEPS` is not below this fraction of the loss at step `STALL_FROM`.
const STALL_FROM: usize = 10;
const STALL_RATIO: f64 = 0.5;
/// The gradient stays large: |∇L| above this at every step of the run.
const GRAD_FLOOR: f64 = 1.0;
/// Crawling: the distance to the minimum is still more than this fraction of the start's.
const FAR: f64 = 0.5;
/// Adagrad reaches loss < 10^LOW_EXP·L₀, then bursts above 10^BURST_EXP·L₀ (L₀ the start's
/// loss; the surface's minimum is 0, so the loss is the gap to the minimum).
const LOW_EXP: i32 = -6;
const BURST_EXP: i32 = -2;
/// With decay, after reaching 10^LOW_EXP·L₀ the loss never climbs above 10^CALM_EXP·L₀, and
/// the last loss is below 10^LOW_EXP·L₀.
const CALM_EXP: i32 = -4;

/// `10⁻⁶` for -6.
fn ten_to(exp: i32) -> String {
    const SUP: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let digits: String = exp
        .unsigned_abs()
        .to_string()
        .chars()
        .map(|d| SUP[d.to_digit(10).unwrap_or(0) as usize])
        .collect();
    format!("10{}{digits}", if exp < 0 { "⁻" } else { "" })
}

fn pow10(exp: i32) -> f64 {
    10f64.powi(exp)
}

/// `100,000`.
fn grouped(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The scene's four runs on `surface`.
fn runs(surface: &str) -> Result<Vec<SceneRun>> {
    let adagrad = json!({"name": "adagrad", "variant": "lecture", "lr": ETA});
    let mut decayed = run_config(surface, START, STEPS, adagrad.clone())?;
    decayed.schedule = Some(
        serde_json::from_value(json!({"name": "exponential", "gamma": GAMMA}))
            .map_err(|e| crate::Error::Config(e.to_string()))?,
    );
    let (large, tiny) = (ten_to(LR_LARGE_EXP), ten_to(LR_TINY_EXP));
    let tiny_steps = grouped(TINY_STEPS);
    Ok(vec![
        SceneRun {
            label: Text::owned(
                format!("GD, lr {large}"),
                format!("梯度下降，学习率 {large}"),
            ),
            config: run_config(
                surface,
                START,
                STEPS,
                json!({"name": "sgd", "lr": pow10(LR_LARGE_EXP)}),
            )?,
        },
        SceneRun {
            label: Text::owned(
                format!("GD, lr {tiny} ({tiny_steps} steps in the check)"),
                format!("梯度下降，学习率 {tiny}（检验时 {tiny_steps} 步）"),
            ),
            config: run_config(
                surface,
                START,
                TINY_STEPS,
                json!({"name": "sgd", "lr": pow10(LR_TINY_EXP)}),
            )?,
        },
        SceneRun {
            label: Text::owned(
                format!("Adagrad (lecture), η {ETA}"),
                format!("Adagrad（课程版），η {ETA}"),
            ),
            config: run_config(surface, START, STEPS, adagrad)?,
        },
        SceneRun {
            label: Text::owned(
                format!("Adagrad (lecture) + decay η(t) = {ETA}·{GAMMA}ᵗ"),
                format!("Adagrad（课程版）+ 学习率衰减 η(t) = {ETA}·{GAMMA}ᵗ"),
            ),
            config: decayed,
        },
    ])
}

fn claim() -> Text {
    let (large, tiny) = (ten_to(LR_LARGE_EXP), ten_to(LR_TINY_EXP));
    let (low, burst, calm) = (ten_to(LOW_EXP), ten_to(BURST_EXP), ten_to(CALM_EXP));
    let flips = FLIP_SHARE * 100.0;
    let tiny_steps = grouped(TINY_STEPS);
    Text::owned(
        format!(
            "lr {large}: y changes sign on > {flips}% of the first {FLIP_STEPS} steps, the run does not diverge, the loss after {STEPS} steps is not below {STALL_RATIO} × the loss at step {STALL_FROM}, and |∇L| > {GRAD_FLOOR} at every step; lr {tiny}: after {tiny_steps} updates the distance to the minimum is still > {FAR} × the start's; lecture Adagrad reaches loss < {low}·L₀ (L₀ the start's loss; the minimum's loss is 0) and later bursts above {burst}·L₀; with decay, once below {low}·L₀ the loss stays < {calm}·L₀ and ends < {low}·L₀."
        ),
        format!(
            "学习率 {large}：前 {FLIP_STEPS} 步中 > {flips}% 的步 y 变号，不发散，{STEPS} 步后的损失不低于第 {STALL_FROM} 步损失的 {STALL_RATIO} 倍，且每一步 |∇L| > {GRAD_FLOOR}；学习率 {tiny}：更新 {tiny_steps} 次后，离全局最小值仍 > 起点离全局最小值的 {FAR} 倍；课程版 Adagrad 的损失降到 < {low}·L₀（L₀ 为起点的损失；全局最小值处损失为 0），之后又爆发到 > {burst}·L₀；加上学习率衰减后，损失一旦低于 {low}·L₀ 就保持 < {calm}·L₀，最终 < {low}·L₀。"
        ),
    )
}

fn build() -> Result<Scene> {
    Ok(Scene {
        id: DEF.id,
        version: 2,
        lab: LabKind::Surface,
        title: Text::new("Adaptive learning rates in a ravine", "山谷中的自适应学习率"),
        explanation: explanation(),
        formula_mathml: "<math display=\"block\"><msubsup><mi>θ</mi><mi>i</mi><mrow><mi>t</mi><mo>+</mo><mn>1</mn></mrow></msubsup><mo>←</mo><msubsup><mi>θ</mi><mi>i</mi><mi>t</mi></msubsup><mo>−</mo><mfrac><msup><mi>η</mi><mi>t</mi></msup><msubsup><mi>σ</mi><mi>i</mi><mi>t</mi></msubsup></mfrac><msubsup><mi>g</mi><mi>i</mi><mi>t</mi></msubsup><mo>,</mo><mspace width=\"1em\"/><msubsup><mi>σ</mi><mi>i</mi><mi>t</mi></msubsup><mo>=</mo><msqrt><mrow><mfrac><mn>1</mn><mrow><mi>t</mi><mo>+</mo><mn>1</mn></mrow></mfrac><munderover><mo>∑</mo><mrow><mi>k</mi><mo>=</mo><mn>0</mn></mrow><mi>t</mi></munderover><msup><mrow><mo>(</mo><msubsup><mi>g</mi><mi>i</mi><mi>k</mi></msubsup><mo>)</mo></mrow><mn>2</mn></msup></mrow></msqrt></math>",
        claim: claim(),
        panels: vec![preset_panel(SURFACE, runs(SURFACE)?)?],
        classifier: Vec::new(),
    })
}

fn explanation() -> Text {
    let (large, tiny) = (ten_to(LR_LARGE_EXP), ten_to(LR_TINY_EXP));
    let tiny_steps = grouped(TINY_STEPS);
    Text::owned(
        format!("On a convex error surface training can stall while the gradient is still large. With a fixed learning rate of {large} the parameters bounce between the walls of the valley: the loss stops falling, yet |∇L| stays large. With {tiny} they have not reached the minimum after {tiny_steps} updates (the lab plays {STEPS} steps; the check runs {tiny_steps}). One learning rate cannot suit both directions, so the lecture's Adagrad gives each parameter its own, η/σ, with σ the root mean square of that parameter's past gradients: steep directions take smaller steps, flat ones larger. It reaches the bottom, but along the flat floor the gradients across the valley are tiny, σ shrinks, the step grows and it bursts sideways. Learning-rate decay (η(t) falling with t) settles it."),
        format!("在凸的误差曲面上，训练也会在梯度仍很大时停滞。固定学习率 {large} 时，参数在山谷的谷壁间来回反弹：损失不再下降，|∇L| 却仍很大。学习率 {tiny} 时，更新 {tiny_steps} 次后仍未到达全局最小值（实验室播放 {STEPS} 步；检验运行 {tiny_steps} 步）。一个学习率无法同时适合两个方向，所以课程版 Adagrad 给每个参数各自的学习率 η/σ，σ 是该参数过去梯度的均方根：陡的方向步子小，平的方向步子大。它能到达谷底，但沿平坦的谷底前进时，横跨山谷方向的梯度很小，σ 变小，步长变大，于是向侧面爆发。学习率衰减（η(t) 随 t 减小）能让它稳定下来。"),
    )
}

/// The largest loss after the run first gets below `low` (None if it never does).
fn after_low(tr: &Trajectory, low: f64) -> Option<(usize, f64)> {
    let first = tr.loss.iter().position(|&l| l < low)?;
    Some((
        first,
        tr.loss[first..]
            .iter()
            .cloned()
            .fold(f64::NEG_INFINITY, f64::max),
    ))
}

fn last(v: &[f64]) -> f64 {
    v.last().copied().unwrap_or(f64::NAN)
}

fn check() -> Result<Check> {
    measure(SURFACE)
}

/// The scene's claim measured on `surface` (the scene's own, or another one for a control).
fn measure(surface: &str) -> Result<Check> {
    let mut c = Claim::default();
    let tr: Vec<Trajectory> = runs(surface)?
        .iter()
        .map(|r| simulate(&r.config))
        .collect::<Result<_>>()?;
    let (large, tiny) = (ten_to(LR_LARGE_EXP), ten_to(LR_TINY_EXP));

    let big = &tr[0];
    let flips = (1..=FLIP_STEPS.min(big.y.len().saturating_sub(1)))
        .filter(|&t| big.y[t] * big.y[t - 1] < 0.0)
        .count() as f64
        / FLIP_STEPS as f64;
    c.greater(
        &format!("lr {large}: share of the first {FLIP_STEPS} steps where y changes sign"),
        flips,
        FLIP_SHARE,
    );
    c.less(
        &format!("lr {large}: steps not taken (the run diverged)"),
        STEPS.saturating_sub(big.loss.len().saturating_sub(1)) as f64,
        1.0,
    );
    let at = |t: usize| big.loss.get(t).copied().unwrap_or(f64::NAN);
    c.measure(
        &format!("lr {large}: loss at step {STALL_FROM}"),
        at(STALL_FROM),
    );
    c.measure(&format!("lr {large}: loss at step {STEPS}"), at(STEPS));
    c.greater(
        &format!("lr {large}: loss at step {STEPS} / loss at step {STALL_FROM}"),
        at(STEPS) / at(STALL_FROM),
        STALL_RATIO,
    );
    let smallest_grad = big
        .gx
        .iter()
        .zip(&big.gy)
        .map(|(gx, gy)| gx.hypot(*gy))
        .fold(f64::INFINITY, f64::min);
    c.greater(
        &format!("lr {large}: smallest |∇L| over all {STEPS} steps"),
        smallest_grad,
        GRAD_FLOOR,
    );

    let crawl = &tr[1];
    let start = START[0].hypot(START[1]);
    c.measure(
        &format!("lr {tiny}: updates taken"),
        crawl.loss.len().saturating_sub(1),
    );
    c.greater(
        &format!(
            "lr {tiny}: distance to the minimum after {} updates / at the start",
            grouped(TINY_STEPS)
        ),
        last(&crawl.x).hypot(last(&crawl.y)) / start,
        FAR,
    );

    let l0 = tr[2].loss.first().copied().unwrap_or(f64::NAN);
    c.measure("L₀ (the loss at the start)", l0);
    let lowest = tr[2].loss.iter().copied().fold(f64::INFINITY, f64::min);
    c.less("Adagrad: lowest loss / L₀", lowest / l0, pow10(LOW_EXP));
    let (first, peak) = after_low(&tr[2], pow10(LOW_EXP) * l0).unwrap_or((0, f64::NAN));
    c.measure(
        &format!("Adagrad: first step with loss < {}·L₀", ten_to(LOW_EXP)),
        first,
    );
    c.greater(
        &format!(
            "Adagrad: largest loss after first reaching {}·L₀, / L₀ (the burst)",
            ten_to(LOW_EXP)
        ),
        peak / l0,
        pow10(BURST_EXP),
    );

    let (first, settled) = after_low(&tr[3], pow10(LOW_EXP) * l0).unwrap_or((0, f64::NAN));
    c.measure(
        &format!(
            "Adagrad + decay: first step with loss < {}·L₀",
            ten_to(LOW_EXP)
        ),
        first,
    );
    c.less(
        &format!(
            "Adagrad + decay: largest loss after first reaching {}·L₀, / L₀",
            ten_to(LOW_EXP)
        ),
        settled / l0,
        pow10(CALM_EXP),
    );
    c.less(
        "Adagrad + decay: final loss / L₀",
        last(&tr[3].loss) / l0,
        pow10(LOW_EXP),
    );
    Ok(c.finish(DEF.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_claim_holds_on_the_walled_ravine() {
        let check = measure(SURFACE).unwrap();
        assert!(check.pass, "{check:#?}");
    }

    /// The negative control: on the pure quadratic `ravine_steep` a fixed lr of 10⁻² converges
    /// across the valley instead of bouncing, so the same check fails there.
    #[test]
    fn the_claim_fails_on_a_pure_quadratic() {
        let check = measure("ravine_steep").unwrap();
        assert!(!check.pass, "{check:#?}");
        let flips = &check.conditions[0];
        assert!(flips.name.contains("changes sign"), "{}", flips.name);
        assert!(!flips.pass, "{flips:?}");
    }

    #[test]
    fn the_words_carry_the_judged_numbers() {
        let claim = claim();
        for n in ["10⁻²", "10⁻⁷", "100,000", "10⁻⁶", "10⁻²·L₀", "10⁻⁴", "90%"]
        {
            assert!(claim.en.contains(n) && claim.zh.contains(n), "{n}");
        }
        assert_eq!(ten_to(-6), "10⁻⁶");
        assert_eq!(ten_to(12), "10¹²");
        assert_eq!(grouped(100_000), "100,000");
        assert_eq!(grouped(999), "999");
    }
}
