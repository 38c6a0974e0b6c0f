//! The forward and backward passes of a network on the CPU, over reusable buffers.
//! Backward gives the gradient of every trainable parameter (flat layout) and of the input.
//!
//! The passes are generic over the number type ([`Scalar`]): `f64` trains; the Hessian runs
//! them on dual numbers whose tangent is a direction `v`, so the gradient's tangent is `H·v`.

use super::batchnorm::{self, BnCache, SingleRowBatch};
use super::kernels;
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
    /// Each row's `Σ exp(logit − max)`, after [`super::loss::softmax_sums`].
    pub sums: Vec<T>,
    /// dL/dlogits, after [`super::loss::loss`].
    pub dlogits: Matrix<T>,
    d: Matrix<T>,
    dprev: Matrix<T>,
    /// A layer's transposed weights, for the `f64` kernel ([`super::kernels::dense`]).
    wt: Vec<f64>,
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
            dense(*s, params, x, a, &mut ws.wt);
        } else {
            dense(*s, params, &done[l - 1], a, &mut ws.wt);
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

/// `a ← input·Wᵀ + b` for one dense layer (the input is the data, `f64`, or a layer's output):
/// each output `b + x₀·w₀ + x₁·w₁ + …` in order of the input. `f64` takes the kernel
/// ([`kernels::dense`], same order, same bits), with `wt` as its scratch.
fn dense<A: Scalar, T: Scalar + std::ops::Mul<A, Output = T>>(
    s: LayerSlots,
    params: &[T],
    input: &Matrix<A>,
    a: &mut Matrix<T>,
    wt: &mut Vec<f64>,
) {
    let n = input.rows();
    a.reshape_for_overwrite(n, s.out);
    let w = &params[s.w..s.b];
    let b = &params[s.b..s.b + s.out];
    if let (Some(w), Some(b), Some(x)) = (T::f64s(w), T::f64s(b), A::f64s(input.data())) {
        if let Some(a) = T::f64s_mut(a.data_mut()) {
            kernels::dense(w, b, s.fan_in, x, a, wt);
            return;
        }
    }
    for i in 0..n {
        let xi = input.row(i);
        for (o, z) in a.row_mut(i).iter_mut().enumerate() {
            let wo = &w[o * s.fan_in..(o + 1) * s.fan_in];
            let mut sum = b[o];
            for (&wk, &xk) in wo.iter().zip(xi) {
                sum += wk * xk;
            }
            *z = sum;
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
        let want_input = l > 0 || dx.is_some();
        let w = &params[s.w..s.b];
        if want_input {
            dprev.reset(n, s.fan_in);
        }
        let input = if l == 0 {
            Input::Data(x)
        } else {
            Input::Layer(&acts[l - 1])
        };
        let fast = backward_f64(s, w, input, d, gw, gb, want_input.then_some(&mut *dprev));
        if !fast {
            match input {
                Input::Data(x) => dense_grads(s, x, d, gw, gb),
                Input::Layer(a) => dense_grads(s, a, d, gw, gb),
            }
            if want_input {
                for i in 0..n {
                    let di = d.row(i);
                    let pi = dprev.row_mut(i);
                    for (o, &dio) in di.iter().enumerate() {
                        if !dio.is_zero() {
                            axpy(dio, &w[o * s.fan_in..(o + 1) * s.fan_in], pi);
                        }
                    }
                }
            }
        }
        if s.bn.is_some() && mode == Mode::Train {
            gb.fill(T::default());
        }
        if want_input {
            std::mem::swap(d, dprev);
        }
    }
    if let Some(dx) = dx {
        dx.clone_from(d);
    }
}

/// A dense layer's input in the backward pass: the data, or the previous layer's output.
#[derive(Clone, Copy)]
enum Input<'a, T> {
    Data(&'a Matrix),
    Layer(&'a Matrix<T>),
}

/// The dense layer's backward by [`kernels::dense_backward`] when the numbers are `f64`
/// (same order, same bits as the generic loops); false, having done nothing, otherwise.
fn backward_f64<T: Scalar>(
    s: LayerSlots,
    w: &[T],
    input: Input<T>,
    d: &Matrix<T>,
    gw: &mut [T],
    gb: &mut [T],
    dprev: Option<&mut Matrix<T>>,
) -> bool {
    let x = match input {
        Input::Data(x) => Some(x.data()),
        Input::Layer(a) => T::f64s(a.data()),
    };
    let (Some(w), Some(x), Some(d)) = (T::f64s(w), x, T::f64s(d.data())) else {
        return false;
    };
    let (Some(gw), Some(gb)) = (T::f64s_mut(gw), T::f64s_mut(gb)) else {
        return false;
    };
    let dprev = match dprev {
        Some(p) => match T::f64s_mut(p.data_mut()) {
            Some(p) => Some(p),
            None => return false,
        },
        None => None,
    };
    kernels::dense_backward(w, s.fan_in, x, d, gw, gb, dprev);
    true
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
    loss::softmax_sums(logits, &mut ws.probs, &mut ws.sums);
    let want = grads.is_some();
    let dlogits = want.then_some(&mut ws.dlogits);
    let l = loss::loss(net.spec.loss, logits, &ws.probs, &ws.sums, y, dlogits);
    if let Some(g) = grads {
        backward_at(net, params, x, mode, ws, g, None);
    }
    Ok(l)
}

/// `y ← y + a·x`.
#[inline]
fn axpy<A: Copy, T: Scalar + std::ops::Mul<A, Output = T>>(a: T, x: &[A], y: &mut [T]) {
    y.iter_mut().zip(x).for_each(|(y, &x)| *y += a * x);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::hessian::DualVec;
    use crate::nn::{init_network, Activation, BnConfig, LossKind, ModelSpec, Rng};

    /// The `f64` kernels ([`kernels`]) against the generic loops, which numbers with tangents
    /// still take: with zero tangents the real parts are the `f64` arithmetic, so every logit
    /// and every gradient must have the same bits. Odd widths reach every tail of the kernels.
    #[test]
    fn the_f64_kernels_give_the_generic_loops_bits() {
        for (input, hidden, act, classes) in [
            (2, vec![8, 8], Activation::Tanh, 2),
            (5, vec![7, 3], Activation::Relu, 3),
            (64, vec![32], Activation::Relu, 10),
            (1, vec![9, 1, 4], Activation::Tanh, 5),
        ] {
            let spec = ModelSpec::mlp(
                input,
                &hidden,
                act,
                false,
                classes,
                LossKind::CrossEntropy,
                BnConfig::default(),
            );
            let net = init_network(&spec, 3).unwrap();
            let mut rng = Rng::new(5);
            let n = 13;
            let data: Vec<f64> = (0..n * input).map(|_| rng.range(-2.0, 2.0)).collect();
            let x = Matrix::from_vec(n, input, data).unwrap();
            let dl: Vec<f64> = (0..n * classes)
                .map(|i| {
                    if i % 4 == 0 {
                        0.0
                    } else {
                        rng.range(-1.0, 1.0)
                    }
                })
                .collect();

            let mut ws = Workspace::<f64>::default();
            forward_at(&net, &net.params, &x, Mode::Train, &mut ws).unwrap();
            ws.dlogits = Matrix::from_vec(n, classes, dl.clone()).unwrap();
            let mut grads = vec![0.0; net.n_params()];
            let mut dx = Matrix::default();
            backward_at(
                &net,
                &net.params,
                &x,
                Mode::Train,
                &mut ws,
                &mut grads,
                Some(&mut dx),
            );

            let params: Vec<DualVec<1>> = net.params.iter().map(|&p| DualVec::from(p)).collect();
            let mut wd = Workspace::<DualVec<1>>::default();
            forward_at(&net, &params, &x, Mode::Train, &mut wd).unwrap();
            let dual = |v: &[f64]| v.iter().map(|&p| DualVec::from(p)).collect::<Vec<_>>();
            wd.dlogits.reset(n, classes);
            wd.dlogits.data_mut().copy_from_slice(&dual(&dl));
            let mut gd = vec![DualVec::<1>::default(); net.n_params()];
            let mut dxd = Matrix::default();
            backward_at(
                &net,
                &params,
                &x,
                Mode::Train,
                &mut wd,
                &mut gd,
                Some(&mut dxd),
            );

            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            let re_bits = |v: &[DualVec<1>]| v.iter().map(|x| x.re().to_bits()).collect::<Vec<_>>();
            assert_eq!(
                bits(ws.logits().data()),
                re_bits(wd.logits().data()),
                "logits {hidden:?}"
            );
            assert_eq!(bits(&grads), re_bits(&gd), "gradient {hidden:?}");
            assert_eq!(bits(dx.data()), re_bits(dxd.data()), "dL/dx {hidden:?}");
            assert!(grads.iter().any(|&g| g != 0.0));
        }
    }
}
