/* scale.h — maps days to x, with long empty stretches compressed into
 * marked breaks, and picks readable ticks for any range.
 *
 * Day d covers [d, d+1) on the axis: an event on 17 March is drawn at the
 * middle of that day, a month-precision event spans its whole month. */
#ifndef TL_SCALE_H
#define TL_SCALE_H

#include "date.h"
#include "lang.h"

#include <stdbool.h>
#include <stddef.h>

#define TL_MAX_SEGMENTS 4   /* so at most three breaks */

typedef struct tl_span {
    tl_day lo, hi;          /* inclusive */
} tl_span;

typedef struct tl_dspan {
    double lo, hi;          /* fractional days, half-open */
} tl_dspan;

typedef struct tl_segment {
    double d0, d1;          /* days, half-open [d0, d1) */
    double x0, x1;
} tl_segment;

typedef struct tl_scale {
    tl_segment seg[TL_MAX_SEGMENTS];
    int nseg;
    int tz;                 /* zone of the tick labels for times of day,
                               minutes east of UTC (0 after a build) */
    bool timed;             /* some event has a time of day: ticks may be
                               hours and minutes (false after a build) */
    char tz_abbr[8];        /* the zone's abbreviation ("KST"), or "" */
    tl_lang lang;           /* of the tick labels (English after a build) */
} tl_scale;

/* Builds a scale over the given spans onto [x0, x1].  With `breaks`, up to
 * three gaps with no event become breaks of width `break_w` where that gives
 * crowded events room (an event is taken to want 4 * break_w units) and the
 * gap is long beside the range shown or beside the clusters on either side
 * (see scale.c).  Each cluster is padded a little and rounded to whole
 * months (or days for short ranges).  n may be 0 (a year around today is not
 * invented: the scale then covers 1970). */
void tl_scale_build(tl_scale *s, const tl_span *spans, size_t n, double x0,
                    double x1, bool breaks, double break_w);

/* The same over events with times of day, in fractional days: clusters are
 * padded by a twentieth of their span, not to whole days or months, and a
 * gap as short as a night may become a break (the night between two busy
 * days of an incident). */
void tl_scale_build_timed(tl_scale *s, const tl_dspan *spans, size_t n, double x0,
                          double x1, bool breaks, double break_w);

/* Narrows a one-segment scale to [lo, hi) (fractional days) plus a
 * margin, for a chart whose events all lie within a few days and carry
 * times of day: whole-day padding would squeeze them into the middle. */
void tl_scale_fit(tl_scale *s, double lo, double hi);

/* x of a (fractional) day.  Days inside a break map into the break; days
 * outside the domain are clamped to its ends. */
double tl_scale_x(const tl_scale *s, double day);

typedef enum tl_tick_unit {
    TL_TICK_SECOND, TL_TICK_DAY, TL_TICK_MONTH, TL_TICK_YEAR
} tl_tick_unit;

typedef struct tl_tick {
    double x;               /* where the tick mark goes */
    double label_x;         /* centre of the label */
    char label[48];         /* empty: a tick with no label */
    bool major;             /* year boundary (or month boundary for days) */
} tl_tick;

/* Measures a tick label's width, in the same units as the scale. */
typedef double (*tl_label_width_fn)(void *ctx, const char *text);

/* Writes up to `max` ticks for the scale into out and returns how many.
 * For each segment it chooses the finest step (seconds, minutes, hours,
 * days, weeks, months, quarters, years, decades, centuries, millennia, and
 * for deep time ka, Ma, Ga counted back from 2000) whose labels, measured with
 * `width`, keep at least `gap` between neighbours; labels are then checked
 * once more across breaks so that no two ever collide. */
size_t tl_scale_ticks(const tl_scale *s, tl_label_width_fn width, void *ctx,
                      double gap, tl_tick *out, size_t max);

/* Formats a year for an axis: "2014", "476", "500 BCE", "66 Ma". */
size_t tl_year_text(int64_t year, char *buf, size_t size);

#endif
