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

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The number of the last turn `show` printed.
fn one_turn_count(shown: &str) -> u32 {
    shown
        .lines()
        .filter_map(|line| {
            line.strip_prefix("== turn ")?
                .strip_suffix(" ==")?
                .parse()
                .ok()
        })
        .max()
        .unwrap_or(0)
}

/// The longest run of digits outside a JSON string.
fn longest_bare_number(json: &str) -> usize {
    let mut in_string = false;
    let mut escaped = false;
    let (mut run, mut longest) = (0, 0);
    for c in json.chars() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        if c == '"' {
            in_string = true;
        }
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
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
            && shown.contains("ended: side ")
            && !shown.contains("Won {"),
        "{shown}"
    );
    let one_turn = stdout(&call(&["show", &duel, "--turn", "1"], ""));
    assert!(
        one_turn.contains("== turn 1 ==") && !one_turn.contains("== turn 2 =="),
        "{one_turn}"
    );

    // A turn past the end is an error naming the last turn, not an empty print.
    let last_turn = one_turn_count(&shown);
    let past = call(&["show", &duel, "--turn", "999"], "");
    let said = stderr(&past);
    assert_eq!(past.status.code(), Some(2), "{said}");
    assert!(
        stdout(&past).is_empty()
            && said.lines().count() == 1
            && said.contains("no turn 999")
            && said.contains(&format!("last turn is {last_turn}")),
        "{said}"
    );
    let at_end = call(&["show", &duel, "--turn", &last_turn.to_string()], "");
    assert!(at_end.status.success(), "the last turn itself is shown");

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
    // An export that can't be written names where it went.
    let nowhere = dir.path().join("no-such-folder").join("duel.json");
    let nowhere_text = nowhere.to_string_lossy().into_owned();
    let unwritten = call(&["export", &duel, "--out", &nowhere_text], "");
    assert_eq!(unwritten.status.code(), Some(2));
    assert!(
        stderr(&unwritten).contains(&format!("cannot write {nowhere_text}")),
        "{}",
        stderr(&unwritten)
    );
    // Ids are strings in the export, in the hex the listing prints; no number JavaScript
    // would round (more than 15 digits: instants in milliseconds have 13) is left.
    let exported = std::fs::read_to_string(&export_path).unwrap_or_default();
    assert!(
        exported.contains(&format!("\"battle\": \"{duel}\"")),
        "{exported}"
    );
    assert!(longest_bare_number(&exported) < 16, "{exported}");
    // The log prints the battle's id in that same hex, never as a decimal number.
    let decimal = u128::from_str_radix(&duel, 16)
        .unwrap_or_default()
        .to_string();
    let whole_log = stdout(&call(&["log"], ""));
    assert!(
        whole_log.contains(&duel) && !whole_log.contains(&decimal),
        "{whole_log}"
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
    // Scenarios are found in folders below the one named, too.
    let nested = dir.path().join("economy").join("small");
    std::fs::create_dir_all(&nested).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("transfer.json"), scenario).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(nested.join("again.json"), scenario).unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().to_string_lossy().into_owned();
    let missing = run(&["fixtures", &path], "");
    assert_eq!(missing.status.code(), Some(1));
    assert!(run(&["fixtures", &path, "--update"], "").status.success());
    let ok = run(&["fixtures", &path], "");
    assert!(
        ok.status.success()
            && stdout(&ok).contains("2 passed, 0 failed")
            && stdout(&ok).contains("economy/small/again"),
        "{}",
        stdout(&ok)
    );
    assert!(
        nested.join("again.golden.json").is_file(),
        "the golden sits beside its scenario"
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
            && stdout(&mismatch).contains("ok       economy/small/again")
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
    // Seventeen battles given up at once: two of them share a first hex digit, so some
    // one-character prefix is ambiguous.
    let bob = Actor::Player(PlayerId(2));
    test.run(
        bob,
        GameCommand::Pet(PetCommand::Adopt {
            faction: Faction::Decepticon,
        }),
    );
    let mut given_up = Vec::new();
    for _ in 0..17 {
        let started = test.run(
            bob,
            GameCommand::Battle(BattleCommand::StartSolo {
                enemy: enemy.clone(),
            }),
        );
        let battle = started
            .events()
            .iter()
            .find_map(|e| match &e.event {
                Event::Battle(BattleEvent::Started { battle, .. }) => Some(*battle),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no battle: {started:?}"));
        let surrendered = test.run(
            bob,
            GameCommand::Battle(BattleCommand::Surrender { battle }),
        );
        assert!(surrendered.is_accepted(), "{surrendered:?}");
        given_up.push(battle.to_string());
    }
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
    // A prefix of the id works on the feed as in the store commands...
    let id = battle.to_string();
    let unique = (1..=32)
        .map(|n| &id[..n])
        .find(|prefix| given_up.iter().all(|other| !other.starts_with(prefix)))
        .unwrap_or(&id);
    let by_prefix = run(&["show", &format!("http://{address}/battles/{unique}")], "");
    assert!(by_prefix.status.success(), "{}", stderr(&by_prefix));
    assert!(
        stdout(&by_prefix).starts_with(&format!("battle {id}"))
            && stdout(&by_prefix).contains("== turn 2 =="),
        "{}",
        stdout(&by_prefix)
    );
    // ...in capitals too; and a prefix two battles share is a clear error.
    let upper = run(
        &[
            "show",
            &format!("http://{address}/battles/{}", id.to_uppercase()),
        ],
        "",
    );
    assert!(upper.status.success(), "{}", stderr(&upper));
    let shared = given_up
        .iter()
        .chain([&id])
        .map(|other| &other[..1])
        .find(|head| {
            given_up
                .iter()
                .chain([&id])
                .filter(|other| other.starts_with(head))
                .count()
                > 1
        })
        .unwrap_or_else(|| panic!("17 battles and 16 hex digits: two must share one"));
    let ambiguous = run(&["show", &format!("http://{address}/battles/{shared}")], "");
    let said = stderr(&ambiguous);
    assert_eq!(ambiguous.status.code(), Some(2), "{said}");
    assert!(
        said.lines().count() == 1
            && said.contains(&format!("`{shared}` matches"))
            && said.contains("type more of the id"),
        "{said}"
    );
    let none = run(&["show", &format!("http://{address}/battles/zz")], "");
    assert!(
        none.status.code() == Some(2) && stderr(&none).contains("no battle `zz`"),
        "{}",
        stderr(&none)
    );
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

/// Sends commands to an engine on a store, returning each command's events.
struct Player<'a> {
    engine: &'a Engine,
    next: u128,
}

impl Player<'_> {
    fn send(&mut self, actor: u64, command: BattleCommand) -> Vec<Event> {
        self.any(Actor::Player(PlayerId(actor)), GameCommand::Battle(command))
    }

    fn any(&mut self, actor: Actor, command: GameCommand) -> Vec<Event> {
        self.next += 1;
        let reply = self
            .engine
            .execute_blocking(self.engine.envelope(CommandId(self.next), actor, command))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(reply.outcome.is_accepted(), "{:?}", reply.outcome);
        reply
            .outcome
            .events()
            .iter()
            .map(|e| e.event.clone())
            .collect()
    }

    /// A lobby of `kind` opened by `players[0]`, joined and readied by the rest, started.
    fn lobby(&mut self, kind: allspark_engine::battle::LobbyKind, players: &[u64]) {
        let opened = self.send(players[0], BattleCommand::OpenLobby { kind, stake: 0 });
        let lobby = opened
            .iter()
            .find_map(|e| match e {
                Event::Battle(BattleEvent::LobbyOpened { lobby, .. }) => Some(*lobby),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no lobby in {opened:?}"));
        for player in &players[1..] {
            self.send(*player, BattleCommand::JoinLobby { lobby, side: None });
            self.send(*player, BattleCommand::SetReady { lobby, ready: true });
        }
        self.send(players[0], BattleCommand::StartLobby { lobby });
    }
}

/// `battles --mode` knows every kind of battle in the engine's table: a store with battles of
/// every kind lists each under its own kind, ranked and challenge duels apart.
#[test]
fn battles_lists_every_kind_of_battle_under_its_mode() {
    use allspark_engine::battle::{BattleKind, LobbyKind};
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    {
        let engine =
            Engine::open_dir(dir.path(), EngineConfig::default()).unwrap_or_else(|e| panic!("{e}"));
        let mut play = Player {
            engine: &engine,
            next: 0,
        };
        for n in 1..=17 {
            play.any(
                Actor::Player(PlayerId(n)),
                GameCommand::Pet(PetCommand::Adopt {
                    faction: Faction::Autobot,
                }),
            );
        }
        let enemy = allspark_engine::content::get()
            .enemies
            .keys()
            .next()
            .cloned()
            .unwrap_or_default();
        play.send(
            1,
            BattleCommand::StartSolo {
                enemy: enemy.clone(),
            },
        );
        play.lobby(LobbyKind::GroupPve { enemy }, &[2, 3]);
        let issued = play.send(
            4,
            BattleCommand::Challenge {
                opponent: PlayerId(5),
                stake: 0,
            },
        );
        let challenge = issued
            .iter()
            .find_map(|e| match e {
                Event::Battle(BattleEvent::ChallengeIssued { challenge, .. }) => Some(*challenge),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no challenge"));
        play.send(5, BattleCommand::AcceptChallenge { challenge });
        play.send(6, BattleCommand::QueueRanked);
        play.send(7, BattleCommand::QueueRanked);
        play.lobby(LobbyKind::Team { per_side: 2 }, &[8, 9, 10, 11]);
        play.lobby(LobbyKind::FreeForAll, &[12, 13]);
        play.lobby(LobbyKind::Tournament { size: 4 }, &[14, 15, 16, 17]);
        // An RPG adventure's battle: a character, a battle party, set out.
        use allspark_engine::rpg::{AdventureKind, RpgCommand};
        let rpg = |command| GameCommand::Rpg(command);
        play.any(
            Actor::Player(PlayerId(18)),
            rpg(RpgCommand::CreateCharacter {
                name: "Ironclad".into(),
                faction: allspark_engine::pets::Faction::Autobot,
                class: "warrior".into(),
            }),
        );
        play.any(
            Actor::Player(PlayerId(18)),
            rpg(RpgCommand::OpenParty {
                kind: AdventureKind::Battle,
                character: 1,
                channel: allspark_engine::Snowflake(1),
            }),
        );
        play.any(
            Actor::Player(PlayerId(18)),
            rpg(RpgCommand::StartParty { adventure: 1 }),
        );
        // A mega-fight: two combiner teams of six pets (players 31 to 42), heads 31 and 37.
        use allspark_engine::fun::combiner::Part;
        use allspark_engine::fun::FunCommand;
        for n in 31..=42 {
            play.any(
                Actor::Player(PlayerId(n)),
                GameCommand::Pet(PetCommand::Adopt {
                    faction: Faction::Autobot,
                }),
            );
        }
        for (team, first) in [(1u32, 31u64), (2, 37)] {
            play.any(
                Actor::Player(PlayerId(first)),
                GameCommand::Fun(FunCommand::CombinerOpen),
            );
            for (i, part) in Part::ALL.iter().enumerate() {
                play.any(
                    Actor::Player(PlayerId(first + i as u64)),
                    GameCommand::Fun(FunCommand::CombinerTake { team, part: *part }),
                );
            }
        }
        play.any(
            Actor::Player(PlayerId(31)),
            GameCommand::Fun(FunCommand::MegaChallenge { team: 2 }),
        );
        play.any(
            Actor::Player(PlayerId(37)),
            GameCommand::Fun(FunCommand::MegaAccept { team: 1 }),
        );
        engine.shutdown();
    }
    let data = dir.path().to_string_lossy().into_owned();
    let all = run(&["--data", &data, "battles"], "");
    assert!(all.status.success(), "{}", stderr(&all));
    let n_all = stdout(&all).lines().count();
    let mut n_listed = 0;
    for kind in BattleKind::ALL {
        let listed = run(&["--data", &data, "battles", "--mode", kind.label()], "");
        assert!(
            listed.status.success(),
            "{}: {}",
            kind.label(),
            stderr(&listed)
        );
        let lines: Vec<String> = stdout(&listed).lines().map(str::to_string).collect();
        assert!(
            !lines.is_empty(),
            "no {} battle listed (does this test start one?)",
            kind.label()
        );
        for line in &lines {
            let column = line.split_whitespace().nth(2).unwrap_or_default();
            assert_eq!(column, kind.label(), "{line}");
        }
        n_listed += lines.len();
    }
    // Every battle is under exactly one kind: the tournament's first round is two battles.
    assert_eq!(n_listed, n_all);
    assert_eq!(n_all, BattleKind::ALL.len() + 1);
    // A mode that isn't one is refused with the list of those that are.
    let unknown = run(&["--data", &data, "battles", "--mode", "duel"], "");
    assert_eq!(unknown.status.code(), Some(2));
    let said = stderr(&unknown);
    assert!(
        said.contains("ranked") && said.contains("challenge") && said.contains("tournament"),
        "{said}"
    );
}

/// A folder with no scenario anywhere under it says so and fails, rather than "0 passed".
#[test]
fn fixtures_in_a_folder_without_scenarios_says_so_and_fails() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(dir.path().join("empty/below")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("only.golden.json"), "{}").unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("empty/below/frozen.expected.json"), "{}")
        .unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().to_string_lossy().into_owned();
    let none = run(&["fixtures", &path], "");
    let said = stderr(&none);
    assert_eq!(none.status.code(), Some(2), "{said}");
    assert!(
        said.lines().count() == 1 && said.contains("no scenarios under") && said.contains(&path),
        "{said}"
    );
    assert!(!stdout(&none).contains("0 passed"), "{}", stdout(&none));
}

/// Errors about files name the file: a missing export, a missing store, a store that is a
/// file, an export that can't be written.
#[test]
fn file_errors_name_the_path() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let missing = dir.path().join("nowhere").join("battle.json");
    let missing_text = missing.to_string_lossy().into_owned();
    for action in ["show", "step", "verify", "export"] {
        let refused = run(&[action, &missing_text], "q\n");
        let said = stderr(&refused);
        assert_eq!(refused.status.code(), Some(2), "{action}: {said}");
        assert!(
            said.lines().count() == 1
                && said.contains(&missing_text)
                && said.contains("cannot read"),
            "{action}: {said}"
        );
    }
    // A bare file name is a file too, not a battle id to look for in a store.
    let bare = run(&["show", "battle.json"], "");
    assert!(
        stderr(&bare).contains("cannot read the battle file battle.json"),
        "{}",
        stderr(&bare)
    );
    // Garbage in a file that exists: named, and said to be no export.
    let garbage = dir.path().join("garbage.json");
    std::fs::write(&garbage, "not json").unwrap_or_else(|e| panic!("{e}"));
    let garbage_text = garbage.to_string_lossy().into_owned();
    let refused = run(&["show", &garbage_text], "");
    assert!(
        stderr(&refused).contains(&format!("{garbage_text} is not a battle export")),
        "{}",
        stderr(&refused)
    );
    // --data naming a file.
    let data_file = dir.path().join("data-file");
    std::fs::write(&data_file, "x").unwrap_or_else(|e| panic!("{e}"));
    let data_text = data_file.to_string_lossy().into_owned();
    let refused = run(&["--data", &data_text, "battles"], "");
    let said = stderr(&refused);
    assert_eq!(refused.status.code(), Some(2), "{said}");
    assert!(
        said.contains(&data_text) && said.contains("is a file, not a store directory"),
        "{said}"
    );
}

/// Every file under `dir` with its bytes, by path.
fn files_under(dir: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut found = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
            found.insert(path, bytes);
        }
    }
    found
}

/// Sets the mode of `dir` and everything under it: `dirs` for folders, `files` for files.
fn chmod_tree(dir: &Path, dirs: u32, files: u32) {
    use std::os::unix::fs::PermissionsExt;
    for entry in std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
    {
        let path = entry.path();
        if path.is_dir() {
            chmod_tree(&path, dirs, files);
        } else {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(files))
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(dirs))
        .unwrap_or_else(|e| panic!("{e}"));
}

/// A store its reader may not write (`chmod -R a-w`) is read all the same, and not one of its
/// bytes changes. Root ignores file modes, so when the test runs as root the tool runs as the
/// unprivileged user 65534, for whom the modes hold: either way, the tool really may not
/// write the store.
#[test]
fn a_store_its_reader_may_not_write_is_read_and_left_as_it_was() {
    use std::os::unix::fs::MetadataExt;
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("store");
    make_store(&data);
    let before = files_under(&data);
    assert!(!before.is_empty());
    chmod_tree(dir.path(), 0o555, 0o444);
    let as_root = std::fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false);
    let data_text = data.to_string_lossy().into_owned();
    // The unprivileged user runs a copy of the tool in a folder anyone may enter (the build's
    // own folder may be closed to it).
    let tools = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let tool = tools.path().join("allspark-replay");
    std::fs::copy(env!("CARGO_BIN_EXE_allspark-replay"), &tool).unwrap_or_else(|e| panic!("{e}"));
    chmod_tree(tools.path(), 0o755, 0o755);
    let read = |args: &[&str]| -> Output {
        let mut command = Command::new(&tool);
        command
            .arg("--data")
            .arg(&data_text)
            .args(args)
            .env("TMPDIR", std::env::temp_dir())
            .stdin(Stdio::null());
        if as_root {
            command.uid(65534).gid(65534);
        }
        command
            .output()
            .unwrap_or_else(|e| panic!("cannot start allspark-replay: {e}"))
    };
    // The tool really is refused a write here (so the read below is not by luck).
    let probe = read(&["battles"]);
    let listed = stdout(&probe);
    let writable_by_reader = {
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(format!("touch '{data_text}/probe' 2>/dev/null"));
        if as_root {
            command.uid(65534).gid(65534);
        }
        command.status().map(|s| s.success()).unwrap_or(true)
    };
    assert!(!writable_by_reader, "the reader could write the store");
    assert!(probe.status.success(), "{}", stderr(&probe));
    assert_eq!(listed.lines().count(), 2, "{listed}");
    let duel = listed
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    for args in [
        vec!["show", &duel[..6]],
        vec!["verify", "--all"],
        vec!["log", "--limit", "3"],
        vec!["state", "--player", "1"],
    ] {
        let done = read(&args);
        assert!(done.status.success(), "{args:?}: {}", stderr(&done));
        assert!(!stdout(&done).is_empty(), "{args:?}");
    }
    chmod_tree(dir.path(), 0o755, 0o644);
    let after = files_under(&data);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "files came or went"
    );
    for (path, bytes) in &before {
        assert!(after.get(path) == Some(bytes), "{} changed", path.display());
    }
}

/// A store a running bot holds is one sentence saying so and how to read it instead.
#[test]
fn a_store_held_by_a_running_bot_says_how_to_read_it_instead() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let engine =
        Engine::open_dir(dir.path(), EngineConfig::default()).unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().to_string_lossy().into_owned();
    let held = run(&["--data", &data, "battles"], "");
    engine.shutdown();
    let said = stderr(&held);
    assert_eq!(held.status.code(), Some(2), "{said}");
    assert!(
        said.lines().count() == 1
            && said.contains(&data)
            && said.contains("held by a running bot")
            && said.contains("--replay-listen")
            && !said.contains("could not acquire lock"),
        "{said}"
    );
}
