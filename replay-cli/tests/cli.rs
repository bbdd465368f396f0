//! allspark-replay run as a binary on a store made by real play through the engine: listing,
//! showing, stepping, verifying (and catching a tampered battle), exporting, the log, state at a
//! point in history, fixtures, and one-line errors with documented exit codes.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use allspark_engine::battle::sim::{Action, Who};
use allspark_engine::battle::{BattleCommand, BattleEvent};
use allspark_engine::energon::EnergonCommand;
use allspark_engine::pets::{Faction, PetCommand};
use allspark_engine::{
    Actor, Command as GameCommand, CommandId, Engine, EngineConfig, Event, PlayerId,
};

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_allspark-replay"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start allspark-replay: {e}"));
    if let Some(mut input) = child.stdin.take() {
        let _ = input.write_all(stdin.as_bytes());
    }
    child.wait_with_output().unwrap_or_else(|e| panic!("{e}"))
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Plays into a store: two pets, a grant and a transfer, a solo battle and a duel to the end.
fn make_store(dir: &Path) {
    let engine = Engine::open_dir(dir, EngineConfig::default()).unwrap_or_else(|e| panic!("{e}"));
    let mut next = 0u128;
    let mut send = |actor: Actor, command: GameCommand| {
        next += 1;
        let reply = engine
            .execute_blocking(engine.envelope(CommandId(next), actor, command))
            .unwrap_or_else(|e| panic!("{e}"));
        reply
            .outcome
            .events()
            .iter()
            .map(|e| e.event.clone())
            .collect::<Vec<Event>>()
    };
    let (one, two) = (Actor::Player(PlayerId(1)), Actor::Player(PlayerId(2)));
    send(
        one,
        GameCommand::Pet(PetCommand::Adopt {
            faction: Faction::Decepticon,
        }),
    );
    send(
        two,
        GameCommand::Pet(PetCommand::Adopt {
            faction: Faction::Autobot,
        }),
    );
    send(
        Actor::System,
        GameCommand::Energon(EnergonCommand::Credit {
            player: PlayerId(1),
            amount: 50,
        }),
    );
    send(
        one,
        GameCommand::Energon(EnergonCommand::Transfer {
            to: PlayerId(2),
            amount: 20,
        }),
    );
    let enemy = allspark_engine::content::get()
        .enemies
        .keys()
        .next()
        .cloned()
        .unwrap_or_default();
    send(one, GameCommand::Battle(BattleCommand::StartSolo { enemy }));
    let fight = |send: &mut dyn FnMut(Actor, GameCommand) -> Vec<Event>| {
        for _ in 0..300 {
            let open = engine
                .query_blocking(|w| w.battles().open.values().next().cloned())
                .unwrap_or_else(|e| panic!("{e}"));
            let Some(battle) = open else { return };
            for seat in battle.waiting_for() {
                let me = battle.sim.fighters[usize::from(seat)];
                let Who::Pet { player, .. } = me.who else {
                    continue;
                };
                let target = battle
                    .sim
                    .fighters
                    .iter()
                    .position(|f| f.side != me.side && f.is_alive())
                    .unwrap_or(0) as u8;
                send(
                    Actor::Player(player),
                    GameCommand::Battle(BattleCommand::Act {
                        battle: battle.id,
                        turn: battle.sim.turn,
                        action: Action::Attack { target },
                    }),
                );
            }
        }
    };
    fight(&mut send);
    let issued = send(
        one,
        GameCommand::Battle(BattleCommand::Challenge {
            opponent: PlayerId(2),
            stake: 0,
        }),
    );
    let challenge = issued.iter().find_map(|e| match e {
        Event::Battle(BattleEvent::ChallengeIssued { challenge, .. }) => Some(*challenge),
        _ => None,
    });
    send(
        two,
        GameCommand::Battle(BattleCommand::AcceptChallenge {
            challenge: challenge.unwrap_or_else(|| panic!("no challenge")),
        }),
    );
    fight(&mut send);
    engine.shutdown();
}

#[test]
fn every_subcommand_reads_a_played_store() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    make_store(dir.path());
    let data = dir.path().to_string_lossy().into_owned();
    let args = |rest: &[&str]| -> Vec<String> {
        ["--data", data.as_str()]
            .iter()
            .chain(rest)
            .map(|s| s.to_string())
            .collect()
    };
    let call = |rest: &[&str], stdin: &str| {
        let owned = args(rest);
        let refs: Vec<&str> = owned.iter().map(String::as_str).collect();
        run(&refs, stdin)
    };

    let listed = call(&["battles"], "");
    assert!(listed.status.success());
    let lines: Vec<String> = stdout(&listed).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].contains("challenge") && lines[1].contains("solo"),
        "newest first: {lines:?}"
    );
    let duel = lines[0]
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        stdout(&call(&["battles", "--mode", "solo"], ""))
            .lines()
            .count(),
        1
    );
    assert_eq!(
        stdout(&call(&["battles", "--player", "2"], ""))
            .lines()
            .count(),
        1
    );

    let shown = stdout(&call(&["show", &duel[..8]], ""));
    assert!(
        shown.starts_with(&format!("battle {duel}"))
            && shown.contains("== turn 1 ==")
            && shown.contains("ended: Won"),
        "{shown}"
    );
    let one_turn = stdout(&call(&["show", &duel, "--turn", "1"], ""));
    assert!(
        one_turn.contains("== turn 1 ==") && !one_turn.contains("== turn 2 =="),
        "{one_turn}"
    );

    let stepped = stdout(&call(&["step", &duel], "n\nn\np\nj 0\nbogus\nq\n"));
    assert!(
        stepped.contains("n: next")
            && stepped.matches("== turn 1 ==").count() == 2
            && stepped.contains("unknown `bogus`"),
        "{stepped}"
    );

    let verified = call(&["verify", "--all"], "");
    assert!(verified.status.success(), "{}", stdout(&verified));
    assert!(stdout(&verified).contains("verified 2 battles, 0 mismatched"));

    let export_path = dir.path().join("duel.json");
    let export_text = export_path.to_string_lossy().into_owned();
    assert!(call(
        &["export", &duel, "--format", "json", "--out", &export_text],
        ""
    )
    .status
    .success());
    assert!(
        run(&["verify", &export_text], "").status.success(),
        "an exported file verifies without a store"
    );
    // An export missing its start is refused in one line by everything that reads it.
    // (Line-wise, as a person would edit it.)
    let text = std::fs::read_to_string(&export_path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim() == "\"Started\": {")
        .unwrap_or_else(|| panic!("no Started in {text}"));
    let end = start
        + lines[start..]
            .iter()
            .position(|l| *l == "    },")
            .unwrap_or_else(|| panic!("no end of Started in {text}"));
    let kept: Vec<&str> = lines[..start - 1]
        .iter()
        .chain(&lines[end + 1..])
        .copied()
        .collect();
    let headless_path = dir.path().join("headless.json");
    let headless = headless_path.to_string_lossy().into_owned();
    std::fs::write(&headless_path, kept.join("\n")).unwrap_or_else(|e| panic!("{e}"));
    for action in ["show", "step", "verify"] {
        let refused = run(&[action, &headless], "n\nq\n");
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(
            matches!(refused.status.code(), Some(1) | Some(2))
                && !stderr.contains("panicked")
                && (stderr.contains("no Started event")
                    || stdout(&refused).contains("no Started event")),
            "{action}: {stderr} {}",
            stdout(&refused)
        );
    }
    // Tamper with one recorded roll: verify names the turn and fails with status 1.
    let text = std::fs::read_to_string(&export_path).unwrap_or_default();
    let key = "\"state_hash\": \"";
    let start = text.find(key).map_or(0, |at| at + key.len());
    let end = start
        + text[start..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(0);
    assert_ne!(&text[start..end], "0", "pick another field to tamper with");
    let tampered = format!("{}0{}", &text[..start], &text[end..]);
    std::fs::write(&export_path, tampered).unwrap_or_else(|e| panic!("{e}"));
    let mismatch = run(&["verify", &export_text], "");
    assert_eq!(mismatch.status.code(), Some(1));
    assert!(
        stdout(&mismatch).contains("MISMATCH") && stdout(&mismatch).contains("turn 1"),
        "{}",
        stdout(&mismatch)
    );

    let log = stdout(&call(&["log", "--stream", "user/2", "--limit", "2"], ""));
    assert_eq!(log.lines().count(), 2);
    // Seqs 1 to 6: two players join and adopt (each adoption records its pet's starting
    // numbers); 7: the grant; 8 and 9: the transfer.
    let state = stdout(&call(&["state", "--player", "1", "--at", "7"], ""));
    assert!(state.contains("energon: 50"), "{state}");
    let later = stdout(&call(&["state", "--player", "1", "--at", "8"], ""));
    assert!(later.contains("energon: 30"), "{later}");

    // Dates bound the list on both sides; a bad date is one line.
    let count = |rest: &[&str]| stdout(&call(rest, "")).lines().count();
    assert_eq!(count(&["battles", "--since", "2000-01-01"]), 2);
    assert_eq!(count(&["battles", "--since", "2999-01-01"]), 0);
    assert_eq!(count(&["battles", "--until", "2000-01-01"]), 0);
    assert_eq!(count(&["battles", "--until", "2999-01-01"]), 2);
    let bad_date = call(&["battles", "--since", "yesterday"], "");
    assert_eq!(bad_date.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_date.stderr).contains("is not a date"));
    // Whatever is typed as an id, nothing panics: non-ASCII, empty, too long.
    for typed in ["é", "ü1", "", "fffffffffffffffffffffffffffffffffffffff"] {
        let refused = call(&["show", typed], "");
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(2), "{typed}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{typed}: {stderr}");
    }

    let unknown = call(&["show", "ffffffff"], "");
    assert_eq!(unknown.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("allspark-replay: no battle `ffffffff`"),
        "{stderr}"
    );
}

#[test]
fn a_missing_store_is_one_line_and_status_2() {
    let missing = run(&["--data", "/nonexistent/allspark", "battles"], "");
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("allspark-replay: no store at"));
}

#[test]
fn a_store_from_a_newer_allspark_is_one_line_asking_to_upgrade() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let log_dir = allspark_engine::runtime::log_dir(data.path());
    {
        let db = sled::open(&log_dir).unwrap_or_else(|e| panic!("{e}"));
        let tree = db.open_tree("log").unwrap_or_else(|e| panic!("{e}"));
        let newer = allspark_engine::codec::SCHEMA_VERSION + 1;
        tree.insert(b"mschema", &newer.to_be_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        db.flush().unwrap_or_else(|e| panic!("{e}"));
    }
    let data = data.path().to_string_lossy().into_owned();
    let refused = run(&["--data", &data, "battles"], "");
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("upgrade allspark"), "{stderr}");
}

#[test]
fn fixtures_update_then_compare_then_catch_a_drift() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let scenario = r#"// two players trade energon
{"description": "a transfer", "secret": "t", "start_millis": 1767225600000, "report_players": [1, 2],
 "steps": [{"send": {"actor": 1, "command": {"Player": "Join"}, "expect": "accepted"}},
           {"send": {"actor": 2, "command": {"Player": "Join"}, "expect": "accepted"}},
           {"send": {"actor": 0, "command": {"Energon": {"Credit": {"player": 1, "amount": 10}}}, "expect": "accepted"}}]}"#;
    std::fs::write(dir.path().join("transfer.json"), scenario).unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().to_string_lossy().into_owned();
    let missing = run(&["fixtures", &path], "");
    assert_eq!(missing.status.code(), Some(1));
    assert!(run(&["fixtures", &path, "--update"], "").status.success());
    let ok = run(&["fixtures", &path], "");
    assert!(
        ok.status.success() && stdout(&ok).contains("1 passed, 0 failed"),
        "{}",
        stdout(&ok)
    );
    let golden = dir.path().join("transfer.golden.json");
    let drifted = std::fs::read_to_string(&golden)
        .unwrap_or_default()
        .replace("\"wallet\": 10", "\"wallet\": 11");
    std::fs::write(&golden, drifted).unwrap_or_else(|e| panic!("{e}"));
    let mismatch = run(&["fixtures", &path], "");
    assert_eq!(mismatch.status.code(), Some(1));
    assert!(
        stdout(&mismatch).contains("MISMATCH transfer")
            && stdout(&mismatch).contains("+       \"wallet\": 10"),
        "{}",
        stdout(&mismatch)
    );
}

/// While a bot holds its store, a battle is read, stepped through and followed through the
/// bot's replay feed: every read sees the turns played so far.
#[test]
fn a_running_bots_battle_is_read_and_followed_through_its_replay_feed() {
    use allspark_engine::testing::TestEngine;
    let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("{e}"));
    let mut test = TestEngine::new();
    let alice = Actor::Player(PlayerId(1));
    test.run(
        alice,
        GameCommand::Pet(PetCommand::Adopt {
            faction: Faction::Autobot,
        }),
    );
    let enemy = allspark_engine::content::get()
        .enemies
        .values()
        .min_by_key(|e| (e.attack, e.id.clone()))
        .map(|e| e.id.clone())
        .unwrap_or_default();
    let started = test.run(
        alice,
        GameCommand::Battle(BattleCommand::StartSolo { enemy }),
    );
    let battle = started
        .events()
        .iter()
        .find_map(|e| match &e.event {
            Event::Battle(BattleEvent::Started { battle, .. }) => Some(*battle),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no battle"));
    let engine = test.engine.clone();
    let address = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let address = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
        tokio::spawn(allspark_discord::feed::serve_on(
            engine,
            listener,
            std::future::pending(),
        ));
        address
    });
    let url = format!("http://{address}/battles/{battle}");
    let mut play_turn = |turn: u32| {
        let outcome = test.run(
            alice,
            GameCommand::Battle(BattleCommand::Act {
                battle,
                turn,
                action: Action::Charge,
            }),
        );
        assert!(outcome.is_accepted(), "{outcome:?}");
    };
    play_turn(1);
    let shown = run(&["show", &url], "");
    assert!(shown.status.success(), "{:?}", shown);
    let text = stdout(&shown);
    assert!(
        text.contains("== turn 1 ==") && !text.contains("== turn 2 =="),
        "{text}"
    );
    // Stepping, then following after another turn is played: the re-read shows it.
    play_turn(2);
    let stepped = stdout(&run(&["step", &url], "f\nq\n"));
    assert!(stepped.contains("== turn 2 =="), "{stepped}");
    assert!(run(&["verify", &url], "").status.success());
    // An unknown battle is one line and status 2.
    let missing = run(
        &[
            "show",
            &format!("http://{address}/battles/{}", "f".repeat(32)),
        ],
        "",
    );
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("404"), "{stderr}");
}
