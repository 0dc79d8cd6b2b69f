/* diag.c — a list of problems, printed like a compiler's. */
#include "diag.h"

#include <glib.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct entry {
    tl_severity sev;
    char *file;
    int line, col;
    char *msg;
    size_t optlen;  /* the message starts with this many bytes of option
                     * keys ("width", "width/scale"), then ": " */
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

/* Entry i, or NULL when there is none: the getters then answer with the
 * safe values the header documents. */
static const entry *entry_at(const tl_diag *d, size_t i)
{
    return d && i < d->n ? &d->v[i] : NULL;
}

tl_severity tl_diag_severity(const tl_diag *d, size_t i)
{
    const entry *e = entry_at(d, i);
    return e ? e->sev : TL_NOTE;
}

const char *tl_diag_file(const tl_diag *d, size_t i)
{
    const entry *e = entry_at(d, i);
    return e ? e->file : NULL;
}

int tl_diag_line(const tl_diag *d, size_t i)
{
    const entry *e = entry_at(d, i);
    return e ? e->line : 0;
}

int tl_diag_col(const tl_diag *d, size_t i)
{
    const entry *e = entry_at(d, i);
    return e ? e->col : 0;
}

const char *tl_diag_message(const tl_diag *d, size_t i)
{
    const entry *e = entry_at(d, i);
    return e ? e->msg : "";
}

size_t tl_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t w = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (w == 0 || w > n)
        return 0;
    uint32_t v = c & (0x7F >> w);
    for (size_t i = 1; i < w; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3F);
    }
    static const uint32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < least[w] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return w;
}

/* Characters a message shows as an escape rather than as themselves. */
static bool needs_escape(uint32_t c)
{
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0xFDD0 && c <= 0xFDEF) ||
           (c & 0xFFFE) == 0xFFFE || c == 0x200E || c == 0x200F ||
           (c >= 0x2028 && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

const char *tl_diag_quote(const char *s, size_t len, size_t max_chars, char *buf,
                          size_t size)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0, i = 0, chars = 0, marks = 0;
    if (!buf || size < 16)
        return buf && size ? (buf[0] = '\0', buf) : "";
    if (!s)
        len = 0;
    while (i < len && (max_chars == 0 || chars < max_chars)) {
        char esc[16];
        uint32_t c = 0;
        size_t w = tl_utf8_decode(u + i, len - i, &c);
        const char *piece = s + i;
        size_t plen = w;
        /* Marks past the limit would pile up over the line. */
        marks = w && c >= 0x300 && g_unichar_ismark(c) ? marks + 1 : 0;
        if (w == 0) {
            snprintf(esc, sizeof esc, "\\x%02x", u[i]);
            w = 1;
        } else if (c == '\t' || c == '\n' || c == '\r') {
            snprintf(esc, sizeof esc, "\\%c", c == '\t' ? 't' : c == '\n' ? 'n' : 'r');
        } else if (c < 0x20 || c == 0x7F) {
            snprintf(esc, sizeof esc, "\\x%02x", (unsigned)c);
        } else if (needs_escape(c) || marks > TL_MAX_MARKS) {
            snprintf(esc, sizeof esc, c > 0xFFFF ? "\\U%08X" : "\\u%04X", (unsigned)c);
        } else {
            esc[0] = '\0';
        }
        if (esc[0]) {
            piece = esc;
            plen = strlen(esc);
        }
        /* Room for the piece and a closing "…". */
        if (o + plen + 4 > size)
            break;
        memcpy(buf + o, piece, plen);
        o += plen;
        i += w;
        chars++;
    }
    if (i < len) {
        while (o > 0 && buf[o - 1] == ' ')   /* "officers…", not "officers …" */
            o--;
        memcpy(buf + o, "\xE2\x80\xA6", 3); /* … */
        o += 3;
    }
    buf[o] = '\0';
    return buf;
}

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
    char buf[1024], safe[2048];
    vsnprintf(buf, sizeof buf, fmt ? fmt : "", ap);
    entry *e = &d->v[d->n];
    e->sev = sev;
    e->file = dupstr(file);
    e->line = line;
    e->col = col;
    e->optlen = 0;
    /* Whatever a caller put in, what is kept prints safely. */
    e->msg = dupstr(tl_diag_quote(buf, strlen(buf), 0, safe, sizeof safe));
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

void tl_diag_option(tl_diag *d, const char *file, const char *key, const char *fmt, ...)
{
    char body[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    size_t before = tl_diag_count(d);
    tl_diag_add(d, TL_ERROR, file, 0, 0, "%s: %s", key, body);
    if (tl_diag_count(d) > before)
        d->v[d->n - 1].optlen = strlen(key);
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

int tl_read_stream(FILE *fp, size_t limit, char **data, size_t *len)
{
    size_t cap = 64 * 1024, n = 0;
    char *buf = NULL;
    struct stat sb;
    int fd = fileno(fp);

    *data = NULL;
    *len = 0;
    if (fd >= 0 && fstat(fd, &sb) == 0) {
        if (S_ISDIR(sb.st_mode))
            return EISDIR;
        if (S_ISREG(sb.st_mode) && (uintmax_t)sb.st_size > limit)
            return EFBIG;
        /* A regular file's size saves the regrowing; it may still change. */
        if (S_ISREG(sb.st_mode) && sb.st_size > 0)
            cap = (size_t)sb.st_size + 1;
    }
    for (;;) {
        if (n == cap || !buf) {
            size_t want = !buf ? cap : cap * 2;
            if (want > limit + 1)
                want = limit + 1;
            char *p = realloc(buf, want + 1);
            if (!p) {
                free(buf);
                return ENOMEM;
            }
            buf = p;
            cap = want;
        }
        errno = 0;
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (n > limit) {
            free(buf);
            return EFBIG;
        }
        if (ferror(fp)) {
            int e = errno;
            if (e == EINTR) {
                clearerr(fp);
                continue;
            }
            free(buf);
            return e ? e : EIO;
        }
        if (got == 0 && feof(fp))
            break;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}

int tl_open_regular(const char *path, bool nofollow, FILE **fp, unsigned *mode)
{
    *fp = NULL;
    *mode = 0;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | (nofollow ? O_NOFOLLOW : 0));
    if (fd < 0)
        return errno;
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        int e = errno;
        close(fd);
        return e;
    }
    if (!S_ISREG(sb.st_mode)) {
        *mode = (unsigned)sb.st_mode;
        close(fd);
        return EINVAL;
    }
    /* Blocking reads again: a regular file never waits. */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    *fp = fdopen(fd, "rb");
    if (!*fp) {
        int e = errno;
        close(fd);
        return e;
    }
    return 0;
}

/* Reads a lazy source's file, once; on failure its lines are not shown.
 * The file may have changed since it was loaded: the lines shown are what
 * it holds now, as with a compiler's messages, but never by waiting on
 * what is no longer a regular file. */
static void read_source(source *s)
{
    s->lazy = false;
    FILE *fp;
    unsigned mode;
    if (tl_open_regular(s->file, false, &fp, &mode) != 0)
        return;
    char *buf;
    size_t n;
    int e = tl_read_stream(fp, TL_MAX_SOURCE_BYTES, &buf, &n);
    fclose(fp);
    if (e)
        return;
    s->owned = buf;
    s->text = buf;
    s->len = n;
    if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        s->text += 3;
        s->len -= 3;
    }
}

/* Finds line `line` (1-based) of a kept source, lines ending as editors
 * end them (LF, CRLF or CR); returns its start and sets *len, or NULL. */
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
        for (int l = 1; p && p < end; l++) {
            const char *q = memchr(p, '\n', (size_t)(end - p));
            q = q ? q : end;
            const char *cr = memchr(p, '\r', (size_t)(q - p));
            q = cr ? cr : q;
            if (l == line) {
                *len = (size_t)(q - p);
                return p;
            }
            if (q == end)
                return NULL;
            p = q + (q[0] == '\r' && q + 1 < end && q[1] == '\n' ? 2 : 1);
        }
        return NULL;
    }
    return NULL;
}

static const char *sev_name(tl_severity s)
{
    return s == TL_ERROR ? "error" : s == TL_WARNING ? "warning" : "note";
}

/* Terminal columns a character shown as itself takes: none for a
 * combining mark, two for a wide (East Asian) character. */
static int char_width(uint32_t c)
{
    GUnicodeType t = g_unichar_type(c);
    if (t == G_UNICODE_NON_SPACING_MARK || t == G_UNICODE_ENCLOSING_MARK || c == 0x200B)
        return 0;
    return g_unichar_iswide(c) ? 2 : 1;
}

/* Shows a source line under its message, each character quoted as
 * messages quote user text (tabs as they are, so the caret lines up), and
 * a caret under column `col`, as wide as what stands before it. */
static void print_line(FILE *fp, int line, int col, const char *text, size_t len)
{
    const unsigned char *u = (const unsigned char *)text;
    char piece[TL_QUOTE_SIZE];
    fprintf(fp, " %5d | ", line);
    for (int pass = 0; pass < 2; pass++) {
        size_t k = 0;
        for (int c = 1; k < len && (pass == 0 || c < col); c++) {
            uint32_t cp = 0;
            size_t w = tl_utf8_decode(u + k, len - k, &cp);
            w = w ? w : 1;
            if (cp == '\t') {
                fputc('\t', fp);
            } else {
                tl_diag_quote(text + k, w, 1, piece, sizeof piece);
                bool escaped = strncmp(piece, text + k, w) != 0 || piece[w] != '\0';
                if (pass == 0)
                    fputs(piece, fp);
                else
                    /* An escape is ASCII, one column a byte. */
                    fprintf(fp, "%*s", escaped ? (int)strlen(piece) : char_width(cp), "");
            }
            k += w;
        }
        fputs(pass == 0 ? "\n       | " : "^\n", fp);
    }
}

/* The message, with each option key in it after `prefix`. */
static void print_message(FILE *fp, const entry *e, const char *prefix)
{
    const char *m = e->msg;
    if (prefix && e->optlen) {
        for (const char *end = m + e->optlen; m < end;) {
            const char *slash = memchr(m, '/', (size_t)(end - m));
            size_t n = (size_t)((slash ? slash + 1 : end) - m);
            fprintf(fp, "%s%.*s", prefix, (int)n, m);
            m += n;
        }
    }
    fprintf(fp, "%s\n", m);
}

void tl_diag_print(const tl_diag *d, FILE *fp)
{
    tl_diag_print_flags(d, fp, NULL);
}

void tl_diag_print_flags(const tl_diag *d, FILE *fp, const char *prefix)
{
    if (!d || !fp)
        return;
    for (size_t i = 0; i < d->n; i++) {
        const entry *e = &d->v[i];
        char name[1024];
        if (e->file)
            tl_diag_quote(e->file, strlen(e->file), 0, name, sizeof name);
        if (e->file && e->line > 0)
            fprintf(fp, "%s:%d:%d: ", name, e->line, e->col);
        else if (e->file)
            fprintf(fp, "%s: ", name);
        fprintf(fp, "%s: ", sev_name(e->sev));
        print_message(fp, e, prefix);
        size_t len;
        const char *text = find_line(d, e->file, e->line, &len);
        if (!text || len > 300)
            continue;
        print_line(fp, e->line, e->col, text, len);
    }
    if (d->dropped)
        fprintf(fp, "note: %zu more error%s not shown\n", d->dropped,
                d->dropped == 1 ? "" : "s");
}
