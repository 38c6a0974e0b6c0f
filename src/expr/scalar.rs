//! The scalar the number types are built from. `f64` computes; [`super::jit::Sym`] records
//! the same operations as WebAssembly instructions. Because the value, gradient and Hessian
//! code is written once over `Scalar`, the compiled formula does exactly what the tape does,
//! operation for operation (the property test in `tests/web.rs` checks it bit for bit).

use std::ops::{Add, Div, Mul, Neg, Sub};

/// One real number: IEEE arithmetic, comparisons, and the functions of the formula language.
pub trait Scalar:
    Copy
    + Default
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// The result of a comparison.
    type Bool: Copy;
    /// The constant `v`.
    fn c(v: f64) -> Self;
    fn lt(self, o: Self) -> Self::Bool;
    fn gt(self, o: Self) -> Self::Bool;
    /// `self` or `o` is NaN.
    fn either_nan(self, o: Self) -> Self::Bool;
    /// `a` where `c` holds, else `b`.
    fn select(c: Self::Bool, a: Self, b: Self) -> Self;
    /// `then()` where `c` holds, else `otherwise()`: `f64` runs only the branch taken, a
    /// recording scalar records both and selects.
    #[inline]
    fn choose<T: Choose<Self>>(
        c: Self::Bool,
        then: impl FnOnce() -> T,
        otherwise: impl FnOnce() -> T,
    ) -> T {
        T::select(c, then(), otherwise())
    }
    fn sqrt(self) -> Self;
    fn abs(self) -> Self;
    fn sin(self) -> Self;
    fn cos(self) -> Self;
    fn tan(self) -> Self;
    fn exp(self) -> Self;
    fn ln(self) -> Self;
    fn ln_1p(self) -> Self;
    fn tanh(self) -> Self;
    fn atan(self) -> Self;
    fn sinh(self) -> Self;
    fn cosh(self) -> Self;
    fn powf(self, e: Self) -> Self;
}

/// Something made of scalars that a condition can choose between, component by component.
pub trait Choose<S: Scalar>: Sized {
    fn select(c: S::Bool, a: Self, b: Self) -> Self;
}

impl<S: Scalar> Choose<S> for S {
    #[inline]
    fn select(c: S::Bool, a: Self, b: Self) -> Self {
        S::select(c, a, b)
    }
}

impl<S: Scalar, const K: usize> Choose<S> for [S; K] {
    #[inline]
    fn select(c: S::Bool, a: Self, b: Self) -> Self {
        std::array::from_fn(|i| S::select(c, a[i], b[i]))
    }
}

impl<S: Scalar> Choose<S> for (S, S) {
    #[inline]
    fn select(c: S::Bool, a: Self, b: Self) -> Self {
        (S::select(c, a.0, b.0), S::select(c, a.1, b.1))
    }
}

impl Scalar for f64 {
    type Bool = bool;
    #[inline]
    fn c(v: f64) -> Self {
        v
    }
    #[inline]
    fn lt(self, o: Self) -> bool {
        self < o
    }
    #[inline]
    fn gt(self, o: Self) -> bool {
        self > o
    }
    #[inline]
    fn either_nan(self, o: Self) -> bool {
        self.is_nan() || o.is_nan()
    }
    #[inline]
    fn select(c: bool, a: Self, b: Self) -> Self {
        if c {
            a
        } else {
            b
        }
    }
    #[inline]
    fn choose<T: Choose<Self>>(
        c: bool,
        then: impl FnOnce() -> T,
        otherwise: impl FnOnce() -> T,
    ) -> T {
        if c {
            then()
        } else {
            otherwise()
        }
    }
    #[inline]
    fn sqrt(self) -> Self {
        f64::sqrt(self)
    }
    #[inline]
    fn abs(self) -> Self {
        f64::abs(self)
    }
    #[inline]
    fn sin(self) -> Self {
        f64::sin(self)
    }
    #[inline]
    fn cos(self) -> Self {
        f64::cos(self)
    }
    #[inline]
    fn tan(self) -> Self {
        f64::tan(self)
    }
    #[inline]
    fn exp(self) -> Self {
        f64::exp(self)
    }
    #[inline]
    fn ln(self) -> Self {
        f64::ln(self)
    }
    #[inline]
    fn ln_1p(self) -> Self {
        f64::ln_1p(self)
    }
    #[inline]
    fn tanh(self) -> Self {
        f64::tanh(self)
    }
    #[inline]
    fn atan(self) -> Self {
        f64::atan(self)
    }
    #[inline]
    fn sinh(self) -> Self {
        f64::sinh(self)
    }
    #[inline]
    fn cosh(self) -> Self {
        f64::cosh(self)
    }
    #[inline]
    fn powf(self, e: Self) -> Self {
        f64::powf(self, e)
    }
}
