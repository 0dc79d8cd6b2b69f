/* build_doc.c — a timeline made from a program's own data.
 *
 *     build_doc OUTPUT.svg|.pdf|.png
 *
 * The events here are a C array, as they might come from a database or a
 * bug tracker.  The library reads documents as YAML, so the program writes
 * one into memory and loads it with tl_doc_load_buffer: the same checks,
 * with positions in that buffer, as for a file.  Every string goes into
 * the YAML as a double-quoted scalar, escaped, so that no title (quotes,
 * colons, "#", a leading "-", line breaks) can change the document's
 * structure.
 *
 * Only the public API (timeline.h) is used.  Build against an installed
 * library with examples/CMakeLists.txt, or with
 *
 *     cc build_doc.c $(pkg-config --cflags --libs timeline)
 */
#include <timeline.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct milestone {
    const char *date;    /* any date the format takes: "2014", "2014-05", ... */
    const char *end;     /* NULL, or the end of a span */
    const char *title;
    const char *lane;
} milestone;

static const milestone milestones[] = {
    {"2019-03", NULL, "Project starts: \"timeline\" # 1", "code"},
    {"2019-09-14", NULL, "First release, 0.1 — YAML in, SVG out", "releases"},
    {"2020", "2020-06", "Rewrite of the layout: labels never overlap", "code"},
    {"2020-11-02", NULL, "- a title that starts like a YAML list item", "docs"},
    {"2021-02", NULL, "Manual page & a gallery: {light, dark, print}", "docs"},
    {"early 2022", NULL, "Version 1.0\nwith a line break in its title", "releases"},
};

/* A growing string for the document. */
typedef struct text {
    char *s;
    size_t len, cap;
    int failed;
} text;

static void add(text *t, const char *s, size_t n)
{
    if (t->failed)
        return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 1024;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *p = realloc(t->s, cap);
        if (!p) {
            t->failed = 1;
            return;
        }
        t->s = p;
        t->cap = cap;
    }
    memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

static void addf(text *t, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0 && (size_t)n < sizeof buf)
        add(t, buf, (size_t)n);
    else
        t->failed = 1;
}

/* `s` as a YAML double-quoted scalar: backslash and quote escaped, and
 * every control character written as \xNN, line breaks included.  Bytes
 * of UTF-8 text pass as they are. */
static void add_quoted(text *t, const char *s)
{
    add(t, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            char esc[2] = {'\\', (char)*p};
            add(t, esc, 2);
        } else if (*p < 0x20 || *p == 0x7f) {
            addf(t, "\\x%02x", *p);
        } else {
            add(t, (const char *)p, 1);
        }
    }
    add(t, "\"", 1);
}

/* `key: "value"` on a line of its own, indented. */
static void add_field(text *t, const char *indent, const char *key, const char *value)
{
    addf(t, "%s%s: ", indent, key);
    add_quoted(t, value);
    add(t, "\n", 1);
}

static void build(text *t)
{
    add_field(t, "", "title", "A project's milestones");
    add_field(t, "", "subtitle", "Built in memory by examples/build_doc.c");
    add(t, "lanes:\n", 7);
    static const char *const lanes[][2] = {
        {"code", "Code"}, {"releases", "Releases"}, {"docs", "Docs & \"manual\""}};
    for (size_t i = 0; i < sizeof lanes / sizeof lanes[0]; i++) {
        add_field(t, "  - ", "id", lanes[i][0]);
        add_field(t, "    ", "label", lanes[i][1]);
    }
    add(t, "events:\n", 8);
    for (size_t i = 0; i < sizeof milestones / sizeof milestones[0]; i++) {
        const milestone *m = &milestones[i];
        addf(t, "  - id: m%zu\n", i + 1);
        add_field(t, "    ", "date", m->date);
        if (m->end)
            add_field(t, "    ", "end", m->end);
        add_field(t, "    ", "title", m->title);
        add_field(t, "    ", "lane", m->lane);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("Usage: build_doc OUTPUT.svg|.pdf|.png\n", stderr);
        return 2;
    }
    text yaml = {0};
    build(&yaml);
    tl_diag *diag = tl_diag_new();
    tl_options *opts = tl_options_new();
    tl_doc *doc = NULL;
    tl_status st = yaml.failed || !diag || !opts ? TL_ERR_NOMEM : TL_OK;
    /* The buffer's name is what messages call it: "milestones:4:12: ...". */
    if (st == TL_OK)
        st = tl_doc_load_buffer("milestones", yaml.s, yaml.len, &doc, diag);
    if (st == TL_OK)
        st = tl_options_set(opts, "layout", "lanes", diag);
    if (st == TL_OK)
        st = tl_render_file(doc, opts, argv[1], diag);
    tl_diag_print(diag, stderr);
    if (st != TL_OK)
        fprintf(stderr, "build_doc: %s\n", tl_status_string(st));
    else
        printf("%s: %zu events\n", argv[1], tl_doc_event_count(doc));
    tl_doc_free(doc);
    tl_options_free(opts);
    tl_diag_free(diag);
    free(yaml.s);
    return st == TL_OK ? 0 : st == TL_ERR_DATA ? 1 : 2;
}
