//! A slash command as the adapter sees it, whatever the transport: who, which command, which
//! options. Discord interactions and console lines both become one of these.

use std::collections::BTreeMap;

use allspark_engine::{Actor, CommandId};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invocation {
    /// The idempotency key: Discord's interaction id, or the console's counter.
    pub id: CommandId,
    pub actor: Actor,
    pub name: String,
    pub options: BTreeMap<String, String>,
}

impl Invocation {
    pub fn option(&self, name: &str) -> Option<&str> {
        self.options.get(name).map(String::as_str)
    }
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
    pub fn required(&self, option: &str) -> Result<&str, InvocationError> {
        self.option(option)
            .ok_or_else(|| InvocationError::MissingOption {
                command: self.name.clone(),
                option: option.to_string(),
            })
    }

    pub fn required_i64(&self, option: &str) -> Result<i64, InvocationError> {
        let text = self.required(option)?;
        text.trim().parse().map_err(|_| InvocationError::BadOption {
            option: option.to_string(),
            expected: "a whole number",
            got: text.to_string(),
        })
    }

    /// A user option: a Discord user id, or a `<@id>` mention.
    pub fn required_user(&self, option: &str) -> Result<u64, InvocationError> {
        let text = self.required(option)?;
        let digits = text
            .trim()
            .trim_start_matches("<@")
            .trim_start_matches('!')
            .trim_end_matches('>');
        digits.parse().map_err(|_| InvocationError::BadOption {
            option: option.to_string(),
            expected: "a user (mention or id)",
            got: text.to_string(),
        })
    }
}
