//! Two f64 lanes, [`F2`]: wasm's `f64x2` in the SIMD build (`simd128`), a pair of `f64`
//! everywhere else. Every operation is the same IEEE operation on each lane in both forms (no
//! fused multiply-add, NaN rules spelled out), so code written on [`F2`] gives the same bits
//! in the SIMD build, the baseline wasm build and natively. The classifier's `tanh` is written
//! on it ([`tanh2`]), so a tanh layer takes its activations two at a time.

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod imp {
    use core::arch::wasm32::*;

    /// Two lanes in one `v128`.
    #[derive(Clone, Copy)]
    pub struct F2(v128);

    /// A per-lane condition (all ones or all zeros in each lane).
    #[derive(Clone, Copy)]
    pub struct Mask(v128);

    // Named methods rather than operator traits: each call is one wasm instruction, and the
    // code reads as the instruction sequence it compiles to.
    #[allow(clippy::should_implement_trait)]
    impl F2 {
        #[inline]
        pub fn new(a: f64, b: f64) -> F2 {
            F2(f64x2(a, b))
        }
        #[inline]
        pub fn splat(a: f64) -> F2 {
            F2(f64x2_splat(a))
        }
        #[inline]
        pub fn lanes(self) -> [f64; 2] {
            [
                f64x2_extract_lane::<0>(self.0),
                f64x2_extract_lane::<1>(self.0),
            ]
        }
        #[inline]
        pub fn add(self, o: F2) -> F2 {
            F2(f64x2_add(self.0, o.0))
        }
        #[inline]
        pub fn sub(self, o: F2) -> F2 {
            F2(f64x2_sub(self.0, o.0))
        }
        #[inline]
        pub fn mul(self, o: F2) -> F2 {
            F2(f64x2_mul(self.0, o.0))
        }
        #[inline]
        pub fn div(self, o: F2) -> F2 {
            F2(f64x2_div(self.0, o.0))
        }
        #[inline]
        pub fn abs(self) -> F2 {
            F2(f64x2_abs(self.0))
        }
        /// `o < self ? o : self` per lane (wasm's `pmin`).
        #[inline]
        pub fn pmin(self, o: F2) -> F2 {
            F2(f64x2_pmin(self.0, o.0))
        }
        /// `self < o ? o : self` per lane (wasm's `pmax`).
        #[inline]
        pub fn pmax(self, o: F2) -> F2 {
            F2(f64x2_pmax(self.0, o.0))
        }
        /// The magnitude of `self` with the sign bit of `sign` (`mask` is −0.0 in both lanes:
        /// the sign bit).
        #[inline]
        pub fn copysign(self, sign: F2, mask: F2) -> F2 {
            F2(v128_bitselect(sign.0, self.0, mask.0))
        }
        #[inline]
        pub fn gt(self, o: F2) -> Mask {
            Mask(f64x2_gt(self.0, o.0))
        }
        #[inline]
        pub fn eq(self, o: F2) -> Mask {
            Mask(f64x2_eq(self.0, o.0))
        }
        /// The lanes' bit patterns plus `k`'s, shifted left by 52, as f64 (for `2^n` from a
        /// rounded `magic + n`).
        #[inline]
        pub fn bits_add_shl52(self, k: F2) -> F2 {
            F2(i64x2_shl(i64x2_add(self.0, k.0), 52))
        }
    }

    impl Mask {
        /// `if self { a } else { b }` per lane.
        #[inline]
        pub fn select(self, a: F2, b: F2) -> F2 {
            F2(v128_bitselect(a.0, b.0, self.0))
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod imp {
    /// Two lanes as two `f64`.
    #[derive(Clone, Copy)]
    pub struct F2([f64; 2]);

    /// A per-lane condition.
    #[derive(Clone, Copy)]
    pub struct Mask([bool; 2]);

    #[inline]
    fn map(a: F2, b: F2, f: impl Fn(f64, f64) -> f64) -> F2 {
        F2([f(a.0[0], b.0[0]), f(a.0[1], b.0[1])])
    }

    // Named methods rather than operator traits: each call is one wasm instruction, and the
    // code reads as the instruction sequence it compiles to.
    #[allow(clippy::should_implement_trait)]
    impl F2 {
        #[inline]
        pub fn new(a: f64, b: f64) -> F2 {
            F2([a, b])
        }
        #[inline]
        pub fn splat(a: f64) -> F2 {
            F2([a, a])
        }
        #[inline]
        pub fn lanes(self) -> [f64; 2] {
            self.0
        }
        #[inline]
        pub fn add(self, o: F2) -> F2 {
            map(self, o, |a, b| a + b)
        }
        #[inline]
        pub fn sub(self, o: F2) -> F2 {
            map(self, o, |a, b| a - b)
        }
        #[inline]
        pub fn mul(self, o: F2) -> F2 {
            map(self, o, |a, b| a * b)
        }
        #[inline]
        pub fn div(self, o: F2) -> F2 {
            map(self, o, |a, b| a / b)
        }
        #[inline]
        pub fn abs(self) -> F2 {
            F2([self.0[0].abs(), self.0[1].abs()])
        }
        /// `o < self ? o : self` per lane (wasm's `pmin`).
        #[inline]
        pub fn pmin(self, o: F2) -> F2 {
            map(self, o, |a, b| if b < a { b } else { a })
        }
        /// `self < o ? o : self` per lane (wasm's `pmax`).
        #[inline]
        pub fn pmax(self, o: F2) -> F2 {
            map(self, o, |a, b| if a < b { b } else { a })
        }
        /// The magnitude of `self` with the sign bit of `sign` (`_mask`: the sign bit, for
        /// the SIMD form).
        #[inline]
        pub fn copysign(self, sign: F2, _mask: F2) -> F2 {
            map(self, sign, f64::copysign)
        }
        #[inline]
        pub fn gt(self, o: F2) -> Mask {
            Mask([self.0[0] > o.0[0], self.0[1] > o.0[1]])
        }
        #[inline]
        pub fn eq(self, o: F2) -> Mask {
            Mask([self.0[0] == o.0[0], self.0[1] == o.0[1]])
        }
        /// The lanes' bit patterns plus `k`'s, shifted left by 52, as f64 (for `2^n` from a
        /// rounded `magic + n`).
        #[inline]
        pub fn bits_add_shl52(self, k: F2) -> F2 {
            let f = |v: f64, k: f64| f64::from_bits(v.to_bits().wrapping_add(k.to_bits()) << 52);
            F2([f(self.0[0], k.0[0]), f(self.0[1], k.0[1])])
        }
    }

    impl Mask {
        /// `if self { a } else { b }` per lane.
        #[inline]
        pub fn select(self, a: F2, b: F2) -> F2 {
            F2([
                if self.0[0] { a.0[0] } else { b.0[0] },
                if self.0[1] { a.0[1] } else { b.0[1] },
            ])
        }
    }
}

pub use imp::{Mask, F2};

/// The constants of [`exp_nonpositive`] and [`tanh2`], by index into [`K`].
mod k {
    pub const LOG2E: usize = 0;
    pub const LN2_HI: usize = 1;
    pub const LN2_LO: usize = 2;
    pub const MAGIC: usize = 3;
    pub const FLOOR: usize = 4;
    /// 1/(k+2)! for k = 0..11: `C + k`.
    pub const C: usize = 5;
    pub const ONE: usize = 17;
    pub const HALF: usize = 18;
    pub const ZERO: usize = 19;
    pub const CAP: usize = 20;
    pub const SMALL: usize = 21;
    /// Cephes' P and Q: `P + i`, `Q + i`.
    pub const P: usize = 22;
    pub const Q: usize = 25;
    /// The exponent bias 1023 as a bit pattern, and the sign bit.
    pub const BIAS: usize = 28;
    pub const SIGN: usize = 29;
    pub const N: usize = 30;
}

/// The numbers behind [`k`]'s indices. LN2_HI has its low 32 bits zero, so `n·LN2_HI` is exact;
/// MAGIC = 1.5·2^52: adding it rounds to an integer (ties to even) held in the low mantissa
/// bits; FLOOR = −746, below which e^y rounds to 0; CAP = 44 (tanh rounds to 1 beyond
/// |x| = 22); SMALL = 0.625, where Cephes' tanh switches forms.
const K: [f64; k::N] = [
    std::f64::consts::LOG2_E,
    0.6931471803691238,
    1.9082149292705877e-10,
    6755399441055744.0,
    -746.0,
    0.5,
    0.16666666666666666,
    0.041666666666666664,
    0.008333333333333333,
    0.001388888888888889,
    0.0001984126984126984,
    2.48015873015873e-05,
    2.7557319223985893e-06,
    2.755731922398589e-07,
    2.505210838544172e-08,
    2.08767569878681e-09,
    1.6059043836821613e-10,
    1.0,
    0.5,
    0.0,
    44.0,
    0.625,
    -0.9643991794250523,
    -99.28772310019185,
    -1614.6876844170845,
    112.81167849163293,
    2235.488390601006,
    4844.063053251255,
    f64::from_bits(1023),
    -0.0,
];

/// [`K`] in both lanes. A loop takes them [`Consts::opaque`]: wasm's `v128.const` costs V8
/// several instructions each time it is met, and the compiler would otherwise rebuild every
/// constant in every iteration; made once and hidden from the optimizer, they stay in
/// registers (or one load away).
#[derive(Clone, Copy)]
pub struct Consts([F2; k::N]);

impl Consts {
    /// The constants, for one call (the compiler folds them in).
    #[inline]
    pub fn new() -> Consts {
        Consts(K.map(F2::splat))
    }

    /// The constants, made once before a loop.
    #[inline]
    pub fn opaque() -> Consts {
        std::hint::black_box(Consts::new())
    }

    #[inline]
    fn at(&self, i: usize) -> F2 {
        self.0[i]
    }
}

impl Default for Consts {
    fn default() -> Consts {
        Consts::new()
    }
}

/// `e^y` for `y` ≤ 0 (−∞ gives 0, NaN stays NaN), within 1 ulp of libm's `exp` (tested; in
/// the subnormal results below e^−708 the last bit may differ): `y = n·ln2 + r` with |r| ≤
/// ln2/2 (Cody–Waite: ln2 in two parts), `q = e^r − 1 = r + r²·p(r)` by the Taylor polynomial
/// to degree 13 (truncation below 10⁻¹⁷ relative), then `(1 + q)·2^n` with `2^n` built from
/// exponent bits, in two factors `2^⌊n/2⌋·2^⌈n/2⌉` so that a result below 2^−1022 underflows
/// gradually instead of wrapping.
#[inline]
pub fn exp_nonpositive(c: &Consts, y: F2) -> F2 {
    exp_le0::<true>(c, y)
}

/// [`exp_nonpositive`]; without `WIDE`, for `y` in [−44, 0] only (one factor `2^n`, as
/// tanh needs).
#[inline]
fn exp_le0<const WIDE: bool>(c: &Consts, y: F2) -> F2 {
    let magic = c.at(k::MAGIC);
    let y = y.pmax(c.at(k::FLOOR));
    let t = y.mul(c.at(k::LOG2E)).add(magic);
    let n = t.sub(magic);
    let r = y.sub(n.mul(c.at(k::LN2_HI))).sub(n.mul(c.at(k::LN2_LO)));
    // p(r) = Σ r^k/(k+2)!, k = 0..11, by Estrin's scheme (pairs, then r², r⁴, r⁸: a short
    // dependency chain).
    let pair = |i: usize| c.at(k::C + i).add(c.at(k::C + i + 1).mul(r));
    let r2 = r.mul(r);
    let r4 = r2.mul(r2);
    let r8 = r4.mul(r4);
    let p03 = pair(0).add(pair(2).mul(r2));
    let p47 = pair(4).add(pair(6).mul(r2));
    let p811 = pair(8).add(pair(10).mul(r2));
    let p = p03.add(p47.mul(r4)).add(p811.mul(r8));
    let q = r.add(r2.mul(p));
    let one = c.at(k::ONE);
    let bias = c.at(k::BIAS);
    if !WIDE {
        // t's bits are MAGIC's (0x4338 << 48) plus n (n < 0 borrows from MAGIC's mantissa,
        // not its exponent); + 1023 then << 52 leaves 2^n's bits.
        return one.add(q).mul(t.bits_add_shl52(bias));
    }
    // h = ⌊n/2⌋ (n ≤ 0 is an exact integer; round n/2, then step down if it went up).
    let half = n.mul(c.at(k::HALF));
    let h = half.add(magic).sub(magic);
    let h = h.gt(half).select(h.sub(one), h);
    let s1 = h.add(magic).bits_add_shl52(bias);
    let s2 = n.sub(h).add(magic).bits_add_shl52(bias);
    one.add(q).mul(s1).mul(s2)
}

/// tanh of two lanes, within 2 ulp of libm's `tanh` (tested). Cephes' method on |x|: up to
/// 0.625 the rational approximation `|x| + |x|·z·P(z)/Q(z)`, z = x²; above, `1 − 2e/(1 + e)`
/// with `e = e^{−2|x|}` ([`exp_nonpositive`] of −2|x| capped at −44: beyond |x| = 22 tanh rounds
/// to 1 and so does this); then the sign of x. Both forms share one division (the numerator
/// and denominator are selected per lane) and there is no branch; ±0 and NaN come back as they
/// went in.
#[inline]
pub fn tanh2(c: &Consts, x: F2) -> F2 {
    let a = x.abs();
    let one = c.at(k::ONE);
    let z = a.mul(a);
    let p = c
        .at(k::P)
        .mul(z)
        .add(c.at(k::P + 1))
        .mul(z)
        .add(c.at(k::P + 2));
    let q = z
        .add(c.at(k::Q))
        .mul(z)
        .add(c.at(k::Q + 1))
        .mul(z)
        .add(c.at(k::Q + 2));
    let e = exp_le0::<false>(c, c.at(k::ZERO).sub(a.add(a).pmin(c.at(k::CAP))));
    let big = a.gt(c.at(k::SMALL));
    let v = big
        .select(e.add(e), a.mul(z).mul(p))
        .div(big.select(one.add(e), q));
    big.select(one.sub(v), a.add(v)).copysign(x, c.at(k::SIGN))
}

/// tanh of one number: [`tanh2`]'s first lane, so a lone value gets the bits it would get in
/// a pair.
#[inline]
pub fn tanh(x: f64) -> f64 {
    tanh2(&Consts::new(), F2::splat(x)).lanes()[0]
}

/// `v ← tanh(v)` for every element, two at a time.
pub fn tanh_in_place(v: &mut [f64]) {
    let c = Consts::opaque();
    let mut pairs = v.chunks_exact_mut(2);
    for p in &mut pairs {
        let [a, b] = tanh2(&c, F2::new(p[0], p[1])).lanes();
        p[0] = a;
        p[1] = b;
    }
    for x in pairs.into_remainder() {
        *x = tanh2(&c, F2::splat(*x)).lanes()[0];
    }
}

/// `v ← e^v` for every element, each ≤ 0 ([`exp_nonpositive`]), two at a time.
pub fn exp_nonpositive_in_place(v: &mut [f64]) {
    let c = Consts::opaque();
    let mut pairs = v.chunks_exact_mut(2);
    for p in &mut pairs {
        let [a, b] = exp_nonpositive(&c, F2::new(p[0], p[1])).lanes();
        p[0] = a;
        p[1] = b;
    }
    for x in pairs.into_remainder() {
        *x = exp_nonpositive(&c, F2::splat(*x)).lanes()[0];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Distance in units in the last place of `b`.
    fn ulps(a: f64, b: f64) -> f64 {
        let ulp = f64::from_bits(b.abs().to_bits() + 1) - b.abs();
        (a - b).abs() / ulp
    }

    #[test]
    fn exp_is_within_one_ulp_of_libm_for_nonpositive_numbers() {
        let mut rng = crate::rng::Rng::new(3);
        let mut worst: f64 = 0.0;
        for i in 0..200_000 {
            let y = match i % 3 {
                _ if i < 1000 => -44.0 * i as f64 / 999.0,
                0 => rng.range(-44.0, 0.0),
                1 => rng.range(-708.0, 0.0),
                _ => -(10f64.powf(rng.range(-300.0, 0.0))),
            };
            worst = worst.max(ulps(
                exp_nonpositive(&Consts::new(), F2::splat(y)).lanes()[0],
                y.exp(),
            ));
        }
        assert!(worst <= 1.0, "worst error {worst} ulp");
        // Gradual underflow, and the ends.
        for y in [-708.5, -720.0, -740.0, -745.0] {
            let (a, b) = (
                exp_nonpositive(&Consts::new(), F2::splat(y)).lanes()[0],
                y.exp(),
            );
            assert!(
                (a - b).abs() <= 2.0 * f64::from_bits(1),
                "e^{y}: {a} vs {b}"
            );
        }
        let ends = exp_nonpositive(&Consts::new(), F2::new(f64::NEG_INFINITY, -0.0)).lanes();
        assert_eq!(ends, [0.0, 1.0]);
        assert_eq!(
            exp_nonpositive(&Consts::new(), F2::splat(-746.0)).lanes()[0],
            0.0
        );
        assert!(exp_nonpositive(&Consts::new(), F2::splat(f64::NAN)).lanes()[0].is_nan());
    }

    #[test]
    fn tanh_is_within_two_ulp_of_the_libm_one_everywhere() {
        let mut rng = crate::rng::Rng::new(7);
        let mut worst: f64 = 0.0;
        for i in 0..200_000 {
            let x = match i % 3 {
                0 => rng.range(-0.7, 0.7),
                1 => rng.range(-25.0, 25.0),
                _ => 10f64.powf(rng.range(-300.0, 0.0)) * if i % 2 == 0 { 1.0 } else { -1.0 },
            };
            let (a, b) = (tanh(x), f64::tanh(x));
            assert!(a.abs() <= 1.0, "tanh({x}) = {a}");
            if b != 0.0 {
                worst = worst.max(ulps(a, b));
            }
        }
        assert!(worst <= 2.0, "worst error {worst} ulp");
        for x in [
            0.625,
            -0.625,
            0.625_000_000_000_1,
            22.0,
            22.000_001,
            1e-310,
            -1e-310,
        ] {
            assert!(ulps(tanh(x), f64::tanh(x)) <= 2.0, "{x}");
        }
    }

    #[test]
    fn tanh_edge_values() {
        assert_eq!(tanh(0.0).to_bits(), 0.0f64.to_bits());
        assert_eq!(tanh(-0.0).to_bits(), (-0.0f64).to_bits());
        assert_eq!(tanh(f64::INFINITY), 1.0);
        assert_eq!(tanh(f64::NEG_INFINITY), -1.0);
        assert_eq!(tanh(1e300), 1.0);
        assert_eq!(tanh(-1e300), -1.0);
        assert!(tanh(f64::NAN).is_nan());
    }

    #[test]
    fn a_slice_gets_the_bits_of_one_value_at_a_time() {
        let mut rng = crate::rng::Rng::new(11);
        let mut v: Vec<f64> = (0..1001).map(|_| rng.range(-5.0, 5.0)).collect();
        v.extend([0.0, -0.0, f64::NAN, 30.0, -0.625]);
        let want: Vec<u64> = v.iter().map(|&x| tanh(x).to_bits()).collect();
        tanh_in_place(&mut v);
        let got: Vec<u64> = v.iter().map(|x| x.to_bits()).collect();
        assert_eq!(got, want);
    }
}
