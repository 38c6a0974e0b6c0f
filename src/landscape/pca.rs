//! The plane of a weight trajectory's two main directions (Li et al. 2018, "Visualizing the
//! Loss Landscape of Neural Nets", §7): PCA of the points relative to the final weights.
//!
//! The rows `θ_i − θ_final` (i < m − 1) are centered on their mean before the decomposition,
//! as the paper's code does (scikit-learn's `PCA`); the plane passes through `θ_final`. So the
//! part of the rows' mean orthogonal to the plane is not on it: every point's `off_plane`
//! includes it (the plane shows the path's shape, not its exact position). The directions
//! are orthonormal and signed so that the first point of the trajectory has coordinates ≤ 0
//! (the path comes in from the lower left and ends at the origin).

use super::basis::{dot, Basis};
use crate::error::{Error, Result};
use crate::rng::Rng;
use nalgebra::{DMatrix, SymmetricEigen};

/// The stream of the fallback direction ([`Rng::stream`] salt).
const FALLBACK_SALT: u64 = 23;

/// The PCA plane of `trajectory` (at least two points, the last is the center). When the path
/// has fewer than two dimensions of variation, the missing direction is filled in (see the
/// description it gets): the line from the final to the first point, then a direction
/// orthogonal to the first drawn from `seed`.
pub fn pca_basis(trajectory: &[Vec<f64>], seed: u64) -> Result<Basis> {
    let center = check_trajectory(trajectory)?.to_vec();
    let n = center.len();
    let rows: Vec<Vec<f64>> = trajectory[..trajectory.len() - 1]
        .iter()
        .map(|t| t.iter().zip(&center).map(|(a, c)| a - c).collect())
        .collect();
    let scale: f64 = rows.iter().map(|r| dot(r, r)).sum();
    if scale == 0.0 {
        return Err(Error::invalid(
            "trajectory",
            "all points equal",
            "weights that move during training",
        ));
    }
    let k = rows.len() as f64;
    let mean: Vec<f64> = (0..n)
        .map(|j| rows.iter().map(|r| r[j]).sum::<f64>() / k)
        .collect();
    let centered: Vec<Vec<f64>> = rows
        .iter()
        .map(|r| r.iter().zip(&mean).map(|(a, m)| a - m).collect())
        .collect();
    let (values, vectors) = principal_directions(&centered, n)?;
    let total: f64 = values.iter().map(|v| v.max(0.0)).sum();
    let tiny = 1e-20 * scale;
    let mut notes = Vec::new();
    let d1 = if values[0] > tiny {
        vectors[0].clone()
    } else {
        notes.push(
            "d₁ is the line from the final to the first point (the points vary along no other)",
        );
        unit(rows[0].clone())
    };
    let d2 = if values.len() > 1 && values[1] > tiny {
        unit(orthogonal_part(vectors[1].clone(), &d1))
    } else {
        notes.push("the path spans one dimension: d₂ is a random direction orthogonal to d₁");
        let mut rng = Rng::stream(seed, FALLBACK_SALT);
        unit(orthogonal_part((0..n).map(|_| rng.normal()).collect(), &d1))
    };
    let signed = |d: Vec<f64>| {
        if dot(&d, &rows[0]) > 0.0 {
            d.into_iter().map(|v| -v).collect()
        } else {
            d
        }
    };
    let (d1, d2) = (signed(d1), signed(d2));
    let ratio = |i: usize| {
        if total > 0.0 {
            values.get(i).map_or(0.0, |v| v.max(0.0) / total)
        } else {
            0.0
        }
    };
    let explained = [ratio(0), ratio(1)];
    let mut description = format!(
        "PCA of the weight trajectory ({} points, centered; Li et al. 2018 §7), plane through \
         the final weights: d₁ explains {:.1}% and d₂ {:.1}% of the variance",
        trajectory.len(),
        100.0 * explained[0],
        100.0 * explained[1]
    );
    for note in notes {
        description.push_str("; ");
        description.push_str(note);
    }
    Basis::new(center, [d1, d2], Some(explained), description)
}

/// At least two points of equal length, all finite; returns the last.
fn check_trajectory(trajectory: &[Vec<f64>]) -> Result<&[f64]> {
    let Some(last) = trajectory.last().filter(|_| trajectory.len() >= 2) else {
        return Err(Error::invalid(
            "trajectory",
            format!("{} points", trajectory.len()),
            "at least 2 weight vectors (e.g. the initial and the final weights)",
        ));
    };
    for (i, t) in trajectory.iter().enumerate() {
        if t.len() != last.len() || t.is_empty() {
            return Err(Error::invalid(
                &format!("trajectory[{i}]"),
                format!("{} numbers", t.len()),
                &format!("{} (as every other point)", last.len()),
            ));
        }
        if let Some(j) = t.iter().position(|v| !v.is_finite()) {
            return Err(Error::invalid(
                &format!("trajectory[{i}][{j}]"),
                t[j],
                "a finite number (did training diverge?)",
            ));
        }
    }
    Ok(last)
}

/// The eigenvalues (descending) of the covariance `CᵀC` of the rows of `c` and the unit
/// eigenvectors of the top two, from whichever of `CCᵀ` (k × k) and `CᵀC` (n × n) is smaller.
fn principal_directions(c: &[Vec<f64>], n: usize) -> Result<(Vec<f64>, Vec<Vec<f64>>)> {
    let k = c.len();
    let small = if k <= n {
        DMatrix::from_fn(k, k, |i, j| dot(&c[i], &c[j]))
    } else {
        DMatrix::from_fn(n, n, |a, b| c.iter().map(|r| r[a] * r[b]).sum())
    };
    let m = small.nrows();
    let eig = SymmetricEigen::try_new(small, f64::EPSILON, 1000 + 100 * m).ok_or_else(|| {
        Error::invalid(
            "trajectory",
            "no convergence",
            "a PCA whose eigen decomposition converges",
        )
    })?;
    let eigenvalues: Vec<f64> = eig.eigenvalues.iter().copied().collect();
    let order = crate::order::descending(&eigenvalues);
    let values: Vec<f64> = order.iter().map(|&i| eigenvalues[i]).collect();
    let vectors = order
        .iter()
        .take(2)
        .map(|&i| {
            let u = eig.eigenvectors.column(i);
            if k <= n {
                // d = Cᵀu (then normalized).
                unit(
                    (0..n)
                        .map(|j| (0..k).map(|r| c[r][j] * u[r]).sum())
                        .collect(),
                )
            } else {
                u.iter().copied().collect()
            }
        })
        .collect();
    Ok((values, vectors))
}

/// `v` scaled to length 1 (left as is when it is 0).
fn unit(mut v: Vec<f64>) -> Vec<f64> {
    let norm = dot(&v, &v).sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
    v
}

/// `v − (v·d)d` for a unit `d`.
fn orthogonal_part(mut v: Vec<f64>, d: &[f64]) -> Vec<f64> {
    let c = dot(&v, d);
    v.iter_mut().zip(d).for_each(|(x, &d)| *x -= c * d);
    v
}
