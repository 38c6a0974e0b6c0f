//! `Lab`: one surface, its picture, its critical points and up to eight optimizer runs, owned
//! by Rust. JS sets the surface, the view and the runs, then reads the heatmap through a view of
//! wasm memory and everything else as arrays or JSON. The runs live in `runs.rs`, the 3-D view
//! in `view3d.rs`; this file holds the surface side.

use super::error::to_js;
#[cfg(feature = "lab")]
use super::error::to_json;
use super::picture::{check_side, Colors};
use crate::config::RunConfig;
use crate::error::Error;
use crate::expr::Formula;
use crate::render::{self, ColorScale, Field, LogScale};
#[cfg(feature = "lab")]
use crate::sim;
use crate::sim::Trajectory;
use crate::surface::{self, ViewBox};
#[cfg(feature = "lab")]
use crate::{compare, critical};
use wasm_bindgen::prelude::*;

/// One run of the lab: its config and what it did.
pub(super) struct Run {
    /// Read by the exports (the whole build's).
    #[cfg_attr(not(feature = "lab"), allow(dead_code))]
    pub(super) config: RunConfig,
    pub(super) trajectory: Trajectory,
}

/// The app's state on the Rust side.
#[wasm_bindgen]
pub struct Lab {
    pub(super) spec: String,
    pub(super) formula: Formula,
    pub(super) view: ViewBox,
    pub(super) start: [f64; 2],
    pub(super) grid: Vec<f64>,
    pub(super) rgba: Vec<u8>,
    pub(super) colors: Colors,
    /// The contour levels of the last `contours` call (Taylor contours use the same ones).
    pub(super) levels: Vec<f64>,
    /// The last `set_run` (the whole build's).
    #[cfg_attr(not(feature = "lab"), allow(dead_code))]
    pub(super) trajectory: Trajectory,
    pub(super) runs: Vec<Run>,
    /// The animation's step, shared by all runs.
    pub(super) cursor: usize,
    /// The 3-D view's camera (the whole build's).
    #[cfg_attr(not(feature = "lab"), allow(dead_code))]
    pub(super) projection: Option<render::Projection>,
}

#[wasm_bindgen]
impl Lab {
    /// A lab on the first preset.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<Lab, JsValue> {
        let first = surface::presets()
            .first()
            .ok_or_else(|| Error::internal("no preset surfaces"))?;
        let mut lab = Lab {
            spec: String::new(),
            formula: surface::resolve(first.id).map_err(to_js)?,
            view: first.view,
            start: first.start,
            grid: Vec::new(),
            rgba: Vec::new(),
            colors: Colors::Equalized,
            levels: Vec::new(),
            trajectory: Trajectory::default(),
            runs: Vec::new(),
            cursor: 0,
            projection: None,
        };
        lab.set_surface(first.id)?;
        Ok(lab)
    }

    /// Sets the surface: a preset id (which also sets its view box and start point) or a
    /// formula (the view box stays). Throws a `FormulaError` with `start`/`end` on bad input.
    pub fn set_surface(&mut self, spec: &str) -> Result<(), JsValue> {
        let formula = surface::resolve(spec).map_err(to_js)?;
        if let Some(p) = surface::preset(spec.trim()) {
            self.view = p.view;
            self.start = p.start;
        }
        self.formula = formula;
        self.spec = spec.to_string();
        Ok(())
    }

    /// Checks a formula without changing anything; throws the `FormulaError` `set_surface`
    /// would.
    pub fn check_formula(spec: &str) -> Result<(), JsValue> {
        surface::resolve(spec).map(|_| ()).map_err(to_js)
    }

    /// The current surface as given (a preset id or a formula).
    pub fn surface(&self) -> String {
        self.spec.clone()
    }

    /// The formula of the current surface.
    pub fn formula(&self) -> String {
        self.formula.source().to_string()
    }

    /// The view box as `[x0, x1, y0, y1]`.
    pub fn view(&self) -> Vec<f64> {
        vec![
            self.view.x[0],
            self.view.x[1],
            self.view.y[0],
            self.view.y[1],
        ]
    }

    /// Sets the view box; needs finite bounds with x0 < x1 and y0 < y1.
    pub fn set_view(&mut self, x0: f64, x1: f64, y0: f64, y1: f64) -> Result<(), JsValue> {
        self.view = ViewBox::new([x0, x1], [y0, y1])?;
        Ok(())
    }

    /// The suggested start point of the current preset (or the last one), `[x, y]`.
    pub fn preset_start(&self) -> Vec<f64> {
        self.start.to_vec()
    }

    /// The view box of a preset (`[x0, x1, y0, y1]`), empty for an unknown id ("fit view").
    pub fn preset_view(id: &str) -> Vec<f64> {
        surface::preset(id.trim())
            .map(|p| vec![p.view.x[0], p.view.x[1], p.view.y[0], p.view.y[1]])
            .unwrap_or_default()
    }

    /// f(x, y) on the current surface.
    pub fn value(&self, x: f64, y: f64) -> f64 {
        self.formula.value(x, y)
    }

    /// Chooses the colour scale: `"equalized"` (the default) or `"log"`.
    pub fn set_color_scale(&mut self, name: &str) -> Result<(), JsValue> {
        self.colors = Colors::from_name(name)?;
        Ok(())
    }

    /// Fills the heatmap (`width` × `height` RGBA, top row = largest y) and returns its length
    /// in bytes; read it through `new Uint8ClampedArray(memory.buffer, heatmap_ptr(), len)`,
    /// made after this call (it may grow memory).
    pub fn render_heatmap(&mut self, width: usize, height: usize) -> Result<usize, JsValue> {
        let field = self.field(width, height)?;
        match self.colors {
            Colors::Equalized => {
                let scale = ColorScale::from_values(&field.values);
                render::fill_rgba(&field, &scale, &mut self.rgba);
            }
            Colors::Log => {
                let scale = LogScale::from_values(&field.values);
                render::fill_rgba_by(&field, |v| scale.t(v), &mut self.rgba);
            }
        }
        self.grid = field.values;
        Ok(self.rgba.len())
    }

    /// Where the heatmap bytes start in wasm memory.
    pub fn heatmap_ptr(&self) -> usize {
        self.rgba.as_ptr() as usize
    }

    /// Contour lines on an `nx` × `ny` grid at `levels` levels (quantiles, plus log-spaced
    /// ones in the basin of the minimum: `render::contour_levels`), as a flat array of
    /// segments `[level, x0, y0, x1, y1, ...]` in surface coordinates. The levels' values are
    /// then in `contour_levels()`.
    pub fn contours(&mut self, nx: usize, ny: usize, levels: usize) -> Result<Vec<f64>, JsValue> {
        let field = self.field(nx, ny)?;
        self.levels = render::contour_levels(&field.values, levels.min(256));
        let out = flat(&render::contour_segments(&field, &self.levels));
        self.grid = field.values;
        Ok(out)
    }

    /// The values of the levels of the last `contours` call (index = a segment's level).
    pub fn contour_levels(&self) -> Vec<f64> {
        self.levels.clone()
    }
}

/// What the first picture does not need: the critical points (drawn a moment after it), the
/// inspector, the compare sets, single runs and the benchmarks' grid. The surface lab's first
/// build (feature `lab-first`, `www/pkg-lab-first/`) leaves them out; the page moves to the
/// whole build (`www/pkg-lab/`) once it has drawn (www/main.js).
#[cfg(feature = "lab")]
#[wasm_bindgen]
impl Lab {
    /// Which of the surface's value, gradient and Hessian run as compiled wasm (1) rather than
    /// through the formula's tape (0); a formula compiles once it is in use (`expr::jit`).
    pub fn formula_compiled(&self) -> Vec<u8> {
        self.formula.jit().compiled().map(u8::from).to_vec()
    }

    /// Evaluates the surface on an `nx` × `ny` grid over the view box (kept inside the
    /// lab) and returns the value at the grid's centre (benchmarks use this).
    pub fn eval_grid(&mut self, nx: usize, ny: usize) -> Result<f64, JsValue> {
        check_side(nx)?;
        check_side(ny)?;
        let mut grid = std::mem::take(&mut self.grid);
        self.formula
            .eval_grid(self.view.x, self.view.y, nx, ny, &mut grid);
        let centre = grid
            .get((ny / 2) * nx + nx / 2)
            .copied()
            .unwrap_or(f64::NAN);
        self.grid = grid;
        Ok(centre)
    }

    /// Every critical point inside the view box, as the core's search JSON:
    /// `{"region", "points": [{x, y, f, gradient, hessian, eigenvalues, eigenvectors, kind,
    /// tol, condition_number, escape_direction, max_stable_lr}], "notes"}` (non-finite numbers
    /// are `null`).
    pub fn critical_points(&self) -> Result<String, JsValue> {
        let search = critical::find(&self.formula, self.view);
        to_json(&search)
    }

    /// The inspection of the surface at (x, y) as JSON (see `critical_points` for the keys),
    /// plus `escape_start`: where runs start to escape a saddle here (`null` without a
    /// direction of negative curvature).
    pub fn inspect(&self, x: f64, y: f64) -> Result<String, JsValue> {
        if !(x.is_finite() && y.is_finite()) {
            return Err(Error::invalid("point", format!("({x}, {y})"), "a finite point").into());
        }
        let inspection = critical::inspect(&self.formula, [x, y]);
        let mut doc =
            serde_json::to_value(&inspection).map_err(|e| Error::Config(e.to_string()))?;
        doc["escape_start"] = serde_json::json!(compare::escape_start(&inspection, self.view));
        to_json(&doc)
    }

    /// The runs of a compare button (`gd-momentum-adam`, `adaptive`, `lecture`, `lrs`) for
    /// this view, starting at (x, y), as `[{opt, params}]`; `selected_json` is the selected run
    /// (`{opt, params}`, or `""`), whose lr the `lrs` set varies. Throws for an unknown set.
    pub fn compare_runs(
        &self,
        kind: &str,
        x: f64,
        y: f64,
        selected_json: &str,
    ) -> Result<String, JsValue> {
        let stable = (x.is_finite() && y.is_finite())
            .then(|| critical::inspect(&self.formula, [x, y]).max_stable_lr)
            .flatten();
        let selected: Option<compare::RunChoice> = if selected_json.is_empty() {
            None
        } else {
            Some(serde_json::from_str(selected_json).map_err(|e| Error::parse("selected run", e))?)
        };
        to_json(&compare::runs(kind, self.view, stable, selected.as_ref()).map_err(to_js)?)
    }

    /// The contour lines of the second-order Taylor model around (x, y), at the levels of the
    /// last `contours` call, on an `nx` × `ny` grid over the view; flat as in `contours`.
    pub fn taylor_contours(
        &self,
        x: f64,
        y: f64,
        nx: usize,
        ny: usize,
    ) -> Result<Vec<f64>, JsValue> {
        check_side(nx)?;
        check_side(ny)?;
        let inspection = critical::inspect(&self.formula, [x, y]);
        let field = Field::from_fn(nx, ny, self.view.x, self.view.y, |qx, qy| {
            inspection.taylor([qx, qy])
        });
        Ok(flat(&render::contour_segments(&field, &self.levels)))
    }

    /// Runs a config (the core's `RunConfig` JSON, e.g. `{"surface": "rosenbrock", "start":
    /// [-1.5, 2], "steps": 500, "optimizer": {"name": "adam", "lr": 0.05}}`) and keeps its
    /// trajectory; returns the number of recorded points.
    pub fn set_run(&mut self, config_json: &str) -> Result<usize, JsValue> {
        let cfg = RunConfig::from_json(config_json).map_err(to_js)?;
        self.trajectory = sim::simulate(&cfg).map_err(to_js)?;
        Ok(self.trajectory.x.len())
    }

    /// x of the points p_0 … of the last `set_run`.
    pub fn trajectory_x(&self) -> Vec<f64> {
        self.trajectory.x.clone()
    }

    /// y of the points of the last `set_run`.
    pub fn trajectory_y(&self) -> Vec<f64> {
        self.trajectory.y.clone()
    }

    /// The loss at the points of the last `set_run`.
    pub fn trajectory_loss(&self) -> Vec<f64> {
        self.trajectory.loss.clone()
    }

    /// The learning rate of each step of the last `set_run`.
    pub fn trajectory_lr(&self) -> Vec<f64> {
        self.trajectory.lr.clone()
    }

    /// The first step at which the last `set_run` left the finite numbers, if it did.
    pub fn diverged_at(&self) -> Option<usize> {
        self.trajectory.diverged_at
    }
}

impl Lab {
    /// The surface sampled on an `nx` × `ny` grid over the view box.
    pub(super) fn field(&mut self, nx: usize, ny: usize) -> Result<Field, JsValue> {
        check_side(nx)?;
        check_side(ny)?;
        let mut values = std::mem::take(&mut self.grid);
        self.formula
            .eval_grid(self.view.x, self.view.y, nx, ny, &mut values);
        Ok(Field::new(values, nx, ny, self.view.x, self.view.y))
    }
}

/// Segments as `[level, x0, y0, x1, y1, ...]`.
fn flat(segments: &[render::Segment]) -> Vec<f64> {
    let mut out = Vec::with_capacity(segments.len() * 5);
    for s in segments {
        out.extend_from_slice(&[s.level as f64, s.a[0], s.a[1], s.b[0], s.b[1]]);
    }
    out
}
