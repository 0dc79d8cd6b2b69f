/* scale.h — maps days to x, with long empty stretches compressed into
 * marked breaks, and picks readable ticks for any range.
 *
 * Day d covers [d, d+1) on the axis: an event on 17 March is drawn at the
 * middle of that day, a month-precision event spans its whole month. */
#ifndef TL_SCALE_H
#define TL_SCALE_H

#include "date.h"

#include <stdbool.h>
#include <stddef.h>

#define TL_MAX_SEGMENTS 4   /* so at most three breaks */

typedef struct tl_span {
    tl_day lo, hi;          /* inclusive */
} tl_span;

typedef struct tl_segment {
    double d0, d1;          /* days, half-open [d0, d1) */
    double x0, x1;
} tl_segment;

typedef struct tl_scale {
    tl_segment seg[TL_MAX_SEGMENTS];
    int nseg;
} tl_scale;

/* Builds a scale over the given spans onto [x0, x1].  With `breaks`, up to
 * three gaps with no event become breaks of width `break_w` where that gives
 * crowded events room (an event is taken to want 4 * break_w units; see
 * scale.c).  Each cluster is padded a little and rounded to whole
 * months (or days for short ranges).  n may be 0 (a year around today is not
 * invented: the scale then covers 1970). */
void tl_scale_build(tl_scale *s, const tl_span *spans, size_t n, double x0,
                    double x1, bool breaks, double break_w);

/* x of a (fractional) day.  Days inside a break map into the break; days
 * outside the domain are clamped to its ends. */
double tl_scale_x(const tl_scale *s, double day);

typedef enum tl_tick_unit { TL_TICK_DAY, TL_TICK_MONTH, TL_TICK_YEAR } tl_tick_unit;

typedef struct tl_tick {
    double x;               /* where the tick mark goes */
    double label_x;         /* centre of the label */
    char label[32];         /* empty: a tick with no label */
    bool major;             /* year boundary (or month boundary for days) */
} tl_tick;

/* Measures a tick label's width, in the same units as the scale. */
typedef double (*tl_label_width_fn)(void *ctx, const char *text);

/* Writes up to `max` ticks for the scale into out and returns how many.
 * For each segment it chooses the finest step (days, weeks, months,
 * quarters, years, decades, centuries, millennia) whose labels, measured with
 * `width`, keep at least `gap` between neighbours; labels are then checked
 * once more across breaks so that no two ever collide. */
size_t tl_scale_ticks(const tl_scale *s, tl_label_width_fn width, void *ctx,
                      double gap, tl_tick *out, size_t max);

/* Formats a year for an axis: "2014", "476", "500 BCE". */
size_t tl_year_text(int year, char *buf, size_t size);

#endif
