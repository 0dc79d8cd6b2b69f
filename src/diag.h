/* diag.h — collecting problems with their positions (internal side). */
#ifndef TL_DIAG_H
#define TL_DIAG_H

#include "timeline.h"

#include <stdarg.h>
#include <stdbool.h>

/* At most this many errors are kept; later ones are only counted, and one
 * note says how many were left out. */
#define TL_DIAG_MAX_ERRORS 50

/* Appends an entry.  line/col are 1-based (0: no position).  `file` may be
 * NULL.  diag may be NULL (nothing is kept).  Messages follow the form
 * "what — hint".  Out of memory drops the entry but still counts it. */
void tl_diag_add(tl_diag *diag, tl_severity sev, const char *file, int line,
                 int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void tl_diag_vadd(tl_diag *diag, tl_severity sev, const char *file, int line,
                  int col, const char *fmt, va_list ap);

/* Keeps a copy of a file's text so tl_diag_print can show the offending
 * line under each message.  Only the first source of a given name is kept. */
void tl_diag_add_source(tl_diag *diag, const char *file, const char *text,
                        size_t len);
/* The same without the copy, for text the caller read into a malloc'd
 * `block`: true when diag took the block (it frees it with itself), false
 * when the caller still owns it.  text[0..len) lies inside block. */
bool tl_diag_keep_source(tl_diag *diag, const char *file, char *block, const char *text,
                         size_t len);

/* The same for a file diag reads itself, the first time tl_diag_print
 * shows one of its lines: `path` is both the file's name in messages and
 * where to read it.  At most TL_MAX_SOURCE_BYTES of it are read. */
void tl_diag_add_source_file(tl_diag *diag, const char *path);
#define TL_MAX_SOURCE_BYTES (64u * 1024u * 1024u)

/* True once the error cap has been reached: callers may stop looking. */
bool tl_diag_full(const tl_diag *diag);

#endif
