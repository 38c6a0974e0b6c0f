//! The compute backend behind training: loss and gradient of a batch, evaluation and
//! prediction. [`CpuBackend`] is the one implementation. The browser's WebGPU backend does not
//! implement [`Backend`]: JS and WGSL (`www/classifier/gpu/`) run the passes and the update,
//! and the trainer only plans its updates and keeps the books (`trainer/external.rs`, bound to
//! JS in `src/web/gpu.rs`).

use super::loss::{self, check_labels};
use super::matrix::Matrix;
use super::params::Network;
use super::pass::{self, Mode, Workspace};
use crate::error::{Error, Result};
use crate::optim::Optimizer;
use serde::{Deserialize, Serialize};

/// Loss and accuracy of an eval-mode pass over a data set.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub loss: f64,
    /// Rows whose first maximal logit is at the label (torch's `argmax`).
    pub correct: usize,
    /// `correct / n`.
    pub accuracy: f64,
}

/// What a backend computes for the trainer. Parameters stay in [`Network`]'s flat vector
/// and the optimizer steps them on the CPU. (The WebGPU backend is outside this trait: it
/// keeps its own f32 copy of the parameters and optimizer state on the GPU and hands them
/// back as weights (`Trainer::set_state`) and an `optim::FlatState`
/// (`Trainer::resume_after_external`).)
pub trait Backend {
    /// A short name for the UI ("cpu").
    fn name(&self) -> &'static str;

    /// The loss of batch `(x, y)` in `mode`, and its gradient w.r.t. every trainable parameter
    /// into `grads` (flat layout). With `update_running`, a train-mode pass also updates the
    /// batch-norm running statistics, as one torch forward does.
    fn loss_and_gradient(
        &mut self,
        net: &mut Network,
        x: &Matrix,
        y: &[usize],
        mode: Mode,
        update_running: bool,
        grads: &mut [f64],
    ) -> Result<f64>;

    /// An eval-mode pass over `(x, y)` (running statistics used, nothing changed).
    fn evaluate(&mut self, net: &Network, x: &Matrix, y: &[usize]) -> Result<Evaluation>;

    /// Eval-mode class probabilities (softmax of the logits), one row per row of `x`.
    fn predict_proba(&mut self, net: &Network, x: &Matrix) -> Result<Matrix>;

    /// One update: the train-mode loss and gradient of the batch (running statistics
    /// updated), then one `opt.step()` + `sched.step()`. Returns the batch's loss.
    fn train_step(
        &mut self,
        net: &mut Network,
        opt: &mut Optimizer,
        x: &Matrix,
        y: &[usize],
        grads: &mut [f64],
    ) -> Result<f64> {
        let loss = self.loss_and_gradient(net, x, y, Mode::Train, true, grads)?;
        opt.try_step(net.params_mut(), grads)?;
        Ok(loss)
    }
}

/// Everything one forward/backward pass gives (the `forward_backward` reference case).
#[derive(Clone, Debug, PartialEq)]
pub struct PassResult {
    pub logits: Matrix,
    pub probs: Matrix,
    pub loss: f64,
    /// dL/dθ in the flat layout.
    pub grads: Vec<f64>,
    /// dL/dX.
    pub dx: Matrix,
}

/// The CPU backend: plain loops over row-major buffers, reused between calls.
#[derive(Clone, Debug, Default)]
pub struct CpuBackend {
    ws: Workspace,
}

impl CpuBackend {
    pub fn new() -> CpuBackend {
        CpuBackend::default()
    }

    /// Forward, loss and backward of one batch with every output, the input's gradient
    /// included; a train-mode pass updates the running statistics (once, as torch).
    pub fn forward_backward(
        &mut self,
        net: &mut Network,
        x: &Matrix,
        y: &[usize],
        mode: Mode,
    ) -> Result<PassResult> {
        let mut grads = vec![0.0; net.n_params()];
        let mut dx = Matrix::default();
        let loss = self.run(net, x, y, mode, true, &mut grads, Some(&mut dx))?;
        Ok(PassResult {
            logits: self.ws.logits().clone(),
            probs: self.ws.probs.clone(),
            loss,
            grads,
            dx,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn run(
        &mut self,
        net: &mut Network,
        x: &Matrix,
        y: &[usize],
        mode: Mode,
        update_running: bool,
        grads: &mut [f64],
        dx: Option<&mut Matrix>,
    ) -> Result<f64> {
        check_batch(net, x)?;
        check_labels(y, x.rows(), net.spec().classes())?;
        if grads.len() != net.n_params() {
            return Err(Error::invalid(
                "grads",
                format!("{} numbers", grads.len()),
                &format!("{} (one per parameter)", net.n_params()),
            ));
        }
        pass::forward(net, x, mode, &mut self.ws)?;
        if mode == Mode::Train && update_running {
            pass::update_running(net, &self.ws, x.rows());
        }
        let ws = &mut self.ws;
        let logits = ws.acts.last().expect("forward ran");
        loss::softmax_sums(logits, &mut ws.probs, &mut ws.sums);
        let l = loss::loss(
            net.spec().loss,
            logits,
            &ws.probs,
            &ws.sums,
            y,
            Some(&mut ws.dlogits),
        );
        pass::backward(net, x, mode, ws, grads, dx);
        Ok(l)
    }
}

/// The input must have the network's number of columns and at least one row.
fn check_batch(net: &Network, x: &Matrix) -> Result<()> {
    if x.rows() == 0 {
        return Err(Error::invalid("X", "0 rows", "at least 1 row"));
    }
    if x.cols() != net.spec().input_dim {
        return Err(Error::invalid(
            "X",
            format!("{} columns", x.cols()),
            &format!("input_dim = {} columns", net.spec().input_dim),
        ));
    }
    Ok(())
}

impl Backend for CpuBackend {
    fn name(&self) -> &'static str {
        "cpu"
    }

    fn loss_and_gradient(
        &mut self,
        net: &mut Network,
        x: &Matrix,
        y: &[usize],
        mode: Mode,
        update_running: bool,
        grads: &mut [f64],
    ) -> Result<f64> {
        self.run(net, x, y, mode, update_running, grads, None)
    }

    fn evaluate(&mut self, net: &Network, x: &Matrix, y: &[usize]) -> Result<Evaluation> {
        check_batch(net, x)?;
        check_labels(y, x.rows(), net.spec().classes())?;
        pass::forward(net, x, Mode::Eval, &mut self.ws)?;
        let ws = &mut self.ws;
        let logits = ws.acts.last().expect("forward ran");
        loss::softmax_sums(logits, &mut ws.probs, &mut ws.sums);
        let l = loss::loss(net.spec().loss, logits, &ws.probs, &ws.sums, y, None);
        let correct = loss::correct(logits, y);
        Ok(Evaluation {
            loss: l,
            correct,
            accuracy: correct as f64 / y.len() as f64,
        })
    }

    fn predict_proba(&mut self, net: &Network, x: &Matrix) -> Result<Matrix> {
        check_batch(net, x)?;
        pass::forward(net, x, Mode::Eval, &mut self.ws)?;
        let mut probs = Matrix::default();
        loss::softmax(self.ws.logits(), &mut probs);
        Ok(probs)
    }
}
