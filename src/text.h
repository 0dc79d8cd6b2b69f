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

/* The document's events sorted by date (then file order), in the arena. */
const tl_event **tl_events_sorted(const tl_doc *doc, tl_arena *arena);

/* A Markdown page: title, subtitle, a table with Date | Event | Lane |
 * Sources, and the numbered source list — the appendix a report puts beside
 * the figure.  `title`/`subtitle` override the document's when not NULL.
 * Dates and headers are in `lang` (TL_LANG_DEFAULT: the document's). */
bool tl_text_markdown(const tl_doc *doc, tl_lang lang, const char *title, const char *subtitle,
                      tl_buf *out);

/* Plain text: every event in date order with its date and title, one a
 * line, handed to `put` piece by piece, so that it can go straight to a
 * file.  Returns false when `put` does (which stops it) or out of memory. */
bool tl_text_plain(const tl_doc *doc, tl_lang lang, bool (*put)(void *ctx, const char *text),
                   void *ctx);

#endif
