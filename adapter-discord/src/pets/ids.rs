//! The pets area's presses: the dashboard's care, training and mission buttons, the equipment
//! pages and picker, the two-step release and the rename form (see `custom_id.rs` for the
//! format). Decoding is strict: an unknown action, level or slot is no press at all.

use allspark_engine::pets::content::Slot;
use allspark_engine::pets::{CareAction, CareLevel, Intensity, MissionDifficulty};

use crate::custom_id::{parse, word, Encode, VERSION};

/// The verbs this area owns (the second field of an id).
pub const VERBS: &[&str] = &[
    "care", "train", "mission", "inv", "equip", "release", "keep", "rename",
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Press {
    /// A dashboard care button.
    Care {
        owner: u64,
        action: CareAction,
        level: CareLevel,
    },
    Train {
        owner: u64,
        intensity: Intensity,
    },
    Mission {
        owner: u64,
        difficulty: MissionDifficulty,
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
        slot: Slot,
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
}

/// Words for the care actions, in ids and in the slash commands' choices.
pub const CARE_ACTIONS: &[(&str, CareAction)] = &[
    ("charge", CareAction::Charge),
    ("repair", CareAction::Repair),
    ("play", CareAction::Play),
];
/// Care levels: one letter in ids.
pub const CARE_LEVELS: &[(&str, CareLevel)] = &[
    ("q", CareLevel::Quick),
    ("s", CareLevel::Standard),
    ("f", CareLevel::Full),
];
pub const INTENSITIES: &[(&str, Intensity)] = &[
    ("average", Intensity::Average),
    ("intense", Intensity::Intense),
    ("godmode", Intensity::Godmode),
];
pub const MISSIONS: &[(&str, MissionDifficulty)] = &[
    ("easy", MissionDifficulty::Easy),
    ("average", MissionDifficulty::Average),
    ("hard", MissionDifficulty::Hard),
];
pub const SLOTS: &[(&str, Slot)] = &[
    ("chassis_plating", Slot::ChassisPlating),
    ("energy_core", Slot::EnergyCore),
    ("utility_module", Slot::UtilityModule),
];

impl Encode for Press {
    fn encode(&self) -> String {
        match self {
            Press::Care {
                owner,
                action,
                level,
            } => format!(
                "{VERSION}:care:{owner}:{}:{}",
                word(CARE_ACTIONS, *action),
                word(CARE_LEVELS, *level)
            ),
            Press::Train { owner, intensity } => {
                format!("{VERSION}:train:{owner}:{}", word(INTENSITIES, *intensity))
            }
            Press::Mission { owner, difficulty } => {
                format!("{VERSION}:mission:{owner}:{}", word(MISSIONS, *difficulty))
            }
            Press::Inventory {
                owner,
                page,
                minute,
            } => format!("{VERSION}:inv:{owner}:{page}:{minute}"),
            Press::Equip { owner, slot } => {
                format!("{VERSION}:equip:{owner}:{}", word(SLOTS, *slot))
            }
            Press::Release { owner, token } => format!("{VERSION}:release:{owner}:{token}"),
            Press::KeepPet { owner } => format!("{VERSION}:keep:{owner}"),
            Press::Rename { owner } => format!("{VERSION}:rename:{owner}"),
        }
    }
}

impl Press {
    /// Parses the fields after the version; `None` for anything malformed or unknown.
    pub fn decode(verb: &str, rest: &[&str]) -> Option<Press> {
        let owner = rest.first()?.parse::<u64>().ok()?;
        let arg = |i: usize| rest.get(i).copied();
        let press = match (verb, rest.len()) {
            ("care", 3) => Press::Care {
                owner,
                action: parse(CARE_ACTIONS, arg(1)?)?,
                level: parse(CARE_LEVELS, arg(2)?)?,
            },
            ("train", 2) => Press::Train {
                owner,
                intensity: parse(INTENSITIES, arg(1)?)?,
            },
            ("mission", 2) => Press::Mission {
                owner,
                difficulty: parse(MISSIONS, arg(1)?)?,
            },
            ("inv", 3) => Press::Inventory {
                owner,
                page: arg(1)?.parse().ok()?,
                minute: arg(2)?.parse().ok()?,
            },
            ("equip", 2) => Press::Equip {
                owner,
                slot: parse(SLOTS, arg(1)?)?,
            },
            ("release", 2) => Press::Release {
                owner,
                token: arg(1)?.parse().ok()?,
            },
            ("keep", 1) => Press::KeepPet { owner },
            ("rename", 1) => Press::Rename { owner },
            _ => return None,
        };
        Some(press)
    }

    /// Every pets view belongs to one person.
    pub fn owner(&self) -> Option<u64> {
        match self {
            Press::Care { owner, .. }
            | Press::Train { owner, .. }
            | Press::Mission { owner, .. }
            | Press::Inventory { owner, .. }
            | Press::Equip { owner, .. }
            | Press::Release { owner, .. }
            | Press::KeepPet { owner }
            | Press::Rename { owner } => Some(*owner),
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
        let presses = vec![
            Press::Care {
                owner: u64::MAX,
                action: CareAction::Charge,
                level: CareLevel::Full,
            },
            Press::Care {
                owner: 1,
                action: CareAction::Play,
                level: CareLevel::Quick,
            },
            Press::Train {
                owner: 1,
                intensity: Intensity::Godmode,
            },
            Press::Mission {
                owner: 1,
                difficulty: MissionDifficulty::Hard,
            },
            Press::Inventory {
                owner: u64::MAX,
                page: 99,
                minute: 29_000_000,
            },
            Press::Equip {
                owner: 1,
                slot: Slot::UtilityModule,
            },
            Press::Release {
                owner: 1,
                token: 999_999,
            },
            Press::KeepPet { owner: 1 },
            Press::Rename { owner: 1 },
        ];
        for press in presses {
            let id = press.encode();
            assert!(id.len() <= 100, "{id} is {} chars", id.len());
            assert_eq!(decode(&id), Some(press), "{id}");
        }
        // The ids old messages carry still mean what they meant.
        assert_eq!(
            Press::Care {
                owner: 7,
                action: CareAction::Repair,
                level: CareLevel::Standard
            }
            .encode(),
            "1:care:7:repair:s"
        );
    }

    #[test]
    fn forged_or_unknown_words_are_no_press() {
        for id in [
            "1:care:1:charge:x",
            "1:care:1:polish:s",
            "1:care:1:charge",
            "1:care:1:charge:s:extra",
            "1:train:1:nap",
            "1:mission:1:impossible",
            "1:equip:1:hat",
            "1:inv:1:x:2",
            "1:release:1:abc",
            "1:keep",
            "1:keep:me",
        ] {
            assert_eq!(decode(id), None, "{id}");
        }
    }
}
