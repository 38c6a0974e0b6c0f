//! `optiscape render`: a figure of a run config or of a scene's first panel (the surface view
//! or the loss chart) written as SVG or PNG with the same drawing code as the browser, the text
//! in the embedded font. PNGs are drawn at twice the size and averaged down (antialiasing),
//! their text set by `Typeset`. Native only: a wasm32 build of the CLI (which `cargo test
//! --target wasm32-unknown-unknown` links) says so instead.

/// The largest width or height, in pixels.
pub const MAX_SIDE: u32 = 8192;

/// Which figure to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// The 2-D surface view with the runs and critical points.
    Surface,
    /// The loss against the step (log y).
    Loss,
}

/// The options of `optiscape render`, as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderOptions {
    /// A run config, or a JSON array of configs on one surface (a path, or `-` for stdin).
    pub config: Option<String>,
    /// A scene id, instead of a config.
    pub scene: Option<String>,
    /// `FIG.svg` or `FIG.png`.
    pub out: String,
    /// `surface` or `loss`.
    pub figure: String,
    pub width: u32,
    pub height: u32,
    /// `en` or `zh-CN`.
    pub lang: String,
    /// The most optimizer steps the figure's runs may take in all (`--max-steps`).
    pub max_steps: f64,
}

/// The most runs one figure draws: more would not fit its legend.
pub const MAX_FIGURE_RUNS: usize = 64;

/// Runs `optiscape render` (not in a wasm32 build).
#[cfg(target_arch = "wasm32")]
pub fn render(_: &RenderOptions) -> Result<String, String> {
    Err("render needs the native build of optiscape".into())
}

#[cfg(not(target_arch = "wasm32"))]
pub use native::{png, render, svg};

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::{RenderOptions, Which, MAX_FIGURE_RUNS, MAX_SIDE};
    use crate::budget::{Cost, Limits, Raise, Unit};
    use crate::config::RunConfig;
    use crate::render::chart::draw_loss_chart;
    use crate::render::figure::Figure;
    use crate::render::fonts;
    use crate::render::lang::Lang;
    use crate::render::look::Look;
    use crate::render::surface_view::draw_surface_view;
    use crate::render::typeset::Typeset;
    use plotters::prelude::*;
    use std::io::Read;

    /// The file formats `render` writes.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Format {
        Svg,
        Png,
    }

    /// Runs `optiscape render`: checks the options, draws, writes `out`, and says what it wrote.
    pub fn render(opts: &RenderOptions) -> Result<String, String> {
        for (flag, v) in [("width", opts.width), ("height", opts.height)] {
            if !(1..=MAX_SIDE).contains(&v) {
                return Err(format!(
                    "--{flag} {v} is out of range: expected 1 to {MAX_SIDE} pixels"
                ));
            }
        }
        let lower = opts.out.to_ascii_lowercase();
        let format = if lower.ends_with(".svg") {
            Format::Svg
        } else if lower.ends_with(".png") {
            Format::Png
        } else {
            return Err(format!(
                "--out `{}`: unsupported file type, expected a name ending in .svg or .png",
                opts.out
            ));
        };
        let which = match opts.figure.as_str() {
            "surface" => Which::Surface,
            "loss" => Which::Loss,
            other => {
                return Err(format!(
                    "--figure `{other}` is unknown: expected surface or loss"
                ))
            }
        };
        let lang = Lang::parse(&opts.lang).map_err(|e| e.to_string())?;
        let fig = match (&opts.config, &opts.scene) {
            (Some(path), None) => Figure::of_configs(&read_configs(path, opts.max_steps)?, lang),
            (None, Some(id)) => {
                let def = crate::scene::scene(id).map_err(|e| e.to_string())?;
                let scene = (def.build)().map_err(|e| e.to_string())?;
                Figure::of_scene(&scene, lang)
            }
            _ => return Err("give exactly one of --config FILE and --scene ID".into()),
        }
        .map_err(|e| e.to_string())?;
        let (w, h) = (opts.width, opts.height);
        let bytes = match format {
            Format::Svg => svg(&fig, which, w, h)?.into_bytes(),
            Format::Png => png(&fig, which, w, h)?,
        };
        std::fs::write(&opts.out, bytes)
            .map_err(|e| format!("cannot write `{}`: {e}", opts.out))?;
        Ok(format!("wrote {} ({w}×{h})", opts.out))
    }

    /// One run config or an array of them, from a file or standard input (`-`): at most
    /// [`MAX_FIGURE_RUNS`], taking at most `max_steps` steps in all.
    fn read_configs(path: &str, max_steps: f64) -> Result<Vec<RunConfig>, String> {
        let text = if path == "-" {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            s
        } else {
            std::fs::read_to_string(path).map_err(|e| format!("cannot read `{path}`: {e}"))?
        };
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("invalid JSON in `{path}`: {e}"))?;
        let values = match value {
            serde_json::Value::Array(items) => items,
            one => vec![one],
        };
        if values.len() > MAX_FIGURE_RUNS {
            return Err(format!(
                "`{path}` has {} runs; a figure draws 1 to {MAX_FIGURE_RUNS}",
                values.len()
            ));
        }
        let configs = values
            .iter()
            .map(|v| RunConfig::from_json(&crate::json_text::text(v)).map_err(|e| e.to_string()))
            .collect::<Result<Vec<_>, String>>()?;
        // Each run evaluates its start and then its steps.
        let steps: usize = configs.iter().map(|c| c.steps + 1).sum();
        let cost = Cost {
            what: "runs",
            unit: Unit::Steps,
            amount: steps as f64,
            breakdown: format!("{} runs, {steps} points in all", configs.len()),
        };
        let limits = Limits {
            steps: max_steps,
            ..Limits::CLI
        };
        limits
            .check(&cost, Raise::Flag("--max-steps"))
            .map_err(|e| e.to_string())?;
        Ok(configs)
    }

    fn draw<DB: DrawingBackend>(
        area: &DrawingArea<DB, plotters::coord::Shift>,
        fig: &Figure,
        which: Which,
        look: &Look,
    ) -> Result<(), String> {
        let drawn = match which {
            Which::Surface => draw_surface_view(area, fig, look),
            Which::Loss => draw_loss_chart(area, fig, look),
        };
        drawn.map_err(|e| format!("drawing failed: {e}"))?;
        area.present().map_err(|e| format!("drawing failed: {e}"))
    }

    /// The figure as an SVG document: text as text in the embedded font (an `@font-face` in the
    /// file, so it looks the same on a machine without that font, Chinese included), the heatmap
    /// as an embedded PNG.
    pub fn svg(fig: &Figure, which: Which, width: u32, height: u32) -> Result<String, String> {
        fonts::register();
        let mut out = String::new();
        {
            let area = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
            draw(&area, fig, which, &Look::for_size(width, height))?;
        }
        // plotters writes `data:png`; viewers want the media type.
        let out = out.replace("href=\"data:png;base64,", "href=\"data:image/png;base64,");
        let out = out.replace(
            "font-family=\"sans-serif\"",
            "font-family=\"'Optiscape Sans', sans-serif\"",
        );
        let face = format!(
            "<defs><style>@font-face{{font-family:'Optiscape Sans';\
             src:url(data:font/ttf;base64,{}) format('truetype');}}</style></defs>",
            base64(fonts::SANS)
        );
        Ok(match out.find('>') {
            Some(end) => format!("{}\n{face}{}", &out[..=end], &out[end + 1..]),
            None => out,
        })
    }

    /// Standard base64 with padding.
    fn base64(bytes: &[u8]) -> String {
        const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
        for chunk in bytes.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
            for k in 0..4 {
                if k <= chunk.len() {
                    out.push(ABC[(n >> (18 - 6 * k) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    /// The figure as a PNG file: drawn at twice the size where that fits in memory, then each 2×2
    /// block averaged (plotters' bitmap lines are not antialiased).
    pub fn png(fig: &Figure, which: Which, width: u32, height: u32) -> Result<Vec<u8>, String> {
        fonts::register();
        let k: u32 = if width as u64 * height as u64 <= 16 << 20 {
            2
        } else {
            1
        };
        let (bw, bh) = (width * k, height * k);
        let mut big = vec![0u8; bw as usize * bh as usize * 3];
        {
            let backend = Typeset(BitMapBackend::with_buffer(&mut big, (bw, bh)));
            let area = backend.into_drawing_area();
            draw(&area, fig, which, &Look::for_size(bw, bh))?;
        }
        let rgb = if k == 1 {
            big
        } else {
            shrink(&big, bw as usize, bh as usize, k as usize)
        };
        let mut bytes = Vec::new();
        let mut encoder = ::png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(::png::ColorType::Rgb);
        encoder.set_depth(::png::BitDepth::Eight);
        encoder
            .write_header()
            .and_then(|mut w| w.write_image_data(&rgb))
            .map_err(|e| format!("cannot encode the PNG: {e}"))?;
        Ok(bytes)
    }

    /// Averages each `k` × `k` block of an RGB image `w` × `h` pixels.
    fn shrink(rgb: &[u8], w: usize, h: usize, k: usize) -> Vec<u8> {
        let (sw, sh) = (w / k, h / k);
        let mut out = Vec::with_capacity(sw * sh * 3);
        for y in 0..sh {
            for x in 0..sw {
                for c in 0..3 {
                    let mut sum = 0u32;
                    for dy in 0..k {
                        for dx in 0..k {
                            sum += rgb[((y * k + dy) * w + x * k + dx) * 3 + c] as u32;
                        }
                    }
                    out.push(((sum + (k * k / 2) as u32) / (k * k) as u32) as u8);
                }
            }
        }
        out
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn base64_pads_like_rfc_4648() {
            assert_eq!(base64(b""), "");
            assert_eq!(base64(b"f"), "Zg==");
            assert_eq!(base64(b"fo"), "Zm8=");
            assert_eq!(base64(b"foo"), "Zm9v");
            assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        }

        #[test]
        fn shrinking_averages_blocks() {
            let rgb = [
                0, 0, 0, 255, 255, 255, //
                255, 255, 255, 255, 255, 255,
            ];
            assert_eq!(shrink(&rgb, 2, 2, 2), vec![191, 191, 191]);
        }
    }
}
