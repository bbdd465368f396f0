//! The erasable store: text people wrote (a pet's chosen name, and later lore and messages),
//! kept out of the log and keyed by player, so that erasing a person removes their words
//! without rewriting history. Events only record that such text exists.
//!
//! The sled implementation lives in its own directory, apart from the log, so that an erase can
//! rewrite it wholesale (see `PersonalStore::erase`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::ids::PlayerId;
use crate::log::LogError;

/// Personal text keyed by player and a short key such as `pet.name`.
///
/// Writes are not durable until [`PersonalStore::flush`], so the core can write every text of a
/// batch and make them durable with one flush, just before the batch's events are appended (and
/// put the previous texts back if the batch fails).
pub trait PersonalStore: Send + Sync + 'static {
    /// Stores (or replaces) a text; durable at the next flush.
    fn put(&self, player: PlayerId, key: &str, text: &str) -> Result<(), LogError>;
    fn get(&self, player: PlayerId, key: &str) -> Result<Option<String>, LogError>;
    /// Removes one text (nothing if there is none); durable at the next flush. Not an erasure:
    /// the text may linger in old files, so use [`PersonalStore::erase`] to forget a person.
    fn remove(&self, player: PlayerId, key: &str) -> Result<(), LogError>;
    /// Makes every put and remove so far durable.
    fn flush(&self) -> Result<(), LogError>;
    /// Removes everything stored for `player`, durably, leaving no file that held it (and makes
    /// earlier puts durable too); returns how many entries were removed.
    fn erase(&self, player: PlayerId) -> Result<usize, LogError>;
    /// Every text stored (for one player, or for everyone when `None`), as
    /// (player, key, text), by player then key: what `/my_data` shows a player and what a
    /// backup copies.
    fn texts(&self, player: Option<PlayerId>) -> Result<Vec<PersonalText>, LogError>;
}

/// One stored text: who wrote it, under which key, and the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonalText {
    pub player: PlayerId,
    pub key: String,
    pub text: String,
}

/// A change a command makes to the erasable store, decided with it and applied by the core
/// just before the command's events are staged (see `Area::personal_writes`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PersonalWrite {
    /// Store `text` under `player` and `key` (replacing what was there).
    Put {
        player: PlayerId,
        key: String,
        text: String,
    },
    /// Remove what `player` has under `key` (a deletion, not an erasure: see
    /// [`PersonalStore::remove`]).
    Remove { player: PlayerId, key: String },
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

    fn remove(&self, player: PlayerId, key: &str) -> Result<(), LogError> {
        self.lock().remove(&(player, key.to_string()));
        Ok(())
    }

    fn flush(&self) -> Result<(), LogError> {
        Ok(())
    }

    fn erase(&self, player: PlayerId) -> Result<usize, LogError> {
        let mut entries = self.lock();
        let before = entries.len();
        entries.retain(|(owner, _), _| *owner != player);
        Ok(before - entries.len())
    }

    fn texts(&self, player: Option<PlayerId>) -> Result<Vec<PersonalText>, LogError> {
        Ok(self
            .lock()
            .iter()
            .filter(|((owner, _), _)| player.is_none_or(|p| p == *owner))
            .map(|((owner, key), text)| PersonalText {
                player: *owner,
                key: key.clone(),
                text: text.clone(),
            })
            .collect())
    }
}

/// Personal text on sled, in its own directory.
///
/// sled is log-structured: a removed or replaced value stays in old segment files until sled
/// happens to reclaim them. So `erase` does not stop at removing keys: it copies what is left
/// into a fresh database and swaps directories, which leaves no file that ever held the erased
/// text. The swap is crash-safe: the copy is complete and flushed before the old directory is
/// renamed away, and `open` finishes (or discards) a swap a crash interrupted.
pub struct SledPersonal {
    dir: PathBuf,
    /// `None` only for the moment of a swap.
    db: Mutex<Option<sled::Db>>,
}

impl SledPersonal {
    pub fn open(dir: &Path) -> Result<SledPersonal, LogError> {
        let fresh = sibling(dir, "new");
        let old = sibling(dir, "old");
        let mut interrupted = false;
        if fresh.exists() {
            interrupted = true;
            if dir.exists() {
                // The copy may be incomplete: the old store is still the truth.
                std::fs::remove_dir_all(&fresh)?;
            } else {
                // The copy was complete (it is flushed before the old one moves away).
                std::fs::rename(&fresh, dir)?;
            }
        }
        if old.exists() {
            interrupted = true;
            std::fs::remove_dir_all(&old)?;
        }
        let store = SledPersonal {
            dir: dir.to_path_buf(),
            db: Mutex::new(Some(open_at(dir)?)),
        };
        if interrupted {
            // An erase was cut short: scrub again so its text can't linger in old segments.
            store.compact(&mut store.lock())?;
        }
        Ok(store)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<sled::Db>> {
        self.db
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn with_db<T>(&self, f: impl FnOnce(&sled::Db) -> Result<T, LogError>) -> Result<T, LogError> {
        match self.lock().as_ref() {
            Some(db) => f(db),
            None => Err(LogError::Corrupt(
                "the personal store was lost during a rewrite; reopen the engine".into(),
            )),
        }
    }

    fn key(player: PlayerId, key: &str) -> Vec<u8> {
        let mut bytes = player.0.to_be_bytes().to_vec();
        bytes.extend_from_slice(key.as_bytes());
        bytes
    }

    /// Rewrites the store into fresh files and deletes the old ones.
    fn compact(&self, slot: &mut Option<sled::Db>) -> Result<(), LogError> {
        let Some(db) = slot.as_ref() else {
            return Err(LogError::Corrupt("the personal store is not open".into()));
        };
        let fresh_dir = sibling(&self.dir, "new");
        if fresh_dir.exists() {
            std::fs::remove_dir_all(&fresh_dir)?;
        }
        {
            let fresh = open_at(&fresh_dir)?;
            for entry in db.iter() {
                let (key, value) = entry?;
                fresh.insert(key, value)?;
            }
            fresh.flush()?;
        }
        // Close the old database (its file lock and handles) before moving its directory.
        drop(slot.take());
        let old_dir = sibling(&self.dir, "old");
        std::fs::rename(&self.dir, &old_dir)?;
        std::fs::rename(&fresh_dir, &self.dir)?;
        std::fs::remove_dir_all(&old_dir)?;
        *slot = Some(open_at(&self.dir)?);
        Ok(())
    }
}

/// The sled database at `dir`, a busy lock (a handle of this process just dropped) tried
/// again for a moment.
fn open_at(dir: &Path) -> Result<sled::Db, LogError> {
    crate::log::sled_log::open_retrying(&sled::Config::new().path(dir), dir)
}

/// `dir` with `.suffix` appended to its last component: `personal` -> `personal.new`.
fn sibling(dir: &Path, suffix: &str) -> PathBuf {
    let mut name = dir
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".");
    name.push(suffix);
    dir.with_file_name(name)
}

impl PersonalStore for SledPersonal {
    fn put(&self, player: PlayerId, key: &str, text: &str) -> Result<(), LogError> {
        self.with_db(|db| {
            db.insert(SledPersonal::key(player, key), text.as_bytes())?;
            Ok(())
        })
    }

    fn remove(&self, player: PlayerId, key: &str) -> Result<(), LogError> {
        self.with_db(|db| {
            db.remove(SledPersonal::key(player, key))?;
            Ok(())
        })
    }

    fn flush(&self) -> Result<(), LogError> {
        self.with_db(|db| {
            db.flush()?;
            Ok(())
        })
    }

    fn get(&self, player: PlayerId, key: &str) -> Result<Option<String>, LogError> {
        self.with_db(|db| {
            Ok(db
                .get(SledPersonal::key(player, key))?
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned()))
        })
    }

    fn erase(&self, player: PlayerId) -> Result<usize, LogError> {
        let mut slot = self.lock();
        let Some(db) = slot.as_ref() else {
            return Err(LogError::Corrupt("the personal store is not open".into()));
        };
        let mut n_removed = 0;
        for entry in db.scan_prefix(player.0.to_be_bytes()) {
            let (key, _) = entry?;
            db.remove(key)?;
            n_removed += 1;
        }
        db.flush()?;
        // Always rewrite, even when nothing is stored now: text the person replaced earlier
        // (an old pet name) may still sit in old segments.
        self.compact(&mut slot)?;
        Ok(n_removed)
    }

    fn texts(&self, player: Option<PlayerId>) -> Result<Vec<PersonalText>, LogError> {
        self.with_db(|db| {
            let entries = match player {
                Some(player) => db.scan_prefix(player.0.to_be_bytes()),
                None => db.iter(),
            };
            let mut texts = Vec::new();
            for entry in entries {
                let (key, value) = entry?;
                if key.len() < 8 {
                    return Err(LogError::Corrupt(
                        "a personal key shorter than its player".into(),
                    ));
                }
                let mut id = [0u8; 8];
                id.copy_from_slice(&key[..8]);
                texts.push(PersonalText {
                    player: PlayerId(u64::from_be_bytes(id)),
                    key: String::from_utf8_lossy(&key[8..]).into_owned(),
                    text: String::from_utf8_lossy(&value).into_owned(),
                });
            }
            Ok(texts)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALICE: PlayerId = PlayerId(7);

    #[test]
    fn a_swap_cut_short_by_a_crash_is_finished_on_open() {
        let root = tempfile::tempdir().expect("temp dir");
        let dir = root.path().join("personal");
        {
            let store = SledPersonal::open(&dir).expect("open");
            store.put(ALICE, KEY_PET_NAME, "Vexilon").expect("put");
            store.flush().expect("flush");
        }
        // The crash came after the old store moved away and before the fresh copy took its
        // place: the fresh copy is complete, the old one still holds erased text.
        std::fs::rename(&dir, sibling(&dir, "old")).expect("rename");
        copy_dir(&sibling(&dir, "old"), &sibling(&dir, "new"));
        let store = SledPersonal::open(&dir).expect("reopen");
        assert_eq!(
            store.get(ALICE, KEY_PET_NAME).expect("get"),
            Some("Vexilon".to_string())
        );
        assert!(!sibling(&dir, "old").exists());
        assert!(!sibling(&dir, "new").exists());
    }

    #[test]
    fn a_half_written_copy_is_discarded_on_open() {
        let root = tempfile::tempdir().expect("temp dir");
        let dir = root.path().join("personal");
        {
            let store = SledPersonal::open(&dir).expect("open");
            store.put(ALICE, KEY_PET_NAME, "Vexilon").expect("put");
            store.flush().expect("flush");
        }
        std::fs::create_dir_all(sibling(&dir, "new")).expect("mkdir");
        std::fs::write(sibling(&dir, "new").join("db"), b"torn").expect("write");
        let store = SledPersonal::open(&dir).expect("reopen");
        assert_eq!(
            store.get(ALICE, KEY_PET_NAME).expect("get"),
            Some("Vexilon".to_string())
        );
        assert!(!sibling(&dir, "new").exists());
        assert_eq!(store.erase(ALICE).expect("erase"), 1);
        assert_eq!(store.get(ALICE, KEY_PET_NAME).expect("get"), None);
    }

    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("mkdir");
        for entry in std::fs::read_dir(from).expect("read dir").flatten() {
            let target = to.join(entry.file_name());
            if entry.path().is_dir() {
                copy_dir(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).expect("copy");
            }
        }
    }
}
