/* date.c — calendar dates with a precision, resolved to intervals of days.
 *
 * Day numbers use the era-based conversion (400-year cycles of 146097 days),
 * so every step is integer arithmetic with floor division and the same code
 * serves BCE years.  Intermediate values are 64-bit: callers may hand in the
 * open-interval sentinels or years just outside the supported range.
 *
 * The parser reads one side of an interval at a time as
 *
 *     [circa prefix] [early|mid|late] YEAR [-MM[-DD] | -Qn] [~ | ? | %]
 *
 * where YEAR is exactly four digits with an optional minus, the last one or
 * two of which may be X (decade, century).  Each message quotes the text it
 * is about and its offset points at the first byte that is wrong, so the
 * loader can put a caret under it. */
#include "date.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const month_abbr[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const month_name[12] = {"January", "February", "March",     "April",
                                           "May",     "June",     "July",      "August",
                                           "September", "October", "November", "December"};
static const char *const part_word[4] = {"", "early", "mid", "late"};

#define FORMS_HINT                                                                        \
    "expected a form like 2015-03-17, 2014-05, 2014-Q2, 2014, early 2015, ~2012 or "     \
    "2014-11/2015-01-13"

/* Longest quoted excerpt of the input in a message, in bytes. */
#define SHOW_MAX 60

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* ---- Day arithmetic ----------------------------------------------------- */

/* Leap year in the proleptic Gregorian calendar; works for negative years
 * because only "is the remainder zero" is asked. */
bool tl_is_leap(int32_t year)
{
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

/* Days in `month` (1..12) of `year`; 0 for a month out of range. */
int tl_days_in_month(int32_t year, int month)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    return month == 2 && tl_is_leap(year) ? 29 : len[month - 1];
}

/* Day number of y-m-d.  A month outside 1..12 carries into the year and a
 * day outside the month counts on from its first day (so day 0 is the last
 * day of the month before): callers step through months without
 * normalising.  Results beyond the range of tl_day saturate. */
tl_day tl_days_from_civil(int32_t y, int m, int d)
{
    int64_t mi = (int64_t)y * 12 + (m - 1);
    int64_t yy = floor_div(mi, 12);
    int64_t mm = mi - yy * 12 + 1;     /* 1..12 */
    yy -= mm <= 2;                      /* years start in March here */
    int64_t era = floor_div(yy, 400);
    int64_t yoe = yy - era * 400;       /* 0..399 */
    int64_t doy = (153 * (mm > 2 ? mm - 3 : mm + 9) + 2) / 5 + (int64_t)d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t z = era * 146097 + doe - 719468;
    if (z < INT32_MIN)
        return INT32_MIN;
    if (z > INT32_MAX)
        return INT32_MAX;
    return (tl_day)z;
}

/* The calendar date of day z; any tl_day is accepted. */
void tl_civil_from_days(tl_day z, int32_t *y, int *m, int *d)
{
    int64_t zz = (int64_t)z + 719468;
    int64_t era = floor_div(zz, 146097);
    int64_t doe = zz - era * 146097;                                      /* 0..146096 */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* 0..399 */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* 0..365 */
    int64_t mp = (5 * doy + 2) / 153;                                     /* 0..11 */
    int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int32_t)(yoe + era * 400 + (mm <= 2));
    *m = mm;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
}

/* 0 = Monday .. 6 = Sunday; 1970-01-01 was a Thursday. */
int tl_weekday(tl_day z)
{
    int64_t w = ((int64_t)z + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

static tl_day day_min(void) { return tl_days_from_civil(TL_YEAR_MIN, 1, 1); }
static tl_day day_max(void) { return tl_days_from_civil(TL_YEAR_MAX, 12, 31); }

static tl_day clamp_day(tl_day z)
{
    tl_day lo = day_min(), hi = day_max();
    return z < lo ? lo : z > hi ? hi : z;
}

/* ---- Points ------------------------------------------------------------- */

/* First month (1-based, may pass 12 for decades) and number of months a
 * point coarser than a day covers. */
static void point_months(const tl_dpoint *p, int *m0, int *nm)
{
    switch ((tl_prec)p->prec) {
    case TL_PREC_MONTH: *m0 = p->month; *nm = 1; break;
    case TL_PREC_QUARTER: *m0 = 3 * p->sub - 2; *nm = 3; break;
    case TL_PREC_PART: *m0 = 4 * p->sub - 3; *nm = 4; break;
    case TL_PREC_DECADE: *m0 = 1; *nm = 120; break;
    case TL_PREC_CENTURY: *m0 = 1; *nm = 1200; break;
    case TL_PREC_DAY:
    case TL_PREC_YEAR:
    default: *m0 = 1; *nm = 12; break;
    }
}

/* Fills p->first and p->last from the written fields. */
static void point_resolve(tl_dpoint *p)
{
    if (p->prec == TL_PREC_DAY) {
        p->first = p->last = tl_days_from_civil(p->year, p->month, p->day);
        return;
    }
    int m0, nm;
    point_months(p, &m0, &nm);
    p->first = tl_days_from_civil(p->year, m0, 1);
    p->last = tl_days_from_civil(p->year, m0 + nm, 1) - 1;
}

/* Circa widens by one unit of the point's own precision on each side, in
 * whole calendar months above a day, so "~2014-03" is Feb–Apr. */
static void point_widened(const tl_dpoint *p, tl_day *first, tl_day *last)
{
    *first = p->first;
    *last = p->last;
    if (p->open || !(p->qual & TL_Q_APPROX))
        return;
    if (p->prec == TL_PREC_DAY) {
        *first = clamp_day(p->first - 1);
        *last = clamp_day(p->last + 1);
        return;
    }
    static const int unit[] = {0, 1, 3, 4, 12, 120, 1200}; /* months, by tl_prec */
    int m0, nm;
    point_months(p, &m0, &nm);
    int k = unit[p->prec < 7 ? p->prec : TL_PREC_YEAR];
    *first = clamp_day(tl_days_from_civil(p->year, m0 - k, 1));
    *last = clamp_day(tl_days_from_civil(p->year, m0 + nm + k, 1) - 1);
}

static void point_open(tl_dpoint *p, bool at_start)
{
    memset(p, 0, sizeof *p);
    p->open = true;
    p->prec = TL_PREC_DAY;
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

/* ---- Text output -------------------------------------------------------- */

/* snprintf into a buffer that may be too small: keeps counting what the
 * whole text needs, and the buffer stays terminated. */
typedef struct sbuf {
    char *buf;
    size_t size, len;
} sbuf;

static void sb_put(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_put(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *at = b->len < b->size ? b->buf + b->len : NULL;
    int n = vsnprintf(at, at ? b->size - b->len : 0, fmt, ap);
    va_end(ap);
    if (n > 0)
        b->len += (size_t)n;
}

static void sb_init(sbuf *b, char *buf, size_t size)
{
    b->buf = buf;
    b->size = buf ? size : 0;
    b->len = 0;
    if (b->size)
        buf[0] = '\0';
}

/* A year as readers count it: "2014", "476", "500 BCE", "1 BCE". */
static void put_year_label(sbuf *b, int32_t y)
{
    if (y > 0)
        sb_put(b, "%d", (int)y);
    else
        sb_put(b, "%d BCE", (int)(1 - (int64_t)y));
}

/* A year as ISO 8601 writes it: four digits, a minus before BCE years. */
static void put_year_iso(sbuf *b, int32_t y)
{
    if (y < 0)
        sb_put(b, "-%04d", (int)-(int64_t)y);
    else
        sb_put(b, "%04d", (int)y);
}

static void put_point_label(sbuf *b, const tl_dpoint *p)
{
    if (p->qual & TL_Q_APPROX)
        sb_put(b, "c. ");
    int mon = p->month >= 1 && p->month <= 12 ? p->month - 1 : 0;
    switch ((tl_prec)p->prec) {
    case TL_PREC_DAY:
        sb_put(b, "%d %s ", p->day, month_abbr[mon]);
        put_year_label(b, p->year);
        break;
    case TL_PREC_MONTH:
        sb_put(b, "%s ", month_abbr[mon]);
        put_year_label(b, p->year);
        break;
    case TL_PREC_QUARTER:
        sb_put(b, "Q%d ", p->sub);
        put_year_label(b, p->year);
        break;
    case TL_PREC_PART:
        sb_put(b, "%s ", part_word[p->sub <= 3 ? p->sub : 0]);
        put_year_label(b, p->year);
        break;
    case TL_PREC_DECADE:
    case TL_PREC_CENTURY:
        sb_put(b, "%ds", (int)p->year);
        break;
    case TL_PREC_YEAR:
    default:
        put_year_label(b, p->year);
        break;
    }
    if (p->qual & TL_Q_UNCERTAIN)
        sb_put(b, "?");
}

static void put_point_iso(sbuf *b, const tl_dpoint *p)
{
    if (p->open) {
        sb_put(b, "..");
        return;
    }
    if (p->qual & TL_Q_APPROX)
        sb_put(b, "~");
    switch ((tl_prec)p->prec) {
    case TL_PREC_DAY:
        put_year_iso(b, p->year);
        sb_put(b, "-%02d-%02d", p->month, p->day);
        break;
    case TL_PREC_MONTH:
        put_year_iso(b, p->year);
        sb_put(b, "-%02d", p->month);
        break;
    case TL_PREC_QUARTER:
        put_year_iso(b, p->year);
        sb_put(b, "-Q%d", p->sub);
        break;
    case TL_PREC_PART:
        sb_put(b, "%s ", part_word[p->sub <= 3 ? p->sub : 0]);
        put_year_iso(b, p->year);
        break;
    case TL_PREC_DECADE:
        sb_put(b, "%03dX", (int)(p->year / 10));
        break;
    case TL_PREC_CENTURY:
        sb_put(b, "%02dXX", (int)(p->year / 100));
        break;
    case TL_PREC_YEAR:
    default:
        put_year_iso(b, p->year);
        break;
    }
    if (p->qual & TL_Q_UNCERTAIN)
        sb_put(b, "?");
}

/* Writes the reader's form of d into buf (size bytes, may be 0; always
 * terminated when size > 0) and returns the length the whole text needs. */
size_t tl_date_label(const tl_date *d, char *buf, size_t size)
{
    sbuf b;
    sb_init(&b, buf, size);
    if (!d->is_range) {
        put_point_label(&b, &d->lo);
    } else if (d->lo.open) {
        sb_put(&b, "before ");
        put_point_label(&b, &d->hi);
    } else if (d->hi.open) {
        sb_put(&b, "after ");
        put_point_label(&b, &d->lo);
    } else {
        sb_put(&b, "between ");
        put_point_label(&b, &d->lo);
        sb_put(&b, " and ");
        put_point_label(&b, &d->hi);
    }
    return b.len;
}

/* Writes day z as YYYY-MM-DD ("-0499-01-01" before year 0, ".." for the
 * open-interval sentinels); snprintf semantics as tl_date_label. */
size_t tl_day_iso(tl_day z, char *buf, size_t size)
{
    sbuf b;
    sb_init(&b, buf, size);
    if (z == TL_DAY_OPEN_MIN || z == TL_DAY_OPEN_MAX) {
        sb_put(&b, "..");
        return b.len;
    }
    int32_t y;
    int m, d;
    tl_civil_from_days(z, &y, &m, &d);
    put_year_iso(&b, y);
    sb_put(&b, "-%02d-%02d", m, d);
    return b.len;
}

/* Writes d as it could be written in the file: "2014-05", "~2012",
 * "2012?", "early 2015", "201X", "2014-11/2015-01-13", "../2015".  The text
 * parses back to the same date.  snprintf semantics as tl_date_label. */
size_t tl_date_iso(const tl_date *d, char *buf, size_t size)
{
    sbuf b;
    sb_init(&b, buf, size);
    put_point_iso(&b, &d->lo);
    if (d->is_range) {
        sb_put(&b, "/");
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
    if (a->earliest != b->earliest)
        return a->earliest < b->earliest ? -1 : 1;
    if (a->latest != b->latest)
        return a->latest < b->latest ? -1 : 1;
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

/* Length of the valid UTF-8 sequence at p[0..n), 0 if there is none, so
 * quoted input never puts broken text into a message. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xC2 && p[0] <= 0xDF)
        len = 2;
    else if (p[0] >= 0xE0 && p[0] <= 0xEF)
        len = 3;
    else if (p[0] >= 0xF0 && p[0] <= 0xF4)
        len = 4;
    else
        return 0;
    if (len > n)
        return 0;
    if (p[0] == 0xE0)
        lo = 0xA0;
    else if (p[0] == 0xED)
        hi = 0x9F;
    else if (p[0] == 0xF0)
        lo = 0x90;
    else if (p[0] == 0xF4)
        hi = 0x8F;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return len;
}

/* Copies s[b..e) for quoting: control bytes and broken UTF-8 become '?',
 * and text past SHOW_MAX bytes is cut at a character boundary with "…". */
static const char *show(const char *s, size_t b, size_t e, char *out, size_t size)
{
    size_t o = 0;
    const char *ell = "\xE2\x80\xA6";
    for (size_t i = b; i < e;) {
        const unsigned char *p = (const unsigned char *)s + i;
        size_t n = utf8_len(p, e - i);
        if (o + (n ? n : 1) > SHOW_MAX || o + 4 + 1 > size) {
            if (o + strlen(ell) + 1 <= size) {
                memcpy(out + o, ell, strlen(ell));
                o += strlen(ell);
            }
            break;
        }
        if (n == 0 || (n == 1 && (p[0] < 0x20 || p[0] == 0x7F))) {
            out[o++] = '?';
            i++;
        } else {
            memcpy(out + o, p, n);
            o += n;
            i += n;
        }
    }
    out[o] = '\0';
    return out;
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

/* Reads the year at s[i..e): exactly four digits after an optional minus,
 * the last one or two of which may be X.  On success sets *year, *nx (the
 * number of X) and *next. */
static bool read_year(parser *P, size_t i, const char *after, int32_t *year, int *nx,
                      size_t *next)
{
    char q[SHOW_MAX + 8];
    size_t start = i;
    bool neg = i < P->e && P->s[i] == '-';
    if (neg)
        i++;
    if (i >= P->e || !is_digit(P->s[i])) {
        if (after)
            return fail(P, i, "cannot read '%s' as a date — expected a year after '%s', as in "
                        "%s%s2015", shown(P, q, sizeof q), after, after,
                        after[0] == '~' ? "" : " ");
        return fail(P, start, "cannot read '%s' as a date — " FORMS_HINT, shown(P, q, sizeof q));
    }
    /* Digits then X: X may only end the year. */
    size_t n = 0;
    int64_t value = 0;
    int x = 0;
    bool x_inside = false;
    while (i + n < P->e && (is_digit(P->s[i + n]) || lower(P->s[i + n]) == 'x')) {
        char c = P->s[i + n];
        if (lower(c) == 'x')
            x++;
        else
            x_inside |= x > 0;
        /* X counts as 0: 201X is the decade from 2010. */
        if (value < 100000000)
            value = value * 10 + (lower(c) == 'x' ? 0 : c - '0');
        n++;
    }
    char y[SHOW_MAX + 8];
    show(P->s, start, i + n, y, sizeof y);
    if (x_inside || x > 2 || (x && n != 4)) {
        if (x_inside || x > 2)
            return fail(P, start, "invalid year '%s' — only the last one or two digits may be X, as "
                        "in 201X (a decade) or 19XX (a century)", y);
        return fail(P, start, "invalid year '%s' — write a decade as 201X and a century as 19XX", y);
    }
    if (n == 8 && !neg && i + n == P->e)
        return fail(P, start, "cannot read '%s' as a date — write it with hyphens, as in %.4s-%.2s-%.2s",
                    y, P->s + i, P->s + i + 4, P->s + i + 6);
    if (n > 4 && value > TL_YEAR_MAX)
        return fail(P, start, "year %s is out of range — years run from %d to %d", y, TL_YEAR_MIN,
                    TL_YEAR_MAX);
    if (n != 4)
        return fail(P, start, "invalid year '%s' — write years with four digits, e.g. %s%04d", y,
                    neg ? "-" : "", (int)value);
    if (neg && x)
        return fail(P, start, "invalid year '%s' — decades and centuries are for years 0000 on; "
                    "write an earlier span as an interval, e.g. -0199/-0100", y);
    *year = (int32_t)(neg ? -value : value);
    *nx = x;
    *next = i + n;
    return true;
}

/* Reads one point, s[b..e) with no surrounding blanks. */
static bool read_point(parser *P, tl_dpoint *p)
{
    char q[SHOW_MAX + 8];
    size_t i = P->b;
    const char *after = NULL;
    memset(p, 0, sizeof *p);

    /* Circa, written before the date. */
    if (i < P->e && P->s[i] == '~') {
        p->qual |= TL_Q_APPROX;
        after = "~";
        i = skip_blanks(P, i + 1);
    } else if (match_word(P, i, "circa") && i + 5 < P->e && is_blank(P->s[i + 5])) {
        p->qual |= TL_Q_APPROX;
        after = "circa";
        i = skip_blanks(P, i + 5);
    } else if (match_word(P, i, "ca.")) {
        p->qual |= TL_Q_APPROX;
        after = "ca.";
        i = skip_blanks(P, i + 3);
    } else if (match_word(P, i, "c.")) {
        p->qual |= TL_Q_APPROX;
        after = "c.";
        i = skip_blanks(P, i + 2);
    }
    /* early / mid / late: a third of a year. */
    for (int k = 1; k <= 3; k++) {
        size_t n = strlen(part_word[k]);
        if (match_word(P, i, part_word[k]) && (i + n == P->e || is_blank(P->s[i + n]))) {
            p->sub = (uint8_t)k;
            p->prec = TL_PREC_PART;
            after = part_word[k];
            i = skip_blanks(P, i + n);
            break;
        }
    }

    int nx = 0;
    size_t year_at = i;
    int32_t year = 0;
    if (!read_year(P, i, after, &year, &nx, &i))
        return false;
    p->year = (int16_t)year; /* four digits at most: see read_year */
    if (p->prec == TL_PREC_PART && nx)
        return fail(P, year_at, "invalid date '%s' — early, mid and late take a year, as in "
                    "early 2015", shown(P, q, sizeof q));
    if (p->prec != TL_PREC_PART)
        p->prec = nx == 2 ? TL_PREC_CENTURY : nx == 1 ? TL_PREC_DECADE : TL_PREC_YEAR;

    /* -MM, -MM-DD or -Qn after a plain year. */
    if (p->prec == TL_PREC_YEAR && i < P->e && P->s[i] == '-') {
        size_t at = i + 1;
        size_t n = digit_run(P, at);
        if (at < P->e && lower(P->s[at]) == 'q') {
            n = digit_run(P, at + 1);
            int qn = n == 1 ? P->s[at + 1] - '0' : 0;
            if (n == 0)
                return fail(P, at, "invalid quarter in '%s' — quarters are Q1 to Q4",
                            shown(P, q, sizeof q));
            if (qn < 1 || qn > 4) {
                char w[SHOW_MAX + 8];
                return fail(P, at, "invalid quarter Q%s in '%s' — quarters are Q1 to Q4",
                            show(P->s, at + 1, at + 1 + n, w, sizeof w), shown(P, q, sizeof q));
            }
            p->prec = TL_PREC_QUARTER;
            p->sub = (uint8_t)qn;
            i = at + 2;
        } else if (n == 0) {
            return fail(P, at, "cannot read '%s' as a date — expected a month (01 to 12) or a "
                        "quarter (Q1 to Q4) after the year", shown(P, q, sizeof q));
        } else {
            char w[SHOW_MAX + 8];
            show(P->s, at, at + n, w, sizeof w);
            if (n != 2)
                return fail(P, at, "invalid month '%s' in '%s' — write months with two digits, "
                            "01 to 12", w, shown(P, q, sizeof q));
            int mon = two_digits(P->s + at);
            if (mon < 1 || mon > 12)
                return fail(P, at, "invalid month %s in '%s' — months are 01 to 12", w,
                            shown(P, q, sizeof q));
            p->prec = TL_PREC_MONTH;
            p->month = (int8_t)mon;
            i = at + 2;
            if (i < P->e && P->s[i] == '-') {
                at = i + 1;
                n = digit_run(P, at);
                if (n == 0)
                    return fail(P, at, "cannot read '%s' as a date — expected a day (01 to 31) "
                                "after the month", shown(P, q, sizeof q));
                show(P->s, at, at + n, w, sizeof w);
                if (n != 2)
                    return fail(P, at, "invalid day '%s' in '%s' — write days with two digits, "
                                "01 to 31", w, shown(P, q, sizeof q));
                int day = two_digits(P->s + at), dim = tl_days_in_month(p->year, mon);
                if (day < 1)
                    return fail(P, at, "invalid date '%s' — days start at 01",
                                shown(P, q, sizeof q));
                if (day > dim) {
                    char yb[16];
                    sbuf yy;
                    sb_init(&yy, yb, sizeof yb);
                    put_year_iso(&yy, p->year);
                    return fail(P, at, "invalid date '%s' — %s %s has %d days",
                                shown(P, q, sizeof q), month_name[mon - 1], yb, dim);
                }
                p->prec = TL_PREC_DAY;
                p->day = (int8_t)day;
                i = at + 2;
            }
        }
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
        char w[SHOW_MAX + 8], r[SHOW_MAX + 8];
        return fail(P, i, "cannot read '%s' as a date — unexpected '%s' after '%s'",
                    shown(P, q, sizeof q), show(P->s, i, P->e, r, sizeof r),
                    show(P->s, P->b, i, w, sizeof w));
    }
    point_resolve(p);
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

/* One side of an interval: a point, or ".." or nothing for an open end. */
static bool read_side(parser *P, size_t b, size_t e, tl_dpoint *p, bool at_start)
{
    set_text(P, b, e);
    if (P->b == P->e || (P->e - P->b == 2 && P->s[P->b] == '.' && P->s[P->b + 1] == '.')) {
        point_open(p, at_start);
        return true;
    }
    return read_point(P, p);
}

/* Fills d as the interval lo..hi; false when it would end before it
 * begins (compared after circa widening, as tl_date_bounded does). */
static bool make_range(tl_date *d, const tl_dpoint *lo, const tl_dpoint *hi)
{
    memset(d, 0, sizeof *d);
    d->lo = *lo;
    d->hi = *hi;
    d->is_range = true;
    d->qual = (uint8_t)(lo->qual | hi->qual);
    span_of(lo, hi, &d->earliest, &d->latest);
    return d->latest >= d->earliest;
}

/* Parses the whole of s into *out (see date.h).  *out is zeroed on failure;
 * err and err_off may be NULL. */
bool tl_date_parse(const char *s, tl_date *out, char *err, size_t errlen, size_t *err_off)
{
    parser P = {s, 0, strlen(s), err, errlen, err_off};
    char q[SHOW_MAX + 8];
    memset(out, 0, sizeof *out);
    if (err && errlen)
        err[0] = '\0';
    if (err_off)
        *err_off = 0;
    set_text(&P, 0, P.e);
    size_t b = P.b, e = P.e;
    if (b == e)
        return fail(&P, 0, "empty date — " FORMS_HINT);

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
        return fail(&P, skip_blanks(&P, mid + 1), "invalid interval '%s' — it ends before it "
                    "begins", show(s, b, e, q, sizeof q));
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
        point_open(&lo, true);
    if (before)
        hi = before->hi;
    else
        point_open(&hi, false);
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
