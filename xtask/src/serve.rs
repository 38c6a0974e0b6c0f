//! A small std-only static file server for the repo root: GET/HEAD, correct MIME types
//! (application/wasm, text/javascript), no directory traversal, 404s, no caching. With
//! `--csp` pages are sent with the strict [`CSP`] the app must work under (the CSP browser test
//! adds the header itself, so it holds whichever server runs the tests).

use crate::{app, util};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};

/// `cargo xtask serve [--csp]`: build, then serve until interrupted.
pub fn run(port: u16, csp: bool) -> Result<(), String> {
    app::build()?;
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e} (try --port N)"))?;
    let with = if csp { " with the strict CSP" } else { "" };
    println!("optiscape is served at http://127.0.0.1:{port}/{with}  (Ctrl-C stops it)");
    serve_forever(listener, util::root(), csp);
    Ok(())
}

/// Starts serving `root` on a free port in a background thread; returns the base URL.
pub fn spawn(root: PathBuf) -> Result<String, String> {
    spawn_with(root, false)
}

/// [`spawn`], sending the strict [`CSP`] with every page when `csp` is set.
pub fn spawn_with(root: PathBuf, csp: bool) -> Result<String, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot listen: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    std::thread::spawn(move || serve_forever(listener, root, csp));
    Ok(format!("http://{addr}/"))
}

fn serve_forever(listener: TcpListener, root: PathBuf, csp: bool) {
    for stream in listener.incoming().flatten() {
        let root = root.clone();
        std::thread::spawn(move || {
            let _ = handle(stream, &root, csp);
        });
    }
}

fn handle(mut stream: TcpStream, root: &Path, csp: bool) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Drain the headers; a static server needs none of them.
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let head = method == "HEAD";
    if method != "GET" && !head {
        return respond(
            &mut stream,
            405,
            "text/plain; charset=utf-8",
            b"method not allowed\n",
            head,
            false,
        );
    }
    match resolve(root, target) {
        Some(path) => match std::fs::read(&path) {
            Ok(body) => {
                let csp = csp && mime(&path).starts_with("text/html");
                respond(&mut stream, 200, mime(&path), &body, head, csp)
            }
            Err(_) => not_found(&mut stream, head),
        },
        None => not_found(&mut stream, head),
    }
}

/// The Content-Security-Policy of every HTML page: no inline scripts or styles, no eval; the
/// wasm may compile.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

fn not_found(stream: &mut TcpStream, head: bool) -> std::io::Result<()> {
    respond(
        stream,
        404,
        "text/plain; charset=utf-8",
        b"not found\n",
        head,
        false,
    )
}

fn respond(
    stream: &mut TcpStream,
    code: u16,
    mime: &str,
    body: &[u8],
    head: bool,
    csp: bool,
) -> std::io::Result<()> {
    let reason = match code {
        200 => "OK",
        404 => "Not Found",
        _ => "Method Not Allowed",
    };
    let csp = if csp {
        format!("Content-Security-Policy: {CSP}\r\n")
    } else {
        String::new()
    };
    write!(
        stream,
        "HTTP/1.1 {code} {reason}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n{csp}Connection: close\r\n\r\n",
        body.len()
    )?;
    if !head {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// Maps a request target to a file under `root`, or `None` when it must be a 404: a path
/// that leaves the root, names a hidden entry (`.git`), or is not a file. `/` and folders
/// serve their `index.html`.
pub fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?;
    let decoded = percent_decode(path)?;
    let mut out = root.to_path_buf();
    for component in Path::new(&decoded).components() {
        match component {
            Component::RootDir => {}
            Component::Normal(name) if !name.to_string_lossy().starts_with('.') => out.push(name),
            _ => return None,
        }
    }
    if out.is_dir() {
        out.push("index.html");
    }
    out.is_file().then_some(out)
}

/// Decodes `%XX` escapes; `None` for malformed escapes, NUL or non-UTF-8 results.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    if out.contains(&0) || out.contains(&b'\\') {
        return None;
    }
    String::from_utf8(out).ok()
}

/// The Content-Type for a file, by extension.
pub fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "csv" | "txt" | "md" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn mime_types() {
        assert_eq!(mime(Path::new("a/b.wasm")), "application/wasm");
        assert_eq!(
            mime(Path::new("www/main.js")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(mime(Path::new("index.html")), "text/html; charset=utf-8");
        assert_eq!(mime(Path::new("x.unknown")), "application/octet-stream");
    }

    #[test]
    fn resolves_files_and_index() {
        let root = util::root();
        assert_eq!(resolve(&root, "/Cargo.toml"), Some(root.join("Cargo.toml")));
        assert_eq!(
            resolve(&root, "/Cargo.toml?x=1#y"),
            Some(root.join("Cargo.toml"))
        );
        assert_eq!(
            resolve(&root, "/xtask/%43argo.toml"),
            Some(root.join("xtask/Cargo.toml"))
        );
        assert_eq!(resolve(&root, "/no-such-file"), None);
    }

    #[test]
    fn refuses_traversal_and_hidden_files() {
        let root = util::root().join("xtask");
        assert_eq!(resolve(&root, "/../Cargo.toml"), None);
        assert_eq!(resolve(&root, "/src/../../Cargo.toml"), None);
        assert_eq!(resolve(&root, "/%2e%2e/Cargo.toml"), None);
        assert_eq!(resolve(&root, "/..%2fCargo.toml"), None);
        assert_eq!(resolve(&root, "/..%5cCargo.toml"), None);
        assert_eq!(resolve(&util::root(), "/.git/HEAD"), None);
        assert_eq!(resolve(&root, "/%zz"), None);
        assert_eq!(resolve(&root, "/a%00b"), None);
    }

    fn get(base: &str, path: &str) -> String {
        let addr = base.trim_start_matches("http://").trim_end_matches('/');
        let mut s = TcpStream::connect(addr).unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn serves_over_http() {
        let base = spawn(util::root()).unwrap();
        let ok = get(&base, "/xtask/Cargo.toml");
        assert!(ok.starts_with("HTTP/1.1 200 OK\r\n"), "{ok}");
        assert!(ok.contains("name = \"xtask\""));
        let missing = get(&base, "/nope.js");
        assert!(missing.starts_with("HTTP/1.1 404 "), "{missing}");
        let escape = get(&base, "/../etc/passwd");
        assert!(escape.starts_with("HTTP/1.1 404 "), "{escape}");
    }

    #[test]
    fn pages_carry_the_strict_csp_and_other_files_do_not() {
        let base = spawn_with(util::root(), true).unwrap();
        let page = get(&base, "/index.html");
        let head = page.split("\r\n\r\n").next().unwrap();
        assert!(
            head.contains(&format!("Content-Security-Policy: {CSP}\r\n")),
            "{head}"
        );
        let toml = get(&base, "/xtask/Cargo.toml");
        assert!(!toml.contains("Content-Security-Policy"), "{toml}");
        let plain = get(&spawn(util::root()).unwrap(), "/index.html");
        assert!(!plain.contains("Content-Security-Policy"), "{plain}");
    }
}
