//! The optiscape command line: the same core as the web app, for scripts, tests and slides.

use clap::{Parser, Subcommand, ValueEnum};
use optiscape::budget::{Cost, Limits, Raise};
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
    #[command(flatten)]
    budget: BudgetArgs,
}

/// The budgets of one command (see `optiscape::budget`): a request over one is refused before
/// any work, with a message naming the flag that raises it.
#[derive(clap::Args)]
struct BudgetArgs {
    /// The most optimizer steps a command may take in all (a trajectory's steps, the runs of a
    /// figure, a phase sweep's cells × steps).
    #[arg(long, global = true, value_name = "N", default_value = "1e8", value_parser = limit)]
    max_steps: f64,
    /// The most multiply-adds of network arithmetic (`train`, `landscape`).
    #[arg(long, global = true, value_name = "N", default_value = "1e11", value_parser = limit)]
    max_work: f64,
    /// The most bytes a command may print or write.
    #[arg(long, global = true, value_name = "BYTES", default_value = "268435456", value_parser = limit)]
    max_output: f64,
}

impl BudgetArgs {
    fn limits(&self) -> Limits {
        Limits {
            steps: self.max_steps,
            multiply_adds: self.max_work,
            bytes: self.max_output,
        }
    }
}

/// A budget flag's value: a number > 0 (`1e9` allowed).
fn limit(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(format!("`{text}` is not a number > 0")),
    }
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

/// Writes `value` as one line of JSON, streamed.
fn write_json(value: &impl serde::Serialize, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(std::io::Error::other)?;
    writeln!(out)
}

/// A number for a CSV cell: exact (it reads back as the same f64) and at most 24 characters
/// (`5e-324`, not 323 zeros): plain between 1e-5 and 1e16, else in exponent notation.
fn csv_number(v: f64) -> String {
    let a = v.abs();
    if a == 0.0 || (1e-5..1e16).contains(&a) || !v.is_finite() {
        v.to_string()
    } else {
        format!("{v:e}")
    }
}

/// Writes a trajectory as CSV, a row a step.
fn write_trajectory_csv(tr: &Trajectory, out: &mut dyn Write) -> std::io::Result<()> {
    write!(out, "step,x,y,loss,gx,gy,lr")?;
    if tr.momentum.is_some() {
        write!(out, ",momentum")?;
    }
    writeln!(out)?;
    let cell = |v: Option<&f64>| v.map(|&v| csv_number(v)).unwrap_or_default();
    for t in 0..tr.x.len() {
        let row = [tr.x[t], tr.y[t], tr.loss[t], tr.gx[t], tr.gy[t]].map(csv_number);
        write!(out, "{t},{},{}", row.join(","), cell(tr.lr.get(t)))?;
        if let Some(m) = &tr.momentum {
            write!(out, ",{}", cell(m.get(t)))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// What a command prints: text it made, or output written piece by piece (a trajectory of a
/// million steps is not held as one string).
enum Body {
    Text(String),
    Stream(Writer),
}

/// Writes a command's output to the (capped) standard output.
type Writer = Box<dyn FnOnce(&mut dyn Write) -> std::io::Result<()>>;

/// What a command printed and whether it counts as success (a failed claim is exit 1).
struct Outcome {
    body: Body,
    ok: bool,
    /// Said on stderr after the output (why a run stopped).
    note: Option<String>,
}

impl From<String> for Outcome {
    fn from(text: String) -> Self {
        Outcome {
            body: Body::Text(text),
            ok: true,
            note: None,
        }
    }
}

impl Outcome {
    fn stream(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()> + 'static) -> Self {
        Outcome {
            body: Body::Stream(Box::new(write)),
            ok: true,
            note: None,
        }
    }
}

/// The most bytes a point of a trajectory takes in JSON or CSV: eight numbers of at most 24
/// characters and their separators (the estimate checked against `--max-output` up front).
const TRAJECTORY_BYTES_PER_POINT: f64 = 8.0 * 25.0;

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
            body: Body::Text(text),
            ok: result.pass,
            note: None,
        });
    }
    let built = (def.build)().map_err(|e| e.to_string())?;
    Ok(serde_json::to_string_pretty(&built)
        .expect("scenes serialize")
        .into())
}

/// `Ok` when `cost` is within `limits`, else the error naming `flag`.
fn within(limits: &Limits, cost: &Cost, flag: &'static str) -> Result<(), String> {
    limits
        .check(cost, Raise::Flag(flag))
        .map_err(|e| e.to_string())
}

fn run(cli: Cli) -> Result<Outcome, String> {
    let limits = cli.budget.limits();
    match cli.command {
        Command::Scene {
            id,
            list,
            all,
            check,
        } => scene_command(id, list, all, check),
        Command::Train { config, format } => {
            let text = read_input(&config)?;
            let value: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| format!("invalid JSON in `{config}`: {e}"))?;
            if value.get("kind").is_some() {
                if value.get("kind").and_then(|k| k.as_str()) == Some("train_steps") {
                    let cost = nn::train_case_cost(&value).map_err(|e| e.to_string())?;
                    within(&limits, &cost, "--max-work")?;
                }
                return run_case(&config, value, "train_steps", nn::run_train_case)
                    .map(Outcome::from);
            }
            let cfg = nn::TrainConfig::from_json(&text).map_err(|e| e.to_string())?;
            within(&limits, &cfg.cost(), "--max-work")?;
            let report = nn::train_config(&cfg).map_err(|e| e.to_string())?;
            let out = match format {
                Format::Json => serde_json::to_string(&report).expect("reports serialize"),
                Format::Csv => report.to_csv(),
            };
            let note = report.divergence_message();
            Ok(Outcome {
                body: Body::Text(out),
                ok: note.is_none(),
                note,
            })
        }
        Command::Trajectory { config, format } => {
            let text = read_input(&config)?;
            let cfg = RunConfig::from_json(&text).map_err(|e| e.to_string())?;
            within(
                &limits,
                &Cost::steps("trajectory", 1, "run", cfg.steps),
                "--max-steps",
            )?;
            let points = cfg.steps + 1;
            let bytes = Cost::output(
                "trajectory",
                points as f64 * TRAJECTORY_BYTES_PER_POINT,
                format!("{points} points × up to {TRAJECTORY_BYTES_PER_POINT} bytes"),
            );
            within(&limits, &bytes, "--max-output")?;
            let tr = simulate(&cfg).map_err(|e| e.to_string())?;
            Ok(Outcome::stream(move |out| match format {
                Format::Json => write_json(&tr, out),
                Format::Csv => write_trajectory_csv(&tr, out),
            }))
        }
        Command::Phase { config } => {
            let text = read_input(&config)?;
            let cfg = phase::SweepConfig::from_json(&text).map_err(|e| e.to_string())?;
            let cells = cfg.x.n.saturating_mul(cfg.y.n);
            within(
                &limits,
                &Cost::steps("phase_sweep", cells, "cells", cfg.run.steps),
                "--max-steps",
            )?;
            let result = phase::sweep(&cfg).map_err(|e| e.to_string())?;
            Ok(Outcome::stream(move |out| write_json(&result, out)))
        }
        Command::Landscape { config, out } => {
            let value = read_json(&config)?;
            let (cfg, options) =
                optiscape::landscape::parse_config(&value).map_err(|e| e.to_string())?;
            let (params, rows) = cfg.size();
            let training = cfg.cost();
            // The plane: a forward pass (one multiply-add per weight and row) per grid point.
            let grid = (options.grid * options.grid) as f64 * params as f64 * rows as f64;
            let cost = Cost {
                what: "landscape",
                amount: training.amount + grid,
                breakdown: format!(
                    "{} for training + {}² grid points × {params} parameters × {rows} rows",
                    training.breakdown, options.grid
                ),
                ..training
            };
            within(&limits, &cost, "--max-work")?;
            let plane =
                optiscape::landscape::landscape_from_config(&value).map_err(|e| e.to_string())?;
            match out {
                Some(path) => {
                    let file = std::fs::File::create(&path)
                        .map_err(|e| format!("cannot write `{path}`: {e}"))?;
                    let mut capped = Capped::new(std::io::BufWriter::new(file), limits.bytes);
                    serde_json::to_writer(&mut capped, &plane)
                        .map_err(std::io::Error::other)
                        .and_then(|()| capped.flush())
                        .map_err(|e| write_error(&e, &path))?;
                    Ok(format!("wrote {path}").into())
                }
                None => Ok(Outcome::stream(move |out| write_json(&plane, out))),
            }
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
            max_steps: limits.steps,
        })
        .map(Outcome::from),
        other => run_simple(other).map(Outcome::from),
    }
}

fn run_simple(command: Command) -> Result<String, String> {
    match command {
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
        Command::TorchCode { config } => {
            let cfg = RunConfig::from_json(&read_input(&config)?).map_err(|e| e.to_string())?;
            torch_code(&cfg).map_err(|e| e.to_string())
        }
        Command::Presets => Ok(serde_json::to_string_pretty(presets()).expect("presets serialize")),
        Command::Trajectory { .. }
        | Command::Train { .. }
        | Command::Scene { .. }
        | Command::Phase { .. }
        | Command::Landscape { .. }
        | Command::Render { .. } => unreachable!("handled by `run`"),
    }
}

/// The message of an output that passed `--max-output`.
const OVER_OUTPUT: &str = "the output passed --max-output";

/// A writer that refuses to write more than `limit` bytes in all.
struct Capped<W: Write> {
    inner: W,
    written: f64,
    limit: f64,
}

impl<W: Write> Capped<W> {
    fn new(inner: W, limit: f64) -> Self {
        Capped {
            inner,
            written: 0.0,
            limit,
        }
    }
}

impl<W: Write> Write for Capped<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.written + buf.len() as f64 > self.limit {
            return Err(std::io::Error::other(OVER_OUTPUT));
        }
        let n = self.inner.write(buf)?;
        self.written += n as f64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Says why writing `to` failed: past `--max-output` (and where), or the system's error.
fn write_error(e: &std::io::Error, to: &str) -> String {
    if e.to_string() == OVER_OUTPUT {
        format!(
            "the output to {to} passed --max-output and was cut there; \
             --max-output BYTES raises the limit"
        )
    } else {
        format!("cannot write {to}: {e}")
    }
}

/// A message safe to print on a terminal: a line break becomes a space, and every other
/// control character (an escape sequence in a config could recolour or clear the terminal)
/// and every bidirectional override is written as an escape, e.g. `\u{1b}`.
fn printable(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for c in message.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            c if c.is_control()
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c) =>
            {
                out.extend(c.escape_unicode())
            }
            c => out.push(c),
        }
    }
    out
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let max_output = cli.budget.max_output;
    match run(cli) {
        Ok(out) => {
            let stdout = std::io::stdout().lock();
            let mut w = Capped::new(std::io::BufWriter::new(stdout), max_output);
            let written = match out.body {
                Body::Text(text) => writeln!(w, "{}", text.trim_end()),
                Body::Stream(write) => write(&mut w),
            }
            .and_then(|()| w.flush());
            match written {
                Err(e) if e.to_string() == OVER_OUTPUT => {
                    eprintln!("error: {}", write_error(&e, "standard output"));
                    return ExitCode::from(2);
                }
                // A closed pipe (e.g. `| head`) is not an error worth a message.
                _ => {}
            }
            if let Some(note) = &out.note {
                eprintln!("{}", printable(note));
            }
            if out.ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(msg) => {
            eprintln!("error: {}", printable(&msg));
            ExitCode::from(2)
        }
    }
}
