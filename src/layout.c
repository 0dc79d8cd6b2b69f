/* layout.c — turns a document into chart geometry.
 *
 * How labels are placed, and why they cannot overlap
 * --------------------------------------------------
 * In the axis layout every event has a marker on a horizontal time axis and
 * a label (title over date) joined to it by a vertical stem.  Labels live in
 * levels: horizontal bands stacked outward above and below the axis, tried
 * in the order above-1, below-1, above-2, below-2, ...  Each level keeps the
 * set of x intervals already taken, both by label boxes and by the stems of
 * labels further out that cross it.  A label goes into the first level where
 *   (1) its box's x interval is free in that level, and
 *   (2) its stem's x is free in every level between it and the axis,
 * and then claims both.  Levels are distinct bands in y, so two labels can
 * only meet if they share a level, which (1) forbids; a stem can only cross
 * a label in an inner level, which (2) forbids.  Labels never reach into the
 * axis band (markers, precision bands, tick labels), because level 1 begins
 * beyond it.  Labels are considered most important first, then in time
 * order; when the levels are used up (a fixed height, or thousands of
 * events) the rest keep their markers and are counted in chart->unlabelled.
 *
 * The lanes layout does the same inside each lane's row, with labels beside
 * their markers; the list layout is a single column and cannot collide.
 *
 * Everything is in user units (points for PDF and SVG, pixels for PNG).
 * Text sizes come from the measurer, so this file draws nothing.
 */
#include "layout.h"

#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TICKS 512
#define MAX_LEVELS_AUTO 16      /* per side, when the height fits content */
#define MAX_SUBROWS 12          /* per lane, so a lane stays readable */
_Static_assert(MAX_SUBROWS <= INT8_MAX, "a lane's sub-row index fits in an int8_t");

/* ---- Colours ----------------------------------------------------------- */

static tl_rgba rgb(uint32_t c, double a)
{
    return (tl_rgba){((c >> 16) & 0xff) / 255.0, ((c >> 8) & 0xff) / 255.0,
                     (c & 0xff) / 255.0, a};
}

/* Okabe & Ito, "Color Universal Design": distinguishable with the common
 * colour-vision deficiencies.  Yellow comes last: weak on white. */
static const uint32_t okabe_ito[] = {0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7,
                                     0xE69F00, 0x56B4E9, 0xF0E442};
static const uint32_t print_greys[] = {0x000000, 0x555555, 0x888888, 0x333333,
                                       0x6e6e6e, 0xa0a0a0, 0x222222};

typedef struct theme {
    tl_rgba bg, text, muted, axis, grid, band, no_lane, halo;
} theme;

static theme theme_for(tl_theme_kind k)
{
    switch (k) {
    case TL_THEME_DARK:
        return (theme){rgb(0x15191e, 1), rgb(0xf2f2f2, 1), rgb(0xa9b1ba, 1), rgb(0xc9ced4, 1),
                       rgb(0x2b3138, 1), rgb(0x8fa3b8, 0.35), rgb(0xb0b0b0, 1), rgb(0x15191e, 1)};
    case TL_THEME_PRINT:
        return (theme){rgb(0xffffff, 1), rgb(0x000000, 1), rgb(0x444444, 1), rgb(0x000000, 1),
                       rgb(0xdddddd, 1), rgb(0x000000, 0.18), rgb(0x000000, 1), rgb(0xffffff, 1)};
    default:
        return (theme){rgb(0xffffff, 1), rgb(0x1a1a1a, 1), rgb(0x5f6368, 1), rgb(0x333333, 1),
                       rgb(0xe8e8e8, 1), rgb(0x5f6368, 0.22), rgb(0x6b6b6b, 1), rgb(0xffffff, 1)};
    }
}

/* Whether some lane of the document sets palette colour k as its own. */
static bool palette_taken(const tl_doc *doc, size_t k)
{
    for (size_t j = 0; doc && j < doc->nlanes; j++)
        if (doc->lanes[j].has_color && doc->lanes[j].color == okabe_ito[k])
            return true;
    return false;
}

/* The palette colour of a lane without its own: the lanes without one take
 * the palette in order, skipping colours other lanes have chosen, so that
 * no two lanes look alike while the palette lasts. */
static size_t palette_slot(const tl_doc *doc, int lane, size_t n)
{
    if (!doc || (size_t)lane >= doc->nlanes)
        return (size_t)lane % n;
    size_t slot = 0;
    for (int j = 0;; j++) {
        if (doc->lanes[j].has_color)
            continue;
        for (size_t tries = 0; tries < n && palette_taken(doc, slot % n); tries++)
            slot++;
        if (j == lane)
            return slot % n;
        slot++;
    }
}

tl_rgba tl_lane_color(const tl_doc *doc, int lane, tl_theme_kind k)
{
    size_t n = sizeof okabe_ito / sizeof okabe_ito[0];
    if (lane < 0)
        return theme_for(k).no_lane;
    if (k == TL_THEME_PRINT)
        return rgb(print_greys[(size_t)lane % n], 1);
    if (doc && (size_t)lane < doc->nlanes && doc->lanes[lane].has_color)
        return rgb(doc->lanes[lane].color, 1);
    size_t slot = palette_slot(doc, lane, n);
    tl_rgba c = rgb(okabe_ito[slot], 1);
    if (k == TL_THEME_DARK && slot == 0)
        c = rgb(0x3f9be0, 1); /* the blue is too dark on a dark ground */
    return c;
}

/* ---- Items ------------------------------------------------------------- */

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
} ctx;

/* A set of 64-bit keys (open addressing), for marks already drawn: with
 * thousands of events, many marks land on exactly the same spot, and
 * drawing them again changes no pixel but costs time and file size. */
typedef struct markset {
    uint64_t *keys;     /* 0 = empty */
    size_t cap, n;
} markset;

static void markset_free(markset *m)
{
    if (m) {
        free(m->keys);
        free(m);
    }
}

/* Adds key; returns true when it was new (or when memory ran out, so the
 * mark is drawn anyway). */
static bool markset_add(markset *m, uint64_t key)
{
    key |= 1; /* never 0 */
    if (4 * (m->n + 1) > 3 * m->cap) { /* at most three quarters full */
        size_t cap = m->cap ? m->cap * 2 : 1024;
        uint64_t *k = calloc(cap, sizeof *k);
        if (!k)
            return true;
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i]) {
                size_t j = (size_t)(m->keys[i] * 0x9E3779B97F4A7C15u >> 20) & (cap - 1);
                while (k[j])
                    j = (j + 1) & (cap - 1);
                k[j] = m->keys[i];
            }
        free(m->keys);
        m->keys = k;
        m->cap = cap;
    }
    size_t j = (size_t)(key * 0x9E3779B97F4A7C15u >> 20) & (m->cap - 1);
    while (m->keys[j]) {
        if (m->keys[j] == key)
            return false;
        j = (j + 1) & (m->cap - 1);
    }
    m->keys[j] = key;
    m->n++;
    return true;
}

/* Mixes the parts of a mark (positions in quarter units) into a key. */
static uint64_t mark_key(uint64_t h, double v)
{
    int64_t q = (int64_t)llround(v * 4);
    h ^= (uint64_t)q + 0x9E3779B97F4A7C15u + (h << 6) + (h >> 2);
    return h * 0xFF51AFD7ED558CCDu;
}

static uint64_t color_key(uint64_t h, tl_rgba c)
{
    return mark_key(mark_key(mark_key(mark_key(h, c.r * 64), c.g * 64), c.b * 64), c.a * 64);
}

/* a blended toward b by t (0..1), opaque. */
static tl_rgba mix(tl_rgba a, tl_rgba b, double t)
{
    return (tl_rgba){a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t, 1};
}

static uint64_t color_hash(tl_rgba c)
{
    uint64_t k[4];
    _Static_assert(sizeof k == sizeof c, "tl_rgba is four doubles");
    memcpy(k, &c, sizeof k);
    return (((k[0] * 31 + k[1]) * 31 + k[2]) * 31 + k[3]) * 0x9E3779B97F4A7C15u;
}

/* The palette index of `col`, added when new.  A chart has a few dozen
 * colours; the hash keeps 100,000 lookups cheap. */
static uint16_t color_index(ctx *x, tl_rgba col)
{
    tl_chart *c = x->c;
    if (2 * (c->ncolors + 1) > x->color_cap) {
        size_t cap = x->color_cap ? x->color_cap * 2 : 64;
        uint32_t *slots = calloc(cap, sizeof *slots);
        tl_rgba *colors = realloc(c->colors, cap / 2 * sizeof *colors);
        if (colors)
            c->colors = colors;
        /* Never more than 65,536 colours: a uint16_t index.  Real charts
         * have lanes (64 at most) times a few shades. */
        if (!slots || !colors || cap / 2 > 65536) {
            free(slots);
            x->failed = true;
            return 0;
        }
        for (size_t i = 0; i < c->ncolors; i++) {
            size_t j = (size_t)(color_hash(c->colors[i]) >> 32) & (cap - 1);
            while (slots[j])
                j = (j + 1) & (cap - 1);
            slots[j] = (uint32_t)i + 1;
        }
        free(x->color_slots);
        x->color_slots = slots;
        x->color_cap = cap;
    }
    size_t j = (size_t)(color_hash(col) >> 32) & (x->color_cap - 1);
    for (; x->color_slots[j]; j = (j + 1) & (x->color_cap - 1)) {
        uint32_t i = x->color_slots[j] - 1;
        if (memcmp(&c->colors[i], &col, sizeof col) == 0)
            return (uint16_t)i;
    }
    c->colors[c->ncolors] = col;
    x->color_slots[j] = (uint32_t)++c->ncolors;
    return (uint16_t)(c->ncolors - 1);
}

/* Most items are the marks of unlabelled events: 100,000 of them fit in
 * 6.4 MB at this size. */
_Static_assert(sizeof(tl_item) <= 56, "an item stays within 56 bytes");

static tl_item *add_item(ctx *x, tl_item_kind kind, tl_role role)
{
    tl_chart *c = x->c;
    if (c->nitems == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        tl_item *v = realloc(c->items, cap * sizeof *v);
        if (!v) {
            x->failed = true;
            return NULL;
        }
        c->items = v;
        c->cap = cap;
    }
    tl_item *it = &c->items[c->nitems++];
    memset(it, 0, sizeof *it);
    it->kind = (uint8_t)kind;
    it->role = (uint8_t)role;
    it->event = -1;
    return it;
}

static void measure(ctx *x, const char *text, tl_font f, double wrap, int max_lines,
                    tl_textbox *tb)
{
    memset(tb, 0, sizeof *tb);
    x->m->measure(x->m->ctx, text, &f, wrap, max_lines, tb);
    /* Text that cannot break (one long grapheme cluster, runs of tabs) is
     * wider than its wrap.  Lay it out at the wrap and let the renderer
     * clip it, or a lane name could push the plot off the page. */
    if (wrap > 0 && tb->w > wrap + 0.5) {
        tb->w = wrap;
        tb->overflow = true;
    }
    /* Each text is shaped once and drawn from that shaping, up to a
     * budget: a list of 100,000 events would otherwise hold 400,000. */
    if (tb->handle) {
        if (x->shaped < TL_KEEP_SHAPED_TEXTS || !x->m->release) {
            x->shaped++;   /* each kept handle counted, as release() uncounts it */
        } else {
            x->m->release(x->m->ctx, tb->handle);
            tb->handle = NULL;
        }
    }
}

static void release(ctx *x, tl_textbox *tb)
{
    if (tb->handle) {
        if (x->m->release)
            x->m->release(x->m->ctx, tb->handle);
        x->shaped--;
    }
    tb->handle = NULL;
}

static tl_typeset *typeset_of(ctx *x, const tl_item *it)
{
    return &x->c->typesets[it->typeset];
}

/* Adds a measured text at (px, py) top-left; the item takes the handle. */
static tl_item *add_text(ctx *x, tl_role role, const char *text, tl_font f, double wrap,
                         int max_lines, tl_textbox *tb, double px, double py, tl_rgba color)
{
    tl_item *it = add_item(x, TL_ITEM_TEXT, role);
    if (!it) {
        release(x, tb);
        return NULL;
    }
    tl_chart *c = x->c;
    if (c->ntypesets == c->typesets_cap) {
        size_t cap = c->typesets_cap ? c->typesets_cap * 2 : 64;
        tl_typeset *v = realloc(c->typesets, cap * sizeof *v);
        if (!v) {
            c->nitems--;
            release(x, tb);
            x->failed = true;
            return NULL;
        }
        c->typesets = v;
        c->typesets_cap = cap;
    }
    it->typeset = (uint32_t)c->ntypesets;
    c->typesets[c->ntypesets++] = (tl_typeset){.text = text, .font = f, .wrap = wrap,
                                               .max_lines = max_lines, .align = -1,
                                               .handle = tb->handle};
    tb->handle = NULL;
    it->x = px;
    it->y = py;
    it->w = tb->w;
    it->h = tb->h;
    it->clip = tb->overflow;
    it->fill = color_index(x, color);
    return it;
}

static tl_item *add_line(ctx *x, double x0, double y0, double x1, double y1, double lw,
                         tl_rgba color, int dash)
{
    tl_item *it = add_item(x, TL_ITEM_LINE, TL_ROLE_DECOR);
    if (it) {
        it->x = x0;
        it->y = y0;
        it->w = x1 - x0;
        it->h = y1 - y0;
        it->line_width = (float)lw;
        it->stroke = color_index(x, color);
        it->dash = (uint8_t)dash;
    }
    return it;
}

static tl_item *add_rect(ctx *x, double rx, double ry, double w, double h, tl_rgba fill,
                         tl_rgba stroke, double lw, int dash)
{
    tl_item *it = add_item(x, TL_ITEM_RECT, TL_ROLE_DECOR);
    if (it) {
        it->x = rx;
        it->y = ry;
        it->w = w;
        it->h = h;
        it->fill = color_index(x, fill);
        it->stroke = color_index(x, stroke);
        it->line_width = (float)lw;
        it->dash = (uint8_t)dash;
    }
    return it;
}

static tl_item *add_marker(ctx *x, double cx, double cy, double d, tl_shape shape,
                           tl_rgba fill, tl_rgba stroke, double lw)
{
    tl_item *it = add_item(x, TL_ITEM_MARKER, TL_ROLE_DECOR);
    if (it) {
        it->x = cx;
        it->y = cy;
        it->w = d;
        it->h = d;
        it->shape = (uint8_t)shape;
        it->fill = color_index(x, fill);
        it->stroke = color_index(x, stroke);
        it->line_width = (float)lw;
    }
    return it;
}

static tl_font font(double size, bool bold) { return (tl_font){size, bold, false}; }

/* ---- Occupied intervals ------------------------------------------------ */

/* A set of x intervals kept sorted and merged, so "is [a, b] free?" is one
 * binary search. */
typedef struct ivset {
    double *lo, *hi;
    size_t n, cap;
} ivset;

static void ivset_free(ivset *s)
{
    free(s->lo);
    free(s->hi);
    s->lo = s->hi = NULL;
    s->n = s->cap = 0;
}

/* Index of the first interval whose hi >= a. */
static size_t ivset_find(const ivset *s, double a)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->hi[mid] < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool ivset_is_free(const ivset *s, double a, double b)
{
    size_t i = ivset_find(s, a);
    return i == s->n || s->lo[i] > b;
}

static bool ivset_add(ivset *s, double a, double b)
{
    size_t i = ivset_find(s, a);
    size_t j = i;
    while (j < s->n && s->lo[j] <= b) {
        if (s->lo[j] < a)
            a = s->lo[j];
        if (s->hi[j] > b)
            b = s->hi[j];
        j++;
    }
    /* Intervals i..j-1 merge into one. */
    if (j == i) {
        if (s->n == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 16;
            double *nl = realloc(s->lo, cap * sizeof *nl);
            if (!nl)
                return false;
            s->lo = nl;
            double *nh = realloc(s->hi, cap * sizeof *nh);
            if (!nh)
                return false;
            s->hi = nh;
            s->cap = cap;
        }
        memmove(s->lo + i + 1, s->lo + i, (s->n - i) * sizeof *s->lo);
        memmove(s->hi + i + 1, s->hi + i, (s->n - i) * sizeof *s->hi);
        s->n++;
    } else if (j > i + 1) {
        memmove(s->lo + i + 1, s->lo + j, (s->n - j) * sizeof *s->lo);
        memmove(s->hi + i + 1, s->hi + j, (s->n - j) * sizeof *s->hi);
        s->n -= j - i - 1;
    }
    s->lo[i] = a;
    s->hi[i] = b;
    return true;
}

/* ---- Events: sorting, extents, labels ---------------------------------- */

/* The finite day extent of an event: what the scale must show. */
static tl_span event_span(const tl_event *e)
{
    tl_span s;
    s.lo = e->date.earliest;
    s.hi = e->end ? e->end->latest : e->date.latest;
    if (s.lo == TL_DAY_OPEN_MIN)
        s.lo = e->date.is_range ? e->date.hi.first : e->date.latest;
    if (s.hi == TL_DAY_OPEN_MAX)
        s.hi = e->end ? e->end->lo.last : e->date.lo.last;
    if (s.hi == TL_DAY_OPEN_MAX || s.hi < s.lo)
        s.hi = s.lo;
    if (s.lo == TL_DAY_OPEN_MIN)
        s.lo = s.hi;
    return s;
}

/* The zone times of day are shown in: --tz, else the document's. */
static int show_zone(const ctx *x)
{
    return x->p->tz != TL_TZ_NONE ? x->p->tz : x->doc->tz;
}

/* The language of the chart's date words: --lang, else the document's. */
static int show_lang(const ctx *x)
{
    return x->p->lang >= 0 ? x->p->lang : x->doc->lang;
}

/* The document's named zone's abbreviation ("KST") when its zone is the
 * one shown, else "". */
static const char *zone_abbr(const ctx *x)
{
    if (x->p->tz != TL_TZ_NONE && x->p->tz_abbr[0])
        return x->p->tz_abbr;
    return x->p->tz == TL_TZ_NONE || x->p->tz == x->doc->tz ? x->doc->tz_abbr : "";
}

static bool has_time(const tl_date *d)
{
    return (!d->lo.open && d->lo.sec >= 0) || (!d->hi.open && d->hi.sec >= 0);
}

/* The event's extent in fractional days, [*d0, *d1): whole days from
 * event_span, narrowed to the instants of a time of day. */
static void event_days(const tl_event *e, tl_span sp, double *d0, double *d1)
{
    const tl_date *z = e->end ? e->end : &e->date;
    int64_t a, b;
    *d0 = (double)sp.lo;
    *d1 = (double)sp.hi + 1.0;
    tl_date_instants(&e->date, &a, &b);
    if (e->date.earliest != TL_DAY_OPEN_MIN && e->date.lo.sec >= 0)
        *d0 = (double)a / 86400;
    tl_date_instants(z, &a, &b);
    if (z->latest != TL_DAY_OPEN_MAX && z->hi.sec >= 0)
        *d1 = ((double)b + 1) / 86400;
    if (*d1 < *d0)
        *d1 = *d0;
}

/* Builds the chart's scale over the events.  A bounded date contributes its
 * two ends, not the whole stretch between: "somewhere between 2012 and
 * 2015" must not stop an empty 2013 from being compressed. */
static void build_scale(ctx *x, double x0, double x1)
{
    tl_chart *c = x->c;
    tl_span *v = malloc((2 * c->nevents + 1) * sizeof *v);
    if (!v) {
        x->failed = true;
        tl_scale_build(&c->scale, NULL, 0, x0, x1, false, 0);
        return;
    }
    size_t n = 0;
    double lo = INFINITY, hi = -INFINITY;
    bool timed = false;
    for (size_t i = 0; i < c->nevents; i++) {
        const tl_event *e = c->events[i];
        tl_span sp = event_span(e);
        double d0, d1;
        event_days(e, sp, &d0, &d1);
        lo = d0 < lo ? d0 : lo;
        hi = d1 > hi ? d1 : hi;
        timed |= has_time(&e->date) || (e->end && has_time(e->end));
        if (!e->end && e->date.is_range && !e->date.lo.open && !e->date.hi.open) {
            v[n++] = (tl_span){sp.lo, e->date.lo.last};
            v[n++] = (tl_span){e->date.hi.first, sp.hi};
        } else {
            v[n++] = sp;
        }
    }
    tl_scale_build(&c->scale, v, n, x0, x1, x->p->breaks, x->fs * 2.2);
    free(v);
    c->scale.tz = show_zone(x);
    snprintf(c->scale.tz_abbr, sizeof c->scale.tz_abbr, "%s", zone_abbr(x));
    c->scale.lang = show_lang(x);
    c->scale.timed = timed;
    /* Hours and minutes: the axis spans the times, not whole days. */
    if (timed && hi - lo < 3)
        tl_scale_fit(&c->scale, lo, hi);
}

static bool date_is_vague(const tl_date *d)
{
    return d->is_range || (d->qual & (TL_Q_APPROX | TL_Q_UNCERTAIN));
}

/* "May 2014", "Mar 2014 – May 2015", plus citation marks "  [1, 2]". */
static const char *date_text(ctx *x, const tl_event *e)
{
    char a[256], marks[64] = "";
    tl_dstyle st = {show_zone(x), zone_abbr(x), show_lang(x)};
    if (e->end)
        tl_span_label_as(&e->date, e->end, &st, a, sizeof a);
    else
        tl_date_label_as(&e->date, &st, a, sizeof a);
    if (x->p->citations && e->ncites) {
        size_t off = 0;
        int n = 0;
        for (size_t i = 0; i < e->ncites && off + 8 < sizeof marks; i++) {
            int src = e->cited[i];
            if (src < 0)
                continue;
            bool dup = false;
            for (size_t k = 0; k < i; k++)
                dup |= e->cited[k] == src;
            if (dup)
                continue;
            off += (size_t)snprintf(marks + off, sizeof marks - off, "%s%d",
                                    n++ ? "," : "  [", src + 1);
        }
        if (n)
            snprintf(marks + off, sizeof marks - off, "]");
    }
    return tl_arena_printf(&x->c->arena, "%s%s", a, marks);
}

static tl_rgba event_color(ctx *x, const tl_event *e)
{
    return tl_lane_color(x->doc, e->lane, x->p->theme);
}

static tl_shape event_shape(ctx *x, const tl_event *e)
{
    if (x->p->theme != TL_THEME_PRINT || e->lane < 0)
        return TL_SHAPE_CIRCLE;
    return (tl_shape)(e->lane % TL_SHAPE_COUNT);
}

/* The type scale of the charts: 1.55 bold (title), 1 and 1 bold (subtitle,
 * labels, lane names), 0.85 (dates, ticks, legend, sources); the list adds
 * its own.  Importance shows as weight (3: bold) and colour (1: muted), not
 * as more sizes: few sizes read as one design, and each is one more set of
 * glyph outlines in an SVG or PDF. */
static tl_font title_font(ctx *x, const tl_event *e)
{
    return font(x->fs, e->importance == 3);
}

/* ---- Header and footer ------------------------------------------------- */

static const char *chart_title(ctx *x)
{
    return x->p->title ? x->p->title : x->doc->title;
}

static const char *chart_subtitle(ctx *x)
{
    return x->p->subtitle ? x->p->subtitle : x->doc->subtitle;
}

/* Title and subtitle from y; returns the y below them. */
/* The text with a word joiner after each en dash between digits, so that a
 * range such as "2001–2015" is never broken across lines (a line may
 * otherwise break after the dash). */
static const char *keep_ranges(ctx *x, const char *text)
{
    static const char dash[] = "\xE2\x80\x93", joiner[] = "\xE2\x81\xA0";
    if (!text || !strstr(text, dash))
        return text;
    size_t n = strlen(text), extra = 0;
    for (const char *p = strstr(text, dash); p; p = strstr(p + 3, dash))
        extra += 3;
    char *out = tl_arena_alloc(&x->c->arena, n + extra + 1);
    if (!out)
        return text;
    char *o = out;
    for (const char *p = text; *p;) {
        bool range = strncmp(p, dash, 3) == 0 && p > text && p[-1] >= '0' && p[-1] <= '9' &&
                     p[3] >= '0' && p[3] <= '9';
        if (range) {
            memcpy(o, p, 3);
            memcpy(o + 3, joiner, 3);
            o += 6;
            p += 3;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

static double header(ctx *x, double y)
{
    double w = x->c->width - 2 * x->margin;
    const char *t = keep_ranges(x, chart_title(x)), *s = keep_ranges(x, chart_subtitle(x));
    tl_textbox tb;
    if (t && *t) {
        measure(x, t, font(x->fs * 1.55, true), w, 3, &tb);
        add_text(x, TL_ROLE_TITLE, t, font(x->fs * 1.55, true), w, 3, &tb, x->margin, y,
                 x->th.text);
        y += tb.h + x->fs * 0.25;
    }
    if (s && *s) {
        measure(x, s, font(x->fs, false), w, 3, &tb);
        add_text(x, TL_ROLE_SUBTITLE, s, font(x->fs, false), w, 3, &tb, x->margin, y,
                 x->th.muted);
        y += tb.h;
    }
    return y;
}

/* Which lanes have events, so the legend names only those. */
static bool lane_used(ctx *x, int lane)
{
    for (size_t i = 0; i < x->c->nevents; i++)
        if (x->c->events[i]->lane == lane)
            return true;
    return false;
}

/* A legend row of marker + lane label, wrapping; returns the y below it. */
static double legend(ctx *x, double y)
{
    double left = x->margin, right = x->c->width - x->margin;
    double d = x->fs * 0.8, gap = x->fs * 1.4;
    double px = left, row_h = 0;
    bool any = false;
    tl_font f = font(x->fs * 0.85, false);
    for (size_t i = 0; i <= x->doc->nlanes; i++) {
        int lane = i < x->doc->nlanes ? (int)i : -1;
        if (!lane_used(x, lane))
            continue;
        if (lane < 0 && !any)
            break; /* no lanes at all: no legend */
        const char *label = lane >= 0 ? x->doc->lanes[lane].label : "Other";
        tl_textbox tb;
        measure(x, label, f, (right - left) - d * 2, 2, &tb);
        double w = d + x->fs * 0.4 + tb.w;
        if (px > left && px + w > right) {
            px = left;
            y += row_h + x->fs * 0.35;
            row_h = 0;
        }
        tl_rgba c = lane >= 0 ? tl_lane_color(x->doc, lane, x->p->theme) : x->th.no_lane;
        tl_shape shape = (x->p->theme == TL_THEME_PRINT && lane >= 0)
                             ? (tl_shape)(lane % TL_SHAPE_COUNT) : TL_SHAPE_CIRCLE;
        tl_item *key = add_marker(x, px + d / 2, y + tb.baseline - d * 0.35, d, shape, c, c, 0);
        if (key)
            key->role = TL_ROLE_LEGEND;
        add_text(x, TL_ROLE_LEGEND, label, f, (right - left) - d * 2, 2, &tb,
                 px + d + x->fs * 0.4, y, x->th.text);
        px += w + gap;
        if (tb.h > row_h)
            row_h = tb.h;
        any = true;
    }
    return any ? y + row_h : y;
}

/* "Sources: [1] Author, “Title”, Publisher, 17 Mar 2015.  [2] ...", in
 * the chart's arena; NULL when out of memory. */
static char *source_text(ctx *x)
{
    size_t cap = 64;
    for (size_t i = 0; i < x->doc->nsources; i++) {
        const tl_source *s = &x->doc->sources[i];
        cap += 32 + strlen(s->title) + (s->author ? strlen(s->author) : 0) +
               (s->publisher ? strlen(s->publisher) : 0);
    }
    char *buf = tl_arena_alloc(&x->c->arena, cap);
    if (!buf) {
        x->failed = true;
        return NULL;
    }
    size_t off = (size_t)snprintf(buf, cap, "Sources: ");
    for (size_t i = 0; i < x->doc->nsources; i++) {
        const tl_source *s = &x->doc->sources[i];
        char d[64] = "";
        tl_dstyle st = {TL_TZ_NONE, NULL, show_lang(x)};
        if (s->has_date)
            tl_date_label_as(&s->date, &st, d, sizeof d);
        off += (size_t)snprintf(buf + off, cap - off, "%s[%zu] %s%s\u201c%s\u201d%s%s%s%s.",
                                i ? "   " : "", i + 1, s->author ? s->author : "",
                                s->author ? ", " : "", s->title,
                                s->publisher ? ", " : "", s->publisher ? s->publisher : "",
                                d[0] ? ", " : "", d);
        if (off >= cap)
            break;
    }
    return buf;
}

/* The source line at y (with `place`); returns its height (0 when there is
 * nothing to cite). */
static double source_line(ctx *x, double y, bool place)
{
    if (!x->p->citations || x->doc->nsources == 0)
        return 0;
    tl_font f = font(x->fs * 0.85, false);
    double w = x->c->width - 2 * x->margin;
    /* Layouts ask for its height before they place it: measure it once. */
    if (!x->source) {
        char *buf = source_text(x);
        if (!buf)
            return 0;
        measure(x, buf, f, w, 0, &x->source_tb);
        x->source = buf;
    }
    double h = x->source_tb.h;
    if (place) {
        add_text(x, TL_ROLE_SOURCE, x->source, f, w, 0, &x->source_tb, x->margin, y,
                 x->th.muted);   /* the item takes the shaping */
    }
    return h;
}

/* ---- Axis and ticks ---------------------------------------------------- */

/* The scale tries several tick steps and measures their labels at each
 * ("Jul" a dozen times for the dataset), and the chosen ones are measured
 * again to draw: each distinct text is measured once, and its shaping is
 * kept for drawing. */
#define TICK_CACHE 64
typedef struct tick_ctx {
    ctx *x;
    tl_font f;
    size_t n;
    const char *text[TICK_CACHE];   /* in the chart's arena */
    tl_textbox tb[TICK_CACHE];
} tick_ctx;

/* The measured box of `text`: the cached one, or else `scratch`, which the
 * caller must release. */
static tl_textbox *tick_measure(tick_ctx *t, const char *text, tl_textbox *scratch)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->text[i], text) == 0)
            return &t->tb[i];
    const char *copy = t->n < TICK_CACHE ? tl_arena_strdup(&t->x->c->arena, text) : NULL;
    if (!copy) {
        measure(t->x, text, t->f, 0, 1, scratch);
        return scratch;
    }
    t->text[t->n] = copy;
    measure(t->x, copy, t->f, 0, 1, &t->tb[t->n]);
    return &t->tb[t->n++];
}

static double tick_width(void *p, const char *text)
{
    tick_ctx *t = p;
    tl_textbox scratch = {0};
    double w = tick_measure(t, text, &scratch)->w;
    release(t->x, &scratch);
    return w;
}

/* Moves the items from `from` to the end back to `to`, ahead of the
 * items drawn since: something placed late in the layout (the grid, whose
 * ticks are known only with the axis) can still be drawn underneath. */
static void move_items_back(ctx *x, size_t from, size_t to)
{
    tl_chart *c = x->c;
    size_t n = c->nitems - from;
    if (to >= from || n == 0)
        return;
    tl_item *tmp = malloc(n * sizeof *tmp);
    if (!tmp) {
        x->failed = true;
        return;
    }
    memcpy(tmp, c->items + from, n * sizeof *tmp);
    memmove(c->items + to + n, c->items + to, (from - to) * sizeof *tmp);
    memcpy(c->items + to, tmp, n * sizeof *tmp);
    free(tmp);
}

/* Draws the axis line, break marks, tick marks and tick labels with the
 * axis line at y; returns the height used below the line.  With `grid`, a
 * line from grid_top to the axis at each major tick, placed in the drawing
 * order at item grid_at, so that it runs behind the chart's content. */
static double axis(ctx *x, double y, double left, double right, bool grid, double grid_top,
                   size_t grid_at)
{
    tl_scale *s = &x->c->scale;
    tick_ctx tc = {.x = x, .f = font(x->fs * 0.85, false)};
    tl_tick *ticks = malloc(MAX_TICKS * sizeof *ticks);
    if (!ticks) {
        x->failed = true;
        return 0;
    }
    size_t n = tl_scale_ticks(s, tick_width, &tc, x->fs * 0.9, ticks, MAX_TICKS);
    double tick_len = x->fs * 0.35, label_h = 0;
    if (grid) {
        size_t from = x->c->nitems;
        for (size_t i = 0; i < n; i++)
            if (ticks[i].major)
                add_line(x, ticks[i].x, grid_top, ticks[i].x, y, 0.6, x->th.grid, 0);
        move_items_back(x, from, grid_at);
    }
    for (size_t i = 0; i < n; i++) {
        add_line(x, ticks[i].x, y, ticks[i].x, y + (ticks[i].major ? tick_len * 1.6 : tick_len),
                 ticks[i].major ? 0.9 : 0.6, x->th.axis, 0);
        if (!ticks[i].label[0])
            continue;
        /* The item draws from the cached shaping, shared when the
         * measurer can (a label drawn twice: "Jul" in two years), else
         * taken, and the next use shaped again. */
        tl_textbox scratch = {0}, *cached = tick_measure(&tc, ticks[i].label, &scratch);
        tl_textbox tb = *cached;
        if (cached != &scratch && cached->handle && x->m->retain)
            tb.handle = x->m->retain(x->m->ctx, cached->handle);
        else
            cached->handle = NULL;
        const char *lab = cached == &scratch ? tl_arena_strdup(&x->c->arena, ticks[i].label)
                                             : tc.text[cached - tc.tb];
        if (!lab) {
            release(x, &tb);
            x->failed = true;
            break;
        }
        double lx = ticks[i].label_x - tb.w / 2;
        if (lx < left - x->margin * 0.5)
            lx = left - x->margin * 0.5;
        if (lx + tb.w > right + x->margin * 0.5)
            lx = right + x->margin * 0.5 - tb.w;
        /* Stems to labels below the axis cross the tick labels; a halo in
         * the background colour (drawn after the stems) keeps the dates
         * legible and shows the stems passing behind them. */
        tl_rgba none = {0, 0, 0, 0};
        add_rect(x, lx - 1.5, y + tick_len * 1.8, tb.w + 3, tb.h, x->th.bg, none, 0, 0);
        add_text(x, TL_ROLE_TICK_LABEL, lab, tc.f, 0, 1, &tb, lx, y + tick_len * 1.8,
                 x->th.muted);
        if (tb.h > label_h)
            label_h = tb.h;
    }
    free(ticks);
    for (size_t i = 0; i < tc.n; i++)
        release(x, &tc.tb[i]);
    /* The axis itself, one line per segment, with break marks between. */
    for (int k = 0; k < s->nseg; k++) {
        add_line(x, s->seg[k].x0, y, s->seg[k].x1, y, 1.2, x->th.axis, 0);
        if (k + 1 < s->nseg) {
            tl_item *b = add_item(x, TL_ITEM_BREAK, TL_ROLE_DECOR);
            if (b) {
                b->x = (s->seg[k].x1 + s->seg[k + 1].x0) / 2;
                b->y = y;
                b->w = s->seg[k + 1].x0 - s->seg[k].x1;
                b->h = x->fs * 1.1;
                b->stroke = color_index(x, x->th.axis);
                b->fill = color_index(x, x->th.bg);
                b->line_width = 1.0;
            }
        }
    }
    return tick_len * 1.8 + label_h;
}

/* ---- Shared label machinery ------------------------------------------- */

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
} label;

/* The space between the titles of a shared label. */
#define GROUP_GAP(x) ((x)->fs * 0.3)

static void release_label(ctx *x, label *l)
{
    release(x, &l->title);
    release(x, &l->date);
    for (int k = 0; k < l->nmore; k++)
        release(x, &l->more_title[k]);
}

static void measure_label(ctx *x, label *l, double max_w)
{
    const tl_event *e = x->c->events[l->ev];
    measure(x, e->title, title_font(x, e), max_w, 3, &l->title);
    l->date_text = date_text(x, e);
    measure(x, l->date_text, font(x->fs * 0.85, false), max_w, 2, &l->date);
    l->tw = fmax(l->title.w, l->date.w);
    l->h = l->title.h + l->date.h;
    for (int k = 0; k < l->nmore; k++) {
        const tl_event *m = x->c->events[l->more[k]];
        measure(x, m->title, title_font(x, m), max_w, 3, &l->more_title[k]);
        l->tw = fmax(l->tw, l->more_title[k].w);
        l->h += l->more_title[k].h + GROUP_GAP(x);
    }
    l->w = l->tw;
}

/* Emits a placed label's texts, its title (or titles) and then its date,
 * with the box's top-left at (bx, by). */
static void emit_label(ctx *x, label *l, double bx, double by)
{
    double dx = bx;
    int align = -1;
    if (l->right_align) {
        dx = bx + l->w - l->date.w;
        align = 1;
    }
    double ty = by;
    for (int k = -1; k < l->nmore; k++) {
        /* The first title, then those of the events that share the label. */
        int ev = k < 0 ? l->ev : l->more[k];
        const tl_event *m = x->c->events[ev];
        tl_textbox *tb = k < 0 ? &l->title : &l->more_title[k];
        if (k >= 0)
            ty += GROUP_GAP(x); /* so that wrapped titles stay apart */
        double th = tb->h;
        tl_item *t = add_text(x, TL_ROLE_LABEL, m->title, title_font(x, m), tb->w + 0.01, 3, tb,
                              l->right_align ? bx + l->w - tb->w : bx, ty, x->th.text);
        if (t) {
            t->event = ev;
            typeset_of(x, t)->url = tl_event_url(m);
            typeset_of(x, t)->align = align;
            if (m->importance == 1)
                t->fill = color_index(x, x->th.muted);
        }
        ty += th;
    }
    tl_item *d = add_text(x, TL_ROLE_LABEL_DATE, l->date_text, font(x->fs * 0.85, false),
                          l->date.w + 0.01, 2, &l->date, dx, by + l->h - l->date.h, x->th.muted);
    if (d) {
        d->event = l->ev;
        typeset_of(x, d)->align = align;
    }
}

/* The x extent an event's precision bar or span bar covers on the axis, and
 * whether it has one: a day-precision point has none. */
static bool event_bar(ctx *x, const tl_event *e, double *bx0, double *bx1)
{
    tl_span sp = event_span(e);
    double d0, d1;
    event_days(e, sp, &d0, &d1);
    double x0 = tl_scale_x(&x->c->scale, d0), x1 = tl_scale_x(&x->c->scale, d1);
    double len = x->fs * 2.5;
    if (!e->end && e->date.earliest == TL_DAY_OPEN_MIN)
        x0 = x1 - len;
    if (!e->end && e->date.latest == TL_DAY_OPEN_MAX)
        x1 = x0 + len;
    *bx0 = x0;
    *bx1 = x1;
    return e->end != NULL || x1 - x0 > x->fs * 0.6;
}

/* The marker's x: the middle of the date's days, the known end of an open
 * date, the start of a span. */
static double event_anchor(ctx *x, const tl_event *e)
{
    tl_span sp = event_span(e);
    double d0, d1;
    event_days(e, sp, &d0, &d1);
    double x0 = tl_scale_x(&x->c->scale, d0), x1 = tl_scale_x(&x->c->scale, d1);
    if (e->end)
        return x0;
    if (e->date.earliest == TL_DAY_OPEN_MIN)
        return x1;
    if (e->date.latest == TL_DAY_OPEN_MAX)
        return x0;
    /* The middle of a long bounded date may fall in a break: a marker there
     * would claim a place on an axis that is not to scale. */
    double mid = (x0 + x1) / 2;
    const tl_scale *sc = &x->c->scale;
    for (int k = 0; k + 1 < sc->nseg; k++)
        if (mid > sc->seg[k].x1 && mid < sc->seg[k + 1].x0)
            return mid - sc->seg[k].x1 < sc->seg[k + 1].x0 - mid ? sc->seg[k].x1
                                                                  : sc->seg[k + 1].x0;
    return mid;
}

/* Draws event i: its bar in precision track `track` above the axis (spans
 * solid, month or year precision a light band, circa, uncertain, bounded and
 * open dates dashed), then its marker on the axis at y — hollow when the
 * date is vague. */
static void event_mark(ctx *x, size_t i, double y, int track)
{
    const tl_event *e = x->c->events[i];
    tl_rgba c = event_color(x, e);
    double d = x->fs * (e->importance == 3 ? 0.95 : e->importance == 1 ? 0.6 : 0.78);
    bool vague = date_is_vague(&e->date);
    double x0, x1;
    if (track >= 0 && event_bar(x, e, &x0, &x1)) {
        double ty = y - x->fs * (0.95 + 0.5 * track);
        double h = x->fs * (e->end ? 0.36 : 0.22);
        tl_rgba fill = c;
        fill.a = e->end ? 0.7 : vague ? 0.1 : 0.35;
        bool open = !e->end &&
                    (e->date.earliest == TL_DAY_OPEN_MIN || e->date.latest == TL_DAY_OPEN_MAX);
        uint64_t key = mark_key(mark_key(mark_key(mark_key(1, x0), x1), ty), h);
        key = mark_key(color_key(key, c), open * 2 + vague + (e->end ? 4 : 0));
        if (x->drawn && !markset_add(x->drawn, key))
            goto marker;
        tl_item *r = add_rect(x, x0, ty - h / 2, x1 - x0, h, open ? (tl_rgba){0, 0, 0, 0} : fill,
                              vague || open ? c : (tl_rgba){0, 0, 0, 0}, vague || open ? 0.7 : 0,
                              open ? 2 : vague ? 1 : 0);
        if (r)
            r->event = (int)i;
        /* Ticks at both ends tie the bar to the axis like an error bar.
         * Bars that meet (May, then June) share a tick: it is drawn once. */
        for (int end = 0; end < 2; end++) {
            double tx = end ? x1 : x0;
            int dash = end && open ? 2 : 0;
            uint64_t tk = mark_key(mark_key(mark_key(mark_key(3, tx), ty), h), dash);
            if (!x->drawn || markset_add(x->drawn, color_key(tk, c)))
                add_line(x, tx, ty - h, tx, ty + h, 0.7, c, dash);
        }
    }
marker:;
    double mx = event_anchor(x, e);
    uint64_t key = mark_key(mark_key(mark_key(mark_key(2, mx), y), d), event_shape(x, e));
    key = mark_key(color_key(key, c), vague);
    if (x->drawn && !markset_add(x->drawn, key))
        return;
    tl_item *m = add_marker(x, mx, y, d, event_shape(x, e),
                            vague ? x->th.bg : c, vague ? c : x->th.halo, vague ? 1.4 : 1.0);
    if (m)
        m->event = (int)i;
}

/* Assigns each event with a bar to a precision track so bars never overlap;
 * returns the number of tracks (at most max; beyond it bars share the last
 * track rather than push the labels away). */
static int assign_tracks(ctx *x, int8_t *track, int max)
{
    ivset *t = calloc((size_t)max, sizeof *t);
    if (!t) {
        x->failed = true;
        return 0;
    }
    int used = 0;
    double gap = x->fs * 0.3;
    /* A bar that looks exactly like a recent one (same extent, colour and
     * style: five events "between Nov 2014 and 13 Jan 2015" in one lane)
     * shares its track, so it is drawn once instead of stacked. */
    enum { RECENT = 64 };
    uint64_t recent_key[RECENT] = {0};
    int8_t recent_track[RECENT] = {0};
    size_t nrecent = 0;
    for (size_t i = 0; i < x->c->nevents; i++) {
        double x0, x1;
        const tl_event *e = x->c->events[i];
        track[i] = -1;
        if (!event_bar(x, e, &x0, &x1))
            continue;
        uint64_t key = mark_key(mark_key(mark_key(3, x0), x1), date_is_vague(&e->date));
        key = mark_key(color_key(key, event_color(x, e)), e->end != NULL);
        for (size_t r = 0; r < nrecent && r < RECENT && track[i] < 0; r++)
            if (recent_key[r] == key)
                track[i] = recent_track[r];
        if (track[i] >= 0)
            continue;
        int k = 0;
        while (k < max - 1 && !ivset_is_free(&t[k], x0 - gap, x1 + gap))
            k++;
        ivset_add(&t[k], x0 - gap, x1 + gap);
        track[i] = (int8_t)k;
        if (k + 1 > used)
            used = k + 1;
        recent_key[nrecent % RECENT] = key;
        recent_track[nrecent % RECENT] = (int8_t)k;
        nrecent++;
    }
    for (int k = 0; k < max; k++)
        ivset_free(&t[k]);
    free(t);
    return used;
}

/* ---- The axis layout --------------------------------------------------- */

typedef struct level_state {
    ivset taken;   /* label boxes with padding: keeps labels apart */
    ivset text;    /* label boxes as drawn: stems may pass beside them */
    ivset stems;   /* stems of outer labels crossing this level */
    double height;
} level_state;

static void level_reset(level_state *l)
{
    ivset_free(&l->taken);
    ivset_free(&l->text);
    ivset_free(&l->stems);
    l->height = 0;
}

static double label_max_width(ctx *x)
{
    double w = x->c->width * 0.3;
    double lo = x->fs * 9, hi = x->fs * 24;
    return w < lo ? lo : w > hi ? hi : w;
}

/* Chooses which side of its stem a label hangs on: in the left half of the
 * chart to the right of the stem, in the right half to the left, so that
 * each half stacks as one staircase; at the edges, whichever side fits. */
static void align_label(ctx *x, label *l, double left, double right)
{
    double a = l->anchor, off = x->fs * 0.3;
    l->right_align = a > (left + right) / 2 ? a - off - l->w >= left : a + off + l->w > right;
    l->bx = l->right_align ? a - off - l->w : a + off;
    if (l->bx < left || l->bx + l->w > right) {
        /* Wider than the room on either side: centre it under the stem. */
        l->right_align = false;
        l->bx = fmax(left, fmin(a - l->w / 2, right - l->w));
    }
}

/* Places label l in the first free level; levels alternate above (even k)
 * and below (odd k), at most na above and nb below.  Returns false when no
 * level has room. */
static bool place_axis_label(ctx *x, label *l, level_state *levels, int na, int nb,
                             double pad)
{
    double a = l->anchor, clear = x->fs * 0.12;
    double t0 = l->bx, t1 = l->bx + l->w;                  /* the text */
    double c0 = fmin(t0, a) - pad, c1 = fmax(t1, a) + pad; /* text and stem, padded */
    for (int k = 0; k < 2 * (na > nb ? na : nb); k++) {
        level_state *lv = &levels[k];
        if (k / 2 >= (k % 2 ? nb : na))
            continue;
        if (!ivset_is_free(&lv->taken, c0, c1) || !ivset_is_free(&lv->stems, t0, t1))
            continue;
        bool stem_ok = true;
        for (int j = k % 2; j < k && stem_ok; j += 2)
            stem_ok = ivset_is_free(&levels[j].text, a - clear, a + clear);
        if (!stem_ok)
            continue;
        if (!ivset_add(&lv->taken, c0, c1) || !ivset_add(&lv->text, t0, t1))
            return false;
        for (int j = k % 2; j < k; j += 2)
            if (!ivset_add(&levels[j].stems, a - clear, a + clear))
                return false;
        if (l->h > lv->height)
            lv->height = l->h;
        l->level = k;
        return true;
    }
    return false;
}

/* Labels that hang to the right of their stem go latest first, and labels
 * that hang to the left go after them, earliest first: a staircase in which
 * every outer stem passes beside, never through, the labels nearer the axis.
 * With `by_importance`, more important labels go first of all. */
static int label_order(const label *x, const label *y, bool by_importance)
{
    if (by_importance && x->level != y->level) /* level holds -importance */
        return x->level - y->level;
    if (x->right_align != y->right_align)
        return x->right_align ? 1 : -1;
    double kx = x->right_align ? x->anchor : -x->anchor;
    double ky = y->right_align ? y->anchor : -y->anchor;
    if (kx != ky)
        return kx < ky ? -1 : 1;
    return x->ev - y->ev;
}

static int cmp_label_staircase(const void *a, const void *b)
{
    return label_order(a, b, false);
}

/* A label whose text spans other events' stems has to sit outside them:
 * labels covering fewer stems go first (nearer the axis).  This is the
 * staircase within each half, and where the halves meet it sends two
 * labels that cover each other's stems to opposite sides of the axis. */
static int cmp_label_cover(const void *a, const void *b)
{
    const label *x = a, *y = b;
    if (x->covers != y->covers)
        return x->covers < y->covers ? -1 : 1;
    return label_order(a, b, false);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Index of the first value >= v in the sorted array. */
static size_t lower_bound(const double *v, size_t n, double key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Other events' stems under [t0, t1), the label's own (at a) not counted. */
static size_t stems_under(const double *anchors, size_t n, double t0, double t1, double a)
{
    size_t k = lower_bound(anchors, n, t1) - lower_bound(anchors, n, t0);
    return k > 0 && a >= t0 && a < t1 ? k - 1 : k;
}

/* Texts over the stem at a, of labels hung as side k (its own excluded). */
static long texts_over(const label *ls, size_t n, size_t self, int k, double a)
{
    long m = 0;
    for (size_t j = 0; j < n; j++)
        m += j != self && ls[j].side[k].bx <= a && a < ls[j].side[k].bx + ls[j].w;
    return m;
}

/* Works out two ways to hang each label: [0] as align_label did (by the
 * half of the chart), [1] on the side of its stem where its text covers
 * fewer other stems, when it fits on both.  Each way's `covers` counts the
 * stems under the label's text, and `net` that less the texts over its own
 * stem: labels with a low count belong nearer the axis.  Returns false
 * when out of memory. */
static bool choose_sides(ctx *x, label *ls, size_t n)
{
    double *anchors = malloc((n ? n : 1) * sizeof *anchors);
    if (!anchors)
        return false;
    for (size_t i = 0; i < n; i++)
        anchors[i] = ls[i].anchor;
    qsort(anchors, n, sizeof *anchors, cmp_double);
    double off = x->fs * 0.3, left = x->margin, right = x->c->width - x->margin;
    for (size_t i = 0; i < n; i++) {
        label *l = &ls[i];
        double a = l->anchor, lx = a - off - l->w, rx = a + off;
        l->side[0].bx = l->side[1].bx = l->bx;
        l->side[0].right_align = l->side[1].right_align = l->right_align;
        l->side[0].covers = l->side[1].covers = (long)stems_under(anchors, n, l->bx, l->bx + l->w, a);
        l->side[0].net = l->side[0].covers;
        if (lx >= left && rx + l->w <= right) {
            size_t cl = stems_under(anchors, n, lx, lx + l->w, a);
            size_t cr = stems_under(anchors, n, rx, rx + l->w, a);
            if (cl != cr) {
                l->side[1].right_align = cl < cr;
                l->side[1].bx = cl < cr ? lx : rx;
                l->side[1].covers = (long)(cl < cr ? cl : cr);
            }
        }
        l->side[1].net = l->side[1].covers;
    }
    free(anchors);
    /* Texts over each stem: quadratic, so only for charts small enough for
     * every label to have a chance; big ones keep the plain count. */
    if (n <= 4000)
        for (size_t i = 0; i < n; i++)
            for (int k = 0; k < 2; k++)
                ls[i].side[k].net = ls[i].side[k].covers - texts_over(ls, n, i, k, ls[i].anchor);
    return true;
}

/* Labels of importance `tier` or more first; each group in cover order,
 * or as a staircase. */
static int cmp_label_tiered(const void *a, const void *b, int tier, bool staircase)
{
    const label *x = a, *y = b;
    bool xi = -x->level >= tier, yi = -y->level >= tier; /* level holds -importance */
    if (xi != yi)
        return xi ? -1 : 1;
    return staircase ? label_order(a, b, false) : cmp_label_cover(a, b);
}

static int cmp_label_tier2(const void *a, const void *b)
{
    return cmp_label_tiered(a, b, 2, false);
}

static int cmp_label_tier3(const void *a, const void *b)
{
    return cmp_label_tiered(a, b, 3, false);
}

static int cmp_label_tier3_staircase(const void *a, const void *b)
{
    return cmp_label_tiered(a, b, 3, true);
}

static int cmp_label_priority(const void *a, const void *b)
{
    const label *x = a, *y = b;
    if (x->level != y->level) /* level holds -importance */
        return x->level - y->level;
    if (x->covers != y->covers)
        return x->covers < y->covers ? -1 : 1;
    return label_order(a, b, false);
}

/* Lays out labels with up to na levels above and nb below.  Returns the
 * number placed; fills levels.  labels must have level = -importance on
 * entry. */
static size_t assign_levels(ctx *x, label *ls, size_t n, level_state *levels, int na, int nb)
{
    double pad = x->fs * 0.45;
    size_t placed = 0;
    for (int k = 0; k < 2 * MAX_LEVELS_AUTO; k++)
        level_reset(&levels[k]);
    for (size_t i = 0; i < n; i++) {
        if (place_axis_label(x, &ls[i], levels, na, nb, pad))
            placed++;
        else
            ls[i].level = -1;
    }
    return placed;
}

/* At most how many labels `rows` rows `room` wide could hold: none is
 * narrower than six ems (a short title and its date). */
static size_t label_capacity(ctx *x, double room, int rows)
{
    double n = room / (x->fs * 6.0) * rows;
    return n >= 1 ? (size_t)n : 0;
}

/* With far more events than levels can hold, shaping every title would be
 * most of the work for labels that can never be placed.  No level holds
 * more labels than fit side by side at their narrowest (a title and its
 * date are six ems wide or more), so beyond that capacity only candidates
 * are kept: the most important first, each importance sampled evenly over
 * time.  Fills ls[].ev with the candidates (at most cap) and returns their
 * count.  Unless `rest` is NULL, it receives the other events, the most
 * important first and each importance in date order: the lanes layout
 * places and draws their marks after the labels. */
static size_t pick_candidates(ctx *x, label *ls, size_t cap, int *rest)
{
    size_t n = x->c->nevents;
    if (n <= cap) {
        for (size_t i = 0; i < n; i++)
            ls[i].ev = (int)i;
        return n;
    }
    size_t count[4] = {0}, take[4] = {0};
    for (size_t i = 0; i < n; i++)
        count[x->c->events[i]->importance & 3]++;
    size_t left = cap;
    for (int imp = 3; imp >= 0; imp--) {
        take[imp] = count[imp] < left ? count[imp] : left;
        left -= take[imp];
    }
    /* Events are in date order: the j-th of an importance is taken when
     * it crosses the next multiple of count/take, an even sample. */
    size_t seen[4] = {0}, got[4] = {0}, nc = 0;
    size_t at[4]; /* where each importance's share of `rest` starts */
    at[3] = 0;
    for (int imp = 2; imp >= 0; imp--)
        at[imp] = at[imp + 1] + (count[imp + 1] - take[imp + 1]);
    for (size_t i = 0; i < n; i++) {
        int imp = x->c->events[i]->importance & 3;
        size_t j = seen[imp]++;
        bool pick = take[imp] && got[imp] < take[imp] &&
                    (j * take[imp]) / count[imp] >= got[imp];
        if (pick) {
            got[imp]++;
            ls[nc++].ev = (int)i;
        } else if (rest) {
            rest[at[imp]++] = (int)i;
        }
    }
    return nc;
}

/* Events of one lane on the same written date (five reactions "between Nov
 * 2014 and 13 Jan 2015") share one label: their titles one under the
 * other, the date once, one stem.  Stacking them as separate labels would
 * spend a level on each and repeat the date.  Members leave ls[0, n) for
 * its end; returns how many left. */
#define MAX_GROUP 6
static size_t group_labels(ctx *x, label *ls, size_t n)
{
    tl_chart *c = x->c;
    size_t out = 0;
    bool *taken = calloc(n ? n : 1, sizeof *taken);
    if (!taken)
        return 0;
    /* ls[i].ev == i here: all events are candidates, in date order, so
     * equal dates are neighbours. */
    for (size_t i = 0; i < n; i++) {
        const tl_event *e = c->events[i];
        if (taken[i] || e->end)
            continue;
        const char *dt = date_text(x, e);
        int more[MAX_GROUP - 1], nmore = 0;
        for (size_t j = i + 1; j < n && nmore < MAX_GROUP - 1; j++) {
            const tl_event *m = c->events[j];
            if (m->date.earliest != e->date.earliest || m->date.latest != e->date.latest)
                break;
            if (!taken[j] && !m->end && m->lane == e->lane &&
                strcmp(date_text(x, m), dt) == 0)
                more[nmore++] = (int)j;
        }
        if (!nmore)
            continue;
        ls[i].more = tl_arena_array(&c->arena, (size_t)nmore, sizeof *ls[i].more);
        ls[i].more_title = tl_arena_array(&c->arena, (size_t)nmore, sizeof *ls[i].more_title);
        if (!ls[i].more || !ls[i].more_title) {
            x->failed = true;
            break;
        }
        for (int k = 0; k < nmore; k++) {
            ls[i].more[k] = more[k];
            taken[more[k]] = true;
            if (c->events[more[k]]->importance > ls[i].imp)
                ls[i].imp = c->events[more[k]]->importance;
        }
        ls[i].nmore = nmore;
    }
    /* Keep the labels in order, the members after them. */
    size_t keep = 0;
    label *tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (!tmp) {
        free(taken);
        x->failed = true;
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        if (!taken[i])
            tmp[keep++] = ls[i];
    for (size_t i = 0; i < n; i++)
        if (taken[i]) {
            tmp[keep + out] = ls[i];
            tmp[keep + out].level = -1;
            out++;
        }
    memcpy(ls, tmp, n * sizeof *ls);
    free(tmp);
    free(taken);
    return out;
}

static void layout_axis(ctx *x)
{
    tl_chart *c = x->c;
    double left = x->margin, right = c->width - x->margin;
    double y = header(x, x->margin);
    y += x->fs * 0.9;
    y = legend(x, y);
    y += x->fs * 1.2;
    double top = y;
    size_t body = c->nitems;   /* items from here on are the chart's body */

    /* Label entries only for candidates: 100,000 events need not carry
     * 100,000 of them. */
    int max_levels = MAX_LEVELS_AUTO;
    size_t cap = label_capacity(x, right - left, 2 * max_levels);
    size_t nls = c->nevents < cap ? c->nevents : cap;
    label *ls = calloc(nls ? nls : 1, sizeof *ls);
    level_state *levels = calloc(2 * (size_t)max_levels, sizeof *levels);
    if (!ls || !levels) {
        x->failed = true;
        goto done;
    }
    /* Scale over the events' extents. */
    double open_pad = x->fs * 3; /* room for open-ended bars */
    build_scale(x, left + open_pad * 0.5, right - open_pad * 0.5);

    /* Measure labels, then order them for placement.  Only candidates are
     * measured: ls[0, ncand) ; the rest stay unlabelled. */
    double max_w = label_max_width(x);
    size_t ncand = pick_candidates(x, ls, cap, NULL);
    nls = ncand;
    for (size_t i = 0; i < nls; i++)
        ls[i].imp = c->events[ls[i].ev]->importance;
    size_t grouped = ncand == c->nevents ? group_labels(x, ls, ncand) : 0;
    ncand -= grouped;
    for (size_t i = 0; i < ncand; i++) {
        ls[i].level = -ls[i].imp;
        ls[i].anchor = event_anchor(x, c->events[ls[i].ev]);
        measure_label(x, &ls[i], max_w);
        align_label(x, &ls[i], left, right);
    }
    for (size_t i = ncand; i < nls; i++)
        ls[i].level = -1;
    if (!choose_sides(x, ls, ncand)) {
        x->failed = true;
        goto done;
    }
    /* Precision tracks sit between the axis line and the first level. */
    int8_t *track = malloc((c->nevents ? c->nevents : 1) * sizeof *track);
    if (!track) {
        x->failed = true;
        goto done;
    }
    int ntracks = assign_tracks(x, track, 8);
    double axis_band = x->fs * (0.7 + 0.5 * ntracks);   /* above the line */
    double below_band = x->fs * 0.6;                    /* markers below it */

    /* With a fixed height, use fewer levels until everything fits. */
    double src_h = source_line(x, 0, false);
    double tick_zone = x->fs * 2.0;
    int na = max_levels, nb = max_levels;   /* levels above, below */
    size_t placed = 0;
    double gap = x->fs * 0.6;
    for (;;) {
        /* Geometric orders place the most labels.  When none places them
         * all, importance decides who keeps one: the tiered orders place
         * the important labels first, then fill the holes; the best of
         * them is kept, unless a purely geometric order labels a third
         * more events (never in a fixed height, where the reader was
         * promised the important ones).  Each try is a way to hang the
         * labels and an order; the chosen one is laid out again. */
        static const struct {
            int side;
            bool net, ranked;
            int (*order)(const void *, const void *);
        } tries[] = {{1, false, false, cmp_label_cover}, {1, true, false, cmp_label_cover},
                     {0, false, false, cmp_label_cover}, {0, true, false, cmp_label_cover},
                     {1, false, false, cmp_label_staircase},
                     {0, false, false, cmp_label_staircase},
                     {1, true, true, cmp_label_tier2}, {1, true, true, cmp_label_tier3},
                     {1, false, true, cmp_label_tier3_staircase},
                     {1, true, true, cmp_label_priority}};
        const int ntries = sizeof tries / sizeof tries[0];
        size_t best_all = 0, best_ranked = 0;
        uint64_t best_score = 0;
        int all_try = 0, ranked_try = ntries - 1, chosen = -1;
        for (int t = 0; t <= ntries; t++) {
            int k = t < ntries ? t : chosen;
            for (size_t i = 0; i < ncand; i++) {
                label *l = &ls[i];
                l->level = -l->imp;
                l->bx = l->side[tries[k].side].bx;
                l->right_align = l->side[tries[k].side].right_align;
                l->covers = tries[k].net ? l->side[tries[k].side].net
                                         : l->side[tries[k].side].covers;
            }
            qsort(ls, ncand, sizeof *ls, tries[k].order);
            placed = assign_levels(x, ls, ncand, levels, na, nb);
            if (placed == ncand || t == ntries)
                break;
            if (tries[t].ranked) {
                /* Ranked tries compare by labelled events of importance 3,
                 * then 2, then all. */
                size_t by_imp[4] = {0};
                for (size_t i = 0; i < ncand; i++)
                    if (ls[i].level >= 0)
                        by_imp[ls[i].imp & 3] += 1 + (size_t)ls[i].nmore;
                uint64_t score =
                    ((uint64_t)by_imp[3] << 42) | ((uint64_t)by_imp[2] << 21) | placed;
                if (score > best_score) {
                    best_score = score;
                    best_ranked = placed;
                    ranked_try = t;
                }
            } else if (placed > best_all) {
                best_all = placed;
                all_try = t;
            }
            if (t == ntries - 1) {
                bool ranked = x->p->height > 0 || 4 * best_ranked >= 3 * best_all;
                chosen = ranked ? ranked_try : all_try;
                if (chosen == t)
                    break;  /* the last try is the one: already laid out */
            }
        }
        if (x->p->height <= 0 || (na == 1 && nb == 1))
            break;
        double need = top, h_above = 0, h_below = 0;
        for (int k = 0; k < 2 * max_levels; k++)
            if (levels[k].height > 0)
                *(k % 2 ? &h_below : &h_above) += levels[k].height + gap;
        need += h_above + h_below + axis_band + below_band + tick_zone + x->fs + src_h +
                x->margin;
        if (need <= x->p->height)
            break;
        /* One level fewer on the side that has more, so the other keeps
         * its labels; on a tie, on the taller side. */
        int used_a = 0, used_b = 0;
        for (int k = 0; k < 2 * max_levels; k++)
            if (levels[k].height > 0)
                *(k % 2 ? &used_b : &used_a) = k / 2 + 1;
        na = used_a < na ? (used_a > 1 ? used_a : 1) : na;
        nb = used_b < nb ? (used_b > 1 ? used_b : 1) : nb;
        if (nb > 1 && (na == 1 || nb > na || (nb == na && h_below > h_above)))
            nb--;
        else
            na--;
    }

    /* Stack the levels outward from the axis. */
    double above = 0, below = 0;
    double level_y[2 * MAX_LEVELS_AUTO];
    for (int k = 0; k < 2 * max_levels; k++) {
        if (k % 2 == 0) {
            if (levels[k].height > 0)
                above += gap + levels[k].height;
            level_y[k] = above; /* distance from the band edge to the box top */
        } else {
            level_y[k] = below + gap; /* distance to the box top */
            if (levels[k].height > 0)
                below += gap + levels[k].height;
        }
    }
    double axis_y = top + above + axis_band;
    double below_top = axis_y + below_band + tick_zone;

    /* Stems and labels. */
    size_t labelled = 0;
    for (size_t i = 0; i < nls; i++) {
        label *l = &ls[i];
        if (l->level < 0) {
            release_label(x, l);
            continue;
        }
        const tl_event *e = c->events[l->ev];
        tl_rgba col = event_color(x, e);
        double by;
        tl_item *stem;
        if (l->level % 2 == 0) {
            by = axis_y - axis_band - level_y[l->level];
            stem = add_line(x, l->anchor, axis_y, l->anchor, by, 0.8, col, 0);
        } else {
            by = below_top + level_y[l->level];
            stem = add_line(x, l->anchor, axis_y, l->anchor, by + l->h, 0.8, col, 0);
        }
        if (stem) {
            stem->role = TL_ROLE_STEM;
            stem->event = l->ev;
        }
        emit_label(x, l, l->bx, by);
        labelled += 1 + (size_t)l->nmore;
    }
    c->unlabelled = c->nevents - labelled;

    /* Axis, then markers on top of stems. */
    double axis_h = axis(x, axis_y, left, right, false, top, 0);
    (void)axis_h;
    x->drawn = calloc(1, sizeof *x->drawn);
    for (size_t i = 0; i < c->nevents; i++)
        event_mark(x, i, axis_y, track[i]);
    markset_free(x->drawn);
    x->drawn = NULL;
    free(track);
    y = below_top + below + x->fs * 1.2;
    if (x->p->height > 0) {
        /* A fixed page with room to spare: the chart in the middle of the
         * space between the legend and the source line, which goes to the
         * foot of the page, as on a slide. */
        double slack = x->p->height - (y + src_h + x->margin);
        if (slack > 0) {
            for (size_t k = body; k < c->nitems; k++)
                c->items[k].y += slack / 2;
            y += slack;
        }
    }
    double sh = source_line(x, y, true);
    c->height = y + sh + x->margin;
    if (x->p->height > 0)
        c->height = x->p->height;
done:
    if (levels)
        for (int k = 0; k < 2 * max_levels; k++)
            level_reset(&levels[k]);
    free(levels);
    free(ls);
}

/* ---- The lanes layout -------------------------------------------------- */

/* When the candidates are a sample of a dense chart, placing them in date
 * order gives the sub-rows to the earliest: a column of labels at the
 * start and none later.  Within each importance they are placed in
 * van der Corput order instead, the middle one first, then the quarters,
 * the eighths: wherever the room runs out, the labels placed so far are
 * spread over the years.  Sets ls[].spread; ls is in date order. */
static void spread_order(ctx *x, label *ls, size_t n)
{
    size_t count[4] = {0};
    for (size_t i = 0; i < n; i++)
        count[x->c->events[ls[i].ev]->importance & 3]++;
    int bits[4];
    for (int k = 0; k < 4; k++)
        for (bits[k] = 0; ((size_t)1 << bits[k]) < count[k] && bits[k] < 31; bits[k]++)
            ;
    size_t seen[4] = {0};
    for (size_t i = 0; i < n; i++) {
        int k = x->c->events[ls[i].ev]->importance & 3;
        uint32_t j = (uint32_t)seen[k]++, r = 0;
        for (int b = 0; b < bits[k]; b++)
            r |= ((j >> b) & 1u) << (bits[k] - 1 - b);
        ls[i].spread = r;
    }
}

static int cmp_label_spread(const void *a, const void *b)
{
    const label *x = a, *y = b;
    if (x->level != y->level) /* level holds -importance */
        return x->level - y->level;
    if (x->spread != y->spread)
        return x->spread < y->spread ? -1 : 1;
    return x->ev - y->ev;
}

/* The lanes layout's placement with at most `allowed` sub-rows a lane:
 * each event's label and mark go in the first sub-row of its lane with
 * room; an event whose label finds none keeps its mark alone, and one
 * whose mark finds none goes to an overflow sub-row of bare marks at the
 * bottom of the lane.  The labels (ls, in order of priority) come first,
 * then the events that have none (rest): in a dense lane, their marks
 * would otherwise fill every sub-row before the labels came.  Fills
 * row_subs (overflow included) and mark_sub; returns the number of labels
 * placed. */
typedef struct lane_rows {
    ivset *sub;          /* nrows * allowed interval sets */
    size_t nrows;
    int allowed;
    int *row_subs;       /* per row: sub-rows used */
    bool *overflow;      /* per row: has an overflow sub-row */
    int8_t *mark_sub;    /* per event: its sub-row, or -1 for overflow */
    label *ls;           /* the candidates for a label ... */
    size_t nls;
    const int *rest;     /* ... and the other events */
    size_t nrest;
} lane_rows;

static size_t place_lanes(ctx *x, lane_rows *lr, double pl, double pr)
{
    tl_chart *c = x->c;
    double pad = x->fs * 0.5, off = x->fs * 0.55;
    size_t nrows = lr->nrows;
    int max_subs = lr->allowed;
    int *row_subs = lr->row_subs;
    int8_t *mark_sub = lr->mark_sub;
    bool *overflow = lr->overflow;
    for (size_t k = 0; k < nrows * (size_t)max_subs; k++)
        ivset_free(&lr->sub[k]);
    memset(row_subs, 0, nrows * sizeof *row_subs);
    memset(overflow, 0, nrows * sizeof *overflow);
    ivset *sub = lr->sub;
    size_t placed = 0;
    for (size_t i = 0; i < lr->nls + lr->nrest; i++) {
        label bare = {0};
        label *l = i < lr->nls ? &lr->ls[i] : NULL;
        int ev = l ? l->ev : lr->rest[i - lr->nls];
        if (!l) {
            bare.ev = ev;   /* no label: w stays 0 */
            l = &bare;
        }
        const tl_event *e = c->events[ev];
        size_t row = e->lane >= 0 ? (size_t)e->lane : nrows - 1;
        /* The label goes beside everything drawn for the event: marker,
         * precision band or span bar. */
        double bx0, bx1, mx = event_anchor(x, e), r = x->fs * 0.5;
        bool candidate = l->w > 0;
        if (!event_bar(x, e, &bx0, &bx1))
            bx0 = bx1 = mx;
        double mark_l = fmin(bx0, mx - r), mark_r = fmax(bx1, mx + r);
        l->anchor = mx;
        l->right_align = false;
        l->over_band = false;
        if (mark_r + off + l->w <= pr) {
            l->bx = mark_r + off;
        } else if (mark_l - off - l->w >= pl) {
            l->bx = mark_l - off - l->w;
            l->right_align = true;
        } else if (mx + r + off + l->w <= pr) {
            /* A band as wide as the chart: beside the marker, over the band
             * (on a halo, so the band passes behind the text). */
            l->bx = mark_r = mx + r + off;
            l->over_band = true;
        } else {
            l->bx = fmax(pl, mx - r - off - l->w);
            l->right_align = true;
            l->over_band = true;
            mark_l = mx - r;
        }
        double a = fmin(l->bx, mark_l) - pad, b = fmax(l->bx + l->w, mark_r) + pad;
        l->level = -1;
        l->over_band = l->over_band && candidate;
        mark_sub[l->ev] = -1;
        /* With its label if it fits in some sub-row; else the mark alone in
         * a gap of a sub-row that labels opened, so no label is drawn over
         * it; else the overflow sub-row of bare marks at the bottom of the
         * lane.  A bare mark never opens a sub-row: one a label tall for a
         * marker alone would stretch the lane and say nothing. */
        for (int pass = candidate ? 0 : 1; pass < 2 && mark_sub[l->ev] < 0; pass++) {
            int subs = max_subs;
            if (pass == 1) {
                a = mark_l - pad * 0.5;
                b = mark_r + pad * 0.5;
                subs = row_subs[row];
            }
            for (int s = 0; s < subs; s++) {
                ivset *set = &sub[row * (size_t)max_subs + (size_t)s];
                if (!ivset_is_free(set, a, b))
                    continue;
                if (!ivset_add(set, a, b)) {
                    x->failed = true;
                    break;
                }
                mark_sub[l->ev] = (int8_t)s;
                if (s + 1 > row_subs[row])
                    row_subs[row] = s + 1;
                if (pass == 0) {
                    l->level = s;
                    placed++;
                }
                break;
            }
        }
        if (mark_sub[l->ev] < 0)
            overflow[row] = true;
    }
    for (size_t r = 0; r < nrows; r++)
        if (overflow[r])
            row_subs[r]++;
    return placed;
}

/* A lane's height: its sub-rows of labels, then its overflow sub-row of
 * bare marks (only a marker tall), and never less than its name. */
static double lane_height(const lane_rows *lr, size_t r, double sub_h, double mark_h,
                          double gap, double name_h)
{
    int subs = lr->row_subs[r] ? lr->row_subs[r] : 1;
    double h = lr->overflow[r] ? (subs - 1) * (sub_h + gap) + mark_h + gap
                               : subs * (sub_h + gap);
    return fmax(h + gap, name_h + 2 * gap);
}

static void layout_lanes(ctx *x)
{
    tl_chart *c = x->c;
    double left = x->margin, right = c->width - x->margin;
    double y = header(x, x->margin) + x->fs * 1.2;
    size_t nrows = x->doc->nlanes + 1;
    ivset *sub = NULL;
    int *row_subs = calloc(nrows, sizeof *row_subs);
    label *ls = NULL;  /* the candidates for a label */
    int *rest = NULL;  /* the other events */
    int8_t *mark_sub = malloc((c->nevents ? c->nevents : 1) * sizeof *mark_sub);
    bool *overflow = calloc(nrows, sizeof *overflow);
    if (!row_subs || !mark_sub || !overflow) {
        x->failed = true;
        goto done;
    }

    /* Gutter for lane names. */
    tl_font lf = font(x->fs, true);
    double gutter = 0, gmax = (right - left) * 0.22;
    for (size_t r = 0; r < nrows; r++) {
        const char *name = r < x->doc->nlanes ? x->doc->lanes[r].label : "Other";
        tl_textbox tb;
        measure(x, name, lf, gmax, 3, &tb);
        release(x, &tb);
        if (tb.w > gutter)
            gutter = tb.w;
    }
    gutter += x->fs * 1.2;
    double pl = left + gutter, pr = right;
    build_scale(x, pl + x->fs * 3, pr - x->fs * 1.5);

    /* Each event: marker (or bar) with its label to the right, or to the
     * left when it would leave the page.  Sub-rows within a lane keep
     * labels apart, by the same interval sets as the axis layout. */
    double max_w = fmin(label_max_width(x) * 1.3, (pr - pl) * 0.45);
    int max_subs = MAX_SUBROWS;
    sub = calloc(nrows * (size_t)max_subs, sizeof *sub);
    if (!sub) {
        x->failed = true;
        goto done;
    }
    double row_gap = x->fs * 0.5;
    /* Label entries for candidates only, as in the axis layout: the other
     * events keep their mark, and need only their index. */
    size_t cap = label_capacity(x, pr - pl, max_subs * (int)nrows);
    size_t nls = c->nevents < cap ? c->nevents : cap;
    ls = calloc(nls ? nls : 1, sizeof *ls);
    rest = malloc((c->nevents - nls ? c->nevents - nls : 1) * sizeof *rest);
    if (!ls || !rest) {
        x->failed = true;
        goto done;
    }
    size_t ncand = pick_candidates(x, ls, cap, rest);
    double sub_h = x->fs;
    for (size_t i = 0; i < ncand; i++) {
        label *l = &ls[i];
        l->level = -c->events[l->ev]->importance;
        measure_label(x, l, max_w);
        if (l->h > sub_h)
            sub_h = l->h;
    }
    if (ncand < c->nevents) {
        spread_order(x, ls, ncand);
        qsort(ls, ncand, sizeof *ls, cmp_label_spread);
    } else {
        qsort(ls, ncand, sizeof *ls, cmp_label_priority);
    }

    /* Lane name heights: a lane is never shorter than its name. */
    double name_h[TL_MAX_LANES + 1];
    for (size_t r = 0; r < nrows; r++) {
        const char *name = r < x->doc->nlanes ? x->doc->lanes[r].label : "Other";
        tl_textbox tb;
        measure(x, name, lf, gutter - x->fs * 1.2, 3, &tb);
        release(x, &tb);
        name_h[r] = tb.h;
    }

    /* With a fixed height, fewer sub-rows a lane until the rows fit; at
     * the last, none: marks only. */
    double mark_h = x->fs * 1.2, row_h[TL_MAX_LANES + 1];
    /* When only a sample can be labelled, the lanes together get as many
     * label rows as the axis layout has levels, shared out among the lanes
     * in use: twelve a lane would make a poster five times as tall as it
     * is wide, of rows few readers would scan. */
    int allowed = max_subs;
    if (ncand < c->nevents && x->p->height <= 0) {
        bool used[TL_MAX_LANES + 1] = {false};
        int nused = 0;
        for (size_t i = 0; i < c->nevents; i++) {
            int r = c->events[i]->lane >= 0 ? c->events[i]->lane : (int)nrows - 1;
            nused += !used[r];
            used[r] = true;
        }
        allowed = 2 * MAX_LEVELS_AUTO / (nused ? nused : 1);
        allowed = allowed < 2 ? 2 : allowed > max_subs ? max_subs : allowed;
    }
    lane_rows lr = {sub, nrows, allowed, row_subs, overflow, mark_sub,
                    ls, ncand, rest, c->nevents - ncand};
    size_t placed;
    double src_h = source_line(x, 0, false);
    for (;;) {
        placed = place_lanes(x, &lr, pl, pr);
        /* Each lane's sub-rows are as tall as its tallest placed label. */
        for (size_t r = 0; r < nrows; r++)
            row_h[r] = mark_h;
        for (size_t i = 0; i < ncand; i++) {
            const tl_event *e = c->events[ls[i].ev];
            size_t r = e->lane >= 0 ? (size_t)e->lane : nrows - 1;
            if (ls[i].level >= 0 && ls[i].h > row_h[r])
                row_h[r] = ls[i].h;
        }
        if (x->p->height <= 0 || lr.allowed == 0 || x->failed)
            break;
        double need = y + x->fs * 0.5;
        for (size_t r = 0; r < nrows; r++)
            if (r + 1 < nrows || row_subs[r] > 0)
                need += lane_height(&lr, r, row_h[r], mark_h, row_gap, name_h[r]);
        need += x->fs * 0.3 + x->fs * 2.2 + x->fs * 1.2 + src_h + x->margin;
        if (need <= x->p->height)
            break;
        lr.allowed--;
    }

    /* Rows, top to bottom. */
    double row_top[TL_MAX_LANES + 1];
    double yy = y + x->fs * 0.5;
    double grid_top = yy;
    for (size_t r = 0; r < nrows; r++) {
        bool used = r + 1 < nrows || row_subs[r] > 0;
        row_top[r] = yy;
        if (!used)
            continue;
        double h = lane_height(&lr, r, row_h[r], mark_h, row_gap, name_h[r]);
        const char *name = r < x->doc->nlanes ? x->doc->lanes[r].label : "Other";
        tl_textbox tb;
        measure(x, name, lf, gutter - x->fs * 1.2, 3, &tb);
        tl_rgba lc = r < x->doc->nlanes ? tl_lane_color(x->doc, (int)r, x->p->theme)
                                        : x->th.no_lane;
        if (r % 2 == 0) {
            tl_rgba band = x->th.grid;
            band.a = 0.45;
            add_rect(x, left, yy, right - left, h, band, (tl_rgba){0, 0, 0, 0}, 0, 0);
        }
        add_rect(x, left, yy, x->fs * 0.3, h, lc, (tl_rgba){0, 0, 0, 0}, 0, 0);
        add_text(x, TL_ROLE_LANE_LABEL, name, lf, gutter - x->fs * 1.2, 3, &tb,
                 left + x->fs * 0.6, yy + row_gap, x->th.text);
        yy += h;
    }
    size_t grid_at = x->c->nitems; /* the grid goes over the bands, under the rest */
    double axis_y = yy + x->fs * 0.3;
    /* Marks are drawn once however many events share them: a lane's
     * overflow row of thousands of events repeats the same few. */
    x->drawn = calloc(1, sizeof *x->drawn);
    for (size_t i = 0; i < c->nevents; i++) {
        label *l = i < ncand ? &ls[i] : NULL;  /* NULL: a mark alone */
        int ev = l ? l->ev : rest[i - ncand];
        const tl_event *e = c->events[ev];
        size_t row = e->lane >= 0 ? (size_t)e->lane : nrows - 1;
        int s = mark_sub[ev] >= 0 ? mark_sub[ev] : row_subs[row] - 1;
        double cy = row_top[row] + row_gap + s * (row_h[row] + row_gap) +
                    (overflow[row] && s == row_subs[row] - 1 ? mark_h : row_h[row]) / 2;
        tl_span sp = event_span(e);
        double d0, d1;
        event_days(e, sp, &d0, &d1);
        double x0 = tl_scale_x(&c->scale, d0), x1 = tl_scale_x(&c->scale, d1);
        tl_rgba col = event_color(x, e);
        bool vague = date_is_vague(&e->date);
        double d = x->fs * (e->importance == 3 ? 0.95 : 0.78);
        uint64_t key = mark_key(mark_key(mark_key(mark_key(3, x0), x1), cy), d);
        key = mark_key(color_key(key, col), vague + (e->end ? 2 : 0) +
                                                 event_shape(x, e) * 4);
        bool fresh = !x->drawn || markset_add(x->drawn, key);
        if (fresh && e->end) {
            tl_rgba f = col;
            f.a = 0.85;
            tl_item *bar = add_rect(x, x0, cy - x->fs * 0.45, fmax(x1 - x0, x->fs),
                                    x->fs * 0.9, f, col, 0.8, vague ? 1 : 0);
            if (bar)
                bar->radius = (float)(x->fs * 0.2);
        } else if (fresh) {
            if (x1 - x0 > x->fs * 0.6) {
                tl_rgba f = col;
                f.a = vague ? 0.12 : 0.25;
                add_rect(x, x0, cy - x->fs * 0.3, x1 - x0, x->fs * 0.6, f,
                         vague ? col : (tl_rgba){0, 0, 0, 0}, vague ? 0.8 : 0, vague ? 1 : 0);
            }
            tl_item *mk = add_marker(x, (x0 + x1) / 2, cy, d, event_shape(x, e),
                                     vague ? x->th.bg : col, vague ? col : x->th.halo,
                                     vague ? 1.4 : 1.0);
            if (mk)
                mk->event = ev;
        }
        if (!l)
            continue;
        if (l->level < 0) {
            release_label(x, l);
            continue;
        }
        if (l->over_band) {
            tl_rgba halo = x->th.bg;
            if (row % 2 == 0) /* the lane's own band shade, made opaque */
                halo = mix(x->th.bg, x->th.grid, 0.45);
            add_rect(x, l->bx - 2, cy - l->h / 2, l->w + 4, l->h, halo, (tl_rgba){0, 0, 0, 0},
                     0, 0);
        }
        emit_label(x, l, l->bx, cy - l->h / 2);
    }
    markset_free(x->drawn);
    x->drawn = NULL;
    c->unlabelled = c->nevents - placed;
    double ah = axis(x, axis_y, pl, pr, true, grid_top, grid_at);
    y = axis_y + ah + x->fs * 1.2;
    double sh = source_line(x, y, true);
    c->height = y + sh + x->margin;
    if (x->p->height > 0)
        c->height = x->p->height;
done:
    if (sub)
        for (size_t k = 0; k < nrows * MAX_SUBROWS; k++)
            ivset_free(&sub[k]);
    free(sub);
    free(row_subs);
    free(mark_sub);
    free(overflow);
    free(ls);
    free(rest);
}

/* ---- The list layout --------------------------------------------------- */

static void layout_list(ctx *x)
{
    tl_chart *c = x->c;
    double left = x->margin, right = c->width - x->margin;
    double page_h = x->p->height;
    double y = header(x, x->margin) + x->fs * 1.0;
    y = legend(x, y) + x->fs * 1.2;
    tl_font df = font(x->fs * 0.9, true), tf = font(x->fs * 1.0, true),
            sf = font(x->fs * 0.9, false), nf = font(x->fs * 0.85, false);

    /* Date column as wide as the widest date, within reason. */
    double date_w = 0, date_max = (right - left) * 0.28;
    for (size_t i = 0; i < c->nevents; i++) {
        tl_textbox tb;
        const char *dt = date_text(x, c->events[i]);
        measure(x, dt, df, date_max, 3, &tb);
        release(x, &tb);
        if (tb.w > date_w)
            date_w = tb.w;
    }
    double rule_x = left + date_w + x->fs * 1.0;
    double text_x = rule_x + x->fs * 1.0, text_w = right - text_x;
    int page = 0;
    int64_t prev_year = INT64_MIN;
    double src_h = source_line(x, 0, false);
    /* Room kept at the foot of each page for its number. */
    double foot = page_h > 0 ? x->margin + x->fs * 1.6 : x->margin;
    for (size_t i = 0; i < c->nevents; i++) {
        const tl_event *e = c->events[i];
        const char *dt = date_text(x, e);
        tl_textbox tdate, ttitle, tsum = {0}, tnote = {0};
        measure(x, dt, df, date_w + 0.5, 3, &tdate);
        measure(x, e->title, tf, text_w, 0, &ttitle);
        const char *summary = tl_event_summary(e);
        if (summary)
            measure(x, summary, sf, text_w, 0, &tsum);
        const char *lane = e->lane >= 0 ? x->doc->lanes[e->lane].label : NULL;
        const char *meta = lane ? lane : NULL;
        if (meta)
            measure(x, meta, nf, text_w, 1, &tnote);
        double h = fmax(tdate.h, ttitle.h + tsum.h + tnote.h) + x->fs * 0.9;
        /* A year heading when the year changes. */
        int64_t yr = tl_year_of_day(event_span(e).lo);
        double head_h = 0;
        tl_textbox thead = {0};
        const char *ytext = NULL;
        if (yr != prev_year) {
            char b[24];
            tl_year_label_in(show_lang(x), yr, b, sizeof b);
            ytext = tl_arena_strdup(&x->c->arena, b);
            measure(x, ytext, font(x->fs * 1.3, true), 0, 1, &thead);
            head_h = thead.h + x->fs * 0.4;
        }
        if (page_h > 0 && y + head_h + h > page_h - foot && y > x->margin * 2 + x->fs) {
            page++;
            y = x->margin;
            if (!ytext) {
                /* A new page in the middle of a year says which year. */
                char b[48];
                tl_year_label_in(show_lang(x), yr, b, sizeof b);
                snprintf(b + strlen(b), sizeof b - strlen(b), " (%s)", tl_word_continued(show_lang(x)));
                ytext = tl_arena_strdup(&x->c->arena, b);
                measure(x, ytext, font(x->fs * 1.3, true), 0, 1, &thead);
                head_h = thead.h + x->fs * 0.4;
            }
        }
        if (ytext) {
            tl_item *t = add_text(x, TL_ROLE_LIST_TEXT, ytext, font(x->fs * 1.3, true), 0, 1,
                                  &thead, left, y, x->th.text);
            if (t)
                t->page = page;
            y += head_h;
            prev_year = yr;
        }
        size_t first = c->nitems;
        tl_item *t = add_text(x, TL_ROLE_LIST_TEXT, dt, df, date_w + 0.5, 3, &tdate, left, y,
                              x->th.muted);
        if (t) {
            typeset_of(x, t)->align = 1;
            t->x = left + date_w - tdate.w;
        }
        tl_rgba col = event_color(x, e);
        add_marker(x, rule_x, y + x->fs * 0.6, x->fs * 0.75, event_shape(x, e),
                   date_is_vague(&e->date) ? x->th.bg : col, col, 1.2);
        add_line(x, rule_x, y + x->fs * 1.2, rule_x, y + h - x->fs * 0.2, 1.0, col, 0);
        double ty = y;
        t = add_text(x, TL_ROLE_LIST_TEXT, e->title, tf, text_w, 0, &ttitle, text_x, ty,
                     x->th.text);
        if (t) {
            typeset_of(x, t)->url = tl_event_url(e);
            t->event = (int)i;
        }
        ty += ttitle.h;
        if (summary) {
            add_text(x, TL_ROLE_LIST_TEXT, summary, sf, text_w, 0, &tsum, text_x, ty,
                     x->th.text);
            ty += tsum.h;
        }
        if (meta)
            add_text(x, TL_ROLE_LIST_TEXT, meta, nf, text_w, 1, &tnote, text_x, ty, col);
        for (size_t k = first; k < c->nitems; k++)
            c->items[k].page = page;
        y += h;
    }
    y += x->fs * 0.5;
    if (page_h > 0 && y + src_h > page_h - foot) {
        page++;
        y = x->margin;
    }
    size_t first = c->nitems;
    double sh = source_line(x, y, true);
    for (size_t k = first; k < c->nitems; k++)
        c->items[k].page = page;
    c->pages = page + 1;
    c->height = page_h > 0 ? page_h : y + sh + x->margin;
    /* Several pages: "page / pages" at the foot of each, right-aligned. */
    for (int pg = 0; c->pages > 1 && pg < c->pages; pg++) {
        char b[32];
        snprintf(b, sizeof b, "%d / %d", pg + 1, c->pages);
        const char *num = tl_arena_strdup(&x->c->arena, b);
        tl_textbox tb;
        measure(x, num, nf, 0, 1, &tb);
        tl_item *t = add_text(x, TL_ROLE_LIST_TEXT, num, nf, 0, 1, &tb, right - tb.w,
                              page_h - x->margin - tb.h, x->th.muted);
        if (t)
            t->page = pg;
    }
}

/* ---- Entry points ------------------------------------------------------ */

/* Indexes the items by page, in drawing order within a page (a counting
 * sort), so that drawing a page visits its own items only: the list layout
 * adds page numbers after all pages, and a 2,000-page chart scanned whole
 * for each page would take quadratic time. */
static bool index_pages(tl_chart *c)
{
    size_t np = (size_t)c->pages;
    c->page_first = tl_arena_array(&c->arena, np + 1, sizeof *c->page_first);
    if (np == 1 && c->page_first) {
        /* One page is all the items in order: no index to hold. */
        c->page_first[1] = c->nitems;
        return true;
    }
    c->page_items = tl_arena_array(&c->arena, c->nitems ? c->nitems : 1, sizeof *c->page_items);
    size_t *next = tl_arena_array(&c->arena, np, sizeof *next);
    if (!c->page_first || !c->page_items || !next)
        return false;
    for (size_t i = 0; i < c->nitems; i++)
        c->page_first[c->items[i].page + 1]++;
    for (size_t p = 0; p < np; p++)
        c->page_first[p + 1] += c->page_first[p];
    memcpy(next, c->page_first, np * sizeof *next);
    for (size_t i = 0; i < c->nitems; i++)
        c->page_items[next[c->items[i].page]++] = i;
    return true;
}

tl_chart *tl_layout_new(const tl_doc *doc, const tl_layout_params *p, const tl_measurer *m)
{
    tl_chart *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    tl_arena_init(&c->arena);
    c->width = p->width;
    c->pages = 1;
    c->measurer = *m;
    c->nevents = doc->nevents;
    c->events = tl_events_sorted(doc, &c->arena);
    if (!c->events) {
        tl_layout_free(c);
        return NULL;
    }

    ctx x = {.c = c, .doc = doc, .p = p, .m = m, .th = theme_for(p->theme)};
    color_index(&x, (tl_rgba){0, 0, 0, 0}); /* index 0, as in a zeroed item */
    x.fs = fmin(12.0, fmax(7.5, p->width / 80.0));
    x.margin = fmax(x.fs * 1.2, p->width * 0.025);
    c->background = x.th.bg;
    c->doc_title = x.p->title ? x.p->title : doc->title;
    c->doc_subject = x.p->subtitle ? x.p->subtitle : doc->subtitle;
    c->doc_author = doc->nsources == 1 ? doc->sources[0].author : NULL;

    switch (p->kind) {
    case TL_LAYOUT_LANES: layout_lanes(&x); break;
    case TL_LAYOUT_LIST: layout_list(&x); break;
    default: layout_axis(&x); break;
    }
    release(&x, &x.source_tb);
    free(x.color_slots);
    if (x.failed || !index_pages(c)) {
        tl_layout_free(c);
        return NULL;
    }
    return c;
}

/* *s copied into the chart's arena; `last` remembers the previous copy,
 * as neighbouring typesets often share a string. */
static bool own(tl_chart *c, const char **s, const char *last[2])
{
    if (!*s)
        return true;
    if (*s == last[0]) {
        *s = last[1];
        return true;
    }
    const char *copy = tl_arena_strdup(&c->arena, *s);
    if (!copy)
        return false;
    last[0] = *s;
    last[1] = copy;
    *s = copy;
    return true;
}

bool tl_layout_detach(tl_chart *c)
{
    const char *last[2] = {NULL, NULL};
    if (!own(c, &c->doc_title, last) || !own(c, &c->doc_author, last) ||
        !own(c, &c->doc_subject, last))
        return false;
    for (size_t i = 0; i < c->ntypesets; i++)
        if (!own(c, &c->typesets[i].text, last) || !own(c, &c->typesets[i].url, last))
            return false;
    c->events = NULL;
    return true;
}

void tl_layout_free(tl_chart *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->ntypesets; i++)
        if (c->typesets[i].handle && c->measurer.release)
            c->measurer.release(c->measurer.ctx, c->typesets[i].handle);
    free(c->items);
    free(c->typesets);
    free(c->colors);
    tl_arena_release(&c->arena);
    free(c);
}
