//! The 3-D view of a surface with plotters' 3-D chart, generic over `DrawingBackend` so the
//! browser (plotters-canvas) and the CLI (SVG, bitmap) draw the same figure: viridis quads
//! sorted back to front (painter's algorithm), the axes box, and the runs as lines on top.

use super::{viridis, Field};
use plotters::coord::cartesian::Cartesian3d;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::{CoordTranslate, Shift};
use plotters::prelude::*;

/// The chart's coordinates: plotters (x, y, z) = surface (x, height, y), y up on screen.
pub type Coord3d = Cartesian3d<RangedCoordf64, RangedCoordf64, RangedCoordf64>;

/// Where the eye is: yaw turns around the vertical axis, pitch tilts (radians).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Camera {
    pub yaw: f64,
    pub pitch: f64,
}

impl Default for Camera {
    fn default() -> Self {
        Camera {
            yaw: 0.7,
            pitch: 0.45,
        }
    }
}

/// Colours and sizes of the chrome (the data's colours are viridis).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    pub text: RGBColor,
    pub grid: RGBColor,
    /// Multiplies font sizes and line widths (the device pixel ratio).
    pub scale: f64,
}

/// What to draw: heights on a grid, coloured by `color(v)` in [0, 1], shown between `z[0]`
/// and `z[1]` (heights outside are clamped, so one tall wall does not flatten the basin).
pub struct Scene<'a> {
    pub field: &'a Field,
    pub z: [f64; 2],
    pub color: &'a dyn Fn(f64) -> Option<f64>,
}

/// The heights worth showing: from the minimum to the `upper` quantile of the finite values.
pub fn height_range(values: &[f64], upper: f64) -> Option<[f64; 2]> {
    let mut finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.is_empty() {
        return None;
    }
    crate::order::sort(&mut finite);
    let lo = finite[0];
    let idx = ((finite.len() - 1) as f64 * upper.clamp(0.0, 1.0)).round() as usize;
    let mut hi = finite[idx];
    if hi <= lo {
        hi = lo + 1.0;
    }
    Some([lo, hi])
}

/// One quad of the mesh: its corners in chart coordinates, colour and distance from the eye.
#[derive(Clone, Copy)]
struct Quad {
    corners: [(f64, f64, f64); 4],
    color: RGBColor,
    depth: i32,
}

/// Draws the scene on `area` (cleared first) and returns the chart's coordinates, so the
/// caller can project the runs' points with [`Projection::project`].
pub fn draw_surface<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scene: &Scene<'_>,
    camera: Camera,
    theme: Theme,
) -> Result<Projection, DrawingAreaErrorKind<DB::ErrorType>> {
    let f = scene.field;
    let [z0, z1] = scene.z;
    let font = (13.0 * theme.scale).round() as u32;
    let mut chart = ChartBuilder::on(area)
        .margin((12.0 * theme.scale) as u32)
        .build_cartesian_3d(f.x[0]..f.x[1], z0..z1, f.y[0]..f.y[1])?;
    chart.with_projection(|mut pb| {
        pb.yaw = camera.yaw;
        pb.pitch = camera.pitch;
        pb.scale = 0.78;
        pb.into_matrix()
    });
    let label = ("sans-serif", font).into_font().color(&theme.text);
    chart
        .configure_axes()
        .light_grid_style(theme.grid.mix(0.35))
        .bold_grid_style(theme.grid.mix(0.6))
        .axis_panel_style(theme.grid.mix(0.08))
        .max_light_lines(2)
        .x_labels(5)
        .y_labels(4)
        .z_labels(5)
        .label_style(label.clone())
        .y_formatter(&|v| tick_text(*v, [z0, z1]))
        .x_formatter(&|v| tick_text(*v, f.x))
        .z_formatter(&|v| tick_text(*v, f.y))
        .draw()?;

    let coord = chart.as_coord_spec().clone();
    let quads = mesh(scene, &coord);
    let stroke = (theme.scale * 0.6).max(0.5) as u32;
    chart.draw_series(
        quads
            .iter()
            .map(|q| Polygon::new(q.corners.to_vec(), q.color.filled())),
    )?;
    // A thin darker outline per quad: the mesh lines, and no hairline seams between quads.
    chart.draw_series(quads.iter().map(|q| {
        let mut pts = q.corners.to_vec();
        pts.push(q.corners[0]);
        let c = q.color;
        let dark = RGBColor(
            (c.0 as f64 * 0.8) as u8,
            (c.1 as f64 * 0.8) as u8,
            (c.2 as f64 * 0.8) as u8,
        );
        PathElement::new(pts, dark.stroke_width(stroke.max(1)))
    }))?;
    // Axis names at the ends of the axes.
    let names = [
        ("x", (f.x[1], z0, f.y[0])),
        ("y", (f.x[0], z0, f.y[1])),
        ("f", (f.x[0], z1, f.y[0])),
    ];
    chart.draw_series(
        names
            .iter()
            .map(|(name, at)| Text::new(name.to_string(), *at, label.clone())),
    )?;
    Ok(Projection { coord, z: scene.z })
}

/// The mesh's quads, farthest first (each quad's centre decides its distance).
fn mesh(scene: &Scene<'_>, coord: &Coord3d) -> Vec<Quad> {
    let f = scene.field;
    let [z0, z1] = scene.z;
    let clamp = |v: f64| v.clamp(z0, z1);
    let mut quads = Vec::with_capacity(f.nx.saturating_sub(1) * f.ny.saturating_sub(1));
    for j in 0..f.ny.saturating_sub(1) {
        for i in 0..f.nx.saturating_sub(1) {
            let v = [
                f.at(i, j),
                f.at(i + 1, j),
                f.at(i + 1, j + 1),
                f.at(i, j + 1),
            ];
            if !v.iter().all(|x| x.is_finite()) {
                continue;
            }
            let (xa, xb) = (f.x_at(i as f64), f.x_at(i as f64 + 1.0));
            let (ya, yb) = (f.y_at(j as f64), f.y_at(j as f64 + 1.0));
            let corners = [
                (xa, clamp(v[0]), ya),
                (xb, clamp(v[1]), ya),
                (xb, clamp(v[2]), yb),
                (xa, clamp(v[3]), yb),
            ];
            let mean = (v[0] + v[1] + v[2] + v[3]) / 4.0;
            let [r, g, b] = viridis((scene.color)(mean).unwrap_or(0.0));
            let centre = (
                0.5 * (xa + xb),
                corners.iter().map(|c| c.1).sum::<f64>() / 4.0,
                0.5 * (ya + yb),
            );
            quads.push(Quad {
                corners,
                color: RGBColor(r, g, b),
                depth: coord.depth(&centre),
            });
        }
    }
    // Painter's algorithm: plotters' depth grows away from the eye, so the largest first
    // (stable: equal depths keep their order; an i32 is exact as an f64 key).
    crate::order::sorted_by(&quads, |q| -f64::from(q.depth))
}

/// A drawn chart's projection: pixels of surface points, for the runs drawn over it.
#[derive(Clone)]
pub struct Projection {
    coord: Coord3d,
    z: [f64; 2],
}

impl Projection {
    /// The pixel of surface point (x, y) at height `h` (clamped into the shown heights).
    pub fn project(&self, x: f64, y: f64, h: f64) -> (i32, i32) {
        let h = if h.is_finite() {
            h.clamp(self.z[0], self.z[1])
        } else {
            self.z[1]
        };
        self.coord.translate(&(x, h, y))
    }
}

/// A tick's label on an axis over `range`: a tick that is zero up to rounding (plotters
/// places ticks at `lo + k·step`, so the one at 0 may come out as -1e-17) reads "0".
fn tick_text(v: f64, range: [f64; 2]) -> String {
    if v.abs() <= 1e-9 * (range[1] - range[0]).abs() {
        "0".into()
    } else {
        short(v)
    }
}

/// Short tick labels: up to 3 significant digits.
fn short(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    if !(1e-3..1e5).contains(&a) {
        format!("{v:.0e}")
    } else {
        let s = format!("{}", (v * 1000.0).round() / 1000.0);
        if s.len() > 6 {
            format!("{v:.3}")
        } else {
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters_backend::{BackendColor, BackendCoord, BackendStyle, DrawingErrorKind};
    use std::cell::RefCell;

    #[test]
    fn a_tick_at_zero_up_to_rounding_reads_zero() {
        assert_eq!(tick_text(-1.3877787807814457e-17, [-0.1, 0.1]), "0");
        assert_eq!(tick_text(0.05, [-0.1, 0.1]), "0.05");
        // A genuinely small value on a small axis keeps its digits.
        assert_eq!(tick_text(2e-12, [0.0, 1e-11]), short(2e-12));
    }

    /// A backend that records the polygons it is asked to fill, with their points.
    struct Recorder {
        fills: RefCell<Vec<Vec<BackendCoord>>>,
    }

    #[derive(Debug)]
    struct NoError;
    impl std::fmt::Display for NoError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "no error")
        }
    }
    impl std::error::Error for NoError {}

    impl DrawingBackend for Recorder {
        type ErrorType = NoError;
        fn get_size(&self) -> (u32, u32) {
            (400, 300)
        }
        fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<NoError>> {
            Ok(())
        }
        fn present(&mut self) -> Result<(), DrawingErrorKind<NoError>> {
            Ok(())
        }
        fn draw_pixel(
            &mut self,
            _: BackendCoord,
            _: BackendColor,
        ) -> Result<(), DrawingErrorKind<NoError>> {
            Ok(())
        }
        fn draw_text<TStyle: plotters_backend::BackendTextStyle>(
            &mut self,
            _: &str,
            _: &TStyle,
            _: BackendCoord,
        ) -> Result<(), DrawingErrorKind<NoError>> {
            Ok(())
        }
        fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
            &mut self,
            vert: I,
            _: &S,
        ) -> Result<(), DrawingErrorKind<NoError>> {
            self.fills.borrow_mut().push(vert.into_iter().collect());
            Ok(())
        }
    }

    fn bowl() -> Field {
        Field::from_fn(9, 9, [-1.0, 1.0], [-1.0, 1.0], |x, y| x * x + y * y)
    }

    #[test]
    fn quads_are_sorted_back_to_front_and_non_finite_cells_skipped() {
        let field = Field::from_fn(9, 9, [-1.0, 1.0], [-1.0, 1.0], |x, y| {
            if x > 0.9 && y > 0.9 {
                f64::NAN
            } else {
                x * x + y * y
            }
        });
        let color = |v: f64| Some(v / 2.0);
        let scene = Scene {
            field: &field,
            z: [0.0, 2.0],
            color: &color,
        };
        let coord = ChartBuilder::on(
            &Recorder {
                fills: RefCell::new(Vec::new()),
            }
            .into_drawing_area(),
        )
        .build_cartesian_3d(-1.0..1.0, 0.0..2.0, -1.0..1.0)
        .unwrap()
        .as_coord_spec()
        .clone();
        let quads = mesh(&scene, &coord);
        assert_eq!(quads.len(), 8 * 8 - 1);
        assert!(quads.windows(2).all(|w| w[0].depth >= w[1].depth));
    }

    #[test]
    fn the_figure_is_drawn_and_points_project_inside_the_area() {
        let field = bowl();
        let color = |v: f64| Some(v / 2.0);
        let scene = Scene {
            field: &field,
            z: height_range(&field.values, 1.0).unwrap(),
            color: &color,
        };
        let backend = Recorder {
            fills: RefCell::new(Vec::new()),
        };
        let area = backend.into_drawing_area();
        let theme = Theme {
            text: BLACK,
            grid: BLACK,
            scale: 1.0,
        };
        let projection = draw_surface(&area, &scene, Camera::default(), theme).unwrap();
        drop(area);
        let (px, py) = projection.project(0.0, 0.0, 0.0);
        assert!(
            (0..400).contains(&px) && (0..300).contains(&py),
            "{px},{py}"
        );
        // NaN heights go to the top instead of poisoning the pixel.
        let (_, top) = projection.project(0.0, 0.0, f64::NAN);
        assert!(top < py);
    }

    #[test]
    fn height_range_clips_the_tall_tail() {
        let values: Vec<f64> = (0..=100).map(|i| i as f64).chain([f64::NAN]).collect();
        assert_eq!(height_range(&values, 0.9), Some([0.0, 90.0]));
        assert_eq!(height_range(&[3.0, 3.0], 0.9), Some([3.0, 4.0]));
        assert_eq!(height_range(&[f64::NAN], 0.9), None);
    }
}
