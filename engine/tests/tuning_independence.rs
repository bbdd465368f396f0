//! A log rebuilds to the same World whatever today's numbers are: what a rule decided from a
//! tuning number is recorded in the log (schema 5), and older logs are read with the numbers
//! they were decided under (`pets::tuning::frozen_v4`). The test shifts the numbers through
//! the test-only skew (cooldowns, starting attack, the experience a level costs, decay) and
//! rebuilds. It is alone in its file because the skew is process-wide.

use allspark_engine::energon::EnergonCommand;
use allspark_engine::pets::tuning;
use allspark_engine::pets::{Activity, PetCommand, PetEvent};
use allspark_engine::pets::{CareAction, CareLevel, Faction, Intensity, MissionDifficulty};
use allspark_engine::slots::{Difficulty, SlotsCommand};
use allspark_engine::testing::Driver;
use allspark_engine::{Actor, Command, Event, PlayerId, World};

fn rebuild(driver: &Driver) -> World {
    let mut world = World::default();
    for event in &driver.events {
        world.evolve(event);
    }
    world
}

fn played() -> Driver {
    let mut driver = Driver::new(b"tuning-independence");
    let me = Actor::Player(PlayerId(1));
    driver.must(
        me,
        Command::Pet(PetCommand::Adopt {
            faction: Faction::Autobot,
        }),
    );
    driver.must(
        Actor::System,
        Command::Energon(EnergonCommand::Credit {
            player: PlayerId(1),
            amount: 10_000,
        }),
    );
    let item = allspark_engine::content::get()
        .items
        .values()
        .next()
        .map(|item| (item.id.clone(), item.slot))
        .expect("content has items");
    driver.must(
        Actor::System,
        Command::Pet(PetCommand::GiveItem {
            player: PlayerId(1),
            item: item.0.clone(),
        }),
    );
    driver.must(
        me,
        Command::Pet(PetCommand::Equip {
            slot: item.1,
            item: item.0,
        }),
    );
    for _ in 0..40 {
        driver.advance_secs(3 * 60 * 60);
        for command in [
            Command::Pet(PetCommand::Care {
                action: CareAction::Charge,
                level: CareLevel::Full,
            }),
            Command::Pet(PetCommand::Care {
                action: CareAction::Play,
                level: CareLevel::Quick,
            }),
            Command::Pet(PetCommand::Train {
                intensity: Intensity::Average,
            }),
            Command::Pet(PetCommand::Mission {
                difficulty: MissionDifficulty::Easy,
            }),
            Command::Energon(EnergonCommand::Scout),
            Command::Slots(SlotsCommand::Spin {
                difficulty: Difficulty::Easy,
                bet: None,
            }),
        ] {
            // Some are refused (a tired pet, say); what is accepted is what the log holds.
            let _ = driver.run(me, command);
        }
    }
    driver
}

#[test]
fn a_log_rebuilds_to_the_same_world_whatever_the_numbers_are_today() {
    allspark_engine::area::skew::set(0);
    let driver = played();
    let live = driver.world.clone();
    let pet = live.pets().get(PlayerId(1)).cloned().expect("a pet");
    assert!(
        pet.level > 1,
        "the play reached a level-up (level {})",
        pet.level
    );
    assert!(pet.stats.trainings > 0 && !pet.equipment.is_empty());

    // Today's numbers change; yesterday's log still means what it meant.
    allspark_engine::area::skew::set(7);
    assert_eq!(rebuild(&driver), live);

    // And the skew is real: a decision taken now records the new numbers.
    let mut now = driver;
    now.advance_secs(3 * 60 * 60);
    let events = now.must(
        Actor::Player(PlayerId(1)),
        Command::Pet(PetCommand::Train {
            intensity: Intensity::Average,
        }),
    );
    let ready_at = events.iter().find_map(|e| match e {
        Event::Pet(PetEvent::CooldownSet {
            activity: Activity::Train,
            ready_at,
            ..
        }) => Some(*ready_at),
        _ => None,
    });
    assert_eq!(
        ready_at,
        Some(
            now.now
                .plus_secs(tuning::train(Intensity::Average).cooldown_secs)
        ),
    );
    assert_eq!(
        tuning::train(Intensity::Average).cooldown_secs,
        tuning::frozen_v4::train_cooldown_secs(Intensity::Average) + 7
    );
    assert_eq!(rebuild(&now), now.world);

    // A log from before schema 5 (no recorded decisions) reads the same under any numbers.
    let frozen = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/frozen/v4-one-activity.log");
    let bytes = std::fs::read(&frozen).expect("the v4 frozen log");
    let read = |skew: i64| {
        allspark_engine::area::skew::set(skew);
        let events =
            allspark_engine::export::read_log(&mut bytes.as_slice()).expect("a readable export");
        let mut world = World::default();
        for event in &events {
            world.evolve(event);
        }
        world
    };
    assert_eq!(read(0), read(11));
    allspark_engine::area::skew::set(0);
}
