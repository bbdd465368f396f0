//! The slash commands AllSpark registers with Discord: names, descriptions, options and their
//! choices. One table feeds both the registration payload (`allspark commands export`) and the
//! console's help, so what a person can type and what Discord shows never drift apart.

use serde_json::{json, Value};

/// Option types, as Discord numbers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text = 3,
    Integer = 4,
    User = 6,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionSpec {
    pub name: &'static str,
    pub description: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// Fixed choices: (shown name, value).
    pub choices: &'static [(&'static str, &'static str)],
    pub autocomplete: bool,
    pub min: Option<i64>,
    pub max: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandSpec {
    pub name: &'static str,
    pub description: &'static str,
    pub options: Vec<OptionSpec>,
    /// Operator commands are hidden from members without the Administrator permission.
    pub operator: bool,
}

const FACTIONS: &[(&str, &str)] = &[("Autobot", "autobot"), ("Decepticon", "decepticon")];
const DURATIONS: &[(&str, &str)] = &[
    ("Quick (15 min)", "quick"),
    ("Standard (30 min)", "standard"),
    ("Full (1 hour)", "full"),
];
const INTENSITIES: &[(&str, &str)] = &[
    ("Average", "average"),
    ("Intense", "intense"),
    ("Godmode", "godmode"),
];
const MISSIONS: &[(&str, &str)] = &[("Easy", "easy"), ("Average", "average"), ("Hard", "hard")];
const SLOTS: &[(&str, &str)] = &[
    ("Chassis plating", "chassis_plating"),
    ("Energy core", "energy_core"),
    ("Utility module", "utility_module"),
];
const SLOT_DIFFICULTIES: &[(&str, &str)] =
    &[("Easy", "easy"), ("Medium", "medium"), ("Hard", "hard")];
const TEAM_SIZES: &[(&str, &str)] = &[("2 vs 2", "2"), ("3 vs 3", "3"), ("4 vs 4", "4")];
const TOURNAMENT_SIZES: &[(&str, &str)] = &[("4 players", "4"), ("8 players", "8")];
const BANK_ACTIONS: &[(&str, &str)] = &[
    ("Deposit", "deposit"),
    ("Withdraw", "withdraw"),
    ("Balance", "balance"),
];
const BOARDS: &[(&str, &str)] = &[
    ("Richest", "global"),
    ("Today", "daily"),
    ("This week", "weekly"),
    ("All time", "all_time"),
];

fn option(name: &'static str, description: &'static str, kind: Kind, required: bool) -> OptionSpec {
    OptionSpec {
        name,
        description,
        kind,
        required,
        choices: &[],
        autocomplete: false,
        min: None,
        max: None,
    }
}

fn choice(
    name: &'static str,
    description: &'static str,
    choices: &'static [(&'static str, &'static str)],
    required: bool,
) -> OptionSpec {
    OptionSpec {
        choices,
        ..option(name, description, Kind::Text, required)
    }
}

fn amount(
    name: &'static str,
    description: &'static str,
    required: bool,
    min: i64,
    max: i64,
) -> OptionSpec {
    OptionSpec {
        min: Some(min),
        max: Some(max),
        ..option(name, description, Kind::Integer, required)
    }
}

fn command(name: &'static str, description: &'static str, options: Vec<OptionSpec>) -> CommandSpec {
    CommandSpec {
        name,
        description,
        options,
        operator: false,
    }
}

/// Every command, in the order `/help` lists them.
pub fn all() -> Vec<CommandSpec> {
    vec![
        command("help", "What you can do in the AllSpark", vec![]),
        command("features", "A tour of the AllSpark's games", vec![]),
        command(
            "get_pet",
            "Adopt your robot pet",
            vec![choice(
                "faction",
                "Autobot (sturdy) or Decepticon (fierce)",
                FACTIONS,
                true,
            )],
        ),
        command("pet", "Your pet's dashboard", vec![]),
        command(
            "rename_pet",
            "Give your pet a name",
            vec![option(
                "name",
                "1 to 24 letters, digits or spaces",
                Kind::Text,
                true,
            )],
        ),
        command(
            "kill",
            "Release your pet for good (asks to confirm)",
            vec![],
        ),
        command(
            "charge_pet",
            "Recharge your pet's energy",
            vec![choice("duration", "How long to charge", DURATIONS, true)],
        ),
        command(
            "repair_pet",
            "Repair your pet's maintenance",
            vec![choice("duration", "How thorough a repair", DURATIONS, true)],
        ),
        command(
            "play",
            "Play with your pet",
            vec![choice("duration", "How long to play", DURATIONS, true)],
        ),
        command(
            "train",
            "Train your pet",
            vec![choice("intensity", "How hard to train", INTENSITIES, true)],
        ),
        command(
            "mission",
            "Send your pet on a mission",
            vec![choice(
                "difficulty",
                "Harder pays more and risks more",
                MISSIONS,
                true,
            )],
        ),
        command(
            "pet_equip",
            "Equip an item from your pet's inventory",
            vec![
                choice("slot", "Which slot", SLOTS, true),
                OptionSpec {
                    autocomplete: true,
                    ..option(
                        "item",
                        "The item (leave empty to pick from a list)",
                        Kind::Text,
                        false,
                    )
                },
            ],
        ),
        command(
            "pet_unequip",
            "Take an item off your pet (it goes back to the inventory)",
            vec![choice("slot", "Which slot", SLOTS, true)],
        ),
        command(
            "pet_equipment",
            "Your pet's equipment and inventory",
            vec![amount("page", "Inventory page", false, 1, 1_000)],
        ),
        command(
            "battle",
            "Fight an enemy with your pet",
            vec![OptionSpec {
                autocomplete: true,
                ..option(
                    "enemy",
                    "Leave empty to choose from a list",
                    Kind::Text,
                    false,
                )
            }],
        ),
        command("battle_info", "How battles work", vec![]),
        command(
            "group_battle",
            "Open a lobby for up to 4 players against one enemy",
            vec![OptionSpec {
                autocomplete: true,
                ..option(
                    "enemy",
                    "The boss, titan or monster to fight",
                    Kind::Text,
                    true,
                )
            }],
        ),
        command(
            "group_pvp",
            "Open a team battle lobby",
            vec![
                choice("size", "Players per side", TEAM_SIZES, true),
                amount(
                    "stake",
                    "Energon each player stakes (winners share)",
                    false,
                    0,
                    100_000,
                ),
            ],
        ),
        command(
            "pvp",
            "Challenge another player to a duel",
            vec![
                option("opponent", "Who to challenge", Kind::User, true),
                amount("stake", "Energon each of you stakes", false, 0, 100_000),
            ],
        ),
        command(
            "ffa_battle",
            "Open a free-for-all lobby (2 to 4 players)",
            vec![],
        ),
        command(
            "energon_challenge",
            "A free-for-all where everyone stakes energon",
            vec![amount(
                "amount",
                "Energon each player stakes",
                true,
                1,
                100_000,
            )],
        ),
        command(
            "tournament",
            "Open a single-elimination tournament",
            vec![choice("size", "How many players", TOURNAMENT_SIZES, true)],
        ),
        command("lobby", "Show the lobby you're waiting in", vec![]),
        command(
            "my_battle",
            "Your current battle, tournament match, queue or lobby",
            vec![],
        ),
        command(
            "ranked",
            "Join or leave the ranked duel queue",
            vec![choice(
                "action",
                "Join or leave",
                &[("Join", "join"), ("Leave", "leave")],
                true,
            )],
        ),
        command(
            "battle_stats",
            "Battle record and rating",
            vec![option("user", "Whose (default: yours)", Kind::User, false)],
        ),
        command("ladder", "The ranked duel ladder's top ten", vec![]),
        command(
            "spectate",
            "Watch someone's battle",
            vec![option("user", "Who to watch", Kind::User, true)],
        ),
        command(
            "scout",
            "Energon Rush: a safe look around for energon",
            vec![],
        ),
        command(
            "search",
            "Energon Rush: a risky dig for energon (pets help)",
            vec![],
        ),
        command("rush_info", "The current Energon Rush round", vec![]),
        command(
            "bank",
            "Your energon bank",
            vec![
                choice("action", "What to do", BANK_ACTIONS, true),
                amount("amount", "How much", false, 1, 1_000_000_000_000),
            ],
        ),
        command(
            "energon_history",
            "Your energon ledger",
            vec![amount("page", "Page", false, 1, 1_000)],
        ),
        command(
            "energon_stats",
            "Energon leaderboards",
            vec![choice("board", "Which board", BOARDS, false)],
        ),
        command(
            "send",
            "Send energon to another player",
            vec![
                option("to", "Who gets it", Kind::User, true),
                amount("amount", "How much", true, 1, 1_000_000_000_000),
            ],
        ),
        command(
            "slots",
            "The energon slot machine",
            vec![
                choice(
                    "difficulty",
                    "More symbols, bigger wins",
                    SLOT_DIFFICULTIES,
                    true,
                ),
                amount("bet", "Leave empty for a free spin", false, 10, 1_000),
            ],
        ),
        command(
            "slots_stats",
            "Slot machine record: spins, wins, jackpots, net result",
            vec![option("user", "Whose (default: yours)", Kind::User, false)],
        ),
        CommandSpec {
            operator: true,
            ..command(
                "grant",
                "Operator: mint energon into a player's wallet",
                vec![
                    option("user", "Who", Kind::User, true),
                    amount("amount", "How much", true, 1, 1_000_000_000_000),
                ],
            )
        },
        CommandSpec {
            operator: true,
            ..command(
                "admin_clear",
                "Operator: erase players for good (asks you to pick them, then to confirm)",
                Vec::new(),
            )
        },
        CommandSpec {
            operator: true,
            ..command(
                "fine",
                "Operator: burn energon from a player's wallet",
                vec![
                    option("user", "Who", Kind::User, true),
                    amount("amount", "How much", true, 1, 1_000_000_000_000),
                ],
            )
        },
    ]
}

pub fn find(name: &str) -> Option<CommandSpec> {
    all().into_iter().find(|command| command.name == name)
}

impl OptionSpec {
    fn to_discord(&self) -> Value {
        let mut option = json!({
            "type": self.kind as u8,
            "name": self.name,
            "description": self.description,
            "required": self.required,
        });
        if !self.choices.is_empty() {
            let choices: Vec<Value> = self
                .choices
                .iter()
                .map(|(name, value)| json!({ "name": name, "value": value }))
                .collect();
            option["choices"] = Value::Array(choices);
        }
        if self.autocomplete {
            option["autocomplete"] = json!(true);
        }
        if let Some(min) = self.min {
            option["min_value"] = json!(min);
        }
        if let Some(max) = self.max {
            option["max_value"] = json!(max);
        }
        option
    }
}

impl CommandSpec {
    pub fn to_discord(&self) -> Value {
        let mut command = json!({
            "name": self.name,
            "description": self.description,
            "type": 1,
            "options": self.options.iter().map(OptionSpec::to_discord).collect::<Vec<_>>(),
        });
        if self.operator {
            command["default_member_permissions"] = json!(8);
        }
        command
    }
}

/// The body of `PUT /applications/{id}/commands`: every command at once.
pub fn registration_payload() -> Value {
    Value::Array(all().iter().map(CommandSpec::to_discord).collect())
}
