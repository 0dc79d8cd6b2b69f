/* api.c — the version, loading for a render, and drawing onto a caller's
 * cairo_t. */
#include "diag.h"
#include "options.h"
#include "render.h"

#include <math.h>

const char *tl_version(void) { return TIMELINE_VERSION_STRING; }

/* A NULL pointer argument: TL_ERR_USAGE, with a message naming it. */
static tl_status null_arg(tl_diag *diag, const char *fn, const char *param)
{
    tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "%s: %s is NULL", fn, param);
    return TL_ERR_USAGE;
}

/* Lays the chart out for `width` points with the caller's options. */
static tl_status lay_out(const tl_doc *doc, const tl_options *o, double width, tl_fonts **fonts,
                         tl_chart **chart, tl_diag *diag)
{
    *chart = NULL;
    tl_options local = *o;
    local.width = (tl_length){width, TL_UNIT_PT};
    local.height = (tl_length){0, TL_UNIT_BARE};
    tl_layout_params p;
    tl_status st = tl_options_resolve(&local, TL_FORMAT_PDF, &p, diag);
    if (st == TL_OK)
        st = tl_options_resolve_zone(o, doc, &p, diag);
    if (st != TL_OK)
        return st;
    /* One page, whatever the layout: the caller owns pagination. */
    p.height = 0;
    st = tl_fonts_new(o->font, fonts, diag);
    if (st != TL_OK)
        return st;
    tl_measurer m;
    tl_fonts_measurer(*fonts, &m);
    *chart = tl_layout_new(doc, &p, &m);
    if (!*chart) {
        tl_fonts_free(*fonts);
        *fonts = NULL;
        return TL_ERR_NOMEM;
    }
    return TL_OK;
}

tl_status tl_measure(const tl_doc *doc, const tl_options *o, double width, double *height,
                     tl_diag *diag)
{
    tl_fonts *fonts;
    tl_chart *c;
    if (height)
        *height = 0;
    if (!doc || !o || !height)
        return null_arg(diag, "tl_measure", !doc ? "doc" : !o ? "opts" : "height");
    if (!(width > 0) || !isfinite(width)) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "width: must be a positive number of points");
        return TL_ERR_USAGE;
    }
    tl_status st = lay_out(doc, o, width, &fonts, &c, diag);
    if (st != TL_OK)
        return st;
    *height = c->height;
    tl_layout_free(c);
    tl_fonts_free(fonts);
    return TL_OK;
}

tl_status tl_render_cairo(const tl_doc *doc, const tl_options *o, cairo_t *cr, double x,
                          double y, double width, double height, tl_diag *diag)
{
    if (!doc || !o || !cr)
        return null_arg(diag, "tl_render_cairo", !doc ? "doc" : !o ? "opts" : "cr");
    if (!isfinite(x) || !isfinite(y)) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "%s: must be a finite number",
                    isfinite(x) ? "y" : "x");
        return TL_ERR_USAGE;
    }
    if (!(width > 0) || !(height > 0) || !isfinite(width) || !isfinite(height)) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0,
                    "%s: the box must have a positive, finite width and height",
                    !(width > 0) || !isfinite(width) ? "width" : "height");
        return TL_ERR_USAGE;
    }
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "cr: the cairo_t is in an error state: %s",
                    cairo_status_to_string(cairo_status(cr)));
        return TL_ERR_USAGE;
    }
    tl_fonts *fonts;
    tl_chart *c;
    tl_status st = lay_out(doc, o, width, &fonts, &c, diag);
    if (st != TL_OK)
        return st;
    cairo_save(cr);
    cairo_translate(cr, x, y);
    if (c->height > height) {
        /* Too tall for the box: shrink to fit, centred across. */
        double k = height / c->height;
        cairo_translate(cr, (width - c->width * k) / 2, 0);
        cairo_scale(cr, k, k);
    }
    cairo_rectangle(cr, 0, 0, c->width, c->height);
    cairo_clip(cr);
    tl_render_chart(c, cr, 0, fonts);
    cairo_restore(cr);
    st = cairo_status(cr) == CAIRO_STATUS_SUCCESS ? TL_OK : TL_ERR_IO;
    if (st != TL_OK)
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "drawing failed: %s",
                    cairo_status_to_string(cairo_status(cr)));
    tl_layout_free(c);
    tl_fonts_free(fonts);
    return st;
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
