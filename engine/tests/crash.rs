//! Crash safety: a child process drives commands into a sled store and is killed with SIGKILL
//! at random moments, 20 times over the same store. After each kill the store must hold every
//! command the child heard acknowledged, no torn event (every record decodes, seqs have no
//! gaps), and a World that rebuilds cleanly with energon conserved.
//!
//! The kill moments come from a fixed seed, so a failing run is repeatable in intent (the exact
//! interleaving still depends on the machine).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use allspark_engine::{runtime, CommandId, Dice, EventLog, Seed, SledLog};

const N_KILLS: u64 = 20;

fn child_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_crash-child"))
}

#[test]
fn acknowledged_commands_survive_sigkill_and_the_world_rebuilds() {
    let binary = child_binary();
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => panic!("no temporary directory: {error}"),
    };
    let mut dice = Dice::from_seed(Seed::pcg(0xC0FFEE));
    let mut total_acked = 0usize;
    for round in 0..N_KILLS {
        let mut child = match Command::new(&binary)
            .arg(dir.path())
            .arg((u128::from(round + 1) * 1_000_000_000).to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
        {
            Ok(child) => child,
            Err(error) => panic!("could not start the child: {error}"),
        };
        let Some(stdout) = child.stdout.take() else {
            panic!("child has no stdout")
        };
        let (sender, receiver) = mpsc::channel::<u128>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(id) = line.strip_prefix("ACK ").and_then(|id| id.parse().ok()) {
                    if sender.send(id).is_err() {
                        break;
                    }
                }
            }
        });
        // Wait until the child is really working (a first ack), then let it run a random while.
        let first = receiver.recv_timeout(Duration::from_secs(60));
        assert!(
            first.is_ok(),
            "round {round}: the child acknowledged nothing"
        );
        std::thread::sleep(Duration::from_millis(dice.between(5, 150) as u64));
        if let Err(error) = child.kill() {
            panic!("could not kill the child: {error}");
        }
        let _ = child.wait();
        let _ = reader.join();
        let mut acked: Vec<u128> = first.into_iter().collect();
        acked.extend(receiver.try_iter());
        total_acked += acked.len();

        let log = match SledLog::open(&runtime::log_dir(dir.path())) {
            Ok(log) => log,
            Err(error) => panic!("round {round}: store does not reopen: {error}"),
        };
        for id in &acked {
            let outcome = log.command_outcome(CommandId(*id));
            assert!(
                matches!(outcome, Ok(Some(_))),
                "round {round}: acknowledged command {id} is missing: {outcome:?}"
            );
        }
        let mut expected_seq = 1;
        let scanned = log.scan(1, &mut |event| {
            assert_eq!(event.seq, expected_seq, "round {round}: gap or torn event");
            expected_seq += 1;
        });
        assert!(
            scanned.is_ok(),
            "round {round}: unreadable event: {scanned:?}"
        );
        let rebuilt = runtime::rebuild(&log, true);
        let Ok((world, _)) = rebuilt else {
            panic!("round {round}: rebuild failed: {rebuilt:?}")
        };
        assert_eq!(world.last_seq, log.last_seq());
        assert!(
            world.energon().is_conserved(),
            "round {round}: energon not conserved"
        );
    }
    eprintln!("{total_acked} acknowledged commands survived {N_KILLS} kills");
    assert!(total_acked >= N_KILLS as usize);
}
