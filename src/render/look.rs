//! The look of the 2-D figures, shared by every backend: the app's run colours (Okabe–Ito), the
//! markers' colours, the chrome, font sizes that grow with the figure, and tick label text.

use plotters::style::{IntoFont, RGBColor, TextStyle};

/// The font family every figure names: on the CLI it is the embedded font (registered by
/// `fonts::register`), in the browser the page's sans-serif.
pub const FAMILY: &str = "sans-serif";

/// Okabe–Ito: eight colours that stay apart for colour-blind eyes, one per run (as the app's
/// `RUN_COLORS` in www/draw.js).
pub const RUN_COLORS: [RGBColor; 8] = [
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xF0, 0xE4, 0x42),
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
    RGBColor(0x00, 0x00, 0x00),
];

/// The colour of run `i`.
pub fn run_color(i: usize) -> RGBColor {
    RUN_COLORS[i % RUN_COLORS.len()]
}

/// Font sizes (design pixels) of tick labels and axis names.
pub const TICK: f64 = 15.0;
pub const AXIS: f64 = 18.0;

/// Outlines of markers and halos of light lines.
pub const INK: RGBColor = RGBColor(0x15, 0x11, 0x1f);

/// Colours and sizes of a figure's chrome (the data's colours are viridis and the runs').
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Look {
    pub background: RGBColor,
    pub text: RGBColor,
    pub muted: RGBColor,
    pub frame: RGBColor,
    pub grid: RGBColor,
    /// Multiplies font sizes, line widths and gaps (1 for a 1000 × 750 figure).
    pub scale: f64,
}

impl Look {
    /// The light look of slides, scaled for a `width` × `height` figure.
    pub fn for_size(width: u32, height: u32) -> Look {
        // The geometric mean of the two ratios to 1000 × 750, so a tall or wide figure does
        // not get tiny text, but at most 1.5 times the smaller ratio, so it fits.
        let (rw, rh) = (width as f64 / 1000.0, height as f64 / 750.0);
        let scale = (rw * rh).sqrt().min(1.5 * rw.min(rh)).clamp(0.35, 8.0);
        Look {
            background: RGBColor(255, 255, 255),
            text: RGBColor(0x1f, 0x24, 0x30),
            muted: RGBColor(0x5b, 0x64, 0x75),
            frame: RGBColor(0x9a, 0xa1, 0xad),
            grid: RGBColor(0xe3, 0xe6, 0xeb),
            scale,
        }
    }

    /// `v` design pixels at this scale.
    pub fn px(&self, v: f64) -> i32 {
        (v * self.scale).round().max(1.0) as i32
    }

    /// `v` design pixels of a size that follows the text (see [`Look::font`]).
    pub fn text_px(&self, v: f64) -> i32 {
        (v * self.scale.max(0.75)).round().max(1.0) as i32
    }

    /// A line width of `v` design pixels (at least 1).
    pub fn width(&self, v: f64) -> u32 {
        self.px(v) as u32
    }

    /// The text style of `size` design pixels in `color` (text shrinks less than the
    /// figure: a small figure keeps readable labels).
    pub fn font(&self, size: f64, color: RGBColor) -> TextStyle<'static> {
        (FAMILY, size * self.scale.max(0.75))
            .into_font()
            .color(&color)
    }
}

/// A tick or level label: three significant digits, exponent form far from 1 (as the app's
/// `levelText`).
pub fn tick_text(v: f64) -> String {
    let a = v.abs();
    let s = if a != 0.0 && !(1e-2..1e4).contains(&a) {
        // 1.0e-5 → 1e−5, as a person writes it.
        let s = format!("{v:.1e}");
        match s.find('e') {
            Some(e) if s[..e].ends_with(".0") => format!("{}{}", &s[..e - 2], &s[e..]),
            _ => s,
        }
    } else {
        let digits = if a == 0.0 {
            0
        } else {
            (2 - a.log10().floor() as i32).max(0) as usize
        };
        let s = format!("{v:.digits$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    if s == "-0" {
        return "0".into();
    }
    // The minus sign, not a hyphen. (Char by char, without `str::replace` or substring search:
    // a new caller of those changes how LLVM inlines them into the app's code, and the .wasm
    // would grow by a few hundred bytes although nothing here is linked into it.)
    s.chars().map(|c| if c == '-' { '−' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_texts_read_well() {
        assert_eq!(tick_text(0.0), "0");
        assert_eq!(tick_text(-1.5), "−1.5");
        assert_eq!(tick_text(0.30000000000000004), "0.3");
        assert_eq!(tick_text(123.456), "123");
        assert_eq!(tick_text(1e-5), "1e−5");
        assert_eq!(tick_text(2.5e6), "2.5e6");
        assert_eq!(tick_text(1000.0), "1000");
        assert_eq!(tick_text(-0.0001), "−1e−4");
    }

    #[test]
    fn sizes_follow_the_figure() {
        assert_eq!(Look::for_size(1000, 750).px(10.0), 10);
        assert_eq!(Look::for_size(2000, 1500).px(10.0), 20);
        assert_eq!(Look::for_size(100, 100).px(1.0), 1);
        // Tall: between the two ratios (0.6 and 1.07).
        let tall = Look::for_size(600, 800).scale;
        assert!(tall > 0.75 && tall < 0.85, "{tall}");
    }
}
