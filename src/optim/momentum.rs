//! Momentum rules m(t): the direction built from past gradients, each owning its state.
//! Heavy-ball momentum (SGD, RMSprop) and the exponential moving average (the Adam family).

/// Heavy-ball momentum (Polyak 1964) as torch's SGD keeps it: the first push sets the buffer
/// to `x` itself (no dampening), later ones do `b ← μ·b + (1−dampening)·x`.
///
/// RMSprop's momentum buffer starts at 0 and does `b ← μ·b + x`, which equals this rule
/// with dampening 0 (the first push gives `μ·0 + x = x`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct HeavyBall {
    pub(crate) buf: Vec<f64>,
    pub(crate) started: bool,
}

impl HeavyBall {
    pub(crate) fn new(n: usize) -> Self {
        HeavyBall {
            buf: vec![0.0; n],
            started: false,
        }
    }

    /// Push `x` (torch: `buf.mul_(μ).add_(x, alpha=1-dampening)`) and return the buffer.
    pub(crate) fn push(&mut self, x: &[f64], mu: f64, dampening: f64) -> &[f64] {
        if self.started {
            let keep = 1.0 - dampening;
            for (b, xi) in self.buf.iter_mut().zip(x) {
                *b = *b * mu + keep * xi;
            }
        } else {
            self.buf.copy_from_slice(x);
            self.started = true;
        }
        &self.buf
    }
}

/// Exponential moving average of gradients, Adam's first moment: `m ← lerp(m, d, 1−β1)`,
/// i.e. `β1·m + (1−β1)·d` in torch's `lerp` arithmetic. Starts at 0 (bias-corrected by the
/// optimizer where torch does so).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Ema {
    pub(crate) m: Vec<f64>,
}

impl Ema {
    pub(crate) fn new(n: usize) -> Self {
        Ema { m: vec![0.0; n] }
    }

    /// Blend `d` in with weight `1 − beta` and return the average.
    pub(crate) fn push(&mut self, d: &[f64], beta: f64) -> &[f64] {
        let w = 1.0 - beta;
        for (m, di) in self.m.iter_mut().zip(d) {
            *m = lerp(*m, *di, w);
        }
        &self.m
    }
}

/// torch's `lerp(a, b, w)`: `a + w·(b−a)` for |w| < 0.5, else `b − (b−a)·(1−w)`.
pub(crate) fn lerp(a: f64, b: f64, w: f64) -> f64 {
    if w.abs() < 0.5 {
        a + w * (b - a)
    } else {
        b - (b - a) * (1.0 - w)
    }
}
