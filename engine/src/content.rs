//! Game content (items, enemies, names, texts) embedded in the binary, and its version hash.
//!
//! The hash is recorded in snapshots (and, for battles, in their start events), so a replay
//! knows which content it ran on and a snapshot taken under other content is never trusted.

use sha2::{Digest, Sha256};

/// Every content file the engine embeds, by its path under `engine/content/`.
/// Areas add their files here as they start using them.
pub const FILES: &[(&str, &str)] = &[];

/// SHA-256 over every embedded content file's name and bytes, in [`FILES`] order.
pub fn version() -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"allspark/content/v1");
    for (name, text) in FILES {
        hasher.update((name.len() as u64).to_be_bytes());
        hasher.update(name.as_bytes());
        hasher.update((text.len() as u64).to_be_bytes());
        hasher.update(text.as_bytes());
    }
    hasher.finalize().into()
}
