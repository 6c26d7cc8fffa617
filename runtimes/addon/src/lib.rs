//! wasm-matrix runtime addon: one Wasmtime version behind a napi surface that is
//! identical on every pinned version. The pinned workspaces under `runtimes/`
//! compile this same source; `adapter` holds the only per-version code.

#![deny(missing_docs)]

mod adapter;
mod compat;
mod component;
mod counting;
mod deadline;
mod engine;
mod host_imports;
mod instance;
mod limits;
mod module;
mod outcome;
mod output;
mod status;
mod values;
mod wasi_setup;

use napi_derive::napi;

pub use component::{Component, ComponentInstance};
pub use counting::{callgrind_dump, client_requests_supported, count_regions, running_on_valgrind};
pub use engine::{Engine, EngineOptions, IntegrityRecord};
pub use host_imports::{HostCall, HostImport};
pub use instance::{Instance, InstanceOptions, OutputSpill, Preopen};
pub use module::{ExternSummary, Module};
pub use outcome::CallOutcome;
pub use values::WasmValue;

/// The exact Wasmtime version this addon was linked against (from its Cargo.lock).
#[napi]
pub fn wasmtime_version() -> String {
    env!("WASM_MATRIX_WASMTIME_VERSION").to_string()
}

/// The version of this addon's own surface; the TypeScript side refuses a mismatch.
#[napi]
pub fn addon_abi_version() -> u32 {
    1
}
