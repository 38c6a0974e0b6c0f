//! Recursive-descent parser that compiles straight to a tape (no syntax tree, so no deep
//! recursion after parsing); nesting depth is bounded, so nothing typed overflows the stack.
//!
//! ```text
//! expr  := term (('+'|'-') term)*
//! term  := unary (('*'|'/') unary)*
//! unary := ('-'|'+') unary | power
//! power := atom ('^' unary)?            # right-associative; binds tighter than unary minus
//! atom  := NUMBER | x | y | pi | e | FUNC '(' expr ')' | min|max|pow '(' expr ',' expr ')' | '(' expr ')'
//! ```

use super::func::{Func, NAMES};
use super::lexer::{formula_error, tokenize, Tok, Token};
use super::tape::{Builder, Operand, Tape};
use crate::error::{FormulaProblem, Result};

/// The longest formula accepted, in bytes.
pub const MAX_LEN: usize = 4096;
/// The deepest nesting accepted (parentheses, function calls, signs, powers).
pub const MAX_DEPTH: usize = 256;

struct Parser<'a> {
    src: &'a str,
    toks: Vec<Token>,
    pos: usize,
    depth: usize,
    b: Builder,
}

/// Parse and compile `src`.
pub fn compile(src: &str) -> Result<Tape> {
    if src.len() > MAX_LEN {
        return Err(formula_error(
            FormulaProblem::TooLong {
                len: src.len(),
                max: MAX_LEN,
            },
            MAX_LEN..src.len(),
        ));
    }
    if src.trim().is_empty() {
        return Err(formula_error(FormulaProblem::Empty, 0..src.len()));
    }
    let mut p = Parser {
        src,
        toks: tokenize(src)?,
        pos: 0,
        depth: 0,
        b: Builder::default(),
    };
    let result = p.expr()?;
    let t = p.peek().clone();
    match t.tok {
        Tok::End => Ok(p.b.finish(result)),
        Tok::RParen => Err(formula_error(
            FormulaProblem::UnbalancedParen,
            t.span.clone(),
        )),
        _ => Err(formula_error(
            FormulaProblem::UnexpectedToken {
                token: p.text(&t).to_string(),
            },
            t.span.clone(),
        )),
    }
}

fn starts_atom(t: &Tok) -> bool {
    matches!(t, Tok::Num(_) | Tok::Ident | Tok::LParen)
}

impl<'a> Parser<'a> {
    fn peek(&self) -> &Token {
        &self.toks[self.pos]
    }

    fn next(&mut self) -> Token {
        let t = self.toks[self.pos].clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn text(&self, t: &Token) -> &'a str {
        &self.src[t.span.clone()]
    }

    fn enter(&mut self, at: &Token) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(formula_error(
                FormulaProblem::TooDeep { max: MAX_DEPTH },
                at.span.clone(),
            ));
        }
        Ok(())
    }

    fn expr(&mut self) -> Result<Operand> {
        let at = self.peek().clone();
        self.enter(&at)?;
        let mut acc = self.term()?;
        loop {
            match self.peek().tok {
                Tok::Plus => {
                    self.next();
                    let r = self.term()?;
                    acc = self.b.add(acc, r);
                }
                Tok::Minus => {
                    self.next();
                    let r = self.term()?;
                    acc = self.b.sub(acc, r);
                }
                _ => break,
            }
        }
        self.depth -= 1;
        Ok(acc)
    }

    fn term(&mut self) -> Result<Operand> {
        let mut acc = self.unary()?;
        loop {
            self.check_implicit_multiplication()?;
            match self.peek().tok {
                Tok::Star => {
                    self.next();
                    let r = self.unary()?;
                    acc = self.b.mul(acc, r);
                }
                Tok::Slash => {
                    self.next();
                    let r = self.unary()?;
                    acc = self.b.div(acc, r);
                }
                _ => break,
            }
        }
        Ok(acc)
    }

    /// `2x`, `x y`, `2(x+1)`, `(x)(y)`: an operand directly after another one.
    fn check_implicit_multiplication(&self) -> Result<()> {
        let next = self.peek();
        if !starts_atom(&next.tok) || self.pos == 0 {
            return Ok(());
        }
        let prev = &self.toks[self.pos - 1];
        let (a, b) = (self.text(prev), self.text(next));
        let b = if next.tok == Tok::LParen { "(…" } else { b };
        Err(formula_error(
            FormulaProblem::MissingOperator {
                left: a.to_string(),
                right: b.to_string(),
            },
            prev.span.start..next.span.end,
        ))
    }

    fn unary(&mut self) -> Result<Operand> {
        let t = self.peek().clone();
        match t.tok {
            Tok::Minus | Tok::Plus => {
                self.next();
                self.enter(&t)?;
                let v = self.unary()?;
                self.depth -= 1;
                Ok(if t.tok == Tok::Minus {
                    self.b.neg(v)
                } else {
                    v
                })
            }
            _ => self.power(),
        }
    }

    fn power(&mut self) -> Result<Operand> {
        let base = self.atom()?;
        let t = self.peek().clone();
        if t.tok != Tok::Caret {
            return Ok(base);
        }
        self.next();
        self.enter(&t)?;
        let exp = self.unary()?;
        self.depth -= 1;
        Ok(self.b.pow(base, exp))
    }

    fn missing_operand(&self, t: &Token) -> crate::Error {
        if self.pos == 0 || t.tok == Tok::End && self.toks.len() == 1 {
            return formula_error(FormulaProblem::ExpectedOperand, t.span.clone());
        }
        let prev = &self.toks[self.pos - 1];
        let left = self.text(prev).to_string();
        let problem = match t.tok {
            Tok::End => FormulaProblem::UnexpectedEnd { left },
            _ => FormulaProblem::MissingOperand {
                left,
                right: self.text(t).to_string(),
            },
        };
        formula_error(problem, prev.span.start..t.span.end)
    }

    fn atom(&mut self) -> Result<Operand> {
        let t = self.peek().clone();
        match t.tok {
            Tok::Num(v) => {
                self.next();
                Ok(Operand::Const(v))
            }
            Tok::LParen => {
                self.next();
                let v = self.expr()?;
                self.expect_close(&t)?;
                Ok(v)
            }
            Tok::Ident => {
                self.next();
                self.name(&t)
            }
            _ => Err(self.missing_operand(&t)),
        }
    }

    fn expect_close(&mut self, open: &Token) -> Result<()> {
        let t = self.peek().clone();
        match t.tok {
            Tok::RParen => {
                self.next();
                Ok(())
            }
            Tok::End => Err(formula_error(
                FormulaProblem::UnclosedParen,
                open.span.clone(),
            )),
            _ => Err(formula_error(
                FormulaProblem::ExpectedClose {
                    found: self.text(&t).to_string(),
                    open_at: open.span.start,
                },
                t.span.clone(),
            )),
        }
    }

    fn name(&mut self, t: &Token) -> Result<Operand> {
        let name = self.text(t);
        match name {
            "x" => return Ok(self.b.x()),
            "y" => return Ok(self.b.y()),
            "pi" => return Ok(Operand::Const(std::f64::consts::PI)),
            "e" => return Ok(Operand::Const(std::f64::consts::E)),
            _ => {}
        }
        let arity = match (Func::from_name(name), name) {
            (Some(_), _) => 1,
            (None, "min" | "max" | "pow") => 2,
            _ => return Err(unknown_name(name, t)),
        };
        let open = self.peek().clone();
        if open.tok != Tok::LParen {
            return Err(formula_error(
                FormulaProblem::FunctionWithoutCall {
                    name: name.to_string(),
                    arity,
                },
                t.span.clone(),
            ));
        }
        self.next();
        self.enter(&open)?;
        let mut args = vec![self.expr()?];
        while self.peek().tok == Tok::Comma {
            self.next();
            args.push(self.expr()?);
        }
        self.depth -= 1;
        self.expect_close(&open)?;
        if args.len() != arity {
            return Err(formula_error(
                FormulaProblem::WrongArity {
                    name: name.to_string(),
                    arity,
                    got: args.len(),
                },
                t.span.start..self.toks[self.pos - 1].span.end,
            ));
        }
        Ok(match (Func::from_name(name), name) {
            (Some(f), _) => self.b.func(f, args[0]),
            (None, "pow") => self.b.pow(args[0], args[1]),
            (None, n) => self.b.min_max(n == "max", args[0], args[1]),
        })
    }
}

fn unknown_name(name: &str, t: &Token) -> crate::Error {
    let lower = name.to_ascii_lowercase();
    let limit = if lower.len() <= 3 { 1 } else { 2 };
    let best = NAMES
        .iter()
        .map(|n| (edit_distance(&lower, n), *n))
        .min()
        .filter(|(d, _)| *d <= limit);
    formula_error(
        FormulaProblem::UnknownIdentifier {
            name: name.to_string(),
            suggestion: best.map(|(_, n)| n.to_string()),
        },
        t.span.clone(),
    )
}

/// Edit distance with adjacent transpositions (optimal string alignment): `sni` → `sin` is 1.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            d[i * w + j] = if i == 0 || j == 0 {
                i + j
            } else {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut v = (d[(i - 1) * w + j] + 1)
                    .min(d[i * w + j - 1] + 1)
                    .min(d[(i - 1) * w + j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    v = v.min(d[(i - 2) * w + j - 2] + 1);
                }
                v
            };
        }
    }
    d[a.len() * w + b.len()]
}
