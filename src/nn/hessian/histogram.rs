//! Equal-width bins over a spectrum (or any values), for the app's eigenvalue histogram.

use crate::error::{Error, Result};
use serde::Serialize;

/// The most bins a histogram may have.
pub const MAX_BINS: usize = 10_000;

/// Counts in `bins` equal-width bins: bin `k` holds `edges[k] ≤ v < edges[k + 1]` (the last bin
/// also its upper edge); values outside the range are counted in `below` and `above`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Histogram {
    /// `bins + 1` edges, ascending.
    pub edges: Vec<f64>,
    pub counts: Vec<usize>,
    pub below: usize,
    pub above: usize,
}

/// Bin `values` over `range` (default: their smallest to their largest value, widened by ±0.5
/// when they are all equal; [0, 1] when there are none).
pub fn histogram(values: &[f64], bins: usize, range: Option<[f64; 2]>) -> Result<Histogram> {
    if !(1..=MAX_BINS).contains(&bins) {
        return Err(Error::invalid(
            "bins",
            bins,
            &format!("1..={MAX_BINS} bins"),
        ));
    }
    if let Some(k) = values.iter().position(|v| !v.is_finite()) {
        return Err(Error::invalid(
            &format!("values[{k}]"),
            values[k],
            "a finite number",
        ));
    }
    let [lo, hi] = match range {
        Some(r) => {
            if !(r[0].is_finite() && r[1].is_finite() && r[0] < r[1]) {
                return Err(Error::invalid(
                    "range",
                    format!("[{}, {}]", r[0], r[1]),
                    "finite [lo, hi] with lo < hi",
                ));
            }
            r
        }
        None if values.is_empty() => [0.0, 1.0],
        None => {
            let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if lo < hi {
                [lo, hi]
            } else {
                [lo - 0.5, hi + 0.5]
            }
        }
    };
    let width = (hi - lo) / bins as f64;
    let edges: Vec<f64> = (0..=bins)
        .map(|k| if k == bins { hi } else { lo + k as f64 * width })
        .collect();
    let mut h = Histogram {
        edges,
        counts: vec![0; bins],
        below: 0,
        above: 0,
    };
    for &v in values {
        if v < lo {
            h.below += 1;
        } else if v > hi {
            h.above += 1;
        } else {
            let k = (((v - lo) / width) as usize).min(bins - 1);
            h.counts[k] += 1;
        }
    }
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::histogram;

    #[test]
    fn counts_every_value_once() {
        let h = histogram(&[-1.0, 0.0, 0.5, 1.0, 3.0], 2, Some([0.0, 1.0])).unwrap();
        assert_eq!(h.counts, vec![1, 2]);
        assert_eq!((h.below, h.above), (1, 1));
        assert_eq!(h.edges, vec![0.0, 0.5, 1.0]);
        let h = histogram(&[2.0, 2.0], 4, None).unwrap();
        assert_eq!(h.counts.iter().sum::<usize>(), 2);
        assert!(histogram(&[f64::NAN], 3, None).is_err());
        assert!(histogram(&[1.0], 0, None).is_err());
        assert!(histogram(&[1.0], 3, Some([1.0, 1.0])).is_err());
    }
}
