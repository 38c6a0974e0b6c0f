//! The forward and backward passes of a network on the CPU, over reusable buffers.
//! Backward gives the gradient of every trainable parameter (flat layout) and of the input.

use super::batchnorm::{self, BnCache, SingleRowBatch};
use super::matrix::Matrix;
use super::params::Network;
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
pub struct Workspace {
    /// The output of each layer (n × out); the last one holds the logits.
    pub(crate) acts: Vec<Matrix>,
    bn: Vec<BnCache>,
    /// softmax(logits), after [`super::loss::softmax`].
    pub probs: Matrix,
    /// dL/dlogits, after [`super::loss::loss`].
    pub dlogits: Matrix,
    d: Matrix,
    dprev: Matrix,
}

impl Workspace {
    /// The logits of the last forward.
    pub fn logits(&self) -> &Matrix {
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
    let k = net.layout.layers.len();
    ws.acts.resize_with(k, Matrix::default);
    ws.bn.resize_with(k, BnCache::default);
    let n = x.rows();
    for (l, (s, spec)) in net.layout.layers.iter().zip(&net.spec.layers).enumerate() {
        let (done, rest) = ws.acts.split_at_mut(l);
        let input = if l == 0 { x } else { &done[l - 1] };
        let a = &mut rest[0];
        a.reset(n, s.out);
        let w = &net.params[s.w..s.b];
        let b = &net.params[s.b..s.b + s.out];
        for i in 0..n {
            let xi = input.row(i);
            for (o, z) in a.row_mut(i).iter_mut().enumerate() {
                let wo = &w[o * s.fan_in..(o + 1) * s.fan_in];
                *z = b[o] + dot(xi, wo);
            }
        }
        if let Some(g) = s.bn {
            let gamma = &net.params[g..g + s.out];
            let beta = &net.params[g + s.out..g + 2 * s.out];
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
    grads.fill(0.0);
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
            let gamma = &net.params[g..g + s.out];
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
        let input = if l == 0 { x } else { &acts[l - 1] };
        let (gw, gb) = grads[s.w..s.b + s.out].split_at_mut(s.out * s.fan_in);
        for i in 0..n {
            let di = d.row(i);
            let xi = input.row(i);
            for (o, &dio) in di.iter().enumerate() {
                gb[o] += dio;
                if dio != 0.0 {
                    axpy(dio, xi, &mut gw[o * s.fan_in..(o + 1) * s.fan_in]);
                }
            }
        }
        if s.bn.is_some() && mode == Mode::Train {
            gb.fill(0.0);
        }
        let want_input = l > 0 || dx.is_some();
        if want_input {
            let w = &net.params[s.w..s.b];
            dprev.reset(n, s.fan_in);
            for i in 0..n {
                let di = d.row(i);
                let pi = dprev.row_mut(i);
                for (o, &dio) in di.iter().enumerate() {
                    if dio != 0.0 {
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

/// Σ a·b with four independent partial sums (so the compiler can vectorize it).
#[inline]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let (a4, b4) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = a4
        .remainder()
        .iter()
        .zip(b4.remainder())
        .map(|(x, y)| x * y)
        .sum();
    let mut acc = [0.0; 4];
    for (x, y) in a4.zip(b4) {
        for k in 0..4 {
            acc[k] += x[k] * y[k];
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

#[inline]
fn axpy(a: f64, x: &[f64], y: &mut [f64]) {
    y.iter_mut().zip(x).for_each(|(y, &x)| *y += a * x);
}
