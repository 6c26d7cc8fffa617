//! `CapturedOutput`: where a guest's stdout or stderr goes. Kept in memory up
//! to the cap (what the call reports), and, when a spill file is given,
//! written through to it as the guest writes, so what the guest printed
//! outlives a worker that dies or is killed in the middle of a call (the
//! supervisor reads the file; the memory went with the process). The WASI
//! stream traits it implements differ by Wasmtime version and live in
//! `adapter`.

use crate::adapter::MemoryOutputPipe;
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

/// One captured output stream: the capped in-memory pipe, and the optional spill file.
#[derive(Clone)]
pub struct CapturedOutput {
    /// The bytes the call reports; it refuses writes past its capacity.
    pub(crate) pipe: MemoryOutputPipe,
    spill: Option<Arc<File>>,
    kill_on: Option<&'static [u8]>,
}

/// Test seam: with `WASM_MATRIX_TEST_KILL_ON_OUTPUT=TEXT`, a spilled write
/// containing TEXT makes the process SIGKILL itself right after the bytes
/// reached the file, as the kernel's OOM killer would: a worker that dies in
/// the middle of a call, after the guest printed, on any machine and at the
/// same point every time.
const KILL_ON_OUTPUT_ENV: &str = "WASM_MATRIX_TEST_KILL_ON_OUTPUT";

extern "C" {
    // libc's, linked into every Node addon; declared here rather than pulling in the libc crate for one call.
    fn kill(pid: i32, signal: i32) -> i32;
}
const SIGKILL: i32 = 9;

/// The seam's marker, read from the environment once per process.
fn kill_marker() -> Option<&'static [u8]> {
    static MARKER: OnceLock<Option<Vec<u8>>> = OnceLock::new();
    MARKER
        .get_or_init(|| std::env::var(KILL_ON_OUTPUT_ENV).ok().filter(|t| !t.is_empty()).map(String::into_bytes))
        .as_deref()
}

/// A spill file, opened once per process and path, for appending. A bench
/// makes an instance per timed run, and instantiating is a timed phase: after
/// the first, an instance only clones the handle, no file is opened inside
/// it. Between requests the supervisor empties the files (by truncating them,
/// which appending follows), so a file holds one request's output.
fn spill_file(path: &str) -> std::io::Result<Arc<File>> {
    static OPEN: OnceLock<Mutex<HashMap<String, Arc<File>>>> = OnceLock::new();
    let mut open = OPEN.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    if let Some(file) = open.get(path) {
        return Ok(file.clone());
    }
    let file = Arc::new(OpenOptions::new().create(true).append(true).open(path)?);
    open.insert(path.to_string(), file.clone());
    Ok(file)
}

impl CapturedOutput {
    /// A stream holding at most `capacity` bytes, written through to `spill`
    /// (created when missing, appended to) when given.
    pub fn new(capacity: usize, spill: Option<&str>) -> std::io::Result<Self> {
        let spill = spill.map(spill_file).transpose()?;
        Ok(CapturedOutput { pipe: MemoryOutputPipe::new(capacity), spill, kill_on: kill_marker() })
    }

    /// Everything the pipe accepted so far.
    pub fn contents(&self) -> bytes::Bytes {
        self.pipe.contents()
    }

    /// Writes bytes the pipe accepted through to the spill file, one `write`
    /// each, unbuffered: they are in the kernel's hands before the guest goes
    /// on. A failed spill write is ignored; the pipe, not the file, is what a
    /// finished call reports.
    pub(crate) fn spill(&self, bytes: &[u8]) {
        if let Some(file) = &self.spill {
            let _ = (&**file).write_all(bytes);
            if let Some(marker) = self.kill_on {
                if bytes.windows(marker.len()).any(|w| w == marker) {
                    // SAFETY: kill(2) on this process; no memory is touched.
                    unsafe { kill(std::process::id() as i32, SIGKILL) };
                }
            }
        }
    }
}
