//! `cargo xtask dist [--out DIR]`: the static site a teacher uploads (default `dist/`): the four
//! pages, the ES modules, the three wasm builds (always optimized: the npm dev packages, binaryen's
//! `wasm-opt` among them, are installed first), the digits, the catalogs and the scenes, and
//! nothing else.
//!
//! - Versioned: `www/` is copied to `www-<hash>/`, the hash of its contents, and the pages point
//!   there; every module finds its neighbours through `import.meta.url`, so a page never mixes
//!   the wasm of one version with the JS of another, and `www-*/` may be cached for ever. The
//!   pages themselves (and `data/`) keep their names and should not be cached long.
//! - Relative: nothing starts with `/`, so the site works at a host's root and under any
//!   sub-path (`https://host/courses/ml/optiscape/`).
//! - Under the strict CSP: every page carries it as a `<meta http-equiv>` tag. A meta tag does
//!   not reach the workers; `_headers` (read by Netlify and Cloudflare Pages) sends it with
//!   every file, with the cache and CORS headers, for hosts that take such a file.
//!
//! - Stable for course pages: `optiscape-lab.js` at the root loads the current version's
//!   element, so the snippet a teacher pasted keeps working after an update.
//! - An example reveal.js deck with two labs, `examples/slides/` (reveal.js itself copied from
//!   the npm dev packages).
//! - Offline after one visit: `sw.js`, the service worker (`www/offline/sw.js` with the version
//!   and the file list), keeps the versioned site in the browser's cache.
//!
//! - Minified: its JS modules pass through esbuild (`minify_js`), each still a file of its own.
//!
//! It prints every file with its size and gzipped size, and the totals.

use crate::{app, serve, setup, util};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The pages of the site (the repo root's HTML files).
pub const PAGES: [&str; 5] = [
    "index.html",
    "classifier.html",
    "scenes.html",
    "teaching.html",
    "embed.html",
];

/// Folders under `www/` that are not copied into the versioned folder: the benchmarks' own pages
/// and peers, and the service worker's source (written to the site's root as `sw.js`).
const SKIP: [&str; 2] = ["bench", "offline"];

/// The element's unversioned address at the site's root: a module that loads the current
/// version's `embed/optiscape-lab.js`, so that a snippet pasted into a course page keeps
/// working after the site is updated (the old versioned folder is gone).
pub const ELEMENT_STUB: &str = "optiscape-lab.js";

/// The service worker's source; `sw.js` is it with the version and the file list in front.
const SW_SOURCE: &str = "www/offline/sw.js";

/// `cargo xtask dist`: build, then write the site to `out` (default `dist/`).
pub fn run(out: Option<PathBuf>) -> Result<(), String> {
    setup::npm_packages()?;
    app::build()?;
    let out = out.unwrap_or_else(|| util::root().join("dist"));
    let files = write(&util::root(), &out)?;
    report(&out, &files);
    Ok(())
}

/// Writes the site of the repo at `root` into `out` (emptied first); returns the files written,
/// relative to `out`.
pub fn write(root: &Path, out: &Path) -> Result<Vec<PathBuf>, String> {
    if out.exists() {
        // Only a folder this command wrote (or an empty one) is emptied.
        let ours = out.join("index.html").exists() || dir_is_empty(out);
        if !ours {
            return Err(format!(
                "{} exists and is not a site `dist` wrote; choose another --out",
                out.display()
            ));
        }
        std::fs::remove_dir_all(out).map_err(|e| format!("emptying {}: {e}", out.display()))?;
    }
    std::fs::create_dir_all(out).map_err(|e| format!("creating {}: {e}", out.display()))?;
    let www = root.join("www");
    let mut sources = Vec::new();
    collect(&www, &www, &mut sources)?;
    sources.sort();
    if !sources
        .iter()
        .any(|p| p == Path::new("pkg/optiscape_bg.wasm"))
    {
        return Err("www/pkg has no optiscape_bg.wasm: the build did not run".into());
    }
    // The version covers everything the site serves: a changed page is a new version too.
    let mut hashed: Vec<PathBuf> = sources.iter().map(|p| Path::new("www").join(p)).collect();
    hashed.extend(PAGES.iter().map(PathBuf::from));
    hashed.push(PathBuf::from("data/digits.bin"));
    hashed.push(PathBuf::from(SW_SOURCE));
    let deck = root.join("examples/slides");
    if deck.is_dir() {
        let mut files = Vec::new();
        collect(&deck, &deck, &mut files)?;
        files.sort();
        hashed.extend(files.iter().map(|f| Path::new("examples/slides").join(f)));
    }
    let version = version(root, &hashed)?;
    let versioned = format!("www-{version}");
    let mut written = Vec::new();
    for rel in &sources {
        let to = Path::new(&versioned).join(rel);
        copy(&www.join(rel), &out.join(&to))?;
        written.push(to);
    }
    minify_js(root, &out.join(&versioned), &sources)?;
    let digits = Path::new("data/digits.bin");
    copy(&root.join(digits), &out.join(digits))?;
    written.push(digits.to_path_buf());
    for page in PAGES {
        let html =
            std::fs::read_to_string(root.join(page)).map_err(|e| format!("reading {page}: {e}"))?;
        let html = page_for_dist(&html, &versioned).map_err(|e| format!("{page}: {e}"))?;
        write_file(&out.join(page), html.as_bytes())?;
        written.push(PathBuf::from(page));
    }
    written.extend(examples(root, out, &versioned)?);
    let stub = format!(
        "// Written by `cargo xtask dist`: the <optiscape-lab> element of this version of the site.\nimport './{versioned}/embed/optiscape-lab.js';\n"
    );
    write_file(&out.join(ELEMENT_STUB), stub.as_bytes())?;
    written.push(PathBuf::from(ELEMENT_STUB));
    let sw = service_worker(root, &versioned, &written)?;
    write_file(&out.join("sw.js"), sw.as_bytes())?;
    written.push(PathBuf::from("sw.js"));
    write_file(&out.join("_headers"), headers(&versioned).as_bytes())?;
    written.push(PathBuf::from("_headers"));
    Ok(written)
}

/// The example deck (`examples/slides/`, when the repo has it) with reveal.js beside it
/// (`reveal/`: the npm package's module, styles, serif theme (5 KB: no web fonts) and licence); its page gets the
/// CSP and points at the versioned folder like the site's pages.
fn examples(root: &Path, out: &Path, versioned: &str) -> Result<Vec<PathBuf>, String> {
    let deck = Path::new("examples/slides");
    if !root.join(deck).is_dir() {
        return Ok(Vec::new());
    }
    let mut written = Vec::new();
    let mut files = Vec::new();
    collect(&root.join(deck), &root.join(deck), &mut files)?;
    files.sort();
    for rel in files {
        let to = deck.join(&rel);
        if rel.extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(root.join(&to))
                .map_err(|e| format!("reading {}: {e}", to.display()))?;
            let html = html.replace("=\"../../www/", &format!("=\"../../{versioned}/"));
            let page =
                page_for_dist(&html, versioned).map_err(|e| format!("{}: {e}", to.display()))?;
            write_file(&out.join(&to), page.as_bytes())?;
        } else {
            copy(&root.join(&to), &out.join(&to))?;
        }
        written.push(to);
    }
    let reveal = root.join("node_modules/reveal.js");
    if !reveal.join("dist/reveal.mjs").is_file() {
        return Err(format!(
            "{} has no dist/reveal.mjs: the example deck needs the npm dev packages (npm ci)",
            reveal.display()
        ));
    }
    for (from, to) in [
        ("dist/reveal.mjs", "reveal.mjs"),
        ("dist/reveal.css", "reveal.css"),
        ("dist/reset.css", "reset.css"),
        ("dist/theme/serif.css", "theme/serif.css"),
        ("LICENSE", "LICENSE"),
    ] {
        let to = deck.join("reveal").join(to);
        copy(&reveal.join(from), &out.join(&to))?;
        written.push(to);
    }
    Ok(written)
}

/// `sw.js`: the service worker's source with `VERSION` (the versioned folder) and `FILES`
/// (every file of the site, relative to it) in front.
fn service_worker(root: &Path, versioned: &str, files: &[PathBuf]) -> Result<String, String> {
    let source = std::fs::read_to_string(root.join(SW_SOURCE))
        .map_err(|e| format!("reading {SW_SOURCE}: {e}"))?;
    let mut out = format!(
        "// Written by `cargo xtask dist` from {SW_SOURCE}.\nconst VERSION = '{versioned}';\nconst FILES = [\n"
    );
    for f in files {
        let name = f.to_string_lossy().replace('\\', "/");
        if name.contains(['\'', '\n']) {
            return Err(format!(
                "a file name the service worker cannot list: {name:?}"
            ));
        }
        out.push_str(&format!("  '{name}',\n"));
    }
    out.push_str("];\n\n");
    out.push_str(&source);
    Ok(out)
}

/// A page as the site serves it: `www/` links point at the versioned folder, and the strict
/// CSP is a meta tag right after the charset.
pub fn page_for_dist(html: &str, versioned: &str) -> Result<String, String> {
    let charset = "<meta charset=\"utf-8\">";
    let Some(at) = html.find(charset) else {
        return Err("no <meta charset=\"utf-8\"> to put the CSP after".into());
    };
    let meta = format!(
        "\n  <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n  <meta name=\"optiscape-site\" content=\"{versioned}\">",
        serve::CSP
    );
    let mut page = String::with_capacity(html.len() + meta.len());
    page.push_str(&html[..at + charset.len()]);
    page.push_str(&meta);
    page.push_str(&html[at + charset.len()..]);
    let page = page
        .replace("href=\"www/", &format!("href=\"{versioned}/"))
        .replace("src=\"www/", &format!("src=\"{versioned}/"));
    if page.contains("=\"www/") || page.contains("=\"/") {
        return Err("a link to `www/` or to the host's root is left".into());
    }
    Ok(page)
}

/// `_headers`: the CSP for every file (workers included), long caching for the versioned
/// folder, CORS so that a course page on another origin can load the element's module.
fn headers(versioned: &str) -> String {
    format!(
        "# For hosts that read a _headers file (Netlify, Cloudflare Pages); see README.md.\n\
         /*\n  Content-Security-Policy: {csp}\n  Access-Control-Allow-Origin: *\n  \
         X-Content-Type-Options: nosniff\n  Cache-Control: no-cache\n\
         /{versioned}/*\n  Cache-Control: public, max-age=31536000, immutable\n",
        csp = serve::CSP
    )
}

/// The first 12 hex digits of the FNV-1a hash of the paths and contents of `files` under `dir`.
fn version(dir: &Path, files: &[PathBuf]) -> Result<String, String> {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for rel in files {
        eat(rel.to_string_lossy().as_bytes());
        eat(&[0]);
        let bytes =
            std::fs::read(dir.join(rel)).map_err(|e| format!("reading {}: {e}", rel.display()))?;
        eat(&bytes);
    }
    Ok(format!("{h:016x}")[..12].to_string())
}

/// The site's files under `dir` (relative to `base`): every file but the benchmarks' folder,
/// dot files and leftovers of the build (`*.opt.wasm`).
fn collect(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| e.to_string())?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = path
            .strip_prefix(base)
            .map_err(|e| e.to_string())?
            .to_path_buf();
        if name.starts_with('.') || name.ends_with(".opt.wasm") {
            continue;
        }
        let kind = entry.file_type().map_err(|e| e.to_string())?;
        if kind.is_dir() {
            if dir == base && SKIP.contains(&name.as_str()) {
                continue;
            }
            collect(base, &path, out)?;
        } else if kind.is_file() {
            out.push(rel);
        }
    }
    Ok(())
}

fn dir_is_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false)
}

/// Minifies the site's JS modules in place (`dir`: the versioned folder, `sources`: its files)
/// with esbuild from the npm dev packages, one call for them all: no bundling (every module
/// stays a file of its own, found through `import.meta.url` as before), no syntax lowered,
/// UTF-8 kept (the Chinese strings stay text). It drops the comments and whitespace the repo's
/// JS is written with: the surface lab's JS fetched before its first picture, 55 → 33 KiB
/// gzipped. The repo's own server (`cargo xtask serve`) serves the sources as they are. Without
/// esbuild (no `npm ci` yet) the modules stay as written, with a note.
fn minify_js(root: &Path, dir: &Path, sources: &[PathBuf]) -> Result<(), String> {
    let esbuild = root.join("node_modules/.bin/esbuild");
    if !esbuild.exists() {
        eprintln!("note: node_modules/.bin/esbuild not found (run `npm ci`); the site's JS is not minified");
        return Ok(());
    }
    let modules: Vec<PathBuf> = sources
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "js"))
        .map(|p| dir.join(p))
        .collect();
    if modules.is_empty() {
        return Ok(());
    }
    eprintln!(
        "esbuild --minify: {} modules in {}",
        modules.len(),
        dir.display()
    );
    let status = util::cmd(&esbuild.to_string_lossy())
        .args(&modules)
        .arg("--minify")
        .arg("--charset=utf8")
        .arg("--log-level=warning")
        .arg("--allow-overwrite")
        .arg(format!("--outbase={}", dir.display()))
        .arg(format!("--outdir={}", dir.display()))
        .status()
        .map_err(|e| format!("could not start {}: {e}", esbuild.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "esbuild could not minify the modules in {} ({status})",
            dir.display()
        ))
    }
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("creating {}: {e}", parent.display()))?;
    }
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("copying {} to {}: {e}", from.display(), to.display()))
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("creating {}: {e}", parent.display()))?;
    }
    std::fs::write(path, bytes).map_err(|e| format!("writing {}: {e}", path.display()))
}

/// The gzipped size of `bytes` (level 9, as a host compresses static files).
pub fn gzipped(bytes: &[u8]) -> usize {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes).expect("writing to memory");
    gz.finish().expect("writing to memory").len()
}

/// Prints each file with its size and gzipped size, then the totals.
fn report(out: &Path, files: &[PathBuf]) {
    let (mut raw, mut gz) = (0usize, 0usize);
    println!("{:>10} {:>10}  file", "bytes", "gzipped");
    for rel in files {
        let bytes = std::fs::read(out.join(rel)).unwrap_or_default();
        let g = gzipped(&bytes);
        raw += bytes.len();
        gz += g;
        println!("{:>10} {:>10}  {}", bytes.len(), g, rel.display());
    }
    println!(
        "{} files, {:.1} KiB, {:.1} KiB gzipped, in {}",
        files.len(),
        raw as f64 / 1024.0,
        gz as f64 / 1024.0,
        out.display()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_gets_the_csp_and_the_versioned_folder() {
        let html = "<!doctype html>\n<html><head>\n  <meta charset=\"utf-8\">\n  <link rel=\"stylesheet\" href=\"www/style.css\">\n</head><body><script type=\"module\" src=\"www/main.js\"></script><a href=\"classifier.html\">c</a></body></html>";
        let page = page_for_dist(html, "www-0123456789ab").unwrap();
        assert!(page.contains("<meta charset=\"utf-8\">\n  <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'"), "{page}");
        assert!(
            page.contains("href=\"www-0123456789ab/style.css\""),
            "{page}"
        );
        assert!(page.contains("src=\"www-0123456789ab/main.js\""), "{page}");
        assert!(page.contains("href=\"classifier.html\""), "{page}");
        assert!(
            page.contains("<meta name=\"optiscape-site\" content=\"www-0123456789ab\">"),
            "{page}"
        );
        // A page without the charset tag, or with a link to the host's root, is refused.
        assert!(page_for_dist("<html></html>", "www-x").is_err());
        assert!(page_for_dist("<meta charset=\"utf-8\"><a href=\"/x\">", "www-x").is_err());
    }

    #[test]
    fn the_site_holds_the_pages_the_modules_and_nothing_else() {
        // A stand-in repo: the real pages need a build.
        let tmp = std::env::temp_dir().join(format!("optiscape-dist-test-{}", std::process::id()));
        let root = tmp.join("repo");
        for (path, text) in [
            ("www/main.js", "import './common/a.js';"),
            ("www/common/a.js", "export const a = 1;"),
            ("www/pkg/optiscape_bg.wasm", "wasm"),
            ("www/pkg/optiscape_bg.opt.wasm", "leftover"),
            ("www/bench/peer.mjs", "bench"),
            (
                "www/offline/sw.js",
                "self.addEventListener('install', () => {});",
            ),
            ("www/.gitignore", "x"),
            ("data/digits.bin", "digits"),
            ("src/lib.rs", "secret"),
        ] {
            write_file(&root.join(path), text.as_bytes()).unwrap();
        }
        for page in PAGES {
            write_file(
                &root.join(page),
                b"<html><head><meta charset=\"utf-8\"><script type=\"module\" src=\"www/main.js\"></script></head></html>",
            )
            .unwrap();
        }
        let out = tmp.join("dist");
        let files = write(&root, &out).unwrap();
        let names: Vec<String> = files
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        let versioned = names[0].split('/').next().unwrap().to_string();
        assert!(
            versioned.starts_with("www-") && versioned.len() == 16,
            "{names:?}"
        );
        for want in ["main.js", "common/a.js", "pkg/optiscape_bg.wasm"] {
            assert!(
                names.contains(&format!("{versioned}/{want}")),
                "{want}: {names:?}"
            );
        }
        for page in PAGES {
            assert!(names.contains(&page.to_string()));
            let html = std::fs::read_to_string(out.join(page)).unwrap();
            assert!(
                html.contains(&format!("src=\"{versioned}/main.js\"")),
                "{html}"
            );
            assert!(html.contains("Content-Security-Policy"));
        }
        assert!(names.contains(&"data/digits.bin".to_string()));
        assert!(names.contains(&"_headers".to_string()));
        // The service worker lists every file of the site but itself and `_headers`.
        let sw = std::fs::read_to_string(out.join("sw.js")).unwrap();
        assert!(
            sw.contains(&format!("const VERSION = '{versioned}';")),
            "{sw}"
        );
        for name in &names {
            let listed = sw.contains(&format!("  '{name}',\n"));
            assert_eq!(
                listed,
                name != "sw.js" && name != "_headers",
                "{name}: {sw}"
            );
        }
        assert!(sw.ends_with("self.addEventListener('install', () => {});"));
        assert!(!names.iter().any(|n| n.contains("offline/")), "{names:?}");
        assert!(
            !names.iter().any(|n| n.contains("bench")
                || n.contains(".opt.")
                || n.contains("gitignore")
                || n.contains("lib.rs")),
            "{names:?}"
        );
        assert_eq!(names.len(), 3 + 1 + PAGES.len() + 3);
        let stub = std::fs::read_to_string(out.join(ELEMENT_STUB)).unwrap();
        assert!(
            stub.contains(&format!("import './{versioned}/embed/optiscape-lab.js';")),
            "{stub}"
        );
        // The same files give the same version; a changed module, another.
        let again = write(&root, &out).unwrap();
        assert_eq!(again[0], files[0]);
        write_file(&root.join("www/common/a.js"), b"export const a = 2;").unwrap();
        let changed = write(&root, &out).unwrap();
        assert_ne!(changed[0].components().next(), files[0].components().next());
        // So does a changed page.
        write_file(
            &root.join(PAGES[1]),
            b"<html><head><meta charset=\"utf-8\"></head></html>",
        )
        .unwrap();
        let page_changed = write(&root, &out).unwrap();
        assert_ne!(
            page_changed[0].components().next(),
            changed[0].components().next()
        );
        // A folder that is not a site is not emptied.
        let other = tmp.join("other");
        write_file(&other.join("notes.txt"), b"keep").unwrap();
        assert!(write(&root, &other).is_err());
        assert!(other.join("notes.txt").exists());
        std::fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn gzip_counts_compressed_bytes() {
        let text = vec![b'a'; 100_000];
        let g = gzipped(&text);
        assert!(g > 20 && g < 1000, "{g}");
    }
}
