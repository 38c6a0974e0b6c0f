use super::record::{record, Node};
use super::{compile, Kind, Math};
use crate::expr::Formula;

fn rec(src: &str, kind: Kind) -> super::record::Record {
    record(Formula::parse(src).unwrap().tape(), kind)
}

#[test]
fn only_exact_identities_are_folded() {
    // x·1 is x for every x; 0·x is not 0 for x = ∞ or NaN, so it stays.
    let r = rec("x*1 + 0*y", Kind::Value);
    let muls = r
        .nodes
        .iter()
        .filter(|n| matches!(n, Node::Bin(super::record::Bin::Mul, ..)))
        .count();
    // `x*1` folds away when the tape is built; `0*y` is recorded.
    assert_eq!(muls, 1, "{:?}", r.nodes);
    // The gradient of x·y multiplies by the constant 0 and 1 derivatives: the 1s fold, the 0s
    // stay (0·∞ = NaN, as on the tape).
    let g = rec("x*y", Kind::Gradient);
    assert!(g.nodes.iter().any(|n| matches!(n, Node::Bin(..))));
}

#[test]
fn a_module_imports_the_math_it_calls_and_nothing_else() {
    let f = Formula::parse("sin(x) + y^y + exp(x)").unwrap();
    let m = compile(f.tape(), Kind::Value).unwrap();
    assert_eq!(&m.bytes[..8], b"\0asm\x01\0\0\0");
    assert_eq!(m.imports, vec![Math::Sin, Math::Pow, Math::Exp]);
    let r = compile(
        Formula::parse("(1-x)^2+100*(y-x^2)^2").unwrap().tape(),
        Kind::Hessian,
    )
    .unwrap();
    assert!(r.imports.is_empty());
}

#[test]
fn a_tape_too_long_is_left_to_the_interpreter() {
    let long = vec!["x"; super::MAX_TAPE + 2].join("+sin(y)*");
    let f = Formula::parse(&long).unwrap();
    assert!(f.tape().instrs.len() > super::MAX_TAPE);
    assert!(compile(f.tape(), Kind::Value).is_none());
}
