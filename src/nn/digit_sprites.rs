//! Pictures of 8×8 digit images: chosen rows laid out as a sprite sheet (RGBA, 8 × 8 pixels
//! per image, `cols` images per line), ink on the page's background, for one `putImageData`.

use super::boundary::Shade;
use super::matrix::Matrix;
use crate::error::{Error, Result};

/// Pixels per side of one digit.
pub const SIDE: usize = 8;

/// The most images one sheet may hold.
pub const MAX_IMAGES: usize = 2000;

/// Lay out rows `rows` of `x` (64 values in [0, 1] each, row-major from the top-left pixel)
/// `cols` per line into `out`; returns the sheet's `(width, height)` in pixels. Values are
/// clamped to [0, 1]: 0 is the background, 1 full ink.
pub fn digit_sheet(
    x: &Matrix,
    rows: &[usize],
    cols: usize,
    shade: Shade,
    out: &mut Vec<u8>,
) -> Result<(usize, usize)> {
    if x.cols() != SIDE * SIDE {
        return Err(Error::invalid(
            "images",
            format!("{} values per row", x.cols()),
            "64 pixels (8 × 8) per row",
        ));
    }
    if cols == 0 || rows.len() > MAX_IMAGES {
        return Err(Error::invalid(
            "sheet",
            format!("{} images, {cols} per line", rows.len()),
            &format!("1 or more per line and at most {MAX_IMAGES} images"),
        ));
    }
    if let Some(&r) = rows.iter().find(|&&r| r >= x.rows()) {
        return Err(Error::invalid(
            "row",
            r,
            &format!("a row below {}", x.rows()),
        ));
    }
    let (bg, ink): ([f64; 3], [f64; 3]) = match shade {
        Shade::Light => (
            [255.0, 255.0, 255.0],
            [0x1d as f64, 0x23 as f64, 0x30 as f64],
        ),
        Shade::Dark => (
            [0x0f as f64, 0x12 as f64, 0x18 as f64],
            [0xf2 as f64, 0xf4 as f64, 0xf8 as f64],
        ),
    };
    let lines = rows.len().div_ceil(cols).max(1);
    let (w, h) = (cols * SIDE, lines * SIDE);
    out.clear();
    out.resize(w * h * 4, 0);
    for px in out.chunks_exact_mut(4) {
        px.copy_from_slice(&[bg[0] as u8, bg[1] as u8, bg[2] as u8, 255]);
    }
    for (n, &r) in rows.iter().enumerate() {
        let (ox, oy) = ((n % cols) * SIDE, (n / cols) * SIDE);
        for (p, &v) in x.row(r).iter().enumerate() {
            let v = if v.is_finite() {
                v.clamp(0.0, 1.0)
            } else {
                0.0
            };
            let at = ((oy + p / SIDE) * w + ox + p % SIDE) * 4;
            for ch in 0..3 {
                out[at + ch] = (bg[ch] + (ink[ch] - bg[ch]) * v).round() as u8;
            }
        }
    }
    Ok((w, h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_land_in_their_cells() {
        let mut data = vec![0.0; 2 * 64];
        data[0] = 1.0; // top-left pixel of image 0
        data[64 + 63] = 1.0; // bottom-right pixel of image 1
        let x = Matrix::from_vec(2, 64, data).unwrap();
        let mut out = Vec::new();
        let (w, h) = digit_sheet(&x, &[0, 1], 2, Shade::Light, &mut out).unwrap();
        assert_eq!((w, h), (16, 8));
        assert_eq!(&out[0..4], &[0x1d, 0x23, 0x30, 255]);
        let at = (7 * 16 + 15) * 4;
        assert_eq!(&out[at..at + 4], &[0x1d, 0x23, 0x30, 255]);
        assert_eq!(&out[4..8], &[255, 255, 255, 255]);
        assert!(digit_sheet(&x, &[2], 2, Shade::Light, &mut out).is_err());
        assert!(digit_sheet(&x, &[0], 0, Shade::Light, &mut out).is_err());
    }
}
