//! Finding battles (in a store or in an exported file) and describing them in text.

use std::path::Path;

use allspark_engine::battle::replay::TurnView;
use allspark_engine::battle::sim::{Action, Fighter, Hit, Who};
use allspark_engine::battle::{BattleEvent, BattleId};
use allspark_engine::{Event, EventLog, SledLog};

pub use allspark_engine::battle::replay::BattleFile;
use allspark_engine::battle::replay::{resolve_battle, Unresolved};

/// Every battle id in the store, in start order.
pub fn all_battles(
    log: &SledLog,
) -> anyhow::Result<Vec<(BattleId, allspark_engine::RecordedEvent)>> {
    Ok(allspark_engine::battle::replay::started_battles(
        log,
        log.last_seq(),
    )?)
}

/// The events of one battle's stream.
pub fn battle_events(log: &SledLog, battle: BattleId) -> anyhow::Result<Vec<BattleEvent>> {
    let events = log.read_stream(&battle.stream(), 1, usize::MAX)?;
    Ok(events
        .into_iter()
        .filter_map(|e| match e.event {
            Event::Battle(event) => Some(event),
            _ => None,
        })
        .collect())
}

/// A battle file from a running bot's replay feed (`allspark run --replay-listen ADDR`),
/// which is how a battle is read, and followed, while the bot holds the store.
fn fetch(url: &str) -> anyhow::Result<String> {
    let answer = reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .build()?
        .get(url)
        .send()
        .map_err(|e| anyhow::anyhow!("cannot reach the replay feed at {url}: {e}"))?;
    let status = answer.status();
    let text = answer.text()?;
    if !status.is_success() {
        anyhow::bail!("the replay feed answered {status}: {}", text.trim());
    }
    Ok(text)
}

/// Resolves a BATTLE argument: an exported file, a replay feed URL, a full id, or a unique
/// prefix.
pub fn load(data: &Path, argument: &str) -> anyhow::Result<(BattleId, Vec<BattleEvent>)> {
    let file = load_file(data, argument)?;
    Ok((file.battle, file.events))
}

/// One battle of the store as a file: its stream, and for a finished battle what its end
/// recorded elsewhere (the settlement `verify` checks).
pub fn store_file(log: &SledLog, battle: BattleId) -> anyhow::Result<BattleFile> {
    allspark_engine::battle::replay::battle_file(log, battle, log.last_seq())?
        .ok_or_else(|| anyhow::anyhow!("battle {battle} has no events"))
}

/// [`load`], keeping the whole file (with its settlement, when it has one).
pub fn load_file(data: &Path, argument: &str) -> anyhow::Result<BattleFile> {
    let as_path = Path::new(argument);
    let from_feed = argument.starts_with("http://") || argument.starts_with("https://");
    // Something that names a file (a path, or a `.json` name) is read as one, so a missing
    // file says so rather than being taken for a battle id.
    let names_a_file = as_path.exists()
        || argument.contains(std::path::MAIN_SEPARATOR)
        || argument.contains('/')
        || argument.ends_with(".json");
    if from_feed || names_a_file {
        let text = if from_feed {
            fetch(argument)?
        } else {
            std::fs::read_to_string(as_path)
                .map_err(|e| anyhow::anyhow!("cannot read the battle file {argument}: {e}"))?
        };
        return BattleFile::from_json(&text)
            .map_err(|e| anyhow::anyhow!("{argument} is not a battle export: {e}"));
    }
    let log = crate::cmd::open(data)?;
    let ids: Vec<BattleId> = all_battles(&log)?.into_iter().map(|(id, _)| id).collect();
    match resolve_battle(&ids, argument) {
        Ok(one) => store_file(&log, one),
        Err(Unresolved::NotFound { near, .. }) if near.is_empty() => anyhow::bail!(
            "no battle `{argument}` in {} (list them with `allspark-replay battles`)",
            data.display()
        ),
        Err(unresolved) => Err(anyhow::anyhow!("{unresolved}")),
    }
}

pub fn bar(value: u32, max: u32) -> String {
    let max = max.max(1);
    let filled = (u64::from(value.min(max)) * 20 / u64::from(max)) as usize;
    format!(
        "[{}{}] {value}/{max}",
        "#".repeat(filled),
        ".".repeat(20 - filled)
    )
}

pub fn fighter_name(fighter: &Fighter, index: usize) -> String {
    match fighter.who {
        Who::Pet { player, faction } => {
            let faction = match faction {
                allspark_engine::pets::Faction::Autobot => "Autobot",
                allspark_engine::pets::Faction::Decepticon => "Decepticon",
            };
            format!("#{index} pet of {player} ({faction})")
        }
        Who::Enemy => format!("#{index} enemy"),
    }
}

pub fn describe_action(action: &Action) -> String {
    match action {
        Action::Attack { target } => format!("attack #{target}"),
        Action::Defend { guard } => format!("guard #{guard}"),
        Action::Charge => "charge".into(),
        Action::Special { target } => format!("special on #{target}"),
    }
}

pub fn describe_hit(hit: &Hit) -> String {
    match hit {
        Hit::Charged { fighter, charge } => format!("#{fighter} charges (x{})", 1u32 << charge),
        Hit::Guarding { guard, target } => format!("#{guard} guards #{target}"),
        Hit::Stunned { fighter } => format!("#{fighter} is stunned"),
        Hit::PhaseEntered { phase } => format!("the enemy enters phase {}", phase + 1),
        Hit::AbilityUsed { user, ability } => format!("#{user} uses ability {ability}"),
        Hit::Strike {
            attacker,
            target,
            roll,
            guard,
            guard_roll,
            damage,
            parry,
            special,
        } => {
            let mut line = format!(
                "#{attacker} {} #{target}: d20={roll}",
                if *special { "specials" } else { "strikes" }
            );
            if let Some(guard) = guard {
                line.push_str(&format!(", guarded by #{guard} (d20={guard_roll})"));
            }
            line.push_str(&format!(", {damage} damage"));
            if *parry > 0 {
                line.push_str(&format!(", {parry} parried back"));
            }
            line
        }
        Hit::StatusApplied {
            fighter,
            kind,
            turns,
        } => format!(
            "#{fighter} gains {} for {}",
            status_text(*kind),
            turns_text(u32::from(*turns))
        ),
        Hit::Healed { fighter, amount } => format!("#{fighter} heals {amount}"),
        Hit::Burned { fighter, amount } => format!("#{fighter} burns for {amount}"),
        Hit::Fainted { fighter } => format!("#{fighter} is down"),
        Hit::Absorbed { fighter, amount } => format!("#{fighter}'s shield absorbs {amount}"),
    }
}

/// One turn as text.
pub fn turn_text(view: &TurnView) -> String {
    let mut text = if view.turn == 0 {
        "== start ==\n".to_string()
    } else {
        format!("== turn {} ==\n", view.turn)
    };
    for (fighter, action) in &view.chosen {
        text.push_str(&format!("  #{fighter} chose {}\n", describe_action(action)));
    }
    for hit in &view.log {
        text.push_str(&format!("  {}\n", describe_hit(hit)));
    }
    for (index, fighter) in view.fighters.iter().enumerate() {
        text.push_str(&format!(
            "  {:<36} {}\n",
            fighter_name(fighter, index),
            bar(fighter.hp, fighter.hp_max)
        ));
    }
    text
}

/// A status in words (never its Rust name).
pub fn status_text(kind: allspark_engine::battle::sim::StatusKind) -> &'static str {
    use allspark_engine::battle::sim::StatusKind;
    match kind {
        StatusKind::Stun => "a stun",
        StatusKind::ArmorUp => "armor",
        StatusKind::Weaken => "weakness",
        StatusKind::Burn => "a burn",
        StatusKind::Shield => "a shield",
        StatusKind::Enrage => "rage",
    }
}

/// How a battle ended, in words: sides are numbered from 1 as players see them.
pub fn outcome_text(outcome: allspark_engine::battle::sim::SimOutcome) -> String {
    match outcome {
        allspark_engine::battle::sim::SimOutcome::Won { side } => format!("side {} won", side + 1),
        allspark_engine::battle::sim::SimOutcome::Draw => "a draw".to_string(),
    }
}

/// `1 turn`, `2 turns`.
pub fn turns_text(n: u32) -> String {
    if n == 1 {
        "1 turn".to_string()
    } else {
        format!("{n} turns")
    }
}

#[cfg(test)]
mod words {
    use allspark_engine::battle::sim::SimOutcome;

    #[test]
    fn outcomes_and_counts_read_as_words() {
        assert_eq!(
            super::outcome_text(SimOutcome::Won { side: 0 }),
            "side 1 won"
        );
        assert_eq!(super::outcome_text(SimOutcome::Draw), "a draw");
        assert_eq!(super::turns_text(1), "1 turn");
        assert_eq!(super::turns_text(3), "3 turns");
    }
}
