/* model.h — the loaded document: sources, lanes and events.
 *
 * Everything a document owns lives in its arena, or for the events in
 * event_block, and goes with tl_doc_free.  Positions are 1-based line and column of the YAML node they
 * came from, kept so that later stages (validation, quote checks) can point
 * at the offending text. */
#ifndef TL_MODEL_H
#define TL_MODEL_H

#include "arena.h"
#include "date.h"
#include "timeline.h"

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

typedef struct tl_citation {
    const char *ref;
    const char *quote;      /* may be NULL */
    int source;             /* index into doc->sources, set by validation */
    tl_pos pos, ref_pos, quote_pos;
} tl_citation;

/* An event: 152 bytes.  The counts and indices are narrow, as the limits
 * above allow; positions are kept only for the values validation may
 * report (a duplicate id, an undeclared lane, an end before the date). */
typedef struct tl_event {
    const char *id;
    const char *title;
    const tl_date *end;     /* a span's end, or NULL: in the arena, as most
                               events are not spans */
    const char *summary, *lane_id, *url, *note;   /* NULL when absent */
    const char **tags;
    tl_citation *cites;
    tl_date date;
    uint8_t ntags;          /* at most TL_MAX_TAGS */
    uint8_t ncites;         /* at most TL_MAX_CITES */
    int8_t importance;      /* 1..3, default 2 */
    int8_t lane;            /* index into doc->lanes, -1 none; validation */
    tl_pos id_pos, end_pos, lane_pos;
} tl_event;

_Static_assert(sizeof(tl_event) <= 152, "an event stays within 152 bytes");
_Static_assert(TL_MAX_TAGS <= UINT8_MAX && TL_MAX_CITES <= UINT8_MAX && TL_MAX_LANES <= INT8_MAX,
               "the limits fit tl_event's narrow counts");

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
    tl_pos events_pos;
};

#endif
