/* lang.h — the words and date forms of the chart in the reader's language.
 *
 * The data stays as written; only what the chart itself writes changes:
 * month and weekday names, the date in words ("between … and …", "c.",
 * "BCE", "early", seasons), tick labels, the Markdown table's headers and
 * the few fixed words of a chart ("Sources:", "(continued)").  Each
 * language is a constant table; nothing here holds state.
 *
 * English is the reference: its dates in words come from date.c
 * (tl_date_label_tz) unchanged, so English output is what it always was.
 * The others follow each language's own order and typography:
 *
 *   en  13 Jan 2015      Jan 2015      500 BCE       c. 2012     2010s
 *   fr  13 janv. 2015    janv. 2015    500 av. J.-C. vers 2012   années 2010
 *   de  13. Jan. 2015    Jan. 2015     500 v. Chr.   ca. 2012    2010er-Jahre
 *   es  13 ene 2015      ene 2015      500 a. C.     c. 2012     década de 2010
 *   zh  2015年1月13日    2015年1月     公元前500年   约2012年    2010年代
 *   ja  2015年1月13日    2015年1月     紀元前500年   2012年頃    2010年代
 *   ko  2015년 1월 13일  2015년 1월    기원전 500년  2012년경    2010년대 */
#ifndef TL_LANG_H
#define TL_LANG_H

#include "date.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* TL_LANG_DEFAULT (zero, so that a zeroed struct has it) means "not
 * chosen here": an option left unset defers to the file, a file without
 * 'language:' is English. */
typedef enum tl_lang {
    TL_LANG_DEFAULT = 0,
    TL_LANG_EN,
    TL_LANG_FR,
    TL_LANG_DE,
    TL_LANG_ES,
    TL_LANG_ZH,
    TL_LANG_JA,
    TL_LANG_KO,
    TL_LANG_COUNT
} tl_lang;

/* The codes accepted, for messages. */
#define TL_LANG_CODES "en, fr, de, es, zh, ja or ko"

/* Reads a language code ("fr"; exactly as listed in TL_LANG_CODES) into
 * *out.  Returns false, *out unchanged, for anything else. */
bool tl_lang_parse(const char *code, tl_lang *out);

/* "en", "fr", ...; "en" for TL_LANG_DEFAULT. */
const char *tl_lang_code(tl_lang lang);

/* `chosen` unless it is TL_LANG_DEFAULT, else `fallback`: --lang over the
 * file's 'language:'. */
tl_lang tl_lang_pick(tl_lang chosen, tl_lang fallback);

/* Fixed words the chart and its text alternative write. */
typedef enum tl_word {
    TL_W_DATE,          /* Markdown table headers */
    TL_W_EVENT,
    TL_W_LANE,
    TL_W_SOURCES,
    TL_W_SOURCES_LINE,  /* "Sources: " before the chart's source line */
    TL_W_SOURCES_HEAD,  /* "Sources:" above the Markdown source list */
    TL_W_CONTINUED,     /* " (continued)" after a year heading */
    TL_W_OTHER,         /* the legend's entry for events without a lane */
    TL_W_TIMELINE,      /* the SVG title when the chart has none */
    TL_W_QUOTE_OPEN,    /* around a source's title: “ ” « » „ “ 「 」 */
    TL_W_QUOTE_CLOSE,
    TL_W_COUNT
} tl_word;

/* A constant string; never NULL. */
const char *tl_lang_word(tl_lang lang, tl_word w);

/* Month 1..12 and weekday 0 (Monday) .. 6 names, abbreviated as the
 * language abbreviates them in dates ("janv.", "Jan.", "ene", "1月") or in
 * full ("janvier", "Januar", "enero").  "" when out of range. */
const char *tl_lang_month(tl_lang lang, int month, bool full);
const char *tl_lang_weekday(tl_lang lang, int weekday, bool full);

/* The following write into buf (size bytes, may be 0; terminated when
 * size > 0) and return the length the whole text needs, as snprintf. */

/* A year as labels and year ticks write it: "2014", "500 v. Chr.",
 * "2014年", "公元前500年", "66 Ma", "6600万年前". */
size_t tl_lang_year(tl_lang lang, int64_t year, char *buf, size_t size);

/* tl_date_label_tz in the language: times of day shown in `zone` (minutes
 * east of UTC), or each as written for TL_TZ_NONE; `abbr` ("KST"; NULL or
 * "" for none) in place of the offset when zone is given. */
size_t tl_lang_date_label(tl_lang lang, const tl_date *d, int zone, const char *abbr, char *buf,
                          size_t size);

/* tl_span_label_tz in the language: "A – B", a shared day written once. */
size_t tl_lang_span_label(tl_lang lang, const tl_date *a, const tl_date *b, int zone,
                          const char *abbr, char *buf, size_t size);

/* Tick labels.  A day, with or without its year: "13 Jan 2015", "13 Jan",
 * "13. Jan.", "1月13日".  A month: "Jan 2015", "Jan", "2015年1月", "1月".
 * A day with its weekday, for ticks of hours: "Sun 20 Jul", "dim. 20 juil.",
 * "7月20日(日)". */
size_t tl_lang_tick_day(tl_lang lang, int64_t year, int month, int day, bool with_year,
                        char *buf, size_t size);
size_t tl_lang_tick_month(tl_lang lang, int64_t year, int month, bool with_year, char *buf,
                          size_t size);
size_t tl_lang_tick_weekday(tl_lang lang, tl_day z, char *buf, size_t size);

#endif
