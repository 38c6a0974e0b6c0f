//! A surface known only on a grid (a network's loss over a plane in weight space): bilinear
//! interpolation between the grid values, for the heatmap and the 3-D mesh at any resolution;
//! the contours use the grid itself. It has no gradient or Hessian: the lab's inspector and
//! optimizer runs need a formula.

use crate::error::{Error, Result};

/// Values on an `nx` × `ny` grid over `x × y`, row-major from the bottom row (the layout of
/// `Formula::eval_grid`, `render::Field` and `landscape::Plane`).
#[derive(Clone, Debug, PartialEq)]
pub struct GridSurface {
    pub x: [f64; 2],
    pub y: [f64; 2],
    pub nx: usize,
    pub ny: usize,
    pub values: Vec<f64>,
}

impl GridSurface {
    /// Check the layout: at least 2 × 2 values, `nx · ny` of them, finite increasing ranges.
    /// Values may be non-finite (a loss that overflowed); they stay holes in the picture.
    pub fn new(x: [f64; 2], y: [f64; 2], nx: usize, ny: usize, values: Vec<f64>) -> Result<Self> {
        if nx < 2 || ny < 2 {
            return Err(Error::invalid(
                "grid",
                format!("{nx} × {ny}"),
                "at least 2 × 2 values",
            ));
        }
        if nx.checked_mul(ny) != Some(values.len()) {
            return Err(Error::invalid(
                "values",
                format!("{} numbers", values.len()),
                &format!("nx · ny = {nx} × {ny}"),
            ));
        }
        for (name, r) in [("x", x), ("y", y)] {
            if !(r[0].is_finite() && r[1].is_finite() && r[0] < r[1]) {
                return Err(Error::invalid(
                    name,
                    format!("[{}, {}]", r[0], r[1]),
                    "finite [lo, hi] with lo < hi",
                ));
            }
        }
        Ok(GridSurface {
            x,
            y,
            nx,
            ny,
            values,
        })
    }

    fn at(&self, i: usize, j: usize) -> f64 {
        self.values[j * self.nx + i]
    }

    /// The value at (x, y) by bilinear interpolation of the four grid values around it (the
    /// nearest edge value outside the grid; NaN next to a non-finite value).
    pub fn value(&self, x: f64, y: f64) -> f64 {
        let f = self;
        let cell = |v: f64, r: [f64; 2], n: usize| {
            let u = ((v - r[0]) / (r[1] - r[0]) * (n - 1) as f64).clamp(0.0, (n - 1) as f64);
            let i = (u.floor() as usize).min(n - 2);
            (i, u - i as f64)
        };
        let (i, a) = cell(x, f.x, f.nx);
        let (j, b) = cell(y, f.y, f.ny);
        let bottom = f.at(i, j) * (1.0 - a) + f.at(i + 1, j) * a;
        let top = f.at(i, j + 1) * (1.0 - a) + f.at(i + 1, j + 1) * a;
        bottom * (1.0 - b) + top * b
    }

    /// The surface resampled on an `nx` × `ny` grid (at least 2 × 2) over the same ranges,
    /// in the same layout, into `out`.
    pub fn resample(&self, nx: usize, ny: usize, out: &mut Vec<f64>) {
        let (nx, ny) = (nx.max(2), ny.max(2));
        let at = |r: [f64; 2], k: usize, n: usize| r[0] + (r[1] - r[0]) * k as f64 / (n - 1) as f64;
        out.clear();
        out.reserve(nx * ny);
        for j in 0..ny {
            let y = at(self.y, j, ny);
            for i in 0..nx {
                out.push(self.value(at(self.x, i, nx), y));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolates_a_bilinear_function_exactly() {
        // f = 1 + 2x + 3y + xy is reproduced exactly by bilinear interpolation.
        let f = |x: f64, y: f64| 1.0 + 2.0 * x + 3.0 * y + x * y;
        let mut values = Vec::new();
        for j in 0..4 {
            for i in 0..5 {
                values.push(f(-1.0 + 0.5 * i as f64, j as f64));
            }
        }
        let g = GridSurface::new([-1.0, 1.0], [0.0, 3.0], 5, 4, values).unwrap();
        for (x, y) in [(-1.0, 0.0), (0.3, 1.7), (1.0, 3.0), (-0.55, 2.2)] {
            assert!((g.value(x, y) - f(x, y)).abs() < 1e-12, "({x}, {y})");
        }
        // Outside: the edge's value.
        assert!((g.value(5.0, 1.0) - f(1.0, 1.0)).abs() < 1e-12);
        let mut r = Vec::new();
        g.resample(9, 7, &mut r);
        assert_eq!(r.len(), 63);
        assert!((r[62] - f(1.0, 3.0)).abs() < 1e-12);
        assert!((r[0] - f(-1.0, 0.0)).abs() < 1e-12);
        assert!(GridSurface::new([0.0, 1.0], [0.0, 1.0], 2, 2, vec![0.0; 3]).is_err());
        assert!(GridSurface::new([1.0, 1.0], [0.0, 1.0], 2, 2, vec![0.0; 4]).is_err());
        assert!(GridSurface::new([0.0, 1.0], [0.0, 1.0], 1, 4, vec![0.0; 4]).is_err());
    }
}
