//! The operator's stress test (issue 21), started from `/monitor`: synthetic players drive a
//! realistic mix of real commands (first contact, adopting a pet, a starting grant, care,
//! training, missions, slots, the Energon Rush, the bank, transfers, and solo battles move by
//! move) through a second [`Engine`] on a scratch store, beside the live bot.
//!
//! The scratch store is a fresh directory in the system's temporary directory (`TMPDIR`),
//! never the live data directory, with its own random server secret; it is deleted when the
//! run ends. The live engine never sees a command of the run.
//!
//! A run has a bounded size ([`Size`]: players, commands, and how many commands are in flight
//! at once), and ends after its commands, when the operator cancels it, or after
//! [`RUN_TIME_MAX`]. One run at a time per bot ([`Stress::start`] refuses a second while one
//! goes). Each synthetic player's commands go one after another (a person does one thing at a
//! time); the players are shared among [`Size::tasks`] tasks, so at most that many commands
//! are in flight, which bounds what the run takes from the live bot.
//!
//! Timing is the adapter's wall clock around [`Engine::execute`] (never a rule's input):
//! throughput and the p50/p95/p99 latency from a fixed-bucket histogram. What a command
//! decided (accepted, rejected) and engine errors are counted; `accepted + rejected + errors`
//! is the number of commands done, which is the number planned unless the run was cancelled or
//! ran out of time.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use allspark_engine::battle::sim::Action;
use allspark_engine::battle::{view as battles, BattleCommand, BattleId};
use allspark_engine::energon::EnergonCommand;
use allspark_engine::pets::{
    CareAction, CareLevel, Faction, Intensity, MissionDifficulty, PetCommand,
};
use allspark_engine::player::PlayerCommand;
use allspark_engine::slots::{Difficulty, SlotsCommand};
use allspark_engine::stats::Histogram;
use allspark_engine::{
    Actor, Command, CommandId, Dice, Engine, EngineConfig, Event, Outcome, PlayerId, Seed,
};

use crate::reply::Response;

/// The longest a run may take; it stops there, counting what it did.
pub const RUN_TIME_MAX: Duration = Duration::from_secs(10 * 60);

/// How long shutting down waits for a cancelled run to close and delete its scratch store.
pub const STOP_GRACE: Duration = Duration::from_secs(10);

/// Upper bounds of the latency buckets, in microseconds (50 µs to 10 s).
pub const LATENCY_MICROS_BUCKETS: &[u64] = &[
    50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
    1_000_000, 2_500_000, 5_000_000, 10_000_000,
];

/// The first synthetic player's id (ids are the scratch store's own).
pub const FIRST_PLAYER: u64 = 10_000;
/// The scratch store's operator (who makes the starting grants).
pub const OPERATOR: PlayerId = PlayerId(1);
/// Energon each synthetic player is granted once they have a pet, so bets, deposits and
/// transfers have something to move.
pub const STARTING_GRANT: i64 = 1_000;

/// A run's size: the only choices the operator has (nothing unbounded comes from input).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Size {
    Small,
    Medium,
    Large,
}

impl Size {
    pub const ALL: [Size; 3] = [Size::Small, Size::Medium, Size::Large];

    pub fn players(self) -> u32 {
        match self {
            Size::Small => 50,
            Size::Medium => 200,
            Size::Large => 1_000,
        }
    }

    /// Commands the run plans to send.
    pub fn commands(self) -> u64 {
        match self {
            Size::Small => 2_000,
            Size::Medium => 10_000,
            Size::Large => 50_000,
        }
    }

    /// Commands in flight at once at most (each task sends one at a time).
    pub fn tasks(self) -> u32 {
        match self {
            Size::Small => 4,
            Size::Medium | Size::Large => 8,
        }
    }

    /// Its field in a `custom_id`.
    pub fn code(self) -> &'static str {
        match self {
            Size::Small => "s",
            Size::Medium => "m",
            Size::Large => "l",
        }
    }

    pub fn from_code(code: &str) -> Option<Size> {
        Size::ALL.into_iter().find(|size| size.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Size::Small => "small",
            Size::Medium => "medium",
            Size::Large => "large",
        }
    }
}

/// The kinds of work synthetic players do, counted apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Work {
    Join,
    Adopt,
    Grant,
    Care,
    Train,
    Mission,
    Slots,
    Rush,
    Bank,
    Transfer,
    BattleStart,
    BattleMove,
}

impl Work {
    pub const ALL: [Work; 12] = [
        Work::Join,
        Work::Adopt,
        Work::Grant,
        Work::Care,
        Work::Train,
        Work::Mission,
        Work::Slots,
        Work::Rush,
        Work::Bank,
        Work::Transfer,
        Work::BattleStart,
        Work::BattleMove,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Work::Join => "first contact",
            Work::Adopt => "adopt a pet",
            Work::Grant => "starting grant",
            Work::Care => "care",
            Work::Train => "train",
            Work::Mission => "mission",
            Work::Slots => "slots",
            Work::Rush => "energon rush",
            Work::Bank => "bank",
            Work::Transfer => "transfer",
            Work::BattleStart => "battle start",
            Work::BattleMove => "battle move",
        }
    }

    fn index(self) -> usize {
        Work::ALL.iter().position(|w| *w == self).unwrap_or(0)
    }
}

/// Where a run is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State {
    /// Making the scratch store and opening its engine.
    Preparing,
    Running,
    /// Every planned command was sent.
    Finished,
    Cancelled,
    /// Stopped at [`RUN_TIME_MAX`].
    TimedOut,
    /// Could not run (or its engine stopped under it): why.
    Failed(String),
}

impl State {
    pub fn is_over(&self) -> bool {
        !matches!(self, State::Preparing | State::Running)
    }
}

/// One kind of work's counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkCount {
    pub work: Work,
    pub done: u64,
    pub accepted: u64,
}

/// A run read at one moment, for its view. The numbers are plain values, so a view can be
/// drawn from fixed ones (the golden replies do).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    pub size: Size,
    pub state: State,
    /// Cancel was pressed and the tasks are stopping.
    pub cancelling: bool,
    pub planned: u64,
    /// `accepted + rejected + errors`.
    pub done: u64,
    pub accepted: u64,
    pub rejected: u64,
    /// The engine could not answer (it stopped, or the store failed).
    pub errors: u64,
    /// The kinds of work done so far, in [`Work::ALL`] order (kinds not done yet left out).
    pub by_work: Vec<WorkCount>,
    /// Since the first command (to the last one, once over).
    pub elapsed: Duration,
    /// Commands done per second of `elapsed`.
    pub per_second: u64,
    pub p50: Option<Duration>,
    pub p95: Option<Duration>,
    pub p99: Option<Duration>,
    /// Nothing of the scratch store is left (once over): it was deleted, or never made.
    pub scratch_removed: bool,
}

#[derive(Default)]
struct Tally {
    accepted: [AtomicU64; 12],
    rejected: [AtomicU64; 12],
    errors: [AtomicU64; 12],
}

/// What a command came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    Accepted,
    Rejected,
    Error,
}

/// One stress run: its counters and how it ends. Shared by its tasks and whoever shows it.
pub struct Run {
    pub size: Size,
    /// Who started it.
    pub owner: u64,
    state: Mutex<State>,
    /// When the first command was sent, and how long the commands took once over.
    timing: Mutex<(Option<Instant>, Option<Duration>)>,
    tally: Tally,
    latency: Histogram,
    cancel: AtomicBool,
    scratch: Mutex<Option<PathBuf>>,
    scratch_removed: AtomicBool,
    over: tokio::sync::watch::Sender<bool>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Run {
    fn new(size: Size, owner: u64) -> Run {
        Run {
            size,
            owner,
            state: Mutex::new(State::Preparing),
            timing: Mutex::new((None, None)),
            tally: Tally::default(),
            latency: Histogram::new(LATENCY_MICROS_BUCKETS),
            cancel: AtomicBool::new(false),
            scratch: Mutex::new(None),
            scratch_removed: AtomicBool::new(false),
            over: tokio::sync::watch::Sender::new(false),
        }
    }

    /// Asks the tasks to stop after the commands in flight.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }

    pub fn is_over(&self) -> bool {
        *self.over.borrow()
    }

    /// Waits until the run is over (its scratch store closed and deleted).
    pub async fn finished(&self) {
        let mut over = self.over.subscribe();
        let _ = over.wait_for(|over| *over).await;
    }

    /// The scratch store's directory, once made (it is deleted when the run ends).
    pub fn scratch(&self) -> Option<PathBuf> {
        lock(&self.scratch).clone()
    }

    pub fn progress(&self) -> Progress {
        let load = |counts: &[AtomicU64; 12], i: usize| counts[i].load(Ordering::Relaxed);
        let mut by_work = Vec::new();
        let (mut accepted, mut rejected, mut errors) = (0, 0, 0);
        for work in Work::ALL {
            let i = work.index();
            let (a, r, e) = (
                load(&self.tally.accepted, i),
                load(&self.tally.rejected, i),
                load(&self.tally.errors, i),
            );
            accepted += a;
            rejected += r;
            errors += e;
            if a + r + e > 0 {
                by_work.push(WorkCount {
                    work,
                    done: a + r + e,
                    accepted: a,
                });
            }
        }
        let done = accepted + rejected + errors;
        let elapsed = match *lock(&self.timing) {
            (_, Some(took)) => took,
            (Some(since), None) => since.elapsed(),
            (None, None) => Duration::ZERO,
        };
        let millis = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
        let per_second = done.saturating_mul(1_000).checked_div(millis).unwrap_or(0);
        let latency = self.latency.snapshot();
        let quantile = |per_mille| {
            crate::monitor::quantile_micros(&latency, per_mille).map(Duration::from_micros)
        };
        let state = lock(&self.state).clone();
        Progress {
            size: self.size,
            cancelling: self.cancel.load(Ordering::SeqCst) && !state.is_over(),
            state,
            planned: self.size.commands(),
            done,
            accepted,
            rejected,
            errors,
            by_work,
            elapsed,
            per_second,
            p50: quantile(500),
            p95: quantile(950),
            p99: quantile(990),
            scratch_removed: self.scratch_removed.load(Ordering::SeqCst),
        }
    }

    fn set_state(&self, state: State) {
        *lock(&self.state) = state;
    }

    fn count(&self, work: Work, verdict: Verdict, took: Duration) {
        self.latency
            .observe(u64::try_from(took.as_micros()).unwrap_or(u64::MAX));
        let counts = match verdict {
            Verdict::Accepted => &self.tally.accepted,
            Verdict::Rejected => &self.tally.rejected,
            Verdict::Error => &self.tally.errors,
        };
        counts[work.index()].fetch_add(1, Ordering::Relaxed);
    }

    /// Whether the tasks should stop: cancelled, or out of time.
    fn should_stop(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
            || lock(&self.timing)
                .0
                .is_some_and(|since| since.elapsed() >= RUN_TIME_MAX)
    }

    /// Ends the run in `state` (if nothing ended it before) and wakes whoever waits.
    fn end(&self, state: State) {
        {
            let mut current = lock(&self.state);
            if !current.is_over() {
                *current = state;
            }
        }
        {
            let mut timing = lock(&self.timing);
            if timing.1.is_none() {
                timing.1 = Some(timing.0.map_or(Duration::ZERO, |since| since.elapsed()));
            }
        }
        self.over.send_replace(true);
    }
}

/// Ends a run that its task left without ending (a panic), so a new one may start.
struct EndGuard(Arc<Run>);

impl Drop for EndGuard {
    fn drop(&mut self) {
        if !self.0.is_over() {
            self.0
                .end(State::Failed("the run stopped unexpectedly".to_string()));
        }
    }
}

/// The bot's stress runs: the latest one, of which at most one goes at a time.
#[derive(Default)]
pub struct Stress {
    latest: Mutex<Option<Arc<Run>>>,
}

impl Stress {
    /// The latest run since the bot started, going or over.
    pub fn latest(&self) -> Option<Arc<Run>> {
        lock(&self.latest).clone()
    }

    /// Cancels the run going, if any, and waits (up to [`STOP_GRACE`]) until its scratch store
    /// is closed and deleted: the bot calls this when it shuts down, so no scratch store is
    /// left behind.
    pub async fn stop(&self) {
        let Some(run) = self.latest().filter(|run| !run.is_over()) else {
            return;
        };
        run.cancel();
        if tokio::time::timeout(STOP_GRACE, run.finished())
            .await
            .is_err()
        {
            tracing::warn!(scratch = ?run.scratch(), "shut down with a stress test still stopping");
        }
    }

    /// Starts a run of `size` for `owner`, unless one is going (that one is the error). The
    /// scratch store is made in the system's temporary directory; `live_data`, the live data
    /// directory, is only checked against it. Call from within a tokio runtime.
    pub fn start(
        &self,
        size: Size,
        owner: u64,
        live_data: Option<PathBuf>,
    ) -> Result<Arc<Run>, Arc<Run>> {
        self.start_in(size, owner, live_data, std::env::temp_dir())
    }

    /// [`Stress::start`] with the scratch store made in `parent` (tests).
    pub fn start_in(
        &self,
        size: Size,
        owner: u64,
        live_data: Option<PathBuf>,
        parent: PathBuf,
    ) -> Result<Arc<Run>, Arc<Run>> {
        let run = {
            let mut latest = lock(&self.latest);
            if let Some(going) = latest.as_ref().filter(|run| !run.is_over()) {
                return Err(going.clone());
            }
            let run = Arc::new(Run::new(size, owner));
            *latest = Some(run.clone());
            run
        };
        let guard = EndGuard(run.clone());
        tokio::spawn(async move {
            let run = guard.0.clone();
            let state = execute(&run, live_data, parent).await;
            run.end(state);
            drop(guard);
        });
        Ok(run)
    }
}

/// Whether `response` shows a stress run that is still going (its Cancel button), so the
/// transports keep the message live until the run is over.
pub fn shown_run(app: &crate::app::App, response: &Response) -> bool {
    let Some(reply) = response.reply() else {
        return false;
    };
    let cancel = reply.rows.iter().any(|row| match row {
        crate::reply::Row::Buttons(buttons) => buttons.iter().any(|b| {
            matches!(
                crate::areas::Press::decode(&b.custom_id),
                Some(crate::areas::Press::Admin(
                    crate::admin::ids::Press::StressCancel
                ))
            )
        }),
        _ => false,
    });
    cancel && app.stress.latest().is_some_and(|run| !run.is_over())
}

/// Makes the scratch store, runs the tasks on it, closes and deletes it; how the run ended.
async fn execute(run: &Arc<Run>, live_data: Option<PathBuf>, parent: PathBuf) -> State {
    let scratch = match tempfile::Builder::new()
        .prefix("allspark-stress-")
        .tempdir_in(&parent)
    {
        Ok(dir) => dir,
        Err(error) => {
            // Nothing was made, so nothing is left behind.
            run.scratch_removed.store(true, Ordering::SeqCst);
            return State::Failed(format!("no scratch directory: {error}"));
        }
    };
    let path = scratch.path().to_path_buf();
    *lock(&run.scratch) = Some(path.clone());
    let state = run_on(run, &path, live_data).await;
    let removed = tokio::task::spawn_blocking(move || scratch.close()).await;
    let removed = matches!(removed, Ok(Ok(()))) && !path.exists();
    run.scratch_removed.store(removed, Ordering::SeqCst);
    if !removed {
        tracing::warn!(scratch = %path.display(), "the stress test's scratch store was not deleted");
    }
    state
}

/// Opens the scratch engine in `path`, runs the tasks on it and shuts it down.
async fn run_on(run: &Arc<Run>, path: &std::path::Path, live_data: Option<PathBuf>) -> State {
    // A fresh directory can't be the live store, but check rather than assume it (a TMPDIR
    // inside the data directory would put the scratch store there).
    let real =
        |dir: &std::path::Path| std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let scratch_real = real(path);
    if live_data
        .map(|live| real(&live))
        .is_some_and(|live| scratch_real.starts_with(&live) || live.starts_with(&scratch_real))
    {
        return State::Failed("the scratch directory overlaps the live data".to_string());
    }
    let mut secret = [0u8; 32];
    if let Err(error) = getrandom::fill(&mut secret) {
        return State::Failed(format!("no random secret for the scratch store: {error}"));
    }
    let config = EngineConfig {
        server_secret: hex::encode(secret).into_bytes(),
        // The scratch store is thrown away: a snapshot would be work for nothing.
        snapshot_every_events: 0,
        ..EngineConfig::default()
    };
    let dir = path.to_path_buf();
    let opened = tokio::task::spawn_blocking(move || Engine::open_dir(&dir, config)).await;
    let engine = match opened {
        Ok(Ok(engine)) => engine,
        Ok(Err(error)) => return State::Failed(format!("the scratch store did not open: {error}")),
        Err(joined) => return State::Failed(format!("the scratch store did not open: {joined}")),
    };
    tracing::info!(size = run.size.label(), scratch = %path.display(), "stress test started");
    run.set_state(State::Running);
    lock(&run.timing).0 = Some(Instant::now());
    let mut tasks = tokio::task::JoinSet::new();
    let enemies: Arc<Vec<String>> = Arc::new(easy_enemies());
    let next_id = Arc::new(AtomicU64::new(1));
    for task in Plan::new(run.size).tasks() {
        tasks.spawn(drive(
            run.clone(),
            engine.clone(),
            task,
            enemies.clone(),
            next_id.clone(),
        ));
    }
    while tasks.join_next().await.is_some() {}
    {
        let mut timing = lock(&run.timing);
        timing.1 = timing.0.map(|since| since.elapsed());
    }
    let core = engine.state();
    engine.shutdown_async().await;
    drop(engine);
    let progress = run.progress();
    tracing::info!(
        done = progress.done,
        accepted = progress.accepted,
        rejected = progress.rejected,
        errors = progress.errors,
        per_second = progress.per_second,
        "stress test over"
    );
    match core {
        allspark_engine::runtime::CoreState::Failed(why) => {
            State::Failed(format!("the scratch engine stopped: {why}"))
        }
        _ if run.cancel.load(Ordering::SeqCst) => State::Cancelled,
        _ if progress.done < progress.planned => State::TimedOut,
        _ => State::Finished,
    }
}

/// Monsters a new pet can face (the easiest few), for solo battles.
fn easy_enemies() -> Vec<String> {
    let mut enemies: Vec<_> = allspark_engine::content::get()
        .enemies
        .values()
        .filter(|e| e.kind == allspark_engine::battle::content::EnemyKind::Monster)
        .map(|e| (e.recommended_level, e.id.clone()))
        .collect();
    enemies.sort();
    enemies.into_iter().take(3).map(|(_, id)| id).collect()
}

/// Which players each task drives and how many commands it sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    pub tasks: Vec<TaskPlan>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskPlan {
    /// This task's index (its dice are seeded from it).
    pub index: u32,
    pub players: Vec<PlayerId>,
    pub commands: u64,
}

impl Plan {
    /// Players dealt to the tasks in turn, and the planned commands split as evenly.
    pub fn new(size: Size) -> Plan {
        let n_tasks = size.tasks().min(size.players()).max(1);
        let commands = size.commands();
        let tasks = (0..n_tasks)
            .map(|index| TaskPlan {
                index,
                players: (0..size.players())
                    .filter(|p| p % n_tasks == index)
                    .map(|p| PlayerId(FIRST_PLAYER + u64::from(p)))
                    .collect(),
                commands: commands / u64::from(n_tasks)
                    + u64::from(u64::from(index) < commands % u64::from(n_tasks)),
            })
            .collect();
        Plan { tasks }
    }

    fn tasks(self) -> Vec<TaskPlan> {
        self.tasks
    }
}

/// A synthetic player: how far they are and what battle they are in.
struct Synthetic {
    id: PlayerId,
    /// 0: new, 1: joined, 2: has a pet, 3: granted (playing).
    stage: u8,
    battle: Option<BattleId>,
}

/// One task: its players' commands, one at a time, round the players in turn.
async fn drive(
    run: Arc<Run>,
    engine: Engine,
    plan: TaskPlan,
    enemies: Arc<Vec<String>>,
    next_id: Arc<AtomicU64>,
) {
    let mut players: Vec<Synthetic> = plan
        .players
        .iter()
        .map(|id| Synthetic {
            id: *id,
            stage: 0,
            battle: None,
        })
        .collect();
    if players.is_empty() {
        return;
    }
    let everyone = run.size.players();
    let mut dice = Dice::from_seed(Seed::pcg(0x5_7e55 + u128::from(plan.index)));
    let n_players = players.len() as u64;
    for step in 0..plan.commands {
        if run.should_stop() {
            break;
        }
        let player = &mut players[(step % n_players) as usize];
        let (work, actor, command) = next(&engine, player, &mut dice, &enemies, everyone).await;
        let id = CommandId(u128::from(next_id.fetch_add(1, Ordering::Relaxed)));
        let envelope = engine.envelope(id, actor, command);
        let sent = Instant::now();
        let answer = engine.execute(envelope).await;
        let took = sent.elapsed();
        let verdict = match &answer {
            Ok(reply) => match &reply.outcome {
                Outcome::Accepted(events) => {
                    if work == Work::BattleStart {
                        let events: Vec<Event> = events.iter().map(|e| e.event.clone()).collect();
                        player.battle = battles::started(&events).first().map(|(b, _)| *b);
                    }
                    Verdict::Accepted
                }
                Outcome::Rejected(_) | Outcome::RejectedEarlier => Verdict::Rejected,
            },
            Err(_) => Verdict::Error,
        };
        if player.stage < 3 {
            // Setup goes on whatever it came to (a refused step is not tried forever).
            player.stage += 1;
        }
        run.count(work, verdict, took);
    }
}

/// The next command of `player`, as the adapter would send it for what they do next.
async fn next(
    engine: &Engine,
    player: &mut Synthetic,
    dice: &mut Dice,
    enemies: &[String],
    everyone: u32,
) -> (Work, Actor, Command) {
    let me = player.id;
    let actor = Actor::Player(me);
    match player.stage {
        0 => return (Work::Join, actor, Command::Player(PlayerCommand::Join)),
        1 => {
            let faction = if dice.below(2) == 0 {
                Faction::Autobot
            } else {
                Faction::Decepticon
            };
            return (
                Work::Adopt,
                actor,
                Command::Pet(PetCommand::Adopt { faction }),
            );
        }
        2 => {
            return (
                Work::Grant,
                Actor::Operator(OPERATOR),
                Command::Energon(EnergonCommand::Credit {
                    player: me,
                    amount: STARTING_GRANT,
                }),
            )
        }
        _ => {}
    }
    if let Some(battle) = player.battle {
        let card = engine
            .query(move |w| {
                battles::open_battle(w, battle).and_then(|open| battles::card(Some(open), &[]))
            })
            .await
            .ok()
            .flatten();
        if let Some(card) = card {
            if let Some(seat) = card.seat_of(me) {
                let moves = card.moves_for(seat);
                if !moves.targets.is_empty() && !moves.chosen {
                    let target = moves.targets[dice.below(moves.targets.len() as u64) as usize];
                    let weights = [6, 2, 1, u64::from(moves.special) * 2];
                    let action = match dice.weighted_index(&weights) {
                        Some(1) => Action::Charge,
                        Some(2) => Action::Defend { guard: seat },
                        Some(3) => Action::Special { target },
                        _ => Action::Attack { target },
                    };
                    return (
                        Work::BattleMove,
                        actor,
                        Command::Battle(BattleCommand::Act {
                            battle,
                            turn: card.sim.turn,
                            action,
                        }),
                    );
                }
            }
        }
        player.battle = None;
    }
    // Care, train, mission, slots, rush, bank, transfer, battle.
    let weights = [2, 1, 1, 4, 2, 2, 2, 2];
    let command = match dice.weighted_index(&weights).unwrap_or(3) {
        0 => {
            let action =
                [CareAction::Charge, CareAction::Repair, CareAction::Play][dice.below(3) as usize];
            (
                Work::Care,
                Command::Pet(PetCommand::Care {
                    action,
                    level: CareLevel::Quick,
                }),
            )
        }
        1 => (
            Work::Train,
            Command::Pet(PetCommand::Train {
                intensity: Intensity::Average,
            }),
        ),
        2 => (
            Work::Mission,
            Command::Pet(PetCommand::Mission {
                difficulty: MissionDifficulty::Easy,
            }),
        ),
        3 => {
            let difficulty = [Difficulty::Easy, Difficulty::Medium][dice.below(2) as usize];
            let bet = if dice.percent(80) {
                Some(dice.between(5, 25))
            } else {
                None
            };
            (
                Work::Slots,
                Command::Slots(SlotsCommand::Spin { difficulty, bet }),
            )
        }
        4 => (
            Work::Rush,
            Command::Energon(if dice.below(2) == 0 {
                EnergonCommand::Scout
            } else {
                EnergonCommand::Search
            }),
        ),
        5 => {
            let amount = dice.between(10, 50);
            (
                Work::Bank,
                Command::Energon(if dice.below(2) == 0 {
                    EnergonCommand::Deposit { amount }
                } else {
                    EnergonCommand::Withdraw { amount }
                }),
            )
        }
        6 => {
            let mut to = FIRST_PLAYER + dice.below(u64::from(everyone.max(1)));
            if to == me.0 {
                to = FIRST_PLAYER + (to - FIRST_PLAYER + 1) % u64::from(everyone.max(1));
            }
            (
                Work::Transfer,
                Command::Energon(EnergonCommand::Transfer {
                    to: PlayerId(to),
                    amount: dice.between(1, 20),
                }),
            )
        }
        _ => {
            let enemy = enemies
                .get(dice.below(enemies.len().max(1) as u64) as usize)
                .cloned()
                .unwrap_or_default();
            (
                Work::BattleStart,
                Command::Battle(BattleCommand::StartSolo { enemy }),
            )
        }
    };
    (command.0, actor, command.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_size_deals_every_player_and_every_command_to_a_task() {
        for size in Size::ALL {
            let plan = Plan::new(size);
            assert_eq!(plan.tasks.len() as u32, size.tasks());
            let commands: u64 = plan.tasks.iter().map(|t| t.commands).sum();
            assert_eq!(commands, size.commands());
            let mut players: Vec<PlayerId> =
                plan.tasks.iter().flat_map(|t| t.players.clone()).collect();
            players.sort();
            players.dedup();
            assert_eq!(players.len() as u32, size.players());
            assert_eq!(Size::from_code(size.code()), Some(size));
        }
        assert_eq!(Size::from_code("x"), None);
    }
}
