/* report.c — embeds a timeline in a document of one's own.
 *
 *     report INPUT OUTPUT.pdf
 *
 * Writes a two-page A4 PDF with Cairo.  Page 1 has a heading, a paragraph
 * set with Pango, and the chart of INPUT laid out for a 500-point column:
 * tl_measure says how tall the chart is at that width, and tl_render_cairo
 * draws it into a box of that size (or of the room left on the page, for
 * which it is laid out again, never shrunk).  Page 2 on shows the same
 * document in the list layout, over as many pages as it needs.
 *
 * Only the public API (timeline.h) is used; the report's own text is set
 * with pangocairo.  Build against an installed library with
 *
 *     cc report.c $(pkg-config --cflags --libs timeline pangocairo)
 */
#include <timeline.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include <stdio.h>

#define PAGE_W 595.28 /* A4 in points */
#define PAGE_H 841.89
#define COLUMN 500.0
#define MARGIN_X ((PAGE_W - COLUMN) / 2)
#define MARGIN_Y 56.0

/* Sets `text` in a column COLUMN points wide at (MARGIN_X, y); returns the
 * y just below it. */
static double show_text(cairo_t *cr, double y, const char *font, const char *text)
{
    PangoLayout *layout = pango_cairo_create_layout(cr);
    /* Sizes in points: one user unit of a PDF surface is one point. */
    pango_cairo_context_set_resolution(pango_layout_get_context(layout), 72);
    pango_layout_context_changed(layout);
    PangoFontDescription *desc = pango_font_description_from_string(font);
    pango_layout_set_font_description(layout, desc);
    pango_font_description_free(desc);
    pango_layout_set_width(layout, (int)(COLUMN * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD);
    pango_layout_set_text(layout, text, -1);
    int h;
    pango_layout_get_size(layout, NULL, &h);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_move_to(cr, MARGIN_X, y);
    pango_cairo_show_layout(cr, layout);
    g_object_unref(layout);
    return y + (double)h / PANGO_SCALE;
}

/* Draws the chart in the column from y down, no lower than the bottom
 * margin.  Returns TL_OK or the failure, with its problems in diag. */
static tl_status show_chart(cairo_t *cr, double y, const tl_doc *doc, const tl_options *opts,
                            tl_diag *diag)
{
    double need;
    tl_status st = tl_measure(doc, opts, COLUMN, &need, diag);
    if (st != TL_OK)
        return st;
    double room = PAGE_H - MARGIN_Y - y;
    return tl_render_cairo(doc, opts, cr, MARGIN_X, y, COLUMN, need < room ? need : room, diag);
}

static int exit_code(tl_status st) { return st == TL_ERR_DATA ? 1 : 2; }

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("Usage: report INPUT OUTPUT.pdf\n", stderr);
        return 2;
    }
    const char *input = argv[1], *output = argv[2];

    tl_diag *diag = tl_diag_new();
    tl_options *opts = tl_options_new();
    tl_doc *doc = NULL;
    cairo_surface_t *surface = NULL;
    cairo_t *cr = NULL;
    int rc = 2;
    if (!diag || !opts) {
        fputs("report: out of memory\n", stderr);
        goto done;
    }
    tl_status st = tl_doc_load_file(input, &doc, diag);
    if (st != TL_OK) {
        rc = exit_code(st);
        goto done;
    }

    surface = cairo_pdf_surface_create(output, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, "Timeline report");
    /* A fixed date keeps the file the same from run to run. */
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE,
                                   "2000-01-01T00:00:00Z");
    cr = cairo_create(surface);

    /* Page 1: heading, a paragraph, the chart. */
    char range[128], para[1024];
    tl_doc_range_text(doc, range, sizeof range);
    size_t n = tl_doc_event_count(doc), lanes = tl_doc_lane_count(doc);
    snprintf(para, sizeof para,
             "This report embeds a chart drawn by libtimeline %s. The file %s holds "
             "%zu event%s in %zu lane%s, from %s. The chart below was laid out for this "
             "%.0f-point column, so its labels wrap to fit it rather than being shrunk; "
             "the next page lists every event.",
             tl_version(), input, n, n == 1 ? "" : "s", lanes, lanes == 1 ? "" : "s",
             range, COLUMN);
    double y = show_text(cr, MARGIN_Y, "DejaVu Sans Bold 20", "Timeline report");
    y = show_text(cr, y + 10, "DejaVu Sans 10.5", para);
    st = show_chart(cr, y + 18, doc, opts, diag);
    if (st != TL_OK) {
        rc = exit_code(st);
        goto done;
    }
    cairo_show_page(cr);

    /* Page 2 on: the list layout, flowing over as many pages of the box as
     * it needs. */
    y = show_text(cr, MARGIN_Y, "DejaVu Sans Bold 16", "All events") + 12;
    st = tl_options_set(opts, "layout", "list", diag);
    double need = 0, room = PAGE_H - MARGIN_Y - y;
    if (st == TL_OK)
        st = tl_measure(doc, opts, COLUMN, &need, diag);
    tl_render_info info = {.pages = 1};
    for (int page = 0; st == TL_OK && page < info.pages; page++) {
        st = tl_render_cairo_page(doc, opts, cr, MARGIN_X, y, COLUMN,
                                  need < room ? need : room, page, &info, diag);
        cairo_show_page(cr);
    }
    if (st != TL_OK) {
        rc = exit_code(st);
        goto done;
    }

    cairo_destroy(cr);
    cr = NULL;
    cairo_surface_finish(surface);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "report: %s: %s\n", output,
                cairo_status_to_string(cairo_surface_status(surface)));
        goto done;
    }
    rc = 0;
done:
    tl_diag_print(diag, stderr);
    if (cr)
        cairo_destroy(cr);
    if (surface) {
        cairo_surface_destroy(surface);
        if (rc != 0)
            remove(output); /* no half-written report */
    }
    tl_doc_free(doc);
    tl_options_free(opts);
    tl_diag_free(diag);
    return rc;
}
