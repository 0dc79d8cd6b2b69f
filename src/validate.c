/* validate.c — cross-checks between the parts of a document.
 *
 * Ids are looked up in open-addressing hash tables built once per call, so
 * a file of N events costs O(N) whatever its shape.  Messages point at the
 * offending value (the second id, the lane or ref named, the `end`). */
#include "validate.h"

#include "diag.h"

#include <glib.h>

#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A set of ids, as the index + 1 of the item that holds each (0: empty):
 * 4 bytes a slot, as a file may have 500,000 events. */
typedef struct idtab {
    uint32_t *slots;
    size_t mask;
    const tl_doc *doc;
    const char *(*id)(const tl_doc *doc, size_t idx);
} idtab;

static const char *source_id(const tl_doc *doc, size_t i) { return doc->sources[i].id; }
static const char *lane_id(const tl_doc *doc, size_t i) { return doc->lanes[i].id; }
static const char *event_id(const tl_doc *doc, size_t i) { return doc->events[i].info->id; }

static bool idtab_init(idtab *t, const tl_doc *doc, size_t n,
                       const char *(*id)(const tl_doc *, size_t))
{
    /* At most three quarters full: short probes. */
    size_t cap = 16;
    while (cap / 4 * 3 < n + 1)
        cap *= 2;
    t->slots = calloc(cap, sizeof *t->slots);
    t->mask = cap - 1;
    t->doc = doc;
    t->id = id;
    return t->slots != NULL;
}

static size_t hash(const char *s)
{
    uint64_t h = UINT64_C(14695981039346656037); /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    return (size_t)(h ^ (h >> 32));
}

/* The slot holding key, or the empty slot where it would go. */
static uint32_t *idtab_find(const idtab *t, const char *key)
{
    size_t i = hash(key) & t->mask;
    while (t->slots[i] && strcmp(t->id(t->doc, t->slots[i] - 1), key) != 0)
        i = (i + 1) & t->mask;
    return &t->slots[i];
}

typedef struct vctx {
    const tl_doc *doc;
    tl_diag *diag;
    size_t errors;
} vctx;

static void err(vctx *V, tl_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void err(vctx *V, tl_pos pos, const char *fmt, ...)
{
    va_list ap;
    V->errors++;
    va_start(ap, fmt);
    tl_doc_vreport(V->diag, TL_ERROR, V->doc, pos, fmt, ap);
    va_end(ap);
}

/* Where an id was first given: "line 12", or "event 3" in a built
 * document. */
static const char *first_at(tl_pos pos, char *buf, size_t size)
{
    if (tl_pos_built(pos))
        tl_pos_place(pos, true, buf, size);
    else
        snprintf(buf, size, "line %d", pos.line);
    return buf;
}

static bool full(const vctx *V)
{
    /* Only this call's own errors may stop it: indexes must all be set
     * whenever it succeeds. */
    return V->errors > 0 && (V->errors >= TL_DIAG_MAX_ERRORS || tl_diag_full(V->diag));
}

/* s as a message shows user text: quoted, at most 60 characters. */
static const char *clip(const char *s, char *buf, size_t size)
{
    return tl_diag_quote(s, strlen(s), 60, buf, size);
}

/* "declared lanes: a, b" or "the file declares no lanes", for messages. */
static const char *declared(char *buf, size_t size, const char *what,
                            const char *const *ids, size_t n)
{
    if (n == 0) {
        snprintf(buf, size, "the file declares no %s", what);
        return buf;
    }
    size_t o = (size_t)snprintf(buf, size, "declared %s: ", what);
    for (size_t i = 0; i < n; i++) {
        const char *sep = i ? ", " : "";
        if (o + strlen(sep) + strlen(ids[i]) + 20 > size) {
            snprintf(buf + o, size - o, "%sand %zu more", sep, n - i);
            break;
        }
        o += (size_t)snprintf(buf + o, size - o, "%s%s", sep, ids[i]);
    }
    return buf;
}

/* The checks.  `set` is the same document when indexes are to be written,
 * NULL for the read-only public entry point. */
/* Whether `end` is over before `date` can have begun: by days, and on a
 * shared day by the times of day. */
static bool end_before(const tl_date *end, const tl_date *date)
{
    if (end->latest != date->earliest)
        return end->latest < date->earliest;
    int64_t a, b, c, d;
    tl_date_instants(end, &a, &b);
    tl_date_instants(date, &c, &d);
    return b < c;
}

static tl_status run(const tl_doc *doc, tl_doc *set, tl_diag *diag)
{
    vctx V = {doc, diag, 0};
    idtab lanes = {0}, sources = {0}, events = {0};
    const char **lane_ids = NULL, **source_ids = NULL;
    char list[512], a[TL_QUOTE_SIZE], b[80];
    tl_status st = TL_ERR_NOMEM;

    if (!idtab_init(&lanes, doc, doc->nlanes, lane_id) ||
        !idtab_init(&sources, doc, doc->nsources, source_id) ||
        !idtab_init(&events, doc, doc->nevents, event_id))
        goto cleanup;
    lane_ids = malloc((doc->nlanes + 1) * sizeof *lane_ids);
    source_ids = malloc((doc->nsources + 1) * sizeof *source_ids);
    if (!lane_ids || !source_ids)
        goto cleanup;

    size_t nl = 0, ns = 0;
    for (size_t i = 0; i < doc->nsources && !full(&V); i++) {
        const tl_source *s = &doc->sources[i];
        if (!s->id)
            continue;
        uint32_t *sl = idtab_find(&sources, s->id);
        if (*sl) {
            err(&V, s->id_pos, "duplicate source id '%s' — first used at %s",
                clip(s->id, a, sizeof a), first_at(doc->sources[*sl - 1].id_pos, b, sizeof b));
            continue;
        }
        *sl = (uint32_t)i + 1;
        source_ids[ns++] = s->id;
    }
    for (size_t i = 0; i < doc->nlanes && !full(&V); i++) {
        const tl_lane *l = &doc->lanes[i];
        if (!l->id)
            continue;
        uint32_t *sl = idtab_find(&lanes, l->id);
        if (*sl) {
            err(&V, l->id_pos, "duplicate lane id '%s' — first used at %s",
                clip(l->id, a, sizeof a), first_at(doc->lanes[*sl - 1].id_pos, b, sizeof b));
            continue;
        }
        *sl = (uint32_t)i + 1;
        lane_ids[nl++] = l->id;
    }
    for (size_t i = 0; i < doc->nevents && !full(&V); i++) {
        const tl_event *e = &doc->events[i];
        /* A document loaded for rendering has passed these checks and no
         * longer holds the ids and lane names they read. */
        const tl_event_info *in = e->info;
        if (in && in->id) {
            uint32_t *sl = idtab_find(&events, in->id);
            if (*sl)
                err(&V, in->id_pos, "duplicate event id '%s' — first used at %s",
                    clip(in->id, a, sizeof a),
                    first_at(doc->events[*sl - 1].info->id_pos, b, sizeof b));
            else
                *sl = (uint32_t)i + 1;
        }
        int lane = -1;
        if (in && in->lane_id) {
            const uint32_t *sl = idtab_find(&lanes, in->lane_id);
            if (*sl)
                lane = (int)*sl - 1;
            else
                err(&V, in->lane_pos, "lane '%s' is not declared — %s",
                    clip(in->lane_id, a, sizeof a),
                    declared(list, sizeof list, "lanes", lane_ids, nl));
        }
        if (set && in)
            set->events[i].lane = lane;
        for (size_t k = 0; in && k < e->ncites; k++) {
            const tl_citation *c = &in->cites[k];
            int src = -1;
            if (c->ref) {
                const uint32_t *sl = idtab_find(&sources, c->ref);
                if (*sl)
                    src = (int)*sl - 1;
                else
                    err(&V, c->ref_pos, "source '%s' is not declared — %s",
                        clip(c->ref, a, sizeof a),
                        declared(list, sizeof list, "sources", source_ids, ns));
            }
            assert(src < (int)doc->nsources);
            if (set)
                set->events[i].cited[k] = (int16_t)src;
        }
        /* A span may begin and end in the same interval, but its end must
         * not be over before its date can have begun — to the second
         * where times of day are given. */
        if (e->end && end_before(e->end, &e->date)) {
            tl_date_iso(e->end, a, sizeof a);
            tl_date_iso(&e->date, b, sizeof b);
            err(&V, in ? in->end_pos : (tl_pos){0, 0}, "end %s is before date %s", a, b);
        }
    }
    st = V.errors ? TL_ERR_DATA : TL_OK;
cleanup:
    if (st == TL_ERR_NOMEM)
        tl_diag_add(diag, TL_ERROR, doc->name, 0, 0, "out of memory");
    free(lanes.slots);
    free(sources.slots);
    free(events.slots);
    free(lane_ids);
    free(source_ids);
    return st;
}

/* See validate.h. */
tl_status tl_validate(tl_doc *doc, tl_diag *diag)
{
    return run(doc, doc, diag);
}

/* The same checks on a document the caller keeps as it is: nothing in it
 * changes.  TL_ERR_USAGE for a NULL doc. */
tl_status tl_doc_validate(const tl_doc *doc, tl_diag *diag)
{
    if (!doc) {
        tl_diag_add(diag, TL_ERROR, NULL, 0, 0, "no document given");
        return TL_ERR_USAGE;
    }
    return run(doc, NULL, diag);
}

/* ---- Text and links ---------------------------------------------------- */

tl_text_fault tl_text_check(const char *s, size_t len, size_t *off, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t marks = 0;
    for (size_t i = 0; i < len;) {
        if (u[i] >= 0x20 && u[i] < 0x7F) {
            marks = 0;   /* the common case: printable ASCII */
            i++;
            continue;
        }
        uint32_t c;
        size_t w = tl_utf8_decode(u + i, len - i, &c);
        tl_text_fault f = TL_TEXT_OK;
        *off = i;
        *cp = c;
        if (w == 0) {
            *cp = 0;
            return TL_TEXT_UTF8;
        }
        if (c == 0)
            f = TL_TEXT_NUL;
        else if ((c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7F && c <= 0x9F))
            f = TL_TEXT_CONTROL;
        else if ((c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE)
            f = TL_TEXT_NONCHAR;
        bool mark = f == TL_TEXT_OK && c >= 0x300 && g_unichar_ismark(c);
        marks = mark ? marks + 1 : 0;
        if (marks > TL_MAX_MARKS)
            f = TL_TEXT_MARKS;
        if (f != TL_TEXT_OK)
            return f;
        i += w;
    }
    return TL_TEXT_OK;
}

const char *tl_text_fault_text(tl_text_fault f, uint32_t cp, char *buf, size_t size)
{
    switch (f) {
    case TL_TEXT_UTF8:
        snprintf(buf, size, "is not valid UTF-8 text");
        break;
    case TL_TEXT_NUL:
        snprintf(buf, size, "contains a NUL character");
        break;
    case TL_TEXT_CONTROL:
        snprintf(buf, size, "contains U+%04X, a control character — text may hold tabs "
                 "and line breaks, no other control characters", (unsigned)cp);
        break;
    case TL_TEXT_NONCHAR:
        snprintf(buf, size, "contains U+%04X, a Unicode noncharacter — remove it",
                 (unsigned)cp);
        break;
    case TL_TEXT_MARKS:
        snprintf(buf, size, "has more than %d combining marks on one character — "
                 "they would draw outside the label", TL_MAX_MARKS);
        break;
    default:
        snprintf(buf, size, "is fine");
        break;
    }
    return buf;
}

const char *tl_url_problem(const char *url, size_t len, size_t *off)
{
    static const char *const allowed[] = {"http", "https", "mailto"};
    size_t n = 0;
    *off = 0;
    while (n < len && (g_ascii_isalnum(url[n]) || url[n] == '+' || url[n] == '-' ||
                       url[n] == '.'))
        n++;
    if (n == 0 || n == len || url[n] != ':' || !g_ascii_isalpha(url[0]))
        return "is not a link: it must start with http://, https:// or mailto:";
    bool ok = false;
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        ok = ok || (strlen(allowed[i]) == n && g_ascii_strncasecmp(url, allowed[i], n) == 0);
    if (!ok)
        return "has a scheme that is not allowed — links may be http, https or mailto only";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)url[i];
        *off = i;
        if (c <= 0x20 || c == 0x7F)
            return "contains white space or a control character — percent-encode it "
                   "(a space is %20)";
    }
    *off = 0;
    bool web = n >= 4 && (url[0] | 0x20) == 'h';
    if (n + 1 == len || (web && (len < n + 4 || url[n + 1] != '/' || url[n + 2] != '/' ||
                                 url[n + 3] == '/')))
        return web ? "has no host: write it as https://example.org/..."
                   : "has no address after 'mailto:'";
    return NULL;
}
