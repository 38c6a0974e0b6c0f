//! The optiscape command line: the same core as the web app, for scripts, tests and slides.

use clap::{Parser, Subcommand, ValueEnum};
use optiscape::config::RunConfig;
use optiscape::critical::{find, inspect};
use optiscape::export::torch_code;
use optiscape::nn;
use optiscape::phase;
use optiscape::render::export::{render, RenderOptions};
use optiscape::scene;
use optiscape::sim::{simulate, Trajectory};
use optiscape::surface::{preset, presets, resolve, ViewBox};
use std::io::{Read, Write};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "optiscape",
    version,
    about = "See deep-learning optimization: optimizers on 2-D error surfaces"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run an optimizer config and print its trajectory.
    Trajectory {
        /// A JSON run config (a file path, or `-` for standard input).
        #[arg(long)]
        config: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Find and classify every critical point of a surface inside a box.
    Critical {
        /// A preset id (e.g. `himmelblau`) or a formula in x and y.
        #[arg(long)]
        surface: String,
        /// The box `x0,x1,y0,y1` (default: the preset's view, else -5,5,-5,5).
        #[arg(long, allow_hyphen_values = true)]
        region: Option<String>,
    },
    /// Inspect a surface at one point: gradient, Hessian, eigenvalues, kind, escape direction.
    Inspect {
        /// A preset id or a formula in x and y.
        #[arg(long)]
        surface: String,
        /// The point `x,y`.
        #[arg(long, allow_hyphen_values = true)]
        at: String,
    },
    /// Forward and backward pass of an MLP case (a `forward_backward` object of mlp.json).
    Forward {
        /// A JSON case (a file path, or `-` for standard input).
        #[arg(long)]
        config: String,
    },
    /// Train an MLP: a `train_steps` case of mlp.json as it stands, or a training config
    /// (data set, layers, loss, optimizer, batch size, epochs...) printing per-epoch metrics.
    Train {
        /// A JSON case or config (a file path, or `-` for standard input).
        #[arg(long)]
        config: String,
        /// Output format for a training config (a case always prints JSON).
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Feature standardization of a `feature_norm` case of mlp.json.
    Normalize {
        /// A JSON case (a file path, or `-` for standard input).
        #[arg(long)]
        config: String,
    },
    /// Lecture scenes: list them, print one as JSON, or measure its claim.
    Scene {
        /// The scene id (see --list).
        id: Option<String>,
        /// Print the scene ids, one a line.
        #[arg(long, conflicts_with = "id")]
        list: bool,
        /// Print every scene as one JSON array in lecture order (the file the surface lab loads,
        /// `www/scenes/scenes.json`).
        #[arg(long, conflicts_with_all = ["id", "list"])]
        all: bool,
        /// Run the scene headless and print its measured claim; exit 1 when it fails.
        #[arg(long, requires = "id")]
        check: bool,
    },
    /// Print a runnable PyTorch script that reproduces a run config's trajectory.
    TorchCode {
        /// A JSON run config (a file path, or `-` for standard input).
        #[arg(long)]
        config: String,
    },
    /// Phase diagram: sweep two hyper-parameters over a grid and measure every cell.
    Phase {
        /// A JSON sweep config `{"run": {...}, "x": {"path", "min", "max", "n", "log"}, "y": {...},
        /// "target_loss"}` (a file path, or `-` for standard input).
        #[arg(long)]
        config: String,
    },
    /// Train a network and evaluate its loss over a 2-D plane of weight space (PCA of the
    /// trajectory or filter-normalized random directions), with the projected path.
    Landscape {
        /// A training config with an optional "landscape" object (file path or `-`).
        #[arg(long)]
        config: String,
        /// Where to write the plane JSON (default: standard output).
        #[arg(long)]
        out: Option<String>,
    },
    /// Draw a figure for slides as SVG or PNG: the surface view of a run config (or of a
    /// scene's first panel) with its runs and critical points, or its loss chart.
    Render {
        /// A JSON run config, or an array of configs on one surface (a file path, or `-`).
        #[arg(long)]
        config: Option<String>,
        /// A scene id (see `scene --list`), instead of --config.
        #[arg(long)]
        scene: Option<String>,
        /// Where to write: FIG.svg or FIG.png.
        #[arg(long)]
        out: String,
        /// `surface` (the 2-D view) or `loss` (loss against step, log y).
        #[arg(long, default_value = "surface")]
        figure: String,
        /// Width in pixels (1 to 8192).
        #[arg(long, default_value_t = 1200)]
        width: u32,
        /// Height in pixels (1 to 8192).
        #[arg(long, default_value_t = 900)]
        height: u32,
        /// The language of the figure's text: en or zh-CN.
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// List the preset surfaces as JSON.
    Presets,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Csv,
}

fn read_input(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read `{path}`: {e}"))
    }
}

/// Parse `n` comma-separated finite numbers given to `--flag`.
fn numbers(flag: &str, text: &str, n: usize) -> Result<Vec<f64>, String> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    if parts.len() != n {
        return Err(format!(
            "--{flag} takes {n} comma-separated numbers, got {} in `{text}`",
            parts.len()
        ));
    }
    parts
        .iter()
        .map(|p| match p.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(format!("--{flag}: `{p}` is not a finite number")),
        })
        .collect()
}

fn region_for(surface: &str, region: Option<&str>) -> Result<ViewBox, String> {
    let Some(text) = region else {
        return Ok(preset(surface.trim()).map(|p| p.view).unwrap_or(ViewBox {
            x: [-5.0, 5.0],
            y: [-5.0, 5.0],
        }));
    };
    let v = numbers("region", text, 4)?;
    ViewBox::new([v[0], v[1]], [v[2], v[3]]).map_err(|_| {
        format!("--region `{text}` is empty: it must be x0,x1,y0,y1 with x0 < x1 and y0 < y1")
    })
}

/// Read a JSON value from a file or standard input.
fn read_json(path: &str) -> Result<serde_json::Value, String> {
    let text = read_input(path)?;
    serde_json::from_str(&text).map_err(|e| format!("invalid JSON in `{path}`: {e}"))
}

/// Run one of the mlp.json case runners, checking the case's `kind` first.
fn run_case(
    path: &str,
    case: serde_json::Value,
    kind: &str,
    runner: fn(&serde_json::Value) -> optiscape::Result<serde_json::Value>,
) -> Result<String, String> {
    match case.get("kind").and_then(|k| k.as_str()) {
        Some(k) if k == kind => {}
        Some(k) => {
            return Err(format!(
                "`{path}` is a `{k}` case; this command takes a `{kind}` case"
            ))
        }
        None => return Err(format!("`{path}` has no \"kind\": \"{kind}\"")),
    }
    let out = runner(&case).map_err(|e| e.to_string())?;
    Ok(serde_json::to_string(&out).expect("JSON values serialize"))
}

fn trajectory_json(tr: &Trajectory) -> String {
    serde_json::to_string(tr).expect("a trajectory of finite numbers serializes")
}

fn trajectory_csv(tr: &Trajectory) -> String {
    let mut out = String::from("step,x,y,loss,gx,gy,lr");
    if tr.momentum.is_some() {
        out.push_str(",momentum");
    }
    out.push('\n');
    for t in 0..tr.x.len() {
        let cell = |v: Option<&f64>| v.map(|v| v.to_string()).unwrap_or_default();
        out.push_str(&format!(
            "{t},{},{},{},{},{},{}",
            tr.x[t],
            tr.y[t],
            tr.loss[t],
            tr.gx[t],
            tr.gy[t],
            cell(tr.lr.get(t))
        ));
        if let Some(m) = &tr.momentum {
            out.push(',');
            out.push_str(&cell(m.get(t)));
        }
        out.push('\n');
    }
    out
}

/// What a command printed and whether it counts as success (a failed claim is exit 1).
struct Outcome {
    text: String,
    ok: bool,
    /// Said on stderr after the output (why a run stopped).
    note: Option<String>,
}

impl From<String> for Outcome {
    fn from(text: String) -> Self {
        Outcome {
            text,
            ok: true,
            note: None,
        }
    }
}

fn scene_command(
    id: Option<String>,
    list: bool,
    all: bool,
    check: bool,
) -> Result<Outcome, String> {
    if all {
        return scene::all_json()
            .map(Outcome::from)
            .map_err(|e| e.to_string());
    }
    if list {
        let ids: Vec<&str> = scene::scenes().iter().map(|s| s.id).collect();
        return Ok(ids.join("\n").into());
    }
    let Some(id) = id else {
        return Err("give a scene id, or --list to see them".into());
    };
    let def = scene::scene(&id).map_err(|e| e.to_string())?;
    if check {
        let result = (def.check)().map_err(|e| e.to_string())?;
        let text = serde_json::to_string_pretty(&result).expect("checks serialize");
        return Ok(Outcome {
            text,
            ok: result.pass,
            note: None,
        });
    }
    let built = (def.build)().map_err(|e| e.to_string())?;
    Ok(serde_json::to_string_pretty(&built)
        .expect("scenes serialize")
        .into())
}

fn run(cli: Cli) -> Result<Outcome, String> {
    if let Command::Scene {
        id,
        list,
        all,
        check,
    } = cli.command
    {
        return scene_command(id, list, all, check);
    }
    if let Command::Train { config, format } = &cli.command {
        let text = read_input(config)?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("invalid JSON in `{config}`: {e}"))?;
        if value.get("kind").is_some() {
            return run_case(config, value, "train_steps", nn::run_train_case).map(Outcome::from);
        }
        let cfg = nn::TrainConfig::from_json(&text).map_err(|e| e.to_string())?;
        let report = nn::train_config(&cfg).map_err(|e| e.to_string())?;
        let out = match format {
            Format::Json => serde_json::to_string(&report).expect("reports serialize"),
            Format::Csv => report.to_csv(),
        };
        let note = report.divergence_message();
        return Ok(Outcome {
            text: out,
            ok: note.is_none(),
            note,
        });
    }
    run_simple(cli).map(Outcome::from)
}

fn run_simple(cli: Cli) -> Result<String, String> {
    match cli.command {
        Command::Trajectory { config, format } => {
            let text = read_input(&config)?;
            let cfg = RunConfig::from_json(&text).map_err(|e| e.to_string())?;
            let tr = simulate(&cfg).map_err(|e| e.to_string())?;
            Ok(match format {
                Format::Json => trajectory_json(&tr),
                Format::Csv => trajectory_csv(&tr),
            })
        }
        Command::Critical { surface, region } => {
            let f = resolve(&surface).map_err(|e| e.to_string())?;
            let region = region_for(&surface, region.as_deref())?;
            let found = find(&f, region);
            Ok(serde_json::to_string_pretty(&serde_json::json!({
                "surface": f.source(),
                "region": found.region,
                "points": found.points,
                "notes": found.notes,
            }))
            .expect("critical points serialize"))
        }
        Command::Inspect { surface, at } => {
            let f = resolve(&surface).map_err(|e| e.to_string())?;
            let p = numbers("at", &at, 2)?;
            Ok(serde_json::to_string_pretty(&inspect(&f, [p[0], p[1]]))
                .expect("inspection serializes"))
        }
        Command::Forward { config } => run_case(
            &config,
            read_json(&config)?,
            "forward_backward",
            nn::run_forward_case,
        ),
        Command::Normalize { config } => run_case(
            &config,
            read_json(&config)?,
            "feature_norm",
            nn::run_normalize_case,
        ),
        Command::Train { .. } => unreachable!("handled by `run`"),
        Command::Scene { .. } => unreachable!("handled by `run`"),
        Command::Phase { config } => {
            let text = read_input(&config)?;
            let cfg: phase::SweepConfig =
                serde_json::from_str(&text).map_err(|e| format!("invalid config: {e}"))?;
            let result = phase::sweep(&cfg).map_err(|e| e.to_string())?;
            Ok(serde_json::to_string(&result).expect("sweeps serialize"))
        }
        Command::Landscape { config, out } => {
            let value = read_json(&config)?;
            let plane =
                optiscape::landscape::landscape_from_config(&value).map_err(|e| e.to_string())?;
            let text = serde_json::to_string(&plane).expect("planes serialize");
            match out {
                Some(path) => {
                    std::fs::write(&path, &text)
                        .map_err(|e| format!("cannot write `{path}`: {e}"))?;
                    Ok(format!("wrote {path}"))
                }
                None => Ok(text),
            }
        }
        Command::TorchCode { config } => {
            let cfg = RunConfig::from_json(&read_input(&config)?).map_err(|e| e.to_string())?;
            torch_code(&cfg).map_err(|e| e.to_string())
        }
        Command::Render {
            config,
            scene,
            out,
            figure,
            width,
            height,
            lang,
        } => render(&RenderOptions {
            config,
            scene,
            out,
            figure,
            width,
            height,
            lang,
        }),
        Command::Presets => Ok(serde_json::to_string_pretty(presets()).expect("presets serialize")),
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (e.g. `| head`) is not an error worth a panic.
            let _ = writeln!(stdout, "{}", out.text.trim_end());
            if let Some(note) = &out.note {
                eprintln!("{note}");
            }
            if out.ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(msg) => {
            eprintln!("error: {}", msg.replace('\n', " "));
            ExitCode::from(2)
        }
    }
}
