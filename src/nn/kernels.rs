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
/// neighbours in memory; eight outputs at a time are summed in registers.
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
        while o + 8 <= out {
            let mut acc = [load(b, o), load(b, o + 2), load(b, o + 4), load(b, o + 6)];
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
            o += 8;
        }
        while o + 2 <= out {
            let mut acc = load(b, o);
            for (k, &xk) in xi.iter().enumerate() {
                acc = acc.add(load(wt, k * out + o).mul(F2::splat(xk)));
            }
            store(ai, o, acc);
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

/// The dense layer's backward for `f64`, given dL/dz in `d` (`n × out`) and the layer's input
/// `x` (`n × fan_in`): adds dL/dW to `gw` (`out × fan_in`) and dL/db to `gb`, each summed over
/// the rows in order; with `dprev` (`n × fan_in`, zeros), also adds dL/dx into it through
/// `w`, each summed over the outputs in order. Terms with a zero entry of `d` (dead relu
/// units) are skipped, as in the generic loop. The sums run in registers, four lanes at a
/// time, so each weight's gradient is loaded and stored once per batch.
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
    let n = d.len() / out;
    for di in d.chunks_exact(out) {
        for (g, &v) in gb.iter_mut().zip(di) {
            *g += v;
        }
    }
    for (o, g) in gw.chunks_exact_mut(fan_in).enumerate().take(out) {
        let mut k = 0;
        while k + 4 <= fan_in {
            let (mut a0, mut a1) = (load(g, k), load(g, k + 2));
            for (i, xi) in x.chunks_exact(fan_in).enumerate().take(n) {
                let dio = d[i * out + o];
                if dio != 0.0 {
                    let s = F2::splat(dio);
                    a0 = a0.add(load(xi, k).mul(s));
                    a1 = a1.add(load(xi, k + 2).mul(s));
                }
            }
            store(g, k, a0);
            store(g, k + 2, a1);
            k += 4;
        }
        if k + 2 <= fan_in {
            let mut a0 = load(g, k);
            for (i, xi) in x.chunks_exact(fan_in).enumerate().take(n) {
                let dio = d[i * out + o];
                if dio != 0.0 {
                    a0 = a0.add(load(xi, k).mul(F2::splat(dio)));
                }
            }
            store(g, k, a0);
            k += 2;
        }
        if k < fan_in {
            let mut a = g[k];
            for (i, xi) in x.chunks_exact(fan_in).enumerate().take(n) {
                let dio = d[i * out + o];
                if dio != 0.0 {
                    a += dio * xi[k];
                }
            }
            g[k] = a;
        }
    }
    let Some(p) = dprev else { return };
    for (pi, di) in p.chunks_exact_mut(fan_in).zip(d.chunks_exact(out)) {
        let mut k = 0;
        while k + 4 <= fan_in {
            let (mut a0, mut a1) = (load(pi, k), load(pi, k + 2));
            for (o, &dio) in di.iter().enumerate() {
                if dio != 0.0 {
                    let s = F2::splat(dio);
                    let wo = &w[o * fan_in..(o + 1) * fan_in];
                    a0 = a0.add(load(wo, k).mul(s));
                    a1 = a1.add(load(wo, k + 2).mul(s));
                }
            }
            store(pi, k, a0);
            store(pi, k + 2, a1);
            k += 4;
        }
        if k + 2 <= fan_in {
            let mut a0 = load(pi, k);
            for (o, &dio) in di.iter().enumerate() {
                if dio != 0.0 {
                    a0 = a0.add(load(&w[o * fan_in..(o + 1) * fan_in], k).mul(F2::splat(dio)));
                }
            }
            store(pi, k, a0);
            k += 2;
        }
        if k < fan_in {
            let mut a = pi[k];
            for (o, &dio) in di.iter().enumerate() {
                if dio != 0.0 {
                    a += dio * w[o * fan_in + k];
                }
            }
            pi[k] = a;
        }
    }
}
