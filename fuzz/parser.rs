//! Fuzzes the formula parser: random and mutated strings (from a corpus of valid formulas and
//! the presets) for a while; any panic, or an error span outside the input, fails. The loop is
//! `fuzz/harness.rs`. `cargo test` runs it for 3 s; `cargo xtask fuzz --seconds N` for longer
//! (OPTISCAPE_FUZZ_SECONDS, OPTISCAPE_FUZZ_SEED).

mod harness;
mod rng;

use harness::{Rng, Settings};
use optiscape::expr::Formula;
use optiscape::Error;

const CORPUS: &[&str] = &[
    "x",
    "-x^2",
    "2^3^2",
    "x^-2",
    "x^4/3",
    ".5*x + 1e-3*y",
    "(1-x)^2+100*(y-x^2)^2",
    "sin(x)*cos(y)",
    "tan(x) + exp(-y) + log(x^2+1) + sqrt(abs(y))",
    "tanh(x) - atan(y) + sinh(x) * cosh(y)",
    "sigmoid(x) + softplus(y)",
    "min(x, y) + max(x^2, y^2) + pow(x, 3)",
    "pi * e * x",
    "((((x + y))))",
    "log(0) + sqrt(-1) + 1/0",
    "x^0.5 + y^-0.5",
    "-(-(-x))",
    "+x - +y",
];

/// Pieces that mutations insert: tokens, near-misses and awkward bytes.
const PIECES: &[&str] = &[
    "x",
    "y",
    "+",
    "-",
    "*",
    "/",
    "^",
    "(",
    ")",
    ",",
    " ",
    "\t",
    "\n",
    "sin(",
    "sni(",
    "max(",
    "pow(",
    "pi",
    "e",
    "2x",
    "1e308",
    "1e-400",
    "1e",
    "0.",
    ".",
    "..",
    "9999999999999999999999999",
    "é",
    "∑",
    "\u{0}",
    "😀",
    "(((",
    ")))",
    "^^",
    "**",
    "--",
    "x(",
    ")(",
    "abs",
    "sigmoid(",
    "min(x,",
    ",,",
];

/// A byte index of `s` on a char boundary.
fn boundary(rng: &mut Rng, s: &str) -> usize {
    let mut i = rng.below(s.len() + 1);
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn mutate(rng: &mut Rng, seeds: &[String]) -> String {
    let mut s = rng.pick(seeds).clone();
    for _ in 0..1 + rng.below(4) {
        match rng.below(9) {
            0..=2 => {
                let at = boundary(rng, &s);
                let piece = *rng.pick(PIECES);
                s.insert_str(at, piece);
            }
            3 => {
                let (a, b) = (boundary(rng, &s), boundary(rng, &s));
                s.replace_range(a.min(b)..a.max(b), "");
            }
            4 => {
                let (a, b) = (boundary(rng, &s), boundary(rng, &s));
                let piece = s[a.min(b)..a.max(b)].to_string();
                let at = boundary(rng, &s);
                s.insert_str(at, &piece);
            }
            5 => {
                let other = rng.pick(seeds).clone();
                let (a, b) = (boundary(rng, &s), boundary(rng, &other));
                s = format!("{}{}", &s[..a], &other[b..]);
            }
            6 => {
                let k = rng.below(600);
                s = format!("{}{s}{}", "(".repeat(k), ")".repeat(rng.below(k + 2)));
            }
            7 => {
                let k = rng.below(600);
                let op = *rng.pick(&["-", "+", "sin(", "x^", "-x^"]);
                s = format!("{}{s}", op.repeat(k));
            }
            _ => {
                let bytes: Vec<u8> = (0..rng.below(24))
                    .map(|_| 32 + rng.below(95) as u8)
                    .collect();
                s.push_str(&String::from_utf8(bytes).unwrap_or_default());
            }
        }
    }
    if rng.one_in(200) {
        s = s.repeat(4096 / s.len().max(1) + 1);
    }
    s
}

/// Parses `s` and, when it parses, evaluates everything a formula offers.
fn exercise(s: &str) -> Result<bool, String> {
    match Formula::parse(s) {
        Ok(f) => {
            for (x, y) in [(0.0, 0.0), (1.5, -2.0), (-1e3, 1e-3), (f64::NAN, 1.0)] {
                f.value(x, y);
                f.gradient(x, y);
                f.hessian(x, y);
            }
            let mut grid = Vec::new();
            f.eval_grid([-1.0, 1.0], [-1.0, 1.0], 4, 3, &mut grid);
            if grid.len() != 12 {
                return Err(format!(
                    "eval_grid gave {} values for a 4x3 grid",
                    grid.len()
                ));
            }
            Ok(true)
        }
        Err(Error::Formula { problem, span }) => {
            let message = problem.to_string();
            if span.start > span.end || span.end > s.len() {
                return Err(format!(
                    "span {span:?} outside the input of {} bytes",
                    s.len()
                ));
            }
            if message.is_empty() {
                return Err("an empty error message".into());
            }
            Ok(false)
        }
        Err(other) => Err(format!("a formula error of the wrong kind: {other:?}")),
    }
}

fn main() {
    harness::main_of("the formula parser", &[("parser", &parser)]);
}

fn parser(settings: &Settings) -> u64 {
    let mut seeds: Vec<String> = CORPUS.iter().map(|s| s.to_string()).collect();
    seeds.extend(
        optiscape::surface::presets()
            .iter()
            .map(|p| p.formula.to_string()),
    );
    harness::fuzz(
        "parser",
        settings,
        &seeds.clone(),
        |rng| mutate(rng, &seeds),
        exercise,
    )
}
