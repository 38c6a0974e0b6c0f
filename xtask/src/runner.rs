//! The wasm-bindgen test runner, as a library inside xtask: `cargo test --target
//! wasm32-unknown-unknown` runs `xtask wasm-bindgen-test-runner FILE.wasm ARGS...`
//! (CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER), so no global install is needed.

/// The hidden subcommand cargo invokes.
pub const SUBCOMMAND: &str = "wasm-bindgen-test-runner";

/// Runs one wasm test binary in node or a headless browser, as the environment selects
/// (`WASM_BINDGEN_USE_BROWSER`, `CHROMEDRIVER`, `WASM_BINDGEN_TEST_WEBDRIVER_JSON`).
pub fn run(args: &[String]) -> Result<(), String> {
    let argv = std::iter::once(SUBCOMMAND.to_string()).chain(args.iter().cloned());
    wasm_bindgen_cli::wasm_bindgen_test_runner::run_cli_with_args(argv)
        .map_err(|e| format!("{e:#}"))
}
