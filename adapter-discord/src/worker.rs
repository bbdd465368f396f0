//! The timer worker: the shell's clock turned into commands. Every tick it looks for battle
//! turns past their deadline, lobbies past their expiry, challenges past theirs and trades past
//! their deadline, and sends the engine the matching `Timeout`, `ExpireLobby`,
//! `ExpireChallenge` or `TradeCommand::Expire` as the system.
//!
//! Command ids are derived from what they time out (battle and turn, lobby, challenge, trade), so two
//! ticks (or two workers) that see the same deadline send the same command and the engine
//! decides it once.

use std::time::Duration;

use allspark_engine::battle::BattleCommand;
use allspark_engine::trade::TradeCommand;
use allspark_engine::{Actor, Command, CommandId, Engine};
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

/// One pass: sends every timeout that is due now. Returns how many commands were accepted.
pub async fn tick(engine: &Engine) -> usize {
    let now = engine.now();
    let Ok((due, trades)) = engine
        .query(move |world| {
            (
                allspark_engine::battle::view::due(world, now),
                allspark_engine::trade::view::due(world, now),
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
