//! A phase diagram as an RGBA image (one pixel per cell, row 0 the largest y value) with its
//! colour scale: viridis over the final loss (log when every loss is positive) or the steps to
//! the target; diverged cells in vermillion, cells that never reach the target in grey.

use super::{Axis, Sweep};
use crate::error::{Error, Result};
use crate::render::{log_ticks, nice_ticks, viridis};
use serde::Serialize;

/// Vermillion (Okabe–Ito), a colour viridis never takes.
pub const DIVERGED: [u8; 4] = [213, 94, 0, 255];
/// A light grey: finite, but the target loss was never reached.
pub const NOT_REACHED: [u8; 4] = [176, 176, 184, 255];
/// Bluish green (Okabe–Ito): stable and reached the target (the "diverged" colouring).
pub const REACHED: [u8; 4] = [0, 158, 115, 255];

/// What a cell's colour says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Coloring {
    FinalLoss,
    StepsToTarget,
    Diverged,
}

impl Coloring {
    pub fn parse(name: &str) -> Result<Coloring> {
        match name {
            "final_loss" => Ok(Coloring::FinalLoss),
            "steps_to_target" => Ok(Coloring::StepsToTarget),
            "diverged" => Ok(Coloring::Diverged),
            other => Err(Error::invalid(
                "coloring",
                other,
                "one of final_loss, steps_to_target, diverged",
            )),
        }
    }
}

/// The colour bar of an image: the values at its ends (`None` without a bar), whether it is
/// logarithmic, its tick values, and how many cells took each special colour.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scale {
    pub coloring: Coloring,
    pub lo: Option<f64>,
    pub hi: Option<f64>,
    pub log: bool,
    pub ticks: Vec<f64>,
    /// Where each tick sits along the bar, 0 (lo) to 1 (hi).
    pub tick_positions: Vec<f64>,
    pub diverged: usize,
    pub not_reached: usize,
    pub reached: usize,
    /// Cells measured so far.
    pub cells: usize,
}

/// The RGBA pixels (nx × ny × 4; rows not measured yet are transparent) and the scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    pub rgba: Vec<u8>,
    pub scale: Scale,
}

/// The image of `sweep` in `coloring`; `steps` is the runs' step count (the top of the
/// "steps to target" bar).
pub fn image(sweep: &Sweep, coloring: Coloring, steps: usize) -> Image {
    let (nx, ny) = (sweep.x_values.len(), sweep.y_values.len());
    let cells = sweep.final_loss.len().min(nx * ny);
    let stable = |k: usize| sweep.diverged_at[k].is_none();
    let mut scale = Scale {
        coloring,
        lo: None,
        hi: None,
        log: false,
        ticks: Vec::new(),
        tick_positions: Vec::new(),
        diverged: (0..cells).filter(|&k| !stable(k)).count(),
        not_reached: (0..cells)
            .filter(|&k| stable(k) && sweep.steps_to_target[k].is_none())
            .count(),
        reached: (0..cells)
            .filter(|&k| stable(k) && sweep.steps_to_target[k].is_some())
            .count(),
        cells,
    };
    // t in [0, 1] along the bar for a value, by the scale below.
    let t: Box<dyn Fn(f64) -> f64> = match coloring {
        Coloring::FinalLoss => {
            let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
            for k in (0..cells).filter(|&k| stable(k)) {
                let v = sweep.final_loss[k];
                if v.is_finite() {
                    lo = lo.min(v);
                    hi = hi.max(v);
                }
            }
            if lo > hi {
                Box::new(|_| 0.0)
            } else {
                let log = lo > 0.0;
                if hi == lo {
                    if log {
                        (lo, hi) = (lo / 2.0, hi * 2.0);
                    } else {
                        (lo, hi) = (lo - 1.0, hi + 1.0);
                    }
                }
                scale.log = log;
                scale.lo = Some(lo);
                scale.hi = Some(hi);
                scale.ticks = if log {
                    log_ticks(lo, hi)
                } else {
                    nice_ticks(lo, hi, 5)
                };
                let f = move |v: f64| if log { v.log10() } else { v };
                let (flo, fhi) = (f(lo), f(hi));
                Box::new(move |v| ((f(v) - flo) / (fhi - flo)).clamp(0.0, 1.0))
            }
        }
        Coloring::StepsToTarget => {
            let hi = steps.max(1) as f64;
            scale.lo = Some(0.0);
            scale.hi = Some(hi);
            scale.ticks = nice_ticks(0.0, hi, 5);
            Box::new(move |v| (v / hi).clamp(0.0, 1.0))
        }
        Coloring::Diverged => Box::new(|_| 0.0),
    };
    if let (Some(lo), Some(hi)) = (scale.lo, scale.hi) {
        scale.ticks.retain(|v| *v >= lo && *v <= hi);
        scale.tick_positions = scale.ticks.iter().map(|&v| t(v)).collect();
    }
    let mut rgba = vec![0u8; nx * ny * 4];
    for k in 0..cells {
        let (i, j) = (k % nx, k / nx);
        let colour = match (coloring, sweep.diverged_at[k], sweep.steps_to_target[k]) {
            (_, Some(_), _) => DIVERGED,
            (Coloring::FinalLoss, None, _) => {
                let v = sweep.final_loss[k];
                if v.is_finite() {
                    let [r, g, b] = viridis(t(v));
                    [r, g, b, 255]
                } else {
                    NOT_REACHED
                }
            }
            (Coloring::StepsToTarget, None, Some(s)) => {
                let [r, g, b] = viridis(t(s as f64));
                [r, g, b, 255]
            }
            (Coloring::StepsToTarget | Coloring::Diverged, None, None) => NOT_REACHED,
            (Coloring::Diverged, None, Some(_)) => REACHED,
        };
        let at = ((ny - 1 - j) * nx + i) * 4;
        rgba[at..at + 4].copy_from_slice(&colour);
    }
    Image { rgba, scale }
}

/// `n` viridis pixels from the low to the high end, for drawing a colour bar.
pub fn colorbar_rgba(n: usize) -> Vec<u8> {
    let n = n.clamp(2, 4096);
    (0..n)
        .flat_map(|k| {
            let [r, g, b] = viridis(k as f64 / (n - 1) as f64);
            [r, g, b, 255]
        })
        .collect()
}

impl Axis {
    /// Where `v` sits across the image of an axis with `n` cells, 0 (left or bottom edge) to 1:
    /// cell k covers [k/n, (k+1)/n] and its value sits at its centre.
    pub fn image_fraction(&self, v: f64) -> f64 {
        let n = self.n.max(1) as f64;
        let f = if self.log {
            (v.ln() - self.min.ln()) / (self.max.ln() - self.min.ln())
        } else {
            (v - self.min) / (self.max - self.min)
        };
        (f * (n - 1.0) + 0.5) / n
    }
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use super::*;

    #[test]
    fn diverged_cells_are_vermillion_and_rows_run_bottom_up() {
        let s = sweep(
            &serde_json::from_str(
                r#"{"run":{"surface":"bowl","start":[1,1],"steps":100,"bound":1e6,
                "optimizer":{"name":"sgd","lr":0.1}},
                "x":{"path":"optimizer.lr","min":0.01,"max":3,"n":8,"log":true},
                "y":{"path":"optimizer.momentum","min":0,"max":0.9,"n":3},"target_loss":1e-6}"#,
            )
            .unwrap(),
        )
        .unwrap();
        let img = image(&s, Coloring::FinalLoss, 100);
        assert_eq!(img.rgba.len(), 8 * 3 * 4);
        // the largest lr (3) diverges for every momentum; the top-right pixel is vermillion
        assert_eq!(&img.rgba[7 * 4..8 * 4], &DIVERGED);
        assert_eq!(img.scale.diverged, s.diverged_at.iter().flatten().count());
        assert!(img.scale.log && img.scale.lo.unwrap() > 0.0);
        assert_eq!(img.scale.ticks.len(), img.scale.tick_positions.len());
        // the smallest lr never reaches 1e-6 in 100 steps: grey in "steps to target"
        let steps = image(&s, Coloring::StepsToTarget, 100);
        let bottom_left = (2 * 8) * 4;
        assert_eq!(&steps.rgba[bottom_left..bottom_left + 4], &NOT_REACHED);
        assert_eq!(
            steps.scale.not_reached + steps.scale.reached + steps.scale.diverged,
            24
        );
        let classes = image(&s, Coloring::Diverged, 100);
        assert!(classes.scale.lo.is_none());
        assert!(classes
            .rgba
            .chunks(4)
            .all(|c| c == DIVERGED || c == REACHED || c == NOT_REACHED));
    }

    #[test]
    fn the_image_fraction_puts_values_at_cell_centres() {
        let a = Axis {
            path: "optimizer.lr".into(),
            min: 1e-3,
            max: 1e-1,
            n: 4,
            log: true,
        };
        let vs = a.values();
        for (k, v) in vs.iter().enumerate() {
            assert!((a.image_fraction(*v) - (k as f64 + 0.5) / 4.0).abs() < 1e-12);
        }
        assert!(Coloring::parse("nope")
            .unwrap_err()
            .to_string()
            .contains("coloring"));
    }
}
