//! Which values get colours and contour lines. Loss surfaces span many orders of magnitude
//! (Rosenbrock: 0 to 10^4), so linear levels hide the minimum; these follow the values' own
//! distribution (quantiles, the empirical CDF) or are log-spaced above the minimum.

/// At most this many values are sorted to estimate the distribution.
const SAMPLE: usize = 16_384;

/// The sorted finite values of `values` (a strided sample of at most [`SAMPLE`]).
pub(crate) fn sorted_sample(values: &[f64]) -> Vec<f64> {
    let stride = values.len().div_ceil(SAMPLE).max(1);
    let mut sample: Vec<f64> = values
        .iter()
        .step_by(stride)
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    crate::order::sort(&mut sample);
    sample
}

/// The `q`-quantile (0 ≤ q ≤ 1) of sorted values, interpolating linearly.
pub(crate) fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    let (a, b, f) = (sorted[lo], sorted[hi], pos - lo as f64);
    // b − a overflows for values near ±MAX; the weighted form does not.
    let gap = b - a;
    let v = if gap.is_finite() {
        a + f * gap
    } else {
        a * (1.0 - f) + b * f
    };
    v.clamp(a, b)
}

/// The first knot above `v` for `k[0] < v < k[last]` (so 1 ≤ i ≤ len − 1), walking at most
/// four knots from `hint` before a binary search.
#[inline(always)]
fn first_above(k: &[f64], v: f64, hint: usize) -> usize {
    // `max`/`min` rather than `clamp`: opt-level z keeps `Ord::clamp` a call.
    let mut i = hint.max(1).min(k.len() - 1);
    for _ in 0..4 {
        if v < k[i - 1] {
            i -= 1;
        } else if v >= k[i] {
            i += 1;
        } else {
            return i;
        }
        if i == 0 || i == k.len() {
            break;
        }
    }
    k.partition_point(|knot| *knot <= v).max(1).min(k.len() - 1)
}

/// The most levels any helper here returns; larger requests are cut to this.
pub const MAX_LEVELS: usize = 1024;

/// `n` (at most [`MAX_LEVELS`]) contour levels at the quantiles `(k + 1/2) / n` of the finite values, strictly
/// increasing (repeated levels of flat regions are dropped). Empty when no value is finite.
pub fn quantile_levels(values: &[f64], n: usize) -> Vec<f64> {
    let n = n.min(MAX_LEVELS);
    let sorted = sorted_sample(values);
    if sorted.is_empty() {
        return Vec::new();
    }
    let mut levels: Vec<f64> = Vec::with_capacity(n);
    for k in 0..n {
        let level = quantile(&sorted, (k as f64 + 0.5) / n as f64);
        if levels.last().is_none_or(|last| level > *last) {
            levels.push(level);
        }
    }
    levels
}

/// `n` contour levels for a picture: about two thirds at quantiles (even coverage of the
/// view), the rest log-spaced (over two decades) between the minimum and the lowest quantile
/// level, so the basin of a minimum shows its structure too. Strictly increasing.
pub fn contour_levels(values: &[f64], n: usize) -> Vec<f64> {
    let n = n.min(MAX_LEVELS);
    let in_basin = n / 3;
    let mut levels = quantile_levels(values, n - in_basin);
    let min = values
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(f64::INFINITY, f64::min);
    if let Some(&lowest) = levels.first() {
        let mut basin = log_levels(min, lowest, in_basin + 1, 2.0);
        basin.pop(); // the last one is `lowest` itself
        basin.retain(|l| *l > min && *l < lowest);
        basin.extend(levels);
        levels = basin;
    }
    levels
}

/// `n` levels log-spaced above `min`: `min + span * 10^(-decades * (1 - k/(n-1)))`, so the
/// lowest lies `decades` orders of magnitude above the minimum and the highest at `max`.
pub fn log_levels(min: f64, max: f64, n: usize, decades: f64) -> Vec<f64> {
    let n = n.min(MAX_LEVELS);
    let span = max - min;
    if !(span > 0.0 && span.is_finite()) || n == 0 {
        return Vec::new();
    }
    if n == 1 {
        return vec![max];
    }
    (0..n)
        .map(|k| min + span * 10f64.powf(-decades * (1.0 - k as f64 / (n - 1) as f64)))
        .collect()
}

/// Maps a value to [0, 1] by the values' empirical CDF (histogram equalization), so every
/// colour of the map covers about the same area and the basin of a minimum shows structure.
#[derive(Debug, Clone, PartialEq)]
pub struct ColorScale {
    /// 257 quantiles of the finite values (empty when none is finite).
    knots: Vec<f64>,
}

impl ColorScale {
    /// The scale of these values (non-finite values are ignored).
    pub fn from_values(values: &[f64]) -> ColorScale {
        let sorted = sorted_sample(values);
        let knots = if sorted.is_empty() {
            Vec::new()
        } else {
            (0..=256)
                .map(|k| quantile(&sorted, k as f64 / 256.0))
                .collect()
        };
        ColorScale { knots }
    }

    /// The position of `v` in [0, 1]; `None` for a non-finite value or when the scale is empty.
    pub fn t(&self, v: f64) -> Option<f64> {
        self.t_near(v, &mut 1)
    }

    /// [`Self::t`], starting the search from `hint` (the knot index the last call found, kept
    /// by the caller): neighbouring pixels of a smooth surface fall between the same or nearby
    /// knots, so a short walk from there replaces most binary searches (same result: the
    /// interval `k[i-1] ≤ v < k[i]` is unique).
    #[inline(always)]
    pub fn t_near(&self, v: f64, hint: &mut usize) -> Option<f64> {
        if !v.is_finite() || self.knots.is_empty() {
            return None;
        }
        // A slice: indexing the Vec itself stays a call per index at opt-level z.
        let k: &[f64] = &self.knots;
        let (lo, hi) = (k[0], k[k.len() - 1]);
        if hi <= lo {
            return Some(0.5);
        }
        if v <= lo {
            return Some(0.0);
        }
        if v >= hi {
            return Some(1.0);
        }
        // First knot above v; v lies in [k[i-1], k[i]) (lo < v < hi, so 1 ≤ i ≤ len - 1).
        // Equal knots (plateaus) take their middle rank: only when v is a knot is there a
        // second search, for the first knot equal to it.
        let i = first_above(k, v, *hint);
        *hint = i;
        let below = if k[i - 1] == v {
            k.partition_point(|knot| *knot < v)
        } else {
            i
        };
        let segments = (k.len() - 1) as f64;
        if below < i {
            return Some(((below + i - 1) as f64 / 2.0) / segments);
        }
        let f = (v - k[i - 1]) / (k[i] - k[i - 1]);
        Some(((i - 1) as f64 + f) / segments)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The earlier form of `ColorScale::t`'s inner part: both searches every time.
    fn t_by_two_searches(k: &[f64], v: f64) -> f64 {
        let i = k.partition_point(|knot| *knot <= v).clamp(1, k.len() - 1);
        let below = k.partition_point(|knot| *knot < v);
        let segments = (k.len() - 1) as f64;
        if below < i {
            return ((below + i - 1) as f64 / 2.0) / segments;
        }
        let f = (v - k[i - 1]) / (k[i] - k[i - 1]);
        ((i - 1) as f64 + f) / segments
    }

    /// A scale with plateaus (repeated values make repeated knots) and a smooth part, its
    /// knots, and probes: a smooth sweep of its range and every knot with its neighbours.
    fn plateau_scale_and_probes() -> (ColorScale, Vec<f64>, Vec<f64>) {
        let values: Vec<f64> = (0..5000)
            .map(|i| {
                if i < 2000 {
                    (i / 400) as f64
                } else {
                    5.0 + ((i - 2000) as f64).sqrt()
                }
            })
            .collect();
        let scale = ColorScale::from_values(&values);
        let k = scale.knots.clone();
        let (lo, hi) = (k[0], k[k.len() - 1]);
        let mut probes: Vec<f64> = (0..20_000)
            .map(|j| lo + (hi - lo) * j as f64 / 20_000.0)
            .collect();
        for knot in &k {
            probes.extend([*knot, knot.next_up(), knot.next_down()]);
        }
        (scale, k, probes)
    }

    #[test]
    fn the_hinted_search_gives_the_plain_values() {
        let (scale, k, mut probes) = plateau_scale_and_probes();
        let (lo, hi) = (k[0], k[k.len() - 1]);
        // Besides the smooth sweep (the hint's usual case): jumps across the range, and
        // values outside it.
        probes.extend((0..5_000).map(|j| lo + (hi - lo) * ((j * 7919) % 5_000) as f64 / 5_000.0));
        probes.extend([lo - 1.0, hi + 1.0, f64::NAN]);
        let mut hint = 0;
        for v in probes {
            let want: Option<f64> = if v > lo && v < hi {
                Some(t_by_two_searches(&k, v))
            } else {
                scale.t(v)
            };
            assert_eq!(scale.t_near(v, &mut hint), want, "v = {v:e}");
        }
    }

    #[test]
    fn one_search_off_the_knots_gives_the_two_search_values() {
        let (scale, k, probes) = plateau_scale_and_probes();
        let (lo, hi) = (k[0], k[k.len() - 1]);
        for v in probes.into_iter().filter(|v| *v > lo && *v < hi) {
            assert_eq!(scale.t(v), Some(t_by_two_searches(&k, v)), "v = {v:e}");
        }
    }

    #[test]
    fn quantile_levels_follow_the_distribution() {
        let values: Vec<f64> = (0..=100).map(|i| i as f64).collect();
        assert_eq!(quantile_levels(&values, 4), vec![12.5, 37.5, 62.5, 87.5]);
    }

    #[test]
    fn quantile_levels_skip_non_finite_and_repeats() {
        let values = [f64::NAN, 1.0, 1.0, 1.0, 1.0, f64::INFINITY, 2.0];
        let levels = quantile_levels(&values, 10);
        assert!(levels.windows(2).all(|w| w[0] < w[1]), "{levels:?}");
        assert!(levels.iter().all(|l| (1.0..=2.0).contains(l)));
        assert!(quantile_levels(&[f64::NAN], 5).is_empty());
    }

    #[test]
    fn log_levels_are_log_spaced_above_the_minimum() {
        let levels = log_levels(1.0, 1001.0, 4, 3.0);
        let expected = [1.0 + 1.0, 1.0 + 10.0, 1.0 + 100.0, 1001.0];
        for (l, e) in levels.iter().zip(expected) {
            assert!((l - e).abs() < 1e-9, "{levels:?}");
        }
        assert!(log_levels(1.0, 1.0, 4, 3.0).is_empty());
        assert_eq!(log_levels(0.0, 5.0, 1, 3.0), vec![5.0]);
    }

    #[test]
    fn contour_levels_add_structure_in_the_basin() {
        let values: Vec<f64> = (0..=1000)
            .map(|i| (i as f64 / 1000.0).powi(4) * 100.0)
            .collect();
        let levels = contour_levels(&values, 12);
        assert!(levels.windows(2).all(|w| w[0] < w[1]), "{levels:?}");
        let lowest_quantile = quantile_levels(&values, 8)[0];
        let below = levels.iter().filter(|l| **l < lowest_quantile).count();
        assert_eq!(below, 4, "{levels:?}");
        assert!(levels[0] > 0.0 && levels[0] < lowest_quantile / 10.0);
        assert!(contour_levels(&[f64::NAN], 9).is_empty());
    }

    #[test]
    fn color_scale_equalizes() {
        // Quadratically distributed values: the CDF maps the median to 1/2.
        let values: Vec<f64> = (0..=1000).map(|i| (i as f64 / 1000.0).powi(2)).collect();
        let scale = ColorScale::from_values(&values);
        assert_eq!(scale.t(0.0), Some(0.0));
        assert_eq!(scale.t(1.0), Some(1.0));
        assert_eq!(scale.t(-5.0), Some(0.0));
        assert!((scale.t(0.25).unwrap() - 0.5).abs() < 0.01);
        assert_eq!(scale.t(f64::NAN), None);
        let ts: Vec<f64> = values.iter().map(|v| scale.t(*v).unwrap()).collect();
        assert!(ts.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn color_scale_of_a_constant_is_the_middle() {
        let scale = ColorScale::from_values(&[3.0; 10]);
        assert_eq!(scale.t(3.0), Some(0.5));
        assert_eq!(ColorScale::from_values(&[f64::NAN]).t(1.0), None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// Levels and colour positions for any values (subnormals, huge, ±0, non-finite):
        /// no panic, bounded, increasing, and every position in [0, 1].
        #[test]
        fn levels_and_scales_are_total(
            values in proptest::collection::vec(proptest::prop_oneof![
                proptest::prelude::Just(0.0f64), proptest::prelude::Just(-0.0), proptest::prelude::Just(5e-324),
                proptest::prelude::Just(f64::MAX), proptest::prelude::Just(-f64::MAX), proptest::prelude::Just(f64::NAN),
                proptest::prelude::Just(f64::INFINITY), -1e-300f64..1e-300, proptest::prelude::any::<f64>(),
            ], 0..40),
            n in 0usize..5000,
        ) {
            let levels = contour_levels(&values, n);
            proptest::prop_assert!(levels.len() <= MAX_LEVELS);
            proptest::prop_assert!(levels.windows(2).all(|w| w[0] < w[1]), "{levels:?}");
            proptest::prop_assert!(levels.iter().all(|l| l.is_finite()));
            let scale = ColorScale::from_values(&values);
            let log = crate::render::LogScale::from_values(&values);
            for v in &values {
                for t in [scale.t(*v), log.t(*v)].into_iter().flatten() {
                    proptest::prop_assert!((0.0..=1.0).contains(&t), "{v} -> {t}");
                }
            }
        }
    }
}
