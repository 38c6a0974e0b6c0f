//! `cargo xtask test`: every test in order, failing fast: install what is missing, native
//! `cargo test`, wasm-bindgen tests in node and headless Chromium, browser end-to-end tests.

use crate::{app, dist, serve, setup, util};
use std::path::PathBuf;
use std::process::Command;

/// Passed/failed counts summed over the steps.
#[derive(Default, Debug, PartialEq)]
pub struct Tally {
    pub passed: u64,
    pub failed: u64,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
    }
}

/// Runs the whole suite; prints `N passed, M failed` at the end.
pub fn run() -> Result<(), String> {
    let started = std::time::Instant::now();
    let mut tally = Tally::default();
    let result = steps(&mut tally);
    let minutes = started.elapsed().as_secs_f64() / 60.0;
    match &result {
        Ok(()) => eprintln!("\nall test steps passed in {minutes:.1} min"),
        Err(e) => eprintln!("\nxtask test stopped after {minutes:.1} min: {e}"),
    }
    // A failed step that printed no counts still counts as one failure.
    let failed = if result.is_err() {
        tally.failed.max(1)
    } else {
        tally.failed
    };
    println!("{} passed, {failed} failed", tally.passed);
    result
}

fn steps(tally: &mut Tally) -> Result<(), String> {
    banner("1/5 install what is missing (wasm32 target, npm packages, Chromium)");
    setup::all()?;

    banner("2/5 native tests: cargo test --workspace");
    tally.add(counted(
        "native tests",
        app::cargo().args(["test", "--workspace"]),
    )?);

    banner("3/5 wasm-bindgen tests in node");
    let mut node = wasm_tests();
    node.env("WASM_BINDGEN_TEST_ONLY_NODE", "1");
    tally.add(counted("wasm tests in node", &mut node)?);
    // The classifier's SIMD build must pass the torch references too: in release, as it
    // ships (the compiler vectorizes only when optimizing), in its own target dir (other
    // rustc flags).
    let mut simd = wasm_runner(app::cargo());
    simd.args([
        "test",
        "--release",
        "--package",
        "optiscape",
        "--target",
        "wasm32-unknown-unknown",
        "--test",
        "mlp_refs",
        "--test",
        "optim_refs",
    ])
    .env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
        app::WASM_SIMD_RUSTFLAGS,
    )
    .env("CARGO_TARGET_DIR", util::root().join(app::SIMD_TARGET_DIR))
    .env("WASM_BINDGEN_TEST_ONLY_NODE", "1");
    tally.add(counted("wasm references in node, SIMD build", &mut simd)?);

    banner("4/5 wasm-bindgen tests in headless Chromium");
    let profile = TempDir::new("wasm-chromium")?;
    let webdriver_json = profile.path.join("webdriver.json");
    let capabilities = serde_json::json!({
        "goog:chromeOptions": {
            "binary": setup::CHROMIUM,
            "args": chromium_args(&profile.path.join("profile")),
        }
    });
    std::fs::write(&webdriver_json, capabilities.to_string()).map_err(|e| e.to_string())?;
    let mut browser = wasm_tests();
    browser
        .env("WASM_BINDGEN_USE_BROWSER", "1")
        .env("WASM_BINDGEN_TEST_ONLY_WEB", "1")
        .env("CHROMEDRIVER", setup::CHROMEDRIVER)
        .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &webdriver_json)
        .env("WASM_BINDGEN_TEST_DRIVER_TIMEOUT", "30")
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    tally.add(counted("wasm tests in Chromium", &mut browser)?);

    banner("5/5 browser end-to-end tests (node --test + playwright-core + Chromium)");
    app::build()?;
    let url = serve::spawn(util::root())?;
    eprintln!("serving the app at {url}");
    // The site `cargo xtask dist` writes, on a second origin (tests/e2e/dist.test.mjs).
    let dist_dir = util::root().join("target/dist-e2e");
    dist::write(&util::root(), &dist_dir)?;
    let dist_url = serve::spawn(dist_dir.clone())?;
    eprintln!("serving the dist site at {dist_url}");
    let e2e_profile = TempDir::new("e2e-chromium")?;
    let out_dir = util::root().join("target/e2e");
    std::fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;
    let mut node_test = util::cmd("node");
    node_test
        .args(["--test", "--test-reporter=spec"])
        .args(e2e_files()?)
        .env("OPTISCAPE_URL", &url)
        .env("OPTISCAPE_DIST_URL", &dist_url)
        .env("OPTISCAPE_DIST_DIR", &dist_dir)
        .env("CHROMIUM", setup::CHROMIUM)
        .env(
            "CHROMIUM_ARGS",
            serde_json::json!(chromium_args(&e2e_profile.path)).to_string(),
        )
        .env("E2E_OUT", &out_dir);
    tally.add(counted("browser end-to-end tests", &mut node_test)?);
    eprintln!("screenshots are in {}", out_dir.display());
    Ok(())
}

fn banner(title: &str) {
    eprintln!("\n==== {title} ====");
}

/// `cargo test` of `tests/web.rs` (the lab), `tests/web_classifier.rs` (the classifier) and
/// `tests/web_curvature.rs` (its curvature panel), `tests/web_scenes.rs` (the lecture scenes),
/// `tests/web_exports.rs` (the PyTorch code and phase diagrams) and `tests/web_fuzz.rs` (the
/// entry points fuzzed for 3 s a target; node only), and the torch references (`mlp_refs`,
/// `optim_refs`, `trajectories`, `critical_points`) for wasm32, with this binary as the runner.
fn wasm_tests() -> Command {
    let mut c = app::cargo();
    c.args([
        "test",
        "--package",
        "optiscape",
        "--target",
        "wasm32-unknown-unknown",
        "--test",
        "web",
        "--test",
        "web_classifier",
        "--test",
        "web_curvature",
        "--test",
        "web_scenes",
        "--test",
        "web_exports",
        "--test",
        "web_fuzz",
        "--test",
        "mlp_refs",
        "--test",
        "optim_refs",
        "--test",
        "trajectories",
        "--test",
        "critical_points",
    ]);
    wasm_runner(c)
}

/// `c` with this binary as the wasm test runner, and no inherited choice of where tests run.
pub(crate) fn wasm_runner(mut c: Command) -> Command {
    let exe = std::env::current_exe().expect("the xtask binary has a path");
    c.env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
        format!("{} {}", exe.display(), crate::runner::SUBCOMMAND),
    )
    .env_remove("NO_HEADLESS")
    .env_remove("WASM_BINDGEN_USE_BROWSER")
    .env_remove("WASM_BINDGEN_TEST_ONLY_NODE")
    .env_remove("WASM_BINDGEN_TEST_ONLY_WEB");
    c
}

/// Chromium's flags for tests: headless, no sandbox (root in CI), nothing that phones home,
/// and a fresh profile.
pub fn chromium_args(profile: &std::path::Path) -> Vec<String> {
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([format!("--user-data-dir={}", profile.display())])
    .collect()
}

/// The end-to-end test files: `tests/e2e/*.test.mjs` (other `.mjs` files there are helpers).
fn e2e_files() -> Result<Vec<PathBuf>, String> {
    let dir = util::root().join("tests/e2e");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("reading {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("no *.test.mjs files in {}", dir.display()));
    }
    Ok(files)
}

/// Runs a test command, streaming its output, and counts what it reports.
fn counted(what: &str, c: &mut Command) -> Result<Tally, String> {
    let (result, output) = util::run_tee(c);
    let tally = count(&output);
    eprintln!(
        "-- {what}: {} passed, {} failed",
        tally.passed, tally.failed
    );
    result.map_err(|e| format!("{what} failed: {e}"))?;
    if tally.failed > 0 {
        return Err(format!("{what}: {} failed", tally.failed));
    }
    if tally.passed == 0 {
        return Err(format!("{what}: ran no test"));
    }
    Ok(tally)
}

/// Sums the counts in cargo/libtest (`test result: ok. 3 passed; 0 failed; ...`) and node's
/// test runner (`# pass 3` for TAP, `ℹ pass 3` for spec) output.
pub fn count(output: &str) -> Tally {
    let mut tally = Tally::default();
    for line in output.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("test result: ") {
            for part in rest.split(';') {
                let words: Vec<&str> = part.split_whitespace().collect();
                let n = |i: usize| {
                    words
                        .get(i)
                        .and_then(|w| w.parse::<u64>().ok())
                        .unwrap_or(0)
                };
                match words.as_slice() {
                    [_, _, "passed"] => tally.passed += n(1),
                    [_, "failed"] => tally.failed += n(0),
                    _ => {}
                }
            }
        } else if let Some(rest) = line.strip_prefix("# ").or_else(|| line.strip_prefix("ℹ ")) {
            let mut words = rest.split_whitespace();
            let (key, n) = (
                words.next(),
                words.next().and_then(|w| w.parse::<u64>().ok()),
            );
            match (key, n, words.next()) {
                (Some("pass"), Some(n), None) => tally.passed += n,
                (Some("fail"), Some(n), None) => tally.failed += n,
                _ => {}
            }
        }
    }
    tally
}

/// A fresh temporary directory, removed on drop.
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    fn new(tag: &str) -> Result<TempDir, String> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let path =
            std::env::temp_dir().join(format!("optiscape-{tag}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).map_err(|e| format!("creating {}: {e}", path.display()))?;
        Ok(TempDir { path })
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_libtest_output() {
        let out = "running 2 tests\n\
                   test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n\
                   test result: FAILED. 5 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out\n";
        assert_eq!(
            count(out),
            Tally {
                passed: 7,
                failed: 1
            }
        );
    }

    #[test]
    fn counts_node_test_output() {
        assert_eq!(
            count("# tests 3\n# pass 3\n# fail 0\n"),
            Tally {
                passed: 3,
                failed: 0
            }
        );
        assert_eq!(
            count("ℹ tests 4\nℹ pass 2\nℹ fail 2\n"),
            Tally {
                passed: 2,
                failed: 2
            }
        );
        assert_eq!(count("# pass the salt\n"), Tally::default());
    }

    #[test]
    fn chromium_gets_a_fresh_profile() {
        let args = chromium_args(std::path::Path::new("/tmp/p"));
        assert!(args.contains(&"--headless".to_string()));
        assert_eq!(args.last().unwrap(), "--user-data-dir=/tmp/p");
    }
}
