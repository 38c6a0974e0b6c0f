//! Installs what the build and the tests need when it is missing: the wasm32 target, the npm
//! dev packages (into the repo), and Debian's Chromium + ChromeDriver (as root only).

use crate::util;
use std::path::Path;
use std::process::Command;

/// Debian's browser and its WebDriver, which the wasm and browser tests drive.
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The npm packages `package.json` lists (checked after install).
const NPM_PACKAGES: &[&str] = &[
    "playwright-core",
    "binaryen",
    "esbuild",
    "mathjs",
    "axe-core",
    "@tensorflow/tfjs",
    "@tensorflow/tfjs-backend-wasm",
    "reveal.js",
];

/// Adds the wasm32 target to the toolchain when it is missing.
pub fn wasm_target() -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == "wasm32-unknown-unknown")
        });
    match installed {
        Ok(true) => Ok(()),
        Ok(false) => util::run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"])),
        Err(e) => Err(format!(
            "cannot run rustup ({e}); install the wasm32 target yourself: rustup target add wasm32-unknown-unknown"
        )),
    }
}

/// Installs the npm dev packages into `node_modules/` when any is missing.
pub fn npm_packages() -> Result<(), String> {
    if !util::has_program("node") || !util::has_program("npm") {
        return Err("node and npm are needed; install them: apt-get install -y nodejs npm".into());
    }
    let root = util::root();
    let missing = |p: &str| {
        !root
            .join("node_modules")
            .join(p)
            .join("package.json")
            .is_file()
    };
    if !NPM_PACKAGES.iter().any(|p| missing(p)) {
        return Ok(());
    }
    let verb = if root.join("package-lock.json").is_file() {
        "ci"
    } else {
        "install"
    };
    util::run(util::cmd("npm").args([verb, "--no-audit", "--no-fund"]))?;
    match NPM_PACKAGES.iter().find(|p| missing(p)) {
        Some(p) => Err(format!(
            "npm {verb} did not install `{p}`; check package.json"
        )),
        None => Ok(()),
    }
}

/// Installs Debian's Chromium and ChromeDriver when missing (needs root; otherwise says the
/// one command to run).
pub fn chromium() -> Result<(), String> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    let install = "apt-get update && apt-get install -y chromium chromium-driver";
    if !is_root() {
        return Err(format!(
            "Chromium and ChromeDriver are missing ({CHROMIUM}, {CHROMEDRIVER}); install them as root:\n    sudo sh -c '{install}'"
        ));
    }
    util::run(
        Command::new("apt-get")
            .arg("update")
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    util::run(
        Command::new("apt-get")
            .args([
                "install",
                "-y",
                "--no-install-recommends",
                "chromium",
                "chromium-driver",
            ])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        Ok(())
    } else {
        Err(format!(
            "`{install}` finished but {CHROMIUM} or {CHROMEDRIVER} is still missing"
        ))
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Everything the full test suite needs.
pub fn all() -> Result<(), String> {
    wasm_target()?;
    npm_packages()?;
    chromium()
}
