//! `Engine`: configuration, compilation, precompilation and checked loading of
//! `.cwasm` files, plus the epoch ticker that backs per-call deadlines.

use crate::adapter;
use crate::compat::{engine_compatibility_hash, sha256_hex};
use crate::counting::Region;
use crate::instance::{Instance, InstanceOptions};
use crate::module::Module;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// One epoch tick; per-call deadlines are whole ticks.
pub const EPOCH_TICK: Duration = Duration::from_millis(1);

/// Engine configuration; every field optional, the defaults are Wasmtime's except epoch interruption (on).
#[napi(object)]
#[derive(Clone, Default)]
pub struct EngineOptions {
    /// Cranelift optimisation: `none`, `speed` (default) or `speed-and-size`.
    pub opt_level: Option<String>,
    /// Count fuel; each call then runs with the fuel it is given.
    pub fuel: Option<bool>,
    /// Epoch interruption, required for per-call deadlines (default on).
    pub epoch_interruption: Option<bool>,
    /// Maximum wasm stack in bytes.
    pub max_wasm_stack: Option<u32>,
    /// Cap on each linear memory, in bytes; growth past it traps as `memory-limit`.
    pub memory_limit_bytes: Option<f64>,
}

/// What the harness wrote beside a `.cwasm`; loading checks every field.
#[napi(object)]
#[derive(Clone)]
pub struct IntegrityRecord {
    /// sha256 of the `.cwasm` bytes, lowercase hex.
    pub sha256: String,
    /// The engine compatibility hash of the engine that made the bytes.
    pub compatibility_hash: String,
    /// The exact Wasmtime version that made the bytes.
    pub wasmtime_version: String,
}

/// One Wasmtime engine with its configuration and, with epoch interruption, its ticker thread.
#[napi]
pub struct Engine {
    pub(crate) inner: wasmtime::Engine,
    pub(crate) options: EngineOptions,
    compatibility_hash: String,
    ticker_stop: Option<Arc<AtomicBool>>,
    /// The `poll_oneoff` trampoline of `deadline.rs`, compiled on first use.
    pub(crate) poll_trampoline: Arc<OnceLock<wasmtime::Module>>,
}

impl Drop for Engine {
    fn drop(&mut self) {
        if let Some(stop) = &self.ticker_stop {
            stop.store(true, Ordering::Relaxed);
        }
    }
}

fn config_error(e: impl std::fmt::Display) -> Error {
    Error::new(Status::InvalidArg, format!("engine configuration: {e}"))
}

fn build_config(options: &EngineOptions) -> Result<wasmtime::Config> {
    let mut config = wasmtime::Config::new();
    let opt = match options.opt_level.as_deref().unwrap_or("speed") {
        "none" => wasmtime::OptLevel::None,
        "speed" => wasmtime::OptLevel::Speed,
        "speed-and-size" => wasmtime::OptLevel::SpeedAndSize,
        other => return Err(config_error(format!("unknown opt level `{other}`"))),
    };
    config.cranelift_opt_level(opt);
    config.consume_fuel(options.fuel.unwrap_or(false));
    config.epoch_interruption(options.epoch_interruption.unwrap_or(true));
    if let Some(stack) = options.max_wasm_stack {
        config.max_wasm_stack(stack as usize);
    }
    Ok(config)
}

/// Advances the engine's epoch every tick until the `Engine` object is dropped.
fn start_epoch_ticker(engine: wasmtime::Engine) -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    std::thread::Builder::new()
        .name("wasm-matrix-epoch".into())
        .spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                std::thread::sleep(EPOCH_TICK);
                engine.increment_epoch();
            }
        })
        .expect("spawn epoch ticker thread");
    stop
}

fn compile_error(e: wasmtime::Error) -> Error {
    Error::new(Status::InvalidArg, format!("{e:#}"))
}

#[napi]
impl Engine {
    /// Creates an engine; a configuration Wasmtime refuses is an error naming the option.
    #[napi(constructor)]
    pub fn new(options: Option<EngineOptions>) -> Result<Self> {
        let options = options.unwrap_or_default();
        let config = build_config(&options)?;
        let inner = wasmtime::Engine::new(&config).map_err(|e| config_error(format!("{e:#}")))?;
        let ticker_stop = options
            .epoch_interruption
            .unwrap_or(true)
            .then(|| start_epoch_ticker(inner.clone()));
        Ok(Engine {
            compatibility_hash: engine_compatibility_hash(&inner),
            inner,
            options,
            ticker_stop,
            poll_trampoline: Arc::new(OnceLock::new()),
        })
    }

    /// Hash of everything that decides whether a `.cwasm` made elsewhere loads here.
    #[napi(getter)]
    pub fn compatibility_hash(&self) -> String {
        self.compatibility_hash.clone()
    }

    /// Compiles a core module from wasm bytes or WAT text (as bytes).
    #[napi]
    pub fn compile(&self, bytes: Buffer) -> Result<Module> {
        let _counted = Region::enter();
        let module = wasmtime::Module::new(&self.inner, bytes.as_ref()).map_err(compile_error)?;
        Ok(Module::wrap(module))
    }

    /// Compiles to native code without loading: the bytes of a `.cwasm`.
    #[napi]
    pub fn precompile(&self, bytes: Buffer) -> Result<Buffer> {
        let _counted = Region::enter();
        let cwasm = self.inner.precompile_module(bytes.as_ref()).map_err(compile_error)?;
        Ok(cwasm.into())
    }

    /// The integrity record for `.cwasm` bytes made by this engine.
    #[napi]
    pub fn integrity_record(&self, cwasm: Buffer) -> IntegrityRecord {
        IntegrityRecord {
            sha256: sha256_hex(cwasm.as_ref()),
            compatibility_hash: self.compatibility_hash.clone(),
            wasmtime_version: crate::wasmtime_version(),
        }
    }

    /// Loads a `.cwasm` only if its record matches the bytes and this engine.
    /// `.cwasm` bytes are native code: never load one the harness did not write.
    #[napi]
    pub fn deserialize(&self, cwasm: Buffer, record: IntegrityRecord) -> Result<Module> {
        let _counted = Region::enter();
        self.check_cwasm(cwasm.as_ref(), &record, "module")?;
        // SAFETY: the bytes are exactly those this engine configuration wrote
        // (sha256 and compatibility hash checked above); Wasmtime re-checks
        // its own header, version and flags before mapping the code.
        let module = unsafe { wasmtime::Module::deserialize(&self.inner, cwasm.as_ref()) }
            .map_err(|e| refused(format!("{e:#}")))?;
        Ok(Module::wrap(module))
    }

    /// A fresh store and instance of `module`.
    #[napi]
    pub fn instantiate(&self, module: &Module, options: Option<InstanceOptions>) -> Result<Instance> {
        let _counted = Region::enter();
        Instance::new(self, &module.inner, options.unwrap_or_default())
    }
}

/// The error of a `.cwasm` that must not be loaded.
pub(crate) fn refused(why: String) -> Error {
    Error::new(Status::InvalidArg, format!("refused .cwasm: {why}"))
}

impl Engine {
    /// The checks before any `.cwasm` is mapped: the bytes match their record,
    /// the record names this engine, and Wasmtime's header says `kind`
    /// (`module` or `component`).
    pub(crate) fn check_cwasm(&self, cwasm: &[u8], record: &IntegrityRecord, kind: &str) -> Result<()> {
        let actual = sha256_hex(cwasm);
        if actual != record.sha256 {
            return Err(refused(format!(
                "sha256 is {actual} but its integrity record says {} (corrupt or tampered)",
                record.sha256
            )));
        }
        if record.compatibility_hash != self.compatibility_hash {
            return Err(refused(format!(
                "made by Wasmtime {} with engine hash {}, but this is Wasmtime {} with engine hash {}",
                record.wasmtime_version,
                record.compatibility_hash,
                crate::wasmtime_version(),
                self.compatibility_hash
            )));
        }
        match adapter::precompiled_kind(&self.inner, cwasm) {
            Some(found) if found == kind => Ok(()),
            Some(found) => Err(refused(format!("a precompiled {found}, not a precompiled {kind}"))),
            None => Err(refused(format!("not a precompiled {kind}"))),
        }
    }
}
