//! One dispatch for every transport: an [`Invocation`] goes to the area that owns it (routed by
//! `areas.rs`), and the area's answer becomes a [`Response`]. What every area shares lives
//! here: running a command, reading the World, refusing. Nothing here keeps game state; every
//! answer is read from the engine after the command is durable.

use std::collections::BTreeMap;

use allspark_engine::battle::BattleId;
use allspark_engine::personal::KEY_PET_NAME;
use allspark_engine::{Actor, Command, CommandId, Engine, Event, Outcome, PlayerId, World};

use crate::areas::{self, Press, Slash};
use crate::invocation::{Invocation, InvocationError, Kind, Options};
use crate::reply::{Reply, Response};

/// Minutes a paginated or personal view stays usable.
pub const VIEW_TTL_MINUTES: i64 = 15;

/// The adapter's handle on the game: the engine, the recruiter (its settings, the nations
/// fetched for browsing, the send run) and the operator's stress runs, which hold no game
/// state.
#[derive(Clone)]
pub struct App {
    pub engine: Engine,
    /// The data directory, when the store is on disk (for `/monitor`'s store size).
    pub data: Option<std::sync::Arc<std::path::PathBuf>>,
    /// Discord's settings, when the bot talks to Discord (for `/sync_commands`).
    pub discord: Option<std::sync::Arc<crate::config::Discord>>,
    pub recruit: std::sync::Arc<crate::recruit::worker::Recruiter>,
    /// The operator's stress runs (`stress.rs`): at most one goes at a time.
    pub stress: std::sync::Arc<crate::stress::Stress>,
    /// The server's grump (`ALLSPARK_GRUMP_USER`), whom `/grump` greets; `None`: no grump.
    pub grump: Option<u64>,
    /// Word counting for `/user_says`, when this connection receives messages' text (the
    /// gateway with the Message Content intent, the console); `None`: it doesn't.
    pub words: Option<std::sync::Arc<crate::social::words::WordCounter>>,
    /// Where the web pages are published (`ALLSPARK_PUBLIC_URL`), for Watch links; `None`:
    /// views carry no links.
    pub web_url: Option<std::sync::Arc<str>>,
    /// The RPG's storyteller: asked for a segment's words right after the command that opened
    /// it (and by a worker for whatever is still owed).
    pub narrator: std::sync::Arc<crate::rpg::story::Narrator>,
    /// Achievements a command earned, by its id, until the reply that earned them shows them.
    announced: std::sync::Arc<std::sync::Mutex<BTreeMap<u128, Vec<String>>>>,
}

/// Commands whose achievements wait for their reply at most (a command not answered through
/// `dispatch`, such as a worker's, never collects them).
const ANNOUNCED_MAX: usize = 1_000;

/// A command that changed nothing: the engine's rejection, when it gave one, and the answer.
pub(crate) struct Refused {
    pub rejection: Option<allspark_engine::Rejection>,
    pub answer: Response,
}

/// A refusal short-circuits a handler.
pub type Handled = Result<Response, Response>;

/// A private answer that changes nothing.
pub fn refuse(text: impl Into<String>) -> Response {
    Response::Message(Reply::refusal(text))
}

pub(crate) fn engine_trouble(error: &allspark_engine::EngineError) -> Response {
    tracing::error!(%error, "engine error");
    match error {
        // The store failed while this command was being made durable: it may have happened.
        allspark_engine::EngineError::OutcomeUnknown(_) => refuse(
            "The AllSpark lost track of that one: it may or may not have happened. \
             It's restarting; check in a moment before trying again.",
        ),
        _ => refuse(
            "The AllSpark is having trouble right now; nothing was changed. Try again in a moment.",
        ),
    }
}

/// The refusal of an operator command pressed or typed by anyone else.
pub(crate) fn operator_only() -> Response {
    refuse("Only the operator can do that.")
}

/// The metrics label of an invocation: a registered name, or `unknown` (labels stay bounded).
fn metric_name(kind: &Kind) -> String {
    let verb = |custom_id: &str| {
        crate::custom_id::split(custom_id)
            .map(|(verb, _)| verb)
            .filter(|verb| areas::VERBS.iter().any(|(_, verbs)| verbs.contains(verb)))
            .unwrap_or("unknown")
            .to_string()
    };
    match kind {
        Kind::Slash { name, .. } => {
            Slash::parse(name).map_or("unknown".into(), |s| s.name().into())
        }
        Kind::Press { custom_id, .. } => format!("press:{}", verb(custom_id)),
        Kind::Form { custom_id, .. } => format!("form:{}", verb(custom_id)),
        Kind::Autocomplete { name, .. } => format!(
            "autocomplete:{}",
            Slash::parse(name).map_or("unknown", |s| s.name())
        ),
        Kind::Message { name, .. } => format!(
            "message:{}",
            crate::social::MessageCommand::parse(name).map_or("unknown", |m| m.name())
        ),
    }
}

impl App {
    /// An app with recruitment off (no `PNW_API_KEY`).
    pub fn new(engine: Engine) -> App {
        crate::metrics::start();
        App {
            engine,
            data: None,
            discord: None,
            recruit: Default::default(),
            stress: Default::default(),
            announced: Default::default(),
            grump: None,
            words: None,
            web_url: None,
            narrator: Default::default(),
        }
    }

    /// The same app, with this storyteller (a model, or the offline one).
    pub fn with_narrator(self, narrator: crate::rpg::story::Narrator) -> App {
        App {
            narrator: std::sync::Arc::new(narrator),
            ..self
        }
    }

    /// The same app, counting words of the messages it is shown (`/user_says`).
    pub fn with_word_counting(self) -> App {
        App {
            words: Some(Default::default()),
            ..self
        }
    }

    /// The role worker, when the app talks to Discord (with its REST base and bot token).
    pub fn role_worker(&self) -> Option<crate::social::roles::RoleWorker> {
        let discord = self.discord.as_ref()?;
        Some(crate::social::roles::RoleWorker {
            api_base: discord.api_base.clone(),
            token: discord.token.clone(),
            http: reqwest::Client::new(),
        })
    }

    /// The same app, with a grump for `/grump` to greet.
    pub fn with_grump(self, grump: Option<u64>) -> App {
        App { grump, ..self }
    }

    /// The same app, with Discord's settings (to register commands from `/sync_commands`).
    pub fn with_discord(self, settings: crate::config::Discord) -> App {
        App {
            discord: Some(std::sync::Arc::new(settings)),
            ..self
        }
    }

    /// The same app, linking its battle views to the web pages published at `url`.
    pub fn with_web_url(self, url: Option<String>) -> App {
        App {
            web_url: url
                .map(|url| url.trim().trim_end_matches('/').to_string())
                .filter(|url| !url.is_empty())
                .map(std::sync::Arc::from),
            ..self
        }
    }

    /// `reply` with a link button to its page under the published address, when there is
    /// one and the reply has a row to spare (Discord allows five).
    pub(crate) fn with_link(
        &self,
        mut reply: crate::reply::Reply,
        label: &str,
        page: impl FnOnce(&str) -> String,
    ) -> crate::reply::Reply {
        if let Some(base) = self.web_url.as_deref() {
            if reply.rows.len() < crate::reply::limits::ACTION_ROWS {
                reply
                    .rows
                    .push(crate::reply::Row::Links(vec![crate::reply::Link {
                        label: label.to_string(),
                        url: page(base),
                    }]));
            }
        }
        reply
    }

    /// The same app, knowing where its store lives.
    pub fn with_data_dir(self, data: &std::path::Path) -> App {
        App {
            data: Some(std::sync::Arc::new(data.to_path_buf())),
            ..self
        }
    }

    /// The same app recruiting with these settings.
    pub fn with_recruitment(self, recruiter: crate::recruit::worker::Recruiter) -> App {
        App {
            recruit: std::sync::Arc::new(recruiter),
            ..self
        }
    }

    /// Runs one invocation to its response. Never panics on input.
    pub async fn handle(&self, invocation: Invocation) -> Response {
        let started = std::time::Instant::now();
        let name = metric_name(&invocation.kind);
        crate::metrics::saw(invocation.user, None);
        let (response, refused) = self.dispatch(invocation).await;
        crate::metrics::observe(name, refused, started.elapsed());
        response
    }

    /// [`App::handle`] without the metrics: the response, and whether it is a refusal.
    async fn dispatch(&self, invocation: Invocation) -> (Response, bool) {
        if let Err(refusal) = self.first_contact(&invocation).await {
            return (refusal, true);
        }
        let result = match &invocation.kind {
            Kind::Slash { name, options } => {
                let options = Options {
                    command: name,
                    values: options,
                };
                match Slash::parse(name) {
                    Some(slash) => areas::slash(self, &invocation, slash, &options).await,
                    None => Err(refuse(
                        InvocationError::UnknownCommand(allspark_engine::ids::quote(name))
                            .to_string(),
                    )),
                }
            }
            Kind::Press { custom_id, values } => match self.decode(&invocation, custom_id) {
                Ok(press) => areas::press(self, &invocation, press, values).await,
                Err(refusal) => Err(refusal),
            },
            Kind::Form { custom_id, fields } => match Press::decode(custom_id) {
                Some(press) if press.owner().is_some_and(|owner| owner != invocation.user) => {
                    Err(refuse("That form isn't yours."))
                }
                Some(press) => areas::form(self, &invocation, press, fields).await,
                None => Err(refuse("This form has expired; run the command again.")),
            },
            Kind::Autocomplete {
                name,
                option,
                partial,
            } => Ok(Response::Choices(match Slash::parse(name) {
                Some(slash) => areas::autocomplete(self, &invocation, slash, option, partial).await,
                None => Vec::new(),
            })),
            // Message commands are the social area's (lore quotes a message).
            Kind::Message { name, message } => match crate::social::MessageCommand::parse(name) {
                Some(command) => crate::social::message(self, &invocation, command, message).await,
                None => Err(refuse(
                    InvocationError::UnknownCommand(allspark_engine::ids::quote(name)).to_string(),
                )),
            },
        };
        match result {
            Ok(response) => (self.announce(&invocation, response), false),
            Err(refusal) => (refusal, true),
        }
    }

    /// First contact is the first command, press or form a person sends, whatever it is (a
    /// read such as `/balance` or `/pet` too): it records them as a player (`Join`, under an id
    /// derived from the interaction, so a redelivery joins nobody twice), so nobody who has used
    /// the game is "a player who never played here" to others. Autocomplete is typing, not
    /// contact; the operator's own commands don't make the operator a player.
    async fn first_contact(&self, inv: &Invocation) -> Result<(), Response> {
        if inv.operator || matches!(inv.kind, Kind::Autocomplete { .. }) {
            return Ok(());
        }
        let player = inv.player();
        let known = self
            .read(move |w| allspark_engine::player::view::joined_at(w, player).is_some())
            .await?;
        if known {
            return Ok(());
        }
        let id = crate::worker::derived_id("join", &[inv.id.0]);
        let envelope = self.engine.envelope(
            id,
            inv.actor(),
            Command::Player(allspark_engine::player::PlayerCommand::Join),
        );
        match self.engine.execute(envelope).await {
            Ok(_) => Ok(()),
            Err(error) => Err(engine_trouble(&error)),
        }
    }

    /// A press's `custom_id`, decoded and checked against who pressed it.
    fn decode(&self, inv: &Invocation, custom_id: &str) -> Result<Press, Response> {
        let Some(press) = Press::decode(custom_id) else {
            return Err(refuse("This view has expired; run the command again."));
        };
        if press.owner().is_some_and(|owner| owner != inv.user) {
            return Err(refuse(
                "That isn't yours to press; run the command yourself.",
            ));
        }
        Ok(press)
    }

    pub(crate) async fn execute_as(
        &self,
        id: CommandId,
        actor: Actor,
        command: Command,
    ) -> Result<Vec<Event>, Response> {
        self.try_execute_as(id, actor, command)
            .await
            .map_err(|refused| refused.answer)
    }

    /// Like [`App::execute_as`], keeping the engine's rejection for a caller whose answer
    /// depends on which rule refused (a stale battle button gets the current view).
    pub(crate) async fn try_execute_as(
        &self,
        id: CommandId,
        actor: Actor,
        command: Command,
    ) -> Result<Vec<Event>, Refused> {
        // A command that may earn an achievement: what the player had before it.
        let counted = match actor {
            Actor::Player(player) if allspark_engine::social::view::may_earn(&command) => {
                Some((player, self.earned_ids(player).await))
            }
            _ => None,
        };
        let envelope = self.engine.envelope(id, actor, command);
        let (rejection, answer) = match self.engine.execute(envelope).await {
            Ok(reply) => match reply.outcome {
                Outcome::Accepted(events) => {
                    if let (Some((player, before)), false) = (counted, reply.duplicate) {
                        self.note_earned(id, player, &before).await;
                    }
                    let events: Vec<Event> = events.into_iter().map(|e| e.event).collect();
                    self.narrate_requested(&events).await;
                    return Ok(events);
                }
                Outcome::Rejected(rejection) => {
                    let answer = refuse(addressed(&rejection, actor));
                    (Some(rejection), answer)
                }
                Outcome::RejectedEarlier => (None, refuse("That was already refused earlier.")),
            },
            Err(error) => (None, engine_trouble(&error)),
        };
        Err(Refused { rejection, answer })
    }

    /// The ids of the achievements the player has earned (empty if the engine can't say).
    async fn earned_ids(&self, player: PlayerId) -> Vec<&'static str> {
        self.engine
            .query(move |w| {
                allspark_engine::social::view::earned(w, player)
                    .into_iter()
                    .map(|a| a.id.as_str())
                    .collect()
            })
            .await
            .unwrap_or_default()
    }

    /// Keeps the achievements command `id` earned (those not in `before`) for its reply.
    async fn note_earned(&self, id: CommandId, player: PlayerId, before: &[&'static str]) {
        let after = self
            .engine
            .query(move |w| allspark_engine::social::view::earned(w, player))
            .await
            .unwrap_or_default();
        let new: Vec<String> = after
            .into_iter()
            .filter(|a| !before.contains(&a.id.as_str()))
            .map(|a| format!("{} **{}**: {}", a.emoji, a.name, a.description))
            .collect();
        if new.is_empty() {
            return;
        }
        let mut announced = self
            .announced
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if announced.len() >= ANNOUNCED_MAX {
            announced.clear();
        }
        announced.entry(id.0).or_default().extend(new);
    }

    /// Adds the achievements the invocation's commands earned to its reply, as one embed.
    fn announce(&self, invocation: &Invocation, response: Response) -> Response {
        let earned = self
            .announced
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remove(&invocation.id.0);
        let Some(earned) = earned else {
            return response;
        };
        let add = |mut reply: Reply| {
            let used: usize = reply
                .embeds
                .iter()
                .map(crate::reply::Embed::total_chars)
                .sum();
            let room = crate::reply::limits::EMBED_TOTAL_CHARS.saturating_sub(used + 30);
            if reply.embeds.len() < crate::reply::limits::EMBEDS && room > 100 {
                reply.embeds.push(crate::reply::Embed {
                    title: Some("🏅 Achievement unlocked".into()),
                    description: Some(crate::view::truncate(&earned.join("\n"), room.min(2_000))),
                    color: Some(crate::reply::color::ENERGON),
                    ..crate::reply::Embed::default()
                });
            }
            reply
        };
        match response {
            Response::Message(reply) => Response::Message(add(reply)),
            Response::Update(reply) => Response::Update(add(reply)),
            other => other,
        }
    }

    /// Asks the storyteller for every segment these events opened, so the answer shows its
    /// words (a slow model defers the answer; a failed one falls back to the offline words).
    async fn narrate_requested(&self, events: &[Event]) {
        for event in events {
            if let Event::Rpg(allspark_engine::rpg::RpgEvent::NarrationRequested {
                adventure,
                segment,
                brief,
            }) = event
            {
                self.narrator
                    .narrate(&self.engine, *adventure, *segment, brief)
                    .await;
            }
        }
    }

    pub(crate) async fn execute(
        &self,
        invocation: &Invocation,
        command: Command,
    ) -> Result<Vec<Event>, Response> {
        self.execute_as(invocation.id, invocation.actor(), command)
            .await
    }

    pub(crate) async fn try_execute(
        &self,
        invocation: &Invocation,
        command: Command,
    ) -> Result<Vec<Event>, Refused> {
        self.try_execute_as(invocation.id, invocation.actor(), command)
            .await
    }

    pub(crate) async fn read<R: Send + 'static>(
        &self,
        read: impl FnOnce(&World) -> R + Send + 'static,
    ) -> Result<R, Response> {
        self.engine
            .query(read)
            .await
            .map_err(|error| engine_trouble(&error))
    }

    /// A pet's display name: the one its owner chose, or its generated one. The chosen name
    /// is read only when the log says the pet was renamed (`custom`), so text the store holds
    /// without its event (a crash between the two) is never shown.
    pub(crate) fn pet_name(&self, player: PlayerId, generated: &str, custom: bool) -> String {
        if !custom {
            return generated.to_string();
        }
        match self.engine.personal_text(player, KEY_PET_NAME) {
            Ok(Some(name)) => name,
            _ => generated.to_string(),
        }
    }

    /// The battle's current view, for live message updates.
    pub async fn battle_view(&self, battle: BattleId) -> Result<Reply, Response> {
        crate::battle::battle_reply(self, battle).await
    }

    /// The trade's current view (open or ended), for live message updates.
    pub async fn trade_view(
        &self,
        trade: allspark_engine::trade::TradeId,
    ) -> Result<Reply, Response> {
        crate::trade::trade_reply(self, trade).await
    }
}

/// A rejection in the words of whoever asked: the engine names the player a money check is
/// about, and the one who reads it may be that player ("you need"), someone else (who must not
/// see that player's wallet) or the operator (issue 13: an unpayable fine told the operator
/// "you need", joining a staked lobby told the joiner "<@you> needs", and accepting an
/// unaffordable stake showed the challenger's wallet to the opponent).
pub fn addressed(rejection: &allspark_engine::Rejection, asker: Actor) -> String {
    use allspark_engine::battle::BattleRejection;
    use allspark_engine::energon::EnergonRejection;
    use allspark_engine::Rejection;
    match (rejection, asker) {
        (
            Rejection::Energon(EnergonRejection::InsufficientEnergon { need, have }),
            Actor::System | Actor::Operator(_),
        ) => format!("the player has {have} energon, not the {need} you asked for"),
        (
            Rejection::Battle(BattleRejection::CannotCoverStake { player, need, have }),
            Actor::Player(me),
        ) if *player == me => {
            format!("you need {need} energon for the stake but have {have}")
        }
        (
            Rejection::Energon(EnergonRejection::InsufficientEnergon { need, have }),
            Actor::Player(_),
        ) => format!(
            "you need {need} energon but have {have}. Earn some with /battle, /mission or the \
             Rush (/scout); /slots without a bet spins for free"
        ),
        (Rejection::Battle(BattleRejection::CannotCoverStake { player, need, .. }), _) => {
            format!("<@{player}> can't cover the {need} energon stake right now")
        }
        // A self-erasure (`/forget_me`) is refused in the player's own words.
        (
            Rejection::Player(allspark_engine::player::PlayerRejection::Busy { player, activity }),
            Actor::Player(me),
        ) if *player == me => {
            format!("you are {activity}; you can be erased once it is over")
        }
        (
            Rejection::Player(allspark_engine::player::PlayerRejection::ErasureCancelled),
            Actor::Player(_),
        ) => "that erasure was cancelled; nothing was erased (run /forget_me again)".to_string(),
        // Instants in the reader's own words ("in 9 minutes"), never raw UTC (issue 13).
        (Rejection::Pet(allspark_engine::pets::PetRejection::OnCooldown { ready_at }), _) => {
            format!(
                "your pet is still recovering from that; it can go again {}",
                crate::view::when(*ready_at)
            )
        }
        (Rejection::Energon(EnergonRejection::ForageOnCooldown { ready_at }), _) => format!(
            "you're still catching your breath; scout or search again {}",
            crate::view::when(*ready_at)
        ),
        (
            Rejection::Slots(allspark_engine::slots::SlotsRejection::FreeSpinOnCooldown {
                ready_at,
            }),
            _,
        ) => format!(
            "free spins are limited; the next one is {} (a bet spins any time)",
            crate::view::when(*ready_at)
        ),
        _ => rejection.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use allspark_engine::battle::BattleRejection;
    use allspark_engine::energon::EnergonRejection;
    use allspark_engine::{Actor, PlayerId, Rejection};

    use super::addressed;

    #[test]
    fn money_refusals_are_addressed_to_whoever_asked() {
        let stake = Rejection::Battle(BattleRejection::CannotCoverStake {
            player: PlayerId(7),
            need: 50,
            have: 3,
        });
        assert_eq!(
            addressed(&stake, Actor::Player(PlayerId(7))),
            "you need 50 energon for the stake but have 3"
        );
        let other = addressed(&stake, Actor::Player(PlayerId(8)));
        assert_eq!(other, "<@7> can't cover the 50 energon stake right now");
        assert!(
            !other.contains('3'),
            "someone else's wallet is shown: {other}"
        );
        let fine = Rejection::Energon(EnergonRejection::InsufficientEnergon { need: 90, have: 10 });
        assert_eq!(
            addressed(&fine, Actor::System),
            "the player has 10 energon, not the 90 you asked for"
        );
        assert_eq!(
            addressed(&fine, Actor::Operator(PlayerId(999))),
            "the player has 10 energon, not the 90 you asked for"
        );
        // A player short of energon is told where energon comes from (no starting dead end:
        // a new player's first bet used to end at "you need 50 energon but have 0").
        // Cooldowns name their instant as a Discord timestamp, never as raw UTC.
        let cooldown = Rejection::Pet(allspark_engine::pets::PetRejection::OnCooldown {
            ready_at: allspark_engine::Timestamp(1_700_000_000_000),
        });
        let text = addressed(&cooldown, Actor::Player(PlayerId(1)));
        assert!(text.ends_with("<t:1700000000:R>"), "{text}");
        // A player refused their own erasure is told in their words, not the operator's.
        let busy = Rejection::Player(allspark_engine::player::PlayerRejection::Busy {
            player: PlayerId(5),
            activity: allspark_engine::area::Engagement::Battle,
        });
        let own = addressed(&busy, Actor::Player(PlayerId(5)));
        assert!(own.starts_with("you are "), "{own}");
        assert!(!addressed(&busy, Actor::Operator(PlayerId(9))).starts_with("you "));
        let short = addressed(&fine, Actor::Player(PlayerId(1)));
        assert!(
            short.starts_with("you need 90 energon but have 10."),
            "{short}"
        );
        assert!(short.contains("/slots without a bet"), "{short}");
    }
}
