//! `CapturedOutput`: where a guest's stdout or stderr goes. Kept in memory up
//! to the cap (what the call reports), and, when a spill file is given,
//! written through to it as the guest writes, so what the guest printed
//! outlives a worker that dies or is killed in the middle of a call (the
//! supervisor reads the file; the memory went with the process). The WASI
//! stream traits it implements differ by Wasmtime version and live in
//! `adapter`.

use crate::adapter::MemoryOutputPipe;
use std::fs::File;
use std::io::Write;
use std::sync::Arc;

/// One captured output stream: the capped in-memory pipe, and the optional spill file.
#[derive(Clone)]
pub struct CapturedOutput {
    /// The bytes the call reports; it refuses writes past its capacity.
    pub(crate) pipe: MemoryOutputPipe,
    spill: Option<Arc<File>>,
    kill_on: Option<Arc<[u8]>>,
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

impl CapturedOutput {
    /// A stream holding at most `capacity` bytes, written through to `spill`
    /// (created, or emptied when it exists) when given.
    pub fn new(capacity: usize, spill: Option<&str>) -> std::io::Result<Self> {
        let spill = spill.map(File::create).transpose()?.map(Arc::new);
        let kill_on = std::env::var(KILL_ON_OUTPUT_ENV).ok().filter(|t| !t.is_empty()).map(|t| Arc::from(t.into_bytes()));
        Ok(CapturedOutput { pipe: MemoryOutputPipe::new(capacity), spill, kill_on })
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
            if let Some(marker) = &self.kill_on {
                if bytes.windows(marker.len()).any(|w| w == &marker[..]) {
                    // SAFETY: kill(2) on this process; no memory is touched.
                    unsafe { kill(std::process::id() as i32, SIGKILL) };
                }
            }
        }
    }
}
