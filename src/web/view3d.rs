//! The 3-D view: the surface drawn by `render::surface3d` (plotters) on a canvas through
//! plotters-canvas, and the runs' points projected with the same camera for JS to draw.

#[cfg(feature = "lab")]
use super::lab::Lab;
use super::picture::Colors;
use crate::error::Error;
use crate::render::{self, Camera, ColorScale, LogScale, Scene, Theme};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Quads per side of the 3-D mesh (about 2000 quads: smooth enough, fast to rotate).
pub(super) const MESH: usize = 45;

#[cfg(feature = "lab")]
#[wasm_bindgen]
impl Lab {
    /// Draws the 3-D view of the current surface and view box on `canvas` (its pixel size as
    /// set), seen from `yaw` and `pitch` (radians); `dark` picks light text for a dark page,
    /// `scale` multiplies fonts and lines (the device pixel ratio).
    pub fn render_3d(
        &mut self,
        canvas: web_sys::HtmlCanvasElement,
        yaw: f64,
        pitch: f64,
        dark: bool,
        scale: f64,
    ) -> Result<(), JsValue> {
        let field = self.field(MESH + 1, MESH + 1)?;
        let projection = match draw_field_3d(&field, self.colors, canvas, yaw, pitch, dark, scale) {
            Ok(p) => p,
            Err(e) => {
                self.projection = None;
                return Err(e);
            }
        };
        self.projection = Some(projection);
        self.grid = field.values;
        Ok(())
    }

    /// The canvas pixels `[px0, py0, px1, py1, ...]` of run `i`'s points on the last 3-D view
    /// (each at its height on the surface); empty before any 3-D view or for a bad index.
    pub fn project_run_3d(&self, i: usize) -> Vec<f64> {
        let (Some(p), Some(run)) = (&self.projection, self.runs.get(i)) else {
            return Vec::new();
        };
        let t = &run.trajectory;
        let mut out = Vec::with_capacity(2 * t.x.len());
        for k in 0..t.x.len() {
            let (px, py) = p.project(t.x[k], t.y[k], t.loss[k]);
            out.extend_from_slice(&[px as f64, py as f64]);
        }
        out
    }

    /// The canvas pixel `[px, py]` of the surface point (x, y) on the last 3-D view.
    pub fn project_3d(&self, x: f64, y: f64) -> Vec<f64> {
        match &self.projection {
            Some(p) => {
                let (px, py) = p.project(x, y, self.formula.value(x, y));
                vec![px as f64, py as f64]
            }
            None => Vec::new(),
        }
    }
}

/// Draws `field` as the 3-D view on `canvas` (see `Lab::render_3d` for the arguments) and
/// returns the projection of its chart; the classifier's loss landscape draws with it too.
pub(super) fn draw_field_3d(
    field: &render::Field,
    colors: Colors,
    canvas: web_sys::HtmlCanvasElement,
    yaw: f64,
    pitch: f64,
    dark: bool,
    scale: f64,
) -> Result<render::Projection, JsValue> {
    let Some(z) = render::height_range(&field.values, 0.95) else {
        return Err(
            Error::Unavailable("the surface has no finite value in the view".into()).into(),
        );
    };
    let (equalized, log) = (
        ColorScale::from_values(&field.values),
        LogScale::from_values(&field.values),
    );
    let color = move |v: f64| match colors {
        Colors::Equalized => equalized.t(v),
        Colors::Log => log.t(v),
    };
    let scene = Scene {
        field,
        z,
        color: &color,
    };
    let theme = if dark {
        Theme {
            text: RGBColor(231, 234, 240),
            grid: RGBColor(154, 163, 181),
            scale: scale.clamp(0.5, 4.0),
        }
    } else {
        Theme {
            text: RGBColor(29, 35, 48),
            grid: RGBColor(91, 100, 117),
            scale: scale.clamp(0.5, 4.0),
        }
    };
    let camera = Camera {
        yaw: if yaw.is_finite() { yaw } else { 0.7 },
        pitch: if pitch.is_finite() {
            pitch.clamp(-1.5, 1.5)
        } else {
            0.45
        },
    };
    // Filling with a transparent colour paints nothing: clear what the last view drew (its
    // labels would show through the new ones after a rotation).
    if let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
    {
        ctx.clear_rect(0.0, 0.0, canvas.width() as f64, canvas.height() as f64);
    }
    let backend = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| Error::Unavailable("no 2-D context on the 3-D canvas".into()))?;
    let area = backend.into_drawing_area();
    let projection = render::draw_surface(&area, &scene, camera, theme).map_err(Error::internal)?;
    area.present().map_err(Error::internal)?;
    Ok(projection)
}
