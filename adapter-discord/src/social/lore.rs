//! A server's lore on Discord: `/add_lore` (a form), the message command "Add message to
//! lore" (quotes a message: its words, its author, its channel), `/view_lore [search]`
//! (pages of ten, newest first; a picker opens one), `/random_lore`, `/lore_stats`, and an
//! entry's Delete (asks first; the keeper, whoever it quotes, a member with Manage Messages or
//! the operator). The words are read from the erasable store, the rest from the engine's
//! `social::view`; a title is matched by its keyed digest ([`Engine::text_key`]), never
//! compared as text in the log.
//!
//! [`Engine::text_key`]: allspark_engine::Engine::text_key

use allspark_engine::social::{
    self, lore_key, title_form, LoreEntry, LorePart, Quote, SocialCommand, LORE_TEXT_MAX,
    LORE_TITLE_MAX, TITLE_KEY_PURPOSE,
};
use allspark_engine::{Actor, Command, Event, PlayerId, Snowflake};

use crate::app::{refuse, App, Handled};
use crate::invocation::{permissions, Invocation, TargetMessage};
use crate::reply::Response;
use crate::social::ids::search_field;
use crate::social::render::{self, LoreItem, LORE_PAGE};

/// The longest title made from a quoted message's first words.
const QUOTE_TITLE_CHARS: usize = 60;

/// The server an invocation happened in, or the refusal for a DM.
pub(crate) fn guild(inv: &Invocation) -> Result<Snowflake, Response> {
    inv.place
        .guild
        .map(Snowflake)
        .ok_or_else(|| refuse("Lore belongs to a server: use this in one."))
}

/// The words of an entry, from the erasable store (empty if they are gone).
fn item(app: &App, guild: Snowflake, entry: LoreEntry) -> LoreItem {
    let read = |player: PlayerId, part| {
        app.engine
            .personal_text(player, &lore_key(guild, entry.number, part))
            .ok()
            .flatten()
            .unwrap_or_default()
    };
    LoreItem {
        title: read(entry.author, LorePart::Title),
        text: read(entry.writer(), LorePart::Text),
        entry,
    }
}

fn title_key(app: &App, guild: Snowflake, title: &str) -> u128 {
    app.engine
        .text_key(TITLE_KEY_PURPOSE, guild.0, &title_form(title))
}

/// Keeps an entry and shows it.
async fn keep(
    app: &App,
    inv: &Invocation,
    guild: Snowflake,
    title: String,
    text: String,
    quote: Option<Quote>,
) -> Handled {
    let command = SocialCommand::AddLore {
        guild,
        title_key: title_key(app, guild, &title),
        title,
        text,
        quote,
    };
    let events = app.execute(inv, Command::Social(command)).await?;
    let number = events.iter().find_map(|e| match e {
        Event::Social(social::SocialEvent::LoreAdded { number, .. }) => Some(*number),
        _ => None,
    });
    let Some(number) = number else {
        return Err(refuse("That lore didn't take; try again."));
    };
    open(app, guild, number, true).await.map(Response::Message)
}

/// `/add_lore`'s form, submitted.
pub async fn submit(
    app: &App,
    inv: &Invocation,
    fields: &std::collections::BTreeMap<String, String>,
) -> Handled {
    let guild = guild(inv)?;
    let field = |name: &str| fields.get(name).map_or("", |v| v.as_str()).trim();
    let (title, text) = (field("title"), field("text"));
    keep(app, inv, guild, title.to_string(), text.to_string(), None).await
}

/// "Add message to lore": the message's words, kept under whoever wrote them, titled with its
/// first words (numbered when another entry has that title).
pub async fn quote(app: &App, inv: &Invocation, message: &TargetMessage) -> Handled {
    let guild = guild(inv)?;
    if message.bot {
        return Err(refuse(
            "Lore keeps what people said; that message is a bot's.",
        ));
    }
    let text = message.content.trim();
    if text.is_empty() {
        return Err(refuse(
            "That message has no text to keep (pictures, embeds and stickers aren't kept).",
        ));
    }
    if text.chars().count() > LORE_TEXT_MAX {
        return Err(refuse(format!(
            "That message is longer than lore keeps ({LORE_TEXT_MAX} characters)."
        )));
    }
    let (channel, id) = (Snowflake(message.channel), Snowflake(message.id));
    let already = app
        .read(move |w| social::view::lore_quoting(w, guild, channel, id).map(|e| e.number))
        .await?;
    if let Some(number) = already {
        return Err(refuse(format!(
            "That message is in this server's lore already: entry #{number}."
        )));
    }
    let base = quote_title(text);
    let mut title = base.clone();
    for n in 2..=50u32 {
        let key = title_key(app, guild, &title);
        let taken = app
            .read(move |w| social::view::lore_titled(w, guild, key).is_some())
            .await?;
        if !taken {
            break;
        }
        let suffix = format!(" ({n})");
        let room = LORE_TITLE_MAX - suffix.chars().count();
        title = format!("{}{suffix}", base.chars().take(room).collect::<String>());
    }
    let quote = Quote {
        author: PlayerId(message.author),
        channel,
        message: id,
    };
    keep(app, inv, guild, title, text.to_string(), Some(quote)).await
}

/// A title from a message's first words: whole words up to [`QUOTE_TITLE_CHARS`] characters,
/// with `…` when words were left out.
pub fn quote_title(text: &str) -> String {
    let mut title = String::new();
    let mut words = text.split_whitespace();
    for word in words.by_ref() {
        let len = title.chars().count() + word.chars().count() + usize::from(!title.is_empty());
        if len > QUOTE_TITLE_CHARS {
            if title.is_empty() {
                title = word.chars().take(QUOTE_TITLE_CHARS).collect();
            }
            title.push('…');
            return title;
        }
        if !title.is_empty() {
            title.push(' ');
        }
        title.push_str(word);
    }
    title
}

/// Entry `number` of the server's lore, shown (`fresh`: just kept).
pub async fn open(
    app: &App,
    guild: Snowflake,
    number: u32,
    fresh: bool,
) -> Result<crate::reply::Reply, Response> {
    let entry = app
        .read(move |w| social::view::lore_entry(w, guild, number).cloned())
        .await?
        .ok_or_else(|| {
            refuse(format!(
                "This server's lore has no entry #{number} (any more)."
            ))
        })?;
    Ok(render::lore_entry(&item(app, guild, entry), fresh))
}

/// A page of the server's lore whose titles contain every word of `search`.
pub async fn list(
    app: &App,
    owner: u64,
    guild: Snowflake,
    page: usize,
    search: Option<String>,
) -> Result<crate::reply::Reply, Response> {
    let entries: Vec<LoreEntry> = app
        .read(move |w| social::view::lore(w, guild).into_iter().cloned().collect())
        .await?;
    let n_all = entries.len();
    let items: Vec<LoreItem> = match &search {
        None => {
            let n_pages = n_all.div_ceil(LORE_PAGE).max(1);
            let page = page.min(n_pages - 1);
            let shown: Vec<LoreItem> = entries
                .into_iter()
                .skip(page * LORE_PAGE)
                .take(LORE_PAGE)
                .map(|e| item(app, guild, e))
                .collect();
            return Ok(render::lore_list(owner, &shown, page, n_pages, n_all, None));
        }
        Some(search) => {
            let words: Vec<&str> = search.split('_').collect();
            entries
                .into_iter()
                .map(|e| item(app, guild, e))
                .filter(|item| {
                    let title = search_field(&item.title).unwrap_or_default();
                    words.iter().all(|w| title.contains(w))
                })
                .collect()
        }
    };
    let n_pages = items.len().div_ceil(LORE_PAGE).max(1);
    let page = page.min(n_pages - 1);
    let shown: Vec<LoreItem> = items
        .iter()
        .skip(page * LORE_PAGE)
        .take(LORE_PAGE)
        .cloned()
        .collect();
    Ok(render::lore_list(
        owner,
        &shown,
        page,
        n_pages,
        items.len(),
        search.as_deref(),
    ))
}

/// `/random_lore`: an entry picked by the interaction's id (any entry as likely as any other).
pub async fn random(app: &App, inv: &Invocation) -> Handled {
    let guild = guild(inv)?;
    let numbers: Vec<u32> = app
        .read(move |w| {
            social::view::lore(w, guild)
                .iter()
                .map(|e| e.number)
                .collect()
        })
        .await?;
    if numbers.is_empty() {
        return Err(refuse(
            "This server has no lore yet: /add_lore writes the first entry.",
        ));
    }
    // A pick for a view, not a rule: nothing is recorded, so the id's low bits will do.
    let pick = numbers[(inv.id.0 % numbers.len() as u128) as usize];
    open(app, guild, pick, false).await.map(Response::Message)
}

/// `/lore_stats`.
pub async fn stats(app: &App, inv: &Invocation) -> Handled {
    let guild = guild(inv)?;
    let (n, top) = app
        .read(move |w| social::view::lore_stats(w, guild, 10))
        .await?;
    Ok(Response::Message(render::lore_stats(n, &top)))
}

/// Whether the person may delete this entry: the keeper, whoever it quotes, a moderator, the
/// operator.
fn may_delete(inv: &Invocation, entry: &LoreEntry) -> bool {
    inv.operator
        || entry.author == inv.player()
        || entry.writer() == inv.player()
        || inv.place.may(permissions::MANAGE_MESSAGES)
}

/// Delete pressed: asks the presser to confirm, if they may.
pub async fn delete_ask(app: &App, inv: &Invocation, number: u32) -> Handled {
    let guild = guild(inv)?;
    let entry = app
        .read(move |w| social::view::lore_entry(w, guild, number).cloned())
        .await?
        .ok_or_else(|| {
            refuse(format!(
                "This server's lore has no entry #{number} (any more)."
            ))
        })?;
    if !may_delete(inv, &entry) {
        return Err(refuse(
            "Only whoever kept this entry, whoever it quotes, or a member who can manage messages can delete it.",
        ));
    }
    let item = item(app, guild, entry);
    Ok(Response::Message(render::lore_delete_ask(
        inv.user,
        number,
        &item.title,
    )))
}

/// Delete confirmed.
pub async fn delete(app: &App, inv: &Invocation, number: u32) -> Handled {
    let guild = guild(inv)?;
    let command = Command::Social(SocialCommand::DeleteLore {
        guild,
        number,
        moderator: inv.place.may(permissions::MANAGE_MESSAGES),
    });
    let actor = if inv.operator {
        inv.operator_actor()
    } else {
        Actor::Player(inv.player())
    };
    app.execute_as(inv.id, actor, command).await?;
    Ok(Response::Update(render::lore_deleted(number)))
}
