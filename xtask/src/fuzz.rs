//! `cargo xtask fuzz --seconds N`: runs the parser fuzzer (`fuzz/parser.rs`, a harness-less
//! test target of the core) in release for N seconds; any panic fails it.

use crate::{app, util};

pub fn run(seconds: u64) -> Result<(), String> {
    util::run(
        app::cargo()
            .args([
                "test",
                "--release",
                "--package",
                "optiscape",
                "--test",
                "fuzz_parser",
            ])
            .env("OPTISCAPE_FUZZ_SECONDS", seconds.to_string()),
    )
}
