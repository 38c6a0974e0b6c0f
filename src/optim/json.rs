//! Reading config objects from JSON with torch's defaults and messages that name the key.
//! Unknown keys are errors (like serde's `deny_unknown_fields`); torch's bookkeeping keys pass.

use serde_json::{Map, Value};

use super::spec::{find, DefaultValue, ParamSpec};
use crate::json_text::Shown;
use crate::{Error, Result};

/// A JSON object being read against a spec table; `what` (e.g. "optimizer `adam`") goes into
/// every message.
pub(crate) struct Reader<'a> {
    what: String,
    map: &'a Map<String, Value>,
    table: &'static [ParamSpec],
}

impl<'a> Reader<'a> {
    /// Check that every key of `map` is `name`, one of `extra` or in `table`.
    pub(crate) fn new(
        what: String,
        map: &'a Map<String, Value>,
        table: &'static [ParamSpec],
        extra: &[&str],
    ) -> Result<Self> {
        for key in map.keys() {
            let known = key == "name"
                || extra.contains(&key.as_str())
                || table.iter().any(|s| s.name == key);
            if !known {
                let expected: Vec<String> = table.iter().map(|s| format!("`{}`", s.name)).collect();
                return Err(Error::Config(format!(
                    "unknown field `{key}` in {what}, expected one of {}",
                    expected.join(", ")
                )));
            }
        }
        Ok(Reader { what, map, table })
    }

    fn get(&self, name: &str) -> Result<Option<&'a Value>> {
        match self.map.get(name) {
            Some(v) => Ok(Some(v)),
            None if find(self.table, name).default.is_some() => Ok(None),
            None => Err(Error::Config(format!(
                "missing field `{name}` in {}",
                self.what
            ))),
        }
    }

    fn default(&self, name: &str) -> DefaultValue {
        find(self.table, name)
            .default
            .unwrap_or_else(|| panic!("`{name}` has no default"))
    }

    /// A float (torch's default when absent).
    pub(crate) fn number(&self, name: &str) -> Result<f64> {
        match self.get(name)? {
            Some(v) => v
                .as_f64()
                .ok_or_else(|| Error::invalid(name, Shown(v), "a number")),
            None => match self.default(name) {
                DefaultValue::Number(x) => Ok(x),
                DefaultValue::Integer(n) => Ok(n as f64),
                other => panic!("`{name}` default {other:?} is not a number"),
            },
        }
    }

    /// A whole number >= 0 (`30` or `30.0`).
    pub(crate) fn integer(&self, name: &str) -> Result<usize> {
        match self.get(name)? {
            Some(v) => {
                as_count(v).ok_or_else(|| Error::invalid(name, Shown(v), "a whole number >= 0"))
            }
            None => match self.default(name) {
                DefaultValue::Integer(n) => Ok(n),
                other => panic!("`{name}` default {other:?} is not an integer"),
            },
        }
    }

    /// `true` or `false`.
    pub(crate) fn flag(&self, name: &str) -> Result<bool> {
        match self.get(name)? {
            Some(v) => v
                .as_bool()
                .ok_or_else(|| Error::invalid(name, Shown(v), "true or false")),
            None => match self.default(name) {
                DefaultValue::Bool(b) => Ok(b),
                other => panic!("`{name}` default {other:?} is not a bool"),
            },
        }
    }

    /// A pair of numbers such as `"betas": [0.9, 0.999]`.
    pub(crate) fn pair(&self, name: &str) -> Result<[f64; 2]> {
        match self.get(name)? {
            Some(v) => match v.as_array().map(|a| a.as_slice()) {
                Some([a, b]) => match (a.as_f64(), b.as_f64()) {
                    (Some(a), Some(b)) => Ok([a, b]),
                    _ => Err(Error::invalid(name, Shown(v), "a pair of numbers")),
                },
                _ => Err(Error::invalid(name, Shown(v), "a pair of numbers")),
            },
            None => match self.default(name) {
                DefaultValue::Pair(p) => Ok(p),
                other => panic!("`{name}` default {other:?} is not a pair"),
            },
        }
    }

    /// A string out of the spec's `choices`.
    pub(crate) fn choice(&self, name: &str) -> Result<&'a str> {
        let spec = find(self.table, name);
        match self.get(name)? {
            Some(v) => match v.as_str() {
                Some(s) => spec
                    .choices
                    .iter()
                    .find(|c| **c == s)
                    .map(|_| s)
                    .ok_or_else(|| Error::invalid(name, Shown(v), &quoted(spec.choices))),
                None => Err(Error::invalid(name, Shown(v), &quoted(spec.choices))),
            },
            None => match self.default(name) {
                DefaultValue::Text(t) => Ok(t),
                other => panic!("`{name}` default {other:?} is not text"),
            },
        }
    }

    /// A list of whole numbers (required).
    pub(crate) fn integers(&self, name: &str) -> Result<Vec<usize>> {
        let v = self.get(name)?.unwrap_or(&Value::Null);
        let bad = || Error::invalid(name, Shown(v), "a list of whole numbers");
        v.as_array()
            .ok_or_else(bad)?
            .iter()
            .map(|x| as_count(x).ok_or_else(bad))
            .collect()
    }

    /// A list of raw values (required), read by the caller.
    pub(crate) fn list(&self, name: &str) -> Result<&'a [Value]> {
        let v = self.get(name)?.unwrap_or(&Value::Null);
        v.as_array()
            .map(|a| a.as_slice())
            .ok_or_else(|| Error::invalid(name, Shown(v), "a list"))
    }
}

/// A config's `entries()` as a JSON object. Inserted one by one (a later key replaces an
/// earlier one, as collecting does): collecting sorts the pairs first, and that sort is one more
/// copy of the standard library's in the wasm.
pub(crate) fn object(entries: Vec<(&'static str, Value)>) -> Value {
    let mut map = Map::new();
    for (k, v) in entries {
        map.insert(k.to_string(), v);
    }
    Value::Object(map)
}

/// The object behind `value` and its `name` key, for configs tagged by name.
pub(crate) fn tagged<'a>(
    value: &'a Value,
    kind: &str,
) -> Result<(&'a Map<String, Value>, &'a str)> {
    let map = value.as_object().ok_or_else(|| {
        Error::Config(format!(
            "{kind} config must be an object with a `name`, got {}",
            Shown(value)
        ))
    })?;
    let name = match map.get("name") {
        Some(Value::String(s)) => s.as_str(),
        Some(other) => {
            return Err(Error::invalid(
                "name",
                Shown(other),
                &format!("the {kind}'s name"),
            ))
        }
        None => {
            return Err(Error::Config(format!(
                "missing field `name` in {kind} config {}",
                Shown(value)
            )))
        }
    };
    Ok((map, name))
}

fn as_count(v: &Value) -> Option<usize> {
    if let Some(n) = v.as_u64() {
        return usize::try_from(n).ok();
    }
    let x = v.as_f64()?;
    // Whole floats such as 30.0 are accepted; 2^53 keeps the conversion exact.
    (x >= 0.0 && x.fract() == 0.0 && x <= 9.007_199_254_740_992e15).then_some(x as usize)
}

fn quoted(choices: &[&str]) -> String {
    let q: Vec<String> = choices.iter().map(|c| format!("\"{c}\"")).collect();
    format!("one of {}", q.join(", "))
}

/// A typed config field: read from JSON with its default, written back, range-checked.
pub(crate) trait Field: Sized {
    fn read(r: &Reader<'_>, name: &str) -> Result<Self>;
    fn to_value(&self) -> Value;
    fn check(&self, table: &'static [ParamSpec], name: &str) -> Result<()>;
}

impl Field for f64 {
    fn read(r: &Reader<'_>, name: &str) -> Result<Self> {
        r.number(name)
    }
    fn to_value(&self) -> Value {
        Value::from(*self)
    }
    fn check(&self, table: &'static [ParamSpec], name: &str) -> Result<()> {
        find(table, name).range.check(name, *self).map(|_| ())
    }
}

impl Field for bool {
    fn read(r: &Reader<'_>, name: &str) -> Result<Self> {
        r.flag(name)
    }
    fn to_value(&self) -> Value {
        Value::from(*self)
    }
    fn check(&self, _: &'static [ParamSpec], _: &str) -> Result<()> {
        Ok(())
    }
}

impl Field for usize {
    fn read(r: &Reader<'_>, name: &str) -> Result<Self> {
        r.integer(name)
    }
    fn to_value(&self) -> Value {
        Value::from(*self)
    }
    fn check(&self, table: &'static [ParamSpec], name: &str) -> Result<()> {
        let range = find(table, name).range;
        if range.contains(*self as f64) {
            Ok(())
        } else {
            Err(Error::invalid_as(name, self, range.expected_as(true)))
        }
    }
}

/// `betas`: each entry in the table's range; errors name `betas[0]` or `betas[1]`.
impl Field for [f64; 2] {
    fn read(r: &Reader<'_>, name: &str) -> Result<Self> {
        r.pair(name)
    }
    fn to_value(&self) -> Value {
        Value::from(self.to_vec())
    }
    fn check(&self, table: &'static [ParamSpec], name: &str) -> Result<()> {
        let range = find(table, name).range;
        for (i, b) in self.iter().enumerate() {
            range.check(&format!("{name}[{i}]"), *b)?;
        }
        Ok(())
    }
}

/// Milestones: whole numbers >= 1, strictly increasing.
impl Field for Vec<usize> {
    fn read(r: &Reader<'_>, name: &str) -> Result<Self> {
        r.integers(name)
    }
    fn to_value(&self) -> Value {
        Value::from(self.clone())
    }
    fn check(&self, _: &'static [ParamSpec], name: &str) -> Result<()> {
        let increasing = self.windows(2).all(|w| w[0] < w[1]);
        if increasing && self.iter().all(|&m| m >= 1) {
            Ok(())
        } else {
            Err(Error::invalid(
                name,
                format!("{self:?}"),
                "strictly increasing whole numbers >= 1",
            ))
        }
    }
}

/// Declares a config struct whose fields are read, written and range-checked through the
/// spec table `$table` (field names are the JSON keys).
macro_rules! settings {
    (
        $(#[$meta:meta])*
        pub struct $name:ident($table:path) {
            $($(#[$fmeta:meta])* pub $field:ident: $ty:ty,)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: $ty,)*
        }

        impl $name {
            #[allow(dead_code)]
            pub(crate) const TABLE: &'static [$crate::optim::spec::ParamSpec] = $table;

            pub(crate) fn read(r: &$crate::optim::json::Reader<'_>) -> $crate::Result<Self> {
                Ok(Self {
                    $($field: $crate::optim::json::Field::read(r, stringify!($field))?,)*
                })
            }

            pub(crate) fn entries(&self) -> Vec<(&'static str, serde_json::Value)> {
                vec![$((
                    stringify!($field),
                    $crate::optim::json::Field::to_value(&self.$field),
                ),)*]
            }

            pub(crate) fn check_ranges(&self) -> $crate::Result<()> {
                $($crate::optim::json::Field::check(&self.$field, $table, stringify!($field))?;)*
                Ok(())
            }
        }
    };
}
pub(crate) use settings;

/// Read a settings struct with every key at its default (for `Default` impls).
pub(crate) fn defaults<T>(
    table: &'static [ParamSpec],
    read: impl Fn(&Reader<'_>) -> Result<T>,
) -> T {
    let empty = Map::new();
    Reader::new(String::new(), &empty, table, &[])
        .and_then(|r| read(&r))
        .expect("every key of this table has a default")
}
