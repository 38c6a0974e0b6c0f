//! The legend under a figure's data (never over it): one entry per run, per kind of critical
//! point shown, the start ring and the diverged cross, in centred rows that wrap to the width.

use super::look::{run_color, Look, INK};
use super::marks;
use crate::critical::Kind;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// What an entry's swatch shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Key {
    /// Run `i`'s line, in its colour.
    Run(usize),
    Critical(Kind),
    Start,
    Diverged,
}

/// One legend entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Key,
    pub label: String,
}

/// Where each entry goes: rows of (entry index, x of the swatch) relative to the legend area.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub rows: Vec<Vec<(usize, i32)>>,
    pub row_height: i32,
}

impl Layout {
    /// The height of the whole legend, with a gap above it.
    pub fn height(&self, look: &Look) -> i32 {
        if self.rows.is_empty() {
            0
        } else {
            self.rows.len() as i32 * self.row_height + look.px(10.0)
        }
    }
}

/// The legend's distance from the figure's left and right edges (design pixels).
pub const LEGEND_MARGIN: f64 = 24.0;
const FONT: f64 = 16.0;
const SWATCH: f64 = 28.0;
const GAP: f64 = 11.0;
const SPACING: f64 = 30.0;

/// Breaks the entries into centred rows no wider than `width` pixels (an entry wider than
/// that gets a row of its own).
pub fn layout<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    width: i32,
    look: &Look,
) -> Result<Layout, DrawingAreaErrorKind<DB::ErrorType>> {
    let font = look.font(FONT, look.text);
    let mut widths = Vec::with_capacity(entries.len());
    for e in entries {
        let (w, _) = area.estimate_text_size(&e.label, &font)?;
        widths.push(look.px(SWATCH) + look.px(GAP) + w as i32);
    }
    let spacing = look.px(SPACING);
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut used = 0;
    for (i, w) in widths.iter().enumerate() {
        match rows.last_mut() {
            Some(row) if used + spacing + w <= width => {
                row.push(i);
                used += spacing + w;
            }
            _ => {
                rows.push(vec![i]);
                used = *w;
            }
        }
    }
    let rows = rows
        .into_iter()
        .map(|row| {
            let total: i32 =
                row.iter().map(|&i| widths[i]).sum::<i32>() + spacing * (row.len() as i32 - 1);
            let mut x = ((width - total) / 2).max(0);
            row.into_iter()
                .map(|i| {
                    let at = (i, x);
                    x += widths[i] + spacing;
                    at
                })
                .collect()
        })
        .collect();
    Ok(Layout {
        rows,
        row_height: look.text_px(FONT * 1.75),
    })
}

/// Draws the entries as laid out, on `area` (the strip under the data).
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    layout: &Layout,
    look: &Look,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let font = look
        .font(FONT, look.text)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let top = look.px(10.0);
    for (r, row) in layout.rows.iter().enumerate() {
        let y = top + r as i32 * layout.row_height + layout.row_height / 2;
        for &(i, x) in row {
            let e = &entries[i];
            let mid = (x + look.px(SWATCH) / 2, y);
            match e.key {
                Key::Run(k) => {
                    let color = run_color(k);
                    let line = vec![(x, y), (x + look.px(SWATCH), y)];
                    area.draw(&PathElement::new(
                        line.clone(),
                        marks::halo(color).stroke_width(look.width(5.0)),
                    ))?;
                    area.draw(&PathElement::new(line, color.stroke_width(look.width(2.5))))?;
                }
                Key::Critical(kind) => marks::critical(area, mid, kind, look)?,
                Key::Start => marks::start(area, mid, look)?,
                Key::Diverged => marks::cross(area, mid, INK, look)?,
            }
            area.draw(&Text::new(
                e.label.clone(),
                (x + look.px(SWATCH) + look.px(GAP), y),
                font.clone(),
            ))?;
        }
    }
    Ok(())
}
