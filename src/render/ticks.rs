//! Axis ticks a person reads easily: steps of 1, 2 or 5 times a power of ten, and the
//! decades of a log axis.

/// About `n` (at least 2) evenly spaced "nice" tick values inside `[lo, hi]`: a step of 1, 2
/// or 5 × 10^k. Empty when the interval is not finite or empty.
pub fn nice_ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite() && hi > lo) {
        return Vec::new();
    }
    let raw = (hi - lo) / n.max(2) as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last)
        .map(|k| {
            let v = k as f64 * step;
            // Print-friendly: 0.30000000000000004 becomes 0.3.
            let digits = (-step.log10().floor()).max(0.0) as i32 + 1;
            let scale = 10f64.powi(digits);
            if digits > 0 && digits < 15 {
                (v * scale).round() / scale
            } else {
                v
            }
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
    (a..=b)
        .filter(|e| (e - a) % stride == 0)
        .map(|e| 10f64.powi(e))
        .collect()
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
    }
}
