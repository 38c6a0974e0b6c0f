//! Optimizer configs: torch's names, keys and defaults, validation, and JSON in and out.
//! Each struct documents its update rule in the lecture's form θ ← θ − (η/σ)·m.

use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::json::{defaults, settings, tagged, Reader};
use super::spec::{self, Spec};
use crate::json_text::Shown;
use crate::{Error, Result};

settings! {
    /// `torch.optim.SGD` (Robbins & Monro 1951; momentum: Polyak 1964; Nesterov as in
    /// Sutskever et al. 2013).
    ///
    /// With `d = g + wd·θ`: no momentum → `m = d`; with momentum the buffer is `b₁ = d` on the
    /// first step (no dampening!) and then `b ← μ·b + (1−dampening)·d`; `m = b`, or
    /// `m = d + μ·b` with Nesterov. Update `θ ← θ − η·m`, σ = 1.
    ///
    /// Defaults (torch): lr 1e-3, momentum 0, dampening 0, weight_decay 0, nesterov false.
    /// Lecture slide: identical (the slide's momentum has no dampening).
    pub struct SgdConfig(spec::SGD) {
        pub lr: f64,
        pub momentum: f64,
        pub dampening: f64,
        pub weight_decay: f64,
        pub nesterov: bool,
        pub maximize: bool,
    }
}

settings! {
    /// `torch.optim.Adagrad` (Duchi, Hazan & Singer 2011).
    ///
    /// `d = g + wd·θ`; `S ← S + d²` (S₀ = initial_accumulator_value);
    /// `η_t = lr / (1 + (t−1)·lr_decay)`; `σ = √S + eps`; `θ ← θ − η_t·d/σ`.
    ///
    /// Defaults (torch): lr 1e-2, lr_decay 0, weight_decay 0, initial_accumulator_value 0,
    /// eps 1e-10. Differs from the lecture slide (see [`LectureAdagradConfig`]): σ is the root
    /// of the *sum* (not the mean) of squared gradients and eps sits outside the root.
    /// The anatomy reports η_t (with lr_decay) as the learning rate.
    pub struct AdagradConfig(spec::ADAGRAD) {
        pub lr: f64,
        pub lr_decay: f64,
        pub weight_decay: f64,
        pub initial_accumulator_value: f64,
        pub eps: f64,
        pub maximize: bool,
    }
}

settings! {
    /// `torch.optim.RMSprop` (Hinton, Coursera lecture 6e, 2012).
    ///
    /// `d = g + wd·θ`; `v ← α·v + (1−α)·d²` from v₀ = 0 with **no bias correction**;
    /// `σ = √v + eps` (centered: `ḡ ← lerp(ḡ, d, 1−α)`, `σ = √(v − ḡ²) + eps`).
    /// Without momentum `θ ← θ − η·d/σ`. With momentum torch **divides before it
    /// accumulates**: `b ← μ·b + d/σ`, `θ ← θ − η·b`; that is outside the three-slot form, so
    /// the anatomy then reports σ and m = b with `exact = false`.
    ///
    /// Defaults (torch): lr 1e-2, alpha 0.99, eps 1e-8, weight_decay 0, momentum 0, centered
    /// false. Differs from the lecture slide (see [`LectureRmspropConfig`]): v starts at 0, so
    /// the first step is about η/√(1−α) ≈ 10·η per coordinate, not η.
    pub struct RmspropConfig(spec::RMSPROP) {
        pub lr: f64,
        pub alpha: f64,
        pub eps: f64,
        pub weight_decay: f64,
        pub momentum: f64,
        pub centered: bool,
        pub maximize: bool,
    }
}

settings! {
    /// `torch.optim.Adam` (Kingma & Ba 2015; amsgrad: Reddi et al. 2018).
    ///
    /// `d = g + wd·θ` (or, with `decoupled_weight_decay`, `θ ← θ·(1 − η·wd)` first: AdamW);
    /// `m ← lerp(m, d, 1−β1)`; `v ← β2·v + (1−β2)·d²`; `m̂ = m/(1−β1ᵗ)`;
    /// `σ = √v/√(1−β2ᵗ) + eps` (amsgrad: `v_max ← max(v_max, v)` on the raw v replaces v);
    /// `θ ← θ − η·m̂/σ`. eps is added *after* bias-correcting √v.
    ///
    /// Defaults (torch): lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0, amsgrad false,
    /// decoupled_weight_decay false. Lecture slide: "Adam = RMSProp + Momentum" with bias
    /// correction; the same up to eps placement. Decoupled decay is a term outside the three
    /// slots (`exact = false` when η·wd ≠ 0).
    pub struct AdamConfig(spec::ADAM) {
        pub lr: f64,
        pub betas: [f64; 2],
        pub eps: f64,
        pub weight_decay: f64,
        pub amsgrad: bool,
        pub maximize: bool,
        pub decoupled_weight_decay: bool,
    }
}

settings! {
    /// `torch.optim.AdamW` (Loshchilov & Hutter 2019): exactly [`AdamConfig`] with
    /// `decoupled_weight_decay = true`, i.e. `θ ← θ·(1 − η·wd)` with the current (scheduled)
    /// η before the Adam step.
    ///
    /// Defaults (torch): as Adam, but **weight_decay 0.01**. The decay is outside the three
    /// slots, so the anatomy's `exact` is false when η·wd ≠ 0.
    pub struct AdamWConfig(spec::ADAMW) {
        pub lr: f64,
        pub betas: [f64; 2],
        pub eps: f64,
        pub weight_decay: f64,
        pub amsgrad: bool,
        pub maximize: bool,
    }
}

settings! {
    /// `torch.optim.NAdam` (Dozat 2016, with the momentum schedule of Sutskever et al.).
    ///
    /// `μ_t = β1·(1 − ½·0.96^(t·ψ))` with ψ = momentum_decay, `Π_t = Π_{t−1}·μ_t`;
    /// `m ← lerp(m, d, 1−β1)`, `v ← β2·v + (1−β2)·d²`; `σ = √(v/(1−β2ᵗ)) + eps`;
    /// direction `m(t) = (1−μ_t)/(1−Π_t)·d + μ_{t+1}/(1−Π_t·μ_{t+1})·m`; `θ ← θ − η·m(t)/σ`
    /// (torch applies the two terms as two separate `addcdiv`s, in this order).
    ///
    /// Defaults (torch): lr 2e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0,
    /// momentum_decay 4e-3, decoupled_weight_decay false. Note: with ψ = 0.004, μ_t ≈ 0.45
    /// (not 0.9) for hundreds of steps. Not on the lecture slide.
    pub struct NAdamConfig(spec::NADAM) {
        pub lr: f64,
        pub betas: [f64; 2],
        pub eps: f64,
        pub weight_decay: f64,
        pub momentum_decay: f64,
        pub maximize: bool,
        pub decoupled_weight_decay: bool,
    }
}

settings! {
    /// `torch.optim.RAdam` (Liu et al. 2020).
    ///
    /// Adam's moments; `ρ∞ = 2/(1−β2) − 1`, `ρ_t = ρ∞ − 2t·β2ᵗ/(1−β2ᵗ)`. When `ρ_t > 5`
    /// (the paper says 4): `r_t = √((ρ_t−4)(ρ_t−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρ_t))`,
    /// `σ = (√v + eps)/(√(1−β2ᵗ)·r_t)`, `θ ← θ − η·m̂/σ`. Otherwise torch takes the
    /// **un-rectified** step `θ ← θ − η·m̂` (σ = 1): plain momentum SGD, which with β2 = 0.999
    /// is the case for the first 5 steps. eps sits next to √v, before the bias correction.
    ///
    /// Defaults (torch): lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0,
    /// decoupled_weight_decay false. Not on the lecture slide.
    pub struct RAdamConfig(spec::RADAM) {
        pub lr: f64,
        pub betas: [f64; 2],
        pub eps: f64,
        pub weight_decay: f64,
        pub maximize: bool,
        pub decoupled_weight_decay: bool,
    }
}

settings! {
    /// `torch.optim.Adamax` (Kingma & Ba 2015, section 7.1).
    ///
    /// `m ← lerp(m, d, 1−β1)`; `σ = u ← max(β2·u, |d| + eps)` (**eps inside the max**);
    /// `θ ← θ − η·m̂/σ` with `m̂ = m/(1−β1ᵗ)`; only the first moment is bias-corrected.
    ///
    /// Defaults (torch): lr 2e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0.
    /// Not on the lecture slide.
    pub struct AdamaxConfig(spec::ADAMAX) {
        pub lr: f64,
        pub betas: [f64; 2],
        pub eps: f64,
        pub weight_decay: f64,
        pub maximize: bool,
    }
}

settings! {
    /// `torch.optim.Adadelta` (Zeiler 2012).
    ///
    /// `v ← ρ·v + (1−ρ)·d²`; `Δ = √(a + eps)/√(v + eps) · d`; then `a ← ρ·a + (1−ρ)·Δ²`;
    /// `θ ← θ − η·Δ`. In the three slots: m = d, σ = √(v + eps)/√(a + eps) with the
    /// accumulator `a` from before this step. eps sits **inside both roots**.
    ///
    /// Defaults (torch): **lr 1.0**, rho 0.9, eps 1e-6, weight_decay 0. With eps = 1e-6 the
    /// first steps are ≈ √(eps/(1−ρ)) whatever the gradient. Not on the lecture slide.
    pub struct AdadeltaConfig(spec::ADADELTA) {
        pub lr: f64,
        pub rho: f64,
        pub eps: f64,
        pub weight_decay: f64,
        pub maximize: bool,
    }
}

settings! {
    /// The lecture's Adagrad, `{"name": "adagrad", "variant": "lecture"}`.
    ///
    /// `S_t = S_{t−1} + g_t²`; `σ_t = √(S_t/(t+1))` (t from 0: the root *mean* square);
    /// `θ ← θ − (η_t/σ_t)·g_t`. No eps: where σ_t = 0 exactly, that coordinate does not move.
    /// Defaults: lr 1e-2. Source: the lecture slide (reference data by hand-written numpy).
    pub struct LectureAdagradConfig(spec::LECTURE_ADAGRAD) {
        pub lr: f64,
        pub maximize: bool,
    }
}

settings! {
    /// The lecture's RMSProp, `{"name": "rmsprop", "variant": "lecture"}`.
    ///
    /// `σ_0 = |g_0|`, `σ_t = √(α·σ_{t−1}² + (1−α)·g_t²)`; `θ ← θ − (η_t/σ_t)·g_t`. No eps:
    /// where σ_t = 0 exactly, that coordinate does not move; the first step is exactly η.
    /// Defaults: lr 1e-2, alpha 0.99. Source: the lecture slide.
    pub struct LectureRmspropConfig(spec::LECTURE_RMSPROP) {
        pub lr: f64,
        pub alpha: f64,
        pub maximize: bool,
    }
}

macro_rules! torch_defaults {
    ($($ty:ident),*) => {$(
        impl Default for $ty {
            /// torch's defaults.
            fn default() -> Self {
                defaults(Self::TABLE, Self::read)
            }
        }
    )*};
}
torch_defaults!(
    SgdConfig,
    AdagradConfig,
    RmspropConfig,
    AdamConfig,
    AdamWConfig,
    NAdamConfig,
    RAdamConfig,
    AdamaxConfig,
    AdadeltaConfig,
    LectureAdagradConfig,
    LectureRmspropConfig
);

/// One optimizer, as torch names it (`{"name": "adam", "lr": 0.01, ...}`), or a lecture
/// variant (`{"name": "rmsprop", "variant": "lecture", "lr": 0.01, "alpha": 0.9}`).
///
/// Keys left out take torch's defaults. torch's bookkeeping keys `foreach`, `capturable`,
/// `differentiable` and `fused` are accepted and ignored (all runs are `foreach=False`);
/// for `adamw`, `decoupled_weight_decay` is accepted when `true`. Any other key is an error
/// naming it. [`Default`] is SGD with lr 0.01 (the app's starting point; a JSON config
/// without `lr` takes torch's 1e-3).
#[derive(Clone, Debug, PartialEq)]
pub enum OptimizerConfig {
    Sgd(SgdConfig),
    Adagrad(AdagradConfig),
    Rmsprop(RmspropConfig),
    Adam(AdamConfig),
    AdamW(AdamWConfig),
    NAdam(NAdamConfig),
    RAdam(RAdamConfig),
    Adamax(AdamaxConfig),
    Adadelta(AdadeltaConfig),
    LectureAdagrad(LectureAdagradConfig),
    LectureRmsprop(LectureRmspropConfig),
}

/// Keys torch records in `param_groups` that do not change the float64 single-tensor math.
const BOOKKEEPING: &[&str] = &[
    "foreach",
    "capturable",
    "differentiable",
    "fused",
    "variant",
];
const ADAMW_EXTRA: &[&str] = &[
    "foreach",
    "capturable",
    "differentiable",
    "fused",
    "variant",
    "decoupled_weight_decay",
];

/// Which group key a one-cycle schedule may cycle for an optimizer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MomentumSlot {
    /// `group["momentum"]` (SGD, RMSprop).
    Momentum,
    /// `group["betas"][0]` (the Adam family).
    Beta1,
    /// Neither (Adagrad, Adadelta, the lecture variants).
    None,
}

impl Default for OptimizerConfig {
    fn default() -> Self {
        OptimizerConfig::Sgd(SgdConfig {
            lr: 0.01,
            ..SgdConfig::default()
        })
    }
}

impl OptimizerConfig {
    /// Read a config from JSON (see the type's docs), validated.
    pub fn from_json(value: &Value) -> Result<Self> {
        let (map, name) = tagged(value, "optimizer")?;
        let lecture = match map.get("variant") {
            None => false,
            Some(Value::String(v)) if v == "torch" => false,
            Some(Value::String(v)) if v == "lecture" => true,
            Some(other) => {
                return Err(Error::invalid(
                    "variant",
                    Shown(other),
                    "\"lecture\" or \"torch\"",
                ))
            }
        };
        let what = if lecture {
            format!("optimizer `{name}` (lecture variant)")
        } else {
            format!("optimizer `{name}`")
        };
        let reader = |table| Reader::new(what.clone(), map, table, BOOKKEEPING);
        use OptimizerConfig as O;
        let cfg = match (name, lecture) {
            ("sgd", false) => O::Sgd(SgdConfig::read(&reader(spec::SGD)?)?),
            ("adagrad", false) => O::Adagrad(AdagradConfig::read(&reader(spec::ADAGRAD)?)?),
            ("rmsprop", false) => O::Rmsprop(RmspropConfig::read(&reader(spec::RMSPROP)?)?),
            ("adam", false) => O::Adam(AdamConfig::read(&reader(spec::ADAM)?)?),
            ("adamw", false) => {
                if let Some(v) = map.get("decoupled_weight_decay") {
                    if v != &Value::Bool(true) {
                        return Err(Error::invalid(
                            "decoupled_weight_decay",
                            Shown(v),
                            "true for adamw (use adam for coupled weight decay)",
                        ));
                    }
                }
                let r = Reader::new(what.clone(), map, spec::ADAMW, ADAMW_EXTRA)?;
                O::AdamW(AdamWConfig::read(&r)?)
            }
            ("nadam", false) => O::NAdam(NAdamConfig::read(&reader(spec::NADAM)?)?),
            ("radam", false) => O::RAdam(RAdamConfig::read(&reader(spec::RADAM)?)?),
            ("adamax", false) => O::Adamax(AdamaxConfig::read(&reader(spec::ADAMAX)?)?),
            ("adadelta", false) => O::Adadelta(AdadeltaConfig::read(&reader(spec::ADADELTA)?)?),
            ("adagrad", true) => {
                O::LectureAdagrad(LectureAdagradConfig::read(&reader(spec::LECTURE_ADAGRAD)?)?)
            }
            ("rmsprop", true) => {
                O::LectureRmsprop(LectureRmspropConfig::read(&reader(spec::LECTURE_RMSPROP)?)?)
            }
            (_, true) if spec::optimizer_specs().iter().any(|s| s.name == name) => {
                return Err(Error::invalid(
                    "variant",
                    "\"lecture\"",
                    &format!("no lecture variant of `{name}` (only adagrad and rmsprop)"),
                ))
            }
            _ => {
                return Err(Error::UnknownName {
                    kind: "optimizer".into(),
                    name: name.into(),
                    expected: spec::names(spec::optimizer_specs()),
                })
            }
        };
        cfg.validate()?;
        Ok(cfg)
    }

    /// The config as JSON, every key explicit (reads back with [`Self::from_json`]).
    pub fn to_json(&self) -> Value {
        super::json::object(self.entries())
    }

    /// torch's defaults for the optimizer `name` (`"adam"`, or `"rmsprop/lecture"`).
    pub fn with_defaults(name: &str) -> Result<Self> {
        let value = match name.split_once('/') {
            Some((n, v)) => serde_json::json!({"name": n, "variant": v}),
            None => serde_json::json!({ "name": name }),
        };
        Self::from_json(&value)
    }

    /// Check every value like torch's constructor (plus: numbers must be finite).
    pub fn validate(&self) -> Result<()> {
        use OptimizerConfig as O;
        match self {
            O::Sgd(c) => {
                c.check_ranges()?;
                if c.nesterov && (c.momentum <= 0.0 || c.dampening != 0.0) {
                    return Err(Error::invalid(
                        "nesterov",
                        true,
                        &format!(
                            "momentum > 0 and dampening = 0 (got momentum {}, dampening {})",
                            c.momentum, c.dampening
                        ),
                    ));
                }
                Ok(())
            }
            O::Adagrad(c) => c.check_ranges(),
            O::Rmsprop(c) => c.check_ranges(),
            O::Adam(c) => c.check_ranges(),
            O::AdamW(c) => c.check_ranges(),
            O::NAdam(c) => c.check_ranges(),
            O::RAdam(c) => c.check_ranges(),
            O::Adamax(c) => c.check_ranges(),
            O::Adadelta(c) => c.check_ranges(),
            O::LectureAdagrad(c) => c.check_ranges(),
            O::LectureRmsprop(c) => c.check_ranges(),
        }
    }

    /// torch's name (`"adam"`); the lecture variants report `"adagrad"` / `"rmsprop"`.
    pub fn name(&self) -> &'static str {
        use OptimizerConfig as O;
        match self {
            O::Sgd(_) => "sgd",
            O::Adagrad(_) | O::LectureAdagrad(_) => "adagrad",
            O::Rmsprop(_) | O::LectureRmsprop(_) => "rmsprop",
            O::Adam(_) => "adam",
            O::AdamW(_) => "adamw",
            O::NAdam(_) => "nadam",
            O::RAdam(_) => "radam",
            O::Adamax(_) => "adamax",
            O::Adadelta(_) => "adadelta",
        }
    }

    /// `Some("lecture")` for the lecture variants.
    pub fn variant(&self) -> Option<&'static str> {
        matches!(
            self,
            OptimizerConfig::LectureAdagrad(_) | OptimizerConfig::LectureRmsprop(_)
        )
        .then_some("lecture")
    }

    /// The base learning rate (`lr`).
    pub fn lr(&self) -> f64 {
        use OptimizerConfig as O;
        match self {
            O::Sgd(c) => c.lr,
            O::Adagrad(c) => c.lr,
            O::Rmsprop(c) => c.lr,
            O::Adam(c) => c.lr,
            O::AdamW(c) => c.lr,
            O::NAdam(c) => c.lr,
            O::RAdam(c) => c.lr,
            O::Adamax(c) => c.lr,
            O::Adadelta(c) => c.lr,
            O::LectureAdagrad(c) => c.lr,
            O::LectureRmsprop(c) => c.lr,
        }
    }

    /// The spec (parameters, defaults, ranges) of this optimizer.
    pub fn spec(&self) -> &'static Spec {
        let (name, variant) = (self.name(), self.variant());
        spec::optimizer_specs()
            .iter()
            .find(|s| s.name == name && s.variant == variant)
            .expect("every optimizer has a spec")
    }

    /// The group key a one-cycle schedule cycles (torch: `momentum` or `betas[0]`).
    pub fn momentum_slot(&self) -> MomentumSlot {
        use OptimizerConfig as O;
        match self {
            O::Sgd(_) | O::Rmsprop(_) => MomentumSlot::Momentum,
            O::Adam(_) | O::AdamW(_) | O::NAdam(_) | O::RAdam(_) | O::Adamax(_) => {
                MomentumSlot::Beta1
            }
            O::Adagrad(_) | O::Adadelta(_) | O::LectureAdagrad(_) | O::LectureRmsprop(_) => {
                MomentumSlot::None
            }
        }
    }

    fn entries(&self) -> Vec<(&'static str, Value)> {
        use OptimizerConfig as O;
        let mut out = vec![("name", Value::from(self.name()))];
        if let Some(v) = self.variant() {
            out.push(("variant", Value::from(v)));
        }
        out.extend(match self {
            O::Sgd(c) => c.entries(),
            O::Adagrad(c) => c.entries(),
            O::Rmsprop(c) => c.entries(),
            O::Adam(c) => c.entries(),
            O::AdamW(c) => c.entries(),
            O::NAdam(c) => c.entries(),
            O::RAdam(c) => c.entries(),
            O::Adamax(c) => c.entries(),
            O::Adadelta(c) => c.entries(),
            O::LectureAdagrad(c) => c.entries(),
            O::LectureRmsprop(c) => c.entries(),
        });
        out
    }
}

impl Serialize for OptimizerConfig {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serialize_entries(self.entries(), serializer)
    }
}

impl<'de> Deserialize<'de> for OptimizerConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        OptimizerConfig::from_json(&value).map_err(serde::de::Error::custom)
    }
}

/// Serialize ordered `(key, value)` pairs as a map (keeps `name` first).
pub(crate) fn serialize_entries<S: Serializer>(
    entries: Vec<(&'static str, Value)>,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(entries.len()))?;
    for (k, v) in &entries {
        map.serialize_entry(k, v)?;
    }
    map.end()
}
