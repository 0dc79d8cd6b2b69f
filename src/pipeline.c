/* pipeline.c — the driver: options → fonts → layout, for every output.
 *
 * Loading, validating and filtering are the caller's calls; everything
 * after them starts here, so that a chart drawn into a file, a buffer or a
 * caller's cairo_t is laid out by the same steps from the same options,
 * and warns about the same losses. */
#include "pipeline.h"

#include "diag.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

double tl_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The lowest and highest extent of an item, in units. */
static void item_span(const tl_item *it, double *lo, double *hi)
{
    switch (it->kind) {
    case TL_ITEM_MARKER:
        *lo = it->y - it->w / 2;
        *hi = it->y + it->w / 2;
        break;
    case TL_ITEM_BREAK:
    case TL_ITEM_OPEN:
        *lo = it->y - it->h / 2;
        *hi = it->y + it->h / 2;
        break;
    default:   /* a line's h may be negative */
        *lo = fmin(it->y, it->y + it->h);
        *hi = fmax(it->y, it->y + it->h);
        break;
    }
}

/* How far the drawing reaches past the bottom of its page (0: it fits),
 * and in *lost how many events have nothing left above it: a height too
 * small for the layout would otherwise cut them off without a word.  -1
 * when out of memory. */
static double overflow(const tl_chart *c, size_t *lost)
{
    double worst = 0;
    *lost = 0;
    /* Per event: 1 it has an item, 2 one of them shows. */
    unsigned char *seen = calloc(c->nevents ? c->nevents : 1, 1);
    if (!seen)
        return -1;
    for (size_t k = 0; k < c->nitems; k++) {
        const tl_item *it = &c->items[k];
        double lo, hi;
        item_span(it, &lo, &hi);
        if (hi - c->height > worst)
            worst = hi - c->height;
        if (it->event >= 0 && (size_t)it->event < c->nevents)
            /* Half a marker above the edge still shows the event. */
            seen[it->event] |= (lo + hi) / 2 <= c->height ? 3 : 1;
    }
    for (size_t i = 0; i < c->nevents; i++)
        *lost += seen[i] == 1;
    free(seen);
    return worst;
}

/* The warnings of a chart that shows less than the document holds. */
static void report(const tl_plot *p, tl_diag *diag)
{
    const tl_chart *c = p->chart;
    if (c->callouts)
        tl_diag_add(diag, TL_WARNING, NULL, 0, 0,
                    "%zu of %zu events have no room for a label — they are numbered at their "
                    "markers and listed in the key under the chart",
                    c->callouts, c->nevents);
    if (c->unlabelled > c->callouts)
        tl_diag_add(diag, TL_WARNING, NULL, 0, 0,
                    "%zu of %zu events have no label%s (no room) — they are drawn as markers; "
                    "raise the minimum importance, narrow the date range, give a larger size "
                    "or use the list layout",
                    c->unlabelled - c->callouts, c->nevents,
                    c->callouts ? " and no key entry" : "");
    if (p->overflow > 0.5) {
        char what[64] = "";
        if (p->cut)
            snprintf(what, sizeof what, ", %zu of %zu events with it", p->cut, c->nevents);
        tl_diag_add(diag, TL_WARNING, NULL, 0, 0,
                    "the chart needs a height of %.0f pt and has %.0f — the rest is cut "
                    "off%s; give a larger height, or none to fit the content",
                    c->height + p->overflow, c->height, what);
    }
}

tl_status tl_plot_new(const tl_doc *doc, const tl_options *o, tl_format fmt,
                      const tl_plot_box *box, bool timed, tl_plot *out, tl_diag *diag)
{
    *out = (tl_plot){0};
    tl_options local = *o;
    if (box) {
        local.width = (tl_length){box->width, TL_UNIT_BARE};
        local.height = (tl_length){box->height, TL_UNIT_BARE};
    }
    tl_layout_params p;
    tl_status st = tl_options_resolve(&local, fmt, &p, diag);
    if (st == TL_OK)
        st = tl_options_resolve_zone(o, doc, &p, diag);
    if (st != TL_OK)
        return st;
    tl_timings unused, *tm = timed && o->timings ? o->timings : &unused;
    double mark = tl_now();
    st = tl_fonts_new_map(o->font, o->font_map, &out->fonts, diag);
    tm->fonts += tl_now() - mark;
    if (st != TL_OK)
        return st;
    tl_measurer m;
    tl_fonts_measurer(out->fonts, &m);
    mark = tl_now();
    out->chart = tl_layout_new(doc, &p, &m);
    tm->layout += tl_now() - mark;
    if (out->chart && o->background != TL_BG_THEME) {
        /* The page only: masks behind texts keep the theme's ground. */
        uint32_t c = o->background_rgb;
        out->chart->background =
            o->background == TL_BG_TRANSPARENT
                ? (tl_rgba){1, 1, 1, 0}
                : (tl_rgba){((c >> 16) & 0xff) / 255.0, ((c >> 8) & 0xff) / 255.0,
                            (c & 0xff) / 255.0, 1};
    }
    if (out->chart)
        out->overflow = overflow(out->chart, &out->cut);
    if (!out->chart || out->overflow < 0) {
        tl_plot_free(out);
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "out of memory while laying out the chart");
        return TL_ERR_NOMEM;
    }
    report(out, diag);
    return TL_OK;
}

void tl_plot_free(tl_plot *p)
{
    tl_layout_free(p->chart);
    tl_fonts_free(p->fonts);
    *p = (tl_plot){0};
}
