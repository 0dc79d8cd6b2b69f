/* test_filter.c — date ranges, lanes, tags and importance, alone and
 * combined, on small documents built by hand; and the usage errors. */
#include "check.h"
#include "diag.h"
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct spec {
    const char *id, *date, *end, *lane;
    const char *tags;    /* comma-separated, NULL for none */
    int importance;
} spec;

/* Events over 2001..2016 with open and bounded dates, in two lanes. */
static const spec events[] = {
    {"a", "2001", NULL, "x", "war", 1},
    {"b", "2014-05", NULL, "y", "law,espionage", 3},
    {"c", "2014-11/2015-01-13", NULL, "x", NULL, 2},
    {"d", "2005-06", "2009", NULL, "war", 2},
    {"e", "../2010", NULL, "y", NULL, 2},
    {"f", "2016/..", NULL, "x", "law", 2},
    {"g", "2015-03-17", NULL, "y", NULL, 3},
    {"h", "~2012", NULL, NULL, NULL, 1},
};
#define NEVENTS (sizeof events / sizeof events[0])

static tl_date date_of(const char *s)
{
    tl_date d;
    char err[256];
    size_t off;
    if (!tl_date_parse(s, &d, err, sizeof err, &off)) {
        fprintf(stderr, "bad date in test: %s\n", err);
        CHECK(0);
    }
    return d;
}

/* A document in `doc` with the given events and lane ids; the caller
 * releases doc->arena. */
static void build(tl_doc *doc, const spec *v, size_t n, const char *const *lanes,
                  size_t nlanes)
{
    memset(doc, 0, sizeof *doc);
    tl_arena_init(&doc->arena);
    doc->name = "test.yaml";
    doc->lanes = tl_arena_array(&doc->arena, nlanes ? nlanes : 1, sizeof *doc->lanes);
    for (size_t i = 0; i < nlanes; i++) {
        doc->lanes[i].id = lanes[i];
        doc->lanes[i].label = lanes[i];
    }
    doc->nlanes = nlanes;
    doc->events = tl_arena_array(&doc->arena, n ? n : 1, sizeof *doc->events);
    for (size_t i = 0; i < n; i++) {
        tl_event *e = &doc->events[i];
        tl_event_info *in = tl_arena_alloc(&doc->arena, sizeof *in);
        e->info = in;
        in->id = v[i].id;
        e->title = v[i].id;
        e->date = date_of(v[i].date);
        if (v[i].end) {
            tl_date *end = tl_arena_alloc(&doc->arena, sizeof *end);
            *end = date_of(v[i].end);
            e->end = end;
        }
        in->lane_id = v[i].lane;
        e->lane = -1;
        for (size_t k = 0; k < nlanes; k++)
            if (v[i].lane && strcmp(v[i].lane, lanes[k]) == 0)
                e->lane = (int)k;
        e->importance = v[i].importance;
        if (v[i].tags) {
            char *t = tl_arena_strdup(&doc->arena, v[i].tags);
            in->tags = tl_arena_array(&doc->arena, TL_MAX_TAGS, sizeof *in->tags);
            for (char *p = t; p; ) {
                char *comma = strchr(p, ',');
                if (comma)
                    *comma = '\0';
                in->tags[in->ntags++] = p;
                p = comma ? comma + 1 : NULL;
            }
        }
    }
    doc->nevents = n;
}

/* The ids left in doc, space-separated. */
static const char *ids(const tl_doc *doc)
{
    static char buf[256];
    buf[0] = '\0';
    for (size_t i = 0; i < doc->nevents; i++) {
        if (i)
            strcat(buf, " ");
        strcat(buf, doc->events[i].info->id);
    }
    return buf;
}

static const char *const two_lanes[] = {"x", "y"};

typedef struct criteria {
    const char *from, *to;
    const char *lanes[3], *tags[3];
    int min_importance;
} criteria;

/* Filters the standard document by c and returns the ids kept. */
static const char *run(const criteria *c)
{
    static char out[256];
    tl_doc doc;
    build(&doc, events, NEVENTS, two_lanes, 2);
    tl_filter *f = tl_filter_new();
    tl_diag *d = tl_diag_new();
    CHECK(f != NULL && d != NULL);
    if (c->from || c->to)
        CHECK_INT(tl_filter_set_range(f, c->from, c->to, d), TL_OK);
    for (int i = 0; i < 3 && c->lanes[i]; i++)
        CHECK_INT(tl_filter_add_lane(f, c->lanes[i]), TL_OK);
    for (int i = 0; i < 3 && c->tags[i]; i++)
        CHECK_INT(tl_filter_add_tag(f, c->tags[i]), TL_OK);
    if (c->min_importance)
        CHECK_INT(tl_filter_set_min_importance(f, c->min_importance), TL_OK);
    CHECK_INT(tl_doc_filter(&doc, f, d), TL_OK);
    CHECK_INT(tl_diag_count(d), 0);
    snprintf(out, sizeof out, "%s", ids(&doc));
    tl_filter_free(f);
    tl_diag_free(d);
    tl_arena_release(&doc.arena);
    return out;
}

static void test_nothing_set(void)
{
    criteria c = {0};
    CHECK_STR(run(&c), "a b c d e f g h");
}

static void test_range(void)
{
    /* --from keeps what ends on or after its start; --to keeps what
     * begins on or before its end, so --to 2014 keeps all of 2014. */
    CHECK_STR(run(&(criteria){.from = "2014"}), "b c f g");
    CHECK_STR(run(&(criteria){.to = "2014"}), "a b c d e h");
    CHECK_STR(run(&(criteria){.to = "2014-10"}), "a b d e h");
    CHECK_STR(run(&(criteria){.from = "2014", .to = "2014"}), "b c");
    /* A span counts to its end; an open start reaches back for ever. */
    CHECK_STR(run(&(criteria){.from = "2008", .to = "2008"}), "d e");
    CHECK_STR(run(&(criteria){.from = "2009-12-31", .to = "2010-01-01"}), "d e");
    CHECK_STR(run(&(criteria){.to = "2000"}), "e");
    /* An open end reaches forward for ever. */
    CHECK_STR(run(&(criteria){.from = "9000"}), "f");
    /* Bounded dates overlap by any part of their interval. */
    CHECK_STR(run(&(criteria){.from = "2015-01-13", .to = "2015-01-13"}), "c");
    CHECK_STR(run(&(criteria){.from = "2015-01-14"}), "f g");
    CHECK_STR(run(&(criteria){.to = "2014-10-31", .from = "2014-06"}), "");
    /* The bounds' own intervals count: circa widens them. */
    CHECK_STR(run(&(criteria){.from = "~2012"}), "b c f g h");
    CHECK_STR(run(&(criteria){.from = "2013-12-31"}), "b c f g h");
    CHECK_STR(run(&(criteria){.from = "2014-01-01"}), "b c f g");
    /* Open bounds limit nothing on their open side. */
    CHECK_STR(run(&(criteria){.to = "2010/.."}), "a b c d e f g h");
    CHECK_STR(run(&(criteria){.from = "../2010"}), "a b c d e f g h");
}

static void test_lanes_tags_importance(void)
{
    CHECK_STR(run(&(criteria){.lanes = {"x"}}), "a c f");
    CHECK_STR(run(&(criteria){.lanes = {"y"}}), "b e g");
    CHECK_STR(run(&(criteria){.lanes = {"x", "y"}}), "a b c e f g");
    CHECK_STR(run(&(criteria){.lanes = {"x", "x"}}), "a c f");
    CHECK_STR(run(&(criteria){.tags = {"war"}}), "a d");
    CHECK_STR(run(&(criteria){.tags = {"law"}}), "b f");
    CHECK_STR(run(&(criteria){.tags = {"war", "espionage"}}), "a b d");
    CHECK_STR(run(&(criteria){.tags = {"nothing"}}), "");
    CHECK_STR(run(&(criteria){.tags = {"WAR"}}), "");
    CHECK_STR(run(&(criteria){.min_importance = 1}), "a b c d e f g h");
    CHECK_STR(run(&(criteria){.min_importance = 2}), "b c d e f g");
    CHECK_STR(run(&(criteria){.min_importance = 3}), "b g");
}

static void test_combined(void)
{
    CHECK_STR(run(&(criteria){.lanes = {"y"}, .min_importance = 3}), "b g");
    CHECK_STR(run(&(criteria){.from = "2014", .lanes = {"x"}}), "c f");
    CHECK_STR(run(&(criteria){.tags = {"law"}, .to = "2015"}), "b");
    CHECK_STR(run(&(criteria){.tags = {"war"}, .lanes = {"x"}}), "a");
    CHECK_STR(run(&(criteria){.from = "2001", .to = "2015", .lanes = {"x", "y"},
                              .tags = {"war", "law"}, .min_importance = 2}),
              "b");
}

/* One diagnostic, an error with no position, with message msg. */
static void expect_diag(tl_diag *d, const char *file, const char *msg)
{
    CHECK_INT(tl_diag_count(d), 1);
    if (tl_diag_count(d) < 1)
        return;
    CHECK_INT(tl_diag_severity(d, 0), TL_ERROR);
    if (file)
        CHECK_STR(tl_diag_file(d, 0), file);
    else
        CHECK(tl_diag_file(d, 0) == NULL);
    CHECK_INT(tl_diag_line(d, 0), 0);
    CHECK_INT(tl_diag_col(d, 0), 0);
    CHECK_STR(tl_diag_message(d, 0), msg);
}

static void test_range_errors(void)
{
    tl_filter *f = tl_filter_new();
    tl_diag *d = tl_diag_new();
    CHECK_INT(tl_filter_set_range(f, "yesterday", NULL, d), TL_ERR_USAGE);
    expect_diag(d, NULL, "from: cannot read 'yesterday' as a date — expected a form like "
                         "2015-03-17, 2014-05, 2014-Q2, 2014, early 2015, ~2012 or "
                         "2014-11/2015-01-13");
    tl_diag_free(d);

    d = tl_diag_new();
    CHECK_INT(tl_filter_set_range(f, NULL, "2015-02-30", d), TL_ERR_USAGE);
    expect_diag(d, NULL, "to: invalid date '2015-02-30' — February 2015 has 28 days");
    tl_diag_free(d);

    d = tl_diag_new();
    CHECK_INT(tl_filter_set_range(f, "2015", "2014-06", d), TL_ERR_USAGE);
    expect_diag(d, NULL,
                "from/to: 2015 is after 2014-06 — no event could match; are they swapped?");
    tl_diag_free(d);

    /* Both bad: both reported.  A NULL diag only loses the messages. */
    d = tl_diag_new();
    CHECK_INT(tl_filter_set_range(f, "soon", "later", d), TL_ERR_USAGE);
    CHECK_INT(tl_diag_error_count(d), 2);
    tl_diag_free(d);
    CHECK_INT(tl_filter_set_range(f, "soon", NULL, NULL), TL_ERR_USAGE);

    /* The same interval on both sides, and overlapping bounds, are fine. */
    CHECK_INT(tl_filter_set_range(f, "2014", "2014", NULL), TL_OK);
    CHECK_INT(tl_filter_set_range(f, "2014", "2014-01-01", NULL), TL_OK);

    /* A failed call leaves the range as it was. */
    tl_doc doc;
    build(&doc, events, NEVENTS, two_lanes, 2);
    CHECK_INT(tl_filter_set_range(f, "2014", NULL, NULL), TL_OK);
    CHECK_INT(tl_filter_set_range(f, "2001", "bad", NULL), TL_ERR_USAGE);
    CHECK_INT(tl_doc_filter(&doc, f, NULL), TL_OK);
    CHECK_STR(ids(&doc), "b c f g");
    tl_arena_release(&doc.arena);

    /* Setting the range again replaces both sides. */
    build(&doc, events, NEVENTS, two_lanes, 2);
    CHECK_INT(tl_filter_set_range(f, NULL, "2000", NULL), TL_OK);
    CHECK_INT(tl_doc_filter(&doc, f, NULL), TL_OK);
    CHECK_STR(ids(&doc), "e");
    tl_arena_release(&doc.arena);

    CHECK_INT(tl_filter_set_range(NULL, "2014", NULL, NULL), TL_ERR_USAGE);
    tl_filter_free(f);
}

static void test_other_errors(void)
{
    tl_filter *f = tl_filter_new();
    CHECK_INT(tl_filter_set_min_importance(f, 0), TL_ERR_USAGE);
    CHECK_INT(tl_filter_set_min_importance(f, 4), TL_ERR_USAGE);
    CHECK_INT(tl_filter_set_min_importance(f, -1), TL_ERR_USAGE);
    CHECK_INT(tl_filter_set_min_importance(NULL, 2), TL_ERR_USAGE);
    CHECK_INT(tl_filter_add_lane(f, NULL), TL_ERR_USAGE);
    CHECK_INT(tl_filter_add_tag(NULL, "x"), TL_ERR_USAGE);

    /* An undeclared lane: an error naming the lanes there are, and the
     * document is left as it was. */
    tl_doc doc;
    tl_diag *d = tl_diag_new();
    build(&doc, events, NEVENTS, two_lanes, 2);
    CHECK_INT(tl_filter_add_lane(f, "x"), TL_OK);
    CHECK_INT(tl_filter_add_lane(f, "korea"), TL_OK);
    CHECK_INT(tl_doc_filter(&doc, f, d), TL_ERR_USAGE);
    expect_diag(d, "test.yaml", "lane: no lane 'korea' in this file — its lanes are: x, y");
    CHECK_INT(doc.nevents, NEVENTS);
    tl_arena_release(&doc.arena);
    tl_diag_free(d);

    /* Without lanes. */
    d = tl_diag_new();
    build(&doc, events, NEVENTS, NULL, 0);
    CHECK_INT(tl_doc_filter(&doc, f, d), TL_ERR_USAGE);
    CHECK_INT(tl_diag_count(d), 2);
    if (tl_diag_count(d) == 2) {
        CHECK_STR(tl_diag_message(d, 0), "lane: no lane 'x' in this file — it has no lanes");
        CHECK_STR(tl_diag_message(d, 1),
                  "lane: no lane 'korea' in this file — it has no lanes");
    }
    tl_arena_release(&doc.arena);
    tl_diag_free(d);
    tl_filter_free(f);

    /* Many lanes: the list has them all. */
    static const char *const many[] = {"alpha", "beta", "gamma", "delta"};
    d = tl_diag_new();
    f = tl_filter_new();
    build(&doc, events, NEVENTS, many, 4);
    CHECK_INT(tl_filter_add_lane(f, "x"), TL_OK);
    CHECK_INT(tl_doc_filter(&doc, f, d), TL_ERR_USAGE);
    expect_diag(d, "test.yaml",
                "lane: no lane 'x' in this file — its lanes are: alpha, beta, gamma, delta");
    tl_arena_release(&doc.arena);
    tl_diag_free(d);
    tl_filter_free(f);

    CHECK_INT(tl_doc_filter(NULL, NULL, NULL), TL_ERR_USAGE);
}

static void test_ownership_and_edges(void)
{
    /* The filter keeps its own copies of lane ids and tags. */
    tl_filter *f = tl_filter_new();
    char lane[8], tag[8];
    strcpy(lane, "y");
    strcpy(tag, "law");
    CHECK_INT(tl_filter_add_lane(f, lane), TL_OK);
    CHECK_INT(tl_filter_add_tag(f, tag), TL_OK);
    strcpy(lane, "x");
    strcpy(tag, "war");
    tl_doc doc;
    build(&doc, events, NEVENTS, two_lanes, 2);
    CHECK_INT(tl_doc_filter(&doc, f, NULL), TL_OK);
    CHECK_STR(ids(&doc), "b");
    /* Filtering again changes nothing; the kept events are intact. */
    CHECK_INT(tl_doc_filter(&doc, f, NULL), TL_OK);
    CHECK_STR(ids(&doc), "b");
    CHECK_INT(doc.events[0].info->ntags, 2);
    CHECK_STR(doc.events[0].info->lane_id, "y");
    CHECK_INT(doc.events[0].importance, 3);
    tl_arena_release(&doc.arena);

    /* Many lanes and tags grow the lists. */
    for (int i = 0; i < 40; i++) {
        char t[16];
        snprintf(t, sizeof t, "t%d", i);
        CHECK_INT(tl_filter_add_tag(f, t), TL_OK);
    }
    tl_filter_free(f);

    /* No filter and no events are fine. */
    build(&doc, events, NEVENTS, two_lanes, 2);
    CHECK_INT(tl_doc_filter(&doc, NULL, NULL), TL_OK);
    CHECK_INT(doc.nevents, NEVENTS);
    tl_arena_release(&doc.arena);
    f = tl_filter_new();
    CHECK_INT(tl_filter_set_min_importance(f, 3), TL_OK);
    build(&doc, events, 0, NULL, 0);
    CHECK_INT(tl_doc_filter(&doc, f, NULL), TL_OK);
    CHECK_INT(doc.nevents, 0);
    tl_arena_release(&doc.arena);
    tl_filter_free(f);
    tl_filter_free(NULL);
}

int main(void)
{
    test_nothing_set();
    test_range();
    test_lanes_tags_importance();
    test_combined();
    test_range_errors();
    test_other_errors();
    test_ownership_and_edges();
    return check_report("test_filter");
}
