//! The portable log format: the stored records, length-prefixed, independent of sled's files.
//! Frozen logs in `fixtures/frozen/` use it, `allspark-replay export` writes it, and every
//! reader here decodes (and upcasts) each record as the log itself would.
//!
//! Layout: the 16-byte magic `ALLSPARK-LOG-V1\n`, then for each event a little-endian `u32`
//! length and that many bytes of a record exactly as `codec::encode_event` wrote it (or as an
//! older schema did).

use std::io::{Read, Write};

use crate::codec::{self, CodecError};
use crate::envelope::RecordedEvent;
use crate::log::{EventLog, LogError};

pub const MAGIC: &[u8; 16] = b"ALLSPARK-LOG-V1\n";
/// Largest record accepted when reading, in bytes.
pub const RECORD_LEN_MAX_BYTES: u32 = 16 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("not an AllSpark log export (bad magic)")]
    BadMagic,
    #[error("record {index} claims {len} bytes, more than the {max} allowed")]
    RecordTooLarge { index: u64, len: u32, max: u32 },
    #[error("record {index} is unreadable: {source}")]
    Record { index: u64, source: CodecError },
    #[error(transparent)]
    Log(#[from] LogError),
}

/// Writes every event of `log` (from seq 1) to `out`; returns how many.
pub fn write_log(log: &dyn EventLog, out: &mut impl Write) -> Result<u64, ExportError> {
    out.write_all(MAGIC)?;
    let mut n = 0;
    let mut failure = None;
    log.scan(1, &mut |event| {
        if failure.is_some() {
            return;
        }
        match codec::encode_event(&event) {
            Ok(bytes) => {
                let written = out
                    .write_all(&(bytes.len() as u32).to_le_bytes())
                    .and_then(|()| out.write_all(&bytes));
                if let Err(error) = written {
                    failure = Some(ExportError::Io(error));
                }
                n += 1;
            }
            Err(source) => failure = Some(ExportError::Record { index: n, source }),
        }
    })?;
    match failure {
        Some(error) => Err(error),
        None => Ok(n),
    }
}

/// Writes raw records (already encoded, possibly by an older schema) in the export layout.
pub fn write_records(records: &[Vec<u8>], out: &mut impl Write) -> Result<(), ExportError> {
    out.write_all(MAGIC)?;
    for record in records {
        out.write_all(&(record.len() as u32).to_le_bytes())?;
        out.write_all(record)?;
    }
    Ok(())
}

/// Reads and decodes every record of an export.
pub fn read_log(input: &mut impl Read) -> Result<Vec<RecordedEvent>, ExportError> {
    let mut magic = [0u8; 16];
    input
        .read_exact(&mut magic)
        .map_err(|_| ExportError::BadMagic)?;
    if &magic != MAGIC {
        return Err(ExportError::BadMagic);
    }
    let mut events = Vec::new();
    let mut index = 0u64;
    loop {
        let mut len = [0u8; 4];
        match input.read_exact(&mut len) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(error) => return Err(error.into()),
        }
        let len = u32::from_le_bytes(len);
        if len > RECORD_LEN_MAX_BYTES {
            return Err(ExportError::RecordTooLarge {
                index,
                len,
                max: RECORD_LEN_MAX_BYTES,
            });
        }
        let mut record = vec![0u8; len as usize];
        input.read_exact(&mut record)?;
        events.push(
            codec::decode_event(&record).map_err(|source| ExportError::Record { index, source })?,
        );
        index += 1;
    }
    Ok(events)
}
