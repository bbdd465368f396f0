//! What can be asked of the CyberCoin market.

use serde::{Deserialize, Serialize};

use crate::ids::Timestamp;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum MarketCommand {
    /// The timer's tick `number`, due at `at` (system only). Tick 0 opens the market. A tick
    /// must be the next one and its instant after the previous tick's and not in the future.
    Tick { number: u64, at: Timestamp },
    /// After downtime: ticks `from..from+count` are recorded as missed, not simulated (system
    /// only; `from` must be the next tick).
    SkipTicks { from: u64, count: u64 },
    /// Buy coins, spending an amount of energon or buying an amount of coins (`All`: the whole
    /// wallet).
    Buy { amount: Amount },
    /// Sell coins: an amount of coins, or as many as it takes to receive an amount of energon
    /// (`All`: every coin held).
    Sell { amount: Amount },
}

/// How much an order is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Amount {
    /// Whole energon.
    Energon(u64),
    /// Micro-coins.
    Coins(u64),
    All,
}

/// Why an amount typed by a player could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("give an amount, like `250` (energon), `1.5c` (coins) or `all`")]
    Empty,
    #[error("`{0}` is not an amount: use a number like `250`, `1.5c` (coins) or `all`")]
    NotANumber(String),
    #[error("energon comes in whole units: `{0}` has a fraction")]
    FractionalEnergon(String),
    #[error("coins have at most 6 decimals")]
    TooManyDecimals,
    #[error("that amount is too large")]
    TooLarge,
    #[error("the amount must be more than zero")]
    Zero,
}

/// Which unit a bare number means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Energon,
    Coins,
}

impl Amount {
    /// Reads what a player typed: `250`, `250e`, `250 energon`, `1.5c`, `0.25 coins`, `all`.
    /// A bare number is in `default` units. Never panics; every bad input has its reason.
    pub fn parse(text: &str, default: Unit) -> Result<Amount, AmountError> {
        let text = text.trim().to_ascii_lowercase();
        if text.is_empty() {
            return Err(AmountError::Empty);
        }
        if text == "all" || text == "max" {
            return Ok(Amount::All);
        }
        let split = text
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',' || c == '_'))
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(split);
        let unit = match unit.trim() {
            "" => default,
            "e" | "energon" => Unit::Energon,
            "c" | "coin" | "coins" | "cc" | "cybercoin" | "cybercoins" => Unit::Coins,
            _ => return Err(AmountError::NotANumber(text.clone())),
        };
        let number: String = number.chars().filter(|c| *c != ',' && *c != '_').collect();
        let (whole, fraction) = match number.split_once('.') {
            Some((whole, fraction)) => (whole, fraction),
            None => (number.as_str(), ""),
        };
        let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
            return Err(AmountError::NotANumber(text.clone()));
        }
        let whole: u64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| AmountError::TooLarge)?
        };
        let amount = match unit {
            Unit::Energon => {
                if fraction.chars().any(|c| c != '0') {
                    return Err(AmountError::FractionalEnergon(text.clone()));
                }
                Amount::Energon(whole)
            }
            Unit::Coins => {
                let fraction = fraction.trim_end_matches('0');
                if fraction.len() > 6 {
                    return Err(AmountError::TooManyDecimals);
                }
                let micro: u64 = format!("{fraction:0<6}").parse().unwrap_or(0);
                let coins = whole
                    .checked_mul(crate::market::tuning::MICRO)
                    .and_then(|coins| coins.checked_add(micro))
                    .ok_or(AmountError::TooLarge)?;
                Amount::Coins(coins)
            }
        };
        match amount {
            Amount::Energon(0) | Amount::Coins(0) => Err(AmountError::Zero),
            amount => Ok(amount),
        }
    }
}
