//! The fast value-only path: evaluate a tape over a whole grid, one instruction at a time
//! over a row of points, so each instruction is a tight loop the compiler can vectorize.

use super::func::Func;
use super::tape::{Instr, Operand, Tape};

/// Apply `f` elementwise from one input row to the output row.
#[inline]
fn map1(out: &mut [f64], a: &[f64], f: impl Fn(f64) -> f64) {
    for (o, &a) in out.iter_mut().zip(a) {
        *o = f(a);
    }
}

/// Apply `f` elementwise from two input rows to the output row.
#[inline]
fn map2(out: &mut [f64], a: &[f64], b: &[f64], f: impl Fn(f64, f64) -> f64) {
    for ((o, &a), &b) in out.iter_mut().zip(a).zip(b) {
        *o = f(a, b);
    }
}

/// `min`/`max` of two values as the point evaluation computes them: the winner, NaN if either
/// is NaN, and at a tie the first (so `min(-0, 0)` is the same here and at a point).
#[inline]
fn min_max(max: bool, a: f64, b: f64) -> f64 {
    let (a_wins, b_wins) = if max { (a > b, b > a) } else { (a < b, b < a) };
    if a_wins {
        a
    } else if b_wins {
        b
    } else if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a
    }
}

/// The spacing of `n` points over `r`, both ends included.
pub(super) fn step(r: [f64; 2], n: usize) -> f64 {
    if n > 1 {
        (r[1] - r[0]) / (n - 1) as f64
    } else {
        0.0
    }
}

impl Tape {
    /// Evaluate one row: `xs` are the x values, `y` is shared; `scratch` holds one row per slot.
    fn eval_row(&self, xs: &[f64], y: f64, scratch: &mut [f64], out: &mut [f64]) {
        let n = xs.len();
        for (k, ins) in self.instrs.iter().enumerate() {
            let (before, after) = scratch.split_at_mut(k * n);
            let o = &mut after[..n];
            let row = |i: u32| &before[i as usize * n..(i as usize + 1) * n];
            match *ins {
                Instr::X => o.copy_from_slice(xs),
                Instr::Y => o.fill(y),
                Instr::Const(c) => o.fill(c),
                Instr::Add(a, b) => map2(o, row(a), row(b), |a, b| a + b),
                Instr::Sub(a, b) => map2(o, row(a), row(b), |a, b| a - b),
                Instr::Mul(a, b) => map2(o, row(a), row(b), |a, b| a * b),
                Instr::Div(a, b) => map2(o, row(a), row(b), |a, b| a / b),
                Instr::AddC(a, c) => map1(o, row(a), |a| a + c),
                Instr::RSubC(c, a) => map1(o, row(a), |a| c - a),
                Instr::MulC(a, c) => map1(o, row(a), |a| a * c),
                Instr::DivC(a, c) => map1(o, row(a), |a| a / c),
                Instr::RDivC(c, a) => map1(o, row(a), |a| (1.0 / a) * c),
                Instr::Neg(a) => map1(o, row(a), |a| -a),
                Instr::PowC(a, 2.0) => map1(o, row(a), |a| a * a),
                Instr::PowC(a, 3.0) => map1(o, row(a), |a| a * a * a),
                Instr::PowC(a, c) => map1(o, row(a), |a| super::func::pow_const(a, c)),
                Instr::Pow(a, b) => map2(o, row(a), row(b), f64::powf),
                Instr::Func(Func::Exp, a) => map1(o, row(a), f64::exp),
                Instr::Func(f, a) => map1(o, row(a), |a| f.value(a)),
                Instr::Min(a, b) => map2(o, row(a), row(b), |a, b| min_max(false, a, b)),
                Instr::Max(a, b) => map2(o, row(a), row(b), |a, b| min_max(true, a, b)),
            }
        }
        match self.result {
            Operand::Const(c) => out.fill(c),
            Operand::Slot(i) => out.copy_from_slice(&scratch[i as usize * n..(i as usize + 1) * n]),
        }
    }

    /// Values on an `nx × ny` grid over `x × y` (both ends included), row-major: row j has
    /// y = y0 + j·(y1−y0)/(ny−1), column i has x = x0 + i·(x1−x0)/(nx−1). `out` is resized.
    pub fn eval_grid(&self, x: [f64; 2], y: [f64; 2], nx: usize, ny: usize, out: &mut Vec<f64>) {
        out.clear();
        out.resize(nx * ny, 0.0);
        if nx == 0 || ny == 0 {
            return;
        }
        let (dx, dy) = (step(x, nx), step(y, ny));
        let xs: Vec<f64> = (0..nx).map(|i| x[0] + i as f64 * dx).collect();
        let mut scratch = vec![0.0; self.instrs.len() * nx];
        for (j, row) in out.chunks_exact_mut(nx).enumerate() {
            self.eval_row(&xs, y[0] + j as f64 * dy, &mut scratch, row);
        }
    }
}
