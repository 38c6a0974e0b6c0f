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

/// The surface lab and the scene index load the scenes from `www/scenes/scenes.json` (their
/// small wasm has no scene code): the file must be what the core builds now.
#[test]
fn the_scene_file_of_the_lab_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("www/scenes/scenes.json");
    let want = optiscape::scene::all_json().unwrap();
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have.trim_end() == want,
        "{} is not what the core builds now; write it again with\n  \
         cargo run --bin optiscape -- scene --all > www/scenes/scenes.json",
        path.display()
    );
    let parsed: serde_json::Value = serde_json::from_str(&have).unwrap();
    let ids: Vec<&str> = parsed
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    let core: Vec<&str> = scenes().iter().map(|d| d.id).collect();
    assert_eq!(ids, core);
}

/// The README's scene list (between `<!-- scenes:begin -->` and
/// `<!-- scenes:end -->`) is every scene in lecture order with its
/// title and claim as the core states them.
#[test]
fn the_readme_lists_every_scene_with_its_claim() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let (_, rest) = readme.split_once("<!-- scenes:begin -->\n").unwrap();
    let (list, _) = rest.split_once("<!-- scenes:end -->").unwrap();
    let want: Vec<String> = scenes()
        .iter()
        .enumerate()
        .map(|(i, def)| {
            let s = (def.build)().unwrap();
            let lab = serde_json::to_value(s.lab).unwrap();
            format!(
                "{}. `{}` ({}), {}: {}",
                i + 1,
                s.id,
                lab.as_str().unwrap(),
                s.title.en,
                s.claim.en
            )
        })
        .collect();
    let have: Vec<&str> = list.lines().collect();
    assert_eq!(
        have, want,
        "README.md's scene list is stale: write it again from `optiscape scene --all`"
    );
}
