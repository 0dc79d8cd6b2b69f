/* layout_list.c — the list layout: a single column of dated entries,
 * paginated with a fixed height; it cannot collide. */
#include "layout_int.h"

#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- The list layout --------------------------------------------------- */

/* The date column: as wide as the widest date, within reason. */
static double date_column(ctx *x, tl_font df, double date_max)
{
    double date_w = 0;
    for (size_t i = 0; i < x->c->nevents; i++) {
        tl_textbox tb;
        const char *dt = ly_date_text(x, x->c->events[i]);
        ly_measure(x, dt, df, date_max, 3, &tb);
        ly_release(x, &tb);
        if (tb.w > date_w)
            date_w = tb.w;
    }
    return date_w;
}

/* Several pages: "page / pages" at the foot of each, right-aligned. */
static void number_pages(ctx *x, tl_font nf)
{
    tl_chart *c = x->c;
    double right = c->width - x->margin, page_h = x->p->height;
    for (int pg = 0; c->pages > 1 && pg < c->pages; pg++) {
        char b[32];
        snprintf(b, sizeof b, "%d / %d", pg + 1, c->pages);
        const char *num = tl_arena_strdup(&c->arena, b);
        tl_textbox tb;
        ly_measure(x, num, nf, 0, 1, &tb);
        tl_item *t = ly_add_text(x, TL_ROLE_LIST_TEXT, num, nf, 0, 1, &tb, right - tb.w,
                                 page_h - x->margin - tb.h, x->th.muted);
        if (t)
            t->page = pg;
    }
}

void ly_layout_list(ctx *x)
{
    tl_chart *c = x->c;
    double left = x->margin, right = c->width - x->margin;
    double page_h = x->p->height;
    double y = ly_header(x, x->margin) + x->fs * 1.0;
    y = ly_legend(x, y) + x->fs * 1.2;
    tl_font df = ly_font(x->fs * 0.9, true), tf = ly_font(x->fs * 1.0, true),
            sf = ly_font(x->fs * 0.9, false), nf = ly_font(x->fs * 0.85, false);

    double date_w = date_column(x, df, (right - left) * 0.28);
    double rule_x = left + date_w + x->fs * 1.0;
    double text_x = rule_x + x->fs * 1.0, text_w = right - text_x;
    int page = 0;
    int prev_year = INT32_MIN;
    double src_h = ly_source_line(x, 0, false);
    /* Room kept at the foot of each page for its number. */
    double foot = page_h > 0 ? x->margin + x->fs * 1.6 : x->margin;
    for (size_t i = 0; i < c->nevents; i++) {
        const tl_event *e = c->events[i];
        const char *dt = ly_date_text(x, e);
        tl_textbox tdate, ttitle, tsum = {0}, tnote = {0};
        ly_measure(x, dt, df, date_w + 0.5, 3, &tdate);
        ly_measure(x, e->title, tf, text_w, 0, &ttitle);
        const char *summary = tl_event_summary(e);
        if (summary)
            ly_measure(x, summary, sf, text_w, 0, &tsum);
        const char *lane = e->lane >= 0 ? x->doc->lanes[e->lane].label : NULL;
        const char *meta = lane ? lane : NULL;
        if (meta)
            ly_measure(x, meta, nf, text_w, 1, &tnote);
        double h = fmax(tdate.h, ttitle.h + tsum.h + tnote.h) + x->fs * 0.9;
        /* A year heading when the year changes. */
        int32_t yr;
        int mo, dd;
        tl_span sp = ly_event_span(e);
        tl_civil_from_days(sp.lo, &yr, &mo, &dd);
        double head_h = 0;
        tl_textbox thead = {0};
        const char *ytext = NULL;
        if (yr != prev_year) {
            char b[24];
            tl_year_text(yr, b, sizeof b);
            ytext = tl_arena_strdup(&x->c->arena, b);
            ly_measure(x, ytext, ly_font(x->fs * 1.3, true), 0, 1, &thead);
            head_h = thead.h + x->fs * 0.4;
        }
        if (page_h > 0 && y + head_h + h > page_h - foot && y > x->margin * 2 + x->fs) {
            page++;
            y = x->margin;
            if (!ytext) {
                /* A new page in the middle of a year says which year. */
                char b[48];
                tl_year_text(yr, b, sizeof b);
                snprintf(b + strlen(b), sizeof b - strlen(b), " (continued)");
                ytext = tl_arena_strdup(&x->c->arena, b);
                ly_measure(x, ytext, ly_font(x->fs * 1.3, true), 0, 1, &thead);
                head_h = thead.h + x->fs * 0.4;
            }
        }
        if (ytext) {
            tl_item *t = ly_add_text(x, TL_ROLE_LIST_TEXT, ytext, ly_font(x->fs * 1.3, true), 0, 1,
                                     &thead, left, y, x->th.text);
            if (t)
                t->page = page;
            y += head_h;
            prev_year = yr;
        }
        size_t first = c->nitems;
        tl_item *t = ly_add_text(x, TL_ROLE_LIST_TEXT, dt, df, date_w + 0.5, 3, &tdate, left, y,
                                 x->th.muted);
        if (t) {
            ly_typeset_of(x, t)->align = 1;
            t->x = left + date_w - tdate.w;
        }
        tl_rgba col = ly_event_color(x, e);
        ly_add_marker(x, rule_x, y + x->fs * 0.6, x->fs * 0.75, ly_event_shape(x, e),
                      ly_date_is_vague(&e->date) ? x->th.bg : col, col, 1.2);
        ly_add_line(x, rule_x, y + x->fs * 1.2, rule_x, y + h - x->fs * 0.2, 1.0, col, 0);
        double ty = y;
        t = ly_add_text(x, TL_ROLE_LIST_TEXT, e->title, tf, text_w, 0, &ttitle, text_x, ty,
                        x->th.text);
        if (t) {
            ly_typeset_of(x, t)->url = tl_event_url(e);
            t->event = (int)i;
        }
        ty += ttitle.h;
        if (summary) {
            ly_add_text(x, TL_ROLE_LIST_TEXT, summary, sf, text_w, 0, &tsum, text_x, ty,
                        x->th.text);
            ty += tsum.h;
        }
        if (meta)
            ly_add_text(x, TL_ROLE_LIST_TEXT, meta, nf, text_w, 1, &tnote, text_x, ty, col);
        for (size_t k = first; k < c->nitems; k++)
            c->items[k].page = page;
        y += h;
    }
    y += x->fs * 0.5;
    if (page_h > 0 && y + src_h > page_h - foot) {
        page++;
        y = x->margin;
    }
    size_t first = c->nitems;
    double sh = ly_source_line(x, y, true);
    for (size_t k = first; k < c->nitems; k++)
        c->items[k].page = page;
    c->pages = page + 1;
    c->height = page_h > 0 ? page_h : y + sh + x->margin;
    number_pages(x, nf);
}
