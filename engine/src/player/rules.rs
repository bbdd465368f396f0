//! Decisions of the players area. Pure: the world and the command in, events or a rejection out.
//!
//! Erasure checks, in order: the operator asked; the player is known; they are not in the
//! middle of anything that holds a stake or waits for them.

use serde::{Deserialize, Serialize};

use crate::ids::{Actor, PlayerId};
use crate::player::{PlayerCommand, PlayerEvent};
use crate::world::{Ctx, World};

/// Why a players command changed nothing.
#[derive(
    Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, schemars::JsonSchema,
)]
pub enum PlayerRejection {
    #[error("only players can join; the operator account is not a player")]
    ActorMustBePlayer,
    #[error("only the operator can erase players")]
    OperatorOnly,
    #[error("player {player} is not known here (never played, or already erased)")]
    UnknownPlayer { player: PlayerId },
    #[error("player {player} is {activity}; erase them once it is over")]
    Busy {
        player: PlayerId,
        activity: Engagement,
    },
}

/// Something a player takes part in that erasing them would break.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Engagement {
    Battle,
    Lobby,
    Challenge,
    RankedQueue,
    Tournament,
}

impl std::fmt::Display for Engagement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Engagement::Battle => "fighting a battle",
            Engagement::Lobby => "waiting in a lobby",
            Engagement::Challenge => "in an open challenge",
            Engagement::RankedQueue => "queued for a ranked duel",
            Engagement::Tournament => "still in a tournament",
        })
    }
}

pub fn decide(
    world: &World,
    ctx: &mut Ctx,
    command: &PlayerCommand,
) -> Result<Vec<PlayerEvent>, PlayerRejection> {
    match command {
        PlayerCommand::Join => decide_join(world, ctx),
        PlayerCommand::Erase { player } => decide_erase(world, ctx, *player),
    }
}

fn decide_join(world: &World, ctx: &Ctx) -> Result<Vec<PlayerEvent>, PlayerRejection> {
    let Actor::Player(player) = ctx.actor else {
        return Err(PlayerRejection::ActorMustBePlayer);
    };
    if world.players.contains(player) {
        return Ok(Vec::new());
    }
    Ok(vec![PlayerEvent::Joined { player }])
}

fn decide_erase(
    world: &World,
    ctx: &Ctx,
    player: PlayerId,
) -> Result<Vec<PlayerEvent>, PlayerRejection> {
    if ctx.actor != Actor::System {
        return Err(PlayerRejection::OperatorOnly);
    }
    if !world.players.contains(player) {
        return Err(PlayerRejection::UnknownPlayer { player });
    }
    if let Some(activity) = engagement(world, player) {
        return Err(PlayerRejection::Busy { player, activity });
    }
    Ok(vec![PlayerEvent::Erased {
        player,
        wallet: world.energon.balance(player),
        bank: world.energon.bank(player),
        rush: world.energon.rush.balance(player),
    }])
}

/// What `player` is taking part in right now, if anything. Escrowed stakes only exist for
/// lobbies and challenges, so a player with none of these has nothing in escrow.
pub fn engagement(world: &World, player: PlayerId) -> Option<Engagement> {
    let battles = &world.battles;
    if battles.busy.contains_key(&player) {
        return Some(Engagement::Battle);
    }
    if battles.in_lobby.contains_key(&player) {
        return Some(Engagement::Lobby);
    }
    if battles.queue.contains_key(&player) {
        return Some(Engagement::RankedQueue);
    }
    if battles
        .tournaments
        .values()
        .any(|t| t.alive.contains(&player))
    {
        return Some(Engagement::Tournament);
    }
    // Last: an open challenge is the only engagement that holds no pet yet.
    if battles
        .challenges
        .values()
        .any(|c| c.challenger == player || c.opponent == player)
    {
        return Some(Engagement::Challenge);
    }
    None
}
