//! Benchmarks (placeholder until the core lands).
pub fn run() -> Result<(), String> {
    Err("not yet".into())
}
