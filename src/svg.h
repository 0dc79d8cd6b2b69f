/* svg.h — a laid-out chart written as SVG with its words as <text>. */
#ifndef TL_SVG_H
#define TL_SVG_H

#include "layout.h"
#include "render.h"

#include <stdbool.h>
#include <stddef.h>

/* Where the SVG's bytes go; false stops the writer (a failed write). */
typedef bool (*tl_svg_put)(void *closure, const void *data, size_t len);

/* Writes every item of `chart` as one SVG document through `put`, its
 * pages (if more than one) one under another.  `fonts` are the ones the chart was measured with: each text is
 * set in the lines Pango broke it into.  `doc` (may be NULL) gives the
 * description, the events as plain text.  Ids start with `id_prefix`
 * (checked with tl_svg_prefix_ok), or when it is NULL with "tl-" and a
 * hash of the chart, so that the same chart always gives the same bytes.
 * Returns TL_OK, TL_ERR_IO when `put` failed, or TL_ERR_NOMEM. */
tl_status tl_svg_write(const tl_chart *chart, const tl_doc *doc, tl_fonts *fonts,
                       const char *id_prefix, tl_svg_put put, void *closure);

/* Whether `prefix` can start XML ids: a letter or '_', then letters,
 * digits, '_', '-' or '.', at most TL_SVG_MAX_PREFIX bytes. */
#define TL_SVG_MAX_PREFIX 64
bool tl_svg_prefix_ok(const char *prefix);

#endif
