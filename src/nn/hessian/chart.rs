//! The eigenvalue histogram the app draws: equal-width bins on a linear axis, or on a
//! symmetric-log axis when the eigenvalues span decades, each bin's count split by sign.
//!
//! A network's Hessian has a bulk of eigenvalues near zero and a few large outliers (Sagun et
//! al. 2017), so on a linear axis nearly everything falls into one bin. The symmetric log
//! `t(λ) = sign(λ) · log10(1 + |λ|/c)` is linear near zero (|λ| ≲ c) and logarithmic beyond, so
//! the bulk and the outliers, negative and positive, are all visible.

use crate::error::{Error, Result};
use crate::render::nice_ticks;
use serde::Serialize;

/// The most bins a chart may have.
pub const MAX_CHART_BINS: usize = 400;

/// Symlog when the largest |λ| is more than this many times the 90th percentile of |λ|.
const SPREAD_FOR_SYMLOG: f64 = 10.0;

/// The linear part of the symlog axis: `c = max(tolerance, LINEAR_PART · max|λ|)`.
const LINEAR_PART: f64 = 1e-4;

/// How eigenvalues map to the horizontal axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AxisScale {
    /// `t = λ`.
    Linear,
    /// `t = sign(λ) · log10(1 + |λ|/c)`.
    Symlog,
}

/// One bin: `t[0] ≤ t(λ) < t[1]` (the last bin also its upper edge).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChartBin {
    /// The bin's edges on the axis.
    pub t: [f64; 2],
    /// The same edges as eigenvalues.
    pub lambda: [f64; 2],
    /// Eigenvalues below −tolerance, within ±tolerance, above +tolerance.
    pub negative: usize,
    pub zero: usize,
    pub positive: usize,
}

/// A tick of the axis: its place `t` and the eigenvalue it names.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ChartTick {
    pub t: f64,
    pub value: f64,
}

/// The histogram, ready to draw: JS maps `t` linearly to pixels.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpectrumChart {
    pub scale: AxisScale,
    /// `c` of the symlog axis (`None` on a linear axis).
    pub linear_threshold: Option<f64>,
    /// The axis range `[t0, t1]`.
    pub range: [f64; 2],
    pub bins: Vec<ChartBin>,
    pub ticks: Vec<ChartTick>,
    /// The largest bin count (for the vertical axis).
    pub max_count: usize,
    /// |λ| ≤ tolerance counts as zero.
    pub tolerance: f64,
}

fn symlog(v: f64, c: f64) -> f64 {
    v.signum() * (v.abs() / c).ln_1p() / std::f64::consts::LN_10
}

fn symlog_inverse(t: f64, c: f64) -> f64 {
    t.signum() * c * (t.abs() * std::f64::consts::LN_10).exp_m1()
}

/// Bin `eigenvalues` (finite) into `bins` bins, each split by sign with `tolerance`.
pub fn spectrum_chart(eigenvalues: &[f64], tolerance: f64, bins: usize) -> Result<SpectrumChart> {
    if !(1..=MAX_CHART_BINS).contains(&bins) {
        return Err(Error::invalid(
            "bins",
            bins,
            &format!("1..={MAX_CHART_BINS} bins"),
        ));
    }
    if let Some(k) = eigenvalues.iter().position(|v| !v.is_finite()) {
        return Err(Error::invalid(
            &format!("eigenvalues[{k}]"),
            eigenvalues[k],
            "a finite number",
        ));
    }
    if !(tolerance.is_finite() && tolerance >= 0.0) {
        return Err(Error::invalid(
            "tolerance",
            tolerance,
            "a finite number ≥ 0",
        ));
    }
    let mut mags: Vec<f64> = eigenvalues.iter().map(|v| v.abs()).collect();
    crate::order::sort(&mut mags);
    let big = mags.last().copied().unwrap_or(0.0);
    let p90 = mags
        .get((mags.len() * 9 / 10).min(mags.len().saturating_sub(1)))
        .copied()
        .unwrap_or(0.0);
    let c = tolerance.max(LINEAR_PART * big);
    let scale = if big > 0.0 && c > 0.0 && big > SPREAD_FOR_SYMLOG * p90 {
        AxisScale::Symlog
    } else {
        AxisScale::Linear
    };
    let to_t = |v: f64| match scale {
        AxisScale::Linear => v,
        AxisScale::Symlog => symlog(v, c),
    };
    let from_t = |t: f64| match scale {
        AxisScale::Linear => t,
        AxisScale::Symlog => symlog_inverse(t, c),
    };
    let ts: Vec<f64> = eigenvalues.iter().map(|&v| to_t(v)).collect();
    let lo = ts.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = ts.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let [lo, hi] = if ts.is_empty() {
        [-0.5, 0.5]
    } else if lo < hi {
        let pad = 0.02 * (hi - lo);
        [lo - pad, hi + pad]
    } else {
        let half = if lo == 0.0 { 0.5 } else { 0.5 * lo.abs() };
        [lo - half, hi + half]
    };
    let width = (hi - lo) / bins as f64;
    let edge = |k: usize| if k == bins { hi } else { lo + k as f64 * width };
    let mut out: Vec<ChartBin> = (0..bins)
        .map(|k| {
            let (t0, t1) = (edge(k), edge(k + 1));
            ChartBin {
                t: [t0, t1],
                lambda: [from_t(t0), from_t(t1)],
                negative: 0,
                zero: 0,
                positive: 0,
            }
        })
        .collect();
    for (&v, &t) in eigenvalues.iter().zip(&ts) {
        let k = (((t - lo) / width) as usize).min(bins - 1);
        let b = &mut out[k];
        if v > tolerance {
            b.positive += 1;
        } else if v < -tolerance {
            b.negative += 1;
        } else {
            b.zero += 1;
        }
    }
    let ticks = match scale {
        AxisScale::Linear => nice_ticks(lo, hi, 6)
            .into_iter()
            .map(|value| ChartTick { t: value, value })
            .collect(),
        AxisScale::Symlog => symlog_ticks(lo, hi, c),
    };
    let max_count = out
        .iter()
        .map(|b| b.negative + b.zero + b.positive)
        .max()
        .unwrap_or(0);
    Ok(SpectrumChart {
        scale,
        linear_threshold: (scale == AxisScale::Symlog).then_some(c),
        range: [lo, hi],
        bins: out,
        ticks,
        max_count,
        tolerance,
    })
}

/// 0 and ±10^k inside `[lo, hi]` (10^k ≥ c), every other decade when there are many.
fn symlog_ticks(lo: f64, hi: f64, c: f64) -> Vec<ChartTick> {
    let first = c.log10().ceil() as i32;
    let last = symlog_inverse(lo.abs().max(hi.abs()), c).log10().floor() as i32;
    let decades: Vec<i32> = (first..=last.max(first)).collect();
    let stride = if decades.len() > 5 { 2 } else { 1 };
    let mut ticks = vec![ChartTick { t: 0.0, value: 0.0 }];
    for (i, &k) in decades.iter().rev().enumerate() {
        if i % stride != 0 {
            continue;
        }
        let v = 10f64.powi(k);
        for value in [v, -v] {
            let t = symlog(value, c);
            if (lo..=hi).contains(&t) {
                ticks.push(ChartTick { t, value });
            }
        }
    }
    crate::order::sorted_by(&ticks, |tick| tick.t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_eigenvalue_lands_in_one_bin_with_its_sign() {
        let ev = [-3.0, -1e-9, 0.0, 2e-10, 0.5, 1.0, 1.5];
        let c = spectrum_chart(&ev, 1e-8, 7).unwrap();
        assert_eq!(c.scale, AxisScale::Linear);
        let total: usize = c
            .bins
            .iter()
            .map(|b| b.negative + b.zero + b.positive)
            .sum();
        assert_eq!(total, ev.len());
        assert_eq!(c.bins.iter().map(|b| b.negative).sum::<usize>(), 1);
        assert_eq!(c.bins.iter().map(|b| b.zero).sum::<usize>(), 3);
        assert_eq!(c.bins.iter().map(|b| b.positive).sum::<usize>(), 3);
        assert!(spectrum_chart(&[f64::NAN], 0.0, 3).is_err());
        assert!(spectrum_chart(&ev, 0.0, 0).is_err());
    }

    #[test]
    fn a_bulk_with_outliers_gets_a_symlog_axis_that_round_trips() {
        let mut ev: Vec<f64> = (0..100).map(|i| (i as f64 - 40.0) * 1e-4).collect();
        ev.push(50.0);
        ev.push(-2.0);
        let c = spectrum_chart(&ev, 1e-12, 30).unwrap();
        assert_eq!(c.scale, AxisScale::Symlog);
        let th = c.linear_threshold.unwrap();
        for v in [-2.0, -1e-3, 0.0, 1e-3, 50.0] {
            assert!((symlog_inverse(symlog(v, th), th) - v).abs() <= 1e-12 * v.abs().max(1.0));
        }
        assert!(c.ticks.iter().any(|t| t.value == 0.0));
        assert!(c.ticks.iter().any(|t| t.value == 10.0));
        assert!(c.ticks.windows(2).all(|w| w[0].t < w[1].t));
        let total: usize = c
            .bins
            .iter()
            .map(|b| b.negative + b.zero + b.positive)
            .sum();
        assert_eq!(total, ev.len());
    }
}
