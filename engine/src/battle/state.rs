//! The battle projection: open battles with their simulator state, lobbies, challenges,
//! tournaments, the ladder, the matchmaking queue and per-pet battle statistics.
//!
//! `evolve` re-runs the simulator for `TurnResolved` with the recorded choices: the turn's log in
//! the event is derived output, the recorded inputs are the truth.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::battle::command::LobbyKind;
use crate::battle::elo::{RATING_START, REMATCH_UNRATED_SECS};
use crate::battle::event::{BattleEvent, EnemySnapshot};
use crate::battle::sim::{Action, Fighter, Sim, SimOutcome, Who};
use crate::battle::tuning::{PVP_PAIR_WINDOW_SECS, PVP_REWARD_TURNS_MIN};
use crate::battle::{BattleId, BattleMode, ChallengeId, LobbyId};
use crate::energon::Ranking;
use crate::ids::{PlayerId, Timestamp};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Battles {
    pub open: BTreeMap<BattleId, Battle>,
    pub lobbies: BTreeMap<LobbyId, Lobby>,
    pub challenges: BTreeMap<ChallengeId, Challenge>,
    pub tournaments: BTreeMap<LobbyId, Tournament>,
    pub ratings: BTreeMap<PlayerId, Rating>,
    /// Every rating, ranked: the ladder.
    ladder: Ranking,
    /// When each pair (smaller id first) last played a rated game, within the rematch window
    /// (`elo::REMATCH_UNRATED_SECS`) before the latest battle event: older entries can't refuse
    /// a rating any more, so `evolve` drops them.
    pub last_rated: BTreeMap<(PlayerId, PlayerId), Timestamp>,
    /// `last_rated` by instant, oldest first, for dropping what left the window.
    rated_at: BTreeSet<(Timestamp, (PlayerId, PlayerId))>,
    /// Players waiting for a rated duel, and since when.
    pub queue: BTreeMap<PlayerId, Timestamp>,
    pub stats: BTreeMap<PlayerId, BattleStats>,
    /// Which battle a player is fighting in.
    pub busy: BTreeMap<PlayerId, BattleId>,
    /// Which lobby a player is waiting in.
    pub in_lobby: BTreeMap<PlayerId, LobbyId>,
    pub n_finished: u64,
    /// Real PvP fights of each pair (smaller id first) in the current reward window: repeated
    /// pairings pay less (`tuning::PVP_PAIR_REWARD_PERCENT`).
    pub pvp_pairs: BTreeMap<(PlayerId, PlayerId), PairFights>,
    /// `pvp_pairs` by the start of each pair's window, oldest first, for dropping pairs whose
    /// window has closed (they count as no fights, so keeping them only costs memory).
    pairs_since: BTreeSet<(Timestamp, (PlayerId, PlayerId))>,
    /// Each player's latest battles, oldest first (at most `HISTORY_PER_PLAYER`), for
    /// `/battle_history`.
    pub(crate) history: BTreeMap<PlayerId, std::collections::VecDeque<BattleId>>,
    /// The latest battles started, oldest first (at most `RECENT_BATTLES`), for the battle list
    /// of the web pages.
    pub(crate) recent: std::collections::VecDeque<RecentBattle>,
}

/// Battles remembered for the list of recent battles.
pub const RECENT_BATTLES: usize = 500;

/// A battle in the list of recent ones: what a listing shows without reading its stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RecentBattle {
    pub id: BattleId,
    pub mode: BattleMode,
    /// The players among the fighters, in seat order.
    pub players: Vec<PlayerId>,
    /// The enemy's content id, against an enemy.
    pub enemy: Option<String>,
    pub started_at: Timestamp,
    /// How it ended; `None` while it runs.
    pub outcome: Option<SimOutcome>,
    /// The turns it took, once over.
    pub turns: u32,
}

/// Battles remembered per player for their history.
pub const HISTORY_PER_PLAYER: usize = 100;

/// How often two players fought for real since `since` (the start of their reward window).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PairFights {
    pub since: Timestamp,
    pub n_fights: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Battle {
    pub id: BattleId,
    pub mode: BattleMode,
    pub sim: Sim,
    /// This turn's choices so far, by fighter index.
    pub pending: Vec<Option<Action>>,
    pub deadline: Timestamp,
    pub started_at: Timestamp,
    pub enemy: Option<EnemySnapshot>,
    /// Each fighter's health when the battle began (loot depends on what is left of it).
    pub hp_start: Vec<u32>,
    pub rated: bool,
    pub stake: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Lobby {
    pub id: LobbyId,
    pub creator: PlayerId,
    pub kind: LobbyKind,
    pub stake: u64,
    pub expires_at: Timestamp,
    /// Members in joining order, with their chosen side and readiness.
    pub members: Vec<LobbyMember>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LobbyMember {
    pub player: PlayerId,
    pub side: Option<u8>,
    pub ready: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Challenge {
    pub id: ChallengeId,
    pub challenger: PlayerId,
    pub opponent: PlayerId,
    pub stake: u64,
    pub expires_at: Timestamp,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Tournament {
    /// Players still in, in bracket order: 0 v 1, 2 v 3, …
    pub alive: Vec<PlayerId>,
    pub round: u8,
    /// This round's winners so far, by match index.
    pub winners: BTreeMap<u8, PlayerId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Rating {
    pub elo: u32,
    pub games: u32,
}

impl Default for Rating {
    fn default() -> Self {
        Rating {
            elo: RATING_START,
            games: 0,
        }
    }
}

/// A pet's battle record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BattleStats {
    pub battles: u32,
    pub wins: u32,
    pub losses: u32,
    pub draws: u32,
    pub pve_wins: u32,
    pub pvp_wins: u32,
    pub damage_dealt: u64,
    pub damage_taken: u64,
}

impl BattleStats {
    /// Wins per hundred battles.
    pub fn win_rate_percent(&self) -> u32 {
        (self.wins * 100).checked_div(self.battles).unwrap_or(0)
    }
}

impl Battles {
    pub fn rating(&self, player: PlayerId) -> Rating {
        self.ratings.get(&player).copied().unwrap_or_default()
    }

    /// The battle a player is in, with their fighter index.
    pub fn seat_of(&self, player: PlayerId) -> Option<(&Battle, u8)> {
        let battle = self.open.get(self.busy.get(&player)?)?;
        let seat = battle.seat(player)?;
        Some((battle, seat))
    }

    /// Top ratings, best first (ties by player id). O(n).
    pub fn ladder(&self, n: usize) -> Vec<(PlayerId, Rating)> {
        self.ladder
            .top(n)
            .into_iter()
            .map(|(player, _)| (player, self.rating(player)))
            .collect()
    }

    /// Drops pair counts whose reward window has closed by `at` (`pair_fights` reads them as
    /// none already; every later command's instant is at or after `at`).
    fn forget_closed_pair_windows(&mut self, at: Timestamp) {
        let window_ms = PVP_PAIR_WINDOW_SECS * 1_000;
        while let Some(&(since, pair)) = self.pairs_since.first() {
            if at.0.saturating_sub(since.0) < window_ms {
                break;
            }
            self.pairs_since.pop_first();
            self.pvp_pairs.remove(&pair);
        }
    }

    /// Drops rematch guards that can no longer refuse a rating: a pair last rated at least the
    /// rematch window before `at` (every later command's instant is at or after `at`).
    fn forget_old_rematches(&mut self, at: Timestamp) {
        let window_ms = REMATCH_UNRATED_SECS * 1_000;
        while let Some(&(rated, pair)) = self.rated_at.first() {
            if at.0.saturating_sub(rated.0) < window_ms {
                break;
            }
            self.rated_at.pop_first();
            self.last_rated.remove(&pair);
        }
    }

    /// Forgets an erased player's rating, stats and rematch guards. Their finished battles stay
    /// in the log (opponents' histories and replays need them); the erasure rule refuses
    /// players who are in anything still open, so no open battle, lobby or queue names them.
    pub(crate) fn forget(&mut self, player: PlayerId) {
        self.history.remove(&player);
        self.ratings.remove(&player);
        self.ladder.remove(player);
        self.stats.remove(&player);
        self.queue.remove(&player);
        self.last_rated
            .retain(|(a, b), _| *a != player && *b != player);
        self.rated_at
            .retain(|(_, (a, b))| *a != player && *b != player);
        self.pvp_pairs
            .retain(|(a, b), _| *a != player && *b != player);
        self.pairs_since
            .retain(|(_, (a, b))| *a != player && *b != player);
    }

    /// The real fights two players had in the reward window that is open at `now`.
    pub fn pair_fights(&self, a: PlayerId, b: PlayerId, now: Timestamp) -> u32 {
        match self.pvp_pairs.get(&Battles::pair_key(a, b)) {
            Some(pair) if now.0 - pair.since.0 < PVP_PAIR_WINDOW_SECS * 1_000 => pair.n_fights,
            _ => 0,
        }
    }

    /// Counts a finished PvP battle that was a real fight for every pair of its players.
    fn count_pairings(&mut self, battle: &Battle, at: Timestamp) {
        if battle.enemy.is_some() || !battle.is_real_fight() {
            return;
        }
        let players: Vec<PlayerId> = battle.players().into_iter().map(|(p, _)| p).collect();
        for (i, a) in players.iter().enumerate() {
            for b in &players[i + 1..] {
                let n_fights = self.pair_fights(*a, *b, at);
                let key = Battles::pair_key(*a, *b);
                let pair = self.pvp_pairs.entry(key).or_insert(PairFights {
                    since: at,
                    n_fights,
                });
                if n_fights == 0 {
                    self.pairs_since.remove(&(pair.since, key));
                    pair.since = at;
                }
                self.pairs_since.insert((pair.since, key));
                pair.n_fights = n_fights + 1;
            }
        }
    }

    pub fn evolve(&mut self, event: &BattleEvent, at: Timestamp) {
        self.forget_old_rematches(at);
        self.forget_closed_pair_windows(at);
        match event {
            BattleEvent::ChallengeIssued {
                challenge,
                challenger,
                opponent,
                stake,
                expires_at,
            } => {
                self.challenges.insert(
                    *challenge,
                    Challenge {
                        id: *challenge,
                        challenger: *challenger,
                        opponent: *opponent,
                        stake: *stake,
                        expires_at: *expires_at,
                    },
                );
            }
            BattleEvent::ChallengeAccepted { challenge, .. }
            | BattleEvent::ChallengeDeclined { challenge }
            | BattleEvent::ChallengeExpired { challenge } => {
                self.challenges.remove(challenge);
            }
            BattleEvent::LobbyOpened {
                lobby,
                creator,
                kind,
                stake,
                expires_at,
            } => {
                self.lobbies.insert(
                    *lobby,
                    Lobby {
                        id: *lobby,
                        creator: *creator,
                        kind: kind.clone(),
                        stake: *stake,
                        expires_at: *expires_at,
                        members: Vec::new(),
                    },
                );
            }
            BattleEvent::LobbyJoined {
                lobby,
                player,
                side,
            } => {
                if let Some(entry) = self.lobbies.get_mut(lobby) {
                    entry.members.push(LobbyMember {
                        player: *player,
                        side: *side,
                        ready: false,
                    });
                    self.in_lobby.insert(*player, *lobby);
                }
            }
            BattleEvent::LobbyLeft { lobby, player } => {
                if let Some(entry) = self.lobbies.get_mut(lobby) {
                    entry.members.retain(|member| member.player != *player);
                }
                self.in_lobby.remove(player);
            }
            BattleEvent::LobbyReady {
                lobby,
                player,
                ready,
            } => {
                if let Some(member) = self
                    .lobbies
                    .get_mut(lobby)
                    .and_then(|entry| entry.members.iter_mut().find(|m| m.player == *player))
                {
                    member.ready = *ready;
                }
            }
            BattleEvent::LobbyClosed { lobby, .. } => {
                if let Some(entry) = self.lobbies.remove(lobby) {
                    for member in entry.members {
                        self.in_lobby.remove(&member.player);
                    }
                }
            }
            BattleEvent::Started {
                battle,
                mode,
                seed,
                fighters,
                enemy,
                rated,
                stake,
                deadline,
                ..
            } => {
                let sim = Sim {
                    fighters: fighters.clone(),
                    turn: 1,
                    seed: *seed,
                    kit: enemy.as_ref().map(|enemy| enemy.kit.clone()),
                    outcome: None,
                    // Until the battle's `Setup` says otherwise.
                    rules: 1,
                };
                if self.recent.len() == RECENT_BATTLES {
                    self.recent.pop_front();
                }
                self.recent.push_back(RecentBattle {
                    id: *battle,
                    mode: *mode,
                    players: fighters.iter().filter_map(Fighter::player).collect(),
                    enemy: enemy.as_ref().map(|enemy| enemy.id.clone()),
                    started_at: at,
                    outcome: None,
                    turns: 0,
                });
                for fighter in fighters {
                    if let Who::Pet { player, .. } = fighter.who {
                        self.busy.insert(player, *battle);
                        self.queue.remove(&player);
                        let history = self.history.entry(player).or_default();
                        if history.back() != Some(battle) {
                            if history.len() == HISTORY_PER_PLAYER {
                                history.pop_front();
                            }
                            history.push_back(*battle);
                        }
                    }
                }
                self.open.insert(
                    *battle,
                    Battle {
                        id: *battle,
                        mode: *mode,
                        pending: vec![None; fighters.len()],
                        hp_start: fighters.iter().map(|f| f.hp).collect(),
                        sim,
                        deadline: *deadline,
                        started_at: at,
                        enemy: enemy.clone(),
                        rated: *rated,
                        stake: *stake,
                    },
                );
            }
            BattleEvent::ActionChosen {
                battle,
                fighter,
                action,
                ..
            } => {
                if let Some(slot) = self
                    .open
                    .get_mut(battle)
                    .and_then(|b| b.pending.get_mut(usize::from(*fighter)))
                {
                    *slot = Some(*action);
                }
            }
            BattleEvent::TurnResolved {
                battle, deadline, ..
            } => {
                if let Some(entry) = self.open.get_mut(battle) {
                    let mut scratch = Vec::new();
                    entry.sim.resolve_turn(&entry.pending, &mut scratch);
                    entry.pending.iter_mut().for_each(|choice| *choice = None);
                    entry.deadline = *deadline;
                }
            }
            BattleEvent::Surrendered { battle, fighter } => {
                if let Some(f) = self
                    .open
                    .get_mut(battle)
                    .and_then(|b| b.sim.fighters.get_mut(usize::from(*fighter)))
                {
                    f.surrendered = true;
                }
                if let Some(entry) = self.open.get_mut(battle) {
                    entry.sim.judge();
                }
            }
            BattleEvent::Ended {
                battle,
                outcome,
                turns,
                ..
            } => {
                if let Some(listed) = self.recent.iter_mut().rev().find(|b| b.id == *battle) {
                    listed.outcome = Some(*outcome);
                    listed.turns = *turns;
                }
                if let Some(entry) = self.open.remove(battle) {
                    self.n_finished += 1;
                    self.count_pairings(&entry, at);
                    let giants = matches!(entry.mode, crate::battle::BattleMode::MegaFight { .. });
                    for fighter in &entry.sim.fighters {
                        let Who::Pet { player, .. } = fighter.who else {
                            continue;
                        };
                        self.busy.remove(&player);
                        if giants {
                            // Six pets fought as one: the team's record is the fun area's.
                            continue;
                        }
                        let stats = self.stats.entry(player).or_default();
                        stats.battles += 1;
                        stats.damage_dealt += fighter.damage_dealt;
                        stats.damage_taken += fighter.damage_taken;
                        match outcome {
                            SimOutcome::Won { side } if *side == fighter.side => {
                                stats.wins += 1;
                                if entry.enemy.is_some() {
                                    stats.pve_wins += 1;
                                } else {
                                    stats.pvp_wins += 1;
                                }
                            }
                            SimOutcome::Won { .. } => stats.losses += 1,
                            SimOutcome::Draw => stats.draws += 1,
                        }
                    }
                }
            }
            BattleEvent::RatingChanged {
                player,
                opponent,
                after,
                ..
            } => {
                let rating = self.ratings.entry(*player).or_default();
                rating.elo = *after;
                rating.games += 1;
                self.ladder.set(*player, u64::from(*after));
                let pair = Battles::pair_key(*player, *opponent);
                if let Some(before) = self.last_rated.insert(pair, at) {
                    self.rated_at.remove(&(before, pair));
                }
                self.rated_at.insert((at, pair));
            }
            BattleEvent::Queued { player } => {
                self.queue.insert(*player, at);
            }
            BattleEvent::Unqueued { player } => {
                self.queue.remove(player);
            }
            BattleEvent::TournamentStarted {
                tournament,
                players,
            } => {
                self.tournaments.insert(
                    *tournament,
                    Tournament {
                        alive: players.clone(),
                        round: 1,
                        winners: BTreeMap::new(),
                    },
                );
            }
            BattleEvent::TournamentMatchWon {
                tournament, winner, ..
            } => {
                if let Some(entry) = self.tournaments.get_mut(tournament) {
                    if let Some(index) = entry.alive.iter().position(|p| p == winner) {
                        entry.winners.insert((index / 2) as u8, *winner);
                    }
                    if entry.winners.len() * 2 >= entry.alive.len() {
                        entry.alive = entry.winners.values().copied().collect();
                        entry.winners.clear();
                        entry.round += 1;
                    }
                }
            }
            BattleEvent::TournamentWon { tournament, .. }
            | BattleEvent::TournamentCancelled { tournament, .. } => {
                self.tournaments.remove(tournament);
            }
            BattleEvent::Setup { battle, rules, .. } => {
                if let Some(open) = self.open.get_mut(battle) {
                    open.sim.rules = *rules;
                }
            }
        }
    }

    /// The key of a pair in `last_rated`: smaller id first.
    pub fn pair_key(a: PlayerId, b: PlayerId) -> (PlayerId, PlayerId) {
        if a <= b {
            (a, b)
        } else {
            (b, a)
        }
    }
}

impl Battle {
    /// Whether enough turns were played for a PvP battle to pay rewards at all (a surrender at
    /// turn 0 is no fight).
    pub fn is_real_fight(&self) -> bool {
        self.sim.turn.saturating_sub(1) >= PVP_REWARD_TURNS_MIN
    }

    /// The players in this battle with their sides, in seat order (enemies left out).
    pub fn players(&self) -> Vec<(PlayerId, u8)> {
        self.sim
            .fighters
            .iter()
            .filter_map(|f| Some((f.player()?, f.side)))
            .collect()
    }

    /// The fighter index of a player in this battle.
    pub fn seat(&self, player: PlayerId) -> Option<u8> {
        self.sim
            .fighters
            .iter()
            .position(|f| matches!(f.who, Who::Pet { player: p, .. } if p == player))
            .map(|i| i as u8)
    }

    /// Players who still owe a choice this turn.
    pub fn waiting_for(&self) -> Vec<u8> {
        self.sim
            .fighters
            .iter()
            .enumerate()
            .filter(|(i, f)| {
                matches!(f.who, Who::Pet { .. })
                    && f.is_alive()
                    && f.status(crate::battle::sim::StatusKind::Stun).is_none()
                    && self.pending[*i].is_none()
            })
            .map(|(i, _)| i as u8)
            .collect()
    }
}
