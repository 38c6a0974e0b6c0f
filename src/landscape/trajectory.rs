//! A weight trajectory: the flat parameters before training and after every epoch (or
//! update), recorded while a [`Trainer`] runs; long ones are thinned to evenly spaced points.

use crate::error::{Error, Result};
use crate::nn::{Backend, Trainer};
use serde::{Deserialize, Serialize};

/// When to record the weights.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Record {
    /// Before training and after every epoch (default).
    #[default]
    Epoch,
    /// Before training and after every update.
    Step,
}

/// `count` indices from `0..total`, evenly spaced, the first and the last included (all of
/// them when `total ≤ count`).
pub fn evenly_spaced(total: usize, count: usize) -> Vec<usize> {
    match count {
        _ if total <= count => (0..total).collect(),
        0 => Vec::new(),
        1 => vec![total - 1],
        _ => (0..count)
            .map(|i| (i as f64 * (total - 1) as f64 / (count - 1) as f64).round() as usize)
            .collect(),
    }
}

/// Train `epochs` epochs and return the weights at most `max_points` times: before training,
/// then after each epoch or update (evenly thinned when there are more; the first and the
/// final weights are always kept).
pub fn record_trajectory<B: Backend>(
    trainer: &mut Trainer<B>,
    epochs: usize,
    record: Record,
    max_points: usize,
) -> Result<Vec<Vec<f64>>> {
    if max_points < 2 {
        return Err(Error::invalid(
            "max_points",
            max_points,
            "at least 2 (the initial and the final weights)",
        ));
    }
    let per_epoch = match record {
        Record::Epoch => 1,
        Record::Step => trainer.steps_per_epoch(),
    };
    let total = 1 + epochs * per_epoch;
    let keep = evenly_spaced(total, max_points);
    let mut out = Vec::with_capacity(keep.len());
    let mut next = keep.iter().peekable();
    let mut at = 0;
    let mut take = |at: usize, params: &[f64], out: &mut Vec<Vec<f64>>| {
        if next.peek() == Some(&&at) {
            next.next();
            out.push(params.to_vec());
        }
    };
    take(at, trainer.network().params(), &mut out);
    for _ in 0..epochs {
        match record {
            Record::Epoch => {
                trainer.run_epoch()?;
                at += 1;
                take(at, trainer.network().params(), &mut out);
            }
            Record::Step => loop {
                let s = trainer.step()?;
                at += 1;
                take(at, trainer.network().params(), &mut out);
                if s.epoch_end.is_some() {
                    break;
                }
            },
        }
    }
    Ok(out)
}
