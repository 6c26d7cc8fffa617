//! Every difference between the Wasmtime APIs the addon builds against lives
//! here, expressed as version ranges: the cargo feature `api-since-N` is on in
//! a workspace exactly when its Wasmtime major is N or newer (the workspace
//! generator in harness/runtimes/api-ranges.ts derives the list from the
//! version, and build.rs refuses a list that disagrees with the Cargo.lock).
//! So every major from 24 on builds from this one source. Where each API moved
//! was read from the wasmtime / wasmtime-wasi sources of each major; the table
//! is in runtimes/README.md.

use std::path::Path;

// WASI preview1: module `preview1` up to 36, `p1` from 37.
#[cfg(not(feature = "api-since-37"))]
pub use wasmtime_wasi::preview1::{add_to_linker_sync as add_wasi_p1_to_linker, WasiP1Ctx};
#[cfg(feature = "api-since-37")]
pub use wasmtime_wasi::p1::{add_to_linker_sync as add_wasi_p1_to_linker, WasiP1Ctx};

// In-memory stdio: `wasmtime_wasi::pipe` up to 32, `wasmtime_wasi::p2::pipe` from 33.
#[cfg(not(feature = "api-since-33"))]
pub use wasmtime_wasi::pipe::{MemoryInputPipe, MemoryOutputPipe};
#[cfg(feature = "api-since-33")]
pub use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};

// The context builder: at the crate root, except in 33 to 35 where it lived in `p2`.
#[cfg(any(not(feature = "api-since-33"), feature = "api-since-36"))]
pub use wasmtime_wasi::WasiCtxBuilder;
#[cfg(all(feature = "api-since-33", not(feature = "api-since-36")))]
pub use wasmtime_wasi::p2::WasiCtxBuilder;

pub use wasmtime_wasi::I32Exit;

/// Preopens `host` as `guest` with read and write access.
/// Up to 47 directory and file permissions are apart; from 48 one `FsPerms`.
pub fn preopen_read_write(
    builder: &mut WasiCtxBuilder,
    host: &Path,
    guest: &str,
) -> wasmtime::Result<()> {
    #[cfg(not(feature = "api-since-48"))]
    builder.preopened_dir(
        host,
        guest,
        wasmtime_wasi::DirPerms::all(),
        wasmtime_wasi::FilePerms::all(),
    )?;
    #[cfg(feature = "api-since-48")]
    builder.preopened_dir(host, guest, wasmtime_wasi::FsPerms::ReadWrite)?;
    Ok(())
}

/// A function the linker defines, instantiated into `store`.
/// `Linker::get` returns an `Option` up to 43, a `Result` (allocation can fail) from 44.
pub fn linker_func<T: 'static>(
    linker: &wasmtime::Linker<T>,
    store: &mut wasmtime::Store<T>,
    module: &str,
    name: &str,
) -> Option<wasmtime::Func> {
    #[cfg(not(feature = "api-since-44"))]
    let found = linker.get(&mut *store, module, name);
    #[cfg(feature = "api-since-44")]
    let found = linker.get(&mut *store, module, name).ok();
    found.and_then(wasmtime::Extern::into_func)
}

/// Whether `bytes` are a precompiled core module (not a component, not wasm).
/// A method on `Engine` up to 31, an associated function from 32.
pub fn is_precompiled_module(engine: &wasmtime::Engine, bytes: &[u8]) -> bool {
    #[cfg(not(feature = "api-since-32"))]
    let kind = engine.detect_precompiled(bytes);
    #[cfg(feature = "api-since-32")]
    let kind = {
        let _ = engine;
        wasmtime::Engine::detect_precompiled(bytes)
    };
    matches!(kind, Some(wasmtime::Precompiled::Module))
}

/// Table growth is counted in `u32` elements up to 25 and `usize` from 26; the
/// harness never limits tables, so this only has to forward the request.
macro_rules! impl_table_growing {
    () => {
        #[cfg(not(feature = "api-since-26"))]
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
        #[cfg(feature = "api-since-26")]
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
