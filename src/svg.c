/* svg.c — a chart as SVG written element by element, its words as <text>.
 *
 * Cairo's SVG surface draws every glyph as an outline: a large file whose
 * words cannot be selected, searched, translated or edited.  The layout is
 * already pure geometry, so each item becomes one element here.  A text is
 * written in the lines Pango broke it into when it was measured, each line
 * at its measured baseline and stretched to its measured width with
 * textLength: a viewer with other fonts still keeps every label inside the
 * box the layout gave it.
 *
 * An event's items (label, date, span, marker) become one <g> with an id,
 * a <title> for tooltips and screen readers, and its link as <a>.  The
 * group stands where the event's last item was drawn, so its marker still
 * lies over the axis; its stem stays where it was drawn, under the axis's
 * labels.  Ids share one prefix, the caller's or one derived from the
 * chart, and nothing depends on process-wide state: the same chart always
 * gives the same bytes. */
#include "svg.h"

#include "text.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLUSH_AT (1u << 16)
#define TL_PI 3.14159265358979323846

typedef struct writer {
    tl_buf buf;             /* pending bytes, handed to put when large */
    tl_svg_put put;
    void *closure;
    bool io_failed;
    const tl_chart *c;
    tl_fonts *fonts;
    char prefix[TL_SVG_MAX_PREFIX + 1];
    unsigned clips;         /* clip paths written, for their ids */
} writer;

/* ---- Bytes ------------------------------------------------------------ */

static void flush(writer *w)
{
    if (w->buf.len && !w->io_failed && !w->put(w->closure, w->buf.data, w->buf.len))
        w->io_failed = true;
    w->buf.len = 0;
}

static void out(writer *w, const char *s, size_t n)
{
    tl_buf_append(&w->buf, s, n);
    if (w->buf.len >= FLUSH_AT)
        flush(w);
}

static void outs(writer *w, const char *s) { out(w, s, strlen(s)); }

static void outf(writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void outf(writer *w, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        out(w, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* A number in at most two decimals, without trailing zeros: a hundredth
 * of a point is below what any screen or printer shows. */
static void num(writer *w, double v)
{
    char tmp[64];
    if (!isfinite(v))
        v = 0;
    int n = snprintf(tmp, sizeof tmp, "%.2f", v);
    while (n > 0 && tmp[n - 1] == '0')
        n--;
    if (n > 0 && tmp[n - 1] == '.')
        n--;
    if (n == 2 && tmp[0] == '-' && tmp[1] == '0')
        tmp[0] = '0', n = 1;
    out(w, tmp, (size_t)n);
}

/* ` name="v"` with v a number. */
static void attr_num(writer *w, const char *name, double v)
{
    outf(w, " %s=\"", name);
    num(w, v);
    outs(w, "\"");
}

static bool put_out(void *ctx, const void *data, size_t len)
{
    out(ctx, data, len);
    return true;
}

/* Text as XML character data or an attribute value, as every writer
 * escapes it (text.h): markup characters as entities, and what XML 1.0
 * does not allow as U+FFFD. */
static void esc_str(writer *w, const char *s) { tl_xml_escape(s, put_out, w); }

static bool esc_piece(void *ctx, const char *s)
{
    esc_str(ctx, s);
    return true;
}

/* ` fill="#rrggbb"` (or "none"), with its opacity when not opaque. */
static void paint(writer *w, const char *what, tl_rgba c)
{
    if (c.a <= 0) {
        outf(w, " %s=\"none\"", what);
        return;
    }
    double v[3] = {c.r, c.g, c.b};
    int b[3];
    for (int i = 0; i < 3; i++)
        b[i] = (int)lround(fmin(fmax(v[i], 0), 1) * 255);
    outf(w, " %s=\"#%02x%02x%02x\"", what, b[0], b[1], b[2]);
    if (c.a < 1) {
        outf(w, " %s-opacity=\"", what);
        num(w, c.a);
        outs(w, "\"");
    }
}

/* ---- Names ------------------------------------------------------------ */

bool tl_svg_prefix_ok(const char *p)
{
    size_t n = strlen(p);
    if (n == 0 || n > TL_SVG_MAX_PREFIX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        bool alpha = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
        bool other = (ch >= '0' && ch <= '9') || ch == '-' || ch == '.';
        if (!alpha && !(i > 0 && other))
            return false;
    }
    return true;
}

static uint32_t fnv(uint32_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

/* "tl-" and a hash of everything the chart shows: charts that differ get
 * different ids, and a chart always gets the same. */
static void default_prefix(const tl_chart *c, char *out, size_t size)
{
    uint32_t h = 2166136261u;
    double dims[3] = {c->width, c->height, c->pages};
    h = fnv(h, dims, sizeof dims);
    h = fnv(h, &c->background, sizeof c->background);
    h = fnv(h, c->colors, c->ncolors * sizeof *c->colors);
    for (size_t i = 0; i < c->nitems; i++) {
        const tl_item *it = &c->items[i];
        double g[5] = {it->x, it->y, it->w, it->h, it->line_width};
        int head[6] = {it->kind, it->role, it->shape, it->event, it->fill, it->stroke};
        h = fnv(h, head, sizeof head);
        h = fnv(h, g, sizeof g);
        if (it->kind == TL_ITEM_TEXT) {
            const tl_typeset *ts = tl_item_typeset(c, it);
            double f[3] = {ts->font.size, ts->font.bold, ts->font.italic};
            h = fnv(h, f, sizeof f);
            h = fnv(h, ts->text, strlen(ts->text) + 1);
            if (ts->url)
                h = fnv(h, ts->url, strlen(ts->url) + 1);
        }
    }
    snprintf(out, size, "tl-%08x", (unsigned)h);
}

/* The CSS class of an item, from why it exists and what it is. */
static const char *item_class(const tl_item *it)
{
    static const char *const roles[] = {
        [TL_ROLE_TITLE] = "tl-title",       [TL_ROLE_SUBTITLE] = "tl-subtitle",
        [TL_ROLE_LABEL] = "tl-label",       [TL_ROLE_LABEL_DATE] = "tl-date",
        [TL_ROLE_TICK_LABEL] = "tl-tick",   [TL_ROLE_LEGEND] = "tl-legend",
        [TL_ROLE_SOURCE] = "tl-source",     [TL_ROLE_LANE_LABEL] = "tl-lane-label",
        [TL_ROLE_LIST_TEXT] = "tl-list",    [TL_ROLE_STEM] = "tl-stem",
        [TL_ROLE_DECOR] = NULL,             [TL_ROLE_CALLOUT] = "tl-callout",
        [TL_ROLE_KEY] = "tl-key"};
    if (it->kind == TL_ITEM_MARKER)
        return it->role == TL_ROLE_LEGEND ? "tl-legend tl-marker" : "tl-marker";
    if (it->kind == TL_ITEM_BREAK)
        return "tl-break";
    if (it->kind == TL_ITEM_OPEN)
        return "tl-open";
    const char *r = it->role < sizeof roles / sizeof roles[0] ? roles[it->role] : NULL;
    if (r)
        return r;
    return it->kind == TL_ITEM_RECT ? "tl-bar" : "tl-rule";
}

/* ---- Shapes ----------------------------------------------------------- */

static void dash(writer *w, int kind, double lw)
{
    if (kind == 1 || kind == 2) {
        outs(w, " stroke-dasharray=\"");
        num(w, lw * (kind == 1 ? 4 : 1.2));
        outs(w, " ");
        num(w, lw * (kind == 1 ? 2.5 : 2));
        outs(w, "\"");
    }
}

/* Fill and stroke as render.c's fill_stroke paints them. */
static void fill_stroke(writer *w, const tl_item *it)
{
    tl_rgba fill = tl_item_fill(w->c, it), stroke = tl_item_stroke(w->c, it);
    paint(w, "fill", fill);
    if (stroke.a > 0 && it->line_width > 0) {
        paint(w, "stroke", stroke);
        attr_num(w, "stroke-width", it->line_width);
        dash(w, it->dash, it->line_width);
    }
}

static void write_line(writer *w, const tl_item *it)
{
    outf(w, "<line class=\"%s", item_class(it));
    /* A stem stays where it is drawn, out of its event's group: with its
     * lane, a style sheet can still find it. */
    const tl_chart *c = w->c;
    if (it->role == TL_ROLE_STEM && c->events && it->event >= 0 &&
        (size_t)it->event < c->nevents && c->events[it->event]->lane >= 0)
        outf(w, " tl-lane-%d", c->events[it->event]->lane + 1);
    outs(w, "\"");
    attr_num(w, "x1", it->x);
    attr_num(w, "y1", it->y);
    attr_num(w, "x2", it->x + it->w);
    attr_num(w, "y2", it->y + it->h);
    paint(w, "stroke", tl_item_stroke(w->c, it));
    attr_num(w, "stroke-width", it->line_width);
    dash(w, it->dash, it->line_width);
    outs(w, "/>\n");
}

static void write_rect(writer *w, const tl_item *it)
{
    outf(w, "<rect class=\"%s\"", item_class(it));
    attr_num(w, "x", it->x);
    attr_num(w, "y", it->y);
    attr_num(w, "width", it->w);
    attr_num(w, "height", it->h);
    if (it->radius > 0) {
        /* SVG clamps rx and ry each on its own side; Cairo's corner is round. */
        double r = fmin(it->radius, fmin(it->w, it->h) / 2);
        attr_num(w, "rx", r);
        attr_num(w, "ry", r);
    }
    fill_stroke(w, it);
    outs(w, "/>\n");
}

/* A point of a list: `sep` (a space, a path command) then "x,y". */
static void point(writer *w, const char *sep, double x, double y)
{
    outs(w, sep);
    num(w, x);
    outs(w, ",");
    num(w, y);
}

/* The shapes of render.c's shape_path. */
static void write_marker(writer *w, const tl_item *it)
{
    double cx = it->x, cy = it->y, r = it->w / 2;
    const char *cls = item_class(it);
    switch (it->shape) {
    case TL_SHAPE_SQUARE:
        outf(w, "<rect class=\"%s\"", cls);
        attr_num(w, "x", cx - r * 0.88);
        attr_num(w, "y", cy - r * 0.88);
        attr_num(w, "width", r * 1.76);
        attr_num(w, "height", r * 1.76);
        break;
    case TL_SHAPE_DIAMOND:
        outf(w, "<polygon class=\"%s\" points=\"", cls);
        point(w, "", cx, cy - r * 1.2);
        point(w, " ", cx + r * 1.2, cy);
        point(w, " ", cx, cy + r * 1.2);
        point(w, " ", cx - r * 1.2, cy);
        outs(w, "\"");
        break;
    case TL_SHAPE_TRIANGLE:
    case TL_SHAPE_TRIANGLE_DOWN: {
        double s = it->shape == TL_SHAPE_TRIANGLE ? 1 : -1;
        outf(w, "<polygon class=\"%s\" points=\"", cls);
        point(w, "", cx, cy - s * r * 1.15);
        point(w, " ", cx + r * 1.1, cy + s * r * 0.85);
        point(w, " ", cx - r * 1.1, cy + s * r * 0.85);
        outs(w, "\"");
        break;
    }
    case TL_SHAPE_HEXAGON:
        outf(w, "<polygon class=\"%s\" points=\"", cls);
        for (int k = 0; k < 6; k++)
            point(w, k ? " " : "", cx + r * 1.05 * cos(TL_PI / 3 * k),
                  cy + r * 1.05 * sin(TL_PI / 3 * k));
        outs(w, "\"");
        break;
    default:
        outf(w, "<circle class=\"%s\"", cls);
        attr_num(w, "cx", cx);
        attr_num(w, "cy", cy);
        attr_num(w, "r", r);
    }
    fill_stroke(w, it);
    outs(w, "/>\n");
}

/* A break as render.c's draw_break: a gap in the axis, two slanted
 * strokes, and a dotted stretch of axis through the gap. */
static void write_break(writer *w, const tl_item *it)
{
    double h = it->h, gap = it->w;
    outs(w, "<g class=\"tl-break\">");
    outs(w, "<rect");
    attr_num(w, "x", it->x - gap / 2);
    attr_num(w, "y", it->y - h / 2);
    attr_num(w, "width", gap);
    attr_num(w, "height", h);
    paint(w, "fill", tl_item_fill(w->c, it));
    outs(w, "/><path fill=\"none\"");
    paint(w, "stroke", tl_item_stroke(w->c, it));
    attr_num(w, "stroke-width", it->line_width);
    outs(w, " d=\"");
    for (int k = -1; k <= 1; k += 2) {
        double cx = it->x + k * gap * 0.18;
        point(w, "M", cx - h * 0.18, it->y + h * 0.4);
        point(w, "L", cx + h * 0.18, it->y - h * 0.4);
    }
    outs(w, "\"/><path fill=\"none\" stroke-dasharray=\"1 2.5\"");
    paint(w, "stroke", tl_item_stroke(w->c, it));
    attr_num(w, "stroke-width", it->line_width);
    outs(w, " d=\"");
    point(w, "M", it->x - gap / 2, it->y);
    point(w, "L", it->x - gap * 0.3, it->y);
    point(w, "M", it->x + gap * 0.3, it->y);
    point(w, "L", it->x + gap / 2, it->y);
    outs(w, "\"/></g>\n");
}

/* An open date's mark, as render.c draws it: the bound as a bar, a tail
 * fading toward the unknown side, an arrowhead at its end.  The fade is a
 * gradient of its own, named after the item. */
static void write_open(writer *w, const tl_item *it)
{
    tl_rgba col = tl_item_fill(w->c, it);
    double x0 = it->x, x1 = it->x + it->w, y = it->y, h = it->h;
    double dir = it->w < 0 ? -1 : 1, head = fmin(h * 0.8, fabs(it->w) * 0.4);
    double tail = h * 0.34, tip = x1 - dir * head, bw = fmax(h * 0.2, 1);
    size_t k = (size_t)(it - w->c->items);
    tl_rgba end = col;
    end.a *= 0.2;
    outf(w, "<g class=\"tl-open\"><linearGradient id=\"%s-o%zu\"", w->prefix, k);
    outs(w, " gradientUnits=\"userSpaceOnUse\"");
    attr_num(w, "x1", x0);
    attr_num(w, "y1", y);
    attr_num(w, "x2", x1);
    attr_num(w, "y2", y);
    for (int stop = 0; stop < 2; stop++) {
        tl_rgba o = stop ? end : col;
        outf(w, "%s<stop offset=\"%d\"", stop ? "/>" : ">", stop);
        paint(w, "stop-color", (tl_rgba){o.r, o.g, o.b, 1});
        attr_num(w, "stop-opacity", o.a);
    }
    outf(w, "/></linearGradient><path fill=\"url(#%s-o%zu)\" d=\"", w->prefix, k);
    point(w, "M", fmin(x0, tip), y - tail / 2);
    point(w, "L", fmax(x0, tip), y - tail / 2);
    point(w, "L", fmax(x0, tip), y + tail / 2);
    point(w, "L", fmin(x0, tip), y + tail / 2);
    point(w, "ZM", x1, y);
    point(w, "L", tip, y - h / 2);
    point(w, "L", tip, y + h / 2);
    outs(w, "Z\"/><rect");
    attr_num(w, "x", dir < 0 ? x0 - bw : x0);
    attr_num(w, "y", y - h / 2);
    attr_num(w, "width", bw);
    attr_num(w, "height", h);
    paint(w, "fill", col);
    outs(w, "/></g>\n");
}

/* ---- Text ------------------------------------------------------------- */

/* One line of a text as Pango set it, in user units from the text's box. */
typedef struct text_line {
    char *text;         /* malloc'd: what the line shows */
    double x, base, width;
} text_line;

/* Trailing white space, and line and paragraph separators, are not seen:
 * the length of `s` without them. */
static size_t trim_end(const char *s, size_t n)
{
    for (;;) {
        if (n && strchr(" \t\n\r", s[n - 1]))
            n--;
        else if (n >= 3 && memcmp(s + n - 3, "\xE2\x80", 2) == 0 &&
                 (s[n - 1] == '\xA8' || s[n - 1] == '\xA9'))
            n -= 3;
        else
            return n;
    }
}

/* What a line shows: its text without what is not seen, with an ellipsis
 * in place of the text Pango cut, and a hyphen where it broke at a soft
 * hyphen.  Sets *used to the bytes of the line shown, or to the line's
 * length when Pango cut it (the ellipsis is there). */
static char *line_text(PangoLayoutLine *line, const char *text, size_t *used)
{
    tl_buf b = {0};
    bool cut = false;
    for (GSList *r = line->runs; r; r = r->next) {
        const PangoItem *item = ((PangoGlyphItem *)r->data)->item;
        cut |= (item->analysis.flags & PANGO_ANALYSIS_FLAG_IS_ELLIPSIS) != 0;
    }
    *used = (size_t)line->length;
    if (cut) {   /* runs in visual order: only left to right lines are cut here */
        for (GSList *r = line->runs; r; r = r->next) {
            const PangoItem *item = ((PangoGlyphItem *)r->data)->item;
            if (item->analysis.flags & PANGO_ANALYSIS_FLAG_IS_ELLIPSIS)
                tl_buf_puts(&b, "\xE2\x80\xA6");
            else
                tl_buf_append(&b, text + item->offset, (size_t)item->length);
        }
    } else {
        size_t n = trim_end(text + line->start_index, (size_t)line->length);
        *used = n;
        tl_buf_append(&b, text + line->start_index, n);
        if (n >= 2 && memcmp(text + line->start_index + n - 2, "\xC2\xAD", 2) == 0) {
            b.len -= 2;
            tl_buf_puts(&b, "-");
        }
    }
    tl_buf_append(&b, "", 1);
    if (b.failed) {
        tl_buf_free(&b);
        return NULL;
    }
    return (char *)b.data;
}

/* The lines of layout `l` drawn in item `it`, as render.c's draw_text
 * places them, into lines[]; returns how many, or -1 when out of memory. */
static int collect_lines(const tl_item *it, const tl_typeset *ts, PangoLayout *l,
                         text_line *lines, int max)
{
    const char *text = pango_layout_get_text(l);
    bool right = ts->align == 1 && ts->wrap > 0;
    PangoLayoutIter *iter = pango_layout_get_iter(l);
    int n = 0;
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(iter);
        PangoRectangle in_layout, own;   /* the line's box; relative to its origin */
        pango_layout_iter_get_line_extents(iter, NULL, &in_layout);
        pango_layout_line_get_extents(line, NULL, &own);
        double origin = right ? it->w * PANGO_SCALE - (own.x + own.width)
                              : in_layout.x - own.x;
        size_t used = 0;
        char *t = n < max ? line_text(line, text, &used) : NULL;
        if (!t) {
            if (n < max)
                n = -1;
            break;
        }
        double left = origin + own.x, width = own.width;
        if (used < (size_t)line->length) {
            /* Trailing spaces left out: measure what is left. */
            int xs, xe;
            pango_layout_line_index_to_x(line, line->start_index, FALSE, &xs);
            pango_layout_line_index_to_x(line, line->start_index + (int)used, FALSE, &xe);
            left = origin + (xs < xe ? xs : xe);
            width = abs(xe - xs);
        }
        lines[n++] = (text_line){t, it->x + left / PANGO_SCALE,
                                 it->y + (double)pango_layout_iter_get_baseline(iter) / PANGO_SCALE,
                                 width / PANGO_SCALE};
    } while (pango_layout_iter_next_line(iter));
    pango_layout_iter_free(iter);
    return n;
}

/* Whether a line shows anything: not only white space. */
static bool visible(const char *s)
{
    return s[strspn(s, " \t\n\r")] != '\0';
}

/* Whether a line's spaces must be kept as they are: XML viewers collapse
 * runs of white space and drop it at the ends unless told otherwise. */
static bool needs_preserve(const char *s)
{
    if (*s == ' ' || *s == '\t')
        return true;
    for (; *s; s++)
        if ((*s == ' ' || *s == '\t') && (s[1] == ' ' || s[1] == '\t'))
            return true;
    return false;
}

/* textLength: the width the line had when it was measured. */
static void text_length(writer *w, double width)
{
    if (width > 0) {
        attr_num(w, "textLength", width);
        outs(w, " lengthAdjust=\"spacingAndGlyphs\"");
    }
}

/* The <text> element's start: class, font, colour, clip, white space. */
static void text_start(writer *w, const tl_item *it, const tl_typeset *ts, bool preserve)
{
    if (it->clip) {
        /* Cut at the right edge only, as render.c does: ink may overhang. */
        double m = ts->font.size;
        outf(w, "<clipPath id=\"%s-c%u\"><rect", w->prefix, w->clips + 1);
        attr_num(w, "x", it->x - m);
        attr_num(w, "y", it->y - m);
        attr_num(w, "width", it->w + m);
        attr_num(w, "height", it->h + 2 * m);
        outs(w, "/></clipPath>\n");
    }
    outf(w, "<text class=\"%s\"", item_class(it));
    attr_num(w, "font-size", ts->font.size);
    if (ts->font.bold)
        outs(w, " font-weight=\"bold\"");
    if (ts->font.italic)
        outs(w, " font-style=\"italic\"");
    paint(w, "fill", tl_item_fill(w->c, it));
    if (it->clip)
        outf(w, " clip-path=\"url(#%s-c%u)\"", w->prefix, ++w->clips);
    if (preserve)
        outs(w, " xml:space=\"preserve\"");
}

/* A text item: one <text>, and for more than one line a <tspan> a line,
 * each with its width, with nothing between them to be taken for text. */
static bool write_text(writer *w, const tl_item *it)
{
    const tl_typeset *ts = tl_item_typeset(w->c, it);
    PangoLayout *l = tl_fonts_shape(w->fonts, ts);
    if (!l)
        return false;
    int count = pango_layout_get_line_count(l);
    text_line *lines = calloc((size_t)(count > 0 ? count : 1), sizeof *lines);
    int n = lines ? collect_lines(it, ts, l, lines, count) : -1;
    g_object_unref(l);
    bool preserve = false;
    int shown = 0;
    for (int i = 0; i < n; i++) {
        preserve |= needs_preserve(lines[i].text);
        shown += visible(lines[i].text);
    }
    if (shown > 0) {
        text_start(w, it, ts, preserve);
        double prev = 0;
        bool first = true;
        for (int i = 0; i < n; i++) {
            if (!visible(lines[i].text))
                continue;
            if (shown > 1)
                outs(w, first ? "><tspan" : "<tspan");
            attr_num(w, "x", lines[i].x);
            attr_num(w, first ? "y" : "dy", lines[i].base - prev);
            text_length(w, lines[i].width);
            outs(w, ">");
            esc_str(w, lines[i].text);
            if (shown > 1)
                outs(w, "</tspan>");
            prev = lines[i].base;
            first = false;
        }
        outs(w, "</text>\n");
    }
    for (int i = 0; i < n; i++)
        free(lines[i].text);
    free(lines);
    return n >= 0;
}

/* ---- Events ----------------------------------------------------------- */

/* <a href="...">: the link percent-encoded as every writer encodes it
 * (text.h), then escaped for XML (an '&' may remain). */
static void write_href(writer *w, const char *url)
{
    tl_buf enc = {0};
    if (tl_url_encode(&enc, url) && tl_buf_append(&enc, "", 1)) {
        outs(w, "<a href=\"");
        esc_str(w, (const char *)enc.data);
        outs(w, "\">");
    } else {
        w->buf.failed = true;
    }
    tl_buf_free(&enc);
}

static bool write_item(writer *w, const tl_item *it)
{
    switch (it->kind) {
    case TL_ITEM_TEXT: return write_text(w, it);
    case TL_ITEM_LINE: write_line(w, it); break;
    case TL_ITEM_RECT: write_rect(w, it); break;
    case TL_ITEM_MARKER: write_marker(w, it); break;
    case TL_ITEM_BREAK: write_break(w, it); break;
    case TL_ITEM_OPEN: write_open(w, it); break;
    }
    return true;
}

/* One event's group: its id, classes, <title> (its title and its date in
 * words), its link around its items, and the items. */
static bool write_event(writer *w, int e, const size_t *members, size_t count)
{
    const tl_chart *c = w->c;
    const tl_event *ev = c->events ? c->events[e] : NULL;
    outf(w, "<g id=\"%s-e%d\" class=\"tl-event", w->prefix, e + 1);
    if (ev && ev->lane >= 0)
        outf(w, " tl-lane-%d", ev->lane + 1);
    outs(w, "\">");
    const char *url = ev ? tl_event_url(ev) : NULL;
    if (ev) {
        char d[256];
        outs(w, "<title>");
        if (visible(ev->title)) {
            esc_str(w, ev->title);
            outs(w, ", ");
        }
        tl_date_label(&ev->date, d, sizeof d);
        esc_str(w, d);
        if (ev->end) {
            tl_date_label(ev->end, d, sizeof d);
            outs(w, " to ");
            esc_str(w, d);
        }
        outs(w, "</title>");
    }
    for (size_t k = 0; k < count && !url; k++)
        if (c->items[members[k]].kind == TL_ITEM_TEXT)
            url = tl_item_typeset(c, &c->items[members[k]])->url;
    bool link = url && tl_url_allowed(url);
    if (link)
        write_href(w, url);
    outs(w, "\n");
    bool ok = true;
    for (size_t k = 0; k < count && ok; k++)
        ok = write_item(w, &c->items[members[k]]);
    outs(w, link ? "</a></g>\n" : "</g>\n");
    return ok;
}

/* ---- Document --------------------------------------------------------- */

/* font-family: the measured family as a CSS string, then a generic one. */
static void font_family(writer *w)
{
    const char *f = tl_fonts_family(w->fonts);
    outs(w, " font-family=\"'");
    tl_buf css = {0};
    for (const char *p = f; *p; p++) {
        if (*p == '\'' || *p == '\\')
            tl_buf_puts(&css, "\\");
        tl_buf_append(&css, p, 1);
    }
    tl_buf_append(&css, "", 1);
    if (css.failed)
        w->buf.failed = true;
    else
        esc_str(w, (const char *)css.data);
    tl_buf_free(&css);
    outs(w, "', sans-serif\"");
}

static void write_head(writer *w, const tl_doc *doc)
{
    const tl_chart *c = w->c;
    outs(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\"");
    double height = c->height * (c->pages > 1 ? c->pages : 1);
    outs(w, " width=\"");
    num(w, c->width);
    outs(w, "pt\" height=\"");
    num(w, height);
    outs(w, "pt\" viewBox=\"0 0 ");
    num(w, c->width);
    outs(w, " ");
    num(w, height);
    outf(w, "\" role=\"img\" aria-labelledby=\"%s-title", w->prefix);
    if (doc)
        outf(w, " %s-desc", w->prefix);
    outs(w, "\"");
    font_family(w);
    outs(w, " stroke-linejoin=\"round\">\n");
    outf(w, "<title id=\"%s-title\">", w->prefix);
    esc_str(w, c->doc_title && visible(c->doc_title) ? c->doc_title : "Timeline");
    outs(w, "</title>\n");
    if (doc) {
        outf(w, "<desc id=\"%s-desc\">", w->prefix);
        tl_text_plain(doc, esc_piece, w);
        outs(w, "</desc>\n");
    }
}

/* The items of each event, in drawing order: members[first[e] ..
 * first[e + 1]), and where the event's group goes, after its last item. */
typedef struct groups {
    size_t *first, *members, *last;
} groups;

/* The event whose group holds an item, or -1.  Stems are left where they
 * are drawn: an event's group stands where its marker is drawn, after the
 * axis, and a stem drawn there would cross the axis's tick labels. */
static int group_of(const tl_chart *c, const tl_item *it)
{
    if (!c->events || it->event < 0 || (size_t)it->event >= c->nevents ||
        it->role == TL_ROLE_STEM)
        return -1;
    return it->event;
}

static bool group_items(const tl_chart *c, const size_t *order, size_t n, groups *g)
{
    size_t ne = c->events ? c->nevents : 0;
    g->first = calloc(ne + 1, sizeof *g->first);
    g->last = calloc(ne + 1, sizeof *g->last);
    g->members = calloc(n + 1, sizeof *g->members);
    if (!g->first || !g->last || !g->members)
        return false;
    for (size_t k = 0; k < n; k++) {
        int e = group_of(c, &c->items[order[k]]);
        if (e >= 0) {
            g->first[e + 1]++;
            g->last[e] = k;
        }
    }
    for (size_t e = 0; e < ne; e++)
        g->first[e + 1] += g->first[e];
    size_t *fill = calloc(ne + 1, sizeof *fill);
    if (!fill)
        return false;
    for (size_t k = 0; k < n; k++) {
        int e = group_of(c, &c->items[order[k]]);
        if (e >= 0)
            g->members[g->first[e] + fill[e]++] = order[k];
    }
    free(fill);
    return true;
}

/* Every page's items, in drawing order, each event's as one group. */
static bool write_body(writer *w)
{
    const tl_chart *c = w->c;
    size_t n = c->pages > 0 ? c->page_first[c->pages] : 0;
    size_t *order = malloc((n + 1) * sizeof *order);
    groups g = {0};
    bool ok = order != NULL;
    for (size_t k = 0; ok && k < n; k++)
        order[k] = c->page_items ? c->page_items[k] : k;
    ok = ok && group_items(c, order, n, &g);
    for (int p = 0; ok && p < c->pages; p++) {
        /* Pages (the list layout at a fixed height) go one under another:
         * an SVG has one page. */
        if (c->pages > 1) {
            outf(w, "<g class=\"tl-page\" id=\"%s-p%d\" transform=\"translate(0 ", w->prefix,
                 p + 1);
            num(w, c->height * p);
            outs(w, ")\">\n");
        }
        for (size_t k = c->page_first[p]; ok && k < c->page_first[p + 1]; k++) {
            const tl_item *it = &c->items[order[k]];
            int e = group_of(c, it);
            if (e < 0)
                ok = write_item(w, it);
            else if (g.last[e] == k)
                ok = write_event(w, e, g.members + g.first[e], g.first[e + 1] - g.first[e]);
        }
        if (c->pages > 1)
            outs(w, "</g>\n");
    }
    free(order);
    free(g.first);
    free(g.last);
    free(g.members);
    return ok;
}

tl_status tl_svg_write(const tl_chart *c, const tl_doc *doc, tl_fonts *fonts,
                       const char *id_prefix, tl_svg_put put, void *closure)
{
    writer w = {.put = put, .closure = closure, .c = c, .fonts = fonts};
    if (id_prefix && tl_svg_prefix_ok(id_prefix))
        snprintf(w.prefix, sizeof w.prefix, "%s", id_prefix);
    else
        default_prefix(c, w.prefix, sizeof w.prefix);
    write_head(&w, doc);
    outs(&w, "<rect class=\"tl-background\"");
    attr_num(&w, "width", c->width);
    attr_num(&w, "height", c->height * (c->pages > 1 ? c->pages : 1));
    paint(&w, "fill", c->background);
    outs(&w, "/>\n");
    bool ok = write_body(&w);
    outs(&w, "</svg>\n");
    if (ok && !w.buf.failed)
        flush(&w);
    tl_status st = !ok || w.buf.failed ? TL_ERR_NOMEM : w.io_failed ? TL_ERR_IO : TL_OK;
    tl_buf_free(&w.buf);
    return st;
}
