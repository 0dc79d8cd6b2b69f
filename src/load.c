/* load.c — YAML text → document, strictly, with a position on every error.
 *
 * A named regular file is streamed to libyaml's event parser, never held
 * whole: a message that needs the text (a syntax error's hint, the line
 * shown under a message) reads the file again.  Other input (standard
 * input, pipes, a buffer) is read first, capped at TL_MAX_INPUT_BYTES.
 * The parser turns the text into small trees of scalars, sequences and
 * mappings, each node with its 1-based position, and each tree is walked
 * against the schema of docs/format.md as soon as it is complete:
 *
 *   - a top-level entry ("title: ...", "lanes: [...]") when its value ends;
 *   - an item of 'events', 'lanes' or 'sources' when the item ends, so that
 *     a list of 100,000 events never exists as one tree.
 *
 * The parse is also where the YAML features the format forbids are refused:
 * anchors, aliases, tags, a second document, deep nesting.  A tree is one
 * array of fixed-size nodes in document order (a node's children follow
 * it) beside one buffer of scalar text: no allocation per node, and the
 * same few pages reused from item to item.  Only the parts of an item the
 * walk can look at are kept (see `role`), so hostile input cannot make a
 * tree large.
 *
 * A lean load (tl_load_plan, for one render) checks everything the same
 * way, but keeps what only the checks read (ids, tags, citations as
 * written, positions) in a scratch arena that goes once they pass, and
 * the texts no chart shows (quotes, notes, summaries outside the list) not
 * at all.
 *
 * Every error is reported (the diag caps them); parsing stops early only at
 * the cap.  Cross-checks between parts of the file (unique ids, declared
 * lanes and sources, spans) are in validate.c and run only on a document
 * that passed the walk, so that one mistake is not reported twice. */
#include "diag.h"
#include "model.h"
#include "zone.h"
#include "validate.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yaml.h>

/* ---- The node tree ---------------------------------------------------- */

typedef enum node_kind { N_SCALAR, N_SEQ, N_MAP } node_kind;

/* Children of a collection follow it in the array: the first is at
 * node + 1, and each next sibling at sibling + sibling->size. */
typedef struct node {
    uint32_t off;      /* scalar: its value, NUL-terminated, at text + off */
    uint32_t len;      /* scalar: bytes in the value */
    uint32_t n;        /* children (a mapping's alternate key, value) */
    uint32_t size;     /* nodes in this subtree, itself included */
    int32_t line, col; /* 1-based start */
    uint8_t kind;      /* node_kind */
    uint8_t style;     /* yaml_scalar_style_t */
    bool exact;        /* one line, and the value is the source verbatim */
    bool bad;          /* stands in for a refused alias: already reported */
} node;

/* An error of the walk, not yet in the diag.  One about a character
 * inside a scalar that is not `exact` is placed once the parse is over
 * (see locate): then the text can be read again. */
typedef struct pending {
    int line, col;
    char *msg;
    bool locate;       /* line:col is the scalar's start; find the character */
    uint8_t style;     /* the scalar's yaml_scalar_style_t */
    uint32_t unit;     /* the character is the scalar's unit-th (see locate) */
} pending;

/* A character libyaml counts as a line break and editors do not: NEL
 * (U+0085), LS (U+2028) or PS (U+2029).  libyaml's marks count lines past
 * it; mark_pos takes them back out. */
typedef struct xbreak {
    uint64_t index;    /* libyaml's character index */
    int line, col;     /* where an editor shows it, 1-based */
    bool nel;
} xbreak;

/* Lines and columns as editors count them (LF, CRLF, CR), over the text
 * as libyaml reads it, which may come in chunks. */
typedef struct line_scan {
    uint64_t chars;       /* characters so far */
    uint64_t line_start;  /* index of the first character of the line */
    int line;             /* the current line, 1-based */
    int state;            /* a character cut at the end of the last piece:
                           * 1 after C2, 2 after E2, 3 after E2 80 */
    uint64_t lead;        /* its index */
    bool cr;              /* the last byte was a CR */
} line_scan;

/* The top-level keys. */
enum {
    TOP_TITLE, TOP_SUBTITLE, TOP_SOURCES, TOP_LANES, TOP_EVENTS, TOP_TIMEZONE, TOP_LANGUAGE,
    TOP_N
};

typedef struct loader {
    tl_doc *doc;
    tl_diag *diag;
    const char *name;     /* for messages */
    const char *input;    /* the text, or NULL while fp is streamed */
    size_t len;
    FILE *fp;             /* a regular file being streamed, or NULL */
    char *reread;         /* the file read again for a message */
    size_t nread;         /* bytes streamed so far */
    int read_errno;       /* the stream failed: why */
    bool too_big;         /* the stream passed TL_MAX_INPUT_BYTES */
    node *nodes;          /* the tree of the entry or item being read */
    size_t nnodes, capnodes;
    char *text;           /* its scalars' values */
    size_t ntext, captext;
    tl_event *events;     /* the events so far, moved into the document at
                           * the end (their number is known only then) */
    size_t nevents, capevents;
    int top_line[TOP_N];  /* where each top-level key was given, or 0 */
    const char *tz_name;  /* 'timezone:' as a zone name, read once the
                             events' instants are known */
    int tz_line, tz_col;
    const char **words;   /* shared texts (see `shared`): a hash set */
    size_t nwords;
    pending *pend;        /* the walk's errors, held back (see parse_doc) */
    size_t npend, cappend;
    size_t errors;        /* counted here too: diag may be NULL */
    bool nomem;
    bool broken;          /* the YAML could not be read to its end */
    const tl_load_plan *plan;  /* never NULL */
    tl_arena scratch;     /* a lean load's event info, until it is dropped */
    xbreak *xb;           /* every NEL, LS and PS read so far, in order */
    size_t nxb, capxb;
    size_t nels_reported; /* xb[0..nels_reported) are reported */
    line_scan scan;
    int cur_line;         /* line_offset's cursor: a line and where it */
    size_t cur_off;       /* starts in input (0: not set) */
} loader;

static const char *txt(const loader *L, const node *n) { return L->text + n->off; }

/* The next sibling of a child. */
static const node *next_of(const node *n) { return n + n->size; }

/* Child i of a collection, for the messages that point at one. */
static const node *child(const node *n, size_t i)
{
    const node *c = n + 1;
    while (i-- > 0)
        c = next_of(c);
    return c;
}

static void out_of_memory(loader *L)
{
    if (!L->nomem)
        tl_diag_add(L->diag, TL_ERROR, L->name, 0, 0, "out of memory");
    L->nomem = true;
}

/* Grows a malloc'd array to hold `need` elements, doubling. */
static bool grow(loader *L, void **arr, size_t *cap, size_t need, size_t size, size_t first)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : first;
    while (c < need)
        c *= 2;
    void *p = c <= SIZE_MAX / size ? realloc(*arr, c * size) : NULL;
    if (!p) {
        out_of_memory(L);
        return false;
    }
    *arr = p;
    *cap = c;
    return true;
}

/* An error found by the walk: held back (see parse_doc). */
static void verr(loader *L, int line, int col, const char *fmt, va_list ap)
{
    char buf[1024];
    L->errors++;
    vsnprintf(buf, sizeof buf, fmt, ap);
    size_t n = strlen(buf) + 1;
    char *msg = malloc(n);
    if (!msg || !grow(L, (void **)&L->pend, &L->cappend, L->npend + 1, sizeof *L->pend, 16)) {
        free(msg);
        out_of_memory(L);
        return;
    }
    memcpy(msg, buf, n);
    L->pend[L->npend++] = (pending){line, col, msg, false, 0, 0};
}

/* An error in the YAML itself: reported at once. */
static void yaml_verr(loader *L, int line, int col, const char *fmt, va_list ap)
{
    L->errors++;
    tl_diag_vadd(L->diag, TL_ERROR, L->name, line, col, fmt, ap);
}

static void yaml_err(loader *L, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void yaml_err(loader *L, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    yaml_verr(L, line, col, fmt, ap);
    va_end(ap);
}

static void err(loader *L, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void err(loader *L, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verr(L, line, col, fmt, ap);
    va_end(ap);
}

static void err_at(loader *L, const node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void err_at(loader *L, const node *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verr(L, n->line, n->col, fmt, ap);
    va_end(ap);
}


/* True once looking further is pointless: the diag holds all it will. */
static bool full(const loader *L)
{
    /* A diag already full from earlier loads must not cut short a file in
     * which nothing is wrong yet. */
    return L->nomem ||
           (L->errors > 0 && (L->errors >= TL_DIAG_MAX_ERRORS || tl_diag_full(L->diag)));
}

/* Number of characters (not bytes) in s[0..n). */
static size_t utf8_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* Line and column, counted as editors count them, of byte `off` of the
 * input: libyaml gives reader errors (bad UTF-8, control characters) as a
 * byte offset only. */
static void offset_pos(const loader *L, size_t off, int *line, int *col)
{
    const unsigned char *s = (const unsigned char *)L->input;
    size_t end = off < L->len ? off : L->len;
    long ln = 1, cl = 1;
    for (size_t i = 0; i < end; i++) {
        unsigned char c = s[i];
        if (c == '\r' && i + 1 < end && s[i + 1] == '\n')
            continue;
        if (c == '\n' || c == '\r') {
            ln++;
            cl = 0;
        }
        if ((c & 0xC0) != 0x80)
            cl++;
    }
    *line = ln > INT32_MAX ? INT32_MAX : (int)ln;
    *col = cl > INT32_MAX ? INT32_MAX : (int)cl;
}

/* The byte at 1-based (line, col), or -1; for hints about what is there. */
static int char_at(const loader *L, int line, int col)
{
    const char *p = L->input, *end = L->input + L->len;
    for (int l = 1; l < line; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return -1;
        p = nl + 1;
    }
    for (int c = 1; p < end && *p != '\n'; p++) {
        if (((unsigned char)*p & 0xC0) == 0x80)
            continue;
        if (c++ == col)
            return (unsigned char)*p;
    }
    return -1;
}

/* User text for a message: at most TL_QUOTE_CHARS characters, quoted by
 * the one function that makes text safe to print. */
static const char *show(const char *s, size_t len, char *buf, size_t size)
{
    return tl_diag_quote(s, len, TL_QUOTE_CHARS, buf, size);
}

static const char *kind_name(const node *n)
{
    return n->kind == N_SEQ ? "a list" : n->kind == N_MAP ? "a mapping" : "text";
}

static tl_pos pos_of(const node *n)
{
    tl_pos p = {n->line, n->col};
    return p;
}

/* ---- Building a tree --------------------------------------------------- */

/* Records a NEL, LS or PS whose first byte is character `lead`. */
static void add_xbreak(loader *L, uint64_t lead, bool nel)
{
    line_scan *S = &L->scan;
    uint64_t col = lead - S->line_start + 1;
    if (grow(L, (void **)&L->xb, &L->capxb, L->nxb + 1, sizeof *L->xb, 16))
        L->xb[L->nxb++] = (xbreak){lead, S->line, col < INT32_MAX ? (int)col : INT32_MAX, nel};
}

/* Finishes a NEL, LS or PS cut at the end of the last piece with byte c;
 * false when c shows it is some other character. */
static bool finish_cut(loader *L, unsigned char c)
{
    line_scan *S = &L->scan;
    int state = S->state;
    S->state = 0;
    if (state == 1 && c == 0x85)
        add_xbreak(L, S->lead, true);
    else if (state == 2 && c == 0x80)
        S->state = 3;
    else if (state == 3 && (c == 0xA8 || c == 0xA9))
        add_xbreak(L, S->lead, false);
    return S->state != 0;
}

/* Records the NEL, LS and PS characters of s[0..n), the next piece of
 * the text libyaml reads, with their positions as an editor shows them.
 * Most bytes only count characters: a table picks out the few that end a
 * line or may start one of the three. */
static void scan_breaks(loader *L, const unsigned char *s, size_t n)
{
    static const bool slow[256] = {['\n'] = true, ['\r'] = true, [0xC2] = true,
                                   [0xE2] = true};
    line_scan *S = &L->scan;
    size_t i = 0;
    while (i < n && S->state && finish_cut(L, s[i]))
        i++;
    uint64_t chars = S->chars;
    for (; i < n; i++) {
        unsigned char c = s[i];
        if (!slow[c]) {
            chars += (c & 0xC0) != 0x80;
            continue;
        }
        uint64_t at = chars++;
        if (c == '\n' || c == '\r') {
            bool crlf = c == '\n' && (i > 0 ? s[i - 1] == '\r' : S->cr);
            S->line += !crlf;
            S->line_start = chars;
            continue;
        }
        /* C2 85, E2 80 A8, E2 80 A9, perhaps cut by the end of s. */
        S->lead = at;
        S->state = c == 0xC2 ? 1 : 2;
        for (size_t k = i + 1; k < n && S->state && finish_cut(L, s[k]); k++)
            ;
    }
    S->chars = chars;
    if (n > 0)
        S->cr = s[n - 1] == '\r';
}

/* A libyaml mark as 1-based line and column.  Marks are 0-based, count
 * characters, and count a line for every NEL, LS and PS before them:
 * those are taken back out, and a column after one on the same line
 * continues from it. */
static void mark_pos(const loader *L, yaml_mark_t m, int *line, int *col)
{
    size_t lo = 0, hi = L->nxb;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (L->xb[mid].index < m.index)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t ln = m.line >= lo ? m.line - lo + 1 : 1, cl = m.column + 1;
    if (lo > 0 && (size_t)L->xb[lo - 1].line == ln)
        cl += (size_t)L->xb[lo - 1].col;
    *line = ln < INT32_MAX ? (int)ln : INT32_MAX;
    *col = cl < INT32_MAX ? (int)cl : INT32_MAX;
}

static int mark_line(const loader *L, yaml_mark_t m)
{
    int line, col;
    mark_pos(L, m, &line, &col);
    return line;
}

static void err_mark(loader *L, yaml_mark_t m, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void err_mark(loader *L, yaml_mark_t m, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int line, col;
    mark_pos(L, m, &line, &col);
    yaml_verr(L, line, col, fmt, ap);
    va_end(ap);
}

/* Appends a node for ev to the array; returns its index or -1. */
static long add_node(loader *L, node_kind kind, const yaml_event_t *ev, const char *text,
                     size_t len)
{
    if (L->nnodes >= UINT32_MAX ||
        !grow(L, (void **)&L->nodes, &L->capnodes, L->nnodes + 1, sizeof(node), 4096))
        return -1;
    node *n = &L->nodes[L->nnodes];
    memset(n, 0, sizeof *n);
    n->kind = (uint8_t)kind;
    n->size = 1;
    mark_pos(L, ev->start_mark, &n->line, &n->col);
    if (kind == N_SCALAR) {
        if (L->ntext + len + 1 > UINT32_MAX ||
            !grow(L, (void **)&L->text, &L->captext, L->ntext + len + 1, 1, 65536))
            return -1;
        memcpy(L->text + L->ntext, text, len);
        L->text[L->ntext + len] = '\0';
        n->off = (uint32_t)L->ntext;
        n->len = (uint32_t)len;
        L->ntext += len + 1;
        n->style = (uint8_t)ev->data.scalar.style;
        /* Offsets into the value are offsets into the source only when the
         * scalar sits on one line with no escapes or folding: then the
         * source span is the value plus any quotes. */
        size_t quotes = 2;
        if (n->style == YAML_PLAIN_SCALAR_STYLE)
            quotes = 0;
        bool inline_style = n->style == YAML_PLAIN_SCALAR_STYLE ||
                            n->style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                            n->style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
        n->exact = inline_style && ev->end_mark.line == ev->start_mark.line &&
                   ev->end_mark.column >= ev->start_mark.column &&
                   ev->end_mark.column - ev->start_mark.column == utf8_chars(text, len) + quotes;
    }
    return (long)L->nnodes++;
}

/* Refuses the YAML features the format leaves out.  The node is kept, so
 * that the rest of the file is still checked. */
static void check_props(loader *L, const yaml_event_t *ev, const yaml_char_t *anchor,
                        const yaml_char_t *tag)
{
    if (anchor) {
        err_mark(L, ev->start_mark,
            "anchors and aliases are not supported — write the value out in full");
    } else if (tag) {
        /* Show the tag as written: "!!str", not "tag:yaml.org,2002:str". */
        static const char core[] = "tag:yaml.org,2002:";
        const char *t = (const char *)tag;
        bool short_form = strncmp(t, core, sizeof core - 1) == 0;
        char shown[200];
        show(short_form ? t + sizeof core - 1 : t, strlen(t) - (short_form ? sizeof core - 1 : 0),
             shown, sizeof shown);
        err_mark(L, ev->start_mark,
            "YAML tags such as '%s%s' are not supported — write the value without "
            "it (quote it to make it text)", short_form ? "!!" : "", shown);
    }
}

static tl_status read_all(const char *name, FILE *fp, char **data, size_t *len,
                          tl_diag *diag);
static void skip_bom(const char **data, size_t *len);

/* libyaml's read handler for a streamed file: 1 and *got bytes (0 at the
 * end), or 0 when reading failed or passed the size limit. */
static int read_stream(void *data, unsigned char *buf, size_t size, size_t *got)
{
    loader *L = data;
    for (;;) {
        errno = 0;
        size_t n = fread(buf, 1, size, L->fp);
        if (n == 0 && ferror(L->fp)) {
            if (errno == EINTR) {
                /* A signal cut the read short; nothing is lost. */
                clearerr(L->fp);
                continue;
            }
            L->read_errno = errno ? errno : EIO;
            return 0;
        }
        L->nread += n;
        scan_breaks(L, buf, n);
        if (L->nread > TL_MAX_INPUT_BYTES) {
            L->too_big = true;
            return 0;
        }
        *got = n;
        return 1;
    }
}

/* Makes L->input the whole text, reading a streamed file again; false when
 * it cannot (the message then goes without its hint). */
static bool need_input(loader *L)
{
    if (L->input)
        return true;
    if (!L->fp || L->too_big || L->read_errno || fseek(L->fp, 0, SEEK_SET) != 0)
        return false;
    char *data;
    size_t len;
    if (read_all(L->name, L->fp, &data, &len, NULL) != TL_OK)
        return false;
    const char *text = data;
    skip_bom(&text, &len);
    L->reread = data;
    L->input = text;
    L->len = len;
    return true;
}

/* A NEL is a line break to YAML and not to an editor: what the file says
 * depends on who reads it.  Reported once, before a syntax error it may
 * well have caused; only those the parser has passed (before character
 * `upto`), as a streamed file may not have been read further. */
static void report_nels(loader *L, uint64_t upto)
{
    for (; L->nels_reported < L->nxb && !full(L); L->nels_reported++) {
        const xbreak *b = &L->xb[L->nels_reported];
        if (b->index >= upto)
            break;
        if (b->nel)
            yaml_err(L, b->line, b->col,
                     "the file contains U+0085 (next line), a control character that "
                     "YAML reads as a line break — replace it with a line break or a space");
    }
}

static void syntax_error(loader *L, const yaml_parser_t *p)
{
    if (p->error == YAML_MEMORY_ERROR) {
        out_of_memory(L);
        return;
    }
    L->broken = true;
    report_nels(L, p->mark.index);
    if (p->error == YAML_READER_ERROR && L->read_errno) {
        yaml_err(L, 0, 0, "cannot read: %s", strerror(L->read_errno));
        return;
    }
    if (p->error == YAML_READER_ERROR && L->too_big) {
        yaml_err(L, 0, 0, "input is larger than the 64 MiB limit");
        return;
    }
    if (!need_input(L)) {
        int line, col;
        mark_pos(L, p->problem_mark, &line, &col);
        yaml_err(L, line, col, "YAML syntax error: %s", p->problem ? p->problem : "the input cannot be read");
        return;
    }
    const char *problem = p->problem ? p->problem : "the input cannot be read";
    if (p->error == YAML_READER_ERROR) {
        int line, col;
        offset_pos(L, p->problem_offset, &line, &col);
        if (p->problem_value < 0)
            yaml_err(L, line, col, "the file is not valid UTF-8 text — %s", problem);
        else if (strstr(problem, "control"))
            yaml_err(L, line, col, "the file is not plain text — %s (U+%04X)", problem,
                (unsigned)p->problem_value);
        else
            yaml_err(L, line, col, "the file is not valid UTF-8 text — %s (0x%02X)", problem,
                (unsigned)p->problem_value);
        return;
    }
    int line, col;
    mark_pos(L, p->problem_mark, &line, &col);
    char ctx[160] = "";
    if (p->context) {
        int cline = mark_line(L, p->context_mark);
        if (cline != line)
            snprintf(ctx, sizeof ctx, " %s that starts at line %d", p->context, cline);
        else
            snprintf(ctx, sizeof ctx, " %s", p->context);
    }
    const char *hint = char_at(L, line, col) == '\t' ? " — indent with spaces, not tabs" : "";
    yaml_err(L, line, col, "YAML syntax error: %s%s%s", problem, ctx, hint);
}

/* ---- The schema walk --------------------------------------------------- */

/* YAML 1.1 nulls: nothing, ~, null.  Quoted text is never null. */
static bool is_null(const loader *L, const node *n)
{
    if (n->kind != N_SCALAR || n->style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *t = txt(L, n);
    return n->len == 0 || strcmp(t, "~") == 0 || strcmp(t, "null") == 0 ||
           strcmp(t, "Null") == 0 || strcmp(t, "NULL") == 0;
}

/* Optimal string alignment distance (Damerau–Levenshtein with adjacent
 * transpositions), for suggesting the key that was meant. */
static int edit_distance(const char *a, size_t la, const char *b)
{
    enum { MAXLEN = 24 };
    size_t lb = strlen(b);
    if (la > MAXLEN || lb > MAXLEN)
        return 99;
    int d[MAXLEN + 1][MAXLEN + 1];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            int cost = a[i - 1] != b[j - 1];
            int v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[la][lb];
}

/* The keys one kind of mapping accepts. */
typedef struct schema {
    const char *what;            /* "event", for messages */
    const char *where;           /* "in event", "at the top level" */
    const char *const *keys;
    size_t nkeys;
} schema;

static void unknown_key(loader *L, const schema *s, const node *key)
{
    char shown[200];
    show(txt(L, key), key->len, shown, sizeof shown);
    int best = 3;
    const char *guess = NULL;
    for (size_t i = 0; i < s->nkeys; i++) {
        int d = edit_distance(txt(L, key), key->len, s->keys[i]);
        if (d < best) {
            best = d;
            guess = s->keys[i];
        }
    }
    if (guess) {
        err_at(L, key, "unknown key '%s' %s — did you mean '%s'?", shown, s->where, guess);
        return;
    }
    char list[400];
    size_t o = 0;
    for (size_t i = 0; i < s->nkeys && o < sizeof list; i++)
        o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "", s->keys[i]);
    err_at(L, key, "unknown key '%s' %s — the keys are: %s", shown, s->where, list);
}

/* Sorts a mapping's values by key into vals[] (NULL when absent),
 * reporting keys that are not text, unknown or given twice.  Returns false
 * when it stopped at the error cap: vals[] is then incomplete, and a key
 * it did not reach must not be reported missing. */
static bool collect(loader *L, const node *map, const schema *s, const node **vals)
{
    const node *keys[16] = {0};
    assert(s->nkeys <= sizeof keys / sizeof keys[0]);
    for (size_t i = 0; i < s->nkeys; i++)
        vals[i] = NULL;
    const node *k = map + 1, *v;
    for (uint32_t pair = 0; pair + 1 < map->n; pair += 2, k = next_of(v)) {
        v = next_of(k);
        if (full(L))
            return false;
        if (k->bad)
            continue;
        if (k->kind != N_SCALAR) {
            err_at(L, k, "a key must be a plain word, not %s", kind_name(k));
            continue;
        }
        size_t i = 0;
        while (i < s->nkeys && !(strlen(s->keys[i]) == k->len && strcmp(s->keys[i], txt(L, k)) == 0))
            i++;
        if (i == s->nkeys) {
            unknown_key(L, s, k);
        } else if (keys[i]) {
            err_at(L, k, "duplicate key '%s' — first given at line %d", s->keys[i],
                   keys[i]->line);
        } else {
            keys[i] = k;
            vals[i] = v;
        }
    }
    return true;
}

static void missing(loader *L, const node *map, const schema *s, const node *const *vals,
                    size_t i)
{
    if (!vals[i])
        err_at(L, map, "%s is missing '%s'", s->what, s->keys[i]);
}

/* Lane ids, tags and source refs repeat across thousands of events: the
 * document keeps one copy of each, up to WORDS_MAX different ones (a file
 * of all-different tags then costs what it did without sharing). */
#define WORDS_MAX 4096
#define WORDS_SLOTS (2 * WORDS_MAX)

/* The document's copy of s[0..len): shared when seen before; NULL when out
 * of memory. */
static const char *shared(loader *L, const char *s, size_t len)
{
    if (!L->words && !(L->words = calloc(WORDS_SLOTS, sizeof *L->words)))
        return NULL;
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3u;
    size_t j = (size_t)h & (WORDS_SLOTS - 1);
    for (; L->words[j]; j = (j + 1) & (WORDS_SLOTS - 1))
        if (strncmp(L->words[j], s, len) == 0 && L->words[j][len] == '\0')
            return L->words[j];
    char *copy = tl_arena_strndup(&L->doc->arena, s, len);
    if (copy && L->nwords < WORDS_MAX) {
        L->words[j] = copy;
        L->nwords++;
    }
    return copy;
}

/* Where a text goes: the document's arena, shared with its equals (see
 * `shared`), the loader's scratch arena, or nowhere (checked only). */
typedef enum text_keep { KEEP_DOC, KEEP_SHARED, KEEP_SCRATCH, KEEP_NONE } text_keep;

static bool check_text(loader *L, const node *v, const char *key);

/* Text for `key` from scalar v, checked and kept as `k` says.  Returns
 * false after reporting a problem; *out stays NULL when v is NULL or bad,
 * or when the text is not kept. */
static bool get_text_as(loader *L, const node *v, const char *key, size_t max, text_keep k,
                        const char **out)
{
    *out = NULL;
    if (!v || v->bad)
        return v == NULL;
    if (v->kind != N_SCALAR) {
        err_at(L, v, "'%s' must be text, not %s", key, kind_name(v));
        return false;
    }
    if (is_null(L, v) || v->len == 0) {
        err_at(L, v, "'%s' is empty", key);
        return false;
    }
    if (v->len > max) {
        err_at(L, v, "'%s' is %u bytes long — the limit is %zu%s", key, (unsigned)v->len,
               max, max == TL_MAX_TITLE ? "; put the rest in 'summary'" : "");
        return false;
    }
    if (!check_text(L, v, key))
        return false;
    if (k == KEEP_NONE)
        return true;
    *out = k == KEEP_SHARED ? shared(L, txt(L, v), v->len)
           : tl_arena_strndup(k == KEEP_SCRATCH ? &L->scratch : &L->doc->arena, txt(L, v),
                              v->len);
    if (!*out) {
        out_of_memory(L);
        return false;
    }
    return true;
}

static bool get_text(loader *L, const node *v, const char *key, size_t max, const char **out)
{
    return get_text_as(L, v, key, max, KEEP_DOC, out);
}

/* An id: text made of a-z, 0-9, '_' and '-'.  Kept as `k` says, which must
 * keep it. */
static bool get_id(loader *L, const node *v, text_keep k, const char **out)
{
    if (!get_text_as(L, v, "id", TL_MAX_TEXT, k, out) || !*out)
        return false;
    for (size_t i = 0; i < v->len; i++) {
        unsigned char c = (unsigned char)txt(L, v)[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')
            continue;
        char shown[200], bad[16];
        size_t w = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        show(txt(L, v) + i, w <= v->len - i ? w : v->len - i, bad, sizeof bad);
        err_at(L, v, "id '%s' contains '%s' — ids use only a-z, 0-9, '_' and '-'",
               show(txt(L, v), v->len, shown, sizeof shown), bad);
        *out = NULL;
        return false;
    }
    return true;
}

/* Column of byte `off` of scalar v's value in the source, when known. */
static int value_col(const loader *L, const node *v, size_t off)
{
    if (!v->exact)
        return v->col;
    if (off > v->len)
        off = v->len;
    size_t c = (size_t)v->col + (v->style == YAML_PLAIN_SCALAR_STYLE ? 0 : 1) +
               utf8_chars(txt(L, v), off);
    return c > INT32_MAX ? v->col : (int)c;
}

/* White space for locate: never an offending character, and not always
 * one character of the value per character of the source (folding).  A
 * value's CR or NEL comes from an escape: in the source, raw, they are
 * line breaks. */
static bool is_white(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == 0x2028 || c == 0x2029;
}

/* An error about the character at byte `off` of scalar v's value, at that
 * character when it can be found. */
static void err_char(loader *L, const node *v, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void err_char(loader *L, const node *v, size_t off, const char *fmt, ...)
{
    va_list ap;
    size_t before = L->npend;
    va_start(ap, fmt);
    verr(L, v->line, value_col(L, v, off), fmt, ap);
    va_end(ap);
    if (v->exact || L->npend == before)
        return;
    /* Escapes, folding or several lines: count the characters before it
     * that are not white space, and find as many in the source later. */
    uint32_t units = 0, cp;
    const unsigned char *u = (const unsigned char *)txt(L, v);
    for (size_t i = 0; i < off && i < v->len;) {
        size_t w = tl_utf8_decode(u + i, v->len - i, &cp);
        if (w == 0)
            break;
        units += !is_white(cp);
        i += w;
    }
    pending *p = &L->pend[L->npend - 1];
    p->locate = true;
    p->style = v->style;
    p->unit = units;
}

/* Refuses text a field may not hold, at the offending character. */
static bool check_text(loader *L, const node *v, const char *key)
{
    size_t off;
    uint32_t cp;
    tl_text_fault f = tl_text_check(txt(L, v), v->len, &off, &cp);
    if (f == TL_TEXT_OK)
        return true;
    char what[200];
    err_char(L, v, off, "'%s' %s", key, tl_text_fault_text(f, cp, what, sizeof what));
    return false;
}

static bool parse_date_scalar(loader *L, const node *v, const char *key, tl_date *out)
{
    if (is_null(L, v)) {
        err_at(L, v, "'%s' is empty", key);
        return false;
    }
    if (v->len > 200 || memchr(txt(L, v), '\0', v->len)) {
        char shown[200];
        err_at(L, v, "invalid date '%s' — see the date forms in docs/format.md",
               show(txt(L, v), v->len, shown, sizeof shown));
        return false;
    }
    char msg[256];
    size_t off = 0;
    msg[0] = '\0';
    if (!tl_date_parse(txt(L, v), out, msg, sizeof msg, &off)) {
        err(L, v->line, value_col(L, v, off), "%s", msg[0] ? msg : "invalid date");
        return false;
    }
    return true;
}

static const char *const bounded_keys[] = {"after", "before"};
static const schema bounded_schema = {"date", "in a date", bounded_keys, 2};

/* A date: a scalar, or a mapping {after, before}. */
static bool get_date(loader *L, const node *v, const char *key, tl_date *out)
{
    if (v->bad)
        return false;
    if (v->kind == N_SCALAR)
        return parse_date_scalar(L, v, key, out);
    if (v->kind != N_MAP) {
        err_at(L, v, "'%s' must be a date or {after: DATE, before: DATE}, not a list", key);
        return false;
    }
    const node *vals[2];
    tl_date side[2];
    bool ok = true;
    if (!collect(L, v, &bounded_schema, vals))
        return false;
    for (int i = 0; i < 2; i++) {
        if (!vals[i] || vals[i]->bad) {
            ok = ok && vals[i] == NULL;
            continue;
        }
        if (vals[i]->kind != N_SCALAR) {
            err_at(L, vals[i], "'%s' must be a date, not %s", bounded_keys[i],
                   kind_name(vals[i]));
            ok = false;
        } else if (!parse_date_scalar(L, vals[i], bounded_keys[i], &side[i])) {
            ok = false;
        }
    }
    if (!ok)
        return false;
    if (!vals[0] && !vals[1]) {
        err_at(L, v, "a bounded date needs 'after', 'before' or both");
        return false;
    }
    char msg[256];
    msg[0] = '\0';
    if (!tl_date_bounded(vals[0] ? &side[0] : NULL, vals[1] ? &side[1] : NULL, out, msg,
                         sizeof msg)) {
        err_at(L, vals[1] ? vals[1] : v, "%s", msg[0] ? msg : "invalid bounded date");
        return false;
    }
    return true;
}

/* A list where one is expected: NULL (reported) when v is something else. */
static const node *get_list(loader *L, const node *v, const char *key, const char *of)
{
    if (v->bad)
        return NULL;
    if (is_null(L, v)) {
        err_at(L, v, "'%s' is empty", key);
        return NULL;
    }
    if (v->kind != N_SEQ) {
        err_at(L, v, "'%s' must be a list of %s, not %s", key, of, kind_name(v));
        return NULL;
    }
    return v;
}

/* A link: text, and an http, https or mailto URL. */
static void get_url(loader *L, const node *v, const char **out)
{
    if (!get_text(L, v, "url", TL_MAX_TEXT, out) || !*out)
        return;
    size_t off;
    const char *why = tl_url_problem(*out, v->len, &off);
    if (!why)
        return;
    char shown[TL_QUOTE_SIZE];
    show(*out, v->len, shown, sizeof shown);
    if (off == 0)
        err_at(L, v, "url '%s' %s", shown, why);
    else
        err_char(L, v, off, "url '%s' %s", shown, why);
    *out = NULL;
}

/* ---- Sources ---- */

enum { SR_ID, SR_TITLE, SR_AUTHOR, SR_PUBLISHER, SR_DATE, SR_URL, SR_FILE, SR_N };
static const char *const source_keys[SR_N] = {"id", "title", "author", "publisher",
                                              "date", "url", "file"};
static const schema source_schema = {"source", "in source", source_keys, SR_N};

static void walk_source(loader *L, const node *map, tl_source *s)
{
    const node *v[SR_N];
    if (map->bad)
        return;
    if (map->kind != N_MAP) {
        err_at(L, map, "each source must be a mapping with 'id' and 'title', not %s",
               kind_name(map));
        return;
    }
    s->pos = pos_of(map);
    if (!collect(L, map, &source_schema, v))
        return;
    missing(L, map, &source_schema, v, SR_ID);
    missing(L, map, &source_schema, v, SR_TITLE);
    if (v[SR_ID]) {
        s->id_pos = pos_of(v[SR_ID]);
        get_id(L, v[SR_ID], KEEP_DOC, &s->id);
    }
    get_text(L, v[SR_TITLE], "title", TL_MAX_TEXT, &s->title);
    get_text(L, v[SR_AUTHOR], "author", TL_MAX_TEXT, &s->author);
    get_text(L, v[SR_PUBLISHER], "publisher", TL_MAX_TEXT, &s->publisher);
    get_url(L, v[SR_URL], &s->url);
    if (v[SR_FILE]) {
        s->file_pos = pos_of(v[SR_FILE]);
        get_text(L, v[SR_FILE], "file", TL_MAX_TEXT, &s->file);
    }
    if (v[SR_DATE])
        s->has_date = get_date(L, v[SR_DATE], "date", &s->date);
}

/* ---- Lanes ---- */

enum { LN_ID, LN_LABEL, LN_COLOR, LN_N };
static const char *const lane_keys[LN_N] = {"id", "label", "color"};
static const schema lane_schema = {"lane", "in lane", lane_keys, LN_N};

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void get_color(loader *L, const node *v, tl_lane *lane)
{
    if (v->bad)
        return;
    if (is_null(L, v)) {
        err_at(L, v, "'color' is empty — an unquoted # starts a YAML comment: "
                     "write color: \"#D55E00\"");
        return;
    }
    if (v->kind != N_SCALAR) {
        err_at(L, v, "'color' must be text like \"#D55E00\", not %s", kind_name(v));
        return;
    }
    uint32_t rgb = 0;
    bool ok = v->len == 7 && txt(L, v)[0] == '#';
    for (size_t i = 1; ok && i < 7; i++) {
        int d = hex_digit(txt(L, v)[i]);
        ok = d >= 0;
        rgb = rgb << 4 | (uint32_t)(d & 0xF);
    }
    if (!ok) {
        char shown[200];
        err_at(L, v, "'color' must be \"#RRGGBB\" (e.g. \"#D55E00\"), not '%s'",
               show(txt(L, v), v->len, shown, sizeof shown));
        return;
    }
    lane->has_color = true;
    lane->color = rgb;
}

static void walk_lane(loader *L, const node *map, tl_lane *lane)
{
    const node *v[LN_N];
    if (map->bad)
        return;
    if (map->kind != N_MAP) {
        err_at(L, map, "each lane must be a mapping with an 'id', not %s", kind_name(map));
        return;
    }
    lane->pos = pos_of(map);
    if (!collect(L, map, &lane_schema, v))
        return;
    missing(L, map, &lane_schema, v, LN_ID);
    if (v[LN_ID]) {
        lane->id_pos = pos_of(v[LN_ID]);
        get_id(L, v[LN_ID], KEEP_DOC, &lane->id);
    }
    get_text(L, v[LN_LABEL], "label", TL_MAX_TEXT, &lane->label);
    if (!lane->label)
        lane->label = lane->id;
    if (v[LN_COLOR])
        get_color(L, v[LN_COLOR], lane);
}

/* ---- Events ---- */

enum { EV_ID, EV_DATE, EV_END, EV_TITLE, EV_SUMMARY, EV_LANE, EV_TAGS, EV_IMPORTANCE,
       EV_URL, EV_NOTE, EV_SOURCES, EV_N };
static const char *const event_keys[EV_N] = {"id", "date", "end", "title", "summary",
                                             "lane", "tags", "importance", "url", "note",
                                             "sources"};
static const schema event_schema = {"event", "in event", event_keys, EV_N};

enum { CT_REF, CT_QUOTE, CT_N };
static const char *const cite_keys[CT_N] = {"ref", "quote"};
static const schema cite_schema = {"citation", "in citation", cite_keys, CT_N};

static void walk_tags(loader *L, const node *v, tl_event_info *e)
{
    const node *list = get_list(L, v, "tags", "words");
    if (!list)
        return;
    if (list->n > TL_MAX_TAGS) {
        err_at(L, child(list, TL_MAX_TAGS), "too many tags — the limit is %d per event", TL_MAX_TAGS);
        return;
    }
    e->tags = tl_arena_array(L->plan->lean ? &L->scratch : &L->doc->arena,
                             list->n ? list->n : 1, sizeof *e->tags);
    if (!e->tags) {
        out_of_memory(L);
        return;
    }
    const node *t = list + 1;
    for (uint32_t i = 0; i < list->n; i++, t = next_of(t)) {
        const char *tag;
        if (get_text_as(L, t, "tag", TL_MAX_TEXT, KEEP_SHARED, &tag) && tag) {
            assert(e->ntags < list->n);
            e->tags[e->ntags++] = tag;
        }
    }
}

/* The citations go with the event's info; the sources they name, which a
 * chart reads, with the event. */
static void walk_cites(loader *L, const node *v, tl_event *e)
{
    const node *list = get_list(L, v, "sources", "source ids or {ref, quote}");
    if (!list)
        return;
    if (list->n > TL_MAX_CITES) {
        err_at(L, child(list, TL_MAX_CITES), "too many sources — the limit is %d per event", TL_MAX_CITES);
        return;
    }
    size_t n = list->n ? list->n : 1;
    tl_citation *cites = e->info->cites =
        tl_arena_array(L->plan->lean ? &L->scratch : &L->doc->arena, n, sizeof *cites);
    e->cited = tl_arena_array(&L->doc->arena, n, sizeof *e->cited);
    if (!cites || !e->cited) {
        out_of_memory(L);
        return;
    }
    const node *item = list + 1;
    for (uint32_t i = 0; i < list->n && !full(L); i++, item = next_of(item)) {
        if (item->bad)
            continue;
        assert(e->ncites < n);
        tl_citation *c = &cites[e->ncites];
        e->cited[e->ncites] = -1;
        c->pos = pos_of(item);
        if (item->kind == N_SCALAR) {
            /* A bare id: a citation without a quote. */
            c->ref_pos = c->pos;
            if (get_text_as(L, item, "ref", TL_MAX_TEXT, KEEP_SHARED, &c->ref) && c->ref)
                e->ncites++;
            continue;
        }
        if (item->kind != N_MAP) {
            err_at(L, item, "each citation must be a source id or {ref: ID, quote: TEXT}, "
                            "not a list");
            continue;
        }
        const node *cv[CT_N];
        if (!collect(L, item, &cite_schema, cv))
            break;
        missing(L, item, &cite_schema, cv, CT_REF);
        bool ok = cv[CT_REF] != NULL;
        if (cv[CT_REF]) {
            c->ref_pos = pos_of(cv[CT_REF]);
            ok = get_text_as(L, cv[CT_REF], "ref", TL_MAX_TEXT, KEEP_SHARED, &c->ref) && c->ref;
        }
        if (cv[CT_QUOTE]) {
            c->quote_pos = pos_of(cv[CT_QUOTE]);
            ok = get_text_as(L, cv[CT_QUOTE], "quote", TL_MAX_TEXT,
                             L->plan->lean ? KEEP_NONE : KEEP_DOC, &c->quote) && ok;
        }
        if (ok)
            e->ncites++;
    }
}

static void get_importance(loader *L, const node *v, tl_event *e)
{
    if (v->bad)
        return;
    if (is_null(L, v)) {
        err_at(L, v, "'importance' is empty");
        return;
    }
    if (v->kind != N_SCALAR) {
        err_at(L, v, "importance must be 1, 2 or 3, not %s", kind_name(v));
        return;
    }
    if (v->style == YAML_PLAIN_SCALAR_STYLE && v->len == 1 && txt(L, v)[0] >= '1' &&
        txt(L, v)[0] <= '3') {
        e->importance = txt(L, v)[0] - '0';
        return;
    }
    char shown[200];
    show(txt(L, v), v->len, shown, sizeof shown);
    if (v->style != YAML_PLAIN_SCALAR_STYLE && v->len == 1 && txt(L, v)[0] >= '1' &&
        txt(L, v)[0] <= '3')
        err_at(L, v, "importance must be the number 1, 2 or 3 — write it without quotes");
    else
        err_at(L, v, "importance must be 1, 2 or 3, not '%s'", shown);
}

static void walk_event(loader *L, const node *map, tl_event *e)
{
    const node *v[EV_N];
    e->lane = -1;
    e->importance = 2;
    if (map->bad)
        return;
    if (map->kind != N_MAP) {
        err_at(L, map, "each event must be a mapping with 'id', 'date' and 'title', not %s",
               kind_name(map));
        return;
    }
    if (!collect(L, map, &event_schema, v))
        return;
    bool lean = L->plan->lean;
    tl_event_info *in = tl_arena_alloc(lean ? &L->scratch : &L->doc->arena, sizeof *in);
    if (!in) {
        out_of_memory(L);
        return;
    }
    e->info = in;
    missing(L, map, &event_schema, v, EV_ID);
    missing(L, map, &event_schema, v, EV_DATE);
    missing(L, map, &event_schema, v, EV_TITLE);
    if (v[EV_ID]) {
        in->id_pos = pos_of(v[EV_ID]);
        get_id(L, v[EV_ID], lean ? KEEP_SCRATCH : KEEP_DOC, &in->id);
    }
    if (v[EV_DATE])
        get_date(L, v[EV_DATE], "date", &e->date);
    if (v[EV_END]) {
        in->end_pos = pos_of(v[EV_END]);
        tl_date end;
        if (get_date(L, v[EV_END], "end", &end)) {
            tl_date *kept = tl_arena_alloc(&L->doc->arena, sizeof *kept);
            if (kept) {
                *kept = end;
                e->end = kept;
            } else {
                out_of_memory(L);
            }
        }
    }
    if (v[EV_TITLE])
        get_text(L, v[EV_TITLE], "title", TL_MAX_TITLE, &e->title);
    tl_event_extra ex = {NULL, NULL};
    get_text_as(L, v[EV_SUMMARY], "summary", TL_MAX_TEXT,
                lean && !L->plan->summaries ? KEEP_NONE : KEEP_DOC, &ex.summary);
    if (v[EV_LANE]) {
        in->lane_pos = pos_of(v[EV_LANE]);
        get_text_as(L, v[EV_LANE], "lane", TL_MAX_TEXT, KEEP_SHARED, &in->lane_id);
    }
    if (v[EV_TAGS])
        walk_tags(L, v[EV_TAGS], in);
    if (v[EV_IMPORTANCE])
        get_importance(L, v[EV_IMPORTANCE], e);
    get_url(L, v[EV_URL], &ex.url);
    if (ex.summary || ex.url) {
        tl_event_extra *kept = tl_arena_alloc(&L->doc->arena, sizeof *kept);
        if (kept) {
            *kept = ex;
            e->extra = kept;
        } else {
            out_of_memory(L);
        }
    }
    get_text_as(L, v[EV_NOTE], "note", TL_MAX_TEXT, lean ? KEEP_NONE : KEEP_DOC, &in->note);
    if (v[EV_SOURCES])
        walk_cites(L, v[EV_SOURCES], e);
}

/* ---- The top level ---- */

static const char *const top_keys[TOP_N] = {"title",  "subtitle", "sources",  "lanes",
                                            "events", "timezone", "language"};
static const schema top_schema = {"the file", "at the top level", top_keys, TOP_N};

/* Index of key k among the top-level keys, or TOP_N. */
static size_t top_key(const loader *L, const node *k)
{
    size_t i = 0;
    while (i < TOP_N && !(k->kind == N_SCALAR && strlen(top_keys[i]) == k->len &&
                          strcmp(top_keys[i], txt(L, k)) == 0))
        i++;
    return i;
}

/* One list item, walked as soon as it is complete. */
static void walk_item(loader *L, size_t list, const node *item)
{
    tl_doc *doc = L->doc;
    if (list == TOP_EVENTS) {
        if (!grow(L, (void **)&L->events, &L->capevents, L->nevents + 1, sizeof(tl_event), 256))
            return;
        tl_event *e = &L->events[L->nevents++];
        memset(e, 0, sizeof *e);
        walk_event(L, item, e);
    } else if (list == TOP_LANES) {
        if (!doc->lanes && !(doc->lanes = tl_arena_array(&doc->arena, TL_MAX_LANES,
                                                         sizeof *doc->lanes))) {
            out_of_memory(L);
            return;
        }
        /* classify() keeps no item past the limit. */
        assert(doc->nlanes < TL_MAX_LANES);
        walk_lane(L, item, &doc->lanes[doc->nlanes++]);
    } else {
        if (!doc->sources && !(doc->sources = tl_arena_array(&doc->arena, TL_MAX_SOURCES,
                                                             sizeof *doc->sources))) {
            out_of_memory(L);
            return;
        }
        assert(doc->nsources < TL_MAX_SOURCES);
        walk_source(L, item, &doc->sources[doc->nsources++]);
    }
}

static size_t list_limit(size_t list)
{
    return list == TOP_EVENTS ? TL_MAX_EVENTS : list == TOP_LANES ? TL_MAX_LANES : TL_MAX_SOURCES;
}

/* One top-level entry, checked as soon as its value is complete.  A list's
 * items have been walked already; what is left is the list itself. */
static void top_entry(loader *L, const node *k, const node *v)
{
    tl_doc *doc = L->doc;
    if (k->bad)
        return;
    if (k->kind != N_SCALAR) {
        err_at(L, k, "a key must be a plain word, not %s", kind_name(k));
        return;
    }
    size_t i = top_key(L, k);
    if (i == TOP_N) {
        unknown_key(L, &top_schema, k);
        return;
    }
    if (L->top_line[i]) {
        err_at(L, k, "duplicate key '%s' — first given at line %d", top_keys[i],
               L->top_line[i]);
        return;
    }
    L->top_line[i] = k->line;
    if (i == TOP_TITLE || i == TOP_SUBTITLE) {
        get_text(L, v, top_keys[i], TL_MAX_TEXT, i == TOP_TITLE ? &doc->title : &doc->subtitle);
        return;
    }
    if (v->bad)
        return;
    if (i == TOP_LANGUAGE) {
        if (v->kind != N_SCALAR || is_null(L, v) || v->len > 16 || memchr(txt(L, v), 0, v->len) ||
            !tl_lang_parse(txt(L, v), &doc->lang))
            err_at(L, v, "'language' takes en, fr, de, es, zh, ja or ko");
        return;
    }
    if (i == TOP_TIMEZONE) {
        char msg[160];
        if (v->kind != N_SCALAR || is_null(L, v) || v->len > 64 || memchr(txt(L, v), 0, v->len)) {
            err_at(L, v, "'timezone' takes UTC, an offset such as +09:00 or a zone name such as "
                   "Asia/Seoul");
        } else if (tl_zone_parse(txt(L, v), &doc->tz, msg, sizeof msg)) {
            doc->tz_given = true;
        } else if (strchr(txt(L, v), '/')) {
            L->tz_name = tl_arena_strdup(&doc->arena, txt(L, v));
            L->tz_line = v->line;
            L->tz_col = v->col;
            doc->tz_given = L->tz_name != NULL;
        } else {
            err_at(L, v, "%s", msg);
        }
        return;
    }
    if (i == TOP_EVENTS) {
        doc->events_pos = pos_of(v);
        if (is_null(L, v) || (v->kind == N_SEQ && v->n == 0)) {
            err_at(L, v, "'events' is empty — a timeline needs at least one event");
            return;
        }
    }
    get_list(L, v, top_keys[i], top_keys[i]);
}

/* ---- The parse: YAML events → small trees → walks ---------------------- */

/* How much of a collection is kept.  Each top-level entry and each item of
 * a top-level list is kept as a small tree until it is complete, walked,
 * and dropped; so the tree never holds more than one item, and an item
 * holds no more than the walk can look at:
 *   - below an item, only two more levels (an event's sources list and a
 *     citation in it); deeper collections are wrong wherever they are, and
 *     the walk needs only their kind and position;
 *   - at most KEEP_PAIRS entries of a mapping: with more than the schema's
 *     keys, every further entry is an error, and the walk stops at the cap
 *     before reaching them;
 *   - at most KEEP_ITEMS items of a list inside an item: one past the
 *     largest limit, where the limit error points. */
typedef enum role {
    R_ROOT,  /* the top-level mapping */
    R_LIST,  /* the value of 'events', 'lanes' or 'sources' */
    R_KEEP,  /* inside an item */
    R_SKIP   /* nothing below is kept */
} role;

#define KEEP_PAIRS (16 + TL_DIAG_MAX_ERRORS)
#define KEEP_ITEMS ((TL_MAX_TAGS > TL_MAX_CITES ? TL_MAX_TAGS : TL_MAX_CITES) + 1)
#define NOT_KEPT UINT32_MAX

typedef struct frame {
    uint32_t idx;    /* the collection's node, or NOT_KEPT */
    uint8_t role;
    uint8_t level;   /* R_KEEP: 0 for an item, 1 below it, ... */
    uint8_t list;    /* R_LIST: TOP_EVENTS, TOP_LANES or TOP_SOURCES */
    bool is_map;
    size_t seen;     /* children so far, kept or not */
    size_t mark;     /* R_ROOT, R_LIST: where the current entry or item */
    size_t tmark;    /* starts in the node array and the text buffer */
} frame;

typedef struct parse {
    frame stack[TL_MAX_DEPTH];
    int depth;
} parse;

/* Decides, at the start of a node, whether it is kept, and for a
 * collection the role of its frame. */
static bool classify(loader *L, const frame *P, bool is_map, bool is_collection, frame *f)
{
    f->role = R_SKIP;
    f->level = 0;
    f->list = 0;
    if (!P) {
        f->role = is_map ? R_ROOT : R_SKIP;
        return true;
    }
    switch (P->role) {
    case R_ROOT:
        if (P->seen % 2 == 1 && is_collection && !is_map) {
            /* A value: a list is walked item by item when its key is the
             * first 'events', 'lanes' or 'sources'. */
            const node *k = &L->nodes[P->mark];
            size_t i = top_key(L, k);
            if ((i == TOP_EVENTS || i == TOP_LANES || i == TOP_SOURCES) && !k->bad &&
                !L->top_line[i]) {
                f->role = R_LIST;
                f->list = (uint8_t)i;
            }
        }
        return true;
    case R_LIST:
        if (P->seen >= list_limit(P->list))
            return false; /* the first one is reported by the caller */
        if (is_map)
            f->role = R_KEEP;
        return true;
    case R_KEEP:
        if (P->is_map ? P->seen >= 2 * KEEP_PAIRS : P->seen >= KEEP_ITEMS)
            return false;
        if (P->level < 2) {
            f->role = R_KEEP;
            f->level = (uint8_t)(P->level + 1);
        }
        return true;
    default:
        return false;
    }
}

/* Called when a kept node is complete: walks and drops a finished
 * top-level entry or list item. */
static void complete(loader *L, frame *P)
{
    if (!P)
        return;
    if (P->role == R_ROOT && P->seen % 2 == 0) {
        const node *k = &L->nodes[P->mark];
        top_entry(L, k, next_of(k));
    } else if (P->role == R_LIST) {
        assert(P->mark < L->nnodes);
        walk_item(L, P->list, &L->nodes[P->mark]);
    } else {
        return;
    }
    L->nnodes = P->mark;
    L->ntext = P->tmark;
}

/* Handles one node event: keeps it or not, opens its frame, and completes
 * what is complete. */
static void node_start(loader *L, parse *ps, yaml_event_t *ev, node_kind kind,
                       const char *text, size_t len, bool bad)
{
    frame *P = ps->depth ? &ps->stack[ps->depth - 1] : NULL;
    frame f;
    bool collection = kind != N_SCALAR;
    bool keep = classify(L, P, kind == N_MAP, collection, &f);
    if (P && P->role == R_LIST && P->seen == list_limit(P->list)) {
        int line, col;
        mark_pos(L, ev->start_mark, &line, &col);
        err(L, line, col, "too many %s — the limit is %zu", top_keys[P->list],
            list_limit(P->list));
    }
    if (P && keep && ((P->role == R_ROOT && P->seen % 2 == 0) || P->role == R_LIST)) {
        P->mark = L->nnodes;
        P->tmark = L->ntext;
    }
    long n = -1;
    if (keep) {
        n = add_node(L, kind, ev, text, len);
        if (n < 0)
            return;
        if (bad) {
            L->nodes[n].style = YAML_PLAIN_SCALAR_STYLE;
            L->nodes[n].exact = false;
            L->nodes[n].bad = true;
        }
        if (P && P->idx != NOT_KEPT)
            L->nodes[P->idx].n++;
    }
    if (P)
        P->seen++;
    if (collection) {
        f.idx = n >= 0 ? (uint32_t)n : NOT_KEPT;
        f.is_map = kind == N_MAP;
        f.seen = 0;
        f.mark = f.tmark = 0;
        ps->stack[ps->depth++] = f;
    } else if (keep) {
        complete(L, P);
    }
}

static void node_end(loader *L, parse *ps)
{
    frame *f = &ps->stack[--ps->depth];
    if (f->idx == NOT_KEPT)
        return;
    assert(f->idx < L->nnodes);
    L->nodes[f->idx].size = (uint32_t)(L->nnodes - f->idx);
    complete(L, ps->depth ? &ps->stack[ps->depth - 1] : NULL);
}

/* After the last event: what only the whole file can tell. */
static void finish(loader *L)
{
    const node *root = L->nnodes ? &L->nodes[0] : NULL;
    if (!root || (is_null(L, root) && !root->bad)) {
        err(L, 1, 1, "the file is empty — a timeline needs an 'events' list");
        return;
    }
    if (root->bad)
        return;
    if (root->kind != N_MAP) {
        err_at(L, root, "the top level must be a mapping with an 'events' list, not %s",
               kind_name(root));
        return;
    }
    if (!L->top_line[TOP_EVENTS])
        err(L, 1, 1, "no 'events' list — a timeline needs 'events:' with at least one event");
}

/* Byte offset in the input of 1-based (line, col), lines counted as
 * editors count them; false when the text is shorter.  Errors come mostly
 * in the order of the text: a cursor saves reading it from the top. */
static bool text_offset(loader *L, int line, int col, size_t *out)
{
    const char *s = L->input;
    size_t n = L->len, off = 0;
    int l = 1;
    if (L->cur_line > 0 && L->cur_line <= line) {
        l = L->cur_line;
        off = L->cur_off;
    }
    for (; l < line; l++) {
        const char *nl = memchr(s + off, '\n', n - off);
        size_t end = nl ? (size_t)(nl - s) : n;
        const char *cr = memchr(s + off, '\r', end - off);
        if (cr)
            off = (size_t)(cr - s) + 1 + ((size_t)(cr - s) + 1 < n && cr[1] == '\n');
        else if (nl)
            off = end + 1;
        else
            return false;
    }
    L->cur_line = l;
    L->cur_off = off;
    for (int c = 1; c < col && off < n; c++) {
        off++;
        while (off < n && ((unsigned char)s[off] & 0xC0) == 0x80)
            off++;
    }
    *out = off;
    return off <= n;
}

/* The code point a double-quoted escape stands for; s points after '\'
 * and *len is set to the escape's length after it. */
static uint32_t escape_value(const unsigned char *s, size_t n, size_t *len)
{
    static const char letters[] = "0abtnvfre \"/\\N_LP\t";
    static const uint32_t values[] = {0, 7, 8, 9, 10, 11, 12, 13, 27, ' ', '"', '/', '\\',
                                      0x85, 0xA0, 0x2028, 0x2029, 9};
    *len = 1;
    if (n == 0)
        return ' ';
    int hex = s[0] == 'x' ? 2 : s[0] == 'u' ? 4 : s[0] == 'U' ? 8 : 0;
    if (hex) {
        uint32_t v = 0;
        for (int i = 1; i <= hex && (size_t)i < n; i++)
            v = v << 4 | (uint32_t)(hex_digit((char)s[i]) & 0xF);
        *len = 1 + (size_t)hex;
        return v;
    }
    const char *at = memchr(letters, s[0], sizeof letters - 1);
    return at ? values[at - letters] : s[0];
}

/* Moves p's position from the start of its scalar to the offending
 * character: the p->unit-th character of the source that stands for a
 * character of the value other than white space (see err_char).  Quotes,
 * a block scalar's header and indentation, and folded line breaks stand
 * for none; an escape or a '' stands for one. */
static void locate(loader *L, pending *p)
{
    size_t i;
    if (!text_offset(L, p->line, p->col, &i))
        return;
    const unsigned char *s = (const unsigned char *)L->input;
    size_t n = L->len;
    int line = p->line, col = p->col;
    bool dq = p->style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    bool sq = p->style == YAML_SINGLE_QUOTED_SCALAR_STYLE;
    bool block = p->style == YAML_LITERAL_SCALAR_STYLE || p->style == YAML_FOLDED_SCALAR_STYLE;
    bool body = !block, cr = false;
    uint32_t unit = 0;
    for (bool first = true; i < n; first = false) {
        uint32_t c;
        size_t w = tl_utf8_decode(s + i, n - i, &c);
        if (w == 0)
            return;
        bool counts = false;
        if ((dq || sq) && first) {
            counts = false;       /* the opening quote */
        } else if (!body) {
            body = c == '\n' || c == '\r'; /* the header line */
        } else if (sq && c == '\'') {
            if (i + 1 >= n || s[i + 1] != '\'')
                return;
            counts = true;
            w = 2;
        } else if (dq && c == '"') {
            return;
        } else if (dq && c == '\\') {
            uint32_t e;
            size_t k = i + 1 < n ? tl_utf8_decode(s + i + 1, n - i - 1, &e) : 0;
            if (k && e != '\n' && e != '\r' && e != 0x85 && e != 0x2028 && e != 0x2029) {
                e = escape_value(s + i + 1, n - i - 1, &k);
                counts = !is_white(e);
                w = 1 + k;
            }
        } else {
            counts = !is_white(c) && c != '\r' && c != 0x85;
        }
        if (counts && unit++ == p->unit) {
            p->line = line;
            p->col = col;
            return;
        }
        for (size_t end = i + w; i < end; i++) {
            if ((s[i] & 0xC0) == 0x80)
                continue;
            if (s[i] == '\n' || s[i] == '\r') {
                line += !(s[i] == '\n' && cr);
                col = 1;
            } else {
                col++;
            }
            cr = s[i] == '\r';
        }
    }
}

/* Parses and walks the first document.  Errors in the YAML go to the diag
 * at once; the walk's errors are held back and added after them, or
 * dropped when the YAML could not be read to its end: an item cut short by
 * a syntax error would only be reported as missing its other keys. */
static void parse_doc(loader *L)
{
    yaml_parser_t p;
    yaml_event_t ev;
    parse ps;
    int docs = 0;
    bool done = false;

    ps.depth = 0;
    if (!yaml_parser_initialize(&p)) {
        out_of_memory(L);
        return;
    }
    /* The format is UTF-8: a UTF-16 BOM must not switch the reader to
     * UTF-16.  (A UTF-8 BOM was dropped before: with the encoding set,
     * libyaml would take it for a character of the first line.) */
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
    if (L->fp)
        yaml_parser_set_input(&p, read_stream, L);
    else
        yaml_parser_set_input_string(&p, (const unsigned char *)L->input, L->len);
    while (!done) {
        if (!yaml_parser_parse(&p, &ev)) {
            syntax_error(L, &p);
            goto cleanup;
        }
        switch (ev.type) {
        case YAML_NO_EVENT:
            /* libyaml 0.2.5 answers NO_EVENT forever after the end. */
            err_mark(L, ev.start_mark, "YAML syntax error: unexpected end of the input");
            L->broken = true;
            yaml_event_delete(&ev);
            goto cleanup;
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_END_EVENT:
            break;
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1) {
                err_mark(L, ev.start_mark,
                         "a second YAML document — a file holds one timeline; "
                         "remove this '---' line or what follows it");
                done = true;
            }
            break;
        case YAML_ALIAS_EVENT:
            err_mark(L, ev.start_mark,
                     "anchors and aliases are not supported — write the value out in full");
            node_start(L, &ps, &ev, N_SCALAR, "", 0, true);
            break;
        case YAML_SCALAR_EVENT:
            check_props(L, &ev, ev.data.scalar.anchor, ev.data.scalar.tag);
            node_start(L, &ps, &ev, N_SCALAR, (const char *)ev.data.scalar.value,
                       ev.data.scalar.length, false);
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
            bool seq = ev.type == YAML_SEQUENCE_START_EVENT;
            if (ps.depth == TL_MAX_DEPTH) {
                err_mark(L, ev.start_mark,
                         "nesting is deeper than %d levels — a timeline needs only a few",
                         TL_MAX_DEPTH);
                L->broken = true;
                yaml_event_delete(&ev);
                goto cleanup;
            }
            if (seq)
                check_props(L, &ev, ev.data.sequence_start.anchor, ev.data.sequence_start.tag);
            else
                check_props(L, &ev, ev.data.mapping_start.anchor, ev.data.mapping_start.tag);
            node_start(L, &ps, &ev, seq ? N_SEQ : N_MAP, NULL, 0, false);
            break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            if (ps.depth > 0)
                node_end(L, &ps);
            break;
        }
        yaml_event_delete(&ev);
        if (full(L))
            goto cleanup;
    }
    finish(L);
cleanup:
    report_nels(L, p.mark.index);
    yaml_parser_delete(&p);
    for (size_t i = 0; i < L->npend && !L->broken; i++)
        if (L->pend[i].locate && need_input(L))
            locate(L, &L->pend[i]);
    for (size_t i = 0; i < L->npend && !L->broken; i++)
        tl_diag_add(L->diag, TL_ERROR, L->name, L->pend[i].line, L->pend[i].col, "%s",
                    L->pend[i].msg);
}

/* The earliest and latest instants of the events' times of day. */
static bool timed_range(const tl_doc *doc, int64_t *lo, int64_t *hi)
{
    *lo = INT64_MAX;
    *hi = INT64_MIN;
    for (size_t i = 0; i < doc->nevents; i++) {
        const tl_event *e = &doc->events[i];
        for (int k = 0; k < 2; k++) {
            const tl_date *d = k ? e->end : &e->date;
            if (!d || !((!d->lo.open && d->lo.sec >= 0) || (!d->hi.open && d->hi.sec >= 0)))
                continue;
            int64_t a, b;
            tl_date_instants(d, &a, &b);
            *lo = a != INT64_MIN && a < *lo ? a : *lo;
            *hi = b != INT64_MAX && b > *hi ? b : *hi;
        }
    }
    return *lo <= *hi;
}

/* A zone named in 'timezone:' becomes the one offset it keeps over the
 * events' times: the times written without a zone are read at its offset
 * at the first of them, and then every time must fall where the zone keeps
 * that offset.  Reported at once: the walk's errors are out already. */
static void resolve_named_zone(loader *L)
{
    tl_doc *doc = L->doc;
    char msg[320];
    int64_t lo, hi;
    int off = 0;
    if (!timed_range(doc, &lo, &hi))
        lo = hi = 0;
    if (!tl_zone_named(NULL, L->tz_name, lo, lo, &off, doc->tz_abbr, sizeof doc->tz_abbr, msg,
                       sizeof msg)) {
        yaml_err(L, L->tz_line, L->tz_col, "%s", msg);
        return;
    }
    for (size_t i = 0; i < doc->nevents; i++) {
        tl_event *e = &doc->events[i];
        tl_date_set_zone(&e->date, off);
        if (e->end)
            tl_date_set_zone((tl_date *)e->end, off);
    }
    int again = off;
    if (timed_range(doc, &lo, &hi) &&
        (!tl_zone_named(NULL, L->tz_name, lo, hi, &again, doc->tz_abbr, sizeof doc->tz_abbr,
                        msg, sizeof msg) || again != off)) {
        if (again != off)
            snprintf(msg, sizeof msg, "%s changes its offset from UTC around the first of these "
                     "events — give the offset, as in +09:00", L->tz_name);
        yaml_err(L, L->tz_line, L->tz_col, "%s", msg);
        return;
    }
    doc->tz = off;
}

/* Times written without a zone are in the file's zone: 'timezone:', else
 * the zone of the first timed event that names one, else UTC. */
static void apply_zone(loader *L)
{
    tl_doc *doc = L->doc;
    if (L->tz_name) {
        resolve_named_zone(L);
        if (L->errors)
            return;
    }
    for (size_t i = 0; i < doc->nevents && !doc->tz_given; i++) {
        const tl_dpoint *p = &doc->events[i].date.lo;
        if (p->sec >= 0 && p->tz != TL_TZ_NONE) {
            doc->tz = p->tz;
            doc->tz_given = true;
        }
    }
    /* An end is const to the stages after loading; here it is still the
     * loader's, in the document's arena. */
    for (size_t i = 0; i < doc->nevents; i++) {
        tl_event *e = &doc->events[i];
        tl_date_set_zone(&e->date, doc->tz);
        if (e->end)
            tl_date_set_zone((tl_date *)e->end, doc->tz);
    }
}

/* Hands the events to the document.  The array is kept, trimmed to size,
 * rather than copied: a copy would hold 100,000 events twice at the
 * peak. */
static void keep_events(loader *L)
{
    tl_doc *doc = L->doc;
    if (!L->nevents)
        return;
    tl_event *v = realloc(L->events, L->nevents * sizeof *v);
    doc->event_block = doc->events = v ? v : L->events;
    doc->nevents = L->nevents;
    L->events = NULL;
    L->capevents = 0;
}

/* ---- Entry points ----------------------------------------------------- */

static const char *display_name(const char *name) { return name ? name : "<input>"; }

/* A UTF-8 byte order mark is not part of the text: columns, and the caret
 * under the source line, count from after it. */
static void skip_bom(const char **data, size_t *len)
{
    if (*len >= 3 && memcmp(*data, "\xEF\xBB\xBF", 3) == 0) {
        *data += 3;
        *len -= 3;
    }
}

/* A lean load's last step, once the document has passed its checks:
 * filters it, then forgets every event's info. */
static tl_status make_lean(loader *L)
{
    tl_doc *doc = L->doc;
    tl_status st = tl_doc_filter(doc, L->plan->filter, L->diag);
    if (st != TL_OK)
        return st;
    for (size_t i = 0; i < doc->nevents; i++)
        doc->events[i].info = NULL;
    tl_arena_release(&L->scratch);
    doc->lean = true;
    return TL_OK;
}

/* Parses and validates data[0..len), whose text diag already has, or
 * what fp streams when data is NULL. */
static tl_status load(const char *name, const char *data, size_t len, FILE *fp,
                      const tl_load_plan *plan, tl_doc **out, tl_diag *diag)
{
    static const tl_load_plan keep_all = {0};
    loader L = {0};
    tl_status st = TL_ERR_DATA;

    L.plan = plan ? plan : &keep_all;
    tl_arena_init(&L.scratch);
    L.name = name;
    L.diag = diag;
    L.input = data;
    L.len = len;
    L.fp = data ? NULL : fp;
    L.scan = (line_scan){0, 0, 1, 0, 0, false};
    if (data)
        scan_breaks(&L, (const unsigned char *)data, len);
    L.doc = calloc(1, sizeof *L.doc);
    if (!L.doc) {
        out_of_memory(&L);
        st = TL_ERR_NOMEM;
        goto cleanup;
    }
    tl_arena_init(&L.doc->arena);
    L.doc->name = tl_arena_strdup(&L.doc->arena, name);
    if (!L.doc->name)
        out_of_memory(&L);
    if (!L.nomem)
        parse_doc(&L);
    if (!L.errors) {
        keep_events(&L);
        apply_zone(&L);
    }
    if (L.nomem) {
        st = TL_ERR_NOMEM;
        goto cleanup;
    }
    if (L.read_errno)
        st = TL_ERR_IO;
    if (L.errors)
        goto cleanup;
    st = tl_validate(L.doc, diag);
    if (st == TL_OK && L.plan->lean)
        st = make_lean(&L);
    if (st != TL_OK)
        goto cleanup;
    *out = L.doc;
    L.doc = NULL;
cleanup:
    for (size_t i = 0; i < L.npend; i++)
        free(L.pend[i].msg);
    free(L.pend);
    free(L.nodes);
    free(L.text);
    free(L.events);
    free(L.words);
    free(L.reread);
    free(L.xb);
    tl_doc_free(L.doc);
    tl_arena_release(&L.scratch);
    return st;
}

/* Loads data[0..len) (need not be NUL-terminated; NULL when len is 0).  On
 * success *out is a new validated document the caller frees with
 * tl_doc_free; on failure *out is NULL and diag says why.  A copy of the
 * text goes into diag for the caret display.  Never keeps `data`. */
tl_status tl_doc_load_buffer(const char *name, const char *data, size_t len, tl_doc **out,
                             tl_diag *diag)
{
    if (out)
        *out = NULL;
    name = display_name(name);
    if (!out || (!data && len)) {
        tl_diag_add(diag, TL_ERROR, name, 0, 0, "no input given");
        return TL_ERR_USAGE;
    }
    if (len > TL_MAX_INPUT_BYTES) {
        tl_diag_add(diag, TL_ERROR, name, 0, 0, "input is larger than the 64 MiB limit");
        return TL_ERR_DATA;
    }
    if (!data)
        data = "";
    skip_bom(&data, &len);
    tl_diag_add_source(diag, name, data, len);
    return load(name, data, len, NULL, NULL, out, diag);
}

/* Reads all of fp into a new malloc'd buffer (see tl_read_stream).
 * Reports problems under `name`. */
static tl_status read_all(const char *name, FILE *fp, char **data, size_t *len, tl_diag *diag)
{
    int e = tl_read_stream(fp, TL_MAX_INPUT_BYTES, data, len);
    if (e == 0)
        return TL_OK;
    if (e == EFBIG) {
        tl_diag_add(diag, TL_ERROR, name, 0, 0, "input is larger than the 64 MiB limit");
        return TL_ERR_DATA;
    }
    if (e == ENOMEM) {
        tl_diag_add(diag, TL_ERROR, name, 0, 0, "out of memory");
        return TL_ERR_NOMEM;
    }
    if (e == EISDIR)
        tl_diag_add(diag, TL_ERROR, name, 0, 0, "is a directory — give a timeline file");
    else
        tl_diag_add(diag, TL_ERROR, name, 0, 0, "cannot read: %s", strerror(e));
    return TL_ERR_IO;
}

/* Reads fp to its end (FIFOs and terminals too) and loads what it read.
 * The caller keeps fp open and closes it.  I/O problems are TL_ERR_IO, a
 * directory included; more than TL_MAX_INPUT_BYTES is TL_ERR_DATA. */
static tl_status load_stream(const char *name, FILE *fp, const tl_load_plan *plan,
                             tl_doc **out, tl_diag *diag)
{
    char *data;
    size_t len;

    if (out)
        *out = NULL;
    name = display_name(name);
    if (!fp || !out) {
        tl_diag_add(diag, TL_ERROR, name, 0, 0, "no input given");
        return TL_ERR_USAGE;
    }
    tl_status st = read_all(name, fp, &data, &len, diag);
    if (st != TL_OK)
        return st;
    const char *text = data;
    skip_bom(&text, &len);
    /* diag keeps the text we read rather than a copy of it: a large input
     * is in memory once. */
    bool kept = tl_diag_keep_source(diag, name, data, text, len);
    st = load(name, text, len, NULL, plan, out, diag);
    if (!kept)
        free(data);
    return st;
}

tl_status tl_doc_load_stream(const char *name, FILE *fp, tl_doc **out, tl_diag *diag)
{
    return load_stream(name, fp, NULL, out, diag);
}

/* Opens path ("-" is standard input, named "<stdin>" in messages) and
 * loads it as plan says; path names the file in messages. */
tl_status tl_doc_load_file_planned(const char *path, const tl_load_plan *plan, tl_doc **out,
                                   tl_diag *diag)
{
    if (out)
        *out = NULL;
    if (!path || !out) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "no input file given");
        return TL_ERR_USAGE;
    }
    if (strcmp(path, "-") == 0)
        return load_stream("<stdin>", stdin, plan, out, diag);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        tl_diag_add(diag, TL_ERROR, path, 0, 0, "cannot open: %s", strerror(errno));
        return TL_ERR_IO;
    }
    /* A regular file is streamed rather than held: diag reads it again
     * for the lines it shows. */
    struct stat sb;
    tl_status st;
    if (fstat(fileno(fp), &sb) == 0 && S_ISREG(sb.st_mode) &&
        (uintmax_t)sb.st_size <= TL_MAX_INPUT_BYTES) {
        char bom[3];
        if (fread(bom, 1, 3, fp) != 3 || memcmp(bom, "\xEF\xBB\xBF", 3) != 0)
            rewind(fp);
        tl_diag_add_source_file(diag, path);
        st = load(path, NULL, 0, fp, plan, out, diag);
    } else {
        st = load_stream(path, fp, plan, out, diag);
    }
    fclose(fp);
    return st;
}

tl_status tl_doc_load_file(const char *path, tl_doc **out, tl_diag *diag)
{
    return tl_doc_load_file_planned(path, NULL, out, diag);
}

/* Frees doc and every string and array in it; NULL is a no-op. */
void tl_doc_free(tl_doc *doc)
{
    if (!doc)
        return;
    tl_arena_release(&doc->arena);
    free(doc->event_block);
    free(doc);
}

/* ---- Summary ---------------------------------------------------------- */

/* Counts for the summary line; 0 for NULL. */
size_t tl_doc_event_count(const tl_doc *doc) { return doc ? doc->nevents : 0; }
size_t tl_doc_lane_count(const tl_doc *doc) { return doc ? doc->nlanes : 0; }
size_t tl_doc_source_count(const tl_doc *doc) { return doc ? doc->nsources : 0; }

/* "FIRST – LAST": the ISO text of the earliest-starting event's date and of
 * the latest-ending event's end (or date), one of them when they are the
 * same, "" without events.  snprintf semantics: buf (size bytes, may be 0)
 * is always terminated and the length needed is returned. */
/* Where a date sits for the summary line: its first day, or its last when
 * it is open at the start ("../2015-01-13" is known only by its end). */
/* Where a date starts, to the second (where its end starts when it has
 * no start). */
static int64_t summary_day(const tl_date *d)
{
    int64_t a, b;
    tl_date end = *d;
    if (d->lo.open)
        end.lo = end.hi;
    tl_date_instants(&end, &a, &b);
    return a;
}

size_t tl_doc_range_text(const tl_doc *doc, char *buf, size_t size)
{
    if (!buf)
        size = 0;
    char first[96] = "", last[96] = "";
    if (doc && doc->nevents) {
        /* First: the earliest start the data states; last: the latest
         * start (or end of a span).  Ties go to the plainer date, so a
         * dated publication beats "../2015-03-17". */
        const tl_date *lo = NULL, *hi = NULL;
        for (size_t i = 0; i < doc->nevents; i++) {
            const tl_event *e = &doc->events[i];
            const tl_date *d = &e->date, *z = e->end ? e->end : &e->date;
            if (!lo || summary_day(d) < summary_day(lo) ||
                (summary_day(d) == summary_day(lo) && lo->is_range && !d->is_range))
                lo = d;
            if (!hi || summary_day(z) > summary_day(hi) ||
                (summary_day(z) == summary_day(hi) && hi->is_range && !z->is_range))
                hi = z;
        }
        tl_date_iso(lo, first, sizeof first);
        tl_date_iso(hi, last, sizeof last);
    }
    int n;
    if (strcmp(first, last) == 0)
        n = snprintf(buf, size, "%s", first);
    else
        n = snprintf(buf, size, "%s \xE2\x80\x93 %s", first, last);
    return n < 0 ? 0 : (size_t)n;
}
