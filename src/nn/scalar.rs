//! The number type the passes run on: `f64` for training, and numbers that carry tangents
//! (the Hessian's dual numbers) for exact second derivatives by forward-over-reverse.
//!
//! The forward and backward passes are written once, generic over [`Scalar`]. For `f64` every
//! method is the very operation the f64-only code used, so training is bit-for-bit unchanged.

use std::fmt::Debug;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Div, Mul, Neg, Sub};

/// A real number, possibly with derivative parts: closed under the arithmetic and the
/// elementary functions of the passes. Comparisons (relu, the max shift of softmax) look at
/// the value only, [`Scalar::re`]; `Default` is zero and `From<f64>` a constant.
pub trait Scalar:
    Copy
    + Default
    + Debug
    + PartialEq
    + From<f64>
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + Mul<f64, Output = Self>
    + AddAssign
    + Sum
{
    /// The value (the real part).
    fn re(self) -> f64;
    fn exp(self) -> Self;
    fn ln(self) -> Self;
    fn tanh(self) -> Self;
    fn sqrt(self) -> Self;
    /// `max(self, 0)` as `f64::max` does it (NaN gives 0); relu's derivative is 1 or 0.
    fn relu(self) -> Self;
    /// The larger of two numbers by value, as `f64::max` picks it.
    fn max_by_value(self, other: Self) -> Self;
    /// Whether every part is exactly 0, so that a term with this factor may be skipped.
    fn is_zero(self) -> bool;
}

impl Scalar for f64 {
    #[inline]
    fn re(self) -> f64 {
        self
    }
    #[inline]
    fn exp(self) -> f64 {
        f64::exp(self)
    }
    #[inline]
    fn ln(self) -> f64 {
        f64::ln(self)
    }
    #[inline]
    fn tanh(self) -> f64 {
        f64::tanh(self)
    }
    #[inline]
    fn sqrt(self) -> f64 {
        f64::sqrt(self)
    }
    #[inline]
    fn relu(self) -> f64 {
        self.max(0.0)
    }
    #[inline]
    fn max_by_value(self, other: f64) -> f64 {
        self.max(other)
    }
    #[inline]
    fn is_zero(self) -> bool {
        self == 0.0
    }
}
