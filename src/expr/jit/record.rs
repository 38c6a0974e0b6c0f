//! The recording scalar: running the tape over [`Sym`] writes down every operation as a node.

use super::super::num::{value_num, Dual, HyperDual, Num};
use super::super::scalar::Scalar;
use super::super::tape::Tape;
use super::{Kind, Math};
use std::cell::RefCell;
use std::ops::{Add, Div, Mul, Neg, Sub};

/// An arithmetic operation of two f64 operands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bin {
    Add,
    Sub,
    Mul,
    Div,
}

/// An operation of one f64 operand that is a single wasm instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Un {
    Neg,
    Sqrt,
    Abs,
}

/// One recorded operation; operands are earlier nodes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Node {
    /// x (0) or y (1).
    Param(u8),
    Const(f64),
    Bin(Bin, u32, u32),
    Un(Un, u32),
    /// An imported function of one argument (`Math::Pow` takes the second one too).
    Call(Math, u32, u32),
    /// `cond ? a : b` (cond is a boolean node).
    Select(u32, u32, u32),
    // Boolean nodes.
    Lt(u32, u32),
    Gt(u32, u32),
    EitherNan(u32, u32),
    BoolConst(bool),
}

impl Node {
    /// Whether the node is a boolean (an i32 in wasm).
    pub fn is_bool(&self) -> bool {
        matches!(
            self,
            Node::Lt(..) | Node::Gt(..) | Node::EitherNan(..) | Node::BoolConst(_)
        )
    }

    /// The nodes it reads.
    pub fn operands(&self) -> Vec<u32> {
        match *self {
            Node::Param(_) | Node::Const(_) | Node::BoolConst(_) => vec![],
            Node::Un(_, a) => vec![a],
            Node::Call(m, a, b) => {
                if m == Math::Pow {
                    vec![a, b]
                } else {
                    vec![a]
                }
            }
            Node::Bin(_, a, b) | Node::Lt(a, b) | Node::Gt(a, b) | Node::EitherNan(a, b) => {
                vec![a, b]
            }
            Node::Select(c, a, b) => vec![c, a, b],
        }
    }
}

thread_local! {
    static NODES: RefCell<Vec<Node>> = const { RefCell::new(Vec::new()) };
}

fn push(n: Node) -> u32 {
    NODES.with(|v| {
        let mut v = v.borrow_mut();
        v.push(n);
        v.len() as u32 - 1
    })
}

fn node(i: u32) -> Node {
    NODES.with(|v| v.borrow()[i as usize])
}

/// A recorded f64: the index of the node that computes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sym(pub u32);

/// A recorded comparison.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SymBool(u32);

impl Default for Sym {
    /// A slot not written yet (the tape writes every slot before reading it).
    fn default() -> Self {
        Sym(u32::MAX)
    }
}

impl Sym {
    fn constant(self) -> Option<f64> {
        match node(self.0) {
            Node::Const(c) => Some(c),
            _ => None,
        }
    }

    fn bin(op: Bin, a: Sym, b: Sym) -> Sym {
        match (a.constant(), b.constant()) {
            (Some(x), Some(y)) => Sym::c(match op {
                Bin::Add => x + y,
                Bin::Sub => x - y,
                Bin::Mul => x * y,
                Bin::Div => x / y,
            }),
            // Exact for every operand, signed zeros and NaN included.
            (_, Some(y)) if (op == Bin::Mul || op == Bin::Div) && y == 1.0 => a,
            (Some(x), _) if op == Bin::Mul && x == 1.0 => b,
            (_, Some(y)) if op == Bin::Sub && y.to_bits() == 0 => a,
            (_, Some(y)) if op == Bin::Add && y.to_bits() == (-0.0f64).to_bits() => a,
            (Some(x), _) if op == Bin::Add && x.to_bits() == (-0.0f64).to_bits() => b,
            _ => Sym(push(Node::Bin(op, a.0, b.0))),
        }
    }

    fn un(op: Un, a: Sym) -> Sym {
        match a.constant() {
            Some(x) => Sym::c(match op {
                Un::Neg => -x,
                Un::Sqrt => x.sqrt(),
                Un::Abs => x.abs(),
            }),
            None => Sym(push(Node::Un(op, a.0))),
        }
    }

    fn call(m: Math, a: Sym, b: Sym) -> Sym {
        let b_const = if m == Math::Pow {
            b.constant()
        } else {
            Some(0.0)
        };
        match (a.constant(), b_const) {
            (Some(x), Some(y)) => Sym::c(m.apply(x, y)),
            _ => Sym(push(Node::Call(m, a.0, b.0))),
        }
    }

    fn cmp(a: Sym, b: Sym, node: fn(u32, u32) -> Node, f: fn(f64, f64) -> bool) -> SymBool {
        match (a.constant(), b.constant()) {
            (Some(x), Some(y)) => SymBool(push(Node::BoolConst(f(x, y)))),
            _ => SymBool(push(node(a.0, b.0))),
        }
    }
}

macro_rules! sym_op {
    ($tr:ident, $f:ident, $op:expr) => {
        impl $tr for Sym {
            type Output = Sym;
            #[inline]
            fn $f(self, o: Sym) -> Sym {
                Sym::bin($op, self, o)
            }
        }
    };
}
sym_op!(Add, add, Bin::Add);
sym_op!(Sub, sub, Bin::Sub);
sym_op!(Mul, mul, Bin::Mul);
sym_op!(Div, div, Bin::Div);

impl Neg for Sym {
    type Output = Sym;
    fn neg(self) -> Sym {
        Sym::un(Un::Neg, self)
    }
}

impl Scalar for Sym {
    type Bool = SymBool;
    fn c(v: f64) -> Self {
        Sym(push(Node::Const(v)))
    }
    fn lt(self, o: Self) -> SymBool {
        Sym::cmp(self, o, Node::Lt, |a, b| a < b)
    }
    fn gt(self, o: Self) -> SymBool {
        Sym::cmp(self, o, Node::Gt, |a, b| a > b)
    }
    fn either_nan(self, o: Self) -> SymBool {
        Sym::cmp(self, o, Node::EitherNan, |a, b| a.is_nan() || b.is_nan())
    }
    fn select(c: SymBool, a: Self, b: Self) -> Self {
        match node(c.0) {
            Node::BoolConst(true) => a,
            Node::BoolConst(false) => b,
            _ if a == b => a,
            _ => Sym(push(Node::Select(c.0, a.0, b.0))),
        }
    }
    fn sqrt(self) -> Self {
        Sym::un(Un::Sqrt, self)
    }
    fn abs(self) -> Self {
        Sym::un(Un::Abs, self)
    }
    fn sin(self) -> Self {
        Sym::call(Math::Sin, self, self)
    }
    fn cos(self) -> Self {
        Sym::call(Math::Cos, self, self)
    }
    fn tan(self) -> Self {
        Sym::call(Math::Tan, self, self)
    }
    fn exp(self) -> Self {
        Sym::call(Math::Exp, self, self)
    }
    fn ln(self) -> Self {
        Sym::call(Math::Ln, self, self)
    }
    fn ln_1p(self) -> Self {
        Sym::call(Math::Ln1p, self, self)
    }
    fn tanh(self) -> Self {
        Sym::call(Math::Tanh, self, self)
    }
    fn atan(self) -> Self {
        Sym::call(Math::Atan, self, self)
    }
    fn sinh(self) -> Self {
        Sym::call(Math::Sinh, self, self)
    }
    fn cosh(self) -> Self {
        Sym::call(Math::Cosh, self, self)
    }
    fn powf(self, e: Self) -> Self {
        Sym::call(Math::Pow, self, e)
    }
}

value_num!(Sym);

/// A recorded function: its nodes, and the nodes of its outputs (the value first).
#[derive(Debug, Clone)]
pub struct Record {
    pub nodes: Vec<Node>,
    pub outputs: Vec<u32>,
}

fn run<N: Num<S = Sym>>(tape: &Tape) -> N {
    let x = Sym(push(Node::Param(0)));
    let y = Sym(push(Node::Param(1)));
    let mut slots = vec![N::default(); tape.instrs.len()];
    tape.run(&mut slots, x, y)
}

/// Records `kind` of `tape`.
pub fn record(tape: &Tape, kind: Kind) -> Record {
    NODES.with(|v| v.borrow_mut().clear());
    let outputs = match kind {
        Kind::Value => vec![run::<Sym>(tape).0],
        Kind::Gradient => {
            let d: Dual<Sym> = run(tape);
            vec![d.v.0, d.g[0].0, d.g[1].0]
        }
        Kind::Hessian => {
            let d: HyperDual<Sym> = run(tape);
            [d.v, d.g[0], d.g[1], d.h[0], d.h[1], d.h[2]]
                .iter()
                .map(|s| s.0)
                .collect()
        }
    };
    let nodes = NODES.with(|v| std::mem::take(&mut *v.borrow_mut()));
    Record { nodes, outputs }
}
