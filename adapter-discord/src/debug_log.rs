//! The operator's rolling debug log (`ALLSPARK_DEBUG_LOG=path`): every `debug` line of the
//! bot's own crates (and `info` of the rest) written through `tracing-appender` to `path`,
//! rolled daily (`path.YYYY-MM-DD`, the newest 7 kept), beside the standard-error log.
//! `/clear_debug_log` truncates every file of it ([`DebugLog::clear`]); the appender opens
//! its file to append, so it goes on writing at the new end.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The filter of the debug log's lines.
pub const FILTER: &str = "info,allspark=debug,allspark_discord=debug,allspark_engine=debug";

/// Days of rolled files kept.
pub const KEEP_FILES: usize = 7;

/// Where the debug log is: its folder and the file name its files start with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DebugLog {
    dir: PathBuf,
    prefix: String,
}

static CURRENT: OnceLock<DebugLog> = OnceLock::new();

impl DebugLog {
    /// The debug log at `path` (its folder made if needed).
    pub fn at(path: &Path) -> anyhow::Result<DebugLog> {
        let prefix = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .filter(|name| !name.is_empty())
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "ALLSPARK_DEBUG_LOG must name a file, got {}",
                    path.display()
                )
            })?;
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&dir).map_err(|error| {
            anyhow::anyhow!(
                "cannot create the debug log's folder {}: {error}",
                dir.display()
            )
        })?;
        Ok(DebugLog { dir, prefix })
    }

    /// The rolling appender writing this log.
    pub fn appender(&self) -> anyhow::Result<tracing_appender::rolling::RollingFileAppender> {
        tracing_appender::rolling::Builder::new()
            .rotation(tracing_appender::rolling::Rotation::DAILY)
            .filename_prefix(&self.prefix)
            .max_log_files(KEEP_FILES)
            .build(&self.dir)
            .map_err(|error| anyhow::anyhow!("cannot open the debug log: {error}"))
    }

    /// Makes this the process's debug log (what `/clear_debug_log` clears).
    pub fn install(self) {
        let _ = CURRENT.set(self);
    }

    /// The process's debug log, if `ALLSPARK_DEBUG_LOG` set one.
    pub fn current() -> Option<&'static DebugLog> {
        CURRENT.get()
    }

    /// The files of this log: in its folder, named with its prefix.
    fn files(&self) -> std::io::Result<Vec<PathBuf>> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(&self.dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let ours = name == self.prefix
                || name
                    .strip_prefix(&self.prefix)
                    .is_some_and(|rest| rest.starts_with('.'));
            if ours && entry.file_type()?.is_file() {
                files.push(entry.path());
            }
        }
        files.sort();
        Ok(files)
    }

    /// Truncates every file of the log; returns the files and the bytes cleared.
    pub fn clear(&self) -> std::io::Result<(usize, u64)> {
        let mut bytes = 0;
        let files = self.files()?;
        for path in &files {
            let file = std::fs::OpenOptions::new().write(true).open(path)?;
            bytes += file.metadata()?.len();
            file.set_len(0)?;
        }
        Ok((files.len(), bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clearing_truncates_the_logs_files_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let write = |name: &str, bytes: usize| {
            std::fs::write(dir.path().join(name), vec![b'x'; bytes])
                .unwrap_or_else(|e| panic!("{e}"))
        };
        write("debug.log", 5);
        write("debug.log.2026-12-01", 10);
        write("debug.logger", 20);
        write("other.log", 40);
        let log = DebugLog::at(&dir.path().join("debug.log")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(log.clear().ok(), Some((2, 15)));
        let len = |name: &str| {
            std::fs::metadata(dir.path().join(name))
                .map(|m| m.len())
                .ok()
        };
        assert_eq!(len("debug.log"), Some(0));
        assert_eq!(len("debug.log.2026-12-01"), Some(0));
        assert_eq!(len("debug.logger"), Some(20));
        assert_eq!(len("other.log"), Some(40));
        assert_eq!(log.clear().ok(), Some((2, 0)));
    }

    #[test]
    fn a_path_without_a_file_name_is_refused() {
        assert!(DebugLog::at(Path::new("/")).is_err());
    }
}
