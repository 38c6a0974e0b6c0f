//! The decision-boundary picture of a 2-D classifier: eval-mode class probabilities over a
//! grid of the plane, coloured per class (colour-blind-safe hues, confidence as lightness).
//!
//! The image is RGBA, row 0 at the *top* (largest y), ready for one `putImageData`.

use super::config::Session;
use super::data::DatasetName;
use super::matrix::Matrix;
use crate::error::{Error, Result};

/// The plane the 2-D data sets live in, `[x0, x1, y0, y1]` (TensorFlow Playground's box).
pub const PLANE: [f64; 4] = [-6.0, 6.0, -6.0, 6.0];

/// The largest image side (keeps memory bounded whatever the caller asks).
pub const MAX_SIDE: usize = 1024;

/// The class colours: Okabe & Ito's colour-blind-safe blue, orange and bluish green, then the
/// rest of their palette (sRGB).
pub const CLASS_COLORS: [[u8; 3]; 8] = [
    [0x00, 0x72, 0xb2],
    [0xe6, 0x9f, 0x00],
    [0x00, 0x9e, 0x73],
    [0xcc, 0x79, 0xa7],
    [0x56, 0xb4, 0xe9],
    [0xd5, 0x5e, 0x00],
    [0xf0, 0xe4, 0x42],
    [0x00, 0x00, 0x00],
];

/// The page's background the tints fade into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shade {
    Light,
    Dark,
}

impl Shade {
    fn background(self) -> [u8; 3] {
        match self {
            Shade::Light => [0xfb, 0xfb, 0xfc],
            Shade::Dark => [0x17, 0x1b, 0x23],
        }
    }
}

/// The view box of a data set's picture: [`PLANE`] for the 2-D sets, none for digits.
pub fn plane_of(name: DatasetName) -> Option<[f64; 4]> {
    match name {
        DatasetName::Digits => None,
        _ => Some(PLANE),
    }
}

/// `Ok` when `view` is a box and `side` a picture side this module draws.
fn check_picture(view: [f64; 4], side: usize) -> Result<()> {
    let [x0, x1, y0, y1] = view;
    crate::surface::ViewBox::new([x0, x1], [y0, y1])?;
    if side == 0 || side > MAX_SIDE {
        return Err(Error::invalid(
            "side",
            side,
            &format!("1 to {MAX_SIDE} pixels"),
        ));
    }
    Ok(())
}

/// The centres of a `side` × `side` grid of pixels over `view` (`[x0, x1, y0, y1]`), one row
/// per pixel, row-major from the top-left pixel.
pub fn grid(view: [f64; 4], side: usize) -> Result<Matrix> {
    check_picture(view, side)?;
    let [x0, x1, y0, y1] = view;
    let (dx, dy) = ((x1 - x0) / side as f64, (y1 - y0) / side as f64);
    let mut data = Vec::with_capacity(side * side * 2);
    for j in 0..side {
        let y = y1 - (j as f64 + 0.5) * dy;
        for i in 0..side {
            data.push(x0 + (i as f64 + 0.5) * dx);
            data.push(y);
        }
    }
    Matrix::from_vec(side * side, 2, data)
}

/// One pixel per row of `probs`: the winning class's colour, faded towards the background as
/// the confidence `(p_max − 1/k) / (1 − 1/k)` falls to 0 (rows that are not finite are grey).
pub fn colorize(probs: &Matrix, shade: Shade, out: &mut Vec<u8>) {
    let k = probs.cols().max(1) as f64;
    let bg = shade.background();
    // Dark pages take less of the hue: saturated colours glare on a dark background.
    let (w0, w1) = match shade {
        Shade::Light => (0.08, 0.52),
        Shade::Dark => (0.06, 0.40),
    };
    out.clear();
    out.reserve(probs.rows() * 4);
    for i in 0..probs.rows() {
        let row = probs.row(i);
        if row.iter().any(|p| !p.is_finite()) {
            out.extend_from_slice(&[0x80, 0x80, 0x80, 0xff]);
            continue;
        }
        let c = super::loss::argmax(row);
        let confidence = if k > 1.0 {
            ((row[c] - 1.0 / k) / (1.0 - 1.0 / k)).clamp(0.0, 1.0)
        } else {
            1.0
        };
        let color = CLASS_COLORS[c % CLASS_COLORS.len()];
        let w = w0 + w1 * confidence;
        for ch in 0..3 {
            let v = bg[ch] as f64 + (color[ch] as f64 - bg[ch] as f64) * w;
            out.push(v.round() as u8);
        }
        out.push(0xff);
    }
}

/// The decision boundary of `session` over `view` as a `side` × `side` RGBA image in `out`,
/// all at once (a page paints with [`Painter`], a piece at a time).
pub fn decision_boundary(
    session: &mut Session,
    view: [f64; 4],
    side: usize,
    shade: Shade,
    out: &mut Vec<u8>,
) -> Result<()> {
    // Pieces sized by the network, so that memory stays bounded however wide it is.
    let params = session.trainer.network().n_params();
    let mut painter = Painter::new(view, side, shade, params)?;
    while !painter.paint(session, &mut || false)? {}
    *out = painter.into_image();
    Ok(())
}

/// Multiply-adds one picture may cost: a network's forward pass takes about one per parameter
/// and pixel, so a large network gets a coarser picture ([`side_for`]).
pub const PICTURE_WORK: f64 = 2e9;

/// The side a picture of `wanted` pixels gets for a network of `params` parameters
/// ([`side_for`]); an error when `wanted` itself is no picture side (0, or past [`MAX_SIDE`]).
pub fn checked_side(params: usize, wanted: usize) -> Result<usize> {
    if wanted == 0 || wanted > MAX_SIDE {
        return Err(Error::invalid(
            "side",
            wanted,
            &format!("1 to {MAX_SIDE} pixels"),
        ));
    }
    Ok(side_for(params, wanted))
}

/// Multiply-adds of one piece of a [`Painter`]: a few milliseconds in wasm.
pub const PIECE_WORK: f64 = 4e6;

/// The smallest side [`side_for`] gives: below it the picture says nothing.
pub const MIN_SIDE: usize = 8;

/// The picture side for a network of `params` parameters: `wanted`, or less, so that
/// `params × side²` stays within [`PICTURE_WORK`], but never under [`MIN_SIDE`]. (A `wanted`
/// past [`MAX_SIDE`] stays an error of the picture: see [`checked_side`].)
pub fn side_for(params: usize, wanted: usize) -> usize {
    let fit = (PICTURE_WORK / params.max(1) as f64).sqrt().floor();
    let fit = if fit.is_finite() {
        fit as usize
    } else {
        wanted
    };
    wanted.min(fit).max(MIN_SIDE.min(wanted))
}

/// A decision-boundary picture painted a piece of pixels at a time (the pieces are about
/// [`PIECE_WORK`] multiply-adds each, so a page can stop between two of them); the network
/// must not change between pieces (the worker does not train while it paints).
#[derive(Clone, Debug)]
pub struct Painter {
    view: [f64; 4],
    side: usize,
    shade: Shade,
    /// Pixels per piece.
    piece: usize,
    done: usize,
    image: Vec<u8>,
}

impl Painter {
    /// A painter of a `side` × `side` picture over `view` for a network of `params` parameters
    /// (which sets the piece size).
    pub fn new(view: [f64; 4], side: usize, shade: Shade, params: usize) -> Result<Painter> {
        check_picture(view, side)?;
        let piece = ((PIECE_WORK / params.max(1) as f64) as usize).clamp(1, side * side);
        Ok(Painter {
            view,
            side,
            shade,
            piece,
            done: 0,
            image: Vec::with_capacity(side * side * 4),
        })
    }

    /// Paints pieces until the picture is done or `should_stop()`, asked after each piece,
    /// says so; returns whether it is done.
    pub fn paint(
        &mut self,
        session: &mut Session,
        should_stop: &mut dyn FnMut() -> bool,
    ) -> Result<bool> {
        let [x0, x1, y0, y1] = self.view;
        let side = self.side;
        let (dx, dy) = ((x1 - x0) / side as f64, (y1 - y0) / side as f64);
        let mut colors = Vec::new();
        while self.done < side * side {
            let end = (self.done + self.piece).min(side * side);
            let mut data = Vec::with_capacity((end - self.done) * 2);
            for p in self.done..end {
                let (j, i) = (p / side, p % side);
                data.push(x0 + (i as f64 + 0.5) * dx);
                data.push(y1 - (j as f64 + 0.5) * dy);
            }
            let pixels = Matrix::from_vec(end - self.done, 2, data)?;
            let probs = session.predict_proba_raw(&pixels)?;
            colorize(&probs, self.shade, &mut colors);
            self.image.extend_from_slice(&colors);
            self.done = end;
            if should_stop() {
                break;
            }
        }
        Ok(self.done == side * side)
    }

    /// Pixels painted over all pixels, in [0, 1].
    pub fn progress(&self) -> f64 {
        crate::work::fraction(self.done, self.side * self.side)
    }

    /// The picture's side in pixels.
    pub fn side(&self) -> usize {
        self.side
    }

    /// The RGBA picture (complete once [`Painter::paint`] said done).
    pub fn into_image(self) -> Vec<u8> {
        self.image
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_runs_from_the_top_left_pixel_centre() {
        let g = grid([0.0, 4.0, 0.0, 2.0], 2).unwrap();
        assert_eq!(g.rows(), 4);
        assert_eq!(g.row(0), &[1.0, 1.5]);
        assert_eq!(g.row(1), &[3.0, 1.5]);
        assert_eq!(g.row(2), &[1.0, 0.5]);
        assert!(grid([0.0, 0.0, 0.0, 1.0], 2).is_err());
        assert!(grid(PLANE, 0).is_err());
        assert!(grid(PLANE, MAX_SIDE + 1).is_err());
    }

    #[test]
    fn a_large_network_gets_a_coarser_picture_within_the_picture_budget() {
        assert_eq!(side_for(114, 160), 160);
        assert_eq!(side_for(0, 160), 160);
        assert!(checked_side(114, 8193).is_err());
        assert_eq!(
            checked_side(8_400_000, 160).unwrap(),
            side_for(8_400_000, 160)
        );
        // 8 hidden layers of 1024: about 8.4 M parameters.
        let big = 8_400_000;
        let side = side_for(big, 160);
        assert!((MIN_SIDE..160).contains(&side), "{side}");
        assert!(big as f64 * (side * side) as f64 <= PICTURE_WORK);
        assert_eq!(side_for(usize::MAX, 160), MIN_SIDE);
        assert_eq!(side_for(usize::MAX, 4), 4);
    }

    #[test]
    fn confidence_is_lightness_and_the_hue_is_the_class() {
        let probs = Matrix::from_vec(3, 2, vec![1.0, 0.0, 0.5, 0.5, 0.0, 1.0]).unwrap();
        let mut px = Vec::new();
        colorize(&probs, Shade::Light, &mut px);
        assert_eq!(px.len(), 12);
        let sure0 = &px[0..3];
        let unsure = &px[4..7];
        let sure1 = &px[8..11];
        // Sure pixels are strongly tinted towards their class; a tie is nearly background.
        assert!(sure0[2] > sure0[0]);
        assert!(sure1[0] > sure1[2]);
        let sum = |p: &[u8]| p.iter().map(|&v| v as u32).sum::<u32>();
        assert!(sum(unsure) > sum(sure0) && sum(unsure) > sum(sure1));
        let nan = Matrix::from_vec(1, 2, vec![f64::NAN, 0.5]).unwrap();
        colorize(&nan, Shade::Dark, &mut px);
        assert_eq!(px, vec![0x80, 0x80, 0x80, 0xff]);
    }
}
