//! Decisions of the energon ledger.
//!
//! Checks run in this order, so two violations always produce the same rejection:
//! 1. operator-only commands from a player: `OperatorOnly`; a transfer from the operator:
//!    `SenderMustBePlayer`;
//! 2. the amount is zero or negative: `AmountNotPositive`;
//! 3. the amount is above [`AMOUNT_MAX`]: `AmountTooLarge`;
//! 4. a transfer to oneself: `SelfTransfer`;
//! 5. the other player was never seen: `UnknownPlayer`;
//! 6. the payer has less than the amount: `InsufficientEnergon`;
//! 7. the payee's balance would overflow: `BalanceTooLarge`.

use serde::{Deserialize, Serialize};

use crate::energon::{EnergonCommand, EnergonEvent, LedgerRule};
use crate::ids::{Actor, PlayerId};
use crate::world::{Ctx, World};

/// Largest amount one command may move, in energon.
pub const AMOUNT_MAX: u64 = 1_000_000_000_000;

/// Why an energon command changed nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum EnergonRejection {
    #[error("only the operator can mint or burn energon")]
    OperatorOnly,
    #[error("only players have wallets to send from")]
    SenderMustBePlayer,
    #[error("the amount must be at least 1 energon (got {amount})")]
    AmountNotPositive { amount: i64 },
    #[error("one command can move at most {max} energon")]
    AmountTooLarge { max: u64 },
    #[error("you can't send energon to yourself")]
    SelfTransfer,
    #[error("player {player} has never played here; they need to use a command first")]
    UnknownPlayer { player: PlayerId },
    #[error("you need {need} energon but have {have}")]
    InsufficientEnergon { need: u64, have: u64 },
    #[error("that would push the balance past the largest amount a wallet can hold")]
    BalanceTooLarge,
}

pub fn decide(
    world: &World,
    ctx: &mut Ctx,
    command: &EnergonCommand,
) -> Result<Vec<EnergonEvent>, EnergonRejection> {
    match command {
        EnergonCommand::Credit { player, amount } => decide_credit(world, ctx, *player, *amount),
        EnergonCommand::Debit { player, amount } => decide_debit(world, ctx, *player, *amount),
        EnergonCommand::Transfer { to, amount } => decide_transfer(world, ctx, *to, *amount),
    }
}

fn decide_credit(
    world: &World,
    ctx: &Ctx,
    player: PlayerId,
    amount: i64,
) -> Result<Vec<EnergonEvent>, EnergonRejection> {
    if ctx.actor != Actor::System {
        return Err(EnergonRejection::OperatorOnly);
    }
    let amount = check_amount(amount)?;
    check_known(world, player)?;
    check_room(world, player, amount)?;
    Ok(vec![EnergonEvent::Credited {
        player,
        amount,
        rule: LedgerRule::OperatorGrant,
    }])
}

fn decide_debit(
    world: &World,
    ctx: &Ctx,
    player: PlayerId,
    amount: i64,
) -> Result<Vec<EnergonEvent>, EnergonRejection> {
    if ctx.actor != Actor::System {
        return Err(EnergonRejection::OperatorOnly);
    }
    let amount = check_amount(amount)?;
    check_known(world, player)?;
    check_funds(world, player, amount)?;
    Ok(vec![EnergonEvent::Debited {
        player,
        amount,
        rule: LedgerRule::OperatorFine,
    }])
}

fn decide_transfer(
    world: &World,
    ctx: &Ctx,
    to: PlayerId,
    amount: i64,
) -> Result<Vec<EnergonEvent>, EnergonRejection> {
    let Actor::Player(from) = ctx.actor else {
        return Err(EnergonRejection::SenderMustBePlayer);
    };
    let amount = check_amount(amount)?;
    if from == to {
        return Err(EnergonRejection::SelfTransfer);
    }
    check_known(world, to)?;
    check_funds(world, from, amount)?;
    check_room(world, to, amount)?;
    Ok(vec![
        EnergonEvent::Debited {
            player: from,
            amount,
            rule: LedgerRule::TransferOut { to },
        },
        EnergonEvent::Credited {
            player: to,
            amount,
            rule: LedgerRule::TransferIn { from },
        },
    ])
}

fn check_amount(amount: i64) -> Result<u64, EnergonRejection> {
    if amount <= 0 {
        return Err(EnergonRejection::AmountNotPositive { amount });
    }
    let amount = amount as u64;
    if amount > AMOUNT_MAX {
        return Err(EnergonRejection::AmountTooLarge { max: AMOUNT_MAX });
    }
    Ok(amount)
}

fn check_known(world: &World, player: PlayerId) -> Result<(), EnergonRejection> {
    if !world.players.contains(player) {
        return Err(EnergonRejection::UnknownPlayer { player });
    }
    Ok(())
}

fn check_funds(world: &World, player: PlayerId, need: u64) -> Result<(), EnergonRejection> {
    let have = world.energon.balance(player);
    if have < need {
        return Err(EnergonRejection::InsufficientEnergon { need, have });
    }
    Ok(())
}

fn check_room(world: &World, player: PlayerId, amount: u64) -> Result<(), EnergonRejection> {
    if world.energon.balance(player).checked_add(amount).is_none() {
        return Err(EnergonRejection::BalanceTooLarge);
    }
    Ok(())
}
