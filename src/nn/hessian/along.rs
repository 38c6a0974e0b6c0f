//! The lecture's empirical figure: the minimum ratio (fraction of positive eigenvalues) and
//! the loss at weights recorded along training, one full spectrum per point, computed as a
//! job that can stop between blocks of Hessian columns.
//!
//! Reference: Y. Dauphin, R. Pascanu, C. Gulcehre, K. Cho, S. Ganguli, Y. Bengio, "Identifying
//! and attacking the saddle point problem in high-dimensional non-convex optimization", NeurIPS
//! 2014 (Fig. 1: the index of critical points against their error).

use super::job::SpectrumJob;
use super::spectrum::{SignCounts, SpectrumMethod, SpectrumOptions, AUTO_EXACT_LIMIT};
use crate::error::{Error, Result};
use crate::nn::matrix::Matrix;
use crate::nn::params::Network;
use serde::Serialize;

/// One point of the figure.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RatioSample {
    /// The epoch after which the weights were recorded (0: before training).
    pub epoch: usize,
    /// The training loss at those weights (over the rows of the spectrum).
    pub loss: f64,
    pub gradient_norm: f64,
    /// Positive eigenvalues / all.
    pub minimum_ratio: f64,
    pub signs: SignCounts,
    pub lambda_min: f64,
    pub lambda_max: f64,
}

/// Full spectra at a list of recorded weights, one after the other.
pub struct RatioSweep {
    net: Network,
    x: Matrix,
    y: Vec<usize>,
    options: SpectrumOptions,
    points: Vec<(usize, Vec<f64>)>,
    current: Option<SpectrumJob>,
    samples: Vec<RatioSample>,
}

impl RatioSweep {
    /// `points` are `(epoch, weights)` in `net`'s layout; the network (shape, running
    /// statistics) and the rows are copied. Only networks up to [`AUTO_EXACT_LIMIT`]
    /// parameters: the ratio needs every eigenvalue.
    pub fn new(
        net: &Network,
        x: &Matrix,
        y: &[usize],
        points: Vec<(usize, Vec<f64>)>,
        options: &SpectrumOptions,
    ) -> Result<RatioSweep> {
        let n = net.n_params();
        if n > AUTO_EXACT_LIMIT {
            return Err(Error::invalid(
                "network",
                format!("{n} parameters"),
                &format!(
                    "at most {AUTO_EXACT_LIMIT} parameters: the minimum ratio needs every \
                     eigenvalue of the full Hessian"
                ),
            ));
        }
        if points.is_empty() {
            return Err(Error::invalid(
                "points",
                "none",
                "at least one recorded set of weights",
            ));
        }
        if let Some((k, p)) = points.iter().enumerate().find(|(_, p)| p.1.len() != n) {
            return Err(Error::invalid(
                &format!("points[{k}]"),
                format!("{} numbers", p.1.len()),
                &format!("{n} (one per parameter)"),
            ));
        }
        let options = SpectrumOptions {
            method: SpectrumMethod::Exact,
            ..options.clone()
        };
        Ok(RatioSweep {
            net: net.clone(),
            x: x.clone(),
            y: y.to_vec(),
            options,
            points,
            current: None,
            samples: Vec::new(),
        })
    }

    /// Points planned.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    pub fn is_done(&self) -> bool {
        self.samples.len() == self.points.len()
    }

    /// The finished points, in the order of the recorded weights.
    pub fn samples(&self) -> &[RatioSample] {
        &self.samples
    }

    /// Work done over all work, in [0, 1] (a point counts by its Hessian columns).
    pub fn progress(&self) -> f64 {
        let part = self.current.as_ref().map_or(0.0, |j| {
            let (d, p) = j.progress();
            d as f64 / p.max(1) as f64
        });
        (self.samples.len() as f64 + part) / self.points.len().max(1) as f64
    }

    /// Compute until every point is done or `should_stop()` (asked after each block of
    /// columns) says so; returns whether every point is done.
    pub fn advance(&mut self, should_stop: &mut dyn FnMut() -> bool) -> Result<bool> {
        while !self.is_done() {
            let mut job = match self.current.take() {
                Some(job) => job,
                None => {
                    let mut net = self.net.clone();
                    net.params_mut()
                        .copy_from_slice(&self.points[self.samples.len()].1);
                    SpectrumJob::new(&net, &self.x, &self.y, &self.options)?
                }
            };
            if !job.advance(should_stop)? {
                self.current = Some(job);
                return Ok(false);
            }
            let s = job.finish()?;
            let signs = s
                .signs
                .ok_or_else(|| Error::invalid("spectrum", "no sign counts", "an exact spectrum"))?;
            self.samples.push(RatioSample {
                epoch: self.points[self.samples.len()].0,
                loss: s.loss,
                gradient_norm: s.gradient_norm,
                minimum_ratio: s.minimum_ratio.unwrap_or(0.0),
                signs,
                lambda_min: s.eigenvalues.first().copied().unwrap_or(0.0),
                lambda_max: s.eigenvalues.last().copied().unwrap_or(0.0),
            });
            if !self.is_done() && should_stop() {
                return Ok(false);
            }
        }
        Ok(true)
    }
}
