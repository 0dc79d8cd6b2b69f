/* filter.c — narrowing a document to the events a chart should show.
 *
 * Every criterion is optional and they combine with AND.  Dates compare as
 * intervals: an event is kept when any part of it can fall inside the
 * requested range, so "--to 2014" keeps all of 2014 and an event known
 * only as "before 2015" is kept by any --from that its open start reaches. */
#include "diag.h"
#include "model.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

typedef struct strlist {
    char **v;
    size_t n, cap;
} strlist;

struct tl_filter {
    bool has_from, has_to;
    tl_date from, to;
    strlist lanes, tags;
    int min_importance;    /* 0: no limit */
};

static bool strlist_has(const strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return true;
    return false;
}

/* Appends a copy of s unless it is already there. */
static tl_status strlist_add(strlist *l, const char *s)
{
    if (strlist_has(l, s))
        return TL_OK;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return TL_ERR_NOMEM;
        l->v = v;
        l->cap = cap;
    }
    size_t len = strlen(s);
    char *copy = malloc(len + 1);
    if (!copy)
        return TL_ERR_NOMEM;
    memcpy(copy, s, len + 1);
    l->v[l->n++] = copy;
    return TL_OK;
}

static void strlist_free(strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

/* A filter that keeps everything; NULL when out of memory.  The caller
 * frees it with tl_filter_free. */
tl_filter *tl_filter_new(void) { return calloc(1, sizeof(tl_filter)); }

/* Frees the filter and its copies of lane ids and tags; NULL is a no-op. */
void tl_filter_free(tl_filter *filter)
{
    if (!filter)
        return;
    strlist_free(&filter->lanes);
    strlist_free(&filter->tags);
    free(filter);
}

static bool parse_bound(const char *key, const char *text, tl_date *out, tl_diag *diag)
{
    char msg[256];
    size_t off;
    if (tl_date_parse(text, out, msg, sizeof msg, &off))
        return true;
    tl_diag_option(diag, NULL, key, "%s", msg[0] ? msg : "invalid date");
    return false;
}

/* Replaces the date range: either bound may be NULL (no limit on that
 * side).  On a date that does not parse, or a --from that begins after the
 * --to ends, returns TL_ERR_USAGE with an error in diag and leaves the
 * filter unchanged.  The strings are not kept. */
tl_status tl_filter_set_range(tl_filter *filter, const char *from, const char *to,
                              tl_diag *diag)
{
    if (!filter) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "tl_filter_set_range: filter is NULL");
        return TL_ERR_USAGE;
    }
    tl_date f, t;
    bool ok = true;
    if (from && !parse_bound("from", from, &f, diag))
        ok = false;
    if (to && !parse_bound("to", to, &t, diag))
        ok = false;
    if (!ok)
        return TL_ERR_USAGE;
    if (from && to && f.earliest > t.latest) {
        char a[96], b[96];
        tl_date_iso(&f, a, sizeof a);
        tl_date_iso(&t, b, sizeof b);
        tl_diag_option(diag, NULL, "from/to",
                       "%s is after %s — no event could match; are they swapped?", a, b);
        return TL_ERR_USAGE;
    }
    filter->has_from = from != NULL;
    filter->has_to = to != NULL;
    if (from)
        filter->from = f;
    if (to)
        filter->to = t;
    return TL_OK;
}

/* Adds a lane id (copied): events in any added lane are kept.  Whether the
 * document declares it is checked by tl_doc_filter. */
tl_status tl_filter_add_lane(tl_filter *filter, const char *lane_id)
{
    if (!filter || !lane_id)
        return TL_ERR_USAGE;
    return strlist_add(&filter->lanes, lane_id);
}

/* Adds a tag (copied): events carrying any added tag are kept. */
tl_status tl_filter_add_tag(tl_filter *filter, const char *tag)
{
    if (!filter || !tag)
        return TL_ERR_USAGE;
    return strlist_add(&filter->tags, tag);
}

/* Keeps events of importance n or more; n outside 1..3 is TL_ERR_USAGE and
 * leaves the filter unchanged. */
tl_status tl_filter_set_min_importance(tl_filter *filter, int n)
{
    if (!filter || n < 1 || n > 3)
        return TL_ERR_USAGE;
    filter->min_importance = n;
    return TL_OK;
}

static bool keeps(const tl_doc *doc, const tl_filter *f, const tl_event *e)
{
    /* In instants, to the second: open sides are INT64_MIN / INT64_MAX, so
     * they overlap anything on their side without a special case.  A
     * bound's time without a zone is in the document's zone. */
    int64_t lo, hi, a, b;
    tl_date_instants(&e->date, &lo, &a);
    tl_date_instants(e->end ? e->end : &e->date, &b, &hi);
    tl_date bound;
    if (f->has_from) {
        bound = f->from;
        tl_date_set_zone(&bound, doc->tz);
        tl_date_instants(&bound, &a, &b);
        if (hi < a)
            return false;
    }
    if (f->has_to) {
        bound = f->to;
        tl_date_set_zone(&bound, doc->tz);
        tl_date_instants(&bound, &a, &b);
        if (lo > b)
            return false;
    }
    /* The lane by its index: validation set it, and a document loaded for
     * rendering no longer has the name the event gave. */
    assert(e->lane < (int)doc->nlanes);
    if (f->lanes.n && !(e->lane >= 0 && strlist_has(&f->lanes, doc->lanes[e->lane].id)))
        return false;
    if (f->tags.n) {
        bool any = false;
        const tl_event_info *in = e->info;
        for (size_t i = 0; in && i < in->ntags && !any; i++)
            any = in->tags[i] && strlist_has(&f->tags, in->tags[i]);
        if (!any)
            return false;
    }
    return e->importance >= f->min_importance;
}

/* "a, b, c": the document's lane ids, malloc'd; NULL when out of memory. */
static char *lane_list(const tl_doc *doc)
{
    size_t len = 1;
    for (size_t i = 0; i < doc->nlanes; i++)
        len += strlen(doc->lanes[i].id) + 2;
    char *s = malloc(len), *p = s;
    if (!s)
        return NULL;
    for (size_t i = 0; i < doc->nlanes; i++) {
        size_t n = strlen(doc->lanes[i].id);
        if (i) {
            memcpy(p, ", ", 2);
            p += 2;
        }
        memcpy(p, doc->lanes[i].id, n);
        p += n;
    }
    *p = '\0';
    return s;
}

/* Every added lane must be one the document declares: a misspelt --lane
 * would otherwise quietly give an empty chart. */
static tl_status check_lanes(const tl_doc *doc, const tl_filter *f, tl_diag *diag)
{
    tl_status st = TL_OK;
    char *list = NULL;
    for (size_t k = 0; k < f->lanes.n; k++) {
        char shown[TL_QUOTE_SIZE];
        tl_diag_quote(f->lanes.v[k], strlen(f->lanes.v[k]), TL_QUOTE_CHARS, shown, sizeof shown);
        bool found = false;
        for (size_t i = 0; i < doc->nlanes && !found; i++)
            found = strcmp(doc->lanes[i].id, f->lanes.v[k]) == 0;
        if (found)
            continue;
        st = TL_ERR_USAGE;
        if (!doc->nlanes) {
            tl_diag_option(diag, doc->name, "lane",
                           "no lane '%s' in this file — it has no lanes", shown);
            continue;
        }
        if (!list && !(list = lane_list(doc))) {
            st = TL_ERR_NOMEM;
            break;
        }
        tl_diag_option(diag, doc->name, "lane", "no lane '%s' in this file — its lanes are: %s",
                       shown, list);
    }
    free(list);
    return st;
}

/* Removes the events the filter rejects, keeping the others in order.  An
 * added lane the document does not declare is TL_ERR_USAGE (one error per
 * lane, with the file's name) and the document is left unchanged.  A NULL
 * filter keeps everything. */
tl_status tl_doc_filter(tl_doc *doc, const tl_filter *filter, tl_diag *diag)
{
    if (!doc) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "tl_doc_filter: doc is NULL");
        return TL_ERR_USAGE;
    }
    if (!filter)
        return TL_OK;
    if (doc->lean && filter->tags.n) {
        tl_diag_option(diag, doc->name, "tag",
                       "this document was loaded for rendering and kept no tags");
        return TL_ERR_USAGE;
    }
    tl_status st = check_lanes(doc, filter, diag);
    if (st != TL_OK)
        return st;
    size_t n = 0;
    for (size_t i = 0; i < doc->nevents; i++) {
        if (!keeps(doc, filter, &doc->events[i]))
            continue;
        if (n != i)
            doc->events[n] = doc->events[i];
        n++;
    }
    doc->nevents = n;
    return TL_OK;
}
