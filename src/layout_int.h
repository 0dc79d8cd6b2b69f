/* layout_int.h — what the layout files share: the context of one layout,
 * the items it adds, the occupied-interval sets and the labels.
 *
 * layout.c holds the chart's furniture (colours, items, header, legend,
 * source line, the time axis) and the entry points; place.c the label
 * machinery every layout uses; layout_axis.c, layout_lanes.c and
 * layout_list.c one layout each.  Nothing here is exported. */
#ifndef TL_LAYOUT_INT_H
#define TL_LAYOUT_INT_H

#include "layout.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAX_LEVELS_AUTO 16      /* per side, when the height fits content */

typedef struct theme {
    tl_rgba bg, text, muted, axis, grid, band, no_lane, halo;
} theme;

typedef struct ctx {
    tl_chart *c;
    const tl_doc *doc;
    const tl_layout_params *p;
    const tl_measurer *m;
    theme th;
    double fs;          /* base font size */
    double margin;
    bool failed;        /* out of memory */
    struct markset *drawn;  /* axis marks already emitted, or NULL */
    size_t shaped;          /* shaped texts held, for TL_KEEP_SHAPED_TEXTS */
    const char *source;     /* the source line, once measured ... */
    tl_textbox source_tb;   /* ... and its box, until it is placed */
    uint32_t *color_slots;  /* hash of the palette: index + 1, 0 empty */
    size_t color_cap;
    double key_line;        /* a key entry's height, once measured */
    double key_col;         /* the key's columns in ems of its type, when
                               wider than the least (0) */
} ctx;

/* A set of 64-bit keys (open addressing), for marks already drawn: with
 * thousands of events, many marks land on exactly the same spot, and
 * drawing them again changes no pixel but costs time and file size. */
typedef struct markset {
    uint64_t *keys;     /* 0 = empty */
    size_t cap, n;
} markset;

/* A set of x intervals kept sorted and merged, so "is [a, b] free?" is one
 * binary search. */
typedef struct ivset {
    double *lo, *hi;
    size_t n, cap;
} ivset;

typedef struct label {
    int ev;              /* index into chart->events */
    double anchor;       /* x of the stem / marker */
    double w, h;         /* box */
    double tw;           /* widest text line */
    tl_textbox title, date;
    const char *date_text;
    int level;           /* -1: not placed; axis: 0.. above, below encoded */
    bool right_align;
    double bx;           /* box left */
    bool over_band;      /* lanes: drawn over its own band, on a halo */
    long covers;         /* other events' stems under this label's text,
                            less the other labels over this one's stem */
    struct {             /* two ways to hang it: [0] by half, [1] chosen */
        double bx;
        bool right_align;
        long covers, net;   /* net: less the texts over its own stem */
    } side[2];
    int imp;             /* importance: the highest in its group */
    int nmore;           /* axis: events sharing this label (same date, lane) */
    uint32_t spread;     /* lanes: place in this order within an importance */
    int *more;           /* their indices into chart->events */
    tl_textbox *more_title;  /* and their titles, under the first */
    /* Axis: where the leader reaches the label (p), where the placement
     * would like it (t), and what is placed there: the label, or (callout)
     * only its number, cw x ch. */
    double p, t;
    bool callout;
    int number;          /* callout: the first number, in time order */
    double cw, ch;
} label;

/* The space between the titles of a shared label. */
#define GROUP_GAP(x) ((x)->fs * 0.3)

static inline tl_font ly_font(double size, bool bold) { return (tl_font){size, bold, false, false}; }

/* ---- layout.c: colours, marks, items, furniture ---- */
void ly_markset_free(markset *m);
bool ly_markset_add(markset *m, uint64_t key);
uint64_t ly_mark_key(uint64_t h, double v);
uint64_t ly_color_key(uint64_t h, tl_rgba c);
tl_rgba ly_mix(tl_rgba a, tl_rgba b, double t);
uint16_t ly_color_index(ctx *x, tl_rgba col);
tl_item *ly_add_item(ctx *x, tl_item_kind kind, tl_role role);
void ly_measure(ctx *x, const char *text, tl_font f, double wrap, int max_lines,
                tl_textbox *tb);
void ly_release(ctx *x, tl_textbox *tb);
tl_typeset *ly_typeset_of(ctx *x, const tl_item *it);
tl_item *ly_add_text(ctx *x, tl_role role, const char *text, tl_font f, double wrap,
                     int max_lines, tl_textbox *tb, double px, double py, tl_rgba color);
tl_item *ly_add_line(ctx *x, double x0, double y0, double x1, double y1, double lw,
                     tl_rgba color, int dash);
tl_item *ly_add_rect(ctx *x, double rx, double ry, double w, double h, tl_rgba fill,
                     tl_rgba stroke, double lw, int dash);
tl_item *ly_add_marker(ctx *x, double cx, double cy, double d, tl_shape shape,
                       tl_rgba fill, tl_rgba stroke, double lw);
/* Open dates ("before 13 Jan 2015", "after 2017"): -1 when the date is
 * open toward earlier days, 1 toward later ones, 0 when it is not open
 * (spans and dates open at both ends included). */
int ly_open_side(const tl_event *e);
/* The length of an open date's tail: the 2.5 em ly_event_bar reserves. */
#define OPEN_TAIL(x) ((x)->fs * 2.5)
/* Adds event ev's open-date mark: its bound at (bx, cy), its tail toward
 * the open side, h tall; once for marks that look alike when x->drawn is
 * set.  NULL when not added. */
tl_item *ly_add_open_mark(ctx *x, int ev, double bx, double cy, double h, tl_rgba color);
void ly_ivset_free(ivset *s);
bool ly_ivset_is_free(const ivset *s, double a, double b);
bool ly_ivset_add(ivset *s, double a, double b);
tl_span ly_event_span(const tl_event *e);
/* The zone times of day are shown in (--tz, else the document's), its
 * abbreviation when the document names it, and the chart's language. */
int ly_show_zone(const ctx *x);
const char *ly_zone_abbr(const ctx *x);
tl_lang ly_lang(const ctx *x);
/* The event's extent in fractional days, [*d0, *d1): a time of day
 * narrows its whole days to its instants. */
void ly_event_days(const tl_event *e, tl_span sp, int zone, double *d0, double *d1);
void ly_build_scale(ctx *x, double x0, double x1);
bool ly_date_is_vague(const tl_date *d);
const char *ly_date_text(ctx *x, const tl_event *e);
tl_rgba ly_lane_color(ctx *x, int lane);
tl_rgba ly_event_color(ctx *x, const tl_event *e);
tl_shape ly_event_shape(ctx *x, const tl_event *e);
tl_font ly_title_font(ctx *x, const tl_event *e);
double ly_header(ctx *x, double y);
double ly_legend(ctx *x, double y);
double ly_source_line(ctx *x, double y, bool place);
double ly_axis(ctx *x, double y, double left, double right, bool grid, double grid_top,
               size_t grid_at);

/* ---- place.c: labels ---- */
void ly_release_label(ctx *x, label *l);
void ly_measure_label(ctx *x, label *l, double max_w);
void ly_emit_label(ctx *x, label *l, double bx, double by);
bool ly_event_bar(ctx *x, const tl_event *e, double *bx0, double *bx1);
double ly_event_anchor(ctx *x, const tl_event *e);
double ly_label_max_width(ctx *x);
int ly_label_order(const label *x, const label *y, bool by_importance);
int ly_cmp_label_priority(const void *a, const void *b);
size_t ly_label_capacity(ctx *x, double room, int rows);
size_t ly_pick_candidates(ctx *x, label *ls, size_t cap, int *rest);
size_t ly_group_labels(ctx *x, label *ls, size_t n, bool same_importance);
void ly_spread_rank(label *ls, size_t n);
double ly_key_height(ctx *x, size_t n);
void ly_widen_key(ctx *x, const int *ev, size_t n, double room);
void ly_emit_key(ctx *x, const int *ev, size_t n, double y);

/* ---- one layout each ---- */
void ly_layout_axis(ctx *x);
void ly_layout_lanes(ctx *x);
void ly_layout_list(ctx *x);

#endif
