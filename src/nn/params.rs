//! Parameters in the reference layout (`{layers: [{W, b, gamma, beta, running_mean,
//! running_var}]}`) and their flat form: every trainable number in one contiguous vector.
//!
//! Flat order, layer after layer: `W` (`[out][in]`, row-major), `b`, then `gamma`, `beta`
//! when the layer has batch norm. Gradients use the very same layout, so one optimizer call
//! steps the whole network. Running statistics are buffers, kept outside that vector.

use super::model::ModelSpec;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// One layer's numbers as JSON carries them; BN fields only for layers with batch norm.
/// Gradients use this type too, without the running statistics.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerParams {
    #[serde(rename = "W")]
    pub w: Vec<Vec<f64>>,
    pub b: Vec<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gamma: Option<Vec<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beta: Option<Vec<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running_mean: Option<Vec<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running_var: Option<Vec<f64>>,
}

/// All layers' numbers (`params`, `params_init`, `final_params`, `grads.layers`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub layers: Vec<LayerParams>,
}

/// Where one layer's tensors start in the flat vector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayerSlots {
    pub fan_in: usize,
    pub out: usize,
    /// Offset of `W` (`out · fan_in` numbers).
    pub w: usize,
    /// Offset of `b` (`out` numbers).
    pub b: usize,
    /// Offset of `gamma` (`out` numbers, then `beta`), for a layer with batch norm.
    pub bn: Option<usize>,
}

/// The flat layout of a model's trainable parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    pub layers: Vec<LayerSlots>,
    pub len: usize,
}

impl Layout {
    pub fn new(spec: &ModelSpec) -> Layout {
        let mut layers = Vec::with_capacity(spec.layers.len());
        let mut at = 0;
        let mut fan_in = spec.input_dim;
        for l in &spec.layers {
            let w = at;
            let b = w + l.out * fan_in;
            at = b + l.out;
            let bn = l.batchnorm.then(|| {
                let g = at;
                at += 2 * l.out;
                g
            });
            layers.push(LayerSlots {
                fan_in,
                out: l.out,
                w,
                b,
                bn,
            });
            fan_in = l.out;
        }
        Layout { layers, len: at }
    }

    /// Split a flat vector (params or grads) back into the JSON layout (no running stats).
    pub fn unflatten(&self, flat: &[f64]) -> Params {
        let layers = self
            .layers
            .iter()
            .map(|s| LayerParams {
                w: flat[s.w..s.b]
                    .chunks(s.fan_in)
                    .map(<[f64]>::to_vec)
                    .collect(),
                b: flat[s.b..s.b + s.out].to_vec(),
                gamma: s.bn.map(|g| flat[g..g + s.out].to_vec()),
                beta: s.bn.map(|g| flat[g + s.out..g + 2 * s.out].to_vec()),
                running_mean: None,
                running_var: None,
            })
            .collect();
        Params { layers }
    }
}

/// A batch-norm layer's running statistics (torch buffers; fresh: mean 0, var 1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunningStats {
    pub running_mean: Vec<f64>,
    pub running_var: Vec<f64>,
}

impl RunningStats {
    pub fn fresh(h: usize) -> RunningStats {
        RunningStats {
            running_mean: vec![0.0; h],
            running_var: vec![1.0; h],
        }
    }
}

/// A model with its numbers: the validated spec, the flat trainable parameters and the
/// running statistics of its batch-norm layers (`None` for layers without).
#[derive(Clone, Debug, PartialEq)]
pub struct Network {
    pub(crate) spec: ModelSpec,
    pub(crate) layout: Layout,
    pub(crate) params: Vec<f64>,
    pub(crate) running: Vec<Option<RunningStats>>,
}

impl Network {
    /// A network with all weights 0 and fresh batch norms (gamma 1, beta 0, mean 0, var 1);
    /// see [`super::init`] for torch's random initialization.
    pub fn zeros(spec: &ModelSpec) -> Result<Network> {
        spec.validate()?;
        let layout = Layout::new(spec);
        let mut params = vec![0.0; layout.len];
        let mut running = Vec::with_capacity(layout.layers.len());
        for s in &layout.layers {
            if let Some(g) = s.bn {
                params[g..g + s.out].fill(1.0);
            }
            running.push(s.bn.map(|_| RunningStats::fresh(s.out)));
        }
        Ok(Network {
            spec: spec.clone(),
            layout,
            params,
            running,
        })
    }

    /// Load numbers in the JSON layout, checking every shape against the spec. Layers with
    /// batch norm need `gamma` and `beta`; missing running stats start fresh (mean 0, var 1).
    pub fn from_params(spec: &ModelSpec, p: &Params) -> Result<Network> {
        let mut net = Network::zeros(spec)?;
        if p.layers.len() != net.layout.layers.len() {
            return Err(Error::invalid(
                "params.layers",
                format!("{} layers", p.layers.len()),
                &format!("{} layers, as in model.layers", net.layout.layers.len()),
            ));
        }
        for (i, (lp, s)) in p.layers.iter().zip(net.layout.layers.clone()).enumerate() {
            let f = |name: &str| format!("params.layers[{i}].{name}");
            if lp.w.len() != s.out {
                return Err(Error::invalid(
                    &f("W"),
                    format!("{} rows", lp.w.len()),
                    &format!("{} rows ([out][in])", s.out),
                ));
            }
            for (o, row) in lp.w.iter().enumerate() {
                let at = s.w + o * s.fan_in;
                copy_checked(
                    &f(&format!("W[{o}]")),
                    row,
                    &mut net.params[at..at + s.fan_in],
                )?;
            }
            copy_checked(&f("b"), &lp.b, &mut net.params[s.b..s.b + s.out])?;
            let bn_fields = [&lp.gamma, &lp.beta, &lp.running_mean, &lp.running_var];
            match s.bn {
                None => {
                    if bn_fields.iter().any(|v| v.is_some()) {
                        return Err(Error::invalid(
                            &f("gamma"),
                            "batch-norm parameters",
                            "none: this layer has batchnorm false",
                        ));
                    }
                }
                Some(g) => {
                    let (Some(gamma), Some(beta)) = (&lp.gamma, &lp.beta) else {
                        return Err(Error::invalid(
                            &f("gamma"),
                            "missing",
                            "gamma and beta for a layer with batchnorm true",
                        ));
                    };
                    copy_checked(&f("gamma"), gamma, &mut net.params[g..g + s.out])?;
                    copy_checked(&f("beta"), beta, &mut net.params[g + s.out..g + 2 * s.out])?;
                    let rs = net.running[i].as_mut().expect("bn layer has running stats");
                    if let Some(m) = &lp.running_mean {
                        copy_checked(&f("running_mean"), m, &mut rs.running_mean)?;
                    }
                    if let Some(v) = &lp.running_var {
                        copy_checked(&f("running_var"), v, &mut rs.running_var)?;
                        if let Some(k) = v.iter().position(|&x| x < 0.0) {
                            return Err(Error::invalid(
                                &f(&format!("running_var[{k}]")),
                                v[k],
                                "a variance ≥ 0",
                            ));
                        }
                    }
                }
            }
        }
        Ok(net)
    }

    /// The numbers in the JSON layout, running statistics included.
    pub fn to_params(&self) -> Params {
        let mut p = self.layout.unflatten(&self.params);
        for (lp, rs) in p.layers.iter_mut().zip(&self.running) {
            if let Some(rs) = rs {
                lp.running_mean = Some(rs.running_mean.clone());
                lp.running_var = Some(rs.running_var.clone());
            }
        }
        p
    }

    pub fn spec(&self) -> &ModelSpec {
        &self.spec
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// All trainable parameters, flat (see the module docs for the order).
    pub fn params(&self) -> &[f64] {
        &self.params
    }

    pub fn params_mut(&mut self) -> &mut [f64] {
        &mut self.params
    }

    /// The number of trainable parameters.
    pub fn n_params(&self) -> usize {
        self.layout.len
    }

    /// The running statistics of each layer (`None` without batch norm).
    pub fn running(&self) -> &[Option<RunningStats>] {
        &self.running
    }

    pub fn running_mut(&mut self) -> &mut [Option<RunningStats>] {
        &mut self.running
    }
}

fn copy_checked(field: &str, src: &[f64], dst: &mut [f64]) -> Result<()> {
    if src.len() != dst.len() {
        return Err(Error::invalid(
            field,
            format!("{} numbers", src.len()),
            &format!("{} numbers", dst.len()),
        ));
    }
    if let Some(k) = src.iter().position(|v| !v.is_finite()) {
        return Err(Error::invalid(
            &format!("{field}[{k}]"),
            src[k],
            "a finite number",
        ));
    }
    dst.copy_from_slice(src);
    Ok(())
}
