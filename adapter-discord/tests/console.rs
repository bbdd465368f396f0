//! The console driven by a script through the real binary, checking what it prints.

use std::io::Write;
use std::process::{Command, Stdio};

fn run_console(data: &std::path::Path, script: &str) -> String {
    run_console_with(data, script, &[])
}

fn run_console_with(
    data: &std::path::Path,
    script: &str,
    env: &[(&str, &std::path::Path)],
) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_allspark"));
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = match command
        .arg("console")
        .arg("--data")
        .arg(data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(error) => panic!("cannot start allspark: {error}"),
    };
    if let Some(mut stdin) = child.stdin.take() {
        if let Err(error) = stdin.write_all(script.as_bytes()) {
            panic!("cannot write the script: {error}");
        }
    }
    let output = match child.wait_with_output() {
        Ok(output) => output,
        Err(error) => panic!("allspark did not finish: {error}"),
    };
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Every `expected` text appears in `printed`, in this order.
#[track_caller]
fn assert_in_order(printed: &str, expected: &[&str]) {
    let mut rest = printed;
    for expected in expected {
        match rest.find(expected) {
            Some(at) => rest = &rest[at + expected.len()..],
            None => panic!("missing (in order) `{expected}` in:\n{printed}"),
        }
    }
}

#[test]
fn a_scripted_session_plays_and_refuses_bad_input() {
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => panic!("no temporary directory: {error}"),
    };
    let printed = run_console(
        dir.path(),
        "/get_pet faction:decepticon\n\
         press Train\n\
         as operator\n\
         /grant user:2 amount:50\n\
         as 2 bob\n\
         /get_pet faction:autobot\n\
         as operator\n\
         /grant user:2 amount:50\n\
         as 2\n\
         /send to:1 amount:20\n\
         /send to:1 amount:-1\n\
         /send to:1 amount:lots\n\
         /bank action:balance\n\
         /slots difficulty:easy bet:5\n\
         /bogus\n\
         press 99\n",
    );
    let expected_in_order = [
        "AllSpark console. Type help for commands, quit to leave. You are player 1.",
        "your Decepticon ==",
        "[1] Charge (standard)  [2] Repair (standard)  [3] Play (standard)",
        "== Training ==",
        "you are now the operator",
        "player 2 has never played here; they need to use a command first",
        "you are now player 2 (bob)",
        "your Autobot ==",
        "+50 energon to <@2> (operator grant)",
        "-20 energon from <@2> (to <@1>)",
        "option `amount` must be at least 1 (got -1)",
        "option `amount` must be a whole number, got `lots`",
        "Wallet: **30**",
        "option `bet` must be at least 10 (got 5)",
        "unknown command /bogus; try /help",
        "no button or option `99` in the last reply",
    ];
    assert_in_order(&printed, &expected_in_order);
    // Piped input gets no prompt: only the replies are printed.
    assert!(
        !printed.contains("player 1> ") && !printed.contains("player 2> "),
        "{printed}"
    );

    // State survives a restart: the store is durable.
    let again = run_console(dir.path(), "as 2\n/bank action:balance\n");
    assert!(again.contains("Wallet: **30**"), "{again}");
    assert!(
        dir.path().join("secret").exists(),
        "the store keeps its own dice secret"
    );

    // The operator erases player 2: pick, confirm, per-player result; 2 starts over.
    let erased = run_console(
        dir.path(),
        "/admin_clear
         as operator
         /admin_clear
         pick 2 abc
         pick <@2>
         press 1
         as 2
         /bank action:balance
",
    );
    let expected_in_order = [
        "Only the operator can do that.",
        "== Erase players ==",
        "Players to erase: pick up to 6 with: pick ID [ID ...]",
        "`abc` is not a user id",
        "== Erase these players? ==",
        "<@2>: 30 energon in the wallet, 0 in the bank",
        "[1] Erase 1 player  [2] Cancel",
        "== Erased 1 of 1 ==",
        "<@2> erased; 30 energon burned",
        "Wallet: **0**",
    ];
    assert_in_order(&erased, &expected_in_order);
}

#[test]
fn a_missing_setting_is_one_clear_line() {
    let output = Command::new(env!("CARGO_BIN_EXE_allspark"))
        .arg("serve")
        .env_remove("DISCORD_PUBLIC_KEY")
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("allspark: DISCORD_PUBLIC_KEY is not set"),
        "{stderr}"
    );

    let output = Command::new(env!("CARGO_BIN_EXE_allspark"))
        .args(["commands", "sync"])
        .env("DISCORD_TOKEN", "t")
        .env("DISCORD_APPLICATION_ID", "not-a-number")
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("DISCORD_APPLICATION_ID must be a Discord id"),
        "{stderr}"
    );
}

/// Operator errors are sentences: a store another process holds says so and what to do, and
/// `--data` naming a file says that.
#[test]
fn a_held_store_and_a_data_file_are_explained() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let engine = allspark_engine::Engine::open_dir(dir.path(), Default::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let output = Command::new(env!("CARGO_BIN_EXE_allspark"))
        .arg("console")
        .arg("--data")
        .arg(dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    engine.shutdown();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&dir.path().display().to_string())
            && stderr.contains("already open in another process")
            && stderr.contains("--replay-listen")
            && !stderr.contains("could not acquire lock"),
        "{stderr}"
    );

    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap_or_else(|e| panic!("{e}"));
    let output = Command::new(env!("CARGO_BIN_EXE_allspark"))
        .arg("console")
        .arg("--data")
        .arg(&file)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&file.display().to_string())
            && stderr.contains("is a file, not a directory"),
        "{stderr}"
    );
}

/// Logs written to something that is not a terminal (a pipe here; a file or a journal in
/// production) carry no colour codes.
#[test]
fn logs_off_a_terminal_have_no_colour_codes() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let output = Command::new(env!("CARGO_BIN_EXE_allspark"))
        .arg("console")
        .arg("--data")
        .arg(dir.path())
        .env("ALLSPARK_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("world rebuilt"),
        "something was logged: {stderr}"
    );
    assert!(!stderr.contains('\x1b'), "{stderr:?}");
}

/// At a terminal the console prompts with who you are and recalls earlier lines: driven here
/// through a pseudo-terminal, where the only way to get `as 7` run a second time is the
/// history (the keys sent are two up-arrows and Enter).
#[cfg(unix)]
#[test]
fn at_a_terminal_the_console_prompts_and_recalls_earlier_lines() {
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => panic!("no temporary directory: {error}"),
    };
    let mut command = Command::new(env!("CARGO_BIN_EXE_allspark"));
    command
        .arg("console")
        .arg("--data")
        .arg(dir.path())
        .env("TERM", "xterm");
    let mut session = match rexpect::session::spawn_command(command, Some(20_000)) {
        Ok(session) => session,
        Err(error) => panic!("cannot start allspark on a terminal: {error}"),
    };
    let step = |what: &str, result: Result<String, rexpect::error::Error>| {
        if let Err(error) = result {
            panic!("{what}: {error}");
        }
    };
    step("banner", session.exp_string("You are player 1."));
    step("first prompt", session.exp_string("player 1> "));
    step("as 7", session.send_line("as 7").map(|_| String::new()));
    step("switched to 7", session.exp_string("you are now player 7"));
    step("prompt for 7", session.exp_string("player 7> "));
    step("as 8", session.send_line("as 8").map(|_| String::new()));
    step("switched to 8", session.exp_string("you are now player 8"));
    step("prompt for 8", session.exp_string("player 8> "));
    // Up shows the last line, up again the one before; Enter runs it.
    for (key, shows) in [("\x1b[A", "as 8"), ("\x1b[A", "as 7"), ("\r", "")] {
        let sent = session.send(key).and_then(|_| session.flush());
        step("a key", sent.map(|_| String::new()));
        step("the recalled line", session.exp_string(shows));
    }
    step("recalled as 7", session.exp_string("you are now player 7"));
    step("prompt for 7 again", session.exp_string("player 7> "));
    step(
        "operator",
        session.send_line("as operator").map(|_| String::new()),
    );
    step("operator prompt", session.exp_string("operator> "));
    // Ctrl-D leaves, and the console ends cleanly.
    step("eof", session.send_control('d').map(|_| String::new()));
    step("end of output", session.exp_eof());
    // nix's `WaitStatus`, which rexpect does not re-export: `Exited(Pid(..), 0)`.
    let status = format!("{:?}", session.process().wait());
    assert!(
        status.starts_with("Ok(Exited(") && status.ends_with(", 0))"),
        "the console did not leave cleanly: {status}"
    );
}

/// The console refuses what a Discord client would never send, from the registration table:
/// an option the command lacks, a missing required one, a number out of range, text too long,
/// a choice not listed (naming the choices). Nothing reaches the game, so nothing changes.
#[test]
fn options_are_checked_against_the_registration_table_before_dispatch() {
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => panic!("no temporary directory: {error}"),
    };
    let printed = run_console(
        dir.path(),
        "/get_pet faction:Autobot\n\
         /pet colour:red\n\
         /bank action:balance amont:5\n\
         /bank\n\
         /send to:2 amount:0\n\
         /slots difficulty:easy bet:5000\n\
         /charge_pet duration:slow\n\
         /energon_stats board:yearly\n\
         /rename_pet name:\"Abcdefghijklmnopqrstuvwxy\"\n\
         /rename_pet name:\"Abcdefghijklmnopqrstuvwx\"\n\
         /play duration:\"Quick (15 min)\"\n\
         /bank action:BALANCE\n",
    );
    let expected_in_order = [
        "your Autobot ==",
        "/pet has no option `colour`; it takes no options",
        "/bank has no option `amont`; its options are `action`, `amount`",
        "/bank needs the option `action`",
        "option `amount` must be at least 1 (got 0)",
        "option `bet` must be at most 1000 (got 5000)",
        "option `duration` must be one of: Quick (15 min) = quick, Standard (30 min) = standard, \
         Full (1 hour) = full (got `slow`)",
        "option `board` must be one of: Richest = global, Today = daily, This week = weekly, \
         All time = all_time (got `yearly`)",
        "option `name` takes at most 24 characters (got 25)",
        // 24 characters is a name the game takes.
        "Abcdefghijklmnopqrstuvwx — your Autobot ==",
        // A choice by the name Discord shows is that choice.
        "your pet's happiness is already full",
        "Wallet: **0**",
    ];
    assert_in_order(&printed, &expected_in_order);
}

/// `help` shows the console's own lines, one line each, then every slash command; `help /name`
/// shows a command's options and choices from the registration table.
#[test]
fn help_lists_the_console_lines_and_every_command() {
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => panic!("no temporary directory: {error}"),
    };
    let printed = run_console(dir.path(), "help\nhelp /charge_pet\nhelp /nothing\n");
    let mut expected: Vec<String> = allspark_discord::console::VERBS
        .iter()
        .map(|(how, _)| how.to_string())
        .collect();
    for word in ["press", "pick", "submit", "as ", "help", "quit", "exit"] {
        assert!(
            expected.iter().any(|line| line.contains(word)),
            "no console line for `{word}`"
        );
    }
    let commands = allspark_discord::commands::all();
    let (players, operators): (Vec<_>, Vec<_>) = commands.iter().partition(|c| !c.operator);
    for command in players.iter().chain(&operators) {
        expected.push(format!("`/{}` — {}", command.name, command.description));
    }
    expected.extend([
        "/charge_pet — Recharge your pet's energy".to_string(),
        "duration: How long to charge (required): one of: Quick (15 min) = quick".to_string(),
        "unknown command /nothing".to_string(),
    ]);
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    assert_in_order(&printed, &expected);
    for (how, what) in allspark_discord::console::VERBS {
        assert!(
            printed
                .lines()
                .any(|line| line.starts_with(how) && line.ends_with(what)),
            "`{how}` and what it does are not one line in:\n{printed}"
        );
    }
}

/// Where Discord's autocomplete offers names for an id (an enemy, an item the pet holds), the
/// console takes the name, ignoring case, or the beginning of one name; several or none get
/// the names they could be. The names and ids come from the content, not from this test.
#[tokio::test]
async fn enemy_and_item_names_stand_for_their_ids() {
    use allspark_discord::{app::App, console::Console};
    use allspark_engine::pets::content::Slot;
    use allspark_engine::pets::PetCommand;
    use allspark_engine::{Actor, Command, CommandId, PlayerId};

    let engine = allspark_engine::testing::TestEngine::new();
    let mut console = Console::new(App::new(engine.engine.clone()));
    let content = allspark_engine::content::get();
    let adopted = console.line("/get_pet faction:autobot").await;
    assert!(adopted.contains("your Autobot =="), "{adopted}");

    // Two held cores whose names begin alike, and a third that is worn by its name.
    let cores: Vec<_> = content
        .items
        .values()
        .filter(|item| item.slot == Slot::EnergyCore)
        .collect();
    let initial = |name: &str| name.chars().next().map(|c| c.to_ascii_lowercase());
    let (alike, other) = cores
        .iter()
        .find_map(|a| {
            let b = cores
                .iter()
                .find(|b| b.id != a.id && initial(&b.name) == initial(&a.name))?;
            let c = cores
                .iter()
                .find(|c| initial(&c.name) != initial(&a.name))?;
            Some(([*a, *b], *c))
        })
        .unwrap_or_else(|| panic!("no two energy cores begin alike"));
    for (n, item) in alike.iter().chain([&other]).enumerate() {
        let envelope = engine.engine.envelope(
            CommandId(1_000_000 + n as u128),
            Actor::System,
            Command::Pet(PetCommand::GiveItem {
                player: PlayerId(1),
                item: item.id.clone(),
            }),
        );
        let given = engine.engine.execute(envelope).await;
        assert!(matches!(given, Ok(r) if r.outcome.is_accepted()));
    }
    let equipped = console
        .line(&format!(
            "/pet_equip slot:energy_core item:\"{}\"",
            other.name.to_uppercase()
        ))
        .await;
    assert!(
        equipped.contains("Equipped") && equipped.contains(&other.name),
        "{equipped}"
    );
    let first_letter: String = alike[0].name.chars().take(1).collect();
    let several = console
        .line(&format!("/pet_equip slot:energy_core item:{first_letter}"))
        .await;
    for item in alike {
        assert!(several.contains(&item.name), "{several}");
    }
    assert!(several.contains("type more of the name"), "{several}");
    let unknown = console
        .line("/pet_equip slot:energy_core item:qqqqqq")
        .await;
    assert!(unknown.contains("no item is called `qqqqqq`"), "{unknown}");
    for item in alike {
        assert!(unknown.contains(&item.name), "{unknown}");
    }
    // The beginning of one name, unlike any other, is that item.
    let [first, second] = alike;
    let unique = (1..=first.name.len())
        .filter(|n| first.name.is_char_boundary(*n))
        .map(|n| &first.name[..n])
        .find(|prefix| {
            !second
                .name
                .to_lowercase()
                .starts_with(&prefix.to_lowercase())
        })
        .unwrap_or_else(|| panic!("{} begins {}", second.name, first.name));
    let by_prefix = console
        .line(&format!(
            "/pet_equip slot:energy_core item:\"{}\"",
            unique.to_lowercase()
        ))
        .await;
    assert!(
        by_prefix.contains("Equipped") && by_prefix.contains(&first.name),
        "{by_prefix}"
    );
    // An id is taken as it is, as Discord's autocomplete offers items by id too.
    let by_id = console
        .line(&format!("/pet_equip slot:energy_core item:{}", second.id.0))
        .await;
    assert!(
        by_id.contains("Equipped") && by_id.contains(&second.name),
        "{by_id}"
    );

    // An enemy by its name in any case, and a misspelt one gets near names.
    let enemy = content
        .enemies
        .values()
        .next()
        .unwrap_or_else(|| panic!("no enemies"));
    let battle = console
        .line(&format!("/battle enemy:\"{}\"", enemy.name.to_lowercase()))
        .await;
    assert!(
        battle.contains("solo battle") && battle.contains(&enemy.name),
        "{battle}"
    );
    let misspelt: String = enemy.name.chars().take(4).chain("qq".chars()).collect();
    let near = console.line(&format!("/battle enemy:\"{misspelt}\"")).await;
    assert!(
        near.contains(&format!("no enemy is called `{misspelt}`; did you mean"))
            && near.contains(&enemy.name),
        "{near}"
    );
}

#[test]
fn my_data_prints_the_file_in_the_console_and_forget_me_asks_first() {
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => panic!("temp dir: {error}"),
    };
    let printed = run_console(
        dir.path(),
        "/get_pet faction:autobot\n/my_data\n/forget_me\n",
    );
    assert_in_order(
        &printed,
        &[
            "Your data in the AllSpark",
            "--- file allspark-data-",
            "\"events\": [",
            "\"player\": \"1\"",
            "--- end of allspark-data-",
            "Erase yourself?",
            "Erase me",
            "Keep me",
        ],
    );
}

/// `/monitor` in the console: the operator's dashboard with the store's size on disk (the
/// console knows its data directory), and Refresh redraws it.
#[test]
fn the_operator_monitors_the_console_bot_and_refreshes() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let printed = run_console(
        dir.path(),
        "as 2
         /monitor
         as operator
         /monitor
         press 1
         /uptime
",
    );
    assert_in_order(
        &printed,
        &[
            "Only the operator can do that.",
            "== AllSpark monitor ==",
            "Store on disk",
            "[1] Refresh",
            "== AllSpark monitor ==",
            "== AllSpark uptime ==",
        ],
    );
    let store = printed
        .lines()
        .find_map(|line| line.trim().strip_prefix("Store on disk: "))
        .unwrap_or_else(|| panic!("{printed}"));
    let size: Option<f64> = store.split(' ').next().and_then(|n| n.parse().ok());
    assert!(
        size.is_some_and(|n| n > 0.0),
        "a size on disk, not {store:?}"
    );
}

/// `ALLSPARK_DEBUG_LOG` keeps a rolling debug log of the bot's own debug lines, and the
/// operator's `/clear_debug_log` empties it; without the setting the command says how to set it.
#[test]
fn the_debug_log_is_written_and_the_operator_clears_it() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let logs = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = logs.path().join("debug.log");
    let without = run_console(dir.path(), "as operator\n/clear_debug_log\n");
    assert!(without.contains("There is no debug log"), "{without}");

    run_console_with(
        dir.path(),
        "/get_pet faction:autobot\n/pet\n",
        &[
            ("ALLSPARK_DEBUG_LOG", &path),
            ("ALLSPARK_LOG", std::path::Path::new("off")),
        ],
    );
    let files = || -> Vec<(String, u64)> {
        let mut files: Vec<(String, u64)> = std::fs::read_dir(logs.path())
            .unwrap_or_else(|e| panic!("{e}"))
            .flatten()
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    e.metadata().map(|m| m.len()).unwrap_or(0),
                )
            })
            .collect();
        files.sort();
        files
    };
    let written = files();
    assert!(
        written
            .iter()
            .any(|(name, len)| name.starts_with("debug.log") && *len > 0),
        "{written:?}"
    );

    let refused = run_console_with(
        dir.path(),
        "/clear_debug_log\n",
        &[("ALLSPARK_DEBUG_LOG", &path)],
    );
    assert!(refused.contains("Only the operator"), "{refused}");
    let cleared = run_console_with(
        dir.path(),
        "as operator\n/clear_debug_log\nquit\n",
        &[
            ("ALLSPARK_DEBUG_LOG", &path),
            ("ALLSPARK_LOG", std::path::Path::new("off")),
        ],
    );
    let bytes: u64 = cleared
        .lines()
        .find_map(|line| line.trim().strip_prefix("Debug log cleared: "))
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{cleared}"));
    assert!(bytes > 0, "{cleared}");
    // What is left was written after the clearing: the clearing's own line, none of the
    // commands decided before it.
    let left: String = std::fs::read_dir(logs.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .collect();
    assert!(left.contains("debug log cleared"), "{left}");
    assert!(!left.contains("n_events="), "{left}");
}

#[test]
fn two_players_trade_energon_in_the_console_and_a_stale_or_foreign_press_is_refused() {
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => panic!("no temporary directory: {error}"),
    };
    let printed = run_console(
        dir.path(),
        "/help\n\
         as operator\n\
         /grant user:1 amount:300\n\
         as 2\n\
         /get_pet faction:autobot\n\
         as 1\n\
         /trade user:2\n\
         press Add energon\n\
         submit amount:abc\n\
         press Add energon\n\
         submit amount:120\n\
         as 3\n\
         press Confirm\n\
         as 2\n\
         press Confirm\n\
         as 1\n\
         press Take back\n\
         press 1\n\
         press Add energon\n\
         submit amount:100\n\
         as 2\n\
         press Confirm\n\
         as 1\n\
         press Confirm\n\
         /bank action:balance\n\
         as 2\n\
         /energon_history\n",
    );
    let expected_in_order = [
        "<@2>, <@1> wants to trade with you.",
        "== Trade ==",
        "[6] Confirm revision 0  [7] Cancel trade",
        "[form: Add energon to your offer] answer with: submit amount:...",
        "The amount is a whole number of energon, at least 1, not abc.",
        "• 120 energon",
        "[6] Confirm revision 1",
        "you are now player 3",
        "that trade is between two other players",
        "you are now player 2",
        "Second offer: <@2>: ✅ confirmed",
        "you are now player 1",
        "Pick what to take back off your offer.",
        // Taking back clears the confirmation.
        "Second offer: <@2>: not confirmed yet",
        "[6] Confirm revision 2",
        "• 100 energon",
        "[6] Confirm revision 3",
        "you are now player 2",
        "Second offer: <@2>: ✅ confirmed",
        "you are now player 1",
        "== Trade completed ==",
        "Wallet: **200**",
        "you are now player 2",
        "`+100` wallet · trade with <@1>",
    ];
    assert_in_order(&printed, &expected_in_order);
}

#[test]
fn talk_the_archive_a_spark_and_the_quiz_play_in_the_console() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let printed = run_console(
        dir.path(),
        "/joke\n\
         /hello\n\
         /ping\n\
         /grump\n\
         press Another\n\
         /roast user:2\n\
         /what_is topic:energon\n\
         /spark\n\
         /analysis\n\
         press 1\n\
         press 1\n\
         press 1\n\
         press 1\n\
         press 1\n\
         /profile\n\
         press Achievements\n\
         /battle_history\n",
    );
    assert_in_order(
        &printed,
        &[
            "== 😂 Joke ==",
            "[1] Another",
            "No grump is configured here",
            "== 😂 Joke ==",
            "== 🔥 Roast ==",
            "<@2>",
            "== 📚 Energon ==",
            "== 🔥 A spark ignites:",
            "question 1 of 5",
            "question 5 of 5",
            "came out",
            "Know Thyself",
            "== 👤 Profile · Identity ==",
            "== 👤 Profile · Achievements ==",
            "hasn't fought a battle yet",
        ],
    );
}

#[test]
fn coins_bought_on_the_market_change_hands_in_a_console_trade() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let printed = run_console(
        dir.path(),
        "/help\n\
         as 2\n\
         /help\n\
         as operator\n\
         /grant user:1 amount:500\n\
         as 1\n\
         /cybercoin_market\n\
         press Buy\n\
         submit amount:200\n\
         /trade user:2\n\
         press Add coins\n\
         submit amount:9999\n\
         press Add coins\n\
         submit amount:0.5\n\
         press Confirm\n\
         as 2\n\
         press Confirm\n\
         /cybercoin_profile\n",
    );
    assert_in_order(
        &printed,
        &[
            "CyberCoin bought",
            "[form: Add CyberCoin to your offer] answer with: submit amount:...",
            "free to offer (not already on offer), not 9999 CC",
            "• 0.5 CC",
            "== Trade completed ==",
            "Holding: 0.5 CC",
            "received 0.5 CC from <@1> in a trade",
        ],
    );
}

#[test]
fn the_market_prints_as_text_writes_its_chart_and_refuses_a_bad_amount() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let printed = run_console(
        dir.path(),
        "/cybercoin_market\npress Buy\nsubmit amount:\"1.5 energon\"\npress Sell\nsubmit amount:all\nas operator\n/grant user:1 amount:500\nas 1\npress Buy\nsubmit amount:200\n/cybercoin_profile\n",
    );
    let chart = dir.path().join("pictures").join("cybercoin-24h.png");
    assert_in_order(
        &printed,
        &[
            "== 📈 CyberCoin market · 24 h ==",
            "Price: **100 energon**",
            &format!("picture cybercoin-24h.png written to {}", chart.display()),
            "energon comes in whole units: `1.5 energon` has a fraction",
            "you have no CyberCoin to sell",
            "You bought **1.976245 CC** for **200 energon** (fee 2)",
            "Holding: 1.976245 CC",
            "== CyberCoin portfolio ==",
            "bought 1.976245 CC for 200 energon",
        ],
    );
    let bytes = std::fs::read(&chart).unwrap_or_else(|e| panic!("{e}"));
    let png = png::Decoder::new(std::io::Cursor::new(&bytes))
        .read_info()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(png.info().width, allspark_discord::market::chart::WIDTH);
}

#[test]
fn the_shooting_range_plays_in_the_console_on_its_clock() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let printed = run_console(
        dir.path(),
        "/range rounds:5\n\
         press 🎯\n\
         press 🎯\n\
         press 🎯\n\
         press 🎯\n\
         press 🎯\n\
         /rangestats\n\
         /range_leaderboard rounds:5\n",
    );
    assert_in_order(
        &printed,
        &[
            "Targets in **3**",
            "3… 2… 1…",
            "Round 1/5",
            "Round 2/5",
            "Round 5/5",
            "Range session #1 complete",
            "Rank:",
            "[1] Again",
            "Range record",
            "1 session",
            "Range leaderboard · 5 rounds",
        ],
    );
}

#[test]
fn trivia_plays_in_the_console_channel() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // Four players each take one option of the one question: exactly one of them is right.
    let printed = run_console(
        dir.path(),
        "/trivia category:alt_modes questions:1\n\
         press 1\n\
         as 2\n\
         press 2\n\
         as 3\n\
         press 3\n\
         as 4\n\
         press 4\n\
         /trivia_stop\n",
    );
    assert_in_order(
        &printed,
        &[
            "Trivia · 🚗 Robots in disguise · question 1/1",
            "[1] A ·",
            "[4] D ·",
            "Trivia over",
            "All 1 question asked",
            "1 right of 1",
            "no trivia session is running",
        ],
    );
    assert_eq!(printed.matches("knew it").count(), 1, "{printed}");
}

#[test]
fn a_walktru_story_resumes_after_the_console_restarts() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let first = run_console(dir.path(), "/walktru genre:knight\npress 1\n");
    assert_in_order(
        &first,
        &["Sir Cogsworth's Vigil · step 1", "[1] 1 ·", "step 2"],
    );
    // A new process on the same store: the walk is in the log.
    let second = run_console(dir.path(), "/walktru genre:knight\n");
    assert_in_order(&second, &["Sir Cogsworth's Vigil · step 2", "Start over"]);
}

#[test]
fn a_combiner_team_gathers_players_in_the_console() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let printed = run_console(
        dir.path(),
        "as 2\n\
         /get_pet faction:decepticon\n\
         as 1\n\
         /get_pet faction:autobot\n\
         /combiner\n\
         press 1\n\
         as 2\n\
         press 1\n\
         /profile\n\
         press Combiner\n\
         /combiner_leave\n",
    );
    assert_in_order(
        &printed,
        &[
            "Combiner team #1",
            "🧠 Head: <@1>'s pet",
            "you are now player 2",
            "🫀 Body: <@2>'s pet",
            "Profile · Combiner",
            "🫀 Body of team #1, forming: 2 of 6 parts taken",
            "the part is free again",
        ],
    );
}

#[test]
fn cybertron_games_play_in_the_console() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut script = String::from("/cybertron_games size:12 factions:3\npress Join\npress Start\n");
    for _ in 0..30 {
        script.push_str("press Next\n");
    }
    let printed = run_console(dir.path(), &script);
    assert_in_order(
        &printed,
        &[
            "Cybertron Games #1 · the lobby",
            "<@1>",
            "the games begin",
            "round 1",
            "it is over",
            "Champions",
        ],
    );
}

#[test]
fn an_rpg_adventure_plays_in_the_console() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let printed = run_console(
        dir.path(),
        "/character_new name:Ironclad faction:autobot class:warrior\n\
         as 2\n\
         /character_new name:Sable faction:decepticon class:medic\n\
         as 1\n\
         /cyber_event\n\
         as 2\n\
         press Join\n\
         as 1\n\
         press Start\n\
         press INT\n\
         /character_view\n\
         /cyber_info\n",
    );
    assert_in_order(
        &printed,
        &[
            "Ironclad comes online",
            "Sable comes online",
            "Challenge adventure #1",
            "A party is forming",
            "<@2>: Sable",
            "Segment 1 of 3",
            "The first to press picks",
            "d20",
            "Segment 2 of 3",
            "RPG characters",
            "#1 Ironclad",
            "The Cybertron RPG",
        ],
    );
    assert!(
        !printed.contains("{party}") && !printed.contains("{lead}"),
        "{printed}"
    );
}

/// A spark becomes an RPG character in the console: `/character_new` takes what it leaves out
/// (here the name and class) from the player's spark.
#[test]
fn a_spark_fills_in_a_new_character_in_the_console() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let printed = run_console(
        dir.path(),
        "/character_new\n\
         /spark\n\
         /character_new faction:autobot\n\
         /character_view\n",
    );
    assert!(
        printed.contains("forge a Transformer identity with /spark"),
        "{printed}"
    );
    let name = printed
        .split("A spark ignites: ")
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .map(|line| line.trim().trim_end_matches("==").trim())
        .unwrap_or_else(|| panic!("no spark in {printed}"))
        .to_string();
    assert_in_order(
        &printed,
        &[
            "A spark ignites",
            &format!("{name} comes online"),
            "RPG characters",
            &format!("#1 {name}"),
        ],
    );
}

/// The district sorter and a mega-fight challenge in the console: the same commands, the same
/// engine.
#[test]
fn the_sorter_and_a_mega_fight_challenge_play_in_the_console() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut script = String::from("/hg_sorter districts:2 player1:2 player2:3 player3:4\n");
    let parts = [
        "🧠 Head",
        "🫀 Body",
        "🦾 Left arm",
        "🦾 Right arm",
        "🦿 Left leg",
        "🦿 Right leg",
    ];
    for player in (11..=16).chain(21..=26) {
        script.push_str(&format!("as {player}\n/get_pet faction:autobot\n"));
    }
    for first in [11u64, 21] {
        script.push_str(&format!("as {first}\n/combiner\n"));
        for (i, part) in parts.iter().enumerate() {
            script.push_str(&format!("as {}\npress {part}\n", first + i as u64));
        }
    }
    script.push_str("as 11\n/mega_fight team:2\nas 21\npress Accept\n");
    let printed = run_console(dir.path(), &script);
    assert_in_order(
        &printed,
        &[
            "The district sorter",
            "4 players dealt into 2 districts",
            "is formed!",
            "is formed!",
            "A mega-fight challenge",
            "Choose my move",
        ],
    );
}
