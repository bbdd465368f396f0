//! Decisions of the players area. Pure: the world and the command in, events or a rejection out.

use serde::{Deserialize, Serialize};

use crate::ids::Actor;
use crate::player::{PlayerCommand, PlayerEvent};
use crate::world::{Ctx, World};

/// Why a players command changed nothing.
#[derive(
    Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, schemars::JsonSchema,
)]
pub enum PlayerRejection {
    #[error("only players can join; the operator account is not a player")]
    ActorMustBePlayer,
}

pub fn decide(
    world: &World,
    ctx: &mut Ctx,
    command: &PlayerCommand,
) -> Result<Vec<PlayerEvent>, PlayerRejection> {
    match command {
        PlayerCommand::Join => decide_join(world, ctx),
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
