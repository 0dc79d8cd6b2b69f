/* date.c — calendar dates with a precision, resolved to intervals of days.
 *
 * Day numbers use the era-based conversion (400-year cycles of 146097 days),
 * so every step is integer arithmetic with floor division and the same code
 * serves BCE years and deep time.  Day numbers are 64-bit: Y-years reach
 * TL_YEAR_DEEP, and callers may hand in the open-interval sentinels.
 *
 * The parser reads one side of an interval at a time as
 *
 *     [circa prefix] [early|mid|late] YEAR [-MM[-DD[Thh[:mm[:ss]][ZONE]]]
 *                                          | -SS | -Qn | -XX[-XX]] [~ | ? | %]
 *
 * where YEAR is four digits with an optional minus, the last one, two or
 * all four of which may be X, or a Y-year (Y-66000000).  The forms follow
 * EDTF Levels 0 and 1 (ISO 8601-2); Level 2 forms are refused by name.
 * Each message quotes the text it is about and its offset points at the
 * first byte that is wrong, so the loader can put a caret under it. */
#include "date.h"
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const month_abbr[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const month_name[12] = {"January", "February", "March",     "April",
                                           "May",     "June",     "July",      "August",
                                           "September", "October", "November", "December"};
static const char *const part_word[4] = {"", "early", "mid", "late"};
/* EDTF seasons 21..24, read as northern meteorological seasons. */
static const char *const season_word[5] = {"", "spring", "summer", "autumn", "winter"};

#define FORMS_HINT                                                                        \
    "expected a form like 2015-03-17, 2014-05, 2014-Q2, 2014, early 2015, ~2012 or "     \
    "2014-11/2015-01-13"

#define DAY_SECS 86400

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* ---- Day arithmetic ----------------------------------------------------- */

/* Leap year in the proleptic Gregorian calendar; works for negative years
 * because only "is the remainder zero" is asked. */
bool tl_is_leap(int64_t year)
{
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

/* Days in `month` (1..12) of `year`; 0 for a month out of range. */
int tl_days_in_month(int64_t year, int month)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    return month == 2 && tl_is_leap(year) ? 29 : len[month - 1];
}

/* Farthest year the arithmetic takes in: well past TL_YEAR_DEEP, well
 * inside int64 after multiplying by 146097. */
#define YEAR_ARITH_MAX 1000000000000000LL

/* Day number of y-m-d.  A month outside 1..12 carries into the year and a
 * day outside the month counts on from its first day (so day 0 is the last
 * day of the month before): callers step through months without
 * normalising.  Years beyond YEAR_ARITH_MAX are clamped. */
tl_day tl_days_from_civil(int64_t y, int m, int d)
{
    if (y > YEAR_ARITH_MAX)
        y = YEAR_ARITH_MAX;
    if (y < -YEAR_ARITH_MAX)
        y = -YEAR_ARITH_MAX;
    int64_t mi = y * 12 + (m - 1);
    int64_t yy = floor_div(mi, 12);
    int64_t mm = mi - yy * 12 + 1;     /* 1..12 */
    yy -= mm <= 2;                      /* years start in March here */
    int64_t era = floor_div(yy, 400);
    int64_t yoe = yy - era * 400;       /* 0..399 */
    int64_t doy = (153 * (mm > 2 ? mm - 3 : mm + 9) + 2) / 5 + (int64_t)d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The calendar date of day z, the year whole; any tl_day is accepted (the
 * sentinels are clamped to YEAR_ARITH_MAX years first). */
static void civil64(tl_day z, int64_t *y, int *m, int *d)
{
    const int64_t zmax = YEAR_ARITH_MAX / 400 * 146097;
    int64_t zz = (z > zmax ? zmax : z < -zmax ? -zmax : z) + 719468;
    int64_t era = floor_div(zz, 146097);
    int64_t doe = zz - era * 146097;                                      /* 0..146096 */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* 0..399 */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* 0..365 */
    int64_t mp = (5 * doy + 2) / 153;                                     /* 0..11 */
    int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (mm <= 2);
    *m = mm;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
}

void tl_civil_from_days(tl_day z, int32_t *y, int *m, int *d)
{
    int64_t yy;
    civil64(z, &yy, m, d);
    *y = yy > INT32_MAX ? INT32_MAX : yy < INT32_MIN ? INT32_MIN : (int32_t)yy;
}

int64_t tl_year_of_day(tl_day z)
{
    int64_t y;
    int m, d;
    civil64(z, &y, &m, &d);
    return y;
}

/* 0 = Monday .. 6 = Sunday; 1970-01-01 was a Thursday. */
int tl_weekday(tl_day z)
{
    int64_t w = (z % 7 + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

static tl_day day_min(void) { return tl_days_from_civil(-TL_YEAR_DEEP, 1, 1); }
static tl_day day_max(void) { return tl_days_from_civil(TL_YEAR_DEEP, 12, 31); }

static tl_day clamp_day(tl_day z)
{
    tl_day lo = day_min(), hi = day_max();
    return z < lo ? lo : z > hi ? hi : z;
}

/* ---- Points ------------------------------------------------------------- */

static bool is_timed(const tl_dpoint *p) { return p->prec <= TL_PREC_HOUR; }

/* Seconds in one unit of a timed point's precision. */
static int64_t time_unit(const tl_dpoint *p)
{
    return p->prec == TL_PREC_HOUR ? 3600 : p->prec == TL_PREC_MINUTE ? 60 : 1;
}

/* First year a point covers: BCE decades and centuries are written by
 * their digits, so -201X runs from -2019 up to -2010. */
static int64_t first_year(const tl_dpoint *p)
{
    if (p->year < 0 && p->prec == TL_PREC_DECADE)
        return p->year - 9;
    if (p->year < 0 && p->prec == TL_PREC_CENTURY)
        return p->year - 99;
    return p->year;
}

/* First month (1-based, may pass 12) and number of months a point
 * coarser than a day covers. */
static void point_months(const tl_dpoint *p, int *m0, int *nm)
{
    switch ((tl_prec)p->prec) {
    case TL_PREC_MONTH: *m0 = p->month; *nm = 1; break;
    case TL_PREC_QUARTER: *m0 = 3 * p->sub - 2; *nm = 3; break;
    case TL_PREC_PART: *m0 = 4 * p->sub - 3; *nm = 4; break;
    case TL_PREC_SEASON: *m0 = 3 * p->sub; *nm = 3; break;
    case TL_PREC_DECADE: *m0 = 1; *nm = 120; break;
    case TL_PREC_CENTURY: *m0 = 1; *nm = 1200; break;
    case TL_PREC_ANY_YEAR: *m0 = 1; *nm = 120000; break;
    default: *m0 = 1; *nm = 12; break;
    }
}

/* One unit of a point's precision in months, for circa. */
static int unit_months(const tl_dpoint *p)
{
    switch ((tl_prec)p->prec) {
    case TL_PREC_MONTH: return 1;
    case TL_PREC_QUARTER:
    case TL_PREC_SEASON: return 3;
    case TL_PREC_PART: return 4;
    case TL_PREC_DECADE: return 120;
    case TL_PREC_CENTURY: return 1200;
    default: return 12;
    }
}

/* The instants of a timed point, [*s0, *s1] in seconds since the epoch. */
static void timed_secs(const tl_dpoint *p, bool widen, int64_t *s0, int64_t *s1)
{
    int64_t u = time_unit(p), w = widen && (p->qual & TL_Q_APPROX) ? u : 0;
    *s0 = p->first * DAY_SECS + p->sec - w;
    *s1 = p->first * DAY_SECS + p->sec + u - 1 + w;
}

/* Fills p->first, p->last (and for a time p->sec) from the written
 * fields; a time is given by its local start second `local` of the day. */
static void point_resolve(tl_dpoint *p, int64_t local)
{
    if (is_timed(p)) {
        int64_t s = tl_days_from_civil(p->year, p->month, p->day) * DAY_SECS + local;
        if (p->tz != TL_TZ_NONE)
            s -= (int64_t)p->tz * 60;
        p->first = floor_div(s, DAY_SECS);
        p->sec = (int32_t)(s - p->first * DAY_SECS);
        p->last = floor_div(s + time_unit(p) - 1, DAY_SECS);
        return;
    }
    p->sec = -1;
    if (p->prec == TL_PREC_DAY) {
        p->first = p->last = tl_days_from_civil(p->year, p->month, p->day);
        return;
    }
    int m0, nm;
    point_months(p, &m0, &nm);
    int64_t y = first_year(p);
    p->first = tl_days_from_civil(y, m0, 1);
    /* m0 + nm may pass int range only for ANY_YEAR, which stays small. */
    p->last = tl_days_from_civil(y, m0 + nm, 1) - 1;
}

/* Circa widens by one unit of the point's own precision on each side, in
 * whole calendar months above a day, so "~2014-03" is Feb–Apr. */
static void point_widened(const tl_dpoint *p, tl_day *first, tl_day *last)
{
    *first = p->first;
    *last = p->last;
    if (p->open || !(p->qual & TL_Q_APPROX))
        return;
    if (is_timed(p)) {
        int64_t s0, s1;
        timed_secs(p, true, &s0, &s1);
        *first = floor_div(s0, DAY_SECS);
        *last = floor_div(s1, DAY_SECS);
        return;
    }
    if (p->prec == TL_PREC_DAY) {
        *first = clamp_day(p->first - 1);
        *last = clamp_day(p->last + 1);
        return;
    }
    int m0, nm, k = unit_months(p);
    point_months(p, &m0, &nm);
    int64_t y = first_year(p);
    *first = clamp_day(tl_days_from_civil(y, m0 - k, 1));
    *last = clamp_day(tl_days_from_civil(y, m0 + nm + k, 1) - 1);
}

/* The instants a point covers, widened or not; an open point covers all
 * time on its side (its day sentinels must not be multiplied). */
static void point_secs(const tl_dpoint *p, bool widen, int64_t *s0, int64_t *s1)
{
    if (p->open) {
        *s0 = INT64_MIN;
        *s1 = INT64_MAX;
        return;
    }
    if (is_timed(p)) {
        timed_secs(p, widen, s0, s1);
        return;
    }
    tl_day a = p->first, b = p->last;
    if (widen)
        point_widened(p, &a, &b);
    *s0 = a * DAY_SECS;
    *s1 = (b + 1) * DAY_SECS - 1;
}

static void point_open(tl_dpoint *p, bool at_start, bool unknown)
{
    memset(p, 0, sizeof *p);
    p->open = true;
    p->unknown = unknown;
    p->prec = TL_PREC_DAY;
    p->sec = -1;
    p->tz = TL_TZ_NONE;
    p->first = p->last = at_start ? TL_DAY_OPEN_MIN : TL_DAY_OPEN_MAX;
}

/* Earliest and latest of the interval lo..hi, either side open. */
static void span_of(const tl_dpoint *lo, const tl_dpoint *hi, tl_day *earliest,
                    tl_day *latest)
{
    tl_day a, b;
    point_widened(lo, &a, &b);
    *earliest = lo->open ? TL_DAY_OPEN_MIN : a;
    point_widened(hi, &a, &b);
    *latest = hi->open ? TL_DAY_OPEN_MAX : b;
}

/* Instants of d (see date.h). */
void tl_date_instants(const tl_date *d, int64_t *lo, int64_t *hi)
{
    int64_t a, b;
    point_secs(&d->lo, true, &a, &b);
    *lo = d->lo.open ? INT64_MIN : a;
    point_secs(&d->hi, true, &a, &b);
    *hi = d->hi.open ? INT64_MAX : b;
}

bool tl_date_has_time(const tl_date *d)
{
    return (!d->lo.open && d->lo.sec >= 0) || (!d->hi.open && d->hi.sec >= 0);
}

/* Local start second of the day a timed point was written at. */
static int64_t local_secs(const tl_dpoint *p, int64_t *day)
{
    int64_t s = p->first * DAY_SECS + p->sec + (p->tz == TL_TZ_NONE ? 0 : (int64_t)p->tz * 60);
    *day = floor_div(s, DAY_SECS);
    return s - *day * DAY_SECS;
}

/* A point with no zone written was read as UTC; read it again at the
 * display zone.  The zone is kept in tz and marked as not written. */
static void point_set_zone(tl_dpoint *p, int offset_min)
{
    if (p->open || !is_timed(p) || p->tz != TL_TZ_NONE)
        return;
    int64_t day, local = local_secs(p, &day);
    int64_t y;
    int m, d;
    civil64(day, &y, &m, &d);
    p->year = y;
    p->month = (int8_t)m;
    p->day = (int8_t)d;
    p->tz = (int16_t)offset_min;
    p->unspec |= TL_U_ZONE_SET;
    point_resolve(p, local);
}

void tl_date_set_zone(tl_date *d, int offset_min)
{
    point_set_zone(&d->lo, offset_min);
    point_set_zone(&d->hi, offset_min);
    span_of(&d->lo, &d->hi, &d->earliest, &d->latest);
}

/* ---- Text output -------------------------------------------------------- */

static void sb_init(tl_sbuf *b, char *buf, size_t size)
{
    b->buf = buf;
    b->size = buf ? size : 0;
    b->len = 0;
    if (b->size)
        buf[0] = '\0';
}

/* n with thousands separated by commas: "66,000,000". */
static void put_grouped(tl_sbuf *b, int64_t n)
{
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%lld", (long long)n);
    for (int i = 0; i < len; i++) {
        tl_sb_put(b, "%c", digits[i]);
        if (i < len - 1 && (len - 1 - i) % 3 == 0)
            tl_sb_put(b, ",");
    }
}

/* Years ago in ka, Ma or Ga with at most three significant digits,
 * "66 Ma", "4.54 Ga"; for years before 100,000 BCE. */
static void put_years_ago(tl_sbuf *b, int64_t ago)
{
    static const struct { double div; const char *unit; } u[] = {
        {1e9, "Ga"}, {1e6, "Ma"}, {1e3, "ka"}};
    for (size_t k = 0; k < sizeof u / sizeof u[0]; k++) {
        if ((double)ago < u[k].div)
            continue;
        double v = (double)ago / u[k].div;
        char num[32];
        int n = snprintf(num, sizeof num, "%.*f", v >= 100 ? 0 : v >= 10 ? 1 : 2, v);
        /* "66.0" is "66", "4.50" is "4.5". */
        if (strchr(num, '.')) {
            while (n > 0 && num[n - 1] == '0')
                num[--n] = '\0';
            if (n > 0 && num[n - 1] == '.')
                num[--n] = '\0';
        }
        tl_sb_put(b, "%s %s", num, u[k].unit);
        return;
    }
    put_grouped(b, ago);
}

/* A year as readers count it: "2014", "476", "500 BCE", "1 BCE".  A year
 * beyond four digits standing alone (`deep`) is counted back from 2000,
 * "14 ka", "66 Ma"; with a month or a day it stays a calendar year,
 * "10,001 BCE". */
static void put_year_of(tl_sbuf *b, int64_t y, bool deep)
{
    if (y > 99999) {
        put_grouped(b, y);
    } else if (y > 0) {
        tl_sb_put(b, "%d", (int)y);
    } else if (y >= TL_YEAR_MIN || !deep) {
        if (1 - y > 99999)
            put_grouped(b, 1 - y);
        else
            tl_sb_put(b, "%d", (int)(1 - y));
        tl_sb_put(b, " BCE");
    } else {
        put_years_ago(b, 2000 - y);
    }
}

static void put_year_label(tl_sbuf *b, int64_t y) { put_year_of(b, y, false); }

/* A year as ISO 8601 writes it: four digits, a minus before BCE years;
 * Y-years beyond four digits. */
static void put_year_iso(tl_sbuf *b, int64_t y)
{
    if (y > 9999 || y < -9999)
        tl_sb_put(b, "Y%lld", (long long)y);
    else if (y < 0)
        tl_sb_put(b, "-%04d", (int)-y);
    else
        tl_sb_put(b, "%04d", (int)y);
}

/* "24 Nov 2014, 09:00 +09:00": in `zone` (minutes east of UTC), or in
 * the zone the point is written in when zone is TL_TZ_NONE. */
static void put_time_label(tl_sbuf *b, const tl_dpoint *p, int zone, const char *abbr)
{
    tl_dpoint q = *p;
    if (zone != TL_TZ_NONE)
        q.tz = (int16_t)zone;
    int64_t day, s = local_secs(&q, &day), y;
    int m, d;
    civil64(day, &y, &m, &d);
    tl_sb_put(b, "%d %s ", d, month_abbr[m - 1]);
    put_year_label(b, y);
    tl_sb_put(b, ", %02d:%02d", (int)(s / 3600), (int)(s / 60 % 60));
    if (p->prec == TL_PREC_SECOND)
        tl_sb_put(b, ":%02d", (int)(s % 60));
    if (q.tz != TL_TZ_NONE) {
        char z[16];
        tl_zone_text(q.tz, z, sizeof z);
        tl_sb_put(b, " %s", zone != TL_TZ_NONE && abbr && *abbr ? abbr : z);
    }
}

size_t tl_year_label(int64_t year, char *buf, size_t size)
{
    tl_sbuf b;
    sb_init(&b, buf, size);
    put_year_of(&b, year, true);
    return b.len;
}

/* "UTC" or "+09:00". */
size_t tl_zone_text(int zone, char *buf, size_t size)
{
    tl_sbuf b;
    sb_init(&b, buf, size);
    if (zone == 0) {
        tl_sb_put(&b, "UTC");
    } else {
        int a = zone < 0 ? -zone : zone;
        tl_sb_put(&b, "%c%02d:%02d", zone < 0 ? '-' : '+', a / 60 % 100, a % 60);
    }
    return b.len;
}

/* A display zone: "UTC", "Z", "+09:00", "-05:00", "+0530", "+09". */
bool tl_zone_parse(const char *s, int *zone, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (strcmp(s, "UTC") == 0 || strcmp(s, "Z") == 0 || strcmp(s, "GMT") == 0) {
        *zone = 0;
        return true;
    }
    char probe[48];
    tl_date d;
    if ((s[0] == '+' || s[0] == '-') && strlen(s) <= 6) {
        snprintf(probe, sizeof probe, "2000-01-01T00:00%s", s);
        if (tl_date_parse(probe, &d, NULL, 0, NULL) && d.lo.tz != TL_TZ_NONE) {
            *zone = d.lo.tz;
            return true;
        }
    }
    if (err && errlen) {
        if (strchr(s, '/'))
            snprintf(err, errlen, "a zone name such as '%.40s' is read from a file's "
                     "'timezone:' — here give UTC or the offset, as in +09:00", s);
        else
            snprintf(err, errlen, "cannot read '%.40s' as a zone — write UTC or an offset from "
                     "-12:00 to +14:00, as in +09:00", s);
    }
    return false;
}

/* "2010s", "1900s"; BCE spans by their years, "2020 BCE–2011 BCE". */
static void put_span_label(tl_sbuf *b, const tl_dpoint *p)
{
    if (p->year >= 0) {
        tl_sb_put(b, "%ds", (int)p->year);
        return;
    }
    tl_sb_put(b, "%d BCE\xE2\x80\x93%d BCE", (int)(1 - first_year(p)), (int)(1 - p->year));
}

static void put_point_label(tl_sbuf *b, const tl_dpoint *p, int zone, const char *abbr)
{
    if (p->qual & TL_Q_APPROX)
        tl_sb_put(b, "c. ");
    int mon = p->month >= 1 && p->month <= 12 ? p->month - 1 : 0;
    switch ((tl_prec)p->prec) {
    case TL_PREC_SECOND:
    case TL_PREC_MINUTE:
    case TL_PREC_HOUR:
        put_time_label(b, p, zone, abbr);
        break;
    case TL_PREC_DAY:
        tl_sb_put(b, "%d %s ", p->day, month_abbr[mon]);
        put_year_label(b, p->year);
        break;
    case TL_PREC_MONTH:
        tl_sb_put(b, "%s ", month_abbr[mon]);
        put_year_label(b, p->year);
        break;
    case TL_PREC_QUARTER:
        tl_sb_put(b, "Q%d ", p->sub);
        put_year_label(b, p->year);
        break;
    case TL_PREC_PART:
        tl_sb_put(b, "%s ", part_word[p->sub <= 3 ? p->sub : 0]);
        put_year_label(b, p->year);
        break;
    case TL_PREC_SEASON:
        tl_sb_put(b, "%s ", season_word[p->sub <= 4 ? p->sub : 0]);
        put_year_label(b, p->year);
        /* Winter runs into the next year. */
        if (p->sub == 4 && p->year > 0 && p->year < 9999)
            tl_sb_put(b, "\xE2\x80\x93%02d", (int)((p->year + 1) % 100));
        break;
    case TL_PREC_DECADE:
    case TL_PREC_CENTURY:
        put_span_label(b, p);
        break;
    case TL_PREC_ANY_YEAR:
        tl_sb_put(b, "year unknown");
        break;
    case TL_PREC_YEAR:
    default:
        put_year_of(b, p->year, true);
        break;
    }
    if (p->qual & TL_Q_UNCERTAIN)
        tl_sb_put(b, "?");
}

/* "-XX" for an unspecified month, "-XX" again for the day. */
static void put_unspec(tl_sbuf *b, const tl_dpoint *p)
{
    if (p->unspec & TL_U_MONTH)
        tl_sb_put(b, "-XX");
    if (p->unspec & TL_U_DAY)
        tl_sb_put(b, "-XX");
}

static void put_time_iso(tl_sbuf *b, const tl_dpoint *p)
{
    int64_t day, s = local_secs(p, &day), y;
    int m, d;
    civil64(day, &y, &m, &d);
    put_year_iso(b, y);
    tl_sb_put(b, "-%02d-%02dT%02d", m, d, (int)(s / 3600));
    if (p->prec <= TL_PREC_MINUTE)
        tl_sb_put(b, ":%02d", (int)(s / 60 % 60));
    if (p->prec == TL_PREC_SECOND)
        tl_sb_put(b, ":%02d", (int)(s % 60));
    if (p->tz == TL_TZ_NONE || (p->unspec & TL_U_ZONE_SET))
        return;
    if (p->tz == 0) {
        tl_sb_put(b, "Z");
        return;
    }
    int a = p->tz < 0 ? -p->tz : p->tz;
    tl_sb_put(b, "%c%02d:%02d", p->tz < 0 ? '-' : '+', a / 60, a % 60);
}

static void put_point_iso(tl_sbuf *b, const tl_dpoint *p)
{
    if (p->open) {
        if (!p->unknown)
            tl_sb_put(b, "..");
        return;
    }
    if (p->qual & TL_Q_APPROX)
        tl_sb_put(b, "~");
    switch ((tl_prec)p->prec) {
    case TL_PREC_SECOND:
    case TL_PREC_MINUTE:
    case TL_PREC_HOUR:
        put_time_iso(b, p);
        break;
    case TL_PREC_DAY:
        put_year_iso(b, p->year);
        tl_sb_put(b, "-%02d-%02d", p->month, p->day);
        break;
    case TL_PREC_MONTH:
        put_year_iso(b, p->year);
        tl_sb_put(b, "-%02d", p->month);
        put_unspec(b, p);
        break;
    case TL_PREC_QUARTER:
        put_year_iso(b, p->year);
        tl_sb_put(b, "-Q%d", p->sub);
        break;
    case TL_PREC_SEASON:
        put_year_iso(b, p->year);
        tl_sb_put(b, "-%d", 20 + p->sub);
        break;
    case TL_PREC_PART:
        tl_sb_put(b, "%s ", part_word[p->sub <= 3 ? p->sub : 0]);
        put_year_iso(b, p->year);
        break;
    case TL_PREC_DECADE:
        tl_sb_put(b, "%s%03dX", p->year < 0 ? "-" : "", (int)((p->year < 0 ? -p->year : p->year) / 10));
        put_unspec(b, p);
        break;
    case TL_PREC_CENTURY:
        tl_sb_put(b, "%s%02dXX", p->year < 0 ? "-" : "",
               (int)((p->year < 0 ? -p->year : p->year) / 100));
        put_unspec(b, p);
        break;
    case TL_PREC_ANY_YEAR:
        tl_sb_put(b, "XXXX");
        put_unspec(b, p);
        break;
    case TL_PREC_YEAR:
    default:
        put_year_iso(b, p->year);
        put_unspec(b, p);
        break;
    }
    if (p->qual & TL_Q_UNCERTAIN)
        tl_sb_put(b, "?");
}

/* Writes the reader's form of d into buf (size bytes, may be 0; always
 * terminated when size > 0) and returns the length the whole text needs. */
size_t tl_date_label(const tl_date *d, char *buf, size_t size)
{
    return tl_date_label_in(d, TL_TZ_NONE, buf, size);
}

size_t tl_date_label_in(const tl_date *d, int zone, char *buf, size_t size)
{
    return tl_date_label_tz(d, zone, NULL, buf, size);
}

size_t tl_date_label_tz(const tl_date *d, int zone, const char *abbr, char *buf, size_t size)
{
    tl_sbuf b;
    sb_init(&b, buf, size);
    if (!d->is_range) {
        put_point_label(&b, &d->lo, zone, abbr);
    } else if (d->lo.open && d->lo.unknown) {
        tl_sb_put(&b, "until ");
        put_point_label(&b, &d->hi, zone, abbr);
        tl_sb_put(&b, " (start unknown)");
    } else if (d->hi.open && d->hi.unknown) {
        tl_sb_put(&b, "from ");
        put_point_label(&b, &d->lo, zone, abbr);
        tl_sb_put(&b, " (end unknown)");
    } else if (d->lo.open) {
        tl_sb_put(&b, "before ");
        put_point_label(&b, &d->hi, zone, abbr);
    } else if (d->hi.open) {
        tl_sb_put(&b, "after ");
        put_point_label(&b, &d->lo, zone, abbr);
    } else {
        tl_sb_put(&b, "between ");
        put_point_label(&b, &d->lo, zone, abbr);
        tl_sb_put(&b, " and ");
        put_point_label(&b, &d->hi, zone, abbr);
    }
    return b.len;
}

/* The clock part of a timed point in `zone`: "05:11" or "05:11:30". */
static void put_clock(tl_sbuf *b, const tl_dpoint *p, int zone)
{
    tl_dpoint q = *p;
    q.tz = (int16_t)zone;
    int64_t day, s = local_secs(&q, &day);
    tl_sb_put(b, "%02d:%02d", (int)(s / 3600), (int)(s / 60 % 60));
    if (p->prec == TL_PREC_SECOND)
        tl_sb_put(b, ":%02d", (int)(s % 60));
}

size_t tl_span_label_in(const tl_date *a, const tl_date *b, int zone, char *buf, size_t size)
{
    return tl_span_label_tz(a, b, zone, NULL, buf, size);
}

size_t tl_span_label_tz(const tl_date *a, const tl_date *b, int zone, const char *abbr, char *buf,
                        size_t size)
{
    tl_sbuf sb;
    sb_init(&sb, buf, size);
    const tl_dpoint *p = &a->lo, *q = &b->lo;
    int z = zone != TL_TZ_NONE ? zone : p->tz;
    bool same_day = false;
    if (!a->is_range && !b->is_range && is_timed(p) && is_timed(q) && !p->qual && !q->qual &&
        z != TL_TZ_NONE && (zone != TL_TZ_NONE || p->tz == q->tz)) {
        tl_dpoint pz = *p, qz = *q;
        pz.tz = qz.tz = (int16_t)z;
        int64_t dp, dq;
        local_secs(&pz, &dp);
        local_secs(&qz, &dq);
        same_day = dp == dq;
    }
    if (!same_day) {
        sb.len = tl_date_label_tz(a, zone, abbr, buf, size);
        tl_sb_put(&sb, " \xE2\x80\x93 ");
        char *at = sb.len < sb.size ? buf + sb.len : NULL;
        return sb.len + tl_date_label_tz(b, zone, abbr, at, at ? sb.size - sb.len : 0);
    }
    /* "21 Jul 1969, 02:39 – 05:11 UTC" */
    tl_dpoint pz = *p;
    pz.tz = (int16_t)z;
    int64_t day, y;
    int m, d;
    local_secs(&pz, &day);
    civil64(day, &y, &m, &d);
    tl_sb_put(&sb, "%d %s ", d, month_abbr[m - 1]);
    put_year_label(&sb, y);
    tl_sb_put(&sb, ", ");
    put_clock(&sb, p, z);
    tl_sb_put(&sb, " \xE2\x80\x93 ");
    put_clock(&sb, q, z);
    char zt[16];
    tl_zone_text(z, zt, sizeof zt);
    tl_sb_put(&sb, " %s", zone != TL_TZ_NONE && abbr && *abbr ? abbr : zt);
    return sb.len;
}

/* Writes day z as YYYY-MM-DD ("-0499-01-01" before year 0, ".." for the
 * open-interval sentinels); snprintf semantics as tl_date_label. */
size_t tl_day_iso(tl_day z, char *buf, size_t size)
{
    tl_sbuf b;
    sb_init(&b, buf, size);
    if (z == TL_DAY_OPEN_MIN || z == TL_DAY_OPEN_MAX) {
        tl_sb_put(&b, "..");
        return b.len;
    }
    int64_t y;
    int m, d;
    civil64(z, &y, &m, &d);
    put_year_iso(&b, y);
    tl_sb_put(&b, "-%02d-%02d", m, d);
    return b.len;
}

/* Writes d as it could be written in the file: "2014-05", "~2012",
 * "2012?", "early 2015", "201X", "2014-11/2015-01-13", "../2015".  The text
 * parses back to the same date.  snprintf semantics as tl_date_label. */
size_t tl_date_iso(const tl_date *d, char *buf, size_t size)
{
    tl_sbuf b;
    sb_init(&b, buf, size);
    put_point_iso(&b, &d->lo);
    if (d->is_range) {
        tl_sb_put(&b, "/");
        put_point_iso(&b, &d->hi);
    }
    return b.len;
}

/* ---- Ordering ----------------------------------------------------------- */

static int prec_of(const tl_date *d) { return d->lo.open ? d->hi.prec : d->lo.prec; }

/* Orders by earliest, then latest, then precision (finer first); ties are
 * then broken by putting single dates before intervals and plain dates
 * before qualified ones, so that sorting is deterministic. */
int tl_date_cmp(const tl_date *a, const tl_date *b)
{
    int64_t a0, a1, b0, b1;
    tl_date_instants(a, &a0, &a1);
    tl_date_instants(b, &b0, &b1);
    if (a0 != b0)
        return a0 < b0 ? -1 : 1;
    if (a1 != b1)
        return a1 < b1 ? -1 : 1;
    int pa = prec_of(a), pb = prec_of(b);
    if (pa != pb)
        return pa < pb ? -1 : 1;
    if (a->is_range != b->is_range)
        return a->is_range ? 1 : -1;
    return (a->qual > b->qual) - (a->qual < b->qual);
}

/* ---- Parsing ------------------------------------------------------------ */

typedef struct parser {
    const char *s;       /* the whole input; offsets are into it */
    size_t b, e;         /* the text being read: one side of an interval */
    char *err;
    size_t errlen;
    size_t *off;
} parser;

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

/* Quotes s[b..e) for a message with the project's one quoting function:
 * control bytes and broken UTF-8 come out as escapes (\x1b), never as '?',
 * which is EDTF's own mark for an uncertain date. */
static const char *show(const char *s, size_t b, size_t e, char *out, size_t size)
{
    return tl_diag_quote(s + b, e - b, TL_QUOTE_CHARS, out, size);
}

/* Records a problem at byte `at` of the input; always returns false. */
static bool fail(parser *P, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static bool fail(parser *P, size_t at, const char *fmt, ...)
{
    if (P->err && P->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(P->err, P->errlen, fmt, ap);
        va_end(ap);
    }
    if (P->off)
        *P->off = at;
    return false;
}

/* The text being read, quoted in messages. */
static const char *shown(const parser *P, char *out, size_t size)
{
    return show(P->s, P->b, P->e, out, size);
}

/* Case-insensitive match of `word` at s[i..e). */
static bool match_word(const parser *P, size_t i, const char *word)
{
    size_t n = strlen(word);
    if (P->e - i < n)
        return false;
    for (size_t k = 0; k < n; k++)
        if (lower(P->s[i + k]) != word[k])
            return false;
    return true;
}

static size_t skip_blanks(const parser *P, size_t i)
{
    while (i < P->e && is_blank(P->s[i]))
        i++;
    return i;
}

static size_t digit_run(const parser *P, size_t i)
{
    size_t n = 0;
    while (i + n < P->e && is_digit(P->s[i + n]))
        n++;
    return n;
}

static int two_digits(const char *p) { return (p[0] - '0') * 10 + (p[1] - '0'); }

/* Reads the year at s[i..e): four characters after an optional minus,
 * digits of which the last one, the last two or all four may be X.  Sets
 * p->year and p->prec (YEAR, DECADE, CENTURY or ANY_YEAR) and *next.
 * ISO 8601's two-digit century ("19") is not EDTF and reads too easily as
 * a mistyped year: it is refused. */
static bool read_year(parser *P, size_t i, const char *after, tl_dpoint *p, size_t *next)
{
    char q[TL_QUOTE_SIZE], y[TL_QUOTE_SIZE];
    size_t start = i;
    bool neg = i < P->e && P->s[i] == '-';
    if (neg)
        i++;
    if (i >= P->e || !(is_digit(P->s[i]) || P->s[i] == 'X')) {
        if (after)
            return fail(P, i, "cannot read '%s' as a date — expected a year after '%s', as in "
                        "%s%s2015", shown(P, q, sizeof q), after, after,
                        after[0] == '~' ? "" : " ");
        return fail(P, start, "cannot read '%s' as a date — " FORMS_HINT, shown(P, q, sizeof q));
    }
    size_t n = 0;
    int64_t value = 0;
    int x = 0;
    bool x_inside = false, small_x = false;
    while (i + n < P->e && (is_digit(P->s[i + n]) || lower(P->s[i + n]) == 'x')) {
        char c = P->s[i + n];
        small_x |= c == 'x';
        if (lower(c) == 'x')
            x++;
        else
            x_inside |= x > 0;
        /* X counts as 0: 201X is the decade from 2010. */
        if (value < 1000000000000LL)
            value = value * 10 + (lower(c) == 'x' ? 0 : c - '0');
        n++;
    }
    show(P->s, start, i + n, y, sizeof y);
    if (small_x && x < (int)n)
        return fail(P, start, "invalid year '%s' — write unspecified digits with a capital X, "
                    "as in 201X", y);
    if (n == 8 && !neg && !x && i + n == P->e)
        return fail(P, start, "cannot read '%s' as a date — write it with hyphens, as in %.4s-%.2s-%.2s",
                    y, P->s + i, P->s + i + 4, P->s + i + 6);
    if (x && n != 4) {
        if (x == (int)n)
            return fail(P, start, "cannot read '%s' as a date — " FORMS_HINT, shown(P, q, sizeof q));
        return fail(P, start, "invalid year '%s' — write a decade as 201X and a century as 19XX", y);
    }
    if (n > 11)
        return fail(P, start, "year %s is out of range — years run from Y-%lld to Y%lld", y,
                    TL_YEAR_DEEP, TL_YEAR_DEEP);
    if (n > 4 && value > 9999)
        return fail(P, start, "invalid year '%s' — years beyond four digits are written as "
                    "Y-years, as in Y%s%lld", y, neg ? "-" : "", (long long)value);
    if (n != 4)
        return fail(P, start, "invalid year '%s' — write years with four digits, e.g. %s%04d", y,
                    neg ? "-" : "", (int)(value % 10000));
    if (x_inside || x == 3 || (x == 4 && neg))
        return fail(P, start, "invalid year '%s' — unspecified digits there are EDTF Level 2, "
                    "which is not supported: only the last one or two digits (201X, 19XX) or all "
                    "four (XXXX) may be X", y);
    if (neg && value == 0)
        return fail(P, start, "invalid year '%s' — year zero has no sign: write 0000", y);
    p->year = neg ? -value : value;
    p->prec = x == 4 ? TL_PREC_ANY_YEAR : x == 2 ? TL_PREC_CENTURY
            : x == 1 ? TL_PREC_DECADE : TL_PREC_YEAR;
    *next = i + n;
    return true;
}

/* Reads a Y-year at s[i..e) (s[i] is 'Y'): more than four digits, no
 * leading zero, an optional minus. */
static bool read_long_year(parser *P, size_t i, tl_dpoint *p, size_t *next)
{
    char y[TL_QUOTE_SIZE];
    size_t start = i++;
    bool neg = i < P->e && P->s[i] == '-';
    if (neg)
        i++;
    size_t n = digit_run(P, i);
    show(P->s, start, i + n, y, sizeof y);
    if (P->s[start] == 'y')
        return fail(P, start, "invalid year '%s' — write the Y of a long year as a capital, as "
                    "in Y-66000000", y);
    if (n == 0)
        return fail(P, start, "invalid year '%s' — expected digits after Y, as in Y-66000000", y);
    if (P->s[i] == '0')
        return fail(P, i, "invalid year '%s' — a Y-year has no leading zero", y);
    if (i + n < P->e && (P->s[i + n] == 'E' || P->s[i + n] == 'S'))
        return fail(P, i + n, "invalid year '%s…' — exponents and significant digits are EDTF "
                    "Level 2, which is not supported: write the year in full", y);
    if (n > 11)
        return fail(P, start, "year '%s' is out of range — Y-years run from Y-%lld to Y%lld", y,
                    TL_YEAR_DEEP, TL_YEAR_DEEP);
    int64_t value = 0;
    for (size_t k = 0; k < n; k++)
        value = value * 10 + (P->s[i + k] - '0');
    if (value <= 9999)
        return fail(P, start, "invalid year '%s' — Y is for years beyond four digits: write "
                    "%s%04d", y, neg ? "-" : "", (int)value);
    p->year = neg ? -value : value;
    *next = i + n;
    return true;
}

/* Reads "XX" at s[at..): an unspecified month or day.  `what` names it. */
static bool read_xx(parser *P, size_t at, const char *what)
{
    char q[TL_QUOTE_SIZE];
    bool x0 = at < P->e && lower(P->s[at]) == 'x', x1 = at + 1 < P->e && lower(P->s[at + 1]) == 'x';
    if ((x0 && P->s[at] == 'x') || (x1 && P->s[at + 1] == 'x'))
        return fail(P, at, "invalid date '%s' — write unspecified digits with a capital X, as in "
                    "2004-XX", shown(P, q, sizeof q));
    if (!(x0 && x1))
        return fail(P, at, "invalid date '%s' — an unspecified %s is written XX; one X of two is "
                    "EDTF Level 2, which is not supported", shown(P, q, sizeof q), what);
    return true;
}

/* A time of day after 'T': hh[:mm[:ss[.fff]]] and a zone, Z, ±hh, ±hhmm
 * or ±hh:mm.  Sets the precision, p->tz and *local, the second of the day
 * it starts at as written. */
static bool read_time(parser *P, size_t *pi, tl_dpoint *p, int64_t *local)
{
    char q[TL_QUOTE_SIZE];
    size_t i = *pi;
    if (P->s[i] == 't')
        return fail(P, i, "invalid date '%s' — write the T before a time as a capital, as in "
                    "2014-11-24T09:00", shown(P, q, sizeof q));
    i++;
    int f[3] = {0, 0, 0}, nf = 0;
    for (;;) {
        if (digit_run(P, i) != 2 || (i + 2 < P->e && is_digit(P->s[i + 2])))
            return fail(P, i, "invalid time in '%s' — write hours, minutes and seconds with two "
                        "digits each, as in T09:05:00", shown(P, q, sizeof q));
        f[nf++] = two_digits(P->s + i);
        i += 2;
        if (nf < 3 && i < P->e && P->s[i] == ':') {
            i++;
            continue;
        }
        break;
    }
    /* A fraction of a second is read and dropped: precision stays at the
     * second. */
    if (nf == 3 && i < P->e && P->s[i] == '.') {
        size_t n = digit_run(P, i + 1);
        if (n == 0)
            return fail(P, i, "invalid time in '%s' — expected digits after the point",
                        shown(P, q, sizeof q));
        i += 1 + n;
    }
    if (f[0] > 24 || (f[0] == 24 && (f[1] || f[2])))
        return fail(P, *pi + 1, "invalid time in '%s' — hours run from 00 to 23 (24:00 is the "
                    "end of the day)", shown(P, q, sizeof q));
    if (f[1] > 59 || f[2] > 59)
        return fail(P, *pi + 1, "invalid time in '%s' — minutes and seconds run from 00 to 59",
                    shown(P, q, sizeof q));
    p->prec = nf == 1 ? TL_PREC_HOUR : nf == 2 ? TL_PREC_MINUTE : TL_PREC_SECOND;
    *local = (int64_t)f[0] * 3600 + f[1] * 60 + f[2];
    p->tz = TL_TZ_NONE;
    if (i < P->e && lower(P->s[i]) == 'z') {
        if (P->s[i] == 'z')
            return fail(P, i, "invalid zone in '%s' — write UTC as a capital Z",
                        shown(P, q, sizeof q));
        p->tz = 0;
        i++;
    } else if (i < P->e && (P->s[i] == '+' || P->s[i] == '-')) {
        size_t at = i++;
        size_t n = digit_run(P, i);
        int oh = n >= 2 ? two_digits(P->s + i) : 0, om = 0;
        if (n == 4) {
            om = two_digits(P->s + i + 2);
            i += 4;
        } else if (n == 2) {
            i += 2;
            if (i < P->e && P->s[i] == ':') {
                if (digit_run(P, i + 1) != 2)
                    return fail(P, at, "invalid zone in '%s' — write the offset as +hh:mm, as "
                                "in +09:00", shown(P, q, sizeof q));
                om = two_digits(P->s + i + 1);
                i += 3;
            }
        } else {
            return fail(P, at, "invalid zone in '%s' — write the offset as +hh:mm, as in +09:00",
                        shown(P, q, sizeof q));
        }
        int total = oh * 60 + om;
        if (om > 59 || (P->s[at] == '+' ? total > 14 * 60 : total > 12 * 60))
            return fail(P, at, "invalid zone in '%s' — offsets run from -12:00 to +14:00",
                        shown(P, q, sizeof q));
        if (P->s[at] == '-' && total == 0)
            return fail(P, at, "invalid zone in '%s' — write a zero offset as Z or +00:00",
                        shown(P, q, sizeof q));
        p->tz = (int16_t)(P->s[at] == '-' ? -total : total);
    }
    *pi = i;
    return true;
}

/* The day after "YYYY-MM-" at s[at..), then a time of day if one follows. */
static bool read_day(parser *P, size_t at, tl_dpoint *p, int64_t *local, size_t *next)
{
    char q[TL_QUOTE_SIZE], w[TL_QUOTE_SIZE];
    if (at < P->e && lower(P->s[at]) == 'x') {
        if (!read_xx(P, at, "day"))
            return false;
        p->unspec |= TL_U_DAY;
        *next = at + 2;
        return true;
    }
    size_t n = digit_run(P, at);
    if (n == 0)
        return fail(P, at, "cannot read '%s' as a date — expected a day (01 to 31) after the "
                    "month", shown(P, q, sizeof q));
    if (n == 1 && at + 1 < P->e && lower(P->s[at + 1]) == 'x')
        return read_xx(P, at, "day");
    show(P->s, at, at + n, w, sizeof w);
    if (n != 2)
        return fail(P, at, "invalid day '%s' in '%s' — write days with two digits, 01 to 31", w,
                    shown(P, q, sizeof q));
    int day = two_digits(P->s + at), dim = tl_days_in_month(p->year, p->month);
    if (day < 1)
        return fail(P, at, "invalid date '%s' — days start at 01", shown(P, q, sizeof q));
    if (day > dim) {
        char yb[32];
        tl_sbuf yy;
        sb_init(&yy, yb, sizeof yb);
        put_year_iso(&yy, p->year);
        return fail(P, at, "invalid date '%s' — %s %s has %d days", shown(P, q, sizeof q),
                    month_name[p->month - 1], yb, dim);
    }
    p->prec = TL_PREC_DAY;
    p->day = (int8_t)day;
    size_t i = at + 2;
    if (i < P->e && lower(P->s[i]) == 't' && !read_time(P, &i, p, local))
        return false;
    *next = i;
    return true;
}

/* What follows "YYYY-": a month (then maybe a day), a season 21..24, a
 * quarter Qn, or XX (then maybe -XX).  A year with X takes only XX. */
static bool read_month(parser *P, size_t at, tl_dpoint *p, int64_t *local, size_t *next)
{
    char q[TL_QUOTE_SIZE], w[TL_QUOTE_SIZE];
    bool year_x = p->prec != TL_PREC_YEAR;
    if (at < P->e && lower(P->s[at]) == 'x') {
        if (!read_xx(P, at, "month"))
            return false;
        p->unspec |= TL_U_MONTH;
        size_t i = at + 2;
        if (i < P->e && P->s[i] == '-') {
            if (i + 1 < P->e && is_digit(P->s[i + 1]))
                return fail(P, i + 1, "invalid date '%s' — a known day in an unspecified month "
                            "is EDTF Level 2, which is not supported", shown(P, q, sizeof q));
            if (!read_xx(P, i + 1, "day"))
                return false;
            p->unspec |= TL_U_DAY;
            i += 3;
        }
        *next = i;
        return true;
    }
    if (!year_x && at < P->e && lower(P->s[at]) == 'q') {
        size_t n = digit_run(P, at + 1);
        int qn = n == 1 ? P->s[at + 1] - '0' : 0;
        if (n == 0)
            return fail(P, at, "invalid quarter in '%s' — quarters are Q1 to Q4",
                        shown(P, q, sizeof q));
        if (qn < 1 || qn > 4)
            return fail(P, at, "invalid quarter Q%s in '%s' — quarters are Q1 to Q4",
                        show(P->s, at + 1, at + 1 + n, w, sizeof w), shown(P, q, sizeof q));
        p->prec = TL_PREC_QUARTER;
        p->sub = (uint8_t)qn;
        *next = at + 2;
        return true;
    }
    size_t n = digit_run(P, at);
    if (n == 0)
        return fail(P, at, "cannot read '%s' as a date — expected a month (01 to 12), a season "
                    "(21 to 24) or a quarter (Q1 to Q4) after the year", shown(P, q, sizeof q));
    if (n == 1 && at + 1 < P->e && lower(P->s[at + 1]) == 'x')
        return read_xx(P, at, "month");
    show(P->s, at, at + n, w, sizeof w);
    if (n != 2)
        return fail(P, at, "invalid month '%s' in '%s' — write months with two digits, 01 to 12",
                    w, shown(P, q, sizeof q));
    if (year_x)
        return fail(P, at, "invalid date '%s' — a known month in a year with X is EDTF Level 2, "
                    "which is not supported", shown(P, q, sizeof q));
    int mon = two_digits(P->s + at);
    if (mon >= 21 && mon <= 24) {
        p->prec = TL_PREC_SEASON;
        p->sub = (uint8_t)(mon - 20);
        *next = at + 2;
        return true;
    }
    if (mon >= 25 && mon <= 41)
        return fail(P, at, "season %s in '%s' is EDTF Level 2, which is not supported — Level 1 "
                    "seasons are 21 spring, 22 summer, 23 autumn and 24 winter", w,
                    shown(P, q, sizeof q));
    if (mon < 1 || mon > 12)
        return fail(P, at, "invalid month %s in '%s' — months are 01 to 12 (seasons 21 to 24)",
                    w, shown(P, q, sizeof q));
    p->prec = TL_PREC_MONTH;
    p->month = (int8_t)mon;
    size_t i = at + 2;
    if (i < P->e && P->s[i] == '-')
        return read_day(P, i + 1, p, local, next);
    *next = i;
    return true;
}

/* The circa words and early / mid / late before a year.  Sets *after to
 * the word read, for messages. */
static size_t read_prefix(parser *P, size_t i, tl_dpoint *p, const char **after)
{
    if (i < P->e && P->s[i] == '~') {
        p->qual |= TL_Q_APPROX;
        *after = "~";
        i = skip_blanks(P, i + 1);
    } else if (match_word(P, i, "circa") && i + 5 < P->e && is_blank(P->s[i + 5])) {
        p->qual |= TL_Q_APPROX;
        *after = "circa";
        i = skip_blanks(P, i + 5);
    } else if (match_word(P, i, "ca.")) {
        p->qual |= TL_Q_APPROX;
        *after = "ca.";
        i = skip_blanks(P, i + 3);
    } else if (match_word(P, i, "c.")) {
        p->qual |= TL_Q_APPROX;
        *after = "c.";
        i = skip_blanks(P, i + 2);
    }
    for (int k = 1; k <= 3; k++) {
        size_t n = strlen(part_word[k]);
        if (match_word(P, i, part_word[k]) && (i + n == P->e || is_blank(P->s[i + n]))) {
            p->sub = (uint8_t)k;
            p->prec = TL_PREC_PART;
            *after = part_word[k];
            return skip_blanks(P, i + n);
        }
    }
    return i;
}

/* Reads one point, s[b..e). */
static bool read_point(parser *P, tl_dpoint *p)
{
    char q[TL_QUOTE_SIZE];
    const char *after = NULL;
    memset(p, 0, sizeof *p);
    p->sec = -1;
    p->tz = TL_TZ_NONE;
    size_t i = read_prefix(P, P->b, p, &after);
    bool part = p->prec == TL_PREC_PART;
    int64_t local = 0;
    size_t year_at = i;
    if (i + 1 < P->e && lower(P->s[i]) == 'y' && (is_digit(P->s[i + 1]) || P->s[i + 1] == '-')) {
        if (!read_long_year(P, i, p, &i))
            return false;
        if (!part)
            p->prec = TL_PREC_YEAR;
    } else {
        tl_dpoint y;
        memset(&y, 0, sizeof y);   /* set on success; GCC -O2 cannot tell */
        if (!read_year(P, i, after, &y, &i))
            return false;
        if (part && y.prec != TL_PREC_YEAR)
            return fail(P, year_at, "invalid date '%s' — early, mid and late take a year, as in "
                        "early 2015", shown(P, q, sizeof q));
        p->year = y.year;
        if (!part)
            p->prec = y.prec;
        if (!part && i < P->e && P->s[i] == '-' &&
            !read_month(P, i + 1, p, &local, &i))
            return false;
    }
    /* EDTF qualifier after the date. */
    if (i < P->e) {
        char c = P->s[i];
        if (c == '~' || c == '?' || c == '%') {
            p->qual |= c == '~' ? TL_Q_APPROX : c == '?' ? TL_Q_UNCERTAIN
                                                         : TL_Q_APPROX | TL_Q_UNCERTAIN;
            i++;
        }
    }
    if (i < P->e) {
        char w[TL_QUOTE_SIZE], r[TL_QUOTE_SIZE];
        return fail(P, i, "cannot read '%s' as a date — unexpected '%s' after '%s'",
                    shown(P, q, sizeof q), show(P->s, i, P->e, r, sizeof r),
                    show(P->s, P->b, i, w, sizeof w));
    }
    point_resolve(p, local);
    return true;
}

/* Narrows P to s[b..e) without surrounding blanks. */
static void set_text(parser *P, size_t b, size_t e)
{
    while (b < e && is_blank(P->s[b]))
        b++;
    while (e > b && is_blank(P->s[e - 1]))
        e--;
    P->b = b;
    P->e = e;
}

/* One side of an interval: a point, ".." (open) or nothing (unknown). */
static bool read_side(parser *P, size_t b, size_t e, tl_dpoint *p, bool at_start)
{
    P->b = b;
    P->e = e;
    if (b == e) {
        point_open(p, at_start, true);
        return true;
    }
    if (e - b == 2 && P->s[b] == '.' && P->s[b + 1] == '.') {
        point_open(p, at_start, false);
        return true;
    }
    return read_point(P, p);
}

/* Fills d as the interval lo..hi; false when the end lies wholly before
 * the start as written (before circa widens either). */
static bool make_range(tl_date *d, const tl_dpoint *lo, const tl_dpoint *hi)
{
    memset(d, 0, sizeof *d);
    d->lo = *lo;
    d->hi = *hi;
    d->is_range = true;
    d->qual = (uint8_t)(lo->qual | hi->qual);
    span_of(lo, hi, &d->earliest, &d->latest);
    if (lo->open || hi->open)
        return true;
    int64_t l0, l1, h0, h1;
    point_secs(lo, false, &l0, &l1);
    point_secs(hi, false, &h0, &h1);
    return h1 >= l0;
}

/* Parses the whole of s into *out (see date.h).  *out is zeroed on failure;
 * err and err_off may be NULL. */
bool tl_date_parse(const char *s, tl_date *out, char *err, size_t errlen, size_t *err_off)
{
    parser P = {s, 0, strlen(s), err, errlen, err_off};
    char q[TL_QUOTE_SIZE];
    memset(out, 0, sizeof *out);
    if (err && errlen)
        err[0] = '\0';
    if (err_off)
        *err_off = 0;
    size_t b = 0, e = P.e;
    if (b == e)
        return fail(&P, 0, "empty date — " FORMS_HINT);
    if (is_blank(s[b]) || is_blank(s[e - 1])) {
        size_t at = is_blank(s[b]) ? b : e - 1;
        set_text(&P, b, e);
        if (P.b == P.e)
            return fail(&P, 0, "empty date — " FORMS_HINT);
        return fail(&P, at, "cannot read '%s' as a date — remove the blank %s it", shown(&P, q,
                    sizeof q), at == b ? "before" : "after");
    }

    const char *slash = memchr(s + b, '/', e - b);
    if (!slash) {
        if (e - b == 2 && s[b] == '.' && s[b + 1] == '.')
            return fail(&P, b, "cannot read '..' as a date — '..' stands for an open end of an "
                        "interval, as in ../2015 or 2014/..");
        tl_dpoint p;
        if (!read_point(&P, &p))
            return false;
        out->lo = out->hi = p;
        out->qual = p.qual;
        span_of(&p, &p, &out->earliest, &out->latest);
        return true;
    }

    size_t mid = (size_t)(slash - s);
    const char *again = memchr(s + mid + 1, '/', e - mid - 1);
    if (again)
        return fail(&P, (size_t)(again - s), "cannot read '%s' as a date — an interval has one "
                    "'/', between its start and its end", show(s, b, e, q, sizeof q));
    if ((mid > b && is_blank(s[mid - 1])) || (mid + 1 < e && is_blank(s[mid + 1])))
        return fail(&P, mid > b && is_blank(s[mid - 1]) ? mid - 1 : mid + 1,
                    "cannot read '%s' as a date — an interval is written without blanks around "
                    "its '/', as in 2014-11/2015-01-13", show(s, b, e, q, sizeof q));
    tl_dpoint lo, hi;
    if (!read_side(&P, b, mid, &lo, true) || !read_side(&P, mid + 1, e, &hi, false)) {
        memset(out, 0, sizeof *out);
        return false;
    }
    P.b = b;
    P.e = e;
    if (lo.open && hi.open)
        return fail(&P, b, "cannot read '%s' as a date — an interval needs at least one known "
                    "end, as in ../2015 or 2014/..", show(s, b, e, q, sizeof q));
    if (!make_range(out, &lo, &hi)) {
        memset(out, 0, sizeof *out);
        return fail(&P, mid + 1, "invalid interval '%s' — it ends before it begins",
                    show(s, b, e, q, sizeof q));
    }
    return true;
}

/* Builds {after: a, before: b} (see date.h).  Each side must be a single
 * date, not an interval. */
bool tl_date_bounded(const tl_date *after, const tl_date *before, tl_date *out, char *err,
                     size_t errlen)
{
    char *e = err && errlen ? err : NULL;
    memset(out, 0, sizeof *out);
    if (e)
        e[0] = '\0';
    if (!after && !before) {
        if (e)
            snprintf(e, errlen, "a bounded date needs 'after', 'before' or both");
        return false;
    }
    if ((after && after->is_range) || (before && before->is_range)) {
        if (e)
            snprintf(e, errlen, "'%s' is an interval — 'after' and 'before' each take one date",
                     after && after->is_range ? "after" : "before");
        return false;
    }
    tl_dpoint lo, hi;
    if (after)
        lo = after->lo;
    else
        point_open(&lo, true, false);
    if (before)
        hi = before->hi;
    else
        point_open(&hi, false, false);
    if (!make_range(out, &lo, &hi)) {
        char a[48], b[48];
        tl_date_iso(after, a, sizeof a);
        tl_date_iso(before, b, sizeof b);
        memset(out, 0, sizeof *out);
        if (e)
            snprintf(e, errlen, "'before: %s' ends before 'after: %s' begins — the earlier "
                     "date goes under 'after'", b, a);
        return false;
    }
    return true;
}

void tl_sb_put(tl_sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *at = b->len < b->size ? b->buf + b->len : NULL;
    int n = vsnprintf(at, at ? b->size - b->len : 0, fmt, ap);
    va_end(ap);
    if (n > 0)
        b->len += (size_t)n;
}
