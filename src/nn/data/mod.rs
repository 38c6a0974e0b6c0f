//! Labelled data sets for the classifier: TensorFlow-Playground-style 2-D sets (spiral, xor,
//! circle, gauss; 2 or 3 classes, noise, seed) and the 8×8 handwritten digits, plus splits.

pub mod digits;
pub mod playground;

use super::matrix::Matrix;
use crate::error::{Error, Result};
use crate::rng::Rng;
use serde::{Deserialize, Serialize};

/// Rows of features `x` with a class label each.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub x: Matrix,
    pub y: Vec<usize>,
    pub classes: usize,
}

impl Dataset {
    /// Check one label per row, labels in `0..classes` and finite features.
    pub fn new(x: Matrix, y: Vec<usize>, classes: usize) -> Result<Dataset> {
        super::loss::check_labels(&y, x.rows(), classes)?;
        x.check_finite("X")?;
        Ok(Dataset { x, y, classes })
    }

    pub fn len(&self) -> usize {
        self.y.len()
    }

    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// The rows `idx`, in that order.
    pub fn select(&self, idx: &[usize]) -> Dataset {
        Dataset {
            x: self.x.select_rows(idx),
            y: idx.iter().map(|&i| self.y[i]).collect(),
            classes: self.classes,
        }
    }

    /// How many rows each class has.
    pub fn class_counts(&self) -> Vec<usize> {
        let mut c = vec![0; self.classes];
        self.y.iter().for_each(|&k| c[k] += 1);
        c
    }
}

/// Split rows at random (from `seed`) into `round(train_fraction · N)` training rows and the
/// rest for testing (`None` when nothing is left). `train_fraction` is in (0, 1].
pub fn train_test_split(
    ds: &Dataset,
    train_fraction: f64,
    seed: u64,
) -> Result<(Dataset, Option<Dataset>)> {
    if !(train_fraction > 0.0 && train_fraction <= 1.0) {
        return Err(Error::invalid(
            "train_fraction",
            train_fraction,
            "a fraction in (0, 1] of the rows to train on",
        ));
    }
    let n = ds.len();
    let n_train = ((train_fraction * n as f64).round() as usize).clamp(1.min(n), n);
    let mut idx: Vec<usize> = (0..n).collect();
    Rng::stream(seed, 2).shuffle(&mut idx);
    let train = ds.select(&idx[..n_train]);
    let test = (n_train < n).then(|| ds.select(&idx[n_train..]));
    Ok((train, test))
}

/// The data sets by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatasetName {
    Spiral,
    Xor,
    Circle,
    Gauss,
    Digits,
}

impl DatasetName {
    /// Every data set, in the order the classifier's picker lists them.
    pub const ALL: [DatasetName; 5] = [
        DatasetName::Spiral,
        DatasetName::Xor,
        DatasetName::Circle,
        DatasetName::Gauss,
        DatasetName::Digits,
    ];

    /// The name in configs and links (`"spiral"`).
    pub fn name(self) -> &'static str {
        match self {
            DatasetName::Spiral => "spiral",
            DatasetName::Xor => "xor",
            DatasetName::Circle => "circle",
            DatasetName::Gauss => "gauss",
            DatasetName::Digits => "digits",
        }
    }

    /// Every name, for the catalog and for "expected one of" messages.
    pub fn names() -> Vec<&'static str> {
        Self::ALL.map(Self::name).to_vec()
    }

    /// Look a data set up by its name.
    pub fn from_name(name: &str) -> Result<DatasetName> {
        Self::ALL
            .into_iter()
            .find(|d| d.name() == name)
            .ok_or_else(|| Error::UnknownName {
                kind: "data set".into(),
                name: name.into(),
                expected: Self::names().join(", "),
            })
    }
}
