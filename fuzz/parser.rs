//! Fuzzes the formula parser: random and mutated strings (from a corpus of valid formulas and
//! the presets) for a while; any panic, or an error span outside the input, fails. A plain
//! loop with a small PRNG, no nightly needed. `cargo test` runs it for 3 s; `cargo xtask fuzz
//! --seconds N` for longer (OPTISCAPE_FUZZ_SECONDS, OPTISCAPE_FUZZ_SEED).

use optiscape::expr::Formula;
use optiscape::Error;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

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

/// xorshift64*: small, fast, reproducible from a seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

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
    if rng.below(200) == 0 {
        s = s.repeat(4096 / s.len().max(1) + 1);
    }
    s
}

/// Parses `s` and, when it parses, evaluates everything a formula offers.
fn exercise(s: &str) -> Result<(), String> {
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
            Ok(())
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
            Ok(())
        }
        Err(other) => Err(format!("a formula error of the wrong kind: {other:?}")),
    }
}

fn main() {
    let seconds: f64 = std::env::var("OPTISCAPE_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3.0);
    let seed = std::env::var("OPTISCAPE_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        })
        | 1;
    println!("fuzzing the formula parser for {seconds} s (OPTISCAPE_FUZZ_SEED={seed})");
    let mut seeds: Vec<String> = CORPUS.iter().map(|s| s.to_string()).collect();
    seeds.extend(
        optiscape::surface::presets()
            .iter()
            .map(|p| p.formula.to_string()),
    );
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(seed);
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let mut cases = 0u64;
    while Instant::now() < deadline {
        for _ in 0..256 {
            let input = mutate(&mut rng, &seeds);
            let outcome = catch_unwind(AssertUnwindSafe(|| exercise(&input)));
            let failure = match outcome {
                Ok(Ok(())) => None,
                Ok(Err(why)) => Some(why),
                Err(panic) => Some(format!(
                    "panic: {}",
                    panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default()
                )),
            };
            if let Some(why) = failure {
                let _ = std::panic::take_hook();
                println!("FAILED on input {input:?}: {why}");
                println!("test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out");
                std::process::exit(1);
            }
            cases += 1;
        }
    }
    let _ = std::panic::take_hook();
    println!("fuzz_parser: {cases} cases, no panic");
    println!("test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out");
}
