//! The RPG projection: characters, parties and adventures (running ones, and the last
//! [`ENDED_KEPT`](crate::rpg::tuning::ENDED_KEPT) ended ones for their views).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};

use crate::ids::{PlayerId, Snowflake, Timestamp};
use crate::pets::Faction;
use crate::rpg::content::{Stat, Stats};
use crate::rpg::tuning::{ENDED_KEPT, LINES_REMEMBERED, MOMENTS_KEPT};
use crate::rpg::{
    AdventureKind, AdventureOutcome, Brief, Line, Moment, NarrationSource, RpgEvent, SegmentPlan,
};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Rpg {
    pub(crate) characters: BTreeMap<u32, Character>,
    pub(crate) by_player: BTreeMap<PlayerId, BTreeSet<u32>>,
    /// How many characters were ever made (the next one's number follows).
    pub(crate) created: u32,
    /// Kill requests awaiting confirmation, until when.
    pub(crate) kills: BTreeMap<u32, Timestamp>,
    pub(crate) adventures: BTreeMap<u32, Adventure>,
    pub(crate) opened: u32,
    /// The party or adventure each player is in.
    pub(crate) party_of: BTreeMap<PlayerId, u32>,
    /// The running chronicle of each channel.
    pub(crate) chronicle_of: BTreeMap<Snowflake, u32>,
    /// Ended adventures, oldest first (dropped from `adventures` beyond the kept number).
    pub(crate) ended: VecDeque<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Character {
    pub number: u32,
    pub owner: PlayerId,
    pub faction: Faction,
    pub class: String,
    pub level: u32,
    pub xp: u64,
    /// Stats without gear.
    pub stats: Stats,
    /// Gear owned, by id, with how many.
    pub owned: BTreeMap<String, u32>,
    /// Gear worn, in the order it was put on.
    pub equipped: Vec<String>,
    pub record: Record,
    /// Energon adventures paid this character's player (net of costs is in the ledger).
    pub energon_earned: u64,
}

/// A character's combat record.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Record {
    pub battles_won: u32,
    pub battles_lost: u32,
    pub checks_passed: u32,
    pub checks_failed: u32,
    pub stories: u32,
    pub adventures: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Adventure {
    pub number: u32,
    pub kind: AdventureKind,
    /// `None` once the creator was erased.
    pub creator: Option<PlayerId>,
    pub channel: Snowflake,
    pub opened_at: Timestamp,
    pub expires_at: Timestamp,
    /// Members and the character each brought, in joining order.
    pub members: Vec<(PlayerId, u32)>,
    /// Once it set out: where, and how many segments it plays.
    pub started: Option<(String, u8)>,
    pub segments: Vec<Segment>,
    pub moments: Vec<Moment>,
    /// The sentences used lately, newest last.
    pub lines_used: VecDeque<Line>,
    pub ended: Option<AdventureOutcome>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Segment {
    pub index: u8,
    pub plan: SegmentPlan,
    pub opened_at: Timestamp,
    pub deadline: Timestamp,
    pub brief: Option<Brief>,
    pub narration: Option<(String, NarrationSource)>,
    pub approach: Option<(Option<PlayerId>, Stat)>,
    pub rolls: Vec<Roll>,
    pub votes: BTreeMap<PlayerId, u8>,
    pub result: Option<SegmentResult>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Roll {
    pub player: PlayerId,
    pub character: u32,
    pub roll: u8,
    pub bonus: u32,
    pub class: u32,
    pub success: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum SegmentResult {
    Challenge {
        success: bool,
        closing: u16,
    },
    Vote {
        choice: u8,
        counts: [u8; 3],
        tie_broken: bool,
        closing: u16,
    },
    Battle {
        won: bool,
        line: u16,
    },
}

impl Adventure {
    /// The segment being played (opened and not resolved).
    pub fn current(&self) -> Option<&Segment> {
        self.segments.last().filter(|s| s.result.is_none())
    }

    pub fn is_running(&self) -> bool {
        self.started.is_some() && self.ended.is_none()
    }

    pub fn has_member(&self, player: PlayerId) -> bool {
        self.members.iter().any(|(p, _)| *p == player)
    }

    fn remember(&mut self, moment: Moment) {
        self.moments.push(moment);
        if self.moments.len() > MOMENTS_KEPT {
            self.moments.remove(0);
        }
    }

    fn use_line(&mut self, line: Line) {
        self.lines_used.push_back(line);
        while self.lines_used.len() > LINES_REMEMBERED {
            self.lines_used.pop_front();
        }
    }
}

impl Rpg {
    pub(crate) fn characters_of(&self, player: PlayerId) -> impl Iterator<Item = &Character> {
        self.by_player
            .get(&player)
            .into_iter()
            .flatten()
            .filter_map(|number| self.characters.get(number))
    }

    pub(crate) fn character_of(&self, player: PlayerId, number: u32) -> Option<&Character> {
        self.characters.get(&number).filter(|c| c.owner == player)
    }

    /// The adventure a player is in (lobby, running, or a chronicle).
    pub(crate) fn adventure_of(&self, player: PlayerId) -> Option<&Adventure> {
        self.party_of
            .get(&player)
            .and_then(|n| self.adventures.get(n))
    }

    /// A character made or imported: its number counted, listed under its owner.
    fn add(&mut self, character: Character) {
        self.created = self.created.max(character.number);
        self.by_player
            .entry(character.owner)
            .or_default()
            .insert(character.number);
        self.characters.insert(character.number, character);
    }

    pub(crate) fn evolve(&mut self, event: &RpgEvent, at: Timestamp) {
        match event {
            RpgEvent::CharacterCreated {
                player,
                character,
                faction,
                class,
                stats,
            } => self.add(Character {
                number: *character,
                owner: *player,
                faction: *faction,
                class: class.clone(),
                level: 1,
                xp: 0,
                stats: *stats,
                owned: BTreeMap::new(),
                equipped: Vec::new(),
                record: Record::default(),
                energon_earned: 0,
            }),
            RpgEvent::CharacterImported {
                player,
                character,
                faction,
                class,
                level,
                xp,
                stats,
                record,
                energon_earned,
            } => self.add(Character {
                number: *character,
                owner: *player,
                faction: *faction,
                class: class.clone(),
                level: *level,
                xp: *xp,
                stats: *stats,
                owned: BTreeMap::new(),
                equipped: Vec::new(),
                record: *record,
                energon_earned: *energon_earned,
            }),
            RpgEvent::Equipped {
                character, item, ..
            } => {
                if let Some(c) = self.characters.get_mut(character) {
                    c.equipped.push(item.clone());
                }
            }
            RpgEvent::Unequipped {
                character, item, ..
            } => {
                if let Some(c) = self.characters.get_mut(character) {
                    if let Some(at) = c.equipped.iter().position(|i| i == item) {
                        c.equipped.remove(at);
                    }
                }
            }
            RpgEvent::KillRequested {
                character,
                expires_at,
                ..
            } => {
                self.kills.insert(*character, *expires_at);
            }
            RpgEvent::KillCancelled { character, .. } => {
                self.kills.remove(character);
            }
            RpgEvent::CharacterKilled { player, character } => {
                self.kills.remove(character);
                self.characters.remove(character);
                if let Some(set) = self.by_player.get_mut(player) {
                    set.remove(character);
                    if set.is_empty() {
                        self.by_player.remove(player);
                    }
                }
            }
            RpgEvent::ExperienceGained {
                character, amount, ..
            } => {
                if let Some(c) = self.characters.get_mut(character) {
                    c.xp = c.xp.saturating_add(*amount);
                }
            }
            RpgEvent::LeveledUp {
                character,
                level,
                gains,
                ..
            } => {
                if let Some(c) = self.characters.get_mut(character) {
                    c.level = *level;
                    c.stats = c.stats.plus(*gains);
                }
            }
            RpgEvent::GearFound {
                character, item, ..
            } => {
                if let Some(c) = self.characters.get_mut(character) {
                    *c.owned.entry(item.clone()).or_default() += 1;
                }
            }
            RpgEvent::PartyOpened {
                adventure,
                kind,
                creator,
                character,
                channel,
                expires_at,
            } => {
                self.opened = self.opened.max(*adventure);
                self.party_of.insert(*creator, *adventure);
                if *kind == AdventureKind::Chronicle {
                    self.chronicle_of.insert(*channel, *adventure);
                }
                self.adventures.insert(
                    *adventure,
                    Adventure {
                        number: *adventure,
                        kind: *kind,
                        creator: Some(*creator),
                        channel: *channel,
                        opened_at: at,
                        expires_at: *expires_at,
                        members: vec![(*creator, *character)],
                        started: None,
                        segments: Vec::new(),
                        moments: Vec::new(),
                        lines_used: VecDeque::new(),
                        ended: None,
                    },
                );
            }
            RpgEvent::PartyJoined {
                adventure,
                player,
                character,
            } => {
                if let Some(a) = self.adventures.get_mut(adventure) {
                    a.members.push((*player, *character));
                    self.party_of.insert(*player, *adventure);
                }
            }
            RpgEvent::PartyLeft { adventure, player }
            | RpgEvent::MemberWithdrawn { adventure, player } => {
                if let Some(a) = self.adventures.get_mut(adventure) {
                    a.members.retain(|(p, _)| p != player);
                    if let Some(segment) = a.segments.last_mut() {
                        segment.votes.remove(player);
                    }
                }
                if self.party_of.get(player) == Some(adventure) {
                    self.party_of.remove(player);
                }
            }
            RpgEvent::AdventureStarted {
                adventure,
                place,
                segments,
            } => {
                if let Some(a) = self.adventures.get_mut(adventure) {
                    a.started = Some((place.clone(), *segments));
                }
            }
            RpgEvent::PartyDisbanded { adventure } => {
                self.close(*adventure, None);
            }
            RpgEvent::SegmentOpened {
                adventure,
                segment,
                plan,
                deadline,
            } => {
                if let Some(a) = self.adventures.get_mut(adventure) {
                    a.segments.push(Segment {
                        index: *segment,
                        plan: plan.clone(),
                        opened_at: at,
                        deadline: *deadline,
                        brief: None,
                        narration: None,
                        approach: None,
                        rolls: Vec::new(),
                        votes: BTreeMap::new(),
                        result: None,
                    });
                }
            }
            RpgEvent::NarrationRequested {
                adventure,
                segment,
                brief,
            } => {
                if let Some(a) = self.adventures.get_mut(adventure) {
                    for line in &brief.lines {
                        a.use_line(*line);
                    }
                    if let Some(s) = a.segments.iter_mut().find(|s| s.index == *segment) {
                        s.brief = Some(brief.clone());
                    }
                }
            }
            RpgEvent::Narrated {
                adventure,
                segment,
                text,
                source,
            } => {
                if let Some(s) = self.segment_mut(*adventure, *segment) {
                    s.narration = Some((text.clone(), *source));
                }
            }
            RpgEvent::ApproachChosen {
                adventure,
                segment,
                by,
                stat,
            } => {
                if let Some(s) = self.segment_mut(*adventure, *segment) {
                    s.approach = Some((*by, *stat));
                }
            }
            RpgEvent::Rolled {
                adventure,
                segment,
                player,
                character,
                roll,
                bonus,
                class,
                success,
            } => {
                if let Some(c) = self.characters.get_mut(character) {
                    if *success {
                        c.record.checks_passed = c.record.checks_passed.saturating_add(1);
                    } else {
                        c.record.checks_failed = c.record.checks_failed.saturating_add(1);
                    }
                }
                if let Some(s) = self.segment_mut(*adventure, *segment) {
                    s.rolls.push(Roll {
                        player: *player,
                        character: *character,
                        roll: *roll,
                        bonus: *bonus,
                        class: *class,
                        success: *success,
                    });
                }
            }
            RpgEvent::ChallengeResolved {
                adventure,
                segment,
                success,
                closing,
            } => {
                if let Some(s) = self.segment_mut(*adventure, *segment) {
                    s.result = Some(SegmentResult::Challenge {
                        success: *success,
                        closing: *closing,
                    });
                    if let crate::rpg::SegmentPlan::Event { challenge, .. } = &s.plan {
                        let moment = Moment::Challenge {
                            challenge: challenge.clone(),
                            success: *success,
                        };
                        self.remember(*adventure, moment, Line::closing(*closing));
                    }
                }
            }
            RpgEvent::Voted {
                adventure,
                segment,
                player,
                choice,
            } => {
                if let Some(s) = self.segment_mut(*adventure, *segment) {
                    s.votes.insert(*player, *choice);
                }
            }
            RpgEvent::VoteClosed {
                adventure,
                segment,
                choice,
                counts,
                tie_broken,
                closing,
            } => {
                let members = self.members(*adventure);
                for (_, character) in members {
                    if let Some(c) = self.characters.get_mut(&character) {
                        c.record.stories = c.record.stories.saturating_add(1);
                    }
                }
                if let Some(s) = self.segment_mut(*adventure, *segment) {
                    s.result = Some(SegmentResult::Vote {
                        choice: *choice,
                        counts: *counts,
                        tie_broken: *tie_broken,
                        closing: *closing,
                    });
                    if let crate::rpg::SegmentPlan::Story { crossroad } = &s.plan {
                        let moment = Moment::Story {
                            crossroad: crossroad.clone(),
                            choice: *choice,
                        };
                        self.remember(*adventure, moment, Line::closing(*closing));
                    }
                }
            }
            RpgEvent::BattleResolved {
                adventure,
                segment,
                won,
                line,
                ..
            } => {
                let members = self.members(*adventure);
                for (_, character) in members {
                    if let Some(c) = self.characters.get_mut(&character) {
                        if *won {
                            c.record.battles_won = c.record.battles_won.saturating_add(1);
                        } else {
                            c.record.battles_lost = c.record.battles_lost.saturating_add(1);
                        }
                    }
                }
                if let Some(s) = self.segment_mut(*adventure, *segment) {
                    s.result = Some(SegmentResult::Battle {
                        won: *won,
                        line: *line,
                    });
                    if let crate::rpg::SegmentPlan::Battle { enemy, .. } = &s.plan {
                        let moment = Moment::Battle {
                            enemy: enemy.clone(),
                            won: *won,
                        };
                        let pool = if *won {
                            crate::rpg::Pool::Victory
                        } else {
                            crate::rpg::Pool::Defeat
                        };
                        let line = Line { pool, index: *line };
                        self.remember(*adventure, moment, line);
                    }
                }
            }
            RpgEvent::AdventureEnded { adventure, outcome } => {
                let members = self.members(*adventure);
                for (_, character) in members {
                    if let Some(c) = self.characters.get_mut(&character) {
                        c.record.adventures = c.record.adventures.saturating_add(1);
                    }
                }
                self.close(*adventure, Some(*outcome));
            }
        }
    }

    fn members(&self, adventure: u32) -> Vec<(PlayerId, u32)> {
        self.adventures
            .get(&adventure)
            .map(|a| a.members.clone())
            .unwrap_or_default()
    }

    fn remember(&mut self, adventure: u32, moment: Moment, line: Line) {
        if let Some(a) = self.adventures.get_mut(&adventure) {
            a.remember(moment);
            a.use_line(line);
        }
    }

    fn segment_mut(&mut self, adventure: u32, segment: u8) -> Option<&mut Segment> {
        self.adventures
            .get_mut(&adventure)?
            .segments
            .iter_mut()
            .find(|s| s.index == segment)
    }

    /// Frees an adventure's members and keeps it readable among the last ended ones
    /// (a disbanded party, `outcome` `None`, is dropped at once).
    fn close(&mut self, adventure: u32, outcome: Option<AdventureOutcome>) {
        let Some(a) = self.adventures.get_mut(&adventure) else {
            return;
        };
        for (player, _) in &a.members {
            if self.party_of.get(player) == Some(&adventure) {
                self.party_of.remove(player);
            }
        }
        if self.chronicle_of.get(&a.channel) == Some(&adventure) {
            self.chronicle_of.remove(&a.channel);
        }
        match outcome {
            None => {
                self.adventures.remove(&adventure);
            }
            Some(outcome) => {
                a.ended = Some(outcome);
                self.ended.push_back(adventure);
                while self.ended.len() > ENDED_KEPT {
                    if let Some(old) = self.ended.pop_front() {
                        self.adventures.remove(&old);
                    }
                }
            }
        }
    }

    /// Forgets an erased player: their characters, and their place in any adventure.
    pub(crate) fn forget(&mut self, player: PlayerId) {
        for number in self.by_player.remove(&player).unwrap_or_default() {
            self.characters.remove(&number);
            self.kills.remove(&number);
        }
        self.party_of.remove(&player);
        for adventure in self.adventures.values_mut() {
            adventure.members.retain(|(p, _)| *p != player);
            if adventure.creator == Some(player) {
                adventure.creator = None;
            }
            for segment in &mut adventure.segments {
                segment.votes.remove(&player);
                segment.rolls.retain(|roll| roll.player != player);
                if let Some((Some(by), stat)) = segment.approach {
                    if by == player {
                        segment.approach = Some((None, stat));
                    }
                }
            }
        }
    }
}

impl Line {
    pub fn closing(index: u16) -> Line {
        Line {
            pool: crate::rpg::Pool::Closing,
            index,
        }
    }
}
