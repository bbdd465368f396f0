//! The JSON Schemas in `schemas/` are generated from the Rust content types. This test fails
//! when the committed schemas drift from the code, and validates every embedded content file
//! against its schema.
//!
//! To regenerate after changing a content type:
//! `UPDATE_SCHEMAS=1 cargo test -p allspark-engine --test engine schemas::`

use std::path::PathBuf;

use allspark_engine::battle::content::EnemiesFile;
use allspark_engine::content::FILES;
use allspark_engine::fun::content::{GreetingsFile, RangeFile, TriviaFile};
use allspark_engine::market::content::{HolidaysFile, NewsFile};
use allspark_engine::pets::content::{ItemsFile, MissionsFile, PetNamesFile};
use allspark_engine::recruit::content::RecruitFile;
use allspark_engine::slots::content::SlotsFile;
use allspark_engine::social::content::{
    AchievementsFile, IdentityFile, QuizFile, TalkFile, TopicsFile,
};

/// Each content file, the schema file it is checked against, and that schema generated now.
fn generated() -> Vec<(&'static str, &'static str, serde_json::Value)> {
    let to_json = |schema: schemars::Schema| schema.to_value();
    vec![
        (
            "items.json",
            "content-items.schema.json",
            to_json(schemars::schema_for!(ItemsFile)),
        ),
        (
            "pet_names.json",
            "content-pet-names.schema.json",
            to_json(schemars::schema_for!(PetNamesFile)),
        ),
        (
            "missions.json",
            "content-missions.schema.json",
            to_json(schemars::schema_for!(MissionsFile)),
        ),
        (
            "slots.json",
            "content-slots.schema.json",
            to_json(schemars::schema_for!(SlotsFile)),
        ),
        (
            "enemies.json",
            "content-enemies.schema.json",
            to_json(schemars::schema_for!(EnemiesFile)),
        ),
        (
            "recruit.json",
            "content-recruit.schema.json",
            to_json(schemars::schema_for!(RecruitFile)),
        ),
        (
            "market_news.json",
            "content-market-news.schema.json",
            to_json(schemars::schema_for!(NewsFile)),
        ),
        (
            "market_holidays.json",
            "content-market-holidays.schema.json",
            to_json(schemars::schema_for!(HolidaysFile)),
        ),
        (
            "talk.json",
            "content-talk.schema.json",
            to_json(schemars::schema_for!(TalkFile)),
        ),
        (
            "lore_topics.json",
            "content-lore-topics.schema.json",
            to_json(schemars::schema_for!(TopicsFile)),
        ),
        (
            "identity.json",
            "content-identity.schema.json",
            to_json(schemars::schema_for!(IdentityFile)),
        ),
        (
            "quiz.json",
            "content-quiz.schema.json",
            to_json(schemars::schema_for!(QuizFile)),
        ),
        (
            "achievements.json",
            "content-achievements.schema.json",
            to_json(schemars::schema_for!(AchievementsFile)),
        ),
        (
            "greetings.json",
            "content-greetings.schema.json",
            to_json(schemars::schema_for!(GreetingsFile)),
        ),
        (
            "range.json",
            "content-range.schema.json",
            to_json(schemars::schema_for!(RangeFile)),
        ),
        (
            "trivia.json",
            "content-trivia.schema.json",
            to_json(schemars::schema_for!(TriviaFile)),
        ),
        (
            "walktru.json",
            "content-walktru.schema.json",
            to_json(schemars::schema_for!(allspark_engine::fun::story::WalkFile)),
        ),
        (
            "combiners.json",
            "content-combiners.schema.json",
            to_json(schemars::schema_for!(
                allspark_engine::fun::combiner::CombinerNamesFile
            )),
        ),
        (
            "games.json",
            "content-games.schema.json",
            to_json(schemars::schema_for!(
                allspark_engine::fun::games::GamesFile
            )),
        ),
        (
            "rpg_classes.json",
            "content-rpg-classes.schema.json",
            to_json(schemars::schema_for!(
                allspark_engine::rpg::content::ClassesFile
            )),
        ),
        (
            "rpg_items.json",
            "content-rpg-items.schema.json",
            to_json(schemars::schema_for!(
                allspark_engine::rpg::content::GearFile
            )),
        ),
        (
            "rpg_tales.json",
            "content-rpg-tales.schema.json",
            to_json(schemars::schema_for!(
                allspark_engine::rpg::content::TalesFile
            )),
        ),
    ]
}

fn schemas_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

fn pretty(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// Schemas of the engine's API boundary types (no content file to validate).
fn api_schemas() -> Vec<(&'static str, serde_json::Value)> {
    use allspark_engine::scenario::{ScenarioFile, ScenarioOutcome};
    use allspark_engine::{Command, Event, Rejection};
    vec![
        (
            "command.schema.json",
            schemars::schema_for!(Command).to_value(),
        ),
        ("event.schema.json", schemars::schema_for!(Event).to_value()),
        (
            "rejection.schema.json",
            schemars::schema_for!(Rejection).to_value(),
        ),
        (
            "fixture-scenario.schema.json",
            schemars::schema_for!(ScenarioFile).to_value(),
        ),
        (
            "fixture-outcome.schema.json",
            schemars::schema_for!(ScenarioOutcome).to_value(),
        ),
    ]
}

#[test]
fn committed_schemas_match_the_rust_types() {
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
    let mut stale = Vec::new();
    let all = generated()
        .into_iter()
        .map(|(_, file, schema)| (file, schema))
        .chain(api_schemas());
    for (schema_file, schema) in all {
        let path = schemas_dir().join(schema_file);
        let expected = pretty(&schema);
        if update {
            if let Err(error) = std::fs::write(&path, &expected) {
                panic!("cannot write {}: {error}", path.display());
            }
            continue;
        }
        if std::fs::read_to_string(&path).ok().as_deref() != Some(expected.as_str()) {
            stale.push(schema_file);
        }
    }
    assert!(
        stale.is_empty(),
        "schemas differ from the Rust types: {stale:?}\nregenerate with: UPDATE_SCHEMAS=1 cargo test -p allspark-engine --test engine schemas::"
    );
}

#[test]
fn every_content_file_validates_against_its_schema() {
    let mut problems = Vec::new();
    for (content_file, _, schema) in generated() {
        let Some((_, text)) = FILES.iter().find(|(name, _)| *name == content_file) else {
            problems.push(format!("{content_file}: not embedded"));
            continue;
        };
        let instance: serde_json::Value = match serde_json::from_str(text) {
            Ok(value) => value,
            Err(error) => {
                problems.push(format!("{content_file}: not JSON: {error}"));
                continue;
            }
        };
        let validator = match jsonschema::validator_for(&schema) {
            Ok(validator) => validator,
            Err(error) => panic!("schema for {content_file} is not valid: {error}"),
        };
        for error in validator.iter_errors(&instance) {
            problems.push(format!(
                "{content_file} at {}: {error}",
                error.instance_path()
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "content does not match its schema:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_fixture_scenario_validates_against_its_schema() {
    let schema = api_schemas()
        .into_iter()
        .find(|(name, _)| *name == "fixture-scenario.schema.json")
        .map(|(_, s)| s)
        .unwrap_or_default();
    let validator = jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{e}"));
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/scenarios");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".json") || name.ends_with(".golden.json") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let stripped: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let value: serde_json::Value =
            serde_json::from_str(&stripped).unwrap_or_else(|e| panic!("{name}: {e}"));
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {}", errors.join("; "));
        checked += 1;
    }
    assert!(checked >= 20);
}

#[test]
fn the_validator_catches_a_wrong_field() {
    let (_, _, schema) = generated().remove(0);
    let validator = match jsonschema::validator_for(&schema) {
        Ok(validator) => validator,
        Err(error) => panic!("{error}"),
    };
    let bad = serde_json::json!({"items": [{"id": "core.x", "name": "X", "slot": "pocket", "rarity": "common",
        "bonus": {"attack": 1, "defense": 0, "energy_max": 0, "happiness_max": 0, "maintenance_max": 0},
        "description": "d", "unlock_message": "u"}]});
    assert!(!validator.is_valid(&bad));
}
