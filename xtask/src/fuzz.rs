//! `cargo xtask fuzz --seconds N`: every fuzzer for N seconds a target, failing on the first
//! panic, trap or throw: the formula parser and the JSON config decoders (`fuzz/parser.rs`,
//! `fuzz/configs.rs`: harness-less test targets of the core, in release), the wasm entry points
//! in node (`tests/web_fuzz.rs`, in release, its time compiled in), and both pages' URL-hash
//! readers against the built wasm (`tests/e2e/hash-fuzz.test.mjs`, after `cargo xtask build`).
//! Each prints its targets' input counts and rates.

use crate::{app, util};

pub fn run(seconds: u64) -> Result<(), String> {
    let secs = seconds.to_string();
    eprintln!("\n==== 1/3 the parser and the config decoders, {seconds} s a target ====");
    util::run(
        app::cargo()
            .args([
                "test",
                "--release",
                "--package",
                "optiscape",
                "--test",
                "fuzz_parser",
                "--test",
                "fuzz_configs",
            ])
            .env("OPTISCAPE_FUZZ_SECONDS", &secs),
    )?;

    eprintln!("\n==== 2/3 the wasm entry points in node, {seconds} s a target ====");
    util::run(
        crate::suite::wasm_runner(app::cargo())
            .args([
                "test",
                "--release",
                "--package",
                "optiscape",
                "--target",
                "wasm32-unknown-unknown",
                "--test",
                "web_fuzz",
            ])
            // Read by `option_env!` when the test is compiled.
            .env("OPTISCAPE_FUZZ_SECONDS", &secs)
            .env("WASM_BINDGEN_TEST_ONLY_NODE", "1")
            .env(
                "WASM_BINDGEN_TEST_TIMEOUT",
                (seconds * 10 + 120).to_string(),
            ),
    )?;

    eprintln!(
        "\n==== 3/3 the pages' URL-hash readers against the built wasm, {seconds} s a page ===="
    );
    app::build()?;
    util::run(
        util::cmd("node")
            .args(["--test", "--test-reporter=spec"])
            .arg(util::root().join("tests/e2e/hash-fuzz.test.mjs"))
            .env("OPTISCAPE_FUZZ_SECONDS", &secs),
    )
}
