//! Every difference between the pinned Wasmtime APIs lives here, chosen by the
//! `adapter-v*` cargo feature of the pinned workspace. Each feature names the
//! oldest Wasmtime whose API it speaks: a new pinned version reuses the newest
//! adapter it compiles against, or adds one `cfg` arm here.

#[cfg(not(any(feature = "adapter-v24", feature = "adapter-v36", feature = "adapter-v48")))]
compile_error!("enable exactly one adapter-v* feature in the pinned workspace");

use std::path::Path;
use wasmtime_wasi::WasiCtxBuilder;

// WASI preview1: `preview1` in 24 and 36, renamed `p1` by 48.
#[cfg(any(feature = "adapter-v24", feature = "adapter-v36"))]
pub use wasmtime_wasi::preview1::{add_to_linker_sync as add_wasi_p1_to_linker, WasiP1Ctx};
#[cfg(feature = "adapter-v48")]
pub use wasmtime_wasi::p1::{add_to_linker_sync as add_wasi_p1_to_linker, WasiP1Ctx};

// In-memory stdio: `wasmtime_wasi::pipe` in 24, `wasmtime_wasi::p2::pipe` later.
#[cfg(feature = "adapter-v24")]
pub use wasmtime_wasi::pipe::{MemoryInputPipe, MemoryOutputPipe};
#[cfg(any(feature = "adapter-v36", feature = "adapter-v48"))]
pub use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};

pub use wasmtime_wasi::I32Exit;

/// Preopens `host` as `guest` with read and write access.
/// 24 and 36 take directory and file permissions apart; 48 takes one `FsPerms`.
pub fn preopen_read_write(
    builder: &mut WasiCtxBuilder,
    host: &Path,
    guest: &str,
) -> wasmtime::Result<()> {
    #[cfg(any(feature = "adapter-v24", feature = "adapter-v36"))]
    builder.preopened_dir(
        host,
        guest,
        wasmtime_wasi::DirPerms::all(),
        wasmtime_wasi::FilePerms::all(),
    )?;
    #[cfg(feature = "adapter-v48")]
    builder.preopened_dir(host, guest, wasmtime_wasi::FsPerms::ReadWrite)?;
    Ok(())
}

/// A function the linker defines, instantiated into `store`.
/// `Linker::get` returns an `Option` in 24 and 36, a `Result` (allocation can fail) in 48.
pub fn linker_func<T: 'static>(
    linker: &wasmtime::Linker<T>,
    store: &mut wasmtime::Store<T>,
    module: &str,
    name: &str,
) -> Option<wasmtime::Func> {
    #[cfg(any(feature = "adapter-v24", feature = "adapter-v36"))]
    let found = linker.get(&mut *store, module, name);
    #[cfg(feature = "adapter-v48")]
    let found = linker.get(&mut *store, module, name).ok();
    found.and_then(wasmtime::Extern::into_func)
}

/// Whether `bytes` are a precompiled core module (not a component, not wasm).
/// A method on `Engine` in 24, an associated function later.
pub fn is_precompiled_module(engine: &wasmtime::Engine, bytes: &[u8]) -> bool {
    #[cfg(feature = "adapter-v24")]
    let kind = engine.detect_precompiled(bytes);
    #[cfg(any(feature = "adapter-v36", feature = "adapter-v48"))]
    let kind = {
        let _ = engine;
        wasmtime::Engine::detect_precompiled(bytes)
    };
    matches!(kind, Some(wasmtime::Precompiled::Module))
}

/// Table growth is counted in `u32` elements in 24 and `usize` later; the
/// harness never limits tables, so this only has to forward the request.
macro_rules! impl_table_growing {
    () => {
        #[cfg(feature = "adapter-v24")]
        fn table_growing(
            &mut self,
            current: u32,
            desired: u32,
            maximum: Option<u32>,
        ) -> wasmtime::Result<bool> {
            self.table_growing_usize(
                current as usize,
                desired as usize,
                maximum.map(|m| m as usize),
            )
        }
        #[cfg(any(feature = "adapter-v36", feature = "adapter-v48"))]
        fn table_growing(
            &mut self,
            current: usize,
            desired: usize,
            maximum: Option<usize>,
        ) -> wasmtime::Result<bool> {
            self.table_growing_usize(current, desired, maximum)
        }
    };
}
pub(crate) use impl_table_growing;
