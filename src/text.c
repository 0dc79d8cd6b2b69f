/* text.c — the plain-text alternative of a chart. */
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

bool tl_url_allowed(const char *url)
{
    static const char *const schemes[] = {"http", "https", "mailto"};
    if (!url)
        return false;
    size_t n = 0;
    while ((url[n] >= 'a' && url[n] <= 'z') || (url[n] >= 'A' && url[n] <= 'Z'))
        n++;
    if (url[n] != ':')
        return false;
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
        if (strlen(schemes[i]) == n && strncasecmp(url, schemes[i], n) == 0)
            return true;
    return false;
}

static bool is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool tl_url_encode(tl_buf *b, const char *url)
{
    /* RFC 3986 unreserved, and the reserved characters that no format we
     * write gives a meaning to inside a link; ' ( ) are reserved too, but
     * end a cairo attribute or a PDF string. */
    static const char keep[] = "-._~:/?#[]@!$&*+,;=";
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        unsigned char c = *p;
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                     (c >= '0' && c <= '9') || strchr(keep, c) ||
                     (c == '%' && is_hex(p[1]) && is_hex(p[2]));
        char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
        if (!(plain ? tl_buf_append(b, p, 1) : tl_buf_append(b, esc, 3)))
            return false;
    }
    return !b->failed;
}

/* The code point of the UTF-8 sequence at s, its length in *len; -1 (and
 * *len 1) for a byte that does not start a valid, shortest-form sequence
 * of a scalar value. */
static long utf8_decode(const unsigned char *s, int *len)
{
    *len = 1;
    if (s[0] < 0x80)
        return s[0];
    int n = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (s[0] > 0xF4 || n == 0)
        return -1;
    long cp = s[0] & (0x7F >> n);
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    static const long least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *len = n;
    return cp;
}

/* Whether XML 1.0 forbids code point c, or discourages it (controls other
 * than tab and newline, noncharacters). */
static bool xml_unwanted(long c)
{
    if (c < 0)
        return true;
    if (c < 0x20)
        return c != '\t' && c != '\n';
    return (c >= 0x7F && c <= 0x9F) || (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

bool tl_xml_escape(const char *s, bool (*put)(void *ctx, const void *data, size_t len),
                   void *ctx)
{
    const unsigned char *p = (const unsigned char *)s, *run = p;
    while (*p) {
        int n;
        long c = utf8_decode(p, &n);
        const char *esc = c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;"
                        : c == '"' ? "&quot;" : c == '\'' ? "&apos;"
                        : xml_unwanted(c) ? "\xEF\xBF\xBD" : NULL;
        if (esc) {
            if (!put(ctx, run, (size_t)(p - run)) || !put(ctx, esc, strlen(esc)))
                return false;
            run = p + n;
        }
        p += n;
    }
    return put(ctx, run, (size_t)(p - run));
}

/* Text for Markdown, to read as itself in CommonMark and in GitHub's
 * tables: each ASCII punctuation character that can start emphasis, code,
 * raw HTML, an entity, a link, a heading or a table cell is
 * backslash-escaped (so `a\|b` comes back as a\|b, and `<!--` cannot hide
 * what follows); a line break or tab becomes a space, and a control or
 * invalid UTF-8 becomes U+FFFD.  At the start of a block (`block`),
 * leading white space is dropped and a first - + = > or an ordered-list
 * number's '.' or ')' is escaped, so no text opens a list, quote, rule or
 * code block. */
static void md_text(tl_buf *b, const char *s, bool block)
{
    static const char special[] = "\\`*_[]<>&|~#";
    if (!s)
        return;
    const unsigned char *p = (const unsigned char *)s;
    if (block) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        const unsigned char *d = p;
        while (*d >= '0' && *d <= '9')
            d++;
        if (d > p && (*d == '.' || *d == ')')) {
            tl_buf_append(b, p, (size_t)(d - p));
            p = d;
        }
        if (*p && strchr(".)-+=>", *p)) {   /* a list, quote or rule */
            char esc[2] = {'\\', (char)*p++};
            tl_buf_append(b, esc, 2);
        }
    }
    for (; *p; p++) {
        unsigned char c = *p;
        if (c == '\n' || c == '\r' || c == '\t') {
            tl_buf_puts(b, " ");
        } else if (c < 0x20 || c == 0x7F) {
            tl_buf_puts(b, "\xEF\xBF\xBD");
        } else if (c < 0x80 && strchr(special, c)) {
            char esc[2] = {'\\', (char)c};
            tl_buf_append(b, esc, 2);
        } else if (c >= 0x80) {
            int n;
            long cp = utf8_decode(p, &n);
            if (xml_unwanted(cp))
                tl_buf_puts(b, "\xEF\xBF\xBD");
            else
                tl_buf_append(b, p, (size_t)n);
            p += n - 1;
        } else {
            tl_buf_append(b, p, 1);
        }
    }
}

/* A source's URL as an autolink, when its scheme is allowed: encoded so
 * that no space, '<' or '>' can end it early. */
static void md_link(tl_buf *b, const char *url)
{
    if (!tl_url_allowed(url))
        return;
    tl_buf_puts(b, ", <");
    tl_url_encode(b, url);
    tl_buf_puts(b, ">");
}

static void event_date(const tl_event *e, char *buf, size_t size)
{
    size_t n = tl_date_label(&e->date, buf, size);
    if (e->end && n < size) {
        snprintf(buf + n, size - n, " – ");
        n = strlen(buf);
        tl_date_label(e->end, buf + n, size - n);
    }
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
        md_text(b, title, true);
        tl_buf_puts(b, "\n\n");
    }
    if (subtitle) {
        md_text(b, subtitle, true);
        tl_buf_puts(b, "\n\n");
    }
    tl_buf_puts(b, "| Date | Event | Lane | Sources |\n|---|---|---|---|\n");
    char d[256], n[32];
    for (size_t i = 0; i < doc->nevents; i++) {
        const tl_event *e = ev[i];
        event_date(e, d, sizeof d);
        tl_buf_puts(b, "| ");
        md_text(b, d, false);
        tl_buf_puts(b, " | ");
        md_text(b, e->title, false);
        tl_buf_puts(b, " | ");
        if (e->lane >= 0)
            md_text(b, doc->lanes[e->lane].label, false);
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
                md_text(b, s->author, true);
                tl_buf_puts(b, ", ");
            }
            tl_buf_puts(b, "“");
            md_text(b, s->title, false);
            tl_buf_puts(b, "”");
            if (s->publisher) {
                tl_buf_puts(b, ", ");
                md_text(b, s->publisher, false);
            }
            if (s->has_date) {
                tl_date_label(&s->date, d, sizeof d);
                tl_buf_puts(b, ", ");
                tl_buf_puts(b, d);
            }
            md_link(b, s->url);
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
        event_date(ev[i], d, sizeof d);
        ok = put(ctx, d) && put(ctx, ": ") && put(ctx, ev[i]->title) && put(ctx, "\n");
    }
    tl_arena_release(&a);
    return ok;
}
