//! Store limits: a linear-memory cap that turns growth past it into a trap the
//! harness can name (`memory-limit`), whatever the guest does with `-1`.

use crate::adapter::impl_table_growing;

pub struct MemoryCap {
    pub max_bytes: Option<usize>,
    /// Set when a growth request was refused; classifies the resulting trap.
    pub hit: bool,
}

impl MemoryCap {
    fn table_growing_usize(
        &mut self,
        _current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(maximum.map_or(true, |max| desired <= max))
    }
}

impl wasmtime::ResourceLimiter for MemoryCap {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if let Some(max) = maximum {
            if desired > max {
                return Ok(false);
            }
        }
        match self.max_bytes {
            Some(cap) if desired > cap => {
                self.hit = true;
                Err(wasmtime::Error::msg(format!(
                    "memory limit: growing linear memory from {current} to {desired} bytes exceeds the limit of {cap} bytes"
                )))
            }
            _ => Ok(true),
        }
    }

    impl_table_growing!();
}
