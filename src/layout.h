/* layout.h — a chart as pure geometry: boxes, lines and texts in user units.
 *
 * Layout decides where everything goes; render only draws what it is given.
 * Text sizes come from a measuring callback so tests can lay charts out
 * without fonts, and so the real renderer shapes each label once: the
 * measurer may hand back a handle (a PangoLayout) that render draws. */
#ifndef TL_LAYOUT_H
#define TL_LAYOUT_H

#include "arena.h"
#include "model.h"
#include "scale.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum tl_layout_kind { TL_LAYOUT_AXIS, TL_LAYOUT_LANES, TL_LAYOUT_LIST } tl_layout_kind;
typedef enum tl_theme_kind { TL_THEME_LIGHT, TL_THEME_DARK, TL_THEME_PRINT } tl_theme_kind;

typedef struct tl_rgba {
    double r, g, b, a;
} tl_rgba;

typedef struct tl_font {
    double size;       /* in user units (points for PDF/SVG) */
    bool bold, italic;
    bool probe;        /* a sample measured for its size, never drawn: the
                          measurer reports nothing about its glyphs */
} tl_font;

/* What the measurer reports for a piece of text. */
typedef struct tl_textbox {
    double w, h;       /* ink-independent logical size */
    double baseline;   /* from the top of the box to the first baseline */
    int lines;
    bool ellipsized;
    bool overflow;     /* wider than its wrap: w is cut to the wrap */
    void *handle;      /* measurer's cached shaping, or NULL */
} tl_textbox;

/* Shaped texts (measurer handles) a layout holds at once for drawing, about
 * 1.5 KB each with Pango; beyond it a text keeps only its size and is
 * shaped again when drawn. */
#define TL_KEEP_SHAPED_TEXTS 16384

/* Measures `text` in `font`, wrapped at `wrap` units (0: no wrapping) and cut
 * with an ellipsis after `max_lines` lines (0: no limit). */
typedef struct tl_measurer {
    void *ctx;
    void (*measure)(void *ctx, const char *text, const tl_font *font,
                    double wrap, int max_lines, tl_textbox *out);
    void (*release)(void *ctx, void *handle);   /* may be NULL */
    /* Another reference to a handle, released on its own: one shaping
     * drawn in two places.  May be NULL; the text is then shaped again. */
    void *(*retain)(void *ctx, void *handle);
} tl_measurer;

typedef enum tl_item_kind {
    TL_ITEM_TEXT,
    TL_ITEM_LINE,
    TL_ITEM_RECT,
    TL_ITEM_MARKER,
    TL_ITEM_BREAK,
    TL_ITEM_OPEN        /* an open date's mark: see tl_item */
} tl_item_kind;

typedef enum tl_shape {
    TL_SHAPE_CIRCLE, TL_SHAPE_SQUARE, TL_SHAPE_DIAMOND, TL_SHAPE_TRIANGLE,
    TL_SHAPE_TRIANGLE_DOWN, TL_SHAPE_HEXAGON, TL_SHAPE_COUNT
} tl_shape;

/* Why an item exists: used by tests (overlap checks) and the renderer. */
typedef enum tl_role {
    TL_ROLE_TITLE, TL_ROLE_SUBTITLE, TL_ROLE_LABEL, TL_ROLE_LABEL_DATE,
    TL_ROLE_TICK_LABEL, TL_ROLE_LEGEND, TL_ROLE_SOURCE, TL_ROLE_LANE_LABEL,
    TL_ROLE_LIST_TEXT, TL_ROLE_STEM, TL_ROLE_DECOR,
    TL_ROLE_CALLOUT,    /* an unlabelled event's number, at its marker */
    TL_ROLE_KEY         /* an entry of the numbered key under the chart */
} tl_role;

/* A text item's words and how they are set.  Kept apart from the item's
 * geometry: a chart of 100,000 events has about as many marks, and few
 * texts. */
typedef struct tl_typeset {
    const char *text;
    tl_font font;
    double wrap;
    int max_lines;
    int align;          /* -1 left, 0 centre, 1 right (within w) */
    void *handle;       /* the measurer's shaping, or NULL */
    const char *url;    /* makes a PDF link */
} tl_typeset;

/* One thing to draw, in 56 bytes: colours are indices into the chart's
 * palette, a text's setting an index into its typesets.  What only texts
 * have shares its place with what only shapes have. */
typedef struct tl_item {
    uint8_t kind;       /* tl_item_kind */
    uint8_t role;       /* tl_role */
    uint8_t shape;      /* markers */
    union {
        uint8_t dash;   /* lines, rects, markers: 0 solid, 1 dashed, 2 dotted;
                           open date: 1 the end is unknown, not open */
        uint8_t clip;   /* text: clip to the box, the text overflows it */
    };
    int page;           /* 0-based; the list layout may span pages */
    int event;          /* index into the chart's events, or -1 */
    float line_width;
    double x, y, w, h;  /* box: text and rect top-left + size, marker centre
                           + diameter in w, line from (x,y) to (x+w,y+h),
                           break centre x, axis y, height h; open date:
                           the known bound at (x, y), a tail of length |w|
                           toward the unknown side (w < 0: earlier), h tall:
                           an arrow for "..", dashes without a head for an
                           end not known (dash 1) */
    uint16_t fill, stroke;  /* chart->colors[]; 0 is fully transparent */
    union {
        uint32_t typeset;   /* text: chart->typesets[] */
        float radius;       /* rect: corner radius */
    };
} tl_item;

/* Everything layout needs to know about the chart requested. */
typedef struct tl_layout_params {
    tl_layout_kind kind;
    tl_theme_kind theme;
    double width;       /* units */
    double height;      /* units; 0 = fit the content */
    bool grow;          /* no width given: the width may grow, see tl_layout_new */
    bool breaks, citations;
    bool callouts;      /* fixed size: number the unlabelled events, with a key */
    int tz;             /* zone times are shown in; TL_TZ_NONE: the doc's */
    tl_lang lang;       /* the chart's words; TL_LANG_DEFAULT: the doc's */
    char tz_abbr[8];    /* tz's abbreviation ("KST"), or "" */
    const char *title, *subtitle;   /* overrides, may be NULL */
    double font_size;   /* the labels' size in units; 0: from the width */
    const uint32_t *palette;   /* 0xRRGGBB for the lanes without their own */
    size_t npalette;           /* colour, in order; 0: the theme's */
} tl_layout_params;

typedef struct tl_chart {
    tl_arena arena;
    double width, height;   /* of one page */
    int pages;
    tl_item *items;         /* in drawing order */
    size_t nitems, cap;
    tl_typeset *typesets;   /* the text items' */
    size_t ntypesets, typesets_cap;
    tl_rgba *colors;        /* the items' palette; colors[0] is transparent */
    size_t ncolors;
    /* Page p's items are items[page_items[k]] for k in
     * [page_first[p], page_first[p + 1]), in drawing order; page_items is
     * NULL when the chart has one page, whose items are items[k]. */
    size_t *page_items, *page_first;
    tl_rgba background;
    const tl_event **events; /* sorted by date; item->event indexes these */
    size_t nevents;
    size_t unlabelled;       /* events drawn without a label (no room) */
    size_t callouts;         /* of those, identified by a number in the key */
    size_t unnamed;          /* of those, with neither label nor key entry */
    size_t clipped;          /* events outside a fixed axis (none today) */
    tl_measurer measurer;    /* a copy: callers often keep theirs on the stack */
    const char *doc_title, *doc_author, *doc_subject;  /* for metadata */
    tl_lang lang;            /* the chart's words */
    int tz;                  /* the zone its times are shown in */
    char tz_abbr[8];         /* that zone's abbreviation, or "" */
    tl_scale scale;
} tl_chart;

static inline tl_rgba tl_item_fill(const tl_chart *c, const tl_item *it)
{
    return c->colors[it->fill];
}

static inline tl_rgba tl_item_stroke(const tl_chart *c, const tl_item *it)
{
    return c->colors[it->stroke];
}

/* A text item's setting. */
static inline const tl_typeset *tl_item_typeset(const tl_chart *c, const tl_item *it)
{
    return &c->typesets[it->typeset];
}

/* Lays `doc` out.  Returns NULL when out of memory.  The chart refers to
 * the document's strings: free the chart before the document. */
tl_chart *tl_layout_new(const tl_doc *doc, const tl_layout_params *params,
                        const tl_measurer *measurer);
/* Copies into the chart the document's strings it shows, and forgets the
 * events (chart->events becomes NULL), so that the document can be freed
 * before the chart is drawn.  False when out of memory; the chart then
 * still shows the same, partly through the document's strings. */
bool tl_layout_detach(tl_chart *chart);
/* Frees the chart and releases every measurer handle it holds. */
void tl_layout_free(tl_chart *chart);

/* The Okabe–Ito palette colour for lane i (cycling), for a theme. */
tl_rgba tl_lane_color(const tl_doc *doc, int lane, tl_theme_kind theme);

#endif
