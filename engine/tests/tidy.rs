//! Keeps the code and its map telling the same story: every source file opens with a `//!`
//! saying what it is for, and every engine area appears in ARCHITECTURE.md's code map.

use std::path::{Path, PathBuf};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn every_source_file_opens_with_a_module_doc() {
    let root = workspace_root();
    let mut files = Vec::new();
    for crate_dir in [
        "engine/src",
        "engine/tests",
        "engine/benches",
        "adapter-discord/src",
        "adapter-discord/tests",
        "replay-cli/src",
        "replay-cli/tests",
    ] {
        rust_files(&root.join(crate_dir), &mut files);
    }
    assert!(
        files.len() > 20,
        "found only {} files; is the root right?",
        files.len()
    );
    let missing: Vec<String> = files
        .iter()
        .filter(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            !text.trim_start().starts_with("//!")
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "files without a `//!` opening: {missing:#?}"
    );
}

#[test]
fn every_engine_area_is_in_the_code_map() {
    let root = workspace_root();
    let map = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap_or_default();
    let mut missing = Vec::new();
    let Ok(entries) = std::fs::read_dir(root.join("engine/src")) else {
        panic!("no engine/src")
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|name| name.to_str()) else {
            continue;
        };
        let needle = if path.is_dir() {
            format!("`{name}/`")
        } else {
            format!("`{name}`")
        };
        if name != "lib.rs" && !map.contains(&needle) {
            missing.push(needle);
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md's code map misses {missing:?}"
    );
}

/// The files every engine area has, `mod.rs` (the area's public face and its `Area` impl)
/// first.
const ENGINE_AREA_FILES: &[&str] = &[
    "mod.rs",
    "command.rs",
    "event.rs",
    "state.rs",
    "rules.rs",
    "view.rs",
];

#[test]
fn every_engine_area_is_listed_once_and_has_its_files() {
    let root = workspace_root();
    let listed: Vec<&str> = allspark_engine::world::TUNING_VERSIONS
        .iter()
        .map(|(name, _)| *name)
        .collect();
    assert!(listed.len() >= 5, "areas! lists only {listed:?}");
    let mut problems = Vec::new();
    for name in &listed {
        if listed.iter().filter(|other| *other == name).count() != 1 {
            problems.push(format!("{name} is listed twice"));
        }
        for file in ENGINE_AREA_FILES {
            let path = root.join("engine/src").join(name).join(file);
            if !path.is_file() {
                problems.push(format!("engine/src/{name}/{file} is missing"));
            }
        }
    }
    // The other way round: a folder with rules is an area, so it must be in `areas!`.
    let Ok(entries) = std::fs::read_dir(root.join("engine/src")) else {
        panic!("no engine/src")
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if path.join("rules.rs").is_file() && !listed.contains(&name) {
            problems.push(format!("engine/src/{name}/ has rules but is not in areas!"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
