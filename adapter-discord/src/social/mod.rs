//! The social area in Discord: `/joke`, `/roast`, `/compliment`, `/blessing` (a line from the
//! content, told by the engine so it doesn't come round again soon; Another tells the next),
//! `/what_is` (the archive, with autocomplete), `/spark` (a generated Transformer identity,
//! reforged once a day) and `/analysis` (the five-question faction quiz, privately, by
//! buttons; the answers ride in the buttons' ids until the last one records the result).
//! Categories and styles are the content's, offered as the options' choices. A server's lore
//! (`lore.rs`: `/add_lore`, the message command "Add message to lore", `/view_lore`,
//! `/random_lore`, `/lore_stats`), the quiz's roles (`roles.rs`: `/analysis_roles` and the
//! role worker) and `/user_says` (`words.rs`, opt-in word counting) have files of their own.

/// The heading of this area's part of `/help`.
pub const HELP_TITLE: &str = "Talk, profile and lore";

pub mod ids;
pub mod lore;
pub mod render;
pub mod roles;
pub mod words;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use allspark_engine::content;
use allspark_engine::social::{self, SocialCommand, SocialEvent, SocialRejection, TalkKind};
use allspark_engine::{Command, Event, PlayerId, Rejection};

use crate::app::{refuse, App, Handled};
use crate::commands::{choice, command, option, CommandSpec, Kind, OptionSpec};
use crate::invocation::{Invocation, InvocationError, Options};
use crate::reply::{Choice, Response};
use ids::Press;

crate::commands::slash_commands! {
    /// The social area's slash commands.
    pub enum Slash {
        Joke = "joke",
        Roast = "roast",
        Compliment = "compliment",
        Blessing = "blessing",
        WhatIs = "what_is",
        Spark = "spark",
        Analysis = "analysis",
        Profile = "profile",
        BattleHistory = "battle_history",
        AddLore = "add_lore",
        ViewLore = "view_lore",
        RandomLore = "random_lore",
        LoreStats = "lore_stats",
        AnalysisRoles = "analysis_roles",
        UserSays = "user_says",
    }
}

/// The message commands (a message's Apps menu); all of them are this area's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageCommand {
    AddToLore,
}

impl MessageCommand {
    pub const ALL: &'static [MessageCommand] = &[MessageCommand::AddToLore];

    /// The name the menu shows (spaces and capitals allowed, at most 32 characters).
    pub fn name(self) -> &'static str {
        match self {
            MessageCommand::AddToLore => "Add message to lore",
        }
    }

    pub fn parse(name: &str) -> Option<MessageCommand> {
        MessageCommand::ALL
            .iter()
            .copied()
            .find(|m| m.name() == name)
    }
}

/// A message command, run.
pub async fn message(
    app: &App,
    inv: &Invocation,
    command: MessageCommand,
    message: &crate::invocation::TargetMessage,
) -> Handled {
    match command {
        MessageCommand::AddToLore => lore::quote(app, inv, message).await,
    }
}

type Choices = &'static [(&'static str, &'static str)];

/// The (name, id) choices of a kind's categories, from the content.
fn categories(kind: TalkKind) -> Choices {
    static TABLES: OnceLock<BTreeMap<TalkKind, Vec<(&'static str, &'static str)>>> =
        OnceLock::new();
    let tables = TABLES.get_or_init(|| {
        let social = &content::get().social;
        TalkKind::ALL
            .iter()
            .map(|kind| {
                let table = if kind.is_about() {
                    social
                        .styled(*kind)
                        .iter()
                        .map(|p| (p.name.as_str(), p.id.as_str()))
                        .collect()
                } else {
                    social
                        .pools(*kind)
                        .iter()
                        .map(|p| (p.name.as_str(), p.id.as_str()))
                        .collect()
                };
                (*kind, table)
            })
            .collect()
    });
    tables.get(&kind).map_or(&[], Vec::as_slice)
}

/// The (name, id) choices of a kind's styles (roasts, compliments).
fn styles(kind: TalkKind) -> Choices {
    static TABLES: OnceLock<BTreeMap<TalkKind, Vec<(&'static str, &'static str)>>> =
        OnceLock::new();
    let tables = TABLES.get_or_init(|| {
        let social = &content::get().social;
        [TalkKind::Roast, TalkKind::Compliment]
            .iter()
            .map(|kind| {
                let table = social
                    .styled(*kind)
                    .first()
                    .map(|p| p.styles.keys().map(|s| (s.as_str(), s.as_str())).collect())
                    .unwrap_or_default();
                (*kind, table)
            })
            .collect()
    });
    tables.get(&kind).map_or(&[], Vec::as_slice)
}

const SPARK_ACTIONS: &[(&str, &str)] = &[("Show mine", "show"), ("Reforge", "reforge")];

fn category(kind: TalkKind) -> OptionSpec {
    choice(
        "category",
        "Which kind (default: any)",
        categories(kind),
        false,
    )
}

fn spec(slash: Slash) -> CommandSpec {
    let name = slash.name();
    let about = |description| {
        vec![
            option("user", description, Kind::User, false),
            category(TalkKind::Roast),
            choice(
                "style",
                "How it's said (default: any)",
                styles(TalkKind::Roast),
                false,
            ),
        ]
    };
    match slash {
        Slash::Joke => command(
            name,
            "A joke from the Cybertronian archives",
            vec![category(TalkKind::Joke)],
        ),
        Slash::Roast => command(
            name,
            "Roast someone (or yourself), all in good fun",
            about("Who to roast (default: you)"),
        ),
        Slash::Compliment => {
            let mut options = about("Who to compliment (default: you)");
            options[1] = category(TalkKind::Compliment);
            options[2] = choice(
                "style",
                "How it's said (default: any)",
                styles(TalkKind::Compliment),
                false,
            );
            command(name, "A compliment for someone (or yourself)", options)
        }
        Slash::Blessing => command(
            name,
            "A blessing (or a playful curse) for the road",
            vec![category(TalkKind::Blessing)],
        ),
        Slash::WhatIs => command(
            name,
            "What is it? Ask the archive about Cybertron",
            vec![crate::commands::OptionSpec {
                autocomplete: true,
                max_length: Some(100),
                ..option(
                    "topic",
                    "A topic, like energon or the AllSpark",
                    Kind::Text,
                    true,
                )
            }],
        ),
        Slash::Spark => command(
            name,
            "Your Transformer identity: name, faction, class",
            vec![choice(
                "action",
                "Show it (default) or reforge it, once a day",
                SPARK_ACTIONS,
                false,
            )],
        ),
        Slash::Analysis => command(
            name,
            "Five questions: are you an Autobot, a Decepticon or a Maverick?",
            vec![],
        ),
        Slash::Profile => command(
            name,
            "A player's profile: identity, pet, battles, CyberCoin, achievements",
            vec![option("user", "Whose (default: yours)", Kind::User, false)],
        ),
        Slash::BattleHistory => command(
            name,
            "Battles fought, newest first; open one to step through it turn by turn",
            vec![option("user", "Whose (default: yours)", Kind::User, false)],
        ),
        Slash::AddLore => command(name, "Write an entry into this server's lore", vec![]),
        Slash::ViewLore => command(
            name,
            "This server's lore, newest first; search by title",
            vec![crate::commands::text(
                "search",
                "Words the title contains",
                false,
                100,
            )],
        ),
        Slash::RandomLore => command(name, "A random entry of this server's lore", vec![]),
        Slash::LoreStats => command(
            name,
            "How much lore this server keeps, and who kept the most",
            vec![],
        ),
        Slash::AnalysisRoles => command(
            name,
            "Give /analysis results a role here (Manage Roles); no options: show them",
            vec![
                choice("faction", "Which quiz result", roles::FACTIONS, false),
                option(
                    "role",
                    "The role it gets (a role granting no permissions); leave out to clear",
                    Kind::Role,
                    false,
                ),
            ],
        ),
        Slash::UserSays => command(
            name,
            "The three words someone uses most, in a made-up exchange (opt-in)",
            vec![
                option("user", "Whose (default: yours)", Kind::User, false),
                choice(
                    "counting",
                    "Turn counting of your own words on or off",
                    words::COUNTING,
                    false,
                ),
            ],
        ),
    }
}

/// The area's slash commands, in the order `/help` lists them.
pub fn commands() -> Vec<CommandSpec> {
    Slash::ALL.iter().map(|slash| spec(*slash)).collect()
}

pub async fn slash(app: &App, inv: &Invocation, slash: Slash, options: &Options<'_>) -> Handled {
    let bad = |error: InvocationError| refuse(error.to_string());
    let me = inv.player().0;
    let text = |name: &str| options.get(name).map(|v| v.trim().to_string());
    match slash {
        Slash::Joke | Slash::Blessing => {
            let kind = if slash == Slash::Joke {
                TalkKind::Joke
            } else {
                TalkKind::Blessing
            };
            tell(app, inv, kind, text("category"), None, None).await
        }
        Slash::Roast | Slash::Compliment => {
            let kind = if slash == Slash::Roast {
                TalkKind::Roast
            } else {
                TalkKind::Compliment
            };
            let about = options.user("user").map_err(bad)?.or(Some(me));
            tell(app, inv, kind, text("category"), text("style"), about).await
        }
        Slash::WhatIs => {
            let query = options.required("topic").map_err(bad)?;
            match social::view::topic(query) {
                Some(topic) => Ok(Response::Message(render::topic(topic))),
                None => {
                    let partial: String = query.chars().take(3).collect();
                    let mut near = social::view::topics_matching(&partial, 5);
                    if near.is_empty() {
                        near = social::view::topics_matching("", 5);
                    }
                    Err(Response::Message(render::no_topic(query, &near)))
                }
            }
        }
        Slash::Spark => {
            let action = options.word("action", &["show", "reforge"]).map_err(bad)?;
            let player = inv.player();
            let existing = app.read(move |w| social::view::identity(w, player)).await?;
            match (existing, action) {
                (Some(identity), None | Some("show")) => {
                    Ok(Response::Message(render::spark(player, &identity, false)))
                }
                (existing, _) => {
                    let reforge = existing.is_some();
                    app.execute(inv, Command::Social(SocialCommand::Spark { reforge }))
                        .await?;
                    let identity = app
                        .read(move |w| social::view::identity(w, player))
                        .await?
                        .ok_or_else(|| refuse("The spark didn't take; try again."))?;
                    Ok(Response::Message(render::spark(player, &identity, true)))
                }
            }
        }
        Slash::Analysis => Ok(Response::Message(render::quiz_question(me, &[]))),
        Slash::BattleHistory => {
            let player = options.user("user").map_err(bad)?.unwrap_or(me);
            Ok(Response::Message(
                history(app, me, PlayerId(player), 0).await?,
            ))
        }
        Slash::Profile => {
            let player = options.user("user").map_err(bad)?.unwrap_or(me);
            Ok(Response::Message(
                profile(app, me, PlayerId(player), ids::Tab::Identity).await?,
            ))
        }
        Slash::AddLore => {
            lore::guild(inv)?;
            Ok(Response::Modal(render::lore_form(me)))
        }
        Slash::ViewLore => {
            let guild = lore::guild(inv)?;
            let search = options.get("search").and_then(ids::search_field);
            Ok(Response::Message(
                lore::list(app, me, guild, 0, search).await?,
            ))
        }
        Slash::RandomLore => lore::random(app, inv).await,
        Slash::LoreStats => lore::stats(app, inv).await,
        Slash::AnalysisRoles => roles::map(app, inv, options).await,
        Slash::UserSays => words::user_says(app, inv, options).await,
    }
}

/// Battles a history page lists.
pub const HISTORY_PAGE: usize = 10;

/// Page `page` of `player`'s battles, newest first, each with its mode, who fought and how it
/// ended, and a picker to step through one.
async fn history(
    app: &App,
    owner: u64,
    player: PlayerId,
    page: usize,
) -> Result<crate::reply::Reply, Response> {
    let battles = app
        .read(move |w| allspark_engine::battle::view::history(w, player))
        .await?;
    let n_pages = battles.len().div_ceil(HISTORY_PAGE).max(1);
    let page = page.min(n_pages - 1);
    let mut entries = Vec::new();
    for battle in battles.iter().skip(page * HISTORY_PAGE).take(HISTORY_PAGE) {
        // A battle whose history can't be read any more is left out, not shown wrong.
        if let Ok((card, named)) = crate::battle::summary(app, *battle).await {
            let result = if card.is_over() {
                crate::battle::render::verdict(&card, &named)
            } else {
                "Still being fought.".to_string()
            };
            entries.push(render::HistoryEntry {
                battle: *battle,
                mode: card.mode.label().to_string(),
                matchup: crate::battle::render::matchup(&card, &named),
                result,
            });
        }
    }
    let reply = render::history(owner, player, page, n_pages, &entries);
    Ok(app.with_link(reply, "All on the web", |base| {
        crate::web::player_url(base, player)
    }))
}

/// A battle of the history after `turn` resolved turns, with First, Previous, Next and Last.
async fn step(
    app: &App,
    owner: u64,
    battle: allspark_engine::battle::BattleId,
    turn: usize,
) -> Result<crate::reply::Reply, Response> {
    let (card, named, turn, n_turns) = crate::battle::card_at_turn(app, battle, turn).await?;
    let view = crate::battle::render::battle_view(&card, &named);
    let reply = render::step(owner, battle, view, card.mode.label(), turn, n_turns);
    Ok(app.with_link(reply, "Watch", |base| crate::web::battle_url(base, battle)))
}

/// `player`'s profile on `tab`, drawn from each area's view model.
async fn profile(
    app: &App,
    owner: u64,
    player: PlayerId,
    tab: ids::Tab,
) -> Result<crate::reply::Reply, Response> {
    let now = app.engine.now();
    // Each tab's view model, read in one go; the names (erasable text) are filled in after.
    let mut data = app
        .read(move |w| render::ProfileData {
            player,
            identity: social::view::identity(w, player),
            quiz: social::view::quiz_faction(w, player),
            balances: allspark_engine::energon::view::balances(w, player),
            pet: allspark_engine::pets::view::dashboard(w, player, now)
                .map(|pet| (String::new(), pet)),
            record: allspark_engine::battle::view::record(w, player),
            portfolio: allspark_engine::market::view::portfolio(w, player),
            achievements: social::view::achievements(w, player),
            combiner: allspark_engine::fun::view::team_of(w, player).map(|(n, t)| (n, t.clone())),
            mega: allspark_engine::fun::mega::record(w, player),
            characters: allspark_engine::rpg::view::characters(w, player)
                .into_iter()
                .map(|c| (c.clone(), String::new()))
                .collect(),
        })
        .await?;
    if let Some((name, pet)) = &mut data.pet {
        *name = app.pet_name(player, pet.generated_name(), pet.custom_name);
    }
    for (character, name) in &mut data.characters {
        *name = crate::rpg::character_name(app, player, character.number);
    }
    Ok(render::profile(owner, &data, tab))
}

/// Tells a line and shows it, with Another asking for the same again.
async fn tell(
    app: &App,
    inv: &Invocation,
    kind: TalkKind,
    pool: Option<String>,
    style: Option<String>,
    about: Option<u64>,
) -> Handled {
    // With a model configured, it writes roasts and compliments; the command carries its
    // words (the book's line when it has none).
    let words = if kind.is_about() {
        app.narrator
            .talk(kind, pool.as_deref(), style.as_deref())
            .await
    } else {
        None
    };
    let command = SocialCommand::Tell {
        kind,
        pool: pool.clone(),
        style: style.clone(),
        about: about.map(PlayerId),
        words,
    };
    let events = app.execute(inv, Command::Social(command)).await?;
    let Some(Event::Social(told)) = events
        .iter()
        .find(|e| {
            matches!(
                e,
                Event::Social(SocialEvent::Told { .. } | SocialEvent::ToldByModel { .. })
            )
        })
        .cloned()
    else {
        return Err(refuse("Nothing came to mind; try again."));
    };
    let again = Press::Again {
        owner: inv.player().0,
        kind,
        pool,
        style,
        about,
    };
    Ok(Response::Message(render::told(&told, again)))
}

pub async fn press(app: &App, inv: &Invocation, press: Press, values: &[String]) -> Handled {
    match press {
        Press::Again {
            kind,
            pool,
            style,
            about,
            ..
        } => tell(app, inv, kind, pool, style, about).await,
        Press::History {
            owner,
            player,
            page,
        } => Ok(Response::Update(
            history(app, owner, PlayerId(player), page as usize).await?,
        )),
        Press::PickBattle { owner } => {
            let Some(battle) = values.first().and_then(|v| crate::custom_id::hex_id(v)) else {
                return Err(refuse("Pick a battle from the list."));
            };
            Ok(Response::Message(step(app, owner, battle, 0).await?))
        }
        Press::Step {
            owner,
            battle,
            turn,
            ..
        } => Ok(Response::Update(
            step(app, owner, battle, turn as usize).await?,
        )),
        Press::Profile { owner, player, tab } => Ok(Response::Update(
            profile(app, owner, PlayerId(player), tab).await?,
        )),
        Press::LoreForm { owner } => Ok(Response::Modal(render::lore_form(owner))),
        Press::LoreList {
            owner,
            page,
            search,
        } => {
            let guild = lore::guild(inv)?;
            Ok(Response::Update(
                lore::list(app, owner, guild, page as usize, search).await?,
            ))
        }
        Press::LorePick { .. } => {
            let guild = lore::guild(inv)?;
            let Some(number) = values
                .first()
                .and_then(|v| crate::custom_id::number(v))
                .and_then(|n| u32::try_from(n).ok())
            else {
                return Err(refuse("Pick an entry from the list."));
            };
            Ok(Response::Message(
                lore::open(app, guild, number, false).await?,
            ))
        }
        Press::LoreOpen { number } => {
            let guild = lore::guild(inv)?;
            Ok(Response::Update(
                lore::open(app, guild, number, false).await?,
            ))
        }
        Press::LoreDelete { number } => lore::delete_ask(app, inv, number).await,
        Press::LoreDeleteConfirmed { number, .. } => lore::delete(app, inv, number).await,
        Press::Quiz { owner, answers } => {
            let questions = content::get().social.quiz.questions.len();
            if answers.len() < questions {
                return Ok(Response::Update(render::quiz_question(owner, &answers)));
            }
            let outcome = app
                .try_execute(
                    inv,
                    Command::Social(SocialCommand::TakeQuiz {
                        answers,
                        guild: inv.place.guild.map(allspark_engine::Snowflake),
                    }),
                )
                .await;
            match outcome {
                Ok(events) => {
                    let faction = events.iter().find_map(|e| match e {
                        Event::Social(SocialEvent::QuizTaken { faction, .. }) => Some(*faction),
                        _ => None,
                    });
                    let faction = faction
                        .ok_or_else(|| refuse("The quiz didn't take; run /analysis again."))?;
                    let requested = events.iter().find_map(|e| match e {
                        Event::Social(SocialEvent::QuizRoleRequested {
                            request,
                            guild,
                            player,
                            role,
                            remove,
                        }) => Some(allspark_engine::social::RoleRequest {
                            request: *request,
                            guild: *guild,
                            player: *player,
                            role: *role,
                            remove: remove.clone(),
                        }),
                        _ => None,
                    });
                    let mut result = render::quiz_result(inv.player(), faction);
                    if let Some(request) = requested {
                        if let (Some(line), Some(embed)) =
                            (roles::role_line(&events), result.embeds.first_mut())
                        {
                            embed.description = embed
                                .description
                                .take()
                                .map(|d| crate::view::truncate(&format!("{d}\n\n{line}"), 4_000));
                        }
                        // The intent is recorded; the role itself is Discord's to give, off
                        // the reply's path.
                        let (app, worker) = (app.clone(), app.role_worker());
                        tokio::spawn(async move {
                            roles::carry_out(&app, worker.as_ref(), request).await;
                        });
                    }
                    Ok(Response::Update(result))
                }
                Err(refused) => match refused.rejection {
                    Some(Rejection::Social(
                        SocialRejection::QuizIncomplete { .. }
                        | SocialRejection::QuizAnswerInvalid { .. },
                    )) => Err(refuse(
                        "This quiz has changed since it was shown; run /analysis again.",
                    )),
                    _ => Err(refused.answer),
                },
            }
        }
    }
}

pub async fn form(
    app: &App,
    inv: &Invocation,
    press: Press,
    fields: &BTreeMap<String, String>,
) -> Handled {
    match press {
        Press::LoreForm { .. } => lore::submit(app, inv, fields).await,
        _ => Err(refuse("This form has expired; run the command again.")),
    }
}

/// `/what_is topic:` suggestions: the topics whose name or alias contains what was typed.
pub async fn autocomplete(
    _app: &App,
    _inv: &Invocation,
    slash: Slash,
    option: &str,
    partial: &str,
) -> Vec<Choice> {
    if slash != Slash::WhatIs || option != "topic" {
        return Vec::new();
    }
    social::view::topics_matching(partial, crate::reply::limits::AUTOCOMPLETE_CHOICES)
        .into_iter()
        .map(|topic| Choice {
            name: crate::view::truncate(&topic.name, 100),
            value: topic.id.clone(),
        })
        .collect()
}
