/* test_date.c — calendar arithmetic, every written date form, labels, ISO
 * text, error messages with their offsets, ordering and bounded dates. */
#include "check.h"
#include "date.h"
#include "model.h"
#include "zone.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ISO text of a day, ".." for an open side; a static buffer per slot so
 * two may appear in one CHECK. */
static const char *iso_day(tl_day z, int slot)
{
    static char buf[2][32];
    tl_day_iso(z, buf[slot], sizeof buf[slot]);
    return buf[slot];
}

static tl_date parse_ok(const char *s)
{
    tl_date d;
    char err[256];
    size_t off;
    if (!tl_date_parse(s, &d, err, sizeof err, &off)) {
        fprintf(stderr, "unexpected failure parsing '%s': %s (at %zu)\n", s, err, off);
        CHECK(0);
    }
    return d;
}

/* ---- Day arithmetic ----------------------------------------------------- */

static void test_leap_and_month_lengths(void)
{
    CHECK(tl_is_leap(2000));
    CHECK(!tl_is_leap(1900));
    CHECK(tl_is_leap(2024));
    CHECK(!tl_is_leap(2023));
    CHECK(!tl_is_leap(2100));
    CHECK(tl_is_leap(0));      /* 1 BCE */
    CHECK(tl_is_leap(-4));     /* 5 BCE */
    CHECK(!tl_is_leap(-100));
    CHECK(tl_is_leap(-400));
    CHECK(!tl_is_leap(-1));
    CHECK_INT(tl_days_in_month(2024, 2), 29);
    CHECK_INT(tl_days_in_month(1900, 2), 28);
    CHECK_INT(tl_days_in_month(2000, 2), 29);
    CHECK_INT(tl_days_in_month(-4, 2), 29);
    CHECK_INT(tl_days_in_month(2015, 4), 30);
    CHECK_INT(tl_days_in_month(2015, 12), 31);
    CHECK_INT(tl_days_in_month(2015, 0), 0);
    CHECK_INT(tl_days_in_month(2015, 13), 0);
}

static void test_known_days(void)
{
    CHECK_INT(tl_days_from_civil(1970, 1, 1), 0);
    CHECK_INT(tl_days_from_civil(1969, 12, 31), -1);
    CHECK_INT(tl_days_from_civil(2000, 1, 1), 10957);
    CHECK_INT(tl_days_from_civil(2000, 3, 1), 11017);
    CHECK_INT(tl_days_from_civil(0, 3, 1), -719468);
    CHECK_INT(tl_days_from_civil(2015, 3, 17), 16511);
    CHECK_INT(tl_days_from_civil(1, 1, 1), -719162);
    /* Months and days outside their range carry over. */
    CHECK_INT(tl_days_from_civil(2014, 13, 1), tl_days_from_civil(2015, 1, 1));
    CHECK_INT(tl_days_from_civil(2015, 0, 1), tl_days_from_civil(2014, 12, 1));
    CHECK_INT(tl_days_from_civil(2015, 3, 0), tl_days_from_civil(2015, 2, 28));
    CHECK_INT(tl_days_from_civil(2015, -11, 1), tl_days_from_civil(2014, 1, 1));

    int32_t y;
    int m, d;
    tl_civil_from_days(-719468, &y, &m, &d);
    CHECK(y == 0 && m == 3 && d == 1);
    tl_civil_from_days(16511, &y, &m, &d);
    CHECK(y == 2015 && m == 3 && d == 17);
    tl_civil_from_days(-1, &y, &m, &d);
    CHECK(y == 1969 && m == 12 && d == 31);
    /* The sentinels convert without overflow. */
    tl_civil_from_days(TL_DAY_OPEN_MIN, &y, &m, &d);
    CHECK(m >= 1 && m <= 12 && d >= 1 && d <= 31 && y < TL_YEAR_MIN);
    tl_civil_from_days(TL_DAY_OPEN_MAX, &y, &m, &d);
    CHECK(m >= 1 && m <= 12 && d >= 1 && d <= 31 && y > TL_YEAR_MAX);

    char buf[32];
    tl_day_iso(0, buf, sizeof buf);
    CHECK_STR(buf, "1970-01-01");
    tl_day_iso(tl_days_from_civil(-499, 1, 1), buf, sizeof buf);
    CHECK_STR(buf, "-0499-01-01");
    tl_day_iso(tl_days_from_civil(476, 9, 4), buf, sizeof buf);
    CHECK_STR(buf, "0476-09-04");
    tl_day_iso(TL_DAY_OPEN_MIN, buf, sizeof buf);
    CHECK_STR(buf, "..");
    CHECK_INT(tl_day_iso(16511, buf, 5), 10);
    CHECK_STR(buf, "2015");
}

/* Every day of -9999..9999: consecutive numbers, and back again. */
static void test_round_trip_all_days(void)
{
    tl_day expect = tl_days_from_civil(TL_YEAR_MIN, 1, 1);
    long bad = 0, days = 0;
    for (int32_t y = TL_YEAR_MIN; y <= TL_YEAR_MAX; y++) {
        for (int m = 1; m <= 12; m++) {
            int dim = tl_days_in_month(y, m);
            for (int d = 1; d <= dim; d++, expect++, days++) {
                tl_day z = tl_days_from_civil(y, m, d);
                int32_t yy;
                int mm, dd;
                tl_civil_from_days(z, &yy, &mm, &dd);
                if (z != expect || yy != y || mm != m || dd != d || tl_weekday(z) !=
                    (int)((((int64_t)z + 3) % 7 + 7) % 7)) {
                    if (bad++ < 5)
                        fprintf(stderr, "round trip failed at %d-%d-%d (day %d)\n", (int)y, m,
                                d, (int)z);
                }
            }
        }
    }
    CHECK_INT(bad, 0);
    /* 19999 years, 4849 of them leap years. */
    CHECK_INT(days, 7304484);
    CHECK_INT(tl_days_from_civil(TL_YEAR_MAX, 12, 31) - tl_days_from_civil(TL_YEAR_MIN, 1, 1) + 1,
              days);
}

static void test_weekdays(void)
{
    CHECK_INT(tl_weekday(0), 3);                                /* Thu 1970-01-01 */
    CHECK_INT(tl_weekday(-1), 2);                               /* Wed 1969-12-31 */
    CHECK_INT(tl_weekday(tl_days_from_civil(2015, 3, 17)), 1);  /* Tuesday */
    CHECK_INT(tl_weekday(tl_days_from_civil(2000, 1, 1)), 5);   /* Saturday */
    CHECK_INT(tl_weekday(tl_days_from_civil(2024, 2, 29)), 3);  /* Thursday */
    CHECK_INT(tl_weekday(tl_days_from_civil(1970, 1, 5)), 0);   /* Monday */
    CHECK_INT(tl_weekday(tl_days_from_civil(1582, 10, 15)), 4); /* Friday */
    CHECK_INT(tl_weekday(tl_days_from_civil(1, 1, 1)), 0);      /* Monday */
    int w = tl_weekday(TL_DAY_OPEN_MIN);
    CHECK(w >= 0 && w <= 6);
    w = tl_weekday(TL_DAY_OPEN_MAX);
    CHECK(w >= 0 && w <= 6);
}

/* ---- Parsing: the forms ------------------------------------------------- */

typedef struct form {
    const char *text;
    const char *earliest, *latest;   /* ISO days, ".." when open */
    int prec;                        /* of lo, or of hi when lo is open */
    int qual;
    int is_range;
    const char *label, *iso;
} form;

static const form forms[] = {
    {"2015-03-17", "2015-03-17", "2015-03-17", TL_PREC_DAY, 0, 0, "17 Mar 2015", "2015-03-17"},
    {"2015-06-01", "2015-06-01", "2015-06-01", TL_PREC_DAY, 0, 0, "1 Jun 2015", "2015-06-01"},
    {"2015-09-30", "2015-09-30", "2015-09-30", TL_PREC_DAY, 0, 0, "30 Sep 2015", "2015-09-30"},
    {"2014-05", "2014-05-01", "2014-05-31", TL_PREC_MONTH, 0, 0, "May 2014", "2014-05"},
    {"2014-02", "2014-02-01", "2014-02-28", TL_PREC_MONTH, 0, 0, "Feb 2014", "2014-02"},
    {"2024-02", "2024-02-01", "2024-02-29", TL_PREC_MONTH, 0, 0, "Feb 2024", "2024-02"},
    {"2014-12", "2014-12-01", "2014-12-31", TL_PREC_MONTH, 0, 0, "Dec 2014", "2014-12"},
    {"2014-Q2", "2014-04-01", "2014-06-30", TL_PREC_QUARTER, 0, 0, "Q2 2014", "2014-Q2"},
    {"2014-q4", "2014-10-01", "2014-12-31", TL_PREC_QUARTER, 0, 0, "Q4 2014", "2014-Q4"},
    {"2014-Q1", "2014-01-01", "2014-03-31", TL_PREC_QUARTER, 0, 0, "Q1 2014", "2014-Q1"},
    {"2014", "2014-01-01", "2014-12-31", TL_PREC_YEAR, 0, 0, "2014", "2014"},
    {"2001", "2001-01-01", "2001-12-31", TL_PREC_YEAR, 0, 0, "2001", "2001"},
    {"early 2015", "2015-01-01", "2015-04-30", TL_PREC_PART, 0, 0, "early 2015", "early 2015"},
    {"Mid 2015", "2015-05-01", "2015-08-31", TL_PREC_PART, 0, 0, "mid 2015", "mid 2015"},
    {"LATE  2015", "2015-09-01", "2015-12-31", TL_PREC_PART, 0, 0, "late 2015", "late 2015"},
    {"early -0499", "-0499-01-01", "-0499-04-30", TL_PREC_PART, 0, 0, "early 500 BCE",
     "early -0499"},
    {"201X", "2010-01-01", "2019-12-31", TL_PREC_DECADE, 0, 0, "2010s", "201X"},
    {"199X", "1990-01-01", "1999-12-31", TL_PREC_DECADE, 0, 0, "1990s", "199X"},
    {"19XX", "1900-01-01", "1999-12-31", TL_PREC_CENTURY, 0, 0, "1900s", "19XX"},
    {"04XX", "0400-01-01", "0499-12-31", TL_PREC_CENTURY, 0, 0, "400s", "04XX"},
    {"000X", "0000-01-01", "0009-12-31", TL_PREC_DECADE, 0, 0, "0s", "000X"},
    /* Years BCE and below 1000. */
    {"-0499", "-0499-01-01", "-0499-12-31", TL_PREC_YEAR, 0, 0, "500 BCE", "-0499"},
    {"0000", "0000-01-01", "0000-12-31", TL_PREC_YEAR, 0, 0, "1 BCE", "0000"},
    {"0001", "0001-01-01", "0001-12-31", TL_PREC_YEAR, 0, 0, "1", "0001"},
    {"0476", "0476-01-01", "0476-12-31", TL_PREC_YEAR, 0, 0, "476", "0476"},
    {"-0043-03-15", "-0043-03-15", "-0043-03-15", TL_PREC_DAY, 0, 0, "15 Mar 44 BCE",
     "-0043-03-15"},
    {"-9999", "-9999-01-01", "-9999-12-31", TL_PREC_YEAR, 0, 0, "10000 BCE", "-9999"},
    {"9999-12-31", "9999-12-31", "9999-12-31", TL_PREC_DAY, 0, 0, "31 Dec 9999", "9999-12-31"},
    /* Leap days. */
    {"2000-02-29", "2000-02-29", "2000-02-29", TL_PREC_DAY, 0, 0, "29 Feb 2000", "2000-02-29"},
    {"2024-02-29", "2024-02-29", "2024-02-29", TL_PREC_DAY, 0, 0, "29 Feb 2024", "2024-02-29"},
    {"-0004-02-29", "-0004-02-29", "-0004-02-29", TL_PREC_DAY, 0, 0, "29 Feb 5 BCE",
     "-0004-02-29"},
    {"0000-02-29", "0000-02-29", "0000-02-29", TL_PREC_DAY, 0, 0, "29 Feb 1 BCE", "0000-02-29"},
    /* Circa: one unit of the precision on each side, into Y-years too. */
    {"~2012", "2011-01-01", "2013-12-31", TL_PREC_YEAR, TL_Q_APPROX, 0, "c. 2012", "~2012"},
    {"~ 2012", "2011-01-01", "2013-12-31", TL_PREC_YEAR, TL_Q_APPROX, 0, "c. 2012", "~2012"},
    {"c. 2012", "2011-01-01", "2013-12-31", TL_PREC_YEAR, TL_Q_APPROX, 0, "c. 2012", "~2012"},
    {"c.2012", "2011-01-01", "2013-12-31", TL_PREC_YEAR, TL_Q_APPROX, 0, "c. 2012", "~2012"},
    {"C. 2012", "2011-01-01", "2013-12-31", TL_PREC_YEAR, TL_Q_APPROX, 0, "c. 2012", "~2012"},
    {"ca. 2012", "2011-01-01", "2013-12-31", TL_PREC_YEAR, TL_Q_APPROX, 0, "c. 2012", "~2012"},
    {"ca.2012", "2011-01-01", "2013-12-31", TL_PREC_YEAR, TL_Q_APPROX, 0, "c. 2012", "~2012"},
    {"circa 2012", "2011-01-01", "2013-12-31", TL_PREC_YEAR, TL_Q_APPROX, 0, "c. 2012", "~2012"},
    {"Circa 2012", "2011-01-01", "2013-12-31", TL_PREC_YEAR, TL_Q_APPROX, 0, "c. 2012", "~2012"},
    {"2012~", "2011-01-01", "2013-12-31", TL_PREC_YEAR, TL_Q_APPROX, 0, "c. 2012", "~2012"},
    {"~2015-03-17", "2015-03-16", "2015-03-18", TL_PREC_DAY, TL_Q_APPROX, 0, "c. 17 Mar 2015",
     "~2015-03-17"},
    {"2015-01-01~", "2014-12-31", "2015-01-02", TL_PREC_DAY, TL_Q_APPROX, 0, "c. 1 Jan 2015",
     "~2015-01-01"},
    {"2014-05~", "2014-04-01", "2014-06-30", TL_PREC_MONTH, TL_Q_APPROX, 0, "c. May 2014",
     "~2014-05"},
    {"~2014-01", "2013-12-01", "2014-02-28", TL_PREC_MONTH, TL_Q_APPROX, 0, "c. Jan 2014",
     "~2014-01"},
    {"2014-Q1~", "2013-10-01", "2014-06-30", TL_PREC_QUARTER, TL_Q_APPROX, 0, "c. Q1 2014",
     "~2014-Q1"},
    {"~early 2015", "2014-09-01", "2015-08-31", TL_PREC_PART, TL_Q_APPROX, 0, "c. early 2015",
     "~early 2015"},
    {"late 2015~", "2015-05-01", "2016-04-30", TL_PREC_PART, TL_Q_APPROX, 0, "c. late 2015",
     "~late 2015"},
    {"~201X", "2000-01-01", "2029-12-31", TL_PREC_DECADE, TL_Q_APPROX, 0, "c. 2010s", "~201X"},
    {"19XX~", "1800-01-01", "2099-12-31", TL_PREC_CENTURY, TL_Q_APPROX, 0, "c. 1900s", "~19XX"},
    /* Circa is clamped to the supported years. */
    {"~-9999", "Y-10000-01-01", "-9998-12-31", TL_PREC_YEAR, TL_Q_APPROX, 0, "c. 10000 BCE",
     "~-9999"},
    {"~9999", "9998-01-01", "Y10000-12-31", TL_PREC_YEAR, TL_Q_APPROX, 0, "c. 9999", "~9999"},
    {"~-9999-01-01", "Y-10000-12-31", "-9999-01-02", TL_PREC_DAY, TL_Q_APPROX, 0,
     "c. 1 Jan 10000 BCE", "~-9999-01-01"},
    /* Uncertain, and both. */
    {"2012?", "2012-01-01", "2012-12-31", TL_PREC_YEAR, TL_Q_UNCERTAIN, 0, "2012?", "2012?"},
    {"2014-05?", "2014-05-01", "2014-05-31", TL_PREC_MONTH, TL_Q_UNCERTAIN, 0, "May 2014?",
     "2014-05?"},
    {"2012%", "2011-01-01", "2013-12-31", TL_PREC_YEAR, TL_Q_APPROX | TL_Q_UNCERTAIN, 0,
     "c. 2012?", "~2012?"},
    {"~2012?", "2011-01-01", "2013-12-31", TL_PREC_YEAR, TL_Q_APPROX | TL_Q_UNCERTAIN, 0,
     "c. 2012?", "~2012?"},
    /* Intervals. */
    {"2014-11/2015-01-13", "2014-11-01", "2015-01-13", TL_PREC_MONTH, 0, 1,
     "between Nov 2014 and 13 Jan 2015", "2014-11/2015-01-13"},
    {"2014-05/2014", "2014-05-01", "2014-12-31", TL_PREC_MONTH, 0, 1,
     "between May 2014 and 2014", "2014-05/2014"},
    {"early 2015/late 2015", "2015-01-01", "2015-12-31", TL_PREC_PART, 0, 1,
     "between early 2015 and late 2015", "early 2015/late 2015"},
    {"~2012/2014?", "2011-01-01", "2014-12-31", TL_PREC_YEAR, TL_Q_APPROX | TL_Q_UNCERTAIN, 1,
     "between c. 2012 and 2014?", "~2012/2014?"},
    {"-0499/-0400", "-0499-01-01", "-0400-12-31", TL_PREC_YEAR, 0, 1,
     "between 500 BCE and 401 BCE", "-0499/-0400"},
    {"2015-03-17/2015-03-17", "2015-03-17", "2015-03-17", TL_PREC_DAY, 0, 1,
     "between 17 Mar 2015 and 17 Mar 2015", "2015-03-17/2015-03-17"},
    {"../2015", "..", "2015-12-31", TL_PREC_YEAR, 0, 1, "before 2015", "../2015"},
    {"/2015", "..", "2015-12-31", TL_PREC_YEAR, 0, 1, "until 2015 (start unknown)", "/2015"},
    {"../2015-03", "..", "2015-03-31", TL_PREC_MONTH, 0, 1, "before Mar 2015", "../2015-03"},
    {"2014/..", "2014-01-01", "..", TL_PREC_YEAR, 0, 1, "after 2014", "2014/.."},
    {"2014/", "2014-01-01", "..", TL_PREC_YEAR, 0, 1, "from 2014 (end unknown)", "2014/"},
    {"~2014/..", "2013-01-01", "..", TL_PREC_YEAR, TL_Q_APPROX, 1, "after c. 2014", "~2014/.."},
};

static int date_prec(const tl_date *d) { return d->lo.open ? d->hi.prec : d->lo.prec; }

static void test_forms(void)
{
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        const form *f = &forms[i];
        int before = check_fail_;
        tl_date d = parse_ok(f->text);
        char label[128], iso[128];
        CHECK_STR(iso_day(d.earliest, 0), f->earliest);
        CHECK_STR(iso_day(d.latest, 1), f->latest);
        CHECK_INT(date_prec(&d), f->prec);
        CHECK_INT(d.qual, f->qual);
        CHECK_INT(d.is_range, f->is_range);
        CHECK_INT(tl_date_label(&d, label, sizeof label), strlen(f->label));
        CHECK_STR(label, f->label);
        CHECK_INT(tl_date_iso(&d, iso, sizeof iso), strlen(f->iso));
        CHECK_STR(iso, f->iso);
        if (!d.is_range) {
            /* A single date is one point, covering first..last unwidened. */
            CHECK(memcmp(&d.lo, &d.hi, sizeof d.lo) == 0);
            CHECK(!d.lo.open);
            CHECK(d.lo.first <= d.lo.last);
            CHECK(d.earliest <= d.lo.first && d.latest >= d.lo.last);
        } else {
            CHECK(d.lo.open == (strcmp(f->earliest, "..") == 0));
            CHECK(d.hi.open == (strcmp(f->latest, "..") == 0));
        }
        /* The ISO text reads back as the same date. */
        tl_date again = parse_ok(iso);
        char iso2[128];
        tl_date_iso(&again, iso2, sizeof iso2);
        CHECK_STR(iso2, iso);
        CHECK_INT(again.earliest, d.earliest);
        CHECK_INT(again.latest, d.latest);
        CHECK_INT(again.qual, d.qual);
        CHECK_INT(tl_date_cmp(&again, &d), 0);
        if (check_fail_ != before)
            fprintf(stderr, "  in form '%s'\n", f->text);
    }
}

static void test_point_fields(void)
{
    tl_date d = parse_ok("2014-Q3");
    CHECK_INT(d.lo.year, 2014);
    CHECK_INT(d.lo.month, 0);
    CHECK_INT(d.lo.day, 0);
    CHECK_INT(d.lo.sub, 3);
    d = parse_ok("late 2015");
    CHECK_INT(d.lo.sub, 3);
    d = parse_ok("2015-03-17");
    CHECK(d.lo.year == 2015 && d.lo.month == 3 && d.lo.day == 17);
    d = parse_ok("201X");
    CHECK_INT(d.lo.year, 2010);
    d = parse_ok("19XX");
    CHECK_INT(d.lo.year, 1900);
    /* Circa widens the date, not the point. */
    d = parse_ok("~2012");
    CHECK_INT(d.lo.first, tl_days_from_civil(2012, 1, 1));
    CHECK_INT(d.lo.last, tl_days_from_civil(2012, 12, 31));
    CHECK_INT(d.lo.qual, TL_Q_APPROX);
    /* Open sides: the sentinels, and the other side's qualifiers only. */
    d = parse_ok("../2015?");
    CHECK(d.lo.open && !d.hi.open);
    CHECK_INT(d.earliest, TL_DAY_OPEN_MIN);
    CHECK_INT(d.lo.first, TL_DAY_OPEN_MIN);
    CHECK_INT(d.lo.qual, 0);
    CHECK_INT(d.hi.qual, TL_Q_UNCERTAIN);
    CHECK_INT(d.qual, TL_Q_UNCERTAIN);
    d = parse_ok("2014/..");
    CHECK_INT(d.latest, TL_DAY_OPEN_MAX);
    CHECK_INT(d.hi.last, TL_DAY_OPEN_MAX);
    CHECK_INT(d.lo.last, tl_days_from_civil(2014, 12, 31));
}

/* ---- Parsing: errors ---------------------------------------------------- */

typedef struct bad {
    const char *text;
    size_t off;
    const char *msg;
} bad;

#define FORMS "expected a form like 2015-03-17, 2014-05, 2014-Q2, 2014, early 2015, ~2012 " \
              "or 2014-11/2015-01-13"

static const bad bads[] = {
    {"2015-02-30", 8, "invalid date '2015-02-30' — February 2015 has 28 days"},
    {"1900-02-29", 8, "invalid date '1900-02-29' — February 1900 has 28 days"},
    {"2100-02-29", 8, "invalid date '2100-02-29' — February 2100 has 28 days"},
    {"-0001-02-29", 9, "invalid date '-0001-02-29' — February -0001 has 28 days"},
    {"2015-04-31", 8, "invalid date '2015-04-31' — April 2015 has 30 days"},
    {"2015-01-32", 8, "invalid date '2015-01-32' — January 2015 has 31 days"},
    {"2015-01-00", 8, "invalid date '2015-01-00' — days start at 01"},
    {"2015-13", 5, "invalid month 13 in '2015-13' — months are 01 to 12 (seasons 21 to 24)"},
    {"2015-00", 5, "invalid month 00 in '2015-00' — months are 01 to 12 (seasons 21 to 24)"},
    {"2015-13-01", 5, "invalid month 13 in '2015-13-01' — months are 01 to 12 (seasons 21 to 24)"},
    {" 2015-13 ", 0, "cannot read '2015-13' as a date — remove the blank before it"},
    {"2015-13 ", 7, "cannot read '2015-13' as a date — remove the blank after it"},
    {"2014-11 / 2015", 7, "cannot read '2014-11 / 2015' as a date — an interval is written "
                          "without blanks around its '/', as in 2014-11/2015-01-13"},
    {"2014-11/ 2015", 8, "cannot read '2014-11/ 2015' as a date — an interval is written "
                         "without blanks around its '/', as in 2014-11/2015-01-13"},
    {"1863-03 -29", 7, "cannot read '1863-03 -29' as a date — unexpected ' -29' after '1863-03'"},
    {"-0000", 0, "invalid year '-0000' — year zero has no sign: write 0000"},
    {"199x", 0, "invalid year '199x' — write unspecified digits with a capital X, as in 201X"},
    {"2004-xx", 5, "invalid date '2004-xx' — write unspecified digits with a capital X, as in "
                   "2004-XX"},
    {"2004-X1", 5, "invalid date '2004-X1' — an unspecified month is written XX; one X of two "
                   "is EDTF Level 2, which is not supported"},
    {"2004-XX-05", 8, "invalid date '2004-XX-05' — a known day in an unspecified month is EDTF "
                      "Level 2, which is not supported"},
    {"2001-25", 5, "season 25 in '2001-25' is EDTF Level 2, which is not supported — Level 1 "
                   "seasons are 21 spring, 22 summer, 23 autumn and 24 winter"},
    {"2001-21-05", 7, "cannot read '2001-21-05' as a date — unexpected '-05' after '2001-21'"},
    {"2012-24/2012-21", 8, "invalid interval '2012-24/2012-21' — it ends before it begins"},
    {"y170000002", 0, "invalid year 'y170000002' — write the Y of a long year as a capital, as in "
                      "Y-66000000"},
    {"Y9999", 0, "invalid year 'Y9999' — Y is for years beyond four digits: write 9999"},
    {"Y-00001", 2, "invalid year 'Y-00001' — a Y-year has no leading zero"},
    {"Y17E7", 3, "invalid year 'Y17…' — exponents and significant digits are EDTF Level 2, "
                 "which is not supported: write the year in full"},
    {"Y999999999999", 0, "year 'Y999999999999' is out of range — Y-years run from "
                         "Y-99999999999 to Y99999999999"},
    {"1985-04-12t23:20", 10, "invalid date '1985-04-12t23:20' — write the T before a time as a "
                             "capital, as in 2014-11-24T09:00"},
    {"1985-04-12T23:20:30z", 19, "invalid zone in '1985-04-12T23:20:30z' — write UTC as a "
                                 "capital Z"},
    {"2012-10-10T10:10:1", 17, "invalid time in '2012-10-10T10:10:1' — write hours, minutes and "
                               "seconds with two digits each, as in T09:05:00"},
    {"2012-10-10T25:00", 11, "invalid time in '2012-10-10T25:00' — hours run from 00 to 23 "
                             "(24:00 is the end of the day)"},
    {"2012-10-10T10:60", 11, "invalid time in '2012-10-10T10:60' — minutes and seconds run from "
                             "00 to 59"},
    {"2004-01-01T10:10:10-05:60", 19, "invalid zone in '2004-01-01T10:10:10-05:60' — offsets run "
                                      "from -12:00 to +14:00"},
    {"2004-01-01T10:10:10+15", 19, "invalid zone in '2004-01-01T10:10:10+15' — offsets run from "
                                   "-12:00 to +14:00"},
    {"2004-01-01T10:10:10-00:00", 19, "invalid zone in '2004-01-01T10:10:10-00:00' — write a "
                                      "zero offset as Z or +00:00"},
    {"2004-01-01T10:10:10Z10", 20, "cannot read '2004-01-01T10:10:10Z10' as a date — unexpected "
                                   "'10' after '2004-01-01T10:10:10Z'"},
    {"2015-3", 5, "invalid month '3' in '2015-3' — write months with two digits, 01 to 12"},
    {"2015-123", 5, "invalid month '123' in '2015-123' — write months with two digits, 01 to 12"},
    {"2015-03-7", 8, "invalid day '7' in '2015-03-7' — write days with two digits, 01 to 31"},
    {"2015-03-", 8, "cannot read '2015-03-' as a date — expected a day (01 to 31) after the month"},
    {"2015-", 5, "cannot read '2015-' as a date — expected a month (01 to 12), a season (21 to "
                 "24) or a quarter (Q1 to Q4) after the year"},
    {"2014-Q5", 5, "invalid quarter Q5 in '2014-Q5' — quarters are Q1 to Q4"},
    {"2014-Q0", 5, "invalid quarter Q0 in '2014-Q0' — quarters are Q1 to Q4"},
    {"2014-Q12", 5, "invalid quarter Q12 in '2014-Q12' — quarters are Q1 to Q4"},
    {"2014-Q", 5, "invalid quarter in '2014-Q' — quarters are Q1 to Q4"},
    {"yesterday", 0, "cannot read 'yesterday' as a date — " FORMS},
    {"  yesterday ", 0, "cannot read 'yesterday' as a date — remove the blank before it"},
    {"X", 0, "cannot read 'X' as a date — " FORMS},
    {"May 2014", 0, "cannot read 'May 2014' as a date — " FORMS},
    {"", 0, "empty date — " FORMS},
    {" \t ", 0, "empty date — " FORMS},
    {"476", 0, "invalid year '476' — write years with four digits, e.g. 0476"},
    {"-44", 0, "invalid year '-44' — write years with four digits, e.g. -0044"},
    {"0", 0, "invalid year '0' — write years with four digits, e.g. 0000"},
    {"476-05", 0, "invalid year '476' — write years with four digits, e.g. 0476"},
    {"02015", 0, "invalid year '02015' — write years with four digits, e.g. 2015"},
    {"10000", 0, "invalid year '10000' — years beyond four digits are written as Y-years, as in "
                 "Y10000"},
    {"-10000", 0, "invalid year '-10000' — years beyond four digits are written as Y-years, as in "
                  "Y-10000"},
    {"99999999999999999999", 0, "year 99999999999999999999 is out of range — years run from "
                                "Y-99999999999 to Y99999999999"},
    {"20150317", 0, "cannot read '20150317' as a date — write it with hyphens, as in 2015-03-17"},
    {"2X14", 0, "invalid year '2X14' — unspecified digits there are EDTF Level 2, which is not "
                "supported: only the last one or two digits (201X, 19XX) or all four (XXXX) may "
                "be X"},
    {"2XXX", 0, "invalid year '2XXX' — unspecified digits there are EDTF Level 2, which is not "
                "supported: only the last one or two digits (201X, 19XX) or all four (XXXX) may "
                "be X"},
    {"19X", 0, "invalid year '19X' — write a decade as 201X and a century as 19XX"},
    {"201X-05", 5, "invalid date '201X-05' — a known month in a year with X is EDTF Level 2, "
                   "which is not supported"},
    {"2015-03-17x", 10, "cannot read '2015-03-17x' as a date — unexpected 'x' after '2015-03-17'"},
    {"2015 AD", 4, "cannot read '2015 AD' as a date — unexpected ' AD' after '2015'"},
    {"2012~~", 5, "cannot read '2012~~' as a date — unexpected '~' after '2012~'"},
    {"2012?~", 5, "cannot read '2012?~' as a date — unexpected '~' after '2012?'"},
    {"early", 5, "cannot read 'early' as a date — expected a year after 'early', as in early 2015"},
    {"mid spring", 4,
     "cannot read 'mid spring' as a date — expected a year after 'mid', as in mid 2015"},
    {"early2015", 0, "cannot read 'early2015' as a date — " FORMS},
    {"~", 1, "cannot read '~' as a date — expected a year after '~', as in ~2015"},
    {"c. ", 2, "cannot read 'c.' as a date — remove the blank after it"},
    {"c.", 2, "cannot read 'c.' as a date — expected a year after 'c.', as in c. 2015"},
    {"circa 20th century", 6, "invalid year '20' — write years with four digits, e.g. 0020"},
    {"circa", 0, "cannot read 'circa' as a date — " FORMS},
    {"circa ", 5, "cannot read 'circa' as a date — remove the blank after it"},
    {"circa x", 6, "cannot read 'circa x' as a date — expected a year after 'circa', as in circa "
                   "2015"},
    {"early 201X", 6,
     "invalid date 'early 201X' — early, mid and late take a year, as in early 2015"},
    {"early 2015-05", 10,
     "cannot read 'early 2015-05' as a date — unexpected '-05' after 'early 2015'"},
    {"2014/2015/2016", 9, "cannot read '2014/2015/2016' as a date — an interval has one '/', "
                          "between its start and its end"},
    {"2014//2015", 5, "cannot read '2014//2015' as a date — an interval has one '/', between its "
                      "start and its end"},
    {"../..", 0, "cannot read '../..' as a date — an interval needs at least one known end, as in "
                 "../2015 or 2014/.."},
    {"/", 0, "cannot read '/' as a date — an interval needs at least one known end, as in "
             "../2015 or 2014/.."},
    {" / ", 0, "cannot read '/' as a date — remove the blank before it"},
    {"..", 0, "cannot read '..' as a date — '..' stands for an open end of an interval, as in "
              "../2015 or 2014/.."},
    {"2015/2014", 5, "invalid interval '2015/2014' — it ends before it begins"},
    {"2015-03-17/2015-03-16", 11,
     "invalid interval '2015-03-17/2015-03-16' — it ends before it begins"},
    {"2014/2015-02-30", 13, "invalid date '2015-02-30' — February 2015 has 28 days"},
    {"yesterday/2015", 0, "cannot read 'yesterday' as a date — " FORMS},
    {"2014/soon", 5, "cannot read 'soon' as a date — " FORMS},
    {"2014/...", 5, "cannot read '...' as a date — " FORMS},
    /* Control bytes and broken UTF-8 are escaped, never shown as '?' (EDTF's
     * "uncertain"). */
    {"\xff", 0, "cannot read '\\xff' as a date — " FORMS},
    {"\x01" "2014", 0, "cannot read '\\x012014' as a date — " FORMS},
    {"early\x1b[2J2014", 0, "cannot read 'early\\x1b[2J2014' as a date — " FORMS},
    {"2014-05\x7f", 7, "cannot read '2014-05\\x7f' as a date — unexpected '\\x7f' after "
     "'2014-05'"},
    {"2014-05-3\xc3", 8, "invalid day '3' in '2014-05-3\\xc3' — write days with two "
     "digits, 01 to 31"},
    {"2014\xe2\x80\x93" "2015", 4,
     "cannot read '2014\xe2\x80\x93" "2015' as a date — unexpected '\xe2\x80\x93" "2015' after "
     "'2014'"},
};

static void test_errors(void)
{
    for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
        const bad *b = &bads[i];
        int before = check_fail_;
        tl_date d;
        char err[512];
        size_t off = 999;
        CHECK(!tl_date_parse(b->text, &d, err, sizeof err, &off));
        CHECK_STR(err, b->msg);
        CHECK_INT(off, b->off);
        CHECK(off <= strlen(b->text));
        if (check_fail_ != before)
            fprintf(stderr, "  in bad date '%s'\n", b->text);
    }

    /* A long input is quoted only in part, cut at a character boundary. */
    char longs[300];
    memset(longs, 'z', sizeof longs - 1);
    longs[sizeof longs - 1] = '\0';
    memcpy(longs + 30, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 24);
    tl_date d;
    char err[512];
    size_t off;
    CHECK(!tl_date_parse(longs, &d, err, sizeof err, &off));
    CHECK(strstr(err, "\xe2\x80\xa6' as a date") != NULL);
    CHECK(strlen(err) < 220);
    /* 40 characters: 30 z and 10 é. */
    CHECK(strstr(err, "'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                      "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xe2\x80\xa6' as") != NULL);

    /* A small or missing message buffer is fine. */
    char tiny[8];
    CHECK(!tl_date_parse("2015-13", &d, tiny, sizeof tiny, &off));
    CHECK_STR(tiny, "invalid");
    CHECK(!tl_date_parse("2015-13", &d, NULL, 0, NULL));
    CHECK(tl_date_parse("2015-12", &d, NULL, 0, NULL));

    /* Out of range is impossible to write, except for circa at the edges,
     * which is clamped (see the forms). */
    CHECK(!tl_date_parse("-9999-01-00", &d, err, sizeof err, &off));
}

/* ---- Labels into small buffers ------------------------------------------ */

static void test_label_buffers(void)
{
    tl_date d = parse_ok("2014-11/2015-01-13");
    char buf[8];
    size_t need = tl_date_label(&d, NULL, 0);
    CHECK_INT(need, strlen("between Nov 2014 and 13 Jan 2015"));
    CHECK_INT(tl_date_label(&d, buf, sizeof buf), need);
    CHECK_STR(buf, "between");
    CHECK_INT(tl_date_iso(&d, buf, sizeof buf), strlen("2014-11/2015-01-13"));
    CHECK_STR(buf, "2014-11");
    buf[0] = 'x';
    CHECK_INT(tl_date_iso(&d, buf, 1), strlen("2014-11/2015-01-13"));
    CHECK_STR(buf, "");
}

/* ---- Ordering ----------------------------------------------------------- */

static const char *const ordered[] = {
    "../2014", "../2015", "-0499", "19XX", "~201X", "201X",
    "2014-01-01", "2014-01", "2014-Q1", "early 2014", "2014", "2014?", "2014/2014",
    "~2015", "2014/..", "2015-03-17", "late 2015",
};
#define NORDERED (sizeof ordered / sizeof ordered[0])

typedef struct item {
    tl_date d;
    size_t rank;
} item;

static int cmp_item(const void *a, const void *b)
{
    return tl_date_cmp(&((const item *)a)->d, &((const item *)b)->d);
}

static void test_ordering(void)
{
    item v[NORDERED];
    uint32_t seed = 12345;
    for (int round = 0; round < 20; round++) {
        for (size_t i = 0; i < NORDERED; i++) {
            v[i].d = parse_ok(ordered[i]);
            v[i].rank = i;
        }
        for (size_t i = NORDERED - 1; i > 0; i--) {
            seed = seed * 1664525u + 1013904223u;
            size_t j = (seed >> 8) % (i + 1);
            item t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        qsort(v, NORDERED, sizeof v[0], cmp_item);
        for (size_t i = 0; i < NORDERED; i++)
            CHECK_STR(ordered[v[i].rank], ordered[i]);
    }
    tl_date a = parse_ok("2014"), b = parse_ok("2014-05");
    CHECK(tl_date_cmp(&a, &b) < 0);
    CHECK(tl_date_cmp(&b, &a) > 0);
    CHECK_INT(tl_date_cmp(&a, &a), 0);
    /* Same interval: the finer precision first. */
    a = parse_ok("2014-01-01/2014-12-31");
    b = parse_ok("2014");
    CHECK(tl_date_cmp(&a, &b) < 0);
}

/* ---- Bounded dates ------------------------------------------------------ */

static void test_bounded(void)
{
    tl_date a = parse_ok("2014-11"), b = parse_ok("2015-01-13"), d;
    char err[256], label[128], iso[128];
    CHECK(tl_date_bounded(&a, &b, &d, err, sizeof err));
    CHECK(d.is_range);
    CHECK_STR(iso_day(d.earliest, 0), "2014-11-01");
    CHECK_STR(iso_day(d.latest, 1), "2015-01-13");
    tl_date_label(&d, label, sizeof label);
    CHECK_STR(label, "between Nov 2014 and 13 Jan 2015");
    tl_date_iso(&d, iso, sizeof iso);
    CHECK_STR(iso, "2014-11/2015-01-13");
    /* The same as the interval written in one scalar. */
    tl_date p = parse_ok("2014-11/2015-01-13");
    CHECK_INT(tl_date_cmp(&d, &p), 0);
    CHECK(memcmp(&d.lo, &p.lo, sizeof d.lo) == 0 && memcmp(&d.hi, &p.hi, sizeof d.hi) == 0);

    CHECK(tl_date_bounded(&a, NULL, &d, err, sizeof err));
    tl_date_label(&d, label, sizeof label);
    CHECK_STR(label, "after Nov 2014");
    CHECK_INT(d.earliest, tl_days_from_civil(2014, 11, 1));
    CHECK_INT(d.latest, TL_DAY_OPEN_MAX);
    CHECK(!d.lo.open && d.hi.open);
    tl_date_iso(&d, iso, sizeof iso);
    CHECK_STR(iso, "2014-11/..");

    CHECK(tl_date_bounded(NULL, &b, &d, err, sizeof err));
    tl_date_label(&d, label, sizeof label);
    CHECK_STR(label, "before 13 Jan 2015");
    CHECK_INT(d.earliest, TL_DAY_OPEN_MIN);
    CHECK_INT(d.latest, tl_days_from_civil(2015, 1, 13));

    /* Qualifiers merge; circa widens its own side. */
    a = parse_ok("~2012");
    b = parse_ok("2014?");
    CHECK(tl_date_bounded(&a, &b, &d, err, sizeof err));
    CHECK_INT(d.qual, TL_Q_APPROX | TL_Q_UNCERTAIN);
    CHECK_INT(d.earliest, tl_days_from_civil(2011, 1, 1));
    CHECK_INT(d.latest, tl_days_from_civil(2014, 12, 31));
    tl_date_label(&d, label, sizeof label);
    CHECK_STR(label, "between c. 2012 and 2014?");

    /* Overlapping sides are fine; reversed ones are not. */
    a = parse_ok("2014");
    b = parse_ok("2014-03");
    CHECK(tl_date_bounded(&a, &b, &d, err, sizeof err));
    a = parse_ok("2015");
    b = parse_ok("2014");
    CHECK(!tl_date_bounded(&a, &b, &d, err, sizeof err));
    CHECK_STR(err, "'before: 2014' ends before 'after: 2015' begins — the earlier date goes under "
                   "'after'");
    CHECK(!tl_date_bounded(NULL, NULL, &d, err, sizeof err));
    CHECK_STR(err, "a bounded date needs 'after', 'before' or both");
    a = parse_ok("2012/2013");
    b = parse_ok("2015");
    CHECK(!tl_date_bounded(&a, &b, &d, err, sizeof err));
    CHECK_STR(err, "'after' is an interval — 'after' and 'before' each take one date");
    CHECK(!tl_date_bounded(&b, &a, &d, NULL, 0));
}

/* ---- Robustness --------------------------------------------------------- */

/* Random strings over the date alphabet: never a crash, and anything that
 * parses is a sane interval whose ISO text parses back to it. */
static void test_random_strings(void)
{
    static const char alpha[] = "0123456789-/~?%.Xx Qq earlymidtcirca\t\xff\xc3\xa9";
    uint32_t seed = 42;
    long accepted = 0, insane = 0, unstable = 0;
    for (int i = 0; i < 300000; i++) {
        char s[24];
        seed = seed * 1664525u + 1013904223u;
        size_t n = (seed >> 16) % (sizeof s);
        for (size_t k = 0; k < n; k++) {
            seed = seed * 1664525u + 1013904223u;
            /* Mostly digits and dashes, so that some strings are dates. */
            uint32_t r = seed >> 8;
            s[k] = r % 3 ? "0123456789-"[r / 3 % 11] : alpha[r / 3 % (sizeof alpha - 1)];
        }
        s[n] = '\0';
        if (i % 7 == 0 && n >= 4)
            memcpy(s, "2014", 4);
        tl_date d;
        char err[256], iso[128];
        size_t off = 0;
        if (!tl_date_parse(s, &d, err, sizeof err, &off)) {
            if (off > n || err[0] == '\0' || !strstr(err, " — "))
                insane++;
            continue;
        }
        accepted++;
        if (d.earliest > d.latest)
            insane++;
        tl_date_iso(&d, iso, sizeof iso);
        tl_date again;
        if (!tl_date_parse(iso, &again, err, sizeof err, &off) ||
            tl_date_cmp(&again, &d) != 0 || again.qual != d.qual) {
            if (unstable++ < 5)
                fprintf(stderr, "'%s' reads back differently from '%s'\n", iso, s);
        }
    }
    CHECK(accepted > 1000);
    CHECK_INT(insane, 0);
    CHECK_INT(unstable, 0);
}

/* ---- EDTF conformance ---------------------------------------------------- */

/* Reads one list of tests/data/edtf: every string is expected to parse
 * (want_ok) or to be refused, except the lines marked " #! why", which
 * are deliberate departures and must do the opposite.  Adds to the
 * counts: strings that behave as the validators say, and departures. */
static void edtf_list(const char *path, bool want_ok, int *agree, int *total, int *departs)
{
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '\0' || line[0] == '#')
            continue;
        char *mark = strstr(line, " #! ");
        bool depart = mark != NULL;
        if (mark)
            *mark = '\0';
        char *text = line;
        size_t n = strlen(line);
        if (n >= 2 && line[0] == '"' && line[n - 1] == '"') {
            line[n - 1] = '\0';
            text = line + 1;
        }
        tl_date d;
        char err[256];
        size_t off = 0;
        bool ok = tl_date_parse(text, &d, err, sizeof err, &off);
        (*total)++;
        if (ok == want_ok)
            (*agree)++;
        else
            (*departs)++;
        if (ok != (want_ok != depart))
            fprintf(stderr, "%s: '%s' %s%s%s\n", path, text, ok ? "accepted" : "refused: ",
                    ok ? "" : err, depart ? " (listed as a departure)" : "");
        CHECK(ok == (want_ok != depart));
        /* A refusal points inside the text. */
        CHECK(ok || off <= strlen(text));
    }
    fclose(f);
}

static void test_edtf_lists(void)
{
    static const struct { const char *path; bool ok; } lists[] = {
        {"tests/data/edtf/level0-valid.txt", true},
        {"tests/data/edtf/level1-valid.txt", true},
        {"tests/data/edtf/invalid.txt", false},
    };
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        int agree = 0, total = 0, departs = 0;
        edtf_list(lists[i].path, lists[i].ok, &agree, &total, &departs);
        printf("EDTF %s: %d of %d as the validators say, %d deliberate departures\n",
               lists[i].path, agree, total, departs);
        CHECK(total > 50);
    }
}

/* A sample of the EDTF forms read as the specification means: exact
 * bounds, in days and for times in seconds. */
typedef struct edtf_bound {
    const char *text;
    const char *earliest, *latest;
    int prec;
    const char *label, *iso;
} edtf_bound;

static const edtf_bound edtf_bounds[] = {
    {"2001-21", "2001-03-01", "2001-05-31", TL_PREC_SEASON, "spring 2001", "2001-21"},
    {"2001-22", "2001-06-01", "2001-08-31", TL_PREC_SEASON, "summer 2001", "2001-22"},
    {"2001-23", "2001-09-01", "2001-11-30", TL_PREC_SEASON, "autumn 2001", "2001-23"},
    {"2000-24", "2000-12-01", "2001-02-28", TL_PREC_SEASON, "winter 2000\xE2\x80\x93" "01",
     "2000-24"},
    {"2003-24", "2003-12-01", "2004-02-29", TL_PREC_SEASON, "winter 2003\xE2\x80\x93" "04",
     "2003-24"},
    {"-2004-23", "-2004-09-01", "-2004-11-30", TL_PREC_SEASON, "autumn 2005 BCE", "-2004-23"},
    {"1952-23~", "1952-06-01", "1953-02-28", TL_PREC_SEASON, "c. autumn 1952", "~1952-23"},
    {"201X", "2010-01-01", "2019-12-31", TL_PREC_DECADE, "2010s", "201X"},
    {"20XX", "2000-01-01", "2099-12-31", TL_PREC_CENTURY, "2000s", "20XX"},
    {"-20XX", "-2099-01-01", "-2000-12-31", TL_PREC_CENTURY, "2100 BCE\xE2\x80\x93" "2001 BCE",
     "-20XX"},
    {"-201X", "-2019-01-01", "-2010-12-31", TL_PREC_DECADE, "2020 BCE\xE2\x80\x93" "2011 BCE",
     "-201X"},
    {"2004-XX", "2004-01-01", "2004-12-31", TL_PREC_YEAR, "2004", "2004-XX"},
    {"2016-02-XX", "2016-02-01", "2016-02-29", TL_PREC_MONTH, "Feb 2016", "2016-02-XX"},
    {"1985-04-XX", "1985-04-01", "1985-04-30", TL_PREC_MONTH, "Apr 1985", "1985-04-XX"},
    {"1985-XX-XX", "1985-01-01", "1985-12-31", TL_PREC_YEAR, "1985", "1985-XX-XX"},
    {"-1985-XX-XX", "-1985-01-01", "-1985-12-31", TL_PREC_YEAR, "1986 BCE", "-1985-XX-XX"},
    {"XXXX", "0000-01-01", "9999-12-31", TL_PREC_ANY_YEAR, "year unknown", "XXXX"},
    {"XXXX-XX-XX", "0000-01-01", "9999-12-31", TL_PREC_ANY_YEAR, "year unknown", "XXXX-XX-XX"},
    {"Y170000002", "Y170000002-01-01", "Y170000002-12-31", TL_PREC_YEAR, "170,000,002",
     "Y170000002"},
    {"Y-170000002", "Y-170000002-01-01", "Y-170000002-12-31", TL_PREC_YEAR, "170 Ma",
     "Y-170000002"},
    {"Y-12000", "Y-12000-01-01", "Y-12000-12-31", TL_PREC_YEAR, "14 ka", "Y-12000"},
    {"Y10000", "Y10000-01-01", "Y10000-12-31", TL_PREC_YEAR, "10000", "Y10000"},
    {"Y-66000000", "Y-66000000-01-01", "Y-66000000-12-31", TL_PREC_YEAR, "66 Ma", "Y-66000000"},
    {"Y-4540000000", "Y-4540000000-01-01", "Y-4540000000-12-31", TL_PREC_YEAR, "4.54 Ga",
     "Y-4540000000"},
    {"1985-04-12/", "1985-04-12", "..", TL_PREC_DAY, "from 12 Apr 1985 (end unknown)",
     "1985-04-12/"},
    {"/1985-04-12", "..", "1985-04-12", TL_PREC_DAY, "until 12 Apr 1985 (start unknown)",
     "/1985-04-12"},
    {"1985-04-12/..", "1985-04-12", "..", TL_PREC_DAY, "after 12 Apr 1985", "1985-04-12/.."},
    {"1984?/2004-06~", "1984-01-01", "2004-07-31", TL_PREC_YEAR,
     "between 1984? and c. Jun 2004", "1984?/~2004-06"},
    {"1985-04-12T23:20:30", "1985-04-12", "1985-04-12", TL_PREC_SECOND,
     "12 Apr 1985, 23:20:30", "1985-04-12T23:20:30"},
    {"1985-04-12T23:20:30-04", "1985-04-13", "1985-04-13", TL_PREC_SECOND,
     "12 Apr 1985, 23:20:30 -04:00", "1985-04-12T23:20:30-04:00"},
    {"2014-11-24T09:00+09:00", "2014-11-24", "2014-11-24", TL_PREC_MINUTE,
     "24 Nov 2014, 09:00 +09:00", "2014-11-24T09:00+09:00"},
    {"1969-07-20T20:17Z", "1969-07-20", "1969-07-20", TL_PREC_MINUTE, "20 Jul 1969, 20:17 UTC",
     "1969-07-20T20:17Z"},
    {"2016-05-02T24:00:00", "2016-05-03", "2016-05-03", TL_PREC_SECOND, "3 May 2016, 00:00:00",
     "2016-05-03T00:00:00"},
    {"2001-01-01T05+05:30", "2000-12-31", "2001-01-01", TL_PREC_HOUR,
     "1 Jan 2001, 05:00 +05:30", "2001-01-01T05+05:30"},
};

static void test_edtf_bounds(void)
{
    for (size_t i = 0; i < sizeof edtf_bounds / sizeof edtf_bounds[0]; i++) {
        const edtf_bound *f = &edtf_bounds[i];
        int before = check_fail_;
        tl_date d = parse_ok(f->text);
        char label[128], iso[128];
        CHECK_STR(iso_day(d.earliest, 0), f->earliest);
        CHECK_STR(iso_day(d.latest, 1), f->latest);
        CHECK_INT(date_prec(&d), f->prec);
        tl_date_label(&d, label, sizeof label);
        CHECK_STR(label, f->label);
        tl_date_iso(&d, iso, sizeof iso);
        CHECK_STR(iso, f->iso);
        tl_date again = parse_ok(iso);
        CHECK_INT(tl_date_cmp(&again, &d), 0);
        if (check_fail_ != before)
            fprintf(stderr, "  in EDTF sample '%s'\n", f->text);
    }
    /* Open and unknown ends are told apart. */
    tl_date a = parse_ok("1985/"), b = parse_ok("1985/..");
    CHECK(a.hi.open && a.hi.unknown && b.hi.open && !b.hi.unknown);
    CHECK_INT(a.latest, TL_DAY_OPEN_MAX);
    CHECK_INT(b.latest, TL_DAY_OPEN_MAX);
    /* Times: the instants, to the second, in UTC. */
    int64_t lo, hi;
    tl_date t = parse_ok("1969-07-20T20:17Z");
    tl_date_instants(&t, &lo, &hi);
    CHECK_INT(lo, -14182980);
    CHECK_INT(hi, -14182980 + 59);
    t = parse_ok("2014-11-24T09:00+09:00");
    tl_date_instants(&t, &lo, &hi);
    CHECK_INT(lo, tl_days_from_civil(2014, 11, 24) * 86400);
    t = parse_ok("2014-11-24T09");
    tl_date_instants(&t, &lo, &hi);
    CHECK_INT(hi - lo, 3599);
    t = parse_ok("2014-11-24T09:00:00~");
    tl_date_instants(&t, &lo, &hi);
    CHECK_INT(hi - lo, 2);
    /* A calendar day covers its whole UTC day. */
    t = parse_ok("1970-01-02");
    tl_date_instants(&t, &lo, &hi);
    CHECK(lo == 86400 && hi == 2 * 86400 - 1);
    /* A time written without a zone is read at the display zone. */
    t = parse_ok("2014-11-24T09:00");
    tl_date_set_zone(&t, 9 * 60);
    tl_date_instants(&t, &lo, &hi);
    CHECK_INT(lo, tl_days_from_civil(2014, 11, 24) * 86400);
    char buf[64];
    tl_date_iso(&t, buf, sizeof buf);
    CHECK_STR(buf, "2014-11-24T09:00");
    tl_date_label(&t, buf, sizeof buf);
    CHECK_STR(buf, "24 Nov 2014, 09:00 +09:00");
    /* Ordering: a time sorts within its day, after an earlier time. */
    tl_date m = parse_ok("1969-07-20T20:17Z"), n = parse_ok("1969-07-20T20:18Z");
    CHECK(tl_date_cmp(&m, &n) < 0);
    tl_date day = parse_ok("1969-07-20");
    CHECK(tl_date_cmp(&day, &m) < 0);
    /* Deep time orders before history. */
    tl_date k = parse_ok("Y-66000000"), h = parse_ok("-9999");
    CHECK(tl_date_cmp(&k, &h) < 0);
    CHECK_INT(tl_year_of_day(k.earliest), -66000000);
    /* Intervals across the four-digit limit. */
    t = parse_ok("Y-12000/-9999");
    CHECK_STR(iso_day(t.earliest, 0), "Y-12000-01-01");
    CHECK_STR(iso_day(t.latest, 1), "-9999-12-31");
    t = parse_ok("9999/Y10000");
    CHECK_STR(iso_day(t.latest, 1), "Y10000-12-31");
}

/* ---- Zones ---------------------------------------------------------------- */

static void test_zones(void)
{
    int z = 1;
    char err[200], buf[128];
    CHECK(tl_zone_parse("UTC", &z, err, sizeof err) && z == 0);
    CHECK(tl_zone_parse("Z", &z, err, sizeof err) && z == 0);
    CHECK(tl_zone_parse("+09:00", &z, err, sizeof err) && z == 540);
    CHECK(tl_zone_parse("-05:00", &z, err, sizeof err) && z == -300);
    CHECK(tl_zone_parse("+0530", &z, err, sizeof err) && z == 330);
    CHECK(tl_zone_parse("+14", &z, err, sizeof err) && z == 840);
    CHECK(!tl_zone_parse("+15:00", &z, err, sizeof err));
    CHECK(!tl_zone_parse("-00:00", &z, err, sizeof err));
    CHECK(!tl_zone_parse("", &z, err, sizeof err));
    CHECK(!tl_zone_parse("Asia/Seoul", &z, err, sizeof err));
    CHECK_STR(err, "a zone name such as 'Asia/Seoul' is read from a file's 'timezone:' — here "
                   "give UTC or the offset, as in +09:00");
    CHECK(!tl_zone_parse("KST", &z, err, sizeof err));
    CHECK_STR(err, "cannot read 'KST' as a zone — write UTC or an offset from -12:00 to "
                   "+14:00, as in +09:00");
    tl_zone_text(-330, buf, sizeof buf);
    CHECK_STR(buf, "-05:30");

    /* Labels in a display zone, across midnight and across years. */
    tl_date d = parse_ok("2014-11-24T00:30Z");
    tl_date_label_in(&d, 9 * 60, buf, sizeof buf);
    CHECK_STR(buf, "24 Nov 2014, 09:30 +09:00");
    tl_date_label_in(&d, -5 * 60, buf, sizeof buf);
    CHECK_STR(buf, "23 Nov 2014, 19:30 -05:00");
    tl_date_label_in(&d, TL_TZ_NONE, buf, sizeof buf);
    CHECK_STR(buf, "24 Nov 2014, 00:30 UTC");
    d = parse_ok("2000-01-01T02:00+05:00");
    tl_date_label_in(&d, 0, buf, sizeof buf);
    CHECK_STR(buf, "31 Dec 1999, 21:00 UTC");
    d = parse_ok("-9999-01-01T00:00:05Z");
    tl_date_label_in(&d, -60, buf, sizeof buf);
    CHECK_STR(buf, "31 Dec 10001 BCE, 23:00:05 -01:00");
    /* A date without a time is the same in every zone. */
    d = parse_ok("2014-11-24");
    tl_date_label_in(&d, 9 * 60, buf, sizeof buf);
    CHECK_STR(buf, "24 Nov 2014");

    /* Spans: one day shared, or both ends in full. */
    tl_date a = parse_ok("1969-07-21T02:39Z"), b = parse_ok("1969-07-21T05:11Z");
    CHECK_INT(tl_span_label_in(&a, &b, 0, buf, sizeof buf), strlen("21 Jul 1969, 02:39 – 05:11 UTC"));
    CHECK_STR(buf, "21 Jul 1969, 02:39 – 05:11 UTC");
    tl_span_label_in(&a, &b, 9 * 60, buf, sizeof buf);
    CHECK_STR(buf, "21 Jul 1969, 11:39 – 14:11 +09:00");
    tl_span_label_in(&a, &b, -3 * 60, buf, sizeof buf);
    CHECK_STR(buf, "20 Jul 1969, 23:39 -03:00 – 21 Jul 1969, 02:11 -03:00");
    a = parse_ok("2014"), b = parse_ok("2015-03");
    CHECK_INT(tl_span_label_in(&a, &b, 0, buf, sizeof buf), strlen("2014 – Mar 2015"));
    CHECK_STR(buf, "2014 – Mar 2015");
    /* Cut short, it stays terminated and says what it needs. */
    CHECK_INT(tl_span_label_in(&a, &b, 0, buf, 6), strlen("2014 – Mar 2015"));
    CHECK_STR(buf, "2014 ");
}

/* The file's zone: 'timezone:', else the first timed event's, else UTC;
 * times without a zone are read in it. */
static void test_zone_load(void)
{
    static const struct { const char *yaml; int tz; const char *first; } cases[] = {
        {"timezone: +09:00\nevents:\n  - {id: a, date: 2014-11-24T09:00, title: A}\n", 540,
         "2014-11-24T00:00:00Z"},
        {"events:\n  - {id: a, date: 2014-11-24T09:00, title: A}\n"
         "  - {id: b, date: 2014-11-24T10:00-05:00, title: B}\n", -300,
         "2014-11-24T14:00:00Z"},
        {"events:\n  - {id: a, date: 2014-11-24, title: A}\n"
         "  - {id: b, date: 2014-11-24T09:00, title: B}\n", 0, "2014-11-24T00:00:00Z"},
        {"events:\n  - {id: a, date: 2014-11-24T09:00+09:00, title: A}\n", 540,
         "2014-11-24T00:00:00Z"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tl_diag *diag = tl_diag_new();
        tl_doc *doc = NULL;
        CHECK_INT(tl_doc_load_buffer("t.yaml", cases[i].yaml, strlen(cases[i].yaml), &doc, diag),
                  TL_OK);
        if (doc) {
            CHECK_INT(doc->tz, cases[i].tz);
            /* The earliest instant of the events, as UTC text. */
            int64_t lo = INT64_MAX, a, b;
            for (size_t k = 0; k < doc->nevents; k++) {
                tl_date_instants(&doc->events[k].date, &a, &b);
                lo = a < lo ? a : lo;
            }
            tl_date w = parse_ok(cases[i].first);
            tl_date_instants(&w, &a, &b);
            CHECK_INT(lo, a);
        }
        tl_doc_free(doc);
        tl_diag_free(diag);
    }
    /* A zone name is read from the system's zone files when they are
     * there (the tzdata package), and refused where it is written when not. */
    const char *named = "timezone: Asia/Seoul\nevents:\n  - {id: a, date: 2014-11-24T09:00, "
                        "title: A}\n";
    tl_diag *diag = tl_diag_new();
    tl_doc *doc = NULL;
    FILE *sys = fopen(TL_ZONEINFO_DIR "/Asia/Seoul", "rb");
    tl_status st = tl_doc_load_buffer("t.yaml", named, strlen(named), &doc, diag);
    if (sys) {
        fclose(sys);
        CHECK_INT(st, TL_OK);
        if (doc) {
            CHECK_INT(doc->tz, 540);
            CHECK_STR(doc->tz_abbr, "KST");
            char buf[64];
            tl_date_label_tz(&doc->events[0].date, doc->tz, doc->tz_abbr, buf, sizeof buf);
            CHECK_STR(buf, "24 Nov 2014, 09:00 KST");
            int64_t lo, hi;
            tl_date_instants(&doc->events[0].date, &lo, &hi);
            CHECK_INT(lo, tl_days_from_civil(2014, 11, 24) * 86400);
        }
    } else {
        CHECK(st != TL_OK && doc == NULL);
        CHECK_INT(tl_diag_line(diag, 0), 1);
        CHECK_INT(tl_diag_col(diag, 0), 11);
        CHECK(strstr(tl_diag_message(diag, 0), "no zone 'Asia/Seoul'") != NULL);
    }
    tl_doc_free(doc);
    tl_diag_free(diag);
    /* A zone that changes offset among the events is refused. */
    const char *dst = "timezone: Europe/Berlin\nevents:\n  - {id: a, date: 2024-03-30T12:00, "
                      "title: A}\n  - {id: b, date: 2024-04-02T12:00, title: B}\n";
    diag = tl_diag_new();
    doc = NULL;
    sys = fopen(TL_ZONEINFO_DIR "/Europe/Berlin", "rb");
    st = tl_doc_load_buffer("t.yaml", dst, strlen(dst), &doc, diag);
    CHECK(st != TL_OK && doc == NULL);
    CHECK_INT(tl_diag_line(diag, 0), 1);
    if (sys) {
        fclose(sys);
        CHECK_STR(tl_diag_message(diag, 0), "Europe/Berlin changes its offset from UTC within "
                  "these events (+01:00 to +02:00 on 2024-03-31) — a chart shows one offset: "
                  "give one, as in +01:00");
    }
    tl_diag_free(diag);
}

/* Random strings around the newer forms (times, zones, seasons, X, Y-years):
 * every refusal says where and why, every acceptance reads back the same
 * and covers a non-empty span of instants. */
static void test_random_new_forms(void)
{
    static const char *const stems[] = {"1969-07-20T", "Y-", "Y1", "2001-2", "1985-04-",
                                        "XXXX", "-20", "2014-11-24T09:", "../", "/"};
    static const char alpha[] = "0123456789-:+TZYX/.?~%  tzxy";
    uint32_t seed = 7;
    long accepted = 0, insane = 0, unstable = 0;
    for (int i = 0; i < 200000; i++) {
        char s[40];
        seed = seed * 1664525u + 1013904223u;
        const char *stem = stems[(seed >> 16) % (sizeof stems / sizeof stems[0])];
        size_t n = strlen(stem);
        memcpy(s, stem, n);
        seed = seed * 1664525u + 1013904223u;
        size_t more = (seed >> 16) % 14;
        for (size_t k = 0; k < more; k++) {
            seed = seed * 1664525u + 1013904223u;
            uint32_t r = seed >> 8;
            s[n++] = r % 2 ? "0123456789"[r / 2 % 10] : alpha[r / 2 % (sizeof alpha - 1)];
        }
        s[n] = '\0';
        tl_date d;
        char err[256], iso[160], label[256];
        size_t off = 0;
        if (!tl_date_parse(s, &d, err, sizeof err, &off)) {
            if (off > n || err[0] == '\0' || !strstr(err, " — "))
                insane++;
            continue;
        }
        accepted++;
        int64_t lo, hi;
        tl_date_instants(&d, &lo, &hi);
        if (d.earliest > d.latest || lo > hi)
            insane++;
        if (tl_date_label_in(&d, 9 * 60, label, sizeof label) >= sizeof label)
            insane++;
        tl_date_iso(&d, iso, sizeof iso);
        tl_date again;
        if (!tl_date_parse(iso, &again, err, sizeof err, &off) ||
            tl_date_cmp(&again, &d) != 0 || again.qual != d.qual) {
            if (unstable++ < 5)
                fprintf(stderr, "'%s' reads back differently from '%s'\n", iso, s);
        }
    }
    CHECK(accepted > 1000);
    CHECK_INT(insane, 0);
    CHECK_INT(unstable, 0);
}

/* TZif files read from the test copies: offsets, abbreviations, changes,
 * and names that must not leave the directory. */
static void test_zone_files(void)
{
    const char *dir = "tests/data/zoneinfo";
    int off = 0;
    char abbr[8], err[320];
    int64_t t2014 = tl_days_from_civil(2014, 11, 24) * 86400;
    CHECK(tl_zone_named(dir, "Asia/Seoul", t2014, t2014 + 86400, &off, abbr, sizeof abbr, err,
                        sizeof err));
    CHECK_INT(off, 540);
    CHECK_STR(abbr, "KST");
    /* Seoul kept daylight time in 1988 (KDT, +10:00). */
    int64_t t1988 = tl_days_from_civil(1988, 7, 1) * 86400;
    CHECK(tl_zone_named(dir, "Asia/Seoul", t1988, t1988, &off, abbr, sizeof abbr, err,
                        sizeof err));
    CHECK_INT(off, 600);
    CHECK_STR(abbr, "KDT");
    int64_t w = tl_days_from_civil(2024, 1, 15) * 86400, s = tl_days_from_civil(2024, 7, 15) * 86400;
    CHECK(tl_zone_named(dir, "Europe/Berlin", w, w + 3600, &off, abbr, sizeof abbr, err,
                        sizeof err));
    CHECK(off == 60 && strcmp(abbr, "CET") == 0);
    CHECK(tl_zone_named(dir, "Europe/Berlin", s, s, &off, abbr, sizeof abbr, err, sizeof err));
    CHECK(off == 120 && strcmp(abbr, "CEST") == 0);
    CHECK(!tl_zone_named(dir, "Europe/Berlin", w, s, &off, abbr, sizeof abbr, err, sizeof err));
    CHECK_STR(err, "Europe/Berlin changes its offset from UTC within these events (+01:00 to "
                   "+02:00 on 2024-03-31) — a chart shows one offset: give one, as in +01:00");
    /* Past the file's last transition, a zone with daylight rules is not guessed. */
    int64_t far = tl_days_from_civil(2100, 7, 1) * 86400;
    CHECK(!tl_zone_named(dir, "Europe/Berlin", far, far, &off, abbr, sizeof abbr, err,
                         sizeof err) || off == 120);
    static const char *const bad_names[] = {"../../etc/passwd", "/etc/localtime", "Asia//Seoul",
                                            "Asia/.hidden", "", "Asia/Seoul/", "a b"};
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        CHECK(!tl_zone_named(dir, bad_names[i], 0, 0, &off, abbr, sizeof abbr, err, sizeof err));
        CHECK(strstr(err, "is not a zone") != NULL);
    }
    CHECK(!tl_zone_named(dir, "Mars/Olympus", 0, 0, &off, abbr, sizeof abbr, err, sizeof err));
    CHECK_STR(err, "no zone 'Mars/Olympus' in tests/data/zoneinfo — give the offset, as in "
                   "+09:00 (zone names need the tzdata package)");
    CHECK(!tl_zone_named(dir, "README", 0, 0, &off, abbr, sizeof abbr, err, sizeof err));
    CHECK_STR(err, "tests/data/zoneinfo/README is not a zone file");
    /* Every cut of a real file is refused or read, never read past. */
    FILE *f = fopen("tests/data/zoneinfo/Europe/Berlin", "rb");
    CHECK(f != NULL);
    if (f) {
        unsigned char whole[8192];
        size_t n = fread(whole, 1, sizeof whole, f);
        fclose(f);
        char tmpdir[] = "/tmp/tl-zone-XXXXXX";
        if (mkdtemp(tmpdir)) {
            char path[128];
            snprintf(path, sizeof path, "%s/Cut", tmpdir);
            long read_ok = 0;
            for (size_t cut = 0; cut < n; cut += 7) {
                FILE *o = fopen(path, "wb");
                if (!o)
                    break;
                fwrite(whole, 1, cut, o);
                fclose(o);
                read_ok += tl_zone_named(tmpdir, "Cut", s, s, &off, abbr, sizeof abbr, err,
                                         sizeof err);
            }
            remove(path);
            rmdir(tmpdir);
            /* Only a cut that keeps the version 1 block and the version 2
             * header whole could read; the last ones drop the footer. */
            CHECK(read_ok < (long)(n / 7 / 4));
        }
    }
}

/* Filtering by times, and 'language:' read from the file. */
static void test_filter_times_and_language(void)
{
    const char *yaml = "timezone: +09:00\nlanguage: ko\nevents:\n"
                       "  - {id: a, date: 2014-11-24T08:59, title: A}\n"
                       "  - {id: b, date: 2014-11-24T09:00, title: B}\n"
                       "  - {id: c, date: 2014-11-24T10:30Z, title: C}\n"
                       "  - {id: d, date: 2014-11-24, title: D}\n";
    static const struct { const char *from, *to; size_t kept; } cases[] = {
        {"2014-11-24T09:00", NULL, 3},            /* b, c, and the whole day d */
        {"2014-11-24T09:01", "2014-11-24T19:29", 1}, /* d only: c is 19:30 at +09:00 */
        {"2014-11-24T10:30Z", "2014-11-24T10:30Z", 2}, /* c to the minute, and d */
        {NULL, "2014-11-23T23:59:59Z", 1},        /* a: 08:59 at +09:00 is 23:59Z */
        {"2014-11-25", NULL, 0},                  /* a date is its whole UTC day */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tl_diag *diag = tl_diag_new();
        tl_doc *doc = NULL;
        CHECK_INT(tl_doc_load_buffer("t.yaml", yaml, strlen(yaml), &doc, diag), TL_OK);
        tl_filter *f = tl_filter_new();
        CHECK_INT(tl_filter_set_range(f, cases[i].from, cases[i].to, diag), TL_OK);
        if (doc) {
            CHECK_INT(doc->lang, TL_LANG_KO);
            CHECK_INT(tl_doc_filter(doc, f, diag), TL_OK);
            CHECK_INT(tl_doc_event_count(doc), cases[i].kept);
        }
        tl_filter_free(f);
        tl_doc_free(doc);
        tl_diag_free(diag);
    }
    const char *bad_lang = "language: klingon\nevents:\n  - {id: a, date: 2014, title: A}\n";
    tl_diag *diag = tl_diag_new();
    tl_doc *doc = NULL;
    CHECK(tl_doc_load_buffer("t.yaml", bad_lang, strlen(bad_lang), &doc, diag) != TL_OK);
    CHECK_STR(tl_diag_message(diag, 0), "'language' takes en, fr, de, es, zh, ja or ko");
    CHECK_INT(tl_diag_col(diag, 0), 11);
    tl_doc_free(doc);
    tl_diag_free(diag);
}

/* --tz with a zone name: read against the document's times at render. */
static void test_tz_option_names(void)
{
    const char *yaml = "events:\n  - {id: a, date: 2014-11-24T00:30Z, title: A}\n";
    tl_diag *diag = tl_diag_new();
    tl_doc *doc = NULL;
    CHECK_INT(tl_doc_load_buffer("t.yaml", yaml, strlen(yaml), &doc, diag), TL_OK);
    tl_options *o = tl_options_new();
    CHECK_INT(tl_options_set(o, "tz", "Asia/Seoul", diag), TL_OK);
    CHECK_INT(tl_options_set(o, "format", "md", diag), TL_OK);
    char dir[] = "/tmp/tl-tz-XXXXXX";
    if (doc && mkdtemp(dir)) {
        char path[64], text[512] = "";
        snprintf(path, sizeof path, "%s/t.md", dir);
        FILE *sys = fopen(TL_ZONEINFO_DIR "/Asia/Seoul", "rb");
        tl_status st = tl_render_file(doc, o, path, diag);
        if (sys) {
            fclose(sys);
            CHECK_INT(st, TL_OK);
            FILE *f = fopen(path, "r");
            if (f) {
                text[fread(text, 1, sizeof text - 1, f)] = '\0';
                fclose(f);
            }
            CHECK(strstr(text, "| 24 Nov 2014, 09:30 KST | A |") != NULL);
        } else {
            CHECK_INT(st, TL_ERR_USAGE);
        }
        remove(path);
        rmdir(dir);
    }
    /* A name that cannot be a zone is refused when set. */
    CHECK_INT(tl_options_set(o, "tz", "../x/y", diag), TL_ERR_USAGE);
    CHECK(strstr(tl_diag_message(diag, tl_diag_count(diag) - 1), "invalid value '../x/y'") !=
          NULL);
    tl_options_free(o);
    tl_doc_free(doc);
    tl_diag_free(diag);
}

int main(void)
{
    test_leap_and_month_lengths();
    test_known_days();
    test_round_trip_all_days();
    test_weekdays();
    test_forms();
    test_point_fields();
    test_errors();
    test_label_buffers();
    test_ordering();
    test_bounded();
    test_random_strings();
    test_edtf_lists();
    test_edtf_bounds();
    test_zones();
    test_zone_load();
    test_random_new_forms();
    test_zone_files();
    test_filter_times_and_language();
    test_tz_option_names();
    return check_report("test_date");
}
