//! What the Hessian's spectrum says about the weights, in the lecture's words.
//!
//! The lecture's rule holds at a critical point (the gradient is zero): every eigenvalue
//! positive ⇒ a local minimum (sufficient, not necessary), every one negative ⇒ a local
//! maximum, some positive and some negative ⇒ a saddle point. Away from a critical point the
//! spectrum names no kind of point; it only says how the loss curves there (down along the
//! eigenvectors of negative eigenvalues). Zero eigenvalues (|λ| ≤ the spectrum's tolerance)
//! are flat directions: positive apart from flat ones at a critical point is only "no
//! direction curves down" (the second order cannot tell a minimum there).
//!
//! The core decides criticality ([`CRITICAL_GRADIENT_TOLERANCE`]) and ships the decision and
//! the tolerance, so the page only displays them.

use super::spectrum::{Spectrum, SpectrumMethod};
use serde::Serialize;

/// ‖∇L‖ at or below this counts as a critical point. The training loss is a mean over rows
/// (of order 1 at the start); at ‖∇L‖ = 1e-3 a gradient step with lr 0.1 changes it by
/// about 1e-7, so training has come to rest there.
pub const CRITICAL_GRADIENT_TOLERANCE: f64 = 1e-3;

/// The sentence the spectrum earns (the page picks the words by this key).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictKind {
    /// Critical; every eigenvalue positive: a local minimum.
    LocalMinimum,
    /// Critical; every eigenvalue negative: a local maximum.
    LocalMaximum,
    /// Critical; some eigenvalues positive, some negative: a saddle point.
    Saddle,
    /// Critical; none negative, some flat: no direction curves down (not a strict minimum).
    NoDirectionDown,
    /// Critical; none positive, some flat: no direction curves up (not a strict maximum).
    NoDirectionUp,
    /// Not critical (exact spectrum): no kind of point, only how the loss curves here.
    NotCritical,
    /// Lanczos, critical, an eigenvalue surely negative and one positive: a saddle point.
    LanczosSaddle,
    /// Lanczos, critical, an eigenvalue surely negative, none found positive: not a local
    /// minimum (the loss curves down along some direction).
    LanczosNotMinimum,
    /// Lanczos, critical, no eigenvalue surely negative: the extremes cannot tell more.
    LanczosNoNegative,
    /// Lanczos, not critical, an eigenvalue surely negative: the loss curves down somewhere.
    LanczosNotCriticalDown,
    /// Lanczos, not critical, no eigenvalue surely negative.
    LanczosNotCritical,
}

/// The verdict with the numbers it rests on.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Verdict {
    pub kind: VerdictKind,
    /// ‖∇L‖ ≤ `gradient_tolerance`.
    pub critical: bool,
    pub gradient_norm: f64,
    pub gradient_tolerance: f64,
}

/// The verdict of a spectrum (see the module's rule). An empty or non-finite spectrum is not
/// critical and names nothing.
pub fn verdict(s: &Spectrum) -> Verdict {
    let critical = s.gradient_norm <= CRITICAL_GRADIENT_TOLERANCE;
    let kind = match (s.method, s.signs) {
        (SpectrumMethod::Exact, Some(_)) if !critical || s.eigenvalues.is_empty() => {
            VerdictKind::NotCritical
        }
        (SpectrumMethod::Exact, Some(c)) => match (c.negative > 0, c.positive > 0, c.zero > 0) {
            (true, true, _) => VerdictKind::Saddle,
            (false, _, true) => VerdictKind::NoDirectionDown,
            (true, false, true) => VerdictKind::NoDirectionUp,
            (false, _, false) => VerdictKind::LocalMinimum,
            (true, false, false) => VerdictKind::LocalMaximum,
        },
        _ => {
            // An eigenvalue lies within the residual of each Ritz value.
            let surely_negative = match (&s.residuals, s.eigenvalues.first()) {
                (Some(r), Some(&v)) => v + r.first().copied().unwrap_or(0.0) < 0.0,
                _ => false,
            };
            // Ritz values lie inside [λmin, λmax]: a positive one means λmax > 0.
            let some_positive = s.eigenvalues.last().is_some_and(|&v| v > 0.0);
            match (critical, surely_negative) {
                (true, true) if some_positive => VerdictKind::LanczosSaddle,
                (true, true) => VerdictKind::LanczosNotMinimum,
                (true, false) => VerdictKind::LanczosNoNegative,
                (false, true) => VerdictKind::LanczosNotCriticalDown,
                (false, false) => VerdictKind::LanczosNotCritical,
            }
        }
    };
    Verdict {
        kind,
        critical,
        gradient_norm: s.gradient_norm,
        gradient_tolerance: CRITICAL_GRADIENT_TOLERANCE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::hessian::{minimum_ratio, sign_counts, zero_tolerance};
    use crate::nn::Mode;

    fn exact(eigenvalues: &[f64], gradient_norm: f64) -> Spectrum {
        let tol = zero_tolerance(eigenvalues).max(1e-9);
        Spectrum {
            method: SpectrumMethod::Exact,
            mode: Mode::Eval,
            n_params: eigenvalues.len(),
            rows: 10,
            loss: 0.5,
            gradient_norm,
            eigenvalues: eigenvalues.to_vec(),
            residuals: None,
            smallest: eigenvalues.to_vec(),
            largest: eigenvalues.iter().rev().copied().collect(),
            signs: Some(sign_counts(eigenvalues, tol)),
            minimum_ratio: minimum_ratio(eigenvalues, tol),
            max_asymmetry: Some(0.0),
            hessian_vector_products: eigenvalues.len(),
        }
    }

    fn lanczos(ritz: &[f64], residuals: &[f64], gradient_norm: f64) -> Spectrum {
        Spectrum {
            method: SpectrumMethod::Lanczos,
            residuals: Some(residuals.to_vec()),
            signs: None,
            minimum_ratio: None,
            ..exact(ritz, gradient_norm)
        }
    }

    #[test]
    fn critical_and_every_eigenvalue_positive_is_a_local_minimum() {
        let v = verdict(&exact(&[0.5, 1.0, 3.0], 1e-6));
        assert!(v.critical);
        assert_eq!(v.kind, VerdictKind::LocalMinimum);
        assert_eq!(v.gradient_tolerance, CRITICAL_GRADIENT_TOLERANCE);
    }

    #[test]
    fn critical_and_every_eigenvalue_negative_is_a_local_maximum() {
        let v = verdict(&exact(&[-3.0, -1.0], 0.0));
        assert_eq!(v.kind, VerdictKind::LocalMaximum);
    }

    #[test]
    fn mixed_signs_at_a_critical_point_are_a_saddle() {
        let v = verdict(&exact(&[-0.2, 0.0, 1.0, 2.0], 1e-4));
        assert!(v.critical);
        assert_eq!(v.kind, VerdictKind::Saddle);
    }

    #[test]
    fn flat_directions_at_a_critical_point_are_not_a_strict_minimum() {
        assert_eq!(
            verdict(&exact(&[0.0, 1.0, 2.0], 0.0)).kind,
            VerdictKind::NoDirectionDown
        );
        assert_eq!(
            verdict(&exact(&[-1.0, 0.0], 0.0)).kind,
            VerdictKind::NoDirectionUp
        );
    }

    #[test]
    fn off_a_critical_point_no_kind_is_named() {
        for values in [&[-0.2, 1.0][..], &[0.5, 1.0], &[-2.0, -1.0], &[0.0, 1.0]] {
            let v = verdict(&exact(values, 0.05));
            assert!(!v.critical);
            assert_eq!(v.kind, VerdictKind::NotCritical, "{values:?}");
            assert_eq!(v.gradient_norm, 0.05);
        }
        // A NaN gradient is not critical either.
        assert!(!verdict(&exact(&[1.0], f64::NAN)).critical);
    }

    #[test]
    fn lanczos_names_a_saddle_only_at_a_critical_point() {
        let down = [-0.5, 2.0];
        let r = [1e-3, 1e-3];
        assert_eq!(
            verdict(&lanczos(&down, &r, 1e-5)).kind,
            VerdictKind::LanczosSaddle
        );
        assert_eq!(
            verdict(&lanczos(&down, &r, 0.1)).kind,
            VerdictKind::LanczosNotCriticalDown
        );
        // Within its residual of zero: not surely negative.
        let unsure = [-1e-4, 2.0];
        assert_eq!(
            verdict(&lanczos(&unsure, &r, 1e-5)).kind,
            VerdictKind::LanczosNoNegative
        );
        assert_eq!(
            verdict(&lanczos(&unsure, &r, 0.1)).kind,
            VerdictKind::LanczosNotCritical
        );
    }
}
