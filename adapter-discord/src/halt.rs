//! The process follows its engine: if the core stops by itself (a storage fault that left a
//! batch's outcome unknown, or a panic), the transport is abandoned and `allspark` exits
//! non-zero, so that a supervisor restarts it and the restart recovers from the log. A bot that
//! kept answering "having trouble" forever would be an outage nobody restarts.

use std::future::Future;

use allspark_engine::runtime::CoreState;
use allspark_engine::Engine;

/// Runs `work` (a transport) to its end, unless the engine's core stops first: then `work` is
/// dropped and the core's state is returned as the error.
pub async fn unless_engine_stops<T>(
    engine: &Engine,
    work: impl Future<Output = T>,
) -> Result<T, CoreState> {
    tokio::select! {
        done = work => Ok(done),
        state = engine.stopped() => Err(state),
    }
}

/// The error `allspark` exits with when its engine stopped under it.
pub fn exit_error(state: &CoreState) -> anyhow::Error {
    anyhow::anyhow!("the engine stopped ({state}); exiting so that a restart recovers from the log")
}
