//! Per-call deadlines for guests that block in WASI.
//!
//! The epoch deadline only interrupts wasm code: a guest sleeping inside
//! `poll_oneoff` (the one WASI preview1 call that blocks here: stdin, stdout,
//! stderr and preopened files are always ready) sits in host code and would
//! sleep past its deadline until the worker's watchdog killed the process.
//!
//! Choice: `wasi_snapshot_preview1::poll_oneoff` is shadowed in the linker by
//! a wrapper that reads the subscriptions first. When every subscription is a
//! clock and the earliest one fires after the call's deadline, the wrapper
//! sleeps only until the deadline and ends the call with `Trap::Interrupt`, the
//! trap an epoch deadline gives, so the call is a `timeout` like any other.
//! Otherwise (it fires in time, or a file descriptor is subscribed, which is
//! ready at once) the original implementation runs unchanged.
//!
//! The original is reached through a two-function trampoline module that
//! imports the guest's memory and re-exports it as `memory`: WASI host
//! functions read their arguments through the calling instance's `memory`
//! export, which a host function called straight from Rust has not. The
//! trampoline is instantiated once per store, on the first `poll_oneoff`.
//! The one API difference met here (`Linker::get`) is in `adapter.rs`.

use crate::adapter::linker_func;
use crate::instance::HostState;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use wasmtime::{Caller, Extern, Linker, Store, Trap, TypedFunc};

const WASI: &str = "wasi_snapshot_preview1";

const TRAMPOLINE_WAT: &str = r#"(module
  (import "host" "memory" (memory 0))
  (import "host" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "host" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
  (export "memory" (memory 0))
  (func (export "poll") (param i32 i32 i32 i32) (result i32)
    (call $poll (local.get 0) (local.get 1) (local.get 2) (local.get 3)))
  (func (export "clock") (param i32 i64 i32) (result i32)
    (call $clock (local.get 0) (local.get 1) (local.get 2))))"#;

type PollFn = TypedFunc<(i32, i32, i32, i32), i32>;
type ClockFn = TypedFunc<(i32, i64, i32), i32>;

/// What a store needs to bound `poll_oneoff`: the wall-clock deadline of the
/// current call, the original WASI functions, and the trampoline once made.
#[derive(Default)]
pub struct PollGuard {
    /// Set by `Instance::arm` for each call with a deadline.
    pub deadline: Option<Instant>,
    /// The deadline in milliseconds as given, for the message.
    pub deadline_ms: f64,
    /// Why the last call was ended early, for its outcome's message.
    pub note: Option<String>,
    originals: Option<(wasmtime::Func, wasmtime::Func)>,
    trampoline: Option<(PollFn, ClockFn)>,
    module: Arc<OnceLock<wasmtime::Module>>,
}

impl PollGuard {
    pub fn new(module: Arc<OnceLock<wasmtime::Module>>) -> Self {
        PollGuard { module, ..Default::default() }
    }
}

/// Replaces WASI's `poll_oneoff` in `linker` (already holding WASI preview1).
pub fn bound_poll_oneoff(linker: &mut Linker<HostState>, store: &mut Store<HostState>) -> wasmtime::Result<()> {
    let poll = linker_func(linker, store, WASI, "poll_oneoff");
    let clock = linker_func(linker, store, WASI, "clock_time_get");
    let (Some(poll), Some(clock)) = (poll, clock) else { return Ok(()) };
    store.data_mut().poll.originals = Some((poll, clock));
    linker.allow_shadowing(true);
    linker.func_wrap(
        WASI,
        "poll_oneoff",
        |mut caller: Caller<'_, HostState>, subs: i32, events: i32, n: i32, nevents: i32| -> wasmtime::Result<i32> {
            let (poll, clock) = trampoline(&mut caller)?;
            if let Some(deadline) = caller.data().poll.deadline {
                if let Some(wait) = clock_only_wait(&mut caller, &clock, subs, events, n)? {
                    let remaining = deadline.saturating_duration_since(Instant::now());
                    if wait > remaining {
                        std::thread::sleep(remaining);
                        let limit = caller.data().poll.deadline_ms;
                        caller.data_mut().poll.note = Some(format!(
                            "timeout: the guest waited in poll_oneoff for {} ms, past the call's deadline of {limit} ms",
                            wait.as_millis()
                        ));
                        return Err(Trap::Interrupt.into());
                    }
                }
            }
            poll.call(&mut caller, (subs, events, n, nevents))
        },
    )?;
    linker.allow_shadowing(false);
    Ok(())
}

/// The trampoline of this store, instantiated on first use.
fn trampoline(caller: &mut Caller<'_, HostState>) -> wasmtime::Result<(PollFn, ClockFn)> {
    if let Some(t) = &caller.data().poll.trampoline {
        return Ok(t.clone());
    }
    let Some(Extern::Memory(memory)) = caller.get_export("memory") else {
        return Err(wasmtime::Error::msg("poll_oneoff: the guest exports no `memory`"));
    };
    let (poll, clock) = caller.data().poll.originals.clone().expect("set when the wrapper was linked");
    let module = match caller.data().poll.module.get() {
        Some(m) => m.clone(),
        None => {
            let made = wasmtime::Module::new(caller.engine(), TRAMPOLINE_WAT)?;
            caller.data().poll.module.get_or_init(|| made).clone()
        }
    };
    let instance = wasmtime::Instance::new(&mut *caller, &module, &[memory.into(), poll.into(), clock.into()])?;
    let poll = instance.get_typed_func::<(i32, i32, i32, i32), i32>(&mut *caller, "poll")?;
    let clock = instance.get_typed_func::<(i32, i64, i32), i32>(&mut *caller, "clock")?;
    caller.data_mut().poll.trampoline = Some((poll.clone(), clock.clone()));
    Ok((poll, clock))
}

/// How long until the earliest subscription fires, when all are clocks
/// (realtime or monotonic); `None` when any is not (it is ready at once, or the
/// original reports the error) or the guest memory cannot be read.
fn clock_only_wait(
    caller: &mut Caller<'_, HostState>,
    clock: &ClockFn,
    subs: i32,
    events: i32,
    n: i32,
) -> wasmtime::Result<Option<Duration>> {
    const SUBSCRIPTION: usize = 48;
    const ABSTIME: u16 = 1;
    let Some(Extern::Memory(memory)) = caller.get_export("memory") else { return Ok(None) };
    if n <= 0 {
        return Ok(None);
    }
    let mut raw = vec![0u8; n as u32 as usize * SUBSCRIPTION];
    if memory.read(&*caller, subs as u32 as usize, &mut raw).is_err() {
        return Ok(None);
    }
    let mut earliest: Option<u64> = None;
    for sub in raw.chunks(SUBSCRIPTION) {
        // Layout: userdata u64 @0, tag u8 @8; clock: id u32 @16, timeout u64 @24, flags u16 @40.
        if sub[8] != 0 {
            return Ok(None);
        }
        let id = u32::from_le_bytes(sub[16..20].try_into().unwrap());
        let timeout = u64::from_le_bytes(sub[24..32].try_into().unwrap());
        let flags = u16::from_le_bytes(sub[40..42].try_into().unwrap());
        let wait = if flags & ABSTIME == 0 {
            timeout
        } else {
            let now = match id {
                0 => SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64),
                1 => {
                    // WASI's own monotonic clock, written into the events buffer
                    // (the guest's, and about to be overwritten anyway).
                    if clock.call(&mut *caller, (1, 1, events))? != 0 {
                        return Ok(None);
                    }
                    let mut now = [0u8; 8];
                    if memory.read(&*caller, events as u32 as usize, &mut now).is_err() {
                        return Ok(None);
                    }
                    u64::from_le_bytes(now)
                }
                _ => return Ok(None),
            };
            timeout.saturating_sub(now)
        };
        if id > 1 {
            return Ok(None);
        }
        earliest = Some(earliest.map_or(wait, |e| e.min(wait)));
    }
    Ok(earliest.map(Duration::from_nanos))
}
