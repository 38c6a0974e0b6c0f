//! The surface lab's ready-made choices, decided here rather than in the page: the run sets of
//! the *compare* buttons (learning rates from the view's size and the curvature at the start),
//! the values a schedule starts with when torch has no default, and where a run starts to
//! escape a saddle.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::critical::Inspection;
use crate::surface::ViewBox;
use crate::{Error, Result};

/// The compare buttons, by the name the page gives them (`data-compare`).
pub const KINDS: [&str; 4] = ["gd-momentum-adam", "adaptive", "lecture", "lrs"];

/// A run as the page's runs panel holds it: the optimizer key (`name` or `name.variant`) and the
/// settings that differ from torch's defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunChoice {
    pub opt: String,
    #[serde(default)]
    pub params: Map<String, Value>,
}

impl RunChoice {
    fn new(opt: &str, params: Value) -> Self {
        let Value::Object(params) = params else {
            unreachable!("run choices are built from json!({{...}}) objects")
        };
        RunChoice {
            opt: opt.to_string(),
            params,
        }
    }
}

/// `x` rounded to `digits` significant digits (JavaScript's `Number(x.toPrecision(d))`).
///
/// The decimal text is read back by serde_json's parser, correctly rounded like `str::parse`
/// (its `float_roundtrip` feature): the classifier's wasm needs no second float parser for the
/// one call it makes here (core's brings a 10 KB table of powers of five).
pub fn round_sig(x: f64, digits: usize) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    serde_json::from_str(&format!("{:.*e}", digits.max(1) - 1, x)).unwrap_or(x)
}

/// The runs of compare button `kind` for a lab showing `view`, starting where gradient descent
/// is stable below `stable_lr` (2/λmax, when the start is in a bowl), with `selected` the run
/// the student has selected (the `lrs` set varies its lr by ×0.3, ×1, ×3).
///
/// Adam and the adaptive methods take steps of about their lr, so their lr is 1 % of the view's
/// shorter side; plain gradient descent takes steps of lr·|∇f|, so its lr is 40 % of the
/// stability bound at the start (at most 0.1; 0.01 where the start has no bound).
pub fn runs(
    kind: &str,
    view: ViewBox,
    stable_lr: Option<f64>,
    selected: Option<&RunChoice>,
) -> Result<Vec<RunChoice>> {
    let width = (view.x[1] - view.x[0]).min(view.y[1] - view.y[0]);
    let step = round_sig(0.01 * width, 2);
    let gd = round_sig(
        stable_lr
            .filter(|s| s.is_finite() && *s > 0.0)
            .map_or(0.01, |s| 0.4 * s)
            .min(0.1),
        2,
    );
    Ok(match kind {
        "gd-momentum-adam" => vec![
            RunChoice::new("sgd", json!({"lr": gd})),
            RunChoice::new("sgd", json!({"lr": gd, "momentum": 0.9})),
            RunChoice::new("adam", json!({"lr": step})),
        ],
        "adaptive" => vec![
            RunChoice::new("adagrad", json!({"lr": round_sig(3.0 * step, 2)})),
            RunChoice::new("rmsprop", json!({"lr": round_sig(step / 3.0, 2)})),
            RunChoice::new("adam", json!({"lr": step})),
        ],
        "lecture" => ["adagrad.lecture", "adagrad", "rmsprop.lecture", "rmsprop"]
            .iter()
            .map(|opt| RunChoice::new(opt, json!({"lr": step})))
            .collect(),
        "lrs" => {
            let base = selected
                .cloned()
                .unwrap_or_else(|| RunChoice::new("adam", json!({})));
            let lr = base
                .params
                .get("lr")
                .and_then(Value::as_f64)
                .filter(|v| v.is_finite())
                .unwrap_or(0.01);
            [0.3, 1.0, 3.0]
                .iter()
                .map(|f| {
                    let mut run = base.clone();
                    run.params.insert("lr".into(), json!(round_sig(f * lr, 3)));
                    run
                })
                .collect()
        }
        _ => {
            return Err(Error::UnknownName {
                kind: "compare set".into(),
                name: kind.into(),
                expected: KINDS.join(", "),
            })
        }
    })
}

/// The settings a schedule starts with in the lab's editor, for a run of `steps` steps at base
/// lr `lr`, where torch has no default (or a default that does nothing on a short run): a step
/// every quarter, milestones at a third and two thirds, a decay to 1 % over the run, a cosine
/// over the run, a restart every quarter, one-cycle peaking at 10× the lr.
pub fn schedule_start(name: &str, steps: usize, lr: f64) -> Result<Value> {
    let n = steps.max(1) as f64;
    let quarter = (n / 4.0).round().max(1.0) as usize;
    Ok(match name {
        "step" => json!({"step_size": quarter}),
        "multistep" => json!({"milestones": [
            ((n / 3.0).round() as usize).max(1),
            ((2.0 * n / 3.0).round() as usize).max(2),
        ]}),
        "exponential" => json!({"gamma": round_sig(0.01_f64.powf(1.0 / n), 4)}),
        "cosine" => json!({"t_max": steps.max(1)}),
        "cosine_warm_restarts" => json!({"t_0": quarter}),
        "onecycle" => json!({"max_lr": round_sig(10.0 * lr, 3), "total_steps": steps.max(1)}),
        _ if crate::optim::schedule_specs()
            .iter()
            .any(|s| s.name == name) =>
        {
            json!({})
        }
        _ => {
            return Err(Error::UnknownName {
                kind: "schedule".into(),
                name: name.into(),
                expected: crate::optim::schedule_specs()
                    .iter()
                    .map(|s| s.name)
                    .collect::<Vec<_>>()
                    .join(", "),
            })
        }
    })
}

/// Where runs start to escape the saddle `at`: 1 % of the view's shorter side along the
/// direction of the most negative eigenvalue; `None` where there is no such direction.
pub fn escape_start(at: &Inspection, view: ViewBox) -> Option<[f64; 2]> {
    let d = at.escape_direction?;
    let eps = 0.01 * (view.x[1] - view.x[0]).min(view.y[1] - view.y[0]);
    Some([at.x + eps * d[0], at.y + eps * d[1]])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(w: f64) -> ViewBox {
        ViewBox::new([-w / 2.0, w / 2.0], [-w, w]).unwrap()
    }

    fn lr(r: &RunChoice) -> f64 {
        r.params["lr"].as_f64().unwrap()
    }

    /// serde_json reads the decimal text back to the same double as `str::parse` (both are
    /// correctly rounded), at every digit count, across magnitudes and at halfway cases.
    #[test]
    fn rounding_reads_back_as_str_parse_does() {
        let mut x = 1.234_567_890_123_456_7e-300_f64;
        let mut checked = 0;
        while x < 1e300 {
            for v in [x, -x, x * 0.999_999_999_999, x.next_up()] {
                for digits in 1..=17 {
                    let text = format!("{:.*e}", digits - 1, v);
                    let want: f64 = text.parse().unwrap();
                    assert_eq!(round_sig(v, digits).to_bits(), want.to_bits(), "{text}");
                    checked += 1;
                }
            }
            x *= 1.618_033_988_749_895 * 3.0;
        }
        // Decimal texts halfway between two doubles and near the subnormal range.
        for text in [
            "9007199254740993",
            "2.2250738585072011e-308",
            "4.9406564584124654e-324",
        ] {
            let want: f64 = text.parse().unwrap();
            assert_eq!(
                serde_json::from_str::<f64>(text).unwrap().to_bits(),
                want.to_bits()
            );
        }
        assert!(checked > 5000, "{checked}");
    }

    #[test]
    fn rounding_keeps_the_significant_digits_asked_for() {
        assert_eq!(round_sig(0.012345, 2), 0.012);
        assert_eq!(round_sig(123456.0, 3), 123000.0);
        assert_eq!(round_sig(-0.0996, 2), -0.1);
        assert_eq!(round_sig(0.0, 2), 0.0);
        assert!(round_sig(f64::NAN, 2).is_nan());
    }

    #[test]
    fn gradient_descent_stays_below_the_stability_bound_and_adam_scales_with_the_view() {
        let set = runs("gd-momentum-adam", view(4.0), Some(0.05), None).unwrap();
        let names: Vec<&str> = set.iter().map(|r| r.opt.as_str()).collect();
        assert_eq!(names, ["sgd", "sgd", "adam"]);
        assert_eq!(lr(&set[0]), 0.02);
        assert!(lr(&set[0]) < 0.05, "below 2/λmax");
        assert_eq!(set[1].params["momentum"], 0.9);
        assert_eq!(lr(&set[2]), 0.04);
        // No bound (a saddle or a slope): 0.01; a wide bound is capped at 0.1.
        assert_eq!(
            lr(&runs("gd-momentum-adam", view(4.0), None, None).unwrap()[0]),
            0.01
        );
        assert_eq!(
            lr(&runs("gd-momentum-adam", view(4.0), Some(9.0), None).unwrap()[0]),
            0.1
        );
        // Doubling the view doubles Adam's lr, not gradient descent's.
        let wide = runs("gd-momentum-adam", view(8.0), Some(0.05), None).unwrap();
        assert_eq!((lr(&wide[0]), lr(&wide[2])), (0.02, 0.08));
    }

    #[test]
    fn the_lr_set_varies_the_selected_run_and_keeps_its_other_settings() {
        let sel = RunChoice::new("rmsprop", json!({"lr": 0.01, "alpha": 0.9}));
        let set = runs("lrs", view(4.0), None, Some(&sel)).unwrap();
        let lrs: Vec<f64> = set.iter().map(lr).collect();
        assert_eq!(lrs, [0.003, 0.01, 0.03]);
        assert!(set
            .iter()
            .all(|r| r.opt == "rmsprop" && r.params["alpha"] == 0.9));
        let lecture = runs_of("lecture");
        assert_eq!(lecture.len(), 4);
        assert!(lecture.iter().all(|r| lr(r) == 0.04));
        assert_eq!(
            runs_of("adaptive").iter().map(lr).collect::<Vec<_>>(),
            [0.12, 0.013, 0.04]
        );
    }

    fn runs_of(kind: &str) -> Vec<RunChoice> {
        runs(kind, view(4.0), None, None).unwrap()
    }

    #[test]
    fn an_unknown_set_or_schedule_is_named_in_the_error() {
        let e = runs("fastest", view(4.0), None, None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("fastest") && e.contains("gd-momentum-adam"),
            "{e}"
        );
        let e = schedule_start("warp", 100, 0.1).unwrap_err().to_string();
        assert!(e.contains("warp") && e.contains("cosine"), "{e}");
    }

    #[test]
    fn schedules_start_with_values_that_act_within_the_run() {
        assert_eq!(schedule_start("step", 200, 0.1).unwrap()["step_size"], 50);
        assert_eq!(
            schedule_start("multistep", 300, 0.1).unwrap()["milestones"],
            json!([100, 200])
        );
        let gamma = schedule_start("exponential", 100, 0.1).unwrap()["gamma"]
            .as_f64()
            .unwrap();
        assert!(
            (gamma.powi(100) - 0.01).abs() < 1e-3,
            "decays to 1 % over the run: {gamma}"
        );
        assert_eq!(
            schedule_start("onecycle", 100, 0.02).unwrap(),
            json!({"max_lr": 0.2, "total_steps": 100})
        );
        assert_eq!(schedule_start("linear", 100, 0.1).unwrap(), json!({}));
        // Every value it gives is one the schedule accepts, on short runs too.
        for spec in crate::optim::schedule_specs()
            .iter()
            .filter(|s| s.name != "sequential")
        {
            for steps in [1, 2, 3, 500] {
                let mut cfg = schedule_start(spec.name, steps, 0.1).unwrap();
                cfg["name"] = json!(spec.name);
                crate::optim::ScheduleConfig::from_json(&cfg)
                    .unwrap_or_else(|e| panic!("{} at {steps} steps: {e}", spec.name));
            }
        }
    }

    #[test]
    fn the_escape_starts_along_the_negative_curvature_and_not_at_a_minimum() {
        let saddle = crate::expr::Formula::parse("x^2 - y^2").unwrap();
        let at = crate::critical::inspect(&saddle, [0.0, 0.0]);
        let s = escape_start(&at, view(4.0)).unwrap();
        assert!(
            s[0].abs() < 1e-12 && (s[1].abs() - 0.04).abs() < 1e-12,
            "{s:?}"
        );
        let bowl = crate::expr::Formula::parse("x^2 + y^2").unwrap();
        assert_eq!(
            escape_start(&crate::critical::inspect(&bowl, [0.0, 0.0]), view(4.0)),
            None
        );
    }
}
