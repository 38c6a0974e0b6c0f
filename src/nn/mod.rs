//! The small classifier of the lab: dense layers, activations, BatchNorm1d, softmax with
//! cross-entropy or MSE, data sets, feature standardization and mini-batch training.
//!
//! Everything follows torch's float64 semantics as documented in the reference data
//! (`tests/refs/REFS_README.md`, "MLP reference"). All trainable parameters live in one
//! flat vector ([`Network`]) and are stepped by the shared [`crate::optim::Optimizer`];
//! the passes run behind the [`Backend`] trait, whose one implementation is [`CpuBackend`].
//! The browser's WebGPU backend is JS and WGSL (`www/classifier/gpu/`), driven from
//! `src/web/gpu.rs`: the [`Trainer`] plans its updates (batches, lrs) and records what it
//! did (`trainer/external.rs`), so a run can move between the two engines.

pub mod activation;
pub mod backend;
pub mod batches;
pub mod batchnorm;
pub mod boundary;
pub mod cases;
pub mod clock;
pub mod config;
pub mod confusion;
pub mod data;
pub mod digit_sprites;
pub mod hessian;
pub mod init;
pub mod kernels;
pub mod lanes;
pub mod loss;
pub mod matrix;
pub mod model;
pub mod noise;
pub mod params;
pub mod pass;
pub mod scalar;
pub mod standardize;
pub mod sweep;
pub mod trainer;

pub use crate::rng::Rng;
pub use backend::{Backend, CpuBackend, Evaluation, PassResult};
pub use batchnorm::SingleRowBatch;
pub use cases::{run_forward_case, run_normalize_case, run_train_case, train_case_cost};
pub use clock::{default_clock, Clock, NoClock};
pub use config::{
    train_config, train_config_with_clock, DataConfig, InitialMetrics, Session, TrainConfig,
    TrainReport,
};
pub use data::digits::{digits, digits_split, DIGITS_CREDIT};
pub use data::{train_test_split, Dataset, DatasetName};
pub use init::init_network;
pub use matrix::Matrix;
pub use model::{Activation, BnConfig, LayerKind, LayerSpec, LossKind, ModelSpec};
pub use params::{LayerParams, LayerSlots, Layout, Network, Params, RunningStats};
pub use pass::{Mode, Workspace};
pub use standardize::Standardizer;
pub use sweep::{BatchSweep, SweepConfig, SweepRow};
pub use trainer::{EpochMetrics, PlannedStep, StepRecord, TrainOptions, Trainer};
