/* layout_axis.c — the axis layout: events as markers on one horizontal
 * time axis, labels in levels above and below it (see layout.c's opening
 * comment for why they cannot overlap). */
#include "layout_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Draws event i: its bar in precision track `track` above the axis (spans
 * solid, month or year precision a light band, circa, uncertain, bounded and
 * open dates dashed), then its marker on the axis at y — hollow when the
 * date is vague. */
static void event_mark(ctx *x, size_t i, double y, int track)
{
    const tl_event *e = x->c->events[i];
    tl_rgba c = ly_event_color(x, e);
    double d = x->fs * (e->importance == 3 ? 0.95 : e->importance == 1 ? 0.6 : 0.78);
    bool vague = ly_date_is_vague(&e->date);
    if (ly_open_side(e)) { /* its tail on the axis says it all */
        ly_add_open_mark(x, (int)i, ly_event_anchor(x, e), y, d, c);
        return;
    }
    double x0, x1;
    if (track >= 0 && ly_event_bar(x, e, &x0, &x1)) {
        double ty = y - x->fs * (0.95 + 0.5 * track);
        double h = x->fs * (e->end ? 0.36 : 0.22);
        tl_rgba fill = c;
        fill.a = e->end ? 0.7 : vague ? 0.1 : 0.35;
        bool open = !e->end &&
                    (e->date.earliest == TL_DAY_OPEN_MIN || e->date.latest == TL_DAY_OPEN_MAX);
        uint64_t key = ly_mark_key(ly_mark_key(ly_mark_key(ly_mark_key(1, x0), x1), ty), h);
        key = ly_mark_key(ly_color_key(key, c), open * 2 + vague + (e->end ? 4 : 0));
        if (x->drawn && !ly_markset_add(x->drawn, key))
            goto marker;
        tl_item *r = ly_add_rect(x, x0, ty - h / 2, x1 - x0, h, open ? (tl_rgba){0, 0, 0, 0} : fill,
                                 vague || open ? c : (tl_rgba){0, 0, 0, 0}, vague || open ? 0.7 : 0,
                                 open ? 2 : vague ? 1 : 0);
        if (r)
            r->event = (int)i;
        /* Ticks at both ends tie the bar to the axis like an error bar.
         * Bars that meet (May, then June) share a tick: it is drawn once. */
        for (int end = 0; end < 2; end++) {
            double tx = end ? x1 : x0;
            int dash = end && open ? 2 : 0;
            uint64_t tk = ly_mark_key(ly_mark_key(ly_mark_key(ly_mark_key(3, tx), ty), h), dash);
            if (!x->drawn || ly_markset_add(x->drawn, ly_color_key(tk, c)))
                ly_add_line(x, tx, ty - h, tx, ty + h, 0.7, c, dash);
        }
    }
marker:;
    double mx = ly_event_anchor(x, e);
    uint64_t key = ly_mark_key(ly_mark_key(ly_mark_key(ly_mark_key(2, mx), y), d), ly_event_shape(x, e));
    key = ly_mark_key(ly_color_key(key, c), vague);
    if (x->drawn && !ly_markset_add(x->drawn, key))
        return;
    tl_item *m = ly_add_marker(x, mx, y, d, ly_event_shape(x, e),
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
        if (!ly_event_bar(x, e, &x0, &x1) || ly_open_side(e))
            continue;
        uint64_t key = ly_mark_key(ly_mark_key(ly_mark_key(3, x0), x1), ly_date_is_vague(&e->date));
        key = ly_mark_key(ly_color_key(key, ly_event_color(x, e)), e->end != NULL);
        for (size_t r = 0; r < nrecent && r < RECENT && track[i] < 0; r++)
            if (recent_key[r] == key)
                track[i] = recent_track[r];
        if (track[i] >= 0)
            continue;
        int k = 0;
        while (k < max - 1 && !ly_ivset_is_free(&t[k], x0 - gap, x1 + gap))
            k++;
        ly_ivset_add(&t[k], x0 - gap, x1 + gap);
        track[i] = (int8_t)k;
        if (k + 1 > used)
            used = k + 1;
        recent_key[nrecent % RECENT] = key;
        recent_track[nrecent % RECENT] = (int8_t)k;
        nrecent++;
    }
    for (int k = 0; k < max; k++)
        ly_ivset_free(&t[k]);
    free(t);
    return used;
}


typedef struct level_state {
    ivset taken;   /* label boxes with padding: keeps labels apart */
    ivset text;    /* label boxes as drawn: stems may pass beside them */
    ivset stems;   /* stems of outer labels crossing this level */
    double height;
} level_state;

static void level_reset(level_state *l)
{
    ly_ivset_free(&l->taken);
    ly_ivset_free(&l->text);
    ly_ivset_free(&l->stems);
    l->height = 0;
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
        if (!ly_ivset_is_free(&lv->taken, c0, c1) || !ly_ivset_is_free(&lv->stems, t0, t1))
            continue;
        bool stem_ok = true;
        for (int j = k % 2; j < k && stem_ok; j += 2)
            stem_ok = ly_ivset_is_free(&levels[j].text, a - clear, a + clear);
        if (!stem_ok)
            continue;
        if (!ly_ivset_add(&lv->taken, c0, c1) || !ly_ivset_add(&lv->text, t0, t1))
            return false;
        for (int j = k % 2; j < k; j += 2)
            if (!ly_ivset_add(&levels[j].stems, a - clear, a + clear))
                return false;
        if (l->h > lv->height)
            lv->height = l->h;
        l->level = k;
        return true;
    }
    return false;
}


static int cmp_label_staircase(const void *a, const void *b)
{
    return ly_label_order(a, b, false);
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
    return ly_label_order(a, b, false);
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
    return staircase ? ly_label_order(a, b, false) : cmp_label_cover(a, b);
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

/* Geometric orders place the most labels.  When none places them all,
 * importance decides who keeps one: the tiered orders place the important
 * labels first, then fill the holes; the best of them is kept, unless a
 * purely geometric order labels a third more events (never in a fixed
 * height, where the reader was promised the important ones).  Each try is
 * a way to hang the labels and an order; the chosen one is laid out
 * again.  Returns the number placed. */
static size_t try_orders(ctx *x, label *ls, size_t ncand, level_state *levels, int na, int nb)
{
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
                 {1, true, true, ly_cmp_label_priority}};
    const int ntries = sizeof tries / sizeof tries[0];
    size_t best_all = 0, best_ranked = 0, placed = 0;
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
    return placed;
}

/* The axis chart's vertical furniture, apart from the levels. */
typedef struct axis_dims {
    double top;         /* below the legend */
    double axis_band;   /* above the axis line: markers, precision tracks */
    double below_band;  /* markers below the line */
    double tick_zone;   /* tick labels */
    double src_h;       /* the source line */
    double gap;         /* between levels */
} axis_dims;

/* Places the labels in levels; with a fixed height, with fewer levels
 * until everything fits. */
static void fit_levels(ctx *x, label *ls, size_t ncand, level_state *levels,
                       const axis_dims *d)
{
    int na = MAX_LEVELS_AUTO, nb = MAX_LEVELS_AUTO;   /* levels above, below */
    for (;;) {
        try_orders(x, ls, ncand, levels, na, nb);
        if (x->p->height <= 0 || (na == 1 && nb == 1))
            break;
        double need = d->top, h_above = 0, h_below = 0;
        for (int k = 0; k < 2 * MAX_LEVELS_AUTO; k++)
            if (levels[k].height > 0)
                *(k % 2 ? &h_below : &h_above) += levels[k].height + d->gap;
        need += h_above + h_below + d->axis_band + d->below_band + d->tick_zone + x->fs +
                d->src_h + x->margin;
        if (need <= x->p->height)
            break;
        /* One level fewer on the side that has more, so the other keeps
         * its labels; on a tie, on the taller side. */
        int used_a = 0, used_b = 0;
        for (int k = 0; k < 2 * MAX_LEVELS_AUTO; k++)
            if (levels[k].height > 0)
                *(k % 2 ? &used_b : &used_a) = k / 2 + 1;
        na = used_a < na ? (used_a > 1 ? used_a : 1) : na;
        nb = used_b < nb ? (used_b > 1 ? used_b : 1) : nb;
        if (nb > 1 && (na == 1 || nb > na || (nb == na && h_below > h_above)))
            nb--;
        else
            na--;
    }
}

/* Stacks the levels outward from the axis, then emits each placed label
 * and its stem, with the axis line at axis_y; returns the height the
 * levels below the axis take. */
static double emit_levels(ctx *x, label *ls, size_t nls, const level_state *levels,
                          const axis_dims *d, double *axis_y)
{
    double above = 0, below = 0;
    double level_y[2 * MAX_LEVELS_AUTO];
    for (int k = 0; k < 2 * MAX_LEVELS_AUTO; k++) {
        if (k % 2 == 0) {
            if (levels[k].height > 0)
                above += d->gap + levels[k].height;
            level_y[k] = above; /* distance from the band edge to the box top */
        } else {
            level_y[k] = below + d->gap; /* distance to the box top */
            if (levels[k].height > 0)
                below += d->gap + levels[k].height;
        }
    }
    double ay = d->top + above + d->axis_band;
    double below_top = ay + d->below_band + d->tick_zone;
    size_t labelled = 0;
    for (size_t i = 0; i < nls; i++) {
        label *l = &ls[i];
        if (l->level < 0) {
            ly_release_label(x, l);
            continue;
        }
        tl_rgba col = ly_event_color(x, x->c->events[l->ev]);
        double by;
        tl_item *stem;
        if (l->level % 2 == 0) {
            by = ay - d->axis_band - level_y[l->level];
            stem = ly_add_line(x, l->anchor, ay, l->anchor, by, 0.8, col, 0);
        } else {
            by = below_top + level_y[l->level];
            stem = ly_add_line(x, l->anchor, ay, l->anchor, by + l->h, 0.8, col, 0);
        }
        if (stem) {
            stem->role = TL_ROLE_STEM;
            stem->event = l->ev;
        }
        ly_emit_label(x, l, l->bx, by);
        labelled += 1 + (size_t)l->nmore;
    }
    x->c->unlabelled = x->c->nevents - labelled;
    *axis_y = ay;
    return below;
}

/* Measures the candidates for a label, ls[0, *ncand), and works out how
 * each may hang; shared labels' members go to the end (nls in all).
 * Returns false when out of memory. */
static bool prepare_labels(ctx *x, label *ls, size_t cap, size_t *ncand, size_t *nls)
{
    tl_chart *c = x->c;
    double left = x->margin, right = c->width - x->margin;
    double max_w = ly_label_max_width(x);
    size_t n = ly_pick_candidates(x, ls, cap, NULL);
    *nls = n;
    for (size_t i = 0; i < n; i++)
        ls[i].imp = c->events[ls[i].ev]->importance;
    size_t grouped = n == c->nevents ? ly_group_labels(x, ls, n) : 0;
    n -= grouped;
    for (size_t i = 0; i < n; i++) {
        ls[i].level = -ls[i].imp;
        ls[i].anchor = ly_event_anchor(x, c->events[ls[i].ev]);
        ly_measure_label(x, &ls[i], max_w);
        align_label(x, &ls[i], left, right);
    }
    for (size_t i = n; i < *nls; i++)
        ls[i].level = -1;
    *ncand = n;
    return choose_sides(x, ls, n);
}

void ly_layout_axis(ctx *x)
{
    tl_chart *c = x->c;
    double left = x->margin, right = c->width - x->margin;
    double y = ly_header(x, x->margin);
    y += x->fs * 0.9;
    y = ly_legend(x, y);
    y += x->fs * 1.2;
    axis_dims d = {.top = y};
    size_t body = c->nitems;   /* items from here on are the chart's body */

    /* Label entries only for candidates: 100,000 events need not carry
     * 100,000 of them. */
    size_t cap = ly_label_capacity(x, right - left, 2 * MAX_LEVELS_AUTO);
    size_t nls = c->nevents < cap ? c->nevents : cap, ncand = 0;
    label *ls = calloc(nls ? nls : 1, sizeof *ls);
    level_state *levels = calloc(2 * (size_t)MAX_LEVELS_AUTO, sizeof *levels);
    int8_t *track = malloc((c->nevents ? c->nevents : 1) * sizeof *track);
    if (!ls || !levels || !track) {
        x->failed = true;
        goto done;
    }
    /* Scale over the events' extents. */
    double open_pad = x->fs * 3; /* room for open-ended bars */
    ly_build_scale(x, left + open_pad * 0.5, right - open_pad * 0.5);
    if (!prepare_labels(x, ls, cap, &ncand, &nls)) {
        x->failed = true;
        goto done;
    }
    /* Precision tracks sit between the axis line and the first level. */
    int ntracks = assign_tracks(x, track, 8);
    d.axis_band = x->fs * (0.7 + 0.5 * ntracks);
    d.below_band = x->fs * 0.6;
    d.src_h = ly_source_line(x, 0, false);
    d.tick_zone = x->fs * 2.0;
    d.gap = x->fs * 0.6;
    fit_levels(x, ls, ncand, levels, &d);
    double axis_y;
    double below = emit_levels(x, ls, nls, levels, &d, &axis_y);

    /* Axis, then markers on top of stems. */
    ly_axis(x, axis_y, left, right, false, d.top, 0);
    x->drawn = calloc(1, sizeof *x->drawn);
    for (size_t i = 0; i < c->nevents; i++)
        event_mark(x, i, axis_y, track[i]);
    ly_markset_free(x->drawn);
    x->drawn = NULL;
    y = axis_y + d.below_band + d.tick_zone + below + x->fs * 1.2;
    if (x->p->height > 0) {
        /* A fixed page with room to spare: the chart in the middle of the
         * space between the legend and the source line, which goes to the
         * foot of the page, as on a slide. */
        double slack = x->p->height - (y + d.src_h + x->margin);
        if (slack > 0) {
            for (size_t k = body; k < c->nitems; k++)
                c->items[k].y += slack / 2;
            y += slack;
        }
    }
    double sh = ly_source_line(x, y, true);
    c->height = y + sh + x->margin;
    if (x->p->height > 0)
        c->height = x->p->height;
done:
    if (levels)
        for (int k = 0; k < 2 * MAX_LEVELS_AUTO; k++)
            level_reset(&levels[k]);
    free(levels);
    free(track);
    free(ls);
}
