//! The fun area's content: the hello and ping ladders and the grump's lines
//! (`engine/content/greetings.json`), original to this project.

use serde::{Deserialize, Serialize};

use crate::fun::Ladder;

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GreetingsFile {
    #[serde(rename = "$comment", default)]
    pub comment: String,
    /// Rungs of the hello ladder, the first first; each a list of lines.
    pub hello: Vec<Vec<String>>,
    /// Rungs of the ping ladder; every first-rung line shows `{latency}` once.
    pub ping: Vec<Vec<String>>,
    /// Grumpy greetings, each naming `{target}` once.
    pub grump: Vec<String>,
}

impl GreetingsFile {
    pub fn ladder(&self, ladder: Ladder) -> &[Vec<String>] {
        match ladder {
            Ladder::Hello => &self.hello,
            Ladder::Ping => &self.ping,
        }
    }

    /// Line `line` of rung `level` (1-based), if the content has it.
    pub fn line(&self, ladder: Ladder, level: u8, line: u16) -> Option<&str> {
        self.ladder(ladder)
            .get(usize::from(level).checked_sub(1)?)?
            .get(usize::from(line))
            .map(String::as_str)
    }
}

/// Longest line.
pub const LINE_MAX_CHARS: usize = 200;

/// Every problem with the greetings, as (entry, problem).
pub fn check(file: &GreetingsFile) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let ok = |line: &str| {
        !line.trim().is_empty()
            && line.chars().count() <= LINE_MAX_CHARS
            && !line.contains('@')
            && !line.contains("http")
    };
    for (name, ladder, rungs) in [("hello", Ladder::Hello, 8usize), ("ping", Ladder::Ping, 6)] {
        let levels = file.ladder(ladder);
        if levels.len() != rungs {
            problems.push((name.to_string(), format!("needs exactly {rungs} rungs")));
        }
        for (n, lines) in levels.iter().enumerate() {
            let entry = format!("{name}/{}", n + 1);
            if lines.is_empty() || lines.len() > usize::from(u16::MAX) {
                problems.push((entry.clone(), "a rung needs lines".into()));
            }
            for (i, line) in lines.iter().enumerate() {
                let latency = line.matches("{latency}").count();
                let wants = usize::from(ladder == Ladder::Ping && n == 0);
                if !ok(line) || latency != wants || line.contains("{target}") {
                    problems.push((
                        format!("{entry}/{i}"),
                        "1 to 200 characters, no mention or link; {latency} once in the first ping rung only"
                            .into(),
                    ));
                }
            }
        }
    }
    if file.grump.len() < 30 {
        problems.push(("grump".into(), "needs at least 30 lines".into()));
    }
    for (i, line) in file.grump.iter().enumerate() {
        if !ok(line) || line.matches("{target}").count() != 1 || line.contains("{latency}") {
            problems.push((
                format!("grump/{i}"),
                "1 to 200 characters naming {target} once".into(),
            ));
        }
    }
    problems
}
