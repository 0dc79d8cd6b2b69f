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

/* The scale's tick labels joined by '|' into out; checks that ticks come
 * in order and that no two labels come within 8 units. */
static void tick_labels(const tl_scale *sc, char *out, size_t size)
{
    tl_tick t[256];
    size_t n = tl_scale_ticks(sc, char_width, NULL, 8, t, 256);
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

/* Builds a one-span scale over [lo, hi] on 800 units and returns the labels
 * joined by '|'. */
static void labels_for(const char *lo, const char *hi, double width, char *out, size_t size)
{
    tl_span s = {day(lo), day(hi)};
    tl_scale sc;
    tl_scale_build(&sc, &s, 1, 0, width, true, 20);
    tick_labels(&sc, out, size);
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

/* ---- Times of day and deep time ----------------------------------------- */

/* Labels of a timed scale over [lo, hi) given as instants (ISO date-times),
 * fitted as a chart of timed events is, on the clock of `zone`; also checks that
 * the labels are in order and never touch. */
static void clock_labels(const char *lo, const char *hi, int zone, double width, char *out,
                         size_t size)
{
    tl_date a, b;
    CHECK(tl_date_parse(lo, &a, NULL, 0, NULL));
    CHECK(tl_date_parse(hi, &b, NULL, 0, NULL));
    int64_t a0, a1, b0, b1;
    tl_date_instants(&a, &a0, &a1);
    tl_date_instants(&b, &b0, &b1);
    tl_span s = {a.earliest, b.latest};
    tl_scale sc;
    tl_scale_build(&sc, &s, 1, 0, width, true, 20);
    sc.tz = zone;
    sc.timed = true;
    /* The axis runs on the zone's clock: the layout shifts instants so. */
    double shift = (double)zone * 60;
    tl_scale_fit(&sc, ((double)a0 + shift) / 86400, ((double)b1 + 1 + shift) / 86400);
    tick_labels(&sc, out, size);
}

static void test_clock_ticks(void)
{
    char got[4096];
    /* A day and a bit around the Moon landing, in UTC: three hours, the
     * day named at midnight, the zone in the first label. */
    clock_labels("1969-07-20T17:44Z", "1969-07-21T21:35Z", 0, 800, got, sizeof got);
    CHECK_STR(got, "Sun 20 Jul 18:00 UTC|21:00|Mon 21 Jul|03:00|06:00|09:00|12:00|15:00|"
                   "18:00|21:00");
    /* The same hours at +09:00: the labels follow the zone. */
    clock_labels("1969-07-20T17:44Z", "1969-07-21T21:35Z", 9 * 60, 800, got, sizeof got);
    CHECK(strncmp(got, "Mon 21 Jul 03:00 +09:00|06:00|", 30) == 0);
    CHECK(strstr(got, "|Tue 22 Jul|") != NULL);
    /* Forty minutes: five minutes. */
    clock_labels("2014-11-24T09:00+09:00", "2014-11-24T09:40+09:00", 9 * 60, 800, got,
                 sizeof got);
    CHECK_STR(got, "Mon 24 Nov 09:00 +09:00|09:05|09:10|09:15|09:20|09:25|09:30|09:35|09:40");
    /* Two minutes on a wide axis: seconds. */
    clock_labels("2014-11-24T09:00:00Z", "2014-11-24T09:02:00Z", 0, 1600, got, sizeof got);
    CHECK_STR(got, "Mon 24 Nov 08:59:45 UTC|09:00:00|09:00:15|09:00:30|09:00:45|09:01:00|"
                   "09:01:15|09:01:30|09:01:45|09:02:00|09:02:15");
    /* The same two minutes on a narrow axis: fewer labels, none touching. */
    clock_labels("2014-11-24T09:00:00Z", "2014-11-24T09:02:00Z", 0, 300, got, sizeof got);
    CHECK_STR(got, "Mon 24 Nov 09:00 UTC|09:01|09:02");
    /* A scale not marked timed never ticks in hours. */
    labels_for("2015-03-16", "2015-03-18", 800, got, sizeof got);
    CHECK(strchr(got, ':') == NULL);
}

static void test_deep_ticks(void)
{
    char got[2048];
    /* From the Earth's forming to today: billions of years. */
    labels_for("Y-4540000000", "2000", 800, got, sizeof got);
    CHECK_STR(got, "4.5 Ga|4 Ga|3.5 Ga|3 Ga|2.5 Ga|2 Ga|1.5 Ga|1 Ga|500 Ma|2000");
    /* The Cretaceous: millions of years. */
    labels_for("Y-145000000", "Y-66000000", 800, got, sizeof got);
    CHECK_STR(got, "145 Ma|140 Ma|135 Ma|130 Ma|125 Ma|120 Ma|115 Ma|110 Ma|105 Ma|100 Ma|"
                   "95 Ma|90 Ma|85 Ma|80 Ma|75 Ma|70 Ma|65 Ma");
    /* The last glacial period: ka. */
    labels_for("Y-115000", "Y-10000", 800, got, sizeof got);
    CHECK(strstr(got, "110 ka|100 ka|90 ka|80 ka|70 ka|60 ka|50 ka|40 ka|30 ka|20 ka") != NULL);
    /* Across -9999: BCE years on a calendar step. */
    labels_for("Y-10500", "-9000", 800, got, sizeof got);
    CHECK(strstr(got, "BCE") != NULL);
    /* Years beyond 9999 ahead. */
    labels_for("9000", "Y12000", 800, got, sizeof got);
    CHECK(strstr(got, "10000|") != NULL);
}

/* Tick labels in the chart's language. */
static void test_tick_languages(void)
{
    tl_span one_year = {day("2014-01-01"), day("2014-12-31")};
    tl_scale sc;
    tl_tick t[256];
    char got[2048];
    static const struct { int lang; const char *start; } years[] = {
        {TL_LANG_FR, "janv. 2014|févr.|mars|avr.|mai|juin|juil.|août|sept.|oct.|nov.|déc."},
        {TL_LANG_JA, "2014年1月|2月|3月|4月|5月|6月|7月|8月|9月|10月|11月|12月"},
        {TL_LANG_KO, "2014년 1월|2월|3월|4월|5월|6월|7월|8월|9월|10월|11월|12월"},
    };
    for (size_t k = 0; k < sizeof years / sizeof years[0]; k++) {
        tl_scale_build(&sc, &one_year, 1, 0, 800, true, 20);
        sc.lang = years[k].lang;
        size_t n = tl_scale_ticks(&sc, char_width, NULL, 8, t, 256);
        got[0] = '\0';
        for (size_t i = 0; i < n; i++) {
            if (!t[i].label[0])
                continue;
            if (got[0])
                strncat(got, "|", sizeof got - strlen(got) - 1);
            strncat(got, t[i].label, sizeof got - strlen(got) - 1);
        }
        CHECK(strstr(got, years[k].start) != NULL);
        if (!strstr(got, years[k].start))
            fprintf(stderr, "  got %s\n", got);
    }
    /* A clock axis in Chinese names the day its own way. */
    tl_date a, b;
    CHECK(tl_date_parse("1969-07-20T17:44Z", &a, NULL, 0, NULL));
    CHECK(tl_date_parse("1969-07-21T21:35Z", &b, NULL, 0, NULL));
    int64_t a0, a1, b0, b1;
    tl_date_instants(&a, &a0, &a1);
    tl_date_instants(&b, &b0, &b1);
    tl_span s = {a.earliest, b.latest};
    tl_scale_build(&sc, &s, 1, 0, 800, true, 20);
    sc.timed = true;
    sc.lang = TL_LANG_ZH;
    tl_scale_fit(&sc, (double)a0 / 86400, ((double)b1 + 1) / 86400);
    size_t n = tl_scale_ticks(&sc, char_width, NULL, 8, t, 256);
    got[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (!t[i].label[0])
            continue;
        if (got[0])
            strncat(got, "|", sizeof got - strlen(got) - 1);
        strncat(got, t[i].label, sizeof got - strlen(got) - 1);
    }
    CHECK_STR(got, "7月20日 周日 18:00 UTC|21:00|7月21日 周一|03:00|06:00|09:00|12:00|15:00|"
                   "18:00|21:00");
}

/* The instant of an ISO date-time, in fractional days. */
static double instant(const char *iso)
{
    tl_date d;
    CHECK(tl_date_parse(iso, &d, NULL, 0, NULL));
    int64_t a, b;
    tl_date_instants(&d, &a, &b);
    return (double)a / 86400;
}

/* The tick labels of a scale, joined by '|', after checking that they are
 * in order and never touch. */
static void scale_labels(const tl_scale *sc, char *out, size_t size)
{
    tl_tick t[256];
    size_t n = tl_scale_ticks(sc, char_width, NULL, 8, t, 256);
    out[0] = '\0';
    double prev_right = -INFINITY, prev_x = -INFINITY;
    bool apart = true, sorted = true;
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
    CHECK(apart);
    CHECK(sorted);
}

/* A three-day incident, busy 09:00-18:00 each day (a minute every 90
 * minutes), quiet at night.  Linear on 960 units, neighbours are 25 units
 * apart, under a label's room (80): each night (15 hours, a quarter of the
 * 57 hours shown) becomes a break, and each day gets a third of the axis. */
static void test_breaks_nights(void)
{
    static const char *const days[] = {"2014-11-24", "2014-11-25", "2014-11-26"};
    static const char *const times[] = {"09:00", "10:30", "12:00", "13:30",
                                        "15:00", "16:30", "18:00"};
    tl_dspan s[21];
    size_t n = 0;
    for (int d = 0; d < 3; d++)
        for (int t = 0; t < 7; t++) {
            char iso[32];
            snprintf(iso, sizeof iso, "%sT%sZ", days[d], times[t]);
            double a = instant(iso);
            s[n++] = (tl_dspan){a, a + 60.0 / 86400};
        }
    tl_scale sc;
    tl_scale_build_timed(&sc, s, n, 0, 960, true, 20);
    CHECK_INT(sc.nseg, 3);
    /* Each day 09:00 to 18:01, padded by a twentieth of its 9 h 1 min. */
    double pad = (9.0 / 24 + 1.0 / 1440) * 0.05;
    for (int k = 0; k < 3; k++) {
        char iso[32];
        snprintf(iso, sizeof iso, "%sT09:00Z", days[k]);
        CHECK(fabs(sc.seg[k].d0 - (instant(iso) - pad)) < 1e-9);
        snprintf(iso, sizeof iso, "%sT18:01Z", days[k]);
        CHECK(fabs(sc.seg[k].d1 - (instant(iso) + pad)) < 1e-9);
        /* Equal days, equal events: (960 - 2 breaks of 20) / 3 each. */
        CHECK(fabs(sc.seg[k].x0 - k * (920.0 / 3 + 20)) < 1e-9);
        CHECK(fabs(sc.seg[k].x1 - sc.seg[k].x0 - 920.0 / 3) < 1e-9);
    }
    /* Noon of the second day in the middle of the middle third. */
    CHECK(fabs(tl_scale_x(&sc, instant("2014-11-25T13:30:30Z")) - 480) < 1e-6);

    /* The tick labels: hours, and after each break the day again. */
    char got[2048];
    sc.timed = true;
    scale_labels(&sc, got, sizeof got);
    CHECK_STR(got, "Mon 24 Nov 09:00 UTC|12:00|15:00|Tue 25 Nov 09:00|12:00|15:00|"
                   "Wed 26 Nov 09:00|12:00|15:00|18:00");

    /* The same days with room to spare (two events a day on 960 units):
     * nothing is crowded, the axis stays linear. */
    tl_dspan few[] = {s[0], s[6], s[7], s[13], s[14], s[20]};
    tl_scale_build_timed(&sc, few, 6, 0, 960, true, 20);
    CHECK_INT(sc.nseg, 1);
    /* Without breaks: linear, padded by a twentieth of the 57 h 1 min. */
    tl_scale_build_timed(&sc, s, n, 0, 960, false, 20);
    CHECK_INT(sc.nseg, 1);
    CHECK(fabs(sc.seg[0].d0 - (s[0].lo - (s[20].hi - s[0].lo) * 0.05)) < 1e-9);
}

/* A year as a span of days; `years_ago` counted back from 2000. */
static tl_span year_ago(int64_t years_ago)
{
    tl_day d = tl_days_from_civil(2000 - years_ago, 1, 1);
    return (tl_span){d, tl_days_from_civil(2001 - years_ago, 1, 1) - 1};
}

/* Where an event's mark goes: the middle of its span. */
static double mid(tl_span s)
{
    return ((double)s.lo + (double)s.hi + 1) / 2;
}

/* Deep time and history on one axis: the Earth's age, the eons, the mass
 * extinctions, 300 ka and 1969.  The gap after 2.5 Ga is an eighth of the
 * range; the 66 million years after the Cretaceous are a twentieth of it
 * but 220 times the 300,000 years beside them; inside those, the gap
 * before 1969 is all of the range.  So: four segments, one per scale. */
static void test_breaks_scales(void)
{
    tl_span s[] = {
        year_ago(4540000000LL),
        {year_ago(4000000000LL).lo, year_ago(2500000000LL).hi},
        year_ago(3700000000LL), year_ago(2400000000LL), year_ago(538800000),
        year_ago(443800000), year_ago(372200000),
        {year_ago(251902000).lo, year_ago(66000000).hi},
        year_ago(201400000), year_ago(66000000), year_ago(300000),
        {day("1969-07-20"), day("1969-07-20")},
    };
    size_t n = sizeof s / sizeof s[0];
    tl_scale sc;
    tl_scale_build(&sc, s, n, 0, 1200, true, 24);
    CHECK_INT(sc.nseg, 4);
    /* The breaks: after the Great Oxidation, after the Cretaceous, after
     * 300 ka. */
    CHECK(sc.seg[0].d1 < s[3].lo + 1e11 && sc.seg[1].d0 > s[3].hi + 1e11);
    CHECK(sc.seg[1].d0 < s[4].lo && sc.seg[1].d1 > s[9].hi && sc.seg[1].d1 < s[10].lo);
    CHECK(sc.seg[2].d0 < s[10].lo && sc.seg[2].d1 > s[10].hi && sc.seg[2].d1 < s[11].lo);
    /* 1969 alone is shown within its year, from January 1969 to January
     * 1970 (the year around its day, to whole months). */
    CHECK_INT(sc.seg[3].d0, day("1969-01-01"));
    CHECK_INT(sc.seg[3].d1, day("1970-02-01"));
    /* 300 ka and 1969 each get a label's room (4 break widths, 96): 1969
     * is that far from 300 ka, and 300 ka half that plus the break from
     * the Cretaceous at the end of its segment. */
    double xk = tl_scale_x(&sc, mid(s[9])), xh = tl_scale_x(&sc, mid(s[10])),
           xa = tl_scale_x(&sc, mid(s[11]));
    CHECK(xh - xk >= 48 + 24 - 1e-9);
    CHECK(xa - xh >= 96 - 1e-9);
    CHECK(fabs(sc.seg[3].x1 - 1200) < 1e-9);
    char got[2048];
    scale_labels(&sc, got, sizeof got);
    /* Each scale ticks in its own unit, and 300 ka and 1969 in years. */
    CHECK_STR(got, "4.6 Ga|4.4 Ga|4.2 Ga|4 Ga|3.8 Ga|3.6 Ga|3.4 Ga|3.2 Ga|3 Ga|2.8 Ga|"
                   "2.6 Ga|2.4 Ga|500 Ma|400 Ma|300 Ma|200 Ma|100 Ma|300 ka|1969");

    /* Without the oldest half the range is 540 million years and the gap
     * after 66 Ma is an eighth of it: an ordinary break, and 300 ka and
     * 1969 still apart. */
    tl_scale_build(&sc, s + 4, n - 4, 0, 1200, true, 24);
    CHECK(sc.nseg >= 2);
    CHECK(tl_scale_x(&sc, mid(s[11])) - tl_scale_x(&sc, mid(s[10])) >= 96 - 1e-9);
}

/* A gap between scales found among many longer ones: forty events every
 * 100 million years (none an eighth of the range, so no ordinary break),
 * then 66 Ma, 300 ka, 1969 and 1970.  The 300,000 years before 1969 are
 * shorter than forty other gaps but 300,000 times the year of 1969-70:
 * they are cut, and the three become distinct.  The 66 million years
 * after the Cretaceous would be cut too, but the width the last cluster
 * would take from the forty crowded events costs them more than it gives. */
static void test_breaks_scales_many(void)
{
    tl_span s[44];
    size_t n = 0;
    for (int k = 0; k < 40; k++)
        s[n++] = year_ago(4500000000LL - (int64_t)k * 100000000LL);
    s[n++] = year_ago(66000000);
    s[n++] = year_ago(300000);
    s[n++] = (tl_span){day("1969-07-20"), day("1969-07-20")};
    s[n++] = (tl_span){day("1970-04-13"), day("1970-04-13")};
    tl_scale sc;
    tl_scale_build(&sc, s, n, 0, 1200, true, 24);
    CHECK_INT(sc.nseg, 2);
    CHECK(sc.seg[0].d1 > s[41].hi && sc.seg[0].d1 < s[42].lo);
    /* 1969 and 1970 in their own, a label's room (96) per event. */
    CHECK(sc.seg[1].d0 < s[42].lo && sc.seg[1].d1 > s[43].hi);
    CHECK(fabs(sc.seg[1].x1 - sc.seg[1].x0 - 2 * 96) < 1e-9);
    CHECK(tl_scale_x(&sc, mid(s[42])) - tl_scale_x(&sc, mid(s[41])) >= 24);
    CHECK(tl_scale_x(&sc, mid(s[43])) - tl_scale_x(&sc, mid(s[42])) >= 24);

    /* The same without the last three: nothing of another scale, no break. */
    tl_scale_build(&sc, s, 41, 0, 1200, true, 24);
    CHECK_INT(sc.nseg, 1);
}

int main(void)
{
    test_ticks();
    test_mapping();
    test_breaks();
    test_breaks_dense_week();
    test_breaks_short_gap();
    test_clock_ticks();
    test_deep_ticks();
    test_tick_languages();
    test_breaks_nights();
    test_breaks_scales();
    test_breaks_scales_many();
    return check_report("test_scale");
}
