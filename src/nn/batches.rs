//! How an epoch is cut into mini-batches: rows in order (or a fresh permutation per epoch),
//! consecutive slices of `batch_size`, the last partial batch kept unless `drop_last`; and
//! which batch sizes batch norm can train with (no batch of a single row).

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

/// Whether an epoch of `n` rows cut into batches of `batch_size` has a batch of a single row,
/// which train-mode batch norm cannot normalize (torch: "Expected more than 1 value per
/// channel when training").
pub fn has_single_row_batch(n: usize, batch_size: usize, drop_last: bool) -> bool {
    batch_bounds(n, batch_size, drop_last)
        .iter()
        .any(|&(s, e)| e - s == 1)
}

/// The batch size nearest to `batch_size` (the smaller one on a tie) that leaves no batch of a
/// single row in an epoch of `n` rows, for batch norm; `None` when there is none (n < 2).
pub fn batch_norm_batch_size(n: usize, batch_size: usize, drop_last: bool) -> Option<usize> {
    if n < 2 {
        return None;
    }
    let ok = |b: usize| (1..=n).contains(&b) && !has_single_row_batch(n, b, drop_last);
    let b = batch_size.clamp(1, n);
    (0..n).find_map(|d| {
        [b.checked_sub(d), b.checked_add(d)]
            .into_iter()
            .flatten()
            .find(|&c| ok(c))
    })
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

    #[test]
    fn batch_norm_needs_batches_of_two_rows_or_more() {
        use super::{batch_norm_batch_size, has_single_row_batch};
        assert!(has_single_row_batch(10, 1, false));
        assert!(has_single_row_batch(10, 3, false)); // 3 + 3 + 3 + 1
        assert!(!has_single_row_batch(10, 3, true));
        assert!(!has_single_row_batch(10, 4, false));
        assert_eq!(batch_norm_batch_size(10, 1, false), Some(2));
        assert_eq!(batch_norm_batch_size(10, 3, false), Some(2));
        assert_eq!(batch_norm_batch_size(10, 4, false), Some(4));
        assert_eq!(batch_norm_batch_size(10, 99, false), Some(10));
        assert_eq!(batch_norm_batch_size(1, 1, false), None);
    }
}
