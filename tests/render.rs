//! `optiscape render` as a user runs it: SVG and PNG figures of a config and of a scene, their
//! text, the PNG's pixels, Chinese titles, bad input; and the embedded font against every
//! character the project's texts use.
#![cfg(not(target_arch = "wasm32"))]

use optiscape::render::fonts;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

mod common;
use common::optiscape;

const ROSENBROCK: &str = r#"[
  {"surface": "rosenbrock", "start": [-1.5, 2], "steps": 300, "optimizer": {"name": "adam", "lr": 0.05}},
  {"surface": "rosenbrock", "start": [-1.5, 2], "steps": 300,
   "optimizer": {"name": "sgd", "lr": 0.001, "momentum": 0.9}}
]"#;

/// A fresh directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("render")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `render` with `args` plus `--out dir/file`, expects success, returns the file's bytes.
fn render(dir: &Path, file: &str, args: &[&str], stdin: &str) -> Vec<u8> {
    let out = dir.join(file);
    let out_str = out.to_str().unwrap();
    let mut all = vec!["render", "--out", out_str];
    all.extend_from_slice(args);
    let result = optiscape(&all, stdin);
    assert!(
        result.status.success(),
        "render {args:?}: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    std::fs::read(&out).unwrap()
}

/// The contents of the SVG's `<text>` elements, trimmed and unescaped.
fn svg_texts(svg: &[u8]) -> Vec<String> {
    let svg = std::str::from_utf8(svg).expect("an SVG is UTF-8");
    let mut texts = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        rest = &rest[start..];
        let open_end = rest.find('>').expect("a closed <text> tag") + 1;
        let close = rest.find("</text>").expect("a </text>");
        let inner = rest[open_end..close].trim();
        texts.push(
            inner
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&"),
        );
        rest = &rest[close + 7..];
    }
    texts
}

fn assert_has(texts: &[String], wanted: &[&str]) {
    for w in wanted {
        assert!(
            texts.iter().any(|t| t == w),
            "no <text> `{w}` among {texts:?}"
        );
    }
}

/// Checks the PNG signature and size, and that it is a picture (many colours), not one flat
/// colour; returns the number of distinct colours.
fn check_png(bytes: &[u8], width: u32, height: u32) -> usize {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    let decoder = png::Decoder::new(bytes);
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("PNG pixels");
    assert_eq!((info.width, info.height), (width, height));
    assert_eq!(info.color_type, png::ColorType::Rgb);
    let pixels = &buf[..info.buffer_size()];
    let colours: BTreeSet<&[u8]> = pixels.chunks(3).collect();
    assert!(colours.len() > 50, "only {} colours", colours.len());
    colours.len()
}

#[test]
fn a_config_as_svg_has_axes_legend_font_and_heatmap() {
    let dir = scratch("config-svg");
    let svg = render(&dir, "rosenbrock.svg", &["--config", "-"], ROSENBROCK);
    let texts = svg_texts(&svg);
    assert_has(
        &texts,
        &[
            "Rosenbrock",
            "x",
            "y",
            "Adam, lr 0.05",
            "SGD, momentum 0.9, lr 0.001",
            "start",
            "local minimum",
        ],
    );
    let text = String::from_utf8(svg).unwrap();
    assert!(text.starts_with("<svg"), "{}", &text[..40]);
    assert!(text.contains("@font-face{font-family:'Optiscape Sans'"));
    assert!(text.contains("href=\"data:image/png;base64,"));
}

#[test]
fn a_config_as_png_from_a_file() {
    let dir = scratch("config-png");
    let config = dir.join("run.json");
    std::fs::write(&config, ROSENBROCK).unwrap();
    let png = render(
        &dir,
        "rosenbrock.png",
        &[
            "--config",
            config.to_str().unwrap(),
            "--width",
            "640",
            "--height",
            "480",
        ],
        "",
    );
    check_png(&png, 640, 480);
}

#[test]
fn the_loss_chart_names_its_axes() {
    let dir = scratch("loss");
    let svg = render(
        &dir,
        "loss.svg",
        &["--config", "-", "--figure", "loss"],
        ROSENBROCK,
    );
    let texts = svg_texts(&svg);
    assert_has(
        &texts,
        &[
            "step",
            "loss",
            "Adam, lr 0.05",
            "SGD, momentum 0.9, lr 0.001",
        ],
    );
    // Decade ticks on the log axis.
    assert!(texts
        .iter()
        .any(|t| t.contains('e') || t == "1" || t == "10"));
    let png = render(
        &dir,
        "loss.png",
        &["--config", "-", "--figure", "loss"],
        ROSENBROCK,
    );
    check_png(&png, 1200, 900);
}

#[test]
fn a_scene_as_svg_and_png_in_english() {
    let dir = scratch("scene-en");
    let svg = render(&dir, "saddle.svg", &["--scene", "saddle"], "");
    assert_has(
        &svg_texts(&svg),
        &[
            "Stuck at a saddle point",
            "x² − y² + y⁴/2",
            "x",
            "y",
            "GD on the stable manifold (y = 0)",
            "GD, start nudged by 10⁻⁶",
            "Minibatch noise (B = 16)",
            "saddle point",
        ],
    );
    let png = render(&dir, "saddle.png", &["--scene", "saddle"], "");
    check_png(&png, 1200, 900);
    // A loss chart of a scene whose losses go below zero shows the gap to the lowest.
    let svg = render(
        &dir,
        "saddle-loss.svg",
        &["--scene", "saddle", "--figure", "loss"],
        "",
    );
    assert_has(&svg_texts(&svg), &["step", "loss − lowest loss"]);
}

#[test]
fn a_scene_in_chinese_has_its_chinese_title_and_labels() {
    let dir = scratch("scene-zh");
    let args = ["--scene", "saddle", "--lang", "zh-CN"];
    let svg = render(&dir, "saddle.svg", &args, "");
    assert_has(
        &svg_texts(&svg),
        &[
            "卡在鞍点",
            "在稳定流形上的梯度下降（y = 0）",
            "梯度下降，起点偏移 10⁻⁶",
            "批量噪声（B = 16）",
            "起点",
            "局部最小值",
            "鞍点",
        ],
    );
    let png = render(&dir, "saddle.png", &args, "");
    check_png(&png, 1200, 900);
    let svg = render(
        &dir,
        "ravine-loss.svg",
        &["--scene", "ravine", "--lang", "zh-CN", "--figure", "loss"],
        "",
    );
    assert_has(&svg_texts(&svg), &["山谷中的自适应学习率", "步数", "损失"]);
}

#[test]
fn bad_input_exits_2_with_one_line() {
    let dir = scratch("bad");
    let out = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                "--scene".into(),
                "sadle".into(),
                "--out".into(),
                out("a.svg"),
            ],
            "sadle",
        ),
        (
            vec![
                "--scene".into(),
                "saddle".into(),
                "--out".into(),
                out("a.jpg"),
            ],
            ".svg or .png",
        ),
        (
            vec![
                "--scene".into(),
                "saddle".into(),
                "--out".into(),
                out("a.png"),
                "--width".into(),
                "0".into(),
            ],
            "--width 0",
        ),
        (
            vec![
                "--scene".into(),
                "saddle".into(),
                "--out".into(),
                out("a.png"),
                "--height".into(),
                "8193".into(),
            ],
            "--height 8193",
        ),
        (
            vec![
                "--scene".into(),
                "saddle".into(),
                "--out".into(),
                out("a.svg"),
                "--lang".into(),
                "fr".into(),
            ],
            "zh-CN",
        ),
        (
            vec![
                "--scene".into(),
                "saddle".into(),
                "--out".into(),
                out("a.svg"),
                "--figure".into(),
                "pie".into(),
            ],
            "surface or loss",
        ),
        (
            vec!["--out".into(), out("a.svg")],
            "exactly one of --config FILE and --scene ID",
        ),
        (
            vec![
                "--scene".into(),
                "batchnorm".into(),
                "--out".into(),
                out("a.svg"),
            ],
            "classifier scene",
        ),
    ];
    for (args, says) in cases {
        let mut all = vec!["render"];
        all.extend(args.iter().map(String::as_str));
        let result = optiscape(&all, "");
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && stderr.contains(says),
            "{args:?}: {stderr}"
        );
    }
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "nothing written"
    );
}

/// Every string value of a JSON document.
fn json_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| json_strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| json_strings(v, out)),
        _ => {}
    }
}

/// The app's i18n catalogs: `www/**/i18n/*.json`.
fn catalogs(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if path.is_dir() && name != "pkg" && name != "node_modules" {
            catalogs(&path, out);
        } else if name.ends_with(".json")
            && path.parent().and_then(|p| p.file_name()) == Some("i18n".as_ref())
        {
            out.push(path);
        }
    }
}

#[test]
fn the_embedded_font_has_every_character_the_texts_use() {
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut add = |source: String, text: &str| texts.push((source, text.to_string()));
    for def in optiscape::scene::scenes() {
        let s = (def.build)().unwrap();
        let mut t = vec![s.title, s.explanation, s.claim];
        for p in &s.panels {
            t.push(p.title.clone());
            t.extend(p.runs.iter().map(|r| r.label.clone()));
        }
        t.extend(s.classifier.iter().map(|r| r.label.clone()));
        for text in t {
            add(format!("scene {}", s.id), &text.en);
            add(format!("scene {}", s.id), &text.zh);
        }
    }
    for p in optiscape::surface::presets() {
        for text in [p.name_en, p.name_zh, p.description_en, p.description_zh] {
            add(format!("preset {}", p.id), text);
        }
    }
    let mut files = Vec::new();
    catalogs(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("www"),
        &mut files,
    );
    assert!(files.len() >= 4, "catalogs found: {files:?}");
    for file in files {
        let value: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let mut strings = Vec::new();
        json_strings(&value, &mut strings);
        for s in strings {
            add(file.display().to_string(), &s);
        }
    }
    use optiscape::render::lang::Lang;
    for lang in [Lang::En, Lang::ZhCn] {
        let words = [
            lang.step(),
            lang.loss(),
            lang.loss_gap(),
            lang.lowest_loss(),
            lang.start(),
            lang.diverged(),
            &lang.diverged_at(1234567890),
            lang.comma(),
            lang.lecture(),
        ];
        for w in words {
            add("render::lang".into(), w);
        }
    }
    let chinese = texts
        .iter()
        .flat_map(|(_, t)| t.chars())
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .collect::<BTreeSet<char>>();
    assert!(chinese.len() > 500, "{} Chinese characters", chinese.len());
    let mut problems = Vec::new();
    for (source, text) in &texts {
        let missing = fonts::missing(text);
        if !missing.is_empty() {
            problems.push(format!("{source}: {missing:?} in {text:?}"));
        }
    }
    assert!(
        problems.is_empty(),
        "the embedded font lacks characters (they would render as empty boxes); run \
         `python3 assets/fonts/subset.py` (see assets/fonts/README.md):\n{}",
        problems.join("\n")
    );
}

/// The issue's phase sweep whose final losses are a few subnormals around 0 (once a panic in
/// the scale's ticks that killed the phase worker): every colouring makes a whole image.
#[test]
fn a_phase_sweep_of_subnormal_losses_colours_every_cell() {
    use optiscape::phase::image::{image, Coloring};
    use optiscape::phase::{sweep, SweepConfig};
    let cfg = SweepConfig::from_json(
        r#"{"run": {"surface": "(x^2+y^2+1e300)-1e300+5e-324*x", "start": [-1.5, 2], "steps": 50,
                    "optimizer": {"name": "sgd", "lr": 0.01}},
            "x": {"path": "optimizer.lr", "min": 0.0001, "max": 1, "n": 6, "log": true},
            "y": {"path": "optimizer.momentum", "min": 0, "max": 0.99, "n": 5},
            "target_loss": 0.001}"#,
    )
    .unwrap();
    let s = sweep(&cfg).unwrap();
    assert!(
        s.final_loss
            .iter()
            .any(|v| *v != 0.0 && v.abs() < f64::MIN_POSITIVE),
        "{:?}",
        s.final_loss
    );
    for coloring in [
        Coloring::FinalLoss,
        Coloring::StepsToTarget,
        Coloring::Diverged,
    ] {
        let img = image(&s, coloring, cfg.run.steps);
        assert_eq!(img.rgba.len(), 6 * 5 * 4, "{coloring:?}");
        let positions = &img.scale.tick_positions;
        assert!(
            positions.len() <= 64 && positions.iter().all(|p| p.is_finite()),
            "{coloring:?}: {positions:?}"
        );
    }
}
