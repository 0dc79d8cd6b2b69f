/* date.h — calendar dates with a precision, resolved to intervals of days.
 *
 * Proleptic Gregorian calendar, years -9999..9999 (astronomical numbering:
 * year 0 is 1 BCE), plain integer arithmetic: no time_t, no locale.
 *
 * Every date the YAML format accepts resolves to an inclusive interval of
 * days [earliest, latest] plus how it was written, so that ordering and
 * filtering use what the source actually supports:
 *
 *   2014-05-19          day                [19 May, 19 May]
 *   2014-05             month              [1 May, 31 May]
 *   2014-Q2             quarter            [1 Apr, 30 Jun]
 *   2014                year               [1 Jan, 31 Dec]
 *   early|mid|late 2015 third of a year    Jan–Apr | May–Aug | Sep–Dec
 *   201X, 19XX          decade, century    (EDTF unspecified digits)
 *   ~2012, c. 2012, 2012~   circa: widened by one unit of the precision on
 *                       each side (a year ±1 year, a month ±1 month, ...)
 *   2012?               uncertain: same interval, flagged
 *   2012%               both
 *   2014-11/2015-01-13  bounded: somewhere between the start of the first
 *                       and the end of the second (EDTF interval)
 *   ../2015, 2014/..    open at one end
 *   {after: A, before: B}  (YAML mapping, built by tl_date_bounded)
 */
#ifndef TL_DATE_H
#define TL_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Days since 1970-01-01 (negative before). */
typedef int32_t tl_day;

#define TL_YEAR_MIN (-9999)
#define TL_YEAR_MAX 9999
/* Stand-ins for the unknown side of an open interval. */
#define TL_DAY_OPEN_MIN INT32_MIN
#define TL_DAY_OPEN_MAX INT32_MAX

typedef enum tl_prec {
    TL_PREC_DAY,
    TL_PREC_MONTH,
    TL_PREC_QUARTER,
    TL_PREC_PART,     /* early / mid / late: thirds of a year */
    TL_PREC_YEAR,
    TL_PREC_DECADE,
    TL_PREC_CENTURY
} tl_prec;

/* Qualifier flags. */
enum { TL_Q_APPROX = 1, TL_Q_UNCERTAIN = 2 };

/* One written calendar point, e.g. "2014-05" or "early 2015". */
typedef struct tl_dpoint {
    int16_t year;     /* for DECADE: first year (2010); CENTURY: 1900 */
    int8_t month;     /* 1..12, 0 when coarser than a month */
    int8_t day;       /* 1..31, 0 when coarser than a day */
    uint8_t prec;     /* tl_prec */
    uint8_t sub;      /* QUARTER: 1..4; PART: 1 early, 2 mid, 3 late */
    uint8_t qual;     /* TL_Q_* written on this point */
    bool open;        /* ".." or an empty side of an interval */
    tl_day first, last;  /* the days this point covers, before widening */
} tl_dpoint;

_Static_assert(TL_YEAR_MIN >= INT16_MIN && TL_YEAR_MAX <= INT16_MAX, "a year fits tl_dpoint");

typedef struct tl_date {
    tl_dpoint lo, hi; /* a single date has lo == hi and is_range false */
    bool is_range;    /* written as A/B or {after, before} */
    uint8_t qual;     /* union of the qualifiers */
    tl_day earliest;  /* TL_DAY_OPEN_MIN when open at the start */
    tl_day latest;    /* TL_DAY_OPEN_MAX when open at the end */
} tl_date;

/* Day arithmetic. */
bool tl_is_leap(int32_t year);
int tl_days_in_month(int32_t year, int month);           /* month 1..12 */
tl_day tl_days_from_civil(int32_t y, int m, int d);      /* no range check */
void tl_civil_from_days(tl_day z, int32_t *y, int *m, int *d);
/* 0 = Monday .. 6 = Sunday */
int tl_weekday(tl_day z);

/* Parses `s` (the whole string; surrounding blanks are allowed) into *out.
 * Returns true on success.  On failure returns false, writes a message of
 * the form "what — hint" into err (e.g. "invalid date '2015-02-30' — February
 * 2015 has 28 days") and sets *err_off to the byte offset in s where the
 * problem starts (0 when it is the whole string). */
bool tl_date_parse(const char *s, tl_date *out, char *err, size_t errlen,
                   size_t *err_off);

/* Builds the bounded date {after: a, before: b}: earliest = a.earliest,
 * latest = b.latest.  Either may be NULL (open side), not both.  Returns
 * false with a message when b ends before a begins. */
bool tl_date_bounded(const tl_date *after, const tl_date *before,
                     tl_date *out, char *err, size_t errlen);

/* Orders by earliest, then latest, then precision (finer first). */
int tl_date_cmp(const tl_date *a, const tl_date *b);

/* The date as a reader should see it, in English, e.g. "17 Mar 2015",
 * "May 2014", "Q2 2014", "early 2015", "c. 2012", "2012?", "2010s",
 * "between Nov 2014 and 13 Jan 2015", "after 2014", "before 2015",
 * "500 BCE" for year -499.  Returns the length needed (snprintf style). */
size_t tl_date_label(const tl_date *d, char *buf, size_t size);

/* ISO-like compact form of a day, "2015-03-17" or "-0499-01-01". */
size_t tl_day_iso(tl_day z, char *buf, size_t size);

/* The date in its own precision as ISO-like text: "2001", "2015-03-17",
 * "2014-05", "early 2015"; for ranges "2014-11/2015-01-13". */
size_t tl_date_iso(const tl_date *d, char *buf, size_t size);

#endif
