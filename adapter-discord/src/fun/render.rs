//! The fun area's views: a greeting on its rung, a grump (pinging the grump), the opt-out's
//! answer, the shooting range (countdown, round, end, records, leaderboard), and the words
//! for fun events. Pure: events, projections and content in, [`Reply`] out.

use allspark_engine::fun::combiner::Part;
use allspark_engine::fun::games::{self, Entrant, HappeningKind};
use allspark_engine::fun::story::{EndingKind, Story};
use allspark_engine::fun::{
    self, FunEvent, Ladder, RangeSession, RangeStats, ShotOutcome, TriviaSession, Walk,
    RANGE_BUTTONS, RANGE_ROUNDS,
};
use allspark_engine::fun::{CombinerTeam, Game};
use allspark_engine::PlayerId;

use crate::fun::ids::{self, Press};
use crate::reply::{Button, ButtonStyle, Embed, EmbedField, Reply, Row};
use crate::view::{button, plural, truncate};

/// A hello or ping reply: the line of its rung (`latency` fills a pong's `{latency}`).
pub fn greeting(event: &FunEvent, latency: &str) -> Reply {
    let FunEvent::Greeted {
        player,
        ladder,
        level,
        line,
    } = event
    else {
        return Reply::refusal("Nothing to say; try again.");
    };
    let text = fun::view::greeting(*ladder, *level, *line).unwrap_or(match ladder {
        Ladder::Hello => "Hello.",
        Ladder::Ping => "Pong ({latency}).",
    });
    let text = text
        .replace("{user}", &format!("<@{player}>"))
        .replace("{latency}", latency);
    Reply::text(truncate(&text, 1_900))
}

/// A grump: the line naming the grump, who is pinged (and only them).
pub fn grump(event: &FunEvent) -> Reply {
    let FunEvent::Grumped {
        player,
        target,
        line,
        ..
    } = event
    else {
        return Reply::refusal("The grump stayed asleep; try again.");
    };
    let text = fun::view::grump_line(*line)
        .unwrap_or("Hmph, {target}.")
        .replace("{target}", &format!("<@{target}>"));
    Reply {
        pings: vec![target.0],
        ..Reply::text(truncate(
            &format!("{text}\n-# sent by <@{player}> · /grump_optout to stop these"),
            1_900,
        ))
    }
}

/// The opt-out's answer, privately.
pub fn opted(player: PlayerId, out: bool) -> Reply {
    Reply {
        ephemeral: true,
        ..Reply::text(if out {
            format!("<@{player}>, nobody can /grump at you any more. /grump_optout action:in undoes it.")
        } else {
            format!("<@{player}>, you can be grumped at again.")
        })
    }
}

/// The range's colour.
const RANGE_COLOR: u32 = 0xD9_4A_38;

/// Accuracy as a percentage with one decimal, in integers: `hits` of `rounds`.
pub fn accuracy(hits: u64, rounds: u64) -> String {
    if rounds == 0 {
        return "–".into();
    }
    let tenths = hits.saturating_mul(1_000) / rounds;
    format!("{}.{} %", tenths / 10, tenths % 10)
}

fn rank_name(rank: u8) -> &'static str {
    fun::view::range_rank(rank).map_or("Unranked", |r| r.name.as_str())
}

/// The countdown before the first target of `owner`'s session: `left` seconds to go. Its one
/// button is disabled and names the session, which tells the transports to run it.
pub fn range_countdown(owner: PlayerId, session: u32, rounds: u8, left: i64) -> Reply {
    let wait = Button {
        disabled: true,
        ..button(
            format!("{left}…"),
            Press::Wait {
                owner: owner.0,
                session,
            },
            ButtonStyle::Secondary,
        )
    };
    let window = format!(
        "{}.{}",
        fun::ROUND_WINDOW_MS / 1_000,
        fun::ROUND_WINDOW_MS % 1_000 / 100
    );
    Reply::text(format!(
        "🎯 **Shooting range** · session #{session} · {rounds} rounds for <@{owner}>\n\
         One target per round among five buttons: press it, fast. Only your first press of a \
         round counts; after {window} s it is too late.\nTargets in **{left}**…"
    ))
    .with_rows(vec![Row::Buttons(vec![wait])])
}

/// What the last press made of its round.
fn last_shot(range: &RangeSession) -> String {
    match range.last_shot {
        Some((round, _, ms, ShotOutcome::Hit)) => format!("round {round}: hit in {ms} ms"),
        Some((round, _, ms, ShotOutcome::Miss)) => format!("round {round}: missed ({ms} ms)"),
        Some((round, _, ms, ShotOutcome::Late)) => {
            format!("round {round}: too late ({} s)", ms / 1_000)
        }
        None => "first target!".into(),
    }
}

/// A round of `owner`'s session: five buttons, the target on the one the engine chose.
pub fn range_round(owner: PlayerId, range: &RangeSession) -> Reply {
    let buttons = (0..RANGE_BUTTONS)
        .map(|b| {
            let press = Press::Shoot {
                owner: owner.0,
                session: range.session,
                round: range.round,
                button: b,
            };
            if b == range.target {
                button("🎯", press, ButtonStyle::Danger)
            } else {
                button("·", press, ButtonStyle::Secondary)
            }
        })
        .collect();
    Reply::text(format!(
        "🎯 **Round {}/{}** · hits {} · {}",
        range.round,
        range.rounds,
        range.hits,
        last_shot(range)
    ))
    .with_rows(vec![Row::Buttons(buttons)])
}

/// The end of a session, from the events that ended it (the last shot and `RangeEnded`).
pub fn range_ended(owner: PlayerId, events: &[FunEvent], stats: &RangeStats) -> Reply {
    let Some((session, rounds, hits, unpressed, rank, record)) =
        events.iter().find_map(|e| match e {
            FunEvent::RangeEnded {
                session,
                rounds,
                hits,
                unpressed,
                rank,
                record,
                ..
            } => Some((*session, *rounds, *hits, *unpressed, *rank, *record)),
            _ => None,
        })
    else {
        return Reply::refusal("The session is over.");
    };
    let last = events.iter().find_map(|e| match e {
        FunEvent::RangeShot {
            round,
            reaction_ms,
            outcome,
            ..
        } => Some(match outcome {
            ShotOutcome::Hit => format!("Last round ({round}): hit in {reaction_ms} ms."),
            ShotOutcome::Miss => format!("Last round ({round}): missed."),
            ShotOutcome::Late => format!("Last round ({round}): too late."),
        }),
        _ => None,
    });
    let line = fun::view::range_rank(rank).map_or("", |r| r.line.as_str());
    let mut description = format!(
        "<@{owner}> hit **{hits}/{rounds}** ({}).\nRank: **{}**. {line}",
        accuracy(u64::from(hits), u64::from(rounds)),
        rank_name(rank)
    );
    if let Some(last) = last {
        description.push_str(&format!("\n{last}"));
    }
    if unpressed > 0 {
        description.push_str(&format!(
            "\n{} never pressed counted as misses.",
            plural(u64::from(unpressed), "round", "rounds")
        ));
    }
    if record {
        description.push_str(&format!("\n🏆 A new personal best at {rounds} rounds!"));
    }
    if let Some(fastest) = stats.fastest_ms {
        description.push_str(&format!("\n-# Fastest hit ever: {fastest} ms"));
    }
    Reply::embed(Embed {
        title: Some(format!("🎯 Range session #{session} complete")),
        description: Some(truncate(&description, 4_000)),
        color: Some(RANGE_COLOR),
        ..Embed::default()
    })
    .with_rows(vec![Row::Buttons(vec![
        button(
            "Again",
            Press::Again {
                owner: owner.0,
                rounds,
            },
            ButtonStyle::Primary,
        ),
        button(
            "Leaderboard",
            Press::Leaders { rounds },
            ButtonStyle::Secondary,
        ),
    ])])
}

/// `player`'s range record.
pub fn range_stats(player: PlayerId, stats: &RangeStats) -> Reply {
    if stats.sessions == 0 {
        return Reply::text(format!(
            "<@{player}> has not finished a range session yet. /range starts one."
        ));
    }
    let overall = u8::try_from(stats.hits.saturating_mul(100) / stats.rounds.max(1)).unwrap_or(0);
    let rank = fun::rank(overall, 100);
    let fields = RANGE_ROUNDS
        .iter()
        .map(|rounds| {
            let value = match stats.by_rounds.get(rounds) {
                Some(best) if best.best_hits > 0 => format!(
                    "best {}/{rounds} ({}) · {} ms a hit · played {}×",
                    best.best_hits,
                    accuracy(u64::from(best.best_hits), u64::from(*rounds)),
                    best.best_hit_ms / u64::from(best.best_hits),
                    best.played
                ),
                Some(best) => format!("no hit yet · played {}×", best.played),
                None => "not played".into(),
            };
            EmbedField {
                name: format!("{rounds} rounds"),
                value,
                inline: false,
            }
        })
        .collect();
    Reply::embed(Embed {
        title: Some("🎯 Range record".into()),
        description: Some(format!(
            "<@{player}> · {} · {} of {} targets ({}) · rank **{}**{}",
            plural(u64::from(stats.sessions), "session", "sessions"),
            stats.hits,
            stats.rounds,
            accuracy(stats.hits, stats.rounds),
            rank_name(rank),
            stats
                .fastest_ms
                .map_or(String::new(), |ms| format!(" · fastest hit {ms} ms"))
        )),
        color: Some(RANGE_COLOR),
        fields,
        ..Embed::default()
    })
}

/// The leaderboard for sessions of `rounds` rounds, with a button per length.
pub fn range_leaders(rounds: u8, rows: &[fun::view::RangeLeader]) -> Reply {
    let medals = ["🥇", "🥈", "🥉"];
    let lines: Vec<String> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let place = medals
                .get(i)
                .map_or_else(|| format!("{}.", i + 1), |m| (*m).to_string());
            format!(
                "{place} <@{}> · {}/{rounds} · {} ms a hit · {}×",
                row.player, row.best_hits, row.mean_ms, row.played
            )
        })
        .collect();
    let buttons = RANGE_ROUNDS
        .iter()
        .map(|r| Button {
            disabled: *r == rounds,
            ..button(
                format!("{r} rounds"),
                Press::Leaders { rounds: *r },
                ButtonStyle::Secondary,
            )
        })
        .collect();
    Reply::embed(Embed {
        title: Some(format!("🎯 Range leaderboard · {rounds} rounds")),
        description: Some(if lines.is_empty() {
            "Nobody has hit a target in a session this long yet.".into()
        } else {
            lines.join("\n")
        }),
        color: Some(RANGE_COLOR),
        ..Embed::default()
    })
    .with_rows(vec![Row::Buttons(buttons)])
}

/// Trivia's colour.
const TRIVIA_COLOR: u32 = 0x4A_7B_D9;

/// The letters of trivia's options.
pub const LETTERS: [&str; 4] = ["A", "B", "C", "D"];

fn trivia_category(category: Option<&str>) -> String {
    match category.and_then(|c| allspark_engine::content::get().trivia.category(c)) {
        Some(c) => format!("{} {}", c.emoji, c.name),
        None => "🎲 Everything".into(),
    }
}

/// What the question before the open one came to.
fn trivia_last(session: &TriviaSession) -> Option<EmbedField> {
    let (question, winner) = session.last?;
    let right = fun::view::trivia_question(question).and_then(|q| {
        let letter = LETTERS.get(usize::from(q.answer))?;
        Some(format!(
            "{letter} · {}",
            q.options.get(usize::from(q.answer))?
        ))
    })?;
    Some(EmbedField {
        name: "Last question".into(),
        value: truncate(
            &match winner {
                Some(player) => format!("✅ <@{player}> knew it: **{right}**"),
                None => format!("⏰ Nobody got it: it was **{right}**"),
            },
            1_024,
        ),
        inline: false,
    })
}

/// `channel`'s trivia: the open question with its four buttons, or the results board of the
/// session that ended there.
pub fn trivia(channel: u64, session: &TriviaSession) -> Reply {
    if session.ended_at.is_some() {
        return trivia_results(session);
    }
    let Some(question) = fun::view::trivia_question(session.question) else {
        return Reply::refusal(
            "This question is gone from the archive; /trivia_stop ends the session.",
        );
    };
    let buttons = question
        .options
        .iter()
        .zip(LETTERS)
        .enumerate()
        .map(|(i, (option, letter))| {
            button(
                truncate(&format!("{letter} · {option}"), 80),
                Press::Answer {
                    channel,
                    number: session.number,
                    choice: i as u8,
                },
                ButtonStyle::Primary,
            )
        })
        .collect();
    let answered = session.answered.len() as u64;
    Reply::embed(Embed {
        title: Some(format!(
            "🧠 Trivia · {} · question {}/{}",
            trivia_category(session.category.as_deref()),
            session.number,
            session.questions
        )),
        description: Some(truncate(
            &format!(
                "**{}**\n\nOne answer each; the first right one wins. Closes {} · {} so far.",
                question.question,
                crate::view::when(session.closes_at),
                plural(answered, "answer", "answers")
            ),
            4_000,
        )),
        color: Some(TRIVIA_COLOR),
        fields: trivia_last(session).into_iter().collect(),
        ..Embed::default()
    })
    .with_rows(vec![Row::Buttons(buttons)])
}

/// A finished session's results: who knew most, how it ended, how long it took.
pub fn trivia_results(session: &TriviaSession) -> Reply {
    let medals = ["🥇", "🥈", "🥉"];
    let board = fun::view::trivia_board(session);
    let lines: Vec<String> = board
        .iter()
        .take(20)
        .enumerate()
        .map(|(i, (player, right, answered))| {
            let place = medals
                .get(i)
                .map_or_else(|| format!("{}.", i + 1), |m| (*m).to_string());
            format!("{place} <@{player}> · {right} right of {answered}")
        })
        .collect();
    let how = match session.stopped_by {
        Some(by) => format!("Stopped by <@{by}>."),
        None if session.number >= session.questions => {
            format!(
                "All {} asked.",
                plural(u64::from(session.number), "question", "questions")
            )
        }
        None => "Nobody was answering any more, so it ended.".into(),
    };
    let took = session
        .ended_at
        .map(|end| (end.0 - session.started_at.0).max(0) / 1_000)
        .map_or(String::new(), |secs| {
            format!(" It took {} min {} s.", secs / 60, secs % 60)
        });
    let mut fields: Vec<EmbedField> = trivia_last(session).into_iter().collect();
    fields.push(EmbedField {
        name: "Scores".into(),
        value: if lines.is_empty() {
            "Nobody answered.".into()
        } else {
            truncate(&lines.join("\n"), 1_024)
        },
        inline: false,
    });
    Reply::embed(Embed {
        title: Some(format!(
            "🏁 Trivia over · {}",
            trivia_category(session.category.as_deref())
        )),
        description: Some(format!("{how}{took}")),
        color: Some(TRIVIA_COLOR),
        fields,
        ..Embed::default()
    })
    .with_rows(vec![Row::Buttons(vec![button(
        "Play again",
        Press::TriviaAgain {
            category: session.category.clone(),
        },
        ButtonStyle::Primary,
    )])])
}

/// WalkTru's colour.
const WALK_COLOR: u32 = 0x8E_5B_C9;

/// A meter as a bar with its warning band.
fn meter_line(story: &Story, value: i32) -> String {
    let meter = &story.meter;
    let span = u64::try_from(i64::from(meter.max) - i64::from(meter.min)).unwrap_or(1);
    let filled = u64::try_from(i64::from(value) - i64::from(meter.min)).unwrap_or(0);
    let band = match meter.danger_percent(value) {
        90.. => "🟥 critical",
        75.. => "🟧 danger",
        50.. => "🟨 warning",
        25.. => "🟦 caution",
        _ => "🟩 steady",
    };
    let mut name = meter.name.clone();
    if let Some(first) = name.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    format!(
        "{} {name} {} ({value} of {}..{}) · {band}",
        meter.emoji,
        crate::view::cells(filled, span),
        meter.min,
        meter.max
    )
}

/// What the last step of `walk` came to, in the story's words.
fn last_outcome(story: &Story, walk: &Walk) -> Option<String> {
    let step = walk.steps.last()?;
    let stage = story.stages.get(&step.stage)?;
    if step.total_failure {
        return stage
            .total_failure
            .as_ref()
            .map(|t| format!("💥 {}", t.text));
    }
    let choice = stage.choices.get(usize::from(step.choice))?;
    Some(if step.success {
        format!("✅ {}", choice.success.text)
    } else {
        format!("❌ {}", choice.failure.text)
    })
}

/// `owner`'s walk of `story` at its stage: what happened last, the stage, the meter, and a
/// button per choice (and Start over, when `resumed`).
pub fn walk(owner: PlayerId, story: &Story, walk: &Walk, resumed: bool) -> Reply {
    if let Some(ending) = &walk.ended {
        return walk_ended(owner, story, walk, ending, &[]);
    }
    let Some(stage) = story.stages.get(&walk.stage) else {
        return Reply::refusal("This story has changed since; start over with /walktru.");
    };
    let mut text = String::new();
    if walk.steps.is_empty() {
        text.push_str(&format!("*{}*\n\n", story.intro));
    } else if let Some(last) = last_outcome(story, walk) {
        text.push_str(&format!("{last}\n\n"));
    }
    text.push_str(&stage.text);
    let mut buttons: Vec<Button> = stage
        .choices
        .iter()
        .enumerate()
        .map(|(i, choice)| {
            button(
                truncate(&format!("{} · {}", i + 1, choice.label), 80),
                Press::Walk {
                    owner: owner.0,
                    story: story.id.clone(),
                    stage: walk.stage.clone(),
                    choice: i as u8,
                },
                ButtonStyle::Primary,
            )
        })
        .collect();
    if resumed {
        buttons.push(button(
            "Start over",
            Press::WalkAgain {
                owner: owner.0,
                story: story.id.clone(),
                restart: true,
            },
            ButtonStyle::Secondary,
        ));
    }
    Reply::embed(Embed {
        title: Some(format!(
            "{} {} · step {}",
            story.emoji,
            story.title,
            walk.steps.len() + 1
        )),
        description: Some(truncate(&text, 4_000)),
        color: Some(WALK_COLOR),
        fields: vec![EmbedField {
            name: "Meter".into(),
            value: meter_line(story, walk.meter),
            inline: false,
        }],
        ..Embed::default()
    })
    .with_rows(vec![Row::Buttons(buttons)])
}

/// The end of `owner`'s walk: the last outcome, the ending, the journey step by step, the
/// endings found so far (`found`), and Play again.
pub fn walk_ended(
    owner: PlayerId,
    story: &Story,
    walk: &Walk,
    ending: &str,
    found: &[String],
) -> Reply {
    let (title, text, kind) = story.endings.get(ending).map_or(
        ("The End", "The story is over.", EndingKind::Survival),
        |e| (e.title.as_str(), e.text.as_str(), e.kind),
    );
    let badge = match kind {
        EndingKind::Victory => "🏆",
        EndingKind::Survival => "🌅",
        EndingKind::Defeat => "💀",
    };
    let mut description = String::new();
    if let Some(last) = last_outcome(story, walk) {
        description.push_str(&format!("{last}\n\n"));
    }
    description.push_str(&format!("{badge} **{title}**\n{text}"));
    let journey: Vec<String> = walk
        .steps
        .iter()
        .enumerate()
        .map(|(n, step)| {
            let label = story
                .stages
                .get(&step.stage)
                .and_then(|s| s.choices.get(usize::from(step.choice)))
                .map_or("(a choice since rewritten)", |c| c.label.as_str());
            let mark = match (step.total_failure, step.success) {
                (true, _) => "💥",
                (false, true) => "✅",
                (false, false) => "❌",
            };
            format!("{}. {mark} {label} ({})", n + 1, step.meter)
        })
        .collect();
    let mut fields = vec![
        EmbedField {
            name: "Journey".into(),
            value: truncate(&journey.join("\n"), 1_024),
            inline: false,
        },
        EmbedField {
            name: "Meter".into(),
            value: meter_line(story, walk.meter),
            inline: false,
        },
    ];
    if !found.is_empty() {
        fields.push(EmbedField {
            name: "Endings found".into(),
            value: format!("{} of {}", found.len(), story.endings.len()),
            inline: false,
        });
    }
    Reply::embed(Embed {
        title: Some(format!("{} {} · the end", story.emoji, story.title)),
        description: Some(truncate(&format!("<@{owner}>\n{description}"), 4_000)),
        color: Some(WALK_COLOR),
        fields,
        ..Embed::default()
    })
    .with_rows(vec![Row::Buttons(vec![button(
        "Play again",
        Press::WalkAgain {
            owner: owner.0,
            story: story.id.clone(),
            restart: false,
        },
        ButtonStyle::Primary,
    )])])
}

/// The combiners' colour.
const COMBINER_COLOR: u32 = 0xE0_A1_2B;

/// Combiner team `number`: its parts and who fills them; open, the free parts' buttons and
/// Leave; formed, its name and its pets' summed strength (`pets`: each member's pet, if any).
pub fn team(
    number: u32,
    team: &CombinerTeam,
    pets: &[(PlayerId, Option<allspark_engine::pets::Pet>)],
) -> Reply {
    let name = fun::view::team_name(team);
    let lines: Vec<String> = Part::ALL
        .iter()
        .map(|part| {
            let who = team
                .members
                .get(part)
                .map_or_else(|| "— free —".to_string(), |p| format!("<@{p}>'s pet"));
            format!("{}: {who}", ids::part_label(*part))
        })
        .collect();
    let mut fields = Vec::new();
    if team.formed.is_some() {
        let (attack, defense, level) = pets.iter().filter_map(|(_, pet)| pet.as_ref()).fold(
            (0u64, 0u64, 0u64),
            |(a, d, l), pet| {
                (
                    a + u64::from(pet.attack),
                    d + u64::from(pet.defense),
                    l + u64::from(pet.level),
                )
            },
        );
        fields.push(EmbedField {
            name: "Combined".into(),
            value: format!("⚔️ attack {attack} · 🛡️ defense {defense} · levels {level}"),
            inline: false,
        });
    }
    let (title, intro) = match (&name, team.formed) {
        (Some(name), Some(_)) => (
            format!("⚡ {name} is formed!"),
            format!("Combiner team #{number}: six sparks, one giant."),
        ),
        _ => (
            format!("🤖 Combiner team #{number}"),
            format!(
                "Six pets, one per part. Press a free part to put your pet in it. Open until {}.",
                crate::view::when(team.expires_at)
            ),
        ),
    };
    let mut rows = Vec::new();
    if team.formed.is_none() {
        let free: Vec<Button> = Part::ALL
            .iter()
            .filter(|part| !team.members.contains_key(part))
            .map(|part| {
                button(
                    ids::part_label(*part),
                    Press::TakePart {
                        team: number,
                        part: *part,
                    },
                    ButtonStyle::Primary,
                )
            })
            .collect();
        for chunk in free.chunks(5) {
            rows.push(Row::Buttons(chunk.to_vec()));
        }
    }
    rows.push(Row::Buttons(vec![button(
        if team.formed.is_some() {
            "Leave (disbands the team)"
        } else {
            "Leave"
        },
        Press::LeaveTeam { team: number },
        ButtonStyle::Secondary,
    )]));
    Reply::embed(Embed {
        title: Some(title),
        description: Some(format!("{intro}\n\n{}", lines.join("\n"))),
        color: Some(COMBINER_COLOR),
        fields,
        ..Embed::default()
    })
    .with_rows(rows)
}

/// Team `a`'s mega-fight challenge to team `b`, pinging `b`'s head, who answers with the
/// buttons (the engine refuses anyone else).
pub fn mega_challenge(a: &(u32, CombinerTeam), b: &(u32, CombinerTeam)) -> Reply {
    let name = |(n, t): &(u32, CombinerTeam)| {
        fun::view::team_name(t).map_or_else(
            || format!("team #{n}"),
            |name| format!("**{name}** (team #{n})"),
        )
    };
    let head = |(_, t): &(u32, CombinerTeam)| t.members.get(&Part::Head).copied();
    let challenger = head(a).map_or_else(|| "Its head".to_string(), |p| format!("<@{p}>"));
    let answer = head(b).map_or_else(|| "Its head".to_string(), |p| format!("<@{p}>"));
    let mut reply = Reply::embed(Embed {
        title: Some("⚔️ A mega-fight challenge".into()),
        description: Some(format!(
            "{challenger}'s {} challenges {}!\n\n{answer}, head of the challenged team, \
             accepts or declines. Each team fights as one giant: its six pets' health, attack \
             and defense together, its head choosing the moves.",
            name(a),
            name(b),
        )),
        color: Some(COMBINER_COLOR),
        footer: Some(format!(
            "Winners: {} energon each · the others: {}",
            fun::mega::MEGA_WIN_ENERGON,
            fun::mega::MEGA_LOSS_ENERGON
        )),
        ..Embed::default()
    })
    .with_rows(vec![Row::Buttons(vec![
        button(
            "Accept",
            Press::Mega {
                challenger: a.0,
                accept: true,
            },
            ButtonStyle::Success,
        ),
        button(
            "Decline",
            Press::Mega {
                challenger: a.0,
                accept: false,
            },
            ButtonStyle::Secondary,
        ),
    ])]);
    reply.pings = head(b).map(|p| vec![p.0]).unwrap_or_default();
    reply
}

/// `/hg_sorter`'s districts, each named as the arena names it, with its players (mentions that
/// never ping).
pub fn sorted(districts: &[Vec<PlayerId>]) -> Reply {
    let content = &allspark_engine::content::get().games;
    let fields = districts
        .iter()
        .enumerate()
        .map(|(d, players)| {
            let name = content
                .districts
                .get(d)
                .cloned()
                .unwrap_or_else(|| format!("District {}", d + 1));
            let who: Vec<String> = players.iter().map(|p| format!("<@{p}>")).collect();
            EmbedField {
                name: format!("{} · {}", d + 1, truncate(&name, 200)),
                value: truncate(&who.join(", "), 1_024),
                inline: true,
            }
        })
        .collect();
    Reply::embed(Embed {
        title: Some("🗂️ The district sorter".into()),
        description: Some(format!(
            "{} players dealt into {} districts by the dice.",
            districts.iter().map(Vec::len).sum::<usize>(),
            districts.len()
        )),
        color: Some(GAMES_COLOR),
        fields,
        ..Embed::default()
    })
}

/// The arena's colour.
const GAMES_COLOR: u32 = 0xB0_3A_2E;

/// A contestant's name as the arena shows it: a mention for a player, a drone's name.
fn contestant(entrant: Option<&Entrant>) -> String {
    let content = &allspark_engine::content::get().games;
    match entrant {
        Some(Entrant::Player(player)) => format!("<@{player}>"),
        Some(Entrant::Drone(i)) => content
            .drones
            .get(usize::from(*i))
            .map_or_else(|| "a forgotten contestant".into(), |n| format!("**{n}**")),
        None => "someone".into(),
    }
}

/// What a game calls its districts and factions: its creator's names where they gave them,
/// the arena's for the rest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArenaNames {
    pub districts: Vec<String>,
    pub factions: Vec<String>,
}

impl ArenaNames {
    pub fn district(&self, d: usize) -> String {
        self.districts.get(d).cloned().unwrap_or_else(|| {
            allspark_engine::content::get()
                .games
                .districts
                .get(d)
                .cloned()
                .unwrap_or_else(|| format!("District {}", d + 1))
        })
    }

    pub fn faction(&self, f: usize) -> String {
        self.factions.get(f).cloned().unwrap_or_else(|| {
            allspark_engine::content::get()
                .games
                .factions
                .get(f)
                .map_or_else(|| format!("Faction {}", f + 1), |c| c.name.clone())
        })
    }
}

fn faction_label(faction: u8, factions: u8, names: &ArenaNames) -> String {
    let content = &allspark_engine::content::get().games;
    if factions < 2 {
        return "their own".into();
    }
    let emoji = content
        .factions
        .get(usize::from(faction))
        .map_or("⚙️", |f| f.emoji.as_str());
    format!("{emoji} {}", names.faction(usize::from(faction)))
}

/// Cybertron Games `number`: the lobby (who is in, Join and Start), the last round's story
/// (Next round and End), or the champions once it is over.
pub fn games(number: u32, game: &Game, names: &ArenaNames, map: Option<Vec<u8>>) -> Reply {
    let button_of = |label: &str, action, style| {
        button(
            label,
            Press::Games {
                game: number,
                action,
            },
            style,
        )
    };
    let Some((_, entrants)) = &game.started else {
        let players: Vec<String> = game.players.iter().map(|p| format!("<@{p}>")).collect();
        let drones = usize::from(game.drones).saturating_sub(game.players.len());
        let mut fields = Vec::new();
        if let Some(role) = game.role {
            fields.push(EmbedField {
                name: "Who may join".into(),
                value: format!("Members with <@&{role}>, and whoever the creator named"),
                inline: false,
            });
        }
        for (label, given) in [
            ("Districts", &names.districts),
            ("Factions", &names.factions),
        ] {
            if !given.is_empty() {
                fields.push(EmbedField {
                    name: label.into(),
                    value: truncate(&given.join(", "), 1_024),
                    inline: false,
                });
            }
        }
        return Reply::embed(Embed {
            title: Some(format!("🏟️ Cybertron Games #{number} · the lobby")),
            description: Some(truncate(
                &format!(
                    "Up to {} contestants in {} districts{}. In so far: {}{}.\nPress Join to \
                     enter; whoever opened it presses Start.",
                    game.drones.max(game.players.len() as u8),
                    game.districts,
                    if game.factions >= 2 {
                        format!(", {} factions", game.factions)
                    } else {
                        ", every contestant for themselves".into()
                    },
                    if players.is_empty() {
                        "nobody".into()
                    } else {
                        players.join(", ")
                    },
                    if drones > 0 {
                        format!(", and up to {drones} drones will fill the rest")
                    } else {
                        String::new()
                    }
                ),
                4_000,
            )),
            color: Some(GAMES_COLOR),
            fields,
            ..Embed::default()
        })
        .with_rows(vec![Row::Buttons(vec![
            button_of("Join", ids::GamesAction::Join, ButtonStyle::Primary),
            button_of("Start", ids::GamesAction::Start, ButtonStyle::Success),
        ])]);
    };
    let content = &allspark_engine::content::get().games;
    let name = |i: u8| contestant(entrants.get(usize::from(i)));
    let alive = game.arena.alive.iter().filter(|a| **a).count();
    let mut fields = Vec::new();
    let told = game
        .narrations
        .get(&game.arena.round)
        .filter(|_| !game.rounds.is_empty());
    let description = match game.rounds.last() {
        // A model's retelling of the round, its placeholders filled with the contestants.
        Some(_) if told.is_some() => {
            let mut text = told.cloned().unwrap_or_default();
            for i in (0..entrants.len()).rev() {
                text = text.replace(&games::token(i), &name(i as u8));
            }
            truncate(&format!("{text}\n\n*Told by a model.*"), 4_000)
        }
        Some(happenings) => {
            let lines: Vec<String> = happenings
                .iter()
                .map(|h| {
                    let mark = match h.kind {
                        HappeningKind::Elimination => "💀",
                        HappeningKind::Betrayal => "🗡️",
                        HappeningKind::Alliance => "🤝",
                        HappeningKind::Action => "•",
                    };
                    format!("{mark} {}", games::narrate(content, h, name))
                })
                .collect();
            truncate(&lines.join("\n"), 4_000)
        }
        None => format!(
            "{} contestants enter the arena. Nobody knows who walks out.",
            entrants.len()
        ),
    };
    if game.ended {
        // Champions: the faction (or contestant) left, then the kills of each contestant.
        let mut by_faction: std::collections::BTreeMap<u8, (u16, usize)> = Default::default();
        for (i, faction) in game.arena.faction.iter().enumerate() {
            let entry = by_faction.entry(*faction).or_default();
            entry.0 = entry.0.saturating_add(game.arena.kills[i]);
            entry.1 += usize::from(game.arena.alive[i]);
        }
        let mut factions: Vec<(u8, (u16, usize))> = by_faction.into_iter().collect();
        factions.sort_by(|a, b| {
            b.1 .1
                .cmp(&a.1 .1)
                .then(b.1 .0.cmp(&a.1 .0))
                .then(a.0.cmp(&b.0))
        });
        let faction_lines: Vec<String> = factions
            .iter()
            .take(10)
            .map(|(f, (kills, standing))| {
                format!(
                    "{} · {kills} eliminations · {standing} standing",
                    faction_label(*f, game.factions, names)
                )
            })
            .collect();
        let mut killers: Vec<(usize, u16)> = game
            .arena
            .kills
            .iter()
            .enumerate()
            .map(|(i, k)| (i, *k))
            .filter(|(_, k)| *k > 0)
            .collect();
        killers.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let medals = ["🥇", "🥈", "🥉"];
        let killer_lines: Vec<String> = killers
            .iter()
            .take(10)
            .enumerate()
            .map(|(n, (i, k))| {
                let place = medals
                    .get(n)
                    .map_or_else(|| format!("{}.", n + 1), |m| (*m).to_string());
                format!("{place} {} · {k}", name(*i as u8))
            })
            .collect();
        let survivors: Vec<String> = (0..entrants.len())
            .filter(|i| game.arena.alive[*i])
            .map(|i| name(i as u8))
            .collect();
        fields.push(EmbedField {
            name: "🏆 Champions".into(),
            value: truncate(&survivors.join(", "), 1_024),
            inline: false,
        });
        if game.factions >= 2 {
            fields.push(EmbedField {
                name: "Factions".into(),
                value: truncate(&faction_lines.join("\n"), 1_024),
                inline: false,
            });
        }
        if !killer_lines.is_empty() {
            fields.push(EmbedField {
                name: "Eliminations".into(),
                value: truncate(&killer_lines.join("\n"), 1_024),
                inline: false,
            });
        }
    }
    let title = if game.ended {
        format!("🏆 Cybertron Games #{number} · it is over")
    } else if game.rounds.is_empty() {
        format!("🏟️ Cybertron Games #{number} · the games begin")
    } else {
        format!(
            "🏟️ Cybertron Games #{number} · round {} · {alive} standing",
            game.arena.round
        )
    };
    let rows = if game.ended {
        Vec::new()
    } else {
        vec![Row::Buttons(vec![
            button_of("Next round", ids::GamesAction::Next, ButtonStyle::Primary),
            button_of("End", ids::GamesAction::End, ButtonStyle::Danger),
        ])]
    };
    let (files, image) = match map {
        Some(bytes) => {
            let name = crate::fun::map::file_name(number, game.arena.round);
            (
                vec![crate::reply::Attachment {
                    filename: name.clone(),
                    description: format!(
                        "The arena of Cybertron Games #{number} after round {}",
                        game.arena.round
                    ),
                    bytes,
                }],
                Some(format!("attachment://{name}")),
            )
        }
        None => (Vec::new(), None),
    };
    let mut reply = Reply::embed(Embed {
        title: Some(title),
        description: Some(description),
        color: Some(GAMES_COLOR),
        fields,
        image,
        ..Embed::default()
    })
    .with_rows(rows);
    reply.files = files.into_boxed_slice();
    reply
}

/// A line of words for a fun event.
pub fn describe(event: &FunEvent) -> Option<String> {
    Some(match event {
        FunEvent::Greeted { ladder, level, .. } => match ladder {
            Ladder::Hello => format!("Said hello (rung {level})"),
            Ladder::Ping => format!("Pinged the bot (rung {level})"),
        },
        FunEvent::Grumped { target, .. } => format!("Grumped at <@{target}>"),
        FunEvent::GrumpOptOutSet { out: true, .. } => "Opted out of grumps".into(),
        FunEvent::GrumpOptOutSet { out: false, .. } => "Opted back into grumps".into(),
        FunEvent::RangeStarted {
            session, rounds, ..
        } => format!("Opened range session #{session} ({rounds} rounds)"),
        FunEvent::RangeRoundShown { .. } | FunEvent::RangeShot { .. } => return None,
        FunEvent::TriviaStarted {
            questions,
            category,
            ..
        } => format!(
            "Started a trivia of {questions} questions ({})",
            trivia_category(category.as_deref())
        ),
        FunEvent::TriviaAnswered {
            number, correct, ..
        } => format!(
            "Answered trivia question {number} {}",
            if *correct { "right" } else { "wrong" }
        ),
        FunEvent::TriviaAsked { .. } | FunEvent::TriviaTimedOut { .. } => return None,
        FunEvent::TriviaEnded { .. } => "A trivia session ended".into(),
        FunEvent::WalkStarted { story, .. } => format!("Began the WalkTru story {story}"),
        FunEvent::WalkStepped { .. } | FunEvent::WalkAbandoned { .. } => return None,
        FunEvent::WalkEnded { story, ending, .. } => {
            format!("Reached the ending {ending} of the WalkTru story {story}")
        }
        FunEvent::CombinerOpened { team, .. } => format!("Opened combiner team #{team}"),
        FunEvent::CombinerJoined { team, part, .. } => {
            format!(
                "Took the {} of combiner team #{team}",
                ids::part_label(*part)
            )
        }
        FunEvent::CombinerFormed { team, .. } => format!("Combiner team #{team} formed"),
        FunEvent::CombinerLeft { team, .. } => format!("Left combiner team #{team}"),
        FunEvent::CombinerDisbanded { team, .. } => format!("Combiner team #{team} disbanded"),
        FunEvent::CombinerExpired { team } => format!("Combiner team #{team} expired"),
        FunEvent::GamesOpened { game, .. } => format!("Opened Cybertron Games #{game}"),
        FunEvent::GamesJoined { game, .. } => format!("Joined Cybertron Games #{game}"),
        FunEvent::GamesStarted { game, entrants, .. } => {
            format!(
                "Cybertron Games #{game} began with {} contestants",
                entrants.len()
            )
        }
        FunEvent::GamesRound { .. } => return None,
        FunEvent::GamesEnded { game } => format!("Cybertron Games #{game} ended"),
        FunEvent::GamesNarrated { .. } => return None,
        FunEvent::GamesRoleSet { game, role } => {
            format!("Opened Cybertron Games #{game} to <@&{role}> only")
        }
        FunEvent::DistrictsSorted { districts, .. } => {
            format!("Sorted players into {} districts", districts.len())
        }
        FunEvent::MegaChallenged {
            challenger,
            defender,
            ..
        } => format!("Combiner team #{challenger} challenged team #{defender} to a mega-fight"),
        FunEvent::MegaDeclined {
            challenger,
            defender,
            ..
        } => format!("Combiner team #{defender} declined team #{challenger}'s mega-fight"),
        FunEvent::MegaFightStarted { teams, .. } => {
            format!("Mega-fight: team #{} against team #{}", teams[0], teams[1])
        }
        FunEvent::MegaFightEnded { teams, winner, .. } => match winner {
            Some(side) => format!(
                "Mega-fight won by team #{}",
                teams[usize::from(*side).min(1)]
            ),
            None => "Mega-fight ended in a draw".to_string(),
        },
        FunEvent::RangeEnded {
            session,
            rounds,
            hits,
            rank,
            record,
            ..
        } => format!(
            "Finished range session #{session}: {hits}/{rounds}, {}{}",
            rank_name(*rank),
            if *record { " (a personal best)" } else { "" }
        ),
    })
}
