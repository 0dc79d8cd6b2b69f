/* verify.c — checks every quoted passage against the source document it
 * cites.
 *
 * A source may name a local copy of its document (`file:`).  For each
 * citation that carries a quote, the file is looked up in the directory the
 * caller gives, read once, and normalized once; every quote of that source is
 * then normalized the same way and searched for as a plain, case-sensitive
 * substring.  Normalizing both sides makes the check blind to what a copy and
 * paste or a YAML editor tends to change, and to nothing else:
 *
 *   - every run of white space (ASCII blanks and line breaks, U+00A0 and the
 *     other Unicode spaces) becomes one space, and both ends are trimmed;
 *   - curly single quotes ‘ ’ ‚ ‛ become ', curly double quotes “ ” „ ‟
 *     become ".
 *
 * The cost is one pass over each distinct file plus, per quote, one linear
 * (Knuth–Morris–Pratt) search of its source's text.
 *
 * Problems are reported at the YAML position that needs fixing: a bad or
 * unreadable file name at the source's `file:` (once per source), a quote
 * that is not found at the quote itself.  A source with quotes but no file is
 * only a warning, once per source.
 *
 * A source file is read only when it is a regular file inside the
 * directory once every link is resolved: the check never waits on a FIFO
 * or a device, and a link cannot make it read (and vouch for quotes from)
 * a file elsewhere.  A file that is not UTF-8 is reported as such, with
 * the offset of its first bad byte, rather than as quotes not found. */

/* realpath() is X/Open. */
#define _XOPEN_SOURCE 700

#include "diag.h"
#include "model.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* How many characters of a missing quote the message shows. */
#define QUOTE_PREVIEW_CHARS 60

/* What is known about one source's file. */
typedef struct src_text {
    char *text;    /* normalized and NUL-terminated; NULL until read */
    size_t len;
    bool owned;    /* false when borrowed from an earlier source's entry */
    bool tried;    /* reading was attempted (a failure is already reported) */
    bool warned;   /* the "has no file" warning was given */
} src_text;

/* The state of one verification run. */
typedef struct verifier {
    const tl_doc *doc;
    const char *dir;
    tl_diag *diag;
    src_text *texts;   /* one per source */
    tl_status status;  /* worst problem so far */
    char *realdir;     /* dir with every link resolved; NULL if it cannot be */
    int dir_errno;     /* why not */
} verifier;

/* Records a problem's status; I/O outranks data, out of memory outranks
 * both. */
static void note_status(verifier *v, tl_status st)
{
    if (st == TL_ERR_NOMEM || v->status == TL_ERR_NOMEM)
        v->status = TL_ERR_NOMEM;
    else if (st == TL_ERR_IO || v->status == TL_ERR_IO)
        v->status = TL_ERR_IO;
    else if (st != TL_OK)
        v->status = st;
}

/* ---- Normalization ---------------------------------------------------- */

/* Length in bytes of the white-space character at s[0..n), or 0. */
static size_t space_len(const unsigned char *s, size_t n)
{
    if (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r'))
        return 1;
    if (n >= 2 && s[0] == 0xC2 && (s[1] == 0xA0 || s[1] == 0x85))
        return 2;  /* U+00A0 no-break space, U+0085 next line */
    if (n >= 3 && s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80)
        return 3;  /* U+1680 ogham space mark */
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 &&
        (s[2] <= 0x8A || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF))
        return 3;  /* U+2000..U+200A, U+2028, U+2029, U+202F */
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F)
        return 3;  /* U+205F medium mathematical space */
    if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
        return 3;  /* U+3000 ideographic space */
    return 0;
}

/* If s[0..n) starts with a curly quotation mark, returns its straight
 * equivalent and sets *len to its length in bytes; otherwise returns 0. */
static char straight_quote(const unsigned char *s, size_t n, size_t *len)
{
    if (n < 3 || s[0] != 0xE2 || s[1] != 0x80)
        return 0;
    *len = 3;
    if (s[2] >= 0x98 && s[2] <= 0x9B)
        return '\'';  /* U+2018..U+201B */
    if (s[2] >= 0x9C && s[2] <= 0x9F)
        return '"';   /* U+201C..U+201F */
    return 0;
}

/* Writes in[0..n) to out with every run of white space collapsed to one
 * space and both ends trimmed, and with `straighten`, curly quotation
 * marks made straight.  out must have room for n + 1 bytes (this never
 * lengthens text; out may be in); NUL-terminates it and returns its
 * length. */
static size_t collapse(const char *in, size_t n, char *out, bool straighten)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t i = 0, o = 0;
    bool pending_space = false;
    while (i < n) {
        size_t k = space_len(s + i, n - i);
        if (k) {
            pending_space = o > 0;  /* leading space is dropped */
            i += k;
            continue;
        }
        if (pending_space) {        /* trailing space never gets here */
            out[o++] = ' ';
            pending_space = false;
        }
        char q = straighten ? straight_quote(s + i, n - i, &k) : 0;
        if (q) {
            out[o++] = q;
            i += k;
        } else {
            out[o++] = in[i++];
        }
        assert(o <= i);
    }
    out[o] = '\0';
    return o;
}

/* The form both sides of a comparison take. */
static size_t normalize(const char *in, size_t n, char *out)
{
    return collapse(in, n, out, true);
}

/* ---- Search ----------------------------------------------------------- */

/* True when needle[0..m) occurs in hay[0..n).  `fail` is scratch space for
 * m entries.  Knuth–Morris–Pratt: linear in n + m whatever the text. */
static bool contains(const char *hay, size_t n, const char *needle, size_t m,
                     size_t *fail)
{
    if (m == 0)
        return true;
    if (m > n)
        return false;
    fail[0] = 0;
    for (size_t i = 1, k = 0; i < m; i++) {
        while (k > 0 && needle[i] != needle[k])
            k = fail[k - 1];
        if (needle[i] == needle[k])
            k++;
        fail[i] = k;
    }
    for (size_t i = 0, k = 0; i < n; i++) {
        while (k > 0 && hay[i] != needle[k])
            k = fail[k - 1];
        if (hay[i] == needle[k] && ++k == m)
            return true;
    }
    return false;
}

/* ---- Source files ----------------------------------------------------- */

/* A file name that stays inside the directory: not empty, no '/', and not
 * starting with '.' (which also rules out "." and ".."). */
static bool plain_file_name(const char *name)
{
    return name[0] != '\0' && name[0] != '.' && strchr(name, '/') == NULL;
}

/* What kind of file a mode is, for messages. */
static const char *file_kind(unsigned mode)
{
    return S_ISFIFO(mode) ? "a FIFO" : S_ISCHR(mode) ? "a character device"
           : S_ISBLK(mode) ? "a block device" : S_ISSOCK(mode) ? "a socket"
           : S_ISDIR(mode) ? "a directory" : "not a regular file";
}

/* Reports a problem with source si's file, at its `file:`; name is the
 * file name as the message shows it. */
static void file_error(verifier *v, const tl_source *src, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void file_error(verifier *v, const tl_source *src, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    tl_doc_report(v->diag, TL_ERROR, v->doc, src->file_pos, "%s", msg);
}

/* Opens `path`, which names source src's file in the sources directory,
 * when it is a regular file that resolves to a place inside the
 * directory (realdir, already resolved).  Returns the stream, or NULL
 * after reporting why not with the status in *st. */
static FILE *open_source(verifier *v, const tl_source *src, const char *path,
                         const char *realdir, const char *shown, tl_status *st)
{
    char *real = realpath(path, NULL);
    char why[128];
    *st = TL_ERR_IO;
    if (!real) {
        int e = errno;
        if (strerror_r(e, why, sizeof why) != 0)
            snprintf(why, sizeof why, "error %d", e);
        file_error(v, src, "cannot read source file '%s': %s", shown, why);
        *st = e == ENOMEM ? TL_ERR_NOMEM : TL_ERR_IO;
        return NULL;
    }
    size_t dl = strlen(realdir);
    bool inside = strncmp(real, realdir, dl) == 0 &&
                  (real[dl] == '/' || (dl > 0 && realdir[dl - 1] == '/'));
    if (!inside) {
        char out[TL_QUOTE_SIZE];
        file_error(v, src, "source file '%s' is a link to '%s', outside the sources "
                   "directory — copy the file into it", shown,
                   tl_diag_quote(real, strlen(real), TL_QUOTE_CHARS, out, sizeof out));
        free(real);
        *st = TL_ERR_DATA;
        return NULL;
    }
    /* The resolved name, opened without following a link, so that the file
     * checked is the one read even if a link is put in its place. */
    FILE *fp;
    unsigned mode;
    int e = tl_open_regular(real, true, &fp, &mode);
    free(real);
    if (e == EINVAL) {
        file_error(v, src, "source file '%s' is %s, not a regular file", shown,
                   file_kind(mode));
        return NULL;
    }
    if (e) {
        if (strerror_r(e, why, sizeof why) != 0)
            snprintf(why, sizeof why, "error %d", e);
        file_error(v, src, "cannot read source file '%s': %s", shown, why);
        *st = e == ENOMEM ? TL_ERR_NOMEM : TL_ERR_IO;
        return NULL;
    }
    return fp;
}

/* Checks that text[0..len) is UTF-8; reports it at the source when not. */
static bool check_utf8(verifier *v, const tl_source *src, const char *text, size_t len,
                       const char *shown)
{
    const unsigned char *u = (const unsigned char *)text;
    if (len >= 2 && ((u[0] == 0xFE && u[1] == 0xFF) || (u[0] == 0xFF && u[1] == 0xFE))) {
        file_error(v, src, "source file '%s' is UTF-16 (it starts with the byte order "
                   "mark %02X %02X) — convert it to UTF-8", shown, u[0], u[1]);
        return false;
    }
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t w = tl_utf8_decode(u + i, len - i, &cp);
        if (w == 0) {
            file_error(v, src, "source file '%s' is not UTF-8 text: byte 0x%02X at offset "
                       "%zu — convert it to UTF-8 (it may be Latin-1 or another legacy "
                       "encoding)", shown, u[i], i);
            return false;
        }
        i += w;
    }
    return true;
}

/* Makes the normalized text of source `si` available in v->texts[si].
 * Returns TL_OK, or the status of a problem.  A problem is reported the
 * first time only; later calls for the same source return TL_ERR_DATA
 * quietly (the first status has been recorded by then). */
static tl_status load_source(verifier *v, size_t si)
{
    assert(si < v->doc->nsources);
    src_text *t = &v->texts[si];
    const tl_source *src = &v->doc->sources[si];
    if (t->text)
        return TL_OK;
    if (t->tried)
        return TL_ERR_DATA;
    t->tried = true;

    char shown[TL_QUOTE_SIZE];
    tl_diag_quote(src->file, strlen(src->file), TL_QUOTE_CHARS, shown, sizeof shown);
    if (!plain_file_name(src->file)) {
        file_error(v, src, "source file name must be a plain file name — '%s' contains '/' "
                   "or starts with '.'; it is looked up in the sources directory", shown);
        return TL_ERR_DATA;
    }
    /* Another source naming the same file shares its text. */
    for (size_t j = 0; j < si; j++) {
        const tl_source *other = &v->doc->sources[j];
        if (v->texts[j].text && other->file && strcmp(other->file, src->file) == 0) {
            t->text = v->texts[j].text;
            t->len = v->texts[j].len;
            t->owned = false;
            return TL_OK;
        }
    }
    if (!v->realdir) {
        char dir[TL_QUOTE_SIZE], why[128];
        int e = v->dir_errno;
        if (strerror_r(e, why, sizeof why) != 0)
            snprintf(why, sizeof why, "error %d", e);
        file_error(v, src, "cannot read the sources directory '%s': %s",
                   tl_diag_quote(v->dir, strlen(v->dir), TL_QUOTE_CHARS, dir, sizeof dir), why);
        return TL_ERR_IO;
    }

    size_t dlen = strlen(v->dir), flen = strlen(src->file);
    bool slash = dlen > 0 && v->dir[dlen - 1] == '/';
    char *path = malloc(dlen + flen + 2);
    if (!path)
        return TL_ERR_NOMEM;
    memcpy(path, v->dir, dlen);
    if (!slash)
        path[dlen++] = '/';
    memcpy(path + dlen, src->file, flen + 1);

    /* Messages about reading name the file as it was looked up. */
    char named[1024];
    tl_diag_quote(path, strlen(path), 0, named, sizeof named);
    tl_status st;
    FILE *fp = open_source(v, src, path, v->realdir, named, &st);
    free(path);
    if (!fp)
        return st;
    char *text;
    size_t len;
    int e = tl_read_stream(fp, TL_MAX_INPUT_BYTES, &text, &len);
    fclose(fp);
    if (e == ENOMEM)
        return TL_ERR_NOMEM;
    if (e == EFBIG) {
        file_error(v, src, "cannot read source file '%s': larger than %u MiB", named,
                   TL_MAX_INPUT_BYTES / (1024u * 1024u));
        return TL_ERR_IO;
    }
    if (e) {
        char why[128];
        if (strerror_r(e, why, sizeof why) != 0)
            snprintf(why, sizeof why, "error %d", e);
        file_error(v, src, "cannot read source file '%s': %s", named, why);
        return TL_ERR_IO;
    }
    size_t skip = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (!check_utf8(v, src, text + skip, len - skip, named)) {
        free(text);
        return TL_ERR_DATA;
    }
    /* Normalizing in place is safe: the output never overtakes the input. */
    t->len = normalize(text + skip, len - skip, text);
    t->text = text;
    t->owned = true;
    return TL_OK;
}
/* Index of the source a citation refers to, or -1.  Validation has usually
 * resolved it already (`hint`); the id is checked in case it has not. */
static long find_source(const tl_doc *doc, const tl_citation *c, int hint)
{
    if (!c->ref)
        return -1;
    if (hint >= 0 && (size_t)hint < doc->nsources && strcmp(doc->sources[hint].id, c->ref) == 0)
        return hint;
    for (size_t i = 0; i < doc->nsources; i++)
        if (strcmp(doc->sources[i].id, c->ref) == 0)
            return (long)i;
    return -1;
}

/* Writes into buf (of `size` bytes) the start of `quote` as the reader wrote
 * it, white space collapsed, at most QUOTE_PREVIEW_CHARS characters, with
 * "…" when it was cut. */
static void quote_preview(const char *quote, char *buf, size_t size)
{
    size_t qlen = strlen(quote);
    char *flat = malloc(qlen + 1);
    if (!flat) {
        snprintf(buf, size, "…");
        return;
    }
    /* Collapse white space only: keep the quote's own quotation marks. */
    size_t o = collapse(quote, qlen, flat, false);
    tl_diag_quote(flat, o, QUOTE_PREVIEW_CHARS, buf, size);
    free(flat);
}

/* Checks one quoted citation, which validation found names source `hint`. */
static void check_citation(verifier *v, const tl_citation *c, int hint)
{
    long si = find_source(v->doc, c, hint);
    if (si < 0)
        return;  /* an undeclared source: validation reports it */
    const tl_source *src = &v->doc->sources[si];
    src_text *t = &v->texts[si];
    if (!src->file) {
        if (!t->warned) {
            t->warned = true;
            tl_doc_report(v->diag, TL_WARNING, v->doc, src->pos,
                        "source '%s' has no file — its quotes are not checked",
                        src->id);
        }
        return;
    }
    tl_status st = load_source(v, (size_t)si);
    if (st != TL_OK) {
        note_status(v, st);
        return;
    }

    size_t qlen = strlen(c->quote);
    char *q = malloc(qlen + 1);
    size_t *fail = malloc((qlen ? qlen : 1) * sizeof *fail);
    if (!q || !fail) {
        free(q);
        free(fail);
        note_status(v, TL_ERR_NOMEM);
        return;
    }
    size_t m = normalize(c->quote, qlen, q);
    if (m == 0) {
        tl_doc_report(v->diag, TL_ERROR, v->doc, c->quote_pos,
                    "empty quote — give the passage's words, or cite '%s' "
                    "without a quote", src->id);
        note_status(v, TL_ERR_DATA);
    } else if (!contains(t->text, t->len, q, m, fail)) {
        char preview[QUOTE_PREVIEW_CHARS * 10 + 8], file[TL_QUOTE_SIZE];
        quote_preview(c->quote, preview, sizeof preview);
        tl_doc_report(v->diag, TL_ERROR, v->doc, c->quote_pos,
                    "quote not found in '%s' (source '%s') — check the "
                    "wording: \"%s\"",
                    tl_diag_quote(src->file, strlen(src->file), TL_QUOTE_CHARS, file,
                                  sizeof file), src->id, preview);
        note_status(v, TL_ERR_DATA);
    }
    free(q);
    free(fail);
}

/* Reads nothing but the files the sources name, in `dir`; keeps no state
 * between calls and leaves `doc` unchanged.  Returns TL_OK when every quote
 * was found (warnings aside), TL_ERR_IO when a file could not be read,
 * otherwise TL_ERR_DATA when a quote is missing or a file name is not plain,
 * TL_ERR_NOMEM when out of memory, TL_ERR_USAGE for a NULL doc or dir. */
tl_status tl_doc_verify_quotes(const tl_doc *doc, const char *dir, tl_diag *diag)
{
    if (!doc || !dir) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "tl_doc_verify_quotes: %s is NULL",
                    !doc ? "doc" : "dir");
        return TL_ERR_USAGE;
    }
    if (doc->lean) {
        tl_diag_add(diag, TL_ERROR, doc->name, 0, 0,
                    "this document was loaded for rendering and kept no quotes");
        return TL_ERR_USAGE;
    }
    verifier v = {doc, dir, diag, NULL, TL_OK, NULL, 0};
    if (doc->nsources) {
        v.texts = calloc(doc->nsources, sizeof *v.texts);
        if (!v.texts)
            return TL_ERR_NOMEM;
    }
    errno = 0;
    v.realdir = realpath(dir, NULL);
    v.dir_errno = errno;
    for (size_t i = 0; i < doc->nevents && v.status != TL_ERR_NOMEM; i++) {
        const tl_event *e = &doc->events[i];
        for (size_t j = 0; j < e->ncites && v.status != TL_ERR_NOMEM; j++)
            if (e->info && e->info->cites[j].quote)
                check_citation(&v, &e->info->cites[j], e->cited[j]);
        if (tl_diag_full(diag))
            break;
    }
    for (size_t i = 0; i < doc->nsources; i++)
        if (v.texts[i].owned)
            free(v.texts[i].text);
    free(v.texts);
    free(v.realdir);
    return v.status;
}
