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

// ---- components (WASI preview 2) ----

/// WASI preview 2 into a component linker: top level in 24, `p2` from 36.
pub fn add_wasi_p2_to_linker<T: wasmtime_wasi::WasiView + 'static>(
    linker: &mut wasmtime::component::Linker<T>,
) -> wasmtime::Result<()> {
    #[cfg(feature = "adapter-v24")]
    return wasmtime_wasi::add_to_linker_sync(linker);
    #[cfg(any(feature = "adapter-v36", feature = "adapter-v48"))]
    return wasmtime_wasi::p2::add_to_linker_sync(linker);
}

/// `WasiView` for a store state with `wasi: WasiCtx` and `table: ResourceTable`
/// fields: two accessors in 24, one `WasiCtxView` from 36.
macro_rules! impl_wasi_view {
    ($ty:ty) => {
        #[cfg(feature = "adapter-v24")]
        impl wasmtime_wasi::WasiView for $ty {
            fn table(&mut self) -> &mut wasmtime::component::ResourceTable {
                &mut self.table
            }
            fn ctx(&mut self) -> &mut wasmtime_wasi::WasiCtx {
                &mut self.wasi
            }
        }
        #[cfg(any(feature = "adapter-v36", feature = "adapter-v48"))]
        impl wasmtime_wasi::WasiView for $ty {
            fn ctx(&mut self) -> wasmtime_wasi::WasiCtxView<'_> {
                wasmtime_wasi::WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
            }
        }
    };
}
pub(crate) use impl_wasi_view;

/// What `.cwasm` bytes hold: `module`, `component`, or `None` (not a `.cwasm`).
pub fn precompiled_kind(engine: &wasmtime::Engine, bytes: &[u8]) -> Option<&'static str> {
    #[cfg(feature = "adapter-v24")]
    let kind = engine.detect_precompiled(bytes);
    #[cfg(any(feature = "adapter-v36", feature = "adapter-v48"))]
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
/// `export_index` in 24, `get_export_index` from 36.
pub fn component_export_index(
    component: &wasmtime::component::Component,
    instance: Option<&wasmtime::component::ComponentExportIndex>,
    name: &str,
) -> Option<wasmtime::component::ComponentExportIndex> {
    #[cfg(feature = "adapter-v24")]
    return component.export_index(instance, name).map(|(_, index)| index);
    #[cfg(any(feature = "adapter-v36", feature = "adapter-v48"))]
    return component.get_export_index(instance, name);
}

/// After a successful typed call: required before the next call in 24 and
/// 36, automatic (and deprecated) by 48.
pub fn post_return<P, R>(
    func: &wasmtime::component::TypedFunc<P, R>,
    store: impl wasmtime::AsContextMut,
) -> wasmtime::Result<()>
where
    P: wasmtime::component::ComponentNamedList + wasmtime::component::Lower,
    R: wasmtime::component::ComponentNamedList + wasmtime::component::Lift,
{
    #[cfg(any(feature = "adapter-v24", feature = "adapter-v36"))]
    return func.post_return(store);
    #[cfg(feature = "adapter-v48")]
    return {
        let _ = (func, store);
        Ok(())
    };
}

/// A component's top-level imports (or exports) by name and item type: the
/// item itself in 24 and 36, inside a `ComponentExtern` (with its annotations) by 48.
pub fn component_items(
    engine: &wasmtime::Engine,
    component: &wasmtime::component::Component,
    imports: bool,
) -> Vec<(String, wasmtime::component::types::ComponentItem)> {
    let ty = component.component_type();
    #[cfg(any(feature = "adapter-v24", feature = "adapter-v36"))]
    let items: Vec<_> = if imports {
        ty.imports(engine).map(|(name, item)| (name.to_string(), item)).collect()
    } else {
        ty.exports(engine).map(|(name, item)| (name.to_string(), item)).collect()
    };
    #[cfg(feature = "adapter-v48")]
    let items: Vec<_> = if imports {
        ty.imports(engine).map(|(name, e)| (name.to_string(), e.ty)).collect()
    } else {
        ty.exports(engine).map(|(name, e)| (name.to_string(), e.ty)).collect()
    };
    items
}
