//! The RPG's rules: one `decide_<command>` per command, and what a segment's end leads to.

use serde::{Deserialize, Serialize};

use crate::battle::sim::{Fighter, Who};
use crate::battle::{BattleId, BattleMode};
use crate::content;
use crate::dice::Dice;
use crate::energon::{EnergonEvent, LedgerRule};
use crate::ids::{Actor, PlayerId, Snowflake, Timestamp};
use crate::pets::content::Rarity;
use crate::pets::Faction;
use crate::rpg::content::{GearKind, Stat, Stats};
use crate::rpg::state::{Adventure, Character, Rpg};
use crate::rpg::tuning::*;
use crate::rpg::{
    AdventureKind, AdventureOutcome, Brief, Line, NarrationSource, Pool, RpgCommand, RpgEvent,
    Seat, SegmentPlan,
};
use crate::world::{Ctx, Event, Rejection, World};

/// Why an RPG command changed nothing.
#[derive(
    Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, schemars::JsonSchema,
)]
pub enum RpgRejection {
    #[error("only players can do that")]
    PlayersOnly,
    #[error("only the system does that")]
    SystemOnly,
    #[error("a name is 1 to {max} letters, digits, spaces and - ' . ! ?")]
    NameInvalid { max: usize },
    #[error("there is no class {class}; pick one of the eight")]
    UnknownClass { class: String },
    #[error("you already have {max} characters; /kill_character one to make room")]
    TooManyCharacters { max: usize },
    #[error("you have no character #{character}; /character_view lists yours")]
    NoSuchCharacter { character: u32 },
    #[error("character #{character} doesn't own {item}")]
    NotOwned { character: u32, item: String },
    #[error("{item} is already worn by character #{character}")]
    AlreadyWorn { character: u32, item: String },
    #[error("{item} isn't worn by character #{character}")]
    NotWorn { character: u32, item: String },
    #[error("character #{character} already wears {max} of that kind; take one off first")]
    KindFull { character: u32, max: usize },
    #[error("character #{character} is on an adventure; it can't be deleted until that ends")]
    CharacterBusy { character: u32 },
    #[error("nothing to confirm: ask to delete character #{character} again")]
    NoKillRequest { character: u32 },
    #[error("you are {activity}; finish that first")]
    Busy { activity: crate::area::Engagement },
    #[error("there is no adventure #{adventure}")]
    NoSuchAdventure { adventure: u32 },
    #[error("adventure #{adventure} has already set out")]
    AlreadyStarted { adventure: u32 },
    #[error("adventure #{adventure} is over")]
    AdventureOver { adventure: u32 },
    #[error("the party of adventure #{adventure} is full ({max})")]
    PartyFull { adventure: u32, max: usize },
    #[error("you're not in adventure #{adventure}")]
    NotInParty { adventure: u32 },
    #[error("you're already in adventure #{adventure}")]
    AlreadyInParty { adventure: u32 },
    #[error("only whoever formed adventure #{adventure} can do that")]
    CreatorOnly { adventure: u32 },
    #[error("this channel already has a chronicle running (#{adventure})")]
    ChronicleRunning { adventure: u32 },
    #[error("that isn't the segment being played any more")]
    StaleSegment,
    #[error("the party's approach is already chosen")]
    ApproachTaken,
    #[error("that is not a challenge")]
    NotAChallenge,
    #[error("that is not a vote")]
    NotAVote,
    #[error("there is no choice {choice}; a story offers 1, 2 or 3")]
    NoSuchChoice { choice: u8 },
    #[error("not yet: the deadline is {deadline}")]
    TooEarly { deadline: Timestamp },
    #[error("the battle decides this segment: fight or surrender it")]
    InBattle,
    #[error("that segment is already told")]
    AlreadyNarrated,
    #[error("a narration must be 1 to {max} characters with no mention, link or code")]
    NarrationInvalid { max: usize },
    #[error("adventure #{adventure} has not set out yet")]
    NotStarted { adventure: u32 },
}

pub(crate) fn decide(
    world: &World,
    ctx: &mut Ctx,
    command: &RpgCommand,
) -> Result<Vec<Event>, Rejection> {
    let events = match command {
        RpgCommand::ExpireParty { adventure } => return decide_expire(world, ctx, *adventure),
        RpgCommand::Timeout { adventure, segment } => {
            return decide_timeout(world, ctx, *adventure, *segment)
        }
        RpgCommand::Narrate {
            adventure,
            segment,
            text,
            source,
        } => return decide_narrate(world, ctx, *adventure, *segment, text, *source),
        RpgCommand::Stop { adventure } => return decide_stop(world, ctx, *adventure),
        _ => {
            let Actor::Player(player) = ctx.actor else {
                return Err(RpgRejection::PlayersOnly.into());
            };
            decide_player(world, ctx, player, command)?
        }
    };
    Ok(events)
}

fn decide_player(
    world: &World,
    ctx: &mut Ctx,
    player: PlayerId,
    command: &RpgCommand,
) -> Result<Vec<Event>, Rejection> {
    match command {
        RpgCommand::CreateCharacter {
            name,
            faction,
            class,
        } => decide_create(world, player, name, *faction, class),
        RpgCommand::Equip { character, item } => decide_equip(world, player, *character, item),
        RpgCommand::Unequip { character, item } => decide_unequip(world, player, *character, item),
        RpgCommand::RequestKill { character } => {
            decide_request_kill(world, ctx, player, *character)
        }
        RpgCommand::ConfirmKill { character } => {
            decide_confirm_kill(world, ctx, player, *character)
        }
        RpgCommand::CancelKill { character } => decide_cancel_kill(world, player, *character),
        RpgCommand::OpenParty {
            kind,
            character,
            channel,
        } => decide_open(world, ctx, player, *kind, *character, *channel),
        RpgCommand::JoinParty {
            adventure,
            character,
        } => decide_join(world, player, *adventure, *character),
        RpgCommand::LeaveParty { adventure } => decide_leave(world, player, *adventure),
        RpgCommand::StartParty { adventure } => decide_start(world, ctx, player, *adventure),
        RpgCommand::ChooseApproach {
            adventure,
            segment,
            stat,
        } => decide_approach(world, ctx, Some(player), *adventure, *segment, *stat),
        RpgCommand::Vote {
            adventure,
            segment,
            choice,
        } => decide_vote(world, ctx, player, *adventure, *segment, *choice),
        RpgCommand::ExpireParty { .. }
        | RpgCommand::Timeout { .. }
        | RpgCommand::Narrate { .. }
        | RpgCommand::Stop { .. } => Ok(Vec::new()),
    }
}

fn rpg(world: &World) -> &Rpg {
    &world.rpg
}

fn ev(event: RpgEvent) -> Event {
    Event::Rpg(event)
}

fn decide_create(
    world: &World,
    player: PlayerId,
    name: &str,
    faction: Faction,
    class: &str,
) -> Result<Vec<Event>, Rejection> {
    if !crate::pets::is_valid_name_within(name, NAME_LEN_MAX_CHARS) {
        return Err(RpgRejection::NameInvalid {
            max: NAME_LEN_MAX_CHARS,
        }
        .into());
    }
    let Some(def) = content::get().rpg.classes.get(class) else {
        return Err(RpgRejection::UnknownClass {
            class: crate::ids::quote(class),
        }
        .into());
    };
    if rpg(world).characters_of(player).count() >= CHARACTERS_MAX {
        return Err(RpgRejection::TooManyCharacters {
            max: CHARACTERS_MAX,
        }
        .into());
    }
    Ok(vec![ev(RpgEvent::CharacterCreated {
        player,
        character: rpg(world).created + 1,
        faction,
        class: def.id.clone(),
        stats: starting_stats(def, faction),
    })])
}

/// A new character's stats: its class's template for its faction plus the creation bonus.
pub(crate) fn starting_stats(def: &crate::rpg::content::ClassDef, faction: Faction) -> Stats {
    let template = def.template(faction);
    let bonus = CREATION_STAT_BONUS;
    Stats {
        attack: template.attack + bonus,
        defense: template.defense + bonus,
        dexterity: template.dexterity + bonus,
        intelligence: template.intelligence + bonus,
        charisma: template.charisma + bonus,
        hp: template.hp + CREATION_HP_BONUS,
    }
}

fn own(world: &World, player: PlayerId, character: u32) -> Result<&Character, Rejection> {
    rpg(world)
        .character_of(player, character)
        .ok_or_else(|| RpgRejection::NoSuchCharacter { character }.into())
}

fn decide_equip(
    world: &World,
    player: PlayerId,
    number: u32,
    item: &str,
) -> Result<Vec<Event>, Rejection> {
    let character = own(world, player, number)?;
    let owned = character.owned.get(item).copied().unwrap_or(0);
    let Some(def) = content::get().rpg.gear.get(item).filter(|_| owned > 0) else {
        return Err(RpgRejection::NotOwned {
            character: number,
            item: crate::ids::quote(item),
        }
        .into());
    };
    let worn = character.equipped.iter().filter(|i| *i == item).count() as u32;
    if worn >= owned {
        return Err(RpgRejection::AlreadyWorn {
            character: number,
            item: def.name.clone(),
        }
        .into());
    }
    let gear = &content::get().rpg.gear;
    let of_kind = character
        .equipped
        .iter()
        .filter(|i| gear.get(*i).is_some_and(|g| g.kind == def.kind))
        .count();
    if of_kind >= def.kind.worn_max() {
        return Err(RpgRejection::KindFull {
            character: number,
            max: def.kind.worn_max(),
        }
        .into());
    }
    Ok(vec![ev(RpgEvent::Equipped {
        player,
        character: number,
        item: def.id.clone(),
    })])
}

fn decide_unequip(
    world: &World,
    player: PlayerId,
    number: u32,
    item: &str,
) -> Result<Vec<Event>, Rejection> {
    let character = own(world, player, number)?;
    let Some(worn) = character.equipped.iter().find(|i| *i == item) else {
        return Err(RpgRejection::NotWorn {
            character: number,
            item: crate::ids::quote(item),
        }
        .into());
    };
    Ok(vec![ev(RpgEvent::Unequipped {
        player,
        character: number,
        item: worn.clone(),
    })])
}

/// Whether the character is in a party or adventure now.
fn in_adventure(world: &World, player: PlayerId, number: u32) -> bool {
    rpg(world)
        .adventure_of(player)
        .is_some_and(|a| a.members.iter().any(|(p, c)| *p == player && *c == number))
}

fn decide_request_kill(
    world: &World,
    ctx: &Ctx,
    player: PlayerId,
    number: u32,
) -> Result<Vec<Event>, Rejection> {
    own(world, player, number)?;
    if in_adventure(world, player, number) {
        return Err(RpgRejection::CharacterBusy { character: number }.into());
    }
    Ok(vec![ev(RpgEvent::KillRequested {
        player,
        character: number,
        expires_at: ctx.now.plus_secs(KILL_CONFIRM_SECS),
    })])
}

fn decide_confirm_kill(
    world: &World,
    ctx: &Ctx,
    player: PlayerId,
    number: u32,
) -> Result<Vec<Event>, Rejection> {
    own(world, player, number)?;
    let pending = rpg(world).kills.get(&number).copied();
    if pending.is_none_or(|until| ctx.now > until) {
        return Err(RpgRejection::NoKillRequest { character: number }.into());
    }
    if in_adventure(world, player, number) {
        return Err(RpgRejection::CharacterBusy { character: number }.into());
    }
    Ok(vec![ev(RpgEvent::CharacterKilled {
        player,
        character: number,
    })])
}

fn decide_cancel_kill(
    world: &World,
    player: PlayerId,
    number: u32,
) -> Result<Vec<Event>, Rejection> {
    own(world, player, number)?;
    if !rpg(world).kills.contains_key(&number) {
        return Err(RpgRejection::NoKillRequest { character: number }.into());
    }
    Ok(vec![ev(RpgEvent::KillCancelled {
        player,
        character: number,
    })])
}

fn check_free(world: &World, player: PlayerId) -> Result<(), Rejection> {
    if let Some(adventure) = rpg(world).adventure_of(player) {
        return Err(RpgRejection::AlreadyInParty {
            adventure: adventure.number,
        }
        .into());
    }
    match world.activity(player) {
        Some(activity) => Err(RpgRejection::Busy { activity }.into()),
        None => Ok(()),
    }
}

fn adventure(world: &World, number: u32) -> Result<&Adventure, Rejection> {
    rpg(world)
        .adventures
        .get(&number)
        .ok_or_else(|| RpgRejection::NoSuchAdventure { adventure: number }.into())
}

fn decide_open(
    world: &World,
    ctx: &mut Ctx,
    player: PlayerId,
    kind: AdventureKind,
    character: u32,
    channel: Snowflake,
) -> Result<Vec<Event>, Rejection> {
    own(world, player, character)?;
    check_free(world, player)?;
    if kind == AdventureKind::Chronicle {
        if let Some(running) = rpg(world).chronicle_of.get(&channel) {
            return Err(RpgRejection::ChronicleRunning {
                adventure: *running,
            }
            .into());
        }
    }
    let number = rpg(world).opened + 1;
    let mut events = vec![ev(RpgEvent::PartyOpened {
        adventure: number,
        kind,
        creator: player,
        character,
        channel,
        expires_at: ctx.now.plus_secs(PARTY_TTL_SECS),
    })];
    if kind == AdventureKind::Chronicle {
        // A chronicle sets out at once; others join between chapters.
        let members = vec![(player, character)];
        events.extend(set_out(world, ctx, number, kind, &members));
    }
    Ok(events)
}

fn decide_join(
    world: &World,
    player: PlayerId,
    number: u32,
    character: u32,
) -> Result<Vec<Event>, Rejection> {
    let entry = adventure(world, number)?;
    if entry.ended.is_some() {
        return Err(RpgRejection::AdventureOver { adventure: number }.into());
    }
    if entry.started.is_some() && entry.kind != AdventureKind::Chronicle {
        return Err(RpgRejection::AlreadyStarted { adventure: number }.into());
    }
    if entry.has_member(player) {
        return Err(RpgRejection::AlreadyInParty { adventure: number }.into());
    }
    own(world, player, character)?;
    check_free(world, player)?;
    if entry.members.len() >= PARTY_MAX {
        return Err(RpgRejection::PartyFull {
            adventure: number,
            max: PARTY_MAX,
        }
        .into());
    }
    Ok(vec![ev(RpgEvent::PartyJoined {
        adventure: number,
        player,
        character,
    })])
}

fn decide_leave(world: &World, player: PlayerId, number: u32) -> Result<Vec<Event>, Rejection> {
    let entry = adventure(world, number)?;
    if !entry.has_member(player) || entry.ended.is_some() {
        return Err(RpgRejection::NotInParty { adventure: number }.into());
    }
    if entry.kind == AdventureKind::Chronicle && entry.started.is_some() {
        return Ok(withdraw(entry, player));
    }
    if entry.started.is_some() {
        return Err(RpgRejection::AlreadyStarted { adventure: number }.into());
    }
    if entry.creator == Some(player) {
        return Ok(vec![ev(RpgEvent::PartyDisbanded { adventure: number })]);
    }
    Ok(vec![ev(RpgEvent::PartyLeft {
        adventure: number,
        player,
    })])
}

/// A member leaves a running adventure; when nobody is left it ends.
fn withdraw(entry: &Adventure, player: PlayerId) -> Vec<Event> {
    let mut events = vec![ev(RpgEvent::MemberWithdrawn {
        adventure: entry.number,
        player,
    })];
    if entry.members.iter().all(|(p, _)| *p == player) {
        events.push(ev(RpgEvent::AdventureEnded {
            adventure: entry.number,
            outcome: AdventureOutcome::Deserted,
        }));
    }
    events
}

fn decide_start(
    world: &World,
    ctx: &mut Ctx,
    player: PlayerId,
    number: u32,
) -> Result<Vec<Event>, Rejection> {
    let entry = adventure(world, number)?;
    if entry.creator != Some(player) {
        return Err(RpgRejection::CreatorOnly { adventure: number }.into());
    }
    if entry.started.is_some() {
        return Err(RpgRejection::AlreadyStarted { adventure: number }.into());
    }
    Ok(set_out(world, ctx, number, entry.kind, &entry.members))
}

fn decide_expire(world: &World, ctx: &Ctx, number: u32) -> Result<Vec<Event>, Rejection> {
    if matches!(ctx.actor, Actor::Player(_)) {
        return Err(RpgRejection::SystemOnly.into());
    }
    let entry = adventure(world, number)?;
    if entry.started.is_some() {
        return Err(RpgRejection::AlreadyStarted { adventure: number }.into());
    }
    if ctx.now < entry.expires_at {
        return Err(RpgRejection::TooEarly {
            deadline: entry.expires_at,
        }
        .into());
    }
    Ok(vec![ev(RpgEvent::PartyDisbanded { adventure: number })])
}

/// The party sets out: a place, the number of segments, and the first segment.
fn set_out(
    world: &World,
    ctx: &mut Ctx,
    number: u32,
    kind: AdventureKind,
    members: &[(PlayerId, u32)],
) -> Vec<Event> {
    let places = &content::get().rpg.tales.places;
    let place = pick(&mut ctx.dice, places).cloned().unwrap_or_default();
    let segments = match kind {
        AdventureKind::Chronicle => CHRONICLE_CHAPTERS,
        _ => ADVENTURE_SEGMENTS,
    };
    let mut events = vec![ev(RpgEvent::AdventureStarted {
        adventure: number,
        place: place.clone(),
        segments,
    })];
    let fresh = Fresh {
        kind,
        place,
        members: members.to_vec(),
        moments: Vec::new(),
        lines_used: Vec::new(),
        used_subjects: Vec::new(),
    };
    events.extend(open_segment(world, ctx, number, 0, &fresh));
    events
}

fn pick<'a, T>(dice: &mut Dice, items: &'a [T]) -> Option<&'a T> {
    if items.is_empty() {
        return None;
    }
    items.get(dice.below(items.len() as u64) as usize)
}

/// What opening a segment needs to know of its adventure (also for an adventure that is
/// being set out in the same batch, not yet in the World).
struct Fresh {
    kind: AdventureKind,
    place: String,
    members: Vec<(PlayerId, u32)>,
    moments: Vec<crate::rpg::Moment>,
    lines_used: Vec<Line>,
    used_subjects: Vec<String>,
}

impl Fresh {
    fn of(entry: &Adventure) -> Fresh {
        Fresh {
            kind: entry.kind,
            place: entry
                .started
                .as_ref()
                .map(|s| s.0.clone())
                .unwrap_or_default(),
            members: entry.members.clone(),
            moments: entry.moments.clone(),
            lines_used: entry.lines_used.iter().copied().collect(),
            used_subjects: entry
                .segments
                .iter()
                .map(|s| match &s.plan {
                    SegmentPlan::Event { challenge, .. } => challenge.clone(),
                    SegmentPlan::Story { crossroad } => crossroad.clone(),
                    SegmentPlan::Battle { enemy, .. } => enemy.clone(),
                })
                .collect(),
        }
    }
}

fn average_level(world: &World, members: &[(PlayerId, u32)]) -> u32 {
    let levels: Vec<u32> = members
        .iter()
        .filter_map(|(_, c)| rpg(world).characters.get(c).map(|c| c.level))
        .collect();
    (levels.iter().sum::<u32>() / levels.len().max(1) as u32).max(1)
}

/// A pool's index the adventure has not used lately, by the dice (any, if all were).
fn fresh_line(dice: &mut Dice, pool: Pool, len: usize, used: &mut Vec<Line>) -> Option<Line> {
    if len == 0 {
        return None;
    }
    let unused: Vec<u16> = (0..len.min(usize::from(u16::MAX)) as u16)
        .filter(|index| {
            !used.contains(&Line {
                pool,
                index: *index,
            })
        })
        .collect();
    let index = match unused.as_slice() {
        [] => dice.below(len as u64) as u16,
        some => some[dice.below(some.len() as u64) as usize],
    };
    let line = Line { pool, index };
    used.push(line);
    Some(line)
}

fn pool_len(pool: Pool) -> usize {
    let tales = &content::get().rpg.tales;
    match pool {
        Pool::Opening => tales.openings.len(),
        Pool::Complication => tales.complications.len(),
        Pool::BattleIntro => tales.battle_intros.len(),
        Pool::Hook => tales.chapter_hooks.len(),
        Pool::Closing => tales.closings.len(),
        Pool::Victory => tales.victories.len(),
        Pool::Defeat => tales.defeats.len(),
    }
}

/// Opens segment `index`: its plan (by the dice, never a subject this adventure already
/// played while fresh ones are left), its deadline, the battle if it is one, and the
/// storyteller's brief.
fn open_segment(world: &World, ctx: &mut Ctx, number: u32, index: u8, fresh: &Fresh) -> Vec<Event> {
    let rpg_content = &content::get().rpg;
    let kind = match fresh.kind {
        AdventureKind::Battle => 2,
        AdventureKind::Event => 0,
        AdventureKind::Story => 1,
        AdventureKind::Random => ctx.dice.below(3),
        AdventureKind::Chronicle => ctx.dice.below(2),
    };
    let level = average_level(world, &fresh.members);
    let mut events = Vec::new();
    let (plan, deadline) = match kind {
        0 => {
            // Extreme challenges wait for a seasoned party, hard ones for a tried one.
            let hardest = match level {
                0..=4 => crate::rpg::Difficulty::Medium,
                5..=9 => crate::rpg::Difficulty::Hard,
                _ => crate::rpg::Difficulty::Extreme,
            };
            let ids: Vec<&String> = rpg_content
                .challenges
                .iter()
                .filter(|(_, c)| c.difficulty <= hardest)
                .map(|(id, _)| id)
                .collect();
            let id = pick_unused(&mut ctx.dice, &ids, &fresh.used_subjects);
            let difficulty = rpg_content
                .challenges
                .get(&id)
                .map_or(crate::rpg::Difficulty::Medium, |c| c.difficulty);
            let plan = SegmentPlan::Event {
                challenge: id,
                class: difficulty_class(difficulty, level),
            };
            (plan, ctx.now.plus_secs(EVENT_SECS))
        }
        1 => {
            let ids: Vec<&String> = rpg_content.crossroads.keys().collect();
            let id = pick_unused(&mut ctx.dice, &ids, &fresh.used_subjects);
            let secs = if fresh.kind == AdventureKind::Chronicle {
                CHAPTER_SECS
            } else {
                VOTE_SECS
            };
            (
                SegmentPlan::Story { crossroad: id },
                ctx.now.plus_secs(secs),
            )
        }
        _ => {
            let enemy = pick_enemy(&mut ctx.dice, level, &fresh.used_subjects);
            let fighters: Vec<Fighter> = fresh
                .members
                .iter()
                .filter_map(|(player, c)| rpg(world).characters.get(c).map(|c| (player, c)))
                .map(|(player, c)| character_fighter(*player, c))
                .collect();
            let (battle, started) = crate::battle::rules::start_adventure_battle(
                world,
                ctx,
                BattleMode::Adventure {
                    adventure: number,
                    segment: index,
                },
                fighters,
                &enemy,
            );
            events.extend(started);
            (
                SegmentPlan::Battle { battle, enemy },
                ctx.now.plus_secs(BATTLE_SEGMENT_SECS),
            )
        }
    };
    let mut used = fresh.lines_used.clone();
    let mut lines = Vec::new();
    lines.extend(fresh_line(
        &mut ctx.dice,
        Pool::Opening,
        pool_len(Pool::Opening),
        &mut used,
    ));
    match &plan {
        SegmentPlan::Battle { .. } => lines.extend(fresh_line(
            &mut ctx.dice,
            Pool::BattleIntro,
            pool_len(Pool::BattleIntro),
            &mut used,
        )),
        _ => lines.extend(fresh_line(
            &mut ctx.dice,
            Pool::Complication,
            pool_len(Pool::Complication),
            &mut used,
        )),
    }
    if fresh.kind == AdventureKind::Chronicle {
        lines.extend(fresh_line(
            &mut ctx.dice,
            Pool::Hook,
            pool_len(Pool::Hook),
            &mut used,
        ));
    }
    let seats = fresh
        .members
        .iter()
        .filter_map(|(_, c)| rpg(world).characters.get(c))
        .map(|c| Seat {
            class: c.class.clone(),
            faction: c.faction,
            level: c.level,
        })
        .collect();
    let brief = Brief {
        kind: fresh.kind,
        segment: index,
        place: fresh.place.clone(),
        plan: plan.clone(),
        seats,
        moments: fresh.moments.clone(),
        lines,
    };
    let mut out = vec![
        ev(RpgEvent::SegmentOpened {
            adventure: number,
            segment: index,
            plan,
            deadline,
        }),
        ev(RpgEvent::NarrationRequested {
            adventure: number,
            segment: index,
            brief,
        }),
    ];
    out.extend(events);
    out
}

fn pick_unused(dice: &mut Dice, ids: &[&String], used: &[String]) -> String {
    let fresh: Vec<&&String> = ids.iter().filter(|id| !used.contains(id)).collect();
    match fresh.as_slice() {
        [] => pick(dice, ids).map(|id| (*id).clone()).unwrap_or_default(),
        some => some[dice.below(some.len() as u64) as usize].to_string(),
    }
}

/// A monster or boss for a party of `level`: one meant for at most five levels above it,
/// fresh to this adventure if possible (the gentlest of all when none fits).
fn pick_enemy(dice: &mut Dice, level: u32, used: &[String]) -> String {
    use crate::battle::content::EnemyKind;
    let enemies = &content::get().enemies;
    let fitting: Vec<&String> = enemies
        .values()
        .filter(|e| e.kind != EnemyKind::Titan && e.recommended_level <= level + 5)
        .map(|e| &e.id)
        .collect();
    if fitting.is_empty() {
        return enemies
            .values()
            .min_by_key(|e| (e.recommended_level, e.id.clone()))
            .map(|e| e.id.clone())
            .unwrap_or_default();
    }
    pick_unused(dice, &fitting, used)
}

/// A character's stats with its worn gear.
pub fn with_gear(character: &Character) -> Stats {
    let gear = &content::get().rpg.gear;
    character
        .equipped
        .iter()
        .filter_map(|id| gear.get(id))
        .fold(character.stats, |stats, item| stats.plus(item.bonus))
}

/// A character as a battle fighter, on the party's side (0): attack from attack and half the
/// dexterity, defense from defense and a quarter of the intelligence, health from health.
pub fn character_fighter(player: PlayerId, character: &Character) -> Fighter {
    let stats = with_gear(character);
    Fighter::new(
        Who::Pet {
            player,
            faction: character.faction,
        },
        0,
        character.level,
        stats.hp.max(1),
        stats.hp.max(1),
        (stats.attack + stats.dexterity / 2).max(1),
        stats.defense + stats.intelligence / 4,
    )
}

/// The segment being played, checked against the one a press names.
fn playing(
    world: &World,
    number: u32,
    segment: u8,
) -> Result<(&Adventure, &crate::rpg::Segment), Rejection> {
    let entry = adventure(world, number)?;
    if entry.ended.is_some() {
        return Err(RpgRejection::AdventureOver { adventure: number }.into());
    }
    let Some(current) = entry.current().filter(|s| s.index == segment) else {
        return Err(RpgRejection::StaleSegment.into());
    };
    Ok((entry, current))
}

fn decide_approach(
    world: &World,
    ctx: &mut Ctx,
    by: Option<PlayerId>,
    number: u32,
    segment: u8,
    stat: Stat,
) -> Result<Vec<Event>, Rejection> {
    let (entry, current) = playing(world, number, segment)?;
    if let Some(player) = by {
        if !entry.has_member(player) {
            return Err(RpgRejection::NotInParty { adventure: number }.into());
        }
    }
    let SegmentPlan::Event { challenge, class } = &current.plan else {
        return Err(RpgRejection::NotAChallenge.into());
    };
    if current.approach.is_some() {
        return Err(RpgRejection::ApproachTaken.into());
    }
    let mut events = vec![ev(RpgEvent::ApproachChosen {
        adventure: number,
        segment,
        by,
        stat,
    })];
    let mut passed = 0;
    let mut members = Vec::new();
    for (player, c) in &entry.members {
        let Some(character) = rpg(world).characters.get(c) else {
            continue;
        };
        let roll = ctx.dice.d20();
        let bonus = with_gear(character).get(stat);
        let success = match roll {
            1 => false,
            20 => true,
            _ => roll + bonus >= *class,
        };
        passed += usize::from(success);
        members.push((*player, character));
        events.push(ev(RpgEvent::Rolled {
            adventure: number,
            segment,
            player: *player,
            character: *c,
            roll: roll as u8,
            bonus,
            class: *class,
            success,
        }));
    }
    let success = passed * 2 > members.len();
    let closing = fresh_closing(ctx, entry);
    events.push(ev(RpgEvent::ChallengeResolved {
        adventure: number,
        segment,
        success,
        closing,
    }));
    let difficulty = content::get()
        .rpg
        .challenges
        .get(challenge)
        .map_or(crate::rpg::Difficulty::Medium, |c| c.difficulty);
    let (loot_percent, rarity_base) = challenge_loot(difficulty);
    for (player, character) in members {
        events.extend(experience_events(
            ctx,
            player,
            character,
            challenge_xp(difficulty, character.level, success),
        ));
        let energon = challenge_energon(difficulty, success);
        if success {
            events.push(Event::Energon(EnergonEvent::Credited {
                player,
                amount: energon,
                rule: LedgerRule::AdventureReward,
            }));
            if ctx.dice.percent(loot_percent) {
                events.extend(loot(ctx, player, character, rarity_base));
            }
        } else {
            let amount = energon.min(world.energon.balance(player));
            if amount > 0 {
                events.push(Event::Energon(EnergonEvent::Debited {
                    player,
                    amount,
                    rule: LedgerRule::AdventureCost,
                }));
            }
        }
    }
    let moment = crate::rpg::Moment::Challenge {
        challenge: challenge.clone(),
        success,
    };
    events.extend(next_or_end(
        world,
        ctx,
        entry,
        segment,
        (moment, Line::closing(closing)),
        false,
    ));
    Ok(events)
}

fn fresh_closing(ctx: &mut Ctx, entry: &Adventure) -> u16 {
    let mut used: Vec<Line> = entry.lines_used.iter().copied().collect();
    fresh_line(
        &mut ctx.dice,
        Pool::Closing,
        pool_len(Pool::Closing),
        &mut used,
    )
    .map_or(0, |line| line.index)
}

fn decide_vote(
    world: &World,
    ctx: &mut Ctx,
    player: PlayerId,
    number: u32,
    segment: u8,
    choice: u8,
) -> Result<Vec<Event>, Rejection> {
    let (entry, current) = playing(world, number, segment)?;
    if !entry.has_member(player) {
        return Err(RpgRejection::NotInParty { adventure: number }.into());
    }
    if !matches!(current.plan, SegmentPlan::Story { .. }) {
        return Err(RpgRejection::NotAVote.into());
    }
    if choice > 2 {
        return Err(RpgRejection::NoSuchChoice { choice: choice + 1 }.into());
    }
    let mut events = vec![ev(RpgEvent::Voted {
        adventure: number,
        segment,
        player,
        choice,
    })];
    let mut votes = current.votes.clone();
    votes.insert(player, choice);
    if entry.members.iter().all(|(p, _)| votes.contains_key(p)) {
        events.extend(close_vote(world, ctx, entry, segment, &votes));
    }
    Ok(events)
}

fn close_vote(
    world: &World,
    ctx: &mut Ctx,
    entry: &Adventure,
    segment: u8,
    votes: &std::collections::BTreeMap<PlayerId, u8>,
) -> Vec<Event> {
    let mut counts = [0u8; 3];
    for choice in votes.values() {
        if let Some(count) = counts.get_mut(usize::from(*choice)) {
            *count = count.saturating_add(1);
        }
    }
    let top = counts.iter().copied().max().unwrap_or(0);
    let leaders: Vec<u8> = (0..3u8)
        .filter(|c| counts[usize::from(*c)] == top)
        .collect();
    let tie_broken = leaders.len() > 1;
    let choice = leaders[ctx.dice.below(leaders.len() as u64) as usize];
    let closing = fresh_closing(ctx, entry);
    let mut events = vec![ev(RpgEvent::VoteClosed {
        adventure: entry.number,
        segment,
        choice,
        counts,
        tie_broken,
        closing,
    })];
    for (player, c) in &entry.members {
        if let Some(character) = rpg(world).characters.get(c) {
            events.extend(experience_events(
                ctx,
                *player,
                character,
                story_xp(character.level),
            ));
        }
    }
    let moment = match &entry.current().map(|s| &s.plan) {
        Some(SegmentPlan::Story { crossroad }) => crate::rpg::Moment::Story {
            crossroad: crossroad.clone(),
            choice,
        },
        _ => crate::rpg::Moment::Story {
            crossroad: String::new(),
            choice,
        },
    };
    events.extend(next_or_end(
        world,
        ctx,
        entry,
        segment,
        (moment, Line::closing(closing)),
        false,
    ));
    events
}

fn decide_timeout(
    world: &World,
    ctx: &mut Ctx,
    number: u32,
    segment: u8,
) -> Result<Vec<Event>, Rejection> {
    if matches!(ctx.actor, Actor::Player(_)) {
        return Err(RpgRejection::SystemOnly.into());
    }
    let (entry, current) = playing(world, number, segment)?;
    if ctx.now < current.deadline {
        return Err(RpgRejection::TooEarly {
            deadline: current.deadline,
        }
        .into());
    }
    match &current.plan {
        SegmentPlan::Event { .. } => {
            let stat = Stat::ALL[ctx.dice.below(Stat::ALL.len() as u64) as usize];
            decide_approach(world, ctx, None, number, segment, stat)
        }
        SegmentPlan::Story { .. } => Ok(close_vote(world, ctx, entry, segment, &current.votes)),
        SegmentPlan::Battle { .. } => Err(RpgRejection::InBattle.into()),
    }
}

/// The longest narration kept, and what it may not hold.
pub fn is_valid_narration(text: &str) -> bool {
    let n_chars = text.chars().count();
    (1..=NARRATION_MAX_CHARS).contains(&n_chars)
        && !text.contains('@')
        && !text.contains('`')
        && !text.contains("](")
        && !text.contains("://")
}

fn decide_narrate(
    world: &World,
    ctx: &Ctx,
    number: u32,
    segment: u8,
    text: &str,
    source: NarrationSource,
) -> Result<Vec<Event>, Rejection> {
    if matches!(ctx.actor, Actor::Player(_)) {
        return Err(RpgRejection::SystemOnly.into());
    }
    let entry = adventure(world, number)?;
    let Some(target) = entry.segments.iter().find(|s| s.index == segment) else {
        return Err(RpgRejection::StaleSegment.into());
    };
    if target.narration.is_some() {
        return Err(RpgRejection::AlreadyNarrated.into());
    }
    if !is_valid_narration(text) {
        return Err(RpgRejection::NarrationInvalid {
            max: NARRATION_MAX_CHARS,
        }
        .into());
    }
    Ok(vec![ev(RpgEvent::Narrated {
        adventure: number,
        segment,
        text: text.to_string(),
        source,
    })])
}

fn decide_stop(world: &World, ctx: &Ctx, number: u32) -> Result<Vec<Event>, Rejection> {
    let entry = adventure(world, number)?;
    let allowed = match ctx.actor {
        Actor::Player(player) => entry.creator == Some(player),
        other => other.is_operator(),
    };
    if !allowed {
        return Err(RpgRejection::CreatorOnly { adventure: number }.into());
    }
    if entry.ended.is_some() {
        return Err(RpgRejection::AdventureOver { adventure: number }.into());
    }
    if entry.started.is_none() {
        return Err(RpgRejection::NotStarted { adventure: number }.into());
    }
    if entry
        .current()
        .is_some_and(|s| matches!(s.plan, SegmentPlan::Battle { .. }))
    {
        return Err(RpgRejection::InBattle.into());
    }
    Ok(vec![ev(RpgEvent::AdventureEnded {
        adventure: number,
        outcome: AdventureOutcome::Stopped,
    })])
}

/// After segment `segment` (whose moment and closing line `just` are in this batch, not yet
/// in the World): the next one, or the end (`Defeated` when the party lost a battle).
fn next_or_end(
    world: &World,
    ctx: &mut Ctx,
    entry: &Adventure,
    segment: u8,
    just: (crate::rpg::Moment, Line),
    defeated: bool,
) -> Vec<Event> {
    let total = entry.started.as_ref().map_or(0, |s| s.1);
    let outcome = if defeated {
        Some(AdventureOutcome::Defeated)
    } else if segment + 1 >= total {
        Some(AdventureOutcome::Completed)
    } else {
        None
    };
    if let Some(outcome) = outcome {
        return vec![ev(RpgEvent::AdventureEnded {
            adventure: entry.number,
            outcome,
        })];
    }
    let mut fresh = Fresh::of(entry);
    let (moment, line) = just;
    fresh.moments.push(moment);
    while fresh.moments.len() > MOMENTS_KEPT {
        fresh.moments.remove(0);
    }
    fresh.lines_used.push(line);
    open_segment(world, ctx, entry.number, segment + 1, &fresh)
}

/// Experience for one character, and the levels it reaches with their gains (by the dice).
fn experience_events(
    ctx: &mut Ctx,
    player: PlayerId,
    character: &Character,
    amount: u64,
) -> Vec<Event> {
    if amount == 0 {
        return Vec::new();
    }
    let mut events = vec![ev(RpgEvent::ExperienceGained {
        player,
        character: character.number,
        amount,
    })];
    let reached = level_for_xp(character.xp.saturating_add(amount));
    let main = content::get()
        .rpg
        .classes
        .get(&character.class)
        .map_or(Stat::Attack, |class| class.main_stat);
    let mut stats = character.stats;
    for level in character.level + 1..=reached {
        let mut gains = Stats {
            attack: 1,
            defense: 1,
            dexterity: 1,
            intelligence: 1,
            charisma: 1,
            hp: 0,
        };
        gains.add_to(main, 1);
        for _ in 0..LEVEL_RANDOM_POINTS {
            let stat = Stat::ALL[ctx.dice.below(Stat::ALL.len() as u64) as usize];
            gains.add_to(stat, 1);
        }
        gains.hp = LEVEL_HP_BASE + 2 * stats.get(main) + ctx.dice.d20();
        stats = stats.plus(gains);
        events.push(ev(RpgEvent::LeveledUp {
            player,
            character: character.number,
            level,
            gains,
        }));
    }
    events
}

/// One piece of gear of a rarity near `base` (a step down or up by the dice, a step up every
/// ten levels), of a kind by the dice.
fn loot(ctx: &mut Ctx, player: PlayerId, character: &Character, base: i64) -> Option<Event> {
    let rpg_content = &content::get().rpg;
    let step = ctx.dice.between(-1, 1);
    let index = (base + i64::from(character.level / 10) + step).clamp(0, 5);
    let rarity = Rarity::from_index(index as usize);
    let kind = GearKind::ALL[ctx.dice.below(GearKind::ALL.len() as u64) as usize];
    let ids = rpg_content.gear_by_kind.get(&(kind, rarity))?;
    let item = pick(&mut ctx.dice, ids)?.clone();
    Some(ev(RpgEvent::GearFound {
        player,
        character: character.number,
        item,
    }))
}

/// What the end of an adventure's battle leads to (called by the battle rules from the
/// battle's end): the result, experience, energon and gear for the party, and the next
/// segment or the adventure's end.
pub(crate) fn after_battle(
    world: &World,
    ctx: &mut Ctx,
    battle: &crate::battle::Battle,
    number: u32,
    segment: u8,
    winner_side: Option<u8>,
) -> Vec<Event> {
    let Some(entry) = rpg(world).adventures.get(&number) else {
        return Vec::new();
    };
    if entry.current().is_none_or(|s| s.index != segment) {
        return Vec::new();
    }
    let won = winner_side == Some(0);
    let pool = if won { Pool::Victory } else { Pool::Defeat };
    let mut used: Vec<Line> = entry.lines_used.iter().copied().collect();
    let line = fresh_line(&mut ctx.dice, pool, pool_len(pool), &mut used).map_or(0, |l| l.index);
    let mut events = vec![ev(RpgEvent::BattleResolved {
        adventure: number,
        segment,
        battle: BattleId(battle.id.0),
        won,
        line,
    })];
    let reward = battle
        .enemy
        .as_ref()
        .map_or(0, crate::battle::rules::pve_reward);
    for (seat, fighter) in battle.sim.fighters.iter().enumerate() {
        let Who::Pet { player, .. } = fighter.who else {
            continue;
        };
        let Some((_, c)) = entry.members.iter().find(|(p, _)| *p == player) else {
            continue;
        };
        let Some(character) = rpg(world).characters.get(c) else {
            continue;
        };
        events.extend(experience_events(
            ctx,
            player,
            character,
            battle_xp(reward, character.level, won),
        ));
        let alive = battle.sim.fighters.get(seat).is_some_and(|f| f.is_alive());
        if won && alive {
            if reward > 0 {
                events.push(Event::Energon(EnergonEvent::Credited {
                    player,
                    amount: reward,
                    rule: LedgerRule::AdventureReward,
                }));
            }
            let (percent, base) = BATTLE_LOOT;
            if ctx.dice.percent(percent) {
                events.extend(loot(ctx, player, character, base));
            }
        }
    }
    let enemy = match &entry.current().map(|s| &s.plan) {
        Some(SegmentPlan::Battle { enemy, .. }) => enemy.clone(),
        _ => String::new(),
    };
    let moment = crate::rpg::Moment::Battle { enemy, won };
    events.extend(next_or_end(
        world,
        ctx,
        entry,
        segment,
        (moment, Line { pool, index: line }),
        !won,
    ));
    events
}

/// An erasure takes the player out of their party or adventure (a battle keeps them, so the
/// erasure waits for it: `Engagement::Battle`).
pub(crate) fn withdraw_for_erasure(world: &World, player: PlayerId) -> Vec<Event> {
    let Some(entry) = rpg(world).adventure_of(player) else {
        return Vec::new();
    };
    if entry.started.is_none() {
        if entry.creator == Some(player) {
            return vec![ev(RpgEvent::PartyDisbanded {
                adventure: entry.number,
            })];
        }
        return vec![ev(RpgEvent::PartyLeft {
            adventure: entry.number,
            player,
        })];
    }
    withdraw(entry, player)
}
