/* date.h — calendar dates with a precision, resolved to intervals of days.
 *
 * Proleptic Gregorian calendar, years -9999..9999 written with four digits
 * and, at year precision, Y-years out to TL_YEAR_DEEP (astronomical
 * numbering: year 0 is 1 BCE), plain integer arithmetic: no time_t, no
 * locale.  Times of day resolve to UTC when a zone is written, and are
 * taken as UTC until a display zone is known when none is
 * (tl_date_set_zone).
 *
 * Every date the YAML format accepts resolves to an inclusive interval of
 * days [earliest, latest] plus how it was written, so that ordering and
 * filtering use what the source actually supports:
 *
 *   2014-05-19          day                [19 May, 19 May]
 *   2014-05             month              [1 May, 31 May]
 *   2014-Q2             quarter            [1 Apr, 30 Jun]
 *   2014                year               [1 Jan, 31 Dec]
 *   2014-21 .. 2014-24  season (EDTF): northern meteorological spring
 *                       Mar–May, summer Jun–Aug, autumn Sep–Nov, winter
 *                       Dec 2014–Feb 2015
 *   2004-XX, 1985-04-XX, 1985-XX-XX, XXXX, XXXX-XX-XX  unspecified digits:
 *                       the span the digits could take (XXXX: 0000..9999)
 *   Y-66000000          a year beyond four digits (EDTF Y-year)
 *   2014-11-24T09, T09:00, T09:00:00 [Z | +hh:mm]  hour, minute, second
 *   early|mid|late 2015 third of a year    Jan–Apr | May–Aug | Sep–Dec
 *   201X, 19XX          decade, century    (EDTF unspecified digits)
 *   ~2012, c. 2012, 2012~   circa: widened by one unit of the precision on
 *                       each side (a year ±1 year, a month ±1 month, ...)
 *   2012?               uncertain: same interval, flagged
 *   2012%               both
 *   2014-11/2015-01-13  bounded: somewhere between the start of the first
 *                       and the end of the second (EDTF interval)
 *   ../2015, 2014/..    open at one end (goes on without end)
 *   /2015, 2014/        unknown at one end (an end that is not known)
 *   {after: A, before: B}  (YAML mapping, built by tl_date_bounded)
 */
#ifndef TL_DATE_H
#define TL_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Days since 1970-01-01 (negative before): 64 bits, for deep time. */
typedef int64_t tl_day;

/* Years written with four digits. */
#define TL_YEAR_MIN (-9999)
#define TL_YEAR_MAX 9999
/* Y-years reach this far on either side: older than the universe, and
 * still far inside int64 seconds (tl_date_instants). */
#define TL_YEAR_DEEP 99999999999LL
/* Stand-ins for the unknown side of an open interval. */
#define TL_DAY_OPEN_MIN INT64_MIN
#define TL_DAY_OPEN_MAX INT64_MAX
/* tl_dpoint.tz when no zone is written: local to the display zone. */
#define TL_TZ_NONE INT16_MIN

/* Finest first: tl_date_cmp orders finer dates first. */
typedef enum tl_prec {
    TL_PREC_SECOND,
    TL_PREC_MINUTE,
    TL_PREC_HOUR,
    TL_PREC_DAY,
    TL_PREC_MONTH,
    TL_PREC_QUARTER,
    TL_PREC_PART,     /* early / mid / late: thirds of a year */
    TL_PREC_YEAR,
    TL_PREC_DECADE,
    TL_PREC_CENTURY,
    TL_PREC_SEASON,   /* EDTF 21..24 (sub 1..4), three months */
    TL_PREC_ANY_YEAR  /* XXXX: any year 0000..9999 */
} tl_prec;

/* Qualifier flags. */
enum { TL_Q_APPROX = 1, TL_Q_UNCERTAIN = 2 };
/* Parts written as X (tl_dpoint.unspec), kept to write the date back. */
enum { TL_U_MONTH = 1, TL_U_DAY = 2, TL_U_ZONE_SET = 4 /* tz is the display zone */ };

/* One written calendar point, e.g. "2014-05", "early 2015" or
 * "1969-07-20T20:17Z".  40 bytes. */
typedef struct tl_dpoint {
    int64_t year;     /* as written; DECADE: first year (2010); CENTURY:
                         1900; for BCE decades the digits' stem (-2010) */
    tl_day first, last;  /* the days this point covers, before widening;
                            UTC days for a time of day */
    int32_t sec;      /* a time of day: second of day `first` (UTC) at
                         which it starts; -1 for a calendar date */
    int16_t tz;       /* a time of day: the offset written, minutes east
                         of UTC, or TL_TZ_NONE */
    int8_t month;     /* 1..12, 0 when coarser than a month */
    int8_t day;       /* 1..31, 0 when coarser than a day */
    uint8_t prec;     /* tl_prec */
    uint8_t sub;      /* QUARTER: 1..4; PART: 1 early, 2 mid, 3 late;
                         SEASON: 1 spring .. 4 winter */
    uint8_t qual;     /* TL_Q_* written on this point */
    uint8_t unspec;   /* TL_U_* */
    bool open;        /* ".." or an empty side of an interval */
    bool unknown;     /* the empty side: the end is not known (open is
                         also set), where ".." says it has none */
} tl_dpoint;

_Static_assert(sizeof(tl_dpoint) <= 40, "a point stays within 40 bytes");

typedef struct tl_date {
    tl_dpoint lo, hi; /* a single date has lo == hi and is_range false */
    bool is_range;    /* written as A/B or {after, before} */
    uint8_t qual;     /* union of the qualifiers */
    tl_day earliest;  /* TL_DAY_OPEN_MIN when open at the start */
    tl_day latest;    /* TL_DAY_OPEN_MAX when open at the end */
} tl_date;

/* Day arithmetic. */
bool tl_is_leap(int64_t year);
int tl_days_in_month(int64_t year, int month);           /* month 1..12 */
tl_day tl_days_from_civil(int64_t y, int m, int d);      /* no range check */
/* The year saturates to int32 (deep time): tl_year_of_day has it whole. */
void tl_civil_from_days(tl_day z, int32_t *y, int *m, int *d);
int64_t tl_year_of_day(tl_day z);
/* 0 = Monday .. 6 = Sunday */
int tl_weekday(tl_day z);

/* Parses `s` (the whole string; no blank around it or around '/') into *out.
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

/* The instants d covers, in seconds since 1970-01-01T00:00Z, after
 * circa widening: [*lo, *hi] inclusive; INT64_MIN / INT64_MAX for an
 * open side.  A calendar date covers whole UTC days. */
void tl_date_instants(const tl_date *d, int64_t *lo, int64_t *hi);
/* Whether either known end of d was written with a time of day. */
bool tl_date_has_time(const tl_date *d);

/* Re-reads the times of day written without a zone as local time at
 * `offset_min` minutes east of UTC (the display zone).  Dates without a
 * time, and times with a zone, are left as they are. */
void tl_date_set_zone(tl_date *d, int offset_min);

/* Orders by earliest, then latest, then precision (finer first). */
int tl_date_cmp(const tl_date *a, const tl_date *b);

/* The date as a reader should see it, in English, e.g. "17 Mar 2015",
 * "May 2014", "Q2 2014", "early 2015", "c. 2012", "2012?", "2010s",
 * "between Nov 2014 and 13 Jan 2015", "after 2014", "before 2015",
 * "500 BCE" for year -499.  Returns the length needed (snprintf style). */
size_t tl_date_label(const tl_date *d, char *buf, size_t size);

/* tl_date_label with times of day shown in `zone`, minutes east of UTC
 * ("20 Jul 1969, 20:17 UTC"); TL_TZ_NONE shows each as written. */
size_t tl_date_label_in(const tl_date *d, int zone, char *buf, size_t size);

/* The label of a span from a to b (each a single date or an interval),
 * "A – B"; two times on one day in the zone share the day: "21 Jul 1969,
 * 02:39 – 05:11 UTC".  snprintf semantics. */
size_t tl_span_label_in(const tl_date *a, const tl_date *b, int zone, char *buf, size_t size);

/* The same with the zone's abbreviation ("KST") in place of its offset
 * when abbr is non-empty and zone is not TL_TZ_NONE. */
size_t tl_date_label_tz(const tl_date *d, int zone, const char *abbr, char *buf, size_t size);
size_t tl_span_label_tz(const tl_date *a, const tl_date *b, int zone, const char *abbr, char *buf,
                        size_t size);

/* Reads a display zone, "UTC", "Z", "+09:00", "-05:00", "+0530" or "+09",
 * into *zone (minutes east of UTC).  Zone names (Asia/Seoul) are refused
 * with a message that says so: they are read against the events' dates,
 * by the loader (zone.h). */
bool tl_zone_parse(const char *s, int *zone, char *err, size_t errlen);

/* A year as labels write it: "2014", "500 BCE", and before -9999 the
 * years before 2000 in ka, Ma or Ga: "66 Ma", "4.54 Ga". */
size_t tl_year_label(int64_t year, char *buf, size_t size);

/* "UTC" for 0, else "+09:00". */
size_t tl_zone_text(int zone, char *buf, size_t size);

/* ISO-like compact form of a day, "2015-03-17" or "-0499-01-01". */
size_t tl_day_iso(tl_day z, char *buf, size_t size);

/* The date in its own precision as ISO-like text: "2001", "2015-03-17",
 * "2014-05", "early 2015"; for ranges "2014-11/2015-01-13". */
size_t tl_date_iso(const tl_date *d, char *buf, size_t size);

/* snprintf into a buffer that may be too small: counts what the whole text
 * needs in len, and the buffer (when size > 0) stays terminated. */
typedef struct tl_sbuf {
    char *buf;
    size_t size, len;
} tl_sbuf;
void tl_sb_put(tl_sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
