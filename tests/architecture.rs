//! ARCHITECTURE.md's guide to adding an optimizer lists every file that declares or names one
//! (between `<!-- optimizer-files:begin -->` and `<!-- optimizer-files:end -->`). This test
//! keeps that list true: every listed file exists, and every source file that names one of the
//! CPU-only torch optimizers is listed.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Optimizers whose names appear nowhere but where an optimizer is declared or used by name
/// (unlike `adam` or `sgd`, which are everywhere). `<name>` in the list stands for each.
const NAMES: [&str; 4] = ["nadam", "radam", "adamax", "adadelta"];

/// The folders searched, from the repository root.
const ROOTS: [&str; 4] = ["src", "www", "xtask", "tests"];

/// Never searched: build outputs and the reference data (copied, never edited).
const SKIPPED: [&str; 6] = [
    "www/pkg",
    "www/pkg-lab",
    "www/pkg-lab-first",
    "www/pkg-scenes",
    "tests/refs",
    "xtask/target",
];

/// File endings that hold source or data the project writes.
const EXTENSIONS: [&str; 6] = ["rs", "js", "mjs", "json", "html", "css"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The paths listed between the markers, with `<name>` expanded for every name in [`NAMES`].
fn listed() -> BTreeSet<String> {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let (_, rest) = text
        .split_once("<!-- optimizer-files:begin -->\n")
        .expect("ARCHITECTURE.md has <!-- optimizer-files:begin -->");
    let (list, _) = rest
        .split_once("<!-- optimizer-files:end -->")
        .expect("ARCHITECTURE.md has <!-- optimizer-files:end -->");
    let mut out = BTreeSet::new();
    for line in list.lines().filter(|l| !l.trim().is_empty()) {
        let path = line
            .strip_prefix("- `")
            .and_then(|l| l.split_once('`'))
            .map(|(p, _)| p)
            .unwrap_or_else(|| panic!("not a \"- `path`: what\" line: {line}"));
        if path.contains("<name>") {
            for name in NAMES {
                out.insert(path.replace("<name>", name));
            }
        } else {
            out.insert(path.to_string());
        }
    }
    out
}

/// Whether `text` names `name` as a word start, in any case (`radam`, `RAdam`, `RAdamConfig`).
fn names(text: &str, name: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower
        .match_indices(name)
        .any(|(i, _)| i == 0 || !lower.as_bytes()[i - 1].is_ascii_alphanumeric())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let rel = dir
        .strip_prefix(root())
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/");
    if SKIPPED.contains(&rel.as_str()) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e))
        {
            out.push(path);
        }
    }
}

/// Every file under [`ROOTS`] that names one of [`NAMES`], relative to the root.
fn naming_files() -> BTreeSet<String> {
    let mut files = Vec::new();
    for r in ROOTS {
        walk(&root().join(r), &mut files);
    }
    files
        .iter()
        .filter(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            NAMES.iter().any(|n| names(&text, n))
        })
        .map(|p| {
            p.strip_prefix(root())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

#[test]
fn every_listed_optimizer_file_exists() {
    let missing: Vec<String> = listed()
        .into_iter()
        .filter(|p| !root().join(p).is_file())
        .collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md lists files that do not exist (moved or renamed? update the list):\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_file_that_names_an_optimizer_is_listed() {
    let listed = listed();
    let unlisted: Vec<String> = naming_files()
        .into_iter()
        .filter(|p| !listed.contains(p))
        .collect();
    assert!(
        unlisted.is_empty(),
        "these files name an optimizer ({}) but ARCHITECTURE.md's list of the places where an \
         optimizer is declared does not have them; add each with what it holds:\n{}",
        NAMES.join(", "),
        unlisted.join("\n")
    );
}

/// The negative control: the matcher finds the names where they are, and only there.
#[test]
fn the_name_matcher_finds_names_at_a_word_start() {
    assert!(names("O::RAdam(c) => \"RAdam\"", "radam"));
    assert!(names("\"name\": \"adadelta\"", "adadelta"));
    assert!(names("pub struct NAdamConfig", "nadam"));
    assert!(!names("paradamax", "adamax"));
    assert!(!names("adam and sgd", "radam"));
    let listed = listed();
    assert!(listed.contains("src/optim/rules/radam.rs"));
    assert!(naming_files().contains("src/optim/spec.rs"));
}
