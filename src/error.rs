//! The one error type of the core: every failure a user can cause, as data.
//! Messages name the field, the value and what was expected; formula errors carry a byte span
//! and what went wrong as a [`FormulaProblem`]. [`Error::data`] is the form JS sees: a stable
//! snake_case `kind` and the fields a translation needs (the English text stays `message`).

use serde_json::{json, Map, Value};
use std::fmt;
use std::ops::Range;

/// Every error the core reports.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A formula could not be parsed; `span` is the byte range of the offending text.
    #[error("formula error at {}..{}: {problem}", span.start, span.end)]
    Formula {
        problem: FormulaProblem,
        span: Range<usize>,
    },
    /// A setting has a value outside what it accepts.
    #[error("invalid value for `{field}`: {value} ({expected})")]
    InvalidValue {
        field: String,
        value: String,
        expected: Expected,
    },
    /// A config could not be read (unknown key, wrong type, bad JSON).
    #[error("invalid config: {0}")]
    Config(String),
    /// Text that is not the JSON expected (`what`: "JSON", "sweep config", "runs", ...).
    #[error("invalid {what}: {message}")]
    Parse { what: String, message: String },
    /// A name (optimizer, schedule, preset, ...) that does not exist.
    #[error("unknown {kind} `{name}`; expected one of: {expected}")]
    UnknownName {
        kind: String,
        name: String,
        expected: String,
    },
    /// Something the caller asked for that cannot be done now (a job not finished, a canvas
    /// without a context, a surface with no finite value in the view).
    #[error("{0}")]
    Unavailable(String),
    /// A failure that is no one's input: a value that could not be written as JSON, say.
    #[error("internal error: {0}")]
    Internal(String),
    /// A request over its budget ([`crate::budget`]).
    #[error("{0}")]
    TooMuchWork(Box<OverBudget>),
}

/// What [`Error::TooMuchWork`] says: `what` asks for `amount` of `unit` (`breakdown` says the
/// product), more than `limit`; `raise` is the CLI flag that raises the limit, or `controls` (a
/// link may not ask for it; the page's controls may).
#[derive(Debug, Clone, PartialEq)]
pub struct OverBudget {
    pub what: String,
    pub unit: String,
    pub amount: String,
    pub limit: String,
    pub breakdown: String,
    pub raise: String,
}

impl fmt::Display for OverBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "too much work: the {} asks for {} {} ({}), more than the {} allowed; {}",
            self.what.replace('_', " "),
            self.amount,
            self.unit
                .replace("multiply_adds", "multiply-adds")
                .replace('_', " "),
            self.breakdown,
            self.limit,
            raise_text(&self.raise)
        )
    }
}

/// How to ask for more, in English.
fn raise_text(raise: &str) -> String {
    if raise == "controls" {
        "a link may not ask for more: set it with the page's own controls".to_string()
    } else {
        format!("{raise} N raises the limit")
    }
}

/// What a value must be, for [`Error::InvalidValue`]: free English text, or one of the common
/// shapes as data (so a translation can say it in full). `Display` is the English text.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    /// Free text.
    Text(String),
    /// A whole number from `min` to `max` of `unit` ("values", "steps"), e.g. "1 to 256 values".
    Count {
        min: usize,
        max: usize,
        unit: String,
    },
    /// Two finite numbers `min < max` (an axis range).
    Ordered,
    /// A number above 0 on a logarithmic axis.
    PositiveOnLog,
    /// A view box: finite bounds with x0 < x1 and y0 < y1.
    ViewBox,
    /// A value other than the one of `other` (a field name).
    DifferentFrom { other: String },
    /// A number.
    Number,
    /// A finite number (`whole`: a whole number) within `bounds` in math notation: `[0, 1)`
    /// (`two_sided`), `>= 1`, or empty for any.
    Bounded {
        whole: bool,
        bounds: String,
        two_sided: bool,
    },
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expected::Text(s) => f.write_str(s),
            Expected::Count { min, max, unit } => write!(f, "{min} to {max} {unit}"),
            Expected::Ordered => f.write_str("finite numbers with min < max"),
            Expected::PositiveOnLog => f.write_str("> 0 on a log axis"),
            Expected::ViewBox => f.write_str("finite bounds with x0 < x1 and y0 < y1"),
            Expected::DifferentFrom { other } => write!(f, "a different parameter than {other}"),
            Expected::Number => f.write_str("a number"),
            Expected::Bounded {
                whole,
                bounds,
                two_sided,
            } => {
                let noun = if *whole {
                    "a whole number"
                } else {
                    "a finite number"
                };
                match (bounds.is_empty(), two_sided) {
                    (true, _) => f.write_str(noun),
                    (false, true) => write!(f, "{noun} in {bounds}"),
                    (false, false) => write!(f, "{noun} {bounds}"),
                }
            }
        }
    }
}

impl From<&str> for Expected {
    fn from(s: &str) -> Self {
        Expected::Text(s.to_string())
    }
}

impl From<&String> for Expected {
    fn from(s: &String) -> Self {
        Expected::Text(s.clone())
    }
}

impl From<String> for Expected {
    fn from(s: String) -> Self {
        Expected::Text(s)
    }
}

impl Expected {
    /// JS's form: a string for free text, else `{kind, ...}`.
    pub fn data(&self) -> Value {
        match self {
            Expected::Text(s) => Value::String(s.clone()),
            Expected::Count { min, max, unit } => {
                json!({"kind": "count", "min": min, "max": max, "unit": unit})
            }
            Expected::Ordered => json!({"kind": "ordered"}),
            Expected::PositiveOnLog => json!({"kind": "positive_on_log"}),
            Expected::ViewBox => json!({"kind": "view_box"}),
            Expected::DifferentFrom { other } => json!({"kind": "different_from", "other": other}),
            Expected::Number => json!({"kind": "number"}),
            Expected::Bounded {
                whole,
                bounds,
                two_sided,
            } => {
                let noun = if *whole { "whole" } else { "finite" };
                let shape = match (bounds.is_empty(), two_sided) {
                    (true, _) => "any",
                    (false, true) => "in",
                    (false, false) => "bound",
                };
                json!({"kind": format!("{noun}_{shape}"), "bounds": bounds})
            }
        }
    }
}

/// A hint for an unexpected character in a formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharHint {
    /// `×` or `·`: write `*`.
    Times,
    /// `²`: write `x^2`.
    Square,
    /// `[` or `{`: use round parentheses.
    Brackets,
    /// `=`: type only the right-hand side.
    Equals,
}

impl CharHint {
    fn name(self) -> &'static str {
        match self {
            CharHint::Times => "times",
            CharHint::Square => "square",
            CharHint::Brackets => "brackets",
            CharHint::Equals => "equals",
        }
    }
    fn text(self) -> &'static str {
        match self {
            CharHint::Times => " (write * for multiplication)",
            CharHint::Square => " (write x^2 for a square)",
            CharHint::Brackets => " (use round parentheses)",
            CharHint::Equals => " (type only the right-hand side of f(x, y) = ...)",
        }
    }
}

/// What is wrong with a formula; `Display` is the English message.
#[derive(Debug, Clone, PartialEq)]
pub enum FormulaProblem {
    /// More than `max` bytes.
    TooLong { len: usize, max: usize },
    /// Nothing but spaces.
    Empty,
    /// Text that looks like a number but is not one.
    BadNumber { text: String },
    /// A `.` with no digits.
    LoneDot,
    /// `1e-` with no digits after.
    ExponentWithoutDigits,
    /// `1.2.3`.
    ExtraDecimalPoint,
    /// A character the language does not use.
    UnexpectedCharacter { ch: char, hint: Option<CharHint> },
    /// A `)` with no `(`.
    UnbalancedParen,
    /// A `(` never closed.
    UnclosedParen,
    /// A `)` expected, `found` instead; `open_at` is the byte offset of the `(`.
    ExpectedClose { found: String, open_at: usize },
    /// A token after a complete expression.
    UnexpectedToken { token: String },
    /// Nested deeper than `max`.
    TooDeep { max: usize },
    /// Two operands side by side (`2x`).
    MissingOperator { left: String, right: String },
    /// No operand where one is needed, at the start.
    ExpectedOperand,
    /// The formula ends after an operator.
    UnexpectedEnd { left: String },
    /// No operand between two tokens.
    MissingOperand { left: String, right: String },
    /// A function name without its parentheses.
    FunctionWithoutCall { name: String, arity: usize },
    /// A function called with the wrong number of arguments.
    WrongArity {
        name: String,
        arity: usize,
        got: usize,
    },
    /// A name that is no variable, constant or function; `suggestion` is the closest one.
    UnknownIdentifier {
        name: String,
        suggestion: Option<String>,
    },
}

const OPERAND: &str = "a number, x, y, a function or `(`";

impl fmt::Display for FormulaProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use FormulaProblem::*;
        match self {
            TooLong { len, max } => {
                write!(f, "the formula is too long: {len} bytes (at most {max})")
            }
            Empty => f.write_str("the formula is empty: type an expression in x and y, e.g. x^2 + y^2"),
            BadNumber { text } => write!(f, "`{text}` is not a number"),
            LoneDot => f.write_str("a lone `.` is not a number"),
            ExponentWithoutDigits => {
                f.write_str("the exponent of this number has no digits (write e.g. 1e-3)")
            }
            ExtraDecimalPoint => f.write_str("a number has at most one decimal point"),
            UnexpectedCharacter { ch, hint } => write!(
                f,
                "unexpected character `{ch}`{}",
                hint.map_or("", CharHint::text)
            ),
            UnbalancedParen => f.write_str("this `)` has no matching `(`"),
            UnclosedParen => f.write_str("this `(` is never closed: add a `)`"),
            ExpectedClose { found, open_at } => write!(
                f,
                "expected `)` to close the `(` at {open_at}, found `{found}`"
            ),
            UnexpectedToken { token } => write!(f, "unexpected `{token}` after a complete expression"),
            TooDeep { max } => write!(f, "the formula is nested deeper than {max} levels"),
            MissingOperator { left, right } => write!(
                f,
                "missing operator between `{left}` and `{right}`: write `{left}*{right}` to multiply"
            ),
            ExpectedOperand => write!(f, "expected {OPERAND}"),
            UnexpectedEnd { left } => {
                write!(f, "the formula ends after `{left}`: expected {OPERAND}")
            }
            MissingOperand { left, right } => write!(
                f,
                "missing operand between `{left}` and `{right}`: expected {OPERAND}"
            ),
            FunctionWithoutCall { name, arity } => {
                let example = if *arity == 1 { "(x)" } else { "(x, y)" };
                write!(f, "`{name}` is a function: write {name}{example}")
            }
            WrongArity { name, arity, got } => write!(
                f,
                "`{name}` takes {arity} argument{}, got {got}",
                if *arity == 1 { "" } else { "s" }
            ),
            UnknownIdentifier { name, suggestion } => match suggestion {
                Some(s) => write!(f, "unknown name `{name}`; did you mean `{s}`?"),
                None => write!(
                    f,
                    "unknown name `{name}`; the variables are x and y, the constants pi and e, \
                     the functions sin cos tan exp log sqrt tanh abs atan sinh cosh sigmoid \
                     softplus min max pow"
                ),
            },
        }
    }
}

impl FormulaProblem {
    /// The stable snake_case kind and the fields of this problem.
    fn data(&self) -> (&'static str, Value) {
        use FormulaProblem::*;
        match self {
            TooLong { len, max } => ("formula_too_long", json!({"value": len, "max": max})),
            Empty => ("empty_formula", json!({})),
            BadNumber { text } => ("bad_number", json!({"value": text})),
            LoneDot => ("lone_dot", json!({})),
            ExponentWithoutDigits => ("exponent_without_digits", json!({})),
            ExtraDecimalPoint => ("extra_decimal_point", json!({})),
            UnexpectedCharacter { ch, hint } => (
                "unexpected_character",
                json!({"value": ch.to_string(), "hint": hint.map(CharHint::name)}),
            ),
            UnbalancedParen => ("unbalanced_paren", json!({})),
            UnclosedParen => ("unclosed_paren", json!({})),
            ExpectedClose { found, open_at } => (
                "expected_close",
                json!({"value": found, "open_at": open_at}),
            ),
            UnexpectedToken { token } => ("unexpected_token", json!({"value": token})),
            TooDeep { max } => ("too_deep", json!({"max": max})),
            MissingOperator { left, right } => {
                ("missing_operator", json!({"left": left, "right": right}))
            }
            ExpectedOperand => ("expected_operand", json!({})),
            UnexpectedEnd { left } => ("unexpected_end", json!({"left": left})),
            MissingOperand { left, right } => {
                ("missing_operand", json!({"left": left, "right": right}))
            }
            FunctionWithoutCall { name, arity } => (
                "function_without_call",
                json!({
                    "identifier": name,
                    "arity": arity,
                    "example": if *arity == 1 { "(x)" } else { "(x, y)" },
                }),
            ),
            WrongArity { name, arity, got } => (
                "wrong_arity",
                json!({"identifier": name, "expected": arity, "value": got}),
            ),
            UnknownIdentifier { name, suggestion } => (
                "unknown_identifier",
                json!({"identifier": name, "suggestion": suggestion}),
            ),
        }
    }
}

impl Error {
    /// Shorthand for [`Error::InvalidValue`] with free text for what was expected.
    pub fn invalid(field: &str, value: impl std::fmt::Display, expected: &str) -> Self {
        Error::invalid_as(field, value, Expected::Text(expected.to_string()))
    }

    /// [`Error::InvalidValue`] with what was expected as data.
    pub fn invalid_as(field: &str, value: impl std::fmt::Display, expected: Expected) -> Self {
        Error::InvalidValue {
            field: field.to_string(),
            value: value.to_string(),
            expected,
        }
    }

    /// Shorthand for [`Error::Parse`].
    pub fn parse(what: &str, e: impl std::fmt::Display) -> Self {
        Error::Parse {
            what: what.to_string(),
            message: e.to_string(),
        }
    }

    /// A value that could not be written as JSON ([`Error::Internal`]).
    pub fn internal(e: impl std::fmt::Display) -> Self {
        Error::Internal(e.to_string())
    }

    /// The stable snake_case kind (for a formula error, the kind of its problem).
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Formula { problem, .. } => problem.data().0,
            Error::InvalidValue { .. } => "invalid_value",
            Error::Config(_) => "config",
            Error::Parse { .. } => "parse",
            Error::UnknownName { .. } => "unknown_name",
            Error::Unavailable(_) => "unavailable",
            Error::Internal(_) => "internal",
            Error::TooMuchWork(_) => "too_much_work",
        }
    }

    /// The error as JS sees it: `{kind, message, ...fields}`, `message` the English text. A
    /// name in the input (a formula's unknown name, an unknown optimizer) is `identifier`: JS
    /// errors keep `name` for their own.
    /// Formula errors add `span: {start, end}` and `formula: true` (their `message` is the
    /// problem, without the span's prefix); an invalid value has
    /// `field`, `value` and `expected` (a string, or `{kind, ...}` for the common shapes).
    pub fn data(&self) -> Value {
        let mut out = Map::new();
        out.insert("kind".into(), self.kind().into());
        out.insert("message".into(), self.to_string().into());
        let mut put = |fields: Value| {
            if let Value::Object(m) = fields {
                out.extend(m.into_iter().filter(|(_, v)| !v.is_null()));
            }
        };
        match self {
            Error::Formula { problem, span } => {
                put(problem.data().1);
                // The message JS has always shown: the problem, without the span's prefix.
                put(json!({
                    "formula": true,
                    "message": problem.to_string(),
                    "span": {"start": span.start, "end": span.end},
                }));
            }
            Error::InvalidValue {
                field,
                value,
                expected,
            } => put(json!({"field": field, "value": value, "expected": expected.data()})),
            Error::Config(detail) | Error::Unavailable(detail) | Error::Internal(detail) => {
                put(json!({"detail": detail}))
            }
            Error::Parse { what, message } => put(json!({"field": what, "detail": message})),
            Error::UnknownName {
                kind,
                name,
                expected,
            } => put(json!({
                "field": kind,
                "identifier": name,
                "expected": expected.split(", ").collect::<Vec<_>>(),
            })),
            Error::TooMuchWork(o) => put(json!({
                "field": o.what,
                "unit": o.unit,
                "amount": o.amount,
                "limit": o.limit,
                "detail": o.breakdown,
                "raise": o.raise,
            })),
        }
        Value::Object(out)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(e: &Error) -> Vec<String> {
        let mut k: Vec<String> = e.data().as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    }

    #[test]
    fn every_kind_has_its_fields() {
        let d = Error::invalid("x.n", 0, "1 to 256 values").data();
        assert_eq!(d["kind"], "invalid_value");
        assert_eq!(d["field"], "x.n");
        assert_eq!(d["value"], "0");
        assert_eq!(d["expected"], "1 to 256 values");
        assert_eq!(d["message"], "invalid value for `x.n`: 0 (1 to 256 values)");
        let e = Error::invalid_as(
            "x.n",
            300,
            Expected::Count {
                min: 1,
                max: 256,
                unit: "values".into(),
            },
        );
        assert_eq!(
            e.to_string(),
            "invalid value for `x.n`: 300 (1 to 256 values)"
        );
        assert_eq!(
            e.data()["expected"],
            json!({"kind": "count", "min": 1, "max": 256, "unit": "values"})
        );
        for (exp, kind) in [
            (Expected::Ordered, "ordered"),
            (Expected::PositiveOnLog, "positive_on_log"),
            (Expected::ViewBox, "view_box"),
            (Expected::Number, "number"),
        ] {
            assert_eq!(
                Error::invalid_as("f", 1, exp).data()["expected"]["kind"],
                kind
            );
        }
        let d = Error::invalid_as(
            "y.path",
            "a",
            Expected::DifferentFrom {
                other: "x.path".into(),
            },
        )
        .data();
        assert_eq!(
            d["expected"],
            json!({"kind": "different_from", "other": "x.path"})
        );

        let d = Error::Config("bad".into()).data();
        assert_eq!(
            (d["kind"].as_str(), d["detail"].as_str()),
            (Some("config"), Some("bad"))
        );
        assert_eq!(d["message"], "invalid config: bad");

        let e = Error::parse("sweep config", "expected value at line 1");
        assert_eq!(
            e.to_string(),
            "invalid sweep config: expected value at line 1"
        );
        assert_eq!(keys(&e), ["detail", "field", "kind", "message"]);
        assert_eq!(e.data()["kind"], "parse");

        let e = Error::UnknownName {
            kind: "optimizer".into(),
            name: "adamm".into(),
            expected: "sgd, adam".into(),
        };
        let d = e.data();
        assert_eq!(d["kind"], "unknown_name");
        assert_eq!(d["field"], "optimizer");
        assert_eq!(d["identifier"], "adamm");
        assert_eq!(d["expected"], json!(["sgd", "adam"]));

        for (e, kind) in [
            (Error::Unavailable("not yet".into()), "unavailable"),
            (Error::internal("oops"), "internal"),
        ] {
            assert_eq!(keys(&e), ["detail", "kind", "message"]);
            assert_eq!(e.data()["kind"], kind);
        }
    }

    #[test]
    fn formula_problems_have_kinds_fields_and_the_span() {
        let e = Error::Formula {
            problem: FormulaProblem::UnknownIdentifier {
                name: "sni".into(),
                suggestion: Some("sin".into()),
            },
            span: 0..3,
        };
        let d = e.data();
        assert_eq!(d["kind"], "unknown_identifier");
        assert_eq!(d["identifier"], "sni");
        assert_eq!(d["suggestion"], "sin");
        assert_eq!(d["span"], json!({"start": 0, "end": 3}));
        assert_eq!(d["formula"], true);
        assert_eq!(d["message"], "unknown name `sni`; did you mean `sin`?");
        assert_eq!(
            e.to_string(),
            "formula error at 0..3: unknown name `sni`; did you mean `sin`?"
        );
        let no_hint = FormulaProblem::UnknownIdentifier {
            name: "zz".into(),
            suggestion: None,
        };
        assert!(no_hint.data().1.get("suggestion").unwrap().is_null());
        let d = Error::Formula {
            problem: FormulaProblem::UnexpectedCharacter {
                ch: '×',
                hint: Some(CharHint::Times),
            },
            span: 1..3,
        }
        .data();
        assert_eq!(
            (d["value"].as_str(), d["hint"].as_str()),
            (Some("×"), Some("times"))
        );
        let d = Error::Formula {
            problem: FormulaProblem::WrongArity {
                name: "max".into(),
                arity: 2,
                got: 1,
            },
            span: 0..6,
        }
        .data();
        assert_eq!(
            (
                d["identifier"].as_str(),
                d["expected"].as_u64(),
                d["value"].as_u64()
            ),
            (Some("max"), Some(2), Some(1))
        );
    }
}
