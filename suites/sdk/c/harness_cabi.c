/*
 * wasm-matrix guest SDK for C: `cabi_realloc`, the canonical ABI's allocator,
 * linked into every clang-wasi-p2 build (commands too).
 *
 * The host allocates a dispatcher's arguments with it. It matters for
 * commands as well: without it the WASI preview1 adapter takes memory for its
 * own state with `memory.grow` behind malloc's back, and with Debian's
 * wasi-libc (which assumes its heap grows contiguously) a program that
 * allocates enough (the wasi suite's `upper.large`: 256 KiB of stdin) then
 * overwrites that state: the adapter traps on an internal assertion. With
 * `cabi_realloc` exported the adapter allocates through malloc.
 */
#ifdef __wasm__
#include <stddef.h>
#include <stdlib.h>

__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size) {
    (void)old_size;
    /* Zero bytes need no memory: any aligned non-null pointer does. */
    if (new_size == 0) return (void *)align;
    void *p;
    if (align > 16 && !ptr) {
        /* malloc aligns to 16, enough for every canonical type; more only on request. */
        p = aligned_alloc(align, (new_size + align - 1) / align * align);
    } else {
        p = realloc(ptr, new_size);
    }
    if (!p) __builtin_trap();
    return p;
}
#endif
