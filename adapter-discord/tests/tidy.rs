//! Keeps the adapter's areas in one shape: every area in the registry (`areas.rs`) has its
//! folder with `mod.rs`, `ids.rs` and `render.rs`, appears in ARCHITECTURE.md's code map, and
//! every area folder is in the registry.

use std::path::{Path, PathBuf};

fn adapter_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Folders of the adapter that are no game area (they answer no slash command): each is in
/// the code map all the same.
const NOT_AREAS: &[&str] = &["web"];

#[test]
fn every_adapter_area_is_registered_has_its_files_and_is_in_the_code_map() {
    let areas = allspark_discord::areas::AREAS;
    assert!(areas.len() >= 5, "the registry lists only {areas:?}");
    let map =
        std::fs::read_to_string(adapter_src().join("../../ARCHITECTURE.md")).unwrap_or_default();
    let mut problems = Vec::new();
    for area in areas {
        for file in ["mod.rs", "ids.rs", "render.rs"] {
            if !adapter_src().join(area).join(file).is_file() {
                problems.push(format!("adapter-discord/src/{area}/{file} is missing"));
            }
        }
        if !map.contains(&format!("`adapter-discord/src/{area}/`")) {
            problems.push(format!(
                "ARCHITECTURE.md's code map misses `adapter-discord/src/{area}/`"
            ));
        }
    }
    let Ok(entries) = std::fs::read_dir(adapter_src()) else {
        panic!("no adapter-discord/src")
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if path.is_dir() && !areas.contains(&name) && !NOT_AREAS.contains(&name) {
            problems.push(format!(
                "adapter-discord/src/{name}/ is not in the registry"
            ));
        }
    }
    for folder in NOT_AREAS {
        if !map.contains(&format!("`adapter-discord/src/{folder}/`")) {
            problems.push(format!(
                "ARCHITECTURE.md's code map misses `adapter-discord/src/{folder}/`"
            ));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
