//! Timings that a coarse clock can still show: browsers round `performance.now()` to 0.1 ms,
//! so one epoch of a small network may read 0 or 0.1 ms; the mean over the last few epochs
//! (total time over total updates) is steady and still honest.

use super::trainer::EpochMetrics;

/// Mean seconds per update and per epoch over the last `window` epochs of `history` (`None`
/// when not measured or `history` is empty).
pub fn recent_timing(history: &[EpochMetrics], window: usize) -> (Option<f64>, Option<f64>) {
    let recent = &history[history.len().saturating_sub(window.max(1))..];
    if recent.is_empty() {
        return (None, None);
    }
    let seconds: Option<f64> = recent.iter().map(|e| e.seconds_per_epoch).sum();
    let updates: usize = recent.iter().map(|e| e.steps).sum();
    (
        seconds.map(|s| s / updates.max(1) as f64),
        seconds.map(|s| s / recent.len() as f64),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::Evaluation;

    fn epoch(steps: usize, seconds: Option<f64>) -> EpochMetrics {
        let eval = Evaluation {
            loss: 1.0,
            correct: 0,
            accuracy: 0.0,
        };
        EpochMetrics {
            epoch: 1,
            steps,
            train_loss: 1.0,
            train_loss_weighted: 1.0,
            train: eval,
            test: None,
            lr: 0.1,
            seconds_per_update: seconds.map(|s| s / steps as f64),
            seconds_per_epoch: seconds,
            grad_noise: None,
        }
    }

    #[test]
    fn the_mean_is_total_time_over_total_updates() {
        let h = vec![
            epoch(10, Some(9.0)),
            epoch(10, Some(0.0)),
            epoch(10, Some(2.0)),
        ];
        assert_eq!(recent_timing(&h, 2), (Some(0.1), Some(1.0)));
        assert_eq!(recent_timing(&h, 10), (Some(11.0 / 30.0), Some(11.0 / 3.0)));
        assert_eq!(recent_timing(&[], 5), (None, None));
        assert_eq!(recent_timing(&[epoch(3, None)], 5), (None, None));
    }
}
