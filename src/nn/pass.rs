//! The forward and backward passes of a network on the CPU, over reusable buffers.
//! Backward gives the gradient of every trainable parameter (flat layout) and of the input.
//!
//! The passes are generic over the number type ([`Scalar`]): `f64` trains; the Hessian runs
//! them on dual numbers whose tangent is a direction `v`, so the gradient's tangent is `H·v`.

use super::batchnorm::{self, BnCache, SingleRowBatch};
use super::loss;
use super::matrix::Matrix;
use super::params::{LayerSlots, Network};
use super::scalar::Scalar;
use serde::{Deserialize, Serialize};

/// torch's `model.train()` / `model.eval()`: which statistics batch norm uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Batch statistics (and, when asked, a running-statistics update).
    Train,
    /// Running statistics; nothing changes.
    Eval,
}

/// Buffers of one forward/backward pass, kept between calls so that training allocates
/// nothing per step.
#[derive(Clone, Debug, Default)]
pub struct Workspace<T = f64> {
    /// The output of each layer (n × out); the last one holds the logits.
    pub(crate) acts: Vec<Matrix<T>>,
    bn: Vec<BnCache<T>>,
    /// softmax(logits), after [`super::loss::softmax`].
    pub probs: Matrix<T>,
    /// dL/dlogits, after [`super::loss::loss`].
    pub dlogits: Matrix<T>,
    d: Matrix<T>,
    dprev: Matrix<T>,
}

impl<T: Scalar> Workspace<T> {
    /// The logits of the last forward.
    pub fn logits(&self) -> &Matrix<T> {
        self.acts.last().expect("forward ran")
    }
}

/// Run `x` (n × input_dim, checked by the caller) through the network; the logits are then in
/// [`Workspace::logits`]. Train mode uses batch statistics and fails for n = 1 with batch norm.
pub fn forward(
    net: &Network,
    x: &Matrix,
    mode: Mode,
    ws: &mut Workspace,
) -> Result<(), SingleRowBatch> {
    forward_at(net, &net.params, x, mode, ws)
}

/// [`forward`] at the parameters `params` (flat layout, `net.n_params()` numbers of any
/// [`Scalar`]) instead of the network's own; the spec and running statistics are `net`'s.
pub(crate) fn forward_at<T: Scalar>(
    net: &Network,
    params: &[T],
    x: &Matrix,
    mode: Mode,
    ws: &mut Workspace<T>,
) -> Result<(), SingleRowBatch> {
    let k = net.layout.layers.len();
    ws.acts.resize_with(k, Matrix::default);
    ws.bn.resize_with(k, BnCache::default);
    for (l, (s, spec)) in net.layout.layers.iter().zip(&net.spec.layers).enumerate() {
        let (done, rest) = ws.acts.split_at_mut(l);
        let a = &mut rest[0];
        if l == 0 {
            dense(*s, params, x, a);
        } else {
            dense(*s, params, &done[l - 1], a);
        }
        if let Some(g) = s.bn {
            let gamma = &params[g..g + s.out];
            let beta = &params[g + s.out..g + 2 * s.out];
            let eps = net.spec.bn.eps;
            match mode {
                Mode::Train => {
                    batchnorm::forward_train(a.data_mut(), s.out, gamma, beta, eps, &mut ws.bn[l])?
                }
                Mode::Eval => {
                    let rs = net.running[l].as_ref().expect("bn layer has running stats");
                    batchnorm::forward_eval(
                        a.data_mut(),
                        s.out,
                        gamma,
                        beta,
                        eps,
                        rs,
                        &mut ws.bn[l],
                    )
                }
            }
        }
        spec.activation.apply(a.data_mut());
    }
    Ok(())
}

/// `a ← input·Wᵀ + b` for one dense layer (the input is the data, `f64`, or a layer's output).
fn dense<A: Copy + Default, T: Scalar + std::ops::Mul<A, Output = T>>(
    s: LayerSlots,
    params: &[T],
    input: &Matrix<A>,
    a: &mut Matrix<T>,
) {
    let n = input.rows();
    a.reset(n, s.out);
    let w = &params[s.w..s.b];
    let b = &params[s.b..s.b + s.out];
    for i in 0..n {
        let xi = input.row(i);
        for (o, z) in a.row_mut(i).iter_mut().enumerate() {
            let wo = &w[o * s.fan_in..(o + 1) * s.fan_in];
            *z = b[o] + dot(xi, wo);
        }
    }
}

/// torch's running-statistics update after a train-mode [`forward`] of `n` rows.
pub fn update_running(net: &mut Network, ws: &Workspace, n: usize) {
    let momentum = net.spec.bn.momentum;
    for (rs, c) in net.running.iter_mut().zip(&ws.bn) {
        if let Some(rs) = rs {
            batchnorm::update_running(rs, c, n, momentum);
        }
    }
}

/// Backpropagate `ws.dlogits` through the last [`forward`] (same `x` and `mode`): `grads`
/// (flat layout, overwritten) gets dL/dθ and `dx`, when given, dL/dX.
///
/// The bias of a layer followed by train-mode batch norm gets exactly 0: the batch mean
/// cancels it, so 0 is its true gradient (torch stores rounding noise of ~1e-15 there).
pub fn backward(
    net: &Network,
    x: &Matrix,
    mode: Mode,
    ws: &mut Workspace,
    grads: &mut [f64],
    dx: Option<&mut Matrix>,
) {
    backward_at(net, &net.params, x, mode, ws, grads, dx)
}

/// [`backward`] through a [`forward_at`] at `params`.
pub(crate) fn backward_at<T: Scalar>(
    net: &Network,
    params: &[T],
    x: &Matrix,
    mode: Mode,
    ws: &mut Workspace<T>,
    grads: &mut [T],
    dx: Option<&mut Matrix<T>>,
) {
    grads.fill(T::default());
    let n = x.rows();
    let Workspace {
        acts,
        bn,
        dlogits,
        d,
        dprev,
        ..
    } = ws;
    d.clone_from(dlogits);
    for l in (0..net.layout.layers.len()).rev() {
        let s = net.layout.layers[l];
        let spec = &net.spec.layers[l];
        spec.activation.backprop(acts[l].data(), d.data_mut());
        if let Some(g) = s.bn {
            let gamma = &params[g..g + s.out];
            let (dgamma, dbeta) = grads[g..g + 2 * s.out].split_at_mut(s.out);
            match mode {
                Mode::Train => {
                    batchnorm::backward_train(d.data_mut(), s.out, gamma, &bn[l], dgamma, dbeta)
                }
                Mode::Eval => {
                    batchnorm::backward_eval(d.data_mut(), s.out, gamma, &bn[l], dgamma, dbeta)
                }
            }
        }
        let (gw, gb) = grads[s.w..s.b + s.out].split_at_mut(s.out * s.fan_in);
        if l == 0 {
            dense_grads(s, x, d, gw, gb);
        } else {
            dense_grads(s, &acts[l - 1], d, gw, gb);
        }
        if s.bn.is_some() && mode == Mode::Train {
            gb.fill(T::default());
        }
        let want_input = l > 0 || dx.is_some();
        if want_input {
            let w = &params[s.w..s.b];
            dprev.reset(n, s.fan_in);
            for i in 0..n {
                let di = d.row(i);
                let pi = dprev.row_mut(i);
                for (o, &dio) in di.iter().enumerate() {
                    if !dio.is_zero() {
                        axpy(dio, &w[o * s.fan_in..(o + 1) * s.fan_in], pi);
                    }
                }
            }
            std::mem::swap(d, dprev);
        }
    }
    if let Some(dx) = dx {
        dx.clone_from(d);
    }
}

/// Add one dense layer's dL/dW and dL/db, given dL/dz in `d` and the layer's input.
fn dense_grads<A: Copy + Default, T: Scalar + std::ops::Mul<A, Output = T>>(
    s: LayerSlots,
    input: &Matrix<A>,
    d: &Matrix<T>,
    gw: &mut [T],
    gb: &mut [T],
) {
    for i in 0..input.rows() {
        let di = d.row(i);
        let xi = input.row(i);
        for (o, &dio) in di.iter().enumerate() {
            gb[o] += dio;
            if !dio.is_zero() {
                axpy(dio, xi, &mut gw[o * s.fan_in..(o + 1) * s.fan_in]);
            }
        }
    }
}

/// The loss of batch `(x, y)` (checked by the caller) at `params`, and when `grads` is given
/// its gradient there: [`forward_at`], softmax, loss and [`backward_at`], nothing changed in
/// `net` (no running-statistics update).
pub(crate) fn loss_at<T: Scalar>(
    net: &Network,
    params: &[T],
    x: &Matrix,
    y: &[usize],
    mode: Mode,
    ws: &mut Workspace<T>,
    grads: Option<&mut [T]>,
) -> Result<T, SingleRowBatch> {
    forward_at(net, params, x, mode, ws)?;
    let logits = ws.acts.last().expect("forward ran");
    loss::softmax(logits, &mut ws.probs);
    let want = grads.is_some();
    let dlogits = want.then_some(&mut ws.dlogits);
    let l = loss::loss(net.spec.loss, logits, &ws.probs, y, dlogits);
    if let Some(g) = grads {
        backward_at(net, params, x, mode, ws, g, None);
    }
    Ok(l)
}

/// Σ a·b with four independent partial sums (so the compiler can vectorize it).
#[inline]
fn dot<A: Copy, T: Scalar + std::ops::Mul<A, Output = T>>(a: &[A], b: &[T]) -> T {
    let (a4, b4) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: T = a4
        .remainder()
        .iter()
        .zip(b4.remainder())
        .map(|(&x, &y)| y * x)
        .sum();
    let mut acc = [T::default(); 4];
    for (x, y) in a4.zip(b4) {
        for k in 0..4 {
            acc[k] += y[k] * x[k];
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// `y ← y + a·x`.
#[inline]
fn axpy<A: Copy, T: Scalar + std::ops::Mul<A, Output = T>>(a: T, x: &[A], y: &mut [T]) {
    y.iter_mut().zip(x).for_each(|(y, &x)| *y += a * x);
}
