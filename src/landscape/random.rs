//! Two filter-normalized random directions (Li et al. 2018, "Visualizing the Loss Landscape
//! of Neural Nets", §4): Gaussian directions whose every filter has the norm of the weights'.
//!
//! For a dense layer a filter is one output unit: row `o` of `W` (`[out][in]`). Each row of
//! a direction is drawn from N(0, I) and scaled to ‖that row of the center weights‖, so the
//! plot's scale follows each unit's own scale (which batch norm or relu make arbitrary).
//! One-dimensional parameters (biases, batch-norm gamma and beta) are set to zero
//! ([`BiasBn::Zero`], the paper's `ignore=biasbn`) or to the weights themselves
//! ([`BiasBn::Copy`], its code's choice otherwise).

use super::basis::{dot, Basis};
use crate::error::{Error, Result};
use crate::nn::params::Layout;
use crate::rng::Rng;
use serde::{Deserialize, Serialize};

/// The streams of the two directions ([`Rng::stream`] salts).
const SALTS: [u64; 2] = [21, 22];

/// What the directions hold for biases and batch-norm parameters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BiasBn {
    /// 0: the plane moves only the weight matrices (default).
    #[default]
    Zero,
    /// The center's own values.
    Copy,
}

/// Two filter-normalized random directions around `center` (flat layout of `layout`).
pub fn random_basis(layout: &Layout, center: &[f64], seed: u64, bias_bn: BiasBn) -> Result<Basis> {
    if center.len() != layout.len {
        return Err(Error::invalid(
            "center",
            format!("{} numbers", center.len()),
            &format!("{} (one per parameter)", layout.len),
        ));
    }
    if let Some(i) = center.iter().position(|v| !v.is_finite()) {
        return Err(Error::invalid(
            &format!("center[{i}]"),
            center[i],
            "a finite number",
        ));
    }
    let directions =
        SALTS.map(|salt| filter_normalized(layout, center, &mut Rng::stream(seed, salt), bias_bn));
    let description = format!(
        "filter-normalized random directions (Li et al. 2018 §4, seed {seed}) around the final \
         weights: each row of every W has the norm of that row of the weights; biases and \
         batch-norm parameters {}",
        match bias_bn {
            BiasBn::Zero => "are 0 in both directions",
            BiasBn::Copy => "equal the weights' own",
        }
    );
    Basis::new(center.to_vec(), directions, None, description)
}

/// One direction: per row of every `W`, a Gaussian row scaled to the center row's norm.
fn filter_normalized(layout: &Layout, center: &[f64], rng: &mut Rng, bias_bn: BiasBn) -> Vec<f64> {
    let mut d = match bias_bn {
        BiasBn::Zero => vec![0.0; center.len()],
        BiasBn::Copy => center.to_vec(),
    };
    for s in &layout.layers {
        for o in 0..s.out {
            let at = s.w + o * s.fan_in..s.w + (o + 1) * s.fan_in;
            let row = &mut d[at.clone()];
            row.iter_mut().for_each(|v| *v = rng.normal());
            let (want, have) = (
                dot(&center[at.clone()], &center[at]).sqrt(),
                dot(row, row).sqrt(),
            );
            let k = if have > 0.0 { want / have } else { 0.0 };
            row.iter_mut().for_each(|v| *v *= k);
        }
    }
    d
}
