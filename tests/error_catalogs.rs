//! Errors are data that the pages translate by kind (`www/common/errors.js`): every kind of
//! error and every shape of "expected" the core sends has its text in all four catalogs (the
//! surface lab's and the classifier's, English and Chinese), so no message falls back to
//! English on a Chinese page.
#![cfg(not(target_arch = "wasm32"))]

use optiscape::error::Expected;
use optiscape::optim::Range;
use optiscape::Error;
use serde_json::Value;

const CATALOGS: [&str; 4] = [
    "www/i18n/en.json",
    "www/i18n/zh-CN.json",
    "www/classifier/i18n/en.json",
    "www/classifier/i18n/zh-CN.json",
];

fn catalog(path: &str) -> Value {
    let text = std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn missing(keys: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for path in CATALOGS {
        let c = catalog(path);
        for key in keys {
            if c.get(key).and_then(Value::as_str).is_none() {
                out.push(format!("{path}: {key}"));
            }
        }
    }
    out
}

#[test]
fn every_expected_shape_has_its_words_in_every_catalog() {
    let mut shapes = vec![
        Expected::Count {
            min: 1,
            max: 8,
            unit: "values".into(),
        },
        Expected::Ordered,
        Expected::PositiveOnLog,
        Expected::ViewBox,
        Expected::DifferentFrom { other: "lr".into() },
        Expected::Number,
    ];
    for range in [Range::ANY, Range::NON_NEGATIVE, Range::UNIT_OPEN] {
        shapes.push(range.expected_as(false));
        shapes.push(range.expected_as(true));
    }
    let keys: Vec<String> = shapes
        .iter()
        .map(|e| format!("error.expected.{}", e.data()["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(missing(&keys), Vec::<String>::new());
}

#[test]
fn a_bad_hyper_parameter_says_its_bounds_as_data_not_english() {
    let e = Range::UNIT_OPEN.check("betas[0]", 1.5).unwrap_err();
    let data = e.data();
    assert_eq!(data["kind"], "invalid_value");
    assert_eq!(
        data["expected"],
        serde_json::json!({"kind": "finite_in", "bounds": "[0, 1)"})
    );
    // The English text is unchanged.
    assert!(e.to_string().contains("a finite number in [0, 1)"), "{e}");
    // A negative control: free text stays a bare string, which the pages cannot translate.
    let free = Error::invalid("x", 1, "something");
    assert!(free.data()["expected"].is_string());
}

#[test]
fn every_error_kind_has_its_words_in_every_catalog() {
    let errors = [
        Error::invalid("lr", -1, "a number"),
        Error::Config("x".into()),
        Error::parse("JSON", "eof"),
        Error::UnknownName {
            kind: "schedule".into(),
            name: "warp".into(),
            expected: "cosine".into(),
        },
        Error::Unavailable("x".into()),
        Error::Internal("x".into()),
        Error::TooMuchWork(Box::new(optiscape::error::OverBudget {
            what: "training".into(),
            unit: "multiply_adds".into(),
            amount: "1e12".into(),
            limit: "1e11".into(),
            breakdown: "3 × 1 parameters".into(),
            raise: "controls".into(),
        })),
    ];
    let keys: Vec<String> = errors
        .iter()
        .map(|e| format!("error.{}", e.data()["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(missing(&keys), Vec::<String>::new());
}

#[test]
fn every_budget_word_has_its_words_in_every_catalog() {
    use optiscape::budget::{RAISES, UNITS, WHATS};
    let mut keys: Vec<String> = WHATS.iter().map(|w| format!("error.work.{w}")).collect();
    keys.extend(UNITS.iter().map(|u| format!("error.unit.{}", u.name())));
    keys.extend(RAISES.iter().map(|r| format!("error.raise.{r}")));
    assert_eq!(missing(&keys), Vec::<String>::new());
}
