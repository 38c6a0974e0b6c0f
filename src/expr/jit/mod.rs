//! Compiling a formula's tape to a small WebAssembly module, so that a typed formula runs as
//! fast as hand-written code instead of through the tape's interpreter.
//!
//! The tape is run once over [`Sym`], a scalar that records each operation instead of doing
//! it; the number types (`f64` values, `Dual`, `HyperDual`) are the same generic code the tape
//! computes with, so the recording is operation for operation what the tape does. The record
//! is encoded as a wasm module with one kind of function: `value` (and `grid`, the value over a
//! whole grid in one loop), `grad` or `hess`. The transcendental functions are imported from
//! the app's own module (the same `sin`, `exp`, `pow` the tape calls), so the results are bit
//! for bit the tape's; `tests/web.rs` checks it over random formulas. Only constants are folded,
//! plus `x·1`, `x/1`, `x−0` and `x+(−0)`, which are exact.
//!
//! In the browser (`load`, wasm32 only) the module is instantiated against the app's memory and
//! its function put into the app's function table; a formula switches from its tape to it after
//! a few calls, and stays on the tape where compiling fails.

#[cfg(target_arch = "wasm32")]
mod load;
mod record;
mod wasm;

#[cfg(target_arch = "wasm32")]
pub use load::Cache;
pub use record::Sym;

use super::tape::Tape;

/// What a compiled module computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `value(x, y) -> f64` and `grid(x0, dx, nx, y0, dy, ny, out)`.
    Value,
    /// `grad(x, y, out) -> f64`: the value, and the gradient written to `out[0..2]`.
    Gradient,
    /// `hess(x, y, out) -> f64`: the value, and `[gx, gy, hxx, hxy, hyy]` written to `out`.
    Hessian,
}

/// One of the app's math functions a compiled module imports (module `m`, this name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Math {
    Sin,
    Cos,
    Tan,
    Exp,
    Ln,
    Ln1p,
    Tanh,
    Atan,
    Sinh,
    Cosh,
    Pow,
}

impl Math {
    pub const ALL: [Math; 11] = [
        Math::Sin,
        Math::Cos,
        Math::Tan,
        Math::Exp,
        Math::Ln,
        Math::Ln1p,
        Math::Tanh,
        Math::Atan,
        Math::Sinh,
        Math::Cosh,
        Math::Pow,
    ];

    /// The import's name.
    pub fn name(self) -> &'static str {
        match self {
            Math::Sin => "sin",
            Math::Cos => "cos",
            Math::Tan => "tan",
            Math::Exp => "exp",
            Math::Ln => "ln",
            Math::Ln1p => "ln_1p",
            Math::Tanh => "tanh",
            Math::Atan => "atan",
            Math::Sinh => "sinh",
            Math::Cosh => "cosh",
            Math::Pow => "pow",
        }
    }

    /// The function itself, with the tape's arithmetic (`powf` takes two arguments).
    pub fn apply(self, a: f64, b: f64) -> f64 {
        match self {
            Math::Sin => a.sin(),
            Math::Cos => a.cos(),
            Math::Tan => a.tan(),
            Math::Exp => a.exp(),
            Math::Ln => a.ln(),
            Math::Ln1p => a.ln_1p(),
            Math::Tanh => a.tanh(),
            Math::Atan => a.atan(),
            Math::Sinh => a.sinh(),
            Math::Cosh => a.cosh(),
            Math::Pow => a.powf(b),
        }
    }
}

/// A compiled module: its bytes, and the math functions it imports (in import order).
#[derive(Debug, Clone)]
pub struct Module {
    pub bytes: Vec<u8>,
    pub imports: Vec<Math>,
}

/// Tapes longer than this stay interpreted (a Hessian record grows about 25 nodes a step).
pub const MAX_TAPE: usize = 400;

/// The module computing `kind` of `tape`, or `None` for a tape too long to be worth it.
pub fn compile(tape: &Tape, kind: Kind) -> Option<Module> {
    if tape.instrs.len() > MAX_TAPE {
        return None;
    }
    let rec = record::record(tape, kind);
    Some(wasm::encode(&rec, kind))
}

#[cfg(test)]
mod tests;
