//! One dispatch for every transport: an [`Invocation`] becomes engine commands and reads, and
//! the result becomes a [`Response`]. Nothing here keeps game state; every answer is read from
//! the engine after the command is durable.

use allspark_engine::battle::sim::{Action, Hit};
use allspark_engine::battle::{BattleCommand, BattleEvent, BattleId, LobbyKind};
use allspark_engine::energon::{EnergonCommand, Period};
use allspark_engine::history::ledger_page_until;
use allspark_engine::personal::KEY_PET_NAME;
use allspark_engine::pets::content::{ItemId, Slot};
use allspark_engine::pets::{
    CareAction, CareLevel, Faction, Intensity, MissionDifficulty, PetCommand,
};
use allspark_engine::player::{self, PlayerCommand, PlayerEvent};
use allspark_engine::slots::{Difficulty, SlotsCommand};
use allspark_engine::{Actor, Command, CommandId, Engine, Event, Outcome, PlayerId, World};

use crate::custom_id::{Press, CLEAR_MAX_PLAYERS};
use crate::invocation::{Invocation, InvocationError, Kind, Options};
use crate::render;
use crate::reply::{Choice, Modal, Reply, Response};

/// Minutes a paginated or personal view stays usable.
pub const VIEW_TTL_MINUTES: i64 = 15;

/// The adapter's handle on the game: the engine, nothing else.
#[derive(Clone)]
pub struct App {
    pub engine: Engine,
}

/// A refusal short-circuits a handler.
type Handled = Result<Response, Response>;

fn refuse(text: impl Into<String>) -> Response {
    Response::Message(Reply::refusal(text))
}

fn engine_trouble(error: &allspark_engine::EngineError) -> Response {
    tracing::error!(%error, "engine error");
    refuse("The AllSpark is having trouble right now; nothing was changed. Try again in a moment.")
}

impl App {
    pub fn new(engine: Engine) -> App {
        App { engine }
    }

    /// Runs one invocation to its response. Never panics on input.
    pub async fn handle(&self, invocation: Invocation) -> Response {
        let result = match &invocation.kind {
            Kind::Slash { name, options } => {
                self.slash(
                    &invocation,
                    name,
                    &Options {
                        command: name,
                        values: options,
                    },
                )
                .await
            }
            Kind::Press { custom_id, values } => self.press(&invocation, custom_id, values).await,
            Kind::Form { custom_id, fields } => self.form(&invocation, custom_id, fields).await,
            Kind::Autocomplete {
                name,
                option,
                partial,
            } => Ok(self.autocomplete(&invocation, name, option, partial).await),
        };
        result.unwrap_or_else(|refusal| refusal)
    }

    async fn execute_as(
        &self,
        id: CommandId,
        actor: Actor,
        command: Command,
    ) -> Result<Vec<Event>, Response> {
        let envelope = self.engine.envelope(id, actor, command);
        match self.engine.execute(envelope).await {
            Ok(reply) => match reply.outcome {
                Outcome::Accepted(events) => Ok(events.into_iter().map(|e| e.event).collect()),
                Outcome::Rejected(rejection) => Err(refuse(rejection.to_string())),
                Outcome::RejectedEarlier => Err(refuse("That was already refused earlier.")),
            },
            Err(error) => Err(engine_trouble(&error)),
        }
    }

    async fn execute(
        &self,
        invocation: &Invocation,
        command: Command,
    ) -> Result<Vec<Event>, Response> {
        self.execute_as(invocation.id, invocation.actor(), command)
            .await
    }

    async fn read<R: Send + 'static>(
        &self,
        read: impl FnOnce(&World) -> R + Send + 'static,
    ) -> Result<R, Response> {
        self.engine
            .query(read)
            .await
            .map_err(|error| engine_trouble(&error))
    }

    /// A pet's display name: the one its owner chose, or its generated one.
    fn pet_name(&self, player: PlayerId, generated: &str) -> String {
        match self.engine.personal_text(player, KEY_PET_NAME) {
            Ok(Some(name)) => name,
            _ => generated.to_string(),
        }
    }

    async fn dashboard(&self, player: PlayerId) -> Handled {
        let now = self.engine.now();
        let pet = self
            .read(move |w| w.pets.get(player).map(|p| p.decayed(now)))
            .await?;
        let Some(pet) = pet else {
            return Err(refuse("You don't have a pet yet; adopt one with /get_pet."));
        };
        let name = self.pet_name(player, pet.generated_name());
        Ok(Response::Message(render::pet_dashboard(
            player.0, &pet, &name, now,
        )))
    }

    async fn slash(&self, inv: &Invocation, name: &str, options: &Options<'_>) -> Handled {
        let bad = |error: InvocationError| refuse(error.to_string());
        let me = inv.player();
        match name {
            "help" => Ok(Response::Message(render::help_view())),
            "features" => Ok(Response::Message(render::features_view())),
            "battle_info" => Ok(Response::Message(render::battle_info_view())),
            "get_pet" => {
                let faction = match options
                    .required_word("faction", &["autobot", "decepticon"])
                    .map_err(bad)?
                {
                    "autobot" => Faction::Autobot,
                    _ => Faction::Decepticon,
                };
                self.execute(inv, Command::Pet(PetCommand::Adopt { faction }))
                    .await?;
                self.dashboard(me).await
            }
            "pet" => self.dashboard(me).await,
            "rename_pet" => {
                let name = options.required("name").map_err(bad)?.to_string();
                self.execute(inv, Command::Pet(PetCommand::Rename { name }))
                    .await?;
                self.dashboard(me).await
            }
            "kill" => {
                let events = self
                    .execute(inv, Command::Pet(PetCommand::RequestRelease))
                    .await?;
                let token = events.iter().find_map(|e| match e {
                    Event::Pet(allspark_engine::pets::PetEvent::ReleaseRequested {
                        token, ..
                    }) => Some(*token),
                    _ => None,
                });
                Ok(Response::Message(render::release_confirmation(
                    me.0,
                    token.unwrap_or_default(),
                )))
            }
            "charge_pet" | "repair_pet" | "play" => {
                let action = match name {
                    "charge_pet" => CareAction::Charge,
                    "repair_pet" => CareAction::Repair,
                    _ => CareAction::Play,
                };
                let level = match options
                    .required_word("duration", &["quick", "standard", "full"])
                    .map_err(bad)?
                {
                    "quick" => CareLevel::Quick,
                    "standard" => CareLevel::Standard,
                    _ => CareLevel::Full,
                };
                let events = self
                    .execute(inv, Command::Pet(PetCommand::Care { action, level }))
                    .await?;
                Ok(Response::Message(render::outcome_summary(
                    "Pet care", &events,
                )))
            }
            "train" => {
                let intensity = intensity(
                    options
                        .required_word("intensity", &["average", "intense", "godmode"])
                        .map_err(bad)?,
                );
                let events = self
                    .execute(inv, Command::Pet(PetCommand::Train { intensity }))
                    .await?;
                Ok(Response::Message(render::outcome_summary(
                    "Training", &events,
                )))
            }
            "mission" => {
                let difficulty = mission(
                    options
                        .required_word("difficulty", &["easy", "average", "hard"])
                        .map_err(bad)?,
                );
                let events = self
                    .execute(inv, Command::Pet(PetCommand::Mission { difficulty }))
                    .await?;
                Ok(Response::Message(render::outcome_summary(
                    "Mission report",
                    &events,
                )))
            }
            "pet_unequip" => {
                let slot = equipment_slot(options).map_err(bad)?;
                let events = self
                    .execute(inv, Command::Pet(PetCommand::Unequip { slot }))
                    .await?;
                Ok(Response::Message(render::outcome_summary(
                    "Equipment",
                    &events,
                )))
            }
            "pet_equip" => {
                let slot = equipment_slot(options).map_err(bad)?;
                match options.get("item") {
                    Some(item) => {
                        let item = ItemId(item.trim().to_string());
                        let events = self
                            .execute(inv, Command::Pet(PetCommand::Equip { slot, item }))
                            .await?;
                        Ok(Response::Message(render::outcome_summary(
                            "Equipment",
                            &events,
                        )))
                    }
                    None => {
                        let pet = self.read(move |w| w.pets.get(me).cloned()).await?;
                        let Some(pet) = pet else {
                            return Err(refuse(
                                "You don't have a pet yet; adopt one with /get_pet.",
                            ));
                        };
                        Ok(Response::Message(render::equip_picker(me.0, &pet, slot)))
                    }
                }
            }
            "pet_equipment" => {
                let page = options.integer("page").map_err(bad)?.unwrap_or(1).max(1) as usize - 1;
                self.equipment(me, page).await.map(Response::Message)
            }
            "battle" => match options.get("enemy") {
                Some(enemy) => self.start_solo(inv, enemy.trim().to_string()).await,
                None => Ok(Response::Message(render::enemy_kinds_view(me.0))),
            },
            "group_battle" => {
                let enemy = options.required("enemy").map_err(bad)?.trim().to_string();
                self.open_lobby(inv, LobbyKind::GroupPve { enemy }, 0).await
            }
            "group_pvp" => {
                let per_side: u8 = options
                    .required_word("size", &["2", "3", "4"])
                    .map_err(bad)?
                    .parse()
                    .unwrap_or(2);
                let stake = options.integer("stake").map_err(bad)?.unwrap_or(0);
                self.open_lobby(inv, LobbyKind::Team { per_side }, stake)
                    .await
            }
            "ffa_battle" => self.open_lobby(inv, LobbyKind::FreeForAll, 0).await,
            "energon_challenge" => {
                let stake = options.required_integer("amount").map_err(bad)?;
                self.open_lobby(inv, LobbyKind::FreeForAll, stake).await
            }
            "tournament" => {
                let size: u8 = options
                    .required_word("size", &["4", "8"])
                    .map_err(bad)?
                    .parse()
                    .unwrap_or(4);
                self.open_lobby(inv, LobbyKind::Tournament { size }, 0)
                    .await
            }
            "lobby" => {
                let lobby = self
                    .read(move |w| {
                        w.battles
                            .in_lobby
                            .get(&me)
                            .and_then(|id| w.battles.lobbies.get(id))
                            .cloned()
                    })
                    .await?;
                match lobby {
                    Some(lobby) => Ok(Response::Message(render::lobby_view(&lobby))),
                    None => Err(refuse("You're not waiting in a lobby.")),
                }
            }
            "pvp" => {
                let opponent = PlayerId(options.required_user("opponent").map_err(bad)?);
                let stake = options.integer("stake").map_err(bad)?.unwrap_or(0);
                let events = self
                    .execute(
                        inv,
                        Command::Battle(BattleCommand::Challenge { opponent, stake }),
                    )
                    .await?;
                let challenge = events.iter().find_map(|e| match e {
                    Event::Battle(BattleEvent::ChallengeIssued { challenge, .. }) => {
                        Some(*challenge)
                    }
                    _ => None,
                });
                let challenge = self
                    .read(move |w| challenge.and_then(|c| w.battles.challenges.get(&c).cloned()))
                    .await?;
                match challenge {
                    Some(challenge) => Ok(Response::Message(render::challenge_view(&challenge))),
                    None => Err(refuse("The challenge could not be shown.")),
                }
            }
            "ranked" => {
                let command = match options
                    .required_word("action", &["join", "leave"])
                    .map_err(bad)?
                {
                    "join" => BattleCommand::QueueRanked,
                    _ => BattleCommand::LeaveQueue,
                };
                let events = self.execute(inv, Command::Battle(command)).await?;
                if let Some((battle, players)) = started_battles(&events).first() {
                    // The one who was waiting hears about it through the ping.
                    let view = self.battle_reply(*battle).await?;
                    return Ok(Response::Message(render::announce(
                        view,
                        format!("Ranked duel found: {}", render::pairing(players)),
                        players,
                    )));
                }
                let text = if events
                    .iter()
                    .any(|e| matches!(e, Event::Battle(BattleEvent::Queued { .. })))
                {
                    "You're in the ranked queue; a duel starts when someone near your rating joins."
                } else {
                    "You left the ranked queue."
                };
                Ok(Response::Message(Reply::refusal(text)))
            }
            "battle_stats" => {
                let player = options.user("user").map_err(bad)?.map_or(me, PlayerId);
                let (stats, rating) = self
                    .read(move |w| {
                        (
                            w.battles.stats.get(&player).cloned().unwrap_or_default(),
                            w.battles.rating(player),
                        )
                    })
                    .await?;
                Ok(Response::Message(render::stats_view(
                    player, &stats, rating,
                )))
            }
            "my_battle" => {
                let now = self.engine.now();
                let status = self.read(move |w| my_battle(w, me)).await?;
                match status {
                    MyBattle::Fighting(battle) => {
                        self.battle_reply(battle).await.map(Response::Message)
                    }
                    MyBattle::Tournament { round, alive, open } => {
                        let text = format!(
                            "You're through to round {round} of the tournament ({} players left). \
                             Your next match starts when this round's last match ends.",
                            alive.len()
                        );
                        Ok(Response::Message(Reply {
                            ephemeral: true,
                            ..render::with_matches(
                                Reply::text(text),
                                "Matches still being fought",
                                &open,
                            )
                        }))
                    }
                    MyBattle::Queued { since } => Ok(Response::Message(Reply::refusal(format!(
                        "You're in the ranked queue (since {since}); right now you'd be matched \
                         with someone within {} rating points. You'll be pinged when a duel starts.",
                        allspark_engine::battle::queue_window(since, now)
                    )))),
                    MyBattle::Lobby(lobby) => Ok(Response::Message(render::lobby_view(&lobby))),
                    MyBattle::Nothing => Err(refuse(
                        "You're not in a battle, a lobby, the ranked queue or a tournament. \
                         Start one with /battle, /pvp or /ranked.",
                    )),
                }
            }
            "slots_stats" => {
                let player = options.user("user").map_err(bad)?.map_or(me, PlayerId);
                let stats = self.read(move |w| w.slots.stats(player).cloned()).await?;
                Ok(Response::Message(render::slot_stats_view(
                    player,
                    stats.as_ref(),
                )))
            }
            "ladder" => {
                let ladder = self.read(|w| w.battles.ladder(10)).await?;
                let entries: Vec<(PlayerId, u64)> =
                    ladder.iter().map(|(p, r)| (*p, u64::from(r.elo))).collect();
                Ok(Response::Message(render::ladder_view(&entries)))
            }
            "spectate" => {
                let player = PlayerId(options.required_user("user").map_err(bad)?);
                let battle = self
                    .read(move |w| w.battles.busy.get(&player).copied())
                    .await?;
                match battle {
                    Some(battle) => self.battle_reply(battle).await.map(Response::Message),
                    None => Err(refuse(format!("<@{player}> isn't in a battle right now."))),
                }
            }
            "scout" | "search" => {
                let command = if name == "scout" {
                    EnergonCommand::Scout
                } else {
                    EnergonCommand::Search
                };
                let events = self.execute(inv, Command::Energon(command)).await?;
                Ok(Response::Message(render::outcome_summary(
                    "Energon Rush",
                    &events,
                )))
            }
            "rush_info" => {
                let rush = self.read(|w| w.energon.rush.clone()).await?;
                Ok(Response::Message(render::rush_view(&rush, me)))
            }
            "bank" => {
                let action = options
                    .required_word("action", &["deposit", "withdraw", "balance"])
                    .map_err(bad)?;
                if action != "balance" {
                    let amount = options.required_integer("amount").map_err(bad)?;
                    let command = if action == "deposit" {
                        EnergonCommand::Deposit { amount }
                    } else {
                        EnergonCommand::Withdraw { amount }
                    };
                    self.execute(inv, Command::Energon(command)).await?;
                }
                let (wallet, bank) = self
                    .read(move |w| (w.energon.balance(me), w.energon.bank(me)))
                    .await?;
                Ok(Response::Message(Reply::embed(crate::reply::Embed {
                    title: Some("Your energon".into()),
                    description: Some(format!("Wallet: **{wallet}**\nBank: **{bank}**")),
                    color: Some(crate::reply::color::ENERGON),
                    ..Default::default()
                })))
            }
            "energon_history" => {
                let page = options.integer("page").map_err(bad)?.unwrap_or(1).max(1) as usize - 1;
                self.history(me, page).await.map(Response::Message)
            }
            "energon_stats" => {
                let board = options
                    .word("board", &["global", "daily", "weekly", "all_time"])
                    .map_err(bad)?
                    .unwrap_or("global");
                self.board(board).await.map(Response::Message)
            }
            "send" => {
                let to = PlayerId(options.required_user("to").map_err(bad)?);
                let amount = options.required_integer("amount").map_err(bad)?;
                let events = self
                    .execute(
                        inv,
                        Command::Energon(EnergonCommand::Transfer { to, amount }),
                    )
                    .await?;
                Ok(Response::Message(render::outcome_summary(
                    "Energon sent",
                    &events,
                )))
            }
            "slots" => {
                let difficulty = difficulty(
                    options
                        .required_word("difficulty", &["easy", "medium", "hard"])
                        .map_err(bad)?,
                );
                let bet = options.integer("bet").map_err(bad)?;
                self.spin(inv, difficulty, bet).await
            }
            "admin_clear" => {
                if !inv.operator {
                    return Err(refuse("Only the operator can do that."));
                }
                Ok(Response::Message(render::clear_picker()))
            }
            "grant" | "fine" => {
                if !inv.operator {
                    return Err(refuse("Only the operator can do that."));
                }
                let player = PlayerId(options.required_user("user").map_err(bad)?);
                let amount = options.required_integer("amount").map_err(bad)?;
                let command = if name == "grant" {
                    EnergonCommand::Credit { player, amount }
                } else {
                    EnergonCommand::Debit { player, amount }
                };
                let events = self
                    .execute_as(inv.id, Actor::System, Command::Energon(command))
                    .await?;
                Ok(Response::Message(render::outcome_summary(
                    "Operator", &events,
                )))
            }
            other => Err(refuse(
                InvocationError::UnknownCommand(other.to_string()).to_string(),
            )),
        }
    }

    /// Erasure, step two: what each picked player holds, or why they can't be erased now.
    async fn clear_preview(&self, values: &[String]) -> Result<Reply, Response> {
        let mut players: Vec<u64> = Vec::new();
        for value in values {
            match value.parse::<u64>() {
                Ok(id) if id > 0 => {
                    if !players.contains(&id) {
                        players.push(id);
                    }
                }
                _ => return Err(refuse(format!("`{value}` is not a user id."))),
            }
        }
        if players.is_empty() {
            return Err(refuse("Pick at least one player."));
        }
        if players.len() > CLEAR_MAX_PLAYERS {
            return Err(refuse(format!(
                "Pick at most {CLEAR_MAX_PLAYERS} players at a time."
            )));
        }
        let previews = self
            .read(move |w| {
                players
                    .iter()
                    .map(|&id| {
                        let player = PlayerId(id);
                        let blocked = if !w.players.contains(player) {
                            Some("not known here (never played, or already erased)".to_string())
                        } else {
                            player::engagement(w, player).map(|e| e.to_string())
                        };
                        render::ClearPreview {
                            player: id,
                            blocked,
                            wallet: w.energon.balance(player),
                            bank: w.energon.bank(player),
                            rush: w.energon.rush.balance(player),
                            pet_level: w.pets.get(player).map(|pet| pet.level),
                        }
                    })
                    .collect::<Vec<_>>()
            })
            .await?;
        Ok(render::clear_confirm(&previews))
    }

    /// Erasure, step three: one `Erase` per player, with per-player results. Each command id is
    /// derived from the press and the player, so a redelivered press erases nobody twice and
    /// answers the same.
    async fn clear(&self, inv: &Invocation, players: &[u64]) -> Result<Reply, Response> {
        let mut results = Vec::with_capacity(players.len());
        for &id in players {
            let player = PlayerId(id);
            let command_id = crate::worker::derived_id("erase", &[inv.id.0, u128::from(id)]);
            let envelope = self.engine.envelope(
                command_id,
                Actor::System,
                Command::Player(PlayerCommand::Erase { player }),
            );
            let result = match self.engine.execute(envelope).await {
                Ok(reply) => match reply.outcome {
                    Outcome::Accepted(events) => Ok(events
                        .iter()
                        .find_map(|e| match &e.event {
                            Event::Player(PlayerEvent::Erased {
                                wallet, bank, rush, ..
                            }) => Some(u128::from(*wallet) + u128::from(*bank) + u128::from(*rush)),
                            _ => None,
                        })
                        .unwrap_or(0)),
                    Outcome::Rejected(rejection) => Err(rejection.to_string()),
                    Outcome::RejectedEarlier => Err("refused earlier".to_string()),
                },
                Err(error) => return Err(engine_trouble(&error)),
            };
            tracing::info!(player = id, erased = result.is_ok(), "operator erasure");
            results.push((id, result));
        }
        Ok(render::clear_results(&results))
    }

    async fn equipment(&self, player: PlayerId, page: usize) -> Result<Reply, Response> {
        let now = self.engine.now();
        let pet = self
            .read(move |w| w.pets.get(player).map(|p| p.decayed(now)))
            .await?;
        let Some(pet) = pet else {
            return Err(refuse("You don't have a pet yet; adopt one with /get_pet."));
        };
        let name = self.pet_name(player, pet.generated_name());
        Ok(render::equipment_view(player.0, &pet, &name, page, now))
    }

    async fn history(&self, player: PlayerId, page: usize) -> Result<Reply, Response> {
        // Only what is durable: the log may already hold a batch that is still being flushed.
        let durable = self.read(|w| w.last_seq).await?;
        match ledger_page_until(self.engine.log().as_ref(), player, page, durable) {
            Ok(page) => Ok(render::history_view(player.0, &page)),
            Err(error) => Err(engine_trouble(&error.into())),
        }
    }

    async fn board(&self, board: &str) -> Result<Reply, Response> {
        let now = self.engine.now();
        match render::period_of(board) {
            Some(period) => {
                let entries = self
                    .read(move |w| w.energon.leaderboards.top_earners(period, now, 10))
                    .await?;
                let title = match period {
                    Period::Daily => "Top earners today",
                    Period::Weekly => "Top earners this week",
                    Period::AllTime => "Top earners of all time",
                };
                Ok(render::board_view(title, &entries, "earned"))
            }
            None => {
                let entries = self.read(|w| w.energon.richest(10)).await?;
                Ok(render::board_view("Richest players", &entries, "energon"))
            }
        }
    }

    async fn spin(&self, inv: &Invocation, difficulty: Difficulty, bet: Option<i64>) -> Handled {
        let events = self
            .execute(inv, Command::Slots(SlotsCommand::Spin { difficulty, bet }))
            .await?;
        let Some(Event::Slots(spun)) = events
            .iter()
            .find(|e| matches!(e, Event::Slots(_)))
            .cloned()
        else {
            return Err(refuse("The machine jammed; nothing was charged."));
        };
        let me = inv.player();
        let balance = self.read(move |w| w.energon.balance(me)).await?;
        Ok(Response::Message(render::slots_view(me.0, &spun, balance)))
    }

    async fn start_solo(&self, inv: &Invocation, enemy: String) -> Handled {
        let events = self
            .execute(inv, Command::Battle(BattleCommand::StartSolo { enemy }))
            .await?;
        match started_battle(&events) {
            Some(battle) => self.battle_reply(battle).await.map(Response::Message),
            None => Err(refuse("The battle could not start.")),
        }
    }

    async fn open_lobby(&self, inv: &Invocation, kind: LobbyKind, stake: i64) -> Handled {
        let events = self
            .execute(
                inv,
                Command::Battle(BattleCommand::OpenLobby { kind, stake }),
            )
            .await?;
        let lobby = events.iter().find_map(|e| match e {
            Event::Battle(BattleEvent::LobbyOpened { lobby, .. }) => Some(*lobby),
            _ => None,
        });
        let lobby = self
            .read(move |w| lobby.and_then(|l| w.battles.lobbies.get(&l).cloned()))
            .await?;
        match lobby {
            Some(lobby) => Ok(Response::Message(render::lobby_view(&lobby))),
            None => Err(refuse("The lobby could not be opened.")),
        }
    }

    /// The battle's current view, for live message updates.
    pub async fn battle_view(&self, battle: BattleId) -> Result<Reply, Response> {
        self.battle_reply(battle).await
    }

    /// The battle's current view (or its final one), with the last turn's log from its stream.
    async fn battle_reply(&self, battle: BattleId) -> Result<Reply, Response> {
        // The state and the history as of one durable point: the log may already hold a
        // batch that is still being flushed.
        let (durable, open) = self
            .read(move |w| (w.last_seq, w.battles.open.get(&battle).cloned()))
            .await?;
        let stream = self
            .engine
            .log()
            .read_stream(&battle.stream(), 1, usize::MAX);
        let events: Vec<BattleEvent> = match stream {
            Ok(events) => events
                .into_iter()
                .take_while(|e| e.seq <= durable)
                .filter_map(|e| match e.event {
                    Event::Battle(event) => Some(event),
                    _ => None,
                })
                .collect(),
            Err(error) => return Err(engine_trouble(&error.into())),
        };
        let last_log: Vec<Hit> = events
            .iter()
            .rev()
            .find_map(|e| match e {
                BattleEvent::TurnResolved { log, .. } => Some(log.clone()),
                _ => None,
            })
            .unwrap_or_default();
        let (state, ended) = match open {
            Some(state) => (state, false),
            // A finished battle is rebuilt from its own history for the final view.
            None => match allspark_engine::battle::replay::verify(events.iter()) {
                Ok((_, sim)) => {
                    let Some(BattleEvent::Started {
                        mode,
                        enemy,
                        rated,
                        stake,
                        deadline,
                        ..
                    }) = events.first().cloned()
                    else {
                        return Err(refuse("That battle is gone."));
                    };
                    let n = sim.fighters.len();
                    (
                        allspark_engine::battle::Battle {
                            id: battle,
                            mode,
                            sim,
                            pending: vec![None; n],
                            deadline,
                            started_at: allspark_engine::Timestamp(0),
                            enemy,
                            hp_start: Vec::new(),
                            rated,
                            stake,
                        },
                        true,
                    )
                }
                Err(_) => return Err(refuse("That battle is gone.")),
            },
        };
        let players = seated_players(&state.sim.fighters);
        let generated = self
            .read(move |w| {
                players
                    .iter()
                    .map(|p| {
                        (
                            *p,
                            w.pets.get(*p).map_or_else(
                                || "A pet".to_string(),
                                |pet| pet.generated_name().to_string(),
                            ),
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .await?;
        let named: Vec<(PlayerId, String)> = generated
            .into_iter()
            .map(|(player, name)| (player, self.pet_name(player, &name)))
            .collect();
        let mut reply = render::battle_view(&state, &last_log, &named, ended);
        if ended {
            if let Some(BattleEvent::Ended { outcome, .. }) = events
                .iter()
                .rev()
                .find(|e| matches!(e, BattleEvent::Ended { .. }))
            {
                let verdict = match outcome {
                    allspark_engine::battle::sim::SimOutcome::Won { side } => {
                        format!("Side {} wins!", side + 1)
                    }
                    allspark_engine::battle::sim::SimOutcome::Draw => "A draw.".to_string(),
                };
                reply.content = Some(verdict);
            }
            if let allspark_engine::battle::BattleMode::Tournament { tournament, round } =
                state.mode
            {
                reply = self.tournament_aftermath(reply, tournament, round).await?;
            }
        }
        Ok(reply)
    }

    /// What a finished tournament match led to, added to its final view (so a press, a
    /// refresh and a live update all show it): the next round's matches once the round is
    /// over, or the champion once the final is.
    async fn tournament_aftermath(
        &self,
        reply: Reply,
        tournament: allspark_engine::battle::LobbyId,
        round: u8,
    ) -> Result<Reply, Response> {
        use allspark_engine::battle::BattleMode;
        let (next, running) = self
            .read(move |w| {
                let next: Vec<(BattleId, Vec<PlayerId>)> = w
                    .battles
                    .open
                    .values()
                    .filter(|b| {
                        b.mode
                            == BattleMode::Tournament {
                                tournament,
                                round: round + 1,
                            }
                    })
                    .map(|b| (b.id, seated_players(&b.sim.fighters)))
                    .collect();
                (next, w.battles.tournaments.contains_key(&tournament))
            })
            .await?;
        if !next.is_empty() {
            return Ok(render::with_matches(
                reply,
                "The next round has begun",
                &next,
            ));
        }
        if running {
            return Ok(reply);
        }
        let stream = allspark_engine::StreamId::new(format!("lobby/{tournament}"));
        let events = stream
            .map(|stream| self.engine.log().read_stream(&stream, 1, usize::MAX))
            .transpose()
            .map_err(|error| engine_trouble(&error.into()))?
            .unwrap_or_default();
        let champion = events.iter().find_map(|e| match e.event {
            Event::Battle(BattleEvent::TournamentWon { winner, .. }) => Some(winner),
            _ => None,
        });
        Ok(match champion {
            Some(winner) => render::announce(
                reply,
                format!("🏆 <@{winner}> wins the tournament!"),
                &[winner],
            ),
            None => reply,
        })
    }

    async fn press(&self, inv: &Invocation, custom_id: &str, values: &[String]) -> Handled {
        let Some(press) = Press::decode(custom_id) else {
            return Err(refuse("This view has expired; run the command again."));
        };
        if let Some(owner) = press.owner() {
            if owner != inv.user {
                return Err(refuse(
                    "That isn't yours to press; run the command yourself.",
                ));
            }
        }
        if let Press::Inventory { minute, .. } = press {
            if self.engine.now().0 / 60_000 - minute > VIEW_TTL_MINUTES {
                return Err(refuse("This view has expired; run /pet_equipment again."));
            }
        }
        let me = inv.player();
        match press {
            Press::Care { action, level, .. } => {
                let action = match action.as_str() {
                    "charge" => CareAction::Charge,
                    "repair" => CareAction::Repair,
                    _ => CareAction::Play,
                };
                let level = match level.as_str() {
                    "q" => CareLevel::Quick,
                    "f" => CareLevel::Full,
                    _ => CareLevel::Standard,
                };
                let events = self
                    .execute(inv, Command::Pet(PetCommand::Care { action, level }))
                    .await?;
                Ok(Response::Message(Reply {
                    ephemeral: true,
                    ..render::outcome_summary("Pet care", &events)
                }))
            }
            Press::Train {
                intensity: level, ..
            } => {
                let events = self
                    .execute(
                        inv,
                        Command::Pet(PetCommand::Train {
                            intensity: intensity(&level),
                        }),
                    )
                    .await?;
                Ok(Response::Message(Reply {
                    ephemeral: true,
                    ..render::outcome_summary("Training", &events)
                }))
            }
            Press::Mission { difficulty, .. } => {
                let events = self
                    .execute(
                        inv,
                        Command::Pet(PetCommand::Mission {
                            difficulty: mission(&difficulty),
                        }),
                    )
                    .await?;
                Ok(Response::Message(Reply {
                    ephemeral: true,
                    ..render::outcome_summary("Mission report", &events)
                }))
            }
            Press::Inventory { page, .. } => self.equipment(me, page).await.map(Response::Update),
            Press::Equip {
                slot: slot_name, ..
            } => {
                let Some(item) = values.first() else {
                    return Err(refuse("Pick an item from the list."));
                };
                let command = PetCommand::Equip {
                    slot: slot(&slot_name),
                    item: ItemId(item.clone()),
                };
                let events = self.execute(inv, Command::Pet(command)).await?;
                Ok(Response::Update(Reply {
                    ephemeral: true,
                    ..render::outcome_summary("Equipment", &events)
                }))
            }
            Press::Release { token, .. } => {
                let events = self
                    .execute(inv, Command::Pet(PetCommand::ConfirmRelease { token }))
                    .await?;
                Ok(Response::Update(render::outcome_summary(
                    "Farewell", &events,
                )))
            }
            Press::KeepPet { .. } => {
                Ok(Response::Update(Reply::refusal("Your pet stays with you.")))
            }
            Press::Rename { owner } => Ok(Response::Modal(Modal {
                custom_id: Press::Rename { owner }.encode(),
                title: "Rename your pet".into(),
                inputs: vec![(
                    "name".into(),
                    "New name".into(),
                    "1 to 24 letters, digits or spaces".into(),
                )],
            })),
            Press::Act {
                battle,
                turn,
                action,
                target,
            } => {
                let action = battle_action(action, target).unwrap_or(Action::Charge);
                self.act(inv, battle, turn, action).await
            }
            Press::ActPick { battle, turn } => {
                // The menu's value is the move's letter and its target: `s3`.
                let picked = values.first().and_then(|value| {
                    let mut chars = value.chars();
                    let letter = chars.next()?;
                    battle_action(letter, chars.as_str().parse().ok()?)
                });
                let Some(action) = picked else {
                    return Err(refuse("Pick a move from the list."));
                };
                self.act(inv, battle, turn, action).await
            }
            Press::Surrender { battle } => {
                let result = self
                    .execute(inv, Command::Battle(BattleCommand::Surrender { battle }))
                    .await;
                self.after_battle_press(battle, result).await
            }
            Press::Watch { battle } => self.battle_reply(battle).await.map(Response::Update),
            Press::Open { battle } => self.battle_reply(battle).await.map(Response::Message),
            Press::Lobby { verb, lobby } => {
                let command = match verb.as_str() {
                    "join" => BattleCommand::JoinLobby { lobby, side: None },
                    "join0" => BattleCommand::JoinLobby {
                        lobby,
                        side: Some(0),
                    },
                    "join1" => BattleCommand::JoinLobby {
                        lobby,
                        side: Some(1),
                    },
                    "ready" => BattleCommand::SetReady { lobby, ready: true },
                    "unready" => BattleCommand::SetReady {
                        lobby,
                        ready: false,
                    },
                    "leave" => BattleCommand::LeaveLobby { lobby },
                    "start" => BattleCommand::StartLobby { lobby },
                    _ => BattleCommand::CancelLobby { lobby },
                };
                let events = self.execute(inv, Command::Battle(command)).await?;
                match started_battles(&events).as_slice() {
                    [] => {}
                    [(battle, players)] => {
                        let view = self.battle_reply(*battle).await?;
                        return Ok(Response::Update(render::announce(
                            view,
                            format!("The battle has begun: {}", render::pairing(players)),
                            players,
                        )));
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
                let state = self
                    .read(move |w| w.battles.lobbies.get(&lobby).cloned())
                    .await?;
                match state {
                    Some(state) => Ok(Response::Update(render::lobby_view(&state))),
                    None => Ok(Response::Update(render::outcome_summary(
                        "Lobby closed",
                        &events,
                    ))),
                }
            }
            Press::Challenge { verb, challenge } => {
                let command = if verb == "accept" {
                    BattleCommand::AcceptChallenge { challenge }
                } else {
                    BattleCommand::DeclineChallenge { challenge }
                };
                let events = self.execute(inv, Command::Battle(command)).await?;
                match started_battles(&events).first() {
                    Some((battle, players)) => {
                        let view = self.battle_reply(*battle).await?;
                        Ok(Response::Update(render::announce(
                            view,
                            format!("Challenge accepted: {}", render::pairing(players)),
                            players,
                        )))
                    }
                    None => Ok(Response::Update(Reply::text("The challenge was declined."))),
                }
            }
            Press::PickKindRarity { owner } => {
                let choice = values.first().cloned().unwrap_or_default();
                let (kind, rarity) = choice.split_once(':').unwrap_or(("monster", "common"));
                Ok(Response::Update(render::enemy_list_view(
                    owner, kind, rarity,
                )))
            }
            Press::PickEnemy { .. } => {
                let Some(enemy) = values.first() else {
                    return Err(refuse("Pick an enemy from the list."));
                };
                self.start_solo(inv, enemy.clone()).await
            }
            Press::SlotsAgain {
                difficulty: name,
                bet,
                ..
            } => {
                let bet = (bet > 0).then_some(bet as i64);
                self.spin(inv, difficulty(&name), bet).await
            }
            Press::History { page, .. } => self.history(me, page).await.map(Response::Update),
            Press::Board { period } => self.board(&period).await.map(Response::Update),
            Press::ClearPick | Press::ClearConfirm { .. } | Press::ClearCancel if !inv.operator => {
                Err(refuse("Only the operator can do that."))
            }
            Press::ClearPick => self.clear_preview(values).await.map(Response::Update),
            Press::ClearConfirm { players } => {
                self.clear(inv, &players).await.map(Response::Update)
            }
            Press::ClearCancel => Ok(Response::Update(Reply::text("Nothing was erased."))),
        }
    }

    /// After a battle press: the refreshed view for everyone, or a refusal only the presser
    /// sees (a stale button also gets the current view, so they can act again).
    async fn act(&self, inv: &Invocation, battle: BattleId, turn: u32, action: Action) -> Handled {
        let command = Command::Battle(BattleCommand::Act {
            battle,
            turn,
            action,
        });
        let result = self.execute(inv, command).await;
        self.after_battle_press(battle, result).await
    }

    async fn after_battle_press(
        &self,
        battle: BattleId,
        result: Result<Vec<Event>, Response>,
    ) -> Handled {
        match result {
            Ok(_) => self.battle_reply(battle).await.map(Response::Update),
            Err(refusal) => {
                let text = refusal
                    .reply()
                    .and_then(|r| r.content.clone())
                    .unwrap_or_default();
                match self.battle_reply(battle).await {
                    Ok(mut view) if text.contains("battle is on turn") => {
                        view.content = Some(text);
                        view.ephemeral = true;
                        Err(Response::Message(view))
                    }
                    _ => Err(refusal),
                }
            }
        }
    }

    async fn form(
        &self,
        inv: &Invocation,
        custom_id: &str,
        fields: &std::collections::BTreeMap<String, String>,
    ) -> Handled {
        match Press::decode(custom_id) {
            Some(Press::Rename { owner }) if owner == inv.user => {
                let name = fields.get("name").cloned().unwrap_or_default();
                self.execute(inv, Command::Pet(PetCommand::Rename { name }))
                    .await?;
                self.dashboard(inv.player()).await
            }
            Some(Press::Rename { .. }) => Err(refuse("That form isn't yours.")),
            _ => Err(refuse("This form has expired; run the command again.")),
        }
    }

    async fn autocomplete(
        &self,
        inv: &Invocation,
        name: &str,
        option: &str,
        partial: &str,
    ) -> Response {
        let partial = partial.to_lowercase();
        let choices: Vec<Choice> = match (name, option) {
            ("battle" | "group_battle", "enemy") => allspark_engine::content::get()
                .enemies
                .values()
                .filter(|e| e.name.to_lowercase().contains(&partial) || e.id.contains(&partial))
                .take(25)
                .map(|e| Choice {
                    name: render::truncate(
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
                .collect(),
            ("pet_equip", "item") => {
                let me = inv.player();
                let inventory: Vec<ItemId> = self
                    .read(move |w| {
                        w.pets
                            .get(me)
                            .map(|p| p.inventory.keys().cloned().collect())
                            .unwrap_or_default()
                    })
                    .await
                    .unwrap_or_default();
                let items = &allspark_engine::content::get().items;
                inventory
                    .iter()
                    .filter_map(|id| items.get(id))
                    .filter(|item| item.name.to_lowercase().contains(&partial))
                    .take(25)
                    .map(|item| Choice {
                        name: render::truncate(
                            &format!("{} ({})", item.name, item.slot.label()),
                            100,
                        ),
                        value: item.id.0.clone(),
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
        Response::Choices(choices)
    }
}

fn started_battle(events: &[Event]) -> Option<BattleId> {
    started_battles(events).first().map(|(battle, _)| *battle)
}

/// The `slot` option of the equipment commands.
fn equipment_slot(options: &Options<'_>) -> Result<Slot, InvocationError> {
    options
        .required_word(
            "slot",
            &["chassis_plating", "energy_core", "utility_module"],
        )
        .map(slot)
}

/// A battle move from its letter in a custom id (`a`ttack, `d`efend, `s`pecial, `c`harge).
fn battle_action(letter: char, target: u8) -> Option<Action> {
    match letter {
        'a' => Some(Action::Attack { target }),
        'd' => Some(Action::Defend { guard: target }),
        's' => Some(Action::Special { target }),
        'c' => Some(Action::Charge),
        _ => None,
    }
}

/// Every battle these events started, with its players.
fn started_battles(events: &[Event]) -> Vec<(BattleId, Vec<PlayerId>)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Battle(BattleEvent::Started {
                battle, fighters, ..
            }) => Some((*battle, seated_players(fighters))),
            _ => None,
        })
        .collect()
}

/// The players among a battle's fighters (pets' owners), in seat order.
fn seated_players(fighters: &[allspark_engine::battle::sim::Fighter]) -> Vec<PlayerId> {
    fighters.iter().filter_map(|f| f.player()).collect()
}

/// What a player is taking part in, for `/my_battle`.
enum MyBattle {
    Fighting(BattleId),
    Tournament {
        round: u8,
        alive: Vec<PlayerId>,
        open: Vec<(BattleId, Vec<PlayerId>)>,
    },
    Queued {
        since: allspark_engine::Timestamp,
    },
    Lobby(allspark_engine::battle::Lobby),
    Nothing,
}

fn my_battle(world: &World, me: PlayerId) -> MyBattle {
    use allspark_engine::battle::BattleMode;
    let battles = &world.battles;
    if let Some(battle) = battles.busy.get(&me) {
        return MyBattle::Fighting(*battle);
    }
    if let Some((id, tournament)) = battles
        .tournaments
        .iter()
        .find(|(_, t)| t.alive.contains(&me))
    {
        let open = battles
            .open
            .values()
            .filter(|b| matches!(b.mode, BattleMode::Tournament { tournament, .. } if tournament == *id))
            .map(|b| (b.id, seated_players(&b.sim.fighters)))
            .collect();
        return MyBattle::Tournament {
            round: tournament.round,
            alive: tournament.alive.clone(),
            open,
        };
    }
    if let Some(since) = battles.queue.get(&me) {
        return MyBattle::Queued { since: *since };
    }
    if let Some(lobby) = battles
        .in_lobby
        .get(&me)
        .and_then(|id| battles.lobbies.get(id))
    {
        return MyBattle::Lobby(lobby.clone());
    }
    MyBattle::Nothing
}

fn intensity(word: &str) -> Intensity {
    match word {
        "intense" => Intensity::Intense,
        "godmode" => Intensity::Godmode,
        _ => Intensity::Average,
    }
}

fn mission(word: &str) -> MissionDifficulty {
    match word {
        "average" => MissionDifficulty::Average,
        "hard" => MissionDifficulty::Hard,
        _ => MissionDifficulty::Easy,
    }
}

fn slot(word: &str) -> Slot {
    match word {
        "chassis_plating" => Slot::ChassisPlating,
        "energy_core" => Slot::EnergyCore,
        _ => Slot::UtilityModule,
    }
}

fn difficulty(word: &str) -> Difficulty {
    match word {
        "medium" => Difficulty::Medium,
        "hard" => Difficulty::Hard,
        _ => Difficulty::Easy,
    }
}
