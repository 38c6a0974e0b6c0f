//! Schedule configs: torch's `lr_scheduler` classes by short name, with torch's defaults.
//! Each struct documents the recursive form torch applies and its closed form.
//!
//! Source for all of them: `torch.optim.lr_scheduler` (2.15). The lecture's slides give the
//! closed forms; torch's recursive forms differ from them by a few ulps, and where the
//! behaviour differs (cosine is periodic, sequential restarts) the struct says so.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::onecycle::check_phases;
use crate::optim::config::serialize_entries;
use crate::optim::json::{settings, tagged, Field, Reader};
use crate::optim::spec::{self, ParamSpec};
use crate::{Error, Result};

settings! {
    /// `StepLR`: `η_t = η₀·γ^⌊t/step_size⌋`, applied recursively (`η ← γ·η` whenever
    /// `t > 0` and `t % step_size == 0`), so the first decay hits step index `step_size`.
    /// Defaults (torch): gamma 0.1; `step_size` is required.
    pub struct StepConfig(spec::STEP) {
        pub step_size: usize,
        pub gamma: f64,
    }
}

settings! {
    /// `MultiStepLR`: `η ← γ·η` at each milestone (strictly increasing here; torch's
    /// repeated milestones are not accepted). Defaults (torch): gamma 0.1.
    pub struct MultiStepConfig(spec::MULTISTEP) {
        pub milestones: Vec<usize>,
        pub gamma: f64,
    }
}

settings! {
    /// `ExponentialLR`: `η_t = η₀·γᵗ`, applied recursively (`η ← γ·η` for t > 0), which
    /// differs from the slide's closed form by a few ulps. `gamma` is required.
    pub struct ExponentialConfig(spec::EXPONENTIAL) {
        pub gamma: f64,
    }
}

settings! {
    /// `CosineAnnealingLR` (Loshchilov & Hutter 2017, without restarts):
    /// closed form `η_t = η_min + (η₀−η_min)·(1 + cos(πt/T_max))/2`. torch applies it
    /// recursively, `η ← (1+cos(πt/T))/(1+cos(π(t−1)/T))·(η−η_min) + η_min`, and where
    /// `(t−1−T) % 2T == 0` it adds the "restart" increment `(η₀−η_min)(1−cos(π/T))/2`.
    /// So it is **periodic** past `t_max`: the lr climbs back up instead of holding η_min
    /// as a slide's "decay to η_min" suggests. With eta_min 0 the lr is exactly 0 at t_max.
    /// Defaults (torch): eta_min 0; `t_max` is required.
    pub struct CosineConfig(spec::COSINE) {
        pub t_max: usize,
        pub eta_min: f64,
    }
}

settings! {
    /// `CosineAnnealingWarmRestarts` (SGDR, Loshchilov & Hutter 2017):
    /// `η = η_min + (η₀−η_min)(1 + cos(π·T_cur/T_i))/2`, with `T_cur` counting up and
    /// wrapping at `T_i`, which starts at `t_0` and is multiplied by `t_mult` at each restart.
    /// Defaults (torch): t_mult 1, eta_min 0; `t_0` is required.
    pub struct CosineWarmRestartsConfig(spec::COSINE_WARM_RESTARTS) {
        pub t_0: usize,
        pub t_mult: usize,
        pub eta_min: f64,
    }
}

settings! {
    /// `LinearLR` (linear warm-up, Goyal et al. 2017): factor from `start_factor` to `end_factor` over
    /// `total_iters` steps, applied recursively:
    /// `η ← η·(1 + (e−s)/(T·s + (t−1)(e−s)))` for 0 < t ≤ T, `η₀·s` at t = 0.
    /// It ends a few ulps off η₀ (e.g. 0.010000000000000007).
    /// Defaults (torch): start_factor 1/3, end_factor 1, total_iters 5.
    pub struct LinearConfig(spec::LINEAR) {
        pub start_factor: f64,
        pub end_factor: f64,
        pub total_iters: usize,
    }
}

settings! {
    /// `ConstantLR`: `η₀·factor` for t < total_iters, then `η₀` (recursively: `η·factor` at
    /// t = 0, `η/factor` at t = total_iters). Defaults (torch): factor 1/3, total_iters 5.
    pub struct ConstantConfig(spec::CONSTANT) {
        pub factor: f64,
        pub total_iters: usize,
    }
}

settings! {
    /// `PolynomialLR`: `η_t = η₀·(1 − min(t,T)/T)^power`, applied recursively; reaches 0 at
    /// t = total_iters. Defaults (torch): total_iters 5, power 1.
    pub struct PolynomialConfig(spec::POLYNOMIAL) {
        pub total_iters: usize,
        pub power: f64,
    }
}

settings! {
    /// `SequentialLR`: runs `schedulers[i]` between `milestones[i-1]` and `milestones[i]`.
    /// At each milestone the next scheduler is **restarted from its closed form at epoch 0**
    /// (η₀, or η₀·start_factor for linear), not continued from the current lr, and its own
    /// step counter starts there. Sub-schedulers may not be `sequential` or `onecycle`.
    pub struct SequentialConfig(spec::SEQUENTIAL) {
        pub schedulers: Vec<ScheduleConfig>,
        pub milestones: Vec<usize>,
    }
}

settings! {
    /// `OneCycleLR` (Smith & Topin 2019). It **ignores and overwrites the optimizer's lr**:
    /// from `max_lr/div_factor` up to `max_lr` over the first `pct_start·total_steps − 1`
    /// steps, then down to `max_lr/div_factor/final_div_factor` at `total_steps − 1`
    /// (three_phase: up, back down to the initial lr at `2·pct_start·total_steps − 2`, then to
    /// the minimum), annealed by `cos` (`end + (start−end)/2·(1+cos(π·pct))`) or `linear`.
    /// With `cycle_momentum` (the default) it writes `max_momentum` into the optimizer's
    /// `momentum` (SGD, RMSprop: even one built with momentum 0) or `betas[0]` (Adam family)
    /// and cycles it inversely to the lr; optimizers with neither (Adagrad, Adadelta, the
    /// lecture variants) are an error unless `cycle_momentum` is false. Stepping past
    /// `total_steps` is an error, as in torch.
    /// Defaults (torch): pct_start 0.3, anneal_strategy "cos", cycle_momentum true,
    /// base_momentum 0.85, max_momentum 0.95, div_factor 25, final_div_factor 1e4,
    /// three_phase false; `max_lr` and `total_steps` are required.
    pub struct OneCycleConfig(spec::ONECYCLE) {
        pub max_lr: f64,
        pub total_steps: usize,
        pub pct_start: f64,
        pub anneal_strategy: AnnealStrategy,
        pub cycle_momentum: bool,
        pub base_momentum: f64,
        pub max_momentum: f64,
        pub div_factor: f64,
        pub final_div_factor: f64,
        pub three_phase: bool,
    }
}

/// How [`OneCycleConfig`] anneals between two values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AnnealStrategy {
    /// `end + (start−end)/2·(1 + cos(π·pct))`.
    #[default]
    Cos,
    /// `(end−start)·pct + start`.
    Linear,
}

impl Field for AnnealStrategy {
    fn read(r: &Reader<'_>, name: &str) -> Result<Self> {
        Ok(match r.choice(name)? {
            "linear" => AnnealStrategy::Linear,
            _ => AnnealStrategy::Cos,
        })
    }
    fn to_value(&self) -> Value {
        Value::from(match self {
            AnnealStrategy::Cos => "cos",
            AnnealStrategy::Linear => "linear",
        })
    }
    fn check(&self, _: &'static [ParamSpec], _: &str) -> Result<()> {
        Ok(())
    }
}

impl Field for Vec<ScheduleConfig> {
    fn read(r: &Reader<'_>, name: &str) -> Result<Self> {
        r.list(name)?
            .iter()
            .map(ScheduleConfig::from_json)
            .collect()
    }
    fn to_value(&self) -> Value {
        Value::from(self.iter().map(ScheduleConfig::to_json).collect::<Vec<_>>())
    }
    fn check(&self, _: &'static [ParamSpec], name: &str) -> Result<()> {
        if self.is_empty() {
            return Err(Error::invalid(name, "[]", "at least one schedule"));
        }
        for s in self {
            if matches!(
                s,
                ScheduleConfig::Sequential(_) | ScheduleConfig::OneCycle(_)
            ) {
                return Err(Error::invalid(
                    name,
                    format!("a `{}` schedule", s.name()),
                    "step, multistep, exponential, cosine, cosine_warm_restarts, linear, \
                     constant or polynomial schedules",
                ));
            }
            s.validate()?;
        }
        Ok(())
    }
}

/// A learning-rate schedule, torch's `lr_scheduler` by short name
/// (`{"name": "cosine", "t_max": 60, "eta_min": 0.001}`).
///
/// Keys left out take torch's defaults; the keys `torch` (class name) and `derived`
/// (onecycle's computed lrs) that the reference data carries are accepted and ignored; any
/// other key is an error naming it.
#[derive(Clone, Debug, PartialEq)]
pub enum ScheduleConfig {
    Step(StepConfig),
    MultiStep(MultiStepConfig),
    Exponential(ExponentialConfig),
    Cosine(CosineConfig),
    CosineWarmRestarts(CosineWarmRestartsConfig),
    Linear(LinearConfig),
    Constant(ConstantConfig),
    Polynomial(PolynomialConfig),
    Sequential(SequentialConfig),
    OneCycle(OneCycleConfig),
}

const IGNORED: &[&str] = &["torch", "derived"];

impl ScheduleConfig {
    /// Read a schedule from JSON, validated.
    pub fn from_json(value: &Value) -> Result<Self> {
        let (map, name) = tagged(value, "schedule")?;
        let what = format!("schedule `{name}`");
        let reader = |table| Reader::new(what.clone(), map, table, IGNORED);
        use ScheduleConfig as S;
        let cfg = match name {
            "step" => S::Step(StepConfig::read(&reader(spec::STEP)?)?),
            "multistep" => S::MultiStep(MultiStepConfig::read(&reader(spec::MULTISTEP)?)?),
            "exponential" => S::Exponential(ExponentialConfig::read(&reader(spec::EXPONENTIAL)?)?),
            "cosine" => S::Cosine(CosineConfig::read(&reader(spec::COSINE)?)?),
            "cosine_warm_restarts" => S::CosineWarmRestarts(CosineWarmRestartsConfig::read(
                &reader(spec::COSINE_WARM_RESTARTS)?,
            )?),
            "linear" => S::Linear(LinearConfig::read(&reader(spec::LINEAR)?)?),
            "constant" => S::Constant(ConstantConfig::read(&reader(spec::CONSTANT)?)?),
            "polynomial" => S::Polynomial(PolynomialConfig::read(&reader(spec::POLYNOMIAL)?)?),
            "sequential" => S::Sequential(SequentialConfig::read(&reader(spec::SEQUENTIAL)?)?),
            "onecycle" => S::OneCycle(OneCycleConfig::read(&reader(spec::ONECYCLE)?)?),
            _ => {
                return Err(Error::UnknownName {
                    kind: "schedule".into(),
                    name: name.into(),
                    expected: spec::names(spec::schedule_specs()),
                })
            }
        };
        cfg.validate()?;
        Ok(cfg)
    }

    /// The config as JSON, every key explicit (reads back with [`Self::from_json`]).
    pub fn to_json(&self) -> Value {
        crate::optim::json::object(self.entries())
    }

    /// The short name (`"cosine"`).
    pub fn name(&self) -> &'static str {
        use ScheduleConfig as S;
        match self {
            S::Step(_) => "step",
            S::MultiStep(_) => "multistep",
            S::Exponential(_) => "exponential",
            S::Cosine(_) => "cosine",
            S::CosineWarmRestarts(_) => "cosine_warm_restarts",
            S::Linear(_) => "linear",
            S::Constant(_) => "constant",
            S::Polynomial(_) => "polynomial",
            S::Sequential(_) => "sequential",
            S::OneCycle(_) => "onecycle",
        }
    }

    /// The spec (parameters, defaults, ranges, torch's class) of this schedule.
    pub fn spec(&self) -> &'static spec::Spec {
        let name = self.name();
        spec::schedule_specs()
            .iter()
            .find(|s| s.name == name)
            .expect("every schedule has a spec")
    }

    /// Check every value like torch's constructor (plus: finite numbers, counts >= 1,
    /// increasing milestones, no zero-length one-cycle phase that torch would divide by).
    pub fn validate(&self) -> Result<()> {
        use ScheduleConfig as S;
        match self {
            S::Step(c) => c.check_ranges(),
            S::MultiStep(c) => c.check_ranges(),
            S::Exponential(c) => c.check_ranges(),
            S::Cosine(c) => c.check_ranges(),
            S::CosineWarmRestarts(c) => c.check_ranges(),
            S::Linear(c) => c.check_ranges(),
            S::Constant(c) => c.check_ranges(),
            S::Polynomial(c) => c.check_ranges(),
            S::Sequential(c) => {
                c.check_ranges()?;
                if c.milestones.len() + 1 != c.schedulers.len() {
                    return Err(Error::invalid(
                        "milestones",
                        format!("{:?}", c.milestones),
                        &format!(
                            "one milestone fewer than schedulers ({} schedulers)",
                            c.schedulers.len()
                        ),
                    ));
                }
                Ok(())
            }
            S::OneCycle(c) => {
                c.check_ranges()?;
                check_phases(c)
            }
        }
    }

    /// The lr used by each of the first `n` steps when the optimizer's lr is `base_lr`
    /// (what torch reads from `param_groups[0]["lr"]` before each `opt.step()`).
    pub fn lrs(&self, base_lr: f64, n: usize) -> Result<Vec<f64>> {
        let mut s = super::Schedule::new(self, base_lr, crate::optim::MomentumSlot::Momentum)?;
        let mut out = Vec::with_capacity(n);
        for t in 0..n {
            out.push(s.lr());
            if t + 1 < n {
                s.step()?;
            }
        }
        Ok(out)
    }

    fn entries(&self) -> Vec<(&'static str, Value)> {
        use ScheduleConfig as S;
        let mut out = vec![("name", Value::from(self.name()))];
        out.extend(match self {
            S::Step(c) => c.entries(),
            S::MultiStep(c) => c.entries(),
            S::Exponential(c) => c.entries(),
            S::Cosine(c) => c.entries(),
            S::CosineWarmRestarts(c) => c.entries(),
            S::Linear(c) => c.entries(),
            S::Constant(c) => c.entries(),
            S::Polynomial(c) => c.entries(),
            S::Sequential(c) => c.entries(),
            S::OneCycle(c) => c.entries(),
        });
        out
    }
}

impl Serialize for ScheduleConfig {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serialize_entries(self.entries(), serializer)
    }
}

impl<'de> Deserialize<'de> for ScheduleConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        ScheduleConfig::from_json(&value).map_err(serde::de::Error::custom)
    }
}
