//! What the classifier page offers and checks before it trains: the optimizers, schedules,
//! data sets and limits as the core defines them, the digits' credit, and a config check that
//! says (without training) whether batch norm would meet a batch of one row and what the run
//! costs against the link limit ([`crate::budget`]).

use super::error::to_js;
use crate::budget::{Limits, Raise};
use crate::nn::batches::{batch_bounds, batch_norm_batch_size, has_single_row_batch};
use crate::nn::config::{MAX_HIDDEN_LAYERS, MAX_WIDTH};
use crate::nn::data::playground::MAX_POINTS;
use crate::nn::data::DatasetName;
use crate::nn::{boundary, Activation, LossKind, TrainConfig, DIGITS_CREDIT};
use crate::optim::{optimizer_specs, schedule_specs};
use serde_json::json;
use wasm_bindgen::prelude::*;

/// `{optimizers, schedules, datasets, activations, losses, limits, plane, class_colors,
/// digits_credit}`.
#[wasm_bindgen]
pub fn classifier_catalog() -> Result<String, JsValue> {
    let doc = json!({
        "optimizers": optimizer_specs(),
        "schedules": schedule_specs(),
        "datasets": DatasetName::names(),
        "activations": Activation::names(),
        "losses": LossKind::ALL.map(LossKind::name),
        "limits": {
            "max_hidden_layers": MAX_HIDDEN_LAYERS,
            "max_width": MAX_WIDTH,
            "max_points": MAX_POINTS,
        },
        "plane": boundary::PLANE,
        "class_colors": boundary::CLASS_COLORS,
        "digits_credit": DIGITS_CREDIT,
    });
    Ok(crate::json_text::text(&doc))
}

/// Reads and checks a training config and its data without building the network: `{n_train,
/// n_test, classes, features, batch_size, steps_per_epoch, full_batch, bn_single_row,
/// bn_batch_size}`. `bn_single_row` is true when batch norm is on and the batch size leaves
/// a batch of one row, which training would refuse; `bn_batch_size` is then the nearest size
/// that works (null if none); `work` is what opening the run costs (see `work` below). Throws
/// the core's message for anything else that is wrong.
#[wasm_bindgen]
pub fn classifier_check(config_json: &str, boundary_side: usize) -> Result<String, JsValue> {
    let cfg = TrainConfig::from_json(config_json).map_err(to_js)?;
    let (train, test) = cfg.data.load().map_err(to_js)?;
    let n = train.len();
    let b = cfg.batch_size.min(n);
    let single = cfg.batchnorm && has_single_row_batch(n, cfg.batch_size, cfg.drop_last);
    let doc = json!({
        "n_train": n,
        "n_test": test.as_ref().map_or(0, |t| t.len()),
        "classes": train.classes,
        "features": train.x.cols(),
        "batch_size": b,
        "steps_per_epoch": batch_bounds(n, cfg.batch_size, cfg.drop_last).len(),
        "full_batch": b == n,
        "bn_single_row": single,
        "bn_batch_size": if single { batch_norm_batch_size(n, cfg.batch_size, cfg.drop_last) } else { None },
        "work": work(&cfg, boundary_side),
    });
    Ok(crate::json_text::text(&doc))
}

/// `{n_params, first_look, link_limit, over_link}`: what opening the run costs (one epoch and
/// the first decision boundary of up to `boundary_side`² pixels, in multiply-adds) against
/// what a link may ask for. The page's controls may go over it; the page then says so.
fn work(cfg: &TrainConfig, boundary_side: usize) -> serde_json::Value {
    let cost = cfg.first_look_cost(boundary_side);
    json!({
        "n_params": cfg.size().0,
        "first_look": cost.amount,
        "link_limit": Limits::LINK.multiply_adds,
        "over_link": Limits::LINK.check(&cost, Raise::Controls).is_err(),
    })
}

/// Checks a training config that came from a link or an embedding page against the link limit
/// ([`Limits::LINK`]): throws `too_much_work` (raised only by the page's own controls) when
/// opening it would cost more, before any of it is built. Other faults are `classifier_check`'s.
#[wasm_bindgen]
pub fn classifier_link_check(config_json: &str, boundary_side: usize) -> Result<(), JsValue> {
    let cfg = TrainConfig::from_json(config_json).map_err(to_js)?;
    Limits::LINK
        .check(&cfg.first_look_cost(boundary_side), Raise::Controls)
        .map_err(to_js)
}

/// Hands the core the bytes of `data/digits.bin`, which the page fetches (the wasm does not
/// carry the digits, so the surface lab stays small). Throws if the bytes are not that file.
#[wasm_bindgen]
pub fn provide_digits(bytes: Vec<u8>) -> Result<(), JsValue> {
    crate::nn::data::digits::provide(bytes).map_err(to_js)
}

/// Whether the digits have been handed over with [`provide_digits`].
#[wasm_bindgen]
pub fn digits_loaded() -> bool {
    crate::nn::data::digits::available()
}
