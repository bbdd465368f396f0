//! `/user_says`: the three words a member uses most, in a short made-up exchange from the
//! content. Counting is opt-in (`counting:start`; `counting:stop` deletes the counts) and
//! needs the messages' text, which only the gateway receives, and only with the
//! MESSAGE_CONTENT intent (`ALLSPARK_MESSAGE_CONTENT=1`); the console's `say` lines count too.
//! On the HTTP endpoint the command says what it needs.
//!
//! Only counts are kept: a message is split into words here, the words of everyone who opted
//! in are added up in memory for a while ([`FLUSH_EVERY`]) and merged into their counts in the
//! erasable store by the engine's core ([`allspark_engine::Engine::count_words`]), which checks
//! the opt-in again, in order with opting out and erasure. No message is stored.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use allspark_engine::social::{self, SocialCommand, KEY_WORD_COUNTS};
use allspark_engine::{content, Command, Engine, PlayerId};

use crate::app::{refuse, App, Handled};
use crate::invocation::{Invocation, Options};
use crate::reply::{Embed, Reply, Response};

/// How long counts wait in memory before they are merged.
pub const FLUSH_EVERY: Duration = Duration::from_secs(30);

/// The choices of the counting option.
pub const COUNTING: &[(&str, &str)] = &[
    ("Start counting my words", "start"),
    ("Stop, and delete my counts", "stop"),
];

/// Words too common to say anything about anyone.
const COMMON: &[&str] = &[
    "about", "after", "again", "all", "also", "and", "any", "are", "because", "been", "but", "can",
    "could", "did", "does", "dont", "for", "from", "get", "got", "had", "has", "have", "her",
    "here", "him", "his", "how", "im", "into", "its", "just", "like", "more", "not", "now", "one",
    "only", "our", "out", "really", "she", "should", "some", "than", "that", "thats", "the",
    "their", "them", "then", "there", "they", "this", "too", "was", "were", "what", "when",
    "where", "which", "who", "why", "will", "with", "would", "yes", "you", "your",
];

/// The longest word counted (longer ones are mostly noise: links, keys, keyboard mashing).
const WORD_MAX_CHARS: usize = 20;

/// The words of a message that count: lower case, letters (and inner digits) only, three
/// characters or more, no links, mentions, emoji codes or common words.
pub fn words_of(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|token| !token.contains("://") && !token.starts_with('<'))
        .flat_map(|token| token.split(|c: char| !c.is_alphanumeric() && c != '\''))
        .map(|word| word.replace('\'', "").to_lowercase())
        .filter(|word| {
            let n = word.chars().count();
            (3..=WORD_MAX_CHARS).contains(&n)
                && word.chars().any(char::is_alphabetic)
                && !COMMON.contains(&word.as_str())
        })
        .collect()
}

/// Words said since the last flush, by member (only those the engine counts are kept).
#[derive(Debug, Default)]
pub struct WordCounter {
    pending: Mutex<BTreeMap<u64, BTreeMap<String, u32>>>,
}

impl WordCounter {
    /// Notes a message's words for its author.
    pub fn note(&self, author: u64, text: &str) {
        let words = words_of(text);
        if words.is_empty() {
            return;
        }
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        let counts = pending.entry(author).or_default();
        for word in words {
            *counts.entry(word).or_default() += 1;
        }
    }

    /// Merges what was noted into the counts of those who opted in; the rest is dropped.
    /// Returns how many members' counts grew.
    pub async fn flush(&self, engine: &Engine) -> usize {
        let pending = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|p| p.into_inner()));
        let mut counted = 0;
        for (author, words) in pending {
            match engine
                .count_words(PlayerId(author), words.into_iter().collect())
                .await
            {
                Ok(true) => counted += 1,
                Ok(false) => {}
                Err(error) => tracing::warn!(%error, "could not count words"),
            }
        }
        counted
    }

    /// Flushes every [`FLUSH_EVERY`], forever (until the task is dropped).
    pub async fn run(self: std::sync::Arc<Self>, engine: Engine) {
        let mut interval = tokio::time::interval(FLUSH_EVERY);
        loop {
            interval.tick().await;
            self.flush(&engine).await;
        }
    }
}

/// `/user_says [user] [counting]`.
pub async fn user_says(app: &App, inv: &Invocation, options: &Options<'_>) -> Handled {
    let bad = |error: crate::invocation::InvocationError| refuse(error.to_string());
    let counting = options.word("counting", &["start", "stop"]).map_err(bad)?;
    let me = inv.player();
    match counting {
        Some("stop") => {
            app.execute(
                inv,
                Command::Social(SocialCommand::CountMyWords { on: false }),
            )
            .await?;
            return Ok(Response::Message(private(
                "Counting stopped, and your word counts are deleted.",
            )));
        }
        Some(_) if app.words.is_none() => return Err(refuse(needs_content())),
        Some(_) => {
            app.execute(
                inv,
                Command::Social(SocialCommand::CountMyWords { on: true }),
            )
            .await?;
            return Ok(Response::Message(private(
                "From now on I count the words you use here: only how often each word comes up, never your messages. `/user_says counting:stop` stops and deletes the counts.",
            )));
        }
        None => {}
    }
    if app.words.is_none() {
        return Err(refuse(needs_content()));
    }
    let who = PlayerId(options.user("user").map_err(bad)?.unwrap_or(me.0));
    let counts = app
        .read(move |w| social::view::counts_words(w, who))
        .await?;
    if !counts {
        return Err(refuse(if who == me {
            "I don't count your words: `/user_says counting:start` turns it on.".to_string()
        } else {
            format!("<@{who}> hasn't turned word counting on.")
        }));
    }
    let text = app
        .engine
        .personal_text(who, KEY_WORD_COUNTS)
        .ok()
        .flatten()
        .unwrap_or_default();
    let top: Vec<String> = social::parse_word_counts(&text)
        .into_iter()
        .take(3)
        .map(|(word, _)| word)
        .collect();
    let [first, second, third] = top.as_slice() else {
        return Err(refuse(format!(
            "I haven't counted three different words from <@{who}> yet; check back after some chatting."
        )));
    };
    let exchanges = &content::get().social.talk.exchanges;
    let exchange = exchanges
        .get((inv.id.0 % exchanges.len().max(1) as u128) as usize)
        .map_or("", String::as_str);
    Ok(Response::Message(says(
        who,
        [first, second, third],
        exchange,
    )))
}

/// The exchange, filled in.
pub fn says(who: PlayerId, words: [&str; 3], exchange: &str) -> Reply {
    let [first, second, third] = words;
    let text = exchange
        .replace("{speaker}", &format!("<@{who}>"))
        .replace("{first}", &format!("**{first}**"))
        .replace("{second}", &format!("**{second}**"))
        .replace("{third}", &format!("**{third}**"));
    Reply::embed(Embed {
        title: Some("🗣️ Overheard on the comm channel".into()),
        description: Some(crate::view::truncate(
            &format!(
                "<@{who}>'s favourite words: **{first}**, **{second}**, **{third}**.\n\n{text}"
            ),
            4_000,
        )),
        color: Some(crate::reply::color::ENERGON),
        footer: Some(
            "Counted only for members who opted in; /user_says counting:stop deletes them".into(),
        ),
        ..Embed::default()
    })
}

fn private(text: &str) -> Reply {
    let mut reply = Reply::text(text);
    reply.ephemeral = true;
    reply
}

/// What `/user_says` needs that this connection doesn't have.
fn needs_content() -> String {
    "Counting words needs the text of messages, which Discord sends only to a bot connected through the gateway with the Message Content intent. This bot isn't receiving it (it answers over the HTTP endpoint, or the intent is off: the operator sets ALLSPARK_MESSAGE_CONTENT=1 with `allspark run`). You can still stop counting and delete your counts with `counting:stop`.".to_string()
}
