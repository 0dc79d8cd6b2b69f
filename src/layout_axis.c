/* layout_axis.c — the axis layout: events as markers on one horizontal
 * time axis, labels in rows above and below it, each joined to its marker
 * by a leader that may bend sideways.  docs/layout.md tells it with
 * pictures.
 *
 * Leaders
 * -------
 * A leader climbs straight from its marker x through the axis band to a
 * "bend channel" (from c0 to c1), crosses the channel on a straight
 * diagonal to its anchor p, and climbs on at p beside its label's text to
 * the text's far edge.  When p = x the three pieces are one straight stem.
 *
 * Why nothing crosses (asserted on the geometry in tests/test_layout.c)
 * ---------------------------------------------------------------------
 * Per side of the axis, the anchors of all rows together are strictly
 * increasing (at least delta apart) in the order of the markers.  Then:
 *   - below c0 leaders are verticals at distinct marker x (leaders from one
 *     marker share that stretch, drawn once);
 *   - in the channel, segments between two parallel lines whose ends come
 *     in the same order on both lines never cross;
 *   - above c1 leaders are verticals at distinct p.
 * Rows are bands apart in y, and a row's texts are placed left to right
 * each after the last (plus padding), so texts cannot overlap.  A leader
 * crosses rows 0 .. r-1 on its way to row r: its p lies right of every
 * text already in those rows, and every text placed later in them starts
 * right of p (each row keeps the x its next text may start at: the end of
 * its last text and of the leaders through it).  Rows begin beyond c1, the
 * channel beyond the axis band: no text meets a marker, a tick label or a
 * precision bar.
 *
 * Placement
 * ---------
 * 1. Targets.  Each label needs a share of the width: its box over the
 *    rows allowed.  The shares in time order may not overlap and should sit
 *    as near their markers as they can (least squares): shifting each by
 *    the shares before it turns this into isotonic regression, solved by
 *    pool adjacent violators in O(n).  A crowd is pooled and centred on its
 *    markers, so it spreads into the empty time on both sides.
 * 2. A greedy pass in time order puts each label in the cheapest slot
 *    (side, row, hung left or right of its stem): the anchor as near its
 *    target as the rules above allow, inner rows first.  An anchor may
 *    trail its target by up to its width, at a third of the cost of
 *    passing it, so that a staircase of labels keeps its anchors close.  Greedy passes
 *    squeeze at their end, so the mirror pass (right to left) is tried too,
 *    and a few spreads of the targets; the first that places all wins.
 * 3. Rows.  At natural size the fewest rows that place every label are
 *    kept (up to 300 events): a short, wide chart.  In a fixed size labels
 *    are granted by importance, then spread over time (van der Corput order
 *    within an importance), as many as fit with the rest as numbered
 *    callouts (small labels placed by the same rules) and their key under
 *    the chart; no unlabelled event is ever more important than a labelled
 *    one.  When not all fit, as many events as possible are identified
 *    first (labels or numbers), then as many of those as fit get labels.  Past 300 events a sample of candidates is placed in sixteen rows
 *    a side and the others keep bare markers.
 * The channel is as tall as the widest bend needs (a slope of at most
 * SLOPE, capped), and no taller.
 *
 * Why this design
 * ---------------
 * Boundary labeling with po-leaders (Bekos, Kaufmann, Symvonis, Wolff)
 * and labeling collinear sites (Bekos et al., JGAA 2008) show that leaders
 * in the sites' order cannot cross, and that one bend per leader suffices;
 * their labels stack along one boundary, ours in rows on both sides of the
 * axis, which is the same argument per row.  Straight stems (vis-timeline's
 * stacking, our earlier levels) need k rows for k events within a label's
 * width, which made a crowded decade a staircase and dropped labels; an
 * occupancy bitmap with a greedy search (vega-label, Graphviz xlabels) or
 * forces (ggrepel) place labels well but prove nothing about leaders, and
 * cost more per label.  Order-preserving anchors give the guarantee by
 * construction, and the sweep is O(n * rows) per pass. */
#include "layout_int.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
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


/* ---- Rows, anchors and leaders ----------------------------------------- */

#define MAX_ROWS 160        /* per side, when every event must be labelled */
#define ROUNDS 12           /* target shifts of one placement */
#define SLOPE 5.0           /* a leader runs at most this far sideways per
                               unit of the bend channel's height (6 in a
                               fixed size, where height is dear) ... */
#define TRAIL 0.3           /* the cost of an anchor left of its target, per
                               unit, against 1 for one right of it */
#define MAX_CHANNEL 6.0     /* ... which grows to at most this many ems */
#define REACH 24.0          /* no width given: ems an anchor may stray from
                               its marker, within SLOPE in the tallest
                               channel */
#define MIN_DELTA 0.3       /* no width given: ems between anchors, however
                               many, so a reader can tell leaders apart (a
                               width given packs them to 0.15 em) */

typedef struct side_state {
    int used;                   /* rows holding something */
    double free[MAX_ROWS];      /* a box in row r may start here */
    double text_end[MAX_ROWS];  /* the right edge of row r's last text */
    double stem_end[MAX_ROWS];  /* right of outer rows' stems through row r */
    double last_p;              /* the last anchor on this side ... */
    bool any;                   /* ... once there is one */
} side_state;

typedef struct sweep {
    int rows;                   /* allowed: (rows + 1) / 2 above, rows / 2 below,
                                   or with `below` the odd row below */
    bool below;
    double left, right;         /* where boxes and anchors may go */
    double off;                 /* from a stem to its own text */
    double pad;                 /* between a callout and the next text in a row */
    double text_gap;            /* between a label and any text in its row:
                                   two titles a reader must not run into
                                   one line */
    double clear;               /* from a stem to any other text */
    double delta;               /* between anchors on one side */
    double reach;               /* an anchor this far from its marker at most */
    double min_delta;           /* delta however many labels there are */
    double half;                /* half the labels' mean width */
    side_state s[2];            /* 0 above the axis, 1 below */
} sweep;

typedef struct slot {
    int side, row;
    bool hang_left;             /* the text left of its stem, right-aligned */
    double p, bx, cost;
} slot;

static double placed_w(const label *l) { return l->callout ? l->cw : l->w; }
static double placed_h(const label *l) { return l->callout ? l->ch : l->h; }

/* Where label l would go in row r of a side, hung on one side of its stem:
 * the anchor p as near its target as the rules allow (anchors in order,
 * the stem clear of the texts of inner rows, the box after everything
 * already in its row).  False when it would cross the right edge. */
static bool try_slot(const sweep *sw, const label *l, int side, int r, bool hang_left,
                     double inner_end, slot *out)
{
    const side_state *st = &sw->s[side];
    double w = placed_w(l);
    double want = hang_left ? l->t + sw->half + sw->off : l->t - sw->half - sw->off;
    double lo = hang_left ? sw->left + sw->off + w : sw->left;
    double hi = hang_left ? sw->right : sw->right - sw->off - w;
    /* An anchor may trail its target by up to the label's width: the
     * labels of a staircase then keep their anchors close, and the next
     * staircase starts where the targets have moved a label's width on. */
    double p = fmax(fmax(fmin(want - w, hi), lo), l->anchor - sw->reach);
    if (st->any)
        p = fmax(p, st->last_p + sw->delta);
    p = fmax(p, inner_end + sw->clear);
    double start = fmax(fmax(st->free[r], st->stem_end[r]), sw->left);
    if (!l->callout)
        start = fmax(start, st->text_end[r] + sw->text_gap);
    p = fmax(p, hang_left ? start + sw->off + w : start - sw->off);
    double bx = hang_left ? p - sw->off - w : p + sw->off;
    /* A leader no flatter than SLOPE in the tallest channel: a crowd
     * takes more rows near its markers rather than long flat diagonals
     * that a reader cannot follow. */
    if (bx + w > sw->right || p > sw->right || p > l->anchor + sw->reach)
        return false;
    double cost = (p >= want ? p - want : TRAIL * (want - p)) + 0.25 * fabs(p - l->anchor) +
                  r * 0.5;
    *out = (slot){side, r, hang_left, p, bx, cost};
    return true;
}

/* The cheapest slot for l on either side; false when there is none. */
static bool best_slot(const sweep *sw, const label *l, slot *best)
{
    bool found = false;
    for (int side = 0; side < 2; side++) {
        const side_state *st = &sw->s[side];
        double inner_end = -HUGE_VAL;   /* the texts of rows 0 .. r-1 */
        int above = (sw->rows + !sw->below) / 2;
        int allowed = side == 0 ? above : sw->rows - above;
        int top = st->used < allowed ? st->used : allowed - 1;
        for (int r = 0; r <= top; r++) {
            /* Hung left of its stem, a label never blocks the stems of
             * the labels after it; hung right, it does, for its width:
             * only labels at the start of the pass, with no room on the
             * left, hang right. */
            int hangs = l->t < sw->left + placed_w(l) ? 2 : 1;
            for (int h = 0; h < hangs; h++) {
                slot s;
                if (try_slot(sw, l, side, r, h == 0, inner_end, &s) &&
                    (!found || s.cost < best->cost)) {
                    *best = s;
                    found = true;
                }
            }
            inner_end = fmax(inner_end, st->text_end[r]);
        }
    }
    return found;
}

static void commit_slot(sweep *sw, label *l, const slot *s)
{
    side_state *st = &sw->s[s->side];
    double w = placed_w(l);
    st->free[s->row] = s->bx + w + (l->callout ? sw->pad : sw->text_gap);
    st->text_end[s->row] = s->bx + w;
    for (int k = 0; k < s->row; k++)
        st->stem_end[k] = fmax(st->stem_end[k], s->p + sw->clear);
    st->last_p = s->p;
    st->any = true;
    if (s->row + 1 > st->used)
        st->used = s->row + 1;
    l->level = 2 * s->row + s->side;
    l->p = s->p;
    l->bx = s->bx;
    l->right_align = s->hang_left;
}

/* One pass over the labels shown (level -1 on entry; -2 is an event shown
 * as a bare marker), left to right, or with `mirror` right to left: the
 * same pass on the chart seen in a mirror, so that the squeeze a greedy
 * pass leaves at its end falls where the time is empty.  Returns how many
 * found no slot. */
static size_t sweep_once(sweep *sw, label *ls, size_t n, bool mirror)
{
    for (int side = 0; side < 2; side++) {
        side_state *st = &sw->s[side];
        st->used = 0;
        st->any = false;
        for (int r = 0; r < MAX_ROWS; r++)
            st->free[r] = st->text_end[r] = st->stem_end[r] = -HUGE_VAL;
    }
    sweep m = *sw;
    if (mirror) {
        m.left = -sw->right;
        m.right = -sw->left;
    }
    size_t failed = 0;
    for (size_t k = 0; k < n; k++) {
        label *l = &ls[mirror ? n - 1 - k : k];
        if (l->level == -2)
            continue;
        label seen = *l;
        if (mirror) {
            seen.anchor = -l->anchor;
            seen.t = -l->t;
        }
        slot s = {0};
        if (!best_slot(&m, &seen, &s)) {
            l->level = -1;
            failed++;
            continue;
        }
        commit_slot(&m, &seen, &s);
        l->level = seen.level;
        l->p = mirror ? -seen.p : seen.p;
        l->bx = mirror ? -(seen.bx + placed_w(l)) : seen.bx;
        l->right_align = mirror ? !seen.right_align : seen.right_align;
    }
    sw->s[0] = m.s[0];
    sw->s[1] = m.s[1];
    return failed;
}

/* Sets each label's target, the x its box would be centred on, so that
 * the labels shown spread along the axis as little as they must: each
 * needs a share of the width, its box's width over the rows it may use
 * (`rows` on both sides together, times `loose` for the gaps a greedy
 * placement leaves), shares in time order may not overlap, and the sum of
 * squared distances from the shares' centres to the markers is least.
 * Shifting each centre by the shares before it makes this isotonic
 * regression, solved by pool adjacent violators: a crowd is pooled and
 * centred on its markers, spreading into the empty time on both sides,
 * and the whole is then kept inside the chart.  `blk` is scratch for 3n
 * values. */
static void spread_targets(const sweep *sw, label *ls, size_t n, int rows, double loose,
                           double *blk)
{
    double *mean = blk, *weight = blk + n, *end = blk + 2 * n;
    size_t nb = 0, nshown = 0;
    double c = 0, prev = 0, first_w = 0, last_w = 0, s = 0;
    for (size_t i = 0; i < n; i++) {
        label *l = &ls[i];
        if (l->level == -2)
            continue;
        s = (placed_w(l) + (l->callout ? sw->pad : sw->text_gap)) * loose / rows + sw->delta / 2;
        if (nshown++)
            c += (prev + s) / 2;
        else
            first_w = placed_w(l);
        last_w = placed_w(l);
        prev = s;
        l->t = c;   /* the offset, for now */
        mean[nb] = l->anchor - c;
        weight[nb] = 1;
        end[nb++] = (double)i;
        while (nb > 1 && mean[nb - 2] > mean[nb - 1]) {
            double w = weight[nb - 2] + weight[nb - 1];
            mean[nb - 2] = (mean[nb - 2] * weight[nb - 2] + mean[nb - 1] * weight[nb - 1]) / w;
            weight[nb - 2] = w;
            end[nb - 2] = end[nb - 1];
            nb--;
        }
    }
    /* Room for one more label at the end: where a staircase of labels
     * reaches the last row, the next starts a label's width further on. */
    double lo = sw->left + first_w / 2, hi = sw->right - last_w / 2 - sw->off - c - 2 * sw->half;
    size_t b = 0;
    for (size_t i = 0; i < n; i++) {
        label *l = &ls[i];
        if (l->level == -2)
            continue;
        while ((double)i > end[b])
            b++;
        double u = fmax(lo, fmin(mean[b], hi));
        l->t += u;
    }
}

/* Places the labels shown in at most sw->rows rows a side, spreading them
 * more when the first try leaves some out.  Returns how many found no
 * slot. */
static size_t place_rounds(sweep *sw, label *ls, size_t n, double *blk)
{
    static const double loose[] = {1.0, 1.2, 0.85, 1.45};
    /* Past 300 labels (a sample of a dense chart) one spread will do. */
    const int nloose = n > 300 ? 1 : (int)(sizeof loose / sizeof loose[0]);
    size_t best = SIZE_MAX;
    int best_k = 0, last = -1;
    for (int k = 0; k < 2 * nloose; k++) {
        spread_targets(sw, ls, n, sw->rows, loose[k / 2], blk);
        size_t failed = sweep_once(sw, ls, n, k % 2);
        last = k;
        if (failed < best) {
            best = failed;
            best_k = k;
        }
        if (!failed)
            break;
    }
    if (best_k != last) {
        spread_targets(sw, ls, n, sw->rows, loose[best_k / 2], blk);
        sweep_once(sw, ls, n, best_k % 2);
    }
    return best;
}

/* ---- The chart's height ------------------------------------------------ */

/* The axis chart's vertical furniture, apart from the rows. */
typedef struct axis_dims {
    double top;         /* below the legend */
    double axis_band;   /* above the axis line: markers, precision tracks */
    double below_band;  /* markers below the line */
    double tick_zone;   /* tick labels */
    double src_h;       /* the source line */
    double gap;         /* between rows */
    double row_h[2][MAX_ROWS];
    double rows_h[2];   /* all rows of a side, with their gaps */
    double channel[2];  /* the bend channel of each side */
    double key_h;       /* the numbered key */
    double max_channel; /* the tallest a channel may grow */
    double slope;       /* sideways per unit of channel height, at most */
} axis_dims;

/* Row heights and channels of the current placement; returns the height
 * the chart needs. */
static double measure_rows(ctx *x, const label *ls, size_t n, axis_dims *d)
{
    double disp[2] = {0, 0};
    memset(d->row_h, 0, sizeof d->row_h);
    for (size_t i = 0; i < n; i++) {
        const label *l = &ls[i];
        if (l->level < 0)
            continue;
        int side = l->level % 2, r = l->level / 2;
        d->row_h[side][r] = fmax(d->row_h[side][r], placed_h(l));
        disp[side] = fmax(disp[side], fabs(l->p - l->anchor));
    }
    for (int side = 0; side < 2; side++) {
        d->rows_h[side] = 0;
        for (int r = 0; r < MAX_ROWS; r++)
            if (d->row_h[side][r] > 0)
                d->rows_h[side] += d->gap + d->row_h[side][r];
        d->channel[side] = disp[side] < 0.01 ? 0
                           : fmin(fmax(disp[side] / d->slope, x->fs * 0.8), d->max_channel);
    }
    return d->top + d->rows_h[0] + d->channel[0] + d->axis_band + d->below_band +
           d->tick_zone + d->channel[1] + d->rows_h[1] + x->fs * 1.2 + d->key_h + d->src_h +
           x->margin;
}

/* ---- Which events get labels ------------------------------------------- */

typedef struct plan {
    ctx *x;
    label *ls;          /* the candidates, by anchor */
    size_t n;
    int *ord;           /* ls by importance, then spread over time */
    double *keep;       /* scratch for place_rounds, 3n */
    sweep sw;
    axis_dims d;
    double limit;       /* the height available (HUGE_VAL: any) */
    int max_rows;       /* rows, both sides, at most */
    bool *extra;        /* by rank: a label although past the first k */
} plan;

/* Shows ord[0, k) as labels, ord[k, k + m) as numbered callouts, and the
 * rest as bare markers; returns the key entries the callouts need. */
static size_t show(plan *pl, size_t k, size_t m)
{
    size_t keyed = 0;
    for (size_t j = 0; j < pl->n; j++) {
        label *l = &pl->ls[pl->ord[j]];
        l->callout = j >= k && j < k + m && !pl->extra[j];
        l->level = j < k + m ? -1 : -2;
        if (l->callout)
            keyed += 1 + (size_t)l->nmore;
    }
    return keyed;
}

/* Sets the sweep's spacing for the labels shown: anchors as far apart as
 * the stems stay legible, closer only when there are many; and half the
 * labels' mean width, which sets where an anchor wants to be (its label
 * hangs beside it, the target is the label's middle). */
static void tune(plan *pl)
{
    ctx *x = pl->x;
    size_t shown = 0;
    double wsum = 0;
    for (size_t i = 0; i < pl->n; i++)
        if (pl->ls[i].level != -2) {
            shown++;
            wsum += placed_w(&pl->ls[i]);
        }
    double room = pl->sw.right - pl->sw.left;
    pl->sw.delta = shown ? fmin(x->fs * 0.45, fmax(pl->sw.min_delta, 0.5 * room / (double)shown))
                         : x->fs * 0.45;
    pl->sw.half = shown ? wsum / (double)shown / 2 : 0;
}

/* try_plan for the reach set in the sweep. */
static bool try_plan_reach(plan *pl, size_t k, size_t m)
{
    pl->d.key_h = ly_key_height(pl->x, show(pl, k, m));
    pl->sw.below = false;
    tune(pl);
    /* The fewest rows that place them all: fewer rows, a shorter chart.
     * Tried upward to 16 (a placement is not quite monotonic in the rows
     * it may use), then doubling and by bisection. */
    int ok = 0, tried = 0, lo = 1, hi = 0;
    if (pl->n > 300) {
        /* A sample of a dense chart: one placement in the rows allowed. */
        pl->sw.rows = pl->max_rows;
        return place_rounds(&pl->sw, pl->ls, pl->n, pl->keep) == 0 &&
               measure_rows(pl->x, pl->ls, pl->n, &pl->d) <= pl->limit;
    }
    if (pl->limit < HUGE_VAL && pl->n <= 120) {
        /* A fixed size: any row count whose placement fits will do (more
         * rows may need less bending, so a shorter channel).  Many labels
         * take the fewest rows that hold them, found by bisection. */
        for (int r = 1; r <= pl->max_rows; r++) {
            /* An odd row above or below: the empty side of a range whose
             * crowd leans to one side may hold it. */
            for (int b = 0; b < 1 + (r & 1); b++) {
                pl->sw.rows = r;
                pl->sw.below = b;
                if (place_rounds(&pl->sw, pl->ls, pl->n, pl->keep) == 0 &&
                    measure_rows(pl->x, pl->ls, pl->n, &pl->d) <= pl->limit)
                    return true;
            }
        }
        pl->sw.below = false;
        return false;
    }
    for (int r = 1; r <= pl->max_rows && r <= (pl->n <= 300 ? 16 : 0) && !ok; r++) {
        pl->sw.rows = tried = r;
        if (place_rounds(&pl->sw, pl->ls, pl->n, pl->keep) == 0)
            ok = r;
        lo = r + 1;
    }
    for (int r = 32; !ok && lo <= pl->max_rows; r *= 2) {
        hi = r < pl->max_rows ? r : pl->max_rows;
        pl->sw.rows = tried = hi;
        if (place_rounds(&pl->sw, pl->ls, pl->n, pl->keep) == 0) {
            ok = hi;
            hi--;
            break;
        }
        lo = hi + 1;
    }
    while (ok && lo <= hi) {
        int mid = (lo + hi) / 2;
        pl->sw.rows = tried = mid;
        if (place_rounds(&pl->sw, pl->ls, pl->n, pl->keep) == 0) {
            ok = mid;
            hi = mid - 1;
        } else {
            lo = mid + 1;
        }
    }
    if (!ok)
        return false;
    if (tried != ok) {
        pl->sw.rows = ok;
        place_rounds(&pl->sw, pl->ls, pl->n, pl->keep);
    }
    return measure_rows(pl->x, pl->ls, pl->n, &pl->d) <= pl->limit;
}

/* Whether labels for ord[0, k) and callouts for the next m fit: every one
 * finds a slot, and the chart its height.  Leaves that placement.  Short
 * leaders that take more rows near a crowd read better than long flat
 * ones, up to ROW_BUDGET rows; a crowd that would need more (hundreds of
 * events in one corner of the range) may spread as far as it must. */
#define ROW_BUDGET 24

static bool try_plan(plan *pl, size_t k, size_t m)
{
    double reach = pl->sw.reach;
    bool ok = try_plan_reach(pl, k, m);
    if (reach < HUGE_VAL && (!ok || pl->sw.rows > ROW_BUDGET)) {
        int rows = ok ? pl->sw.rows : INT_MAX;
        pl->sw.reach = HUGE_VAL;
        bool wide = try_plan_reach(pl, k, m);
        if (wide && pl->sw.rows >= rows) {
            /* No fewer rows without the reach: keep the short leaders. */
            pl->sw.reach = reach;
            wide = try_plan_reach(pl, k, m);
        }
        pl->sw.reach = reach;
        ok = ok || wide;
    }
    return ok;
}

/* What a count means to largest(): labels for the first v and callouts
 * for the others of the first k (k = n: all the rest), labels for the
 * first v alone, or callouts for the first v. */
enum { LABELS_IN_FIRST, LABELS_ONLY, CALLOUTS_ONLY };

static bool fits(plan *pl, int mode, size_t v, size_t k)
{
    switch (mode) {
    case LABELS_IN_FIRST: return try_plan(pl, v, k - v);
    case LABELS_ONLY: return try_plan(pl, v, 0);
    default: return try_plan(pl, 0, v);
    }
}

/* The largest count in [lo, hi] that fits, given that lo does and hi + 1
 * does not; a binary search. */
static size_t largest(plan *pl, int mode, size_t lo, size_t hi, size_t k)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2;
        if (fits(pl, mode, mid, k))
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* The labels granted in rank order stop at the first that does not fit,
 * yet a later one of the same importance may: a quiet stretch of the
 * range has room where the crowd has none.  Tries each callout after the
 * first k in rank order as a label, keeps those that fit, and stops below
 * the importance of the first that does not, so that no unlabelled event
 * is more important than a labelled one.  The callouts stay identified. */
#define EXTRA_TRIES 64
#define KEY_READABLE 24.0
static void add_labels(plan *pl, size_t k, size_t m)
{
    int floor = INT_MIN;
    for (size_t j = k; j < k + m && j < k + EXTRA_TRIES; j++) {
        int imp = pl->ls[pl->ord[j]].imp;
        if (imp < floor)
            break;
        pl->extra[j] = true;
        if (!try_plan(pl, k, m)) {
            pl->extra[j] = false;
            if (floor == INT_MIN)
                floor = imp;
        }
    }
}

/* Chooses who gets a label: all of them when they fit.  Else first as
 * many events as possible are identified, the most important first (ord):
 * all of them, or as many as callouts and the key can hold; then as many
 * of those as fit get a label instead of a number, again the most
 * important first.  The rest keep bare markers.  Without callouts, as
 * many labels as fit.  Leaves the chosen placement. */
static void choose_labels(plan *pl, bool callouts)
{
    size_t n = pl->n, k = 0, named = 0;
    memset(pl->extra, 0, n * sizeof *pl->extra);
    if (try_plan(pl, n, 0))
        return;
    if (callouts)
        named = try_plan(pl, 0, n) ? n : try_plan(pl, 0, 0)
                                        ? largest(pl, CALLOUTS_ONLY, 0, n - 1, 0) : 0;
    /* The events named, labels are granted against a key whose titles
     * say what happened (KEY_READABLE ems a column), when the box holds
     * that key with numbers alone: a label fewer, rather than a key cut
     * to its dates. */
    pl->x->key_col = KEY_READABLE;
    if (!named || !try_plan(pl, 0, named))
        pl->x->key_col = 0;
    if (named)
        k = largest(pl, LABELS_IN_FIRST, 0, named - 1, named);
    else if (try_plan(pl, 0, 0))
        k = largest(pl, LABELS_ONLY, 0, n - 1, 0);
    size_t m = named > k ? named - k : 0;
    if (m && pl->n <= 300)
        add_labels(pl, k, m);
    try_plan(pl, k, m);
}

/* Whether a shared label became a callout: its number would stand for
 * several events, which the layout is then done again without. */
static bool shared_callout(const plan *pl)
{
    for (size_t i = 0; i < pl->n; i++)
        if (pl->ls[i].level >= 0 && pl->ls[i].callout && pl->ls[i].nmore)
            return true;
    return false;
}

static int cmp_anchor(const void *a, const void *b)
{
    const label *x = a, *y = b;
    if (x->anchor != y->anchor)
        return x->anchor < y->anchor ? -1 : 1;
    return x->ev - y->ev;
}

typedef struct rank {
    int imp;
    uint32_t spread;
    int idx;
} rank;

/* Importance first, then the van der Corput rank: among equals, the
 * labels kept are spread over the whole time range. */
static int cmp_rank(const void *a, const void *b)
{
    const rank *x = a, *y = b;
    if (x->imp != y->imp)
        return y->imp - x->imp;
    if (x->spread != y->spread)
        return x->spread < y->spread ? -1 : 1;
    return x->idx - y->idx;
}

/* Fills ord with ls's indices in the order labels are granted. */
static bool rank_labels(label *ls, size_t n, int *ord)
{
    rank *r = malloc((n ? n : 1) * sizeof *r);
    if (!r)
        return false;
    ly_spread_rank(ls, n);
    for (size_t i = 0; i < n; i++)
        r[i] = (rank){ls[i].imp, ls[i].spread, (int)i};
    qsort(r, n, sizeof *r, cmp_rank);
    for (size_t i = 0; i < n; i++)
        ord[i] = r[i].idx;
    free(r);
    return true;
}

/* ---- Drawing the placement --------------------------------------------- */

static void stem(ctx *x, const label *l, double x0, double y0, double x1, double y1,
                 tl_rgba col)
{
    tl_item *s = ly_add_line(x, x0, y0, x1, y1, 0.8, col, 0);
    if (s) {
        s->role = TL_ROLE_STEM;
        s->event = l->ev;
    }
}

#define SAME_X 0.5     /* markers this close share a leader's root */

/* Whether another label on l's side hangs from (nearly) the same marker
 * x: then the leaders share the stretch from the axis to the channel,
 * drawn once, and part there. */
static bool shares_marker(const label *ls, size_t n, size_t i)
{
    int side = ls[i].level % 2;
    for (size_t j = i; j-- > 0 && ls[j].anchor > ls[i].anchor - SAME_X;)
        if (ls[j].level >= 0 && ls[j].level % 2 == side)
            return true;
    for (size_t j = i + 1; j < n && ls[j].anchor < ls[i].anchor + SAME_X; j++)
        if (ls[j].level >= 0 && ls[j].level % 2 == side)
            return true;
    return false;
}

/* The x of the shared stretch l's leader starts from: the first marker of
 * a run of near ones on its side, or its own; *drawn says whether an
 * earlier label drew it. */
static double root_x(const label *ls, size_t i, bool *drawn)
{
    int side = ls[i].level % 2;
    double x = ls[i].anchor;
    *drawn = false;
    for (size_t j = i; j-- > 0 && ls[j].anchor > x - SAME_X;)
        if (ls[j].level >= 0 && ls[j].level % 2 == side) {
            x = ls[j].anchor;
            *drawn = true;
        }
    return x;
}

/* A callout: the event's number (or numbers, for a shared label) in its
 * slot. */
static void emit_callout(ctx *x, const label *l, double by)
{
    char b[32];
    if (l->nmore)
        snprintf(b, sizeof b, "%d\u2013%d", l->number, l->number + l->nmore);
    else
        snprintf(b, sizeof b, "%d", l->number);
    const char *text = tl_arena_strdup(&x->c->arena, b);
    if (!text) {
        x->failed = true;
        return;
    }
    tl_font f = ly_font(x->fs * 0.75, true);
    tl_textbox tb;
    ly_measure(x, text, f, 0, 1, &tb);
    double tx = l->right_align ? l->bx + l->cw - tb.w : l->bx;
    tl_item *t = ly_add_text(x, TL_ROLE_CALLOUT, text, f, 0, 1, &tb, tx, by,
                             ly_event_color(x, x->c->events[l->ev]));
    if (t)
        t->event = l->ev;
}

/* Emits every placed label or callout with its leader: up from the marker
 * to the channel, across it to the anchor, on to the text's far edge. */
static void emit_rows(ctx *x, label *ls, size_t nls, const axis_dims *d, double axis_y)
{
    double c0[2] = {axis_y - d->axis_band, axis_y + d->below_band + d->tick_zone};
    double c1[2] = {c0[0] - d->channel[0], c0[1] + d->channel[1]};
    double row_top[2][MAX_ROWS];
    double up = c1[0], down = c1[1];
    for (int r = 0; r < MAX_ROWS; r++) {
        if (d->row_h[0][r] > 0)
            up -= d->gap + d->row_h[0][r];
        row_top[0][r] = up;
        row_top[1][r] = down + d->gap;
        if (d->row_h[1][r] > 0)
            down += d->gap + d->row_h[1][r];
    }
    for (size_t i = 0; i < nls; i++) {
        label *l = &ls[i];
        if (l->level < 0) {
            ly_release_label(x, l);
            continue;
        }
        int side = l->level % 2, r = l->level / 2;
        double by = row_top[side][r];
        double far = side == 0 ? by : by + placed_h(l);
        tl_rgba col = ly_event_color(x, x->c->events[l->ev]);
        bool straight = fabs(l->p - l->anchor) < 0.01;
        if (straight && !shares_marker(ls, nls, i)) {
            stem(x, l, l->anchor, axis_y, l->anchor, far, col);
        } else {
            bool drawn;
            double rx = root_x(ls, i, &drawn);
            if (!drawn)
                stem(x, l, rx, axis_y, rx, c0[side], col);
            if (fabs(l->p - rx) > 0.01 || c1[side] != c0[side])
                stem(x, l, rx, c0[side], l->p, c1[side], col);
            stem(x, l, l->p, c1[side], l->p, far, col);
        }
        if (l->callout) {
            emit_callout(x, l, by);
            ly_release_label(x, l);
        } else {
            ly_emit_label(x, l, l->bx, by);
        }
    }
}

/* Numbers the callouts in time order (a shared label's events take
 * consecutive numbers) and lists their events for the key; returns how
 * many entries, or SIZE_MAX when out of memory.  *key is malloc'ed. */
static size_t number_callouts(ctx *x, label *ls, size_t n, int **key)
{
    size_t ne = 0;
    for (size_t i = 0; i < n; i++)
        if (ls[i].level >= 0 && ls[i].callout)
            ne += 1 + (size_t)ls[i].nmore;
    /* Labels are in anchor order, events in time order: a pass over the
     * events puts the callouts in theirs. */
    *key = malloc((ne ? ne : 1) * sizeof **key);
    int *head = malloc((x->c->nevents ? x->c->nevents : 1) * sizeof *head);
    if (!*key || !head) {
        free(*key);
        free(head);
        *key = NULL;
        return SIZE_MAX;
    }
    for (size_t e = 0; e < x->c->nevents; e++)
        head[e] = -1;
    for (size_t i = 0; i < n; i++)
        if (ls[i].level >= 0 && ls[i].callout)
            head[ls[i].ev] = (int)i;
    size_t next = 0;
    for (size_t e = 0; e < x->c->nevents; e++) {
        if (head[e] < 0)
            continue;
        label *l = &ls[head[e]];
        l->number = (int)next + 1;
        (*key)[next++] = l->ev;
        for (int j = 0; j < l->nmore; j++)
            (*key)[next++] = l->more[j];
    }
    free(head);
    return ne;
}

/* Measures a label.  In a fixed box taller than wide (a page), its title
 * is wrapped narrower than max_w when it still fits in three lines: rows
 * are cheap there and width is what a crowd lacks, so a narrow label
 * leaves room beside it.  On a slide the extra line costs a row. */
#define NARROW 14.0
static void measure_narrow(ctx *x, label *l, double max_w)
{
    double narrow = x->fs * NARROW;
    if (x->p->height < x->c->width || narrow >= max_w) {
        ly_measure_label(x, l, max_w);
        return;
    }
    ly_measure_label(x, l, narrow);
    bool cut = l->title.ellipsized || l->title.overflow || l->date.ellipsized || l->date.overflow;
    for (int k = 0; k < l->nmore; k++)
        cut = cut || l->more_title[k].ellipsized || l->more_title[k].overflow;
    if (cut) {
        ly_release_label(x, l);
        ly_measure_label(x, l, max_w);
    }
}

/* Measures the candidates for a label, ls[0, *ncand) in anchor order, and
 * the callout that may stand for each; shared labels' members go to the
 * end (nls in all).  Returns false when out of memory. */
static bool prepare_labels(ctx *x, label *ls, size_t cap, bool group, size_t *ncand,
                           size_t *nls)
{
    tl_chart *c = x->c;
    double max_w = ly_label_max_width(x);
    size_t n = ly_pick_candidates(x, ls, cap, NULL);
    *nls = n;
    for (size_t i = 0; i < n; i++)
        ls[i].imp = c->events[ls[i].ev]->importance;
    size_t grouped = group && n == c->nevents ? ly_group_labels(x, ls, n, false) : 0;
    n -= grouped;
    /* A callout is as wide as the largest number it could show. */
    char digits[24], range[64];
    snprintf(digits, sizeof digits, "%zu", c->nevents);
    memset(digits, '8', strlen(digits));
    snprintf(range, sizeof range, "%s\u2013%s", digits, digits);
    tl_font cf = ly_font(x->fs * 0.75, true);
    tl_textbox one, two;
    ly_measure(x, digits, cf, 0, 1, &one);
    ly_measure(x, range, cf, 0, 1, &two);
    ly_release(x, &one);
    ly_release(x, &two);
    for (size_t i = 0; i < n; i++) {
        ls[i].level = -1;
        ls[i].anchor = ly_event_anchor(x, c->events[ls[i].ev]);
        measure_narrow(x, &ls[i], max_w);
        ls[i].cw = ls[i].nmore ? two.w : one.w;
        ls[i].ch = ls[i].nmore ? two.h : one.h;
    }
    for (size_t i = n; i < *nls; i++)
        ls[i].level = -1;
    qsort(ls, n, sizeof *ls, cmp_anchor);
    *ncand = n;
    return true;
}

/* Lays the placement out from the top down: rows above, the axis, rows
 * below, the key; returns the y below the key. */
static double emit_chart(ctx *x, plan *pl, size_t nls, const int8_t *track)
{
    tl_chart *c = x->c;
    axis_dims *d = &pl->d;
    int *key = NULL;
    size_t nkey = number_callouts(x, pl->ls, pl->n, &key);
    if (nkey == SIZE_MAX) {
        x->failed = true;
        return d->top;
    }
    /* The key takes what height the labels leave. */
    double rest = measure_rows(x, pl->ls, pl->n, d) - d->key_h;
    ly_widen_key(x, key, nkey, pl->limit - rest);
    d->key_h = ly_key_height(x, nkey);
    double axis_y = d->top + d->rows_h[0] + d->channel[0] + d->axis_band;
    emit_rows(x, pl->ls, nls, d, axis_y);
    size_t labelled = 0;
    for (size_t i = 0; i < pl->n; i++)
        if (pl->ls[i].level >= 0 && !pl->ls[i].callout)
            labelled += 1 + (size_t)pl->ls[i].nmore;
    c->unlabelled = c->nevents - labelled;
    c->callouts = nkey;
    c->unnamed = c->unlabelled - nkey;

    /* Axis, then markers on top of stems. */
    ly_axis(x, axis_y, x->margin, c->width - x->margin, false, d->top, 0);
    x->drawn = calloc(1, sizeof *x->drawn);
    for (size_t i = 0; i < c->nevents; i++)
        event_mark(x, i, axis_y, track[i]);
    ly_markset_free(x->drawn);
    x->drawn = NULL;
    double y = axis_y + d->below_band + d->tick_zone + d->channel[1] + d->rows_h[1] +
               x->fs * 1.2;
    ly_emit_key(x, key, nkey, y);
    free(key);
    return y + d->key_h;
}

void ly_layout_axis(ctx *x)
{
    tl_chart *c = x->c;
    double left = x->margin, right = c->width - x->margin;
    double y = ly_header(x, x->margin);
    y += x->fs * 0.9;
    y = ly_legend(x, y);
    y += x->fs * 1.2;
    plan pl = {.x = x, .d = {.top = y}};
    size_t body = c->nitems;   /* items from here on are the chart's body */

    /* Label entries only for candidates: 100,000 events need not carry
     * 100,000 of them; up to 300 events, every one is a candidate. */
    size_t cap = ly_label_capacity(x, right - left, 2 * MAX_LEVELS_AUTO);
    if (cap < 300)
        cap = 300;
    size_t nls = c->nevents < cap ? c->nevents : cap, ncand = 0;
    pl.ls = calloc(nls ? nls : 1, sizeof *pl.ls);
    pl.ord = malloc((nls ? nls : 1) * sizeof *pl.ord);
    pl.keep = malloc(3 * (nls ? nls : 1) * sizeof *pl.keep);
    pl.extra = calloc(nls ? nls : 1, sizeof *pl.extra);
    int8_t *track = malloc((c->nevents ? c->nevents : 1) * sizeof *track);
    if (!pl.ls || !pl.ord || !pl.keep || !pl.extra || !track) {
        x->failed = true;
        goto done;
    }
    /* Scale over the events' extents. */
    double open_pad = x->fs * 3; /* room for open-ended bars */
    ly_build_scale(x, left + open_pad * 0.5, right - open_pad * 0.5);
    /* Events on one date share a label only at natural size: in a fixed
     * size each is granted a label, or a number, on its own importance. */
    bool group = x->p->height <= 0;
    if (!prepare_labels(x, pl.ls, cap, group, &ncand, &nls) ||
        !rank_labels(pl.ls, ncand, pl.ord)) {
        x->failed = true;
        goto done;
    }
    pl.n = ncand;
    /* Precision tracks sit between the axis line and the channel. */
    int ntracks = assign_tracks(x, track, 8);
    pl.d.axis_band = x->fs * (0.7 + 0.5 * ntracks);
    pl.d.below_band = x->fs * 0.6;
    pl.d.src_h = ly_source_line(x, 0, false);
    pl.d.tick_zone = x->fs * 2.0;
    pl.d.gap = x->fs * (x->p->height > 0 ? 0.45 : 0.6);
    /* In a fixed size height is dear: leaders may run flatter, and
     * flatter still in a box wider than tall (a slide). */
    bool short_box = x->p->height > 0 && x->p->height < c->width;
    pl.d.max_channel = x->fs * (short_box ? 2.0 : x->p->height > 0 ? 2.5 : MAX_CHANNEL);
    pl.d.slope = short_box ? 8.0 : x->p->height > 0 ? 6.0 : SLOPE;
    pl.sw = (sweep){.left = left, .right = right, .off = x->fs * 0.3, .pad = x->fs * 0.45,
                    .text_gap = x->fs * 1.1,
                    .clear = x->fs * 0.12, .delta = x->fs * 0.45,
                    .reach = x->p->grow ? x->fs * REACH : HUGE_VAL,
                    .min_delta = x->fs * (x->p->grow ? MIN_DELTA : 0.15)};
    bool every = x->p->height <= 0 && nls == c->nevents && c->nevents <= 300;
    pl.limit = x->p->height > 0 ? x->p->height : HUGE_VAL;
    pl.max_rows = every ? 2 * MAX_ROWS : 2 * MAX_LEVELS_AUTO;
    /* Callouts wherever labels may not all fit: a fixed size, or a narrow
     * chart of up to 300 events; past that, bare markers as before. */
    bool callouts = x->p->callouts && (x->p->height > 0 || every);
    choose_labels(&pl, callouts);
    if (group && shared_callout(&pl)) {
        for (size_t i = 0; i < nls; i++)
            ly_release_label(x, &pl.ls[i]);
        memset(pl.ls, 0, nls * sizeof *pl.ls);
        nls = c->nevents < cap ? c->nevents : cap;
        if (!prepare_labels(x, pl.ls, cap, false, &ncand, &nls) ||
            !rank_labels(pl.ls, ncand, pl.ord)) {
            x->failed = true;
            goto done;
        }
        pl.n = ncand;
        choose_labels(&pl, callouts);
    }
    y = emit_chart(x, &pl, nls, track);
    if (x->p->height > 0) {
        /* A fixed page with room to spare: the chart in the middle of the
         * space between the legend and the source line, which goes to the
         * foot of the page, as on a slide. */
        double slack = x->p->height - (y + pl.d.src_h + x->margin);
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
    free(track);
    free(pl.extra);
    free(pl.keep);
    free(pl.ord);
    free(pl.ls);
}
