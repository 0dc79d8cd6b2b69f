/* validate.h — cross-checks of a loaded document (internal side). */
#ifndef TL_VALIDATE_H
#define TL_VALIDATE_H

#include "model.h"

/* Checks what the schema walk cannot see one node at a time: ids unique
 * among events, lanes and sources; every event's lane and every citation's
 * source declared; no span ending before it begins.  Also sets each
 * event->lane and citation->source to the index it names (-1 when it names
 * none).  Problems go to diag (may be NULL) under doc->name.  Returns TL_OK,
 * TL_ERR_DATA when a problem was found, or TL_ERR_NOMEM. */
tl_status tl_validate(tl_doc *doc, tl_diag *diag);

/* What a text field may not hold, in any field and in the title options:
 * it would corrupt an SVG or a terminal, or draw outside its label. */
typedef enum tl_text_fault {
    TL_TEXT_OK = 0,
    TL_TEXT_UTF8,     /* not valid UTF-8 (options only: YAML is checked) */
    TL_TEXT_NUL,
    TL_TEXT_CONTROL,  /* C0 other than tab and line feed, DEL, C1 */
    TL_TEXT_NONCHAR,  /* U+FDD0..U+FDEF, U+xFFFE, U+xFFFF */
    TL_TEXT_MARKS     /* more than TL_MAX_MARKS combining marks in a row */
} tl_text_fault;

/* Finds the first fault in s[0..len): returns its kind and sets *off to
 * the byte offset of the offending character (for TL_TEXT_MARKS, the
 * first mark past the limit) and *cp to it (0 for bad UTF-8). */
tl_text_fault tl_text_check(const char *s, size_t len, size_t *off, uint32_t *cp);

/* "contains U+001B, a control character — ..." for a message that names
 * the field first; writes into buf (always NUL-terminated). */
const char *tl_text_fault_text(tl_text_fault f, uint32_t cp, char *buf, size_t size);

/* Checks a link: an http, https or mailto URL (the scheme in any case)
 * with something after the scheme, and no white space or control
 * character.  Returns NULL when it is allowed, else what is wrong, and
 * sets *off to the byte offset to point at. */
const char *tl_url_problem(const char *url, size_t len, size_t *off);

#endif
