/* schema.h — the format checker's side of a load (internal).
 *
 * A load builds small trees of nodes (scalars, sequences, mappings, each
 * with a position) and hands each complete top-level entry or list item
 * to the checker, which walks it against the schema of docs/format.md and
 * fills the document.  The YAML reader (load.c) builds the trees from
 * libyaml's events; the builder (build.c) builds them from the fields a
 * program gives.  Both share the state below; only the reader fills the
 * fields about the input text. */
#ifndef TL_SCHEMA_H
#define TL_SCHEMA_H

#include "diag.h"
#include "model.h"
#include "validate.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* A scalar's style, as libyaml numbers it (load.c checks that it does). */
enum { TL_STYLE_ANY, TL_STYLE_PLAIN, TL_STYLE_SINGLE, TL_STYLE_DOUBLE, TL_STYLE_LITERAL,
       TL_STYLE_FOLDED };

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
    uint32_t cp;       /* 0x85, 0x2028 or 0x2029 */
    bool in_value;     /* inside a scalar: text, not a comment's end */
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
enum { TOP_TITLE, TOP_SUBTITLE, TOP_SOURCES, TOP_LANES, TOP_EVENTS, TOP_TIMEZONE, TOP_LANGUAGE,
       TOP_N };

/* One load's state.  The checker reads and fills the tree, the events,
 * the held-back errors and the shared words; the fields from `input` to
 * `too_big` and from `xb` on are the YAML reader's, about its text. */
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
    uint64_t xb_unsure;   /* after a syntax error, an LS or PS from this
                           * index on may be in a value not parsed: 0 none */
    line_scan scan;
    int cur_line;         /* line_offset's cursor: a line and where it */
    size_t cur_off;       /* starts in input (0: not set) */
} loader;

/* The value of scalar n, NUL-terminated. */
static inline const char *txt(const loader *L, const node *n) { return L->text + n->off; }

/* The next sibling of a child. */
static inline const node *next_of(const node *n) { return n + n->size; }

/* Child i of a collection, for the messages that point at one. */
static inline const node *child(const node *n, size_t i)
{
    const node *c = n + 1;
    while (i-- > 0)
        c = next_of(c);
    return c;
}

/* The checker's calls.  Errors of the walk are held back in L->pend;
 * YAML errors go to the diag at once (see load.c). */

/* The top-level keys, by TOP_*. */
extern const char *const tl_check_top_keys[TOP_N];
void tl_check_out_of_memory(loader *L);
bool tl_check_grow(loader *L, void **arr, size_t *cap, size_t need, size_t size, size_t first);
void tl_check_verr(loader *L, int line, int col, const char *fmt, va_list ap);
void tl_check_err(loader *L, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void tl_check_err_at(loader *L, const node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool tl_check_full(const loader *L);
size_t tl_check_utf8_chars(const char *s, size_t n);
const char *tl_check_show(const char *s, size_t len, char *buf, size_t size);
const char *tl_check_kind_name(const node *n);
tl_pos tl_check_pos_of(const node *n);
bool tl_check_is_null(const loader *L, const node *n);
size_t tl_check_top_key(const loader *L, const node *k);
size_t tl_check_list_limit(size_t list);
void tl_check_walk_item(loader *L, size_t list, const node *item);
void tl_check_top_entry(loader *L, const node *k, const node *v);
bool tl_check_is_white(uint32_t c);
int tl_check_hex_digit(char c);

#endif
