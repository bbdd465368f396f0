//! Cybertron Games: the arena's content (`engine/content/games.json`) and its simulation, a
//! pure function of a seed and the arena's standing, so a game re-simulates from its recorded
//! start and is checked round by round like a battle.
//!
//! A round shuffles the living and spends them in happenings: a leader takes a side of one to
//! five (weighted 3:2:1:1:1 toward small sides), maybe facing a side of up to five others. A
//! round is all actions, all eliminations or a mix, by the dice; an elimination kills every
//! member of side B and credits every member of side A with each kill; an elimination inside
//! one faction is a betrayal; some actions are alliances, after which side B fights for side
//! A's faction. The game is over when at most one faction (or one contestant) is left.

use serde::{Deserialize, Serialize};

use crate::dice::{Dice, Seed};

/// The most contestants, districts and factions a game has.
pub const ENTRANTS_MAX: usize = 50;
pub const DISTRICTS_MAX: usize = 12;
pub const FACTIONS_MAX: usize = 10;
/// The longest retelling of a round a model may leave in an event.
pub const NARRATION_MAX_CHARS: usize = 1_500;

/// The placeholder for contestant `i` in a model's retelling.
pub fn token(i: usize) -> String {
    format!("{{c{i}}}")
}

/// What a model is asked to retell round `round` (from 1) of a game with `entrants`
/// contestants and `factions` factions: the round's lines as the templates tell them, every
/// contestant as its `{cN}` placeholder (no name leaves the bot). `None` for a round not played.
pub fn prompt(game: &crate::fun::Game, round: u16) -> Option<(String, String)> {
    let happenings = game.rounds.get(usize::from(round).checked_sub(1)?)?;
    let content = &crate::content::get().games;
    let system = format!(
        "You narrate a Transformers-style battle royale on Cybertron for a Discord game. Retell \
         the round you are given as one vivid paragraph of 80 to 160 words, present tense, no \
         lists, no markdown, no links, no mentions. Keep every contestant placeholder such as \
         {{c3}} exactly as written, name nobody else, and keep who is eliminated as given. At \
         most {NARRATION_MAX_CHARS} characters."
    );
    let lines: Vec<String> = happenings
        .iter()
        .map(|h| narrate(content, h, |i| token(usize::from(i))))
        .collect();
    let user = format!(
        "Round {round}, {} contestants still standing after it. What happened:\n{}",
        game.arena.alive.iter().filter(|a| **a).count(),
        lines.join("\n")
    );
    Some((system, user))
}

/// A model's retelling made safe: mentions, links, markup and every brace but the
/// contestants' placeholders gone, at most [`NARRATION_MAX_CHARS`].
pub fn sanitize_narration(text: &str, entrants: usize) -> String {
    let tokens: Vec<String> = (0..entrants).map(token).collect();
    let keep: Vec<&str> = tokens.iter().map(String::as_str).collect();
    crate::rpg::story::sanitize_keeping(text, &keep, NARRATION_MAX_CHARS)
}

/// Whether `text` may be recorded as a round's retelling in a game of `entrants`.
pub fn is_valid_narration(text: &str, entrants: usize) -> bool {
    let n = text.chars().count();
    if !(1..=NARRATION_MAX_CHARS).contains(&n)
        || text.contains(['@', '`', '<', '>'])
        || text.contains("](")
        || text.contains("://")
    {
        return false;
    }
    // Braces only around a contestant's placeholder.
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return false;
        };
        let inside = &after[..close];
        let known = inside
            .strip_prefix('c')
            .and_then(|n| n.parse::<usize>().ok())
            .is_some_and(|n| n < entrants);
        if !known || rest[..open].contains('}') {
            return false;
        }
        rest = &after[close + 1..];
    }
    !rest.contains('}')
}

/// The longest custom district or faction name, in characters.
pub const NAME_MAX_CHARS: usize = 24;

/// Where a game's custom names are kept in the erasable store (under its creator): `which` is
/// `districts` or `factions`, the names one per line.
pub fn names_key(game: u32, which: &str) -> String {
    format!("fun.games.{game}.{which}")
}

/// A creator's names for `count` districts or factions: at most `count`, each a name of 1 to
/// [`NAME_MAX_CHARS`] letters, digits, spaces, `-`, `'` or `.`, trimmed.
pub fn check_names(names: &[String], count: u8) -> Result<(), crate::fun::FunRejection> {
    let fine = names.len() <= usize::from(count)
        && names.iter().all(|n| {
            let chars = n.chars().count();
            (1..=NAME_MAX_CHARS).contains(&chars)
                && n.trim() == n
                && n.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '\'' | '.'))
        });
    if fine {
        Ok(())
    } else {
        Err(crate::fun::FunRejection::GamesNames {
            max: NAME_MAX_CHARS as u8,
        })
    }
}

/// The largest side.
pub const SIDE_MAX: usize = 5;
/// The weights of side A's size, 1 to 5.
const SIDE_WEIGHTS: [u64; SIDE_MAX] = [3, 2, 1, 1, 1];

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GamesFile {
    #[serde(rename = "$comment", default)]
    pub comment: String,
    /// Names of the drone contestants a game may be filled with.
    pub drones: Vec<String>,
    pub districts: Vec<String>,
    pub factions: Vec<FactionName>,
    pub places: Vec<String>,
    pub weapons: Vec<String>,
    pub giants: Vec<String>,
    pub actions: Vec<Template>,
    pub alliances: Vec<Template>,
    pub eliminations: Vec<Template>,
    pub betrayals: Vec<Template>,
}

#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FactionName {
    pub name: String,
    pub emoji: String,
}

/// A line of narration for sides of sizes within `a` and `b` (inclusive ranges).
#[derive(Clone, Debug, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub text: String,
    pub a: [u8; 2],
    pub b: [u8; 2],
}

impl Template {
    fn fits(&self, a: usize, b: usize) -> bool {
        (usize::from(self.a[0])..=usize::from(self.a[1])).contains(&a)
            && (usize::from(self.b[0])..=usize::from(self.b[1])).contains(&b)
    }
}

/// A contestant: a player, or a drone by its name's index. Stored: variants are only ever
/// appended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum Entrant {
    Player(crate::ids::PlayerId),
    Drone(u16),
}

/// The drone index an erased player's place in a game becomes.
pub const FORGOTTEN: u16 = u16::MAX;

/// What kind of happening. Stored: variants are only ever appended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum HappeningKind {
    Action,
    Alliance,
    Elimination,
    Betrayal,
}

/// One happening of a round: its kind and template, the sides (contestants by index), and
/// what the template names. An elimination's or betrayal's side B dies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Happening {
    pub kind: HappeningKind,
    pub template: u16,
    pub a: Vec<u8>,
    pub b: Vec<u8>,
    pub place: u16,
    pub weapon: u16,
    pub giant: u16,
}

/// A game's standing between rounds: each contestant's faction, life and kills.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Arena {
    pub faction: Vec<u8>,
    pub alive: Vec<bool>,
    pub kills: Vec<u16>,
    /// Rounds played.
    pub round: u16,
}

impl GamesFile {
    fn templates(&self, kind: HappeningKind) -> &[Template] {
        match kind {
            HappeningKind::Action => &self.actions,
            HappeningKind::Alliance => &self.alliances,
            HappeningKind::Elimination => &self.eliminations,
            HappeningKind::Betrayal => &self.betrayals,
        }
    }

    pub fn template(&self, kind: HappeningKind, index: u16) -> Option<&Template> {
        self.templates(kind).get(usize::from(index))
    }
}

/// The dice of round `round` of the game seeded `seed` (0: the start).
fn dice(seed: Seed, round: u16) -> Dice {
    let mixed = seed
        .value
        .wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835)
        .wrapping_add(u128::from(round).wrapping_mul(0xD6E8_FEB8_6659_FD93));
    Dice::from_seed(Seed::pcg(mixed ^ seed.value))
}

fn shuffle<T>(dice: &mut Dice, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = dice.below(i as u64 + 1) as usize;
        items.swap(i, j);
    }
}

/// The arena at the start: `entrants` contestants dealt into `factions` factions by the dice
/// (fewer than two: every contestant for themselves).
pub fn start(seed: Seed, entrants: usize, factions: usize) -> Arena {
    let entrants = entrants.min(ENTRANTS_MAX);
    let mut order: Vec<usize> = (0..entrants).collect();
    let mut dice = dice(seed, 0);
    shuffle(&mut dice, &mut order);
    let mut faction = vec![0u8; entrants];
    for (n, who) in order.into_iter().enumerate() {
        faction[who] = if factions >= 2 {
            (n % factions.min(FACTIONS_MAX)) as u8
        } else {
            who as u8
        };
    }
    Arena {
        faction,
        alive: vec![true; entrants],
        kills: vec![0; entrants],
        round: 0,
    }
}

/// Whether the game is over: at most one faction left standing.
pub fn over(arena: &Arena) -> bool {
    let mut left = arena
        .faction
        .iter()
        .zip(&arena.alive)
        .filter(|(_, alive)| **alive)
        .map(|(f, _)| *f);
    match left.next() {
        None => true,
        Some(first) => left.all(|f| f == first),
    }
}

/// The happenings of the next round (`arena.round + 1`), decided by the dice alone.
pub fn round(content: &GamesFile, seed: Seed, arena: &Arena) -> Vec<Happening> {
    let mut dice = dice(seed, arena.round.saturating_add(1));
    let mut living: Vec<u8> = (0..arena.alive.len())
        .filter(|i| arena.alive[*i])
        .map(|i| i as u8)
        .collect();
    shuffle(&mut dice, &mut living);
    // 0: actions only, 1: eliminations only, 2: a mix.
    let mode = dice.below(3);
    let mut happenings = Vec::new();
    let mut rest = living.as_slice();
    while !rest.is_empty() {
        let a_size = pick_side(&mut dice, rest.len());
        let (a, after) = rest.split_at(a_size);
        let b_size = if after.is_empty() {
            0
        } else {
            dice.below(after.len().min(SIDE_MAX) as u64 + 1) as usize
        };
        let (b, after) = after.split_at(b_size);
        rest = after;
        let same_faction = b
            .iter()
            .all(|x| arena.faction[usize::from(*x)] == arena.faction[usize::from(a[0])]);
        let kill = !b.is_empty()
            && match mode {
                0 => false,
                1 => true,
                _ => dice.below(5) < 2,
            };
        let kind = match (kill, same_faction) {
            (true, true) => HappeningKind::Betrayal,
            (true, false) => HappeningKind::Elimination,
            (false, false) if !b.is_empty() && dice.below(6) == 0 => HappeningKind::Alliance,
            _ => HappeningKind::Action,
        };
        let fitting: Vec<u16> = content
            .templates(kind)
            .iter()
            .enumerate()
            .filter(|(_, t)| t.fits(a.len(), b.len()))
            .map(|(i, _)| i as u16)
            .collect();
        let template = fitting
            .get(dice.below(fitting.len() as u64) as usize)
            .copied()
            .unwrap_or(0);
        happenings.push(Happening {
            kind,
            template,
            a: a.to_vec(),
            b: b.to_vec(),
            place: dice.below(content.places.len() as u64) as u16,
            weapon: dice.below(content.weapons.len() as u64) as u16,
            giant: dice.below(content.giants.len() as u64) as u16,
        });
    }
    happenings
}

fn pick_side(dice: &mut Dice, left: usize) -> usize {
    let sizes = left.min(SIDE_MAX);
    let total: u64 = SIDE_WEIGHTS[..sizes].iter().sum();
    let mut roll = dice.below(total);
    for (i, weight) in SIDE_WEIGHTS[..sizes].iter().enumerate() {
        if roll < *weight {
            return i + 1;
        }
        roll -= weight;
    }
    1
}

/// `arena` after a round's happenings.
pub fn apply(arena: &mut Arena, happenings: &[Happening]) {
    for happening in happenings {
        match happening.kind {
            HappeningKind::Elimination | HappeningKind::Betrayal => {
                for victim in &happening.b {
                    if let Some(alive) = arena.alive.get_mut(usize::from(*victim)) {
                        *alive = false;
                    }
                }
                let victims = happening.b.len() as u16;
                for killer in &happening.a {
                    if let Some(kills) = arena.kills.get_mut(usize::from(*killer)) {
                        *kills = kills.saturating_add(victims);
                    }
                }
            }
            HappeningKind::Alliance => {
                let side = happening
                    .a
                    .first()
                    .and_then(|a| arena.faction.get(usize::from(*a)))
                    .copied();
                if let Some(side) = side {
                    for ally in &happening.b {
                        if let Some(faction) = arena.faction.get_mut(usize::from(*ally)) {
                            *faction = side;
                        }
                    }
                }
            }
            HappeningKind::Action => {}
        }
    }
    arena.round = arena.round.saturating_add(1);
}

/// Plays a whole game to its end (at most `rounds_max` rounds): every round's happenings.
pub fn play(
    content: &GamesFile,
    seed: Seed,
    entrants: usize,
    factions: usize,
    rounds_max: u16,
) -> (Arena, Vec<Vec<Happening>>) {
    let mut arena = start(seed, entrants, factions);
    let mut rounds = Vec::new();
    while !over(&arena) && arena.round < rounds_max {
        let happenings = round(content, seed, &arena);
        apply(&mut arena, &happenings);
        rounds.push(happenings);
    }
    (arena, rounds)
}

/// The first round (from 1) whose recorded happenings differ from what the seed gives.
pub fn diverges(
    content: &GamesFile,
    seed: Seed,
    entrants: usize,
    factions: usize,
    recorded: &[Vec<Happening>],
) -> Option<u16> {
    let mut arena = start(seed, entrants, factions);
    for happenings in recorded {
        if round(content, seed, &arena) != *happenings {
            return Some(arena.round + 1);
        }
        apply(&mut arena, happenings);
    }
    None
}

/// A happening's words: the template with its names filled in (`name` names contestant `i`).
pub fn narrate(content: &GamesFile, happening: &Happening, name: impl Fn(u8) -> String) -> String {
    let Some(template) = content.template(happening.kind, happening.template) else {
        return "Something happened that the archive no longer describes.".into();
    };
    let group = |side: &[u8]| -> String {
        let names: Vec<String> = side.iter().map(|i| name(*i)).collect();
        match names.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        }
    };
    let mut text = template.text.clone();
    for (key, side) in [("A", &happening.a), ("B", &happening.b)] {
        // {A:one|many}: the words for a side of one, or of more.
        while let Some(start) = text.find(&format!("{{{key}:")) {
            let Some(end) = text[start..].find('}').map(|e| start + e) else {
                break;
            };
            let inner = &text[start + key.len() + 2..end];
            let (one, many) = inner.split_once('|').unwrap_or((inner, inner));
            let pick = if side.len() == 1 { one } else { many }.to_string();
            text.replace_range(start..=end, &pick);
        }
        text = text.replace(&format!("{{{key}}}"), &group(side));
    }
    let pick = |list: &[String], i: u16| list.get(usize::from(i)).cloned().unwrap_or_default();
    text.replace("{place}", &pick(&content.places, happening.place))
        .replace("{weapon}", &pick(&content.weapons, happening.weapon))
        .replace("{giant}", &pick(&content.giants, happening.giant))
}

/// Every problem with the arena's content, as (entry, problem).
pub fn check(file: &GamesFile) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    for (list, words, min) in [
        ("drones", &file.drones, ENTRANTS_MAX),
        ("districts", &file.districts, DISTRICTS_MAX),
        ("places", &file.places, 30),
        ("weapons", &file.weapons, 30),
        ("giants", &file.giants, 10),
    ] {
        if words.len() < min || words.len() > usize::from(u16::MAX) {
            problems.push((list.to_string(), format!("needs at least {min}")));
        }
        for (i, word) in words.iter().enumerate() {
            if word.trim().is_empty() || word.chars().count() > 40 || word.contains('@') {
                problems.push((format!("{list}/{i}"), "1 to 40 characters".into()));
            }
        }
    }
    if file.factions.len() < FACTIONS_MAX {
        problems.push(("factions".into(), format!("needs at least {FACTIONS_MAX}")));
    }
    for (name, kind, bs) in [
        ("actions", HappeningKind::Action, 0..=SIDE_MAX),
        ("alliances", HappeningKind::Alliance, 1..=SIDE_MAX),
        ("eliminations", HappeningKind::Elimination, 1..=SIDE_MAX),
        ("betrayals", HappeningKind::Betrayal, 1..=SIDE_MAX),
    ] {
        let templates = file.templates(kind);
        for (i, t) in templates.iter().enumerate() {
            let needs_b = t.b[1] > 0;
            let ok = t.text.contains("{A}")
                && t.text.contains("{B}") == needs_b
                && t.a[0] >= 1
                && t.a[0] <= t.a[1]
                && usize::from(t.a[1]) <= SIDE_MAX
                && t.b[0] <= t.b[1]
                && usize::from(t.b[1]) <= SIDE_MAX
                && t.text.chars().count() <= 300
                && !t.text.contains('@');
            if !ok {
                problems.push((
                    format!("{name}/{i}"),
                    "names {A} (and {B} exactly when side B may be there), sides within 1 to 5"
                        .into(),
                ));
            }
        }
        for a in 1..=SIDE_MAX {
            for b in bs.clone() {
                if !templates.iter().any(|t| t.fits(a, b)) {
                    problems.push((
                        name.to_string(),
                        format!("no template for sides {a} and {b}"),
                    ));
                }
            }
        }
    }
    problems
}

/// The rules of a game's life: open (the creator names players), join, start (drones fill it,
/// the seed is drawn), rounds the creator asks for, the end.
///
/// Checks run in this order: for opening `GamesSize` (contestants, factions or districts out
/// of range); for joining `NoGame`, `GamesUnderway`, `GamesIn`, `GamesFull`; for the
/// creator's commands `NoGame`, `GamesNotCreator`, then `GamesUnderway` (start) or
/// `GamesNotStarted`/`GamesOver` (next round, end), and `GamesTooFew` (start).
pub(crate) mod rules {
    use super::*;
    use crate::fun::{FunEvent, FunRejection, Game};
    use crate::ids::{PlayerId, Snowflake};
    use crate::world::{Ctx, World};

    /// Rounds a game may run before it is called a draw.
    pub const ROUNDS_MAX: u16 = 100;

    fn game(world: &World, game: u32) -> Result<&Game, FunRejection> {
        world
            .fun
            .games
            .get(&game)
            .ok_or(FunRejection::NoGame { game })
    }

    fn creator(world: &World, player: PlayerId, number: u32) -> Result<&Game, FunRejection> {
        let g = game(world, number)?;
        if g.creator != Some(player) {
            return Err(FunRejection::GamesNotCreator { game: number });
        }
        Ok(g)
    }

    pub(crate) fn open(
        world: &World,
        creator: PlayerId,
        (channel, named, drones, factions, districts): (Snowflake, &[PlayerId], u8, u8, u8),
    ) -> Result<Vec<FunEvent>, FunRejection> {
        let mut players: Vec<PlayerId> = Vec::new();
        for p in named {
            if !players.contains(p) {
                players.push(*p);
            }
        }
        let total = players.len().max(usize::from(drones));
        if total > ENTRANTS_MAX
            || !(factions == 0 || (2..=FACTIONS_MAX as u8).contains(&factions))
            || !(1..=DISTRICTS_MAX as u8).contains(&districts)
        {
            return Err(FunRejection::GamesSize {
                entrants: ENTRANTS_MAX as u8,
                factions: FACTIONS_MAX as u8,
                districts: DISTRICTS_MAX as u8,
            });
        }
        Ok(vec![FunEvent::GamesOpened {
            game: world.fun.games_opened.saturating_add(1),
            creator,
            channel,
            named: players,
            drones,
            factions,
            districts,
        }])
    }

    pub(crate) fn join(
        world: &World,
        player: PlayerId,
        number: u32,
        roles: &[Snowflake],
    ) -> Result<Vec<FunEvent>, FunRejection> {
        let g = game(world, number)?;
        if g.started.is_some() {
            return Err(FunRejection::GamesUnderway { game: number });
        }
        if let Some(role) = g.role.filter(|role| !roles.contains(role)) {
            return Err(FunRejection::GamesRoleNeeded { game: number, role });
        }
        if g.players.contains(&player) {
            return Err(FunRejection::GamesIn { game: number });
        }
        if g.players.len() >= ENTRANTS_MAX {
            return Err(FunRejection::GamesFull { game: number });
        }
        Ok(vec![FunEvent::GamesJoined {
            game: number,
            player,
        }])
    }

    pub(crate) fn start(
        world: &World,
        ctx: &mut Ctx,
        player: PlayerId,
        number: u32,
    ) -> Result<Vec<FunEvent>, FunRejection> {
        let g = creator(world, player, number)?;
        if g.started.is_some() {
            return Err(FunRejection::GamesUnderway { game: number });
        }
        let mut entrants: Vec<Entrant> = g.players.iter().map(|p| Entrant::Player(*p)).collect();
        // Drones fill the game up to its size, each name once, drawn by the dice.
        let names = crate::content::get().games.drones.len();
        let mut pool: Vec<u16> = (0..names.min(usize::from(u16::MAX)) as u16).collect();
        while entrants.len() < usize::from(g.drones).min(ENTRANTS_MAX) && !pool.is_empty() {
            let pick = ctx.dice.below(pool.len() as u64) as usize;
            entrants.push(Entrant::Drone(pool.swap_remove(pick)));
        }
        if entrants.len() < 2 {
            return Err(FunRejection::GamesTooFew { game: number });
        }
        Ok(vec![FunEvent::GamesStarted {
            game: number,
            seed: Seed::pcg(ctx.derive("games-seed")),
            entrants,
        }])
    }

    pub(crate) fn next_round(
        world: &World,
        player: PlayerId,
        number: u32,
    ) -> Result<Vec<FunEvent>, FunRejection> {
        let g = creator(world, player, number)?;
        let Some((seed, _)) = &g.started else {
            return Err(FunRejection::GamesNotStarted { game: number });
        };
        if g.ended {
            return Err(FunRejection::GamesOver { game: number });
        }
        let happenings = round(&crate::content::get().games, *seed, &g.arena);
        let mut after = g.arena.clone();
        apply(&mut after, &happenings);
        let mut events = vec![FunEvent::GamesRound {
            game: number,
            round: after.round,
            happenings,
        }];
        if over(&after) || after.round >= ROUNDS_MAX {
            events.push(FunEvent::GamesEnded { game: number });
        }
        Ok(events)
    }

    /// A model's retelling of a round: once, for a round played, checked.
    pub(crate) fn narrated(
        world: &World,
        number: u32,
        round: u16,
        text: &str,
    ) -> Result<Vec<FunEvent>, FunRejection> {
        let g = game(world, number)?;
        let entrants = g.started.as_ref().map_or(0, |(_, e)| e.len());
        let refused = FunRejection::GamesNarrationRefused {
            game: number,
            round,
            max: NARRATION_MAX_CHARS as u16,
        };
        if round == 0
            || usize::from(round) > g.rounds.len()
            || g.narrations.contains_key(&round)
            || !is_valid_narration(text, entrants)
        {
            return Err(refused);
        }
        Ok(vec![FunEvent::GamesNarrated {
            game: number,
            round,
            text: text.to_string(),
        }])
    }

    /// `/hg_sorter`: the players shuffled by the dice and dealt into the districts in turn.
    pub(crate) fn sort(
        ctx: &mut Ctx,
        by: PlayerId,
        players: &[PlayerId],
        districts: u8,
    ) -> Result<FunEvent, FunRejection> {
        let mut unique: Vec<PlayerId> = Vec::new();
        for p in players {
            if !unique.contains(p) {
                unique.push(*p);
            }
        }
        let n = usize::from(districts);
        if !(2..=ENTRANTS_MAX).contains(&unique.len())
            || !(1..=DISTRICTS_MAX).contains(&n)
            || n > unique.len()
        {
            return Err(FunRejection::SortSize {
                players: ENTRANTS_MAX as u8,
                districts: DISTRICTS_MAX as u8,
            });
        }
        // Fisher–Yates with the command's dice, then round-robin.
        for i in (1..unique.len()).rev() {
            let j = ctx.dice.below(i as u64 + 1) as usize;
            unique.swap(i, j);
        }
        let mut sorted = vec![Vec::new(); n];
        for (i, p) in unique.into_iter().enumerate() {
            sorted[i % n].push(p);
        }
        Ok(FunEvent::DistrictsSorted {
            by,
            districts: sorted,
        })
    }

    pub(crate) fn end(
        world: &World,
        player: PlayerId,
        number: u32,
    ) -> Result<Vec<FunEvent>, FunRejection> {
        let g = creator(world, player, number)?;
        if g.ended {
            return Err(FunRejection::GamesOver { game: number });
        }
        Ok(vec![FunEvent::GamesEnded { game: number }])
    }
}
