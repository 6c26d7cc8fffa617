/*
 * wasm-matrix guest SDK for C: the `wasm-matrix:guest@0.1.0` component world
 * (suites/sdk/wit/guest.wit), lifted and lowered by hand over harness_call().
 * Compiled only into component builds (flavor clang-wasi-p2, dispatcher
 * suites), with harness_cabi.c (cabi_realloc); the core-module ABI in
 * harness.c stays as it is.
 *
 * Canonical ABI (wasm32): a string or list<u8> is (ptr, len); the host
 * allocates arguments with cabi_realloc and hands them over, so the guest
 * frees them. A result<list<u8>, string> does not fit in one flat value, so
 * the export returns a pointer to a return area {u8 tag; u32 ptr; u32 len}
 * (tag 0 ok, 1 err). The post-return function frees what the last call
 * returned once the host has copied it out.
 */
#ifdef __wasm__
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#define CABI_EXPORT(name) __attribute__((export_name(name)))

/* No constructor call here: the component wit-component makes runs the
 * core module's `_initialize` as its start function. */

static struct {
    uint8_t tag;
    uint8_t *ptr;
    size_t len;
} harness_invoke_ret;
static harness_buf harness_invoke_out;

CABI_EXPORT("wasm-matrix:guest/dispatch@0.1.0#invoke")
void *harness_component_invoke(char *name, size_t name_len, uint8_t *in, size_t in_len) {
    harness_invoke_out.len = 0;
    harness_call(name, name_len, in, in_len, &harness_invoke_out);
    /* Zero-length arguments point at no allocation (see cabi_realloc). */
    if (name_len) free(name);
    if (in_len) free(in);
    /* harness_call always writes the status byte first. */
    harness_invoke_ret.tag = harness_invoke_out.data[0] == HARNESS_STATUS_OK ? 0 : 1;
    harness_invoke_ret.ptr = harness_invoke_out.data + 1;
    harness_invoke_ret.len = harness_invoke_out.len - 1;
    return &harness_invoke_ret;
}

CABI_EXPORT("cabi_post_wasm-matrix:guest/dispatch@0.1.0#invoke")
void harness_component_invoke_post(void *ret) {
    (void)ret;
    harness_buf_free(&harness_invoke_out);
}

/* list<string>: (ptr, len) of an array of (ptr, len) pairs. */
static struct {
    const char **names;
    size_t len;
} harness_describe_ret;

CABI_EXPORT("wasm-matrix:guest/catalog@0.1.0#describe")
void *harness_component_describe(void) {
    size_t n = 0;
    while (harness_cases[n].name) n++;
    const char **pairs = (const char **)malloc(n ? n * 2 * sizeof(char *) : 1);
    if (!pairs) __builtin_trap();
    for (size_t i = 0; i < n; i++) {
        pairs[2 * i] = harness_cases[i].name;
        pairs[2 * i + 1] = (const char *)(uintptr_t)strlen(harness_cases[i].name);
    }
    harness_describe_ret.names = pairs;
    harness_describe_ret.len = n;
    return &harness_describe_ret;
}

CABI_EXPORT("cabi_post_wasm-matrix:guest/catalog@0.1.0#describe")
void harness_component_describe_post(void *ret) {
    (void)ret;
    free(harness_describe_ret.names);
    harness_describe_ret.names = NULL;
}
#endif
