//! A `WasiCtxBuilder` configured from `InstanceOptions`, for core-module
//! instances (built as a preview1 context) and components (preview 2) alike:
//! args as given, env empty unless given, stdin from bytes, stdout/stderr
//! captured with a cap (and written through to spill files when asked), only
//! the preopens asked for.

use crate::adapter::{self, MemoryInputPipe, WasiCtxBuilder};
use crate::instance::InstanceOptions;
use crate::output::CapturedOutput;
use napi::bindgen_prelude::*;
use std::path::Path;

/// The cap on each of stdout and stderr when the options give none.
pub const DEFAULT_OUTPUT_CAP: usize = 1 << 20;

/// The builder plus the two capture pipes it writes to.
pub struct WasiSetup {
    /// The configured builder, not yet built.
    pub builder: WasiCtxBuilder,
    /// Where the guest's stdout goes (cap + 1 bytes).
    pub stdout: CapturedOutput,
    /// Where the guest's stderr goes (cap + 1 bytes).
    pub stderr: CapturedOutput,
    /// The cap on each stream; the pipes hold one byte more, the witness that it was passed.
    pub cap: usize,
}

/// A pipe's bytes cut to `cap`, and whether they were cut (the guest wrote past the cap).
pub fn captured(pipe: &CapturedOutput, cap: usize) -> (Vec<u8>, bool) {
    let mut bytes = pipe.contents().to_vec();
    let cut = bytes.len() > cap;
    bytes.truncate(cap);
    (bytes, cut)
}

fn invalid(message: String) -> Error {
    Error::new(Status::InvalidArg, message)
}

/// A WASI context builder from an instance's options (args, env, preopens,
/// stdin, the capped stdout/stderr pipes), for core modules and components.
pub fn wasi_builder(options: &InstanceOptions) -> Result<WasiSetup> {
    let mut builder = WasiCtxBuilder::new();
    if let Some(args) = &options.args {
        builder.args(args);
    }
    for entry in options.env.iter().flatten() {
        let (name, value) = entry
            .split_once('=')
            .ok_or_else(|| invalid(format!("env entry `{entry}` is not NAME=value")))?;
        builder.env(name, value);
    }
    if let Some(stdin) = &options.stdin {
        builder.stdin(MemoryInputPipe::new(stdin.to_vec()));
    }
    let cap = options.output_cap_bytes.map_or(DEFAULT_OUTPUT_CAP, |c| c as usize);
    // One byte past the cap, as for core modules: holding it proves the guest wrote more.
    let spill = options.output_spill.as_ref();
    let stream = |path: Option<&String>| {
        CapturedOutput::new(cap + 1, path.map(String::as_str))
            .map_err(|e| invalid(format!("cannot create the spill file `{}`: {e}", path.map_or("", |p| p.as_str()))))
    };
    let stdout = stream(spill.map(|s| &s.stdout))?;
    let stderr = stream(spill.map(|s| &s.stderr))?;
    builder.stdout(stdout.clone());
    builder.stderr(stderr.clone());
    for dir in options.preopens.iter().flatten() {
        adapter::preopen_read_write(&mut builder, Path::new(&dir.host), &dir.guest)
            .map_err(|e| invalid(format!("cannot preopen `{}`: {e:#}", dir.host)))?;
    }
    Ok(WasiSetup { builder, stdout, stderr, cap })
}
