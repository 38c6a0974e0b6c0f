//! Helpers shared by the integration tests (each test file includes this module with
//! `mod common;`): the CLI as a process, random networks, tolerances, and for the wasm tests
//! JSON and error messages as JS sees them. Not every test file uses every helper.
#![allow(dead_code)]

/// `|a − b| ≤ tol · max(|a|, |b|, 1)`: relative for large values, absolute near zero.
pub fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * a.abs().max(b.abs()).max(1.0)
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use optiscape::nn::{Activation, BnConfig, LossKind, ModelSpec, Network, Rng};
    use std::io::Write;
    use std::process::{Command, Output, Stdio};

    /// Runs the `optiscape` binary with `args`, `stdin` on its standard input.
    pub fn optiscape(args: &[&str], stdin: &str) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_optiscape"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the CLI starts");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    /// A random small network (`dims` = input, hidden…, classes) with random parameters and
    /// running statistics.
    pub fn random_net(
        dims: &[usize],
        act: Activation,
        bn: bool,
        loss: LossKind,
        rng: &mut Rng,
    ) -> Network {
        let (d, hidden, c) = (dims[0], &dims[1..dims.len() - 1], dims[dims.len() - 1]);
        let spec = ModelSpec::mlp(d, hidden, act, bn, c, loss, BnConfig::default());
        let mut net = Network::zeros(&spec).unwrap();
        for p in net.params_mut() {
            *p = rng.range(-1.5, 1.5);
        }
        for rs in net.running_mut().iter_mut().flatten() {
            rs.running_mean
                .iter_mut()
                .for_each(|m| *m = rng.range(-0.5, 0.5));
            rs.running_var
                .iter_mut()
                .for_each(|v| *v = rng.range(0.3, 2.0));
        }
        net
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub use native::*;

#[cfg(target_arch = "wasm32")]
pub mod web {
    use wasm_bindgen::JsValue;

    /// Parses JSON the bindings returned.
    pub fn json(s: &str) -> serde_json::Value {
        serde_json::from_str(s).expect("valid JSON")
    }

    /// The `message` of an error the bindings threw.
    pub fn message(e: JsValue) -> String {
        js_sys::Reflect::get(&e, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_default()
    }

    /// A small spiral classifier config the wasm tests train.
    pub const SPIRAL: &str = r#"{"data": {"name": "spiral", "n": 200, "noise": 0.1, "seed": 1,
    "train_fraction": 0.5}, "hidden": [8, 8], "optimizer": {"name": "adam", "lr": 0.01},
    "batch_size": 10, "seed": 0}"#;
}
