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

// ---- captured guest output (`output::CapturedOutput`) as a WASI stdout/stderr ----
// Each impl forwards to the in-memory pipe, then writes what it accepted
// through to the spill file. Traits: `HostOutputStream` + `Subscribe` up to 29;
// `OutputStream` + `Pollable` from 30 (in `p2` from 33); from 36 `StdoutStream`
// is `cli::StdoutStream` (`p2_stream` and a tokio `AsyncWrite` for WASIp3)
// plus `IsTerminal`, where up to 35 it had `stream` and `isatty`.

/// The body of the output-stream trait (`HostOutputStream` up to 29,
/// `OutputStream` from 30: the same three methods): forward to the pipe, then
/// write what it accepted through to the spill file.
macro_rules! captured_output_stream_methods {
    () => {
        fn write(&mut self, bytes: bytes::Bytes) -> StreamResult<()> {
            self.pipe.write(bytes.clone())?;
            self.spill(&bytes);
            Ok(())
        }
        fn flush(&mut self) -> StreamResult<()> {
            self.pipe.flush()
        }
        fn check_write(&mut self) -> StreamResult<usize> {
            self.pipe.check_write()
        }
    };
}

#[cfg(not(feature = "api-since-30"))]
mod captured_output {
    use crate::output::CapturedOutput;
    use wasmtime_wasi::{HostOutputStream, StdoutStream, StreamResult, Subscribe};

    impl HostOutputStream for CapturedOutput {
        captured_output_stream_methods!();
    }

    #[wasmtime_wasi::async_trait]
    impl Subscribe for CapturedOutput {
        async fn ready(&mut self) {}
    }

    impl StdoutStream for CapturedOutput {
        fn stream(&self) -> Box<dyn HostOutputStream> {
            Box::new(self.clone())
        }
        fn isatty(&self) -> bool {
            false
        }
    }
}

#[cfg(feature = "api-since-30")]
mod captured_output {
    use crate::output::CapturedOutput;
    #[cfg(not(feature = "api-since-33"))]
    use wasmtime_wasi::{OutputStream, Pollable, StreamResult};
    #[cfg(feature = "api-since-33")]
    use wasmtime_wasi::p2::{OutputStream, Pollable, StreamResult};

    impl OutputStream for CapturedOutput {
        captured_output_stream_methods!();
    }

    #[wasmtime_wasi::async_trait]
    impl Pollable for CapturedOutput {
        async fn ready(&mut self) {}
    }

    #[cfg(not(feature = "api-since-36"))]
    mod stdout_stream {
        use super::*;
        #[cfg(not(feature = "api-since-33"))]
        use wasmtime_wasi::StdoutStream;
        #[cfg(feature = "api-since-33")]
        use wasmtime_wasi::p2::StdoutStream;

        impl StdoutStream for CapturedOutput {
            fn stream(&self) -> Box<dyn OutputStream> {
                Box::new(self.clone())
            }
            fn isatty(&self) -> bool {
                false
            }
        }
    }

    #[cfg(feature = "api-since-36")]
    mod stdout_stream {
        use super::*;
        use std::pin::Pin;
        use std::task::{Context, Poll};
        use tokio::io::AsyncWrite;
        use wasmtime_wasi::cli::{IsTerminal, StdoutStream};

        impl IsTerminal for CapturedOutput {
            fn is_terminal(&self) -> bool {
                false
            }
        }

        impl StdoutStream for CapturedOutput {
            fn p2_stream(&self) -> Box<dyn OutputStream> {
                Box::new(self.clone())
            }
            fn async_stream(&self) -> Box<dyn AsyncWrite + Send + Sync> {
                Box::new(self.clone())
            }
        }

        impl AsyncWrite for CapturedOutput {
            fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
                let polled = Pin::new(&mut self.pipe).poll_write(cx, buf);
                if let Poll::Ready(Ok(accepted)) = polled {
                    self.spill(&buf[..accepted]);
                }
                polled
            }
            fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
                Pin::new(&mut self.pipe).poll_flush(cx)
            }
            fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
                Pin::new(&mut self.pipe).poll_shutdown(cx)
            }
        }
    }
}

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

// ---- components (WASI preview 2) ----
// Read from the wasmtime / wasmtime-wasi sources of 24, 27, 30-36, 39-42, 45, 48, 50.

// The preview 2 context and its view traits: at the crate root, except in 33
// to 35 where they lived in `p2` (like the builder).
#[cfg(any(not(feature = "api-since-33"), feature = "api-since-36"))]
pub use wasmtime_wasi::{WasiCtx, WasiView};
#[cfg(all(feature = "api-since-33", not(feature = "api-since-36")))]
pub use wasmtime_wasi::p2::{WasiCtx, WasiView};

/// WASI preview 2 into a component linker: at the crate root up to 32, in `p2` from 33.
pub fn add_wasi_p2_to_linker<T: WasiView + 'static>(
    linker: &mut wasmtime::component::Linker<T>,
) -> wasmtime::Result<()> {
    #[cfg(not(feature = "api-since-33"))]
    return wasmtime_wasi::add_to_linker_sync(linker);
    #[cfg(feature = "api-since-33")]
    return wasmtime_wasi::p2::add_to_linker_sync(linker);
}

/// `WasiView` for a store state with `wasi: WasiCtx` and `table: ResourceTable`
/// fields: two accessors up to 29, `IoView` + `WasiView` from 30, one
/// `WasiCtxView` from 36.
macro_rules! impl_wasi_view {
    ($ty:ty) => {
        #[cfg(not(feature = "api-since-30"))]
        impl $crate::adapter::WasiView for $ty {
            fn table(&mut self) -> &mut wasmtime::component::ResourceTable {
                &mut self.table
            }
            fn ctx(&mut self) -> &mut $crate::adapter::WasiCtx {
                &mut self.wasi
            }
        }
        #[cfg(all(feature = "api-since-30", not(feature = "api-since-33")))]
        impl wasmtime_wasi::IoView for $ty {
            fn table(&mut self) -> &mut wasmtime::component::ResourceTable {
                &mut self.table
            }
        }
        #[cfg(all(feature = "api-since-33", not(feature = "api-since-36")))]
        impl wasmtime_wasi::p2::IoView for $ty {
            fn table(&mut self) -> &mut wasmtime::component::ResourceTable {
                &mut self.table
            }
        }
        #[cfg(all(feature = "api-since-30", not(feature = "api-since-36")))]
        impl $crate::adapter::WasiView for $ty {
            fn ctx(&mut self) -> &mut $crate::adapter::WasiCtx {
                &mut self.wasi
            }
        }
        #[cfg(feature = "api-since-36")]
        impl $crate::adapter::WasiView for $ty {
            fn ctx(&mut self) -> wasmtime_wasi::WasiCtxView<'_> {
                wasmtime_wasi::WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
            }
        }
    };
}
pub(crate) use impl_wasi_view;

/// What `.cwasm` bytes hold: `module`, `component`, or `None` (not a `.cwasm`).
/// A method on `Engine` up to 31, an associated function from 32.
pub fn precompiled_kind(engine: &wasmtime::Engine, bytes: &[u8]) -> Option<&'static str> {
    #[cfg(not(feature = "api-since-32"))]
    let kind = engine.detect_precompiled(bytes);
    #[cfg(feature = "api-since-32")]
    let kind = {
        let _ = engine;
        wasmtime::Engine::detect_precompiled(bytes)
    };
    match kind {
        Some(wasmtime::Precompiled::Module) => Some("module"),
        Some(wasmtime::Precompiled::Component) => Some("component"),
        None => None,
    }
}

/// An export of a component (nested in `instance` when given):
/// `export_index` up to 32, `get_export_index` from 33.
pub fn component_export_index(
    component: &wasmtime::component::Component,
    instance: Option<&wasmtime::component::ComponentExportIndex>,
    name: &str,
) -> Option<wasmtime::component::ComponentExportIndex> {
    #[cfg(not(feature = "api-since-33"))]
    return component.export_index(instance, name).map(|(_, index)| index);
    #[cfg(feature = "api-since-33")]
    return component.get_export_index(instance, name);
}

/// After a successful typed call. Required before the next call up to 41;
/// from 42 deprecated and without effect (Wasmtime runs it itself), so it is
/// still called, with the deprecation allowed.
#[allow(deprecated)]
pub fn post_return<P, R>(
    func: &wasmtime::component::TypedFunc<P, R>,
    store: impl wasmtime::AsContextMut,
) -> wasmtime::Result<()>
where
    P: wasmtime::component::ComponentNamedList + wasmtime::component::Lower,
    R: wasmtime::component::ComponentNamedList + wasmtime::component::Lift,
{
    func.post_return(store)
}

/// A component's top-level imports (or exports) by name and item type: the
/// item itself up to 45, inside a `ComponentExtern` (with its annotations) from 46.
pub fn component_items(
    engine: &wasmtime::Engine,
    component: &wasmtime::component::Component,
    imports: bool,
) -> Vec<(String, wasmtime::component::types::ComponentItem)> {
    let ty = component.component_type();
    #[cfg(not(feature = "api-since-46"))]
    let items: Vec<_> = if imports {
        ty.imports(engine).map(|(name, item)| (name.to_string(), item)).collect()
    } else {
        ty.exports(engine).map(|(name, item)| (name.to_string(), item)).collect()
    };
    #[cfg(feature = "api-since-46")]
    let items: Vec<_> = if imports {
        ty.imports(engine).map(|(name, e)| (name.to_string(), e.ty)).collect()
    } else {
        ty.exports(engine).map(|(name, e)| (name.to_string(), e.ty)).collect()
    };
    items
}
