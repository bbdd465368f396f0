//! One RPG adventure segment through the core: a party of four's challenge taken on (the
//! approach, four rolls, rewards in energon, experience and perhaps gear, the next segment
//! opened with its brief) and the storyteller's words for the next segment recorded, each
//! command durable (appended and flushed to sled) before the next is sent. Figures go into
//! BENCHMARKS.md.
//!
//! Run: `cargo bench -p allspark-engine --bench rpg`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use allspark_engine::pets::Faction;
use allspark_engine::rpg::{self, AdventureKind, NarrationSource, RpgCommand, Stat};
use allspark_engine::{
    Actor, Command, CommandId, Engine, EngineConfig, Event, EventLog, ManualClock, Outcome,
    PlayerId, SledLog, Snowflake, Timestamp,
};
use criterion::{criterion_group, criterion_main, Criterion};

struct Table {
    engine: Engine,
    next: u128,
}

impl Table {
    fn run(&mut self, actor: Actor, command: Command) -> Vec<Event> {
        self.next += 1;
        let reply = self
            .engine
            .execute_blocking(self.engine.envelope(CommandId(self.next), actor, command))
            .expect("engine");
        match reply.outcome {
            Outcome::Accepted(events) => events.into_iter().map(|e| e.event).collect(),
            refused => panic!("{refused:?}"),
        }
    }

    /// Tells every owed segment with the offline storyteller, as the worker would.
    fn narrate(&mut self) {
        let pending = self
            .engine
            .query_blocking(rpg::view::pending_narrations)
            .expect("engine");
        for (adventure, segment, brief) in pending {
            let text = rpg::story::offline(&brief);
            self.run(
                Actor::System,
                Command::Rpg(RpgCommand::Narrate {
                    adventure,
                    segment,
                    text,
                    source: NarrationSource::Offline,
                }),
            );
        }
    }

    /// A new challenge adventure for the four, set out and told: its number.
    fn set_out(&mut self) -> u32 {
        let events = self.run(
            Actor::Player(PlayerId(1)),
            Command::Rpg(RpgCommand::OpenParty {
                kind: AdventureKind::Event,
                character: 1,
                channel: Snowflake(1),
            }),
        );
        let opened = events
            .iter()
            .find_map(|e| match e {
                Event::Rpg(rpg::RpgEvent::PartyOpened { adventure, .. }) => Some(*adventure),
                _ => None,
            })
            .expect("a party");
        for player in 2..=4u64 {
            self.run(
                Actor::Player(PlayerId(player)),
                Command::Rpg(RpgCommand::JoinParty {
                    adventure: opened,
                    character: player as u32,
                }),
            );
        }
        self.run(
            Actor::Player(PlayerId(1)),
            Command::Rpg(RpgCommand::StartParty { adventure: opened }),
        );
        self.narrate();
        opened
    }
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let log: Arc<dyn EventLog> = Arc::new(SledLog::open(dir.path()).expect("open sled"));
    let config = EngineConfig {
        snapshot_every_events: 0,
        ..EngineConfig::default()
    };
    let engine = Engine::open(log, config, Arc::new(ManualClock::new(Timestamp(0))))
        .expect("open engine")
        .0;
    let mut table = Table { engine, next: 0 };
    for (player, class) in [
        (1u64, "warrior"),
        (2, "medic"),
        (3, "scout"),
        (4, "scientist"),
    ] {
        table.run(
            Actor::Player(PlayerId(player)),
            Command::Rpg(RpgCommand::CreateCharacter {
                name: format!("Hero {player}"),
                faction: Faction::Autobot,
                class: class.into(),
            }),
        );
    }
    c.bench_function("rpg/challenge_segment_party_of_four", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            let mut done = 0;
            while done < iters {
                let adventure = table.set_out();
                for segment in 0..rpg::tuning::ADVENTURE_SEGMENTS {
                    if done >= iters {
                        break;
                    }
                    let started = Instant::now();
                    table.run(
                        Actor::Player(PlayerId(2)),
                        Command::Rpg(RpgCommand::ChooseApproach {
                            adventure,
                            segment,
                            stat: Stat::Intelligence,
                        }),
                    );
                    table.narrate();
                    total += started.elapsed();
                    done += 1;
                }
                // An adventure stopped early leaves its party free for the next one.
                let _ = table.engine.execute_blocking(table.engine.envelope(
                    CommandId(u128::MAX - table.next),
                    Actor::Player(PlayerId(1)),
                    Command::Rpg(RpgCommand::Stop { adventure }),
                ));
                table.next += 1;
            }
            total
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
