//! How an epoch is cut into mini-batches: rows in order (or a fresh permutation per epoch),
//! consecutive slices of `batch_size`, the last partial batch kept unless `drop_last`.

/// The row ranges `[start, end)` of one epoch's batches over `n` rows.
pub fn batch_bounds(n: usize, batch_size: usize, drop_last: bool) -> Vec<(usize, usize)> {
    if batch_size == 0 {
        return Vec::new();
    }
    (0..n)
        .step_by(batch_size)
        .map(|s| (s, (s + batch_size).min(n)))
        .filter(|&(s, e)| !drop_last || e - s == batch_size)
        .collect()
}
