//! The 2-D surface view with plotters, generic over `DrawingBackend`: the heatmap (viridis over
//! the values' CDF) with contour lines, axes with ticks and names, the runs' paths with start
//! rings and end dots, the critical points' markers, and the legend under the data.

use super::figure::{Figure, RunPath};
use super::legend::{self, Entry, Key, LEGEND_MARGIN};
use super::look::{run_color, tick_text, Look, AXIS, TICK};
use super::polyline::{chain, clip, inside};
use super::{contour_levels, contour_segments, header, marks, viridis, ColorScale, Field};
use crate::critical::Kind;
use crate::surface::ViewBox;
use plotters::coord::Shift;
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::*;
use plotters_backend::{BackendCoord, DrawingErrorKind};

/// How many contour levels the view draws (as the app).
pub const LEVELS: usize = 14;

/// The legend of a figure: its runs (saying where one diverged), the kinds of critical points
/// it shows and the start ring (`with_critical`), and the diverged cross when one is drawn.
pub fn legend_entries(fig: &Figure, with_critical: bool, crosses: bool) -> Vec<Entry> {
    let mut entries: Vec<Entry> = fig
        .runs
        .iter()
        .enumerate()
        .map(|(i, r)| Entry {
            key: Key::Run(i),
            label: match r.diverged_at {
                Some(step) => format!("{}{}", r.label, fig.lang.diverged_at(step)),
                None => r.label.clone(),
            },
        })
        .collect();
    if with_critical {
        if !fig.runs.is_empty() {
            entries.push(Entry {
                key: Key::Start,
                label: fig.lang.start().into(),
            });
        }
        for kind in [Kind::Minimum, Kind::Saddle, Kind::Maximum, Kind::Degenerate] {
            if fig.critical.iter().any(|m| m.kind == kind) {
                entries.push(Entry {
                    key: Key::Critical(kind),
                    label: fig.lang.kind(kind).into(),
                });
            }
        }
    }
    if crosses {
        entries.push(Entry {
            key: Key::Diverged,
            label: fig.lang.diverged().into(),
        });
    }
    entries
}

/// Draws the surface view of `fig` on `area` (filled with the background first).
pub fn draw_surface_view<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    fig: &Figure,
    look: &Look,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&look.background)?;
    let body = header::draw(area, &fig.title, fig.subtitle.as_deref(), look)?;
    let view = ViewBox {
        x: fig.field.x,
        y: fig.field.y,
    };
    let crosses = fig
        .runs
        .iter()
        .any(|r| r.diverged_at.is_some() && ends(r).is_some_and(|(_, last)| inside(last, view)));
    let entries = legend_entries(fig, true, crosses);
    let (width, height) = body.dim_in_pixel();
    let layout = legend::layout(
        &body,
        &entries,
        width as i32 - 2 * look.px(LEGEND_MARGIN),
        look,
    )?;
    let legend_height = layout.height(look);
    let (plot_area, legend_area) = body.split_vertically(height as i32 - legend_height);
    let legend_area = legend_area.margin(0, 0, look.px(LEGEND_MARGIN), look.px(LEGEND_MARGIN));

    let mut chart = ChartBuilder::on(&plot_area)
        .margin_top(look.px(6.0))
        .margin_right(look.px(28.0))
        .margin_left(look.px(10.0))
        .x_label_area_size(look.text_px(50.0))
        .y_label_area_size(look.text_px(62.0))
        .build_cartesian_2d(view.x[0]..view.x[1], view.y[0]..view.y[1])?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(8)
        .y_labels(7)
        .x_label_formatter(&|v| tick_text(*v))
        .y_label_formatter(&|v| tick_text(*v))
        .label_style(look.font(TICK, look.muted))
        .axis_desc_style(look.font(AXIS, look.text))
        .axis_style(look.frame.stroke_width(look.width(1.0)))
        .x_desc("x")
        .y_desc("y")
        .draw()?;

    let plot = chart.plotting_area().strip_coord_spec();
    let base = chart.plotting_area().get_base_pixel();
    let to_px = |p: [f64; 2]| {
        let (x, y) = chart.backend_coord(&(p[0], p[1]));
        (x - base.0, y - base.1)
    };
    let (w, h) = plot.dim_in_pixel();
    plot.draw(&Image {
        size: (w, h),
        rgb: heatmap_rgb(&fig.field, w, h),
    })?;

    let levels = contour_levels(&fig.field.values, LEVELS);
    let contour_style = WHITE.mix(0.45).stroke_width(look.width(1.0));
    for line in chain(&contour_segments(&fig.field, &levels)) {
        let points: Vec<_> = line.points.iter().map(|p| to_px(*p)).collect();
        plot.draw(&PathElement::new(points, contour_style))?;
    }

    for (i, run) in fig.runs.iter().enumerate() {
        let color = run_color(i);
        let path = run.x.iter().zip(&run.y).map(|(x, y)| [*x, *y]);
        for piece in clip(path, view) {
            let points: Vec<_> = piece.iter().map(|p| to_px(*p)).collect();
            plot.draw(&PathElement::new(
                points.clone(),
                marks::halo(color).stroke_width(look.width(4.5)),
            ))?;
            plot.draw(&PathElement::new(
                points,
                color.stroke_width(look.width(2.0)),
            ))?;
        }
    }
    for m in &fig.critical {
        if inside(m.at, view) {
            marks::critical(&plot, to_px(m.at), m.kind, look)?;
        }
    }
    for (i, run) in fig.runs.iter().enumerate() {
        let Some((first, last)) = ends(run) else {
            continue;
        };
        if inside(first, view) {
            marks::start(&plot, to_px(first), look)?;
        }
        if inside(last, view) {
            if run.diverged_at.is_some() {
                marks::cross(&plot, to_px(last), run_color(i), look)?;
            } else {
                marks::end(&plot, to_px(last), run_color(i), look)?;
            }
        }
    }
    legend::draw(&legend_area, &entries, &layout, look)
}

/// A run's first and last points (none for an empty run).
fn ends(run: &RunPath) -> Option<([f64; 2], [f64; 2])> {
    let first = [*run.x.first()?, *run.y.first()?];
    let last = [*run.x.last()?, *run.y.last()?];
    Some((first, last))
}

/// The heatmap at `w` × `h` pixels as RGB rows from the top: the field interpolated
/// bilinearly (nearest where a neighbour is not finite), coloured by its CDF.
pub fn heatmap_rgb(field: &Field, w: u32, h: u32) -> Vec<u8> {
    let scale = ColorScale::from_values(&field.values);
    let mut rgb = Vec::with_capacity(w as usize * h as usize * 3);
    let (nx, ny) = (field.nx as f64 - 1.0, field.ny as f64 - 1.0);
    for py in 0..h {
        let gj = (1.0 - (py as f64 + 0.5) / h as f64) * ny;
        for px in 0..w {
            let gi = (px as f64 + 0.5) / w as f64 * nx;
            let color = match scale.t(sample(field, gi, gj)) {
                Some(t) => viridis(t),
                None => {
                    let [r, g, b, _] = super::heatmap::NOT_FINITE;
                    [r, g, b]
                }
            };
            rgb.extend_from_slice(&color);
        }
    }
    rgb
}

/// The field at fractional grid position (gi, gj).
fn sample(field: &Field, gi: f64, gj: f64) -> f64 {
    let i0 = (gi.floor() as usize).min(field.nx.saturating_sub(2));
    let j0 = (gj.floor() as usize).min(field.ny.saturating_sub(2));
    let (i1, j1) = ((i0 + 1).min(field.nx - 1), (j0 + 1).min(field.ny - 1));
    let (fx, fy) = (
        (gi - i0 as f64).clamp(0.0, 1.0),
        (gj - j0 as f64).clamp(0.0, 1.0),
    );
    let v = [
        field.at(i0, j0),
        field.at(i1, j0),
        field.at(i0, j1),
        field.at(i1, j1),
    ];
    if v.iter().all(|v| v.is_finite()) {
        let bottom = v[0] + fx * (v[1] - v[0]);
        let top = v[2] + fx * (v[3] - v[2]);
        bottom + fy * (top - bottom)
    } else {
        field.at(gi.round() as usize, gj.round() as usize)
    }
}

/// An RGB image drawn at the top-left of an area in one `blit_bitmap` (SVG: an embedded PNG).
struct Image {
    size: (u32, u32),
    rgb: Vec<u8>,
}

const ORIGIN: BackendCoord = (0, 0);

impl<'a> PointCollection<'a, BackendCoord> for &'a Image {
    type Point = &'a BackendCoord;
    type IntoIter = std::iter::Once<&'a BackendCoord>;
    fn point_iter(self) -> Self::IntoIter {
        std::iter::once(&ORIGIN)
    }
}

impl<DB: DrawingBackend> Drawable<DB> for Image {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut points: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        match points.next() {
            Some(at) if self.size.0 > 0 && self.size.1 > 0 => {
                backend.blit_bitmap(at, self.size, &self.rgb)
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_heatmap_has_the_minimum_dark_and_the_top_row_first() {
        // f = y: the top pixel row is the brightest, the bottom the darkest.
        let field = Field::from_fn(5, 5, [0.0, 1.0], [0.0, 1.0], |_, y| y);
        let rgb = heatmap_rgb(&field, 4, 3);
        assert_eq!(rgb.len(), 4 * 3 * 3);
        let top = &rgb[0..3];
        let bottom = &rgb[rgb.len() - 3..];
        assert!(top[1] > bottom[1], "{top:?} {bottom:?}");
    }

    #[test]
    fn sampling_interpolates_and_survives_holes() {
        let field = Field::from_fn(3, 3, [0.0, 2.0], [0.0, 2.0], |x, y| x + 10.0 * y);
        assert!((sample(&field, 0.5, 1.5) - 15.5).abs() < 1e-12);
        assert_eq!(sample(&field, 2.0, 2.0), 22.0);
        let holes = Field::new(vec![f64::NAN, 1.0, 2.0, 3.0], 2, 2, [0.0, 1.0], [0.0, 1.0]);
        assert_eq!(sample(&holes, 0.9, 0.2), 1.0);
    }
}
