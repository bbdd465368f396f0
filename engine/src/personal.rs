//! The erasable store: text people wrote (a pet's chosen name, and later lore and messages),
//! kept out of the log and keyed by player, so that erasing a person removes their words
//! without rewriting history. Events only record that such text exists.
//!
//! The sled implementation lives in its own directory, apart from the log, so that an erase can
//! rewrite it wholesale (see `PersonalStore::erase`).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use crate::ids::PlayerId;
use crate::log::LogError;

/// Personal text keyed by player and a short key such as `pet.name`.
pub trait PersonalStore: Send + Sync + 'static {
    /// Stores (or replaces) a text, durably.
    fn put(&self, player: PlayerId, key: &str, text: &str) -> Result<(), LogError>;
    fn get(&self, player: PlayerId, key: &str) -> Result<Option<String>, LogError>;
    /// Removes everything stored for `player`; returns how many entries were removed.
    fn erase(&self, player: PlayerId) -> Result<usize, LogError>;
}

/// The key a pet's chosen name is stored under.
pub const KEY_PET_NAME: &str = "pet.name";

#[derive(Debug, Default)]
pub struct MemoryPersonal {
    entries: Mutex<BTreeMap<(PlayerId, String), String>>,
}

impl MemoryPersonal {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<(PlayerId, String), String>> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl PersonalStore for MemoryPersonal {
    fn put(&self, player: PlayerId, key: &str, text: &str) -> Result<(), LogError> {
        self.lock()
            .insert((player, key.to_string()), text.to_string());
        Ok(())
    }

    fn get(&self, player: PlayerId, key: &str) -> Result<Option<String>, LogError> {
        Ok(self.lock().get(&(player, key.to_string())).cloned())
    }

    fn erase(&self, player: PlayerId) -> Result<usize, LogError> {
        let mut entries = self.lock();
        let before = entries.len();
        entries.retain(|(owner, _), _| *owner != player);
        Ok(before - entries.len())
    }
}

/// Personal text on sled, in its own directory.
pub struct SledPersonal {
    db: sled::Db,
}

impl SledPersonal {
    pub fn open(dir: &Path) -> Result<SledPersonal, LogError> {
        Ok(SledPersonal {
            db: sled::Config::new().path(dir).open()?,
        })
    }

    fn key(player: PlayerId, key: &str) -> Vec<u8> {
        let mut bytes = player.0.to_be_bytes().to_vec();
        bytes.extend_from_slice(key.as_bytes());
        bytes
    }
}

impl PersonalStore for SledPersonal {
    fn put(&self, player: PlayerId, key: &str, text: &str) -> Result<(), LogError> {
        self.db
            .insert(SledPersonal::key(player, key), text.as_bytes())?;
        self.db.flush()?;
        Ok(())
    }

    fn get(&self, player: PlayerId, key: &str) -> Result<Option<String>, LogError> {
        Ok(self
            .db
            .get(SledPersonal::key(player, key))?
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned()))
    }

    fn erase(&self, player: PlayerId) -> Result<usize, LogError> {
        let mut n_removed = 0;
        for entry in self.db.scan_prefix(player.0.to_be_bytes()) {
            let (key, _) = entry?;
            self.db.remove(key)?;
            n_removed += 1;
        }
        self.db.flush()?;
        Ok(n_removed)
    }
}
