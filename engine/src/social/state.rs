//! The social projection: the lines each player heard lately, identities and quiz results.

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};

use crate::ids::{PlayerId, Timestamp};
use crate::social::{SocialEvent, SparkFaction, TalkKind, RECENT_MAX};

/// A player's generated identity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Identity {
    pub name: String,
    pub faction: SparkFaction,
    pub class: String,
    pub epithet: String,
    pub motto: String,
    pub reforge_at: Timestamp,
}

/// A line told: its category, style and index.
pub type LineKey = (String, Option<String>, u16);

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Social {
    /// The lines each player was told lately, per kind, oldest first (at most `RECENT_MAX`).
    pub(crate) recent: BTreeMap<(PlayerId, TalkKind), VecDeque<LineKey>>,
    pub(crate) identities: BTreeMap<PlayerId, Identity>,
    /// The faction each player came out as in their latest quiz.
    pub(crate) quiz: BTreeMap<PlayerId, SparkFaction>,
    /// Lines told, per kind, since the log began (for the stats).
    pub(crate) told: BTreeMap<TalkKind, u64>,
    /// The highest each player reached of what achievements count and other areas may lower.
    pub(crate) milestones: BTreeMap<PlayerId, Milestones>,
}

/// The highest a player reached, kept from other areas' events as they are applied
/// ([`Social::observe`]), for achievements that must not be lost when the number falls.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Milestones {
    pub pet_level: u32,
    /// Profit taken on the market, whole energon.
    pub market_profit: u64,
    pub tournaments_won: u32,
    pub lines_heard: u64,
}

impl Social {
    pub fn evolve(&mut self, event: &SocialEvent) {
        match event {
            SocialEvent::Told {
                player,
                kind,
                pool,
                style,
                line,
                ..
            } => {
                let recent = self.recent.entry((*player, *kind)).or_default();
                if recent.len() == RECENT_MAX {
                    recent.pop_front();
                }
                recent.push_back((pool.clone(), style.clone(), *line));
                *self.told.entry(*kind).or_default() += 1;
                self.milestones.entry(*player).or_default().lines_heard += 1;
            }
            SocialEvent::SparkForged {
                player,
                name,
                faction,
                class,
                epithet,
                motto,
                reforge_at,
            } => {
                self.identities.insert(
                    *player,
                    Identity {
                        name: name.clone(),
                        faction: *faction,
                        class: class.clone(),
                        epithet: epithet.clone(),
                        motto: motto.clone(),
                        reforge_at: *reforge_at,
                    },
                );
            }
            SocialEvent::QuizTaken {
                player, faction, ..
            } => {
                self.quiz.insert(*player, *faction);
            }
        }
    }

    /// Notes what another area's event, just applied, means for a player's milestones;
    /// `realised` is the player's profit taken on the market after it (micro-energon).
    pub(crate) fn observe(
        &mut self,
        event: &crate::world::Event,
        realised: impl Fn(PlayerId) -> Option<i64>,
    ) {
        use crate::world::Event;
        match event {
            Event::Pet(crate::pets::PetEvent::LeveledUp { player, level, .. }) => {
                let m = self.milestones.entry(*player).or_default();
                m.pet_level = m.pet_level.max(*level);
            }
            Event::Pet(crate::pets::PetEvent::Imported { player, pet, .. }) => {
                let m = self.milestones.entry(*player).or_default();
                m.pet_level = m.pet_level.max(pet.level);
            }
            Event::Pet(crate::pets::PetEvent::Adopted { player, .. }) => {
                let m = self.milestones.entry(*player).or_default();
                m.pet_level = m.pet_level.max(1);
            }
            Event::Battle(crate::battle::BattleEvent::TournamentWon { winner, .. }) => {
                self.milestones.entry(*winner).or_default().tournaments_won += 1;
            }
            Event::Market(crate::market::MarketEvent::Sold { player, .. }) => {
                let profit = realised(*player).map_or(0, |micro| {
                    u64::try_from(micro.max(0)).unwrap_or(0) / crate::market::tuning::MICRO
                });
                let m = self.milestones.entry(*player).or_default();
                m.market_profit = m.market_profit.max(profit);
            }
            _ => {}
        }
    }

    pub(crate) fn milestones(&self, player: PlayerId) -> Milestones {
        self.milestones.get(&player).cloned().unwrap_or_default()
    }

    pub(crate) fn recent(&self, player: PlayerId, kind: TalkKind) -> Option<&VecDeque<LineKey>> {
        self.recent.get(&(player, kind))
    }

    pub(crate) fn forget(&mut self, player: PlayerId) {
        for kind in TalkKind::ALL {
            self.recent.remove(&(player, kind));
        }
        self.identities.remove(&player);
        self.quiz.remove(&player);
        self.milestones.remove(&player);
    }
}
