//! Lecture scenes: a named, versioned state of the lab (surface, runs, view, text in en and zh
//! with the lecture's formula) plus a claim that the core measures, so every statement the
//! lab makes in class is backed by a check that `cargo test` and `optiscape scene ID --check` run.

mod adam;
mod batch_minima;
mod batch_time;
mod batchnorm;
mod batchnorm_eval;
mod ce_mse;
mod claim;
mod local_minimum;
mod momentum_plateau;
mod momentum_sigma;
mod normalization;
mod ravine;
mod rmsprop_reacts;
mod saddle;
mod saddles_outnumber;
mod softmax;
mod warmup;

pub use claim::{Check, Claim, Condition};

use crate::config::RunConfig;
use crate::error::{Error, Result};
use crate::surface::ViewBox;
use serde::Serialize;
use std::borrow::Cow;

/// A text in both languages of the app: written out (`Text::new`) or formatted from measured
/// values (`Text::owned`), so a number in a scene's words comes from the code that measures it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Text {
    pub en: Cow<'static, str>,
    #[serde(rename = "zh-CN")]
    pub zh: Cow<'static, str>,
}

impl Text {
    /// A text written out in both languages.
    pub const fn new(en: &'static str, zh: &'static str) -> Text {
        Text {
            en: Cow::Borrowed(en),
            zh: Cow::Borrowed(zh),
        }
    }

    /// A text formatted at run time (with numbers the code computed).
    pub fn owned(en: String, zh: String) -> Text {
        Text {
            en: Cow::Owned(en),
            zh: Cow::Owned(zh),
        }
    }
}

/// Which lab a scene opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LabKind {
    Surface,
    Classifier,
}

/// One labelled run of a panel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SceneRun {
    pub label: Text,
    pub config: RunConfig,
}

/// One surface with its runs; most scenes have one panel, comparisons have two.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Panel {
    pub title: Text,
    /// A preset id or a formula (data-built surfaces are generated formulas).
    pub surface: String,
    pub view: ViewBox,
    pub runs: Vec<SceneRun>,
    /// A point the inspector opens at, if any.
    pub inspect: Option<[f64; 2]>,
}

/// One labelled classifier run (scenes of the classifier lab).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassifierRun {
    pub label: Text,
    pub config: crate::nn::TrainConfig,
}

/// A scene: what the app shows and what the core checks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scene {
    pub id: &'static str,
    pub version: u32,
    pub lab: LabKind,
    pub title: Text,
    pub explanation: Text,
    /// The lecture's formula for this scene, as MathML.
    pub formula_mathml: &'static str,
    /// The claim in words; [`Check`] holds the numbers behind it.
    pub claim: Text,
    /// Surface panels (surface scenes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub panels: Vec<Panel>,
    /// Classifier runs (classifier scenes).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub classifier: Vec<ClassifierRun>,
}

/// A scene's builder and its check.
pub struct SceneDef {
    pub id: &'static str,
    pub build: fn() -> Result<Scene>,
    pub check: fn() -> Result<Check>,
}

/// Every scene, in lecture order.
pub fn scenes() -> &'static [SceneDef] {
    &[
        saddle::DEF,
        local_minimum::DEF,
        momentum_plateau::DEF,
        ravine::DEF,
        rmsprop_reacts::DEF,
        adam::DEF,
        momentum_sigma::DEF,
        warmup::DEF,
        softmax::DEF,
        ce_mse::DEF,
        normalization::DEF,
        batch_minima::DEF,
        batch_time::DEF,
        batchnorm::DEF,
        batchnorm_eval::DEF,
        saddles_outnumber::DEF,
    ]
}

/// Every scene as one JSON array in lecture order, one scene a line: what the surface lab and the
/// scene index load (`www/scenes/scenes.json`, written by `optiscape scene --all`; a test keeps
/// the file current), so their small wasm carries no scene code or text.
pub fn all_json() -> Result<String> {
    let mut lines = Vec::new();
    for def in scenes() {
        let s = (def.build)()?;
        lines.push(crate::json_text::to_string(&s).expect("scenes serialize"));
    }
    Ok(format!("[\n{}\n]", lines.join(",\n")))
}

/// The scene with this id.
pub fn scene(id: &str) -> Result<&'static SceneDef> {
    scenes()
        .iter()
        .find(|s| s.id == id)
        .ok_or_else(|| Error::UnknownName {
            kind: "scene".into(),
            name: id.into(),
            expected: scenes().iter().map(|s| s.id).collect::<Vec<_>>().join(", "),
        })
}

/// One panel showing a preset surface in its own view, with these runs.
pub(crate) fn preset_panel(id: &str, runs: Vec<SceneRun>) -> Result<Panel> {
    let p = crate::surface::preset(id).ok_or_else(|| Error::UnknownName {
        kind: "preset".into(),
        name: id.into(),
        expected: "a preset id".into(),
    })?;
    Ok(Panel {
        title: Text::new(p.name_en, p.name_zh),
        surface: id.into(),
        view: p.view,
        runs,
        inspect: None,
    })
}

/// The landmarks of a double well found by the core (`critical::find` over `view`), so a
/// scene's words and thresholds are computed, not typed in: the lowest minimum, the other
/// minimum, and the hump (the saddle between them).
pub(crate) struct Wells {
    /// (x, loss) of the global minimum.
    pub global: (f64, f64),
    /// (x, loss) of the other, local minimum.
    pub local: (f64, f64),
    /// x of the saddle between the wells.
    pub hump_x: f64,
}

pub(crate) fn wells(surface: &str, view: ViewBox) -> Result<Wells> {
    use crate::critical::{find, Kind};
    let f = crate::surface::resolve(surface)?;
    let found = find(&f, view);
    let mut minima: Vec<(f64, f64)> = found
        .points
        .iter()
        .filter(|p| p.kind == Kind::Minimum)
        .map(|p| (p.x, p.f))
        .collect();
    minima.sort_by(|a, b| a.1.total_cmp(&b.1));
    let hump = found.points.iter().find(|p| p.kind == Kind::Saddle);
    match (minima.as_slice(), hump) {
        ([global, local, ..], Some(h)) => Ok(Wells {
            global: *global,
            local: *local,
            hump_x: h.x,
        }),
        _ => Err(Error::Config(format!(
            "`{surface}` has no two minima with a saddle between them in its view"
        ))),
    }
}

/// A classifier config from JSON (the shared constructor of the classifier scenes).
pub(crate) fn train_config(value: serde_json::Value) -> Result<crate::nn::TrainConfig> {
    crate::nn::TrainConfig::from_json(&crate::json_text::text(&value))
}

/// A run config on `surface` (the shared constructor of the scenes).
pub(crate) fn run_config(
    surface: &str,
    start: [f64; 2],
    steps: usize,
    optimizer: serde_json::Value,
) -> Result<RunConfig> {
    let value = serde_json::json!({
        "surface": surface, "start": start, "steps": steps, "optimizer": optimizer,
    });
    serde_json::from_value(value).map_err(|e| Error::Config(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scene_builds_with_valid_runs_and_texts() {
        for def in scenes() {
            let s = (def.build)().unwrap_or_else(|e| panic!("{}: {e}", def.id));
            assert_eq!(s.id, def.id);
            for t in [&s.title, &s.explanation, &s.claim] {
                assert!(!t.en.is_empty() && !t.zh.is_empty(), "{}", def.id);
            }
            assert!(s.formula_mathml.starts_with("<math"), "{}", def.id);
            assert!(
                !s.panels.is_empty() || !s.classifier.is_empty(),
                "{}",
                def.id
            );
            for r in &s.classifier {
                r.config.validate().unwrap();
            }
            for p in &s.panels {
                crate::surface::resolve(&p.surface).unwrap();
                for r in &p.runs {
                    r.config.validate().unwrap();
                    crate::sim::simulate(&r.config).unwrap();
                }
            }
        }
    }

    #[test]
    fn unknown_scene_lists_the_known_ones() {
        let e = scene("sadle").err().unwrap().to_string();
        assert!(e.contains("saddle") && e.contains("ravine"), "{e}");
    }
}
