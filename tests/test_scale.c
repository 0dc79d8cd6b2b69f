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

static void test_breaks(void)
{
    /* 2001, 2012, then May 2014 to March 2015: two breaks (ten years, then
     * sixteen months, each over a quarter of what remains); the ten months
     * between May 2014 and March 2015 are under a year and stay. */
    tl_span s[] = {{day("2001-01-01"), day("2001-12-31")},
                   {day("2012-01-01"), day("2012-12-31")},
                   {day("2014-05-01"), day("2014-05-31")},
                   {day("2015-03-17"), day("2015-03-17")}};
    tl_scale sc;
    tl_scale_build(&sc, s, 4, 0, 1000, true, 30);
    CHECK_INT(sc.nseg, 3);
    CHECK(fabs(sc.seg[1].x0 - sc.seg[0].x1 - 30) < 1e-9);
    CHECK(fabs(sc.seg[2].x0 - sc.seg[1].x1 - 30) < 1e-9);
    CHECK(tl_scale_x(&sc, day("2001-07-01")) < sc.seg[0].x1);
    CHECK(tl_scale_x(&sc, day("2012-07-01")) > sc.seg[1].x0);
    CHECK(tl_scale_x(&sc, day("2012-07-01")) < sc.seg[1].x1);
    CHECK(tl_scale_x(&sc, day("2014-05-15")) > sc.seg[2].x0);
    CHECK(tl_scale_x(&sc, day("2015-03-17")) < sc.seg[2].x1);
    /* Clusters share the width half by days, half by events: the three
     * clusters each cover about a year, and the one with two events gets
     * the most room. */
    double w0 = sc.seg[0].x1 - sc.seg[0].x0, w1 = sc.seg[1].x1 - sc.seg[1].x0,
           w2 = sc.seg[2].x1 - sc.seg[2].x0;
    CHECK(w2 > w0 * 1.2 && w2 > w1 * 1.2);
    CHECK(fabs(w0 + w1 + w2 + 2 * 30 - 1000) < 1e-6);
    /* Linear inside a cluster: equal days, equal distances. */
    double a = tl_scale_x(&sc, day("2014-06-01")), b = tl_scale_x(&sc, day("2014-07-01")),
           cc = tl_scale_x(&sc, day("2014-07-31"));
    CHECK(fabs((b - a) - (cc - b)) < 1e-6);

    /* Ten months between two events is not cut out. */
    tl_span near[] = {{day("2014-05-01"), day("2014-05-31")},
                      {day("2015-03-17"), day("2015-03-17")}};
    tl_scale_build(&sc, near, 2, 0, 1000, true, 30);
    CHECK_INT(sc.nseg, 1);

    /* Without breaks: one linear segment. */
    tl_scale_build(&sc, s, 4, 0, 1000, false, 30);
    CHECK_INT(sc.nseg, 1);

    /* Evenly spread events: no break. */
    tl_span even[15];
    for (int i = 0; i < 15; i++)
        even[i] = (tl_span){day("2000-01-01") + i * 365, day("2000-01-01") + i * 365};
    tl_scale_build(&sc, even, 15, 0, 1000, true, 30);
    CHECK_INT(sc.nseg, 1);

    /* All on one day. */
    tl_span one = {day("2014-11-24"), day("2014-11-24")};
    tl_scale_build(&sc, &one, 1, 0, 500, true, 30);
    CHECK_INT(sc.nseg, 1);
    CHECK(tl_scale_x(&sc, one.lo + 0.5) > 0 && tl_scale_x(&sc, one.lo + 0.5) < 500);
}

int main(void)
{
    test_ticks();
    test_mapping();
    test_breaks();
    return check_report("test_scale");
}
