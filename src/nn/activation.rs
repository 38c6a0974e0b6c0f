//! Activations applied in place, and their derivatives written in terms of the output
//! `a = f(y)` (all four allow it), so the forward pass keeps only one buffer per layer.

use super::model::Activation;

impl Activation {
    /// `v ← f(v)` for every element.
    pub fn apply(self, v: &mut [f64]) {
        match self {
            Activation::Relu => v.iter_mut().for_each(|x| *x = x.max(0.0)),
            Activation::Tanh => v.iter_mut().for_each(|x| *x = x.tanh()),
            Activation::Sigmoid => v.iter_mut().for_each(|x| *x = sigmoid(*x)),
            Activation::Linear => {}
        }
    }

    /// `d ← d · f'(y)` given the outputs `a = f(y)`: relu' = 1 if a > 0 else 0 (so relu'(0) = 0),
    /// tanh' = 1 − a², sigmoid' = a(1 − a), linear' = 1.
    pub fn backprop(self, a: &[f64], d: &mut [f64]) {
        match self {
            Activation::Relu => d.iter_mut().zip(a).for_each(|(d, &a)| {
                if a <= 0.0 {
                    *d = 0.0
                }
            }),
            Activation::Tanh => d.iter_mut().zip(a).for_each(|(d, &a)| *d *= 1.0 - a * a),
            Activation::Sigmoid => d.iter_mut().zip(a).for_each(|(d, &a)| *d *= a * (1.0 - a)),
            Activation::Linear => {}
        }
    }
}

/// `1 / (1 + exp(−z))`, without overflow for large negative z.
pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}
