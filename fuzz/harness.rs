//! The shared loop of the native fuzzers (`fuzz/parser.rs`, `fuzz/configs.rs`): a small
//! reproducible PRNG, the settings from the environment (OPTISCAPE_FUZZ_SECONDS per target,
//! default 3; OPTISCAPE_FUZZ_SEED; OPTISCAPE_FUZZ_TARGET, a comma-separated list of the
//! targets to run), and [`fuzz`], which feeds one target inputs until its time is up. A panic,
//! a failed check or one input running longer than [`HANG_SECONDS`] fails the target with the
//! input (and the seed to replay it). A plain loop, no nightly needed.

pub use crate::rng::Rng;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One input that runs longer than this is a hang (the work per input is bounded far below).
pub const HANG_SECONDS: u64 = 20;

/// What the environment asks for.
pub struct Settings {
    pub seconds: f64,
    pub seed: u64,
    only: Option<Vec<String>>,
}

impl Settings {
    pub fn from_env() -> Settings {
        let seconds = std::env::var("OPTISCAPE_FUZZ_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(3.0);
        let seed = std::env::var("OPTISCAPE_FUZZ_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(1)
            })
            | 1;
        let only = std::env::var("OPTISCAPE_FUZZ_TARGET")
            .ok()
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.split(',').map(|t| t.trim().to_string()).collect());
        Settings {
            seconds,
            seed,
            only,
        }
    }

    /// Whether `target` is to run (all of them unless OPTISCAPE_FUZZ_TARGET names some).
    pub fn wants(&self, target: &str) -> bool {
        self.only
            .as_ref()
            .is_none_or(|names| names.iter().any(|n| n == target))
    }
}

/// Text of a caught panic.
fn panic_text(panic: Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// At most 4000 characters of `s` for a report (the whole input is written to a file).
fn shown(s: &str) -> String {
    match s.char_indices().nth(4000) {
        Some((i, _)) => format!("{:?}… ({} bytes in all)", &s[..i], s.len()),
        None => format!("{s:?}"),
    }
}

/// Writes a failing input to `target/fuzz/<target>-<seed>.txt` and says where.
fn save(target: &str, seed: u64, input: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz");
    let path = dir.join(format!("{target}-{seed}.txt"));
    match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, input)) {
        Ok(()) => format!("the whole input is in {}", path.display()),
        Err(e) => format!("(could not save the input: {e})"),
    }
}

/// Fails the process: the input, why, and how to replay it.
fn fail(target: &str, seed: u64, input: &str, why: &str) -> ! {
    let _ = std::panic::take_hook();
    println!("FAILED fuzz {target} on input {}: {why}", shown(input));
    println!("{}", save(target, seed, input));
    println!("replay: OPTISCAPE_FUZZ_SEED={seed} OPTISCAPE_FUZZ_TARGET={target}");
    println!("test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out");
    std::process::exit(1);
}

/// Feeds `target` inputs from `make` for `settings.seconds` and checks each with `check`
/// (`Ok(true)`: accepted, `Ok(false)`: refused with a typed error, `Err`: a failed check; a
/// panic fails too). Returns the number of inputs. Every input is
/// first tried from the corpus as is (`corpus`), then mutated ones follow.
pub fn fuzz(
    target: &str,
    settings: &Settings,
    corpus: &[String],
    mut make: impl FnMut(&mut Rng) -> String,
    mut check: impl FnMut(&str) -> Result<bool, String>,
) -> u64 {
    // A watchdog: an input still running after HANG_SECONDS fails the run from its thread.
    let current: Arc<Mutex<(Instant, String)>> =
        Arc::new(Mutex::new((Instant::now(), String::new())));
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watchdog = {
        let (current, done, target, seed) = (
            current.clone(),
            done.clone(),
            target.to_string(),
            settings.seed,
        );
        std::thread::spawn(move || {
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(200));
                let Ok((since, input)) = current.lock().map(|c| c.clone()) else {
                    continue;
                };
                if since.elapsed() > Duration::from_secs(HANG_SECONDS) && !input.is_empty() {
                    fail(
                        &target,
                        seed,
                        &input,
                        &format!("no answer after {HANG_SECONDS} s (a hang)"),
                    );
                }
            }
        })
    };
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(settings.seed);
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(settings.seconds);
    let (mut cases, mut accepted) = (0u64, 0u64);
    let mut seeds = corpus.iter();
    loop {
        let input = match seeds.next() {
            Some(s) => s.clone(),
            None if Instant::now() >= deadline => break,
            None => make(&mut rng),
        };
        if let Ok(mut c) = current.lock() {
            c.0 = Instant::now();
            c.1.clone_from(&input);
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| check(&input)));
        let failure = match outcome {
            Ok(Ok(ok)) => {
                accepted += u64::from(ok);
                None
            }
            Ok(Err(why)) => Some(why),
            Err(panic) => Some(format!("panic: {}", panic_text(panic))),
        };
        if let Some(why) = failure {
            fail(target, settings.seed, &input, &why);
        }
        cases += 1;
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = watchdog.join();
    let _ = std::panic::take_hook();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "fuzz {target}: {cases} inputs ({accepted} accepted) in {secs:.1} s ({:.0} inputs/s), no panic",
        cases as f64 / secs.max(1e-9)
    );
    cases
}

/// A named target: runs for the settings' time and returns its count of inputs.
pub type Target<'a> = (&'a str, &'a dyn Fn(&Settings) -> u64);

/// Runs the named targets that the settings want and prints libtest's summary line (so
/// `cargo xtask test` counts each target as a test).
pub fn main_of(what: &str, targets: &[Target]) {
    let settings = Settings::from_env();
    println!(
        "fuzzing {what} for {} s a target (OPTISCAPE_FUZZ_SEED={})",
        settings.seconds, settings.seed
    );
    let mut passed = 0;
    for (name, run) in targets {
        if settings.wants(name) {
            run(&settings);
            passed += 1;
        }
    }
    println!("test result: ok. {passed} passed; 0 failed; 0 ignored; 0 measured; 0 filtered out");
}
