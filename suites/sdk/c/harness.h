/*
 * wasm-matrix guest SDK for C: guest ABI v1 (see suites/README.md).
 *
 * A suite defines its cases as a table, terminated by {0, 0}:
 *
 *     #include "harness.h"
 *
 *     static int add(const uint8_t *in, size_t len, harness_buf *out) {
 *         ...
 *         return harness_printf(out, "%d", a + b);
 *     }
 *
 *     const harness_case harness_cases[] = {
 *         {"int.add", add},
 *         {0, 0},
 *     };
 *
 * A case function returns HARNESS_OK after appending its payload to `out`, or
 * the result of harness_fail(out, "Type.Name: message"), which turns the call
 * into a guest error with that message (the same text a C# guest produces for
 * an exception of that type). Several names may share one function.
 *
 * On wasm (`__wasm__`) harness.c exports the ABI: `memory` (the default),
 * `harness_alloc`, `harness_invoke` and `harness_describe`. It is portable C
 * and also compiles natively, where harness_call()/harness_describe_into()
 * give drivers and tests the same behaviour without 32-bit pointer packing.
 */
#ifndef WASM_MATRIX_HARNESS_H
#define WASM_MATRIX_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HARNESS_OK 0
#define HARNESS_ERROR 1

/* Status byte at the start of every harness_invoke output. */
#define HARNESS_STATUS_OK 0
#define HARNESS_STATUS_GUEST_ERROR 1

/* A growable byte buffer: a case's output. */
typedef struct harness_buf {
    uint8_t *data;
    size_t len;
    size_t cap;
} harness_buf;

typedef int (*harness_fn)(const uint8_t *in, size_t len, harness_buf *out);

typedef struct harness_case {
    const char *name;
    harness_fn fn;
} harness_case;

/* Defined by the suite; the last entry is {0, 0}. */
extern const harness_case harness_cases[];

/* ---- building the output (all return HARNESS_OK) ---- */

/* Appends `len` bytes; aborts with a trap when memory is exhausted. */
int harness_put(harness_buf *out, const void *bytes, size_t len);
int harness_putc(harness_buf *out, char c);
/* Appends a NUL-terminated string (without the NUL). */
int harness_puts(harness_buf *out, const char *s);
int harness_put_i64(harness_buf *out, int64_t v);
int harness_put_u64(harness_buf *out, uint64_t v);
/* Lower-case hex of `len` bytes. */
int harness_put_hex(harness_buf *out, const void *bytes, size_t len);
/* Exactly `digits` lower-case hex digits of v (digits <= 16). */
int harness_put_hex_u64(harness_buf *out, uint64_t v, int digits);
int harness_printf(harness_buf *out, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* ---- guest errors ---- */

/* Discards any payload and makes the call a guest error with this message,
 * conventionally "Namespace.ExceptionType: message". Returns HARNESS_ERROR,
 * so a case can `return harness_fail(out, "...");`. */
int harness_fail(harness_buf *out, const char *message);
int harness_failf(harness_buf *out, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* ---- the dispatcher, portable ---- */

/* Runs the case `name` on `in`; `out` receives the complete ABI output:
 * the status byte, then the payload (ok) or the UTF-8 message (guest error).
 * An unknown name gives status 1 and
 * "WasmMatrix.Guest.UnknownCaseException: no case named NAME". */
void harness_call(const char *name, size_t name_len, const uint8_t *in, size_t in_len, harness_buf *out);

/* The JSON array of case names, in table order (no status byte). */
void harness_describe_into(harness_buf *out);

void harness_buf_free(harness_buf *buf);

/* ---- the exported ABI ---- */

/* malloc(len); the guest owns what it returns. */
void *harness_alloc(int32_t len);

#ifdef __wasm__
/* ((u64)out_ptr << 32) | out_len. The name and input buffers are freed when
 * the call returns; the output stays valid until the next harness_invoke or
 * harness_describe. */
int64_t harness_invoke(const char *name, int32_t name_len, const uint8_t *in, int32_t in_len);
int64_t harness_describe(void);
#endif

#ifdef __cplusplus
}
#endif

#endif
