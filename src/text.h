/* text.h — the chart's text alternative, and a growable byte buffer. */
#ifndef TL_TEXT_H
#define TL_TEXT_H

#include "layout.h"
#include "model.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct tl_buf {
    unsigned char *data;
    size_t len, cap;
    bool failed;        /* an append ran out of memory */
} tl_buf;

bool tl_buf_append(tl_buf *b, const void *data, size_t len);
bool tl_buf_puts(tl_buf *b, const char *s);
void tl_buf_free(tl_buf *b);

/* Whether a link to `url` may be written: its scheme (the letters before
 * the first ':', in any case) is http, https or mailto.  Anything else —
 * javascript:, file:, data:, a relative or empty URL, leading white space
 * — is never made a link by any writer. */
bool tl_url_allowed(const char *url);

/* Appends `url` percent-encoded so that every byte is one of the RFC 3986
 * unreserved characters or the reserved ones that cannot end a string in
 * the formats written (PDF string, cairo tag attribute, Markdown autolink):
 * ' ( ) \ < > " ` { } | ^ space, controls, DEL, bytes
 * above 0x7F and a '%' that does not start a valid escape are encoded.
 * The result is printable ASCII without ' ( ) \ < > " or space. */
bool tl_url_encode(tl_buf *b, const char *url);

/* Calls put(ctx, run, len) with `s` as XML 1.0 character data: & < > " '
 * as entities; what XML 1.0 forbids or discourages — C0 controls other
 * than tab and newline, CR, DEL, C1 controls, surrogates, noncharacters
 * (U+FDD0..U+FDEF, U+xxFFFE/F) — and invalid UTF-8 each become U+FFFD.
 * Returns false as soon as put does. */
bool tl_xml_escape(const char *s, bool (*put)(void *ctx, const void *data, size_t len),
                   void *ctx);

/* A Markdown page: title, subtitle, a table with Date | Event | Lane |
 * Sources, and the numbered source list — the appendix a report puts beside
 * the figure.  `title`/`subtitle` override the document's when not NULL. */
bool tl_text_markdown(const tl_doc *doc, const char *title, const char *subtitle,
                      tl_buf *out);

/* Plain text: every event in date order with its date and title, one a
 * line, handed to `put` piece by piece, so that it can go straight to a
 * file.  Returns false when `put` does (which stops it) or out of memory. */
bool tl_text_plain(const tl_doc *doc, bool (*put)(void *ctx, const char *text), void *ctx);

#endif
