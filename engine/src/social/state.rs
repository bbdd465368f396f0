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

    pub(crate) fn recent(&self, player: PlayerId, kind: TalkKind) -> Option<&VecDeque<LineKey>> {
        self.recent.get(&(player, kind))
    }

    pub(crate) fn forget(&mut self, player: PlayerId) {
        for kind in TalkKind::ALL {
            self.recent.remove(&(player, kind));
        }
        self.identities.remove(&player);
        self.quiz.remove(&player);
    }
}
