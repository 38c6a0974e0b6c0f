//! Long computations done a piece at a time: one shape, [`Resumable`], for the phase diagram's
//! sweep, the batch-size sweep, the Hessian spectrum, the minimum-ratio sweep and the loss
//! landscape. A page's worker advances one for a time budget at a time (`src/web/mod.rs`,
//! `advance_for`), so the page stays responsive and a click can cancel it between pieces;
//! the CLI runs one to the end ([`finish`]) or until its deadline.

use crate::Result;

/// Work cut into pieces (a grid row, a block of Hessian columns, an update).
pub trait Resumable {
    /// Does pieces until the work is done or `should_stop()`, asked after each piece, says so
    /// (so every call does at least one piece while work is left); returns whether it is done.
    fn advance(&mut self, should_stop: &mut dyn FnMut() -> bool) -> Result<bool>;

    /// Work done over all work, in [0, 1].
    fn progress(&self) -> f64;
}

/// Runs `job` to the end.
pub fn finish<R: Resumable + ?Sized>(job: &mut R) -> Result<()> {
    while !job.advance(&mut || false)? {}
    Ok(())
}

/// `done / total` in [0, 1] (1 when there is nothing to do).
pub fn fraction(done: usize, total: usize) -> f64 {
    if total == 0 {
        1.0
    } else {
        (done as f64 / total as f64).min(1.0)
    }
}

impl Resumable for crate::phase::Job {
    fn advance(&mut self, should_stop: &mut dyn FnMut() -> bool) -> Result<bool> {
        while self.step_row()? {
            if should_stop() {
                break;
            }
        }
        Ok(self.done())
    }

    fn progress(&self) -> f64 {
        fraction(self.rows_done(), self.config().y.n)
    }
}

impl Resumable for crate::landscape::LandscapeJob {
    fn advance(&mut self, should_stop: &mut dyn FnMut() -> bool) -> Result<bool> {
        crate::landscape::LandscapeJob::advance(self, should_stop)
    }

    fn progress(&self) -> f64 {
        let (done, total) = crate::landscape::LandscapeJob::progress(self);
        fraction(done, total)
    }
}

mod nn_jobs {
    use super::{fraction, Resumable};
    use crate::nn::hessian::{RatioSweep, SpectrumJob};
    use crate::nn::sweep::BatchSweep;
    use crate::Result;

    impl Resumable for BatchSweep {
        fn advance(&mut self, should_stop: &mut dyn FnMut() -> bool) -> Result<bool> {
            BatchSweep::advance(self, usize::MAX, should_stop)
        }

        fn progress(&self) -> f64 {
            BatchSweep::progress(self)
        }
    }

    impl Resumable for SpectrumJob {
        fn advance(&mut self, should_stop: &mut dyn FnMut() -> bool) -> Result<bool> {
            SpectrumJob::advance(self, should_stop)
        }

        fn progress(&self) -> f64 {
            let (done, total) = SpectrumJob::progress(self);
            fraction(done, total)
        }
    }

    impl Resumable for RatioSweep {
        fn advance(&mut self, should_stop: &mut dyn FnMut() -> bool) -> Result<bool> {
            RatioSweep::advance(self, should_stop)
        }

        fn progress(&self) -> f64 {
            RatioSweep::progress(self)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phase::{Job, SweepConfig};

    fn phase_job() -> Job {
        let cfg = SweepConfig::from_json(
            r#"{"run": {"surface": "x^2 + 10*y^2", "start": [1, 1], "steps": 20,
                "optimizer": {"name": "sgd", "lr": 0.01}},
                "x": {"path": "optimizer.lr", "min": 0.001, "max": 0.1, "n": 3, "log": true},
                "y": {"path": "optimizer.momentum", "min": 0, "max": 0.9, "n": 4},
                "target_loss": 0.01}"#,
        )
        .unwrap();
        Job::new(cfg).unwrap()
    }

    #[test]
    fn a_job_stops_when_asked_after_one_piece_and_finishes_when_not() {
        let mut job = phase_job();
        assert_eq!(Resumable::progress(&job), 0.0);
        assert!(!Resumable::advance(&mut job, &mut || true).unwrap());
        assert_eq!(Resumable::progress(&job), 0.25, "one row of four");
        finish(&mut job).unwrap();
        assert_eq!(Resumable::progress(&job), 1.0);
        // Done stays done.
        assert!(Resumable::advance(&mut job, &mut || true).unwrap());
    }

    #[test]
    fn fractions_are_bounded() {
        assert_eq!(fraction(0, 0), 1.0);
        assert_eq!(fraction(3, 4), 0.75);
        assert_eq!(fraction(9, 4), 1.0);
    }
}
