//! A grid of surface values over a view box: the input of the heatmap and contour code.

/// Values on an `nx` × `ny` grid over `[x0, x1] × [y0, y1]`, row-major, row `j` at
/// `y = y0 + j (y1 - y0) / (ny - 1)` (row 0 is the bottom), column `i` at
/// `x = x0 + i (x1 - x0) / (nx - 1)`. Values may be non-finite (outside a domain).
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub values: Vec<f64>,
    pub nx: usize,
    pub ny: usize,
    pub x: [f64; 2],
    pub y: [f64; 2],
}

impl Field {
    /// Wraps values laid out as described above; `values.len()` must be `nx * ny`.
    pub fn new(values: Vec<f64>, nx: usize, ny: usize, x: [f64; 2], y: [f64; 2]) -> Field {
        assert_eq!(
            values.len(),
            nx * ny,
            "a {nx}x{ny} field needs {} values",
            nx * ny
        );
        Field {
            values,
            nx,
            ny,
            x,
            y,
        }
    }

    /// Samples `f` on the grid (for tests and native use).
    pub fn from_fn(
        nx: usize,
        ny: usize,
        x: [f64; 2],
        y: [f64; 2],
        f: impl Fn(f64, f64) -> f64,
    ) -> Field {
        let mut values = Vec::with_capacity(nx * ny);
        for j in 0..ny {
            for i in 0..nx {
                values.push(f(lerp(x, i, nx), lerp(y, j, ny)));
            }
        }
        Field {
            values,
            nx,
            ny,
            x,
            y,
        }
    }

    /// The value at column `i`, row `j`.
    pub fn at(&self, i: usize, j: usize) -> f64 {
        self.values[j * self.nx + i]
    }

    /// The x coordinate of a (fractional) column index.
    pub fn x_at(&self, i: f64) -> f64 {
        self.x[0] + i * step(self.x, self.nx)
    }

    /// The y coordinate of a (fractional) row index.
    pub fn y_at(&self, j: f64) -> f64 {
        self.y[0] + j * step(self.y, self.ny)
    }
}

fn step(range: [f64; 2], n: usize) -> f64 {
    if n > 1 {
        (range[1] - range[0]) / (n - 1) as f64
    } else {
        0.0
    }
}

fn lerp(range: [f64; 2], k: usize, n: usize) -> f64 {
    range[0] + k as f64 * step(range, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_row_major_from_the_bottom() {
        let f = Field::from_fn(3, 2, [0.0, 2.0], [10.0, 20.0], |x, y| x + y);
        assert_eq!(f.values, vec![10.0, 11.0, 12.0, 20.0, 21.0, 22.0]);
        assert_eq!(f.at(2, 1), 22.0);
        assert_eq!(f.x_at(0.5), 0.5);
        assert_eq!(f.y_at(0.5), 15.0);
    }
}
