//! Instruction counting under valgrind's callgrind (`bench --measure instructions`).
//!
//! The worker runs under `valgrind --tool=callgrind --collect-atstart=no`, so
//! nothing is counted until the addon says so. While `countRegions(true)` is
//! on, every counted entry point (compile, precompile, deserialize,
//! instantiate, the call methods) switches callgrind's collection on for its
//! own Rust body (a core instance's call methods: only the guest calls in
//! them, see `counted`) and off again before returning to JavaScript, so neither
//! Node, V8, napi's argument conversion nor the harness's JavaScript is ever
//! counted. `callgrindDump(label)` then writes the counts since the last dump
//! to their own file (callgrind's `DUMP_STATS_AT`), which is how each phase
//! becomes a separately counted region.
//!
//! Why client requests and not `--toggle-collect=<function>`: a dump per phase
//! gives each phase's own total in the `summary:` line of its own file, with
//! no call-graph parsing; a toggle on a function name counts every call of it
//! (also those outside a phase) and depends on symbol names surviving in a
//! stripped release `cdylib` on every Wasmtime version. Why inline assembly
//! and not the `crabgrind` crate: crabgrind 0.4 builds a C shim with `cc`,
//! `bindgen` and `pkg-config` against the installed valgrind headers, which
//! would add build dependencies to four lock files and make every addon build
//! need valgrind; the client-request sequence is valgrind's stable ABI
//! (`valgrind.h`: "the magic sequence ... is fixed"), a few instructions that
//! do nothing when the process does not run under valgrind.
//!
//! Collection state is per thread in callgrind, so the epoch ticker thread
//! (and V8's helper threads) are never counted: only the thread that toggled.

use napi_derive::napi;
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};

/// `VG_USERREQ_TOOL_BASE('C','T')`, the first callgrind request (callgrind.h).
const CALLGRIND_BASE: usize = (b'C' as usize) << 24 | (b'T' as usize) << 16;
/// `VG_USERREQ__TOGGLE_COLLECT`.
const TOGGLE_COLLECT: usize = CALLGRIND_BASE + 2;
/// `VG_USERREQ__DUMP_STATS_AT`: dump (and zero) the counts, with a label.
const DUMP_STATS_AT: usize = CALLGRIND_BASE + 3;
/// `VG_USERREQ__RUNNING_ON_VALGRIND` (valgrind.h).
const RUNNING_ON_VALGRIND: usize = 0x1001;

static COUNTING: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// Nesting depth of counted regions on this thread (a timed call wraps the call).
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// One valgrind client request; returns `default` when not under valgrind.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn client_request(default: usize, request: usize, arg1: usize) -> usize {
    let args: [usize; 6] = [request, arg1, 0, 0, 0, 0];
    let result: usize;
    // SAFETY: valgrind's amd64 client-request sequence (valgrind.h,
    // `VALGRIND_DO_CLIENT_REQUEST_EXPR`): four rotations of rdi by 128 bits in
    // all (rdi is unchanged) and `xchg rbx, rbx` (a no-op); valgrind reads the
    // request from the array rax points at and answers in rdx. Natively it is
    // a no-op that leaves `default` in rdx.
    unsafe {
        core::arch::asm!(
            "rol rdi, 3",
            "rol rdi, 13",
            "rol rdi, 61",
            "rol rdi, 51",
            "xchg rbx, rbx",
            inout("rdx") default => result,
            in("rax") args.as_ptr(),
            options(nostack),
        );
    }
    result
}

/// Other architectures: no client requests (the harness refuses to count).
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn client_request(default: usize, _request: usize, _arg1: usize) -> usize {
    default
}

/// A counted region: collection on while it lives (outermost region only).
pub struct Region {
    active: bool,
}

impl Region {
    /// Starts counting this thread's instructions if counting is on.
    #[inline(always)]
    pub fn enter() -> Region {
        if !COUNTING.load(Ordering::Relaxed) {
            return Region { active: false };
        }
        let outer = DEPTH.with(|d| {
            d.set(d.get() + 1);
            d.get() == 1
        });
        if outer {
            client_request(0, TOGGLE_COLLECT, 0);
        }
        Region { active: true }
    }
}

impl Drop for Region {
    #[inline(always)]
    fn drop(&mut self) {
        if !self.active {
            return;
        }
        let outer = DEPTH.with(|d| {
            d.set(d.get() - 1);
            d.get() == 0
        });
        if outer {
            client_request(0, TOGGLE_COLLECT, 0);
        }
    }
}

/// Runs `guest` (one call into wasm) as a counted region. The call methods
/// count only their guest calls, not the host's copies of input and output
/// or its allocations around them: glibc's allocator and `memcpy` take paths
/// that depend on the heap's state and on addresses, which differ from one
/// process to the next, while the guest's own instructions do not.
#[inline(always)]
pub fn counted<T>(guest: impl FnOnce() -> T) -> T {
    let _region = Region::enter();
    guest()
}

/// Turns counted regions on or off (off by default: the entry points then only read a flag).
#[napi]
pub fn count_regions(on: bool) {
    COUNTING.store(on, Ordering::Relaxed);
}

/// Writes callgrind's counts since the last dump to a file labelled `label`, and zeroes them.
/// Returns false when the process does not run under valgrind (nothing was written).
#[napi]
pub fn callgrind_dump(label: String) -> bool {
    if running_on_valgrind() == 0 {
        return false;
    }
    let mut bytes = label.into_bytes();
    bytes.retain(|b| *b != 0);
    bytes.push(0);
    client_request(0, DUMP_STATS_AT, bytes.as_ptr() as usize);
    true
}

/// How many valgrinds deep this process runs (0: not under valgrind, or not on x86-64).
#[napi]
pub fn running_on_valgrind() -> u32 {
    client_request(0, RUNNING_ON_VALGRIND, 0) as u32
}

/// Whether this build can issue valgrind client requests (x86-64 only).
#[napi]
pub fn client_requests_supported() -> bool {
    cfg!(target_arch = "x86_64")
}
