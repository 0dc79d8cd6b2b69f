#define _GNU_SOURCE   /* memmem, mkdtemp */
/* test_writers.c — what the writers emit from hostile text.
 *
 * The loader refuses most hostile input; these tests put it into a loaded
 * document behind the loader's back, so that each writer is shown to be
 * safe on its own: links in a PDF are percent-encoded and only for http,
 * https and mailto; an SVG is well-formed XML whatever its title holds;
 * Markdown escapes every character that could become markup. */
#include "model.h"
#include "text.h"
#include "timeline.h"

#include "check.h"

#include <cairo.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static tl_doc *load(const char *yaml)
{
    tl_doc *doc = NULL;
    tl_diag *d = tl_diag_new();
    CHECK_INT(tl_doc_load_buffer("t.yaml", yaml, strlen(yaml), &doc, d), TL_OK);
    if (tl_diag_error_count(d))
        tl_diag_print(d, stderr);
    tl_diag_free(d);
    return doc;
}

/* Renders doc in `fmt` into a NUL-terminated buffer (the caller frees). */
static char *render(const tl_doc *doc, tl_format fmt, size_t *len)
{
    tl_options *o = tl_options_new();
    unsigned char *data = NULL;
    *len = 0;
    tl_diag *d = tl_diag_new();
    CHECK_INT(tl_render_buffer(doc, o, fmt, &data, len, d), TL_OK);
    tl_diag_free(d);
    tl_options_free(o);
    char *s = malloc(*len + 1);
    if (s) {
        if (data)
            memcpy(s, data, *len);
        s[*len] = '\0';
    }
    free(data);
    return s;
}

/* Renders doc as SVG with `svg-text` set to `mode` (text or paths). */
static char *render_svg(const tl_doc *doc, const char *mode, size_t *len)
{
    tl_options *o = tl_options_new();
    unsigned char *data = NULL;
    *len = 0;
    CHECK_INT(tl_options_set(o, "svg-text", mode, NULL), TL_OK);
    CHECK_INT(tl_render_buffer(doc, o, TL_FORMAT_SVG, &data, len, NULL), TL_OK);
    tl_options_free(o);
    char *s = malloc(*len + 1);
    if (s) {
        if (data)
            memcpy(s, data, *len);
        s[*len] = '\0';
    }
    free(data);
    return s;
}

/* Bytes the PDF or SVG writers pass through unchanged: search with
 * memmem, as both hold NUL bytes in their binary streams. */
static size_t count(const char *hay, size_t len, const char *needle)
{
    size_t n = 0, k = strlen(needle);
    for (const char *p = hay; (p = memmem(p, len - (size_t)(p - hay), needle, k)); p += k)
        n++;
    return n;
}

static void test_url_allowed(void)
{
    CHECK(tl_url_allowed("https://example.org/"));
    CHECK(tl_url_allowed("HTTP://example.org/"));
    CHECK(tl_url_allowed("mailto:someone@example.org"));
    CHECK(!tl_url_allowed("javascript:alert(1)"));
    CHECK(!tl_url_allowed("JavaScript:alert(1)"));
    CHECK(!tl_url_allowed("file:///etc/passwd"));
    CHECK(!tl_url_allowed("data:text/html,<script>"));
    CHECK(!tl_url_allowed(" https://example.org/"));
    CHECK(!tl_url_allowed("https//example.org/"));
    CHECK(!tl_url_allowed("//example.org/"));
    CHECK(!tl_url_allowed("httpsx://example.org/"));
    CHECK(!tl_url_allowed(""));
    CHECK(!tl_url_allowed(NULL));
}

static void check_encoded(const char *url, const char *want)
{
    tl_buf b = {0};
    CHECK(tl_url_encode(&b, url));
    CHECK(tl_buf_append(&b, "", 1));
    CHECK_STR((const char *)b.data, want);
    tl_buf_free(&b);
}

static void test_url_encode(void)
{
    check_encoded("https://example.org/a?b=1&c=[2]#x", "https://example.org/a?b=1&c=[2]#x");
    check_encoded("https://example.org/) /S /JavaScript /JS (app.alert(1)",
                  "https://example.org/%29%20/S%20/JavaScript%20/JS%20%28app.alert%281%29");
    check_encoded("https://x.org/'\\\"<>`{}|^", "https://x.org/%27%5C%22%3C%3E%60%7B%7D%7C%5E");
    check_encoded("https://x.org/%41%zz%4", "https://x.org/%41%25zz%254");
    check_encoded("https://x.org/\x01\x1b\x7f\n", "https://x.org/%01%1B%7F%0A");
    check_encoded("https://x.org/caf\xc3\xa9", "https://x.org/caf%C3%A9");
}

static bool put_buf(void *ctx, const void *data, size_t len)
{
    return tl_buf_append(ctx, data, len);
}

static void check_xml(const char *in, const char *want)
{
    tl_buf b = {0};
    CHECK(tl_xml_escape(in, put_buf, &b));
    CHECK(tl_buf_append(&b, "", 1));
    CHECK_STR((const char *)b.data, want);
    tl_buf_free(&b);
}

static void test_xml_escape(void)
{
#define R "\xef\xbf\xbd"
    check_xml("a<b>&\"c'", "a&lt;b&gt;&amp;&quot;c&apos;");
    check_xml("tab\there\nline", "tab\there\nline");
    check_xml("\x01\x1b[2J\x7f\r", R "" R "[2J" R "" R);
    check_xml("c1 \xc2\x85 \xc2\x9f ok \xc2\xa0", "c1 " R " " R " ok \xc2\xa0");
    check_xml("\xef\xbf\xbe\xef\xbf\xbf\xef\xb7\x90\xf0\x9f\xbf\xbf", R R R R);
    check_xml("bad \xff \xc0\xaf \xed\xa0\x80 \xe2\x82", "bad " R " " R R " " R R R " " R R);
    check_xml("\xe4\xb8\xad\xf0\x9f\x98\x80", "\xe4\xb8\xad\xf0\x9f\x98\x80");
#undef R
}

static const char linked[] =
    "title: Links\n"
    "events:\n"
    "  - {id: a, date: 2014-01, title: Injection, url: 'https://example.org/a'}\n"
    "  - {id: b, date: 2014-03, title: Script, url: 'https://example.org/b'}\n"
    "  - {id: c, date: 2014-05, title: File, url: 'https://example.org/c'}\n"
    "  - {id: d, date: 2014-07, title: Data, url: 'https://example.org/d'}\n"
    "  - {id: e, date: 2014-09, title: Mail, url: 'https://example.org/e'}\n"
    "  - {id: f, date: 2014-11, title: Plain, url: 'https://example.org/f'}\n";

static const char *const hostile_urls[] = {
    "https://example.org/) /S /JavaScript /JS (app.alert(1)",
    "javascript:app.alert(1)",
    "file:///etc/passwd",
    "data:text/html,<script>alert(1)</script>",
    "mailto:someone@example.org",
    "https://example.org/'\\(x) caf\xc3\xa9",
};

/* The PDF string of each /URI, checked to hold only what an encoded URL
 * may: no parenthesis, backslash, quote, space or byte outside ASCII. */
static void check_uris(const char *pdf, size_t len, int *n)
{
    *n = 0;
    static const char key[] = "/URI (";
    for (const char *p = pdf; (p = memmem(p, len - (size_t)(p - pdf), key, 6)); p += 6) {
        const char *s = p + 6, *e = memchr(s, ')', len - (size_t)(s - pdf));
        CHECK(e != NULL);
        if (!e)
            return;
        bool clean = true;
        for (const char *q = s; q < e; q++)
            clean &= *q > ' ' && *q < 0x7F && !strchr("()\\'\"<>", *q);
        CHECK(clean);
        (*n)++;
    }
}

/* Runs a command on a file in a scratch directory; its exit status. */
static int run_on(const char *dir, const char *name, const char *data, size_t len,
                  const char *cmd)
{
    char path[512], line[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f)
        return -1;
    CHECK_INT(fwrite(data, 1, len, f), len);
    fclose(f);
    snprintf(line, sizeof line, "%s '%s' >%s/out.txt 2>&1", cmd, path, dir);
    int st = system(line);
    if (st != 0) {
        snprintf(line, sizeof line, "cat %s/out.txt >&2", dir);
        CHECK(system(line) == 0);
    }
    return st;
}

static void test_pdf_links(const char *dir)
{
    tl_doc *doc = load(linked);
    if (!doc)
        return;
    for (size_t i = 0; i < doc->nevents; i++)
        ((tl_event_extra *)doc->events[i].extra)->url = hostile_urls[i];
    size_t len;
    char *pdf = render(doc, TL_FORMAT_PDF, &len);
    int n;
    check_uris(pdf, len, &n);
    CHECK_INT(n, 3);   /* the injection (encoded), mail, and the plain one */
    CHECK_INT(count(pdf, len, "JavaScript"), 1);   /* inside the encoded URI only */
    CHECK_INT(count(pdf, len, "/JS"), 1);
    CHECK_INT(count(pdf, len, "/S /URI"), 3);
    CHECK_INT(count(pdf, len, "javascript:"), 0);
    CHECK_INT(count(pdf, len, "file:"), 0);
    CHECK_INT(count(pdf, len, "data:"), 0);
    CHECK_INT(count(pdf, len, "(https://example.org/%29%20/S%20/JavaScript%20/JS%20%28app.alert"
                              "%281%29)"),
              1);
    CHECK_INT(count(pdf, len, "(https://example.org/%27%5C%28x%29%20caf%C3%A9)"), 1);
    CHECK_INT(count(pdf, len, "(mailto:someone@example.org)"), 1);
    /* A PDF with links is whole: every object it names is in it. */
    CHECK_INT(run_on(dir, "links.pdf", pdf, len, "qpdf --check"), 0);
    CHECK_INT(run_on(dir, "links.pdf", pdf, len, "pdfinfo -js"), 0);
    free(pdf);
    tl_doc_free(doc);
}

/* Control characters, noncharacters and markup in the title and in event
 * titles: the SVG stays well-formed, its <title> says them escaped; and
 * hostile links do not appear in it: Cairo's SVG (paths) has no links at
 * all, the text SVG only those to http, https and mailto, percent-encoded
 * as in the PDF. */
static void test_svg_text(const char *dir)
{
    tl_doc *doc = load(linked);
    if (!doc)
        return;
    for (size_t i = 0; i < doc->nevents; i++)
        ((tl_event_extra *)doc->events[i].extra)->url = hostile_urls[i];
    doc->title = "A\x01<b>&\"'\x1b[2J\x7f\xc2\x85\xef\xbf\xbf\xef\xbf\xbe end";
    doc->events[0].title = "Event \x02 with <markup> & \xef\xbf\xbe";
    size_t len;
    char *svg = render_svg(doc, "paths", &len);
    CHECK_INT(count(svg, len, "<title id=\"tl-title\">A\xef\xbf\xbd&lt;b&gt;&amp;&quot;&apos;"
                              "\xef\xbf\xbd[2J\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                              " end</title>"),
              1);
    CHECK_INT(count(svg, len, "Event \xef\xbf\xbd with &lt;markup&gt; &amp; \xef\xbf\xbd"), 1);
    bool clean = true;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)svg[i];
        clean &= c >= 0x20 || c == '\n' || c == '\t';
        clean &= c != 0x7F;
    }
    CHECK(clean);
    /* Cairo's SVG has no links: none of any scheme, nor their text. */
    CHECK_INT(count(svg, len, "javascript"), 0);
    CHECK_INT(count(svg, len, "example.org"), 0);
    CHECK_INT(count(svg, len, "href=\"#"), count(svg, len, "href=\""));
    CHECK_INT(run_on(dir, "text.svg", svg, len, "xmllint --noout"), 0);
    free(svg);

    svg = render_svg(doc, "text", &len);
    CHECK_INT(count(svg, len, "-title\">A\xef\xbf\xbd&lt;b&gt;&amp;&quot;&apos;"
                              "\xef\xbf\xbd[2J\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                              " end</title>"),
              1);
    /* In the description, the event's tooltip and its label. */
    CHECK_INT(count(svg, len, "Event \xef\xbf\xbd with &lt;markup&gt; &amp; \xef\xbf\xbd"), 3);
    clean = true;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)svg[i];
        clean &= c >= 0x20 || c == '\n' || c == '\t';
        clean &= c != 0x7F;
    }
    CHECK(clean);
    CHECK_INT(count(svg, len, "javascript"), 0);
    CHECK_INT(count(svg, len, "file:"), 0);
    CHECK_INT(count(svg, len, "data:"), 0);
    CHECK_INT(count(svg, len, "<a href=\""), 3);
    CHECK_INT(count(svg, len, "<a href=\"https://example.org/%29%20/S%20/JavaScript%20/JS%20"
                              "%28app.alert%281%29\">"),
              1);
    CHECK_INT(count(svg, len, "<a href=\"https://example.org/%27%5C%28x%29%20caf%C3%A9\">"), 1);
    CHECK_INT(count(svg, len, "<a href=\"mailto:someone@example.org\">"), 1);
    CHECK_INT(run_on(dir, "text.svg", svg, len, "xmllint --noout"), 0);
    free(svg);
    tl_doc_free(doc);
}

static void test_markdown(void)
{
    tl_doc *doc = load("title: T\n"
                       "sources:\n"
                       "  - {id: s1, title: One, url: 'https://example.org/1'}\n"
                       "  - {id: s2, title: Two, url: 'https://example.org/2'}\n"
                       "  - {id: s3, title: Three, url: 'https://example.org/3'}\n"
                       "events:\n"
                       "  - {id: a, date: 2014, title: A, sources: [s1, s2, s3]}\n");
    if (!doc)
        return;
    doc->title = "#x <!-- \x01";
    doc->subtitle = "  1. a\\|b\nnext";
    doc->events[0].title = "<img src=x onerror=alert(1)> **b** | `c` [l](u) &amp; ~~s~~ _e_";
    doc->sources[0].author = "- Name";
    doc->sources[0].url = "javascript:alert(1)";
    doc->sources[1].url = "https://example.org/a b<c>(d)";
    doc->sources[2].url = "data:text/html,x";
    size_t len;
    char *md = render(doc, TL_FORMAT_TEXT, &len);
    CHECK(md && strstr(md, "# \\#x \\<!-- \xef\xbf\xbd\n\n"));
    CHECK(md && strstr(md, "\n1\\. a\\\\\\|b next\n"));
    CHECK(md && strstr(md, "| \\<img src=x onerror=alert(1)\\> \\*\\*b\\*\\* \\| \\`c\\` "
                           "\\[l\\](u) \\&amp; \\~\\~s\\~\\~ \\_e\\_ |"));
    CHECK(md && strstr(md, "1. \\- Name, “One”.\n"));
    CHECK(md && strstr(md, "2. “Two”, <https://example.org/a%20b%3Cc%3E%28d%29>.\n"));
    CHECK(md && strstr(md, "3. “Three”.\n"));
    CHECK(md && !strstr(md, "javascript") && !strstr(md, "data:"));
    free(md);
    tl_doc_free(doc);
}

typedef struct png_reader {
    const unsigned char *data;
    size_t len, at;
} png_reader;

static cairo_status_t read_png(void *closure, unsigned char *out, unsigned int n)
{
    png_reader *r = closure;
    if (n > r->len - r->at)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(out, r->data + r->at, n);
    r->at += n;
    return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *png_of(const tl_doc *doc)
{
    size_t len;
    char *png = render(doc, TL_FORMAT_PNG, &len);
    png_reader r = {(const unsigned char *)png, len, 0};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(read_png, &r);
    free(png);
    CHECK_INT(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    return s;
}

/* The rows where two images of one size differ: *top..*bottom, or -1. */
static void rows_differing(cairo_surface_t *a, cairo_surface_t *b, int *top, int *bottom)
{
    *top = *bottom = -1;
    int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
    CHECK_INT(cairo_image_surface_get_width(b), w);
    CHECK_INT(cairo_image_surface_get_height(b), h);
    if (cairo_image_surface_get_height(b) != h || cairo_image_surface_get_width(b) != w)
        return;
    int stride = cairo_image_surface_get_stride(a);
    const unsigned char *pa = cairo_image_surface_get_data(a);
    const unsigned char *pb = cairo_image_surface_get_data(b);
    for (int y = 0; y < h; y++)
        if (memcmp(pa + (size_t)y * stride, pb + (size_t)y * stride, (size_t)w * 4)) {
            *top = *top < 0 ? y : *top;
            *bottom = y;
        }
}

/* 140 combining accents on one letter of a label: the accents draw within
 * a few pixels of the label (which two lines, title and date, make about
 * 30 px tall), not up through the chart's title. */
static void test_marks_clipped(void)
{
    char marks[140 * 2 + 16] = "Z";
    for (int i = 0; i < 140; i++)
        strcat(marks, "\xcc\x81");   /* U+0301 */
    strcat(marks, "algo");
    tl_doc *doc = load("title: A title over the label\n"
                       "events:\n"
                       "  - {id: a, date: 2014-05, title: Zalgo}\n"
                       "  - {id: b, date: 2014-09, title: Other}\n");
    if (!doc)
        return;
    cairo_surface_t *plain = png_of(doc);
    doc->events[0].title = marks;
    cairo_surface_t *hostile = png_of(doc);
    int top, bottom;
    rows_differing(plain, hostile, &top, &bottom);
    CHECK(top >= 0);   /* the accents are drawn */
    CHECK(bottom - top < 24);
    if (bottom - top >= 24)
        fprintf(stderr, "accents drawn over rows %d..%d\n", top, bottom);
    cairo_surface_destroy(plain);
    cairo_surface_destroy(hostile);
    tl_doc_free(doc);
}

int main(void)
{
    char dir[] = "/tmp/test_writers.XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    test_url_allowed();
    test_url_encode();
    test_xml_escape();
    test_pdf_links(dir);
    test_svg_text(dir);
    test_markdown();
    test_marks_clipped();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    return check_report("test_writers");
}
