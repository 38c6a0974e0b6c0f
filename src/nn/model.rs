//! The model description of the reference data (`input_dim`, dense `layers`, `loss`, `bn`):
//! serde types with torch's names, validated before a network is built from them.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// The most trainable parameters a network may have (a guard against typos like 1e9 units).
pub const MAX_PARAMS: usize = 20_000_000;

/// An elementwise activation after a layer (and after its batch norm).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Activation {
    /// max(0, z); its derivative at 0 is taken as 0 (torch).
    Relu,
    Tanh,
    /// 1 / (1 + exp(−z)).
    Sigmoid,
    /// The identity (the logits layer).
    Linear,
}

impl Activation {
    /// Every activation, in the order the classifier's picker lists them.
    pub const ALL: [Activation; 4] = [
        Activation::Tanh,
        Activation::Relu,
        Activation::Sigmoid,
        Activation::Linear,
    ];

    /// Every name, for the catalog and for "expected one of" messages.
    pub fn names() -> Vec<&'static str> {
        Self::ALL.map(Self::name).to_vec()
    }

    /// Look an activation up by its name.
    pub fn from_name(name: &str) -> Result<Activation> {
        Self::ALL
            .into_iter()
            .find(|a| a.name() == name)
            .ok_or_else(|| Error::UnknownName {
                kind: "activation".into(),
                name: name.into(),
                expected: Self::names().join(", "),
            })
    }

    pub fn name(self) -> &'static str {
        match self {
            Activation::Relu => "relu",
            Activation::Tanh => "tanh",
            Activation::Sigmoid => "sigmoid",
            Activation::Linear => "linear",
        }
    }
}

/// The loss on the logits: both start from `softmax(logits)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LossKind {
    /// `F.cross_entropy(logits, y)`: mean over the batch of `logsumexp(l) − l[y]`.
    CrossEntropy,
    /// `((softmax(l) − onehot(y))²).sum(dim=1).mean()`: summed over classes, not divided by C.
    Mse,
}

impl LossKind {
    /// Both losses, in the order the pages list them.
    pub const ALL: [LossKind; 2] = [LossKind::CrossEntropy, LossKind::Mse];

    /// The name in configs (`"cross_entropy"`).
    pub fn name(self) -> &'static str {
        match self {
            LossKind::CrossEntropy => "cross_entropy",
            LossKind::Mse => "mse",
        }
    }

    /// Look a loss up by its name.
    pub fn from_name(name: &str) -> Result<LossKind> {
        Self::ALL
            .into_iter()
            .find(|l| l.name() == name)
            .ok_or_else(|| Error::UnknownName {
                kind: "loss".into(),
                name: name.into(),
                expected: Self::ALL.map(Self::name).join(", "),
            })
    }
}

/// The kind of a layer; only dense (torch `Linear`) layers exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LayerKind {
    Dense,
}

/// One layer: `z = x·Wᵀ + b` → `BatchNorm1d(z)` (if `batchnorm`) → activation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerSpec {
    #[serde(rename = "type", default = "dense")]
    pub kind: LayerKind,
    /// Number of units (outputs).
    pub out: usize,
    pub activation: Activation,
    #[serde(default)]
    pub batchnorm: bool,
}

fn dense() -> LayerKind {
    LayerKind::Dense
}

/// BatchNorm1d settings, torch's defaults: `eps` 1e-5 and `momentum` 0.1 ("10% new value"
/// in the running statistics, the reverse of optimizer momentum).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BnConfig {
    #[serde(default = "default_eps")]
    pub eps: f64,
    #[serde(default = "default_momentum")]
    pub momentum: f64,
}

fn default_eps() -> f64 {
    1e-5
}

fn default_momentum() -> f64 {
    0.1
}

impl Default for BnConfig {
    fn default() -> Self {
        BnConfig {
            eps: default_eps(),
            momentum: default_momentum(),
        }
    }
}

/// A multilayer perceptron; the last layer gives the logits (linear, no batch norm).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    pub input_dim: usize,
    pub layers: Vec<LayerSpec>,
    pub loss: LossKind,
    #[serde(default)]
    pub bn: BnConfig,
}

impl ModelSpec {
    /// `input_dim → hidden… → classes`, every hidden layer with `activation` and optional
    /// batch norm, then linear logits.
    pub fn mlp(
        input_dim: usize,
        hidden: &[usize],
        activation: Activation,
        batchnorm: bool,
        classes: usize,
        loss: LossKind,
        bn: BnConfig,
    ) -> ModelSpec {
        let mut layers: Vec<LayerSpec> = hidden
            .iter()
            .map(|&out| LayerSpec {
                kind: LayerKind::Dense,
                out,
                activation,
                batchnorm,
            })
            .collect();
        layers.push(LayerSpec {
            kind: LayerKind::Dense,
            out: classes,
            activation: Activation::Linear,
            batchnorm: false,
        });
        ModelSpec {
            input_dim,
            layers,
            loss,
            bn,
        }
    }

    /// The number of trainable parameters (weights, biases, batch-norm scales and shifts),
    /// saturating: a cost model may ask about a network too large to build.
    pub fn n_params(&self) -> usize {
        let mut fan_in = self.input_dim;
        let mut total: usize = 0;
        for l in &self.layers {
            let per_unit = fan_in
                .saturating_add(1)
                .saturating_add(2 * l.batchnorm as usize);
            total = total.saturating_add(per_unit.saturating_mul(l.out));
            fan_in = l.out;
        }
        total
    }

    /// The number of classes (units of the last layer).
    pub fn classes(&self) -> usize {
        self.layers.last().map_or(0, |l| l.out)
    }

    /// Whether any layer has batch norm.
    pub fn has_batchnorm(&self) -> bool {
        self.layers.iter().any(|l| l.batchnorm)
    }

    /// Check sizes, the logits layer and the batch-norm settings.
    pub fn validate(&self) -> Result<()> {
        if self.input_dim == 0 {
            return Err(Error::invalid("model.input_dim", 0, "at least 1"));
        }
        let Some(last) = self.layers.last() else {
            return Err(Error::invalid(
                "model.layers",
                "[]",
                "at least one layer (the last gives the logits)",
            ));
        };
        let mut fan_in = self.input_dim;
        let mut total: usize = 0;
        for (i, l) in self.layers.iter().enumerate() {
            if l.out == 0 {
                return Err(Error::invalid(
                    &format!("model.layers[{i}].out"),
                    0,
                    "at least 1 unit",
                ));
            }
            let n = (fan_in
                .saturating_add(1)
                .saturating_add(2 * l.batchnorm as usize))
            .saturating_mul(l.out);
            total = total.saturating_add(n);
            if total > MAX_PARAMS {
                return Err(Error::invalid(
                    "model.layers",
                    format!("more than {MAX_PARAMS} parameters"),
                    "a smaller network",
                ));
            }
            fan_in = l.out;
        }
        let k = self.layers.len() - 1;
        if last.activation != Activation::Linear || last.batchnorm {
            return Err(Error::invalid(
                &format!("model.layers[{k}]"),
                format!(
                    "activation {}, batchnorm {}",
                    last.activation.name(),
                    last.batchnorm
                ),
                "the last layer gives the logits: activation linear, batchnorm false",
            ));
        }
        if !(self.bn.eps.is_finite() && self.bn.eps > 0.0) {
            return Err(Error::invalid("model.bn.eps", self.bn.eps, "a number > 0"));
        }
        if !(0.0..=1.0).contains(&self.bn.momentum) {
            return Err(Error::invalid(
                "model.bn.momentum",
                self.bn.momentum,
                "a number in [0, 1] (the weight of the new batch statistics)",
            ));
        }
        Ok(())
    }
}
