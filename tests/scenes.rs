//! Every lecture scene's claim, measured by the core: each condition is printed with its
//! value, so a failure says which number missed.
#![cfg(not(target_arch = "wasm32"))]

use optiscape::scene::scenes;

#[test]
fn every_scene_claim_holds() {
    let mut failures = Vec::new();
    for def in scenes() {
        let check = (def.check)().unwrap_or_else(|e| panic!("{}: {e}", def.id));
        for c in &check.conditions {
            if !c.pass {
                failures.push(format!(
                    "{}: {} = {} (needs {} {})",
                    def.id, c.name, c.value, c.op, c.threshold
                ));
            }
        }
        assert_eq!(
            check.pass,
            check.conditions.iter().all(|c| c.pass),
            "{}",
            def.id
        );
        assert!(!check.conditions.is_empty(), "{} measures nothing", def.id);
    }
    assert!(
        failures.is_empty(),
        "failed claims:\n{}",
        failures.join("\n")
    );
}

#[test]
fn scenes_have_unique_ids_in_lecture_order() {
    let ids: Vec<&str> = scenes().iter().map(|s| s.id).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len());
    assert_eq!(ids[0], "saddle");
}
