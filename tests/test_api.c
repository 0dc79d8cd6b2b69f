/* test_api.c — the contract of the public API, as timeline.h states it.
 *
 * Uses nothing but timeline.h (and Cairo for tl_render_cairo, Pango for a
 * caller's font map), like a
 * program that embeds the library.  Reads data/events.yaml from $SRCDIR, or
 * from the current directory when SRCDIR is not set. */
/* posix_openpt and friends, for a terminal to refuse. */
#define _XOPEN_SOURCE 700

#include "timeline.h"

#include "check.h"

#include <pango/pangocairo.h>

#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Three lanes, six events with known date intervals, for counts. */
static const char small_yaml[] =
    "title: Small\n"
    "lanes:\n"
    "  - {id: a}\n"
    "  - {id: b}\n"
    "  - {id: c}\n"
    "sources:\n"
    "  - {id: s, title: A source}\n"
    "events:\n"
    "  - {id: e2001, date: 2001, title: Two thousand one, lane: a}\n"
    "  - {id: e2010, date: 2010-05, title: May 2010, lane: b, importance: 1}\n"
    "  - {id: span, date: 2012, end: 2013-06, title: A span, lane: a}\n"
    "  - {id: may14, date: 2014-05, title: May 2014, lane: c, tags: [x]}\n"
    "  - id: bounded\n"
    "    date: {after: 2014-11, before: 2015-01-13}\n"
    "    title: Sometime around the new year\n"
    "    lane: b\n"
    "    importance: 3\n"
    "    sources: [s]\n"
    "  - {id: early15, date: early 2015, title: Early 2015, tags: [x, y]}\n";

/* An invalid date on line 4, column 11 (both 1-based). */
static const char bad_yaml[] =
    "title: Bad\n"
    "events:\n"
    "  - id: one\n"
    "    date: 2015-02-30\n"
    "    title: No such day\n";

static char events_path[4096];
static char all_fields_path[4096]; /* tests/data/good/all_fields.yaml */

/* Reads a whole file into a malloc'd buffer. */
static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            char *grown = realloc(buf, cap);
            if (!grown) {
                free(buf);
                fclose(fp);
                return NULL;
            }
            buf = grown;
        }
        size_t got = fread(buf + n, 1, cap - n, fp);
        n += got;
        if (got == 0)
            break;
    }
    fclose(fp);
    *len = n;
    return buf;
}

/* True when some entry of diag has a message containing `needle`. */
static int diag_mentions(const tl_diag *diag, const char *needle)
{
    for (size_t i = 0; i < tl_diag_count(diag); i++)
        if (strstr(tl_diag_message(diag, i), needle))
            return 1;
    return 0;
}

static tl_doc *load_small(void)
{
    tl_doc *doc = NULL;
    tl_diag *diag = tl_diag_new();
    tl_status st = tl_doc_load_buffer("small.yaml", small_yaml, strlen(small_yaml), &doc, diag);
    CHECK_INT(st, TL_OK);
    if (st != TL_OK)
        tl_diag_print(diag, stderr);
    tl_diag_free(diag);
    return doc;
}

static void test_free_null(void)
{
    /* Each must simply return. */
    tl_diag_free(NULL);
    tl_doc_free(NULL);
    tl_filter_free(NULL);
    tl_options_free(NULL);
    CHECK(1);
}

static void test_version(void)
{
    CHECK_STR(tl_version(), TIMELINE_VERSION_STRING);
    char expect[32];
    snprintf(expect, sizeof expect, "%d.%d.%d", TIMELINE_VERSION_MAJOR, TIMELINE_VERSION_MINOR,
             TIMELINE_VERSION_PATCH);
    CHECK_STR(TIMELINE_VERSION_STRING, expect);
}

/* The same file through the three loaders gives the same document. */
static void test_load_three_ways(void)
{
    size_t len = 0;
    char *data = slurp(events_path, &len);
    CHECK(data != NULL);
    if (!data)
        return;
    tl_diag *diag = tl_diag_new();
    tl_doc *from_file = NULL, *from_buffer = NULL, *from_stream = NULL;
    CHECK_INT(tl_doc_load_file(events_path, &from_file, diag), TL_OK);
    CHECK_INT(tl_doc_load_buffer("events.yaml", data, len, &from_buffer, diag), TL_OK);
    FILE *fp = fopen(events_path, "rb");
    CHECK(fp != NULL);
    if (fp) {
        CHECK_INT(tl_doc_load_stream("events.yaml", fp, &from_stream, diag), TL_OK);
        fclose(fp);
    }
    CHECK_INT(tl_diag_error_count(diag), 0);
    if (from_file && from_buffer && from_stream) {
        CHECK(tl_doc_event_count(from_file) > 0);
        CHECK(tl_doc_lane_count(from_file) > 0);
        CHECK(tl_doc_source_count(from_file) > 0);
        CHECK_INT(tl_doc_event_count(from_buffer), tl_doc_event_count(from_file));
        CHECK_INT(tl_doc_event_count(from_stream), tl_doc_event_count(from_file));
        CHECK_INT(tl_doc_lane_count(from_buffer), tl_doc_lane_count(from_file));
        CHECK_INT(tl_doc_lane_count(from_stream), tl_doc_lane_count(from_file));
        CHECK_INT(tl_doc_source_count(from_buffer), tl_doc_source_count(from_file));
        CHECK_INT(tl_doc_source_count(from_stream), tl_doc_source_count(from_file));
        char a[128], b[128], c[128];
        size_t need = tl_doc_range_text(from_file, a, sizeof a);
        tl_doc_range_text(from_buffer, b, sizeof b);
        tl_doc_range_text(from_stream, c, sizeof c);
        CHECK(need > 0 && need < sizeof a);
        CHECK_STR(b, a);
        CHECK_STR(c, a);
        CHECK_INT(tl_doc_validate(from_file, diag), TL_OK);
        /* A small buffer is truncated but terminated; the needed length is
         * still reported. */
        char tiny[4];
        CHECK_INT(tl_doc_range_text(from_file, tiny, sizeof tiny), need);
        CHECK_INT(strlen(tiny), sizeof tiny - 1);
    }
    tl_doc_free(from_file);
    tl_doc_free(from_buffer);
    tl_doc_free(from_stream);
    tl_diag_free(diag);
    free(data);

    tl_doc *doc = load_small();
    if (doc) {
        CHECK_INT(tl_doc_event_count(doc), 6);
        CHECK_INT(tl_doc_lane_count(doc), 3);
        CHECK_INT(tl_doc_source_count(doc), 1);
    }
    tl_doc_free(doc);
}

static void test_load_errors(void)
{
    tl_diag *diag = tl_diag_new();
    tl_doc *doc = (tl_doc *)&doc; /* must be set to NULL on failure */
    tl_status st = tl_doc_load_buffer("bad.yaml", bad_yaml, strlen(bad_yaml), &doc, diag);
    CHECK_INT(st, TL_ERR_DATA);
    CHECK(doc == NULL);
    CHECK(tl_diag_count(diag) >= 1);
    CHECK(tl_diag_error_count(diag) >= 1);
    if (tl_diag_count(diag) >= 1) {
        CHECK_INT(tl_diag_severity(diag, 0), TL_ERROR);
        CHECK_STR(tl_diag_file(diag, 0), "bad.yaml");
        CHECK_INT(tl_diag_line(diag, 0), 4);
        /* At the date, or at the part of it that is wrong (the day). */
        int col = tl_diag_col(diag, 0);
        CHECK(col >= 11 && col <= 20);
        CHECK(strstr(tl_diag_message(diag, 0), "2015-02-30") != NULL);
    }
    /* Printed like a compiler, with the source line and a caret. */
    FILE *fp = tmpfile();
    CHECK(fp != NULL);
    if (fp) {
        tl_diag_print(diag, fp);
        rewind(fp);
        char text[2048] = {0};
        size_t n = fread(text, 1, sizeof text - 1, fp);
        text[n] = '\0';
        CHECK(strncmp(text, "bad.yaml:4:", 11) == 0);
        CHECK(strstr(text, ": error: ") != NULL);
        CHECK(strstr(text, "date: 2015-02-30") != NULL);
        CHECK(strchr(text, '^') != NULL);
        fclose(fp);
    }
    tl_diag_free(diag);

    /* A NULL diag is allowed; the status still says what went wrong. */
    doc = NULL;
    CHECK_INT(tl_doc_load_buffer("bad.yaml", bad_yaml, strlen(bad_yaml), &doc, NULL), TL_ERR_DATA);
    CHECK(doc == NULL);

    /* Not YAML at all, an empty input, a missing file. */
    diag = tl_diag_new();
    static const char broken[] = "events: [\n";
    CHECK_INT(tl_doc_load_buffer("broken.yaml", broken, strlen(broken), &doc, diag), TL_ERR_DATA);
    CHECK(doc == NULL);
    if (tl_diag_count(diag) >= 1)
        CHECK(tl_diag_line(diag, 0) >= 1);
    CHECK_INT(tl_doc_load_buffer("empty.yaml", "", 0, &doc, diag), TL_ERR_DATA);
    CHECK(doc == NULL);
    tl_diag_free(diag);

    diag = tl_diag_new();
    CHECK_INT(tl_doc_load_file("/nonexistent/dir/events.yaml", &doc, diag), TL_ERR_IO);
    CHECK(doc == NULL);
    CHECK(tl_diag_error_count(diag) >= 1);
    tl_diag_free(diag);
}

/* Sets name=value, expecting TL_ERR_USAGE and a message naming the option. */
static void expect_bad_option(tl_options *o, const char *name, const char *value)
{
    tl_diag *diag = tl_diag_new();
    tl_status st = tl_options_set(o, name, value, diag);
    if (st != TL_ERR_USAGE)
        fprintf(stderr, "tl_options_set(%s, \"%s\") gave %d\n", name, value, (int)st);
    CHECK_INT(st, TL_ERR_USAGE);
    CHECK(tl_diag_error_count(diag) >= 1);
    if (!diag_mentions(diag, name))
        fprintf(stderr, "no message names '%s' for \"%s\"\n", name, value);
    CHECK(diag_mentions(diag, name));
    tl_diag_free(diag);
}

static void test_options(void)
{
    tl_options *o = tl_options_new();
    CHECK(o != NULL);
    if (!o)
        return;
    CHECK_INT(tl_options_format(o), TL_FORMAT_AUTO);

    expect_bad_option(o, "width", "abc");
    expect_bad_option(o, "width", "-5");
    expect_bad_option(o, "width", "0");
    expect_bad_option(o, "width", "12furlongs");
    expect_bad_option(o, "width", "");
    expect_bad_option(o, "height", "tall");
    expect_bad_option(o, "scale", "0");
    expect_bad_option(o, "scale", "9");
    expect_bad_option(o, "scale", "two");
    expect_bad_option(o, "theme", "neon");
    expect_bad_option(o, "layout", "spiral");
    expect_bad_option(o, "page", "a5");
    expect_bad_option(o, "format", "gif");
    expect_bad_option(o, "breaks", "maybe");
    expect_bad_option(o, "citations", "2");
    expect_bad_option(o, "colour", "red");

    /* A rejected value leaves the options as they were. */
    CHECK_INT(tl_options_set(o, "format", "svg", NULL), TL_OK);
    CHECK_INT(tl_options_set(o, "format", "gif", NULL), TL_ERR_USAGE);
    CHECK_INT(tl_options_format(o), TL_FORMAT_SVG);

    static const char *const good[][2] = {
        {"layout", "axis"},   {"layout", "lanes"},    {"layout", "list"},
        {"width", "85mm"},    {"width", "6in"},       {"width", "400pt"},
        {"width", "1600px"},  {"width", "1200"},      {"height", "auto"},
        {"height", "300pt"},  {"page", "a4"},         {"page", "a4-landscape"},
        {"page", "letter"},   {"page", "letter-landscape"}, {"page", "slide-16x9"},
        {"scale", "0.1"},     {"scale", "8"},         {"scale", "2"},
        {"theme", "light"},   {"theme", "dark"},      {"theme", "print"},
        {"font", "DejaVu Sans"}, {"title", "A title"}, {"subtitle", ""},
        {"breaks", "on"},     {"breaks", "off"},      {"citations", "on"},
        {"citations", "off"}, {"format", "pdf"},      {"format", "png"},
        {"format", "text"},   {"format", "md"},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        tl_status st = tl_options_set(o, good[i][0], good[i][1], NULL);
        if (st != TL_OK)
            fprintf(stderr, "tl_options_set(%s, \"%s\") gave %d\n", good[i][0], good[i][1],
                    (int)st);
        CHECK_INT(st, TL_OK);
    }
    CHECK_INT(tl_options_format(o), TL_FORMAT_TEXT);
    tl_options_free(o);

    CHECK_INT(tl_format_from_path("a.svg"), TL_FORMAT_SVG);
    CHECK_INT(tl_format_from_path("dir/a.PDF"), TL_FORMAT_PDF);
    CHECK_INT(tl_format_from_path("a.png"), TL_FORMAT_PNG);
    CHECK_INT(tl_format_from_path("a.md"), TL_FORMAT_TEXT);
    CHECK_INT(tl_format_from_path("a.txt"), TL_FORMAT_TEXT);
    CHECK_INT(tl_format_from_path("a.gif"), TL_FORMAT_AUTO);
    CHECK_INT(tl_format_from_path("svg"), TL_FORMAT_AUTO);
}

/* Renders doc in `format`; returns the malloc'd bytes or NULL. */
static unsigned char *render(const tl_doc *doc, const tl_options *o, tl_format format,
                             size_t *len)
{
    unsigned char *data = NULL;
    tl_diag *diag = tl_diag_new();
    tl_status st = tl_render_buffer(doc, o, format, &data, len, diag);
    CHECK_INT(st, TL_OK);
    if (st != TL_OK) {
        tl_diag_print(diag, stderr);
        free(data);
        data = NULL;
    }
    tl_diag_free(diag);
    return data;
}

static int has_bytes(const unsigned char *data, size_t len, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; data && i + k <= len; i++)
        if (memcmp(data + i, needle, k) == 0)
            return 1;
    return 0;
}

static void test_render_buffer(const tl_doc *doc)
{
    tl_options *o = tl_options_new();
    size_t len = 0;
    unsigned char *pdf = render(doc, o, TL_FORMAT_PDF, &len);
    CHECK(pdf && len > 5 && memcmp(pdf, "%PDF-", 5) == 0);
    free(pdf);

    size_t svg_len = 0, again_len = 0;
    unsigned char *svg = render(doc, o, TL_FORMAT_SVG, &svg_len);
    CHECK(has_bytes(svg, svg_len, "<svg"));
    CHECK(has_bytes(svg, svg_len, "</svg>"));
    /* Same input, same bytes (but for Cairo's surface serial number). */
    unsigned char *again = render(doc, o, TL_FORMAT_SVG, &again_len);
    if (svg && again) {
        svg_len = svg_drop_surface_ids(svg, svg_len);
        again_len = svg_drop_surface_ids(again, again_len);
        CHECK(svg_len == again_len && memcmp(svg, again, svg_len) == 0);
    }
    size_t png_len = 0, png2_len = 0;
    unsigned char *png1 = render(doc, o, TL_FORMAT_PNG, &png_len);
    unsigned char *png2 = render(doc, o, TL_FORMAT_PNG, &png2_len);
    CHECK(png1 && png2 && png_len == png2_len && memcmp(png1, png2, png_len) == 0);
    free(png1);
    free(png2);
    free(svg);
    free(again);

    unsigned char *png = render(doc, o, TL_FORMAT_PNG, &len);
    CHECK(png && len > 8 && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0);
    free(png);

    unsigned char *text = render(doc, o, TL_FORMAT_TEXT, &len);
    CHECK(has_bytes(text, len, "Sometime around the new year"));
    free(text);

    /* The format argument wins over the options' own. */
    CHECK_INT(tl_options_set(o, "format", "png", NULL), TL_OK);
    svg = render(doc, o, TL_FORMAT_SVG, &len);
    CHECK(has_bytes(svg, len, "<svg"));
    free(svg);
    tl_options_free(o);
}

/* Stage timings: each render fills them afresh (they do not add up over
 * renders), every stage of a drawn chart takes some time, and NULL stops
 * them.  A render to a file counts its writing as output. */
static void test_timings(const tl_doc *doc)
{
    tl_options *o = tl_options_new();
    /* Left over from an earlier render: must not be added to. */
    tl_timings t = {1000, 1000, 1000, 1000};
    tl_options_set_timings(o, &t);
    size_t len = 0;
    unsigned char *png = render(doc, o, TL_FORMAT_PNG, &len);
    CHECK(png != NULL);
    free(png);
    CHECK(t.fonts > 0 && t.layout > 0 && t.draw > 0 && t.output > 0);
    CHECK(t.fonts + t.layout + t.draw + t.output < 60);

    /* Markdown is written without fonts or drawing. */
    unsigned char *md = render(doc, o, TL_FORMAT_TEXT, &len);
    free(md);
    CHECK(t.fonts == 0 && t.layout == 0 && t.draw == 0);

    char dir[] = "/tmp/tl_test_timings_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[64];
    snprintf(path, sizeof path, "%s/t.svg", dir);
    tl_diag *diag = tl_diag_new();
    CHECK_INT(tl_render_file(doc, o, path, diag), TL_OK);
    CHECK(t.fonts > 0 && t.layout > 0 && t.draw > 0 && t.output > 0);
    unlink(path);
    rmdir(dir);

    tl_options_set_timings(o, NULL);
    t = (tl_timings){-1, -1, -1, -1};
    png = render(doc, o, TL_FORMAT_PNG, &len);
    free(png);
    CHECK(t.fonts == -1 && t.layout == -1 && t.draw == -1 && t.output == -1);
    tl_diag_free(diag);
    tl_options_free(o);
}

/* Number of entries in a directory, "." and ".." aside. */
static int dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

/* A failed render leaves an existing file untouched and no temporary file
 * behind. */
static void test_render_file(const tl_doc *doc)
{
    char dir[] = "/tmp/tl_test_api_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[64];
    snprintf(path, sizeof path, "%s/chart.svg", dir);
    FILE *fp = fopen(path, "w");
    CHECK(fp != NULL);
    if (!fp)
        return;
    fputs("precious", fp);
    fclose(fp);

    tl_options *o = tl_options_new();
    tl_diag *diag = tl_diag_new();
    /* Too wide for a PNG once scaled: refused before anything is written. */
    CHECK_INT(tl_options_set(o, "format", "png", diag), TL_OK);
    CHECK_INT(tl_options_set(o, "width", "14000pt", diag), TL_OK);
    CHECK_INT(tl_options_set(o, "scale", "8", diag), TL_OK);
    CHECK_INT(tl_render_file(doc, o, path, diag), TL_ERR_USAGE);
    CHECK(diag_mentions(diag, "width"));
    size_t len = 0;
    char *kept = slurp(path, &len);
    CHECK(kept && len == 8 && memcmp(kept, "precious", 8) == 0);
    free(kept);
    CHECK_INT(dir_entries(dir), 1);
    tl_options_free(o);
    tl_diag_free(diag);

    o = tl_options_new();
    diag = tl_diag_new();
    CHECK_INT(tl_render_file(doc, o, path, diag), TL_OK);
    kept = slurp(path, &len);
    CHECK(kept && has_bytes((unsigned char *)kept, len, "<svg"));
    free(kept);
    CHECK_INT(dir_entries(dir), 1);
    CHECK_INT(tl_render_file(doc, o, "/nonexistent/dir/chart.svg", diag), TL_ERR_IO);
    tl_options_free(o);
    tl_diag_free(diag);
    remove(path);
    rmdir(dir);
}

/* The render entry points refuse NULL pointers with TL_ERR_USAGE and a
 * message naming the parameter, clear their results, and never crash. */
static void test_render_null_args(const tl_doc *doc)
{
    tl_options *o = tl_options_new();
    tl_diag *diag = tl_diag_new();
    CHECK_INT(tl_render_file(NULL, o, "never.svg", diag), TL_ERR_USAGE);
    CHECK(diag_mentions(diag, "tl_render_file: doc is NULL"));
    CHECK_INT(tl_render_file(doc, NULL, "never.svg", diag), TL_ERR_USAGE);
    CHECK(diag_mentions(diag, "tl_render_file: opts is NULL"));
    CHECK_INT(tl_render_file(doc, o, NULL, diag), TL_ERR_USAGE);
    CHECK(diag_mentions(diag, "tl_render_file: path is NULL"));
    CHECK_INT(tl_render_file(NULL, NULL, NULL, NULL), TL_ERR_USAGE);
    CHECK(access("never.svg", F_OK) != 0);

    CHECK_INT(tl_render_file_consume(NULL, o, "never.svg", diag), TL_ERR_USAGE);
    CHECK(diag_mentions(diag, "tl_render_file_consume: doc is NULL"));
    /* A document given with a NULL argument is freed all the same (the
     * sanitizers see a leak otherwise). */
    tl_doc *taken = load_small();
    CHECK_INT(tl_render_file_consume(taken, NULL, "never.svg", diag), TL_ERR_USAGE);
    CHECK(diag_mentions(diag, "tl_render_file_consume: opts is NULL"));
    taken = load_small();
    CHECK_INT(tl_render_file_consume(taken, o, NULL, diag), TL_ERR_USAGE);
    CHECK(diag_mentions(diag, "tl_render_file_consume: path is NULL"));

    unsigned char *data = (unsigned char *)"stale";
    size_t len = 5;
    CHECK_INT(tl_render_buffer(NULL, o, TL_FORMAT_SVG, &data, &len, diag), TL_ERR_USAGE);
    CHECK(data == NULL && len == 0);
    CHECK(diag_mentions(diag, "tl_render_buffer: doc is NULL"));
    CHECK_INT(tl_render_buffer(doc, NULL, TL_FORMAT_SVG, &data, &len, diag), TL_ERR_USAGE);
    CHECK(diag_mentions(diag, "tl_render_buffer: opts is NULL"));
    len = 5;
    CHECK_INT(tl_render_buffer(doc, o, TL_FORMAT_SVG, NULL, &len, diag), TL_ERR_USAGE);
    CHECK(len == 0 && diag_mentions(diag, "tl_render_buffer: data is NULL"));
    CHECK_INT(tl_render_buffer(doc, o, TL_FORMAT_SVG, &data, NULL, diag), TL_ERR_USAGE);
    CHECK(data == NULL && diag_mentions(diag, "tl_render_buffer: len is NULL"));
    CHECK_INT(tl_render_buffer(doc, o, (tl_format)99, &data, &len, diag), TL_ERR_USAGE);
    CHECK(data == NULL && diag_mentions(diag, "format: not a tl_format value"));
    CHECK_INT(tl_render_buffer(doc, o, TL_FORMAT_AUTO, &data, &len, diag), TL_ERR_USAGE);
    CHECK(diag_mentions(diag, "format: no output format given"));

    double h = 7;
    CHECK_INT(tl_measure(NULL, o, 400, &h, diag), TL_ERR_USAGE);
    CHECK(h == 0 && diag_mentions(diag, "tl_measure: doc is NULL"));
    CHECK_INT(tl_measure(doc, NULL, 400, &h, diag), TL_ERR_USAGE);
    CHECK(diag_mentions(diag, "tl_measure: opts is NULL"));
    CHECK_INT(tl_measure(doc, o, 400, NULL, diag), TL_ERR_USAGE);
    CHECK(diag_mentions(diag, "tl_measure: height is NULL"));

    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 100, 100);
    cairo_t *cr = cairo_create(s);
    CHECK_INT(tl_render_cairo(NULL, o, cr, 0, 0, 100, 100, diag), TL_ERR_USAGE);
    CHECK(diag_mentions(diag, "tl_render_cairo: doc is NULL"));
    CHECK_INT(tl_render_cairo(doc, NULL, cr, 0, 0, 100, 100, diag), TL_ERR_USAGE);
    CHECK(diag_mentions(diag, "tl_render_cairo: opts is NULL"));
    CHECK_INT(tl_render_cairo(doc, o, NULL, 0, 0, 100, 100, diag), TL_ERR_USAGE);
    CHECK(diag_mentions(diag, "tl_render_cairo: cr is NULL"));
    CHECK_INT(tl_render_cairo(doc, o, cr, NAN, 0, 100, 100, diag), TL_ERR_USAGE);
    CHECK(diag_mentions(diag, "x: must be a finite number"));
    CHECK_INT(tl_render_cairo(doc, o, cr, 0, 0, 100, INFINITY, diag), TL_ERR_USAGE);
    CHECK(diag_mentions(diag, "height: the box must have a positive"));
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    /* A cairo_t in an error state (cairo's own answer to a NULL surface). */
    cr = cairo_create(NULL);
    CHECK_INT(tl_render_cairo(doc, o, cr, 0, 0, 100, 100, diag), TL_ERR_USAGE);
    CHECK(diag_mentions(diag, "cr: the cairo_t is in an error state"));
    cairo_destroy(cr);
    tl_diag_free(diag);
    tl_options_free(o);
}

/* Writes `text` to path; returns whether it could. */
static bool write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    if (!fp)
        return false;
    fputs(text, fp);
    return fclose(fp) == 0;
}

/* True when the file at path holds exactly `text`. */
static bool file_is(const char *path, const char *text)
{
    size_t len = 0;
    char *got = slurp(path, &len);
    bool same = got && len == strlen(text) && memcmp(got, text, len) == 0;
    free(got);
    return same;
}

/* The library never writes over the file a document came from, however
 * the path is spelt; a legal 255-byte name works; the temporary file is
 * published for a signal handler while it exists. */
static void test_render_file_paths(void)
{
    char dir[] = "/tmp/tl_test_paths_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char in[128], twin[128], spelt[192], link_path[128];
    snprintf(in, sizeof in, "%s/in.yaml", dir);
    snprintf(twin, sizeof twin, "%s/twin.svg", dir);
    snprintf(spelt, sizeof spelt, "%s/../%s/./in.yaml", dir, strrchr(dir, '/') + 1);
    snprintf(link_path, sizeof link_path, "%s/link.svg", dir);
    CHECK(write_file(in, small_yaml));
    CHECK(link(in, twin) == 0);
    CHECK(symlink("in.yaml", link_path) == 0);
    tl_doc *doc = NULL;
    tl_diag *diag = tl_diag_new();
    CHECK_INT(tl_doc_load_file(in, &doc, diag), TL_OK);
    tl_options *o = tl_options_new();
    CHECK_INT(tl_options_set(o, "format", "svg", diag), TL_OK);
    const char *same[] = {in, twin, spelt, link_path};
    for (size_t i = 0; doc && i < 4; i++) {
        CHECK_INT(tl_render_file(doc, o, same[i], diag), TL_ERR_USAGE);
        CHECK(diag_mentions(diag, "is the input file"));
        CHECK(file_is(in, small_yaml));
    }
    CHECK_INT(dir_entries(dir), 3);

    /* 255 bytes, the longest name there is: the temporary name is
     * shortened, not the target's. */
    char longname[512];
    int k = snprintf(longname, sizeof longname, "%s/", dir);
    memset(longname + k, 'n', 251);
    strcpy(longname + k + 251, ".svg");
    tl_temp_file slot = {0};
    tl_options_set_temp_file(o, &slot);
    CHECK_INT(tl_render_file(doc, o, longname, diag), TL_OK);
    CHECK(access(longname, F_OK) == 0);
    CHECK_INT(dir_entries(dir), 4);
    CHECK_INT(slot.active, 0);
    /* The slot named the temporary file: "." and the name cut short. */
    CHECK(strncmp(slot.path, longname, (size_t)k) == 0 && slot.path[k] == '.' &&
          strlen(slot.path) == (size_t)k + 255);
    /* Removing does nothing once the render is over... */
    CHECK(write_file(slot.path, "someone else's"));
    tl_temp_file_remove(&slot);
    CHECK(access(slot.path, F_OK) == 0);
    /* ...and removes the file while one is in progress. */
    slot.active = 1;
    tl_temp_file_remove(&slot);
    CHECK(access(slot.path, F_OK) != 0);
    remove(longname);

    tl_options_free(o);
    tl_doc_free(doc);
    tl_diag_free(diag);
    remove(link_path);
    remove(twin);
    remove(in);
    rmdir(dir);
}

/* A PDF or PNG is not written to a terminal (standard output here, a
 * pseudo-terminal of our own, non-blocking so that a failure cannot hang
 * the test); SVG is text and goes through. */
static void test_render_terminal(const tl_doc *doc)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
        fprintf(stderr, "test_render_terminal: no pseudo-terminal, skipped\n");
        if (master >= 0)
            close(master);
        return;
    }
    int pts = open(ptsname(master), O_RDWR | O_NOCTTY | O_NONBLOCK);
    CHECK(pts >= 0);
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    if (pts < 0 || saved < 0 || dup2(pts, STDOUT_FILENO) < 0) {
        close(master);
        return;
    }
    tl_options *o = tl_options_new();
    tl_diag *diag = tl_diag_new();
    CHECK_INT(tl_options_set(o, "format", "png", diag), TL_OK);
    tl_status png = tl_render_file(doc, o, "-", diag);
    CHECK_INT(tl_options_set(o, "format", "pdf", diag), TL_OK);
    tl_status pdf = tl_render_file(doc, o, "-", diag);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    CHECK_INT(png, TL_ERR_USAGE);
    CHECK_INT(pdf, TL_ERR_USAGE);
    CHECK(diag_mentions(diag, "is a terminal — a PNG is not written to one"));
    CHECK(diag_mentions(diag, "write it to a file or a pipe"));
    /* Nothing reached the terminal. */
    char buf[16];
    int fl = fcntl(master, F_GETFL);
    fcntl(master, F_SETFL, fl | O_NONBLOCK);
    CHECK(read(master, buf, sizeof buf) <= 0);
    tl_options_free(o);
    tl_diag_free(diag);
    close(pts);
    close(master);
}

/* Renders `kept` with tl_render_file and `taken` (the same document, loaded
 * again) with tl_render_file_consume into files in dir; they must match,
 * byte for byte when `exact`, and hold more than `min` bytes.  Frees kept. */
static void render_both_ways(tl_doc *kept, tl_doc *taken, const tl_options *o,
                             const char *dir, const char *ext, bool exact, size_t min,
                             tl_diag *diag)
{
    char kept_path[64], taken_path[64];
    snprintf(kept_path, sizeof kept_path, "%s/kept.%s", dir, ext);
    snprintf(taken_path, sizeof taken_path, "%s/taken.%s", dir, ext);
    CHECK_INT(tl_render_file(kept, o, kept_path, diag), TL_OK);
    CHECK_INT(tl_render_file_consume(taken, o, taken_path, diag), TL_OK);
    size_t na = 0, nb = 0;
    char *a = slurp(kept_path, &na), *b = slurp(taken_path, &nb);
    CHECK(a && b && na == nb && na > min);
    if (exact)
        CHECK(a && b && na == nb && memcmp(a, b, na) == 0);
    free(a);
    free(b);
    remove(kept_path);
    remove(taken_path);
    tl_doc_free(kept);
}

/* The dataset in every layout and format, rendered both ways (see
 * render_both_ways); the consumed copy is loaded for rendering when
 * `lean`. */
static void dataset_both_ways(const char *dir, bool lean, tl_diag *diag)
{
    static const char *const formats[] = {"svg", "pdf", "png", "md"};
    static const char *const layouts[] = {"axis", "lanes", "list"};
    for (size_t f = 0; f < 4; f++)
        for (size_t l = 0; l < 3; l++) {
            tl_options *o = tl_options_new();
            CHECK_INT(tl_options_set(o, "layout", layouts[l], diag), TL_OK);
            tl_doc *doc = NULL, *taken = NULL;
            CHECK_INT(tl_doc_load_file(events_path, &doc, diag), TL_OK);
            CHECK_INT(lean ? tl_doc_load_for_render(events_path, o, NULL, &taken, diag)
                           : tl_doc_load_file(events_path, &taken, diag),
                      TL_OK);
            CHECK_INT(tl_doc_event_count(taken), tl_doc_event_count(doc));
            render_both_ways(doc, taken, o, dir, formats[f], true, 1000, diag);
            tl_options_free(o);
        }
}

/* tl_render_file_consume draws what tl_render_file draws, though it frees
 * the document before drawing a PNG or PDF (under the sanitizers, a chart
 * still pointing into it would fail here), and frees it on failure too. */
static void test_render_file_consume(void)
{
    char dir[] = "/tmp/tl_test_consume_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    tl_diag *diag = tl_diag_new();
    dataset_both_ways(dir, false, diag);
    CHECK_INT(tl_diag_count(diag), 0);

    /* A list with more texts than the layout keeps shaped: the rest are
     * shaped again from their words while drawing, after the document is
     * freed. */
    size_t cap = 6000 * 160, n = 0;
    char *yaml = malloc(cap);
    CHECK(yaml != NULL);
    if (yaml) {
        n += (size_t)snprintf(yaml, cap, "title: Many\nevents:\n");
        for (int i = 0; i < 6000; i++)
            n += (size_t)snprintf(yaml + n, cap - n,
                                  "  - {id: e%d, date: 2001-01-%02d, title: Event number %d,"
                                  " summary: What happened on day %d}\n",
                                  i, i % 28 + 1, i, i);
        CHECK(n < cap);
    }
    tl_options *o = tl_options_new();
    CHECK_INT(tl_options_set(o, "layout", "list", diag), TL_OK);
    tl_doc *doc = NULL, *taken = NULL;
    CHECK_INT(tl_doc_load_buffer("many", yaml, n, &doc, diag), TL_OK);
    CHECK_INT(tl_doc_load_buffer("many", yaml, n, &taken, diag), TL_OK);
    free(yaml);
    render_both_ways(doc, taken, o, dir, "pdf", true, 100000, diag);
    tl_options_free(o);

    CHECK_INT(tl_doc_load_file(events_path, &doc, diag), TL_OK);
    o = tl_options_new();
    CHECK_INT(tl_render_file_consume(doc, o, "/nonexistent/dir/chart.png", diag), TL_ERR_IO);
    tl_options_free(o);
    tl_diag_free(diag);
    rmdir(dir);
}

/* Messages of a diag, one per line with their positions, for comparing. */
static char *diag_text(const tl_diag *diag)
{
    size_t cap = 4096, n = 0;
    char *s = calloc(1, cap);
    for (size_t i = 0; s && i < tl_diag_count(diag); i++)
        n += (size_t)snprintf(s + n, n < cap ? cap - n : 0, "%d:%d: %s\n",
                              tl_diag_line(diag, i), tl_diag_col(diag, i),
                              tl_diag_message(diag, i));
    CHECK(n < cap);
    return s;
}

/* Events left after loading path in full and filtering, or -1. */
static long full_count(const char *path, const tl_filter *f)
{
    tl_doc *doc = NULL;
    if (tl_doc_load_file(path, &doc, NULL) != TL_OK || tl_doc_filter(doc, f, NULL) != TL_OK) {
        tl_doc_free(doc);
        return -1;
    }
    long n = (long)tl_doc_event_count(doc);
    tl_doc_free(doc);
    return n;
}

/* A document loaded for rendering draws exactly what the whole document
 * draws, in every layout and format (the list needs the summaries it
 * keeps), is filtered as the whole one is, says the same about a broken
 * file, and refuses what needs the parts it dropped. */
static void test_load_for_render(void)
{
    char dir[] = "/tmp/tl_test_lean_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    tl_diag *diag = tl_diag_new();
    dataset_both_ways(dir, true, diag);
    CHECK_INT(tl_diag_count(diag), 0);

    /* Links stay: an event's url is a link on its label in a PDF. */
    tl_options *lo = tl_options_new();
    tl_doc *linked = NULL;
    CHECK_INT(tl_doc_load_for_render(all_fields_path, lo, NULL, &linked, diag), TL_OK);
    if (linked) {
        size_t len = 0;
        unsigned char *pdf = render(linked, lo, TL_FORMAT_PDF, &len);
        CHECK(has_bytes(pdf, len, "/URI (https://example.org/day)"));
        free(pdf);
    }
    tl_doc_free(linked);
    tl_options_free(lo);

    /* Filtered while loading: the same events as filtering the whole. */
    tl_options *o = tl_options_new();
    tl_filter *tags = tl_filter_new(), *lanes = tl_filter_new(), *bad = tl_filter_new();
    CHECK_INT(tl_filter_add_tag(tags, "norms"), TL_OK);
    CHECK_INT(tl_filter_add_lane(lanes, "korea"), TL_OK);
    CHECK_INT(tl_filter_add_lane(bad, "mars"), TL_OK);
    const tl_filter *filters[] = {tags, lanes};
    for (size_t i = 0; i < 2; i++) {
        tl_doc *lean = NULL;
        CHECK_INT(tl_doc_load_for_render(events_path, o, filters[i], &lean, diag), TL_OK);
        long want = full_count(events_path, filters[i]);
        CHECK(want > 0 && want < 24);
        CHECK_INT((long)tl_doc_event_count(lean), want);
        tl_doc_free(lean);
    }
    tl_doc *lean = (tl_doc *)1;
    CHECK_INT(tl_doc_load_for_render(events_path, o, bad, &lean, diag), TL_ERR_USAGE);
    CHECK(lean == NULL);
    CHECK(diag_mentions(diag, "no lane 'mars'"));
    tl_diag_free(diag);
    diag = tl_diag_new();

    /* Refused: what reads the dropped tags and quotes.  Filtering by lane
     * still works, through the lane's index. */
    CHECK_INT(tl_doc_load_for_render(events_path, o, NULL, &lean, diag), TL_OK);
    CHECK_INT(tl_doc_validate(lean, diag), TL_OK);
    CHECK_INT(tl_doc_filter(lean, tags, diag), TL_ERR_USAGE);
    CHECK(diag_mentions(diag, "kept no tags"));
    CHECK_INT(tl_doc_verify_quotes(lean, dir, diag), TL_ERR_USAGE);
    CHECK(diag_mentions(diag, "kept no quotes"));
    CHECK_INT(tl_doc_filter(lean, lanes, diag), TL_OK);
    CHECK_INT((long)tl_doc_event_count(lean), full_count(events_path, lanes));
    tl_doc_free(lean);
    tl_diag_free(diag);
    diag = tl_diag_new();

    /* A broken file: the same messages at the same places. */
    char path[64];
    snprintf(path, sizeof path, "%s/bad.yaml", dir);
    FILE *fp = fopen(path, "w");
    CHECK(fp != NULL);
    if (fp) {
        fputs("lanes:\n  - id: a\nevents:\n"
              "  - {id: x, date: 2014, title: One, lane: b}\n"
              "  - {id: x, date: 2015, end: 2013, title: Two, note: [1]}\n"
              "  - {id: y, date: 2016, title: Three, sources: [{ref: s, quote: [5]}]}\n",
              fp);
        fclose(fp);
    }
    tl_diag *full = tl_diag_new();
    tl_doc *doc = NULL;
    CHECK_INT(tl_doc_load_file(path, &doc, full), TL_ERR_DATA);
    CHECK_INT(tl_doc_load_for_render(path, o, NULL, &lean, diag), TL_ERR_DATA);
    CHECK(doc == NULL && lean == NULL);
    char *a = diag_text(full), *b = diag_text(diag);
    CHECK(a && b && strcmp(a, b) == 0 && strstr(a, "5:54: 'note' must be text") &&
          strstr(a, "6:65: 'quote' must be text"));
    free(a);
    free(b);
    tl_diag_free(full);
    /* The schema's errors come first; the cross-checks, on a file that
     * passed them, say what a lean load checks before dropping the ids. */
    fp = fopen(path, "w");
    if (fp) {
        fputs("lanes:\n  - id: a\nevents:\n"
              "  - {id: x, date: 2014, title: One, lane: b}\n"
              "  - {id: x, date: 2015, end: 2013, title: Two}\n",
              fp);
        fclose(fp);
    }
    tl_diag_free(diag);
    diag = tl_diag_new();
    full = tl_diag_new();
    CHECK_INT(tl_doc_load_file(path, &doc, full), TL_ERR_DATA);
    CHECK_INT(tl_doc_load_for_render(path, o, NULL, &lean, diag), TL_ERR_DATA);
    a = diag_text(full);
    b = diag_text(diag);
    CHECK(a && b && strcmp(a, b) == 0 && strstr(a, "4:43: lane 'b' is not declared") &&
          strstr(a, "5:10: duplicate event id 'x'") && strstr(a, "5:30: end 2013"));
    free(a);
    free(b);
    tl_diag_free(full);
    remove(path);

    tl_filter_free(tags);
    tl_filter_free(lanes);
    tl_filter_free(bad);
    tl_options_free(o);
    tl_diag_free(diag);
    rmdir(dir);
}

/* The chart is laid out again for each width, so its height changes with
 * the width.  Text size follows the width too (within limits), so only at
 * one text size does narrower always mean taller: widths up to 600 pt all
 * get the smallest text, and the list layout wraps its text to the width
 * (`wraps`: the document has text long enough to wrap at 600 pt). */
static void test_measure(const tl_doc *doc, int wraps)
{
    tl_options *o = tl_options_new();
    tl_diag *diag = tl_diag_new();
    static const char *const layouts[] = {"axis", "lanes", "list"};
    for (size_t i = 0; i < 3; i++) {
        CHECK_INT(tl_options_set(o, "layout", layouts[i], diag), TL_OK);
        double h250 = 0, h400 = 0, h600 = 0, h900 = 0;
        CHECK_INT(tl_measure(doc, o, 250, &h250, diag), TL_OK);
        CHECK_INT(tl_measure(doc, o, 400, &h400, diag), TL_OK);
        CHECK_INT(tl_measure(doc, o, 600, &h600, diag), TL_OK);
        CHECK_INT(tl_measure(doc, o, 900, &h900, diag), TL_OK);
        CHECK(h250 > 0 && h400 > 0 && h600 > 0 && h900 > 0);
        CHECK(isfinite(h250) && isfinite(h900));
        CHECK(h250 != h900);
        if (i == 2 && wraps) {
            if (!(h250 > h400 && h400 > h600))
                fprintf(stderr, "list layout: %g, %g, %g pt tall at 250, 400, 600 pt\n", h250,
                        h400, h600);
            CHECK(h250 > h400 && h400 > h600);
        }
    }
    CHECK_INT(tl_diag_error_count(diag), 0);
    double h = 123;
    CHECK_INT(tl_measure(doc, o, 0, &h, diag), TL_ERR_USAGE);
    CHECK_INT(tl_measure(doc, o, -10, &h, diag), TL_ERR_USAGE);
    CHECK_INT(tl_measure(doc, o, NAN, &h, NULL), TL_ERR_USAGE);
    CHECK_INT(tl_measure(doc, o, INFINITY, &h, NULL), TL_ERR_USAGE);
    tl_diag_free(diag);
    tl_options_free(o);
}

/* Counts pixels of `surface` that differ from `bg`, inside and outside the
 * rectangle [x0, x1) x [y0, y1). */
static void count_ink(cairo_surface_t *surface, uint32_t bg, int x0, int y0, int x1, int y1,
                      long *inside, long *outside)
{
    cairo_surface_flush(surface);
    const unsigned char *data = cairo_image_surface_get_data(surface);
    int stride = cairo_image_surface_get_stride(surface);
    int w = cairo_image_surface_get_width(surface), h = cairo_image_surface_get_height(surface);
    *inside = *outside = 0;
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
        for (int x = 0; x < w; x++) {
            if (row[x] == bg)
                continue;
            if (x >= x0 && x < x1 && y >= y0 && y < y1)
                (*inside)++;
            else
                (*outside)++;
        }
    }
}

/* Draws the chart into a box on a magenta image and checks that it draws
 * inside the box, only there, and leaves the cairo_t as it found it. */
static void render_into_box(const tl_doc *doc, const tl_options *o, double box_h_fraction)
{
    const int W = 700, H = 900;
    const double bx = 60, by = 40, bw = 520;
    double need = 0;
    CHECK_INT(tl_measure(doc, o, bw, &need, NULL), TL_OK);
    double bh = floor(need * box_h_fraction);
    if (bh > H - by - 10)
        bh = H - by - 10;
    if (bh < 144)   /* a chart's least height, as for a file */
        bh = 144;

    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, W, H);
    cairo_t *cr = cairo_create(surface);
    cairo_set_source_rgb(cr, 1, 0, 1);
    cairo_paint(cr);
    cairo_surface_flush(surface);
    uint32_t bg = *(const uint32_t *)(const void *)cairo_image_surface_get_data(surface);

    cairo_set_line_width(cr, 7);
    cairo_matrix_t before, after;
    cairo_get_matrix(cr, &before);
    tl_diag *diag = tl_diag_new();
    tl_status st = tl_render_cairo(doc, o, cr, bx, by, bw, bh, diag);
    CHECK_INT(st, TL_OK);
    if (st != TL_OK)
        tl_diag_print(diag, stderr);
    tl_diag_free(diag);
    CHECK_INT(cairo_status(cr), CAIRO_STATUS_SUCCESS);
    /* State restored. */
    cairo_get_matrix(cr, &after);
    CHECK(memcmp(&before, &after, sizeof before) == 0);
    CHECK(cairo_get_line_width(cr) == 7);
    double r = -1, g = -1, b = -1, a = -1;
    CHECK_INT(cairo_pattern_get_rgba(cairo_get_source(cr), &r, &g, &b, &a),
              CAIRO_STATUS_SUCCESS);
    CHECK(r == 1 && g == 0 && b == 1 && a == 1);

    long inside, outside;
    count_ink(surface, bg, (int)bx, (int)by, (int)ceil(bx + bw), (int)ceil(by + bh), &inside,
              &outside);
    if (outside != 0 || inside < 1000)
        fprintf(stderr, "box %gx%g: %ld pixels drawn inside, %ld outside\n", bw, bh, inside,
                outside);
    CHECK(inside >= 1000);
    CHECK_INT(outside, 0);

    /* A box of zero height is refused and draws nothing. */
    cairo_set_source_rgb(cr, 1, 0, 1);
    cairo_paint(cr);
    CHECK_INT(tl_render_cairo(doc, o, cr, bx, by, bw, 0, NULL), TL_ERR_USAGE);
    count_ink(surface, bg, 0, 0, 0, 0, &inside, &outside);
    CHECK_INT(outside, 0);
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
}

static void test_render_cairo(const tl_doc *doc)
{
    tl_options *o = tl_options_new();
    render_into_box(doc, o, 1.0);  /* the height it needs */
    render_into_box(doc, o, 0.5);  /* too short: laid out again for it */
    CHECK_INT(tl_options_set(o, "layout", "list", NULL), TL_OK);
    CHECK_INT(tl_options_set(o, "theme", "dark", NULL), TL_OK);
    render_into_box(doc, o, 1.0);
    render_into_box(doc, o, 0.3);
    tl_options_free(o);
}

/* Number of events left after `filter`, on a fresh copy of the document. */
static long filtered_count(const tl_filter *filter, tl_status expect)
{
    tl_doc *doc = load_small();
    if (!doc)
        return -1;
    tl_diag *diag = tl_diag_new();
    tl_status st = tl_doc_filter(doc, filter, diag);
    CHECK_INT(st, expect);
    long n = (long)tl_doc_event_count(doc);
    if (st == TL_OK)
        CHECK_INT(tl_doc_validate(doc, diag), TL_OK);
    tl_diag_free(diag);
    tl_doc_free(doc);
    return n;
}

static void test_filter(void)
{
    tl_filter *f = tl_filter_new();
    CHECK(f != NULL);
    if (!f)
        return;
    CHECK_INT(filtered_count(f, TL_OK), 6); /* an empty filter keeps all */

    /* [2013, 2014] overlaps the 2012-2013 span, May 2014 and the bounded
     * date that runs from Nov 2014 into 2015. */
    CHECK_INT(tl_filter_set_range(f, "2013", "2014", NULL), TL_OK);
    CHECK_INT(filtered_count(f, TL_OK), 3);
    CHECK_INT(tl_filter_set_range(f, NULL, "2005", NULL), TL_OK);
    CHECK_INT(filtered_count(f, TL_OK), 1);
    CHECK_INT(tl_filter_set_range(f, "2015-02", NULL, NULL), TL_OK);
    CHECK_INT(filtered_count(f, TL_OK), 1);
    CHECK_INT(tl_filter_set_range(f, "2030", NULL, NULL), TL_OK);
    CHECK_INT(filtered_count(f, TL_OK), 0); /* none left is not an error */
    tl_filter_free(f);

    tl_diag *diag = tl_diag_new();
    f = tl_filter_new();
    CHECK(tl_filter_set_range(f, "yesterday", NULL, diag) != TL_OK);
    CHECK(tl_diag_error_count(diag) >= 1);
    tl_filter_free(f);
    tl_diag_free(diag);

    f = tl_filter_new();
    CHECK_INT(tl_filter_add_lane(f, "a"), TL_OK);
    CHECK_INT(filtered_count(f, TL_OK), 2);
    CHECK_INT(tl_filter_add_lane(f, "b"), TL_OK);
    CHECK_INT(filtered_count(f, TL_OK), 4);
    CHECK_INT(tl_filter_set_min_importance(f, 2), TL_OK);
    CHECK_INT(filtered_count(f, TL_OK), 3);
    tl_filter_free(f);

    f = tl_filter_new();
    CHECK_INT(tl_filter_add_tag(f, "y"), TL_OK);
    CHECK_INT(filtered_count(f, TL_OK), 1);
    CHECK_INT(tl_filter_add_tag(f, "x"), TL_OK);
    CHECK_INT(filtered_count(f, TL_OK), 2);
    tl_filter_free(f);

    f = tl_filter_new();
    CHECK_INT(tl_filter_add_lane(f, "nosuchlane"), TL_OK);
    CHECK_INT(filtered_count(f, TL_ERR_USAGE), 6);
    tl_filter_free(f);

    f = tl_filter_new();
    CHECK(tl_filter_set_min_importance(f, 0) != TL_OK);
    CHECK(tl_filter_set_min_importance(f, 4) != TL_OK);
    CHECK_INT(tl_filter_set_min_importance(f, 3), TL_OK);
    CHECK_INT(filtered_count(f, TL_OK), 1);
    tl_filter_free(f);
}

/* ---- A box on a caller's cairo_t, and the look options ----------------- */

/* The PNG in png[0..len) as an image surface (NULL when it is not one). */
typedef struct png_reader {
    const unsigned char *p;
    size_t left;
} png_reader;

static cairo_status_t png_read(void *closure, unsigned char *data, unsigned int n)
{
    png_reader *r = closure;
    if (n > r->left)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->p, n);
    r->p += n;
    r->left -= n;
    return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *png_surface(const tl_doc *doc, const tl_options *o)
{
    unsigned char *png = NULL;
    size_t len = 0;
    CHECK_INT(tl_render_buffer(doc, o, TL_FORMAT_PNG, &png, &len, NULL), TL_OK);
    if (!png)
        return NULL;
    png_reader r = {png, len};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(png_read, &r);
    free(png);
    CHECK_INT(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    return s;
}

static uint32_t pixel(cairo_surface_t *s, int x, int y)
{
    cairo_surface_flush(s);
    const unsigned char *row =
        cairo_image_surface_get_data(s) + (size_t)y * (size_t)cairo_image_surface_get_stride(s);
    return ((const uint32_t *)(const void *)row)[x];
}

/* Pixels of s[0..w)×[0..h) whose colour (alpha aside) differs between a and
 * b. */
static long pixels_differing(cairo_surface_t *a, cairo_surface_t *b, int w, int h)
{
    long n = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            n += (pixel(a, x, y) & 0xFFFFFF) != (pixel(b, x, y) & 0xFFFFFF);
    return n;
}

/* Half an A4 page: the chart is laid out for the box as a file of that
 * width and height is — same pixels, font sizes and dropped labels — not
 * the full-size chart scaled down. */
static void test_render_cairo_half_page(const tl_doc *doc)
{
    const double bw = 595.28, bh = 420.94;
    tl_options *o = tl_options_new();
    CHECK_INT(tl_options_set(o, "width", "595.28pt", NULL), TL_OK);
    CHECK_INT(tl_options_set(o, "height", "420.94pt", NULL), TL_OK);
    cairo_surface_t *file = png_surface(doc, o);
    tl_options_free(o);

    o = tl_options_new();
    /* Options that a box replaces must not matter. */
    CHECK_INT(tl_options_set(o, "page", "a4-landscape", NULL), TL_OK);
    /* A PNG is the chart in points at 96 px per inch: the box is drawn so. */
    cairo_surface_t *box = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 794, 562);
    cairo_t *cr = cairo_create(box);
    cairo_scale(cr, 96.0 / 72, 96.0 / 72);
    tl_render_info info;
    tl_diag *diag = tl_diag_new();
    CHECK_INT(tl_render_cairo_info(doc, o, cr, 0, 0, bw, bh, &info, diag), TL_OK);
    cairo_destroy(cr);
    CHECK(info.width == bw && info.height == bh);
    CHECK_INT((long)info.events, (long)tl_doc_event_count(doc));
    CHECK_INT((long)(info.labelled + info.unlabelled), (long)info.events);
    CHECK(info.labelled > 0);
    CHECK_INT(info.pages, 1);
    /* The warning a file render gives about unlabelled events comes too. */
    CHECK_INT(info.unlabelled > 0, diag_mentions(diag, "have no room for a label") ||
                                       diag_mentions(diag, "have no label"));
    CHECK_INT(info.callouts > 0, diag_mentions(diag, "numbered at their markers"));
    if (file) {
        CHECK_INT(cairo_image_surface_get_width(file), 794);
        long diff = pixels_differing(file, box, 793, 561);
        if (diff)
            fprintf(stderr, "half page: %ld pixels differ from the file render\n", diff);
        CHECK_INT(diff, 0);
    }
    /* Measured at the box's width, the chart is taller than the box: the
     * box render placed it anew rather than shrinking that one. */
    double need = 0;
    CHECK_INT(tl_measure(doc, o, bw, &need, NULL), TL_OK);
    double nat_w = 0, nat_h = 0;
    CHECK_INT(tl_measure_natural(doc, o, &nat_w, &nat_h, NULL), TL_OK);
    CHECK(nat_w > 841 && nat_w < 842 && nat_h > 595 && nat_h < 596); /* the page */
    tl_options *plain = tl_options_new();
    CHECK_INT(tl_measure_natural(doc, plain, &nat_w, &nat_h, NULL), TL_OK);
    CHECK(nat_w == 960);
    double h960 = 0;
    CHECK_INT(tl_measure(doc, plain, 960, &h960, NULL), TL_OK);
    CHECK(nat_h == h960);
    CHECK_INT(tl_measure_natural(NULL, plain, &nat_w, NULL, NULL), TL_ERR_USAGE);
    CHECK(nat_w == 0);
    tl_options_free(plain);
    tl_diag_free(diag);
    cairo_surface_destroy(box);
    if (file)
        cairo_surface_destroy(file);
    tl_options_free(o);
}

/* The list layout flows over pages of a short box: the first call warns,
 * the page calls draw every page, and a page past the end is refused. */
static void test_render_cairo_pages(const tl_doc *doc)
{
    tl_options *o = tl_options_new();
    CHECK_INT(tl_options_set(o, "layout", "list", NULL), TL_OK);
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 400, 200);
    cairo_t *cr = cairo_create(img);
    tl_render_info info;
    tl_diag *diag = tl_diag_new();
    CHECK_INT(tl_render_cairo_info(doc, o, cr, 0, 0, 400, 150, &info, diag), TL_OK);
    CHECK(info.pages > 1);
    CHECK(diag_mentions(diag, "pages of this box — only the first is drawn"));
    int pages = info.pages;
    tl_diag_free(diag);
    diag = tl_diag_new();
    for (int p = 0; p < pages; p++) {
        cairo_save(cr);
        cairo_set_operator(cr, CAIRO_OPERATOR_CLEAR);
        cairo_paint(cr);
        cairo_restore(cr);
        CHECK_INT(tl_render_cairo_page(doc, o, cr, 0, 0, 400, 150, p, &info, diag), TL_OK);
        CHECK_INT(info.pages, pages);
        long ink = 0;
        for (int y = 0; y < 150; y++)
            for (int x = 0; x < 400; x++)
                ink += (pixel(img, x, y) & 0xFFFFFF) != 0xFFFFFF && pixel(img, x, y) >> 24;
        CHECK(ink > 100);
    }
    CHECK_INT(tl_diag_count(diag), 0);
    CHECK_INT(tl_render_cairo_page(doc, o, cr, 0, 0, 400, 150, pages, &info, diag),
              TL_ERR_USAGE);
    CHECK(info.pages == 0 && diag_mentions(diag, "is not one of the chart's"));
    CHECK_INT(tl_render_cairo_page(doc, o, cr, 0, 0, 400, 150, -1, NULL, NULL), TL_ERR_USAGE);
    tl_diag_free(diag);
    cairo_destroy(cr);
    cairo_surface_destroy(img);
    tl_options_free(o);
}

/* A base font size changes the layout as a file render with it does. */
static void test_font_size(const tl_doc *doc)
{
    tl_options *o = tl_options_new();
    double h_auto = 0, h_big = 0;
    CHECK_INT(tl_measure(doc, o, 600, &h_auto, NULL), TL_OK);
    CHECK_INT(tl_options_set(o, "font-size", "14pt", NULL), TL_OK);
    CHECK_INT(tl_measure(doc, o, 600, &h_big, NULL), TL_OK);
    CHECK(h_big > h_auto * 1.3);
    CHECK_INT(tl_options_set(o, "font-size", "auto", NULL), TL_OK);
    CHECK_INT(tl_measure(doc, o, 600, &h_big, NULL), TL_OK);
    CHECK(h_big == h_auto);
    tl_diag *diag = tl_diag_new();
    CHECK_INT(tl_options_set(o, "font-size", "3pt", diag), TL_ERR_USAGE);
    CHECK(diag_mentions(diag, "font-size: 3pt is too small"));
    CHECK_INT(tl_options_set(o, "font-size", "big", diag), TL_ERR_USAGE);
    tl_diag_free(diag);
    tl_options_free(o);
}

/* A transparent background leaves the page's pixels at alpha 0, in a PNG
 * and on a caller's surface; a colour fills it. */
static void test_background(const tl_doc *doc)
{
    tl_options *o = tl_options_new();
    CHECK_INT(tl_options_set(o, "background", "transparent", NULL), TL_OK);
    cairo_surface_t *s = png_surface(doc, o);
    if (s) {
        CHECK_INT(cairo_image_surface_get_format(s), CAIRO_FORMAT_ARGB32);
        CHECK_INT(pixel(s, 0, 0) >> 24, 0);
        CHECK_INT(pixel(s, cairo_image_surface_get_width(s) - 1,
                        cairo_image_surface_get_height(s) - 1) >> 24, 0);
        long opaque = 0;
        for (int y = 0; y < cairo_image_surface_get_height(s); y++)
            for (int x = 0; x < cairo_image_surface_get_width(s); x++)
                opaque += pixel(s, x, y) >> 24 == 0xFF;
        CHECK(opaque > 1000);   /* the chart itself is drawn */
        cairo_surface_destroy(s);
    }
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 400, 300);
    cairo_t *cr = cairo_create(img);
    CHECK_INT(tl_render_cairo(doc, o, cr, 0, 0, 400, 300, NULL), TL_OK);
    cairo_destroy(cr);
    CHECK_INT(pixel(img, 1, 1) >> 24, 0);
    cairo_surface_destroy(img);

    CHECK_INT(tl_options_set(o, "background", "#FFFFF0", NULL), TL_OK);
    s = png_surface(doc, o);
    if (s) {
        CHECK_INT(pixel(s, 0, 0) & 0xFFFFFF, 0xFFFFF0);
        cairo_surface_destroy(s);
    }
    tl_diag *diag = tl_diag_new();
    CHECK_INT(tl_options_set(o, "background", "clear", diag), TL_ERR_USAGE);
    CHECK(diag_mentions(diag, "expected theme, transparent or a colour"));
    tl_diag_free(diag);
    tl_options_free(o);
}

static long count_colour(cairo_surface_t *s, uint32_t rgb)
{
    long n = 0;
    for (int y = 0; y < cairo_image_surface_get_height(s); y++)
        for (int x = 0; x < cairo_image_surface_get_width(s); x++)
            n += (pixel(s, x, y) & 0xFFFFFF) == rgb;
    return n;
}

/* A custom palette colours the lanes without their own colour. */
static void test_palette(const tl_doc *doc)
{
    tl_options *o = tl_options_new();
    CHECK_INT(tl_options_set(o, "layout", "lanes", NULL), TL_OK);
    cairo_surface_t *before = png_surface(doc, o);
    CHECK_INT(tl_options_set(o, "palette", "#FF0000,#00FF00,#0000FF", NULL), TL_OK);
    cairo_surface_t *after = png_surface(doc, o);
    if (before && after) {
        for (int k = 0; k < 3; k++) {
            uint32_t c = 0xFF0000u >> (8 * k);
            CHECK_INT(count_colour(before, c), 0);
            long n = count_colour(after, c);
            if (n < 20)
                fprintf(stderr, "palette colour %06x: %ld pixels\n", (unsigned)c, n);
            CHECK(n >= 20);
        }
    }
    if (before)
        cairo_surface_destroy(before);
    if (after)
        cairo_surface_destroy(after);
    tl_diag *diag = tl_diag_new();
    CHECK_INT(tl_options_set(o, "palette", "#FF0000,red", diag), TL_ERR_USAGE);
    CHECK_INT(tl_options_set(o, "palette", "#FF0000,", diag), TL_ERR_USAGE);
    CHECK_INT(tl_options_set(o, "palette", "", diag), TL_ERR_USAGE);
    CHECK(diag_mentions(diag, "palette: invalid value"));
    CHECK_INT(tl_options_set(o, "palette", "theme", NULL), TL_OK);
    tl_diag_free(diag);
    tl_options_free(o);
}

/* A caller's font map measures and draws as the private one does, and is
 * the caller's again after the render, its resolution unchanged. */
static void test_font_map(const tl_doc *doc)
{
    PangoFontMap *map = pango_cairo_font_map_new();
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(map), 96.0);
    tl_options *o = tl_options_new();
    double h_own = 0, h_map = 0;
    CHECK_INT(tl_measure(doc, o, 500, &h_own, NULL), TL_OK);
    tl_options_set_font_map(o, map);
    CHECK_INT(tl_measure(doc, o, 500, &h_map, NULL), TL_OK);
    CHECK(h_map == h_own);
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 500, 400);
    cairo_t *cr = cairo_create(img);
    CHECK_INT(tl_render_cairo(doc, o, cr, 0, 0, 500, 400, NULL), TL_OK);
    cairo_destroy(cr);
    cairo_surface_destroy(img);
    CHECK(pango_cairo_font_map_get_resolution(PANGO_CAIRO_FONT_MAP(map)) == 96.0);
    tl_options_set_font_map(o, NULL);
    tl_options_free(o);
    /* Still the caller's to use. */
    PangoContext *ctx = pango_font_map_create_context(map);
    CHECK(ctx != NULL);
    g_object_unref(ctx);
    g_object_unref(map);
}

/* ---- Reading back, copies -------------------------------------------- */

/* Events read back in file order, with their dates as written, in words
 * and as days. */
static void test_event_view(void)
{
    tl_doc *doc = load_small();
    if (!doc)
        return;
    tl_event_view v;
    CHECK_INT(tl_doc_event(doc, 0, &v), TL_OK);
    CHECK_STR(v.id, "e2001");
    CHECK_STR(v.title, "Two thousand one");
    CHECK_STR(v.lane, "a");
    CHECK_STR(v.date, "2001");
    CHECK_STR(v.date_words, "2001");
    CHECK_STR(v.earliest, "2001-01-01");
    CHECK_STR(v.latest, "2001-12-31");
    CHECK_STR(v.end, "");
    CHECK_INT(v.importance, 2);
    CHECK(v.summary == NULL && v.url == NULL && v.note == NULL);
    CHECK_INT(tl_doc_event(doc, 2, &v), TL_OK);   /* a span */
    CHECK_STR(v.id, "span");
    CHECK_STR(v.date, "2012");
    CHECK_STR(v.end, "2013-06");
    CHECK_STR(v.end_words, "Jun 2013");
    CHECK_STR(v.earliest, "2012-01-01");
    CHECK_STR(v.latest, "2013-06-30");
    CHECK_INT(tl_doc_event(doc, 4, &v), TL_OK);   /* bounded */
    CHECK_STR(v.id, "bounded");
    CHECK_STR(v.date_words, "between Nov 2014 and 13 Jan 2015");
    CHECK_STR(v.earliest, "2014-11-01");
    CHECK_STR(v.latest, "2015-01-13");
    CHECK_INT(v.importance, 3);
    CHECK_INT(tl_doc_event(doc, 5, &v), TL_OK);
    CHECK_STR(v.date, "early 2015");
    CHECK(v.lane == NULL);
    CHECK_INT(tl_doc_event(doc, 6, &v), TL_ERR_USAGE);
    CHECK(v.title == NULL && v.date[0] == '\0');
    CHECK_INT(tl_doc_event(NULL, 0, &v), TL_ERR_USAGE);
    CHECK_INT(tl_doc_event(doc, 0, NULL), TL_ERR_USAGE);
    tl_doc_free(doc);
}

/* A copy is a document of its own: filtering, freeing or rendering one
 * leaves the other as it was. */
static void test_copy_and_filtered(void)
{
    tl_doc *doc = load_small(), *copy = NULL, *kept = NULL;
    if (!doc)
        return;
    tl_options *o = tl_options_new();
    unsigned char *a = NULL, *b = NULL;
    size_t alen = 0, blen = 0;
    CHECK_INT(tl_render_buffer(doc, o, TL_FORMAT_PNG, &a, &alen, NULL), TL_OK);
    CHECK_INT(tl_doc_copy(doc, &copy, NULL), TL_OK);
    tl_filter *f = tl_filter_new();
    CHECK_INT(tl_filter_add_lane(f, "b"), TL_OK);
    CHECK_INT(tl_doc_filtered(doc, f, &kept, NULL), TL_OK);
    CHECK_INT((long)tl_doc_event_count(kept), 2);
    CHECK_INT((long)tl_doc_event_count(doc), 6);
    tl_event_view v;
    CHECK_INT(tl_doc_event(kept, 1, &v), TL_OK);
    CHECK_STR(v.id, "bounded");
    CHECK_INT(tl_doc_validate(kept, NULL), TL_OK);
    /* The original goes; the copy renders the same bytes it did. */
    tl_doc_free(doc);
    CHECK_INT(tl_doc_validate(copy, NULL), TL_OK);
    CHECK_INT(tl_render_buffer(copy, o, TL_FORMAT_PNG, &b, &blen, NULL), TL_OK);
    CHECK(alen == blen && a && b && memcmp(a, b, alen) == 0);
    CHECK_INT(tl_doc_filter(copy, f, NULL), TL_OK);
    CHECK_INT((long)tl_doc_event_count(copy), 2);
    CHECK_INT((long)tl_doc_event_count(kept), 2);
    /* An unknown lane: an error, and no document. */
    tl_doc *none = (tl_doc *)&none;
    tl_filter *g = tl_filter_new();
    CHECK_INT(tl_filter_add_lane(g, "nosuch"), TL_OK);
    CHECK_INT(tl_doc_filtered(kept, g, &none, NULL), TL_ERR_USAGE);
    CHECK(none == NULL);
    CHECK_INT(tl_doc_copy(NULL, &none, NULL), TL_ERR_USAGE);
    CHECK(none == NULL);
    tl_filter_free(g);
    tl_filter_free(f);
    free(a);
    free(b);
    tl_doc_free(copy);
    tl_doc_free(kept);
    tl_options_free(o);
}

/* ---- Documents built in code ----------------------------------------- */

/* The same document as YAML and as calls. */
static const char built_yaml[] =
    "title: Built\n"
    "subtitle: \"In code, and: in YAML\"\n"
    "sources:\n"
    "  - {id: s1, title: First source, author: A. Writer, date: 2015-01-13,\n"
    "     url: \"https://example.org/a\"}\n"
    "  - {id: s2, title: Second source}\n"
    "lanes:\n"
    "  - {id: pol, label: Politics}\n"
    "  - {id: tech, color: \"#D55E00\"}\n"
    "events:\n"
    "  - {id: e1, date: 2001, title: \"null\", lane: pol, importance: 3}\n"
    "  - id: e2\n"
    "    date: 2014-11/2015-01-13\n"
    "    title: An interval\n"
    "    summary: Said at length.\n"
    "    lane: tech\n"
    "    tags: [x, y]\n"
    "    url: \"https://example.org/e2\"\n"
    "    note: A note\n"
    "    sources: [s1, {ref: s2, quote: \"a passage\"}]\n"
    "  - {id: e3, date: ~2012, end: 2013-06, title: A span, importance: 1}\n"
    "  - {id: e4, date: early 2015, title: \"Early: 2015\", sources: [s2]}\n";

static tl_doc *build_in_code(tl_diag *diag)
{
    tl_doc *doc = tl_doc_new();
    CHECK(doc != NULL);
    if (!doc)
        return NULL;
    CHECK_INT(tl_doc_set_title(doc, "Built", "In code, and: in YAML", diag), TL_OK);
    tl_source_fields s1 = {0}, s2 = {0};
    s1.id = "s1";
    s1.title = "First source";
    s1.author = "A. Writer";
    s1.date = "2015-01-13";
    s1.url = "https://example.org/a";
    s2.id = "s2";
    s2.title = "Second source";
    CHECK_INT(tl_doc_add_source(doc, &s1, diag), TL_OK);
    CHECK_INT(tl_doc_add_source(doc, &s2, diag), TL_OK);
    CHECK_INT(tl_doc_add_lane(doc, "pol", "Politics", NULL, diag), TL_OK);
    CHECK_INT(tl_doc_add_lane(doc, "tech", NULL, "#D55E00", diag), TL_OK);
    tl_event_fields e = {0};
    e.id = "e1";
    e.date = "2001";
    e.title = "null";
    e.lane = "pol";
    e.importance = 3;
    CHECK_INT(tl_doc_add_event(doc, &e, diag), TL_OK);
    static const char *const tags[] = {"x", "y"};
    const tl_cite_fields cites[] = {{"s1", NULL}, {"s2", "a passage"}};
    e = (tl_event_fields){0};
    e.id = "e2";
    e.date = "2014-11/2015-01-13";
    e.title = "An interval";
    e.summary = "Said at length.";
    e.lane = "tech";
    e.tags = tags;
    e.ntags = 2;
    e.url = "https://example.org/e2";
    e.note = "A note";
    e.sources = cites;
    e.nsources = 2;
    CHECK_INT(tl_doc_add_event(doc, &e, diag), TL_OK);
    e = (tl_event_fields){0};
    e.id = "e3";
    e.date = "~2012";
    e.end = "2013-06";
    e.title = "A span";
    e.importance = 1;
    CHECK_INT(tl_doc_add_event(doc, &e, diag), TL_OK);
    e = (tl_event_fields){0};
    e.id = "e4";
    e.date = "early 2015";
    e.title = "Early: 2015";
    e.sources = &cites[1];
    e.nsources = 1;
    e.sources = (const tl_cite_fields[]){{"s2", NULL}};
    CHECK_INT(tl_doc_add_event(doc, &e, diag), TL_OK);
    return doc;
}

/* Bytes of doc rendered in fmt with the given layout. */
static unsigned char *rendered(const tl_doc *doc, tl_format fmt, const char *layout,
                               size_t *len)
{
    tl_options *o = tl_options_new();
    CHECK_INT(tl_options_set(o, "layout", layout, NULL), TL_OK);
    unsigned char *data = NULL;
    CHECK_INT(tl_render_buffer(doc, o, fmt, &data, len, NULL), TL_OK);
    tl_options_free(o);
    return data;
}

/* A document built in code renders the same bytes as its YAML, reads back
 * the same, and checks the same. */
static void test_build_same_as_yaml(void)
{
    tl_diag *diag = tl_diag_new();
    tl_doc *yaml = NULL, *code = build_in_code(diag);
    CHECK_INT(tl_doc_load_buffer("built.yaml", built_yaml, strlen(built_yaml), &yaml, diag),
              TL_OK);
    CHECK_INT(tl_diag_count(diag), 0);
    if (!yaml || !code) {
        tl_diag_print(diag, stderr);
        tl_doc_free(yaml);
        tl_doc_free(code);
        tl_diag_free(diag);
        return;
    }
    CHECK_INT(tl_doc_validate(code, NULL), TL_OK);
    CHECK_INT((long)tl_doc_event_count(code), 4);
    CHECK_INT((long)tl_doc_lane_count(code), 2);
    CHECK_INT((long)tl_doc_source_count(code), 2);
    static const char *const layouts[] = {"axis", "lanes", "list"};
    static const tl_format formats[] = {TL_FORMAT_PNG, TL_FORMAT_TEXT, TL_FORMAT_PDF};
    for (int l = 0; l < 3; l++) {
        for (int f = 0; f < 3; f++) {
            size_t alen = 0, blen = 0;
            unsigned char *a = rendered(yaml, formats[f], layouts[l], &alen);
            unsigned char *b = rendered(code, formats[f], layouts[l], &blen);
            bool same = a && b && alen == blen && memcmp(a, b, alen) == 0;
            if (!same)
                fprintf(stderr, "built: %s, format %d differs (%zu, %zu bytes)\n",
                        layouts[l], (int)formats[f], alen, blen);
            CHECK(same);
            free(a);
            free(b);
        }
    }
    for (size_t i = 0; i < 4; i++) {
        tl_event_view a, b;
        CHECK_INT(tl_doc_event(yaml, i, &a), TL_OK);
        CHECK_INT(tl_doc_event(code, i, &b), TL_OK);
        CHECK_STR(b.id, a.id);
        CHECK_STR(b.title, a.title);
        CHECK_STR(b.date, a.date);
        CHECK_STR(b.date_words, a.date_words);
        CHECK_STR(b.earliest, a.earliest);
        CHECK_STR(b.latest, a.latest);
        CHECK_INT(b.importance, a.importance);
    }
    tl_event_view v;
    CHECK_INT(tl_doc_event(code, 1, &v), TL_OK);
    CHECK_STR(v.lane, "tech");
    CHECK_STR(v.note, "A note");
    CHECK_STR(v.date_words, "between Nov 2014 and 13 Jan 2015");
    char ra[64], rb[64];
    tl_doc_range_text(yaml, ra, sizeof ra);
    tl_doc_range_text(code, rb, sizeof rb);
    CHECK_STR(rb, ra);
    tl_doc_free(yaml);
    tl_doc_free(code);
    tl_diag_free(diag);
}

/* The builder takes every date a file takes, and reads it the same:
 * times of day (one without a zone in the first named zone), deep time,
 * unknown ends, unspecified digits, seasons. */
static void test_build_dates(void)
{
    static const char *const dates[][2] = {
        {"2014-11-24T09:00+09:00", NULL}, {"2014-11-24T10:30", NULL},
        {"2014-11-24T11:15:30", "2014-11-24T12"}, {"Y-66000000", NULL},
        {"1985-04-12/", NULL}, {"../1991-09", NULL}, {"2004-XX", NULL},
        {"2001-21", NULL}, {"2014-11-24T08:00Z/2014-11-24T09:00Z", NULL},
    };
    enum { N = sizeof dates / sizeof dates[0] };
    char yaml[2048] = "events:\n";
    tl_doc *code = tl_doc_new();
    for (int i = 0; i < N; i++) {
        char line[160], id[8], title[16];
        snprintf(id, sizeof id, "e%d", i);
        snprintf(title, sizeof title, "Event %d", i);
        snprintf(line, sizeof line, "  - {id: %s, title: %s, date: \"%s\"%s%s%s}\n", id, title,
                 dates[i][0], dates[i][1] ? ", end: \"" : "", dates[i][1] ? dates[i][1] : "",
                 dates[i][1] ? "\"" : "");
        strncat(yaml, line, sizeof yaml - strlen(yaml) - 1);
        tl_event_fields f = {0};
        f.id = id;
        f.title = title;
        f.date = dates[i][0];
        f.end = dates[i][1];
        CHECK_INT(tl_doc_add_event(code, &f, NULL), TL_OK);
    }
    tl_doc *file = NULL;
    CHECK_INT(tl_doc_load_buffer("dates.yaml", yaml, strlen(yaml), &file, NULL), TL_OK);
    CHECK_INT((long)tl_doc_event_count(code), N);
    for (size_t i = 0; file && i < N; i++) {
        tl_event_view a, b;
        CHECK_INT(tl_doc_event(file, i, &a), TL_OK);
        CHECK_INT(tl_doc_event(code, i, &b), TL_OK);
        CHECK_STR(b.date, a.date);
        CHECK_STR(b.date_words, a.date_words);
        CHECK_STR(b.earliest, a.earliest);
        CHECK_STR(b.latest, a.latest);
    }
    if (file) {
        size_t alen = 0, blen = 0;
        unsigned char *a = rendered(file, TL_FORMAT_TEXT, "axis", &alen);
        unsigned char *b = rendered(code, TL_FORMAT_TEXT, "axis", &blen);
        CHECK(a && b && alen == blen && memcmp(a, b, alen) == 0);
        /* The second time is read at +09:00, as the first is written. */
        CHECK(a && strstr((char *)a, "24 Nov 2014, 10:30 +09:00") != NULL);
        free(a);
        free(b);
    }
    tl_doc_free(file);
    tl_doc_free(code);
}

/* The one message of a load of `yaml`, and of an add of `e` to a document
 * with lanes a and b and an event "first". */
static void same_message(const char *yaml, const tl_event_fields *e, const char *place,
                         const char *expect)
{
    tl_diag *dy = tl_diag_new(), *dc = tl_diag_new();
    tl_doc *bad = NULL;
    CHECK_INT(tl_doc_load_buffer("x.yaml", yaml, strlen(yaml), &bad, dy), TL_ERR_DATA);
    tl_doc *doc = tl_doc_new();
    CHECK_INT(tl_doc_add_lane(doc, "a", NULL, NULL, NULL), TL_OK);
    CHECK_INT(tl_doc_add_lane(doc, "b", NULL, NULL, NULL), TL_OK);
    tl_event_fields first = {0};
    first.id = "first";
    first.date = "2001";
    first.title = "First";
    CHECK_INT(tl_doc_add_event(doc, &first, NULL), TL_OK);
    CHECK_INT(tl_doc_add_event(doc, e, dc), TL_ERR_DATA);
    CHECK_INT((long)tl_doc_event_count(doc), 1);   /* nothing added */
    CHECK_INT((long)tl_diag_count(dc), 1);
    if (tl_diag_count(dc) >= 1 && tl_diag_count(dy) >= 1) {
        CHECK_STR(tl_diag_message(dc, 0), expect);
        CHECK_STR(tl_diag_file(dc, 0), place);
        CHECK_INT(tl_diag_line(dc, 0), 0);
        CHECK_INT(tl_diag_col(dc, 0), 0);
        /* What a file says, but for where the first id was given. */
        if (!strstr(expect, "first used"))
            CHECK_STR(tl_diag_message(dy, 0), expect);
    }
    /* Added again, fixed, it takes the same number. */
    tl_doc_free(doc);
    tl_diag_free(dy);
    tl_diag_free(dc);
}

#define YAML_HEAD "lanes: [{id: a}, {id: b}]\nevents:\n  - {id: first, date: 2001, title: First}\n"

static void test_build_errors(void)
{
    tl_event_fields e = {0};
    e.id = "two";
    e.date = "2015-02-30";
    e.title = "Two";
    same_message(YAML_HEAD "  - {id: two, date: 2015-02-30, title: Two}\n", &e, "event 2, date",
                 "invalid date '2015-02-30' — February 2015 has 28 days");
    e.date = "2015";
    e.lane = "zz";
    same_message(YAML_HEAD "  - {id: two, date: 2015, title: Two, lane: zz}\n", &e,
                 "event 2, lane", "lane 'zz' is not declared — declared lanes: a, b");
    e.lane = NULL;
    e.title = NULL;
    same_message(YAML_HEAD "  - {id: two, date: 2015}\n", &e, "event 2",
                 "event is missing 'title'");
    e.title = "Two";
    e.importance = 5;
    same_message(YAML_HEAD "  - {id: two, date: 2015, title: Two, importance: 5}\n", &e,
                 "event 2, importance", "importance must be 1, 2 or 3, not '5'");
    e.importance = 0;
    e.id = "Two!";
    same_message(YAML_HEAD "  - {id: Two!, date: 2015, title: Two}\n", &e, "event 2, id",
                 "id 'Two!' contains 'T' — ids use only a-z, 0-9, '_' and '-'");
    e.id = "first";
    same_message(YAML_HEAD "  - {id: first, date: 2015, title: Two}\n", &e, "event 2, id",
                 "duplicate event id 'first' — first used at event 1");
    e.id = "two";
    e.date = "2015";
    e.end = "2014";
    same_message(YAML_HEAD "  - {id: two, date: 2015, end: 2014, title: Two}\n", &e,
                 "event 2, end", "end 2014 is before date 2015");
    e.end = NULL;
    e.url = "javascript:alert(1)";
    tl_diag *dy = tl_diag_new();
    tl_doc *bad = NULL;
    const char *y = YAML_HEAD "  - {id: two, date: 2015, title: Two, url: \"javascript:alert(1)\"}\n";
    CHECK_INT(tl_doc_load_buffer("x.yaml", y, strlen(y), &bad, dy), TL_ERR_DATA);
    if (tl_diag_count(dy) >= 1)
        same_message(y, &e, "event 2, url", tl_diag_message(dy, 0));
    tl_diag_free(dy);

    /* Lanes and sources. */
    tl_doc *doc = tl_doc_new();
    tl_diag *diag = tl_diag_new();
    CHECK_INT(tl_doc_add_lane(doc, "a", NULL, "#12345", diag), TL_ERR_DATA);
    CHECK_INT(tl_doc_add_lane(doc, "a", NULL, NULL, diag), TL_OK);
    CHECK_INT(tl_doc_add_lane(doc, "a", NULL, NULL, diag), TL_ERR_DATA);
    CHECK_INT((long)tl_doc_lane_count(doc), 1);
    tl_source_fields s = {0};
    s.id = "s";
    CHECK_INT(tl_doc_add_source(doc, &s, diag), TL_ERR_DATA);
    CHECK_INT(tl_doc_set_title(doc, "", NULL, diag), TL_ERR_DATA);
    CHECK_INT((long)tl_diag_count(diag), 4);
    if (tl_diag_count(diag) == 4) {
        CHECK_STR(tl_diag_file(diag, 0), "lane 1, color");
        CHECK_STR(tl_diag_message(diag, 0),
                  "'color' must be \"#RRGGBB\" (e.g. \"#D55E00\"), not '#12345'");
        CHECK_STR(tl_diag_file(diag, 1), "lane 2, id");
        CHECK_STR(tl_diag_message(diag, 1), "duplicate lane id 'a' — first used at lane 1");
        CHECK_STR(tl_diag_file(diag, 2), "source 1");
        CHECK_STR(tl_diag_message(diag, 2), "source is missing 'title'");
        CHECK_STR(tl_diag_file(diag, 3), "title");
        CHECK_STR(tl_diag_message(diag, 3), "'title' is empty");
    }
    /* Lists past their limits: the file's message, at the list. */
    const char *many[40];
    for (int i = 0; i < 40; i++)
        many[i] = "t";
    e = (tl_event_fields){0};
    e.id = "e";
    e.date = "2001";
    e.title = "Many tags";
    e.tags = many;
    e.ntags = 40;
    tl_diag *lim = tl_diag_new();
    CHECK_INT(tl_doc_add_event(doc, &e, lim), TL_ERR_DATA);
    CHECK(diag_mentions(lim, "too many tags — the limit is 32 per event"));
    CHECK_STR(tl_diag_file(lim, 0), "event 1, tags");
    e.ntags = 32;
    CHECK_INT(tl_doc_add_event(doc, &e, NULL), TL_OK);
    tl_diag_free(lim);
    CHECK_INT(tl_doc_add_event(doc, NULL, diag), TL_ERR_USAGE);
    CHECK_INT(tl_doc_add_lane(NULL, "x", NULL, NULL, diag), TL_ERR_USAGE);
    CHECK(diag_mentions(diag, "tl_doc_add_lane: doc is NULL"));
    tl_diag_free(diag);
    tl_doc_free(doc);
}

/* A copy and a filtered document go their own ways; ids freed by a filter
 * may be used again. */
static void test_build_copy_filter(void)
{
    tl_doc *doc = build_in_code(NULL), *copy = NULL, *kept = NULL;
    if (!doc)
        return;
    CHECK_INT(tl_doc_copy(doc, &copy, NULL), TL_OK);
    tl_event_fields e = {0};
    e.id = "e5";
    e.date = "2016";
    e.title = "Only in the copy";
    e.lane = "pol";
    CHECK_INT(tl_doc_add_event(copy, &e, NULL), TL_OK);
    CHECK_INT(tl_doc_add_lane(copy, "new", NULL, NULL, NULL), TL_OK);
    CHECK_INT((long)tl_doc_event_count(copy), 5);
    CHECK_INT((long)tl_doc_event_count(doc), 4);
    CHECK_INT((long)tl_doc_lane_count(doc), 2);
    CHECK_INT(tl_doc_add_event(doc, &e, NULL), TL_OK);   /* its own e5 */
    tl_filter *f = tl_filter_new();
    CHECK_INT(tl_filter_add_lane(f, "pol"), TL_OK);
    CHECK_INT(tl_doc_filtered(doc, f, &kept, NULL), TL_OK);
    CHECK_INT((long)tl_doc_event_count(kept), 2);
    /* e2 went with the filter: its id is free again in `kept`. */
    e.id = "e2";
    CHECK_INT(tl_doc_add_event(kept, &e, NULL), TL_OK);
    e.id = "e1";
    tl_diag *diag = tl_diag_new();
    CHECK_INT(tl_doc_add_event(kept, &e, diag), TL_ERR_DATA);
    CHECK(diag_mentions(diag, "duplicate event id 'e1' — first used at event 1"));
    CHECK_INT(tl_doc_filter(doc, f, NULL), TL_OK);
    e.id = "e3";
    CHECK_INT(tl_doc_add_event(doc, &e, NULL), TL_OK);
    e.id = "e1";
    CHECK_INT(tl_doc_add_event(doc, &e, NULL), TL_ERR_DATA);
    CHECK_INT(tl_doc_validate(doc, NULL), TL_OK);
    CHECK_INT(tl_doc_validate(kept, NULL), TL_OK);
    CHECK_INT(tl_doc_validate(copy, NULL), TL_OK);
    tl_diag_free(diag);
    tl_filter_free(f);
    tl_doc_free(doc);
    tl_doc_free(copy);
    tl_doc_free(kept);
}

/* Quotes of a built document are checked as a file's are, and a missing
 * one is reported at its event's citations. */
static void test_build_verify(void)
{
    char dir[] = "/tmp/tl_test_build_XXXXXX", path[64];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/src.txt", dir);
    FILE *fp = fopen(path, "w");
    CHECK(fp != NULL);
    if (!fp)
        return;
    fputs("The council met on Monday and agreed the plan.\n", fp);
    fclose(fp);
    tl_doc *doc = tl_doc_new();
    tl_source_fields s = {0};
    s.id = "src";
    s.title = "Minutes";
    s.file = "src.txt";
    CHECK_INT(tl_doc_add_source(doc, &s, NULL), TL_OK);
    tl_event_fields e = {0};
    e.id = "met";
    e.date = "2020-03-02";
    e.title = "The council agrees";
    e.sources = (const tl_cite_fields[]){{"src", "agreed  the plan"}};
    e.nsources = 1;
    CHECK_INT(tl_doc_add_event(doc, &e, NULL), TL_OK);
    e.id = "other";
    e.sources = (const tl_cite_fields[]){{"src", "rejected the plan"}};
    CHECK_INT(tl_doc_add_event(doc, &e, NULL), TL_OK);
    tl_diag *diag = tl_diag_new();
    CHECK_INT(tl_doc_verify_quotes(doc, dir, diag), TL_ERR_DATA);
    CHECK_INT((long)tl_diag_count(diag), 1);
    if (tl_diag_count(diag) == 1) {
        CHECK_STR(tl_diag_file(diag, 0), "event 2, sources");
        CHECK_INT(tl_diag_line(diag, 0), 0);
        CHECK(diag_mentions(diag, "quote not found in 'src.txt' (source 'src')"));
    }
    tl_diag_free(diag);
    tl_doc_free(doc);
    unlink(path);
    rmdir(dir);
}

/* A file whose name is literally "<stdin>", loaded by that name, is still
 * the input: the name standard input gets in messages is no exemption. */
static void test_render_file_named_stdin(void)
{
    char dir[] = "/tmp/tl_test_stdin_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    int back = open(".", O_RDONLY | O_DIRECTORY);
    CHECK(back >= 0 && chdir(dir) == 0);
    CHECK(write_file("<stdin>", small_yaml));
    tl_doc *doc = NULL;
    tl_diag *diag = tl_diag_new();
    CHECK_INT(tl_doc_load_file("<stdin>", &doc, diag), TL_OK);
    tl_options *o = tl_options_new();
    CHECK_INT(tl_options_set(o, "format", "svg", diag), TL_OK);
    CHECK_INT(tl_render_file(doc, o, "<stdin>", diag), TL_ERR_USAGE);
    CHECK(diag_mentions(diag, "is the input file"));
    CHECK(file_is("<stdin>", small_yaml));
    CHECK_INT(dir_entries("."), 1);
    tl_options_free(o);
    tl_doc_free(doc);
    tl_diag_free(diag);
    remove("<stdin>");
    CHECK(back >= 0 && fchdir(back) == 0);
    if (back >= 0)
        close(back);
    rmdir(dir);
}

/* A NULL filter is no filter: every event kept, no message; a NULL
 * document is still a usage error. */
static void test_filter_null(void)
{
    tl_doc *doc = load_small(), *copy = (tl_doc *)&copy;
    if (!doc)
        return;
    tl_diag *d = tl_diag_new();
    size_t n = tl_doc_event_count(doc);
    CHECK_INT((long)n, 6);
    CHECK_INT(tl_doc_filter(doc, NULL, d), TL_OK);
    CHECK_INT((long)tl_doc_event_count(doc), (long)n);
    CHECK_INT(tl_doc_filtered(doc, NULL, &copy, d), TL_OK);
    CHECK(copy != NULL && copy != doc);
    CHECK_INT((long)tl_doc_event_count(copy), (long)n);
    tl_event_view a, b;
    for (size_t i = 0; copy && i < n; i++) {
        CHECK_INT(tl_doc_event(doc, i, &a), TL_OK);
        CHECK_INT(tl_doc_event(copy, i, &b), TL_OK);
        CHECK_STR(b.id, a.id);
    }
    CHECK_INT((long)tl_diag_count(d), 0);
    CHECK_INT(tl_doc_filter(NULL, NULL, d), TL_ERR_USAGE);
    CHECK_INT((long)tl_diag_error_count(d), 1);
    tl_doc_free(copy);
    tl_doc_free(doc);
    tl_diag_free(d);
}

/* Events at instants given as numbers read, render and write Markdown as
 * the same instants written in YAML: each precision, a zone east and west
 * of UTC, a span, a day before 1970. */
static void test_build_times(void)
{
    static const char yaml[] =
        "events:\n"
        "  - {id: t1, title: Landing, date: \"2014-11-24T18:00+09:00\", "
        "end: \"2014-11-24T19:30:15+09:00\"}\n"
        "  - {id: t2, title: Hour, date: \"2014-11-25T04-05:00\"}\n"
        "  - {id: t3, title: Second, date: \"2014-11-26T00:00:01Z\"}\n"
        "  - {id: t4, title: Day, date: \"2014-11-27\"}\n"
        "  - {id: t5, title: Old, date: \"1969-07-20\"}\n";
    /* 2014-11-24T09:00:00Z is 1416819600. */
    const int64_t t0 = 1416819600;
    static const char *const ids[] = {"t1", "t2", "t3", "t4", "t5"};
    static const char *const titles[] = {"Landing", "Hour", "Second", "Day", "Old"};
    const tl_time dates[] = {
        {t0, TL_TIME_MINUTE, 540},
        {t0 + 86400 + 1799, TL_TIME_HOUR, -300},   /* 09:29:59Z: T04 at -05:00 */
        {t0 + 2 * 86400 - 9 * 3600 + 1, TL_TIME_SECOND, 0},
        {t0 + 3 * 86400 + 40000, TL_TIME_DAY, 0},
        {-14182940, TL_TIME_DAY, 0},               /* 1969-07-20T20:17:40Z */
    };
    const tl_time end = {t0 + 5415, TL_TIME_SECOND, 540};
    tl_doc *file = NULL, *code = tl_doc_new();
    tl_diag *d = tl_diag_new();
    CHECK_INT(tl_doc_load_buffer("times.yaml", yaml, strlen(yaml), &file, d), TL_OK);
    for (int i = 0; i < 5; i++) {
        tl_event_fields f = {0};
        f.id = ids[i];
        f.title = titles[i];
        f.date_time = dates[i];
        if (i == 0)
            f.end_time = end;
        CHECK_INT(tl_doc_add_event(code, &f, d), TL_OK);
    }
    if (tl_diag_count(d))
        tl_diag_print(d, stderr);
    CHECK_INT((long)tl_diag_count(d), 0);
    CHECK_INT((long)tl_doc_event_count(code), 5);
    for (size_t i = 0; file && i < 5; i++) {
        tl_event_view a, b;
        CHECK_INT(tl_doc_event(file, i, &a), TL_OK);
        CHECK_INT(tl_doc_event(code, i, &b), TL_OK);
        CHECK_STR(b.date, a.date);
        CHECK_STR(b.end, a.end);
        CHECK_STR(b.date_words, a.date_words);
        CHECK_STR(b.earliest, a.earliest);
        CHECK_STR(b.latest, a.latest);
    }
    tl_event_view v;
    CHECK_INT(tl_doc_event(code, 0, &v), TL_OK);
    CHECK_STR(v.date, "2014-11-24T18:00+09:00");
    CHECK_STR(v.end, "2014-11-24T19:30:15+09:00");
    CHECK_INT(tl_doc_event(code, 4, &v), TL_OK);
    CHECK_STR(v.date, "1969-07-20");
    static const char *const layouts[] = {"axis", "list"};
    for (int l = 0; file && l < 2; l++) {
        for (int fmt = 0; fmt < 2; fmt++) {
            tl_format ff = fmt ? TL_FORMAT_PNG : TL_FORMAT_TEXT;
            size_t alen = 0, blen = 0;
            unsigned char *a = rendered(file, ff, layouts[l], &alen);
            unsigned char *b = rendered(code, ff, layouts[l], &blen);
            CHECK(a && b && alen == blen && memcmp(a, b, alen) == 0);
            if (ff == TL_FORMAT_TEXT && l == 0)
                CHECK(a && strstr((char *)a, "24 Nov 2014, 18:00 – 19:30:15 +09:00") != NULL);
            free(a);
            free(b);
        }
    }
    tl_doc_free(file);
    tl_doc_free(code);
    tl_diag_free(d);
}

/* A time given twice, without its precision, or out of range: refused
 * at its field, the document unchanged; a bad offset in range of the
 * struct but not of the format says what a file's would. */
static void test_build_time_errors(void)
{
    tl_doc *doc = tl_doc_new();
    tl_diag *d = tl_diag_new();
    tl_event_fields f = {0};
    f.id = "x";
    f.title = "X";
    f.date = "2014";
    f.date_time = (tl_time){0, TL_TIME_DAY, 0};
    CHECK_INT(tl_doc_add_event(doc, &f, d), TL_ERR_USAGE);
    CHECK_STR(tl_diag_file(d, 0), "event 1, date");
    CHECK_STR(tl_diag_message(d, 0), "tl_doc_add_event: give date or date_time, not both");
    tl_diag_clear(d);
    f.date = NULL;
    f.end_time = (tl_time){1416819600, TL_TIME_UNSET, 0};
    CHECK_INT(tl_doc_add_event(doc, &f, d), TL_ERR_USAGE);
    CHECK_STR(tl_diag_file(d, 0), "event 1, end");
    CHECK_STR(tl_diag_message(d, 0), "tl_doc_add_event: end_time.precision 0 is not a "
                                     "tl_time_precision (TL_TIME_DAY to TL_TIME_SECOND)");
    tl_diag_clear(d);
    f.end_time = (tl_time){0};
    f.date_time = (tl_time){INT64_MAX, TL_TIME_SECOND, 0};
    CHECK_INT(tl_doc_add_event(doc, &f, d), TL_ERR_DATA);
    CHECK_STR(tl_diag_message(d, 0), "date_time 9223372036854775807 s is out of range — "
                                     "times run from year -9999 to 9999");
    tl_diag_clear(d);
    f.date_time = (tl_time){INT64_MAX, TL_TIME_SECOND, 840};   /* no overflow */
    CHECK_INT(tl_doc_add_event(doc, &f, d), TL_ERR_DATA);
    f.date_time = (tl_time){INT64_MIN, TL_TIME_SECOND, -720};
    CHECK_INT(tl_doc_add_event(doc, &f, d), TL_ERR_DATA);
    tl_diag_clear(d);
    f.date_time = (tl_time){253402300800, TL_TIME_DAY, 0};   /* 10000-01-01 */
    CHECK_INT(tl_doc_add_event(doc, &f, d), TL_ERR_DATA);
    tl_diag_clear(d);
    f.date_time = (tl_time){253402300799, TL_TIME_DAY, 0};   /* 9999-12-31 */
    f.id = "last";
    CHECK_INT(tl_doc_add_event(doc, &f, d), TL_OK);
    f.date_time = (tl_time){0, TL_TIME_MINUTE, 900};
    f.id = "east";
    CHECK_INT(tl_doc_add_event(doc, &f, d), TL_ERR_DATA);
    CHECK_STR(tl_diag_file(d, 0), "event 2, date");
    CHECK(strstr(tl_diag_message(d, 0), "out of range") != NULL);
    tl_diag_clear(d);
    /* The end before the date: the same cross-check as a file's. */
    f.id = "back";
    f.date_time = (tl_time){1416819600, TL_TIME_MINUTE, 0};
    f.end_time = (tl_time){1416819600 - 86400, TL_TIME_MINUTE, 0};
    CHECK_INT(tl_doc_add_event(doc, &f, d), TL_ERR_DATA);
    CHECK(tl_diag_count(d) == 1 && strstr(tl_diag_message(d, 0), "before") != NULL);
    CHECK_INT((long)tl_doc_event_count(doc), 1);
    tl_event_view v;
    CHECK_INT(tl_doc_event(doc, 0, &v), TL_OK);
    CHECK_STR(v.date, "9999-12-31");
    tl_doc_free(doc);
    tl_diag_free(d);
}

/* tl_doc_event's words are in the document's language: a file's
 * 'language:', or tl_doc_set_language on a built or loaded document. */
static void test_event_view_language(void)
{
    static const char yaml[] =
        "language: fr\n"
        "events:\n"
        "  - {id: a, date: 2014-05, title: A}\n"
        "  - {id: b, date: 2014-11/2015-01-13, end: 2015-03-17, title: B}\n";
    tl_doc *file = NULL;
    CHECK_INT(tl_doc_load_buffer("fr.yaml", yaml, strlen(yaml), &file, NULL), TL_OK);
    if (!file)
        return;
    tl_event_view v, w;
    CHECK_INT(tl_doc_event(file, 0, &v), TL_OK);
    CHECK_STR(v.date_words, "mai 2014");
    CHECK_STR(v.date, "2014-05");
    CHECK_INT(tl_doc_event(file, 1, &v), TL_OK);
    CHECK_STR(v.end_words, "17 mars 2015");
    /* The words a French chart's Markdown shows. */
    size_t len = 0;
    unsigned char *md = rendered(file, TL_FORMAT_TEXT, "axis", &len);
    CHECK(md && strstr((char *)md, v.date_words) != NULL);
    free(md);

    /* Built: the same words once the language is set; back to English with
     * NULL; a code not listed refused at "language", nothing changed. */
    tl_doc *code = tl_doc_new();
    tl_diag *d = tl_diag_new();
    tl_event_fields f = {0};
    f.id = "b";
    f.title = "B";
    f.date = "2014-11/2015-01-13";
    f.end = "2015-03-17";
    CHECK_INT(tl_doc_add_event(code, &f, d), TL_OK);
    CHECK_INT(tl_doc_event(code, 0, &w), TL_OK);
    CHECK_STR(w.date_words, "between Nov 2014 and 13 Jan 2015");
    CHECK_INT(tl_doc_set_language(code, "fr", d), TL_OK);
    CHECK_INT(tl_doc_event(code, 0, &w), TL_OK);
    CHECK_STR(w.date_words, v.date_words);
    CHECK_STR(w.end_words, "17 mars 2015");
    CHECK_INT(tl_doc_set_language(code, "xx", d), TL_ERR_DATA);
    CHECK_STR(tl_diag_file(d, 0), "language");
    CHECK_STR(tl_diag_message(d, 0), "'language' takes en, fr, de, es, zh, ja or ko");
    CHECK_INT(tl_doc_event(code, 0, &w), TL_OK);
    CHECK_STR(w.end_words, "17 mars 2015");
    CHECK_INT(tl_doc_set_language(code, NULL, d), TL_OK);
    CHECK_INT(tl_doc_event(code, 0, &w), TL_OK);
    CHECK_STR(w.end_words, "17 Mar 2015");
    /* A loaded document asked in another language. */
    CHECK_INT(tl_doc_set_language(file, "de", d), TL_OK);
    CHECK_INT(tl_doc_event(file, 0, &w), TL_OK);
    CHECK_STR(w.date_words, "Mai 2014");
    CHECK_INT(tl_doc_set_language(NULL, "fr", d), TL_ERR_USAGE);
    tl_doc_free(code);
    tl_doc_free(file);
    tl_diag_free(d);
}

/* The title and subtitle options are held to a file's limits (300 and
 * 4,000 bytes): past them, an error naming the limit, the option unset. */
static void test_title_option_limit(void)
{
    char text[4002];
    memset(text, 'a', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    tl_options *o = tl_options_new();
    tl_diag *d = tl_diag_new();
    text[300] = '\0';
    CHECK_INT(tl_options_set(o, "title", text, d), TL_OK);
    text[300] = 'a';
    text[301] = '\0';
    CHECK_INT(tl_options_set(o, "title", text, d), TL_ERR_USAGE);
    CHECK_STR(tl_diag_message(d, 0), "title: the text is 301 bytes long — the limit is 300 bytes");
    text[301] = 'a';
    CHECK_INT(tl_options_set(o, "subtitle", text, d), TL_ERR_USAGE);
    CHECK_STR(tl_diag_message(d, 1),
              "subtitle: the text is 4001 bytes long — the limit is 4000 bytes");
    text[4000] = '\0';
    CHECK_INT(tl_options_set(o, "subtitle", text, d), TL_OK);
    CHECK_INT((long)tl_diag_count(d), 2);
    /* The chart keeps the title that was accepted: 300 bytes, not 301. */
    tl_doc *doc = load_small();
    if (doc) {
        unsigned char *md = NULL;
        size_t len = 0;
        CHECK_INT(tl_render_buffer(doc, o, TL_FORMAT_TEXT, &md, &len, NULL), TL_OK);
        char want[310];
        memset(want, 'a', 300);
        memcpy(want + 300, "\n", 2);
        CHECK(md && strstr((char *)md, want) != NULL);
        free(md);
    }
    tl_doc_free(doc);
    tl_options_free(o);
    tl_diag_free(d);
}

int main(void)
{
    const char *srcdir = getenv("SRCDIR");
    snprintf(events_path, sizeof events_path, "%s/data/events.yaml", srcdir ? srcdir : ".");
    snprintf(all_fields_path, sizeof all_fields_path, "%s/tests/data/good/all_fields.yaml",
             srcdir ? srcdir : ".");

    test_free_null();
    test_version();
    test_load_three_ways();
    test_load_errors();
    test_options();
    test_filter();
    test_render_file_consume();
    test_load_for_render();
    test_render_file_paths();
    test_event_view();
    test_copy_and_filtered();
    test_build_same_as_yaml();
    test_build_dates();
    test_build_errors();
    test_build_copy_filter();
    test_build_verify();
    tl_doc *doc = load_small();
    if (doc) {
        test_render_buffer(doc);
        test_timings(doc);
        test_render_file(doc);
        test_render_null_args(doc);
        test_render_terminal(doc);
        test_measure(doc, 0);
        test_render_cairo(doc);
        test_render_cairo_half_page(doc);
        test_render_cairo_pages(doc);
        test_font_size(doc);
        test_background(doc);
        test_palette(doc);
        test_font_map(doc);
    }
    tl_doc_free(doc);

    tl_doc *events = NULL;
    CHECK_INT(tl_doc_load_file(events_path, &events, NULL), TL_OK);
    if (events) {
        test_measure(events, 1);
        test_render_cairo(events);
    }
    tl_doc_free(events);
    test_render_file_named_stdin();
    test_filter_null();
    test_build_times();
    test_build_time_errors();
    test_event_view_language();
    test_title_option_limit();
    return check_report("test_api");
}
