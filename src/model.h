/* model.h — the loaded document: sources, lanes and events.
 *
 * Everything a document owns lives in its arena, or for the events in
 * event_block, and goes with tl_doc_free.  Positions are 1-based line and
 * column of the YAML node they came from, kept so that later stages
 * (validation, quote checks) can point at the offending text. */
#ifndef TL_MODEL_H
#define TL_MODEL_H

#include "arena.h"
#include "date.h"
#include "lang.h"
#include "timeline.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits.  Each is checked with a clear message. */
#define TL_MAX_INPUT_BYTES (64u * 1024u * 1024u) /* 64 MiB */
#define TL_MAX_EVENTS 500000
#define TL_MAX_LANES 64
#define TL_MAX_SOURCES 256
#define TL_MAX_TEXT 4000       /* bytes in one title, summary, note, quote */
#define TL_MAX_TITLE 300       /* bytes in an event title */
#define TL_MAX_DEPTH 32        /* YAML nesting depth */
#define TL_MAX_TAGS 32         /* per event */
#define TL_MAX_CITES 16        /* sources per event */

typedef struct tl_pos {
    int line, col;
} tl_pos;

/* A document built in code (tl_doc_add_*) has no lines: its positions
 * name an item and a field.  line is the item's number among its kind
 * (1-based), col is TL_POS_FIELD(kind, field), negative: field 0 is the
 * item itself, field k + 1 the k-th key of its schema. */
enum { TL_PART_DOC, TL_PART_SOURCE, TL_PART_LANE, TL_PART_EVENT };
#define TL_POS_FIELD(kind, field) (-1 - ((kind) * 32 + (field)))

static inline bool tl_pos_built(tl_pos p) { return p.col < 0; }

/* A built position as text, "event 3, date", or "event 3" for the item
 * alone (item_only, or field 0); "title" for the document's.  snprintf
 * semantics. */
size_t tl_pos_place(tl_pos pos, bool item_only, char *buf, size_t size);

/* Adds a message about what is at `pos` in doc: at FILE:LINE:COL for a
 * loaded document, at its place ("event 3, lane") for a built one. */
void tl_doc_report(tl_diag *diag, tl_severity sev, const tl_doc *doc, tl_pos pos,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void tl_doc_vreport(tl_diag *diag, tl_severity sev, const tl_doc *doc, tl_pos pos,
                    const char *fmt, va_list ap);

/* A citation as written: checking and quote verification read it; a
 * chart reads only the source it names (tl_event.cited). */
typedef struct tl_citation {
    const char *ref;
    const char *quote;      /* may be NULL */
    tl_pos pos, ref_pos, quote_pos;
} tl_citation;

/* What only checking, filtering and the text of a file read about an
 * event, apart from what a chart draws: a document loaded for one render
 * (tl_doc_load_for_render) drops it once the checks have passed.
 * Positions are kept only for the values validation may report (a
 * duplicate id, an undeclared lane, an end before the date). */
typedef struct tl_event_info {
    const char *id;
    const char *lane_id, *note;   /* NULL when absent */
    const char **tags;
    tl_citation *cites;           /* the event's ncites citations */
    uint8_t ntags;                /* at most TL_MAX_TAGS */
    tl_pos id_pos, end_pos, lane_pos;
} tl_event_info;

/* The texts a chart shows of some events only: the list layout's
 * summaries, and links on labels.  Most events have neither. */
typedef struct tl_event_extra {
    const char *summary, *url;    /* NULL when absent */
} tl_event_extra;

/* An event: 152 bytes, what a chart reads (its date is 104: two written
 * points of 40, with 64-bit days for deep time and a time of day).  The
 * counts and indices are narrow, as the limits above allow. */
typedef struct tl_event {
    const char *title;
    const tl_date *end;     /* a span's end, or NULL: in the arena, as most
                               events are not spans */
    const tl_event_extra *extra;  /* NULL when it has neither text */
    int16_t *cited;         /* per citation, the index into doc->sources of
                               the source it names; set by validation */
    tl_event_info *info;    /* NULL in a document loaded for rendering */
    tl_date date;
    uint8_t ncites;         /* at most TL_MAX_CITES */
    int8_t importance;      /* 1..3, default 2 */
    int8_t lane;            /* index into doc->lanes, -1 none; validation */
} tl_event;

_Static_assert(sizeof(tl_event) <= 152, "an event stays within 152 bytes");
_Static_assert(TL_MAX_TAGS <= UINT8_MAX && TL_MAX_CITES <= UINT8_MAX && TL_MAX_LANES <= INT8_MAX &&
                   TL_MAX_SOURCES <= INT16_MAX,
               "the limits fit tl_event's narrow counts");

static inline const char *tl_event_summary(const tl_event *e)
{
    return e->extra ? e->extra->summary : NULL;
}

static inline const char *tl_event_url(const tl_event *e)
{
    return e->extra ? e->extra->url : NULL;
}

typedef struct tl_lane {
    const char *id;
    const char *label;      /* defaults to the id */
    bool has_color;
    uint32_t color;         /* 0xRRGGBB */
    tl_pos pos, id_pos;
} tl_lane;

typedef struct tl_source {
    const char *id, *title, *author, *publisher, *url, *file;  /* NULL absent */
    bool has_date;
    tl_date date;
    tl_pos pos, id_pos, file_pos;
} tl_source;

/* What a document built in code keeps between adds (build.c). */
typedef struct tl_builder tl_builder;
void tl_builder_free(tl_builder *b);

struct tl_doc {
    tl_arena arena;
    const char *name;       /* file name for messages */
    const char *title, *subtitle;
    tl_source *sources;
    size_t nsources;
    tl_lane *lanes;
    size_t nlanes;
    tl_event *events;       /* in file order until sorted by the caller */
    size_t nevents;
    tl_event *event_block;  /* malloc'd, outside the arena: the loader's
                             * growing array, kept rather than copied */
    size_t cap_events;      /* event_block's room, for the builder */
    tl_builder *built;      /* build.c's state, NULL until an add */
    tl_pos events_pos;
    bool lean;              /* loaded for one render: no event info, quotes
                             * or notes, and summaries only for a list */
    int tz;                 /* the zone times are shown in, minutes east of
                             * UTC: 'timezone:', else the first timed
                             * event's, else UTC */
    bool tz_given;          /* 'timezone:' was read */
    char tz_abbr[8];        /* a named zone's abbreviation ("KST"), or "" */
    tl_lang lang;           /* 'language:', else TL_LANG_DEFAULT (English) */
};

/* What a load keeps.  A lean load checks the whole file as any load does,
 * applies `filter` (may be NULL), and then drops what a chart never reads
 * (see tl_event_info), so that a large file is never held whole. */
typedef struct tl_load_plan {
    bool lean;
    bool summaries;         /* lean: keep the summaries (the list shows them) */
    const tl_filter *filter;
} tl_load_plan;

/* The document's events sorted by date (then document order), in the
 * arena; NULL when out of memory. */
const tl_event **tl_events_sorted(const tl_doc *doc, tl_arena *arena);
/* The first and last instants (seconds since 1970) of the events' dates
 * written with a time of day; false when none has one. */
bool tl_doc_timed_range(const tl_doc *doc, int64_t *lo, int64_t *hi);

/* tl_doc_load_file with a plan; NULL keeps everything. */
tl_status tl_doc_load_file_planned(const char *path, const tl_load_plan *plan, tl_doc **out,
                                   tl_diag *diag);

#endif
