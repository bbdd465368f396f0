//! The social area's views: a told line with its Another button, a `/what_is` entry, a spark
//! identity, the quiz's questions and result, and the words for social events. Pure: engine
//! read models and content in, [`Reply`] out.

use allspark_engine::content;
use allspark_engine::social::content::Topic;
use allspark_engine::social::{Identity, SocialEvent, SparkFaction, TalkKind};
use allspark_engine::PlayerId;

use crate::reply::{color, ButtonStyle, Embed, Reply, Row};
use crate::social::ids::Press;
use crate::view::{button, field, truncate, when};

fn emoji(kind: TalkKind) -> &'static str {
    match kind {
        TalkKind::Joke => "😂",
        TalkKind::Roast => "🔥",
        TalkKind::Compliment => "🌟",
        TalkKind::Blessing => "✨",
    }
}

fn title_word(kind: TalkKind) -> &'static str {
    match kind {
        TalkKind::Joke => "Joke",
        TalkKind::Roast => "Roast",
        TalkKind::Compliment => "Compliment",
        TalkKind::Blessing => "Blessing",
    }
}

fn faction_name(faction: SparkFaction) -> String {
    content::get()
        .social
        .faction(faction)
        .map_or_else(|| faction.id().to_string(), |f| f.name.clone())
}

fn faction_color(faction: SparkFaction) -> u32 {
    match faction {
        SparkFaction::Autobot => color::AUTOBOT,
        SparkFaction::Decepticon => color::DECEPTICON,
        SparkFaction::Maverick => color::BATTLE,
    }
}

/// A told line; `again` is what Another asks for (the same category, style and target as the
/// command asked, so "any" stays any).
pub fn told(event: &SocialEvent, again: Press) -> Reply {
    let SocialEvent::Told {
        kind,
        pool,
        style,
        line,
        about,
        ..
    } = event
    else {
        return Reply::refusal("Nothing was told; try again.");
    };
    let social = &content::get().social;
    let text = social
        .line(*kind, pool, style.as_deref(), *line)
        .unwrap_or("(that line is no longer in the book)");
    let text = match about {
        Some(target) => text.replace("{target}", &format!("<@{target}>")),
        None => text.to_string(),
    };
    let category = if kind.is_about() {
        social
            .styled(*kind)
            .iter()
            .find(|p| &p.id == pool)
            .map(|p| p.name.clone())
    } else {
        social
            .pools(*kind)
            .iter()
            .find(|p| &p.id == pool)
            .map(|p| p.name.clone())
    }
    .unwrap_or_else(|| pool.clone());
    let footer = match style {
        Some(style) => format!("{category} · {}", style.replace('_', " ")),
        None => category,
    };
    Reply::embed(Embed {
        title: Some(format!("{} {}", emoji(*kind), title_word(*kind))),
        description: Some(truncate(&text, 1_000)),
        color: Some(color::ENERGON),
        footer: Some(footer),
        ..Embed::default()
    })
    .with_rows(vec![Row::Buttons(vec![button(
        "Another",
        again,
        ButtonStyle::Secondary,
    )])])
}

/// A `/what_is` entry.
pub fn topic(topic: &Topic) -> Reply {
    Reply::embed(Embed {
        title: Some(format!("📚 {}", truncate(&topic.name, 200))),
        description: Some(truncate(&topic.text, 4_000)),
        color: Some(color::NEUTRAL),
        footer: Some("/what_is: the AllSpark's archive".into()),
        ..Embed::default()
    })
}

/// No topic by that name: a refusal naming a few that exist.
pub fn no_topic(query: &str, suggestions: &[&Topic]) -> Reply {
    let names: Vec<&str> = suggestions.iter().map(|t| t.name.as_str()).collect();
    Reply::refusal(format!(
        "The archive has nothing on {}. Try {}.",
        allspark_engine::ids::quote(&truncate(query, 60)),
        if names.is_empty() {
            "another word".to_string()
        } else {
            names.join(", ")
        }
    ))
}

/// A player's spark; `fresh` when it was forged by this command.
pub fn spark(player: PlayerId, identity: &Identity, fresh: bool) -> Reply {
    let social = &content::get().social;
    let class = social.class(&identity.class);
    let class_name = class.map_or(identity.class.clone(), |c| c.name.clone());
    let mut fields = vec![
        field("Faction", faction_name(identity.faction), true),
        field("Class", class_name.clone(), true),
        field(
            "Reforge",
            format!("from {}", when(identity.reforge_at)),
            true,
        ),
    ];
    if let Some(class) = class {
        fields.push(field("Calling", truncate(&class.blurb, 1_000), false));
    }
    Reply::embed(Embed {
        title: Some(format!(
            "{} {}",
            if fresh {
                "🔥 A spark ignites:"
            } else {
                "✨ The spark of"
            },
            truncate(&identity.name, 60)
        )),
        description: Some(format!(
            "<@{player}> is **{}**, *{}*: {} {}.\n“{}”",
            truncate(&identity.name, 60),
            truncate(&identity.epithet, 60),
            article(&faction_name(identity.faction)),
            class_name,
            truncate(&identity.motto, 300)
        )),
        color: Some(faction_color(identity.faction)),
        fields,
        footer: Some("Reforge it with /spark action:reforge, once a day".into()),
        image: None,
    })
}

/// `a` or `an` before a word, with the word.
fn article(word: &str) -> String {
    let vowel = word
        .chars()
        .next()
        .is_some_and(|c| "AEIOUaeiou".contains(c));
    format!("{} {word}", if vowel { "an" } else { "a" })
}

/// Question `n` (0-based) of the quiz for `owner`, with their answers so far.
pub fn quiz_question(owner: u64, answers: &[u8]) -> Reply {
    let quiz = &content::get().social.quiz;
    let n = answers.len();
    let Some(question) = quiz.questions.get(n) else {
        return Reply::refusal("The quiz is over; run /analysis to take it again.");
    };
    let buttons = question
        .answers
        .iter()
        .enumerate()
        .map(|(i, answer)| {
            let mut next = answers.to_vec();
            next.push(i as u8);
            button(
                truncate(&answer.label, 80),
                Press::Quiz {
                    owner,
                    answers: next,
                },
                ButtonStyle::Primary,
            )
        })
        .collect();
    Reply {
        ephemeral: true,
        ..Reply::embed(Embed {
            title: Some(format!(
                "🧭 Faction analysis · question {} of {}",
                n + 1,
                quiz.questions.len()
            )),
            description: Some(truncate(&question.text, 1_000)),
            color: Some(color::NEUTRAL),
            ..Embed::default()
        })
        .with_rows(vec![Row::Buttons(buttons)])
    }
}

/// The quiz's result. No role comes with it unless the server's administrators mapped one.
pub fn quiz_result(player: PlayerId, faction: SparkFaction) -> Reply {
    let quiz = &content::get().social.quiz;
    let result = quiz.results.iter().find(|r| r.faction == faction);
    Reply::embed(Embed {
        title: Some(format!(
            "🧭 {}",
            result.map_or_else(|| faction_name(faction), |r| truncate(&r.title, 200))
        )),
        description: Some(format!(
            "<@{player}> came out **{}**.\n\n{}",
            faction_name(faction),
            result.map_or(String::new(), |r| truncate(&r.text, 2_000))
        )),
        color: Some(faction_color(faction)),
        footer: Some("Take it again any time with /analysis".into()),
        ..Embed::default()
    })
}

/// A line of words for a social event.
pub fn describe(event: &SocialEvent) -> Option<String> {
    Some(match event {
        SocialEvent::Told { kind, .. } => format!("Was told a {}", kind.word()),
        SocialEvent::SparkForged { name, .. } => format!("Forged the spark {name}"),
        SocialEvent::QuizTaken { faction, .. } => {
            format!("Took the faction quiz: {}", faction_name(*faction))
        }
    })
}
