//! The loss chart with plotters, generic over `DrawingBackend`: each run's loss against the
//! step on a log axis with the app's decade ticks (or, when some loss is ≤ 0, its gap to the
//! lowest loss of all runs), a cross where a run diverged, and the legend under the data.

use super::figure::Figure;
use super::legend::LEGEND_MARGIN;
use super::look::{run_color, tick_text, Look, AXIS, TICK};
use super::polyline::clip;
use super::surface_view::legend_entries;
use super::{header, legend, log_ticks, marks};
use crate::surface::ViewBox;
use plotters::coord::Shift;
use plotters::prelude::*;

/// What the chart's y axis shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Losses {
    /// Every finite loss is > 0: the loss itself.
    Plain,
    /// Some loss is ≤ 0: loss − `lowest` (the lowest finite loss of all runs).
    Gap { lowest: f64 },
}

impl Losses {
    /// Which y the runs' losses need.
    pub fn of(fig: &Figure) -> Losses {
        let finite = || {
            fig.runs
                .iter()
                .flat_map(|r| &r.loss)
                .filter(|v| v.is_finite())
        };
        if finite().all(|v| *v > 0.0) {
            Losses::Plain
        } else {
            Losses::Gap {
                lowest: finite().copied().fold(f64::INFINITY, f64::min),
            }
        }
    }

    /// The y of a loss (≤ 0 or non-finite: not drawn on the log axis).
    pub fn y(self, loss: f64) -> f64 {
        match self {
            Losses::Plain => loss,
            Losses::Gap { lowest } => loss - lowest,
        }
    }
}

/// How far above the highest starting loss the axis reaches: a diverging run leaves the
/// chart at the top instead of squeezing every other run into its bottom row.
const HEADROOM: f64 = 1e4;

/// The y range of the chart: the drawable values' extent up to [`HEADROOM`] times the highest
/// first value (decade-padded when flat).
fn y_range(fig: &Figure, losses: Losses) -> (f64, f64) {
    let drawable = |v: &f64| v.is_finite() && *v > 0.0;
    let ys = || fig.runs.iter().flat_map(|r| &r.loss).map(|v| losses.y(*v));
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in ys().filter(drawable) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if lo > hi {
        return (0.1, 1.0);
    }
    let start = fig
        .runs
        .iter()
        .filter_map(|r| r.loss.iter().map(|v| losses.y(*v)).find(drawable))
        .fold(f64::NEG_INFINITY, f64::max);
    // Keep within what a log axis can show, and give a flat line some room.
    let hi = hi.min(start * HEADROOM).max(lo);
    let (lo, hi) = (lo.max(1e-300), hi.min(1e300));
    if hi / lo < 1.5 {
        (lo / 2.0, hi * 2.0)
    } else {
        (lo / 1.3, hi * 1.3)
    }
}

/// A run's line as pieces in (step, y): non-drawable values break it, and it is clipped (in
/// log space, where the chart is straight) to the y range; at most ~2 points per pixel column.
fn pieces(
    loss: &[f64],
    losses: Losses,
    (lo, hi): (f64, f64),
    columns: u32,
) -> Vec<Vec<(f64, f64)>> {
    let stride = (loss.len() / (2 * columns.max(1) as usize)).max(1);
    let points = loss.iter().enumerate().filter_map(|(t, l)| {
        let v = losses.y(*l);
        if t % stride != 0 && t + 1 != loss.len() {
            return None;
        }
        Some([t as f64, if v > 0.0 { v.log10() } else { f64::NAN }])
    });
    let view = ViewBox {
        x: [0.0, loss.len().max(1) as f64],
        y: [lo.log10(), hi.log10()],
    };
    clip(points, view)
        .into_iter()
        .map(|piece| piece.into_iter().map(|[t, y]| (t, 10f64.powf(y))).collect())
        .collect()
}

/// Draws the loss chart of `fig` on `area` (filled with the background first).
pub fn draw_loss_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    fig: &Figure,
    look: &Look,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&look.background)?;
    let losses = Losses::of(fig);
    let subtitle = match losses {
        Losses::Plain => fig.subtitle.clone(),
        Losses::Gap { lowest } => {
            let note = format!("{} = {}", fig.lang.lowest_loss(), tick_text(lowest));
            Some(match &fig.subtitle {
                Some(s) => format!("{s}  ·  {note}"),
                None => note,
            })
        }
    };
    let body = header::draw(area, &fig.title, subtitle.as_deref(), look)?;
    let crosses = fig.runs.iter().any(|r| r.diverged_at.is_some());
    let entries = legend_entries(fig, false, crosses);
    let (width, height) = body.dim_in_pixel();
    let layout = legend::layout(
        &body,
        &entries,
        width as i32 - 2 * look.px(LEGEND_MARGIN),
        look,
    )?;
    let (plot_area, legend_area) = body.split_vertically(height as i32 - layout.height(look));
    let legend_area = legend_area.margin(0, 0, look.px(LEGEND_MARGIN), look.px(LEGEND_MARGIN));

    let steps = fig.runs.iter().map(|r| r.loss.len()).max().unwrap_or(1);
    let last_step = (steps.max(2) - 1) as f64;
    let (lo, hi) = y_range(fig, losses);
    let mut chart = ChartBuilder::on(&plot_area)
        .margin_top(look.px(6.0))
        .margin_right(look.px(28.0))
        .margin_left(look.px(10.0))
        .x_label_area_size(look.text_px(50.0))
        .y_label_area_size(look.text_px(74.0))
        .build_cartesian_2d(
            0.0..last_step,
            (lo..hi).log_scale().with_key_points(log_ticks(lo, hi)),
        )?;
    let y_name = match losses {
        Losses::Plain => fig.lang.loss(),
        Losses::Gap { .. } => fig.lang.loss_gap(),
    };
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(look.grid.stroke_width(look.width(1.0)))
        .x_labels(8)
        .y_labels(8)
        .x_label_formatter(&|v| tick_text(*v))
        .y_label_formatter(&|v| tick_text(*v))
        .label_style(look.font(TICK, look.muted))
        .axis_desc_style(look.font(AXIS, look.text))
        .axis_style(look.frame.stroke_width(look.width(1.0)))
        .x_desc(fig.lang.step())
        .y_desc(y_name)
        .draw()?;

    let (w, _) = chart.plotting_area().dim_in_pixel();
    let base = chart.plotting_area().get_base_pixel();
    let plot = chart.plotting_area().strip_coord_spec();
    for (i, run) in fig.runs.iter().enumerate() {
        let color = run_color(i);
        let pieces = pieces(&run.loss, losses, (lo, hi), w);
        for piece in &pieces {
            chart.draw_series(std::iter::once(PathElement::new(
                piece.clone(),
                color.stroke_width(look.width(2.0)),
            )))?;
        }
        // Where a diverged run was last seen: its last finite loss, or where it left the top.
        if let (Some(_), Some(&last)) = (run.diverged_at, pieces.last().and_then(|p| p.last())) {
            let at = chart.backend_coord(&last);
            marks::cross(&plot, (at.0 - base.0, at.1 - base.1), color, look)?;
        }
    }
    legend::draw(&legend_area, &entries, &layout, look)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::figure::RunPath;
    use crate::render::lang::Lang;
    use crate::render::Field;

    fn figure(losses: &[&[f64]]) -> Figure {
        Figure {
            title: "t".into(),
            subtitle: None,
            field: Field::from_fn(2, 2, [0.0, 1.0], [0.0, 1.0], |_, _| 0.0),
            runs: losses
                .iter()
                .map(|l| RunPath {
                    label: "r".into(),
                    x: vec![0.0; l.len()],
                    y: vec![0.0; l.len()],
                    loss: l.to_vec(),
                    diverged_at: None,
                })
                .collect(),
            critical: Vec::new(),
            lang: Lang::En,
        }
    }

    #[test]
    fn positive_losses_are_drawn_as_they_are() {
        let fig = figure(&[&[4.0, 2.0, 1.0], &[3.0, f64::NAN]]);
        assert_eq!(Losses::of(&fig), Losses::Plain);
        let (lo, hi) = y_range(&fig, Losses::Plain);
        assert!(lo < 1.0 && hi > 4.0 && lo > 0.5 && hi < 8.0);
    }

    #[test]
    fn non_positive_losses_become_the_gap_to_the_lowest() {
        let fig = figure(&[&[1.0, -0.25, -0.5], &[0.0, -0.4]]);
        let losses = Losses::of(&fig);
        assert_eq!(losses, Losses::Gap { lowest: -0.5 });
        assert!((losses.y(-0.4) - 0.1).abs() < 1e-12);
        assert_eq!(losses.y(-0.5), 0.0);
        let (lo, hi) = y_range(&fig, losses);
        assert!(lo > 0.0 && lo < 0.1 && hi > 1.5);
        assert_eq!(y_range(&figure(&[&[f64::NAN]]), Losses::Plain), (0.1, 1.0));
    }

    #[test]
    fn a_diverging_run_leaves_at_the_top_without_stretching_the_axis() {
        let fig = figure(&[&[10.0, 1.0, 0.1], &[10.0, 1e3, 1e60, 1e200]]);
        let (lo, hi) = y_range(&fig, Losses::Plain);
        assert!(hi <= 10.0 * HEADROOM * 1.3 && lo < 0.1, "{lo} {hi}");
        let p = pieces(&fig.runs[1].loss, Losses::Plain, (lo, hi), 100);
        assert_eq!(p.len(), 1);
        let top = *p[0].last().unwrap();
        assert!((top.1 / hi - 1.0).abs() < 1e-9, "{top:?}");
        assert!(
            top.0 > 1.0 && top.0 < 2.0,
            "left between steps 1 and 2: {top:?}"
        );
        assert_eq!(
            pieces(&fig.runs[0].loss, Losses::Plain, (lo, hi), 100)[0].len(),
            3
        );
    }
}
