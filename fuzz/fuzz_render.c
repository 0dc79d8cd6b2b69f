/* fuzz_render.c — libFuzzer target for the whole path: load → validate →
 * layout → render onto an in-memory Cairo surface, and for odd lengths as
 * SVG too, in a layout and theme chosen by the input's length. */
#include "timeline.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const layouts[] = {"axis", "lanes", "list"};
    static const char *const themes[] = {"light", "dark", "print"};
    tl_diag *diag = tl_diag_new();
    tl_doc *doc = NULL;
    if (tl_doc_load_buffer("fuzz.yaml", (const char *)data, size, &doc, diag) == TL_OK) {
        tl_options *o = tl_options_new();
        tl_options_set(o, "layout", layouts[size % 3], diag);
        tl_options_set(o, "theme", themes[(size / 3) % 3], diag);
        cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 320, 240);
        cairo_t *cr = cairo_create(s);
        tl_render_cairo(doc, o, cr, 0, 0, 320, 240, diag);
        cairo_destroy(cr);
        cairo_surface_destroy(s);
        /* And as SVG text, where every string is written out as XML. */
        unsigned char *svg = NULL;
        size_t len = 0;
        if (size % 2 && tl_render_buffer(doc, o, TL_FORMAT_SVG, &svg, &len, diag) == TL_OK)
            free(svg);
        tl_options_free(o);
    }
    tl_doc_free(doc);
    tl_diag_free(diag);
    return 0;
}
