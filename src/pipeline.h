/* pipeline.h — the one driver from a document to a chart ready to draw.
 *
 * Every render (a file, a buffer, a caller's cairo_t) and every measure
 * goes through tl_plot_new: options resolved for the output, fonts opened,
 * the document laid out, and what a reader would miss reported. */
#ifndef TL_PIPELINE_H
#define TL_PIPELINE_H

#include "layout.h"
#include "options.h"
#include "render.h"

/* A laid-out chart with the fonts that measured it (and draw it). */
typedef struct tl_plot {
    tl_fonts *fonts;
    tl_chart *chart;
    size_t cut;          /* events with nothing left above the page's foot */
    double overflow;     /* how far the drawing reaches past it, in units */
} tl_plot;

/* A box that stands in for the options' width and height, in the output's
 * units; a height of 0 fits the content. */
typedef struct tl_plot_box {
    double width, height;
} tl_plot_box;

/* Lays doc out for format `fmt` (every format is laid out in points)
 * with `o`, in `box` when not NULL.  Adds the warnings every render gives
 * (events without a label, content cut off by a fixed height).  Fills
 * o->timings' fonts and layout when `timed`.  On success the caller frees
 * *out with tl_plot_free; on failure *out is empty. */
tl_status tl_plot_new(const tl_doc *doc, const tl_options *o, tl_format fmt,
                      const tl_plot_box *box, bool timed, tl_plot *out, tl_diag *diag);
void tl_plot_free(tl_plot *p);

/* Seconds on a clock that only goes forward, for tl_timings. */
double tl_now(void);

#endif
