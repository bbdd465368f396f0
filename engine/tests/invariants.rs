//! Properties over random command sequences touching every area (pets, energon, rush, slots,
//! erasure): energon is conserved after every command, a rejected command changes nothing (the World's
//! bytes are identical before and after), a retried command id pays once, and the live World
//! equals the World rebuilt from the log.
//!
//! The generator mixes valid and invalid input: unknown items, wrong slots, bad names, wrong
//! release tokens, bets out of range, actions on cooldown (the clock moves in random steps).

use std::sync::Arc;

use allspark_engine::codec;
use allspark_engine::content;
use allspark_engine::energon::EnergonCommand;
use allspark_engine::pets::content::{ItemId, Slot};
use allspark_engine::pets::{
    CareAction, CareLevel, Faction, Intensity, MissionDifficulty, PetCommand,
};
use allspark_engine::player::PlayerCommand;
use allspark_engine::runtime;
use allspark_engine::slots::{Difficulty, SlotsCommand};
use allspark_engine::testing::TestEngine;
use allspark_engine::{
    Actor, Command, CommandEnvelope, EngineConfig, EventLog, MemoryLog, PlayerId, Reply,
};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    Send(u8, Command),
    /// Confirm the pending release with the right token, if there is one.
    ConfirmRealRelease(u8),
    AdvanceSecs(i64),
    Retry(usize),
}

fn item_ids() -> Vec<ItemId> {
    let mut ids: Vec<ItemId> = content::get().items.keys().take(12).cloned().collect();
    ids.push(ItemId("core.does_not_exist".into()));
    ids
}

fn slot() -> impl Strategy<Value = Slot> {
    prop_oneof![
        Just(Slot::ChassisPlating),
        Just(Slot::EnergyCore),
        Just(Slot::UtilityModule)
    ]
}

fn amount() -> impl Strategy<Value = i64> {
    prop_oneof![6 => 1i64..400, 1 => -5i64..=0, 1 => 900i64..1_200]
}

fn pet_command() -> impl Strategy<Value = Command> {
    let items = item_ids();
    let item = (0..items.len()).prop_map(move |i| items[i].clone());
    let care_action = prop_oneof![
        Just(CareAction::Charge),
        Just(CareAction::Repair),
        Just(CareAction::Play)
    ];
    let care_level = prop_oneof![
        Just(CareLevel::Quick),
        Just(CareLevel::Standard),
        Just(CareLevel::Full)
    ];
    prop_oneof![
        3 => prop_oneof![Just(Faction::Autobot), Just(Faction::Decepticon)].prop_map(|faction| PetCommand::Adopt { faction }),
        4 => (care_action, care_level).prop_map(|(action, level)| PetCommand::Care { action, level }),
        2 => prop_oneof![Just(Intensity::Average), Just(Intensity::Intense), Just(Intensity::Godmode)]
            .prop_map(|intensity| PetCommand::Train { intensity }),
        2 => prop_oneof![Just(MissionDifficulty::Easy), Just(MissionDifficulty::Average), Just(MissionDifficulty::Hard)]
            .prop_map(|difficulty| PetCommand::Mission { difficulty }),
        2 => (slot(), item.clone()).prop_map(|(slot, item)| PetCommand::Equip { slot, item }),
        1 => slot().prop_map(|slot| PetCommand::Unequip { slot }),
        1 => prop_oneof![Just("Bolt".to_string()), Just("<@1>".to_string()), Just(String::new())]
            .prop_map(|name| PetCommand::Rename { name }),
        1 => Just(PetCommand::RequestRelease),
        1 => (100_000u32..1_000_000).prop_map(|token| PetCommand::ConfirmRelease { token }),
        2 => ((1u64..=4), item).prop_map(|(player, item)| PetCommand::GiveItem { player: PlayerId(player), item }),
    ]
    .prop_map(Command::Pet)
}

fn economy_command() -> impl Strategy<Value = Command> {
    let player = (1u64..=5).prop_map(PlayerId);
    prop_oneof![
        2 => (player.clone(), amount()).prop_map(|(player, amount)| EnergonCommand::Credit { player, amount }),
        1 => (player.clone(), amount()).prop_map(|(player, amount)| EnergonCommand::Debit { player, amount }),
        3 => (player, amount()).prop_map(|(to, amount)| EnergonCommand::Transfer { to, amount }),
        1 => amount().prop_map(|amount| EnergonCommand::Deposit { amount }),
        1 => amount().prop_map(|amount| EnergonCommand::Withdraw { amount }),
        3 => Just(EnergonCommand::Scout),
        3 => Just(EnergonCommand::Search),
    ]
    .prop_map(Command::Energon)
}

fn slots_command() -> impl Strategy<Value = Command> {
    let difficulty = prop_oneof![
        Just(Difficulty::Easy),
        Just(Difficulty::Medium),
        Just(Difficulty::Hard)
    ];
    let bet = prop_oneof![1 => Just(None), 4 => (5i64..1_100).prop_map(Some)];
    (difficulty, bet)
        .prop_map(|(difficulty, bet)| Command::Slots(SlotsCommand::Spin { difficulty, bet }))
}

fn op() -> impl Strategy<Value = Op> {
    // Actor 0 is the operator; 1..=4 are players.
    let actor = 0u8..=4;
    prop_oneof![
        1 => actor.clone().prop_map(|a| Op::Send(a, Command::Player(PlayerCommand::Join))),
        1 => (actor.clone(), 1u64..=5).prop_map(|(a, p)| {
            Op::Send(a, Command::Player(PlayerCommand::Erase { player: PlayerId(p) }))
        }),
        8 => (actor.clone(), pet_command()).prop_map(|(a, c)| Op::Send(a, c)),
        6 => (actor.clone(), economy_command()).prop_map(|(a, c)| Op::Send(a, c)),
        3 => (actor, slots_command()).prop_map(|(a, c)| Op::Send(a, c)),
        1 => (1u8..=4).prop_map(Op::ConfirmRealRelease),
        3 => prop_oneof![Just(0i64), 1i64..300, 300i64..20_000].prop_map(Op::AdvanceSecs),
        1 => any::<usize>().prop_map(Op::Retry),
    ]
}

fn actor(n: u8) -> Actor {
    if n == 0 {
        Actor::System
    } else {
        Actor::Player(PlayerId(u64::from(n)))
    }
}

fn fail(error: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(error.to_string())
}

fn world_bytes(test: &TestEngine) -> Result<Vec<u8>, TestCaseError> {
    test.engine
        .query_blocking(|world| codec::encode_value(world).map_err(|e| e.to_string()))
        .map_err(fail)?
        .map_err(fail)
}

fn check(ops: &[Op]) -> Result<(), TestCaseError> {
    let log: Arc<dyn EventLog> = Arc::new(MemoryLog::new());
    let config = EngineConfig {
        snapshot_every_events: 64,
        ..EngineConfig::default()
    };
    let mut test = TestEngine::on_log(log.clone(), config);
    let mut sent: Vec<(CommandEnvelope, Reply)> = Vec::new();
    for op in ops {
        let (who, command) = match op {
            Op::AdvanceSecs(secs) => {
                test.clock.advance_secs(*secs);
                continue;
            }
            Op::Retry(n) => {
                if sent.is_empty() {
                    continue;
                }
                let (envelope, first) = &sent[n % sent.len()];
                let seq_before = log.last_seq();
                let again = test
                    .engine
                    .execute_blocking(envelope.clone())
                    .map_err(fail)?;
                prop_assert!(again.duplicate);
                prop_assert_eq!(&again.outcome, &first.outcome);
                prop_assert_eq!(log.last_seq(), seq_before);
                continue;
            }
            Op::ConfirmRealRelease(n) => {
                let player = PlayerId(u64::from(*n));
                let token = test
                    .engine
                    .query_blocking(move |world| {
                        world
                            .pets()
                            .get(player)
                            .and_then(|pet| pet.release)
                            .map(|r| r.0)
                    })
                    .map_err(fail)?;
                let Some(token) = token else { continue };
                (*n, Command::Pet(PetCommand::ConfirmRelease { token }))
            }
            Op::Send(who, command) => (*who, command.clone()),
        };
        let before = world_bytes(&test)?;
        let envelope = test.envelope(actor(who), command);
        let reply = test
            .engine
            .execute_blocking(envelope.clone())
            .map_err(fail)?;
        let after = world_bytes(&test)?;
        if !reply.outcome.is_accepted() {
            prop_assert_eq!(
                &before,
                &after,
                "a rejected command changed the world: {:?}",
                reply.outcome
            );
        }
        let conserved = test
            .engine
            .query_blocking(|world| world.energon().is_conserved())
            .map_err(fail)?;
        prop_assert!(
            conserved,
            "energon not conserved after {:?}",
            envelope.command
        );
        sent.push((envelope, reply));
    }
    let live = world_bytes(&test)?;
    test.engine.shutdown();
    let (rebuilt, _) = runtime::rebuild(log.as_ref(), false).map_err(fail)?;
    let (from_snapshot, _) = runtime::rebuild(log.as_ref(), true).map_err(fail)?;
    prop_assert_eq!(codec::encode_value(&rebuilt).map_err(fail)?, live.clone());
    prop_assert_eq!(codec::encode_value(&from_snapshot).map_err(fail)?, live);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn every_area_conserves_energon_and_rejections_change_nothing(ops in prop::collection::vec(op(), 1..160)) {
        check(&ops)?;
    }
}
