//! torch's default initialization of a fresh model, from a seed: `Linear` weights and biases
//! uniform in ±1/sqrt(fan_in) (kaiming_uniform with a = √5), BatchNorm1d gamma 1, beta 0.

use super::model::ModelSpec;
use super::params::Network;
use crate::error::Result;
use crate::rng::Rng;

/// A freshly initialized network (the distribution of torch's, not its numbers).
pub fn init_network(spec: &ModelSpec, seed: u64) -> Result<Network> {
    let mut net = Network::zeros(spec)?;
    let mut rng = Rng::stream(seed, 1);
    for s in net.layout.layers.clone() {
        let bound = 1.0 / (s.fan_in as f64).sqrt();
        for p in &mut net.params[s.w..s.b + s.out] {
            *p = rng.range(-bound, bound);
        }
    }
    Ok(net)
}
