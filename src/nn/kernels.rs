//! The dense layer's loops for `f64`, two lanes at a time on [`F2`] (wasm's `f64x2` in the
//! SIMD build). Each sum is taken in the same order as the generic loops of
//! [`super::pass`], which the numbers with tangents (the Hessian's) still run, so both give
//! the same bits: `z = b + x₀·w₀ + x₁·w₁ + …` in order of the input, and the gradients
//! summed over the batch's rows in order.

use super::lanes::F2;

#[inline]
fn load(v: &[f64], i: usize) -> F2 {
    F2::new(v[i], v[i + 1])
}

#[inline]
fn store(v: &mut [f64], i: usize, x: F2) {
    let [a, b] = x.lanes();
    v[i] = a;
    v[i + 1] = b;
}

/// `a ← x·Wᵀ + b` for `n = x.len() / fan_in` rows: `w` is `out × fan_in` (torch's layout), `a`
/// is `n × out`. `wt` receives Wᵀ (`fan_in × out`), so that two neighbouring outputs are
/// neighbours in memory; up to sixteen outputs at a time are summed in registers (independent
/// sums, so the additions overlap).
pub fn dense(w: &[f64], b: &[f64], fan_in: usize, x: &[f64], a: &mut [f64], wt: &mut Vec<f64>) {
    let out = b.len();
    // Every number is set below.
    wt.resize(fan_in * out, 0.0);
    for (o, wo) in w.chunks_exact(fan_in.max(1)).take(out).enumerate() {
        for (k, &v) in wo.iter().enumerate() {
            wt[k * out + o] = v;
        }
    }
    let rows = x
        .chunks_exact(fan_in.max(1))
        .zip(a.chunks_exact_mut(out.max(1)));
    for (xi, ai) in rows {
        let mut o = 0;
        while o + 16 <= out {
            outputs::<8>(b, wt, out, xi, ai, o);
            o += 16;
        }
        while o + 8 <= out {
            outputs::<4>(b, wt, out, xi, ai, o);
            o += 8;
        }
        while o + 2 <= out {
            outputs::<1>(b, wt, out, xi, ai, o);
            o += 2;
        }
        if o < out {
            let mut z = b[o];
            for (k, &xk) in xi.iter().enumerate() {
                z += wt[k * out + o] * xk;
            }
            ai[o] = z;
        }
    }
}

/// Outputs `o..o + 2P` of one row: `P` pairs of sums in registers over the row's inputs.
#[inline(always)]
fn outputs<const P: usize>(
    b: &[f64],
    wt: &[f64],
    out: usize,
    xi: &[f64],
    ai: &mut [f64],
    o: usize,
) {
    let mut acc = [F2::splat(0.0); P];
    for (j, acc) in acc.iter_mut().enumerate() {
        *acc = load(b, o + 2 * j);
    }
    for (k, &xk) in xi.iter().enumerate() {
        let xk = F2::splat(xk);
        let r = k * out + o;
        for (j, acc) in acc.iter_mut().enumerate() {
            *acc = acc.add(load(wt, r + 2 * j).mul(xk));
        }
    }
    for (j, acc) in acc.iter().enumerate() {
        store(ai, o + 2 * j, *acc);
    }
}

/// The dense layer's backward for `f64`, given dL/dz in `d` (`n × out`) and the layer's input
/// `x` (`n × fan_in`): adds dL/dW to `gw` (`out × fan_in`) and dL/db to `gb`, each summed over
/// the rows in order; with `dprev` (`n × fan_in`, zeros), also adds dL/dx into it through
/// `w`, each summed over the outputs in order. Terms with a zero entry of `d` (dead relu
/// units) are skipped, as in the generic loop. The sums run in registers, up to eight lanes at
/// a time, so each weight's gradient is loaded and stored once per batch.
pub fn dense_backward(
    w: &[f64],
    fan_in: usize,
    x: &[f64],
    d: &[f64],
    gw: &mut [f64],
    gb: &mut [f64],
    dprev: Option<&mut [f64]>,
) {
    let out = gb.len();
    if out == 0 || fan_in == 0 {
        return;
    }
    for di in d.chunks_exact(out) {
        for (g, &v) in gb.iter_mut().zip(di) {
            *g += v;
        }
    }
    // dL/dW: for weight row o, Σ over rows i of d[i][o]·x[i].
    for (o, g) in gw.chunks_exact_mut(fan_in).enumerate().take(out) {
        let terms = || {
            x.chunks_exact(fan_in)
                .zip(d.chunks_exact(out))
                .map(move |(xi, di)| (di[o], xi))
        };
        sums_in_blocks(g, terms);
    }
    let Some(p) = dprev else { return };
    // dL/dx: for row i, Σ over outputs o of d[i][o]·w[o].
    for (pi, di) in p.chunks_exact_mut(fan_in).zip(d.chunks_exact(out)) {
        let terms = || di.iter().copied().zip(w.chunks_exact(fan_in));
        sums_in_blocks(pi, terms);
    }
}

/// `g ← g + Σ s·v` over the `(s, v)` of `terms` in order (terms with s = 0 skipped), eight
/// numbers of `g` at a time, then two, then the last one.
#[inline(always)]
fn sums_in_blocks<'a, I: Iterator<Item = (f64, &'a [f64])>>(g: &mut [f64], terms: impl Fn() -> I) {
    let n = g.len();
    let mut k = 0;
    while k + 8 <= n {
        block::<4, _>(g, k, terms());
        k += 8;
    }
    while k + 2 <= n {
        block::<1, _>(g, k, terms());
        k += 2;
    }
    if k < n {
        let mut a = g[k];
        for (s, v) in terms() {
            if s != 0.0 {
                a += s * v[k];
            }
        }
        g[k] = a;
    }
}

/// Numbers `k..k + 2P` of `g` plus the terms' sums, in `P` pairs of registers.
#[inline(always)]
fn block<'a, const P: usize, I: Iterator<Item = (f64, &'a [f64])>>(
    g: &mut [f64],
    k: usize,
    terms: I,
) {
    let mut acc = [F2::splat(0.0); P];
    for (j, acc) in acc.iter_mut().enumerate() {
        *acc = load(g, k + 2 * j);
    }
    for (s, v) in terms {
        if s != 0.0 {
            let s = F2::splat(s);
            for (j, acc) in acc.iter_mut().enumerate() {
                *acc = acc.add(load(v, k + 2 * j).mul(s));
            }
        }
    }
    for (j, acc) in acc.iter().enumerate() {
        store(g, k + 2 * j, *acc);
    }
}
