//! The settable parameters of every optimizer and schedule: name, kind, default and range.
//! One table feeds the JSON reader (allowed keys, defaults), validation and the app's controls.

use serde::Serialize;

use crate::error::Expected;
use crate::{Error, Result};

/// The accepted interval of a number; a value must also be finite.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Range {
    /// Lower bound (`None`: unbounded).
    pub min: Option<f64>,
    /// Whether `min` itself is accepted.
    pub min_inclusive: bool,
    /// Upper bound (`None`: unbounded).
    pub max: Option<f64>,
    /// Whether `max` itself is accepted.
    pub max_inclusive: bool,
}

impl Range {
    /// Any finite number.
    pub const ANY: Range = Range::new(None, true, None, true);
    /// `[0, ∞)`.
    pub const NON_NEGATIVE: Range = Range::new(Some(0.0), true, None, true);
    /// `(0, ∞)`.
    pub const POSITIVE: Range = Range::new(Some(0.0), false, None, true);
    /// `[0, 1)`: betas and cycled momenta.
    pub const UNIT_OPEN: Range = Range::new(Some(0.0), true, Some(1.0), false);
    /// `[0, 1]`.
    pub const UNIT: Range = Range::new(Some(0.0), true, Some(1.0), true);
    /// `(0, 1]`: multiplicative factors that may not be 0.
    pub const FACTOR: Range = Range::new(Some(0.0), false, Some(1.0), true);
    /// `[1, ∞)`: counts of steps.
    pub const AT_LEAST_ONE: Range = Range::new(Some(1.0), true, None, true);

    const fn new(
        min: Option<f64>,
        min_inclusive: bool,
        max: Option<f64>,
        max_inclusive: bool,
    ) -> Self {
        Range {
            min,
            min_inclusive,
            max,
            max_inclusive,
        }
    }

    /// Whether `v` is finite and inside the range.
    pub fn contains(&self, v: f64) -> bool {
        let above = match self.min {
            None => true,
            Some(m) if self.min_inclusive => v >= m,
            Some(m) => v > m,
        };
        let below = match self.max {
            None => true,
            Some(m) if self.max_inclusive => v <= m,
            Some(m) => v < m,
        };
        v.is_finite() && above && below
    }

    /// Human words for the range, e.g. "a finite number in [0, 1)".
    pub fn expected(&self) -> String {
        self.expected_as(false).to_string()
    }

    /// What the range asks for as data (`whole`: of a count): the bounds in math notation,
    /// which every language writes the same.
    pub fn expected_as(&self, whole: bool) -> Expected {
        let (bounds, two_sided) = match (self.min, self.max) {
            (None, None) => (String::new(), false),
            (Some(lo), None) => {
                let op = if self.min_inclusive { ">=" } else { ">" };
                (format!("{op} {lo}"), false)
            }
            (None, Some(hi)) => {
                let op = if self.max_inclusive { "<=" } else { "<" };
                (format!("{op} {hi}"), false)
            }
            (Some(lo), Some(hi)) => (
                format!(
                    "{}{lo}, {hi}{}",
                    if self.min_inclusive { "[" } else { "(" },
                    if self.max_inclusive { "]" } else { ")" }
                ),
                true,
            ),
        };
        Expected::Bounded {
            whole,
            bounds,
            two_sided,
        }
    }

    /// `Ok(v)` inside the range, else [`Error::InvalidValue`] naming `field`.
    pub fn check(&self, field: &str, v: f64) -> Result<f64> {
        if self.contains(v) {
            Ok(v)
        } else {
            Err(Error::invalid_as(field, v, self.expected_as(false)))
        }
    }
}

/// What kind of value a parameter takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamKind {
    /// A float.
    Number,
    /// A whole number (a count of steps).
    Integer,
    /// `true` / `false`.
    Bool,
    /// A pair of floats `[β1, β2]`, each in the range.
    Betas,
    /// One of the strings in [`ParamSpec::choices`].
    Choice,
    /// A list of increasing whole numbers (milestones).
    IntegerList,
    /// A list of schedule configs (for `sequential`).
    ScheduleList,
}

/// A parameter's default value.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum DefaultValue {
    Number(f64),
    Integer(usize),
    Bool(bool),
    Pair([f64; 2]),
    Text(&'static str),
}

/// One settable parameter: torch's name, its kind, torch's default (`None`: required) and range.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ParamSpec {
    pub name: &'static str,
    pub kind: ParamKind,
    pub default: Option<DefaultValue>,
    pub range: Range,
    /// The accepted strings of a [`ParamKind::Choice`]; empty otherwise.
    pub choices: &'static [&'static str],
}

impl ParamSpec {
    const fn num(name: &'static str, default: f64, range: Range) -> Self {
        Self::make(
            name,
            ParamKind::Number,
            Some(DefaultValue::Number(default)),
            range,
        )
    }
    const fn required_num(name: &'static str, range: Range) -> Self {
        Self::make(name, ParamKind::Number, None, range)
    }
    const fn int(name: &'static str, default: usize) -> Self {
        let d = Some(DefaultValue::Integer(default));
        Self::make(name, ParamKind::Integer, d, Range::AT_LEAST_ONE)
    }
    const fn required_int(name: &'static str) -> Self {
        Self::make(name, ParamKind::Integer, None, Range::AT_LEAST_ONE)
    }
    const fn flag(name: &'static str, default: bool) -> Self {
        let d = Some(DefaultValue::Bool(default));
        Self::make(name, ParamKind::Bool, d, Range::ANY)
    }
    const fn make(
        name: &'static str,
        kind: ParamKind,
        default: Option<DefaultValue>,
        range: Range,
    ) -> Self {
        ParamSpec {
            name,
            kind,
            default,
            range,
            choices: &[],
        }
    }
}

/// An optimizer (or schedule) with its parameters and the facts every layer needs about it:
/// how people write it, torch's class and, for an optimizer the WGSL kernels implement, its
/// state on the GPU. This table is shipped to the pages as is (`optimizers()`, `schedules()`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Spec {
    /// The `name` key.
    pub name: &'static str,
    /// The `variant` key (`Some("lecture")` for the lecture forms).
    pub variant: Option<&'static str>,
    pub params: &'static [ParamSpec],
    /// The written name (torch's spelling: `RMSprop`, `AdamW`); a lecture variant's page adds
    /// "(lecture)" in its language.
    pub display: &'static str,
    /// torch's class (`torch.optim.X`, `torch.optim.lr_scheduler.X`); `None` for the lecture
    /// variants, which torch does not have.
    pub torch: Option<&'static str>,
    /// What `lr` means: a step size, or (Adadelta) a factor on an update that already has the
    /// parameters' units. The classifier keeps a student's lr across a change of optimizer
    /// only between optimizers where it means the same.
    pub lr_role: LrRole,
    /// The optimizer's state on the GPU (`None`: it trains on the CPU only).
    pub gpu: Option<GpuState>,
}

/// What an optimizer's `lr` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LrRole {
    /// η, the length scale of a step (schedules have none: `Step` there too).
    Step,
    /// A dimensionless factor on the step (Adadelta, default 1).
    Factor,
}

/// How the WGSL update kernel holds an optimizer: the kernel's number and the state slots
/// per parameter (the same layout as `FlatState` in `rules/transfer.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct GpuState {
    /// The `KIND` constant of the update kernel (`www/classifier/gpu/kernels.js`).
    pub kernel: u32,
    /// Numbers of state per parameter: momentum buffer (1), m, v and max v (3), ...
    pub slots: usize,
}

impl Spec {
    /// A torch optimizer (its written name is torch's class).
    const fn torch(
        name: &'static str,
        class: &'static str,
        params: &'static [ParamSpec],
        gpu: Option<GpuState>,
    ) -> Spec {
        Spec {
            name,
            variant: None,
            params,
            display: class,
            torch: Some(class),
            lr_role: LrRole::Step,
            gpu,
        }
    }

    /// A lecture variant of the torch optimizer `display`.
    const fn lecture(
        name: &'static str,
        display: &'static str,
        params: &'static [ParamSpec],
    ) -> Spec {
        Spec {
            name,
            variant: Some("lecture"),
            params,
            display,
            torch: None,
            lr_role: LrRole::Step,
            gpu: None,
        }
    }

    /// The same optimizer with `lr` as a factor.
    const fn lr_factor(self) -> Spec {
        Spec {
            lr_role: LrRole::Factor,
            ..self
        }
    }
}

const fn gpu(kernel: u32, slots: usize) -> Option<GpuState> {
    Some(GpuState { kernel, slots })
}

const LR_1E3: ParamSpec = ParamSpec::num("lr", 1e-3, Range::NON_NEGATIVE);
const LR_2E3: ParamSpec = ParamSpec::num("lr", 2e-3, Range::NON_NEGATIVE);
const LR_1E2: ParamSpec = ParamSpec::num("lr", 1e-2, Range::NON_NEGATIVE);
const WD_0: ParamSpec = ParamSpec::num("weight_decay", 0.0, Range::NON_NEGATIVE);
const EPS_8: ParamSpec = ParamSpec::num("eps", 1e-8, Range::NON_NEGATIVE);
const MAXIMIZE: ParamSpec = ParamSpec::flag("maximize", false);
const BETAS: ParamSpec = ParamSpec::make(
    "betas",
    ParamKind::Betas,
    Some(DefaultValue::Pair([0.9, 0.999])),
    Range::UNIT_OPEN,
);
const DECOUPLED: ParamSpec = ParamSpec::flag("decoupled_weight_decay", false);

pub(crate) const SGD: &[ParamSpec] = &[
    LR_1E3,
    ParamSpec::num("momentum", 0.0, Range::NON_NEGATIVE),
    ParamSpec::num("dampening", 0.0, Range::ANY),
    WD_0,
    ParamSpec::flag("nesterov", false),
    MAXIMIZE,
];
pub(crate) const ADAGRAD: &[ParamSpec] = &[
    LR_1E2,
    ParamSpec::num("lr_decay", 0.0, Range::NON_NEGATIVE),
    WD_0,
    ParamSpec::num("initial_accumulator_value", 0.0, Range::NON_NEGATIVE),
    ParamSpec::num("eps", 1e-10, Range::NON_NEGATIVE),
    MAXIMIZE,
];
pub(crate) const RMSPROP: &[ParamSpec] = &[
    LR_1E2,
    ParamSpec::num("alpha", 0.99, Range::NON_NEGATIVE),
    EPS_8,
    WD_0,
    ParamSpec::num("momentum", 0.0, Range::NON_NEGATIVE),
    ParamSpec::flag("centered", false),
    MAXIMIZE,
];
pub(crate) const ADAM: &[ParamSpec] = &[
    LR_1E3,
    BETAS,
    EPS_8,
    WD_0,
    ParamSpec::flag("amsgrad", false),
    MAXIMIZE,
    DECOUPLED,
];
/// AdamW: Adam's table with torch's weight-decay default 0.01 (decoupling is fixed, not settable).
pub(crate) const ADAMW: &[ParamSpec] = &[
    LR_1E3,
    BETAS,
    EPS_8,
    ParamSpec::num("weight_decay", 1e-2, Range::NON_NEGATIVE),
    ParamSpec::flag("amsgrad", false),
    MAXIMIZE,
];
pub(crate) const NADAM: &[ParamSpec] = &[
    LR_2E3,
    BETAS,
    EPS_8,
    WD_0,
    ParamSpec::num("momentum_decay", 4e-3, Range::NON_NEGATIVE),
    MAXIMIZE,
    DECOUPLED,
];
pub(crate) const RADAM: &[ParamSpec] = &[LR_1E3, BETAS, EPS_8, WD_0, MAXIMIZE, DECOUPLED];
pub(crate) const ADAMAX: &[ParamSpec] = &[LR_2E3, BETAS, EPS_8, WD_0, MAXIMIZE];
pub(crate) const ADADELTA: &[ParamSpec] = &[
    ParamSpec::num("lr", 1.0, Range::NON_NEGATIVE),
    ParamSpec::num("rho", 0.9, Range::UNIT),
    ParamSpec::num("eps", 1e-6, Range::NON_NEGATIVE),
    WD_0,
    MAXIMIZE,
];
pub(crate) const LECTURE_ADAGRAD: &[ParamSpec] = &[LR_1E2, MAXIMIZE];
pub(crate) const LECTURE_RMSPROP: &[ParamSpec] =
    &[LR_1E2, ParamSpec::num("alpha", 0.99, Range::UNIT), MAXIMIZE];

const GAMMA_01: ParamSpec = ParamSpec::num("gamma", 0.1, Range::POSITIVE);
const ETA_MIN: ParamSpec = ParamSpec::num("eta_min", 0.0, Range::NON_NEGATIVE);
const MILESTONES: ParamSpec = ParamSpec::make(
    "milestones",
    ParamKind::IntegerList,
    None,
    Range::AT_LEAST_ONE,
);

pub(crate) const STEP: &[ParamSpec] = &[ParamSpec::required_int("step_size"), GAMMA_01];
pub(crate) const MULTISTEP: &[ParamSpec] = &[MILESTONES, GAMMA_01];
pub(crate) const EXPONENTIAL: &[ParamSpec] = &[ParamSpec::required_num("gamma", Range::POSITIVE)];
pub(crate) const COSINE: &[ParamSpec] = &[ParamSpec::required_int("t_max"), ETA_MIN];
pub(crate) const COSINE_WARM_RESTARTS: &[ParamSpec] = &[
    ParamSpec::required_int("t_0"),
    ParamSpec::int("t_mult", 1),
    ETA_MIN,
];
pub(crate) const LINEAR: &[ParamSpec] = &[
    ParamSpec::num("start_factor", 1.0 / 3.0, Range::FACTOR),
    ParamSpec::num("end_factor", 1.0, Range::UNIT),
    ParamSpec::int("total_iters", 5),
];
pub(crate) const CONSTANT: &[ParamSpec] = &[
    ParamSpec::num("factor", 1.0 / 3.0, Range::FACTOR),
    ParamSpec::int("total_iters", 5),
];
pub(crate) const POLYNOMIAL: &[ParamSpec] = &[
    ParamSpec::int("total_iters", 5),
    ParamSpec::num("power", 1.0, Range::NON_NEGATIVE),
];
pub(crate) const SEQUENTIAL: &[ParamSpec] = &[
    ParamSpec::make("schedulers", ParamKind::ScheduleList, None, Range::ANY),
    MILESTONES,
];
pub(crate) const ANNEAL_STRATEGIES: &[&str] = &["cos", "linear"];
pub(crate) const ONECYCLE: &[ParamSpec] = &[
    ParamSpec::required_num("max_lr", Range::POSITIVE),
    ParamSpec::required_int("total_steps"),
    ParamSpec::num("pct_start", 0.3, Range::UNIT),
    ParamSpec {
        choices: ANNEAL_STRATEGIES,
        ..ParamSpec::make(
            "anneal_strategy",
            ParamKind::Choice,
            Some(DefaultValue::Text("cos")),
            Range::ANY,
        )
    },
    ParamSpec::flag("cycle_momentum", true),
    ParamSpec::num("base_momentum", 0.85, Range::UNIT_OPEN),
    ParamSpec::num("max_momentum", 0.95, Range::UNIT_OPEN),
    ParamSpec::num("div_factor", 25.0, Range::POSITIVE),
    ParamSpec::num("final_div_factor", 1e4, Range::POSITIVE),
    ParamSpec::flag("three_phase", false),
];

/// Every optimizer: adding one means a row here and its rule file (ARCHITECTURE.md).
const OPTIMIZERS: &[Spec] = &[
    Spec::torch("sgd", "SGD", SGD, gpu(0, 1)),
    Spec::torch("adagrad", "Adagrad", ADAGRAD, gpu(3, 1)),
    Spec::torch("rmsprop", "RMSprop", RMSPROP, gpu(2, 3)),
    Spec::torch("adam", "Adam", ADAM, gpu(1, 3)),
    Spec::torch("adamw", "AdamW", ADAMW, gpu(1, 3)),
    Spec::torch("nadam", "NAdam", NADAM, None),
    Spec::torch("radam", "RAdam", RADAM, None),
    Spec::torch("adamax", "Adamax", ADAMAX, None),
    Spec::torch("adadelta", "Adadelta", ADADELTA, None).lr_factor(),
    Spec::lecture("adagrad", "Adagrad", LECTURE_ADAGRAD),
    Spec::lecture("rmsprop", "RMSprop", LECTURE_RMSPROP),
];

const SCHEDULES: &[Spec] = &[
    Spec::torch("step", "StepLR", STEP, None),
    Spec::torch("multistep", "MultiStepLR", MULTISTEP, None),
    Spec::torch("exponential", "ExponentialLR", EXPONENTIAL, None),
    Spec::torch("cosine", "CosineAnnealingLR", COSINE, None),
    Spec::torch(
        "cosine_warm_restarts",
        "CosineAnnealingWarmRestarts",
        COSINE_WARM_RESTARTS,
        None,
    ),
    Spec::torch("linear", "LinearLR", LINEAR, None),
    Spec::torch("constant", "ConstantLR", CONSTANT, None),
    Spec::torch("polynomial", "PolynomialLR", POLYNOMIAL, None),
    Spec::torch("sequential", "SequentialLR", SEQUENTIAL, None),
    Spec::torch("onecycle", "OneCycleLR", ONECYCLE, None),
];

/// Every optimizer (torch's names, plus the two lecture variants) with its settable parameters,
/// torch's defaults and accepted ranges.
pub fn optimizer_specs() -> &'static [Spec] {
    OPTIMIZERS
}

/// Every learning-rate schedule with its parameters (`default: None` means required).
pub fn schedule_specs() -> &'static [Spec] {
    SCHEDULES
}

/// The names in a table, for "expected one of" messages.
pub(crate) fn names(specs: &[Spec]) -> String {
    let mut out: Vec<&str> = Vec::new();
    for s in specs {
        if !out.contains(&s.name) {
            out.push(s.name);
        }
    }
    out.join(", ")
}

/// The spec of `name` in `table`.
///
/// # Panics
/// When `name` is missing: a programming error in this module, caught by its tests.
pub(crate) fn find(table: &'static [ParamSpec], name: &str) -> &'static ParamSpec {
    table
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no parameter `{name}` in the spec table"))
}
