//! A small std-only static file server for the repo root: GET/HEAD, correct MIME types
//! (application/wasm, text/javascript), no directory traversal, 404s, no caching. With
//! `--csp` pages are sent with the strict [`CSP`] the app must work under (the CSP browser test
//! adds the header itself, so it holds whichever server runs the tests).
//!
//! It listens on 127.0.0.1 only, and is hardened against what a hostile web page or a stray
//! client on the machine could do to it ([`Limits::default`] has the numbers):
//! - the request line may be 8 KiB and the headers 64 lines / 16 KiB; longer input is read
//!   through `Read::take`, so it is never held in memory, and answered 414 or 431;
//! - the whole request head must arrive within 10 s of the connection (408 otherwise), and
//!   every write gives up after 10 s, so a silent or trickling client cannot hold a worker;
//! - 16 worker threads take connections from a queue of 64; when the queue is full the
//!   accepting thread answers 503 at once instead of starting a thread per connection;
//! - `Host` must be `127.0.0.1`, `localhost` or `[::1]` with the bound port (421 otherwise), so
//!   a DNS-rebinding page cannot read the repo through the victim's browser; no `Host` is 400;
//! - symlinks are followed only while they stay under the root (404 otherwise).

use crate::{app, util};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The server's limits. `serve` and `spawn` use the defaults; the tests shrink the timeout
/// and the pool so that they run in seconds.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Bytes in the request line, CRLF included (414 beyond).
    pub request_line: usize,
    /// Header lines (431 beyond).
    pub headers: usize,
    /// Bytes in all header lines together, CRLFs included (431 beyond).
    pub header_bytes: usize,
    /// Time from accepting a connection to the end of its request head (408 beyond).
    pub read_timeout: Duration,
    /// Time one write to the client may block.
    pub write_timeout: Duration,
    /// Worker threads.
    pub workers: usize,
    /// Accepted connections waiting for a worker (503 beyond).
    pub queue: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            request_line: 8 << 10,
            headers: 64,
            header_bytes: 16 << 10,
            read_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(10),
            workers: 16,
            queue: 64,
        }
    }
}

/// `cargo xtask serve [--csp] [--dir DIR]`: build (and install the npm dev packages, so the
/// wasm is the optimized one), then serve the repo until interrupted; with `--dir`, serve that
/// folder as it is (a site `cargo xtask dist` wrote), building nothing.
pub fn run(port: u16, csp: bool, dir: Option<PathBuf>) -> Result<(), String> {
    let root = match dir {
        Some(dir) => {
            if !dir.join("index.html").is_file() {
                return Err(format!(
                    "{} has no index.html (run `cargo xtask dist` first)",
                    dir.display()
                ));
            }
            dir
        }
        None => {
            crate::setup::npm_packages()?;
            app::build()?;
            util::root()
        }
    };
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e} (try --port N)"))?;
    let with = if csp { " with the strict CSP" } else { "" };
    println!("optiscape is served at http://127.0.0.1:{port}/{with}  (Ctrl-C stops it)");
    serve_forever(listener, root, csp, Limits::default());
    Ok(())
}

/// Starts serving `root` on a free port in a background thread; returns the base URL.
pub fn spawn(root: PathBuf) -> Result<String, String> {
    spawn_with(root, false)
}

/// [`spawn`], sending the strict [`CSP`] with every page when `csp` is set.
pub fn spawn_with(root: PathBuf, csp: bool) -> Result<String, String> {
    spawn_limited(root, csp, Limits::default())
}

/// [`spawn_with`] under the given limits.
fn spawn_limited(root: PathBuf, csp: bool, limits: Limits) -> Result<String, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot listen: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    std::thread::spawn(move || serve_forever(listener, root, csp, limits));
    Ok(format!("http://{addr}/"))
}

/// A connection waiting for a worker, with the moment it was accepted (its read deadline
/// counts from there, so time spent in the queue is not a free extension).
struct Job {
    stream: TcpStream,
    accepted: Instant,
}

/// Accepts connections and hands them to a fixed pool of workers through a bounded queue.
fn serve_forever(listener: TcpListener, root: PathBuf, csp: bool, limits: Limits) {
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    let (sender, receiver) = mpsc::sync_channel::<Job>(limits.queue);
    let receiver = Arc::new(Mutex::new(receiver));
    let root: Arc<Path> = root.into();
    for _ in 0..limits.workers.max(1) {
        let (receiver, root) = (Arc::clone(&receiver), Arc::clone(&root));
        std::thread::spawn(move || loop {
            // The lock is held only while waiting; it is released before the job runs.
            let job = match receiver.lock() {
                Ok(receiver) => receiver.recv(),
                Err(_) => return,
            };
            let Ok(job) = job else { return };
            let _ = handle(&job.stream, job.accepted, &root, port, csp, &limits);
        });
    }
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(stream) => stream,
            Err(_) => {
                // Out of file descriptors, say: wait instead of spinning.
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        let _ = stream.set_write_timeout(Some(limits.write_timeout));
        let job = Job {
            stream,
            accepted: Instant::now(),
        };
        match sender.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(job)) => busy(job.stream),
            Err(TrySendError::Disconnected(_)) => return,
        }
    }
}

/// The accepting thread's answer when every worker is busy and the queue is full: a quick
/// 503, without waiting for the request (the thread must get back to accepting).
fn busy(stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    let _ = respond(
        &stream,
        503,
        "text/plain; charset=utf-8",
        b"server busy, try again\n",
        false,
        false,
    );
    let _ = stream.shutdown(Shutdown::Write);
    // Drop what the client has sent already, without blocking, so that closing does not
    // reset the connection before the 503 is read.
    if stream.set_nonblocking(true).is_ok() {
        let _ = std::io::copy(&mut (&stream).take(16 << 10), &mut std::io::sink());
    }
}

/// What a request head says that the server needs.
#[derive(Debug, PartialEq)]
struct Head {
    method: String,
    target: String,
    host: Option<String>,
}

/// Why a request head was not read: an answer to send, or a connection that closed or failed.
#[derive(Debug, PartialEq)]
enum Refused {
    Status(u16, &'static str),
    Closed,
}

/// Serves one connection: one request, one answer, then close. Refusals come in the order
/// head (408, 414, 431, 400), Host (400, 421), method (405), path (404).
fn handle(
    stream: &TcpStream,
    accepted: Instant,
    root: &Path,
    port: u16,
    csp: bool,
    limits: &Limits,
) -> std::io::Result<()> {
    let deadline = accepted + limits.read_timeout;
    let mut reader = BufReader::new(Deadline { stream, deadline });
    let head = match read_head(&mut reader, limits) {
        Ok(head) => head,
        Err(Refused::Closed) => return Ok(()),
        Err(Refused::Status(code, text)) => {
            refuse(stream, code, text, false)?;
            linger(stream);
            return Ok(());
        }
    };
    let is_head = head.method == "HEAD";
    match head.host.as_deref() {
        None => return refuse(stream, 400, "missing Host header\n", is_head),
        Some(host) if !host_allowed(host, port) => {
            return refuse(
                stream,
                421,
                "this server answers only to 127.0.0.1, localhost or [::1] with its port\n",
                is_head,
            )
        }
        Some(_) => {}
    }
    if head.method != "GET" && !is_head {
        return refuse(stream, 405, "method not allowed\n", is_head);
    }
    match resolve(root, &head.target) {
        Some(path) => match std::fs::read(&path) {
            Ok(body) => {
                let csp = csp && mime(&path).starts_with("text/html");
                let cors = shared(root, &path);
                respond_with(stream, 200, mime(&path), &body, is_head, csp, cors)
            }
            Err(_) => refuse(stream, 404, "not found\n", is_head),
        },
        None => refuse(stream, 404, "not found\n", is_head),
    }
}

/// Reads the request line and the headers within `limits`. Every line is read through
/// `take`, so an endless line costs the limit in memory, not what the client sends.
fn read_head(reader: &mut impl BufRead, limits: &Limits) -> Result<Head, Refused> {
    let line = match read_line(reader, limits.request_line)? {
        Some(line) => line,
        None => return Err(Refused::Status(414, "request line too long\n")),
    };
    let line = std::str::from_utf8(&line).map_err(|_| bad_request())?;
    if line.trim().is_empty() {
        return Err(Refused::Closed);
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    let too_large = Refused::Status(431, "request headers too large\n");
    let (mut host, mut count, mut used) = (None, 0, 0);
    loop {
        if used >= limits.header_bytes {
            return Err(too_large);
        }
        let Some(header) = read_line(reader, limits.header_bytes - used)? else {
            return Err(too_large);
        };
        used += header.len();
        let header = std::str::from_utf8(&header).map_err(|_| bad_request())?;
        let header = header.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            break;
        }
        count += 1;
        if count > limits.headers {
            return Err(too_large);
        }
        let (name, value) = header.split_once(':').ok_or_else(bad_request)?;
        if name.eq_ignore_ascii_case("host") {
            // Two Hosts could disagree about which one was checked.
            if host.is_some() {
                return Err(bad_request());
            }
            host = Some(value.trim().to_string());
        }
    }
    Ok(Head {
        method,
        target,
        host,
    })
}

fn bad_request() -> Refused {
    Refused::Status(400, "bad request\n")
}

/// Reads one line of at most `limit` bytes, its `\n` included; `Ok(None)` when it is longer.
/// A connection that ends mid-line is [`Refused::Closed`], one that times out is a 408.
fn read_line(reader: &mut impl BufRead, limit: usize) -> Result<Option<Vec<u8>>, Refused> {
    let mut line = Vec::new();
    match reader
        .by_ref()
        .take(limit as u64)
        .read_until(b'\n', &mut line)
    {
        Ok(_) => {}
        Err(e) if is_timeout(&e) => return Err(Refused::Status(408, "request timeout\n")),
        Err(_) => return Err(Refused::Closed),
    }
    if line.ends_with(b"\n") {
        Ok(Some(line))
    } else if line.len() >= limit {
        Ok(None)
    } else {
        // The client closed before the end of the line.
        Err(Refused::Closed)
    }
}

/// A read timeout shows as `WouldBlock` on Unix and `TimedOut` on Windows.
fn is_timeout(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
    )
}

/// A stream whose reads all end by `deadline`: the whole request head must arrive in time,
/// so a client trickling a byte every few seconds cannot hold a worker for long. Past the
/// deadline nothing is waited for, but what has already arrived is still read: a request
/// sent at once and queued behind idle connections until its deadline passed is answered,
/// not refused with 408.
struct Deadline<'a> {
    stream: &'a TcpStream,
    deadline: Instant,
}

impl Read for Deadline<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        let mut stream = self.stream;
        if left.is_zero() {
            stream.set_nonblocking(true)?;
            let read = stream.read(buf);
            stream.set_nonblocking(false)?;
            return match read {
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    Err(std::io::ErrorKind::TimedOut.into())
                }
                other => other,
            };
        }
        stream.set_read_timeout(Some(left))?;
        stream.read(buf)
    }
}

/// Closes after an early answer (the request not read to its end) without a reset: closing a
/// socket with unread input sends RST, which can throw the answer away before the client reads
/// it. So send FIN first, then read and drop what is in flight, at most 64 KiB within 1 s.
fn linger(stream: &TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    let mut rest = Deadline {
        stream,
        deadline: Instant::now() + Duration::from_secs(1),
    };
    let _ = std::io::copy(&mut (&mut rest).take(64 << 10), &mut std::io::sink());
}

/// Whether a `Host` header names this server: `127.0.0.1`, `localhost` or `[::1]` with the
/// bound port, which may be left out only when it is 80. Any other name is a page on another
/// site reaching the server through DNS rebinding.
fn host_allowed(host: &str, port: u16) -> bool {
    let host = host.to_ascii_lowercase();
    let (name, given) = match host.rsplit_once(':') {
        // `[::1]` alone splits inside the brackets: no port there.
        Some((name, given)) if !given.contains(']') => (name, Some(given)),
        _ => (host.as_str(), None),
    };
    let port_ok = match given {
        Some(given) => given.parse::<u16>() == Ok(port),
        None => port == 80,
    };
    port_ok && matches!(name, "127.0.0.1" | "localhost" | "[::1]")
}

/// The Content-Security-Policy of every HTML page: no inline scripts or styles, no eval; the
/// wasm may compile.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

/// A plain-text answer that is not a file: an error, with its reason in the body.
fn refuse(stream: &TcpStream, code: u16, text: &str, head: bool) -> std::io::Result<()> {
    respond(
        stream,
        code,
        "text/plain; charset=utf-8",
        text.as_bytes(),
        head,
        false,
    )
}

/// Whether `path` (under `root`) is one of the files a course page on another origin may load:
/// the modules, wasm, catalogs and data of the site (`www/`, a `dist` site's `www-<version>/`
/// and its `optiscape-lab.js`, `data/`), which are sent with `Access-Control-Allow-Origin: *` as a static host such as
/// GitHub Pages sends it. The rest of the repo (sources, tests) is not readable cross-origin.
pub fn shared(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    (rel.components().count() > 1
        && (first == "www" || first == "data" || first.starts_with("www-")))
        || rel == Path::new(crate::dist::ELEMENT_STUB)
}

fn respond(
    stream: &TcpStream,
    code: u16,
    mime: &str,
    body: &[u8],
    head: bool,
    csp: bool,
) -> std::io::Result<()> {
    respond_with(stream, code, mime, body, head, csp, false)
}

fn respond_with(
    mut stream: &TcpStream,
    code: u16,
    mime: &str,
    body: &[u8],
    head: bool,
    csp: bool,
    cors: bool,
) -> std::io::Result<()> {
    let reason = match code {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Error",
    };
    let csp = if csp {
        format!("Content-Security-Policy: {CSP}\r\n")
    } else {
        String::new()
    };
    let cors = if cors {
        "Access-Control-Allow-Origin: *\r\n"
    } else {
        ""
    };
    write!(
        stream,
        "HTTP/1.1 {code} {reason}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n{csp}{cors}Connection: close\r\n\r\n",
        body.len()
    )?;
    if !head {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// Maps a request target to a file under `root`, or `None` when it must be a 404: a path
/// that leaves the root, names a hidden entry (`.git`), or is not a file. `/` and folders
/// serve their `index.html`. Symlinks are followed only while they stay under the root and
/// reach no hidden entry there.
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
    if !out.is_file() {
        return None;
    }
    // Where the file really is, every symlink resolved, must still be under the real root.
    let (real, real_root) = (out.canonicalize().ok()?, root.canonicalize().ok()?);
    let inside = real.strip_prefix(&real_root).ok()?;
    let hidden = inside
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    (!hidden).then_some(out)
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
    use std::sync::atomic::{AtomicUsize, Ordering};

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

    /// A fresh directory under the system's temp folder, removed on drop.
    struct TempRoot(PathBuf);

    impl TempRoot {
        fn new(files: &[(&str, &str)]) -> TempRoot {
            static COUNT: AtomicUsize = AtomicUsize::new(0);
            let n = COUNT.fetch_add(1, Ordering::Relaxed);
            let path = std::env::temp_dir()
                .join(format!("optiscape-serve-test-{}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&path);
            for (name, text) in files {
                let file = path.join(name);
                std::fs::create_dir_all(file.parent().unwrap()).unwrap();
                std::fs::write(file, text).unwrap();
            }
            std::fs::create_dir_all(&path).unwrap();
            TempRoot(path)
        }
    }

    impl Drop for TempRoot {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// `127.0.0.1:PORT` from a base URL.
    fn host_of(base: &str) -> &str {
        base.trim_start_matches("http://").trim_end_matches('/')
    }

    /// Sends `request` as is and returns everything the server answers until it closes
    /// (or resets) the connection.
    fn exchange(base: &str, request: &[u8]) -> String {
        let mut s = TcpStream::connect(host_of(base)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let _ = s.write_all(request);
        read_all(&mut s)
    }

    fn read_all(s: &mut TcpStream) -> String {
        let mut out = Vec::new();
        let mut buf = [0; 4096];
        while let Ok(n @ 1..) = s.read(&mut buf) {
            out.extend_from_slice(&buf[..n]);
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    fn get(base: &str, path: &str) -> String {
        let host = host_of(base);
        exchange(
            base,
            format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes(),
        )
    }

    /// The status code of a response, 0 when there is none.
    fn status(response: &str) -> u16 {
        response
            .strip_prefix("HTTP/1.1 ")
            .and_then(|r| r.get(..3))
            .and_then(|code| code.parse().ok())
            .unwrap_or(0)
    }

    fn body(response: &str) -> &str {
        response.split_once("\r\n\r\n").map_or("", |(_, body)| body)
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

    #[test]
    fn the_site_files_are_shared_cross_origin_and_the_rest_of_the_repo_is_not() {
        let root = TempRoot::new(&[
            ("index.html", "<p>hi</p>"),
            ("www/embed/optiscape-lab.js", "x();\n"),
            ("www-0123456789ab/main.js", "y();\n"),
            (
                "optiscape-lab.js",
                "import './www-0123456789ab/embed/optiscape-lab.js';\n",
            ),
            ("data/digits.bin", "d"),
            ("src/lib.rs", "secret"),
            ("www.txt", "not a folder"),
        ]);
        let base = spawn(root.0.clone()).unwrap();
        let cors = |path: &str| {
            let r = get(&base, path);
            assert_eq!(status(&r), 200, "{path}: {r}");
            r.split("\r\n\r\n")
                .next()
                .unwrap()
                .contains("\r\nAccess-Control-Allow-Origin: *\r\n")
        };
        assert!(cors("/www/embed/optiscape-lab.js"));
        assert!(cors("/www-0123456789ab/main.js"));
        assert!(cors("/data/digits.bin"));
        assert!(cors("/optiscape-lab.js"));
        assert!(!cors("/src/lib.rs"));
        assert!(!cors("/index.html"));
        assert!(!cors("/www.txt"));
    }

    #[test]
    fn get_serves_the_file_with_its_type_and_head_sends_no_body() {
        let root = TempRoot::new(&[("index.html", "<p>hi</p>"), ("www/app.js", "go();\n")]);
        let base = spawn(root.0.clone()).unwrap();
        let js = get(&base, "/www/app.js");
        assert_eq!(status(&js), 200, "{js}");
        assert!(
            js.contains("\r\nContent-Type: text/javascript; charset=utf-8\r\n"),
            "{js}"
        );
        assert_eq!(body(&js), "go();\n");
        let index = get(&base, "/");
        assert_eq!(status(&index), 200, "{index}");
        assert_eq!(body(&index), "<p>hi</p>");
        let host = host_of(&base);
        let head = exchange(
            &base,
            format!("HEAD /www/app.js HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes(),
        );
        assert_eq!(status(&head), 200, "{head}");
        assert!(head.contains("\r\nContent-Length: 6\r\n"), "{head}");
        assert_eq!(body(&head), "");
        let post = exchange(
            &base,
            format!("POST / HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes(),
        );
        assert_eq!(status(&post), 405, "{post}");
    }

    #[test]
    fn an_over_long_request_line_is_414_and_the_next_request_is_served() {
        let root = TempRoot::new(&[("a.txt", "a\n")]);
        let base = spawn(root.0.clone()).unwrap();
        let host = host_of(&base);
        let long = format!(
            "GET /{} HTTP/1.1\r\nHost: {host}\r\n\r\n",
            "x".repeat(16 << 10)
        );
        let answer = exchange(&base, long.as_bytes());
        assert_eq!(status(&answer), 414, "{answer}");
        // Just under the limit is still a request (a 404: no such file).
        let fits = format!("GET /{} HTTP/1.1\r\nHost: {host}\r\n\r\n", "x".repeat(8000));
        assert_eq!(status(&exchange(&base, fits.as_bytes())), 404);
        let next = get(&base, "/a.txt");
        assert_eq!(status(&next), 200, "{next}");
        assert_eq!(body(&next), "a\n");
    }

    #[test]
    fn a_64_mib_line_without_a_newline_is_cut_off_at_the_limit() {
        let root = TempRoot::new(&[("a.txt", "a\n")]);
        let base = spawn(root.0.clone()).unwrap();
        let mut s = TcpStream::connect(host_of(&base)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut writer = s.try_clone().unwrap();
        // The server must answer and close long before the client is done sending.
        let sender = std::thread::spawn(move || {
            let chunk = vec![b'x'; 1 << 20];
            let mut sent = 0;
            while sent < 64 << 20 && writer.write_all(&chunk).is_ok() {
                sent += chunk.len();
            }
            sent
        });
        let answer = read_all(&mut s);
        assert_eq!(status(&answer), 414, "{answer}");
        drop(s);
        assert!(sender.join().unwrap() < 64 << 20);
        assert_eq!(status(&get(&base, "/a.txt")), 200);
    }

    /// Endless input, `pattern` over and over.
    struct Cycle(&'static [u8], usize);

    impl Read for Cycle {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            for b in buf.iter_mut() {
                *b = self.0[self.1 % self.0.len()];
                self.1 += 1;
            }
            Ok(buf.len())
        }
    }

    #[test]
    fn endless_lines_are_read_no_further_than_the_limits() {
        let limits = Limits::default();
        let mut line = BufReader::new(Cycle(b"a", 0));
        let refused = read_head(&mut line, &limits);
        assert_eq!(
            refused,
            Err(Refused::Status(414, "request line too long\n"))
        );
        assert!(line.into_inner().1 <= 2 * limits.request_line);
        let start = b"GET / HTTP/1.1\r\n".as_slice();
        let mut header = BufReader::new(start.chain(Cycle(b"a", 0)));
        assert!(matches!(
            read_head(&mut header, &limits),
            Err(Refused::Status(431, _))
        ));
        let mut headers = BufReader::new(start.chain(Cycle(b"X: y\r\n", 0)));
        assert!(matches!(
            read_head(&mut headers, &limits),
            Err(Refused::Status(431, _))
        ));
        let mut fine = b"GET /x HTTP/1.1\r\nhOsT: localhost:1\r\n\r\n".as_slice();
        assert_eq!(
            read_head(&mut fine, &limits),
            Ok(Head {
                method: "GET".into(),
                target: "/x".into(),
                host: Some("localhost:1".into()),
            })
        );
    }

    #[test]
    fn too_many_or_too_large_headers_are_431() {
        let root = TempRoot::new(&[("a.txt", "a\n")]);
        let base = spawn(root.0.clone()).unwrap();
        let host = host_of(&base);
        let with = |headers: &str| {
            let request = format!("GET /a.txt HTTP/1.1\r\nHost: {host}\r\n{headers}\r\n");
            status(&exchange(&base, request.as_bytes()))
        };
        let lines = |n: usize| (0..n).map(|i| format!("X-{i}: v\r\n")).collect::<String>();
        // Host is one of the 64.
        assert_eq!(with(&lines(63)), 200);
        assert_eq!(with(&lines(64)), 431);
        assert_eq!(with(&lines(500)), 431);
        assert_eq!(with(&format!("Cookie: {}\r\n", "c".repeat(20 << 10))), 431);
        assert_eq!(with(&format!("Cookie: {}\r\n", "c".repeat(10 << 10))), 200);
        assert_eq!(with("no colon here\r\n"), 400);
        assert_eq!(with(&format!("Host: {host}\r\n")), 400);
    }

    #[test]
    fn host_names() {
        for ok in [
            "127.0.0.1:8080",
            "localhost:8080",
            "LocalHost:8080",
            "[::1]:8080",
        ] {
            assert!(host_allowed(ok, 8080), "{ok}");
        }
        for bad in [
            "evil.example:8080",
            "127.0.0.1:8081",
            "127.0.0.1",
            "localhost",
            "[::1]",
            "127.0.0.1.evil.example:8080",
            "localhost:8080:8080",
            "",
        ] {
            assert!(!host_allowed(bad, 8080), "{bad}");
        }
        assert!(host_allowed("localhost", 80));
        assert!(host_allowed("[::1]", 80));
    }

    #[test]
    fn a_wrong_or_missing_host_is_refused() {
        let root = TempRoot::new(&[("a.txt", "a\n")]);
        let base = spawn(root.0.clone()).unwrap();
        let port = host_of(&base).rsplit_once(':').unwrap().1;
        let with = |host: &str| {
            let request = format!("GET /a.txt HTTP/1.1\r\n{host}\r\n");
            exchange(&base, request.as_bytes())
        };
        let evil = with(&format!("Host: evil.example:{port}\r\n"));
        assert_eq!(status(&evil), 421, "{evil}");
        assert!(body(&evil).contains("answers only to"), "{evil}");
        assert!(!evil.contains("a\n\r\n") && body(&evil) != "a\n");
        assert_eq!(status(&with("Host: 127.0.0.1:1\r\n")), 421);
        assert_eq!(status(&with("")), 400);
        let local = with(&format!("Host: localhost:{port}\r\n"));
        assert_eq!(status(&local), 200, "{local}");
        assert_eq!(body(&local), "a\n");
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_root_are_404() {
        use std::os::unix::fs::symlink;
        let outside = TempRoot::new(&[("secret.txt", "secret\n"), ("dir/key.txt", "key\n")]);
        let root = TempRoot::new(&[("a.txt", "a\n"), ("sub/b.txt", "b\n"), (".hidden", "h\n")]);
        symlink(outside.0.join("secret.txt"), root.0.join("leak.txt")).unwrap();
        symlink(outside.0.join("dir"), root.0.join("leakdir")).unwrap();
        symlink(root.0.join("sub/b.txt"), root.0.join("alias.txt")).unwrap();
        symlink(root.0.join(".hidden"), root.0.join("peek.txt")).unwrap();
        let base = spawn(root.0.clone()).unwrap();
        let leak = get(&base, "/leak.txt");
        assert_eq!(status(&leak), 404, "{leak}");
        assert!(!leak.contains("secret"));
        assert_eq!(status(&get(&base, "/leakdir/key.txt")), 404);
        assert_eq!(status(&get(&base, "/peek.txt")), 404);
        // A symlink that stays inside the root is served.
        let alias = get(&base, "/alias.txt");
        assert_eq!(status(&alias), 200, "{alias}");
        assert_eq!(body(&alias), "b\n");
    }

    /// Limits that make a stuck connection give up in 1 s, with a small pool.
    fn quick() -> Limits {
        Limits {
            read_timeout: Duration::from_secs(1),
            workers: 4,
            queue: 4,
            ..Limits::default()
        }
    }

    #[test]
    fn a_silent_or_trickling_client_gets_408() {
        let root = TempRoot::new(&[("a.txt", "a\n")]);
        let base = spawn_limited(root.0.clone(), false, quick()).unwrap();
        let started = Instant::now();
        let mut silent = TcpStream::connect(host_of(&base)).unwrap();
        silent
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let answer = read_all(&mut silent);
        assert_eq!(status(&answer), 408, "{answer}");
        assert!(started.elapsed() < Duration::from_secs(5));
        // A header every 300 ms: each read is quick, but the head as a whole is late.
        let started = Instant::now();
        let mut slow = TcpStream::connect(host_of(&base)).unwrap();
        slow.set_read_timeout(Some(Duration::from_millis(300)))
            .unwrap();
        let mut answer = String::new();
        for i in 0.. {
            let line = if i == 0 {
                "GET /a.txt HTTP/1.1\r\n".into()
            } else {
                format!("X-{i}: v\r\n")
            };
            if slow.write_all(line.as_bytes()).is_err() {
                break;
            }
            answer = read_all(&mut slow);
            if !answer.is_empty() || started.elapsed() > Duration::from_secs(10) {
                break;
            }
        }
        assert_eq!(status(&answer), 408, "{answer}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn idle_connections_do_not_starve_a_request() {
        let root = TempRoot::new(&[("a.txt", "a\n")]);
        let limits = quick();
        let base = spawn_limited(root.0.clone(), false, limits).unwrap();
        let started = Instant::now();
        let mut idle: Vec<TcpStream> = (0..200)
            .map(|_| TcpStream::connect(host_of(&base)).unwrap())
            .collect();
        // The 201st: answered (after a 503 or two while the pool is full) within a few seconds.
        let answer = loop {
            let answer = get(&base, "/a.txt");
            if status(&answer) != 503 || started.elapsed() > Duration::from_secs(10) {
                break answer;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        assert_eq!(status(&answer), 200, "{answer}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        // Only the workers and the queue held idle connections; the rest were turned away at
        // once instead of getting a thread each, and the held ones timed out.
        let (mut busy, mut late) = (0, 0);
        for s in &mut idle {
            s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            match status(&read_all(s)) {
                503 => busy += 1,
                408 => late += 1,
                other => panic!("an idle connection got {other}"),
            }
        }
        assert!(late >= limits.workers, "{late} timed out, {busy} busy");
        assert!(busy >= 150, "{late} timed out, {busy} busy");
    }
}
