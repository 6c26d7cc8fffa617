//! The one shape every call returns, and the mapping of Wasmtime errors onto
//! the harness's stable trap enum (the same strings on every pinned version).

use crate::adapter::I32Exit;
use crate::host_imports::HostImportTrap;
use crate::status::{CallStatus, TrapKind};
use crate::values::WasmValue;
use napi::bindgen_prelude::Buffer;
use napi_derive::napi;
use wasmtime::Trap;

/// What every call returns: its status, the trap kind, values or output, and the guest time.
#[napi(object)]
pub struct CallOutcome {
    /// `ok`, `guest-error`, `trap`, `timeout`, or `error` (the host could not make
    /// the call: missing export, bad arguments). `proc_exit` is the exit code of
    /// a command run (`ok`), and a `guest-error` with `exit_code` in any other call.
    pub status: CallStatus,
    /// The stable trap kind when `status` is `trap` (or `interrupt` for `timeout`).
    pub trap: Option<TrapKind>,
    /// The trap or error message.
    pub message: Option<String>,
    /// Results of a raw export call.
    pub values: Option<Vec<WasmValue>>,
    /// Dispatcher payload (status byte removed).
    pub output: Option<Buffer>,
    /// The exit code of a command run, or of a `proc_exit` outside one (a `guest-error`).
    pub exit_code: Option<i32>,
    /// For an `error`: `args` when the arguments do not fit the export (their
    /// number or a value), so a front end can call it bad usage.
    pub phase: Option<String>,
    /// Wall time of the guest call itself, measured in Rust.
    pub elapsed_ns: f64,
}

impl CallOutcome {
    /// An `ok` outcome that took `elapsed_ns`.
    pub fn ok(elapsed_ns: f64) -> Self {
        CallOutcome {
            status: CallStatus::Ok,
            trap: None,
            message: None,
            values: None,
            output: None,
            exit_code: None,
            phase: None,
            elapsed_ns,
        }
    }

    /// A host-side `error` outcome (the call could not be made).
    pub fn error(message: impl Into<String>) -> Self {
        CallOutcome { status: CallStatus::Error, message: Some(message.into()), ..Self::ok(0.0) }
    }

    /// The arguments do not fit the export: the caller's mistake, not the guest's.
    pub fn bad_args(message: impl Into<String>) -> Self {
        CallOutcome { phase: Some("args".into()), ..Self::error(message) }
    }

    /// The guest time of a timed call that must end `ok`; any other outcome
    /// becomes a thrown `status:trap:message` (the timed-call loops in JS
    /// parse that triple).
    pub fn into_elapsed(self) -> napi::Result<f64> {
        if self.status == CallStatus::Ok {
            return Ok(self.elapsed_ns);
        }
        let trap = self.trap.map(|t| t.to_string()).unwrap_or_default();
        let message = format!("{}:{}:{}", self.status, trap, self.message.unwrap_or_default());
        Err(napi::Error::new(napi::Status::GenericFailure, message))
    }

    /// Classifies a failed call. `memory_cap_hit` comes from the store limiter,
    /// the only reliable witness that a trap was caused by the memory limit.
    pub fn from_error(err: &wasmtime::Error, memory_cap_hit: bool, elapsed_ns: f64) -> Self {
        let base = CallOutcome { elapsed_ns, ..Self::ok(elapsed_ns) };
        if let Some(exit) = err.downcast_ref::<I32Exit>() {
            return CallOutcome { status: CallStatus::Exit, exit_code: Some(exit.0), ..base };
        }
        let message = shorten(&format!("{err:#}"));
        let kind = match err.downcast_ref::<Trap>() {
            Some(trap) => trap_kind(trap),
            // A declared `trap` host import (see `host_imports`).
            None if err.downcast_ref::<HostImportTrap>().is_some() => TrapKind::HostImport,
            None if memory_cap_hit => TrapKind::MemoryLimit,
            None if message.contains("write beyond capacity of MemoryOutputPipe") => TrapKind::OutputLimit,
            None => {
                return CallOutcome { status: CallStatus::Error, message: Some(message), ..base };
            }
        };
        let status = if kind == TrapKind::Interrupt { CallStatus::Timeout } else { CallStatus::Trap };
        CallOutcome {
            status,
            trap: Some(kind),
            message: Some(message),
            ..base
        }
    }
}

/// Wasmtime's trap onto the stable trap enum; anything not named there is
/// `Other`, with the message kept.
pub fn trap_kind(trap: &Trap) -> TrapKind {
    match trap {
        Trap::UnreachableCodeReached => TrapKind::Unreachable,
        Trap::IntegerDivisionByZero => TrapKind::IntegerDivideByZero,
        Trap::IntegerOverflow => TrapKind::IntegerOverflow,
        Trap::BadConversionToInteger => TrapKind::BadConversionToInteger,
        Trap::MemoryOutOfBounds => TrapKind::MemoryOutOfBounds,
        Trap::HeapMisaligned => TrapKind::HeapMisaligned,
        Trap::StackOverflow => TrapKind::StackOverflow,
        Trap::OutOfFuel => TrapKind::OutOfFuel,
        Trap::Interrupt => TrapKind::Interrupt,
        Trap::TableOutOfBounds => TrapKind::TableOutOfBounds,
        Trap::IndirectCallToNull => TrapKind::IndirectCallToNull,
        Trap::BadSignature => TrapKind::BadSignature,
        Trap::NullReference => TrapKind::NullReference,
        _ => TrapKind::Other,
    }
}

/// Keeps messages readable: a stack overflow's backtrace has thousands of
/// frames. The head names the trap site, the tail names the trap.
fn shorten(message: &str) -> String {
    const HEAD: usize = 12;
    const TAIL: usize = 2;
    let lines: Vec<&str> = message.lines().collect();
    if lines.len() <= HEAD + TAIL + 1 {
        return message.to_string();
    }
    let mut kept: Vec<String> = lines[..HEAD].iter().map(|l| l.to_string()).collect();
    kept.push(format!("    ... {} more frames ...", lines.len() - HEAD - TAIL));
    kept.extend(lines[lines.len() - TAIL..].iter().map(|l| l.to_string()));
    kept.join("\n")
}
