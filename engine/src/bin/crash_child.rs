//! Test support, not a tool: the victim of the crash test (`tests/crash.rs`): drives commands into a sled store from
//! eight concurrent callers forever, printing `ACK <command id>` after each acknowledged one.
//! The test kills it with SIGKILL at a random moment and checks the store.
//!
//! Usage: `crash_child STORE_DIR FIRST_COMMAND_ID`

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use allspark_engine::energon::EnergonCommand;
use allspark_engine::player::PlayerCommand;
use allspark_engine::{Actor, Command, CommandId, Engine, EngineConfig, PlayerId};

const N_CALLERS: u64 = 8;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or("missing STORE_DIR")?);
    let first_id: u128 = args.next().ok_or("missing FIRST_COMMAND_ID")?.parse()?;
    let config = EngineConfig {
        snapshot_every_events: 500,
        ..EngineConfig::default()
    };
    let engine = Engine::open_dir(&dir, config)?;
    let stdout = Arc::new(std::sync::Mutex::new(std::io::stdout()));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let mut callers = Vec::new();
        for caller in 0..N_CALLERS {
            let engine = engine.clone();
            let stdout = stdout.clone();
            callers.push(tokio::spawn(async move {
                let player = PlayerId(caller + 1);
                let mut n: u128 = 0;
                loop {
                    let id = CommandId(first_id + n * u128::from(N_CALLERS) + u128::from(caller));
                    let (actor, command) = match n % 4 {
                        0 => (Actor::Player(player), Command::Player(PlayerCommand::Join)),
                        1 => (
                            Actor::System,
                            Command::Energon(EnergonCommand::Credit { player, amount: 10 }),
                        ),
                        _ => (
                            Actor::Player(player),
                            Command::Energon(EnergonCommand::Transfer {
                                to: PlayerId((caller + 1) % N_CALLERS + 1),
                                amount: 3,
                            }),
                        ),
                    };
                    let envelope = engine.envelope(id, actor, command);
                    if engine.execute(envelope).await.is_err() {
                        return;
                    }
                    let mut out = stdout.lock().unwrap_or_else(|p| p.into_inner());
                    let _ = writeln!(out, "ACK {}", id.0);
                    let _ = out.flush();
                    n += 1;
                }
            }));
        }
        for caller in callers {
            let _ = caller.await;
        }
    });
    Ok(())
}
