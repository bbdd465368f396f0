//! View expiry arithmetic on the minute a `custom_id` carries (the minute a view was drawn, in
//! minutes since the Unix epoch). The minute comes back from Discord in a press, so it is input:
//! the arithmetic is checked and never overflows, whatever the minute says.

use allspark_engine::Timestamp;

/// Milliseconds in a minute.
pub const MILLIS_PER_MINUTE: i64 = 60_000;

/// How many whole minutes before `now` a view drawn at `minute` was drawn (negative for a minute
/// after `now`), or `None` when the difference doesn't fit an `i64` (a forged minute).
pub fn view_age_minutes(now: Timestamp, minute: i64) -> Option<i64> {
    (now.0 / MILLIS_PER_MINUTE).checked_sub(minute)
}

/// True when a view drawn at `minute` must no longer be pressed at `now`: it is older than
/// `ttl_minutes`, or its minute is in the future or out of range (the bot only ever writes the
/// minute it draws at, and its time never goes back, so such a minute was not written by it).
pub fn view_expired(now: Timestamp, minute: i64, ttl_minutes: i64) -> bool {
    !matches!(view_age_minutes(now, minute), Some(age) if (0..=ttl_minutes).contains(&age))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-01-01T00:00:00Z.
    const NOW: Timestamp = Timestamp(1_767_225_600_000);
    const NOW_MINUTE: i64 = 1_767_225_600_000 / MILLIS_PER_MINUTE;

    #[test]
    fn the_age_is_whole_minutes_since_the_view_was_drawn() {
        assert_eq!(view_age_minutes(NOW, NOW_MINUTE), Some(0));
        assert_eq!(view_age_minutes(NOW, NOW_MINUTE - 15), Some(15));
        assert_eq!(
            view_age_minutes(Timestamp(NOW.0 + 59_999), NOW_MINUTE),
            Some(0)
        );
        assert_eq!(view_age_minutes(NOW, NOW_MINUTE + 3), Some(-3));
    }

    #[test]
    fn extreme_minutes_give_no_age_instead_of_overflowing() {
        assert_eq!(view_age_minutes(NOW, i64::MIN), None);
        assert_eq!(view_age_minutes(Timestamp(i64::MIN), i64::MAX), None);
        assert_eq!(view_age_minutes(Timestamp(i64::MAX), i64::MIN), None);
        assert_eq!(view_age_minutes(NOW, i64::MAX), Some(NOW_MINUTE - i64::MAX));
    }

    #[test]
    fn a_view_expires_after_its_ttl_and_a_forged_minute_is_expired() {
        assert!(!view_expired(NOW, NOW_MINUTE, 30));
        assert!(!view_expired(NOW, NOW_MINUTE - 30, 30));
        assert!(view_expired(NOW, NOW_MINUTE - 31, 30));
        assert!(view_expired(NOW, NOW_MINUTE + 1, 30));
        assert!(view_expired(NOW, i64::MIN, 30));
        assert!(view_expired(NOW, i64::MAX, 30));
    }
}
