//! Decisions of the slot machine, and its payout table.
//!
//! Each reel stops uniformly on one of N symbols (N = 5, 7, 9). A payout is the bet times a
//! multiplier that includes the stake: a pair returns the bet, three of a kind pays more, and
//! three of the last symbol (the jackpot symbol) pays most. With N symbols, out of N³ equally
//! likely stops: 1 is the jackpot triple, N−1 are other triples, 3·N·(N−1) are exactly a pair.
//!
//! | difficulty | pair | triple | jackpot | return to player |
//! |---|---|---|---|---|
//! | easy (5)   | 1 | 10 | 20  | (20 + 4·10 + 60) / 125 = 96.00 % |
//! | medium (7) | 1 | 25 | 50  | (50 + 6·25 + 126) / 343 = 95.04 % |
//! | hard (9)   | 1 | 40 | 150 | (150 + 8·40 + 216) / 729 = 94.10 % |
//!
//! The original paid 48 to 432 times the bet on average and charged losses twice; this table
//! keeps the house edge small and honest. Checks run in this order: players only, bet below
//! the minimum, above the maximum or not positive, free-spin cooldown, funds.

use serde::{Deserialize, Serialize};

use crate::dice::Dice;
use crate::energon::{EnergonEvent, EnergonRejection, LedgerRule};
use crate::ids::{Actor, Timestamp};
use crate::slots::{Difficulty, SlotsCommand, SlotsEvent};
use crate::world::{Ctx, Event, Rejection, World};

pub const BET_MIN: u64 = 10;
pub const BET_MAX: u64 = 1_000;
/// Free spins cost nothing, so they are rate-limited instead.
pub const FREE_SPIN_COOLDOWN_SECS: i64 = 10;

/// The declared return to player per difficulty, in basis points (1/100 of a percent), exact.
pub const RTP_DECLARED_BASIS_POINTS: [(Difficulty, u64); 3] = [
    (Difficulty::Easy, 9_600),
    (Difficulty::Medium, 9_504),
    (Difficulty::Hard, 9_410),
];

/// Why a spin changed nothing.
#[derive(
    Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, schemars::JsonSchema,
)]
pub enum SlotsRejection {
    #[error("only players can spin")]
    PlayersOnly,
    #[error("the smallest bet is {min} energon")]
    BetTooSmall { min: u64 },
    #[error("the largest bet is {max} energon")]
    BetTooLarge { max: u64 },
    #[error("free spins are limited; spin again at {ready_at}")]
    FreeSpinOnCooldown { ready_at: Timestamp },
}

pub(crate) fn decide(
    world: &World,
    ctx: &mut Ctx,
    command: &SlotsCommand,
) -> Result<Vec<Event>, Rejection> {
    match command {
        SlotsCommand::Spin { difficulty, bet } => decide_spin(world, ctx, *difficulty, *bet),
    }
}

fn decide_spin(
    world: &World,
    ctx: &mut Ctx,
    difficulty: Difficulty,
    bet: Option<i64>,
) -> Result<Vec<Event>, Rejection> {
    let Actor::Player(player) = ctx.actor else {
        return Err(SlotsRejection::PlayersOnly.into());
    };
    let bet = match bet {
        None => {
            if let Some(ready_at) = world.slots.free_ready_at.get(&player) {
                if ctx.now < *ready_at {
                    return Err(SlotsRejection::FreeSpinOnCooldown {
                        ready_at: *ready_at,
                    }
                    .into());
                }
            }
            0
        }
        Some(bet) if bet < BET_MIN as i64 => {
            return Err(SlotsRejection::BetTooSmall { min: BET_MIN }.into())
        }
        Some(bet) if bet > BET_MAX as i64 => {
            return Err(SlotsRejection::BetTooLarge { max: BET_MAX }.into())
        }
        Some(bet) => {
            let bet = bet as u64;
            let have = world.energon.balance(player);
            if have < bet {
                return Err(EnergonRejection::InsufficientEnergon { need: bet, have }.into());
            }
            bet
        }
    };
    let reels = spin_reels(&mut ctx.dice, difficulty);
    let multiplier = multiplier(difficulty, reels);
    let payout = bet * u64::from(multiplier);
    let mut events = vec![Event::Slots(SlotsEvent::Spun {
        player,
        difficulty,
        bet,
        reels,
        multiplier,
        payout,
    })];
    if bet > 0 {
        events.push(Event::Energon(EnergonEvent::Debited {
            player,
            amount: bet,
            rule: LedgerRule::SlotsBet,
        }));
    }
    if payout > 0 {
        events.push(Event::Energon(EnergonEvent::Credited {
            player,
            amount: payout,
            rule: LedgerRule::SlotsPayout,
        }));
    }
    Ok(events)
}

/// Three independent uniform reel stops.
pub fn spin_reels(dice: &mut Dice, difficulty: Difficulty) -> [u8; 3] {
    let n = difficulty.n_symbols() as u64;
    [
        dice.below(n) as u8,
        dice.below(n) as u8,
        dice.below(n) as u8,
    ]
}

pub fn is_jackpot(difficulty: Difficulty, reels: [u8; 3]) -> bool {
    let jackpot = (difficulty.n_symbols() - 1) as u8;
    reels == [jackpot; 3]
}

/// The payout multiplier (stake included) for a set of reel stops.
pub fn multiplier(difficulty: Difficulty, reels: [u8; 3]) -> u32 {
    let (pair, triple, jackpot) = match difficulty {
        Difficulty::Easy => (1, 10, 20),
        Difficulty::Medium => (1, 25, 50),
        Difficulty::Hard => (1, 40, 150),
    };
    let [a, b, c] = reels;
    if a == b && b == c {
        if is_jackpot(difficulty, reels) {
            jackpot
        } else {
            triple
        }
    } else if a == b || b == c || a == c {
        pair
    } else {
        0
    }
}

/// Records each free spin's cooldown, as decided now, right after it (see
/// `Area::record_decisions`).
pub(crate) fn record_decisions(now: Timestamp, events: Vec<Event>) -> Vec<Event> {
    let mut out = Vec::with_capacity(events.len());
    for event in events {
        let free_spinner = match &event {
            Event::Slots(SlotsEvent::Spun { player, bet: 0, .. }) => Some(*player),
            _ => None,
        };
        out.push(event);
        if let Some(player) = free_spinner {
            out.push(Event::Slots(SlotsEvent::FreeSpinCooldownSet {
                player,
                ready_at: now.plus_secs(FREE_SPIN_COOLDOWN_SECS + crate::area::tuning_skew()),
            }));
        }
    }
    out
}
