//! What the adapter answers with: a transport-neutral mirror of a Discord message (content,
//! embeds, components). The HTTP endpoint serializes it to Discord's JSON; the console prints
//! it as text. Render functions build these and nothing else.

use serde::Serialize;

/// One reply to one interaction.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Reply {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub embeds: Vec<Embed>,
    /// Only the person who asked sees it.
    #[serde(skip)]
    pub ephemeral: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Embed {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<EmbedField>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EmbedField {
    pub name: String,
    pub value: String,
    pub inline: bool,
}

/// Colours used across replies.
pub mod color {
    pub const ENERGON: u32 = 0x00_c8_ff;
    pub const NEUTRAL: u32 = 0x80_80_80;
}

impl Reply {
    pub fn text(content: impl Into<String>) -> Reply {
        Reply {
            content: Some(content.into()),
            ..Reply::default()
        }
    }

    /// A refusal only the asker sees.
    pub fn refusal(content: impl Into<String>) -> Reply {
        Reply {
            content: Some(content.into()),
            ephemeral: true,
            ..Reply::default()
        }
    }

    pub fn embed(embed: Embed) -> Reply {
        Reply {
            embeds: vec![embed],
            ..Reply::default()
        }
    }

    /// The reply as plain text, for the console.
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
        }
        if self.ephemeral {
            out.push_str("(only you can see this)\n");
        }
        out
    }
}
