/* api.c — the version, loading for a render, measuring, and drawing onto
 * a caller's cairo_t.
 *
 * Where the public functions are: each stage's own calls live with the
 * stage (tl_diag_* in diag.c, tl_doc_load_* in the YAML reader, the
 * document and its builder in doc.c, tl_doc_validate in validate.c,
 * tl_doc_verify_quotes in verify.c, tl_filter_* and tl_doc_filter in
 * filter.c, tl_options_* in options.c, tl_render_file and
 * tl_render_buffer in output.c).  The calls here run the pipeline for a
 * caller's own surface; all renders lay out through pipeline.c. */
#include "diag.h"
#include "pipeline.h"

#include <math.h>

const char *tl_version(void) { return TIMELINE_VERSION_STRING; }

/* A NULL pointer argument: TL_ERR_USAGE, with a message naming it. */
static tl_status null_arg(tl_diag *diag, const char *fn, const char *param)
{
    tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "%s: %s is NULL", fn, param);
    return TL_ERR_USAGE;
}

static bool positive(double v) { return v > 0 && isfinite(v); }

tl_status tl_measure(const tl_doc *doc, const tl_options *o, double width, double *height,
                     tl_diag *diag)
{
    if (height)
        *height = 0;
    if (!doc || !o || !height)
        return null_arg(diag, "tl_measure", !doc ? "doc" : !o ? "opts" : "height");
    if (!positive(width)) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "width: must be a positive number of points");
        return TL_ERR_USAGE;
    }
    tl_plot plot;
    /* Points, and one page whatever the layout: SVG's units and rules. */
    tl_status st = tl_plot_new(doc, o, TL_FORMAT_SVG, &(tl_plot_box){width, 0}, false, &plot,
                               diag);
    if (st != TL_OK)
        return st;
    *height = plot.chart->height;
    tl_plot_free(&plot);
    return TL_OK;
}

tl_status tl_measure_natural(const tl_doc *doc, const tl_options *o, double *width,
                             double *height, tl_diag *diag)
{
    if (width)
        *width = 0;
    if (height)
        *height = 0;
    if (!doc || !o)
        return null_arg(diag, "tl_measure_natural", !doc ? "doc" : "opts");
    tl_plot plot;
    tl_status st = tl_plot_new(doc, o, TL_FORMAT_SVG, NULL, false, &plot, diag);
    if (st != TL_OK)
        return st;
    if (width)
        *width = plot.chart->width;
    if (height)
        *height = plot.chart->height;
    tl_plot_free(&plot);
    return TL_OK;
}

/* Checks tl_render_cairo's arguments. */
static tl_status check_box(const tl_doc *doc, const tl_options *o, cairo_t *cr, double x,
                           double y, double width, double height, tl_diag *diag)
{
    if (!doc || !o || !cr)
        return null_arg(diag, "tl_render_cairo", !doc ? "doc" : !o ? "opts" : "cr");
    if (!isfinite(x) || !isfinite(y)) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "%s: must be a finite number",
                    isfinite(x) ? "y" : "x");
        return TL_ERR_USAGE;
    }
    if (!positive(width) || !positive(height)) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0,
                    "%s: the box must have a positive, finite width and height",
                    !positive(width) ? "width" : "height");
        return TL_ERR_USAGE;
    }
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "cr: the cairo_t is in an error state: %s",
                    cairo_status_to_string(cairo_status(cr)));
        return TL_ERR_USAGE;
    }
    return TL_OK;
}

/* Draws page `page` of the chart laid out for the box; `whole` when the
 * caller draws no other page, which it is then told of. */
static tl_status render_box(const tl_doc *doc, const tl_options *o, cairo_t *cr, double x,
                            double y, double width, double height, int page, bool whole,
                            tl_render_info *info, tl_diag *diag)
{
    if (info)
        *info = (tl_render_info){0};
    tl_status st = check_box(doc, o, cr, x, y, width, height, diag);
    if (st != TL_OK)
        return st;
    /* The box is the chart's width and height, in points, as a render to
     * a file of that size would have them. */
    tl_plot plot;
    st = tl_plot_new(doc, o, TL_FORMAT_SVG, &(tl_plot_box){width, height}, false, &plot, diag);
    if (st != TL_OK)
        return st;
    const tl_chart *c = plot.chart;
    if (page < 0 || page >= c->pages) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "page: %d is not one of the chart's %d "
                    "(from 0)", page, c->pages);
        tl_plot_free(&plot);
        return TL_ERR_USAGE;
    }
    if (whole && c->pages > 1)
        tl_diag_add(diag, TL_WARNING, NULL, 0, 0,
                    "the chart needs %d pages of this box — only the first is drawn", c->pages);
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rectangle(cr, 0, 0, c->width, c->height);
    cairo_clip(cr);
    tl_render_chart(c, cr, page, plot.fonts);
    cairo_restore(cr);
    st = cairo_status(cr) == CAIRO_STATUS_SUCCESS ? TL_OK : TL_ERR_IO;
    if (st != TL_OK)
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "drawing failed: %s",
                    cairo_status_to_string(cairo_status(cr)));
    else if (info)
        *info = (tl_render_info){c->width,          c->height,    c->nevents,
                                 c->nevents - c->unlabelled, c->unlabelled, c->callouts,
                                 plot.cut,          c->pages};
    tl_plot_free(&plot);
    return st;
}

tl_status tl_render_cairo(const tl_doc *doc, const tl_options *o, cairo_t *cr, double x,
                          double y, double width, double height, tl_diag *diag)
{
    return render_box(doc, o, cr, x, y, width, height, 0, true, NULL, diag);
}

tl_status tl_render_cairo_info(const tl_doc *doc, const tl_options *o, cairo_t *cr, double x,
                               double y, double width, double height, tl_render_info *info,
                               tl_diag *diag)
{
    return render_box(doc, o, cr, x, y, width, height, 0, true, info, diag);
}

tl_status tl_render_cairo_page(const tl_doc *doc, const tl_options *o, cairo_t *cr, double x,
                               double y, double width, double height, int page,
                               tl_render_info *info, tl_diag *diag)
{
    return render_box(doc, o, cr, x, y, width, height, page, false, info, diag);
}

tl_status tl_doc_load_for_render(const char *path, const tl_options *opts,
                                 const tl_filter *filter, tl_doc **out, tl_diag *diag)
{
    if (!opts) {
        if (out)
            *out = NULL;
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "no options given");
        return TL_ERR_USAGE;
    }
    /* The list layout is the one chart that shows summaries. */
    tl_load_plan plan = {.lean = true, .summaries = opts->layout == TL_LAYOUT_LIST,
                         .filter = filter};
    return tl_doc_load_file_planned(path, &plan, out, diag);
}
