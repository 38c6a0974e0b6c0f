//! Bitmaps drawn as the SVG backend draws: a backend wrapper that sets every text with the
//! embedded font through ab_glyph, each glyph at its own side bearing (plotters 0.3.7's
//! ab_glyph text drops the bearing, which pushes the ink of CJK punctuation such as "（" half
//! an em off) and the baseline where SVG's `dy` puts it, and strokes wide lines with round
//! joins instead of unlimited mitres, so PNG and SVG look the same.

use super::fonts::SANS;
use ab_glyph::{point, Font, FontRef, ScaleFont};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

/// A backend that draws like `B` and sets its text itself.
pub struct Typeset<B>(pub B);

impl<B: DrawingBackend> DrawingBackend for Typeset<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.present()
    }
    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }
    /// Wide lines as one quad per segment with round joins and caps, each pixel painted once:
    /// plotters joins segments with mitres that grow without limit where a path turns back on
    /// itself (a run zig-zagging across a ravine would shoot spikes across the figure), and
    /// painting pieces one by one would darken a translucent line where they overlap.
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        let width = style.stroke_width();
        let color = style.color();
        if width <= 1 || color.alpha == 0.0 {
            return self.0.draw_path(path, style);
        }
        let points: Vec<BackendCoord> = path.into_iter().collect();
        let Some(mut mask) = Mask::around(&points, width, self.0.get_size()) else {
            return Ok(());
        };
        mask.stroke(&points, width);
        for (x, y) in mask.pixels() {
            self.0.draw_pixel((x, y), color)?;
        }
        Ok(())
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.fill_polygon(vert, style)
    }
    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.blit_bitmap(pos, size, src)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let font = FontRef::try_from_slice(SANS).expect("the embedded font parses");
        // plotters' size is 1.24 em (SVG: font-size = size / 1.24); the font's ascent −
        // descent is 1.24 em, so ab_glyph's scale `size` gives the same em.
        let scaled = font.as_scaled(style.size() as f32);
        let em = style.size() / 1.24;
        let width: f32 = text
            .chars()
            .map(|c| scaled.h_advance(font.glyph_id(c)))
            .sum();
        let anchor = style.anchor();
        let x0 = match anchor.h_pos {
            HPos::Left => 0.0,
            HPos::Center => -width / 2.0,
            HPos::Right => -width,
        };
        // SVG's dy: 0.76em below a top anchor, half an x-height (0.5ex ≈ 0.27em) below a
        // centre, half an x-height above a bottom anchor.
        let baseline = match anchor.v_pos {
            VPos::Top => 0.76 * em,
            VPos::Center => 0.27 * em,
            VPos::Bottom => -0.27 * em,
        } as f32;
        let transform = style.transform();
        let mut pen = x0;
        let mut result = Ok(());
        for c in text.chars() {
            let id = font.glyph_id(c);
            let glyph = id.with_scale_and_position(scaled.scale(), point(pen, baseline));
            pen += scaled.h_advance(id);
            let Some(outline) = font.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                if result.is_err() || coverage <= 0.0 {
                    return;
                }
                let (lx, ly) = (
                    bounds.min.x as i32 + gx as i32,
                    bounds.min.y as i32 + gy as i32,
                );
                let (dx, dy) = transform.transform(lx, ly);
                let pixel = BackendColor {
                    alpha: color.alpha * coverage.min(1.0) as f64,
                    rgb: color.rgb,
                };
                result = self.0.draw_pixel((pos.0 + dx, pos.1 + dy), pixel);
            });
        }
        result
    }
}

/// The pixels a wide line covers, inside a box of the image: a backend that only records.
struct Mask {
    origin: BackendCoord,
    size: (u32, u32),
    covered: Vec<bool>,
}

impl Mask {
    /// A mask over the box around `points` widened by the line, clipped to the image; `None`
    /// when that box is empty.
    fn around(points: &[BackendCoord], width: u32, image: (u32, u32)) -> Option<Mask> {
        let pad = width as i32 / 2 + 2;
        let x0 = points.iter().map(|p| p.0).min()?.saturating_sub(pad).max(0);
        let y0 = points.iter().map(|p| p.1).min()?.saturating_sub(pad).max(0);
        let x1 = points
            .iter()
            .map(|p| p.0)
            .max()?
            .saturating_add(pad)
            .min(image.0 as i32);
        let y1 = points
            .iter()
            .map(|p| p.1)
            .max()?
            .saturating_add(pad)
            .min(image.1 as i32);
        if x1 <= x0 || y1 <= y0 {
            return None;
        }
        let size = ((x1 - x0) as u32, (y1 - y0) as u32);
        Some(Mask {
            origin: (x0, y0),
            size,
            covered: vec![false; size.0 as usize * size.1 as usize],
        })
    }

    /// Marks a line of `width` through `points`: a quad per segment, a disc at every point.
    fn stroke(&mut self, points: &[BackendCoord], width: u32) {
        let ink = BackendColor {
            alpha: 1.0,
            rgb: (0, 0, 0),
        };
        let half = width as f64 / 2.0;
        for pair in points.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let (dx, dy) = ((b.0 - a.0) as f64, (b.1 - a.1) as f64);
            let length = dx.hypot(dy);
            if length == 0.0 {
                continue;
            }
            let (nx, ny) = (-dy / length * half, dx / length * half);
            let corner = |p: BackendCoord, s: f64| {
                (
                    (p.0 as f64 + s * nx).round() as i32,
                    (p.1 as f64 + s * ny).round() as i32,
                )
            };
            let quad = [
                corner(a, 1.0),
                corner(b, 1.0),
                corner(b, -1.0),
                corner(a, -1.0),
            ];
            let _ = self.fill_polygon(quad, &ink);
        }
        let radius = (half - 0.25).round().max(1.0) as u32;
        for &p in points {
            let _ = self.draw_circle(p, radius, &ink, true);
        }
    }

    /// The covered pixels, in image coordinates.
    fn pixels(&self) -> impl Iterator<Item = BackendCoord> + '_ {
        let w = self.size.0 as usize;
        self.covered
            .iter()
            .enumerate()
            .filter(|(_, c)| **c)
            .map(move |(i, _)| {
                (
                    self.origin.0 + (i % w) as i32,
                    self.origin.1 + (i / w) as i32,
                )
            })
    }
}

impl DrawingBackend for Mask {
    type ErrorType = std::convert::Infallible;

    fn get_size(&self) -> (u32, u32) {
        // The image's pixels up to the box's far corner, so plotters' rasterizers do not
        // clip what lies inside the box.
        (
            (self.origin.0 as u32).saturating_add(self.size.0),
            (self.origin.1 as u32).saturating_add(self.size.1),
        )
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }
    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        _: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let (x, y) = (point.0 - self.origin.0, point.1 - self.origin.1);
        if x >= 0 && y >= 0 && (x as u32) < self.size.0 && (y as u32) < self.size.1 {
            self.covered[y as usize * self.size.0 as usize + x as usize] = true;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_that_turns_back_stays_near_its_points() {
        // A sharp zig-zag: mitred joins would reach far beyond; round ones stay within the
        // half width of the points.
        let points = [(10, 50), (60, 52), (10, 54), (60, 56)];
        let mut mask = Mask::around(&points, 6, (200, 200)).unwrap();
        mask.stroke(&points, 6);
        let covered: Vec<_> = mask.pixels().collect();
        assert!(!covered.is_empty());
        for (x, y) in covered {
            assert!((6..=64).contains(&x) && (46..=60).contains(&y), "{x},{y}");
        }
    }

    #[test]
    fn a_mask_is_clipped_to_the_image() {
        assert!(Mask::around(&[(-50, -50), (-40, -40)], 4, (100, 100)).is_none());
        let m = Mask::around(&[(-50, 10), (150, 10)], 4, (100, 100)).unwrap();
        assert_eq!(m.origin, (0, 6));
        assert_eq!(m.size, (100, 8));
    }
}
