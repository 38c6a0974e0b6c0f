//! The log colour scale: colour by log10 of the height above the minimum, over a fixed number
//! of decades, so a basin many orders of magnitude below the rim keeps its structure.

/// How many decades below the range the scale reaches.
const DECADES: f64 = 5.0;

/// Maps v to [0, 1] by `log10((v − min)/(max − min))` over [`DECADES`] decades.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LogScale {
    min: f64,
    span: f64,
}

impl LogScale {
    /// The scale of these values (non-finite ones ignored).
    pub fn from_values(values: &[f64]) -> LogScale {
        let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values.iter().copied().filter(|v| v.is_finite()) {
            min = min.min(v);
            max = max.max(v);
        }
        LogScale {
            min,
            span: max - min,
        }
    }

    /// The position of `v` in [0, 1]; `None` for a non-finite value or an empty scale.
    pub fn t(&self, v: f64) -> Option<f64> {
        if !v.is_finite() || !self.span.is_finite() {
            return None;
        }
        if self.span <= 0.0 {
            return Some(0.5);
        }
        let rel = ((v - self.min) / self.span).max(10f64.powf(-DECADES));
        Some((1.0 + rel.log10() / DECADES).clamp(0.0, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decades_are_evenly_spaced() {
        let s = LogScale::from_values(&[0.0, 100.0, f64::NAN]);
        assert_eq!(s.t(100.0), Some(1.0));
        assert_eq!(s.t(0.0), Some(0.0));
        assert!((s.t(10.0).unwrap() - 0.8).abs() < 1e-12);
        assert!((s.t(1.0).unwrap() - 0.6).abs() < 1e-12);
        assert_eq!(s.t(f64::INFINITY), None);
        assert_eq!(LogScale::from_values(&[2.0, 2.0]).t(2.0), Some(0.5));
        assert_eq!(LogScale::from_values(&[f64::NAN]).t(1.0), None);
    }
}
