//! Exports of a run for use outside the lab: a runnable PyTorch script that reproduces it.

mod torch;

pub use torch::torch_code;
