//! A player's energon ledger, read back from their stream in the log: every balance change with
//! its instant and its reason, newest first, a page at a time. This is the answer to "where did
//! my energon go?", and it reads the log rather than the World because the World keeps only
//! balances, not their history.

use crate::energon::{EnergonEvent, RushFind};
use crate::ids::{PlayerId, StreamId, Timestamp};
use crate::log::{EventLog, LogError};
use crate::player::PlayerEvent;
use crate::world::Event;

/// Ledger lines per page.
pub const HISTORY_PAGE_LINES: usize = 10;

/// Which balance a line changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Account {
    Wallet,
    Bank,
    Rush,
}

/// One balance change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerLine {
    pub seq: u64,
    pub at: Timestamp,
    pub account: Account,
    /// Positive for money in, negative for money out.
    pub delta: i128,
    pub reason: String,
}

/// One page of history, newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerPage {
    pub lines: Vec<LedgerLine>,
    /// 0-based, clamped to the last page.
    pub page: usize,
    pub n_pages: usize,
}

/// The ledger lines one event contributes (a deposit is two: out of the wallet, into the bank).
pub fn ledger_lines(seq: u64, at: Timestamp, event: &Event) -> Vec<LedgerLine> {
    let line = |account, delta: i128, reason: String| LedgerLine {
        seq,
        at,
        account,
        delta,
        reason,
    };
    let Event::Energon(event) = event else {
        return Vec::new();
    };
    match event {
        EnergonEvent::Credited { amount, rule, .. } => {
            vec![line(Account::Wallet, i128::from(*amount), rule.label())]
        }
        EnergonEvent::Debited { amount, rule, .. } => {
            vec![line(Account::Wallet, -i128::from(*amount), rule.label())]
        }
        EnergonEvent::Deposited { amount, .. } => vec![
            line(Account::Wallet, -i128::from(*amount), "deposit".into()),
            line(Account::Bank, i128::from(*amount), "deposit".into()),
        ],
        EnergonEvent::Withdrew { amount, .. } => vec![
            line(Account::Bank, -i128::from(*amount), "withdrawal".into()),
            line(Account::Wallet, i128::from(*amount), "withdrawal".into()),
        ],
        EnergonEvent::RushFound {
            amount,
            find,
            round,
            ..
        } => {
            vec![line(
                Account::Rush,
                i128::from(*amount),
                rush_reason(*find, *round),
            )]
        }
        EnergonEvent::RushLost {
            amount,
            find,
            round,
            ..
        } => {
            vec![line(
                Account::Rush,
                -i128::from(*amount),
                rush_reason(*find, *round),
            )]
        }
        EnergonEvent::EscrowHeld { amount, .. } => vec![line(
            Account::Wallet,
            -i128::from(*amount),
            "stake held".into(),
        )],
        EnergonEvent::EscrowReleased { amount, refund, .. } => {
            let reason = if *refund {
                "stake refunded"
            } else {
                "stake winnings"
            };
            vec![line(Account::Wallet, i128::from(*amount), reason.into())]
        }
        EnergonEvent::RushNothing { .. }
        | EnergonEvent::RushRoundWon { .. }
        | EnergonEvent::RushCooldownSet { .. } => Vec::new(),
    }
}

fn rush_reason(find: RushFind, round: u32) -> String {
    let what = match find {
        RushFind::Scout => "scout",
        RushFind::SearchSmall => "search: small find",
        RushFind::SearchMajor => "search: major find",
        RushFind::SearchLoss => "search: dropped some",
        RushFind::SearchDisaster => "search: disaster",
    };
    format!("rush round {round}, {what}")
}

/// The `page`-th page (newest first) of `player`'s ledger.
///
/// Reads the player's whole stream: fine for the streams this game produces (thousands of
/// events); a per-player ledger index would be the next step if that ever became slow.
pub fn ledger_page(
    log: &dyn EventLog,
    player: PlayerId,
    page: usize,
) -> Result<LedgerPage, LogError> {
    ledger_page_until(log, player, page, u64::MAX)
}

/// [`ledger_page`] as of `until_seq`: events past it (appended but perhaps not yet durable,
/// when a reader runs beside the writer) are left out.
pub fn ledger_page_until(
    log: &dyn EventLog,
    player: PlayerId,
    page: usize,
    until_seq: u64,
) -> Result<LedgerPage, LogError> {
    let (lines, page, n_pages) = stream_page(log, player, page, until_seq, |recorded| {
        ledger_lines(recorded.seq, recorded.recorded_at, &recorded.event)
    })?;
    Ok(LedgerPage {
        lines,
        page,
        n_pages,
    })
}

/// The `page`-th page (newest first, [`HISTORY_PAGE_LINES`] a page) of the lines `lines_of`
/// makes of `player`'s stream as of `until_seq`, since their latest erasure (an erased player
/// who came back starts anew): `(lines, page clamped to the last, number of pages)`.
fn stream_page<T>(
    log: &dyn EventLog,
    player: PlayerId,
    page: usize,
    until_seq: u64,
    mut lines_of: impl FnMut(&crate::envelope::RecordedEvent) -> Vec<T>,
) -> Result<(Vec<T>, usize, usize), LogError> {
    let stream = StreamId::user(player);
    let mut lines = Vec::new();
    let mut version = 1;
    loop {
        let events = log.read_stream(&stream, version, 1_024)?;
        let Some(last) = events.last() else { break };
        version = last.stream_version + 1;
        for recorded in events.iter().take_while(|e| e.seq <= until_seq) {
            if matches!(recorded.event, Event::Player(PlayerEvent::Erased { .. })) {
                lines.clear();
            }
            lines.extend(lines_of(recorded));
        }
    }
    lines.reverse();
    let n_pages = lines.len().div_ceil(HISTORY_PAGE_LINES).max(1);
    let page = page.min(n_pages - 1);
    let lines = lines
        .into_iter()
        .skip(page * HISTORY_PAGE_LINES)
        .take(HISTORY_PAGE_LINES)
        .collect();
    Ok((lines, page, n_pages))
}

/// What moved a player's CyberCoin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TradeKind {
    Bought,
    Sold,
    /// Given to another player in a player trade (no energon, fee or price).
    GaveAway {
        to: PlayerId,
    },
    /// Received from another player in a player trade.
    Received {
        from: PlayerId,
    },
}

/// One CyberCoin trade, as the player's stream recorded it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TradeLine {
    pub seq: u64,
    pub at: Timestamp,
    pub kind: TradeKind,
    /// Micro-coins.
    pub coins: u64,
    /// Energon paid (a buy) or received (a sale); 0 for a player trade.
    pub energon: u64,
    pub fee: u64,
    /// Micro-energon a coin.
    pub price: u64,
}

/// One page of trades, newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TradePage {
    pub lines: Vec<TradeLine>,
    /// 0-based, clamped to the last page.
    pub page: usize,
    pub n_pages: usize,
}

/// The `page`-th page (newest first) of `player`'s CyberCoin trades as of `until_seq`, since
/// their latest erasure. Reads the player's stream, as [`ledger_page_until`] does.
pub fn trades_page_until(
    log: &dyn EventLog,
    player: PlayerId,
    page: usize,
    until_seq: u64,
) -> Result<TradePage, LogError> {
    use crate::market::MarketEvent;
    let (lines, page, n_pages) = stream_page(log, player, page, until_seq, |recorded| {
        let line = |kind, coins: u64, energon: u64, fee: u64, price: u64| TradeLine {
            seq: recorded.seq,
            at: recorded.recorded_at,
            kind,
            coins,
            energon,
            fee,
            price,
        };
        match &recorded.event {
            Event::Market(MarketEvent::Bought {
                coins,
                paid,
                fee,
                price,
                ..
            }) => vec![line(TradeKind::Bought, *coins, *paid, *fee, *price)],
            Event::Market(MarketEvent::Sold {
                coins,
                received,
                fee,
                price,
                ..
            }) => vec![line(TradeKind::Sold, *coins, *received, *fee, *price)],
            Event::Market(MarketEvent::GaveAway { coins, to, .. }) => {
                vec![line(TradeKind::GaveAway { to: *to }, *coins, 0, 0, 0)]
            }
            Event::Market(MarketEvent::Received { coins, from, .. }) => {
                vec![line(TradeKind::Received { from: *from }, *coins, 0, 0, 0)]
            }
            _ => Vec::new(),
        }
    })?;
    Ok(TradePage {
        lines,
        page,
        n_pages,
    })
}
