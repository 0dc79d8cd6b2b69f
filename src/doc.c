/* doc.c — the document model every source of a document shares: what a
 * document holds, reading it back, copying it, and its events in date
 * order.  The YAML reader and the builder both fill a tl_doc through the
 * format checker; everything after them reads it through model.h. */
#include "diag.h"
#include "model.h"

#include <stdlib.h>
#include <string.h>

/* Where an event sits in time for ordering: its earliest day, or for a
 * date open at the start ("before Nov 2014") just before its bound begins,
 * so that it comes before the events of that month, not among them. */
static tl_day sort_day(const tl_event *e)
{
    if (e->date.earliest != TL_DAY_OPEN_MIN)
        return e->date.earliest;
    tl_day bound = e->date.is_range ? e->date.hi.first : e->date.latest;
    return bound > INT32_MIN ? bound - 1 : bound;
}

static int cmp_event(const void *a, const void *b)
{
    const tl_event *x = *(const tl_event *const *)a, *y = *(const tl_event *const *)b;
    tl_day dx = sort_day(x), dy = sort_day(y);
    if (dx != dy)
        return dx < dy ? -1 : 1;
    int c = tl_date_cmp(&x->date, &y->date);
    if (c)
        return c;
    return (x > y) - (x < y); /* the array is in file order */
}

const tl_event **tl_events_sorted(const tl_doc *doc, tl_arena *arena)
{
    const tl_event **v = tl_arena_array(arena, doc->nevents ? doc->nevents : 1, sizeof *v);
    if (!v)
        return NULL;
    for (size_t i = 0; i < doc->nevents; i++)
        v[i] = &doc->events[i];
    qsort(v, doc->nevents, sizeof *v, cmp_event);
    return v;
}

/* Frees doc and every string and array in it; NULL is a no-op. */
bool tl_doc_timed_range(const tl_doc *doc, int64_t *lo, int64_t *hi)
{
    *lo = INT64_MAX;
    *hi = INT64_MIN;
    for (size_t i = 0; i < doc->nevents; i++) {
        const tl_event *e = &doc->events[i];
        for (int k = 0; k < 2; k++) {
            const tl_date *d = k ? e->end : &e->date;
            if (!d || !tl_date_has_time(d))
                continue;
            int64_t a, b;
            tl_date_instants(d, &a, &b);
            *lo = a != INT64_MIN && a < *lo ? a : *lo;
            *hi = b != INT64_MAX && b > *hi ? b : *hi;
        }
    }
    return *lo <= *hi;
}

void tl_doc_free(tl_doc *doc)
{
    if (!doc)
        return;
    tl_arena_release(&doc->arena);
    free(doc->event_block);
    tl_builder_free(doc->built);
    free(doc);
}

/* ---- Summary ---------------------------------------------------------- */

/* Counts for the summary line; 0 for NULL. */
size_t tl_doc_event_count(const tl_doc *doc) { return doc ? doc->nevents : 0; }
size_t tl_doc_lane_count(const tl_doc *doc) { return doc ? doc->nlanes : 0; }
size_t tl_doc_source_count(const tl_doc *doc) { return doc ? doc->nsources : 0; }

/* "FIRST – LAST": the ISO text of the earliest-starting event's date and of
 * the latest-ending event's end (or date), one of them when they are the
 * same, "" without events.  snprintf semantics: buf (size bytes, may be 0)
 * is always terminated and the length needed is returned. */
/* Where a date starts for the summary line, to the second (where its end
 * starts when it has no start: "../2015-01-13" is known only by its end). */
static int64_t summary_day(const tl_date *d)
{
    int64_t a, b;
    tl_date end = *d;
    if (d->lo.open)
        end.lo = end.hi;
    tl_date_instants(&end, &a, &b);
    return a;
}

size_t tl_doc_range_text(const tl_doc *doc, char *buf, size_t size)
{
    if (!buf)
        size = 0;
    char first[96] = "", last[96] = "";
    if (doc && doc->nevents) {
        /* First: the earliest start the data states; last: the latest
         * start (or end of a span).  Ties go to the plainer date, so a
         * dated publication beats "../2015-03-17". */
        const tl_date *lo = NULL, *hi = NULL;
        for (size_t i = 0; i < doc->nevents; i++) {
            const tl_event *e = &doc->events[i];
            const tl_date *d = &e->date, *z = e->end ? e->end : &e->date;
            if (!lo || summary_day(d) < summary_day(lo) ||
                (summary_day(d) == summary_day(lo) && lo->is_range && !d->is_range))
                lo = d;
            if (!hi || summary_day(z) > summary_day(hi) ||
                (summary_day(z) == summary_day(hi) && hi->is_range && !z->is_range))
                hi = z;
        }
        tl_date_iso(lo, first, sizeof first);
        tl_date_iso(hi, last, sizeof last);
    }
    int n;
    if (strcmp(first, last) == 0)
        n = snprintf(buf, size, "%s", first);
    else
        n = snprintf(buf, size, "%s \xE2\x80\x93 %s", first, last);
    return n < 0 ? 0 : (size_t)n;
}

/* ---- Messages --------------------------------------------------------- */

void tl_doc_vreport(tl_diag *diag, tl_severity sev, const tl_doc *doc, tl_pos pos,
                    const char *fmt, va_list ap)
{
    char place[64];
    if (tl_pos_built(pos)) {
        tl_pos_place(pos, false, place, sizeof place);
        tl_diag_vadd(diag, sev, place, 0, 0, fmt, ap);
    } else {
        tl_diag_vadd(diag, sev, doc->name, pos.line, pos.col, fmt, ap);
    }
}

void tl_doc_report(tl_diag *diag, tl_severity sev, const tl_doc *doc, tl_pos pos,
                   const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tl_doc_vreport(diag, sev, doc, pos, fmt, ap);
    va_end(ap);
}

/* ---- Copies ------------------------------------------------------------ */

/* s copied into a (NULL stays NULL); sets *ok to false when out of memory. */
static const char *dup(tl_arena *a, const char *s, bool *ok)
{
    if (!s)
        return NULL;
    const char *c = tl_arena_strdup(a, s);
    if (!c)
        *ok = false;
    return c;
}

/* n elements of size sz from src into a, or NULL (src NULL or n 0). */
static void *dup_array(tl_arena *a, const void *src, size_t n, size_t sz, bool *ok)
{
    if (!src || !n)
        return NULL;
    void *c = tl_arena_array(a, n, sz);
    if (c)
        memcpy(c, src, n * sz);
    else
        *ok = false;
    return c;
}

/* n elements of size sz from src into a new array of room `cap`, or NULL
 * when src is NULL. */
static void *grown(tl_arena *a, const void *src, size_t n, size_t cap, size_t sz, bool *ok)
{
    if (!src)
        return NULL;
    void *c = tl_arena_array(a, cap, sz);
    if (c)
        memcpy(c, src, n * sz);
    else
        *ok = false;
    return c;
}

/* What is only an event's: its info, end, texts and citations. */
static void copy_event(tl_arena *a, tl_event *e, bool *ok)
{
    e->title = dup(a, e->title, ok);
    e->end = dup_array(a, e->end, 1, sizeof *e->end, ok);
    e->cited = dup_array(a, e->cited, e->ncites, sizeof *e->cited, ok);
    if (e->extra) {
        tl_event_extra *x = dup_array(a, e->extra, 1, sizeof *x, ok);
        if (x) {
            x->summary = dup(a, x->summary, ok);
            x->url = dup(a, x->url, ok);
        }
        e->extra = x;
    }
    if (!e->info)
        return;
    tl_event_info *in = dup_array(a, e->info, 1, sizeof *in, ok);
    e->info = in;
    if (!in)
        return;
    in->id = dup(a, in->id, ok);
    in->lane_id = dup(a, in->lane_id, ok);
    in->note = dup(a, in->note, ok);
    const char **tags = dup_array(a, in->tags, in->ntags, sizeof *tags, ok);
    for (size_t t = 0; tags && t < in->ntags; t++)
        tags[t] = dup(a, tags[t], ok);
    in->tags = tags;
    tl_citation *c = dup_array(a, in->cites, e->ncites, sizeof *c, ok);
    for (size_t k = 0; c && k < e->ncites; k++) {
        c[k].ref = dup(a, c[k].ref, ok);
        c[k].quote = dup(a, c[k].quote, ok);
    }
    in->cites = c;
}

tl_status tl_doc_copy(const tl_doc *doc, tl_doc **out, tl_diag *diag)
{
    if (out)
        *out = NULL;
    if (!doc || !out) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "tl_doc_copy: %s is NULL", !doc ? "doc" : "out");
        return TL_ERR_USAGE;
    }
    tl_doc *d = calloc(1, sizeof *d);
    bool ok = d != NULL;
    if (d) {
        *d = *doc;
        tl_arena_init(&d->arena);
        d->event_block = d->events = NULL;
        d->cap_events = 0;
        d->built = NULL;
        tl_arena *a = &d->arena;
        d->name = dup(a, doc->name, &ok);
        d->title = dup(a, doc->title, &ok);
        d->subtitle = dup(a, doc->subtitle, &ok);
        /* Room for the most a document may hold, as a load leaves: the
         * copy may be added to. */
        d->sources = grown(a, doc->sources, doc->nsources, TL_MAX_SOURCES, sizeof *d->sources,
                           &ok);
        for (size_t i = 0; d->sources && i < d->nsources; i++) {
            tl_source *s = &d->sources[i];
            s->id = dup(a, s->id, &ok);
            s->title = dup(a, s->title, &ok);
            s->author = dup(a, s->author, &ok);
            s->publisher = dup(a, s->publisher, &ok);
            s->url = dup(a, s->url, &ok);
            s->file = dup(a, s->file, &ok);
        }
        d->lanes = grown(a, doc->lanes, doc->nlanes, TL_MAX_LANES, sizeof *d->lanes, &ok);
        for (size_t i = 0; d->lanes && i < d->nlanes; i++) {
            tl_lane *l = &d->lanes[i];
            bool same = l->label == l->id;
            l->id = dup(a, l->id, &ok);
            l->label = same ? l->id : dup(a, l->label, &ok);
        }
        if (doc->nevents) {
            d->events = d->event_block = malloc(doc->nevents * sizeof *d->events);
            ok = ok && d->events;
            if (d->events) {
                memcpy(d->events, doc->events, doc->nevents * sizeof *d->events);
                d->cap_events = doc->nevents;
            }
        }
        for (size_t i = 0; d->events && i < d->nevents; i++)
            copy_event(a, &d->events[i], &ok);
    }
    if (!ok) {
        tl_doc_free(d);
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "out of memory");
        return TL_ERR_NOMEM;
    }
    *out = d;
    return TL_OK;
}

tl_status tl_doc_filtered(const tl_doc *doc, const tl_filter *filter, tl_doc **out,
                          tl_diag *diag)
{
    tl_status st = tl_doc_copy(doc, out, diag);
    if (st != TL_OK)
        return st;
    st = tl_doc_filter(*out, filter, diag);
    if (st != TL_OK) {
        tl_doc_free(*out);
        *out = NULL;
    }
    return st;
}

/* ---- Reading back ------------------------------------------------------ */

/* A day as ISO text, "" for an open side. */
static void day_text(tl_day z, char *buf, size_t size)
{
    if (z == TL_DAY_OPEN_MIN || z == TL_DAY_OPEN_MAX)
        buf[0] = '\0';
    else
        tl_day_iso(z, buf, size);
}

tl_status tl_doc_event(const tl_doc *doc, size_t i, tl_event_view *view)
{
    if (view)
        memset(view, 0, sizeof *view);
    if (!doc || !view || i >= doc->nevents)
        return TL_ERR_USAGE;
    const tl_event *e = &doc->events[i];
    view->id = e->info ? e->info->id : NULL;
    view->title = e->title;
    view->lane = e->lane >= 0 && (size_t)e->lane < doc->nlanes ? doc->lanes[e->lane].id : NULL;
    view->summary = tl_event_summary(e);
    view->url = tl_event_url(e);
    view->note = e->info ? e->info->note : NULL;
    view->importance = e->importance;
    tl_date_iso(&e->date, view->date, sizeof view->date);
    if (e->end)
        tl_date_iso(e->end, view->end, sizeof view->end);
    /* In the document's language, as the chart and the Markdown say it. */
    tl_lang lang = tl_lang_pick(doc->lang, TL_LANG_EN);
    tl_lang_date_label(lang, &e->date, TL_TZ_NONE, NULL, view->date_words,
                       sizeof view->date_words);
    if (e->end)
        tl_lang_date_label(lang, e->end, TL_TZ_NONE, NULL, view->end_words,
                           sizeof view->end_words);
    day_text(e->date.earliest, view->earliest, sizeof view->earliest);
    day_text(e->end ? e->end->latest : e->date.latest, view->latest, sizeof view->latest);
    return TL_OK;
}
