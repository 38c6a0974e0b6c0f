//! A claim as measured conditions: each has a name, the measured value, a comparison and a
//! threshold, so a failing claim says exactly which number missed and by how much.

use serde::Serialize;

/// One measured condition, e.g. "final loss" 0.003 `<` 0.01.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Condition {
    pub name: String,
    pub value: f64,
    /// `<`, `>`, `<=` or `>=`.
    pub op: &'static str,
    pub threshold: f64,
    pub pass: bool,
}

/// The measured result of a scene's claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    pub scene: String,
    pub pass: bool,
    pub conditions: Vec<Condition>,
    /// Further measured numbers that explain the picture (not conditions).
    pub measured: serde_json::Map<String, serde_json::Value>,
    /// Measured tables a scene plots, each at the top level of the JSON (e.g. `points`).
    #[serde(flatten)]
    pub tables: serde_json::Map<String, serde_json::Value>,
}

/// Collects conditions and measurements while a check runs.
#[derive(Debug, Default)]
pub struct Claim {
    conditions: Vec<Condition>,
    measured: serde_json::Map<String, serde_json::Value>,
    tables: serde_json::Map<String, serde_json::Value>,
}

impl Claim {
    fn require(&mut self, name: &str, value: f64, op: &'static str, threshold: f64, pass: bool) {
        self.conditions.push(Condition {
            name: name.to_string(),
            value,
            op,
            threshold,
            pass: pass && !value.is_nan(),
        });
    }

    /// Require `value < threshold`.
    pub fn less(&mut self, name: &str, value: f64, threshold: f64) {
        self.require(name, value, "<", threshold, value < threshold);
    }

    /// Require `value > threshold`.
    pub fn greater(&mut self, name: &str, value: f64, threshold: f64) {
        self.require(name, value, ">", threshold, value > threshold);
    }

    /// Record a number that is shown but not judged.
    pub fn measure(&mut self, name: &str, value: impl Serialize) {
        self.measured.insert(
            name.to_string(),
            serde_json::to_value(value).unwrap_or(serde_json::Value::Null),
        );
    }

    /// Record a table the scene plots (a top-level field of the check's JSON).
    pub fn table(&mut self, name: &str, rows: impl Serialize) {
        self.tables.insert(
            name.to_string(),
            serde_json::to_value(rows).unwrap_or(serde_json::Value::Null),
        );
    }

    pub fn finish(self, scene: &str) -> Check {
        Check {
            scene: scene.to_string(),
            pass: !self.conditions.is_empty() && self.conditions.iter().all(|c| c.pass),
            conditions: self.conditions,
            measured: self.measured,
            tables: self.tables,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claim_fails_when_any_condition_fails_or_is_not_finite() {
        let mut c = Claim::default();
        c.less("a", 1.0, 2.0);
        assert!(c.finish("s").pass);
        let mut c = Claim::default();
        c.less("a", 1.0, 2.0);
        c.greater("b", 1.0, 2.0);
        let check = c.finish("s");
        assert!(!check.pass);
        assert!(!check.conditions[1].pass);
        let mut c = Claim::default();
        c.less("nan", f64::NAN, 2.0);
        assert!(!c.finish("s").pass);
        assert!(!Claim::default().finish("empty").pass);
    }
}
