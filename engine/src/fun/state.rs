//! The fun projection: each player's rung on each ladder and when they last climbed it, the
//! grump cooldowns, who opted out of grumps, and the shooting range's open sessions and
//! records.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::fun::combiner::Part;
use crate::fun::{FunEvent, Ladder, ShotOutcome};
use crate::ids::{PlayerId, Snowflake, Timestamp};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Fun {
    /// The rung each player is on, per ladder, and when they last climbed it.
    pub(crate) rungs: BTreeMap<(PlayerId, Ladder), (u8, Timestamp)>,
    /// When each player may grump again.
    pub(crate) grump_ready: BTreeMap<PlayerId, Timestamp>,
    /// When each grump may be grumped at again.
    pub(crate) grumped_ready: BTreeMap<PlayerId, Timestamp>,
    pub(crate) opted_out: BTreeSet<PlayerId>,
    /// Each player's open range session.
    pub(crate) ranges: BTreeMap<PlayerId, RangeSession>,
    /// Each player's range record.
    pub(crate) range_stats: BTreeMap<PlayerId, RangeStats>,
    /// The trivia session open in each channel.
    pub(crate) trivia: BTreeMap<Snowflake, TriviaSession>,
    /// The last finished trivia session of each channel (its results board).
    pub(crate) trivia_done: BTreeMap<Snowflake, TriviaSession>,
    /// Each player's latest walk of each story (going, or how it ended).
    pub(crate) walks: BTreeMap<(PlayerId, String), Walk>,
    /// The endings each player has reached, per story.
    pub(crate) walk_endings: BTreeMap<PlayerId, BTreeMap<String, BTreeSet<String>>>,
    /// Combiner teams, open or formed, by number.
    pub(crate) teams: BTreeMap<u32, CombinerTeam>,
    /// The team each player is in.
    pub(crate) team_of: BTreeMap<PlayerId, u32>,
    /// How many teams were ever opened (the next one's number follows).
    pub(crate) teams_opened: u32,
    /// Cybertron Games, by number (finished ones stay for their champion screen).
    pub(crate) games: BTreeMap<u32, Game>,
    /// How many games were ever opened.
    pub(crate) games_opened: u32,
    /// Mega-fight challenges waiting for an answer: challenging team → challenged team.
    pub(crate) mega_challenges: BTreeMap<u32, u32>,
    /// Mega-fights under way, by battle.
    pub(crate) mega_fights: BTreeMap<crate::battle::BattleId, crate::fun::mega::MegaFight>,
    /// Each player's mega-fight record.
    pub(crate) mega_records: BTreeMap<PlayerId, crate::fun::mega::MegaRecord>,
    /// When a mega-fight last paid each player.
    pub(crate) mega_paid_at: BTreeMap<PlayerId, Timestamp>,
}

/// A Cybertron Games.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Game {
    /// Who opened it (`None` once they were erased).
    pub creator: Option<PlayerId>,
    pub channel: Snowflake,
    pub opened_at: Timestamp,
    /// Players in it before the start: named by the creator, then joined.
    pub players: Vec<PlayerId>,
    pub drones: u8,
    pub factions: u8,
    pub districts: u8,
    /// Once started: the seed and every contestant in order.
    pub started: Option<(crate::dice::Seed, Vec<crate::fun::games::Entrant>)>,
    pub arena: crate::fun::games::Arena,
    /// Every round played.
    pub rounds: Vec<Vec<crate::fun::games::Happening>>,
    pub ended: bool,
    /// Only members with this role may join by button.
    #[serde(default)]
    pub role: Option<Snowflake>,
    /// Rounds a model retold, by round (from 1).
    #[serde(default)]
    pub narrations: BTreeMap<u16, String>,
}

/// A combiner team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CombinerTeam {
    /// Who opened it (`None` once they were erased).
    pub founder: Option<PlayerId>,
    pub opened_at: Timestamp,
    pub expires_at: Timestamp,
    /// Who took each part.
    pub members: BTreeMap<Part, PlayerId>,
    /// When it formed and its name's prefix and suffix (`None`: still open).
    pub formed: Option<(Timestamp, u16, u16)>,
}

/// A walk through one of WalkTru's stories.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Walk {
    /// The stage it is at (its ending's key once it ended).
    pub stage: String,
    pub meter: i32,
    pub started_at: Timestamp,
    /// Every step so far.
    pub steps: Vec<WalkStep>,
    /// The ending it reached (`None`: still going).
    pub ended: Option<String>,
}

/// One step of a walk: where, which choice, how it went, the meter after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WalkStep {
    pub stage: String,
    pub choice: u8,
    pub success: bool,
    pub total_failure: bool,
    pub meter: i32,
}

/// A trivia session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TriviaSession {
    /// Who started it (`None` once they were erased).
    pub host: Option<PlayerId>,
    pub category: Option<String>,
    /// How many questions it asks.
    pub questions: u8,
    pub started_at: Timestamp,
    /// The question open (from 1), its content index and when it closes.
    pub number: u8,
    pub question: u16,
    pub closes_at: Timestamp,
    /// Every question asked, by content index.
    pub asked: BTreeSet<u16>,
    /// Who answered the open question.
    pub answered: BTreeSet<PlayerId>,
    /// Each player's right answers and answers.
    pub scores: BTreeMap<PlayerId, (u16, u16)>,
    /// Questions in a row that timed out with no answer at all.
    pub quiet: u8,
    /// The question before the open one: its content index and who got it (`None`: it timed
    /// out).
    pub last: Option<(u16, Option<PlayerId>)>,
    /// When it ended, and who stopped it.
    pub ended_at: Option<Timestamp>,
    pub stopped_by: Option<PlayerId>,
}

/// An open shooting-range session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RangeSession {
    /// The player's how-many-th session, from 1.
    pub session: u32,
    pub rounds: u8,
    pub started_at: Timestamp,
    /// The round showing (from 1); 0 while the countdown runs.
    pub round: u8,
    /// The button (0 to 4) the showing round's target is on.
    pub target: u8,
    /// When the showing round showed (the start while the countdown runs).
    pub shown_at: Timestamp,
    /// Whether the showing round was pressed.
    pub pressed: bool,
    pub hits: u8,
    /// The reaction times of the hits, summed.
    pub hit_ms: u64,
    /// The last press: its round, button, reaction and outcome.
    pub last_shot: Option<(u8, u8, u32, ShotOutcome)>,
}

/// A player's range record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RangeStats {
    /// Sessions finished (lapsed ones included).
    pub sessions: u32,
    pub rounds: u64,
    pub hits: u64,
    /// The fastest hit ever, in milliseconds.
    pub fastest_ms: Option<u32>,
    /// Per session length: sessions played and the best one.
    pub by_rounds: BTreeMap<u8, RangeRecord>,
}

/// The best session of one length: most hits, then the quickest hits.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RangeRecord {
    pub played: u32,
    pub best_hits: u8,
    /// The best session's hit reaction times, summed.
    pub best_hit_ms: u64,
}

impl TriviaSession {
    fn forget(&mut self, player: PlayerId) {
        if self.host == Some(player) {
            self.host = None;
        }
        if self.stopped_by == Some(player) {
            self.stopped_by = None;
        }
        self.answered.remove(&player);
        self.scores.remove(&player);
        if let Some((_, winner)) = &mut self.last {
            if *winner == Some(player) {
                *winner = None;
            }
        }
    }
}

impl Fun {
    pub fn evolve(&mut self, event: &FunEvent, at: Timestamp) {
        match event {
            FunEvent::Greeted {
                player,
                ladder,
                level,
                ..
            } => {
                self.rungs.insert((*player, *ladder), (*level, at));
            }
            FunEvent::Grumped {
                player,
                target,
                player_ready_at,
                target_ready_at,
                ..
            } => {
                self.grump_ready.insert(*player, *player_ready_at);
                self.grumped_ready.insert(*target, *target_ready_at);
            }
            FunEvent::GrumpOptOutSet { player, out } => {
                if *out {
                    self.opted_out.insert(*player);
                } else {
                    self.opted_out.remove(player);
                }
            }
            FunEvent::RangeStarted {
                player,
                session,
                rounds,
            } => {
                self.ranges.insert(
                    *player,
                    RangeSession {
                        session: *session,
                        rounds: *rounds,
                        started_at: at,
                        round: 0,
                        target: 0,
                        shown_at: at,
                        pressed: false,
                        hits: 0,
                        hit_ms: 0,
                        last_shot: None,
                    },
                );
            }
            FunEvent::RangeRoundShown {
                player,
                round,
                target,
                shown_at,
            } => {
                if let Some(range) = self.ranges.get_mut(player) {
                    range.round = *round;
                    range.target = *target;
                    range.shown_at = *shown_at;
                    range.pressed = false;
                }
            }
            FunEvent::RangeShot {
                player,
                round,
                button,
                reaction_ms,
                outcome,
            } => {
                if let Some(range) = self.ranges.get_mut(player) {
                    range.pressed = true;
                    range.last_shot = Some((*round, *button, *reaction_ms, *outcome));
                    if *outcome == ShotOutcome::Hit {
                        range.hits = range.hits.saturating_add(1);
                        range.hit_ms = range.hit_ms.saturating_add(u64::from(*reaction_ms));
                        let stats = self.range_stats.entry(*player).or_default();
                        stats.fastest_ms = Some(
                            stats
                                .fastest_ms
                                .map_or(*reaction_ms, |f| f.min(*reaction_ms)),
                        );
                    }
                }
            }
            FunEvent::RangeEnded {
                player,
                rounds,
                hits,
                record,
                ..
            } => {
                let hit_ms = self.ranges.remove(player).map_or(0, |r| r.hit_ms);
                let stats = self.range_stats.entry(*player).or_default();
                stats.sessions = stats.sessions.saturating_add(1);
                stats.rounds = stats.rounds.saturating_add(u64::from(*rounds));
                stats.hits = stats.hits.saturating_add(u64::from(*hits));
                let best = stats.by_rounds.entry(*rounds).or_default();
                best.played = best.played.saturating_add(1);
                if *record {
                    best.best_hits = *hits;
                    best.best_hit_ms = hit_ms;
                }
            }
            FunEvent::TriviaStarted {
                channel,
                host,
                category,
                questions,
            } => {
                self.trivia.insert(
                    *channel,
                    TriviaSession {
                        host: Some(*host),
                        category: category.clone(),
                        questions: *questions,
                        started_at: at,
                        number: 0,
                        question: 0,
                        closes_at: at,
                        asked: BTreeSet::new(),
                        answered: BTreeSet::new(),
                        scores: BTreeMap::new(),
                        quiet: 0,
                        last: None,
                        ended_at: None,
                        stopped_by: None,
                    },
                );
            }
            FunEvent::TriviaAsked {
                channel,
                number,
                question,
                closes_at,
            } => {
                if let Some(session) = self.trivia.get_mut(channel) {
                    session.number = *number;
                    session.question = *question;
                    session.closes_at = *closes_at;
                    session.asked.insert(*question);
                    session.answered.clear();
                }
            }
            FunEvent::TriviaAnswered {
                channel,
                player,
                correct,
                ..
            } => {
                if let Some(session) = self.trivia.get_mut(channel) {
                    session.answered.insert(*player);
                    let score = session.scores.entry(*player).or_insert((0, 0));
                    score.1 = score.1.saturating_add(1);
                    session.quiet = 0;
                    if *correct {
                        score.0 = score.0.saturating_add(1);
                        session.last = Some((session.question, Some(*player)));
                    }
                }
            }
            FunEvent::TriviaTimedOut { channel, .. } => {
                if let Some(session) = self.trivia.get_mut(channel) {
                    if session.answered.is_empty() {
                        session.quiet = session.quiet.saturating_add(1);
                    }
                    session.last = Some((session.question, None));
                }
            }
            FunEvent::WalkStarted {
                player,
                story,
                stage,
                meter,
            } => {
                self.walks.insert(
                    (*player, story.clone()),
                    Walk {
                        stage: stage.clone(),
                        meter: *meter,
                        started_at: at,
                        steps: Vec::new(),
                        ended: None,
                    },
                );
            }
            FunEvent::WalkStepped {
                player,
                story,
                from,
                choice,
                success,
                total_failure,
                meter,
                next,
                ..
            } => {
                if let Some(walk) = self.walks.get_mut(&(*player, story.clone())) {
                    walk.steps.push(WalkStep {
                        stage: from.clone(),
                        choice: *choice,
                        success: *success,
                        total_failure: *total_failure,
                        meter: *meter,
                    });
                    walk.meter = *meter;
                    walk.stage = next.clone();
                }
            }
            FunEvent::WalkEnded {
                player,
                story,
                ending,
            } => {
                if let Some(walk) = self.walks.get_mut(&(*player, story.clone())) {
                    walk.ended = Some(ending.clone());
                }
                self.walk_endings
                    .entry(*player)
                    .or_default()
                    .entry(story.clone())
                    .or_default()
                    .insert(ending.clone());
            }
            FunEvent::CombinerOpened {
                team,
                founder,
                expires_at,
            } => {
                self.teams_opened = self.teams_opened.max(*team);
                self.teams.insert(
                    *team,
                    CombinerTeam {
                        founder: Some(*founder),
                        opened_at: at,
                        expires_at: *expires_at,
                        members: BTreeMap::new(),
                        formed: None,
                    },
                );
            }
            FunEvent::CombinerJoined { team, player, part } => {
                if let Some(t) = self.teams.get_mut(team) {
                    t.members.insert(*part, *player);
                    self.team_of.insert(*player, *team);
                }
            }
            FunEvent::CombinerFormed {
                team,
                prefix,
                suffix,
            } => {
                if let Some(t) = self.teams.get_mut(team) {
                    t.formed = Some((at, *prefix, *suffix));
                }
            }
            FunEvent::CombinerLeft { team, player } => {
                if let Some(t) = self.teams.get_mut(team) {
                    t.members.retain(|_, who| who != player);
                }
                self.team_of.remove(player);
            }
            FunEvent::CombinerDisbanded { team, .. } | FunEvent::CombinerExpired { team } => {
                self.mega_challenges
                    .retain(|from, to| from != team && to != team);
                if let Some(t) = self.teams.remove(team) {
                    for who in t.members.values() {
                        self.team_of.remove(who);
                    }
                }
            }
            FunEvent::GamesOpened {
                game,
                creator,
                channel,
                named,
                drones,
                factions,
                districts,
            } => {
                self.games_opened = self.games_opened.max(*game);
                self.games.insert(
                    *game,
                    Game {
                        creator: Some(*creator),
                        channel: *channel,
                        opened_at: at,
                        players: named.clone(),
                        drones: *drones,
                        factions: *factions,
                        districts: *districts,
                        started: None,
                        arena: Default::default(),
                        rounds: Vec::new(),
                        ended: false,
                        role: None,
                        narrations: BTreeMap::new(),
                    },
                );
            }
            FunEvent::GamesNarrated { game, round, text } => {
                if let Some(g) = self.games.get_mut(game) {
                    g.narrations.insert(*round, text.clone());
                }
            }
            FunEvent::GamesRoleSet { game, role } => {
                if let Some(g) = self.games.get_mut(game) {
                    g.role = Some(*role);
                }
            }
            FunEvent::GamesJoined { game, player } => {
                if let Some(g) = self.games.get_mut(game) {
                    g.players.push(*player);
                }
            }
            FunEvent::GamesStarted {
                game,
                seed,
                entrants,
            } => {
                if let Some(g) = self.games.get_mut(game) {
                    g.arena =
                        crate::fun::games::start(*seed, entrants.len(), usize::from(g.factions));
                    g.started = Some((*seed, entrants.clone()));
                }
            }
            FunEvent::GamesRound {
                game, happenings, ..
            } => {
                if let Some(g) = self.games.get_mut(game) {
                    crate::fun::games::apply(&mut g.arena, happenings);
                    g.rounds.push(happenings.clone());
                }
            }
            FunEvent::GamesEnded { game } => {
                if let Some(g) = self.games.get_mut(game) {
                    g.ended = true;
                }
            }
            // A sorting is told once; nothing of it is kept.
            FunEvent::DistrictsSorted { .. } => {}
            FunEvent::MegaChallenged {
                challenger,
                defender,
                ..
            } => {
                self.mega_challenges.insert(*challenger, *defender);
            }
            FunEvent::MegaDeclined { challenger, .. } => {
                self.mega_challenges.remove(challenger);
            }
            FunEvent::MegaFightStarted {
                battle,
                teams,
                members,
            } => {
                // Neither team has a challenge out or waiting any more.
                self.mega_challenges
                    .retain(|from, to| !teams.contains(from) && !teams.contains(to));
                self.mega_fights.insert(
                    *battle,
                    crate::fun::mega::MegaFight {
                        teams: *teams,
                        members: members.clone(),
                    },
                );
            }
            FunEvent::MegaFightEnded {
                battle,
                winner,
                paid,
                ..
            } => {
                for player in paid {
                    self.mega_paid_at.insert(*player, at);
                }
                if let Some(fight) = self.mega_fights.remove(battle) {
                    for (side, members) in fight.members.iter().enumerate() {
                        for player in members {
                            let record = self.mega_records.entry(*player).or_default();
                            match winner {
                                Some(w) if usize::from(*w) == side => record.won += 1,
                                Some(_) => record.lost += 1,
                                None => record.drawn += 1,
                            }
                        }
                    }
                }
            }
            FunEvent::WalkAbandoned { player, story } => {
                self.walks.remove(&(*player, story.clone()));
            }
            FunEvent::TriviaEnded {
                channel,
                stopped_by,
            } => {
                if let Some(mut session) = self.trivia.remove(channel) {
                    session.ended_at = Some(at);
                    session.stopped_by = *stopped_by;
                    self.trivia_done.insert(*channel, session);
                }
            }
        }
    }

    pub(crate) fn forget(&mut self, player: PlayerId) {
        // No record, and no share of a fight under way.
        self.mega_records.remove(&player);
        self.mega_paid_at.remove(&player);
        for fight in self.mega_fights.values_mut() {
            for members in &mut fight.members {
                members.retain(|p| *p != player);
            }
        }
        self.rungs.remove(&(player, Ladder::Hello));
        self.rungs.remove(&(player, Ladder::Ping));
        self.grump_ready.remove(&player);
        self.grumped_ready.remove(&player);
        self.ranges.remove(&player);
        self.range_stats.remove(&player);
        self.walks.retain(|(who, _), _| *who != player);
        self.walk_endings.remove(&player);
        // An erased player leaves their team: an open one frees the part, a formed one is no
        // more (its other members are free again).
        if let Some(team) = self.team_of.remove(&player) {
            let formed = self.teams.get(&team).is_some_and(|t| t.formed.is_some());
            if formed {
                if let Some(t) = self.teams.remove(&team) {
                    for who in t.members.values() {
                        self.team_of.remove(who);
                    }
                }
            } else if let Some(t) = self.teams.get_mut(&team) {
                t.members.retain(|_, who| *who != player);
            }
        }
        for t in self.teams.values_mut() {
            if t.founder == Some(player) {
                t.founder = None;
            }
        }
        // Challenges only between teams still here.
        let teams = &self.teams;
        self.mega_challenges
            .retain(|from, to| teams.contains_key(from) && teams.contains_key(to));
        // An erased contestant keeps their place in a game's arena (the rounds index it) but
        // no longer their id.
        for g in self.games.values_mut() {
            if g.creator == Some(player) {
                g.creator = None;
            }
            g.players.retain(|p| *p != player);
            if let Some((_, entrants)) = &mut g.started {
                for entrant in entrants.iter_mut() {
                    if *entrant == crate::fun::games::Entrant::Player(player) {
                        *entrant = crate::fun::games::Entrant::Drone(crate::fun::games::FORGOTTEN);
                    }
                }
            }
        }
        for session in self
            .trivia
            .values_mut()
            .chain(self.trivia_done.values_mut())
        {
            session.forget(player);
        }
        // An erased person who had opted out stays out of reach: their id is all that is kept,
        // and forgetting it would let the next grump ping them.
    }
}
