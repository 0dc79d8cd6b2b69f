/* load.c — the YAML reader: YAML text → node trees, each handed to the
 * format checker (schema.c) as soon as it is complete; strictly, with a
 * position on every error.  The only file that includes yaml.h.
 *
 * A named regular file is streamed to libyaml's event parser, never held
 * whole: a message that needs the text (a syntax error's hint, the line
 * shown under a message) reads the file again.  Other input (standard
 * input, pipes, a buffer) is read first, capped at TL_MAX_INPUT_BYTES.
 * The parser turns the text into small trees of scalars, sequences and
 * mappings, each node with its 1-based position, and each tree is walked
 * by the checker against the schema of docs/format.md as soon as it is
 * complete:
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
#include "schema.h"
#include "zone.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yaml.h>

_Static_assert((int)YAML_PLAIN_SCALAR_STYLE == TL_STYLE_PLAIN &&
                   (int)YAML_SINGLE_QUOTED_SCALAR_STYLE == TL_STYLE_SINGLE &&
                   (int)YAML_DOUBLE_QUOTED_SCALAR_STYLE == TL_STYLE_DOUBLE &&
                   (int)YAML_LITERAL_SCALAR_STYLE == TL_STYLE_LITERAL &&
                   (int)YAML_FOLDED_SCALAR_STYLE == TL_STYLE_FOLDED,
               "node styles are libyaml's");

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

/* ---- Building a tree --------------------------------------------------- */

/* Records a NEL, LS or PS (cp) whose first byte is character `lead`. */
static void add_xbreak(loader *L, uint64_t lead, uint32_t cp)
{
    line_scan *S = &L->scan;
    uint64_t col = lead - S->line_start + 1;
    if (tl_check_grow(L, (void **)&L->xb, &L->capxb, L->nxb + 1, sizeof *L->xb, 16))
        L->xb[L->nxb++] = (xbreak){lead, S->line, col < INT32_MAX ? (int)col : INT32_MAX, cp,
                                   false};
}

/* Finishes a NEL, LS or PS cut at the end of the last piece with byte c;
 * false when c shows it is some other character. */
static bool finish_cut(loader *L, unsigned char c)
{
    line_scan *S = &L->scan;
    int state = S->state;
    S->state = 0;
    if (state == 1 && c == 0x85)
        add_xbreak(L, S->lead, 0x85);
    else if (state == 2 && c == 0x80)
        S->state = 3;
    else if (state == 3 && (c == 0xA8 || c == 0xA9))
        add_xbreak(L, S->lead, c == 0xA8 ? 0x2028 : 0x2029);
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
        !tl_check_grow(L, (void **)&L->nodes, &L->capnodes, L->nnodes + 1, sizeof(node), 4096))
        return -1;
    node *n = &L->nodes[L->nnodes];
    memset(n, 0, sizeof *n);
    n->kind = (uint8_t)kind;
    n->size = 1;
    mark_pos(L, ev->start_mark, &n->line, &n->col);
    if (kind == N_SCALAR) {
        if (L->ntext + len + 1 > UINT32_MAX ||
            !tl_check_grow(L, (void **)&L->text, &L->captext, L->ntext + len + 1, 1, 65536))
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
                   ev->end_mark.column - ev->start_mark.column == tl_check_utf8_chars(text, len) + quotes;
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
        tl_check_show(short_form ? t + sizeof core - 1 : t, strlen(t) - (short_form ? sizeof core - 1 : 0),
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

/* Marks the LS and PS characters in [from, to), a scalar's span, as
 * text of a value. */
static void mark_in_value(loader *L, uint64_t from, uint64_t to)
{
    size_t lo = 0, hi = L->nxb;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (L->xb[mid].index < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < L->nxb && L->xb[lo].index < to; lo++)
        L->xb[lo].in_value = true;
}

/* A NEL is a line break to YAML and not to an editor: what the file says
 * depends on who reads it.  So is an LS or PS outside a value: in a
 * comment, the rest of the line after it is read as YAML.  Each is
 * reported once, before a syntax error it may well have caused; only
 * those the parser has passed (before character `upto`), as a streamed
 * file may not have been read further. */
static void report_nels(loader *L, uint64_t upto)
{
    for (; L->nels_reported < L->nxb && !tl_check_full(L); L->nels_reported++) {
        const xbreak *b = &L->xb[L->nels_reported];
        if (b->index >= upto)
            break;
        if (b->cp == 0x85)
            yaml_err(L, b->line, b->col,
                     "the file contains U+0085 (next line), a control character that "
                     "YAML reads as a line break — replace it with a line break or a space");
        else if (!b->in_value && !(L->xb_unsure && b->index + 1 >= L->xb_unsure))
            yaml_err(L, b->line, b->col,
                     "the file contains U+%04X (%s separator) outside a quoted value — YAML "
                     "reads it as a line break, so in a comment what follows it is read as "
                     "YAML; replace it with a line break or a space",
                     (unsigned)b->cp, b->cp == 0x2028 ? "line" : "paragraph");
    }
}

static void syntax_error(loader *L, const yaml_parser_t *p)
{
    if (p->error == YAML_MEMORY_ERROR) {
        tl_check_out_of_memory(L);
        return;
    }
    L->broken = true;
    /* The token it failed on starts at the problem (the parser's) or at
     * the context (the scanner's "while scanning a quoted scalar"): a
     * value there was never parsed. */
    uint64_t from = p->mark.index;
    if (p->problem_mark.index < from)
        from = p->problem_mark.index;
    if (p->error == YAML_SCANNER_ERROR && p->context && p->context_mark.index < from)
        from = p->context_mark.index;
    L->xb_unsure = from + 1;
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
            size_t i = tl_check_top_key(L, k);
            if ((i == TOP_EVENTS || i == TOP_LANES || i == TOP_SOURCES) && !k->bad &&
                !L->top_line[i]) {
                f->role = R_LIST;
                f->list = (uint8_t)i;
            }
        }
        return true;
    case R_LIST:
        if (P->seen >= tl_check_list_limit(P->list))
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
        tl_check_top_entry(L, k, next_of(k));
    } else if (P->role == R_LIST) {
        assert(P->mark < L->nnodes);
        tl_check_walk_item(L, P->list, &L->nodes[P->mark]);
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
    if (P && P->role == R_LIST && P->seen == tl_check_list_limit(P->list)) {
        int line, col;
        mark_pos(L, ev->start_mark, &line, &col);
        tl_check_err(L, line, col, "too many %s — the limit is %zu", tl_check_top_keys[P->list],
            tl_check_list_limit(P->list));
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
    if (!root || (tl_check_is_null(L, root) && !root->bad)) {
        tl_check_err(L, 1, 1, "the file is empty — a timeline needs an 'events' list");
        return;
    }
    if (root->bad)
        return;
    if (root->kind != N_MAP) {
        tl_check_err_at(L, root, "the top level must be a mapping with an 'events' list, not %s",
               tl_check_kind_name(root));
        return;
    }
    if (!L->top_line[TOP_EVENTS])
        tl_check_err(L, 1, 1, "no 'events' list — a timeline needs 'events:' with at least one event");
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
            v = v << 4 | (uint32_t)(tl_check_hex_digit((char)s[i]) & 0xF);
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
                counts = !tl_check_is_white(e);
                w = 1 + k;
            }
        } else {
            counts = !tl_check_is_white(c) && c != '\r' && c != 0x85;
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

/* The encoding s[0..n), the start of a file, is in when it is UTF-16 or
 * UTF-32 rather than UTF-8, by its byte order mark or, without one, by the
 * NUL bytes of ASCII text in those encodings; NULL when it is neither. */
static const char *wide_encoding(const unsigned char *s, size_t n)
{
    if (n >= 4 && memcmp(s, "\xFF\xFE\0\0", 4) == 0)
        return "UTF-32 (little-endian)";
    if (n >= 4 && memcmp(s, "\0\0\xFE\xFF", 4) == 0)
        return "UTF-32 (big-endian)";
    if (n >= 2 && s[0] == 0xFF && s[1] == 0xFE)
        return "UTF-16 (little-endian)";
    if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF)
        return "UTF-16 (big-endian)";
    /* Zeros by position modulo 4 in the first 64 bytes: ASCII in UTF-16
     * has every other byte zero, in UTF-32 three of four. */
    size_t zero[4] = {0}, m = (n < 64 ? n : 64) & ~(size_t)3;
    if (m < 4)
        return NULL;
    for (size_t i = 0; i < m; i++)
        zero[i % 4] += s[i] == 0;
    size_t q = m / 4, most = q - q / 4;   /* three in four, or more */
    if (zero[1] >= most && zero[2] >= most && zero[3] >= most && zero[0] < most)
        return "UTF-32 (little-endian)";
    if (zero[0] >= most && zero[1] >= most && zero[2] >= most && zero[3] < most)
        return "UTF-32 (big-endian)";
    if (zero[1] >= most && zero[3] >= most && zero[0] + zero[2] < most)
        return "UTF-16 (little-endian)";
    if (zero[0] >= most && zero[2] >= most && zero[1] + zero[3] < most)
        return "UTF-16 (big-endian)";
    return NULL;
}

/* Refuses a UTF-16 or UTF-32 file at once, by name: libyaml would only
 * say that its first byte is not UTF-8.  A streamed file is peeked at and
 * rewound.  True when the text may be parsed. */
static bool check_encoding(loader *L)
{
    unsigned char head[64];
    size_t n = 0;
    if (L->input) {
        n = L->len < sizeof head ? L->len : sizeof head;
        memcpy(head, L->input, n);
    } else if (L->fp) {
        long at = ftell(L->fp);   /* past a UTF-8 BOM */
        if (at < 0)
            return true;   /* the parse reads on and reports what it finds */
        n = fread(head, 1, sizeof head, L->fp);
        if (fseek(L->fp, at, SEEK_SET) != 0)
            return true;
    }
    const char *enc = wide_encoding(head, n);
    if (!enc)
        return true;
    yaml_err(L, 1, 1, "the file is %s, not UTF-8 — save it as UTF-8", enc);
    L->broken = true;
    return false;
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
    if (!check_encoding(L))
        return;
    if (!yaml_parser_initialize(&p)) {
        tl_check_out_of_memory(L);
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
            mark_in_value(L, ev.start_mark.index, ev.end_mark.index);
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
        if (tl_check_full(L))
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
    if (!tl_doc_timed_range(doc, &lo, &hi))
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
    if (tl_doc_timed_range(doc, &lo, &hi) &&
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
        tl_check_out_of_memory(&L);
        st = TL_ERR_NOMEM;
        goto cleanup;
    }
    tl_arena_init(&L.doc->arena);
    L.doc->name = tl_arena_strdup(&L.doc->arena, name);
    if (!L.doc->name)
        tl_check_out_of_memory(&L);
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

