/* text.c — the plain-text alternative of a chart. */
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool tl_buf_append(tl_buf *b, const void *data, size_t len)
{
    if (b->failed)
        return false;
    if (len > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap - b->len < len) {
            if (cap > SIZE_MAX / 2) {
                b->failed = true;
                return false;
            }
            cap *= 2;
        }
        unsigned char *p = realloc(b->data, cap);
        if (!p) {
            b->failed = true;
            return false;
        }
        b->data = p;
        b->cap = cap;
    }
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    return true;
}

bool tl_buf_puts(tl_buf *b, const char *s) { return tl_buf_append(b, s, strlen(s)); }

void tl_buf_free(tl_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

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

/* Table cells: one line, pipes escaped. */
static void cell(tl_buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|')
            tl_buf_puts(b, "\\|");
        else if (*s == '\n' || *s == '\r')
            tl_buf_puts(b, " ");
        else
            tl_buf_append(b, s, 1);
    }
}

/* Times of day in the document's zone, as the chart shows them. */
static void event_date(const tl_doc *doc, const tl_event *e, char *buf, size_t size)
{
    tl_dstyle st = {doc->tz, doc->tz_abbr, doc->lang};
    if (e->end)
        tl_span_label_as(&e->date, e->end, &st, buf, size);
    else
        tl_date_label_as(&e->date, &st, buf, size);
}

bool tl_text_markdown(const tl_doc *doc, const char *title, const char *subtitle, tl_buf *b)
{
    tl_arena a;
    tl_arena_init(&a);
    const tl_event **ev = tl_events_sorted(doc, &a);
    if (!ev)
        return false;
    title = title ? title : doc->title;
    subtitle = subtitle ? subtitle : doc->subtitle;
    if (title) {
        tl_buf_puts(b, "# ");
        cell(b, title);
        tl_buf_puts(b, "\n\n");
    }
    if (subtitle) {
        cell(b, subtitle);
        tl_buf_puts(b, "\n\n");
    }
    tl_buf_puts(b, "| Date | Event | Lane | Sources |\n|---|---|---|---|\n");
    char d[256], n[32];
    for (size_t i = 0; i < doc->nevents; i++) {
        const tl_event *e = ev[i];
        event_date(doc, e, d, sizeof d);
        tl_buf_puts(b, "| ");
        cell(b, d);
        tl_buf_puts(b, " | ");
        cell(b, e->title);
        tl_buf_puts(b, " | ");
        if (e->lane >= 0)
            cell(b, doc->lanes[e->lane].label);
        tl_buf_puts(b, " | ");
        for (size_t k = 0; k < e->ncites; k++) {
            if (e->cited[k] < 0)
                continue;
            snprintf(n, sizeof n, "%s[%d]", k ? " " : "", e->cited[k] + 1);
            tl_buf_puts(b, n);
        }
        tl_buf_puts(b, " |\n");
    }
    if (doc->nsources) {
        tl_buf_puts(b, "\nSources:\n\n");
        for (size_t i = 0; i < doc->nsources; i++) {
            const tl_source *s = &doc->sources[i];
            snprintf(n, sizeof n, "%zu. ", i + 1);
            tl_buf_puts(b, n);
            if (s->author) {
                cell(b, s->author);
                tl_buf_puts(b, ", ");
            }
            tl_buf_puts(b, "“");
            cell(b, s->title);
            tl_buf_puts(b, "”");
            if (s->publisher) {
                tl_buf_puts(b, ", ");
                cell(b, s->publisher);
            }
            if (s->has_date) {
                tl_date_label(&s->date, d, sizeof d);
                tl_buf_puts(b, ", ");
                tl_buf_puts(b, d);
            }
            if (s->url) {
                tl_buf_puts(b, ", <");
                cell(b, s->url);
                tl_buf_puts(b, ">");
            }
            tl_buf_puts(b, ".\n");
        }
    }
    tl_arena_release(&a);
    return !b->failed;
}

bool tl_text_plain(const tl_doc *doc, bool (*put)(void *ctx, const char *text), void *ctx)
{
    tl_arena a;
    tl_arena_init(&a);
    const tl_event **ev = tl_events_sorted(doc, &a);
    bool ok = ev != NULL;
    char d[256];
    for (size_t i = 0; ok && i < doc->nevents; i++) {
        event_date(doc, ev[i], d, sizeof d);
        ok = put(ctx, d) && put(ctx, ": ") && put(ctx, ev[i]->title) && put(ctx, "\n");
    }
    tl_arena_release(&a);
    return ok;
}
