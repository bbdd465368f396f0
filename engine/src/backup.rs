//! Backups of a running store and their restore (`allspark backup`, `allspark restore`).
//!
//! A backup is taken at a [`BackupPoint`] the core hands out between two batches
//! (`Engine::backup_point`): the seq the log ends at, all of it durable, and every personal text
//! as it stood at that moment. The events up to that seq are then read from the log while the
//! core goes on deciding: they never change, so the copy is consistent without stopping
//! anything. Restore writes the events into an empty data directory (re-encoded in the current
//! schema, as this build reads them) and the texts into its erasable store, then checks that
//! the World rebuilt from the restored log is the one the events give.
//!
//! Layout of a backup file: the 16-byte magic `ALLSPARK-BAK-V1\n`; the seq (`u64` LE); the
//! number of texts (`u32` LE) and each text as player (`u64` LE), key and text (each a `u32` LE
//! length and UTF-8 bytes); then the events up to the seq in the export layout
//! (`export.rs`: its magic, then length-prefixed records).
//!
//! Not in a backup: the server secret (keep it apart; a restored store without it gets a new
//! one, which only changes the dice of commands not yet decided) and command outcomes (a retry
//! of a command decided before the backup is decided anew, as after outcome compaction).
//! A backup holds people's text: an erasure after it does not reach it, so restoring an old
//! backup brings back the text of anyone erased since (erase them again).

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;

use crate::codec;
use crate::envelope::RecordedEvent;
use crate::export::{self, ExportError};
use crate::ids::PlayerId;
use crate::log::{AppendBatch, EventLog, LogError, SledLog};
use crate::personal::{PersonalStore, PersonalText, SledPersonal};
use crate::runtime::{log_dir, rebuild, EngineError};
use crate::world::World;

pub const MAGIC: &[u8; 16] = b"ALLSPARK-BAK-V1\n";
/// Events read from the log at a time while writing a backup, and appended at a time while
/// restoring.
pub const CHUNK_EVENTS: usize = 4_096;
/// Longest key or text accepted when reading a backup, in bytes.
pub const TEXT_LEN_MAX_BYTES: u32 = 1024 * 1024;

/// Where a backup is taken: the log's end and every personal text, read together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupPoint {
    pub seq: u64,
    pub texts: Vec<PersonalText>,
}

/// A backup read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backup {
    pub seq: u64,
    pub texts: Vec<PersonalText>,
    pub events: Vec<RecordedEvent>,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("not an AllSpark backup (bad magic)")]
    BadMagic,
    #[error("the backup is damaged: {0}")]
    Damaged(String),
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error(transparent)]
    Log(#[from] LogError),
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error("{0} is not empty: restore only into an empty (or new) data directory")]
    NotEmpty(String),
}

/// Writes the backup of `point` (events 1 to `point.seq` read from `log`); returns how many
/// events it holds.
pub fn write(
    log: &dyn EventLog,
    point: &BackupPoint,
    out: &mut impl Write,
) -> Result<u64, BackupError> {
    out.write_all(MAGIC)?;
    out.write_all(&point.seq.to_le_bytes())?;
    let n_texts = u32::try_from(point.texts.len())
        .map_err(|_| BackupError::Damaged("more texts than a backup can hold".into()))?;
    out.write_all(&n_texts.to_le_bytes())?;
    for text in &point.texts {
        out.write_all(&text.player.0.to_le_bytes())?;
        write_text(out, &text.key)?;
        write_text(out, &text.text)?;
    }
    out.write_all(export::MAGIC)?;
    let mut next = 1;
    while next <= point.seq {
        let limit = usize::try_from(point.seq - next + 1)
            .unwrap_or(CHUNK_EVENTS)
            .min(CHUNK_EVENTS);
        let events = log.read_all(next, limit)?;
        if events.is_empty() {
            return Err(BackupError::Damaged(format!(
                "the log ends before seq {next} of the backup point {}",
                point.seq
            )));
        }
        for event in &events {
            let bytes = codec::encode_event(event).map_err(LogError::from)?;
            out.write_all(&(bytes.len() as u32).to_le_bytes())?;
            out.write_all(&bytes)?;
        }
        next += events.len() as u64;
    }
    out.flush()?;
    Ok(point.seq)
}

fn write_text(out: &mut impl Write, text: &str) -> Result<(), BackupError> {
    let len = u32::try_from(text.len())
        .ok()
        .filter(|len| *len <= TEXT_LEN_MAX_BYTES)
        .ok_or_else(|| BackupError::Damaged("a text longer than a backup can hold".into()))?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(text.as_bytes())?;
    Ok(())
}

fn read_u32(input: &mut impl Read) -> Result<u32, BackupError> {
    let mut bytes = [0u8; 4];
    input.read_exact(&mut bytes)?;
    Ok(u32::from_le_bytes(bytes))
}

fn read_u64(input: &mut impl Read) -> Result<u64, BackupError> {
    let mut bytes = [0u8; 8];
    input.read_exact(&mut bytes)?;
    Ok(u64::from_le_bytes(bytes))
}

fn read_text(input: &mut impl Read) -> Result<String, BackupError> {
    let len = read_u32(input)?;
    if len > TEXT_LEN_MAX_BYTES {
        return Err(BackupError::Damaged(format!("a text claims {len} bytes")));
    }
    let mut bytes = vec![0u8; len as usize];
    input.read_exact(&mut bytes)?;
    String::from_utf8(bytes).map_err(|_| BackupError::Damaged("a text is not UTF-8".into()))
}

/// Reads a whole backup and checks it: the events run from seq 1 to its seq without a gap.
pub fn read(input: &mut impl Read) -> Result<Backup, BackupError> {
    let mut magic = [0u8; 16];
    input
        .read_exact(&mut magic)
        .map_err(|_| BackupError::BadMagic)?;
    if &magic != MAGIC {
        return Err(BackupError::BadMagic);
    }
    let seq = read_u64(input)?;
    let n_texts = read_u32(input)?;
    let mut texts = Vec::new();
    for _ in 0..n_texts {
        let player = PlayerId(read_u64(input)?);
        let key = read_text(input)?;
        let text = read_text(input)?;
        texts.push(PersonalText { player, key, text });
    }
    let events = export::read_log(input)?;
    for (expected, event) in (1..).zip(&events) {
        if event.seq != expected {
            return Err(BackupError::Damaged(format!(
                "event {expected} carries seq {}",
                event.seq
            )));
        }
    }
    if events.len() as u64 != seq {
        return Err(BackupError::Damaged(format!(
            "the backup is at seq {seq} but holds {} events (cut short?)",
            events.len()
        )));
    }
    Ok(Backup { seq, texts, events })
}

/// What a restore wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Restored {
    pub n_events: u64,
    pub n_texts: usize,
    /// Players known in the restored store.
    pub n_players: usize,
    /// The World the restored store opens with.
    pub world: World,
}

/// Restores `backup` into `data`, which must not exist or be empty; never overwrites.
pub fn restore(backup: &Backup, data: &Path) -> Result<Restored, BackupError> {
    if data.exists() {
        let mut entries = std::fs::read_dir(data)?;
        if entries.next().is_some() {
            return Err(BackupError::NotEmpty(data.display().to_string()));
        }
    }
    std::fs::create_dir_all(data)?;
    let log = Arc::new(SledLog::open(&log_dir(data))?);
    let personal = SledPersonal::open(&data.join("personal"))?;
    for text in &backup.texts {
        personal.put(text.player, &text.key, &text.text)?;
    }
    personal.flush()?;
    for chunk in backup.events.chunks(CHUNK_EVENTS) {
        log.append(&AppendBatch {
            events: chunk.to_vec(),
            commands: Vec::new(),
        })?;
    }
    log.flush()?;
    let (world, _) = rebuild(log.as_ref(), false)?;
    Ok(Restored {
        n_events: backup.events.len() as u64,
        n_texts: backup.texts.len(),
        n_players: world.players.len(),
        world,
    })
}
