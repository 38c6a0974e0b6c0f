//! A figure's title and subtitle, centred above its data; the rest of the area is returned.

use super::look::Look;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const TITLE: f64 = 25.0;
const SUBTITLE: f64 = 16.5;

/// Draws the title (and subtitle) at the top of `area` and returns the area under them.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: Option<&str>,
    look: &Look,
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    let (width, _) = area.dim_in_pixel();
    let centre = width as i32 / 2;
    let top = Pos::new(HPos::Center, VPos::Top);
    let mut y = look.px(14.0);
    let title_font = look.font(TITLE, look.text).pos(top);
    area.draw(&Text::new(title.to_string(), (centre, y), title_font))?;
    y += look.text_px(TITLE * 1.25);
    if let Some(sub) = subtitle.filter(|s| !s.is_empty()) {
        let font = look.font(SUBTITLE, look.muted).pos(top);
        area.draw(&Text::new(sub.to_string(), (centre, y), font))?;
        y += look.text_px(SUBTITLE * 1.4);
    }
    Ok(area.split_vertically(y + look.px(4.0)).1)
}
