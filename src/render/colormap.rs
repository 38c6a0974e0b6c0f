//! viridis, the perceptually uniform, colour-blind-safe colormap of matplotlib, as 17 knots of
//! its 256-entry table with linear interpolation between them.
//!
//! Source: the `_viridis_data` table by Stéfan van der Walt and Nathaniel J. Smith (mpl-colormaps,
//! CC0), entries 0, 16, 32, …, 240 and 255.

/// (index in the 256-entry table, r, g, b in [0, 1]).
const KNOTS: [(f64, [f64; 3]); 17] = [
    (0.0, [0.267004, 0.004874, 0.329415]),
    (16.0, [0.282327, 0.094955, 0.417331]),
    (32.0, [0.278826, 0.175490, 0.483397]),
    (48.0, [0.258965, 0.251537, 0.524736]),
    (64.0, [0.229739, 0.322361, 0.545706]),
    (80.0, [0.199430, 0.387607, 0.554642]),
    (96.0, [0.172719, 0.448791, 0.557885]),
    (112.0, [0.149039, 0.508051, 0.557250]),
    (128.0, [0.127568, 0.566949, 0.550556]),
    (144.0, [0.120638, 0.625828, 0.533488]),
    (160.0, [0.157851, 0.683765, 0.501686]),
    (176.0, [0.246070, 0.738910, 0.452024]),
    (192.0, [0.369214, 0.788888, 0.382914]),
    (208.0, [0.515992, 0.831158, 0.294279]),
    (224.0, [0.678489, 0.863742, 0.189503]),
    (240.0, [0.845561, 0.887322, 0.099702]),
    (255.0, [0.993248, 0.906157, 0.143936]),
];

/// The viridis colour at `t` in [0, 1] (clamped; NaN gives the low end), as 8-bit sRGB.
///
/// The knots sit every 16 table entries (the last at 255), so the segment is found by a
/// division instead of a search, and the channels round half away from zero through
/// `trunc` (one wasm instruction; `f64::round` is a libm call there) and a comparison (no
/// branch): the same bytes as a search over the knots and `round` (tested against that form).
#[inline(always)]
pub fn viridis(t: f64) -> [u8; 3] {
    let pos = if t.is_nan() {
        0.0
    } else {
        t.clamp(0.0, 1.0) * 255.0
    };
    // The first knot above `pos`, at least 1 and at most the last: index (pos / 16) + 1.
    let k = ((pos / 16.0) as usize + 1).min(KNOTS.len() - 1);
    let (i0, c0) = KNOTS[k - 1];
    let (i1, c1) = KNOTS[k];
    let f = ((pos - i0) / (i1 - i0)).clamp(0.0, 1.0);
    [
        channel(c0[0], c1[0], f),
        channel(c0[1], c1[1], f),
        channel(c0[2], c1[2], f),
    ]
}

/// One channel between two knots' values, as a byte (a function, not a closure: only a
/// function takes `inline(always)`, which the size-optimized lab build needs here).
#[inline(always)]
fn channel(a: f64, b: f64, f: f64) -> u8 {
    round_to_u8((a + f * (b - a)) * 255.0)
}

/// `x.round() as u8` for 0 ≤ x ≤ 255 (`x - trunc(x)` is exact there), without a branch: the
/// whole part plus the comparison's 0 or 1 (a branch per channel on the fraction, which a
/// smooth surface makes unpredictable, cost more than the rest of the pixel).
#[inline(always)]
fn round_to_u8(x: f64) -> u8 {
    let whole = x.trunc();
    whole as u8 + u8::from(x - whole >= 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The earlier form: a search over the knots and `f64::round`.
    fn viridis_by_search(t: f64) -> [u8; 3] {
        let pos = if t.is_nan() {
            0.0
        } else {
            t.clamp(0.0, 1.0) * 255.0
        };
        let k = KNOTS
            .partition_point(|(index, _)| *index <= pos)
            .clamp(1, KNOTS.len() - 1);
        let (i0, c0) = KNOTS[k - 1];
        let (i1, c1) = KNOTS[k];
        let f = ((pos - i0) / (i1 - i0)).clamp(0.0, 1.0);
        let channel = |c: usize| ((c0[c] + f * (c1[c] - c0[c])) * 255.0).round() as u8;
        [channel(0), channel(1), channel(2)]
    }

    #[test]
    fn the_direct_segment_gives_the_searched_form_s_bytes() {
        // Every knot and its neighbours, a fine sweep, and values outside [0, 1].
        let mut ts: Vec<f64> = (0..=4_000_000).map(|k| k as f64 / 4_000_000.0).collect();
        for (index, _) in KNOTS {
            let t = index / 255.0;
            ts.extend([t, t.next_up(), t.next_down()]);
        }
        ts.extend([-1.0, 2.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.0]);
        for t in ts {
            assert_eq!(viridis(t), viridis_by_search(t), "t = {t:e}");
        }
        // The rounding at and next to the halves.
        for k in 0..=510 {
            let x = k as f64 / 2.0;
            for x in [x, x.next_up(), x.next_down()]
                .into_iter()
                .filter(|x| *x >= 0.0)
            {
                assert_eq!(round_to_u8(x), x.round() as u8, "x = {x:e}");
            }
        }
    }

    #[test]
    fn ends_match_the_table() {
        // Table entries 0 and 255 (#440154 and #fde725).
        assert_eq!(viridis(0.0), [68, 1, 84]);
        assert_eq!(viridis(1.0), [253, 231, 37]);
        assert_eq!(viridis(-3.0), viridis(0.0));
        assert_eq!(viridis(7.0), viridis(1.0));
        assert_eq!(viridis(f64::NAN), viridis(0.0));
    }

    #[test]
    fn knots_are_hit_exactly() {
        // Table entry 128: (0.127568, 0.566949, 0.550556).
        assert_eq!(viridis(128.0 / 255.0), [33, 145, 140]);
    }

    #[test]
    fn lightness_increases_monotonically() {
        // viridis is designed so that perceived lightness rises with t; the green channel
        // (the main contributor to luminance here) never decreases.
        let mut last = 0u8;
        for i in 0..=1000 {
            let [_, g, _] = viridis(i as f64 / 1000.0);
            assert!(g >= last, "green fell at t = {}", i as f64 / 1000.0);
            last = g;
        }
    }
}
