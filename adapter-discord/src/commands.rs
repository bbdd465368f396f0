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

/// Declares an area's slash commands: an enum with a variant per command, its registered
/// name, `ALL` (what the area registers) and `parse`. The area's `spec` and `slash` match on
/// the enum, so a command that is registered is handled and one that is handled is registered.
macro_rules! slash_commands {
    ($(#[$meta:meta])* pub enum $name:ident { $($variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $($variant,)+
        }

        impl $name {
            /// Every command of the area, in the order `/help` lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The name Discord shows after the slash.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            pub fn parse(name: &str) -> Option<$name> {
                match name {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }
    };
}
pub(crate) use slash_commands;

/// Discord allows 100 global chat-input commands; the table stays below this, leaving room.
pub const COMMANDS_MAX: usize = 95;

pub(crate) fn option(
    name: &'static str,
    description: &'static str,
    kind: Kind,
    required: bool,
) -> OptionSpec {
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

pub(crate) fn choice(
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

pub(crate) fn amount(
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

pub(crate) fn command(
    name: &'static str,
    description: &'static str,
    options: Vec<OptionSpec>,
) -> CommandSpec {
    CommandSpec {
        name,
        description,
        options,
        operator: false,
    }
}

/// Every command, in the order `/help` lists them: assembled from the areas (`areas.rs`).
pub fn all() -> Vec<CommandSpec> {
    crate::areas::commands()
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
            // No permission bits: only administrators see the command until a server's
            // settings say otherwise. Discord's OpenAPI description types the field as an
            // integer (its docs show the string "0"; both mean the same set of bits).
            command["default_member_permissions"] = json!(0);
        }
        command
    }
}

/// The body of `PUT /applications/{id}/commands`: every command at once.
pub fn registration_payload() -> Value {
    Value::Array(all().iter().map(CommandSpec::to_discord).collect())
}
