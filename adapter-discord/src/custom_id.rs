//! The `custom_id` format of buttons, menus and forms: compact, versioned, self-contained.
//!
//! A component's id carries everything needed to rebuild its command (`1:act:<battle>:<turn>:
//! <action>:<target>`), so the adapter keeps no view state. Ids start with the format version
//! (`1`); a press with an unknown version is treated as an expired view. Views that belong to
//! one person carry their owner's id, so a press by anyone else gets a polite refusal; views
//! that can go stale carry the minute they were drawn. Every id is at most 100 characters
//! (Discord's limit), checked by tests.
//!
//! **API boundary:** ids already sent to Discord live on in old messages; change the format only
//! by adding a new version.

use allspark_engine::battle::{BattleId, ChallengeId, LobbyId};

/// The format version written into every id.
pub const VERSION: &str = "1";

/// What a pressed component (or a submitted form) asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Press {
    /// Dashboard care buttons: action (`charge`, `repair`, `play`) and level (`q`, `s`, `f`).
    Care {
        owner: u64,
        action: String,
        level: String,
    },
    Train {
        owner: u64,
        intensity: String,
    },
    Mission {
        owner: u64,
        difficulty: String,
    },
    /// Inventory pagination; `minute` is when the view was drawn.
    Inventory {
        owner: u64,
        page: usize,
        minute: i64,
    },
    /// Equip the selected item into `slot` (the value carries the item id).
    Equip {
        owner: u64,
        slot: String,
    },
    /// Confirm releasing the pet, with the token the first step issued.
    Release {
        owner: u64,
        token: u32,
    },
    KeepPet {
        owner: u64,
    },
    /// Open the rename form / the form's submission.
    Rename {
        owner: u64,
    },
    /// Battle action: `a`ttack, `d`efend, `c`harge, `s`pecial, with its target fighter.
    Act {
        battle: BattleId,
        turn: u32,
        action: char,
        target: u8,
    },
    /// Battle move picked from the menu: the value is the action letter and the target fighter
    /// (`s3` = special on fighter 3), so every target can be reached however many fight.
    ActPick {
        battle: BattleId,
        turn: u32,
    },
    Surrender {
        battle: BattleId,
    },
    /// Refresh a battle view (spectators).
    Watch {
        battle: BattleId,
    },
    /// Post a battle's view as a new message (from a list of matches).
    Open {
        battle: BattleId,
    },
    Lobby {
        verb: String,
        lobby: LobbyId,
    },
    Challenge {
        verb: String,
        challenge: ChallengeId,
    },
    /// Enemy selection: first the kind and rarity, then the enemy (values carry the choice).
    PickKindRarity {
        owner: u64,
    },
    PickEnemy {
        owner: u64,
    },
    SlotsAgain {
        owner: u64,
        difficulty: String,
        bet: u64,
    },
    History {
        owner: u64,
        page: usize,
    },
    Board {
        period: String,
    },
    /// Operator erasure, step one: the users picked (the values carry their ids).
    ClearPick,
    /// Operator erasure, step two: confirm erasing these players.
    ClearConfirm {
        players: Vec<u64>,
    },
    ClearCancel,
}

/// Players one erasure confirmation can carry: six ids in base 36 (at most 13 characters each)
/// keep the id under Discord's 100 characters.
pub const CLEAR_MAX_PLAYERS: usize = 6;

fn base36(mut n: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn players_of(text: &str) -> Option<Vec<u64>> {
    let players: Vec<u64> = text
        .split('.')
        .map(|id| u64::from_str_radix(id, 36).ok())
        .collect::<Option<_>>()?;
    (!players.is_empty() && players.len() <= CLEAR_MAX_PLAYERS).then_some(players)
}

impl Press {
    pub fn encode(&self) -> String {
        match self {
            Press::Care {
                owner,
                action,
                level,
            } => format!("{VERSION}:care:{owner}:{action}:{level}"),
            Press::Train { owner, intensity } => format!("{VERSION}:train:{owner}:{intensity}"),
            Press::Mission { owner, difficulty } => {
                format!("{VERSION}:mission:{owner}:{difficulty}")
            }
            Press::Inventory {
                owner,
                page,
                minute,
            } => format!("{VERSION}:inv:{owner}:{page}:{minute}"),
            Press::Equip { owner, slot } => format!("{VERSION}:equip:{owner}:{slot}"),
            Press::Release { owner, token } => format!("{VERSION}:release:{owner}:{token}"),
            Press::KeepPet { owner } => format!("{VERSION}:keep:{owner}"),
            Press::Rename { owner } => format!("{VERSION}:rename:{owner}"),
            Press::Act {
                battle,
                turn,
                action,
                target,
            } => format!("{VERSION}:act:{battle}:{turn}:{action}:{target}"),
            Press::ActPick { battle, turn } => format!("{VERSION}:actp:{battle}:{turn}"),
            Press::Surrender { battle } => format!("{VERSION}:surrender:{battle}"),
            Press::Watch { battle } => format!("{VERSION}:watch:{battle}"),
            Press::Open { battle } => format!("{VERSION}:open:{battle}"),
            Press::Lobby { verb, lobby } => format!("{VERSION}:lobby:{verb}:{lobby}"),
            Press::Challenge { verb, challenge } => {
                format!("{VERSION}:challenge:{verb}:{challenge}")
            }
            Press::PickKindRarity { owner } => format!("{VERSION}:kinds:{owner}"),
            Press::PickEnemy { owner } => format!("{VERSION}:enemy:{owner}"),
            Press::SlotsAgain {
                owner,
                difficulty,
                bet,
            } => format!("{VERSION}:slots:{owner}:{difficulty}:{bet}"),
            Press::History { owner, page } => format!("{VERSION}:history:{owner}:{page}"),
            Press::Board { period } => format!("{VERSION}:board:{period}"),
            Press::ClearPick => format!("{VERSION}:clr:pick"),
            Press::ClearConfirm { players } => {
                let ids: Vec<String> = players.iter().map(|p| base36(*p)).collect();
                format!("{VERSION}:clr:go:{}", ids.join("."))
            }
            Press::ClearCancel => format!("{VERSION}:clr:no"),
        }
    }

    /// Parses an id; `None` for anything malformed or of another version.
    pub fn decode(id: &str) -> Option<Press> {
        let parts: Vec<&str> = id.split(':').collect();
        let (&version, rest) = parts.split_first()?;
        if version != VERSION {
            return None;
        }
        let owner = |i: usize| rest.get(i)?.parse::<u64>().ok();
        let text = |i: usize| rest.get(i).map(|s| s.to_string());
        let press = match *rest.first()? {
            "care" => Press::Care {
                owner: owner(1)?,
                action: text(2)?,
                level: text(3)?,
            },
            "train" => Press::Train {
                owner: owner(1)?,
                intensity: text(2)?,
            },
            "mission" => Press::Mission {
                owner: owner(1)?,
                difficulty: text(2)?,
            },
            "inv" => Press::Inventory {
                owner: owner(1)?,
                page: rest.get(2)?.parse().ok()?,
                minute: rest.get(3)?.parse().ok()?,
            },
            "equip" => Press::Equip {
                owner: owner(1)?,
                slot: text(2)?,
            },
            "release" => Press::Release {
                owner: owner(1)?,
                token: rest.get(2)?.parse().ok()?,
            },
            "keep" => Press::KeepPet { owner: owner(1)? },
            "rename" => Press::Rename { owner: owner(1)? },
            "act" => Press::Act {
                battle: rest.get(1)?.parse().ok()?,
                turn: rest.get(2)?.parse().ok()?,
                action: rest.get(3)?.chars().next()?,
                target: rest.get(4)?.parse().ok()?,
            },
            "actp" => Press::ActPick {
                battle: rest.get(1)?.parse().ok()?,
                turn: rest.get(2)?.parse().ok()?,
            },
            "surrender" => Press::Surrender {
                battle: rest.get(1)?.parse().ok()?,
            },
            "watch" => Press::Watch {
                battle: rest.get(1)?.parse().ok()?,
            },
            "open" => Press::Open {
                battle: rest.get(1)?.parse().ok()?,
            },
            "lobby" => Press::Lobby {
                verb: text(1)?,
                lobby: rest.get(2)?.parse().ok()?,
            },
            "challenge" => Press::Challenge {
                verb: text(1)?,
                challenge: rest.get(2)?.parse().ok()?,
            },
            "kinds" => Press::PickKindRarity { owner: owner(1)? },
            "enemy" => Press::PickEnemy { owner: owner(1)? },
            "slots" => Press::SlotsAgain {
                owner: owner(1)?,
                difficulty: text(2)?,
                bet: rest.get(3)?.parse().ok()?,
            },
            "history" => Press::History {
                owner: owner(1)?,
                page: rest.get(2)?.parse().ok()?,
            },
            "board" => Press::Board { period: text(1)? },
            "clr" => match *rest.get(1)? {
                "pick" => Press::ClearPick,
                "go" => Press::ClearConfirm {
                    players: players_of(rest.get(2)?)?,
                },
                "no" => Press::ClearCancel,
                _ => return None,
            },
            _ => return None,
        };
        Some(press)
    }

    /// The person a view belongs to, if it belongs to one.
    pub fn owner(&self) -> Option<u64> {
        match self {
            Press::Care { owner, .. }
            | Press::Train { owner, .. }
            | Press::Mission { owner, .. }
            | Press::Inventory { owner, .. }
            | Press::Equip { owner, .. }
            | Press::Release { owner, .. }
            | Press::KeepPet { owner }
            | Press::Rename { owner }
            | Press::PickKindRarity { owner }
            | Press::PickEnemy { owner }
            | Press::SlotsAgain { owner, .. }
            | Press::History { owner, .. } => Some(*owner),
            Press::Act { .. }
            | Press::ActPick { .. }
            | Press::Surrender { .. }
            | Press::Watch { .. }
            | Press::Open { .. }
            | Press::Lobby { .. }
            | Press::Challenge { .. }
            | Press::Board { .. }
            | Press::ClearPick
            | Press::ClearConfirm { .. }
            | Press::ClearCancel => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_id_round_trips_and_fits_discords_limit() {
        let battle = BattleId(u128::MAX);
        let presses = vec![
            Press::Care {
                owner: u64::MAX,
                action: "charge".into(),
                level: "f".into(),
            },
            Press::Train {
                owner: 1,
                intensity: "godmode".into(),
            },
            Press::Mission {
                owner: 1,
                difficulty: "hard".into(),
            },
            Press::Inventory {
                owner: u64::MAX,
                page: 99,
                minute: 29_000_000,
            },
            Press::Equip {
                owner: 1,
                slot: "utility_module".into(),
            },
            Press::Release {
                owner: 1,
                token: 999_999,
            },
            Press::KeepPet { owner: 1 },
            Press::Rename { owner: 1 },
            Press::Act {
                battle,
                turn: 100,
                action: 's',
                target: 7,
            },
            Press::ActPick {
                battle,
                turn: u32::MAX,
            },
            Press::Surrender { battle },
            Press::Watch { battle },
            Press::Open { battle },
            Press::Lobby {
                verb: "unready".into(),
                lobby: LobbyId(u128::MAX),
            },
            Press::Challenge {
                verb: "decline".into(),
                challenge: ChallengeId(u128::MAX),
            },
            Press::PickKindRarity { owner: 1 },
            Press::PickEnemy { owner: 1 },
            Press::SlotsAgain {
                owner: u64::MAX,
                difficulty: "medium".into(),
                bet: 1_000,
            },
            Press::History { owner: 1, page: 3 },
            Press::Board {
                period: "all_time".into(),
            },
            Press::ClearPick,
            Press::ClearConfirm {
                players: vec![u64::MAX; CLEAR_MAX_PLAYERS],
            },
            Press::ClearConfirm {
                players: vec![0, 1, 35, 36, 1_234_567_890_123_456_789],
            },
            Press::ClearCancel,
        ];
        for press in presses {
            let id = press.encode();
            assert!(id.len() <= 100, "{id} is {} chars", id.len());
            assert_eq!(Press::decode(&id), Some(press), "{id}");
        }
    }

    #[test]
    fn malformed_or_foreign_ids_are_refused() {
        for id in [
            "",
            "2:keep:1",
            "1:keep",
            "1:act:zz:1:a:1",
            "1:nope:1",
            "1:inv:1:x:2",
            "1:clr:go:",
            "1:clr:go:1.2.3.4.5.6.7",
            "1:clr:go:zz!",
            "1:clr:maybe",
        ] {
            assert_eq!(Press::decode(id), None, "{id}");
        }
    }
}
