//! The RPG in Discord: `/character_new`, `/character_view`, `/equip`, `/kill_character` (two
//! steps, by buttons), `/cyber_info`; group adventures from `/cyber_random`, `/cyber_battle`,
//! `/cyber_event` and `/cyber_story` (a party view with join, leave and start, then each
//! segment's buttons: five approaches, three votes, or the way into the battle), and a
//! channel's chronicle from `/start_cyberchronicles` to `/stop_cyberchronicles`.
//!
//! The words come from the storyteller ([`story`]): after any command that opened a segment
//! the app asks it before answering (the transports defer a slow answer), and a worker asks
//! for whatever is still owed after a restart; the adventure's message follows its stream, so
//! late words appear by themselves.

/// The heading of this area's part of `/help`.
pub const HELP_TITLE: &str = "The RPG";

pub mod ids;
pub mod render;
pub mod story;

use std::collections::BTreeMap;

use allspark_engine::pets::Faction;
use allspark_engine::rpg::{self, AdventureKind, RpgCommand, RpgEvent, RpgRejection};
use allspark_engine::social;
use allspark_engine::{Command, Event, PlayerId, Rejection, Snowflake};

use crate::app::{refuse, App, Handled, Refused};
use crate::commands::{amount, choice, command, option, text, CommandSpec, Kind, OptionSpec};
use crate::invocation::{Invocation, InvocationError, Options};
use crate::reply::{Choice, Reply, Response};
use ids::Press;

crate::commands::slash_commands! {
    /// The RPG's slash commands.
    pub enum Slash {
        CharacterNew = "character_new",
        CharacterView = "character_view",
        Equip = "equip",
        KillCharacter = "kill_character",
        CyberInfo = "cyber_info",
        CyberRandom = "cyber_random",
        CyberBattle = "cyber_battle",
        CyberEvent = "cyber_event",
        CyberStory = "cyber_story",
        StartCyberchronicles = "start_cyberchronicles",
        StopCyberchronicles = "stop_cyberchronicles",
    }
}

const FACTIONS: &[(&str, &str)] = &[("Autobot", "autobot"), ("Decepticon", "decepticon")];

/// `/character_new`'s classes, from the content.
fn class_choices() -> &'static [(&'static str, &'static str)] {
    static CHOICES: std::sync::OnceLock<Vec<(&'static str, &'static str)>> =
        std::sync::OnceLock::new();
    CHOICES.get_or_init(|| {
        rpg::view::classes()
            .into_iter()
            .map(|c| (c.name.as_str(), c.id.as_str()))
            .collect()
    })
}

fn character_option(required: bool) -> OptionSpec {
    amount(
        "character",
        if required {
            "Which character (its number, from /character_view)"
        } else {
            "Which character (your strongest unless you say)"
        },
        required,
        1,
        i64::from(u32::MAX),
    )
}

fn spec(slash: Slash) -> CommandSpec {
    let name = slash.name();
    match slash {
        Slash::CharacterNew => command(
            name,
            "Create an RPG character (up to three)",
            vec![
                text(
                    "name",
                    "Its name (letters, digits, spaces); your /spark's if you leave it out",
                    false,
                    rpg::tuning::NAME_LEN_MAX_CHARS,
                ),
                choice(
                    "faction",
                    "Autobot or Decepticon (your /spark's if you leave it out)",
                    FACTIONS,
                    false,
                ),
                choice(
                    "class",
                    "Its class (your /spark's if you leave it out)",
                    class_choices(),
                    false,
                ),
            ],
        ),
        Slash::CharacterView => command(
            name,
            "RPG characters: stats, gear and record (yours unless you name someone)",
            vec![option("user", "Whose characters", Kind::User, false)],
        ),
        Slash::Equip => command(
            name,
            "Put on (or take off) a piece of gear a character owns",
            vec![
                character_option(true),
                crate::commands::OptionSpec {
                    autocomplete: true,
                    max_length: Some(60),
                    ..option("item", "The gear (start typing its name)", Kind::Text, true)
                },
            ],
        ),
        Slash::KillCharacter => command(
            name,
            "Delete one of your characters for good (asks first)",
            vec![character_option(true)],
        ),
        Slash::CyberInfo => command(name, "How the RPG works", vec![]),
        Slash::CyberRandom => command(
            name,
            "Form a party for an adventure of mixed segments",
            vec![character_option(false)],
        ),
        Slash::CyberBattle => command(
            name,
            "Form a party for an adventure of battles",
            vec![character_option(false)],
        ),
        Slash::CyberEvent => command(
            name,
            "Form a party for an adventure of skill challenges",
            vec![character_option(false)],
        ),
        Slash::CyberStory => command(
            name,
            "Form a party for an adventure of story choices",
            vec![character_option(false)],
        ),
        Slash::StartCyberchronicles => command(
            name,
            "Start this channel's chronicle: a long adventure, chapter by chapter",
            vec![character_option(false)],
        ),
        Slash::StopCyberchronicles => command(
            name,
            "Stop this channel's chronicle (whoever started it)",
            vec![],
        ),
    }
}

/// The area's slash commands, in the order `/help` lists them.
pub fn commands() -> Vec<CommandSpec> {
    Slash::ALL.iter().map(|slash| spec(*slash)).collect()
}

/// A character's name: the one its owner gave it (the erasable store), else its number.
pub fn character_name(app: &App, owner: PlayerId, character: u32) -> String {
    match app
        .engine
        .personal_text(owner, &allspark_engine::rpg::name_key(character))
    {
        Ok(Some(name)) => name,
        _ => format!("Character #{character}"),
    }
}

/// The asker's character for a party: the one named, else their strongest
/// (`rpg::view::strongest_character`).
async fn pick_character(app: &App, player: PlayerId, named: Option<i64>) -> Result<u32, Response> {
    if let Some(number) = named {
        return u32::try_from(number).map_err(|_| refuse("There is no such character."));
    }
    let best = app
        .read(move |w| rpg::view::strongest_character(w, player).map(|c| c.number))
        .await?;
    best.ok_or_else(|| refuse("You have no character yet: /character_new makes one."))
}

fn faction_of(word: &str) -> Faction {
    match word {
        "decepticon" => Faction::Decepticon,
        _ => Faction::Autobot,
    }
}

/// What `/character_new` left out, taken from the player's spark (its name, its faction when
/// that is Autobot or Decepticon, its class); a clear refusal for what is still missing.
fn from_spark(
    name: Option<String>,
    faction: Option<Faction>,
    class: Option<String>,
    spark: Option<&social::Identity>,
) -> Result<(String, Faction, String), Response> {
    let name = name
        .or_else(|| spark.map(|s| s.name.clone()))
        .ok_or_else(|| {
            refuse(
                "Give your character a name, or forge a Transformer identity with /spark first: \
                 its name, faction and class fill in whatever you leave out.",
            )
        })?;
    let faction = match (faction, spark.map(|s| s.faction)) {
        (Some(faction), _) => faction,
        (None, Some(social::SparkFaction::Autobot)) => Faction::Autobot,
        (None, Some(social::SparkFaction::Decepticon)) => Faction::Decepticon,
        (None, Some(social::SparkFaction::Maverick)) => {
            return Err(refuse(
                "Your spark is a Maverick, and characters fight for a side: pick faction \
                 Autobot or Decepticon.",
            ))
        }
        (None, None) => {
            return Err(refuse(
                "Pick the character's faction: Autobot or Decepticon.",
            ))
        }
    };
    let class = class
        .or_else(|| {
            spark
                .map(|s| s.class.clone())
                .filter(|c| class_choices().iter().any(|(_, id)| id == c))
        })
        .ok_or_else(|| refuse("Pick the character's class."))?;
    Ok((name, faction, class))
}

/// Creates a character and shows the player's characters with it.
async fn create(
    app: &App,
    inv: &Invocation,
    name: String,
    faction: Faction,
    class: String,
) -> Handled {
    let player = inv.player();
    let events = app
        .execute(
            inv,
            Command::Rpg(RpgCommand::CreateCharacter {
                name,
                faction,
                class,
            }),
        )
        .await?;
    let number = events
        .iter()
        .find_map(|e| match e {
            Event::Rpg(RpgEvent::CharacterCreated { character, .. }) => Some(*character),
            _ => None,
        })
        .ok_or_else(|| refuse("No character was made; try again."))?;
    let sheet = sheet(app, player).await?;
    Ok(Response::Message(render::created(
        &character_name(app, player, number),
        sheet,
    )))
}

pub async fn slash(app: &App, inv: &Invocation, slash: Slash, options: &Options<'_>) -> Handled {
    let bad = |error: InvocationError| refuse(error.to_string());
    let player = inv.player();
    match slash {
        Slash::CharacterNew => {
            let name = options
                .get("name")
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty());
            let faction = options
                .word("faction", &["autobot", "decepticon"])
                .map_err(bad)?
                .map(faction_of);
            let classes: Vec<&str> = class_choices().iter().map(|(_, v)| *v).collect();
            let class = options
                .word("class", &classes)
                .map_err(bad)?
                .map(str::to_string);
            let spark = match (&name, faction, &class) {
                (Some(_), Some(_), Some(_)) => None,
                _ => app.read(move |w| social::view::identity(w, player)).await?,
            };
            let (name, faction, class) = from_spark(name, faction, class, spark.as_ref())?;
            create(app, inv, name, faction, class).await
        }
        Slash::CharacterView => {
            let whose = PlayerId(options.user("user").map_err(bad)?.unwrap_or(inv.user));
            Ok(Response::Message(sheet(app, whose).await?))
        }
        Slash::Equip => {
            let character = options.required_integer("character").map_err(bad)?;
            let character =
                u32::try_from(character).map_err(|_| refuse("There is no such character."))?;
            let item = options.required("item").map_err(bad)?.trim().to_string();
            let item = resolve_item(app, player, character, &item).await?;
            let looked_up = item.clone();
            let worn = app
                .read(move |w| {
                    rpg::view::character(w, player, character)
                        .is_some_and(|c| c.equipped.contains(&looked_up))
                })
                .await?;
            let command = if worn {
                RpgCommand::Unequip { character, item }
            } else {
                RpgCommand::Equip { character, item }
            };
            app.execute(inv, Command::Rpg(command)).await?;
            Ok(Response::Message(sheet(app, player).await?))
        }
        Slash::KillCharacter => {
            let character = options.required_integer("character").map_err(bad)?;
            let character =
                u32::try_from(character).map_err(|_| refuse("There is no such character."))?;
            app.execute(inv, Command::Rpg(RpgCommand::RequestKill { character }))
                .await?;
            let name = character_name(app, player, character);
            Ok(Response::Message(render::kill_confirm(
                player, character, &name,
            )))
        }
        Slash::CyberInfo => Ok(Response::Message(render::info())),
        Slash::CyberRandom
        | Slash::CyberBattle
        | Slash::CyberEvent
        | Slash::CyberStory
        | Slash::StartCyberchronicles => {
            let kind = match slash {
                Slash::CyberRandom => AdventureKind::Random,
                Slash::CyberBattle => AdventureKind::Battle,
                Slash::CyberEvent => AdventureKind::Event,
                Slash::CyberStory => AdventureKind::Story,
                _ => AdventureKind::Chronicle,
            };
            let named = options.integer("character").map_err(bad)?;
            let character = pick_character(app, player, named).await?;
            let channel = Snowflake(inv.place.channel.unwrap_or(0));
            let events = app
                .execute(
                    inv,
                    Command::Rpg(RpgCommand::OpenParty {
                        kind,
                        character,
                        channel,
                    }),
                )
                .await?;
            let adventure = events
                .iter()
                .find_map(|e| match e {
                    Event::Rpg(RpgEvent::PartyOpened { adventure, .. }) => Some(*adventure),
                    _ => None,
                })
                .ok_or_else(|| refuse("No party formed; try again."))?;
            Ok(Response::Message(adventure_view(app, adventure).await?))
        }
        Slash::StopCyberchronicles => {
            let channel = Snowflake(inv.place.channel.unwrap_or(0));
            let running = app
                .read(move |w| rpg::view::chronicle_in(w, channel).map(|a| a.number))
                .await?;
            let Some(adventure) = running else {
                return Err(refuse("No chronicle is running in this channel."));
            };
            let actor = if inv.operator {
                inv.operator_actor()
            } else {
                inv.actor()
            };
            app.execute_as(inv.id, actor, Command::Rpg(RpgCommand::Stop { adventure }))
                .await?;
            Ok(Response::Message(adventure_view(app, adventure).await?))
        }
    }
}

/// An item id as typed or picked: the id itself, or a name (any case) of gear the character
/// owns.
async fn resolve_item(
    app: &App,
    player: PlayerId,
    character: u32,
    typed: &str,
) -> Result<String, Response> {
    let typed = typed.to_string();
    app.read(move |w| {
        let Some(c) = rpg::view::character(w, player, character) else {
            return typed.clone();
        };
        c.owned
            .keys()
            .find(|id| {
                **id == typed
                    || rpg::view::gear(id).is_some_and(|g| g.name.eq_ignore_ascii_case(&typed))
            })
            .cloned()
            .unwrap_or(typed)
    })
    .await
}

/// Everything a character sheet needs: the player's characters with their names.
pub async fn sheet(app: &App, player: PlayerId) -> Result<Reply, Response> {
    let characters: Vec<rpg::Character> = app
        .read(move |w| {
            rpg::view::characters(w, player)
                .into_iter()
                .cloned()
                .collect()
        })
        .await?;
    let named: Vec<(rpg::Character, String)> = characters
        .into_iter()
        .map(|c| {
            let name = character_name(app, player, c.number);
            (c, name)
        })
        .collect();
    Ok(render::sheet(player, &named))
}

/// Adventure `number` as it stands, with every member's character and name.
pub async fn adventure_view(app: &App, number: u32) -> Result<Reply, Response> {
    let found = app
        .read(move |w| {
            let adventure = rpg::view::adventure(w, number)?.clone();
            let characters: Vec<rpg::Character> = adventure
                .members
                .iter()
                .filter_map(|(_, c)| rpg::view::character_by_number(w, *c).cloned())
                .collect();
            Some((adventure, characters))
        })
        .await?;
    let Some((adventure, characters)) = found else {
        return Ok(Reply::text(format!(
            "Adventure #{number} is over and no longer kept (or never formed)."
        )));
    };
    let names: BTreeMap<u32, String> = characters
        .iter()
        .map(|c| (c.number, character_name(app, c.owner, c.number)))
        .collect();
    Ok(render::adventure(&adventure, &characters, &names))
}

/// Each member of an adventure with their character's name (a battle's labels).
pub async fn fighter_names(app: &App, adventure: u32) -> Result<Vec<(PlayerId, String)>, Response> {
    let members = app
        .read(move |w| {
            rpg::view::adventure(w, adventure)
                .map(|a| a.members.clone())
                .unwrap_or_default()
        })
        .await?;
    Ok(members
        .into_iter()
        .map(|(player, character)| (player, character_name(app, player, character)))
        .collect())
}

/// The adventure `response` shows (its buttons name it), to keep live.
pub fn shown_adventure(response: &Response) -> Option<u32> {
    crate::view::shown(response, |press| match press {
        crate::areas::Press::Rpg(
            Press::Join { adventure }
            | Press::Leave { adventure }
            | Press::Start { adventure }
            | Press::Stop { adventure }
            | Press::Approach { adventure, .. }
            | Press::Vote { adventure, .. }
            | Press::Battle { adventure, .. }
            | Press::Watch { adventure },
        ) => Some(adventure),
        _ => None,
    })
}

pub async fn press(app: &App, inv: &Invocation, press: Press, _values: &[String]) -> Handled {
    let player = inv.player();
    let (adventure, command) = match press {
        Press::Kill {
            character, confirm, ..
        } => {
            let command = if confirm {
                RpgCommand::ConfirmKill { character }
            } else {
                RpgCommand::CancelKill { character }
            };
            let name = character_name(app, player, character);
            app.execute(inv, Command::Rpg(command)).await?;
            return Ok(Response::Update(render::killed(&name, confirm)));
        }
        Press::Watch { adventure } => {
            return Ok(Response::Update(adventure_view(app, adventure).await?))
        }
        Press::FromSpark { .. } => {
            let spark = app.read(move |w| social::view::identity(w, player)).await?;
            let spark = spark.ok_or_else(|| refuse("You have no spark: /spark forges one."))?;
            let (name, faction, class) = from_spark(None, None, None, Some(&spark))?;
            return create(app, inv, name, faction, class).await;
        }
        Press::Battle { adventure, segment } => {
            let battle = app
                .read(move |w| {
                    rpg::view::adventure(w, adventure)
                        .and_then(|a| a.segments.iter().find(|s| s.index == segment))
                        .and_then(|s| match &s.plan {
                            rpg::SegmentPlan::Battle { battle, .. } => Some(*battle),
                            _ => None,
                        })
                })
                .await?;
            let battle = battle.ok_or_else(|| refuse("That battle is gone."))?;
            return Ok(Response::Message(app.battle_view(battle).await?));
        }
        Press::Join { adventure } => {
            let character = pick_character(app, player, None).await?;
            (
                adventure,
                RpgCommand::JoinParty {
                    adventure,
                    character,
                },
            )
        }
        Press::Leave { adventure } => (adventure, RpgCommand::LeaveParty { adventure }),
        Press::Start { adventure } => (adventure, RpgCommand::StartParty { adventure }),
        Press::Stop { adventure } => (adventure, RpgCommand::Stop { adventure }),
        Press::Approach {
            adventure,
            segment,
            stat,
        } => (
            adventure,
            RpgCommand::ChooseApproach {
                adventure,
                segment,
                stat,
            },
        ),
        Press::Vote {
            adventure,
            segment,
            choice,
        } => (
            adventure,
            RpgCommand::Vote {
                adventure,
                segment,
                choice,
            },
        ),
    };
    match app.try_execute(inv, Command::Rpg(command)).await {
        Ok(_) => {}
        // A button of a segment that moved on (someone else chose first, the vote closed):
        // the adventure as it stands, for everyone.
        Err(Refused {
            rejection:
                Some(Rejection::Rpg(
                    RpgRejection::StaleSegment
                    | RpgRejection::ApproachTaken
                    | RpgRejection::AdventureOver { .. },
                )),
            ..
        }) => {}
        Err(refused) => return Err(refused.answer),
    }
    Ok(Response::Update(adventure_view(app, adventure).await?))
}

pub async fn form(
    _app: &App,
    _inv: &Invocation,
    _press: Press,
    _fields: &BTreeMap<String, String>,
) -> Handled {
    Err(refuse("The RPG has no forms."))
}

/// `/equip item:` suggestions: gear the asker's characters own whose name contains what was
/// typed, each with the character that owns it.
pub async fn autocomplete(
    app: &App,
    inv: &Invocation,
    slash: Slash,
    option: &str,
    partial: &str,
) -> Vec<Choice> {
    if slash != Slash::Equip || option != "item" {
        return Vec::new();
    }
    let player = inv.player();
    let partial = partial.trim().to_lowercase();
    let owned = app
        .read(move |w| {
            let mut owned = Vec::new();
            for c in rpg::view::characters(w, player) {
                for id in c.owned.keys() {
                    if let Some(gear) = rpg::view::gear(id) {
                        let worn = c.equipped.contains(id);
                        owned.push((c.number, gear, worn));
                    }
                }
            }
            owned
        })
        .await
        .unwrap_or_default();
    owned
        .into_iter()
        .filter(|(_, gear, _)| gear.name.to_lowercase().contains(&partial))
        .take(crate::reply::limits::AUTOCOMPLETE_CHOICES)
        .map(|(number, gear, worn)| Choice {
            name: crate::view::truncate(
                &format!(
                    "{} ({}, {}) · #{number}{}",
                    gear.name,
                    gear.kind.label(),
                    gear.rarity.label(),
                    if worn { " · worn" } else { "" }
                ),
                100,
            ),
            value: gear.id.clone(),
        })
        .collect()
}
