//! The fun area's presses (see `custom_id.rs` for the format): the shooting range's buttons.
//! A round's five buttons carry the session, the round and which button they are (never
//! whether they are the target: the engine knows where it put it); the countdown's disabled
//! button names the session, so the transports know to run it; the end's "again" starts a new
//! session of the same length; the leaderboard's buttons switch lengths, for anyone.
//! Decoding is strict: anything malformed is no press at all.

use allspark_engine::fun::combiner::Part;
use allspark_engine::fun::{RANGE_BUTTONS, RANGE_ROUNDS};

use crate::custom_id::{number, Encode, VERSION};

/// The verbs this area owns (the second field of an id).
pub const VERBS: &[&str] = &[
    "rg", "rgw", "rga", "rgl", "tva", "tvn", "wk", "wkn", "cb", "cbl", "cg", "mf",
];

/// What a Cybertron Games button does, and its word in ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GamesAction {
    Join,
    Start,
    Next,
    End,
}

pub const GAMES_ACTIONS: &[(&str, GamesAction)] = &[
    ("join", GamesAction::Join),
    ("start", GamesAction::Start),
    ("next", GamesAction::Next),
    ("end", GamesAction::End),
];

/// Each combiner part's word in ids and its button label, in the order the buttons show them.
pub const PARTS: &[(&str, Part, &str)] = &[
    ("head", Part::Head, "🧠 Head"),
    ("body", Part::Body, "🫀 Body"),
    ("larm", Part::LeftArm, "🦾 Left arm"),
    ("rarm", Part::RightArm, "🦾 Right arm"),
    ("lleg", Part::LeftLeg, "🦿 Left leg"),
    ("rleg", Part::RightLeg, "🦿 Right leg"),
];

/// A part's word in ids.
pub fn part_word(part: Part) -> &'static str {
    PARTS
        .iter()
        .find(|(_, p, _)| *p == part)
        .map_or("", |(w, _, _)| w)
}

/// A part's label.
pub fn part_label(part: Part) -> &'static str {
    PARTS
        .iter()
        .find(|(_, p, _)| *p == part)
        .map_or("", |(_, _, l)| l)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Press {
    /// Button `button` (0 to 4) of round `round` of `owner`'s session `session`.
    Shoot {
        owner: u64,
        session: u32,
        round: u8,
        button: u8,
    },
    /// The countdown of `owner`'s session `session` (shown disabled).
    Wait { owner: u64, session: u32 },
    /// A new session of `rounds` rounds for `owner`.
    Again { owner: u64, rounds: u8 },
    /// The leaderboard for sessions of `rounds` rounds.
    Leaders { rounds: u8 },
    /// Option `choice` (0 to 3) of question `number` of `channel`'s trivia.
    Answer {
        channel: u64,
        number: u8,
        choice: u8,
    },
    /// A new trivia session in the channel pressed from, of `category` (`None`: all).
    TriviaAgain { category: Option<String> },
    /// Choice `choice` at stage `stage` of `owner`'s walk of `story`.
    Walk {
        owner: u64,
        story: String,
        stage: String,
        choice: u8,
    },
    /// A new walk of `story` for `owner` (`restart`: giving up the one going).
    WalkAgain {
        owner: u64,
        story: String,
        restart: bool,
    },
    /// Put the presser's pet in part `part` of combiner team `team` (anyone's press).
    TakePart { team: u32, part: Part },
    /// The presser leaves their combiner team (shown on team `team`).
    LeaveTeam { team: u32 },
    /// A Cybertron Games button of game `game` (anyone may join; the rest are the creator's,
    /// which the engine checks).
    Games { game: u32, action: GamesAction },
    /// Accept (or decline) combiner team `challenger`'s mega-fight challenge (the challenged
    /// head's, which the engine checks).
    Mega { challenger: u32, accept: bool },
}

/// A story field: one of the six genres.
fn story_field(text: &str) -> Option<String> {
    allspark_engine::fun::story::GENRES
        .contains(&text)
        .then(|| text.to_string())
}

/// A stage field: a content key's shape (the engine checks it is where the walk is).
fn stage_field(text: &str) -> Option<String> {
    (!text.is_empty()
        && text.len() <= allspark_engine::fun::story::KEY_MAX
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'))
    .then(|| text.to_string())
}

/// A trivia category field: a content id, or `-` for every category.
fn category_field(text: &str) -> Option<Option<String>> {
    if text == "-" {
        return Some(None);
    }
    allspark_engine::content::get()
        .trivia
        .category(text)
        .map(|c| Some(c.id.clone()))
}

fn rounds(text: &str) -> Option<u8> {
    u8::try_from(number(text)?)
        .ok()
        .filter(|r| RANGE_ROUNDS.contains(r))
}

impl Encode for Press {
    fn encode(&self) -> String {
        match self {
            Press::Shoot {
                owner,
                session,
                round,
                button,
            } => format!("{VERSION}:rg:{owner}:{session}:{round}:{button}"),
            Press::Wait { owner, session } => format!("{VERSION}:rgw:{owner}:{session}"),
            Press::Again { owner, rounds } => format!("{VERSION}:rga:{owner}:{rounds}"),
            Press::Leaders { rounds } => format!("{VERSION}:rgl:{rounds}"),
            Press::Answer {
                channel,
                number,
                choice,
            } => format!("{VERSION}:tva:{channel}:{number}:{choice}"),
            Press::TriviaAgain { category } => {
                format!("{VERSION}:tvn:{}", category.as_deref().unwrap_or("-"))
            }
            Press::Walk {
                owner,
                story,
                stage,
                choice,
            } => format!("{VERSION}:wk:{owner}:{story}:{stage}:{choice}"),
            Press::WalkAgain {
                owner,
                story,
                restart,
            } => format!("{VERSION}:wkn:{owner}:{story}:{}", u8::from(*restart)),
            Press::TakePart { team, part } => {
                format!("{VERSION}:cb:{team}:{}", part_word(*part))
            }
            Press::LeaveTeam { team } => format!("{VERSION}:cbl:{team}"),
            Press::Games { game, action } => format!(
                "{VERSION}:cg:{game}:{}",
                crate::custom_id::word(GAMES_ACTIONS, *action)
            ),
            Press::Mega { challenger, accept } => {
                format!("{VERSION}:mf:{challenger}:{}", u8::from(*accept))
            }
        }
    }
}

impl Press {
    /// Parses the fields after the version; `None` for anything malformed or unknown.
    pub fn decode(verb: &str, rest: &[&str]) -> Option<Press> {
        match (verb, rest) {
            ("rg", [owner, session, round, button]) => Some(Press::Shoot {
                owner: number(owner)?,
                session: u32::try_from(number(session)?).ok()?,
                round: u8::try_from(number(round)?).ok().filter(|r| *r >= 1)?,
                button: u8::try_from(number(button)?)
                    .ok()
                    .filter(|b| *b < RANGE_BUTTONS)?,
            }),
            ("rgw", [owner, session]) => Some(Press::Wait {
                owner: number(owner)?,
                session: u32::try_from(number(session)?).ok()?,
            }),
            ("rga", [owner, n]) => Some(Press::Again {
                owner: number(owner)?,
                rounds: rounds(n)?,
            }),
            ("rgl", [n]) => Some(Press::Leaders { rounds: rounds(n)? }),
            ("tva", [channel, n, choice]) => Some(Press::Answer {
                channel: number(channel)?,
                number: u8::try_from(number(n)?).ok().filter(|n| *n >= 1)?,
                choice: u8::try_from(number(choice)?).ok().filter(|c| *c < 4)?,
            }),
            ("tvn", [category]) => Some(Press::TriviaAgain {
                category: category_field(category)?,
            }),
            ("wk", [owner, story, stage, choice]) => Some(Press::Walk {
                owner: number(owner)?,
                story: story_field(story)?,
                stage: stage_field(stage)?,
                choice: u8::try_from(number(choice)?).ok().filter(|c| *c < 3)?,
            }),
            ("cb", [team, part]) => Some(Press::TakePart {
                team: u32::try_from(number(team)?).ok()?,
                part: PARTS
                    .iter()
                    .find(|(w, _, _)| w == part)
                    .map(|(_, p, _)| *p)?,
            }),
            ("cg", [game, action]) => Some(Press::Games {
                game: u32::try_from(number(game)?).ok()?,
                action: crate::custom_id::parse(GAMES_ACTIONS, action)?,
            }),
            ("mf", [team, accept]) => Some(Press::Mega {
                challenger: u32::try_from(number(team)?).ok()?,
                accept: match *accept {
                    "1" => true,
                    "0" => false,
                    _ => return None,
                },
            }),
            ("cbl", [team]) => Some(Press::LeaveTeam {
                team: u32::try_from(number(team)?).ok()?,
            }),
            ("wkn", [owner, story, restart]) => Some(Press::WalkAgain {
                owner: number(owner)?,
                story: story_field(story)?,
                restart: match *restart {
                    "0" => false,
                    "1" => true,
                    _ => return None,
                },
            }),
            _ => None,
        }
    }

    /// Whose press it is (`None`: anyone's).
    pub fn owner(&self) -> Option<u64> {
        match self {
            Press::Shoot { owner, .. }
            | Press::Wait { owner, .. }
            | Press::Again { owner, .. }
            | Press::Walk { owner, .. }
            | Press::WalkAgain { owner, .. } => Some(*owner),
            Press::Leaders { .. }
            | Press::Answer { .. }
            | Press::TriviaAgain { .. }
            | Press::TakePart { .. }
            | Press::LeaveTeam { .. }
            | Press::Games { .. }
            | Press::Mega { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custom_id::split;

    fn round_trip(press: Press) {
        let id = press.encode();
        assert!(id.len() <= 100, "{id}");
        let (verb, rest) = split(&id).expect("an id of ours");
        assert_eq!(Press::decode(verb, &rest), Some(press), "{id}");
    }

    #[test]
    fn every_press_round_trips_within_discords_limit() {
        round_trip(Press::Shoot {
            owner: u64::MAX,
            session: u32::MAX,
            round: 100,
            button: 4,
        });
        round_trip(Press::Wait {
            owner: 1,
            session: 2,
        });
        for rounds in RANGE_ROUNDS {
            round_trip(Press::Again { owner: 7, rounds });
            round_trip(Press::Leaders { rounds });
        }
        round_trip(Press::Answer {
            channel: u64::MAX,
            number: 30,
            choice: 3,
        });
        round_trip(Press::TriviaAgain { category: None });
        round_trip(Press::Mega {
            challenger: u32::MAX,
            accept: false,
        });
        for part in Part::ALL {
            round_trip(Press::TakePart {
                team: u32::MAX,
                part,
            });
        }
        round_trip(Press::LeaveTeam { team: 7 });
        for (_, action) in GAMES_ACTIONS {
            round_trip(Press::Games {
                game: u32::MAX,
                action: *action,
            });
        }
        for story in &allspark_engine::content::get().walktru.stories {
            for (stage, here) in &story.stages {
                for choice in 0..here.choices.len() as u8 {
                    round_trip(Press::Walk {
                        owner: u64::MAX,
                        story: story.id.clone(),
                        stage: stage.clone(),
                        choice,
                    });
                }
            }
            round_trip(Press::WalkAgain {
                owner: u64::MAX,
                story: story.id.clone(),
                restart: true,
            });
        }
        for category in &allspark_engine::content::get().trivia.categories {
            round_trip(Press::TriviaAgain {
                category: Some(category.id.clone()),
            });
        }
    }

    #[test]
    fn malformed_ids_are_no_press() {
        for (verb, rest) in [
            ("rg", &["1", "1", "1", "5"][..]),
            ("rg", &["1", "1", "0", "1"][..]),
            ("rg", &["1", "1", "1"][..]),
            ("rg", &["x", "1", "1", "1"][..]),
            ("rga", &["1", "7"][..]),
            ("rgl", &["6"][..]),
            ("rgl", &["-5"][..]),
            ("rgw", &["1"][..]),
            ("tva", &["1", "1", "4"][..]),
            ("tva", &["1", "0", "1"][..]),
            ("tva", &["1", "1"][..]),
            ("tvn", &["cooking"][..]),
            ("tvn", &["random"][..]),
            ("wk", &["1", "pirate", "gate", "0"][..]),
            ("wk", &["1", "horror", "Gate", "0"][..]),
            ("wk", &["1", "horror", "gate", "3"][..]),
            ("wkn", &["1", "horror", "2"][..]),
            ("cb", &["1", "tail"][..]),
            ("cb", &["-1", "head"][..]),
            ("cbl", &[][..]),
            ("cg", &["1", "fly"][..]),
            ("hello", &[][..]),
        ] {
            assert_eq!(Press::decode(verb, rest), None, "{verb} {rest:?}");
        }
    }
}
