//! DualVec numbers with `N` tangents, `a + Σ_k b_k ε_k` with `ε_k ε_l = 0`: run through the
//! forward and backward passes they give the gradient and its directional derivatives.
//!
//! Seeding the parameters with `θ + ε·v` makes the tangent of every gradient entry
//! `d/dt ∇L(θ + t·v) = H·v`, exact up to rounding (forward-over-reverse). `N` tangents give
//! `N` Hessian-vector products from one pass, sharing the value part.

use crate::nn::scalar::Scalar;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Div, Mul, Neg, Sub};

/// A value `re` and `N` tangents `eps`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DualVec<const N: usize> {
    pub re: f64,
    pub eps: [f64; N],
}

impl<const N: usize> DualVec<N> {
    /// A value with the given tangents.
    pub fn new(re: f64, eps: [f64; N]) -> Self {
        DualVec { re, eps }
    }

    /// `f(self)` given `f(re)` and `f'(re)` (the chain rule).
    #[inline]
    fn chain(self, f: f64, df: f64) -> Self {
        DualVec {
            re: f,
            eps: self.eps.map(|e| e * df),
        }
    }
}

impl<const N: usize> Default for DualVec<N> {
    fn default() -> Self {
        DualVec {
            re: 0.0,
            eps: [0.0; N],
        }
    }
}

impl<const N: usize> From<f64> for DualVec<N> {
    #[inline]
    fn from(re: f64) -> Self {
        DualVec { re, eps: [0.0; N] }
    }
}

impl<const N: usize> Add for DualVec<N> {
    type Output = Self;
    #[inline]
    fn add(mut self, o: Self) -> Self {
        self += o;
        self
    }
}

impl<const N: usize> AddAssign for DualVec<N> {
    #[inline]
    fn add_assign(&mut self, o: Self) {
        self.re += o.re;
        for (a, b) in self.eps.iter_mut().zip(o.eps) {
            *a += b;
        }
    }
}

impl<const N: usize> Sub for DualVec<N> {
    type Output = Self;
    #[inline]
    fn sub(mut self, o: Self) -> Self {
        self.re -= o.re;
        for (a, b) in self.eps.iter_mut().zip(o.eps) {
            *a -= b;
        }
        self
    }
}

impl<const N: usize> Neg for DualVec<N> {
    type Output = Self;
    #[inline]
    fn neg(self) -> Self {
        DualVec {
            re: -self.re,
            eps: self.eps.map(|e| -e),
        }
    }
}

impl<const N: usize> Mul for DualVec<N> {
    type Output = Self;
    #[inline]
    fn mul(self, o: Self) -> Self {
        let mut eps = [0.0; N];
        for ((e, a), b) in eps.iter_mut().zip(self.eps).zip(o.eps) {
            *e = self.re * b + a * o.re;
        }
        DualVec {
            re: self.re * o.re,
            eps,
        }
    }
}

impl<const N: usize> Mul<f64> for DualVec<N> {
    type Output = Self;
    #[inline]
    fn mul(self, c: f64) -> Self {
        DualVec {
            re: self.re * c,
            eps: self.eps.map(|e| e * c),
        }
    }
}

impl<const N: usize> Div for DualVec<N> {
    type Output = Self;
    /// `(a/b)' = (a' − (a/b)·b') / b`.
    #[inline]
    fn div(self, o: Self) -> Self {
        let q = self.re / o.re;
        let mut eps = [0.0; N];
        for ((e, a), b) in eps.iter_mut().zip(self.eps).zip(o.eps) {
            *e = (a - q * b) / o.re;
        }
        DualVec { re: q, eps }
    }
}

impl<const N: usize> Sum for DualVec<N> {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        iter.fold(DualVec::default(), |a, b| a + b)
    }
}

impl<const N: usize> Scalar for DualVec<N> {
    #[inline]
    fn re(self) -> f64 {
        self.re
    }
    #[inline]
    fn exp(self) -> Self {
        let e = self.re.exp();
        self.chain(e, e)
    }
    #[inline]
    fn ln(self) -> Self {
        self.chain(self.re.ln(), 1.0 / self.re)
    }
    #[inline]
    fn tanh(self) -> Self {
        let t = crate::nn::scalar::tanh(self.re);
        self.chain(t, 1.0 - t * t)
    }
    #[inline]
    fn sqrt(self) -> Self {
        let s = self.re.sqrt();
        self.chain(s, 0.5 / s)
    }
    /// The value's relu; the tangents pass where the value is > 0 (relu'(0) = 0, as torch).
    #[inline]
    fn relu(self) -> Self {
        if self.re > 0.0 {
            self
        } else {
            DualVec::default()
        }
    }
    #[inline]
    fn max_by_value(self, other: Self) -> Self {
        if other.re > self.re || self.re.is_nan() {
            other
        } else {
            self
        }
    }
    #[inline]
    fn is_zero(self) -> bool {
        self.re == 0.0 && self.eps.iter().all(|&e| e == 0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::DualVec;
    use crate::nn::scalar::Scalar;

    #[test]
    fn tangents_follow_the_chain_rule() {
        // f(x) = tanh(x)·sqrt(x)/exp(x) + ln(x) at x = 0.7, f' by hand.
        let x = 0.7_f64;
        let d = DualVec::<2>::new(x, [1.0, -2.0]);
        let f = d.tanh() * d.sqrt() / d.exp() + d.ln();
        let t = x.tanh();
        let g = t * x.sqrt() / x.exp();
        let df = (1.0 - t * t) * x.sqrt() / x.exp() + t * 0.5 / x.sqrt() / x.exp() - g + 1.0 / x;
        assert!((f.re - (g + x.ln())).abs() < 1e-15);
        assert!((f.eps[0] - df).abs() < 1e-14, "{} vs {df}", f.eps[0]);
        assert!((f.eps[1] + 2.0 * df).abs() < 1e-14);
        assert_eq!(DualVec::<1>::new(-1.0, [3.0]).relu(), DualVec::default());
        assert!(!DualVec::<1>::new(0.0, [1e-300]).is_zero());
    }
}
