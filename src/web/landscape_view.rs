//! `LandscapeView`: a network's loss over a plane in weight space (the core's
//! `landscape::Plane`, computed by the classifier's worker) drawn with the surface lab's
//! tools: the same viridis heatmap, marching-squares contours and 3-D view, over a
//! `GridSurface` (bilinear between the grid values) instead of a formula, with the
//! trajectory projected on it.

use super::error::to_js;
use super::picture::{check_side, Colors};
use super::view3d::{draw_field_3d, MESH};
use crate::error::Error;
use crate::landscape::Plane;
use crate::render::{self, ColorScale, Field, LogScale};
use crate::surface::GridSurface;
use wasm_bindgen::prelude::*;

/// A loss landscape to draw.
#[wasm_bindgen]
pub struct LandscapeView {
    plane: Plane,
    surface: GridSurface,
    colors: Colors,
    rgba: Vec<u8>,
    levels: Vec<f64>,
    projection: Option<render::Projection>,
}

#[wasm_bindgen]
impl LandscapeView {
    /// Wraps a plane's JSON (what `WeightTrail.landscape` returns); throws for a bad one.
    #[wasm_bindgen(constructor)]
    pub fn new(plane_json: &str) -> Result<LandscapeView, JsValue> {
        let plane = parse_plane(plane_json)?;
        let surface = GridSurface::new(plane.x, plane.y, plane.nx, plane.ny, plane.values.clone())
            .map_err(to_js)?;
        Ok(LandscapeView {
            plane,
            surface,
            colors: Colors::Equalized,
            rgba: Vec::new(),
            levels: Vec::new(),
            projection: None,
        })
    }

    /// The plane's box `[x0, x1, y0, y1]`.
    pub fn view(&self) -> Vec<f64> {
        vec![
            self.plane.x[0],
            self.plane.x[1],
            self.plane.y[0],
            self.plane.y[1],
        ]
    }

    /// `"equalized"` (the default) or `"log"`, as in the surface lab.
    pub fn set_color_scale(&mut self, name: &str) -> Result<(), JsValue> {
        self.colors = Colors::from_name(name)?;
        Ok(())
    }

    /// The loss at (x, y) of the plane, bilinear between the grid values.
    pub fn value(&self, x: f64, y: f64) -> f64 {
        self.surface.value(x, y)
    }

    /// Fills the `width` × `height` heatmap (RGBA, top row = largest y) from the grid,
    /// interpolated; returns its length in bytes (read it at `heatmap_ptr()` after this call).
    pub fn render_heatmap(&mut self, width: usize, height: usize) -> Result<usize, JsValue> {
        let field = self.resampled(width, height)?;
        match self.colors {
            Colors::Equalized => {
                // The scale of the grid's own values, so interpolation adds no colours.
                let scale = ColorScale::from_values(&self.plane.values);
                render::fill_rgba(&field, &scale, &mut self.rgba);
            }
            Colors::Log => {
                let scale = LogScale::from_values(&self.plane.values);
                render::fill_rgba_by(&field, |v| scale.t(v), &mut self.rgba);
            }
        }
        Ok(self.rgba.len())
    }

    /// Where the heatmap bytes start in wasm memory.
    pub fn heatmap_ptr(&self) -> usize {
        self.rgba.as_ptr() as usize
    }

    /// Contour lines of the grid itself at `levels` levels (as the surface lab chooses
    /// them), flat `[level, x0, y0, x1, y1, ...]`; the values in `contour_levels()`.
    pub fn contours(&mut self, levels: usize) -> Vec<f64> {
        let field = self.grid_field();
        self.levels = render::contour_levels(&field.values, levels.min(256));
        let segments = render::contour_segments(&field, &self.levels);
        let mut out = Vec::with_capacity(segments.len() * 5);
        for s in &segments {
            out.extend_from_slice(&[s.level as f64, s.a[0], s.a[1], s.b[0], s.b[1]]);
        }
        out
    }

    /// The values of the levels of the last `contours` call.
    pub fn contour_levels(&self) -> Vec<f64> {
        self.levels.clone()
    }

    /// The trajectory's x on the plane, first point first (the last is the center, 0).
    pub fn path_x(&self) -> Vec<f64> {
        self.plane.path.iter().map(|p| p.x).collect()
    }

    pub fn path_y(&self) -> Vec<f64> {
        self.plane.path.iter().map(|p| p.y).collect()
    }

    /// The loss at the projected points (on the surface).
    pub fn path_loss(&self) -> Vec<f64> {
        self.plane.path.iter().map(|p| p.loss).collect()
    }

    /// The index of the trajectory's last point (the 3-D view draws up to it).
    pub fn step(&self) -> usize {
        self.plane.path.len().saturating_sub(1)
    }

    /// Draws the 3-D view as the surface lab does (`Lab::render_3d`, same arguments).
    pub fn render_3d(
        &mut self,
        canvas: web_sys::HtmlCanvasElement,
        yaw: f64,
        pitch: f64,
        dark: bool,
        scale: f64,
    ) -> Result<(), JsValue> {
        let field = self.resampled(MESH + 1, MESH + 1)?;
        self.projection = None;
        self.projection = Some(draw_field_3d(
            &field,
            self.colors,
            canvas,
            yaw,
            pitch,
            dark,
            scale,
        )?);
        Ok(())
    }

    /// The canvas pixels `[px0, py0, ...]` of the trajectory on the last 3-D view, each at
    /// its loss on the plane (`i` must be 0: one trajectory); empty before any 3-D view.
    pub fn project_run_3d(&self, i: usize) -> Vec<f64> {
        let Some(p) = self.projection.as_ref().filter(|_| i == 0) else {
            return Vec::new();
        };
        let mut out = Vec::with_capacity(2 * self.plane.path.len());
        for q in &self.plane.path {
            let (px, py) = p.project(q.x, q.y, q.loss);
            out.extend_from_slice(&[px as f64, py as f64]);
        }
        out
    }
}

impl LandscapeView {
    fn grid_field(&self) -> Field {
        Field::new(
            self.plane.values.clone(),
            self.plane.nx,
            self.plane.ny,
            self.plane.x,
            self.plane.y,
        )
    }

    fn resampled(&self, nx: usize, ny: usize) -> Result<Field, JsValue> {
        check_side(nx)?;
        check_side(ny)?;
        let mut values = Vec::new();
        self.surface.resample(nx, ny, &mut values);
        Ok(Field::new(values, nx, ny, self.plane.x, self.plane.y))
    }
}

/// A plane from its JSON, where a non-finite loss (an overflow) arrives as `null`.
fn parse_plane(json: &str) -> Result<Plane, JsValue> {
    let bad = |e: serde_json::Error| to_js(Error::parse("landscape", e));
    let mut v: serde_json::Value = serde_json::from_str(json).map_err(bad)?;
    let nulls_to_nan = |v: &mut serde_json::Value| {
        if v.is_null() {
            *v = serde_json::Value::from(0.0);
            true
        } else {
            false
        }
    };
    let mut holes = Vec::new();
    if let Some(values) = v.get_mut("values").and_then(|v| v.as_array_mut()) {
        for (k, x) in values.iter_mut().enumerate() {
            if nulls_to_nan(x) {
                holes.push(k);
            }
        }
    }
    let mut path_holes = Vec::new();
    if let Some(path) = v.get_mut("path").and_then(|v| v.as_array_mut()) {
        for (k, p) in path.iter_mut().enumerate() {
            for key in ["loss", "loss_true"] {
                if p.get_mut(key).is_some_and(nulls_to_nan) {
                    path_holes.push((k, key));
                }
            }
        }
    }
    let mut plane: Plane = serde_json::from_value(v).map_err(bad)?;
    for k in holes {
        plane.values[k] = f64::NAN;
    }
    for (k, key) in path_holes {
        let p = &mut plane.path[k];
        if key == "loss" {
            p.loss = f64::NAN;
        } else {
            p.loss_true = f64::NAN;
        }
    }
    Ok(plane)
}
