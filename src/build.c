/* build.c — documents built in code: tl_doc_new and tl_doc_add_*.
 *
 * A program's fields become the same small tree of nodes the YAML reader
 * makes of a list item, and the format checker walks it as it walks one
 * from a file: the same checks, the same messages, the same document
 * model.  Only the positions differ: a node's line is the item's number
 * and its column names the field (TL_POS_FIELD), so that a message reads
 * "event 3, date" where a file's reads FILE:LINE:COL.  The cross-checks
 * of validate.c then run on the new item against what the document
 * holds.  An add that fails leaves the document as it was. */
#include "schema.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* What a document keeps between adds: the tree's buffers, the shared
 * words (lane ids, tags, refs), and the event ids for the duplicate check. */
struct tl_builder {
    loader L;
    uint32_t *ids;        /* open addressing: event index + 1, 0 empty */
    size_t ids_cap;       /* a power of two, or 0 */
    size_t nhashed;       /* the events the table holds: doc->events[0..) */
    int next[4];          /* the number of the next item of each TL_PART_ */
};

static const tl_load_plan keep_all = {0};

tl_doc *tl_doc_new(void)
{
    tl_doc *doc = calloc(1, sizeof *doc);
    if (doc)
        tl_arena_init(&doc->arena);
    return doc;
}

void tl_builder_free(tl_builder *b)
{
    if (!b)
        return;
    free(b->L.nodes);
    free(b->L.text);
    free(b->L.words);
    free(b->L.pend);
    free(b->ids);
    free(b);
}

static uint64_t hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3u;
    return h;
}

/* The slot of event id `id` in the table: its entry, or the empty one
 * where it would go. */
static uint32_t *id_slot(const tl_builder *b, const tl_doc *doc, const char *id)
{
    size_t j = (size_t)hash(id) & (b->ids_cap - 1);
    for (; b->ids[j]; j = (j + 1) & (b->ids_cap - 1)) {
        const tl_event_info *in = doc->events[b->ids[j] - 1].info;
        if (in && in->id && strcmp(in->id, id) == 0)
            break;
    }
    return &b->ids[j];
}

/* Makes the id table hold doc's events and room for one more: built anew
 * when a filter has changed the events since the last add. */
static bool ids_ready(tl_builder *b, const tl_doc *doc)
{
    size_t need = doc->nevents + 1;
    if (b->nhashed == doc->nevents && need * 2 <= b->ids_cap)
        return true;
    size_t cap = 64;
    while (cap < need * 2)
        cap *= 2;
    uint32_t *t = calloc(cap, sizeof *t);
    if (!t)
        return false;
    free(b->ids);
    b->ids = t;
    b->ids_cap = cap;
    for (size_t i = 0; i < doc->nevents; i++) {
        const tl_event_info *in = doc->events[i].info;
        if (in && in->id) {
            uint32_t *slot = id_slot(b, doc, in->id);
            if (!*slot)
                *slot = (uint32_t)i + 1;
        }
    }
    b->nhashed = doc->nevents;
    return true;
}

/* The document's builder, made at its first add; NULL when out of
 * memory. */
static tl_builder *builder(tl_doc *doc)
{
    if (!doc->built) {
        doc->built = calloc(1, sizeof *doc->built);
        if (doc->built) {
            doc->built->next[TL_PART_SOURCE] = (int)doc->nsources + 1;
            doc->built->next[TL_PART_LANE] = (int)doc->nlanes + 1;
            doc->built->next[TL_PART_EVENT] = (int)doc->nevents + 1;
            doc->built->next[TL_PART_DOC] = 1;
        }
    }
    return doc->built;
}

/* ---- Trees -------------------------------------------------------------- */

/* A tree under construction: the place its nodes report, and whether it
 * stayed within the limits. */
typedef struct tree {
    loader *L;
    int item, kind;       /* the item's number and TL_PART_ */
    bool failed;
} tree;

/* Appends a node; for a scalar, `text` as a quoted value (text is text:
 * "null" is not empty) or, with `plain`, as written bare.  Returns its
 * index, or -1 with t->failed set. */
static long add(tree *t, node_kind kind, int field, const char *text, bool plain)
{
    loader *L = t->L;
    size_t len = text ? strlen(text) : 0;
    if (t->failed || L->ntext + len + 1 > TL_MAX_INPUT_BYTES ||
        !tl_check_grow(L, (void **)&L->nodes, &L->capnodes, L->nnodes + 1, sizeof(node), 64) ||
        (kind == N_SCALAR &&
         !tl_check_grow(L, (void **)&L->text, &L->captext, L->ntext + len + 1, 1, 4096))) {
        t->failed = true;
        return -1;
    }
    node *n = &L->nodes[L->nnodes];
    memset(n, 0, sizeof *n);
    n->kind = (uint8_t)kind;
    n->size = 1;
    n->line = t->item;
    n->col = TL_POS_FIELD(t->kind, field);
    if (kind == N_SCALAR) {
        memcpy(L->text + L->ntext, text ? text : "", len + 1);
        n->off = (uint32_t)L->ntext;
        n->len = (uint32_t)len;
        n->style = plain ? TL_STYLE_PLAIN : TL_STYLE_DOUBLE;
        L->ntext += len + 1;
    }
    return (long)L->nnodes++;
}

/* Closes collection `at`: its size is every node added since. */
static void close_node(tree *t, long at, uint32_t children)
{
    if (at < 0 || t->failed)
        return;
    t->L->nodes[at].size = (uint32_t)(t->L->nnodes - (size_t)at);
    t->L->nodes[at].n = children;
}

/* A key and its text value, when the value is given.  `field` is the
 * key's index in its schema + 1, for the place a message names. */
static uint32_t pair(tree *t, int field, const char *key, const char *value)
{
    if (!value)
        return 0;
    add(t, N_SCALAR, field, key, true);
    add(t, N_SCALAR, field, value, false);
    return 2;
}

/* ---- Adding ------------------------------------------------------------- */

/* Readies the builder's loader for one add to doc. */
static loader *begin(tl_builder *b, tl_doc *doc, tl_diag *diag)
{
    loader *L = &b->L;
    L->doc = doc;
    L->diag = diag;
    L->name = doc->name;
    L->plan = &keep_all;
    L->nnodes = L->ntext = 0;
    L->errors = 0;
    L->nomem = false;
    memset(L->top_line, 0, sizeof L->top_line);
    return L;
}

/* Hands the walk's errors to diag, each at its place; the result of the
 * add so far. */
static tl_status finish_walk(loader *L, const tree *t)
{
    for (size_t i = 0; i < L->npend; i++) {
        char place[64];
        tl_pos_place((tl_pos){L->pend[i].line, L->pend[i].col}, false, place, sizeof place);
        tl_diag_add(L->diag, TL_ERROR, place, 0, 0, "%s", L->pend[i].msg);
        free(L->pend[i].msg);
    }
    L->npend = 0;
    if (t->failed && !L->nomem) {
        char place[64];
        tl_pos_place((tl_pos){t->item, TL_POS_FIELD(t->kind, 0)}, true, place, sizeof place);
        tl_diag_add(L->diag, TL_ERROR, place, 0, 0, "larger than the 64 MiB limit");
        return TL_ERR_DATA;
    }
    return L->nomem ? TL_ERR_NOMEM : L->errors ? TL_ERR_DATA : TL_OK;
}

/* Arguments every add checks; doc's builder in *b. */
static tl_status check_args(tl_doc *doc, const void *what, const char *fn, const char *param,
                            tl_builder **b, tl_diag *diag)
{
    if (!doc || !what) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "%s: %s is NULL", fn, !doc ? "doc" : param);
        return TL_ERR_USAGE;
    }
    if (doc->lean) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0,
                    "%s: this document was loaded for rendering and takes no additions", fn);
        return TL_ERR_USAGE;
    }
    *b = builder(doc);
    if (!*b) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "out of memory");
        return TL_ERR_NOMEM;
    }
    return TL_OK;
}

/* The limit of a kind of item, as the reader reports it. */
static tl_status over_limit(tree *t, size_t list, tl_diag *diag)
{
    char place[64];
    tl_pos_place((tl_pos){t->item, TL_POS_FIELD(t->kind, 0)}, true, place, sizeof place);
    tl_diag_add(diag, TL_ERROR, place, 0, 0, "too many %s — the limit is %zu",
                tl_check_top_keys[list], tl_check_list_limit(list));
    return TL_ERR_DATA;
}

/* Validates the one new item: the view holds the document's sources and
 * lanes and no events but `events`. */
static tl_status cross_check(tl_doc *doc, tl_event *events, size_t n, tl_diag *diag)
{
    tl_doc view = *doc;
    view.events = events;
    view.nevents = n;
    return tl_validate(&view, diag);
}

tl_status tl_doc_add_source(tl_doc *doc, const tl_source_fields *f, tl_diag *diag)
{
    tl_builder *b;
    tl_status st = check_args(doc, f, "tl_doc_add_source", "source", &b, diag);
    if (st != TL_OK)
        return st;
    loader *L = begin(b, doc, diag);
    tree t = {L, b->next[TL_PART_SOURCE], TL_PART_SOURCE, false};
    if (doc->nsources >= TL_MAX_SOURCES)
        return over_limit(&t, TOP_SOURCES, diag);
    long root = add(&t, N_MAP, 0, NULL, false);
    uint32_t n = pair(&t, 1, "id", f->id) + pair(&t, 2, "title", f->title) +
                 pair(&t, 3, "author", f->author) + pair(&t, 4, "publisher", f->publisher) +
                 pair(&t, 5, "date", f->date) + pair(&t, 6, "url", f->url) +
                 pair(&t, 7, "file", f->file);
    close_node(&t, root, n);
    size_t before = doc->nsources;
    if (!t.failed)
        tl_check_walk_item(L, TOP_SOURCES, &L->nodes[root]);
    st = finish_walk(L, &t);
    if (st == TL_OK)
        st = cross_check(doc, NULL, 0, diag);
    if (st != TL_OK) {
        doc->nsources = before;
        return st;
    }
    b->next[TL_PART_SOURCE]++;
    return TL_OK;
}

tl_status tl_doc_add_lane(tl_doc *doc, const char *id, const char *label, const char *color,
                          tl_diag *diag)
{
    tl_builder *b;
    tl_status st = check_args(doc, id, "tl_doc_add_lane", "id", &b, diag);
    if (st != TL_OK)
        return st;
    loader *L = begin(b, doc, diag);
    tree t = {L, b->next[TL_PART_LANE], TL_PART_LANE, false};
    if (doc->nlanes >= TL_MAX_LANES)
        return over_limit(&t, TOP_LANES, diag);
    long root = add(&t, N_MAP, 0, NULL, false);
    uint32_t n = pair(&t, 1, "id", id) + pair(&t, 2, "label", label) +
                 pair(&t, 3, "color", color);
    close_node(&t, root, n);
    size_t before = doc->nlanes;
    if (!t.failed)
        tl_check_walk_item(L, TOP_LANES, &L->nodes[root]);
    st = finish_walk(L, &t);
    if (st == TL_OK)
        st = cross_check(doc, NULL, 0, diag);
    if (st != TL_OK) {
        doc->nlanes = before;
        return st;
    }
    b->next[TL_PART_LANE]++;
    return TL_OK;
}

/* Items of a list kept for the walk: one past the limit is where the
 * limit's message points, as for a file. */
static uint32_t kept(const void *list, size_t n, size_t limit)
{
    return !list ? 0 : n > limit ? (uint32_t)limit + 1 : (uint32_t)n;
}

/* An event's lists: its tags and its citations. */
static uint32_t event_lists(tree *t, const tl_event_fields *f)
{
    uint32_t n = 0;
    if (f->tags || f->ntags) {
        uint32_t k = kept(f->tags, f->ntags, TL_MAX_TAGS);
        add(t, N_SCALAR, 7, "tags", true);
        long list = add(t, N_SEQ, 7, NULL, false);
        for (uint32_t i = 0; i < k; i++)
            add(t, N_SCALAR, 7, f->tags[i], false);
        close_node(t, list, k);
        n += 2;
    }
    if (f->sources || f->nsources) {
        uint32_t k = kept(f->sources, f->nsources, TL_MAX_CITES);
        add(t, N_SCALAR, 11, "sources", true);
        long list = add(t, N_SEQ, 11, NULL, false);
        for (uint32_t i = 0; i < k; i++) {
            const tl_cite_fields *c = &f->sources[i];
            if (c->ref && !c->quote) {   /* a bare id, as a file may give it */
                add(t, N_SCALAR, 11, c->ref, false);
                continue;
            }
            long m = add(t, N_MAP, 11, NULL, false);
            uint32_t pairs = pair(t, 11, "ref", c->ref) + pair(t, 11, "quote", c->quote);
            close_node(t, m, pairs);
        }
        close_node(t, list, k);
        n += 2;
    }
    return n;
}

/* Times of day written without a zone, as a file's: in the document's
 * zone (UTC in a built document), which the first event that names one
 * sets for display. */
static void zone_times(tl_doc *doc, tl_event *e)
{
    const tl_dpoint *p = &e->date.lo;
    if (!doc->tz_given && p->sec >= 0 && p->tz != TL_TZ_NONE) {
        doc->tz = p->tz;
        doc->tz_given = true;
    }
    tl_date_set_zone(&e->date, doc->tz);
    if (e->end)   /* in the document's arena, still the builder's */
        tl_date_set_zone((tl_date *)e->end, doc->tz);
}

/* The builder's check of what validate.c checks across a whole file: no
 * event already holds the new event's id.  Reported by validate.c, on a
 * view of the two. */
static tl_status unique_id(tl_builder *b, tl_doc *doc, size_t i, tl_diag *diag)
{
    const tl_event_info *in = doc->events[i].info;
    if (!ids_ready(b, doc)) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "out of memory");
        return TL_ERR_NOMEM;
    }
    uint32_t *slot = id_slot(b, doc, in->id);
    if (*slot) {
        tl_event pair2[2] = {doc->events[*slot - 1], doc->events[i]};
        tl_doc view = *doc;
        view.events = pair2;
        view.nevents = 2;
        return tl_doc_validate(&view, diag);
    }
    *slot = (uint32_t)i + 1;
    return TL_OK;
}

/* A tl_time as the text a file would give for it, so that the same code
 * reads and checks it: "2014-11-24T18:00+09:00", "2014-11-24".  *out is
 * `text` when the time is not set.  Problems are reported at the field
 * (`field`, the schema's key number) of event `item`. */
static tl_status time_text(const tl_time *tm, const char *text, int item, int field,
                           char *buf, size_t size, const char **out, tl_diag *diag)
{
    static const char *const names[] = {"", "", "date", "end"};
    char place[64];
    *out = text;
    if (tm->precision == TL_TIME_UNSET && tm->unix_seconds == 0 && tm->utc_offset_min == 0)
        return TL_OK;
    tl_pos_place((tl_pos){item, TL_POS_FIELD(TL_PART_EVENT, field)}, false, place,
                 sizeof place);
    if (tm->precision == TL_TIME_UNSET || tm->precision > TL_TIME_SECOND) {
        tl_diag_add(diag, TL_ERROR, place, 0, 0,
                    "tl_doc_add_event: %s_time.precision %d is not a tl_time_precision "
                    "(TL_TIME_DAY to TL_TIME_SECOND)", names[field], (int)tm->precision);
        return TL_ERR_USAGE;
    }
    if (text) {
        tl_diag_add(diag, TL_ERROR, place, 0, 0,
                    "tl_doc_add_event: give %s or %s_time, not both", names[field],
                    names[field]);
        return TL_ERR_USAGE;
    }
    int off = tm->utc_offset_min;
    if (off < -720 || off > 840) {
        tl_diag_add(diag, TL_ERROR, place, 0, 0,
                    "utc_offset_min %d is out of range — offsets run from -720 to 840 minutes "
                    "(-12:00 to +14:00)", off);
        return TL_ERR_DATA;
    }
    /* Within about ±31,000 years: no overflow below, and the year check
     * says the rest. */
    const int64_t far = INT64_C(1000000000000);
    int32_t y = 0;
    int mo = 1, d = 1;
    int64_t day = 0, sec = 0;
    if (tm->unix_seconds > -far && tm->unix_seconds < far) {
        int64_t local = tm->unix_seconds + (int64_t)off * 60;
        day = local / 86400 - (local % 86400 < 0);
        sec = local - day * 86400;
        tl_civil_from_days(day, &y, &mo, &d);
    }
    if (tm->unix_seconds <= -far || tm->unix_seconds >= far || y < -9999 || y > 9999) {
        tl_diag_add(diag, TL_ERROR, place, 0, 0,
                    "%s_time %lld s is out of range — times run from year -9999 to 9999",
                    names[field], (long long)tm->unix_seconds);
        return TL_ERR_DATA;
    }
    int n = snprintf(buf, size, "%s%04d-%02d-%02d", y < 0 ? "-" : "", y < 0 ? -y : y, mo, d);
    int h = (int)(sec / 3600), mi = (int)(sec / 60 % 60), se = (int)(sec % 60);
    if (tm->precision == TL_TIME_HOUR)
        n += snprintf(buf + n, size - (size_t)n, "T%02d", h);
    else if (tm->precision == TL_TIME_MINUTE)
        n += snprintf(buf + n, size - (size_t)n, "T%02d:%02d", h, mi);
    else if (tm->precision == TL_TIME_SECOND)
        n += snprintf(buf + n, size - (size_t)n, "T%02d:%02d:%02d", h, mi, se);
    if (tm->precision != TL_TIME_DAY && off == 0)
        snprintf(buf + n, size - (size_t)n, "Z");
    else if (tm->precision != TL_TIME_DAY)
        snprintf(buf + n, size - (size_t)n, "%c%02d:%02d", off < 0 ? '-' : '+',
                 (off < 0 ? -off : off) / 60, (off < 0 ? -off : off) % 60);
    *out = buf;
    return TL_OK;
}

tl_status tl_doc_add_event(tl_doc *doc, const tl_event_fields *f, tl_diag *diag)
{
    tl_builder *b;
    tl_status st = check_args(doc, f, "tl_doc_add_event", "event", &b, diag);
    if (st != TL_OK)
        return st;
    loader *L = begin(b, doc, diag);
    tree t = {L, b->next[TL_PART_EVENT], TL_PART_EVENT, false};
    if (doc->nevents >= TL_MAX_EVENTS)
        return over_limit(&t, TOP_EVENTS, diag);
    char dbuf[48], ebuf[48];
    const char *date, *end;
    st = time_text(&f->date_time, f->date, t.item, 2, dbuf, sizeof dbuf, &date, diag);
    if (st == TL_OK)
        st = time_text(&f->end_time, f->end, t.item, 3, ebuf, sizeof ebuf, &end, diag);
    if (st != TL_OK)
        return st;
    long root = add(&t, N_MAP, 0, NULL, false);
    char importance[16];
    snprintf(importance, sizeof importance, "%d", f->importance);
    uint32_t n = pair(&t, 1, "id", f->id) + pair(&t, 2, "date", date) +
                 pair(&t, 3, "end", end) + pair(&t, 4, "title", f->title) +
                 pair(&t, 5, "summary", f->summary) + pair(&t, 6, "lane", f->lane);
    if (f->importance) {
        add(&t, N_SCALAR, 8, "importance", true);
        add(&t, N_SCALAR, 8, importance, true);
        n += 2;
    }
    n += pair(&t, 9, "url", f->url) + pair(&t, 10, "note", f->note) + event_lists(&t, f);
    close_node(&t, root, n);
    /* The walk appends to the loader's array: the document's, lent. */
    assert(doc->events == doc->event_block || !doc->nevents);
    size_t i = doc->nevents;
    L->events = doc->event_block;
    L->nevents = doc->nevents;
    L->capevents = doc->cap_events;
    if (!t.failed)
        tl_check_walk_item(L, TOP_EVENTS, &L->nodes[root]);
    doc->events = doc->event_block = L->events;
    doc->cap_events = L->capevents;
    L->events = NULL;
    st = finish_walk(L, &t);
    if (st == TL_OK)
        zone_times(doc, &doc->events[i]);
    if (st == TL_OK)
        st = cross_check(doc, &doc->events[i], 1, diag);
    if (st == TL_OK)
        st = unique_id(b, doc, i, diag);
    if (st != TL_OK)
        return st;   /* doc->nevents is unchanged: the event is not there */
    doc->nevents = i + 1;
    b->nhashed = doc->nevents;
    b->next[TL_PART_EVENT]++;
    return TL_OK;
}

tl_status tl_doc_set_language(tl_doc *doc, const char *code, tl_diag *diag)
{
    tl_builder *b;
    tl_status st = check_args(doc, doc, "tl_doc_set_language", "doc", &b, diag);
    if (st != TL_OK)
        return st;
    tl_lang old = doc->lang;
    doc->lang = TL_LANG_DEFAULT;
    if (!code)
        return TL_OK;
    loader *L = begin(b, doc, diag);
    tree t = {L, 1, TL_PART_DOC, false};
    long key = add(&t, N_SCALAR, TOP_LANGUAGE + 1, "language", true);
    add(&t, N_SCALAR, TOP_LANGUAGE + 1, code, false);
    if (!t.failed)
        tl_check_top_entry(L, &L->nodes[key], &L->nodes[key + 1]);
    st = finish_walk(L, &t);
    if (st != TL_OK)
        doc->lang = old;
    return st;
}

tl_status tl_doc_set_title(tl_doc *doc, const char *title, const char *subtitle,
                           tl_diag *diag)
{
    tl_builder *b;
    tl_status st = check_args(doc, doc, "tl_doc_set_title", "doc", &b, diag);
    if (st != TL_OK)
        return st;
    loader *L = begin(b, doc, diag);
    tree t = {L, 1, TL_PART_DOC, false};
    const char *old[2] = {doc->title, doc->subtitle};
    const char *text[2] = {title, subtitle};
    doc->title = doc->subtitle = NULL;
    for (int k = 0; k < 2; k++) {
        if (!text[k])
            continue;
        L->nnodes = L->ntext = 0;
        long key = add(&t, N_SCALAR, k + 1, k ? "subtitle" : "title", true);
        add(&t, N_SCALAR, k + 1, text[k], false);
        if (!t.failed)
            tl_check_top_entry(L, &L->nodes[key], &L->nodes[key + 1]);
    }
    st = finish_walk(L, &t);
    if (st != TL_OK) {
        doc->title = old[0];
        doc->subtitle = old[1];
    }
    return st;
}
