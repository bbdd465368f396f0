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
//!
//! Deposits and withdrawals check 2, 3 and then the source balance (`InsufficientEnergon`,
//! `InsufficientBank`). Scout and search check the forage cooldown (`ForageOnCooldown`).

use serde::{Deserialize, Serialize};

use crate::energon::{EnergonCommand, EnergonEvent, LedgerRule, RushFind};
use crate::ids::{Actor, PlayerId, Timestamp};
use crate::pets::{self, PetEvent};
use crate::world::{Ctx, Event, Rejection, World};

/// The rush balance that wins a round.
pub const RUSH_TARGET: u64 = 10_000;
/// Minted into the winner's wallet.
pub const RUSH_PRIZE: u64 = 2_500;
/// Seconds between two scouts or searches by one player. The original had none, so a script
/// could win the race.
pub const FORAGE_COOLDOWN_SECS: i64 = 3 * 60;
/// Scout finds, inclusive.
pub const SCOUT_FIND: (i64, i64) = (50, 200);

/// Largest amount one command may move, in energon.
pub const AMOUNT_MAX: u64 = 1_000_000_000_000;

/// Why an energon command changed nothing.
#[derive(
    Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, schemars::JsonSchema,
)]
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
    #[error("you have {have} energon in the bank, not {need}")]
    InsufficientBank { need: u64, have: u64 },
    #[error("you're still catching your breath; scout or search again at {ready_at}")]
    ForageOnCooldown { ready_at: Timestamp },
    #[error("only players can do that")]
    PlayersOnly,
}

pub(crate) fn decide(
    world: &World,
    ctx: &mut Ctx,
    command: &EnergonCommand,
) -> Result<Vec<Event>, Rejection> {
    let events = match command {
        EnergonCommand::Credit { player, amount } => decide_credit(world, ctx, *player, *amount)?,
        EnergonCommand::Debit { player, amount } => decide_debit(world, ctx, *player, *amount)?,
        EnergonCommand::Transfer { to, amount } => decide_transfer(world, ctx, *to, *amount)?,
        EnergonCommand::Deposit { amount } => decide_deposit(world, ctx, *amount)?,
        EnergonCommand::Withdraw { amount } => decide_withdraw(world, ctx, *amount)?,
        EnergonCommand::Scout => return decide_scout(world, ctx),
        EnergonCommand::Search => return decide_search(world, ctx),
    };
    Ok(events.into_iter().map(Event::Energon).collect())
}

fn acting_player(ctx: &Ctx) -> Result<PlayerId, EnergonRejection> {
    match ctx.actor {
        Actor::Player(player) => Ok(player),
        Actor::System | Actor::Operator(_) => Err(EnergonRejection::PlayersOnly),
    }
}

fn decide_deposit(
    world: &World,
    ctx: &Ctx,
    amount: i64,
) -> Result<Vec<EnergonEvent>, EnergonRejection> {
    let player = acting_player(ctx)?;
    let amount = check_amount(amount)?;
    check_funds(world, player, amount)?;
    Ok(vec![EnergonEvent::Deposited { player, amount }])
}

fn decide_withdraw(
    world: &World,
    ctx: &Ctx,
    amount: i64,
) -> Result<Vec<EnergonEvent>, EnergonRejection> {
    let player = acting_player(ctx)?;
    let amount = check_amount(amount)?;
    let have = world.energon.bank(player);
    if have < amount {
        return Err(EnergonRejection::InsufficientBank { need: amount, have });
    }
    check_room(world, player, amount)?;
    Ok(vec![EnergonEvent::Withdrew { player, amount }])
}

fn check_forage_ready(world: &World, ctx: &Ctx, player: PlayerId) -> Result<(), EnergonRejection> {
    match world.energon.rush.ready_at.get(&player) {
        Some(ready_at) if ctx.now < *ready_at => Err(EnergonRejection::ForageOnCooldown {
            ready_at: *ready_at,
        }),
        _ => Ok(()),
    }
}

fn decide_scout(world: &World, ctx: &mut Ctx) -> Result<Vec<Event>, Rejection> {
    let player = acting_player(ctx)?;
    check_forage_ready(world, ctx, player)?;
    let amount = ctx.dice.between(SCOUT_FIND.0, SCOUT_FIND.1) as u64;
    let round = world.energon.rush.round;
    let mut events = vec![Event::Energon(EnergonEvent::RushFound {
        player,
        round,
        amount,
        find: RushFind::Scout,
    })];
    events.extend(rush_win_events(world, player, round, amount));
    Ok(events)
}

/// The search bonus a pet gives, in points: 5, plus 5 per 20 levels, at most 25 (where a
/// disaster becomes impossible).
pub fn search_bonus(pet_level: Option<u32>) -> u64 {
    match pet_level {
        None => 0,
        Some(level) => (5 + 5 * u64::from(level / 20)).min(25),
    }
}

/// Search outcome weights in per mille for a bonus `b`: disaster, loss, nothing, small, major.
/// A pet moves weight from the bad outcomes to the good ones; the total stays 1000.
pub fn search_weights(bonus: u64) -> [u64; 5] {
    [
        50 - 2 * bonus,
        150 - 3 * bonus,
        450 - 5 * bonus,
        200 + 6 * bonus,
        150 + 4 * bonus,
    ]
}

fn decide_search(world: &World, ctx: &mut Ctx) -> Result<Vec<Event>, Rejection> {
    let player = acting_player(ctx)?;
    check_forage_ready(world, ctx, player)?;
    let pet = world.pets.get(player).map(|pet| pet.decayed(ctx.now));
    let bonus = search_bonus(pet.as_ref().map(|pet| pet.level));
    let round = world.energon.rush.round;
    let have = world.energon.rush.balance(player);
    let dice = &mut ctx.dice;
    let outcome = dice.weighted_index(&search_weights(bonus)).unwrap_or(2);
    let mut events = Vec::new();
    let mut pet_damage = 0u32;
    match outcome {
        0 => {
            events.push(Event::Energon(EnergonEvent::RushLost {
                player,
                round,
                amount: have,
                find: RushFind::SearchDisaster,
            }));
            pet_damage = dice.between(20, 40) as u32;
        }
        1 => {
            let amount = (dice.between(1, 500) as u64).min(have);
            events.push(Event::Energon(EnergonEvent::RushLost {
                player,
                round,
                amount,
                find: RushFind::SearchLoss,
            }));
            if dice.percent(30) {
                pet_damage = dice.between(5, 15) as u32;
            }
        }
        2 => events.push(Event::Energon(EnergonEvent::RushNothing { player, round })),
        found => {
            let (range, find) = if found == 3 {
                ((1, 500), RushFind::SearchSmall)
            } else {
                ((501, 1000), RushFind::SearchMajor)
            };
            let amount = dice.between(range.0, range.1) as u64;
            events.push(Event::Energon(EnergonEvent::RushFound {
                player,
                round,
                amount,
                find,
            }));
            events.extend(rush_win_events(world, player, round, amount));
        }
    }
    if let Some(pet) = &pet {
        if pet_damage > 0 {
            events.push(Event::Pet(PetEvent::Damaged {
                player,
                energy_lost: 0,
                happiness_lost: 0,
                maintenance_lost: pet_damage.min(pet.maintenance),
            }));
        }
        let xp = dice.between(5, 15) as u64;
        events.extend(pets::experience_events(player, pet, xp, dice));
    }
    Ok(events)
}

/// If finding `amount` takes the player to the target, the round ends and the prize is paid.
fn rush_win_events(world: &World, player: PlayerId, round: u32, amount: u64) -> Vec<Event> {
    if world.energon.rush.balance(player).saturating_add(amount) < RUSH_TARGET {
        return Vec::new();
    }
    vec![
        Event::Energon(EnergonEvent::RushRoundWon {
            round,
            winner: player,
        }),
        Event::Energon(EnergonEvent::Credited {
            player,
            amount: RUSH_PRIZE,
            rule: LedgerRule::RushPrize { round },
        }),
    ]
}

fn decide_credit(
    world: &World,
    ctx: &Ctx,
    player: PlayerId,
    amount: i64,
) -> Result<Vec<EnergonEvent>, EnergonRejection> {
    if !ctx.actor.is_operator() {
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
    if !ctx.actor.is_operator() {
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

/// Records each forage's cooldown, as decided now, right after it (see
/// `Area::record_decisions`).
pub(crate) fn record_decisions(now: Timestamp, events: Vec<Event>) -> Vec<Event> {
    let mut out = Vec::with_capacity(events.len());
    for event in events {
        let forager = match &event {
            Event::Energon(
                EnergonEvent::RushFound { player, .. }
                | EnergonEvent::RushLost { player, .. }
                | EnergonEvent::RushNothing { player, .. },
            ) => Some(*player),
            _ => None,
        };
        out.push(event);
        if let Some(player) = forager {
            out.push(Event::Energon(EnergonEvent::RushCooldownSet {
                player,
                ready_at: now.plus_secs(FORAGE_COOLDOWN_SECS + crate::area::tuning_skew()),
            }));
        }
    }
    out
}
