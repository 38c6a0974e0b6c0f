//! Contour lines by marching squares: for each level, every grid cell whose corners straddle
//! it contributes a line segment between the linearly interpolated edge crossings. Saddle
//! cells are resolved by the cell's centre value. Cells with a non-finite corner are skipped.

use super::Field;

/// One piece of a contour line, in surface coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    /// Index into the levels the segments were computed for.
    pub level: usize,
    pub a: [f64; 2],
    pub b: [f64; 2],
}

/// Cell edges: 0 bottom (a→b), 1 right (b→c), 2 top (d→c), 3 left (a→d), with corners
/// a = (i, j), b = (i+1, j), c = (i+1, j+1), d = (i, j+1).
type Edge = u8;

/// The segments (pairs of edges) of each corner case; bit 1 = a, 2 = b, 4 = c, 8 = d is set
/// when that corner lies above the level. Cases 5 and 10 (saddles) depend on the centre.
fn edges(case: u8, centre_above: bool) -> &'static [(Edge, Edge)] {
    match case {
        1 | 14 => &[(3, 0)],
        2 | 13 => &[(0, 1)],
        3 | 12 => &[(3, 1)],
        4 | 11 => &[(1, 2)],
        6 | 9 => &[(0, 2)],
        7 | 8 => &[(2, 3)],
        5 if centre_above => &[(0, 1), (2, 3)],
        5 => &[(3, 0), (1, 2)],
        10 if centre_above => &[(3, 0), (1, 2)],
        10 => &[(0, 1), (2, 3)],
        _ => &[],
    }
}

/// The most segments [`contour_segments`] returns (40 MiB of them in wasm32). A smooth field
/// on the largest grid at 256 levels makes far fewer; a field that is rounding noise (a Taylor
/// model far from its centre, where its terms cancel) crosses every level in every cell.
pub const MAX_SEGMENTS: usize = 1 << 20;

/// All contour segments of `field` at each of `levels`, level by level, at most
/// [`MAX_SEGMENTS`] of them (the scan stops there: the first levels are whole).
pub fn contour_segments(field: &Field, levels: &[f64]) -> Vec<Segment> {
    let mut out = Vec::new();
    if field.nx < 2 || field.ny < 2 {
        return out;
    }
    // Each cell's lowest and highest corner, once for all levels: a level crosses the cell
    // only when low ≤ level < high (a corner at most the level and one above it; every other
    // case has no segment), so most cells are passed over by one comparison per level. A cell
    // with a non-finite corner gets NaN, which no comparison passes.
    //
    // Slices, index loops and no iterator adaptors in the per-cell work: the surface lab's wasm
    // is size-optimized (opt-level z), which keeps `Vec` indexing, `push` and adaptors calls
    // (200² cells at 18 levels: 12 ms in the first picture before, against 6 at opt-level 3).
    let cells = (field.nx - 1) * (field.ny - 1);
    let values: &[f64] = &field.values;
    let nx = field.nx;
    let mut low_cells = vec![f64::NAN; cells];
    let mut high_cells = vec![f64::NAN; cells];
    let (low, high): (&mut [f64], &mut [f64]) = (&mut low_cells, &mut high_cells);
    let mut cell = 0;
    for j in 0..field.ny - 1 {
        for i in 0..nx - 1 {
            let v = corners(values, nx, i, j);
            let finite =
                v[0].is_finite() && v[1].is_finite() && v[2].is_finite() && v[3].is_finite();
            if finite {
                low[cell] = v[0].min(v[1]).min(v[2].min(v[3]));
            }
            high[cell] = v[0].max(v[1]).max(v[2].max(v[3]));
            cell += 1;
        }
    }
    let (low, high): (&[f64], &[f64]) = (low, high);
    for (level_index, &level) in levels.iter().enumerate() {
        let mut cell = 0;
        for j in 0..field.ny - 1 {
            for i in 0..nx - 1 {
                let crossed = low[cell] <= level && level < high[cell];
                cell += 1;
                if !crossed {
                    continue;
                }
                let v = corners(values, nx, i, j);
                let case = u8::from(v[0] > level)
                    | u8::from(v[1] > level) << 1
                    | u8::from(v[2] > level) << 2
                    | u8::from(v[3] > level) << 3;
                let centre_above = (v[0] + v[1] + v[2] + v[3]) / 4.0 > level;
                for &(e0, e1) in edges(case, centre_above) {
                    if out.len() == MAX_SEGMENTS {
                        return out;
                    }
                    out.push(Segment {
                        level: level_index,
                        a: crossing(field, i, j, &v, e0, level),
                        b: crossing(field, i, j, &v, e1, level),
                    });
                }
            }
        }
    }
    out
}

/// The values at the corners a, b, c, d of cell (i, j) of a field's `values` (`nx` columns).
#[inline(always)]
fn corners(values: &[f64], nx: usize, i: usize, j: usize) -> [f64; 4] {
    let (row, up) = (j * nx + i, (j + 1) * nx + i);
    [values[row], values[row + 1], values[up + 1], values[up]]
}

/// Where the level crosses edge `e` of cell (i, j), in surface coordinates.
fn crossing(field: &Field, i: usize, j: usize, v: &[f64; 4], e: Edge, level: f64) -> [f64; 2] {
    let (i, j) = (i as f64, j as f64);
    let frac = |v0: f64, v1: f64| ((level - v0) / (v1 - v0)).clamp(0.0, 1.0);
    let (gi, gj) = match e {
        0 => (i + frac(v[0], v[1]), j),
        1 => (i + 1.0, j + frac(v[1], v[2])),
        2 => (i + frac(v[3], v[2]), j + 1.0),
        _ => (i, j + frac(v[0], v[3])),
    };
    [field.x_at(gi), field.y_at(gj)]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The earlier form: every cell's corners examined at every level.
    fn segments_cell_by_cell(field: &Field, levels: &[f64]) -> Vec<Segment> {
        let mut out = Vec::new();
        for (level_index, &level) in levels.iter().enumerate() {
            for j in 0..field.ny - 1 {
                for i in 0..field.nx - 1 {
                    let v = [
                        field.at(i, j),
                        field.at(i + 1, j),
                        field.at(i + 1, j + 1),
                        field.at(i, j + 1),
                    ];
                    if !v.iter().all(|x| x.is_finite()) {
                        continue;
                    }
                    let case = v.iter().enumerate().fold(0u8, |acc, (k, x)| {
                        if *x > level {
                            acc | (1 << k)
                        } else {
                            acc
                        }
                    });
                    let centre_above = (v[0] + v[1] + v[2] + v[3]) / 4.0 > level;
                    for &(e0, e1) in edges(case, centre_above) {
                        out.push(Segment {
                            level: level_index,
                            a: crossing(field, i, j, &v, e0, level),
                            b: crossing(field, i, j, &v, e1, level),
                        });
                    }
                }
            }
        }
        out
    }

    #[test]
    fn the_per_cell_range_gives_the_cell_by_cell_segments() {
        // A smooth field with plateaus (values equal to a level), saddles, and non-finite
        // corners (NaN, ±inf); levels at, between and outside its values, and a NaN level.
        let (nx, ny) = (41, 37);
        let values: Vec<f64> = (0..nx * ny)
            .map(|k| {
                let (x, y) = ((k % nx) as f64 / 8.0 - 2.5, (k / nx) as f64 / 8.0 - 2.2);
                match k % 97 {
                    0 => f64::NAN,
                    1 => f64::INFINITY,
                    2 => f64::NEG_INFINITY,
                    _ => ((x * x - y * y) * 4.0).round() / 4.0 + (x * y).sin(),
                }
            })
            .collect();
        let field = Field::new(values, nx, ny, [-1.0, 2.0], [0.5, 3.0]);
        let mut levels: Vec<f64> = (-24..=24).map(|k| k as f64 / 4.0).collect();
        levels.extend([-100.0, 100.0, f64::NAN, 0.1, 0.0]);
        let got = contour_segments(&field, &levels);
        assert!(got.len() > 1000, "{}", got.len());
        assert_eq!(got, segments_cell_by_cell(&field, &levels));
    }

    #[test]
    fn a_field_of_noise_gives_at_most_max_segments() {
        // Every cell of a checkerboard crosses every level between its two values (as rounding
        // noise does); 1024² cells at 256 levels would be 5·10⁸ segments.
        let n = 1025;
        let values = (0..n * n).map(|k| ((k % n + k / n) % 2) as f64).collect();
        let field = Field::new(values, n, n, [0.0, 1.0], [0.0, 1.0]);
        let levels: Vec<f64> = (1..=256).map(|k| k as f64 / 257.0).collect();
        let segments = contour_segments(&field, &levels);
        assert_eq!(segments.len(), MAX_SEGMENTS);
        // The first levels are whole: level 0 has a segment in every cell's corners.
        assert!(segments.iter().filter(|s| s.level == 0).count() >= (n - 1) * (n - 1));
    }

    #[test]
    fn a_circle_of_the_right_radius() {
        // f = x² + y², level 1: every segment end lies on the unit circle (up to the
        // linear interpolation error of the grid), and the contour goes all the way round.
        let field = Field::from_fn(81, 81, [-2.0, 2.0], [-2.0, 2.0], |x, y| x * x + y * y);
        let segments = contour_segments(&field, &[1.0]);
        assert!(segments.len() > 50);
        let mut length = 0.0;
        for s in &segments {
            for p in [s.a, s.b] {
                let r = (p[0] * p[0] + p[1] * p[1]).sqrt();
                assert!((r - 1.0).abs() < 0.01, "r = {r}");
            }
            length += ((s.a[0] - s.b[0]).powi(2) + (s.a[1] - s.b[1]).powi(2)).sqrt();
        }
        assert!(
            (length - std::f64::consts::TAU).abs() < 0.01,
            "length {length}"
        );
    }

    #[test]
    fn a_straight_line() {
        // f = x, level 0.3: the vertical line x = 0.3 across the whole height.
        let field = Field::from_fn(11, 5, [0.0, 1.0], [0.0, 4.0], |x, _| x);
        let segments = contour_segments(&field, &[0.3]);
        assert_eq!(segments.len(), 4);
        for s in &segments {
            assert!((s.a[0] - 0.3).abs() < 1e-12 && (s.b[0] - 0.3).abs() < 1e-12);
        }
    }

    #[test]
    fn saddles_use_the_centre() {
        // f = x·y on [-1,1]²: one cell, corners above/below alternately.
        let field = Field::from_fn(2, 2, [-1.0, 1.0], [-1.0, 1.0], |x, y| x * y);
        assert_eq!(contour_segments(&field, &[0.5]).len(), 2);
        assert_eq!(contour_segments(&field, &[-0.5]).len(), 2);
    }

    #[test]
    fn levels_are_tagged_and_non_finite_cells_skipped() {
        let field = Field::from_fn(3, 3, [0.0, 2.0], [0.0, 2.0], |x, y| {
            if x > 1.5 {
                f64::NAN
            } else {
                y
            }
        });
        let segments = contour_segments(&field, &[0.5, 1.5]);
        // Only the left column of cells is finite: one segment per level.
        assert_eq!(
            segments.iter().map(|s| s.level).collect::<Vec<_>>(),
            vec![0, 1]
        );
        assert!(contour_segments(
            &Field::from_fn(1, 1, [0.0, 1.0], [0.0, 1.0], |_, _| 0.0),
            &[0.0]
        )
        .is_empty());
    }
}
