/* test_svg.c — the SVG writer inside one process: the same bytes on every
 * render, ids under the prefix asked for, and text that is always
 * well-formed XML 1.0; and output through a write callback, with every
 * write failure reported.  Reads data/events.yaml from $SRCDIR, or from
 * the current directory. */
#include "options.h"
#include "svg.h"
#include "text.h"
#include "timeline.h"

#include "check.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static char events_path[4096] = "data/events.yaml";

static unsigned char *render(const tl_doc *doc, const tl_options *o, size_t *len)
{
    unsigned char *data = NULL;
    tl_diag *diag = tl_diag_new();
    CHECK_INT(tl_render_buffer(doc, o, TL_FORMAT_SVG, &data, len, diag), TL_OK);
    tl_diag_free(diag);
    return data;
}

static size_t count(const unsigned char *s, size_t n, const char *what)
{
    size_t k = 0, m = strlen(what);
    for (size_t i = 0; i + m <= n; i++)
        k += memcmp(s + i, what, m) == 0;
    return k;
}

/* Two renders of one document in one process, and of the same document
 * loaded again: identical bytes (Cairo's SVG numbers its ids across the
 * process; this writer has no such state). */
static void test_same_bytes(tl_doc *doc)
{
    tl_options *o = tl_options_new();
    size_t na = 0, nb = 0, nc = 0;
    unsigned char *a = render(doc, o, &na), *b = render(doc, o, &nb);
    tl_doc *again = NULL;
    CHECK_INT(tl_doc_load_file(events_path, &again, NULL), TL_OK);
    unsigned char *c = render(again, o, &nc);
    CHECK(a && b && c && na > 10000 && na < 40000);
    CHECK(na == nb && a && b && memcmp(a, b, na) == 0);
    CHECK(na == nc && a && c && memcmp(a, c, na) == 0);
    /* Another layout is another chart, with other ids. */
    CHECK_INT(tl_options_set(o, "layout", "lanes", NULL), TL_OK);
    size_t nd = 0;
    unsigned char *d = render(doc, o, &nd);
    CHECK(a && d && count(a, na, " id=\"tl-") > 24 && count(d, nd, " id=\"tl-") > 24);
    CHECK(a && d && memcmp(strstr((char *)a, " id=\"tl-"), strstr((char *)d, " id=\"tl-"), 16) != 0);
    free(a);
    free(b);
    free(c);
    free(d);
    tl_doc_free(again);
    tl_options_free(o);
}

static void test_prefix(tl_doc *doc)
{
    tl_options *o = tl_options_new();
    tl_diag *diag = tl_diag_new();
    CHECK_INT(tl_options_set(o, "id-prefix", "fig3", diag), TL_OK);
    CHECK_INT(tl_options_set(o, "id-prefix", "3fig", diag), TL_ERR_USAGE);
    CHECK_INT(tl_options_set(o, "id-prefix", "a b", diag), TL_ERR_USAGE);
    CHECK_INT(tl_options_set(o, "id-prefix", "", diag), TL_ERR_USAGE);
    CHECK_INT(tl_diag_error_count(diag), 3);
    size_t n = 0;
    unsigned char *s = render(doc, o, &n);
    /* The refused values left the first one in place. */
    CHECK(s && count(s, n, " id=\"") == count(s, n, " id=\"fig3-"));
    CHECK(s && count(s, n, " id=\"fig3-e") == 24);
    CHECK(s && count(s, n, "aria-labelledby=\"fig3-title fig3-desc\"") == 1);
    free(s);
    CHECK(tl_svg_prefix_ok("_a.b-c9"));
    CHECK(!tl_svg_prefix_ok("-a") && !tl_svg_prefix_ok("a:b") && !tl_svg_prefix_ok("é"));
    char longp[TL_SVG_MAX_PREFIX + 2];
    memset(longp, 'a', sizeof longp - 1);
    longp[sizeof longp - 1] = '\0';
    CHECK(!tl_svg_prefix_ok(longp));
    longp[TL_SVG_MAX_PREFIX] = '\0';
    CHECK(tl_svg_prefix_ok(longp));
    /* The paths mode is Cairo's surface: glyphs, no <text>. */
    CHECK_INT(tl_options_set(o, "svg-text", "paths", diag), TL_OK);
    s = render(doc, o, &n);
    CHECK(s && count(s, n, "<text") == 0 && count(s, n, "<symbol") > 0);
    free(s);
    CHECK_INT(tl_options_set(o, "svg-text", "glyphs", diag), TL_ERR_USAGE);
    tl_diag_free(diag);
    tl_options_free(o);
}

static int failing_put_calls;

static bool failing_put(void *closure, const void *data, size_t len)
{
    (void)closure;
    (void)data;
    (void)len;
    failing_put_calls++;
    return false;
}

static bool put_buf(void *closure, const void *data, size_t len)
{
    return tl_buf_append(closure, data, len);
}

/* Text with bytes XML 1.0 does not allow (controls, invalid UTF-8, an
 * encoded surrogate, U+FFFF) comes out with U+FFFD in their place, and
 * escaped.  Loading and the options refuse such text, so it is put into a
 * laid-out chart here, as the chart's title. */
static void test_illegal_bytes(tl_doc *doc)
{
    tl_options *o = tl_options_new();
    tl_layout_params p;
    tl_fonts *fonts = NULL;
    CHECK_INT(tl_options_resolve(o, TL_FORMAT_SVG, &p, NULL), TL_OK);
    CHECK_INT(tl_fonts_new(NULL, &fonts, NULL), TL_OK);
    tl_measurer m;
    tl_fonts_measurer(fonts, &m);
    tl_chart *c = tl_layout_new(doc, &p, &m);
    CHECK(c != NULL);
    tl_buf b = {0};
    if (c) {
        c->doc_title = "a\x01" "b\xff" "c\xed\xa0\x80" "d\xef\xbf\xbf" "e<&>\"\t.";
        CHECK_INT(tl_svg_write(c, doc, fonts, "t", put_buf, &b), TL_OK);
    }
    const unsigned char *s = b.data;
    size_t n = b.len;
#define R "\xef\xbf\xbd"
    CHECK(s && count(s, n, "<title id=\"t-title\">a" R "b" R "c" R R R "d" R
                           "e&lt;&amp;&gt;&quot;\t.</title>") == 1);
#undef R
    bool clean = s != NULL;
    for (size_t i = 0; s && i < n; i++)
        clean &= s[i] >= 0x20 || s[i] == '\n' || s[i] == '\t';
    CHECK(clean);
    CHECK(s && count(s, n, "\xff") == 0 && count(s, n, "\xed\xa0") == 0 &&
          count(s, n, "\xef\xbf\xbf") == 0);
    /* A put that fails is reported as such. */
    failing_put_calls = 0;
    CHECK_INT(c ? tl_svg_write(c, doc, fonts, NULL, failing_put, NULL) : TL_OK, TL_ERR_IO);
    CHECK_INT(failing_put_calls, 1);
    tl_buf_free(&b);
    tl_layout_free(c);
    tl_fonts_free(fonts);
    tl_options_free(o);
}

/* A tl_write_fn that keeps what it gets, and fails from its Nth call. */
typedef struct sink {
    int left;
    unsigned char *data;
    size_t len;
} sink;

static int take(void *closure, const unsigned char *data, size_t len)
{
    sink *s = closure;
    if (s->left-- <= 0)
        return 1;
    unsigned char *p = realloc(s->data, s->len + len);
    if (!p)
        return 1;
    memcpy(p + s->len, data, len);
    s->data = p;
    s->len += len;
    return 0;
}

/* tl_render_stream gives the bytes tl_render_buffer does, in every format,
 * and reports a write the callback refuses. */
static void test_stream(tl_doc *doc)
{
    tl_options *o = tl_options_new();
    tl_diag *diag = tl_diag_new();
    for (tl_format f = TL_FORMAT_SVG; f <= TL_FORMAT_TEXT; f++) {
        unsigned char *want = NULL;
        size_t n = 0;
        CHECK_INT(tl_render_buffer(doc, o, f, &want, &n, diag), TL_OK);
        sink s = {1000, NULL, 0};
        CHECK_INT(tl_render_stream(doc, o, f, take, &s, diag), TL_OK);
        /* Cairo's SVG and PDF are the same but for counters of its own. */
        CHECK(s.len == n && (f == TL_FORMAT_PDF || memcmp(s.data, want, n) == 0));
        free(s.data);
        free(want);
        sink refuse = {0, NULL, 0};
        CHECK_INT(tl_render_stream(doc, o, f, take, &refuse, diag), TL_ERR_IO);
        CHECK_INT(refuse.len, 0);
        free(refuse.data);
    }
    CHECK_INT(tl_diag_error_count(diag), 4);
    CHECK_STR(tl_diag_message(diag, 0), "cannot write the chart: Input/output error");
    /* No format: a usage error. */
    sink s = {1000, NULL, 0};
    CHECK_INT(tl_render_stream(doc, o, TL_FORMAT_AUTO, take, &s, diag), TL_ERR_USAGE);
    CHECK_INT(s.len, 0);
    tl_diag_clear(diag);
    CHECK_INT(tl_diag_count(diag), 0);
    CHECK_INT(tl_diag_error_count(diag), 0);
    CHECK_INT(tl_render_stream(doc, o, TL_FORMAT_AUTO, take, &s, diag), TL_ERR_USAGE);
    CHECK_INT(tl_diag_error_count(diag), 1);
    tl_diag_free(diag);
    tl_options_free(o);
}

/* The status strings and the version number. */
static void test_status_and_version(void)
{
    const char *seen[TL_ERR_FONT + 1];
    for (int st = TL_OK; st <= TL_ERR_FONT; st++) {
        seen[st] = tl_status_string((tl_status)st);
        CHECK(seen[st] && seen[st][0]);
        for (int k = TL_OK; k < st; k++)
            CHECK(strcmp(seen[k], seen[st]) != 0);
    }
    CHECK_STR(tl_status_string(TL_ERR_NOMEM), "out of memory");
    CHECK_STR(tl_status_string((tl_status)99), "unknown status");
    char v[32];
    snprintf(v, sizeof v, "%d.%d.%d", TIMELINE_VERSION_NUM / 10000,
             TIMELINE_VERSION_NUM / 100 % 100, TIMELINE_VERSION_NUM % 100);
    CHECK_STR(v, TIMELINE_VERSION_STRING);
    CHECK_STR(tl_version(), TIMELINE_VERSION_STRING);
#if TIMELINE_VERSION_NUM < 100
    CHECK(!"TIMELINE_VERSION_NUM usable in #if");
#endif
}

/* The <title> of an event and the <desc> say its time in the zone and
 * language the chart shows, and an unknown end's tail is marked apart. */
static void test_zone_and_language(void)
{
    static const char yaml[] =
        "timezone: UTC\n"
        "events:\n"
        "  - {id: a, title: Landing, date: 1969-07-20T20:17:40Z}\n"
        "  - {id: b, title: Unknown, date: 1969-07-20T21:00Z/}\n"
        "  - {id: c, title: Open, date: 1969-07-21T02:00Z/..}\n";
    tl_doc *doc = NULL;
    CHECK_INT(tl_doc_load_buffer("t.yaml", yaml, strlen(yaml), &doc, NULL), TL_OK);
    tl_options *o = tl_options_new();
    CHECK_INT(tl_options_set(o, "tz", "+02:00", NULL), TL_OK);
    CHECK_INT(tl_options_set(o, "lang", "de", NULL), TL_OK);
    size_t n = 0;
    unsigned char *s = doc ? render(doc, o, &n) : NULL;
    CHECK(s && count(s, n, "<title>Landing, 20. Juli 1969, 22:17:40 +02:00</title>") == 1);
    CHECK(s && count(s, n, "20. Juli 1969, 22:17:40 +02:00: Landing\n") == 1);
    CHECK(s && count(s, n, "class=\"tl-open tl-unknown\"") == 1);
    CHECK(s && count(s, n, "class=\"tl-open\"") == 1);
    free(s);
    tl_options_free(o);
    tl_doc_free(doc);
}

int main(void)
{
    const char *src = getenv("SRCDIR");
    if (src)
        snprintf(events_path, sizeof events_path, "%s/data/events.yaml", src);
    tl_doc *doc = NULL;
    CHECK_INT(tl_doc_load_file(events_path, &doc, NULL), TL_OK);
    test_status_and_version();
    test_zone_and_language();
    if (doc) {
        test_same_bytes(doc);
        test_prefix(doc);
        test_illegal_bytes(doc);
        test_stream(doc);
    }
    tl_doc_free(doc);
    return check_report("test_svg");
}
