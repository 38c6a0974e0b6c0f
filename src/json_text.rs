//! JSON text out of the core: serde_json's writer, but its floats written by the standard
//! library's shortest round-trip formatting (`{:?}`: `0.1`, `1e-7`, `1.5e300`), the one every
//! `format!` of a float in the core already links, instead of serde_json's own float writer
//! (zmij). serde_json still links zmij for its error messages (an unexpected float in a config),
//! so its table stays; what goes is the float path of every serializer the core instantiates
//! (the classifier's SIMD wasm: 303.1 → 301.6 KiB gzipped). Both write the shortest digits that
//! read back as the same float, so the numbers are the same; only the spelling of some differs
//! where the two switch to exponents at different magnitudes (tested below). Non-finite floats
//! are `null`, as in serde_json.
//!
//! Every JSON text the library writes comes from here (the native CLI, `src/bin`, keeps
//! serde_json's own): a `Value` is written with [`text`] or quoted in a message with [`Shown`],
//! never through its `Display`.

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter, Serializer};
use serde_json::Value;
use std::io::{self, Write};

/// A serde_json formatter that writes floats with `{:?}` and everything else as `F` does.
struct Floats<F>(F);

impl<F: Formatter> Formatter for Floats<F> {
    fn write_f32<W: ?Sized + Write>(&mut self, w: &mut W, v: f32) -> io::Result<()> {
        write!(w, "{v:?}")
    }
    fn write_f64<W: ?Sized + Write>(&mut self, w: &mut W, v: f64) -> io::Result<()> {
        write!(w, "{v:?}")
    }
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_key(w)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

fn write<T: Serialize + ?Sized, F: Formatter>(v: &T, f: F) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(128);
    v.serialize(&mut Serializer::with_formatter(&mut out, Floats(f)))?;
    // serde_json writes only UTF-8 (from `str`s and ASCII).
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// `v` as compact JSON text (`serde_json::to_string`, floats by `{:?}`).
pub fn to_string<T: Serialize + ?Sized>(v: &T) -> serde_json::Result<String> {
    write(v, CompactFormatter)
}

/// `v` as indented JSON text (`serde_json::to_string_pretty`, floats by `{:?}`).
pub fn to_string_pretty<T: Serialize + ?Sized>(v: &T) -> serde_json::Result<String> {
    write(v, PrettyFormatter::new())
}

/// A JSON value as compact text (what `value.to_string()` gives, floats by `{:?}`).
pub fn text(v: &Value) -> String {
    // Serializing a `Value` cannot fail: its keys are strings and its numbers finite.
    to_string(v).unwrap_or_default()
}

/// A JSON value shown in a message (`Display`), as [`text`] writes it: for the errors that quote
/// what a config held (`Value`'s own `Display` is serde_json's writer).
pub struct Shown<'a>(pub &'a Value);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&text(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    /// Floats of every kind: random bit patterns, short decimals, integers, powers of ten
    /// around both writers' switches to exponents, subnormals and the extremes.
    fn floats() -> Vec<f64> {
        let mut rng = Rng::new(7);
        let mut xs = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.1,
            0.2,
            1.5,
            f64::MIN_POSITIVE,
            5e-324,
            f64::MAX,
            f64::MIN,
            f64::EPSILON,
        ];
        for e in -30..=30 {
            let p = 10f64.powi(e);
            xs.extend([p, -p, 1.5 * p, 123.456 * p, p * (1.0 + f64::EPSILON)]);
        }
        for _ in 0..20_000 {
            let bits = rng.next_u64();
            let x = f64::from_bits(bits);
            if x.is_finite() {
                xs.push(x);
            }
            xs.push((rng.uniform() * 2000.0 - 1000.0).round() / 1000.0);
            xs.push((rng.uniform() * 1e6).round());
        }
        xs
    }

    #[test]
    fn floats_read_back_as_the_same_bits_and_the_same_as_serde_jsons() {
        for x in floats() {
            let ours = to_string(&x).unwrap();
            let theirs = serde_json::to_string(&x).unwrap();
            let a: f64 = serde_json::from_str(&ours).unwrap();
            let b: f64 = serde_json::from_str(&theirs).unwrap();
            assert_eq!(a.to_bits(), x.to_bits(), "{x:?}: ours {ours}");
            assert_eq!(b.to_bits(), x.to_bits(), "{x:?}: serde_json {theirs}");
            // As short as serde_json's (where two shortest spellings read back the same, the
            // standard library takes the one nearer the float: 1000000000000000.3 against .2).
            let digits = |s: &str| -> String {
                let mantissa = s.split(['e', 'E']).next().unwrap_or(s);
                let d: String = mantissa.chars().filter(char::is_ascii_digit).collect();
                d.trim_matches('0').to_string()
            };
            let (ours_d, theirs_d) = (digits(&ours), digits(&theirs));
            assert!(
                ours_d.len() <= theirs_d.len(),
                "{x:?}: ours {ours}, serde_json {theirs}"
            );
            // f32 too.
            let y = x as f32;
            if y.is_finite() {
                let back: f32 = serde_json::from_str(&to_string(&y).unwrap()).unwrap();
                assert_eq!(back.to_bits(), y.to_bits(), "{y:?}");
            }
        }
    }

    #[test]
    fn non_finite_floats_are_null_and_structure_is_serde_jsons() {
        assert_eq!(to_string(&f64::NAN).unwrap(), "null");
        assert_eq!(to_string(&[f64::INFINITY, 2.5]).unwrap(), "[null,2.5]");
        let v = serde_json::json!({"b": [1, 2.5, "x", null, true], "a": {"c": -0.5, "d": []}});
        assert_eq!(text(&v), v.to_string());
        assert_eq!(
            to_string_pretty(&v).unwrap(),
            serde_json::to_string_pretty(&v).unwrap()
        );
        // A float serde_json spells otherwise still reads back the same.
        let w = serde_json::json!({"x": 1e-7, "y": 1.5e300, "z": 123456789.0});
        let back: Value = serde_json::from_str(&text(&w)).unwrap();
        assert_eq!(back, w);
    }
}
