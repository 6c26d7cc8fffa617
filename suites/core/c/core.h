/* The `core` suite in C: what traps.c shares with core.c. */
#ifndef WASM_MATRIX_CORE_H
#define WASM_MATRIX_CORE_H

#include <stdint.h>

#include "harness.h"

/* Cases that end in a trap (or never end): wasm flavors of C and WAT only,
 * except where suite.json also lists C# flavors (memory, time and fuel limits). */
int core_trap_unreachable(const uint8_t *in, size_t len, harness_buf *out);
int core_trap_div_by_zero(const uint8_t *in, size_t len, harness_buf *out);
int core_trap_int_overflow(const uint8_t *in, size_t len, harness_buf *out);
int core_trap_out_of_bounds(const uint8_t *in, size_t len, harness_buf *out);
int core_trap_stack_overflow(const uint8_t *in, size_t len, harness_buf *out);
int core_trap_memory_bomb(const uint8_t *in, size_t len, harness_buf *out);
int core_trap_spin(const uint8_t *in, size_t len, harness_buf *out);

#define CORE_TRAP_CASES                                    \
    {"trap.unreachable", core_trap_unreachable},           \
    {"trap.div_by_zero", core_trap_div_by_zero},           \
    {"trap.int_overflow", core_trap_int_overflow},         \
    {"trap.out_of_bounds", core_trap_out_of_bounds},       \
    {"trap.stack_overflow", core_trap_stack_overflow},     \
    {"trap.memory_bomb", core_trap_memory_bomb},           \
    {"trap.infinite_loop", core_trap_spin},                \
    {"trap.out_of_fuel", core_trap_spin},

/* Raw exports (call style `export`), named without the prefix on wasm. */
int64_t core_add_i64(int64_t a, int64_t b);
int32_t core_mul_i32(int32_t a, int32_t b);
double core_fdiv(double a, double b);

#endif
