//! One stable ordering by float keys for the core. Each `sort_by` on another element type or
//! with another comparator is a copy of the standard library's sort in the wasm (5–7 KB each),
//! so the places that order pairs or records by one float sort indices here instead.

/// The indices of `keys` in ascending [`f64::total_cmp`] order, ties in index order: the order
/// in which a stable `sort_by(|a, b| a.key.total_cmp(&b.key))` leaves records with these keys.
pub fn ascending(keys: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| keys[a].total_cmp(&keys[b]));
    order
}

/// The indices of `keys` in descending [`f64::total_cmp`] order, ties in index order (a stable
/// `sort_by(|a, b| b.key.total_cmp(&a.key))`): [`ascending`] of the negated keys, as negation
/// reverses the total order exactly (NaN and ±0 included).
pub fn descending(keys: &[f64]) -> Vec<usize> {
    let negated: Vec<f64> = keys.iter().map(|k| -k).collect();
    ascending(&negated)
}

/// `items` in ascending [`f64::total_cmp`] order of `key`, ties in their order: a stable
/// `sort_by(|a, b| key(a).total_cmp(&key(b)))` through the one sort above (a negated key gives
/// the descending order, as in [`descending`]).
pub fn sorted_by<T: Copy>(items: &[T], key: impl Fn(&T) -> f64) -> Vec<T> {
    let keys: Vec<f64> = items.iter().map(key).collect();
    ascending(&keys).into_iter().map(|i| items[i]).collect()
}

/// `values` sorted ascending by [`f64::total_cmp`], in place: what `sort_by(f64::total_cmp)`
/// does (keys equal under the total order are the same bits, so stability does not show).
pub fn sort(values: &mut [f64]) {
    let sorted = sorted_by(values, |v| *v);
    values.copy_from_slice(&sorted);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Keys with ties, both zeros, infinities and NaNs of both signs.
    fn key() -> impl Strategy<Value = f64> {
        prop_oneof![
            (-3i32..4).prop_map(f64::from),
            Just(0.0),
            Just(-0.0),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            Just(f64::NAN),
            Just(-f64::NAN),
            -1e3f64..1e3,
        ]
    }

    proptest! {
        #[test]
        fn the_orders_are_the_stable_sorts_of_the_records(keys in prop::collection::vec(key(), 0..40)) {
            let records: Vec<(f64, usize)> = keys.iter().copied().zip(0..).collect();
            let mut up = records.clone();
            up.sort_by(|a, b| a.0.total_cmp(&b.0));
            prop_assert_eq!(ascending(&keys), up.iter().map(|r| r.1).collect::<Vec<_>>());
            let mut down = records.clone();
            down.sort_by(|a, b| b.0.total_cmp(&a.0));
            prop_assert_eq!(descending(&keys), down.iter().map(|r| r.1).collect::<Vec<_>>());
            prop_assert_eq!(sorted_by(&records, |r| -r.0).iter().map(|r| r.1).collect::<Vec<_>>(), down.iter().map(|r| r.1).collect::<Vec<_>>());
            let (mut ours, mut theirs) = (keys.clone(), keys);
            sort(&mut ours);
            theirs.sort_by(f64::total_cmp);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            prop_assert_eq!(bits(&ours), bits(&theirs));
        }
    }
}
