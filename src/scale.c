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
 * quiet months gets most of the axis.
 *
 * Many scales (the Earth's age, the Cretaceous, 1969): a gap a hundred
 * times longer than a cluster of events beside it (the cluster reaching
 * to the nearest longer gap) may be cut however small a share of the whole
 * it is, and needs only to give one crowded pair its room.  Inside the
 * range it cuts off, the eighth is of that range, so the breaks recurse
 * down the scales (66 Ma // 300 ka // 1969), at most three in all.  A
 * cluster cut off that way gets about a label's room per event, and a lone
 * event is shown within its year.  The gaps tried are the eight longest
 * and the eight of highest ratio; the ratios come from one stack pass each
 * way, so a build stays O(n log n).
 *
 * Times of day (tl_scale_build_timed): the same over fractional days, the
 * clusters padded by a twentieth of their span, so the quiet night between
 * two busy days of an incident is a gap like any other; the least extent
 * of a cluster is an hour instead of a year.
 *
 * Each cluster is linear, so distances inside it stay honest; clusters
 * share the width by length and by number of events, and the breaks, drawn
 * as such, are not to scale.
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
#define MIN_BREAK_SHARE 0.125    /* no break under this share of the range shown... */
#define SCALE_RATIO 100.0        /* ...unless 100 times the clusters beside it */
#define CANDIDATES 8             /* the longest gaps tried as breaks, and as many
                                    of those with the highest ratio */
#define BREAK_GAIN 1.25          /* room a break must give the crowded pairs */
#define ROOM_PER_BREAK_W 4.0     /* an event's label wants about 4 break widths */

/* An event's extent or a gap between events: fractional days, half-open.
 * Whole days are exact in a double far beyond the Earth's age in days. */
typedef struct fspan {
    double lo, hi;
} fspan;

static int cmp_span(const void *a, const void *b)
{
    const fspan *x = a, *y = b;
    return (x->lo > y->lo) - (x->lo < y->lo);
}

/* A candidate gap, its length and its length over its neighbours' extent. */
typedef struct day_gap {
    double lo, hi;
    double ratio;
    size_t at;              /* spans before the gap */
} day_gap;

static int cmp_gap_len(const void *a, const void *b)
{
    const day_gap *x = a, *y = b;
    double lx = x->hi - x->lo, ly = y->hi - y->lo;
    return (lx < ly) - (lx > ly);
}

static int cmp_gap_ratio(const void *a, const void *b)
{
    const day_gap *x = a, *y = b;
    return (x->ratio < y->ratio) - (x->ratio > y->ratio);
}

static int cmp_gap_day(const void *a, const void *b)
{
    const day_gap *x = a, *y = b;
    return (x->lo > y->lo) - (x->lo < y->lo);
}

/* The calendar date of day d with the year whole (deep time). */
static void civil(tl_day d, int64_t *y, int *m, int *dd)
{
    int32_t y32;
    tl_civil_from_days(d, &y32, m, dd);
    *y = tl_year_of_day(d);
}

static tl_day month_start(tl_day d)
{
    int64_t y;
    int m, dd;
    civil(d, &y, &m, &dd);
    return tl_days_from_civil(y, m, 1);
}

static tl_day next_month_start(tl_day d)
{
    int64_t y;
    int m, dd;
    civil(d, &y, &m, &dd);
    return tl_days_from_civil(y, m + 1, 1);
}

/* Pads a cluster [lo, hi) and returns the padded range.  Whole days: by
 * whole days, rounded to whole months when the cluster spans years (a
 * short range would lose too much width that way).  Times of day: a
 * twentieth of the span, never less than 15 seconds. */
static void pad_cluster(double lo, double hi, bool timed, double *d0, double *d1)
{
    double span = hi - lo;
    if (timed) {
        double pad = fmax(span * 0.05, 15.0 / 86400);
        *d0 = lo - pad;
        *d1 = hi + pad;
        return;
    }
    double pad = ceil(span * 0.03);
    if (pad < 1)
        pad = 1;
    lo -= pad;
    hi += pad;
    if (span > 3 * 365) {
        *d0 = (double)month_start((tl_day)lo);
        *d1 = (double)next_month_start((tl_day)hi - 1);
    } else {
        *d0 = lo;
        *d1 = hi;
    }
}

/* What place_segments needs besides the chosen gaps. */
typedef struct build_in {
    const fspan *v;         /* sorted by start */
    size_t n;
    double first, last;     /* the events' extent */
    double x0, x1, break_w;
    bool timed;
    double floor;           /* the least extent of a cluster: a year, an hour */
} build_in;

/* Shares the width between the segments: half by their length in days and
 * half by how many events they hold, so that a lone event in 2001 does not
 * take as much room as the crowded months; no segment is thinner than
 * MIN_SEGMENT_W. */
static void share_width(tl_scale *s, const build_in *in, const bool *scaled, int ngaps,
                        double days_total)
{
    double weight[TL_MAX_SEGMENTS], count[TL_MAX_SEGMENTS] = {0};
    for (size_t i = 0; i < in->n; i++)
        for (int k = s->nseg - 1; k >= 0; k--)
            if (in->v[i].lo >= s->seg[k].d0 || k == 0) {
                count[k] += 1;
                break;
            }
    for (int k = 0; k < s->nseg; k++) {
        double days = s->seg[k].d1 - s->seg[k].d0;
        weight[k] = s->nseg == 1 ? 1
                                 : 0.5 * days / days_total + 0.5 * count[k] / (double)in->n;
    }
    double content = (in->x1 - in->x0) - ngaps * in->break_w;
    if (content < MIN_SEGMENT_W * s->nseg)
        content = MIN_SEGMENT_W * s->nseg;
    /* A cluster beside a gap of another scale (see list_gaps) would
     * otherwise get almost nothing by length: it gets a label's room per
     * event (up to three). */
    double fixed = 0, flex = 0, least[TL_MAX_SEGMENTS];
    bool thin[TL_MAX_SEGMENTS];
    for (int k = 0; k < s->nseg; k++) {
        least[k] = MIN_SEGMENT_W;
        if (scaled[k])
            least[k] = fmax(least[k], fmin(count[k], 3) * in->break_w * ROOM_PER_BREAK_W);
        thin[k] = content * weight[k] < least[k];
        if (thin[k])
            fixed += least[k];
        else
            flex += weight[k];
    }
    if (fixed > content) {
        fixed = 0;
        for (int k = 0; k < s->nseg; k++)
            fixed += least[k] = MIN_SEGMENT_W;
    }
    double x = in->x0;
    for (int k = 0; k < s->nseg; k++) {
        double wk = thin[k] ? least[k] : (content - fixed) * weight[k] / flex;
        s->seg[k].x0 = x;
        s->seg[k].x1 = x + wk;
        x += wk + in->break_w;
    }
}

/* Pads cluster k, [clo, chi), into seg.  Beside a gap of another scale
 * (its ratio, or SCALE_RATIO times the cluster) the padding takes at most a
 * quarter of the gap: the Cretaceous must not eat 1969's room.  A lone
 * event cut off by such a gap is shown within its year, not within three
 * days.  Returns whether a neighbouring gap has a ratio of another scale
 * (the cluster then gets a label's room per event). */
static bool pad_segment(const build_in *in, const day_gap *gaps, int ngaps, int k, double clo,
                        double chi, tl_segment *seg)
{
    pad_cluster(clo, chi, in->timed, &seg->d0, &seg->d1);
    double least = SCALE_RATIO * fmax(chi - clo, in->floor);
    double prev = k > 0 ? gaps[k - 1].hi - gaps[k - 1].lo : 0;
    double next = k < ngaps ? gaps[k].hi - gaps[k].lo : 0;
    bool ratio_prev = k > 0 && gaps[k - 1].ratio >= SCALE_RATIO;
    bool ratio_next = k < ngaps && gaps[k].ratio >= SCALE_RATIO;
    if (ratio_prev || (k > 0 && prev >= least))
        seg->d0 = fmax(seg->d0, clo - prev * 0.25);
    if (ratio_next || (k < ngaps && next >= least))
        seg->d1 = fmin(seg->d1, chi + next * 0.25);
    bool alone = (k > 0 && prev >= least) || (k < ngaps && next >= least);
    if (alone && !in->timed && seg->d1 - seg->d0 < in->floor) {
        double mid = (clo + chi) / 2;
        seg->d0 = (double)month_start((tl_day)(mid - in->floor / 2));
        seg->d1 = (double)next_month_start((tl_day)(mid + in->floor / 2));
        if (k > 0)
            seg->d0 = fmax(seg->d0, clo - prev * 0.25);
        if (k < ngaps)
            seg->d1 = fmin(seg->d1, chi + next * 0.25);
    }
    return ratio_prev || ratio_next;
}

/* Lays out the segments for the chosen gaps (in day order): the clusters
 * between them, padded, sharing the width.  Returns false when padding
 * ate more than half of some gap: that break would mark almost nothing.
 * Each cluster is linear, and the break marks and tick labels show where
 * the scale changes. */
static bool place_segments(tl_scale *s, const build_in *in, const day_gap *gaps, int ngaps)
{
    memset(s, 0, sizeof *s);
    bool honest = true, scaled[TL_MAX_SEGMENTS];
    double clo = in->first, days_total = 0;
    for (int k = 0; k <= ngaps; k++) {
        double chi = k < ngaps ? gaps[k].lo : in->last;
        tl_segment *seg = &s->seg[s->nseg++];
        scaled[k] = pad_segment(in, gaps, ngaps, k, clo, chi, seg);
        if (k > 0) {
            double raw = gaps[k - 1].hi - gaps[k - 1].lo;
            if (seg->d0 - s->seg[k - 1].d1 < raw * 0.5)
                honest = false;
            if (seg->d0 < s->seg[k - 1].d1)
                seg->d0 = s->seg[k - 1].d1;
        }
        days_total += seg->d1 - seg->d0;
        if (k < ngaps)
            clo = gaps[k].hi;
    }
    share_width(s, in, scaled, ngaps, days_total);
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
static day_mark *event_marks(const fspan *v, size_t n, size_t *nm)
{
    day_mark *m = malloc(n * sizeof *m);
    if (!m)
        return NULL;
    for (size_t i = 0; i < n; i++)
        m[i] = (day_mark){(v[i].lo + v[i].hi) / 2, 1};
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

/* The gaps between clusters of overlapping spans, in day order, each with
 * its ratio: its length over the extent of the cluster on either side, the
 * cluster reaching out to the nearest gap at least as long (single
 * linkage), the larger of the two.  Only a cluster of two events or more
 * counts (a lone event needs no room of its own), and its extent counts as
 * at least `floor` days.  The nearest longer
 * gaps come from a stack in one pass each way.  Returns the count, or
 * SIZE_MAX when out of memory. */
static size_t list_gaps(const build_in *in, day_gap *g)
{
    size_t ng = 0;
    double reach = in->v[0].hi;
    for (size_t i = 1; i < in->n; i++) {
        if (in->v[i].lo > reach)
            g[ng++] = (day_gap){reach, in->v[i].lo, 0, i};
        if (in->v[i].hi > reach)
            reach = in->v[i].hi;
    }
    size_t *stack = malloc((ng + 1) * sizeof *stack);
    double *left = malloc((ng + 1) * sizeof *left);
    if (!stack || !left) {
        free(stack);
        free(left);
        return SIZE_MAX;
    }
    size_t top = 0;
    for (size_t i = 0; i < ng; i++) {
        double len = g[i].hi - g[i].lo;
        while (top && g[stack[top - 1]].hi - g[stack[top - 1]].lo < len)
            top--;
        size_t many = g[i].at - (top ? g[stack[top - 1]].at : 0);
        left[i] = g[i].lo - (top ? g[stack[top - 1]].hi : in->first);
        left[i] = many >= 2 ? len / fmax(left[i], in->floor) : 0;
        stack[top++] = i;
    }
    top = 0;
    for (size_t i = ng; i-- > 0;) {
        double len = g[i].hi - g[i].lo;
        while (top && g[stack[top - 1]].hi - g[stack[top - 1]].lo < len)
            top--;
        size_t many = (top ? g[stack[top - 1]].at : in->n) - g[i].at;
        double right = (top ? g[stack[top - 1]].lo : in->last) - g[i].hi;
        right = many >= 2 ? len / fmax(right, in->floor) : 0;
        g[i].ratio = fmax(left[i], right);
        stack[top++] = i;
    }
    free(stack);
    free(left);
    return ng;
}

/* The gaps worth trying, into cand (2 * CANDIDATES): the CANDIDATES
 * longest, then as many more of those with the highest ratio at least
 * SCALE_RATIO.  Returns the count, or SIZE_MAX when out of memory. */
static size_t candidates(const build_in *in, day_gap *cand)
{
    day_gap *all = malloc(in->n * sizeof *all);
    if (!all)
        return SIZE_MAX;
    size_t nall = list_gaps(in, all), nc = 0;
    if (nall != SIZE_MAX) {
        qsort(all, nall, sizeof *all, cmp_gap_len);
        for (; nc < nall && nc < CANDIDATES; nc++)
            cand[nc] = all[nc];
        if (nall > CANDIDATES) {
            qsort(all + CANDIDATES, nall - CANDIDATES, sizeof *all, cmp_gap_ratio);
            for (size_t i = CANDIDATES; i < nall && nc < 2 * CANDIDATES; i++)
                if (all[i].ratio >= SCALE_RATIO)
                    cand[nc++] = all[i];
        }
    }
    free(all);
    return nall == SIZE_MAX ? SIZE_MAX : nc;
}

/* The extent of the events between the breaks chosen on either side of
 * gap g when one of those is SCALE_RATIO times longer (so that, once the
 * Cretaceous and 1969 are apart, the last 300,000 years are a range of
 * their own), else infinity. */
static double scale_extent(const build_in *in, const day_gap *out, int ngaps, const day_gap *g)
{
    int k = 0;
    while (k < ngaps && out[k].lo < g->lo)
        k++;
    double extent = (k < ngaps ? out[k].lo : in->last) - (k > 0 ? out[k - 1].hi : in->first);
    bool scaled = (k > 0 && out[k - 1].hi - out[k - 1].lo >= SCALE_RATIO * extent) ||
                  (k < ngaps && out[k].hi - out[k].lo >= SCALE_RATIO * extent);
    return scaled ? extent : INFINITY;
}

/* The best gap among the candidates not yet taken that may be a break,
 * added to the chosen ones: its index, or -1; *best_score gets its
 * room_score, which must beat the one it comes in with. */
static int best_gap(const build_in *in, const day_gap *cand, size_t nc, const bool *taken,
                    const day_gap *out, int ngaps, double shown, const day_mark *m, size_t nm,
                    double room, double score, double crowded)
{
    int best = -1;
    double best_score = -INFINITY;
    tl_scale sc;
    for (size_t c = 0; c < nc; c++) {
        double len = cand[c].hi - cand[c].lo;
        /* A gap between scales needs to give only one pair its room. */
        bool scaled = cand[c].ratio >= SCALE_RATIO ||
                      len >= MIN_BREAK_SHARE * scale_extent(in, out, ngaps, &cand[c]);
        if (taken[c] || (len < MIN_BREAK_SHARE * shown && !scaled))
            continue;
        day_gap trial[TL_MAX_SEGMENTS];
        memcpy(trial, out, (size_t)ngaps * sizeof *out);
        trial[ngaps] = cand[c];
        qsort(trial, (size_t)ngaps + 1, sizeof *trial, cmp_gap_day);
        if (!place_segments(&sc, in, trial, ngaps + 1))
            continue;
        double cr, sco = room_score(&sc, m, nm, room, &cr);
        double need = (scaled ? 1 : crowded) * log(BREAK_GAIN);
        if (sco - score >= need && sco > best_score) {
            best = (int)c;
            best_score = sco;
        }
    }
    return best;
}

/* Chooses up to TL_MAX_SEGMENTS - 1 breaks among the gaps between clusters;
 * writes them in day order and returns how many.  Greedy: each round tries
 * the candidates (see candidates()) that are at least MIN_BREAK_SHARE of
 * the range still shown or SCALE_RATIO times the clusters beside them, and
 * keeps the one that gives the events the most room (room_score); it is
 * taken only when the pairs crowded so far gain BREAK_GAIN on average.  So
 * a chart whose labels fit stays linear, a gap, however long, is cut only
 * for the room, and on a chart of many scales (the Earth's age and 1969)
 * each scale gets a segment of its own. */
static int choose_breaks(const build_in *in, day_gap *out)
{
    int max_gaps = (int)((in->x1 - in->x0 + in->break_w) / (MIN_SEGMENT_W + in->break_w)) - 1;
    if (max_gaps > TL_MAX_SEGMENTS - 1)
        max_gaps = TL_MAX_SEGMENTS - 1;
    if (max_gaps <= 0 || in->n < 2)
        return 0;
    day_gap cand[2 * CANDIDATES];
    size_t nm = 0;
    day_mark *m = event_marks(in->v, in->n, &nm);
    size_t nc = m ? candidates(in, cand) : SIZE_MAX;
    int ngaps = 0;
    if (nc == SIZE_MAX) {
        free(m);
        return 0;
    }
    double room = in->break_w * ROOM_PER_BREAK_W, crowded;
    tl_scale sc;
    place_segments(&sc, in, NULL, 0);
    double score = room_score(&sc, m, nm, room, &crowded);
    double shown = in->last - in->first;
    bool taken[2 * CANDIDATES] = {false};
    while (ngaps < max_gaps && crowded > 0) {
        int best = best_gap(in, cand, nc, taken, out, ngaps, shown, m, nm, room, score, crowded);
        if (best < 0)
            break;
        taken[best] = true;
        out[ngaps++] = cand[best];
        qsort(out, (size_t)ngaps, sizeof *out, cmp_gap_day);
        shown -= cand[best].hi - cand[best].lo;
        place_segments(&sc, in, out, ngaps);
        score = room_score(&sc, m, nm, room, &crowded);
    }
    free(m);
    return ngaps;
}

/* Builds the scale over spans v (sorted here).  A cluster's extent counts
 * as at least a year for whole days (so only a gap of a century passes
 * SCALE_RATIO) and an hour for times of day. */
static void build(tl_scale *s, fspan *v, size_t n, double x0, double x1, bool breaks,
                  double break_w, bool timed)
{
    qsort(v, n, sizeof *v, cmp_span);
    build_in in = {v, n, v[0].lo, v[0].hi, x0, x1, break_w, timed, timed ? 1.0 / 24 : 365.0};
    for (size_t i = 1; i < n; i++)
        if (v[i].hi > in.last)
            in.last = v[i].hi;
    day_gap gaps[TL_MAX_SEGMENTS - 1];
    int ngaps = breaks ? choose_breaks(&in, gaps) : 0;
    place_segments(s, &in, gaps, ngaps);
}

void tl_scale_build(tl_scale *s, const tl_span *spans, size_t n, double x0,
                    double x1, bool breaks, double break_w)
{
    memset(s, 0, sizeof *s);
    fspan *v = n ? malloc(n * sizeof *v) : NULL;
    if (!v) {
        /* No events (or no memory): one segment around the first span, or
         * a plain year. */
        tl_day lo = n ? spans[0].lo : 0, hi = n ? spans[0].hi : 364;
        s->nseg = 1;
        pad_cluster((double)lo, (double)hi + 1, false, &s->seg[0].d0, &s->seg[0].d1);
        s->seg[0].x0 = x0;
        s->seg[0].x1 = x1;
        return;
    }
    for (size_t i = 0; i < n; i++)
        v[i] = (fspan){(double)spans[i].lo, (double)spans[i].hi + 1};
    build(s, v, n, x0, x1, breaks, break_w, false);
    free(v);
}

void tl_scale_build_timed(tl_scale *s, const tl_dspan *spans, size_t n, double x0,
                          double x1, bool breaks, double break_w)
{
    memset(s, 0, sizeof *s);
    fspan *v = n ? malloc(n * sizeof *v) : NULL;
    if (!v) {
        double lo = n ? spans[0].lo : 0, hi = n ? spans[0].hi : 1;
        s->nseg = 1;
        pad_cluster(lo, hi, true, &s->seg[0].d0, &s->seg[0].d1);
        s->seg[0].x0 = x0;
        s->seg[0].x1 = x1;
        return;
    }
    for (size_t i = 0; i < n; i++)
        v[i] = (fspan){spans[i].lo, fmax(spans[i].hi, spans[i].lo)};
    build(s, v, n, x0, x1, breaks, break_w, true);
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

void tl_scale_fit(tl_scale *s, double lo, double hi)
{
    if (s->nseg != 1 || !(hi > lo))
        return;
    /* A twentieth on each side, and never less than 15 seconds. */
    double pad = fmax((hi - lo) * 0.05, 15.0 / 86400);
    s->seg[0].d0 = lo - pad;
    s->seg[0].d1 = hi + pad;
}

size_t tl_year_text(int64_t year, char *buf, size_t size)
{
    return tl_year_label(year, buf, size);
}

/* ---- Ticks -------------------------------------------------------------- */

/* Calendar steps, finest first.  TL_TICK_SECOND counts seconds; years of
 * DEEP_STEP and more are counted back from 2000 ("66 Ma"). */
typedef struct {
    tl_tick_unit unit;
    int64_t count;
} step;

#define DEEP_STEP 10000

static const step steps[] = {
    {TL_TICK_SECOND, 1},     {TL_TICK_SECOND, 5},     {TL_TICK_SECOND, 15},
    {TL_TICK_SECOND, 30},    {TL_TICK_SECOND, 60},    {TL_TICK_SECOND, 300},
    {TL_TICK_SECOND, 900},   {TL_TICK_SECOND, 1800},  {TL_TICK_SECOND, 3600},
    {TL_TICK_SECOND, 10800}, {TL_TICK_SECOND, 21600}, {TL_TICK_SECOND, 43200},
    {TL_TICK_DAY, 1},    {TL_TICK_DAY, 2},     {TL_TICK_DAY, 7},    {TL_TICK_DAY, 14},
    {TL_TICK_MONTH, 1},  {TL_TICK_MONTH, 3},   {TL_TICK_MONTH, 6},  {TL_TICK_YEAR, 1},
    {TL_TICK_YEAR, 2},   {TL_TICK_YEAR, 5},    {TL_TICK_YEAR, 10},  {TL_TICK_YEAR, 20},
    {TL_TICK_YEAR, 50},  {TL_TICK_YEAR, 100},  {TL_TICK_YEAR, 200}, {TL_TICK_YEAR, 500},
    {TL_TICK_YEAR, 1000}, {TL_TICK_YEAR, 2000}, {TL_TICK_YEAR, 5000},
    {TL_TICK_YEAR, 10000LL}, {TL_TICK_YEAR, 20000LL}, {TL_TICK_YEAR, 50000LL},
    {TL_TICK_YEAR, 100000LL}, {TL_TICK_YEAR, 200000LL}, {TL_TICK_YEAR, 500000LL},
    {TL_TICK_YEAR, 1000000LL}, {TL_TICK_YEAR, 2000000LL}, {TL_TICK_YEAR, 5000000LL},
    {TL_TICK_YEAR, 10000000LL}, {TL_TICK_YEAR, 20000000LL}, {TL_TICK_YEAR, 50000000LL},
    {TL_TICK_YEAR, 100000000LL}, {TL_TICK_YEAR, 200000000LL}, {TL_TICK_YEAR, 500000000LL},
    {TL_TICK_YEAR, 1000000000LL}, {TL_TICK_YEAR, 2000000000LL}, {TL_TICK_YEAR, 5000000000LL},
    {TL_TICK_YEAR, 10000000000LL}, {TL_TICK_YEAR, 20000000000LL},
    {TL_TICK_YEAR, 50000000000LL},
};

static double step_days(const step *st)
{
    switch (st->unit) {
    case TL_TICK_SECOND: return (double)st->count / 86400;
    case TL_TICK_DAY: return (double)st->count;
    case TL_TICK_MONTH: return (double)st->count * 30.44;
    default: return (double)st->count * 365.2425;
    }
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* The first tick boundary at or after day d for a calendar step. */
static tl_day first_boundary(const step *st, tl_day d)
{
    int64_t y;
    int m, dd;
    civil(d, &y, &m, &dd);
    if (st->unit == TL_TICK_DAY) {
        if (st->count == 7 || st->count == 14) {
            /* Mondays (every other Monday counted from 1970-01-05). */
            tl_day monday = d + (7 - tl_weekday(d)) % 7;
            if (st->count == 14 && floor_div(monday - 4, 7) % 2 != 0)
                monday += 7;
            return monday;
        }
        return d;
    }
    if (st->unit == TL_TICK_MONTH) {
        int64_t idx = y * 12 + (m - 1);
        if (dd > 1)
            idx++;
        idx = floor_div(idx + st->count - 1, st->count) * st->count;
        return tl_days_from_civil(floor_div(idx, 12), (int)(idx - floor_div(idx, 12) * 12) + 1, 1);
    }
    int64_t yy = y + (m > 1 || dd > 1);
    if (st->count >= DEEP_STEP) {
        /* Round numbers of years before 2000: the latest at or after yy. */
        int64_t k = floor_div(2000 - yy, st->count);
        return tl_days_from_civil(2000 - k * st->count, 1, 1);
    }
    /* Round years as people count them: 500 BCE (year -499), not -500. */
    int64_t lab = yy > 0 ? yy : yy - 1;
    lab = floor_div(lab + st->count - 1, st->count) * st->count;
    if (lab == 0)
        lab = st->count;
    return tl_days_from_civil(lab > 0 ? lab : lab + 1, 1, 1);
}

static tl_day advance(const step *st, tl_day d)
{
    if (st->unit == TL_TICK_DAY)
        return d + st->count;
    int64_t y;
    int m, dd;
    civil(d, &y, &m, &dd);
    if (st->unit == TL_TICK_MONTH)
        return tl_days_from_civil(y, m + (int)st->count, 1);
    if (st->count >= DEEP_STEP)
        return tl_days_from_civil(y + st->count, 1, 1);
    int64_t lab = (y > 0 ? y : y - 1) + st->count;
    if (lab == 0)
        lab = st->count;
    return tl_days_from_civil(lab > 0 ? lab : lab + 1, 1, 1);
}

/* Label for the tick at day d; `first` is the first label of its segment,
 * which carries the year for sub-year steps. */
static void tick_label(const step *st, tl_lang lang, tl_day d, bool first, char *buf,
                       size_t size)
{
    int64_t y;
    int m, dd;
    civil(d, &y, &m, &dd);
    switch (st->unit) {
    case TL_TICK_DAY:
        tl_lang_tick_day(lang, y, m, dd, first || (dd == 1 && m == 1), buf, size);
        break;
    case TL_TICK_MONTH:
        tl_lang_tick_month(lang, y, m, first || m == 1, buf, size);
        break;
    default:
        tl_lang_year(lang, y, buf, size);
    }
}

/* Single years and single months are labelled in the middle of the period
 * they name; coarser steps at the tick. */
static bool label_centred(const step *st)
{
    return st->count == 1 && (st->unit == TL_TICK_MONTH || st->unit == TL_TICK_YEAR);
}

/* Places a label at its tick unless it would touch the one before it:
 * false (drop, or give up when checking) when it does. */
static bool place_label(tl_tick *t, double lw, double gap, double *prev_right)
{
    if (t->label_x - lw / 2 < *prev_right + gap)
        return false;
    *prev_right = t->label_x + lw / 2;
    return true;
}

/* Ticks of one segment at a step of seconds, on the clock of zone s->tz:
 * "20:15", "20:15:30"; at midnight the day, "Sun 20 Jul"; the first label
 * also names the day and the zone, "Sun 20 Jul 20:00 UTC". */
static size_t clock_ticks(const tl_scale *s, const tl_segment *g, const step *st,
                          tl_label_width_fn width, void *ctx, double gap, tl_tick *out,
                          size_t max, bool check)
{
    size_t n = 0;
    double prev_right = -INFINITY, per_day = (g->x1 - g->x0) / (g->d1 - g->d0);
    /* The axis's days are the display zone's (the layout shifts timed
     * events onto its clock): seconds here are local seconds. */
    int64_t a = (int64_t)ceil(g->d0 * 86400), b = (int64_t)floor(g->d1 * 86400);
    bool first = true;
    for (int64_t t = floor_div(a + st->count - 1, st->count) * st->count; t <= b;
         t += st->count) {
        if (n == max)
            return check ? SIZE_MAX : n;
        tl_tick *k = &out[n++];
        memset(k, 0, sizeof *k);
        k->x = k->label_x = g->x0 + ((double)t / 86400 - g->d0) * per_day;
        int64_t day = floor_div(t, 86400), sod = t - day * 86400;
        k->major = sod == 0;
        char clock[16], zname[16] = "";
        if (st->count < 60)
            snprintf(clock, sizeof clock, "%02d:%02d:%02d", (int)(sod / 3600),
                     (int)(sod / 60 % 60), (int)(sod % 60));
        else
            snprintf(clock, sizeof clock, "%02d:%02d", (int)(sod / 3600), (int)(sod / 60 % 60));
        /* The zone once, on the axis's first label; after a break the
         * day alone. */
        bool zoned = first && g == &s->seg[0];
        if (zoned && s->tz_abbr[0])
            snprintf(zname, sizeof zname, "%s", s->tz_abbr);
        else if (zoned)
            tl_zone_text(s->tz, zname, sizeof zname);
        /* The day at midnight and on the first label: "Sun 20 Jul". */
        size_t len = 0;
        if (sod == 0 || first)
            len = tl_lang_tick_weekday(s->lang, day, k->label, sizeof k->label);
        if (first && len < sizeof k->label)
            snprintf(k->label + len, sizeof k->label - len, " %s%s%s", clock, zoned ? " " : "",
                     zname);
        else if (!first && sod != 0)
            snprintf(k->label, sizeof k->label, "%s", clock);
        if (!place_label(k, width(ctx, k->label), gap, &prev_right)) {
            if (check)
                return SIZE_MAX;
            k->label[0] = '\0';
        } else {
            first = false;
        }
    }
    return n;
}

/* Generates the ticks of one segment with one step into out; returns the
 * count, or SIZE_MAX when the labels do not fit. */
static size_t segment_ticks(const tl_scale *s, const tl_segment *g, const step *st,
                            tl_label_width_fn width, void *ctx, double gap, tl_tick *out,
                            size_t max, bool check)
{
    if (st->unit == TL_TICK_SECOND)
        return clock_ticks(s, g, st, width, ctx, gap, out, max, check);
    size_t n = 0;
    double prev_right = -INFINITY;
    bool first = true;
    char last_label[sizeof out->label] = "";
    tl_day lo = (tl_day)ceil(g->d0), hi = (tl_day)floor(g->d1);
    double per_day = (g->x1 - g->x0) / (g->d1 - g->d0);
    for (tl_day d = first_boundary(st, lo); d <= hi; d = advance(st, d)) {
        if (n == max)
            return check ? SIZE_MAX : n;
        tl_tick *t = &out[n];
        memset(t, 0, sizeof *t);
        t->x = g->x0 + ((double)d - g->d0) * per_day;
        t->major = st->unit == TL_TICK_YEAR ||
                   (st->unit == TL_TICK_MONTH && first_boundary(&(step){TL_TICK_YEAR, 1}, d) == d) ||
                   (st->unit == TL_TICK_DAY && first_boundary(&(step){TL_TICK_MONTH, 1}, d) == d);
        tick_label(st, s->lang, d, first, t->label, sizeof t->label);
        double lw = width(ctx, t->label);
        if (label_centred(st)) {
            /* The label names the period from this tick to the next one,
             * clipped to the segment; drop it if it does not fit there. */
            double a = t->x;
            tl_day next = advance(st, d);
            double b = g->x0 + (fmin((double)next, g->d1) - g->d0) * per_day;
            if (b - a < lw + gap * 0.5) {
                if (check && b - a >= step_days(st) * per_day * 0.9)
                    return SIZE_MAX;
                t->label[0] = '\0';
            }
            t->label_x = (a + b) / 2;
        } else {
            t->label_x = t->x;
        }
        /* Deep years round alike ("302 ka" twice): name them once. */
        if (t->label[0] && n > 0 && strcmp(t->label, last_label) == 0)
            t->label[0] = '\0';
        if (t->label[0]) {
            snprintf(last_label, sizeof last_label, "%s", t->label);
            if (!place_label(t, lw, gap, &prev_right)) {
                if (check)
                    return SIZE_MAX;
                t->label[0] = '\0';
            } else {
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
            char lab[sizeof out->label];
            tick_label(st, s->lang, lo, true, lab, sizeof lab);
            double a = g->x0, b = g->x0 + ((double)b0 - g->d0) * per_day;
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
        /* Months of 300 ka are not known: deep time ticks in years. */
        bool deep = tl_year_of_day((tl_day)g->d1) < -DEEP_STEP;
        size_t nsteps = sizeof steps / sizeof steps[0];
        size_t chosen = nsteps - 1;
        for (size_t i = 0; i < nsteps; i++) {
            /* Skip steps that would put ticks closer than a few units, and
             * clock steps on a segment of more than a few days. */
            double count = days / step_days(&steps[i]);
            if (count > seg_w / 12 || count > (double)(max - n) ||
                (steps[i].unit == TL_TICK_SECOND && (!s->timed || days > 8)) ||
                (steps[i].unit != TL_TICK_YEAR && deep))
                continue;
            size_t got = segment_ticks(s, g, &steps[i], width, ctx, gap, out + n, max - n, true);
            if (got != SIZE_MAX && got >= 1) {
                chosen = i;
                break;
            }
        }
        n += segment_ticks(s, g, &steps[chosen], width, ctx, gap, out + n, max - n, false);
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
