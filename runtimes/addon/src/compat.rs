//! Stable digests: the engine compatibility hash and sha256 of `.cwasm` bytes.

use sha2::{Digest, Sha256};
use std::hash::{Hash, Hasher};

/// Feeds `Hash` input into sha256, so the compatibility hash is a stable
/// hex string rather than a process-seeded `u64`.
struct Sha256Hasher(Sha256);

impl Hasher for Sha256Hasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
    fn finish(&self) -> u64 {
        // Only `hex_digest` is used; `Hasher` merely requires this method.
        let digest = self.0.clone().finalize();
        u64::from_le_bytes(digest[..8].try_into().unwrap())
    }
}

/// The hex digest of everything that decides whether a `.cwasm` loads on this
/// engine: Wasmtime version, compiler and its flags, tunables, wasm features.
pub fn engine_compatibility_hash(engine: &wasmtime::Engine) -> String {
    let mut hasher = Sha256Hasher(Sha256::new());
    engine.precompile_compatibility_hash().hash(&mut hasher);
    hex(&hasher.0.finalize()[..16])
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
