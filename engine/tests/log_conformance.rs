//! The EventLog conformance suite, run once per implementation.

mod memory {
    use std::sync::Arc;

    use allspark_engine::{EventLog, MemoryLog};

    allspark_engine::log_conformance_suite!((Arc::new(MemoryLog::new()) as Arc<dyn EventLog>, ()));
}

mod sled {
    use std::sync::Arc;

    use allspark_engine::{EventLog, SledLog};

    fn open() -> (Arc<dyn EventLog>, tempfile::TempDir) {
        let dir = match tempfile::tempdir() {
            Ok(dir) => dir,
            Err(error) => panic!("no temporary directory: {error}"),
        };
        match SledLog::open(dir.path()) {
            Ok(log) => (Arc::new(log), dir),
            Err(error) => panic!("sled log failed to open: {error}"),
        }
    }

    allspark_engine::log_conformance_suite!(open());
}
