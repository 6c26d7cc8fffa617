;; The `memory64` suite: a module whose linear memory is indexed by i64 (the
;; memory64 proposal, part of WebAssembly 3.0). Wasmtime turned memory64 on by
;; default in 30.0.0; older versions refuse to compile the module, so its cells
;; are `unsupported` there. The bisect example in the README finds that release.
(module
  (memory (export "memory") i64 1 4)

  ;; Stores `value` at the 64-bit address `addr` and loads it back.
  (func (export "store_load") (param $addr i64) (param $value i64) (result i64)
    (i64.store (local.get $addr) (local.get $value))
    (i64.load (local.get $addr)))

  ;; memory.size and memory.grow count pages in i64 on a 64-bit memory.
  (func (export "size") (result i64)
    (memory.size))
  (func (export "grow") (param $pages i64) (result i64)
    (memory.grow (local.get $pages)))

  ;; An address past the first page traps like any out-of-bounds access.
  (func (export "load_past_end") (result i64)
    (i64.load (i64.const 65536)))

  ;; An address above 4 GiB: not even representable in a 32-bit memory.
  (func (export "load_above_4gib") (result i64)
    (i64.load (i64.const 0x100000000)))
)
