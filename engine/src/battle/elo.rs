//! Elo ratings for one-on-one PvP, after Pokémon Showdown's ladder, in integers.
//!
//! - Everyone starts at 1000; a loss always costs something, down to a floor of
//!   [`RATING_FLOOR`]. (Showdown floors at the start, so a new player's first losses changed
//!   nothing: the loser of a rated duel kept their rating while the winner gained 40, and the
//!   ladder read as if the game had not counted. Issue 13.)
//! - The expected score comes from a table of 1000/(1+10^(d/400)) in steps of 25 rating points,
//!   interpolated linearly (no floats, so every replay computes the same numbers).
//! - K depends on the rating, and below 1100 on the result, as on Showdown's official ladder:
//!   below 1100 a win uses 80 − 0.3·(R−1000) and a loss 20 + 0.3·(R−1000); 1100 to 1300 uses 50;
//!   above 1300, 40. This inflates ratings on purpose (climbing out of 1000 is quick) and is
//!   not zero-sum; tests don't pretend it is.
//! - A player's first [`PROVISIONAL_GAMES`] games are shown as provisional.

/// Every player's first rating.
pub const RATING_START: u32 = 1_000;
/// No rating falls below this.
pub const RATING_FLOOR: u32 = 100;
/// Games before a rating stops being provisional.
pub const PROVISIONAL_GAMES: u32 = 10;
/// A rated rematch against the same opponent within this many seconds counts for nothing.
pub const REMATCH_UNRATED_SECS: i64 = 24 * 60 * 60;

/// 1000/(1+10^(d/400)) for d = 0, 25, 50, … 800, rounded.
const EXPECTED_PERMILLE: [u32; 33] = [
    500, 464, 429, 394, 360, 327, 297, 267, 240, 215, 192, 170, 151, 133, 118, 104, 91, 80, 70, 61,
    53, 46, 40, 35, 31, 27, 23, 20, 17, 15, 13, 11, 10,
];

/// The expected score of a player rated `rating` against `opponent`, in per mille.
pub fn expected_permille(rating: u32, opponent: u32) -> u32 {
    let diff = i64::from(opponent) - i64::from(rating);
    let distance = diff.unsigned_abs().min(800);
    let step = (distance / 25) as usize;
    let within = (distance % 25) as u32;
    let low = EXPECTED_PERMILLE[step];
    let high = EXPECTED_PERMILLE[(step + 1).min(32)];
    let below_half = low - (low - high) * within / 25;
    if diff >= 0 {
        below_half
    } else {
        1_000 - below_half
    }
}

/// The K factor for a player at `rating` with this result.
pub fn k_factor(rating: u32, won: bool) -> u32 {
    match rating {
        0..=1_099 => {
            let above = rating.saturating_sub(RATING_START);
            if won {
                80 - 3 * above / 10
            } else {
                20 + 3 * above / 10
            }
        }
        1_100..=1_300 => 50,
        _ => 40,
    }
}

/// The new rating after a game: `won` true for a win, false for a loss.
pub fn updated(rating: u32, opponent: u32, won: bool) -> u32 {
    let expected = i64::from(expected_permille(rating, opponent));
    let score = if won { 1_000 } else { 0 };
    let k = i64::from(k_factor(rating, won));
    let numerator = k * (score - expected);
    // Round half away from zero.
    let delta = if numerator >= 0 {
        (numerator + 500) / 1_000
    } else {
        (numerator - 500) / 1_000
    };
    // A loss moves a rating down by at least one point (above the floor), a win up by one.
    let delta = match (won, delta) {
        (true, 0) => 1,
        (false, 0) => -1,
        _ => delta,
    };
    (i64::from(rating) + delta).max(i64::from(RATING_FLOOR)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows: rating, opponent, won, expected new rating.
    #[test]
    fn rating_changes_follow_the_table() {
        let rows = [
            (1_000, 1_000, true, 1_040),
            (1_000, 1_000, false, 990),
            (990, 1_040, false, 981),
            (1_000, 2_000, false, 999),
            (RATING_FLOOR, 1_000, false, RATING_FLOOR),
            (1_050, 1_000, false, 1_030),
            (1_200, 1_200, true, 1_225),
            (1_200, 1_200, false, 1_175),
            (1_400, 1_400, true, 1_420),
            (1_400, 1_000, true, 1_404),
            (1_000, 1_400, true, 1_073),
            (1_000, 2_000, true, 1_079),
        ];
        for (rating, opponent, won, expected) in rows {
            assert_eq!(
                updated(rating, opponent, won),
                expected,
                "{rating} vs {opponent}, won {won}"
            );
        }
    }

    #[test]
    fn expected_scores_are_symmetric_and_monotonic() {
        for (a, b) in [
            (1_000, 1_000),
            (1_000, 1_137),
            (1_500, 1_210),
            (1_000, 1_900),
        ] {
            assert_eq!(
                expected_permille(a, b) + expected_permille(b, a),
                1_000,
                "{a} {b}"
            );
        }
        let mut previous = 1_000;
        for opponent in (1_000..=1_900).step_by(7) {
            let expected = expected_permille(1_000, opponent);
            assert!(expected <= previous);
            previous = expected;
        }
    }
}
