//! Combiner teams: six pets, one per part (two arms, two legs, a head, a body), formed by
//! their players pressing the part they take. A team opens with `CombinerOpen`; each
//! `CombinerTake` fills a free part with the presser's pet, and the sixth forms the team and
//! names it (a prefix and a suffix from `combiners.json`, drawn by the dice and recorded). A
//! player is in one team at a time; leaving an open team frees the part, leaving a formed one
//! disbands it. An open team not complete within [`COMBINER_OPEN_SECS`] expires (the worker).
//!
//! Checks run in this order: players only (the expiry is the system's); for a take
//! `NoTeam`, `TeamFormed`, `TeamExpired`, `NeedPet`, `InTeam`, `PartTaken`; for opening
//! `NeedPet`, `InTeam`; for leaving `NotInTeam`; for the expiry `NoTeam`, `TeamFormed`,
//! `TeamNotDue`.

use serde::{Deserialize, Serialize};

use crate::content;
use crate::fun::{CombinerTeam, FunEvent, FunRejection};
use crate::ids::PlayerId;
use crate::world::{Ctx, World};

/// How long a team may take to fill its six parts.
pub const COMBINER_OPEN_SECS: i64 = 3_600;

/// A combiner's six parts. Stored: variants are only ever appended.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub enum Part {
    LeftArm,
    RightArm,
    LeftLeg,
    RightLeg,
    Head,
    Body,
}

impl Part {
    pub const ALL: [Part; 6] = [
        Part::Head,
        Part::Body,
        Part::LeftArm,
        Part::RightArm,
        Part::LeftLeg,
        Part::RightLeg,
    ];
}

/// The combiner names (`engine/content/combiners.json`).
#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CombinerNamesFile {
    #[serde(rename = "$comment", default)]
    pub comment: String,
    pub prefixes: Vec<String>,
    pub suffixes: Vec<String>,
}

impl CombinerNamesFile {
    /// The name a prefix and a suffix make (`None` if the content no longer has them).
    pub fn name(&self, prefix: u16, suffix: u16) -> Option<String> {
        Some(format!(
            "{}{}",
            self.prefixes.get(usize::from(prefix))?,
            self.suffixes.get(usize::from(suffix))?
        ))
    }
}

/// Every problem with the names, as (entry, problem).
pub fn check_names(file: &CombinerNamesFile) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    for (list, words) in [("prefixes", &file.prefixes), ("suffixes", &file.suffixes)] {
        if words.len() < 40 || words.len() > usize::from(u16::MAX) {
            problems.push((list.to_string(), "needs at least 40".into()));
        }
        let mut seen = std::collections::BTreeSet::new();
        for (i, word) in words.iter().enumerate() {
            if word.is_empty()
                || word.chars().count() > 16
                || !word.chars().all(char::is_alphabetic)
                || !seen.insert(word.to_lowercase())
            {
                problems.push((
                    format!("{list}/{i}"),
                    "1 to 16 letters, each word once".into(),
                ));
            }
        }
    }
    problems
}

fn has_pet(world: &World, player: PlayerId) -> bool {
    crate::pets::view::pet(world, player).is_some()
}

fn open_team(world: &World, team: u32) -> Result<&CombinerTeam, FunRejection> {
    world
        .fun
        .teams
        .get(&team)
        .ok_or(FunRejection::NoTeam { team })
}

pub(crate) fn open(
    world: &World,
    ctx: &Ctx,
    player: PlayerId,
) -> Result<Vec<FunEvent>, FunRejection> {
    if !has_pet(world, player) {
        return Err(FunRejection::NeedPet);
    }
    if let Some(team) = world.fun.team_of.get(&player) {
        return Err(FunRejection::InTeam { team: *team });
    }
    Ok(vec![FunEvent::CombinerOpened {
        team: world.fun.teams_opened.saturating_add(1),
        founder: player,
        expires_at: ctx.now.plus_secs(COMBINER_OPEN_SECS),
    }])
}

pub(crate) fn take(
    world: &World,
    ctx: &mut Ctx,
    player: PlayerId,
    (team, part): (u32, Part),
) -> Result<Vec<FunEvent>, FunRejection> {
    let open = open_team(world, team)?;
    if open.formed.is_some() {
        return Err(FunRejection::TeamFormed { team });
    }
    if ctx.now >= open.expires_at {
        return Err(FunRejection::TeamExpired { team });
    }
    if !has_pet(world, player) {
        return Err(FunRejection::NeedPet);
    }
    if let Some(in_team) = world.fun.team_of.get(&player) {
        return Err(FunRejection::InTeam { team: *in_team });
    }
    if open.members.contains_key(&part) {
        return Err(FunRejection::PartTaken { part });
    }
    let mut events = vec![FunEvent::CombinerJoined { team, player, part }];
    if open.members.len() + 1 == Part::ALL.len() {
        let names = &content::get().combiners;
        let prefix = ctx.dice.below(names.prefixes.len().max(1) as u64) as u16;
        let suffix = ctx.dice.below(names.suffixes.len().max(1) as u64) as u16;
        events.push(FunEvent::CombinerFormed {
            team,
            prefix,
            suffix,
        });
    }
    Ok(events)
}

pub(crate) fn leave(world: &World, player: PlayerId) -> Result<Vec<FunEvent>, FunRejection> {
    let team = *world
        .fun
        .team_of
        .get(&player)
        .ok_or(FunRejection::NotInTeam)?;
    let formed = world
        .fun
        .teams
        .get(&team)
        .is_some_and(|t| t.formed.is_some());
    Ok(vec![if formed {
        FunEvent::CombinerDisbanded { team, by: player }
    } else {
        FunEvent::CombinerLeft { team, player }
    }])
}

pub(crate) fn expire(world: &World, ctx: &Ctx, team: u32) -> Result<Vec<FunEvent>, FunRejection> {
    let open = open_team(world, team)?;
    if open.formed.is_some() {
        return Err(FunRejection::TeamFormed { team });
    }
    if ctx.now < open.expires_at {
        return Err(FunRejection::TeamNotDue { team });
    }
    Ok(vec![FunEvent::CombinerExpired { team }])
}

/// Open teams past their expiry at `now`.
pub fn due(world: &World, now: crate::ids::Timestamp) -> Vec<u32> {
    world
        .fun
        .teams
        .iter()
        .filter(|(_, t)| t.formed.is_none() && now >= t.expires_at)
        .map(|(team, _)| *team)
        .collect()
}
