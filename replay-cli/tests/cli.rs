//! allspark-replay run as a binary on a store made by the console.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(program: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = match Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(error) => panic!("cannot start {program}: {error}"),
    };
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin.as_bytes());
    }
    match child.wait_with_output() {
        Ok(output) => output,
        Err(error) => panic!("{program} did not finish: {error}"),
    }
}

/// Makes a store the way the console would: a join, a grant, a second join, a transfer.
fn make_store(dir: &std::path::Path) {
    use allspark_engine::energon::EnergonCommand;
    use allspark_engine::player::PlayerCommand;
    use allspark_engine::{Actor, Command, CommandId, Engine, EngineConfig, PlayerId};

    let engine = match Engine::open_dir(dir, EngineConfig::default()) {
        Ok(engine) => engine,
        Err(error) => panic!("cannot open a store: {error}"),
    };
    let commands = [
        (
            Actor::Player(PlayerId(1)),
            Command::Player(PlayerCommand::Join),
        ),
        (
            Actor::System,
            Command::Energon(EnergonCommand::Credit {
                player: PlayerId(1),
                amount: 50,
            }),
        ),
        (
            Actor::Player(PlayerId(2)),
            Command::Player(PlayerCommand::Join),
        ),
        (
            Actor::Player(PlayerId(1)),
            Command::Energon(EnergonCommand::Transfer {
                to: PlayerId(2),
                amount: 20,
            }),
        ),
    ];
    for (n, (actor, command)) in commands.into_iter().enumerate() {
        let envelope = engine.envelope(CommandId(n as u128 + 1), actor, command);
        match engine.execute_blocking(envelope) {
            Ok(reply) => assert!(reply.outcome.is_accepted()),
            Err(error) => panic!("command failed: {error}"),
        }
    }
    engine.shutdown();
}

#[test]
fn log_and_state_read_back_a_played_store() {
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => panic!("no temporary directory: {error}"),
    };
    let data = dir.path().to_string_lossy().into_owned();
    let replay = env!("CARGO_BIN_EXE_allspark-replay");
    make_store(dir.path());

    let log = run(replay, &["--data", &data, "log"], "");
    assert!(log.status.success());
    let text = String::from_utf8_lossy(&log.stdout);
    assert_eq!(text.lines().count(), 5, "{text}");
    assert!(text
        .lines()
        .next()
        .is_some_and(|line| line.starts_with("#1 ") && line.contains("Joined")));

    let stream = run(replay, &["--data", &data, "log", "--stream", "user/2"], "");
    assert_eq!(String::from_utf8_lossy(&stream.stdout).lines().count(), 2);

    let before = run(
        replay,
        &["--data", &data, "state", "--player", "1", "--at", "2"],
        "",
    );
    assert_eq!(
        String::from_utf8_lossy(&before.stdout).lines().last(),
        Some("  energon: 50")
    );
    let after = run(replay, &["--data", &data, "state", "--player", "1"], "");
    assert_eq!(
        String::from_utf8_lossy(&after.stdout).lines().last(),
        Some("  energon: 30")
    );

    let missing = run(replay, &["--data", "/nonexistent/allspark", "log"], "");
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("allspark-replay: no store at"));
}
