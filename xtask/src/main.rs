//! `cargo xtask`: the project's own automation (build, serve, test, bench, fuzz), in Rust,
//! so a fresh machine with Rust and node needs nothing installed globally.

mod app;
mod bench;
mod dist;
mod fuzz;
mod runner;
mod serve;
mod setup;
mod suite;
mod util;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  build                  build the wasm app into www/pkg (release, wasm-bindgen, wasm-opt)
  serve [--port 8080] [--csp] [--dir DIR]
                         build, then serve the app on http://127.0.0.1:PORT; --csp sends
                         the strict Content-Security-Policy with every page; --dir serves a
                         folder as it is (a site `dist` wrote), building nothing
  dist [--out dist]      write the static site a teacher uploads (versioned, CSP in every
                         page, works under any sub-path); prints its files and gzipped size
  test                   install what is missing, then run every test (native, wasm, browser)
  bench                  benchmarks with peers side by side; writes target/bench/results.json
  fuzz [--seconds 60]    every fuzzer for N seconds a target: random and mutated formulas to
                         the parser, JSON to every config decoder, arguments to the wasm
                         entry points (node), hashes to both pages' hash readers; fails on
                         any panic, trap or throw and prints each target's input count
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(command) = args.first() else {
        eprint!("{USAGE}");
        return ExitCode::FAILURE;
    };
    let rest = &args[1..];
    let result = match command.as_str() {
        "build" => no_options(rest).and_then(|()| app::build().map(|_| ())),
        "serve" => {
            let csp = rest.iter().any(|a| a == "--csp");
            let rest: Vec<String> = rest.iter().filter(|a| *a != "--csp").cloned().collect();
            let (dir, rest) = util::take_option(&rest, "--dir");
            util::option_u64(&rest, "--port", 8080)
                .and_then(|port| {
                    u16::try_from(port).map_err(|_| format!("--port {port} is not a port"))
                })
                .and_then(|port| serve::run(port, csp, dir.map(std::path::PathBuf::from)))
        }
        "dist" => {
            let (out, rest) = util::take_option(rest, "--out");
            no_options(&rest).and_then(|()| dist::run(out.map(std::path::PathBuf::from)))
        }
        "test" => no_options(rest).and_then(|()| suite::run()),
        "bench" => no_options(rest).and_then(|()| bench::run()),
        "fuzz" => util::option_u64(rest, "--seconds", 60).and_then(fuzz::run),
        // Invoked by cargo as CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER (see `suite`).
        runner::SUBCOMMAND => runner::run(rest),
        "-h" | "--help" | "help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask {command}: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn no_options(rest: &[String]) -> Result<(), String> {
    match rest.first() {
        None => Ok(()),
        Some(arg) => Err(format!("unexpected argument `{arg}`\n\n{USAGE}")),
    }
}
