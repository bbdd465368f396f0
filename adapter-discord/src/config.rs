//! Configuration from the environment (and a `.env` file), with one clear line for anything
//! missing or malformed, and the small REST calls the CLI makes (command registration).

use std::time::Duration;

/// Reads `KEY=VALUE` lines from `./.env` into the environment, without overriding variables
/// that are already set. Lines starting with `#` and blank lines are skipped.
pub fn load_dotenv() {
    let Ok(text) = std::fs::read_to_string(".env") else {
        return;
    };
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some((key, value)) = line.split_once('=') {
            let key = key.trim();
            let value = value.trim().trim_matches('"');
            if std::env::var_os(key).is_none() {
                // Runs first thing in main, before any other thread reads the environment.
                std::env::set_var(key, value);
            }
        }
    }
}

/// Discord settings.
#[derive(Clone, Debug)]
pub struct Discord {
    pub token: Option<String>,
    pub application_id: Option<u64>,
    pub public_key: String,
    pub owner: Option<u64>,
    pub api_base: String,
}

fn optional_id(name: &str) -> anyhow::Result<Option<u64>> {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => value
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| anyhow::anyhow!("{name} must be a Discord id (digits), got `{value}`")),
        _ => Ok(None),
    }
}

impl Discord {
    /// Reads the settings; `need_public_key` for the HTTP endpoint.
    pub fn from_env(need_public_key: bool) -> anyhow::Result<Discord> {
        let public_key = std::env::var("DISCORD_PUBLIC_KEY").unwrap_or_default();
        if need_public_key && public_key.trim().is_empty() {
            anyhow::bail!("DISCORD_PUBLIC_KEY is not set (the application's public key, from the developer portal)");
        }
        Ok(Discord {
            token: std::env::var("DISCORD_TOKEN")
                .ok()
                .filter(|t| !t.trim().is_empty()),
            application_id: optional_id("DISCORD_APPLICATION_ID")?,
            public_key,
            owner: optional_id("ALLSPARK_OWNER_ID")?,
            api_base: std::env::var("DISCORD_API_BASE")
                .unwrap_or_else(|_| "https://discord.com/api/v10".to_string()),
        })
    }
}

/// Registers every command (globally, or in one guild). Returns how many.
pub async fn sync_commands(settings: &Discord, guild: Option<u64>) -> anyhow::Result<usize> {
    let token = settings
        .token
        .as_deref()
        .ok_or_else(|| anyhow::anyhow!("DISCORD_TOKEN is not set"))?;
    let application = settings
        .application_id
        .ok_or_else(|| anyhow::anyhow!("DISCORD_APPLICATION_ID is not set"))?;
    let base = settings.api_base.trim_end_matches('/');
    let url = match guild {
        Some(guild) => format!("{base}/applications/{application}/guilds/{guild}/commands"),
        None => format!("{base}/applications/{application}/commands"),
    };
    let payload = crate::commands::registration_payload();
    let n = payload.as_array().map_or(0, Vec::len);
    let answer = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?
        .put(&url)
        .header("Authorization", format!("Bot {token}"))
        .json(&payload)
        .send()
        .await
        .map_err(|error| anyhow::anyhow!("cannot reach Discord at {base}: {error}"))?;
    if !answer.status().is_success() {
        let status = answer.status();
        let text = answer.text().await.unwrap_or_default();
        anyhow::bail!("Discord refused the commands ({status}): {text}");
    }
    Ok(n)
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}
