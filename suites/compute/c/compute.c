/*
 * The `compute` suite in C: benchmark-sized work with checkable answers.
 * SHA-256 (written out, as in csharp/Compute.cs), a merge sort of int32s, a
 * JSON tokenizer, a float64 matrix multiply and string building. Every output
 * is byte for byte the C# one; formats are in suites/README.md.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* ------------------------------------------------------------------ */
/* Shared helpers                                                      */
/* ------------------------------------------------------------------ */

static uint64_t fnv1a64(uint64_t h, const uint8_t *p, size_t len) {
    for (size_t i = 0; i < len; i++) h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

#define FNV64_OFFSET 0xcbf29ce484222325ULL

/* Reads a single non-negative decimal integer token (surrounding whitespace
 * allowed) of at most 9 digits. */
static int read_count(const uint8_t *in, size_t len, long *value, harness_buf *out) {
    size_t i = 0;
    while (i < len && (in[i] == ' ' || in[i] == '\n' || in[i] == '\r' || in[i] == '\t')) i++;
    size_t start = i;
    long v = 0;
    while (i < len && in[i] >= '0' && in[i] <= '9' && i - start < 9) v = v * 10 + (in[i++] - '0');
    size_t digits = i - start;
    while (i < len && (in[i] == ' ' || in[i] == '\n' || in[i] == '\r' || in[i] == '\t')) i++;
    if (digits == 0 || i != len) return harness_fail(out, "System.FormatException: expected a count");
    *value = v;
    return HARNESS_OK;
}

/* ------------------------------------------------------------------ */
/* SHA-256 (FIPS 180-4)                                                */
/* ------------------------------------------------------------------ */

typedef struct {
    uint32_t h[8];
    uint8_t block[64];
    size_t fill;
    uint64_t total;
} sha256_ctx;

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
    0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
    0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
    0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
    0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
    0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void sha256_compress(uint32_t h[8], const uint8_t *p) {
    uint32_t w[64];
    for (int i = 0; i < 16; i++) w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K256[i] + w[i];
        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
}

static void sha256_init(sha256_ctx *c) {
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(c->h, iv, sizeof iv);
    c->fill = 0;
    c->total = 0;
}

static void sha256_update(sha256_ctx *c, const uint8_t *p, size_t len) {
    c->total += len;
    if (c->fill) {
        size_t take = 64 - c->fill < len ? 64 - c->fill : len;
        memcpy(c->block + c->fill, p, take);
        c->fill += take;
        p += take;
        len -= take;
        if (c->fill < 64) return;
        sha256_compress(c->h, c->block);
        c->fill = 0;
    }
    while (len >= 64) {
        sha256_compress(c->h, p);
        p += 64;
        len -= 64;
    }
    memcpy(c->block, p, len);
    c->fill = len;
}

static void sha256_final(sha256_ctx *c, uint8_t digest[32]) {
    uint64_t bits = c->total * 8;
    uint8_t pad[72] = {0x80};
    size_t padlen = (c->fill < 56 ? 56 : 120) - c->fill;
    for (int i = 0; i < 8; i++) pad[padlen + i] = (uint8_t)(bits >> (56 - 8 * i));
    sha256_update(c, pad, padlen + 8);
    for (int i = 0; i < 8; i++) {
        digest[4 * i] = (uint8_t)(c->h[i] >> 24);
        digest[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
        digest[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
        digest[4 * i + 3] = (uint8_t)c->h[i];
    }
}

/* Lower-case hex of SHA-256(input). */
static int sha256_case(const uint8_t *in, size_t len, harness_buf *out) {
    sha256_ctx c;
    uint8_t digest[32];
    sha256_init(&c);
    sha256_update(&c, in, len);
    sha256_final(&c, digest);
    return harness_put_hex(out, digest, 32);
}

/* d = SHA-256(input), then 15 times d = SHA-256(input || d): 16 passes. */
static int sha256_chain16(const uint8_t *in, size_t len, harness_buf *out) {
    sha256_ctx c;
    uint8_t digest[32];
    sha256_init(&c);
    sha256_update(&c, in, len);
    sha256_final(&c, digest);
    for (int round = 1; round < 16; round++) {
        sha256_init(&c);
        sha256_update(&c, in, len);
        sha256_update(&c, digest, 32);
        sha256_final(&c, digest);
    }
    return harness_put_hex(out, digest, 32);
}

/* ------------------------------------------------------------------ */
/* Sorting int32 (little-endian input)                                 */
/* ------------------------------------------------------------------ */

/* Bottom-up merge sort, stable; the same algorithm as the C# one. */
static void merge_sort(int32_t *a, int32_t *tmp, size_t n) {
    int32_t *src = a, *dst = tmp;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) dst[k++] = src[j] < src[i] ? src[j++] : src[i++];
            while (i < mid) dst[k++] = src[i++];
            while (j < hi) dst[k++] = src[j++];
        }
        int32_t *swap = src;
        src = dst;
        dst = swap;
    }
    if (src != a) memcpy(a, src, n * sizeof *a);
}

/* count, min, max, wrapping sum and FNV-1a 64 of the sorted values (LE). */
static int sort_ints(const uint8_t *in, size_t len, harness_buf *out) {
    if (len % 4 != 0) return harness_fail(out, "System.ArgumentException: input length must be a multiple of 4");
    size_t n = len / 4;
    int32_t *a = (int32_t *)malloc((n ? n : 1) * sizeof *a);
    int32_t *tmp = (int32_t *)malloc((n ? n : 1) * sizeof *a);
    for (size_t i = 0; i < n; i++)
        a[i] = (int32_t)((uint32_t)in[4 * i] | (uint32_t)in[4 * i + 1] << 8 | (uint32_t)in[4 * i + 2] << 16 | (uint32_t)in[4 * i + 3] << 24);
    merge_sort(a, tmp, n);
    uint64_t h = FNV64_OFFSET;
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t v = (uint32_t)a[i];
        uint8_t le[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
        h = fnv1a64(h, le, 4);
        sum += a[i];
    }
    harness_puts(out, "count=");
    harness_put_u64(out, n);
    if (n) {
        harness_puts(out, " min=");
        harness_put_i64(out, a[0]);
        harness_puts(out, " max=");
        harness_put_i64(out, a[n - 1]);
    }
    harness_puts(out, " sum=");
    harness_put_i64(out, sum);
    harness_puts(out, " fnv1a64=");
    harness_put_hex_u64(out, h, 16);
    free(a);
    free(tmp);
    return HARNESS_OK;
}

/* ------------------------------------------------------------------ */
/* JSON tokenizer                                                      */
/* ------------------------------------------------------------------ */

enum { T_BEGIN_OBJECT, T_END_OBJECT, T_BEGIN_ARRAY, T_END_ARRAY, T_COLON, T_COMMA, T_STRING, T_NUMBER, T_TRUE, T_FALSE, T_NULL, T_KINDS };

static const char *const token_names[T_KINDS] = {"begin_object", "end_object", "begin_array", "end_array", "colon", "comma",
                                                 "string",       "number",     "true",        "false",     "null"};

static int is_digit(uint8_t c) { return c >= '0' && c <= '9'; }
static int is_hex(uint8_t c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* Counts tokens by kind; returns the offset of the first bad byte, or -1. */
static long tokenize(const uint8_t *s, size_t len, unsigned long counts[T_KINDS]) {
    size_t i = 0;
    memset(counts, 0, T_KINDS * sizeof counts[0]);
    while (i < len) {
        uint8_t c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            i++;
        } else if (c == '{' || c == '}' || c == '[' || c == ']' || c == ':' || c == ',') {
            counts[c == '{' ? T_BEGIN_OBJECT : c == '}' ? T_END_OBJECT : c == '[' ? T_BEGIN_ARRAY : c == ']' ? T_END_ARRAY : c == ':' ? T_COLON : T_COMMA]++;
            i++;
        } else if (c == '"') {
            i++;
            for (;;) {
                if (i >= len) return (long)i;
                uint8_t d = s[i];
                if (d == '"') {
                    i++;
                    break;
                }
                if (d < 0x20) return (long)i;
                if (d == '\\') {
                    if (i + 1 >= len) return (long)(i + 1);
                    uint8_t e = s[i + 1];
                    if (e == 'u') {
                        for (size_t k = 2; k < 6; k++)
                            if (i + k >= len || !is_hex(s[i + k])) return (long)(i + k);
                        i += 6;
                    } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
                        i += 2;
                    } else {
                        return (long)(i + 1);
                    }
                } else {
                    i++;
                }
            }
            counts[T_STRING]++;
        } else if (c == '-' || is_digit(c)) {
            if (c == '-') i++;
            if (i >= len || !is_digit(s[i])) return (long)i;
            if (s[i] == '0') {
                i++;
            } else {
                while (i < len && is_digit(s[i])) i++;
            }
            if (i < len && s[i] == '.') {
                i++;
                if (i >= len || !is_digit(s[i])) return (long)i;
                while (i < len && is_digit(s[i])) i++;
            }
            if (i < len && (s[i] == 'e' || s[i] == 'E')) {
                i++;
                if (i < len && (s[i] == '+' || s[i] == '-')) i++;
                if (i >= len || !is_digit(s[i])) return (long)i;
                while (i < len && is_digit(s[i])) i++;
            }
            counts[T_NUMBER]++;
        } else if (len - i >= 4 && memcmp(s + i, "true", 4) == 0) {
            counts[T_TRUE]++;
            i += 4;
        } else if (len - i >= 5 && memcmp(s + i, "false", 5) == 0) {
            counts[T_FALSE]++;
            i += 5;
        } else if (len - i >= 4 && memcmp(s + i, "null", 4) == 0) {
            counts[T_NULL]++;
            i += 4;
        } else {
            return (long)i;
        }
    }
    return -1;
}

static int put_token_counts(const uint8_t *doc, size_t len, harness_buf *out) {
    unsigned long counts[T_KINDS];
    long bad = tokenize(doc, len, counts);
    if (bad >= 0) return harness_failf(out, "System.FormatException: invalid JSON token at byte %ld", bad);
    harness_putc(out, '{');
    for (int k = 0; k < T_KINDS; k++) {
        harness_printf(out, "\"%s\":%lu,", token_names[k], counts[k]);
    }
    harness_puts(out, "\"bytes\":");
    harness_put_u64(out, len);
    harness_putc(out, '}');
    return HARNESS_OK;
}

static int json_tokens(const uint8_t *in, size_t len, harness_buf *out) { return put_token_counts(in, len, out); }

/* Builds a document of N records (see suites/README.md), then tokenizes it. */
static int json_tokens_generated(const uint8_t *in, size_t len, harness_buf *out) {
    long n;
    if (read_count(in, len, &n, out)) return HARNESS_ERROR;
    harness_buf doc = {0};
    harness_putc(&doc, '[');
    for (long i = 0; i < n; i++) {
        if (i) harness_putc(&doc, ',');
        harness_puts(&doc, "{\"id\":");
        harness_put_i64(&doc, i);
        if (i % 5 == 0) {
            harness_puts(&doc, ",\"name\":\"q\\\"uote\\\\\\u00e9-");
        } else {
            harness_puts(&doc, ",\"name\":\"item-");
        }
        harness_put_i64(&doc, i);
        harness_puts(&doc, "\",\"price\":");
        harness_put_i64(&doc, (i * 37) % 1000);
        harness_putc(&doc, '.');
        harness_putc(&doc, (char)('0' + (i % 100) / 10));
        harness_putc(&doc, (char)('0' + i % 10));
        harness_puts(&doc, ",\"scale\":-1.5e-3,\"tags\":[\"t");
        harness_put_i64(&doc, i % 7);
        harness_puts(&doc, "\",\"x\"],\"ok\":");
        harness_puts(&doc, i % 3 == 0 ? "true" : "false");
        harness_puts(&doc, ",\"note\":null}");
    }
    harness_putc(&doc, ']');
    int rc = put_token_counts(doc.data, doc.len, out);
    harness_buf_free(&doc);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Matrix multiply                                                     */
/* ------------------------------------------------------------------ */

typedef struct {
    uint64_t state;
} xorshift;

static void xs_seed(xorshift *x, uint64_t seed) {
    x->state = seed * 0x9e3779b97f4a7c15ULL + 1;
    if (!x->state) x->state = 1;
}

/* xorshift64* */
static uint64_t xs_next(xorshift *x) {
    uint64_t s = x->state;
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    x->state = s;
    return s * 0x2545f4914f6cdd1dULL;
}

/* A double in [-1, 1): 53 random bits. */
static double xs_unit(xorshift *x) { return (double)(xs_next(x) >> 11) * (1.0 / 9007199254740992.0) * 2.0 - 1.0; }

static uint64_t bits_of(double d) {
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

/* Input "n seed": A and B are n x n from the seed (A first, row-major);
 * C = A * B with each sum taken over k in increasing order. */
static int matmul(const uint8_t *in, size_t len, harness_buf *out) {
    long n = 0, seed = 0;
    size_t i = 0;
    int fields = 0;
    while (fields < 2) {
        while (i < len && in[i] == ' ') i++;
        size_t start = i;
        long v = 0;
        while (i < len && in[i] >= '0' && in[i] <= '9' && i - start < 9) v = v * 10 + (in[i++] - '0');
        if (i == start) break;
        if (fields == 0) n = v;
        else seed = v;
        fields++;
    }
    while (i < len && (in[i] == ' ' || in[i] == '\n')) i++;
    if (fields != 2 || i != len || n < 1 || n > 2048) return harness_fail(out, "System.FormatException: expected \"n seed\" with 1 <= n <= 2048");
    size_t nn = (size_t)n * (size_t)n;
    double *a = (double *)malloc(nn * sizeof *a), *b = (double *)malloc(nn * sizeof *b), *c = (double *)calloc(nn, sizeof *c);
    xorshift x;
    xs_seed(&x, (uint64_t)seed);
    for (size_t k = 0; k < nn; k++) a[k] = xs_unit(&x);
    for (size_t k = 0; k < nn; k++) b[k] = xs_unit(&x);
    for (long r = 0; r < n; r++)
        for (long k = 0; k < n; k++) {
            double av = a[r * n + k];
            const double *brow = b + k * n;
            double *crow = c + r * n;
            for (long col = 0; col < n; col++) crow[col] += av * brow[col];
        }
    double trace = 0.0, sum = 0.0;
    for (long r = 0; r < n; r++) trace += c[r * n + r];
    for (size_t k = 0; k < nn; k++) sum += c[k];
    harness_puts(out, "n=");
    harness_put_i64(out, n);
    harness_puts(out, " trace=");
    harness_put_hex_u64(out, bits_of(trace), 16);
    harness_puts(out, " sum=");
    harness_put_hex_u64(out, bits_of(sum), 16);
    harness_puts(out, " last=");
    harness_put_hex_u64(out, bits_of(c[nn - 1]), 16);
    free(a);
    free(b);
    free(c);
    return HARNESS_OK;
}

/* ------------------------------------------------------------------ */
/* String building                                                     */
/* ------------------------------------------------------------------ */

/* N lines "item <i>" + " fizz" when i % 3 == 0 + " café" when i % 10 == 0,
 * each ending in "\n", appended one piece at a time. */
static int strbuild(const uint8_t *in, size_t len, harness_buf *out) {
    long n;
    if (read_count(in, len, &n, out)) return HARNESS_ERROR;
    harness_buf s = {0};
    unsigned long cafes = 0;
    for (long i = 0; i < n; i++) {
        harness_puts(&s, "item ");
        harness_put_i64(&s, i);
        if (i % 3 == 0) harness_puts(&s, " fizz");
        if (i % 10 == 0) {
            harness_puts(&s, " caf\xc3\xa9");
            cafes++;
        }
        harness_putc(&s, '\n');
    }
    /* every byte is one UTF-16 unit except the two of each U+00E9 */
    unsigned long chars = (unsigned long)s.len - cafes;
    harness_puts(out, "bytes=");
    harness_put_u64(out, s.len);
    harness_puts(out, " chars=");
    harness_put_u64(out, chars);
    harness_puts(out, " fnv1a64=");
    harness_put_hex_u64(out, fnv1a64(FNV64_OFFSET, s.data, s.len), 16);
    harness_buf_free(&s);
    return HARNESS_OK;
}

/* ------------------------------------------------------------------ */

const harness_case harness_cases[] = {
    {"sha256.empty", sha256_case},
    {"sha256.abc", sha256_case},
    {"sha256.two_blocks", sha256_case},
    {"sha256.55_bytes", sha256_case},
    {"sha256.56_bytes", sha256_case},
    {"sha256.64_bytes", sha256_case},
    {"sha256.1mib", sha256_case},
    {"sha256.chain16.abc", sha256_chain16},
    {"sha256.chain16.1mib", sha256_chain16},
    {"sort.small", sort_ints},
    {"sort.empty", sort_ints},
    {"sort.bad_length", sort_ints},
    {"sort.100k", sort_ints},
    {"sort.256k", sort_ints},
    {"json.tokens", json_tokens},
    {"json.tokens.escapes", json_tokens},
    {"json.tokens.bad_literal", json_tokens},
    {"json.tokens.bad_escape", json_tokens},
    {"json.tokens.unterminated", json_tokens},
    {"json.tokens.generated.small", json_tokens_generated},
    {"json.tokens.generated.100k", json_tokens_generated},
    {"matmul.small", matmul},
    {"matmul.320", matmul},
    {"matmul.bad_input", matmul},
    {"strbuild.small", strbuild},
    {"strbuild.1m", strbuild},
    {0, 0},
};
