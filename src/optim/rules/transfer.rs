//! An update rule's state in a flat form another engine can hold (the browser's WebGPU
//! backend, www/classifier/gpu/kernels.js), so a run can move between engines mid-training
//! without losing its moments: the rule's update count and `n` numbers per slot.

use super::{BetaPower, Rule};

/// The state of the rules the GPU backend ports, in the shaders' order, `n` numbers per slot:
/// SGD `[momentum buffer]`, Adam/AdamW `[m, v, v_max]`, RMSprop `[v, ḡ, momentum buffer]`,
/// Adagrad `[sum]`; slots a config does not use are zeros. `t` is the rule's own count:
/// Adam's and Adagrad's `t`; for SGD and RMSprop 1 once the momentum buffer started, else 0.
#[derive(Clone, Debug, PartialEq)]
pub struct FlatState {
    pub t: u64,
    pub slots: Vec<f64>,
}

fn or_zeros(v: Option<&[f64]>, n: usize) -> Vec<f64> {
    v.map_or_else(|| vec![0.0; n], <[f64]>::to_vec)
}

impl Rule {
    /// The state as [`FlatState`], for the rules that have one (`None` otherwise).
    pub(crate) fn export_flat(&self) -> Option<FlatState> {
        Some(match self {
            Rule::Sgd(r) => FlatState {
                t: r.momentum.started as u64,
                slots: r.momentum.buf.clone(),
            },
            Rule::Adam(r) => {
                let n = r.first.m.len();
                let mut slots = r.first.m.clone();
                slots.extend_from_slice(&r.scale.square.v);
                slots.extend(or_zeros(r.scale.max.as_deref(), n));
                FlatState { t: r.t, slots }
            }
            Rule::Rmsprop(r) => {
                let n = r.momentum.buf.len();
                let mut slots = r.scale.square.v.clone();
                slots.extend(or_zeros(r.scale.mean.as_ref().map(|e| &e.m[..]), n));
                slots.extend_from_slice(&r.momentum.buf);
                FlatState {
                    t: r.momentum.started as u64,
                    slots,
                }
            }
            Rule::Adagrad(r) => FlatState {
                t: r.t,
                slots: r.sum.sum.clone(),
            },
            _ => return None,
        })
    }

    /// Takes over a [`FlatState`] of `n` parameters; false (nothing changed) for a rule
    /// without one or a state of the wrong size.
    pub(crate) fn import_flat(&mut self, s: &FlatState, n: usize) -> bool {
        let slots = |k: usize| s.slots.len() == k * n;
        match self {
            Rule::Sgd(r) if slots(1) => {
                r.momentum.buf.copy_from_slice(&s.slots);
                r.momentum.started = s.t > 0;
            }
            Rule::Adam(r) if slots(3) => {
                r.first.m.copy_from_slice(&s.slots[..n]);
                r.scale.square.v.copy_from_slice(&s.slots[n..2 * n]);
                if let Some(max) = &mut r.scale.max {
                    max.copy_from_slice(&s.slots[2 * n..]);
                }
                r.t = s.t;
                r.pow1 = BetaPower::new();
                r.pow2 = BetaPower::new();
            }
            Rule::Rmsprop(r) if slots(3) => {
                r.scale.square.v.copy_from_slice(&s.slots[..n]);
                if let Some(mean) = &mut r.scale.mean {
                    mean.m.copy_from_slice(&s.slots[n..2 * n]);
                }
                r.momentum.buf.copy_from_slice(&s.slots[2 * n..]);
                r.momentum.started = s.t > 0;
            }
            Rule::Adagrad(r) if slots(1) => {
                r.sum.sum.copy_from_slice(&s.slots);
                r.t = s.t;
            }
            _ => return false,
        }
        true
    }
}
