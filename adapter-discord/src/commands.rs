//! The slash commands AllSpark registers with Discord: names, descriptions, options and their
//! choices. One table feeds the registration payload (`allspark commands export`), the
//! console's help and the checks the console applies before dispatch ([`CommandSpec::check`],
//! what a Discord client enforces before it sends anything), so what a person can type and
//! what Discord shows never drift apart.

use std::collections::BTreeMap;

use serde_json::{json, Value};

/// Option types, as Discord numbers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text = 3,
    Integer = 4,
    User = 6,
    Role = 8,
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
    /// The most characters a text option takes.
    pub max_length: Option<usize>,
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
        max_length: None,
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

/// A text option of at most `max_length` characters.
pub(crate) fn text(
    name: &'static str,
    description: &'static str,
    required: bool,
    max_length: usize,
) -> OptionSpec {
    OptionSpec {
        max_length: Some(max_length),
        ..option(name, description, Kind::Text, required)
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
        if let Some(max_length) = self.max_length {
            option["max_length"] = json!(max_length);
        }
        option
    }

    /// Checks one given value as a Discord client would before sending it, and returns the
    /// value Discord would send (a choice's value, a number without spaces).
    fn check(&self, value: &str) -> Result<String, OptionProblem> {
        let got = || allspark_engine::ids::quote(value);
        if !self.choices.is_empty() {
            let wanted = value.trim();
            return self
                .choices
                .iter()
                .find(|(name, value)| {
                    value.eq_ignore_ascii_case(wanted) || name.eq_ignore_ascii_case(wanted)
                })
                .map(|(_, value)| value.to_string())
                .ok_or_else(|| OptionProblem::NotAChoice {
                    option: self.name,
                    choices: self.choices,
                    got: got(),
                });
        }
        match self.kind {
            Kind::Integer => {
                let Ok(number) = value.trim().parse::<i64>() else {
                    return Err(OptionProblem::NotA {
                        option: self.name,
                        expected: "a whole number",
                        got: got(),
                    });
                };
                if let Some(min) = self.min.filter(|min| number < *min) {
                    return Err(OptionProblem::TooSmall {
                        option: self.name,
                        min,
                        got: number,
                    });
                }
                if let Some(max) = self.max.filter(|max| number > *max) {
                    return Err(OptionProblem::TooLarge {
                        option: self.name,
                        max,
                        got: number,
                    });
                }
                Ok(number.to_string())
            }
            Kind::User => {
                let digits = value
                    .trim()
                    .trim_start_matches("<@")
                    .trim_start_matches('!')
                    .trim_end_matches('>');
                match digits.parse::<u64>() {
                    Ok(id) if id > 0 => Ok(id.to_string()),
                    _ => Err(OptionProblem::NotA {
                        option: self.name,
                        expected: "a user (mention or id)",
                        got: got(),
                    }),
                }
            }
            Kind::Role => {
                let digits = value.trim().trim_start_matches("<@&").trim_end_matches('>');
                match digits.parse::<u64>() {
                    Ok(id) if id > 0 => Ok(id.to_string()),
                    _ => Err(OptionProblem::NotA {
                        option: self.name,
                        expected: "a role (mention or id)",
                        got: got(),
                    }),
                }
            }
            Kind::Text => {
                let n_chars = value.chars().count();
                match self.max_length {
                    Some(max) if n_chars > max => Err(OptionProblem::TooLong {
                        option: self.name,
                        max,
                        got: n_chars,
                    }),
                    _ => Ok(value.to_string()),
                }
            }
        }
    }
}

/// Why a Discord client would not have sent these options: the console's refusal before
/// dispatch.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OptionProblem {
    #[error("/{command} has no option `{option}`; {}", known_options(.known))]
    Unknown {
        command: &'static str,
        option: String,
        known: Vec<&'static str>,
    },
    #[error("/{command} needs the option `{option}`")]
    Missing {
        command: &'static str,
        option: &'static str,
    },
    #[error("option `{option}` must be {expected}, got `{got}`")]
    NotA {
        option: &'static str,
        expected: &'static str,
        got: String,
    },
    #[error("option `{option}` must be at least {min} (got {got})")]
    TooSmall {
        option: &'static str,
        min: i64,
        got: i64,
    },
    #[error("option `{option}` must be at most {max} (got {got})")]
    TooLarge {
        option: &'static str,
        max: i64,
        got: i64,
    },
    #[error("option `{option}` takes at most {max} characters (got {got})")]
    TooLong {
        option: &'static str,
        max: usize,
        got: usize,
    },
    #[error("option `{option}` must be one of: {} (got `{got}`)", choice_list(.choices))]
    NotAChoice {
        option: &'static str,
        choices: &'static [(&'static str, &'static str)],
        got: String,
    },
}

fn known_options(known: &[&str]) -> String {
    if known.is_empty() {
        return "it takes no options".to_string();
    }
    let known: Vec<String> = known.iter().map(|name| format!("`{name}`")).collect();
    format!("its options are {}", known.join(", "))
}

/// Choices by the names Discord shows, each with the value to type where the two differ.
pub fn choice_list(choices: &[(&str, &str)]) -> String {
    let choices: Vec<String> = choices
        .iter()
        .map(|(name, value)| {
            if name.eq_ignore_ascii_case(value) {
                name.to_string()
            } else {
                format!("{name} = {value}")
            }
        })
        .collect();
    choices.join(", ")
}

impl CommandSpec {
    /// What a Discord client checks before it sends a command, from this table: no option the
    /// command doesn't have, every required option given, numbers whole and within their
    /// range, text within its length, a choice one of those listed (by value or by name).
    /// Returns the options as Discord would send them (a choice as its value). An empty value
    /// is no value, as an option left blank is. The table has no subcommands, so none are
    /// checked.
    pub fn check(
        &self,
        options: &BTreeMap<String, String>,
    ) -> Result<BTreeMap<String, String>, OptionProblem> {
        if let Some(unknown) = options
            .keys()
            .find(|given| !self.options.iter().any(|option| option.name == *given))
        {
            return Err(OptionProblem::Unknown {
                command: self.name,
                option: allspark_engine::ids::quote(unknown),
                known: self.options.iter().map(|option| option.name).collect(),
            });
        }
        let mut checked = BTreeMap::new();
        for option in &self.options {
            match options.get(option.name).filter(|value| !value.is_empty()) {
                Some(value) => {
                    checked.insert(option.name.to_string(), option.check(value)?);
                }
                None if option.required => {
                    return Err(OptionProblem::Missing {
                        command: self.name,
                        option: option.name,
                    })
                }
                None => {}
            }
        }
        Ok(checked)
    }

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

/// The body of `PUT /applications/{id}/commands`: every command at once, the slash commands
/// then the message commands (a message's Apps menu).
pub fn registration_payload() -> Value {
    let mut commands: Vec<Value> = all().iter().map(CommandSpec::to_discord).collect();
    commands.extend(
        crate::social::MessageCommand::ALL
            .iter()
            .map(|command| message_command(command.name())),
    );
    Value::Array(commands)
}

/// The registration of a message command: a name (spaces and capitals allowed) and type 3,
/// with no description or options (Discord requires both empty).
pub fn message_command(name: &str) -> Value {
    json!({ "name": name, "type": 3, "description": "" })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values Discord would accept for an option, from its entry in the table.
    fn good_value(option: &OptionSpec) -> String {
        match (option.kind, option.choices.first(), option.min) {
            (_, Some((_, value)), _) => value.to_string(),
            (Kind::Integer, None, min) => min.unwrap_or(1).to_string(),
            (Kind::User, None, _) => "<@42>".to_string(),
            (Kind::Role, None, _) => "<@&42>".to_string(),
            (Kind::Text, None, _) => "x".to_string(),
        }
    }

    fn all_given(command: &CommandSpec) -> BTreeMap<String, String> {
        command
            .options
            .iter()
            .map(|option| (option.name.to_string(), good_value(option)))
            .collect()
    }

    /// Every command and option in the registration table, checked as a Discord client would:
    /// what fits passes, each kind of misfit is refused with its reason.
    #[test]
    fn every_option_in_the_table_is_checked_as_discord_would() {
        for command in all() {
            let name = command.name;
            assert!(command.check(&all_given(&command)).is_ok(), "/{name}");
            let mut unknown = all_given(&command);
            unknown.insert("no_such_option".into(), "1".into());
            assert!(
                matches!(command.check(&unknown), Err(OptionProblem::Unknown { .. })),
                "/{name}"
            );
            for option in &command.options {
                let with = |value: &str| {
                    let mut given = all_given(&command);
                    given.insert(option.name.to_string(), value.to_string());
                    command.check(&given)
                };
                let mut without = all_given(&command);
                without.remove(option.name);
                match command.check(&without) {
                    Err(OptionProblem::Missing {
                        option: missing, ..
                    }) => {
                        assert!(option.required && missing == option.name, "/{name}")
                    }
                    Ok(_) => assert!(!option.required, "/{name} {}", option.name),
                    Err(other) => panic!("/{name} {}: {other}", option.name),
                }
                for (shown, value) in option.choices {
                    let checked = with(&shown.to_uppercase());
                    assert_eq!(
                        checked.map(|given| given.get(option.name).cloned()),
                        Ok(Some(value.to_string())),
                        "/{name} {}: a choice by its name is its value",
                        option.name
                    );
                }
                if !option.choices.is_empty() {
                    assert!(matches!(
                        with("not_a_choice"),
                        Err(OptionProblem::NotAChoice { .. })
                    ));
                    continue;
                }
                match option.kind {
                    Kind::Integer => {
                        assert!(matches!(with("lots"), Err(OptionProblem::NotA { .. })));
                        if let Some(min) = option.min {
                            assert!(matches!(
                                with(&(min - 1).to_string()),
                                Err(OptionProblem::TooSmall { .. })
                            ));
                        }
                        if let Some(max) = option.max {
                            assert!(with(&max.to_string()).is_ok());
                            assert!(matches!(
                                with(&(max + 1).to_string()),
                                Err(OptionProblem::TooLarge { .. })
                            ));
                        }
                    }
                    Kind::User | Kind::Role => {
                        assert!(with("42").is_ok());
                        assert!(matches!(with("bob"), Err(OptionProblem::NotA { .. })));
                    }
                    Kind::Text => {
                        if let Some(max) = option.max_length {
                            assert!(with(&"é".repeat(max)).is_ok());
                            assert!(matches!(
                                with(&"é".repeat(max + 1)),
                                Err(OptionProblem::TooLong { .. })
                            ));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_wrong_choice_lists_the_choices_by_name() {
        let problem = OptionProblem::NotAChoice {
            option: "size",
            choices: &[("2 vs 2", "2"), ("Four", "four")],
            got: "9".into(),
        };
        assert_eq!(
            problem.to_string(),
            "option `size` must be one of: 2 vs 2 = 2, Four (got `9`)"
        );
    }
}
