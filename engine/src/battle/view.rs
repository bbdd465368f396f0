//! Read models of the battle area, for the adapter: a battle's card (open or finished) with its
//! legal moves, what a player is taking part in, lobbies, challenges, records, the ladder,
//! tournament progress, and the deadlines the timer must enforce.
//!
//! Everything here is computed from the World or from a battle's own history; the adapter
//! draws it and decides nothing.

use crate::battle::event::{BattleEvent, EnemySnapshot};
use crate::battle::replay;
use crate::battle::sim::{Fighter, Hit, Sim, SimOutcome, Who};
use crate::battle::state::{Battle, BattleStats, Challenge, Lobby, Rating, RecentBattle};
use crate::battle::{BattleId, BattleMode, ChallengeId, LobbyId};
use crate::ids::{PlayerId, Timestamp};
use crate::world::{Event, World};

/// A battle as everyone sees it: the fighters, the last turn, and (while it is open) who has
/// chosen and when the turn ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Card {
    pub id: BattleId,
    pub mode: BattleMode,
    pub sim: Sim,
    /// Whether each fighter has chosen this turn's action (all false once the battle is over).
    pub ready: Vec<bool>,
    /// When the current turn times out; `None` once the battle is over.
    pub deadline: Option<Timestamp>,
    pub enemy: Option<EnemySnapshot>,
    /// The last resolved turn's log (empty before the first turn).
    pub last_log: Vec<Hit>,
    /// How it ended; `None` while it is open.
    pub end: Option<SimOutcome>,
    /// Whether the battle moves ratings (said in every reply about it: issue 13).
    pub rated: bool,
    /// Each player's stake, in energon (0 for none).
    pub stake: u64,
}

/// One fighter's legal moves for the current turn ([`Card::moves_for`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Moves {
    /// Whom an attack or a special may hit.
    pub targets: Vec<u8>,
    /// Whom a guard may cover (the fighter itself among them).
    pub guards: Vec<u8>,
    /// Whether a special is possible (it needs charge).
    pub special: bool,
    /// Whether the fighter has already chosen this turn (a choice is final for the turn).
    pub chosen: bool,
}

impl Card {
    pub fn is_over(&self) -> bool {
        self.deadline.is_none()
    }

    /// The players among the fighters (pets' owners), in seat order.
    pub fn players(&self) -> Vec<PlayerId> {
        seated_players(&self.sim.fighters)
    }

    /// The fighters an attack or a special may be aimed at this turn: against an enemy, the
    /// living enemies; otherwise every living fighter (the rules refuse a move against one's
    /// own side, so one shared view serves every seat).
    pub fn targets(&self) -> Vec<u8> {
        let against_enemy = self.enemy.is_some();
        self.living()
            .filter(|(_, f)| !against_enemy || matches!(f.who, Who::Enemy))
            .map(|(i, _)| i)
            .collect()
    }

    /// The fighters a guard may cover this turn: every living pet.
    pub fn guards(&self) -> Vec<u8> {
        self.living()
            .filter(|(_, f)| matches!(f.who, Who::Pet { .. }))
            .map(|(i, _)| i)
            .collect()
    }

    /// The seat of `player` (the fighter of their pet), if they fight in this battle.
    pub fn seat_of(&self, player: PlayerId) -> Option<u8> {
        self.sim
            .fighters
            .iter()
            .position(|f| f.player() == Some(player))
            .map(|i| i as u8)
    }

    /// What the fighter in `seat` may do this turn, by the rules' own check: nothing once it
    /// is down or has surrendered, or when the battle is over.
    pub fn moves_for(&self, seat: u8) -> Moves {
        let me = self.sim.fighters.get(usize::from(seat));
        if self.is_over() || !me.is_some_and(|f| f.is_alive() && !f.surrendered) {
            return Moves::default();
        }
        let aimed = |same_side: bool| -> Vec<u8> {
            (0..self.sim.fighters.len() as u8)
                .filter(|&i| self.sim.may_aim(seat, i, same_side))
                .collect()
        };
        Moves {
            targets: aimed(false),
            guards: aimed(true),
            special: me.is_some_and(|f| f.charge > 0),
            chosen: self.ready.get(usize::from(seat)).copied().unwrap_or(false),
        }
    }

    /// Whether one set of buttons is right for every player's seat (every seat has the same
    /// targets and guards, as against an enemy); otherwise each player picks their move in a
    /// picker of their own.
    pub fn moves_are_shared(&self) -> bool {
        let seats: Vec<Moves> = (0..self.sim.fighters.len() as u8)
            .filter(|&i| self.sim.fighters[usize::from(i)].player().is_some())
            .map(|i| self.moves_for(i))
            .filter(|m| !m.targets.is_empty())
            .collect();
        seats
            .windows(2)
            .all(|w| w[0].targets == w[1].targets && w[0].guards == w[1].guards)
    }

    fn living(&self) -> impl Iterator<Item = (u8, &Fighter)> + '_ {
        self.sim
            .fighters
            .iter()
            .enumerate()
            .filter(|(_, f)| f.is_alive())
            .map(|(i, f)| (i as u8, f))
    }
}

/// The card of a battle, from its open state (if it is still open) and its history (its
/// stream's battle events, in order, up to the durable point). A finished battle is
/// re-simulated from its history; `None` if the history does not re-simulate or has no start.
pub fn card(open: Option<Battle>, history: &[BattleEvent]) -> Option<Card> {
    let last_log = history
        .iter()
        .rev()
        .find_map(|e| match e {
            BattleEvent::TurnResolved { log, .. } => Some(log.clone()),
            _ => None,
        })
        .unwrap_or_default();
    if let Some(battle) = open {
        return Some(Card {
            id: battle.id,
            mode: battle.mode,
            ready: battle.pending.iter().map(Option::is_some).collect(),
            deadline: Some(battle.deadline),
            enemy: battle.enemy,
            sim: battle.sim,
            last_log,
            end: None,
            rated: battle.rated,
            stake: battle.stake,
        });
    }
    let (_, sim) = replay::verify(history.iter()).ok()?;
    let Some(BattleEvent::Started {
        battle,
        mode,
        enemy,
        rated,
        stake,
        ..
    }) = history.first().cloned()
    else {
        return None;
    };
    let end = history.iter().rev().find_map(|e| match e {
        BattleEvent::Ended { outcome, .. } => Some(*outcome),
        _ => None,
    });
    Some(Card {
        id: battle,
        mode,
        ready: vec![false; sim.fighters.len()],
        sim,
        deadline: None,
        enemy,
        last_log,
        // A history that re-simulates but records no end is shown as over without a verdict.
        end,
        rated,
        stake,
    })
}

/// The open battle's state, for [`card`].
pub fn open_battle(world: &World, battle: BattleId) -> Option<Battle> {
    world.battles.open.get(&battle).cloned()
}

/// What a player is taking part in, most binding first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Activity {
    Fighting(BattleId),
    Tournament {
        round: u8,
        alive: Vec<PlayerId>,
        /// The round's matches still being fought.
        open: Vec<(BattleId, Vec<PlayerId>)>,
    },
    Queued {
        since: Timestamp,
    },
    Lobby(Lobby),
    Nothing,
}

pub fn activity(world: &World, player: PlayerId) -> Activity {
    let battles = &world.battles;
    if let Some(battle) = battles.busy.get(&player) {
        return Activity::Fighting(*battle);
    }
    if let Some((id, tournament)) = battles
        .tournaments
        .iter()
        .find(|(_, t)| t.alive.contains(&player))
    {
        let open = battles
            .open
            .values()
            .filter(|b| matches!(b.mode, BattleMode::Tournament { tournament, .. } if tournament == *id))
            .map(|b| (b.id, seated_players(&b.sim.fighters)))
            .collect();
        return Activity::Tournament {
            round: tournament.round,
            alive: tournament.alive.clone(),
            open,
        };
    }
    if let Some(since) = battles.queue.get(&player) {
        return Activity::Queued { since: *since };
    }
    if let Some(lobby) = lobby_of(world, player) {
        return Activity::Lobby(lobby);
    }
    Activity::Nothing
}

/// The battle the player is fighting, if any.
pub fn battle_of(world: &World, player: PlayerId) -> Option<BattleId> {
    world.battles.busy.get(&player).copied()
}

/// The lobby the player waits in, if any.
pub fn lobby_of(world: &World, player: PlayerId) -> Option<Lobby> {
    let battles = &world.battles;
    battles
        .in_lobby
        .get(&player)
        .and_then(|id| battles.lobbies.get(id))
        .cloned()
}

pub fn lobby(world: &World, lobby: LobbyId) -> Option<Lobby> {
    world.battles.lobbies.get(&lobby).cloned()
}

pub fn challenge(world: &World, challenge: ChallengeId) -> Option<Challenge> {
    world.battles.challenges.get(&challenge).cloned()
}

/// Whether a duel between these two players, accepted at `now`, would be rated (a rematch
/// within a day of their last rated game is not): the rule the engine applies on accepting.
pub fn duel_would_be_rated(world: &World, now: Timestamp, a: PlayerId, b: PlayerId) -> bool {
    crate::battle::rules::is_rated_pair(world, now, a, b)
}

/// A player's battle record and rating.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Record {
    pub stats: BattleStats,
    pub rating: Rating,
}

pub fn record(world: &World, player: PlayerId) -> Record {
    Record {
        stats: world
            .battles
            .stats
            .get(&player)
            .cloned()
            .unwrap_or_default(),
        rating: world.battles.rating(player),
    }
}

/// The latest battles started, newest first, that pass `keep`: at most `n`.
pub fn recent(world: &World, n: usize, keep: impl Fn(&RecentBattle) -> bool) -> Vec<RecentBattle> {
    world
        .battles
        .recent
        .iter()
        .rev()
        .filter(|battle| keep(battle))
        .take(n)
        .cloned()
        .collect()
}

/// How many battles are still running.
pub fn n_running(world: &World) -> usize {
    world.battles.open.len()
}

/// The best ratings, best first (ties by player id): at most `n`.
pub fn ladder(world: &World, n: usize) -> Vec<(PlayerId, u32)> {
    world
        .battles
        .ladder(n)
        .into_iter()
        .map(|(player, rating)| (player, rating.elo))
        .collect()
}

/// Where a tournament stands after one of its round's matches.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TournamentProgress {
    /// The next round's matches, once it has begun.
    pub next: Vec<(BattleId, Vec<PlayerId>)>,
    /// Whether the tournament is still being played.
    pub running: bool,
}

pub fn tournament_progress(world: &World, tournament: LobbyId, round: u8) -> TournamentProgress {
    let next_round = BattleMode::Tournament {
        tournament,
        round: round.saturating_add(1),
    };
    TournamentProgress {
        next: world
            .battles
            .open
            .values()
            .filter(|b| b.mode == next_round)
            .map(|b| (b.id, seated_players(&b.sim.fighters)))
            .collect(),
        running: world.battles.tournaments.contains_key(&tournament),
    }
}

/// An enemy's health and attack as it would face this player's pet now, scaled by the one
/// function a battle's start uses (`rules::enemy_fighter`), so a picker shows the health the
/// enemy will have in the battle. `None` for an unknown enemy or a player with no pet.
pub fn enemy_as_faced(
    world: &World,
    now: Timestamp,
    player: PlayerId,
    enemy: &str,
) -> Option<EnemyAsFaced> {
    let def = crate::content::get().enemies.get(enemy)?;
    let pet = crate::battle::rules::pet_fighter_ignoring_busy(world, now, player, 0).ok()?;
    let (fighter, _) = crate::battle::rules::enemy_fighter(def, &[pet]);
    Some(EnemyAsFaced {
        hp: fighter.hp_max,
        attack: fighter.attack,
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnemyAsFaced {
    pub hp: u32,
    pub attack: u32,
}

/// What a battle's end led to for one player, read from the events of the command that ended
/// it (its rewards, experience, loot, the stake's pot and the rating change).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlayerResult {
    pub player: PlayerId,
    /// Energon earned in the battle (`BattleReward`).
    pub energon: u64,
    pub xp: u64,
    /// A level reached, if any.
    pub level: Option<u32>,
    pub items: Vec<crate::pets::content::ItemId>,
    /// The stake's pot won (or, after a draw, the stake refunded: `refund`).
    pub pot: u64,
    pub refund: bool,
    /// Rating before and after, if it changed.
    pub rating: Option<(u32, u32)>,
}

/// Each player's result, in `players` order, from `events` (the ending command's events).
pub fn battle_results(
    events: &[Event],
    battle: BattleId,
    players: &[PlayerId],
) -> Vec<PlayerResult> {
    use crate::energon::{EnergonEvent, LedgerRule};
    use crate::pets::PetEvent;
    players
        .iter()
        .map(|&player| {
            let mut result = PlayerResult {
                player,
                energon: 0,
                xp: 0,
                level: None,
                items: Vec::new(),
                pot: 0,
                refund: false,
                rating: None,
            };
            for event in events {
                match event {
                    Event::Energon(EnergonEvent::Credited {
                        player: p,
                        amount,
                        rule: LedgerRule::BattleReward,
                    }) if *p == player => result.energon += amount,
                    Event::Energon(EnergonEvent::EscrowReleased {
                        player: p,
                        escrow,
                        amount,
                        refund,
                    }) if *p == player && *escrow == battle.0 => {
                        result.pot += amount;
                        result.refund = *refund;
                    }
                    Event::Pet(PetEvent::ExperienceGained { player: p, xp }) if *p == player => {
                        result.xp += xp;
                    }
                    Event::Pet(PetEvent::LeveledUp {
                        player: p, level, ..
                    }) if *p == player => {
                        result.level = Some(*level);
                    }
                    Event::Pet(PetEvent::ItemFound { player: p, item }) if *p == player => {
                        result.items.push(item.clone());
                    }
                    Event::Battle(BattleEvent::RatingChanged {
                        player: p,
                        battle: b,
                        before,
                        after,
                        ..
                    }) if *p == player && *b == battle => result.rating = Some((*before, *after)),
                    _ => {}
                }
            }
            result
        })
        .collect()
}

/// What a tournament's history (its lobby's stream) says about one of its matches and its end.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TournamentRecord {
    /// Who won (or, after a draw, was given by the coin) the match of this battle.
    pub match_winner: Option<PlayerId>,
    /// The champion, once the final is decided.
    pub champion: Option<PlayerId>,
    /// The round that could not start, if the tournament was called off.
    pub cancelled_round: Option<u8>,
}

pub fn tournament_record<'a>(
    history: impl IntoIterator<Item = &'a Event>,
    battle: BattleId,
) -> TournamentRecord {
    let mut record = TournamentRecord::default();
    for event in history {
        match event {
            Event::Battle(BattleEvent::TournamentMatchWon {
                winner, battle: b, ..
            }) if *b == battle => record.match_winner = Some(*winner),
            Event::Battle(BattleEvent::TournamentWon { winner, .. }) => {
                record.champion = Some(*winner);
            }
            Event::Battle(BattleEvent::TournamentCancelled { round, .. }) => {
                record.cancelled_round = Some(*round);
            }
            _ => {}
        }
    }
    record
}

/// The champion a tournament's history (its lobby's stream) crowned, if any.
pub fn champion<'a>(history: impl IntoIterator<Item = &'a Event>) -> Option<PlayerId> {
    history.into_iter().find_map(|event| match event {
        Event::Battle(BattleEvent::TournamentWon { winner, .. }) => Some(*winner),
        _ => None,
    })
}

/// Every battle these events started, with its players in seat order.
pub fn started(events: &[Event]) -> Vec<(BattleId, Vec<PlayerId>)> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Battle(BattleEvent::Started {
                battle, fighters, ..
            }) => Some((*battle, seated_players(fighters))),
            _ => None,
        })
        .collect()
}

/// The players among a battle's fighters (pets' owners), in seat order.
pub fn seated_players(fighters: &[Fighter]) -> Vec<PlayerId> {
    fighters.iter().filter_map(|f| f.player()).collect()
}

/// Deadlines that have passed at `now`: what the timer must send a command for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Due {
    /// Battles whose turn timed out, with that turn.
    pub turns: Vec<(BattleId, u32)>,
    pub lobbies: Vec<LobbyId>,
    pub challenges: Vec<ChallengeId>,
}

pub fn due(world: &World, now: Timestamp) -> Due {
    let battles = &world.battles;
    Due {
        turns: battles
            .open
            .values()
            .filter(|battle| battle.deadline <= now)
            .map(|battle| (battle.id, battle.sim.turn))
            .collect(),
        lobbies: battles
            .lobbies
            .values()
            .filter(|l| l.expires_at <= now)
            .map(|l| l.id)
            .collect(),
        challenges: battles
            .challenges
            .values()
            .filter(|c| c.expires_at < now)
            .map(|c| c.id)
            .collect(),
    }
}

/// The player's latest battles, newest first (at most `state::HISTORY_PER_PLAYER`).
pub fn history(world: &World, player: PlayerId) -> Vec<BattleId> {
    world
        .battles
        .history
        .get(&player)
        .map(|battles| battles.iter().rev().copied().collect())
        .unwrap_or_default()
}

/// The card of a battle as it stood after `turn` resolved turns of its `history` (0: as it
/// started; clamped to the last), with the turn it shows and how many turns were resolved;
/// the last turn of a finished battle includes its end. A past state has no deadline, so its
/// card offers no moves. `None` if the history does not re-simulate.
pub fn card_after(history: &[BattleEvent], turn: usize) -> Option<(Card, usize, usize)> {
    let resolved: Vec<usize> = history
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e, BattleEvent::TurnResolved { .. }))
        .map(|(i, _)| i)
        .collect();
    let turn = turn.min(resolved.len());
    let end = match turn {
        _ if turn == resolved.len() => history.len(),
        0 => history
            .iter()
            .position(|e| {
                matches!(
                    e,
                    BattleEvent::ActionChosen { .. } | BattleEvent::TurnResolved { .. }
                )
            })
            .unwrap_or(history.len()),
        n => resolved[n - 1] + 1,
    };
    Some((card(None, &history[..end])?, turn, resolved.len()))
}
