//! Error surfaces: the `Surface` trait (value, gradient, Hessian at a point) and the presets
//! a student picks from, each with a formula, a good view box and a description in en and zh.

pub mod data;
mod grid;
mod presets;

pub use data::{logit_loss, LinearData, LogitLoss};
pub use grid::GridSurface;
pub use presets::{preset, presets, Preset};

use crate::error::Result;
use crate::expr::Formula;
use serde::{Deserialize, Serialize};

/// A rectangle of the (x, y) plane: `x = [x0, x1]`, `y = [y0, y1]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ViewBox {
    pub x: [f64; 2],
    pub y: [f64; 2],
}

impl ViewBox {
    /// A view box `x = [x0, x1]`, `y = [y0, y1]`: finite bounds with x0 < x1 and y0 < y1, else
    /// an [`crate::Error::InvalidValue`] for the field `view`.
    pub fn new(x: [f64; 2], y: [f64; 2]) -> crate::Result<ViewBox> {
        let finite = x.iter().chain(&y).all(|v| v.is_finite());
        if finite && x[0] < x[1] && y[0] < y[1] {
            Ok(ViewBox { x, y })
        } else {
            Err(crate::Error::invalid_as(
                "view",
                format!("[{}, {}] x [{}, {}]", x[0], x[1], y[0], y[1]),
                crate::error::Expected::ViewBox,
            ))
        }
    }
}

/// A loss surface over two parameters.
pub trait Surface {
    /// f(p).
    fn value(&self, p: [f64; 2]) -> f64;
    /// f(p) and ∇f(p).
    fn gradient(&self, p: [f64; 2]) -> (f64, [f64; 2]);
    /// f(p), ∇f(p) and the Hessian ∇²f(p).
    fn hessian(&self, p: [f64; 2]) -> (f64, [f64; 2], [[f64; 2]; 2]);
}

impl Surface for Formula {
    fn value(&self, p: [f64; 2]) -> f64 {
        Formula::value(self, p[0], p[1])
    }
    fn gradient(&self, p: [f64; 2]) -> (f64, [f64; 2]) {
        Formula::gradient(self, p[0], p[1])
    }
    fn hessian(&self, p: [f64; 2]) -> (f64, [f64; 2], [[f64; 2]; 2]) {
        Formula::hessian(self, p[0], p[1])
    }
}

/// A surface given as a preset id (`rosenbrock`) or as a formula (`x^2 + 3*y^2`).
pub fn resolve(spec: &str) -> Result<Formula> {
    match preset(spec.trim()) {
        Some(p) => Formula::parse(p.formula),
        None => Formula::parse(spec),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_box_is_checked_when_made() {
        let v = ViewBox::new([-1.0, 1.0], [0.0, 2.0]).unwrap();
        assert_eq!((v.x, v.y), ([-1.0, 1.0], [0.0, 2.0]));
        for (x, y) in [
            ([1.0, 0.0], [0.0, 1.0]),
            ([0.0, 1.0], [1.0, 1.0]),
            ([0.0, f64::NAN], [0.0, 1.0]),
            ([0.0, 1.0], [f64::NEG_INFINITY, 1.0]),
        ] {
            let e = ViewBox::new(x, y).unwrap_err();
            assert_eq!(e.data()["field"], "view");
            assert_eq!(e.data()["expected"]["kind"], "view_box");
            assert!(e.to_string().contains("x0 < x1"), "{e}");
        }
    }

    #[test]
    fn every_preset_parses_and_is_finite_on_its_view() {
        let ps = presets();
        assert!(ps.len() >= 14);
        for p in ps {
            let f = resolve(p.id).unwrap_or_else(|e| panic!("{}: {e}", p.id));
            let mut out = Vec::new();
            f.eval_grid(p.view.x, p.view.y, 33, 33, &mut out);
            assert!(
                out.iter().all(|v| v.is_finite()),
                "{} not finite on its view",
                p.id
            );
            assert!(
                p.view.x[0] < p.view.x[1] && p.view.y[0] < p.view.y[1],
                "{}",
                p.id
            );
            let [sx, sy] = p.start;
            assert!(
                (p.view.x[0]..=p.view.x[1]).contains(&sx)
                    && (p.view.y[0]..=p.view.y[1]).contains(&sy),
                "{}: start outside the view",
                p.id
            );
            assert!(!p.description_en.is_empty() && !p.description_zh.is_empty());
            assert!(!p.name_en.is_empty() && !p.name_zh.is_empty());
        }
        let mut ids: Vec<_> = ps.iter().map(|p| p.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), ps.len(), "preset ids are unique");
    }

    #[test]
    fn a_formula_that_is_not_a_preset_is_parsed() {
        assert_eq!(resolve("x^2+y^2").unwrap().value(1.0, 2.0), 5.0);
        assert!(resolve("rosenbrok").is_err());
    }

    #[test]
    fn sharp_and_flat_minima_have_equal_depth_and_different_curvature() {
        let f = resolve("sharp_flat").unwrap();
        let (a, _, ha) = f.hessian(-1.5, 0.0);
        let (b, _, hb) = f.hessian(1.5, 0.0);
        assert_eq!(a, 0.0);
        assert_eq!(b, 0.0);
        assert!(ha[0][0] > 10.0 * hb[0][0]);
    }
}
