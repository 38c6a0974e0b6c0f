//! Softmax and the two losses on it, with torch's exact reductions: cross-entropy is the mean
//! over the batch; MSE is `((softmax − onehot)²).sum(dim=1).mean()` (not divided by C).

use super::matrix::Matrix;
use super::model::LossKind;
use super::scalar::Scalar;
use crate::error::{Error, Result};

/// Check that `y` has one label per row, each in `0..classes`.
pub fn check_labels(y: &[usize], rows: usize, classes: usize) -> Result<()> {
    if y.len() != rows {
        return Err(Error::invalid(
            "y",
            format!("{} labels", y.len()),
            &format!("one label per row of X ({rows})"),
        ));
    }
    if let Some(i) = y.iter().position(|&c| c >= classes) {
        return Err(Error::invalid(
            &format!("y[{i}]"),
            y[i],
            &format!("a class in 0..{}", classes.saturating_sub(1)),
        ));
    }
    Ok(())
}

/// `probs ← softmax(logits)` row by row (max-shifted, so large logits do not overflow).
pub fn softmax<T: Scalar>(logits: &Matrix<T>, probs: &mut Matrix<T>) {
    softmax_sums(logits, probs, &mut Vec::new());
}

/// [`softmax`], keeping each row's `Σ exp(l − max)` in `sums`: [`loss`] takes the
/// cross-entropy's log-sum-exp from them instead of a second exponential per logit.
pub fn softmax_sums<T: Scalar>(logits: &Matrix<T>, probs: &mut Matrix<T>, sums: &mut Vec<T>) {
    probs.reshape_for_overwrite(logits.rows(), logits.cols());
    for i in 0..logits.rows() {
        let l = logits.row(i);
        let m = row_max(l);
        for (p, &l) in probs.row_mut(i).iter_mut().zip(l) {
            *p = l - m;
        }
    }
    // One call for the whole batch: the f64 exponential sets up its constants once.
    T::exp_nonpositive_in_place(probs.data_mut());
    sums.clear();
    for i in 0..logits.rows() {
        let p = probs.row_mut(i);
        let mut s = T::default();
        for &e in p.iter() {
            s += e;
        }
        p.iter_mut().for_each(|p| *p = *p / s);
        sums.push(s);
    }
}

/// The largest value of a row (−∞ for an empty one), as `fold(−∞, f64::max)` finds it.
fn row_max<T: Scalar>(l: &[T]) -> T {
    l.iter()
        .copied()
        .fold(T::from(f64::NEG_INFINITY), T::max_by_value)
}

/// The loss of `logits` against labels `y` (checked by the caller), with `probs` =
/// softmax(logits) and its row `sums` already computed ([`softmax_sums`]); writes dL/dlogits
/// into `dlogits` when given.
pub fn loss<T: Scalar>(
    kind: LossKind,
    logits: &Matrix<T>,
    probs: &Matrix<T>,
    sums: &[T],
    y: &[usize],
    dlogits: Option<&mut Matrix<T>>,
) -> T {
    let n = logits.rows();
    let inv_n = 1.0 / n as f64;
    let mut total = T::default();
    match kind {
        LossKind::CrossEntropy => {
            for (i, &c) in y.iter().enumerate() {
                let l = logits.row(i);
                let lse = row_max(l) + sums[i].ln();
                total += lse - l[c];
            }
            if let Some(d) = dlogits {
                // (p − onehot)/n: one copy of the whole batch, then each row's label.
                d.clone_from(probs);
                for (i, &c) in y.iter().enumerate() {
                    let dr = d.row_mut(i);
                    dr[c] = dr[c] - T::from(1.0);
                }
                d.data_mut().iter_mut().for_each(|v| *v = *v * inv_n);
            }
        }
        LossKind::Mse => {
            for (i, &c) in y.iter().enumerate() {
                total += probs
                    .row(i)
                    .iter()
                    .enumerate()
                    .map(|(j, &p)| {
                        let e = p - T::from((j == c) as u8 as f64);
                        e * e
                    })
                    .sum::<T>();
            }
            if let Some(d) = dlogits {
                // g = dL/dp = 2(p − t)/n; dL/dl_j = p_j (g_j − Σ_k g_k p_k) (softmax Jacobian).
                d.reshape_for_overwrite(n, logits.cols());
                for (i, &c) in y.iter().enumerate() {
                    let p = probs.row(i);
                    let dr = d.row_mut(i);
                    for (j, (g, &pj)) in dr.iter_mut().zip(p).enumerate() {
                        *g = (pj - T::from((j == c) as u8 as f64)) * 2.0 * inv_n;
                    }
                    let dot: T = dr.iter().zip(p).map(|(&g, &p)| g * p).sum();
                    dr.iter_mut()
                        .zip(p)
                        .for_each(|(g, &pj)| *g = pj * (*g - dot));
                }
            }
        }
    }
    total * inv_n
}

/// The first index of the largest value (torch's `argmax` on ties).
pub fn argmax(row: &[f64]) -> usize {
    let mut best = 0;
    for (j, &v) in row.iter().enumerate() {
        if v > row[best] {
            best = j;
        }
    }
    best
}

/// How many rows of `logits` have their first maximum at the label.
pub fn correct(logits: &Matrix, y: &[usize]) -> usize {
    y.iter()
        .enumerate()
        .filter(|&(i, &c)| argmax(logits.row(i)) == c)
        .count()
}
