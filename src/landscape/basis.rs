//! A plane in weight space: a center θ_c and two directions, `θ(a, b) = θ_c + a·d₁ + b·d₂`,
//! with the least-squares projection of any weights onto it.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// The plane's origin and directions (flat parameter layout), and how they were chosen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Basis {
    /// The origin: the final weights of the trajectory.
    pub center: Vec<f64>,
    /// d₁ (the x axis) and d₂ (the y axis).
    pub directions: [Vec<f64>; 2],
    /// PCA only: the fraction of the trajectory's variance along d₁ and d₂.
    pub explained_variance: Option<[f64; 2]>,
    /// In words, for the app and the JSON.
    pub description: String,
}

/// Where weights land on the plane.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    pub x: f64,
    pub y: f64,
    /// ‖θ − θ(x, y)‖: how far the weights are from the plane.
    pub off_plane: f64,
}

impl Basis {
    /// Check lengths and that the directions span a plane.
    pub fn new(
        center: Vec<f64>,
        directions: [Vec<f64>; 2],
        explained_variance: Option<[f64; 2]>,
        description: String,
    ) -> Result<Basis> {
        let n = center.len();
        for (k, d) in directions.iter().enumerate() {
            if d.len() != n {
                return Err(Error::invalid(
                    &format!("directions[{k}]"),
                    format!("{} numbers", d.len()),
                    &format!("{n} (one per parameter)"),
                ));
            }
            if let Some(i) = d.iter().position(|v| !v.is_finite()) {
                return Err(Error::invalid(
                    &format!("directions[{k}][{i}]"),
                    d[i],
                    "a finite number",
                ));
            }
        }
        let b = Basis {
            center,
            directions,
            explained_variance,
            description,
        };
        let [[g11, g12], [_, g22]] = b.gram();
        if !(g11 > 0.0 && g22 > 0.0) || g11 * g22 - g12 * g12 <= 1e-12 * g11 * g22 {
            return Err(Error::invalid(
                "directions",
                "zero or parallel vectors",
                "two independent directions (are all weights zero?)",
            ));
        }
        Ok(b)
    }

    /// The number of parameters.
    pub fn n(&self) -> usize {
        self.center.len()
    }

    /// `[[d₁·d₁, d₁·d₂], [d₂·d₁, d₂·d₂]]`.
    pub fn gram(&self) -> [[f64; 2]; 2] {
        let [d1, d2] = &self.directions;
        let g12 = dot(d1, d2);
        [[dot(d1, d1), g12], [g12, dot(d2, d2)]]
    }

    /// `θ_c + x·d₁ + y·d₂` into `out` (n numbers).
    pub fn point_into(&self, x: f64, y: f64, out: &mut [f64]) {
        let [d1, d2] = &self.directions;
        for (((o, &c), &a), &b) in out.iter_mut().zip(&self.center).zip(d1).zip(d2) {
            *o = c + x * a + y * b;
        }
    }

    /// `θ_c + x·d₁ + y·d₂`.
    pub fn point(&self, x: f64, y: f64) -> Vec<f64> {
        let mut out = vec![0.0; self.n()];
        self.point_into(x, y, &mut out);
        out
    }

    /// The (x, y) minimizing ‖θ − θ(x, y)‖ (the orthogonal projection; for orthonormal
    /// directions simply `d_k·(θ − θ_c)`), and the distance left.
    pub fn project(&self, theta: &[f64]) -> Result<Projection> {
        if theta.len() != self.n() {
            return Err(Error::invalid(
                "theta",
                format!("{} numbers", theta.len()),
                &format!("{} (one per parameter)", self.n()),
            ));
        }
        let r: Vec<f64> = theta.iter().zip(&self.center).map(|(t, c)| t - c).collect();
        let [d1, d2] = &self.directions;
        let (r1, r2) = (dot(d1, &r), dot(d2, &r));
        let [[g11, g12], [_, g22]] = self.gram();
        let det = g11 * g22 - g12 * g12;
        let x = (g22 * r1 - g12 * r2) / det;
        let y = (g11 * r2 - g12 * r1) / det;
        let off: f64 = r
            .iter()
            .zip(d1)
            .zip(d2)
            .map(|((r, a), b)| (r - x * a - y * b).powi(2))
            .sum();
        Ok(Projection {
            x,
            y,
            off_plane: off.sqrt(),
        })
    }
}

pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
