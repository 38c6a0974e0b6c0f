//! The weights of a run as the app trains it: recorded before training and after every
//! epoch, thinned to every 2nd, 4th, ... epoch when the trail grows long, so a run of any
//! length keeps a bounded, evenly spaced trajectory for its loss landscape.

use crate::error::{Error, Result};

/// One recorded set of weights.
#[derive(Clone, Debug, PartialEq)]
pub struct TrailPoint {
    pub epoch: usize,
    /// Updates done when it was recorded.
    pub step: usize,
    pub params: Vec<f64>,
}

/// Recorded weights, at most `capacity` of them, evenly spaced in epochs.
#[derive(Clone, Debug, PartialEq)]
pub struct WeightTrail {
    points: Vec<TrailPoint>,
    capacity: usize,
    /// Epochs between recorded points (doubles each time the trail is thinned).
    stride: usize,
}

impl WeightTrail {
    /// An empty trail keeping at most `capacity` (at least 4) points.
    pub fn new(capacity: usize) -> Result<WeightTrail> {
        if capacity < 4 {
            return Err(Error::invalid(
                "capacity",
                capacity,
                "at least 4 recorded points",
            ));
        }
        Ok(WeightTrail {
            points: Vec::new(),
            capacity,
            stride: 1,
        })
    }

    /// Record the weights after `epoch` epochs (`step` updates) if the trail is empty or
    /// `epoch` is the next one due; returns whether they were recorded. A point of another
    /// network size, or an epoch before the last one, starts the trail again.
    pub fn record(&mut self, epoch: usize, step: usize, params: &[f64]) -> bool {
        if let Some(last) = self.points.last() {
            if last.params.len() != params.len() || epoch < last.epoch || step < last.step {
                self.clear();
            } else if epoch < last.epoch + self.stride {
                return false;
            }
        }
        self.points.push(TrailPoint {
            epoch,
            step,
            params: params.to_vec(),
        });
        if self.points.len() > self.capacity {
            let mut k = 0;
            self.points.retain(|_| {
                k += 1;
                k % 2 == 1
            });
            self.stride *= 2;
        }
        true
    }

    /// Forget every point.
    pub fn clear(&mut self) {
        self.points.clear();
        self.stride = 1;
    }

    pub fn points(&self) -> &[TrailPoint] {
        &self.points
    }

    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The trajectory ending at `current` (the weights now, after `step` updates): the
    /// recorded points, then `current` unless the last point is already it.
    pub fn trajectory(&self, step: usize, current: &[f64]) -> Vec<Vec<f64>> {
        let mut out: Vec<Vec<f64>> = self.points.iter().map(|p| p.params.clone()).collect();
        if self.points.last().is_none_or(|p| p.step != step) {
            out.push(current.to_vec());
        }
        out
    }

    /// At most `count` recorded points, evenly spaced, the first and the last included, as
    /// `(epoch, weights)`.
    pub fn sample(&self, count: usize) -> Vec<(usize, Vec<f64>)> {
        super::evenly_spaced(self.points.len(), count)
            .into_iter()
            .map(|i| (self.points[i].epoch, self.points[i].params.clone()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_every_epoch_then_thins_evenly() {
        let mut t = WeightTrail::new(4).unwrap();
        for e in 0..=4 {
            assert!(t.record(e, 10 * e, &[e as f64]));
        }
        // 5 points > 4: every other one kept, now every 2nd epoch.
        let epochs: Vec<usize> = t.points().iter().map(|p| p.epoch).collect();
        assert_eq!(epochs, vec![0, 2, 4]);
        assert!(!t.record(5, 50, &[5.0]));
        assert!(t.record(6, 60, &[6.0]));
        assert_eq!(t.trajectory(60, &[6.0]).len(), 4);
        assert_eq!(t.trajectory(65, &[6.5]).len(), 5);
        assert_eq!(t.sample(2), vec![(0, vec![0.0]), (6, vec![6.0])]);
        // A new run (back to epoch 0) starts again.
        assert!(t.record(0, 0, &[1.0, 2.0]));
        assert_eq!(t.len(), 1);
        assert!(WeightTrail::new(3).is_err());
    }
}
