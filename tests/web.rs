//! wasm-bindgen tests of the web bindings (`src/web/`), run by `cargo xtask test` in node and
//! in headless Chromium: what JS sees of the `Lab`, the catalogs and the errors.
#![cfg(target_arch = "wasm32")]

use optiscape::web::{
    check_optimizer, final_point, log_ticks, optimizers, presets, schedule_lrs, schedules, ticks,
    Lab,
};
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

mod common;
use common::web::json;
use serde_json::json;

fn prop(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &key.into()).expect("an object")
}

#[wasm_bindgen_test]
fn presets_are_listed_with_views() {
    let list = json(&presets().unwrap());
    let list = list.as_array().unwrap();
    assert!(list.len() >= 14);
    let rosenbrock = list
        .iter()
        .find(|p| p["id"] == "rosenbrock")
        .expect("rosenbrock");
    assert!(rosenbrock["name_en"].is_string());
    assert_eq!(rosenbrock["view"]["x"].as_array().unwrap().len(), 2);
}

#[wasm_bindgen_test]
fn optimizers_are_listed() {
    let list = json(&optimizers().unwrap());
    let rows = list.as_array().unwrap();
    // torch's optimizers, each written and constructed as torch names the class.
    for (name, class) in [
        ("sgd", "SGD"),
        ("adagrad", "Adagrad"),
        ("rmsprop", "RMSprop"),
        ("adam", "Adam"),
        ("adamw", "AdamW"),
        ("nadam", "NAdam"),
        ("radam", "RAdam"),
        ("adamax", "Adamax"),
        ("adadelta", "Adadelta"),
    ] {
        let row = rows
            .iter()
            .find(|o| o["name"] == name && o["variant"].is_null())
            .unwrap_or_else(|| panic!("{name} missing from the catalog"));
        assert_eq!(
            (&row["display"], &row["torch"]),
            (&json!(class), &json!(class))
        );
    }
    // The lecture variants: written like torch's, but no torch class.
    let lecture: Vec<_> = rows.iter().filter(|o| o["variant"] == "lecture").collect();
    assert_eq!(lecture.len(), 2);
    assert!(lecture
        .iter()
        .all(|o| o["torch"].is_null() && o["gpu"].is_null()));
}

#[wasm_bindgen_test]
fn a_preset_sets_its_view_and_start() {
    let mut lab = Lab::new().unwrap();
    lab.set_surface("rosenbrock").unwrap();
    let p = optiscape::surface::preset("rosenbrock").unwrap();
    assert_eq!(
        lab.view(),
        vec![p.view.x[0], p.view.x[1], p.view.y[0], p.view.y[1]]
    );
    assert_eq!(lab.preset_start(), p.start.to_vec());
    assert_eq!(lab.formula(), p.formula);
    assert_eq!(lab.value(1.0, 1.0), 0.0);
}

#[wasm_bindgen_test]
fn a_bad_formula_throws_a_formula_error_with_its_span() {
    let mut lab = Lab::new().unwrap();
    let before = lab.formula();
    let err = lab.set_surface("2x+").expect_err("an error");
    assert_eq!(prop(&err, "name"), "FormulaError");
    let message = prop(&err, "message").as_string().unwrap();
    assert!(!message.is_empty());
    let (start, end) = (
        prop(&err, "start").as_f64().unwrap(),
        prop(&err, "end").as_f64().unwrap(),
    );
    assert!(start <= end && end <= 3.0, "span {start}..{end}");
    // A failed edit leaves the surface as it was.
    assert_eq!(lab.formula(), before);
}

#[wasm_bindgen_test]
fn the_heatmap_is_rgba_of_the_asked_size() {
    let mut lab = Lab::new().unwrap();
    lab.set_surface("x^2 + y^2").unwrap();
    assert_eq!(lab.render_heatmap(64, 32).unwrap(), 64 * 32 * 4);
    assert_ne!(lab.heatmap_ptr(), 0);
    assert!(lab.render_heatmap(0, 10).is_err());
    assert!(lab.render_heatmap(10, 1 << 20).is_err());
}

#[wasm_bindgen_test]
fn contours_are_flat_segments_inside_the_view() {
    let mut lab = Lab::new().unwrap();
    lab.set_surface("rosenbrock").unwrap();
    let segments = lab.contours(64, 64, 10).unwrap();
    assert!(!segments.is_empty());
    assert_eq!(segments.len() % 5, 0);
    let v = lab.view();
    for s in segments.chunks(5) {
        assert!((0.0..10.0).contains(&s[0]));
        for p in [[s[1], s[2]], [s[3], s[4]]] {
            assert!(
                p[0] >= v[0] - 1e-9
                    && p[0] <= v[1] + 1e-9
                    && p[1] >= v[2] - 1e-9
                    && p[1] <= v[3] + 1e-9
            );
        }
    }
}

fn run(lab: &mut Lab, lr: f64) -> usize {
    let cfg = format!(
        r#"{{"surface":"rosenbrock","start":[-1.5,2.0],"steps":200,"optimizer":{{"name":"adam","lr":{lr}}}}}"#
    );
    lab.set_run(&cfg).unwrap()
}

#[wasm_bindgen_test]
fn a_run_gives_a_trajectory_that_depends_on_the_learning_rate() {
    let mut lab = Lab::new().unwrap();
    assert_eq!(run(&mut lab, 0.01), 201);
    let (x, y, loss) = (
        lab.trajectory_x(),
        lab.trajectory_y(),
        lab.trajectory_loss(),
    );
    assert_eq!(
        (x.len(), y.len(), loss.len(), lab.trajectory_lr().len()),
        (201, 201, 201, 200)
    );
    assert_eq!((x[0], y[0]), (-1.5, 2.0));
    assert_eq!(lab.diverged_at(), None);
    run(&mut lab, 0.1);
    assert_ne!(lab.trajectory_x()[200], x[200]);
}

#[wasm_bindgen_test]
fn a_bad_formula_is_an_error_object_with_kind_name_suggestion_and_span() {
    let mut lab = Lab::new().unwrap();
    let err = lab.set_surface("sni(x)").expect_err("an error");
    assert!(
        err.is_instance_of::<js_sys::Error>(),
        "a JS Error (stack kept)"
    );
    assert_eq!(prop(&err, "kind"), "unknown_identifier");
    assert_eq!(prop(&err, "name"), "FormulaError");
    assert_eq!(prop(&err, "identifier"), "sni");
    assert_eq!(prop(&err, "suggestion"), "sin");
    assert_eq!(prop(&err, "formula"), true);
    let span = prop(&err, "span");
    assert_eq!(prop(&span, "start"), 0.0);
    assert_eq!(prop(&span, "end"), 3.0);
    assert_eq!(
        prop(&err, "message"),
        "unknown name `sni`; did you mean `sin`?"
    );
    let err = lab.set_surface("(x+1").expect_err("an error");
    assert_eq!(prop(&err, "kind"), "unclosed_paren");
}

#[wasm_bindgen_test]
fn bad_values_are_error_objects_naming_the_field() {
    let mut lab = Lab::new().unwrap();
    let err = lab.set_view(1.0, 0.0, 0.0, 1.0).expect_err("an error");
    assert_eq!(prop(&err, "kind"), "invalid_value");
    assert_eq!(prop(&err, "field"), "view");
    assert_eq!(prop(&prop(&err, "expected"), "kind"), "view_box");
    let sweep = r#"{"run":{"surface":"bowl","start":[1,1],"steps":10,"optimizer":{"name":"sgd","lr":0.1}},
        "x":{"path":"optimizer.lr","min":1,"max":0.5,"n":4},
        "y":{"path":"start.0","min":0,"max":1,"n":4},"target_loss":0.01}"#;
    let err = optiscape::web::phase_check(sweep).expect_err("an error");
    assert_eq!(prop(&err, "kind"), "invalid_value");
    assert_eq!(prop(&err, "field"), "x.min/max");
    assert_eq!(prop(&prop(&err, "expected"), "kind"), "ordered");
    let err = optiscape::web::phase_check(&sweep.replace(r#""steps":10"#, r#""steps":null"#))
        .expect_err("an error");
    assert_eq!(prop(&err, "field"), "run.steps");
    let err = optiscape::web::PhaseSweep::new("{")
        .err()
        .expect("an error");
    assert_eq!(prop(&err, "kind"), "parse");
}

#[wasm_bindgen_test]
fn bad_configs_and_views_are_errors_not_panics() {
    let mut lab = Lab::new().unwrap();
    assert!(lab.set_run("{").is_err());
    assert!(lab
        .set_run(r#"{"surface":"x^2","start":[0,0],"steps":5,"optimizer":{"name":"nope"}}"#)
        .is_err());
    assert!(lab
        .set_run(r#"{"surface":"x^2","start":[0,0],"steps":5,"optimizer":{"name":"sgd","lr":-1}}"#)
        .is_err());
    assert!(lab.set_view(1.0, 0.0, 0.0, 1.0).is_err());
    assert!(lab.set_view(0.0, f64::NAN, 0.0, 1.0).is_err());
    assert!(lab.set_view(-1.0, 1.0, -2.0, 2.0).is_ok());
}

#[wasm_bindgen_test]
fn a_long_run_keeps_only_its_end() {
    let end = final_point("x^2 + y^2", r#"{"name":"sgd","lr":0.1}"#, 1.0, -1.0, 100).unwrap();
    assert_eq!(end.len(), 3);
    // Plain gradient descent on x²+y² with lr 0.1 shrinks the point by 0.8 per step.
    assert!((end[0] - 0.8f64.powi(100)).abs() < 1e-15);
    assert!(final_point("2x", r#"{"name":"sgd"}"#, 0.0, 0.0, 1).is_err());
}

#[wasm_bindgen_test]
fn critical_points_and_the_inspector_name_the_saddle() {
    let mut lab = Lab::new().unwrap();
    lab.set_surface("saddle").unwrap();
    let search = json(&lab.critical_points().unwrap());
    let points = search["points"].as_array().unwrap();
    assert_eq!(points.len(), 1);
    assert_eq!(points[0]["kind"], "saddle");
    let i = json(&lab.inspect(0.0, 0.0).unwrap());
    assert_eq!(i["kind"], "saddle");
    assert_eq!(i["eigenvalues"], serde_json::json!([-2.0, 2.0]));
    assert_eq!(i["escape_direction"], serde_json::json!([0.0, 1.0]));
    // The core decides whether the point is critical and ships the tolerance it used.
    assert_eq!(i["critical"], true);
    assert_eq!(i["gradient_tol"], 1e-6);
    let off = json(&lab.inspect(0.5, 0.25).unwrap());
    assert_eq!(off["critical"], false);
    assert!(off["gradient_norm"].as_f64().unwrap() > off["gradient_tol"].as_f64().unwrap());
    assert!(lab.inspect(f64::NAN, 0.0).is_err());
    // The Taylor model of a quadratic is the surface itself: its contours lie on the true
    // level sets (up to the grid's linear interpolation), at the levels of `contours`.
    lab.contours(41, 41, 8).unwrap();
    let levels = lab.contour_levels();
    assert_eq!(levels.len(), 8);
    let taylor = lab.taylor_contours(0.3, -0.2, 41, 41).unwrap();
    assert!(taylor.len() > 100);
    for s in taylor.chunks(5) {
        let level = levels[s[0] as usize];
        for p in [[s[1], s[2]], [s[3], s[4]]] {
            assert!(
                (lab.value(p[0], p[1]) - level).abs() < 0.02,
                "{p:?} {level}"
            );
        }
    }
}

#[wasm_bindgen_test]
fn runs_are_simulated_together_and_errors_stay_per_run() {
    let mut lab = Lab::new().unwrap();
    lab.set_surface("bowl").unwrap();
    let status = json(
        &lab.set_runs(
            r#"[
            {"surface":"bowl","start":[2,1],"steps":50,"optimizer":{"name":"sgd","lr":0.1},"bound":1e6},
            {"surface":"bowl","start":[2,1],"steps":50,"optimizer":{"name":"sgd","lr":10},"bound":1e6},
            {"surface":"bowl","start":[2,1],"steps":50,"optimizer":{"name":"nope"}}
        ]"#,
        )
        .unwrap(),
    );
    assert_eq!(status[0]["ok"], true);
    assert_eq!(status[0]["points"], 51);
    assert_eq!(status[2]["ok"], false);
    assert!(status[2]["error"].as_str().unwrap().contains("nope"));
    assert_eq!(lab.run_count(), 3);
    assert_eq!(lab.run_x(0).len(), 51);
    assert_eq!(lab.run_grad_norm(0).len(), 51);
    assert_eq!(lab.run_lr(0).len(), 50);
    assert!(lab.run_x(2).is_empty() && lab.run_x(99).is_empty());
    assert_eq!(lab.run_divergence(0), "");
    let d = json(&lab.run_divergence(1));
    assert_eq!(d["cause"], "left_bound");
    assert_eq!(d["stable_lr_bound"], 1.0);
    assert!(lab.run_x(1).iter().all(|v| v.is_finite() && v.abs() <= 1e6));
    let a = json(&lab.run_anatomy(0, 0));
    assert_eq!(a["lr"], 0.1);
    assert_eq!(a["sigma"], serde_json::json!([1.0, 1.0]));
    let update = a["update"].as_array().unwrap();
    assert!((update[0].as_f64().unwrap() + 0.4).abs() < 1e-12);
    assert!((update[1].as_f64().unwrap() + 0.2).abs() < 1e-12);
    assert_eq!(a["exact"], true);
    assert_eq!(lab.run_anatomy(0, 50), "");
    // The shared animation step.
    assert_eq!((lab.step(), lab.max_step()), (0, 50));
    assert_eq!(lab.advance(7), 7);
    assert_eq!(lab.set_step(1000), 50);
    // Export.
    let csv = lab.runs_csv();
    assert!(csv.starts_with("run,optimizer,step,x,y,loss,grad_x,grad_y,lr\n"));
    assert_eq!(csv.lines().count(), 1 + 51 + lab.run_x(1).len());
    let all = json(&lab.runs_json().unwrap());
    assert_eq!(all.as_array().unwrap().len(), 3);
    assert_eq!(all[0]["config"]["optimizer"]["name"], "sgd");
    assert!(all[0]["trajectory"].get("anatomy").is_none());
    assert!(lab.set_runs("[1,2,3,4,5,6,7,8,9]").is_err());
    assert!(lab.set_runs("{").is_err());
    // Runs that would hold more than the page keeps (the fuzzer's out-of-memory in runs_csv:
    // 8 runs of 10^7 steps) are refused before any is simulated, the old runs kept.
    let huge =
        r#"{"surface":"bowl","start":[1,1],"steps":10000000,"optimizer":{"name":"sgd","lr":0.01}}"#;
    let e = lab
        .set_runs(&format!("[{}]", [huge; 8].join(",")))
        .err()
        .expect("refused");
    assert_eq!(
        prop(&e, "kind").as_string().as_deref(),
        Some("too_much_work")
    );
    assert_eq!(prop(&e, "unit").as_string().as_deref(), Some("bytes"));
    assert_eq!(lab.run_count(), 3);
    // The page's largest request (8 runs of 5000 steps) is far inside.
    let most =
        r#"{"surface":"bowl","start":[1,1],"steps":5000,"optimizer":{"name":"sgd","lr":0.01}}"#;
    assert!(lab.set_runs(&format!("[{}]", [most; 8].join(","))).is_ok());
}

#[wasm_bindgen_test]
fn catalogs_checks_schedules_and_ticks() {
    let list = json(&schedules().unwrap());
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["name"] == "cosine"));
    assert!(check_optimizer(r#"{"name":"adam","lr":0.1}"#).is_ok());
    let err = check_optimizer(r#"{"name":"sgd","nesterov":true}"#).unwrap_err();
    assert!(prop(&err, "message")
        .as_string()
        .unwrap()
        .contains("nesterov"));
    let lrs = schedule_lrs(r#"{"name":"cosine","t_max":10}"#, 0.1, 11).unwrap();
    assert_eq!(lrs.len(), 11);
    assert_eq!(lrs[0], 0.1);
    assert!(lrs[10].abs() < 1e-12);
    assert!(schedule_lrs(r#"{"name":"cosine"}"#, 0.1, 5).is_err());
    assert_eq!(ticks(0.0, 1.0, 5), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
    assert_eq!(log_ticks(0.5, 200.0), vec![1.0, 10.0, 100.0]);
    let mut lab = Lab::new().unwrap();
    assert!(lab.set_color_scale("log").is_ok());
    assert_eq!(lab.render_heatmap(16, 16).unwrap(), 16 * 16 * 4);
    assert!(lab.set_color_scale("rainbow").is_err());
    assert_eq!(Lab::preset_view("saddle"), vec![-2.0, 2.0, -2.0, 2.0]);
    assert!(Lab::preset_view("nope").is_empty());
    assert!(Lab::check_formula("x^2").is_ok());
    assert!(Lab::check_formula("2x+").is_err());
}

#[wasm_bindgen_test]
fn the_3d_view_draws_on_a_canvas_and_projects_the_runs() {
    // Only where there is a document (headless Chromium); node has no canvas.
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .unwrap()
        .dyn_into()
        .unwrap();
    canvas.set_width(300);
    canvas.set_height(240);
    let mut lab = Lab::new().unwrap();
    lab.set_surface("himmelblau").unwrap();
    assert!(lab.project_3d(0.0, 0.0).is_empty());
    lab.set_runs(r#"[{"surface":"himmelblau","start":[0,0],"steps":20,"optimizer":{"name":"adam","lr":0.1}}]"#)
        .unwrap();
    lab.render_3d(canvas.clone(), 0.7, 0.45, false, 1.0)
        .unwrap();
    let pixels = lab.project_run_3d(0);
    assert_eq!(pixels.len(), 2 * 21);
    for p in pixels.chunks(2) {
        assert!(
            (0.0..300.0).contains(&p[0]) && (0.0..240.0).contains(&p[1]),
            "{p:?}"
        );
    }
    assert_eq!(lab.project_3d(1.0, 1.0).len(), 2);
    // A non-finite camera is replaced by the default, not drawn as NaN.
    lab.render_3d(canvas, f64::NAN, f64::INFINITY, true, 2.0)
        .unwrap();
}

/// A random formula of the whole language (depth at most `depth`), for the compiled-code test.
fn random_formula(rng: &mut optiscape::rng::Rng, depth: usize) -> String {
    const LEAVES: &[&str] = &[
        "x", "y", "x", "y", "0", "1", "2", "0.5", "3", "20", "1e300", "pi", "(-0)",
    ];
    const FUNCS: &[&str] = &[
        "sin", "cos", "tan", "exp", "log", "sqrt", "tanh", "abs", "atan", "sinh", "cosh",
        "sigmoid", "softplus",
    ];
    const EXPONENTS: &[&str] = &["2", "3", "0.5", "-0.5", "-1", "-2", "0", "1", "1.5", "y"];
    if depth == 0 || rng.below(4) == 0 {
        return LEAVES[rng.below(LEAVES.len())].to_string();
    }
    let mut sub = || random_formula(rng, depth - 1);
    let (a, b) = (sub(), sub());
    match rng.below(9) {
        0 => format!("({a} + {b})"),
        1 => format!("({a} - {b})"),
        2 => format!("({a} * {b})"),
        3 => format!("({a} / {b})"),
        4 => format!("({a})^{}", EXPONENTS[rng.below(EXPONENTS.len())]),
        5 => format!("{}({a})", FUNCS[rng.below(FUNCS.len())]),
        6 => format!("min({a}, {b})"),
        7 => format!("max({a}, {b})"),
        _ => format!("-({a})"),
    }
}

fn same_bits(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(p, q)| p.to_bits() == q.to_bits() || (p.is_nan() && q.is_nan()))
}

#[wasm_bindgen_test]
fn compiled_formulas_give_the_tapes_results_bit_for_bit() {
    use optiscape::expr::{Dual, Formula, HyperDual};
    let mut rng = optiscape::rng::Rng::new(16);
    let special = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        2.0,
        20.0,
        20.5,
        1e-310,
        1e308,
        -1e308,
        f64::INFINITY,
        f64::NAN,
    ];
    let mut compiled = 0;
    for case in 0..400 {
        let src = random_formula(&mut rng, 4);
        let f = Formula::parse(&src).unwrap();
        let kinds = f.jit().compile_all(f.tape());
        assert_eq!(
            kinds,
            [true; 3],
            "{src} did not compile: {:?}",
            f.jit().failures()
        );
        compiled += 1;
        for k in 0..40 {
            let pick = |rng: &mut optiscape::rng::Rng| {
                if k % 3 == 0 {
                    special[rng.below(special.len())]
                } else {
                    rng.range(-5.0, 5.0)
                }
            };
            let (x, y) = (pick(&mut rng), pick(&mut rng));
            let t = f.tape();
            let v = t.eval::<f64>(x, y);
            let d = t.eval::<Dual>(x, y);
            let h = t.eval::<HyperDual>(x, y);
            let at = format!("{src} at ({x}, {y}), case {case}");
            assert!(same_bits(&[f.value(x, y)], &[v]), "value of {at}");
            let (gv, g) = f.gradient(x, y);
            assert!(
                same_bits(&[gv, g[0], g[1]], &[d.v, d.g[0], d.g[1]]),
                "gradient of {at}"
            );
            let (hv, hg, hh) = f.hessian(x, y);
            assert!(
                same_bits(
                    &[hv, hg[0], hg[1], hh[0][0], hh[0][1], hh[1][1]],
                    &[h.v, h.g[0], h.g[1], h.h[0], h.h[1], h.h[2]]
                ),
                "Hessian of {at}"
            );
        }
        let (mut jit, mut tape) = (Vec::new(), Vec::new());
        let (xr, yr) = ([-3.0, 2.5], [-1.0, 4.0]);
        f.eval_grid(xr, yr, 17, 9, &mut jit);
        f.tape().eval_grid(xr, yr, 17, 9, &mut tape);
        assert!(same_bits(&jit, &tape), "grid of {src}");
    }
    assert_eq!(compiled, 400);
}

#[wasm_bindgen_test]
fn a_formula_that_cannot_be_compiled_stays_on_its_tape() {
    use optiscape::expr::{jit, Formula};
    let long = vec!["x"; jit::MAX_TAPE + 2].join("+sin(y)*");
    let f = Formula::parse(&long).unwrap();
    assert_eq!(f.jit().compile_all(f.tape()), [false; 3]);
    assert_eq!(
        f.value(0.5, 0.25).to_bits(),
        f.tape().eval::<f64>(0.5, 0.25).to_bits()
    );
    let mut grid = Vec::new();
    f.eval_grid([0.0, 1.0], [0.0, 1.0], 3, 2, &mut grid);
    assert_eq!(grid.len(), 6);
    // A short formula compiles, and is then used: the first value already comes from it.
    let g = Formula::parse("(1-x)^2+100*(y-x^2)^2").unwrap();
    assert_eq!(
        g.jit().compile_all(g.tape()),
        [true; 3],
        "{:?}",
        g.jit().failures()
    );
    assert_eq!(g.hessian(1.0, 1.0).2, [[802.0, -400.0], [-400.0, 200.0]]);
}
