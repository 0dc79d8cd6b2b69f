/* test_layout.c — geometry of every layout, without fonts.
 *
 * A fake measurer gives each character 0.55 em and wraps on spaces, so the
 * layout is exercised exactly as with Pango.  For the dataset and generated
 * inputs (dense clusters, one event, 500 events, all on one day, spans that
 * cover everything, open and bounded dates) each layout must keep every text
 * box apart from every other, from every marker and from every stem not its
 * own, and everything inside the page. */
#include "check.h"
#include "layout.h"
#include "options.h"
#include "text.h"
#include "timeline.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- A font-free measurer ---------------------------------------------- */

static size_t utf8_len(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* What a test asks of the fake measurer, through its ctx (NULL: nothing). */
typedef struct fake_opts {
    bool unbreakable;   /* no word breaks, however long: Pango's behaviour
                           with one long grapheme cluster */
    const char *which;  /* counts the measures of this text: */
    int measured;       /* all of them */
    int unwrapped;      /* those on one line, unwrapped */
    bool handles;       /* hand out handles, and count those held: */
    long live, max_live;
} fake_opts;

static void fake_measure(void *ctx, const char *text, const tl_font *f, double wrap,
                         int max_lines, tl_textbox *out)
{
    fake_opts *o = ctx;
    bool unbreakable = o && o->unbreakable;
    if (o && o->which && strcmp(text, o->which) == 0) {
        o->measured++;
        o->unwrapped += wrap == 0 && max_lines == 1;
    }
    double cw = f->size * (f->bold ? 0.6 : 0.55), lh = f->size * 1.25;
    double widest = 0, line = 0;
    int lines = 1;
    const char *p = text;
    while (*p) {
        const char *sp = strchr(p, ' ');
        size_t n = sp ? (size_t)(sp - p) : strlen(p);
        double w = utf8_len(p, n) * cw;
        if (wrap > 0 && line > 0 && line + cw + w > wrap) {
            lines++;
            line = 0;
        }
        line += (line > 0 ? cw : 0) + (wrap > 0 && !unbreakable ? fmin(w, wrap) : w);
        if (line > widest)
            widest = line;
        p += n;
        if (*p == ' ')
            p++;
    }
    if (max_lines > 0 && lines > max_lines) {
        lines = max_lines;
        out->ellipsized = true;
    }
    out->w = widest;
    out->h = lines * lh;
    out->baseline = f->size;
    out->lines = lines;
    out->handle = NULL;
    if (o && o->handles) {
        out->handle = o; /* any non-NULL pointer */
        if (++o->live > o->max_live)
            o->max_live = o->live;
    }
}

static void fake_release(void *ctx, void *handle)
{
    fake_opts *o = ctx;
    if (handle)
        o->live--;
}

static void *fake_retain(void *ctx, void *handle)
{
    fake_opts *o = ctx;
    o->live++;
    return handle;
}

static const tl_measurer fake = {NULL, fake_measure, NULL, NULL};

/* ---- Documents built in code ------------------------------------------- */

typedef struct spec {
    const char *date, *end, *title;
    int lane, importance;
} spec;

static tl_doc *make_doc(const spec *s, size_t n, size_t nlanes)
{
    tl_doc *d = calloc(1, sizeof *d);
    tl_arena_init(&d->arena);
    d->name = "test";
    d->title = "A test chart with a title long enough to wrap on narrow pages";
    d->subtitle = "Generated events";
    d->nlanes = nlanes;
    d->lanes = tl_arena_array(&d->arena, nlanes ? nlanes : 1, sizeof *d->lanes);
    for (size_t i = 0; i < nlanes; i++) {
        d->lanes[i].id = tl_arena_printf(&d->arena, "lane%zu", i);
        d->lanes[i].label = tl_arena_printf(&d->arena, "Lane number %zu", i);
    }
    d->nsources = 1;
    d->sources = tl_arena_array(&d->arena, 1, sizeof *d->sources);
    d->sources[0].id = "src";
    d->sources[0].title = "A source document";
    d->sources[0].author = "An Author";
    d->nevents = n;
    d->events = tl_arena_array(&d->arena, n ? n : 1, sizeof *d->events);
    for (size_t i = 0; i < n; i++) {
        tl_event *e = &d->events[i];
        char err[256];
        size_t off;
        tl_event_info *in = tl_arena_alloc(&d->arena, sizeof *in);
        e->info = in;
        in->id = tl_arena_printf(&d->arena, "e%zu", i);
        if (!tl_date_parse(s[i].date, &e->date, err, sizeof err, &off))
            fprintf(stderr, "bad test date %s: %s\n", s[i].date, err);
        if (s[i].end) {
            tl_date *end = tl_arena_alloc(&d->arena, sizeof *end);
            if (tl_date_parse(s[i].end, end, err, sizeof err, &off))
                e->end = end;
        }
        e->title = s[i].title;
        e->lane = s[i].lane < (int)nlanes ? s[i].lane : -1;
        e->importance = s[i].importance ? s[i].importance : 2;
        e->ncites = 1;
        in->cites = tl_arena_array(&d->arena, 1, sizeof *in->cites);
        in->cites[0].ref = "src";
        e->cited = tl_arena_array(&d->arena, 1, sizeof *e->cited);
        e->cited[0] = 0;
    }
    return d;
}

static void free_doc(tl_doc *d)
{
    tl_arena_release(&d->arena);
    free(d);
}

/* ---- Geometry checks --------------------------------------------------- */

typedef struct box {
    double x0, y0, x1, y1;
} box;

static box item_box(const tl_item *it)
{
    if (it->kind == TL_ITEM_MARKER)
        return (box){it->x - it->w / 2, it->y - it->h / 2, it->x + it->w / 2, it->y + it->h / 2};
    if (it->kind == TL_ITEM_LINE)
        return (box){fmin(it->x, it->x + it->w), fmin(it->y, it->y + it->h),
                     fmax(it->x, it->x + it->w), fmax(it->y, it->y + it->h)};
    return (box){it->x, it->y, it->x + it->w, it->y + it->h};
}

/* A text item's words; NULL for other items. */
static const char *text_of(const tl_chart *c, const tl_item *it)
{
    return it->kind == TL_ITEM_TEXT ? tl_item_typeset(c, it)->text : NULL;
}

static bool is_shaped(const tl_chart *c, const tl_item *it)
{
    return it->kind == TL_ITEM_TEXT && tl_item_typeset(c, it)->handle != NULL;
}

static bool overlap(box a, box b)
{
    const double eps = 0.01;
    return a.x0 < b.x1 - eps && b.x0 < a.x1 - eps && a.y0 < b.y1 - eps && b.y0 < a.y1 - eps;
}

/* A line item's segment meets box b's interior (Liang-Barsky clipping;
 * touching the edge does not count). */
static bool seg_box(const tl_item *s, box b)
{
    const double eps = 0.01;
    double t0 = 0, t1 = 1, dx = s->w, dy = s->h;
    double p[4] = {-dx, dx, -dy, dy};
    double q[4] = {s->x - (b.x0 + eps), (b.x1 - eps) - s->x, s->y - (b.y0 + eps),
                   (b.y1 - eps) - s->y};
    for (int k = 0; k < 4; k++) {
        if (p[k] == 0) {
            if (q[k] < 0)
                return false;
            continue;
        }
        double r = q[k] / p[k];
        if (p[k] < 0)
            t0 = fmax(t0, r);
        else
            t1 = fmin(t1, r);
        if (t0 > t1)
            return false;
    }
    return true;
}

static int orient(double ax, double ay, double bx, double by, double px, double py)
{
    double cr = (bx - ax) * (py - ay) - (by - ay) * (px - ax);
    double len = hypot(bx - ax, by - ay);
    if (len > 0 ? fabs(cr) / len <= 0.01 : hypot(px - ax, py - ay) <= 0.01)
        return 0;
    return cr > 0 ? 1 : -1;
}

static bool on_seg(double ax, double ay, double bx, double by, double px, double py)
{
    return orient(ax, ay, bx, by, px, py) == 0 && px >= fmin(ax, bx) - 0.01 &&
           px <= fmax(ax, bx) + 0.01 && py >= fmin(ay, by) - 0.01 && py <= fmax(ay, by) + 0.01;
}

/* Two leader segments cross: they meet anywhere but at an end of both. */
static bool seg_cross(const tl_item *s, const tl_item *u)
{
    double a[4] = {s->x, s->y, s->x + s->w, s->y + s->h};
    double b[4] = {u->x, u->y, u->x + u->w, u->y + u->h};
    int o1 = orient(a[0], a[1], a[2], a[3], b[0], b[1]);
    int o2 = orient(a[0], a[1], a[2], a[3], b[2], b[3]);
    int o3 = orient(b[0], b[1], b[2], b[3], a[0], a[1]);
    int o4 = orient(b[0], b[1], b[2], b[3], a[2], a[3]);
    if (o1 * o2 < 0 && o3 * o4 < 0)
        return true;
    /* An end of one on the other: a crossing unless it is an end of both
     * (a bend, or two leaders from one root); a collinear overlap too. */
    for (int k = 0; k < 2; k++) {
        const double *e = k ? &a[2] : &a[0];
        bool shared = (fabs(e[0] - b[0]) <= 0.01 && fabs(e[1] - b[1]) <= 0.01) ||
                      (fabs(e[0] - b[2]) <= 0.01 && fabs(e[1] - b[3]) <= 0.01);
        if (!shared && on_seg(b[0], b[1], b[2], b[3], e[0], e[1]))
            return true;
        const double *f = k ? &b[2] : &b[0];
        shared = (fabs(f[0] - a[0]) <= 0.01 && fabs(f[1] - a[1]) <= 0.01) ||
                 (fabs(f[0] - a[2]) <= 0.01 && fabs(f[1] - a[3]) <= 0.01);
        if (!shared && on_seg(a[0], a[1], a[2], a[3], f[0], f[1]))
            return true;
    }
    return false;
}

/* Leaders (stem segments) that cross another event's leader, or pass over
 * a marker of another event other than at their root on the axis (where
 * markers of near dates overlap).  Returns the number found. */
static int check_leaders(const char *what, const tl_chart *c)
{
    int bad = 0;
    for (size_t i = 0; i < c->nitems; i++) {
        const tl_item *a = &c->items[i];
        if (a->kind != TL_ITEM_LINE || a->role != TL_ROLE_STEM)
            continue;
        for (size_t j = 0; j < c->nitems; j++) {
            const tl_item *b = &c->items[j];
            if (b->event == a->event || b->page != a->page)
                continue;
            bool hit = false;
            if (b->kind == TL_ITEM_LINE && b->role == TL_ROLE_STEM && j > i)
                hit = seg_cross(a, b);
            else if (b->kind == TL_ITEM_MARKER) {
                box mb = item_box(b);
                bool root = a->x >= mb.x0 - 0.01 && a->x <= mb.x1 + 0.01 &&
                            a->y >= mb.y0 - 0.01 && a->y <= mb.y1 + 0.01;
                hit = !root && seg_box(a, mb);
            }
            if (hit && bad++ < 5)
                fprintf(stderr, "%s: leader of event %d (%.1f,%.1f)-(%.1f,%.1f) crosses %s of "
                                "event %d\n", what, a->event, a->x, a->y, a->x + a->w,
                        a->y + a->h, b->kind == TL_ITEM_MARKER ? "the marker" : "the leader",
                        b->event);
        }
    }
    return bad;
}

/* Returns the number of violations found (and prints the first few). */
static int check_chart(const char *what, const tl_chart *c)
{
    int bad = 0;
    for (size_t i = 0; i < c->nitems; i++) {
        const tl_item *a = &c->items[i];
        box ba = item_box(a);
        if (a->kind == TL_ITEM_TEXT || a->kind == TL_ITEM_MARKER) {
            if (ba.x0 < -0.01 || ba.y0 < -0.01 || ba.x1 > c->width + 0.01 ||
                ba.y1 > c->height + 0.01) {
                if (bad++ < 5)
                    fprintf(stderr, "%s: item %zu '%s' outside the page (%.1f,%.1f,%.1f,%.1f)"
                                    " page %.1f x %.1f\n",
                            what, i, a->kind == TL_ITEM_TEXT ? text_of(c, a) : "", ba.x0, ba.y0, ba.x1, ba.y1,
                            c->width, c->height);
            }
        }
        if (a->kind != TL_ITEM_TEXT)
            continue;
        for (size_t j = 0; j < c->nitems; j++) {
            const tl_item *b = &c->items[j];
            if (j == i || b->page != a->page)
                continue;
            /* A tick label may hide a stem only behind its halo: an opaque
             * rectangle right before it, covering it. */
            bool haloed = a->role == TL_ROLE_TICK_LABEL && i > 0 &&
                          c->items[i - 1].kind == TL_ITEM_RECT && tl_item_fill(c, &c->items[i - 1]).a == 1 &&
                          c->items[i - 1].x <= a->x && c->items[i - 1].y <= a->y &&
                          c->items[i - 1].x + c->items[i - 1].w >= a->x + a->w &&
                          c->items[i - 1].y + c->items[i - 1].h >= a->y + a->h && j < i - 1;
            bool stem = b->kind == TL_ITEM_LINE && b->role == TL_ROLE_STEM;
            bool against = (b->kind == TL_ITEM_TEXT && j > i) || b->kind == TL_ITEM_MARKER ||
                           (stem && b->event != a->event && !haloed);
            if (!against || !(stem ? seg_box(b, ba) : overlap(ba, item_box(b))))
                continue;
            if (bad++ < 5)
                fprintf(stderr, "%s: text '%s' overlaps %s '%s'\n", what, text_of(c, a),
                        b->kind == TL_ITEM_TEXT ? "text" : b->kind == TL_ITEM_MARKER ? "marker"
                                                                                       : "stem",
                        b->kind == TL_ITEM_TEXT ? text_of(c, b) : "");
        }
    }
    return bad + check_leaders(what, c);
}

static size_t count_role(const tl_chart *c, tl_role role)
{
    size_t n = 0;
    for (size_t i = 0; i < c->nitems; i++)
        n += c->items[i].role == role;
    return n;
}

/* The importance of the events with a label and of those without: no
 * event without a label may be more important than one with. */
static int inversions(const tl_chart *c)
{
    bool *lab = calloc(c->nevents ? c->nevents : 1, sizeof *lab);
    for (size_t i = 0; i < c->nitems; i++)
        if (c->items[i].role == TL_ROLE_LABEL && c->items[i].event >= 0)
            lab[c->items[i].event] = true;
    int min_lab = 4, max_unlab = 0;
    for (size_t e = 0; e < c->nevents; e++) {
        int imp = c->events[e]->importance;
        if (lab[e] && imp < min_lab)
            min_lab = imp;
        if (!lab[e] && imp > max_unlab)
            max_unlab = imp;
    }
    free(lab);
    return max_unlab > min_lab;
}

/* How many events have a leader (one or more stem segments). */
static size_t count_leaders(const tl_chart *c)
{
    size_t n = 0;
    for (size_t i = 0; i < c->nitems; i++) {
        const tl_item *a = &c->items[i];
        if (a->role != TL_ROLE_STEM)
            continue;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = c->items[j].role == TL_ROLE_STEM && c->items[j].event == a->event;
        n += !seen;
    }
    return n;
}

/* Lays doc out in every layout, at several widths and themes, and checks. */
/* Line items drawn twice on the same spot: they change no pixel and cost
 * time and file size.  Returns how many. */
static int duplicate_lines(const tl_chart *c)
{
    int dup = 0;
    for (size_t i = 0; i < c->nitems; i++) {
        const tl_item *a = &c->items[i];
        if (a->kind != TL_ITEM_LINE)
            continue;
        for (size_t j = i + 1; j < c->nitems; j++) {
            const tl_item *b = &c->items[j];
            dup += b->kind == TL_ITEM_LINE && b->page == a->page && b->x == a->x &&
                   b->y == a->y && b->w == a->w && b->h == a->h && b->dash == a->dash &&
                   b->line_width == a->line_width &&
                   b->stroke == a->stroke;
        }
    }
    return dup;
}

static void check_all_layouts(const char *name, const tl_doc *doc, bool expect_all_labels)
{
    const double widths[] = {241, 595, 960, 1600};
    for (int k = 0; k < 3; k++)
        for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
            tl_layout_params p = {.kind = (tl_layout_kind)k, .width = widths[w],
                                  .breaks = true, .citations = true,
                                  .theme = (tl_theme_kind)(w % 3)};
            tl_chart *c = tl_layout_new(doc, &p, &fake);
            CHECK(c != NULL);
            if (!c)
                continue;
            char what[128];
            snprintf(what, sizeof what, "%s/%s/%.0f", name,
                     k == 0 ? "axis" : k == 1 ? "lanes" : "list", widths[w]);
            int bad = check_chart(what, c);
            if (bad)
                fprintf(stderr, "%s: %d geometry violations\n", what, bad);
            CHECK_INT(bad, 0);
            int dup = duplicate_lines(c);
            if (dup)
                fprintf(stderr, "%s: %d lines drawn twice\n", what, dup);
            CHECK_INT(dup, 0);
            CHECK(c->height > 0 && c->height < 100000);
            if (expect_all_labels && k != 2 && widths[w] >= 595) {
                if (c->unlabelled)
                    fprintf(stderr, "%s: %zu unlabelled\n", what, c->unlabelled);
                CHECK_INT(c->unlabelled, 0);
            }
            if (k != 2)
                CHECK_INT(count_role(c, TL_ROLE_LABEL) + c->unlabelled, doc->nevents);
            tl_layout_free(c);
        }
}

/* ---- Inputs ------------------------------------------------------------ */

static const char *const words[] = {"cyber", "talks", "resume", "between", "officials",
                                    "agreement", "on", "security", "norms", "the",
                                    "regional", "framework", "hotline", "indictment"};

static char *make_title(tl_arena *a, unsigned seed)
{
    int n = 3 + (int)(seed % 10);
    char buf[256] = "";
    for (int i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        strcat(buf, i ? " " : "");
        strcat(buf, words[(seed >> 16) % (sizeof words / sizeof words[0])]);
    }
    return tl_arena_strdup(a, buf);
}

static void test_generated(void)
{
    tl_arena a;
    tl_arena_init(&a);
    spec s[500];
    char *dates[500];

    /* One event. */
    s[0] = (spec){"2015-03-17", NULL, "The only event", 0, 3};
    tl_doc *d = make_doc(s, 1, 1);
    check_all_layouts("one", d, true);
    free_doc(d);

    /* All on one day. */
    for (int i = 0; i < 12; i++)
        s[i] = (spec){"2014-11-24", NULL, make_title(&a, (unsigned)i), i % 3, 1 + i % 3};
    d = make_doc(s, 12, 3);
    check_all_layouts("one-day", d, true);
    free_doc(d);

    /* A dense cluster plus outliers decades away (breaks). */
    for (int i = 0; i < 30; i++) {
        dates[i] = tl_arena_printf(&a, "2014-%02d-%02d", 1 + i % 12, 1 + (i * 7) % 28);
        s[i] = (spec){dates[i], NULL, make_title(&a, (unsigned)i * 7u), i % 4, 1 + i % 3};
    }
    s[30] = (spec){"1985", NULL, "An outlier long before", 0, 2};
    s[31] = (spec){"~2001", NULL, "Circa event", 1, 2};
    s[32] = (spec){"2014-11/2015-01-13", NULL, "Bounded reaction", 2, 2};
    s[33] = (spec){"../2015-01-13", NULL, "Recent, open start", 3, 1};
    s[34] = (spec){"early 2015", NULL, "Early this year", 1, 2};
    d = make_doc(s, 35, 4);
    check_all_layouts("cluster", d, false);
    free_doc(d);

    /* Spans covering everything. */
    for (int i = 0; i < 20; i++) {
        dates[i] = tl_arena_printf(&a, "%d-%02d", 2000 + i / 2, 1 + i % 12);
        s[i] = (spec){dates[i], i % 3 == 0 ? "2020" : NULL, make_title(&a, (unsigned)i + 99u),
                      i % 5, 2};
    }
    d = make_doc(s, 20, 5);
    check_all_layouts("spans", d, false);
    free_doc(d);

    /* Month after month under eight ranges that take the precision
     * tracks: the months share the last track, where their bars meet end
     * to end and would share their end ticks. */
    for (int i = 0; i < 20; i++) {
        dates[i] = i < 8 ? tl_arena_printf(&a, "2004-%02d/2006-%02d", 1 + i, 1 + i)
                         : tl_arena_printf(&a, "2005-%02d", i - 7);
        s[i] = (spec){dates[i], NULL, make_title(&a, (unsigned)i * 31u), 0, 2};
    }
    d = make_doc(s, 20, 1);
    check_all_layouts("months", d, false);
    free_doc(d);

    /* 500 events over 15 years. */
    for (int i = 0; i < 500; i++) {
        unsigned r = (unsigned)i * 2654435761u;
        dates[i] = tl_arena_printf(&a, "%d-%02d-%02d", 2000 + (int)(r % 15),
                                   1 + (int)((r >> 8) % 12), 1 + (int)((r >> 16) % 28));
        s[i] = (spec){dates[i], NULL, make_title(&a, r), (int)(r % 6), 1 + (int)(r % 3)};
    }
    d = make_doc(s, 500, 6);
    check_all_layouts("500", d, false);
    free_doc(d);

    /* BCE dates. */
    s[0] = (spec){"-0499", NULL, "Five hundred BCE", 0, 2};
    s[1] = (spec){"-0043", NULL, "Forty-four BCE", 0, 2};
    s[2] = (spec){"0476", NULL, "Year 476", 0, 2};
    d = make_doc(s, 3, 1);
    check_all_layouts("bce", d, true);
    free_doc(d);
    tl_arena_release(&a);
}

/* The dataset, loaded through the public API when the loader is present. */
static void test_dataset(void)
{
    tl_doc *doc = NULL;
    tl_diag *diag = tl_diag_new();
    tl_status st = tl_doc_load_file("data/events.yaml", &doc, diag);
    tl_diag_print(diag, stderr);
    CHECK_INT(st, TL_OK);
    if (doc) {
        check_all_layouts("dataset", doc, true);
        /* The axis layout breaks between 2001 and the 2010s. */
        tl_layout_params p = {.kind = TL_LAYOUT_AXIS, .width = 960, .breaks = true,
                              .citations = true};
        tl_chart *c = tl_layout_new(doc, &p, &fake);
        size_t breaks = 0;
        for (size_t i = 0; i < c->nitems; i++)
            breaks += c->items[i].kind == TL_ITEM_BREAK;
        CHECK(breaks >= 1);
        tl_layout_free(c);
        p.breaks = false;
        c = tl_layout_new(doc, &p, &fake);
        breaks = 0;
        for (size_t i = 0; i < c->nitems; i++)
            breaks += c->items[i].kind == TL_ITEM_BREAK;
        CHECK_INT(breaks, 0);
        tl_layout_free(c);
    }
    tl_doc_free(doc);
    tl_diag_free(diag);
}

/* A fixed height leaves room for fewer levels: labels are dropped, never
 * overlapped, and counted. */
static void test_fixed_height(void)
{
    tl_arena a;
    tl_arena_init(&a);
    spec s[200];
    for (int i = 0; i < 200; i++) {
        char *date = tl_arena_printf(&a, "2014-%02d-%02d", 1 + i % 12, 1 + i % 28);
        s[i] = (spec){date, NULL, make_title(&a, (unsigned)i), i % 3, 1 + i % 3};
    }
    tl_doc *d = make_doc(s, 200, 3);
    tl_layout_params p = {.kind = TL_LAYOUT_AXIS, .width = 960, .height = 400,
                          .breaks = true, .citations = true};
    tl_chart *c = tl_layout_new(d, &p, &fake);
    CHECK(c != NULL);
    CHECK_INT(check_chart("fixed-height", c), 0);
    CHECK(c->unlabelled > 0);
    CHECK_INT(c->height, 400);
    /* Importance decides who keeps a label. */
    size_t labelled3 = 0, labelled1 = 0;
    for (size_t i = 0; i < c->nitems; i++)
        if (c->items[i].role == TL_ROLE_LABEL) {
            int imp = c->events[c->items[i].event]->importance;
            labelled3 += imp == 3;
            labelled1 += imp == 1;
        }
    size_t total3 = 0;
    for (size_t i = 0; i < d->nevents; i++)
        total3 += d->events[i].importance == 3;
    size_t total1 = 0;
    for (size_t i = 0; i < d->nevents; i++)
        total1 += d->events[i].importance == 1;
    /* Importance decides, strictly: no unlabelled event is more
     * important than a labelled one. */
    CHECK(labelled3 > 0);
    CHECK(labelled3 * total1 >= labelled1 * total3);
    CHECK_INT(inversions(c), 0);
    tl_layout_free(c);
    free_doc(d);
    tl_arena_release(&a);
}

/* The lanes layout in a fixed height: fewer sub-rows until the lanes fit,
 * nothing below the page, labels dropped and counted. */
static void test_lanes_fixed_height(void)
{
    tl_arena a;
    tl_arena_init(&a);
    spec s[300];
    for (int i = 0; i < 300; i++) {
        char *date = tl_arena_printf(&a, "%d-%02d", 2005 + i % 10, 1 + i % 12);
        s[i] = (spec){date, NULL, make_title(&a, (unsigned)i), i % 6, 1 + i % 3};
    }
    tl_doc *d = make_doc(s, 300, 6);
    const double heights[] = {360, 720, 1400};
    for (size_t k = 0; k < 3; k++) {
        tl_layout_params p = {.kind = TL_LAYOUT_LANES, .width = 960, .height = heights[k],
                              .breaks = true, .citations = true};
        tl_chart *c = tl_layout_new(d, &p, &fake);
        CHECK(c != NULL);
        if (!c)
            continue;
        char what[64];
        snprintf(what, sizeof what, "lanes-fixed-%.0f", heights[k]);
        CHECK_INT(check_chart(what, c), 0);
        CHECK_INT(c->height, heights[k]);
        /* 360 pt holds six lanes of marks but no labels. */
        CHECK(c->unlabelled > 0 && (k == 0 || c->unlabelled < 300));
        CHECK_INT(count_role(c, TL_ROLE_LABEL) + c->unlabelled, 300);
        tl_layout_free(c);
    }
    free_doc(d);
    tl_arena_release(&a);
}

/* Events of one lane on the same written date share one label: their
 * titles one under the other, the date once, one stem. */
static void test_shared_labels(void)
{
    spec s[] = {{"2014-11", NULL, "Attack", 0, 3},
                {"2014-11/2015-01-13", NULL, "First reaction", 0, 2},
                {"2014-11/2015-01-13", NULL, "Second reaction", 0, 2},
                {"2014-11/2015-01-13", NULL, "Third reaction", 0, 1},
                {"2014-11/2015-01-13", NULL, "Elsewhere", 1, 2},
                {"2015-03-17", NULL, "Interview", 1, 2}};
    tl_doc *d = make_doc(s, 6, 2);
    tl_layout_params p = {.kind = TL_LAYOUT_AXIS, .width = 960, .breaks = true,
                          .citations = true};
    tl_chart *c = tl_layout_new(d, &p, &fake);
    CHECK_INT(check_chart("shared", c), 0);
    CHECK_INT(c->unlabelled, 0);
    CHECK_INT(count_role(c, TL_ROLE_LABEL), 6);
    /* Lane 0's three reactions: one date line; lane 1's is apart. */
    CHECK_INT(count_role(c, TL_ROLE_LABEL_DATE), 4);
    CHECK_INT(count_leaders(c), 4);
    double y[3] = {0};
    const char *names[3] = {"First reaction", "Second reaction", "Third reaction"};
    for (size_t i = 0; i < c->nitems; i++)
        for (int k = 0; k < 3; k++)
            if (c->items[i].role == TL_ROLE_LABEL && strcmp(text_of(c, &c->items[i]), names[k]) == 0)
                y[k] = c->items[i].y;
    CHECK(y[0] > 0 && y[0] < y[1] && y[1] < y[2]);
    tl_layout_free(c);
    free_doc(d);
}

/* Generated data that once lost labels at natural size: a crowded decade
 * inside a long span, a month told day by day, and 300 events. */
static void test_natural_every_label(void)
{
    tl_arena a;
    tl_arena_init(&a);
    spec s[300];
    for (int i = 0; i < 55; i++) {
        const char *date = i < 40 ? tl_arena_printf(&a, "%d-%02d", 1960 + i / 4, 1 + (i * 5) % 12)
                                  : tl_arena_printf(&a, "%d", 1800 + (i - 40) * 14);
        s[i] = (spec){date, NULL, make_title(&a, (unsigned)i * 13u), i % 4, 1 + i % 3};
    }
    tl_doc *d = make_doc(s, 55, 4);
    tl_layout_params p = {.kind = TL_LAYOUT_AXIS, .width = 960, .breaks = true,
                          .citations = true};
    tl_chart *c = tl_layout_new(d, &p, &fake);
    CHECK_INT(check_chart("decade", c), 0);
    CHECK_INT(c->unlabelled, 0);
    CHECK(c->height < 2 * c->width);
    tl_layout_free(c);
    free_doc(d);

    for (int i = 0; i < 40; i++) {
        const char *date = tl_arena_printf(&a, "1969-07-%02d", 1 + (i * 3) / 4);
        s[i] = (spec){date, NULL, make_title(&a, (unsigned)i * 7u + 3u), i % 3, 1 + i % 3};
    }
    d = make_doc(s, 40, 3);
    c = tl_layout_new(d, &p, &fake);
    CHECK_INT(check_chart("month", c), 0);
    CHECK_INT(c->unlabelled, 0);
    tl_layout_free(c);
    free_doc(d);

    for (int i = 0; i < 300; i++) {
        unsigned r = (unsigned)i * 2654435761u;
        const char *date = tl_arena_printf(&a, "%d-%02d-%02d", 1900 + (int)(r % 120),
                                           1 + (int)((r >> 8) % 12), 1 + (int)((r >> 16) % 28));
        s[i] = (spec){date, NULL, make_title(&a, r >> 4), (int)(r % 5), 1 + (int)(r % 3)};
    }
    d = make_doc(s, 300, 5);
    c = tl_layout_new(d, &p, &fake);
    CHECK_INT(check_chart("300", c), 0);
    CHECK_INT(c->unlabelled, 0);
    tl_layout_free(c);
    free_doc(d);
    tl_arena_release(&a);
}

/* In a fixed box the most important events get labels, the others
 * numbered callouts (a number at the marker, an entry in the key, in time
 * order); with callouts off, bare markers. */
static void test_callouts(void)
{
    tl_arena a;
    tl_arena_init(&a);
    spec s[60];
    for (int i = 0; i < 60; i++) {
        const char *date = tl_arena_printf(&a, "2014-%02d-%02d", 1 + i % 12, 1 + (i * 5) % 28);
        s[i] = (spec){date, NULL, make_title(&a, (unsigned)i * 3u), i % 3, 1 + (i * 7) % 3};
    }
    tl_doc *d = make_doc(s, 60, 3);
    const double heights[] = {260, 540, 800};
    for (int k = 0; k < 3; k++) {
        tl_layout_params p = {.kind = TL_LAYOUT_AXIS, .width = 960, .height = heights[k],
                              .breaks = true, .citations = true, .callouts = true};
        tl_chart *c = tl_layout_new(d, &p, &fake);
        char what[64];
        snprintf(what, sizeof what, "callouts-%.0f", heights[k]);
        CHECK_INT(check_chart(what, c), 0);
        CHECK_INT(c->height, heights[k]);
        CHECK_INT(inversions(c), 0);
        CHECK(c->unlabelled > 0);
        /* Every event is labelled or keyed where the key fits; in 260 pt
         * it does not, and the events left out are counted. */
        if (heights[k] >= 540)
            CHECK_INT(c->unnamed, 0);
        else
            CHECK(c->unnamed > 0);
        CHECK_INT(c->callouts + c->unnamed, c->unlabelled);
        CHECK_INT(count_role(c, TL_ROLE_KEY), c->callouts);
        /* Key entries in time order, each with a number at its marker. */
        int last = -1;
        size_t numbered = 0;
        for (size_t i = 0; i < c->nitems; i++) {
            const tl_item *it = &c->items[i];
            if (it->role == TL_ROLE_KEY) {
                CHECK(it->event > last);
                last = it->event;
                char num[16];
                snprintf(num, sizeof num, "%zu  ", numbered + 1);
                CHECK(strncmp(text_of(c, it), num, strlen(num)) == 0);
                /* The title isolated, so a right-to-left one keeps the
                 * number at the start of the line. */
                const char *iso = strstr(text_of(c, it), "\u2068");
                CHECK(iso && strncmp(iso + 3, c->events[it->event]->title,
                                     strlen(c->events[it->event]->title)) == 0);
                CHECK(strstr(text_of(c, it), "\u2069") != NULL);
                numbered++;
            }
        }
        CHECK(count_role(c, TL_ROLE_CALLOUT) > 0);
        for (size_t i = 0; i < c->nitems; i++)
            if (c->items[i].role == TL_ROLE_CALLOUT) {
                CHECK(c->items[i].event >= 0);
                CHECK(c->items[i].y + c->items[i].h <= c->height);
            }
        tl_layout_free(c);
        p.callouts = false;
        c = tl_layout_new(d, &p, &fake);
        CHECK_INT(check_chart("callouts-off", c), 0);
        CHECK_INT(count_role(c, TL_ROLE_CALLOUT) + count_role(c, TL_ROLE_KEY), 0);
        CHECK_INT(c->callouts, 0);
        CHECK_INT(inversions(c), 0);
        tl_layout_free(c);
    }
    free_doc(d);
    tl_arena_release(&a);
}

/* Every shaping the axis layout asks for is released or handed to the
 * chart, whichever way labels end: labelled, called out, dropped, or laid
 * out again without shared labels. */
static void test_axis_releases_shapings(void)
{
    tl_arena a;
    tl_arena_init(&a);
    spec s[300];
    for (int i = 0; i < 300; i++) {
        /* Runs of five on one date in one lane: shared labels. */
        const char *date = tl_arena_printf(&a, "%d-%02d", 1900 + (i / 5) % 100, 1 + (i / 5) % 12);
        s[i] = (spec){date, NULL, make_title(&a, (unsigned)i * 11u), (i / 5) % 3, 1 + i % 3};
    }
    tl_doc *d = make_doc(s, 300, 3);
    const double widths[] = {241, 960}, heights[] = {0, 400, 700};
    for (int w = 0; w < 2; w++)
        for (int h = 0; h < 3; h++) {
            fake_opts o = {.handles = true};
            const tl_measurer m = {&o, fake_measure, fake_release, fake_retain};
            tl_layout_params p = {.kind = TL_LAYOUT_AXIS, .width = widths[w],
                                  .height = heights[h], .citations = true, .callouts = true};
            tl_chart *c = tl_layout_new(d, &p, &m);
            CHECK(c != NULL);
            tl_layout_free(c);
            if (o.live)
                fprintf(stderr, "axis %.0f x %.0f: %ld shapings held\n", widths[w], heights[h],
                        o.live);
            CHECK_INT(o.live, 0);
        }
    free_doc(d);
    tl_arena_release(&a);
}

/* The dataset at its natural size: every event labelled, wider than tall. */
static void test_dataset_landscape(void)
{
    tl_doc *doc = NULL;
    tl_diag *diag = tl_diag_new();
    if (tl_doc_load_file("data/events.yaml", &doc, diag) == TL_OK) {
        tl_layout_params p = {.kind = TL_LAYOUT_AXIS, .width = 960, .breaks = true,
                              .citations = true};
        tl_chart *c = tl_layout_new(doc, &p, &fake);
        CHECK_INT(c->unlabelled, 0);
        CHECK(c->height < c->width);
        tl_layout_free(c);
    }
    tl_doc_free(doc);
    tl_diag_free(diag);
}

/* The list layout paginates when given a page height. */
static void test_list_pages(void)
{
    tl_arena a;
    tl_arena_init(&a);
    spec s[120];
    for (int i = 0; i < 120; i++) {
        char *date = tl_arena_printf(&a, "%d-%02d", 1990 + i / 12, 1 + i % 12);
        s[i] = (spec){date, NULL, make_title(&a, (unsigned)i * 31u), i % 3, 2};
    }
    tl_doc *d = make_doc(s, 120, 3);
    tl_layout_params p = {.kind = TL_LAYOUT_LIST, .width = 595, .height = 842,
                          .breaks = true, .citations = true};
    tl_chart *c = tl_layout_new(d, &p, &fake);
    CHECK(c->pages > 1);
    CHECK_INT(check_chart("list-pages", c), 0);
    CHECK_INT(count_role(c, TL_ROLE_SOURCE), 1);
    /* Every page has its number, "k / pages", and every page after the
     * first begins with a year heading (a year goes on over ten events). */
    for (int pg = 0; pg < c->pages; pg++) {
        char want[32];
        snprintf(want, sizeof want, "%d / %d", pg + 1, c->pages);
        int numbers = 0;
        const tl_item *first = NULL;
        for (size_t i = 0; i < c->nitems; i++) {
            const tl_item *it = &c->items[i];
            if (it->page != pg || it->kind != TL_ITEM_TEXT)
                continue;
            numbers += strcmp(text_of(c, it), want) == 0;
            if (!first || it->y < first->y)
                first = it;
        }
        CHECK_INT(numbers, 1);
        if (pg > 0 && first)
            CHECK(strncmp(text_of(c, first), "19", 2) == 0 ||
                  strncmp(text_of(c, first), "20", 2) == 0);
    }
    tl_layout_free(c);
    free_doc(d);
    tl_arena_release(&a);
}

/* Lanes that set a palette colour of their own push the others past it:
 * six lanes, two of them choosing the palette's fifth and third colours,
 * still give six different colours. */
static void test_lane_colors(void)
{
    tl_doc *d = make_doc(NULL, 0, 6);
    d->lanes[1].has_color = true;
    d->lanes[1].color = 0xE69F00;
    d->lanes[3].has_color = true;
    d->lanes[3].color = 0x009E73;
    for (int k = 0; k < 2; k++) {
        tl_theme_kind theme = k ? TL_THEME_DARK : TL_THEME_LIGHT;
        for (int i = 0; i < 6; i++)
            for (int j = i + 1; j < 6; j++) {
                tl_rgba a = tl_lane_color(d, i, theme), b = tl_lane_color(d, j, theme);
                CHECK(a.r != b.r || a.g != b.g || a.b != b.b);
            }
    }
    /* The lanes' own colours are kept. */
    tl_rgba own = tl_lane_color(d, 1, TL_THEME_LIGHT);
    CHECK(fabs(own.r - 0xE6 / 255.0) < 1e-9 && fabs(own.b - 0x00 / 255.0) < 1e-9);
    free_doc(d);
}

/* More events than labels fit: every event still gets its own mark, in
 * the axis and in the lanes layout.  Each event is on its own day, half a
 * unit or more from the next, so no two marks coincide. */
static void test_every_event_marked(void)
{
    enum { N = 3000 };
    tl_arena a;
    tl_arena_init(&a);
    static spec s[N];
    tl_day d0 = tl_days_from_civil(2005, 1, 1);
    for (int i = 0; i < N; i++) {
        int32_t y;
        int m, dd;
        tl_civil_from_days(d0 + i, &y, &m, &dd);
        char *date = tl_arena_printf(&a, "%d-%02d-%02d", (int)y, m, dd);
        s[i] = (spec){date, NULL, make_title(&a, (unsigned)i), i % 6, 1 + i % 3};
    }
    tl_doc *d = make_doc(s, N, 6);
    for (int k = 0; k < 2; k++) {
        tl_layout_params p = {.kind = k ? TL_LAYOUT_LANES : TL_LAYOUT_AXIS, .width = 1800,
                              .citations = true};
        tl_chart *c = tl_layout_new(d, &p, &fake);
        CHECK(c != NULL);
        if (!c)
            continue;
        size_t marks = 0, legend = 0, lane_colored = 0;
        for (size_t i = 0; i < c->nitems; i++)
            if (c->items[i].kind == TL_ITEM_MARKER) {
                const tl_item *it = &c->items[i];
                marks++;
                legend += it->role == TL_ROLE_LEGEND;
                if (it->event < 0)
                    continue;
                /* Day dates are not vague: each marker is filled with its
                 * lane's colour, through the chart's palette. */
                tl_rgba want = tl_lane_color(d, c->events[it->event]->lane, TL_THEME_LIGHT);
                tl_rgba got = tl_item_fill(c, it);
                lane_colored += memcmp(&want, &got, sizeof want) == 0;
            }
        CHECK(c->unlabelled > 0);
        CHECK_INT(marks - legend, N);
        CHECK_INT(lane_colored, N);
        /* The palette holds each colour once, transparent first; thousands
         * of items share a few dozen colours. */
        CHECK(c->ncolors > 6 && c->ncolors < 64);
        CHECK(c->colors[0].a == 0);
        size_t same = 0;
        for (size_t i = 0; i < c->ncolors; i++)
            for (size_t j = i + 1; j < c->ncolors; j++)
                same += memcmp(&c->colors[i], &c->colors[j], sizeof c->colors[i]) == 0;
        CHECK_INT(same, 0);
        tl_layout_free(c);
    }
    free_doc(d);
    tl_arena_release(&a);
}

/* A lane name that cannot break is wider than the gutter: it is cut and
 * clipped, and the plot keeps its width.  Uncut, the name pushed the plot
 * off the page and the label capacity went negative. */
static void test_unbreakable_lane_name(void)
{
    fake_opts o = {.unbreakable = true};
    const tl_measurer stubborn = {&o, fake_measure, NULL, NULL};
    tl_arena a;
    tl_arena_init(&a);
    spec s[] = {{"2001-03-04", NULL, "First", 0, 2}, {"2003-05-06", NULL, "Second", 0, 2}};
    tl_doc *d = make_doc(s, 2, 1);
    char *name = tl_arena_alloc(&a, 401);
    memset(name, 'W', 400);
    name[400] = '\0';
    d->lanes[0].label = name;
    tl_layout_params p = {.kind = TL_LAYOUT_LANES, .width = 320, .citations = true};
    tl_chart *c = tl_layout_new(d, &p, &stubborn);
    CHECK(c != NULL);
    if (c) {
        CHECK_INT(check_chart("unbreakable lane name", c), 0);
        const tl_item *lane = NULL;
        for (size_t i = 0; i < c->nitems; i++)
            if (c->items[i].role == TL_ROLE_LANE_LABEL && text_of(c, &c->items[i]) == name)
                lane = &c->items[i];
        CHECK(lane != NULL && lane->clip);
        /* Both events are labelled, right of the name: the plot kept room. */
        CHECK_INT(c->unlabelled, 0);
        for (size_t i = 0; lane && i < c->nitems; i++)
            if (c->items[i].kind == TL_ITEM_MARKER && c->items[i].role != TL_ROLE_LEGEND)
                CHECK(c->items[i].x > lane->x + lane->w);
        tl_layout_free(c);
    }
    free_doc(d);
    tl_arena_release(&a);
}

/* The scale tries several tick steps, measuring their labels each time;
 * every distinct tick label is measured once all the same, and every tick
 * label drawn, "Jul" in each year too, draws from that shaping. */
static void test_ticks_measured_once(void)
{
    spec s[] = {{"2001-03-04", NULL, "First", 0, 2}, {"2014-05-06", NULL, "Second", 0, 2},
                {"2015-01-13", NULL, "Third", 0, 2}};
    /* Quarterly ticks over two years: "Apr", "Jul" and "Oct" twice. */
    spec q[] = {{"2012-03-04", NULL, "First", 0, 2}, {"2012-09-06", NULL, "Second", 0, 2},
                {"2013-03-13", NULL, "Third", 0, 2}, {"2013-09-13", NULL, "Fourth", 0, 2},
                {"2014-03-13", NULL, "Fifth", 0, 2}};
    tl_doc *docs[] = {make_doc(s, 3, 1), make_doc(q, 5, 1)};
    const char *texts[] = {"May 2014", "Jul", "Jan 2015", "Jul", "Oct"};
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
        tl_doc *d = docs[k < 3 ? 0 : 1];
        fake_opts o = {.which = texts[k], .handles = true};
        const tl_measurer counting = {&o, fake_measure, fake_release, fake_retain};
        tl_layout_params p = {.kind = TL_LAYOUT_AXIS, .width = 960, .breaks = true};
        tl_chart *c = tl_layout_new(d, &p, &counting);
        CHECK(c != NULL);
        if (!c)
            continue;
        size_t drawn = 0;
        for (size_t i = 0; i < c->nitems; i++)
            drawn += c->items[i].role == TL_ROLE_TICK_LABEL &&
                     strcmp(text_of(c, &c->items[i]), texts[k]) == 0;
        if (!drawn || o.unwrapped != 1)
            fprintf(stderr, "tick '%s': drawn %zu times, measured %d times\n", texts[k], drawn,
                    o.unwrapped);
        CHECK(drawn >= 1);
        CHECK_INT(o.unwrapped, 1);
        size_t ticks = 0, shaped = 0;
        for (size_t i = 0; i < c->nitems; i++) {
            ticks += c->items[i].role == TL_ROLE_TICK_LABEL;
            shaped += c->items[i].role == TL_ROLE_TICK_LABEL && is_shaped(c, &c->items[i]);
        }
        CHECK(ticks > 3);
        CHECK_INT(shaped, ticks);
        if (k >= 3)
            CHECK(drawn >= 2);
        tl_layout_free(c);
        CHECK_INT(o.live, 0);
    }
    free_doc(docs[0]);
    free_doc(docs[1]);
}

/* Each layout asks for the source line's height before placing it; the
 * line is measured once. */
static void test_source_measured_once(void)
{
    spec s[] = {{"2001-03-04", NULL, "First", 0, 2}, {"2015-01-13", NULL, "Second", 0, 2}};
    tl_doc *d = make_doc(s, 2, 1);
    for (int k = 0; k < 3; k++) {
        fake_opts o = {.which = "Sources: [1] An Author, \u201cA source document\u201d."};
        const tl_measurer counting = {&o, fake_measure, NULL, NULL};
        tl_layout_params p = {.kind = (tl_layout_kind)k, .width = 960, .citations = true};
        tl_chart *c = tl_layout_new(d, &p, &counting);
        CHECK(c != NULL);
        if (!c)
            continue;
        CHECK_INT(count_role(c, TL_ROLE_SOURCE), 1);
        CHECK_INT(o.measured, 1);
        tl_layout_free(c);
    }
    free_doc(d);
}

/* In lanes, the grid is known only once the axis is placed, below the
 * lanes; it is still drawn under the events and their labels, so no grid
 * line crosses a label's text or a marker. */
static void test_lanes_grid_underneath(void)
{
    tl_doc *doc = NULL;
    tl_diag *diag = tl_diag_new();
    CHECK_INT(tl_doc_load_file("data/events.yaml", &doc, diag), TL_OK);
    tl_layout_params p = {.kind = TL_LAYOUT_LANES, .width = 960, .breaks = true,
                          .citations = true};
    tl_chart *c = doc ? tl_layout_new(doc, &p, &fake) : NULL;
    CHECK(c != NULL);
    if (c) {
        size_t last_grid = 0, first_content = SIZE_MAX, grids = 0;
        for (size_t i = 0; i < c->nitems; i++) {
            const tl_item *it = &c->items[i];
            /* A grid line is vertical and spans lanes; tick marks are short. */
            if (it->kind == TL_ITEM_LINE && it->w == 0 && it->h > 100) {
                grids++;
                last_grid = i;
            }
            bool content = it->kind == TL_ITEM_MARKER || it->role == TL_ROLE_LABEL ||
                           it->role == TL_ROLE_LABEL_DATE;
            if (content && first_content == SIZE_MAX)
                first_content = i;
        }
        CHECK(grids >= 3);
        CHECK(first_content != SIZE_MAX);
        if (last_grid >= first_content)
            fprintf(stderr, "grid line item %zu is drawn after content item %zu\n", last_grid,
                    first_content);
        CHECK(last_grid < first_content);
    }
    tl_layout_free(c);
    tl_doc_free(doc);
    tl_diag_free(diag);
}

/* Lanes: a mark without a label fills a gap in a sub-row that labels
 * opened, or goes to the lane's overflow row; it never opens a sub-row of
 * its own, a label tall.  With thousands of events in a lane, the marks
 * of events not labelled used to take every sub-row before the labels
 * came: rows of bare marks, and two labels.  Now every row of markers but
 * the overflow lies beside a label, and the labels come first. */
static void test_lanes_bare_marks(void)
{
    enum { N = 3000 };
    tl_arena a;
    tl_arena_init(&a);
    static spec s[N];
    for (int i = 0; i < N; i++) {
        unsigned r = (unsigned)i * 2654435761u;
        char *date = tl_arena_printf(&a, "%d-%02d-%02d", 2010 + i % 2,
                                     1 + (int)((r >> 8) % 12), 1 + (int)((r >> 16) % 28));
        s[i] = (spec){date, NULL, make_title(&a, r), 0, 3};
    }
    tl_doc *d = make_doc(s, N, 1);
    tl_layout_params p = {.kind = TL_LAYOUT_LANES, .width = 960, .citations = true};
    tl_chart *c = tl_layout_new(d, &p, &fake);
    CHECK(c != NULL);
    if (c) {
        double rows[64];
        size_t nrows = 0, bare_rows = 0;
        for (size_t i = 0; i < c->nitems; i++) {
            const tl_item *m = &c->items[i];
            if (m->kind != TL_ITEM_MARKER)
                continue;
            bool seen = false;
            for (size_t k = 0; k < nrows && !seen; k++)
                seen = fabs(rows[k] - m->y) < 0.01;
            if (seen || nrows == sizeof rows / sizeof rows[0])
                continue;
            rows[nrows++] = m->y;
            bool beside_label = false;
            for (size_t j = 0; j < c->nitems && !beside_label; j++) {
                const tl_item *t = &c->items[j];
                beside_label = (t->role == TL_ROLE_LABEL || t->role == TL_ROLE_LABEL_DATE) &&
                               m->y >= t->y && m->y <= t->y + t->h;
            }
            bare_rows += !beside_label;
        }
        if (bare_rows > 1)
            fprintf(stderr, "lanes: %zu of %zu marker rows have no label\n", bare_rows, nrows);
        CHECK(nrows >= 3);
        CHECK(bare_rows <= 1);
        CHECK(c->unlabelled < N - 10);
        /* The labels take their room before the bare marks do, and in an
         * order that spreads them over the time: each fifth of the two
         * years has labelled events, not only the first in date order. */
        tl_day lo = c->events[0]->date.earliest, hi = lo;
        for (size_t i = 1; i < c->nevents; i++) {
            tl_day day = c->events[i]->date.earliest;
            lo = day < lo ? day : lo;
            hi = day > hi ? day : hi;
        }
        int fifths[5] = {0};
        for (size_t i = 0; i < c->nitems; i++) {
            const tl_item *t = &c->items[i];
            if (t->role != TL_ROLE_LABEL || t->event < 0)
                continue;
            double f = (double)(c->events[t->event]->date.earliest - lo) / (double)(hi - lo + 1);
            fifths[(int)(f * 5)]++;
        }
        int spread = 0;
        for (int k = 0; k < 5; k++)
            spread += fifths[k] >= 2;
        if (spread < 5)
            fprintf(stderr, "lanes: labels in each fifth of the time %d %d %d %d %d\n",
                    fifths[0], fifths[1], fifths[2], fifths[3], fifths[4]);
        CHECK_INT(spread, 5);
    }
    tl_layout_free(c);
    free_doc(d);
    tl_arena_release(&a);
}

/* Each text is shaped once and drawn from that shaping, so a chart's text
 * items carry the measurer's handle; a list of more texts than the budget
 * holds no more than the budget at once, the rest drawn from their sizes.
 * Every handle is released by the end. */
static void test_shaped_budget(void)
{
    tl_arena a;
    tl_arena_init(&a);
    enum { N = 8000 };
    static spec s[N];
    for (int i = 0; i < N; i++) {
        unsigned r = (unsigned)i * 2654435761u;
        char *date = tl_arena_printf(&a, "%d-%02d-%02d", 2000 + (int)(r % 15),
                                     1 + (int)((r >> 8) % 12), 1 + (int)((r >> 16) % 28));
        s[i] = (spec){date, NULL, make_title(&a, r), (int)(r % 3), 1 + (int)(r % 3)};
    }
    size_t sizes[] = {100, 2500, N};
    for (size_t k = 0; k < 3; k++) {
        tl_doc *d = make_doc(s, sizes[k], 3);
        for (int kind = 0; kind < 3; kind++) {
            fake_opts o = {.handles = true};
            const tl_measurer m = {&o, fake_measure, fake_release, fake_retain};
            tl_layout_params p = {.kind = (tl_layout_kind)kind, .width = 960,
                                  .citations = true};
            tl_chart *c = tl_layout_new(d, &p, &m);
            CHECK(c != NULL);
            if (!c)
                continue;
            size_t texts = 0, shaped = 0;
            for (size_t i = 0; i < c->nitems; i++) {
                texts += c->items[i].kind == TL_ITEM_TEXT;
                shaped += is_shaped(c, &c->items[i]);
            }
            /* One more than the budget while a text beyond it is measured. */
            CHECK(o.max_live <= TL_KEEP_SHAPED_TEXTS + 1);
            if (texts <= TL_KEEP_SHAPED_TEXTS / 2) {
                if (shaped != texts)
                    fprintf(stderr, "%zu events, layout %d: %zu of %zu texts shaped\n",
                            sizes[k], kind, shaped, texts);
                CHECK_INT(shaped, texts);
            } else {
                CHECK(shaped < texts && shaped >= TL_KEEP_SHAPED_TEXTS / 2);
            }
            tl_layout_free(c);
            CHECK_INT(o.live, 0);
        }
        free_doc(d);
    }
    tl_arena_release(&a);
}

/* A dense chart in lanes, with no height given: when only a sample can
 * be labelled, the lanes share as many label rows as the axis layout has
 * levels, so the chart stays about as tall as its axis form (it was five
 * times as tall as wide), and every lane keeps some labels. */
static void test_lanes_dense_height(void)
{
    tl_arena a;
    tl_arena_init(&a);
    enum { N = 3000, LANES = 6 };
    static spec s[N];
    for (int i = 0; i < N; i++) {
        unsigned r = (unsigned)i * 2654435761u;
        char *date = tl_arena_printf(&a, "%d-%02d-%02d", 2005 + (int)(r % 15),
                                     1 + (int)((r >> 8) % 12), 1 + (int)((r >> 16) % 28));
        s[i] = (spec){date, NULL, make_title(&a, r), i % LANES, 1 + (int)(r % 3)};
    }
    tl_doc *d = make_doc(s, N, LANES);
    tl_layout_params p = {.kind = TL_LAYOUT_LANES, .width = 960, .citations = true};
    tl_chart *c = tl_layout_new(d, &p, &fake);
    CHECK(c != NULL);
    if (c) {
        if (c->height > 2 * c->width)
            fprintf(stderr, "dense lanes: %.0f tall at %.0f wide\n", c->height, c->width);
        CHECK(c->height <= 2 * c->width);
        CHECK(c->unlabelled > 0 && c->unlabelled < N);
        int per_lane[LANES] = {0};
        for (size_t i = 0; i < c->nitems; i++) {
            const tl_item *t = &c->items[i];
            if (t->role == TL_ROLE_LABEL && t->event >= 0 && c->events[t->event]->lane >= 0)
                per_lane[c->events[t->event]->lane]++;
        }
        for (int k = 0; k < LANES; k++)
            CHECK(per_lane[k] >= 2);
        CHECK_INT(check_chart("dense lanes", c), 0);
    }
    tl_layout_free(c);
    free_doc(d);
    tl_arena_release(&a);
}

/* ---- Lanes: rows, spans, open dates ------------------------------------ */

/* The mark drawn for an event: span bar, marker or open-date mark. */
static bool is_mark(const tl_item *it)
{
    return it->event >= 0 && it->role == TL_ROLE_DECOR &&
           (it->kind == TL_ITEM_RECT || it->kind == TL_ITEM_MARKER || it->kind == TL_ITEM_OPEN);
}

/* An open-date mark's box: from its bound to the end of its tail. */
static box mark_box(const tl_item *it)
{
    if (it->kind == TL_ITEM_OPEN)
        return (box){fmin(it->x, it->x + it->w), it->y - it->h / 2, fmax(it->x, it->x + it->w),
                     it->y + it->h / 2};
    return item_box(it);
}

static const tl_item *mark_of(const tl_chart *c, int ev)
{
    for (size_t i = 0; i < c->nitems; i++)
        if (is_mark(&c->items[i]) && c->items[i].event == ev)
            return &c->items[i];
    return NULL;
}

static int event_titled(const tl_chart *c, const char *title)
{
    for (size_t i = 0; i < c->nevents; i++)
        if (strcmp(c->events[i]->title, title) == 0)
            return (int)i;
    return -1;
}

/* In a lane of overlapping programmes: no two things drawn in a lane
 * overlap (marks, bars, open-date tails, labels), overlapping spans sit on
 * different rows, rows begin in time order from the top, rows are shared,
 * a label that fits goes inside its bar in a contrasting colour, and open
 * dates are a bound with a tail toward the unknown side, not a marker. */
static void test_lanes_rows(void)
{
    const spec s[] = {
        {"2010-01", "2014-06", "First long programme", 0, 2},
        {"2010-05", "2012-02", "Study", 1, 2},
        {"2011-03", "2016-02", "Second long programme", 0, 2},
        {"2011-06-01", NULL, "Contract signed", 0, 2},
        {"2012-03-01", NULL, "Law passed", 1, 3},
        {"2012-05", "2013-01", "Short pilot", 0, 2},
        {"../2013-01-13", NULL, "Office founded", 1, 2},
        {"2013-09-01", NULL, "Audit", 0, 2},
        {"2014-02-01", NULL, "Review", 1, 2},
        {"2015-01", "2018-12", "Third", 0, 2},
        {"2016-07", "2017-03", "Inquiry", 1, 2},
        {"2017/..", NULL, "Successor", 0, 2},
    };
    size_t n = sizeof s / sizeof s[0];
    tl_doc *d = make_doc(s, n, 2);
    tl_layout_params p = {.kind = TL_LAYOUT_LANES, .width = 960, .breaks = true,
                          .citations = false};
    tl_chart *c = tl_layout_new(d, &p, &fake);
    CHECK(c != NULL);
    if (!c) {
        free_doc(d);
        return;
    }
    CHECK_INT(c->unlabelled, 0);
    CHECK_INT(check_chart("lanes-rows", c), 0);
    /* Nothing drawn for one event meets what is drawn for another. */
    int bad = 0;
    for (size_t i = 0; i < c->nitems; i++) {
        const tl_item *a = &c->items[i];
        bool ta = a->kind == TL_ITEM_TEXT && a->event >= 0;
        if (!ta && !is_mark(a))
            continue;
        for (size_t j = i + 1; j < c->nitems; j++) {
            const tl_item *b = &c->items[j];
            bool tb = b->kind == TL_ITEM_TEXT && b->event >= 0;
            if ((!tb && !is_mark(b)) || a->event == b->event)
                continue;
            if (overlap(ta ? item_box(a) : mark_box(a), tb ? item_box(b) : mark_box(b))) {
                if (bad++ < 5)
                    fprintf(stderr, "lanes-rows: '%s' meets '%s'\n",
                            c->events[a->event]->title, c->events[b->event]->title);
            }
        }
    }
    CHECK_INT(bad, 0);

    /* Overlapping spans: different rows. */
    const tl_item *first = mark_of(c, event_titled(c, "First long programme"));
    const tl_item *second = mark_of(c, event_titled(c, "Second long programme"));
    const tl_item *pilot = mark_of(c, event_titled(c, "Short pilot"));
    const tl_item *third = mark_of(c, event_titled(c, "Third"));
    CHECK(first && second && pilot && third);
    if (first && second && pilot && third) {
        CHECK(first->kind == TL_ITEM_RECT && second->kind == TL_ITEM_RECT);
        CHECK(fabs(first->y - second->y) > 1);
        CHECK(fabs(second->y - pilot->y) > 1 && fabs(first->y - pilot->y) > 1);
        /* The earliest starts the top row; the third programme, after the
         * first ends, shares its row. */
        CHECK(first->y < second->y && second->y < pilot->y);
        CHECK(fabs(third->y + third->h / 2 - first->y - first->h / 2) < 0.01);
    }

    /* Rows in time order: by the rows' top, their first marks' x rise. */
    for (int lane = 0; lane < 2; lane++) {
        double row_y[16], row_x[16];
        int nrows = 0, nev = 0;
        for (size_t i = 0; i < c->nitems; i++) {
            const tl_item *m = &c->items[i];
            if (!is_mark(m) || c->events[m->event]->lane != lane)
                continue;
            nev++;
            box b = mark_box(m);
            double cy = (b.y0 + b.y1) / 2;
            int k = 0;
            while (k < nrows && fabs(row_y[k] - cy) > 0.01)
                k++;
            if (k == nrows) {
                row_y[k] = cy;
                row_x[k] = b.x0;
                nrows++;
            } else {
                row_x[k] = fmin(row_x[k], b.x0);
            }
        }
        int ordered = 0;
        for (int a = 0; a < nrows; a++)
            for (int b = 0; b < nrows; b++)
                ordered += row_y[a] < row_y[b] && row_x[a] > row_x[b] + 0.01;
        CHECK_INT(ordered, 0);
        CHECK(nrows < nev);   /* events share rows */
    }

    /* "Third" fits inside its bar: its title lies within, in white on the
     * blue of the first lane. */
    int th = event_titled(c, "Third");
    for (size_t i = 0; third && i < c->nitems; i++) {
        const tl_item *t = &c->items[i];
        if (t->kind != TL_ITEM_TEXT || t->event != th || t->role != TL_ROLE_LABEL)
            continue;
        CHECK(t->x >= third->x && t->x + t->w <= third->x + third->w);
        CHECK(t->y >= third->y && t->y + t->h <= third->y + third->h);
        tl_rgba ink = tl_item_fill(c, t);
        CHECK(ink.r == 1 && ink.g == 1 && ink.b == 1);
    }

    /* Open dates: no marker, a tail running off toward the unknown side
     * from the bound (the end of 13 Jan 2013; the start of 2017). */
    int before = event_titled(c, "Office founded"), after = event_titled(c, "Successor");
    const tl_item *ob = mark_of(c, before), *oa = mark_of(c, after);
    CHECK(ob && ob->kind == TL_ITEM_OPEN && ob->w < 0);
    CHECK(oa && oa->kind == TL_ITEM_OPEN && oa->w > 0);
    if (ob && oa) {
        tl_day b = tl_days_from_civil(2013, 1, 13), a = tl_days_from_civil(2017, 1, 1);
        CHECK(fabs(ob->x - tl_scale_x(&c->scale, b + 1.0)) < 1e-9);
        CHECK(fabs(oa->x - tl_scale_x(&c->scale, a)) < 1e-9);
    }
    for (size_t i = 0; i < c->nitems; i++)
        CHECK(c->items[i].kind != TL_ITEM_MARKER ||
              (c->items[i].event != before && c->items[i].event != after));
    tl_layout_free(c);

    /* A box too small for any two-line label: the spans' bars still get
     * rows of their own, not one drawn over another; what is labelled is
     * a one-line label in a row's gap, clear of every other event's mark
     * and text. */
    p.height = 200;
    c = tl_layout_new(d, &p, &fake);
    CHECK(c != NULL);
    if (c) {
        int titled = 0;
        for (size_t i = 0; i < c->nitems; i++) {
            const tl_item *t = &c->items[i];
            if (t->kind != TL_ITEM_TEXT || t->role != TL_ROLE_LABEL)
                continue;
            titled++;
            for (size_t j = 0; j < c->nitems; j++) {
                const tl_item *o = &c->items[j];
                if (o->event < 0 || o->event == t->event)
                    continue;
                if (is_mark(o))
                    CHECK(!overlap(item_box(t), mark_box(o)));
                else if (o->kind == TL_ITEM_TEXT)
                    CHECK(!overlap(item_box(t), item_box(o)));
            }
        }
        CHECK(titled > 0);
        CHECK_INT(c->unlabelled, n - titled);
        first = mark_of(c, event_titled(c, "First long programme"));
        second = mark_of(c, event_titled(c, "Second long programme"));
        pilot = mark_of(c, event_titled(c, "Short pilot"));
        CHECK(first && second && pilot);
        if (first && second && pilot) {
            CHECK(!overlap(item_box(first), item_box(second)));
            CHECK(!overlap(item_box(first), item_box(pilot)));
            CHECK(!overlap(item_box(second), item_box(pilot)));
        }
        tl_layout_free(c);
    }
    p.height = 0;

    /* On the axis too. */
    p.kind = TL_LAYOUT_AXIS;
    c = tl_layout_new(d, &p, &fake);
    CHECK(c != NULL);
    if (c) {
        const tl_item *ax = mark_of(c, event_titled(c, "Office founded"));
        CHECK(ax && ax->kind == TL_ITEM_OPEN && ax->w < 0);
        tl_layout_free(c);
    }
    free_doc(d);
}

/* An open end ("..": it has none) and an unknown one (empty: not known)
 * are drawn apart: the unknown one's tail is dashed (dash 1), on the axis
 * and in lanes, toward its side. */
static void test_open_and_unknown_ends(void)
{
    const spec s[] = {
        {"2010-03-01", NULL, "Start", 0, 2},
        {"2011-04-12/", NULL, "Unknown end", 0, 2},
        {"2012/..", NULL, "Open end", 0, 2},
        {"/2013-05", NULL, "Unknown start", 0, 2},
        {"../2013-09", NULL, "Open start", 0, 2},
        {"2015-06-01", NULL, "Last", 0, 2},
    };
    tl_doc *d = make_doc(s, sizeof s / sizeof s[0], 1);
    for (int kind = 0; kind < 2; kind++) {
        tl_layout_params p = {.kind = kind ? TL_LAYOUT_LANES : TL_LAYOUT_AXIS, .width = 960,
                              .breaks = true};
        tl_chart *c = tl_layout_new(d, &p, &fake);
        CHECK(c != NULL);
        if (!c)
            continue;
        static const char *const titles[] = {"Unknown end", "Open end", "Unknown start",
                                             "Open start"};
        for (int k = 0; k < 4; k++) {
            const tl_item *m = mark_of(c, event_titled(c, titles[k]));
            CHECK(m && m->kind == TL_ITEM_OPEN);
            if (!m || m->kind != TL_ITEM_OPEN)
                continue;
            CHECK_INT(m->dash, k % 2 == 0);
            CHECK(k < 2 ? m->w > 0 : m->w < 0);
        }
        tl_layout_free(c);
    }
    free_doc(d);
}

/* In a fixed box, the lanes layout labels the most important first: no
 * unlabelled event is more important than a labelled one, and among the
 * least important labelled the labels spread over the time. */
static void test_lanes_importance_first(void)
{
    enum { N = 90 };
    tl_arena a;
    tl_arena_init(&a);
    spec s[N];
    for (int i = 0; i < N; i++) {
        char *date = tl_arena_printf(&a, "2014-%02d-%02d", 1 + i / 9, 1 + 3 * (i % 9));
        unsigned r = (unsigned)i * 2654435761u;
        s[i] = (spec){date, NULL, make_title(&a, r), i % 2, 1 + (int)((r >> 9) % 3)};
    }
    tl_doc *d = make_doc(s, N, 2);
    const double heights[] = {420, 600, 900};
    for (size_t k = 0; k < 3; k++) {
        tl_layout_params p = {.kind = TL_LAYOUT_LANES, .width = 960, .height = heights[k],
                              .citations = true};
        tl_chart *c = tl_layout_new(d, &p, &fake);
        CHECK(c != NULL);
        if (!c)
            continue;
        bool labelled[N] = {false};
        for (size_t i = 0; i < c->nitems; i++)
            if (c->items[i].role == TL_ROLE_LABEL && c->items[i].event >= 0)
                labelled[c->items[i].event] = true;
        int lo_labelled = 4, hi_unlabelled = 0;
        size_t nl = 0;
        for (size_t i = 0; i < c->nevents; i++) {
            int imp = c->events[i]->importance;
            nl += labelled[i];
            if (labelled[i] && imp < lo_labelled)
                lo_labelled = imp;
            if (!labelled[i] && imp > hi_unlabelled)
                hi_unlabelled = imp;
        }
        CHECK(c->unlabelled > 0 && nl > 0);
        CHECK_INT(nl + c->unlabelled, N);
        if (hi_unlabelled > lo_labelled)
            fprintf(stderr, "lanes %.0f: an importance-%d event unlabelled, an importance-%d"
                            " one labelled\n", heights[k], hi_unlabelled, lo_labelled);
        CHECK(hi_unlabelled <= lo_labelled);
        CHECK_INT(check_chart("lanes-importance", c), 0);
        CHECK_INT(c->height, heights[k]);
        tl_layout_free(c);
    }
    free_doc(d);
    tl_arena_release(&a);
}

/* A PNG is the chart of the PDF with the same options: the same box in
 * points, whatever unit the size was given in, so the same layout. */
static void test_png_box_is_pdf_box(void)
{
    const char *const sizes[][2] = {{"page", "slide-16x9"}, {"page", "a4"}, {"width", "85mm"},
                                    {"width", "1600px"}, {"width", "1200"}, {NULL, NULL}};
    const double want_w[] = {960, 595.28, 85 / 25.4 * 72, 1200, 1200};
    const double want_h[] = {540, 841.89, 0, 0, 0};
    spec s[24];
    tl_arena a;
    tl_arena_init(&a);
    for (int i = 0; i < 24; i++)
        s[i] = (spec){tl_arena_printf(&a, "2014-%02d-%02d", 1 + i % 12, 1 + i), NULL,
                      make_title(&a, (unsigned)i * 7919u), i % 3, 1 + i % 3};
    tl_doc *d = make_doc(s, 24, 3);
    for (int k = 0; sizes[k][0]; k++) {
        tl_options *o = tl_options_new();
        tl_diag *diag = tl_diag_new();
        CHECK(tl_options_set(o, sizes[k][0], sizes[k][1], diag) == TL_OK);
        tl_layout_params png, pdf;
        CHECK(tl_options_resolve(o, TL_FORMAT_PNG, &png, diag) == TL_OK);
        CHECK(tl_options_resolve(o, TL_FORMAT_PDF, &pdf, diag) == TL_OK);
        CHECK(fabs(png.width - want_w[k]) < 1e-9 && fabs(pdf.width - want_w[k]) < 1e-9);
        CHECK(fabs(png.height - want_h[k]) < 1e-9 && fabs(pdf.height - want_h[k]) < 1e-9);
        for (int kind = 0; kind < 2; kind++) {
            png.kind = pdf.kind = kind ? TL_LAYOUT_LANES : TL_LAYOUT_AXIS;
            tl_chart *cp = tl_layout_new(d, &png, &fake), *cd = tl_layout_new(d, &pdf, &fake);
            CHECK(cp && cd);
            if (cp && cd) {
                CHECK_INT(cp->nitems, cd->nitems);
                CHECK_INT(cp->unlabelled, cd->unlabelled);
                CHECK(cp->width == cd->width && cp->height == cd->height);
            }
            tl_layout_free(cp);
            tl_layout_free(cd);
        }
        tl_diag_free(diag);
        tl_options_free(o);
    }
    free_doc(d);
    tl_arena_release(&a);
}

/* In a fixed box the lanes layout numbers events it cannot label, in time
 * order, beside their marks and in a key under the chart: the counts the
 * chart reports match its items, nothing overlaps, and the numbers follow
 * the events' order.  A box too small for every label may identify every
 * event this way. */
static void test_lanes_callouts(void)
{
    enum { N = 40 };
    tl_arena a;
    tl_arena_init(&a);
    spec s[N];
    for (int i = 0; i < N; i++) {
        char *date = tl_arena_printf(&a, "2014-%02d-%02d", 1 + i / 4, 1 + 7 * (i % 4));
        s[i] = (spec){date, NULL, make_title(&a, (unsigned)i * 40503u), i % 3, 1 + i % 3};
    }
    tl_doc *d = make_doc(s, N, 3);
    const double heights[] = {400, 560};
    for (size_t k = 0; k < 2; k++) {
        tl_layout_params p = {.kind = TL_LAYOUT_LANES, .width = 960, .height = heights[k],
                              .citations = true, .callouts = true};
        /* Every shaping handed out is released, numbered events' too. */
        fake_opts o = {.handles = true};
        const tl_measurer m = {&o, fake_measure, fake_release, fake_retain};
        tl_chart *c = tl_layout_new(d, &p, &m);
        CHECK(c != NULL);
        if (!c)
            continue;
        CHECK_INT(check_chart("lanes-callouts", c), 0);
        size_t labels = 0, numbers = 0, keys = 0;
        bool ordered = true;
        for (size_t i = 0; i < c->nitems; i++) {
            const tl_item *t = &c->items[i];
            labels += t->role == TL_ROLE_LABEL && t->event >= 0;
            keys += t->role == TL_ROLE_KEY;
            if (t->role != TL_ROLE_CALLOUT)
                continue;
            numbers++;
            /* Numbers rise with the events' dates. */
            for (size_t j = 0; j < c->nitems; j++) {
                const tl_item *u = &c->items[j];
                if (u->role == TL_ROLE_CALLOUT && atoi(text_of(c, u)) > atoi(text_of(c, t)) &&
                    u->event < t->event)
                    ordered = false;
            }
        }
        CHECK(ordered);
        CHECK(c->callouts > 0);
        CHECK_INT(numbers, c->callouts);
        CHECK_INT(keys, c->callouts);
        CHECK_INT(labels + c->unlabelled, N);
        CHECK_INT(c->unnamed, c->unlabelled - c->callouts);
        CHECK_INT(c->height, heights[k]);
        tl_layout_free(c);
        CHECK_INT(o.live, 0);
    }
    free_doc(d);
    tl_arena_release(&a);
}

/* A crowded lane in a small box: marks that find no room share a bare
 * row, and no callout number is ever set over one of them. */
static void test_lanes_crowded_callouts(void)
{
    enum { N = 150 };
    tl_arena a;
    tl_arena_init(&a);
    spec s[N];
    for (int i = 0; i < N; i++) {
        unsigned r = (unsigned)i * 2654435761u;
        char *date = tl_arena_printf(&a, "%d-%02d-%02d", 1990 + (int)(r % 30),
                                     1 + (int)((r >> 8) % 12), 1 + (int)((r >> 16) % 28));
        s[i] = (spec){date, NULL, make_title(&a, r), i % 2, 1 + (int)((r >> 4) % 3)};
    }
    tl_doc *d = make_doc(s, N, 2);
    const double heights[] = {300, 360, 540};
    for (size_t k = 0; k < 3; k++) {
        tl_layout_params p = {.kind = TL_LAYOUT_LANES, .width = 960, .height = heights[k],
                              .citations = true, .callouts = true};
        tl_chart *c = tl_layout_new(d, &p, &fake);
        CHECK(c != NULL);
        if (!c)
            continue;
        char what[64];
        snprintf(what, sizeof what, "lanes-crowded-%.0f", heights[k]);
        CHECK_INT(check_chart(what, c), 0);
        CHECK(c->callouts > 0);
        tl_layout_free(c);
    }
    free_doc(d);
    tl_arena_release(&a);
}

/* The axis runs on the display zone's clock: an event at 09:00 +09:00
 * sits 9/24 into its local day, and a calendar date of that day covers
 * the same local day.  (Placed by UTC, the time fell on the day's
 * midnight tick while its label said 09:00.) */
static void test_timed_on_zone_clock(void)
{
    static const char yaml[] = "title: Zone clock\n"
                               "events:\n"
                               "  - {id: a, date: \"2014-11-24T09:00+09:00\", title: Timed}\n"
                               "  - {id: b, date: 2014-11-24, title: Day}\n"
                               "  - {id: c, date: \"2014-11-26T18:00+09:00\", title: Later}\n";
    tl_doc *d = NULL;
    CHECK_INT(tl_doc_load_buffer("zone.yaml", yaml, strlen(yaml), &d, NULL), TL_OK);
    if (!d)
        return;
    tl_layout_params p = {.kind = TL_LAYOUT_AXIS, .width = 960, .breaks = false,
                          .tz = TL_TZ_NONE, .lang = -1};
    tl_chart *c = tl_layout_new(d, &p, &fake);
    CHECK(c != NULL);
    double day = (double)tl_days_from_civil(2014, 11, 24);
    int found = 0;
    for (size_t i = 0; c && i < c->nitems; i++) {
        const tl_item *it = &c->items[i];
        if (it->kind != TL_ITEM_MARKER || it->event < 0)
            continue;
        const char *t = c->events[it->event]->title;
        /* A minute's marker stands at its middle, 30 s in. */
        double minute = 30.0 / 86400;
        double want = strcmp(t, "Timed") == 0 ? day + 9.0 / 24 + minute
                      : strcmp(t, "Day") == 0 ? day + 0.5 : day + 2 + 18.0 / 24 + minute;
        CHECK(fabs(it->x - tl_scale_x(&c->scale, want)) < 0.01);
        found++;
    }
    CHECK_INT(found, 3);
    tl_layout_free(c);
    tl_doc_free(d);
}

int main(void)
{
    test_lanes_dense_height();
    test_shaped_budget();
    test_lanes_bare_marks();
    test_lanes_grid_underneath();
    test_source_measured_once();
    test_ticks_measured_once();
    test_unbreakable_lane_name();
    test_lane_colors();
    test_generated();
    test_dataset();
    test_fixed_height();
    test_lanes_fixed_height();
    test_shared_labels();
    test_natural_every_label();
    test_callouts();
    test_dataset_landscape();
    test_axis_releases_shapings();
    test_list_pages();
    test_every_event_marked();
    test_lanes_rows();
    test_open_and_unknown_ends();
    test_lanes_importance_first();
    test_png_box_is_pdf_box();
    test_lanes_callouts();
    test_lanes_crowded_callouts();
    test_timed_on_zone_clock();
    return check_report("test_layout");
}
