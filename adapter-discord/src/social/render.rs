//! The social area's views: a told line with its Another button, a `/what_is` entry, a spark
//! identity, the quiz's questions and result, and the words for social events. Pure: engine
//! read models and content in, [`Reply`] out.

use allspark_engine::content;
use allspark_engine::social::content::Topic;
use allspark_engine::social::story::TARGET;
use allspark_engine::social::{Identity, SocialEvent, SparkFaction, TalkKind};
use allspark_engine::PlayerId;

use crate::custom_id::Encode;
use crate::reply::{color, ButtonStyle, Embed, Reply, Row};
use crate::social::ids::{Press, Tab, TABS};
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

/// A told line, from the book or written by a model; `again` is what Another asks for (the same
/// category, style and target as the command asked, so "any" stays any).
pub fn told(event: &SocialEvent, again: Press) -> Reply {
    let social = &content::get().social;
    let (kind, text, pool, style, about, by_model) = match event {
        SocialEvent::Told {
            kind,
            pool,
            style,
            line,
            about,
            ..
        } => (
            *kind,
            social
                .line(*kind, pool, style.as_deref(), *line)
                .unwrap_or("(that line is no longer in the book)"),
            Some(pool),
            style,
            *about,
            false,
        ),
        SocialEvent::ToldByModel {
            kind,
            pool,
            style,
            about,
            text,
            ..
        } => (
            *kind,
            text.as_str(),
            pool.as_ref(),
            style,
            Some(*about),
            true,
        ),
        _ => return Reply::refusal("Nothing was told; try again."),
    };
    let text = match about {
        Some(target) if text.contains(TARGET) => text.replace(TARGET, &format!("<@{target}>")),
        // A model's words may not say who they are for.
        Some(target) => format!("<@{target}>: {text}"),
        None => text.to_string(),
    };
    let category = match pool {
        Some(pool) => if kind.is_about() {
            social
                .styled(kind)
                .iter()
                .find(|p| &p.id == pool)
                .map(|p| p.name.clone())
        } else {
            social
                .pools(kind)
                .iter()
                .find(|p| &p.id == pool)
                .map(|p| p.name.clone())
        }
        .unwrap_or_else(|| pool.clone()),
        None => "Any category".to_string(),
    };
    let mut footer = match style {
        Some(style) => format!("{category} · {}", style.replace('_', " ")),
        None => category,
    };
    if by_model {
        footer.push_str(" · written by a model");
    }
    Reply::embed(Embed {
        title: Some(format!("{} {}", emoji(kind), title_word(kind))),
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
    let reply = Reply::embed(Embed {
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
    });
    // A spark that fights for a side can become an RPG character as it is.
    if identity.faction == SparkFaction::Maverick {
        return reply;
    }
    reply.with_rows(vec![Row::Buttons(vec![button(
        "Make it an RPG character",
        crate::rpg::ids::Press::FromSpark { owner: player.0 },
        ButtonStyle::Success,
    )])])
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
        SocialEvent::Told { kind, .. } | SocialEvent::ToldByModel { kind, .. } => {
            format!("Was told a {}", kind.word())
        }
        SocialEvent::SparkForged { name, .. } => format!("Forged the spark {name}"),
        SocialEvent::QuizTaken { faction, .. } => {
            format!("Took the faction quiz: {}", faction_name(*faction))
        }
        SocialEvent::LoreAdded { number, .. } => format!("Kept lore entry #{number}"),
        SocialEvent::LoreDeleted { number, .. } => format!("Deleted lore entry #{number}"),
        SocialEvent::QuizRoleMapped { faction, role, .. } => match role {
            Some(role) => format!(
                "Gave {} results the role <@&{role}>",
                faction_name(*faction)
            ),
            None => format!("Took the role away from {} results", faction_name(*faction)),
        },
        SocialEvent::QuizRoleRequested { role, .. } => {
            format!("Asked for the quiz role <@&{role}>")
        }
        SocialEvent::QuizRoleSettled {
            granted, reason, ..
        } => {
            if *granted {
                "Was given their quiz role".to_string()
            } else {
                format!(
                    "Could not be given their quiz role: {}",
                    truncate(reason.as_deref().unwrap_or("no reason given"), 200)
                )
            }
        }
        SocialEvent::WordsCounting { on, .. } => if *on {
            "Turned word counting on"
        } else {
            "Turned word counting off"
        }
        .to_string(),
    })
}

/// The mega-fight record under the Combiner tab (nothing before the first fight).
fn mega_line(record: &allspark_engine::fun::mega::MegaRecord) -> String {
    if record.won + record.lost + record.drawn == 0 {
        return String::new();
    }
    format!(
        "\nMega-fights: {} won, {} lost, {} drawn.",
        record.won, record.lost, record.drawn
    )
}

/// What a profile shows, read from each area's view models.
pub struct ProfileData {
    pub player: PlayerId,
    pub identity: Option<Identity>,
    pub quiz: Option<SparkFaction>,
    pub balances: allspark_engine::energon::view::Balances,
    /// The pet's display name and the pet.
    pub pet: Option<(String, allspark_engine::pets::Pet)>,
    pub record: allspark_engine::battle::view::Record,
    pub portfolio: Option<allspark_engine::market::view::Portfolio>,
    /// The combiner team the player is in, by number.
    pub combiner: Option<(u32, allspark_engine::fun::CombinerTeam)>,
    /// The player's mega-fight record.
    pub mega: allspark_engine::fun::mega::MegaRecord,
    /// The player's RPG characters with their names.
    pub characters: Vec<(allspark_engine::rpg::Character, String)>,
    /// Every achievement and where the player stands on what it counts.
    pub achievements: Vec<(
        &'static allspark_engine::social::content::AchievementDef,
        u64,
    )>,
}

/// `data`'s profile on `tab`, with the tab buttons for `owner`.
pub fn profile(owner: u64, data: &ProfileData, tab: Tab) -> Reply {
    use crate::market::render::{coins, energon};
    let player = data.player;
    let earned = data
        .achievements
        .iter()
        .filter(|(def, at)| *at >= def.at_least)
        .count();
    let (title, description, fields) = match tab {
        Tab::Identity => {
            let who = match &data.identity {
                Some(identity) => format!(
                    "**{}**, *{}*: {} {}.",
                    truncate(&identity.name, 60),
                    truncate(&identity.epithet, 60),
                    article(&faction_name(identity.faction)),
                    content::get()
                        .social
                        .class(&identity.class)
                        .map_or(identity.class.clone(), |c| c.name.clone())
                ),
                None => "No spark forged yet: /spark forges one.".into(),
            };
            let mut fields = vec![
                field("Wallet", format!("{} energon", data.balances.wallet), true),
                field("Bank", format!("{} energon", data.balances.bank), true),
                field(
                    "Achievements",
                    format!("{earned} of {}", data.achievements.len()),
                    true,
                ),
            ];
            if let Some(faction) = data.quiz {
                fields.push(field("Faction quiz", faction_name(faction), true));
            }
            ("Identity", format!("<@{player}>\n{who}"), fields)
        }
        Tab::Pet => match &data.pet {
            Some((name, pet)) => (
                "Pet",
                format!("<@{player}>'s **{}**", truncate(name, 60)),
                vec![
                    field("Level", pet.level.to_string(), true),
                    field("Attack", pet.attack.to_string(), true),
                    field("Defense", pet.defense.to_string(), true),
                    field(
                        "Energy",
                        format!("{} / {}", pet.energy, pet.energy_max),
                        true,
                    ),
                    field(
                        "Happiness",
                        format!("{} / {}", pet.happiness, pet.happiness_max),
                        true,
                    ),
                    field(
                        "Maintenance",
                        format!("{} / {}", pet.maintenance, pet.maintenance_max),
                        true,
                    ),
                ],
            ),
            None => (
                "Pet",
                format!("<@{player}> has no pet: /get_pet adopts one."),
                vec![],
            ),
        },
        Tab::Battles => {
            let stats = &data.record.stats;
            (
                "Battles",
                format!("<@{player}>'s record"),
                vec![
                    field("Battles", stats.battles.to_string(), true),
                    field(
                        "Won / lost / drawn",
                        format!("{} / {} / {}", stats.wins, stats.losses, stats.draws),
                        true,
                    ),
                    field("Win rate", format!("{} %", stats.win_rate_percent()), true),
                    field("Against enemies", stats.pve_wins.to_string(), true),
                    field("Against players", stats.pvp_wins.to_string(), true),
                    field(
                        "Rating",
                        format!(
                            "{} Elo ({} rated)",
                            data.record.rating.elo, data.record.rating.games
                        ),
                        true,
                    ),
                ],
            )
        }
        Tab::CyberCoin => match &data.portfolio {
            Some(p) => (
                "CyberCoin",
                format!("<@{player}>'s holding"),
                vec![
                    field("Holding", coins(p.coins), true),
                    field("Worth now", format!("{} energon", energon(p.value)), true),
                    field(
                        "Profit taken",
                        format!(
                            "{} energon",
                            energon(u128::try_from(p.realised.max(0)).unwrap_or(0))
                        ),
                        true,
                    ),
                    field(
                        "Trades",
                        format!("{} buys, {} sells", p.buys, p.sells),
                        true,
                    ),
                ],
            ),
            None => (
                "CyberCoin",
                format!("<@{player}> hasn't traded CyberCoin yet."),
                vec![],
            ),
        },
        Tab::Achievements => {
            let lines: Vec<String> = data
                .achievements
                .iter()
                .map(|(def, at)| {
                    if *at >= def.at_least {
                        format!("{} **{}**: {}", def.emoji, def.name, def.description)
                    } else {
                        format!(
                            "🔒 {} ({} of {})",
                            def.name,
                            at.min(&def.at_least),
                            def.at_least
                        )
                    }
                })
                .collect();
            (
                "Achievements",
                format!(
                    "<@{player}>: {earned} of {}\n{}",
                    data.achievements.len(),
                    lines.join("\n")
                ),
                vec![],
            )
        }
        Tab::Combiner => match &data.combiner {
            Some((number, team)) => {
                let part = team
                    .members
                    .iter()
                    .find(|(_, who)| **who == player)
                    .map_or("", |(part, _)| crate::fun::ids::part_label(*part));
                let what = match allspark_engine::fun::view::team_name(team) {
                    Some(name) => format!("**{name}** (team #{number}), formed"),
                    None => format!(
                        "team #{number}, forming: {} of 6 parts taken",
                        team.members.len()
                    ),
                };
                (
                    "Combiner",
                    format!(
                        "<@{player}>'s pet is the {part} of {what}.{}",
                        mega_line(&data.mega)
                    ),
                    vec![],
                )
            }
            None => (
                "Combiner",
                format!(
                    "<@{player}> is in no combiner team. /combiner forms one.{}",
                    mega_line(&data.mega)
                ),
                vec![],
            ),
        },
        Tab::Rpg if data.characters.is_empty() => (
            "RPG",
            format!("<@{player}> has no RPG character. /character_new makes one."),
            vec![],
        ),
        Tab::Rpg => (
            "RPG",
            format!("<@{player}>'s characters, their gear and their record."),
            data.characters
                .iter()
                .map(|(character, name)| crate::rpg::render::character_field(character, name))
                .collect(),
        ),
    };
    let buttons: Vec<crate::reply::Button> = TABS
        .iter()
        .map(|(_, t)| {
            let mut b = button(
                t.label(),
                Press::Profile {
                    owner,
                    player: player.0,
                    tab: *t,
                },
                if *t == tab {
                    ButtonStyle::Primary
                } else {
                    ButtonStyle::Secondary
                },
            );
            b.disabled = *t == tab;
            b
        })
        .collect();
    Reply::embed(Embed {
        title: Some(format!("👤 Profile · {title}")),
        description: Some(truncate(&description, 4_000)),
        color: Some(
            data.identity
                .as_ref()
                .map_or(color::NEUTRAL, |i| faction_color(i.faction)),
        ),
        fields,
        ..Embed::default()
    })
    .with_rows(
        buttons
            .chunks(5)
            .map(|row| Row::Buttons(row.to_vec()))
            .collect(),
    )
}

/// One battle of a history page.
pub struct HistoryEntry {
    pub battle: allspark_engine::battle::BattleId,
    pub mode: String,
    pub matchup: String,
    pub result: String,
}

/// A page of `player`'s battles, with a picker to step through one and the page buttons.
pub fn history(
    owner: u64,
    player: PlayerId,
    page: usize,
    n_pages: usize,
    entries: &[HistoryEntry],
) -> Reply {
    use crate::reply::{Select, SelectOption};
    if entries.is_empty() {
        return Reply::embed(Embed {
            title: Some("⚔️ Battle history".into()),
            description: Some(format!(
                "<@{player}> hasn't fought a battle yet: /battle starts one."
            )),
            color: Some(color::BATTLE),
            ..Embed::default()
        });
    }
    let first = page * crate::social::HISTORY_PAGE;
    let fields = entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            field(
                truncate(&format!("{}. {}", first + i + 1, entry.mode), 256),
                truncate(&format!("{}\n{}", entry.matchup, entry.result), 1_000),
                false,
            )
        })
        .collect();
    let options = entries
        .iter()
        .enumerate()
        .map(|(i, entry)| SelectOption {
            label: truncate(
                &format!("{}. {}: {}", first + i + 1, entry.mode, entry.result),
                100,
            ),
            value: entry.battle.to_string(),
            description: Some(truncate(&entry.matchup, 100)),
        })
        .collect();
    let mut rows = vec![Row::Select(Select {
        custom_id: Press::PickBattle { owner }.encode(),
        placeholder: "Step through a battle".into(),
        options,
    })];
    if n_pages > 1 {
        rows.push(crate::view::pager(page, n_pages, |to| Press::History {
            owner,
            player: player.0,
            page: to as u32,
        }));
    }
    Reply::embed(Embed {
        title: Some("⚔️ Battle history".into()),
        description: Some(format!("<@{player}>'s battles, newest first")),
        color: Some(color::BATTLE),
        fields,
        footer: Some(format!("Page {} of {n_pages}", page + 1)),
        image: None,
    })
    .with_rows(rows)
}

/// A battle's view after `turn` of `n_turns` resolved turns, with the stepping buttons (the
/// view is a past state: it carries no action buttons of its own).
pub fn step(
    owner: u64,
    battle: allspark_engine::battle::BattleId,
    mut view: Reply,
    mode: &str,
    turn: usize,
    n_turns: usize,
) -> Reply {
    if let Some(embed) = view.embeds.first_mut() {
        if turn == 0 {
            embed.description = Some("The fighters line up; no turn has been played yet.".into());
        }
        embed.title = Some(if turn == 0 {
            format!("⏮️ Replay · {mode} battle · the start ({n_turns} turns)")
        } else {
            format!("⏯️ Replay · {mode} battle · turn {turn} of {n_turns}")
        });
        embed.footer = Some(format!("Battle {battle}"));
    }
    let go = |label: &str, slot: u8, to: usize, disabled: bool| {
        let mut b = button(
            label,
            Press::Step {
                owner,
                battle,
                turn: to as u32,
                button: slot,
            },
            ButtonStyle::Secondary,
        );
        b.disabled = disabled;
        b
    };
    view.rows = vec![Row::Buttons(vec![
        go("First", 0, 0, turn == 0),
        go("Previous", 1, turn.saturating_sub(1), turn == 0),
        go("Next", 2, (turn + 1).min(n_turns), turn >= n_turns),
        go("Last", 3, n_turns, turn >= n_turns),
    ])];
    view.ephemeral = true;
    view
}

/// A lore entry as the views show it: what the log knows and its words from the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoreItem {
    pub entry: allspark_engine::social::LoreEntry,
    pub title: String,
    pub text: String,
}

/// Lore entries a list page shows.
pub const LORE_PAGE: usize = 10;

const LORE_COLOR: u32 = 0xb0_8d_57;

/// The `/add_lore` form: a title and the text.
pub fn lore_form(owner: u64) -> crate::reply::Modal {
    use crate::reply::Input;
    crate::reply::Modal {
        custom_id: Press::LoreForm { owner }.encode(),
        title: "Add to this server's lore".into(),
        inputs: vec![
            Input {
                max_length: allspark_engine::social::LORE_TITLE_MAX as u16,
                ..Input::short("title", "Title", "A name for it, unique in this server")
            },
            Input::paragraph(
                "text",
                "The lore",
                "What happened, who said what, why it matters",
                allspark_engine::social::LORE_TEXT_MAX as u16,
            ),
        ],
    }
}

/// One entry, with Delete (which asks first, and only works for its keeper, whoever it
/// quotes, or a moderator).
pub fn lore_entry(item: &LoreItem, fresh: bool) -> Reply {
    let entry = &item.entry;
    let mut fields = vec![field("Kept by", format!("<@{}>", entry.author), true)];
    if let Some(quote) = entry.quote {
        fields.push(field(
            "Said by",
            format!("<@{}> in <#{}>", quote.author, quote.channel),
            true,
        ));
    }
    fields.push(field("Added", when(entry.added_at), true));
    Reply::embed(Embed {
        title: Some(truncate(
            &format!(
                "{}📜 #{} · {}",
                if fresh { "Kept! " } else { "" },
                entry.number,
                item.title
            ),
            256,
        )),
        description: Some(if entry.quote.is_some() {
            truncate(&format!("> {}", item.text.replace('\n', "\n> ")), 4_096)
        } else {
            truncate(&item.text, 4_096)
        }),
        color: Some(LORE_COLOR),
        fields,
        footer: Some("/view_lore lists this server's lore".into()),
        image: None,
    })
    .with_rows(vec![Row::Buttons(vec![button(
        "Delete",
        Press::LoreDelete {
            number: entry.number,
        },
        ButtonStyle::Danger,
    )])])
}

/// A page of the server's lore, newest first, with a picker to open one and Previous/Next.
pub fn lore_list(
    owner: u64,
    items: &[LoreItem],
    page: usize,
    n_pages: usize,
    n_entries: usize,
    search: Option<&str>,
) -> Reply {
    use crate::reply::{Select, SelectOption};
    let title = match search {
        Some(search) => format!("📜 Lore matching “{}”", search.replace('_', " ")),
        None => "📜 This server's lore".to_string(),
    };
    if items.is_empty() {
        let text = match search {
            Some(_) => "No title matches that; try fewer words, or /view_lore without a search.",
            None => "Nothing kept yet. /add_lore writes the first entry, or right-click a message → Apps → Add message to lore.",
        };
        return Reply::embed(Embed {
            title: Some(truncate(&title, 256)),
            description: Some(text.into()),
            color: Some(LORE_COLOR),
            ..Embed::default()
        });
    }
    let lines: Vec<String> = items
        .iter()
        .map(|item| {
            format!(
                "**#{}** {} · <@{}>",
                item.entry.number,
                truncate(&item.title, 100),
                item.entry.author
            )
        })
        .collect();
    let options = items
        .iter()
        .map(|item| SelectOption {
            label: truncate(&format!("#{} {}", item.entry.number, item.title), 100),
            value: item.entry.number.to_string(),
            description: Some(truncate(&item.text.replace('\n', " "), 100)),
        })
        .collect();
    let mut rows = vec![Row::Select(Select {
        custom_id: Press::LorePick { owner }.encode(),
        placeholder: "Open an entry".into(),
        options,
    })];
    if n_pages > 1 {
        rows.push(crate::view::pager(page, n_pages, |to| Press::LoreList {
            owner,
            page: to as u32,
            search: search.map(str::to_string),
        }));
    }
    Reply::embed(Embed {
        title: Some(truncate(&title, 256)),
        description: Some(truncate(&lines.join("\n"), 4_096)),
        color: Some(LORE_COLOR),
        fields: Vec::new(),
        footer: Some(format!(
            "Page {} of {n_pages} · {n_entries} {}",
            page + 1,
            if n_entries == 1 { "entry" } else { "entries" }
        )),
        image: None,
    })
    .with_rows(rows)
}

/// `/lore_stats`: how much lore the server keeps and who kept the most.
pub fn lore_stats(n_entries: usize, top: &[(PlayerId, u32)]) -> Reply {
    let ranking: Vec<String> = top
        .iter()
        .enumerate()
        .map(|(i, (player, n))| {
            format!(
                "{}. <@{player}>: {n} {}",
                i + 1,
                if *n == 1 { "entry" } else { "entries" }
            )
        })
        .collect();
    Reply::embed(Embed {
        title: Some("📊 Lore in numbers".into()),
        description: Some(if n_entries == 0 {
            "No lore kept here yet: /add_lore writes the first entry.".into()
        } else {
            format!(
                "This server keeps **{n_entries}** {}.",
                if n_entries == 1 { "entry" } else { "entries" }
            )
        }),
        color: Some(LORE_COLOR),
        fields: if ranking.is_empty() {
            Vec::new()
        } else {
            vec![field("Top keepers", ranking.join("\n"), false)]
        },
        ..Embed::default()
    })
}

/// Asks whoever pressed Delete to confirm, privately.
pub fn lore_delete_ask(owner: u64, number: u32, title: &str) -> Reply {
    let mut reply = Reply::embed(Embed {
        title: Some(truncate(&format!("Delete lore #{number}?"), 256)),
        description: Some(truncate(
            &format!("**{title}** goes for good, its words with it."),
            4_096,
        )),
        color: Some(color::REFUSED),
        ..Embed::default()
    })
    .with_rows(vec![Row::Buttons(vec![
        button(
            format!("Delete #{number}"),
            Press::LoreDeleteConfirmed { owner, number },
            ButtonStyle::Danger,
        ),
        button(
            "Keep it",
            Press::LoreOpen { number },
            ButtonStyle::Secondary,
        ),
    ])]);
    reply.ephemeral = true;
    reply
}

/// The entry is gone.
pub fn lore_deleted(number: u32) -> Reply {
    let mut reply = Reply::text(format!(
        "Lore entry #{number} is deleted, its words with it."
    ));
    reply.ephemeral = true;
    reply
}
