//! `x ** n` for a whole n, correctly rounded, the same on every platform.
//!
//! torch's optimizers and schedulers raise β and γ to the step count in Python (`beta2 **
//! step`, `gamma ** (epoch // step_size)`), which is the C library's `pow`: glibc's is correctly
//! rounded in all but rare cases (0.99^503). The wasm build has no glibc; its `pow` (a port of
//! musl's) is within 1 ulp but far more often not the nearest double (0.999^16, 0.9^4…), and
//! on a sensitive surface one ulp in a bias correction (1 − β2^t, Adam's family) grew to
//! 4e-9 of the loss in 38 steps, past the 1e-10 the references allow. So the power is computed here in double-double
//! arithmetic (about 100 bits, exact products without FMA by Dekker's split) and rounded once:
//! the nearest double, natively and in wasm alike, which is glibc's in all but those rare cases.

/// Splits `a` into a high part of 26 bits and the exact rest.
#[inline]
fn split(a: f64) -> (f64, f64) {
    let c = 134_217_729.0 * a; // 2^27 + 1
    let hi = c - (c - a);
    (hi, a - hi)
}

/// `a·b` exactly, as the rounded product and its error (Dekker).
#[inline]
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    let ((ah, al), (bh, bl)) = (split(a), split(b));
    let e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
    (p, e)
}

/// The product of two double-doubles, renormalized.
#[inline]
fn dd_mul(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    let (p, e) = two_prod(a.0, b.0);
    let e = e + (a.0 * b.1 + a.1 * b.0);
    let s = p + e;
    (s, e - (s - p))
}

/// `x^n`, the nearest double to the true value (outside the range where the double-double
/// stays exact enough, far from any β or γ a run uses, the platform's `powf`).
pub(crate) fn pow_int(x: f64, n: u64) -> f64 {
    if n == 0 {
        return 1.0;
    }
    if !x.is_finite() || x == 0.0 || n > 1 << 40 {
        return x.powf(n as f64);
    }
    let (mut acc, mut base, mut k) = ((1.0, 0.0), (x, 0.0), n);
    loop {
        if k & 1 == 1 {
            acc = dd_mul(acc, base);
        }
        k >>= 1;
        if k == 0 {
            break;
        }
        base = dd_mul(base, base);
    }
    let r = acc.0 + acc.1;
    let safe = (f64::powi(2.0, -900)..=f64::powi(2.0, 900)).contains(&r.abs());
    if r.is_finite() && safe && base.0.is_finite() {
        r
    } else {
        x.powf(n as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::pow_int;

    #[test]
    fn small_cases_are_exact() {
        assert_eq!(pow_int(0.5, 10), 1.0 / 1024.0);
        assert_eq!(pow_int(3.0, 5), 243.0);
        assert_eq!(pow_int(-2.0, 3), -8.0);
        assert_eq!(pow_int(0.9, 0), 1.0);
        assert_eq!(pow_int(0.0, 3), 0.0);
        assert!(pow_int(f64::NAN, 2).is_nan());
        // Out of the safe range: the platform's pow, which underflows to 0 here.
        assert_eq!(pow_int(0.5, 5000), 0.0);
    }

    /// 0.9^3270 rounded from the exact rational power (Python: `float(Fraction(0.9) ** 3270)`):
    /// glibc's `pow` gives the double above it, one of its rare misroundings.
    #[test]
    fn it_rounds_to_nearest_where_glibc_does_not() {
        assert_eq!(pow_int(0.9, 3270).to_bits(), 2368585888818745032);
    }

    /// glibc's `pow` (torch's `**` on Linux) is the nearest double in all but rare cases: where
    /// it is the platform's, the two agree on nearly every β, γ and step count a run meets, and
    /// differ by one ulp elsewhere (musl's `pow`, in wasm, differs at 0.999^16 already).
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn it_is_glibcs_pow_for_nearly_every_beta_and_step() {
        let (mut checked, mut differ) = (0, 0);
        for beta in [0.9, 0.99, 0.999, 0.95, 0.5, 0.1, 0.8, 0.9999, 0.96, 1.5] {
            for n in 1..=5000u64 {
                let want = f64::powf(beta, n as f64);
                if !(f64::powi(2.0, -900)..=f64::powi(2.0, 900)).contains(&want) {
                    break;
                }
                let got = pow_int(beta, n);
                if got != want {
                    differ += 1;
                    assert_eq!(got.to_bits().abs_diff(want.to_bits()), 1, "{beta}^{n}");
                }
                checked += 1;
            }
        }
        assert!(checked > 20_000, "{checked}");
        assert!(differ * 1000 < checked, "{differ} of {checked} differ");
        eprintln!("{differ} of {checked} powers differ from glibc's by one ulp");
    }
}
