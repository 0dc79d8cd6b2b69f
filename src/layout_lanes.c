/* layout_lanes.c — the lanes layout: one band per lane over a shared time
 * axis; in a band, rows of marks with their labels.
 *
 * How a lane's rows are filled
 * ----------------------------
 * Every event has a footprint: the x extent of its mark (marker, precision
 * band, span bar, or an open date's tail) together with its label, which
 * goes inside its span bar when it fits there, else beside the mark (to the
 * right, or to the left at the right edge), padded.  No two footprints in
 * a row meet, so nothing in a row overlaps; rows are distinct bands in y,
 * so nothing in two rows does.  Two spans that overlap in time have
 * overlapping footprints, so they never share a row.
 *
 * Which events get a label is decided first, most important first and,
 * within an importance, in an order that spreads them over time, by a test
 * that needs no placement: footprints fit in R rows when no x lies under
 * more than R of them (they are intervals: rows colour an interval graph,
 * and first fit by left end needs no more).  Once an event of some
 * importance finds no room, no less important event gets a label, so an
 * unlabelled event is never more important than a labelled one.  The
 * chosen footprints are then placed in order of their marks' starts, each
 * in the first row where it fits: first fit by start fills the rows in
 * time order from the top and lets later events share a row with earlier
 * ones, so lanes stay compact.  (A label hung left of its mark, at the
 * right edge, can make that order take a row more than R; the height is
 * measured on the rows as placed.)  Marks without a label go in a gap of
 * those rows, else in a few thin rows under them.
 *
 * In a fixed box the labels get a budget of height, estimated per lane
 * and corrected on the rows as placed.  An event without a label gets a
 * numbered callout when its number fits beside its mark, the most
 * important first, while the key that lists them (under the axis, in time
 * order) fits the box; the label budget that identifies the most events,
 * and of those labels the most, is kept (see plan_score).  Last, a mark
 * whose row (or another row of its lane) has room beside it gets a label
 * of one line there, its title then its date, in place of its number and
 * key entry: no height is spent, only the gaps the rows left.  These too
 * go most important first, and stop at an importance where one finds no
 * room (see row_labels).
 */
#include "layout_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SUBROWS 112         /* label rows a lane, at the most */
#define SAMPLED_SUBROWS 12      /* the most when only a sample is labelled */
#define BARE_ROWS 8             /* thin rows a lane for marks without a label */
#define OVERFLOW_ROW (MAX_SUBROWS + BARE_ROWS) /* marks with no room anywhere */
#define ALL_LABELLED 300        /* up to this many events, each a candidate */
_Static_assert(OVERFLOW_ROW <= INT8_MAX, "a row index fits in an int8_t");

/* An x extent: a footprint. */
typedef struct foot {
    double a, b;
} foot;

typedef struct lanes {
    size_t nrows;       /* the lanes, then the row of events without one */
    label *ls;          /* the candidates for a label, in priority order, */
    size_t nls;         /* then the events that share a candidate's label */
    size_t nmembers;    /* (same lane, same written date) */
    int *rest;          /* the other events */
    size_t nrest;
    foot *lab;          /* per candidate: its footprint with its label */
    bool *inside;       /* per candidate: the label goes inside its bar */
    foot *mark;         /* per event: the footprint of its mark alone */
    int8_t *row;        /* per event: label rows first, then bare rows */
    int *subs, *bare;   /* per lane: label rows and bare rows used */
    ivset *sets;        /* per lane, MAX_SUBROWS + BARE_ROWS rows */
    int *next;          /* per candidate: the next chosen in its lane */
    double *scratch;    /* 2 * nls */
    double pl, pr;
    bool has[TL_MAX_LANES + 1];  /* per lane: holds an event */
    bool ovf[TL_MAX_LANES + 1];  /* per lane: has an overflow row */
    /* Numbered callouts, in a fixed box: an unlabelled event whose number
     * fits beside its mark is listed in the key under the chart. */
    bool callouts;
    double num_w, num_h;         /* the widest number */
    uint8_t *callout;            /* per event: 0 none, 1 right, 2 left, 3 in */
    int *called;                 /* the numbered events, by priority */
    size_t ncalled, max_called, kcap;
    bool open_rows;              /* a number may open a bare row */
    ivset *nums;                 /* per lane and bare row: the numbers */
    /* Row labels, in a fixed box: an unlabelled event whose row has room
     * beside its mark gets its title and date there, on one line. */
    struct rowlab *rl;           /* per event */
} lanes;

/* An event's one-line label in its own row: the widths of its title, of
 * the least of it worth showing and of its date (measured once), and,
 * when placed, where the line starts and how wide its title may be. */
typedef struct rowlab {
    float tw, cut, dw, h;
    bool measured;
    uint8_t side;       /* 0 none, 1 left of the mark, 2 right of it */
    double x0, w, title_w;
} rowlab;

static size_t lane_index(const lanes *L, const tl_event *e)
{
    return e->lane >= 0 ? (size_t)e->lane : L->nrows - 1;
}

/* ---- Candidates -------------------------------------------------------- */

static int cmp_label_spread(const void *a, const void *b)
{
    const label *x = a, *y = b;
    if (x->level != y->level) /* level holds -importance */
        return x->level - y->level;
    if (x->spread != y->spread)
        return x->spread < y->spread ? -1 : 1;
    return x->ev - y->ev;
}

/* The x extent of event e's mark: its span bar (an em at least, as drawn),
 * or its marker with its precision band or open date's tail. */
static foot mark_extent(ctx *x, const tl_event *e)
{
    double bx0, bx1, mx = ly_event_anchor(x, e), r = x->fs * 0.5;
    bool bar = ly_event_bar(x, e, &bx0, &bx1);
    if (e->end)
        return (foot){bx0, fmax(bx1, bx0 + x->fs)};
    if (!bar)
        bx0 = bx1 = mx;
    return (foot){fmin(bx0, mx - r), fmax(bx1, mx + r)};
}

/* Where candidate l's label goes, and its footprint: inside its span bar
 * when it fits there, else beside the mark m, to the right, or to the left
 * when the right would leave the chart; a precision band as wide as the
 * chart has the label over it, beside the marker. */
static foot label_place(ctx *x, const lanes *L, label *l, foot m, bool *inside)
{
    const tl_event *e = x->c->events[l->ev];
    double off = x->fs * 0.55, r = x->fs * 0.5, pad = x->fs * 0.25;
    double mx = ly_event_anchor(x, e), in = x->fs * 0.4;
    l->anchor = mx;
    l->right_align = false;
    l->over_band = false;
    *inside = e->end && m.b - m.a >= l->w + 2 * in;
    foot f = m;
    if (*inside) {
        l->bx = m.a + in;
    } else if (m.b + off + l->w <= L->pr) {
        l->bx = m.b + off;
        f.b = l->bx + l->w;
    } else if (m.a - off - l->w >= L->pl) {
        l->bx = m.a - off - l->w;
        l->right_align = true;
        f.a = l->bx;
    } else if (mx + r + off + l->w <= L->pr) {
        l->bx = mx + r + off;   /* on a halo: the band passes behind */
        l->over_band = true;
        f.b = fmax(m.b, l->bx + l->w);
    } else {
        l->bx = fmax(L->pl, mx - r - off - l->w);
        l->right_align = true;
        l->over_band = true;
        f.a = fmin(m.a, l->bx);
    }
    /* A text's side of the footprint takes half the gap two texts in a
     * row keep, an em: titles side by side must not read as one line. */
    double tpad = x->fs * 0.5;
    return (foot){f.a - (f.a < m.a ? tpad : pad), f.b + (f.b > m.b ? tpad : pad)};
}

/* Measures the candidates, orders them by priority and works out each
 * event's footprints. */
static void prepare(ctx *x, lanes *L, double max_w)
{
    tl_chart *c = x->c;
    double pad = x->fs * 0.25;
    for (size_t i = 0; i < c->nevents; i++) {
        foot m = mark_extent(x, c->events[i]);
        L->mark[i] = (foot){m.a - pad, m.b + pad};
    }
    /* Events of one lane on one written date (five reactions "between Nov
     * 2014 and 13 Jan 2015") share one label, as on the axis, when every
     * event gets one.  In a fixed box they stay apart: a shared label
     * names its less important members along with the most important, and
     * would put them ahead of more important events elsewhere. */
    for (size_t i = 0; i < L->nls; i++)
        L->ls[i].imp = c->events[L->ls[i].ev]->importance;
    if (L->nls == c->nevents && x->p->height <= 0) {
        L->nmembers = ly_group_labels(x, L->ls, L->nls, false);
        L->nls -= L->nmembers;
    }
    for (size_t i = 0; i < L->nls; i++) {
        label *l = &L->ls[i];
        l->level = -l->imp;
        ly_measure_label(x, l, max_w);
    }
    ly_spread_rank(L->ls, L->nls);
    qsort(L->ls, L->nls, sizeof *L->ls, cmp_label_spread);
    for (size_t i = 0; i < L->nls; i++) {
        foot m = mark_extent(x, c->events[L->ls[i].ev]);
        L->lab[i] = label_place(x, L, &L->ls[i], m, &L->inside[i]);
    }
}

/* ---- Rows -------------------------------------------------------------- */

typedef struct lane_geom {
    double *row_h;      /* per lane, MAX_SUBROWS label rows' heights */
    double *row_at;     /* the same rows' tops, from the lane's top */
    double labels_h[TL_MAX_LANES + 1];  /* a lane's label rows together */
    double name_h[TL_MAX_LANES + 1];
    double top[TL_MAX_LANES + 1];
    double mark_h, gap, in_pad;
} lane_geom;

/* The height a placed label needs in its row: a label inside a bar has the
 * bar around it. */
static double label_need(const lanes *L, size_t i, const lane_geom *g)
{
    return L->ls[i].h + (L->inside[i] ? 2 * g->in_pad : 0);
}


/* Rows of marks without labels sit closer than label rows: a marker is
 * under one em, and a bare row holds nothing taller than a number. */
#define BARE_PITCH(g) ((g)->mark_h + (g)->gap * 0.4)

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Whether footprint f fits in `rows` rows with the chosen footprints of its
 * lane (a list from `head`): whether no x of f already lies under `rows`
 * of them.  Footprints are closed: touching ones collide, as in ivset. */
static bool fits_rows(lanes *L, int head, foot f, int rows)
{
    double *lo = L->scratch, *hi = L->scratch + L->nls;
    size_t n = 0;
    for (int j = head; j >= 0; j = L->next[j]) {
        foot g = L->lab[j];
        if (g.a <= f.b && f.a <= g.b) {
            lo[n] = fmax(g.a, f.a);
            hi[n++] = fmin(g.b, f.b);
        }
    }
    if (n < (size_t)rows)
        return true;
    qsort(lo, n, sizeof *lo, cmp_double);
    qsort(hi, n, sizeof *hi, cmp_double);
    /* The deepest point is where some footprint starts: there, those
     * started so far less those ended before it. */
    size_t ended = 0;
    for (size_t i = 0; i < n; i++) {
        while (ended < n && hi[ended] < lo[i])
            ended++;
        if (i + 1 - ended >= (size_t)rows)
            return false;
    }
    return true;
}

/* A lane's height as choose_labels reckons it: `rows` rows as tall as its
 * tallest label, and a row for marks without one.  The rows placed are
 * no taller (each is as tall as its own tallest label). */
static double lane_estimate(const lanes *L, const lane_geom *g, size_t r, int rows,
                            double row_h)
{
    double h = rows * (row_h + g->gap) + (L->has[r] ? g->mark_h + g->gap : 0);
    if (rows == 0 && !L->has[r])
        h = g->mark_h + g->gap;
    return fmax(h + g->gap, g->name_h[r] + 2 * g->gap);
}

/* What choose_labels knows of the lanes while it chooses. */
typedef struct tally {
    int head[TL_MAX_LANES + 1];     /* each lane's chosen, a list */
    int rows[TL_MAX_LANES + 1];
    double row_h[TL_MAX_LANES + 1]; /* its tallest label */
    double est[TL_MAX_LANES + 1];   /* its height, by lane_estimate */
    double total, budget;
} tally;

/* Gives candidate i a label if its lane's rows hold it, or, with `grow`,
 * in one more row (up to max_rows), while the lanes stay within the
 * budget; returns whether it did. */
static bool try_label(ctx *x, lanes *L, const lane_geom *g, tally *t, size_t i, bool grow,
                      int max_rows)
{
    size_t lane = lane_index(L, x->c->events[L->ls[i].ev]);
    int rows = t->rows[lane];
    if (grow ? rows >= max_rows : rows == 0 || !fits_rows(L, t->head[lane], L->lab[i], rows))
        return false;
    double h = fmax(t->row_h[lane], label_need(L, i, g));
    double e = lane_estimate(L, g, lane, rows + grow, h);
    if (t->total - t->est[lane] + e > t->budget)
        return false;
    t->total += e - t->est[lane];
    t->est[lane] = e;
    t->rows[lane] += grow;
    t->row_h[lane] = h;
    L->ls[i].level = 0;
    L->next[i] = t->head[lane];
    t->head[lane] = (int)i;
    return true;
}

/* Chooses which candidates get a label, one importance at a time, most
 * important first: those that the rows chosen so far hold, then one that
 * a new row (in the lane, as lane_estimate reckons the lanes, within
 * `budget`) can take, in priority order, and again, until none can.  If
 * any of an importance is left, no less important one gets a label.  Sets
 * ls[].level to 0 for the chosen, -1 for the others; returns how many. */
static size_t choose_labels(ctx *x, lanes *L, const lane_geom *g, double budget, int max_rows)
{
    tally t = {.budget = budget};
    for (size_t r = 0; r < L->nrows; r++) {
        t.head[r] = -1;
        t.row_h[r] = g->mark_h;
        t.est[r] = lane_estimate(L, g, r, 0, t.row_h[r]);
        if (r + 1 < L->nrows || L->has[r])
            t.total += t.est[r];
    }
    for (size_t i = 0; i < L->nls; i++)
        L->ls[i].level = -1;
    size_t chosen = 0;
    for (size_t i0 = 0, i1; i0 < L->nls; i0 = i1) {
        for (i1 = i0; i1 < L->nls && L->ls[i1].imp == L->ls[i0].imp; i1++)
            ;
        size_t left = i1 - i0;
        for (bool grew = true; grew && left;) {
            for (size_t i = i0; i < i1; i++)
                if (L->ls[i].level < 0 && try_label(x, L, g, &t, i, false, max_rows))
                    left--, chosen++;
            grew = false;
            for (size_t i = i0; i < i1 && !grew && left; i++)
                if (L->ls[i].level < 0 && try_label(x, L, g, &t, i, true, max_rows))
                    left--, chosen++, grew = true;
        }
        if (left)
            break;
    }
    return chosen;
}

typedef struct start_key {
    double a;
    int i;
} start_key;

static int cmp_start(const void *a, const void *b)
{
    const start_key *x = a, *y = b;
    if (x->a != y->a)
        return x->a < y->a ? -1 : 1;
    return x->i - y->i;
}

/* Puts footprint f of event ev in the first of rows [from, to) of its lane
 * where it is free; returns the row, or -1. */
static int first_fit(ctx *x, lanes *L, size_t lane, int from, int to, foot f)
{
    for (int s = from; s < to; s++) {
        ivset *set = &L->sets[lane * (MAX_SUBROWS + BARE_ROWS) + (size_t)s];
        if (!ly_ivset_is_free(set, f.a, f.b))
            continue;
        if (!ly_ivset_add(set, f.a, f.b))
            x->failed = true;
        return s;
    }
    return -1;
}

/* Gives event ev a numbered callout if its number fits beside its mark in
 * a gap of its lane's rows (a bare row may open for it); returns the row,
 * or -1. */
static int place_callout(ctx *x, lanes *L, int ev, size_t lane)
{
    foot m = L->mark[ev];
    double off = x->fs * 0.25;
    bool left = m.b + off + L->num_w > L->pr;
    /* In a span's bar when it fits there, as a label would. */
    bool inside = x->c->events[ev]->end && m.b - m.a >= L->num_w + x->fs;
    foot f = inside ? m
             : left ? (foot){m.a - off - L->num_w, m.b} : (foot){m.a, m.b + off + L->num_w};
    int s = first_fit(x, L, lane, 0, L->subs[lane], f);
    int open = L->open_rows ? BARE_ROWS : L->bare[lane] ? L->bare[lane] : 1;
    if (s < 0)
        s = first_fit(x, L, lane, MAX_SUBROWS, MAX_SUBROWS + open, f);
    if (s < 0)
        return -1;
    L->callout[ev] = inside ? 3 : left ? 2 : 1;
    L->called[L->ncalled++] = ev;
    if (s >= MAX_SUBROWS &&
        !ly_ivset_add(&L->nums[lane * BARE_ROWS + (size_t)(s - MAX_SUBROWS)], f.a, f.b))
        x->failed = true;
    return s;
}

/* Places a mark without a label, with its callout if it can have one: in
 * a gap of its lane's label rows, else in the first bare row with room.  A
 * span bar may open a bare row (up to BARE_ROWS); a marker only takes one
 * that is open.  What finds no room goes on the first bare row where it
 * hides no number, where marks of a crowded lane may touch; else on an
 * overflow row of its own. */
static void place_bare(ctx *x, lanes *L, int ev)
{
    const tl_event *e = x->c->events[ev];
    size_t lane = lane_index(L, e);
    foot m = L->mark[ev];
    L->callout[ev] = 0;
    int s = L->ncalled < L->max_called ? place_callout(x, L, ev, lane) : -1;
    if (s < 0)
        s = first_fit(x, L, lane, 0, L->subs[lane], m);
    if (s < 0) {
        int open = e->end ? BARE_ROWS : L->bare[lane] ? L->bare[lane] : 1;
        s = first_fit(x, L, lane, MAX_SUBROWS, MAX_SUBROWS + open, m);
    }
    for (int b = 0; s < 0 && b < BARE_ROWS; b++)
        if (ly_ivset_is_free(&L->nums[lane * BARE_ROWS + (size_t)b], m.a, m.b)) {
            s = MAX_SUBROWS + b;
            /* Taken, so that no number set later lands on it. */
            ivset *set = &L->sets[lane * (MAX_SUBROWS + BARE_ROWS) + (size_t)s];
            if (!ly_ivset_add(set, m.a, m.b))
                x->failed = true;
        }
    if (s < 0) {
        s = OVERFLOW_ROW;
        L->ovf[lane] = true;
    } else if (s >= MAX_SUBROWS && s - MAX_SUBROWS + 1 > L->bare[lane]) {
        L->bare[lane] = s - MAX_SUBROWS + 1;
    }
    L->row[ev] = (int8_t)s;
}

/* ---- One-line labels in the rows --------------------------------------- */

/* Titles cut shorter than this many characters say too little. */
#define ROW_LABEL_CHARS 20

/* Measures event ev's title, its first ROW_LABEL_CHARS characters with an
 * ellipsis, and its date, once. */
static void measure_row_label(ctx *x, rowlab *r, const tl_event *e)
{
    if (r->measured)
        return;
    r->measured = true;
    tl_textbox tb;
    tl_font tf = ly_title_font(x, e);
    ly_measure(x, e->title, tf, 0, 1, &tb);
    ly_release(x, &tb);
    r->tw = (float)tb.w;
    r->h = (float)tb.h;
    r->cut = r->tw;
    /* The byte length of the first ROW_LABEL_CHARS characters (UTF-8). */
    size_t n = 0, chars = 0;
    while (e->title[n] && chars <= ROW_LABEL_CHARS) {
        n++;
        if (((unsigned char)e->title[n] & 0xC0) != 0x80)
            chars++;
    }
    if (e->title[n]) {
        const char *head = tl_arena_printf(&x->c->arena, "%.*s\u2026", (int)n, e->title);
        if (!head) {
            x->failed = true;
            r->cut = INFINITY;
        } else {
            ly_measure(x, head, tf, 0, 1, &tb);
            ly_release(x, &tb);
            r->cut = (float)tb.w;
        }
    }
    ly_measure(x, ly_date_text(x, e), ly_font(x->fs * 0.85, false), 0, 1, &tb);
    ly_release(x, &tb);
    r->dw = (float)tb.w;
}

/* Fits event ev's one-line label in `room` beside its mark: the whole
 * title and date, else the title cut (to ROW_LABEL_CHARS characters or
 * more) and the date; sets r->title_w, returns the line's width or -1. */
static double fit_row_label(ctx *x, rowlab *r, double room)
{
    double sp = x->fs * 0.35;
    if (r->tw + sp + r->dw <= room) {
        r->title_w = 0;  /* no cut */
        return r->tw + sp + r->dw;
    }
    if (r->cut + sp + r->dw <= room) {
        r->title_w = room - sp - r->dw;
        return room;
    }
    return -1;
}

/* What an event takes in its row. */
typedef struct occupant {
    foot f;
    int lane, row, ev;
} occupant;

static int cmp_occupant(const void *a, const void *b)
{
    const occupant *x = a, *y = b;
    if (x->lane != y->lane)
        return x->lane < y->lane ? -1 : 1;
    return x->ev - y->ev;
}

/* With more events in a lane than this, an event keeps its row. */
#define ROW_MOVES 600

/* Whether event ev's one-line label fits in row s beside its mark m,
 * among its lane's n occupants, an em from anything else in the row (and
 * its mark clear of them, when it would move there); sets r's side and
 * place. */
static bool fit_in_row(ctx *x, const lanes *L, const lane_geom *g, const occupant *lane_occ,
                       size_t n, int ev, int s, foot m, rowlab *r)
{
    double em = x->fs, lo = L->pl, hi = L->pr;
    size_t lane = (size_t)lane_occ[0].lane;
    for (size_t j = 0; j < n; j++) {
        const occupant *o = &lane_occ[j];
        if (o->ev == ev || o->row != s)
            continue;
        if (s != L->row[ev] && o->f.a <= m.b && m.a <= o->f.b)
            return false;   /* its mark would meet something there */
        if (o->f.a <= m.a)
            lo = fmax(lo, o->f.b + em);
        if (o->f.b >= m.b)
            hi = fmin(hi, o->f.a - em);
    }
    double wl = m.a - lo, wr = hi - m.b;
    if (fmax(wl, wr) < x->fs * 4)   /* no title fits: not worth shaping */
        return false;
    measure_row_label(x, r, x->c->events[ev]);
    /* A line taller than its row (a script with tall lines) would reach
     * into the next. */
    double tall = s < MAX_SUBROWS ? g->row_h[lane * MAX_SUBROWS + (size_t)s] + g->gap
                                  : BARE_PITCH(g);
    if (r->h > tall)
        return false;
    /* The whole line on either side, the left first; else cut. */
    double full = r->tw + x->fs * 0.35 + r->dw;
    bool left = wl >= full || (wr < full && wl >= wr);
    double w = fit_row_label(x, r, left ? wl : wr);
    if (w < 0)
        return false;
    r->side = left ? 1 : 2;
    r->x0 = left ? m.a - w : m.b;
    r->w = w;
    return true;
}

/* Gives event ev (occupant k of its lane's n) a one-line label in its row
 * or, when the lane is small enough to search, in another of its lane's
 * rows where its mark and label fit; moves it there. */
static bool give_row_label(ctx *x, lanes *L, const lane_geom *g, occupant *lane_occ, size_t n,
                           size_t k)
{
    int ev = lane_occ[k].ev, own = L->row[ev];
    size_t lane = (size_t)lane_occ[k].lane;
    foot m = L->mark[ev];
    rowlab *r = &L->rl[ev];
    int s = own < OVERFLOW_ROW && fit_in_row(x, L, g, lane_occ, n, ev, own, m, r) ? own : -1;
    int nrows = n > ROW_MOVES ? 0 : L->subs[lane] + L->bare[lane];
    for (int q = 0; q < nrows && s < 0; q++) {
        int t = q < L->subs[lane] ? q : MAX_SUBROWS + (q - L->subs[lane]);
        if (t != own && fit_in_row(x, L, g, lane_occ, n, ev, t, m, r))
            s = t;
    }
    if (s < 0)
        return false;
    L->row[ev] = (int8_t)s;
    lane_occ[k].row = s;
    lane_occ[k].f = r->side == 1 ? (foot){r->x0, m.b} : (foot){m.a, r->x0 + r->w};
    return true;
}

/* Gives events without a label a one-line label in their row where it has
 * room beside the mark, most important first: once an event of some
 * importance has none, no less important one gets one.  A labelled event
 * loses its number.  Returns how many got one. */
static size_t row_labels(ctx *x, lanes *L, const lane_geom *g)
{
    tl_chart *c = x->c;
    size_t n = c->nevents, got = 0;
    occupant *occ = malloc((n ? n : 1) * sizeof *occ);
    bool *lab = calloc(n ? n : 1, sizeof *lab);
    size_t *at = malloc((n ? n : 1) * sizeof *at);   /* its candidate */
    if (!occ || !lab || !at) {
        free(occ);
        free(lab);
        free(at);
        x->failed = true;
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        L->rl[i].side = 0;
    for (size_t i = 0; i < L->nls; i++)
        if (L->ls[i].level >= 0) {
            lab[L->ls[i].ev] = true;
            at[L->ls[i].ev] = i;
        }
    double off = x->fs * 0.25;
    for (size_t ev = 0; ev < n; ev++) {
        foot f = L->mark[ev];
        if (lab[ev])
            f = L->lab[at[ev]];
        else if (L->callout[ev] == 1)
            f.b += off + L->num_w;
        else if (L->callout[ev] == 2)
            f.a -= off + L->num_w;
        occ[ev] = (occupant){f, (int)lane_index(L, c->events[ev]), L->row[ev], (int)ev};
    }
    qsort(occ, n, sizeof *occ, cmp_occupant);
    for (int imp = 3; imp >= 1; imp--) {
        bool all = true;
        for (size_t k = 0, from = 0, to = 0; k < n; k++) {
            if (k == to) /* a lane's occupants are [from, to) */
                for (from = k; to < n && occ[to].lane == occ[k].lane; to++)
                    ;
            int ev = occ[k].ev;
            const tl_event *e = c->events[ev];
            int ei = e->importance < 1 ? 1 : e->importance > 3 ? 3 : e->importance;
            if (ei != imp || lab[ev])
                continue;
            if (!give_row_label(x, L, g, occ + from, to - from, k - from)) {
                all = false;
                continue;
            }
            lab[ev] = true;
            L->callout[ev] = 0;
            got++;
        }
        /* Strict importance: until all of this one have a label, no less
         * important event gets one. */
        if (!all)
            break;
    }
    size_t keep = 0;
    for (size_t k = 0; k < L->ncalled; k++)
        if (L->callout[L->called[k]])
            L->called[keep++] = L->called[k];
    L->ncalled = keep;
    free(occ);
    free(lab);
    free(at);
    return got;
}

/* Places the chosen labels by first fit in order of their marks' starts,
 * then the marks without a label; returns the number of labels placed.
 * Labels hung left of their marks can make that order need a row or two
 * more than `rows`: the height is measured on the rows as placed. */
static size_t place_rows(ctx *x, lanes *L, start_key *keys)
{
    size_t nsets = L->nrows * (MAX_SUBROWS + BARE_ROWS);
    for (size_t k = 0; k < nsets; k++)
        ly_ivset_free(&L->sets[k]);
    memset(L->subs, 0, L->nrows * sizeof *L->subs);
    memset(L->bare, 0, L->nrows * sizeof *L->bare);
    memset(L->ovf, 0, sizeof L->ovf);
    for (size_t k = 0; k < L->nrows * BARE_ROWS; k++)
        ly_ivset_free(&L->nums[k]);
    L->ncalled = 0;
    size_t n = 0, placed = 0;
    for (size_t i = 0; i < L->nls; i++)
        if (L->ls[i].level >= 0)
            keys[n++] = (start_key){L->mark[L->ls[i].ev].a, (int)i};
    qsort(keys, n, sizeof *keys, cmp_start);
    for (size_t k = 0; k < n; k++) {
        label *l = &L->ls[keys[k].i];
        size_t lane = lane_index(L, x->c->events[l->ev]);
        int s = first_fit(x, L, lane, 0, MAX_SUBROWS, L->lab[keys[k].i]);
        l->level = s;   /* -1: no row left, it goes bare */
        if (s < 0)
            continue;
        L->row[l->ev] = (int8_t)s;
        if (s + 1 > L->subs[lane])
            L->subs[lane] = s + 1;
        placed++;
    }
    for (size_t i = 0; i < L->nls; i++)
        if (L->ls[i].level < 0)
            place_bare(x, L, L->ls[i].ev);
    for (size_t i = 0; i < L->nrest; i++)
        place_bare(x, L, L->rest[i]);
    /* Events sharing a label share its mark, and its fate. */
    for (size_t i = 0; i < L->nls; i++) {
        const label *l = &L->ls[i];
        for (int k = 0; k < l->nmore; k++)
            L->row[l->more[k]] = L->row[l->ev];
        if (l->level >= 0)
            placed += (size_t)l->nmore;
    }
    return placed;
}

/* ---- Heights and drawing ----------------------------------------------- */

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}


/* Each label row is as tall as its tallest label: a shared label of five
 * titles makes one tall row, not a tall lane. */
static void row_heights(ctx *x, const lanes *L, lane_geom *g)
{
    for (size_t k = 0; k < L->nrows * MAX_SUBROWS; k++)
        g->row_h[k] = g->mark_h;
    for (size_t i = 0; i < L->nls; i++) {
        if (L->ls[i].level < 0)
            continue;
        size_t r = lane_index(L, x->c->events[L->ls[i].ev]);
        double *h = &g->row_h[r * MAX_SUBROWS + (size_t)L->ls[i].level];
        *h = fmax(*h, label_need(L, i, g));
    }
    for (size_t r = 0; r < L->nrows; r++) {
        double y = g->gap;
        for (int s = 0; s < L->subs[r]; s++) {
            g->row_at[r * MAX_SUBROWS + (size_t)s] = y;
            y += g->row_h[r * MAX_SUBROWS + (size_t)s] + g->gap;
        }
        g->labels_h[r] = y - g->gap;
    }
}

static bool lane_used(const lanes *L, size_t r)
{
    return r + 1 < L->nrows || L->subs[r] + L->bare[r] > 0 || L->ovf[r];
}

/* A lane's height: its label rows, its bare rows (a marker tall), never
 * less than its name. */
static double lane_height(const lanes *L, size_t r, const lane_geom *g)
{
    double h = g->labels_h[r] + (L->bare[r] + L->ovf[r]) * BARE_PITCH(g);
    if (L->subs[r] + L->bare[r] + L->ovf[r] == 0)
        h = g->mark_h + g->gap;
    return fmax(h + g->gap, g->name_h[r] + 2 * g->gap);
}

/* The chart's height with the rows as placed, lanes starting at y. */
/* The chart's height but for its lanes, which start at y. */
static double fixed_need(ctx *x, double y)
{
    return y + x->fs * 0.5 + x->fs * 0.3 + x->fs * 2.2 + x->fs * 1.2 +
           ly_source_line(x, 0, false) + x->margin;
}

static double chart_need(ctx *x, const lanes *L, const lane_geom *g, double y)
{
    double need = fixed_need(x, y) + ly_key_height(x, L->ncalled);
    for (size_t r = 0; r < L->nrows; r++)
        if (lane_used(L, r))
            need += lane_height(L, r, g);
    return need;
}

/* Chooses the labels for `budget`, places the rows and, with `callouts`,
 * numbers the most unlabelled events (the most important first, at most
 * L->kcap) for which the chart still fits its box; returns the number of
 * labels placed. */
/* The most callouts, the most important first, for which the chart fits
 * its box: a binary search over their number, the rows placed again for
 * each.  Leaves that placement. */
static void fit_callouts(ctx *x, lanes *L, lane_geom *g, double y, start_key *keys)
{
    L->max_called = L->kcap;
    place_rows(x, L, keys);
    row_heights(x, L, g);
    if (chart_need(x, L, g, y) <= x->p->height)
        return;
    size_t lo = 0, hi = L->ncalled;
    while (lo < hi && !x->failed) {
        L->max_called = lo + (hi - lo + 1) / 2;
        place_rows(x, L, keys);
        row_heights(x, L, g);
        if (chart_need(x, L, g, y) <= x->p->height)
            lo = L->max_called;
        else
            hi = L->max_called - 1;
    }
    L->max_called = lo;
    place_rows(x, L, keys);
    row_heights(x, L, g);
}

static size_t plan_rows(ctx *x, lanes *L, lane_geom *g, double y, start_key *keys,
                        double budget, int max_rows, bool callouts)
{
    choose_labels(x, L, g, budget, max_rows);
    L->max_called = 0;
    L->open_rows = true;
    size_t placed = place_rows(x, L, keys);
    row_heights(x, L, g);
    if (!callouts)
        return placed;
    /* Numbers that may open bare rows, or only use the rows there are:
     * the fewer rows can leave room for more numbers. */
    fit_callouts(x, L, g, y, keys);
    size_t open = L->ncalled;
    L->open_rows = false;
    fit_callouts(x, L, g, y, keys);
    if (L->ncalled < open) {
        L->open_rows = true;
        fit_callouts(x, L, g, y, keys);
    }
    return placed;
}

/* The label budget for the most labels that fit a fixed height, callouts
 * aside.  The estimate is cautious, so the budget is raised by what the
 * rows as placed left over (or lowered by what they overran) a few times,
 * and the best that fits kept. */
static double label_budget(ctx *x, lanes *L, lane_geom *g, double y, start_key *keys)
{
    double budget = x->p->height - fixed_need(x, y), best = -1;
    size_t most = 0;
    for (int k = 0; k < 6 && !x->failed; k++) {
        size_t placed = plan_rows(x, L, g, y, keys, budget, MAX_SUBROWS, false);
        double slack = x->p->height - chart_need(x, L, g, y);
        if (slack >= 0 && (best < 0 || placed > most)) {
            best = budget;
            most = placed;
        }
        if (slack >= 0 && slack < x->fs)
            break;
        budget += slack + (slack < 0 ? -1 : 0);
    }
    return best < 0 ? 0 : best;
}

/* How well a plan identifies the events: the more events it identifies,
 * by a label or a numbered callout in the key, the better (an event left
 * unnamed is what a reader cannot recover); among plans that identify as
 * many, the one with more labels. */
static double plan_score(const lanes *L, size_t placed, size_t n)
{
    return (double)(placed + L->ncalled) * (double)(n + 1) + (double)placed;
}

/* Chooses and places the labels, up to `allowed` rows a lane.  In a fixed
 * box, the labels (importance first) get a budget of height and the
 * callouts the rest: the budget that fits the most labels, and smaller
 * ones that leave room for more callouts, are tried, and the best by
 * plan_score kept: as many events identified as can be, then as many of
 * them labelled.  Returns the number of labels placed. */
static size_t fit_rows(ctx *x, lanes *L, int allowed, double y, lane_geom *g,
                       start_key *keys)
{
    if (x->p->height <= 0)
        return plan_rows(x, L, g, y, keys, INFINITY, allowed, false);
    double most = label_budget(x, L, g, y, keys), budget = most;
    size_t n = x->c->nevents;
    size_t placed = plan_rows(x, L, g, y, keys, budget, MAX_SUBROWS, L->callouts);
    /* Callouts can only stand for a few events: with many more, the labels
     * the budget allows are all there is to gain. */
    if (L->callouts && placed + L->ncalled < n && n <= 4 * L->kcap) {
        double best = plan_score(L, placed, n);
        for (int k = 0; k < 8 && !x->failed; k++) {
            double b = most * k / 8;
            size_t p = plan_rows(x, L, g, y, keys, b, MAX_SUBROWS, true);
            double sc = plan_score(L, p, n);
            if (sc > best) {
                best = sc;
                budget = b;
            }
        }
        placed = plan_rows(x, L, g, y, keys, budget, MAX_SUBROWS, true);
    }
    /* Last, what the rows' gaps can still name on one line: only ever a
     * number or an unnamed mark turned into a label. */
    placed += row_labels(x, L, g);
    /* Numbers go in time order, as the key lists them. */
    qsort(L->called, L->ncalled, sizeof *L->called, cmp_int);
    return placed;
}

/* A lane's name: the lane's label, or "Other" in the chart's language for
 * the row of events without a lane. */
static const char *lane_name(ctx *x, size_t r)
{
    return r < x->doc->nlanes ? x->doc->lanes[r].label : tl_lang_word(ly_lang(x), TL_W_OTHER);
}

/* The gutter for lane names: the widest name, within reason. */
static double lane_gutter(ctx *x, size_t nrows, tl_font lf, double room)
{
    double gutter = 0, gmax = room * 0.22;
    for (size_t r = 0; r < nrows; r++) {
        tl_textbox tb;
        ly_measure(x, lane_name(x, r), lf, gmax, 3, &tb);
        ly_release(x, &tb);
        if (tb.w > gutter)
            gutter = tb.w;
    }
    return gutter + x->fs * 1.2;
}

/* Draws the lanes' bands and names from yy down, filling g->top; returns
 * the y below the last lane. */
static double draw_lane_rows(ctx *x, const lanes *L, lane_geom *g, double yy, double gutter,
                             tl_font lf)
{
    double left = x->margin, right = x->c->width - x->margin;
    for (size_t r = 0; r < L->nrows; r++) {
        g->top[r] = yy;
        if (!lane_used(L, r))
            continue;
        double h = lane_height(L, r, g);
        tl_textbox tb;
        ly_measure(x, lane_name(x, r), lf, gutter - x->fs * 1.2, 3, &tb);
        tl_rgba lc = r < x->doc->nlanes ? ly_lane_color(x, (int)r)
                                        : x->th.no_lane;
        if (r % 2 == 0) {
            tl_rgba band = x->th.grid;
            band.a = 0.45;
            ly_add_rect(x, left, yy, right - left, h, band, (tl_rgba){0, 0, 0, 0}, 0, 0);
        }
        ly_add_rect(x, left, yy, x->fs * 0.3, h, lc, (tl_rgba){0, 0, 0, 0}, 0, 0);
        ly_add_text(x, TL_ROLE_LANE_LABEL, lane_name(x, r), lf, gutter - x->fs * 1.2, 3, &tb,
                    left + x->fs * 0.6, yy + g->gap, x->th.text);
        yy += h;
    }
    return yy;
}

/* The centre y of event ev's row. */
static double row_y(const lanes *L, const lane_geom *g, size_t lane, int s)
{
    if (s < MAX_SUBROWS) {
        size_t k = lane * MAX_SUBROWS + (size_t)s;
        return g->top[lane] + g->row_at[k] + g->row_h[k] / 2;
    }
    int b = s == OVERFLOW_ROW ? L->bare[lane] : s - MAX_SUBROWS;
    return g->top[lane] + g->gap + g->labels_h[lane] + b * BARE_PITCH(g) + g->mark_h / 2;
}

/* A span bar's fill: opaque under a label; light under a dashed outline
 * when an end is circa or uncertain. */
static tl_rgba span_fill(ctx *x, const tl_event *e, bool under_label)
{
    tl_rgba f = ly_event_color(x, e);
    bool vague = ly_date_is_vague(&e->date) || ly_date_is_vague(e->end);
    f.a = vague ? 0.3 : under_label ? 1 : 0.85;
    return f;
}

/* Draws event ev's mark centred at cy: its span bar (`bar_h` tall), or its
 * precision band and marker, or its open date's bound and tail; once for
 * marks that look alike. */
static void draw_lane_mark(ctx *x, int ev, double cy, double bar_h)
{
    tl_chart *c = x->c;
    const tl_event *e = c->events[ev];
    tl_span sp = ly_event_span(e);
    double d0, d1;
    ly_event_days(e, sp, ly_show_zone(x), &d0, &d1);
    double x0 = tl_scale_x(&c->scale, d0), x1 = tl_scale_x(&c->scale, d1);
    tl_rgba col = ly_event_color(x, e);
    bool vague = ly_date_is_vague(&e->date);
    double d = x->fs * (e->importance == 3 ? 0.95 : 0.78);
    if (ly_open_side(e)) {
        ly_add_open_mark(x, ev, ly_event_anchor(x, e), cy, d, col);
        return;
    }
    uint64_t key = ly_mark_key(ly_mark_key(ly_mark_key(ly_mark_key(3, x0), x1), cy), d);
    key = ly_mark_key(ly_color_key(key, col), vague + (e->end ? 2 : 0) +
                                                 ly_event_shape(x, e) * 4);
    if (e->end)
        key = ly_mark_key(key, span_fill(x, e, bar_h > x->fs).a);
    if (x->drawn && !ly_markset_add(x->drawn, ly_mark_key(key, bar_h)))
        return;
    if (e->end) {
        tl_rgba f = span_fill(x, e, bar_h > x->fs);
        tl_item *bar = ly_add_rect(x, x0, cy - bar_h / 2, fmax(x1 - x0, x->fs), bar_h, f, col,
                                   0.8, f.a < 0.5 ? 1 : 0);
        if (bar) {
            bar->radius = (float)(x->fs * 0.2);
            bar->event = ev;
        }
        return;
    }
    if (x1 - x0 > x->fs * 0.6) {
        tl_rgba f = col;
        f.a = vague ? 0.12 : 0.25;
        ly_add_rect(x, x0, cy - x->fs * 0.3, x1 - x0, x->fs * 0.6, f,
                    vague ? col : (tl_rgba){0, 0, 0, 0}, vague ? 0.8 : 0, vague ? 1 : 0);
    }
    tl_item *mk = ly_add_marker(x, (x0 + x1) / 2, cy, d, ly_event_shape(x, e),
                                vague ? x->th.bg : col, vague ? col : x->th.halo,
                                vague ? 1.4 : 1.0);
    if (mk)
        mk->event = ev;
}

/* WCAG relative luminance. */
static double luminance(tl_rgba c)
{
    double v[3] = {c.r, c.g, c.b};
    for (int k = 0; k < 3; k++)
        v[k] = v[k] <= 0.04045 ? v[k] / 12.92 : pow((v[k] + 0.055) / 1.055, 2.4);
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
}

/* White or near-black, whichever contrasts more with `fill` laid on the
 * background. */
static tl_rgba text_on(tl_rgba fill, tl_rgba bg)
{
    double l = luminance(ly_mix(bg, fill, fill.a));
    tl_rgba white = {1, 1, 1, 1}, ink = {0.1, 0.1, 0.1, 1};
    return 1.05 / (l + 0.05) >= (l + 0.05) / (luminance(ink) + 0.05) ? white : ink;
}

/* Emits candidate i's label, at its row's centre cy. */
static void draw_lane_label(ctx *x, const lanes *L, size_t i, double cy, size_t lane)
{
    label *l = &L->ls[i];
    if (L->inside[i]) {
        size_t from = x->c->nitems;
        tl_rgba ink = text_on(span_fill(x, x->c->events[l->ev], true), x->th.bg);
        ly_emit_label(x, l, l->bx, cy - l->h / 2);
        for (size_t k = from; k < x->c->nitems; k++)
            x->c->items[k].fill = ly_color_index(x, ink);
        return;
    }
    if (l->over_band) {
        tl_rgba halo = x->th.bg;
        if (lane % 2 == 0) /* the lane's own band shade, made opaque */
            halo = ly_mix(x->th.bg, x->th.grid, 0.45);
        ly_add_rect(x, l->bx - 2, cy - l->h / 2, l->w + 4, l->h, halo, (tl_rgba){0, 0, 0, 0},
                    0, 0);
    }
    ly_emit_label(x, l, l->bx, cy - l->h / 2);
}

/* Sets event ev's callout number beside its mark, centred on cy; `key` is
 * the numbered events in time order (number k + 1 is key[k]). */
static void draw_callout(ctx *x, const lanes *L, int ev, double cy)
{
    const int *at = bsearch(&ev, L->called, L->ncalled, sizeof *L->called, cmp_int);
    if (!at)
        return;
    const char *text = tl_arena_printf(&x->c->arena, "%zu", (size_t)(at - L->called) + 1);
    if (!text) {
        x->failed = true;
        return;
    }
    tl_font f = ly_font(x->fs * 0.75, true);
    tl_textbox tb;
    ly_measure(x, text, f, 0, 1, &tb);
    foot m = L->mark[ev];
    double off = x->fs * 0.25, pad = x->fs * 0.25;
    double tx = L->callout[ev] == 2 ? m.a + pad - off - tb.w : m.b - pad + off;
    tl_rgba ink = ly_event_color(x, x->c->events[ev]);
    if (L->callout[ev] == 3) {
        tx = m.a + pad + x->fs * 0.3;
        ink = text_on(span_fill(x, x->c->events[ev], false), x->th.bg);
    }
    tl_item *t = ly_add_text(x, TL_ROLE_CALLOUT, text, f, 0, 1, &tb, tx, cy - tb.h / 2, ink);
    if (t)
        t->event = ev;
}

/* Event ev's title cut to `room` with an ellipsis: the longest head of
 * whole characters that fits, measured into *tb; NULL when out of memory.
 * Cut by hand, not by the measurer, so that the box is as wide as what
 * it shows and the date follows it closely. */
static const char *title_head(ctx *x, const tl_event *e, size_t n)
{
    while (n > 0 && ((unsigned char)e->title[n] & 0xC0) == 0x80)
        n--;   /* whole characters */
    while (n > 0 && e->title[n - 1] == ' ')
        n--;
    const char *head = tl_arena_printf(&x->c->arena, "%.*s\u2026", (int)n, e->title);
    if (!head)
        x->failed = true;
    return head;
}

static const char *cut_title(ctx *x, const tl_event *e, tl_font f, double room, tl_textbox *tb)
{
    size_t lo = 0, hi = strlen(e->title);
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2;
        const char *head = title_head(x, e, mid);
        if (!head)
            return NULL;
        tl_textbox m;
        ly_measure(x, head, f, 0, 1, &m);
        ly_release(x, &m);
        if (m.w <= room)
            lo = mid;
        else
            hi = mid - 1;
    }
    const char *head = title_head(x, e, lo);
    if (head)
        ly_measure(x, head, f, 0, 1, tb);
    return head;
}

/* Sets event ev's one-line label, its title then its date, centred on
 * cy, where row_labels put it. */
static void draw_row_label(ctx *x, const lanes *L, int ev, double cy)
{
    const tl_event *e = x->c->events[ev];
    const rowlab *r = &L->rl[ev];
    tl_font tf = ly_title_font(x, e), df = ly_font(x->fs * 0.85, false);
    tl_textbox tt, dt;
    const char *title = e->title;
    if (r->title_w > 0)
        title = cut_title(x, e, tf, r->title_w, &tt);
    else
        ly_measure(x, title, tf, 0, 1, &tt);
    if (!title)
        return;
    const char *date = ly_date_text(x, e);
    ly_measure(x, date, df, 0, 1, &dt);
    double sp = x->fs * 0.35, w = tt.w + sp + dt.w;
    /* Left of the mark, the line ends where the room did. */
    double tx = r->side == 1 ? L->mark[ev].a - w : r->x0, ty = cy - tt.h / 2;
    tl_item *t = ly_add_text(x, TL_ROLE_LABEL, title, tf, tt.w + 0.01, 1, &tt, tx, ty,
                             e->importance == 1 ? x->th.muted : x->th.text);
    if (t) {
        t->event = ev;
        ly_typeset_of(x, t)->url = tl_event_url(e);
    }
    /* On the title's baseline. */
    tl_item *d = ly_add_text(x, TL_ROLE_LABEL_DATE, date, df, dt.w + 0.01, 1, &dt,
                             tx + tt.w + sp, ty + tt.baseline - dt.baseline, x->th.muted);
    if (d)
        d->event = ev;
}

/* Draws every event's mark in its row, and the placed labels. */
static void draw_lane_events(ctx *x, const lanes *L, const lane_geom *g)
{
    tl_chart *c = x->c;
    /* Marks are drawn once however many events share them: a lane's bare
     * rows of thousands of events repeat the same few. */
    x->drawn = calloc(1, sizeof *x->drawn);
    for (size_t i = 0; i < L->nls + L->nrest + L->nmembers; i++) {
        int ev = i < L->nls ? L->ls[i].ev
                 : i < L->nls + L->nrest ? L->rest[i - L->nls]
                                         : L->ls[i - L->nrest].ev;
        size_t lane = lane_index(L, c->events[ev]);
        double cy = row_y(L, g, lane, L->row[ev]);
        bool labelled = i < L->nls && L->ls[i].level >= 0;
        bool inside = labelled && L->inside[i];
        draw_lane_mark(x, ev, cy, inside ? label_need(L, i, g) : x->fs * 0.9);
        if (labelled)
            draw_lane_label(x, L, i, cy, lane);
        else if (i < L->nls)
            ly_release_label(x, &L->ls[i]);
        if (!labelled && L->callout[ev])
            draw_callout(x, L, ev, cy);
        else if (!labelled && L->rl[ev].side)
            draw_row_label(x, L, ev, cy);
    }
    ly_markset_free(x->drawn);
    x->drawn = NULL;
}

/* ---- The layout -------------------------------------------------------- */

/* When only a sample can be labelled, the lanes together get as many
 * label rows as the axis layout has levels, shared out among the lanes in
 * use: twelve a lane would make a poster five times as tall as it is
 * wide, of rows few readers would scan. */
static int sampled_subrows(ctx *x, size_t nrows)
{
    bool used[TL_MAX_LANES + 1] = {false};
    int nused = 0;
    for (size_t i = 0; i < x->c->nevents; i++) {
        int r = x->c->events[i]->lane >= 0 ? x->c->events[i]->lane : (int)nrows - 1;
        nused += !used[r];
        used[r] = true;
    }
    int allowed = 2 * MAX_LEVELS_AUTO / (nused ? nused : 1);
    return allowed < 2 ? 2 : allowed > SAMPLED_SUBROWS ? SAMPLED_SUBROWS : allowed;
}

static void lanes_free(lanes *L)
{
    if (L->sets)
        for (size_t k = 0; k < L->nrows * (MAX_SUBROWS + BARE_ROWS); k++)
            ly_ivset_free(&L->sets[k]);
    free(L->sets);
    free(L->ls);
    free(L->rest);
    free(L->lab);
    free(L->inside);
    free(L->mark);
    free(L->row);
    free(L->subs);
    free(L->bare);
    free(L->next);
    free(L->scratch);
    free(L->callout);
    free(L->called);
    free(L->rl);
    if (L->nums)
        for (size_t k = 0; k < L->nrows * BARE_ROWS; k++)
            ly_ivset_free(&L->nums[k]);
    free(L->nums);
}

/* Allocates the candidates (at most cap) and the per-event arrays; false
 * when out of memory. */
static bool lanes_alloc(lanes *L, size_t nevents, size_t cap)
{
    size_t nls = nevents < cap ? nevents : cap, n = nevents ? nevents : 1, m = nls ? nls : 1;
    L->sets = calloc(L->nrows * (MAX_SUBROWS + BARE_ROWS), sizeof *L->sets);
    L->ls = calloc(m, sizeof *L->ls);
    L->rest = malloc((nevents - nls ? nevents - nls : 1) * sizeof *L->rest);
    L->lab = malloc(m * sizeof *L->lab);
    L->inside = calloc(m, sizeof *L->inside);
    L->mark = malloc(n * sizeof *L->mark);
    L->row = calloc(n, sizeof *L->row);
    L->subs = calloc(L->nrows, sizeof *L->subs);
    L->bare = calloc(L->nrows, sizeof *L->bare);
    L->next = malloc(m * sizeof *L->next);
    L->scratch = malloc(2 * m * sizeof *L->scratch);
    L->callout = calloc(n, sizeof *L->callout);
    L->called = malloc(n * sizeof *L->called);
    L->nums = calloc(L->nrows * BARE_ROWS, sizeof *L->nums);
    L->rl = calloc(n, sizeof *L->rl);
    return L->rl && L->sets && L->ls && L->rest && L->lab && L->inside && L->mark && L->row &&
           L->subs && L->bare && L->next && L->scratch && L->callout && L->called && L->nums;
}

void ly_layout_lanes(ctx *x)
{
    tl_chart *c = x->c;
    double left = x->margin, right = c->width - x->margin;
    double y = ly_header(x, x->margin) + x->fs * 1.2;
    lanes L = {.nrows = x->doc->nlanes + 1};
    tl_font lf = ly_font(x->fs, true);
    double gutter = lane_gutter(x, L.nrows, lf, right - left);
    L.pl = left + gutter;
    L.pr = right;
    ly_build_scale(x, L.pl + x->fs * 3, L.pr - x->fs * 1.5);
    /* Every event is a candidate for a label up to ALL_LABELLED; past that,
     * a sample as the axis layout takes, which the rows could hold. */
    size_t cap = ly_label_capacity(x, L.pr - L.pl, SAMPLED_SUBROWS * (int)L.nrows);
    if (cap < ALL_LABELLED)
        cap = ALL_LABELLED;
    start_key *keys = malloc(((c->nevents < cap ? c->nevents : cap) + 1) * sizeof *keys);
    lane_geom g = {.mark_h = x->fs * 1.2, .gap = x->fs * 0.5, .in_pad = x->fs * 0.2};
    g.row_h = malloc(L.nrows * MAX_SUBROWS * sizeof *g.row_h);
    g.row_at = malloc(L.nrows * MAX_SUBROWS * sizeof *g.row_at);
    if (!lanes_alloc(&L, c->nevents, cap) || !keys || !g.row_h || !g.row_at) {
        x->failed = true;
        goto done;
    }
    for (size_t i = 0; i < c->nevents; i++)
        L.has[lane_index(&L, c->events[i])] = true;
    L.nls = ly_pick_candidates(x, L.ls, cap, L.rest);
    L.nrest = c->nevents - L.nls;
    L.callouts = x->p->height > 0 && x->p->callouts;
    /* The key may take up to half the box. */
    size_t lo = 0, hi = L.callouts ? c->nevents : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo + 1) / 2;
        if (ly_key_height(x, mid) <= x->p->height * 0.5)
            lo = mid;
        else
            hi = mid - 1;
    }
    L.kcap = lo;
    if (L.callouts) {
        /* A callout is as wide as the largest number. */
        char digits[24];
        snprintf(digits, sizeof digits, "%zu", c->nevents);
        memset(digits, '8', strlen(digits));
        tl_textbox tb;
        ly_measure(x, digits, ly_font(x->fs * 0.75, true), 0, 1, &tb);
        ly_release(x, &tb);
        L.num_w = tb.w;
    }
    prepare(x, &L, fmin(ly_label_max_width(x) * 1.3, (L.pr - L.pl) * 0.45));
    for (size_t r = 0; r < L.nrows; r++) {
        tl_textbox tb;
        ly_measure(x, lane_name(x, r), lf, gutter - x->fs * 1.2, 3, &tb);
        ly_release(x, &tb);
        g.name_h[r] = tb.h;
    }
    int allowed = L.nrest > 0 && x->p->height <= 0 ? sampled_subrows(x, L.nrows)
                                                          : MAX_SUBROWS;
    size_t placed = fit_rows(x, &L, allowed, y, &g, keys);

    /* Rows, top to bottom; the grid goes over the bands, under the rest. */
    double grid_top = y + x->fs * 0.5;
    double yy = draw_lane_rows(x, &L, &g, grid_top, gutter, lf);
    size_t grid_at = x->c->nitems;
    double axis_y = yy + x->fs * 0.3;
    draw_lane_events(x, &L, &g);
    c->unlabelled = c->nevents - placed;
    c->callouts = L.ncalled;
    c->unnamed = c->unlabelled - L.ncalled;
    double ah = ly_axis(x, axis_y, L.pl, L.pr, true, grid_top, grid_at);
    y = axis_y + ah + x->fs * 1.2;
    ly_widen_key(x, L.called, L.ncalled,
                 x->p->height > 0 ? x->p->height - y - ly_source_line(x, 0, false) - x->margin
                                  : HUGE_VAL);
    ly_emit_key(x, L.called, L.ncalled, y);
    y += ly_key_height(x, L.ncalled);
    double sh = ly_source_line(x, y, true);
    c->height = y + sh + x->margin;
    if (x->p->height > 0)
        c->height = x->p->height;
done:
    free(g.row_h);
    free(g.row_at);
    free(keys);
    lanes_free(&L);
}
