/* web_page.c — two charts of one document inlined in an HTML page.
 *
 *     web_page INPUT OUTPUT.html
 *
 * Renders INPUT twice as SVG, in memory, and writes a page that holds both
 * inline: the axis layout through tl_render_buffer, the lanes layout
 * through tl_render_stream, straight into the page as it is drawn.  The
 * SVG's words are <text>, so the page's readers can select, search and
 * translate them; each chart's ids start with a prefix of its own
 * ("axis", "lanes"), so the two never collide; and the page's style sheet
 * styles the charts through their classes (tl-event, tl-label, tl-lane-N).
 * Each event's <title> is its tooltip.
 *
 * Only the public API (timeline.h) is used.  Build against an installed
 * library with examples/CMakeLists.txt, or with
 *
 *     cc web_page.c $(pkg-config --cflags --libs timeline)
 */
#include <timeline.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The page's text, escaped for HTML. */
static void put_html(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out);
        }
    }
}

/* An SVG file begins with an XML declaration, which has no place inside
 * HTML: the bytes from "<svg" on. */
static const unsigned char *svg_start(const unsigned char *data, size_t *len)
{
    for (size_t i = 0; i + 4 <= *len; i++)
        if (memcmp(data + i, "<svg", 4) == 0) {
            *len -= i;
            return data + i;
        }
    return data;
}

/* tl_render_stream's callback: copies the chart into the page, leaving
 * out what comes before "<svg" (the first piece holds it whole). */
typedef struct page {
    FILE *out;
    int started;
} page;

static int to_page(void *closure, const unsigned char *data, size_t len)
{
    page *p = closure;
    if (!p->started) {
        data = svg_start(data, &len);
        p->started = 1;
    }
    return fwrite(data, 1, len, p->out) == len ? 0 : 1;
}

/* Sets the options of one chart; a failure is in diag. */
static tl_status chart_options(tl_options *opts, const char *layout, tl_diag *diag)
{
    tl_status st = tl_options_set(opts, "layout", layout, diag);
    if (st == TL_OK)
        st = tl_options_set(opts, "id-prefix", layout, diag);
    if (st == TL_OK)
        st = tl_options_set(opts, "width", "720pt", diag);
    return st;
}

static const char style[] =
    "body { font-family: sans-serif; max-width: 980px; margin: 2em auto; }\n"
    "svg { width: 100%; height: auto; }\n"
    "/* The charts' own classes: an event lights up under the pointer. */\n"
    ".tl-event:hover .tl-label { fill: #b00020; }\n"
    ".tl-event:hover .tl-marker { stroke: #b00020; stroke-width: 2; }\n";

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("Usage: web_page INPUT OUTPUT.html\n", stderr);
        return 2;
    }
    tl_diag *diag = tl_diag_new();
    tl_options *opts = tl_options_new();
    tl_doc *doc = NULL;
    unsigned char *svg = NULL;
    size_t len = 0;
    FILE *out = NULL;
    tl_status st = diag && opts ? TL_OK : TL_ERR_NOMEM;
    if (st == TL_OK)
        st = tl_doc_load_file(argv[1], &doc, diag);
    /* The first chart into memory, before the page is opened. */
    if (st == TL_OK)
        st = chart_options(opts, "axis", diag);
    if (st == TL_OK)
        st = tl_render_buffer(doc, opts, TL_FORMAT_SVG, &svg, &len, diag);
    if (st == TL_OK && !(out = fopen(argv[2], "w"))) {
        perror(argv[2]);
        st = TL_ERR_IO;
    }
    if (st == TL_OK) {
        char range[128];
        tl_doc_range_text(doc, range, sizeof range);
        fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<title>Timeline</title>\n<style>\n%s</style>\n</head>\n<body>\n"
                     "<h1>Timeline</h1>\n<p>%zu events, ",
                style, tl_doc_event_count(doc));
        put_html(out, range);
        fputs(".</p>\n<h2>On one axis</h2>\n", out);
        size_t n = len;
        const unsigned char *start = svg_start(svg, &n);
        fwrite(start, 1, n, out);
        fputs("<h2>By lane</h2>\n", out);
        /* The second chart straight into the page. */
        page p = {out, 0};
        st = chart_options(opts, "lanes", diag);
        if (st == TL_OK)
            st = tl_render_stream(doc, opts, TL_FORMAT_SVG, to_page, &p, diag);
        fputs("</body>\n</html>\n", out);
    }
    if (out && fclose(out) != 0 && st == TL_OK) {
        perror(argv[2]);
        st = TL_ERR_IO;
    }
    if (st != TL_OK) {
        tl_diag_print(diag, stderr);
        if (!diag || !opts)
            fprintf(stderr, "web_page: %s\n", tl_status_string(st));
        if (out)
            remove(argv[2]); /* no half-written page */
    }
    free(svg);
    tl_doc_free(doc);
    tl_options_free(opts);
    tl_diag_free(diag);
    return st == TL_OK ? 0 : st == TL_ERR_DATA ? 1 : 2;
}
