/* layout_lanes.c — the lanes layout: one row per lane over a shared
 * time axis, each label beside its mark in the first sub-row of its lane
 * with room. */
#include "layout_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SUBROWS 12          /* per lane, so a lane stays readable */
_Static_assert(MAX_SUBROWS <= INT8_MAX, "a lane's sub-row index fits in an int8_t");

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
        ly_ivset_free(&lr->sub[k]);
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
        double bx0, bx1, mx = ly_event_anchor(x, e), r = x->fs * 0.5;
        bool candidate = l->w > 0;
        if (!ly_event_bar(x, e, &bx0, &bx1))
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
                if (!ly_ivset_is_free(set, a, b))
                    continue;
                if (!ly_ivset_add(set, a, b)) {
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

/* A lane's name: the lane's label, or "Other" for the row of events
 * without a lane. */
static const char *lane_name(ctx *x, size_t r)
{
    return r < x->doc->nlanes ? x->doc->lanes[r].label : "Other";
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

/* Places the labels with fewer sub-rows a lane until the rows fit a fixed
 * height; at the last, none: marks only.  Fills row_h (each lane's
 * sub-rows are as tall as its tallest placed label); returns the number of
 * labels placed. */
static size_t fit_lanes(ctx *x, lane_rows *lr, double pl, double pr, double y,
                        const double *name_h, double mark_h, double row_gap, double *row_h)
{
    tl_chart *c = x->c;
    size_t nrows = lr->nrows, placed;
    double src_h = ly_source_line(x, 0, false);
    for (;;) {
        placed = place_lanes(x, lr, pl, pr);
        for (size_t r = 0; r < nrows; r++)
            row_h[r] = mark_h;
        for (size_t i = 0; i < lr->nls; i++) {
            const tl_event *e = c->events[lr->ls[i].ev];
            size_t r = e->lane >= 0 ? (size_t)e->lane : nrows - 1;
            if (lr->ls[i].level >= 0 && lr->ls[i].h > row_h[r])
                row_h[r] = lr->ls[i].h;
        }
        if (x->p->height <= 0 || lr->allowed == 0 || x->failed)
            break;
        double need = y + x->fs * 0.5;
        for (size_t r = 0; r < nrows; r++)
            if (r + 1 < nrows || lr->row_subs[r] > 0)
                need += lane_height(lr, r, row_h[r], mark_h, row_gap, name_h[r]);
        need += x->fs * 0.3 + x->fs * 2.2 + x->fs * 1.2 + src_h + x->margin;
        if (need <= x->p->height)
            break;
        lr->allowed--;
    }
    return placed;
}

/* Draws the lanes' bands and names from yy down, filling row_top; returns
 * the y below the last lane. */
static double draw_lane_rows(ctx *x, const lane_rows *lr, double yy, double gutter, tl_font lf,
                             const double *row_h, const double *name_h, double mark_h,
                             double row_gap, double *row_top)
{
    double left = x->margin, right = x->c->width - x->margin;
    for (size_t r = 0; r < lr->nrows; r++) {
        bool used = r + 1 < lr->nrows || lr->row_subs[r] > 0;
        row_top[r] = yy;
        if (!used)
            continue;
        double h = lane_height(lr, r, row_h[r], mark_h, row_gap, name_h[r]);
        tl_textbox tb;
        ly_measure(x, lane_name(x, r), lf, gutter - x->fs * 1.2, 3, &tb);
        tl_rgba lc = r < x->doc->nlanes ? tl_lane_color(x->doc, (int)r, x->p->theme)
                                        : x->th.no_lane;
        if (r % 2 == 0) {
            tl_rgba band = x->th.grid;
            band.a = 0.45;
            ly_add_rect(x, left, yy, right - left, h, band, (tl_rgba){0, 0, 0, 0}, 0, 0);
        }
        ly_add_rect(x, left, yy, x->fs * 0.3, h, lc, (tl_rgba){0, 0, 0, 0}, 0, 0);
        ly_add_text(x, TL_ROLE_LANE_LABEL, lane_name(x, r), lf, gutter - x->fs * 1.2, 3, &tb,
                    left + x->fs * 0.6, yy + row_gap, x->th.text);
        yy += h;
    }
    return yy;
}

/* Draws event ev's mark (span bar, or precision band and marker) centred
 * at cy, once for marks that look alike. */
static void draw_lane_mark(ctx *x, int ev, double cy)
{
    tl_chart *c = x->c;
    const tl_event *e = c->events[ev];
    tl_span sp = ly_event_span(e);
    double x0 = tl_scale_x(&c->scale, sp.lo), x1 = tl_scale_x(&c->scale, sp.hi + 1.0);
    tl_rgba col = ly_event_color(x, e);
    bool vague = ly_date_is_vague(&e->date);
    double d = x->fs * (e->importance == 3 ? 0.95 : 0.78);
    uint64_t key = ly_mark_key(ly_mark_key(ly_mark_key(ly_mark_key(3, x0), x1), cy), d);
    key = ly_mark_key(ly_color_key(key, col), vague + (e->end ? 2 : 0) +
                                                 ly_event_shape(x, e) * 4);
    if (x->drawn && !ly_markset_add(x->drawn, key))
        return;
    if (e->end) {
        tl_rgba f = col;
        f.a = 0.85;
        tl_item *bar = ly_add_rect(x, x0, cy - x->fs * 0.45, fmax(x1 - x0, x->fs),
                                   x->fs * 0.9, f, col, 0.8, vague ? 1 : 0);
        if (bar)
            bar->radius = (float)(x->fs * 0.2);
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

/* Draws every event's mark in its sub-row, and the placed labels beside
 * them. */
static void draw_lane_events(ctx *x, const lane_rows *lr, const double *row_top,
                             const double *row_h, double mark_h, double row_gap)
{
    tl_chart *c = x->c;
    size_t nrows = lr->nrows;
    /* Marks are drawn once however many events share them: a lane's
     * overflow row of thousands of events repeats the same few. */
    x->drawn = calloc(1, sizeof *x->drawn);
    for (size_t i = 0; i < c->nevents; i++) {
        label *l = i < lr->nls ? &lr->ls[i] : NULL;  /* NULL: a mark alone */
        int ev = l ? l->ev : lr->rest[i - lr->nls];
        const tl_event *e = c->events[ev];
        size_t row = e->lane >= 0 ? (size_t)e->lane : nrows - 1;
        int s = lr->mark_sub[ev] >= 0 ? lr->mark_sub[ev] : lr->row_subs[row] - 1;
        double cy = row_top[row] + row_gap + s * (row_h[row] + row_gap) +
                    (lr->overflow[row] && s == lr->row_subs[row] - 1 ? mark_h : row_h[row]) / 2;
        draw_lane_mark(x, ev, cy);
        if (!l)
            continue;
        if (l->level < 0) {
            ly_release_label(x, l);
            continue;
        }
        if (l->over_band) {
            tl_rgba halo = x->th.bg;
            if (row % 2 == 0) /* the lane's own band shade, made opaque */
                halo = ly_mix(x->th.bg, x->th.grid, 0.45);
            ly_add_rect(x, l->bx - 2, cy - l->h / 2, l->w + 4, l->h, halo,
                        (tl_rgba){0, 0, 0, 0}, 0, 0);
        }
        ly_emit_label(x, l, l->bx, cy - l->h / 2);
    }
    ly_markset_free(x->drawn);
    x->drawn = NULL;
}

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
    return allowed < 2 ? 2 : allowed > MAX_SUBROWS ? MAX_SUBROWS : allowed;
}

/* Measures the candidates for a label and orders them for placement;
 * returns the sub-row height they need. */
static double prepare_lane_labels(ctx *x, label *ls, size_t ncand, double max_w)
{
    tl_chart *c = x->c;
    double sub_h = x->fs;
    for (size_t i = 0; i < ncand; i++) {
        label *l = &ls[i];
        l->level = -c->events[l->ev]->importance;
        ly_measure_label(x, l, max_w);
        if (l->h > sub_h)
            sub_h = l->h;
    }
    if (ncand < c->nevents) {
        spread_order(x, ls, ncand);
        qsort(ls, ncand, sizeof *ls, cmp_label_spread);
    } else {
        qsort(ls, ncand, sizeof *ls, ly_cmp_label_priority);
    }
    return sub_h;
}

void ly_layout_lanes(ctx *x)
{
    tl_chart *c = x->c;
    double left = x->margin, right = c->width - x->margin;
    double y = ly_header(x, x->margin) + x->fs * 1.2;
    size_t nrows = x->doc->nlanes + 1;
    int max_subs = MAX_SUBROWS;
    ivset *sub = calloc(nrows * (size_t)max_subs, sizeof *sub);
    int *row_subs = calloc(nrows, sizeof *row_subs);
    label *ls = NULL;  /* the candidates for a label */
    int *rest = NULL;  /* the other events */
    int8_t *mark_sub = malloc((c->nevents ? c->nevents : 1) * sizeof *mark_sub);
    bool *overflow = calloc(nrows, sizeof *overflow);
    if (!sub || !row_subs || !mark_sub || !overflow) {
        x->failed = true;
        goto done;
    }
    tl_font lf = ly_font(x->fs, true);
    double gutter = lane_gutter(x, nrows, lf, right - left);
    double pl = left + gutter, pr = right;
    ly_build_scale(x, pl + x->fs * 3, pr - x->fs * 1.5);

    /* Each event: marker (or bar) with its label to the right, or to the
     * left when it would leave the page.  Sub-rows within a lane keep
     * labels apart, by the same interval sets as the axis layout. */
    double max_w = fmin(ly_label_max_width(x) * 1.3, (pr - pl) * 0.45);
    double row_gap = x->fs * 0.5;
    /* Label entries for candidates only, as in the axis layout: the other
     * events keep their mark, and need only their index. */
    size_t cap = ly_label_capacity(x, pr - pl, max_subs * (int)nrows);
    size_t nls = c->nevents < cap ? c->nevents : cap;
    ls = calloc(nls ? nls : 1, sizeof *ls);
    rest = malloc((c->nevents - nls ? c->nevents - nls : 1) * sizeof *rest);
    if (!ls || !rest) {
        x->failed = true;
        goto done;
    }
    size_t ncand = ly_pick_candidates(x, ls, cap, rest);
    prepare_lane_labels(x, ls, ncand, max_w);

    /* Lane name heights: a lane is never shorter than its name. */
    double name_h[TL_MAX_LANES + 1];
    for (size_t r = 0; r < nrows; r++) {
        tl_textbox tb;
        ly_measure(x, lane_name(x, r), lf, gutter - x->fs * 1.2, 3, &tb);
        ly_release(x, &tb);
        name_h[r] = tb.h;
    }
    double mark_h = x->fs * 1.2, row_h[TL_MAX_LANES + 1];
    int allowed = ncand < c->nevents && x->p->height <= 0 ? sampled_subrows(x, nrows)
                                                           : max_subs;
    lane_rows lr = {sub, nrows, allowed, row_subs, overflow, mark_sub,
                    ls, ncand, rest, c->nevents - ncand};
    size_t placed = fit_lanes(x, &lr, pl, pr, y, name_h, mark_h, row_gap, row_h);

    /* Rows, top to bottom; the grid goes over the bands, under the rest. */
    double row_top[TL_MAX_LANES + 1];
    double grid_top = y + x->fs * 0.5;
    double yy = draw_lane_rows(x, &lr, grid_top, gutter, lf, row_h, name_h, mark_h, row_gap,
                               row_top);
    size_t grid_at = x->c->nitems;
    double axis_y = yy + x->fs * 0.3;
    draw_lane_events(x, &lr, row_top, row_h, mark_h, row_gap);
    c->unlabelled = c->nevents - placed;
    double ah = ly_axis(x, axis_y, pl, pr, true, grid_top, grid_at);
    y = axis_y + ah + x->fs * 1.2;
    double sh = ly_source_line(x, y, true);
    c->height = y + sh + x->margin;
    if (x->p->height > 0)
        c->height = x->p->height;
done:
    if (sub)
        for (size_t k = 0; k < nrows * MAX_SUBROWS; k++)
            ly_ivset_free(&sub[k]);
    free(sub);
    free(row_subs);
    free(mark_sub);
    free(overflow);
    free(ls);
    free(rest);
}
