//! Number types the tape is evaluated over: plain values, first-order duals (value + gradient)
//! and hyper-duals (value + gradient + Hessian), all in the two variables x and y.

/// A number the tape can be evaluated with. `ORDER` is the highest derivative it carries.
pub trait Num: Copy + Default {
    const ORDER: usize;
    fn constant(c: f64) -> Self;
    /// The variable x (`index` 0) or y (`index` 1) at `value`.
    fn variable(value: f64, index: usize) -> Self;
    fn val(&self) -> f64;
    fn add(self, o: Self) -> Self;
    fn sub(self, o: Self) -> Self;
    fn mul(self, o: Self) -> Self;
    fn div(self, o: Self) -> Self;
    fn neg(self) -> Self;
    fn add_c(self, c: f64) -> Self;
    fn mul_c(self, c: f64) -> Self;
    /// Apply a one-argument function given `[h(u), h'(u), h''(u)]` at u = self.
    fn chain(self, d: [f64; 3]) -> Self;
}

impl Num for f64 {
    const ORDER: usize = 0;
    #[inline]
    fn constant(c: f64) -> Self {
        c
    }
    #[inline]
    fn variable(value: f64, _: usize) -> Self {
        value
    }
    #[inline]
    fn val(&self) -> f64 {
        *self
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
        self + c
    }
    #[inline]
    fn mul_c(self, c: f64) -> Self {
        self * c
    }
    #[inline]
    fn chain(self, d: [f64; 3]) -> Self {
        d[0]
    }
}

/// Value and gradient with respect to (x, y).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Dual {
    pub v: f64,
    pub g: [f64; 2],
}

impl Num for Dual {
    const ORDER: usize = 1;
    #[inline]
    fn constant(c: f64) -> Self {
        Dual { v: c, g: [0.0; 2] }
    }
    #[inline]
    fn variable(value: f64, index: usize) -> Self {
        let mut g = [0.0; 2];
        g[index] = 1.0;
        Dual { v: value, g }
    }
    #[inline]
    fn val(&self) -> f64 {
        self.v
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
            v: self.v + c,
            g: self.g,
        }
    }
    #[inline]
    fn mul_c(self, c: f64) -> Self {
        Dual {
            v: self.v * c,
            g: [self.g[0] * c, self.g[1] * c],
        }
    }
    #[inline]
    fn chain(self, d: [f64; 3]) -> Self {
        Dual {
            v: d[0],
            g: [self.g[0] * d[1], self.g[1] * d[1]],
        }
    }
}

/// Value, gradient and Hessian with respect to (x, y); `h` is `[hxx, hxy, hyy]`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct HyperDual {
    pub v: f64,
    pub g: [f64; 2],
    pub h: [f64; 3],
}

impl HyperDual {
    /// The symmetric outer product `a bᵀ + b aᵀ` as `[xx, xy, yy]`.
    #[inline]
    fn sym_outer(a: [f64; 2], b: [f64; 2]) -> [f64; 3] {
        [
            2.0 * a[0] * b[0],
            a[0] * b[1] + a[1] * b[0],
            2.0 * a[1] * b[1],
        ]
    }
}

impl Num for HyperDual {
    const ORDER: usize = 2;
    #[inline]
    fn constant(c: f64) -> Self {
        HyperDual {
            v: c,
            ..Default::default()
        }
    }
    #[inline]
    fn variable(value: f64, index: usize) -> Self {
        let mut g = [0.0; 2];
        g[index] = 1.0;
        HyperDual {
            v: value,
            g,
            h: [0.0; 3],
        }
    }
    #[inline]
    fn val(&self) -> f64 {
        self.v
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
            v: self.v + c,
            ..self
        }
    }
    #[inline]
    fn mul_c(self, c: f64) -> Self {
        HyperDual {
            v: self.v * c,
            g: [self.g[0] * c, self.g[1] * c],
            h: [self.h[0] * c, self.h[1] * c, self.h[2] * c],
        }
    }
    #[inline]
    fn chain(self, d: [f64; 3]) -> Self {
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
