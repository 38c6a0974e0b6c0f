//! The CLI's and app's entry point: a training config plus a `"landscape"` object in, the
//! plane's JSON out (train, record the trajectory, compute the plane).
//!
//! ```json
//! { "data": {"name": "spiral", "n": 300, "noise": 0.1, "seed": 1},
//!   "hidden": [8, 8], "activation": "tanh", "optimizer": {"name": "adam", "lr": 0.01},
//!   "batch_size": 16, "epochs": 30, "seed": 0,
//!   "landscape": {"method": "pca", "grid": 41, "span": 1.2, "seed": 0, "record": "epoch",
//!                 "mode": "eval", "max_points": 500} }
//! ```
//!
//! Everything but `"landscape"` is a [`TrainConfig`] as `optiscape train` reads it; every
//! key of `"landscape"` is optional ([`LandscapeOptions`] lists them and their defaults).

use super::options::LandscapeOptions;
use super::plane::{landscape, Landscape};
use super::trajectory::record_trajectory;
use crate::error::{Error, Result};
use crate::nn::{Session, TrainConfig};
use serde_json::Value;

/// Split a config into its training part and its landscape options, checking both.
pub fn parse_config(json: &Value) -> Result<(TrainConfig, LandscapeOptions)> {
    let Value::Object(map) = json else {
        return Err(Error::Config(
            "a landscape config is a JSON object: a training config plus \"landscape\"".into(),
        ));
    };
    let mut train = map.clone();
    let options = match train.remove("landscape") {
        None | Some(Value::Null) => LandscapeOptions::default(),
        Some(v) => {
            serde_json::from_value(v).map_err(|e| Error::Config(format!("landscape: {e}")))?
        }
    };
    options.validate()?;
    let cfg: TrainConfig =
        serde_json::from_value(Value::Object(train)).map_err(|e| Error::Config(e.to_string()))?;
    cfg.validate()?;
    Ok((cfg, options))
}

/// Train a built session for `epochs` epochs, recording its trajectory, and compute the
/// plane over its (standardized) training data at the final weights.
pub fn session_landscape(
    session: &mut Session,
    epochs: usize,
    options: &LandscapeOptions,
) -> Result<Landscape> {
    options.validate()?;
    let t = &mut session.trainer;
    let trajectory = record_trajectory(t, epochs, options.record, options.max_points)?;
    let data = t.train_data();
    landscape(t.network(), &data.x, &data.y, &trajectory, options)
}

/// Train the config's run, record its weights and return the [`super::Plane`] as JSON
/// (see the module docs for the config). `optiscape landscape --config FILE` calls this.
pub fn landscape_from_config(json: &Value) -> Result<Value> {
    let (cfg, options) = parse_config(json)?;
    let mut session = cfg.build()?;
    let l = session_landscape(&mut session, cfg.epochs, &options)?;
    serde_json::to_value(&l.plane).map_err(|e| Error::Config(e.to_string()))
}
