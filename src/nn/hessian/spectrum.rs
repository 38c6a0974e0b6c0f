//! The eigenvalue spectrum of the training loss's Hessian at the current weights: all of it
//! (exact Hessian) for small networks, the extremes (Lanczos) for larger ones, and the
//! lecture's "minimum ratio", the fraction of positive eigenvalues.

use super::job::SpectrumJob;
use super::lanczos::LanczosOptions;
use crate::error::Result;
use crate::nn::config::Session;
use crate::nn::matrix::Matrix;
use crate::nn::params::Network;
use crate::nn::pass::Mode;
use serde::{Deserialize, Serialize};

/// Networks up to this many parameters get the full Hessian under [`SpectrumMethod::Auto`].
pub const AUTO_EXACT_LIMIT: usize = 1000;

/// How the eigenvalues are found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpectrumMethod {
    /// `exact` up to [`AUTO_EXACT_LIMIT`] parameters, `lanczos` above.
    #[default]
    Auto,
    /// The full Hessian and all its eigenvalues.
    Exact,
    /// The extreme eigenvalues from Hessian-vector products.
    Lanczos,
}

/// What to compute (serde, unknown keys refused; every field has a default).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SpectrumOptions {
    pub method: SpectrumMethod,
    /// `train` (default): the loss the optimizer minimizes, batch norm with the statistics
    /// of the rows used; `eval`: batch norm with the running statistics.
    pub mode: Mode,
    /// Use only the first rows of the training data (a faster, noisier Hessian).
    pub max_rows: Option<usize>,
    /// How many smallest and largest eigenvalues to list (default 5).
    pub extremes: usize,
    /// Lanczos steps and start-vector seed.
    pub lanczos: LanczosOptions,
}

impl Default for SpectrumOptions {
    fn default() -> Self {
        SpectrumOptions {
            method: SpectrumMethod::Auto,
            mode: Mode::Train,
            max_rows: None,
            extremes: 5,
            lanczos: LanczosOptions::default(),
        }
    }
}

/// How many eigenvalues are positive, negative and zero (within `tolerance`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SignCounts {
    pub positive: usize,
    pub negative: usize,
    pub zero: usize,
    /// |λ| ≤ tolerance counts as zero.
    pub tolerance: f64,
}

/// The Hessian's eigenvalues at one point of training.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Spectrum {
    /// `exact` or `lanczos` (never `auto`).
    pub method: SpectrumMethod,
    pub mode: Mode,
    pub n_params: usize,
    /// Rows of the batch the loss was taken over.
    pub rows: usize,
    pub loss: f64,
    /// ‖∇L‖ at the same weights (near 0: a critical point).
    pub gradient_norm: f64,
    /// All eigenvalues ascending (exact), or the Ritz values ascending (lanczos).
    pub eigenvalues: Vec<f64>,
    /// Lanczos only: an eigenvalue lies within `residuals[i]` of `eigenvalues[i]`.
    pub residuals: Option<Vec<f64>>,
    /// The smallest eigenvalues, ascending.
    pub smallest: Vec<f64>,
    /// The largest eigenvalues, descending.
    pub largest: Vec<f64>,
    /// Exact only: the signs of all eigenvalues.
    pub signs: Option<SignCounts>,
    /// Exact only: positive / n, the lecture's "minimum ratio" (1 at a strict minimum).
    pub minimum_ratio: Option<f64>,
    /// Exact only: max |H_ij − H_ji| of the assembled Hessian before symmetrizing.
    pub max_asymmetry: Option<f64>,
    /// Products `H·v` computed (exact: n, in passes of 8).
    pub hessian_vector_products: usize,
}

/// `n · ε · max|λ|`: eigenvalues this small are zero up to the rounding of the Hessian.
pub fn zero_tolerance(eigenvalues: &[f64]) -> f64 {
    let big = eigenvalues.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    eigenvalues.len() as f64 * f64::EPSILON * big
}

/// Count signs, with |λ| ≤ `tolerance` as zero.
pub fn sign_counts(eigenvalues: &[f64], tolerance: f64) -> SignCounts {
    let positive = eigenvalues.iter().filter(|&&v| v > tolerance).count();
    let negative = eigenvalues.iter().filter(|&&v| v < -tolerance).count();
    SignCounts {
        positive,
        negative,
        zero: eigenvalues.len() - positive - negative,
        tolerance,
    }
}

/// The fraction of eigenvalues > `tolerance` (the lecture's minimum ratio; `None` for none).
/// Zero eigenvalues (flat directions, e.g. softmax's shift invariance) do not count as positive.
pub fn minimum_ratio(eigenvalues: &[f64], tolerance: f64) -> Option<f64> {
    (!eigenvalues.is_empty())
        .then(|| sign_counts(eigenvalues, tolerance).positive as f64 / eigenvalues.len() as f64)
}

/// The spectrum of the Hessian of the loss of `(x, y)` at the network's weights.
pub fn spectrum(
    net: &Network,
    x: &Matrix,
    y: &[usize],
    options: &SpectrumOptions,
) -> Result<Spectrum> {
    spectrum_with_progress(net, x, y, options, &mut |_, _| {})
}

/// [`spectrum`], calling `progress(products done, products planned)` as it goes.
pub fn spectrum_with_progress(
    net: &Network,
    x: &Matrix,
    y: &[usize],
    options: &SpectrumOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Spectrum> {
    let mut job = SpectrumJob::new(net, x, y, options)?;
    loop {
        let done = job.advance(&mut || true)?;
        let (d, planned) = job.progress();
        progress(d, planned);
        if done {
            return job.finish();
        }
    }
}

/// The spectrum at a session's current weights over its training data (standardized, as the
/// network sees it).
pub fn hessian_spectrum(session: &Session, options: &SpectrumOptions) -> Result<Spectrum> {
    let t = &session.trainer;
    let data = t.train_data();
    spectrum(t.network(), &data.x, &data.y, options)
}
