/* layout_quality.c — how well the axis and lanes layouts identify events,
 * measured on the corpus in tests/data/corpus/.
 *
 * Every dataset is laid out with the real font measurer in both layouts at
 * four sizes (natural, --page a4, --page slide-16x9, --width 85mm), and the
 * geometry of each chart is measured:
 *
 *   labelled    events with a title on the chart (a TL_ROLE_LABEL text)
 *   callouts    events without one, identified by a number at the marker
 *               (TL_ROLE_CALLOUT) and an entry in the key (TL_ROLE_KEY), both
 *               items carrying the event's index
 *   unnamed     events with neither a label nor both of those
 *   inversions  pairs (u, l): u has no label, l has one, and u is more
 *               important than l
 *   overlaps    pairs of texts, or a text and a marker of another event,
 *               whose boxes intersect (markers among themselves sit at their
 *               true dates and are not counted)
 *   crossings   a leader (TL_ROLE_STEM line) crossing another event's
 *               leader, label, key entry or marker, or any other text but a
 *               haloed tick label
 *   aspect      chart width / height
 *   label area  the label boxes' area / the chart's area
 *
 * Usage: layout_quality [--csv | --totals] [--strict] [--verbose] [FILE...]
 * Without files it measures every .yaml file in tests/data/corpus/ (run it
 * from the source directory).  It prints a Markdown table (CSV with --csv;
 * only the totals per layout and size with --totals; --verbose lists each
 * chart's first overlaps and crossings on stderr) and exits 1 when a chart
 * has an overlap, a crossing, or a text or marker off the page.  --strict
 * (or TL_QUALITY_STRICT=1 in the environment) also requires no inversions,
 * every event labelled at natural size up to 300 events, no unnamed event
 * in a fixed box where the key fits (an event may go unnamed only when the
 * box is full: under 8 % of its height free between the lowest item and
 * the bottom margin, taken as wide as the left one), and
 * the chart's own counts (unlabelled, callouts, unnamed) equal to what its
 * items show, and at natural size a chart no taller than wide unless it is
 * 2400 pt wide or would still be taller than wide at 2400 pt (or take
 * over 1.25 times the area there). */
#include "layout.h"
#include "options.h"
#include "render.h"
#include "timeline.h"

#include <dirent.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPS 0.01
#define CORPUS_DIR "tests/data/corpus"
#define MAX_FULL_LABELS 300   /* events up to which natural size labels all */

/* ---- Geometry ---------------------------------------------------------- */

typedef struct box {
    double x0, y0, x1, y1;
} box;

typedef struct seg {
    double ax, ay, bx, by;
} seg;

/* The interiors of a and b meet: touching edges do not count. */
static bool box_overlap(box a, box b)
{
    return a.x0 < b.x1 - EPS && b.x0 < a.x1 - EPS && a.y0 < b.y1 - EPS && b.y0 < a.y1 - EPS;
}

/* Which side of the line through a and b the point p lies on: 1 left,
 * -1 right, 0 on it (within EPS of the line). */
static int orient(double ax, double ay, double bx, double by, double px, double py)
{
    double len = hypot(bx - ax, by - ay);
    double cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax);
    if (len > 0 ? fabs(cross) / len <= EPS : hypot(px - ax, py - ay) <= EPS)
        return 0;
    return cross > 0 ? 1 : -1;
}

static bool same_point(double ax, double ay, double bx, double by)
{
    return fabs(ax - bx) <= EPS && fabs(ay - by) <= EPS;
}

/* p, known to be on the line through s, lies within s (ends included). */
static bool on_seg(seg s, double px, double py)
{
    return px >= fmin(s.ax, s.bx) - EPS && px <= fmax(s.ax, s.bx) + EPS &&
           py >= fmin(s.ay, s.by) - EPS && py <= fmax(s.ay, s.by) + EPS;
}

/* Length of the stretch two collinear segments share. */
static double collinear_overlap(seg s, seg t)
{
    double dx = s.bx - s.ax, dy = s.by - s.ay, len = hypot(dx, dy);
    if (len <= EPS)
        return 0;
    dx /= len;
    dy /= len;
    double t0 = (t.ax - s.ax) * dx + (t.ay - s.ay) * dy;
    double t1 = (t.bx - s.ax) * dx + (t.by - s.ay) * dy;
    return fmin(len, fmax(t0, t1)) - fmax(0, fmin(t0, t1));
}

/* Two leaders cross: they meet anywhere but at an end they share.  A
 * T-junction (an end on the other's middle) and a shared stretch count. */
static bool seg_cross(seg s, seg t)
{
    int o1 = orient(s.ax, s.ay, s.bx, s.by, t.ax, t.ay);
    int o2 = orient(s.ax, s.ay, s.bx, s.by, t.bx, t.by);
    int o3 = orient(t.ax, t.ay, t.bx, t.by, s.ax, s.ay);
    int o4 = orient(t.ax, t.ay, t.bx, t.by, s.bx, s.by);
    if (o1 == 0 && o2 == 0)
        return collinear_overlap(s, t) > EPS;
    if (o1 * o2 < 0 && o3 * o4 < 0)
        return true;   /* a proper crossing */
    /* An end of one on the other: a crossing unless it is an end of both. */
    double px, py;
    if (o1 == 0 && on_seg(s, t.ax, t.ay))
        px = t.ax, py = t.ay;
    else if (o2 == 0 && on_seg(s, t.bx, t.by))
        px = t.bx, py = t.by;
    else if (o3 == 0 && on_seg(t, s.ax, s.ay))
        px = s.ax, py = s.ay;
    else if (o4 == 0 && on_seg(t, s.bx, s.by))
        px = s.bx, py = s.by;
    else
        return false;
    bool end_s = same_point(px, py, s.ax, s.ay) || same_point(px, py, s.bx, s.by);
    bool end_t = same_point(px, py, t.ax, t.ay) || same_point(px, py, t.bx, t.by);
    return !(end_s && end_t);
}

/* The segment passes through the interior of the box (Liang–Barsky clip
 * against the box shrunk by EPS): ending on its edge does not count. */
static bool seg_box(seg s, box b)
{
    double x0 = b.x0 + EPS, y0 = b.y0 + EPS, x1 = b.x1 - EPS, y1 = b.y1 - EPS;
    if (x0 >= x1 || y0 >= y1)
        return false;
    double dx = s.bx - s.ax, dy = s.by - s.ay, lo = 0, hi = 1;
    const double p[4] = {-dx, dx, -dy, dy};
    const double q[4] = {s.ax - x0, x1 - s.ax, s.ay - y0, y1 - s.ay};
    for (int k = 0; k < 4; k++) {
        if (p[k] == 0) {
            if (q[k] <= 0)
                return false;   /* parallel to this edge and outside it */
            continue;
        }
        double r = q[k] / p[k];
        if (p[k] < 0)
            lo = fmax(lo, r);
        else
            hi = fmin(hi, r);
        if (lo > hi)
            return false;
    }
    /* A stretch inside, or a single point strictly inside. */
    return hi > lo || (q[0] > 0 && q[1] > 0 && q[2] > 0 && q[3] > 0);
}

/* Two leaders from one point along one line: the trunk of one date that
 * carries several labels, as a shared label does.  Nothing is misread. */
static bool one_trunk(seg s, seg t)
{
    bool shared = same_point(s.ax, s.ay, t.ax, t.ay) || same_point(s.ax, s.ay, t.bx, t.by) ||
                  same_point(s.bx, s.by, t.ax, t.ay) || same_point(s.bx, s.by, t.bx, t.by);
    return shared && orient(s.ax, s.ay, s.bx, s.by, t.ax, t.ay) == 0 &&
           orient(s.ax, s.ay, s.bx, s.by, t.bx, t.by) == 0;
}

/* ---- Self-test of the predicates --------------------------------------- */

static int self_fail;

#define EXPECT(cond)                                                           \
    do {                                                                       \
        if (!(cond)) {                                                         \
            self_fail++;                                                       \
            fprintf(stderr, "%s:%d: self-test failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                    \
        }                                                                      \
    } while (0)

static void self_test(void)
{
    box a = {0, 0, 10, 10};
    EXPECT(box_overlap(a, (box){5, 5, 15, 15}));
    EXPECT(box_overlap(a, (box){2, 2, 3, 3}));          /* inside */
    EXPECT(box_overlap(a, (box){-5, 4, 20, 6}));        /* a bar through it */
    EXPECT(!box_overlap(a, (box){10, 0, 20, 10}));      /* edge to edge */
    EXPECT(!box_overlap(a, (box){0, 10, 10, 20}));
    EXPECT(!box_overlap(a, (box){11, 11, 12, 12}));
    EXPECT(!box_overlap(a, (box){0, 10.005, 10, 20})); /* within EPS */

    seg v = {5, 0, 5, 10}, h = {0, 5, 10, 5};
    EXPECT(seg_cross(v, h));                            /* an X */
    EXPECT(seg_cross(h, v));
    EXPECT(seg_cross((seg){0, 0, 10, 10}, (seg){0, 10, 10, 0}));
    EXPECT(!seg_cross(v, (seg){6, 0, 6, 10}));          /* parallel */
    EXPECT(!seg_cross(v, (seg){0, 11, 10, 11}));        /* would meet if longer */
    EXPECT(!seg_cross(v, (seg){5, 10, 9, 14}));         /* a shared end (a bend) */
    EXPECT(!seg_cross(v, (seg){5, 0, 5, -8}));          /* opposite stems, one root */
    EXPECT(seg_cross(v, (seg){5, 5, 9, 5}));            /* a T: end on the middle */
    EXPECT(seg_cross((seg){5, 5, 9, 5}, v));
    EXPECT(seg_cross(v, (seg){5, 8, 5, 20}));           /* collinear, sharing 2 units */
    EXPECT(!seg_cross(v, (seg){5, 10, 5, 20}));         /* collinear, end to end */
    EXPECT(!seg_cross(v, (seg){5, 12, 5, 20}));         /* collinear, apart */
    EXPECT(seg_cross((seg){0, 0, 10, 0.5}, (seg){3, 1, 7, -1})); /* shallow */

    EXPECT(one_trunk(v, (seg){5, 0, 5, 20}));           /* one root, one line */
    EXPECT(!one_trunk(v, (seg){5, 2, 5, 20}));          /* another root */
    EXPECT(!one_trunk(v, (seg){5, 0, 9, 20}));          /* one root, two lines */

    EXPECT(seg_box(v, a));                              /* inside */
    EXPECT(seg_box((seg){5, -5, 5, 15}, a));            /* straight through */
    EXPECT(seg_box((seg){-5, 5, 5, 5}, a));             /* ends inside */
    EXPECT(seg_box((seg){-2, 3, 3, -2}, a));            /* cuts a corner */
    EXPECT(seg_box((seg){-1, -1, 11, 11}, a));          /* the diagonal */
    EXPECT(!seg_box((seg){5, 10, 5, 20}, a));           /* ends on the edge */
    EXPECT(!seg_box((seg){10, -5, 10, 15}, a));         /* runs along the edge */
    EXPECT(!seg_box((seg){-5, -5, -1, 20}, a));         /* beside it */
    EXPECT(!seg_box((seg){-2, 1, 1, -2}, a));           /* misses the corner */
    EXPECT(!seg_box((seg){12, 5, 20, 5}, a));           /* would hit if longer */
}

/* ---- Measuring one chart ----------------------------------------------- */

typedef struct metrics {
    size_t events, labelled, callouts, unnamed, inversions, overlaps, crossings;
    size_t counter_mismatch;   /* chart->unlabelled disagrees with the items */
    size_t outside;            /* texts and markers not wholly on the page */
    double width, height, label_area;
    double slack;              /* the box's height below the lowest item,
                                  less the bottom margin (as the left one) */
    bool portrait_at_cap;      /* natural size: still taller than wide when
                                  laid out as wide as it may grow, or much
                                  larger there */
} metrics;

typedef enum { SH_TEXT, SH_MARKER, SH_STEM } shape_kind;

typedef struct shape {
    box bb;
    seg s;          /* stems */
    size_t item;
    int event, role;
    shape_kind kind;
    bool haloed;    /* a tick label on an opaque halo: stems may pass behind */
    bool has_own;   /* stems: their event has a marker of its own, at `own` */
    box own;
} shape;

static box item_box(const tl_item *it)
{
    if (it->kind == TL_ITEM_MARKER)
        return (box){it->x - it->w / 2, it->y - it->w / 2, it->x + it->w / 2, it->y + it->w / 2};
    if (it->kind == TL_ITEM_LINE)
        return (box){fmin(it->x, it->x + it->w), fmin(it->y, it->y + it->h),
                     fmax(it->x, it->x + it->w), fmax(it->y, it->y + it->h)};
    return (box){it->x, it->y, it->x + it->w, it->y + it->h};
}

static int cmp_shape_x(const void *a, const void *b)
{
    double x = ((const shape *)a)->bb.x0, y = ((const shape *)b)->bb.x0;
    return (x > y) - (x < y);
}

static const char *describe(const tl_chart *c, const shape *s, char *buf, size_t n)
{
    const tl_item *it = &c->items[s->item];
    if (s->kind == SH_TEXT)
        snprintf(buf, n, "text '%.40s'", tl_item_typeset(c, it)->text);
    else if (s->kind == SH_MARKER)
        snprintf(buf, n, "marker of event %d", s->event);
    else
        snprintf(buf, n, "leader of event %d", s->event);
    return buf;
}

static bool box_has(box b, double x, double y)
{
    return x > b.x0 + EPS && x < b.x1 - EPS && y > b.y0 + EPS && y < b.y1 - EPS;
}

/* A leader starts at its event's marker; where markers of events close in
 * time overlap there, the leader's root lies in a neighbour's marker too.
 * That is the density of the data, not a crossing: a foreign marker holding
 * an end of the leader that its own marker also holds (or stands in for its
 * own, when events on one date share one drawn marker) is not counted. */
static bool at_root(const shape *st, const shape *mk)
{
    for (int end = 0; end < 2; end++) {
        double px = end ? st->s.bx : st->s.ax, py = end ? st->s.by : st->s.ay;
        if (box_has(mk->bb, px, py) && (!st->has_own || box_has(st->own, px, py)))
            return true;
    }
    return false;
}

/* What a pair of shapes costs: 1 overlap, 2 crossing, 0 nothing. */
static int judge(const shape *a, const shape *b)
{
    if (a->kind == SH_STEM || b->kind == SH_STEM) {
        const shape *st = a->kind == SH_STEM ? a : b, *o = st == a ? b : a;
        if (o->event >= 0 && o->event == st->event)
            return 0;   /* its own leader's pieces, label and marker */
        if (o->kind == SH_STEM)
            return seg_cross(st->s, o->s) && !one_trunk(st->s, o->s) ? 2 : 0;
        if (o->kind == SH_MARKER && o->event < 0)
            return 0;   /* a legend swatch: no leader reaches the legend */
        if (o->kind == SH_MARKER && at_root(st, o))
            return 0;
        if (o->kind == SH_TEXT && (o->role == TL_ROLE_TICK_LABEL && o->haloed))
            return 0;
        return seg_box(st->s, o->bb) ? 2 : 0;
    }
    if (a->kind == SH_MARKER && b->kind == SH_MARKER)
        return 0;
    if (a->kind != b->kind && a->event >= 0 && a->event == b->event)
        return 0;       /* a label or callout beside its own marker */
    return box_overlap(a->bb, b->bb) ? 1 : 0;
}

/* A tick label drawn on an opaque rectangle that covers it. */
static bool is_haloed(const tl_chart *c, size_t i)
{
    const tl_item *a = &c->items[i], *r = i > 0 ? &c->items[i - 1] : NULL;
    return a->role == TL_ROLE_TICK_LABEL && r && r->kind == TL_ITEM_RECT &&
           tl_item_fill(c, r).a == 1 && r->x <= a->x && r->y <= a->y &&
           r->x + r->w >= a->x + a->w && r->y + r->h >= a->y + a->h;
}

static size_t collect_shapes(const tl_chart *c, shape *sh)
{
    size_t n = 0;
    for (size_t i = 0; i < c->nitems; i++) {
        const tl_item *it = &c->items[i];
        if (it->page != 0)
            continue;
        shape s = {.bb = item_box(it), .item = i, .event = it->event, .role = it->role};
        if (it->kind == TL_ITEM_TEXT) {
            s.kind = SH_TEXT;
            s.haloed = is_haloed(c, i);
        } else if (it->kind == TL_ITEM_MARKER) {
            s.kind = SH_MARKER;
        } else if (it->kind == TL_ITEM_LINE && it->role == TL_ROLE_STEM) {
            s.kind = SH_STEM;
            s.s = (seg){it->x, it->y, it->x + it->w, it->y + it->h};
        } else {
            continue;
        }
        sh[n++] = s;
    }
    /* Each leader's own marker, by event. */
    box *own = calloc(c->nevents + 1, sizeof *own);
    bool *has = calloc(c->nevents + 1, sizeof *has);
    if (!own || !has) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    for (size_t i = 0; i < n; i++)
        if (sh[i].kind == SH_MARKER && sh[i].event >= 0 && (size_t)sh[i].event < c->nevents) {
            own[sh[i].event] = sh[i].bb;
            has[sh[i].event] = true;
        }
    for (size_t i = 0; i < n; i++)
        if (sh[i].kind == SH_STEM && sh[i].event >= 0 && (size_t)sh[i].event < c->nevents &&
            has[sh[i].event]) {
            sh[i].has_own = true;
            sh[i].own = own[sh[i].event];
        }
    free(own);
    free(has);
    return n;
}

/* Counts overlaps and crossings with a sweep along x. */
static void count_conflicts(const tl_chart *c, metrics *m, bool verbose, const char *what)
{
    shape *sh = malloc((c->nitems + 1) * sizeof *sh);
    if (!sh) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    size_t n = collect_shapes(c, sh);
    qsort(sh, n, sizeof *sh, cmp_shape_x);
    int shown = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n && sh[j].bb.x0 <= sh[i].bb.x1 + EPS; j++) {
            int k = judge(&sh[i], &sh[j]);
            if (!k)
                continue;
            *(k == 1 ? &m->overlaps : &m->crossings) += 1;
            if (verbose && shown++ < 8) {
                char b1[96], b2[96];
                fprintf(stderr, "%s: %s: %s and %s\n", what, k == 1 ? "overlap" : "crossing",
                        describe(c, &sh[i], b1, sizeof b1), describe(c, &sh[j], b2, sizeof b2));
            }
        }
    free(sh);
}

static metrics measure_chart(const tl_chart *c, bool verbose, const char *what)
{
    metrics m = {.events = c->nevents, .width = c->width, .height = c->height};
    unsigned char *flag = calloc(c->nevents + 1, 1);   /* 1 label, 2 number, 4 key */
    if (!flag) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    double area = 0, lowest = 0, margin = c->width;
    for (size_t i = 0; i < c->nitems; i++) {
        const tl_item *it = &c->items[i];
        if (it->kind == TL_ITEM_TEXT || it->kind == TL_ITEM_MARKER) {
            box b = item_box(it);
            m.outside += b.x0 < -EPS || b.y0 < -EPS || b.x1 > c->width + EPS ||
                         b.y1 > c->height + EPS;
            lowest = fmax(lowest, b.y1);
            if (it->kind == TL_ITEM_TEXT)
                margin = fmin(margin, b.x0);
        }
        if (it->kind != TL_ITEM_TEXT)
            continue;
        if (it->role == TL_ROLE_LABEL || it->role == TL_ROLE_LABEL_DATE)
            area += it->w * it->h;
        if (it->event < 0 || (size_t)it->event >= c->nevents)
            continue;
        if (it->role == TL_ROLE_LABEL)
            flag[it->event] |= 1;
        else if (it->role == TL_ROLE_CALLOUT)
            flag[it->event] |= 2;
        else if (it->role == TL_ROLE_KEY)
            flag[it->event] |= 4;
    }
    size_t unl[4] = {0}, lab[4] = {0};
    for (size_t e = 0; e < c->nevents; e++) {
        int imp = c->events[e]->importance;
        imp = imp < 1 ? 1 : imp > 3 ? 3 : imp;
        if (flag[e] & 1) {
            m.labelled++;
            lab[imp]++;
        } else {
            unl[imp]++;
            if ((flag[e] & 6) == 6)
                m.callouts++;   /* a number at the marker and its key entry */
            else
                m.unnamed++;
        }
    }
    for (int i = 2; i <= 3; i++)
        for (int j = 1; j < i; j++)
            m.inversions += unl[i] * lab[j];
    /* The counts the chart reports (and the warning quotes) must be true. */
    if (c->unlabelled != c->nevents - m.labelled || c->callouts != m.callouts ||
        c->unnamed != m.unnamed)
        m.counter_mismatch = 1;
    m.label_area = c->width > 0 && c->height > 0 ? area / (c->width * c->height) : 0;
    m.slack = c->height - lowest - margin;
    free(flag);
    count_conflicts(c, &m, verbose, what);
    return m;
}

/* A hand-made chart with one of each fault, counted exactly. */
static void self_test_chart(void)
{
    tl_event ev[3] = {{.importance = 3}, {.importance = 1}, {.importance = 2}};
    const tl_event *evp[3] = {&ev[0], &ev[1], &ev[2]};
    tl_item it[] = {
        /* event 0: a marker and its number beside it (touching is fine) */
        {.kind = TL_ITEM_MARKER, .event = 0, .x = 50, .y = 100, .w = 10, .h = 10},
        {.kind = TL_ITEM_TEXT, .role = TL_ROLE_CALLOUT, .event = 0,
          .x = 50, .y = 90, .w = 8, .h = 8},
        {.kind = TL_ITEM_TEXT, .role = TL_ROLE_KEY, .event = 0,
          .x = 0, .y = 130, .w = 100, .h = 10},
        /* event 1: marker, a leader up to its label through event 2's */
        {.kind = TL_ITEM_MARKER, .event = 1, .x = 10, .y = 100, .w = 10, .h = 10},
        {.kind = TL_ITEM_LINE, .role = TL_ROLE_STEM, .event = 1,
          .x = 10, .y = 100, .w = 0, .h = -60},
        {.kind = TL_ITEM_TEXT, .role = TL_ROLE_LABEL, .event = 1,
          .x = 10, .y = 30, .w = 60, .h = 10},
        /* event 2: its date overlaps event 1's title; its leader crosses
         * event 1's leader */
        {.kind = TL_ITEM_MARKER, .event = 2, .x = 200, .y = 100, .w = 10, .h = 10},
        {.kind = TL_ITEM_TEXT, .role = TL_ROLE_LABEL, .event = 2,
          .x = 0, .y = 50, .w = 40, .h = 10},
        {.kind = TL_ITEM_TEXT, .role = TL_ROLE_LABEL_DATE, .event = 2,
          .x = 30, .y = 35, .w = 30, .h = 10},
        {.kind = TL_ITEM_LINE, .role = TL_ROLE_STEM, .event = 2,
          .x = 200, .y = 100, .w = -195, .h = -30},
    };
    tl_chart c = {.width = 300, .height = 150, .pages = 1, .items = it,
                  .nitems = sizeof it / sizeof it[0], .events = evp, .nevents = 3,
                  .unlabelled = 1, .callouts = 1};
    metrics m = measure_chart(&c, false, "self-test");
    EXPECT(m.labelled == 2);
    EXPECT(m.callouts == 1);
    EXPECT(m.unnamed == 0);
    EXPECT(m.inversions == 2);   /* event 0 (3) over events 1 (1) and 2 (2) */
    EXPECT(m.overlaps == 1);
    EXPECT(m.crossings == 2);
    EXPECT(m.counter_mismatch == 0);
    EXPECT(fabs(m.label_area - (600.0 + 400 + 300) / (300 * 150)) < 1e-9);
    c.unlabelled = 0;
    EXPECT(measure_chart(&c, false, "self-test").counter_mismatch == 1);
    EXPECT(m.outside == 0);
    it[5].x = 295;   /* event 1's label now runs off the right edge */
    EXPECT(measure_chart(&c, false, "self-test").outside == 1);
    it[5].x = 10;
    /* A number with no key entry names nothing. */
    c.unlabelled = 1;
    it[2].role = TL_ROLE_DECOR;
    it[2].kind = TL_ITEM_RECT;
    m = measure_chart(&c, false, "self-test");
    EXPECT(m.callouts == 0 && m.unnamed == 1 && m.counter_mismatch == 1);
}

/* ---- The corpus -------------------------------------------------------- */

#define GROWN_WIDTH 2400.0   /* the widest a chart with no width given grows */

typedef struct size_spec {
    const char *name, *option, *value;   /* option NULL: natural size */
} size_spec;

static const size_spec sizes[] = {
    {"natural", NULL, NULL},
    {"a4", "page", "a4"},
    {"slide-16x9", "page", "slide-16x9"},
    {"85mm", "width", "85mm"},
};

static const char *const layouts[] = {"axis", "lanes"};

typedef struct run {
    const char *dataset;
    const char *layout;
    const size_spec *size;
    metrics m;
} run;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The corpus files, sorted; NULL-terminated, owned by the caller. */
static char **corpus_files(size_t *n)
{
    DIR *d = opendir(CORPUS_DIR);
    if (!d) {
        fprintf(stderr, "layout_quality: cannot open %s (run from the source directory)\n",
                CORPUS_DIR);
        exit(2);
    }
    size_t cap = 16;
    char **v = malloc(cap * sizeof *v);
    *n = 0;
    for (struct dirent *de; v && (de = readdir(d));) {
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0)
            continue;
        if (*n + 2 > cap) {
            char **nv = realloc(v, (cap *= 2) * sizeof *v);
            if (!nv)
                break;
            v = nv;
        }
        size_t sz = sizeof CORPUS_DIR + 1 + len;
        if ((v[*n] = malloc(sz)))
            snprintf(v[(*n)++], sz, "%s/%s", CORPUS_DIR, de->d_name);
    }
    closedir(d);
    if (!v) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    qsort(v, *n, sizeof *v, cmp_str);
    return v;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Lays one document out for a layout and size; false on failure. */
static bool lay_out(const tl_doc *doc, const char *layout, const size_spec *sz,
                    tl_fonts *fonts, tl_chart **out)
{
    tl_options *o = tl_options_new();
    tl_diag *diag = tl_diag_new();
    bool ok = o && diag && tl_options_set(o, "layout", layout, diag) == TL_OK &&
              (!sz->option || tl_options_set(o, sz->option, sz->value, diag) == TL_OK);
    tl_layout_params p;
    ok = ok && tl_options_resolve(o, TL_FORMAT_PDF, &p, diag) == TL_OK;
    *out = NULL;
    if (ok) {
        tl_measurer m;
        tl_fonts_measurer(fonts, &m);
        *out = tl_layout_new(doc, &p, &m);
        ok = *out != NULL;
    }
    if (diag && tl_diag_count(diag))
        tl_diag_print(diag, stderr);
    tl_diag_free(diag);
    tl_options_free(o);
    return ok;
}

/* ---- Report ------------------------------------------------------------ */

static double pct(size_t a, size_t b) { return b ? 100.0 * (double)a / (double)b : 100.0; }

static void print_row(bool csv, const char *ds, const char *layout, const char *size,
                      const metrics *m, bool aspect)
{
    char asp[32] = "", area[32] = "";
    if (aspect) {
        snprintf(asp, sizeof asp, "%.2f", m->height > 0 ? m->width / m->height : 0);
        snprintf(area, sizeof area, "%.1f", 100 * m->label_area);
    }
    if (csv)
        printf("%s,%s,%s,%zu,%.1f,%zu,%zu,%zu,%zu,%zu,%s,%s\n", ds, layout, size, m->events,
               pct(m->labelled, m->events), m->callouts, m->unnamed, m->inversions,
               m->overlaps, m->crossings, asp, area);
    else
        printf("| %s | %s | %s | %zu | %.1f | %zu | %zu | %zu | %zu | %zu | %s | %s |\n", ds,
               layout, size, m->events, pct(m->labelled, m->events), m->callouts, m->unnamed,
               m->inversions, m->overlaps, m->crossings, asp, area);
}

static void add_metrics(metrics *t, const metrics *m)
{
    t->events += m->events;
    t->labelled += m->labelled;
    t->callouts += m->callouts;
    t->unnamed += m->unnamed;
    t->inversions += m->inversions;
    t->overlaps += m->overlaps;
    t->crossings += m->crossings;
    t->counter_mismatch += m->counter_mismatch;
    t->outside += m->outside;
}

/* The totals alone, per layout and size, as docs/layout.md shows them. */
static void print_total_row(const char *layout, const char *size, const metrics *t)
{
    printf("| %s | %s | %zu | %.1f | %zu | %zu | %zu | %zu | %zu |\n", layout, size, t->events,
           pct(t->labelled, t->events), t->callouts, t->unnamed, t->inversions, t->overlaps,
           t->crossings);
}

static void print_totals(const run *runs, size_t nruns)
{
    printf("| layout | size | events | labelled %% | callouts | unnamed | inversions | "
           "overlaps | crossings |\n|---|---|--:|--:|--:|--:|--:|--:|--:|\n");
    metrics all = {0};
    for (size_t l = 0; l < 2; l++)
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            metrics t = {0};
            for (size_t i = 0; i < nruns; i++)
                if (runs[i].layout == layouts[l] && runs[i].size == &sizes[s])
                    add_metrics(&t, &runs[i].m);
            print_total_row(layouts[l], sizes[s].name, &t);
            add_metrics(&all, &t);
        }
    print_total_row("all", "all", &all);
}

static void print_table(bool csv, const run *runs, size_t nruns)
{
    if (csv)
        printf("dataset,layout,size,events,labelled_pct,callouts,unnamed,inversions,"
               "overlaps,crossings,aspect,label_area_pct\n");
    else
        printf("| dataset | layout | size | events | labelled %% | callouts | unnamed | "
               "inversions | overlaps | crossings | aspect w/h | label area %% |\n"
               "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for (size_t i = 0; i < nruns; i++)
        print_row(csv, runs[i].dataset, runs[i].layout, runs[i].size->name, &runs[i].m, true);
    /* Totals per layout and size, then over everything. */
    metrics all = {0};
    for (size_t l = 0; l < 2; l++)
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            metrics t = {0};
            for (size_t i = 0; i < nruns; i++)
                if (runs[i].layout == layouts[l] && runs[i].size == &sizes[s])
                    add_metrics(&t, &runs[i].m);
            print_row(csv, csv ? "total" : "**total**", layouts[l], sizes[s].name, &t, false);
            add_metrics(&all, &t);
        }
    print_row(csv, csv ? "total" : "**total**", "all", "all", &all, false);
}

#define FULL_SLACK 0.08

/* Whether the runs meet the invariants; prints each breach. */
static bool judge_runs(const run *runs, size_t nruns, bool strict)
{
    bool ok = true;
    for (size_t i = 0; i < nruns; i++) {
        const run *r = &runs[i];
        const metrics *m = &r->m;
        char what[160];
        snprintf(what, sizeof what, "%s %s %s", r->dataset, r->layout, r->size->name);
        if (m->overlaps || m->crossings || m->outside) {
            fprintf(stderr, "%s: %zu overlaps, %zu crossings, %zu items off the page\n", what,
                    m->overlaps, m->crossings, m->outside);
            ok = false;
        }
        if (!strict)
            continue;
        if (m->counter_mismatch) {
            fprintf(stderr, "%s: the chart's unlabelled count disagrees with its labels\n",
                    what);
            ok = false;
        }
        if (m->inversions) {
            fprintf(stderr, "%s: %zu importance inversions\n", what, m->inversions);
            ok = false;
        }
        if (!r->size->option && m->events <= MAX_FULL_LABELS && m->labelled < m->events) {
            fprintf(stderr, "%s: %zu of %zu events unlabelled at natural size\n", what,
                    m->events - m->labelled, m->events);
            ok = false;
        }
        /* Compact and landscape: with no width given, no taller than wide
         * unless the width has grown to its cap, or the chart would still
         * be taller than wide there, or take over 1.25 times the area. */
        if (!r->size->option && m->events <= MAX_FULL_LABELS && m->height > m->width + EPS &&
            m->width < GROWN_WIDTH - EPS && !m->portrait_at_cap) {
            fprintf(stderr, "%s: %.0f x %.0f pt, taller than wide\n", what, m->width,
                    m->height);
            ok = false;
        }
        /* In a fixed box an event may go unnamed only where the key could
         * not fit: the box is full, less than FULL_SLACK of its height
         * free between the chart's lowest item and its bottom margin. */
        if (r->size->option && m->unnamed && m->slack > FULL_SLACK * m->height) {
            fprintf(stderr,
                    "%s: %zu events neither labelled nor called out, with %.0f pt of "
                    "the box free\n",
                    what, m->unnamed, m->slack);
            ok = false;
        }
    }
    return ok;
}

int main(int argc, char **argv)
{
    bool csv = false, verbose = false, totals = false;
    const char *env = getenv("TL_QUALITY_STRICT");
    bool strict = env && strcmp(env, "1") == 0;
    char **files = calloc((size_t)argc + 1, sizeof *files);
    size_t nfiles = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--csv") == 0)
            csv = true;
        else if (strcmp(argv[i], "--strict") == 0)
            strict = true;
        else if (strcmp(argv[i], "--verbose") == 0)
            verbose = true;
        else if (strcmp(argv[i], "--totals") == 0)
            totals = true;
        else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: layout_quality [--csv | --totals] [--strict] [--verbose]"
                            " [FILE...]\n");
            return 2;
        } else if (files)
            files[nfiles++] = argv[i];
    }
    self_test();
    self_test_chart();
    if (self_fail) {
        fprintf(stderr, "layout_quality: %d geometry self-tests failed\n", self_fail);
        return 1;
    }
    char **owned = NULL;
    if (nfiles == 0) {
        free(files);
        files = owned = corpus_files(&nfiles);
    }
    tl_diag *diag = tl_diag_new();
    tl_fonts *fonts = NULL;
    if (!files || !diag || tl_fonts_new(NULL, &fonts, diag) != TL_OK) {
        tl_diag_print(diag, stderr);
        return 2;
    }
    size_t nsizes = sizeof sizes / sizeof sizes[0];
    run *runs = calloc(nfiles * 2 * nsizes + 1, sizeof *runs);
    size_t nruns = 0;
    int status = 0;
    for (size_t f = 0; f < nfiles && runs; f++) {
        tl_doc *doc = NULL;
        if (tl_doc_load_file(files[f], &doc, diag) != TL_OK) {
            tl_diag_print(diag, stderr);
            status = 1;
            continue;
        }
        for (size_t l = 0; l < 2; l++)
            for (size_t s = 0; s < nsizes; s++) {
                tl_chart *c;
                run *r = &runs[nruns];
                r->dataset = base_name(files[f]);
                r->layout = layouts[l];
                r->size = &sizes[s];
                if (!lay_out(doc, layouts[l], &sizes[s], fonts, &c)) {
                    fprintf(stderr, "%s: %s %s: layout failed\n", files[f], layouts[l],
                            sizes[s].name);
                    status = 1;
                    continue;
                }
                char what[160];
                snprintf(what, sizeof what, "%s %s %s", r->dataset, layouts[l], sizes[s].name);
                r->m = measure_chart(c, verbose, what);
                if (!sizes[s].option && c->height > c->width && c->width < GROWN_WIDTH) {
                    static const size_spec cap = {"cap", "width", "2400pt"};
                    tl_chart *w;
                    if (lay_out(doc, layouts[l], &cap, fonts, &w)) {
                        /* Or wider it would take much more room. */
                        r->m.portrait_at_cap = w->height > w->width ||
                                               w->width * w->height >
                                                   1.25 * c->width * c->height;
                        tl_layout_free(w);
                    }
                }
                tl_layout_free(c);
                nruns++;
            }
        tl_doc_free(doc);
    }
    if (totals)
        print_totals(runs, nruns);
    else
        print_table(csv, runs, nruns);
    if (!judge_runs(runs, nruns, strict))
        status = 1;
    if (owned)
        for (size_t f = 0; f < nfiles; f++)
            free(owned[f]);
    free(files);
    free(runs);
    tl_fonts_free(fonts);
    tl_diag_free(diag);
    return status;
}
