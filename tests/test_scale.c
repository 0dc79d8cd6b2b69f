/* test_scale.c — day → x mapping, axis breaks, and tick tables for ranges
 * from three days to three centuries, BCE included. */
#include "check.h"
#include "scale.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static double char_width(void *ctx, const char *text)
{
    (void)ctx;
    size_t n = 0;
    for (const char *p = text; *p; p++)
        n += ((unsigned char)*p & 0xC0) != 0x80;
    return (double)n * 5.0;
}

static tl_day day(const char *iso)
{
    tl_date d;
    char err[128];
    size_t off;
    if (!tl_date_parse(iso, &d, err, sizeof err, &off))
        fprintf(stderr, "bad date %s\n", iso);
    return d.earliest;
}

/* Builds a one-span scale over [lo, hi] on 800 units and returns the labels
 * joined by '|'. */
static void labels_for(const char *lo, const char *hi, double width, char *out, size_t size)
{
    tl_span s = {day(lo), day(hi)};
    tl_scale sc;
    tl_scale_build(&sc, &s, 1, 0, width, true, 20);
    tl_tick t[256];
    size_t n = tl_scale_ticks(&sc, char_width, NULL, 8, t, 256);
    out[0] = '\0';
    double prev_x = -INFINITY, prev_right = -INFINITY;
    bool sorted = true, apart = true;
    for (size_t i = 0; i < n; i++) {
        sorted &= t[i].x >= prev_x;
        prev_x = t[i].x;
        if (!t[i].label[0])
            continue;
        double w = char_width(NULL, t[i].label);
        apart &= t[i].label_x - w / 2 >= prev_right + 8 - 1e-9;
        prev_right = t[i].label_x + w / 2;
        if (out[0])
            strncat(out, "|", size - strlen(out) - 1);
        strncat(out, t[i].label, size - strlen(out) - 1);
    }
    CHECK(sorted);
    CHECK(apart);
}

static void test_ticks(void)
{
    char got[2048];
    /* Three days: one tick a day, the first carrying month and year. */
    labels_for("2015-03-16", "2015-03-18", 800, got, sizeof got);
    CHECK_STR(got, "15 Mar 2015|16 Mar|17 Mar|18 Mar|19 Mar|20 Mar");

    /* Two months on 800 units: weekly ticks, on Mondays. */
    labels_for("2015-03-01", "2015-04-30", 800, got, sizeof got);
    CHECK(strstr(got, "2 Mar 2015|9 Mar|16 Mar|23 Mar|30 Mar|6 Apr") == got);

    /* One year: months, the year named on the first and on January. */
    labels_for("2014-01-01", "2014-12-31", 800, got, sizeof got);
    CHECK(strstr(got, "Jan 2014|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec") != NULL);

    /* Fifteen years: one label a year, centred on the year. */
    labels_for("2000-01-01", "2014-12-31", 800, got, sizeof got);
    CHECK(strstr(got, "2000|2001|2002|2003|2004|2005|2006|2007|2008|2009|2010|2011|2012|"
                      "2013|2014") != NULL);

    /* Fifteen years on a narrow column: fewer labels, still apart. */
    labels_for("2000-01-01", "2014-12-31", 200, got, sizeof got);
    CHECK(strstr(got, "2000|2005|2010") != NULL || strstr(got, "2002|2004") != NULL);

    /* Three centuries: decades or more. */
    labels_for("1700-01-01", "1999-12-31", 800, got, sizeof got);
    CHECK(strstr(got, "1700|1750|1800|1850|1900|1950|2000") != NULL ||
          strstr(got, "1720|1740|1760") != NULL);

    /* BCE. */
    labels_for("-0499-01-01", "-0400-12-31", 800, got, sizeof got);
    CHECK(strstr(got, "500 BCE") != NULL);
    CHECK(strstr(got, "410 BCE") != NULL);
}

static void test_mapping(void)
{
    tl_span s = {day("2014-01-01"), day("2014-12-31")};
    tl_scale sc;
    tl_scale_build(&sc, &s, 1, 100, 900, true, 20);
    CHECK_INT(sc.nseg, 1);
    /* Monotone, and inside the range. */
    double prev = -1;
    for (tl_day d = s.lo - 40; d <= s.hi + 40; d++) {
        double x = tl_scale_x(&sc, d);
        CHECK(x >= prev && x >= 100 && x <= 900);
        prev = x;
    }
}

/* Spans of single days. */
static size_t days_at(tl_span *out, const char *from, int count, int step)
{
    for (int i = 0; i < count; i++)
        out[i] = (tl_span){day(from) + i * step, day(from) + i * step};
    return (size_t)count;
}

static void test_breaks(void)
{
    /* 2001, 2012, then May 2014 to March 2015 on 1000 units: linear, the
     * last three would be 59 units apart, under a label's width (4 break
     * widths, 120): the decade is cut.  Then every neighbour has room, so
     * the 16 months of 2013 stay although they are a third of what is
     * left. */
    tl_span s[] = {{day("2001-01-01"), day("2001-12-31")},
                   {day("2012-01-01"), day("2012-12-31")},
                   {day("2014-05-01"), day("2014-05-31")},
                   {day("2015-03-17"), day("2015-03-17")}};
    tl_scale sc;
    tl_scale_build(&sc, s, 4, 0, 1000, true, 30);
    CHECK_INT(sc.nseg, 2);
    /* 2001 padded by 11 days (3 % of its 365), the rest by 35 days each side
     * and rounded to months (it spans over three years). */
    CHECK_INT(sc.seg[0].d0, day("2001-01-01") - 11);
    CHECK_INT(sc.seg[0].d1, day("2001-12-31") + 12);
    CHECK_INT(sc.seg[1].d0, day("2011-11-01"));
    CHECK_INT(sc.seg[1].d1, day("2015-05-01"));
    CHECK(fabs(sc.seg[1].x0 - sc.seg[0].x1 - 30) < 1e-9);
    CHECK(fabs(sc.seg[1].x1 - 1000) < 1e-9);
    /* Half by days (387 of 1664), half by events (1 of 4): 970 * 0.24128. */
    double w0 = 970 * (0.5 * 387.0 / 1664.0 + 0.5 * 0.25);
    CHECK(fabs(sc.seg[0].x1 - w0) < 1e-9);
    CHECK(tl_scale_x(&sc, day("2001-07-01")) < sc.seg[0].x1);
    CHECK(tl_scale_x(&sc, day("2012-07-01")) > sc.seg[1].x0);
    /* Linear inside a cluster: equal days, equal distances. */
    double a = tl_scale_x(&sc, day("2014-06-01")), b = tl_scale_x(&sc, day("2014-07-01")),
           cc = tl_scale_x(&sc, day("2014-07-31"));
    CHECK(fabs((b - a) - (cc - b)) < 1e-6);

    /* Ten months between two events that have room on the axis: nothing
     * needs the room, so the gap stays however long it is. */
    tl_span near[] = {{day("2014-05-01"), day("2014-05-31")},
                      {day("2015-03-17"), day("2015-03-17")}};
    tl_scale_build(&sc, near, 2, 0, 1000, true, 30);
    CHECK_INT(sc.nseg, 1);

    /* Without breaks: one linear segment. */
    tl_scale_build(&sc, s, 4, 0, 1000, false, 30);
    CHECK_INT(sc.nseg, 1);

    /* Evenly spread events: every gap is a fifteenth of the range, under
     * the eighth a break needs, however crowded. */
    tl_span even[15];
    days_at(even, "2000-01-01", 15, 365);
    tl_scale_build(&sc, even, 15, 0, 300, true, 30);
    CHECK_INT(sc.nseg, 1);

    /* All on one day. */
    tl_span one = {day("2014-11-24"), day("2014-11-24")};
    tl_scale_build(&sc, &one, 1, 0, 500, true, 30);
    CHECK_INT(sc.nseg, 1);
    CHECK(tl_scale_x(&sc, one.lo + 0.5) > 0 && tl_scale_x(&sc, one.lo + 0.5) < 500);
}

/* The case that made breaks follow the data: a week of forty events inside
 * seven months, with two events in the spring.  Linear, the week got 30 of
 * 960 units; with a break at each long gap it gets most of the axis. */
static void test_breaks_dense_week(void)
{
    tl_span s[42];
    s[0] = (tl_span){day("2020-01-10"), day("2020-01-10")};
    s[1] = (tl_span){day("2020-03-02"), day("2020-03-02")};
    for (int i = 0; i < 40; i++)
        s[2 + i] = (tl_span){day("2020-07-20") + i % 7, day("2020-07-20") + i % 7};
    tl_scale sc;
    tl_scale_build(&sc, s, 42, 0, 960, false, 22);
    double week = tl_scale_x(&sc, day("2020-07-27")) - tl_scale_x(&sc, day("2020-07-20"));
    CHECK(week < 32);
    tl_scale_build(&sc, s, 42, 0, 960, true, 22);
    /* Both gaps cut (4 months and 7 weeks, each over an eighth of what is
     * shown).  Clusters of 3, 3 and 9 days (each padded a day) holding 1, 1
     * and 40 events share 916 units half by days, half by events. */
    CHECK_INT(sc.nseg, 3);
    CHECK_INT(sc.seg[0].d0, day("2020-01-09"));
    CHECK_INT(sc.seg[0].d1, day("2020-01-12"));
    CHECK_INT(sc.seg[1].d0, day("2020-03-01"));
    CHECK_INT(sc.seg[1].d1, day("2020-03-04"));
    CHECK_INT(sc.seg[2].d0, day("2020-07-19"));
    CHECK_INT(sc.seg[2].d1, day("2020-07-28"));
    double lone = 916 * (0.5 * 3 / 15 + 0.5 / 42), dense = 916 * (0.5 * 9 / 15 + 0.5 * 40 / 42);
    CHECK(fabs(sc.seg[0].x1 - lone) < 1e-9);
    CHECK(fabs(sc.seg[1].x1 - sc.seg[1].x0 - lone) < 1e-9);
    CHECK(fabs(sc.seg[2].x1 - 960) < 1e-9);
    week = tl_scale_x(&sc, day("2020-07-27")) - tl_scale_x(&sc, day("2020-07-20"));
    CHECK(fabs(week - dense * 7 / 9) < 1e-9);
    CHECK(week > 960 / 2);
}

/* A short gap is never a break, however crowded the chart: two dense
 * months five days apart keep one linear axis. */
static void test_breaks_short_gap(void)
{
    tl_span s[60];
    size_t n = days_at(s, "2020-01-01", 30, 1);
    n += days_at(s + n, "2020-02-05", 30, 1);
    tl_scale sc;
    tl_scale_build(&sc, s, n, 0, 1000, true, 30);
    CHECK_INT(sc.nseg, 1);

    /* The same months 150 days apart: the gap is cut, and each month gets
     * half of the axis. */
    n = days_at(s, "2020-01-01", 30, 1);
    n += days_at(s + n, "2020-07-01", 30, 1);
    tl_scale_build(&sc, s, n, 0, 1000, true, 30);
    CHECK_INT(sc.nseg, 2);
    CHECK(fabs(sc.seg[0].x1 - 485) < 1e-9);
    CHECK(fabs(sc.seg[1].x0 - 515) < 1e-9);

    /* On a narrow column, at most the breaks whose clusters all keep
     * MIN_SEGMENT_W (48) next to a 30-unit break: one in 150 units. */
    n = days_at(s, "2000-01-01", 10, 1);
    n += days_at(s + n, "2005-01-01", 10, 1);
    n += days_at(s + n, "2010-01-01", 10, 1);
    tl_scale_build(&sc, s, n, 0, 150, true, 30);
    CHECK_INT(sc.nseg, 2);
    tl_scale_build(&sc, s, n, 0, 1000, true, 30);
    CHECK_INT(sc.nseg, 3);
}

int main(void)
{
    test_ticks();
    test_mapping();
    test_breaks();
    test_breaks_dense_week();
    test_breaks_short_gap();
    return check_report("test_scale");
}
