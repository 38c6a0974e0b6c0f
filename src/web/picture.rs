//! What the surface lab's `Lab` and the classifier's `LandscapeView` share about a picture of a
//! field: the colour scale's choice and the bounds of a grid side.

use crate::error::{Error, Expected};
use wasm_bindgen::JsValue;

/// The largest heatmap or contour grid side (keeps memory bounded whatever JS asks).
pub(super) const MAX_SIDE: usize = 2048;

/// How values become colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Colors {
    /// viridis over the values' CDF (every colour covers the same area).
    Equalized,
    /// viridis over log10 of the height above the minimum.
    Log,
}

impl Colors {
    /// `"equalized"` or `"log"`; any other name is an error that lists the two.
    pub(super) fn from_name(name: &str) -> Result<Colors, JsValue> {
        match name {
            "equalized" => Ok(Colors::Equalized),
            "log" => Ok(Colors::Log),
            other => Err(Error::UnknownName {
                kind: "colour scale".into(),
                name: other.into(),
                expected: "equalized, log".into(),
            }
            .into()),
        }
    }
}

/// The error for a grid side outside `2..=MAX_SIDE`.
fn grid_size_error(n: usize) -> JsValue {
    Error::invalid_as(
        "grid size",
        n,
        Expected::Count {
            min: 2,
            max: MAX_SIDE,
            unit: "points per side".into(),
        },
    )
    .into()
}

/// `Ok` for a grid side in `2..=MAX_SIDE`, else [`grid_size_error`].
pub(super) fn check_side(n: usize) -> Result<(), JsValue> {
    if (2..=MAX_SIDE).contains(&n) {
        Ok(())
    } else {
        Err(grid_size_error(n))
    }
}
