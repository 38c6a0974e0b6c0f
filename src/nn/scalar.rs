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
    /// `v ← tanh(v)` for every element.
    fn tanh_in_place(v: &mut [Self]) {
        v.iter_mut().for_each(|x| *x = x.tanh());
    }
    /// `v ← exp(v)` for every element, each ≤ 0 (softmax's shifted logits).
    fn exp_nonpositive_in_place(v: &mut [Self]) {
        v.iter_mut().for_each(|x| *x = x.exp());
    }
    /// The numbers as `f64` when `Self` is `f64`, so that the passes can take the `f64`
    /// kernels ([`super::kernels`]); `None` for numbers with tangents.
    fn f64s(_v: &[Self]) -> Option<&[f64]> {
        None
    }
    /// [`Scalar::f64s`] for writing.
    fn f64s_mut(_v: &mut [Self]) -> Option<&mut [f64]> {
        None
    }
}

/// The classifier's tanh (two lanes at a time where it can, see [`super::lanes`]): within 2
/// ulp of libm's. In wasm `f64::tanh` compiles to Rust's `expm1`-based libm tanh, which took
/// ~45 % of a tanh network's update; Cephes' method on [`super::lanes::F2`] with an exponential
/// of its own needs neither libm call nor a branch.
pub use super::lanes::tanh;

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
        tanh(self)
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
    fn tanh_in_place(v: &mut [f64]) {
        super::lanes::tanh_in_place(v);
    }
    fn exp_nonpositive_in_place(v: &mut [f64]) {
        super::lanes::exp_nonpositive_in_place(v);
    }
    fn f64s(v: &[f64]) -> Option<&[f64]> {
        Some(v)
    }
    fn f64s_mut(v: &mut [f64]) -> Option<&mut [f64]> {
        Some(v)
    }
}
