//! The Hessian of the training loss with respect to all parameters: exact Hessian-vector
//! products by forward-over-reverse, the full matrix and its spectrum, Lanczos extremes.
//!
//! `H·v` comes from running the one generic forward/backward pass ([`crate::nn::pass`]) on
//! dual numbers seeded with `θ + ε·v`: the tangent of the gradient is `H·v`, exact up to
//! rounding (no finite differences). The full Hessian (up to [`MAX_EXACT_PARAMS`]) is
//! assembled column by column from unit vectors, 8 per pass; larger networks (digits,
//! 64-32-10: 2410 parameters) get their extreme eigenvalues by [`lanczos()`].
//!
//! For the app: [`SpectrumJob`] computes a spectrum a block of columns (or a Lanczos step) at
//! a time, [`RatioSweep`] the minimum ratio at weights recorded along training, and
//! [`spectrum_chart`] bins eigenvalues by sign on a linear or symmetric-log axis, and
//! [`verdict()`] says what the spectrum means (a kind of point only at a critical point).
//!
//! ```
//! use optiscape::nn::hessian::{BatchLoss, SpectrumOptions, spectrum};
//! use optiscape::nn::{init_network, Activation, BnConfig, LossKind, Matrix, Mode, ModelSpec};
//! let spec = ModelSpec::mlp(2, &[3], Activation::Tanh, false, 2, LossKind::CrossEntropy,
//!                           BnConfig::default());
//! let net = init_network(&spec, 0).unwrap();
//! let x = Matrix::from_vec(2, 2, vec![0.5, -1.0, 1.5, 0.2]).unwrap();
//! let y = [0, 1];
//! let h = BatchLoss::new(&net, &x, &y, Mode::Eval).unwrap().hessian(net.params()).unwrap();
//! assert_eq!(h.n(), net.n_params());
//! let s = spectrum(&net, &x, &y, &SpectrumOptions::default()).unwrap();
//! assert_eq!(s.eigenvalues.len(), 17);
//! ```

mod along;
mod batch_loss;
mod chart;
mod dual;
mod exact;
mod histogram;
mod job;
mod lanczos;
mod newton;
mod spectrum;
mod verdict;

pub use along::{RatioSample, RatioSweep};
pub use batch_loss::BatchLoss;
pub use chart::{spectrum_chart, AxisScale, ChartBin, ChartTick, SpectrumChart, MAX_CHART_BINS};
pub use dual::DualVec;
pub use exact::{Hessian, MAX_EXACT_PARAMS};
pub use histogram::{histogram, Histogram, MAX_BINS};
pub use job::SpectrumJob;
pub use lanczos::{lanczos, Lanczos, LanczosOptions, LanczosRun, MAX_LANCZOS_STEPS};
pub use newton::{seek_critical_point, CriticalPointFound, CriticalSearchOptions};
pub use spectrum::{
    hessian_spectrum, minimum_ratio, sign_counts, spectrum, spectrum_with_progress, zero_tolerance,
    SignCounts, Spectrum, SpectrumMethod, SpectrumOptions, AUTO_EXACT_LIMIT,
};
pub use verdict::{verdict, Verdict, VerdictKind, CRITICAL_GRADIENT_TOLERANCE};
