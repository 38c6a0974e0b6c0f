//! Splits formula text into tokens, each with its byte span.

use crate::error::{CharHint, Error, FormulaProblem, Result};
use std::ops::Range;

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Num(f64),
    Ident,
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    LParen,
    RParen,
    Comma,
    End,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub span: Range<usize>,
}

pub fn formula_error(problem: FormulaProblem, span: Range<usize>) -> Error {
    Error::Formula { problem, span }
}

/// Tokenize `src`; the last token is always `End`.
pub fn tokenize(src: &str) -> Result<Vec<Token>> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        let single = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'+' => Some(Tok::Plus),
            b'-' => Some(Tok::Minus),
            b'/' => Some(Tok::Slash),
            b'^' => Some(Tok::Caret),
            b'(' => Some(Tok::LParen),
            b')' => Some(Tok::RParen),
            b',' => Some(Tok::Comma),
            b'*' if b.get(i + 1) == Some(&b'*') => {
                // `**` is accepted as `^`, as Python writes it.
                i += 2;
                out.push(Token {
                    tok: Tok::Caret,
                    span: start..i,
                });
                continue;
            }
            b'*' => Some(Tok::Star),
            _ => None,
        };
        if let Some(tok) = single {
            i += 1;
            out.push(Token {
                tok,
                span: start..i,
            });
            continue;
        }
        if c.is_ascii_digit() || c == b'.' {
            i = lex_number(src, start)?;
            let text = &src[start..i];
            let v: f64 = text.parse().map_err(|_| {
                formula_error(
                    FormulaProblem::BadNumber {
                        text: text.to_string(),
                    },
                    start..i,
                )
            })?;
            out.push(Token {
                tok: Tok::Num(v),
                span: start..i,
            });
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Ident,
                span: start..i,
            });
            continue;
        }
        let ch = src[start..].chars().next().unwrap_or('?');
        let end = start + ch.len_utf8();
        let hint = match ch {
            '×' | '·' => Some(CharHint::Times),
            '²' => Some(CharHint::Square),
            '[' | '{' => Some(CharHint::Brackets),
            '=' => Some(CharHint::Equals),
            _ => None,
        };
        return Err(formula_error(
            FormulaProblem::UnexpectedCharacter { ch, hint },
            start..end,
        ));
    }
    out.push(Token {
        tok: Tok::End,
        span: b.len()..b.len(),
    });
    Ok(out)
}

/// Scan a number starting at `start`: `2`, `2.1`, `.5`, `1e-3`. Returns its end.
fn lex_number(src: &str, start: usize) -> Result<usize> {
    let b = src.as_bytes();
    let mut i = start;
    let digits = |i: &mut usize| {
        let s = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - s
    };
    let int_digits = digits(&mut i);
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        frac_digits = digits(&mut i);
    }
    if int_digits == 0 && frac_digits == 0 {
        return Err(formula_error(FormulaProblem::LoneDot, start..i));
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            i = j;
            digits(&mut i);
        } else if j > i + 1 {
            return Err(formula_error(
                FormulaProblem::ExponentWithoutDigits,
                start..j,
            ));
        }
        // otherwise `2e` is 2 followed by the name `e`; the parser reports it.
    }
    if i < b.len() && b[i] == b'.' {
        return Err(formula_error(
            FormulaProblem::ExtraDecimalPoint,
            start..i + 1,
        ));
    }
    Ok(i)
}
