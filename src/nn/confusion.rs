//! What a classifier predicts and where it goes wrong: per-row predicted classes (torch's
//! `argmax`) and the confusion matrix (rows: true class, columns: predicted class).

use super::loss::argmax;
use super::matrix::Matrix;

/// The predicted class of every row of `probs` (or logits): its first largest entry.
pub fn predicted_classes(probs: &Matrix) -> Vec<usize> {
    (0..probs.rows()).map(|i| argmax(probs.row(i))).collect()
}

/// `classes × classes` counts, row-major: entry `(t, p)` counts rows of class `t` predicted
/// as `p`. Labels or predictions out of range are not counted.
pub fn confusion_matrix(predicted: &[usize], truth: &[usize], classes: usize) -> Vec<u32> {
    let mut m = vec![0u32; classes * classes];
    for (&p, &t) in predicted.iter().zip(truth) {
        if p < classes && t < classes {
            m[t * classes + p] += 1;
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_truth_and_columns_predictions() {
        let probs =
            Matrix::from_vec(3, 3, vec![0.7, 0.2, 0.1, 0.1, 0.1, 0.8, 0.4, 0.4, 0.2]).unwrap();
        let p = predicted_classes(&probs);
        assert_eq!(p, vec![0, 2, 0]);
        let m = confusion_matrix(&p, &[0, 1, 1], 3);
        assert_eq!(m, vec![1, 0, 0, 1, 0, 1, 0, 0, 0]);
        assert_eq!(m.iter().sum::<u32>(), 3);
    }
}
