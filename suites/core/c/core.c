/*
 * The `core` suite in C: integers, floats, UTF-8 strings, bytes, collections
 * and guest errors. Every case behaves byte for byte like csharp/Core.cs; the
 * formats are described in suites/README.md. Traps and raw exports: traps.c.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "harness.h"

/* ------------------------------------------------------------------ */
/* Input: whitespace-separated tokens                                  */
/* ------------------------------------------------------------------ */

typedef struct {
    const uint8_t *p;
    size_t len;
} token;

#define MAX_TOKENS 8

static int is_space(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Splits on ASCII whitespace; returns the number of tokens (may exceed max). */
static size_t split_tokens(const uint8_t *in, size_t len, token *toks, size_t max) {
    size_t n = 0, i = 0;
    while (i < len) {
        while (i < len && is_space(in[i])) i++;
        if (i >= len) break;
        size_t start = i;
        while (i < len && !is_space(in[i])) i++;
        if (n < max) {
            toks[n].p = in + start;
            toks[n].len = i - start;
        }
        n++;
    }
    return n;
}

/* `-`? digit+, within int64. */
static int parse_i64(token t, int64_t *value) {
    size_t i = 0;
    int neg = 0;
    if (t.len > 0 && t.p[0] == '-') {
        neg = 1;
        i = 1;
    }
    if (i >= t.len) return 0;
    uint64_t limit = neg ? (uint64_t)1 << 63 : ((uint64_t)1 << 63) - 1;
    uint64_t mag = 0;
    for (; i < t.len; i++) {
        uint8_t c = t.p[i];
        if (c < '0' || c > '9') return 0;
        uint64_t d = (uint64_t)(c - '0');
        if (mag > (limit - d) / 10) return 0;
        mag = mag * 10 + d;
    }
    *value = neg ? (int64_t)((uint64_t)0 - mag) : (int64_t)mag;
    return 1;
}

/* Reads exactly `n` integers (n <= MAX_TOKENS), int32 range when `i32`. */
static int read_ints(const uint8_t *in, size_t len, size_t n, int i32, int64_t *vals, harness_buf *out) {
    token toks[MAX_TOKENS];
    size_t count = split_tokens(in, len, toks, MAX_TOKENS);
    if (count != n) return harness_failf(out, "System.ArgumentException: expected %u integer%s", (unsigned)n, n == 1 ? "" : "s");
    for (size_t i = 0; i < n; i++) {
        if (!parse_i64(toks[i], &vals[i]) || (i32 && (vals[i] < INT32_MIN || vals[i] > INT32_MAX)))
            return harness_failf(out, "System.FormatException: invalid integer at token %u", (unsigned)(i + 1));
    }
    return HARNESS_OK;
}

static const double POW10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static int hex_value(uint8_t c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static double f64_from_bits(uint64_t bits) {
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

static uint64_t f64_bits(double d) {
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return bits;
}

static uint32_t f32_bits(float f) {
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    return bits;
}

/* `0x` + 16 hex digits (raw bits) | `-`? (`nan` | `inf` | digit+ (`.` digit+)?)
 * with at most 15 significant digits and 22 decimals: m / 10^k, exact in both
 * languages because m < 2^53 and 10^k <= 10^22 are exact doubles. */
static int parse_f64(token t, double *value) {
    if (t.len == 18 && t.p[0] == '0' && t.p[1] == 'x') {
        uint64_t bits = 0;
        for (size_t i = 2; i < 18; i++) {
            int h = hex_value(t.p[i]);
            if (h < 0) return 0;
            bits = bits << 4 | (uint64_t)h;
        }
        *value = f64_from_bits(bits);
        return 1;
    }
    size_t i = 0;
    int neg = 0;
    if (t.len > 0 && t.p[0] == '-') {
        neg = 1;
        i = 1;
    }
    size_t rest = t.len - i;
    if (rest == 3 && memcmp(t.p + i, "nan", 3) == 0) {
        *value = f64_from_bits(0x7ff8000000000000ULL);
        return 1;
    }
    if (rest == 3 && memcmp(t.p + i, "inf", 3) == 0) {
        *value = neg ? -INFINITY : INFINITY;
        return 1;
    }
    uint64_t m = 0;
    int significant = 0, decimals = 0, digits = 0, seen_dot = 0, after_dot = 0;
    for (; i < t.len; i++) {
        uint8_t c = t.p[i];
        if (c == '.') {
            if (seen_dot || digits == 0) return 0;
            seen_dot = 1;
            continue;
        }
        if (c < '0' || c > '9') return 0;
        digits++;
        if (seen_dot) {
            decimals++;
            after_dot++;
        }
        if (m != 0 || c != '0') significant++;
        m = m * 10 + (uint64_t)(c - '0');
        if (significant > 15 || decimals > 22) return 0;
    }
    if (digits == 0 || (seen_dot && after_dot == 0)) return 0;
    double v = (double)m / POW10[decimals];
    *value = neg ? -v : v;
    return 1;
}

static int read_f64s(const uint8_t *in, size_t len, size_t n, double *vals, harness_buf *out) {
    token toks[MAX_TOKENS];
    size_t count = split_tokens(in, len, toks, MAX_TOKENS);
    if (count != n) return harness_failf(out, "System.ArgumentException: expected %u number%s", (unsigned)n, n == 1 ? "" : "s");
    for (size_t i = 0; i < n; i++) {
        if (!parse_f64(toks[i], &vals[i])) return harness_failf(out, "System.FormatException: invalid number at token %u", (unsigned)(i + 1));
    }
    return HARNESS_OK;
}

/* `nan`, or sign + class + the IEEE bits: `+normal 3ff8000000000000`. */
static void put_f64(harness_buf *out, double x) {
    uint64_t bits = f64_bits(x);
    uint64_t exp = (bits >> 52) & 0x7ff, mant = bits & 0xfffffffffffffULL;
    if (exp == 0x7ff && mant != 0) {
        harness_puts(out, "nan");
        return;
    }
    harness_putc(out, (bits >> 63) ? '-' : '+');
    harness_puts(out, exp == 0x7ff ? "inf" : exp != 0 ? "normal" : mant != 0 ? "subnormal" : "zero");
    harness_putc(out, ' ');
    harness_put_hex_u64(out, bits, 16);
}

static void put_f32(harness_buf *out, float x) {
    uint32_t bits = f32_bits(x);
    uint32_t exp = (bits >> 23) & 0xff, mant = bits & 0x7fffff;
    if (exp == 0xff && mant != 0) {
        harness_puts(out, "nan");
        return;
    }
    harness_putc(out, (bits >> 31) ? '-' : '+');
    harness_puts(out, exp == 0xff ? "inf" : exp != 0 ? "normal" : mant != 0 ? "subnormal" : "zero");
    harness_putc(out, ' ');
    harness_put_hex_u64(out, bits, 8);
}

/* ------------------------------------------------------------------ */
/* Integers                                                            */
/* ------------------------------------------------------------------ */

static int int_add_i32(const uint8_t *in, size_t len, harness_buf *out) {
    int64_t v[2];
    if (read_ints(in, len, 2, 1, v, out)) return HARNESS_ERROR;
    return harness_put_i64(out, (int32_t)((uint32_t)v[0] + (uint32_t)v[1]));
}

static int int_mul_i32(const uint8_t *in, size_t len, harness_buf *out) {
    int64_t v[2];
    if (read_ints(in, len, 2, 1, v, out)) return HARNESS_ERROR;
    return harness_put_i64(out, (int32_t)((uint32_t)v[0] * (uint32_t)v[1]));
}

static int int_add_i64(const uint8_t *in, size_t len, harness_buf *out) {
    int64_t v[2];
    if (read_ints(in, len, 2, 0, v, out)) return HARNESS_ERROR;
    return harness_put_i64(out, (int64_t)((uint64_t)v[0] + (uint64_t)v[1]));
}

static int int_mul_i64(const uint8_t *in, size_t len, harness_buf *out) {
    int64_t v[2];
    if (read_ints(in, len, 2, 0, v, out)) return HARNESS_ERROR;
    return harness_put_i64(out, (int64_t)((uint64_t)v[0] * (uint64_t)v[1]));
}

static int fail_divide_by_zero(harness_buf *out) { return harness_fail(out, "System.DivideByZeroException: Attempted to divide by zero."); }
static int fail_overflow(harness_buf *out) { return harness_fail(out, "System.OverflowException: Arithmetic operation resulted in an overflow."); }

/* "quotient remainder", truncating; C# throws where C would trap. */
static int int_div_i32(const uint8_t *in, size_t len, harness_buf *out) {
    int64_t v[2];
    if (read_ints(in, len, 2, 1, v, out)) return HARNESS_ERROR;
    int32_t a = (int32_t)v[0], b = (int32_t)v[1];
    if (b == 0) return fail_divide_by_zero(out);
    if (a == INT32_MIN && b == -1) return fail_overflow(out);
    return harness_printf(out, "%ld %ld", (long)(a / b), (long)(a % b));
}

static int int_div_i64(const uint8_t *in, size_t len, harness_buf *out) {
    int64_t v[2];
    if (read_ints(in, len, 2, 0, v, out)) return HARNESS_ERROR;
    int64_t a = v[0], b = v[1];
    if (b == 0) return fail_divide_by_zero(out);
    if (a == INT64_MIN && b == -1) return fail_overflow(out);
    harness_put_i64(out, a / b);
    harness_putc(out, ' ');
    return harness_put_i64(out, a % b);
}

/* Shift counts are masked like wasm and C# do: & 31, & 63. */
static int int_shift_i32(const uint8_t *in, size_t len, harness_buf *out) {
    int64_t v[2];
    if (read_ints(in, len, 2, 1, v, out)) return HARNESS_ERROR;
    int32_t a = (int32_t)v[0];
    unsigned s = (unsigned)v[1] & 31;
    harness_puts(out, "shl=");
    harness_put_i64(out, (int32_t)((uint32_t)a << s));
    harness_puts(out, " shr=");
    harness_put_i64(out, a >> s);
    harness_puts(out, " shr_u=");
    return harness_put_i64(out, (int64_t)((uint32_t)a >> s));
}

static int int_shift_i64(const uint8_t *in, size_t len, harness_buf *out) {
    int64_t v[2];
    if (read_ints(in, len, 2, 0, v, out)) return HARNESS_ERROR;
    int64_t a = v[0];
    unsigned s = (unsigned)((uint64_t)v[1] & 63);
    harness_puts(out, "shl=");
    harness_put_i64(out, (int64_t)((uint64_t)a << s));
    harness_puts(out, " shr=");
    harness_put_i64(out, a >> s);
    harness_puts(out, " shr_u=");
    return harness_put_u64(out, (uint64_t)a >> s);
}

/* popcnt, clz and ctz of an i32 with wasm's answers for 0 (32). */
static int int_bits_i32(const uint8_t *in, size_t len, harness_buf *out) {
    int64_t v[1];
    if (read_ints(in, len, 1, 1, v, out)) return HARNESS_ERROR;
    uint32_t x = (uint32_t)(int32_t)v[0];
    int pop = 0, clz = 0, ctz = 0;
    for (int i = 0; i < 32; i++) pop += (int)((x >> i) & 1);
    while (clz < 32 && !(x & (0x80000000u >> clz))) clz++;
    while (ctz < 32 && !(x & (1u << ctz))) ctz++;
    return harness_printf(out, "popcnt=%d clz=%d ctz=%d", pop, clz, ctz);
}

/* ------------------------------------------------------------------ */
/* Floats                                                              */
/* ------------------------------------------------------------------ */

static int float_arith(const uint8_t *in, size_t len, harness_buf *out) {
    double v[2];
    if (read_f64s(in, len, 2, v, out)) return HARNESS_ERROR;
    double a = v[0], b = v[1];
    harness_puts(out, "add ");
    put_f64(out, a + b);
    harness_puts(out, "\nsub ");
    put_f64(out, a - b);
    harness_puts(out, "\nmul ");
    put_f64(out, a * b);
    harness_puts(out, "\ndiv ");
    put_f64(out, a / b);
    return HARNESS_OK;
}

static int float_round(const uint8_t *in, size_t len, harness_buf *out) {
    double v[1];
    if (read_f64s(in, len, 1, v, out)) return HARNESS_ERROR;
    double x = v[0];
    harness_puts(out, "floor ");
    put_f64(out, floor(x));
    harness_puts(out, "\nceil ");
    put_f64(out, ceil(x));
    harness_puts(out, "\ntrunc ");
    put_f64(out, trunc(x));
    harness_puts(out, "\nhalf_even ");
    put_f64(out, nearbyint(x));
    harness_puts(out, "\nhalf_away ");
    put_f64(out, round(x));
    return HARNESS_OK;
}

/* A checked conversion to int32 (C#'s `checked((int)x)`): truncate, then range. */
static int float_to_i32(const uint8_t *in, size_t len, harness_buf *out) {
    double v[1];
    if (read_f64s(in, len, 1, v, out)) return HARNESS_ERROR;
    double x = v[0];
    if (!(x > -2147483649.0 && x < 2147483648.0)) return fail_overflow(out);
    return harness_put_i64(out, (int32_t)x);
}

/* Operands come from volatiles so the engine, not the compiler, computes. */
static volatile double v_zero = 0.0, v_one = 1.0, v_two = 2.0, v_inf = INFINITY, v_max = 1.7976931348623157e308,
                       v_min_sub = 4.9406564584124654e-324, v_min_normal = 2.2250738585072014e-308, v_tenth = 0.1,
                       v_fifth = 0.2, v_five_half = 5.5;
static volatile float vf_big = 16777216.0f, vf_one = 1.0f, vf_three = 3.0f, vf_max = 3.4028234663852886e38f, vf_ten = 10.0f;

/* One `name value` line, each ending in a newline. */
static void special_line(harness_buf *out, const char *name, double x) {
    harness_puts(out, name);
    harness_putc(out, ' ');
    put_f64(out, x);
    harness_putc(out, '\n');
}

static void special_line32(harness_buf *out, const char *name, float x) {
    harness_puts(out, name);
    harness_putc(out, ' ');
    put_f32(out, x);
    harness_putc(out, '\n');
}

static int float_special(const uint8_t *in, size_t len, harness_buf *out) {
    (void)in;
    (void)len;
    special_line(out, "one_div_zero", v_one / v_zero);
    special_line(out, "neg_one_div_zero", -v_one / v_zero);
    special_line(out, "zero_div_zero", v_zero / v_zero);
    special_line(out, "inf_minus_inf", v_inf - v_inf);
    special_line(out, "inf_times_zero", v_inf * v_zero);
    special_line(out, "sqrt_neg_one", sqrt(-v_one));
    special_line(out, "neg_zero_times_one", -v_zero * v_one);
    special_line(out, "neg_zero_plus_zero", -v_zero + v_zero);
    special_line(out, "max_times_two", v_max * v_two);
    special_line(out, "min_subnormal", v_min_sub);
    special_line(out, "min_subnormal_half", v_min_sub / v_two);
    special_line(out, "min_normal_half", v_min_normal / v_two);
    special_line(out, "tenth_plus_fifth", v_tenth + v_fifth);
    special_line(out, "sqrt_two", sqrt(v_two));
    special_line(out, "fmod", fmod(v_five_half, v_two));
    special_line(out, "neg_fmod", fmod(-v_five_half, v_two));
    special_line32(out, "f32_big_plus_one", vf_big + vf_one);
    special_line32(out, "f32_one_third", vf_one / vf_three);
    special_line32(out, "f32_max_times_ten", vf_max * vf_ten);
    special_line32(out, "f32_from_tenth", (float)v_tenth);
    return HARNESS_OK;
}

/* ------------------------------------------------------------------ */
/* UTF-8                                                               */
/* ------------------------------------------------------------------ */

/* Decodes one well-formed sequence (Unicode table 3-7) at s[i]; returns its
 * length, or 0 when the bytes there are not well-formed UTF-8. */
static size_t utf8_next(const uint8_t *s, size_t len, size_t i, uint32_t *cp) {
    uint8_t b0 = s[i];
    if (b0 < 0x80) {
        *cp = b0;
        return 1;
    }
    size_t n;
    uint8_t lo = 0x80, hi = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
        n = 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
        n = 3;
        if (b0 == 0xe0) lo = 0xa0;
        if (b0 == 0xed) hi = 0x9f;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        n = 4;
        if (b0 == 0xf0) lo = 0x90;
        if (b0 == 0xf4) hi = 0x8f;
    } else {
        return 0;
    }
    if (len - i < n) return 0;
    if (s[i + 1] < lo || s[i + 1] > hi) return 0;
    for (size_t k = 2; k < n; k++)
        if (s[i + k] < 0x80 || s[i + k] > 0xbf) return 0;
    uint32_t c = b0 & (n == 2 ? 0x1f : n == 3 ? 0x0f : 0x07);
    for (size_t k = 1; k < n; k++) c = c << 6 | (s[i + k] & 0x3f);
    *cp = c;
    return n;
}

/* Checks all of `in`; on failure reports the offset of the bad sequence. */
static int utf8_check(const uint8_t *in, size_t len, harness_buf *out) {
    uint32_t cp;
    for (size_t i = 0; i < len;) {
        size_t n = utf8_next(in, len, i, &cp);
        if (!n) return harness_failf(out, "System.ArgumentException: invalid UTF-8 at byte %lu", (unsigned long)i);
        i += n;
    }
    return HARNESS_OK;
}

static int str_reverse(const uint8_t *in, size_t len, harness_buf *out) {
    if (utf8_check(in, len, out)) return HARNESS_ERROR;
    /* Walk backwards: a sequence starts at a byte that is not 10xxxxxx. */
    size_t end = len;
    while (end > 0) {
        size_t start = end - 1;
        while (start > 0 && (in[start] & 0xc0) == 0x80) start--;
        harness_put(out, in + start, end - start);
        end = start;
    }
    return HARNESS_OK;
}

static int str_upper_ascii(const uint8_t *in, size_t len, harness_buf *out) {
    for (size_t i = 0; i < len; i++) {
        uint8_t c = in[i];
        harness_putc(out, (char)(c >= 'a' && c <= 'z' ? c - 32 : c));
    }
    return HARNESS_OK;
}

static int str_length(const uint8_t *in, size_t len, harness_buf *out) {
    if (utf8_check(in, len, out)) return HARNESS_ERROR;
    unsigned long cps = 0, units = 0;
    uint32_t cp;
    for (size_t i = 0; i < len;) {
        i += utf8_next(in, len, i, &cp);
        cps++;
        units += cp > 0xffff ? 2 : 1;
    }
    return harness_printf(out, "bytes=%lu codepoints=%lu utf16=%lu", (unsigned long)len, cps, units);
}

static int str_codepoints(const uint8_t *in, size_t len, harness_buf *out) {
    if (utf8_check(in, len, out)) return HARNESS_ERROR;
    uint32_t cp;
    for (size_t i = 0; i < len;) {
        if (i > 0) harness_putc(out, ' ');
        i += utf8_next(in, len, i, &cp);
        harness_printf(out, "U+%04lX", (unsigned long)cp);
    }
    return HARNESS_OK;
}

/* ------------------------------------------------------------------ */
/* Bytes                                                               */
/* ------------------------------------------------------------------ */

static int bytes_xor(const uint8_t *in, size_t len, harness_buf *out) {
    if (len == 0) return harness_fail(out, "System.ArgumentException: expected a key byte");
    for (size_t i = 1; i < len; i++) harness_putc(out, (char)(in[i] ^ in[0]));
    return HARNESS_OK;
}

static int bytes_crc32(const uint8_t *in, size_t len, harness_buf *out) {
    uint32_t table[256];
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
    }
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < len; i++) crc = table[(crc ^ in[i]) & 0xff] ^ (crc >> 8);
    return harness_put_hex_u64(out, crc ^ 0xffffffffu, 8);
}

static int bytes_adler32(const uint8_t *in, size_t len, harness_buf *out) {
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < len; i++) {
        a = (a + in[i]) % 65521;
        b = (b + a) % 65521;
    }
    return harness_put_hex_u64(out, (uint64_t)b << 16 | a, 8);
}

static int bytes_fnv1a32(const uint8_t *in, size_t len, harness_buf *out) {
    uint32_t h = 0x811c9dc5u;
    for (size_t i = 0; i < len; i++) h = (h ^ in[i]) * 0x01000193u;
    return harness_put_hex_u64(out, h, 8);
}

/* ------------------------------------------------------------------ */
/* Collections: a JSON array of integers                               */
/* ------------------------------------------------------------------ */

typedef struct {
    int64_t *items;
    size_t count;
} int_list;

static size_t skip_space(const uint8_t *in, size_t len, size_t i) {
    while (i < len && is_space(in[i])) i++;
    return i;
}

static int list_error(harness_buf *out, size_t at) {
    return harness_failf(out, "System.FormatException: invalid integer list at byte %lu", (unsigned long)at);
}

/* `[` (int (`,` int)*)? `]` with optional whitespace; int is `-`? digit+. */
static int parse_int_list(const uint8_t *in, size_t len, int_list *list, harness_buf *out) {
    size_t cap = 16;
    list->items = (int64_t *)malloc(cap * sizeof *list->items);
    list->count = 0;
    size_t i = skip_space(in, len, 0);
    if (i >= len || in[i] != '[') return list_error(out, i);
    i = skip_space(in, len, i + 1);
    if (i < len && in[i] == ']') {
        i++;
    } else {
        for (;;) {
            size_t start = i;
            while (i < len && (in[i] == '-' || (in[i] >= '0' && in[i] <= '9'))) i++;
            token t = {in + start, i - start};
            int64_t v;
            if (!parse_i64(t, &v)) return list_error(out, start);
            if (list->count == cap) {
                cap *= 2;
                list->items = (int64_t *)realloc(list->items, cap * sizeof *list->items);
            }
            list->items[list->count++] = v;
            i = skip_space(in, len, i);
            if (i < len && in[i] == ',') {
                i = skip_space(in, len, i + 1);
                continue;
            }
            if (i < len && in[i] == ']') {
                i++;
                break;
            }
            return list_error(out, i);
        }
    }
    i = skip_space(in, len, i);
    if (i != len) return list_error(out, i);
    return HARNESS_OK;
}

static void put_int_list(harness_buf *out, const int64_t *items, size_t n) {
    harness_putc(out, '[');
    for (size_t i = 0; i < n; i++) {
        if (i) harness_putc(out, ',');
        harness_put_i64(out, items[i]);
    }
    harness_putc(out, ']');
}

static int compare_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int coll_sort(const uint8_t *in, size_t len, harness_buf *out) {
    int_list list;
    int rc = parse_int_list(in, len, &list, out);
    if (rc == HARNESS_OK) {
        qsort(list.items, list.count, sizeof *list.items, compare_i64);
        put_int_list(out, list.items, list.count);
    }
    free(list.items);
    return rc;
}

/* Keeps the first occurrence of each value, in input order (open addressing). */
static int coll_dedupe(const uint8_t *in, size_t len, harness_buf *out) {
    int_list list;
    int rc = parse_int_list(in, len, &list, out);
    if (rc == HARNESS_OK) {
        size_t slots = 16;
        while (slots < list.count * 2) slots *= 2;
        int64_t *keys = (int64_t *)malloc(slots * sizeof *keys);
        uint8_t *used = (uint8_t *)calloc(slots, 1);
        size_t kept = 0;
        for (size_t i = 0; i < list.count; i++) {
            int64_t v = list.items[i];
            uint64_t h = (uint64_t)v * 0x9e3779b97f4a7c15ULL;
            size_t s = (size_t)(h >> 32) & (slots - 1);
            while (used[s] && keys[s] != v) s = (s + 1) & (slots - 1);
            if (!used[s]) {
                used[s] = 1;
                keys[s] = v;
                list.items[kept++] = v;
            }
        }
        put_int_list(out, list.items, kept);
        free(keys);
        free(used);
    }
    free(list.items);
    return rc;
}

/* {"value":count,...} in ascending order of value. */
static int coll_histogram(const uint8_t *in, size_t len, harness_buf *out) {
    int_list list;
    int rc = parse_int_list(in, len, &list, out);
    if (rc == HARNESS_OK) {
        qsort(list.items, list.count, sizeof *list.items, compare_i64);
        harness_putc(out, '{');
        for (size_t i = 0; i < list.count;) {
            size_t j = i;
            while (j < list.count && list.items[j] == list.items[i]) j++;
            if (i) harness_putc(out, ',');
            harness_putc(out, '"');
            harness_put_i64(out, list.items[i]);
            harness_puts(out, "\":");
            harness_put_u64(out, j - i);
            i = j;
        }
        harness_putc(out, '}');
    }
    free(list.items);
    return rc;
}

/* count, wrapping sum, min and max (null when empty). */
static int coll_stats(const uint8_t *in, size_t len, harness_buf *out) {
    int_list list;
    int rc = parse_int_list(in, len, &list, out);
    if (rc == HARNESS_OK) {
        uint64_t sum = 0;
        for (size_t i = 0; i < list.count; i++) sum += (uint64_t)list.items[i];
        harness_puts(out, "{\"count\":");
        harness_put_u64(out, list.count);
        harness_puts(out, ",\"sum\":");
        harness_put_i64(out, (int64_t)sum);
        if (list.count == 0) {
            harness_puts(out, ",\"min\":null,\"max\":null}");
        } else {
            int64_t lo = list.items[0], hi = list.items[0];
            for (size_t i = 1; i < list.count; i++) {
                if (list.items[i] < lo) lo = list.items[i];
                if (list.items[i] > hi) hi = list.items[i];
            }
            harness_puts(out, ",\"min\":");
            harness_put_i64(out, lo);
            harness_puts(out, ",\"max\":");
            harness_put_i64(out, hi);
            harness_putc(out, '}');
        }
    }
    free(list.items);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Guest errors: what C# throws, C reports with the same message       */
/* ------------------------------------------------------------------ */

/* 100 / n: DivideByZeroException for 0. */
static int error_divide(const uint8_t *in, size_t len, harness_buf *out) {
    int64_t v[1];
    if (read_ints(in, len, 1, 1, v, out)) return HARNESS_ERROR;
    if (v[0] == 0) return fail_divide_by_zero(out);
    return harness_put_i64(out, 100 / (int32_t)v[0]);
}

static int error_argument(const uint8_t *in, size_t len, harness_buf *out) {
    int64_t v[1];
    if (read_ints(in, len, 1, 1, v, out)) return HARNESS_ERROR;
    if (v[0] < 0) return harness_fail(out, "System.ArgumentException: value must not be negative");
    return harness_put_i64(out, v[0]);
}

static int error_custom(const uint8_t *in, size_t len, harness_buf *out) {
    int64_t v[1];
    if (read_ints(in, len, 1, 1, v, out)) return HARNESS_ERROR;
    if (v[0] % 2 == 0)
        return harness_failf(out, "WasmMatrix.Suites.Core.GuestValidationException: widget %ld failed validation", (long)v[0]);
    return harness_printf(out, "widget %ld ok", (long)v[0]);
}

/* checked(int.MaxValue + n) */
static int error_overflow(const uint8_t *in, size_t len, harness_buf *out) {
    int64_t v[1];
    if (read_ints(in, len, 1, 1, v, out)) return HARNESS_ERROR;
    int64_t r = (int64_t)INT32_MAX + v[0];
    if (r > INT32_MAX) return fail_overflow(out);
    return harness_put_i64(out, r);
}

/* new int[]{10,20,30}[n] */
static int error_index(const uint8_t *in, size_t len, harness_buf *out) {
    static const int values[3] = {10, 20, 30};
    int64_t v[1];
    if (read_ints(in, len, 1, 1, v, out)) return HARNESS_ERROR;
    if (v[0] < 0 || v[0] >= 3) return harness_fail(out, "System.IndexOutOfRangeException: Index was outside the bounds of the array.");
    return harness_put_i64(out, values[v[0]]);
}

/* The length of the input as text, through a null reference when empty. */
static int error_null(const uint8_t *in, size_t len, harness_buf *out) {
    (void)in;
    if (len == 0) return harness_fail(out, "System.NullReferenceException: Object reference not set to an instance of an object.");
    return harness_put_u64(out, len);
}

/* ------------------------------------------------------------------ */

const harness_case harness_cases[] = {
    {"int.add_i32", int_add_i32},
    {"int.add_i32.wrap", int_add_i32},
    {"int.add_i32.bad_input", int_add_i32},
    {"int.add_i32.arity", int_add_i32},
    {"int.mul_i32.wrap", int_mul_i32},
    {"int.add_i64.wrap", int_add_i64},
    {"int.add_i64.out_of_range", int_add_i64},
    {"int.mul_i64.wrap", int_mul_i64},
    {"int.mul_i64.neg", int_mul_i64},
    {"int.div_i32", int_div_i32},
    {"int.div_i32.zero", int_div_i32},
    {"int.div_i32.overflow", int_div_i32},
    {"int.div_i64", int_div_i64},
    {"int.div_i64.zero", int_div_i64},
    {"int.div_i64.overflow", int_div_i64},
    {"int.shift_i32", int_shift_i32},
    {"int.shift_i32.top", int_shift_i32},
    {"int.shift_i64", int_shift_i64},
    {"int.bits_i32", int_bits_i32},
    {"int.bits_i32.zero", int_bits_i32},
    {"float.arith", float_arith},
    {"float.arith.div_zero", float_arith},
    {"float.arith.neg_zero", float_arith},
    {"float.arith.nan", float_arith},
    {"float.arith.max", float_arith},
    {"float.arith.bad_input", float_arith},
    {"float.round.half", float_round},
    {"float.round.neg_half", float_round},
    {"float.round.below_half", float_round},
    {"float.round.neg_small", float_round},
    {"float.round.big", float_round},
    {"float.round.inf", float_round},
    {"float.to_i32", float_to_i32},
    {"float.to_i32.min", float_to_i32},
    {"float.to_i32.overflow", float_to_i32},
    {"float.to_i32.nan", float_to_i32},
    {"float.special", float_special},
    {"str.reverse", str_reverse},
    {"str.reverse.emoji", str_reverse},
    {"str.reverse.combining", str_reverse},
    {"str.reverse.empty", str_reverse},
    {"str.reverse.invalid", str_reverse},
    {"str.reverse.surrogate", str_reverse},
    {"str.reverse.overlong", str_reverse},
    {"str.reverse.truncated", str_reverse},
    {"str.upper_ascii", str_upper_ascii},
    {"str.upper_ascii.invalid", str_upper_ascii},
    {"str.length", str_length},
    {"str.length.too_big", str_length},
    {"str.codepoints", str_codepoints},
    {"str.codepoints.mixed", str_codepoints},
    {"bytes.xor", bytes_xor},
    {"bytes.xor.empty", bytes_xor},
    {"bytes.crc32", bytes_crc32},
    {"bytes.crc32.empty", bytes_crc32},
    {"bytes.crc32.fox", bytes_crc32},
    {"bytes.adler32", bytes_adler32},
    {"bytes.fnv1a32", bytes_fnv1a32},
    {"bytes.fnv1a32.long", bytes_fnv1a32},
    {"coll.sort", coll_sort},
    {"coll.sort.empty", coll_sort},
    {"coll.sort.extremes", coll_sort},
    {"coll.sort.bad_input", coll_sort},
    {"coll.sort.trailing", coll_sort},
    {"coll.dedupe", coll_dedupe},
    {"coll.histogram", coll_histogram},
    {"coll.histogram.mixed", coll_histogram},
    {"coll.stats", coll_stats},
    {"coll.stats.empty", coll_stats},
    {"error.divide_by_zero", error_divide},
    {"error.argument", error_argument},
    {"error.custom", error_custom},
    {"error.custom.ok", error_custom},
    {"error.overflow", error_overflow},
    {"error.index", error_index},
    {"error.null_reference", error_null},
    CORE_TRAP_CASES
    {0, 0},
};
