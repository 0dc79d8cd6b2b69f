/* layout.c — turns a document into chart geometry.
 *
 * This file holds what every layout shares: colours, the items a chart is
 * made of, the header, legend, source line and time axis, and the entry
 * points.  The layouts are in their own files:
 *   layout_axis.c   one time axis, labels in rows above and below it on
 *                   leaders that bend sideways in order, so that no two
 *                   cross and no label overlaps anything (its opening
 *                   comment says why); in a fixed size, importance first
 *                   and numbered callouts with a key for the rest;
 *   layout_lanes.c  a row per lane, labels beside their marks in the
 *                   first sub-row of the lane with room;
 *   layout_list.c   a single column, which cannot collide.
 * place.c holds the label machinery they share (measuring and drawing a
 * label, candidates, shared labels, the numbered key).
 *
 * Everything is in user units (points for PDF and SVG, pixels for PNG).
 * Text sizes come from the measurer, so this file draws nothing.
 */
#include "layout_int.h"

#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TICKS 512

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


void ly_markset_free(markset *m)
{
    if (m) {
        free(m->keys);
        free(m);
    }
}

/* Adds key; returns true when it was new (or when memory ran out, so the
 * mark is drawn anyway). */
bool ly_markset_add(markset *m, uint64_t key)
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
uint64_t ly_mark_key(uint64_t h, double v)
{
    int64_t q = (int64_t)llround(v * 4);
    h ^= (uint64_t)q + 0x9E3779B97F4A7C15u + (h << 6) + (h >> 2);
    return h * 0xFF51AFD7ED558CCDu;
}

uint64_t ly_color_key(uint64_t h, tl_rgba c)
{
    return ly_mark_key(ly_mark_key(ly_mark_key(ly_mark_key(h, c.r * 64), c.g * 64), c.b * 64), c.a * 64);
}

/* a blended toward b by t (0..1), opaque. */
tl_rgba ly_mix(tl_rgba a, tl_rgba b, double t)
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
uint16_t ly_color_index(ctx *x, tl_rgba col)
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

tl_item *ly_add_item(ctx *x, tl_item_kind kind, tl_role role)
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

void ly_measure(ctx *x, const char *text, tl_font f, double wrap, int max_lines,
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
            x->shaped++;   /* each kept handle counted, as ly_release() uncounts it */
        } else {
            x->m->release(x->m->ctx, tb->handle);
            tb->handle = NULL;
        }
    }
}

void ly_release(ctx *x, tl_textbox *tb)
{
    if (tb->handle) {
        if (x->m->release)
            x->m->release(x->m->ctx, tb->handle);
        x->shaped--;
    }
    tb->handle = NULL;
}

tl_typeset *ly_typeset_of(ctx *x, const tl_item *it)
{
    return &x->c->typesets[it->typeset];
}

/* Adds a measured text at (px, py) top-left; the item takes the handle. */
tl_item *ly_add_text(ctx *x, tl_role role, const char *text, tl_font f, double wrap,
                     int max_lines, tl_textbox *tb, double px, double py, tl_rgba color)
{
    tl_item *it = ly_add_item(x, TL_ITEM_TEXT, role);
    if (!it) {
        ly_release(x, tb);
        return NULL;
    }
    tl_chart *c = x->c;
    if (c->ntypesets == c->typesets_cap) {
        size_t cap = c->typesets_cap ? c->typesets_cap * 2 : 64;
        tl_typeset *v = realloc(c->typesets, cap * sizeof *v);
        if (!v) {
            c->nitems--;
            ly_release(x, tb);
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
    it->fill = ly_color_index(x, color);
    return it;
}

tl_item *ly_add_line(ctx *x, double x0, double y0, double x1, double y1, double lw,
                     tl_rgba color, int dash)
{
    tl_item *it = ly_add_item(x, TL_ITEM_LINE, TL_ROLE_DECOR);
    if (it) {
        it->x = x0;
        it->y = y0;
        it->w = x1 - x0;
        it->h = y1 - y0;
        it->line_width = (float)lw;
        it->stroke = ly_color_index(x, color);
        it->dash = (uint8_t)dash;
    }
    return it;
}

tl_item *ly_add_rect(ctx *x, double rx, double ry, double w, double h, tl_rgba fill,
                     tl_rgba stroke, double lw, int dash)
{
    tl_item *it = ly_add_item(x, TL_ITEM_RECT, TL_ROLE_DECOR);
    if (it) {
        it->x = rx;
        it->y = ry;
        it->w = w;
        it->h = h;
        it->fill = ly_color_index(x, fill);
        it->stroke = ly_color_index(x, stroke);
        it->line_width = (float)lw;
        it->dash = (uint8_t)dash;
    }
    return it;
}

tl_item *ly_add_marker(ctx *x, double cx, double cy, double d, tl_shape shape,
                       tl_rgba fill, tl_rgba stroke, double lw)
{
    tl_item *it = ly_add_item(x, TL_ITEM_MARKER, TL_ROLE_DECOR);
    if (it) {
        it->x = cx;
        it->y = cy;
        it->w = d;
        it->h = d;
        it->shape = (uint8_t)shape;
        it->fill = ly_color_index(x, fill);
        it->stroke = ly_color_index(x, stroke);
        it->line_width = (float)lw;
    }
    return it;
}

int ly_open_side(const tl_event *e)
{
    if (e->end)
        return 0;
    if (e->date.earliest == TL_DAY_OPEN_MIN)
        return e->date.latest == TL_DAY_OPEN_MAX ? 0 : -1;
    return e->date.latest == TL_DAY_OPEN_MAX ? 1 : 0;
}

tl_item *ly_add_open_mark(ctx *x, int ev, double bx, double cy, double h, tl_rgba color)
{
    const tl_event *e = x->c->events[ev];
    int side = ly_open_side(e);
    double len = OPEN_TAIL(x) * side;
    /* An empty side ("1985-04-12/") is not known; ".." has no end. */
    bool unknown = side < 0 ? e->date.lo.unknown : e->date.hi.unknown;
    uint64_t key = ly_mark_key(ly_mark_key(ly_mark_key(ly_mark_key(5, bx), cy), len), h);
    key = ly_mark_key(key, unknown);
    if (x->drawn && !ly_markset_add(x->drawn, ly_color_key(key, color)))
        return NULL;
    tl_item *it = ly_add_item(x, TL_ITEM_OPEN, TL_ROLE_DECOR);
    if (it) {
        it->x = bx;
        it->y = cy;
        it->w = len;
        it->h = h;
        it->dash = unknown;
        it->fill = ly_color_index(x, color);
        it->event = ev;
    }
    return it;
}

/* ---- Occupied intervals ------------------------------------------------ */

void ly_ivset_free(ivset *s)
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

bool ly_ivset_is_free(const ivset *s, double a, double b)
{
    size_t i = ivset_find(s, a);
    return i == s->n || s->lo[i] > b;
}

bool ly_ivset_add(ivset *s, double a, double b)
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
tl_span ly_event_span(const tl_event *e)
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
int ly_show_zone(const ctx *x)
{
    return x->p->tz != TL_TZ_NONE ? x->p->tz : x->doc->tz;
}

/* The document's named zone's abbreviation ("KST") when its zone is the
 * one shown, else "". */
const char *ly_zone_abbr(const ctx *x)
{
    if (x->p->tz != TL_TZ_NONE && x->p->tz_abbr[0])
        return x->p->tz_abbr;
    return x->p->tz == TL_TZ_NONE || x->p->tz == x->doc->tz ? x->doc->tz_abbr : "";
}

/* The language of the chart's words: --lang, else the document's. */
tl_lang ly_lang(const ctx *x)
{
    return tl_lang_pick(x->p->lang, x->doc->lang);
}

/* The event's extent in fractional days, [*d0, *d1): whole days from
 * ly_event_span, narrowed to the instants of a time of day. */
void ly_event_days(const tl_event *e, tl_span sp, int zone, double *d0, double *d1)
{
    const tl_date *z = e->end ? e->end : &e->date;
    /* The axis runs on the display zone's clock, as calendar dates do. */
    double shift = zone == TL_TZ_NONE ? 0 : (double)zone * 60;
    int64_t a, b;
    *d0 = (double)sp.lo;
    *d1 = (double)sp.hi + 1.0;
    tl_date_instants(&e->date, &a, &b);
    if (e->date.earliest != TL_DAY_OPEN_MIN && e->date.lo.sec >= 0)
        *d0 = ((double)a + shift) / 86400;
    tl_date_instants(z, &a, &b);
    if (z->latest != TL_DAY_OPEN_MAX && z->hi.sec >= 0)
        *d1 = ((double)b + 1 + shift) / 86400;
    if (*d1 < *d0)
        *d1 = *d0;
}

/* Builds the chart's scale over the events.  A bounded date contributes its
 * two ends, not the whole stretch between: "somewhere between 2012 and
 * 2015" must not stop an empty 2013 from being compressed. */
void ly_build_scale(ctx *x, double x0, double x1)
{
    tl_chart *c = x->c;
    tl_span *v = malloc((2 * c->nevents + 1) * sizeof *v);
    tl_dspan *t = malloc((2 * c->nevents + 1) * sizeof *t);
    if (!v || !t) {
        free(v);
        free(t);
        x->failed = true;
        tl_scale_build(&c->scale, NULL, 0, x0, x1, false, 0);
        return;
    }
    size_t n = 0;
    double lo = INFINITY, hi = -INFINITY;
    bool timed = false;
    for (size_t i = 0; i < c->nevents; i++) {
        const tl_event *e = c->events[i];
        tl_span sp = ly_event_span(e);
        double d0, d1;
        ly_event_days(e, sp, ly_show_zone(x), &d0, &d1);
        lo = d0 < lo ? d0 : lo;
        hi = d1 > hi ? d1 : hi;
        timed |= tl_date_has_time(&e->date) || (e->end && tl_date_has_time(e->end));
        if (!e->end && e->date.is_range && !e->date.lo.open && !e->date.hi.open) {
            t[n] = (tl_dspan){d0, (double)e->date.lo.last + 1};
            v[n++] = (tl_span){sp.lo, e->date.lo.last};
            t[n] = (tl_dspan){(double)e->date.hi.first, d1};
            v[n++] = (tl_span){e->date.hi.first, sp.hi};
        } else {
            t[n] = (tl_dspan){d0, d1};
            v[n++] = sp;
        }
    }
    /* Times of day: the scale over the instants, so that a quiet night
     * between two busy days can become a break. */
    if (timed)
        tl_scale_build_timed(&c->scale, t, n, x0, x1, x->p->breaks, x->fs * 2.2);
    else
        tl_scale_build(&c->scale, v, n, x0, x1, x->p->breaks, x->fs * 2.2);
    free(v);
    free(t);
    c->scale.tz = ly_show_zone(x);
    snprintf(c->scale.tz_abbr, sizeof c->scale.tz_abbr, "%s", ly_zone_abbr(x));
    c->scale.lang = ly_lang(x);
    c->scale.timed = timed;
    /* Hours and minutes: the axis spans the times, not whole days. */
    if (timed && hi - lo < 3)
        tl_scale_fit(&c->scale, lo, hi);
}

bool ly_date_is_vague(const tl_date *d)
{
    return d->is_range || (d->qual & (TL_Q_APPROX | TL_Q_UNCERTAIN));
}

/* "May 2014", "Mar 2014 – May 2015", plus citation marks "  [1, 2]". */
const char *ly_date_text(ctx *x, const tl_event *e)
{
    char a[256], marks[64] = "";
    if (e->end)
        tl_lang_span_label(ly_lang(x), &e->date, e->end, ly_show_zone(x), ly_zone_abbr(x), a,
                           sizeof a);
    else
        tl_lang_date_label(ly_lang(x), &e->date, ly_show_zone(x), ly_zone_abbr(x), a, sizeof a);
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

/* A lane's colour: its own, else the caller's palette in lane order, else
 * the theme's. */
tl_rgba ly_lane_color(ctx *x, int lane)
{
    const tl_doc *d = x->doc;
    if (lane < 0 || !x->p->npalette || (size_t)lane >= d->nlanes || d->lanes[lane].has_color)
        return tl_lane_color(d, lane, x->p->theme);
    size_t k = 0;
    for (int j = 0; j < lane; j++)
        k += !d->lanes[j].has_color;
    return rgb(x->p->palette[k % x->p->npalette], 1);
}

tl_rgba ly_event_color(ctx *x, const tl_event *e)
{
    return ly_lane_color(x, e->lane);
}

tl_shape ly_event_shape(ctx *x, const tl_event *e)
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
tl_font ly_title_font(ctx *x, const tl_event *e)
{
    return ly_font(x->fs, e->importance == 3);
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

double ly_header(ctx *x, double y)
{
    double w = x->c->width - 2 * x->margin;
    const char *t = keep_ranges(x, chart_title(x)), *s = keep_ranges(x, chart_subtitle(x));
    tl_textbox tb;
    if (t && *t) {
        ly_measure(x, t, ly_font(x->fs * 1.55, true), w, 3, &tb);
        ly_add_text(x, TL_ROLE_TITLE, t, ly_font(x->fs * 1.55, true), w, 3, &tb, x->margin, y,
                    x->th.text);
        y += tb.h + x->fs * 0.25;
    }
    if (s && *s) {
        ly_measure(x, s, ly_font(x->fs, false), w, 3, &tb);
        ly_add_text(x, TL_ROLE_SUBTITLE, s, ly_font(x->fs, false), w, 3, &tb, x->margin, y,
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
double ly_legend(ctx *x, double y)
{
    double left = x->margin, right = x->c->width - x->margin;
    double d = x->fs * 0.8, gap = x->fs * 1.4;
    double px = left, row_h = 0;
    bool any = false;
    tl_font f = ly_font(x->fs * 0.85, false);
    for (size_t i = 0; i <= x->doc->nlanes; i++) {
        int lane = i < x->doc->nlanes ? (int)i : -1;
        if (!lane_used(x, lane))
            continue;
        if (lane < 0 && !any)
            break; /* no lanes at all: no legend */
        const char *name = lane >= 0 ? x->doc->lanes[lane].label
                                      : tl_lang_word(ly_lang(x), TL_W_OTHER);
        tl_textbox tb;
        ly_measure(x, name, f, (right - left) - d * 2, 2, &tb);
        double w = d + x->fs * 0.4 + tb.w;
        if (px > left && px + w > right) {
            px = left;
            y += row_h + x->fs * 0.35;
            row_h = 0;
        }
        tl_rgba c = lane >= 0 ? ly_lane_color(x, lane) : x->th.no_lane;
        tl_shape shape = (x->p->theme == TL_THEME_PRINT && lane >= 0)
                             ? (tl_shape)(lane % TL_SHAPE_COUNT) : TL_SHAPE_CIRCLE;
        tl_item *key = ly_add_marker(x, px + d / 2, y + tb.baseline - d * 0.35, d, shape, c, c, 0);
        if (key)
            key->role = TL_ROLE_LEGEND;
        ly_add_text(x, TL_ROLE_LEGEND, name, f, (right - left) - d * 2, 2, &tb,
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
        /* Marks, quotes and the date (at most 63 bytes) around the texts. */
        cap += 128 + strlen(s->title) + (s->author ? strlen(s->author) : 0) +
               (s->publisher ? strlen(s->publisher) : 0);
    }
    char *buf = tl_arena_alloc(&x->c->arena, cap);
    if (!buf) {
        x->failed = true;
        return NULL;
    }
    tl_lang lang = ly_lang(x);
    size_t off = (size_t)snprintf(buf, cap, "%s", tl_lang_word(lang, TL_W_SOURCES_LINE));
    for (size_t i = 0; i < x->doc->nsources; i++) {
        const tl_source *s = &x->doc->sources[i];
        char d[64] = "";
        if (s->has_date)
            tl_lang_date_label(lang, &s->date, TL_TZ_NONE, NULL, d, sizeof d);
        off += (size_t)snprintf(buf + off, cap - off, "%s[%zu] %s%s%s%s%s%s%s%s%s.",
                                i ? "   " : "", i + 1, s->author ? s->author : "",
                                s->author ? ", " : "", tl_lang_word(lang, TL_W_QUOTE_OPEN),
                                s->title, tl_lang_word(lang, TL_W_QUOTE_CLOSE),
                                s->publisher ? ", " : "", s->publisher ? s->publisher : "",
                                d[0] ? ", " : "", d);
        if (off >= cap)
            break;
    }
    return buf;
}

/* The source line at y (with `place`); returns its height (0 when there is
 * nothing to cite). */
double ly_source_line(ctx *x, double y, bool place)
{
    if (!x->p->citations || x->doc->nsources == 0)
        return 0;
    tl_font f = ly_font(x->fs * 0.85, false);
    double w = x->c->width - 2 * x->margin;
    /* Layouts ask for its height before they place it: measure it once. */
    if (!x->source) {
        char *buf = source_text(x);
        if (!buf)
            return 0;
        ly_measure(x, buf, f, w, 0, &x->source_tb);
        x->source = buf;
    }
    double h = x->source_tb.h;
    if (place) {
        ly_add_text(x, TL_ROLE_SOURCE, x->source, f, w, 0, &x->source_tb, x->margin, y,
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
        ly_measure(t->x, text, t->f, 0, 1, scratch);
        return scratch;
    }
    t->text[t->n] = copy;
    ly_measure(t->x, copy, t->f, 0, 1, &t->tb[t->n]);
    return &t->tb[t->n++];
}

static double tick_width(void *p, const char *text)
{
    tick_ctx *t = p;
    tl_textbox scratch = {0};
    double w = tick_measure(t, text, &scratch)->w;
    ly_release(t->x, &scratch);
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
double ly_axis(ctx *x, double y, double left, double right, bool grid, double grid_top,
               size_t grid_at)
{
    tl_scale *s = &x->c->scale;
    tick_ctx tc = {.x = x, .f = ly_font(x->fs * 0.85, false)};
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
                ly_add_line(x, ticks[i].x, grid_top, ticks[i].x, y, 0.6, x->th.grid, 0);
        move_items_back(x, from, grid_at);
    }
    for (size_t i = 0; i < n; i++) {
        ly_add_line(x, ticks[i].x, y, ticks[i].x, y + (ticks[i].major ? tick_len * 1.6 : tick_len),
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
            ly_release(x, &tb);
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
        ly_add_rect(x, lx - 1.5, y + tick_len * 1.8, tb.w + 3, tb.h, x->th.bg, none, 0, 0);
        ly_add_text(x, TL_ROLE_TICK_LABEL, lab, tc.f, 0, 1, &tb, lx, y + tick_len * 1.8,
                    x->th.muted);
        if (tb.h > label_h)
            label_h = tb.h;
    }
    free(ticks);
    for (size_t i = 0; i < tc.n; i++)
        ly_release(x, &tc.tb[i]);
    /* The axis itself, one line per segment, with break marks between. */
    for (int k = 0; k < s->nseg; k++) {
        ly_add_line(x, s->seg[k].x0, y, s->seg[k].x1, y, 1.2, x->th.axis, 0);
        if (k + 1 < s->nseg) {
            tl_item *b = ly_add_item(x, TL_ITEM_BREAK, TL_ROLE_DECOR);
            if (b) {
                b->x = (s->seg[k].x1 + s->seg[k + 1].x0) / 2;
                b->y = y;
                b->w = s->seg[k + 1].x0 - s->seg[k].x1;
                b->h = x->fs * 1.1;
                b->stroke = ly_color_index(x, x->th.axis);
                b->fill = ly_color_index(x, x->th.bg);
                b->line_width = 1.0;
            }
        }
    }
    return tick_len * 1.8 + label_h;
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

/* The chart laid out once, for params p. */
static tl_chart *layout_once(const tl_doc *doc, const tl_layout_params *p, const tl_measurer *m)
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
    ly_color_index(&x, (tl_rgba){0, 0, 0, 0}); /* index 0, as in a zeroed item */
    x.fs = p->font_size > 0 ? p->font_size : fmin(12.0, fmax(7.5, p->width / 80.0));
    x.margin = fmax(x.fs * 1.2, p->width * 0.025);
    c->background = x.th.bg;
    c->doc_title = x.p->title ? x.p->title : doc->title;
    c->doc_subject = x.p->subtitle ? x.p->subtitle : doc->subtitle;
    c->doc_author = doc->nsources == 1 ? doc->sources[0].author : NULL;
    c->lang = ly_lang(&x);
    c->tz = ly_show_zone(&x);
    snprintf(c->tz_abbr, sizeof c->tz_abbr, "%s", ly_zone_abbr(&x));

    switch (p->kind) {
    case TL_LAYOUT_LANES: ly_layout_lanes(&x); break;
    case TL_LAYOUT_LIST: ly_layout_list(&x); break;
    default: ly_layout_axis(&x); break;
    }
    ly_release(&x, &x.source_tb);
    free(x.color_slots);
    if (x.failed || !index_pages(c)) {
        tl_layout_free(c);
        return NULL;
    }
    return c;
}

/* A chart with no width given grows wider rather than taller: the
 * smallest width from the default up to GROW_MAX, in GROW_STEP steps, at
 * which it is no taller than wide (when none is, the default width or
 * GROW_MAX, whichever chart has the smaller area), unless that chart
 * takes over GROW_WASTE times the area of the default one: then growing
 * only wastes room.  Height falls as width grows, so a binary search takes
 * a handful of layouts; past GROW_EVENTS events the chart degrades as it
 * always did, at one layout. */
#define GROW_MAX 2400.0
#define GROW_STEP 120.0
#define GROW_EVENTS 300
#define GROW_WASTE 1.25         /* the most area growing may add */

tl_chart *tl_layout_new(const tl_doc *doc, const tl_layout_params *p, const tl_measurer *m)
{
    tl_chart *c = layout_once(doc, p, m);
    if (!c || !p->grow || p->kind == TL_LAYOUT_LIST || c->height <= c->width ||
        c->nevents > GROW_EVENTS || p->width >= GROW_MAX)
        return c;
    tl_layout_params q = *p;
    int lo = 0, hi = (int)ceil((GROW_MAX - p->width) / GROW_STEP);
    /* Invariant: lo is too narrow; best, if any, is the chart at hi. */
    tl_chart *best = NULL;
    q.width = fmin(GROW_MAX, p->width + hi * GROW_STEP);
    best = layout_once(doc, &q, m);
    if (!best)
        return c;
    if (best->height > best->width) {
        /* Portrait however wide (a crowd in one corner of a long range):
         * the narrower chart, unless the wide one takes less room. */
        bool wide = best->width * best->height < c->width * c->height;
        tl_layout_free(wide ? c : best);
        return wide ? best : c;
    }
    while (hi - lo > 1) {
        int mid = lo + (hi - lo) / 2;
        q.width = p->width + mid * GROW_STEP;
        tl_chart *t = layout_once(doc, &q, m);
        if (!t)
            break;
        if (t->height <= t->width) {
            tl_layout_free(best);
            best = t;
            hi = mid;
        } else {
            tl_layout_free(t);
            lo = mid;
        }
    }
    if (best->width * best->height > GROW_WASTE * c->width * c->height) {
        /* Wider and no shorter: a staircase of one lane is as tall at any
         * width, and the width would stand empty. */
        tl_layout_free(best);
        return c;
    }
    tl_layout_free(c);
    return best;
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
