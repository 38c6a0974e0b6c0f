//! The one font the CLI's figures use, embedded in the binary so `optiscape render` works on a
//! bare machine: Optiscape Sans, a subset of Noto Sans and Noto Sans CJK SC (SIL OFL 1.1, see
//! assets/fonts/), with every character the project's texts use, Chinese included.

use plotters::style::FontStyle;
use std::sync::OnceLock;

/// The font file (TrueType); regenerate it with `python3 assets/fonts/subset.py`.
pub const SANS: &[u8] = include_bytes!("../../assets/fonts/OptiscapeSans-Regular.ttf");

/// Registers the embedded font as plotters' `sans-serif` (the family every figure names), once
/// per process. Call it before drawing text on a native backend.
pub fn register() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        // The font is part of the binary and checked by the tests; failing here is a build bug.
        if plotters::style::register_font(super::look::FAMILY, FontStyle::Normal, SANS).is_err() {
            panic!("the embedded font assets/fonts/OptiscapeSans-Regular.ttf does not parse");
        }
    });
}

/// The characters of `text` the embedded font has no glyph for (blanks and controls aside),
/// each once, in order of appearance: what would render as an empty box.
pub fn missing(text: &str) -> Vec<char> {
    use ab_glyph::{Font, FontRef};
    let font = FontRef::try_from_slice(SANS).expect("the embedded font parses");
    let mut out: Vec<char> = Vec::new();
    for c in text.chars() {
        if !c.is_whitespace() && !c.is_control() && font.glyph_id(c).0 == 0 && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_covers_latin_greek_superscripts_and_chinese() {
        assert_eq!(
            missing("Adam, η = 1, β1 = 0.9 · x² − y⁴ 10⁻⁶ 0.98ᵗ → ∇"),
            vec![]
        );
        assert_eq!(missing("卡在鞍点（y = 0），步数 损失"), vec![]);
        // A traditional character and an emoji, written as escapes so assets/fonts/subset.py (which
        // collects the characters of src/render) does not add them.
        assert_eq!(
            missing("\u{6F22}在 ok \u{1F642}"),
            vec!['\u{6F22}', '\u{1F642}']
        );
        register();
        register();
    }
}
