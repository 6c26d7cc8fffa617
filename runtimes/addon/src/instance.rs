//! `Instance`: one store and one instance, with the three call styles of guest
//! ABI v1 (raw exports, dispatcher calls, command runs), each under a per-call
//! epoch deadline and optional fuel.

use crate::counting::counted;
use crate::adapter::{self, WasiP1Ctx};
use crate::output::CapturedOutput;
use crate::deadline::{bound_poll_oneoff, PollGuard};
use crate::engine::{Engine, EPOCH_TICK};
use crate::host_imports::{self, HostCall, HostImport, RecordsHostCalls};
use crate::limits::MemoryCap;
use crate::outcome::CallOutcome;
use crate::status::CallStatus;
use crate::values::{from_val, placeholder, to_val, type_name, WasmValue};
use crate::wasi_setup::{captured, wasi_builder, WasiSetup, DEFAULT_OUTPUT_CAP};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::collections::HashMap;
use std::time::Instant;
use wasmtime::{Caller, Linker, Store};

/// Deadline and fuel when a call gives none: far beyond any run, never reached.
const NO_DEADLINE_TICKS: u64 = 1 << 40;
const UNLIMITED_FUEL: u64 = 1 << 62;

/// A host folder preopened for the guest under `guest`.
#[napi(object)]
#[derive(Clone, Default)]
pub struct Preopen {
    /// The host folder.
    pub host: String,
    /// The path the guest sees.
    pub guest: String,
}

/// How an instance is set up: WASI, argv, environment, folders, stdin and the output cap.
#[napi(object)]
#[derive(Default)]
pub struct InstanceOptions {
    /// Link WASI preview1 (default true). Off: the module may import nothing from it.
    pub wasi: Option<bool>,
    /// The full argv, program name first.
    pub args: Option<Vec<String>>,
    /// `NAME=value` entries; the guest sees no other environment.
    pub env: Option<Vec<String>>,
    /// Host folders preopened for the guest; nothing else of the host filesystem is visible.
    pub preopens: Option<Vec<Preopen>>,
    /// Bytes the guest reads on stdin.
    pub stdin: Option<Buffer>,
    /// Cap on captured stdout and on stderr, each; output past it is cut and
    /// marked (`stdoutTruncated`, `stderrTruncated`); the guest's write fails.
    pub output_cap_bytes: Option<u32>,
    /// Provide `bench.start` and `bench.end` imports that time the region between.
    pub bench_hooks: Option<bool>,
    /// Stubs for imports of the module's own platform (see `host_imports`).
    pub host_imports: Option<Vec<HostImport>>,
    /// Files the guest's stdout and stderr are also written to as it writes
    /// (appended to; the supervisor empties them between requests): what it
    /// printed outlives a worker that dies.
    pub output_spill: Option<OutputSpill>,
}

/// The two spill files of an instance's output (see `CapturedOutput`).
#[napi(object)]
#[derive(Clone, Default)]
pub struct OutputSpill {
    /// Receives every byte of stdout the capture accepts.
    pub stdout: String,
    /// Receives every byte of stderr the capture accepts.
    pub stderr: String,
}

pub struct HostState {
    wasi: Option<WasiP1Ctx>,
    cap: MemoryCap,
    pub(crate) poll: PollGuard,
    bench_started: Option<Instant>,
    bench_regions_ns: Vec<f64>,
    /// Calls of `bench.start` and `bench.end`.
    bench_marks: [u32; 2],
    host_calls: Vec<HostCall>,
}

impl RecordsHostCalls for HostState {
    fn host_calls(&mut self) -> &mut Vec<HostCall> {
        &mut self.host_calls
    }
}

/// An export looked up once. From Wasmtime 36 on, `Instance::get_func` adds a
/// new entry to the store on every lookup, so a hot loop must not repeat it.
struct ExportFunc {
    func: wasmtime::Func,
    params: Vec<wasmtime::ValType>,
    results: Vec<wasmtime::ValType>,
}

/// The guest ABI v1 exports, looked up on the first dispatcher call.
#[derive(Clone)]
struct AbiExports {
    alloc: wasmtime::TypedFunc<i32, i32>,
    invoke: wasmtime::TypedFunc<(i32, i32, i32, i32), i64>,
    memory: wasmtime::Memory,
}

/// A module instantiated in its own store, with its WASI context and captured output.
#[napi]
pub struct Instance {
    store: Store<HostState>,
    instance: wasmtime::Instance,
    funcs: HashMap<String, Option<ExportFunc>>,
    abi: Option<AbiExports>,
    stdout: Option<CapturedOutput>,
    stderr: Option<CapturedOutput>,
    /// The output cap; the pipes hold one byte more, so a cut is visible.
    output_cap: usize,
    epoch: bool,
    fuel: bool,
}

fn invalid(message: String) -> Error {
    Error::new(Status::InvalidArg, message)
}

fn link_bench_hooks(linker: &mut Linker<HostState>) -> wasmtime::Result<()> {
    // Every call is counted: sightglass's contract is one start and one end per run.
    linker.func_wrap("bench", "start", |mut caller: Caller<'_, HostState>| {
        let state = caller.data_mut();
        state.bench_marks[0] += 1;
        state.bench_started = Some(Instant::now());
    })?;
    linker.func_wrap("bench", "end", |mut caller: Caller<'_, HostState>| {
        let state = caller.data_mut();
        state.bench_marks[1] += 1;
        if let Some(started) = state.bench_started.take() {
            state.bench_regions_ns.push(started.elapsed().as_nanos() as f64);
        }
    })?;
    Ok(())
}

enum Fail {
    Wasm(wasmtime::Error),
    Protocol(String),
}

impl From<wasmtime::Error> for Fail {
    fn from(e: wasmtime::Error) -> Self {
        Fail::Wasm(e)
    }
}

impl Instance {
    /// Instantiates `module` on `engine`: links WASI (or nothing), the bench hooks when asked, and the store limits.
    pub fn new(engine: &Engine, module: &wasmtime::Module, options: InstanceOptions) -> Result<Self> {
        let with_wasi = options.wasi.unwrap_or(true);
        let output_cap = options.output_cap_bytes.map_or(DEFAULT_OUTPUT_CAP, |c| c as usize);
        let (wasi, stdout, stderr) = if with_wasi {
            // The same builder rules as components (wasi_setup), built as a preview1 context.
            let WasiSetup { mut builder, stdout, stderr, .. } = wasi_builder(&options)?;
            (Some(builder.build_p1()), Some(stdout), Some(stderr))
        } else {
            (None, None, None)
        };
        let cap = MemoryCap {
            max_bytes: engine.options.memory_limit_bytes.map(|b| b as usize),
            hit: false,
        };
        let poll = PollGuard::new(engine.poll_trampoline.clone());
        let state = HostState { wasi, cap, poll, bench_started: None, bench_regions_ns: Vec::new(), bench_marks: [0, 0], host_calls: Vec::new() };
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

        let mut linker: Linker<HostState> = Linker::new(&engine.inner);
        let link_error = |e: wasmtime::Error| Error::new(Status::GenericFailure, format!("{e:#}"));
        if with_wasi {
            adapter::add_wasi_p1_to_linker(&mut linker, |s: &mut HostState| {
                s.wasi.as_mut().expect("WASI context exists when WASI is linked")
            })
            .map_err(link_error)?;
            bound_poll_oneoff(&mut linker, &mut store).map_err(link_error)?;
        }
        if options.bench_hooks.unwrap_or(false) {
            link_bench_hooks(&mut linker).map_err(link_error)?;
        }
        host_imports::link(&mut linker, &engine.inner, options.host_imports.as_deref().unwrap_or(&[]))?;
        for import in module.imports() {
            if linker.get_by_import(&mut store, &import).is_none() {
                let hint = if import.module().starts_with("wasi") && !with_wasi {
                    " (WASI is not linked for this instance)"
                } else if import.module() == "bench" && (import.name() == "start" || import.name() == "end") {
                    // A sightglass benchmark given to a path that does not run benchmarks (`run --external`, say).
                    " (a sightglass benchmark's hook: `wasm-matrix bench --external DIR` runs it by sightglass's contract)"
                } else {
                    ""
                };
                return Err(invalid(format!(
                    "unsatisfied import: the module imports `{}`.`{}` but nothing provides it{hint}",
                    import.module(),
                    import.name()
                )));
            }
        }
        let instance = linker
            .instantiate(&mut store, module)
            .map_err(|e| Error::new(Status::GenericFailure, format!("instantiation failed: {e:#}")))?;
        Ok(Instance { store, instance, funcs: HashMap::new(), abi: None, stdout, stderr, output_cap, epoch, fuel })
    }

    /// Sets the deadline and fuel for the next call and clears the limiter flag.
    fn arm(&mut self, timeout_ms: Option<f64>, fuel: Option<f64>) -> Result<()> {
        self.store.data_mut().cap.hit = false;
        let poll = &mut self.store.data_mut().poll;
        poll.note = None;
        poll.deadline = timeout_ms.map(|ms| Instant::now() + std::time::Duration::from_secs_f64(ms.max(0.0) / 1000.0));
        poll.deadline_ms = timeout_ms.unwrap_or(0.0);
        match (self.epoch, timeout_ms) {
            (true, Some(ms)) => {
                let ticks = (ms / EPOCH_TICK.as_secs_f64() / 1000.0).ceil().max(1.0) as u64;
                self.store.set_epoch_deadline(ticks);
            }
            (true, None) => self.store.set_epoch_deadline(NO_DEADLINE_TICKS),
            (false, Some(_)) => {
                return Err(invalid("a deadline needs an engine with epoch interruption".into()))
            }
            (false, None) => {}
        }
        match (self.fuel, fuel) {
            (true, f) => {
                let amount = f.map_or(UNLIMITED_FUEL, |f| f.max(0.0) as u64);
                self.store.set_fuel(amount).map_err(|e| invalid(format!("{e:#}")))?;
            }
            (false, Some(_)) => {
                return Err(invalid("fuel needs an engine created with `fuel: true`".into()))
            }
            (false, None) => {}
        }
        Ok(())
    }

    fn failed(&self, err: &wasmtime::Error, started: Instant) -> CallOutcome {
        let elapsed = started.elapsed().as_nanos() as f64;
        let outcome = CallOutcome::from_error(err, self.store.data().cap.hit, elapsed);
        match &self.store.data().poll.note {
            Some(note) if outcome.status == CallStatus::Timeout => CallOutcome { message: Some(note.clone()), ..outcome },
            _ => outcome,
        }
    }

    /// A failed call outside a command run: `proc_exit` there is the guest's
    /// own doing, so it is a `guest-error` naming the exit code and the call.
    fn failed_during(&self, err: &wasmtime::Error, started: Instant, during: &str) -> CallOutcome {
        let outcome = self.failed(err, started);
        if outcome.status != CallStatus::Exit {
            return outcome;
        }
        let code = outcome.exit_code.unwrap_or_default();
        CallOutcome {
            status: CallStatus::GuestError,
            message: Some(format!("guest exited with code {code} (proc_exit) during {during}")),
            ..outcome
        }
    }

    /// Captured bytes of a pipe, cut to the cap, and whether they were cut.
    fn captured(&self, pipe: &Option<CapturedOutput>) -> (Vec<u8>, bool) {
        pipe.as_ref().map_or((Vec::new(), false), |p| captured(p, self.output_cap))
    }

    fn memory(&mut self) -> std::result::Result<wasmtime::Memory, Fail> {
        self.instance
            .get_memory(&mut self.store, "memory")
            .ok_or_else(|| Fail::Protocol("the guest exports no `memory`".into()))
    }

    /// Copies `bytes` into guest memory obtained from `harness_alloc`.
    fn place(
        &mut self,
        alloc: &wasmtime::TypedFunc<i32, i32>,
        memory: &wasmtime::Memory,
        bytes: &[u8],
    ) -> std::result::Result<i32, Fail> {
        let ptr = counted(|| alloc.call(&mut self.store, bytes.len() as i32))?;
        memory
            .write(&mut self.store, ptr as u32 as usize, bytes)
            .map_err(|_| Fail::Protocol(format!("harness_alloc returned {ptr}, outside memory")))?;
        Ok(ptr)
    }

    /// Reads the `(ptr << 32) | len` buffer a dispatcher export returned.
    fn read_packed(&mut self, memory: &wasmtime::Memory, packed: i64) -> std::result::Result<Vec<u8>, Fail> {
        let (ptr, len) = ((packed as u64 >> 32) as usize, (packed as u64 & 0xffff_ffff) as usize);
        let mut out = vec![0u8; len];
        memory.read(&self.store, ptr, &mut out).map_err(|_| {
            Fail::Protocol(format!("the guest returned a buffer at {ptr} of {len} bytes, outside memory"))
        })?;
        Ok(out)
    }

    fn abi_exports(&mut self) -> std::result::Result<AbiExports, Fail> {
        if let Some(abi) = &self.abi {
            return Ok(abi.clone());
        }
        let missing = |e: wasmtime::Error| Fail::Protocol(format!("not a guest ABI v1 module: {e:#}"));
        let alloc = self
            .instance
            .get_typed_func::<i32, i32>(&mut self.store, "harness_alloc")
            .map_err(missing)?;
        let invoke = self
            .instance
            .get_typed_func::<(i32, i32, i32, i32), i64>(&mut self.store, "harness_invoke")
            .map_err(missing)?;
        let memory = self.memory()?;
        let abi = AbiExports { alloc, invoke, memory };
        self.abi = Some(abi.clone());
        Ok(abi)
    }

    fn dispatch(&mut self, name: &str, input: &[u8]) -> std::result::Result<Vec<u8>, Fail> {
        let AbiExports { alloc, invoke, memory } = self.abi_exports()?;
        let name_ptr = self.place(&alloc, &memory, name.as_bytes())?;
        let input_ptr = self.place(&alloc, &memory, input)?;
        let packed = counted(|| {
            invoke.call(&mut self.store, (name_ptr, name.len() as i32, input_ptr, input.len() as i32))
        })?;
        self.read_packed(&memory, packed)
    }

    /// The export `name` with its signature, looked up once per instance.
    fn export_func(&mut self, name: &str) -> Option<&ExportFunc> {
        if !self.funcs.contains_key(name) {
            let found = self.instance.get_func(&mut self.store, name).map(|func| {
                let ty = func.ty(&self.store);
                ExportFunc { func, params: ty.params().collect(), results: ty.results().collect() }
            });
            self.funcs.insert(name.to_string(), found);
        }
        self.funcs.get(name).and_then(|f| f.as_ref())
    }

    fn finish(&self, result: std::result::Result<CallOutcome, Fail>, started: Instant, during: &str) -> CallOutcome {
        match result {
            Ok(outcome) => outcome,
            Err(Fail::Wasm(e)) => self.failed_during(&e, started, during),
            Err(Fail::Protocol(message)) => CallOutcome::error(message),
        }
    }
}

#[napi]
impl Instance {
    /// Whether the instance exports `name`.
    #[napi]
    pub fn has_export(&mut self, name: String) -> bool {
        self.instance.get_export(&mut self.store, &name).is_some()
    }

    /// Runs a reactor's `_initialize` if it exports one (NativeAOT-LLVM needs it).
    #[napi]
    pub fn initialize(&mut self, timeout_ms: Option<f64>) -> Result<CallOutcome> {
        if !self.has_export("_initialize".into()) {
            return Ok(CallOutcome::ok(0.0));
        }
        self.arm(timeout_ms, None)?;
        let started = Instant::now();
        let func = self.instance.get_func(&mut self.store, "_initialize").expect("checked above");
        Ok(match counted(|| func.call(&mut self.store, &[], &mut [])) {
            Ok(()) => CallOutcome::ok(started.elapsed().as_nanos() as f64),
            Err(e) => self.failed_during(&e, started, "_initialize"),
        })
    }

    /// Calls an export with scalar arguments; results come back as `values`.
    #[napi]
    pub fn call_export(
        &mut self,
        name: String,
        args: Vec<WasmValue>,
        timeout_ms: Option<f64>,
        fuel: Option<f64>,
    ) -> Result<CallOutcome> {
        let Some(export) = self.export_func(&name) else {
            return Ok(CallOutcome::error(format!("the module exports no function `{name}`")));
        };
        let (func, params) = (export.func, &export.params);
        if params.len() != args.len() {
            return Ok(CallOutcome::bad_args(format!(
                "`{name}` takes {} arguments ({}), {} given",
                params.len(),
                params.iter().map(type_name).collect::<Vec<_>>().join(", "),
                args.len()
            )));
        }
        let vals = match args.iter().zip(params).map(|(a, t)| to_val(a, t)).collect::<Result<Vec<_>>>() {
            Ok(vals) => vals,
            Err(e) => return Ok(CallOutcome::bad_args(e.reason.clone())),
        };
        let mut results: Vec<_> = export.results.iter().map(placeholder).collect();
        self.arm(timeout_ms, fuel)?;
        let started = Instant::now();
        Ok(match counted(|| func.call(&mut self.store, &vals, &mut results)) {
            // No `values` for an export without results: one JS array fewer per call.
            Ok(()) => CallOutcome {
                values: (!results.is_empty()).then(|| results.iter().map(from_val).collect()),
                ..CallOutcome::ok(started.elapsed().as_nanos() as f64)
            },
            Err(e) => self.failed_during(&e, started, &format!("the call of export `{name}`")),
        })
    }

    /// The hot path of timing loops: `callExport` returning only the guest
    /// call's nanoseconds. Building the outcome object costs more than a small
    /// call, so a loop that already checked the first result uses this; a call
    /// that does not end `ok` throws `status:trap:message`.
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

    /// `invoke` for timing loops, as `callExportTimed`.
    #[napi]
    pub fn invoke_timed(
        &mut self,
        name: String,
        input: Buffer,
        timeout_ms: Option<f64>,
        fuel: Option<f64>,
    ) -> Result<f64> {
        self.invoke(name, input, timeout_ms, fuel)?.into_elapsed()
    }

    /// A dispatcher call (guest ABI v1): `harness_invoke(name, input)`.
    #[napi]
    pub fn invoke(
        &mut self,
        name: String,
        input: Buffer,
        timeout_ms: Option<f64>,
        fuel: Option<f64>,
    ) -> Result<CallOutcome> {
        self.arm(timeout_ms, fuel)?;
        let started = Instant::now();
        let result = self.dispatch(&name, input.as_ref()).and_then(|out| {
            let elapsed = started.elapsed().as_nanos() as f64;
            match out.split_first() {
                Some((0, payload)) => Ok(CallOutcome {
                    output: Some(payload.to_vec().into()),
                    ..CallOutcome::ok(elapsed)
                }),
                Some((1, message)) => Ok(CallOutcome {
                    status: CallStatus::GuestError,
                    message: Some(String::from_utf8_lossy(message).into_owned()),
                    ..CallOutcome::ok(elapsed)
                }),
                Some((byte, _)) => Err(Fail::Protocol(format!("unknown status byte {byte}"))),
                None => Err(Fail::Protocol("empty output: the status byte is missing".into())),
            }
        });
        Ok(self.finish(result, started, &format!("the dispatcher call `{name}`")))
    }

    /// `harness_describe()`: the guest's JSON list of case names, as `output`.
    #[napi]
    pub fn describe(&mut self, timeout_ms: Option<f64>) -> Result<CallOutcome> {
        self.arm(timeout_ms, None)?;
        let started = Instant::now();
        let result = (|| {
            let describe = self
                .instance
                .get_typed_func::<(), i64>(&mut self.store, "harness_describe")
                .map_err(|e| Fail::Protocol(format!("{e:#}")))?;
            let memory = self.memory()?;
            let packed = counted(|| describe.call(&mut self.store, ()))?;
            let bytes = self.read_packed(&memory, packed)?;
            Ok(CallOutcome {
                output: Some(bytes.into()),
                ..CallOutcome::ok(started.elapsed().as_nanos() as f64)
            })
        })();
        Ok(self.finish(result, started, "harness_describe"))
    }

    /// Runs `_start`. A normal return is exit code 0; `proc_exit(n)` is `n`.
    #[napi]
    pub fn run_command(&mut self, timeout_ms: Option<f64>, fuel: Option<f64>) -> Result<CallOutcome> {
        let Some(start) = self.instance.get_func(&mut self.store, "_start") else {
            return Ok(CallOutcome::error("the module exports no `_start`: not a command"));
        };
        self.arm(timeout_ms, fuel)?;
        let started = Instant::now();
        let outcome = match counted(|| start.call(&mut self.store, &[], &mut [])) {
            Ok(()) => CallOutcome { exit_code: Some(0), ..CallOutcome::ok(started.elapsed().as_nanos() as f64) },
            Err(e) => self.failed(&e, started),
        };
        Ok(if outcome.status == CallStatus::Exit { CallOutcome { status: CallStatus::Ok, ..outcome } } else { outcome })
    }

    /// Everything the guest wrote to stdout so far, up to the cap (empty without WASI).
    #[napi]
    pub fn stdout(&self) -> Buffer {
        self.captured(&self.stdout).0.into()
    }

    /// What the guest wrote to stderr so far (up to the cap).
    #[napi]
    pub fn stderr(&self) -> Buffer {
        self.captured(&self.stderr).0.into()
    }

    /// Whether the guest wrote more to stdout than the cap (the rest was cut).
    #[napi]
    pub fn stdout_truncated(&self) -> bool {
        self.captured(&self.stdout).1
    }

    /// Whether the guest wrote more to stderr than the cap (the rest was cut).
    #[napi]
    pub fn stderr_truncated(&self) -> bool {
        self.captured(&self.stderr).1
    }

    /// Calls a parameterless export `iterations` times in Rust and returns the
    /// total nanoseconds: the baseline that napi call overhead is measured against.
    #[napi]
    pub fn bench_loop(&mut self, name: String, iterations: u32) -> Result<f64> {
        let export = self
            .export_func(&name)
            .ok_or_else(|| invalid(format!("the module exports no function `{name}`")))?;
        let func = export.func;
        let mut results: Vec<_> = export.results.iter().map(placeholder).collect();
        self.arm(None, None)?;
        let started = Instant::now();
        for _ in 0..iterations {
            func.call(&mut self.store, &[], &mut results)
                .map_err(|e| Error::new(Status::GenericFailure, format!("{e:#}")))?;
        }
        Ok(started.elapsed().as_nanos() as f64)
    }

    /// Calls of `record` host imports so far, drained.
    #[napi]
    pub fn take_host_calls(&mut self) -> Vec<HostCall> {
        std::mem::take(&mut self.store.data_mut().host_calls)
    }

    /// Durations of the regions timed by `bench.start`/`bench.end`, drained.
    #[napi]
    pub fn take_bench_regions(&mut self) -> Vec<f64> {
        std::mem::take(&mut self.store.data_mut().bench_regions_ns)
    }

    /// How often `bench.start` and `bench.end` were called so far (`[starts, ends]`), drained.
    #[napi]
    pub fn take_bench_marks(&mut self) -> Vec<u32> {
        std::mem::take(&mut self.store.data_mut().bench_marks).to_vec()
    }
}
