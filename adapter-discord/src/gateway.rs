//! `allspark run`: the gateway transport, through serenity 0.12.
//!
//! Serenity delivers each INTERACTION_CREATE; the handler turns serenity's model back into
//! Discord's JSON (serenity serializes its model faithfully), hands it to the same parser the
//! HTTP endpoint uses, runs the one dispatch, and answers with the same callback body. Minimal
//! intents: interactions need none. The REST base can be pointed elsewhere (serenity's HTTP
//! "proxy"), which is how the tests run the real client against a local fake of Discord.
//! Slow answers are deferred and finished exactly as on the HTTP endpoint
//! ([`crate::http::finish_plan`]), through serenity's REST client, with the interaction token
//! escaped as a path segment (serenity puts it into the path as given).

use serenity::all::{
    Context, CreateAttachment, EventHandler, GatewayIntents, Interaction, Message, Ready,
};
use serenity::client::ClientBuilder;
use serenity::http::HttpBuilder;

use std::time::Duration;

use crate::app::App;
use crate::http::{finish_plan, path_segment, wait_before_deferring, Deferral, Finish};
use crate::interaction::{self, Incoming};

struct Handler {
    app: App,
    operator: Option<u64>,
    live: Option<std::sync::Arc<crate::live::Live>>,
    /// Interactions being handled, which shutdown waits for.
    tasks: tokio_util::task::TaskTracker,
    /// Past this, the answer is deferred (zero: always).
    defer_after: Duration,
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, _ctx: Context, ready: Ready) {
        tracing::info!(user = %ready.user.name, "connected to the gateway");
    }

    /// A message in a server, seen only with word counting on (the Message Content intent):
    /// its words are noted for `/user_says`, the message itself kept nowhere.
    async fn message(&self, _ctx: Context, message: Message) {
        if let (Some(words), false, Some(_)) =
            (&self.app.words, message.author.bot, message.guild_id)
        {
            words.note(message.author.id.get(), &message.content);
        }
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let _in_flight = self.tasks.token();
        let payload = match payload_of(&interaction) {
            Ok(payload) => payload,
            Err(error) => {
                tracing::warn!(%error, "cannot re-encode an interaction");
                return;
            }
        };
        let (invocation, token, application_id) = match interaction::parse(&payload, self.operator)
        {
            Ok(Incoming::Invocation {
                invocation,
                token,
                application_id,
            }) => (*invocation, token, application_id),
            Ok(Incoming::Ping) => return,
            Err(error) => {
                tracing::warn!(%error, "unreadable interaction");
                return;
            }
        };
        let deferral = Deferral::of(&invocation.kind);
        let app = self.app.clone();
        let mut work = tokio::spawn(async move { app.handle(invocation).await });
        let wait = wait_before_deferring(deferral, self.defer_after);
        let answered = if wait.is_zero() {
            None
        } else {
            tokio::time::timeout(wait, &mut work).await.ok()
        };
        let response = match (answered, deferral) {
            // Files never go inline (as on the HTTP endpoint): defer, then finish with them.
            (Some(Ok(response)), Some(deferral)) if !response.files().is_empty() => {
                let private = crate::http::private_deferral(deferral, &response);
                let deferred = if private {
                    serde_json::json!({ "type": deferral as u8, "data": { "flags": 64 } })
                } else {
                    serde_json::json!({ "type": deferral as u8 })
                };
                if !self.answer(&ctx, &interaction, &token, &deferred).await {
                    return;
                }
                let plan = crate::http::plan_after(deferral, private, &response);
                self.finish(&ctx, plan, application_id, token, &response)
                    .await;
                return;
            }
            (Some(Ok(response)), _) => response,
            (Some(Err(error)), _) => {
                tracing::error!(%error, "the handler failed");
                return;
            }
            (None, None) => {
                work.abort();
                let empty = serde_json::json!({ "type": 8, "data": { "choices": [] } });
                self.answer(&ctx, &interaction, &token, &empty).await;
                return;
            }
            (None, Some(deferral)) => {
                let deferred = serde_json::json!({ "type": deferral as u8 });
                if !self.answer(&ctx, &interaction, &token, &deferred).await {
                    return;
                }
                let Ok(response) = work.await else { return };
                let plan = finish_plan(deferral, &response);
                self.finish(&ctx, plan, application_id, token, &response)
                    .await;
                return;
            }
        };
        if !self
            .answer(&ctx, &interaction, &token, &response.to_discord())
            .await
        {
            return;
        }
        if let Some(live) = &self.live {
            live.watch_response(&self.app, &response, application_id, token, None);
        }
    }
}

impl Handler {
    /// The interaction's one callback; false if Discord refused it.
    async fn answer(
        &self,
        ctx: &Context,
        interaction: &Interaction,
        token: &str,
        body: &serde_json::Value,
    ) -> bool {
        match ctx
            .http
            .create_interaction_response(interaction.id(), &path_segment(token), body, Vec::new())
            .await
        {
            Ok(()) => true,
            Err(error) => {
                tracing::warn!(%error, "could not answer an interaction");
                false
            }
        }
    }

    /// Delivers a deferred answer as the HTTP endpoint does, then keeps a live view fresh.
    async fn finish(
        &self,
        ctx: &Context,
        plan: Vec<Finish>,
        application_id: String,
        token: String,
        response: &crate::reply::Response,
    ) {
        let mut edited_original = false;
        // The posted message's ids, from the answer to the edit that delivered it.
        let mut message = None;
        // Serenity puts the token into the path as it is given.
        let escaped = path_segment(&token);
        // Serenity sends a body with files as multipart (`payload_json`, `files[n]`).
        let files = || {
            response
                .files()
                .iter()
                .map(|file| CreateAttachment::bytes(file.bytes.clone(), file.filename.clone()))
                .collect::<Vec<_>>()
        };
        for call in plan {
            let done = match &call {
                Finish::EditOriginal(body) => {
                    edited_original = true;
                    ctx.http
                        .edit_original_interaction_response(&escaped, body, files())
                        .await
                        .map(|posted| {
                            message = Some(crate::live::MessageRef {
                                channel_id: posted.channel_id.get(),
                                message_id: posted.id.get(),
                            });
                        })
                }
                Finish::DeleteOriginal => {
                    ctx.http
                        .delete_original_interaction_response(&escaped)
                        .await
                }
                Finish::FollowUp(body) => ctx
                    .http
                    .create_followup_message(&escaped, body, files())
                    .await
                    .map(|_| ()),
            };
            if let Err(error) = done {
                tracing::warn!(%error, ?call, "follow-up failed");
            }
        }
        if let (true, Some(live)) = (edited_original, &self.live) {
            live.watch_response(&self.app, response, application_id, token, message);
        }
    }
}

/// Discord's JSON for an interaction. Serenity serializes each kind without its `type` (the
/// enum is untagged), so the type is put back from the variant.
fn payload_of(interaction: &Interaction) -> Result<Vec<u8>, serde_json::Error> {
    let mut value = serde_json::to_value(interaction)?;
    let kind = match interaction {
        Interaction::Ping(_) => interaction::PING,
        Interaction::Command(_) => interaction::APPLICATION_COMMAND,
        Interaction::Component(_) => interaction::MESSAGE_COMPONENT,
        Interaction::Autocomplete(_) => interaction::AUTOCOMPLETE,
        Interaction::Modal(_) => interaction::MODAL_SUBMIT,
        _ => 0,
    };
    if let Some(object) = value.as_object_mut() {
        object.insert("type".into(), serde_json::json!(kind));
    }
    serde_json::to_vec(&value)
}

/// Connects to the gateway and plays until `shutdown` resolves; commands in flight finish.
/// `api_base` replaces `https://discord.com` in REST calls (None: the real Discord).
pub async fn run(
    app: App,
    token: &str,
    operator: Option<u64>,
    api_base: Option<String>,
    live: Option<std::sync::Arc<crate::live::Live>>,
    defer_after: Duration,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), serenity::Error> {
    let mut http = HttpBuilder::new(token);
    if let Some(base) = api_base {
        http = http.proxy(base).ratelimiter_disabled(true);
    }
    let tasks = tokio_util::task::TaskTracker::new();
    // Interactions need no intent; counting words for `/user_says` needs the servers'
    // messages and their text (a privileged intent, switched on in the developer portal).
    let intents = if app.words.is_some() {
        GatewayIntents::GUILD_MESSAGES | GatewayIntents::MESSAGE_CONTENT
    } else {
        GatewayIntents::empty()
    };
    if let Some(words) = &app.words {
        tokio::spawn(words.clone().run(app.engine.clone()));
    }
    let mut client = ClientBuilder::new_with_http(http.build(), intents)
        .event_handler(Handler {
            app,
            operator,
            live,
            tasks: tasks.clone(),
            defer_after,
        })
        .await?;
    let shards = client.shard_manager.clone();
    tokio::spawn(async move {
        shutdown.await;
        shards.shutdown_all().await;
    });
    let result = client.start().await;
    // Interactions already being handled get their answers before the engine stops.
    tasks.close();
    if tokio::time::timeout(crate::http::SHUTDOWN_GRACE, tasks.wait())
        .await
        .is_err()
    {
        tracing::warn!(
            pending = tasks.len(),
            "shut down with interactions unanswered"
        );
    }
    result
}

#[cfg(test)]
mod tests {
    //! Full current-shape payloads, through serenity's model and back, read as the HTTP path
    //! reads them: the two transports must agree on every kind of interaction.

    use serde_json::json;

    use super::*;
    use crate::invocation::Kind;

    fn through_serenity(payload: serde_json::Value) -> Kind {
        let interaction: Interaction = match serde_json::from_value(payload) {
            Ok(interaction) => interaction,
            Err(error) => panic!("serenity can't read the payload: {error}"),
        };
        let bytes = payload_of(&interaction).unwrap_or_default();
        match interaction::parse(&bytes, None) {
            Ok(Incoming::Invocation { invocation, .. }) => invocation.kind,
            other => panic!("unexpected: {other:?}"),
        }
    }

    fn base(kind: u64, data: serde_json::Value) -> serde_json::Value {
        json!({
            "id": "1300000000000000042", "application_id": "1100000000000000001", "type": kind, "data": data,
            "guild_id": "1200000000000000001", "channel_id": "1300000000000000001",
            "member": { "user": { "id": "55", "username": "p", "discriminator": "0", "global_name": null, "avatar": null },
                        "roles": [], "joined_at": "2026-01-01T00:00:00.000000+00:00", "deaf": false, "mute": false, "flags": 0, "permissions": "0" },
            "token": "t", "version": 1, "locale": "en-US", "app_permissions": "0", "entitlements": [], "context": 0, "attachment_size_limit": 10485760,
            "authorizing_integration_owners": { "0": "1200000000000000001" },
            "message": { "id": "1", "channel_id": "1300000000000000001", "author": { "id": "1100000000000000001", "username": "allspark", "discriminator": "0", "global_name": null, "avatar": null },
                         "content": "", "timestamp": "2026-01-01T00:00:00.000000+00:00", "edited_timestamp": null, "tts": false, "mention_everyone": false,
                         "mentions": [], "mention_roles": [], "attachments": [], "embeds": [], "pinned": false, "type": 0, "flags": 0, "components": [] }
        })
    }

    #[test]
    fn a_slash_command_with_options_survives_the_round_trip() {
        let kind = through_serenity(base(
            2,
            json!({ "id": "9", "name": "slots", "type": 1, "options": [
            { "name": "difficulty", "type": 3, "value": "hard" }, { "name": "bet", "type": 4, "value": 50 } ] }),
        ));
        let Kind::Slash { name, options } = kind else {
            panic!("{kind:?}")
        };
        assert_eq!(name, "slots");
        assert_eq!(options.get("difficulty").map(String::as_str), Some("hard"));
        assert_eq!(options.get("bet").map(String::as_str), Some("50"));
    }

    #[test]
    fn a_message_command_and_a_role_option_survive_the_round_trip() {
        let message = json!({ "id": "1600000000000000001", "channel_id": "1300000000000000001",
            "author": { "id": "77", "username": "cara", "discriminator": "0", "global_name": null, "avatar": null },
            "content": "Never trust a toaster.", "timestamp": "2026-01-01T00:00:00.000000+00:00", "edited_timestamp": null,
            "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [], "attachments": [], "embeds": [],
            "pinned": false, "type": 0, "flags": 0, "components": [] });
        let kind = through_serenity(base(
            2,
            json!({ "id": "9", "name": "Add message to lore", "type": 3, "target_id": "1600000000000000001",
                    "resolved": { "messages": { "1600000000000000001": message } } }),
        ));
        let Kind::Message { name, message } = kind else {
            panic!("{kind:?}")
        };
        assert_eq!(name, "Add message to lore");
        assert_eq!(
            (message.id, message.channel, message.author, message.bot),
            (
                1_600_000_000_000_000_001,
                1_300_000_000_000_000_001,
                77,
                false
            )
        );
        assert_eq!(message.content, "Never trust a toaster.");
        // A role option keeps what Discord resolved of the role.
        let mut payload = base(
            2,
            json!({ "id": "9", "name": "analysis_roles", "type": 1,
                    "options": [{ "name": "role", "type": 8, "value": "600" }],
                    "resolved": { "roles": { "600": { "id": "600", "name": "Autobots", "color": 0, "hoist": false,
                        "position": 1, "permissions": "8", "managed": true, "mentionable": false, "flags": 0,
                        "colors": { "primary_color": 0, "secondary_color": null, "tertiary_color": null } } } } }),
        );
        payload["member"]["permissions"] = json!("268435456");
        let interaction: Interaction =
            serde_json::from_value(payload).unwrap_or_else(|e| panic!("{e}"));
        let bytes = payload_of(&interaction).unwrap_or_default();
        let Ok(Incoming::Invocation { invocation, .. }) = interaction::parse(&bytes, None) else {
            panic!("not an invocation")
        };
        assert_eq!(invocation.place.guild, Some(1_200_000_000_000_000_001));
        assert!(invocation
            .place
            .may(crate::invocation::permissions::MANAGE_ROLES));
        let role = invocation
            .place
            .roles
            .get(&600)
            .cloned()
            .unwrap_or_default();
        assert_eq!((role.permissions, role.managed), (8, true));
    }

    #[test]
    fn a_button_and_a_menu_pick_survive_the_round_trip() {
        let kind = through_serenity(base(
            3,
            json!({ "custom_id": "1:keep:55", "component_type": 2 }),
        ));
        assert_eq!(
            kind,
            Kind::Press {
                custom_id: "1:keep:55".into(),
                values: vec![]
            }
        );
        let kind = through_serenity(base(
            3,
            json!({ "custom_id": "1:enemy:55", "component_type": 3, "values": ["monster.x"] }),
        ));
        assert_eq!(
            kind,
            Kind::Press {
                custom_id: "1:enemy:55".into(),
                values: vec!["monster.x".into()]
            }
        );
    }

    #[test]
    fn a_form_submission_survives_the_round_trip() {
        let kind = through_serenity(base(
            5,
            json!({ "custom_id": "1:rename:55", "components": [
            { "type": 1, "components": [ { "type": 4, "custom_id": "name", "value": "Bolt" } ] } ] }),
        ));
        let Kind::Form { custom_id, fields } = kind else {
            panic!("{kind:?}")
        };
        assert_eq!(custom_id, "1:rename:55");
        assert_eq!(fields.get("name").map(String::as_str), Some("Bolt"));
    }
}
