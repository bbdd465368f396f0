//! AllSpark's Discord adapter: interactions in, engine commands and reads, replies out.
//!
//! Layout, in reading order:
//! - [`commands`]: the slash commands registered with Discord (one table, also the help).
//! - [`invocation`], [`interaction`], [`custom_id`]: what comes in, from any transport.
//! - [`app`]: the one dispatch from an invocation to engine commands and reads.
//! - [`render`], [`reply`]: what goes out, as Discord JSON or console text.
//! - transports: [`console`], [`http`] (the interactions endpoint), [`gateway`] (serenity);
//!   [`config`] for settings; [`worker`] turns deadlines into timeout commands;
//!   [`live`] keeps posted battle messages fresh from the battle's event stream; [`halt`] ends
//!   the process when the engine stops under it; [`expiry`] is view expiry arithmetic.
//!
//! **Architecture Invariant:** nothing here keeps game state; every answer is read from the
//! engine after the command is durable.

pub mod app;
pub mod commands;
pub mod config;
pub mod console;
pub mod custom_id;
pub mod expiry;
pub mod feed;
pub mod gateway;
pub mod halt;
pub mod http;
pub mod interaction;
pub mod invocation;
pub mod live;
pub mod render;
pub mod reply;
pub mod worker;
