//! The quiz's roles: `/analysis_roles` maps a quiz result to a server role (Manage Roles), and
//! the role worker gives it. A role is refused when it would hand anything out: `@everyone`,
//! a role an integration manages, a role that grants any permission, or one the bot itself
//! uses as a gate (the recruiters' roles); the original bot gave its own gate role to anyone
//! who took the quiz.
//!
//! A quiz taken in a mapped server records `QuizRoleRequested` (the intent); the worker adds
//! the role and removes the other results' (`PUT`/`DELETE
//! /guilds/{guild}/members/{user}/roles/{role}`, which Discord treats as idempotent, so a
//! retry after a crash is harmless) and answers with `QuizRoleResult`, whose id is derived
//! from the request so it is decided once. Requests left pending by a stop are carried out at
//! the next start ([`sweep`]). Nothing here runs inside the engine or in a replay.

use std::time::Duration;

use allspark_engine::social::{self, RoleRequest, SocialCommand, SparkFaction};
use allspark_engine::{Actor, Command, Snowflake};

use crate::app::{refuse, App, Handled};
use crate::invocation::{permissions, Invocation, Options};
use crate::reply::{Embed, Reply, Response};

/// The choices of the faction option.
pub const FACTIONS: &[(&str, &str)] = &[
    ("Autobot", "autobot"),
    ("Decepticon", "decepticon"),
    ("Maverick", "maverick"),
];

fn faction(id: &str) -> Option<SparkFaction> {
    SparkFaction::ALL.iter().copied().find(|f| f.id() == id)
}

/// `/analysis_roles [faction] [role]`: with both, maps the result to the role; with a faction
/// alone, clears its role; with neither, shows the mapping.
pub async fn map(app: &App, inv: &Invocation, options: &Options<'_>) -> Handled {
    let bad = |error: crate::invocation::InvocationError| refuse(error.to_string());
    let guild = inv
        .place
        .guild
        .map(Snowflake)
        .ok_or_else(|| refuse("Quiz roles belong to a server: use this in one."))?;
    let wanted = options
        .word("faction", &["autobot", "decepticon", "maverick"])
        .map_err(bad)?
        .and_then(faction);
    let role = options.role("role").map_err(bad)?;
    if let Some(faction) = wanted {
        if !inv.operator && !inv.place.may(permissions::MANAGE_ROLES) {
            return Err(refuse(
                "Mapping quiz roles needs the Manage Roles permission.",
            ));
        }
        if let Some(role) = role {
            check_role(app, inv, guild, role)?;
        }
        app.execute(
            inv,
            Command::Social(SocialCommand::MapQuizRole {
                guild,
                faction,
                role: role.map(Snowflake),
            }),
        )
        .await?;
    } else if role.is_some() {
        return Err(refuse("Say which quiz result the role is for (`faction`)."));
    }
    let roles = app
        .read(move |w| social::view::quiz_roles(w, guild))
        .await?;
    Ok(Response::Message(mapping(&roles)))
}

/// Why a role may not be given for a quiz result, if it may not.
fn check_role(app: &App, inv: &Invocation, guild: Snowflake, role: u64) -> Result<(), Response> {
    if role == guild.0 {
        return Err(refuse("@everyone already has everyone; pick another role."));
    }
    let Some(resolved) = inv.place.roles.get(&role) else {
        return Err(refuse(
            "Discord didn't say what that role is; pick it from the list.",
        ));
    };
    if resolved.managed {
        return Err(refuse(
            "That role is managed by an integration; nobody can give it out.",
        ));
    }
    if resolved.permissions != 0 {
        return Err(refuse(
            "That role grants permissions, so it gates something; quiz roles must grant none.",
        ));
    }
    if app.recruit.gate_roles().contains(&role) {
        return Err(refuse(
            "That role lets members recruit here; a quiz must never hand it out.",
        ));
    }
    Ok(())
}

/// The server's quiz roles.
pub fn mapping(roles: &[(SparkFaction, Snowflake)]) -> Reply {
    let lines: Vec<String> = SparkFaction::ALL
        .iter()
        .map(|f| {
            let role = roles
                .iter()
                .find(|(g, _)| g == f)
                .map_or("no role".to_string(), |(_, r)| format!("<@&{r}>"));
            format!("**{}**: {role}", f.name())
        })
        .collect();
    let mut reply = Reply::embed(Embed {
        title: Some("🧭 Faction quiz roles".into()),
        description: Some(format!(
            "{}\n\nWhoever takes /analysis here gets their result's role (and loses the others').",
            lines.join("\n")
        )),
        color: Some(crate::reply::color::NEUTRAL),
        ..Embed::default()
    });
    reply.ephemeral = true;
    reply
}

/// The role worker's settings: Discord's REST base and the bot token (without `Bot `).
#[derive(Clone, Debug)]
pub struct RoleWorker {
    pub api_base: String,
    pub token: Option<String>,
    pub http: reqwest::Client,
}

/// Gives the role a request asks for, takes away the others, and records what came of it.
pub async fn carry_out(app: &App, worker: Option<&RoleWorker>, request: RoleRequest) {
    let (granted, reason) = match worker {
        Some(worker) => match apply(worker, &request).await {
            Ok(()) => (true, None),
            Err(reason) => (false, Some(reason)),
        },
        None => (
            false,
            Some("no Discord bot connection is configured to give roles".to_string()),
        ),
    };
    let id = crate::worker::derived_id("quiz-role", &[request.request]);
    let command = Command::Social(SocialCommand::QuizRoleResult {
        request: request.request,
        granted,
        reason,
    });
    let envelope = app.engine.envelope(id, Actor::System, command);
    if let Err(error) = app.engine.execute(envelope).await {
        tracing::warn!(%error, "could not record a quiz role's result");
    }
}

async fn apply(worker: &RoleWorker, request: &RoleRequest) -> Result<(), String> {
    let token = worker
        .token
        .as_deref()
        .ok_or_else(|| "no bot token is configured to give roles".to_string())?;
    let base = worker.api_base.trim_end_matches('/');
    let url = |role: Snowflake| {
        format!(
            "{base}/guilds/{}/members/{}/roles/{role}",
            request.guild, request.player
        )
    };
    let send = |builder: reqwest::RequestBuilder| async move {
        let answer = builder
            .header("Authorization", format!("Bot {token}"))
            .header("X-Audit-Log-Reason", "faction quiz result")
            .timeout(Duration::from_secs(15))
            .send()
            .await
            .map_err(|error| format!("could not reach Discord: {error}"))?;
        let status = answer.status();
        if status.is_success() || status == reqwest::StatusCode::NOT_FOUND {
            return Ok(status);
        }
        let text = answer.text().await.unwrap_or_default();
        Err(format!(
            "Discord answered {status}: {}",
            crate::view::truncate(&text, 120)
        ))
    };
    let status = send(worker.http.put(url(request.role))).await?;
    if status == reqwest::StatusCode::NOT_FOUND {
        return Err("the member or the role is gone".to_string());
    }
    for role in &request.remove {
        // A role the member doesn't have, or that is gone, is already removed.
        send(worker.http.delete(url(*role))).await?;
    }
    Ok(())
}

/// Carries out every request a stop left pending. Returns how many there were.
pub async fn sweep(app: &App, worker: Option<&RoleWorker>) -> usize {
    let Ok(pending) = app.engine.query(social::view::pending_role_requests).await else {
        return 0;
    };
    let n = pending.len();
    for request in pending {
        carry_out(app, worker, request).await;
    }
    n
}

/// What the quiz's result says of the role it asked for.
pub fn role_line(events: &[allspark_engine::Event]) -> Option<String> {
    events.iter().find_map(|event| match event {
        allspark_engine::Event::Social(social::SocialEvent::QuizRoleRequested { role, .. }) => {
            Some(format!(
                "This server gives that result <@&{role}>: it's on its way."
            ))
        }
        _ => None,
    })
}
