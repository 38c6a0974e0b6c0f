//! The formula language: parse text into a compiled tape, then evaluate value, exact gradient
//! and exact Hessian at a point (forward mode), or values over a whole grid (fast path).
//!
//! The grammar and precedence are those of the reference data (`-x^2 = -(x^2)`, `^` is
//! right-associative, `x^-2 = x^(-2)`), plus `pi`, `e`, `atan sinh cosh sigmoid softplus`,
//! `min max pow` and `**` as a synonym of `^`. Derivatives follow torch's conventions at kinks
//! (`abs'(0) = 0`, a tie of `min`/`max` splits the gradient in half).

mod func;
mod grid;
pub mod jit;
mod lexer;
mod num;
mod parser;
mod scalar;
mod tape;

pub use func::{Func, NAMES};
pub use num::{Dual, HyperDual, Num};
pub use parser::{MAX_DEPTH, MAX_LEN};
pub use scalar::{Choose, Scalar};
pub use tape::{Instr, Operand, Tape};

use crate::error::Result;

/// A parsed and compiled formula f(x, y). In wasm, a formula in use is compiled further, to
/// a small wasm module of its own ([`jit`]), with the same results bit for bit.
#[derive(Debug, Clone, PartialEq)]
pub struct Formula {
    source: String,
    tape: Tape,
    #[cfg(target_arch = "wasm32")]
    jit: jit::Cache,
}

impl Formula {
    /// Parse `src`. Errors are [`crate::Error::Formula`] with the byte span of the problem.
    pub fn parse(src: &str) -> Result<Formula> {
        Ok(Formula {
            source: src.to_string(),
            tape: parser::compile(src)?,
            #[cfg(target_arch = "wasm32")]
            jit: jit::Cache::default(),
        })
    }

    /// The text the formula was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The compiled tape.
    pub fn tape(&self) -> &Tape {
        &self.tape
    }

    /// The formula's compiled code (wasm only).
    #[cfg(target_arch = "wasm32")]
    pub fn jit(&self) -> &jit::Cache {
        &self.jit
    }

    /// f(x, y).
    #[inline]
    pub fn value(&self, x: f64, y: f64) -> f64 {
        #[cfg(target_arch = "wasm32")]
        if let Some(v) = self.jit.value(&self.tape, x, y) {
            return v;
        }
        self.tape.eval::<f64>(x, y)
    }

    /// f and its exact gradient at (x, y).
    #[inline]
    pub fn gradient(&self, x: f64, y: f64) -> (f64, [f64; 2]) {
        #[cfg(target_arch = "wasm32")]
        if let Some(d) = self.jit.gradient(&self.tape, x, y) {
            return d;
        }
        let d = self.tape.eval::<Dual>(x, y);
        (d.v, d.g)
    }

    /// f, its gradient and its exact (symmetric) Hessian at (x, y).
    pub fn hessian(&self, x: f64, y: f64) -> (f64, [f64; 2], [[f64; 2]; 2]) {
        #[cfg(target_arch = "wasm32")]
        if let Some((v, g, h)) = self.jit.hessian(&self.tape, x, y) {
            return (v, g, [[h[0], h[1]], [h[1], h[2]]]);
        }
        let d = self.tape.eval::<HyperDual>(x, y);
        (d.v, d.g, [[d.h[0], d.h[1]], [d.h[1], d.h[2]]])
    }

    /// Values on an `nx × ny` grid (see [`Tape::eval_grid`] for the layout).
    pub fn eval_grid(&self, x: [f64; 2], y: [f64; 2], nx: usize, ny: usize, out: &mut Vec<f64>) {
        #[cfg(target_arch = "wasm32")]
        if nx > 0 && ny > 0 {
            let (dx, dy) = (grid::step(x, nx), grid::step(y, ny));
            out.clear();
            out.resize(nx * ny, 0.0);
            if self.jit.grid(&self.tape, x[0], dx, nx, y[0], dy, ny, out) {
                return;
            }
        }
        self.tape.eval_grid(x, y, nx, ny, out)
    }
}

impl std::str::FromStr for Formula {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self> {
        Formula::parse(s)
    }
}

#[cfg(test)]
mod tests;
