/* test_lang.c — dates in words, tick labels, table headers and the chart's
 * fixed words in every language, at every precision; 'language:' and
 * --lang; and a PDF, an SVG and a Markdown table per language whose text
 * says what the chart says. */
#include "check.h"
#include "lang.h"
#include "scale.h"
#include "timeline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NLANG (TL_LANG_COUNT - 1)

static const tl_lang all[NLANG] = {TL_LANG_EN, TL_LANG_FR, TL_LANG_DE, TL_LANG_ES,
                                   TL_LANG_ZH, TL_LANG_JA, TL_LANG_KO};

static tl_date parse(const char *s)
{
    tl_date d;
    char err[256];
    size_t off;
    memset(&d, 0, sizeof d);
    if (!tl_date_parse(s, &d, err, sizeof err, &off)) {
        fprintf(stderr, "cannot parse '%s': %s\n", s, err);
        CHECK(0);
    }
    return d;
}

/* One written date and what each language makes of it, in the order of
 * `all`; times of day shown as written. */
typedef struct {
    const char *in;
    const char *out[NLANG];
} row;

static void check_rows(const row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        tl_date d = parse(rows[i].in);
        for (size_t k = 0; k < NLANG; k++) {
            char got[256];
            size_t len = tl_lang_date_label(all[k], &d, TL_TZ_NONE, NULL, got, sizeof got);
            if (strcmp(got, rows[i].out[k]) != 0)
                fprintf(stderr, "  '%s' in %s\n", rows[i].in, tl_lang_code(all[k]));
            CHECK_STR(got, rows[i].out[k]);
            CHECK_INT(len, strlen(rows[i].out[k]));
        }
        /* English is date.c's label, unchanged. */
        char en[256];
        tl_date_label_in(&d, TL_TZ_NONE, en, sizeof en);
        CHECK_STR(en, rows[i].out[0]);
    }
}

static void test_points(void)
{
    static const row rows[] = {
        {"2015-01-13", {"13 Jan 2015", "13 janv. 2015", "13. Jan. 2015", "13 ene 2015",
                        "2015年1月13日", "2015年1月13日", "2015년 1월 13일"}},
        {"2015-01-01", {"1 Jan 2015", "1er janv. 2015", "1. Jan. 2015", "1 ene 2015",
                        "2015年1月1日", "2015年1月1日", "2015년 1월 1일"}},
        {"2015-03-17", {"17 Mar 2015", "17 mars 2015", "17. März 2015", "17 mar 2015",
                        "2015年3月17日", "2015年3月17日", "2015년 3월 17일"}},
        {"2015-08", {"Aug 2015", "août 2015", "Aug. 2015", "ago 2015", "2015年8月", "2015年8月",
                     "2015년 8월"}},
        {"2015-09", {"Sep 2015", "sept. 2015", "Sept. 2015", "sept 2015", "2015年9月",
                     "2015年9月", "2015년 9월"}},
        {"2014-Q2", {"Q2 2014", "T2 2014", "Q2 2014", "T2 2014", "2014年第2季度",
                     "2014年第2四半期", "2014년 2분기"}},
        {"early 2015", {"early 2015", "début 2015", "Anfang 2015", "principios de 2015",
                        "2015年年初", "2015年初め", "2015년 초"}},
        {"mid 2015", {"mid 2015", "mi-2015", "Mitte 2015", "mediados de 2015", "2015年年中",
                      "2015年半ば", "2015년 중반"}},
        {"late 2015", {"late 2015", "fin 2015", "Ende 2015", "finales de 2015", "2015年年底",
                       "2015年末", "2015년 말"}},
        {"2015", {"2015", "2015", "2015", "2015", "2015年", "2015年", "2015년"}},
        {"201X", {"2010s", "années 2010", "2010er-Jahre", "década de 2010", "2010年代",
                  "2010年代", "2010년대"}},
        {"19XX", {"1900s", "XXe siècle", "20. Jahrhundert", "siglo XX", "20世纪", "20世紀",
                  "20세기"}},
        {"XXXX", {"year unknown", "année inconnue", "Jahr unbekannt", "año desconocido",
                  "年份不详", "年不明", "연도 미상"}},
    };
    check_rows(rows, sizeof rows / sizeof rows[0]);
}

/* EDTF seasons 21..24; winter runs into the next year. */
static void test_seasons(void)
{
    static const row rows[] = {
        {"2014-21", {"spring 2014", "printemps 2014", "Frühling 2014", "primavera de 2014",
                     "2014年春季", "2014年春", "2014년 봄"}},
        {"2014-22", {"summer 2014", "été 2014", "Sommer 2014", "verano de 2014", "2014年夏季",
                     "2014年夏", "2014년 여름"}},
        {"2014-23", {"autumn 2014", "automne 2014", "Herbst 2014", "otoño de 2014",
                     "2014年秋季", "2014年秋", "2014년 가을"}},
        {"2014-24", {"winter 2014–15", "hiver 2014–15", "Winter 2014/15", "invierno de 2014–15",
                     "2014年冬季", "2014年冬", "2014년 겨울"}},
    };
    check_rows(rows, sizeof rows / sizeof rows[0]);
}

static void test_bce_and_deep_time(void)
{
    static const row rows[] = {
        {"-0499", {"500 BCE", "500 av. J.-C.", "500 v. Chr.", "500 a. C.", "公元前500年",
                   "紀元前500年", "기원전 500년"}},
        {"0000", {"1 BCE", "1 av. J.-C.", "1 v. Chr.", "1 a. C.", "公元前1年", "紀元前1年",
                  "기원전 1년"}},
        {"-0043-03-15", {"15 Mar 44 BCE", "15 mars 44 av. J.-C.", "15. März 44 v. Chr.",
                         "15 mar 44 a. C.", "公元前44年3月15日", "紀元前44年3月15日",
                         "기원전 44년 3월 15일"}},
        {"-201X", {"2020 BCE–2011 BCE", "2020 av. J.-C.–2011 av. J.-C.",
                   "2020 v. Chr.–2011 v. Chr.", "2020 a. C.–2011 a. C.",
                   "公元前2020年–公元前2011年", "紀元前2020年–紀元前2011年",
                   "기원전 2020년–기원전 2011년"}},
        {"-9999", {"10000 BCE", "10000 av. J.-C.", "10000 v. Chr.", "10000 a. C.",
                   "公元前10000年", "紀元前10000年", "기원전 10000년"}},
        {"Y-66000000", {"66 Ma", "66 Ma", "66 Ma", "66 Ma", "6600万年前", "6600万年前",
                        "6600만 년 전"}},
        {"Y-4540000000", {"4.54 Ga", "4,54 Ga", "4,54 Ga", "4,54 Ga", "45.4亿年前",
                          "45.4億年前", "45.4억 년 전"}},
        {"Y-12000", {"14 ka", "14 ka", "14 ka", "14 ka", "1.4万年前", "1.4万年前",
                     "1.4만 년 전"}},
        {"Y123456", {"123,456", "123\u202F456", "123.456", "123.456", "123,456年", "123,456年",
                     "123,456년"}},
    };
    check_rows(rows, sizeof rows / sizeof rows[0]);
}

static void test_qualifiers(void)
{
    static const row rows[] = {
        {"~2012", {"c. 2012", "vers 2012", "ca. 2012", "c. 2012", "约2012年", "2012年頃",
                   "2012년경"}},
        {"2012?", {"2012?", "2012?", "2012?", "2012?", "2012年?", "2012年?", "2012년?"}},
        {"2012%", {"c. 2012?", "vers 2012?", "ca. 2012?", "c. 2012?", "约2012年?",
                   "2012年頃?", "2012년경?"}},
        {"~2015-08-01", {"c. 1 Aug 2015", "vers 1er août 2015", "ca. 1. Aug. 2015",
                         "c. 1 ago 2015", "约2015年8月1日", "2015年8月1日頃",
                         "2015년 8월 1일경"}},
    };
    check_rows(rows, sizeof rows / sizeof rows[0]);
}

/* Intervals: "between", "before", "after", and unknown ends; the article
 * before a day in French, German and Spanish. */
static void test_ranges(void)
{
    static const row rows[] = {
        {"2014-11/2015-01-13",
         {"between Nov 2014 and 13 Jan 2015", "entre nov. 2014 et le 13 janv. 2015",
          "zwischen Nov. 2014 und dem 13. Jan. 2015", "entre nov 2014 y el 13 ene 2015",
          "2014年11月至2015年1月13日之间", "2014年11月から2015年1月13日の間",
          "2014년 11월부터 2015년 1월 13일 사이"}},
        {"2014-11-03/2015",
         {"between 3 Nov 2014 and 2015", "entre le 3 nov. 2014 et 2015",
          "zwischen dem 3. Nov. 2014 und 2015", "entre el 3 nov 2014 y 2015",
          "2014年11月3日至2015年之间", "2014年11月3日から2015年の間",
          "2014년 11월 3일부터 2015년 사이"}},
        {"../2015", {"before 2015", "avant 2015", "vor 2015", "antes de 2015", "2015年之前",
                     "2015年以前", "2015년 이전"}},
        {"../2015-03-17",
         {"before 17 Mar 2015", "avant le 17 mars 2015", "vor dem 17. März 2015",
          "antes del 17 mar 2015", "2015年3月17日之前", "2015年3月17日以前",
          "2015년 3월 17일 이전"}},
        {"2014/..", {"after 2014", "après 2014", "nach 2014", "después de 2014", "2014年之后",
                     "2014年以降", "2014년 이후"}},
        {"2015-10-02/..",
         {"after 2 Oct 2015", "après le 2 oct. 2015", "nach dem 2. Okt. 2015",
          "después del 2 oct 2015", "2015年10月2日之后", "2015年10月2日以降",
          "2015년 10월 2일 이후"}},
        {"/2015-01-13",
         {"until 13 Jan 2015 (start unknown)", "jusqu’au 13 janv. 2015 (début inconnu)",
          "bis zum 13. Jan. 2015 (Beginn unbekannt)", "hasta el 13 ene 2015 (inicio desconocido)",
          "至2015年1月13日（开始时间不详）", "2015年1月13日まで（開始不明）",
          "2015년 1월 13일까지 (시작 미상)"}},
        {"2015/", {"from 2015 (end unknown)", "à partir de 2015 (fin inconnue)",
                   "ab 2015 (Ende unbekannt)", "desde 2015 (fin desconocido)",
                   "自2015年起（结束时间不详）", "2015年から（終了不明）",
                   "2015년부터 (종료 미상)"}},
        /* French elides "de" before a vowel; Spanish "y" is "e" before i. */
        {"2015-08/", {"from Aug 2015 (end unknown)", "à partir d’août 2015 (fin inconnue)",
                      "ab Aug. 2015 (Ende unbekannt)", "desde ago 2015 (fin desconocido)",
                      "自2015年8月起（结束时间不详）", "2015年8月から（終了不明）",
                      "2015년 8월부터 (종료 미상)"}},
        {"2014-23/2014-24",
         {"between autumn 2014 and winter 2014–15", "entre automne 2014 et hiver 2014–15",
          "zwischen Herbst 2014 und Winter 2014/15",
          "entre otoño de 2014 e invierno de 2014–15", "2014年秋季至2014年冬季之间",
          "2014年秋から2014年冬の間", "2014년 가을부터 2014년 겨울 사이"}},
        {"-0099/-0043", {"between 100 BCE and 44 BCE", "entre 100 av. J.-C. et 44 av. J.-C.",
                         "zwischen 100 v. Chr. und 44 v. Chr.", "entre 100 a. C. y 44 a. C.",
                         "公元前100年至公元前44年之间", "紀元前100年から紀元前44年の間",
                         "기원전 100년부터 기원전 44년 사이"}},
    };
    check_rows(rows, sizeof rows / sizeof rows[0]);
}

static void test_times(void)
{
    static const row rows[] = {
        {"1969-07-20T20:17Z",
         {"20 Jul 1969, 20:17 UTC", "20 juil. 1969, 20:17 UTC", "20. Juli 1969, 20:17 UTC",
          "20 jul 1969, 20:17 UTC", "1969年7月20日 20:17 UTC", "1969年7月20日 20:17 UTC",
          "1969년 7월 20일 20:17 UTC"}},
        {"1969-07-20T20:17:40Z",
         {"20 Jul 1969, 20:17:40 UTC", "20 juil. 1969, 20:17:40 UTC",
          "20. Juli 1969, 20:17:40 UTC", "20 jul 1969, 20:17:40 UTC",
          "1969年7月20日 20:17:40 UTC", "1969年7月20日 20:17:40 UTC",
          "1969년 7월 20일 20:17:40 UTC"}},
        {"2014-11-24T09+09:00",
         {"24 Nov 2014, 09:00 +09:00", "24 nov. 2014, 09:00 +09:00",
          "24. Nov. 2014, 09:00 +09:00", "24 nov 2014, 09:00 +09:00",
          "2014年11月24日 09:00 +09:00", "2014年11月24日 09:00 +09:00",
          "2014년 11월 24일 09:00 +09:00"}},
        {"../2014-11-24T09:30Z",
         {"before 24 Nov 2014, 09:30 UTC", "avant le 24 nov. 2014, 09:30 UTC",
          "vor dem 24. Nov. 2014, 09:30 UTC", "antes del 24 nov 2014, 09:30 UTC",
          "2014年11月24日 09:30 UTC之前", "2014年11月24日 09:30 UTC以前",
          "2014년 11월 24일 09:30 UTC 이전"}},
    };
    check_rows(rows, sizeof rows / sizeof rows[0]);

    /* Shown in another zone: the day moves with the clock. */
    tl_date d = parse("1969-07-20T20:17Z");
    char got[128];
    tl_lang_date_label(TL_LANG_JA, &d, 9 * 60, NULL, got, sizeof got);
    CHECK_STR(got, "1969年7月21日 05:17 +09:00");
    tl_lang_date_label(TL_LANG_DE, &d, -5 * 60, NULL, got, sizeof got);
    CHECK_STR(got, "20. Juli 1969, 15:17 -05:00");
    /* Shown in a zone west of UTC, the first day of year -9999 falls in the
     * year before: still a calendar year, not counted back as deep time. */
    tl_date early = parse("-9999-01-01T02:00Z");
    tl_lang_date_label(TL_LANG_DE, &early, -5 * 60, NULL, got, sizeof got);
    CHECK_STR(got, "31. Dez. 10001 v. Chr., 21:00 -05:00");
    tl_lang_date_label(TL_LANG_EN, &early, -5 * 60, NULL, got, sizeof got);
    CHECK_STR(got, "31 Dec 10001 BCE, 21:00 -05:00");
    /* A named zone's abbreviation in place of the offset. */
    tl_lang_date_label(TL_LANG_KO, &d, 9 * 60, "KST", got, sizeof got);
    CHECK_STR(got, "1969년 7월 21일 05:17 KST");
    tl_date r = parse("../1969-07-20T20:17Z");
    tl_lang_date_label(TL_LANG_FR, &r, 9 * 60, "KST", got, sizeof got);
    CHECK_STR(got, "avant le 21 juil. 1969, 05:17 KST");

    /* Two times on one day share it; on two days they do not. */
    tl_date a = parse("1969-07-21T02:39Z"), b = parse("1969-07-21T05:11Z");
    static const char *const same[NLANG] = {
        "21 Jul 1969, 02:39 – 05:11 UTC", "21 juil. 1969, 02:39 – 05:11 UTC",
        "21. Juli 1969, 02:39 – 05:11 UTC", "21 jul 1969, 02:39 – 05:11 UTC",
        "1969年7月21日 02:39 – 05:11 UTC", "1969年7月21日 02:39 – 05:11 UTC",
        "1969년 7월 21일 02:39 – 05:11 UTC"};
    for (size_t k = 0; k < NLANG; k++) {
        tl_lang_span_label(all[k], &a, &b, TL_TZ_NONE, NULL, got, sizeof got);
        CHECK_STR(got, same[k]);
    }
    tl_date c = parse("1969-07-20T20:17Z");
    tl_lang_span_label(TL_LANG_ES, &a, &b, 9 * 60, "KST", got, sizeof got);
    CHECK_STR(got, "21 jul 1969, 11:39 – 14:11 KST");
    tl_lang_span_label(TL_LANG_FR, &c, &b, TL_TZ_NONE, NULL, got, sizeof got);
    CHECK_STR(got, "20 juil. 1969, 20:17 UTC – 21 juil. 1969, 05:11 UTC");
    tl_date m0 = parse("2014-11"), m1 = parse("2015-01-13");
    tl_lang_span_label(TL_LANG_KO, &m0, &m1, TL_TZ_NONE, NULL, got, sizeof got);
    CHECK_STR(got, "2014년 11월 – 2015년 1월 13일");
}

/* A buffer too small still gets a terminated prefix and the full length. */
static void test_truncation(void)
{
    tl_date d = parse("2014-11/2015-01-13");
    char full[256], small[10];
    size_t n = tl_lang_date_label(TL_LANG_FR, &d, TL_TZ_NONE, NULL, full, sizeof full);
    size_t m = tl_lang_date_label(TL_LANG_FR, &d, TL_TZ_NONE, NULL, small, sizeof small);
    CHECK_INT(n, m);
    CHECK_INT(strlen(small), sizeof small - 1);
    CHECK(strncmp(full, small, sizeof small - 1) == 0);
    CHECK_INT(tl_lang_date_label(TL_LANG_ZH, &d, TL_TZ_NONE, NULL, NULL, 0),
              strlen("2014年11月至2015年1月13日之间"));
}

static void test_names_and_words(void)
{
    CHECK_STR(tl_lang_month(TL_LANG_FR, 1, true), "janvier");
    CHECK_STR(tl_lang_month(TL_LANG_FR, 1, false), "janv.");
    CHECK_STR(tl_lang_month(TL_LANG_DE, 1, true), "Januar");
    CHECK_STR(tl_lang_month(TL_LANG_DE, 3, false), "März");
    CHECK_STR(tl_lang_month(TL_LANG_ES, 1, true), "enero");
    CHECK_STR(tl_lang_month(TL_LANG_ES, 12, false), "dic");
    CHECK_STR(tl_lang_month(TL_LANG_ZH, 12, false), "12月");
    CHECK_STR(tl_lang_month(TL_LANG_KO, 1, false), "1월");
    CHECK_STR(tl_lang_month(TL_LANG_EN, 13, false), "");
    CHECK_STR(tl_lang_weekday(TL_LANG_EN, 6, false), "Sun");
    CHECK_STR(tl_lang_weekday(TL_LANG_FR, 0, true), "lundi");
    CHECK_STR(tl_lang_weekday(TL_LANG_DE, 6, false), "So.");
    CHECK_STR(tl_lang_weekday(TL_LANG_ES, 2, false), "mié");
    CHECK_STR(tl_lang_weekday(TL_LANG_ZH, 6, false), "周日");
    CHECK_STR(tl_lang_weekday(TL_LANG_JA, 1, true), "火曜日");
    CHECK_STR(tl_lang_weekday(TL_LANG_KO, 4, false), "금");
    CHECK_STR(tl_lang_weekday(TL_LANG_KO, 7, false), "");
    /* Every language fills every month, weekday and word. */
    for (size_t k = 0; k < NLANG; k++) {
        for (int m = 1; m <= 12; m++)
            CHECK(*tl_lang_month(all[k], m, false) && *tl_lang_month(all[k], m, true));
        for (int w = 0; w < 7; w++)
            CHECK(*tl_lang_weekday(all[k], w, false) && *tl_lang_weekday(all[k], w, true));
        for (int w = 0; w < TL_W_COUNT; w++)
            CHECK(tl_lang_word(all[k], (tl_word)w)[0] != '\0');
    }
    CHECK_STR(tl_lang_word(TL_LANG_DEFAULT, TL_W_SOURCES_LINE), "Sources: ");
    CHECK_STR(tl_lang_word(TL_LANG_FR, TL_W_SOURCES_LINE), "Sources\u202F: ");
    CHECK_STR(tl_lang_word(TL_LANG_DE, TL_W_CONTINUED), " (Fortsetzung)");
    CHECK_STR(tl_lang_word(TL_LANG_ES, TL_W_EVENT), "Evento");
    CHECK_STR(tl_lang_word(TL_LANG_JA, TL_W_QUOTE_OPEN), "「");

    tl_lang l = TL_LANG_DEFAULT;
    for (size_t k = 0; k < NLANG; k++) {
        CHECK(tl_lang_parse(tl_lang_code(all[k]), &l));
        CHECK_INT(l, all[k]);
    }
    static const char *const refused[] = {"", "EN", "fr-FR", "french", "zh-Hans", "it", "e"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        l = TL_LANG_DE;
        CHECK(!tl_lang_parse(refused[i], &l));
        CHECK_INT(l, TL_LANG_DE);
    }
    CHECK(!tl_lang_parse(NULL, &l));
    CHECK_STR(tl_lang_code(TL_LANG_DEFAULT), "en");
    CHECK_INT(tl_lang_pick(TL_LANG_DEFAULT, TL_LANG_FR), TL_LANG_FR);
    CHECK_INT(tl_lang_pick(TL_LANG_KO, TL_LANG_FR), TL_LANG_KO);
}

/* ---- Ticks ---------------------------------------------------------------- */

static double char_width(void *ctx, const char *text)
{
    (void)ctx;
    size_t n = 0;
    for (const char *p = text; *p; p++)
        n += ((unsigned char)*p & 0xC0) != 0x80;
    return (double)n * 5.0;
}

/* The tick labels of a scale over [lo, hi] on `width` units, joined by
 * '|'. */
static void ticks_for(tl_lang lang, const char *lo, const char *hi, double width, bool timed,
                      char *out, size_t size)
{
    tl_date a = parse(lo), b = parse(hi);
    tl_span s = {a.earliest, b.latest};
    tl_scale sc;
    tl_scale_build(&sc, &s, 1, 0, width, false, 20);
    sc.lang = lang;
    if (timed) {
        sc.timed = true;
        int64_t s0, s1, t0, t1;
        tl_date_instants(&a, &s0, &s1);
        tl_date_instants(&b, &t0, &t1);
        tl_scale_fit(&sc, (double)s0 / 86400, (double)t0 / 86400);
    }
    tl_tick t[256];
    size_t n = tl_scale_ticks(&sc, char_width, NULL, 8, t, 256);
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (!t[i].label[0])
            continue;
        if (out[0])
            strncat(out, "|", size - strlen(out) - 1);
        strncat(out, t[i].label, size - strlen(out) - 1);
    }
}

static void test_tick_labels(void)
{
    char got[2048];
    /* Days: the first names the month and year. */
    static const char *const days[NLANG] = {
        "15 Mar 2015|16 Mar|17 Mar|18 Mar|19 Mar|20 Mar",
        "15 mars 2015|16 mars|17 mars|18 mars|19 mars|20 mars",
        "15. März 2015|16. März|17. März|18. März|19. März|20. März",
        "15 mar 2015|16 mar|17 mar|18 mar|19 mar|20 mar",
        "2015年3月15日|3月16日|3月17日|3月18日|3月19日|3月20日",
        "2015年3月15日|3月16日|3月17日|3月18日|3月19日|3月20日",
        "2015년 3월 15일|3월 16일|3월 17일|3월 18일|3월 19일|3월 20일"};
    /* Months of one year: the year on the first. */
    static const char *const months[NLANG] = {
        "Jan 2014|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec",
        "janv. 2014|févr.|mars|avr.|mai|juin|juil.|août|sept.|oct.|nov.|déc.",
        "Jan. 2014|Feb.|März|Apr.|Mai|Juni|Juli|Aug.|Sept.|Okt.|Nov.|Dez.",
        "ene 2014|feb|mar|abr|may|jun|jul|ago|sept|oct|nov|dic",
        "2014年1月|2月|3月|4月|5月|6月|7月|8月|9月|10月|11月|12月",
        "2014年1月|2月|3月|4月|5月|6月|7月|8月|9月|10月|11月|12月",
        "2014년 1월|2월|3월|4월|5월|6월|7월|8월|9월|10월|11월|12월"};
    /* Years, BCE ones too. */
    static const char *const years[NLANG] = {
        "3 BCE|2 BCE|1 BCE|1|2|3",
        "3 av. J.-C.|2 av. J.-C.|1 av. J.-C.|1|2|3",
        "3 v. Chr.|2 v. Chr.|1 v. Chr.|1|2|3",
        "3 a. C.|2 a. C.|1 a. C.|1|2|3",
        "公元前3年|公元前2年|公元前1年|1年|2年|3年",
        "紀元前3年|紀元前2年|紀元前1年|1年|2年|3年",
        "기원전 3년|기원전 2년|기원전 1년|1년|2년|3년"};
    /* Hours: the first label names the weekday, the day and the zone. */
    static const char *const hours[NLANG] = {
        "Sun 20 Jul 20:00 UTC", "dim. 20 juil. 20:00 UTC", "So. 20. Juli 20:00 UTC",
        "dom 20 jul 20:00 UTC", "7月20日 周日 20:00 UTC", "7月20日(日) 20:00 UTC",
        "7월 20일 (일) 20:00 UTC"};
    static const char *const midnight[NLANG] = {
        "Mon 21 Jul", "lun. 21 juil.", "Mo. 21. Juli", "lun 21 jul", "7月21日 周一",
        "7月21日(月)", "7월 21일 (월)"};
    for (size_t k = 0; k < NLANG; k++) {
        ticks_for(all[k], "2015-03-16", "2015-03-18", 800, false, got, sizeof got);
        CHECK_STR(got, days[k]);
        ticks_for(all[k], "2014-01-01", "2014-12-31", 900, false, got, sizeof got);
        CHECK(strstr(got, months[k]) != NULL);
        if (!strstr(got, months[k]))
            fprintf(stderr, "  months in %s: %s\n", tl_lang_code(all[k]), got);
        /* Yearly ticks at some width between months and every other year
         * (which width depends on the labels' lengths). */
        bool yearly = false;
        for (double w = 300; w <= 900 && !yearly; w += 25) {
            ticks_for(all[k], "-0002", "0003", w, false, got, sizeof got);
            yearly = strstr(got, years[k]) != NULL;
        }
        CHECK(yearly);
        if (!yearly)
            fprintf(stderr, "  years in %s: %s\n", tl_lang_code(all[k]), got);
        ticks_for(all[k], "1969-07-20T20:17Z", "1969-07-21T05:11Z", 900, true, got, sizeof got);
        CHECK(strncmp(got, hours[k], strlen(hours[k])) == 0);
        CHECK(strstr(got, midnight[k]) != NULL);
        if (strncmp(got, hours[k], strlen(hours[k])) != 0 || !strstr(got, midnight[k]))
            fprintf(stderr, "  hours in %s: %s\n", tl_lang_code(all[k]), got);
    }
    /* Deep time on the axis. */
    char y[48];
    tl_lang_year(TL_LANG_ZH, -65998000 + 1, y, sizeof y);
    CHECK_STR(y, "6600万年前");
    tl_lang_year(TL_LANG_FR, -2498000, y, sizeof y);
    CHECK_STR(y, "2,5 Ma");
    tl_lang_year(TL_LANG_EN, -2498000, y, sizeof y);
    CHECK_STR(y, "2.5 Ma");
}

/* ---- Loading, options, renders --------------------------------------------- */

static const char doc_yaml[] =
    "title: Lang\n"
    "sources:\n"
    "  - id: s\n"
    "    title: Report\n"
    "    publisher: Agency\n"
    "    date: 2015-03-17\n"
    "lanes:\n"
    "  - id: p\n"
    "    label: Policy\n"
    "events:\n"
    "  - id: a\n"
    "    title: Alpha\n"
    "    date: 2015-01-13\n"
    "    lane: p\n"
    "    sources:\n"
    "      - ref: s\n"
    "  - id: b\n"
    "    title: Beta\n"
    "    date: 2014-11/2015-01-13\n"
    "  - id: c\n"
    "    title: Gamma\n"
    "    date: ~2014-06\n";

static void test_language_key(void)
{
    tl_diag *d = tl_diag_new();
    tl_doc *doc = NULL;
    char yaml[1024];
    snprintf(yaml, sizeof yaml, "language: de\n%s", doc_yaml);
    CHECK_INT(tl_doc_load_buffer("t.yaml", yaml, strlen(yaml), &doc, d), TL_OK);
    unsigned char *out = NULL;
    size_t len = 0;
    tl_options *o = tl_options_new();
    CHECK_INT(tl_render_buffer(doc, o, TL_FORMAT_TEXT, &out, &len, d), TL_OK);
    CHECK(out && strstr((char *)out, "| Datum | Ereignis | Kategorie | Quellen |"));
    CHECK(out && strstr((char *)out, "| zwischen Nov. 2014 und dem 13. Jan. 2015 | Beta |"));
    CHECK(out && strstr((char *)out, "\nQuellen:\n\n1. „Report“, Agency, 17. März 2015.\n"));
    free(out);
    /* --lang over the file's language. */
    CHECK_INT(tl_options_set(o, "lang", "es", d), TL_OK);
    CHECK_INT(tl_render_buffer(doc, o, TL_FORMAT_TEXT, &out, &len, d), TL_OK);
    CHECK(out && strstr((char *)out, "| Fecha | Evento | Categoría | Fuentes |"));
    CHECK(out && strstr((char *)out, "| c. jun 2014 | Gamma |"));
    free(out);
    tl_doc_free(doc);

    /* Anything else is refused where it is written, with the list. */
    static const char *const bad[] = {"language: it\n", "language: FR\n", "language: [fr]\n",
                                      "language: \"fr\\0\"\n", "language: ~\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tl_diag *e = tl_diag_new();
        snprintf(yaml, sizeof yaml, "%s%s", bad[i], doc_yaml);
        doc = NULL;
        CHECK_INT(tl_doc_load_buffer("t.yaml", yaml, strlen(yaml), &doc, e), TL_ERR_DATA);
        CHECK(doc == NULL);
        CHECK(tl_diag_error_count(e) >= 1);
        CHECK_INT(tl_diag_line(e, 0), 1);
        CHECK_INT(tl_diag_col(e, 0), 11);
        CHECK_STR(tl_diag_message(e, 0),
                  "'language' takes en, fr, de, es, zh, ja or ko");
        tl_diag_free(e);
    }
    tl_diag *e = tl_diag_new();
    CHECK_INT(tl_options_set(o, "lang", "klingon", e), TL_ERR_USAGE);
    CHECK(tl_diag_count(e) == 1 && strstr(tl_diag_message(e, 0), "en, fr, de, es, zh, ja or ko"));
    tl_diag_free(e);
    tl_options_free(o);
    tl_diag_free(d);
}

/* The text pdftotext finds in `path`, in a malloc'd string. */
static char *pdf_text(const char *path)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "pdftotext -q '%s' -", path);
    FILE *p = popen(cmd, "r");
    if (!p)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t k;
    while (buf && (k = fread(buf + n, 1, cap - n - 1, p)) > 0)
        n += k;
    pclose(p);
    if (buf)
        buf[n] = '\0';
    return buf;
}

/* A chart per language: the PDF's text has the dates and words in that
 * language (for zh, ja and ko the digits: this machine may have no font
 * for the rest, and the SVG's description must then carry the words) and
 * none of the English ones. */
static void test_renders(void)
{
    if (system("pdftotext -v >/dev/null 2>&1") != 0) {
        fprintf(stderr, "pdftotext missing: renders not checked\n");
        CHECK(0);
        return;
    }
    char dir[] = "/tmp/test_lang.XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0);
        return;
    }
    static const char *const want[NLANG][3] = {
        {"between Nov 2014 and 13 Jan 2015", "Sources: [1]", "Other"},
        /* pdftotext gives the narrow no-break space as a space. */
        {"entre nov. 2014 et le 13 janv. 2015", "Sources : [1] « Report »", "Autres"},
        {"zwischen Nov. 2014 und dem 13. Jan. 2015", "Quellen: [1]", "Sonstige"},
        {"entre nov 2014 y el 13 ene 2015", "Fuentes: [1]", "Otros"},
        {"2014年11月至2015年1月13日之间", "来源：[1]", "其他"},
        {"2014年11月から2015年1月13日の間", "出典：[1]", "その他"},
        {"2014년 11월부터 2015년 1월 13일 사이", "출처: [1]", "기타"}};
    tl_diag *d = tl_diag_new();
    tl_doc *doc = NULL;
    CHECK_INT(tl_doc_load_buffer("t.yaml", doc_yaml, strlen(doc_yaml), &doc, d), TL_OK);
    for (size_t k = 0; doc && k < NLANG; k++) {
        tl_options *o = tl_options_new();
        CHECK_INT(tl_options_set(o, "lang", tl_lang_code(all[k]), d), TL_OK);
        char path[64];
        snprintf(path, sizeof path, "%s/%s.pdf", dir, tl_lang_code(all[k]));
        tl_diag *rd = tl_diag_new();
        CHECK_INT(tl_render_file(doc, o, path, rd), TL_OK);
        char *text = pdf_text(path);
        CHECK(text != NULL);
        bool cjk = all[k] >= TL_LANG_ZH;
        /* Warnings exactly when the script has no font here: then the
         * PDF has boxes with codes where the year's 年 or 년 would be. */
        bool warned = tl_diag_count(rd) > 0;   /* once per script: Han, kana, Hangul */
        for (size_t w = 0; w < tl_diag_count(rd); w++)
            warned = warned && tl_diag_severity(rd, w) == TL_WARNING &&
                     strstr(tl_diag_message(rd, w), "fonts-noto-cjk");
        bool glyphs = text && (strstr(text, "年") || strstr(text, "년"));
        CHECK_INT(tl_diag_error_count(rd), 0);
        CHECK(cjk ? warned == !glyphs : tl_diag_count(rd) == 0);
        tl_diag_free(rd);
        for (int w = 0; text && !cjk && w < 3; w++) {
            CHECK(strstr(text, want[k][w]) != NULL);
            if (!strstr(text, want[k][w]))
                fprintf(stderr, "  %s.pdf lacks '%s'\n", tl_lang_code(all[k]), want[k][w]);
        }
        if (text && k > 0) {
            CHECK(strstr(text, "between") == NULL);
            CHECK(strstr(text, "Sources: ") == NULL);
            CHECK(strstr(text, "Other") == NULL);
            CHECK(strstr(text, "Jan ") == NULL);
        }
        if (text && cjk) {
            /* The digits are there whatever the fonts. */
            CHECK(strstr(text, "2014") != NULL && strstr(text, "2015") != NULL);
            CHECK(strstr(text, "[1]") != NULL);
        }
        free(text);
        /* The SVG's description is text, whatever the fonts. */
        unsigned char *svg = NULL;
        size_t len = 0;
        CHECK_INT(tl_render_buffer(doc, o, TL_FORMAT_SVG, &svg, &len, d), TL_OK);
        char line[160];
        snprintf(line, sizeof line, "%s: Beta", want[k][0]);
        CHECK(svg && strstr((char *)svg, line) != NULL);
        free(svg);
        tl_options_free(o);
        unlink(path);
    }
    tl_doc_free(doc);

    /* A chart without a title is still named, in its language. */
    static const char untitled[] = "events:\n  - {id: a, title: A, date: 2015-01-13}\n";
    static const char *const names[NLANG] = {"Timeline", "Frise chronologique", "Zeitleiste",
                                             "Cronología", "时间线", "年表", "연표"};
    doc = NULL;
    CHECK_INT(tl_doc_load_buffer("t.yaml", untitled, strlen(untitled), &doc, d), TL_OK);
    for (size_t k = 0; doc && k < NLANG; k++) {
        tl_options *o = tl_options_new();
        CHECK_INT(tl_options_set(o, "lang", tl_lang_code(all[k]), d), TL_OK);
        unsigned char *svg = NULL;
        size_t len = 0;
        CHECK_INT(tl_render_buffer(doc, o, TL_FORMAT_SVG, &svg, &len, d), TL_OK);
        char want_title[96];
        /* The ids start with the chart's prefix: "tl-" and a hash. */
        snprintf(want_title, sizeof want_title, "-title\">%s</title>", names[k]);
        CHECK(svg && strstr((char *)svg, want_title) != NULL);
        free(svg);
        tl_options_free(o);
    }
    tl_doc_free(doc);
    tl_diag_free(d);
    rmdir(dir);
}

int main(void)
{
    test_points();
    test_seasons();
    test_bce_and_deep_time();
    test_qualifiers();
    test_ranges();
    test_times();
    test_truncation();
    test_names_and_words();
    test_tick_labels();
    test_language_key();
    test_renders();
    return check_report("test_lang");
}
