//! The terminal transport: one line at a time, replies printed as text. The same game as on
//! Discord, through the same dispatch ([`App::handle`]). Works with piped input, so scripts and
//! tests drive it; when standard input is a terminal it shows a prompt and keeps the session's
//! lines for recall with the arrow keys ([`Console::run_interactive`]).
//!
//! Lines ([`VERBS`] is what `help` shows):
//! - `/name option:value option:"two words"`: a slash command. Its options are checked against
//!   the registration table first, as a Discord client checks them before it sends anything
//!   ([`CommandSpec::check`]); an option Discord fills in by autocomplete (an enemy, an item)
//!   takes the name the autocomplete offers, or its first words, and becomes that choice's id;
//! - `press 2` or `press Attack`: press a button or pick a menu option of the last reply, by its
//!   number or label;
//! - `pick 42 43`: choose users in the last reply's user picker;
//! - `submit name:"Bolt"`: answer the last form;
//! - `say words`: post a message in the console's channel (the console is one server, one
//!   channel); `/user_says` counts its words for those who opted in;
//! - `quote N`: the message command "Add message to lore" on message N;
//! - `as 42` to act as player 42, `as operator` for operator commands;
//! - `help`, `help /name`, `quit`.
//!
//! A reply that shows a stress run going (`/monitor`'s Stress test) is followed to the run's
//! end before the next line is read: progress lines, then the summary.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};

use allspark_engine::CommandId;

use crate::app::App;
use crate::commands::{self, CommandSpec, OptionSpec};
use crate::invocation::{Invocation, Kind};
use crate::reply::{limits, Choice, Reply, Response};

/// Console command ids live far above Discord snowflakes (< 2^64) and start from the store's
/// log length, so a restarted console never reuses one.
const CONSOLE_ID_BASE: u128 = 1 << 100;

/// The console's stand-in for "the operator's user id".
pub const CONSOLE_OPERATOR_ID: u64 = 1;

/// The console's one server and channel (lore and quiz roles belong to a server).
pub const CONSOLE_GUILD: u64 = 1;
pub const CONSOLE_CHANNEL: u64 = 2;

/// Messages `say` keeps for `quote` (in memory only, like the line history).
const MESSAGES_KEPT: usize = 100;

/// The console's own lines, as `help` lists them: (how to write it, what it does).
pub const VERBS: &[(&str, &str)] = &[
    (
        "/command option:value option:\"two words\"",
        "run a slash command (listed below)",
    ),
    (
        "press N | press LABEL",
        "press a button or pick a menu option of the last reply, by number or label",
    ),
    (
        "pick ID [ID ...]",
        "choose users (ids or <@id> mentions) in the last reply's user picker",
    ),
    ("submit field:value ...", "answer the last form"),
    (
        "say WORDS",
        "post a message in the console's channel (for lore quotes and /user_says)",
    ),
    (
        "quote N",
        "right-click message N → Apps → Add message to lore",
    ),
    (
        "as ID [NAME] | as operator",
        "act as player ID, or as the operator (for operator commands)",
    ),
    (
        "help [/command]",
        "this list, or one command's options and their choices",
    ),
    ("quit | exit", "leave (so does the end of input)"),
];

/// Suggestions listed when a name is unknown or matches several.
const SUGGESTIONS_MAX: usize = 10;

/// The first bytes of every PNG file.
const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";

pub struct Console {
    app: App,
    user: u64,
    operator: bool,
    next_id: u128,
    /// The last reply with components, so `press` can find them.
    last: Option<Reply>,
    /// The last form opened, so `submit` can answer it.
    form: Option<String>,
    /// The last reply showed a stress run going, which is followed to its end.
    following: bool,
    /// The messages said this session, by number (from 1): (author, text).
    messages: BTreeMap<u64, (u64, String)>,
    said: u64,
}

/// How often the console prints a line of a stress run's progress.
pub const STRESS_LINE_EVERY: std::time::Duration = std::time::Duration::from_secs(1);

impl Console {
    pub fn new(app: App) -> Console {
        let start = app.engine.log().last_seq();
        // The console shows the game every message said in it.
        let app = if app.words.is_some() {
            app
        } else {
            app.with_word_counting()
        };
        Console {
            app,
            user: 1,
            operator: false,
            next_id: CONSOLE_ID_BASE
                + (u128::from(start) << 20)
                + u128::from(std::process::id() & 0xF_FFFF),
            last: None,
            form: None,
            following: false,
            messages: BTreeMap::new(),
            said: 0,
        }
    }

    /// Where the console's lines happen: its one server and channel; the operator has every
    /// permission there, players none.
    fn place(&self) -> crate::invocation::Place {
        crate::invocation::Place {
            guild: Some(CONSOLE_GUILD),
            channel: Some(CONSOLE_CHANNEL),
            permissions: if self.operator {
                crate::invocation::permissions::ADMINISTRATOR
            } else {
                0
            },
            roles: BTreeMap::new(),
        }
    }

    /// `say words`: a message in the console's channel, counted for `/user_says`.
    async fn say(&mut self, text: &str) -> String {
        if text.is_empty() {
            return "say what? (say some words)\n".to_string();
        }
        self.said += 1;
        self.messages
            .insert(self.said, (self.user, text.to_string()));
        while self.messages.len() > MESSAGES_KEPT {
            self.messages.pop_first();
        }
        if let Some(words) = &self.app.words {
            words.note(self.user, text);
            words.flush(&self.app.engine).await;
        }
        format!(
            "message {} from player {}: {}\n",
            self.said,
            self.user,
            crate::view::truncate(text, 200)
        )
    }

    /// `quote N`: "Add message to lore" on message N.
    async fn quote(&mut self, which: &str) -> String {
        let Some((number, (author, content))) = which
            .trim()
            .parse::<u64>()
            .ok()
            .and_then(|n| Some((n, self.messages.get(&n)?.clone())))
        else {
            return format!(
                "no message `{}` (say posts one; the last {MESSAGES_KEPT} are kept)\n",
                which.trim()
            );
        };
        let message = crate::invocation::TargetMessage {
            // Message ids of their own, below the console's command ids.
            id: (1 << 62) + number,
            channel: CONSOLE_CHANNEL,
            author,
            bot: false,
            content,
        };
        let name = crate::social::MessageCommand::AddToLore.name().to_string();
        self.send(Kind::Message {
            name,
            message: Box::new(message),
        })
        .await
    }

    /// Reads lines until end of input or `quit`, writing every reply to `out`. No prompt: this
    /// is the mode for scripts and pipes.
    pub async fn run(&mut self, input: impl BufRead, out: impl Write) -> std::io::Result<()> {
        let mut lines = input.lines();
        self.run_lines(|_prompt| lines.next().transpose(), out)
            .await
    }

    /// The interactive mode, for a terminal: a prompt that says who you are (`player 1> `,
    /// `operator> `), line editing, and the session's lines recalled with the arrow keys. The
    /// history is kept in memory only: a file of typed lines would hold players' text (a pet's
    /// name) where erasure can't reach it. Ctrl-C abandons the line, Ctrl-D leaves.
    pub async fn run_interactive(&mut self, out: impl Write) -> std::io::Result<()> {
        use rustyline::error::ReadlineError;
        let mut editor = rustyline::DefaultEditor::new().map_err(std::io::Error::other)?;
        let next = |prompt: &str| loop {
            match editor.readline(prompt) {
                Ok(line) => {
                    if !line.trim().is_empty() {
                        // Only a full history refuses, and the default holds plenty.
                        let _ = editor.add_history_entry(line.as_str());
                    }
                    return Ok(Some(line));
                }
                Err(ReadlineError::Interrupted) => continue,
                Err(ReadlineError::Eof) => return Ok(None),
                Err(ReadlineError::Io(error)) => return Err(error),
                Err(error) => return Err(std::io::Error::other(error)),
            }
        };
        self.run_lines(next, out).await
    }

    /// The loop both modes share: `next` reads a line after showing a prompt (or not).
    async fn run_lines(
        &mut self,
        mut next: impl FnMut(&str) -> std::io::Result<Option<String>>,
        mut out: impl Write,
    ) -> std::io::Result<()> {
        writeln!(
            out,
            "AllSpark console. Type help for commands, quit to leave. You are player {}.",
            self.user
        )?;
        out.flush()?;
        while let Some(line) = next(&self.prompt())? {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if line == "quit" || line == "exit" {
                break;
            }
            let text = self.line(line).await;
            write!(out, "{text}")?;
            out.flush()?;
            if std::mem::take(&mut self.following) {
                self.follow_stress(&mut out).await?;
            }
        }
        Ok(())
    }

    /// Follows the stress run the last reply showed to its end, as a live message would: a
    /// line of progress every [`STRESS_LINE_EVERY`], then the summary (whose buttons `press`
    /// finds). The console reads no line meanwhile; a run is bounded (`stress.rs`).
    async fn follow_stress(&mut self, out: &mut impl Write) -> std::io::Result<()> {
        let Some(run) = self.app.stress.latest() else {
            return Ok(());
        };
        writeln!(out, "(following the stress test until it ends)")?;
        out.flush()?;
        while tokio::time::timeout(STRESS_LINE_EVERY, run.finished())
            .await
            .is_err()
        {
            write!(
                out,
                "{}",
                crate::admin::render::stress_line(&run.progress())
            )?;
            out.flush()?;
        }
        let summary = crate::admin::render::stress_view(&run.progress());
        write!(out, "{}", summary.to_text())?;
        self.last = Some(summary);
        out.flush()
    }

    /// Who the next line acts as.
    fn prompt(&self) -> String {
        if self.operator {
            "operator> ".to_string()
        } else {
            format!("player {}> ", self.user)
        }
    }

    fn next_id(&mut self) -> CommandId {
        self.next_id += 1;
        CommandId(self.next_id)
    }

    /// Handles one line and returns what to print. Deadlines that passed are applied first,
    /// as the bot's timer worker would.
    pub async fn line(&mut self, line: &str) -> String {
        let text = self.line_as_discord(line).await;
        relative_times(&text, self.app.engine.now())
    }

    async fn line_as_discord(&mut self, line: &str) -> String {
        self.following = false;
        crate::worker::tick(&self.app.engine).await;
        self.app.narrator.narrate_pending(&self.app.engine).await;
        if let Some(who) = line.strip_prefix("as ") {
            return self.switch(who.trim());
        }
        if let Some(what) = line.strip_prefix("press ") {
            return self.press(what.trim()).await;
        }
        if let Some(users) = line.strip_prefix("pick ") {
            return self.pick(users).await;
        }
        if let Some(fields) = line.strip_prefix("submit ") {
            return self.submit(fields).await;
        }
        if line == "say" || line.starts_with("say ") {
            return self.say(line.trim_start_matches("say").trim()).await;
        }
        if let Some(which) = line.strip_prefix("quote ") {
            return self.quote(which).await;
        }
        if line == "help" {
            return self.help().await;
        }
        if let Some(name) = line.strip_prefix("help ") {
            return help_command(name.trim());
        }
        let Some(rest) = line.strip_prefix('/') else {
            return "commands start with / (type help for the list); press N picks a button\n"
                .to_string();
        };
        let (name, options) = match parse_options(rest) {
            Ok(parsed) => parsed,
            Err(message) => return format!("{message}\n"),
        };
        // An unknown command goes to the dispatch, which answers it as it would on Discord.
        let options = match commands::find(&name) {
            Some(spec) => match spec.check(&options) {
                Ok(options) => match self.resolve_suggested(&spec, options).await {
                    Ok(options) => options,
                    Err(message) => return message,
                },
                Err(problem) => return format!("{problem}\n"),
            },
            None => options,
        };
        self.send(Kind::Slash { name, options }).await
    }

    /// `help`: the console's own lines, then the slash commands as `/help` lists them, then
    /// the operator's.
    async fn help(&mut self) -> String {
        let width = VERBS.iter().map(|(how, _)| how.len()).max().unwrap_or(0);
        let mut text = String::from("== Console ==\n");
        for (how, what) in VERBS {
            text.push_str(&format!("{how:width$}  {what}\n"));
        }
        let help = Kind::Slash {
            name: "help".to_string(),
            options: BTreeMap::new(),
        };
        text.push_str(&self.send(help).await);
        let operator: Vec<String> = commands::all()
            .iter()
            .filter(|command| command.operator)
            .map(|command| format!("`/{}` — {}", command.name, command.description))
            .collect();
        if !operator.is_empty() {
            text.push_str("== Operator commands (after `as operator`) ==\n");
            text.push_str(&operator.join("\n"));
            text.push('\n');
        }
        text
    }

    /// Options Discord fills in by autocomplete (enemies, items) take what the autocomplete
    /// would offer for the typed text: its id, its name, or the first letters of one name,
    /// ignoring case. The suggestions come from the area's own autocomplete, through
    /// [`App::handle`], so the console offers exactly what Discord would. When nothing at all
    /// is offered (no pet, an empty inventory), the text goes on as typed and the command
    /// says what is wrong.
    async fn resolve_suggested(
        &mut self,
        spec: &CommandSpec,
        mut options: BTreeMap<String, String>,
    ) -> Result<BTreeMap<String, String>, String> {
        for option in spec.options.iter().filter(|option| option.autocomplete) {
            let Some(typed) = options.get(option.name).cloned() else {
                continue;
            };
            let offered = self.suggest(spec.name, option, &typed).await;
            let resolved = match match_suggestion(&typed, &offered) {
                Suggested::Found(value) => value,
                Suggested::Several(names) => {
                    return Err(format!(
                        "`{}` could be {}; type more of the name\n",
                        allspark_engine::ids::quote(&typed),
                        list_names(&names),
                    ))
                }
                Suggested::Nothing => match self.near(spec.name, option, &typed).await {
                    Some(near) => {
                        return Err(format!(
                            "no {} is called `{}`; did you mean {}?\n",
                            option.name,
                            allspark_engine::ids::quote(&typed),
                            list_names(&near),
                        ))
                    }
                    None => typed,
                },
            };
            options.insert(option.name.to_string(), resolved);
        }
        Ok(options)
    }

    /// What Discord's autocomplete would offer for `partial` in this option.
    async fn suggest(&mut self, command: &str, option: &OptionSpec, partial: &str) -> Vec<Choice> {
        let kind = Kind::Autocomplete {
            name: command.to_string(),
            option: option.name.to_string(),
            partial: partial.to_string(),
        };
        match self.dispatch(kind).await {
            Response::Choices(choices) => choices,
            _ => Vec::new(),
        }
    }

    /// The names offered for the longest beginning of `typed` that anything matches (`glasf`
    /// finds nothing, `glas` finds Glassfang Lynx); `None` when nothing is offered at all.
    async fn near(
        &mut self,
        command: &str,
        option: &OptionSpec,
        typed: &str,
    ) -> Option<Vec<String>> {
        let mut cut: Vec<char> = typed.chars().collect();
        while !cut.is_empty() {
            cut.pop();
            let partial: String = cut.iter().collect();
            let offered = self.suggest(command, option, &partial).await;
            if !offered.is_empty() {
                return Some(
                    offered
                        .iter()
                        .map(|choice| choice_name(&choice.name).to_string())
                        .collect(),
                );
            }
        }
        None
    }

    async fn dispatch(&mut self, kind: Kind) -> Response {
        let invocation = Invocation {
            id: self.next_id(),
            user: self.user,
            operator: self.operator,
            roles: Vec::new(),
            place: self.place(),
            kind,
        };
        self.app.handle(invocation).await
    }

    async fn send(&mut self, kind: Kind) -> String {
        let response = self.dispatch(kind).await;
        self.following = crate::stress::shown_run(&self.app, &response);
        match &response {
            Response::Message(reply) | Response::Update(reply) if !reply.rows.is_empty() => {
                self.last = Some(reply.clone())
            }
            Response::Modal(modal) => self.form = Some(modal.custom_id.clone()),
            _ => {}
        }
        let mut text = response.to_text();
        // The range's countdown runs on the console's clock: it is over once printed, and the
        // first round shows.
        if let Some((player, session)) = crate::fun::shown_countdown(&response) {
            if let Some(round) = crate::fun::begin_range(&self.app, player, session).await {
                text.push_str("3… 2… 1…\n");
                text.push_str(&Response::Message(round.clone()).to_text());
                self.last = Some(round);
            }
        }
        for file in response.reply().map_or(&[][..], |reply| &reply.files[..]) {
            if file.bytes.starts_with(PNG_MAGIC) {
                text.push_str(&match self.write_picture(file) {
                    Ok(path) => {
                        format!("picture {} written to {}\n", file.filename, path.display())
                    }
                    Err(error) => {
                        format!("picture {} could not be written: {error}\n", file.filename)
                    }
                });
            }
        }
        text
    }

    /// Writes a picture a reply carries (a chart) where the console keeps its data, so a
    /// terminal user can open it; pictures hold no one's words.
    fn write_picture(
        &self,
        file: &crate::reply::Attachment,
    ) -> std::io::Result<std::path::PathBuf> {
        let dir = match &self.app.data {
            Some(data) => data.join("pictures"),
            None => std::env::temp_dir().join("allspark-pictures"),
        };
        std::fs::create_dir_all(&dir)?;
        let name: String = file
            .filename
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect();
        let path = dir.join(if name.is_empty() {
            "picture.png".into()
        } else {
            name
        });
        std::fs::write(&path, &file.bytes)?;
        Ok(path)
    }

    async fn press(&mut self, what: &str) -> String {
        let Some(last) = &self.last else {
            return "nothing to press yet\n".to_string();
        };
        let pressables = last.pressables();
        let found = match what.parse::<usize>() {
            Ok(n) if n >= 1 => pressables.get(n - 1).cloned(),
            _ => match pick_label(&pressables, what) {
                Ok(found) => found,
                Err(message) => return message,
            },
        };
        match found {
            Some((_, custom_id, _)) if custom_id.is_empty() => {
                "that button is disabled\n".to_string()
            }
            Some((_, custom_id, value)) => {
                self.send(Kind::Press {
                    custom_id,
                    values: value.into_iter().collect(),
                })
                .await
            }
            None => format!("no button or option `{what}` in the last reply\n"),
        }
    }

    /// Answers a user picker as Discord would: the values are the picked user ids.
    async fn pick(&mut self, users: &str) -> String {
        let Some(select) = self.last.as_ref().and_then(|last| last.user_select()) else {
            return "the last reply has no user picker\n".to_string();
        };
        let custom_id = select.custom_id.clone();
        let max = usize::from(select.max_values);
        let mut values = Vec::new();
        for word in users.split_whitespace() {
            let id = word.trim_start_matches("<@").trim_end_matches('>');
            match id.parse::<u64>() {
                Ok(id) if id > 0 => values.push(id.to_string()),
                _ => return format!("`{word}` is not a user id (a positive number)\n"),
            }
        }
        if values.is_empty() || values.len() > max {
            return format!("pick 1 to {max} user ids\n");
        }
        self.send(Kind::Press { custom_id, values }).await
    }

    async fn submit(&mut self, fields: &str) -> String {
        let Some(custom_id) = self.form.take() else {
            return "no form is open\n".to_string();
        };
        match parse_options(&format!("form {fields}")) {
            Ok((_, fields)) => self.send(Kind::Form { custom_id, fields }).await,
            Err(message) => format!("{message}\n"),
        }
    }

    /// `as 42`, `as 42 alice` (the name is only echoed: names are Discord's, not the game's),
    /// or `as operator`.
    fn switch(&mut self, who: &str) -> String {
        let mut words = who.split_whitespace();
        let who = words.next().unwrap_or("");
        let name = words.collect::<Vec<_>>().join(" ");
        match who {
            "operator" => {
                self.operator = true;
                self.user = CONSOLE_OPERATOR_ID;
                "you are now the operator (player 1 with operator rights)\n".to_string()
            }
            id => match id.parse::<u64>() {
                Ok(id) if id > 0 => {
                    self.user = id;
                    self.operator = false;
                    if name.is_empty() {
                        format!("you are now player {id}\n")
                    } else {
                        format!("you are now player {id} ({name})\n")
                    }
                }
                _ => format!("`{id}` is not a player id (a positive number) or `operator`\n"),
            },
        }
    }
}

/// Splits `name opt:value opt:"quoted value"` into the name and its options.
/// Discord timestamps (`<t:UNIX:R>`) in the words a Discord client would show at `now`:
/// "in 9 minutes", "2 hours ago", "now".
pub fn relative_times(text: &str, now: allspark_engine::Timestamp) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<t:") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 3..];
        let parsed = after.split_once(":R>").and_then(|(secs, tail)| {
            let secs: i64 = secs.parse().ok()?;
            Some((secs, tail))
        });
        match parsed {
            Some((secs, tail)) => {
                out.push_str(&relative(secs - now.0.div_euclid(1_000)));
                rest = tail;
            }
            None => {
                out.push_str("<t:");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn relative(delta_secs: i64) -> String {
    let distance = delta_secs.unsigned_abs();
    let amount = match distance {
        0..=44 => return "now".to_string(),
        45..=3_599 => crate::view::plural(distance.div_ceil(60), "minute", "minutes"),
        3_600..=86_399 => crate::view::plural(distance / 3_600, "hour", "hours"),
        _ => crate::view::plural(distance / 86_400, "day", "days"),
    };
    if delta_secs > 0 {
        format!("in {amount}")
    } else {
        format!("{amount} ago")
    }
}

pub fn parse_options(text: &str) -> Result<(String, BTreeMap<String, String>), String> {
    let mut chars = text.trim().chars().peekable();
    let mut name = String::new();
    while let Some(c) = chars.peek() {
        if c.is_whitespace() {
            break;
        }
        name.push(*c);
        chars.next();
    }
    if name.is_empty() {
        return Err("missing command name after /".into());
    }
    let mut options = BTreeMap::new();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            break;
        }
        let mut key = String::new();
        for c in chars.by_ref() {
            if c == ':' {
                break;
            }
            if c.is_whitespace() {
                return Err(format!("option `{key}` needs a value: write {key}:value"));
            }
            key.push(c);
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            let mut closed = false;
            for c in chars.by_ref() {
                if c == '"' {
                    closed = true;
                    break;
                }
                value.push(c);
            }
            if !closed {
                return Err(format!("option `{key}` has an unclosed quote"));
            }
        } else {
            while let Some(c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                value.push(*c);
                chars.next();
            }
        }
        if key.is_empty() {
            return Err("an option is missing its name before `:`".into());
        }
        if options.contains_key(&key) {
            return Err(format!("option `{key}` is given twice"));
        }
        options.insert(key, value);
    }
    Ok((name, options))
}

/// `help /name`: one command's options from the registration table, with what each takes.
fn help_command(name: &str) -> String {
    let name = name.trim_start_matches('/');
    let Some(spec) = commands::find(name) else {
        return format!(
            "unknown command /{}; type help for the list\n",
            allspark_engine::ids::quote(name)
        );
    };
    let mut text = format!("/{} — {}\n", spec.name, spec.description);
    if spec.options.is_empty() {
        text.push_str("no options\n");
    }
    for option in &spec.options {
        let mut takes = match option.kind {
            commands::Kind::Integer => "a whole number".to_string(),
            commands::Kind::User => "a user id or <@id> mention".to_string(),
            commands::Kind::Role => "a role id or <@&id> mention".to_string(),
            commands::Kind::Text => "text".to_string(),
        };
        if !option.choices.is_empty() {
            takes = format!("one of: {}", commands::choice_list(option.choices));
        }
        match (option.min, option.max) {
            (Some(min), Some(max)) => takes.push_str(&format!(" from {min} to {max}")),
            (Some(min), None) => takes.push_str(&format!(" of at least {min}")),
            (None, Some(max)) => takes.push_str(&format!(" of at most {max}")),
            (None, None) => {}
        }
        if let Some(max) = option.max_length {
            takes.push_str(&format!(" of at most {max} characters"));
        }
        if option.autocomplete {
            takes.push_str(" (a name or its first letters)");
        }
        let required = if option.required {
            "required"
        } else {
            "optional"
        };
        text.push_str(&format!(
            "  {}: {} ({required}): {takes}\n",
            option.name, option.description
        ));
    }
    text
}

/// What a typed name matched among the autocomplete's choices.
#[derive(Debug, PartialEq, Eq)]
enum Suggested {
    /// The value of the one choice meant.
    Found(String),
    /// The names of the choices it could be.
    Several(Vec<String>),
    Nothing,
}

/// Picks the choice `typed` means: its value (an id), its name, or, failing both, the one name
/// that starts with it; ignoring case. A list as long as Discord allows may have left some
/// matches out, so a beginning is trusted only when the list is shorter.
fn match_suggestion(typed: &str, offered: &[Choice]) -> Suggested {
    let typed = typed.trim();
    if let Some(choice) = offered
        .iter()
        .find(|choice| choice.value.eq_ignore_ascii_case(typed))
    {
        return Suggested::Found(choice.value.clone());
    }
    let lower = typed.to_lowercase();
    if let Some(choice) = offered
        .iter()
        .find(|choice| choice_name(&choice.name).to_lowercase() == lower)
    {
        return Suggested::Found(choice.value.clone());
    }
    let mut starting: Vec<&Choice> = offered
        .iter()
        .filter(|choice| choice.name.to_lowercase().starts_with(&lower))
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    starting.retain(|choice| seen.insert(choice.value.as_str()));
    let complete = offered.len() < limits::AUTOCOMPLETE_CHOICES;
    match starting.as_slice() {
        [] => Suggested::Nothing,
        [one] if complete => Suggested::Found(one.value.clone()),
        many => Suggested::Several(
            many.iter()
                .map(|choice| choice_name(&choice.name).to_string())
                .collect(),
        ),
    }
}

/// The name in an autocomplete label: labels read `Name (details)`.
fn choice_name(label: &str) -> &str {
    label.split_once(" (").map_or(label, |(name, _)| name)
}

/// Up to [`SUGGESTIONS_MAX`] names, ending in `…` when there are more, or when the list came
/// from an autocomplete answer as long as Discord allows (which may have left some out).
fn list_names(names: &[String]) -> String {
    let shown: Vec<&str> = names
        .iter()
        .take(SUGGESTIONS_MAX)
        .map(String::as_str)
        .collect();
    let more = if names.len() > shown.len() || names.len() >= limits::AUTOCOMPLETE_CHOICES {
        ", …"
    } else {
        ""
    };
    match shown.as_slice() {
        [one] => format!("{one}{more}"),
        _ => format!("one of: {}{more}", shown.join(", ")),
    }
}

/// Finds a button or menu option by label: an exact match (ignoring case) wins; otherwise the
/// one label that starts with the given words (`Attack` for `Attack Drone`). Several matches
/// are listed instead of guessing.
fn pick_label(
    pressables: &[(String, String, Option<String>)],
    what: &str,
) -> Result<Option<(String, String, Option<String>)>, String> {
    let what = what.trim();
    if let Some(found) = pressables
        .iter()
        .find(|(label, _, _)| label.eq_ignore_ascii_case(what))
    {
        return Ok(Some(found.clone()));
    }
    let prefix = format!("{} ", what.to_lowercase());
    let matches: Vec<_> = pressables
        .iter()
        .filter(|(label, _, _)| label.to_lowercase().starts_with(&prefix))
        .collect();
    match matches.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some((*one).clone())),
        many => {
            let labels: Vec<&str> = many.iter().map(|(label, _, _)| label.as_str()).collect();
            Err(format!("`{what}` could be: {}\n", labels.join(", ")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{match_suggestion, pick_label, relative_times, Suggested};
    use crate::reply::{limits, Choice};

    fn offered(labels: &[(&str, &str)]) -> Vec<Choice> {
        labels
            .iter()
            .map(|(name, value)| Choice {
                name: name.to_string(),
                value: value.to_string(),
            })
            .collect()
    }

    #[test]
    fn a_typed_name_is_the_id_of_its_one_suggestion() {
        let enemies = offered(&[
            ("Storm Roc (Rare Monster, level 9)", "monster.storm_roc"),
            (
                "Storm Roc Prime (Epic Boss, level 20)",
                "boss.storm_roc_prime",
            ),
            (
                "Stormglass Watcher (Rare Monster, level 12)",
                "monster.stormglass",
            ),
        ]);
        let found = |value: &str| Suggested::Found(value.to_string());
        assert_eq!(
            match_suggestion("MONSTER.STORM_ROC", &enemies),
            found("monster.storm_roc")
        );
        // A whole name wins over longer names that begin with it.
        assert_eq!(
            match_suggestion("storm roc", &enemies),
            found("monster.storm_roc")
        );
        assert_eq!(
            match_suggestion("storm roc p", &enemies),
            found("boss.storm_roc_prime")
        );
        assert_eq!(
            match_suggestion("stormg", &enemies),
            found("monster.stormglass")
        );
        assert_eq!(
            match_suggestion("storm", &enemies),
            Suggested::Several(vec![
                "Storm Roc".into(),
                "Storm Roc Prime".into(),
                "Stormglass Watcher".into()
            ])
        );
        // A beginning that matches only within names is no match.
        assert_eq!(match_suggestion("roc", &enemies), Suggested::Nothing);
        // The same item held twice is one choice.
        let items = offered(&[("Ember Core (Energy core)", "core.ember"); 2]);
        assert_eq!(match_suggestion("emb", &items), found("core.ember"));
        // A full list may have left out other names that begin alike.
        let mut full = offered(&[("Ember Core (Energy core)", "core.ember")]);
        full.extend(offered(
            &[("Spark Core", "core.spark"); limits::AUTOCOMPLETE_CHOICES - 1],
        ));
        assert_eq!(
            match_suggestion("emb", &full),
            Suggested::Several(vec!["Ember Core".into()])
        );
        assert_eq!(match_suggestion("ember core", &full), found("core.ember"));
    }

    fn pressables(labels: &[&str]) -> Vec<(String, String, Option<String>)> {
        labels
            .iter()
            .enumerate()
            .map(|(i, label)| (label.to_string(), format!("id{i}"), None))
            .collect()
    }

    #[test]
    fn discord_timestamps_print_as_relative_times() {
        let now = allspark_engine::Timestamp(1_000_000_000);
        let text = "ends <t:1000540:R>, began <t:992800:R>, <t:1000000:R>, <t:x:R>";
        assert_eq!(
            relative_times(text, now),
            "ends in 9 minutes, began 2 hours ago, now, <t:x:R>"
        );
    }

    #[test]
    fn labels_match_exactly_or_by_their_first_words() {
        let solo = pressables(&["Attack Gloomfang", "Guard Lampwright", "Charge", "Special"]);
        let id = |found: Result<Option<(String, String, Option<String>)>, String>| {
            found.ok().flatten().map(|(_, id, _)| id)
        };
        assert_eq!(id(pick_label(&solo, "attack")), Some("id0".into()));
        assert_eq!(id(pick_label(&solo, "special")), Some("id3".into()));
        assert_eq!(
            id(pick_label(&solo, "Guard Lampwright")),
            Some("id1".into())
        );
        // A prefix must end at a word: `Att` is not `Attack`.
        assert_eq!(id(pick_label(&solo, "Att")), None);
        let duel = pressables(&["Attack Lampwright", "Attack Pincerdread", "Charge"]);
        let ambiguous = pick_label(&duel, "Attack").err().unwrap_or_default();
        assert!(
            ambiguous.contains("Attack Lampwright, Attack Pincerdread"),
            "{ambiguous}"
        );
    }
}
