use super::*;
use crate::Error;

fn v(src: &str, x: f64, y: f64) -> f64 {
    Formula::parse(src).unwrap().value(x, y)
}

fn err(src: &str) -> (String, std::ops::Range<usize>) {
    match Formula::parse(src) {
        Err(Error::Formula { problem, span }) => (problem.to_string(), span),
        other => panic!("expected a formula error for {src:?}, got {other:?}"),
    }
}

#[test]
fn precedence_matches_the_reference_grammar() {
    assert_eq!(v("-x^2", 3.0, 0.0), -9.0);
    assert_eq!(v("2^3^2", 0.0, 0.0), 512.0);
    assert_eq!(v("x^-2", 2.0, 0.0), 0.25);
    assert_eq!(v("x^4/3", 3.0, 0.0), 27.0);
    assert_eq!(v("1 - 2 - 3", 0.0, 0.0), -4.0);
    assert_eq!(v("8 / 4 / 2", 0.0, 0.0), 1.0);
    assert_eq!(v(" .5 + 1e-3*x ", 1000.0, 0.0), 1.5);
    assert_eq!(v("--x", 2.0, 0.0), 2.0);
    assert_eq!(v("+x", 2.0, 0.0), 2.0);
    assert_eq!(v("x**2", 3.0, 0.0), 9.0);
    assert_eq!(v("2*-x", 3.0, 0.0), -6.0);
}

#[test]
fn constants_and_functions() {
    assert_eq!(v("pi", 0.0, 0.0), std::f64::consts::PI);
    assert_eq!(v("e", 0.0, 0.0), std::f64::consts::E);
    assert_eq!(v("min(x, y) + max(x, y)", 1.0, 5.0), 6.0);
    assert_eq!(v("pow(x, 3)", 2.0, 0.0), 8.0);
    assert_eq!(v("abs(x)", -2.5, 0.0), 2.5);
    assert!((v("sigmoid(0)", 0.0, 0.0) - 0.5).abs() < 1e-15);
    assert!((v("softplus(0)", 0.0, 0.0) - 2f64.ln()).abs() < 1e-15);
    assert_eq!(v("softplus(x)", 30.0, 0.0), 30.0);
    assert!((v("atan(1)*4", 0.0, 0.0) - std::f64::consts::PI).abs() < 1e-15);
    assert!((v("cosh(x)^2 - sinh(x)^2", 0.7, 0.0) - 1.0).abs() < 1e-14);
}

#[test]
fn constant_subtrees_are_folded() {
    let f = Formula::parse("100*(y - x^2)^2 + (2*3 - 1)").unwrap();
    assert!(f
        .tape()
        .instrs
        .iter()
        .all(|i| !matches!(i, Instr::Const(_))));
    let c = Formula::parse("2*pi").unwrap();
    assert!(c.tape().instrs.is_empty());
    assert_eq!(
        c.gradient(1.0, 1.0),
        (2.0 * std::f64::consts::PI, [0.0, 0.0])
    );
}

#[test]
fn exact_derivatives_of_known_functions() {
    let f = Formula::parse("(1-x)^2+100*(y-x^2)^2").unwrap();
    let (val, g, h) = f.hessian(1.0, 1.0);
    assert_eq!(val, 0.0);
    assert_eq!(g, [0.0, 0.0]);
    assert_eq!(h, [[802.0, -400.0], [-400.0, 200.0]]);
    let (_, g) = f.gradient(-1.2, 1.0);
    assert!((g[0] - -215.6).abs() < 1e-12 && (g[1] - -88.0).abs() < 1e-12);
}

#[test]
fn torch_conventions_at_kinks() {
    let f = Formula::parse("abs(x) + 2*abs(y)").unwrap();
    assert_eq!(f.gradient(0.0, 0.0).1, [0.0, 0.0]);
    let m = Formula::parse("max(x, y)").unwrap();
    assert_eq!(m.gradient(1.0, 1.0).1, [0.5, 0.5]);
    assert_eq!(m.gradient(2.0, 1.0).1, [1.0, 0.0]);
}

#[test]
fn grid_matches_pointwise_values() {
    let f = Formula::parse("sin(3*x)*exp(-y^2) + min(x, y)/(1 + x^2) + 2/(3+y^2) + x^y").unwrap();
    let mut out = Vec::new();
    f.eval_grid([0.5, 2.0], [-1.0, 1.0], 7, 5, &mut out);
    assert_eq!(out.len(), 35);
    for j in 0..5 {
        for i in 0..7 {
            let x = 0.5 + i as f64 * 1.5 / 6.0;
            let y = -1.0 + j as f64 * 2.0 / 4.0;
            let (a, b) = (out[j * 7 + i], f.value(x, y));
            assert!(
                a == b || (a.is_nan() && b.is_nan()),
                "{a} vs {b} at {x},{y}"
            );
        }
    }
}

#[test]
fn errors_name_the_problem_and_its_position() {
    let (m, s) = err("");
    assert!(m.contains("empty"), "{m}");
    assert_eq!(s, 0..0);
    let (m, s) = err("sni(x)");
    assert!(m.contains("did you mean `sin`"), "{m}");
    assert_eq!(s, 0..3);
    let (m, _) = err("X^2");
    assert!(m.contains("did you mean `x`"), "{m}");
    let (m, s) = err("(x+1");
    assert!(m.contains("never closed"), "{m}");
    assert_eq!(s, 0..1);
    let (m, s) = err("x+1)");
    assert!(m.contains("no matching"), "{m}");
    assert_eq!(s, 3..4);
    let (m, s) = err("x + * y");
    assert!(m.contains("missing operand"), "{m}");
    assert_eq!(s, 2..5);
    let (m, _) = err("x +");
    assert!(m.contains("ends after `+`"), "{m}");
    let (m, s) = err("2x");
    assert!(m.contains("write `2*x`"), "{m}");
    assert_eq!(s, 0..2);
    let (m, _) = err("x , y");
    assert!(m.contains("unexpected `,`"), "{m}");
    let (m, _) = err("sin x");
    assert!(m.contains("write sin(x)"), "{m}");
    let (m, _) = err("min(x)");
    assert!(m.contains("takes 2 arguments, got 1"), "{m}");
    let (m, s) = err("x # y");
    assert!(m.contains("unexpected character `#`"), "{m}");
    assert_eq!(s, 2..3);
    let (m, s) = err("x × y");
    assert!(m.contains("write *"), "{m}");
    assert_eq!(s, 2..4);
    let (m, _) = err("1.2.3");
    assert!(m.contains("one decimal point"), "{m}");
    let (m, _) = err("1e+");
    assert!(m.contains("exponent"), "{m}");
    let long = "x+".repeat(2100) + "x";
    let (m, s) = err(&long);
    assert!(m.contains("too long"), "{m}");
    assert_eq!(s.start, MAX_LEN);
    let deep = "(".repeat(300) + "x" + &")".repeat(300);
    let (m, _) = err(&deep);
    assert!(m.contains("deeper than 256"), "{m}");
    let signs = "-".repeat(1000) + "x";
    assert!(err(&signs).0.contains("deeper"));
    let powers = "x^".repeat(1000) + "x";
    assert!(err(&powers).0.contains("deeper"));
}

#[test]
fn deep_but_allowed_nesting_and_long_chains_work() {
    let deep = "(".repeat(200) + "x" + &")".repeat(200);
    assert_eq!(v(&deep, 2.0, 0.0), 2.0);
    let chain = "x+".repeat(2000) + "x";
    assert_eq!(v(&chain, 1.0, 0.0), 2001.0);
    let f = Formula::parse(&chain).unwrap();
    assert_eq!(f.hessian(1.0, 0.0).1, [2001.0, 0.0]);
}

mod props {
    use super::*;
    use proptest::prelude::*;

    /// Random smooth formulas over a domain where they are defined.
    fn formula() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("x".to_string()),
            Just("y".to_string()),
            (-3.0f64..3.0).prop_map(|c| format!("{c:.3}")),
        ];
        leaf.prop_recursive(4, 24, 2, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a})+({b})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a})-({b})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a})*({b})")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a})/(2+({b})^2)")),
                inner.clone().prop_map(|a| format!("sin({a})")),
                inner.clone().prop_map(|a| format!("cos({a})")),
                inner.clone().prop_map(|a| format!("tanh({a})")),
                inner.clone().prop_map(|a| format!("exp(0.3*sin({a}))")),
                inner.clone().prop_map(|a| format!("log(1+({a})^2)")),
                inner.clone().prop_map(|a| format!("sqrt(1+({a})^2)")),
                inner.clone().prop_map(|a| format!("atan({a})")),
                inner.clone().prop_map(|a| format!("sigmoid({a})")),
                inner.clone().prop_map(|a| format!("softplus({a})")),
                inner.clone().prop_map(|a| format!("({a})^3")),
                inner.clone().prop_map(|a| format!("(1+({a})^2)^0.7")),
                inner.clone().prop_map(|a| format!("-({a})^2")),
                inner.clone().prop_map(|a| format!("1/(1+({a})^2)")),
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| format!("(1.5+sin({a}))^(cos({b}))")),
            ]
        })
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * (1.0 + a.abs().max(b.abs()))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn gradient_and_hessian_match_central_differences(src in formula(), x in -2.0f64..2.0, y in -2.0f64..2.0) {
            let f = Formula::parse(&src).unwrap();
            let (val, g, h) = f.hessian(x, y);
            let (val1, g1) = f.gradient(x, y);
            prop_assert!(val == f.value(x, y) || val.is_nan());
            prop_assert!(val1 == val || val.is_nan());
            prop_assert!(g.iter().any(|v| v.is_nan()) || (close(g1[0], g[0], 1e-13) && close(g1[1], g[1], 1e-13)));
            prop_assume!(val.is_finite() && g.iter().all(|v| v.is_finite()));
            // Central differences are an oracle only where they have converged: their error
            // falls as e², so where steps of 1e-4 and 1e-5 disagree (a formula like
            // sin((1+x^18)^0.7) turning fast) the point says nothing and is skipped.
            let fd = |e: f64| [
                (f.value(x + e, y) - f.value(x - e, y)) / (2.0 * e),
                (f.value(x, y + e) - f.value(x, y - e)) / (2.0 * e),
            ];
            let (coarse, fd) = (fd(1e-4), fd(1e-5));
            prop_assume!((0..2).all(|k| close(coarse[k], fd[k], 1e-4)));
            for k in 0..2 {
                prop_assert!(close(g[k], fd[k], 1e-5), "{src}: g{k} {} vs fd {}", g[k], fd[k]);
            }
            let gx = |x: f64, y: f64| f.gradient(x, y).1;
            let hess = |e: f64| {
                let hx = [(gx(x + e, y)[0] - gx(x - e, y)[0]) / (2.0 * e), (gx(x + e, y)[1] - gx(x - e, y)[1]) / (2.0 * e)];
                let hy = [(gx(x, y + e)[0] - gx(x, y - e)[0]) / (2.0 * e), (gx(x, y + e)[1] - gx(x, y - e)[1]) / (2.0 * e)];
                (hx, hy)
            };
            let ((cx, cy), (hx, hy)) = (hess(1e-4), hess(1e-5));
            prop_assume!(close(cx[0], hx[0], 1e-3) && close(cx[1], hx[1], 1e-3) && close(cy[1], hy[1], 1e-3));
            prop_assert!(close(h[0][0], hx[0], 1e-4), "{src}: hxx {} vs {}", h[0][0], hx[0]);
            prop_assert!(close(h[0][1], hx[1], 1e-4), "{src}: hxy {} vs {}", h[0][1], hx[1]);
            prop_assert!(close(h[1][1], hy[1], 1e-4), "{src}: hyy {} vs {}", h[1][1], hy[1]);
            prop_assert_eq!(h[0][1], h[1][0]);
        }

    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(100_000))]
        #[test]
        fn parser_never_panics_on_arbitrary_strings(s in "\\PC{0,64}") {
            let _ = Formula::parse(&s);
        }

        #[test]
        fn parser_never_panics_on_formula_like_strings(s in "[-+*/^(),.0-9exyinsopqrtabcdhlmgw ]{0,80}") {
            if let Ok(f) = Formula::parse(&s) {
                let _ = f.hessian(0.3, -0.7);
                let mut out = Vec::new();
                f.eval_grid([-1.0, 1.0], [-1.0, 1.0], 3, 3, &mut out);
            }
        }
    }
}
