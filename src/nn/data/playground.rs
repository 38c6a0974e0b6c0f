//! TensorFlow-Playground-style 2-D data sets (after `src/dataset.ts`), each with 2 or 3
//! classes, a noise level in [0, 1] (the Playground's slider goes to 0.5) and a seed.
//!
//! With 2 classes the shapes are the Playground's: spiral arms of radius 5, Gaussian blobs at
//! (2, 2) and (−2, −2), a disk inside a ring of radius 5 (labelled by the noisy position), and
//! XOR on a square of half-width 5.3 with a 0.3 gap along the axes. Every class of spiral,
//! gauss and circle gets ⌊n/k⌋ points (the first n mod k classes one more), row after row by
//! class; XOR's classes come from the position. The same seed gives the same points.

use super::Dataset;
use crate::error::{Error, Result};
use crate::nn::matrix::Matrix;
use crate::rng::Rng;
use std::f64::consts::{PI, TAU};

/// The most points a generated set may have.
pub const MAX_POINTS: usize = 100_000;

fn check(name: &str, n: usize, classes: usize, noise: f64) -> Result<()> {
    if !(2..=3).contains(&classes) {
        return Err(Error::invalid(
            "classes",
            classes,
            &format!("2 or 3 classes for {name}"),
        ));
    }
    if n < classes || n > MAX_POINTS {
        return Err(Error::invalid(
            "n",
            n,
            &format!("between {classes} (one point per class) and {MAX_POINTS} points"),
        ));
    }
    if !(0.0..=1.0).contains(&noise) {
        return Err(Error::invalid("noise", noise, "a noise level in [0, 1]"));
    }
    Ok(())
}

/// Points per class: ⌊n/k⌋, the first n mod k classes one more.
fn per_class(n: usize, k: usize) -> impl Iterator<Item = (usize, usize)> {
    (0..k).map(move |j| (j, n / k + (j < n % k) as usize))
}

fn build(points: Vec<[f64; 2]>, labels: Vec<usize>, classes: usize) -> Result<Dataset> {
    let x = Matrix::from_vec(points.len(), 2, points.concat())?;
    Dataset::new(x, labels, classes)
}

/// Interleaved spiral arms: arm j has `r = 5·i/m` and `t = 1.75·2π·i/m + 2π·j/k`, point
/// `(r sin t, r cos t)` plus uniform noise in ±noise on each coordinate (the Playground's).
pub fn spiral(n: usize, classes: usize, noise: f64, seed: u64) -> Result<Dataset> {
    check("spiral", n, classes, noise)?;
    let mut rng = Rng::stream(seed, 10);
    let (mut pts, mut ys) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for (j, m) in per_class(n, classes) {
        let delta = TAU * j as f64 / classes as f64;
        for i in 0..m {
            let r = i as f64 / m as f64 * 5.0;
            let t = 1.75 * i as f64 / m as f64 * TAU + delta;
            let x = r * t.sin() + rng.range(-1.0, 1.0) * noise;
            let y = r * t.cos() + rng.range(-1.0, 1.0) * noise;
            pts.push([x, y]);
            ys.push(j);
        }
    }
    build(pts, ys, classes)
}

/// Gaussian blobs at radius 2√2 and angles 45° + 360°·j/k (so (2, 2) and (−2, −2) for two
/// classes), with variance 0.5 + 7·noise (the Playground maps noise 0…0.5 to 0.5…4).
pub fn gauss(n: usize, classes: usize, noise: f64, seed: u64) -> Result<Dataset> {
    check("gauss", n, classes, noise)?;
    let mut rng = Rng::stream(seed, 11);
    let sd = (0.5 + 7.0 * noise).sqrt();
    let (mut pts, mut ys) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for (j, m) in per_class(n, classes) {
        let a = PI / 4.0 + TAU * j as f64 / classes as f64;
        let (cx, cy) = (8f64.sqrt() * a.cos(), 8f64.sqrt() * a.sin());
        for _ in 0..m {
            pts.push([cx + sd * rng.normal(), cy + sd * rng.normal()]);
            ys.push(j);
        }
    }
    build(pts, ys, classes)
}

/// Concentric bands of radius 5: for two classes a disk r < 2.5 and a ring 3.5 < r < 5 (the
/// Playground's), for three 0…1.5, 2.25…3.25 and 4…5; radius and angle uniform. As in the
/// Playground, noise only moves the point used for the label (uniform ±5·noise on each
/// coordinate): the label is the band the moved point falls in, cut at each inner band's
/// outer radius, and the stored point is the unmoved one.
pub fn circle(n: usize, classes: usize, noise: f64, seed: u64) -> Result<Dataset> {
    check("circle", n, classes, noise)?;
    const R: f64 = 5.0;
    let bands: &[(f64, f64)] = if classes == 2 {
        &[(0.0, 0.5), (0.7, 1.0)]
    } else {
        &[(0.0, 0.3), (0.45, 0.65), (0.8, 1.0)]
    };
    let mut rng = Rng::stream(seed, 12);
    let (mut pts, mut ys) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for (j, m) in per_class(n, classes) {
        let (lo, hi) = bands[j];
        for _ in 0..m {
            let r = rng.range(lo * R, hi * R);
            let a = rng.range(0.0, TAU);
            let (x, y) = (r * a.sin(), r * a.cos());
            let d = (x + rng.range(-R, R) * noise).hypot(y + rng.range(-R, R) * noise);
            let label = bands[..classes - 1]
                .iter()
                .position(|&(_, hi)| d < hi * R)
                .unwrap_or(classes - 1);
            pts.push([x, y]);
            ys.push(label);
        }
    }
    build(pts, ys, classes)
}

/// XOR generalized to k classes: the plane is cut into 2k sectors of angle π/k by lines
/// through the origin, and sector s has class s mod k (two classes: the quadrants, class 0
/// where x·y > 0). Points are uniform on [−5.3, 5.3]² at least 0.3 from every cut (the
/// Playground's padding); as in the Playground, uniform ±5·noise moves each coordinate of
/// the point used for the label only.
pub fn xor(n: usize, classes: usize, noise: f64, seed: u64) -> Result<Dataset> {
    check("xor", n, classes, noise)?;
    let k = classes as f64;
    let mut rng = Rng::stream(seed, 13);
    let (mut pts, mut ys) = (Vec::with_capacity(n), Vec::with_capacity(n));
    while pts.len() < n {
        let x = rng.range(-5.3, 5.3);
        let y = rng.range(-5.3, 5.3);
        let near_cut = (0..classes).any(|m| {
            let phi = PI * m as f64 / k;
            (y * phi.cos() - x * phi.sin()).abs() < 0.3
        });
        if near_cut {
            continue;
        }
        let xn = x + rng.range(-5.0, 5.0) * noise;
        let yn = y + rng.range(-5.0, 5.0) * noise;
        let theta = yn.atan2(xn).rem_euclid(TAU);
        let sector = ((theta / (PI / k)) as usize).min(2 * classes - 1);
        pts.push([x, y]);
        ys.push(sector % classes);
    }
    build(pts, ys, classes)
}
