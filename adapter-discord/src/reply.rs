//! What the adapter answers with: a transport-neutral mirror of Discord's interaction responses
//! (messages with embeds and components, message updates, modals, autocomplete choices). The
//! HTTP endpoint and the gateway serialize it to Discord's JSON with [`Response::to_discord`];
//! the console prints it with [`Response::to_text`]. Render functions build these and nothing
//! else.

use serde_json::{json, Value};

/// Discord's documented limits, asserted by the render tests.
pub mod limits {
    pub const EMBED_TOTAL_CHARS: usize = 6_000;
    /// Embeds one message may carry.
    pub const EMBEDS: usize = 10;
    pub const EMBED_FIELDS: usize = 25;
    pub const EMBED_TITLE_CHARS: usize = 256;
    pub const EMBED_DESCRIPTION_CHARS: usize = 4_096;
    pub const FIELD_NAME_CHARS: usize = 256;
    pub const FIELD_VALUE_CHARS: usize = 1_024;
    pub const ACTION_ROWS: usize = 5;
    pub const BUTTONS_PER_ROW: usize = 5;
    pub const SELECT_OPTIONS: usize = 25;
    pub const CUSTOM_ID_CHARS: usize = 100;
    pub const BUTTON_LABEL_CHARS: usize = 80;
    pub const CONTENT_CHARS: usize = 2_000;
    pub const AUTOCOMPLETE_CHOICES: usize = 25;
    /// Files one message may carry.
    pub const FILES: usize = 10;
    /// Discord's default upload limit per file (10 MiB).
    pub const FILE_BYTES: usize = 10 * 1024 * 1024;
}

/// One answer to one interaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Response {
    /// A new message (callback type 4).
    Message(Reply),
    /// Replace the message the pressed component belongs to (callback type 7).
    Update(Reply),
    /// Open a form (callback type 9).
    Modal(Modal),
    /// Autocomplete suggestions (callback type 8).
    Choices(Vec<Choice>),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reply {
    pub content: Option<String>,
    pub embeds: Vec<Embed>,
    pub rows: Vec<Row>,
    /// Only the person who asked sees it.
    pub ephemeral: bool,
    /// Users the message notifies (their mentions ping); every other mention stays silent.
    pub pings: Vec<u64>,
    /// Files attached to the message. A reply with files is never sent inline: the transports
    /// defer it and deliver it as `multipart/form-data` (see [`multipart`]). A boxed slice,
    /// so every reply without files stays small.
    pub files: Box<[Attachment]>,
}

/// A file attached to a message: `files[n]` in the upload, `attachments[n]` in the JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// Letters, digits, `-`, `_` and `.` only (it goes into a header unquoted otherwise).
    pub filename: String,
    pub description: String,
    pub bytes: Vec<u8>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Embed {
    pub title: Option<String>,
    pub description: Option<String>,
    pub color: Option<u32>,
    pub fields: Vec<EmbedField>,
    pub footer: Option<String>,
    /// A picture under the embed: `attachment://<filename>` for one of the reply's files.
    pub image: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmbedField {
    pub name: String,
    pub value: String,
    pub inline: bool,
}

/// An action row: up to five buttons, or one select menu.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Row {
    Buttons(Vec<Button>),
    Select(Select),
    /// Discord's user picker: the values that come back are user ids.
    Users(UserSelect),
    /// Link buttons (style 5): they open a page and send the bot nothing.
    Links(Vec<Link>),
}

/// A button that opens `url` (Discord's link style); it has no custom id and is never pressed
/// through the bot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub label: String,
    pub url: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserSelect {
    pub custom_id: String,
    pub placeholder: String,
    /// At most this many users at once (at least one).
    pub max_values: u8,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ButtonStyle {
    Primary = 1,
    Secondary = 2,
    Success = 3,
    Danger = 4,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Button {
    pub label: String,
    pub custom_id: String,
    pub style: ButtonStyle,
    pub disabled: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Select {
    pub custom_id: String,
    pub placeholder: String,
    pub options: Vec<SelectOption>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectOption {
    pub label: String,
    pub value: String,
    pub description: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Modal {
    pub custom_id: String,
    pub title: String,
    /// The form's text inputs, one row each (at most five).
    pub inputs: Vec<Input>,
}

/// A text input of a form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub custom_id: String,
    pub label: String,
    pub placeholder: String,
    /// Several lines (Discord's paragraph style) rather than one.
    pub paragraph: bool,
    /// The most characters it takes (Discord allows up to 4,000).
    pub max_length: u16,
    /// What it holds when the form opens.
    pub value: Option<String>,
}

impl Input {
    /// A required one-line input of at most 100 characters.
    pub fn short(
        custom_id: impl Into<String>,
        label: impl Into<String>,
        placeholder: impl Into<String>,
    ) -> Input {
        Input {
            custom_id: custom_id.into(),
            label: label.into(),
            placeholder: placeholder.into(),
            paragraph: false,
            max_length: 100,
            value: None,
        }
    }

    /// A required several-line input of at most `max_length` characters.
    pub fn paragraph(
        custom_id: impl Into<String>,
        label: impl Into<String>,
        placeholder: impl Into<String>,
        max_length: u16,
    ) -> Input {
        Input {
            paragraph: true,
            max_length,
            ..Input::short(custom_id, label, placeholder)
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub name: String,
    pub value: String,
}

/// Colours used across replies.
pub mod color {
    pub const ENERGON: u32 = 0x00_c8_ff;
    pub const AUTOBOT: u32 = 0xd6_2d_20;
    pub const DECEPTICON: u32 = 0x6b_2c_91;
    pub const BATTLE: u32 = 0xf0_8c_00;
    pub const NEUTRAL: u32 = 0x80_80_80;
    pub const REFUSED: u32 = 0xe0_3c_31;
}

impl Reply {
    /// A plain message; cut to Discord's content limit whatever it quotes.
    pub fn text(content: impl Into<String>) -> Reply {
        Reply {
            content: Some(crate::view::truncate(
                &content.into(),
                limits::CONTENT_CHARS,
            )),
            ..Reply::default()
        }
    }

    /// A refusal only the asker sees; cut to Discord's content limit whatever it quotes.
    pub fn refusal(content: impl Into<String>) -> Reply {
        Reply {
            ephemeral: true,
            ..Reply::text(content)
        }
    }

    pub fn embed(embed: Embed) -> Reply {
        Reply {
            embeds: vec![embed],
            ..Reply::default()
        }
    }

    pub fn with_rows(mut self, rows: Vec<Row>) -> Reply {
        self.rows = rows;
        self
    }

    /// Discord's `data` object for a message or message update.
    pub fn to_discord_data(&self) -> Value {
        let mut data = serde_json::Map::new();
        if let Some(content) = &self.content {
            data.insert("content".into(), json!(content));
        }
        data.insert(
            "embeds".into(),
            Value::Array(self.embeds.iter().map(Embed::to_discord).collect()),
        );
        data.insert(
            "components".into(),
            Value::Array(self.rows.iter().map(Row::to_discord).collect()),
        );
        if self.ephemeral {
            data.insert("flags".into(), json!(64));
        }
        if !self.files.is_empty() {
            let attachments: Vec<Value> = self
                .files
                .iter()
                .enumerate()
                .map(|(id, file)| {
                    json!({ "id": id.to_string(), "filename": file.filename, "description": file.description })
                })
                .collect();
            data.insert("attachments".into(), Value::Array(attachments));
        }
        let mut mentions = json!({ "parse": [] });
        if !self.pings.is_empty() {
            let users: Vec<String> = self.pings.iter().map(u64::to_string).collect();
            mentions["users"] = json!(users);
        }
        data.insert("allowed_mentions".into(), mentions);
        Value::Object(data)
    }
}

impl Embed {
    fn to_discord(&self) -> Value {
        let mut embed = serde_json::Map::new();
        if let Some(title) = &self.title {
            embed.insert("title".into(), json!(title));
        }
        if let Some(description) = &self.description {
            embed.insert("description".into(), json!(description));
        }
        if let Some(color) = self.color {
            embed.insert("color".into(), json!(color));
        }
        if !self.fields.is_empty() {
            let fields: Vec<Value> = self
                .fields
                .iter()
                .map(|f| json!({ "name": f.name, "value": f.value, "inline": f.inline }))
                .collect();
            embed.insert("fields".into(), Value::Array(fields));
        }
        if let Some(footer) = &self.footer {
            embed.insert("footer".into(), json!({ "text": footer }));
        }
        if let Some(url) = &self.image {
            embed.insert("image".into(), json!({ "url": url }));
        }
        Value::Object(embed)
    }

    /// Characters Discord counts towards the 6,000 limit.
    pub fn total_chars(&self) -> usize {
        let count = |text: &Option<String>| text.as_deref().map_or(0, |t| t.chars().count());
        count(&self.title)
            + count(&self.description)
            + count(&self.footer)
            + self
                .fields
                .iter()
                .map(|f| f.name.chars().count() + f.value.chars().count())
                .sum::<usize>()
    }
}

impl Row {
    fn to_discord(&self) -> Value {
        match self {
            Row::Buttons(buttons) => {
                let buttons: Vec<Value> = buttons
                    .iter()
                    .map(|b| {
                        json!({ "type": 2, "style": b.style as u8, "label": b.label, "custom_id": b.custom_id, "disabled": b.disabled })
                    })
                    .collect();
                json!({ "type": 1, "components": buttons })
            }
            Row::Select(select) => {
                let options: Vec<Value> = select
                    .options
                    .iter()
                    .map(|o| {
                        let mut option = json!({ "label": o.label, "value": o.value });
                        if let Some(description) = &o.description {
                            option["description"] = json!(description);
                        }
                        option
                    })
                    .collect();
                json!({
                    "type": 1,
                    "components": [{ "type": 3, "custom_id": select.custom_id, "placeholder": select.placeholder, "options": options }]
                })
            }
            Row::Links(links) => {
                let buttons: Vec<Value> = links
                    .iter()
                    .map(|l| json!({ "type": 2, "style": 5, "label": l.label, "url": l.url }))
                    .collect();
                json!({ "type": 1, "components": buttons })
            }
            Row::Users(select) => json!({
                "type": 1,
                "components": [{
                    "type": 5,
                    "custom_id": select.custom_id,
                    "placeholder": select.placeholder,
                    "min_values": 1,
                    "max_values": select.max_values,
                }]
            }),
        }
    }
}

impl Response {
    /// The interaction callback body Discord expects.
    pub fn to_discord(&self) -> Value {
        match self {
            Response::Message(reply) => json!({ "type": 4, "data": reply.to_discord_data() }),
            Response::Update(reply) => json!({ "type": 7, "data": reply.to_discord_data() }),
            Response::Modal(modal) => {
                let rows: Vec<Value> = modal
                    .inputs
                    .iter()
                    .map(|input| {
                        let mut field = json!({
                            "type": 4,
                            "custom_id": input.custom_id,
                            "style": if input.paragraph { 2 } else { 1 },
                            "label": input.label,
                            "placeholder": input.placeholder,
                            "required": true,
                            "max_length": input.max_length,
                        });
                        if let Some(value) = &input.value {
                            field["value"] = json!(value);
                        }
                        json!({ "type": 1, "components": [field] })
                    })
                    .collect();
                json!({ "type": 9, "data": { "custom_id": modal.custom_id, "title": modal.title, "components": rows } })
            }
            Response::Choices(choices) => {
                let choices: Vec<Value> = choices
                    .iter()
                    .map(|c| json!({ "name": c.name, "value": c.value }))
                    .collect();
                json!({ "type": 8, "data": { "choices": choices } })
            }
        }
    }

    /// The response as plain text, for the console: buttons and menu options are numbered so
    /// they can be pressed by number or label.
    pub fn to_text(&self) -> String {
        match self {
            Response::Message(reply) | Response::Update(reply) => reply.to_text(),
            Response::Modal(modal) => {
                let fields: Vec<&str> = modal
                    .inputs
                    .iter()
                    .map(|input| input.custom_id.as_str())
                    .collect();
                format!(
                    "[form: {}] answer with: submit {}\n",
                    modal.title,
                    fields
                        .iter()
                        .map(|f| format!("{f}:..."))
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            }
            Response::Choices(choices) => {
                let names: Vec<&str> = choices.iter().map(|c| c.name.as_str()).collect();
                format!("suggestions: {}\n", names.join(", "))
            }
        }
    }

    /// The files the answer carries (none for forms and suggestions).
    pub fn files(&self) -> &[Attachment] {
        self.reply().map_or(&[], |reply| &reply.files[..])
    }

    pub fn reply(&self) -> Option<&Reply> {
        match self {
            Response::Message(reply) | Response::Update(reply) => Some(reply),
            Response::Modal(_) | Response::Choices(_) => None,
        }
    }
}

impl Reply {
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if let Some(content) = &self.content {
            out.push_str(content);
            out.push('\n');
        }
        for embed in &self.embeds {
            if let Some(title) = &embed.title {
                out.push_str(&format!("== {title} ==\n"));
            }
            if let Some(description) = &embed.description {
                out.push_str(description);
                out.push('\n');
            }
            for field in &embed.fields {
                out.push_str(&format!("{}: {}\n", field.name, field.value));
            }
            if let Some(footer) = &embed.footer {
                out.push_str(&format!("-- {footer}\n"));
            }
        }
        let mut n = 0;
        for row in &self.rows {
            match row {
                Row::Buttons(buttons) => {
                    let labels: Vec<String> = buttons
                        .iter()
                        .map(|b| {
                            n += 1;
                            if b.disabled {
                                format!("({n}) {}", b.label)
                            } else {
                                format!("[{n}] {}", b.label)
                            }
                        })
                        .collect();
                    out.push_str(&labels.join("  "));
                    out.push('\n');
                }
                Row::Select(select) => {
                    out.push_str(&format!("{}:\n", select.placeholder));
                    for option in &select.options {
                        n += 1;
                        out.push_str(&format!("  <{n}> {}", option.label));
                        if let Some(description) = &option.description {
                            out.push_str(&format!(" ({description})"));
                        }
                        out.push('\n');
                    }
                }
                Row::Users(select) => {
                    out.push_str(&format!(
                        "{}: pick up to {} with: pick ID [ID ...]\n",
                        select.placeholder, select.max_values
                    ));
                }
                // A terminal can't press a link: it shows where the link goes.
                Row::Links(links) => {
                    for link in links {
                        out.push_str(&format!("{}: {}\n", link.label, link.url));
                    }
                }
            }
        }
        // The console shows a text file in full (nothing is written to disk, where erasure
        // could not reach it); a binary one only by name and size.
        for file in &self.files {
            match std::str::from_utf8(&file.bytes) {
                Ok(text) => out.push_str(&format!(
                    "--- file {} ({} bytes) ---\n{text}\n--- end of {} ---\n",
                    file.filename,
                    file.bytes.len(),
                    file.filename
                )),
                Err(_) => out.push_str(&format!(
                    "--- file {} ({} bytes, not text: not shown) ---\n",
                    file.filename,
                    file.bytes.len()
                )),
            }
        }
        if self.ephemeral {
            out.push_str("(only you can see this)\n");
        }
        out
    }

    /// The components in the order `to_text` numbers them: (label, custom_id, value).
    pub fn pressables(&self) -> Vec<(String, String, Option<String>)> {
        let mut all = Vec::new();
        for row in &self.rows {
            match row {
                Row::Buttons(buttons) => {
                    for b in buttons.iter() {
                        all.push((
                            b.label.clone(),
                            if b.disabled {
                                String::new()
                            } else {
                                b.custom_id.clone()
                            },
                            None,
                        ));
                    }
                }
                Row::Select(select) => {
                    for o in &select.options {
                        all.push((
                            o.label.clone(),
                            select.custom_id.clone(),
                            Some(o.value.clone()),
                        ));
                    }
                }
                // Users are picked by id (`pick`), and links opened, not pressed by number.
                Row::Users(_) | Row::Links(_) => {}
            }
        }
        all
    }

    /// The user picker of this reply, if it has one.
    pub fn user_select(&self) -> Option<&UserSelect> {
        self.rows.iter().find_map(|row| match row {
            Row::Users(select) => Some(select),
            _ => None,
        })
    }
}

/// A `multipart/form-data` body as Discord's uploads want it: the JSON in a `payload_json`
/// part, then each file in a `files[n]` part whose `n` is its `attachments[n].id`. Returns the
/// content type (with its boundary) and the body.
pub fn multipart(payload: &Value, files: &[Attachment]) -> (String, Vec<u8>) {
    let json = payload.to_string();
    // A boundary that occurs in no part.
    let mut boundary = String::from("allspark-upload-boundary");
    let mut n = 0u32;
    while json.contains(&boundary)
        || files.iter().any(|f| {
            f.bytes
                .windows(boundary.len())
                .any(|w| w == boundary.as_bytes())
        })
    {
        n += 1;
        boundary = format!("allspark-upload-boundary-{n}");
    }
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"payload_json\"\r\n\
             Content-Type: application/json\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(json.as_bytes());
    body.extend_from_slice(b"\r\n");
    for (id, file) in files.iter().enumerate() {
        let filename: String = file
            .filename
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect();
        let kind = if filename.ends_with(".json") {
            "application/json"
        } else {
            "application/octet-stream"
        };
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"files[{id}]\"; \
                 filename=\"{filename}\"\r\nContent-Type: {kind}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(&file.bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}
