//! The two closed vocabularies every call answers in: its status and, for a
//! trap, the stable trap kind. They are napi string enums, so JavaScript sees
//! the same kebab-case strings the zod schemas list (`AddonStatus`,
//! `AddonTrapKind` in harness/workers/addon.ts); a test reads these variants
//! and compares them with the schemas.

use napi_derive::napi;
use std::fmt;

/// What became of one call into the guest.
#[napi(string_enum = "kebab-case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallStatus {
    /// The call returned normally (a command run: `proc_exit` ended it).
    Ok,
    /// The guest reported a failure itself (dispatcher status byte, or `proc_exit` outside a command run).
    GuestError,
    /// The guest trapped; the kind is in `trap`.
    Trap,
    /// The epoch deadline interrupted the guest.
    Timeout,
    /// `proc_exit` ended the call; turned into `ok` or `guest-error` before it leaves the addon.
    Exit,
    /// The host could not make the call (missing export, bad arguments).
    Error,
}

/// The stable trap enum, the same on every pinned Wasmtime. Wasmtime's `Trap`
/// is non-exhaustive and grows new variants; anything not named here is `Other`.
#[napi(string_enum = "kebab-case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrapKind {
    /// `unreachable` executed.
    Unreachable,
    /// Integer division or remainder by zero.
    IntegerDivideByZero,
    /// Signed integer division overflow.
    IntegerOverflow,
    /// A float-to-int conversion of NaN or an out-of-range value.
    BadConversionToInteger,
    /// A load or store outside linear memory.
    MemoryOutOfBounds,
    /// A misaligned atomic access.
    HeapMisaligned,
    /// The guest's call stack overflowed.
    StackOverflow,
    /// Fuel ran out.
    OutOfFuel,
    /// The epoch deadline interrupted the guest (status `timeout`).
    Interrupt,
    /// A table access out of bounds.
    TableOutOfBounds,
    /// `call_indirect` on a null entry.
    IndirectCallToNull,
    /// `call_indirect` with the wrong signature.
    BadSignature,
    /// A null reference dereferenced.
    NullReference,
    /// A declared `trap` host import was called.
    HostImport,
    /// The linear-memory limit refused a growth the guest could not survive.
    MemoryLimit,
    /// The guest wrote past the stdout/stderr cap.
    OutputLimit,
    /// A trap this enum does not name; the message says which.
    Other,
}

/// The napi string value of a variant: its name in kebab-case, as
/// `string_enum = "kebab-case"` derives it (`GuestError` -> `guest-error`).
fn kebab(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

impl fmt::Display for CallStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&kebab(&format!("{self:?}")))
    }
}

impl fmt::Display for TrapKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&kebab(&format!("{self:?}")))
    }
}
