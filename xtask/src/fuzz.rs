//! Parser fuzzing (placeholder until the core lands).
pub fn run(_seconds: u64) -> Result<(), String> {
    Err("not yet".into())
}
