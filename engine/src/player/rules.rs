//! Decisions of the players area. Pure: the world and the command in, events or a rejection out.
//!
//! Erasure checks, in order: the operator asked, or the player asked for themselves (`/forget_me`);
//! the player is known; they are not in the middle of anything that holds a stake or waits for
//! them. The envelope's actor, recorded with the `Erased` event, says which of the two it was.

use serde::{Deserialize, Serialize};

use crate::area::Engagement;
use crate::ids::{Actor, PlayerId};
use crate::player::{PlayerCommand, PlayerEvent};
use crate::world::{Ctx, Event, World};

/// Why a players command changed nothing.
#[derive(
    Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, schemars::JsonSchema,
)]
pub enum PlayerRejection {
    #[error("only players can join; the operator account is not a player")]
    ActorMustBePlayer,
    #[error("only the operator can erase other players")]
    OperatorOnly,
    #[error("player {player} is not known here (never played, or already erased)")]
    UnknownPlayer { player: PlayerId },
    #[error("player {player} is {activity}; erase them once it is over")]
    Busy {
        player: PlayerId,
        activity: Engagement,
    },
    #[error("that erasure was cancelled; nobody was erased (run /admin_clear again)")]
    ErasureCancelled,
    /// Schema 11.
    #[error(
        "player {player} already plays here (joined or imported before); nothing was imported"
    )]
    AlreadyHere { player: PlayerId },
    /// Schema 11.
    #[error("the import record is not valid: {what}")]
    ImportInvalid { what: String },
}

pub(crate) fn decide(
    world: &World,
    ctx: &mut Ctx,
    command: &PlayerCommand,
) -> Result<Vec<Event>, PlayerRejection> {
    match command {
        PlayerCommand::Join => Ok(decide_join(world, ctx)?
            .into_iter()
            .map(Event::Player)
            .collect()),
        PlayerCommand::Erase { player } => decide_erase(world, ctx, *player),
        PlayerCommand::CancelErasure {
            players,
            confirmation,
        } => decide_cancel_erasure(world, ctx, players, *confirmation),
        PlayerCommand::EraseConfirmed {
            player,
            confirmation,
        } => {
            // A cancelled confirmation erases nobody, whoever presses it afterwards.
            if world.players.is_cancelled(*player, *confirmation) {
                return Err(PlayerRejection::ErasureCancelled);
            }
            decide_erase(world, ctx, *player)
        }
        PlayerCommand::ImportLegacy(import) => crate::legacy::decide_import(world, ctx, import),
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

/// What an erasure of `player` must wait for: what ends on its own (a battle, a tournament).
/// Anything else (a lobby, the queue, challenges) is withdrawn from by the erasure itself. The
/// one rule the decision and the preview (`view::erasure_preview`) share.
pub(crate) fn erasure_waits_for(world: &World, player: PlayerId) -> Option<Engagement> {
    world
        .engagements(player)
        .into_iter()
        .find(|e| matches!(e, Engagement::Battle | Engagement::Tournament))
}

/// An erasure first withdraws the player from what would otherwise keep them (a lobby, the
/// queue, challenges: `battle::rules::withdraw_for_erasure`, stakes refunded; open trades:
/// `trade::rules::withdraw_for_erasure`, which hold nothing away from its owner), then burns what
/// they hold, refunds included.
fn decide_erase(world: &World, ctx: &Ctx, player: PlayerId) -> Result<Vec<Event>, PlayerRejection> {
    if !may_erase(ctx.actor, player) {
        return Err(PlayerRejection::OperatorOnly);
    }
    // Someone who never played may still have words kept here (a message of theirs quoted in
    // a server's lore): they can be erased too.
    if !world.players.contains(player) && world.social.lore_of(player).is_empty() {
        return Err(PlayerRejection::UnknownPlayer { player });
    }
    if let Some(activity) = erasure_waits_for(world, player) {
        return Err(PlayerRejection::Busy { player, activity });
    }
    let (mut events, refunded) = crate::battle::rules::withdraw_for_erasure(world, player);
    events.extend(crate::trade::rules::withdraw_for_erasure(world, player));
    events.extend(crate::rpg::rules::withdraw_for_erasure(world, player));
    events.push(Event::Player(PlayerEvent::Erased {
        player,
        wallet: world.energon.balance(player).saturating_add(refunded),
        bank: world.energon.bank(player),
        rush: world.energon.rush.balance(player),
    }));
    Ok(events)
}

/// Who may erase `player`: the operator, or the player themselves.
fn may_erase(actor: Actor, player: PlayerId) -> bool {
    actor.is_operator() || actor == Actor::Player(player)
}

/// Records the cancellation for every known player of the confirmation (an unknown one has
/// nothing to erase, so nothing to record). A player may cancel only their own.
fn decide_cancel_erasure(
    world: &World,
    ctx: &Ctx,
    players: &[PlayerId],
    confirmation: u64,
) -> Result<Vec<Event>, PlayerRejection> {
    if !players.iter().all(|&player| may_erase(ctx.actor, player)) {
        return Err(PlayerRejection::OperatorOnly);
    }
    let mut seen = std::collections::BTreeSet::new();
    Ok(players
        .iter()
        .filter(|&&player| world.players.contains(player) && seen.insert(player))
        .filter(|&&player| !world.players.is_cancelled(player, confirmation))
        .map(|&player| {
            Event::Player(PlayerEvent::ErasureCancelled {
                player,
                confirmation,
            })
        })
        .collect())
}
