//! Components (WASI preview 2): compile, precompile and checked loading of
//! component `.cwasm` files, and `ComponentInstance`, which serves the same
//! call styles as a core `Instance` through the two worlds the harness runs:
//! `wasi:cli/run@0.2.x` commands and the `wasm-matrix:guest@0.1.x` dispatcher
//! (suites/sdk/wit/guest.wit), called through the canonical ABI.
//!
//! Exports are found with the dynamic component API (type-checked `Func`s)
//! rather than `bindgen!`: the harness must accept any 0.2.x of `wasi:cli/run`
//! and any 0.1.x of its own package, treat `describe` as optional, and name
//! what a component exports when it matches neither world.

use crate::adapter::{self, impl_wasi_view};
use crate::output::CapturedOutput;
use crate::engine::{refused, Engine, IntegrityRecord, EPOCH_TICK};
use crate::instance::InstanceOptions;
use crate::limits::MemoryCap;
use crate::module::ExternSummary;
use crate::outcome::CallOutcome;
use crate::status::CallStatus;
use crate::values::WasmValue;
use crate::wasi_setup::{captured, wasi_builder};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::time::Instant;
use wasmtime::component::{self as wc, ComponentExportIndex, ResourceTable};
use wasmtime::Store;

/// Deadline and fuel when a call gives none: far beyond any run, never reached.
const NO_DEADLINE_TICKS: u64 = 1 << 40;
const UNLIMITED_FUEL: u64 = 1 << 62;

/// Export-name prefixes of the supported worlds (semver-compatible versions):
/// the command world's `wasi:cli/run`.
pub const RUN_PREFIX: &str = "wasi:cli/run@0.2.";
/// The dispatcher world's `invoke` interface (guest.wit).
pub const DISPATCH_PREFIX: &str = "wasm-matrix:guest/dispatch@0.1.";
/// The dispatcher world's `describe` interface (guest.wit).
pub const CATALOG_PREFIX: &str = "wasm-matrix:guest/catalog@0.1.";

fn invalid(message: String) -> Error {
    Error::new(Status::InvalidArg, message)
}

fn wasm_error(e: wasmtime::Error) -> Error {
    Error::new(Status::InvalidArg, format!("{e:#}"))
}

/// Whether `bytes` start like a component (`\0asm`, version 0x0d, layer 1).
pub fn is_component_binary(bytes: &[u8]) -> bool {
    bytes.len() >= 8 && bytes[..4] == *b"\0asm" && bytes[6] == 1 && bytes[7] == 0
}

fn require_component_binary(bytes: &[u8]) -> Result<()> {
    if bytes.len() >= 4 && bytes[..4] == *b"\0asm" && !is_component_binary(bytes) {
        return Err(invalid("a core module, not a component (its layer field is 0)".into()));
    }
    Ok(())
}

/// Which supported world a component's exports match.
#[derive(Clone)]
struct Worlds {
    run: Option<String>,
    dispatch: Option<String>,
    catalog: Option<String>,
}

/// A compiled component (the component-model counterpart of `Module`), with
/// the world its exports match and its top-level imports and exports.
#[napi]
pub struct Component {
    pub(crate) inner: wc::Component,
    worlds: Worlds,
    imports: Vec<ExternSummary>,
    exports: Vec<ExternSummary>,
}

fn item_kind(item: &wc::types::ComponentItem) -> &'static str {
    use wc::types::ComponentItem as I;
    match item {
        I::ComponentFunc(_) => "func",
        I::CoreFunc(_) => "core-func",
        I::Module(_) => "module",
        I::Component(_) => "component",
        I::ComponentInstance(_) => "instance",
        I::Type(_) => "type",
        #[allow(unreachable_patterns)]
        _ => "resource",
    }
}

impl Component {
    fn wrap(engine: &wasmtime::Engine, inner: wc::Component) -> Self {
        let summary = |(name, item): (String, wc::types::ComponentItem)| ExternSummary {
            module: String::new(),
            kind: item_kind(&item).into(),
            name,
            signature: None,
        };
        let imports: Vec<ExternSummary> = adapter::component_items(engine, &inner, true).into_iter().map(summary).collect();
        let exports: Vec<ExternSummary> = adapter::component_items(engine, &inner, false).into_iter().map(summary).collect();
        let find = |prefix: &str| exports.iter().find(|e| e.name.starts_with(prefix)).map(|e| e.name.clone());
        let worlds = Worlds { run: find(RUN_PREFIX), dispatch: find(DISPATCH_PREFIX), catalog: find(CATALOG_PREFIX) };
        Component { inner, worlds, imports, exports }
    }
}

#[napi]
impl Component {
    /// `dispatcher` (exports `wasm-matrix:guest/dispatch@0.1.x`), `command`
    /// (exports `wasi:cli/run@0.2.x`) or `other` (neither: not runnable here).
    #[napi(getter)]
    pub fn world(&self) -> String {
        if self.worlds.dispatch.is_some() {
            "dispatcher".into()
        } else if self.worlds.run.is_some() {
            "command".into()
        } else {
            "other".into()
        }
    }

    /// Top-level imports: interface names with versions (`kind` `instance`).
    #[napi]
    pub fn imports(&self) -> Vec<ExternSummary> {
        self.imports.iter().map(clone_summary).collect()
    }

    /// Top-level exports: interface names with versions, or function names.
    #[napi]
    pub fn exports(&self) -> Vec<ExternSummary> {
        self.exports.iter().map(clone_summary).collect()
    }

    /// The `.cwasm` bytes of this compiled component.
    #[napi]
    pub fn serialize(&self) -> Result<Buffer> {
        let bytes = self.inner.serialize().map_err(|e| Error::new(Status::GenericFailure, format!("{e:#}")))?;
        Ok(bytes.into())
    }
}

fn clone_summary(e: &ExternSummary) -> ExternSummary {
    ExternSummary { module: e.module.clone(), name: e.name.clone(), kind: e.kind.clone(), signature: e.signature.clone() }
}

#[napi]
impl Engine {
    /// Whether wasm bytes are a component (the layer field), without compiling.
    #[napi]
    pub fn is_component(&self, bytes: Buffer) -> bool {
        is_component_binary(bytes.as_ref())
    }

    /// Compiles a component from its binary (or component-model WAT text).
    #[napi]
    pub fn compile_component(&self, bytes: Buffer) -> Result<Component> {
        let _counted = crate::counting::Region::enter();
        require_component_binary(bytes.as_ref())?;
        let inner = wc::Component::new(&self.inner, bytes.as_ref()).map_err(wasm_error)?;
        Ok(Component::wrap(&self.inner, inner))
    }

    /// A component's `.cwasm` bytes.
    #[napi]
    pub fn precompile_component(&self, bytes: Buffer) -> Result<Buffer> {
        let _counted = crate::counting::Region::enter();
        require_component_binary(bytes.as_ref())?;
        let cwasm = self.inner.precompile_component(bytes.as_ref()).map_err(wasm_error)?;
        Ok(cwasm.into())
    }

    /// Loads a component `.cwasm` under the same rules as a module's: the
    /// sha256 and engine hash of its record, then Wasmtime's own header.
    #[napi]
    pub fn deserialize_component(&self, cwasm: Buffer, record: IntegrityRecord) -> Result<Component> {
        let _counted = crate::counting::Region::enter();
        self.check_cwasm(cwasm.as_ref(), &record, "component")?;
        // SAFETY: as `Engine::deserialize`: the bytes are those this engine
        // configuration wrote, checked against their record just above.
        let inner = unsafe { wc::Component::deserialize(&self.inner, cwasm.as_ref()) }
            .map_err(|e| refused(format!("{e:#}")))?;
        Ok(Component::wrap(&self.inner, inner))
    }

    /// A fresh store and instance of `component`, WASI preview 2 linked.
    #[napi]
    pub fn instantiate_component(
        &self,
        component: &Component,
        options: Option<InstanceOptions>,
    ) -> Result<ComponentInstance> {
        let _counted = crate::counting::Region::enter();
        ComponentInstance::new(self, component, options.unwrap_or_default())
    }
}

/// The store data of a component instance.
pub struct ComponentState {
    wasi: adapter::WasiCtx,
    table: ResourceTable,
    cap: MemoryCap,
}

impl_wasi_view!(ComponentState);

/// The exports of the supported worlds, resolved once per instance.
struct Entry {
    run: Option<wc::Func>,
    invoke: Option<wc::Func>,
    describe: Option<wc::Func>,
}

/// A component instance with its store: the same call surface as a core
/// `Instance`, so the worker drives both alike.
#[napi]
pub struct ComponentInstance {
    store: Store<ComponentState>,
    entry: Entry,
    world: String,
    exports: Vec<String>,
    stdout: CapturedOutput,
    stderr: CapturedOutput,
    output_cap: usize,
    epoch: bool,
    fuel: bool,
}

type InvokeFn<'a> = wc::TypedFunc<(&'a str, &'a [u8]), (std::result::Result<Vec<u8>, String>,)>;

enum Fail {
    Wasm(wasmtime::Error),
    Protocol(String),
}

impl From<wasmtime::Error> for Fail {
    fn from(e: wasmtime::Error) -> Self {
        Fail::Wasm(e)
    }
}

/// `instance-name#func` of the component, when both exist.
fn nested_func(
    component: &Component,
    instance: &wc::Instance,
    store: &mut Store<ComponentState>,
    interface: &Option<String>,
    func: &str,
) -> Option<wc::Func> {
    let interface = interface.as_ref()?;
    let outer: ComponentExportIndex = adapter::component_export_index(&component.inner, None, interface)?;
    let index = adapter::component_export_index(&component.inner, Some(&outer), func)?;
    instance.get_func(&mut *store, &index)
}

impl ComponentInstance {
    fn new(engine: &Engine, component: &Component, options: InstanceOptions) -> Result<Self> {
        if options.wasi == Some(false) {
            return Err(invalid("a component is always run with WASI preview 2 linked".into()));
        }
        let setup = wasi_builder(&options)?;
        let mut builder = setup.builder;
        let cap = MemoryCap { max_bytes: engine.options.memory_limit_bytes.map(|b| b as usize), hit: false };
        let state = ComponentState { wasi: builder.build(), table: ResourceTable::new(), cap };
        let mut store = Store::new(&engine.inner, state);
        store.limiter(|state| &mut state.cap);
        let epoch = engine.options.epoch_interruption.unwrap_or(true);
        let fuel = engine.options.fuel.unwrap_or(false);
        if epoch {
            store.set_epoch_deadline(NO_DEADLINE_TICKS);
            store.epoch_deadline_trap();
        }
        if fuel {
            store.set_fuel(UNLIMITED_FUEL).map_err(|e| invalid(format!("{e:#}")))?;
        }
        let mut linker: wc::Linker<ComponentState> = wc::Linker::new(&engine.inner);
        adapter::add_wasi_p2_to_linker(&mut linker)
            .map_err(|e| Error::new(Status::GenericFailure, format!("{e:#}")))?;
        // Type-checks every import first: the error names the interface and its version.
        let pre = linker
            .instantiate_pre(&component.inner)
            .map_err(|e| invalid(format!("unsatisfied import: {e:#}")))?;
        let instance = pre
            .instantiate(&mut store)
            .map_err(|e| Error::new(Status::GenericFailure, format!("instantiation failed: {e:#}")))?;
        let w = &component.worlds;
        let entry = Entry {
            run: nested_func(component, &instance, &mut store, &w.run, "run"),
            invoke: nested_func(component, &instance, &mut store, &w.dispatch, "invoke"),
            describe: nested_func(component, &instance, &mut store, &w.catalog, "describe"),
        };
        Ok(ComponentInstance {
            store,
            entry,
            world: component.world(),
            exports: component.exports.iter().map(|e| e.name.clone()).collect(),
            stdout: setup.stdout,
            stderr: setup.stderr,
            output_cap: setup.cap,
            epoch,
            fuel,
        })
    }

    /// Sets the deadline and fuel for the next call and clears the limiter flag.
    fn arm(&mut self, timeout_ms: Option<f64>, fuel: Option<f64>) -> Result<()> {
        self.store.data_mut().cap.hit = false;
        match (self.epoch, timeout_ms) {
            (true, Some(ms)) => {
                let ticks = (ms / EPOCH_TICK.as_secs_f64() / 1000.0).ceil().max(1.0) as u64;
                self.store.set_epoch_deadline(ticks);
            }
            (true, None) => self.store.set_epoch_deadline(NO_DEADLINE_TICKS),
            (false, Some(_)) => return Err(invalid("a deadline needs an engine with epoch interruption".into())),
            (false, None) => {}
        }
        match (self.fuel, fuel) {
            (true, f) => {
                let amount = f.map_or(UNLIMITED_FUEL, |f| f.max(0.0) as u64);
                self.store.set_fuel(amount).map_err(|e| invalid(format!("{e:#}")))?;
            }
            (false, Some(_)) => return Err(invalid("fuel needs an engine created with `fuel: true`".into())),
            (false, None) => {}
        }
        Ok(())
    }

    fn finish(&self, result: std::result::Result<CallOutcome, Fail>, started: Instant) -> CallOutcome {
        match result {
            Ok(outcome) => outcome,
            Err(Fail::Wasm(e)) => {
                CallOutcome::from_error(&e, self.store.data().cap.hit, started.elapsed().as_nanos() as f64)
            }
            Err(Fail::Protocol(message)) => CallOutcome::error(message),
        }
    }

    /// Why a call style is not available on this component.
    fn not_in_world(&self, wanted: &str) -> String {
        format!(
            "the component is not a {wanted} (its world is `{}`; it exports {}); the harness runs components exporting {RUN_PREFIX}x (commands) or {DISPATCH_PREFIX}x (dispatchers)",
            self.world,
            if self.exports.is_empty() { "nothing".to_string() } else { self.exports.join(", ") }
        )
    }

    fn dispatch(&mut self, name: &str, input: &[u8]) -> std::result::Result<CallOutcome, Fail> {
        let func = self.entry.invoke.ok_or_else(|| Fail::Protocol(self.not_in_world("dispatcher")))?;
        let typed: InvokeFn<'_> = func
            .typed(&self.store)
            .map_err(|e| Fail::Protocol(format!("`invoke` does not have the wasm-matrix:guest type: {e:#}")))?;
        let started = Instant::now();
        let (result,) = typed.call(&mut self.store, (name, input))?;
        let elapsed = started.elapsed().as_nanos() as f64;
        adapter::post_return(&typed, &mut self.store)?;
        Ok(match result {
            Ok(output) => CallOutcome { output: Some(output.into()), ..CallOutcome::ok(elapsed) },
            Err(message) => CallOutcome { status: CallStatus::GuestError, message: Some(message), ..CallOutcome::ok(elapsed) },
        })
    }
}

/// A JSON array of strings, as the core ABI's `harness_describe` returns.
fn json_string_list(names: &[String]) -> String {
    let mut out = String::from("[");
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        for ch in name.chars() {
            match ch {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
    }
    out.push(']');
    out
}

#[napi]
impl ComponentInstance {
    /// The world this instance serves: `dispatcher`, `command` or `other`.
    #[napi(getter)]
    pub fn world(&self) -> String {
        self.world.clone()
    }

    /// `invoke` / `describe` / `run` (the world's functions) or a top-level export name.
    #[napi]
    pub fn has_export(&mut self, name: String) -> bool {
        match name.as_str() {
            "invoke" => self.entry.invoke.is_some(),
            "describe" => self.entry.describe.is_some(),
            "run" => self.entry.run.is_some(),
            other => self.exports.iter().any(|e| e == other),
        }
    }

    /// Nothing to do: the component's start function (the core module's
    /// `_initialize`, wired by the preview1 adapter) ran at instantiation.
    #[napi]
    pub fn initialize(&mut self, _timeout_ms: Option<f64>) -> Result<CallOutcome> {
        Ok(CallOutcome::ok(0.0))
    }

    /// Raw scalar exports are a core-module call style.
    #[napi]
    pub fn call_export(
        &mut self,
        name: String,
        _args: Vec<WasmValue>,
        _timeout_ms: Option<f64>,
        _fuel: Option<f64>,
    ) -> Result<CallOutcome> {
        let _counted = crate::counting::Region::enter();
        Ok(CallOutcome::error(format!(
            "`{name}`: raw export calls are for core modules; a component is called through its world"
        )))
    }

    /// The timing-loop variant of `call_export`: refused the same way.
    #[napi]
    pub fn call_export_timed(
        &mut self,
        name: String,
        args: Vec<WasmValue>,
        timeout_ms: Option<f64>,
        fuel: Option<f64>,
    ) -> Result<f64> {
        self.call_export(name, args, timeout_ms, fuel)?.into_elapsed()
    }

    /// A dispatcher call through the canonical ABI: `invoke(name, input)`.
    #[napi]
    pub fn invoke(&mut self, name: String, input: Buffer, timeout_ms: Option<f64>, fuel: Option<f64>) -> Result<CallOutcome> {
        let _counted = crate::counting::Region::enter();
        self.arm(timeout_ms, fuel)?;
        let started = Instant::now();
        let result = self.dispatch(&name, input.as_ref());
        Ok(self.finish(result, started))
    }

    /// The timing-loop variant of `invoke`: the guest call's ns, or a thrown
    /// `status:trap:message` when the call does not end `ok`.
    #[napi]
    pub fn invoke_timed(&mut self, name: String, input: Buffer, timeout_ms: Option<f64>, fuel: Option<f64>) -> Result<f64> {
        self.invoke(name, input, timeout_ms, fuel)?.into_elapsed()
    }

    /// `describe()`: the case names as a JSON array in `output`.
    #[napi]
    pub fn describe(&mut self, timeout_ms: Option<f64>) -> Result<CallOutcome> {
        let _counted = crate::counting::Region::enter();
        self.arm(timeout_ms, None)?;
        let started = Instant::now();
        let result = (|| {
            let func = self.entry.describe.ok_or_else(|| {
                Fail::Protocol(format!("the component exports no {CATALOG_PREFIX}x#describe"))
            })?;
            let typed = func
                .typed::<(), (Vec<String>,)>(&self.store)
                .map_err(|e| Fail::Protocol(format!("`describe` does not have the wasm-matrix:guest type: {e:#}")))?;
            let (names,) = typed.call(&mut self.store, ())?;
            adapter::post_return(&typed, &mut self.store)?;
            let elapsed = started.elapsed().as_nanos() as f64;
            Ok(CallOutcome { output: Some(json_string_list(&names).into_bytes().into()), ..CallOutcome::ok(elapsed) })
        })();
        Ok(self.finish(result, started))
    }

    /// Runs `wasi:cli/run#run`: `ok` is exit code 0, `err` exit code 1, and
    /// `wasi:cli/exit` gives its code, as a core command's `proc_exit` does.
    #[napi]
    pub fn run_command(&mut self, timeout_ms: Option<f64>, fuel: Option<f64>) -> Result<CallOutcome> {
        let _counted = crate::counting::Region::enter();
        let Some(func) = self.entry.run else {
            return Ok(CallOutcome::error(self.not_in_world("command")));
        };
        self.arm(timeout_ms, fuel)?;
        let started = Instant::now();
        let result = (|| {
            let typed = func
                .typed::<(), (std::result::Result<(), ()>,)>(&self.store)
                .map_err(|e| Fail::Protocol(format!("`run` does not have the wasi:cli/run type: {e:#}")))?;
            let (status,) = typed.call(&mut self.store, ())?;
            let elapsed = started.elapsed().as_nanos() as f64;
            adapter::post_return(&typed, &mut self.store)?;
            let code = if status.is_ok() { 0 } else { 1 };
            Ok(CallOutcome { exit_code: Some(code), ..CallOutcome::ok(elapsed) })
        })();
        let outcome = self.finish(result, started);
        Ok(if outcome.status == CallStatus::Exit { CallOutcome { status: CallStatus::Ok, ..outcome } } else { outcome })
    }

    /// Captured stdout, at most the cap.
    #[napi]
    pub fn stdout(&self) -> Buffer {
        captured(&self.stdout, self.output_cap).0.into()
    }

    /// Captured stderr, at most the cap.
    #[napi]
    pub fn stderr(&self) -> Buffer {
        captured(&self.stderr, self.output_cap).0.into()
    }

    /// Whether the guest wrote more than the cap to stdout (the rest was dropped).
    #[napi]
    pub fn stdout_truncated(&self) -> bool {
        captured(&self.stdout, self.output_cap).1
    }

    /// Whether the guest wrote more than the cap to stderr (the rest was dropped).
    #[napi]
    pub fn stderr_truncated(&self) -> bool {
        captured(&self.stderr, self.output_cap).1
    }

    /// Calls of `record` host imports: always none, since host imports are declared
    /// for core modules only; here so both instance kinds have one surface.
    #[napi]
    pub fn take_host_calls(&mut self) -> Vec<crate::host_imports::HostCall> {
        Vec::new()
    }

    /// The Rust-loop baseline exists for raw core exports only.
    #[napi]
    pub fn bench_loop(&mut self, name: String, _iterations: u32) -> Result<f64> {
        Err(invalid(format!("`{name}`: benchLoop calls raw core exports; a component has none")))
    }

    /// Components get no `bench.start`/`bench.end` imports: always empty.
    #[napi]
    pub fn take_bench_regions(&mut self) -> Vec<f64> {
        Vec::new()
    }

    /// Components get no `bench.start`/`bench.end` imports: never called (`[0, 0]`).
    #[napi]
    pub fn take_bench_marks(&mut self) -> Vec<u32> {
        vec![0, 0]
    }
}
