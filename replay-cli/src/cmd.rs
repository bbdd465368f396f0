//! The subcommands. Each reads the store (or an exported file) and prints; none writes to a
//! store.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use allspark_engine::battle::replay::{self, Divergence};
use allspark_engine::battle::BattleEvent;
use allspark_engine::battle::BattleKind;
use allspark_engine::log::LogError;
use allspark_engine::scenario::{self, FixtureResult};
use allspark_engine::{Event, EventLog, PlayerId, SledLog, StreamId, World};

use crate::battles::{self, BattleFile};
use crate::{Action, Cli};

/// A store opened for reading: the store itself, or a private copy of it.
pub struct Store {
    log: SledLog,
    /// The copy [`open`] read instead of a store it may not write; removed when the store is
    /// dropped (after `log`, which is declared first).
    _copy: Option<tempfile::TempDir>,
}

impl std::ops::Deref for Store {
    type Target = SledLog;

    fn deref(&self) -> &SledLog {
        &self.log
    }
}

/// Opens the store under `data` to read it, with one sentence when it can't be.
///
/// A store this user may not write (a backup, a read-only mount, another user's directory) is
/// read from a private copy: sled 0.34 has no read-only mode (it opens its files for writing,
/// takes an exclusive lock on them and may rewrite its segments while recovering), so it
/// cannot open such a store at all, and asking it to would only fail. The copy, of the
/// store's `log` directory alone, goes to a fresh temporary directory that only this process
/// uses and is removed at exit; the store itself is never opened, so nothing in it changes. A
/// store nobody else can write has no writer to race the copy. A store locked by a running
/// bot is not copied (it is being written): the message says how to read it instead.
pub fn open(data: &Path) -> anyhow::Result<Store> {
    if data.is_file() {
        anyhow::bail!(
            "{} is a file, not a store directory (pass the bot's --data directory)",
            data.display()
        );
    }
    let log_dir = allspark_engine::runtime::log_dir(data);
    if !log_dir.join("db").exists() && !log_dir.join("conf").exists() {
        anyhow::bail!("no store at {} (pass --data DIR)", data.display());
    }
    let cannot_open =
        |error: LogError| anyhow::anyhow!("cannot open the store at {}: {error}", data.display());
    match SledLog::open_for_reading(&log_dir) {
        Ok(log) => Ok(Store { log, _copy: None }),
        Err(LogError::Locked { .. }) => anyhow::bail!(
            "the store at {} is held by a running bot (sled lets one process open a store at a \
             time). Read its battles through the bot's replay feed instead (start the bot with \
             --replay-listen 127.0.0.1:7878, then pass http://127.0.0.1:7878/battles/<id>), or \
             stop the bot, or read a battle exported with `allspark-replay export`",
            data.display()
        ),
        Err(error) if SledLog::is_permission_error(&error) => {
            let copy = tempfile::Builder::new()
                .prefix("allspark-replay-")
                .tempdir()
                .map_err(|e| {
                    anyhow::anyhow!(
                        "the store at {} may not be written, so it is read from a copy, but no \
                         temporary directory could be made for one: {e}",
                        data.display()
                    )
                })?;
            let copied = copy.path().join("log");
            copy_dir(&log_dir, &copied).map_err(|e| {
                anyhow::anyhow!(
                    "the store at {} may not be written, so it is read from a copy, but copying \
                     it failed: {e}",
                    data.display()
                )
            })?;
            let log = SledLog::open_for_reading(&copied).map_err(cannot_open)?;
            Ok(Store {
                log,
                _copy: Some(copy),
            })
        }
        Err(error) => Err(cannot_open(error)),
    }
}

/// Copies a directory tree (a sled store: files and folders, no links).
fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(|e| {
                std::io::Error::new(e.kind(), format!("{}: {e}", entry.path().display()))
            })?;
            // The copy is this process's own: it may write it (the original's modes came along).
            let mut permissions = std::fs::metadata(&target)?.permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            permissions.set_readonly(false);
            std::fs::set_permissions(&target, permissions)?;
        }
    }
    Ok(())
}

pub fn run(cli: Cli, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    match cli.command {
        Action::Battles {
            player,
            mode,
            since,
            until,
        } => list(&cli.data, player, mode, since, until, out),
        Action::Show { battle, turn } => show(&cli.data, &battle, turn, out),
        Action::Step { battle }
            if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() =>
        {
            let (id, events) = battles::load(&cli.data, &battle)?;
            let views = replay::timeline(events.iter())
                .map_err(|d| anyhow::anyhow!("battle {id} does not re-simulate: {d}"))?;
            crate::tui::run(&cli.data, &battle, id, views)?;
            Ok(ExitCode::SUCCESS)
        }
        Action::Step { battle } => step(&cli.data, &battle, std::io::stdin().lock(), out),
        Action::Verify { battle, all } => verify(&cli.data, battle, all, out),
        Action::Export {
            battle,
            format,
            out: path,
        } => export(&cli.data, &battle, &format, path, out),
        Action::Log {
            from,
            stream,
            limit,
        } => print_log(
            &*open(&cli.data)?,
            from,
            stream,
            limit.unwrap_or(u64::MAX),
            out,
        ),
        Action::State { at, player } => print_state(&*open(&cli.data)?, at, PlayerId(player), out),
        Action::Fixtures { dir, update } => fixtures(&dir, update, out),
    }
}

fn day_millis(text: &str) -> anyhow::Result<i64> {
    let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| anyhow::anyhow!("`{text}` is not a date (YYYY-MM-DD)"))?;
    Ok(date
        .and_hms_opt(0, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp_millis()))
}

fn list(
    data: &Path,
    player: Option<u64>,
    mode: Option<String>,
    since: Option<String>,
    until: Option<String>,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let log = open(data)?;
    let since = since.as_deref().map(day_millis).transpose()?;
    let until = until.as_deref().map(day_millis).transpose()?;
    // clap checked the label against the same table.
    let wanted = mode.as_deref().map(BattleKind::parse);
    let mut found = battles::all_battles(&log)?;
    found.reverse();
    for (id, started) in found {
        let Event::Battle(BattleEvent::Started {
            mode: battle_mode,
            fighters,
            ..
        }) = &started.event
        else {
            continue;
        };
        let kind = replay::battle_kind(&*log, id, *battle_mode)?;
        if wanted.is_some_and(|wanted| wanted != Some(kind)) {
            continue;
        }
        let players: Vec<u64> = fighters
            .iter()
            .filter_map(|f| Some(f.player()?.0))
            .collect();
        if player.is_some_and(|p| !players.contains(&p))
            || since.is_some_and(|s| started.recorded_at.0 < s)
            || until.is_some_and(|u| started.recorded_at.0 >= u)
        {
            continue;
        }
        let events = battles::battle_events(&log, id)?;
        let status = match events
            .iter()
            .rev()
            .find(|e| matches!(e, BattleEvent::Ended { .. }))
        {
            Some(BattleEvent::Ended { outcome, turns, .. }) => {
                format!(
                    "{} after {}",
                    battles::outcome_text(*outcome),
                    battles::turns_text(*turns)
                )
            }
            _ => "open".to_string(),
        };
        let players: Vec<String> = players.iter().map(u64::to_string).collect();
        writeln!(
            out,
            "{id}  {}  {:<12}  players {}  {status}",
            started.recorded_at,
            kind.label(),
            players.join(",")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn show(
    data: &Path,
    battle: &str,
    turn: Option<u32>,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let (id, events) = battles::load(data, battle)?;
    let views = replay::timeline(events.iter())
        .map_err(|d| anyhow::anyhow!("battle {id} does not re-simulate: {d}"))?;
    let last = views.last().map_or(0, |view| view.turn);
    if let Some(turn) = turn.filter(|turn| *turn > last) {
        anyhow::bail!(
            "battle {id} has no turn {turn}: its last turn is {last} (turns run from 0, the start, to {last})"
        );
    }
    writeln!(out, "battle {id}")?;
    for view in views.iter().filter(|v| turn.is_none_or(|t| t == v.turn)) {
        write!(out, "{}", battles::turn_text(view))?;
    }
    if let Some(BattleEvent::Ended { outcome, seed, .. }) = events
        .iter()
        .rev()
        .find(|e| matches!(e, BattleEvent::Ended { .. }))
    {
        if turn.is_none() {
            writeln!(
                out,
                "ended: {} (seed {:032x})",
                battles::outcome_text(*outcome),
                seed.value
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn step(
    data: &Path,
    battle: &str,
    input: impl BufRead,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let (id, events) = battles::load(data, battle)?;
    let mut views = replay::timeline(events.iter())
        .map_err(|d| anyhow::anyhow!("battle {id} does not re-simulate: {d}"))?;
    let mut at = 0usize;
    let help = "n: next, p: previous, j N: jump to turn N, f: follow (re-read the store), q: quit";
    writeln!(
        out,
        "battle {id}: {} turns. {help}",
        views.len().saturating_sub(1)
    )?;
    write!(out, "{}", battles::turn_text(&views[0]))?;
    for line in input.lines() {
        let line = line?;
        let mut words = line.split_whitespace();
        match words.next() {
            Some("q") | Some("quit") => break,
            Some("n") | Some("next") | None => at = (at + 1).min(views.len() - 1),
            Some("p") | Some("previous") => at = at.saturating_sub(1),
            Some("j") | Some("jump") => match words.next().and_then(|n| n.parse::<usize>().ok()) {
                Some(n) => at = n.min(views.len() - 1),
                None => {
                    writeln!(out, "jump where? j N")?;
                    continue;
                }
            },
            Some("f") | Some("follow") => {
                // Re-read from where it came from (a store, or a running bot's feed).
                let (_, fresh) = battles::load(data, battle)?;
                views = replay::timeline(fresh.iter()).map_err(|d| anyhow::anyhow!("{d}"))?;
                at = views.len() - 1;
            }
            Some(other) => {
                writeln!(out, "unknown `{other}`; {help}")?;
                continue;
            }
        }
        write!(out, "{}", battles::turn_text(&views[at]))?;
        out.flush()?;
    }
    Ok(ExitCode::SUCCESS)
}

fn verify(
    data: &Path,
    battle: Option<String>,
    all: bool,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let targets: Vec<BattleFile> = match (battle, all) {
        (Some(battle), _) => vec![battles::load_file(data, &battle)?],
        (None, true) => {
            let log = open(data)?;
            let ids = battles::all_battles(&log)?;
            ids.into_iter()
                .map(|(id, _)| battles::store_file(&log, id))
                .collect::<Result<_, _>>()?
        }
        (None, false) => anyhow::bail!("name a BATTLE or pass --all"),
    };
    let progress = std::io::stderr().is_terminal() && targets.len() > 20;
    let mut failed = 0;
    let mut settled = 0;
    for (index, file) in targets.iter().enumerate() {
        if progress {
            eprint!("\rverifying {}/{}", index + 1, targets.len());
        }
        let id = file.battle;
        match replay::verify_file(file) {
            Ok(verified) => settled += usize::from(verified.settled),
            Err(divergence) => {
                failed += 1;
                let seed = file.events.iter().find_map(|e| match e {
                    BattleEvent::Started { seed, .. } => Some(seed.value),
                    _ => None,
                });
                writeln!(out, "MISMATCH battle {id}: {divergence}")?;
                if let Divergence::Turn { turn, .. } = divergence {
                    writeln!(out, "  first differing event: TurnResolved of turn {turn}")?;
                }
                writeln!(
                    out,
                    "  seed {:032x}; rerun: allspark-replay show {id} --turn {}",
                    seed.unwrap_or_default(),
                    divergence.turn()
                )?;
            }
        }
    }
    if progress {
        eprintln!();
    }
    writeln!(
        out,
        "verified {} battles, {failed} mismatched; {settled} ends checked against their rewards, loot, stakes and ratings",
        targets.len()
    )?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn export(
    data: &Path,
    battle: &str,
    format: &str,
    path: Option<std::path::PathBuf>,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    if format != "json" {
        anyhow::bail!("unknown format `{format}` (only json)");
    }
    let file = battles::load_file(data, battle)?;
    let text = serde_json::to_string_pretty(&file)?;
    match path {
        Some(path) => std::fs::write(&path, text + "\n")
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?,
        None => writeln!(out, "{text}")?,
    }
    Ok(ExitCode::SUCCESS)
}

fn print_log(
    log: &SledLog,
    from: u64,
    stream: Option<String>,
    limit: u64,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    const PAGE_EVENTS: usize = 1_024;
    let mut printed = 0u64;
    // The event as the JSON exports use: ids in the one form they print in everywhere (hex
    // for battles, lobbies, challenges, commands and seeds; decimal for players).
    let describe = |event: &allspark_engine::RecordedEvent| {
        format!(
            "#{} {} {}@{} by {} (command {}): {}",
            event.seq,
            event.recorded_at,
            event.stream,
            event.stream_version,
            event.actor,
            event.command_id,
            serde_json::to_string(&event.event).unwrap_or_else(|e| format!("(unprintable: {e})"))
        )
    };
    match stream {
        Some(name) => {
            let stream = StreamId::new(name.clone())
                .ok_or_else(|| anyhow::anyhow!("`{name}` is not a valid stream name"))?;
            if log.stream_version(&stream)? == 0 {
                anyhow::bail!("stream {stream} has no events");
            }
            for event in log.read_stream(&stream, 1, usize::MAX)? {
                if event.seq < from {
                    continue;
                }
                if printed == limit {
                    break;
                }
                writeln!(out, "{}", describe(&event))?;
                printed += 1;
            }
        }
        None => {
            let mut seq = from.max(1);
            loop {
                let page = log.read_all(seq, PAGE_EVENTS)?;
                if page.is_empty() {
                    break;
                }
                for event in &page {
                    seq = event.seq + 1;
                    if printed == limit {
                        return Ok(ExitCode::SUCCESS);
                    }
                    writeln!(out, "{}", describe(event))?;
                    printed += 1;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_state(
    log: &SledLog,
    at: Option<u64>,
    player: PlayerId,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let end = at.unwrap_or_else(|| log.last_seq());
    if end > log.last_seq() {
        anyhow::bail!(
            "the log ends at seq {}; --at {end} is past it",
            log.last_seq()
        );
    }
    let mut world = World::default();
    let mut seq = 1;
    while seq <= end {
        let page = log.read_all(seq, 4_096)?;
        if page.is_empty() {
            break;
        }
        for event in page.iter().take_while(|event| event.seq <= end) {
            world.evolve(event);
            seq = event.seq + 1;
        }
        if page.last().is_some_and(|event| event.seq >= end) {
            break;
        }
    }
    let summary = scenario::summarize(&world, player);
    writeln!(out, "player {player} at seq {}", world.last_seq)?;
    match allspark_engine::player::view::joined_at(&world, player) {
        Some(joined_at) => writeln!(out, "  joined: {joined_at}")?,
        None => writeln!(out, "  not joined yet")?,
    }
    writeln!(out, "  energon: {}", summary.wallet)?;
    writeln!(out, "  bank: {}", summary.bank)?;
    writeln!(out, "  rush: {}", summary.rush)?;
    if let Some(level) = summary.pet_level {
        writeln!(
            out,
            "  pet: level {level}, attack {}, defense {}",
            summary.pet_attack.unwrap_or(0),
            summary.pet_defense.unwrap_or(0)
        )?;
    }
    writeln!(
        out,
        "  battles: {} won, {} lost, rating {}",
        summary.battles_won, summary.battles_lost, summary.rating
    )?;
    Ok(ExitCode::SUCCESS)
}

fn fixtures(dir: &Path, update: bool, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let reports = scenario::run_fixtures(dir, update)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", dir.display()))?;
    if reports.is_empty() {
        anyhow::bail!(
            "no scenarios under {} (a scenario is a *.json file other than an outcome, *.golden.json or *.expected.json, in the folder or any folder below it)",
            dir.display()
        );
    }
    let mut failed = 0;
    for (name, result) in &reports {
        match result {
            FixtureResult::Passed => writeln!(out, "ok       {name}")?,
            FixtureResult::Updated => writeln!(out, "updated  {name}")?,
            FixtureResult::Mismatch { expected, actual } => {
                failed += 1;
                writeln!(out, "MISMATCH {name}")?;
                for (e, a) in expected.lines().zip(actual.lines()).filter(|(e, a)| e != a) {
                    writeln!(out, "  - {e}\n  + {a}")?;
                }
            }
            FixtureResult::Failed(reason) => {
                failed += 1;
                writeln!(out, "FAILED   {name}: {reason}")?;
            }
        }
    }
    writeln!(out, "{} passed, {failed} failed", reports.len() - failed)?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
