/* scale.c — days to x, axis breaks and ticks.
 *
 * Breaks: the events' day spans are merged into clusters, and the gaps
 * between them are the candidate breaks, longest first.  A gap is cut out
 * (drawn as a narrow marked break) when the room is needed: when, with it
 * cut, the events closer than a label's width get on average a quarter
 * more room (see room_score), and it is at least an eighth of the range
 * still shown, so that a break always stands for a stretch of time a
 * reader sees as long.  So a chart whose events already have room stays
 * linear, however long its gaps, while a week of forty events inside seven
 * quiet months gets most of the axis.  Each cluster is linear, so distances
 * inside it stay honest; clusters share the width by length and by number
 * of events, and the breaks, drawn as such, are not to scale.
 *
 * Ticks: for each cluster the finest calendar step whose labels fit is
 * chosen, then one pass over all labels drops any that would touch its
 * neighbour (which can only happen at a break). */
#include "scale.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_SEGMENT_W 48.0       /* a cluster never gets less room */
#define MIN_BREAK_SHARE 0.125    /* no break under this share of the range shown */
#define CANDIDATES 8             /* the longest gaps tried as breaks */
#define BREAK_GAIN 1.25          /* room a break must give the crowded pairs */
#define ROOM_PER_BREAK_W 4.0     /* an event's label wants about 4 break widths */

static const char *const month_abbr[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static int cmp_span(const void *a, const void *b)
{
    const tl_span *x = a, *y = b;
    return (x->lo > y->lo) - (x->lo < y->lo);
}

typedef struct day_gap {
    tl_day lo, hi;
} day_gap;

static int cmp_gap_len(const void *a, const void *b)
{
    const day_gap *x = a, *y = b;
    double lx = (double)x->hi - x->lo, ly = (double)y->hi - y->lo;
    return (lx < ly) - (lx > ly);
}

static int cmp_gap_day(const void *a, const void *b)
{
    const day_gap *x = a, *y = b;
    return (x->lo > y->lo) - (x->lo < y->lo);
}

static tl_day month_start(tl_day d)
{
    int32_t y;
    int m, dd;
    tl_civil_from_days(d, &y, &m, &dd);
    return tl_days_from_civil(y, m, 1);
}

static tl_day next_month_start(tl_day d)
{
    int32_t y;
    int m, dd;
    tl_civil_from_days(d, &y, &m, &dd);
    return m == 12 ? tl_days_from_civil(y + 1, 1, 1) : tl_days_from_civil(y, m + 1, 1);
}

/* Pads a cluster [lo, hi] (inclusive) and rounds it to whole months when it
 * spans years (a short range would lose too much width that way); returns
 * the half-open day range. */
static void pad_cluster(tl_day lo, tl_day hi, double *d0, double *d1)
{
    double span = (double)hi - lo + 1;
    tl_day pad = (tl_day)ceil(span * 0.03);
    if (pad < 1)
        pad = 1;
    lo -= pad;
    hi += pad;
    if (span > 3 * 365) {
        *d0 = month_start(lo);
        *d1 = next_month_start(hi);
    } else {
        *d0 = lo;
        *d1 = (double)hi + 1;
    }
}

/* Lays out the segments for the chosen gaps (in day order): the clusters
 * between them, padded, sharing the width.  Returns false when padding
 * ate more than half of some gap: that break would mark almost nothing. */
static bool place_segments(tl_scale *s, const tl_span *v, size_t n, tl_day first,
                           tl_day last, const day_gap *gaps, int ngaps, double x0,
                           double x1, double break_w)
{
    memset(s, 0, sizeof *s);
    bool honest = true;
    tl_day clo = first;
    double days_total = 0;
    for (int k = 0; k <= ngaps; k++) {
        tl_day chi = k < ngaps ? gaps[k].lo - 1 : last;
        tl_segment *seg = &s->seg[s->nseg++];
        pad_cluster(clo, chi, &seg->d0, &seg->d1);
        if (k > 0) {
            double raw = (double)gaps[k - 1].hi - gaps[k - 1].lo + 1;
            if (seg->d0 - s->seg[k - 1].d1 < raw * 0.5)
                honest = false;
            if (seg->d0 < s->seg[k - 1].d1)
                seg->d0 = s->seg[k - 1].d1;
        }
        days_total += seg->d1 - seg->d0;
        if (k < ngaps)
            clo = gaps[k].hi + 1;
    }

    /* Share the width between clusters half by their length in days and
     * half by how many events they hold, so that a lone event in 2001 does
     * not take as much room as the crowded months; each cluster stays
     * linear, and the break marks and tick labels show where the scale
     * changes.  No cluster is thinner than MIN_SEGMENT_W. */
    double weight[TL_MAX_SEGMENTS], count[TL_MAX_SEGMENTS] = {0};
    for (size_t i = 0; i < n; i++)
        for (int k = s->nseg - 1; k >= 0; k--)
            if (v[i].lo >= s->seg[k].d0 || k == 0) {
                count[k] += 1;
                break;
            }
    for (int k = 0; k < s->nseg; k++) {
        double days = s->seg[k].d1 - s->seg[k].d0;
        weight[k] = s->nseg == 1 ? 1 : 0.5 * days / days_total + 0.5 * count[k] / (double)n;
    }
    double content = (x1 - x0) - ngaps * break_w;
    if (content < MIN_SEGMENT_W * s->nseg)
        content = MIN_SEGMENT_W * s->nseg;
    double w[TL_MAX_SEGMENTS];
    double fixed = 0, flex = 0;
    for (int k = 0; k < s->nseg; k++) {
        w[k] = content * weight[k];
        if (w[k] < MIN_SEGMENT_W) {
            w[k] = -1;
            fixed += MIN_SEGMENT_W;
        } else {
            flex += weight[k];
        }
    }
    double x = x0;
    for (int k = 0; k < s->nseg; k++) {
        double wk = w[k] < 0 ? MIN_SEGMENT_W : (content - fixed) * weight[k] / flex;
        s->seg[k].x0 = x;
        s->seg[k].x1 = x + wk;
        x += wk + break_w;
    }
    return honest;
}

/* A distinct event position in days, and how many events it holds. */
typedef struct day_mark {
    double day;
    double count;
} day_mark;

static int cmp_mark(const void *a, const void *b)
{
    const day_mark *x = a, *y = b;
    return (x->day > y->day) - (x->day < y->day);
}

/* How well a scale gives the events room: the sum, over neighbouring
 * positions, of log(min(gap, room) / room), each weighted by the events of
 * the pair.  0 when every neighbour is a label's width away; a crowded
 * pair given twice the room gains log 2 whatever its size, so a hopeless
 * cluster still counts.  *crowded gets the weight of the pairs closer
 * than `room`. */
static double room_score(const tl_scale *s, const day_mark *m, size_t nm, double room,
                         double *crowded)
{
    double score = 0, prev = 0;
    *crowded = 0;
    for (size_t i = 0; i < nm; i++) {
        double xi = tl_scale_x(s, m[i].day);
        if (i > 0 && xi - prev < room) {
            double wgt = 0.5 * (m[i].count + m[i - 1].count);
            score += wgt * log(fmax(xi - prev, 1e-3) / room);
            *crowded += wgt;
        }
        prev = xi;
    }
    return score;
}

/* The distinct midpoints of the spans, sorted, with their counts; NULL
 * when out of memory. */
static day_mark *event_marks(const tl_span *v, size_t n, size_t *nm)
{
    day_mark *m = malloc(n * sizeof *m);
    if (!m)
        return NULL;
    for (size_t i = 0; i < n; i++)
        m[i] = (day_mark){((double)v[i].lo + (double)v[i].hi + 1) / 2, 1};
    qsort(m, n, sizeof *m, cmp_mark);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k > 0 && m[k - 1].day == m[i].day)
            m[k - 1].count += 1;
        else
            m[k++] = m[i];
    }
    *nm = k;
    return m;
}

/* Chooses up to max_gaps breaks among the gaps between clusters (v sorted
 * by start); writes them in day order and returns how many.  Greedy: each
 * round tries the CANDIDATES longest gaps not yet taken that are at least
 * MIN_BREAK_SHARE of the range still shown, and keeps the one that gives
 * the events the most room (room_score); it is taken only when the pairs
 * crowded so far gain BREAK_GAIN on average.  So a chart whose labels fit
 * stays linear, and a gap, however long, is cut only for the room. */
static int choose_breaks(const tl_span *v, size_t n, tl_day first, tl_day last, double x0,
                         double x1, double break_w, day_gap *out)
{
    int max_gaps = (int)((x1 - x0 + break_w) / (MIN_SEGMENT_W + break_w)) - 1;
    if (max_gaps > TL_MAX_SEGMENTS - 1)
        max_gaps = TL_MAX_SEGMENTS - 1;
    if (max_gaps <= 0 || n < 2)
        return 0;
    day_gap *all = malloc(n * sizeof *all);
    size_t nm = 0;
    day_mark *m = event_marks(v, n, &nm);
    int ngaps = 0;
    if (!all || !m)
        goto done;
    size_t nall = 0;
    tl_day reach = v[0].hi;
    for (size_t i = 1; i < n; i++) {
        if (v[i].lo > reach + 1)
            all[nall++] = (day_gap){reach + 1, v[i].lo - 1};
        if (v[i].hi > reach)
            reach = v[i].hi;
    }
    qsort(all, nall, sizeof *all, cmp_gap_len);
    if (nall > CANDIDATES)
        nall = CANDIDATES;

    double room = break_w * ROOM_PER_BREAK_W, crowded;
    tl_scale sc;
    place_segments(&sc, v, n, first, last, NULL, 0, x0, x1, break_w);
    double score = room_score(&sc, m, nm, room, &crowded);
    double shown = (double)last - first + 1;
    bool taken[CANDIDATES] = {false};
    while (ngaps < max_gaps && crowded > 0) {
        int best = -1;
        double best_score = score;
        for (size_t c = 0; c < nall; c++) {
            double len = (double)all[c].hi - all[c].lo + 1;
            if (taken[c] || len < MIN_BREAK_SHARE * shown)
                continue;
            day_gap trial[TL_MAX_SEGMENTS];
            memcpy(trial, out, (size_t)ngaps * sizeof *out);
            trial[ngaps] = all[c];
            qsort(trial, (size_t)ngaps + 1, sizeof *trial, cmp_gap_day);
            if (!place_segments(&sc, v, n, first, last, trial, ngaps + 1, x0, x1, break_w))
                continue;
            double cr, sco = room_score(&sc, m, nm, room, &cr);
            if (sco > best_score) {
                best = (int)c;
                best_score = sco;
            }
        }
        if (best < 0 || best_score - score < crowded * log(BREAK_GAIN))
            break;
        taken[best] = true;
        out[ngaps++] = all[best];
        qsort(out, (size_t)ngaps, sizeof *out, cmp_gap_day);
        shown -= (double)all[best].hi - all[best].lo + 1;
        place_segments(&sc, v, n, first, last, out, ngaps, x0, x1, break_w);
        score = room_score(&sc, m, nm, room, &crowded);
    }
done:
    free(all);
    free(m);
    return ngaps;
}

void tl_scale_build(tl_scale *s, const tl_span *spans, size_t n, double x0,
                    double x1, bool breaks, double break_w)
{
    memset(s, 0, sizeof *s);
    tl_span *v = NULL;
    if (n)
        v = malloc(n * sizeof *v);
    if (!v || n == 0) {
        /* No events (or no memory): one segment around the first span, or
         * a plain year. */
        tl_day lo = n ? spans[0].lo : 0, hi = n ? spans[0].hi : 364;
        s->nseg = 1;
        pad_cluster(lo, hi, &s->seg[0].d0, &s->seg[0].d1);
        s->seg[0].x0 = x0;
        s->seg[0].x1 = x1;
        free(v);
        return;
    }
    memcpy(v, spans, n * sizeof *v);
    qsort(v, n, sizeof *v, cmp_span);
    tl_day first = v[0].lo, last = v[0].hi;
    for (size_t i = 1; i < n; i++)
        if (v[i].hi > last)
            last = v[i].hi;
    day_gap gaps[TL_MAX_SEGMENTS - 1];
    int ngaps = breaks ? choose_breaks(v, n, first, last, x0, x1, break_w, gaps) : 0;
    place_segments(s, v, n, first, last, gaps, ngaps, x0, x1, break_w);
    free(v);
}

double tl_scale_x(const tl_scale *s, double day)
{
    const tl_segment *a = &s->seg[0], *z = &s->seg[s->nseg - 1];
    if (day <= a->d0)
        return a->x0;
    if (day >= z->d1)
        return z->x1;
    for (int k = 0; k < s->nseg; k++) {
        const tl_segment *g = &s->seg[k];
        if (day < g->d1) {
            if (day >= g->d0)
                return g->x0 + (day - g->d0) / (g->d1 - g->d0) * (g->x1 - g->x0);
            /* Inside the break before segment k: spread across it. */
            const tl_segment *p = &s->seg[k - 1];
            double t = (day - p->d1) / (g->d0 - p->d1);
            return p->x1 + t * (g->x0 - p->x1);
        }
    }
    return z->x1;
}

size_t tl_year_text(int year, char *buf, size_t size)
{
    int n = year > 0 ? snprintf(buf, size, "%d", year)
                     : snprintf(buf, size, "%d BCE", 1 - year);
    return n < 0 ? 0 : (size_t)n;
}

/* Calendar steps, finest first. */
typedef struct {
    tl_tick_unit unit;
    int count;
} step;

static const step steps[] = {
    {TL_TICK_DAY, 1},    {TL_TICK_DAY, 2},     {TL_TICK_DAY, 7},    {TL_TICK_DAY, 14},
    {TL_TICK_MONTH, 1},  {TL_TICK_MONTH, 3},   {TL_TICK_MONTH, 6},  {TL_TICK_YEAR, 1},
    {TL_TICK_YEAR, 2},   {TL_TICK_YEAR, 5},    {TL_TICK_YEAR, 10},  {TL_TICK_YEAR, 20},
    {TL_TICK_YEAR, 50},  {TL_TICK_YEAR, 100},  {TL_TICK_YEAR, 200}, {TL_TICK_YEAR, 500},
    {TL_TICK_YEAR, 1000}, {TL_TICK_YEAR, 2000},
};

static double step_days(const step *st)
{
    switch (st->unit) {
    case TL_TICK_DAY: return st->count;
    case TL_TICK_MONTH: return st->count * 30.44;
    default: return st->count * 365.2425;
    }
}

static int floor_div(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

/* The first tick boundary at or after day d for a step. */
static tl_day first_boundary(const step *st, tl_day d)
{
    int32_t y;
    int m, dd;
    tl_civil_from_days(d, &y, &m, &dd);
    if (st->unit == TL_TICK_DAY) {
        if (st->count == 7 || st->count == 14) {
            /* Mondays (every other Monday counted from 1970-01-05). */
            tl_day monday = d + (7 - tl_weekday(d)) % 7;
            if (st->count == 14 && ((monday - 4) / 7) % 2 != 0)
                monday += 7;
            return monday;
        }
        return d;
    }
    if (st->unit == TL_TICK_MONTH) {
        int idx = y * 12 + (m - 1);
        if (dd > 1)
            idx++;
        idx = floor_div(idx + st->count - 1, st->count) * st->count;
        return tl_days_from_civil(floor_div(idx, 12), idx - floor_div(idx, 12) * 12 + 1, 1);
    }
    /* Round years as people count them: 500 BCE (year -499), not -500. */
    int32_t yy = y + (m > 1 || dd > 1);
    int lab = yy > 0 ? yy : yy - 1;
    lab = floor_div(lab + st->count - 1, st->count) * st->count;
    if (lab == 0)
        lab = st->count;
    yy = lab > 0 ? lab : lab + 1;
    if (yy > TL_YEAR_MAX + 1)
        yy = TL_YEAR_MAX + 1;
    return tl_days_from_civil(yy, 1, 1);
}

static tl_day advance(const step *st, tl_day d)
{
    if (st->unit == TL_TICK_DAY)
        return d + st->count;
    int32_t y;
    int m, dd;
    tl_civil_from_days(d, &y, &m, &dd);
    if (st->unit == TL_TICK_MONTH) {
        int idx = y * 12 + (m - 1) + st->count;
        return tl_days_from_civil(floor_div(idx, 12), idx - floor_div(idx, 12) * 12 + 1, 1);
    }
    int lab = (y > 0 ? y : y - 1) + st->count;
    if (lab == 0)
        lab = st->count;
    return tl_days_from_civil(lab > 0 ? lab : lab + 1, 1, 1);
}

/* Label for the tick at day d; `first` is the first label of its segment,
 * which carries the year for sub-year steps. */
static void tick_label(const step *st, tl_day d, bool first, char *buf, size_t size)
{
    int32_t y;
    int m, dd;
    tl_civil_from_days(d, &y, &m, &dd);
    char ys[24];
    tl_year_text(y, ys, sizeof ys);
    switch (st->unit) {
    case TL_TICK_DAY:
        if (first || (dd == 1 && m == 1))
            snprintf(buf, size, "%d %s %s", dd, month_abbr[m - 1], ys);
        else
            snprintf(buf, size, "%d %s", dd, month_abbr[m - 1]);
        break;
    case TL_TICK_MONTH:
        if (first || m == 1)
            snprintf(buf, size, "%s %s", month_abbr[m - 1], ys);
        else
            snprintf(buf, size, "%s", month_abbr[m - 1]);
        break;
    default:
        snprintf(buf, size, "%s", ys);
    }
}

/* Single years and single months are labelled in the middle of the period
 * they name; coarser steps at the tick. */
static bool label_centred(const step *st)
{
    return st->count == 1 && st->unit != TL_TICK_DAY;
}

/* Generates the ticks of one segment with one step into out; returns the
 * count, or SIZE_MAX when the labels do not fit. */
static size_t segment_ticks(const tl_segment *g, const step *st, tl_label_width_fn width,
                            void *ctx, double gap, tl_tick *out, size_t max, bool check)
{
    size_t n = 0;
    double prev_right = -INFINITY;
    bool first = true;
    tl_day lo = (tl_day)ceil(g->d0), hi = (tl_day)floor(g->d1);
    double per_day = (g->x1 - g->x0) / (g->d1 - g->d0);
    for (tl_day d = first_boundary(st, lo); d <= hi; d = advance(st, d)) {
        if (n == max)
            return check ? SIZE_MAX : n;
        tl_tick *t = &out[n];
        memset(t, 0, sizeof *t);
        t->x = g->x0 + (d - g->d0) * per_day;
        t->major = st->unit == TL_TICK_YEAR ||
                   (st->unit == TL_TICK_MONTH && first_boundary(&(step){TL_TICK_YEAR, 1}, d) == d) ||
                   (st->unit == TL_TICK_DAY && first_boundary(&(step){TL_TICK_MONTH, 1}, d) == d);
        tick_label(st, d, first, t->label, sizeof t->label);
        double lw = width(ctx, t->label);
        if (label_centred(st)) {
            /* The label names the period from this tick to the next one,
             * clipped to the segment; drop it if it does not fit there. */
            double a = t->x, b = t->x + step_days(st) * per_day;
            tl_day next = advance(st, d);
            b = g->x0 + (fmin(next, g->d1) - g->d0) * per_day;
            if (b - a < lw + gap * 0.5) {
                if (check && b - a >= step_days(st) * per_day * 0.9)
                    return SIZE_MAX;
                t->label[0] = '\0';
            }
            t->label_x = (a + b) / 2;
        } else {
            t->label_x = t->x;
        }
        if (t->label[0]) {
            if (t->label_x - lw / 2 < prev_right + gap) {
                if (check)
                    return SIZE_MAX;
                t->label[0] = '\0';
            } else {
                prev_right = t->label_x + lw / 2;
                first = false;
            }
        }
        n++;
        if (d >= hi)
            break;
    }
    /* A period that starts before the segment (e.g. the year the segment
     * begins in) still gets its label when it fits in the visible part. */
    if (label_centred(st) && n < max) {
        tl_day b0 = first_boundary(st, lo);
        if (b0 > lo) {
            step back = *st;
            tl_day start = lo;
            char lab[32];
            tick_label(&back, start, true, lab, sizeof lab);
            double a = g->x0, b = g->x0 + (b0 - g->d0) * per_day;
            double lw = width(ctx, lab);
            double cx = (a + b) / 2;
            double next_left = INFINITY;
            for (size_t i = 0; i < n; i++)
                if (out[i].label[0]) {
                    next_left = out[i].label_x - width(ctx, out[i].label) / 2;
                    break;
                }
            if (b - a >= lw + gap * 0.5 && cx + lw / 2 + gap <= next_left) {
                memmove(out + 1, out, n * sizeof *out);
                memset(&out[0], 0, sizeof out[0]);
                out[0].x = g->x0;
                out[0].label_x = cx;
                snprintf(out[0].label, sizeof out[0].label, "%s", lab);
                n++;
            }
        }
    }
    return n;
}

size_t tl_scale_ticks(const tl_scale *s, tl_label_width_fn width, void *ctx,
                      double gap, tl_tick *out, size_t max)
{
    size_t n = 0;
    for (int k = 0; k < s->nseg && n < max; k++) {
        const tl_segment *g = &s->seg[k];
        double seg_w = g->x1 - g->x0, days = g->d1 - g->d0;
        size_t nsteps = sizeof steps / sizeof steps[0];
        size_t chosen = nsteps - 1;
        for (size_t i = 0; i < nsteps; i++) {
            /* Skip steps that would put ticks closer than a few units. */
            double count = days / step_days(&steps[i]);
            if (count > seg_w / 12 || count > (double)(max - n))
                continue;
            size_t got = segment_ticks(g, &steps[i], width, ctx, gap, out + n, max - n, true);
            if (got != SIZE_MAX && got >= 1) {
                chosen = i;
                break;
            }
        }
        n += segment_ticks(g, &steps[chosen], width, ctx, gap, out + n, max - n, false);
    }
    /* Across breaks, neighbours from different segments may still touch:
     * going right to left keeps the label that opens a segment and drops
     * the one that closes the segment before it. */
    double next_left = INFINITY;
    for (size_t i = n; i-- > 0;) {
        if (!out[i].label[0])
            continue;
        double lw = width(ctx, out[i].label);
        if (out[i].label_x + lw / 2 > next_left - gap)
            out[i].label[0] = '\0';
        else
            next_left = out[i].label_x - lw / 2;
    }
    return n;
}
