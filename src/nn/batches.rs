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

#[cfg(test)]
mod tests {
    use super::batch_bounds;

    #[test]
    fn the_last_partial_batch_is_kept_unless_dropped() {
        assert_eq!(batch_bounds(7, 3, false), vec![(0, 3), (3, 6), (6, 7)]);
        assert_eq!(batch_bounds(7, 3, true), vec![(0, 3), (3, 6)]);
        assert_eq!(batch_bounds(5, 10, false), vec![(0, 5)]);
        assert!(batch_bounds(5, 10, true).is_empty());
        assert!(batch_bounds(5, 0, false).is_empty());
    }
}
