//! An interaction as the adapter sees it, whatever the transport: who, and what they did (a
//! slash command, a button or menu press, a form, an autocomplete request). Discord
//! interactions and console lines both become one of these.

use std::collections::BTreeMap;

use allspark_engine::{Actor, CommandId, PlayerId};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invocation {
    /// The idempotency key: Discord's interaction id, or the console's counter.
    pub id: CommandId,
    /// The Discord user id of whoever acted.
    pub user: u64,
    /// True when `user` is the configured operator: operator commands run as the system.
    pub operator: bool,
    /// The member's role ids in the guild (empty in DMs and the console).
    pub roles: Vec<u64>,
    /// Where it happened and what the member may do there.
    pub place: Place,
    pub kind: Kind,
}

/// Where an invocation happened: the server and channel (none in DMs), the member's
/// permissions there, and the roles its options name as Discord resolved them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Place {
    pub guild: Option<u64>,
    pub channel: Option<u64>,
    /// The member's permissions in the channel: Discord's bit set (0 in DMs).
    pub permissions: u64,
    /// Roles named by the options, by id.
    pub roles: BTreeMap<u64, ResolvedRole>,
}

/// What Discord says of a role an option names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResolvedRole {
    /// The permissions the role grants (Discord's bit set).
    pub permissions: u64,
    /// Managed by an integration (a bot's own role, a booster role): nobody can give it.
    pub managed: bool,
}

/// Discord's permission bits the adapter reads.
pub mod permissions {
    pub const ADMINISTRATOR: u64 = 1 << 3;
    pub const MANAGE_GUILD: u64 = 1 << 5;
    pub const MANAGE_MESSAGES: u64 = 1 << 13;
    pub const MANAGE_ROLES: u64 = 1 << 28;
}

impl Place {
    /// Whether the member has `permission` here (administrators have them all).
    pub fn may(&self, permission: u64) -> bool {
        self.permissions & (permission | permissions::ADMINISTRATOR) != 0
    }
}

/// The message a message command (a context-menu command) targets, as Discord resolved it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TargetMessage {
    pub id: u64,
    pub channel: u64,
    pub author: u64,
    /// Whether a bot or a webhook wrote it.
    pub bot: bool,
    pub content: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Slash {
        name: String,
        options: BTreeMap<String, String>,
    },
    Press {
        custom_id: String,
        values: Vec<String>,
    },
    Form {
        custom_id: String,
        fields: BTreeMap<String, String>,
    },
    Autocomplete {
        name: String,
        option: String,
        partial: String,
    },
    /// A message command: `name` chosen from a message's Apps menu.
    Message {
        name: String,
        message: Box<TargetMessage>,
    },
}

/// Why an invocation could not become a command: shown to the person, nothing changes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvocationError {
    #[error("unknown command /{0}; try /help")]
    UnknownCommand(String),
    #[error("/{command} needs the option `{option}`")]
    MissingOption { command: String, option: String },
    #[error("option `{option}` must be {expected}, got `{got}`")]
    BadOption {
        option: String,
        expected: &'static str,
        got: String,
    },
}

impl Invocation {
    pub fn player(&self) -> PlayerId {
        PlayerId(self.user)
    }

    pub fn actor(&self) -> Actor {
        Actor::Player(self.player())
    }

    /// The actor of an operator command (checked with `operator` first): recorded as done by
    /// this user, with the operator's rights.
    pub fn operator_actor(&self) -> Actor {
        Actor::Operator(self.player())
    }
}

/// A slash command's options, with typed accessors that explain what's wrong.
pub struct Options<'a> {
    pub command: &'a str,
    pub values: &'a BTreeMap<String, String>,
}

impl Options<'_> {
    pub fn get(&self, option: &str) -> Option<&str> {
        self.values
            .get(option)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    pub fn required(&self, option: &str) -> Result<&str, InvocationError> {
        self.get(option)
            .ok_or_else(|| InvocationError::MissingOption {
                command: self.command.to_string(),
                option: option.to_string(),
            })
    }

    pub fn integer(&self, option: &str) -> Result<Option<i64>, InvocationError> {
        match self.get(option) {
            None => Ok(None),
            Some(text) => text
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| InvocationError::BadOption {
                    option: option.to_string(),
                    expected: "a whole number",
                    got: allspark_engine::ids::quote(text),
                }),
        }
    }

    pub fn required_integer(&self, option: &str) -> Result<i64, InvocationError> {
        self.required(option)?;
        self.integer(option).map(|value| value.unwrap_or_default())
    }

    /// A user option: a Discord user id, or a `<@id>` mention.
    pub fn user(&self, option: &str) -> Result<Option<u64>, InvocationError> {
        let Some(text) = self.get(option) else {
            return Ok(None);
        };
        let digits = text
            .trim()
            .trim_start_matches("<@")
            .trim_start_matches('!')
            .trim_end_matches('>');
        digits
            .parse()
            .map(Some)
            .map_err(|_| InvocationError::BadOption {
                option: option.to_string(),
                expected: "a user (mention or id)",
                got: allspark_engine::ids::quote(text),
            })
    }

    /// A role option: a Discord role id, or a `<@&id>` mention.
    pub fn role(&self, option: &str) -> Result<Option<u64>, InvocationError> {
        let Some(text) = self.get(option) else {
            return Ok(None);
        };
        let digits = text.trim().trim_start_matches("<@&").trim_end_matches('>');
        digits
            .parse()
            .map(Some)
            .map_err(|_| InvocationError::BadOption {
                option: option.to_string(),
                expected: "a role (mention or id)",
                got: allspark_engine::ids::quote(text),
            })
    }

    pub fn required_user(&self, option: &str) -> Result<u64, InvocationError> {
        self.required(option)?;
        self.user(option).map(|value| value.unwrap_or_default())
    }

    /// One of the allowed words.
    pub fn word(
        &self,
        option: &str,
        allowed: &[&'static str],
    ) -> Result<Option<&'static str>, InvocationError> {
        let Some(text) = self.get(option) else {
            return Ok(None);
        };
        allowed
            .iter()
            .find(|word| word.eq_ignore_ascii_case(text.trim()))
            .copied()
            .map(Some)
            .ok_or_else(|| InvocationError::BadOption {
                option: option.to_string(),
                expected: "one of the listed choices",
                got: allspark_engine::ids::quote(text),
            })
    }

    pub fn required_word(
        &self,
        option: &str,
        allowed: &[&'static str],
    ) -> Result<&'static str, InvocationError> {
        self.required(option)?;
        self.word(option, allowed)
            .map(|word| word.unwrap_or(allowed[0]))
    }

    /// The value of a word from a table of `(word, value)`, if the option was given.
    pub fn choice<T: Copy>(
        &self,
        option: &str,
        table: &[(&'static str, T)],
    ) -> Result<Option<T>, InvocationError> {
        let words: Vec<&'static str> = table.iter().map(|(word, _)| *word).collect();
        let word = self.word(option, &words)?;
        Ok(word.and_then(|word| table.iter().find(|(w, _)| *w == word).map(|(_, v)| *v)))
    }

    /// The value of a required word from a table of `(word, value)`.
    pub fn required_choice<T: Copy>(
        &self,
        option: &str,
        table: &[(&'static str, T)],
    ) -> Result<T, InvocationError> {
        self.required(option)?;
        self.choice(option, table)?
            .ok_or_else(|| InvocationError::MissingOption {
                command: self.command.to_string(),
                option: option.to_string(),
            })
    }
}
