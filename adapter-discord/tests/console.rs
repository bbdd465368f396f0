//! The console driven by a script through the real binary, checking what it prints.

use std::io::Write;
use std::process::{Command, Stdio};

fn run_console(data: &std::path::Path, script: &str) -> String {
    let mut child = match Command::new(env!("CARGO_BIN_EXE_allspark"))
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
        "the amount must be at least 1 energon (got -1)",
        "option `amount` must be a whole number, got `lots`",
        "Wallet: **30**",
        "the smallest bet is 10 energon",
        "unknown command /bogus; try /help",
        "no button or option `99` in the last reply",
    ];
    assert_in_order(&printed, &expected_in_order);

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
