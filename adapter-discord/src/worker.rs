//! The timer worker: the shell's clock turned into commands. Every tick it looks for battle
//! turns past their deadline, lobbies past their expiry, challenges past theirs and trades past
//! their deadline, and sends the engine the matching `Timeout`, `ExpireLobby`,
//! `ExpireChallenge` or `TradeCommand::Expire` as the system.
//!
//! It also sends the CyberCoin market's ticks: one per interval (`ALLSPARK_MARKET_TICK_SECS`,
//! an hour by default), each with its number and the instant it was due; after downtime at most
//! `market::tuning::CATCH_UP_MAX` are caught up, the older ones recorded as missed.
//!
//! Command ids are derived from what they time out (battle and turn, lobby, challenge, trade,
//! tick number), so two ticks (or two workers) that see the same deadline send the same command and
//! the engine decides it once.

use std::time::Duration;

use allspark_engine::battle::BattleCommand;
use allspark_engine::fun::FunCommand;
use allspark_engine::market::tuning::{CATCH_UP_MAX, TICK_INTERVAL_SECS_DEFAULT};
use allspark_engine::market::{self, MarketCommand};
use allspark_engine::rpg::RpgCommand;
use allspark_engine::trade::TradeCommand;
use allspark_engine::{Actor, Command, CommandId, Engine, Timestamp};
use sha2::{Digest, Sha256};

/// How often the worker looks, in production.
pub const TICK: Duration = Duration::from_secs(5);

/// A command id derived from what the command is about, so the same deadline (or the same
/// press asking for several commands) always gives the same ids and the engine decides each
/// once.
pub fn derived_id(kind: &str, parts: &[u128]) -> CommandId {
    let mut hasher = Sha256::new();
    hasher.update(b"allspark/worker/v1/");
    hasher.update(kind.as_bytes());
    for part in parts {
        hasher.update(part.to_be_bytes());
    }
    let digest = hasher.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    // The top bit marks derived ids, apart from Discord snowflakes and console ids.
    CommandId(u128::from_be_bytes(bytes) | (1 << 127))
}

/// The market's interval: `ALLSPARK_MARKET_TICK_SECS` (at least 10 s), else an hour.
pub fn market_interval() -> Duration {
    static INTERVAL: std::sync::OnceLock<Duration> = std::sync::OnceLock::new();
    *INTERVAL.get_or_init(|| {
        let secs = std::env::var("ALLSPARK_MARKET_TICK_SECS")
            .ok()
            .and_then(|text| text.trim().parse::<u64>().ok())
            .map_or(TICK_INTERVAL_SECS_DEFAULT, |secs| secs.max(10));
        Duration::from_secs(secs)
    })
}

/// Sends the market ticks due now at `interval`: the opening tick if the market never opened,
/// else every interval passed since the latest tick (the oldest beyond the catch-up cap as one
/// `SkipTicks`). Returns how many were accepted.
pub async fn market_ticks(engine: &Engine, interval: Duration) -> usize {
    let now = engine.now();
    let Ok(clock) = engine.query(market::view::clock).await else {
        return 0;
    };
    let interval_ms = i64::try_from(interval.as_millis())
        .unwrap_or(i64::MAX)
        .max(1);
    let mut commands = Vec::new();
    match clock.last_at {
        None => commands.push((
            derived_id("market-tick", &[u128::from(clock.next_tick)]),
            MarketCommand::Tick {
                number: clock.next_tick,
                at: now,
            },
        )),
        Some(last) => {
            let due = u64::try_from(now.0.saturating_sub(last.0) / interval_ms).unwrap_or(0);
            let skipped = due.saturating_sub(CATCH_UP_MAX);
            let mut number = clock.next_tick;
            if skipped > 0 {
                commands.push((
                    derived_id("market-skip", &[u128::from(number)]),
                    MarketCommand::SkipTicks {
                        from: number,
                        count: skipped,
                    },
                ));
                number += skipped;
            }
            for k in skipped + 1..=due {
                let at = Timestamp(last.0.saturating_add(interval_ms.saturating_mul(k as i64)));
                commands.push((
                    derived_id("market-tick", &[u128::from(number)]),
                    MarketCommand::Tick { number, at },
                ));
                number += 1;
            }
        }
    }
    let mut accepted = 0;
    for (id, command) in commands {
        let envelope = engine.envelope(id, Actor::System, Command::Market(command));
        match engine.execute(envelope).await {
            Ok(reply) if reply.outcome.is_accepted() && !reply.duplicate => accepted += 1,
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "market tick failed"),
        }
    }
    accepted
}

/// One pass: sends every timeout and market tick that is due now. Returns how many commands
/// were accepted.
pub async fn tick(engine: &Engine) -> usize {
    market_ticks(engine, market_interval()).await + timeouts(engine).await
}

/// Sends every battle, lobby and challenge timeout, trade expiry, lapsed range session,
/// trivia question out of time and combiner team out of time that is due now.
pub async fn timeouts(engine: &Engine) -> usize {
    let now = engine.now();
    let Ok((due, trades, ranges, trivia, teams, adventures)) = engine
        .query(move |world| {
            (
                allspark_engine::battle::view::due(world, now),
                allspark_engine::trade::view::due(world, now),
                allspark_engine::fun::view::lapsed_ranges(world, now),
                allspark_engine::fun::view::trivia_due(world, now),
                allspark_engine::fun::view::teams_due(world, now),
                allspark_engine::rpg::view::due(world),
            )
        })
        .await
    else {
        return 0;
    };
    let mut commands = Vec::new();
    for (battle, turn) in due.turns {
        commands.push((
            derived_id("timeout", &[battle.0, u128::from(turn)]),
            BattleCommand::Timeout { battle, turn },
        ));
    }
    for lobby in due.lobbies {
        commands.push((
            derived_id("lobby", &[lobby.0]),
            BattleCommand::ExpireLobby { lobby },
        ));
    }
    for challenge in due.challenges {
        commands.push((
            derived_id("challenge", &[challenge.0]),
            BattleCommand::ExpireChallenge { challenge },
        ));
    }
    let mut commands: Vec<(CommandId, Command)> = commands
        .into_iter()
        .map(|(id, command)| (id, Command::Battle(command)))
        .collect();
    for trade in trades {
        commands.push((
            derived_id("trade", &[trade.0]),
            Command::Trade(TradeCommand::Expire { trade }),
        ));
    }
    for (player, session, started_at) in ranges {
        commands.push((
            derived_id(
                "range-lapse",
                &[
                    u128::from(player.0),
                    u128::from(session),
                    started_at.0 as u128,
                ],
            ),
            Command::Fun(FunCommand::RangeLapse { player, session }),
        ));
    }
    for (channel, number, started_at) in trivia {
        commands.push((
            derived_id(
                "trivia-timeout",
                &[
                    u128::from(channel.0),
                    u128::from(number),
                    started_at.0 as u128,
                ],
            ),
            Command::Fun(FunCommand::TriviaTimeout { channel, number }),
        ));
    }
    for team in teams {
        commands.push((
            derived_id("combiner-expire", &[u128::from(team)]),
            Command::Fun(FunCommand::CombinerExpire { team }),
        ));
    }
    for (deadline, command) in adventures {
        if deadline > now {
            continue;
        }
        let id = match &command {
            RpgCommand::ExpireParty { adventure } => {
                derived_id("rpg-expire", &[u128::from(*adventure)])
            }
            RpgCommand::Timeout { adventure, segment } => derived_id(
                "rpg-timeout",
                &[u128::from(*adventure), u128::from(*segment)],
            ),
            _ => continue,
        };
        commands.push((id, Command::Rpg(command)));
    }
    let mut accepted = 0;
    for (id, command) in commands {
        let envelope = engine.envelope(id, Actor::System, command);
        match engine.execute(envelope).await {
            Ok(reply) if reply.outcome.is_accepted() && !reply.duplicate => accepted += 1,
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "timer command failed"),
        }
    }
    accepted
}

/// Ticks forever (until the task is dropped).
pub async fn run(engine: Engine) {
    let mut interval = tokio::time::interval(TICK);
    loop {
        interval.tick().await;
        let n = tick(&engine).await;
        if n > 0 {
            tracing::info!(n, "timeouts applied");
        }
    }
}
