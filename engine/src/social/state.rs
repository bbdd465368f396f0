//! The social projection: the lines each player heard lately, identities and quiz results,
//! each server's lore (who kept which entry; the words are in the erasable store), the quiz's
//! roles and their pending grants, and who has word counting on.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};

use crate::ids::{PlayerId, Snowflake, Timestamp};
use crate::social::{Quote, SocialEvent, SparkFaction, TalkKind, RECENT_MAX};

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
    /// Each server's lore, by guild id.
    pub(crate) lore: BTreeMap<Snowflake, GuildLore>,
    /// Each server's quiz roles: the role each result is given.
    pub(crate) quiz_roles: BTreeMap<Snowflake, BTreeMap<SparkFaction, Snowflake>>,
    /// Role grants asked for and not yet settled, by request.
    pub(crate) role_requests: BTreeMap<u128, RoleRequest>,
    /// Players whose words are counted for `/user_says`.
    pub(crate) counting_words: BTreeSet<PlayerId>,
}

/// One server's lore: its entries by number, and the number the next one gets.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GuildLore {
    pub(crate) next: u32,
    pub(crate) entries: BTreeMap<u32, LoreEntry>,
}

/// An entry of a server's lore, as the log knows it: who kept it, when, its title's digest
/// and what it quotes. The title and text are in the erasable store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LoreEntry {
    pub number: u32,
    pub author: PlayerId,
    pub added_at: Timestamp,
    pub title_key: u128,
    pub quote: Option<Quote>,
}

impl LoreEntry {
    /// Who wrote the entry's text: the quoted message's author, or the one who kept it.
    pub fn writer(&self) -> PlayerId {
        self.quote.map_or(self.author, |q| q.author)
    }
}

/// A role grant the worker is to carry out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RoleRequest {
    pub request: u128,
    pub guild: Snowflake,
    pub player: PlayerId,
    pub role: Snowflake,
    pub remove: Vec<Snowflake>,
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
    /// Lore entries kept, ever (deleting one does not take it back).
    pub lore_written: u32,
}

impl Social {
    pub fn evolve(&mut self, event: &SocialEvent, at: Timestamp) {
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
            SocialEvent::ToldByModel { player, kind, .. } => {
                // Not a line of the book: what was told lately is unchanged.
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
            SocialEvent::LoreAdded {
                guild,
                number,
                author,
                title_key,
                quote,
            } => {
                let lore = self.lore.entry(*guild).or_default();
                lore.next = lore.next.max(number.saturating_add(1));
                lore.entries.insert(
                    *number,
                    LoreEntry {
                        number: *number,
                        author: *author,
                        added_at: at,
                        title_key: *title_key,
                        quote: *quote,
                    },
                );
                self.milestones.entry(*author).or_default().lore_written += 1;
            }
            SocialEvent::LoreDeleted { guild, number, .. } => {
                if let Some(lore) = self.lore.get_mut(guild) {
                    lore.entries.remove(number);
                }
            }
            SocialEvent::QuizRoleMapped {
                guild,
                faction,
                role,
                ..
            } => {
                let roles = self.quiz_roles.entry(*guild).or_default();
                match role {
                    Some(role) => roles.insert(*faction, *role),
                    None => roles.remove(faction),
                };
                if roles.is_empty() {
                    self.quiz_roles.remove(guild);
                }
            }
            SocialEvent::QuizRoleRequested {
                request,
                guild,
                player,
                role,
                remove,
            } => {
                self.role_requests.insert(
                    *request,
                    RoleRequest {
                        request: *request,
                        guild: *guild,
                        player: *player,
                        role: *role,
                        remove: remove.clone(),
                    },
                );
            }
            SocialEvent::QuizRoleSettled { request, .. } => {
                self.role_requests.remove(request);
            }
            SocialEvent::WordsCounting { player, on } => {
                if *on {
                    self.counting_words.insert(*player);
                } else {
                    self.counting_words.remove(player);
                }
            }
        }
    }

    /// The entries an erasure of `player` removes: those they kept and those quoting them.
    pub(crate) fn lore_of(&self, player: PlayerId) -> Vec<(Snowflake, LoreEntry)> {
        self.lore
            .iter()
            .flat_map(|(guild, lore)| lore.entries.values().map(move |e| (*guild, e)))
            .filter(|(_, e)| e.author == player || e.writer() == player)
            .map(|(guild, e)| (guild, e.clone()))
            .collect()
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
        for lore in self.lore.values_mut() {
            lore.entries
                .retain(|_, e| e.author != player && e.writer() != player);
        }
        self.role_requests.retain(|_, r| r.player != player);
        self.counting_words.remove(&player);
    }
}
