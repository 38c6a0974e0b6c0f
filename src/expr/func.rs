//! The built-in one-argument functions and their derivatives, with torch's conventions.
//! Each function gives (h, h', h'') at a point; the number types apply the chain rule.

use super::scalar::Scalar;

/// A built-in function of one argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    Sin,
    Cos,
    Tan,
    Exp,
    Log,
    Sqrt,
    Tanh,
    Abs,
    Atan,
    Sinh,
    Cosh,
    Sigmoid,
    Softplus,
}

/// Every name the formula language knows, for error suggestions.
pub const NAMES: &[&str] = &[
    "x", "y", "pi", "e", "sin", "cos", "tan", "exp", "log", "sqrt", "tanh", "abs", "atan", "sinh",
    "cosh", "sigmoid", "softplus", "min", "max", "pow",
];

impl Func {
    /// The function called `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Func> {
        Some(match name {
            "sin" => Func::Sin,
            "cos" => Func::Cos,
            "tan" => Func::Tan,
            "exp" => Func::Exp,
            "log" => Func::Log,
            "sqrt" => Func::Sqrt,
            "tanh" => Func::Tanh,
            "abs" => Func::Abs,
            "atan" => Func::Atan,
            "sinh" => Func::Sinh,
            "cosh" => Func::Cosh,
            "sigmoid" => Func::Sigmoid,
            "softplus" => Func::Softplus,
            _ => return None,
        })
    }

    /// The value h(v).
    #[inline]
    pub fn value<S: Scalar>(self, v: S) -> S {
        let one = S::c(1.0);
        match self {
            Func::Sin => v.sin(),
            Func::Cos => v.cos(),
            Func::Tan => v.tan(),
            Func::Exp => v.exp(),
            Func::Log => v.ln(),
            Func::Sqrt => v.sqrt(),
            Func::Tanh => v.tanh(),
            Func::Abs => v.abs(),
            Func::Atan => v.atan(),
            Func::Sinh => v.sinh(),
            Func::Cosh => v.cosh(),
            Func::Sigmoid => one / (one + (-v).exp()),
            // torch.nn.functional.softplus with beta = 1, threshold = 20.
            Func::Softplus => S::choose(v.gt(S::c(20.0)), || v, || v.exp().ln_1p()),
        }
    }

    /// `[h(v), h'(v), h''(v)]`, computing derivatives only up to `order` (the rest are 0).
    /// Derivatives follow torch's backward formulas: `abs'(0) = 0`, `sqrt' = 1/(2·sqrt)`,
    /// `tan' = 1 + tan²`, `tanh' = 1 − tanh²`, softplus is linear above 20.
    #[inline]
    pub fn derivatives<S: Scalar>(self, v: S, order: usize) -> [S; 3] {
        let h = self.value(v);
        let zero = S::c(0.0);
        if order == 0 {
            return [h, zero, zero];
        }
        let (one, two) = (S::c(1.0), S::c(2.0));
        let (d1, d2) = match self {
            Func::Sin => (v.cos(), -h),
            Func::Cos => (-v.sin(), -h),
            Func::Tan => {
                let d1 = one + h * h;
                (d1, two * h * d1)
            }
            Func::Exp => (h, h),
            Func::Log => (one / v, S::c(-1.0) / (v * v)),
            Func::Sqrt => (one / (two * h), S::c(-1.0) / (S::c(4.0) * h * v)),
            Func::Tanh => {
                let d1 = one - h * h;
                (d1, S::c(-2.0) * h * d1)
            }
            Func::Abs => {
                let s = S::choose(
                    v.gt(zero),
                    || one,
                    || S::choose(v.lt(zero), || S::c(-1.0), || zero),
                );
                (s, zero)
            }
            Func::Atan => {
                let q = one + v * v;
                (one / q, S::c(-2.0) * v / (q * q))
            }
            Func::Sinh => (v.cosh(), h),
            Func::Cosh => (v.sinh(), h),
            Func::Sigmoid => {
                let d1 = h * (one - h);
                (d1, d1 * (one - two * h))
            }
            Func::Softplus => S::choose(
                v.gt(S::c(20.0)),
                || (one, zero),
                || {
                    let s = Func::Sigmoid.value(v);
                    (s, s * (one - s))
                },
            ),
        };
        [h, d1, d2]
    }
}

/// `a^c` for a constant exponent as torch computes `torch.pow(a, c)` on CPU:
/// c = 2 is `a*a`, c = 3 is `a*a*a`, c = -2 is `1/(a*a)`, c = ±0.5 go through sqrt,
/// c = -1 is the reciprocal, c = 0 is 1 and c = 1 is `a` itself.
#[inline]
pub fn pow_const<S: Scalar>(a: S, c: f64) -> S {
    let one = S::c(1.0);
    if c == 2.0 {
        a * a
    } else if c == 1.0 {
        a
    } else if c == 0.0 {
        one
    } else if c == 3.0 {
        a * a * a
    } else if c == 0.5 {
        a.sqrt()
    } else if c == -0.5 {
        one / a.sqrt()
    } else if c == -1.0 {
        one / a
    } else if c == -2.0 {
        one / (a * a)
    } else {
        a.powf(S::c(c))
    }
}
