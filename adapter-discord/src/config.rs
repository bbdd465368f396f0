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

/// Politics & War recruitment settings (`PNW_*`). Without `PNW_API_KEY` recruitment is off and
/// its commands say what to configure.
#[derive(Clone, Debug)]
pub struct Pnw {
    pub api_key: Option<String>,
    /// The game's GraphQL API (`PNW_GRAPHQL_URL`).
    pub graphql_url: String,
    /// The game's message endpoint (`PNW_SEND_URL`).
    pub send_url: String,
    /// Pause between two sends (`PNW_SEND_INTERVAL_MS`, default 1500).
    pub send_interval: Duration,
    /// Discord user ids allowed to recruit (`PNW_LEADERS`, comma-separated).
    pub leaders: std::collections::BTreeSet<u64>,
    /// Discord role ids allowed to recruit (`PNW_LEADER_ROLES`, comma-separated).
    pub leader_roles: std::collections::BTreeSet<u64>,
    /// Nations inactive for longer are not shown (`PNW_INACTIVE_DAYS`, default 7).
    pub inactive_days: u32,
    /// Most nations one fetch reads (`PNW_MAX_NATIONS`, default and cap 15,000).
    pub max_nations: usize,
    /// The recruiting alliance's name, filled into templates (`PNW_ALLIANCE_NAME`).
    pub alliance_name: String,
    /// Timeout of one request to the game (`PNW_TIMEOUT_MS`, default 30,000).
    pub timeout: Duration,
}

/// Most nations a fetch reads, as the issue and the original bot set it.
pub const PNW_MAX_NATIONS: usize = 15_000;

impl Default for Pnw {
    fn default() -> Pnw {
        Pnw {
            api_key: None,
            graphql_url: "https://api.politicsandwar.com/graphql".to_string(),
            send_url: "https://politicsandwar.com/api/send-message/".to_string(),
            send_interval: Duration::from_millis(1_500),
            leaders: Default::default(),
            leader_roles: Default::default(),
            inactive_days: 7,
            max_nations: PNW_MAX_NATIONS,
            alliance_name: "our alliance".to_string(),
            timeout: Duration::from_secs(30),
        }
    }
}

fn ids_list(name: &str, text: &str) -> anyhow::Result<std::collections::BTreeSet<u64>> {
    text.split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            part.parse().map_err(|_| {
                anyhow::anyhow!("{name} must be Discord ids separated by commas, got `{part}`")
            })
        })
        .collect()
}

fn number<T: std::str::FromStr>(name: &str, default: T) -> anyhow::Result<T> {
    match std::env::var(name) {
        Ok(value) if !value.trim().is_empty() => value
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("{name} must be a whole number, got `{value}`")),
        _ => Ok(default),
    }
}

impl Pnw {
    pub fn from_env() -> anyhow::Result<Pnw> {
        let text = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let defaults = Pnw::default();
        Ok(Pnw {
            api_key: text("PNW_API_KEY").map(|key| key.trim().to_string()),
            graphql_url: text("PNW_GRAPHQL_URL").unwrap_or(defaults.graphql_url),
            send_url: text("PNW_SEND_URL").unwrap_or(defaults.send_url),
            send_interval: Duration::from_millis(number("PNW_SEND_INTERVAL_MS", 1_500u64)?),
            leaders: ids_list("PNW_LEADERS", &text("PNW_LEADERS").unwrap_or_default())?,
            leader_roles: ids_list(
                "PNW_LEADER_ROLES",
                &text("PNW_LEADER_ROLES").unwrap_or_default(),
            )?,
            inactive_days: number("PNW_INACTIVE_DAYS", 7u32)?,
            max_nations: number("PNW_MAX_NATIONS", PNW_MAX_NATIONS)?.min(PNW_MAX_NATIONS),
            alliance_name: text("PNW_ALLIANCE_NAME").unwrap_or(defaults.alliance_name),
            timeout: Duration::from_millis(number("PNW_TIMEOUT_MS", 30_000u64)?),
        })
    }
}

/// What a sync changed: command names added, removed and changed against what Discord had
/// registered before, and how many stayed as they were.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<String>,
    pub unchanged: usize,
}

/// A command as the comparison sees it: the fields the registration table sets, with
/// Discord's spellings made equal (permissions as a string, `required: false` and empty
/// option lists left out, unset fields absent).
fn comparable(command: &serde_json::Value) -> serde_json::Value {
    use serde_json::{json, Map, Value};
    fn option(given: &Value) -> Value {
        let mut out = Map::new();
        for key in [
            "type",
            "name",
            "description",
            "required",
            "choices",
            "autocomplete",
            "min_value",
            "max_value",
            "max_length",
            "options",
        ] {
            match (key, given.get(key)) {
                (_, None | Some(Value::Null)) => {}
                ("required" | "autocomplete", Some(Value::Bool(false))) => {}
                ("choices" | "options", Some(Value::Array(list))) if list.is_empty() => {}
                ("options", Some(Value::Array(list))) => {
                    out.insert(key.into(), Value::Array(list.iter().map(option).collect()));
                }
                (_, Some(value)) => {
                    out.insert(key.into(), value.clone());
                }
            }
        }
        Value::Object(out)
    }
    let permissions = match command.get("default_member_permissions") {
        Some(Value::String(bits)) => Some(bits.clone()),
        Some(Value::Number(bits)) => Some(bits.to_string()),
        _ => None,
    };
    let options: Vec<Value> = command
        .get("options")
        .and_then(Value::as_array)
        .map(|list| list.iter().map(option).collect())
        .unwrap_or_default();
    json!({
        "type": command.get("type").cloned().unwrap_or(json!(1)),
        "description": command.get("description").cloned().unwrap_or(Value::Null),
        "options": options,
        "default_member_permissions": permissions,
    })
}

/// What registering `wanted` changes against `registered` (Discord's answer to a GET).
pub fn sync_report(registered: &serde_json::Value, wanted: &serde_json::Value) -> SyncReport {
    use std::collections::BTreeMap;
    let by_name = |list: &serde_json::Value| -> BTreeMap<String, serde_json::Value> {
        list.as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| Some((c.get("name")?.as_str()?.to_string(), comparable(c))))
            .collect()
    };
    let (before, after) = (by_name(registered), by_name(wanted));
    let mut report = SyncReport::default();
    for (name, command) in &after {
        match before.get(name) {
            None => report.added.push(name.clone()),
            Some(old) if old != command => report.changed.push(name.clone()),
            Some(_) => report.unchanged += 1,
        }
    }
    report.removed = before
        .keys()
        .filter(|name| !after.contains_key(*name))
        .cloned()
        .collect();
    report
}

/// Registers every command (globally, or in one guild) after reading what was registered,
/// and says what changed.
pub async fn sync_commands_report(
    settings: &Discord,
    guild: Option<u64>,
) -> anyhow::Result<SyncReport> {
    let (url, token, base) = commands_url(settings, guild)?;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    let answer = client
        .get(&url)
        .header("Authorization", format!("Bot {token}"))
        .send()
        .await
        .map_err(|error| anyhow::anyhow!("cannot reach Discord at {base}: {error}"))?;
    if !answer.status().is_success() {
        let status = answer.status();
        let text = answer.text().await.unwrap_or_default();
        anyhow::bail!("Discord refused to list the commands ({status}): {text}");
    }
    let registered: serde_json::Value = answer
        .json()
        .await
        .map_err(|error| anyhow::anyhow!("Discord's list of commands is unreadable: {error}"))?;
    let payload = crate::commands::registration_payload();
    let report = sync_report(&registered, &payload);
    put_commands(&client, &url, &token, &base, &payload).await?;
    Ok(report)
}

/// The commands URL, the token and the API base of these settings.
fn commands_url(
    settings: &Discord,
    guild: Option<u64>,
) -> anyhow::Result<(String, String, String)> {
    let token = settings
        .token
        .clone()
        .ok_or_else(|| anyhow::anyhow!("DISCORD_TOKEN is not set"))?;
    let application = settings
        .application_id
        .ok_or_else(|| anyhow::anyhow!("DISCORD_APPLICATION_ID is not set"))?;
    let base = settings.api_base.trim_end_matches('/').to_string();
    let url = match guild {
        Some(guild) => format!("{base}/applications/{application}/guilds/{guild}/commands"),
        None => format!("{base}/applications/{application}/commands"),
    };
    Ok((url, token, base))
}

async fn put_commands(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    base: &str,
    payload: &serde_json::Value,
) -> anyhow::Result<()> {
    let answer = client
        .put(url)
        .header("Authorization", format!("Bot {token}"))
        .json(payload)
        .send()
        .await
        .map_err(|error| anyhow::anyhow!("cannot reach Discord at {base}: {error}"))?;
    if !answer.status().is_success() {
        let status = answer.status();
        let text = answer.text().await.unwrap_or_default();
        anyhow::bail!("Discord refused the commands ({status}): {text}");
    }
    Ok(())
}

/// Registers every command (globally, or in one guild). Returns how many.
pub async fn sync_commands(settings: &Discord, guild: Option<u64>) -> anyhow::Result<usize> {
    let (url, token, base) = commands_url(settings, guild)?;
    let payload = crate::commands::registration_payload();
    let n = payload.as_array().map_or(0, Vec::len);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    put_commands(&client, &url, &token, &base, &payload).await?;
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

/// The server secret command seeds are derived from: `ALLSPARK_SECRET` if set, else the
/// `secret` file in the data directory, created with 32 random bytes on first use (readable by
/// the owner only). Whoever knows it and a command id can foresee that command's dice, so it
/// never leaves the machine and is never shown.
pub fn server_secret(data: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    if let Ok(secret) = std::env::var("ALLSPARK_SECRET") {
        if secret.trim().len() < 16 {
            anyhow::bail!("ALLSPARK_SECRET must be at least 16 characters");
        }
        return Ok(secret.trim().as_bytes().to_vec());
    }
    secret_file(&data.join("secret"))
}

/// The secret a running bot on `data` uses (`ALLSPARK_SECRET`, or `<data>/secret`), never
/// making one: for the operator's tools that talk to that bot.
pub fn existing_secret(data: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    if let Ok(secret) = std::env::var("ALLSPARK_SECRET") {
        return Ok(secret.trim().as_bytes().to_vec());
    }
    let path = data.join("secret");
    std::fs::read(&path).map_err(|error| {
        anyhow::anyhow!(
            "cannot read the bot's secret at {} ({error}); give --data the bot's data directory \
             or set ALLSPARK_SECRET as the bot has it",
            path.display()
        )
    })
}

/// Reads the secret kept at `path`, making a new random one there if there is none yet.
fn secret_file(path: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    match std::fs::read(path) {
        Ok(secret) if secret.len() >= 16 => return Ok(secret),
        Ok(_) => anyhow::bail!(
            "{} is too short to be a secret; delete it to make a new one",
            path.display()
        ),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => anyhow::bail!("cannot read {}: {error}", path.display()),
    }
    let mut secret = vec![0u8; 32];
    getrandom::fill(&mut secret)
        .map_err(|error| anyhow::anyhow!("no randomness for a new secret: {error}"))?;
    write_private(path, &secret)
        .map_err(|error| anyhow::anyhow!("cannot write {}: {error}", path.display()))?;
    Ok(secret)
}

fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// The server's grump for `/grump` (`ALLSPARK_GRUMP_USER`, a Discord user id); `None` when it
/// is not set.
pub fn grump_user() -> anyhow::Result<Option<u64>> {
    optional_id("ALLSPARK_GRUMP_USER")
}

/// Whether an on/off setting is on: `1`, `true`, `yes` or `on` (any case).
pub fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|value| {
        matches!(
            value.trim().to_ascii_lowercase().as_str(),
            "1" | "true" | "yes" | "on"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_store_gets_a_private_random_secret_that_stays() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("secret");
        let first = secret_file(&path).expect("a new secret");
        assert_eq!(first.len(), 32);
        assert_eq!(secret_file(&path).expect("the same secret"), first);
        let other = tempfile::tempdir().expect("temp dir");
        assert_ne!(
            secret_file(&other.path().join("secret")).expect("another secret"),
            first
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path)
                .expect("metadata")
                .permissions()
                .mode();
            assert_eq!(
                mode & 0o077,
                0,
                "the secret must be readable by its owner only"
            );
        }
    }

    #[test]
    fn a_truncated_secret_is_refused_with_one_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("secret");
        std::fs::write(&path, b"short").expect("write");
        let error = secret_file(&path).expect_err("too short").to_string();
        assert!(error.contains("too short"), "{error}");
        assert!(!error.contains('\n'));
    }
}
