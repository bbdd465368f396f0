//! AllSpark's game engine: an event-sourced world behind one writer.
//!
//! Layout, in reading order:
//! - [`ids`], [`clock`], [`dice`]: the vocabulary: who, when, and seeded chance.
//! - [`area`]: the contract every area implements; [`world`]: the list of areas, and from it
//!   `Command`, `Event`, `Rejection` and the `World`.
//! - the areas, each with the same six files (`mod`, `command`, `event`, `state`, `rules`,
//!   `view`): [`player`], [`energon`], [`pets`], [`slots`], [`battle`], [`recruit`], [`admin`],
//!   [`market`], [`trade`], [`social`], [`fun`], [`rpg`].
//! - [`history`]: a player's energon ledger, read back from their stream; [`data_export`]: a
//!   player's own data (the events naming them, their text) as JSON, for `/my_data`.
//! - [`personal`]: the erasable store for text people wrote, kept out of the log.
//! - [`envelope`], [`codec`]: what is stored and how its bytes look (an API boundary).
//! - [`log`]: the `EventLog` contract, its sled and in-memory implementations, subscriptions.
//! - [`runtime`]: the `Engine` facade and the single-writer core (group commit, snapshots);
//!   [`stats`]: what the core measures for the operator's metrics.
//! - [`content`]: embedded game data and its version hash.
//! - [`export`]: the portable log format; [`scenario`]: deterministic scenarios with golden
//!   outcomes (fixtures); [`backup`]: a consistent copy of a running store and its restore;
//!   [`check`]: the integrity check of a stopped store (projections and the ledger);
//!   [`legacy`]: the import of the original bot's per-player files.
//! - `testing` (feature `testing`): test doubles and the log conformance suite.

pub mod admin;
pub mod area;
pub mod backup;
pub mod battle;
pub mod check;
pub mod clock;
pub mod codec;
pub mod content;
pub mod data_export;
pub mod dice;
pub mod energon;
pub mod envelope;
pub mod export;
pub mod fun;
pub mod history;
pub mod ids;
pub mod legacy;
pub mod log;
pub mod market;
pub mod personal;
pub mod pets;
pub mod player;
pub mod recruit;
pub mod rpg;
pub mod runtime;
pub mod scenario;
pub mod slots;
pub mod social;
pub mod stats;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod trade;
pub mod world;

pub use area::{Area, Engagement};
pub use clock::{Clock, ManualClock, SystemClock};
pub use dice::{Dice, Seed};
pub use envelope::{CommandEnvelope, RecordedEvent};
pub use ids::{Actor, CommandId, PlayerId, Snowflake, StreamId, Timestamp};
pub use log::{EventLog, MemoryLog, SledLog, Subscription};
pub use runtime::{Engine, EngineConfig, EngineError, Outcome, Reply};
pub use world::{Command, Event, Rejection, World};
