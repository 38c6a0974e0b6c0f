//! optiscape: an interactive lab in which students see deep-learning optimization.
//! The core (formulas, surfaces, optimizers, simulation) is shared by the wasm app and the CLI.

pub mod budget;
pub mod compare;
pub mod config;
pub mod critical;
pub mod error;
pub mod export;
pub mod expr;
pub mod json_text;
pub mod landscape;
pub mod nn;
pub mod optim;
pub mod order;
pub mod phase;
pub mod render;
pub mod rng;
pub mod scene;
pub mod sim;
pub mod surface;
pub mod work;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use error::{Error, Result};
