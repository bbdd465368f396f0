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

#[test]
fn a_scripted_session_moves_energon_and_refuses_bad_input() {
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => panic!("no temporary directory: {error}"),
    };
    let printed = run_console(
        dir.path(),
        "/join\nas operator\n/grant user:1 amount:50\nas 2\n/join\nas 1\n/send to:2 amount:20\n\
         /send to:2 amount:-1\n/send to:2 amount:lots\n/balance\n/bogus\n",
    );
    let expected = "\
AllSpark console. Type help for commands, quit to leave. You are player:1.
== Done ==
Welcome: <@1> joined the AllSpark
you are now the operator
== Done ==
Credited: +50 energon to <@1>
you are now player 2
== Done ==
Welcome: <@2> joined the AllSpark
you are now player 1
== Done ==
Debited: -20 energon from <@1>
Credited: +20 energon to <@2>
the amount must be at least 1 energon (got -1)
(only you can see this)
option `amount` must be a whole number, got `lots`
(only you can see this)
== Energon wallet ==
<@1> holds **30** energon
unknown command /bogus; try /help
(only you can see this)
";
    assert_eq!(printed, expected);

    // State survives a restart: the store is durable.
    let again = run_console(dir.path(), "/balance user:2\n");
    assert!(again.contains("<@2> holds **20** energon"), "{again}");
}
