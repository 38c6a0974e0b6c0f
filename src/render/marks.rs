//! The marks drawn at single points, in pixels, as the app draws them (www/draw.js): one shape
//! and colour per kind of critical point, the start ring, a run's end dot and a diverged run's
//! cross.

use super::look::{Look, INK};
use crate::critical::Kind;
use plotters::coord::Shift;
use plotters::prelude::*;

type Drawn<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// The marker colour of a kind of critical point.
pub fn kind_color(kind: Kind) -> RGBColor {
    match kind {
        Kind::Minimum => RGBColor(0x56, 0xB4, 0xE9),
        Kind::Maximum => RGBColor(0xD5, 0x5E, 0x00),
        Kind::Saddle => RGBColor(0xF0, 0xE4, 0x42),
        Kind::Degenerate => RGBColor(0xff, 0xff, 0xff),
    }
}

/// The outline of a kind's marker of radius `r` around (0, 0): circle (minimum), triangle
/// (maximum), diamond (saddle), square (degenerate).
fn outline(kind: Kind, r: f64) -> Vec<(i32, i32)> {
    let p = |x: f64, y: f64| ((x * r).round() as i32, (y * r).round() as i32);
    match kind {
        Kind::Minimum => (0..24)
            .map(|k| {
                let a = k as f64 * std::f64::consts::TAU / 24.0;
                p(a.cos(), a.sin())
            })
            .collect(),
        Kind::Maximum => vec![p(0.0, -1.2), p(1.1, 0.8), p(-1.1, 0.8)],
        Kind::Saddle => vec![p(0.0, -1.3), p(1.1, 0.0), p(0.0, 1.3), p(-1.1, 0.0)],
        Kind::Degenerate => vec![p(-0.9, -0.9), p(0.9, -0.9), p(0.9, 0.9), p(-0.9, 0.9)],
    }
}

fn shifted(points: &[(i32, i32)], at: (i32, i32)) -> Vec<(i32, i32)> {
    points.iter().map(|(x, y)| (x + at.0, y + at.1)).collect()
}

fn closed(mut points: Vec<(i32, i32)>) -> Vec<(i32, i32)> {
    if let Some(&first) = points.first() {
        points.push(first);
    }
    points
}

/// A critical point's marker at pixel `at`.
pub fn critical<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    kind: Kind,
    look: &Look,
) -> Drawn<DB> {
    let shape = shifted(&outline(kind, 6.5 * look.scale), at);
    area.draw(&Polygon::new(shape.clone(), kind_color(kind).filled()))?;
    area.draw(&PathElement::new(
        closed(shape),
        INK.stroke_width(look.width(1.8)),
    ))
}

/// The start point: a white ring with a dark halo.
pub fn start<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    look: &Look,
) -> Drawn<DB> {
    let r = look.px(7.0);
    area.draw(&Circle::new(
        at,
        r,
        RGBColor(0x3a, 0x36, 0x45).stroke_width(look.width(4.5)),
    ))?;
    area.draw(&Circle::new(at, r, WHITE.stroke_width(look.width(2.2))))
}

/// Where a run stopped: a dot of its colour with a contrasting outline, smaller than a
/// critical point's marker so a run that ends at a minimum leaves the marker's rim showing.
pub fn end<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    color: RGBColor,
    look: &Look,
) -> Drawn<DB> {
    let r = look.px(4.5);
    area.draw(&Circle::new(at, r, color.filled()))?;
    let ring = if is_dark(color) { WHITE } else { INK };
    area.draw(&Circle::new(at, r, ring.stroke_width(look.width(1.4))))
}

/// Where a run diverged: a cross of its colour on a white one (a red cross for the yellow
/// run, as in the app).
pub fn cross<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    color: RGBColor,
    look: &Look,
) -> Drawn<DB> {
    let r = look.px(7.0);
    let color = if color == RGBColor(0xF0, 0xE4, 0x42) {
        RGBColor(0xb3, 0x26, 0x1e)
    } else {
        color
    };
    for (c, w) in [(WHITE, 6.0), (color, 3.0)] {
        for (a, b) in [((-r, -r), (r, r)), ((r, -r), (-r, r))] {
            area.draw(&PathElement::new(
                vec![(at.0 + a.0, at.1 + a.1), (at.0 + b.0, at.1 + b.1)],
                c.stroke_width(look.width(w)),
            ))?;
        }
    }
    Ok(())
}

/// The halo of a line of `color`: light around dark colours, dark around light ones. Opaque,
/// so a bitmap's overlapping pieces of one line do not darken where they meet.
pub fn halo(color: RGBColor) -> RGBColor {
    if is_dark(color) {
        RGBColor(0xf2, 0xf2, 0xf4)
    } else {
        RGBColor(0x3a, 0x36, 0x45)
    }
}

fn is_dark(color: RGBColor) -> bool {
    0.2126 * color.0 as f64 + 0.7152 * color.1 as f64 + 0.0722 * (color.2 as f64) < 90.0
}
