//! Decisions of the players area. Pure: the world and the command in, events or a rejection out.
//!
//! Erasure checks, in order: the operator asked; the player is known; they are not in the
//! middle of anything that holds a stake or waits for them.

use serde::{Deserialize, Serialize};

use crate::area::Engagement;
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

pub(crate) fn decide(
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
    if let Some(activity) = world.engagement(player) {
        return Err(PlayerRejection::Busy { player, activity });
    }
    Ok(vec![PlayerEvent::Erased {
        player,
        wallet: world.energon.balance(player),
        bank: world.energon.bank(player),
        rush: world.energon.rush.balance(player),
    }])
}
