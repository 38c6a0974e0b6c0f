//! Small helpers shared by the xtask commands: the repo root, running commands with clear
//! errors, and option parsing.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// A command to run from the repo root.
pub fn cmd(program: &str) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root());
    c
}

/// Shows a command the way a person would type it.
pub fn show(c: &Command) -> String {
    let mut s = c.get_program().to_string_lossy().into_owned();
    for a in c.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Runs a command with inherited stdio; an error says which command failed and how.
pub fn run(c: &mut Command) -> Result<(), String> {
    eprintln!("$ {}", show(c));
    let status = c
        .status()
        .map_err(|e| format!("could not start `{}`: {e}", show(c)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", show(c)))
    }
}

/// Runs a command, streams its stdout through to ours, and returns what it printed.
/// Stderr is inherited. Fails if the command fails; the output is returned either way.
pub fn run_tee(c: &mut Command) -> (Result<(), String>, String) {
    use std::io::{BufRead, BufReader, Write};
    eprintln!("$ {}", show(c));
    let mut child = match c.stdout(Stdio::piped()).spawn() {
        Ok(child) => child,
        Err(e) => {
            return (
                Err(format!("could not start `{}`: {e}", show(c))),
                String::new(),
            )
        }
    };
    let mut captured = String::new();
    if let Some(out) = child.stdout.take() {
        let stdout = std::io::stdout();
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let mut lock = stdout.lock();
            let _ = writeln!(lock, "{line}");
            let _ = lock.flush();
            captured.push_str(&line);
            captured.push('\n');
        }
    }
    let result = match child.wait() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("`{}` failed ({status})", show(c))),
        Err(e) => Err(format!("`{}`: {e}", show(c))),
    };
    (result, captured)
}

/// Whether a program can be started (is on PATH and runs `--version`).
pub fn has_program(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// Takes `--name VALUE` (or `--name=VALUE`) out of the arguments: its value (the last one
/// given) and the other arguments.
pub fn take_option(args: &[String], name: &str) -> (Option<String>, Vec<String>) {
    let (mut value, mut rest) = (None, Vec::new());
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        if arg == name && i + 1 < args.len() {
            value = Some(args[i + 1].clone());
            i += 2;
            continue;
        }
        match arg.strip_prefix(&format!("{name}=")) {
            Some(v) => value = Some(v.to_string()),
            None => rest.push(arg.clone()),
        }
        i += 1;
    }
    (value, rest)
}

/// Reads `--name VALUE` (or `--name=VALUE`) from the arguments, with a default.
pub fn option_u64(args: &[String], name: &str, default: u64) -> Result<u64, String> {
    let mut value = default;
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        let text = if arg == name {
            i += 1;
            args.get(i).ok_or(format!("{name} needs a value"))?.clone()
        } else if let Some(v) = arg.strip_prefix(&format!("{name}=")) {
            v.to_string()
        } else {
            return Err(format!("unexpected argument `{arg}` (expected {name} N)"));
        };
        value = text
            .parse()
            .map_err(|_| format!("{name} expects a whole number, got `{text}`"))?;
        i += 1;
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn option_parsing() {
        assert_eq!(option_u64(&args(&[]), "--port", 8080), Ok(8080));
        assert_eq!(
            option_u64(&args(&["--port", "9000"]), "--port", 8080),
            Ok(9000)
        );
        assert_eq!(
            option_u64(&args(&["--port=9001"]), "--port", 8080),
            Ok(9001)
        );
        assert!(option_u64(&args(&["--port"]), "--port", 8080).is_err());
        assert!(option_u64(&args(&["--port", "x"]), "--port", 8080).is_err());
        assert!(option_u64(&args(&["--bogus"]), "--port", 8080).is_err());
    }

    #[test]
    fn root_has_the_workspace_manifest() {
        assert!(root().join("Cargo.toml").is_file());
        assert!(root().join("xtask").is_dir());
    }
}
