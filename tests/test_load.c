/* test_load.c — the YAML loader and the cross-checks: one case per kind of
 * error, each asserting the exact position and message, plus the fields of
 * a good document. */
#include "check.h"
#include "diag.h"
#include "model.h"
#include "validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Loads `yaml` from a buffer named "t.yaml"; the caller frees both. */
static tl_status load(const char *yaml, tl_doc **doc, tl_diag **diag)
{
    *diag = tl_diag_new();
    *doc = NULL;
    return tl_doc_load_buffer("t.yaml", yaml, strlen(yaml), doc, *diag);
}

/* Expects loading `yaml` to fail with, as its first error, `msg` at
 * line:col.  `name` labels the case in failure output. */
static void expect_error(const char *name, const char *yaml, int line, int col,
                         const char *msg)
{
    int before = check_fail_;
    tl_doc *doc;
    tl_diag *d;
    tl_status st = load(yaml, &doc, &d);
    CHECK_INT(st, TL_ERR_DATA);
    CHECK(doc == NULL);
    CHECK(tl_diag_error_count(d) >= 1);
    if (tl_diag_count(d) >= 1) {
        CHECK_INT(tl_diag_severity(d, 0), TL_ERROR);
        CHECK_STR(tl_diag_file(d, 0), "t.yaml");
        CHECK_INT(tl_diag_line(d, 0), line);
        CHECK_INT(tl_diag_col(d, 0), col);
        if (msg)
            CHECK_STR(tl_diag_message(d, 0), msg);
    }
    if (check_fail_ != before) {
        fprintf(stderr, "  in case '%s'; diagnostics were:\n", name);
        tl_diag_print(d, stderr);
    }
    tl_diag_free(d);
    tl_doc_free(doc);
}

/* Like expect_error, for messages written by the date parser: checks the
 * position and that the message quotes `part`. */
static void expect_date_error(const char *name, const char *yaml, int line, int col,
                              const char *part)
{
    int before = check_fail_;
    tl_doc *doc;
    tl_diag *d;
    CHECK_INT(load(yaml, &doc, &d), TL_ERR_DATA);
    CHECK_INT(tl_diag_count(d), 1);
    if (tl_diag_count(d) >= 1) {
        CHECK_INT(tl_diag_line(d, 0), line);
        CHECK_INT(tl_diag_col(d, 0), col);
        CHECK(strstr(tl_diag_message(d, 0), part) != NULL);
    }
    if (check_fail_ != before) {
        fprintf(stderr, "  in case '%s'; diagnostics were:\n", name);
        tl_diag_print(d, stderr);
    }
    tl_diag_free(d);
    tl_doc_free(doc);
}

#define EV1 "events:\n  - id: a\n    date: 2014\n    title: A\n"

static const char good_yaml[] =
    "title: Good\n"                                        /* 1 */
    "subtitle: A \"good\" document\n"                      /* 2 */
    "sources:\n"                                           /* 3 */
    "  - id: lewis\n"                                      /* 4 */
    "    title: An interview\n"                            /* 5 */
    "    author: J. Lewis\n"                               /* 6 */
    "    date: 2015-03-17\n"                               /* 7 */
    "    file: lewis.txt\n"                                /* 8 */
    "  - id: lu\n"                                         /* 9 */
    "    title: An article\n"                              /* 10 */
    "lanes:\n"                                             /* 11 */
    "  - id: us-china\n"                                   /* 12 */
    "    label: U.S.–China\n"                              /* 13 */
    "  - id: korea\n"                                      /* 14 */
    "    color: \"#D55E00\"\n"                             /* 15 */
    "events:\n"                                            /* 16 */
    "  - id: pla\n"                                        /* 17 */
    "    date: 2014-05\n"                                  /* 18 */
    "    title: Five officers indicted\n"                  /* 19 */
    "    lane: korea\n"                                    /* 20 */
    "    importance: 3\n"                                  /* 21 */
    "    tags: [espionage, law]\n"                         /* 22 */
    "    sources:\n"                                       /* 23 */
    "      - ref: lu\n"                                    /* 24 */
    "        quote: In May, five officers\n"               /* 25 */
    "      - lewis\n"                                      /* 26 */
    "  - id: span\n"                                       /* 27 */
    "    date: '2001'\n"                                   /* 28 */
    "    end: 2003-06-02\n"                                /* 29 */
    "    title: A span\n"                                  /* 30 */
    "    summary: Three years.\n"                          /* 31 */
    "    url: https://example.org/\n"                      /* 32 */
    "    note: Approximate.\n"                             /* 33 */
    "  - id: bounded\n"                                    /* 34 */
    "    date: {after: 2014-11, before: 2015-03-17}\n"     /* 35 */
    "    title: Bounded\n"                                 /* 36 */
    "    lane: us-china\n";                                /* 37 */

static void test_good_document(void)
{
    tl_doc *doc;
    tl_diag *d;
    CHECK_INT(load(good_yaml, &doc, &d), TL_OK);
    CHECK_INT(tl_diag_count(d), 0);
    if (!doc) {
        tl_diag_print(d, stderr);
        tl_diag_free(d);
        return;
    }
    CHECK_STR(doc->name, "t.yaml");
    CHECK_STR(doc->title, "Good");
    CHECK_STR(doc->subtitle, "A \"good\" document");
    CHECK_INT(tl_doc_event_count(doc), 3);
    CHECK_INT(tl_doc_lane_count(doc), 2);
    CHECK_INT(tl_doc_source_count(doc), 2);

    /* Sources. */
    const tl_source *s = &doc->sources[0];
    CHECK_STR(s->id, "lewis");
    CHECK_STR(s->title, "An interview");
    CHECK_STR(s->author, "J. Lewis");
    CHECK(s->publisher == NULL && s->url == NULL);
    CHECK_STR(s->file, "lewis.txt");
    CHECK(s->has_date);
    CHECK_INT(s->date.earliest, tl_days_from_civil(2015, 3, 17));
    CHECK_INT(s->pos.line, 4);
    CHECK_INT(s->pos.col, 5);
    CHECK_INT(s->id_pos.line, 4);
    CHECK_INT(s->id_pos.col, 9);
    CHECK_INT(s->file_pos.line, 8);
    CHECK(!doc->sources[1].has_date);

    /* Lanes: the label defaults to the id; colours are parsed. */
    CHECK_STR(doc->lanes[0].label, "U.S.–China");
    CHECK(!doc->lanes[0].has_color);
    CHECK_STR(doc->lanes[1].id, "korea");
    CHECK_STR(doc->lanes[1].label, "korea");
    CHECK(doc->lanes[1].has_color);
    CHECK_INT(doc->lanes[1].color, 0xD55E00);

    /* An event with everything resolved. */
    const tl_event *e = &doc->events[0];
    CHECK_STR(e->info->id, "pla");
    CHECK_STR(e->title, "Five officers indicted");
    CHECK_INT(e->date.lo.prec, TL_PREC_MONTH);
    CHECK_INT(e->date.earliest, tl_days_from_civil(2014, 5, 1));
    CHECK_INT(e->date.latest, tl_days_from_civil(2014, 5, 31));
    CHECK(!e->end);
    CHECK_STR(e->info->lane_id, "korea");
    CHECK_INT(e->lane, 1);
    CHECK_INT(e->importance, 3);
    CHECK_INT(e->info->ntags, 2);
    if (e->info->ntags == 2) {
        CHECK_STR(e->info->tags[0], "espionage");
        CHECK_STR(e->info->tags[1], "law");
    }
    CHECK_INT(e->ncites, 2);
    if (e->ncites == 2) {
        CHECK_STR(e->info->cites[0].ref, "lu");
        CHECK_INT(e->cited[0], 1);
        CHECK_STR(e->info->cites[0].quote, "In May, five officers");
        CHECK_INT(e->info->cites[0].ref_pos.line, 24);
        CHECK_INT(e->info->cites[0].ref_pos.col, 14);
        CHECK_INT(e->info->cites[0].quote_pos.line, 25);
        CHECK_INT(e->info->cites[0].quote_pos.col, 16);
        CHECK_STR(e->info->cites[1].ref, "lewis");
        CHECK(e->info->cites[1].quote == NULL);
        CHECK_INT(e->cited[1], 0);
        CHECK_INT(e->info->cites[1].ref_pos.line, 26);
        CHECK_INT(e->info->cites[1].ref_pos.col, 9);
    }
    CHECK_INT(e->info->id_pos.line, 17);
    CHECK_INT(e->info->id_pos.col, 9);
    CHECK_INT(e->info->lane_pos.line, 20);
    CHECK_INT(e->info->lane_pos.col, 11);

    /* A span with a quoted year and the optional texts; importance
     * defaults to 2 and no lane is -1. */
    e = &doc->events[1];
    CHECK_INT(e->date.lo.prec, TL_PREC_YEAR);
    CHECK_INT(e->date.earliest, tl_days_from_civil(2001, 1, 1));
    CHECK(e->end);
    CHECK_INT(e->end->latest, tl_days_from_civil(2003, 6, 2));
    CHECK_INT(e->info->end_pos.line, 29);
    CHECK_INT(e->importance, 2);
    CHECK_INT(e->lane, -1);
    CHECK(e->info->lane_id == NULL);
    CHECK_STR(tl_event_summary(e), "Three years.");
    CHECK_STR(tl_event_url(e), "https://example.org/");
    CHECK_STR(e->info->note, "Approximate.");
    CHECK_INT(e->info->ntags, 0);
    CHECK_INT(e->ncites, 0);

    /* A bounded date written as a mapping. */
    e = &doc->events[2];
    CHECK(e->date.is_range);
    CHECK_INT(e->date.earliest, tl_days_from_civil(2014, 11, 1));
    CHECK_INT(e->date.latest, tl_days_from_civil(2015, 3, 17));
    CHECK_INT(e->lane, 0);

    CHECK_INT(doc->events_pos.line, 17);

    /* The summary: the earliest-starting event's date to the latest-ending
     * event's end or date, as written, with an en dash. */
    char buf[128];
    size_t n = tl_doc_range_text(doc, buf, sizeof buf);
    CHECK_STR(buf, "2001 \xE2\x80\x93 2014-11/2015-03-17");
    CHECK_INT(n, strlen(buf));
    char small[6];
    CHECK_INT(tl_doc_range_text(doc, small, sizeof small), n);
    CHECK_STR(small, "2001 ");

    /* Loading validated already; validating again changes nothing. */
    CHECK_INT(tl_doc_validate(doc, d), TL_OK);
    CHECK_INT(tl_diag_count(d), 0);
    tl_doc_free(doc);
    tl_diag_free(d);
}

static void test_range_single_date(void)
{
    tl_doc *doc;
    tl_diag *d;
    CHECK_INT(load("events:\n"
                   "  - {id: a, date: 2014, title: A}\n"
                   "  - {id: b, date: 2014, title: B}\n",
                   &doc, &d),
              TL_OK);
    char buf[64];
    tl_doc_range_text(doc, buf, sizeof buf);
    CHECK_STR(buf, "2014");
    CHECK_INT(tl_doc_event_count(NULL), 0);
    CHECK_INT(tl_doc_lane_count(NULL), 0);
    CHECK_INT(tl_doc_source_count(NULL), 0);
    tl_doc_range_text(NULL, buf, sizeof buf);
    CHECK_STR(buf, "");
    tl_doc_free(doc);
    tl_diag_free(d);
}

static void test_unknown_keys(void)
{
    expect_error("unknown event key",
                 "events:\n  - id: a\n    date: 2014\n    titel: A\n    title: A\n", 4, 5,
                 "unknown key 'titel' in event — did you mean 'title'?");
    expect_error("transposed letters", "evnets:\n  - id: a\n", 1, 1,
                 "unknown key 'evnets' at the top level — did you mean 'events'?");
    expect_error("unknown key, nothing near", "colour: blue\n" EV1, 1, 1,
                 "unknown key 'colour' at the top level — the keys are: title, subtitle, "
                 "sources, lanes, events, timezone, language");
    expect_error("unknown lane key", "lanes:\n  - id: a\n    colour: blue\n" EV1, 3, 5,
                 "unknown key 'colour' in lane — did you mean 'color'?");
    expect_error("unknown citation key",
                 "sources:\n  - {id: s, title: S}\n"
                 "events:\n  - id: a\n    date: 2014\n    title: A\n"
                 "    sources:\n      - {ref: s, qoute: words}\n",
                 8, 18, "unknown key 'qoute' in citation — did you mean 'quote'?");
    expect_error("a list as a key", "? [a]\n: b\n" EV1, 1, 3,
                 "a key must be a plain word, not a list");
}

static void test_duplicate_keys(void)
{
    expect_error("duplicate key",
                 "events:\n  - id: a\n    date: 2014\n    title: A\n    title: B\n", 5, 5,
                 "duplicate key 'title' — first given at line 4");
    expect_error("duplicate top-level key", EV1 "events: []\n", 5, 1,
                 "duplicate key 'events' — first given at line 1");
}

static void test_wrong_types(void)
{
    expect_error("list as title", "events:\n  - id: a\n    date: 2014\n    title: [a, b]\n", 4,
                 12, "'title' must be text, not a list");
    expect_error("mapping as summary",
                 "events:\n  - id: a\n    date: 2014\n    title: A\n    summary: {a: b}\n", 5,
                 14, "'summary' must be text, not a mapping");
    expect_error("tags as text", "events:\n  - id: a\n    date: 2014\n    title: A\n    tags: war\n",
                 5, 11, "'tags' must be a list of words, not text");
    expect_error("events as a mapping", "events:\n  id: a\n", 2, 3,
                 "'events' must be a list of events, not a mapping");
    expect_error("event as text", "events:\n  - just words\n", 2, 5,
                 "each event must be a mapping with 'id', 'date' and 'title', not text");
    expect_error("top level list", "- id: a\n", 1, 1,
                 "the top level must be a mapping with an 'events' list, not a list");
    expect_error("date as list", "events:\n  - id: a\n    date: [2014]\n    title: A\n", 3, 11,
                 "'date' must be a date or {after: DATE, before: DATE}, not a list");
    expect_error("citation as list",
                 "events:\n  - id: a\n    date: 2014\n    title: A\n    sources: [[x]]\n", 5, 15,
                 "each citation must be a source id or {ref: ID, quote: TEXT}, not a list");
}

static void test_importance(void)
{
    expect_error("importance high",
                 "events:\n  - id: a\n    date: 2014\n    title: A\n    importance: high\n", 5,
                 17, "importance must be 1, 2 or 3, not 'high'");
    expect_error("importance 4",
                 "events:\n  - id: a\n    date: 2014\n    title: A\n    importance: 4\n", 5, 17,
                 "importance must be 1, 2 or 3, not '4'");
    expect_error("importance quoted",
                 "events:\n  - id: a\n    date: 2014\n    title: A\n    importance: '2'\n", 5,
                 17, "importance must be the number 1, 2 or 3 — write it without quotes");
    expect_error("importance 02",
                 "events:\n  - id: a\n    date: 2014\n    title: A\n    importance: 02\n", 5, 17,
                 "importance must be 1, 2 or 3, not '02'");
}

static void test_ids(void)
{
    expect_error("capital in id", "events:\n  - id: Big\n    date: 2014\n    title: A\n", 2, 9,
                 "id 'Big' contains 'B' — ids use only a-z, 0-9, '_' and '-'");
    expect_error("space in id", "events:\n  - id: a b\n    date: 2014\n    title: A\n", 2, 9,
                 "id 'a b' contains ' ' — ids use only a-z, 0-9, '_' and '-'");
    expect_error("non-ASCII in id", "lanes:\n  - id: café\n" EV1, 2, 9,
                 "id 'café' contains 'é' — ids use only a-z, 0-9, '_' and '-'");
}

static void test_missing_and_empty(void)
{
    expect_error("missing date", "events:\n  - id: a\n    title: A\n", 2, 5,
                 "event is missing 'date'");
    expect_error("missing lane id", "lanes:\n  - label: L\n" EV1, 2, 5, "lane is missing 'id'");
    expect_error("missing source title", "sources:\n  - id: s\n" EV1, 2, 5,
                 "source is missing 'title'");
    expect_error("citation without ref",
                 "events:\n  - id: a\n    date: 2014\n    title: A\n    sources:\n"
                 "      - quote: words\n",
                 6, 9, "citation is missing 'ref'");
    expect_error("null summary",
                 "events:\n  - id: a\n    date: 2014\n    title: A\n    summary:\n", 5, 13,
                 "'summary' is empty");
    expect_error("tilde title", "events:\n  - id: a\n    date: 2014\n    title: ~\n", 4, 12,
                 "'title' is empty");
    expect_error("empty quoted title", "events:\n  - id: a\n    date: 2014\n    title: ''\n", 4,
                 12, "'title' is empty");
    expect_error("null date", "events:\n  - id: a\n    date:\n    title: A\n", 3, 10,
                 "'date' is empty");
}

static void test_colors(void)
{
    expect_error("unquoted colour", "lanes:\n  - id: a\n    color: #D55E00\n" EV1, 3, 11,
                 "'color' is empty — an unquoted # starts a YAML comment: write color: "
                 "\"#D55E00\"");
    expect_error("colour name", "lanes:\n  - id: a\n    color: red\n" EV1, 3, 12,
                 "'color' must be \"#RRGGBB\" (e.g. \"#D55E00\"), not 'red'");
    expect_error("short colour", "lanes:\n  - id: a\n    color: '#FFF'\n" EV1, 3, 12,
                 "'color' must be \"#RRGGBB\" (e.g. \"#D55E00\"), not '#FFF'");
}

static void test_dates(void)
{
    /* The messages come from the date parser; the position is ours: the
     * value's column plus the parser's offset, after any opening quote. */
    expect_date_error("a word", "events:\n  - id: a\n    date: yesterday\n    title: A\n", 3,
                      11, "yesterday");
    expect_date_error("a quoted word", "events:\n  - id: a\n    date: \"yesterday\"\n    title: A\n",
                      3, 12, "yesterday");
    expect_date_error("an invalid end", "events:\n  - id: a\n    date: 2014\n    end: soon\n"
                      "    title: A\n", 4, 10, "soon");
    expect_date_error("a bad source date", "sources:\n  - {id: s, title: S, date: never}\n" EV1,
                      2, 29, "never");
    expect_date_error("a bad bound", "events:\n  - id: a\n    date: {after: whenever}\n"
                      "    title: A\n", 3, 19, "whenever");
    expect_error("an empty bounded date", "events:\n  - id: a\n    date: {}\n    title: A\n", 3,
                 11, "a bounded date needs 'after', 'before' or both");
    expect_error("an unknown bound", "events:\n  - id: a\n    date: {afterwards: 2014}\n"
                 "    title: A\n", 3, 12,
                 "unknown key 'afterwards' in a date — the keys are: after, before");
    expect_error("a bound that is a list", "events:\n  - id: a\n    date: {before: [2014]}\n"
                 "    title: A\n", 3, 20, "'before' must be a date, not a list");
}

static void test_date_offsets(void)
{
    /* Offsets into a date point into the source only when the scalar is
     * written on one line; a date that cannot be parsed at all is marked at
     * its start (offset 0), so a leading blank inside quotes moves it. */
    tl_doc *doc;
    tl_diag *d;
    CHECK_INT(load("events:\n  - id: a\n    date: \"x\\ty\"\n    title: A\n", &doc, &d),
              TL_ERR_DATA);
    /* An escape: the value no longer matches the source, so the column is
     * the scalar's own. */
    CHECK_INT(tl_diag_count(d), 1);
    if (tl_diag_count(d) == 1)
        CHECK_INT(tl_diag_col(d, 0), 11);
    tl_diag_free(d);
    CHECK_INT(load("events:\n  - id: a\n    date: >\n      yesterday\n    title: A\n", &doc, &d),
              TL_ERR_DATA);
    CHECK_INT(tl_diag_count(d), 1);
    if (tl_diag_count(d) == 1) {
        CHECK_INT(tl_diag_line(d, 0), 3);
        CHECK_INT(tl_diag_col(d, 0), 11);
    }
    tl_diag_free(d);
}

static void test_text_limits(void)
{
    char buf[6000];
    int n = snprintf(buf, sizeof buf, "events:\n  - id: a\n    date: 2014\n    title: ");
    memset(buf + n, 'x', 301);
    strcpy(buf + n + 301, "\n");
    expect_error("301-byte title", buf, 4, 12,
                 "'title' is 301 bytes long — the limit is 300; put the rest in 'summary'");
    buf[n + 300] = '\n';
    buf[n + 301] = '\0';
    tl_doc *doc;
    tl_diag *d;
    CHECK_INT(load(buf, &doc, &d), TL_OK); /* 300 bytes are fine */
    tl_doc_free(doc);
    tl_diag_free(d);

    n = snprintf(buf, sizeof buf, "events:\n  - id: a\n    date: 2014\n    title: A\n    note: ");
    memset(buf + n, 'y', 4001);
    strcpy(buf + n + 4001, "\n");
    expect_error("4001-byte note", buf, 5, 11, "'note' is 4001 bytes long — the limit is 4000");

    expect_error("NUL by escape", "events:\n  - id: a\n    date: 2014\n    title: \"a\\0b\"\n", 4,
                 14, "'title' contains a NUL character");
}

static void test_count_limits(void)
{
    /* Limits are reported at the first item past them. */
    char *buf = malloc(100000);
    size_t o = (size_t)sprintf(buf, "lanes:\n");
    for (int i = 0; i <= TL_MAX_LANES; i++)
        o += (size_t)sprintf(buf + o, "  - id: l%d\n", i);
    strcpy(buf + o, EV1);
    expect_error("65 lanes", buf, 2 + TL_MAX_LANES, 5, "too many lanes — the limit is 64");

    o = (size_t)sprintf(buf, "sources:\n");
    for (int i = 0; i <= TL_MAX_SOURCES; i++)
        o += (size_t)sprintf(buf + o, "  - {id: s%d, title: T}\n", i);
    strcpy(buf + o, EV1);
    expect_error("257 sources", buf, 2 + TL_MAX_SOURCES, 5, "too many sources — the limit is 256");

    o = (size_t)sprintf(buf, "events:\n  - id: a\n    date: 2014\n    title: A\n    tags:\n");
    for (int i = 0; i <= TL_MAX_TAGS; i++)
        o += (size_t)sprintf(buf + o, "      - t%d\n", i);
    expect_error("33 tags", buf, 6 + TL_MAX_TAGS, 9, "too many tags — the limit is 32 per event");

    o = (size_t)sprintf(buf, "sources: [{id: s, title: T}]\n"
                             "events:\n  - id: a\n    date: 2014\n    title: A\n    sources:\n");
    for (int i = 0; i <= TL_MAX_CITES; i++)
        o += (size_t)sprintf(buf + o, "      - s\n");
    expect_error("17 citations", buf, 7 + TL_MAX_CITES, 9,
                 "too many sources — the limit is 16 per event");
    free(buf);

    /* One event too many, at the first event past the limit. */
    static const char item[] = "- {id: a, date: 2014, title: t}\n";
    size_t isz = sizeof item - 1;
    size_t len = 8 + (size_t)(TL_MAX_EVENTS + 1) * isz;
    buf = malloc(len + 1);
    memcpy(buf, "events:\n", 8);
    for (size_t i = 0; i <= TL_MAX_EVENTS; i++)
        memcpy(buf + 8 + i * isz, item, isz);
    buf[len] = '\0';
    expect_error("500,001 events", buf, 2 + TL_MAX_EVENTS, 3,
                 "too many events — the limit is 500000");
    free(buf);
}

/* Lane ids, tags and refs that repeat are stored once; more different
 * ones than the loader shares (4,096) still load, each with its text. */
static void test_shared_words(void)
{
    enum { N = 6000 };
    char *buf = malloc((size_t)N * 120 + 200);
    size_t o = (size_t)sprintf(buf, "sources: [{id: src, title: T}]\n"
                                    "lanes: [{id: east}, {id: west}]\nevents:\n");
    for (int i = 0; i < N; i++)
        o += (size_t)sprintf(buf + o,
                             "  - {id: e%d, date: 2014, title: T, lane: %s, "
                             "tags: [common, u%d], sources: [src]}\n",
                             i, i % 2 ? "west" : "east", i);
    tl_doc *doc;
    tl_diag *d;
    CHECK_INT(load(buf, &doc, &d), TL_OK);
    if (doc) {
        CHECK_INT(doc->nevents, N);
        int shared = 0, right = 0;
        const tl_event *e = doc->events;
        for (int i = 0; i < N; i++) {
            char want[16];
            snprintf(want, sizeof want, "u%d", i);
            right += e[i].info->ntags == 2 && strcmp(e[i].info->tags[0], "common") == 0 &&
                     strcmp(e[i].info->tags[1], want) == 0 &&
                     strcmp(e[i].info->lane_id, i % 2 ? "west" : "east") == 0 &&
                     e[i].ncites == 1 && strcmp(e[i].info->cites[0].ref, "src") == 0 &&
                     e[i].lane == i % 2;
            shared += e[i].info->tags[0] == e[0].info->tags[0] &&
                      e[i].info->lane_id == e[i % 2].info->lane_id &&
                      e[i].info->cites[0].ref == e[0].info->cites[0].ref;
        }
        CHECK_INT(right, N);
        CHECK_INT(shared, N);
    }
    tl_diag_free(d);
    tl_doc_free(doc);
    free(buf);
}

static void test_structure(void)
{
    expect_error("empty file", "", 1, 1, "the file is empty — a timeline needs an 'events' list");
    expect_error("only comments", "# nothing\n\n# at all\n", 1, 1,
                 "the file is empty — a timeline needs an 'events' list");
    expect_error("only a document marker", "---\n", 1, 1,
                 "the file is empty — a timeline needs an 'events' list");
    expect_error("no events", "title: T\n", 1, 1,
                 "no 'events' list — a timeline needs 'events:' with at least one event");
    expect_error("empty events", "title: T\nevents: []\n", 2, 9,
                 "'events' is empty — a timeline needs at least one event");
    expect_error("null events", "events:\n", 1, 8,
                 "'events' is empty — a timeline needs at least one event");
    expect_error("two documents", EV1 "---\n" EV1, 5, 1,
                 "a second YAML document — a file holds one timeline; remove this '---' line "
                 "or what follows it");
    expect_error("anchor", "events:\n  - id: a\n    date: 2014\n    title: &t A\n", 4, 12,
                 "anchors and aliases are not supported — write the value out in full");
    expect_error("alias", "x: 1\nevents:\n  - id: a\n    date: 2014\n    title: *t\n", 5, 12,
                 "anchors and aliases are not supported — write the value out in full");
    expect_error("tag", "events:\n  - id: a\n    date: !!str 2014\n    title: A\n", 3, 11,
                 "YAML tags such as '!!str' are not supported — write the value without it "
                 "(quote it to make it text)");
    expect_error("local tag", "events:\n  - !event {id: a, date: 2014, title: A}\n", 2, 5,
                 "YAML tags such as '!event' are not supported — write the value without it "
                 "(quote it to make it text)");

    /* 33 nested flow sequences: the 33rd opens at column 33. */
    char deep[100];
    memset(deep, '[', 40);
    memset(deep + 40, ']', 40);
    deep[80] = '\0';
    expect_error("too deep", deep, 1, 33,
                 "nesting is deeper than 32 levels — a timeline needs only a few");
    memset(deep, '[', 32);
    memset(deep + 32, ']', 32);
    deep[64] = '\0';
    expect_error("32 levels are allowed", deep, 1, 1,
                 "the top level must be a mapping with an 'events' list, not a list");
}

static void test_syntax_errors(void)
{
    expect_error("bad indentation", "events:\n  - id: a\n   date: 2014\n", 3, 4,
                 "YAML syntax error: did not find expected '-' indicator while parsing a block "
                 "collection that starts at line 2");
    expect_error("unterminated quote", "events:\n  - id: a\n    title: \"open\n", 4, 1,
                 "YAML syntax error: found unexpected end of stream while scanning a quoted "
                 "scalar that starts at line 3");
    expect_error("tab indentation", "events:\n  - id: a\n\tdate: 2014\n", 3, 1,
                 "YAML syntax error: found a tab character that violates indentation while "
                 "scanning a plain scalar that starts at line 2 — indent with spaces, not tabs");
    /* Reader errors carry a byte offset; columns count characters. */
    expect_error("invalid UTF-8", "title: caf\xC3\xA9 \xFF\n" EV1, 1, 13,
                 "the file is not valid UTF-8 text — invalid leading UTF-8 octet (0xFF)");
    expect_error("invalid UTF-8 after CRLF", "title: x\r\n\xC3\xA9\xC3\xA9\xFE\n", 2, 3,
                 "the file is not valid UTF-8 text — invalid leading UTF-8 octet (0xFE)");
    expect_error("control character", "title: a\x01\n" EV1, 1, 9,
                 "the file is not plain text — control characters are not allowed (U+0001)");

    /* A UTF-8 byte order mark is not a character of the first line. */
    expect_error("after a BOM", "\xEF\xBB\xBFtitel: T\n" EV1, 1, 1,
                 "unknown key 'titel' at the top level — did you mean 'title'?");
    expect_error("UTF-16 BOM", "\xFF\xFEt\0", 1, 1,
                 "the file is UTF-16 (little-endian), not UTF-8 — save it as UTF-8");

    /* A NUL byte inside the buffer (strlen would stop at it). */
    static const char nul[] = "title: a\0b\n" EV1;
    tl_diag *d = tl_diag_new();
    tl_doc *doc;
    CHECK_INT(tl_doc_load_buffer("t.yaml", nul, sizeof nul - 1, &doc, d), TL_ERR_DATA);
    CHECK_INT(tl_diag_line(d, 0), 1);
    CHECK_INT(tl_diag_col(d, 0), 9);
    CHECK_STR(tl_diag_message(d, 0),
              "the file is not plain text — control characters are not allowed (U+0000)");
    tl_diag_free(d);
}

static void test_streaming(void)
{
    /* Events are walked one by one as they end; a syntax error after one
     * that is incomplete in the writer's mind reports only the syntax. */
    tl_doc *doc;
    tl_diag *d;
    CHECK_INT(load("events:\n  - id: a\n    title: A\n  - id: b\n   date: 2014\n", &doc, &d),
              TL_ERR_DATA);
    CHECK_INT(tl_diag_count(d), 1);
    CHECK(strncmp(tl_diag_message(d, 0), "YAML syntax error: ", 19) == 0);
    tl_diag_free(d);

    /* A second 'events' list is refused, not walked. */
    CHECK_INT(load(EV1 "events:\n  - {id: a, title: [x]}\n", &doc, &d), TL_ERR_DATA);
    CHECK_INT(tl_diag_count(d), 1);
    CHECK_STR(tl_diag_message(d, 0), "duplicate key 'events' — first given at line 1");
    tl_diag_free(d);

    /* Deeply nested values where text is expected: only their kind counts. */
    expect_error("nested list as title",
                 "events:\n  - id: a\n    date: 2014\n    title: [[[[[[x]]]]], [[y]]]\n", 4, 12,
                 "'title' must be text, not a list");
    expect_error("nested citation quote",
                 "sources: [{id: s, title: S}]\nevents:\n  - id: a\n    date: 2014\n"
                 "    title: A\n    sources:\n      - {ref: s, quote: {a: [b]}}\n",
                 7, 25, "'quote' must be text, not a mapping");

    /* A mapping with far more keys than the schema: the cap stops the walk
     * before the end, and no key is reported missing. */
    char *buf = malloc(100000);
    size_t o = (size_t)sprintf(buf, "events:\n  - {");
    for (int i = 0; i < 1000; i++)
        o += (size_t)sprintf(buf + o, "k%d: v, ", i);
    strcpy(buf + o, "id: a}\n");
    CHECK_INT(load(buf, &doc, &d), TL_ERR_DATA);
    CHECK_INT(tl_diag_error_count(d), 50);
    CHECK_STR(tl_diag_message(d, 49),
              "unknown key 'k49' in event — the keys are: id, date, end, title, summary, lane, "
              "tags, importance, url, note, sources");
    tl_diag_free(d);

    /* A long tag list: the error is at the first tag past the limit. */
    o = (size_t)sprintf(buf, "events:\n  - id: a\n    date: 2014\n    title: A\n    tags: [");
    for (int i = 0; i < 1000; i++)
        o += (size_t)sprintf(buf + o, "t, ");
    strcpy(buf + o, "t]\n");
    expect_error("1001 tags", buf, 5, 12 + 3 * TL_MAX_TAGS,
                 "too many tags — the limit is 32 per event");
    free(buf);
}

static void test_validation(void)
{
    expect_error("duplicate event id",
                 "events:\n  - {id: a, date: 2014, title: A}\n  - {id: b, date: 2014, title: B}\n"
                 "  - {id: a, date: 2015, title: C}\n",
                 4, 10, "duplicate event id 'a' — first used at line 2");
    expect_error("duplicate lane id", "lanes:\n  - id: x\n  - id: x\n" EV1, 3, 9,
                 "duplicate lane id 'x' — first used at line 2");
    expect_error("duplicate source id",
                 "sources:\n  - {id: s, title: A}\n  - {id: s, title: B}\n" EV1, 3, 10,
                 "duplicate source id 's' — first used at line 2");
    expect_error("undeclared lane",
                 "lanes: [{id: a}, {id: b}]\n"
                 "events:\n  - id: e\n    date: 2014\n    title: A\n    lane: foo\n",
                 6, 11, "lane 'foo' is not declared — declared lanes: a, b");
    expect_error("undeclared lane, no lanes",
                 "events:\n  - id: e\n    date: 2014\n    title: A\n    lane: foo\n", 5, 11,
                 "lane 'foo' is not declared — the file declares no lanes");
    expect_error("undeclared source",
                 "sources: [{id: lewis, title: L}]\n"
                 "events:\n  - id: e\n    date: 2014\n    title: A\n    sources:\n"
                 "      - ref: lu\n        quote: q\n",
                 7, 14, "source 'lu' is not declared — declared sources: lewis");
    expect_error("undeclared source, none",
                 "events:\n  - id: e\n    date: 2014\n    title: A\n    sources: [lu]\n", 5, 15,
                 "source 'lu' is not declared — the file declares no sources");
    expect_error("end before date",
                 "events:\n  - id: e\n    date: 2014-05\n    end: 2014-01\n    title: A\n", 4, 10,
                 "end 2014-01 is before date 2014-05");

    /* An end inside the date's own interval is fine. */
    tl_doc *doc;
    tl_diag *d;
    CHECK_INT(load("events:\n  - id: e\n    date: 2014\n    end: 2014-01\n    title: A\n", &doc, &d),
              TL_OK);
    tl_doc_free(doc);
    tl_diag_free(d);
}

static void test_all_errors_reported(void)
{
    static const char yaml[] =
        "titel: T\n"                           /* 1: unknown key */
        "events:\n"                            /* 2 */
        "  - id: a\n"                          /* 3 */
        "    date: 2014\n"                     /* 4 */
        "    title: [x]\n"                     /* 5: wrong type */
        "  - id: b\n"                          /* 6 */
        "    date: 2014\n"                     /* 7 */
        "    title: B\n"                       /* 8 */
        "    importance: high\n"               /* 9: bad number */
        "  - id: c\n"                          /* 10: missing title */
        "    date: 2014\n"                     /* 11 */
        "  - id: D\n"                          /* 12: bad id */
        "    date: 2014\n"                     /* 13 */
        "    title: D\n";                      /* 14 */
    static const struct {
        int line, col;
        const char *msg;
    } want[] = {
        {1, 1, "unknown key 'titel' at the top level — did you mean 'title'?"},
        {5, 12, "'title' must be text, not a list"},
        {9, 17, "importance must be 1, 2 or 3, not 'high'"},
        {10, 5, "event is missing 'title'"},
        {12, 9, "id 'D' contains 'D' — ids use only a-z, 0-9, '_' and '-'"},
    };
    tl_doc *doc;
    tl_diag *d;
    CHECK_INT(load(yaml, &doc, &d), TL_ERR_DATA);
    CHECK(doc == NULL);
    size_t n = sizeof want / sizeof want[0];
    CHECK_INT(tl_diag_count(d), n);
    CHECK_INT(tl_diag_error_count(d), n);
    for (size_t i = 0; i < n && i < tl_diag_count(d); i++) {
        CHECK_INT(tl_diag_line(d, i), want[i].line);
        CHECK_INT(tl_diag_col(d, i), want[i].col);
        CHECK_STR(tl_diag_message(d, i), want[i].msg);
    }
    tl_diag_free(d);

    /* More problems than the cap: loading stops looking, and says so. */
    char *buf = malloc(10000);
    size_t o = (size_t)sprintf(buf, "events:\n");
    for (int i = 0; i < 80; i++)
        o += (size_t)sprintf(buf + o, "  - {id: e%d, date: 2014, title: T, bad: 1}\n", i);
    CHECK_INT(load(buf, &doc, &d), TL_ERR_DATA);
    CHECK_INT(tl_diag_error_count(d), 50);
    CHECK_INT(tl_diag_line(d, 49), 51);
    tl_diag_free(d);
    free(buf);
}

static void test_null_diag_and_args(void)
{
    static char sentinel;
    tl_doc *doc = (tl_doc *)(void *)&sentinel;
    CHECK_INT(tl_doc_load_buffer("t.yaml", "x: [", 4, &doc, NULL), TL_ERR_DATA);
    CHECK(doc == NULL);
    CHECK_INT(tl_doc_load_buffer(NULL, EV1, strlen(EV1), &doc, NULL), TL_OK);
    CHECK_STR(doc->name, "<input>");
    CHECK_INT(tl_doc_validate(doc, NULL), TL_OK);
    tl_doc_free(doc);
    tl_doc_free(NULL);
    CHECK_INT(tl_doc_validate(NULL, NULL), TL_ERR_USAGE);
    CHECK_INT(tl_doc_load_buffer("t.yaml", NULL, 3, &doc, NULL), TL_ERR_USAGE);

    /* Over the size limit: refused before it is read. */
    size_t big = (size_t)TL_MAX_INPUT_BYTES + 1;
    char *huge = calloc(1, big);
    if (huge) {
        tl_diag *d = tl_diag_new();
        CHECK_INT(tl_doc_load_buffer("big.yaml", huge, big, &doc, d), TL_ERR_DATA);
        CHECK_STR(tl_diag_message(d, 0), "input is larger than the 64 MiB limit");
        CHECK_INT(tl_diag_line(d, 0), 0);
        tl_diag_free(d);
        free(huge);
    }

    /* A diag already full from another file does not cut a good one short. */
    tl_diag *d = tl_diag_new();
    for (int i = 0; i < 60; i++)
        tl_diag_add(d, TL_ERROR, "other.yaml", 1, 1, "earlier problem");
    CHECK_INT(tl_doc_load_buffer("t.yaml", good_yaml, strlen(good_yaml), &doc, d), TL_OK);
    CHECK(doc && doc->events[0].lane == 1);
    tl_doc_free(doc);
    tl_diag_free(d);
}

/* Makes the temporary directory `dir` (a mkdtemp template) and writes
 * `text` to the file `name` in it, whose path goes to path[0..256).  False,
 * after a failed check, when it cannot. */
static bool temp_file(char *dir, char *path, const char *name, const char *text)
{
    if (!mkdtemp(dir)) {
        CHECK(0);
        return false;
    }
    snprintf(path, 256, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    CHECK(fp != NULL);
    if (!fp)
        return false;
    fputs(text, fp);
    return fclose(fp) == 0;
}

static void test_streams_and_files(void)
{
    char dir[] = "/tmp/test_load_XXXXXX", path[256];
    if (!temp_file(dir, path, "t.yaml", good_yaml))
        return;
    FILE *fp;

    tl_doc *doc;
    tl_diag *d = tl_diag_new();
    CHECK_INT(tl_doc_load_file(path, &doc, d), TL_OK);
    CHECK_INT(tl_doc_event_count(doc), 3);
    CHECK_STR(doc->name, path);
    tl_doc_free(doc);

    fp = fopen(path, "rb");
    CHECK_INT(tl_doc_load_stream("named", fp, &doc, d), TL_OK);
    CHECK_STR(doc->name, "named");
    tl_doc_free(doc);
    fclose(fp);
    CHECK_INT(tl_diag_count(d), 0);
    tl_diag_free(d);

    /* Errors name the file and show its line.  (A diag keeps the first
     * text of a name, so this one is fresh.) */
    d = tl_diag_new();
    fp = fopen(path, "wb");
    fputs("events:\n  - id: a\n    date: 2014\n    titel: A\n", fp);
    fclose(fp);
    CHECK_INT(tl_doc_load_file(path, &doc, d), TL_ERR_DATA);
    CHECK_STR(tl_diag_file(d, 0), path);
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    tl_diag_print(d, mem);
    fclose(mem);
    CHECK(strstr(text, "     4 |     titel: A\n       |     ^\n") != NULL);
    free(text);
    tl_diag_free(d);

    d = tl_diag_new();
    CHECK_INT(tl_doc_load_file(dir, &doc, d), TL_ERR_IO);
    CHECK(doc == NULL);
    CHECK_STR(tl_diag_message(d, 0), "is a directory — give a timeline file");
    CHECK_STR(tl_diag_file(d, 0), dir);
    tl_diag_free(d);

    char missing[300];
    snprintf(missing, sizeof missing, "%s/none.yaml", dir);
    d = tl_diag_new();
    CHECK_INT(tl_doc_load_file(missing, &doc, d), TL_ERR_IO);
    char want[200];
    snprintf(want, sizeof want, "cannot open: %s", strerror(ENOENT));
    CHECK_STR(tl_diag_message(d, 0), want);
    tl_diag_free(d);

    unlink(path);
    rmdir(dir);
}

/* A named file is streamed, not held; its messages must be those of the
 * same bytes given whole: the hints and reader errors that read the text
 * again, and the line shown under each. */
static void test_streamed_file_messages(void)
{
    static const struct {
        const char *bytes;
        const char *shown; /* in the printed messages */
    } cases[] = {
        {"title: x\nevents:\n\t- id: a\n", "     3 | \t- id: a\n       | ^\n"},
        {"\xEF\xBB\xBFtitle: x\nevents:\n  - id: a\n    date: 2020-13\n    title: T\n",
         "     4 |     date: 2020-13\n       |                ^\n"},
        {"\xEF\xBB\xBFtitle: x\nevents:\n  - id: a\n    title: \"caf\xE9\"\n", "     4 | "},
        {"title: x\r\nevents:\r\n  - id: a\r\n    date: 2014\r\n    title: \"\x01\"\r\n",
         "     5 |     title: \"\\x01\"\n"},
        {"title: [x\n", NULL},
        /* Positions after LS and NEL, and characters found past escapes,
         * agree whether the file is streamed or held. */
        {"title: \"a\xE2\x80\xA8\"\nevents:\n  - {id: a, date: 2014, title: \"\\x01\"}\n",
         "     3 |   - {id: a, date: 2014, title: \"\\x01\"}\n       |                       "
         "          ^\n"},
        {"title: \"a\xC2\x85\"\nevents:\n  - {id: a, date: 2014, title: \"x\n  \\x01\"}\n",
         "     4 |   \\x01\"}\n       |   ^\n"},
        /* A NEL after a reader error: reported by neither (found by
         * fuzzing). */
        {"events:\n  - \xfa\n    title: \"a\xC2\x85" "b\"\n", "     2 |   - \\xfa\n"},
    };
    char dir[] = "/tmp/test_load_XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(0);
        return;
    }
    char path[256];
    snprintf(path, sizeof path, "%s/s.yaml", dir);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        FILE *fp = fopen(path, "wb");
        CHECK(fp != NULL);
        if (!fp)
            break;
        fputs(cases[i].bytes, fp);
        fclose(fp);
        tl_doc *doc;
        tl_diag *file = tl_diag_new(), *whole = tl_diag_new();
        CHECK_INT(tl_doc_load_file(path, &doc, file), TL_ERR_DATA);
        CHECK_INT(tl_doc_load_buffer(path, cases[i].bytes, strlen(cases[i].bytes), &doc, whole),
                  TL_ERR_DATA);
        CHECK(tl_diag_count(file) > 0);
        CHECK_INT(tl_diag_count(file), tl_diag_count(whole));
        for (size_t k = 0; k < tl_diag_count(file) && k < tl_diag_count(whole); k++) {
            CHECK_INT(tl_diag_line(file, k), tl_diag_line(whole, k));
            CHECK_INT(tl_diag_col(file, k), tl_diag_col(whole, k));
            CHECK_STR(tl_diag_message(file, k), tl_diag_message(whole, k));
        }
        char *a = NULL, *b = NULL;
        size_t na = 0, nb = 0;
        FILE *ma = open_memstream(&a, &na), *mb = open_memstream(&b, &nb);
        tl_diag_print(file, ma);
        tl_diag_print(whole, mb);
        fclose(ma);
        fclose(mb);
        CHECK_STR(a, b);
        if (cases[i].shown)
            CHECK(strstr(a, cases[i].shown) != NULL);
        free(a);
        free(b);
        tl_diag_free(file);
        tl_diag_free(whole);
    }
    unlink(path);
    rmdir(dir);
}

/* A lean load keeps what a chart reads and drops the rest: ids, lane
 * names, tags, notes, quotes and, unless asked, summaries. */
static void test_lean_plan(void)
{
    static const char yaml[] =
        "lanes: [{id: a}, {id: b}]\n"
        "sources: [{id: s, title: S}]\n"
        "events:\n"
        "  - {id: x, date: 2014, title: One, lane: b, tags: [t], note: N, summary: Sum,\n"
        "     url: 'https://example.org/', sources: [{ref: s, quote: Q}]}\n"
        "  - {id: y, date: 2015, end: 2016, title: Two, tags: [u]}\n";
    char dir[] = "/tmp/test_load_XXXXXX", path[256];
    if (!temp_file(dir, path, "l.yaml", yaml))
        return;
    for (int summaries = 0; summaries < 2; summaries++) {
        tl_load_plan plan = {.lean = true, .summaries = summaries};
        tl_doc *doc = NULL;
        CHECK_INT(tl_doc_load_file_planned(path, &plan, &doc, NULL), TL_OK);
        if (!doc)
            continue;
        CHECK(doc->lean);
        CHECK_INT(doc->nevents, 2);
        const tl_event *e = doc->events;
        CHECK(e[0].info == NULL && e[1].info == NULL);
        CHECK_STR(e[0].title, "One");
        CHECK_INT(e[0].lane, 1);
        CHECK_INT(e[1].lane, -1);
        CHECK_STR(tl_event_url(&e[0]), "https://example.org/");
        CHECK_INT(e[0].ncites, 1);
        CHECK_INT(e[0].cited[0], 0);
        if (summaries)
            CHECK_STR(tl_event_summary(&e[0]), "Sum");
        else
            CHECK(tl_event_summary(&e[0]) == NULL);
        CHECK(e[1].end && e[1].end->latest == tl_days_from_civil(2016, 12, 31));
        tl_doc_free(doc);
    }
    /* Filtered before the tags go. */
    tl_filter *f = tl_filter_new();
    CHECK_INT(tl_filter_add_tag(f, "u"), TL_OK);
    tl_load_plan plan = {.lean = true, .filter = f};
    tl_doc *doc = NULL;
    CHECK_INT(tl_doc_load_file_planned(path, &plan, &doc, NULL), TL_OK);
    CHECK(doc && doc->nevents == 1 && strcmp(doc->events[0].title, "Two") == 0);
    tl_doc_free(doc);
    tl_filter_free(f);
    /* The whole document keeps it all. */
    CHECK_INT(tl_doc_load_file(path, &doc, NULL), TL_OK);
    if (doc) {
        CHECK(!doc->lean && doc->events[0].info && doc->events[1].info);
        CHECK_STR(doc->events[0].info->note, "N");
        CHECK_STR(doc->events[0].info->cites[0].quote, "Q");
        CHECK_STR(tl_event_summary(&doc->events[0]), "Sum");
    }
    tl_doc_free(doc);
    unlink(path);
    rmdir(dir);
}

#define CTRL_MSG(cp) "'title' contains U+" cp ", a control character — text may hold tabs " \
                     "and line breaks, no other control characters"

/* Control characters, noncharacters and stacked combining marks, raw or
 * escaped, in any field: refused at the character itself. */
static void test_hostile_text(void)
{
    expect_error("escape in top title", "title: \"ab\\ecd\"\nevents: []\n", 1, 11,
                 CTRL_MSG("001B"));
    expect_error("\\x01 in title", "events:\n  - id: a\n    date: 2014\n    title: \"\\x01\"\n",
                 4, 13, CTRL_MSG("0001"));
    expect_error("DEL", "events:\n  - id: a\n    date: 2014\n    title: 'x\x7F'\n", 4, 14,
                 "the file is not plain text — control characters are not allowed (U+007F)");
    expect_error("C1 by \\N", "events:\n  - id: a\n    date: 2014\n    title: \"ab\\N\"\n", 4,
                 15, CTRL_MSG("0085"));
    expect_error("\\r escape", "events:\n  - id: a\n    date: 2014\n    title: \"a\\rb\"\n", 4,
                 14, CTRL_MSG("000D"));
    expect_error("U+FFFF", "events:\n  - id: a\n    date: 2014\n    title: \"\\uFFFF\"\n", 4,
                 13, "'title' contains U+FFFF, a Unicode noncharacter — remove it");
    expect_error("U+1FFFE", "events:\n  - id: a\n    date: 2014\n    title: \"x\\U0001FFFE\"\n",
                 4, 14, "'title' contains U+1FFFE, a Unicode noncharacter — remove it");
    expect_error("raw U+FDD0", "events:\n  - id: a\n    date: 2014\n    title: ab\xEF\xB7\x90\n",
                 4, 14, "'title' contains U+FDD0, a Unicode noncharacter — remove it");
    /* The ninth mark in a row; eight are allowed. */
    expect_error("stacked marks",
                 "events:\n  - id: a\n    date: 2014\n    title: \"e\\u0301\xCC\x81\xCC\x81"
                 "\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81\"\n",
                 4, 27, "'title' has more than 8 combining marks on one character — they "
                        "would draw outside the label");
    tl_doc *doc;
    tl_diag *d;
    CHECK_INT(load("events:\n  - id: a\n    date: 2014\n    title: \"e\xCC\x81\xCC\x81\xCC\x81"
                   "\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81 x\xCC\x81\"\n", &doc, &d), TL_OK);
    tl_doc_free(doc);
    tl_diag_free(d);
    /* Every kind of text field. */
    static const struct { const char *yaml; int line, col; const char *key; } fields[] = {
        {"subtitle: \"\\x1b\"\nevents: []\n", 1, 12, "subtitle"},
        {"lanes: [{id: a, label: \"L\\x1b\"}]\nevents: []\n", 1, 26, "label"},
        {"sources: [{id: s, title: T, author: \"\\x1b\"}]\nevents: []\n", 1, 38, "author"},
        {"sources: [{id: s, title: T, publisher: \"\\x1b\"}]\nevents: []\n", 1, 41, "publisher"},
        {"sources: [{id: s, title: \"\\x1b\"}]\nevents: []\n", 1, 27, "title"},
        {"sources: [{id: s, title: T, file: \"a\\x1b\"}]\nevents: []\n", 1, 37, "file"},
        {"events:\n  - {id: a, date: 2014, title: T, summary: \"\\x1b\"}\n", 2, 45, "summary"},
        {"events:\n  - {id: a, date: 2014, title: T, note: \"\\x1b\"}\n", 2, 42, "note"},
        {"events:\n  - {id: a, date: 2014, title: T, lane: \"\\x1b\"}\n", 2, 42, "lane"},
        {"events:\n  - {id: a, date: 2014, title: T, tags: [x, \"\\x1b\"]}\n", 2, 46, "tag"},
        {"events:\n  - {id: \"a\\x1b\", date: 2014, title: T}\n", 2, 12, "id"},
        {"events:\n  - {id: a, date: 2014, title: T, sources: [\"\\x1b\"]}\n", 2, 46, "ref"},
        {"events:\n  - {id: a, date: 2014, title: T, sources: [{ref: s, quote: \"\\x1b\"}]}\n",
         2, 62, "quote"},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        char msg[200];
        snprintf(msg, sizeof msg, "'%s' contains U+001B, a control character — text may hold "
                 "tabs and line breaks, no other control characters", fields[i].key);
        expect_error(fields[i].key, fields[i].yaml, fields[i].line, fields[i].col, msg);
    }
    /* Escapes and folding before the character: it is still found. */
    expect_error("after escapes", "events:\n  - id: a\n    date: 2014\n"
                 "    title: \"\\u00e9\\t\\\"x\\\\ \\x1b\"\n", 4, 27, CTRL_MSG("001B"));
    expect_error("folded lines", "events:\n  - id: a\n    date: 2014\n"
                 "    title: \"one\n      two  \n\n      th\\\n      ree \\e\"\n", 8, 11,
                 CTRL_MSG("001B"));
    expect_error("single quotes", "events:\n  - id: a\n    date: 2014\n"
                 "    title: 'it''s\n      \xEF\xBF\xBE'\n", 5, 7, NULL);
    expect_error("block scalar", "events:\n  - id: a\n    date: 2014\n"
                 "    summary: |  # comment \xEF\xB7\x90\n      ok\n      x\xEF\xB7\x91\n"
                 "    title: T\n", 6, 8,
                 "'summary' contains U+FDD1, a Unicode noncharacter — remove it");
    CHECK_INT(load("events:\n  - id: a\n    date: 2014\n    title: T\n"
                   "    summary: |  # comment \xEF\xB7\x90\n      ok\n      x\xEF\xB7\x91\n",
                   &doc, &d), TL_ERR_DATA);
    CHECK_INT(tl_diag_line(d, 0), 7);
    CHECK_INT(tl_diag_col(d, 0), 8);
    tl_diag_free(d);
    /* Tabs and line breaks are text. */
    CHECK_INT(load("events:\n  - id: a\n    date: 2014\n    title: \"a\\tb\\nc\"\n", &doc, &d),
              TL_OK);
    tl_doc_free(doc);
    tl_diag_free(d);
}

/* Links: http, https and mailto only, at the value's position. */
static void test_urls(void)
{
    static const char *const good[] = {"https://example.org/", "HTTP://x.org", "hTtPs://a/b?c=d",
                                       "mailto:a@example.org", "https://例え.jp/パス"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char yaml[300];
        snprintf(yaml, sizeof yaml,
                 "sources: [{id: s, title: T, url: \"%s\"}]\n"
                 "events:\n  - {id: a, date: 2014, title: T, url: '%s'}\n", good[i], good[i]);
        tl_doc *doc;
        tl_diag *d;
        CHECK_INT(load(yaml, &doc, &d), TL_OK);
        if (doc)
            CHECK_STR(tl_event_url(&doc->events[0]), good[i]);
        tl_doc_free(doc);
        tl_diag_free(d);
    }
    static const struct { const char *url; int col; const char *why; } bad[] = {
        {"javascript:alert(1)", 10, "has a scheme that is not allowed — links may be http, "
                                    "https or mailto only"},
        {"JavaScript:alert(1)", 10, NULL},
        {"file:///etc/passwd", 10, NULL},
        {"data:text/html,x", 10, NULL},
        {"ftp://example.org/", 10, NULL},
        {"example.org", 10, "is not a link: it must start with http://, https:// or mailto:"},
        {"//example.org", 10, NULL},
        {":x", 10, NULL},
        {"https:", 10, "has no host: write it as https://example.org/..."},
        {"https:///x", 10, NULL},
        {"https:x", 10, NULL},
        {"mailto:", 10, "has no address after 'mailto:'"},
        {"https://x.org/a b", 26, "contains white space or a control character — "
                                  "percent-encode it (a space is %20)"},
        {"https://x.org/\\x00", 25, NULL},
        {"https://x.org/) /S /JavaScript", 26, NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char yaml[300], msg[300];
        snprintf(yaml, sizeof yaml, "events:\n  - id: a\n    date: 2014\n    title: T\n"
                 "    url: \"%s\"\n", bad[i].url);
        snprintf(msg, sizeof msg, "url '%s' %s", bad[i].url, bad[i].why ? bad[i].why : "");
        if (strstr(bad[i].url, "\\x00"))
            expect_error(bad[i].url, yaml, 5, bad[i].col, "'url' contains a NUL character");
        else
            expect_error(bad[i].url, yaml, 5, bad[i].col, bad[i].why ? msg : NULL);
        snprintf(yaml, sizeof yaml, "sources:\n  - id: s\n    title: T\n    url: \"%s\"\n"
                 "events:\n  - {id: a, date: 2014, title: T}\n", bad[i].url);
        expect_error(bad[i].url, yaml, 4, bad[i].col, NULL);
    }
}

/* Lines end at LF, CRLF and CR, never at NEL, LS or PS, which libyaml
 * takes for line breaks. */
static void test_editor_lines(void)
{
    /* An LS or PS inside a quoted title; the error after it is on its own
     * line, and on the same line after it, at the editor's column. */
    expect_error("after LS", "title: \"a\xE2\x80\xA8" "b\"\nevents:\n  - id: a\n    date: 2014\n"
                 "    title: T\n    colour: x\n", 6, 5, NULL);
    expect_error("after PS", "title: \"a\xE2\x80\xA9" "b\"\nevents:\n  - id: a\n    date: 2014\n"
                 "    title: T\n    colour: x\n", 6, 5, NULL);
    expect_error("same line", "events:\n  - {id: a, date: 2014, title: \"x\xE2\x80\xA8y\", bad: 1}\n",
                 2, 39, "unknown key 'bad' in event — did you mean 'id'?");
    expect_error("two on a line", "events:\n  - {id: a, date: 2014, title: \"\xE2\x80\xA8y"
                 "\xE2\x80\xA9\", bad: 1}\n", 2, 39, NULL);
    expect_error("syntax after LS", "title: \"a\xE2\x80\xA8" "b\"\nevents: [\n", 3, 1, NULL);
    /* A raw NEL is refused where it is. */
    expect_error("raw NEL", "title: \"a\xC2\x85" "b\"\nevents:\n  - {id: a, date: 2014, title: T}\n",
                 1, 10, "the file contains U+0085 (next line), a control character that YAML "
                        "reads as a line break — replace it with a line break or a space");
    expect_error("NEL in comment", "events: # x\xC2\x85y\n  - {id: a, date: 2014, title: T}\n",
                 1, 12, NULL);
    /* CR alone and CRLF end lines. */
    expect_error("CR lines", "events:\r  - id: a\r    date: 2014\r    title: T\r    x: 1\r", 5, 5,
                 NULL);
    expect_error("CRLF lines", "events:\r\n  - id: a\r\n    date: 2014\r\n    title: T\r\n"
                 "    x: 1\r\n", 5, 5, NULL);
    /* An LS or PS in a comment ends it for libyaml: said where it is, before
     * the syntax error it causes. */
    expect_error("LS in comment", "events: # a\xE2\x80\xA8" "b: c\n  - {id: a, date: 2014, "
                 "title: T}\n", 1, 12,
                 "the file contains U+2028 (line separator) outside a quoted value — YAML reads "
                 "it as a line break, so in a comment what follows it is read as YAML; replace "
                 "it with a line break or a space");
    expect_error("PS in comment", "# top\n# x\xE2\x80\xA9y: 1\nevents:\n  - {id: a, date: 2014, "
                 "title: T}\n", 2, 4,
                 "the file contains U+2029 (paragraph separator) outside a quoted value — YAML "
                 "reads it as a line break, so in a comment what follows it is read as YAML; "
                 "replace it with a line break or a space");
    /* In a quoted value that a syntax error follows it is text: the error
     * alone is reported. */
    {
        tl_doc *doc;
        tl_diag *d;
        CHECK_INT(load("title: \"a\xE2\x80\xA8" "b\"\nevents: [\n", &doc, &d), TL_ERR_DATA);
        CHECK_INT(tl_diag_count(d), 1);
        CHECK(strstr(tl_diag_message(d, 0), "YAML syntax error") != NULL);
        tl_diag_free(d);
    }
    /* A reader error (a control character libyaml refuses) after an LS. */
    expect_error("reader error", "title: \"\xE2\x80\xA8\"\nevents: \x01\n", 2, 9, NULL);
}

/* The quoting function: what a message shows of user text. */
static void test_quote(void)
{
    char buf[TL_QUOTE_SIZE];
    static const struct { const char *in, *out; } cases[] = {
        {"plain café", "plain café"},
        {"\x1b[2J", "\\x1b[2J"},
        {"a\tb\nc\rd", "a\\tb\\nc\\rd"},
        {"\x7f", "\\x7f"},
        {"\xC2\x85", "\\u0085"},
        {"\xC2\x9B", "\\u009B"},
        {"\xEF\xBF\xBF", "\\uFFFF"},
        {"\xF0\x9F\xBF\xBE", "\\U0001FFFE"},
        {"\xE2\x80\xAE" "abc", "\\u202Eabc"},
        {"\xE2\x80\xA8", "\\u2028"},
        {"\xff\xfe", "\\xff\\xfe"},
        {"\xC0\xAF", "\\xc0\\xaf"},          /* overlong '/' */
        {"\xED\xA0\x80", "\\xed\\xa0\\x80"}, /* a surrogate */
        {"ab\xE2\x82", "ab\\xe2\\x82"},      /* cut short */
        {"e\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81x\xCC\x81",
         "e\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81\\u0301\\u0301x\xCC\x81"},
        {"\xE6\x97\xA5\xE6\x9C\xAC", "\xE6\x97\xA5\xE6\x9C\xAC"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK_STR(tl_diag_quote(cases[i].in, strlen(cases[i].in), 0, buf, sizeof buf),
                  cases[i].out);
    CHECK_STR(tl_diag_quote("abcdef", 6, 3, buf, sizeof buf), "abc…");
    CHECK_STR(tl_diag_quote("a\0b", 3, 0, buf, sizeof buf), "a\\x00b");
    char small[16];
    CHECK_STR(tl_diag_quote("\x01\x02\x03\x04", 4, 0, small, sizeof small), "\\x01\\x02\\x03…");
    CHECK_STR(tl_diag_quote(NULL, 5, 0, buf, sizeof buf), "");
    char tiny[4] = "xyz";
    CHECK_STR(tl_diag_quote("abc", 3, 0, tiny, sizeof tiny), "");
    CHECK_STR(tl_diag_quote("abc", 3, 0, NULL, 100), "");

    /* Messages and the lines shown under them. */
    tl_doc *doc;
    tl_diag *d;
    CHECK_INT(load("lanes: [{id: a}]\nevents:\n  - {id: e, date: 2014, title: \"\xE2\x80\xAE"
                   "T\", lane: \"\\e[2Jx\"}\n", &doc, &d), TL_ERR_DATA);
    char *out = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&out, &n);
    tl_diag_print(d, fp);
    fclose(fp);
    CHECK(out && !strchr(out, '\x1b'));
    CHECK(out && !strstr(out, "\xE2\x80\xAE"));
    CHECK(out && strstr(out, "t.yaml:3:45: error: 'lane' contains U+001B"));
    CHECK(out && strstr(out, "  3 |   - {id: e, date: 2014, title: \"\\u202ET\", lane: "
                             "\"\\e[2Jx\"}\n       | "));
    CHECK(out && strstr(out, "\n       | " "                                        "
                             "         ^\n"));
    free(out);
    tl_diag_free(d);
    /* The caret counts two columns for a wide character, none for a
     * combining mark. */
    CHECK_INT(load("events:\n  - {id: a, date: 2014, title: \"\xE6\x97\xA5\xE6\x9C\xAC" "e"
                   "\xCC\x81\", bad: 1}\n", &doc, &d), TL_ERR_DATA);
    CHECK_INT(tl_diag_col(d, 0), 40);
    out = NULL;
    fp = open_memstream(&out, &n);
    tl_diag_print(d, fp);
    fclose(fp);
    CHECK(out && strstr(out, "\n       | " "                                        " /* 40 */
                             "^\n"));
    free(out);
    tl_diag_free(d);
    /* Invalid UTF-8 in a caller's message is stored escaped. */
    d = tl_diag_new();
    tl_diag_add(d, TL_ERROR, "f\x1b", 1, 1, "bad \xff and \x1b[1m");
    CHECK_STR(tl_diag_message(d, 0), "bad \\xff and \\x1b[1m");
    out = NULL;
    fp = open_memstream(&out, &n);
    tl_diag_print(d, fp);
    fclose(fp);
    CHECK_STR(out, "f\\x1b:1:1: error: bad \\xff and \\x1b[1m\n");
    free(out);
    tl_diag_free(d);
}

/* Every public function outside rendering takes NULL and out-of-range
 * arguments: TL_ERR_USAGE with a message, or the documented safe value. */
static void test_null_safety(void)
{
    tl_diag *d = tl_diag_new();
    tl_doc *doc = NULL;
    CHECK(tl_diag_count(NULL) == 0 && tl_diag_error_count(NULL) == 0);
    CHECK_INT(tl_diag_severity(d, 0), TL_NOTE);
    CHECK(tl_diag_file(d, 7) == NULL);
    CHECK_INT(tl_diag_line(d, 7), 0);
    CHECK_INT(tl_diag_col(NULL, 0), 0);
    CHECK_STR(tl_diag_message(d, (size_t)-1), "");
    CHECK_STR(tl_diag_message(NULL, 0), "");
    tl_diag_print(NULL, stderr);
    tl_diag_print(d, NULL);
    tl_diag_print_flags(d, NULL, "--");
    tl_diag_free(NULL);

    CHECK_INT(tl_doc_load_file(NULL, &doc, d), TL_ERR_USAGE);
    CHECK_INT(tl_doc_load_file("x.yaml", NULL, d), TL_ERR_USAGE);
    CHECK_INT(tl_doc_load_stream("s", NULL, &doc, d), TL_ERR_USAGE);
    CHECK_INT(tl_doc_load_buffer("b", EV1, strlen(EV1), NULL, d), TL_ERR_USAGE);
    CHECK_INT(tl_doc_verify_quotes(NULL, ".", d), TL_ERR_USAGE);
    CHECK_INT(tl_doc_filter(NULL, NULL, d), TL_ERR_USAGE);
    CHECK_INT(tl_doc_event_count(NULL), 0);
    CHECK_INT(tl_doc_lane_count(NULL), 0);
    CHECK_INT(tl_doc_source_count(NULL), 0);
    CHECK_INT(tl_doc_range_text(NULL, NULL, 10), 0);
    size_t before = tl_diag_count(d);
    CHECK(before >= 6);
    for (size_t i = 0; i < before; i++)
        CHECK(tl_diag_message(d, i)[0] != '\0');

    CHECK_INT(tl_doc_load_buffer("b", EV1, strlen(EV1), &doc, d), TL_OK);
    CHECK_INT(tl_doc_verify_quotes(doc, NULL, d), TL_ERR_USAGE);
    char small[4];
    CHECK(tl_doc_range_text(doc, NULL, 100) > 0);
    CHECK(tl_doc_range_text(doc, small, sizeof small) > 0 && strlen(small) == 3);
    tl_doc_free(doc);

    CHECK_INT(tl_filter_set_range(NULL, "2014", NULL, d), TL_ERR_USAGE);
    CHECK_INT(tl_filter_add_lane(NULL, "a"), TL_ERR_USAGE);
    CHECK_INT(tl_filter_add_tag(NULL, "a"), TL_ERR_USAGE);
    CHECK_INT(tl_filter_set_min_importance(NULL, 2), TL_ERR_USAGE);
    tl_filter *f = tl_filter_new();
    CHECK_INT(tl_filter_add_lane(f, NULL), TL_ERR_USAGE);
    CHECK_INT(tl_filter_add_tag(f, NULL), TL_ERR_USAGE);
    CHECK_INT(tl_filter_set_min_importance(f, 4), TL_ERR_USAGE);
    CHECK_INT(tl_filter_set_range(f, NULL, NULL, d), TL_OK);
    tl_filter_free(f);
    tl_filter_free(NULL);

    tl_options *o = tl_options_new();
    before = tl_diag_count(d);
    CHECK_INT(tl_options_set(NULL, "width", "100", d), TL_ERR_USAGE);
    CHECK_INT(tl_options_set(o, NULL, "100", d), TL_ERR_USAGE);
    CHECK_INT(tl_options_set(o, "width", NULL, d), TL_ERR_USAGE);
    CHECK_INT(tl_diag_count(d), before + 3);
    CHECK_STR(tl_diag_message(d, before), "tl_options_set: opts is NULL");
    CHECK_STR(tl_diag_message(d, before + 2), "tl_options_set: value is NULL");
    CHECK_INT(tl_options_format(NULL), TL_FORMAT_AUTO);
    tl_options_set_timings(NULL, NULL);
    CHECK_INT(tl_format_from_path(NULL), TL_FORMAT_AUTO);
    /* The library names the option key, never a flag; the CLI's printer
     * adds the dashes. */
    before = tl_diag_count(d);
    CHECK_INT(tl_options_set(o, "width", "0.5", d), TL_ERR_USAGE);
    CHECK_INT(tl_options_set(o, "width", "0x100", d), TL_ERR_USAGE);
    CHECK_INT(tl_options_set(o, "scale", "inf", d), TL_ERR_USAGE);
    CHECK_INT(tl_options_set(o, "title", "a\x1b" "b", d), TL_ERR_USAGE);
    CHECK_INT(tl_options_set(o, "subtitle", "\xEF\xBF\xBE", d), TL_ERR_USAGE);
    CHECK_INT(tl_options_set(o, "width", "100pt", d), TL_ERR_USAGE);
    CHECK_STR(tl_diag_message(d, before), "width: 0.5 is too small — the minimum is 2in (144pt)");
    CHECK_STR(tl_diag_message(d, before + 1),
              "width: invalid value '0x100' — expected a decimal length such as 85mm, 6in, "
              "400pt, 1600px or 1200");
    CHECK_STR(tl_diag_message(d, before + 2),
              "scale: invalid value 'inf' — expected a decimal number from 0.1 to 8");
    CHECK_STR(tl_diag_message(d, before + 3),
              "title: the text contains U+001B, a control character — text may hold tabs "
              "and line breaks, no other control characters (at byte 1)");
    CHECK_STR(tl_diag_message(d, before + 4),
              "subtitle: the text contains U+FFFE, a Unicode noncharacter — remove it (at byte 0)");
    CHECK_STR(tl_diag_message(d, before + 5),
              "width: 100pt is too small — the minimum is 2in (144pt)");
    CHECK_INT(tl_options_set(o, "width", "6in", d), TL_OK);
    CHECK_INT(tl_options_set(o, "title", "tab\tand\nline", d), TL_OK);
    char *out = NULL;
    size_t n = 0;
    tl_diag *one = tl_diag_new();
    tl_options_set(o, "width", "1", one);
    FILE *fp = open_memstream(&out, &n);
    tl_diag_print_flags(one, fp, "--");
    tl_diag_print(one, fp);
    fclose(fp);
    CHECK_STR(out, "error: --width: 1 is too small — the minimum is 2in (144pt)\n"
                   "error: width: 1 is too small — the minimum is 2in (144pt)\n");
    free(out);
    tl_diag_free(one);
    /* Two keys, and a file: each key gets the prefix. */
    one = tl_diag_new();
    tl_diag_option(one, "f.yaml", "width/scale", "a PNG of %d px is too wide", 40000);
    out = NULL;
    fp = open_memstream(&out, &n);
    tl_diag_print_flags(one, fp, "--");
    fclose(fp);
    CHECK_STR(out, "f.yaml: error: --width/--scale: a PNG of 40000 px is too wide\n");
    CHECK_STR(tl_diag_message(one, 0), "width/scale: a PNG of 40000 px is too wide");
    free(out);
    tl_diag_free(one);
    tl_options_free(o);
    tl_options_free(NULL);
    tl_diag_free(d);
}

/* An LS, PS or NEL cut in two by the end of a piece of a streamed file:
 * the file and the same text in memory say the same, at the same place. */
static void test_breaks_across_reads(void)
{
    char dir[] = "/tmp/test_load_XXXXXX", path[256];
    if (!temp_file(dir, path, "b.yaml", ""))
        return;
    static const char *const seps[] = {"\xE2\x80\xA8", "\xE2\x80\xA9", "\xC2\x85"};
    size_t pad_len = 16384 + 8;
    char *text = malloc(pad_len + 200);
    if (!text) {
        CHECK(0);
        return;
    }
    for (size_t sep = 0; sep < 3; sep++) {
        for (size_t shift = 0; shift < 8; shift++) {
            /* "# xxx...\n" puts the character across byte 16384. */
            size_t pad = 16384 - 2 - 9 - 4 + shift;
            size_t o = 0;
            text[o++] = '#';
            memset(text + o, 'x', pad);
            o += pad;
            o += (size_t)sprintf(text + o, "\ntitle: \"a%s\"\nevents:\n  - {id: a, date: 2014, "
                                 "title: T, oops: 1}\n", seps[sep]);
            FILE *fp = fopen(path, "wb");
            if (!fp || fwrite(text, 1, o, fp) != o) {
                CHECK(0);
                if (fp)
                    fclose(fp);
                break;
            }
            fclose(fp);
            tl_doc *doc;
            tl_diag *file = tl_diag_new(), *whole = tl_diag_new();
            CHECK_INT(tl_doc_load_file(path, &doc, file), TL_ERR_DATA);
            CHECK_INT(tl_doc_load_buffer(path, text, o, &doc, whole), TL_ERR_DATA);
            CHECK_INT(tl_diag_count(file), tl_diag_count(whole));
            for (size_t k = 0; k < tl_diag_count(file) && k < tl_diag_count(whole); k++) {
                CHECK_INT(tl_diag_line(file, k), tl_diag_line(whole, k));
                CHECK_INT(tl_diag_col(file, k), tl_diag_col(whole, k));
                CHECK_STR(tl_diag_message(file, k), tl_diag_message(whole, k));
            }
            /* The NEL on line 2, or the unknown key on line 4. */
            CHECK_INT(tl_diag_line(whole, 0), sep == 2 ? 2 : 4);
            CHECK_INT(tl_diag_col(whole, 0), sep == 2 ? 10 : 35);
            tl_diag_free(file);
            tl_diag_free(whole);
        }
    }
    free(text);
    unlink(path);
    rmdir(dir);
}

/* A built document's positions as the places its messages name. */
static void test_built_places(void)
{
    char buf[64];
    tl_pos p = {3, TL_POS_FIELD(TL_PART_EVENT, 2)};
    CHECK(tl_pos_built(p));
    tl_pos_place(p, false, buf, sizeof buf);
    CHECK_STR(buf, "event 3, date");
    tl_pos_place(p, true, buf, sizeof buf);
    CHECK_STR(buf, "event 3");
    tl_pos_place((tl_pos){2, TL_POS_FIELD(TL_PART_LANE, 3)}, false, buf, sizeof buf);
    CHECK_STR(buf, "lane 2, color");
    tl_pos_place((tl_pos){1, TL_POS_FIELD(TL_PART_SOURCE, 0)}, false, buf, sizeof buf);
    CHECK_STR(buf, "source 1");
    tl_pos_place((tl_pos){1, TL_POS_FIELD(TL_PART_DOC, 2)}, false, buf, sizeof buf);
    CHECK_STR(buf, "subtitle");
    tl_pos_place((tl_pos){12, TL_POS_FIELD(TL_PART_EVENT, 11)}, false, buf, sizeof buf);
    CHECK_STR(buf, "event 12, sources");
    tl_pos_place((tl_pos){1, TL_POS_FIELD(TL_PART_LANE, 9)}, false, buf, sizeof buf);
    CHECK_STR(buf, "<code>");
    CHECK_INT((long)tl_pos_place(p, false, buf, 4), 13);   /* snprintf's answer */
    CHECK_STR(buf, "eve");
    /* A file's positions are never taken for built ones. */
    CHECK(!tl_pos_built((tl_pos){1, 1}));
    CHECK(!tl_pos_built((tl_pos){0, 0}));
}

/* A UTF-16 or UTF-32 file is named as such at 1:1, with its byte order
 * mark or without one (by its NUL bytes), from memory and from a file. */
static void test_wide_encodings(void)
{
    static const struct {
        const char *bytes;
        size_t len;
        const char *msg;
    } cases[] = {
        {"\xFF\xFEt\0i\0t\0", 8, "the file is UTF-16 (little-endian), not UTF-8 — save it as UTF-8"},
        {"\xFE\xFF\0t\0i\0t", 8, "the file is UTF-16 (big-endian), not UTF-8 — save it as UTF-8"},
        {"\xFF\xFE\0\0t\0\0\0", 8, "the file is UTF-32 (little-endian), not UTF-8 — save it as UTF-8"},
        {"\0\0\xFE\xFF\0\0\0t", 8, "the file is UTF-32 (big-endian), not UTF-8 — save it as UTF-8"},
        {"t\0i\0t\0l\0e\0:\0 \0T\0", 16, "the file is UTF-16 (little-endian), not UTF-8 — save it as UTF-8"},
        {"\0t\0i\0t\0l\0e\0:\0 \0T", 16, "the file is UTF-16 (big-endian), not UTF-8 — save it as UTF-8"},
        {"t\0\0\0i\0\0\0t\0\0\0l\0\0\0", 16, "the file is UTF-32 (little-endian), not UTF-8 — save it as UTF-8"},
        {"\0\0\0t\0\0\0i\0\0\0t\0\0\0l", 16, "the file is UTF-32 (big-endian), not UTF-8 — save it as UTF-8"},
        /* One NUL in UTF-8 text is a control character, not an encoding. */
        {"title: a\0b\nevents: []\n", 22, "the file is not plain text — control characters are not allowed (U+0000)"},
    };
    char dir[] = "/tmp/test_load_XXXXXX", path[256];
    if (!mkdtemp(dir)) {
        CHECK(0);
        return;
    }
    snprintf(path, sizeof path, "%s/w.yaml", dir);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (int from_file = 0; from_file < 2; from_file++) {
            tl_doc *doc = NULL;
            tl_diag *d = tl_diag_new();
            tl_status st;
            if (from_file) {
                FILE *fp = fopen(path, "wb");
                CHECK(fp != NULL);
                if (!fp)
                    break;
                fwrite(cases[i].bytes, 1, cases[i].len, fp);
                fclose(fp);
                st = tl_doc_load_file(path, &doc, d);
            } else {
                st = tl_doc_load_buffer("w.yaml", cases[i].bytes, cases[i].len, &doc, d);
            }
            CHECK_INT(st, TL_ERR_DATA);
            CHECK(doc == NULL);
            CHECK_STR(tl_diag_message(d, 0), cases[i].msg);
            if (i < 8) {
                CHECK_INT(tl_diag_count(d), 1);
                CHECK_INT(tl_diag_line(d, 0), 1);
                CHECK_INT(tl_diag_col(d, 0), 1);
            }
            tl_diag_free(d);
        }
    }
    remove(path);
    rmdir(dir);
}

/* The document's title has a title's limit, 300 bytes, as an event's and
 * the title option's; its subtitle any text's. */
static void test_title_limit(void)
{
    char yaml[5000], title[302];
    memset(title, 'T', 301);
    title[301] = '\0';
    snprintf(yaml, sizeof yaml, "title: %s\nevents: [{id: a, date: 2014, title: A}]\n", title);
    expect_error("title 301", yaml, 1, 8,
                 "'title' is 301 bytes long — the limit is 300; put the rest in 'subtitle'");
    title[300] = '\0';
    snprintf(yaml, sizeof yaml, "title: %s\nsubtitle: %s%s\nevents: [{id: a, date: 2014, "
             "title: A}]\n", title, title, title);
    tl_doc *doc;
    tl_diag *d;
    CHECK_INT(load(yaml, &doc, &d), TL_OK);
    tl_doc_free(doc);
    tl_diag_free(d);
}

int main(void)
{
    test_good_document();
    test_range_single_date();
    test_unknown_keys();
    test_duplicate_keys();
    test_wrong_types();
    test_importance();
    test_ids();
    test_missing_and_empty();
    test_colors();
    test_dates();
    test_date_offsets();
    test_text_limits();
    test_count_limits();
    test_shared_words();
    test_structure();
    test_syntax_errors();
    test_streaming();
    test_validation();
    test_all_errors_reported();
    test_null_diag_and_args();
    test_streams_and_files();
    test_streamed_file_messages();
    test_lean_plan();
    test_hostile_text();
    test_urls();
    test_editor_lines();
    test_wide_encodings();
    test_title_limit();
    test_quote();
    test_null_safety();
    test_breaks_across_reads();
    test_built_places();
    return check_report("test_load");
}
