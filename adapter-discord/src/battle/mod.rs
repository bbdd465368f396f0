//! The battle area in Discord: solo and group battles against enemies, duels, team battles,
//! free-for-alls, staked challenges, tournaments, the ranked queue and ladder, spectating.
//!
//! A press on a battle view runs: [`press`] → `act` (the engine decides) → `battle_reply`
//! (the engine's `battle::view::card` from the open state and the battle's history) →
//! [`render::battle_view`].

/// The heading of this area's part of `/help`.
pub const HELP_TITLE: &str = "Battles";

pub mod ids;
pub mod render;

use std::collections::BTreeMap;

use allspark_engine::battle::sim::Action;
use allspark_engine::battle::view::{self, Activity, Card};
use allspark_engine::battle::{
    BattleCommand, BattleEvent, BattleId, BattleMode, BattleRejection, LobbyId, LobbyKind,
};
use allspark_engine::{pets, Command, Event, PlayerId, Rejection};

use crate::app::{engine_trouble, refuse, App, Handled, Refused};
use crate::commands::{amount, choice, command, option, CommandSpec, Kind, OptionSpec};
use crate::invocation::{Invocation, InvocationError, Options};
use crate::reply::{Choice, Reply, Response};
use crate::view::{outcome_summary, truncate};
use ids::{Answer, LobbyVerb, Press};

crate::commands::slash_commands! {
    /// The battle area's slash commands.
    pub enum Slash {
        Battle = "battle",
        BattleInfo = "battle_info",
        GroupBattle = "group_battle",
        GroupPvp = "group_pvp",
        Pvp = "pvp",
        FfaBattle = "ffa_battle",
        EnergonChallenge = "energon_challenge",
        Tournament = "tournament",
        Lobby = "lobby",
        MyBattle = "my_battle",
        Ranked = "ranked",
        BattleStats = "battle_stats",
        Ladder = "ladder",
        Spectate = "spectate",
    }
}

const TEAM_SIZES: &[(&str, &str)] = &[("2 vs 2", "2"), ("3 vs 3", "3"), ("4 vs 4", "4")];
const TEAM_SIZE_VALUES: &[(&str, u8)] = &[("2", 2), ("3", 3), ("4", 4)];
const TOURNAMENT_SIZES: &[(&str, &str)] = &[("4 players", "4"), ("8 players", "8")];
const TOURNAMENT_SIZE_VALUES: &[(&str, u8)] = &[("4", 4), ("8", 8)];
const QUEUE_ACTIONS: &[(&str, bool)] = &[("join", true), ("leave", false)];

fn spec(slash: Slash) -> CommandSpec {
    let name = slash.name();
    let enemy = |description| OptionSpec {
        autocomplete: true,
        ..option(
            "enemy",
            description,
            Kind::Text,
            slash == Slash::GroupBattle,
        )
    };
    match slash {
        Slash::Battle => command(
            name,
            "Fight an enemy with your pet",
            vec![enemy("Leave empty to choose from a list")],
        ),
        Slash::BattleInfo => command(name, "How battles work", vec![]),
        Slash::GroupBattle => command(
            name,
            "Open a lobby for up to 4 players against one enemy",
            vec![enemy("The boss, titan or monster to fight")],
        ),
        Slash::GroupPvp => command(
            name,
            "Open a team battle lobby",
            vec![
                choice("size", "Players per side", TEAM_SIZES, true),
                amount(
                    "stake",
                    "Energon each player stakes (winners share)",
                    false,
                    0,
                    100_000,
                ),
            ],
        ),
        Slash::Pvp => command(
            name,
            "Challenge another player to a duel",
            vec![
                option("opponent", "Who to challenge", Kind::User, true),
                amount("stake", "Energon each of you stakes", false, 0, 100_000),
            ],
        ),
        Slash::FfaBattle => command(name, "Open a free-for-all lobby (2 to 4 players)", vec![]),
        Slash::EnergonChallenge => command(
            name,
            "A free-for-all where everyone stakes energon",
            vec![amount(
                "amount",
                "Energon each player stakes",
                true,
                1,
                100_000,
            )],
        ),
        Slash::Tournament => command(
            name,
            "Open a single-elimination tournament",
            vec![choice("size", "How many players", TOURNAMENT_SIZES, true)],
        ),
        Slash::Lobby => command(name, "Show the lobby you're waiting in", vec![]),
        Slash::MyBattle => command(
            name,
            "Your current battle, tournament match, queue or lobby",
            vec![],
        ),
        Slash::Ranked => command(
            name,
            "Join or leave the ranked duel queue",
            vec![choice(
                "action",
                "Join or leave",
                &[("Join", "join"), ("Leave", "leave")],
                true,
            )],
        ),
        Slash::BattleStats => command(
            name,
            "Battle record and rating",
            vec![option("user", "Whose (default: yours)", Kind::User, false)],
        ),
        Slash::Ladder => command(name, "The ranked duel ladder's top ten", vec![]),
        Slash::Spectate => command(
            name,
            "Watch someone's battle",
            vec![option("user", "Who to watch", Kind::User, true)],
        ),
    }
}

/// The area's slash commands, in the order `/help` lists them.
pub fn commands() -> Vec<CommandSpec> {
    Slash::ALL.iter().map(|slash| spec(*slash)).collect()
}

pub async fn slash(app: &App, inv: &Invocation, slash: Slash, options: &Options<'_>) -> Handled {
    let bad = |error: InvocationError| refuse(error.to_string());
    let me = inv.player();
    match slash {
        Slash::Battle => match options.get("enemy") {
            Some(enemy) => start_solo(app, inv, enemy.trim().to_string()).await,
            None => {
                let picker = render::enemy_kinds_view(me.0);
                Ok(Response::Message(warned(app, me, picker).await?))
            }
        },
        Slash::BattleInfo => Ok(Response::Message(render::battle_info_view())),
        Slash::GroupBattle => {
            let enemy = options.required("enemy").map_err(bad)?.trim().to_string();
            open_lobby(app, inv, LobbyKind::GroupPve { enemy }, 0).await
        }
        Slash::GroupPvp => {
            let per_side = options
                .required_choice("size", TEAM_SIZE_VALUES)
                .map_err(bad)?;
            let stake = options.integer("stake").map_err(bad)?.unwrap_or(0);
            open_lobby(app, inv, LobbyKind::Team { per_side }, stake).await
        }
        Slash::FfaBattle => open_lobby(app, inv, LobbyKind::FreeForAll, 0).await,
        Slash::EnergonChallenge => {
            let stake = options.required_integer("amount").map_err(bad)?;
            open_lobby(app, inv, LobbyKind::FreeForAll, stake).await
        }
        Slash::Tournament => {
            let size = options
                .required_choice("size", TOURNAMENT_SIZE_VALUES)
                .map_err(bad)?;
            open_lobby(app, inv, LobbyKind::Tournament { size }, 0).await
        }
        Slash::Lobby => match app.read(move |w| view::lobby_of(w, me)).await? {
            Some(lobby) => Ok(Response::Message(render::lobby_view(&lobby))),
            None => Err(refuse("You're not waiting in a lobby.")),
        },
        Slash::Pvp => {
            let opponent = PlayerId(options.required_user("opponent").map_err(bad)?);
            let stake = options.integer("stake").map_err(bad)?.unwrap_or(0);
            let events = app
                .execute(
                    inv,
                    Command::Battle(BattleCommand::Challenge { opponent, stake }),
                )
                .await?;
            let challenge = events.iter().find_map(|e| match e {
                Event::Battle(BattleEvent::ChallengeIssued { challenge, .. }) => Some(*challenge),
                _ => None,
            });
            let now = app.engine.now();
            let challenge = app
                .read(move |w| {
                    let challenge = challenge.and_then(|c| view::challenge(w, c))?;
                    let rated = view::duel_would_be_rated(w, now, challenge.challenger, opponent);
                    Some((challenge, rated))
                })
                .await?;
            match challenge {
                Some((challenge, rated)) => {
                    let view = render::challenge_view(&challenge, rated);
                    Ok(Response::Message(warned(app, me, view).await?))
                }
                None => Err(refuse("The challenge could not be shown.")),
            }
        }
        Slash::Ranked => {
            let join = options
                .required_choice("action", QUEUE_ACTIONS)
                .map_err(bad)?;
            let command = if join {
                BattleCommand::QueueRanked
            } else {
                BattleCommand::LeaveQueue
            };
            let events = app.execute(inv, Command::Battle(command)).await?;
            if let Some((battle, players)) = view::started(&events).first() {
                // The one who was waiting hears about it through the ping.
                let reply = started_reply(app, *battle, "Ranked duel found", players).await?;
                return Ok(Response::Message(reply));
            }
            let text = if events
                .iter()
                .any(|e| matches!(e, Event::Battle(BattleEvent::Queued { .. })))
            {
                "You're in the ranked queue; a duel starts when someone near your rating joins."
            } else {
                "You left the ranked queue."
            };
            Ok(Response::Message(
                warned(app, me, Reply::refusal(text)).await?,
            ))
        }
        Slash::BattleStats => {
            let player = options.user("user").map_err(bad)?.map_or(me, PlayerId);
            let record = app.read(move |w| view::record(w, player)).await?;
            Ok(Response::Message(render::stats_view(
                player,
                &record.stats,
                record.rating,
            )))
        }
        Slash::MyBattle => my_battle(app, me).await,
        Slash::Ladder => {
            let ladder = app.read(|w| view::ladder(w, 10)).await?;
            let entries: Vec<(PlayerId, u64)> = ladder
                .iter()
                .map(|(player, elo)| (*player, u64::from(*elo)))
                .collect();
            Ok(Response::Message(render::ladder_view(&entries)))
        }
        Slash::Spectate => {
            let player = PlayerId(options.required_user("user").map_err(bad)?);
            match app.read(move |w| view::battle_of(w, player)).await? {
                Some(battle) => battle_reply(app, battle).await.map(Response::Message),
                None => Err(refuse(format!("<@{player}> isn't in a battle right now."))),
            }
        }
    }
}

pub async fn press(app: &App, inv: &Invocation, press: Press, values: &[String]) -> Handled {
    match press {
        Press::Act {
            battle,
            turn,
            action,
        } => act(app, inv, battle, turn, action).await,
        Press::ActPick { battle, turn } => {
            let Some(action) = values.first().and_then(|value| ids::parse_move(value)) else {
                return Err(refuse("Pick a move from the list."));
            };
            act(app, inv, battle, turn, action).await
        }
        Press::Moves { battle, update } => {
            let picker = move_picker(app, inv.player(), battle).await?;
            Ok(if update {
                Response::Update(picker)
            } else {
                Response::Message(picker)
            })
        }
        Press::Surrender { battle } => {
            let result = app
                .try_execute(inv, Command::Battle(BattleCommand::Surrender { battle }))
                .await;
            after_battle_press(app, battle, result).await
        }
        Press::Watch { battle } => battle_reply(app, battle).await.map(Response::Update),
        Press::Open { battle } => battle_reply(app, battle).await.map(Response::Message),
        Press::Lobby { verb, lobby } => lobby_press(app, inv, verb, lobby).await,
        Press::Challenge { answer, challenge } => {
            let command = match answer {
                Answer::Accept => BattleCommand::AcceptChallenge { challenge },
                Answer::Decline => BattleCommand::DeclineChallenge { challenge },
            };
            let events = app.execute(inv, Command::Battle(command)).await?;
            match view::started(&events).first() {
                Some((battle, players)) => {
                    let reply = started_reply(app, *battle, "Challenge accepted", players).await?;
                    Ok(Response::Update(reply))
                }
                None => Ok(Response::Update(Reply::text("The challenge was declined."))),
            }
        }
        Press::PickKindRarity { owner } => {
            let picked = values.first().and_then(|value| value.split_once(':'));
            let Some((kind, rarity)) = picked else {
                return Err(refuse("Pick a kind and rarity from the list."));
            };
            let (kind, rarity) = (kind.to_string(), rarity.to_string());
            let ids: Vec<String> = allspark_engine::content::get()
                .enemies
                .values()
                .filter(|e| e.kind.label() == kind && e.rarity.label() == rarity)
                .map(|e| e.id.clone())
                .collect();
            let (now, player) = (app.engine.now(), inv.player());
            let faced = app
                .read(move |w| {
                    ids.into_iter()
                        .filter_map(|id| {
                            let hp = view::enemy_as_faced(w, now, player, &id)?.hp;
                            Some((id, hp))
                        })
                        .collect::<std::collections::BTreeMap<String, u32>>()
                })
                .await?;
            Ok(Response::Update(render::enemy_list_view(
                owner, &kind, &rarity, &faced,
            )))
        }
        Press::PickEnemy { .. } => {
            let Some(enemy) = values.first() else {
                return Err(refuse("Pick an enemy from the list."));
            };
            start_solo(app, inv, enemy.clone()).await
        }
    }
}

pub async fn form(
    _app: &App,
    _inv: &Invocation,
    _press: Press,
    _fields: &BTreeMap<String, String>,
) -> Handled {
    Err(refuse("This form has expired; run the command again."))
}

/// Suggestions for `enemy:` options: enemies whose name or id matches.
pub async fn autocomplete(
    _app: &App,
    _inv: &Invocation,
    slash: Slash,
    option: &str,
    partial: &str,
) -> Vec<Choice> {
    if !(matches!(slash, Slash::Battle | Slash::GroupBattle) && option == "enemy") {
        return Vec::new();
    }
    let partial = partial.to_lowercase();
    allspark_engine::content::get()
        .enemies
        .values()
        .filter(|e| e.name.to_lowercase().contains(&partial) || e.id.contains(&partial))
        .take(25)
        .map(|e| Choice {
            name: truncate(
                &format!(
                    "{} ({} {}, level {})",
                    e.name,
                    e.rarity.label(),
                    e.kind.label(),
                    e.recommended_level
                ),
                100,
            ),
            value: e.id.clone(),
        })
        .collect()
}

async fn lobby_press(app: &App, inv: &Invocation, verb: LobbyVerb, lobby: LobbyId) -> Handled {
    let command = match verb {
        LobbyVerb::Join => BattleCommand::JoinLobby { lobby, side: None },
        LobbyVerb::JoinSide(side) => BattleCommand::JoinLobby {
            lobby,
            side: Some(side),
        },
        LobbyVerb::Ready => BattleCommand::SetReady { lobby, ready: true },
        LobbyVerb::Unready => BattleCommand::SetReady {
            lobby,
            ready: false,
        },
        LobbyVerb::Leave => BattleCommand::LeaveLobby { lobby },
        LobbyVerb::Start => BattleCommand::StartLobby { lobby },
        LobbyVerb::Cancel => BattleCommand::CancelLobby { lobby },
    };
    let events = app.execute(inv, Command::Battle(command)).await?;
    match view::started(&events).as_slice() {
        [] => {}
        [(battle, players)] => {
            let reply = started_reply(app, *battle, "The battle has begun", players).await?;
            return Ok(Response::Update(reply));
        }
        // A tournament's first round: every match, each with its own view.
        matches => {
            return Ok(Response::Update(render::with_matches(
                Reply::default(),
                "The tournament has begun",
                matches,
            )))
        }
    }
    match app.read(move |w| view::lobby(w, lobby)).await? {
        Some(state) => Ok(Response::Update(render::lobby_view(&state))),
        None => Ok(Response::Update(outcome_summary("Lobby closed", &events))),
    }
}

async fn my_battle(app: &App, me: PlayerId) -> Handled {
    let now = app.engine.now();
    match app.read(move |w| view::activity(w, me)).await? {
        Activity::Fighting(battle) => battle_reply(app, battle).await.map(Response::Message),
        Activity::Tournament { round, alive, open } => {
            let text = format!(
                "You're through to round {round} of the tournament ({} players left). \
                 Your next match starts when this round's last match ends.",
                alive.len()
            );
            Ok(Response::Message(Reply {
                ephemeral: true,
                ..render::with_matches(Reply::text(text), "Matches still being fought", &open)
            }))
        }
        Activity::Queued { since } => Ok(Response::Message(Reply::refusal(format!(
            "You're in the ranked queue (you joined {}); right now you'd be matched \
             with someone within {} rating points. You'll be pinged when a duel starts.",
            crate::view::when(since),
            allspark_engine::battle::queue_window(since, now)
        )))),
        Activity::Lobby(lobby) => Ok(Response::Message(render::lobby_view(&lobby))),
        Activity::Nothing => Err(refuse(
            "You're not in a battle, a lobby, the ranked queue or a tournament. \
             Start one with /battle, /pvp or /ranked.",
        )),
    }
}

async fn start_solo(app: &App, inv: &Invocation, enemy: String) -> Handled {
    let events = app
        .execute(inv, Command::Battle(BattleCommand::StartSolo { enemy }))
        .await?;
    match view::started(&events).first() {
        Some((battle, _)) => battle_reply(app, *battle).await.map(Response::Message),
        None => Err(refuse("The battle could not start.")),
    }
}

async fn open_lobby(app: &App, inv: &Invocation, kind: LobbyKind, stake: i64) -> Handled {
    let events = app
        .execute(
            inv,
            Command::Battle(BattleCommand::OpenLobby { kind, stake }),
        )
        .await?;
    let lobby = events.iter().find_map(|e| match e {
        Event::Battle(BattleEvent::LobbyOpened { lobby, .. }) => Some(*lobby),
        _ => None,
    });
    let lobby = app
        .read(move |w| lobby.and_then(|l| view::lobby(w, l)))
        .await?;
    match lobby {
        Some(lobby) => {
            let view = render::lobby_view(&lobby);
            Ok(Response::Message(warned(app, inv.player(), view).await?))
        }
        None => Err(refuse("The lobby could not be opened.")),
    }
}

/// `reply` with a warning above it when the player's pet is about to fight on little health
/// (issue 13: a pet at 2 HP went into battles without a word).
async fn warned(app: &App, player: PlayerId, mut reply: Reply) -> Result<Reply, Response> {
    let now = app.engine.now();
    let low = app
        .read(move |w| pets::view::low_health(w, player, now))
        .await?;
    if let Some((hp, hp_max)) = low {
        let warning = render::low_health_warning(player, hp, hp_max);
        reply.content = Some(match reply.content.take() {
            Some(text) => truncate(&format!("{warning}\n{text}"), 2_000),
            None => warning,
        });
    }
    Ok(reply)
}

/// After a battle press: the refreshed view for everyone, or a refusal only the presser
/// sees (a stale button also gets the current view, so they can act again).
async fn act(app: &App, inv: &Invocation, battle: BattleId, turn: u32, action: Action) -> Handled {
    let command = Command::Battle(BattleCommand::Act {
        battle,
        turn,
        action,
    });
    let result = app.try_execute(inv, command).await;
    if result.is_ok() {
        // A move pressed in a private picker redraws the picker (the shared message follows
        // live); a move on the shared message redraws that. The battle is read once for both.
        let (card, named, aftermath) = load_card(app, battle).await?;
        let view = if !card.is_over() && !card.moves_are_shared() {
            picker_of(app, inv.player(), &card, &named).await?
        } else {
            loaded_reply(app, &card, &named, &aftermath).await?
        };
        return Ok(Response::Update(view));
    }
    after_battle_press(app, battle, result).await
}

async fn after_battle_press(
    app: &App,
    battle: BattleId,
    result: Result<Vec<Event>, Refused>,
) -> Handled {
    let refused = match result {
        Ok(_) => return battle_reply(app, battle).await.map(Response::Update),
        Err(refused) => refused,
    };
    let stale = matches!(
        refused.rejection,
        Some(Rejection::Battle(BattleRejection::StaleTurn { .. }))
    );
    if !stale {
        return Err(refused.answer);
    }
    match battle_reply(app, battle).await {
        Ok(mut view) => {
            view.content = refused.answer.reply().and_then(|r| r.content.clone());
            view.ephemeral = true;
            Err(Response::Message(view))
        }
        Err(_) => Err(refused.answer),
    }
}

/// The battle's current view (or its final one), drawn from the engine's card of it.
pub(crate) async fn battle_reply(app: &App, battle: BattleId) -> Result<Reply, Response> {
    battle_reply_and_matchup(app, battle)
        .await
        .map(|(reply, _)| reply)
}

/// A just-started battle's view with the line that announces it: who fights whom, by side.
async fn started_reply(
    app: &App,
    battle: BattleId,
    opening: &str,
    players: &[PlayerId],
) -> Result<Reply, Response> {
    let (reply, matchup) = battle_reply_and_matchup(app, battle).await?;
    Ok(render::announce(
        reply,
        format!("{opening}: {matchup}"),
        players,
    ))
}

/// [`battle_reply`], and who fights whom ([`render::matchup`]).
async fn battle_reply_and_matchup(
    app: &App,
    battle: BattleId,
) -> Result<(Reply, String), Response> {
    let (card, named, aftermath) = load_card(app, battle).await?;
    let matchup = render::matchup(&card, &named);
    let reply = loaded_reply(app, &card, &named, &aftermath).await?;
    Ok((reply, matchup))
}

/// The view of a loaded card: the battle, and once it is over its verdict and what it led to.
async fn loaded_reply(
    app: &App,
    card: &Card,
    named: &[(PlayerId, String)],
    aftermath: &[Event],
) -> Result<Reply, Response> {
    let battle = card.id;
    let mut reply = app.with_link(render::battle_view(card, named), "Watch", |base| {
        crate::web::battle_url(base, battle)
    });
    if card.is_over() {
        if card.end.is_some() {
            reply.content = Some(render::verdict(card, named));
            let results = view::battle_results(aftermath, card.id, &card.players());
            reply = render::with_results(reply, &results);
        }
        if let BattleMode::Tournament { tournament, round } = card.mode {
            let drawn = card.end == Some(allspark_engine::battle::sim::SimOutcome::Draw);
            reply = tournament_aftermath(app, reply, card.id, drawn, tournament, round).await?;
        }
    }
    Ok(reply)
}

/// A battle's card with its fighters' display names, and the events of the command that ended
/// it (empty while it runs).
async fn load_card(
    app: &App,
    battle: BattleId,
) -> Result<(Card, Vec<(PlayerId, String)>, Vec<Event>), Response> {
    let (open, history, aftermath) = load_history(app, battle).await?;
    let Some(card) = view::card(open, &history) else {
        return Err(refuse("That battle is gone."));
    };
    let named = pet_names(app, &card).await?;
    Ok((card, named, aftermath))
}

/// Each fighting player's name for a card's labels: their pet's, or in an adventure's battle
/// their character's.
pub(crate) async fn pet_names(app: &App, card: &Card) -> Result<Vec<(PlayerId, String)>, Response> {
    match card.mode {
        allspark_engine::battle::BattleMode::Adventure { adventure, .. } => {
            return crate::rpg::fighter_names(app, adventure).await
        }
        allspark_engine::battle::BattleMode::MegaFight {
            challenger,
            defender,
        } => return crate::fun::giant_names(app, card, [challenger, defender]).await,
        _ => {}
    }
    pet_names_of(app, card.players()).await
}

/// Each player's pet name (the one they chose, or the generated one).
pub(crate) async fn pet_names_of(
    app: &App,
    players: Vec<PlayerId>,
) -> Result<Vec<(PlayerId, String)>, Response> {
    let generated = app
        .read(move |w| pets::view::generated_names(w, &players))
        .await?;
    Ok(generated
        .into_iter()
        .map(|(player, name, custom)| (player, app.pet_name(player, &name, custom)))
        .collect())
}

/// A battle in a player's history: its card as it stood after `turn` resolved turns (0: as
/// it started; clamped to the last), how many turns were resolved, and the pet names. The
/// card of a past turn has no deadline, so its view carries no action buttons, and no view
/// shows a seed.
pub(crate) async fn card_at_turn(
    app: &App,
    battle: BattleId,
    turn: usize,
) -> Result<(Card, Vec<(PlayerId, String)>, usize, usize), Response> {
    let (_, history, _) = load_history(app, battle).await?;
    let Some((card, turn, n_turns)) = view::card_after(&history, turn) else {
        return Err(refuse(
            "That battle's history doesn't replay; it can't be shown.",
        ));
    };
    let named = pet_names(app, &card).await?;
    Ok((card, named, turn, n_turns))
}

/// A battle's state (if open), its history as of one durable point, and what its end led to.
async fn load_history(
    app: &App,
    battle: BattleId,
) -> Result<
    (
        Option<allspark_engine::battle::Battle>,
        Vec<BattleEvent>,
        Vec<Event>,
    ),
    Response,
> {
    // The state and the history as of one durable point: the log may already hold a batch
    // that is still being flushed.
    let (durable, open) = app
        .read(move |w| (w.last_seq, view::open_battle(w, battle)))
        .await?;
    // Reading and decoding the whole stream blocks on sled: on the blocking pool, not on a
    // runtime worker that other interactions are waiting for.
    let log = app.engine.log().clone();
    let read = tokio::task::spawn_blocking(move || {
        let events = log.read_stream(&battle.stream(), 1, usize::MAX)?;
        let events: Vec<_> = events
            .into_iter()
            .take_while(|e| e.seq <= durable)
            .collect();
        // The events of the command that ended the battle: what the end led to (rewards,
        // loot, the pot, ratings), on the players' streams right after `Ended`.
        let ending = events
            .iter()
            .find(|e| matches!(e.event, Event::Battle(BattleEvent::Ended { .. })))
            .map(|e| (e.seq, e.command_id));
        let aftermath: Vec<Event> = match ending {
            Some((seq, command)) => log
                .read_all(seq, 256)?
                .into_iter()
                .take_while(|e| e.seq <= durable && e.command_id == command)
                .map(|e| e.event)
                .collect(),
            None => Vec::new(),
        };
        let history: Vec<BattleEvent> = events
            .into_iter()
            .filter_map(|e| match e.event {
                Event::Battle(event) => Some(event),
                _ => None,
            })
            .collect();
        Ok::<_, allspark_engine::log::LogError>((history, aftermath))
    })
    .await;
    let (history, aftermath) = match read {
        Ok(Ok(history)) => history,
        Ok(Err(error)) => return Err(engine_trouble(&error.into())),
        Err(joined) => {
            return Err(engine_trouble(&allspark_engine::EngineError::ReadPanicked(
                joined.to_string(),
            )))
        }
    };
    Ok((open, history, aftermath))
}

/// A battle's card now and its pet names, for a history's list.
pub(crate) async fn summary(
    app: &App,
    battle: BattleId,
) -> Result<(Card, Vec<(PlayerId, String)>), Response> {
    let (card, named, _) = load_card(app, battle).await?;
    Ok((card, named))
}

/// The presser's own move picker, or the final view once the battle is over.
async fn move_picker(app: &App, me: PlayerId, battle: BattleId) -> Result<Reply, Response> {
    let (card, named, _) = load_card(app, battle).await?;
    picker_of(app, me, &card, &named).await
}

async fn picker_of(
    app: &App,
    me: PlayerId,
    card: &Card,
    named: &[(PlayerId, String)],
) -> Result<Reply, Response> {
    let battle = card.id;
    if card.is_over() {
        return battle_reply(app, battle).await;
    }
    let Some(seat) = card.seat_of(me) else {
        return Err(refuse(
            "You aren't fighting in this battle; Refresh on its message shows how it goes.",
        ));
    };
    Ok(render::move_picker(card, seat, named))
}

/// What a finished tournament match led to, added after its verdict on its final view (so a
/// press, a refresh and a live update all show it, in order: the match's result first): who
/// advances after a draw (the coin's pick), the next round's matches once the round is over,
/// the champion once the final is, or that the tournament was called off.
async fn tournament_aftermath(
    app: &App,
    mut reply: Reply,
    battle: BattleId,
    drawn: bool,
    tournament: LobbyId,
    round: u8,
) -> Result<Reply, Response> {
    let progress = app
        .read(move |w| view::tournament_progress(w, tournament, round))
        .await?;
    // The lobby's whole stream, read on the blocking pool like a battle's.
    let log = app.engine.log().clone();
    let read = tokio::task::spawn_blocking(move || {
        allspark_engine::StreamId::new(format!("lobby/{tournament}"))
            .map(|stream| log.read_stream(&stream, 1, usize::MAX))
            .transpose()
    })
    .await;
    let events = match read {
        Ok(Ok(events)) => events.unwrap_or_default(),
        Ok(Err(error)) => return Err(engine_trouble(&error.into())),
        Err(joined) => {
            return Err(engine_trouble(&allspark_engine::EngineError::ReadPanicked(
                joined.to_string(),
            )))
        }
    };
    let record = view::tournament_record(events.iter().map(|e| &e.event), battle);
    let mut lines: Vec<String> = reply.content.take().into_iter().collect();
    if let (true, Some(winner)) = (drawn, record.match_winner) {
        lines.push(format!(
            "A drawn tournament match is settled by a coin toss: <@{winner}> goes through."
        ));
    }
    let verdict = lines.join("\n");
    reply.content = (!verdict.is_empty()).then_some(verdict);
    if !progress.next.is_empty() {
        return Ok(after(reply, |r| {
            render::with_matches(r, "The next round has begun", &progress.next)
        }));
    }
    if progress.running {
        return Ok(reply);
    }
    Ok(match (record.champion, record.cancelled_round) {
        (Some(winner), _) => after(reply, |r| {
            render::announce(r, format!("🏆 <@{winner}> wins the tournament!"), &[winner])
        }),
        (None, Some(round)) => after(reply, |r| {
            render::announce(
                r,
                format!(
                    "The tournament is called off: round {round} could not start because a \
                     player in it has no pet. Everyone in it is free to play again."
                ),
                &[],
            )
        }),
        (None, None) => reply,
    })
}

/// `add` puts its lines before a reply's content; this keeps the content (the match's verdict)
/// first, so what a match led to reads after the match.
fn after(mut reply: Reply, add: impl FnOnce(Reply) -> Reply) -> Reply {
    let verdict = reply.content.take();
    let mut added = add(reply);
    if let Some(verdict) = verdict {
        added.content = Some(match added.content.take() {
            Some(line) => crate::view::truncate(&format!("{verdict}\n{line}"), 2_000),
            None => verdict,
        });
    }
    added
}

/// The battle a response shows, if it is a live battle view (found from its Refresh button):
/// the transports hand such messages to `live` to keep them fresh.
pub fn shown_battle(response: &Response) -> Option<BattleId> {
    let reply = response.reply()?;
    reply.rows.iter().find_map(|row| match row {
        crate::reply::Row::Buttons(buttons) => {
            buttons.iter().find_map(
                |button| match crate::areas::Press::decode(&button.custom_id) {
                    Some(crate::areas::Press::Battle(Press::Watch { battle })) => Some(battle),
                    _ => None,
                },
            )
        }
        crate::reply::Row::Select(_)
        | crate::reply::Row::Users(_)
        | crate::reply::Row::Links(_) => None,
    })
}
