//! AllSpark's Discord adapter: interactions in, engine commands and reads, replies out.
//!
//! Layout, in reading order:
//! - [`invocation`], [`interaction`], [`custom_id`]: what comes in, from any transport.
//! - [`app`]: what every area shares (running a command, reading, refusing) and the one entry,
//!   `App::handle`; [`areas`]: the registry that routes commands, presses, forms and
//!   autocomplete to the areas and assembles the registration table ([`commands`]).
//! - the areas, each a folder with `mod.rs` (its commands and handlers), `ids.rs` (its
//!   presses) and `render.rs` (its views): [`player`], [`pets`], [`battle`], [`energon`],
//!   [`slots`], [`trade`], [`recruit`] (with its Politics & War client and send worker), [`admin`] (the
//!   operator's dashboard and audit log); [`view`]: the view helpers they share; [`reply`]: what goes out, as Discord
//!   JSON or console text.
//! - transports: [`console`], [`http`] (the interactions endpoint), [`gateway`] (serenity);
//!   [`config`] for settings; [`worker`] turns deadlines into timeout commands;
//!   [`live`] keeps posted battle messages fresh from the battle's event stream; [`feed`]
//!   serves battle files to the replay tool on loopback; [`halt`] ends the process
//!   when the engine stops under it; [`expiry`] is view expiry arithmetic; [`metrics`] serves
//!   Prometheus metrics; [`debug_log`] is the operator's rolling debug log file; [`monitor`] samples the process and the store for `/monitor`; [`stress`] is the operator's stress test on a scratch store; [`ops`] is the operator's shell tools (`check`, `backup`, `restore`).
//!
//! **Architecture Invariant:** nothing here keeps game state; every answer is read from the
//! engine after the command is durable.

pub mod admin;
pub mod app;
pub mod areas;
pub mod battle;
pub mod commands;
pub mod config;
pub mod console;
pub mod custom_id;
pub mod debug_log;
pub mod energon;
pub mod expiry;
pub mod feed;
pub mod fun;
pub mod gateway;
pub mod halt;
pub mod http;
pub mod interaction;
pub mod invocation;
pub mod live;
pub mod market;
pub mod metrics;
pub mod monitor;
pub mod ops;
pub mod pets;
pub mod player;
pub mod recruit;
pub mod reply;
pub mod rpg;
pub mod slots;
pub mod social;
pub mod stress;
pub mod trade;
pub mod view;
pub mod web;
pub mod worker;
