//! Deterministic scenarios: a seed (server secret), a start instant, and a list of timed steps
//! played through a real engine on an in-memory log; the outcome is a summary of the players'
//! projections and the SHA-256 of the encoded event stream. `fixtures/` holds scenarios with
//! their golden outcomes; `allspark-replay fixtures` runs them (and CI with it). The format is
//! documented in `fixtures/README.md`; its JSON Schema is `schemas/fixture-scenario.schema.json`.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::battle::sim::{Action, Who};
use crate::battle::{BattleCommand, BattleEvent};
use crate::clock::ManualClock;
use crate::codec;
use crate::dice::{Dice, Seed};
use crate::ids::{Actor, CommandId, PlayerId, Timestamp};
use crate::log::{EventLog, MemoryLog};
use crate::runtime::{Engine, EngineConfig, EngineError, Outcome};
use crate::world::{Command, Event, World};

/// A scenario file.
#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// What the scenario shows, in a sentence.
    pub description: String,
    /// The server secret command seeds are derived from.
    pub secret: String,
    /// The instant the scenario starts, in milliseconds since the Unix epoch.
    pub start_millis: i64,
    pub steps: Vec<Step>,
    /// Players whose projections the outcome reports.
    pub report_players: Vec<u64>,
}

/// One step of a scenario.
#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Step {
    /// Move the clock forward.
    Wait { secs: i64 },
    /// Send a command. `actor` 0 is the operator. In `command` (the engine's `Command` as
    /// JSON), the strings `"$battle"`, `"$lobby"`, `"$challenge"`, `"$trade"` and
    /// `"$role_request"` stand for the id of the latest battle, lobby, challenge, trade or quiz
    /// role request the scenario has seen, `"$range_target"` for the button (a number) the
    /// latest shooting-range round put its target on, `"$trivia_right"` and `"$trivia_wrong"`
    /// for the right option of the latest trivia question and one that is wrong,
    /// `"$walk_stage"` for the stage the latest WalkTru walk is at, and
    /// `"$enemy.<kind>.<rarity>"`
    /// for the first enemy of that kind and rarity.
    Send {
        actor: u64,
        command: serde_json::Value,
        expect: Expect,
    },
    /// Play every open battle to its end: each waiting player attacks the first living
    /// opponent (`attack`), or picks seeded random actions (`random`).
    PlayBattles { policy: Policy, seed: u64 },
    /// `count` market ticks, the clock moving `every_secs` before each: the timer's work, sent
    /// as the system with the tick's number and instant (the first opens the market).
    MarketTicks { count: u32, every_secs: i64 },
    /// The storyteller worker's work: every RPG segment still owed its words is told by the
    /// offline storyteller and recorded (`RpgCommand::Narrate`, as the system).
    Narrate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    Accepted,
    Rejected,
    Any,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    Attack,
    Random,
}

/// What a scenario came to: the golden outcome compared by `fixtures`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioOutcome {
    pub n_events: u64,
    pub n_accepted: u32,
    pub n_rejected: u32,
    /// SHA-256 of every event's encoded record, in order, hex.
    pub events_sha256: String,
    pub players: BTreeMap<u64, PlayerSummary>,
}

/// The projections of one player that scenarios pin.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlayerSummary {
    pub wallet: u64,
    pub bank: u64,
    pub rush: u64,
    pub pet_level: Option<u32>,
    pub pet_xp: Option<u64>,
    pub pet_attack: Option<u32>,
    pub pet_defense: Option<u32>,
    pub inventory_items: u32,
    pub battles_won: u32,
    pub battles_lost: u32,
    pub rating: u32,
    pub slot_spins: u32,
    /// CyberCoin held, in micro-coins (left out of the outcome when zero).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub coins: u64,
}

fn is_zero(value: &u64) -> bool {
    *value == 0
}

#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("step {step}: the command is not valid: {reason}")]
    BadCommand { step: usize, reason: String },
    #[error("step {step}: expected the command to be {expected:?}, but it was {actual}")]
    Unexpected {
        step: usize,
        expected: Expect,
        actual: String,
    },
    #[error("step {step}: battles did not finish")]
    BattlesStuck { step: usize },
    #[error(transparent)]
    Engine(#[from] EngineError),
}

/// A finished run: its outcome and its log (for export as a frozen log).
pub struct Run {
    pub outcome: ScenarioOutcome,
    pub log: Arc<dyn EventLog>,
}

/// Parses a scenario, allowing `//` comment lines.
pub fn parse(text: &str) -> Result<ScenarioFile, serde_json::Error> {
    let stripped: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    serde_json::from_str(&stripped)
}

struct Runner {
    engine: Engine,
    clock: ManualClock,
    next_id: u128,
    latest: BTreeMap<&'static str, u128>,
    /// The button the latest shooting-range round put its target on.
    range_target: u8,
    /// The right option of the latest trivia question asked.
    trivia_right: u8,
    /// Where the latest WalkTru walk is.
    walk_stage: String,
    n_accepted: u32,
    n_rejected: u32,
}

impl Runner {
    fn send(&mut self, actor: Actor, command: Command) -> Result<Outcome, EngineError> {
        self.next_id += 1;
        let envelope = self
            .engine
            .envelope(CommandId(self.next_id), actor, command);
        let outcome = self.engine.execute_blocking(envelope)?.outcome;
        match &outcome {
            Outcome::Accepted(events) => {
                self.n_accepted += 1;
                for event in events {
                    if let Event::Trade(crate::trade::TradeEvent::Opened { trade, .. }) =
                        &event.event
                    {
                        self.latest.insert("$trade", trade.0);
                    }
                    if let Event::Social(crate::social::SocialEvent::QuizRoleRequested {
                        request,
                        ..
                    }) = &event.event
                    {
                        self.latest.insert("$role_request", *request);
                    }
                    if let Event::Fun(crate::fun::FunEvent::RangeRoundShown { target, .. }) =
                        &event.event
                    {
                        self.range_target = *target;
                    }
                    match &event.event {
                        Event::Fun(crate::fun::FunEvent::WalkStarted { stage, .. }) => {
                            self.walk_stage = stage.clone();
                        }
                        Event::Fun(crate::fun::FunEvent::WalkStepped { next, .. }) => {
                            self.walk_stage = next.clone();
                        }
                        _ => {}
                    }
                    if let Event::Fun(crate::fun::FunEvent::TriviaAsked { question, .. }) =
                        &event.event
                    {
                        self.trivia_right =
                            crate::fun::view::trivia_question(*question).map_or(0, |q| q.answer);
                    }
                    if let Event::Battle(event) = &event.event {
                        match event {
                            BattleEvent::Started { battle, .. } => {
                                self.latest.insert("$battle", battle.0);
                            }
                            BattleEvent::LobbyOpened { lobby, .. } => {
                                self.latest.insert("$lobby", lobby.0);
                            }
                            BattleEvent::ChallengeIssued { challenge, .. } => {
                                self.latest.insert("$challenge", challenge.0);
                            }
                            _ => {}
                        }
                    }
                }
            }
            Outcome::Rejected(_) | Outcome::RejectedEarlier => self.n_rejected += 1,
        }
        Ok(outcome)
    }

    fn play_battles(
        &mut self,
        step: usize,
        policy: Policy,
        seed: u64,
    ) -> Result<(), ScenarioError> {
        let mut dice = Dice::from_seed(Seed::pcg(u128::from(seed)));
        for _ in 0..10_000 {
            let open = self
                .engine
                .query_blocking(|world| world.battles.open.values().next().cloned())?;
            let Some(battle) = open else { return Ok(()) };
            for seat in battle.waiting_for() {
                let me = battle.sim.fighters[usize::from(seat)];
                let Who::Pet { player, .. } = me.who else {
                    continue;
                };
                let first_opponent = battle
                    .sim
                    .fighters
                    .iter()
                    .position(|f| f.side != me.side && f.is_alive())
                    .unwrap_or(0) as u8;
                let action = match policy {
                    Policy::Attack => Action::Attack {
                        target: first_opponent,
                    },
                    Policy::Random => match dice.below(4) {
                        0 => Action::Charge,
                        1 => Action::Defend { guard: seat },
                        2 if me.charge > 0 => Action::Special {
                            target: first_opponent,
                        },
                        _ => Action::Attack {
                            target: first_opponent,
                        },
                    },
                };
                let command = Command::Battle(BattleCommand::Act {
                    battle: battle.id,
                    turn: battle.sim.turn,
                    action,
                });
                self.send(Actor::Player(player), command)?;
            }
        }
        Err(ScenarioError::BattlesStuck { step })
    }
}

/// Runs a scenario on a fresh in-memory engine.
pub fn run(file: &ScenarioFile) -> Result<Run, ScenarioError> {
    let log: Arc<dyn EventLog> = Arc::new(MemoryLog::new());
    let clock = ManualClock::new(Timestamp(file.start_millis));
    let config = EngineConfig {
        server_secret: file.secret.as_bytes().to_vec(),
        snapshot_every_events: 0,
        ..EngineConfig::default()
    };
    let (engine, _) = Engine::open(log.clone(), config, Arc::new(clock.clone()))?;
    let mut runner = Runner {
        engine,
        clock,
        next_id: 0,
        latest: BTreeMap::new(),
        range_target: 0,
        trivia_right: 0,
        walk_stage: String::new(),
        n_accepted: 0,
        n_rejected: 0,
    };
    for (index, step) in file.steps.iter().enumerate() {
        match step {
            Step::Wait { secs } => runner.clock.advance_secs(*secs),
            Step::Narrate => {
                let pending = runner
                    .engine
                    .query_blocking(crate::rpg::view::pending_narrations)?;
                for (adventure, segment, brief) in pending {
                    let told = Command::Rpg(crate::rpg::RpgCommand::Narrate {
                        adventure,
                        segment,
                        text: crate::rpg::story::offline(&brief),
                        source: crate::rpg::NarrationSource::Offline,
                    });
                    if let outcome @ (Outcome::Rejected(_) | Outcome::RejectedEarlier) =
                        runner.send(Actor::System, told)?
                    {
                        return Err(ScenarioError::Unexpected {
                            step: index,
                            expected: Expect::Accepted,
                            actual: format!("{outcome:?}").chars().take(200).collect(),
                        });
                    }
                }
            }
            Step::PlayBattles { policy, seed } => runner.play_battles(index, *policy, *seed)?,
            Step::MarketTicks { count, every_secs } => {
                for _ in 0..*count {
                    runner.clock.advance_secs(*every_secs);
                    let number = runner
                        .engine
                        .query_blocking(|world| crate::market::view::clock(world).next_tick)?;
                    let at = runner.engine.now();
                    let tick = Command::Market(crate::market::MarketCommand::Tick { number, at });
                    if let outcome @ (Outcome::Rejected(_) | Outcome::RejectedEarlier) =
                        runner.send(Actor::System, tick)?
                    {
                        return Err(ScenarioError::Unexpected {
                            step: index,
                            expected: Expect::Accepted,
                            actual: format!("{outcome:?}").chars().take(200).collect(),
                        });
                    }
                }
            }
            Step::Send {
                actor,
                command,
                expect,
            } => {
                let mut text = command.to_string();
                for (placeholder, id) in &runner.latest {
                    // Ids are hex strings in JSON (see `ids::json_ids`).
                    text = text.replace(&format!("\"{placeholder}\""), &format!("\"{id:032x}\""));
                }
                text = text.replace("\"$range_target\"", &runner.range_target.to_string());
                text = text.replace("\"$trivia_right\"", &runner.trivia_right.to_string());
                let wrong = (runner.trivia_right + 1) % 4;
                text = text.replace("\"$trivia_wrong\"", &wrong.to_string());
                let stage = serde_json::Value::String(runner.walk_stage.clone()).to_string();
                text = text.replace("\"$walk_stage\"", &stage);
                text = replace_content_placeholders(&text);
                let command: Command =
                    serde_json::from_str(&text).map_err(|error| ScenarioError::BadCommand {
                        step: index,
                        reason: error.to_string(),
                    })?;
                let actor = if *actor == 0 {
                    Actor::System
                } else {
                    Actor::Player(PlayerId(*actor))
                };
                let outcome = runner.send(actor, command)?;
                let actual = match &outcome {
                    Outcome::Accepted(_) => Expect::Accepted,
                    Outcome::Rejected(_) | Outcome::RejectedEarlier => Expect::Rejected,
                };
                if *expect != Expect::Any && *expect != actual {
                    let described = match outcome {
                        Outcome::Rejected(rejection) => format!("rejected: {rejection}"),
                        other => format!("{other:?}").chars().take(200).collect(),
                    };
                    return Err(ScenarioError::Unexpected {
                        step: index,
                        expected: *expect,
                        actual: described,
                    });
                }
            }
        }
    }
    let reported = file.report_players.clone();
    let players = runner.engine.query_blocking(move |world| {
        reported
            .iter()
            .map(|player| (*player, summarize(world, PlayerId(*player))))
            .collect::<BTreeMap<_, _>>()
    })?;
    runner.engine.shutdown();
    let mut hasher = Sha256::new();
    let mut n_events = 0;
    let mut failure = None;
    log.scan(1, &mut |event| match codec::encode_event(&event) {
        Ok(bytes) => {
            hasher.update(&bytes);
            n_events += 1;
        }
        Err(error) => failure = Some(error),
    })
    .map_err(EngineError::from)?;
    if let Some(error) = failure {
        return Err(EngineError::from(error).into());
    }
    let events_sha256 = hex(&hasher.finalize());
    Ok(Run {
        outcome: ScenarioOutcome {
            n_events,
            n_accepted: runner.n_accepted,
            n_rejected: runner.n_rejected,
            events_sha256,
            players,
        },
        log,
    })
}

/// Replaces `"$enemy.<kind>.<rarity>"` with the first enemy id (in id order) of that kind and
/// rarity, and `"$item.<slot>.<n>"` with the n-th item id (in id order) of that slot, so
/// scenarios survive content edits that rename things.
fn replace_content_placeholders(text: &str) -> String {
    let content = crate::content::get();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("\"$") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('"') else { break };
        let placeholder = &after[..end];
        let parts: Vec<&str> = placeholder.split('.').collect();
        let resolved = match parts.as_slice() {
            ["$enemy", kind, rarity] => content
                .enemies
                .values()
                .find(|e| e.kind.label() == *kind && e.rarity.label() == *rarity)
                .map(|e| e.id.clone()),
            ["$item", slot, n] => {
                let index: usize = n.parse().unwrap_or(0);
                content
                    .items
                    .values()
                    .filter(|item| {
                        serde_json::to_value(item.slot)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_string))
                            .as_deref()
                            == Some(*slot)
                    })
                    .nth(index)
                    .map(|item| item.id.0.clone())
            }
            _ => None,
        };
        out.push_str(&format!(
            "\"{}\"",
            resolved.unwrap_or_else(|| placeholder.to_string())
        ));
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// How one fixture fared.
#[derive(Debug, PartialEq, Eq)]
pub enum FixtureResult {
    Passed,
    /// `--update` wrote a new golden.
    Updated,
    /// The outcome differs from the golden: both, pretty-printed.
    Mismatch {
        expected: String,
        actual: String,
    },
    /// The scenario could not run (or has no golden yet).
    Failed(String),
}

/// Every scenario file under `dir`, in it or any folder below it, in path order: `*.json`
/// files other than outcomes (a scenario's `*.golden.json`, a frozen log's
/// `*.expected.json`). Hidden folders are skipped.
fn scenario_files(dir: &std::path::Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type()?.is_dir() {
            if !name.starts_with('.') {
                found.extend(scenario_files(&path)?);
            }
        } else if name.ends_with(".json")
            && !name.ends_with(".golden.json")
            && !name.ends_with(".expected.json")
        {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

/// Runs every `*.json` scenario under `dir`, in it or any folder below it (files ending in
/// `.golden.json` are the goldens, beside their scenarios), and compares each outcome with its
/// golden, or rewrites the goldens when `update`. A scenario's name is its path below `dir`
/// without `.json`.
pub fn run_fixtures(
    dir: &std::path::Path,
    update: bool,
) -> std::io::Result<Vec<(String, FixtureResult)>> {
    let mut reports = Vec::new();
    for path in scenario_files(dir)? {
        let stem = path
            .file_stem()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_string();
        let name = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .with_extension("")
            .to_string_lossy()
            .into_owned();
        let golden_path = path.with_file_name(format!("{stem}.golden.json"));
        let result = match std::fs::read_to_string(&path)
            .map_err(|e| e.to_string())
            .and_then(|text| parse(&text).map_err(|e| e.to_string()))
        {
            Err(error) => FixtureResult::Failed(format!("unreadable scenario: {error}")),
            Ok(file) => match run(&file) {
                Err(error) => FixtureResult::Failed(error.to_string()),
                Ok(done) => {
                    let actual =
                        serde_json::to_string_pretty(&done.outcome).unwrap_or_default() + "\n";
                    if update {
                        match std::fs::write(&golden_path, &actual) {
                            Ok(()) => FixtureResult::Updated,
                            Err(error) => {
                                FixtureResult::Failed(format!("cannot write the golden: {error}"))
                            }
                        }
                    } else {
                        match std::fs::read_to_string(&golden_path) {
                            Ok(expected) if expected == actual => FixtureResult::Passed,
                            Ok(expected) => FixtureResult::Mismatch { expected, actual },
                            Err(_) => {
                                FixtureResult::Failed("no golden yet; run with --update".into())
                            }
                        }
                    }
                }
            },
        };
        reports.push((name, result));
    }
    Ok(reports)
}

/// The projections of one player, as scenarios and frozen logs pin them.
pub fn summarize(world: &World, player: PlayerId) -> PlayerSummary {
    let pet = world.pets.get(player);
    let stats = world
        .battles
        .stats
        .get(&player)
        .cloned()
        .unwrap_or_default();
    PlayerSummary {
        wallet: world.energon.balance(player),
        bank: world.energon.bank(player),
        rush: world.energon.rush.balance(player),
        pet_level: pet.map(|p| p.level),
        pet_xp: pet.map(|p| p.xp),
        pet_attack: pet.map(|p| p.attack),
        pet_defense: pet.map(|p| p.defense),
        inventory_items: pet.map_or(0, |p| p.inventory.values().sum()),
        battles_won: stats.wins,
        battles_lost: stats.losses,
        rating: world.battles.rating(player).elo,
        slot_spins: world.slots.stats(player).map_or(0, |s| s.spins),
        coins: world.market.position(player).map_or(0, |p| p.coins),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
