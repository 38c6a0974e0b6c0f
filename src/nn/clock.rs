//! Where training reads the time: an injectable clock, because `std::time::Instant` does not
//! exist on wasm32-unknown-unknown (the web layer passes one over `performance.now()`), and
//! timings a coarse clock can still show: browsers round `performance.now()` to 0.1 ms, so one
//! epoch of a small network may read 0 or 0.1 ms; the mean over the last few epochs (total time
//! over total updates) is steady and still honest.

use super::trainer::EpochMetrics;

/// A monotonic clock in seconds; `None` when no clock is available (timings not measured).
pub trait Clock {
    fn now_seconds(&self) -> Option<f64>;
}

/// No clock: every timing is reported as not measured.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoClock;

impl Clock for NoClock {
    fn now_seconds(&self) -> Option<f64> {
        None
    }
}

/// `std::time::Instant`, counted from the clock's creation (native targets only).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Copy, Debug)]
pub struct SystemClock(std::time::Instant);

#[cfg(not(target_arch = "wasm32"))]
impl Default for SystemClock {
    fn default() -> Self {
        SystemClock(std::time::Instant::now())
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Clock for SystemClock {
    fn now_seconds(&self) -> Option<f64> {
        Some(self.0.elapsed().as_secs_f64())
    }
}

/// Makes a clock (see [`set_default_clock`]).
pub type ClockFactory = fn() -> Box<dyn Clock>;

thread_local! {
    static FACTORY: std::cell::Cell<Option<ClockFactory>> = const { std::cell::Cell::new(None) };
}

/// Make [`default_clock`] give clocks from `make` on this thread: the web layer installs
/// `performance.now()` before it runs a scene's check, which times training.
pub fn set_default_clock(make: ClockFactory) {
    FACTORY.with(|f| f.set(Some(make)));
}

/// The best clock of the target: the one installed by [`set_default_clock`], else
/// [`SystemClock`] natively and [`NoClock`] on wasm.
pub fn default_clock() -> Box<dyn Clock> {
    if let Some(make) = FACTORY.with(std::cell::Cell::get) {
        return make();
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        Box::new(SystemClock::default())
    }
    #[cfg(target_arch = "wasm32")]
    {
        Box::new(NoClock)
    }
}

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

    /// A clock that always reads 42 s.
    struct Fixed;
    impl Clock for Fixed {
        fn now_seconds(&self) -> Option<f64> {
            Some(42.0)
        }
    }

    #[test]
    fn an_installed_clock_is_the_default_on_its_thread_only() {
        std::thread::spawn(|| {
            set_default_clock(|| Box::new(Fixed));
            assert_eq!(default_clock().now_seconds(), Some(42.0));
        })
        .join()
        .unwrap();
        #[cfg(not(target_arch = "wasm32"))]
        assert_ne!(default_clock().now_seconds(), Some(42.0));
    }
}

#[cfg(test)]
mod timing_tests {
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
