//! Number types the tape is evaluated over: plain values, first-order duals (value + gradient)
//! and hyper-duals (value + gradient + Hessian), all in the two variables x and y, each over a
//! [`Scalar`]: `f64` to compute, a recording scalar to compile (see `super::jit`).

use super::scalar::{Choose, Scalar};

/// A number the tape can be evaluated with. `ORDER` is the highest derivative it carries.
pub trait Num: Copy + Default + Choose<Self::S> {
    /// The scalar its value and derivatives are made of.
    type S: Scalar;
    const ORDER: usize;
    fn constant(c: f64) -> Self;
    /// The variable x (`index` 0) or y (`index` 1) at `value`.
    fn variable(value: Self::S, index: usize) -> Self;
    fn val(&self) -> Self::S;
    /// The same derivatives with the value replaced by `v`.
    fn with_val(self, v: Self::S) -> Self;
    fn add(self, o: Self) -> Self;
    fn sub(self, o: Self) -> Self;
    fn mul(self, o: Self) -> Self;
    fn div(self, o: Self) -> Self;
    fn neg(self) -> Self;
    fn add_c(self, c: f64) -> Self;
    fn mul_c(self, c: f64) -> Self;
    /// Apply a one-argument function given `[h(u), h'(u), h''(u)]` at u = self.
    fn chain(self, d: [Self::S; 3]) -> Self;
}

/// A plain value is a number of order 0 (for `f64` and for the recording scalar alike).
macro_rules! value_num {
    ($t:ty) => {
        impl Num for $t {
            type S = $t;
            const ORDER: usize = 0;
            #[inline]
            fn constant(c: f64) -> Self {
                <$t as Scalar>::c(c)
            }
            #[inline]
            fn variable(value: Self, _: usize) -> Self {
                value
            }
            #[inline]
            fn val(&self) -> Self {
                *self
            }
            #[inline]
            fn with_val(self, v: Self) -> Self {
                v
            }
            #[inline]
            fn add(self, o: Self) -> Self {
                self + o
            }
            #[inline]
            fn sub(self, o: Self) -> Self {
                self - o
            }
            #[inline]
            fn mul(self, o: Self) -> Self {
                self * o
            }
            #[inline]
            fn div(self, o: Self) -> Self {
                self / o
            }
            #[inline]
            fn neg(self) -> Self {
                -self
            }
            #[inline]
            fn add_c(self, c: f64) -> Self {
                self + <$t as Scalar>::c(c)
            }
            #[inline]
            fn mul_c(self, c: f64) -> Self {
                self * <$t as Scalar>::c(c)
            }
            #[inline]
            fn chain(self, d: [Self; 3]) -> Self {
                d[0]
            }
        }
    };
}
pub(crate) use value_num;

value_num!(f64);

/// Value and gradient with respect to (x, y).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Dual<S = f64> {
    pub v: S,
    pub g: [S; 2],
}

impl<S: Scalar> Choose<S> for Dual<S> {
    #[inline]
    fn select(c: S::Bool, a: Self, b: Self) -> Self {
        Dual {
            v: S::select(c, a.v, b.v),
            g: <[S; 2]>::select(c, a.g, b.g),
        }
    }
}

impl<S: Scalar> Num for Dual<S> {
    type S = S;
    const ORDER: usize = 1;
    #[inline]
    fn constant(c: f64) -> Self {
        Dual {
            v: S::c(c),
            g: [S::c(0.0); 2],
        }
    }
    #[inline]
    fn variable(value: S, index: usize) -> Self {
        let mut g = [S::c(0.0); 2];
        g[index] = S::c(1.0);
        Dual { v: value, g }
    }
    #[inline]
    fn val(&self) -> S {
        self.v
    }
    #[inline]
    fn with_val(self, v: S) -> Self {
        Dual { v, ..self }
    }
    #[inline]
    fn add(self, o: Self) -> Self {
        Dual {
            v: self.v + o.v,
            g: [self.g[0] + o.g[0], self.g[1] + o.g[1]],
        }
    }
    #[inline]
    fn sub(self, o: Self) -> Self {
        Dual {
            v: self.v - o.v,
            g: [self.g[0] - o.g[0], self.g[1] - o.g[1]],
        }
    }
    #[inline]
    fn mul(self, o: Self) -> Self {
        Dual {
            v: self.v * o.v,
            g: [
                self.g[0] * o.v + self.v * o.g[0],
                self.g[1] * o.v + self.v * o.g[1],
            ],
        }
    }
    #[inline]
    fn div(self, o: Self) -> Self {
        // torch: d(a/b) = da/b − db·a/(b·b)
        let bb = o.v * o.v;
        Dual {
            v: self.v / o.v,
            g: [
                self.g[0] / o.v - o.g[0] * self.v / bb,
                self.g[1] / o.v - o.g[1] * self.v / bb,
            ],
        }
    }
    #[inline]
    fn neg(self) -> Self {
        Dual {
            v: -self.v,
            g: [-self.g[0], -self.g[1]],
        }
    }
    #[inline]
    fn add_c(self, c: f64) -> Self {
        Dual {
            v: self.v + S::c(c),
            g: self.g,
        }
    }
    #[inline]
    fn mul_c(self, c: f64) -> Self {
        let c = S::c(c);
        Dual {
            v: self.v * c,
            g: [self.g[0] * c, self.g[1] * c],
        }
    }
    #[inline]
    fn chain(self, d: [S; 3]) -> Self {
        Dual {
            v: d[0],
            g: [self.g[0] * d[1], self.g[1] * d[1]],
        }
    }
}

/// Value, gradient and Hessian with respect to (x, y); `h` is `[hxx, hxy, hyy]`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct HyperDual<S = f64> {
    pub v: S,
    pub g: [S; 2],
    pub h: [S; 3],
}

impl<S: Scalar> HyperDual<S> {
    /// The symmetric outer product `a bᵀ + b aᵀ` as `[xx, xy, yy]`.
    #[inline]
    fn sym_outer(a: [S; 2], b: [S; 2]) -> [S; 3] {
        let two = S::c(2.0);
        [
            two * a[0] * b[0],
            a[0] * b[1] + a[1] * b[0],
            two * a[1] * b[1],
        ]
    }
}

impl<S: Scalar> Choose<S> for HyperDual<S> {
    #[inline]
    fn select(c: S::Bool, a: Self, b: Self) -> Self {
        HyperDual {
            v: S::select(c, a.v, b.v),
            g: <[S; 2]>::select(c, a.g, b.g),
            h: <[S; 3]>::select(c, a.h, b.h),
        }
    }
}

impl<S: Scalar> Num for HyperDual<S> {
    type S = S;
    const ORDER: usize = 2;
    #[inline]
    fn constant(c: f64) -> Self {
        let zero = S::c(0.0);
        HyperDual {
            v: S::c(c),
            g: [zero; 2],
            h: [zero; 3],
        }
    }
    #[inline]
    fn variable(value: S, index: usize) -> Self {
        let mut g = [S::c(0.0); 2];
        g[index] = S::c(1.0);
        HyperDual {
            v: value,
            g,
            h: [S::c(0.0); 3],
        }
    }
    #[inline]
    fn val(&self) -> S {
        self.v
    }
    #[inline]
    fn with_val(self, v: S) -> Self {
        HyperDual { v, ..self }
    }
    #[inline]
    fn add(self, o: Self) -> Self {
        HyperDual {
            v: self.v + o.v,
            g: [self.g[0] + o.g[0], self.g[1] + o.g[1]],
            h: [self.h[0] + o.h[0], self.h[1] + o.h[1], self.h[2] + o.h[2]],
        }
    }
    #[inline]
    fn sub(self, o: Self) -> Self {
        self.add(o.neg())
    }
    #[inline]
    fn mul(self, o: Self) -> Self {
        let cross = Self::sym_outer(self.g, o.g);
        HyperDual {
            v: self.v * o.v,
            g: [
                self.g[0] * o.v + self.v * o.g[0],
                self.g[1] * o.v + self.v * o.g[1],
            ],
            h: [
                self.h[0] * o.v + cross[0] + self.v * o.h[0],
                self.h[1] * o.v + cross[1] + self.v * o.h[1],
                self.h[2] * o.v + cross[2] + self.v * o.h[2],
            ],
        }
    }
    #[inline]
    fn div(self, o: Self) -> Self {
        // q = a/b;  q' = (a' − q b')/b;  q'' = (a'' − (q'b'ᵀ + b'q'ᵀ) − q b'')/b
        let q = self.v / o.v;
        let g = [
            (self.g[0] - q * o.g[0]) / o.v,
            (self.g[1] - q * o.g[1]) / o.v,
        ];
        let cross = Self::sym_outer(g, o.g);
        HyperDual {
            v: q,
            g,
            h: [
                (self.h[0] - cross[0] - q * o.h[0]) / o.v,
                (self.h[1] - cross[1] - q * o.h[1]) / o.v,
                (self.h[2] - cross[2] - q * o.h[2]) / o.v,
            ],
        }
    }
    #[inline]
    fn neg(self) -> Self {
        HyperDual {
            v: -self.v,
            g: [-self.g[0], -self.g[1]],
            h: [-self.h[0], -self.h[1], -self.h[2]],
        }
    }
    #[inline]
    fn add_c(self, c: f64) -> Self {
        HyperDual {
            v: self.v + S::c(c),
            ..self
        }
    }
    #[inline]
    fn mul_c(self, c: f64) -> Self {
        let c = S::c(c);
        HyperDual {
            v: self.v * c,
            g: [self.g[0] * c, self.g[1] * c],
            h: [self.h[0] * c, self.h[1] * c, self.h[2] * c],
        }
    }
    #[inline]
    fn chain(self, d: [S; 3]) -> Self {
        // h(u)'' = h''(u) u'u'ᵀ + h'(u) u''
        let g = self.g;
        HyperDual {
            v: d[0],
            g: [g[0] * d[1], g[1] * d[1]],
            h: [
                d[2] * g[0] * g[0] + d[1] * self.h[0],
                d[2] * g[0] * g[1] + d[1] * self.h[1],
                d[2] * g[1] * g[1] + d[1] * self.h[2],
            ],
        }
    }
}
