// Shared build script of every pinned addon build (see ../README.md).
// It records the exact Wasmtime version from the pinned workspace's Cargo.lock,
// so `wasmtimeVersion()` reports what was really linked, not what was asked for.
use std::{env, fs, path::PathBuf};

fn main() {
    napi_build::setup();
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let lock_path = manifest_dir.join("Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock_path.display());
    let lock = fs::read_to_string(&lock_path).expect("the pinned workspace has a Cargo.lock");
    let version = locked_version(&lock, "wasmtime").expect("Cargo.lock pins wasmtime");
    println!("cargo:rustc-env=WASM_MATRIX_WASMTIME_VERSION={version}");
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
