/*
 * The `wasi` suite in C: one command program whose first argument selects a
 * behaviour (see usage()). It behaves exactly like csharp/Program.cs: same
 * stdout, stderr and exit code. Paths are relative: in WASI a preopen named
 * `data` is reached as `data/...`.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define EXIT_USAGE 64
#define EXIT_IO 2

static int usage(void) {
    fputs("usage: wasi-guest echo|args|env|upper|count|exit|stderr|read|write|copy|ls ...\n", stderr);
    return EXIT_USAGE;
}

/* The whole of a stream; NULL only when out of memory. */
static unsigned char *read_all(FILE *f, size_t *len) {
    size_t cap = 4096, n = 0;
    unsigned char *buf = malloc(cap);
    if (!buf) return NULL;
    for (;;) {
        if (n == cap) {
            unsigned char *bigger = realloc(buf, cap *= 2);
            if (!bigger) {
                free(buf);
                return NULL;
            }
            buf = bigger;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    *len = n;
    return buf;
}

/* Arguments from argv[from] on, joined by single spaces. */
static void put_joined(FILE *f, int argc, char **argv, int from) {
    for (int i = from; i < argc; i++) {
        if (i > from) fputc(' ', f);
        fputs(argv[i], f);
    }
}

static int cmd_echo(int argc, char **argv) {
    put_joined(stdout, argc, argv, 2);
    fputc('\n', stdout);
    return 0;
}

static int cmd_args(int argc, char **argv) {
    printf("argc=%d\n", argc - 2);
    for (int i = 2; i < argc; i++) printf("[%s]\n", argv[i]);
    return 0;
}

static int cmd_env(int argc, char **argv) {
    for (int i = 2; i < argc; i++) {
        const char *value = getenv(argv[i]);
        if (value) printf("%s=%s\n", argv[i], value);
        else printf("%s is not set\n", argv[i]);
    }
    return 0;
}

static int cmd_upper(void) {
    size_t len;
    unsigned char *data = read_all(stdin, &len);
    if (!data) return EXIT_IO;
    for (size_t i = 0; i < len; i++)
        if (data[i] >= 'a' && data[i] <= 'z') data[i] = (unsigned char)(data[i] - 32);
    fwrite(data, 1, len, stdout);
    free(data);
    return 0;
}

/* Like wc: newlines, words separated by ASCII whitespace, bytes. */
static int cmd_count(void) {
    size_t len, lines = 0, words = 0;
    unsigned char *data = read_all(stdin, &len);
    if (!data) return EXIT_IO;
    int in_word = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = data[i];
        int space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
        if (c == '\n') lines++;
        if (space) in_word = 0;
        else if (!in_word) {
            in_word = 1;
            words++;
        }
    }
    printf("lines=%lu words=%lu bytes=%lu\n", (unsigned long)lines, (unsigned long)words, (unsigned long)len);
    free(data);
    return 0;
}

/* exit N: says so on stderr, exits with N (1 to 3 decimal digits, 0..255). */
static int cmd_exit(int argc, char **argv) {
    if (argc != 3) return usage();
    const char *text = argv[2];
    size_t len = strlen(text);
    if (len == 0 || len > 3) return usage();
    int code = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9') return usage();
        code = code * 10 + (text[i] - '0');
    }
    if (code > 255) return usage();
    fprintf(stderr, "exiting with %d\n", code);
    return code;
}

static int cmd_stderr(int argc, char **argv) {
    put_joined(stderr, argc, argv, 2);
    fputc('\n', stderr);
    return 0;
}

/* The whole file, or NULL after saying on stderr that it cannot be opened. */
static unsigned char *read_or_say(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        return NULL;
    }
    unsigned char *data = read_all(f, len);
    fclose(f);
    return data;
}

static int cmd_read(int argc, char **argv) {
    if (argc != 3) return usage();
    size_t len;
    unsigned char *data = read_or_say(argv[2], &len);
    if (!data) return EXIT_IO;
    fwrite(data, 1, len, stdout);
    free(data);
    return 0;
}

/* Writes bytes to a new file, then reads the file back and prints it. */
static int write_and_show(const char *path, const unsigned char *data, size_t len, const char *verb) {
    FILE *f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "cannot open %s for writing\n", path);
        return EXIT_IO;
    }
    size_t wrote = fwrite(data, 1, len, f);
    if (fclose(f) != 0 || wrote != len) {
        fprintf(stderr, "cannot write %s\n", path);
        return EXIT_IO;
    }
    size_t back_len;
    unsigned char *back = read_or_say(path, &back_len);
    if (!back) return EXIT_IO;
    printf("%s %lu bytes to %s\n", verb, (unsigned long)len, path);
    fwrite(back, 1, back_len, stdout);
    free(back);
    return 0;
}

/* write PATH WORDS...: the words joined by spaces plus a newline. */
static int cmd_write(int argc, char **argv) {
    if (argc < 3) return usage();
    size_t len = 1;
    for (int i = 3; i < argc; i++) len += strlen(argv[i]) + (i > 3);
    char *text = malloc(len + 1);
    if (!text) return EXIT_IO;
    text[0] = '\0';
    for (int i = 3; i < argc; i++) {
        if (i > 3) strcat(text, " ");
        strcat(text, argv[i]);
    }
    strcat(text, "\n");
    int rc = write_and_show(argv[2], (const unsigned char *)text, len, "wrote");
    free(text);
    return rc;
}

static int cmd_copy(int argc, char **argv) {
    if (argc != 4) return usage();
    size_t len;
    unsigned char *data = read_or_say(argv[2], &len);
    if (!data) return EXIT_IO;
    int rc = write_and_show(argv[3], data, len, "copied");
    free(data);
    return rc;
}

static int compare_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Entries of a directory in byte order, directories marked with a `/`. */
static int cmd_ls(int argc, char **argv) {
    if (argc != 3) return usage();
    const char *dir = argv[2];
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "cannot list %s\n", dir);
        return EXIT_IO;
    }
    size_t n = 0, cap = 16;
    char **names = malloc(cap * sizeof *names);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        if (n == cap) names = realloc(names, (cap *= 2) * sizeof *names);
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, compare_names);
    for (size_t i = 0; i < n; i++) {
        size_t plen = strlen(dir) + 1 + strlen(names[i]) + 1;
        char *path = malloc(plen);
        snprintf(path, plen, "%s/%s", dir, names[i]);
        struct stat st;
        int is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
        printf("%s%s\n", names[i], is_dir ? "/" : "");
        free(path);
        free(names[i]);
    }
    free(names);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) return usage();
    const char *cmd = argv[1];
    if (strcmp(cmd, "echo") == 0) return cmd_echo(argc, argv);
    if (strcmp(cmd, "args") == 0) return cmd_args(argc, argv);
    if (strcmp(cmd, "env") == 0) return cmd_env(argc, argv);
    if (strcmp(cmd, "upper") == 0) return cmd_upper();
    if (strcmp(cmd, "count") == 0) return cmd_count();
    if (strcmp(cmd, "exit") == 0) return cmd_exit(argc, argv);
    if (strcmp(cmd, "stderr") == 0) return cmd_stderr(argc, argv);
    if (strcmp(cmd, "read") == 0) return cmd_read(argc, argv);
    if (strcmp(cmd, "write") == 0) return cmd_write(argc, argv);
    if (strcmp(cmd, "copy") == 0) return cmd_copy(argc, argv);
    if (strcmp(cmd, "ls") == 0) return cmd_ls(argc, argv);
    return usage();
}
