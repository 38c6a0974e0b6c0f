//! The loss chart with plotters, generic over `DrawingBackend`: each run's loss against the
//! step on a log axis with the app's decade ticks (or, when some loss is ≤ 0, its gap to the
//! lowest loss of all runs), a cross where a run diverged, and the legend under the data.

use super::figure::Figure;
use super::legend::LEGEND_MARGIN;
use super::look::{run_color, tick_text, Look, AXIS, TICK};
use super::surface_view::legend_entries;
use super::{header, legend, log_ticks, marks};
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

/// The y range of the chart: the drawable values' extent (decade-padded when flat).
fn y_range(fig: &Figure, losses: Losses) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in fig.runs.iter().flat_map(|r| &r.loss).map(|v| losses.y(*v)) {
        if v.is_finite() && v > 0.0 {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    if lo > hi {
        return (0.1, 1.0);
    }
    // Keep within what a log axis can show, and give a flat line some room.
    let (lo, hi) = (lo.max(1e-300), hi.min(1e300));
    if hi / lo < 1.5 {
        (lo / 2.0, hi * 2.0)
    } else {
        (lo / 1.3, hi * 1.3)
    }
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
    let entries = legend_entries(fig, false);
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
    for (i, run) in fig.runs.iter().enumerate() {
        let color = run_color(i);
        // At most about two points per pixel column.
        let stride = (run.loss.len() / (2 * w.max(1) as usize)).max(1);
        let mut pieces: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for (t, loss) in run.loss.iter().enumerate() {
            let v = losses.y(*loss);
            let drawable = v.is_finite() && v > 0.0;
            if !drawable {
                pieces.push(Vec::new());
            } else if t % stride == 0 || t + 1 == run.loss.len() {
                let piece = pieces.last_mut().expect("one piece at least");
                piece.push((t as f64, v.clamp(lo, hi)));
            }
        }
        for piece in pieces.into_iter().filter(|p| !p.is_empty()) {
            chart.draw_series(std::iter::once(PathElement::new(
                piece,
                color.stroke_width(look.width(2.0)),
            )))?;
        }
        if run.diverged {
            let last = run
                .loss
                .iter()
                .enumerate()
                .rev()
                .map(|(t, l)| (t, losses.y(*l)))
                .find(|(_, v)| v.is_finite() && *v > 0.0);
            if let Some((t, v)) = last {
                let at = chart.backend_coord(&(t as f64, v.clamp(lo, hi)));
                let base = chart.plotting_area().get_base_pixel();
                let plot = chart.plotting_area().strip_coord_spec();
                marks::cross(&plot, (at.0 - base.0, at.1 - base.1), color, look)?;
            }
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
                    diverged: false,
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
}
