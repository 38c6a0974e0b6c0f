//! The built-in one-argument functions and their derivatives, with torch's conventions.
//! Each function gives (h, h', h'') at a point; the number types apply the chain rule.

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
    pub fn value(self, v: f64) -> f64 {
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
            Func::Sigmoid => 1.0 / (1.0 + (-v).exp()),
            // torch.nn.functional.softplus with beta = 1, threshold = 20.
            Func::Softplus => {
                if v > 20.0 {
                    v
                } else {
                    v.exp().ln_1p()
                }
            }
        }
    }

    /// `[h(v), h'(v), h''(v)]`, computing derivatives only up to `order` (the rest are 0).
    /// Derivatives follow torch's backward formulas: `abs'(0) = 0`, `sqrt' = 1/(2·sqrt)`,
    /// `tan' = 1 + tan²`, `tanh' = 1 − tanh²`, softplus is linear above 20.
    #[inline]
    pub fn derivatives(self, v: f64, order: usize) -> [f64; 3] {
        let h = self.value(v);
        if order == 0 {
            return [h, 0.0, 0.0];
        }
        let (d1, d2) = match self {
            Func::Sin => (v.cos(), -h),
            Func::Cos => (-v.sin(), -h),
            Func::Tan => {
                let d1 = 1.0 + h * h;
                (d1, 2.0 * h * d1)
            }
            Func::Exp => (h, h),
            Func::Log => (1.0 / v, -1.0 / (v * v)),
            Func::Sqrt => (1.0 / (2.0 * h), -1.0 / (4.0 * h * v)),
            Func::Tanh => {
                let d1 = 1.0 - h * h;
                (d1, -2.0 * h * d1)
            }
            Func::Abs => {
                let s = if v > 0.0 {
                    1.0
                } else if v < 0.0 {
                    -1.0
                } else {
                    0.0
                };
                (s, 0.0)
            }
            Func::Atan => {
                let q = 1.0 + v * v;
                (1.0 / q, -2.0 * v / (q * q))
            }
            Func::Sinh => (v.cosh(), h),
            Func::Cosh => (v.sinh(), h),
            Func::Sigmoid => {
                let d1 = h * (1.0 - h);
                (d1, d1 * (1.0 - 2.0 * h))
            }
            Func::Softplus => {
                if v > 20.0 {
                    (1.0, 0.0)
                } else {
                    let s = Func::Sigmoid.value(v);
                    (s, s * (1.0 - s))
                }
            }
        };
        [h, d1, d2]
    }
}

/// `a^c` for a constant exponent as torch computes `torch.pow(a, c)` on CPU:
/// c = 2 is `a*a`, c = 3 is `a*a*a`, c = -2 is `1/(a*a)`, c = ±0.5 go through sqrt,
/// c = -1 is the reciprocal, c = 0 is 1 and c = 1 is `a` itself.
#[inline]
pub fn pow_const(a: f64, c: f64) -> f64 {
    if c == 2.0 {
        a * a
    } else if c == 1.0 {
        a
    } else if c == 0.0 {
        1.0
    } else if c == 3.0 {
        a * a * a
    } else if c == 0.5 {
        a.sqrt()
    } else if c == -0.5 {
        1.0 / a.sqrt()
    } else if c == -1.0 {
        1.0 / a
    } else if c == -2.0 {
        1.0 / (a * a)
    } else {
        a.powf(c)
    }
}
