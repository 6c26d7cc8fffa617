/*
 * wasm-matrix guest SDK for C: guest ABI v1. See harness.h and suites/README.md.
 * Portable C99: on wasm it exports the ABI, natively it compiles for drivers.
 */
#include "harness.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __wasm__
#define HARNESS_EXPORT(name) __attribute__((export_name(name)))
#else
#define HARNESS_EXPORT(name)
#endif

static void harness_out_of_memory(void) {
#if defined(__GNUC__) || defined(__clang__)
    __builtin_trap();
#else
    abort();
#endif
}

static void harness_reserve(harness_buf *out, size_t extra) {
    size_t need = out->len + extra;
    if (need < out->len) harness_out_of_memory();
    if (need <= out->cap) return;
    size_t cap = out->cap ? out->cap : 64;
    while (cap < need) {
        size_t next = cap * 2;
        if (next < cap) {
            next = need;
        }
        cap = next;
    }
    uint8_t *data = (uint8_t *)realloc(out->data, cap);
    if (!data) harness_out_of_memory();
    out->data = data;
    out->cap = cap;
}

int harness_put(harness_buf *out, const void *bytes, size_t len) {
    if (len == 0) return HARNESS_OK;
    harness_reserve(out, len);
    memcpy(out->data + out->len, bytes, len);
    out->len += len;
    return HARNESS_OK;
}

int harness_putc(harness_buf *out, char c) {
    harness_reserve(out, 1);
    out->data[out->len++] = (uint8_t)c;
    return HARNESS_OK;
}

int harness_puts(harness_buf *out, const char *s) { return harness_put(out, s, strlen(s)); }

int harness_put_u64(harness_buf *out, uint64_t v) {
    char tmp[24];
    size_t i = sizeof tmp;
    do {
        tmp[--i] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v);
    return harness_put(out, tmp + i, sizeof tmp - i);
}

int harness_put_i64(harness_buf *out, int64_t v) {
    if (v < 0) {
        harness_putc(out, '-');
        return harness_put_u64(out, (uint64_t)0 - (uint64_t)v);
    }
    return harness_put_u64(out, (uint64_t)v);
}

static const char harness_hex_digits[] = "0123456789abcdef";

int harness_put_hex(harness_buf *out, const void *bytes, size_t len) {
    const uint8_t *p = (const uint8_t *)bytes;
    harness_reserve(out, len * 2);
    for (size_t i = 0; i < len; i++) {
        out->data[out->len++] = (uint8_t)harness_hex_digits[p[i] >> 4];
        out->data[out->len++] = (uint8_t)harness_hex_digits[p[i] & 15];
    }
    return HARNESS_OK;
}

int harness_put_hex_u64(harness_buf *out, uint64_t v, int digits) {
    char tmp[16];
    if (digits < 1) digits = 1;
    if (digits > 16) digits = 16;
    for (int i = digits - 1; i >= 0; i--) {
        tmp[i] = harness_hex_digits[v & 15];
        v >>= 4;
    }
    return harness_put(out, tmp, (size_t)digits);
}

static int harness_vprintf(harness_buf *out, const char *fmt, va_list ap) {
    va_list copy;
    va_copy(copy, ap);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, copy);
    va_end(copy);
    if (n < 0) return HARNESS_OK;
    if ((size_t)n < sizeof small) return harness_put(out, small, (size_t)n);
    harness_reserve(out, (size_t)n + 1);
    vsnprintf((char *)out->data + out->len, (size_t)n + 1, fmt, ap);
    out->len += (size_t)n;
    return HARNESS_OK;
}

int harness_printf(harness_buf *out, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    harness_vprintf(out, fmt, ap);
    va_end(ap);
    return HARNESS_OK;
}

/* Inside harness_call the buffer holds the status byte at [0]: a failure
 * rewinds to just after it and writes the message. */
static void harness_begin_error(harness_buf *out) {
    out->len = 0;
    harness_putc(out, (char)HARNESS_STATUS_GUEST_ERROR);
}

int harness_fail(harness_buf *out, const char *message) {
    harness_begin_error(out);
    harness_puts(out, message);
    return HARNESS_ERROR;
}

int harness_failf(harness_buf *out, const char *fmt, ...) {
    va_list ap;
    harness_begin_error(out);
    va_start(ap, fmt);
    harness_vprintf(out, fmt, ap);
    va_end(ap);
    return HARNESS_ERROR;
}

void harness_buf_free(harness_buf *buf) {
    free(buf->data);
    buf->data = NULL;
    buf->len = 0;
    buf->cap = 0;
}

void harness_call(const char *name, size_t name_len, const uint8_t *in, size_t in_len, harness_buf *out) {
    static const uint8_t empty[1] = {0};
    out->len = 0;
    harness_putc(out, (char)HARNESS_STATUS_OK);
    if (!in) in = empty;
    for (const harness_case *c = harness_cases; c->name; c++) {
        if (strlen(c->name) == name_len && memcmp(c->name, name, name_len) == 0) {
            int rc = c->fn(in, in_len, out);
            if (rc != HARNESS_OK && (out->len == 0 || out->data[0] != HARNESS_STATUS_GUEST_ERROR)) {
                /* A case that returned an error without saying why. */
                harness_fail(out, "WasmMatrix.Guest.GuestException: the case failed without a message");
            }
            return;
        }
    }
    harness_begin_error(out);
    harness_puts(out, "WasmMatrix.Guest.UnknownCaseException: no case named ");
    harness_put(out, name, name_len);
}

void harness_describe_into(harness_buf *out) {
    harness_putc(out, '[');
    for (const harness_case *c = harness_cases; c->name; c++) {
        if (c != harness_cases) harness_putc(out, ',');
        harness_putc(out, '"');
        for (const char *p = c->name; *p; p++) {
            unsigned char ch = (unsigned char)*p;
            if (ch == '"' || ch == '\\') {
                harness_putc(out, '\\');
                harness_putc(out, (char)ch);
            } else if (ch < 0x20) {
                harness_puts(out, "\\u00");
                harness_put_hex_u64(out, ch, 2);
            } else {
                harness_putc(out, (char)ch);
            }
        }
        harness_putc(out, '"');
    }
    harness_putc(out, ']');
}

HARNESS_EXPORT("harness_alloc")
void *harness_alloc(int32_t len) {
    void *p = malloc(len > 0 ? (size_t)len : 1);
    if (!p) harness_out_of_memory();
    return p;
}

#ifdef __wasm__
/* The previous call's output, freed when the next call starts. */
static harness_buf harness_last_output;

static int64_t harness_pack(const harness_buf *out) {
    return (int64_t)(((uint64_t)(uintptr_t)out->data << 32) | (uint64_t)(uint32_t)out->len);
}

HARNESS_EXPORT("harness_invoke")
int64_t harness_invoke(const char *name, int32_t name_len, const uint8_t *in, int32_t in_len) {
    harness_buf_free(&harness_last_output);
    harness_call(name, name_len > 0 ? (size_t)name_len : 0, in, in_len > 0 ? (size_t)in_len : 0, &harness_last_output);
    /* The host placed both through harness_alloc and never touches them again. */
    free((void *)name);
    free((void *)in);
    return harness_pack(&harness_last_output);
}

HARNESS_EXPORT("harness_describe")
int64_t harness_describe(void) {
    harness_buf_free(&harness_last_output);
    harness_describe_into(&harness_last_output);
    return harness_pack(&harness_last_output);
}
#endif
