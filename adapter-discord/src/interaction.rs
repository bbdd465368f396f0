//! Discord's interaction JSON, read into an [`Invocation`] (and nothing more: the adapter only
//! needs who acted, on what, with which options). Both the HTTP endpoint and the gateway hand
//! their payloads here, so the two transports can't disagree about what a payload means.

use std::collections::BTreeMap;

use allspark_engine::CommandId;
use serde_json::Value;

use crate::invocation::{Invocation, Kind, Place, ResolvedRole, TargetMessage};

/// Interaction types, as Discord numbers them.
pub const PING: u64 = 1;
pub const APPLICATION_COMMAND: u64 = 2;
pub const MESSAGE_COMPONENT: u64 = 3;
pub const AUTOCOMPLETE: u64 = 4;
pub const MODAL_SUBMIT: u64 = 5;

/// Application command types, as Discord numbers them (`data.type`).
pub const MESSAGE_COMMAND: u64 = 3;

/// What an incoming payload is.
#[derive(Debug, PartialEq, Eq)]
pub enum Incoming {
    Ping,
    Invocation {
        invocation: Box<Invocation>,
        /// Needed to follow up after a deferred reply.
        token: String,
        application_id: String,
    },
}

/// Why a payload isn't an interaction we can read.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum PayloadError {
    #[error("the body is not JSON")]
    NotJson,
    #[error("the payload lacks `{0}`")]
    Missing(&'static str),
    #[error("interaction type {0} is not one this bot handles")]
    UnknownType(u64),
}

fn snowflake(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::String(text) => text.parse().ok(),
        Value::Number(number) => number.as_u64(),
        _ => None,
    }
}

fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Flattens options (including subcommand nesting) into name -> text value.
fn options(
    list: Option<&Value>,
    into: &mut BTreeMap<String, String>,
    focused: &mut Option<(String, String)>,
) {
    let Some(Value::Array(items)) = list else {
        return;
    };
    for item in items {
        let Some(name) = item.get("name").and_then(Value::as_str) else {
            continue;
        };
        if let Some(value) = item.get("value") {
            if item.get("focused").and_then(Value::as_bool) == Some(true) {
                *focused = Some((name.to_string(), text(value)));
            }
            into.insert(name.to_string(), text(value));
        }
        options(item.get("options"), into, focused);
    }
}

/// Where the interaction happened, from its payload.
fn place(payload: &Value) -> Place {
    let mut roles = std::collections::BTreeMap::new();
    if let Some(Value::Object(resolved)) = payload.pointer("/data/resolved/roles") {
        for (id, role) in resolved {
            if let Ok(id) = id.parse() {
                roles.insert(
                    id,
                    ResolvedRole {
                        permissions: snowflake(role.get("permissions")).unwrap_or_default(),
                        managed: role.get("managed").and_then(Value::as_bool) == Some(true),
                    },
                );
            }
        }
    }
    Place {
        guild: snowflake(payload.get("guild_id")),
        channel: snowflake(payload.get("channel_id"))
            .or_else(|| snowflake(payload.pointer("/channel/id"))),
        permissions: snowflake(payload.pointer("/member/permissions")).unwrap_or_default(),
        roles,
    }
}

/// Reads a payload. `operator` is the configured operator's user id, if any.
pub fn parse(body: &[u8], operator: Option<u64>) -> Result<Incoming, PayloadError> {
    let payload: Value = serde_json::from_slice(body).map_err(|_| PayloadError::NotJson)?;
    let kind = payload
        .get("type")
        .and_then(Value::as_u64)
        .ok_or(PayloadError::Missing("type"))?;
    if kind == PING {
        return Ok(Incoming::Ping);
    }
    let id = snowflake(payload.get("id")).ok_or(PayloadError::Missing("id"))?;
    let user = snowflake(payload.pointer("/member/user/id"))
        .or_else(|| snowflake(payload.pointer("/user/id")))
        .ok_or(PayloadError::Missing("member.user.id or user.id"))?;
    let token = payload
        .get("token")
        .and_then(Value::as_str)
        .ok_or(PayloadError::Missing("token"))?
        .to_string();
    let application_id = snowflake(payload.get("application_id"))
        .map(|id| id.to_string())
        .unwrap_or_default();
    let data = payload.get("data").ok_or(PayloadError::Missing("data"))?;
    let kind = match kind {
        APPLICATION_COMMAND
            if data.get("type").and_then(Value::as_u64) == Some(MESSAGE_COMMAND) =>
        {
            let name = data
                .get("name")
                .and_then(Value::as_str)
                .ok_or(PayloadError::Missing("data.name"))?
                .to_string();
            let target =
                snowflake(data.get("target_id")).ok_or(PayloadError::Missing("data.target_id"))?;
            let message = data
                .pointer(&format!("/resolved/messages/{target}"))
                .ok_or(PayloadError::Missing("data.resolved.messages"))?;
            Kind::Message {
                name,
                message: Box::new(TargetMessage {
                    id: target,
                    channel: snowflake(message.get("channel_id"))
                        .or_else(|| snowflake(payload.get("channel_id")))
                        .unwrap_or_default(),
                    author: snowflake(message.pointer("/author/id")).unwrap_or_default(),
                    bot: message.pointer("/author/bot").and_then(Value::as_bool) == Some(true)
                        || message.get("webhook_id").is_some_and(|w| !w.is_null()),
                    content: message
                        .get("content")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                }),
            }
        }
        APPLICATION_COMMAND | AUTOCOMPLETE => {
            let name = data
                .get("name")
                .and_then(Value::as_str)
                .ok_or(PayloadError::Missing("data.name"))?
                .to_string();
            let mut values = BTreeMap::new();
            let mut focused = None;
            options(data.get("options"), &mut values, &mut focused);
            // User options arrive as ids; resolved user objects are not needed.
            if kind == AUTOCOMPLETE {
                let (option, partial) = focused.unwrap_or_default();
                Kind::Autocomplete {
                    name,
                    option,
                    partial,
                }
            } else {
                Kind::Slash {
                    name,
                    options: values,
                }
            }
        }
        MESSAGE_COMPONENT => {
            let custom_id = data
                .get("custom_id")
                .and_then(Value::as_str)
                .ok_or(PayloadError::Missing("data.custom_id"))?
                .to_string();
            let values = match data.get("values") {
                Some(Value::Array(values)) => values.iter().map(text).collect(),
                _ => Vec::new(),
            };
            Kind::Press { custom_id, values }
        }
        MODAL_SUBMIT => {
            let custom_id = data
                .get("custom_id")
                .and_then(Value::as_str)
                .ok_or(PayloadError::Missing("data.custom_id"))?
                .to_string();
            let mut fields = BTreeMap::new();
            if let Some(Value::Array(rows)) = data.get("components") {
                for row in rows {
                    let inputs = match row.get("components") {
                        Some(Value::Array(inputs)) => inputs.clone(),
                        _ => row.get("component").cloned().into_iter().collect(),
                    };
                    for input in inputs {
                        if let (Some(id), Some(value)) = (
                            input.get("custom_id").and_then(Value::as_str),
                            input.get("value"),
                        ) {
                            fields.insert(id.to_string(), text(value));
                        }
                    }
                }
            }
            Kind::Form { custom_id, fields }
        }
        other => return Err(PayloadError::UnknownType(other)),
    };
    crate::metrics::saw(user, snowflake(payload.get("guild_id")));
    Ok(Incoming::Invocation {
        invocation: Box::new(Invocation {
            id: CommandId(u128::from(id)),
            user,
            operator: operator == Some(user),
            roles: match payload.pointer("/member/roles") {
                Some(Value::Array(roles)) => {
                    roles.iter().filter_map(|r| snowflake(Some(r))).collect()
                }
                _ => Vec::new(),
            },
            place: place(&payload),
            kind,
        }),
        token,
        application_id,
    })
}
