/* render.h — draws a laid-out chart on a cairo_t with Pango. */
#ifndef TL_RENDER_H
#define TL_RENDER_H

#include "layout.h"
#include "timeline.h"

#include <cairo.h>

/* Fonts for one chart: a private Pango font map at 72 units per inch with
 * hinting off, so a size measured is the size drawn on any surface. */
typedef struct tl_fonts tl_fonts;

/* Opens fonts for `family` (NULL: DejaVu Sans).  A family the machine does
 * not have falls back, with a warning, to DejaVu Sans or the default sans;
 * a machine with no fonts at all gives TL_ERR_FONT. */
tl_status tl_fonts_new(const char *family, tl_fonts **out, tl_diag *diag);
/* The same with the caller's font map (NULL: a private one), which is
 * referenced while the fonts live and never changed. */
tl_status tl_fonts_new_map(const char *family, PangoFontMap *map, tl_fonts **out,
                           tl_diag *diag);
void tl_fonts_free(tl_fonts *fonts);

/* A measurer whose handles are PangoLayouts, drawn later as they are. */
void tl_fonts_measurer(tl_fonts *fonts, tl_measurer *m);

/* Draws page `page` of the chart with its top-left corner at the current
 * user-space origin.  Links become PDF links where the surface supports it. */
void tl_render_chart(const tl_chart *chart, cairo_t *cr, int page, tl_fonts *fonts);

/* For writers that set text themselves (SVG): the family the fonts use,
 * and the PangoLayout a typeset is drawn with, as a new reference (release
 * it with g_object_unref): the one it was measured with, or, when the
 * layout kept none, the text shaped again the same way. */
const char *tl_fonts_family(const tl_fonts *fonts);
void *tl_fonts_shape(tl_fonts *fonts, const tl_typeset *ts);

#endif
