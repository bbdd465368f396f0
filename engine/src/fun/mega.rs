//! Mega-fights: two formed combiner teams fight as two giants through the battle simulator.
//! The head of a team challenges another formed team (`MegaChallenge`); the other team's head
//! accepts (`MegaAccept`, which starts the battle) or declines (`MegaDecline`). Each giant is
//! one fighter driven by its head's player: its level the team's average, its health, attack
//! and defense the sums of its six pets' (gear included), so the battle is timed, replayed
//! and verified like every battle (`BattleMode::MegaFight`). Its end (`after_battle`) pays
//! every member of both teams as recorded when it started: energon under
//! `LedgerRule::MegaFightReward` and experience for their pets, more for the winners, nothing
//! for a fight that wasn't one (too few turns), and `MegaFightEnded` keeps each member's record.
//!
//! Checks run in this order: for a challenge `NotInTeam`, `NotFormed` (the asker's team),
//! `NotHead`, `NoTeam`/`NotFormed` (the other), `SameTeam`, `MegaFighting` (either);
//! for an answer `NotInTeam`, `NotHead`, `NoMegaChallenge`, then the challenge's checks again
//! and, on accepting, each head's activity and every member's pet.

use crate::battle::sim::{Fighter, Who};
use crate::battle::{Battle, BattleMode};
use crate::energon::{EnergonEvent, LedgerRule};
use crate::fun::combiner::Part;
use crate::fun::{CombinerTeam, FunEvent, FunRejection};
use crate::ids::{PlayerId, Timestamp};
use crate::world::{Ctx, Event, Rejection, World};

/// Energon each member of the winning team gets.
pub const MEGA_WIN_ENERGON: u64 = 120;
/// Energon each member of the losing team (or of both, in a draw) gets.
pub const MEGA_LOSS_ENERGON: u64 = 30;
/// Experience each winning member's pet gets.
pub const MEGA_WIN_XP: u64 = 60;
/// Experience each losing (or drawing) member's pet gets.
pub const MEGA_LOSS_XP: u64 = 20;
/// A member is paid by one mega-fight an hour at most (teams fighting each other over and
/// over would otherwise mint without end).
pub const MEGA_PAY_COOLDOWN_SECS: i64 = 3_600;

/// A mega-fight under way: the two teams (challenger first, on side 0) and their members
/// when it started.
#[derive(
    Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct MegaFight {
    pub teams: [u32; 2],
    pub members: [Vec<PlayerId>; 2],
}

/// A player's mega-fight record.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
pub struct MegaRecord {
    pub won: u32,
    pub lost: u32,
    pub drawn: u32,
}

fn formed(world: &World, team: u32) -> Result<&CombinerTeam, FunRejection> {
    let entry = world
        .fun
        .teams
        .get(&team)
        .ok_or(FunRejection::NoTeam { team })?;
    if entry.formed.is_none() {
        return Err(FunRejection::NotFormed { team });
    }
    Ok(entry)
}

/// The asker's formed team, which they are the head of.
fn headed_by(world: &World, player: PlayerId) -> Result<(u32, &CombinerTeam), FunRejection> {
    let team = *world
        .fun
        .team_of
        .get(&player)
        .ok_or(FunRejection::NotInTeam)?;
    let entry = formed(world, team)?;
    if entry.members.get(&Part::Head) != Some(&player) {
        return Err(FunRejection::NotHead { team });
    }
    Ok((team, entry))
}

fn fighting(world: &World, team: u32) -> bool {
    world
        .fun
        .mega_fights
        .values()
        .any(|f| f.teams.contains(&team))
}

fn check_pair(world: &World, mine: u32, theirs: u32) -> Result<(), FunRejection> {
    formed(world, theirs)?;
    if mine == theirs {
        return Err(FunRejection::SameTeam);
    }
    for team in [mine, theirs] {
        if fighting(world, team) {
            return Err(FunRejection::MegaFighting { team });
        }
    }
    Ok(())
}

pub(crate) fn challenge(
    world: &World,
    player: PlayerId,
    opponent: u32,
) -> Result<Vec<FunEvent>, FunRejection> {
    let (mine, _) = headed_by(world, player)?;
    check_pair(world, mine, opponent)?;
    Ok(vec![FunEvent::MegaChallenged {
        challenger: mine,
        defender: opponent,
        by: player,
    }])
}

/// The challenge `challenger` made to the asker's team, if there is one.
fn challenge_to(world: &World, player: PlayerId, challenger: u32) -> Result<u32, FunRejection> {
    let (mine, _) = headed_by(world, player)?;
    if world.fun.mega_challenges.get(&challenger) != Some(&mine) {
        return Err(FunRejection::NoMegaChallenge { team: challenger });
    }
    Ok(mine)
}

pub(crate) fn decline(
    world: &World,
    player: PlayerId,
    challenger: u32,
) -> Result<Vec<FunEvent>, FunRejection> {
    let defender = challenge_to(world, player, challenger)?;
    Ok(vec![FunEvent::MegaDeclined {
        challenger,
        defender,
        by: player,
    }])
}

pub(crate) fn accept(
    world: &World,
    ctx: &mut Ctx,
    player: PlayerId,
    challenger: u32,
) -> Result<Vec<Event>, Rejection> {
    let defender = challenge_to(world, player, challenger)?;
    check_pair(world, challenger, defender)?;
    let teams = [challenger, defender];
    let mut fighters = Vec::new();
    let mut members: [Vec<PlayerId>; 2] = [Vec::new(), Vec::new()];
    for (side, team) in teams.iter().enumerate() {
        let entry = formed(world, *team)?;
        let (fighter, of) = giant(world, ctx.now, (*team, entry), side as u8)?;
        if let Some(head) = fighter.player() {
            crate::battle::rules::check_free(world, head)?;
        }
        fighters.push(fighter);
        members[side] = of;
    }
    let mode = BattleMode::MegaFight {
        challenger,
        defender,
    };
    let (battle, started) = crate::battle::rules::start_mega_battle(world, ctx, mode, fighters);
    let mut events = vec![Event::Fun(FunEvent::MegaFightStarted {
        battle,
        teams,
        members,
    })];
    events.extend(started);
    Ok(events)
}

/// A team as one fighter on `side`, driven by its head's player, and its members.
fn giant(
    world: &World,
    now: Timestamp,
    (number, team): (u32, &CombinerTeam),
    side: u8,
) -> Result<(Fighter, Vec<PlayerId>), Rejection> {
    let head = *team
        .members
        .get(&Part::Head)
        .ok_or(FunRejection::NotFormed { team: number })?;
    let (mut level, mut hp, mut attack, mut defense) = (0u64, 0u64, 0u64, 0u64);
    let mut faction = None;
    for part in Part::ALL {
        let Some(player) = team.members.get(&part) else {
            continue;
        };
        let pet = world
            .pets
            .get(*player)
            .ok_or(FunRejection::MemberWithoutPet { player: *player })?
            .decayed(now);
        let profile = pet.battle_profile();
        if profile.hp == 0 {
            return Err(FunRejection::MemberTooWeak { player: *player }.into());
        }
        if part == Part::Head {
            faction = Some(pet.faction);
        }
        level += u64::from(profile.level);
        hp += u64::from(profile.hp);
        attack += u64::from(profile.attack);
        defense += u64::from(profile.defense);
    }
    let n = team.members.len().max(1) as u64;
    let small = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
    let fighter = Fighter::new(
        Who::Pet {
            player: head,
            faction: faction.unwrap_or(crate::pets::Faction::Autobot),
        },
        side,
        small(level / n).max(1),
        small(hp).max(1),
        small(hp).max(1),
        small(attack),
        small(defense),
    );
    Ok((fighter, team.members.values().copied().collect()))
}

/// What a mega-fight's end pays, and its record: every member of both teams, as they were
/// when it started (less anyone erased since).
pub(crate) fn after_battle(
    world: &World,
    ctx: &mut Ctx,
    battle: &Battle,
    winner_side: Option<u8>,
) -> Vec<Event> {
    let Some(fight) = world.fun.mega_fights.get(&battle.id) else {
        return Vec::new();
    };
    let mut events = Vec::new();
    let mut paid = Vec::new();
    if battle.is_real_fight() {
        for (side, members) in fight.members.iter().enumerate() {
            let won = winner_side == Some(side as u8);
            let (energon, xp) = if won {
                (MEGA_WIN_ENERGON, MEGA_WIN_XP)
            } else {
                (MEGA_LOSS_ENERGON, MEGA_LOSS_XP)
            };
            for player in members {
                let Some(pet) = world.pets.get(*player).map(|p| p.decayed(ctx.now)) else {
                    continue;
                };
                let recently = world
                    .fun
                    .mega_paid_at
                    .get(player)
                    .is_some_and(|at| ctx.now < at.plus_secs(MEGA_PAY_COOLDOWN_SECS));
                if recently {
                    continue;
                }
                paid.push(*player);
                events.push(Event::Energon(EnergonEvent::Credited {
                    player: *player,
                    amount: energon,
                    rule: LedgerRule::MegaFightReward,
                }));
                events.extend(crate::pets::experience_events(
                    *player,
                    &pet,
                    xp,
                    &mut ctx.dice,
                ));
            }
        }
    }
    events.push(Event::Fun(FunEvent::MegaFightEnded {
        battle: battle.id,
        teams: fight.teams,
        winner: winner_side,
        paid,
    }));
    events
}

/// The challenge waiting for `team`'s answer: the challenging team's number.
pub fn challenges_to(world: &World, team: u32) -> Vec<u32> {
    world
        .fun
        .mega_challenges
        .iter()
        .filter(|(_, to)| **to == team)
        .map(|(from, _)| *from)
        .collect()
}

/// The mega-fight a battle is.
pub fn fight(world: &World, battle: crate::battle::BattleId) -> Option<&MegaFight> {
    world.fun.mega_fights.get(&battle)
}

/// A player's mega-fight record.
pub fn record(world: &World, player: PlayerId) -> MegaRecord {
    world
        .fun
        .mega_records
        .get(&player)
        .copied()
        .unwrap_or_default()
}
