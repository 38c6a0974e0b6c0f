//! `Lab`: one surface, its picture and one optimizer run, owned by Rust. JS sets the surface
//! and the run, then reads the heatmap through a view of wasm memory and the run as arrays.

use super::error::to_js;
use crate::config::RunConfig;
use crate::expr::Formula;
use crate::render::{self, ColorScale, Field};
use crate::sim::{self, Trajectory};
use crate::surface::{self, ViewBox};
use wasm_bindgen::prelude::*;

/// The largest heatmap or contour grid side (keeps memory bounded whatever JS asks).
const MAX_SIDE: usize = 2048;

/// The app's state on the Rust side.
#[wasm_bindgen]
pub struct Lab {
    spec: String,
    formula: Formula,
    view: ViewBox,
    start: [f64; 2],
    grid: Vec<f64>,
    rgba: Vec<u8>,
    trajectory: Trajectory,
}

#[wasm_bindgen]
impl Lab {
    /// A lab on the first preset.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<Lab, JsValue> {
        let first = surface::presets()
            .first()
            .ok_or_else(|| JsError::new("no preset surfaces"))?;
        let mut lab = Lab {
            spec: String::new(),
            formula: surface::resolve(first.id).map_err(to_js)?,
            view: first.view,
            start: first.start,
            grid: Vec::new(),
            rgba: Vec::new(),
            trajectory: Trajectory::default(),
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
    pub fn set_view(&mut self, x0: f64, x1: f64, y0: f64, y1: f64) -> Result<(), JsError> {
        let ok = [x0, x1, y0, y1].iter().all(|v| v.is_finite()) && x0 < x1 && y0 < y1;
        if !ok {
            return Err(JsError::new(&format!(
                "invalid view box [{x0}, {x1}] x [{y0}, {y1}]: expected finite bounds, lower < upper"
            )));
        }
        self.view = ViewBox {
            x: [x0, x1],
            y: [y0, y1],
        };
        Ok(())
    }

    /// The suggested start point of the current preset (or the last one), `[x, y]`.
    pub fn preset_start(&self) -> Vec<f64> {
        self.start.to_vec()
    }

    /// f(x, y) on the current surface.
    pub fn value(&self, x: f64, y: f64) -> f64 {
        self.formula.value(x, y)
    }

    /// Fills the heatmap (`width` × `height` RGBA, top row = largest y) and returns its length
    /// in bytes; read it through `new Uint8ClampedArray(memory.buffer, heatmap_ptr(), len)`,
    /// made after this call (it may grow memory).
    pub fn render_heatmap(&mut self, width: usize, height: usize) -> Result<usize, JsError> {
        let field = self.field(width, height)?;
        let scale = ColorScale::from_values(&field.values);
        render::fill_rgba(&field, &scale, &mut self.rgba);
        self.grid = field.values;
        Ok(self.rgba.len())
    }

    /// Where the heatmap bytes start in wasm memory.
    pub fn heatmap_ptr(&self) -> usize {
        self.rgba.as_ptr() as usize
    }

    /// Contour lines on an `nx` × `ny` grid at `levels` levels (quantiles, plus log-spaced
    /// ones in the basin of the minimum: `render::contour_levels`), as a flat array of
    /// segments `[level, x0, y0, x1, y1, ...]` in surface coordinates.
    pub fn contours(&mut self, nx: usize, ny: usize, levels: usize) -> Result<Vec<f64>, JsError> {
        let field = self.field(nx, ny)?;
        let levels = render::contour_levels(&field.values, levels.min(256));
        let segments = render::contour_segments(&field, &levels);
        let mut out = Vec::with_capacity(segments.len() * 5);
        for s in segments {
            out.extend_from_slice(&[s.level as f64, s.a[0], s.a[1], s.b[0], s.b[1]]);
        }
        self.grid = field.values;
        Ok(out)
    }

    /// Evaluates the surface on an `nx` × `ny` grid over the view box (kept inside the
    /// lab) and returns the value at the grid's centre (benchmarks use this).
    pub fn eval_grid(&mut self, nx: usize, ny: usize) -> Result<f64, JsError> {
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

    /// Runs a config (the core's `RunConfig` JSON, e.g. `{"surface": "rosenbrock", "start":
    /// [-1.5, 2], "steps": 500, "optimizer": {"name": "adam", "lr": 0.05}}`) and keeps its
    /// trajectory; returns the number of recorded points.
    pub fn set_run(&mut self, config_json: &str) -> Result<usize, JsValue> {
        let cfg = RunConfig::from_json(config_json).map_err(to_js)?;
        self.trajectory = sim::simulate(&cfg).map_err(to_js)?;
        Ok(self.trajectory.x.len())
    }

    /// x of the points p_0 … of the last run.
    pub fn trajectory_x(&self) -> Vec<f64> {
        self.trajectory.x.clone()
    }

    /// y of the points of the last run.
    pub fn trajectory_y(&self) -> Vec<f64> {
        self.trajectory.y.clone()
    }

    /// The loss at the points of the last run.
    pub fn trajectory_loss(&self) -> Vec<f64> {
        self.trajectory.loss.clone()
    }

    /// The learning rate of each step of the last run.
    pub fn trajectory_lr(&self) -> Vec<f64> {
        self.trajectory.lr.clone()
    }

    /// The first step at which the last run left the finite numbers, if it did.
    pub fn diverged_at(&self) -> Option<usize> {
        self.trajectory.diverged_at
    }
}

impl Lab {
    /// The surface sampled on an `nx` × `ny` grid over the view box.
    fn field(&mut self, nx: usize, ny: usize) -> Result<Field, JsError> {
        check_side(nx)?;
        check_side(ny)?;
        let mut values = std::mem::take(&mut self.grid);
        self.formula
            .eval_grid(self.view.x, self.view.y, nx, ny, &mut values);
        Ok(Field::new(values, nx, ny, self.view.x, self.view.y))
    }
}

fn check_side(n: usize) -> Result<(), JsError> {
    if (2..=MAX_SIDE).contains(&n) {
        Ok(())
    } else {
        Err(JsError::new(&format!(
            "grid size {n} is out of range: expected 2 to {MAX_SIDE}"
        )))
    }
}
