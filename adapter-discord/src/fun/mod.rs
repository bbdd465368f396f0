//! The fun area in Discord: `/hello` and `/ping` (their replies climb a ladder while someone
//! keeps at it; a ping shows how long the interaction took to reach the bot, from its id's
//! timestamp), `/grump` (greets the server's configured grump, `ALLSPARK_GRUMP_USER`, with a
//! cooldown) and `/grump_optout` (the grump says no more, or yes again); the shooting range:
//! `/range` (a countdown the transports run, [`begin_range`], then a round per press, each
//! press timed from its own interaction id), `/rangestats` and `/range_leaderboard`.

/// The heading of this area's part of `/help`.
pub const HELP_TITLE: &str = "Fun and games";

pub mod ids;
pub mod map;
pub mod render;

use std::collections::BTreeMap;

use allspark_engine::fun::{self, FunCommand, FunEvent, FunRejection, RANGE_COUNTDOWN_SECS};
use allspark_engine::{Actor, Command, Event, PlayerId, Rejection, Snowflake, Timestamp};

use crate::app::{refuse, App, Handled, Refused};
use crate::commands::{amount, choice, command, option, text, CommandSpec, Kind};
use crate::invocation::{Invocation, InvocationError, Options};
use crate::reply::{Choice, Reply, Response};
use ids::Press;

crate::commands::slash_commands! {
    /// The fun area's slash commands.
    pub enum Slash {
        Hello = "hello",
        Ping = "ping",
        Grump = "grump",
        GrumpOptout = "grump_optout",
        Range = "range",
        Rangestats = "rangestats",
        RangeLeaderboard = "range_leaderboard",
        Trivia = "trivia",
        TriviaStop = "trivia_stop",
        Walktru = "walktru",
        Combiner = "combiner",
        CombinerLeave = "combiner_leave",
        CybertronGames = "cybertron_games",
        MegaFight = "mega_fight",
        HgSorter = "hg_sorter",
    }
}

/// The players `/cybertron_games` may name.
const NAMED: [&str; 5] = ["player1", "player2", "player3", "player4", "player5"];

/// The players `/hg_sorter` sorts (the asker too, unless they say not).
const SORTED: [&str; 12] = [
    "player1", "player2", "player3", "player4", "player5", "player6", "player7", "player8",
    "player9", "player10", "player11", "player12",
];

/// `/walktru`'s genres, with their stories' titles.
fn genres() -> &'static [(&'static str, &'static str)] {
    static CHOICES: std::sync::OnceLock<Vec<(&'static str, &'static str)>> =
        std::sync::OnceLock::new();
    CHOICES.get_or_init(|| {
        allspark_engine::content::get()
            .walktru
            .stories
            .iter()
            .map(|s| (s.title.as_str(), s.id.as_str()))
            .collect()
    })
}

/// `/trivia`'s categories: every category of the content, and all of them at once.
fn trivia_categories() -> &'static [(&'static str, &'static str)] {
    static CHOICES: std::sync::OnceLock<Vec<(&'static str, &'static str)>> =
        std::sync::OnceLock::new();
    CHOICES.get_or_init(|| {
        let mut choices = vec![("Everything (a mix)", "random")];
        choices.extend(
            allspark_engine::content::get()
                .trivia
                .categories
                .iter()
                .map(|c| (c.name.as_str(), c.id.as_str())),
        );
        choices
    })
}

const ROUNDS: &[(&str, &str)] = &[
    ("5 rounds", "5"),
    ("15 rounds", "15"),
    ("25 rounds", "25"),
    ("50 rounds", "50"),
    ("100 rounds", "100"),
];

/// The session length an option names (15 when it names none).
fn rounds(options: &Options<'_>) -> Result<u8, InvocationError> {
    let words: Vec<&str> = ROUNDS.iter().map(|(_, w)| *w).collect();
    Ok(options
        .word("rounds", &words)?
        .and_then(|w| w.parse().ok())
        .unwrap_or(15))
}

const OPT_ACTIONS: &[(&str, &str)] = &[("Stop grumps at me", "out"), ("Allow them again", "in")];

fn spec(slash: Slash) -> CommandSpec {
    let name = slash.name();
    match slash {
        Slash::Hello => command(name, "Say hello to the AllSpark (it remembers)", vec![]),
        Slash::Ping => command(name, "Is the bot awake? How fast does it answer?", vec![]),
        Slash::Grump => command(
            name,
            "Wake the server's grump with a grumpy hello (once an hour)",
            vec![],
        ),
        Slash::GrumpOptout => command(
            name,
            "Stop (or allow again) grumps aimed at you",
            vec![choice(
                "action",
                "Stop them (default) or allow them",
                OPT_ACTIONS,
                false,
            )],
        ),
        Slash::Range => command(
            name,
            "Shooting range: hit one target in five, round after round, fast",
            vec![choice(
                "rounds",
                "How many rounds (15 unless you say)",
                ROUNDS,
                false,
            )],
        ),
        Slash::Rangestats => command(
            name,
            "Someone's shooting range record (yours unless you name someone)",
            vec![option("user", "Whose record", Kind::User, false)],
        ),
        Slash::RangeLeaderboard => command(
            name,
            "The best shots at one session length",
            vec![choice(
                "rounds",
                "Which length (15 unless you say)",
                ROUNDS,
                false,
            )],
        ),
        Slash::Trivia => command(
            name,
            "Trivia for the whole channel: the first right answer wins each question",
            vec![
                choice(
                    "category",
                    "Which questions (a mix unless you say)",
                    trivia_categories(),
                    false,
                ),
                amount(
                    "questions",
                    "How many questions (10 unless you say)",
                    false,
                    i64::from(fun::TRIVIA_QUESTIONS_MIN),
                    i64::from(fun::TRIVIA_QUESTIONS_MAX),
                ),
            ],
        ),
        Slash::TriviaStop => command(
            name,
            "Stop this channel's trivia (whoever started it, or a moderator)",
            vec![],
        ),
        Slash::Walktru => command(
            name,
            "WalkTru: a branching story where your choices and the dice decide",
            vec![choice("genre", "Which story", genres(), true)],
        ),
        Slash::Combiner => command(
            name,
            "Form a combiner: six pets, one per part (yours, or open a new team)",
            vec![],
        ),
        Slash::CombinerLeave => command(
            name,
            "Leave your combiner team (a formed team disbands)",
            vec![],
        ),
        Slash::HgSorter => command(
            name,
            "Sort players into districts by the dice (the plain sorter of the games)",
            {
                let mut options = vec![
                    amount("districts", "How many districts (1 to 12)", true, 1, 12),
                    choice(
                        "include_me",
                        "Sort yourself too (yes unless you say)",
                        &[("Yes", "yes"), ("No", "no")],
                        false,
                    ),
                ];
                options.extend(
                    SORTED
                        .iter()
                        .map(|n| option(n, "A player to sort", Kind::User, false)),
                );
                options
            },
        ),
        Slash::MegaFight => command(
            name,
            "Challenge another formed combiner team to a mega-fight (heads only)",
            vec![amount(
                "team",
                "The other team's number (from its /combiner view)",
                true,
                1,
                i64::from(u32::MAX),
            )],
        ),
        Slash::CybertronGames => command(
            name,
            "Cybertron Games: a battle-royale story for up to 50 (players join by button)",
            {
                let mut options = vec![
                    amount(
                        "size",
                        "Fill with drones up to this many contestants (none unless you say)",
                        false,
                        0,
                        50,
                    ),
                    amount(
                        "factions",
                        "Factions: 2 to 10 (none: everyone for themselves)",
                        false,
                        0,
                        10,
                    ),
                    amount(
                        "districts",
                        "Districts, 1 to 12 (12 unless you say)",
                        false,
                        1,
                        12,
                    ),
                ];
                options.extend(
                    NAMED
                        .iter()
                        .map(|n| option(n, "A player to put in the games", Kind::User, false)),
                );
                options.push(option(
                    "role",
                    "Only members with this role may join",
                    Kind::Role,
                    false,
                ));
                options.push(text(
                    "district_names",
                    "Your names for the districts, in order, separated by commas",
                    false,
                    320,
                ));
                options.push(text(
                    "faction_names",
                    "Your names for the factions, in order, separated by commas",
                    false,
                    280,
                ));
                options
            },
        ),
    }
}

/// A list of names given as one option, separated by commas (empty entries left out).
fn names_of(given: Option<&str>) -> Vec<String> {
    given
        .unwrap_or_default()
        .split(',')
        .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|n| !n.is_empty())
        .collect()
}

/// The area's slash commands, in the order `/help` lists them.
pub fn commands() -> Vec<CommandSpec> {
    Slash::ALL.iter().map(|slash| spec(*slash)).collect()
}

/// The event of `kind` a command recorded.
fn recorded(events: &[Event]) -> Option<FunEvent> {
    events.iter().find_map(|e| match e {
        Event::Fun(event) => Some(event.clone()),
        _ => None,
    })
}

pub async fn slash(app: &App, inv: &Invocation, slash: Slash, options: &Options<'_>) -> Handled {
    let bad = |error: InvocationError| refuse(error.to_string());
    match slash {
        Slash::Range => return start_range(app, inv, rounds(options).map_err(bad)?, false).await,
        Slash::Rangestats => {
            let player = PlayerId(options.user("user").map_err(bad)?.unwrap_or(inv.user));
            let stats = app.read(move |w| fun::view::range_stats(w, player)).await?;
            return Ok(Response::Message(render::range_stats(player, &stats)));
        }
        Slash::RangeLeaderboard => {
            let rounds = rounds(options).map_err(bad)?;
            return Ok(Response::Message(leaders(app, rounds).await?));
        }
        Slash::Trivia => {
            let words: Vec<&str> = trivia_categories().iter().map(|(_, w)| *w).collect();
            let category = options
                .word("category", &words)
                .map_err(bad)?
                .filter(|c| *c != "random")
                .map(str::to_string);
            let questions = options
                .integer("questions")
                .map_err(bad)?
                .map_or(fun::TRIVIA_QUESTIONS_DEFAULT, |n| {
                    u8::try_from(n).unwrap_or(u8::MAX)
                });
            return start_trivia(app, inv, category, questions, false).await;
        }
        Slash::Walktru => {
            let words: Vec<&str> = genres().iter().map(|(_, w)| *w).collect();
            let story = options
                .word("genre", &words)
                .map_err(bad)?
                .unwrap_or("horror")
                .to_string();
            return walk_start(app, inv, story, false, false).await;
        }
        Slash::Combiner => {
            let player = inv.player();
            let mine = app
                .read(move |w| fun::view::team_of(w, player).map(|(n, _)| n))
                .await?;
            let number = match mine {
                Some(number) => number,
                None => {
                    let events = app
                        .execute(inv, Command::Fun(FunCommand::CombinerOpen))
                        .await?;
                    events
                        .iter()
                        .find_map(|e| match e {
                            Event::Fun(FunEvent::CombinerOpened { team, .. }) => Some(*team),
                            _ => None,
                        })
                        .ok_or_else(|| refuse("No team opened; try again."))?
                }
            };
            return Ok(Response::Message(team_view(app, number).await?));
        }
        Slash::CybertronGames => {
            let channel = inv.place.channel.unwrap_or(0);
            let mut named = Vec::new();
            for n in NAMED {
                if let Some(user) = options.user(n).map_err(bad)? {
                    named.push(PlayerId(user));
                }
            }
            let number = |o: &str, default: i64| -> Result<u8, Response> {
                Ok(
                    u8::try_from(options.integer(o).map_err(bad)?.unwrap_or(default))
                        .unwrap_or(u8::MAX),
                )
            };
            let role = options.role("role").map_err(bad)?;
            if role.is_some() && role == inv.place.guild {
                return Err(refuse(
                    "Everyone has @everyone: leave the role out and anyone may join.",
                ));
            }
            let command = Command::Fun(FunCommand::GamesOpen {
                channel: Snowflake(channel),
                named,
                drones: number("size", 0)?,
                factions: number("factions", 0)?,
                districts: number("districts", 12)?,
                district_names: names_of(options.get("district_names")),
                faction_names: names_of(options.get("faction_names")),
                role: role.map(Snowflake),
            });
            let events = app.execute(inv, command).await?;
            let game = events
                .iter()
                .find_map(|e| match e {
                    Event::Fun(FunEvent::GamesOpened { game, .. }) => Some(*game),
                    _ => None,
                })
                .ok_or_else(|| refuse("The arena stayed shut; try again."))?;
            return Ok(Response::Message(games_view(app, game).await?));
        }
        Slash::HgSorter => {
            let mut players = Vec::new();
            if options.word("include_me", &["yes", "no"]).map_err(bad)? != Some("no") {
                players.push(inv.player());
            }
            for n in SORTED {
                if let Some(user) = options.user(n).map_err(bad)? {
                    players.push(PlayerId(user));
                }
            }
            let districts = options.required_integer("districts").map_err(bad)?;
            let districts = u8::try_from(districts).unwrap_or(u8::MAX);
            let events = app
                .execute(
                    inv,
                    Command::Fun(FunCommand::SortDistricts { players, districts }),
                )
                .await?;
            let sorted = events
                .iter()
                .find_map(|e| match e {
                    Event::Fun(FunEvent::DistrictsSorted { districts, .. }) => {
                        Some(districts.clone())
                    }
                    _ => None,
                })
                .ok_or_else(|| refuse("Nobody was sorted; try again."))?;
            return Ok(Response::Message(render::sorted(&sorted)));
        }
        Slash::MegaFight => {
            let team = options.required_integer("team").map_err(bad)?;
            let team = u32::try_from(team).map_err(|_| refuse("There is no such team."))?;
            let events = app
                .execute(inv, Command::Fun(FunCommand::MegaChallenge { team }))
                .await?;
            let challenger = events
                .iter()
                .find_map(|e| match e {
                    Event::Fun(FunEvent::MegaChallenged { challenger, .. }) => Some(*challenger),
                    _ => None,
                })
                .ok_or_else(|| refuse("No challenge went out; try again."))?;
            return Ok(Response::Message(mega_view(app, challenger, team).await?));
        }
        Slash::CombinerLeave => {
            let player = inv.player();
            let events = app
                .execute(inv, Command::Fun(FunCommand::CombinerLeave))
                .await?;
            return Ok(Response::Message(left_view(&events, player)));
        }
        Slash::TriviaStop => {
            let channel = trivia_channel(inv)?;
            let actor = if inv.operator {
                inv.operator_actor()
            } else {
                inv.actor()
            };
            let command = Command::Fun(FunCommand::TriviaStop {
                channel: Snowflake(channel),
                moderator: inv
                    .place
                    .may(crate::invocation::permissions::MANAGE_MESSAGES),
            });
            app.execute_as(inv.id, actor, command).await?;
            return Ok(Response::Message(trivia_view(app, channel).await?));
        }
        _ => {}
    }
    let command = match slash {
        Slash::Hello => FunCommand::Hello,
        Slash::Ping => FunCommand::Ping,
        Slash::Grump => match app.grump {
            Some(target) => FunCommand::Grump {
                target: PlayerId(target),
            },
            None => {
                return Err(refuse(
                    "No grump is configured here (the operator sets ALLSPARK_GRUMP_USER).",
                ))
            }
        },
        Slash::GrumpOptout => FunCommand::GrumpOptOut {
            out: options.word("action", &["out", "in"]).map_err(bad)? != Some("in"),
        },
        Slash::Range
        | Slash::Rangestats
        | Slash::RangeLeaderboard
        | Slash::Trivia
        | Slash::TriviaStop
        | Slash::Walktru
        | Slash::Combiner
        | Slash::CombinerLeave
        | Slash::CybertronGames
        | Slash::MegaFight
        | Slash::HgSorter => return Err(refuse("Nothing happened; try again.")),
    };
    let latency = latency_text(app, inv);
    let events = app.execute(inv, Command::Fun(command.clone())).await?;
    let event = recorded(&events).ok_or_else(|| refuse("Nothing happened; try again."))?;
    Ok(Response::Message(match command {
        FunCommand::Hello | FunCommand::Ping => render::greeting(&event, &latency),
        FunCommand::Grump { .. } => render::grump(&event),
        FunCommand::GrumpOptOut { out } => render::opted(inv.player(), out),
        _ => return Err(refuse("Nothing happened; try again.")),
    }))
}

/// The channel a trivia command is for (trivia needs one: the console has its own).
fn trivia_channel(inv: &Invocation) -> Result<u64, Response> {
    inv.place
        .channel
        .ok_or_else(|| refuse("Trivia is played in a channel."))
}

/// `channel`'s trivia as it stands: the open question, or the last session's results.
pub async fn trivia_view(app: &App, channel: u64) -> Result<Reply, Response> {
    let session = app
        .read(move |w| fun::view::trivia(w, Snowflake(channel)).cloned())
        .await?;
    Ok(match session {
        Some(session) => render::trivia(channel, &session),
        None => Reply::text("No trivia has been played in this channel yet. /trivia starts one."),
    })
}

/// The channel whose trivia `response` shows (its answer buttons name it), to keep live.
pub fn shown_trivia(response: &Response) -> Option<u64> {
    shown(response, |press| match press {
        Press::Answer { channel, .. } => Some(channel),
        _ => None,
    })
}

/// The Cybertron Games `response` shows (its buttons name it), to keep live.
pub fn shown_game(response: &Response) -> Option<u32> {
    shown(response, |press| match press {
        Press::Games { game, .. } => Some(game),
        _ => None,
    })
}

/// The combiner team `response` shows (its part and leave buttons name it), to keep live.
pub fn shown_team(response: &Response) -> Option<u32> {
    shown(response, |press| match press {
        Press::TakePart { team, .. } | Press::LeaveTeam { team } => Some(team),
        _ => None,
    })
}

async fn start_trivia(
    app: &App,
    inv: &Invocation,
    category: Option<String>,
    questions: u8,
    update: bool,
) -> Handled {
    let channel = trivia_channel(inv)?;
    let command = Command::Fun(FunCommand::TriviaStart {
        channel: Snowflake(channel),
        category,
        questions,
    });
    app.execute(inv, command).await?;
    let view = trivia_view(app, channel).await?;
    Ok(if update {
        Response::Update(view)
    } else {
        Response::Message(view)
    })
}

async fn answer(app: &App, inv: &Invocation, channel: u64, number: u8, choice: u8) -> Handled {
    if inv.place.channel.is_some_and(|here| here != channel) {
        return Err(refuse("That trivia belongs to another channel."));
    }
    let command = Command::Fun(FunCommand::TriviaAnswer {
        channel: Snowflake(channel),
        number,
        choice,
    });
    let events = match app.try_execute(inv, command).await {
        Ok(events) => events,
        Err(refused) => {
            return match refused.rejection {
                // A question that closed (someone won it, or time ran out): the one open now.
                Some(Rejection::Fun(
                    FunRejection::TriviaClosed { .. } | FunRejection::NoTrivia,
                )) => Ok(Response::Update(trivia_view(app, channel).await?)),
                _ => Err(refused.answer),
            };
        }
    };
    let correct = events.iter().any(|e| {
        matches!(
            e,
            Event::Fun(FunEvent::TriviaAnswered { correct: true, .. })
        )
    });
    if correct {
        return Ok(Response::Update(trivia_view(app, channel).await?));
    }
    let letter = render::LETTERS.get(usize::from(choice)).unwrap_or(&"?");
    Err(refuse(format!(
        "Not {letter}. You're out of question {number}; the next one is yours to try."
    )))
}

/// `player`'s walk of `story` as it stands (`resumed`: offer Start over).
async fn walk_view(
    app: &App,
    player: PlayerId,
    story: &str,
    resumed: bool,
) -> Result<Reply, Response> {
    let id = story.to_string();
    let (walk, found) = app
        .read(move |w| {
            (
                fun::view::walk(w, player, &id).cloned(),
                fun::view::walk_endings(w, player, &id),
            )
        })
        .await?;
    let story = fun::view::story(story).ok_or_else(|| refuse("There is no such story."))?;
    Ok(match walk {
        Some(walk) => match &walk.ended {
            Some(ending) => render::walk_ended(player, story, &walk, ending, &found),
            None => render::walk(player, story, &walk, resumed),
        },
        None => Reply::text("No walk of that story yet. /walktru starts one."),
    })
}

/// Starts (or, with a walk of it going and no `restart`, resumes) `story` for the asker.
async fn walk_start(
    app: &App,
    inv: &Invocation,
    story: String,
    restart: bool,
    update: bool,
) -> Handled {
    let player = inv.player();
    let command = Command::Fun(FunCommand::WalkStart {
        story: story.clone(),
        restart,
    });
    let resumed = match app.try_execute(inv, command).await {
        Ok(_) => false,
        // A walk of it is going: carry on where it was (saved in the log).
        Err(Refused {
            rejection: Some(Rejection::Fun(FunRejection::WalkGoing { .. })),
            ..
        }) => true,
        Err(refused) => return Err(refused.answer),
    };
    let view = walk_view(app, player, &story, resumed).await?;
    Ok(if update {
        Response::Update(view)
    } else {
        Response::Message(view)
    })
}

async fn walk_choose(
    app: &App,
    inv: &Invocation,
    story: String,
    stage: String,
    choice: u8,
) -> Handled {
    let command = Command::Fun(FunCommand::WalkChoose {
        story: story.clone(),
        stage,
        choice,
    });
    match app.try_execute(inv, command).await {
        Ok(_) => {}
        // A stale button or a walk already over: the walk as it stands.
        Err(Refused {
            rejection:
                Some(Rejection::Fun(FunRejection::WalkMoved { .. } | FunRejection::NoWalk { .. })),
            ..
        }) => {}
        Err(refused) => return Err(refused.answer),
    }
    Ok(Response::Update(
        walk_view(app, inv.player(), &story, false).await?,
    ))
}

/// Combiner team `number` as it stands, with its members' pets.
pub async fn team_view(app: &App, number: u32) -> Result<Reply, Response> {
    let found = app
        .read(move |w| {
            fun::view::team(w, number).cloned().map(|team| {
                let pets: Vec<_> = team
                    .members
                    .values()
                    .map(|p| (*p, allspark_engine::pets::view::pet(w, *p)))
                    .collect();
                (team, pets)
            })
        })
        .await?;
    Ok(match found {
        Some((team, pets)) => render::team(number, &team, &pets),
        None => Reply::text(format!(
            "Combiner team #{number} is no more (disbanded or out of time). /combiner opens a new one."
        )),
    })
}

/// The names game `number` calls its districts and factions: its creator's (from the erasable
/// store: gone once they are erased), else the arena's.
fn arena_names(app: &App, number: u32, game: &fun::Game) -> render::ArenaNames {
    let custom = |which: &str| -> Vec<String> {
        game.creator
            .and_then(|creator| {
                app.engine
                    .personal_text(creator, &fun::games::names_key(number, which))
                    .ok()
                    .flatten()
            })
            .map(|text| text.lines().map(str::to_string).collect())
            .unwrap_or_default()
    };
    render::ArenaNames {
        districts: custom("districts"),
        factions: custom("factions"),
    }
}

/// Cybertron Games `number` as it stands.
pub async fn games_view(app: &App, number: u32) -> Result<Reply, Response> {
    let game = app
        .read(move |w| fun::view::game(w, number).cloned())
        .await?;
    Ok(match game {
        Some(game) => {
            let names = arena_names(app, number, &game);
            // The arena's map, drawn on the blocking pool (a game not started has none).
            let drawn = {
                let (game, names) = (game.clone(), names.clone());
                tokio::task::spawn_blocking(move || map::arena_map(number, &game, &names)).await
            };
            let map = match drawn {
                Ok(Some(Ok(bytes))) => Some(bytes),
                Ok(Some(Err(error))) => {
                    tracing::warn!(%error, "arena map");
                    None
                }
                Ok(None) => None,
                Err(error) => {
                    tracing::warn!(%error, "arena map task");
                    None
                }
            };
            render::games(number, &game, &names, map)
        }
        None => Reply::text(format!("There is no Cybertron Games #{number}.")),
    })
}

/// What leaving a team did.
fn left_view(events: &[Event], player: PlayerId) -> Reply {
    let disbanded = events.iter().find_map(|e| match e {
        Event::Fun(FunEvent::CombinerDisbanded { team, .. }) => Some(*team),
        _ => None,
    });
    Reply::text(match disbanded {
        Some(team) => format!("<@{player}> left, and combiner team #{team} disbanded."),
        None => format!("<@{player}> left their combiner team; the part is free again."),
    })
}

/// How many players a range leaderboard lists.
const LEADERS: usize = 10;

async fn leaders(app: &App, rounds: u8) -> Result<Reply, Response> {
    let rows = app
        .read(move |w| fun::view::range_leaders(w, rounds, LEADERS))
        .await?;
    Ok(render::range_leaders(rounds, &rows))
}

/// Opens a range session and answers with its countdown (as a new message, or in place of
/// the pressed one).
async fn start_range(app: &App, inv: &Invocation, rounds: u8, update: bool) -> Handled {
    let events = app
        .execute(inv, Command::Fun(FunCommand::RangeStart { rounds }))
        .await?;
    let session = events
        .iter()
        .find_map(|e| match e {
            Event::Fun(FunEvent::RangeStarted { session, .. }) => Some(*session),
            _ => None,
        })
        .ok_or_else(|| refuse("The range stayed closed; try again."))?;
    let reply = render::range_countdown(inv.player(), session, rounds, RANGE_COUNTDOWN_SECS);
    Ok(if update {
        Response::Update(reply)
    } else {
        Response::Message(reply)
    })
}

/// The first of this area's presses on `response`'s buttons that `pick` takes.
fn shown<T>(response: &Response, pick: impl Fn(Press) -> Option<T>) -> Option<T> {
    crate::view::shown(response, |press| match press {
        crate::areas::Press::Fun(press) => pick(press),
        _ => None,
    })
}

/// The session whose countdown `response` shows, as (player, session): the transports run
/// it ([`begin_range`] when it is over).
pub fn shown_countdown(response: &Response) -> Option<(PlayerId, u32)> {
    shown(response, |press| match press {
        Press::Wait { owner, session } => Some((PlayerId(owner), session)),
        _ => None,
    })
}

/// Ends the countdown of `player`'s session `session`: the first round shows, and this is
/// its view (`None` when the session is gone or already began).
pub async fn begin_range(app: &App, player: PlayerId, session: u32) -> Option<Reply> {
    let started = app
        .read(move |w| fun::view::range(w, player).map(|r| (r.session, r.started_at)))
        .await
        .ok()??;
    if started.0 != session {
        return None;
    }
    let id = crate::worker::derived_id(
        "range-ready",
        &[
            u128::from(player.0),
            u128::from(session),
            started.1 .0 as u128,
        ],
    );
    let command = Command::Fun(FunCommand::RangeReady { session });
    app.execute_as(id, Actor::Player(player), command)
        .await
        .ok()?;
    let range = app
        .read(move |w| fun::view::range(w, player).cloned())
        .await
        .ok()??;
    (range.session == session && range.round == 1).then(|| render::range_round(player, &range))
}

/// When the press of `inv` was made: its Discord id's timestamp when it is a real snowflake
/// of the last minute, else now (the console's ids are counters: it uses its clock).
fn pressed_at(app: &App, inv: &Invocation) -> Timestamp {
    let now = app.engine.now();
    match snowflake_ms(inv) {
        Some(made) if (0..60_000).contains(&(now.0 - made)) => Timestamp(made),
        _ => now,
    }
}

/// The instant a Discord id was made, in Unix milliseconds (`None` for ids that are no
/// snowflakes: they carry no time).
fn snowflake_ms(inv: &Invocation) -> Option<i64> {
    const DISCORD_EPOCH_MS: i64 = 1_420_070_400_000;
    let ms = i64::try_from(inv.id.0 >> 22).ok()?;
    (ms > 0).then(|| ms.saturating_add(DISCORD_EPOCH_MS))
}

/// How long the interaction took to reach the bot: from the instant its Discord id was made
/// (a snowflake's timestamp) to now; the console's ids are no snowflakes, so it says so.
fn latency_text(app: &App, inv: &Invocation) -> String {
    let now = app.engine.now().0;
    match snowflake_ms(inv).and_then(|made| now.checked_sub(made)) {
        // A real snowflake of the last minute.
        Some(ms) if (0..60_000).contains(&ms) => format!("{ms} ms"),
        _ => "under a second".into(),
    }
}

pub async fn press(app: &App, inv: &Invocation, press: Press, _values: &[String]) -> Handled {
    match press {
        Press::Shoot {
            session,
            round,
            button,
            ..
        } => shoot(app, inv, session, round, button).await,
        Press::Wait { .. } => Err(refuse("Wait for the countdown: the targets are coming.")),
        Press::Again { rounds, .. } => start_range(app, inv, rounds, true).await,
        Press::Leaders { rounds } => Ok(Response::Update(leaders(app, rounds).await?)),
        Press::Answer {
            channel,
            number,
            choice,
        } => answer(app, inv, channel, number, choice).await,
        Press::TriviaAgain { category } => {
            start_trivia(app, inv, category, fun::TRIVIA_QUESTIONS_DEFAULT, true).await
        }
        Press::Walk {
            story,
            stage,
            choice,
            ..
        } => walk_choose(app, inv, story, stage, choice).await,
        Press::WalkAgain { story, restart, .. } => walk_start(app, inv, story, restart, true).await,
        Press::TakePart { team, part } => {
            let command = Command::Fun(FunCommand::CombinerTake { team, part });
            match app.try_execute(inv, command).await {
                Ok(_) => Ok(Response::Update(team_view(app, team).await?)),
                // Taken a moment ago, or formed meanwhile: the team as it stands, for everyone.
                Err(Refused {
                    rejection:
                        Some(Rejection::Fun(
                            FunRejection::PartTaken { .. } | FunRejection::TeamFormed { .. },
                        )),
                    ..
                }) => Ok(Response::Update(team_view(app, team).await?)),
                Err(refused) => Err(refused.answer),
            }
        }
        Press::Games { game, action } => {
            let command = match action {
                ids::GamesAction::Join => FunCommand::GamesJoin {
                    game,
                    roles: inv.roles.iter().copied().map(Snowflake).collect(),
                },
                ids::GamesAction::Start => FunCommand::GamesStart { game },
                ids::GamesAction::Next => FunCommand::GamesNextRound { game },
                ids::GamesAction::End => FunCommand::GamesEnd { game },
            };
            let events = app.execute(inv, Command::Fun(command)).await?;
            // With a model configured, it retells the round just played (recorded before the
            // view is drawn; the templates' lines stay when it has nothing).
            if let Some(round) = events.iter().find_map(|e| match e {
                Event::Fun(FunEvent::GamesRound { round, .. }) => Some(*round),
                _ => None,
            }) {
                app.narrator.games_round(&app.engine, game, round).await;
            }
            Ok(Response::Update(games_view(app, game).await?))
        }
        Press::LeaveTeam { team } => {
            let player = inv.player();
            let mine = app
                .read(move |w| fun::view::team_of(w, player).map(|(n, _)| n))
                .await?;
            if mine != Some(team) {
                return Err(refuse("You are not in this team."));
            }
            let events = app
                .execute(inv, Command::Fun(FunCommand::CombinerLeave))
                .await?;
            if events
                .iter()
                .any(|e| matches!(e, Event::Fun(FunEvent::CombinerDisbanded { .. })))
            {
                return Ok(Response::Update(left_view(&events, player)));
            }
            Ok(Response::Update(team_view(app, team).await?))
        }
        Press::Mega { challenger, accept } => {
            if !accept {
                let events = app
                    .execute(
                        inv,
                        Command::Fun(FunCommand::MegaDecline { team: challenger }),
                    )
                    .await?;
                let defender = events.iter().find_map(|e| match e {
                    Event::Fun(FunEvent::MegaDeclined { defender, .. }) => Some(*defender),
                    _ => None,
                });
                return Ok(Response::Update(Reply::text(format!(
                    "Combiner team #{} declined team #{challenger}'s mega-fight.",
                    defender.unwrap_or_default()
                ))));
            }
            let events = app
                .execute(
                    inv,
                    Command::Fun(FunCommand::MegaAccept { team: challenger }),
                )
                .await?;
            let battle = events
                .iter()
                .find_map(|e| match e {
                    Event::Fun(FunEvent::MegaFightStarted { battle, .. }) => Some(*battle),
                    _ => None,
                })
                .ok_or_else(|| refuse("The fight didn't start; try again."))?;
            Ok(Response::Update(app.battle_view(battle).await?))
        }
    }
}

/// A mega-fight's fighters named by their teams' combiner names (a team disbanded since is
/// named by its number).
pub(crate) async fn giant_names(
    app: &App,
    card: &allspark_engine::battle::view::Card,
    teams: [u32; 2],
) -> Result<Vec<(PlayerId, String)>, Response> {
    let names = app
        .read(move |w| teams.map(|n| fun::view::team(w, n).and_then(fun::view::team_name)))
        .await?;
    Ok(card
        .players()
        .into_iter()
        .zip(teams.iter().zip(names))
        .map(|(player, (n, name))| (player, name.unwrap_or_else(|| format!("Team #{n}"))))
        .collect())
}

/// Team `challenger`'s challenge to team `defender`, with the defender's head's answers.
async fn mega_view(app: &App, challenger: u32, defender: u32) -> Result<Reply, Response> {
    let teams = app
        .read(move |w| {
            [challenger, defender].map(|n| fun::view::team(w, n).cloned().map(|t| (n, t)))
        })
        .await?;
    let [Some(a), Some(b)] = teams else {
        return Err(refuse("One of the teams is no more."));
    };
    Ok(render::mega_challenge(&a, &b))
}

async fn shoot(app: &App, inv: &Invocation, session: u32, round: u8, button: u8) -> Handled {
    let player = inv.player();
    let command = Command::Fun(FunCommand::RangeShoot {
        session,
        round,
        button,
        pressed_at: pressed_at(app, inv),
    });
    let current = || async move {
        app.read(move |w| fun::view::range(w, player).cloned())
            .await
            .ok()
            .flatten()
            .filter(|r| r.session == session && r.round > 0)
    };
    let events = match app.try_execute(inv, command).await {
        Ok(events) => events,
        Err(refused) => {
            return match refused.rejection {
                // A second press of a settled round: the round showing now.
                Some(Rejection::Fun(FunRejection::RangeRoundGone { .. })) => {
                    match current().await {
                        Some(range) => Ok(Response::Update(render::range_round(player, &range))),
                        None => Err(refused.answer),
                    }
                }
                Some(Rejection::Fun(FunRejection::RangeGone { .. } | FunRejection::NoRange)) => {
                    Ok(Response::Update(Reply::text(format!(
                        "Range session #{session} is over. /range starts another."
                    ))))
                }
                _ => Err(refused.answer),
            };
        }
    };
    let fun_events: Vec<FunEvent> = events
        .iter()
        .filter_map(|e| match e {
            Event::Fun(event) => Some(event.clone()),
            _ => None,
        })
        .collect();
    if fun_events
        .iter()
        .any(|e| matches!(e, FunEvent::RangeEnded { .. }))
    {
        let stats = app.read(move |w| fun::view::range_stats(w, player)).await?;
        return Ok(Response::Update(render::range_ended(
            player,
            &fun_events,
            &stats,
        )));
    }
    match current().await {
        Some(range) => Ok(Response::Update(render::range_round(player, &range))),
        None => Err(refuse(
            "The range lost track of that round; /range starts again.",
        )),
    }
}

pub async fn form(
    _app: &App,
    _inv: &Invocation,
    _press: Press,
    _fields: &BTreeMap<String, String>,
) -> Handled {
    Err(refuse("The range has no forms."))
}

pub async fn autocomplete(
    _app: &App,
    _inv: &Invocation,
    _slash: Slash,
    _option: &str,
    _partial: &str,
) -> Vec<Choice> {
    Vec::new()
}
