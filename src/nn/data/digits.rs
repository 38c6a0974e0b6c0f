//! The 8×8 handwritten digits (1797 images, classes 0–9, pixels 0–16) from `data/digits.bin`
//! (73 KB: 5 bits per value), with a fixed train/test split. The native build carries the file
//! inside the binary; the wasm build is given it by the page ([`provide`]), so the surface lab,
//! which never trains on digits, does not download it.
//!
//! Source: scikit-learn's `load_digits()`, a copy of the test set (`optdigits.tes`) of the
//! UCI Optical Recognition of Handwritten Digits data set. Licence CC BY 4.0; credit:
//! Alpaydin, E. & Kaynak, C. (1998), *Optical Recognition of Handwritten Digits*, UCI Machine
//! Learning Repository, <https://doi.org/10.24432/C50P49>.
//!
//! File format (written by `data/make_digits_bin.py` from `digits.csv`): the magic `DGT1`, the
//! row count (u16, little-endian), the pixels per row (u8, 64), then per row the label and the
//! 64 pixels (row-major, p0 = top-left) as 5-bit values, most significant bit first.

use super::Dataset;
use crate::error::{Error, Result};
use crate::nn::matrix::Matrix;

/// The attribution the data's licence (CC BY 4.0) asks for, for the app's about box.
pub const DIGITS_CREDIT: &str = "Handwritten digits: Alpaydin, E. & Kaynak, C. (1998), \
Optical Recognition of Handwritten Digits, UCI Machine Learning Repository, \
https://doi.org/10.24432/C50P49 (CC BY 4.0); the 1797-image copy in scikit-learn's load_digits.";

/// The packed file, inside the native binary.
#[cfg(not(target_arch = "wasm32"))]
fn packed() -> Result<&'static [u8]> {
    Ok(include_bytes!("../../../data/digits.bin"))
}

/// The packed file, once the page has fetched it and handed it over with [`provide`].
#[cfg(target_arch = "wasm32")]
static PROVIDED: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();

#[cfg(target_arch = "wasm32")]
fn packed() -> Result<&'static [u8]> {
    PROVIDED.get().map(Vec::as_slice).ok_or_else(|| {
        Error::Config(
            "the digits are not loaded yet (the page fetches data/digits.bin before it trains on them)"
                .into(),
        )
    })
}

/// Hands the wasm build the bytes of `data/digits.bin` (checked: a DGT1 file of 1797 images of
/// 64 pixels). Giving it again is harmless.
#[cfg(target_arch = "wasm32")]
pub fn provide(bytes: Vec<u8>) -> Result<()> {
    let (labels, pixels) = decode(&bytes)?;
    if labels.len() != DIGITS_ROWS || pixels.len() != DIGITS_ROWS * DIGITS_PIXELS {
        return Err(Error::invalid(
            "digits.bin",
            format!(
                "{} images of {} pixels",
                labels.len(),
                pixels.len() / labels.len().max(1)
            ),
            "1797 images of 64 pixels",
        ));
    }
    let _ = PROVIDED.set(bytes);
    Ok(())
}

/// Whether [`provide`] has been called (the wasm build); always true natively.
pub fn available() -> bool {
    packed().is_ok()
}

/// Number of images.
pub const DIGITS_ROWS: usize = 1797;
/// Pixels per image (8 × 8).
pub const DIGITS_PIXELS: usize = 64;
/// The first `DIGITS_TRAIN_ROWS` rows (80%) are the fixed training set, the other 360 the
/// test set; every class has 33–37 test images.
pub const DIGITS_TRAIN_ROWS: usize = 1437;

/// Decode a packed digits file into (labels, pixels row-major).
pub fn decode(bytes: &[u8]) -> Result<(Vec<usize>, Vec<u8>)> {
    let bad = |what: &str| Error::invalid("digits.bin", what, "a DGT1 file of 5-bit values");
    if bytes.len() < 7 || &bytes[..4] != b"DGT1" {
        return Err(bad("no DGT1 header"));
    }
    let rows = u16::from_le_bytes([bytes[4], bytes[5]]) as usize;
    let cols = bytes[6] as usize;
    let body = &bytes[7..];
    let count = rows * (cols + 1);
    if body.len() * 8 < count * 5 {
        return Err(bad("too short"));
    }
    let mut values = Vec::with_capacity(count);
    let (mut acc, mut nbits, mut at) = (0u32, 0u32, 0usize);
    for _ in 0..count {
        while nbits < 5 {
            acc = (acc << 8) | body[at] as u32;
            at += 1;
            nbits += 8;
        }
        nbits -= 5;
        values.push(((acc >> nbits) & 31) as u8);
        acc &= (1 << nbits) - 1;
    }
    let mut labels = Vec::with_capacity(rows);
    let mut pixels = Vec::with_capacity(rows * cols);
    for r in values.chunks_exact(cols + 1) {
        if r[0] > 9 || r[1..].iter().any(|&v| v > 16) {
            return Err(bad("a value out of range"));
        }
        labels.push(r[0] as usize);
        pixels.extend_from_slice(&r[1..]);
    }
    Ok((labels, pixels))
}

/// All 1797 images, pixels as the integers 0…16 (scikit-learn's row order).
pub fn digits() -> Result<Dataset> {
    let (labels, pixels) = decode(packed()?)?;
    let x = Matrix::from_vec(
        labels.len(),
        DIGITS_PIXELS,
        pixels.iter().map(|&v| v as f64).collect(),
    )
    .expect("64 pixels per row");
    Ok(Dataset {
        x,
        y: labels,
        classes: 10,
    })
}

/// The fixed split: the first 1437 rows train, the last 360 test.
pub fn digits_split() -> Result<(Dataset, Dataset)> {
    let all = digits()?;
    let train: Vec<usize> = (0..DIGITS_TRAIN_ROWS).collect();
    let test: Vec<usize> = (DIGITS_TRAIN_ROWS..all.len()).collect();
    Ok((all.select(&train), all.select(&test)))
}
