//! The compiled form of a formula: a straight-line list of instructions, one slot each,
//! with constant subtrees folded away while it is built (as Python floats would be).

use super::func::{pow_const, Func};
use super::num::Num;
use super::scalar::Scalar;

/// One instruction; operands are earlier slots (`u32`) or inline constants.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Instr {
    X,
    Y,
    Const(f64),
    Add(u32, u32),
    Sub(u32, u32),
    Mul(u32, u32),
    Div(u32, u32),
    /// `a + c`
    AddC(u32, f64),
    /// `c - a`
    RSubC(f64, u32),
    /// `a * c`
    MulC(u32, f64),
    /// `a / c`
    DivC(u32, f64),
    /// `c / a`, computed as `(1/a)·c` like torch's `scalar / tensor`.
    RDivC(f64, u32),
    Neg(u32),
    /// `a ^ c` for a constant exponent, with torch's special cases (see [`pow_const`]).
    PowC(u32, f64),
    /// `a ^ b` with a variable exponent.
    Pow(u32, u32),
    Func(Func, u32),
    Min(u32, u32),
    Max(u32, u32),
}

/// An operand while building: a folded constant or a slot of the tape.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Operand {
    Const(f64),
    Slot(u32),
}

/// A compiled formula: instructions plus the operand that holds the result.
#[derive(Debug, Clone, PartialEq)]
pub struct Tape {
    pub instrs: Vec<Instr>,
    pub result: Operand,
}

/// Builds a tape, folding operations on constants.
#[derive(Debug, Default)]
pub struct Builder {
    instrs: Vec<Instr>,
    x: Option<u32>,
    y: Option<u32>,
}

impl Builder {
    fn push(&mut self, i: Instr) -> Operand {
        self.instrs.push(i);
        Operand::Slot(self.instrs.len() as u32 - 1)
    }

    fn slot(&mut self, o: Operand) -> u32 {
        match o {
            Operand::Slot(s) => s,
            Operand::Const(c) => match self.push(Instr::Const(c)) {
                Operand::Slot(s) => s,
                Operand::Const(_) => unreachable!("push always returns a slot"),
            },
        }
    }

    pub fn x(&mut self) -> Operand {
        match self.x {
            Some(s) => Operand::Slot(s),
            None => {
                let o = self.push(Instr::X);
                self.x = Some(self.slot(o));
                o
            }
        }
    }

    pub fn y(&mut self) -> Operand {
        match self.y {
            Some(s) => Operand::Slot(s),
            None => {
                let o = self.push(Instr::Y);
                self.y = Some(self.slot(o));
                o
            }
        }
    }

    pub fn add(&mut self, a: Operand, b: Operand) -> Operand {
        use Operand::*;
        match (a, b) {
            (Const(a), Const(b)) => Const(a + b),
            (Slot(a), Const(c)) | (Const(c), Slot(a)) => self.push(Instr::AddC(a, c)),
            (Slot(a), Slot(b)) => self.push(Instr::Add(a, b)),
        }
    }

    pub fn sub(&mut self, a: Operand, b: Operand) -> Operand {
        use Operand::*;
        match (a, b) {
            (Const(a), Const(b)) => Const(a - b),
            (Slot(a), Const(c)) => self.push(Instr::AddC(a, -c)),
            (Const(c), Slot(b)) => self.push(Instr::RSubC(c, b)),
            (Slot(a), Slot(b)) => self.push(Instr::Sub(a, b)),
        }
    }

    pub fn mul(&mut self, a: Operand, b: Operand) -> Operand {
        use Operand::*;
        match (a, b) {
            (Const(a), Const(b)) => Const(a * b),
            (Slot(a), Const(c)) | (Const(c), Slot(a)) => self.push(Instr::MulC(a, c)),
            (Slot(a), Slot(b)) => self.push(Instr::Mul(a, b)),
        }
    }

    pub fn div(&mut self, a: Operand, b: Operand) -> Operand {
        use Operand::*;
        match (a, b) {
            (Const(a), Const(b)) => Const(a / b),
            (Slot(a), Const(c)) => self.push(Instr::DivC(a, c)),
            (Const(c), Slot(b)) => self.push(Instr::RDivC(c, b)),
            (Slot(a), Slot(b)) => self.push(Instr::Div(a, b)),
        }
    }

    pub fn neg(&mut self, a: Operand) -> Operand {
        match a {
            Operand::Const(c) => Operand::Const(-c),
            Operand::Slot(s) => self.push(Instr::Neg(s)),
        }
    }

    pub fn pow(&mut self, a: Operand, b: Operand) -> Operand {
        use Operand::*;
        match (a, b) {
            (Const(a), Const(b)) => Const(a.powf(b)),
            (Slot(a), Const(c)) => self.push(Instr::PowC(a, c)),
            (a, Slot(b)) => {
                let a = self.slot(a);
                self.push(Instr::Pow(a, b))
            }
        }
    }

    pub fn func(&mut self, f: Func, a: Operand) -> Operand {
        match a {
            Operand::Const(c) => Operand::Const(f.value(c)),
            Operand::Slot(s) => self.push(Instr::Func(f, s)),
        }
    }

    pub fn min_max(&mut self, max: bool, a: Operand, b: Operand) -> Operand {
        if let (Operand::Const(a), Operand::Const(b)) = (a, b) {
            return Operand::Const(if max { a.max(b) } else { a.min(b) });
        }
        let (a, b) = (self.slot(a), self.slot(b));
        self.push(if max {
            Instr::Max(a, b)
        } else {
            Instr::Min(a, b)
        })
    }

    pub fn finish(self, result: Operand) -> Tape {
        Tape {
            instrs: self.instrs,
            result,
        }
    }
}

/// `a^c` for a constant c over any number type (derivatives `c·a^(c−1)` as torch's pow backward).
#[inline]
pub fn pow_const_num<N: Num>(a: N, c: f64) -> N {
    let v = a.val();
    if N::ORDER == 0 {
        return N::variable(pow_const(v, c), 0);
    }
    if c == 0.0 {
        return N::constant(1.0);
    }
    let zero = N::S::c(0.0);
    let d1 = N::S::c(c) * pow_const(v, c - 1.0);
    let d2 = if N::ORDER >= 2 {
        if c == 1.0 {
            zero
        } else {
            N::S::c(c * (c - 1.0)) * pow_const(v, c - 2.0)
        }
    } else {
        zero
    };
    a.chain([pow_const(v, c), d1, d2])
}

/// `a^b` with a variable exponent, as `exp(b·ln a)` for the derivatives.
#[inline]
fn pow_num<N: Num>(a: N, b: N) -> N {
    let p = a.val().powf(b.val());
    if N::ORDER == 0 {
        return N::variable(p, 0);
    }
    let l = a.chain(Func::Log.derivatives(a.val(), N::ORDER));
    b.mul(l).chain([p, p, p])
}

/// `min`/`max` with torch's tie rule: at a tie both sides get half the gradient (the value is
/// the tie's value itself, even where `v + v` would overflow).
#[inline]
fn min_max_num<N: Num>(max: bool, a: N, b: N) -> N {
    let (av, bv) = (a.val(), b.val());
    let (a_wins, b_wins) = if max {
        (av.gt(bv), bv.gt(av))
    } else {
        (av.lt(bv), bv.lt(av))
    };
    N::S::choose(
        a_wins,
        || a,
        || {
            N::S::choose(
                b_wins,
                || b,
                || {
                    N::S::choose(
                        av.either_nan(bv),
                        || N::constant(f64::NAN),
                        || a.add(b).mul_c(0.5).with_val(av),
                    )
                },
            )
        },
    )
}

impl Tape {
    /// Evaluate at (x, y) with number type `N`, using `slots` (at least `instrs.len()` long).
    #[inline]
    pub(crate) fn run<N: Num>(&self, slots: &mut [N], x: N::S, y: N::S) -> N {
        for (k, ins) in self.instrs.iter().enumerate() {
            let s = |i: u32| slots[i as usize];
            let v = match *ins {
                Instr::X => N::variable(x, 0),
                Instr::Y => N::variable(y, 1),
                Instr::Const(c) => N::constant(c),
                Instr::Add(a, b) => s(a).add(s(b)),
                Instr::Sub(a, b) => s(a).sub(s(b)),
                Instr::Mul(a, b) => s(a).mul(s(b)),
                Instr::Div(a, b) => s(a).div(s(b)),
                Instr::AddC(a, c) => s(a).add_c(c),
                Instr::RSubC(c, a) => s(a).neg().add_c(c),
                Instr::MulC(a, c) => s(a).mul_c(c),
                Instr::DivC(a, c) => s(a).div(N::constant(c)),
                Instr::RDivC(c, a) => pow_const_num(s(a), -1.0).mul_c(c),
                Instr::Neg(a) => s(a).neg(),
                Instr::PowC(a, c) => pow_const_num(s(a), c),
                Instr::Pow(a, b) => pow_num(s(a), s(b)),
                Instr::Func(f, a) => {
                    let a = s(a);
                    a.chain(f.derivatives(a.val(), N::ORDER))
                }
                Instr::Min(a, b) => min_max_num(false, s(a), s(b)),
                Instr::Max(a, b) => min_max_num(true, s(a), s(b)),
            };
            slots[k] = v;
        }
        match self.result {
            Operand::Const(c) => N::constant(c),
            Operand::Slot(i) => slots[i as usize],
        }
    }

    /// Evaluate at (x, y) with number type `N` (no heap allocation for short tapes; the
    /// scratch slots live on the stack in a size class that fits, as zeroing them is part of
    /// the cost of every call).
    pub fn eval<N: Num<S = f64>>(&self, x: f64, y: f64) -> N {
        let n = self.instrs.len();
        if n <= 16 {
            self.run(&mut [N::default(); 16], x, y)
        } else if n <= 64 {
            self.run(&mut [N::default(); 64], x, y)
        } else {
            self.run(&mut vec![N::default(); n], x, y)
        }
    }
}
