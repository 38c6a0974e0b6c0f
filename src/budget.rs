//! The cost model: how much work a request asks for, counted before any of it is done, and how
//! much each way in may ask. A link or an embed comes from a page we do not control, so it gets
//! the smallest limits ([`Limits::LINK`]); the page's own controls may go further (with a
//! warning: [`Limits::CONTROLS`]); the CLI has its own defaults, each raised by a flag
//! ([`Limits::CLI`]). Going over a limit is [`Error::TooMuchWork`], which names what was asked,
//! how much, the limit and how to raise it.
//!
//! Three units: optimizer steps on a 2-D surface (runs or grid cells × steps), multiply-adds of
//! network arithmetic (parameters × rows, three per weight and row for a training pass: one
//! forward, two backward), and bytes of output.

use crate::error::{Error, OverBudget, Result};

/// What a cost counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Optimizer steps on a 2-D surface.
    Steps,
    /// Multiply-adds of network arithmetic.
    MultiplyAdds,
    /// Bytes of output.
    Bytes,
}

impl Unit {
    /// The stable code name (the catalogs' `error.unit.<name>`).
    pub fn name(self) -> &'static str {
        match self {
            Unit::Steps => "optimizer_steps",
            Unit::MultiplyAdds => "multiply_adds",
            Unit::Bytes => "bytes",
        }
    }
}

/// Every `what` a [`Cost`] may name (the catalogs' `error.work.<what>`).
pub const WHATS: [&str; 8] = [
    "trajectory",
    "phase_sweep",
    "runs",
    "training",
    "landscape",
    "classifier",
    "curvature_piece",
    "landscape_piece",
];

/// Every way to ask for more ([`Raise`] as the catalogs' `error.raise.<name>`).
pub const RAISES: [&str; 3] = ["flag", "controls", "smaller"];

/// Every unit (the catalogs' `error.unit.<name>`).
pub const UNITS: [Unit; 3] = [Unit::Steps, Unit::MultiplyAdds, Unit::Bytes];

/// Work a request asks for: `amount` of `unit` for `what` (a code name: `trajectory`,
/// `phase_sweep`, `runs`, `training`, `classifier`), with the product it comes from in words.
#[derive(Clone, Debug, PartialEq)]
pub struct Cost {
    pub what: &'static str,
    pub unit: Unit,
    pub amount: f64,
    /// The factors, e.g. `65536 cells × 20000 steps`.
    pub breakdown: String,
}

impl Cost {
    /// `count` things (runs, cells) of `steps` optimizer steps each.
    pub fn steps(what: &'static str, count: usize, noun: &str, steps: usize) -> Cost {
        Cost {
            what,
            unit: Unit::Steps,
            amount: count as f64 * steps as f64,
            breakdown: format!("{count} {noun} × {steps} steps"),
        }
    }

    /// Training a network of `params` parameters on `rows` rows for `epochs` epochs, three
    /// multiply-adds per weight and row (forward, and the two products of the backward pass).
    pub fn training(params: usize, rows: usize, epochs: usize) -> Cost {
        Cost {
            what: "training",
            unit: Unit::MultiplyAdds,
            amount: 3.0 * params as f64 * rows as f64 * epochs as f64,
            breakdown: format!("3 × {params} parameters × {rows} rows × {epochs} epochs"),
        }
    }

    /// One piece of a curvature job on a page: `products` Hessian-vector products (or
    /// gradients) over `rows` rows, about six multiply-adds per parameter and row each (a
    /// forward and a backward pass in dual numbers).
    pub fn curvature_piece(params: usize, rows: usize, products: usize) -> Cost {
        Cost {
            what: "curvature_piece",
            unit: Unit::MultiplyAdds,
            amount: 6.0 * params as f64 * rows as f64 * products as f64,
            breakdown: format!("6 × {params} parameters × {rows} rows × {products} products"),
        }
    }

    /// One piece of a loss landscape on a page: the loss at one point of the plane, a forward
    /// pass over `rows` rows.
    pub fn landscape_piece(params: usize, rows: usize) -> Cost {
        Cost {
            what: "landscape_piece",
            unit: Unit::MultiplyAdds,
            amount: params as f64 * rows as f64,
            breakdown: format!("{params} parameters × {rows} rows"),
        }
    }

    /// `bytes` of output (at most), `breakdown` saying how they were counted.
    pub fn output(what: &'static str, bytes: f64, breakdown: String) -> Cost {
        Cost {
            what,
            unit: Unit::Bytes,
            amount: bytes,
            breakdown,
        }
    }
}

/// How the user can ask for more: a CLI flag, the page's own controls (not a link), or
/// nothing but a smaller request (a page's pieces of work).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Raise {
    Flag(&'static str),
    Controls,
    Smaller,
}

/// How much of each unit one request may ask for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    pub steps: f64,
    pub multiply_adds: f64,
    pub bytes: f64,
}

impl Limits {
    /// A link or an embed: what a page answers in a second or two in wasm.
    pub const LINK: Limits = Limits {
        steps: 2e7,
        multiply_adds: 2e9,
        bytes: 64.0 * 1024.0 * 1024.0,
    };
    /// The page's own controls: up to what the controls allow, with a warning above
    /// [`Limits::LINK`].
    pub const CONTROLS: Limits = Limits {
        steps: 2e9,
        multiply_adds: 1e13,
        bytes: 1024.0 * 1024.0 * 1024.0,
    };
    /// One piece of a page's long job (a Hessian-vector product, a point of a loss landscape):
    /// about 50 ms in wasm, so that a Pause or a Cancel is answered between two pieces within
    /// 100 ms. A job whose pieces are larger does not run on the page.
    pub const PIECE: Limits = Limits {
        steps: 2e5,
        multiply_adds: 5e7,
        bytes: 16.0 * 1024.0 * 1024.0,
    };
    /// The CLI's defaults (`--max-steps`, `--max-work`, `--max-output` raise them): seconds of
    /// work and an output a terminal or a file can hold.
    pub const CLI: Limits = Limits {
        steps: 1e8,
        multiply_adds: 1e11,
        bytes: 256.0 * 1024.0 * 1024.0,
    };

    /// The limit for `unit`.
    pub fn of(&self, unit: Unit) -> f64 {
        match unit {
            Unit::Steps => self.steps,
            Unit::MultiplyAdds => self.multiply_adds,
            Unit::Bytes => self.bytes,
        }
    }

    /// `Ok` when `cost` is within the limit of its unit, else [`Error::TooMuchWork`] saying
    /// how to raise it.
    pub fn check(&self, cost: &Cost, raise: Raise) -> Result<()> {
        debug_assert!(WHATS.contains(&cost.what), "{} is not in WHATS", cost.what);
        let limit = self.of(cost.unit);
        // NaN (a product of nothing sensible) is refused too.
        if cost.amount <= limit {
            return Ok(());
        }
        Err(Error::TooMuchWork(Box::new(OverBudget {
            what: cost.what.to_string(),
            unit: cost.unit.name().to_string(),
            amount: amount_text(cost.amount),
            limit: amount_text(limit),
            breakdown: cost.breakdown.clone(),
            raise: match raise {
                Raise::Flag(flag) => flag.to_string(),
                Raise::Controls => "controls".to_string(),
                Raise::Smaller => "smaller".to_string(),
            },
        })))
    }
}

/// An amount as people read it: whole numbers below a million, else `6.55e11`.
pub fn amount_text(v: f64) -> String {
    if !v.is_finite() {
        return "more than 1e308".to_string();
    }
    if v.abs() < 1e6 {
        return format!("{}", v.round());
    }
    let s = format!("{v:.2e}");
    // 1.00e8 → 1e8, 6.50e9 → 6.5e9.
    match s.split_once('e') {
        Some((m, e)) => {
            let m = m.trim_end_matches('0').trim_end_matches('.');
            format!("{m}e{e}")
        }
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_people_write_them() {
        assert_eq!(amount_text(65536.0), "65536");
        assert_eq!(amount_text(1e8), "1e8");
        assert_eq!(amount_text(6.5536e11), "6.55e11");
        assert_eq!(amount_text(f64::INFINITY), "more than 1e308");
    }

    #[test]
    fn a_cost_over_the_limit_names_what_how_much_and_the_flag() {
        let cost = Cost::steps("phase_sweep", 65536, "cells", 20000);
        let e = Limits::CLI
            .check(&cost, Raise::Flag("--max-steps"))
            .unwrap_err();
        let text = e.to_string();
        assert!(text.contains("1.31e9 optimizer steps"), "{text}");
        assert!(text.contains("65536 cells × 20000 steps"), "{text}");
        assert!(text.contains("1e8"), "{text}");
        assert!(text.contains("--max-steps"), "{text}");
        let d = e.data();
        assert_eq!(d["kind"], "too_much_work");
        assert_eq!(d["unit"], "optimizer_steps");
        assert_eq!(d["raise"], "--max-steps");
        // A negative control: within the limit is fine.
        let small = Cost::steps("phase_sweep", 16, "cells", 100);
        assert!(Limits::CLI
            .check(&small, Raise::Flag("--max-steps"))
            .is_ok());
        // NaN is never within a limit.
        let nan = Cost {
            amount: f64::NAN,
            ..small
        };
        assert!(Limits::CLI.check(&nan, Raise::Controls).is_err());
    }

    #[test]
    fn the_link_limits_are_the_smallest() {
        for unit in [Unit::Steps, Unit::MultiplyAdds, Unit::Bytes] {
            assert!(Limits::LINK.of(unit) <= Limits::CLI.of(unit));
            assert!(Limits::CLI.of(unit) <= Limits::CONTROLS.of(unit));
        }
    }
}
