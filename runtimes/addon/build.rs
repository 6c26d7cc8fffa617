// Shared build script of every runtime addon build (see ../README.md).
// It records the exact Wasmtime version from the workspace's Cargo.lock, so
// `wasmtimeVersion()` reports what was really linked, not what was asked for,
// and refuses `api-since-N` features that disagree with that version (a
// hand-edited workspace would otherwise compile the wrong adapter arm or fail
// with an obscure type error deep in adapter.rs).
use std::{env, fs, path::PathBuf};

fn main() {
    napi_build::setup();
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let lock_path = manifest_dir.join("Cargo.lock");
    let toml_path = manifest_dir.join("Cargo.toml");
    println!("cargo:rerun-if-changed={}", lock_path.display());
    println!("cargo:rerun-if-changed={}", toml_path.display());
    let lock = fs::read_to_string(&lock_path).expect("the runtime workspace has a Cargo.lock");
    let version = locked_version(&lock, "wasmtime").expect("Cargo.lock pins wasmtime");
    println!("cargo:rustc-env=WASM_MATRIX_WASMTIME_VERSION={version}");

    let major: u32 = version.split('.').next().and_then(|m| m.parse().ok()).expect("a numeric major");
    let toml = fs::read_to_string(&toml_path).expect("the workspace has a Cargo.toml");
    for since in declared_ranges(&toml) {
        let enabled = env::var_os(format!("CARGO_FEATURE_API_SINCE_{since}")).is_some();
        if enabled != (major >= since) {
            panic!(
                "{}: feature api-since-{since} is {} but the Cargo.lock links Wasmtime {version}; \
                 regenerate the workspace (wasm-matrix runtimes add) instead of editing it",
                toml_path.display(),
                if enabled { "on" } else { "off" },
            );
        }
    }
}

/// The N of every `api-since-N = ...` feature the workspace declares.
fn declared_ranges(toml: &str) -> Vec<u32> {
    toml.lines()
        .filter_map(|line| line.trim().strip_prefix("api-since-"))
        .filter_map(|rest| rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok())
        .collect()
}

fn locked_version(lock: &str, crate_name: &str) -> Option<String> {
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == format!("name = \"{crate_name}\"") {
            let next = lines.next()?.trim();
            return next
                .strip_prefix("version = \"")
                .and_then(|v| v.strip_suffix('"'))
                .map(str::to_owned);
        }
    }
    None
}
