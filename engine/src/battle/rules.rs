//! Decisions of the battle system.
//!
//! Checks run in this order, so two violations always produce the same rejection:
//! 1. who may ask: `PlayersOnly` (players' commands), `OperatorOnly` (timer commands);
//! 2. the thing asked about exists: `UnknownEnemy`, `UnknownLobby`, `UnknownChallenge`,
//!    `UnknownBattle`;
//! 3. the asker's place in it: `NotAParticipant`, `NotInLobby`, `NotLobbyCreator`,
//!    `ChallengeNotForYou`, `AlreadyInLobby`, `AlreadyQueued`;
//! 4. timing: `StaleTurn`, `AlreadyActed`, `TooEarly`, `ChallengeExpired`;
//! 5. the input: targets, sides, lobby shape, stake;
//! 6. pets: `NoPet` (pets area), `PetTooWeak`, `AlreadyInBattle`, `OpponentBusy`;
//! 7. money: `CannotCoverStake`.

use serde::{Deserialize, Serialize};

use crate::area::Engagement;
use crate::battle::command::{BattleCommand, LobbyKind};
use crate::battle::content::EnemyDef;
use crate::battle::elo;
use crate::battle::event::{BattleEvent, EnemySnapshot};
use crate::battle::sim::{AbilitySpec, Action, EnemyKit, Fighter, PhaseSpec, Sim, SimOutcome, Who};
use crate::battle::state::{Battle, Battles, Lobby};
use crate::battle::tuning::{self, *};
use crate::battle::{BattleId, BattleMode, ChallengeId, LobbyId};
use crate::content;
use crate::dice::Dice;
use crate::energon::{EnergonEvent, LedgerRule};
use crate::ids::{Actor, PlayerId, Timestamp};
use crate::pets::content::Rarity;
use crate::pets::{self, PetEvent, PetRejection};
use crate::world::{Ctx, Event, Rejection, World};

/// Why a battle command changed nothing.
#[derive(
    Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, schemars::JsonSchema,
)]
pub enum BattleRejection {
    #[error("only players can battle")]
    PlayersOnly,
    #[error("only the operator's timer can do that")]
    OperatorOnly,
    #[error("there is no enemy called `{enemy}`")]
    UnknownEnemy { enemy: String },
    #[error("that lobby is gone")]
    UnknownLobby,
    #[error("that challenge is gone")]
    UnknownChallenge,
    #[error("that battle is over or never existed")]
    UnknownBattle,
    #[error("you're not fighting in that battle")]
    NotAParticipant,
    #[error("you're not in that lobby")]
    NotInLobby,
    #[error("only the lobby's creator can do that")]
    NotLobbyCreator,
    #[error("that challenge isn't addressed to you")]
    ChallengeNotForYou,
    #[error("you're already waiting in a lobby; leave it first")]
    AlreadyInLobby,
    #[error("you're already in the ranked queue")]
    AlreadyQueued,
    #[error("you're not in the ranked queue")]
    NotQueued,
    #[error("that button is from turn {sent}; the battle is on turn {current}")]
    StaleTurn { sent: u32, current: u32 },
    #[error("you already chose your action this turn")]
    AlreadyActed,
    #[error("your fighter is out of this fight")]
    FighterDown,
    #[error("not yet: the turn's deadline is {deadline}")]
    TooEarly { deadline: Timestamp },
    #[error("that challenge expired")]
    ChallengeExpired,
    #[error("that target isn't a fighter you can aim at")]
    InvalidTarget,
    #[error("a special move needs charge; charge first")]
    SpecialNeedsCharge,
    #[error("you can't challenge yourself")]
    CannotChallengeSelf,
    #[error("that lobby is full")]
    LobbyFull,
    /// `side` counts from 0; players read sides from 1, as the lobby's buttons do.
    #[error("side {} doesn't exist here (sides are 1 and 2)", u16::from(*side) + 1)]
    InvalidSide { side: u8 },
    #[error("side {} is full; join the other side", u16::from(*side) + 1)]
    SideFull { side: u8 },
    #[error("{reason}")]
    InvalidLobby { reason: String },
    #[error("stakes aren't allowed in this kind of lobby")]
    StakeNotAllowed,
    #[error("a stake must be between 0 and {max} energon")]
    StakeOutOfRange { max: u64 },
    #[error("everyone must be ready first")]
    NotAllReady,
    #[error("this needs at least {need} players; there are {have}")]
    NotEnoughPlayers { need: usize, have: usize },
    #[error("your pet is too worn out to fight; charge, repair or play with it first")]
    PetTooWeak,
    #[error("you're already in a battle")]
    AlreadyInBattle,
    #[error("<@{player}> is busy in another battle")]
    OpponentBusy { player: PlayerId },
    #[error("<@{player}> needs {need} energon for the stake but has {have}")]
    CannotCoverStake {
        player: PlayerId,
        need: u64,
        have: u64,
    },
    /// Schema 4: a player still in a running tournament waits for their next match.
    #[error("you're still in a tournament; your next match starts when the round ends")]
    InTournament,
    /// Schema 21: a player on an RPG adventure plays it to its end (or stops it) first.
    #[error("you're on an adventure; finish it (or stop it) first")]
    OnAdventure,
}

pub(crate) fn decide(
    world: &World,
    ctx: &mut Ctx,
    command: &BattleCommand,
) -> Result<Vec<Event>, Rejection> {
    decide_command(world, ctx, command).map(|events| with_setup(world, events))
}

/// Puts a `Setup` event right after every `Started` one: whatever started the battle (a solo
/// start, a lobby, an accepted challenge, the queue, a tournament's next round), its history
/// records what each fighter wore and the rules it is played under.
pub(crate) fn with_setup(world: &World, events: Vec<Event>) -> Vec<Event> {
    let starts = |e: &Event| matches!(e, Event::Battle(BattleEvent::Started { .. }));
    if !events.iter().any(starts) {
        // Most battle commands (every action) start nothing: no copy.
        return events;
    }
    let mut out = Vec::with_capacity(events.len() + 1);
    for event in events {
        let worn = match &event {
            Event::Battle(BattleEvent::Started {
                battle,
                fighters,
                mode,
                ..
            }) => Some(battle_event(BattleEvent::Setup {
                battle: *battle,
                rules: crate::battle::sim::RULES_VERSION,
                worn: fighters
                    .iter()
                    .map(|fighter| match fighter.who {
                        // A character's gear is the RPG's, already in its stats.
                        _ if matches!(mode, BattleMode::Adventure { .. }) => Vec::new(),
                        Who::Pet { player, .. } => world
                            .pets
                            .get(player)
                            .map(|pet| pet.equipment.values().cloned().collect())
                            .unwrap_or_default(),
                        Who::Enemy => Vec::new(),
                    })
                    .collect(),
            })),
            _ => None,
        };
        out.push(event);
        out.extend(worn);
    }
    out
}

fn decide_command(
    world: &World,
    ctx: &mut Ctx,
    command: &BattleCommand,
) -> Result<Vec<Event>, Rejection> {
    match command {
        BattleCommand::Timeout { battle, turn } => {
            return decide_timeout(world, ctx, *battle, *turn)
        }
        BattleCommand::ExpireLobby { lobby } => return decide_expire_lobby(world, ctx, *lobby),
        BattleCommand::ExpireChallenge { challenge } => {
            return decide_expire_challenge(world, ctx, *challenge)
        }
        _ => {}
    }
    let Actor::Player(player) = ctx.actor else {
        return Err(BattleRejection::PlayersOnly.into());
    };
    match command {
        BattleCommand::StartSolo { enemy } => decide_start_solo(world, ctx, player, enemy),
        BattleCommand::OpenLobby { kind, stake } => {
            decide_open_lobby(world, ctx, player, kind, *stake)
        }
        BattleCommand::JoinLobby { lobby, side } => decide_join_lobby(world, player, *lobby, *side),
        BattleCommand::LeaveLobby { lobby } => decide_leave_lobby(world, player, *lobby),
        BattleCommand::SetReady { lobby, ready } => decide_set_ready(world, player, *lobby, *ready),
        BattleCommand::StartLobby { lobby } => decide_start_lobby(world, ctx, player, *lobby),
        BattleCommand::CancelLobby { lobby } => decide_cancel_lobby(world, player, *lobby),
        BattleCommand::Challenge { opponent, stake } => {
            decide_challenge(world, ctx, player, *opponent, *stake)
        }
        BattleCommand::AcceptChallenge { challenge } => {
            decide_accept(world, ctx, player, *challenge)
        }
        BattleCommand::DeclineChallenge { challenge } => decide_decline(world, player, *challenge),
        BattleCommand::Act {
            battle,
            turn,
            action,
        } => decide_act(world, ctx, player, *battle, *turn, *action),
        BattleCommand::Surrender { battle } => decide_surrender(world, ctx, player, *battle),
        BattleCommand::QueueRanked => decide_queue(world, ctx, player),
        BattleCommand::LeaveQueue => decide_leave_queue(world, player),
        BattleCommand::Timeout { .. }
        | BattleCommand::ExpireLobby { .. }
        | BattleCommand::ExpireChallenge { .. } => Ok(Vec::new()),
    }
}

fn battle_event(event: BattleEvent) -> Event {
    Event::Battle(event)
}

fn battles(world: &World) -> &Battles {
    &world.battles
}

/// A fresh 128-bit id from the command's dice.
/// A public id (battle, lobby, challenge): derived one-way, so it reveals no seed.
fn fresh_id(ctx: &mut Ctx) -> u128 {
    ctx.derive("id")
}

/// A player takes part in one thing at a time: a battle, a lobby, the ranked queue or a
/// running tournament (whose next match could otherwise start while they fight elsewhere).
/// Open challenges block nothing: they hold no pet or stake until accepted, and accepting
/// checks both players again.
pub(crate) fn check_free(world: &World, player: PlayerId) -> Result<(), Rejection> {
    let Some(activity) = world.activity(player) else {
        return Ok(());
    };
    Err(match activity {
        Engagement::Battle => BattleRejection::AlreadyInBattle,
        Engagement::Lobby => BattleRejection::AlreadyInLobby,
        Engagement::RankedQueue => BattleRejection::AlreadyQueued,
        Engagement::Tournament => BattleRejection::InTournament,
        Engagement::Adventure => BattleRejection::OnAdventure,
        // Not an activity (`excludes_others`), so never the answer here.
        Engagement::Challenge | Engagement::Trade => return Ok(()),
    }
    .into())
}

/// The player's pet as a fighter on `side`, if it can fight now.
fn pet_fighter(
    world: &World,
    now: Timestamp,
    player: PlayerId,
    side: u8,
) -> Result<Fighter, Rejection> {
    if battles(world).busy.contains_key(&player) {
        return Err(BattleRejection::AlreadyInBattle.into());
    }
    let fighter = pet_fighter_ignoring_busy(world, now, player, side)?;
    let health = world
        .pets
        .get(player)
        .map_or(0, |pet| pet.decayed(now).battle_profile().hp);
    if health == 0 {
        return Err(BattleRejection::PetTooWeak.into());
    }
    Ok(fighter)
}

fn enemy_def(enemy: &str) -> Result<&'static EnemyDef, Rejection> {
    content::get().enemies.get(enemy).ok_or_else(|| {
        BattleRejection::UnknownEnemy {
            enemy: crate::ids::quote(enemy),
        }
        .into()
    })
}

/// The enemy as a fighter scaled to the party, and its snapshot.
pub fn enemy_fighter(def: &EnemyDef, party: &[Fighter]) -> (Fighter, EnemySnapshot) {
    let n_extra = party.len().saturating_sub(1) as u64;
    let average_level =
        party.iter().map(|f| i64::from(f.level)).sum::<i64>() / party.len().max(1) as i64;
    let gap = (average_level - i64::from(def.recommended_level))
        .clamp(LEVEL_GAP_LEVELS_MIN, LEVEL_GAP_LEVELS_MAX);
    let level_percent = (100 + gap * LEVEL_GAP_PERCENT_PER_LEVEL) as u64;
    let hp = u64::from(def.hp) * (100 + GROUP_HP_PERCENT_PER_EXTRA * n_extra) / 100 * level_percent
        / 100;
    let attack = u64::from(def.attack) * (100 + GROUP_ATTACK_PERCENT_PER_EXTRA * n_extra) / 100
        * level_percent
        / 100;
    let hp = u32::try_from(hp).unwrap_or(u32::MAX).max(1);
    let attack = u32::try_from(attack).unwrap_or(u32::MAX).max(1);
    let fighter_index = party.len() as u8;
    let library = &content::get().abilities;
    let mut ability_ids: Vec<&str> = def.abilities.iter().map(String::as_str).collect();
    for phase in &def.phases {
        if !ability_ids.contains(&phase.ability.as_str()) {
            ability_ids.push(phase.ability.as_str());
        }
    }
    let abilities: Vec<AbilitySpec> = ability_ids
        .iter()
        .filter_map(|id| library.get(*id))
        .map(|ability| AbilitySpec {
            effect: ability.effect,
            power_percent: ability.power_percent,
            duration_turns: ability.duration_turns,
        })
        .collect();
    let phases = def
        .phases
        .iter()
        .filter_map(|phase| {
            let index = ability_ids.iter().position(|id| *id == phase.ability)?;
            Some(PhaseSpec {
                at_hp_percent: phase.at_hp_percent,
                ability: index as u8,
            })
        })
        .collect();
    let fighter = Fighter::new(
        Who::Enemy,
        1,
        def.recommended_level,
        hp,
        hp,
        attack,
        def.defense,
    );
    let snapshot = EnemySnapshot {
        id: def.id.clone(),
        kind: def.kind,
        rarity: def.rarity,
        base_hp: def.hp,
        kit: EnemyKit {
            fighter: fighter_index,
            abilities,
            phases,
            phases_entered: 0,
        },
    };
    (fighter, snapshot)
}

/// An adventure's battle: the party's characters (already fighters) against `enemy`, scaled
/// to them like a group battle; its `Started` and `Setup` events.
pub(crate) fn start_adventure_battle(
    world: &World,
    ctx: &mut Ctx,
    mode: BattleMode,
    mut fighters: Vec<Fighter>,
    enemy: &str,
) -> (BattleId, Vec<Event>) {
    let battle = BattleId(fresh_id(ctx));
    let def = content::get().enemies.get(enemy);
    let snapshot = def.map(|def| {
        let (fighter, snapshot) = enemy_fighter(def, &fighters);
        fighters.push(fighter);
        snapshot
    });
    let start = start_event(ctx, battle, mode, fighters, snapshot, false, 0);
    (battle, with_setup(world, vec![start]))
}

/// A mega-fight: two giants (already fighters, one per side), no enemy; its `Started` and
/// `Setup` events.
pub(crate) fn start_mega_battle(
    world: &World,
    ctx: &mut Ctx,
    mode: BattleMode,
    fighters: Vec<Fighter>,
) -> (BattleId, Vec<Event>) {
    let battle = BattleId(fresh_id(ctx));
    let start = start_event(ctx, battle, mode, fighters, None, false, 0);
    (battle, with_setup(world, vec![start]))
}

#[allow(clippy::too_many_arguments)]
fn start_event(
    ctx: &mut Ctx,
    battle: BattleId,
    mode: BattleMode,
    fighters: Vec<Fighter>,
    enemy: Option<EnemySnapshot>,
    rated: bool,
    stake: u64,
) -> Event {
    battle_event(BattleEvent::Started {
        battle,
        mode,
        seed: crate::dice::Seed::pcg(ctx.derive("battle-seed")),
        fighters,
        enemy,
        content_version: content::version(),
        rated,
        stake,
        deadline: ctx.now.plus_secs(TURN_DEADLINE_SECS),
    })
}

fn decide_start_solo(
    world: &World,
    ctx: &mut Ctx,
    player: PlayerId,
    enemy: &str,
) -> Result<Vec<Event>, Rejection> {
    let def = enemy_def(enemy)?;
    let fighter = pet_fighter(world, ctx.now, player, 0)?;
    check_free(world, player)?;
    let (enemy_fighter, snapshot) = enemy_fighter(def, &[fighter]);
    let battle = BattleId(fresh_id(ctx));
    Ok(vec![start_event(
        ctx,
        battle,
        BattleMode::Solo,
        vec![fighter, enemy_fighter],
        Some(snapshot),
        false,
        0,
    )])
}

fn lobby_capacity(kind: &LobbyKind) -> usize {
    match kind {
        LobbyKind::GroupPve { .. } => GROUP_PVE_PLAYERS_MAX,
        LobbyKind::Team { per_side } => usize::from(*per_side) * 2,
        LobbyKind::FreeForAll => FFA_PLAYERS_MAX,
        LobbyKind::Tournament { size } => usize::from(*size),
    }
}

fn check_stake(kind: &LobbyKind, stake: i64) -> Result<u64, Rejection> {
    if !(0..=STAKE_MAX as i64).contains(&stake) {
        return Err(BattleRejection::StakeOutOfRange { max: STAKE_MAX }.into());
    }
    let stake = stake as u64;
    if stake > 0 && !matches!(kind, LobbyKind::Team { .. } | LobbyKind::FreeForAll) {
        return Err(BattleRejection::StakeNotAllowed.into());
    }
    Ok(stake)
}

fn check_covers(world: &World, player: PlayerId, stake: u64) -> Result<(), Rejection> {
    let have = world.energon.balance(player);
    if have < stake {
        return Err(BattleRejection::CannotCoverStake {
            player,
            need: stake,
            have,
        }
        .into());
    }
    Ok(())
}

fn hold(player: PlayerId, escrow: u128, amount: u64) -> Option<Event> {
    (amount > 0).then_some(Event::Energon(EnergonEvent::EscrowHeld {
        player,
        escrow,
        amount,
    }))
}

fn decide_open_lobby(
    world: &World,
    ctx: &mut Ctx,
    player: PlayerId,
    kind: &LobbyKind,
    stake: i64,
) -> Result<Vec<Event>, Rejection> {
    check_free(world, player)?;
    match kind {
        LobbyKind::GroupPve { enemy } => {
            enemy_def(enemy)?;
        }
        LobbyKind::Team { per_side } if !(2..=4).contains(per_side) => {
            return Err(BattleRejection::InvalidLobby {
                reason: "team battles are 2v2, 3v3 or 4v4".into(),
            }
            .into());
        }
        LobbyKind::Tournament { size } if *size != 4 && *size != 8 => {
            return Err(BattleRejection::InvalidLobby {
                reason: "tournaments have 4 or 8 players".into(),
            }
            .into());
        }
        _ => {}
    }
    let stake = check_stake(kind, stake)?;
    pet_fighter(world, ctx.now, player, 0)?;
    check_covers(world, player, stake)?;
    let lobby = LobbyId(fresh_id(ctx));
    let side = matches!(kind, LobbyKind::Team { .. }).then_some(0);
    let mut events = vec![
        battle_event(BattleEvent::LobbyOpened {
            lobby,
            creator: player,
            kind: kind.clone(),
            stake,
            expires_at: ctx.now.plus_secs(LOBBY_TTL_SECS),
        }),
        battle_event(BattleEvent::LobbyJoined {
            lobby,
            player,
            side,
        }),
    ];
    events.extend(hold(player, lobby.0, stake));
    Ok(events)
}

fn lobby(world: &World, lobby: LobbyId) -> Result<&Lobby, Rejection> {
    battles(world)
        .lobbies
        .get(&lobby)
        .ok_or_else(|| BattleRejection::UnknownLobby.into())
}

fn decide_join_lobby(
    world: &World,
    player: PlayerId,
    id: LobbyId,
    side: Option<u8>,
) -> Result<Vec<Event>, Rejection> {
    let entry = lobby(world, id)?;
    if battles(world).in_lobby.contains_key(&player) {
        return Err(BattleRejection::AlreadyInLobby.into());
    }
    if battles(world).queue.contains_key(&player) {
        return Err(BattleRejection::AlreadyQueued.into());
    }
    if entry.members.len() >= lobby_capacity(&entry.kind) {
        return Err(BattleRejection::LobbyFull.into());
    }
    let side = match (&entry.kind, side) {
        (LobbyKind::Team { per_side }, Some(side)) => {
            if side > 1 {
                return Err(BattleRejection::InvalidSide { side }.into());
            }
            let taken = entry
                .members
                .iter()
                .filter(|m| m.side == Some(side))
                .count();
            if taken >= usize::from(*per_side) {
                return Err(BattleRejection::SideFull { side }.into());
            }
            Some(side)
        }
        (LobbyKind::Team { .. }, None) => {
            let on_zero = entry.members.iter().filter(|m| m.side == Some(0)).count();
            let on_one = entry.members.iter().filter(|m| m.side == Some(1)).count();
            Some(u8::from(on_one < on_zero))
        }
        _ => None,
    };
    if world.pets.get(player).is_none() {
        return Err(PetRejection::NoPet.into());
    }
    check_free(world, player)?;
    check_covers(world, player, entry.stake)?;
    let mut events = vec![battle_event(BattleEvent::LobbyJoined {
        lobby: id,
        player,
        side,
    })];
    events.extend(hold(player, id.0, entry.stake));
    Ok(events)
}

/// Closing a lobby that never started: everyone's stake comes back.
fn close_with_refunds(entry: &Lobby) -> Vec<Event> {
    let mut events = vec![battle_event(BattleEvent::LobbyClosed {
        lobby: entry.id,
        started: false,
    })];
    if entry.stake > 0 {
        for member in &entry.members {
            events.push(Event::Energon(EnergonEvent::EscrowReleased {
                player: member.player,
                escrow: entry.id.0,
                amount: entry.stake,
                refund: true,
            }));
        }
    }
    events
}

fn decide_leave_lobby(
    world: &World,
    player: PlayerId,
    id: LobbyId,
) -> Result<Vec<Event>, Rejection> {
    let entry = lobby(world, id)?;
    if !entry.members.iter().any(|m| m.player == player) {
        return Err(BattleRejection::NotInLobby.into());
    }
    if entry.creator == player {
        return Ok(close_with_refunds(entry));
    }
    let mut events = vec![battle_event(BattleEvent::LobbyLeft { lobby: id, player })];
    if entry.stake > 0 {
        events.push(Event::Energon(EnergonEvent::EscrowReleased {
            player,
            escrow: id.0,
            amount: entry.stake,
            refund: true,
        }));
    }
    Ok(events)
}

fn decide_set_ready(
    world: &World,
    player: PlayerId,
    id: LobbyId,
    ready: bool,
) -> Result<Vec<Event>, Rejection> {
    let entry = lobby(world, id)?;
    if !entry.members.iter().any(|m| m.player == player) {
        return Err(BattleRejection::NotInLobby.into());
    }
    Ok(vec![battle_event(BattleEvent::LobbyReady {
        lobby: id,
        player,
        ready,
    })])
}

fn decide_cancel_lobby(
    world: &World,
    player: PlayerId,
    id: LobbyId,
) -> Result<Vec<Event>, Rejection> {
    let entry = lobby(world, id)?;
    if entry.creator != player {
        return Err(BattleRejection::NotLobbyCreator.into());
    }
    Ok(close_with_refunds(entry))
}

fn decide_expire_lobby(world: &World, ctx: &Ctx, id: LobbyId) -> Result<Vec<Event>, Rejection> {
    if ctx.actor != Actor::System {
        return Err(BattleRejection::OperatorOnly.into());
    }
    let entry = lobby(world, id)?;
    if ctx.now < entry.expires_at {
        return Err(BattleRejection::TooEarly {
            deadline: entry.expires_at,
        }
        .into());
    }
    Ok(close_with_refunds(entry))
}

fn decide_start_lobby(
    world: &World,
    ctx: &mut Ctx,
    player: PlayerId,
    id: LobbyId,
) -> Result<Vec<Event>, Rejection> {
    let entry = lobby(world, id)?;
    if entry.creator != player {
        return Err(BattleRejection::NotLobbyCreator.into());
    }
    if entry
        .members
        .iter()
        .any(|m| !m.ready && m.player != entry.creator)
    {
        return Err(BattleRejection::NotAllReady.into());
    }
    let need = match entry.kind {
        LobbyKind::GroupPve { .. } => 1,
        LobbyKind::Tournament { size } => usize::from(size),
        LobbyKind::Team { .. } | LobbyKind::FreeForAll => 2,
    };
    if entry.members.len() < need {
        return Err(BattleRejection::NotEnoughPlayers {
            need,
            have: entry.members.len(),
        }
        .into());
    }
    let mut fighters = Vec::with_capacity(entry.members.len() + 1);
    for member in &entry.members {
        fighters.push(pet_fighter(world, ctx.now, member.player, 0)?);
    }
    let mut events = vec![battle_event(BattleEvent::LobbyClosed {
        lobby: id,
        started: true,
    })];
    let battle = BattleId(id.0);
    match &entry.kind {
        LobbyKind::GroupPve { enemy } => {
            let (enemy_fighter, snapshot) = enemy_fighter(enemy_def(enemy)?, &fighters);
            fighters.push(enemy_fighter);
            events.push(start_event(
                ctx,
                battle,
                BattleMode::Group,
                fighters,
                Some(snapshot),
                false,
                0,
            ));
        }
        LobbyKind::Team { .. } => {
            assign_team_sides(entry, &mut fighters);
            events.push(start_event(
                ctx,
                battle,
                BattleMode::Team,
                fighters,
                None,
                false,
                entry.stake,
            ));
        }
        LobbyKind::FreeForAll => {
            for (side, fighter) in fighters.iter_mut().enumerate() {
                fighter.side = side as u8;
            }
            events.push(start_event(
                ctx,
                battle,
                BattleMode::FreeForAll,
                fighters,
                None,
                false,
                entry.stake,
            ));
        }
        LobbyKind::Tournament { .. } => {
            let mut players: Vec<PlayerId> = entry.members.iter().map(|m| m.player).collect();
            shuffle(&mut players, &mut ctx.dice);
            events.push(battle_event(BattleEvent::TournamentStarted {
                tournament: id,
                players: players.clone(),
            }));
            events.extend(tournament_round(world, ctx, id, 1, &players)?);
        }
    }
    Ok(events)
}

/// Sides as chosen if they are already even; otherwise a snake draft by level (strongest to
/// side 0, next two to side 1, …), so the sides' levels stay close.
fn assign_team_sides(entry: &Lobby, fighters: &mut [Fighter]) {
    let on_zero = entry.members.iter().filter(|m| m.side == Some(0)).count();
    let chosen_even =
        entry.members.iter().all(|m| m.side.is_some()) && on_zero * 2 == entry.members.len();
    if chosen_even {
        for (fighter, member) in fighters.iter_mut().zip(&entry.members) {
            fighter.side = member.side.unwrap_or(0);
        }
        return;
    }
    let mut order: Vec<usize> = (0..fighters.len()).collect();
    order.sort_by(|a, b| fighters[*b].level.cmp(&fighters[*a].level).then(a.cmp(b)));
    for (rank, index) in order.into_iter().enumerate() {
        fighters[index].side = match rank % 4 {
            0 | 3 => 0,
            _ => 1,
        };
    }
}

/// Fisher–Yates with our dice.
fn shuffle<T>(items: &mut [T], dice: &mut Dice) {
    for i in (1..items.len()).rev() {
        let j = dice.below(i as u64 + 1) as usize;
        items.swap(i, j);
    }
}

/// The battles of one tournament round: players 0 v 1, 2 v 3, …
fn tournament_round(
    world: &World,
    ctx: &mut Ctx,
    tournament: LobbyId,
    round: u8,
    players: &[PlayerId],
) -> Result<Vec<Event>, Rejection> {
    let mut events = Vec::new();
    for (index, pair) in players.chunks(2).enumerate() {
        let [a, b] = pair else { continue };
        let mut fighters = vec![
            pet_fighter_ignoring_busy(world, ctx.now, *a, 0)?,
            pet_fighter_ignoring_busy(world, ctx.now, *b, 1)?,
        ];
        fighters.iter_mut().for_each(|f| f.charge = 0);
        let battle = BattleId(tournament.0 ^ ((u128::from(round) << 8) | (index as u128 + 1)));
        events.push(start_event(
            ctx,
            battle,
            BattleMode::Tournament { tournament, round },
            fighters,
            None,
            false,
            0,
        ));
    }
    Ok(events)
}

/// The player's pet as a fighter on `side`, busy or not, entering with at least 1 health. A
/// tournament's next round starts while the previous battles are still being closed in the
/// same batch, so the busy check would see the players in them; and a worn-out pet still
/// limps into its bracket match rather than forfeiting it.
pub(crate) fn pet_fighter_ignoring_busy(
    world: &World,
    now: Timestamp,
    player: PlayerId,
    side: u8,
) -> Result<Fighter, Rejection> {
    let pet = world
        .pets
        .get(player)
        .ok_or(PetRejection::NoPet)?
        .decayed(now);
    let profile = pet.battle_profile();
    Ok(Fighter::new(
        Who::Pet {
            player,
            faction: pet.faction,
        },
        side,
        profile.level,
        profile.hp.max(1),
        profile.hp_max,
        profile.attack,
        profile.defense,
    ))
}

fn decide_challenge(
    world: &World,
    ctx: &mut Ctx,
    player: PlayerId,
    opponent: PlayerId,
    stake: i64,
) -> Result<Vec<Event>, Rejection> {
    if opponent == player {
        return Err(BattleRejection::CannotChallengeSelf.into());
    }
    if !(0..=STAKE_MAX as i64).contains(&stake) {
        return Err(BattleRejection::StakeOutOfRange { max: STAKE_MAX }.into());
    }
    let stake = stake as u64;
    pet_fighter(world, ctx.now, player, 0)?;
    check_free(world, player)?;
    if world.pets.get(opponent).is_none() {
        return Err(PetRejection::PlayerHasNoPet { player: opponent }.into());
    }
    check_covers(world, player, stake)?;
    let challenge = ChallengeId(fresh_id(ctx));
    Ok(vec![battle_event(BattleEvent::ChallengeIssued {
        challenge,
        challenger: player,
        opponent,
        stake,
        expires_at: ctx.now.plus_secs(CHALLENGE_TTL_SECS),
    })])
}

fn decide_accept(
    world: &World,
    ctx: &mut Ctx,
    player: PlayerId,
    id: ChallengeId,
) -> Result<Vec<Event>, Rejection> {
    let challenge = battles(world)
        .challenges
        .get(&id)
        .ok_or(BattleRejection::UnknownChallenge)?;
    if challenge.opponent != player {
        return Err(BattleRejection::ChallengeNotForYou.into());
    }
    if ctx.now > challenge.expires_at {
        return Err(BattleRejection::ChallengeExpired.into());
    }
    let challenger = challenge.challenger;
    // The challenger may have left for something else (or given up their pet) since.
    if check_free(world, challenger).is_err() {
        return Err(BattleRejection::OpponentBusy { player: challenger }.into());
    }
    let them = match pet_fighter(world, ctx.now, challenger, 0) {
        Err(Rejection::Pet(PetRejection::NoPet)) => {
            return Err(PetRejection::PlayerHasNoPet { player: challenger }.into())
        }
        other => other?,
    };
    let me = pet_fighter(world, ctx.now, player, 1)?;
    check_free(world, player)?;
    check_covers(world, challenger, challenge.stake)?;
    check_covers(world, player, challenge.stake)?;
    let battle = BattleId(id.0);
    let rated = is_rated_pair(world, ctx.now, challenger, player);
    let mut events = vec![battle_event(BattleEvent::ChallengeAccepted {
        challenge: id,
        battle,
    })];
    events.extend(hold(challenger, id.0, challenge.stake));
    events.extend(hold(player, id.0, challenge.stake));
    events.push(start_event(
        ctx,
        battle,
        BattleMode::Duel,
        vec![them, me],
        None,
        rated,
        challenge.stake,
    ));
    Ok(events)
}

/// No rating for a rematch of the same pair within a day: farming a friend earns nothing.
pub(crate) fn is_rated_pair(world: &World, now: Timestamp, a: PlayerId, b: PlayerId) -> bool {
    match battles(world).last_rated.get(&Battles::pair_key(a, b)) {
        Some(last) => now.0 - last.0 >= elo::REMATCH_UNRATED_SECS * 1_000,
        None => true,
    }
}

fn decide_decline(
    world: &World,
    player: PlayerId,
    id: ChallengeId,
) -> Result<Vec<Event>, Rejection> {
    let challenge = battles(world)
        .challenges
        .get(&id)
        .ok_or(BattleRejection::UnknownChallenge)?;
    if challenge.opponent != player && challenge.challenger != player {
        return Err(BattleRejection::ChallengeNotForYou.into());
    }
    Ok(vec![battle_event(BattleEvent::ChallengeDeclined {
        challenge: id,
    })])
}

fn decide_expire_challenge(
    world: &World,
    ctx: &Ctx,
    id: ChallengeId,
) -> Result<Vec<Event>, Rejection> {
    if ctx.actor != Actor::System {
        return Err(BattleRejection::OperatorOnly.into());
    }
    let challenge = battles(world)
        .challenges
        .get(&id)
        .ok_or(BattleRejection::UnknownChallenge)?;
    if ctx.now <= challenge.expires_at {
        return Err(BattleRejection::TooEarly {
            deadline: challenge.expires_at,
        }
        .into());
    }
    Ok(vec![battle_event(BattleEvent::ChallengeExpired {
        challenge: id,
    })])
}

/// The rating window of a player who has waited since `since`.
pub fn queue_window(since: Timestamp, now: Timestamp) -> u32 {
    let waited_secs = ((now.0 - since.0) / 1_000).max(0) as u64;
    let widened =
        u64::from(QUEUE_WINDOW_START) + waited_secs / 10 * u64::from(QUEUE_WINDOW_PER_10_SECS);
    widened.min(u64::from(QUEUE_WINDOW_MAX)) as u32
}

fn decide_queue(world: &World, ctx: &mut Ctx, player: PlayerId) -> Result<Vec<Event>, Rejection> {
    let state = battles(world);
    if state.queue.contains_key(&player) {
        return Err(BattleRejection::AlreadyQueued.into());
    }
    let me = pet_fighter(world, ctx.now, player, 1)?;
    check_free(world, player)?;
    let my_elo = state.rating(player).elo;
    // Who is compatible: the gap must fit the window their wait has widened, and no
    // immediate rated rematch. A waiting player who can't fight (no pet: logs from before
    // releasing was refused in the queue) is passed over rather than blocking everyone
    // behind them. Of the compatible, the closest rating wins; on a tie, who has waited
    // longest; then the lower id (ids only break exact ties, so old accounts are not
    // favoured).
    let opponent = state
        .queue
        .iter()
        .filter_map(|(other, since)| {
            let gap = my_elo.abs_diff(state.rating(*other).elo);
            let compatible = *other != player
                && gap <= queue_window(*since, ctx.now)
                && is_rated_pair(world, ctx.now, player, *other)
                && !state.busy.contains_key(other);
            compatible
                .then(|| pet_fighter_ignoring_busy(world, ctx.now, *other, 0).ok())
                .flatten()
                .map(|fighter| ((gap, *since, *other), fighter))
        })
        .min_by_key(|(key, _)| *key)
        .map(|((_, _, other), fighter)| (other, fighter));
    let Some((opponent, them)) = opponent else {
        return Ok(vec![battle_event(BattleEvent::Queued { player })]);
    };
    let battle = BattleId(fresh_id(ctx));
    Ok(vec![
        battle_event(BattleEvent::Unqueued { player: opponent }),
        start_event(ctx, battle, BattleMode::Duel, vec![them, me], None, true, 0),
    ])
}

fn decide_leave_queue(world: &World, player: PlayerId) -> Result<Vec<Event>, Rejection> {
    if !battles(world).queue.contains_key(&player) {
        return Err(BattleRejection::NotQueued.into());
    }
    Ok(vec![battle_event(BattleEvent::Unqueued { player })])
}

fn open_battle(world: &World, battle: BattleId) -> Result<&Battle, Rejection> {
    battles(world)
        .open
        .get(&battle)
        .ok_or_else(|| BattleRejection::UnknownBattle.into())
}

fn decide_act(
    world: &World,
    ctx: &mut Ctx,
    player: PlayerId,
    id: BattleId,
    turn: u32,
    action: Action,
) -> Result<Vec<Event>, Rejection> {
    let battle = open_battle(world, id)?;
    let seat = battle
        .seat(player)
        .ok_or(BattleRejection::NotAParticipant)?;
    if turn != battle.sim.turn {
        return Err(BattleRejection::StaleTurn {
            sent: turn,
            current: battle.sim.turn,
        }
        .into());
    }
    let fighter = battle.sim.fighters[usize::from(seat)];
    if !fighter.is_alive() {
        return Err(BattleRejection::FighterDown.into());
    }
    if battle.pending[usize::from(seat)].is_some() || !battle.waiting_for().contains(&seat) {
        return Err(BattleRejection::AlreadyActed.into());
    }
    check_action(battle, seat, action)?;
    let mut events = vec![battle_event(BattleEvent::ActionChosen {
        battle: id,
        turn,
        fighter: seat,
        action,
    })];
    let mut pending = battle.pending.clone();
    pending[usize::from(seat)] = Some(action);
    let everyone_chose = battle.waiting_for().iter().all(|i| *i == seat);
    if everyone_chose {
        events.extend(resolve_events(world, ctx, battle, &pending, Vec::new()));
    }
    Ok(events)
}

fn check_action(battle: &Battle, seat: u8, action: Action) -> Result<(), Rejection> {
    let me = battle.sim.fighters[usize::from(seat)];
    let valid = |index: u8, same_side: bool| battle.sim.may_aim(seat, index, same_side);
    match action {
        Action::Attack { target } | Action::Special { target } if !valid(target, false) => {
            Err(BattleRejection::InvalidTarget.into())
        }
        Action::Defend { guard } if !valid(guard, true) => {
            Err(BattleRejection::InvalidTarget.into())
        }
        Action::Special { .. } if me.charge == 0 => Err(BattleRejection::SpecialNeedsCharge.into()),
        _ => Ok(()),
    }
}

fn decide_timeout(
    world: &World,
    ctx: &mut Ctx,
    id: BattleId,
    turn: u32,
) -> Result<Vec<Event>, Rejection> {
    if ctx.actor != Actor::System {
        return Err(BattleRejection::OperatorOnly.into());
    }
    let battle = open_battle(world, id)?;
    if turn != battle.sim.turn {
        return Err(BattleRejection::StaleTurn {
            sent: turn,
            current: battle.sim.turn,
        }
        .into());
    }
    if ctx.now < battle.deadline {
        return Err(BattleRejection::TooEarly {
            deadline: battle.deadline,
        }
        .into());
    }
    let timed_out = battle.waiting_for();
    Ok(resolve_events(
        world,
        ctx,
        battle,
        &battle.pending,
        timed_out,
    ))
}

fn decide_surrender(
    world: &World,
    ctx: &mut Ctx,
    player: PlayerId,
    id: BattleId,
) -> Result<Vec<Event>, Rejection> {
    let battle = open_battle(world, id)?;
    let seat = battle
        .seat(player)
        .ok_or(BattleRejection::NotAParticipant)?;
    if !battle.sim.fighters[usize::from(seat)].is_alive() {
        return Err(BattleRejection::FighterDown.into());
    }
    let mut events = vec![battle_event(BattleEvent::Surrendered {
        battle: id,
        fighter: seat,
    })];
    let mut after = battle.clone();
    after.sim.fighters[usize::from(seat)].surrendered = true;
    after.sim.judge();
    if let Some(outcome) = after.sim.outcome {
        events.extend(end_events(world, ctx, &after, outcome));
    } else if after.waiting_for().is_empty() {
        // Everyone still fighting had already chosen: the turn resolves now.
        events.extend(resolve_events(
            world,
            ctx,
            &after,
            &after.pending,
            Vec::new(),
        ));
    }
    Ok(events)
}

/// Resolves the current turn with `choices`, and ends the battle if that decides it.
///
/// A turn in which nobody owes a choice (every player's fighter still in is stunned, say
/// after the enemy's stun) resolves at once, in the same command, as its deadline would
/// have resolved it (everyone defends): nobody can act in it, so nobody is made to wait out
/// the deadline, and a player's press is never refused for a turn they could not play. The
/// turn limit (`Sim::judge`) bounds how many turns resolve this way.
fn resolve_events(
    world: &World,
    ctx: &mut Ctx,
    battle: &Battle,
    choices: &[Option<Action>],
    timed_out: Vec<u8>,
) -> Vec<Event> {
    let mut after = battle.clone();
    let mut choices = choices.to_vec();
    let mut timed_out = timed_out;
    let mut events = Vec::new();
    loop {
        let turn = after.sim.turn;
        let mut log = Vec::new();
        after.sim.resolve_turn(&choices, &mut log);
        let deadline = ctx.now.plus_secs(TURN_DEADLINE_SECS);
        events.push(battle_event(BattleEvent::TurnResolved {
            battle: battle.id,
            turn,
            log,
            timed_out: std::mem::take(&mut timed_out),
            state_hash: after.sim.state_hash(),
            deadline,
        }));
        if let Some(outcome) = after.sim.outcome {
            events.extend(end_events(world, ctx, &after, outcome));
            return events;
        }
        // The next turn as `TurnResolved` leaves it (`Battles::evolve`).
        after.pending.iter_mut().for_each(|choice| *choice = None);
        after.deadline = deadline;
        if !after.waiting_for().is_empty() {
            return events;
        }
        choices.clone_from(&after.pending);
    }
}

/// Everything that follows a battle's end: the end itself, wear on pets, rewards, loot, stakes,
/// ratings and tournament progress.
fn end_events(world: &World, ctx: &mut Ctx, battle: &Battle, outcome: SimOutcome) -> Vec<Event> {
    let sim = &battle.sim;
    let mut events = vec![battle_event(BattleEvent::Ended {
        battle: battle.id,
        outcome,
        turns: sim.turn - 1,
        seed: sim.seed,
    })];
    let winner_side = match outcome {
        SimOutcome::Won { side } => Some(side),
        SimOutcome::Draw => None,
    };
    if let BattleMode::Adventure { adventure, segment } = battle.mode {
        // Characters fought: the adventure pays them, and goes on or ends.
        events.extend(crate::rpg::rules::after_battle(
            world,
            ctx,
            battle,
            adventure,
            segment,
            winner_side,
        ));
        return events;
    }
    if let BattleMode::MegaFight { .. } = battle.mode {
        // Giants fought: every member of both teams is paid, not the heads' pets alone.
        events.extend(crate::fun::mega::after_battle(
            world,
            ctx,
            battle,
            winner_side,
        ));
        return events;
    }
    for (index, fighter) in sim.fighters.iter().enumerate() {
        let Who::Pet { player, .. } = fighter.who else {
            continue;
        };
        let Some(pet) = world.pets.get(player).map(|pet| pet.decayed(ctx.now)) else {
            continue;
        };
        let wear = u32::try_from(fighter.damage_taken / 3).unwrap_or(u32::MAX);
        if wear > 0 {
            events.push(Event::Pet(PetEvent::Damaged {
                player,
                energy_lost: wear.min(pet.energy),
                happiness_lost: wear.min(pet.happiness),
                maintenance_lost: wear.min(pet.maintenance),
            }));
        }
        let won = winner_side == Some(fighter.side);
        let (energon, xp) = match &battle.enemy {
            Some(enemy) if won && fighter.is_alive() => {
                let reward = pve_reward(enemy);
                (reward, reward / 2)
            }
            Some(_) => (0, 5),
            None => {
                let range = if won {
                    PVP_WINNER_ENERGON
                } else {
                    PVP_LOSER_ENERGON
                };
                let energon = ctx.dice.between(range.0, range.1) as u64;
                let xp = PVP_XP_BASE
                    + PVP_XP_PER_TURN * u64::from(sim.turn - 1)
                    + if won { PVP_XP_WINNER_BONUS } else { 0 };
                let percent = pvp_reward_percent(world, ctx.now, battle, fighter);
                (energon * percent / 100, xp * percent / 100)
            }
        };
        if energon > 0 {
            events.push(Event::Energon(EnergonEvent::Credited {
                player,
                amount: energon,
                rule: LedgerRule::BattleReward,
            }));
        }
        events.extend(pets::experience_events(player, &pet, xp, &mut ctx.dice));
        if let (Some(enemy), true) = (&battle.enemy, won && fighter.is_alive()) {
            let hp_start = battle
                .hp_start
                .get(index)
                .copied()
                .unwrap_or(fighter.hp_max)
                .max(1);
            let health_permille = u64::from(fighter.hp) * 1_000 / u64::from(hp_start);
            for item in loot(&mut ctx.dice, enemy, health_permille) {
                events.push(Event::Pet(PetEvent::ItemFound { player, item }));
            }
        }
    }
    events.extend(settle_stake(battle, winner_side));
    events.extend(rating_events(world, battle, winner_side));
    if let BattleMode::Tournament { tournament, round } = battle.mode {
        events.extend(tournament_events(
            world,
            ctx,
            battle,
            tournament,
            round,
            winner_side,
        ));
    }
    events
}

/// The share of the PvP reward a fighter gets, in percent: nothing without a real fight (enough
/// turns, and damage they dealt), and less for every earlier real fight against the same
/// opponent in the pair's reward window (the most repeated opponent decides).
fn pvp_reward_percent(world: &World, now: Timestamp, battle: &Battle, fighter: &Fighter) -> u64 {
    let Some(me) = fighter.player() else {
        return 0;
    };
    if !battle.is_real_fight() || fighter.damage_dealt < PVP_REWARD_DAMAGE_MIN {
        return 0;
    }
    let state = battles(world);
    let most_repeated = battle
        .players()
        .into_iter()
        .filter(|(other, _)| *other != me)
        .map(|(other, _)| state.pair_fights(me, other, now))
        .max()
        .unwrap_or(0);
    PVP_PAIR_REWARD_PERCENT
        .get(most_repeated as usize)
        .copied()
        .unwrap_or(0)
}

/// Energon (and twice the experience) a PvE victory pays each surviving player.
pub fn pve_reward(enemy: &EnemySnapshot) -> u64 {
    let base = u64::from(enemy.base_hp) / 10;
    let reward = base * tuning::rarity_reward_halves(enemy.rarity) / 2
        * tuning::kind_reward_multiplier(enemy.kind);
    reward.min(PVE_REWARD_MAX)
}

/// Loot for one surviving player, by the share of health they kept (per mille): none at 10 %
/// or less, two items at 90 % or more, otherwise one item with a chance that grows with health.
/// Rarity starts at the enemy's, one step up for bosses (two for titans), one down below half
/// health and one up from 80 %.
pub fn loot(
    dice: &mut Dice,
    enemy: &EnemySnapshot,
    health_permille: u64,
) -> Vec<crate::pets::content::ItemId> {
    let n_items = match health_permille {
        0..=100 => 0,
        900.. => 2,
        kept => usize::from(dice.chance(100 + (kept - 100) * 1_125 / 1_000, 1_000)),
    };
    let health_step = match health_permille {
        0..=499 => -1,
        800.. => 1,
        _ => 0,
    };
    let index = (enemy.rarity.index() as i64 + tuning::kind_loot_bonus(enemy.kind) + health_step)
        .clamp(0, 5);
    let rarity = Rarity::from_index(index as usize);
    // The enemy's own table (from the content the battle was started with: its version is
    // in the start event).
    let table = content::get().enemies.get(&enemy.id).map(|def| &def.loot);
    (0..n_items)
        .filter_map(|_| {
            let Some(table) = table else {
                return pets::pick_item_of_rarity(dice, rarity);
            };
            if let Some(signature) = &table.signature {
                if dice.chance(1, tuning::SIGNATURE_DROP_IN) {
                    return Some(signature.clone());
                }
            }
            let slots: Vec<_> = table.slots.iter().collect();
            let weights: Vec<u64> = slots.iter().map(|(_, w)| u64::from(**w)).collect();
            let slot = *slots.get(dice.weighted_index(&weights)?)?.0;
            pets::pick_item_in(dice, slot, rarity)
        })
        .collect()
}

/// Pays a battle's escrowed stakes to the winners (an equal share each, the remainder to the
/// first winner by seat), or refunds everyone on a draw.
fn settle_stake(battle: &Battle, winner_side: Option<u8>) -> Vec<Event> {
    if battle.stake == 0 {
        return Vec::new();
    }
    let escrow = battle.id.0;
    let players = battle.players();
    let pot = battle.stake * players.len() as u64;
    let winners: Vec<PlayerId> = players
        .iter()
        .filter(|(_, side)| Some(*side) == winner_side)
        .map(|(p, _)| *p)
        .collect();
    if winners.is_empty() {
        return players
            .iter()
            .map(|(player, _)| {
                Event::Energon(EnergonEvent::EscrowReleased {
                    player: *player,
                    escrow,
                    amount: battle.stake,
                    refund: true,
                })
            })
            .collect();
    }
    let share = pot / winners.len() as u64;
    let remainder = pot - share * winners.len() as u64;
    winners
        .iter()
        .enumerate()
        .map(|(i, player)| {
            let amount = share + if i == 0 { remainder } else { 0 };
            Event::Energon(EnergonEvent::EscrowReleased {
                player: *player,
                escrow,
                amount,
                refund: false,
            })
        })
        .collect()
}

fn rating_events(world: &World, battle: &Battle, winner_side: Option<u8>) -> Vec<Event> {
    let (Some(side), true) = (winner_side, battle.rated) else {
        return Vec::new();
    };
    let players = battle.players();
    let [(a, a_side), (b, _)] = players[..] else {
        return Vec::new();
    };
    let (winner, loser) = if a_side == side { (a, b) } else { (b, a) };
    let state = battles(world);
    let (winner_elo, loser_elo) = (state.rating(winner).elo, state.rating(loser).elo);
    vec![
        battle_event(BattleEvent::RatingChanged {
            player: winner,
            opponent: loser,
            battle: battle.id,
            before: winner_elo,
            after: elo::updated(winner_elo, loser_elo, true),
        }),
        battle_event(BattleEvent::RatingChanged {
            player: loser,
            opponent: winner,
            battle: battle.id,
            before: loser_elo,
            after: elo::updated(loser_elo, winner_elo, false),
        }),
    ]
}

fn tournament_events(
    world: &World,
    ctx: &mut Ctx,
    battle: &Battle,
    tournament: LobbyId,
    round: u8,
    winner_side: Option<u8>,
) -> Vec<Event> {
    let Some(state) = battles(world).tournaments.get(&tournament) else {
        return Vec::new();
    };
    let seats: Vec<PlayerId> = battle
        .players()
        .into_iter()
        .map(|(player, _)| player)
        .collect();
    // The draw rule: a drawn match (both down in the same turn, or equal health shares at the
    // turn limit) is settled by a coin from the battle's own dice, and the winner advances
    // (or, in the final, is crowned). `TournamentMatchWon` records who, so nobody re-derives
    // it; the views say the match was drawn and decided by the coin.
    let side = winner_side.unwrap_or_else(|| u8::from(ctx.dice.chance(1, 2)));
    let Some(winner) = seats.get(usize::from(side)).copied() else {
        return Vec::new();
    };
    let mut events = vec![battle_event(BattleEvent::TournamentMatchWon {
        tournament,
        round,
        winner,
        battle: battle.id,
    })];
    let mut winners = state.winners.clone();
    if let Some(index) = state.alive.iter().position(|p| *p == winner) {
        winners.insert((index / 2) as u8, winner);
    }
    if winners.len() * 2 < state.alive.len() {
        return events;
    }
    let next: Vec<PlayerId> = winners.values().copied().collect();
    if next.len() == 1 {
        events.push(battle_event(BattleEvent::TournamentWon {
            tournament,
            winner,
        }));
    } else {
        match tournament_round(world, ctx, tournament, round + 1, &next) {
            Ok(battles) => events.extend(battles),
            // A round that cannot start (a player can't field a pet) ends the tournament
            // rather than leaving everyone in it for good; the adapter tells them.
            Err(_) => events.push(battle_event(BattleEvent::TournamentCancelled {
                tournament,
                round: round + 1,
            })),
        }
    }
    events
}

/// A solo battle's full start, for tests and benchmarks: the simulator state a `Started` event
/// for `player` against `enemy` would create.
pub fn solo_sim(
    world: &World,
    now: Timestamp,
    player: PlayerId,
    enemy: &str,
    seed: crate::dice::Seed,
) -> Result<Sim, Rejection> {
    let fighter = pet_fighter(world, now, player, 0)?;
    let (enemy_fighter, snapshot) = enemy_fighter(enemy_def(enemy)?, &[fighter]);
    Ok(Sim {
        fighters: vec![fighter, enemy_fighter],
        turn: 1,
        seed,
        kit: Some(snapshot.kit),
        outcome: None,
        rules: crate::battle::sim::RULES_VERSION,
    })
}

/// What an operator erasure withdraws the player from, so that nobody can keep a player from
/// being erased by holding them in something: their lobby (left with the stake refunded, or
/// closed with every stake refunded if they opened it), the ranked queue, and every open
/// challenge they issued or received. A battle in progress and a running tournament still
/// refuse the erasure: both end on their own (turns time out). Returns the events and the
/// energon refunded to the player.
pub(crate) fn withdraw_for_erasure(world: &World, player: PlayerId) -> (Vec<Event>, u64) {
    let state = battles(world);
    let mut events = Vec::new();
    if let Some(lobby) = state.in_lobby.get(&player) {
        events.extend(decide_leave_lobby(world, player, *lobby).unwrap_or_default());
    }
    if state.queue.contains_key(&player) {
        events.push(battle_event(BattleEvent::Unqueued { player }));
    }
    for challenge in state.challenges.values() {
        if challenge.challenger == player || challenge.opponent == player {
            events.push(battle_event(BattleEvent::ChallengeDeclined {
                challenge: challenge.id,
            }));
        }
    }
    let refunded = events
        .iter()
        .filter_map(|event| match event {
            Event::Energon(EnergonEvent::EscrowReleased {
                player: to, amount, ..
            }) if *to == player => Some(*amount),
            _ => None,
        })
        .sum();
    (events, refunded)
}
