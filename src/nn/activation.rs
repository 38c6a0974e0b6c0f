//! Activations applied in place, and their derivatives written in terms of the output
//! `a = f(y)` (all four allow it), so the forward pass keeps only one buffer per layer.

use super::model::Activation;
use super::scalar::Scalar;

impl Activation {
    /// `v ← f(v)` for every element.
    pub fn apply<T: Scalar>(self, v: &mut [T]) {
        match self {
            Activation::Relu => v.iter_mut().for_each(|x| *x = x.relu()),
            Activation::Tanh => T::tanh_in_place(v),
            Activation::Sigmoid => v.iter_mut().for_each(|x| *x = sigmoid(*x)),
            Activation::Linear => {}
        }
    }

    /// `d ← d · f'(y)` given the outputs `a = f(y)`: relu' = 1 if a > 0 else 0 (so relu'(0) = 0),
    /// tanh' = 1 − a², sigmoid' = a(1 − a), linear' = 1.
    pub fn backprop<T: Scalar>(self, a: &[T], d: &mut [T]) {
        let one = T::from(1.0);
        match self {
            Activation::Relu => d.iter_mut().zip(a).for_each(|(d, &a)| {
                if a.re() <= 0.0 {
                    *d = T::default()
                }
            }),
            Activation::Tanh => d
                .iter_mut()
                .zip(a)
                .for_each(|(d, &a)| *d = *d * (one - a * a)),
            Activation::Sigmoid => d
                .iter_mut()
                .zip(a)
                .for_each(|(d, &a)| *d = *d * (a * (one - a))),
            Activation::Linear => {}
        }
    }
}

/// `1 / (1 + exp(−z))`, without overflow for large negative z.
pub fn sigmoid<T: Scalar>(z: T) -> T {
    let one = T::from(1.0);
    if z.re() >= 0.0 {
        one / (one + (-z).exp())
    } else {
        let e = z.exp();
        e / (one + e)
    }
}
