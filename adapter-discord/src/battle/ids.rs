//! The battle area's presses: moves (buttons and the move menu), surrender, refresh and open,
//! lobby and challenge buttons, and the enemy pickers (see `custom_id.rs` for the format).
//! Decoding is strict: an unknown move, lobby verb or answer is no press at all, never a
//! default action.

use allspark_engine::battle::sim::Action;
use allspark_engine::battle::{BattleId, ChallengeId, LobbyId};

use crate::custom_id::{parse, word, Encode, VERSION};

/// The verbs this area owns (the second field of an id).
pub const VERBS: &[&str] = &[
    "act",
    "actp",
    "moves",
    "surrender",
    "watch",
    "open",
    "lobby",
    "challenge",
    "kinds",
    "enemy",
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Press {
    /// A move button, for this battle's turn.
    Act {
        battle: BattleId,
        turn: u32,
        action: Action,
    },
    /// The move menu: its value is a move and its target ([`parse_move`]), so every target
    /// can be reached however many fight.
    ActPick {
        battle: BattleId,
        turn: u32,
    },
    /// Open (or refresh) the presser's own move picker: a private message with only the moves
    /// their seat may make, for battles where seats differ (free-for-all, duels, teams).
    /// `update` is set on the picker's own button (the picker is redrawn in place); from the
    /// shared message a new private picker is posted.
    Moves {
        battle: BattleId,
        update: bool,
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
        verb: LobbyVerb,
        lobby: LobbyId,
    },
    Challenge {
        answer: Answer,
        challenge: ChallengeId,
    },
    /// Enemy selection: first the kind and rarity, then the enemy (values carry the choice).
    PickKindRarity {
        owner: u64,
    },
    PickEnemy {
        owner: u64,
    },
}

/// What a lobby button asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LobbyVerb {
    Join,
    /// Join a team battle on one side (0 or 1).
    JoinSide(u8),
    Ready,
    Unready,
    Leave,
    Start,
    Cancel,
}

/// The challenged player's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Accept,
    Decline,
}

const LOBBY_VERBS: &[(&str, LobbyVerb)] = &[
    ("join", LobbyVerb::Join),
    ("join0", LobbyVerb::JoinSide(0)),
    ("join1", LobbyVerb::JoinSide(1)),
    ("ready", LobbyVerb::Ready),
    ("unready", LobbyVerb::Unready),
    ("leave", LobbyVerb::Leave),
    ("start", LobbyVerb::Start),
    ("cancel", LobbyVerb::Cancel),
];

const ANSWERS: &[(&str, Answer)] = &[("accept", Answer::Accept), ("decline", Answer::Decline)];

/// A move as its letter (`a`ttack, `d`efend, `s`pecial, `c`harge) and its target fighter.
fn move_parts(action: Action) -> (char, u8) {
    match action {
        Action::Attack { target } => ('a', target),
        Action::Defend { guard } => ('d', guard),
        Action::Special { target } => ('s', target),
        Action::Charge => ('c', 0),
    }
}

fn move_of(letter: &str, target: &str) -> Option<Action> {
    let target: u8 = target.parse().ok()?;
    match letter {
        "a" => Some(Action::Attack { target }),
        "d" => Some(Action::Defend { guard: target }),
        "s" => Some(Action::Special { target }),
        "c" if target == 0 => Some(Action::Charge),
        _ => None,
    }
}

/// A move menu option's value: the move's letter and its target, `s3`.
pub fn move_value(action: Action) -> String {
    let (letter, target) = move_parts(action);
    format!("{letter}{target}")
}

/// The move a menu value stands for; `None` for anything else.
pub fn parse_move(value: &str) -> Option<Action> {
    let letter = value.get(..1)?;
    move_of(letter, value.get(1..)?)
}

impl Encode for Press {
    fn encode(&self) -> String {
        match self {
            Press::Act {
                battle,
                turn,
                action,
            } => {
                let (letter, target) = move_parts(*action);
                format!("{VERSION}:act:{battle}:{turn}:{letter}:{target}")
            }
            Press::ActPick { battle, turn } => format!("{VERSION}:actp:{battle}:{turn}"),
            Press::Moves { battle, update } => {
                format!("{VERSION}:moves:{battle}:{}", u8::from(*update))
            }
            Press::Surrender { battle } => format!("{VERSION}:surrender:{battle}"),
            Press::Watch { battle } => format!("{VERSION}:watch:{battle}"),
            Press::Open { battle } => format!("{VERSION}:open:{battle}"),
            Press::Lobby { verb, lobby } => {
                format!("{VERSION}:lobby:{}:{lobby}", word(LOBBY_VERBS, *verb))
            }
            Press::Challenge { answer, challenge } => {
                format!("{VERSION}:challenge:{}:{challenge}", word(ANSWERS, *answer))
            }
            Press::PickKindRarity { owner } => format!("{VERSION}:kinds:{owner}"),
            Press::PickEnemy { owner } => format!("{VERSION}:enemy:{owner}"),
        }
    }
}

impl Press {
    /// Parses the fields after the version; `None` for anything malformed or unknown.
    pub fn decode(verb: &str, rest: &[&str]) -> Option<Press> {
        let arg = |i: usize| rest.get(i).copied();
        let battle = || arg(0)?.parse::<BattleId>().ok();
        let press = match (verb, rest.len()) {
            ("act", 4) => Press::Act {
                battle: battle()?,
                turn: arg(1)?.parse().ok()?,
                action: move_of(arg(2)?, arg(3)?)?,
            },
            ("actp", 2) => Press::ActPick {
                battle: battle()?,
                turn: arg(1)?.parse().ok()?,
            },
            ("moves", 2) => Press::Moves {
                battle: battle()?,
                update: match arg(1)? {
                    "0" => false,
                    "1" => true,
                    _ => return None,
                },
            },
            ("surrender", 1) => Press::Surrender { battle: battle()? },
            ("watch", 1) => Press::Watch { battle: battle()? },
            ("open", 1) => Press::Open { battle: battle()? },
            ("lobby", 2) => Press::Lobby {
                verb: parse(LOBBY_VERBS, arg(0)?)?,
                lobby: arg(1)?.parse().ok()?,
            },
            ("challenge", 2) => Press::Challenge {
                answer: parse(ANSWERS, arg(0)?)?,
                challenge: arg(1)?.parse().ok()?,
            },
            ("kinds", 1) => Press::PickKindRarity {
                owner: arg(0)?.parse().ok()?,
            },
            ("enemy", 1) => Press::PickEnemy {
                owner: arg(0)?.parse().ok()?,
            },
            _ => return None,
        };
        Some(press)
    }

    /// The enemy pickers belong to who opened them; battle, lobby and challenge views are
    /// shared, and the engine decides who may act on them.
    pub fn owner(&self) -> Option<u64> {
        match self {
            Press::PickKindRarity { owner } | Press::PickEnemy { owner } => Some(*owner),
            Press::Act { .. }
            | Press::ActPick { .. }
            | Press::Moves { .. }
            | Press::Surrender { .. }
            | Press::Watch { .. }
            | Press::Open { .. }
            | Press::Lobby { .. }
            | Press::Challenge { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custom_id::split;

    fn decode(id: &str) -> Option<Press> {
        let (verb, rest) = split(id)?;
        Press::decode(verb, &rest)
    }

    #[test]
    fn every_press_round_trips_and_fits_discords_limit() {
        let battle = BattleId(u128::MAX);
        let mut presses = vec![
            Press::ActPick {
                battle,
                turn: u32::MAX,
            },
            Press::Surrender { battle },
            Press::Moves {
                battle,
                update: true,
            },
            Press::Watch { battle },
            Press::Open { battle },
            Press::PickKindRarity { owner: 1 },
            Press::PickEnemy { owner: u64::MAX },
        ];
        for action in [
            Action::Attack { target: 7 },
            Action::Defend { guard: 3 },
            Action::Special { target: 255 },
            Action::Charge,
        ] {
            presses.push(Press::Act {
                battle,
                turn: 100,
                action,
            });
            assert_eq!(parse_move(&move_value(action)), Some(action));
        }
        for (_, verb) in LOBBY_VERBS {
            presses.push(Press::Lobby {
                verb: *verb,
                lobby: LobbyId(u128::MAX),
            });
        }
        for (_, answer) in ANSWERS {
            presses.push(Press::Challenge {
                answer: *answer,
                challenge: ChallengeId(u128::MAX),
            });
        }
        for press in presses {
            let id = press.encode();
            assert!(id.len() <= 100, "{id} is {} chars", id.len());
            assert_eq!(decode(&id), Some(press), "{id}");
        }
        assert_eq!(
            Press::Act {
                battle: BattleId(1),
                turn: 2,
                action: Action::Special { target: 3 }
            }
            .encode(),
            "1:act:00000000000000000000000000000001:2:s:3"
        );
    }

    #[test]
    fn forged_moves_verbs_and_answers_are_no_press() {
        let b = "00000000000000000000000000000001";
        for id in [
            format!("1:act:{b}:1:x:1"),
            format!("1:act:{b}:1:c:4"),
            format!("1:act:{b}:1:a:256"),
            format!("1:act:{b}:1:a"),
            "1:act:zz:1:a:1".to_string(),
            format!("1:lobby:explode:{b}"),
            format!("1:lobby:join2:{b}"),
            format!("1:challenge:maybe:{b}"),
            format!("1:challenge:accept:{b}:extra"),
            "1:kinds".to_string(),
        ] {
            assert_eq!(decode(&id), None, "{id}");
        }
        for value in ["", "x3", "a", "a-1", "c1", "s300"] {
            assert_eq!(parse_move(value), None, "{value}");
        }
    }
}
