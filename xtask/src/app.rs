//! Builds the web app: the core for wasm32 in release (five times: what the surface lab's first
//! picture needs, the surface lab's subset, the classifier's bindings, the same with SIMD, and
//! every binding with the lecture scenes for the scene worker), wasm-bindgen (as a library,
//! target `web`) into `www/pkg-lab-first/`, `www/pkg-lab/`, `www/pkg/` and `www/pkg-scenes/`,
//! then `wasm-opt -O3` from the npm package `binaryen` when present.

use crate::{setup, util};
use std::path::{Path, PathBuf};
use wasm_bindgen_cli_support::Bindgen;

/// The wasm features rustc's wasm32 output and wasm-bindgen's glue rely on. wasm-opt must
/// know them, or it rejects (or worse, rewrites) the externref table.
const WASM_OPT_FEATURES: &[&str] = &[
    "--enable-reference-types",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-multivalue",
];

/// The cargo that started us (so nested builds use the same toolchain).
pub fn cargo() -> std::process::Command {
    util::cmd(&std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// The rustc flags of every wasm build (`.cargo/config.toml` says the same for plain cargo).
pub const WASM_RUSTFLAGS: &str = "-C link-arg=--growable-table";

/// The rustc flags of the SIMD build: the same, plus 128-bit SIMD (`simd128`).
pub const WASM_SIMD_RUSTFLAGS: &str = "-C link-arg=--growable-table -C target-feature=+simd128";

/// Where the SIMD builds keep their artifacts (other rustc flags: a target dir of their own,
/// so that the two builds do not rebuild each other's dependencies).
pub const SIMD_TARGET_DIR: &str = "target/simd";

/// Builds the app: what the surface lab's first picture needs (feature `lab-first`: the surface,
/// its picture and the runs, no critical points, inspector, 3-D view, phase diagram or PyTorch
/// script) into `www/pkg-lab-first/`, the lab page's first fetch; the surface lab's small wasm
/// (feature `lab`: no classifier bindings) into `www/pkg-lab/` for `scenes.html` and
/// `teaching.html`, and for `index.html` after its first picture (`www/main.js` moves its lab
/// over); the full wasm (every
/// binding, the default features) into `www/pkg-scenes/` for the scene worker that measures
/// the lecture's claims; the classifier's wasm (feature `classifier`: no phase diagram,
/// PyTorch script or scene code: the pages read `www/scenes/scenes.json`) into `www/pkg/` for
/// the classifier page and its workers, and the same with SIMD (`simd128`) beside it as
/// `www/pkg/optiscape_simd_bg.wasm` (same glue, checked; the classifier loads it where the
/// browser has SIMD, see `www/common/wasm-build.js`). Returns `www/pkg/`.
pub fn build() -> Result<PathBuf, String> {
    setup::wasm_target()?;
    let root = util::root();
    let first = build_one(
        &["--no-default-features", "--features", "lab-first"],
        &root.join("www/pkg-lab-first"),
        false,
        Some(LAB_OPT_LEVEL),
    )?;
    eprintln!("the surface lab's first wasm: {}", first.display());
    let lab = build_one(
        &["--no-default-features", "--features", "lab"],
        &root.join("www/pkg-lab"),
        false,
        Some(LAB_OPT_LEVEL),
    )?;
    eprintln!("the surface lab's wasm: {}", lab.display());
    let scenes = build_one(&[], &root.join("www/pkg-scenes"), false, None)?;
    eprintln!("the scene worker's wasm: {}", scenes.display());
    let classifier = ["--no-default-features", "--features", "classifier"];
    let pkg = build_one(&classifier, &root.join("www/pkg"), false, None)?;
    let simd_pkg = root.join("target/simd/pkg");
    build_one(&classifier, &simd_pkg, true, None)?;
    let same_glue = std::fs::read(simd_pkg.join("optiscape.js")).ok()
        == std::fs::read(pkg.join("optiscape.js")).ok();
    if !same_glue {
        return Err("the SIMD build's JS glue differs from the baseline build's".into());
    }
    let simd = pkg.join("optiscape_simd_bg.wasm");
    std::fs::copy(simd_pkg.join("optiscape_bg.wasm"), &simd)
        .map_err(|e| format!("copying the SIMD wasm to {}: {e}", simd.display()))?;
    eprintln!("the classifier's SIMD wasm: {}", simd.display());
    Ok(pkg)
}

/// The surface lab's wasm is compiled for size (rustc `opt-level = "z"`): it is what the lab
/// fetches before its first picture, and its hot code is small (formulas are compiled to wasm
/// at run time, `expr::jit`). Measured in one session on the 2-core machine: the wasm 276 →
/// 234 KiB gzipped (the first load's wasm + JS 337 → 300 KiB), first frame and frame times
/// unchanged within their spread (the first contour call 9 → 30 ms of it), the 64×64 phase
/// diagram 264 → 314 ms. The other builds train and stay at the release profile's
/// `opt-level = 3` (size-optimized, training is 2–4× slower: docs/performance.md).
const LAB_OPT_LEVEL: &str = "z";

/// One wasm build (cargo `extra` flags; with `simd`, the SIMD flags and target dir; with
/// `opt_level`, that rustc level instead of the release profile's), bindgen into `pkg`, then
/// `wasm-opt`.
fn build_one(
    extra: &[&str],
    pkg: &Path,
    simd: bool,
    opt_level: Option<&str>,
) -> Result<PathBuf, String> {
    let root = util::root();
    let target_dir = root.join(if simd { SIMD_TARGET_DIR } else { "target" });
    let flags = if simd {
        WASM_SIMD_RUSTFLAGS
    } else {
        WASM_RUSTFLAGS
    };
    let mut build = cargo();
    if let Some(level) = opt_level {
        build.env("CARGO_PROFILE_RELEASE_OPT_LEVEL", level);
    }
    util::run(
        build
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", flags)
            .env("CARGO_TARGET_DIR", &target_dir)
            .args([
                "build",
                "--lib",
                "--release",
                "--package",
                "optiscape",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .args(extra),
    )?;
    let wasm = target_dir.join("wasm32-unknown-unknown/release/optiscape.wasm");
    eprintln!("wasm-bindgen {} -> {}", wasm.display(), pkg.display());
    std::fs::create_dir_all(pkg).map_err(|e| format!("creating {}: {e}", pkg.display()))?;
    Bindgen::new()
        .input_path(&wasm)
        .web(true)
        .map_err(|e| format!("wasm-bindgen: {e:#}"))?
        .typescript(false)
        // `init()` with no argument fetches optiscape_bg.wasm next to the glue.
        .omit_default_module_path(false)
        .generate(pkg)
        .map_err(|e| format!("wasm-bindgen on {}: {e:#}", wasm.display()))?;
    optimize(pkg, simd)?;
    Ok(pkg.to_path_buf())
}

/// Runs `wasm-opt -O3` from `node_modules/.bin` on the bindgen output, keeping the result
/// only if it still instantiates in node. Never uses a system binaryen: Debian's is too old
/// for wasm-bindgen's externref table.
fn optimize(pkg: &Path, simd: bool) -> Result<(), String> {
    let wasm_opt = util::root().join("node_modules/.bin/wasm-opt");
    let wasm = pkg.join("optiscape_bg.wasm");
    if !wasm_opt.exists() {
        eprintln!("note: node_modules/.bin/wasm-opt not found (run `npm ci`); keeping the unoptimized wasm");
        return Ok(());
    }
    let before = size(&wasm);
    let optimized = pkg.join("optiscape_bg.opt.wasm");
    let mut c = util::cmd(&wasm_opt.to_string_lossy());
    c.arg("-O3")
        // Lets wasm-opt fold constant address offsets into loads and stores (about 1 % of the
        // classifier's gzipped wasm). The lowest 1 KiB of memory is the far end of Rust's 1 MiB
        // stack (wasm-ld's stack comes first), reached only by a stack about to overflow.
        .arg("--low-memory-unused")
        .args(WASM_OPT_FEATURES)
        // Only the SIMD build may hold SIMD code; wasm-opt must not add any to the others.
        .args(simd.then_some("--enable-simd"))
        // For profiling: keep the function names (the name section) in the output.
        .args(std::env::var_os("OPTISCAPE_WASM_NAMES").map(|_| "-g"))
        .arg(&wasm)
        .arg("-o")
        .arg(&optimized);
    util::run(&mut c)?;
    match loads(pkg, &optimized) {
        Ok(()) => {
            std::fs::rename(&optimized, &wasm)
                .map_err(|e| format!("replacing {}: {e}", wasm.display()))?;
            eprintln!("wasm-opt -O3: {before} -> {} bytes", size(&wasm));
        }
        Err(why) => {
            let _ = std::fs::remove_file(&optimized);
            eprintln!(
                "warning: the wasm-opt output does not load ({why}); keeping the unoptimized wasm"
            );
        }
    }
    Ok(())
}

/// Instantiates `wasm` through the generated glue in node (runs the start function too).
pub fn loads(pkg: &Path, wasm: &Path) -> Result<(), String> {
    let script = format!(
        "import {{ initSync }} from {glue:?}; import {{ readFileSync }} from 'node:fs'; \
         initSync({{ module: readFileSync({wasm:?}) }});",
        glue = url(&pkg.join("optiscape.js")),
        wasm = wasm.to_string_lossy(),
    );
    let out = util::cmd("node")
        .args(["--input-type=module", "-e", &script])
        .output()
        .map_err(|e| format!("could not start node: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// A `file://` URL for an absolute path (for ES module imports from node).
pub fn url(path: &Path) -> String {
    format!("file://{}", path.to_string_lossy())
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}
