//! Axis ticks a person reads easily: steps of 1, 2 or 5 times a power of ten, and the
//! decades of a log axis.

/// The most ticks any axis asks for; larger requests are cut to this.
pub const MAX_TICKS: usize = 1000;

/// About `n` (2 to [`MAX_TICKS`]) evenly spaced "nice" tick values inside `[lo, hi]`: a step of
/// 1, 2 or 5 × 10^k. Total: for any two floats the result is sorted, finite, inside the
/// interval and at most `2n + 1` long; empty when the interval is not finite or empty. Where no
/// nice step can be represented (an interval a few subnormal numbers wide), the two ends.
pub fn nice_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite() && hi > lo) {
        return Vec::new();
    }
    let n = n.clamp(2, MAX_TICKS);
    // hi − lo may overflow (−MAX to MAX); the halves do not.
    let raw = (hi / 2.0 - lo / 2.0) / n as f64 * 2.0;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    let (first, last) = ((lo / step).ceil(), (hi / step).floor());
    let count = last - first + 1.0;
    // A step that underflowed to 0 or a subnormal (or rounding that left too many or none):
    // the ends are the honest ticks of such an axis.
    if !(step.is_normal() && count >= 1.0 && count <= (2 * n + 1) as f64) {
        return vec![lo, hi];
    }
    let digits = (-step.log10().floor()).max(0.0) as i32 + 1;
    let scale = 10f64.powi(digits);
    (0..count as i64)
        .map(|i| {
            let v = (first + i as f64) * step;
            // Print-friendly: 0.30000000000000004 becomes 0.3.
            let v = if digits > 0 && digits < 15 {
                (v * scale).round() / scale
            } else {
                v
            };
            v.clamp(lo, hi)
        })
        .collect()
}

/// The powers of ten inside `[lo, hi]` (both > 0) for a log axis; when fewer than two fit,
/// the nice linear ticks instead.
pub fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    if !(lo > 0.0 && hi > lo && hi.is_finite()) {
        return Vec::new();
    }
    let (a, b) = (lo.log10().ceil() as i32, hi.log10().floor() as i32);
    if b - a < 1 {
        return nice_ticks(lo, hi, 3);
    }
    let stride = ((b - a) / 6 + 1).max(1);
    // powf, not powi: 10^-323 by powi rounds to 0 (a subnormal decade has no exact power).
    let decades: Vec<f64> = (a..=b)
        .filter(|e| (e - a) % stride == 0)
        .map(|e| 10f64.powf(f64::from(e)))
        .filter(|v| *v > 0.0 && v.is_finite() && *v >= lo && *v <= hi)
        .collect();
    if decades.len() < 2 {
        return nice_ticks(lo, hi, 3);
    }
    decades
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps() {
        assert_eq!(nice_ticks(-2.0, 2.0, 4), vec![-2.0, -1.0, 0.0, 1.0, 2.0]);
        assert_eq!(nice_ticks(0.0, 1.0, 5), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(nice_ticks(-0.05, 0.27, 4), vec![0.0, 0.1, 0.2]);
        assert!(nice_ticks(1.0, 1.0, 5).is_empty());
        assert!(nice_ticks(0.0, f64::NAN, 5).is_empty());
    }

    #[test]
    fn log_decades() {
        assert_eq!(log_ticks(0.5, 2000.0), vec![1.0, 10.0, 100.0, 1000.0]);
        assert_eq!(log_ticks(2.0, 5.0), nice_ticks(2.0, 5.0, 3));
        assert!(log_ticks(0.0, 1.0).is_empty());
        assert!(log_ticks(1e-30, 1e30).len() <= 8);
        assert_eq!(log_ticks(5e-324, 1e-323), vec![5e-324, 1e-323]);
    }

    #[test]
    fn the_crash_ranges_of_issue_15_give_ticks() {
        // A chart of lr 0 and lr 5e-324: the range is a few subnormals around 0.
        assert_eq!(nice_ticks(0.0, 5e-324, 5), vec![0.0, 5e-324]);
        assert_eq!(nice_ticks(-1e-323, 1e-323, 5), vec![-1e-323, 1e-323]);
        // Huge ranges: no overflow to infinity, no endless list.
        let t = nice_ticks(-f64::MAX, f64::MAX, 5);
        assert!(
            !t.is_empty() && t.len() <= 11 && t.iter().all(|v| v.is_finite()),
            "{t:?}"
        );
        // A huge count is cut.
        assert!(nice_ticks(0.0, 1.0, usize::MAX).len() <= 2 * MAX_TICKS + 1);
    }

    fn special() -> impl proptest::strategy::Strategy<Value = f64> {
        use proptest::prelude::*;
        prop_oneof![
            Just(0.0),
            Just(-0.0),
            Just(5e-324),
            Just(-5e-324),
            Just(f64::MIN_POSITIVE),
            Just(f64::MAX),
            Just(-f64::MAX),
            Just(1.0),
            (-1e-300f64..1e-300),
            any::<f64>().prop_filter("finite", |v| v.is_finite()),
            (-1e3f64..1e3),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        #[test]
        fn ticks_are_total(a in special(), b in special(), n in 0usize..40) {
            for (lo, hi) in [(a, b), (b, a)] {
                let t = nice_ticks(lo, hi, n);
                if hi > lo {
                    proptest::prop_assert!(!t.is_empty());
                }
                proptest::prop_assert!(t.len() <= 2 * n.clamp(2, MAX_TICKS) + 1);
                proptest::prop_assert!(t.iter().all(|v| v.is_finite() && *v >= lo && *v <= hi), "{lo} {hi} {t:?}");
                proptest::prop_assert!(t.windows(2).all(|w| w[0] <= w[1]));
                let l = log_ticks(lo, hi);
                proptest::prop_assert!(l.len() <= 8, "{lo} {hi} {l:?}");
                proptest::prop_assert!(l.iter().all(|v| v.is_finite() && *v >= lo && *v <= hi));
            }
        }
    }
}
