//! Lines for drawing: contour segments joined into polylines (a few long paths instead of
//! thousands of two-point ones, which keeps SVG files small), and paths clipped to a view box
//! (a diverging run's far points never reach the pixel arithmetic).

use super::Segment;
use crate::surface::ViewBox;
use std::collections::HashMap;

/// A polyline of one contour level.
#[derive(Debug, Clone, PartialEq)]
pub struct Polyline {
    pub level: usize,
    pub points: Vec<[f64; 2]>,
}

fn key(p: [f64; 2]) -> (u64, u64) {
    (p[0].to_bits(), p[1].to_bits())
}

/// Joins the segments of each level at shared end points (neighbouring cells compute a
/// shared edge's crossing from the same two values, so the ends match exactly).
pub fn chain(segments: &[Segment]) -> Vec<Polyline> {
    let mut by_level: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, s) in segments.iter().enumerate() {
        by_level.entry(s.level).or_default().push(i);
    }
    let mut levels: Vec<usize> = by_level.keys().copied().collect();
    levels.sort_unstable();
    let mut out = Vec::new();
    for level in levels {
        let ids = &by_level[&level];
        let mut ends: HashMap<(u64, u64), Vec<usize>> = HashMap::new();
        for &i in ids {
            ends.entry(key(segments[i].a)).or_default().push(i);
            ends.entry(key(segments[i].b)).or_default().push(i);
        }
        let mut used = vec![false; segments.len()];
        for &first in ids {
            if used[first] {
                continue;
            }
            used[first] = true;
            let mut points = vec![segments[first].a, segments[first].b];
            // Forward from the last point, then backward from the first.
            for forward in [true, false] {
                loop {
                    let tip = if forward {
                        *points.last().expect("two points")
                    } else {
                        points[0]
                    };
                    let next = ends
                        .get(&key(tip))
                        .and_then(|c| c.iter().copied().find(|&j| !used[j]));
                    let Some(j) = next else { break };
                    used[j] = true;
                    let s = segments[j];
                    let other = if key(s.a) == key(tip) { s.b } else { s.a };
                    if forward {
                        points.push(other);
                    } else {
                        points.insert(0, other);
                    }
                }
            }
            out.push(Polyline { level, points });
        }
    }
    out
}

/// The parts of the path through `points` inside `view` (Liang–Barsky per segment); a
/// non-finite point breaks the path.
pub fn clip(points: impl IntoIterator<Item = [f64; 2]>, view: ViewBox) -> Vec<Vec<[f64; 2]>> {
    let mut pieces: Vec<Vec<[f64; 2]>> = Vec::new();
    let mut current: Vec<[f64; 2]> = Vec::new();
    let mut prev: Option<[f64; 2]> = None;
    let finish = |current: &mut Vec<[f64; 2]>, pieces: &mut Vec<Vec<[f64; 2]>>| {
        if current.len() >= 2 {
            pieces.push(std::mem::take(current));
        } else {
            current.clear();
        }
    };
    for p in points {
        if !(p[0].is_finite() && p[1].is_finite()) {
            finish(&mut current, &mut pieces);
            prev = None;
            continue;
        }
        let Some(a) = prev.replace(p) else {
            if inside(p, view) {
                current.push(p);
            }
            continue;
        };
        match clip_segment(a, p, view) {
            Some((c, d)) => {
                if current.last() != Some(&c) {
                    finish(&mut current, &mut pieces);
                    current.push(c);
                }
                current.push(d);
                if d != p {
                    finish(&mut current, &mut pieces);
                }
            }
            None => finish(&mut current, &mut pieces),
        }
    }
    finish(&mut current, &mut pieces);
    pieces
}

/// Whether `p` lies in the closed box.
pub fn inside(p: [f64; 2], view: ViewBox) -> bool {
    (view.x[0]..=view.x[1]).contains(&p[0]) && (view.y[0]..=view.y[1]).contains(&p[1])
}

/// The part of segment a→b inside the box, if any.
fn clip_segment(a: [f64; 2], b: [f64; 2], view: ViewBox) -> Option<([f64; 2], [f64; 2])> {
    let d = [b[0] - a[0], b[1] - a[1]];
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-d[0], a[0] - view.x[0]),
        (d[0], view.x[1] - a[0]),
        (-d[1], a[1] - view.y[0]),
        (d[1], view.y[1] - a[1]),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| {
        if t == 0.0 {
            a
        } else if t == 1.0 {
            b
        } else {
            [a[0] + t * d[0], a[1] + t * d[1]]
        }
    };
    Some((at(t0), at(t1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{contour_segments, Field};

    const UNIT: ViewBox = ViewBox {
        x: [0.0, 1.0],
        y: [0.0, 1.0],
    };

    #[test]
    fn a_circle_becomes_one_closed_polyline() {
        // 40 points a side: no grid point lies exactly on a level (where marching squares
        // may meet three segments at one corner and a line continues in two pieces).
        let field = Field::from_fn(40, 40, [-2.0, 2.0], [-2.0, 2.0], |x, y| x * x + y * y);
        let segments = contour_segments(&field, &[1.0, 2.0]);
        let lines = chain(&segments);
        assert_eq!(
            lines.len(),
            2,
            "{:?}",
            lines.iter().map(|l| l.points.len()).collect::<Vec<_>>()
        );
        for l in &lines {
            assert_eq!(l.points.first(), l.points.last(), "closed");
        }
        let points: usize = lines.iter().map(|l| l.points.len() - 1).sum();
        assert_eq!(points, segments.len());
    }

    #[test]
    fn an_open_line_is_joined_end_to_end() {
        let field = Field::from_fn(11, 5, [0.0, 1.0], [0.0, 4.0], |x, _| x);
        let lines = chain(&contour_segments(&field, &[0.3]));
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].points.len(), 5);
        let ys: Vec<f64> = lines[0].points.iter().map(|p| p[1]).collect();
        assert!(ys == vec![0.0, 1.0, 2.0, 3.0, 4.0] || ys == vec![4.0, 3.0, 2.0, 1.0, 0.0]);
    }

    #[test]
    fn clipping_keeps_the_inside_parts() {
        // In, out, back in: two pieces, cut at the border.
        let pieces = clip([[0.5, 0.5], [1.5, 0.5], [0.5, 0.25]], UNIT);
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0], vec![[0.5, 0.5], [1.0, 0.5]]);
        assert_eq!(pieces[1][0][0], 1.0);
        assert_eq!(*pieces[1].last().unwrap(), [0.5, 0.25]);
        // Far away and non-finite points never come through.
        let pieces = clip(
            [
                [0.2, 0.2],
                [0.4, 0.4],
                [1e300, -1e300],
                [f64::NAN, 0.0],
                [0.1, 0.1],
                [0.9, 0.9],
            ],
            UNIT,
        );
        assert_eq!(pieces.len(), 2);
        assert!(pieces.iter().flatten().all(|p| inside(*p, UNIT)));
        assert!(clip([[2.0, 2.0], [3.0, 3.0]], UNIT).is_empty());
        assert!(clip([[0.5, 0.5]], UNIT).is_empty());
    }
}
