/* place.c — the label machinery the layouts share: measuring a label,
 * emitting it, where an event's marker and bar go, which events are
 * candidates for a label when there are too many, and labels shared by
 * events on one date.  How labels are kept apart is in layout_axis.c's
 * opening comment. */
#include "layout_int.h"

#include "date.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void ly_release_label(ctx *x, label *l)
{
    ly_release(x, &l->title);
    ly_release(x, &l->date);
    for (int k = 0; k < l->nmore; k++)
        ly_release(x, &l->more_title[k]);
}

/* Lines a title may take before it is cut: three, but five in a chart so
 * narrow (a report column) that three lines cut most titles short. */
static int title_lines(ctx *x)
{
    return ly_label_max_width(x) < x->fs * 12 ? 5 : 3;
}

void ly_measure_label(ctx *x, label *l, double max_w)
{
    const tl_event *e = x->c->events[l->ev];
    int lines = title_lines(x);
    ly_measure(x, e->title, ly_title_font(x, e), max_w, lines, &l->title);
    l->date_text = ly_date_text(x, e);
    ly_measure(x, l->date_text, ly_font(x->fs * 0.85, false), max_w, 2, &l->date);
    l->tw = fmax(l->title.w, l->date.w);
    l->h = l->title.h + l->date.h;
    for (int k = 0; k < l->nmore; k++) {
        const tl_event *m = x->c->events[l->more[k]];
        ly_measure(x, m->title, ly_title_font(x, m), max_w, lines, &l->more_title[k]);
        l->tw = fmax(l->tw, l->more_title[k].w);
        l->h += l->more_title[k].h + GROUP_GAP(x);
    }
    l->w = l->tw;
}

/* Emits a placed label's texts, its title (or titles) and then its date,
 * with the box's top-left at (bx, by). */
void ly_emit_label(ctx *x, label *l, double bx, double by)
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
        tl_item *t = ly_add_text(x, TL_ROLE_LABEL, m->title, ly_title_font(x, m), tb->w + 0.01, 3, tb,
                                 l->right_align ? bx + l->w - tb->w : bx, ty, x->th.text);
        if (t) {
            t->event = ev;
            ly_typeset_of(x, t)->url = tl_event_url(m);
            ly_typeset_of(x, t)->align = align;
            if (m->importance == 1)
                t->fill = ly_color_index(x, x->th.muted);
        }
        ty += th;
    }
    tl_item *d = ly_add_text(x, TL_ROLE_LABEL_DATE, l->date_text, ly_font(x->fs * 0.85, false),
                             l->date.w + 0.01, 2, &l->date, dx, by + l->h - l->date.h, x->th.muted);
    if (d) {
        d->event = l->ev;
        ly_typeset_of(x, d)->align = align;
    }
}

/* The x extent an event's precision bar or span bar covers on the axis, and
 * whether it has one: a day-precision point has none. */
bool ly_event_bar(ctx *x, const tl_event *e, double *bx0, double *bx1)
{
    tl_span sp = ly_event_span(e);
    double d0, d1;
    ly_event_days(e, sp, ly_show_zone(x), &d0, &d1);
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
double ly_event_anchor(ctx *x, const tl_event *e)
{
    tl_span sp = ly_event_span(e);
    double d0, d1;
    ly_event_days(e, sp, ly_show_zone(x), &d0, &d1);
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

double ly_label_max_width(ctx *x)
{
    double w = x->c->width * 0.3;
    double lo = x->fs * 9, hi = x->fs * 24;
    return w < lo ? lo : w > hi ? hi : w;
}

/* Labels that hang to the right of their stem go latest first, and labels
 * that hang to the left go after them, earliest first: a staircase in which
 * every outer stem passes beside, never through, the labels nearer the axis.
 * With `by_importance`, more important labels go first of all. */
int ly_label_order(const label *x, const label *y, bool by_importance)
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

int ly_cmp_label_priority(const void *a, const void *b)
{
    const label *x = a, *y = b;
    if (x->level != y->level) /* level holds -importance */
        return x->level - y->level;
    if (x->covers != y->covers)
        return x->covers < y->covers ? -1 : 1;
    return ly_label_order(a, b, false);
}

/* At most how many labels `rows` rows `room` wide could hold: none is
 * narrower than six ems (a short title and its date). */
size_t ly_label_capacity(ctx *x, double room, int rows)
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
size_t ly_pick_candidates(ctx *x, label *ls, size_t cap, int *rest)
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
 * its end; returns how many left.  With `same_importance`, only events
 * of equal importance share a label. */
#define MAX_GROUP 6
size_t ly_group_labels(ctx *x, label *ls, size_t n, bool same_importance)
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
        const char *dt = ly_date_text(x, e);
        int more[MAX_GROUP - 1], nmore = 0;
        for (size_t j = i + 1; j < n && nmore < MAX_GROUP - 1; j++) {
            const tl_event *m = c->events[j];
            if (m->date.earliest != e->date.earliest || m->date.latest != e->date.latest)
                break;
            if (!taken[j] && !m->end && m->lane == e->lane &&
                (!same_importance || m->importance == e->importance) &&
                strcmp(ly_date_text(x, m), dt) == 0)
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

/* Sets ls[].spread, ls in time order: within each importance the van der
 * Corput rank (the middle one first, then the quarters, the eighths), so
 * that labels granted in that order are spread over the whole range. */
void ly_spread_rank(label *ls, size_t n)
{
    size_t count[4] = {0};
    for (size_t i = 0; i < n; i++)
        count[ls[i].imp & 3]++;
    int bits[4];
    for (int k = 0; k < 4; k++)
        for (bits[k] = 0; ((size_t)1 << bits[k]) < count[k] && bits[k] < 31; bits[k]++)
            ;
    size_t seen[4] = {0};
    for (size_t i = 0; i < n; i++) {
        int k = ls[i].imp & 3;
        uint32_t j = (uint32_t)seen[k]++, r = 0;
        for (int b = 0; b < bits[k]; b++)
            r |= ((j >> b) & 1u) << (bits[k] - 1 - b);
        ls[i].spread = r;
    }
}

/* ---- The numbered key -------------------------------------------------- */

/* The key's type: smaller than the labels', as a footnote's, but never
 * under 6 pt, the least that prints legibly. */
#define KEY_SIZE(x) fmax((x)->fs * 0.65, fmin((x)->fs, 6.0))
/* Its columns, in ems of its type: about 35 characters, so that after
 * the number and the date a title still says what happened; a longer
 * title ends in an ellipsis. */
#define KEY_COLUMN 15.0

/* The key's columns: as many as fit at KEY_COLUMN ems each. */
static void key_columns(ctx *x, int *ncols, double *col_w, double *line_h)
{
    double room = x->c->width - 2 * x->margin, gap = x->fs * 1.0;
    double ems = x->key_col > KEY_COLUMN ? x->key_col : KEY_COLUMN;
    int n = (int)((room + gap) / (KEY_SIZE(x) * ems + gap));
    *ncols = n < 1 ? 1 : n;
    *col_w = (room - (*ncols - 1) * gap) / *ncols;
    if (x->key_line <= 0) {
        /* A line as tall as the scripts titles are written in make it
         * (fallback fonts for CJK or Arabic set taller lines). */
        tl_textbox tb;
        tl_font probe = ly_font(KEY_SIZE(x), false);
        probe.probe = true;
        ly_measure(x, "8 \u00c1g \u56fd \ud55c \u0639 \u0416", probe, 0, 1, &tb);
        ly_release(x, &tb);
        x->key_line = tb.h;
    }
    *line_h = x->key_line;
}

/* Key entry k, "k+1  title  date", for event ev; NULL when out of
 * memory. */
static const char *key_entry(ctx *x, size_t k, int ev)
{
    const tl_event *e = x->c->events[ev];
    char a[256];
    if (e->end)
        tl_lang_span_label(ly_lang(x), &e->date, e->end, ly_show_zone(x), ly_zone_abbr(x), a,
                           sizeof a);
    else
        tl_lang_date_label(ly_lang(x), &e->date, ly_show_zone(x), ly_zone_abbr(x), a, sizeof a);
    /* The number, the title, then the date: when a column is too narrow
     * for the line, the ellipsis cuts the date, which the marker's place
     * on the axis tells roughly, not the title, which alone says what the
     * number stands for.  The title is isolated (U+2068 .. U+2069) and the
     * date set left to right (U+200E): a right-to-left title neither
     * carries the number to the line's end nor reorders the date. */
    const char *text =
        tl_arena_printf(&x->c->arena, "%zu  \u2068%s\u2069  \u200e%s", k + 1, e->title, a);
    if (!text)
        x->failed = true;
    return text;
}

/* Widens the key's columns as far as its longest entry needs (up to
 * KEY_WIDE ems: a title of some forty characters after its number and
 * date) while the key stays within `room`: fewer, wider columns and more
 * lines, so that titles are cut short only when the box has no height
 * for them. */
#define KEY_WIDE 34.0
void ly_widen_key(ctx *x, const int *ev, size_t n, double room)
{
    x->key_col = 0;
    if (!n || ly_key_height(x, n) > room)
        return;
    double want = 0, em = KEY_SIZE(x);
    tl_font f = ly_font(em, false);
    for (size_t k = 0; k < n && want < KEY_WIDE * em; k++) {
        const char *text = key_entry(x, k, ev[k]);
        if (!text)
            return;
        tl_textbox tb;
        ly_measure(x, text, f, 0, 1, &tb);
        ly_release(x, &tb);
        want = fmax(want, tb.w + em);
    }
    want = fmin(want / em, KEY_WIDE);
    /* From the widest wanted down, by two ems, the first that fits. */
    for (double ems = want; ems > KEY_COLUMN; ems -= 2.0) {
        x->key_col = ems;
        if (ly_key_height(x, n) <= room)
            return;
    }
    x->key_col = 0;
}

double ly_key_height(ctx *x, size_t n)
{
    if (!n)
        return 0;
    int ncols;
    double col_w, line_h;
    key_columns(x, &ncols, &col_w, &line_h);
    size_t rows = (n + (size_t)ncols - 1) / (size_t)ncols;
    return x->fs * 0.4 + (double)rows * line_h;
}

/* Sets the key from y: entry k is "k+1  title  date" for event ev[k], one
 * line each (a long line ends in an ellipsis), down the columns. */
void ly_emit_key(ctx *x, const int *ev, size_t n, double y)
{
    if (!n)
        return;
    int ncols;
    double col_w, line_h, gap = x->fs * 1.0;
    key_columns(x, &ncols, &col_w, &line_h);
    size_t rows = (n + (size_t)ncols - 1) / (size_t)ncols;
    tl_font f = ly_font(KEY_SIZE(x), false);
    y += x->fs * 0.4;
    for (size_t k = 0; k < n; k++) {
        const char *text = key_entry(x, k, ev[k]);
        if (!text)
            return;
        tl_textbox tb;
        ly_measure(x, text, f, col_w, 1, &tb);
        if (tb.h > line_h) {
            tb.h = line_h;         /* a taller script still: clipped to its line */
            tb.overflow = true;
        }
        double kx = x->margin + (double)(k / rows) * (col_w + gap);
        tl_item *t = ly_add_text(x, TL_ROLE_KEY, text, f, col_w, 1, &tb, kx,
                                 y + (double)(k % rows) * line_h, x->th.text);
        if (t)
            t->event = ev[k];
    }
}
