/* lang.c — month names, date words and date order in seven languages.
 *
 * One constant table per language; the functions read the table for the
 * language asked and never keep anything.  A date is written from the
 * fields tl_date_parse fills (date.h), point by point, in one of two
 * shapes:
 *
 *   day-first (fr, de, es): [circa] [word] DAY MONTH YEAR, words before
 *                           the year ("début 2015", "Winter 2014/15");
 *   year-first (zh, ja, ko): YEAR MONTH DAY [word] [circa], words after
 *                           the year ("2015年年初", "2015년 초").
 *
 * French, German and Spanish put an article before a day after "before",
 * "after" and "between" ("avant le 13 janv.", "vor dem 13. Jan.", "antes
 * del 13 ene"), so each such phrase has a form for a day and one for
 * anything coarser.  English is not written here: tl_date_label_in is its
 * reference, and the tick helpers reproduce its forms exactly. */
#include "lang.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define DAY_SECS 86400

/* A phrase around one date: pre (pre_day before a day or a time) + date +
 * post. */
typedef struct phrase {
    const char *pre, *pre_day, *post;
} phrase;

typedef struct deep_unit {
    double div;
    const char *unit;   /* written right after the number */
} deep_unit;

typedef struct lang_def {
    const char *code;
    bool year_first;                /* zh, ja, ko */
    const char *month_abbr[12], *month_full[12];
    const char *wday_abbr[7], *wday_full[7];
    const char *wday_open, *wday_close; /* year-first: around the weekday after the day */
    const char *day_post;           /* after the day's number: ".", "日" */
    const char *first_day;          /* the first of a month when not "1": "1er" */
    const char *ymd_sep;            /* year-first: between year, month and day */
    const char *year_post;          /* "年" */
    const char *bce_pre, *bce_post;
    const char *group;              /* thousands separator */
    char decimal;
    deep_unit deep[3];              /* largest first; unit NULL ends */
    const char *quarter[4], *part[3], *season[4];
    const char *winter_join;        /* the next year after a winter: "–15"; NULL none */
    const char *decade_pre, *decade_post;
    const char *century_pre, *century_post;
    bool roman;                     /* centuries in Roman numerals */
    bool elide;                     /* "de" before a vowel is "d’" */
    const char *any_year;
    const char *circa_pre, *circa_post;
    const char *time_sep;           /* between the date and the clock */
    phrase before, after, until, from;
    const char *between_pre, *between_pre_day, *and_, *and_day, *between_post;
    const char *words[TL_W_COUNT];
} lang_def;

/* U+202F NARROW NO-BREAK SPACE: French before a colon and between groups. */
#define NNBSP "\xE2\x80\xAF"
#define NBSP "\xC2\xA0"

static const deep_unit deep_si[3] = {{1e9, " Ga"}, {1e6, " Ma"}, {1e3, " ka"}};

static const lang_def langs[TL_LANG_COUNT] = {
    [TL_LANG_EN] = {
        .code = "en",
        .month_abbr = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                       "Nov", "Dec"},
        .month_full = {"January", "February", "March", "April", "May", "June", "July",
                       "August", "September", "October", "November", "December"},
        .wday_abbr = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"},
        .wday_full = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                      "Sunday"},
        .day_post = "", .ymd_sep = "", .year_post = "", .bce_pre = "", .bce_post = " BCE",
        .group = ",", .decimal = '.',
        .words = {"Date", "Event", "Lane", "Sources", "Sources: ", "Sources:", " (continued)",
                  "Other", "Timeline", "\xE2\x80\x9C", "\xE2\x80\x9D"},
    },
    [TL_LANG_FR] = {
        .code = "fr",
        .month_abbr = {"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août",
                       "sept.", "oct.", "nov.", "déc."},
        .month_full = {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                       "septembre", "octobre", "novembre", "décembre"},
        .wday_abbr = {"lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."},
        .wday_full = {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"},
        .day_post = "", .first_day = "1er", .ymd_sep = "", .year_post = "",
        .bce_pre = "", .bce_post = " av. J.-C.", .group = NNBSP, .decimal = ',',
        .quarter = {"T1 ", "T2 ", "T3 ", "T4 "},
        .part = {"début ", "mi-", "fin "},
        .season = {"printemps ", "été ", "automne ", "hiver "},
        .winter_join = "\xE2\x80\x93",
        .decade_pre = "années ", .decade_post = "",
        .century_pre = "", .century_post = "e siècle", .roman = true, .elide = true,
        .any_year = "année inconnue",
        .circa_pre = "vers ", .circa_post = "",
        .time_sep = ", ",
        .before = {"avant ", "avant le ", ""},
        .after = {"après ", "après le ", ""},
        .until = {"jusqu’en ", "jusqu’au ", " (début inconnu)"},
        .from = {"à partir de ", "à partir du ", " (fin inconnue)"},
        .between_pre = "entre ", .between_pre_day = "entre le ", .and_ = " et ",
        .and_day = " et le ", .between_post = "",
        .words = {"Date", "Événement", "Catégorie", "Sources", "Sources" NNBSP ": ",
                  "Sources" NNBSP ":", " (suite)", "Autres", "Frise chronologique",
                  "«" NBSP, NBSP "»"},
    },
    [TL_LANG_DE] = {
        .code = "de",
        .month_abbr = {"Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.",
                       "Okt.", "Nov.", "Dez."},
        .month_full = {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
                       "September", "Oktober", "November", "Dezember"},
        .wday_abbr = {"Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."},
        .wday_full = {"Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag",
                      "Sonntag"},
        .day_post = ".", .ymd_sep = "", .year_post = "", .bce_pre = "",
        .bce_post = " v. Chr.", .group = ".", .decimal = ',',
        .quarter = {"Q1 ", "Q2 ", "Q3 ", "Q4 "},
        .part = {"Anfang ", "Mitte ", "Ende "},
        .season = {"Frühling ", "Sommer ", "Herbst ", "Winter "},
        .winter_join = "/",
        .decade_pre = "", .decade_post = "er-Jahre",
        .century_pre = "", .century_post = ". Jahrhundert",
        .any_year = "Jahr unbekannt",
        .circa_pre = "ca. ", .circa_post = "",
        .time_sep = ", ",
        .before = {"vor ", "vor dem ", ""},
        .after = {"nach ", "nach dem ", ""},
        .until = {"bis ", "bis zum ", " (Beginn unbekannt)"},
        .from = {"ab ", "ab dem ", " (Ende unbekannt)"},
        .between_pre = "zwischen ", .between_pre_day = "zwischen dem ", .and_ = " und ",
        .and_day = " und dem ", .between_post = "",
        .words = {"Datum", "Ereignis", "Kategorie", "Quellen", "Quellen: ", "Quellen:",
                  " (Fortsetzung)", "Sonstige", "Zeitleiste", "„", "“"},
    },
    [TL_LANG_ES] = {
        .code = "es",
        .month_abbr = {"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct",
                       "nov", "dic"},
        .month_full = {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
                       "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
        .wday_abbr = {"lun", "mar", "mié", "jue", "vie", "sáb", "dom"},
        .wday_full = {"lunes", "martes", "miércoles", "jueves", "viernes", "sábado",
                      "domingo"},
        .day_post = "", .ymd_sep = "", .year_post = "", .bce_pre = "", .bce_post = " a. C.",
        .group = ".", .decimal = ',',
        .quarter = {"T1 ", "T2 ", "T3 ", "T4 "},
        .part = {"principios de ", "mediados de ", "finales de "},
        .season = {"primavera de ", "verano de ", "otoño de ", "invierno de "},
        .winter_join = "\xE2\x80\x93",
        .decade_pre = "década de ", .decade_post = "",
        .century_pre = "siglo ", .century_post = "", .roman = true,
        .any_year = "año desconocido",
        .circa_pre = "c. ", .circa_post = "",
        .time_sep = ", ",
        .before = {"antes de ", "antes del ", ""},
        .after = {"después de ", "después del ", ""},
        .until = {"hasta ", "hasta el ", " (inicio desconocido)"},
        .from = {"desde ", "desde el ", " (fin desconocido)"},
        .between_pre = "entre ", .between_pre_day = "entre el ", .and_ = " y ",
        .and_day = " y el ", .between_post = "",
        .words = {"Fecha", "Evento", "Categoría", "Fuentes", "Fuentes: ", "Fuentes:",
                  " (continuación)", "Otros", "Cronología", "«", "»"},
    },
    [TL_LANG_ZH] = {
        .code = "zh",
        .year_first = true,
        .month_abbr = {"1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月",
                       "11月", "12月"},
        .month_full = {"一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月",
                       "十月", "十一月", "十二月"},
        .wday_abbr = {"周一", "周二", "周三", "周四", "周五", "周六", "周日"},
        .wday_full = {"星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"},
        .wday_open = " ", .wday_close = "",
        .day_post = "日", .ymd_sep = "", .year_post = "年", .bce_pre = "公元前",
        .bce_post = "", .group = ",", .decimal = '.',
        .deep = {{1e8, "亿年前"}, {1e4, "万年前"}},
        .quarter = {"第1季度", "第2季度", "第3季度", "第4季度"},
        .part = {"年初", "年中", "年底"},
        .season = {"春季", "夏季", "秋季", "冬季"},
        .decade_pre = "", .decade_post = "年代",
        .century_pre = "", .century_post = "世纪",
        .any_year = "年份不详",
        .circa_pre = "约", .circa_post = "",
        .time_sep = " ",
        .before = {"", "", "之前"},
        .after = {"", "", "之后"},
        .until = {"至", "至", "（开始时间不详）"},
        .from = {"自", "自", "起（结束时间不详）"},
        .between_pre = "", .between_pre_day = "", .and_ = "至", .and_day = "至",
        .between_post = "之间",
        .words = {"日期", "事件", "类别", "来源", "来源：", "来源：", "（续）", "其他",
                  "时间线", "《", "》"},
    },
    [TL_LANG_JA] = {
        .code = "ja",
        .year_first = true,
        .month_abbr = {"1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月",
                       "11月", "12月"},
        .month_full = {"1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月",
                       "11月", "12月"},
        .wday_abbr = {"月", "火", "水", "木", "金", "土", "日"},
        .wday_full = {"月曜日", "火曜日", "水曜日", "木曜日", "金曜日", "土曜日", "日曜日"},
        .wday_open = "(", .wday_close = ")",
        .day_post = "日", .ymd_sep = "", .year_post = "年", .bce_pre = "紀元前",
        .bce_post = "", .group = ",", .decimal = '.',
        .deep = {{1e8, "億年前"}, {1e4, "万年前"}},
        .quarter = {"第1四半期", "第2四半期", "第3四半期", "第4四半期"},
        .part = {"初め", "半ば", "末"},
        .season = {"春", "夏", "秋", "冬"},
        .decade_pre = "", .decade_post = "年代",
        .century_pre = "", .century_post = "世紀",
        .any_year = "年不明",
        .circa_pre = "", .circa_post = "頃",
        .time_sep = " ",
        .before = {"", "", "以前"},
        .after = {"", "", "以降"},
        .until = {"", "", "まで（開始不明）"},
        .from = {"", "", "から（終了不明）"},
        .between_pre = "", .between_pre_day = "", .and_ = "から", .and_day = "から",
        .between_post = "の間",
        .words = {"日付", "出来事", "区分", "出典", "出典：", "出典：", "（続き）", "その他",
                  "年表", "「", "」"},
    },
    [TL_LANG_KO] = {
        .code = "ko",
        .year_first = true,
        .month_abbr = {"1월", "2월", "3월", "4월", "5월", "6월", "7월", "8월", "9월", "10월",
                       "11월", "12월"},
        .month_full = {"1월", "2월", "3월", "4월", "5월", "6월", "7월", "8월", "9월", "10월",
                       "11월", "12월"},
        .wday_abbr = {"월", "화", "수", "목", "금", "토", "일"},
        .wday_full = {"월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일"},
        .wday_open = " (", .wday_close = ")",
        .day_post = "일", .ymd_sep = " ", .year_post = "년", .bce_pre = "기원전 ",
        .bce_post = "", .group = ",", .decimal = '.',
        .deep = {{1e8, "억 년 전"}, {1e4, "만 년 전"}},
        .quarter = {" 1분기", " 2분기", " 3분기", " 4분기"},
        .part = {" 초", " 중반", " 말"},
        .season = {" 봄", " 여름", " 가을", " 겨울"},
        .decade_pre = "", .decade_post = "년대",
        .century_pre = "", .century_post = "세기",
        .any_year = "연도 미상",
        .circa_pre = "", .circa_post = "경",
        .time_sep = " ",
        .before = {"", "", " 이전"},
        .after = {"", "", " 이후"},
        .until = {"", "", "까지 (시작 미상)"},
        .from = {"", "", "부터 (종료 미상)"},
        .between_pre = "", .between_pre_day = "", .and_ = "부터 ", .and_day = "부터 ",
        .between_post = " 사이",
        .words = {"날짜", "사건", "구분", "출처", "출처: ", "출처:", " (계속)", "기타", "연표",
                  "“", "”"},
    },
};

static const lang_def *def(tl_lang lang)
{
    return lang > TL_LANG_DEFAULT && lang < TL_LANG_COUNT ? &langs[lang] : &langs[TL_LANG_EN];
}

static bool is_english(tl_lang lang) { return def(lang) == &langs[TL_LANG_EN]; }

bool tl_lang_parse(const char *code, tl_lang *out)
{
    for (int i = TL_LANG_EN; code && i < TL_LANG_COUNT; i++) {
        if (strcmp(code, langs[i].code) == 0) {
            *out = (tl_lang)i;
            return true;
        }
    }
    return false;
}

const char *tl_lang_code(tl_lang lang) { return def(lang)->code; }

tl_lang tl_lang_pick(tl_lang chosen, tl_lang fallback)
{
    return chosen != TL_LANG_DEFAULT ? chosen : fallback;
}

const char *tl_lang_word(tl_lang lang, tl_word w)
{
    return (unsigned)w < TL_W_COUNT ? def(lang)->words[w] : "";
}

const char *tl_lang_month(tl_lang lang, int month, bool full)
{
    if (month < 1 || month > 12)
        return "";
    return full ? def(lang)->month_full[month - 1] : def(lang)->month_abbr[month - 1];
}

const char *tl_lang_weekday(tl_lang lang, int weekday, bool full)
{
    if (weekday < 0 || weekday > 6)
        return "";
    return full ? def(lang)->wday_full[weekday] : def(lang)->wday_abbr[weekday];
}

/* ---- Writing ------------------------------------------------------------ */

static void sb_str(tl_sbuf *b, const char *s)
{
    if (s && *s)
        tl_sb_put(b, "%s", s);
}

static void sb_init(tl_sbuf *b, char *buf, size_t size)
{
    b->buf = buf;
    b->size = buf ? size : 0;
    b->len = 0;
    if (b->size)
        buf[0] = '\0';
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* n with the language's thousands separator: "66.000.000". */
static void put_grouped(tl_sbuf *b, const lang_def *L, int64_t n)
{
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%lld", (long long)n);
    for (int i = 0; i < len; i++) {
        tl_sb_put(b, "%c", digits[i]);
        if (digits[i] != '-' && i < len - 1 && (len - 1 - i) % 3 == 0)
            sb_str(b, L->group);
    }
}

/* Years before 2000 with at most three significant digits in the
 * language's units: "66 Ma", "4,54 Ga", "6600万年前", "45.4억 년 전". */
static void put_years_ago(tl_sbuf *b, const lang_def *L, int64_t ago)
{
    const deep_unit *u = L->deep[0].unit ? L->deep : deep_si;
    for (size_t k = 0; k < 3 && u[k].unit; k++) {
        if ((double)ago < u[k].div)
            continue;
        double v = (double)ago / u[k].div;
        char num[32];
        int n = snprintf(num, sizeof num, "%.*f", v >= 100 ? 0 : v >= 10 ? 1 : 2, v);
        char *dot = strchr(num, '.');
        if (dot) {
            while (n > 0 && num[n - 1] == '0')
                num[--n] = '\0';
            if (n > 0 && num[n - 1] == '.')
                num[--n] = '\0';
            if (n > dot - num)
                *dot = L->decimal;
        }
        tl_sb_put(b, "%s%s", num, u[k].unit);
        return;
    }
    put_grouped(b, L, ago);
    sb_str(b, L->year_post);
}

/* A year as the language counts it.  Beyond four digits a year standing
 * alone (`deep`) is counted back from 2000, "66 Ma"; with a month or a day
 * it stays a calendar year, "10.001 v. Chr.", as in English. */
static void put_year_of(tl_sbuf *b, const lang_def *L, int64_t y, bool deep)
{
    if (y > 99999) {
        put_grouped(b, L, y);
        sb_str(b, L->year_post);
    } else if (y > 0) {
        tl_sb_put(b, "%d%s", (int)y, L->year_post);
    } else if (y >= TL_YEAR_MIN || !deep) {
        sb_str(b, L->bce_pre);
        if (1 - y > 99999)
            put_grouped(b, L, 1 - y);
        else
            tl_sb_put(b, "%d", (int)(1 - y));
        tl_sb_put(b, "%s%s", L->year_post, L->bce_post);
    } else {
        put_years_ago(b, L, 2000 - y);
    }
}

static void put_year(tl_sbuf *b, const lang_def *L, int64_t y) { put_year_of(b, L, y, true); }

size_t tl_lang_year(tl_lang lang, int64_t year, char *buf, size_t size)
{
    if (is_english(lang))
        return tl_year_label(year, buf, size);
    tl_sbuf b;
    sb_init(&b, buf, size);
    put_year(&b, def(lang), year);
    return b.len;
}

/* The day number as written: "13", "1er", "13." */
static void put_day_number(tl_sbuf *b, const lang_def *L, int d)
{
    if (d == 1 && L->first_day)
        tl_sb_put(b, "%s", L->first_day);
    else
        tl_sb_put(b, "%d%s", d, L->day_post);
}

/* A calendar day, or its month when d is 0: "13 janv. 2015",
 * "13. Jan. 2015", "2015年1月13日"; without the year when with_year is
 * false. */
static void put_ymd(tl_sbuf *b, const lang_def *L, int64_t y, int m, int d, bool with_year)
{
    const char *mon = m >= 1 && m <= 12 ? L->month_abbr[m - 1] : "";
    if (L->year_first) {
        if (with_year) {
            put_year_of(b, L, y, false);
            sb_str(b, L->ymd_sep);
        }
        sb_str(b, mon);
        if (d) {
            sb_str(b, L->ymd_sep);
            put_day_number(b, L, d);
        }
        return;
    }
    if (d) {
        put_day_number(b, L, d);
        tl_sb_put(b, " ");
    }
    sb_str(b, mon);
    if (with_year) {
        tl_sb_put(b, " ");
        put_year_of(b, L, y, false);
    }
}

/* Roman numerals for centuries 1..100: "XX". */
static void put_roman(tl_sbuf *b, int n)
{
    static const struct { int v; const char *s; } r[] = {
        {100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"},
        {5, "V"},   {4, "IV"},  {1, "I"}};
    for (size_t k = 0; k < sizeof r / sizeof r[0]; k++)
        for (; n >= r[k].v; n -= r[k].v)
            tl_sb_put(b, "%s", r[k].s);
}

/* A word for part of a year (quarter, third, season) with the year:
 * before it day-first ("début 2015"), after it year-first ("2015年年初"). */
static void put_word_year(tl_sbuf *b, const lang_def *L, const char *word, int64_t y)
{
    if (L->year_first) {
        put_year(b, L, y);
        sb_str(b, word);
    } else {
        sb_str(b, word);
        put_year(b, L, y);
    }
}

/* Decades and centuries: "années 2010", "XXe siècle", "2010年代"; BCE
 * ones by their years, "2020 av. J.-C.–2011 av. J.-C.". */
static void put_span_word(tl_sbuf *b, const lang_def *L, const tl_dpoint *p)
{
    bool decade = p->prec == TL_PREC_DECADE;
    if (p->year < 0) {
        put_year(b, L, p->year - (decade ? 9 : 99));
        tl_sb_put(b, "\xE2\x80\x93");
        put_year(b, L, p->year);
        return;
    }
    if (decade) {
        tl_sb_put(b, "%s%d%s", L->decade_pre, (int)p->year, L->decade_post);
        return;
    }
    int c = (int)(p->year / 100) + 1;
    sb_str(b, L->century_pre);
    if (L->roman)
        put_roman(b, c);
    else
        tl_sb_put(b, "%d", c);
    /* French: "Ier siècle", "IIe siècle". */
    sb_str(b, c == 1 && L->first_day ? "er siècle" : L->century_post);
}

/* The local day and second of day of a timed point shown in `zone`
 * (TL_TZ_NONE: as written); *tz gets the zone used. */
static void point_local(const tl_dpoint *p, int zone, int64_t *day, int64_t *sod, int *tz)
{
    *tz = zone != TL_TZ_NONE ? zone : p->tz;
    int64_t s = p->first * DAY_SECS + p->sec + (*tz == TL_TZ_NONE ? 0 : (int64_t)*tz * 60);
    *day = floor_div(s, DAY_SECS);
    *sod = s - *day * DAY_SECS;
}

static void put_clock(tl_sbuf *b, int64_t sod, bool seconds)
{
    tl_sb_put(b, "%02d:%02d", (int)(sod / 3600), (int)(sod / 60 % 60));
    if (seconds)
        tl_sb_put(b, ":%02d", (int)(sod % 60));
}

static void put_local_day(tl_sbuf *b, const lang_def *L, int64_t day)
{
    int32_t y32;
    int m, d;
    tl_civil_from_days(day, &y32, &m, &d);
    put_ymd(b, L, tl_year_of_day(day), m, d, true);
}

/* " +09:00", or the zone's abbreviation " KST" when one is given. */
static void put_zone(tl_sbuf *b, int tz, const char *abbr)
{
    char z[16];
    tl_zone_text(tz, z, sizeof z);
    tl_sb_put(b, " %s", abbr && *abbr ? abbr : z);
}

/* "24 nov. 2014, 09:00 +09:00", "2014年11月24日 09:00 UTC". */
static void put_time(tl_sbuf *b, const lang_def *L, const tl_dpoint *p, int zone,
                     const char *abbr)
{
    int64_t day, sod;
    int tz;
    point_local(p, zone, &day, &sod, &tz);
    put_local_day(b, L, day);
    sb_str(b, L->time_sep);
    put_clock(b, sod, p->prec == TL_PREC_SECOND);
    if (tz != TL_TZ_NONE)
        put_zone(b, tz, zone != TL_TZ_NONE ? abbr : NULL);
}

static void put_point(tl_sbuf *b, const lang_def *L, const tl_dpoint *p, int zone,
                      const char *abbr)
{
    bool circa = p->qual & TL_Q_APPROX;
    if (circa)
        sb_str(b, L->circa_pre);
    int sub = p->sub;
    switch ((tl_prec)p->prec) {
    case TL_PREC_SECOND:
    case TL_PREC_MINUTE:
    case TL_PREC_HOUR:
        put_time(b, L, p, zone, abbr);
        break;
    case TL_PREC_DAY:
        put_ymd(b, L, p->year, p->month, p->day, true);
        break;
    case TL_PREC_MONTH:
        put_ymd(b, L, p->year, p->month, 0, true);
        break;
    case TL_PREC_QUARTER:
        put_word_year(b, L, sub >= 1 && sub <= 4 ? L->quarter[sub - 1] : "", p->year);
        break;
    case TL_PREC_PART:
        put_word_year(b, L, sub >= 1 && sub <= 3 ? L->part[sub - 1] : "", p->year);
        break;
    case TL_PREC_SEASON:
        put_word_year(b, L, sub >= 1 && sub <= 4 ? L->season[sub - 1] : "", p->year);
        /* Winter runs into the next year. */
        if (sub == 4 && L->winter_join && p->year > 0 && p->year < 9999)
            tl_sb_put(b, "%s%02d", L->winter_join, (int)((p->year + 1) % 100));
        break;
    case TL_PREC_DECADE:
    case TL_PREC_CENTURY:
        put_span_word(b, L, p);
        break;
    case TL_PREC_ANY_YEAR:
        sb_str(b, L->any_year);
        break;
    case TL_PREC_YEAR:
    default:
        put_year(b, L, p->year);
        break;
    }
    if (circa)
        sb_str(b, L->circa_post);
    if (p->qual & TL_Q_UNCERTAIN)
        tl_sb_put(b, "?");
}

/* A day or a time takes the article after a preposition ("avant le"). */
static bool takes_article(const tl_dpoint *p)
{
    return p->prec <= TL_PREC_DAY && !(p->qual & TL_Q_APPROX);
}

static bool starts_with_vowel(const char *s)
{
    static const char *const v[] = {"a", "e", "i", "o", "u", "é", "â", "î", "ô", "û", "h"};
    for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
        if (strncmp(s, v[k], strlen(v[k])) == 0)
            return true;
    return false;
}

/* pre + the point: French "de" elides before a vowel ("à partir
 * d’août 2015"), Spanish "y" is "e" before an i sound ("e invierno"). */
static void put_after_word(tl_sbuf *b, const lang_def *L, const char *pre, const char *text)
{
    size_t n = strlen(pre);
    if (L->elide && n >= 3 && strcmp(pre + n - 3, "de ") == 0 && starts_with_vowel(text)) {
        tl_sb_put(b, "%.*sd’%s", (int)(n - 3), pre, text);
    } else if (strcmp(pre, " y ") == 0 &&
               (strncmp(text, "i", 1) == 0 || (strncmp(text, "hi", 2) == 0 &&
                                               strncmp(text, "hie", 3) != 0))) {
        tl_sb_put(b, " e %s", text);
    } else {
        tl_sb_put(b, "%s%s", pre, text);
    }
}

static void point_text(const lang_def *L, const tl_dpoint *p, int zone, const char *abbr,
                       char *buf, size_t size)
{
    tl_sbuf b;
    sb_init(&b, buf, size);
    put_point(&b, L, p, zone, abbr);
}

static void put_phrase(tl_sbuf *b, const lang_def *L, const phrase *ph, const tl_dpoint *p,
                       int zone, const char *abbr)
{
    char t[192];
    point_text(L, p, zone, abbr, t, sizeof t);
    put_after_word(b, L, takes_article(p) ? ph->pre_day : ph->pre, t);
    sb_str(b, ph->post);
}

size_t tl_lang_date_label(tl_lang lang, const tl_date *d, int zone, const char *abbr, char *buf,
                          size_t size)
{
    if (is_english(lang))
        return tl_date_label_tz(d, zone, abbr, buf, size);
    const lang_def *L = def(lang);
    tl_sbuf b;
    sb_init(&b, buf, size);
    if (!d->is_range) {
        put_point(&b, L, &d->lo, zone, abbr);
    } else if (d->lo.open && d->lo.unknown) {
        put_phrase(&b, L, &L->until, &d->hi, zone, abbr);
    } else if (d->hi.open && d->hi.unknown) {
        put_phrase(&b, L, &L->from, &d->lo, zone, abbr);
    } else if (d->lo.open) {
        put_phrase(&b, L, &L->before, &d->hi, zone, abbr);
    } else if (d->hi.open) {
        put_phrase(&b, L, &L->after, &d->lo, zone, abbr);
    } else {
        char t[192];
        point_text(L, &d->lo, zone, abbr, t, sizeof t);
        put_after_word(&b, L, takes_article(&d->lo) ? L->between_pre_day : L->between_pre, t);
        point_text(L, &d->hi, zone, abbr, t, sizeof t);
        put_after_word(&b, L, takes_article(&d->hi) ? L->and_day : L->and_, t);
        sb_str(&b, L->between_post);
    }
    return b.len;
}

/* Both single timed dates without qualifiers on one local day in the
 * zone shown: the day is written once (as tl_span_label_in decides). */
static bool same_local_day(const tl_date *a, const tl_date *b, int zone, int *z)
{
    const tl_dpoint *p = &a->lo, *q = &b->lo;
    *z = zone != TL_TZ_NONE ? zone : p->tz;
    if (a->is_range || b->is_range || p->prec > TL_PREC_HOUR || q->prec > TL_PREC_HOUR ||
        p->qual || q->qual || *z == TL_TZ_NONE || (zone == TL_TZ_NONE && p->tz != q->tz))
        return false;
    int64_t dp, dq, s;
    int tz;
    point_local(p, *z, &dp, &s, &tz);
    point_local(q, *z, &dq, &s, &tz);
    return dp == dq;
}

size_t tl_lang_span_label(tl_lang lang, const tl_date *a, const tl_date *b, int zone,
                          const char *abbr, char *buf, size_t size)
{
    if (is_english(lang))
        return tl_span_label_tz(a, b, zone, abbr, buf, size);
    const lang_def *L = def(lang);
    tl_sbuf sb;
    sb_init(&sb, buf, size);
    int z;
    if (!same_local_day(a, b, zone, &z)) {
        char t[256];
        tl_lang_date_label(lang, a, zone, abbr, t, sizeof t);
        tl_sb_put(&sb, "%s \xE2\x80\x93 ", t);
        tl_lang_date_label(lang, b, zone, abbr, t, sizeof t);
        sb_str(&sb, t);
        return sb.len;
    }
    /* "21 juil. 1969, 02:39 – 05:11 UTC" */
    int64_t day, s0, s1;
    int tz;
    point_local(&a->lo, z, &day, &s0, &tz);
    point_local(&b->lo, z, &day, &s1, &tz);
    put_local_day(&sb, L, day);
    sb_str(&sb, L->time_sep);
    put_clock(&sb, s0, a->lo.prec == TL_PREC_SECOND);
    tl_sb_put(&sb, " \xE2\x80\x93 ");
    put_clock(&sb, s1, b->lo.prec == TL_PREC_SECOND);
    put_zone(&sb, z, zone != TL_TZ_NONE ? abbr : NULL);
    return sb.len;
}

/* ---- Tick labels -------------------------------------------------------- */

/* English keeps the forms scale.c always wrote: "13 Jan 2015", "Jan". */
size_t tl_lang_tick_day(tl_lang lang, int64_t year, int month, int day, bool with_year,
                        char *buf, size_t size)
{
    const lang_def *L = def(lang);
    tl_sbuf b;
    sb_init(&b, buf, size);
    if (is_english(lang)) {
        tl_sb_put(&b, "%d %s", day, tl_lang_month(lang, month, false));
        if (with_year) {
            char ys[32];
            tl_year_label(year, ys, sizeof ys);
            tl_sb_put(&b, " %s", ys);
        }
        return b.len;
    }
    put_ymd(&b, L, year, month, day, with_year);
    return b.len;
}

size_t tl_lang_tick_month(tl_lang lang, int64_t year, int month, bool with_year, char *buf,
                          size_t size)
{
    const lang_def *L = def(lang);
    tl_sbuf b;
    sb_init(&b, buf, size);
    if (is_english(lang)) {
        sb_str(&b, tl_lang_month(lang, month, false));
        if (with_year) {
            char ys[32];
            tl_year_label(year, ys, sizeof ys);
            tl_sb_put(&b, " %s", ys);
        }
        return b.len;
    }
    put_ymd(&b, L, year, month, 0, with_year);
    return b.len;
}

/* "Sun 20 Jul", "dim. 20 juil.", "So. 20. Juli", "7月20日(日)". */
size_t tl_lang_tick_weekday(tl_lang lang, tl_day z, char *buf, size_t size)
{
    const lang_def *L = def(lang);
    int32_t y;
    int m, d;
    tl_civil_from_days(z, &y, &m, &d);
    const char *wd = L->wday_abbr[tl_weekday(z)];
    tl_sbuf b;
    sb_init(&b, buf, size);
    if (L->year_first) {
        put_ymd(&b, L, y, m, d, false);
        tl_sb_put(&b, "%s%s%s", L->wday_open, wd, L->wday_close);
    } else {
        tl_sb_put(&b, "%s ", wd);
        if (is_english(lang))
            tl_sb_put(&b, "%d %s", d, L->month_abbr[m - 1]);
        else
            put_ymd(&b, L, y, m, d, false);
    }
    return b.len;
}
