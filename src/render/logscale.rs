//! The log colour scale: colour by log10 of the height above the minimum, from a tenth of the
//! lowest 2 % of heights up to the maximum, so a basin orders of magnitude below the rim keeps
//! its structure and the rest still spreads over the colours.

use super::levels::{quantile, sorted_sample};

/// Maps v to [0, 1] by `log10((v − min)/floor) / log10((max − min)/floor)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogScale {
    min: f64,
    /// Heights above the minimum below this get the lowest colour.
    floor: f64,
    /// log10((max − min)/floor).
    decades: f64,
}

impl LogScale {
    /// The scale of these values (non-finite ones ignored).
    pub fn from_values(values: &[f64]) -> LogScale {
        let sorted = sorted_sample(values);
        let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values.iter().copied().filter(|v| v.is_finite()) {
            min = min.min(v);
            max = max.max(v);
        }
        let span = max - min;
        let low = if sorted.is_empty() {
            0.0
        } else {
            quantile(&sorted, 0.02) - min
        };
        let floor = (low / 10.0).max(span * 1e-12).max(f64::MIN_POSITIVE);
        LogScale {
            min,
            floor,
            decades: (span / floor).log10(),
        }
    }

    /// The position of `v` in [0, 1]; `None` for a non-finite value or an empty scale.
    pub fn t(&self, v: f64) -> Option<f64> {
        if !v.is_finite() || !self.min.is_finite() {
            return None;
        }
        if !(self.decades > 0.0 && self.decades.is_finite()) {
            return Some(0.5);
        }
        let rel = ((v - self.min) / self.floor).max(1.0);
        Some((rel.log10() / self.decades).clamp(0.0, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decades_are_evenly_spaced_above_the_floor() {
        // 0..=100: the 2 % quantile is 2, so the floor is 0.2 and the top is 500× above it.
        let values: Vec<f64> = (0..=100).map(f64::from).chain([f64::NAN]).collect();
        let s = LogScale::from_values(&values);
        assert_eq!(s.t(100.0), Some(1.0));
        assert_eq!(s.t(0.0), Some(0.0));
        let decades = 500f64.log10();
        assert!((s.t(2.0).unwrap() - 1.0 / decades).abs() < 1e-12);
        assert!((s.t(20.0).unwrap() - 2.0 / decades).abs() < 1e-12);
        assert_eq!(s.t(f64::INFINITY), None);
        assert_eq!(LogScale::from_values(&[2.0, 2.0]).t(2.0), Some(0.5));
        assert_eq!(LogScale::from_values(&[f64::NAN]).t(1.0), None);
    }
}
