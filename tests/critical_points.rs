//! Every critical point of the reference surfaces (exact, 60-digit ground truth) found and
//! classified: same count and kinds, positions within 1e-8, eigenvalues within 1e-8·max(1,|λ|).
//! Native and wasm32 alike: in wasm the formulas run as compiled code once in use
//! (`src/expr/jit`), so the references check that code too.

use optiscape::critical::find;
use optiscape::expr::Formula;
use optiscape::surface::{presets, resolve, ViewBox};
use serde_json::Value;

fn pair(v: &Value) -> [f64; 2] {
    [v[0].as_f64().unwrap(), v[1].as_f64().unwrap()]
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn all_reference_critical_points_are_found_and_classified() {
    let data: Value = serde_json::from_str(include_str!("refs/critical_points.json")).unwrap();
    let surfaces = data["surfaces"].as_array().unwrap();
    assert_eq!(surfaces.len(), 6);
    for s in surfaces {
        let name = s["name"].as_str().unwrap();
        let f = Formula::parse(s["surface"].as_str().unwrap()).unwrap();
        let region = ViewBox {
            x: pair(&s["region"]["x"]),
            y: pair(&s["region"]["y"]),
        };
        let found = find(&f, region);
        let expected = s["points"].as_array().unwrap();
        assert_eq!(found.points.len(), expected.len(), "{name}: count");
        for (ours, theirs) in found.points.iter().zip(expected) {
            let (x, y) = (theirs["x"].as_f64().unwrap(), theirs["y"].as_f64().unwrap());
            assert!(
                (ours.x - x).abs() <= 1e-8 && (ours.y - y).abs() <= 1e-8,
                "{name}: ({}, {}) vs ({x}, {y})",
                ours.x,
                ours.y
            );
            let kind = serde_json::to_value(ours.kind).unwrap();
            assert_eq!(kind, theirs["kind"], "{name} at ({x}, {y})");
            let ev = pair(&theirs["eigenvalues"]);
            for (k, (a, b)) in ours.eigenvalues.iter().zip(ev).enumerate() {
                assert!(
                    (a - b).abs() <= 1e-8 * b.abs().max(1.0),
                    "{name}: λ{k} {a} vs {b}"
                );
            }
            assert!(
                (ours.f - theirs["f"].as_f64().unwrap()).abs()
                    <= 1e-8 * theirs["f"].as_f64().unwrap().abs().max(1.0)
            );
        }
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn every_preset_has_its_critical_points_with_vanishing_gradient() {
    for p in presets() {
        let f = resolve(p.id).unwrap();
        let found = find(&f, p.view);
        assert!(!found.points.is_empty(), "{}: no critical point", p.id);
        for c in &found.points {
            assert!(
                c.gradient_norm <= 1e-8 * c.f.abs().max(1.0),
                "{}: |g| = {} at ({}, {})",
                p.id,
                c.gradient_norm,
                c.x,
                c.y
            );
        }
    }
}
