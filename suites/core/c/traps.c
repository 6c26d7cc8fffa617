/*
 * The `core` suite in C: each trap kind, the limits (memory, time, fuel) and
 * the raw exports. The operands come from volatiles, so the optimizer can
 * neither fold a trap away nor prove it and drop the code around it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "harness.h"

#ifdef __wasm__
#define RAW_EXPORT(name) __attribute__((export_name(name)))
#else
#define RAW_EXPORT(name)
#endif

static volatile int32_t v_one = 1, v_zero = 0, v_minus_one = -1, v_int_min = INT32_MIN;
/* Far past any 32-bit linear memory smaller than 4 GiB. */
static volatile uintptr_t v_far_address = 0xfffffff0u;

int core_trap_unreachable(const uint8_t *in, size_t len, harness_buf *out) {
    (void)in;
    (void)len;
    (void)out;
    __builtin_trap();
}

/* i32.div_s by 0: integer-divide-by-zero. */
int core_trap_div_by_zero(const uint8_t *in, size_t len, harness_buf *out) {
    (void)in;
    (void)len;
    return harness_put_i64(out, v_one / v_zero);
}

/* i32.div_s of INT32_MIN by -1: integer-overflow. */
int core_trap_int_overflow(const uint8_t *in, size_t len, harness_buf *out) {
    (void)in;
    (void)len;
    return harness_put_i64(out, v_int_min / v_minus_one);
}

/* A load near 4 GiB: memory-out-of-bounds. */
int core_trap_out_of_bounds(const uint8_t *in, size_t len, harness_buf *out) {
    (void)in;
    (void)len;
    volatile const uint8_t *p = (volatile const uint8_t *)v_far_address;
    return harness_put_u64(out, *p);
}

/* Recursion that keeps everything in wasm locals (no shadow-stack frame, even
 * at -O0: no parameters, no locals) and does work after the call, so it is
 * not a tail call and cannot become a loop: the engine's stack overflows. */
static volatile uint32_t v_depth;

__attribute__((noinline)) static void recurse(void) {
    v_depth = v_depth + 1;
    if (v_depth != 0) recurse();
    v_depth = v_depth - 1;
}

int core_trap_stack_overflow(const uint8_t *in, size_t len, harness_buf *out) {
    (void)in;
    (void)len;
    v_depth = 0;
    recurse();
    return harness_puts(out, "returned");
}

/* Allocates 1 MiB blocks, touching every page and chaining them so nothing can
 * be elided, until the memory limit traps (memory-limit). Without a limit it
 * stops when malloc fails, near 4 GiB. */
int core_trap_memory_bomb(const uint8_t *in, size_t len, harness_buf *out) {
    (void)in;
    (void)len;
    const size_t block = 1 << 20;
    void **head = NULL;
    unsigned long blocks = 0;
    for (;;) {
        void **p = (void **)malloc(block);
        if (!p) break;
        memset(p, 0xa5, block);
        p[0] = head;
        head = p;
        blocks++;
    }
    /* Unreached under a limit; frees everything otherwise. */
    while (head) {
        void **next = (void **)head[0];
        free(head);
        head = next;
    }
    return harness_printf(out, "malloc failed after %lu MiB", blocks);
}

/* Runs until a deadline (timeout) or the fuel (out-of-fuel) stops it. */
static volatile uint64_t v_spin;

int core_trap_spin(const uint8_t *in, size_t len, harness_buf *out) {
    (void)in;
    (void)len;
    (void)out;
    for (;;) v_spin = v_spin + 1;
}

RAW_EXPORT("add_i64")
int64_t core_add_i64(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }

RAW_EXPORT("mul_i32")
int32_t core_mul_i32(int32_t a, int32_t b) { return (int32_t)((uint32_t)a * (uint32_t)b); }

RAW_EXPORT("fdiv")
double core_fdiv(double a, double b) { return a / b; }
