//! The import from the original bot (`legacy`): a checkout made in the original's shape
//! (`fixtures/legacy`, with broken files among the good ones) imported twice into a sled store.
//! The first run imports every good file whole and skips every broken one with its reason; the
//! second imports nothing and changes no byte of the log; `check` is clean after both; no
//! username reaches the store; a player who already played here is left alone.

use std::path::{Path, PathBuf};

use allspark_engine::check::check;
use allspark_engine::legacy::{self, FileOutcome, ImportReport, LegacyImport};
use allspark_engine::market::tuning::MICRO;
use allspark_engine::pets::content::{ItemId, Slot};
use allspark_engine::pets::Faction;
use allspark_engine::player::{PlayerCommand, PlayerRejection};
use allspark_engine::runtime::log_dir;
use allspark_engine::slots::Difficulty;
use allspark_engine::{
    Actor, Command, CommandId, Engine, EngineConfig, Outcome, PlayerId, Rejection, SledLog,
};

fn checkout() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/legacy")
}

const ZED: PlayerId = PlayerId(100000000000000001);
const OLD: PlayerId = PlayerId(100000000000000002);
const QUIET: PlayerId = PlayerId(100000000000000003);
const NEWCOMER: PlayerId = PlayerId(100000000000000010);

fn import(data: &Path, dir: &Path) -> ImportReport {
    let engine = Engine::open_dir(data, EngineConfig::default()).expect("open");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let report = runtime
        .block_on(legacy::import_dir(&engine, dir))
        .expect("the run itself works");
    engine.shutdown();
    report
}

/// Every event's stored bytes, in order.
fn log_bytes(data: &Path) -> Vec<u8> {
    let log = SledLog::open_for_reading(&log_dir(data)).expect("open the log");
    let mut out = Vec::new();
    allspark_engine::export::write_log(&log, &mut out).expect("export");
    out
}

fn line<'a>(report: &'a ImportReport, file: &str) -> &'a legacy::FileLine {
    report
        .lines
        .iter()
        .find(|l| l.file == file)
        .unwrap_or_else(|| panic!("no line for {file} in\n{}", report.text()))
}

fn skipped_for(report: &ImportReport, file: &str) -> String {
    match &line(report, file).outcome {
        FileOutcome::Skipped(reason) => reason.clone(),
        other => panic!("{file} was {other:?}, not skipped\n{}", report.text()),
    }
}

#[test]
fn a_checkout_is_imported_once_whole_and_broken_files_are_skipped_with_reasons() {
    let data = tempfile::tempdir().expect("temp dir");
    // The newcomer already played on this bot before the import.
    {
        let engine = Engine::open_dir(data.path(), EngineConfig::default()).expect("open");
        let reply = engine
            .execute_blocking(engine.envelope(
                CommandId(1),
                Actor::Player(NEWCOMER),
                Command::Player(PlayerCommand::Join),
            ))
            .expect("answers");
        assert!(reply.outcome.is_accepted());
        engine.shutdown();
    }

    let first = import(data.path(), &checkout());
    let text = first.text();
    assert_eq!(
        first.folders,
        vec![
            "Systems/Data/Users".to_string(),
            "Systems/Users".to_string()
        ],
        "{text}"
    );
    assert_eq!(first.lines.len(), 14, "{text}");
    assert_eq!(
        (first.imported(), first.already_imported(), first.skipped()),
        (3, 0, 11),
        "{text}"
    );
    let d = |name: &str| format!("Systems/Data/Users/{name}");
    for (file, events) in [
        // And two RPG characters for one, one for the other.
        (d("100000000000000001.json"), 9),
        (d("100000000000000002.json"), 7),
    ] {
        assert_eq!(
            line(&first, &file).outcome,
            FileOutcome::Imported { events },
            "{text}"
        );
    }
    // Joined, Imported, Credited: no bank, no pet, no spins, no coins.
    assert_eq!(
        line(&first, &d("100000000000000003.json")).outcome,
        FileOutcome::Imported { events: 3 }
    );
    let reasons = [
        ("100000000000000004.json", "not valid JSON"),
        ("100000000000000005.json", "energon.energon is not a number"),
        (
            "100000000000000006.json",
            "energon.energon_bank is negative (-5)",
        ),
        (
            "100000000000000007.json",
            "unknown pet format at pets.pet_data",
        ),
        ("100000000000000008.json", "the file is empty"),
        ("100000000000000009.json", "does not match the file name"),
        ("100000000000000010.json", "already plays on this bot"),
        (
            "100000000000000011.json",
            "rpg.characters[0].class_type `bard` is not a class here",
        ),
        (
            "not-a-number.json",
            "the file name is not a Discord user id",
        ),
    ];
    for (file, reason) in reasons {
        let got = skipped_for(&first, &d(file));
        assert!(got.contains(reason), "{file}: {got}");
    }
    // The README's folder holds an older copy of a player the code's folder already brought.
    assert!(skipped_for(&first, "Systems/Users/100000000000000001.json")
        .contains("already plays on this bot"));
    assert!(skipped_for(&first, "Systems/Users/energon_global.json").contains("not a Discord"));

    // What was reported for the good files.
    let zed = line(&first, &d("100000000000000001.json"));
    let summary = zed.summary.as_deref().unwrap_or_default();
    assert!(
        summary.contains("120 energon in the wallet, 34 in the bank")
            && summary.contains("a level 4 pet with 2 item(s)")
            && summary.contains("12 slot spins")
            && summary.contains("2.500000 CyberCoin")
            && summary.contains("2 RPG character(s)"),
        "{summary}"
    );
    let notes = zed.notes.join("\n");
    assert!(
        notes.contains("2 item(s) not kept")
            && notes.contains("mood_lifter_module")
            && notes.contains("spark_cell_mk2")
            && notes.contains("shooting range")
            && notes.contains("pet name not brought over")
            && notes.contains("battle record")
            && notes.contains("RPG character 1: 3 piece(s) of gear not kept")
            && notes.contains("RPG character 2: name changed"),
        "{notes}"
    );
    let old = line(&first, &d("100000000000000002.json"));
    let notes = old.notes.join("\n");
    assert!(
        notes.contains("RPG character 1: no stats in the file, the class's starting ones given")
            && notes.contains("pet level 130 capped at 100")
            && notes.contains("old_core_id")
            && notes.contains("mystery_widget"),
        "{notes}"
    );
    assert!(line(&first, &d("100000000000000003.json"))
        .notes
        .iter()
        .any(|n| n.contains("energon.energon 50.7 rounded down")));

    // The state the imports made.
    let engine = Engine::open_dir(data.path(), EngineConfig::default()).expect("open");
    let characters = engine
        .query_blocking(|world| {
            [ZED, OLD].map(|p| {
                allspark_engine::rpg::view::characters(world, p)
                    .into_iter()
                    .map(|c| {
                        (
                            c.number,
                            c.faction,
                            c.class.clone(),
                            c.level,
                            c.xp,
                            c.stats,
                            (c.record.battles_won, c.record.battles_lost),
                            c.energon_earned,
                        )
                    })
                    .collect::<Vec<_>>()
            })
        })
        .expect("query");
    let names: Vec<Option<String>> = [(ZED, 1), (ZED, 2), (OLD, 3)]
        .iter()
        .map(|&(p, n)| {
            engine
                .personal_text(p, &allspark_engine::rpg::name_key(n))
                .ok()
                .flatten()
        })
        .collect();
    let (balances, pets, slots, positions, conserved) = engine
        .query_blocking(|world| {
            let balances: Vec<(u64, u64)> = [ZED, OLD, QUIET, NEWCOMER]
                .iter()
                .map(|&p| (world.energon().balance(p), world.energon().bank(p)))
                .collect();
            let pets = [ZED, OLD].map(|p| world.pets().get(p).cloned());
            let slots = world.slots().stats(ZED).cloned();
            let positions = [ZED, OLD].map(|p| {
                allspark_engine::market::view::portfolio(world, p).map(|p| (p.coins, p.basis))
            });
            (
                balances,
                pets,
                slots,
                positions,
                world.market().is_conserved(),
            )
        })
        .expect("query");
    engine.shutdown();
    drop(engine);
    assert_eq!(balances, vec![(120, 34), (0, 2500), (50, 0), (0, 0)]);
    // RPG characters: class, level, experience, stats and record as they stood, gear left
    // behind, names in the erasable store (cleaned to the naming rule where needed).
    use allspark_engine::rpg::Stats;
    let stats = |attack, defense, dexterity, intelligence, charisma, hp| Stats {
        attack,
        defense,
        dexterity,
        intelligence,
        charisma,
        hp,
    };
    assert_eq!(
        characters,
        [
            vec![
                (
                    1,
                    Faction::Decepticon,
                    "seeker".to_string(),
                    5,
                    2100,
                    stats(14, 7, 13, 8, 6, 260),
                    (7, 2),
                    340
                ),
                (
                    2,
                    Faction::Autobot,
                    "medic".to_string(),
                    1,
                    0,
                    stats(6, 7, 6, 10, 10, 165),
                    (0, 0),
                    0
                ),
            ],
            // Level 3 takes 500 experience; the file said 450. No stats: the class's own.
            vec![(
                3,
                Faction::Autobot,
                "warrior".to_string(),
                3,
                500,
                stats(10, 10, 7, 6, 7, 185),
                (0, 0),
                0
            )],
        ]
    );
    assert_eq!(
        names,
        vec![
            Some("Vex Shadowline".to_string()),
            Some("NovaPrime".to_string()),
            Some("Ironhide Jr".to_string())
        ]
    );
    let [Some(zed), Some(old)] = pets else {
        panic!("both pets were imported: {pets:?}");
    };
    assert_eq!(
        (zed.faction, zed.level, zed.xp, zed.attack, zed.defense),
        (Faction::Decepticon, 4, 209, 17, 16)
    );
    // Happiness 260 was above the 103 its (kept) items allow.
    assert_eq!((zed.energy, zed.happiness, zed.maintenance), (150, 103, 40));
    assert_eq!(
        zed.equipment.get(&Slot::ChassisPlating),
        Some(&ItemId("plating.scrapweave_mesh".into()))
    );
    assert_eq!(zed.equipment.len(), 1);
    assert_eq!(
        zed.inventory.iter().collect::<Vec<_>>(),
        vec![(&ItemId("plating.tin_patch_vest".into()), &1)]
    );
    assert_eq!(
        (zed.stats.missions_succeeded, zed.stats.missions_failed),
        (5, 4)
    );
    assert_eq!((old.faction, old.level, old.xp), (Faction::Autobot, 100, 0));
    // No maintenance in the old record: the faction's starting numbers.
    assert_eq!((old.maintenance, old.maintenance_max), (100, 100));
    assert_eq!(
        old.inventory.get(&ItemId("plating.scrapweave_mesh".into())),
        Some(&2)
    );
    let slots = slots.expect("slot record");
    assert_eq!(
        (slots.spins, slots.wins, slots.losses, slots.jackpots),
        (12, 5, 7, 1)
    );
    assert_eq!(
        (slots.payout_total, slots.highest_bet, slots.highest_payout),
        (900, 100, 600)
    );
    assert_eq!(slots.spins_by_difficulty.get(&Difficulty::Easy), Some(&10));
    assert_eq!(
        positions,
        [
            Some((2 * MICRO + MICRO / 2, 180_750_000)),
            Some((MICRO, 95 * MICRO))
        ]
    );
    assert!(conserved, "coins minted equal coins held");

    let report =
        check(&SledLog::open_for_reading(&log_dir(data.path())).expect("log")).expect("check");
    assert!(report.is_clean(), "{:?}", report.problems);

    // No username, nor the pets' old names, anywhere in the store.
    let before = log_bytes(data.path());
    for name in [
        "Pilot Zed",
        "Old Timer",
        "Quiet One",
        "Rustwing Nova",
        "Gearhart",
        "Ironhide",
        "Vex Shadowline",
        "NovaPrime",
    ] {
        assert!(
            !before.windows(name.len()).any(|w| w == name.as_bytes()),
            "{name} reached the log"
        );
    }

    // A second run: nothing imported, nothing appended.
    let second = import(data.path(), &checkout());
    assert_eq!(
        (
            second.imported(),
            second.already_imported(),
            second.skipped()
        ),
        (0, 3, 11),
        "{}",
        second.text()
    );
    assert_eq!(
        log_bytes(data.path()),
        before,
        "the second run changed the log"
    );
    let report =
        check(&SledLog::open_for_reading(&log_dir(data.path())).expect("log")).expect("check");
    assert!(report.is_clean(), "{:?}", report.problems);
}

#[test]
fn a_changed_file_for_an_imported_player_is_refused_by_the_rule() {
    // Another copy of an imported player's file has another command id; the rule refuses it.
    let data = tempfile::tempdir().expect("temp dir");
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("100000000000000003.json");
    std::fs::write(&file, r#"{"energon": {"energon": 5}}"#).expect("write");
    assert_eq!(import(data.path(), dir.path()).imported(), 1);
    std::fs::write(&file, r#"{"energon": {"energon": 500000}}"#).expect("write");
    let again = import(data.path(), dir.path());
    assert_eq!(
        (again.imported(), again.skipped()),
        (0, 1),
        "{}",
        again.text()
    );
    let engine = Engine::open_dir(data.path(), EngineConfig::default()).expect("open");
    let wallet = engine
        .query_blocking(|world| world.energon().balance(QUIET))
        .expect("query");
    engine.shutdown();
    drop(engine);
    assert_eq!(wallet, 5);
}

#[test]
fn the_rule_refuses_players_and_bad_records() {
    let log = std::sync::Arc::new(allspark_engine::MemoryLog::new());
    let (engine, _) = Engine::open(
        log,
        EngineConfig::default(),
        std::sync::Arc::new(allspark_engine::ManualClock::new(
            allspark_engine::Timestamp(1_767_225_600_000),
        )),
    )
    .expect("open");
    let record = legacy::read_file("100000000000000042.json", br#"{"energon": {"energon": 9}}"#)
        .expect("reads")
        .import;
    let send = |id: u128, actor: Actor, import: LegacyImport| {
        engine
            .execute_blocking(engine.envelope(
                CommandId(id),
                actor,
                Command::Player(PlayerCommand::ImportLegacy(Box::new(import))),
            ))
            .expect("answers")
            .outcome
    };
    // A player may not import themselves.
    let outcome = send(1, Actor::Player(record.player), record.clone());
    assert!(
        matches!(
            &outcome,
            Outcome::Rejected(Rejection::Player(PlayerRejection::ImportInvalid { what })) if what.contains("operator")
        ),
        "{outcome:?}"
    );
    // An item this bot doesn't have, in a record made by hand.
    let mut bad = record.clone();
    bad.pet = Some(
        legacy::read_file(
            "100000000000000042.json",
            br#"{"pets": {"pet_data": {"faction": "Autobot", "level": 2}}}"#,
        )
        .expect("reads")
        .import
        .pet
        .expect("a pet"),
    );
    bad.pet
        .as_mut()
        .expect("pet")
        .inventory
        .insert(ItemId("nothing.here".into()), 1);
    assert!(matches!(
        send(2, Actor::System, bad),
        Outcome::Rejected(Rejection::Player(PlayerRejection::ImportInvalid { .. }))
    ));
    // Too much energon.
    let mut rich = record.clone();
    rich.wallet = u64::MAX;
    rich.bank = 1;
    assert!(matches!(
        send(3, Actor::System, rich),
        Outcome::Rejected(Rejection::Player(PlayerRejection::ImportInvalid { .. }))
    ));
    // RPG characters made by hand: an unknown class, a level its experience doesn't reach, a
    // name the naming rule refuses, four characters.
    let character = legacy::read_file(
        "100000000000000042.json",
        br#"{"rpg": {"characters": [{"name": "Keel", "faction": "autobot", "class_type": "scout", "level": 2, "experience": 150}]}}"#,
    )
    .expect("reads")
    .import
    .characters
    .remove(0);
    type Spoil = fn(&mut legacy::LegacyCharacter);
    let refusals: [(&str, Spoil); 5] = [
        ("no RPG class", |c| c.class = "bard".into()),
        ("level and experience disagree", |c| c.xp = 0),
        ("naming rule", |c| c.name = "<@everyone>".into()),
        ("stats are out of bounds", |c| c.stats.hp = 0),
        ("record is out of bounds", |c| c.battles_won = u32::MAX),
    ];
    for (n, (why, spoil)) in refusals.into_iter().enumerate() {
        let mut bad = record.clone();
        let mut c = character.clone();
        spoil(&mut c);
        bad.characters = vec![c];
        let outcome = send(10 + n as u128, Actor::System, bad);
        assert!(
            matches!(
                &outcome,
                Outcome::Rejected(Rejection::Player(PlayerRejection::ImportInvalid { what })) if what.contains(why)
            ),
            "{why}: {outcome:?}"
        );
    }
    let mut crowd = record.clone();
    crowd.characters = vec![character.clone(); 4];
    assert!(matches!(
        send(20, Actor::System, crowd),
        Outcome::Rejected(Rejection::Player(PlayerRejection::ImportInvalid { what })) if what.contains("more than 3")
    ));
    // The record itself, once; then the rule refuses the player.
    assert!(send(4, Actor::System, record.clone()).is_accepted());
    assert!(matches!(
        send(5, Actor::System, record),
        Outcome::Rejected(Rejection::Player(PlayerRejection::AlreadyHere { .. }))
    ));
    engine.shutdown();
}

#[test]
fn reading_refuses_what_it_cannot_read_whole() {
    let refused = |bytes: &[u8]| legacy::read_file("100000000000000042.json", bytes).unwrap_err();
    assert!(refused(b"[1, 2]").contains("not a JSON object"));
    assert!(refused(br#"{"energon": 5}"#).contains("energon is not an object"));
    assert!(refused(br#"{"pets": {"pet_data": {"level": 3}}}"#).contains("no faction"));
    assert!(refused(br#"{"rpg": {"characters": {"name": "x"}}}"#)
        .contains("rpg.characters is not a list"));
    assert!(
        refused(br#"{"rpg_characters": [{"faction": "autobot", "class_type": "scout"}]}"#)
            .contains("rpg_characters[0].name is missing")
    );
    assert!(refused(br#"{"rpg": {"characters": [{"name": "x", "faction": "maverick", "class_type": "scout"}]}}"#)
        .contains("neither Autobot nor Decepticon"));
    assert!(refused(br#"{"rpg": {"characters": [{"name": "x", "faction": "autobot", "class_type": "scout", "base_stats": {"ATT": -1}}]}}"#)
        .contains("base_stats.ATT is negative"));
    // More than three: the first three come, the rest are noted.
    let four = br#"{"rpg": {"characters": [
        {"name": "a", "faction": "autobot", "class_type": "scout"},
        {"name": "b", "faction": "autobot", "class_type": "scout"},
        {"name": "c", "faction": "autobot", "class_type": "scout"},
        {"name": "d", "faction": "autobot", "class_type": "scout"}]}}"#;
    let read = legacy::read_file("100000000000000042.json", four).expect("reads");
    assert_eq!(read.import.characters.len(), 3);
    assert!(
        read.notes
            .iter()
            .any(|n| n.contains("1 RPG character(s) past the first 3")),
        "{:?}",
        read.notes
    );
    assert!(
        refused(br#"{"pets": {"pet_data": {"faction": "Maximal", "level": 3}}}"#)
            .contains("not Autobot or Decepticon")
    );
    assert!(
        refused(br#"{"pets": {"pet_data": {"faction": "Autobot", "level": "3"}}}"#)
            .contains("pet.level is not a number")
    );
    assert!(refused(br#"{"pets": [1]}"#).contains("unknown pet format"));
    assert!(refused(br#"{"cybercoin": {"portfolio": {"total_coins": -1}}}"#).contains("negative"));
    assert!(
        refused(br#"{"slot_machine": {"total_games_played": 2, "jackpots_won": 3}}"#)
            .contains("more wins than games")
    );
    assert!(refused(br#"{"energon": {"energon": 1e300}}"#).contains("too large"));
    assert!(legacy::read_file("12.txt", b"{}").is_err());
    assert!(legacy::read_file("0.json", b"{}").is_err());
    // A file with nothing in it but an id is a player with nothing.
    let empty = legacy::read_file("12.json", b"{}").expect("reads");
    assert_eq!((empty.import.wallet, empty.import.pet), (0, None));
}
