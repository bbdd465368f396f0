//! The RPG's views: character sheets, a deletion's confirmation, `/cyber_info`, and an
//! adventure as it stands (its party, the storyteller's words with the names filled in, the
//! segment's buttons, the last segment's result), and the words for its events.

use std::collections::BTreeMap;

use allspark_engine::pets::Faction;
use allspark_engine::rpg::{
    self, story, Adventure, AdventureKind, AdventureOutcome, Character, RpgEvent, Segment,
    SegmentPlan, SegmentResult, Stat,
};
use allspark_engine::PlayerId;

use crate::reply::{color, ButtonStyle, Embed, EmbedField, Reply, Row};
use crate::rpg::ids::{Press, STATS};
use crate::view::{button, field, plural, truncate, when};

/// Embed field values hold 1,024 characters; descriptions 4,096.
const FIELD_CHARS: usize = 1_024;
const DESCRIPTION_CHARS: usize = 4_000;

fn faction_color(faction: Faction) -> u32 {
    match faction {
        Faction::Autobot => color::AUTOBOT,
        Faction::Decepticon => color::DECEPTICON,
    }
}

fn class_name(class: &str) -> String {
    rpg::view::class(class).map_or_else(|| class.to_string(), |c| format!("{} {}", c.emoji, c.name))
}

fn stats_line(stats: &rpg::Stats) -> String {
    let parts: Vec<String> = Stat::ALL
        .iter()
        .map(|s| format!("{} {}", s.short(), stats.get(*s)))
        .collect();
    format!("{} · ❤️ {}", parts.join(" · "), stats.hp)
}

/// One character's sheet as an embed field (also the profile's RPG tab).
pub fn character_field(character: &Character, name: &str) -> EmbedField {
    let worn = rpg::view::with_gear(character);
    let xp = match rpg::view::xp_next(character) {
        Some(next) => format!("{}/{next} XP", character.xp),
        None => format!("{} XP (top level)", character.xp),
    };
    let gear: Vec<String> = character
        .equipped
        .iter()
        .filter_map(|id| rpg::view::gear(id))
        .map(|g| format!("{} ({})", g.name, g.kind.label()))
        .collect();
    let n_owned: u32 = character.owned.values().sum();
    let record = character.record;
    let value = format!(
        "{} · {:?} · level {} · {xp}\n{}\nWorn: {}\nGear owned: {n_owned}\nRecord: {} won / {} lost battles · {} / {} checks · {} stories · {} adventures",
        class_name(&character.class),
        character.faction,
        character.level,
        stats_line(&worn),
        if gear.is_empty() { "nothing".to_string() } else { gear.join(", ") },
        record.battles_won,
        record.battles_lost,
        record.checks_passed,
        record.checks_passed + record.checks_failed,
        record.stories,
        record.adventures,
    );
    field(
        truncate(&format!("#{} {name}", character.number), 256),
        truncate(&value, FIELD_CHARS),
        false,
    )
}

/// A player's characters.
pub fn sheet(owner: PlayerId, characters: &[(Character, String)]) -> Reply {
    if characters.is_empty() {
        return Reply::text(format!(
            "<@{owner}> has no RPG character yet. /character_new makes one (up to three)."
        ));
    }
    Reply::embed(Embed {
        title: Some("🤖 RPG characters".into()),
        description: Some(format!(
            "<@{owner}>'s characters (numbers are what commands take)."
        )),
        color: characters.first().map(|(c, _)| faction_color(c.faction)),
        fields: characters
            .iter()
            .map(|(c, name)| character_field(c, name))
            .collect(),
        footer: Some("/equip puts gear on · /cyber_random forms a party".into()),
        image: None,
    })
}

/// A new character, with the sheet.
pub fn created(name: &str, mut sheet: Reply) -> Reply {
    sheet.content = Some(truncate(&format!("✨ {name} comes online."), 200));
    sheet
}

/// The second step of deleting a character.
pub fn kill_confirm(owner: PlayerId, character: u32, name: &str) -> Reply {
    Reply::text(truncate(
        &format!(
            "Delete #{character} {name} for good, with its gear and record? This can't be undone. Confirm within a minute."
        ),
        400,
    ))
    .with_rows(vec![Row::Buttons(vec![
        button(
            "Delete it",
            Press::Kill {
                owner: owner.0,
                character,
                confirm: true,
            },
            ButtonStyle::Danger,
        ),
        button(
            "Keep it",
            Press::Kill {
                owner: owner.0,
                character,
                confirm: false,
            },
            ButtonStyle::Secondary,
        ),
    ])])
}

pub fn killed(name: &str, confirmed: bool) -> Reply {
    Reply::text(truncate(
        &if confirmed {
            format!("{name} powers down for the last time.")
        } else {
            format!("{name} stays. Nothing was deleted.")
        },
        300,
    ))
}

/// `/cyber_info`.
pub fn info() -> Reply {
    let classes: Vec<String> = rpg::view::classes()
        .into_iter()
        .map(|c| format!("{} {} (leans on {})", c.emoji, c.name, c.main_stat.label()))
        .collect();
    Reply::embed(Embed {
        title: Some("📘 The Cybertron RPG".into()),
        description: Some(format!(
            "Make up to {} characters with /character_new: a name, a faction and one of eight classes. \
             Each has attack, defense, dexterity, intelligence, charisma and health; levels raise them all, \
             the class's own stat most. Gear ({} pieces: beast modes, transformations, weapons and armor, \
             in six rarities) is found on adventures; a character wears two weapons and one of each other kind.",
            rpg::tuning::CHARACTERS_MAX,
            rpg::view::gear_count()
        )),
        color: Some(color::ENERGON),
        fields: vec![
            field("Classes", classes.join("\n"), false),
            field(
                "Adventures",
                format!(
                    "/cyber_random, /cyber_battle, /cyber_event and /cyber_story form a party of up to {} in the channel; \
                     its creator starts it. Each adventure plays {} segments:\n\
                     • a challenge: the first to press picks the party's approach, everyone rolls d20 + that stat \
                     against the difficulty class, and a majority wins energon, experience and sometimes gear \
                     (a failure costs a little energon);\n\
                     • a story: everyone votes for one of three paths before the deadline (ties go to the dice);\n\
                     • a battle: the party's characters fight an enemy in the battle system, turn by turn.",
                    rpg::tuning::PARTY_MAX,
                    rpg::tuning::ADVENTURE_SEGMENTS
                ),
                false,
            ),
            field(
                "Chronicles",
                format!(
                    "/start_cyberchronicles opens a long adventure for the channel: up to {} chapters of \
                     challenges and stories, joined at any time, until /stop_cyberchronicles.",
                    rpg::tuning::CHRONICLE_CHAPTERS
                ),
                false,
            ),
        ],
        footer: Some("Every roll is recorded: an adventure replays exactly.".into()),
        image: None,
    })
}

fn kind_title(kind: AdventureKind) -> &'static str {
    match kind {
        AdventureKind::Random => "🗺️ Adventure",
        AdventureKind::Battle => "⚔️ Battle adventure",
        AdventureKind::Event => "🧩 Challenge adventure",
        AdventureKind::Story => "📜 Story adventure",
        AdventureKind::Chronicle => "📖 Chronicle",
    }
}

/// The party as the tales speak of it, one subject taking a singular verb: a lone member's
/// name, or "the party of A, B and C".
fn party_phrase(names: &[String]) -> String {
    match names {
        [] => "the party".to_string(),
        [one] => one.clone(),
        [rest @ .., last] => format!("the party of {} and {last}", rest.join(", ")),
    }
}

/// The words of a segment with `{party}` and `{lead}` filled in, each sentence starting with
/// a capital (a placeholder may open one).
fn told(text: &str, party: &str, lead: &str) -> String {
    let filled = story::fill_names(text, party, lead);
    let mut out = String::with_capacity(filled.len());
    let mut capital = true;
    for c in filled.chars() {
        if capital && c.is_alphabetic() {
            out.extend(c.to_uppercase());
            capital = false;
            continue;
        }
        if matches!(c, '.' | '!' | '?') {
            capital = true;
        } else if !c.is_whitespace() {
            capital = false;
        }
        out.push(c);
    }
    out
}

fn segment_subject(segment: &Segment) -> String {
    match &segment.plan {
        SegmentPlan::Event { challenge, class } => rpg::view::challenge(challenge).map_or_else(
            || format!("A challenge (difficulty class {class})"),
            |c| {
                format!(
                    "🧩 {} · {} · difficulty class {class}",
                    c.title,
                    c.difficulty.label()
                )
            },
        ),
        SegmentPlan::Story { .. } => "📜 A crossroads: the party votes".to_string(),
        SegmentPlan::Battle { enemy, .. } => format!("⚔️ Battle: {}", story::enemy_name(enemy)),
    }
}

/// A resolved segment's result in a few lines.
fn result_lines(segment: &Segment, names: &BTreeMap<u32, String>, party: &str) -> String {
    let closing = |index: u16| {
        story::line(rpg::Line::closing(index))
            .map(|text| format!("\n{}", told(text, party, party)))
            .unwrap_or_default()
    };
    match (&segment.plan, segment.result) {
        (
            SegmentPlan::Event { challenge, .. },
            Some(SegmentResult::Challenge {
                success,
                closing: c,
            }),
        ) => {
            let def = rpg::view::challenge(challenge);
            let approach = segment.approach.map_or(String::new(), |(by, stat)| {
                let who = by.map_or("the dice".to_string(), |p| format!("<@{p}>"));
                let how = def.map_or("", |d| d.approaches.get(stat));
                format!(
                    "Approach: {} ({}, chosen by {who}). {how}\n",
                    stat.label(),
                    stat.short()
                )
            });
            let rolls: Vec<String> = segment
                .rolls
                .iter()
                .map(|r| {
                    let name = names
                        .get(&r.character)
                        .cloned()
                        .unwrap_or_else(|| format!("#{}", r.character));
                    format!(
                        "{} {name}: d20 {} + {} = {} vs {}",
                        if r.success { "✅" } else { "❌" },
                        r.roll,
                        r.bonus,
                        u32::from(r.roll) + r.bonus,
                        r.class
                    )
                })
                .collect();
            let verdict = match (success, def) {
                (true, Some(d)) => told(&d.success, party, party),
                (false, Some(d)) => told(&d.failure, party, party),
                (true, None) => "Success.".into(),
                (false, None) => "Failure.".into(),
            };
            format!(
                "{approach}{}\n**{}** {verdict}{}",
                rolls.join("\n"),
                if success { "Success!" } else { "Failure." },
                closing(c)
            )
        }
        (
            SegmentPlan::Story { crossroad },
            Some(SegmentResult::Vote {
                choice,
                counts,
                tie_broken,
                closing: c,
            }),
        ) => {
            let def = rpg::view::crossroad(crossroad);
            let picked = def.and_then(|d| d.choices.get(usize::from(choice)));
            let label = picked.map_or("a path", |p| p.label.as_str());
            let outcome = picked.map_or(String::new(), |p| told(&p.outcome, party, party));
            format!(
                "Votes: {} · {} · {}{}\nThe party chose **{label}**. {outcome}{}",
                counts[0],
                counts[1],
                counts[2],
                if tie_broken {
                    " (a tie: the dice decided)"
                } else {
                    ""
                },
                closing(c)
            )
        }
        (SegmentPlan::Battle { enemy, .. }, Some(SegmentResult::Battle { won, line })) => {
            let pool = if won {
                rpg::Pool::Victory
            } else {
                rpg::Pool::Defeat
            };
            let text = story::line(rpg::Line { pool, index: line })
                .map(|t| story::fill_scene(t, "", story::enemy_name(enemy)))
                .map(|t| told(&t, party, party))
                .unwrap_or_default();
            format!(
                "{} {text}",
                if won { "**Victory!**" } else { "**Defeat.**" }
            )
        }
        _ => String::new(),
    }
}

/// An adventure as it stands.
pub fn adventure(
    adventure: &Adventure,
    characters: &[Character],
    names: &BTreeMap<u32, String>,
) -> Reply {
    let number = adventure.number;
    let member_names: Vec<String> = adventure
        .members
        .iter()
        .map(|(_, c)| names.get(c).cloned().unwrap_or_else(|| format!("#{c}")))
        .collect();
    let party = party_phrase(&member_names);
    let lead = member_names
        .first()
        .cloned()
        .unwrap_or_else(|| party.clone());
    let roster: Vec<String> = adventure
        .members
        .iter()
        .map(|(player, c)| {
            let name = names.get(c).cloned().unwrap_or_else(|| format!("#{c}"));
            let about = characters
                .iter()
                .find(|ch| ch.number == *c)
                .map_or(String::new(), |ch| {
                    format!(" · {} · level {}", class_name(&ch.class), ch.level)
                });
            format!("<@{player}>: {name}{about}")
        })
        .collect();
    let mut fields = vec![field(
        format!(
            "Party ({}/{})",
            adventure.members.len(),
            rpg::tuning::PARTY_MAX
        ),
        truncate(
            &if roster.is_empty() {
                "nobody".to_string()
            } else {
                roster.join("\n")
            },
            FIELD_CHARS,
        ),
        false,
    )];
    let mut rows = Vec::new();
    let title = format!("{} #{number}", kind_title(adventure.kind));
    let mut description;
    match (&adventure.started, adventure.ended) {
        (None, None) => {
            description = format!(
                "A party is forming. Press Join to bring your strongest character. The creator starts it; it waits until {}.",
                when(adventure.expires_at)
            );
            rows.push(Row::Buttons(vec![
                button(
                    "Join",
                    Press::Join { adventure: number },
                    ButtonStyle::Primary,
                ),
                button(
                    "Leave",
                    Press::Leave { adventure: number },
                    ButtonStyle::Secondary,
                ),
                button(
                    "Start",
                    Press::Start { adventure: number },
                    ButtonStyle::Success,
                ),
            ]));
        }
        (Some((place, total)), _) => {
            description = format!("📍 {place}");
            let shown = adventure.segments.last();
            // The segment before the one playing, resolved: its result.
            let previous = adventure.segments.iter().rev().find(|s| {
                s.result.is_some() && Some(s.index) != adventure.current().map(|c| c.index)
            });
            if let Some(previous) = previous {
                fields.push(field(
                    format!(
                        "Segment {} · {}",
                        previous.index + 1,
                        segment_subject(previous)
                    ),
                    truncate(&result_lines(previous, names, &party), FIELD_CHARS),
                    false,
                ));
            }
            if let Some(segment) = shown {
                let words = match &segment.narration {
                    Some((text, _)) => told(text, &party, &lead),
                    None => "*The storyteller is setting the scene…*".to_string(),
                };
                description = format!("📍 {place}\n\n{words}");
                let heading = format!(
                    "Segment {} of {} · {}",
                    segment.index + 1,
                    total,
                    segment_subject(segment)
                );
                if segment.result.is_some() {
                    fields.push(field(
                        heading,
                        truncate(&result_lines(segment, names, &party), FIELD_CHARS),
                        false,
                    ));
                } else {
                    let (value, row) = playing(number, segment, &party);
                    fields.push(field(heading, truncate(&value, FIELD_CHARS), false));
                    rows.extend(row);
                }
            }
            match adventure.ended {
                Some(outcome) => {
                    let end = match outcome {
                        AdventureOutcome::Completed => {
                            format!("🏁 {party} made it through. The adventure is complete.")
                        }
                        AdventureOutcome::Defeated => {
                            format!("💥 {party} fell. The adventure ends here.")
                        }
                        AdventureOutcome::Stopped => "⏹️ The adventure was stopped.".to_string(),
                        AdventureOutcome::Deserted => {
                            "🌫️ Everyone left; the adventure fades.".to_string()
                        }
                    };
                    fields.push(field("The end", truncate(&end, FIELD_CHARS), false));
                }
                None => {
                    let mut controls = Vec::new();
                    if adventure.kind == AdventureKind::Chronicle
                        && adventure.members.len() < rpg::tuning::PARTY_MAX
                    {
                        controls.push(button(
                            "Join",
                            Press::Join { adventure: number },
                            ButtonStyle::Primary,
                        ));
                    }
                    let in_battle = adventure
                        .current()
                        .is_some_and(|s| matches!(s.plan, SegmentPlan::Battle { .. }));
                    if !in_battle {
                        controls.push(button(
                            "Stop",
                            Press::Stop { adventure: number },
                            ButtonStyle::Danger,
                        ));
                    }
                    if !controls.is_empty() && rows.len() < crate::reply::limits::ACTION_ROWS {
                        rows.push(Row::Buttons(controls));
                    }
                }
            }
        }
        (None, Some(_)) => {
            description = "This party never set out.".to_string();
        }
    }
    let color = characters
        .first()
        .map_or(color::NEUTRAL, |c| faction_color(c.faction));
    Reply::embed(Embed {
        title: Some(title),
        description: Some(truncate(&description, DESCRIPTION_CHARS)),
        color: Some(color),
        fields,
        footer: Some(format!(
            "{} · {}",
            plural(
                adventure.segments.len() as u64,
                "segment played",
                "segments played"
            ),
            "every roll is recorded"
        )),
        image: None,
    })
    .with_rows(rows)
}

/// The segment being played: what to do, and its buttons.
fn playing(number: u32, segment: &Segment, party: &str) -> (String, Vec<Row>) {
    let index = segment.index;
    match &segment.plan {
        SegmentPlan::Event { challenge, .. } => {
            let def = rpg::view::challenge(challenge);
            let lines: Vec<String> = STATS
                .iter()
                .map(|(_, stat)| {
                    format!(
                        "**{}**: {}",
                        stat.label(),
                        def.map_or("", |d| d.approaches.get(*stat))
                    )
                })
                .collect();
            let buttons = STATS
                .iter()
                .map(|(_, stat)| {
                    button(
                        stat.short(),
                        Press::Approach {
                            adventure: number,
                            segment: index,
                            stat: *stat,
                        },
                        ButtonStyle::Primary,
                    )
                })
                .collect();
            (
                format!(
                    "The first to press picks how {party} takes it on; everyone rolls. The dice pick at {}.\n{}",
                    when(segment.deadline),
                    lines.join("\n")
                ),
                vec![Row::Buttons(buttons)],
            )
        }
        SegmentPlan::Story { crossroad } => {
            let def = rpg::view::crossroad(crossroad);
            let mut counts = [0u8; 3];
            for choice in segment.votes.values() {
                if let Some(count) = counts.get_mut(usize::from(*choice)) {
                    *count += 1;
                }
            }
            let labels: Vec<String> = (0..3)
                .map(|c| {
                    def.and_then(|d| d.choices.get(c))
                        .map_or(format!("Path {}", c + 1), |ch| ch.label.clone())
                })
                .collect();
            let lines: Vec<String> = labels
                .iter()
                .enumerate()
                .map(|(c, label)| format!("{}. {label} ({})", c + 1, counts[c]))
                .collect();
            let buttons = labels
                .iter()
                .enumerate()
                .map(|(c, label)| {
                    button(
                        truncate(&format!("{}. {label}", c + 1), 80),
                        Press::Vote {
                            adventure: number,
                            segment: index,
                            choice: c as u8,
                        },
                        ButtonStyle::Primary,
                    )
                })
                .collect();
            (
                format!(
                    "Vote by {} (or when everyone has voted):\n{}",
                    when(segment.deadline),
                    lines.join("\n")
                ),
                vec![Row::Buttons(buttons)],
            )
        }
        SegmentPlan::Battle { enemy, .. } => (
            format!(
                "{party} faces {}. Open the battle and choose your moves each turn.",
                story::enemy_name(enemy)
            ),
            vec![Row::Buttons(vec![button(
                "⚔️ To battle",
                Press::Battle {
                    adventure: number,
                    segment: index,
                },
                ButtonStyle::Danger,
            )])],
        ),
    }
}

/// A line for a player's history.
pub fn describe(event: &RpgEvent) -> Option<String> {
    Some(match event {
        RpgEvent::CharacterCreated {
            character, class, ..
        } => format!("Created RPG character #{character} ({})", class_name(class)),
        RpgEvent::CharacterKilled { character, .. } => {
            format!("Deleted RPG character #{character}")
        }
        RpgEvent::LeveledUp {
            character, level, ..
        } => format!("RPG character #{character} reached level {level}"),
        RpgEvent::GearFound {
            character, item, ..
        } => format!(
            "RPG character #{character} found {}",
            rpg::view::gear(item).map_or(item.as_str(), |g| g.name.as_str())
        ),
        RpgEvent::Equipped {
            character, item, ..
        } => format!(
            "RPG character #{character} put on {}",
            rpg::view::gear(item).map_or(item.as_str(), |g| g.name.as_str())
        ),
        RpgEvent::Unequipped {
            character, item, ..
        } => format!(
            "RPG character #{character} took off {}",
            rpg::view::gear(item).map_or(item.as_str(), |g| g.name.as_str())
        ),
        RpgEvent::PartyOpened {
            adventure, kind, ..
        } => format!("Formed a party for {} adventure #{adventure}", kind.label()),
        RpgEvent::AdventureEnded { adventure, outcome } => {
            format!("Adventure #{adventure} ended ({outcome:?})")
        }
        _ => return None,
    })
}
