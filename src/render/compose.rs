//! Composes a [`Figure`] from run configs or a scene's first panel: simulates the runs,
//! samples the surface and finds its critical points over the view, labels the runs. Native
//! (the CLI); the browser composes its figures from the `Lab` it already holds.

use super::figure::{Figure, Marker, RunPath, GRID};
use super::lang::Lang;
use super::Field;
use crate::config::RunConfig;
use crate::critical;
use crate::error::{Error, Result};
use crate::optim::OptimizerConfig;
use crate::scene::{Scene, Text};
use crate::sim::simulate;
use crate::surface::{preset, resolve, ViewBox};

impl Figure {
    /// Simulates the labelled runs on `surface` (a preset id or a formula) and samples the
    /// surface and its critical points over `view`.
    pub fn build(
        title: String,
        subtitle: Option<String>,
        surface: &str,
        view: ViewBox,
        runs: &[(String, RunConfig)],
        lang: Lang,
    ) -> Result<Figure> {
        let runs = simulate_all(runs)?;
        Figure::with_runs(title, subtitle, surface, view, runs, lang)
    }

    fn with_runs(
        title: String,
        subtitle: Option<String>,
        surface: &str,
        view: ViewBox,
        runs: Vec<RunPath>,
        lang: Lang,
    ) -> Result<Figure> {
        let formula = resolve(surface)?;
        let mut values = Vec::new();
        formula.eval_grid(view.x, view.y, GRID, GRID, &mut values);
        let critical = critical::find(&formula, view)
            .points
            .iter()
            .map(|p| Marker {
                at: [p.x, p.y],
                f: p.f,
                kind: p.kind,
            })
            .collect();
        Ok(Figure {
            title,
            subtitle,
            field: Field::new(values, GRID, GRID, view.x, view.y),
            runs,
            critical,
            lang,
        })
    }

    /// The figure of one or more run configs on one surface: a preset's name and view, or the
    /// formula and a view around the runs.
    pub fn of_configs(configs: &[RunConfig], lang: Lang) -> Result<Figure> {
        let Some(first) = configs.first() else {
            return Err(Error::Config("no run config to draw".into()));
        };
        for (i, cfg) in configs.iter().enumerate() {
            if cfg.surface.trim() != first.surface.trim() {
                return Err(Error::invalid(
                    &format!("[{i}].surface"),
                    &cfg.surface,
                    &format!("the surface of the first run, `{}`", first.surface),
                ));
            }
        }
        let labelled: Vec<(String, RunConfig)> = configs
            .iter()
            .map(|c| (run_label(c, lang), c.clone()))
            .collect();
        let runs = simulate_all(&labelled)?;
        let surface = first.surface.trim();
        let (title, subtitle, view) = match preset(surface) {
            Some(p) => (
                lang.pick(&Text::new(p.name_en, p.name_zh)).to_string(),
                Some(format!("f(x, y) = {}", p.formula)),
                p.view,
            ),
            None => (format!("f(x, y) = {surface}"), None, view_around(&runs)),
        };
        Figure::with_runs(title, subtitle, surface, view, runs, lang)
    }

    /// The first panel of a scene with all its runs, titled in `lang`.
    pub fn of_scene(scene: &Scene, lang: Lang) -> Result<Figure> {
        let Some(panel) = scene.panels.first() else {
            return Err(Error::invalid(
                "scene",
                scene.id,
                "a scene with a surface panel (this one is a classifier scene)",
            ));
        };
        let runs: Vec<(String, RunConfig)> = panel
            .runs
            .iter()
            .map(|r| (lang.pick(&r.label).to_string(), r.config.clone()))
            .collect();
        Figure::build(
            lang.pick(&scene.title).to_string(),
            Some(lang.pick(&panel.title).to_string()),
            &panel.surface,
            panel.view,
            &runs,
            lang,
        )
    }
}

fn simulate_all(runs: &[(String, RunConfig)]) -> Result<Vec<RunPath>> {
    runs.iter()
        .map(|(label, cfg)| {
            let tr = simulate(cfg)?;
            Ok(RunPath {
                label: label.clone(),
                x: tr.x,
                y: tr.y,
                loss: tr.loss,
                diverged_at: tr.diverged_at,
            })
        })
        .collect()
}

/// A legend label for a config: torch's class name, the lecture variant, lr, momentum and the
/// schedule, e.g. `SGD, momentum 0.9, lr 0.1`.
pub fn run_label(cfg: &RunConfig, lang: Lang) -> String {
    use OptimizerConfig as O;
    let opt = &cfg.optimizer;
    let mut label = opt.spec().display.to_string();
    if opt.variant().is_some() {
        label.push_str(lang.lecture());
    }
    let mut parts = Vec::new();
    if let O::Sgd(c) = opt {
        if c.momentum != 0.0 {
            let kind = if c.nesterov { "Nesterov" } else { "momentum" };
            parts.push(format!("{kind} {}", c.momentum));
        }
    }
    parts.push(format!("lr {}", opt.lr()));
    if let Some(s) = &cfg.schedule {
        parts.push(s.name().to_string());
    }
    for p in parts {
        label.push_str(lang.comma());
        label.push_str(&p);
    }
    label
}

/// A view box around the runs' finite points (ignoring far-flung ones of diverging runs),
/// padded by a tenth on each side and at least 2 wide.
pub fn view_around(runs: &[RunPath]) -> ViewBox {
    const FAR: f64 = 1e4;
    let (mut x, mut y) = (
        [f64::INFINITY, f64::NEG_INFINITY],
        [f64::INFINITY, f64::NEG_INFINITY],
    );
    for r in runs {
        for (&px, &py) in r.x.iter().zip(&r.y) {
            if px.is_finite() && py.is_finite() && px.abs() <= FAR && py.abs() <= FAR {
                x = [x[0].min(px), x[1].max(px)];
                y = [y[0].min(py), y[1].max(py)];
            }
        }
    }
    let pad = |r: [f64; 2]| {
        if r[0] > r[1] {
            return [-1.0, 1.0];
        }
        let centre = 0.5 * (r[0] + r[1]);
        let half = (0.5 * (r[1] - r[0]) * 1.2).max(1.0);
        [centre - half, centre + half]
    };
    ViewBox {
        x: pad(x),
        y: pad(y),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::critical::Kind;

    fn config(json: &str) -> RunConfig {
        RunConfig::from_json(json).unwrap()
    }

    #[test]
    fn a_preset_config_uses_the_preset_view_and_name() {
        let cfg = config(
            r#"{"surface": "rosenbrock", "start": [-1.5, 2], "steps": 50,
                "optimizer": {"name": "adam", "lr": 0.05}}"#,
        );
        let fig = Figure::of_configs(&[cfg], Lang::En).unwrap();
        let p = preset("rosenbrock").unwrap();
        assert_eq!((fig.field.x, fig.field.y), (p.view.x, p.view.y));
        assert_eq!(fig.title, p.name_en);
        assert_eq!(fig.runs[0].label, "Adam, lr 0.05");
        assert_eq!(fig.runs[0].x.len(), 51);
        assert!(fig.critical.iter().any(|m| m.kind == Kind::Minimum));
    }

    #[test]
    fn a_formula_config_gets_a_view_around_its_run() {
        let cfg = config(
            r#"{"surface": "(x-30)^2 + y^2", "start": [20, 3], "steps": 100,
                "optimizer": {"name": "sgd", "lr": 0.1, "momentum": 0.9}}"#,
        );
        let fig = Figure::of_configs(&[cfg], Lang::ZhCn).unwrap();
        assert!(
            fig.field.x[0] < 20.0 && fig.field.x[1] > 30.0,
            "{:?}",
            fig.field.x
        );
        assert_eq!(fig.runs[0].label, "SGD，momentum 0.9，lr 0.1");
        assert_eq!(fig.critical.len(), 1);
    }

    #[test]
    fn configs_must_share_a_surface() {
        let a = config(
            r#"{"surface": "bowl", "start": [1, 1], "steps": 5, "optimizer": {"name": "sgd", "lr": 0.1}}"#,
        );
        let b = config(
            r#"{"surface": "saddle", "start": [1, 1], "steps": 5, "optimizer": {"name": "sgd", "lr": 0.1}}"#,
        );
        let e = Figure::of_configs(&[a, b], Lang::En)
            .unwrap_err()
            .to_string();
        assert!(e.contains("[1].surface") && e.contains("bowl"), "{e}");
        assert!(Figure::of_configs(&[], Lang::En).is_err());
    }

    #[test]
    fn a_scene_gives_its_first_panel_in_the_language() {
        let scene = (crate::scene::scene("saddle").unwrap().build)().unwrap();
        let fig = Figure::of_scene(&scene, Lang::ZhCn).unwrap();
        assert_eq!(fig.title, "卡在鞍点");
        assert_eq!(fig.runs.len(), scene.panels[0].runs.len());
        assert_eq!(fig.runs[1].label, "梯度下降，起点偏移 10⁻⁶");
        let classifier = (crate::scene::scene("batchnorm").unwrap().build)().unwrap();
        assert!(Figure::of_scene(&classifier, Lang::En).is_err());
    }
}
