/* diag.c — a list of problems, printed like a compiler's. */
#include "diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
    tl_severity sev;
    char *file;
    int line, col;
    char *msg;
} entry;

typedef struct source {
    char *file;
    const char *text;
    size_t len;
    char *owned;    /* the block text lies in, freed with the diag */
    bool lazy;      /* file is a path to read when a line is wanted */
} source;

struct tl_diag {
    entry *v;
    size_t n, cap;
    size_t errors;   /* all errors reported, kept or not */
    size_t dropped;  /* errors past the cap */
    source *src;
    size_t nsrc;
};

tl_diag *tl_diag_new(void) { return calloc(1, sizeof(tl_diag)); }

void tl_diag_clear(tl_diag *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->v[i].file);
        free(d->v[i].msg);
    }
    for (size_t i = 0; i < d->nsrc; i++) {
        free(d->src[i].file);
        free(d->src[i].owned);
    }
    free(d->v);
    free(d->src);
    *d = (tl_diag){0};
}

void tl_diag_free(tl_diag *d)
{
    tl_diag_clear(d);
    free(d);
}

const char *tl_status_string(tl_status st)
{
    switch (st) {
    case TL_OK: return "success";
    case TL_ERR_DATA: return "the input is not a valid timeline";
    case TL_ERR_USAGE: return "invalid argument or option";
    case TL_ERR_IO: return "input or output failed";
    case TL_ERR_NOMEM: return "out of memory";
    case TL_ERR_FONT: return "no usable font";
    }
    return "unknown status";
}

size_t tl_diag_count(const tl_diag *d) { return d ? d->n : 0; }
size_t tl_diag_error_count(const tl_diag *d) { return d ? d->errors : 0; }
bool tl_diag_full(const tl_diag *d) { return d && d->errors >= TL_DIAG_MAX_ERRORS; }

tl_severity tl_diag_severity(const tl_diag *d, size_t i) { return d->v[i].sev; }
const char *tl_diag_file(const tl_diag *d, size_t i) { return d->v[i].file; }
int tl_diag_line(const tl_diag *d, size_t i) { return d->v[i].line; }
int tl_diag_col(const tl_diag *d, size_t i) { return d->v[i].col; }
const char *tl_diag_message(const tl_diag *d, size_t i) { return d->v[i].msg; }

static char *dupstr(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

void tl_diag_vadd(tl_diag *d, tl_severity sev, const char *file, int line,
                  int col, const char *fmt, va_list ap)
{
    if (!d)
        return;
    if (sev == TL_ERROR) {
        d->errors++;
        if (d->errors > TL_DIAG_MAX_ERRORS) {
            d->dropped++;
            return;
        }
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        entry *v = realloc(d->v, cap * sizeof *v);
        if (!v)
            return;
        d->v = v;
        d->cap = cap;
    }
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    entry *e = &d->v[d->n];
    e->sev = sev;
    e->file = dupstr(file);
    e->line = line;
    e->col = col;
    e->msg = dupstr(buf);
    if (!e->msg || (file && !e->file)) {
        free(e->file);
        free(e->msg);
        return;
    }
    d->n++;
}

void tl_diag_add(tl_diag *d, tl_severity sev, const char *file, int line,
                 int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tl_diag_vadd(d, sev, file, line, col, fmt, ap);
    va_end(ap);
}

/* Makes room for one more source named `file`; NULL when one of that name
 * is kept already or memory is short. */
static source *new_source(tl_diag *d, const char *file)
{
    for (size_t i = 0; i < d->nsrc; i++)
        if (strcmp(d->src[i].file, file) == 0)
            return NULL;
    source *v = realloc(d->src, (d->nsrc + 1) * sizeof *v);
    if (!v)
        return NULL;
    d->src = v;
    source *s = &d->src[d->nsrc];
    *s = (source){dupstr(file), NULL, 0, NULL, false};
    return s->file ? s : NULL;
}

void tl_diag_add_source(tl_diag *d, const char *file, const char *text, size_t len)
{
    if (!d || !file || !text)
        return;
    source *s = new_source(d, file);
    if (!s)
        return;
    s->owned = malloc(len ? len : 1);
    if (!s->owned) {
        free(s->file);
        return;
    }
    memcpy(s->owned, text, len);
    s->text = s->owned;
    s->len = len;
    d->nsrc++;
}

bool tl_diag_keep_source(tl_diag *d, const char *file, char *block, const char *text,
                         size_t len)
{
    if (!d || !file || !block || !text)
        return false;
    source *s = new_source(d, file);
    if (!s)
        return false;
    s->owned = block;
    s->text = text;
    s->len = len;
    d->nsrc++;
    return true;
}

void tl_diag_add_source_file(tl_diag *d, const char *path)
{
    if (!d || !path)
        return;
    source *s = new_source(d, path);
    if (!s)
        return;
    s->lazy = true;
    d->nsrc++;
}

/* Reads a lazy source's file, once; on failure its lines are not shown.
 * The file may have changed since it was loaded: the lines shown are what
 * it holds now, as with a compiler's messages. */
static void read_source(source *s)
{
    s->lazy = false;
    FILE *fp = fopen(s->file, "rb");
    if (!fp)
        return;
    size_t cap = 0, n = 0;
    char *buf = NULL;
    while (n < TL_MAX_SOURCE_BYTES) {
        if (n == cap) {
            size_t want = cap ? cap * 2 : 65536;
            char *p = realloc(buf, want);
            if (!p) {
                free(buf);
                fclose(fp);
                return;
            }
            buf = p;
            cap = want;
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0)
            break;
    }
    bool failed = ferror(fp);
    fclose(fp);
    if (failed) {
        free(buf);
        return;
    }
    s->owned = buf;
    s->text = buf;
    s->len = n;
    if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        s->text += 3;
        s->len -= 3;
    }
}

/* Finds line `line` (1-based) of a kept source; returns its start and sets
 * *len, or NULL. */
static const char *find_line(const tl_diag *d, const char *file, int line, size_t *len)
{
    if (!file || line <= 0)
        return NULL;
    for (size_t i = 0; i < d->nsrc; i++) {
        if (strcmp(d->src[i].file, file) != 0)
            continue;
        if (d->src[i].lazy)
            read_source(&d->src[i]);
        const char *p = d->src[i].text, *end = p + d->src[i].len;
        for (int l = 1; l < line && p < end; l++) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            if (!nl)
                return NULL;
            p = nl + 1;
        }
        if (p >= end)
            return NULL;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        *len = (size_t)((nl ? nl : end) - p);
        if (*len && p[*len - 1] == '\r')
            (*len)--;
        return p;
    }
    return NULL;
}

static const char *sev_name(tl_severity s)
{
    return s == TL_ERROR ? "error" : s == TL_WARNING ? "warning" : "note";
}

void tl_diag_print(const tl_diag *d, FILE *fp)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        const entry *e = &d->v[i];
        if (e->file && e->line > 0)
            fprintf(fp, "%s:%d:%d: ", e->file, e->line, e->col);
        else if (e->file)
            fprintf(fp, "%s: ", e->file);
        fprintf(fp, "%s: %s\n", sev_name(e->sev), e->msg);
        size_t len;
        const char *text = find_line(d, e->file, e->line, &len);
        if (!text || len > 300)
            continue;
        fprintf(fp, " %5d | %.*s\n       | ", e->line, (int)len, text);
        /* Columns count characters: step over UTF-8 continuation bytes,
         * and copy tabs so the caret lines up. */
        int col = 1;
        for (size_t k = 0; k < len && col < e->col; k++) {
            unsigned char c = (unsigned char)text[k];
            if ((c & 0xC0) == 0x80)
                continue;
            fputc(c == '\t' ? '\t' : ' ', fp);
            col++;
        }
        fputs("^\n", fp);
    }
    if (d->dropped)
        fprintf(fp, "note: %zu more error%s not shown\n", d->dropped,
                d->dropped == 1 ? "" : "s");
}
